// Package report renders an assessment for people: one self-contained HTML
// file (inline CSS and SVG, nothing fetched from the network) and the same
// content as GitHub Markdown.
//
// Rendering is deterministic: everything is sorted and the only time shown
// is the assessment's AssessedAt. The report never carries endpoint data:
// endpoint populations appear as counts, templates by name, type and
// placeholder count, never their bodies.
package report

import (
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/p2c/p2c/internal/assess"
	"github.com/p2c/p2c/internal/inventory"
)

// Options control a report.
type Options struct {
	// ShowPII would allow values that look like personal data (e-mail
	// addresses, phone numbers) in journey and segment conditions. Names of
	// resources (apps, campaigns, journeys) are always shown; the inventory
	// holds no endpoint addresses or names of people, only counts.
	ShowPII bool
	// Title heads the report; a default is used when empty.
	Title string
}

// DefaultTitle heads a report whose Options give none.
const DefaultTitle = "Amazon Pinpoint to Amazon Connect: migration assessment"

// classes and destinations in display order.
var (
	classOrder = []string{assess.Direct, assess.Trans, assess.Redesign, assess.Manual}
	destOrder  = []string{assess.DestConnect, assess.DestEUM, assess.DestSES, assess.DestNone}
)

// appKinds are the workload kinds shown per app, in display order.
var appKinds = []struct{ kind, title string }{
	{assess.KindCampaign, "Campaigns"},
	{assess.KindJourney, "Journeys"},
	{assess.KindSegment, "Segments"},
	{assess.KindChannel, "Channels"},
	{assess.KindEventStream, "Event stream"},
	{assess.KindSettings, "Application settings"},
	{assess.KindEndpoints, "Endpoint population"},
}

// view is everything both renderers show, computed once.
type view struct {
	Title        string
	Tool         string
	AssessedAt   string
	InventorySHA string
	ShowPII      bool
	Summary      assess.Summary

	ByDest     []count
	ByClass    []count
	FindClass  []count
	ByPrefix   []count
	Automated  int // findings p2c handles: direct + transform
	People     int // findings a person must act on: redesign + manual
	WorkPeople int // workloads whose class is redesign or manual

	Ranked       []*appView // by complexity, highest first
	Apps         []*appView // in inventory order (region, app)
	TopChecklist []assess.ChecklistItem
	Checklist    []assess.ChecklistItem

	Templates    []*row
	Recommenders []*row
	Prereqs      []*row
	IaC          []*row
	Journeys     []*journeyView
	Rules        []ruleView
	Orphans      []*findingView // findings on workloads not in the assessment

	ChartDest   *chart
	ChartClass  *chart
	ChartPrefix *chart
}

type count struct {
	Key   string
	N     int
	Class string // CSS class of the bar/badge
}

type appView struct {
	Anchor     string
	Region     string
	ID         string
	Name       string
	Complexity int
	Reasons    []string
	ByClass    []count
	ByDest     []count
	Kinds      []kindTable
	Findings   []*findingView
	Endpoints  *endpointView
	Journeys   []*journeyView
	Workloads  int
	ChecklistN int
}

type kindTable struct {
	Kind  string
	Title string
	Rows  []*row
}

// row is one workload.
type row struct {
	W          assess.Workload
	Anchor     string
	Label      string // name, or resource id when unnamed
	Evidence   string
	Related    []link
	Findings   []*findingView
	JourneyRef string // anchor of the journey diagram
	// templates only
	TemplateType string
	Version      string
	Versions     int
	Placeholders int
	UsedBy       []link
}

type link struct {
	Href  string // "" when the target is not in the report
	Text  string
	Title string
}

type findingView struct {
	F        assess.Finding
	Anchor   string
	Workload link
	Title    string // rule title
}

type endpointView struct {
	Total     int64
	WithUser  int64
	Users     int64
	Method    string
	Channels  []endpointChannel
	Attrs     int
	Available bool
}

type endpointChannel struct {
	Channel                            string
	Total, OptedOut, Inactive, Invalid int64
}

type ruleView struct {
	ID, Title, Class, Phase, Doc string
	Findings                     int
	Known                        bool
}

