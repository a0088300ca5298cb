package profiles

import (
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"testing"
)

type testRec struct {
	k1, k2 string
	seq    uint64
	p      string
}

func cmpTestRec(a, b testRec) int {
	x := sortEnt{k1: a.k1, k2: a.k2, seq: a.seq}
	y := sortEnt{k1: b.k1, k2: b.k2, seq: b.seq}
	return compareEnt(&x, &y)
}

// TestRunsSortMerge sorts random records through a small budget (many
// runs), reduces them with a small fan-in and merges: the result is every
// record, in order.
func TestRunsSortMerge(t *testing.T) {
	for _, compress := range []bool{false, true} {
		t.Run(fmt.Sprint("compress=", compress), func(t *testing.T) {
			old, oldFan := compressRuns, maxFanIn
			compressRuns, maxFanIn = compress, 4
			defer func() { compressRuns, maxFanIn = old, oldFan }()
			dir := t.TempDir()
			r := rand.New(rand.NewPCG(3, 4))
			var want []testRec
			s := newSorter(8 << 10)
			var runs []string
			n := 0
			newPath := func() string { n++; return filepath.Join(dir, fmt.Sprint("r", n)) }
			for i := range 5000 {
				rec := testRec{k1: fmt.Sprint("key", r.IntN(300)), k2: fmt.Sprint("id", r.IntN(50)), seq: uint64(i), p: fmt.Sprint("payload", i)}
				if i%1000 == 0 {
					rec.p = string(make([]byte, 20<<10)) // bigger than the budget
				}
				want = append(want, rec)
				if !s.fits(len(rec.k1) + len(rec.k2) + len(rec.p)) {
					p := newPath()
					if err := s.writeRun(p); err != nil {
						t.Fatal(err)
					}
					runs = append(runs, p)
				}
				s.add(rec.k1, rec.k2, rec.seq, []byte(rec.p))
			}
			p := newPath()
			if err := s.writeRun(p); err != nil {
				t.Fatal(err)
			}
			runs = append(runs, p)
			if len(runs) < 20 {
				t.Fatalf("only %d runs", len(runs))
			}
			runs, err := reduceRuns(runs, newPath, nil)
			if err != nil {
				t.Fatal(err)
			}
			if len(runs) > maxFanIn {
				t.Fatalf("%d runs after reduce", len(runs))
			}
			m, err := newMerger(runs)
			if err != nil {
				t.Fatal(err)
			}
			defer m.close()
			var got []testRec
			for {
				rec, err := m.next()
				if err != nil {
					t.Fatal(err)
				}
				if rec == nil {
					break
				}
				got = append(got, testRec{string(rec.k1), string(rec.k2), rec.seq, string(rec.payload)})
			}
			slices.SortFunc(want, cmpTestRec)
			if !slices.Equal(got, want) {
				t.Fatalf("merged %d records, want %d (or order differs)", len(got), len(want))
			}
		})
	}
}
