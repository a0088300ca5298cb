package report

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/p2c/p2c/internal/assess"
	"github.com/p2c/p2c/internal/inventory"
)

// Markdown renders the same content as HTML in GitHub Markdown: tables,
// and each journey as an indented step list instead of a diagram.
func Markdown(a *assess.Assessment, inv *inventory.Inventory, opts Options) ([]byte, error) {
	v, err := build(a, inv, opts)
	if err != nil {
		return nil, err
	}
	m := &md{}
	m.render(v)
	return m.b.Bytes(), nil
}

type md struct{ b bytes.Buffer }

func (m *md) p(format string, args ...any) { fmt.Fprintf(&m.b, format, args...) }

// anchor writes an HTML anchor GitHub keeps, so links match the HTML
// report's ids.
func (m *md) anchor(id string) { m.p("<a id=\"%s\"></a>\n\n", id) }

func (m *md) table(head []string, rows [][]string) {
	m.p("| %s |\n|", strings.Join(head, " | "))
	for range head {
		m.b.WriteString("---|")
	}
	m.b.WriteString("\n")
	for _, r := range rows {
		m.p("| %s |\n", strings.Join(r, " | "))
	}
	m.b.WriteString("\n")
}

func (m *md) render(v *view) {
	m.p("# %s\n\n", esc(v.Title))
	var meta []string
	if v.AssessedAt != "" {
		meta = append(meta, "Assessed "+v.AssessedAt)
	}
	if v.Tool != "" {
		meta = append(meta, "by "+esc(v.Tool))
	}
	if v.InventorySHA != "" {
		meta = append(meta, "inventory `"+short(v.InventorySHA)+"`")
	}
	if v.ShowPII {
		meta = append(meta, "values that look like personal data are shown in conditions")
	} else {
		meta = append(meta, "no customer data: endpoint populations appear as counts only")
	}
	m.p("%s.\n\n", strings.Join(meta, " · "))

	m.p("## Contents\n\n")
	m.p("1. [Executive summary](#summary)\n2. [Applications](#apps)\n")
	for _, a := range v.Apps {
		m.p("   - [%s](#%s) (%s)\n", esc(a.Name), a.Anchor, esc(a.Region))
	}
	m.p("3. [Templates and recommenders](#templates)\n4. [Journeys](#journeys)\n")
	for _, j := range v.Journeys {
		m.p("   - [%s](#%s) (%s)\n", esc(j.Name), j.Anchor, esc(j.AppLabel))
	}
	m.p("5. [Checklist](#checklist)\n6. [Target prerequisites](#prerequisites)\n7. [Rules that fired](#rules)\n\n")

	m.anchor("summary")
	m.p("## Executive summary\n\n")
	m.p("%d workloads in %d application(s), %d journey(s); %d checklist item(s).\n\n", v.Summary.Workloads, len(v.Apps), len(v.Journeys), len(v.Checklist))
	m.p("**What is automated:** %d finding(s) are `direct` or `transform`: p2c maps or rewrites them without help.  \n", v.Automated)
	m.p("**What needs people:** %d finding(s) are `redesign` (p2c proposes a shape, a person accepts it) or `manual` (a person acts outside p2c), across %d workload(s); the [checklist](#checklist) orders those actions.\n\n", v.People, v.WorkPeople)
	counts := func(title, col string, cs []count) {
		var rows [][]string
		for _, c := range cs {
			rows = append(rows, []string{esc(c.Key), fmt.Sprint(c.N)})
		}
		if len(rows) == 0 {
			rows = append(rows, []string{"none", "0"})
		}
		m.p("**%s**\n\n", title)
		m.table([]string{col, "count"}, rows)
	}
	counts("Workloads by destination", "destination", v.ByDest)
	counts("Workloads by gap class", "gap class", v.ByClass)
	counts("Findings by gap class", "gap class", v.FindClass)
	counts("Findings by rule prefix", "rule prefix", v.ByPrefix)

	m.p("### Applications by complexity\n\n")
	var rows [][]string
	for _, a := range v.Ranked {
		reasons := a.Reasons
		if len(reasons) > 3 {
			reasons = reasons[:3]
		}
		rows = append(rows, []string{fmt.Sprintf("[%s](#%s)", esc(a.Name), a.Anchor), esc(a.Region), fmt.Sprint(a.Complexity), countList(a.ByClass), escJoin(reasons, "<br>")})
	}
	m.table([]string{"application", "region", "complexity", "workloads by class", "top reasons"}, rows)
	m.p("### First actions\n\n")
	if len(v.TopChecklist) == 0 {
		m.p("No human actions are needed.\n\n")
	}
	for _, c := range v.TopChecklist {
		m.p("%d. **%s** %s%s\n", c.Order, c.Phase, esc(c.Action), whereApp(c))
	}
	if len(v.TopChecklist) > 0 {
		m.p("\n")
	}
	if len(v.Checklist) > len(v.TopChecklist) {
		m.p("[All %d checklist items](#checklist)\n\n", len(v.Checklist))
	}

	m.anchor("apps")
	m.p("## Applications\n\n")
	for _, a := range v.Apps {
		m.anchor(a.Anchor)
		m.p("### %s (`%s`, %s)\n\n", esc(a.Name), code(a.ID), esc(a.Region))
		m.p("Complexity **%d** · %d workload(s) · %d finding(s) · by destination: %s\n\n", a.Complexity, a.Workloads, len(a.Findings), countList(a.ByDest))
		for _, r := range a.Reasons {
			m.p("- %s\n", esc(r))
		}
		if len(a.Reasons) > 0 {
			m.p("\n")
		}
		for _, k := range a.Kinds {
			m.p("#### %s\n\n", k.Title)
			m.resources(k.Rows)
		}
		m.p("#### Endpoint counts\n\n")
		m.endpoints(a.Endpoints)
		m.p("#### Findings\n\n")
		m.findings(a.Findings)
	}

	m.anchor("templates")
	m.p("## Templates and recommenders\n\n### Message templates\n\nNames, types and placeholder counts only; template content is not reproduced here.\n\n")
	rows = nil
	for _, r := range v.Templates {
		var used []string
		for _, u := range r.UsedBy {
			used = append(used, mdLink(u))
		}
		if len(used) == 0 {
			used = []string{"no campaign or journey"}
		}
		rows = append(rows, []string{r.anchorLabel(), esc(r.TemplateType), esc(r.Version), fmt.Sprint(r.Versions), fmt.Sprint(r.Placeholders),
			destCell(r), esc(r.W.Confidence), r.W.Class, strings.Join(used, "<br>"), ruleList(r.Findings)})
	}
	if len(rows) == 0 {
		m.p("No templates.\n\n")
	} else {
		m.table([]string{"template", "type", "active version", "versions", "placeholders", "destination", "confidence", "gap class", "used by", "findings"}, rows)
	}
	m.p("### Recommenders\n\n")
	m.resources(v.Recommenders)
	m.p("### Findings on templates and recommenders\n\n")
	m.findings(collect(v.Templates, v.Recommenders))

	m.anchor("journeys")
	m.p("## Journeys\n\n")
	if len(v.Journeys) == 0 {
		m.p("No journeys.\n\n")
	}
	for _, j := range v.Journeys {
		m.anchor(j.Anchor)
		m.p("### %s (`%s`)\n\n", esc(j.Name), code(j.ID))
		state := ""
		if j.State != "" {
			state = " · " + esc(j.State)
		}
		row := ""
		if j.Row != "" {
			row = fmt.Sprintf(" · [resource row](%s)", j.Row)
		}
		m.p("%s · %s%s%s\n\n", esc(j.AppLabel), esc(j.Region), state, row)
		m.steps(j)
		if len(j.Loose) > 0 {
			m.p("Journey-level findings:\n\n")
			for _, f := range j.Loose {
				m.p("- [%s](#%s) %s: %s\n", code(f.F.Rule), f.Anchor, f.F.Class, esc(f.F.Message))
			}
			m.p("\n")
		}
	}

	m.anchor("checklist")
	m.p("## Checklist\n\nHuman actions in the order they must happen.\n\n")
	rows = nil
	for _, c := range v.Checklist {
		var rs []string
		for _, r := range c.Rules {
			rs = append(rs, "`"+code(r)+"`")
		}
		rows = append(rows, []string{fmt.Sprint(c.Order), c.Phase, esc(c.Action), esc(c.Where), esc(c.Region), esc(c.App), strings.Join(rs, " ")})
	}
	if len(rows) == 0 {
		m.p("No human actions are needed.\n\n")
	} else {
		m.table([]string{"#", "phase", "action", "where", "region", "application", "rules"}, rows)
	}

	m.anchor("prerequisites")
	m.p("## Target prerequisites\n\n")
	m.resources(v.Prereqs)
	m.findings(collect(v.Prereqs))
	if len(v.IaC) > 0 {
		m.p("### Infrastructure-as-code definitions\n\n")
		m.resources(v.IaC)
		m.findings(collect(v.IaC))
	}
	if len(v.Orphans) > 0 {
		m.p("### Findings on workloads not in the assessment\n\n")
		m.findings(v.Orphans)
	}

	m.anchor("rules")
	m.p("## Rules that fired\n\n")
	rows = nil
	for _, r := range v.Rules {
		doc := esc(r.Doc)
		if !r.Known {
			doc = "not in this build's catalogue"
		}
		rows = append(rows, []string{"`" + code(r.ID) + "`", esc(r.Title), r.Class, r.Phase, fmt.Sprint(r.Findings), doc})
	}
	if len(rows) == 0 {
		m.p("No rule fired.\n")
	} else {
		m.table([]string{"rule", "title", "class", "phase", "findings", "what it checks"}, rows)
	}
}

