package inventory

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// Two IaC declarations of one app must join the one real app of that name
// whatever the order the sources come in, with no conflict over the
// synthetic id and the ARN built from it.
func TestMergeIaCByNameAnyOrder(t *testing.T) {
	t0 := time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC)
	cli := func(at time.Time) *Inventory {
		return frag("cli-output", "apps.json", at, App{ID: "abc", Name: "shop", Arn: "arn:aws:mobiletargeting:us-east-1:1:apps/abc",
			Object: json.RawMessage(`{"Id":"abc","Name":"shop","Arn":"arn:aws:mobiletargeting:us-east-1:1:apps/abc"}`)})
	}
	cfn := func(at time.Time) *Inventory {
		return frag("cloudformation", "stack.yaml", at, App{ID: "iac:stack.yaml#App", Name: "shop", Arn: "arn:aws:mobiletargeting:us-east-1:1:apps/iac:stack.yaml#App",
			Object:   json.RawMessage(`{"Id":"iac:stack.yaml#App","Name":"shop","Arn":"arn:aws:mobiletargeting:us-east-1:1:apps/iac:stack.yaml#App"}`),
			Segments: []Segment{{ID: "iac:stack.yaml#Seg", Name: "vip", Object: json.RawMessage(`{"Id":"iac:stack.yaml#Seg","ApplicationId":"iac:stack.yaml#App","Name":"vip"}`)}}})
	}
	tf := func(at time.Time) *Inventory {
		return frag("terraform", "main.tf", at, App{ID: "iac:main.tf#aws_pinpoint_app.shop", Name: "shop", Object: json.RawMessage(`{"Id":"iac:main.tf#aws_pinpoint_app.shop","Name":"shop"}`)})
	}
	for _, c := range []struct {
		name  string
		frags []*Inventory
	}{
		{"IaC older", []*Inventory{cfn(t0), tf(t0), cli(t0.Add(time.Hour))}},
		{"IaC newer", []*Inventory{cli(t0), cfn(t0.Add(time.Hour)), tf(t0.Add(time.Hour))}},
		{"same time", []*Inventory{tf(t0), cfn(t0), cli(t0)}},
	} {
		inv := Merge(c.frags)
		apps := inv.Regions[0].Apps
		if len(apps) != 1 {
			t.Errorf("%s: %d apps, want 1", c.name, len(apps))
			continue
		}
		a := apps[0]
		if a.ID != "abc" || a.Arn != "arn:aws:mobiletargeting:us-east-1:1:apps/abc" || len(a.Provenance) != 3 {
			t.Errorf("%s: app %s arn %s provenance %d", c.name, a.ID, a.Arn, len(a.Provenance))
		}
		if strings.Contains(string(a.Object), "iac:") || len(a.Segments) != 1 || !strings.Contains(string(a.Segments[0].Object), `"ApplicationId":"abc"`) {
			t.Errorf("%s: synthetic ids left: %s %+v", c.name, a.Object, a.Segments)
		}
		if len(inv.Conflicts) != 0 {
			t.Errorf("%s: a synthetic id is no disagreement: %+v", c.name, inv.Conflicts)
		}
	}
	// Two real apps of that name: no guess.
	other := frag("cli-output", "more.json", t0, App{ID: "def", Name: "shop", Object: json.RawMessage(`{"Id":"def","Name":"shop"}`)})
	if n := len(Merge([]*Inventory{cfn(t0), cli(t0), other}).Regions[0].Apps); n != 3 {
		t.Errorf("ambiguous name: %d apps, want 3", n)
	}
}

// A template saved across files (ListTemplates in one, typed GETs of every
// version in another) keeps the listed active version and its object, and
// versions come out oldest first, in any order.
func TestMergeTemplateAndVersionsAnyOrder(t *testing.T) {
	t0 := time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC)
	tmpl := func(src string, tm Template) *Inventory {
		return &Inventory{SchemaVersion: SchemaVersion, ScannedAt: t0, Sources: []Source{{Kind: "cli-output", ID: src, ReadAt: t0}},
			Regions: []Region{{Name: "us-east-1", Templates: []Template{tm}}}}
	}
	listed := tmpl("list.json", Template{Name: "welcome", Type: "EMAIL", ActiveVersion: "1", Summary: json.RawMessage(`{"TemplateName":"welcome","Version":"1"}`)})
	v1, v2 := json.RawMessage(`{"TemplateName":"welcome","Version":"1","Subject":"Hi"}`), json.RawMessage(`{"TemplateName":"welcome","Version":"2","Subject":"Hello"}`)
	typed := func() *Inventory {
		// The typed-GET file alone infers the highest version.
		return tmpl("typed.json", Template{Name: "welcome", Type: "EMAIL", ActiveVersion: "2", Object: v2,
			Versions: []TemplateVersion{{Version: "1", Object: v1}, {Version: "2", Object: v2}}})
	}
	seg := func(src string, vs ...string) *Inventory {
		s := Segment{ID: "s1", Name: "vip"}
		for _, v := range vs {
			s.Versions = append(s.Versions, json.RawMessage(`{"Id":"s1","Version":`+v+`}`))
		}
		s.Object = s.Versions[len(s.Versions)-1]
		return frag("cli-output", src, t0, App{ID: "abc", Name: "shop", Segments: []Segment{s}})
	}
	for i, frags := range [][]*Inventory{{listed, typed(), seg("a", "2"), seg("b", "1", "2")}, {typed(), listed, seg("b", "1", "2"), seg("a", "2")}} {
		inv := Merge(frags)
		tm := inv.Regions[0].Templates[0]
		if tm.ActiveVersion != "1" || !strings.Contains(string(tm.Object), `"Subject":"Hi"`) || len(tm.Versions) != 2 {
			t.Errorf("order %d: active %s object %s versions %d", i, tm.ActiveVersion, tm.Object, len(tm.Versions))
		}
		if len(inv.Conflicts) != 0 {
			t.Errorf("order %d: versions are no disagreement: %+v", i, inv.Conflicts)
		}
		s := inv.Regions[0].Apps[0].Segments[0]
		if len(s.Versions) != 2 || !strings.Contains(string(s.Versions[0]), `"Version":1`) {
			t.Errorf("order %d: versions not oldest first: %s", i, s.Versions)
		}
	}
}
