// Package emutest starts emulators for tests and points real clients at
// them: aws-sdk-go-v2 configs and the aws CLI.
package emutest

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/p2c/p2c/internal/emulator/core"
)

// Serve starts an httptest server for the handler and returns its URL.
func Serve(t testing.TB, h *core.Server) string {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv.URL
}

// Config returns an aws.Config with static credentials and every service
// pointed at url.
func Config(url string) aws.Config {
	return aws.Config{
		Region:       "us-east-1",
		Credentials:  credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", "secret", ""),
		BaseEndpoint: aws.String(url),
	}
}

// CLI runs the aws CLI against url and returns its decoded JSON output
// (nil for empty output). It skips the test when aws is not installed.
func CLI(t testing.TB, url string, args ...string) any {
	t.Helper()
	out, err := CLIRaw(t, url, args...)
	if err != nil {
		t.Fatalf("aws %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	if len(bytes.TrimSpace(out)) == 0 {
		return nil
	}
	var v any
	if err := json.Unmarshal(out, &v); err != nil {
		t.Fatalf("aws %s: output is not JSON: %v\n%s", strings.Join(args, " "), err, out)
	}
	return v
}

// CLIRaw runs the aws CLI and returns its combined output and error.
func CLIRaw(t testing.TB, url string, args ...string) ([]byte, error) {
	t.Helper()
	RequireCLI(t)
	full := append([]string{"--endpoint-url", url, "--output", "json"}, args...)
	cmd := exec.CommandContext(context.Background(), "aws", full...)
	cmd.Env = append(os.Environ(),
		"AWS_ACCESS_KEY_ID=AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY=secret", "AWS_DEFAULT_REGION=us-east-1",
		"AWS_CONFIG_FILE=/dev/null", "AWS_SHARED_CREDENTIALS_FILE=/dev/null", "AWS_EC2_METADATA_DISABLED=true", "AWS_PAGER=",
		"AWS_MAX_ATTEMPTS=1")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if err != nil {
		return append(stdout.Bytes(), stderr.Bytes()...), err
	}
	return stdout.Bytes(), nil
}

// RequireCLI skips the test when the aws CLI is missing.
func RequireCLI(t testing.TB) {
	t.Helper()
	if _, err := exec.LookPath("aws"); err != nil {
		t.Skip("aws CLI not found on PATH: skipping the test that checks the wire format with a second real client")
	}
}
