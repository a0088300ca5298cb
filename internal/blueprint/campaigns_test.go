package blueprint

import (
	"bytes"
	"encoding/json"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/p2c/p2c/internal/assess"
	"github.com/p2c/p2c/internal/awsmodel"
	"github.com/p2c/p2c/internal/inventory"
)

// cmpTestApp prefixes the app ids of these fixtures.
const cmpTestApp = "cmptest"

func cmpRaw(s string) json.RawMessage { return json.RawMessage(s) }

// cmpFixture is one app with settings, a segment, templates, four
// campaigns (weekly local-time, event-triggered, A/B one-time, finished)
// and two journeys (multi-step, one message).
func cmpFixture() *inventory.Inventory {
	return &inventory.Inventory{SchemaVersion: inventory.SchemaVersion, Account: "123456789012",
		ScannedAt: time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC),
		Regions: []inventory.Region{{Name: "us-east-1",
			Templates: []inventory.Template{
				{Name: "weekly", Type: "SMS", ActiveVersion: "1", Object: cmpRaw(`{"TemplateName":"weekly","TemplateType":"SMS","Body":"hi"}`)},
				{Name: "receipt", Type: "EMAIL", ActiveVersion: "1", Object: cmpRaw(`{"TemplateName":"receipt","TemplateType":"EMAIL","Subject":"s","HtmlPart":"h"}`)},
				{Name: "promo", Type: "EMAIL", ActiveVersion: "1", Object: cmpRaw(`{"TemplateName":"promo","TemplateType":"EMAIL","Subject":"s","HtmlPart":"h"}`)},
			},
			Apps: []inventory.App{{ID: cmpTestApp + "1", Name: "shop", Object: cmpRaw(`{"Id":"cmptest1","Name":"shop"}`),
				Settings: cmpRaw(`{"Limits":{"Daily":3},"JourneyLimits":{"DailyCap":2,"TimeframeCap":{"Cap":5,"Days":7}}}`),
				Channels: map[string]json.RawMessage{"EMAIL": cmpRaw(`{"Enabled":true,"FromAddress":"Shop <news@shop.example>","Identity":"arn:aws:ses:us-east-1:123456789012:identity/shop.example"}`)},
				Segments: []inventory.Segment{{ID: "seg1", Name: "gold", Version: 1,
					Object: cmpRaw(`{"Id":"seg1","Name":"gold","SegmentType":"DIMENSIONAL","Version":1,"Dimensions":{"Demographic":{"Platform":{"DimensionType":"INCLUSIVE","Values":["ios"]}}}}`)}},
				Campaigns: []inventory.Campaign{
					{ID: "weekly1", Name: "weekly digest", Version: 1, Object: cmpRaw(`{"Id":"weekly1","Name":"weekly digest","SegmentId":"seg1","SegmentVersion":1,"Version":1,
						"Schedule":{"Frequency":"WEEKLY","StartTime":"2026-12-07T09:00:00-05:00","EndTime":"2027-03-01T09:00:00-05:00","Timezone":"America/New_York","IsLocalTime":true,
							"QuietTime":{"Start":"21:00","End":"08:00"}},
						"Limits":{"Daily":2},"State":{"CampaignStatus":"SCHEDULED"},
						"MessageConfiguration":{"SMSMessage":{"MessageType":"PROMOTIONAL","OriginationNumber":"+12065550100"}},
						"TemplateConfiguration":{"SMSTemplate":{"Name":"weekly"}}}`)},
					{ID: "event1", Name: "purchase thanks", Version: 1, Object: cmpRaw(`{"Id":"event1","Name":"purchase thanks","SegmentId":"seg1","Version":1,
						"Schedule":{"Frequency":"EVENT","StartTime":"2026-10-01T00:00:00Z","EndTime":"2027-10-01T00:00:00Z",
							"EventFilter":{"FilterType":"ENDPOINT","Dimensions":{"EventType":{"DimensionType":"INCLUSIVE","Values":["purchase"]},
								"Attributes":{"sku":{"AttributeType":"INCLUSIVE","Values":["a","b"]}},"Metrics":{"price":{"ComparisonOperator":"GREATER_THAN","Value":100}}}}},
						"Limits":{"MaximumDuration":600},"State":{"CampaignStatus":"SCHEDULED"},
						"TemplateConfiguration":{"EmailTemplate":{"Name":"receipt"}}}`)},
					{ID: "ab1", Name: "launch test", Version: 1, Object: cmpRaw(`{"Id":"ab1","Name":"launch test","SegmentId":"seg1","Version":1,
						"Schedule":{"Frequency":"ONCE","StartTime":"2026-12-01T15:00:00Z"},"HoldoutPercent":10,"TreatmentName":"A",
						"AdditionalTreatments":[{"Id":"t1","TreatmentName":"B","SizePercent":45,"TemplateConfiguration":{"EmailTemplate":{"Name":"promo"}}}],
						"State":{"CampaignStatus":"SCHEDULED"},"TemplateConfiguration":{"EmailTemplate":{"Name":"promo"}}}`)},
					{ID: "done1", Name: "old", Version: 1, Object: cmpRaw(`{"Id":"done1","Name":"old","SegmentId":"seg1","State":{"CampaignStatus":"COMPLETED"},
						"Schedule":{"Frequency":"ONCE","StartTime":"2025-01-01T00:00:00Z"},"TemplateConfiguration":{"EmailTemplate":{"Name":"promo"}}}`)},
				},
				Journeys: []inventory.Journey{
					{ID: "j1", Name: "onboarding", State: "ACTIVE", Object: cmpRaw(`{"Id":"j1","Name":"onboarding","State":"ACTIVE","StartActivity":"a1",
						"StartCondition":{"SegmentStartCondition":{"SegmentId":"seg1"}},"RefreshFrequency":"PT1H","LocalTime":true,
						"Schedule":{"StartTime":"2026-11-01T12:00:00Z","EndTime":"2027-11-01T12:00:00Z","Timezone":"UTC+05"},
						"QuietTime":{"Start":"22:00","End":"07:00"},"Limits":{"DailyCap":1,"EndpointReentryCap":2,"EndpointReentryInterval":"P7D"},
						"Activities":{
							"a1":{"EMAIL":{"TemplateName":"promo","NextActivity":"a2"}},
							"a2":{"Wait":{"WaitTime":{"WaitFor":"P1D"},"NextActivity":"a3"}},
							"a3":{"ConditionalSplit":{"Condition":{"Operator":"ALL","Conditions":[{"EventCondition":{"MessageActivity":"a1","Dimensions":{"EventType":{"DimensionType":"INCLUSIVE","Values":["_email.open"]}}}}]},
								"EvaluationWaitTime":{"WaitFor":"PT1H"},"TrueActivity":"a4","FalseActivity":"a5"}},
							"a4":{"SMS":{"TemplateName":"weekly","NextActivity":""}},
							"a5":{"Holdout":{"Percentage":10}}}}`)},
					{ID: "j2", Name: "welcome", State: "ACTIVE", Object: cmpRaw(`{"Id":"j2","Name":"welcome","State":"ACTIVE","StartActivity":"m1",
						"StartCondition":{"EventStartCondition":{"EventFilter":{"FilterType":"ENDPOINT","Dimensions":{"EventType":{"DimensionType":"INCLUSIVE","Values":["signup"]}}}}},
						"Schedule":{"StartTime":"2026-11-01T00:00:00Z","EndTime":"2027-11-01T00:00:00Z"},
						"Activities":{"m1":{"EMAIL":{"TemplateName":"receipt"}}}}`)},
				},
			}},
		}},
	}
}

