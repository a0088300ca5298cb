package engine

import (
	"context"
	"testing"
)

// TestOperationsCoverApply: every call a demo apply and verify send is in
// Operations("apply"), every plan step's operation is there, and every
// call rollback --all sends, and every undo the journal records, is in
// Operations("rollback").
func TestOperationsCoverApply(t *testing.T) {
	f := newDemoFixture(t)
	before := f.emu.Calls()
	if _, err := Apply(context.Background(), f.opts()); err != nil {
		t.Fatal(err)
	}
	if _, err := Verify(context.Background(), VerifyOptions{Dir: f.dir, Plan: f.plan, Answers: f.ans, Client: f.c}); err != nil {
		t.Fatal(err)
	}
	apply := map[string]bool{}
	for _, op := range Operations("apply") {
		apply[op] = true
	}
	for call, n := range f.emu.Calls() {
		if n > before[call] && !apply[call] {
			t.Errorf("apply sent %s, which Operations(\"apply\") lacks", call)
		}
	}
	for _, st := range f.plan.Steps {
		if provisionerFor(&st) == nil {
			continue // not applied by p2c (proposals, retained steps)
		}
		if call := signingName(st.Service) + ":" + st.Operation; !apply[call] {
			t.Errorf("step %s: %s not in Operations(\"apply\")", st.ID, call)
		}
	}
	rollback := map[string]bool{}
	for _, op := range Operations("rollback") {
		rollback[op] = true
	}
	undos := 0
	for id, r := range journalRecords(t, f.dir) {
		if r.Undo == nil {
			continue
		}
		undos++
		if call := signingName(r.Undo.Service) + ":" + r.Undo.Operation; !rollback[call] {
			t.Errorf("%s: undo %s not in Operations(\"rollback\")", id, call)
		}
	}
	if undos == 0 {
		t.Error("the journal records no undo call")
	}
	before = f.emu.Calls()
	if _, err := Rollback(context.Background(), RollbackOptions{Dir: f.dir, Plan: f.plan, Client: f.c, All: true}); err != nil {
		t.Fatal(err)
	}
	sent := 0
	for call, n := range f.emu.Calls() {
		if n > before[call] {
			sent++
			if !rollback[call] {
				t.Errorf("rollback sent %s, which Operations(\"rollback\") lacks", call)
			}
		}
	}
	if sent == 0 {
		t.Error("rollback --all sent nothing")
	}
}
