package blueprint

import (
	"bytes"
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/p2c/p2c/internal/inventory"
)

// segStepPlaceholder matches a reference to an earlier step's output.
var segStepPlaceholder = regexp.MustCompile(`\{\{step:([^}]+)\.(id|arn|version)\}\}`)

// segResolveSteps replaces step outputs with values of their form, as
// apply will (decision placeholders are left to profValidate).
func segResolveSteps(s Step) Step {
	s.Spec = json.RawMessage(segStepPlaceholder.ReplaceAllStringFunc(string(s.Spec), func(m string) string {
		switch segStepPlaceholder.FindStringSubmatch(m)[2] {
		case "id":
			return "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"
		case "version":
			return "1"
		}
		return "arn:aws:wisdom:us-east-1:111122223333:knowledge-base/aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"
	}))
	return s
}

// segValidateKinds validates every spec of the given kinds strictly and
// returns how many it checked.
func segValidateKinds(t *testing.T, p *Plan, d *Decisions, kinds ...string) int {
	t.Helper()
	n := 0
	for _, s := range profSteps(p, kinds...) {
		if s.Service == "" {
			continue
		}
		n++
		profValidate(t, segResolveSteps(s), d)
	}
	return n
}

// segFixtureApp is an app with one segment per dimension kind, nested
// groups, source segments out of id order, an imported segment, a cycle,
// and campaigns pinning an older segment version.
func segFixtureApp() inventory.App {
	app := profApp("a1", "shop")
	seg := func(id, name string, version int, body string) inventory.Segment {
		return inventory.Segment{ID: id, Name: name, Version: version,
			Object: profRaw(`{"Id":"` + id + `","Name":"` + name + `","Version":` + itoa(version) + `,` + body + `}`)}
	}
	app.Segments = append(app.Segments,
		// z-base is a source of a-nested: the sort must put it first.
		seg("z-base", "base", 1, `"SegmentType":"DIMENSIONAL","Dimensions":{"UserAttributes":{"tier":{"AttributeType":"INCLUSIVE","Values":["gold"]}}}`),
		seg("a-nested", "nested", 1, `"SegmentType":"DIMENSIONAL","SegmentGroups":{"Include":"ANY","Groups":[`+
			`{"Type":"ALL","SourceType":"ALL","SourceSegments":[{"Id":"z-base"}],"Dimensions":[{"Location":{"Country":{"DimensionType":"INCLUSIVE","Values":["US","CA"]}}}]},`+
			`{"Type":"ANY","Dimensions":[{"Demographic":{"Platform":{"Values":["ios"]},"Channel":{"Values":["EMAIL"]}}},{"Attributes":{"interests":{"AttributeType":"INCLUSIVE","Values":["hiking"]}}}]}]}`),
		seg("m-metric", "buyers", 3, `"SegmentType":"DIMENSIONAL","Dimensions":{"Metrics":{"purchases":{"ComparisonOperator":"GREATER_THAN","Value":2}},`+
			`"Location":{"GPSPoint":{"Coordinates":{"Latitude":47.6,"Longitude":-122.3},"RangeInKilometers":10}}}`),
		seg("r-recent", "recent", 1, `"SegmentType":"DIMENSIONAL","Dimensions":{"Behavior":{"Recency":{"Duration":"DAY_7","RecencyType":"ACTIVE"}}}`),
		seg("i-import", "vip list", 1, `"SegmentType":"IMPORT","ImportDefinition":{"S3Url":"s3://bucket/vip.csv","Size":10,"Format":"CSV"}`),
		seg("c-one", "loop one", 1, `"SegmentType":"DIMENSIONAL","SegmentGroups":{"Include":"ALL","Groups":[{"SourceType":"ALL","SourceSegments":[{"Id":"c-two"}]}]}`),
		seg("c-two", "loop two", 1, `"SegmentType":"DIMENSIONAL","SegmentGroups":{"Include":"ALL","Groups":[{"SourceType":"ALL","SourceSegments":[{"Id":"c-one"}]}]}`),
	)
	// m-metric's version 2 is pinned by a campaign.
	m := &app.Segments[len(app.Segments)-5]
	m.Versions = []json.RawMessage{
		profRaw(`{"Id":"m-metric","Name":"buyers","Version":2,"SegmentType":"DIMENSIONAL","Dimensions":{"Metrics":{"purchases":{"ComparisonOperator":"LESS_THAN","Value":5}}}}`),
		m.Object,
	}
	app.Campaigns = append(app.Campaigns,
		inventory.Campaign{ID: "c2", Name: "pinned", Version: 1, Object: profRaw(`{"Id":"c2","Name":"pinned","SegmentId":"m-metric","SegmentVersion":2,` +
			`"TemplateConfiguration":{"SMSTemplate":{"Name":"promo-sms"}},"Schedule":{"StartTime":"2026-12-01T09:00:00Z","Frequency":"ONCE","Timezone":"UTC"},"State":{"CampaignStatus":"SCHEDULED"}}`)},
		inventory.Campaign{ID: "c3", Name: "latest", Version: 1, Object: profRaw(`{"Id":"c3","Name":"latest","SegmentId":"m-metric","SegmentVersion":3,` +
			`"TemplateConfiguration":{"EmailTemplate":{"Name":"welcome","Version":"1"}},"Schedule":{"StartTime":"2026-12-01T09:00:00Z","Frequency":"ONCE","Timezone":"UTC"},"State":{"CampaignStatus":"SCHEDULED"}}`)},
	)
	return app
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

func segFixture() *inventory.Inventory {
	inv := profInventory(segFixtureApp())
	inv.Regions[0].Templates = tplFixtureTemplates()
	return inv
}

func TestSegmentSpecsValidate(t *testing.T) {
	for _, answers := range []map[string]string{nil, {"us-east-1.activity-object-type": "AppEvent", "us-east-1.segment-cycle.c-one": segCycleDrop,
		"us-east-1.segment-cycle.c-two": segCycleDrop, "us-east-1.profiles-domain": "shop-domain"}} {
		p, d := profPlan(t, segFixture(), answers)
		if n := segValidateKinds(t, p, d, KindSegmentDefinition, KindCalculatedAttribute); n < 10 {
			t.Fatalf("only %d segment steps", n)
		}
	}
}

func TestSegmentOrderAndDimensions(t *testing.T) {
	p, _ := profPlan(t, segFixture(), map[string]string{"us-east-1.activity-object-type": "AppEvent"})
	pos := map[string]int{}
	for i, s := range p.Steps {
		pos[s.ID] = i
	}
	base, nested := StepID(KindSegmentDefinition, "us-east-1", "a1", "z-base"), StepID(KindSegmentDefinition, "us-east-1", "a1", "a-nested")
	if pos[base] >= pos[nested] {
		t.Errorf("source segment %s comes after %s", base, nested)
	}
	nst := profStep(t, p, nested)
	found := false
	for _, d := range nst.DependsOn {
		found = found || strings.HasPrefix(d, nested+"/") // the helper of the ANY group
	}
	if !found {
		t.Errorf("nested segment does not depend on its helper: %v", nst.DependsOn)
	}
	var all bytes.Buffer
	for _, s := range profSteps(p, KindSegmentDefinition) {
		all.Write(s.Spec)
	}
	for _, want := range []string{`"Country":{"DimensionType":"INCLUSIVE","Values":["US","CA"]}`, `"Demographic_Platform"`,
		`"Channels":{"DimensionType":"CONTAINS","Values":[",EMAIL,"]}`, `"interests":{"DimensionType":"CONTAINS"`, `"tier":{"DimensionType":"INCLUSIVE","Values":["gold"]}`,
		`"CalculatedAttributes":{"p2c_metric_max_purchases":{"DimensionType":"GREATER_THAN","Values":["2"]}}`,
		`"CalculatedAttributes":{"p2c_activity_7d":{"DimensionType":"GREATER_THAN","Values":["0"]}}`,
		`"PinpointSegment_i-import":{"DimensionType":"INCLUSIVE","Values":["true"]}`, `"OptOut_SMS"`} {
		if !strings.Contains(all.String(), want) {
			t.Errorf("no segment spec has %s", want)
		}
	}
	metric := profStep(t, p, StepID(KindSegmentDefinition, "us-east-1", "a1", "m-metric"))
	calc := StepID(KindCalculatedAttribute, "us-east-1", "", "p2c_metric_max_purchases")
	if !contains(metric.DependsOn, calc) {
		t.Errorf("metric segment depends on %v, want %s", metric.DependsOn, calc)
	}
	if !strings.Contains(strings.Join(metric.Transformations, "\n"), "not carried: Dimensions.Location.GPSPoint") {
		t.Errorf("GPS condition dropped silently: %v", metric.Transformations)
	}
	if len(metric.Findings) == 0 || !strings.HasPrefix(metric.Findings[0], "SEG-") {
		t.Errorf("findings = %v", metric.Findings)
	}
	imp := profStep(t, p, StepID(KindSegmentDefinition, "us-east-1", "a1", "i-import"))
	if !strings.Contains(strings.Join(imp.Transformations, "\n"), "p2c profiles load") {
		t.Errorf("import transformations = %v", imp.Transformations)
	}
	ca := profStep(t, p, calc)
	if ca.Operation != "CreateCalculatedAttributeDefinition" || !contains(ca.DependsOn, StepID(KindObjectType, "us-east-1", "", ProfileObjectTypeName)) {
		t.Errorf("calculated attribute step = %+v", ca)
	}
	rec := profStep(t, p, StepID(KindCalculatedAttribute, "us-east-1", "", "p2c_activity_7d"))
	if !strings.Contains(string(rec.Spec), `"Expression":"{AppEvent.event_type}"`) {
		t.Errorf("recency spec = %s", rec.Spec)
	}
	var q *QuotaCheck
	for i := range p.Quotas {
		if p.Quotas[i].Quota == "calculated attributes per domain" {
			q = &p.Quotas[i]
		}
	}
	if q == nil || q.Planned != 3 || !q.OK {
		t.Errorf("calculated attribute quota = %+v", q)
	}
}

func TestSegmentPinnedVersion(t *testing.T) {
	p, _ := profPlan(t, segFixture(), nil)
	pinned := profStep(t, p, StepID(KindSegmentDefinition, "us-east-1", "a1", "m-metric/v2"))
	if pinned.Sources[0].Version != "2" || !strings.Contains(string(pinned.Spec), `"LESS_THAN"`) {
		t.Errorf("pinned definition = %s %v", pinned.Spec, pinned.Sources)
	}
	if !strings.Contains(strings.Join(pinned.Transformations, "\n"), "pinned by campaign c2") {
		t.Errorf("pinned transformations = %v", pinned.Transformations)
	}
	c2 := profStep(t, p, "campaign/us-east-1/a1/c2")
	c3 := profStep(t, p, "campaign/us-east-1/a1/c3")
	if !strings.Contains(string(c2.Spec), "{{step:"+pinned.ID+".arn}}") {
		t.Errorf("campaign c2 does not send to the pinned definition: %s", c2.Spec)
	}
	if !strings.Contains(string(c3.Spec), "{{step:segment-definition/us-east-1/a1/m-metric.arn}}") {
		t.Errorf("campaign c3 does not send to the latest definition: %s", c3.Spec)
	}
}

func TestSegmentCycle(t *testing.T) {
	p, d := profPlan(t, segFixture(), nil)
	one := profStep(t, p, StepID(KindSegmentDefinition, "us-east-1", "a1", "c-one"))
	if !contains(one.WaitsOn, "us-east-1.segment-cycle.c-one") {
		t.Errorf("cyclic segment waits on %v", one.WaitsOn)
	}
	profQuestion(t, d, "us-east-1.segment-cycle.c-two")
	p, _ = profPlan(t, segFixture(), map[string]string{"us-east-1.segment-cycle.c-one": segCycleSkip, "us-east-1.segment-cycle.c-two": segCycleDrop})
	if s := profStep(t, p, StepID(KindSegmentDefinition, "us-east-1", "a1", "c-one")); s.Action != NoOp {
		t.Errorf("skipped cyclic segment action = %s", s.Action)
	}
	two := profStep(t, p, StepID(KindSegmentDefinition, "us-east-1", "a1", "c-two"))
	if !strings.Contains(strings.Join(two.Transformations, "\n"), "not carried: SegmentGroups.Groups[0].SourceSegments[0]") {
		t.Errorf("dropped source not said: %v", two.Transformations)
	}
}

func TestSegmentOrderCycleHelper(t *testing.T) {
	order, cyclic := segOrder([]inventory.Segment{
		{ID: "b", Object: profRaw(`{"SegmentGroups":{"Groups":[{"SourceSegments":[{"Id":"a"}]}]}}`)},
		{ID: "a"},
		{ID: "self", Object: profRaw(`{"SegmentGroups":{"Groups":[{"SourceSegments":[{"Id":"self"}]}]}}`)},
	})
	if strings.Join(order, ",") != "a,b,self" || !cyclic["self"] || cyclic["a"] {
		t.Errorf("order %v cyclic %v", order, cyclic)
	}
}

func TestSegmentsPerAppLayout(t *testing.T) {
	other := profApp("a2", "pay")
	p, d := profPlan(t, profInventory(segFixtureApp(), other), map[string]string{"us-east-1.profiles-domain-layout": LayoutPerApp})
	s := profStep(t, p, StepID(KindSegmentDefinition, "us-east-1", "a1", "m-metric"))
	if !contains(s.DependsOn, StepID(KindCalculatedAttribute, "us-east-1", "a1", "p2c_metric_max_purchases")) ||
		!contains(s.DependsOn, StepID(KindObjectType, "us-east-1", "a1", ProfileObjectTypeName)) {
		t.Errorf("per-app segment depends on %v", s.DependsOn)
	}
	if !strings.Contains(string(s.Spec), "{{decision:us-east-1.profiles-domain.a1}}") {
		t.Errorf("per-app segment spec = %s", s.Spec)
	}
	segValidateKinds(t, p, d, KindSegmentDefinition, KindCalculatedAttribute, KindMessageTemplate, KindKnowledgeBase)
}

func TestSegmentsDeterministic(t *testing.T) {
	var prev []byte
	for i := 0; i < 3; i++ {
		p, _ := profPlan(t, segFixture(), map[string]string{"us-east-1.activity-object-type": "AppEvent"})
		b, _ := json.Marshal(p)
		if prev != nil && !bytes.Equal(prev, b) {
			t.Fatal("the plan differs between runs")
		}
		prev = b
	}
}
