package blueprint

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/p2c/p2c/internal/assess"
	"github.com/p2c/p2c/internal/inventory"
	"github.com/p2c/p2c/internal/translate"
)

// tplFixtureTemplates: welcome (EMAIL, version 1 pinned by campaign c3,
// version 2 active), promo-sms (SMS, too long for Connect), otp-sms (sent
// by the application only) and a push template nobody uses.
func tplFixtureTemplates() []inventory.Template {
	long := strings.Repeat("Big sale on {{User.UserAttributes.tier}} gear today. ", 20) + "Reply STOP to opt out."
	lb, _ := json.Marshal(long)
	return []inventory.Template{
		{Name: "welcome", Type: "EMAIL", ActiveVersion: "2",
			Object: profRaw(`{"TemplateName":"welcome","TemplateType":"EMAIL","Version":"2","Subject":"Hi {{User.UserAttributes.FirstName}}","HtmlPart":"<p>Welcome v2</p>","DefaultSubstitutions":"{\"User.UserAttributes.FirstName\":\"there\"}"}`),
			Versions: []inventory.TemplateVersion{
				{Version: "1", Object: profRaw(`{"TemplateName":"welcome","TemplateType":"EMAIL","Version":"1","Subject":"Hello","HtmlPart":"<p>Welcome v1</p>"}`)},
				{Version: "2"},
			}},
		{Name: "promo-sms", Type: "SMS", ActiveVersion: "1", Object: profRaw(`{"TemplateName":"promo-sms","TemplateType":"SMS","Version":"1","Body":` + string(lb) + `}`)},
		{Name: "otp-sms", Type: "SMS", ActiveVersion: "1", Object: profRaw(`{"TemplateName":"otp-sms","TemplateType":"SMS","Version":"1","Body":"Your code is {{Code}}"}`)},
		{Name: "app-push", Type: "PUSH", ActiveVersion: "1", Object: profRaw(`{"TemplateName":"app-push","TemplateType":"PUSH","Version":"1","Default":{"Body":"Hi"}}`)},
	}
}

func TestTemplateSpecsValidate(t *testing.T) {
	for _, answers := range []map[string]string{nil, {"us-east-1.sms-too-long.promo-sms": smsTruncate},
		{"us-east-1.knowledge-base": "arn:aws:wisdom:us-east-1:111122223333:knowledge-base/12345678-1234-1234-1234-123456789012"}} {
		p, d := profPlan(t, segFixture(), answers)
		if n := segValidateKinds(t, p, d, KindMessageTemplate, KindKnowledgeBase); n < 9 {
			t.Fatalf("only %d template steps", n)
		}
	}
}

