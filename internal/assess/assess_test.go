package assess

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/p2c/p2c/internal/inventory"
)

var update = flag.Bool("update", false, "rewrite golden files and docs/rules.md")

// TestRulesDoc keeps docs/rules.md generated from the catalogue.
func TestRulesDoc(t *testing.T) {
	path := filepath.Join("..", "..", "docs", "rules.md")
	want := RulesMarkdown()
	if *update {
		if err := os.WriteFile(path, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./internal/assess -run TestRulesDoc -update)", err)
	}
	if string(got) != want {
		t.Errorf("docs/rules.md is out of date: run go test ./internal/assess -run TestRulesDoc -update")
	}
}

func TestCatalogueWellFormed(t *testing.T) {
	for _, r := range Catalogue() {
		if r.Title == "" || r.Doc == "" || r.Check == nil || !strings.Contains(r.ID, "-") {
			t.Errorf("rule %s is incomplete", r.ID)
		}
		if (r.Class == Manual || r.Class == Redesign) && r.Phase == "" {
			t.Errorf("rule %s needs a checklist phase", r.ID)
		}
	}
}

// fixture builds a one-app inventory from wire objects.
type fixture struct {
	inv *inventory.Inventory
}

func newFixture() *fixture {
	inv := &inventory.Inventory{SchemaVersion: inventory.SchemaVersion, ScannedAt: time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC),
		Regions: []inventory.Region{{Name: "us-east-1", Apps: []inventory.App{{ID: "app1", Name: "shop", Object: raw(`{"Id":"app1","Name":"shop"}`)}}}}}
	return &fixture{inv: inv}
}

func raw(s string) json.RawMessage { return json.RawMessage(s) }

func (f *fixture) app() *inventory.App { return &f.inv.Regions[0].Apps[0] }

func (f *fixture) assess(t *testing.T) *Assessment {
	t.Helper()
	inventory.ResolveReferences(f.inv)
	b, err := inventory.Marshal(f.inv)
	if err != nil {
		t.Fatal(err)
	}
	return Assess(f.inv, b, Options{Tool: "test", Now: func() time.Time { return time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC) }})
}

// fired lists the rule ids that fired on a workload kind.
func fired(a *Assessment, rule string) []Finding {
	var out []Finding
	for _, f := range a.Findings {
		if f.Rule == rule {
			out = append(out, f)
		}
	}
	return out
}

func TestDanglingReference(t *testing.T) {
	f := newFixture()
	f.app().Campaigns = []inventory.Campaign{{ID: "c1", Name: "promo", Object: raw(`{"Id":"c1","ApplicationId":"app1","Name":"promo","SegmentId":"gone","SegmentVersion":1,"Schedule":{"StartTime":"2026-09-01T00:00:00Z","Frequency":"ONCE"}}`)}}
	a := f.assess(t)
	hits := fired(a, "REF-DANGLING")
	if len(hits) == 0 || hits[0].Class != Manual || hits[0].Action == "" {
		t.Fatalf("REF-DANGLING did not fire: %+v", a.Findings)
	}
	f2 := newFixture()
	f2.app().Segments = []inventory.Segment{{ID: "s1", Name: "all", Object: raw(`{"Id":"s1","Name":"all","SegmentType":"DIMENSIONAL","Version":1}`)}}
	f2.app().Campaigns = []inventory.Campaign{{ID: "c1", Name: "promo", Object: raw(`{"Id":"c1","ApplicationId":"app1","Name":"promo","SegmentId":"s1","SegmentVersion":1,"Schedule":{"StartTime":"2026-09-01T00:00:00Z","Frequency":"ONCE"}}`)}}
	if hits := fired(f2.assess(t), "REF-DANGLING"); len(hits) != 0 {
		t.Errorf("REF-DANGLING fired on a resolved reference: %+v", hits)
	}
}
