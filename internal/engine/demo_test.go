package engine

import (
	"context"
	"encoding/json"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/p2c/p2c/internal/assess"
	"github.com/p2c/p2c/internal/blueprint"
	"github.com/p2c/p2c/internal/emulator"
	"github.com/p2c/p2c/internal/emulator/demoseed"
	"github.com/p2c/p2c/internal/emulator/emutest"
	"github.com/p2c/p2c/internal/inventory"
	"github.com/p2c/p2c/internal/source/live"
)

// demoFixture: the demo account scanned, assessed and planned as a
// rehearsal does, with the Connect instances the decisions name made in
// the emulator first.
type demoFixture struct {
	*env
	dir  string
	plan *blueprint.Plan
	raw  []byte
	ans  map[string]string
}

// demoInputs are the demo account's inventory, assessment and plan,
// made once per test binary: scanning is the slow part.
var demoInputs struct {
	once                    sync.Once
	err                     error
	inv, asm, dec, planJSON []byte
	plan                    *blueprint.Plan
}

// newDemoEmulator is the demo account, source and target side.
func newDemoEmulator(t *testing.T) *env {
	e := newEnv(t, emulator.Options{})
	e.emu.Pinpoint.SetClock(demoClock)
	if _, err := e.emu.Apply(demoseed.Demo()); err != nil {
		t.Fatal(err)
	}
	return e
}

func demoClock() time.Time { return time.Date(2026, 9, 1, 8, 0, 0, 0, time.UTC) }

func newDemoFixture(t *testing.T) *demoFixture {
	t.Helper()
	if testing.Short() {
		t.Skip("scans and plans the demo account: skipped with -short")
	}
	e := newDemoEmulator(t)
	demoInputs.once.Do(func() { demoInputs.err = planDemo(e) })
	if demoInputs.err != nil {
		t.Fatal(demoInputs.err)
	}
	in := &demoInputs
	var p blueprint.Plan
	if err := json.Unmarshal(in.planJSON, &p); err != nil {
		t.Fatal(err)
	}
	dir, raw := workspace(t, &p, in.inv, in.asm, in.dec)
	dec, err := blueprint.ParseDecisions("decisions.yaml", in.dec)
	if err != nil {
		t.Fatal(err)
	}
	return &demoFixture{env: e, dir: dir, plan: &p, raw: raw, ans: Answers(dec)}
}

// planDemo scans e, assesses and plans as a rehearsal does: the Connect
// instance questions answered with the seeded instances, every other
// suggestion accepted.
func planDemo(e *env) error {
	ctx := context.Background()
	inv, err := live.Scan(ctx, emutest.Config(e.url), live.Options{Regions: []string{"us-east-1", "eu-west-1"}, Now: demoClock, KPIDays: -1})
	if err != nil {
		return err
	}
	inv = inventory.Merge([]*inventory.Inventory{inv})
	invBytes, err := inventory.Marshal(inv)
	if err != nil {
		return err
	}
	a := assess.Assess(inv, invBytes, assess.Options{Tool: "p2c test", Now: demoClock})
	asmBytes, err := json.MarshalIndent(a, "", "  ")
	if err != nil {
		return err
	}
	instances := map[string]string{}
	for _, rg := range []string{"us-east-1", "eu-west-1"} {
		res, err := e.c.Call(ctx, "connect", rg, "ListInstances", M{})
		if err != nil {
			return err
		}
		for _, it := range list(res.Output, "InstanceSummaryList") {
			if instances[rg] == "" {
				instances[rg] = str(asMap(it), "Arn")
			}
		}
	}
	var decBytes []byte
	var p *blueprint.Plan
	for round := 0; round < 8; round++ {
		var dec *blueprint.Decisions
		if decBytes != nil {
			if dec, err = blueprint.ParseDecisions("decisions.yaml", decBytes); err != nil {
				return err
			}
		}
		var decided *blueprint.Decisions
		p, decided, err = blueprint.Build(&blueprint.Input{Inventory: inv, InventoryBytes: invBytes, Assessment: a, AssessmentBytes: asmBytes,
			Decisions: dec, DecisionsBytes: decBytes, Tool: "p2c test"})
		if err != nil {
			return err
		}
		changed := false
		for _, key := range decided.Open() {
			if rg, ok := strings.CutSuffix(key, ".connect-instance"); ok && instances[rg] != "" {
				if err := decided.SetAnswer(key, instances[rg]); err != nil {
					return err
				}
				changed = true
			}
		}
		if len(decided.AcceptSuggested()) > 0 {
			changed = true
		}
		newDec, err := blueprint.MarshalDecisions(decided)
		if err != nil {
			return err
		}
		if !changed && decBytes != nil {
			break
		}
		decBytes = newDec
	}
	p.BindDecisions(decBytes)
	planJSON, err := json.Marshal(p)
	if err != nil {
		return err
	}
	demoInputs.inv, demoInputs.asm, demoInputs.dec, demoInputs.planJSON, demoInputs.plan = invBytes, asmBytes, decBytes, planJSON, p
	return nil
}

