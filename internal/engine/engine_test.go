package engine

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/p2c/p2c/internal/blueprint"
	"github.com/p2c/p2c/internal/emulator"
)

const (
	rg        = "us-east-1"
	instKey   = "us-east-1.connect-instance"
	kbStep    = "knowledge-base/us-east-1/templates"
	tplStep   = "message-template/us-east-1/EMAIL/welcome"
	segStep   = "segment-definition/us-east-1/app/vip"
	domStep   = "profiles-domain/us-east-1/domain"
	otStep    = "object-type/us-east-1/PinpointEndpoint"
	campStep  = "campaign/us-east-1/app/welcome"
	assocStep = "knowledge-base/us-east-1/instance-association"
)

// handPlan is a small plan in the shape p2c plan writes: a Customer
// Profiles domain, object type and segment, a knowledge base associated
// with the instance, a template with its version and activation, the
// instance's communication limits and a campaign sending the template to
// the segment.
func handPlan(t *testing.T) *blueprint.Plan {
	inst := "{{decision:" + instKey + "|id}}"
	del := blueprint.Rollback{Policy: blueprint.RollbackDelete}
	keep := blueprint.Rollback{Policy: blueprint.RollbackRetain, Reason: "kept"}
	steps := []blueprint.Step{
		{ID: domStep, Kind: "profiles-domain", Name: "p2c-test", Service: "customer-profiles", Operation: "CreateDomain", Rollback: del,
			Spec: spec(t, M{"DomainName": "p2c-test", "DefaultExpirationDays": 366, "Tags": M{"p2c:source": "pinpoint"}})},
		{ID: otStep, Kind: "object-type", Name: "PinpointEndpoint", Service: "customer-profiles", Operation: "PutProfileObjectType", Rollback: del,
			DependsOn: []string{domStep},
			Spec: spec(t, M{"DomainName": "p2c-test", "ObjectTypeName": "PinpointEndpoint", "Description": "endpoints", "AllowProfileCreation": true,
				"Fields": M{"EndpointId": M{"ContentType": "STRING", "Source": "_source.EndpointId"},
					"EmailAddress": M{"ContentType": "EMAIL_ADDRESS", "Source": "_source.EmailAddress", "Target": "_profile.EmailAddress"},
					"Tier":         M{"ContentType": "STRING", "Source": "_source.Tier", "Target": "_profile.Attributes.Tier"}},
				"Keys": M{"PinpointEndpointId": []any{M{"FieldNames": []any{"EndpointId"}, "StandardIdentifiers": []any{"UNIQUE", "PROFILE"}}}}})},
		{ID: segStep, Kind: "segment-definition", Name: "vip", Service: "customer-profiles", Operation: "CreateSegmentDefinition", Rollback: del,
			DependsOn: []string{otStep},
			Spec: spec(t, M{"DomainName": "p2c-test", "SegmentDefinitionName": "vip", "DisplayName": "VIP",
				"SegmentGroups": M{"Include": "ALL", "Groups": []any{M{"Type": "ALL", "Dimensions": []any{
					M{"ProfileAttributes": M{"Attributes": M{"Tier": M{"DimensionType": "INCLUSIVE", "Values": []any{"gold"}}}}}}}}}})},
		{ID: kbStep, Kind: "knowledge-base", Name: "p2c-templates", Service: "qconnect", Operation: "CreateKnowledgeBase", Rollback: del,
			Spec: spec(t, M{"name": "p2c-templates", "knowledgeBaseType": "MESSAGE_TEMPLATES", "description": "templates"})},
		{ID: assocStep, Kind: "knowledge-base", Name: "Q_MESSAGE_TEMPLATES", Service: "connect", Operation: "CreateIntegrationAssociation", Rollback: del,
			DependsOn: []string{kbStep}, WaitsOn: []string{instKey},
			Spec: spec(t, M{"InstanceId": inst, "IntegrationArn": "{{step:" + kbStep + ".arn}}", "IntegrationType": "Q_MESSAGE_TEMPLATES"})},
		{ID: tplStep, Kind: "message-template", Name: "welcome", Service: "qconnect", Operation: "CreateMessageTemplate", Rollback: del,
			DependsOn: []string{kbStep},
			Spec: spec(t, M{"knowledgeBaseId": "{{step:" + kbStep + ".id}}", "name": "welcome", "channelSubtype": "EMAIL",
				"content": M{"email": M{"subject": "Welcome", "body": M{"plainText": M{"content": "Hello {{Attributes.Customer.FirstName}}"}}}}})},
		{ID: tplStep + "/version", Kind: "message-template", Name: "welcome version 1", Service: "qconnect", Operation: "CreateMessageTemplateVersion", Rollback: keep,
			DependsOn: []string{tplStep},
			Spec:      spec(t, M{"knowledgeBaseId": "{{step:" + kbStep + ".id}}", "messageTemplateId": "{{step:" + tplStep + ".id}}"})},
		{ID: tplStep + "/activate", Kind: "message-template", Name: "activate welcome version 1", Service: "qconnect", Operation: "ActivateMessageTemplate", Rollback: keep,
			DependsOn: []string{tplStep + "/version"},
			Spec:      spec(t, M{"knowledgeBaseId": "{{step:" + kbStep + ".id}}", "messageTemplateId": "{{step:" + tplStep + ".id}}", "versionNumber": 1})},
		{ID: "instance-limits/us-east-1/communication-limits", Kind: "instance-limits", Name: "communication limits", Action: blueprint.Update,
			Service: "connectcampaignsv2", Operation: "PutInstanceCommunicationLimits", Rollback: keep, WaitsOn: []string{instKey},
			Spec: spec(t, M{"connectInstanceId": inst, "communicationLimitsConfig": M{"allChannelSubtypes": M{"communicationLimitsList": []any{
				M{"frequency": 1, "maxCountPerRecipient": 2, "unit": "DAY"}}}}})},
		{ID: campStep, Kind: "campaign", Name: "Welcome", Service: "connectcampaignsv2", Operation: "CreateCampaign", Rollback: del,
			DependsOn: []string{tplStep + "/activate", segStep, assocStep}, WaitsOn: []string{instKey},
			Spec: spec(t, M{"name": "Welcome", "connectInstanceId": inst,
				"channelSubtypeConfig": M{"email": M{"outboundMode": M{"agentless": M{}},
					"defaultOutboundConfig": M{"connectSourceEmailAddress": "hello@shop.email.connect.aws",
						"wisdomTemplateArn": "{{step:" + tplStep + ".arn}}:{{step:" + tplStep + ".version}}"}}},
				"source":   M{"customerProfilesSegmentArn": "{{step:" + segStep + ".arn}}"},
				"schedule": M{"startTime": "2026-12-01T09:00:00Z", "endTime": "2027-12-01T09:00:00Z"},
				"tags":     M{"owner": "{{decision:" + instKey + "}}"}})},
		{ID: "campaign/us-east-1/app/retired", Kind: "campaign", Name: "retired", Action: blueprint.NoOp, Spec: spec(t, M{}),
			Rollback: blueprint.Rollback{Policy: blueprint.RollbackRetain, Reason: "nothing is created"}},
	}
	for i := range steps {
		steps[i].Region = rg
		if steps[i].Action == "" {
			steps[i].Action = blueprint.Create
		}
	}
	return &blueprint.Plan{SchemaVersion: blueprint.SchemaVersion, Tool: "p2c test", Steps: steps}
}