// cmpBuild assesses and plans an inventory.
func cmpBuild(t *testing.T, inv *inventory.Inventory, d *Decisions) (*Plan, *Decisions) {
	t.Helper()
	inventory.ResolveReferences(inv)
	invBytes, err := inventory.Marshal(inv)
	if err != nil {
		t.Fatal(err)
	}
	a := assess.Assess(inv, invBytes, assess.Options{Tool: "test", Now: func() time.Time { return time.Date(2026, 9, 2, 0, 0, 0, 0, time.UTC) }})
	aBytes, _ := json.Marshal(a)
	p, dec, err := Build(&Input{Inventory: inv, InventoryBytes: invBytes, Assessment: a, AssessmentBytes: aBytes, Decisions: d, Tool: "test"})
	if err != nil {
		t.Fatal(err)
	}
	return p, dec
}

func cmpStep(t *testing.T, p *Plan, id string) *Step {
	t.Helper()
	for i := range p.Steps {
		if p.Steps[i].ID == id {
			return &p.Steps[i]
		}
	}
	t.Fatalf("no step %s", id)
	return nil
}

func cmpSpecOf(t *testing.T, s *Step) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(s.Spec, &m); err != nil {
		t.Fatalf("%s: %v", s.ID, err)
	}
	return m
}

