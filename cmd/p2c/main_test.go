package main

import (
	"bytes"
	"compress/gzip"
	"net"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/p2c/p2c/internal/cli"
	"github.com/p2c/p2c/internal/emulator"
	"github.com/p2c/p2c/internal/emulator/demoseed"
)

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"p2c": func() { os.Exit(cli.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) },
	})
}

// TestScripts runs the end-to-end scripts in testdata/script against the
// real p2c binary. The emu command starts an emulator for the script and
// points the AWS environment variables at it.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir: "testdata/script",
		Setup: func(env *testscript.Env) error {
			env.Values[emuKey{}] = &emuHolder{}
			for _, kv := range []string{
				"AWS_ACCESS_KEY_ID=AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY=secret", "AWS_REGION=us-east-1", "AWS_DEFAULT_REGION=us-east-1",
				"AWS_CONFIG_FILE=/dev/null", "AWS_SHARED_CREDENTIALS_FILE=/dev/null", "AWS_EC2_METADATA_DISABLED=true",
			} {
				k, v, _ := strings.Cut(kv, "=")
				env.Setenv(k, v)
			}
			return nil
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"emu":     cmdEmu,
			"s3put":   cmdS3Put,
			"waitfor": cmdWaitFor,
		},
	})
}

// cmdEmu starts an emulator: emu [-seed demo|none|FILE] [-retired] [-error-rate F] [-quotas] [-bucket NAME]...
func cmdEmu(ts *testscript.TestScript, neg bool, args []string) {
	if neg {
		ts.Fatalf("unsupported: ! emu")
	}
	opts := emulator.Options{}
	seed := "none"
	var buckets []string
	for i := 0; i < len(args); i++ {
		switch args[i] {
		case "-seed":
			i++
			seed = args[i]
		case "-retired":
			opts.Retired = true
		case "-quotas":
			opts.Quotas = true
		case "-error-rate":
			i++
			opts.ErrorRate = 0.2
			if args[i] == "1" {
				opts.ErrorRate = 1
			}
		case "-credentials":
			i++
			opts.Credentials = map[string]bool{args[i]: true}
		case "-bucket":
			i++
			buckets = append(buckets, args[i])
		default:
			ts.Fatalf("emu: unknown argument %q", args[i])
		}
	}
	e := emulator.New(emulator.Options{})
	switch seed {
	case "none":
	case "demo":
		if _, err := e.Apply(demoseed.Demo()); err != nil {
			ts.Fatalf("emu: seed: %v", err)
		}
	default:
		s, err := emulator.LoadSeed(ts.MkAbs(seed))
		ts.Check(err)
		_, err = e.Apply(s)
		ts.Check(err)
	}
	for _, b := range buckets {
		ts.Check(e.S3.CreateBucket(b))
	}
	e.SetOptions(opts)
	run, err := e.Start("127.0.0.1:0")
	ts.Check(err)
	ts.Defer(func() { _ = run.Close() })
	ts.Value(emuKey{}).(*emuHolder).e = e
	ts.Setenv("AWS_ENDPOINT_URL", run.URL)
	ts.Setenv("EMU_URL", run.URL)
}

// emuKey holds the script's emulator (an *emuHolder) in testscript's
// values, for the commands that seed it after emu started it.
type emuKey struct{}

type emuHolder struct{ e *emulator.Emulator }

// cmdS3Put puts a file of the script into the emulator's S3, gzipped with
// -gzip (txtar files hold text only): s3put [-gzip] BUCKET KEY FILE.
func cmdS3Put(ts *testscript.TestScript, neg bool, args []string) {
	if neg {
		ts.Fatalf("unsupported: ! s3put")
	}
	gz := len(args) > 0 && args[0] == "-gzip"
	if gz {
		args = args[1:]
	}
	if len(args) != 3 {
		ts.Fatalf("usage: s3put [-gzip] BUCKET KEY FILE")
	}
	h := ts.Value(emuKey{}).(*emuHolder)
	if h.e == nil {
		ts.Fatalf("s3put: no emulator: run emu first")
	}
	data := []byte(ts.ReadFile(args[2]))
	if gz {
		var buf bytes.Buffer
		zw := gzip.NewWriter(&buf)
		_, err := zw.Write(data)
		ts.Check(err)
		ts.Check(zw.Close())
		data = buf.Bytes()
	}
	ts.Check(h.e.S3.PutObject(args[0], args[1], data))
}

// cmdWaitFor waits until something listens on HOST:PORT (a background
// `p2c emulator` started by the script).
func cmdWaitFor(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 1 {
		ts.Fatalf("usage: waitfor HOST:PORT")
	}
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		c, err := net.DialTimeout("tcp", args[0], 200*time.Millisecond)
		if err == nil {
			c.Close()
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	ts.Fatalf("nothing listens on %s", args[0])
}