// build computes the view.
func build(a *assess.Assessment, inv *inventory.Inventory, opts Options) (*view, error) {
	if a == nil {
		return nil, fmt.Errorf("report: no assessment")
	}
	if inv == nil {
		inv = &inventory.Inventory{}
	}
	v := &view{Title: opts.Title, Tool: a.Tool, InventorySHA: a.InventorySHA256, ShowPII: opts.ShowPII, Summary: a.Summary}
	if v.Title == "" {
		v.Title = DefaultTitle
	}
	if !a.AssessedAt.IsZero() {
		v.AssessedAt = a.AssessedAt.UTC().Format("2006-01-02 15:04 UTC")
	}
	ids := newAnchors()

	workloads := append([]assess.Workload(nil), a.Workloads...)
	sort.Slice(workloads, func(i, j int) bool { return workloads[i].ID < workloads[j].ID })
	rows := map[string]*row{}
	for _, w := range workloads {
		r := &row{W: w, Anchor: ids.claim("w-" + escapeID(w.ID)), Label: w.Name, Evidence: strings.Join(w.Evidence, "; ")}
		if r.Label == "" {
			r.Label = w.ResourceID
		}
		rows[w.ID] = r
	}
	wlink := func(id string) link {
		r := rows[id]
		if r == nil {
			return link{Text: id}
		}
		return link{Href: "#" + r.Anchor, Text: r.W.Kind + " " + r.Label, Title: r.W.ID}
	}
	for _, r := range rows {
		for _, id := range r.W.Related {
			r.Related = append(r.Related, wlink(id))
		}
	}

	// Findings, sorted by id, attached to their workloads.
	findings := append([]assess.Finding(nil), a.Findings...)
	sort.Slice(findings, func(i, j int) bool { return findings[i].ID < findings[j].ID })
	byPrefix := map[string]int{}
	ruleCount := map[string]int{}
	for _, f := range findings {
		fv := &findingView{F: f, Anchor: ids.claim("f-" + escapeID(f.ID)), Workload: wlink(f.Workload), Title: ruleTitle(f.Rule)}
		if r := rows[f.Workload]; r != nil {
			r.Findings = append(r.Findings, fv)
		} else {
			v.Orphans = append(v.Orphans, fv)
		}
		byPrefix[rulePrefix(f.Rule)]++
		ruleCount[f.Rule]++
		switch f.Class {
		case assess.Direct, assess.Trans:
			v.Automated++
		default:
			v.People++
		}
	}
	byDest, byClass, findClass := map[string]int{}, map[string]int{}, map[string]int{}
	for _, w := range workloads {
		byDest[w.Destination]++
		byClass[w.Class]++
		if w.Class == assess.Redesign || w.Class == assess.Manual {
			v.WorkPeople++
		}
	}
	for _, f := range findings {
		findClass[f.Class]++
	}
	v.ByDest = ordered(byDest, destOrder, "dest-")
	v.ByClass = ordered(byClass, classOrder, "cls-")
	v.FindClass = ordered(findClass, classOrder, "cls-")
	v.ByPrefix = ordered(byPrefix, nil, "bar-")
	v.ChartDest = barChart("Workloads by destination", v.ByDest)
	v.ChartClass = barChart("Workloads by gap class", v.ByClass)
	v.ChartPrefix = barChart("Findings by rule prefix", v.ByPrefix)

	// Journeys, diagrams and the apps around them.
	apps := map[string]*appView{}
	appKey := func(region, app string) string { return region + "\x00" + app }
	for ri := range inv.Regions {
		reg := &inv.Regions[ri]
		for ai := range reg.Apps {
			app := &reg.Apps[ai]
			av := &appView{Anchor: ids.claim("app-" + escapeID(app.ID)), Region: reg.Name, ID: app.ID, Name: app.Name}
			av.Endpoints = endpointsOf(app.EndpointStats)
			apps[appKey(reg.Name, app.ID)] = av
			v.Apps = append(v.Apps, av)
			for ji := range app.Journeys {
				j := &app.Journeys[ji]
				wid := assess.WorkloadID(reg.Name, app.ID, assess.KindJourney, j.ID)
				jv := buildJourney(j, app, rows[wid], findingsFor(rows[wid]), opts.ShowPII)
				jv.Anchor = ids.claim("journey-" + escapeID(j.ID))
				jv.AppLabel = appLabel(app.Name, app.ID)
				jv.Region = reg.Name
				if r := rows[wid]; r != nil {
					r.JourneyRef = "#" + jv.Anchor
					jv.Row = "#" + r.Anchor
				}
				layout(jv)
				av.Journeys = append(av.Journeys, jv)
				v.Journeys = append(v.Journeys, jv)
			}
		}
	}
	for _, ar := range a.Apps {
		av := apps[appKey(ar.Region, ar.App)]
		if av == nil {
			// Readiness for an app the inventory does not hold: show it anyway.
			av = &appView{Anchor: ids.claim("app-" + escapeID(ar.App)), Region: ar.Region, ID: ar.App, Name: ar.Name}
			apps[appKey(ar.Region, ar.App)] = av
			v.Apps = append(v.Apps, av)
		}
		av.Complexity = ar.Complexity
		av.Reasons = ar.Reasons
		if av.Name == "" {
			av.Name = ar.Name
		}
	}
	for _, w := range workloads {
		r := rows[w.ID]
		switch w.Kind {
		case assess.KindTemplate:
			fillTemplate(r, inv, rows)
			v.Templates = append(v.Templates, r)
			continue
		case assess.KindRecommender:
			v.Recommenders = append(v.Recommenders, r)
			continue
		case assess.KindAccount:
			v.Prereqs = append(v.Prereqs, r)
			continue
		case assess.KindIaC:
			v.IaC = append(v.IaC, r)
			continue
		}
		av := apps[appKey(w.Region, w.App)]
		if av == nil {
			av = &appView{Anchor: ids.claim("app-" + escapeID(w.App)), Region: w.Region, ID: w.App, Name: w.AppName}
			apps[appKey(w.Region, w.App)] = av
			v.Apps = append(v.Apps, av)
		}
		av.add(r)
	}
	for _, av := range v.Apps {
		bc, bd := map[string]int{}, map[string]int{}
		for _, k := range av.Kinds {
			for _, r := range k.Rows {
				bc[r.W.Class]++
				bd[r.W.Destination]++
				av.Workloads++
				av.Findings = append(av.Findings, r.Findings...)
			}
		}
		av.ByClass = ordered(bc, classOrder, "cls-")
		av.ByDest = ordered(bd, destOrder, "dest-")
		for _, c := range a.Checklist {
			if c.Region == av.Region && (c.App == av.Name || c.App == av.ID) && c.App != "" {
				av.ChecklistN++
			}
		}
	}
	v.Ranked = append([]*appView(nil), v.Apps...)
	sort.SliceStable(v.Ranked, func(i, j int) bool { return v.Ranked[i].Complexity > v.Ranked[j].Complexity })

	v.Checklist = append([]assess.ChecklistItem(nil), a.Checklist...)
	sort.SliceStable(v.Checklist, func(i, j int) bool { return v.Checklist[i].Order < v.Checklist[j].Order })
	v.TopChecklist = v.Checklist
	if len(v.TopChecklist) > topChecklist {
		v.TopChecklist = v.TopChecklist[:topChecklist]
	}

	rules := make([]string, 0, len(ruleCount))
	for id := range ruleCount {
		rules = append(rules, id)
	}
	sort.Strings(rules)
	for _, id := range rules {
		rv := ruleView{ID: id, Title: id, Findings: ruleCount[id]}
		if r := assess.RuleByID(id); r != nil {
			rv.Known = true
			rv.Title, rv.Class, rv.Phase, rv.Doc = r.Title, r.Class, r.Phase, r.Doc
		}
		v.Rules = append(v.Rules, rv)
	}
	return v, nil
}