var cmpPlaceholder = regexp.MustCompile(`\{\{(decision|step):([^}|]+?)(\|[^}]*)?\}\}`)

// cmpResolve substitutes placeholders with values of the right form, as
// apply will, and returns the keys of the decisions referenced.
func cmpResolve(spec []byte) ([]byte, []string) {
	var keys []string
	out := cmpPlaceholder.ReplaceAllStringFunc(string(spec), func(m string) string {
		p := cmpPlaceholder.FindStringSubmatch(m)
		ref, mod := p[2], strings.TrimPrefix(p[3], "|")
		if p[1] == "step" {
			switch {
			case strings.HasSuffix(ref, ".version"):
				return "3"
			case strings.HasPrefix(ref, "segment-definition/"):
				return "arn:aws:profile:us-east-1:123456789012:domains/d/segment-definitions/s"
			case strings.HasPrefix(ref, "message-template/"):
				return "arn:aws:wisdom:us-east-1:123456789012:message-template/kb/tpl"
			}
			return "arn:aws:x:us-east-1:123456789012:thing/x"
		}
		keys = append(keys, ref)
		switch {
		case mod == "id":
			return "11111111-2222-3333-4444-555555555555"
		case mod == "account":
			return "123456789012"
		case strings.HasPrefix(mod, "plus:"), strings.Contains(ref, "time"), strings.Contains(ref, "-end"):
			return "2026-12-01T00:00:00Z"
		case strings.Contains(ref, "connect-instance"):
			return "arn:aws:connect:us-east-1:123456789012:instance/11111111-2222-3333-4444-555555555555"
		case strings.Contains(ref, "sms-number"), strings.Contains(ref, "journey-flow"), strings.Contains(ref, "message-template"), strings.Contains(ref, ".segment."):
			return "arn:aws:connect:us-east-1:123456789012:instance/i/phone-number/abc"
		case strings.Contains(ref, "email-address"):
			return "sender@example.com"
		case strings.Contains(ref, "timezone"):
			return "America/Chicago"
		}
		return "p2c_value"
	})
	return []byte(out), keys
}

var cmpKinds = map[string]bool{"campaign": true, "event-trigger": true, "instance-limits": true, "journey-proposal": true}

// TestCampaignSpecsValidate checks every spec of this area against its
// model (strict) after placeholder substitution, and that every decision
// a spec refers to is waited on.
func TestCampaignSpecsValidate(t *testing.T) {
	for _, answered := range []bool{false, true} {
		var d *Decisions
		if answered {
			_, asked := cmpBuild(t, cmpFixture(), nil)
			asked.AcceptSuggested()
			for _, q := range asked.Questions {
				if q.Answer == "" {
					res, _ := cmpResolve([]byte(`"{{decision:` + q.Key + `}}"`))
					var v string
					_ = json.Unmarshal(res, &v)
					q.Answer = v
				}
			}
			d = asked
		}
		p, _ := cmpBuild(t, cmpFixture(), d)
		n := cmpValidate(t, p, answered)
		if n < 7 {
			t.Fatalf("only %d steps of this area", n)
		}
	}
}

