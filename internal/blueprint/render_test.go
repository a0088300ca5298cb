package blueprint

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/p2c/p2c/internal/assess"
	"github.com/p2c/p2c/internal/awsmodel"
	"github.com/p2c/p2c/internal/emulator"
	"github.com/p2c/p2c/internal/emulator/demoseed"
	"github.com/p2c/p2c/internal/emulator/emutest"
	"github.com/p2c/p2c/internal/inventory"
	"github.com/p2c/p2c/internal/source/live"
	"github.com/p2c/p2c/internal/source/saved"
)

var update = flag.Bool("update", false, "rewrite the golden plans in testdata")

var goldenNow = time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)

// rdInputs are an inventory and its assessment, as bytes.
type rdInputs struct {
	inv      *inventory.Inventory
	invBytes []byte
	asmBytes []byte
}

var (
	rdDemoOnce, rdCorpusOnce sync.Once
	rdDemo, rdCorpus         *rdInputs
	rdDemoErr, rdCorpusErr   error
)

const rdCorpusDir = "../../../shared/corpus/pinpoint"

// rdDemoInputs scans the emulator seeded with the demo account (once per
// test binary) and assesses it.
func rdDemoInputs(t *testing.T) *rdInputs {
	t.Helper()
	if testing.Short() {
		t.Skip("scans the demo account: skipped with -short")
	}
	rdDemoOnce.Do(func() {
		e := emulator.New(emulator.Options{})
		clock := func() time.Time { return time.Date(2026, 9, 1, 8, 0, 0, 0, time.UTC) }
		e.Pinpoint.SetClock(clock)
		if _, err := e.Apply(demoseed.Demo()); err != nil {
			rdDemoErr = err
			return
		}
		cfg := emutest.Config(emutest.Serve(t, e.Server))
		inv, err := live.Scan(context.Background(), cfg, live.Options{Regions: []string{"us-east-1", "eu-west-1"}, Now: clock, KPIDays: -1})
		if err != nil {
			rdDemoErr = err
			return
		}
		rdDemo, rdDemoErr = rdAssess(inventory.Merge([]*inventory.Inventory{inv}))
	})
	if rdDemoErr != nil {
		t.Fatal(rdDemoErr)
	}
	return rdDemo
}

// rdCorpusInputs loads the saved Pinpoint corpus and assesses it.
func rdCorpusInputs(t *testing.T) *rdInputs {
	t.Helper()
	if _, err := os.Stat(rdCorpusDir); err != nil {
		t.Skipf("the Pinpoint corpus is not at %s: %v", rdCorpusDir, err)
	}
	rdCorpusOnce.Do(func() {
		res, err := saved.Load(context.Background(), []string{rdCorpusDir}, saved.Options{DefaultRegion: "us-east-1"})
		if err != nil {
			rdCorpusErr = err
			return
		}
		for _, f := range res.Fragments {
			// File times differ between checkouts.
			for i := range f.Sources {
				f.Sources[i].ReadAt = time.Time{}
			}
			f.ScannedAt = time.Time{}
		}
		rdCorpus, rdCorpusErr = rdAssess(inventory.Merge(res.Fragments))
	})
	if rdCorpusErr != nil {
		t.Fatal(rdCorpusErr)
	}
	return rdCorpus
}

func rdAssess(inv *inventory.Inventory) (*rdInputs, error) {
	b, err := inventory.Marshal(inv)
	if err != nil {
		return nil, err
	}
	a := assess.Assess(inv, b, assess.Options{Tool: "p2c test", Now: func() time.Time { return goldenNow }})
	ab, err := json.MarshalIndent(a, "", "  ")
	if err != nil {
		return nil, err
	}
	return &rdInputs{inv: inv, invBytes: b, asmBytes: ab}, nil
}