// topChecklist is how many checklist items the executive summary shows.
const topChecklist = 5

func (av *appView) add(r *row) {
	for i := range av.Kinds {
		if av.Kinds[i].Kind == r.W.Kind {
			av.Kinds[i].Rows = append(av.Kinds[i].Rows, r)
			return
		}
	}
	title := r.W.Kind
	for _, k := range appKinds {
		if k.kind == r.W.Kind {
			title = k.title
		}
	}
	av.Kinds = append(av.Kinds, kindTable{Kind: r.W.Kind, Title: title, Rows: []*row{r}})
	sort.SliceStable(av.Kinds, func(i, j int) bool { return kindRank(av.Kinds[i].Kind) < kindRank(av.Kinds[j].Kind) })
}

func kindRank(k string) int {
	for i, x := range appKinds {
		if x.kind == k {
			return i
		}
	}
	return len(appKinds)
}

func findingsFor(r *row) []*findingView {
	if r == nil {
		return nil
	}
	return r.Findings
}

func ruleTitle(id string) string {
	if r := assess.RuleByID(id); r != nil {
		return r.Title
	}
	return ""
}

func rulePrefix(id string) string {
	if i := strings.Index(id, "-"); i > 0 {
		return id[:i]
	}
	return id
}

func appLabel(name, id string) string {
	if name == "" {
		return id
	}
	return name
}