// cmpValidate checks the specs of this area's steps strictly against their
// models after placeholder substitution, and that every decision a spec
// refers to is waited on; it returns how many it checked.
func cmpValidate(t *testing.T, p *Plan, answered bool) int {
	t.Helper()
	n := 0
	for _, s := range p.Steps {
		if !cmpKinds[s.Kind] || s.Service == "" {
			continue
		}
		n++
		res, keys := cmpResolve(s.Spec)
		var v any
		dec := json.NewDecoder(bytes.NewReader(res))
		dec.UseNumber()
		if err := dec.Decode(&v); err != nil {
			t.Fatalf("%s: %v", s.ID, err)
		}
		m := awsmodel.MustLoad(s.Service)
		op := m.Operations[s.Operation]
		if op == nil {
			t.Fatalf("%s: no operation %s in %s", s.ID, s.Operation, s.Service)
		}
		for _, pr := range m.Validate(op.Input.Shape, v, true) {
			t.Errorf("answered=%v %s: %s", answered, s.ID, pr)
		}
		for _, k := range keys {
			found := false
			for _, w := range s.WaitsOn {
				found = found || w == k
			}
			if !found {
				t.Errorf("%s: spec uses decision %s but does not wait on it", s.ID, k)
			}
		}
		if answered && len(keys) > 0 {
			t.Errorf("%s: placeholders left with every decision answered: %v", s.ID, keys)
		}
	}
	return n
}

func TestCampaignWeeklyLocalQuiet(t *testing.T) {
	p, _ := cmpBuild(t, cmpFixture(), nil)
	s := cmpStep(t, p, "campaign/us-east-1/cmptest1/weekly1")
	spec := cmpSpecOf(t, s)
	sched := spec["schedule"].(map[string]any)
	// Timing kept exactly: the same instants, as written.
	if sched["startTime"] != "2026-12-07T09:00:00-05:00" || sched["endTime"] != "2027-03-01T09:00:00-05:00" || sched["refreshFrequency"] != "P7D" {
		t.Errorf("schedule = %v", sched)
	}
	if el := spec["entryLimitsConfig"].(map[string]any); el["minEntryInterval"] != "P7D" || el["maxEntryCount"] != float64(0) {
		t.Errorf("entry limits = %v", el)
	}
	tc := spec["communicationTimeConfig"].(map[string]any)
	if tz := tc["localTimeZoneConfig"].(map[string]any)["defaultTimeZone"]; tz != "America/New_York" {
		t.Errorf("time zone = %v", tz)
	}
	got, _ := json.Marshal(tc["sms"])
	want := `"MONDAY":[{"endTime":"T21:00","startTime":"T09:00"}]`
	if !strings.Contains(string(got), want) || strings.Contains(string(got), "T08:00") {
		t.Errorf("sms window = %s, want open 09:00 (local start) to 21:00 (quiet start)", got)
	}
	lim, _ := json.Marshal(spec["communicationLimitsOverride"])
	if string(lim) != `{"allChannelSubtypes":{"communicationLimitsList":[{"frequency":1,"maxCountPerRecipient":2,"unit":"DAY"}]},"instanceLimitsHandling":"OPT_OUT"}` {
		t.Errorf("limits = %s", lim)
	}
	src := spec["source"].(map[string]any)["customerProfilesSegmentArn"]
	if src != "{{step:segment-definition/us-east-1/cmptest1/seg1.arn}}" {
		t.Errorf("source = %v", src)
	}
	sms := spec["channelSubtypeConfig"].(map[string]any)["sms"].(map[string]any)["defaultOutboundConfig"].(map[string]any)
	if sms["connectSourcePhoneNumberArn"] != "{{decision:us-east-1.sms-number.weekly1}}" ||
		sms["wisdomTemplateArn"] != "{{step:message-template/us-east-1/SMS/weekly.arn}}:{{step:message-template/us-east-1/SMS/weekly.version}}" {
		t.Errorf("sms = %v", sms)
	}
	if spec["connectInstanceId"] != "{{decision:us-east-1.connect-instance|id}}" {
		t.Errorf("instance = %v", spec["connectInstanceId"])
	}
	for _, d := range []string{"segment-definition/us-east-1/cmptest1/seg1", "message-template/us-east-1/SMS/weekly"} {
		if !strings.Contains(strings.Join(s.DependsOn, " "), d) {
			t.Errorf("depends on %v, want %s", s.DependsOn, d)
		}
	}
}

