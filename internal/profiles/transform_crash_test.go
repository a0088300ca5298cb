package profiles

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestTransformCrashChild is the transform the crash test kills: it runs
// only in the subprocess the crash test starts.
func TestTransformCrashChild(t *testing.T) {
	from := os.Getenv("P2C_CRASH_FROM")
	if from == "" {
		t.Skip("runs only as the crash test's subprocess")
	}
	_, err := Transform(context.Background(), TransformOptions{
		From: strings.Split(from, string(os.PathListSeparator)), Out: os.Getenv("P2C_CRASH_OUT"),
		MemoryBytes: 4 << 20, Workers: 2, Progress: os.Stderr,
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestTransformCrash kills a transform of a 200,000-line export at random
// points (several seeds, kills spread over the run so that they land in
// reading, merging and writing), resumes it to completion and compares the
// outputs byte for byte with an uninterrupted run.
func TestTransformCrash(t *testing.T) {
	if testing.Short() {
		t.Skip("crash test is slow; skipped in -short")
	}
	dir := t.TempDir()
	const files, perFile = 8, 25000
	var from []string
	for i := range files {
		var b bytes.Buffer
		if err := genExport(&b, perFile, uint64(100+i)); err != nil {
			t.Fatal(err)
		}
		data := b.Bytes()
		name := fmt.Sprintf("part-%d.jsonl", i)
		if i%2 == 0 {
			data, name = gz(t, data), name+".gz"
		}
		from = append(from, writeFile(t, filepath.Join(dir, "in", name), data))
	}
	child := func(out string) *exec.Cmd {
		cmd := exec.Command(os.Args[0], "-test.run=^TestTransformCrashChild$", "-test.count=1")
		cmd.Env = append(os.Environ(), "P2C_CRASH_FROM="+strings.Join(from, string(os.PathListSeparator)), "P2C_CRASH_OUT="+out)
		return cmd
	}

	// The reference, in a subprocess like the others, timed to aim the
	// kills.
	ref := filepath.Join(dir, "ref")
	startRef := time.Now()
	if out, err := child(ref).CombinedOutput(); err != nil {
		t.Fatalf("uninterrupted run: %v\n%s", err, out)
	}
	d := time.Since(startRef)
	want := readOut(t, ref)

	// Each seed kills three times: after a random number of inputs are
	// read (reading), a little later (reading, or merging), and a random
	// moment after the last input is read (merging and writing).
	last := "read " + from[len(from)-1]
	kills := 0
	for seed := uint64(1); seed <= 2; seed++ {
		r := rand.New(rand.NewPCG(seed, 42))
		out := filepath.Join(dir, fmt.Sprint("out", seed))
		plans := []struct {
			after string
			delay time.Duration
		}{
			{"read " + from[1+r.IntN(3)], time.Duration(r.IntN(300)) * time.Millisecond},
			{"read " + from[4+r.IntN(3)], time.Duration(r.IntN(300)) * time.Millisecond},
			{last, time.Duration(r.Float64() * float64(d) / 4)},
		}
		for _, plan := range plans {
			cmd := child(out)
			pr, pw, err := os.Pipe()
			if err != nil {
				t.Fatal(err)
			}
			cmd.Stderr = pw
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			pw.Close()
			seen := make(chan string, 1)
			go func() {
				sc := bufio.NewScanner(pr)
				var log []string
				sent := false
				for sc.Scan() {
					log = append(log, sc.Text())
					if !sent && (strings.HasPrefix(sc.Text(), plan.after+":") || strings.HasPrefix(sc.Text(), "transform:") && strings.Contains(sc.Text(), "resuming") && plan.after == last && strings.Contains(sc.Text(), fmt.Sprintf("%d of %d", len(from), len(from)))) {
						sent = true
						seen <- strings.Join(log, " | ")
					}
				}
				pr.Close()
				if !sent {
					seen <- ""
				}
			}()
			done := make(chan error, 1)
			go func() { done <- cmd.Wait() }()
			select {
			case log := <-seen:
				if log == "" {
					// The input was done before this run: it reads
					// nothing and finishes; resume from the start.
					<-done
					t.Logf("seed %d: run finished before %q", seed, plan.after)
					os.RemoveAll(out)
					continue
				}
				time.Sleep(plan.delay)
				cmd.Process.Signal(syscall.SIGKILL)
				err := <-done
				if err == nil {
					t.Logf("seed %d: run finished before its kill %v after %q", seed, plan.delay, plan.after)
					os.RemoveAll(out)
					continue
				}
				kills++
				t.Logf("seed %d: killed %v after %q", seed, plan.delay, plan.after)
			case err := <-done:
				t.Fatalf("seed %d: run ended (%v) before %q", seed, err, plan.after)
			}
		}
		if b, err := child(out).CombinedOutput(); err != nil {
			t.Fatalf("resumed run: %v\n%s", err, b)
		}
		got := readOut(t, out)
		if len(got) != len(want) {
			t.Errorf("seed %d: outputs %v, want %v", seed, mapsKeys(got), mapsKeys(want))
		}
		for name, b := range want {
			if !bytes.Equal(b, got[name]) {
				t.Errorf("seed %d: %s differs from the uninterrupted run", seed, name)
			}
		}
	}
	if kills < 5 {
		t.Errorf("only %d kills landed", kills)
	}
}