// ordered turns counts into a list: keys of order first (when present),
// then the others alphabetically.
func ordered(m map[string]int, order []string, cls string) []count {
	var out []count
	seen := map[string]bool{}
	for _, k := range order {
		if m[k] > 0 {
			out = append(out, count{Key: k, N: m[k], Class: cls + k})
		}
		seen[k] = true
	}
	var rest []string
	for k, n := range m {
		if !seen[k] && n > 0 {
			rest = append(rest, k)
		}
	}
	sort.Strings(rest)
	for _, k := range rest {
		c := cls + k
		if cls == "bar-" {
			c = "bar"
		} else {
			c = cls + "other"
		}
		out = append(out, count{Key: k, N: m[k], Class: c})
	}
	return out
}

func endpointsOf(s *inventory.EndpointStats) *endpointView {
	if s == nil {
		return &endpointView{}
	}
	ev := &endpointView{Available: true, Total: s.Total, WithUser: s.WithUser, Users: s.Users, Method: s.UserCountMethod, Attrs: len(s.Attributes)}
	chans := map[string]bool{}
	for _, m := range []map[string]int64{s.ByChannel, s.OptedOut, s.Inactive, s.InvalidAddresses} {
		for k := range m {
			chans[k] = true
		}
	}
	names := make([]string, 0, len(chans))
	for k := range chans {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, c := range names {
		ev.Channels = append(ev.Channels, endpointChannel{Channel: c, Total: s.ByChannel[c], OptedOut: s.OptedOut[c], Inactive: s.Inactive[c], Invalid: s.InvalidAddresses[c]})
	}
	return ev
}

// placeholderRE finds Handlebars expressions in template content.
var placeholderRE = regexp.MustCompile(`\{\{\{?\s*([^{}]*?)\s*\}?\}\}`)

// fillTemplate adds what the template table shows: type, versions and the
// number of distinct placeholders. The content itself is never shown.
func fillTemplate(r *row, inv *inventory.Inventory, rows map[string]*row) {
	for ri := range inv.Regions {
		reg := &inv.Regions[ri]
		if reg.Name != r.W.Region {
			continue
		}
		for ti := range reg.Templates {
			t := &reg.Templates[ti]
			if t.Type+"/"+t.Name != r.W.ResourceID {
				continue
			}
			r.TemplateType, r.Version, r.Versions = t.Type, t.ActiveVersion, len(t.Versions)
			r.Placeholders = countPlaceholders(t.Object)
		}
	}
	if r.TemplateType == "" {
		if i := strings.Index(r.W.ResourceID, "/"); i > 0 {
			r.TemplateType = r.W.ResourceID[:i]
		}
	}
	for _, id := range r.W.Related {
		u := rows[id]
		if u == nil || (u.W.Kind != assess.KindCampaign && u.W.Kind != assess.KindJourney) {
			continue
		}
		r.UsedBy = append(r.UsedBy, link{Href: "#" + u.Anchor, Text: u.W.Kind + " " + u.Label + " (" + appLabel(u.W.AppName, u.W.App) + ")", Title: u.W.ID})
	}
}

func countPlaceholders(raw json.RawMessage) int {
	if len(raw) == 0 {
		return 0
	}
	var m any
	if err := json.Unmarshal(raw, &m); err != nil {
		return 0
	}
	seen := map[string]bool{}
	var walk func(any)
	walk = func(x any) {
		switch x := x.(type) {
		case string:
			for _, g := range placeholderRE.FindAllStringSubmatch(x, -1) {
				seen[g[1]] = true
			}
		case map[string]any:
			for _, y := range x {
				walk(y)
			}
		case []any:
			for _, y := range x {
				walk(y)
			}
		}
	}
	walk(m)
	return len(seen)
}

// escapeID makes an id safe for an HTML id and a URL fragment: letters,
// digits and '-' stay, every other byte becomes '_' and two hex digits.
// The mapping is one to one, so distinct ids stay distinct.
func escapeID(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '-':
			b.WriteByte(c)
		default:
			fmt.Fprintf(&b, "_%02x", c)
		}
	}
	return b.String()
}

// anchors hands out unique HTML ids.
type anchors map[string]bool

func newAnchors() anchors { return anchors{} }

// claim returns id, or id with a numeric suffix when it is taken (the same
// app or journey id in two regions).
func (a anchors) claim(id string) string {
	out := id
	for n := 2; a[out]; n++ {
		out = id + "-" + strconv.Itoa(n)
	}
	a[out] = true
	return out
}
