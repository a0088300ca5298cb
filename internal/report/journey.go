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

// journeyView is one journey: its activities as a graph, laid out for the
// SVG diagram and walked for the Markdown step list.
type journeyView struct {
	ID       string
	Name     string
	State    string
	Anchor   string
	Row      string // anchor of the workload row
	AppLabel string
	Region   string
	Start    string // start activity id
	StartCnd string // summary of StartCondition
	Nodes    []*node
	byID     map[string]*node
	// Loose are journey findings not tied to a drawn activity.
	Loose []*findingView
	// Missing lists edge targets that are not activities (a broken
	// journey); the diagram draws them as red stubs.
	Missing []string
	Diagram *diagram
}

// node is one activity.
type node struct {
	ID          string
	Type        string
	Params      []string // key parameters, short
	Description string
	Edges       []*edge
	Findings    []*findingView
	Class       string // worst finding class, "" without findings
	Reachable   bool
	// layout
	Layer, Pos int
	X, Y       float64
}

type edge struct {
	To    string
	Label string
	Back  bool // closes a cycle (drawn on the side)
}

// activityTypes are the Activity members that hold the activity, in the
// order the wire model lists them.
var activityTypes = []string{"EMAIL", "SMS", "PUSH", "CUSTOM", "ContactCenter", "Wait", "Holdout", "ConditionalSplit", "MultiCondition", "RandomSplit"}

func buildJourney(j *inventory.Journey, app *inventory.App, r *row, fs []*findingView, showPII bool) *journeyView {
	obj := map[string]any{}
	if len(j.Object) > 0 {
		_ = json.Unmarshal(j.Object, &obj) // an undecodable journey draws empty
	}
	jv := &journeyView{ID: j.ID, Name: j.Name, State: j.State, byID: map[string]*node{}}
	if jv.Name == "" {
		jv.Name = assess.Str(obj, "Name")
	}
	if jv.State == "" {
		jv.State = assess.Str(obj, "State")
	}
	cs := condSummarizer{app: app, showPII: showPII}
	acts := assess.Obj(obj, "Activities")
	ids := make([]string, 0, len(acts))
	for id := range acts {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		a, _ := acts[id].(map[string]any)
		n := &node{ID: id, Type: "unknown", Description: assess.Str(a, "Description")}
		for _, t := range activityTypes {
			if body := assess.Obj(a, t); body != nil || a[t] != nil {
				n.Type = t
				describe(n, t, body, cs)
				break
			}
		}
		jv.Nodes = append(jv.Nodes, n)
		jv.byID[id] = n
	}
	jv.Start = assess.Str(obj, "StartActivity")
	jv.StartCnd = startSummary(assess.Obj(obj, "StartCondition"), cs)
	for _, f := range fs {
		if n := jv.byID[f.F.Node]; f.F.Node != "" && n != nil {
			n.Findings = append(n.Findings, f)
			if n.Class == "" || assess.ClassRank[f.F.Class] > assess.ClassRank[n.Class] {
				n.Class = f.F.Class
			}
		} else {
			jv.Loose = append(jv.Loose, f)
		}
	}
	missing := map[string]bool{}
	for _, n := range jv.Nodes {
		for _, e := range n.Edges {
			if jv.byID[e.To] == nil {
				missing[e.To] = true
			}
		}
	}
	if jv.Start != "" && jv.byID[jv.Start] == nil {
		missing[jv.Start] = true
	}
	for id := range missing {
		jv.Missing = append(jv.Missing, id)
	}
	sort.Strings(jv.Missing)
	return jv
}

