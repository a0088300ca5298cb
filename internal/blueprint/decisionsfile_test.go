package blueprint

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const dfInstance = "arn:aws:connect:us-east-1:111122223333:instance/0c4f3a2e-1b2c-4d5e-8f90-123456789abc"

func dfSample() *Decisions {
	return &Decisions{Version: 1, Questions: []*Question{
		{Key: "us-east-1.connect-instance", Context: "Which Connect instance: it must have outbound campaigns enabled.", Why: "p2c cannot list your instances offline", Kind: KindConnectInstanceARN},
		{Key: "us-east-1.profiles-domain", Context: "One domain per app, or one shared: the choice is hard to undo.", Choices: []string{"per-app", "shared"}, Suggested: "shared", Why: "one Connect instance reads one domain", Kind: KindChoice},
		{Key: "us-east-1.sender-email", Context: "The From address of migrated email campaigns.", Suggested: "news@example.com", Why: "the Pinpoint email channel's identity", Kind: KindEmail, Answer: "news@example.com"},
	}}
}

func TestDecisionsRoundTrip(t *testing.T) {
	d := dfSample()
	b, err := MarshalDecisions(d)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"# p2c decisions", "p2c decide --accept-suggested", "version: 1", "  us-east-1.connect-instance:\n", `answer: ""`, `answer: "news@example.com"`, "choices:"} {
		if !strings.Contains(string(b), want) {
			t.Errorf("decisions.yaml lacks %q:\n%s", want, b)
		}
	}
	got, err := ParseDecisions("decisions.yaml", b)
	if err != nil {
		t.Fatal(err)
	}
	b2, err := MarshalDecisions(got)
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != string(b2) {
		t.Errorf("round trip changed the file:\n%s\n---\n%s", b, b2)
	}
	if open := got.Open(); len(open) != 2 {
		t.Errorf("open = %v", open)
	}
}

func TestDecisionsAcceptSuggestedAndSet(t *testing.T) {
	d := dfSample()
	keys := d.AcceptSuggested()
	if len(keys) != 1 || keys[0] != "us-east-1.profiles-domain" {
		t.Errorf("accepted %v", keys)
	}
	if d.answer("us-east-1.connect-instance") != "" {
		t.Errorf("a question without a suggestion must stay open")
	}
	if err := d.SetAnswer("us-east-1.connect-instance", "arn:aws:connect:us-east-1:1:instance/x"); err == nil || !strings.Contains(err.Error(), "us-east-1.connect-instance") {
		t.Errorf("bad ARN: %v", err)
	}
	if err := d.SetAnswer("us-east-1.connect-instance", dfInstance); err != nil {
		t.Error(err)
	}
	if err := d.SetAnswer("eu-west-1.nothing", "x"); err == nil || !strings.Contains(err.Error(), "eu-west-1.nothing") {
		t.Errorf("unknown key: %v", err)
	}
	if err := d.SetAnswer("us-east-1.profiles-domain", ""); err != nil || d.answer("us-east-1.profiles-domain") != "" {
		t.Errorf("an empty value reopens: %v", err)
	}
}

func TestValidateAnswer(t *testing.T) {
	cases := []struct {
		kind, key, answer string
		ok                bool
	}{
		{KindConnectInstanceARN, "us-east-1.connect-instance", dfInstance, true},
		{KindConnectInstanceARN, "us-east-1.connect-instance", "arn:aws-us-gov:connect:us-east-1:111122223333:instance/0c4f3a2e-1b2c-4d5e-8f90-123456789abc", true},
		{KindConnectInstanceARN, "eu-west-1.connect-instance", dfInstance, false}, // another region
		{KindConnectInstanceARN, "us-east-1.connect-instance", "0c4f3a2e-1b2c-4d5e-8f90-123456789abc", false},
		{KindConnectInstanceARN, "us-east-1.connect-instance", "arn:aws:connect:us-east-1:11112222333:instance/0c4f3a2e-1b2c-4d5e-8f90-123456789abc", false},
		{KindARN, "us-east-1.kms", "arn:aws:kms:us-east-1:111122223333:key/abc", true},
		{KindARN, "us-east-1.kms", "arn:aws:s3:::bucket", true},
		{KindARN, "us-east-1.kms", "key/abc", false},
		{KindPhoneNumberARN, "us-east-1.sms-number.c1", "arn:aws:sms-voice:us-east-1:111122223333:phone-number/phone-0123456789abcdef0123456789abcdef", true},
		{KindPhoneNumberARN, "us-east-1.sms-number.c1", "arn:aws:connect:us-east-1:111122223333:phone-number/0c4f3a2e-1b2c-4d5e-8f90-123456789abc", true},
		{KindPhoneNumberARN, "us-east-1.sms-number.c1", "+12065550100", false},
		{KindConnectNumberARN, "us-east-1.sms-number.c1", "arn:aws:connect:us-east-1:111122223333:phone-number/0c4f3a2e-1b2c-4d5e-8f90-123456789abc", true},
		{KindConnectNumberARN, "us-east-1.sms-number.c1", "arn:aws:sms-voice:us-east-1:111122223333:phone-number/phone-0123456789abcdef0123456789abcdef", false},
		{KindPhoneNumberARN, "us-east-1.sms-number.c1", "arn:aws:sms-voice:eu-west-1:111122223333:phone-number/phone-01", false},
		{KindEmail, "us-east-1.from", "news@example.com", true},
		{KindEmail, "us-east-1.from", "news at example", false},
		{KindName, "us-east-1.domain", "p2c-retail_1", true},
		{KindName, "us-east-1.domain", "has space", false},
		{KindName, "us-east-1.domain", strings.Repeat("a", 65), false},
		{KindText, "us-east-1.note", "anything at all", true},
	}
	for _, c := range cases {
		err := ValidateAnswer(&Question{Key: c.key, Kind: c.kind}, c.answer)
		if (err == nil) != c.ok {
			t.Errorf("%s %q: err = %v, want ok=%v", c.kind, c.answer, err, c.ok)
		}
	}
	q := &Question{Key: "us-east-1.x", Kind: KindChoice, Choices: []string{"a", "b"}}
	if ValidateAnswer(q, "a") != nil || ValidateAnswer(q, "c") == nil || ValidateAnswer(q, "") != nil {
		t.Errorf("choice validation")
	}
}

