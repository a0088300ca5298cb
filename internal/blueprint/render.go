package blueprint

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"
)

// actionSymbols mark steps in the text view, as plan tools do.
var actionSymbols = map[string]string{Create: "+", Update: "~", NoOp: "=", Delete: "-"}

// Symbol returns the mark of a step in the text view: "!" while it waits
// on a decision, else its action's.
func Symbol(s *Step) string {
	if len(s.WaitsOn) > 0 {
		return "!"
	}
	if sym, ok := actionSymbols[s.Action]; ok {
		return sym
	}
	return "?"
}

// group is the steps of one region and app (app "" holds the region's
// shared resources), by kind in plan order.
type group struct {
	region, app, appName string
	kinds                []string
	byKind               map[string][]*Step
	n                    int
	counts               map[string]int
}

func groups(p *Plan) []*group {
	idx := map[string]*group{}
	var out []*group
	for i := range p.Steps {
		s := &p.Steps[i]
		key := s.Region + "\x00" + s.App
		g := idx[key]
		if g == nil {
			g = &group{region: s.Region, app: s.App, appName: s.AppName, byKind: map[string][]*Step{}, counts: map[string]int{}}
			idx[key] = g
			out = append(out, g)
		}
		if g.appName == "" {
			g.appName = s.AppName
		}
		if _, seen := g.byKind[s.Kind]; !seen {
			g.kinds = append(g.kinds, s.Kind)
		}
		g.byKind[s.Kind] = append(g.byKind[s.Kind], s)
		g.n++
		g.counts[Symbol(s)]++
	}
	// Regions in order, each one's shared resources first, then apps by
	// name: the order people read an account in.
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.region != b.region {
			return a.region < b.region
		}
		if (a.app == "") != (b.app == "") {
			return a.app == ""
		}
		if a.appName != b.appName {
			return a.appName < b.appName
		}
		return a.app < b.app
	})
	return out
}

func (g *group) title() string {
	if g.app == "" {
		return g.region + " · shared"
	}
	name := g.appName
	if name == "" {
		name = g.app
	}
	return fmt.Sprintf("%s · app %s (%s)", g.region, name, g.app)
}

// RenderText writes the plan for people: per region and app, per kind, one
// line per step with its mark (+ create, ~ update, = no-op, - delete,
// ! waits on a decision), then the counts, the quotas and the open
// decisions.
func RenderText(w io.Writer, p *Plan) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, g := range groups(p) {
		fmt.Fprintf(tw, "%s: %s\n", g.title(), groupCounts(g))
		for _, kind := range g.kinds {
			steps := g.byKind[kind]
			fmt.Fprintf(tw, "  %s (%d)\n", kind, len(steps))
			for _, s := range steps {
				if note := stepNote(s); note != "" {
					fmt.Fprintf(tw, "    %s %s\t%s\t%s\n", Symbol(s), s.Action, s.Name, note)
				} else {
					fmt.Fprintf(tw, "    %s %s\t%s\n", Symbol(s), s.Action, s.Name)
				}
			}
		}
		fmt.Fprintln(tw)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(w, "Plan: %s.\n", totals(p))
	over := 0
	for _, q := range p.Quotas {
		if !q.OK {
			over++
		}
	}
	switch {
	case len(p.Quotas) == 0:
	case over == 0:
		fmt.Fprintf(w, "Quotas: %d checked, all within the target's limits.\n", len(p.Quotas))
	default:
		fmt.Fprintf(w, "Quotas: %d of %d over the target's limits:\n", over, len(p.Quotas))
		for _, q := range p.Quotas {
			if !q.OK {
				fmt.Fprintf(w, "  %s %s %s: %d planned, limit %d%s\n", q.Region, q.Scope, q.Quota, q.Planned, q.Limit, suffix(q.Note))
			}
		}
	}
	if n := len(p.OpenDecisions); n > 0 {
		fmt.Fprintf(w, "Open decisions (%d):\n", n)
		for _, k := range p.OpenDecisions {
			fmt.Fprintf(w, "  %s\n", k)
		}
	} else {
		fmt.Fprintln(w, "Open decisions: none.")
	}
	return nil
}

func stepNote(s *Step) string {
	var notes []string
	switch n := len(s.WaitsOn); {
	case n > 2:
		// The full list is in plan.json; a line stays readable.
		notes = append(notes, fmt.Sprintf("waits on decision %s, %s and %d more", s.WaitsOn[0], s.WaitsOn[1], n-2))
	case n > 0:
		notes = append(notes, "waits on decision "+strings.Join(s.WaitsOn, ", "))
	}
	if s.Redesign {
		notes = append(notes, "redesign: a person accepts it")
	}
	if s.Rollback.Policy == RollbackRetain {
		notes = append(notes, "retained on rollback")
	}
	return strings.Join(notes, "; ")
}

func groupCounts(g *group) string {
	var parts []string
	for _, sym := range []string{"+", "~", "=", "-", "!"} {
		if n := g.counts[sym]; n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, sym))
		}
	}
	return fmt.Sprintf("%d steps (%s)", g.n, strings.Join(parts, ", "))
}

func totals(p *Plan) string {
	s := p.Summary
	parts := []string{
		fmt.Sprintf("%d steps", s.Steps),
		fmt.Sprintf("%d to create", s.ByAction[Create]),
		fmt.Sprintf("%d to update", s.ByAction[Update]),
		fmt.Sprintf("%d no-op", s.ByAction[NoOp]),
		fmt.Sprintf("%d to delete", s.ByAction[Delete]),
		fmt.Sprintf("%d waiting on decisions", s.Waiting),
	}
	if s.Redesign > 0 {
		parts = append(parts, fmt.Sprintf("%d redesign proposals", s.Redesign))
	}
	return strings.Join(parts, ", ")
}

func suffix(note string) string {
	if note == "" {
		return ""
	}
	return " (" + note + ")"
}
