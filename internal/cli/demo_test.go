package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/p2c/p2c/internal/blueprint"
	"github.com/p2c/p2c/internal/engine"
)

// targetTopics are the decision topics whose answer names a resource of
// the target account (or says whether to make one there).
var targetTopics = map[string]bool{
	"connect-instance": true, "knowledge-base": true, "import-number": true, "sms-number": true,
	"journey-flow": true, "journey-contact-flow": true, "email-address": true, "profiles-domain": true,
	"segment": true, "message-template": true,
}

// TestDemoPlanReady runs p2c demo and checks that the decisions the target
// seed has a resource for are answered with it (checked against the
// emulator, as plan --check-existing checks AWS), that the plan is
// ready to apply, that apply created every step in the emulator and
// verify passed, and that the exported endpoints were loaded into each
// domain and verified.
func TestDemoPlanReady(t *testing.T) {
	// The demo's calls go to its emulator, whatever the environment says.
	t.Setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:1")
	t.Setenv("AWS_ENDPOINT_URL_CONNECT", "http://127.0.0.1:1")
	t.Setenv("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true")
	dir := t.TempDir()
	var stdout, stderr bytes.Buffer
	if code := Main([]string{"demo", "--workspace", dir}, strings.NewReader(""), &stdout, &stderr); code != ExitOK {
		t.Fatalf("p2c demo exited %d\nstderr:\n%s", code, stderr.String())
	}
	data, err := os.ReadFile(filepath.Join(dir, "plan.json"))
	if err != nil {
		t.Fatal(err)
	}
	var p blueprint.Plan
	if err := json.Unmarshal(data, &p); err != nil {
		t.Fatal(err)
	}
	for _, key := range p.OpenDecisions {
		parts := strings.SplitN(key, ".", 3)
		if len(parts) > 1 && targetTopics[parts[1]] {
			t.Errorf("decision %s is open, though the target account has a resource to answer it with", key)
		} else {
			t.Logf("decision %s is open: the target account holds nothing that answers it", key)
		}
	}
	waiting := 0
	for _, st := range p.Steps {
		if len(st.WaitsOn) > 0 {
			waiting++
		}
	}
	out := stdout.String()
	if strings.Contains(out, "were not checked against the target account") {
		t.Error("the demo did not check its answers against the emulator")
	}
	m := regexp.MustCompile(`Ready to apply: (\d+) of (\d+) steps`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("the demo does not say how many steps are ready:\n%s", out)
	}
	if want := []string{strconv.Itoa(len(p.Steps) - waiting), strconv.Itoa(len(p.Steps))}; m[1] != want[0] || m[2] != want[1] {
		t.Errorf("demo says %s of %s steps are ready, plan.json has %s of %s", m[1], m[2], want[0], want[1])
	}

	// Apply ran every step against the emulator and verify passed.
	_, recs, err := engine.ReadJournal(dir)
	if err != nil {
		t.Fatalf("the demo did not apply: %v", err)
	}
	status := map[string]string{}
	for _, r := range recs {
		status[r.ID] = r.Status
	}
	for _, st := range p.Steps {
		if s := status[st.ID]; s != engine.StatusDone && s != engine.StatusSkipped {
			t.Errorf("step %s: journal status %q after the demo, want done", st.ID, s)
		}
	}
	m = regexp.MustCompile(`Applied (\d+) steps to the emulator: (\d+) created.*, 0 failed, 0 waiting on decisions, 0 blocked\.`).FindStringSubmatch(out)
	if m == nil {
		t.Errorf("the demo does not say apply created every step:\n%s", out)
	} else if m[1] != strconv.Itoa(len(p.Steps)) || m[2] == "0" {
		t.Errorf("demo applied %s steps, %s created; plan.json has %d", m[1], m[2], len(p.Steps))
	}
	vdata, err := os.ReadFile(filepath.Join(dir, engine.VerifyFile))
	if err != nil {
		t.Fatalf("the demo did not verify: %v", err)
	}
	var v engine.VerifyResult
	if err := json.Unmarshal(vdata, &v); err != nil {
		t.Fatal(err)
	}
	if !v.Passed || v.Counts.OK == 0 || v.Counts.Drift+v.Counts.Missing+v.Counts.Prereq+v.Counts.Errors > 0 {
		t.Errorf("verify after the demo: passed %v, counts %+v", v.Passed, v.Counts)
	}
	if !regexp.MustCompile(`Verify passed: \d+ ok, 0 drift, 0 missing`).MatchString(out) {
		t.Errorf("the demo does not print verify's result:\n%s", out)
	}
	// The endpoints moved into every domain, verified.
	for _, domain := range []string{"p2c-us-east-1", "p2c-eu-west-1"} {
		re := regexp.MustCompile(`(?m)^Profiles ` + domain + ` \([a-z0-9-]+\): ([0-9]+) endpoints → ([0-9]+) profiles \(0 lines rejected, [0-9]+ repaired\), ([0-9]+) loaded, 0 failed; ` +
			`verify passed: ([0-9]+) in the domain, sample ([0-9]+)/([0-9]+) matched, [1-9][0-9]* opted-out profiles in none of [1-9][0-9]* segments\.$`)
		m := re.FindStringSubmatch(out)
		if m == nil {
			t.Errorf("the demo does not say what it loaded into %s:\n%s", domain, out)
			continue
		}
		if m[2] == "0" || m[2] != m[3] || m[3] != m[4] || m[5] != m[6] {
			t.Errorf("%s: %s profiles transformed, %s loaded, %s in the domain, sample %s/%s", domain, m[2], m[3], m[4], m[5], m[6])
		}
		if _, err := os.Stat(filepath.Join(dir, "profiles", domain, "profiles-verify.json")); err != nil {
			t.Errorf("no verify report for %s: %v", domain, err)
		}
	}
	if !regexp.MustCompile(`(?m)^Report: .*report\.html$`).MatchString(out) {
		t.Errorf("the demo does not say where the report is:\n%s", out)
	}

	// The answers name the target seed's resources.
	dec, _, err := blueprint.ReadDecisions(filepath.Join(dir, "decisions.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range dec.Questions {
		topic := strings.SplitN(q.Key, ".", 3)[1]
		switch {
		case topic == "connect-instance" && !regexp.MustCompile(`^arn:aws:connect:[a-z0-9-]+:\d{12}:instance/`).MatchString(q.Answer),
			topic == "knowledge-base" && !strings.HasPrefix(q.Answer, "arn:aws:wisdom:"),
			topic == "sms-number" && !regexp.MustCompile(`^arn:aws:connect:us-east-1:\d{12}:phone-number/`).MatchString(q.Answer),
			topic == "journey-flow" && !strings.Contains(q.Answer, "/contact-flow/"):
			t.Errorf("%s = %q, want the target seed's resource", q.Key, q.Answer)
		}
	}
}

// TestDemoJSON: with --output json the demo, apply and verify included,
// prints one JSON document on stdout.
func TestDemoJSON(t *testing.T) {
	dir := t.TempDir()
	var stdout, stderr bytes.Buffer
	if code := Main([]string{"demo", "--workspace", dir, "--output", "json"}, strings.NewReader(""), &stdout, &stderr); code != ExitOK {
		t.Fatalf("p2c demo --output json exited %d\nstderr:\n%s", code, stderr.String())
	}
	dec := json.NewDecoder(&stdout)
	var doc map[string]any
	if err := dec.Decode(&doc); err != nil {
		t.Fatalf("stdout is not JSON: %v", err)
	}
	if dec.More() {
		t.Error("stdout holds more than one JSON document")
	}
	if _, err := os.Stat(filepath.Join(dir, engine.VerifyFile)); err != nil {
		t.Errorf("the demo did not verify: %v", err)
	}
}