func TestTemplateVersionsAndActivation(t *testing.T) {
	p, _ := profPlan(t, segFixture(), nil)
	id := StepID(KindMessageTemplate, "us-east-1", "", "EMAIL/welcome")
	create := profStep(t, p, id)
	if create.Operation != "CreateMessageTemplate" || !strings.Contains(string(create.Spec), "Welcome v2") ||
		!strings.Contains(string(create.Spec), `"customerProfileAttributes":{"custom":{"FirstName":"there"}}`) {
		t.Errorf("template = %s %s", create.Operation, create.Spec)
	}
	if create.Sources[0].Version != "2" || !contains(create.DependsOn, StepID(KindKnowledgeBase, "us-east-1", "", "templates")) {
		t.Errorf("template sources %v depends %v", create.Sources, create.DependsOn)
	}
	ver := profStep(t, p, id+"/version")
	act := profStep(t, p, id+"/activate")
	if ver.Operation != "CreateMessageTemplateVersion" || !contains(ver.DependsOn, id) ||
		act.Operation != "ActivateMessageTemplate" || !contains(act.DependsOn, id+"/version") || !strings.Contains(string(act.Spec), `"versionNumber":1`) {
		t.Errorf("version %+v activate %+v", ver, act)
	}
	// Campaign c3 pins version 1: a copy of it, and the campaign sends it.
	pin := profStep(t, p, id+"/v1")
	if pin.Sources[0].Version != "1" || !strings.Contains(string(pin.Spec), "Welcome v1") || !strings.Contains(string(pin.Spec), `"name":"welcome-v1"`) {
		t.Errorf("pinned copy = %s", pin.Spec)
	}
	profStep(t, p, id+"/v1/activate")
	c3 := profStep(t, p, "campaign/us-east-1/a1/c3")
	if !strings.Contains(string(c3.Spec), "{{step:"+id+"/v1.arn}}:{{step:"+id+"/v1.version}}") || !contains(c3.DependsOn, id+"/v1/activate") {
		t.Errorf("campaign c3 = %s %v", c3.Spec, c3.DependsOn)
	}
	// c1's inline content became templates of their own.
	c1 := profStep(t, p, "campaign/us-east-1/a1/c1")
	inl := StepID(KindMessageTemplate, "us-east-1", "", "EMAIL/campaign/a1/c1")
	if profStep(t, p, inl).Operation != "CreateMessageTemplate" || !strings.Contains(string(c1.Spec), "{{step:"+inl+".arn}}") {
		t.Errorf("inline template not used: %s", c1.Spec)
	}
	kb := profStep(t, p, StepID(KindKnowledgeBase, "us-east-1", "", "templates"))
	tr := strings.Join(kb.Transformations, "\n")
	if !strings.Contains(tr, "SMS/otp-sms (end-user-messaging)") || !contains(kb.WaitsOn, "us-east-1.knowledge-base") {
		t.Errorf("knowledge base = %v %v", kb.Transformations, kb.WaitsOn)
	}
	for _, s := range p.Steps {
		if strings.Contains(s.ID, "app-push") || strings.Contains(s.ID, "otp-sms") {
			t.Errorf("unexpected template step %s", s.ID)
		}
	}
	assoc := profStep(t, p, StepID(KindKnowledgeBase, "us-east-1", "", "instance-association"))
	if !strings.Contains(string(assoc.Spec), `"IntegrationType":"Q_MESSAGE_TEMPLATES"`) || !contains(assoc.WaitsOn, "us-east-1.connect-instance") {
		t.Errorf("association = %s %v", assoc.Spec, assoc.WaitsOn)
	}
}

func TestTemplateExistingKnowledgeBase(t *testing.T) {
	arn := "arn:aws:wisdom:us-east-1:111122223333:knowledge-base/12345678-1234-1234-1234-123456789012"
	p, _ := profPlan(t, segFixture(), map[string]string{"us-east-1.knowledge-base": arn})
	kb := profStep(t, p, StepID(KindKnowledgeBase, "us-east-1", "", "templates"))
	if kb.Action != NoOp || kb.Operation != "GetKnowledgeBase" || kb.Rollback.Policy != RollbackRetain {
		t.Errorf("existing knowledge base step = %+v", kb)
	}
	tpl := profStep(t, p, StepID(KindMessageTemplate, "us-east-1", "", "EMAIL/welcome"))
	if !strings.Contains(string(tpl.Spec), `"knowledgeBaseId":"12345678-1234-1234-1234-123456789012"`) {
		t.Errorf("template spec = %s", tpl.Spec)
	}
	for _, s := range p.Steps {
		if s.Operation == "CreateIntegrationAssociation" {
			t.Errorf("an existing knowledge base is associated again: %s", s.ID)
		}
	}
	for _, tg := range p.Targets {
		if tg.Region == "us-east-1" && tg.App == "" && tg.KnowledgeBaseID != "12345678-1234-1234-1234-123456789012" {
			t.Errorf("target knowledge base = %q", tg.KnowledgeBaseID)
		}
	}
	if _, _, err := Build(profBuildInput(t, segFixture(), map[string]string{"us-east-1.knowledge-base": "my-kb"})); err == nil || !strings.Contains(err.Error(), "us-east-1.knowledge-base") {
		t.Errorf("bad knowledge base answer: err = %v", err)
	}
}

