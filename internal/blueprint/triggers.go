package blueprint

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/p2c/p2c/internal/assess"
	"github.com/p2c/p2c/internal/inventory"
)

// Customer Profiles event triggers (connect-target.md 3.10) for event
// campaigns (CMP-EVENT) and journeys that start on an event
// (JRN-START-EVENT). The app's events must reach Customer Profiles as
// objects of one event object type (CMP-EVENT-SOURCE); the trigger tests
// that type's fields named as in Pinpoint's PutEvents: EventType,
// Attributes.<name> and Metrics.<name>.

func init() {
	registerStage(Stage{Name: "event-triggers", Order: 40, Build: buildEventTriggers})
}

const (
	trgMaxDims       = 10
	trgMaxValues     = 10
	trgQuota         = 50 // event triggers per domain (3.13)
	trgDefaultExpiry = 5 * 60 * 1000
)

var (
	trgNameBad  = regexp.MustCompile(`[^a-zA-Z0-9_-]+`)
	trgFieldOK  = regexp.MustCompile(`^[a-zA-Z0-9_.-]{1,64}$`)
	trgAttrOps  = map[string]string{"INCLUSIVE": "INCLUSIVE", "EXCLUSIVE": "EXCLUSIVE", "CONTAINS": "CONTAINS", "BEFORE": "BEFORE", "AFTER": "AFTER", "ON": "ON", "BETWEEN": "BETWEEN"}
	trgMetricOp = map[string]string{"GREATER_THAN": "GREATER_THAN", "LESS_THAN": "LESS_THAN", "GREATER_THAN_OR_EQUAL": "GREATER_THAN_OR_EQUAL", "LESS_THAN_OR_EQUAL": "LESS_THAN_OR_EQUAL", "EQUAL": "EQUAL"}
)

// trgName is a stable event trigger name (^[a-zA-Z0-9_-]+$, ≤64).
func trgName(kind, name, id string) string {
	n := strings.Trim(trgNameBad.ReplaceAllString(name, "-"), "-")
	i := strings.Trim(trgNameBad.ReplaceAllString(id, "-"), "-")
	if len(i) > 12 {
		i = i[:12]
	}
	base := kind
	if n != "" {
		base += "-" + n
	}
	if len(base) > 64-len(i)-1 {
		base = strings.TrimRight(base[:64-len(i)-1], "-")
	}
	return base + "-" + i
}

func buildEventTriggers(b *Builder) error {
	if b.In.Inventory == nil {
		return nil
	}
	for ri := range b.In.Inventory.Regions {
		r := &b.In.Inventory.Regions[ri]
		count := map[string]int{} // by domain
		for ai := range r.Apps {
			app := &r.Apps[ai]
			for _, c := range app.Campaigns {
				o := cmpDecode(c.Object)
				if assess.Str(o, "Schedule.Frequency") != "EVENT" {
					continue
				}
				fs := b.Findings(assess.WorkloadID(r.Name, app.ID, assess.KindCampaign, c.ID))
				if cmpHas(fs, "CMP-FINISHED") != nil || cmpHas(fs, "CMP-IN-APP") != nil {
					continue // not recreated, so nothing to trigger
				}
				name := c.Name
				if name == "" {
					name = assess.Str(o, "Name")
				}
				expiry := int64(trgDefaultExpiry)
				why := "Pinpoint dropped event messages not delivered within 5 minutes"
				if d, ok := assess.Num(o, "Limits.MaximumDuration"); ok && d > 0 {
					expiry = int64(d) * 1000
					why = fmt.Sprintf("Limits.MaximumDuration %d s", int(d))
				}
				count[addTrigger(b, r, app, trgInput{kind: "campaign", id: c.ID, name: name, version: cmpVersion(&c, o),
					filter: assess.Obj(o, "Schedule.EventFilter"), segment: assess.Str(o, "SegmentId"),
					expiry: expiry, expiryWhy: why, findings: fs})]++
			}
			for _, j := range app.Journeys {
				o := cmpDecode(j.Object)
				ev := assess.Obj(o, "StartCondition.EventStartCondition")
				if ev == nil || jrnRetired(j, o) != "" {
					continue
				}
				name := j.Name
				if name == "" {
					name = assess.Str(o, "Name")
				}
				count[addTrigger(b, r, app, trgInput{kind: "journey", id: j.ID, name: name,
					filter: assess.Obj(ev, "EventFilter"), segment: assess.Str(ev, "SegmentId"),
					findings: b.Findings(assess.WorkloadID(r.Name, app.ID, assess.KindJourney, j.ID))})]++
			}
		}
		// The note matches the quota stage's, which then does not repeat
		// the check.
		for _, d := range sortedKeys(count) {
			b.Quota(QuotaCheck{Region: r.Name, Scope: "domain", Quota: "event triggers per domain", Limit: trgQuota, Planned: count[d],
				Note: "domain " + d})
		}
	}
	return nil
}