// TestDecisionsBadInput: every error names the file, the line and the key.
func TestDecisionsBadInput(t *testing.T) {
	cases := []struct {
		name, file string
		want       []string
	}{
		{"invalid ARN", `version: 1
decisions:
  us-east-1.connect-instance:
    context: which instance
    suggested: ""
    why: ""
    kind: connect-instance-arn
    answer: "arn:aws:connect:us-east-1:1234:instance/nope"
`, []string{"decisions.yaml:8:", "us-east-1.connect-instance", "not a Connect instance ARN"}},
		{"YAML error", `version: 1
decisions:
  us-east-1.profiles-domain:
    kind: choice
    choices: [per-app, shared
    answer: shared
`, []string{"decisions.yaml:", "us-east-1.profiles-domain", "YAML syntax error"}},
		{"unknown member", `version: 1
decisions:
  us-east-1.profiles-domain:
    kind: choice
    choices: [per-app, shared]
    answr: shared
`, []string{"decisions.yaml:6:", "us-east-1.profiles-domain", `unknown member "answr"`}},
		{"choice", `version: 1
decisions:
  us-east-1.profiles-domain:
    kind: choice
    choices: [per-app, shared]
    answer: both
`, []string{"decisions.yaml:6:", "us-east-1.profiles-domain", "not one of the choices"}},
		{"twice", `version: 1
decisions:
  us-east-1.a:
    kind: text
  us-east-1.a:
    kind: text
`, []string{"decisions.yaml:5:", "us-east-1.a", "answered twice"}},
		{"top level", "version: 1\nanswers: {}\n", []string{"decisions.yaml:2:", `unknown top-level key "answers"`}},
		{"version", "version: 7\n", []string{"decisions.yaml:1:", "version 1"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := ParseDecisions("decisions.yaml", []byte(c.file))
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
		})
	}
	var de *DecisionError
	_, err := ParseDecisions("d.yaml", []byte(cases[0].file))
	if !errors.As(err, &de) || de.Line != 8 || de.Key != "us-east-1.connect-instance" {
		t.Errorf("DecisionError = %+v", de)
	}
}

// TestCheckDecisionsUnknownKey: a key the plan does not ask is refused
// with its line; answers are checked against the plan's own kind.
func TestCheckDecisionsUnknownKey(t *testing.T) {
	file := []byte(`version: 1
decisions:
  us-east-1.profiles-domain:
    kind: text
    answer: "both"
  us-east-1.typo-instance:
    kind: text
    answer: "x"
`)
	if _, err := ParseDecisions("decisions.yaml", file); err != nil {
		t.Fatal(err)
	}
	asked := &Decisions{Questions: []*Question{{Key: "us-east-1.profiles-domain", Kind: KindChoice, Choices: []string{"per-app", "shared"}}}}
	err := CheckDecisions("decisions.yaml", file, asked)
	if err == nil {
		t.Fatal("no error")
	}
	for _, w := range []string{"decisions.yaml:6: us-east-1.typo-instance: unknown key", "decisions.yaml:5: us-east-1.profiles-domain", "not one of the choices"} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error %q lacks %q", err, w)
		}
	}
	if CheckDecisions("decisions.yaml", nil, asked) != nil {
		t.Errorf("no file: nothing to check")
	}
}

func TestReadDecisionsMissing(t *testing.T) {
	_, _, err := ReadDecisions(filepath.Join(t.TempDir(), "decisions.yaml"))
	if !errors.Is(err, os.ErrNotExist) {
		t.Errorf("err = %v", err)
	}
}

type dfChecker struct{ missing string }

func (c dfChecker) Check(_ context.Context, q *Question) error {
	if q.Answer == c.missing {
		return errors.New("no such resource in the target account")
	}
	return nil
}

func TestCheckExisting(t *testing.T) {
	d := dfSample()
	if note, err := CheckExisting(context.Background(), d, nil); err != nil || note == "" {
		t.Errorf("nil checker: note %q, err %v", note, err)
	}
	if _, err := CheckExisting(context.Background(), d, dfChecker{missing: "news@example.com"}); err == nil || !strings.Contains(err.Error(), "us-east-1.sender-email") {
		t.Errorf("err = %v", err)
	}
	if _, err := CheckExisting(context.Background(), d, dfChecker{}); err != nil {
		t.Error(err)
	}
}

// TestCheckDecisionsDropsOpenUnknown: an open question no longer asked
// (an answer elsewhere made it moot) is dropped, not refused.
func TestCheckDecisionsDropsOpenUnknown(t *testing.T) {
	file := []byte("version: 1\ndecisions:\n  us-east-1.gone:\n    kind: text\n    answer: \"\"\n")
	if err := CheckDecisions("decisions.yaml", file, &Decisions{}); err != nil {
		t.Error(err)
	}
}
