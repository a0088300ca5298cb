package emulator

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSubstitute(t *testing.T) {
	vars := map[string]string{"app.shop": "abc"}
	got, err := substitute(map[string]any{"a": "${app.shop}", "b": []any{"x-${app.shop}-y"}, "c": "$${app.shop} {{User.UserId}}"}, vars)
	if err != nil {
		t.Fatal(err)
	}
	m := got.(map[string]any)
	if m["a"] != "abc" || m["b"].([]any)[0] != "x-abc-y" || m["c"] != "${app.shop} {{User.UserId}}" {
		t.Errorf("got %v", m)
	}
	if _, err := substitute("${missing}", vars); err == nil || !strings.Contains(err.Error(), "${missing}") {
		t.Errorf("missing reference: %v", err)
	}
}

func TestApplyNamesFailingCall(t *testing.T) {
	e := New(Options{})
	seed := &Seed{SeedVersion: 1, Calls: []Call{
		{Service: "pinpoint", Operation: "CreateApp", Input: map[string]any{"CreateApplicationRequest": map[string]any{"Name": "shop"}}, Save: map[string]string{"app": "Id"}},
		{Service: "pinpoint", Operation: "CreateSegment", Input: map[string]any{"ApplicationId": "${app}", "WriteSegmentRequest": map[string]any{"Dimensions": map[string]any{}}}},
	}}
	_, err := e.Apply(seed)
	if err == nil || !strings.Contains(err.Error(), "seed call 2 (pinpoint CreateSegment)") || !strings.Contains(err.Error(), "BadRequestException") {
		t.Fatalf("got %v", err)
	}
}

func TestLoadSeedErrors(t *testing.T) {
	dir := t.TempDir()
	for name, body := range map[string]string{
		"truncated.json": "{\n  \"seedVersion\": 1,\n  \"calls\": [\n",
		"unknown.json":   `{"seedVersion": 1, "calls": [], "extra": true}`,
		"version.json":   `{"seedVersion": 7, "calls": []}`,
	} {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		_, err := LoadSeed(p)
		if err == nil || !strings.Contains(err.Error(), p) {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestEmulatorPseudoCalls(t *testing.T) {
	e := New(Options{})
	seed := &Seed{SeedVersion: 1, Region: "eu-west-1", Calls: []Call{
		{Service: "sesv2", Operation: "CreateEmailIdentity", Input: map[string]any{"EmailIdentity": "example.com"}},
		{Service: "emulator", Operation: "VerifySESIdentity", Input: map[string]any{"Identity": "example.com"}},
		{Service: "emulator", Operation: "SetSESProductionAccess", Input: map[string]any{"ProductionAccessEnabled": true}},
		{Service: "emulator", Operation: "SettleConnect", Input: map[string]any{}},
		{Service: "sesv2", Operation: "GetEmailIdentity", Input: map[string]any{"EmailIdentity": "example.com"}, Save: map[string]string{"status": "VerificationStatus"}},
	}}
	vars, err := e.Apply(seed)
	if err != nil {
		t.Fatal(err)
	}
	if vars["status"] != "SUCCESS" {
		t.Errorf("identity verification status %q, want SUCCESS", vars["status"])
	}
	for _, c := range []Call{
		{Service: "emulator", Operation: "VerifySESIdentity", Input: map[string]any{}},
		{Service: "emulator", Operation: "VerifySESIdentity", Input: map[string]any{"Identity": "example.com", "Region": "x"}},
		{Service: "emulator", Operation: "Nope", Input: map[string]any{}},
	} {
		if _, err := e.Apply(&Seed{SeedVersion: 1, Calls: []Call{c}}); err == nil {
			t.Errorf("%s %v: no error", c.Operation, c.Input)
		}
	}
}
