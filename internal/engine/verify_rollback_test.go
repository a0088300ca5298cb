package engine

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/p2c/p2c/internal/emulator"
)

const limitsStep = "instance-limits/us-east-1/communication-limits"

func (f *fixture) verify(t *testing.T) *VerifyResult {
	t.Helper()
	res, err := Verify(context.Background(), VerifyOptions{Dir: f.dir, Plan: f.plan, Answers: f.answers, Client: f.c})
	if err != nil {
		t.Fatalf("verify: %v", err)
	}
	return res
}

func (f *fixture) rollback(t *testing.T, o RollbackOptions) *RollbackResult {
	t.Helper()
	o.Dir, o.Plan, o.Client = f.dir, f.plan, f.c
	res, err := Rollback(context.Background(), o)
	if err != nil {
		t.Fatalf("rollback: %v", err)
	}
	return res
}

func verifyStatus(res *VerifyResult, id string) VerifyStep {
	for _, s := range res.Steps {
		if s.ID == id {
			return s
		}
	}
	return VerifyStep{}
}

func withoutLimits(snap []string) []string {
	var out []string
	for _, s := range snap {
		if !strings.Contains(s, " limits ") {
			out = append(out, s)
		}
	}
	return out
}

func TestVerifyAfterApply(t *testing.T) {
	f := newFixture(t, emulator.Options{})
	f.apply(t, f.opts())
	res := f.verify(t)
	if !res.Passed || res.Counts.Drift+res.Counts.Missing+res.Counts.Errors != 0 {
		t.Fatalf("verify after apply: %+v\n%+v", res.Counts, res.Steps)
	}
	if res.Counts.OK != 9 || res.Counts.NotRead != 1 || res.Counts.Skipped != 1 {
		t.Errorf("counts = %+v", res.Counts)
	}
	st, err := os.Stat(filepath.Join(f.dir, VerifyFile))
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("verify.json: %v %v", st, err)
	}

	// A template changed outside p2c is drift, naming the member.
	recs := journalRecords(t, f.dir)
	f.call(rg, "qconnect", "UpdateMessageTemplate", M{"knowledgeBaseId": recs[kbStep].ResourceID, "messageTemplateId": recs[tplStep].ResourceID,
		"content": M{"email": M{"subject": "Changed", "body": M{"plainText": M{"content": "Hello {{Attributes.Customer.FirstName}}"}}}}})
	// Limits changed too: a put step is compared as well.
	f.call(rg, "connectcampaignsv2", "PutInstanceCommunicationLimits", M{"connectInstanceId": f.answers[instKey][strings.LastIndex(f.answers[instKey], "/")+1:],
		"communicationLimitsConfig": M{"allChannelSubtypes": M{"communicationLimitsList": []any{M{"frequency": 1, "maxCountPerRecipient": 5, "unit": "DAY"}}}}})
	// And a segment deleted outside p2c is missing.
	f.call(rg, "customer-profiles", "DeleteSegmentDefinition", M{"DomainName": "p2c-test", "SegmentDefinitionName": "vip"})

	res = f.verify(t)
	if res.Passed {
		t.Fatal("verify passed after drift")
	}
	s := verifyStatus(res, tplStep)
	if s.Status != VerifyDrift || len(s.Differences) != 1 || s.Differences[0].Path != "content.email.subject" || s.Differences[0].Got != "Changed" {
		t.Errorf("template: %+v", s)
	}
	if s := verifyStatus(res, limitsStep); s.Status != VerifyDrift ||
		s.Differences[0].Path != "communicationLimitsConfig.allChannelSubtypes.communicationLimitsList[0].maxCountPerRecipient" {
		t.Errorf("limits: %+v", s)
	}
	if s := verifyStatus(res, segStep); s.Status != VerifyMissing {
		t.Errorf("segment: %+v", s)
	}
	if res.Counts.Drift != 2 || res.Counts.Missing != 1 {
		t.Errorf("counts = %+v", res.Counts)
	}
}

func TestVerifyPendingIsPrerequisite(t *testing.T) {
	f := newFixture(t, emulator.Options{})
	answers := f.answers
	f.answers = map[string]string{}
	f.apply(t, f.opts())
	res := f.verify(t)
	s := verifyStatus(res, campStep)
	if s.Status != VerifyPrereq || len(s.WaitsOn) != 1 || s.WaitsOn[0] != instKey {
		t.Errorf("campaign: %+v", s)
	}
	if !res.Passed || res.Counts.Prereq != 3 {
		t.Errorf("counts = %+v passed=%v", res.Counts, res.Passed)
	}
	f.answers = answers
}