// fixture is a workspace with the hand plan and an emulator holding the
// instance the decision names.
type fixture struct {
	*env
	dir     string
	plan    *blueprint.Plan
	raw     []byte
	answers map[string]string
}

func newFixture(t *testing.T, opts emulator.Options) *fixture {
	t.Helper()
	e := newEnv(t, opts)
	arn := e.instance(rg, "shop")
	p := handPlan(t)
	dir, raw := workspace(t, p, []byte(`{"inventory":1}`), []byte(`{"assessment":1}`), []byte("decisions: answered\n"))
	return &fixture{env: e, dir: dir, plan: p, raw: raw, answers: map[string]string{instKey: arn}}
}

func (f *fixture) opts() Options {
	return Options{Dir: f.dir, Plan: f.plan, PlanBytes: f.raw, Answers: f.answers, Client: f.c}
}

func (f *fixture) apply(t *testing.T, o Options) *Result {
	t.Helper()
	res, err := Apply(context.Background(), o)
	if err != nil {
		t.Fatalf("apply: %v", err)
	}
	for _, s := range res.Steps {
		if s.Action == ActFail {
			t.Fatalf("step %s failed: %s", s.ID, s.Error)
		}
	}
	return res
}

func TestApplyHandPlan(t *testing.T) {
	f := newFixture(t, emulator.Options{})
	res := f.apply(t, f.opts())
	if res.Counts.Created != 10 || res.Counts.Skipped != 1 || res.Counts.Failed != 0 {
		t.Fatalf("counts = %+v", res.Counts)
	}
	snap := f.snapshot(rg)
	for _, want := range []string{
		"us-east-1 domain p2c-test", "us-east-1 object-type p2c-test/PinpointEndpoint", "us-east-1 segment p2c-test/vip",
		"us-east-1 knowledge-base p2c-templates", "us-east-1 template p2c-templates/welcome active=1",
		"us-east-1 template-versions p2c-templates/welcome 1", "us-east-1 association shop/Q_MESSAGE_TEMPLATES knowledge base p2c-templates", "us-east-1 campaign shop/Welcome",
	} {
		if !contains(snap, want) {
			t.Errorf("target lacks %q:\n%s", want, strings.Join(snap, "\n"))
		}
	}

	// The campaign got the template's version ARN, the segment's ARN and
	// the tags that mark it as p2c's.
	recs := journalRecords(t, f.dir)
	camp := recs[campStep]
	d := f.call(rg, "connectcampaignsv2", "DescribeCampaign", M{"id": camp.ResourceID})["campaign"].(map[string]any)
	tpl := recs[tplStep]
	cfg := asMap(asMap(asMap(d["channelSubtypeConfig"])["email"])["defaultOutboundConfig"])
	if got, want := str(cfg, "wisdomTemplateArn"), tpl.ARN+":1"; got != want {
		t.Errorf("wisdomTemplateArn = %q, want %q", got, want)
	}
	if got, want := str(asMap(d["source"]), "customerProfilesSegmentArn"), recs[segStep].ARN; got != want || want == "" {
		t.Errorf("segment arn = %q, want %q", got, want)
	}
	tags := tagMap(d["tags"])
	if tags[TagStep] != campStep || tags[TagPlan] != Sum(f.raw) || tags["owner"] != f.answers[instKey] {
		t.Errorf("campaign tags = %v", tags)
	}
	// The journal holds what rollback needs.
	if camp.Undo == nil || camp.Undo.Operation != "DeleteCampaign" || camp.Undo.Input["id"] != camp.ResourceID {
		t.Errorf("campaign undo = %+v", camp.Undo)
	}
	if recs[tplStep+"/version"].Version != "1" || recs[tplStep+"/version"].Undo != nil {
		t.Errorf("version record = %+v", recs[tplStep+"/version"])
	}
	for id, r := range recs {
		want := StatusDone
		if id == "campaign/us-east-1/app/retired" {
			want = StatusSkipped
		}
		if r.Status != want {
			t.Errorf("%s: status %s, want %s", id, r.Status, want)
		}
	}

	// Every mutating call is in the audit log, without the specs' content.
	lines := auditLines(t, f.dir)
	if len(lines) != 10 {
		t.Errorf("audit has %d lines, want 10", len(lines))
	}
	raw, _ := os.ReadFile(filepath.Join(f.dir, AuditFile))
	if strings.Contains(string(raw), "Hello") || strings.Contains(string(raw), "gold") {
		t.Errorf("audit log carries spec content:\n%s", raw)
	}
	for _, name := range []string{AuditFile, JournalFile} {
		st, err := os.Stat(filepath.Join(f.dir, name))
		if err != nil || st.Mode().Perm() != 0o600 {
			t.Errorf("%s: mode %v, %v", name, st.Mode(), err)
		}
	}
	if _, err := os.Stat(filepath.Join(f.dir, LockFile)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("lock left behind: %v", err)
	}

	// A second apply changes nothing and calls nothing that mutates.
	res = f.apply(t, f.opts())
	if res.Counts.Unchanged != 11 || res.Counts.Created+res.Counts.Adopted != 0 {
		t.Fatalf("second apply counts = %+v", res.Counts)
	}
	if n := len(auditLines(t, f.dir)); n != 10 {
		t.Errorf("second apply wrote %d audit lines", n-10)
	}
	if got := f.snapshot(rg); !reflect.DeepEqual(got, snap) {
		t.Errorf("second apply changed the target:\n%s", diff(got, snap))
	}
}