type trgInput struct {
	kind, id, name, version string
	filter                  map[string]any
	segment                 string
	expiry                  int64 // ms; 0: none
	expiryWhy               string
	findings                []assess.Finding
}

// addTrigger adds one trigger and returns the domain it goes into.
func addTrigger(b *Builder, r *inventory.Region, app *inventory.App, in trgInput) string {
	var n cmpNeeds
	domain := cmpDomain(b, r.Name, app.ID, &n)
	otKey := r.Name + ".event-object-type"
	ot := b.Ask(Question{Key: otKey,
		Context: "The Customer Profiles object type in " + r.Name + " that the application's events are sent to (PutProfileObject), with fields EventType, " +
			"Attributes.<name> and Metrics.<name> as in Pinpoint PutEvents. Event triggers test its objects.",
		Suggested: "PinpointEvent",
		Why:       "Pinpoint events have no Customer Profiles home until the app sends them there (CMP-EVENT-SOURCE); one object type for all of them keeps the triggers simple.",
		Kind:      "name"})
	if ot == "" {
		n.wait(otKey)
		ot = cmpDecision(otKey)
	} else if id := trgEventObjectType(b, r.Name, app, domain, ot, &n); id != "" {
		n.dep(id)
	}
	triggerName := trgName(in.kind, in.name, in.id)
	conds := trgConditions(b, r.Name, in, ot, &n)
	spec := map[string]any{
		"DomainName":             domain,
		"EventTriggerName":       triggerName,
		"ObjectTypeName":         ot,
		"Description":            fmt.Sprintf("p2c: starts %s %s (Pinpoint %s %s)", in.kind, in.name, in.kind, in.id),
		"EventTriggerConditions": conds,
	}
	if in.segment != "" {
		_, def := cmpSegmentARN(b, r.Name, app.ID, in.id, in.segment, 0, &n)
		if def != "" {
			spec["SegmentFilter"] = def
			n.note("only members of segment %s (segment definition %s) fire the trigger, as in Pinpoint", in.segment, def)
		} else {
			n.note("not carried: segment %s has no segment definition name yet; SegmentFilter is left out until the decision gives it", in.segment)
		}
	}
	if in.expiry > 0 {
		spec["EventTriggerLimits"] = map[string]any{"EventExpiration": in.expiry}
		n.note("EventExpiration %d ms (%s), so nothing fires late", in.expiry, in.expiryWhy)
	}
	redesign := cmpRedesign(in.findings)
	if ft := assess.Str(in.filter, "FilterType"); ft == "SYSTEM" {
		redesign = true
		n.note("the filter is on Pinpoint SYSTEM events, which never reach Customer Profiles: the trigger is a placeholder to redesign (CMP-EVENT-GAP)")
	}
	b.Add(Step{ID: StepID("event-trigger", r.Name, app.ID, in.kind+"/"+in.id), Region: r.Name, App: app.ID, AppName: app.Name,
		Kind: "event-trigger", Name: triggerName, Service: "customer-profiles", Operation: "CreateEventTrigger", Spec: Spec(spec),
		DependsOn: n.deps, WaitsOn: n.waits, Redesign: redesign,
		Sources:         []Source{{Kind: in.kind, Region: r.Name, App: app.ID, ID: in.id, Version: in.version}},
		Transformations: n.notes, Findings: trgFindings(in.findings)})
	return domain
}

// trgEventObjectType returns the step that creates the object type the
// application's events go to, adding it once per domain: a trigger can
// only watch an object type that exists. An object type the endpoint
// stage already created (the answer named it) is reused.
func trgEventObjectType(b *Builder, region string, app *inventory.App, domain, name string, n *cmpNeeds) string {
	scope := segDomainScope(b, region, app.ID)
	id := StepID(KindObjectType, region, scope, name)
	if b.Step(id) != nil {
		return id
	}
	var deps []string
	if ref, ok := profilesDomainFor(b, region, app.ID); ok {
		deps = append(deps, ref.StepID, ref.ObjectTypeStepID)
	}
	var present []string
	for _, d := range deps {
		if b.Step(d) != nil {
			present = append(present, d)
		}
	}
	b.Add(Step{ID: id, Region: region, App: scope, AppName: app.Name, Kind: KindObjectType, Name: name,
		Service: "customer-profiles", Operation: "PutProfileObjectType", DependsOn: present, WaitsOn: append([]string(nil), n.waits...),
		Spec: Spec(map[string]any{
			"DomainName": domain, "ObjectTypeName": name,
			"Description": "Application events (as Pinpoint PutEvents sent them) for the event triggers p2c plans; the app writes them with PutProfileObject.",
			// An event of an unknown endpoint or user must not invent a profile.
			"AllowProfileCreation": false,
			"Fields": map[string]any{
				// Event fields stay on the object (no profile Target): triggers
				// read them there.
				"EventType":  map[string]any{"Source": "_source.EventType", "ContentType": "STRING"},
				"ProfileKey": map[string]any{"Source": "_source.ProfileKey", "ContentType": "STRING"},
				"EventId":    map[string]any{"Source": "_source.EventId", "ContentType": "STRING"},
				"Timestamp":  map[string]any{"Source": "_source.Timestamp", "ContentType": "STRING"},
			},
			"Keys": map[string]any{
				profKeyProfile:    []any{map[string]any{"StandardIdentifiers": []string{"PROFILE", "LOOKUP_ONLY"}, "FieldNames": []string{"ProfileKey"}}},
				"PinpointEventId": []any{map[string]any{"StandardIdentifiers": []string{"UNIQUE"}, "FieldNames": []string{"EventId"}}},
			},
		}),
		Transformations: []string{"events are found by the same profile key as endpoints (User.UserId, else the endpoint id); event attributes and metrics arrive as object fields named Attributes.<name> / Metrics.<name> that the triggers test"},
	})
	return id
}