func (m *md) resources(rs []*row) {
	if len(rs) == 0 {
		m.p("None.\n\n")
		return
	}
	var rows [][]string
	for _, r := range rs {
		var rel []string
		for _, l := range r.Related {
			rel = append(rel, mdLink(l))
		}
		name := r.anchorLabel()
		if r.JourneyRef != "" {
			name += fmt.Sprintf(" · [steps](%s)", r.JourneyRef)
		}
		rows = append(rows, []string{name, destCell(r), esc(r.W.Confidence), r.W.Class, ruleList(r.Findings), strings.Join(rel, "<br>")})
	}
	m.table([]string{"name", "destination", "confidence", "gap class", "findings", "related"}, rows)
}

func (m *md) findings(fs []*findingView) {
	if len(fs) == 0 {
		m.p("No findings.\n\n")
		return
	}
	var rows [][]string
	for _, f := range fs {
		res := mdLink(f.Workload)
		if f.F.Node != "" {
			res += " (activity `" + code(f.F.Node) + "`)"
		}
		action := esc(f.F.Action)
		if f.F.Where != "" {
			action += " (" + esc(f.F.Where) + ")"
		}
		field := ""
		if f.F.Field != "" {
			field = "`" + code(f.F.Field) + "`"
		}
		rows = append(rows, []string{fmt.Sprintf("<a id=\"%s\"></a>`%s`", f.Anchor, code(f.F.Rule)), f.F.Class, res, esc(f.F.Message), field, action})
	}
	m.table([]string{"rule", "class", "resource", "message", "field", "action"}, rows)
}