// rdPlan plans the inputs the way a rehearsal does: plan, accept every
// suggestion, plan again, until no new question comes up. It returns the
// plan.json and decisions.yaml bytes as p2c plan writes them.
func rdPlan(t *testing.T, in *rdInputs, acceptSuggested bool) (*Plan, *Decisions, []byte, []byte) {
	t.Helper()
	var decBytes []byte
	for round := 0; ; round++ {
		var dec *Decisions
		if decBytes != nil {
			var err error
			if dec, err = ParseDecisions("decisions.yaml", decBytes); err != nil {
				t.Fatal(err)
			}
		}
		a := &assess.Assessment{}
		if err := json.Unmarshal(in.asmBytes, a); err != nil {
			t.Fatal(err)
		}
		p, decided, err := Build(&Input{Inventory: in.inv, InventoryBytes: in.invBytes, Assessment: a, AssessmentBytes: in.asmBytes,
			Decisions: dec, DecisionsBytes: decBytes, Tool: "p2c test"})
		if err != nil {
			t.Fatal(err)
		}
		if err := CheckDecisions("decisions.yaml", decBytes, decided); err != nil {
			t.Fatal(err)
		}
		newDec, err := MarshalDecisions(decided)
		if err != nil {
			t.Fatal(err)
		}
		p.BindDecisions(newDec)
		planBytes, err := json.MarshalIndent(p, "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		planBytes = append(planBytes, '\n')
		if !acceptSuggested || round >= 6 || len(decided.AcceptSuggested()) == 0 {
			return p, decided, planBytes, newDec
		}
		if decBytes, err = MarshalDecisions(decided); err != nil {
			t.Fatal(err)
		}
	}
}

// rdGolden compares got with testdata/name, or rewrites it with -update.
func rdGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./internal/blueprint -run TestGolden -update)", err)
	}
	if !bytes.Equal(got, want) {
		gl, wl := bytes.Split(got, []byte("\n")), bytes.Split(want, []byte("\n"))
		for i := range min(len(gl), len(wl)) {
			if !bytes.Equal(gl[i], wl[i]) {
				t.Fatalf("%s differs at line %d:\ngot:  %s\nwant: %s\n(run with -update after checking the change)", path, i+1, gl[i], wl[i])
			}
		}
		t.Fatalf("%s differs in length (run with -update after checking the change)", path)
	}
}