// describe fills an activity's parameters and outgoing edges.
func describe(n *node, typ string, a map[string]any, cs condSummarizer) {
	next := func(field, label string) {
		if to := assess.Str(a, field); to != "" {
			n.Edges = append(n.Edges, &edge{To: to, Label: label})
		}
	}
	tmpl := func() {
		if t := assess.Str(a, "TemplateName"); t != "" {
			s := "template " + t
			if v := assess.Str(a, "TemplateVersion"); v != "" {
				s += " v" + v
			}
			n.Params = append(n.Params, s)
		} else {
			n.Params = append(n.Params, "no template")
		}
	}
	switch typ {
	case "EMAIL", "PUSH":
		tmpl()
		next("NextActivity", "")
	case "SMS":
		tmpl()
		if mt := assess.Str(a, "MessageConfig.MessageType"); mt != "" {
			n.Params = append(n.Params, strings.ToLower(mt))
		}
		next("NextActivity", "")
	case "CUSTOM":
		tmpl()
		n.Params = append(n.Params, "delivery: "+deliveryKind(assess.Str(a, "DeliveryUri"))+channelList(assess.List(a, "EndpointTypes")))
		next("NextActivity", "")
	case "ContactCenter":
		n.Params = append(n.Params, "Connect campaign call")
		next("NextActivity", "")
	case "Wait":
		n.Params = append(n.Params, waitSummary(assess.Obj(a, "WaitTime")))
		next("NextActivity", "")
	case "Holdout":
		p, _ := assess.Num(a, "Percentage")
		n.Params = append(n.Params, fmt.Sprintf("holdout %s%%", num(p)))
		next("NextActivity", "")
	case "ConditionalSplit":
		conds := assess.List(a, "Condition.Conditions")
		op := assess.Str(a, "Condition.Operator")
		if op == "" {
			op = "ALL"
		}
		var parts []string
		for _, c := range conds {
			m, _ := c.(map[string]any)
			parts = append(parts, cs.simple(m))
		}
		n.Params = append(n.Params, fmt.Sprintf("%s of %d condition(s)", op, len(conds)))
		if w := assess.Obj(a, "EvaluationWaitTime"); w != nil {
			n.Params = append(n.Params, evalSummary(w))
		}
		joiner := " and "
		if op == "ANY" {
			joiner = " or "
		}
		yes := "yes"
		if len(parts) > 0 {
			yes = "yes: " + strings.Join(parts, joiner)
		}
		next("TrueActivity", yes)
		next("FalseActivity", "no")
	case "MultiCondition":
		br := assess.List(a, "Branches")
		n.Params = append(n.Params, fmt.Sprintf("%d branch(es) + default", len(br)))
		if w := assess.Obj(a, "EvaluationWaitTime"); w != nil {
			n.Params = append(n.Params, evalSummary(w))
		}
		for i, b := range br {
			m, _ := b.(map[string]any)
			if to := assess.Str(m, "NextActivity"); to != "" {
				n.Edges = append(n.Edges, &edge{To: to, Label: fmt.Sprintf("%d: %s", i+1, cs.simple(assess.Obj(m, "Condition")))})
			}
		}
		next("DefaultActivity", "default")
	case "RandomSplit":
		br := assess.List(a, "Branches")
		var ps []string
		for _, b := range br {
			m, _ := b.(map[string]any)
			p, _ := assess.Num(m, "Percentage")
			ps = append(ps, num(p)+"%")
			if to := assess.Str(m, "NextActivity"); to != "" {
				n.Edges = append(n.Edges, &edge{To: to, Label: num(p) + "%"})
			}
		}
		n.Params = append(n.Params, "random "+strings.Join(ps, " / "))
	}
}