func (m *md) endpoints(e *endpointView) {
	if e == nil || !e.Available {
		m.p("No endpoint statistics: no endpoint export was read for this application.\n\n")
		return
	}
	method := ""
	if e.Method != "" {
		method = "; users counted " + esc(e.Method)
	}
	m.p("%d endpoint(s), %d with a user id, %d distinct user(s), %d attribute name(s)%s.\n\n", e.Total, e.WithUser, e.Users, e.Attrs, method)
	var rows [][]string
	for _, c := range e.Channels {
		rows = append(rows, []string{esc(c.Channel), fmt.Sprint(c.Total), fmt.Sprint(c.OptedOut), fmt.Sprint(c.Inactive), fmt.Sprint(c.Invalid)})
	}
	if len(rows) > 0 {
		m.table([]string{"channel", "endpoints", "opted out", "inactive", "invalid address"}, rows)
	}
}

// steps writes a journey as an indented list: a chain of single steps
// stays at one level, each branch indents, an activity met again is a
// reference back, and activities the start does not reach follow.
func (m *md) steps(j *journeyView) {
	m.p("- **Start:** %s\n", esc(j.StartCnd))
	seen := map[string]bool{}
	var walk func(id string, depth int)
	walk = func(id string, depth int) {
		ind := strings.Repeat("  ", depth)
		for {
			n := j.byID[id]
			if n == nil {
				m.p("%s- ⚠ `%s` is not defined\n", ind, code(id))
				return
			}
			if seen[id] {
				m.p("%s- → `%s` (see above)\n", ind, code(id))
				return
			}
			seen[id] = true
			m.p("%s- %s\n", ind, stepLine(n))
			if len(n.Edges) == 1 && n.Edges[0].Label == "" {
				id = n.Edges[0].To
				continue
			}
			if len(n.Edges) == 0 {
				m.p("%s- end\n", ind)
				return
			}
			for _, e := range n.Edges {
				m.p("%s  - *%s* →\n", ind, esc(e.Label))
				walk(e.To, depth+2)
			}
			return
		}
	}
	if j.Start != "" {
		walk(j.Start, 0)
	} else {
		m.p("- ⚠ no start activity\n")
	}
	first := true
	for _, n := range j.Nodes {
		if seen[n.ID] {
			continue
		}
		if first {
			m.p("- **Not reachable from the start:**\n")
			first = false
		}
		walk(n.ID, 1)
	}
	m.p("\n")
}

