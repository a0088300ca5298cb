package assess

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/p2c/p2c/internal/inventory"
)

// Options control an assessment.
type Options struct {
	Tool string
	Now  func() time.Time
}

// Assess classifies every workload of an inventory. invBytes are the
// inventory file's bytes, hashed so later steps can tell which inventory
// was assessed.
func Assess(inv *inventory.Inventory, invBytes []byte, opts Options) *Assessment {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	sum := sha256.Sum256(invBytes)
	a := &Assessment{SchemaVersion: SchemaVersion, Tool: opts.Tool, AssessedAt: opts.Now().UTC(), InventorySHA256: hex.EncodeToString(sum[:])}
	// References are derived data: recompute them rather than trust a file
	// written by another version or edited by hand.
	inventory.ResolveReferences(inv)
	subjects := buildSubjects(inv)
	byID := map[string]*Workload{}
	for _, s := range subjects {
		classify(s)
		byID[s.Workload.ID] = s.Workload
	}
	for _, s := range subjects {
		for _, r := range Catalogue() {
			if (r.Kind != s.Workload.Kind && r.Kind != AnyKind) || r.Check == nil {
				continue
			}
			for _, h := range r.Check(s) {
				f := Finding{Rule: r.ID, Workload: s.Workload.ID, Class: r.Class, Message: h.Message, Field: h.Field, Action: h.Action, Node: h.Node, Where: h.Where}
				if h.Class != "" {
					f.Class = h.Class
				}
				f.ID = r.ID + "/" + s.Workload.ID
				if h.Detail != "" {
					f.ID += "/" + h.Detail
				}
				a.Findings = append(a.Findings, f)
			}
		}
	}
	a.Findings = dedupeFindings(a.Findings)
	for _, f := range a.Findings {
		w := byID[f.Workload]
		w.Findings = append(w.Findings, f.ID)
		if ClassRank[f.Class] > ClassRank[w.Class] {
			w.Class = f.Class
		}
	}
	relate(inv, subjects, byID)
	for _, s := range subjects {
		a.Workloads = append(a.Workloads, *s.Workload)
	}
	sort.Slice(a.Workloads, func(i, j int) bool { return a.Workloads[i].ID < a.Workloads[j].ID })
	sort.Slice(a.Findings, func(i, j int) bool { return a.Findings[i].ID < a.Findings[j].ID })
	a.Apps = readiness(inv, a)
	a.Checklist = checklist(a)
	a.Summary = summarize(a)
	return a
}

func dedupeFindings(fs []Finding) []Finding {
	seen := map[string]bool{}
	var out []Finding
	for _, f := range fs {
		if !seen[f.ID] {
			seen[f.ID] = true
			out = append(out, f)
		}
	}
	return out
}

// WorkloadID builds the stable id of a workload.
func WorkloadID(region, app, kind, id string) string {
	if app == "" {
		return region + "/" + kind + "/" + id
	}
	return region + "/" + app + "/" + kind + "/" + id
}