func TestCampaignEventTriggered(t *testing.T) {
	p, _ := cmpBuild(t, cmpFixture(), nil)
	tr := cmpStep(t, p, "event-trigger/us-east-1/cmptest1/campaign/event1")
	ts := cmpSpecOf(t, tr)
	if tr.Service != "customer-profiles" || tr.Operation != "CreateEventTrigger" {
		t.Fatalf("trigger op = %s %s", tr.Service, tr.Operation)
	}
	if l := ts["EventTriggerLimits"].(map[string]any); l["EventExpiration"] != float64(600000) {
		t.Errorf("expiration = %v, want MaximumDuration 600 s", l)
	}
	conds, _ := json.Marshal(ts["EventTriggerConditions"])
	for _, want := range []string{`"FieldName":"EventType","Values":["purchase"]`, `"FieldName":"Attributes.sku","Values":["a","b"]`,
		`"ComparisonOperator":"GREATER_THAN","FieldName":"Metrics.price","Values":["100"]`, `"LogicalOperator":"ALL"`} {
		if !strings.Contains(string(conds), want) {
			t.Errorf("conditions %s lack %s", conds, want)
		}
	}
	if ts["SegmentFilter"] != "gold-seg1" {
		t.Errorf("segment filter = %v", ts["SegmentFilter"])
	}
	c := cmpStep(t, p, "campaign/us-east-1/cmptest1/event1")
	spec := cmpSpecOf(t, c)
	arn := spec["source"].(map[string]any)["eventTrigger"].(map[string]any)["customerProfilesDomainArn"].(string)
	if !strings.HasPrefix(arn, "arn:aws:profile:us-east-1:123456789012:domains/") {
		t.Errorf("domain arn = %s", arn)
	}
	if !strings.Contains(strings.Join(c.DependsOn, " "), tr.ID) {
		t.Errorf("campaign depends on %v, want the trigger", c.DependsOn)
	}
	sched := spec["schedule"].(map[string]any)
	if sched["startTime"] != "2026-10-01T00:00:00Z" || sched["endTime"] != "2027-10-01T00:00:00Z" {
		t.Errorf("schedule = %v", sched)
	}
	if _, ok := spec["channelSubtypeConfig"].(map[string]any)["email"]; !ok {
		t.Errorf("no email channel")
	}
}

func TestCampaignABOneTime(t *testing.T) {
	p, _ := cmpBuild(t, cmpFixture(), nil)
	s := cmpStep(t, p, "campaign/us-east-1/cmptest1/ab1")
	if !s.Redesign {
		t.Errorf("A/B campaign not marked redesign")
	}
	spec := cmpSpecOf(t, s)
	sched := spec["schedule"].(map[string]any)
	if sched["startTime"] != "2026-12-01T15:00:00Z" || sched["endTime"] != "2026-12-02T15:00:00Z" {
		t.Errorf("schedule = %v (want the send instant and one day later)", sched)
	}
	all := strings.Join(s.Transformations, "\n")
	for _, want := range []string{"main treatment \"A\"", "B (45%)", "holdout of 10%"} {
		if !strings.Contains(all, want) {
			t.Errorf("transformations lack %q:\n%s", want, all)
		}
	}
	// A finished campaign is a no-op, with its reason.
	done := cmpStep(t, p, "campaign/us-east-1/cmptest1/done1")
	if done.Action != NoOp || !strings.Contains(done.Transformations[0], "CMP-FINISHED") {
		t.Errorf("finished campaign: %s %v", done.Action, done.Transformations)
	}
}

