package profiles

import (
	"bufio"
	"bytes"
	"cmp"
	"container/heap"
	"encoding/binary"
	"fmt"
	"io"
	"os"
	"slices"
	"unsafe"

	"github.com/klauspost/compress/s2"
)

// External sort: records are gathered in a fixed-size arena, sorted in
// memory and written as a run file when the arena is full; runs are then
// merged with a heap. Nothing here knows what the records mean.

// compressRuns turns on S2 (snappy-compatible) compression of run files.
// Measured at 100,000 endpoints: S2 costs about 2% of the transform's CPU
// and shrinks the temp folder about 3×, which matters once the runs no
// longer fit the page cache (10M endpoints is several GB of runs).
var compressRuns = true

// sortEnt is one record in the arena: its keys and payload are strings
// that alias the arena, which is never reallocated while they live.
type sortEnt struct {
	k1, k2 string
	seq    uint64
	p      string
}

func compareEnt(a, b *sortEnt) int {
	if c := cmp.Compare(a.k1, b.k1); c != 0 {
		return c
	}
	if c := cmp.Compare(a.k2, b.k2); c != 0 {
		return c
	}
	return cmp.Compare(a.seq, b.seq)
}

// sorter gathers records up to a byte budget.
type sorter struct {
	arena []byte
	ents  []sortEnt
	limit int // arena capacity; each entry also costs its sortEnt
}

// entCost is what a record costs besides its bytes: the sortEnt.
const entCost = int(unsafe.Sizeof(sortEnt{}))

func newSorter(budget int) *sorter {
	if budget < 4096 {
		budget = 4096
	}
	return &sorter{arena: make([]byte, 0, budget), limit: budget}
}

// fits reports whether a record of n bytes still fits the budget. An
// empty sorter takes any record (a record bigger than the budget makes a
// run of its own).
func (s *sorter) fits(n int) bool {
	return len(s.ents) == 0 || len(s.arena)+n+(len(s.ents)+1)*entCost <= s.limit
}

func (s *sorter) empty() bool { return len(s.ents) == 0 }

// add copies a record in; the caller checked fits.
func (s *sorter) add(k1, k2 string, seq uint64, payload []byte) {
	need := len(k1) + len(k2) + len(payload)
	if len(s.arena)+need > cap(s.arena) {
		// Only a record bigger than the whole budget gets here (fits let
		// it into an empty sorter): give it a fresh arena.
		s.arena = make([]byte, 0, need)
	}
	start := len(s.arena)
	s.arena = append(s.arena, k1...)
	s.arena = append(s.arena, k2...)
	s.arena = append(s.arena, payload...)
	b := s.arena[start:]
	s.ents = append(s.ents, sortEnt{
		k1:  unsafe.String(unsafe.SliceData(b), len(k1)),
		k2:  str(b[len(k1) : len(k1)+len(k2)]),
		seq: seq,
		p:   str(b[len(k1)+len(k2):]),
	})
}

func str(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(unsafe.SliceData(b), len(b))
}

// writeRun sorts the records and writes them to path, then empties the
// sorter.
func (s *sorter) writeRun(path string) error {
	slices.SortFunc(s.ents, func(a, b sortEnt) int { return compareEnt(&a, &b) })
	w, err := createRun(path)
	if err != nil {
		return err
	}
	var buf []byte
	for i := range s.ents {
		e := &s.ents[i]
		buf = appendRecord(buf[:0], e.k1, e.k2, e.seq, unsafe.Slice(unsafe.StringData(e.p), len(e.p)))
		if _, err := w.Write(buf); err != nil {
			w.abort()
			return fmt.Errorf("write %s: %w", path, err)
		}
	}
	if err := w.Close(); err != nil {
		return err
	}
	clear(s.ents)
	s.ents = s.ents[:0]
	if cap(s.arena) > s.limit {
		s.arena = make([]byte, 0, s.limit)
	}
	s.arena = s.arena[:0]
	return nil
}

// runWriter writes one run file, compressed when compressRuns is set.
type runWriter struct {
	f    *os.File
	bw   *bufio.Writer
	zw   *s2.Writer
	path string
}

func createRun(path string) (*runWriter, error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		return nil, fmt.Errorf("create sort run: %w", err)
	}
	w := &runWriter{f: f, bw: bufio.NewWriterSize(f, 256<<10), path: path}
	if compressRuns {
		w.zw = s2.NewWriter(w.bw, s2.WriterConcurrency(1), s2.WriterBlockSize(runBlockSize))
	}
	return w, nil
}

func (w *runWriter) Write(p []byte) (int, error) {
	if w.zw != nil {
		return w.zw.Write(p)
	}
	return w.bw.Write(p)
}

func (w *runWriter) abort() {
	w.f.Close()
	os.Remove(w.path)
}

func (w *runWriter) Close() error {
	if w.zw != nil {
		if err := w.zw.Close(); err != nil {
			w.abort()
			return fmt.Errorf("write %s: %w", w.path, err)
		}
	}
	if err := w.bw.Flush(); err != nil {
		w.abort()
		return fmt.Errorf("write %s: %w", w.path, err)
	}
	if err := w.f.Close(); err != nil {
		return fmt.Errorf("write %s: %w", w.path, err)
	}
	return nil
}

// runRecord is the current record of a reader; its slices are valid until
// the reader moves on.
type runRecord struct {
	k1, k2  []byte
	seq     uint64
	payload []byte
}

func compareRec(a, b *runRecord) int {
	if c := bytes.Compare(a.k1, b.k1); c != 0 {
		return c
	}
	if c := bytes.Compare(a.k2, b.k2); c != 0 {
		return c
	}
	return cmp.Compare(a.seq, b.seq)
}