func buildSubjects(inv *inventory.Inventory) []*Subject {
	var out []*Subject
	iac := map[string][]inventory.Provenance{} // file -> resources
	noteIaC := func(ps []inventory.Provenance) {
		for _, p := range ps {
			if p.Kind == "cloudformation" || p.Kind == "terraform" {
				iac[p.Source] = append(iac[p.Source], p)
			}
		}
	}
	for ri := range inv.Regions {
		r := &inv.Regions[ri]
		for ai := range r.Apps {
			app := &r.Apps[ai]
			noteIaC(app.Provenance)
			mk := func(kind, id, name string, raw []byte) *Subject {
				w := &Workload{ID: WorkloadID(r.Name, app.ID, kind, id), Kind: kind, Region: r.Name, App: app.ID, AppName: app.Name, ResourceID: id, Name: name}
				return &Subject{Workload: w, Object: decode(raw), Raw: raw, Inv: inv, Region: r, App: app}
			}
			for i := range app.Segments {
				sg := &app.Segments[i]
				noteIaC(sg.Provenance)
				s := mk(KindSegment, sg.ID, sg.Name, sg.Object)
				s.Segment = sg
				out = append(out, s)
			}
			for i := range app.Campaigns {
				c := &app.Campaigns[i]
				noteIaC(c.Provenance)
				s := mk(KindCampaign, c.ID, c.Name, c.Object)
				s.Campaign = c
				out = append(out, s)
			}
			for i := range app.Journeys {
				j := &app.Journeys[i]
				noteIaC(j.Provenance)
				s := mk(KindJourney, j.ID, j.Name, j.Object)
				s.Journey = j
				out = append(out, s)
			}
			for _, typ := range sortedKeys(app.Channels) {
				s := mk(KindChannel, typ, typ, app.Channels[typ])
				s.Channel = typ
				out = append(out, s)
			}
			if len(app.EventStream) > 0 && string(app.EventStream) != "null" {
				out = append(out, mk(KindEventStream, "eventstream", "event stream", app.EventStream))
			}
			if len(app.Settings) > 0 && string(app.Settings) != "null" {
				out = append(out, mk(KindSettings, "settings", "application settings", app.Settings))
			}
			if app.EndpointStats != nil || len(app.Object) > 0 {
				out = append(out, mk(KindEndpoints, "endpoints", "endpoints", nil))
			}
		}
		for i := range r.Templates {
			t := &r.Templates[i]
			noteIaC(t.Provenance)
			id := t.Type + "/" + t.Name
			w := &Workload{ID: WorkloadID(r.Name, "", KindTemplate, id), Kind: KindTemplate, Region: r.Name, ResourceID: id, Name: t.Name}
			out = append(out, &Subject{Workload: w, Object: decode(t.Object), Raw: t.Object, Inv: inv, Region: r, Template: t})
		}
		for _, o := range r.PinpointEmail {
			noteIaC(o.Provenance)
		}
		for i := range r.Recommenders {
			rec := &r.Recommenders[i]
			m := decode(rec.Object)
			w := &Workload{ID: WorkloadID(r.Name, "", KindRecommender, rec.ID), Kind: KindRecommender, Region: r.Name, ResourceID: rec.ID, Name: Str(m, "Name")}
			out = append(out, &Subject{Workload: w, Object: m, Raw: rec.Object, Inv: inv, Region: r})
		}
		w := &Workload{ID: WorkloadID(r.Name, "", KindAccount, "target"), Kind: KindAccount, Region: r.Name, ResourceID: "target", Name: "target prerequisites in " + r.Name}
		out = append(out, &Subject{Workload: w, Inv: inv, Region: r})
	}
	files := make([]string, 0, len(iac))
	for f := range iac {
		files = append(files, f)
	}
	sort.Strings(files)
	for _, f := range files {
		region := ""
		if len(inv.Regions) > 0 {
			region = inv.Regions[0].Name
		}
		w := &Workload{ID: KindIaC + "/" + f, Kind: KindIaC, Region: region, ResourceID: f, Name: f}
		out = append(out, &Subject{Workload: w, Inv: inv, IaC: iac[f]})
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// relate links workloads through the inventory's resolved references.
func relate(inv *inventory.Inventory, subjects []*Subject, byID map[string]*Workload) {
	idOf := func(r inventory.Ref) string {
		switch r.Kind {
		case inventory.KindSegment:
			return WorkloadID(r.Region, r.App, KindSegment, r.ID)
		case inventory.KindCampaign:
			return WorkloadID(r.Region, r.App, KindCampaign, r.ID)
		case inventory.KindJourney:
			return WorkloadID(r.Region, r.App, KindJourney, r.ID)
		case inventory.KindTemplate:
			return WorkloadID(r.Region, "", KindTemplate, r.Type+"/"+r.ID)
		case inventory.KindRecommender:
			return WorkloadID(r.Region, "", KindRecommender, r.ID)
		}
		return ""
	}
	link := func(a, b string) {
		wa, wb := byID[a], byID[b]
		if wa == nil || wb == nil || a == b {
			return
		}
		wa.Related = appendUnique(wa.Related, b)
		wb.Related = appendUnique(wb.Related, a)
	}
	for _, ref := range inv.References {
		link(idOf(ref.From), idOf(ref.To))
	}
	for _, w := range byID {
		sort.Strings(w.Related)
	}
}

func appendUnique(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}

// Complexity weights per finding class: redesign is the costliest (a
// person must accept a new shape), manual next (work outside p2c).
var classWeight = map[string]int{Direct: 0, Trans: 1, Redesign: 5, Manual: 3}

func readiness(inv *inventory.Inventory, a *Assessment) []AppReadiness {
	byApp := map[string]*AppReadiness{}
	var order []string
	for _, r := range inv.Regions {
		for _, app := range r.Apps {
			key := r.Name + "/" + app.ID
			byApp[key] = &AppReadiness{Region: r.Name, App: app.ID, Name: app.Name, ByClass: map[string]int{}, ByDestination: map[string]int{}}
			order = append(order, key)
		}
	}
	reasons := map[string]map[string]int{}
	wl := map[string]Workload{}
	for _, w := range a.Workloads {
		wl[w.ID] = w
		ar := byApp[w.Region+"/"+w.App]
		if ar == nil {
			continue
		}
		ar.ByClass[w.Class]++
		ar.ByDestination[w.Destination]++
	}
	for _, f := range a.Findings {
		w := wl[f.Workload]
		ar := byApp[w.Region+"/"+w.App]
		if ar == nil {
			continue
		}
		ar.Complexity += classWeight[f.Class]
		if reasons[w.Region+"/"+w.App] == nil {
			reasons[w.Region+"/"+w.App] = map[string]int{}
		}
		reasons[w.Region+"/"+w.App][f.Rule] += classWeight[f.Class]
	}
	var out []AppReadiness
	for _, key := range order {
		ar := byApp[key]
		type rw struct {
			rule string
			w    int
		}
		var rs []rw
		for rule, w := range reasons[key] {
			if w > 0 {
				rs = append(rs, rw{rule, w})
			}
		}
		sort.Slice(rs, func(i, j int) bool {
			if rs[i].w != rs[j].w {
				return rs[i].w > rs[j].w
			}
			return rs[i].rule < rs[j].rule
		})
		for i, r := range rs {
			if i == 5 {
				break
			}
			title := r.rule
			if rule := RuleByID(r.rule); rule != nil {
				title = rule.Title
			}
			ar.Reasons = append(ar.Reasons, fmt.Sprintf("%s (%s): %d points", title, r.rule, r.w))
		}
		out = append(out, *ar)
	}
	return out
}

var phaseOrder = map[string]int{"prerequisites": 0, "data": 1, "build": 2, "cutover": 3, "decommission": 4}

// checklist lists the human actions of manual and redesign findings, one
// per rule and app, in phase order.
func checklist(a *Assessment) []ChecklistItem {
	wl := map[string]Workload{}
	for _, w := range a.Workloads {
		wl[w.ID] = w
	}
	type key struct{ rule, region, app string }
	items := map[key]*ChecklistItem{}
	var keys []key
	for _, f := range a.Findings {
		if f.Action == "" || (f.Class != Manual && f.Class != Redesign) {
			continue
		}
		w := wl[f.Workload]
		r := RuleByID(f.Rule)
		k := key{f.Rule, w.Region, w.App}
		if it := items[k]; it != nil {
			continue
		}
		phase := "build"
		where := f.Where
		if r != nil && r.Phase != "" {
			phase = r.Phase
		}
		items[k] = &ChecklistItem{Phase: phase, Region: w.Region, App: w.AppName, Action: f.Action, Where: where, Rules: []string{f.Rule}}
		keys = append(keys, k)
	}
	sort.SliceStable(keys, func(i, j int) bool {
		a, b := items[keys[i]], items[keys[j]]
		if phaseOrder[a.Phase] != phaseOrder[b.Phase] {
			return phaseOrder[a.Phase] < phaseOrder[b.Phase]
		}
		return strings.Join([]string{keys[i].region, keys[i].app, keys[i].rule}, "/") < strings.Join([]string{keys[j].region, keys[j].app, keys[j].rule}, "/")
	})
	out := make([]ChecklistItem, len(keys))
	for i, k := range keys {
		items[k].Order = i + 1
		out[i] = *items[k]
	}
	return out
}

func summarize(a *Assessment) Summary {
	s := Summary{Workloads: len(a.Workloads), ByDestination: map[string]int{}, ByClass: map[string]int{}, Findings: map[string]int{}, Checklist: len(a.Checklist)}
	rules := map[string]bool{}
	for _, w := range a.Workloads {
		s.ByDestination[w.Destination]++
		s.ByClass[w.Class]++
	}
	for _, f := range a.Findings {
		s.Findings[f.Class]++
		rules[f.Rule] = true
	}
	s.Rules = len(rules)
	return s
}