// trgFindings are the findings about the event start of a workload.
func trgFindings(fs []assess.Finding) []string {
	var out []string
	for _, f := range fs {
		if strings.HasPrefix(f.Rule, "CMP-EVENT") || f.Rule == "JRN-START-EVENT" || f.Rule == "CMP-LIMIT-DURATION" {
			out = append(out, f.ID)
		}
	}
	sort.Strings(out)
	return out
}

// trgConditions turns a Pinpoint EventFilter into one condition whose
// dimensions must ALL hold: the event type, each attribute and each metric.
func trgConditions(b *Builder, region string, in trgInput, objectType string, n *cmpNeeds) []any {
	var dims []any
	field := func(name string) map[string]any {
		if trgFieldOK.MatchString(name) {
			return map[string]any{"FieldName": name}
		}
		return map[string]any{"Source": "{" + objectType + "." + name + "}"}
	}
	add := func(name, op string, values []string) {
		if len(values) > trgMaxValues {
			n.note("not carried: values of %s beyond the first %d (%d in Pinpoint; CMP-EVENT-GAP)", name, trgMaxValues, len(values))
			values = values[:trgMaxValues]
		}
		if len(dims) == trgMaxDims {
			n.note("not carried: condition on %s (an event trigger holds %d dimensions; CMP-EVENT-GAP)", name, trgMaxDims)
			return
		}
		oa := field(name)
		oa["ComparisonOperator"] = op
		vs := make([]any, len(values))
		for i, v := range values {
			vs[i] = v
		}
		oa["Values"] = vs
		dims = append(dims, map[string]any{"ObjectAttributes": []any{oa}})
	}
	strs := func(l []any) []string {
		var out []string
		for _, v := range l {
			if s, ok := v.(string); ok && s != "" {
				out = append(out, s)
			}
		}
		return out
	}
	events := strs(assess.List(in.filter, "Dimensions.EventType.Values"))
	if len(events) > 0 {
		op := "INCLUSIVE"
		if assess.Str(in.filter, "Dimensions.EventType.DimensionType") == "EXCLUSIVE" {
			op = "EXCLUSIVE"
			n.note("EXCLUSIVE event types kept as EXCLUSIVE: the trigger fires on every other event of the object type (CMP-EVENT-GAP)")
		}
		add("EventType", op, events)
	}
	attrs := assess.Obj(in.filter, "Dimensions.Attributes")
	for _, k := range sortedKeys(attrs) {
		a, _ := attrs[k].(map[string]any)
		t := assess.Str(a, "AttributeType")
		if t == "" {
			t = "INCLUSIVE"
		}
		op, ok := trgAttrOps[t]
		if !ok {
			n.note("not carried: attribute %s with type %s", k, t)
			continue
		}
		add("Attributes."+k, op, strs(assess.List(a, "Values")))
	}
	metrics := assess.Obj(in.filter, "Dimensions.Metrics")
	for _, k := range sortedKeys(metrics) {
		m, _ := metrics[k].(map[string]any)
		op, ok := trgMetricOp[assess.Str(m, "ComparisonOperator")]
		v, has := assess.Num(m, "Value")
		if !ok || !has {
			n.note("not carried: metric %s with operator %q", k, assess.Str(m, "ComparisonOperator"))
			continue
		}
		add("Metrics."+k, op, []string{strconv.FormatFloat(v, 'f', -1, 64)})
	}
	if len(dims) == 0 {
		// A trigger needs a condition; which event starts it is the
		// person's call.
		key := fmt.Sprintf("%s.trigger-event.%s.%s", region, in.kind, in.id)
		ev := b.Ask(Question{Key: key,
			Context: fmt.Sprintf("%s %s starts on an event but its filter names no event type; the Customer Profiles trigger needs one.", in.kind, in.id),
			Why:     "Name the event type (as the app sends it to Customer Profiles) that should start it.",
			Kind:    "text"})
		if ev == "" {
			n.wait(key)
			ev = cmpDecision(key)
		}
		add("EventType", "INCLUSIVE", []string{ev})
	} else {
		n.note("event filter becomes %d condition(s) that must ALL hold on the event object", len(dims))
	}
	return []any{map[string]any{"EventTriggerDimensions": dims, "LogicalOperator": "ALL"}}
}