func TestApplyOpenDecisions(t *testing.T) {
	f := newFixture(t, emulator.Options{})
	o := f.opts()
	o.Answers = map[string]string{instKey: ""}
	res := f.apply(t, o)
	if len(res.Waiting) != 1 || res.Waiting[0].Decision != instKey || len(res.Waiting[0].Steps) != 3 {
		t.Fatalf("waiting = %+v", res.Waiting)
	}
	byID := map[string]StepResult{}
	for _, s := range res.Steps {
		byID[s.ID] = s
	}
	if byID[campStep].Action != ActWait || byID[tplStep+"/activate"].Action != ActCreate || byID[segStep].Action != ActCreate {
		t.Errorf("actions: campaign %s, activate %s, segment %s", byID[campStep].Action, byID[tplStep+"/activate"].Action, byID[segStep].Action)
	}
	if _, err := Apply(context.Background(), Options{Dir: f.dir, Plan: f.plan, PlanBytes: f.raw, Answers: o.Answers, Client: f.c, Step: campStep}); err == nil ||
		!strings.Contains(err.Error(), instKey) {
		t.Errorf("--step of a waiting step: %v", err)
	}
	// Answered: the rest runs; what ran before is unchanged.
	res = f.apply(t, f.opts())
	if res.Counts.Created != 3 || res.Counts.Unchanged != 8 {
		t.Errorf("counts = %+v", res.Counts)
	}
}