func num(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

func channelList(l []any) string {
	var out []string
	for _, x := range l {
		if s, ok := x.(string); ok {
			out = append(out, s)
		}
	}
	if len(out) == 0 {
		return ""
	}
	return " (" + strings.Join(out, ", ") + ")"
}

// deliveryKind names the kind of a custom delivery target without its
// address: a Lambda function or an HTTPS endpoint.
func deliveryKind(uri string) string {
	switch {
	case uri == "":
		return "none"
	case strings.HasPrefix(uri, "https://"):
		return "HTTPS endpoint"
	case strings.HasPrefix(uri, "arn:") && strings.Contains(uri, ":lambda:"), !strings.Contains(uri, "/"):
		return "Lambda " + lastPart(uri)
	}
	return "custom"
}

func lastPart(s string) string {
	s = strings.TrimSuffix(s, ":$LATEST")
	if i := strings.LastIndexAny(s, ":/"); i >= 0 && i < len(s)-1 {
		return s[i+1:]
	}
	return s
}

// evalSummary describes a split's EvaluationWaitTime.
func evalSummary(w map[string]any) string {
	if d := assess.Str(w, "WaitFor"); d != "" {
		return "evaluate after " + humanDuration(d)
	}
	if u := assess.Str(w, "WaitUntil"); u != "" {
		return "evaluate at " + u
	}
	return "evaluate at once"
}

func waitSummary(w map[string]any) string {
	if d := assess.Str(w, "WaitFor"); d != "" {
		return "wait " + humanDuration(d)
	}
	if u := assess.Str(w, "WaitUntil"); u != "" {
		return "wait until " + u
	}
	return "wait (no time)"
}

var durationRE = regexp.MustCompile(`^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$`)

// humanDuration renders an ISO 8601 duration ("P1DT2H") for people
// ("1 d 2 h"); anything it does not recognize is shown as written.
func humanDuration(d string) string {
	m := durationRE.FindStringSubmatch(d)
	if m == nil || d == "P" || d == "PT" {
		return d
	}
	units := []string{"y", "mo", "w", "d", "h", "min", "s"}
	var parts []string
	for i, u := range units {
		if v := m[i+1]; v != "" && v != "0" {
			parts = append(parts, v+" "+u)
		}
	}
	if len(parts) == 0 {
		return "0"
	}
	return strings.Join(parts, " ")
}

// condSummarizer writes journey conditions compactly.
type condSummarizer struct {
	app     *inventory.App
	showPII bool
}

func (cs condSummarizer) segment(id string) string {
	if cs.app != nil {
		for _, s := range cs.app.Segments {
			if s.ID == id && s.Name != "" {
				return "segment " + quote(s.Name)
			}
		}
	}
	return "segment " + id
}

// simple summarizes a SimpleCondition.
func (cs condSummarizer) simple(c map[string]any) string {
	var parts []string
	if e := assess.Obj(c, "EventCondition"); e != nil {
		s := cs.eventDims(assess.Obj(e, "Dimensions"))
		if ma := assess.Str(e, "MessageActivity"); ma != "" {
			if s == "" {
				s = "message event"
			}
			s += " on " + ma
		}
		if s == "" {
			s = "any event"
		}
		parts = append(parts, s)
	}
	if sc := assess.Obj(c, "SegmentCondition"); sc != nil {
		parts = append(parts, "in "+cs.segment(assess.Str(sc, "SegmentId")))
	}
	if d := assess.Obj(c, "segmentDimensions"); d != nil {
		parts = append(parts, cs.dims(d))
	}
	if len(parts) == 0 {
		return "(empty condition)"
	}
	return strings.Join(parts, "; ")
}

func startSummary(sc map[string]any, cs condSummarizer) string {
	if sc == nil {
		return "no start condition"
	}
	var parts []string
	if s := assess.Obj(sc, "SegmentStartCondition"); s != nil {
		parts = append(parts, "everyone in "+cs.segment(assess.Str(s, "SegmentId")))
	}
	if e := assess.Obj(sc, "EventStartCondition"); e != nil {
		s := "event"
		if f := assess.Obj(e, "EventFilter"); f != nil {
			if d := cs.eventDims(assess.Obj(f, "Dimensions")); d != "" {
				s = d
			}
			if ft := assess.Str(f, "FilterType"); ft != "" {
				s += " (" + strings.ToLower(ft) + ")"
			}
		}
		if seg := assess.Str(e, "SegmentId"); seg != "" {
			s += " among " + cs.segment(seg)
		}
		parts = append(parts, s)
	}
	if len(parts) == 0 {
		if d := assess.Str(sc, "Description"); d != "" {
			return d
		}
		return "no start condition"
	}
	return strings.Join(parts, "; ")
}

func (cs condSummarizer) eventDims(d map[string]any) string {
	if d == nil {
		return ""
	}
	var parts []string
	if et := assess.Obj(d, "EventType"); et != nil {
		parts = append(parts, "event "+cs.set(et))
	}
	parts = append(parts, cs.attrs("attr", assess.Obj(d, "Attributes"))...)
	parts = append(parts, metrics("metric", assess.Obj(d, "Metrics"))...)
	return strings.Join(parts, ", ")
}

// dims summarizes SegmentDimensions.
func (cs condSummarizer) dims(d map[string]any) string {
	var parts []string
	parts = append(parts, cs.attrs("", assess.Obj(d, "Attributes"))...)
	parts = append(parts, cs.attrs("user.", assess.Obj(d, "UserAttributes"))...)
	parts = append(parts, metrics("", assess.Obj(d, "Metrics"))...)
	if demo := assess.Obj(d, "Demographic"); demo != nil {
		for _, k := range sortedKeys(demo) {
			if s, _ := demo[k].(map[string]any); s != nil {
				parts = append(parts, k+" "+cs.set(s))
			}
		}
	}
	if loc := assess.Obj(d, "Location"); loc != nil {
		if c := assess.Obj(loc, "Country"); c != nil {
			parts = append(parts, "Country "+cs.set(c))
		}
		if g := assess.Obj(loc, "GPSPoint"); g != nil {
			r, ok := assess.Num(g, "RangeInKilometers")
			if !ok {
				r = 100 // the API's default range
			}
			parts = append(parts, "within "+num(r)+" km of a GPS point")
		}
	}
	if rec := assess.Obj(d, "Behavior.Recency"); rec != nil {
		parts = append(parts, strings.ToLower(assess.Str(rec, "RecencyType"))+" in the last "+recency(assess.Str(rec, "Duration")))
	}
	if len(parts) == 0 {
		return "(no dimensions)"
	}
	return strings.Join(parts, ", ")
}

func recency(d string) string {
	switch d {
	case "HR_24":
		return "24 h"
	case "DAY_7":
		return "7 days"
	case "DAY_14":
		return "14 days"
	case "DAY_30":
		return "30 days"
	}
	return d
}

func (cs condSummarizer) set(s map[string]any) string {
	op := "in"
	if assess.Str(s, "DimensionType") == "EXCLUSIVE" {
		op = "not in"
	}
	return op + " " + cs.values(assess.List(s, "Values"))
}

func (cs condSummarizer) attrs(prefix string, m map[string]any) []string {
	var out []string
	for _, k := range sortedKeys(m) {
		a, _ := m[k].(map[string]any)
		op := strings.ToLower(assess.Str(a, "AttributeType"))
		switch op {
		case "", "inclusive":
			op = "in"
		case "exclusive":
			op = "not in"
		}
		out = append(out, prefix+k+" "+op+" "+cs.values(assess.List(a, "Values")))
	}
	return out
}

var metricOps = map[string]string{"GREATER_THAN": ">", "LESS_THAN": "<", "GREATER_THAN_OR_EQUAL": "≥", "LESS_THAN_OR_EQUAL": "≤", "EQUAL": "="}

func metrics(prefix string, m map[string]any) []string {
	var out []string
	for _, k := range sortedKeys(m) {
		a, _ := m[k].(map[string]any)
		op := assess.Str(a, "ComparisonOperator")
		if s, ok := metricOps[op]; ok {
			op = s
		}
		v, _ := assess.Num(a, "Value")
		out = append(out, strings.TrimSpace(prefix+" "+k)+" "+op+" "+num(v))
	}
	return out
}

// maxValues bounds the values listed in a condition summary.
const maxValues = 3

func (cs condSummarizer) values(l []any) string {
	var vs []string
	for i, x := range l {
		if i == maxValues {
			vs = append(vs, fmt.Sprintf("+%d", len(l)-maxValues))
			break
		}
		s := fmt.Sprint(x)
		if !cs.showPII && looksPersonal(s) {
			s = "[redacted]"
		}
		vs = append(vs, s)
	}
	return "[" + strings.Join(vs, ", ") + "]"
}

var (
	emailRE = regexp.MustCompile(`[^@\s]+@[^@\s]+\.[A-Za-z]{2,}`)
	phoneRE = regexp.MustCompile(`^\+?[0-9][0-9 ()-]{6,}[0-9]$`)
)

// looksPersonal spots condition values that may be personal data: an
// e-mail address or a phone number.
func looksPersonal(s string) bool {
	return emailRE.MatchString(s) || phoneRE.MatchString(s)
}

func quote(s string) string { return "“" + s + "”" }

func sortedKeys(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