// runReader reads one run file record by record.
type runReader struct {
	f    *os.File
	r    *bufio.Reader
	buf  []byte
	rec  runRecord
	path string
}

// runBlockSize is the compression block of a run: s2's default, about a
// second faster per million endpoints than 64 KiB blocks. Each open run
// holds about two blocks, which is why maxFanIn is small.
const runBlockSize = 1 << 20

func openRun(path string) (*runReader, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open sort run: %w", err)
	}
	rr := &runReader{f: f, path: path}
	var src io.Reader = f
	if compressRuns {
		src = s2.NewReader(f, s2.ReaderMaxBlockSize(runBlockSize))
	}
	rr.r = bufio.NewReaderSize(src, 64<<10)
	return rr, nil
}

// next reads the next record; it returns io.EOF at the end.
func (r *runReader) next() error {
	if _, err := r.field(0); err != nil {
		if err == io.EOF {
			return io.EOF
		}
		return r.corrupt(err)
	}
	// field appends into r.buf, which may move: the slices are taken
	// after all reads.
	l1 := len(r.buf)
	if _, err := r.field(l1); err != nil {
		return r.corrupt(err)
	}
	l2 := len(r.buf)
	var sb [8]byte
	if _, err := io.ReadFull(r.r, sb[:]); err != nil {
		return r.corrupt(err)
	}
	if _, err := r.field(l2); err != nil {
		return r.corrupt(err)
	}
	// r.buf holds k1 | k2 | payload back to back; the lengths are known
	// from the offsets recorded between reads.
	r.rec.k1 = r.buf[:l1]
	r.rec.k2 = r.buf[l1:l2]
	r.rec.seq = binary.BigEndian.Uint64(sb[:])
	r.rec.payload = r.buf[l2:]
	return nil
}

// field reads one length-prefixed field, appending it to r.buf[:at].
func (r *runReader) field(at int) ([]byte, error) {
	n, err := binary.ReadUvarint(r.r)
	if err != nil {
		return nil, err
	}
	if n > 1<<30 {
		return nil, errCorrupt
	}
	r.buf = slices.Grow(r.buf[:at], int(n))[:at+int(n)]
	if _, err := io.ReadFull(r.r, r.buf[at:]); err != nil {
		return nil, err
	}
	return r.buf[at:], nil
}

func (r *runReader) corrupt(err error) error {
	if err == io.EOF || err == io.ErrUnexpectedEOF {
		err = errCorrupt
	}
	return fmt.Errorf("read %s: %w", r.path, err)
}

func (r *runReader) close() { r.f.Close() }

// merger merges sorted runs. next returns records in order; a record is
// valid until the following call.
type merger struct {
	h    mergeHeap
	last *runReader
}

type mergeHeap []*runReader

func (h mergeHeap) Len() int           { return len(h) }
func (h mergeHeap) Less(i, j int) bool { return compareRec(&h[i].rec, &h[j].rec) < 0 }
func (h mergeHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *mergeHeap) Push(x any)        { *h = append(*h, x.(*runReader)) }
func (h *mergeHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

func newMerger(paths []string) (*merger, error) {
	m := &merger{}
	for _, p := range paths {
		r, err := openRun(p)
		if err != nil {
			m.close()
			return nil, err
		}
		if err := r.next(); err != nil {
			r.close()
			if err == io.EOF {
				continue
			}
			m.close()
			return nil, err
		}
		m.h = append(m.h, r)
	}
	heap.Init(&m.h)
	return m, nil
}

// next returns the smallest remaining record, or nil at the end.
func (m *merger) next() (*runRecord, error) {
	if m.last != nil {
		err := m.last.next()
		switch {
		case err == io.EOF:
			m.last.close()
			heap.Pop(&m.h)
		case err != nil:
			return nil, err
		default:
			heap.Fix(&m.h, 0)
		}
		m.last = nil
	}
	if len(m.h) == 0 {
		return nil, nil
	}
	m.last = m.h[0]
	return &m.last.rec, nil
}

func (m *merger) close() {
	for _, r := range m.h {
		r.close()
	}
	m.h = nil
}

// maxFanIn bounds the runs merged at once (open files and read buffers:
// 16 runs hold about 35 MB; at 64 the merge of a 10M-endpoint transform
// alone took over 100 MB);
// more runs are first merged in groups into bigger ones.
var maxFanIn = 16

// reduceRuns merges runs in groups of maxFanIn until at most maxFanIn
// remain. New runs are named by newPath; merged inputs that are not in
// keep are removed.
func reduceRuns(paths []string, newPath func() string, keep map[string]bool) ([]string, error) {
	for len(paths) > maxFanIn {
		var out []string
		for i := 0; i < len(paths); i += maxFanIn {
			group := paths[i:min(i+maxFanIn, len(paths))]
			if len(group) == 1 {
				out = append(out, group[0])
				continue
			}
			p := newPath()
			if err := mergeInto(group, p); err != nil {
				return nil, err
			}
			for _, g := range group {
				if !keep[g] {
					os.Remove(g)
				}
			}
			out = append(out, p)
		}
		paths = out
	}
	return paths, nil
}

func mergeInto(paths []string, dst string) error {
	m, err := newMerger(paths)
	if err != nil {
		return err
	}
	defer m.close()
	w, err := createRun(dst)
	if err != nil {
		return err
	}
	var buf []byte
	for {
		rec, err := m.next()
		if err != nil {
			w.abort()
			return err
		}
		if rec == nil {
			break
		}
		buf = appendRecord(buf[:0], str(rec.k1), str(rec.k2), rec.seq, rec.payload)
		if _, err := w.Write(buf); err != nil {
			w.abort()
			return fmt.Errorf("write %s: %w", dst, err)
		}
	}
	return w.Close()
}