func TestTemplateSMSLength(t *testing.T) {
	id := StepID(KindMessageTemplate, "us-east-1", "", "SMS/promo-sms")
	key := "us-east-1.sms-too-long.promo-sms"
	body := func(s Step) string {
		var spec struct {
			Content map[string]any `json:"content"`
		}
		_ = json.Unmarshal(s.Spec, &spec)
		return tplSMSText(spec.Content)
	}

	p, d := profPlan(t, segFixture(), nil)
	s := profStep(t, p, id)
	if !contains(s.WaitsOn, key) || !strings.Contains(strings.Join(s.Transformations, "\n"), "nothing is cut silently") {
		t.Errorf("long SMS: waits %v, transformations %v", s.WaitsOn, s.Transformations)
	}
	if q := profQuestion(t, d, key); strings.Join(q.Choices, ",") != "truncate,split,rewrite" {
		t.Errorf("choices = %v", q.Choices)
	}
	if !contains(profStep(t, p, "campaign/us-east-1/a1/c2").DependsOn, id+"/activate") {
		t.Errorf("campaign c2 does not wait for the template's version")
	}

	p, _ = profPlan(t, segFixture(), map[string]string{key: smsTruncate})
	s = profStep(t, p, id)
	if n := utf8.RuneCountInString(body(s)); n > translate.SMSMaxChars || n < 700 || len(s.WaitsOn) > 0 || strings.HasSuffix(body(s), "{{") {
		t.Errorf("truncated body: %d characters, waits %v", n, s.WaitsOn)
	}

	p, _ = profPlan(t, segFixture(), map[string]string{key: smsSplit})
	first, second := body(profStep(t, p, id)), body(profStep(t, p, id+"/part2"))
	if utf8.RuneCountInString(first) > translate.SMSMaxChars || !strings.HasSuffix(second, "Reply STOP to opt out.") {
		t.Errorf("split: %q / %q", first, second)
	}
	profStep(t, p, id+"/part2/activate")

	p, d = profPlan(t, segFixture(), map[string]string{key: smsRewrite})
	if s := profStep(t, p, id); !contains(s.WaitsOn, "us-east-1.sms-text.promo-sms") {
		t.Errorf("rewrite waits on %v", s.WaitsOn)
	}
	profQuestion(t, d, "us-east-1.sms-text.promo-sms")
	p, _ = profPlan(t, segFixture(), map[string]string{key: smsRewrite, "us-east-1.sms-text.promo-sms": "Sale on {{User.UserAttributes.tier}} gear. Reply STOP to opt out."})
	if s := profStep(t, p, id); len(s.WaitsOn) > 0 || body(s) != "Sale on {{Attributes.Customer.Attributes.tier}} gear. Reply STOP to opt out." {
		t.Errorf("rewritten: %q waits %v", body(s), s.WaitsOn)
	}
}

func TestTplCut(t *testing.T) {
	for _, c := range []struct {
		in   string
		max  int
		want string
	}{
		{"short", 10, "short"},
		{"one two three", 9, "one two"},
		{"hi {{Attributes.Customer.FirstName}} there", 10, "hi"},
		{"abcdefghij", 4, "abcd"},
	} {
		if got := tplCut(c.in, c.max); got != c.want {
			t.Errorf("tplCut(%q, %d) = %q, want %q", c.in, c.max, got, c.want)
		}
	}
}

// profBuildInput assesses an inventory and returns the plan input (for
// tests that expect Build to fail).
func profBuildInput(t *testing.T, inv *inventory.Inventory, answers map[string]string) *Input {
	t.Helper()
	var in *Input
	// profPlan fails the test on a Build error; build the input the same way.
	inventory.ResolveReferences(inv)
	invBytes, err := inventory.Marshal(inv)
	if err != nil {
		t.Fatal(err)
	}
	in = &Input{Inventory: inv, InventoryBytes: invBytes, Tool: "test"}
	in.Assessment, in.AssessmentBytes = tplAssess(inv, invBytes)
	d := &Decisions{Version: 1}
	for _, k := range sortedKeys(answers) {
		d.Questions = append(d.Questions, &Question{Key: k, Answer: answers[k]})
	}
	in.Decisions = d
	return in
}

func tplAssess(inv *inventory.Inventory, invBytes []byte) (*assess.Assessment, []byte) {
	a := assess.Assess(inv, invBytes, assess.Options{Tool: "test", Now: func() time.Time { return time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC) }})
	b, _ := json.Marshal(a)
	return a, b
}
