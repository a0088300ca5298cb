package assess

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/p2c/p2c/internal/inventory"
)

// Rule is one entry of the catalogue. Rules register themselves from the
// rules_*.go files; docs/rules.md is generated from the catalogue.
type Rule struct {
	// ID is stable and never reused: PREFIX-NAME (SEG-GPS, CMP-AB, ...).
	ID string
	// Kind is the workload kind the rule looks at.
	Kind string
	// Class is the gap class of its findings (a Hit may raise it).
	Class string
	// Title names the rule in a few words; Doc says what it checks, why it
	// matters on the target, and what p2c does about it.
	Title string
	Doc   string
	// Phase orders the checklist items of manual and redesign findings:
	// prerequisites, data, build, cutover, decommission.
	Phase string
	// Check returns a hit per occurrence; nil when the rule does not fire.
	Check func(s *Subject) []Hit
}

// Hit is one occurrence of a rule on a workload.
type Hit struct {
	Field   string // source field path
	Message string // one sentence
	Action  string // what a person must decide or do (redesign, manual)
	Node    string // journey activity id, when about one
	Detail  string // distinguishes several hits of one rule on one workload
	Class   string // overrides the rule's class when set
	Where   string // console page / support case / CLI, for the checklist
}

// Subject is what a rule sees: the workload, its decoded wire object, and
// the inventory around it.
type Subject struct {
	Workload *Workload
	// Object is the wire object (latest version) decoded; nil for
	// workloads without one (endpoint population, account, IaC).
	Object map[string]any
	Raw    json.RawMessage
	Inv    *inventory.Inventory
	Region *inventory.Region
	App    *inventory.App // nil for region-level workloads
	// Template, Segment, Campaign, Journey point at the inventory entry of
	// the workload when it is one of those.
	Template *inventory.Template
	Segment  *inventory.Segment
	Campaign *inventory.Campaign
	Journey  *inventory.Journey
	// Channel is the channel type (EMAIL, SMS, APNS, ...) of a channel
	// workload.
	Channel string
	// IaC lists the provenance entries of an IaC workload (one per
	// resource the file declared).
	IaC []inventory.Provenance
}

var catalogue []*Rule

// register adds rules to the catalogue; ids must be unique.
func register(rules ...*Rule) {
	for _, r := range rules {
		for _, x := range catalogue {
			if x.ID == r.ID {
				panic("assess: duplicate rule id " + r.ID)
			}
		}
		if ClassRank[r.Class] == 0 && r.Class != Direct {
			panic("assess: rule " + r.ID + " has unknown class " + r.Class)
		}
		catalogue = append(catalogue, r)
	}
}

// Catalogue returns every rule, sorted by id.
func Catalogue() []*Rule {
	out := append([]*Rule(nil), catalogue...)
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// RuleByID finds a rule.
func RuleByID(id string) *Rule {
	for _, r := range catalogue {
		if r.ID == id {
			return r
		}
	}
	return nil
}

// RulesMarkdown renders the catalogue as docs/rules.md.
func RulesMarkdown() string {
	var b strings.Builder
	b.WriteString("# Assessment rules\n\n")
	b.WriteString("Generated from the code (`go test ./internal/assess -run TestRulesDoc -update`); do not edit by hand.\n\n")
	b.WriteString("Gap classes: `direct` maps 1:1; `transform` is a deterministic rewrite p2c automates; `redesign` has no\n")
	b.WriteString("equivalent, p2c proposes a shape and a person accepts it; `manual` needs a person to act outside p2c.\n\n")
	kinds := map[string][]*Rule{}
	var order []string
	for _, r := range Catalogue() {
		if _, ok := kinds[r.Kind]; !ok {
			order = append(order, r.Kind)
		}
		kinds[r.Kind] = append(kinds[r.Kind], r)
	}
	sort.Strings(order)
	fmt.Fprintf(&b, "%d rules.\n\n", len(catalogue))
	for _, k := range order {
		fmt.Fprintf(&b, "## %s\n\n| rule | class | title | what it checks |\n|---|---|---|---|\n", k)
		for _, r := range kinds[k] {
			fmt.Fprintf(&b, "| `%s` | %s | %s | %s |\n", r.ID, r.Class, r.Title, strings.ReplaceAll(r.Doc, "\n", " "))
		}
		b.WriteString("\n")
	}
	return b.String()
}

// helpers for rules over decoded JSON ------------------------------------

// Obj returns the object member at a dotted path, or nil.
func Obj(m map[string]any, path string) map[string]any {
	cur := m
	for _, p := range strings.Split(path, ".") {
		next, _ := cur[p].(map[string]any)
		if next == nil {
			return nil
		}
		cur = next
	}
	return cur
}

// Str returns the string member at a dotted path, or "".
func Str(m map[string]any, path string) string {
	i := strings.LastIndex(path, ".")
	if i >= 0 {
		m = Obj(m, path[:i])
		path = path[i+1:]
	}
	if m == nil {
		return ""
	}
	switch v := m[path].(type) {
	case string:
		return v
	case json.Number:
		return v.String()
	case float64:
		return fmt.Sprint(v)
	case bool:
		return fmt.Sprint(v)
	}
	return ""
}

// Num returns the number at a dotted path and whether it is there.
func Num(m map[string]any, path string) (float64, bool) {
	i := strings.LastIndex(path, ".")
	if i >= 0 {
		m = Obj(m, path[:i])
		path = path[i+1:]
	}
	if m == nil {
		return 0, false
	}
	switch v := m[path].(type) {
	case float64:
		return v, true
	case json.Number:
		f, err := v.Float64()
		return f, err == nil
	}
	return 0, false
}

// Has reports whether a dotted path holds a non-empty value.
func Has(m map[string]any, path string) bool {
	i := strings.LastIndex(path, ".")
	if i >= 0 {
		m = Obj(m, path[:i])
		path = path[i+1:]
	}
	if m == nil {
		return false
	}
	switch v := m[path].(type) {
	case nil:
		return false
	case string:
		return v != ""
	case map[string]any:
		return len(v) > 0
	case []any:
		return len(v) > 0
	}
	return true
}

// List returns the list at a dotted path.
func List(m map[string]any, path string) []any {
	i := strings.LastIndex(path, ".")
	if i >= 0 {
		m = Obj(m, path[:i])
		path = path[i+1:]
	}
	if m == nil {
		return nil
	}
	l, _ := m[path].([]any)
	return l
}

// decode turns a wire object into a map (numbers as float64).
func decode(raw json.RawMessage) map[string]any {
	if len(raw) == 0 {
		return nil
	}
	var m map[string]any
	if json.Unmarshal(raw, &m) != nil {
		return nil
	}
	return m
}
