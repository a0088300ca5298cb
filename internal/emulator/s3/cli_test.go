package s3_test

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// awsCLI runs the aws CLI against endpoint with a clean, static
// configuration, returning stdout, stderr and the exit error.
func awsCLI(t *testing.T, endpoint string, args ...string) (string, string, error) {
	t.Helper()
	cmd := exec.Command("aws", append([]string{"--endpoint-url", endpoint, "--output", "json"}, args...)...)
	cmd.Env = append(os.Environ(),
		"AWS_ACCESS_KEY_ID=AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY=secret", "AWS_DEFAULT_REGION=us-east-1",
		"AWS_CONFIG_FILE=/dev/null", "AWS_SHARED_CREDENTIALS_FILE=/dev/null", "AWS_EC2_METADATA_DISABLED=true", "AWS_PAGER=")
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	start := time.Now()
	err := cmd.Run()
	t.Logf("%v aws %s", time.Since(start), strings.Join(args, " "))
	return out.String(), errb.String(), err
}

func mustCLI(t *testing.T, endpoint string, args ...string) string {
	t.Helper()
	out, stderr, err := awsCLI(t, endpoint, args...)
	if err != nil {
		t.Fatalf("aws %s: %v\n%s", strings.Join(args, " "), err, stderr)
	}
	return out
}

func TestCLI(t *testing.T) {
	if _, err := exec.LookPath("aws"); err != nil {
		t.Skip("aws CLI not on PATH; skipping CLI tests")
	}
	e := newEnv(t)
	ep := e.url // an IP address: the CLI uses path-style addressing
	dir := t.TempDir()

	plain := []byte(strings.Repeat(`{"Id":"e1","ChannelType":"SMS","Address":"+15555550100"}`+"\n", 50))
	src := filepath.Join(dir, "part-0.json")
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(plain)
	zw.Close()
	gzPath := filepath.Join(dir, "part-1.json.gz")
	if err := os.WriteFile(src, plain, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(gzPath, gz.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}

	// Each CLI start costs a second or two, so independent commands run in
	// parallel groups.
	mustCLI(t, ep, "s3api", "create-bucket", "--bucket", "cli-exports")
	t.Run("upload", func(t *testing.T) {
		t.Run("s3 cp", func(t *testing.T) {
			t.Parallel()
			mustCLI(t, ep, "s3", "cp", src, "s3://cli-exports/exports/app1/part-0.json")
		})
		t.Run("put-object gzip", func(t *testing.T) {
			t.Parallel()
			mustCLI(t, ep, "s3api", "put-object", "--bucket", "cli-exports", "--key", "exports/app1/part-1.json.gz",
				"--body", gzPath, "--content-encoding", "gzip")
		})
	})
	if t.Failed() {
		t.FailNow()
	}
	for _, k := range []string{"exports/app1/with space+plus.json", "exports/app2/x.json"} {
		if err := e.svc.PutObject("cli-exports", k, plain); err != nil {
			t.Fatal(err)
		}
	}

	t.Run("read", func(t *testing.T) {
		t.Run("list-objects-v2", func(t *testing.T) {
			t.Parallel()
			var listed struct {
				Contents []struct {
					Key  string
					Size int
				}
				KeyCount int
			}
			out := mustCLI(t, ep, "s3api", "list-objects-v2", "--no-paginate", "--bucket", "cli-exports", "--prefix", "exports/app1/")
			if err := json.Unmarshal([]byte(out), &listed); err != nil {
				t.Fatalf("list-objects-v2 output: %v\n%s", err, out)
			}
			if listed.KeyCount != 3 || len(listed.Contents) != 3 || listed.Contents[0].Key != "exports/app1/part-0.json" ||
				listed.Contents[0].Size != len(plain) || listed.Contents[1].Key != "exports/app1/part-1.json.gz" ||
				listed.Contents[2].Key != "exports/app1/with space+plus.json" {
				t.Fatalf("list-objects-v2: %s", out)
			}
		})
		t.Run("list-objects-v2 paged", func(t *testing.T) {
			t.Parallel()
			var listed struct{ Contents []struct{ Key string } }
			out := mustCLI(t, ep, "s3api", "list-objects-v2", "--bucket", "cli-exports", "--page-size", "1")
			if err := json.Unmarshal([]byte(out), &listed); err != nil || len(listed.Contents) != 4 {
				t.Fatalf("paged list-objects-v2: %v\n%s", err, out)
			}
		})
		t.Run("s3 ls prefixes", func(t *testing.T) {
			t.Parallel()
			ls := mustCLI(t, ep, "s3", "ls", "s3://cli-exports/exports/")
			if !strings.Contains(ls, "PRE app1/") || !strings.Contains(ls, "PRE app2/") {
				t.Fatalf("s3 ls prefixes:\n%s", ls)
			}
		})
		t.Run("s3 ls keys", func(t *testing.T) {
			t.Parallel()
			// s3 ls asks for encoding-type=url and decodes the keys.
			ls := mustCLI(t, ep, "s3", "ls", "s3://cli-exports/exports/app1/")
			for _, k := range []string{" part-0.json", " part-1.json.gz", " with space+plus.json"} {
				if !strings.Contains(ls, k) {
					t.Errorf("s3 ls lacks %q:\n%s", k, ls)
				}
			}
		})
		t.Run("s3 cp download", func(t *testing.T) {
			t.Parallel()
			back := filepath.Join(dir, "back.json")
			mustCLI(t, ep, "s3", "cp", "s3://cli-exports/exports/app1/part-0.json", back)
			if got, _ := os.ReadFile(back); !bytes.Equal(got, plain) {
				t.Fatalf("s3 cp download differs: %d bytes", len(got))
			}
		})
		t.Run("get-object gzip", func(t *testing.T) {
			t.Parallel()
			gzBack := filepath.Join(dir, "back.gz")
			out := mustCLI(t, ep, "s3api", "get-object", "--bucket", "cli-exports", "--key", "exports/app1/part-1.json.gz", gzBack)
			if got, _ := os.ReadFile(gzBack); !bytes.Equal(got, gz.Bytes()) {
				t.Fatalf("gzip object differs after get-object: %d bytes", len(got))
			}
			if !strings.Contains(out, `"ContentEncoding": "gzip"`) {
				t.Errorf("get-object output lacks the gzip encoding:\n%s", out)
			}
		})
		t.Run("get-object missing", func(t *testing.T) {
			t.Parallel()
			_, stderr, err := awsCLI(t, ep, "s3api", "get-object", "--bucket", "cli-exports", "--key", "missing", filepath.Join(dir, "x"))
			if err == nil || !strings.Contains(stderr, "NoSuchKey") {
				t.Fatalf("get-object missing key: %v %s", err, stderr)
			}
		})
	})
}