func TestRollbackAllAndReapply(t *testing.T) {
	f := newFixture(t, emulator.Options{})
	before := withoutLimits(f.snapshot(rg))
	f.apply(t, f.opts())
	applied := f.snapshot(rg)

	// A running campaign is stopped before it is deleted.
	recs := journalRecords(t, f.dir)
	f.call(rg, "connectcampaignsv2", "StartCampaign", M{"id": recs[campStep].ResourceID})

	res := f.rollback(t, RollbackOptions{All: true})
	if res.Failed != 0 || res.Retained != 1 {
		t.Fatalf("rollback: %+v", res)
	}
	var kept RollbackStep
	for _, s := range res.Steps {
		if s.ID == limitsStep {
			kept = s
		}
	}
	if kept.Action != RbRetain || kept.Reason != "kept" {
		t.Errorf("limits step: %+v", kept)
	}
	if got := withoutLimits(f.snapshot(rg)); diff(got, before) != "" {
		t.Fatalf("after rollback --all the target differs from before apply:\n%s", diff(got, before))
	}
	if got := f.snapshot(rg); !contains(got, "us-east-1 limits shop {\"allChannelSubtypes\":{\"communicationLimitsList\":[{\"frequency\":1,\"maxCountPerRecipient\":2,\"unit\":\"DAY\"}]}}") {
		t.Errorf("retained limits gone:\n%s", strings.Join(got, "\n"))
	}
	recs = journalRecords(t, f.dir)
	for id, r := range recs {
		want := StatusRolledBack
		switch id {
		case limitsStep:
			want = StatusDone
		case "campaign/us-east-1/app/retired":
			want = StatusSkipped
		}
		if r.Status != want {
			t.Errorf("%s: %s, want %s", id, r.Status, want)
		}
	}
	var ops []string
	for _, l := range auditLines(t, f.dir)[10:] {
		ops = append(ops, l.Operation)
	}
	if got := strings.Join(ops, " "); got != "StopCampaign DeleteCampaign DeleteMessageTemplate DeleteIntegrationAssociation DeleteKnowledgeBase DeleteSegmentDefinition DeleteProfileObjectType DeleteDomain" {
		t.Errorf("audited rollback calls: %s", got)
	}
	v := f.verify(t)
	if !v.Passed || v.Counts.RolledBack != 9 {
		t.Errorf("verify after rollback: %+v", v.Counts)
	}

	// Apply after rollback makes everything again.
	f.apply(t, f.opts())
	if got := f.snapshot(rg); diff(got, applied) != "" {
		t.Fatalf("apply after rollback:\n%s", diff(got, applied))
	}
	if v := f.verify(t); !v.Passed || v.Counts.OK != 9 {
		t.Errorf("verify after re-apply: %+v %+v", v.Counts, v.Steps)
	}
	// A second rollback of nothing done changes nothing.
	f.rollback(t, RollbackOptions{All: true})
	n := len(auditLines(t, f.dir))
	if res := f.rollback(t, RollbackOptions{All: true}); res.Removed != 0 || len(auditLines(t, f.dir)) != n {
		t.Errorf("second rollback: %+v", res)
	}
}

func TestRollbackStep(t *testing.T) {
	f := newFixture(t, emulator.Options{})
	f.apply(t, f.opts())
	if _, err := Rollback(context.Background(), RollbackOptions{Dir: f.dir, Plan: f.plan, Client: f.c, Step: segStep}); err == nil ||
		!strings.Contains(err.Error(), "done steps depend on it: "+campStep) {
		t.Errorf("rollback of a step others depend on: %v", err)
	}
	if _, err := Rollback(context.Background(), RollbackOptions{Dir: f.dir, Plan: f.plan, Client: f.c, Step: limitsStep}); err == nil ||
		!strings.Contains(err.Error(), "kept on rollback: kept") {
		t.Errorf("rollback of a retain step: %v", err)
	}
	if _, err := Rollback(context.Background(), RollbackOptions{Dir: f.dir, Plan: f.plan, Client: f.c}); err == nil {
		t.Error("rollback with neither --step nor --all")
	}
	res := f.rollback(t, RollbackOptions{Step: campStep})
	if res.Removed != 1 || len(res.Steps) != 1 || res.Steps[0].Action != RbRemoved {
		t.Fatalf("rollback --step: %+v", res)
	}
	for _, s := range f.snapshot(rg) {
		if strings.Contains(s, " campaign ") {
			t.Errorf("campaign still there: %s", s)
		}
	}
	v := f.verify(t)
	if s := verifyStatus(v, campStep); s.Status != VerifyRolledBack || !v.Passed || v.Counts.OK != 8 {
		t.Errorf("verify: %+v %+v", s, v.Counts)
	}
	// Its dependency can go now.
	if res := f.rollback(t, RollbackOptions{Step: segStep}); res.Removed != 1 {
		t.Errorf("rollback segment: %+v", res)
	}
	res2 := f.apply(t, f.opts())
	if res2.Counts.Created != 2 {
		t.Errorf("re-apply: %+v", res2.Counts)
	}
}

func TestRollbackTakesTheLock(t *testing.T) {
	f := newFixture(t, emulator.Options{})
	f.apply(t, f.opts())
	l, err := Acquire(f.dir, CurrentOwner())
	if err != nil {
		t.Fatal(err)
	}
	defer l.Release()
	_, err = Rollback(context.Background(), RollbackOptions{Dir: f.dir, Plan: f.plan, Client: f.c, All: true})
	if _, ok := err.(*LockedError); !ok {
		t.Errorf("rollback with the lock held: %v", err)
	}
}
