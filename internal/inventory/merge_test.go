package inventory

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

func frag(kind, id string, at time.Time, apps ...App) *Inventory {
	return &Inventory{SchemaVersion: SchemaVersion, ScannedAt: at,
		Sources: []Source{{Kind: kind, ID: id, ReadAt: at}},
		Regions: []Region{{Name: "us-east-1", Apps: apps}}}
}

func TestMergeMatchesIaCByNameAndRenames(t *testing.T) {
	t0 := time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC)
	live := frag("live", "live", t0.Add(time.Hour), App{ID: "abc", Name: "shop", Object: json.RawMessage(`{"Id":"abc","Name":"shop","CreationDate":"2024-01-01"}`),
		Segments: []Segment{{ID: "s1", Name: "vip", Object: json.RawMessage(`{"Id":"s1","Name":"vip","ApplicationId":"abc","Dimensions":{"Demographic":{}}}`)}}})
	iac := frag("cloudformation", "stack.yaml", t0, App{ID: "iac:stack.yaml#App", Name: "shop", Object: json.RawMessage(`{"Name":"shop","tags":{"team":"crm"}}`),
		Provenance: []Provenance{{Source: "stack.yaml", Kind: "cloudformation", Address: "App", Line: 4}},
		Campaigns:  []Campaign{{ID: "iac:stack.yaml#Camp", Name: "welcome", Object: json.RawMessage(`{"Name":"welcome","ApplicationId":"iac:stack.yaml#App","SegmentId":"s1","Arn":"arn:aws:mobiletargeting:us-east-1:1:apps/iac:stack.yaml#App/campaigns/x","Note":"iac:stack.yaml#Apple"}`)}}})
	inv := Merge([]*Inventory{live, iac})
	if n := len(inv.Regions[0].Apps); n != 1 {
		t.Fatalf("apps: %d", n)
	}
	a := inv.Regions[0].Apps[0]
	if a.ID != "abc" || len(a.Provenance) != 2 {
		t.Errorf("app id %s provenance %+v", a.ID, a.Provenance)
	}
	if !strings.Contains(string(a.Object), `"CreationDate":"2024-01-01"`) || !strings.Contains(string(a.Object), `"team":"crm"`) {
		t.Errorf("members from both sources expected: %s", a.Object)
	}
	if len(a.Campaigns) != 1 || !strings.Contains(string(a.Campaigns[0].Object), `"ApplicationId":"abc"`) {
		t.Errorf("the campaign's synthetic app id must follow the merge: %s", a.Campaigns[0].Object)
	}
	if obj := string(a.Campaigns[0].Object); !strings.Contains(obj, "apps/abc/campaigns/x") || !strings.Contains(obj, "iac:stack.yaml#Apple") {
		t.Errorf("ids inside ARNs must follow, other ids must not: %s", obj)
	}
	if len(inv.Conflicts) != 0 {
		t.Errorf("no disagreement here: %+v", inv.Conflicts)
	}
}

func TestMergeConflictNewestWins(t *testing.T) {
	t0 := time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC)
	older := frag("cli-output", "old.json", t0, App{ID: "abc", Name: "shop", Object: json.RawMessage(`{"Id":"abc","Name":"shop"}`),
		Segments: []Segment{{ID: "s1", Name: "vip", Object: json.RawMessage(`{"Id":"s1","Name":"vip","Version":1}`)}}})
	newer := frag("cli-output", "new.json", t0.Add(24*time.Hour), App{ID: "abc", Name: "shop", Object: json.RawMessage(`{"Id":"abc","Name":"shop"}`),
		Segments: []Segment{{ID: "s1", Name: "VIP customers", Object: json.RawMessage(`{"Id":"s1","Name":"VIP customers","Version":2}`)}}})
	// Order of the arguments must not matter: the newest source wins.
	inv := Merge([]*Inventory{newer, older})
	s := inv.Regions[0].Apps[0].Segments[0]
	if !strings.Contains(string(s.Object), `"VIP customers"`) {
		t.Errorf("newest must win: %s", s.Object)
	}
	if len(inv.Conflicts) != 1 {
		t.Fatalf("conflicts: %+v", inv.Conflicts)
	}
	c := inv.Conflicts[0]
	if c.Kind != KindSegment || c.ID != "s1" || c.Chosen.Source != "new.json" || len(c.Others) != 1 || c.Others[0].Provenance.Source != "old.json" ||
		!strings.Contains(string(c.Others[0].Object), `"vip"`) || strings.Join(c.Fields, ",") != "Name,Version" {
		t.Errorf("conflict: %+v", c)
	}
}

func TestMergeUnresolvedNeverOverridesKnown(t *testing.T) {
	t0 := time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC)
	live := frag("live", "live", t0, App{ID: "abc", Name: "shop", Object: json.RawMessage(`{"Id":"abc","Name":"shop"}`),
		Settings: json.RawMessage(`{"CampaignHook":{"LambdaFunctionName":"arn:aws:lambda:us-east-1:1:function:f","Mode":"FILTER"}}`)})
	iac := frag("cloudformation", "s.yaml", t0.Add(time.Hour), App{ID: "iac:s.yaml#App", Name: "shop", Object: json.RawMessage(`{"Name":"shop"}`),
		Settings: json.RawMessage(`{"CampaignHook":{"LambdaFunctionName":{"p2c:unresolved":"!GetAtt Fn.Arn"},"Mode":"FILTER"}}`)})
	inv := Merge([]*Inventory{live, iac})
	got := string(inv.Regions[0].Apps[0].Settings)
	if !strings.Contains(got, "function:f") || strings.Contains(got, "unresolved") {
		t.Errorf("an unresolved value replaced a known one: %s", got)
	}
	if len(inv.Conflicts) != 0 {
		t.Errorf("unresolved is not a disagreement: %+v", inv.Conflicts)
	}
}

func TestCountBySource(t *testing.T) {
	t0 := time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC)
	live := frag("live", "live", t0, App{ID: "abc", Name: "shop", Object: json.RawMessage(`{"Id":"abc"}`)})
	saved := frag("cli-output", "segs.json", t0, App{ID: "abc", Segments: []Segment{{ID: "s1", Object: json.RawMessage(`{"Id":"s1"}`)}}})
	counts := CountBySource(Merge([]*Inventory{live, saved}))
	if len(counts) != 2 || counts[0].Source != "live" || counts[0].Counts["apps"] != 1 || counts[1].Counts["segments"] != 1 {
		t.Errorf("counts: %+v", counts)
	}
}