func TestApplyDryRun(t *testing.T) {
	f := newFixture(t, emulator.Options{})
	before := f.snapshot(rg)
	o := f.opts()
	o.DryRun = true
	res := f.apply(t, o)
	if !res.DryRun || res.Counts.Created != 10 {
		t.Errorf("dry run = %+v", res.Counts)
	}
	if got := f.snapshot(rg); !reflect.DeepEqual(got, before) {
		t.Errorf("dry run changed the target:\n%s", diff(got, before))
	}
	for _, name := range []string{JournalFile, AuditFile, LockFile} {
		if _, err := os.Stat(filepath.Join(f.dir, name)); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("dry run wrote %s", name)
		}
	}
}

// TestApplyCrashAtEveryBoundary stops apply before and after every
// mutating call (the call made, its outcome not journaled), resumes, and
// compares the target with an uninterrupted run's.
func TestApplyCrashAtEveryBoundary(t *testing.T) {
	ref := newFixture(t, emulator.Options{})
	ref.apply(t, ref.opts())
	want := ref.snapshot(rg)
	calls := len(auditLines(t, ref.dir))
	for boundary := 0; boundary < 2*calls; boundary++ {
		f := newFixture(t, emulator.Options{})
		o := f.opts()
		var seq atomic.Int32
		o.Concurrency = 1
		o.Hooks = Hooks{
			Before: func(step, op string) error { return hookAt(&seq, boundary) },
			After:  func(step, op string) error { return hookAt(&seq, boundary) },
		}
		_, err := Apply(context.Background(), o)
		if !errors.Is(err, ErrCrash) {
			t.Fatalf("boundary %d: apply = %v, want the crash", boundary, err)
		}
		// The crashed process left its lock; the next run refuses until
		// it is removed (here the "dead" process is the test itself).
		if _, err := Apply(context.Background(), f.opts()); !isLocked(err) {
			t.Fatalf("boundary %d: apply with the lock held = %v", boundary, err)
		}
		if _, err := Unlock(f.dir); err != nil {
			t.Fatal(err)
		}
		f.apply(t, f.opts())
		if got := f.snapshot(rg); !reflect.DeepEqual(got, want) {
			t.Fatalf("boundary %d: resumed run differs from an uninterrupted one:\n%s", boundary, diff(got, want))
		}
		res := f.apply(t, f.opts())
		if res.Counts.Created+res.Counts.Adopted != 0 {
			t.Fatalf("boundary %d: third apply did something: %+v", boundary, res.Counts)
		}
	}
}