// rdGoldenPlan pins a plan without its input hashes (inventories carry
// read times), with its decisions file and text rendering beside it.
func rdGoldenPlan(t *testing.T, name string, in *rdInputs) {
	p, _, _, decBytes := rdPlan(t, in, true)
	p.Inputs = Inputs{InventorySHA256: "(not compared)", AssessmentSHA256: "(not compared)", DecisionsSHA256: "(not compared)"}
	b, err := json.MarshalIndent(p, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	rdGolden(t, name+".plan.golden.json", append(b, '\n'))
	rdGolden(t, name+".decisions.golden.yaml", decBytes)
	var txt bytes.Buffer
	if err := RenderText(&txt, p); err != nil {
		t.Fatal(err)
	}
	rdGolden(t, name+".plan.golden.txt", txt.Bytes())
	rdCheckSpecs(t, p)
}

// rdCheckSpecs: every step's spec is valid input of its operation, but
// for placeholders apply fills in (the stages' own tests check those).
func rdCheckSpecs(t *testing.T, p *Plan) {
	t.Helper()
	for _, s := range p.Steps {
		if s.Service == "" {
			continue // a proposal or a record, not an API call
		}
		m, err := awsmodel.Load(s.Service)
		if err != nil {
			t.Errorf("%s: %v", s.ID, err)
			continue
		}
		op := m.Operations[s.Operation]
		if op == nil {
			t.Errorf("%s: no operation %s in %s", s.ID, s.Operation, s.Service)
			continue
		}
		var v any
		if err := json.Unmarshal(s.Spec, &v); err != nil {
			t.Errorf("%s: %v", s.ID, err)
			continue
		}
		for _, pr := range m.Validate(op.Input.Shape, v, true) {
			if !strings.Contains(pr.String(), "{{") {
				t.Errorf("%s: %s", s.ID, pr)
			}
		}
	}
}

func TestGoldenPlanDemo(t *testing.T)   { rdGoldenPlan(t, "demo", rdDemoInputs(t)) }
func TestGoldenPlanCorpus(t *testing.T) { rdGoldenPlan(t, "corpus", rdCorpusInputs(t)) }

// TestPlanDeterministic: the same inputs give byte-identical plan.json
// and decisions.yaml.
func TestPlanDeterministic(t *testing.T) {
	for name, in := range map[string]func(*testing.T) *rdInputs{"demo": rdDemoInputs, "corpus": rdCorpusInputs} {
		t.Run(name, func(t *testing.T) {
			inputs := in(t)
			for _, accept := range []bool{false, true} {
				_, _, p1, d1 := rdPlan(t, inputs, accept)
				_, _, p2, d2 := rdPlan(t, inputs, accept)
				if !bytes.Equal(p1, p2) {
					t.Errorf("accept=%v: plan.json differs between two builds", accept)
				}
				if !bytes.Equal(d1, d2) {
					t.Errorf("accept=%v: decisions.yaml differs between two builds", accept)
				}
			}
		})
	}
}

// TestPlanKeepsAnswers: re-planning keeps given answers, and the plan's
// decisions hash is the written file's.
func TestPlanKeepsAnswers(t *testing.T) {
	in := rdDemoInputs(t)
	p, decided, _, decBytes := rdPlan(t, in, true)
	if p.Inputs.DecisionsSHA256 != sum(decBytes) {
		t.Errorf("plan records %s, decisions.yaml is %s", p.Inputs.DecisionsSHA256, sum(decBytes))
	}
	answered := 0
	for _, q := range decided.Questions {
		if q.Answer != "" {
			answered++
		}
	}
	if answered == 0 && len(decided.Questions) > 0 {
		t.Fatalf("accept-suggested answered nothing")
	}
	again, err := ParseDecisions("decisions.yaml", decBytes)
	if err != nil {
		t.Fatal(err)
	}
	a := &assess.Assessment{}
	if err := json.Unmarshal(in.asmBytes, a); err != nil {
		t.Fatal(err)
	}
	_, decided2, err := Build(&Input{Inventory: in.inv, InventoryBytes: in.invBytes, Assessment: a, AssessmentBytes: in.asmBytes, Decisions: again, DecisionsBytes: decBytes})
	if err != nil {
		t.Fatal(err)
	}
	b2, _ := MarshalDecisions(decided2)
	if !bytes.Equal(b2, decBytes) {
		t.Errorf("re-planning changed decisions.yaml")
	}
}

func TestPlanRefusesOtherInventory(t *testing.T) {
	in := rdCorpusInputs(t)
	a := &assess.Assessment{}
	if err := json.Unmarshal(in.asmBytes, a); err != nil {
		t.Fatal(err)
	}
	other := append(append([]byte(nil), in.invBytes...), ' ')
	_, _, err := Build(&Input{Inventory: in.inv, InventoryBytes: other, Assessment: a, AssessmentBytes: in.asmBytes})
	if err == nil || !strings.Contains(err.Error(), "another inventory") {
		t.Errorf("err = %v", err)
	}
}

func TestRenderText(t *testing.T) {
	p := &Plan{Steps: []Step{
		{ID: "profiles-domain/us-east-1/p2c", Region: "us-east-1", Kind: "profiles-domain", Name: "p2c", Action: Create, Rollback: Rollback{Policy: RollbackRetain, Reason: "exists"}},
		{ID: "segment-definition/us-east-1/a1/vip", Region: "us-east-1", App: "a1", AppName: "Shop", Kind: "segment-definition", Name: "vip", Action: Create},
		{ID: "campaign/us-east-1/a1/c1", Region: "us-east-1", App: "a1", AppName: "Shop", Kind: "campaign", Name: "Spring", Action: Create, WaitsOn: []string{"us-east-1.connect-instance"}},
		{ID: "campaign/us-east-1/a1/c2", Region: "us-east-1", App: "a1", AppName: "Shop", Kind: "campaign", Name: "Old", Action: Delete},
		{ID: "instance-limits/us-east-1/x", Region: "us-east-1", Kind: "instance-limits", Name: "limits", Action: Update},
		{ID: "campaign/eu-west-1/a2/j", Region: "eu-west-1", App: "a2", AppName: "Blog", Kind: "journey-proposal", Name: "Onboarding", Action: NoOp, Redesign: true},
	}, OpenDecisions: []string{"us-east-1.connect-instance"},
		Quotas: []QuotaCheck{{Region: "us-east-1", Scope: "instance", Quota: "campaigns", Limit: 1, Planned: 2}}}
	p.Summary = summarize(p)
	var b bytes.Buffer
	if err := RenderText(&b, p); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{
		"us-east-1 · shared: 2 steps (1 +, 1 ~)",
		"us-east-1 · app Shop (a1): 3 steps (1 +, 1 -, 1 !)",
		"    + create  p2c",
		"! create  Spring",
		"waits on decision us-east-1.connect-instance",
		"    - delete  Old",
		"    ~ update  limits",
		"    = no-op  Onboarding",
		"redesign",
		"retained on rollback",
		"Plan: 6 steps, 3 to create, 1 to update, 1 no-op, 1 to delete, 1 waiting on decisions, 1 redesign proposals.",
		"Quotas: 1 of 1 over",
		"Open decisions (1):",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Index(out, "eu-west-1") > strings.Index(out, "us-east-1") {
		t.Errorf("regions out of order:\n%s", out)
	}
	if strings.Index(out, "· shared") > strings.Index(out, "· app Shop") {
		t.Errorf("shared resources must come before the apps:\n%s", out)
	}
}