func stepLine(n *node) string {
	s := fmt.Sprintf("`%s` **%s**", code(n.ID), n.Type)
	if len(n.Params) > 0 {
		s += ": " + esc(strings.Join(n.Params, "; "))
	}
	if n.Description != "" {
		s += " — " + esc(n.Description)
	}
	if len(n.Findings) > 0 {
		var rs []string
		for _, f := range n.Findings {
			rs = append(rs, fmt.Sprintf("[%s](#%s)", code(f.F.Rule), f.Anchor))
		}
		s += fmt.Sprintf(" ⚑ %s: %s", n.Class, strings.Join(rs, ", "))
	}
	return s
}

func (r *row) anchorLabel() string {
	s := fmt.Sprintf("<a id=\"%s\"></a>%s", r.Anchor, esc(r.Label))
	if r.Label != r.W.ResourceID {
		s += " `" + code(r.W.ResourceID) + "`"
	}
	return s
}

func destCell(r *row) string {
	s := r.W.Destination
	if r.Evidence != "" {
		s += ": " + esc(r.Evidence)
	}
	return s
}

func ruleList(fs []*findingView) string {
	var out []string
	for _, f := range fs {
		out = append(out, fmt.Sprintf("[%s](#%s)", code(f.F.Rule), f.Anchor))
	}
	if len(out) == 0 {
		return "none"
	}
	return strings.Join(out, " ")
}

func collect(lists ...[]*row) []*findingView {
	var out []*findingView
	for _, l := range lists {
		for _, r := range l {
			out = append(out, r.Findings...)
		}
	}
	return out
}

func countList(cs []count) string {
	var out []string
	for _, c := range cs {
		out = append(out, fmt.Sprintf("%s %d", esc(c.Key), c.N))
	}
	if len(out) == 0 {
		return "none"
	}
	return strings.Join(out, ", ")
}

func whereApp(c assess.ChecklistItem) string {
	s := ""
	if c.Where != "" {
		s += " (" + esc(c.Where) + ")"
	}
	if c.App != "" {
		s += " · " + esc(c.App)
	}
	return s
}

func mdLink(l link) string {
	if l.Href == "" {
		return esc(l.Text)
	}
	return fmt.Sprintf("[%s](%s)", esc(l.Text), l.Href)
}

func short(s string) string {
	if len(s) > 12 {
		return s[:12]
	}
	return s
}

var mdEscaper = strings.NewReplacer(
	"\\", "\\\\", "|", "\\|", "<", "&lt;", ">", "&gt;", "&", "&amp;",
	"*", "\\*", "_", "\\_", "`", "\\`", "[", "\\[", "]", "\\]",
	"\r\n", " ", "\n", " ", "\r", " ",
)

// esc makes text safe in Markdown prose and table cells: no markup, no
// raw HTML, no line breaks.
func esc(s string) string { return mdEscaper.Replace(s) }

func escJoin(l []string, sep string) string {
	out := make([]string, len(l))
	for i, s := range l {
		out[i] = esc(s)
	}
	return strings.Join(out, sep)
}

// code makes text safe inside a one-backtick code span.
func code(s string) string {
	s = strings.NewReplacer("`", "'", "|", "\\|", "\n", " ", "\r", " ").Replace(s)
	return s
}