// hookAt counts boundaries in call order: before call k is 2k, after it
// 2k+1; crashes at the given one. Concurrency is 1 in crash runs, so the
// numbering is the call order.
func hookAt(seq *atomic.Int32, boundary int) error {
	k := int(seq.Add(1)) - 1
	if k == boundary {
		return ErrCrash
	}
	return nil
}

func isLocked(err error) bool {
	var le *LockedError
	return errors.As(err, &le)
}

func contains(l []string, s string) bool {
	for _, x := range l {
		if x == s {
			return true
		}
	}
	return false
}

func journalRecords(t *testing.T, dir string) map[string]*Record {
	t.Helper()
	j, err := OpenJournal(filepath.Join(dir, JournalFile))
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	recs, err := j.Steps()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]*Record{}
	for _, r := range recs {
		out[r.ID] = r
	}
	return out
}

func auditLines(t *testing.T, dir string) []AuditEntry {
	t.Helper()
	fh, err := os.Open(filepath.Join(dir, AuditFile))
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	var out []AuditEntry
	sc := bufio.NewScanner(fh)
	for sc.Scan() {
		var e AuditEntry
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			t.Fatalf("audit line %q: %v", sc.Text(), err)
		}
		out = append(out, e)
	}
	return out
}

func TestApplyRefusesStaleAndEditedPlans(t *testing.T) {
	f := newFixture(t, emulator.Options{})
	before := f.snapshot(rg)

	// Stale: decisions.yaml changed after the plan was made.
	if err := os.WriteFile(filepath.Join(f.dir, "decisions.yaml"), []byte("decisions: changed\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := Apply(context.Background(), f.opts())
	var se *StaleError
	if !errors.As(err, &se) || se.File != "decisions.yaml" || !strings.Contains(err.Error(), "run p2c plan again") {
		t.Fatalf("stale plan: %v", err)
	}
	if got := f.snapshot(rg); !reflect.DeepEqual(got, before) {
		t.Fatalf("a stale plan changed the target")
	}
	if err := os.WriteFile(filepath.Join(f.dir, "decisions.yaml"), []byte("decisions: answered\n"), 0o600); err != nil {
		t.Fatal(err)
	}

	// Edited: the same inputs, another plan.json, after a first apply.
	o := f.opts()
	o.Step = kbStep
	f.apply(t, o)
	after := f.snapshot(rg)
	edited := handPlan(t)
	edited.Inputs = f.plan.Inputs
	edited.Steps[0].Spec = spec(t, M{"DomainName": "p2c-other", "DefaultExpirationDays": 366})
	raw, _ := json.Marshal(edited)
	_, err = Apply(context.Background(), Options{Dir: f.dir, Plan: edited, PlanBytes: raw, Answers: f.answers, Client: f.c})
	var ee *EditedError
	if !errors.As(err, &ee) || !strings.Contains(err.Error(), "plan.json was edited") {
		t.Fatalf("edited plan: %v", err)
	}
	if got := f.snapshot(rg); !reflect.DeepEqual(got, after) {
		t.Fatalf("an edited plan changed the target:\n%s", diff(got, after))
	}
}

func TestApplyRefusesHeldLock(t *testing.T) {
	f := newFixture(t, emulator.Options{})
	other := Owner{User: "ana", Host: "build-7.example", PID: 4242}
	lock, err := Acquire(f.dir, other)
	if err != nil {
		t.Fatal(err)
	}
	before := f.snapshot(rg)
	_, err = Apply(context.Background(), f.opts())
	if !isLocked(err) || !strings.Contains(err.Error(), "ana@build-7.example (pid 4242)") || !strings.Contains(err.Error(), "p2c unlock") {
		t.Fatalf("held lock: %v", err)
	}
	if got := f.snapshot(rg); !reflect.DeepEqual(got, before) {
		t.Fatalf("apply under a held lock changed the target")
	}
	o, err := Unlock(f.dir)
	if err != nil || o == nil || o.User != "ana" || o.Alive() {
		t.Fatalf("unlock = %+v, %v", o, err)
	}
	_ = lock
	f.apply(t, f.opts())

	// A lock left by a dead process of this host is taken over.
	dead := CurrentOwner()
	dead.PID = 1 << 22
	if _, err := Acquire(f.dir, dead); err != nil {
		t.Fatal(err)
	}
	f.apply(t, f.opts())
}

func TestApplyLeavesForeignResources(t *testing.T) {
	f := newFixture(t, emulator.Options{})
	// Someone made a domain of the plan's name by hand.
	f.call(rg, "customer-profiles", "CreateDomain", M{"DomainName": "p2c-test", "DefaultExpirationDays": 30})
	res, err := Apply(context.Background(), f.opts())
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]StepResult{}
	for _, s := range res.Steps {
		byID[s.ID] = s
	}
	d := byID[domStep]
	if d.Action != ActFail || !strings.Contains(d.Error, "was not made by p2c") || !strings.Contains(d.Error, "nothing was changed") {
		t.Fatalf("domain step = %+v", d)
	}
	if byID[otStep].Action != ActBlocked || byID[campStep].Action != ActBlocked {
		t.Errorf("dependents: object type %s, campaign %s", byID[otStep].Action, byID[campStep].Action)
	}
	if byID[tplStep].Action != ActCreate {
		t.Errorf("independent template step: %s", byID[tplStep].Action)
	}
	got := f.call(rg, "customer-profiles", "GetDomain", M{"DomainName": "p2c-test"})
	if num(got, "DefaultExpirationDays") != 30 || len(tagMap(got["Tags"])) != 0 {
		t.Errorf("the foreign domain was changed: %v", got)
	}
	if recs := journalRecords(t, f.dir); recs[domStep].Status != StatusFailed || recs[otStep].Status != StatusPending {
		t.Errorf("journal: domain %s, object type %s", recs[domStep].Status, recs[otStep].Status)
	}
}

// TestApplyUnderFaults: server errors and throttling at the real quotas
// end in the same target as a clean run.
func TestApplyUnderFaults(t *testing.T) {
	ref := newFixture(t, emulator.Options{})
	ref.apply(t, ref.opts())
	want := ref.snapshot(rg)

	f := newFixture(t, emulator.Options{})
	f.emu.SetOptions(emulator.Options{Quotas: true, ErrorRate: 0.3})
	f.c.MaxAttempts = 30
	f.apply(t, f.opts())
	f.emu.SetOptions(emulator.Options{})
	if got := f.snapshot(rg); !reflect.DeepEqual(got, want) {
		t.Fatalf("faults changed the outcome:\n%s", diff(got, want))
	}
}
