package profiles

import (
	"context"
	"errors"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/p2c/p2c/internal/emulator/emutest"
	"github.com/p2c/p2c/internal/target"
)

// The crash test runs Load in a child process (this test binary again,
// guarded by an environment variable) against an emulator in the test
// process, kills it with SIGKILL at random moments, resumes until it
// finishes, and compares the domain with an uninterrupted load's.

const crashEnv = "P2C_LOAD_CRASH_CHILD"

func TestLoadCrashChild(t *testing.T) {
	if os.Getenv(crashEnv) == "" {
		t.Skip("helper process of TestLoadCrash")
	}
	dir := os.Getenv(crashEnv)
	rate, _ := strconv.ParseFloat(os.Getenv(crashEnv+"_RATE"), 64)
	c := target.NewClient(emutest.Config(os.Getenv(crashEnv + "_URL")))
	sum, err := Load(context.Background(), LoadOptions{From: []string{dir}, JournalDir: filepath.Join(dir, "journal"),
		Region: "us-east-1", Domain: loadDomainName, Client: c, Method: MethodAPI, Rate: rate, Workers: 8})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Failed != 0 {
		t.Fatalf("failures: %+v", sum.Failures)
	}
}

func TestLoadCrash(t *testing.T) {
	if os.Getenv(crashEnv) != "" {
		t.Skip("in the helper process")
	}
	recs := testRecords(80)

	// The uninterrupted load.
	ref := newLoadEnv(t)
	refDir := t.TempDir()
	writeTestRecords(t, filepath.Join(refDir, "profiles.jsonl.gz"), recs)
	mustLoad(t, ref.opts(refDir, refDir))
	want, wantObjs := ref.domainState(t)

	kills := 0
	for seed := uint64(1); seed <= 3; seed++ {
		env := newLoadEnv(t)
		dir := t.TempDir()
		writeTestRecords(t, filepath.Join(dir, "profiles.jsonl.gz"), recs)
		rng := rand.New(rand.NewPCG(seed, 7))
		runs := 0
		for done := false; !done; runs++ {
			if runs > 20 {
				t.Fatalf("seed %d: no finished load after %d runs", seed, runs)
			}
			cmd := exec.Command(os.Args[0], "-test.run=^TestLoadCrashChild$", "-test.count=1")
			cmd.Env = append(os.Environ(), crashEnv+"="+dir, crashEnv+"_URL="+env.url, crashEnv+"_RATE=250")
			out := &syncBuffer{}
			cmd.Stdout, cmd.Stderr = out, out
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			exited := make(chan error, 1)
			go func() { exited <- cmd.Wait() }()
			var kill <-chan time.Time
			if runs < 2 { // two kills per seed, then let it finish
				kill = time.After(time.Duration(80+rng.IntN(420)) * time.Millisecond)
			}
			select {
			case err := <-exited:
				if err != nil {
					t.Fatalf("seed %d run %d: %v\n%s", seed, runs, err, out.String())
				}
				done = true
			case <-kill:
				_ = cmd.Process.Signal(syscall.SIGKILL)
				err := <-exited
				var ee *exec.ExitError
				if err == nil || !errors.As(err, &ee) {
					done = err == nil // it finished just before the signal
					continue
				}
				kills++
			}
		}
		got, gotObjs := env.domainState(t)
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("seed %d: the domain after %d runs differs from an uninterrupted load's (%d profiles, want %d)", seed, runs, len(got), len(want))
		}
		if !reflect.DeepEqual(gotObjs, wantObjs) {
			t.Fatalf("seed %d: objects per profile differ", seed)
		}
	}
	if kills < 5 {
		t.Fatalf("only %d kills landed during a load, want at least 5", kills)
	}
	t.Logf("%d kills over 3 seeds", kills)
}

// syncBuffer collects a child's output.
type syncBuffer struct {
	b []byte
}

func (s *syncBuffer) Write(p []byte) (int, error) { s.b = append(s.b, p...); return len(p), nil }
func (s *syncBuffer) String() string              { return string(s.b) }