func (f *demoFixture) opts() Options {
	return Options{Dir: f.dir, Plan: f.plan, PlanBytes: f.raw, Answers: f.ans, Client: f.c}
}

// outcome is what a demo apply left: the target's resources and each
// step's journal status.
func (f *demoFixture) outcome(t *testing.T) ([]string, map[string]string) {
	t.Helper()
	st := map[string]string{}
	for id, r := range journalRecords(t, f.dir) {
		st[id] = r.Status
	}
	snap := f.snapshot("us-east-1", "eu-west-1")
	snap = append(snap, f.sesDestinations("us-east-1", "northwind-transactional", "northwind-rewards", "northwind-marketing")...)
	snap = append(snap, f.sesDestinations("eu-west-1", "northwind-eu")...)
	return snap, st
}

func TestApplyDemoPlan(t *testing.T) {
	f := newDemoFixture(t)
	res, err := Apply(context.Background(), f.opts())
	if err != nil {
		t.Fatal(err)
	}
	if res.Counts.Created < 80 {
		t.Errorf("created %d steps: %+v", res.Counts.Created, res.Counts)
	}
	for _, s := range res.Steps {
		if s.Action == ActFail {
			t.Logf("failed (a plan or prerequisite problem, named): %s: %s", s.ID, s.Error)
		}
	}
	// Boundaries: before every call, and after every call that succeeded.
	hooks := 0
	for _, e := range auditLines(t, f.dir) {
		hooks++
		if e.Outcome == "ok" {
			hooks++
		}
	}
	snap, status := f.outcome(t)
	for _, want := range []string{"us-east-1 domain p2c-us-east-1", "eu-west-1 domain p2c-eu-west-1", "us-east-1 knowledge-base p2c-us-east-1-message-templates"} {
		if !contains(snap, want) {
			t.Errorf("target lacks %q", want)
		}
	}
	// Nothing twice, and a second apply changes nothing.
	seen := map[string]bool{}
	for _, s := range snap {
		if seen[s] {
			t.Errorf("duplicate: %s", s)
		}
		seen[s] = true
	}
	res2, err := Apply(context.Background(), f.opts())
	if err != nil {
		t.Fatal(err)
	}
	if res2.Counts.Created+res2.Counts.Adopted != 0 {
		t.Errorf("second apply: %+v", res2.Counts)
	}
	snap2, status2 := f.outcome(t)
	if !reflect.DeepEqual(snap2, snap) {
		t.Errorf("second apply changed the target:\n%s", diff(snap2, snap))
	}
	for id, s := range status {
		if status2[id] != s && s != StatusFailed {
			t.Errorf("%s: %s then %s", id, s, status2[id])
		}
	}

	// The same plan, interrupted at a spread of call boundaries, resumed
	// under throttling at real quotas (scaled up) and server errors, ends
	// the same.
	for _, boundary := range []int{hooks / 3, 2*hooks/3 + 1, hooks - 1} {
		g := newDemoFixture(t)
		var seq atomic.Int32
		o := g.opts()
		o.Hooks = Hooks{Before: func(string, string) error { return hookAt(&seq, boundary) }, After: func(string, string) error { return hookAt(&seq, boundary) }}
		if _, err := Apply(context.Background(), o); err != ErrCrash {
			t.Fatalf("boundary %d: %v", boundary, err)
		}
		if _, err := Unlock(g.dir); err != nil {
			t.Fatal(err)
		}
		g.emu.SetOptions(emulator.Options{Quotas: true, QuotaScale: 20, ErrorRate: 0.1})
		g.c.MaxAttempts = 30
		if _, err := Apply(context.Background(), g.opts()); err != nil {
			t.Fatal(err)
		}
		g.emu.SetOptions(emulator.Options{})
		got, gotStatus := g.outcome(t)
		if !reflect.DeepEqual(got, snap) {
			t.Fatalf("boundary %d: resumed demo apply differs:\n%s", boundary, diff(got, snap))
		}
		for id, s := range status {
			if gotStatus[id] != s {
				t.Errorf("boundary %d: %s is %s, want %s", boundary, id, gotStatus[id], s)
			}
		}
	}
}
