package report

import (
	"bytes"
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"
)

const chromiumPath = "/usr/bin/chromium"

// chromium runs headless Chromium on a local file with the given extra
// flags and returns its stdout and stderr. It never touches the network:
// background services are off and every host name fails to resolve.
func chromium(t *testing.T, file string, extra ...string) (stdout, stderr []byte) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	args := []string{
		"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--host-resolver-rules=MAP * ~NOTFOUND",
		"--user-data-dir=" + t.TempDir(),
		"--enable-logging=stderr", "--v=0",
	}
	args = append(args, extra...)
	args = append(args, "file://"+file)
	cmd := exec.CommandContext(ctx, chromiumPath, args...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("chromium %v: %v\n%s", extra, err, tail(errb.String(), 2000))
	}
	return out.Bytes(), errb.Bytes()
}

// consoleErrors picks the page's console output and uncaught exceptions
// from Chromium's log. Chromium logs every console message of a page as
// "…:CONSOLE:<line>] "<message>", source: …"; a page without script has
// none, so any such line is a problem.
func consoleErrors(stderr []byte) []string {
	var out []string
	for _, l := range strings.Split(string(stderr), "\n") {
		if strings.Contains(l, ":CONSOLE") || strings.Contains(l, "Uncaught") {
			out = append(out, l)
		}
	}
	return out
}

func tail(s string, n int) string {
	if len(s) > n {
		return "…" + s[len(s)-n:]
	}
	return s
}

func needChromium(t *testing.T) {
	t.Helper()
	if _, err := os.Stat(chromiumPath); err != nil {
		t.Skipf("headless browser test skipped: %s not found (install the Debian package chromium; .ci/run does)", chromiumPath)
	}
}

// TestConsoleErrorDetection makes sure the console check of the browser
// test can fail: a page with a script error must be caught.
func TestConsoleErrorDetection(t *testing.T) {
	needChromium(t)
	if testing.Short() {
		t.Skip("browser test skipped in -short mode")
	}
	page := filepath.Join(t.TempDir(), "bad.html")
	if err := os.WriteFile(page, []byte(`<!DOCTYPE html><html><body><p>x</p><script>undefinedFunction()</script></body></html>`), 0o644); err != nil {
		t.Fatal(err)
	}
	_, stderr := chromium(t, page, "--dump-dom")
	if len(consoleErrors(stderr)) == 0 {
		t.Fatalf("a script error went unnoticed; Chromium's log:\n%s", tail(string(stderr), 3000))
	}
}

func TestReportRendersInChromium(t *testing.T) {
	needChromium(t)
	if testing.Short() {
		t.Skip("browser test skipped in -short mode")
	}
	dir := t.TempDir()
	page := filepath.Join(dir, "report.html")
	out := renderHTML(t, Options{})
	if err := os.WriteFile(page, out, 0o644); err != nil {
		t.Fatal(err)
	}
	if dst := os.Getenv("P2C_REPORT_HTML"); dst != "" {
		if err := os.WriteFile(dst, out, 0o644); err != nil {
			t.Fatal(err)
		}
	}

	dom, stderr := chromium(t, page, "--dump-dom")
	if errs := consoleErrors(stderr); len(errs) > 0 {
		t.Errorf("console errors while rendering the report:\n%s", strings.Join(errs, "\n"))
	}
	doc, err := html.Parse(bytes.NewReader(dom))
	if err != nil {
		t.Fatalf("parse rendered DOM: %v", err)
	}
	for _, id := range wantSections {
		if byID(doc, id) == nil {
			t.Errorf("rendered DOM lacks section #%s", id)
		}
	}
	_, inv := fixture(t)
	journeys := inv.Regions[0].Apps[0].Journeys
	diagrams := findAll(doc, func(n *html.Node) bool { return n.Data == "svg" && hasClass(n, "journey-diagram") })
	if len(diagrams) != len(journeys) {
		t.Errorf("rendered DOM has %d journey diagrams, want %d", len(diagrams), len(journeys))
	}
	want := map[string]int{"j1": 13, "j2": 2}
	for id, n := range want {
		d := byID(doc, "journey-"+id)
		if d == nil {
			t.Errorf("rendered DOM lacks diagram journey-%s", id)
			continue
		}
		if got := len(findAll(d, func(n *html.Node) bool { return n.Data == "g" && hasClass(n, "node") })); got != n {
			t.Errorf("diagram journey-%s has %d nodes, want %d", id, got, n)
		}
		if len(findAll(d, func(n *html.Node) bool { return n.Data == "path" && hasClass(n, "edge") })) == 0 {
			t.Errorf("diagram journey-%s has no edges", id)
		}
	}
	if n := len(findAll(doc, func(n *html.Node) bool { return n.Data == "svg" && hasClass(n, "chart") })); n != 3 {
		t.Errorf("rendered DOM has %d charts, want 3", n)
	}
	if n := len(findAll(doc, func(n *html.Node) bool { return n.Data == "script" })); n != 0 {
		t.Errorf("rendered DOM has %d scripts", n)
	}

	shot := filepath.Join(dir, "report.png")
	_, stderr = chromium(t, page, "--screenshot="+shot, "--window-size=1400,3000", "--hide-scrollbars")
	if errs := consoleErrors(stderr); len(errs) > 0 {
		t.Errorf("console errors while taking the screenshot:\n%s", strings.Join(errs, "\n"))
	}
	st, err := os.Stat(shot)
	if err != nil || st.Size() < 10000 {
		t.Fatalf("no screenshot (%v)", err)
	}
	if dst := os.Getenv("P2C_REPORT_SCREENSHOT"); dst != "" {
		if err := copyFile(shot, dst); err != nil {
			t.Fatalf("copy screenshot: %v", err)
		}
		t.Logf("screenshot written to %s", dst)
	}
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