func TestInstanceLimits(t *testing.T) {
	p, _ := cmpBuild(t, cmpFixture(), nil)
	s := cmpStep(t, p, "instance-limits/us-east-1/communication-limits")
	got, _ := json.Marshal(cmpSpecOf(t, s)["communicationLimitsConfig"])
	want := `{"allChannelSubtypes":{"communicationLimitsList":[{"frequency":1,"maxCountPerRecipient":2,"unit":"DAY"},{"frequency":7,"maxCountPerRecipient":5,"unit":"DAY"}]}}`
	if string(got) != want {
		t.Errorf("limits = %s\nwant %s", got, want)
	}
	if s.Rollback.Policy != RollbackRetain || s.Action != Update {
		t.Errorf("rollback %v action %s", s.Rollback, s.Action)
	}
}

func TestCampaignQuotasAndDeterminism(t *testing.T) {
	p1, _ := cmpBuild(t, cmpFixture(), nil)
	p2, _ := cmpBuild(t, cmpFixture(), nil)
	a, _ := json.Marshal(p1)
	b, _ := json.Marshal(p2)
	if !bytes.Equal(a, b) {
		t.Fatal("same inputs gave different plans")
	}
	found := map[string]int{}
	for _, q := range p1.Quotas {
		found[q.Quota] = q.Planned
	}
	if found["campaigns per instance"] != 5 || found["active campaigns per instance"] != 5 || found["event triggers per domain"] != 2 {
		t.Errorf("quotas = %+v", p1.Quotas)
	}
}

// TestCampaignTimeArithmetic: a past recurring start keeps its phase, a
// one-time send ends at the next quiet-time start, quiet time inverts.
func TestCampaignTimeArithmetic(t *testing.T) {
	start := time.Date(2026, 6, 1, 14, 0, 0, 0, time.UTC)
	got, k := cmpAdvance(start, 7*24*time.Hour, time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC))
	if got != time.Date(2026, 9, 7, 14, 0, 0, 0, time.UTC) || k != 14 {
		t.Errorf("advance = %v, %d", got, k)
	}
	if same, k := cmpAdvance(start, time.Hour, time.Time{}); same != start || k != 0 {
		t.Errorf("no scan time must keep the start")
	}
	ny, _ := time.LoadLocation("America/New_York")
	// 09:00 New York on a winter day; quiet from 21:00 local.
	s := time.Date(2026, 12, 1, 14, 0, 0, 0, time.UTC)
	if next := cmpNextClock(s, 21*60, ny); !next.Equal(time.Date(2026, 12, 2, 2, 0, 0, 0, time.UTC)) {
		t.Errorf("next quiet start = %v", next)
	}
	for _, c := range []struct{ start, end, want string }{
		{"21:00", "08:00", "08:00–21:00"},
		{"01:00", "05:00", "00:00–01:00, 05:00–23:59"},
		{"00:00", "06:00", "06:00–23:59"},
	} {
		rs, ok := cmpQuietOpen(c.start, c.end)
		if !ok || cmpRangesText(rs) != c.want {
			t.Errorf("quiet %s–%s: open %q, want %q", c.start, c.end, cmpRangesText(rs), c.want)
		}
	}
	if _, ok := cmpQuietOpen("08:00", "08:00"); ok {
		t.Errorf("an empty quiet window must not give open hours")
	}
}
