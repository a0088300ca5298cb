package emutest

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// CLIResult is the outcome of one aws CLI command.
type CLIResult struct {
	Code   int    `json:"rc"`
	Stdout string `json:"out"`
	Stderr string `json:"err"`
}

// batchScript runs aws CLI command lines through one instance of the CLI's
// own driver in one Python process: each command behaves as `aws ARGS...`
// does (the driver parses every command line afresh), without paying the
// interpreter and botocore start-up (about half a second) for each one.
const batchScript = `
import contextlib, io, json, sys
from awscli.clidriver import create_clidriver
driver = create_clidriver()
res = []
for argv in json.load(sys.stdin):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            rc = driver.main(argv)
        except SystemExit as e:
            rc = e.code if isinstance(e.code, int) else 1
    res.append({"rc": rc, "out": out.getvalue(), "err": err.getvalue()})
json.dump(res, sys.__stdout__)
`

// CLIBatch runs aws CLI commands against url, in order, and returns their
// results. Commands run in one Python process when the python3 on PATH can
// import awscli; otherwise each runs as its own aws process. It skips the
// test when the aws CLI is not installed.
func CLIBatch(t testing.TB, url string, cmds ...[]string) []CLIResult {
	t.Helper()
	RequireCLI(t)
	argvs := make([][]string, len(cmds))
	for i, c := range cmds {
		argvs[i] = append([]string{"--endpoint-url", url, "--output", "json"}, c...)
	}
	if res, ok := batchInPython(argvs); ok {
		return res
	}
	out := make([]CLIResult, len(cmds))
	for i, c := range cmds {
		raw, err := CLIRaw(t, url, c...)
		out[i] = CLIResult{Stdout: string(raw)}
		if err != nil {
			out[i] = CLIResult{Code: 1, Stderr: string(raw)}
			if ee, ok := err.(*exec.ExitError); ok {
				out[i].Code = ee.ExitCode()
			}
		}
	}
	return out
}

func batchInPython(argvs [][]string) ([]CLIResult, bool) {
	py, err := exec.LookPath("python3")
	if err != nil {
		return nil, false
	}
	in, _ := json.Marshal(argvs)
	cmd := exec.CommandContext(context.Background(), py, "-c", batchScript)
	cmd.Env = append(os.Environ(), cliEnv...)
	cmd.Stdin = bytes.NewReader(in)
	var stdout bytes.Buffer
	cmd.Stdout = &stdout
	if err := cmd.Run(); err != nil {
		return nil, false // no awscli for this python: run aws per command
	}
	var res []CLIResult
	if err := json.Unmarshal(stdout.Bytes(), &res); err != nil || len(res) != len(argvs) {
		return nil, false
	}
	return res, true
}

// cliEnv is the environment every CLI run gets: static credentials, no
// config files, no retries.
var cliEnv = []string{
	"AWS_ACCESS_KEY_ID=AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY=secret", "AWS_DEFAULT_REGION=us-east-1",
	"AWS_CONFIG_FILE=/dev/null", "AWS_SHARED_CREDENTIALS_FILE=/dev/null", "AWS_EC2_METADATA_DISABLED=true", "AWS_PAGER=",
	"AWS_MAX_ATTEMPTS=1",
}

// JSON decodes a CLI result's output (nil for empty output).
func (r CLIResult) JSON(t testing.TB) map[string]any {
	t.Helper()
	if strings.TrimSpace(r.Stdout) == "" {
		return nil
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(r.Stdout), &m); err != nil {
		t.Fatalf("aws CLI output is not a JSON object: %v\n%s", err, r.Stdout)
	}
	return m
}
