package assess

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/p2c/p2c/internal/inventory"
)

const cmpWID = "us-east-1/app1/campaign/c1"

// cmpCase is one campaign fixture and what one rule must say about it.
type cmpCase struct {
	name string
	rule string
	// members are extra campaign members (JSON object members without the
	// braces); schedule replaces the default Schedule when set.
	members  string
	schedule string
	setup    func(f *fixture)
	want     int    // hits on c1; 0 = must not fire
	class    string // class of every hit, when want > 0
	contains string // substring of the first hit's message
}

// cmpObject builds campaign c1 on segment s1 (version 1).
func cmpObject(schedule, members string) string {
	if schedule == "" {
		schedule = `{"StartTime":"2026-12-01T15:00:00Z","Frequency":"ONCE"}`
	}
	o := `{"Id":"c1","ApplicationId":"app1","Name":"promo","SegmentId":"s1","SegmentVersion":1,"Version":1,` +
		`"State":{"CampaignStatus":"SCHEDULED"},"Schedule":` + schedule +
		`,"TemplateConfiguration":{"EmailTemplate":{"Name":"news"}}`
	if members != "" {
		o += "," + members
	}
	return o + "}"
}

func cmpFixture(schedule, members string) *fixture {
	f := newFixture()
	f.app().Segments = []inventory.Segment{{ID: "s1", Name: "all", Version: 1, Object: raw(`{"Id":"s1","Name":"all","SegmentType":"DIMENSIONAL","Version":1}`)}}
	f.app().Campaigns = []inventory.Campaign{{ID: "c1", Name: "promo", Version: 1, Object: raw(cmpObject(schedule, members))}}
	f.inv.Regions[0].Templates = []inventory.Template{
		{Name: "news", Type: "EMAIL", ActiveVersion: "1", Object: raw(`{"TemplateName":"news","TemplateType":"EMAIL","Version":"1","Subject":"News","HtmlPart":"<p>Hi</p>"}`)},
		{Name: "sms1", Type: "SMS", ActiveVersion: "1", Object: raw(`{"TemplateName":"sms1","TemplateType":"SMS","Version":"1","Body":"Hi"}`),
			Versions: []inventory.TemplateVersion{{Version: "1"}, {Version: "2"}}},
	}
	return f
}

func cmpCases() []cmpCase {
	weekly := `{"StartTime":"2026-12-01T15:00:00Z","EndTime":"2027-06-01T15:00:00Z","Frequency":"WEEKLY"}`
	event := func(filter string) string {
		return `{"StartTime":"2026-12-01T00:00:00Z","EndTime":"2027-12-01T00:00:00Z","Frequency":"EVENT","EventFilter":` + filter + `}`
	}
	endpointEvent := event(`{"FilterType":"ENDPOINT","Dimensions":{"EventType":{"DimensionType":"INCLUSIVE","Values":["cart.abandoned"]},` +
		`"Attributes":{"channel":{"AttributeType":"INCLUSIVE","Values":["web"]}},"Metrics":{"cartValue":{"ComparisonOperator":"GREATER_THAN","Value":25}}}}`)
	systemEvent := event(`{"FilterType":"SYSTEM","Dimensions":{"EventType":{"DimensionType":"INCLUSIVE","Values":["_session.start"]}}}`)
	exclusiveEvent := event(`{"FilterType":"ENDPOINT","Dimensions":{"EventType":{"DimensionType":"EXCLUSIVE","Values":["login"]}}}`)
	manyValues := `["a","b","c","d","e","f","g","h","i","j","k"]`
	manyEvent := event(`{"FilterType":"ENDPOINT","Dimensions":{"EventType":{"DimensionType":"INCLUSIVE","Values":` + manyValues + `},` +
		`"Attributes":{"x":{"AttributeType":"INCLUSIVE","Values":` + manyValues + `}}}}`)
	return []cmpCase{
		{name: "completed", rule: "CMP-FINISHED", members: `"State":{"CampaignStatus":"COMPLETED"}`, want: 1, class: Direct, contains: "will not recreate"},
		{name: "one-time in the past", rule: "CMP-FINISHED", schedule: `{"StartTime":"2026-08-01T15:00:00Z","Frequency":"ONCE"}`,
			members: `"State":{"CampaignStatus":"EXECUTING"}`, want: 1, contains: "one-time send"},
		{name: "ended", rule: "CMP-FINISHED", schedule: `{"StartTime":"2026-01-01T15:00:00Z","EndTime":"2026-06-01T00:00:00Z","Frequency":"DAILY"}`, want: 1, contains: "end time"},
		{name: "scheduled", rule: "CMP-FINISHED", want: 0},
		{name: "finished campaigns get no other finding", rule: "CMP-HOLDOUT", members: `"State":{"CampaignStatus":"COMPLETED"},"HoldoutPercent":10`, want: 0},

		{name: "paused", rule: "CMP-PAUSED", members: `"IsPaused":true`, want: 1, class: Trans},
		{name: "running", rule: "CMP-PAUSED", want: 0},

		{name: "several versions", rule: "CMP-VERSIONS", setup: func(f *fixture) {
			c := &f.app().Campaigns[0]
			c.Version = 3
			c.Versions = []json.RawMessage{c.Object, c.Object, c.Object}
		}, want: 1, class: Direct, contains: "3 versions"},
		{name: "one version", rule: "CMP-VERSIONS", want: 0},

		{name: "once", rule: "CMP-ONE-TIME", want: 1, class: Trans, contains: "2026-12-02T15:00:00Z"},
		{name: "once with max duration", rule: "CMP-ONE-TIME", members: `"Limits":{"MaximumDuration":3600}`, want: 1, contains: "2026-12-01T16:00:00Z"},
		{name: "immediate", rule: "CMP-ONE-TIME", schedule: `{"StartTime":"IMMEDIATE","Frequency":"ONCE"}`, want: 1, contains: "IMMEDIATE"},
		{name: "weekly", rule: "CMP-ONE-TIME", schedule: weekly, want: 0},

		{name: "weekly", rule: "CMP-RECURRING", schedule: weekly, want: 1, class: Trans, contains: "P7D"},
		{name: "hourly open-ended", rule: "CMP-RECURRING", schedule: `{"StartTime":"2026-12-01T15:30:00Z","Frequency":"HOURLY"}`, want: 1, contains: "sets an end time"},
		{name: "once", rule: "CMP-RECURRING", want: 0},

		{name: "monthly", rule: "CMP-MONTHLY", schedule: `{"StartTime":"2026-12-03T15:00:00Z","EndTime":"2027-12-03T15:00:00Z","Frequency":"MONTHLY"}`, want: 1, class: Redesign, contains: "day 3"},
		{name: "weekly", rule: "CMP-MONTHLY", schedule: weekly, want: 0},

		{name: "endpoint event", rule: "CMP-EVENT", schedule: endpointEvent, want: 1, class: Trans, contains: "cart.abandoned with 1 attribute and 1 metric"},
		{name: "system event", rule: "CMP-EVENT", schedule: systemEvent, want: 0},
		{name: "scheduled", rule: "CMP-EVENT", want: 0},

		{name: "system event", rule: "CMP-EVENT-GAP", schedule: systemEvent, want: 1, class: Redesign, contains: "_session.start"},
		{name: "exclusive event type", rule: "CMP-EVENT-GAP", schedule: exclusiveEvent, want: 1, contains: "every event except login"},
		{name: "too many values", rule: "CMP-EVENT-GAP", schedule: manyEvent, want: 2},
		{name: "expressible", rule: "CMP-EVENT-GAP", schedule: endpointEvent, want: 0},

		{name: "endpoint event", rule: "CMP-EVENT-SOURCE", schedule: endpointEvent, want: 1, class: Manual, contains: "cart.abandoned"},
		{name: "system event", rule: "CMP-EVENT-SOURCE", schedule: systemEvent, want: 0},

		{name: "local time", rule: "CMP-LOCAL-TIME", schedule: `{"StartTime":"2026-12-01T09:00:00Z","Frequency":"ONCE","IsLocalTime":true}`, want: 1, class: Trans, contains: "09:00 in each"},
		{name: "absolute time", rule: "CMP-LOCAL-TIME", want: 0},

		{name: "quiet time", rule: "CMP-QUIET-TIME", schedule: `{"StartTime":"2026-12-01T09:00:00Z","Frequency":"ONCE","QuietTime":{"Start":"21:00","End":"08:00"}}`,
			want: 1, class: Trans, contains: "open hours 08:00–21:00"},
		{name: "no quiet time", rule: "CMP-QUIET-TIME", want: 0},

		{name: "utc offset", rule: "CMP-TIMEZONE", schedule: `{"StartTime":"2026-12-01T09:00:00Z","Frequency":"ONCE","IsLocalTime":true,"Timezone":"UTC-05"}`,
			want: 1, class: Trans, contains: "America/Bogota"},
		{name: "half-hour offset", rule: "CMP-TIMEZONE", schedule: `{"StartTime":"2026-12-01T09:00:00Z","Frequency":"ONCE","Timezone":"UTC+05:30"}`, want: 1, contains: "Asia/Kolkata"},
		{name: "offset without a fixed zone", rule: "CMP-TIMEZONE", schedule: `{"StartTime":"2026-12-01T09:00:00Z","Frequency":"ONCE","Timezone":"UTC+10:30"}`, want: 1, class: Redesign},
		{name: "iana zone", rule: "CMP-TIMEZONE", schedule: `{"StartTime":"2026-12-01T09:00:00Z","Frequency":"ONCE","Timezone":"America/Chicago"}`, want: 0},
		{name: "none", rule: "CMP-TIMEZONE", want: 0},

		{name: "daily cap", rule: "CMP-LIMIT-DAILY", members: `"Limits":{"Daily":2}`, want: 1, class: Trans, contains: "2 per 1 DAY"},
		{name: "no cap", rule: "CMP-LIMIT-DAILY", members: `"Limits":{"Daily":0}`, want: 0},

		{name: "total on weekly", rule: "CMP-LIMIT-TOTAL", schedule: weekly, members: `"Limits":{"Total":5}`, want: 1, class: Trans, contains: "maxEntryCount 5"},
		{name: "total on two channels", rule: "CMP-LIMIT-TOTAL", schedule: weekly,
			members: `"Limits":{"Total":5},"MessageConfiguration":{"SMSMessage":{"MessageType":"PROMOTIONAL"}}`, want: 1, class: Redesign},
		{name: "total on a one-time send", rule: "CMP-LIMIT-TOTAL", members: `"Limits":{"Total":1}`, want: 0},

		{name: "mps", rule: "CMP-LIMIT-MPS", members: `"Limits":{"MessagesPerSecond":100}`, want: 1, class: Redesign, contains: "100 messages per second"},
		{name: "none", rule: "CMP-LIMIT-MPS", want: 0},

		{name: "one-time", rule: "CMP-LIMIT-DURATION", members: `"Limits":{"MaximumDuration":600}`, want: 1, class: Trans},
		{name: "event", rule: "CMP-LIMIT-DURATION", schedule: endpointEvent, members: `"Limits":{"MaximumDuration":60}`, want: 1, class: Trans, contains: "EventExpiration"},
		{name: "recurring", rule: "CMP-LIMIT-DURATION", schedule: weekly, members: `"Limits":{"MaximumDuration":600}`, want: 1, class: Redesign},
		{name: "none", rule: "CMP-LIMIT-DURATION", want: 0},

		{name: "session", rule: "CMP-LIMIT-SESSION", schedule: endpointEvent, members: `"Limits":{"Session":1}`, want: 1, class: Redesign, contains: "Limits.Session"},
		{name: "none", rule: "CMP-LIMIT-SESSION", want: 0},

		{name: "treatments", rule: "CMP-AB", members: `"TreatmentName":"Control","HoldoutPercent":10,"AdditionalTreatments":[{"Id":"t1","SizePercent":30,"TreatmentName":"B"}]`,
			want: 1, class: Redesign, contains: "Control 60%, B 30%"},
		{name: "none", rule: "CMP-AB", want: 0},

		{name: "holdout", rule: "CMP-HOLDOUT", members: `"HoldoutPercent":10`, want: 1, class: Redesign, contains: "10%"},
		{name: "none", rule: "CMP-HOLDOUT", want: 0},

		{name: "filter hook", rule: "CMP-HOOK", members: `"Hook":{"LambdaFunctionName":"arn:aws:lambda:us-east-1:123456789012:function:ticket-filter","Mode":"FILTER"}`,
			want: 1, class: Redesign, contains: "ticket-filter"},
		{name: "delivery hook", rule: "CMP-HOOK", members: `"Hook":{"LambdaFunctionName":"deliver","Mode":"DELIVERY"}`, want: 1, contains: "DELIVERY"},
		{name: "none", rule: "CMP-HOOK", want: 0},

		{name: "custom", rule: "CMP-CUSTOM-CHANNEL", members: `"CustomDeliveryConfiguration":{"DeliveryUri":"https://hooks.example.com/x"},"MessageConfiguration":{"CustomMessage":{"Data":"x"}}`,
			want: 1, class: Redesign, contains: "https://hooks.example.com/x"},
		{name: "none", rule: "CMP-CUSTOM-CHANNEL", want: 0},

		{name: "email", rule: "CMP-EMAIL-ADDRESS", members: `"MessageConfiguration":{"EmailMessage":{"FromAddress":"jane.doe@example.com"}}`, want: 1, class: Manual},
		{name: "sms only", rule: "CMP-EMAIL-ADDRESS", members: `"TemplateConfiguration":{"SMSTemplate":{"Name":"sms1"}}`, want: 0},

		{name: "origination number", rule: "CMP-SMS-NUMBER", members: `"TemplateConfiguration":{"SMSTemplate":{"Name":"sms1"}},"MessageConfiguration":{"SMSMessage":{"OriginationNumber":"+12065550100"}}`,
			want: 1, class: Manual, contains: "+12065550100"},
		{name: "sender id and DLT ids", rule: "CMP-SMS-NUMBER", members: `"MessageConfiguration":{"SMSMessage":{"SenderId":"SHOP","EntityId":"E1","TemplateId":"T1"}}`, want: 3},
		{name: "email only", rule: "CMP-SMS-NUMBER", want: 0},

		{name: "transactional", rule: "CMP-SMS-TRANSACTIONAL", members: `"MessageConfiguration":{"SMSMessage":{"MessageType":"TRANSACTIONAL"}}`, want: 1, class: Redesign},
		{name: "promotional", rule: "CMP-SMS-TRANSACTIONAL", members: `"MessageConfiguration":{"SMSMessage":{"MessageType":"PROMOTIONAL"}}`, want: 0},

		{name: "push template", rule: "CMP-PUSH", members: `"TemplateConfiguration":{"PushTemplate":{"Name":"p"}}`, want: 1, class: Redesign},
		{name: "raw apns", rule: "CMP-PUSH", members: `"MessageConfiguration":{"APNSMessage":{"Body":"x"}}`, want: 1},
		{name: "push in a treatment", rule: "CMP-PUSH", members: `"AdditionalTreatments":[{"Id":"t1","SizePercent":50,"TemplateConfiguration":{"PushTemplate":{"Name":"p"}}}]`, want: 1},
		{name: "email", rule: "CMP-PUSH", want: 0},

		{name: "in-app", rule: "CMP-IN-APP", schedule: `{"StartTime":"2026-12-01T00:00:00Z","EndTime":"2027-12-01T00:00:00Z","Frequency":"IN_APP_EVENT"}`,
			members: `"Priority":2,"TemplateConfiguration":{"InAppTemplate":{"Name":"banner"}}`, want: 1, class: Manual, contains: "priority 2"},
		{name: "email", rule: "CMP-IN-APP", want: 0},

		{name: "voice template", rule: "CMP-VOICE", members: `"TemplateConfiguration":{"VoiceTemplate":{"Name":"v"}}`, want: 1, class: Direct},
		{name: "none", rule: "CMP-VOICE", want: 0},

		{name: "inline sms", rule: "CMP-INLINE-CONTENT", members: `"MessageConfiguration":{"SMSMessage":{"Body":"Due {{Attributes.dueDate}}"}}`, want: 1, class: Trans, contains: "SMS content"},
		{name: "sender only", rule: "CMP-INLINE-CONTENT", members: `"MessageConfiguration":{"EmailMessage":{"FromAddress":"news@example.com"}}`, want: 0},

		{name: "pinned", rule: "CMP-TEMPLATE-PINNED", members: `"TemplateConfiguration":{"SMSTemplate":{"Name":"sms1","Version":"2"}}`, want: 1, class: Trans, contains: "version 2 of template sms1"},
		{name: "pinned to the active version", rule: "CMP-TEMPLATE-PINNED", members: `"TemplateConfiguration":{"SMSTemplate":{"Name":"sms1","Version":"1"}}`, want: 0},

		{name: "older version held", rule: "CMP-SEGMENT-VERSION", setup: cmpSegmentV2(true), want: 1, class: Trans, contains: "version 1 of segment all"},
		{name: "older version not held", rule: "CMP-SEGMENT-VERSION", setup: cmpSegmentV2(false), want: 1, class: Redesign},
		{name: "latest", rule: "CMP-SEGMENT-VERSION", want: 0},
	}
}

// cmpSegmentV2 moves segment s1 to version 2, with or without version 1 in
// its history.
func cmpSegmentV2(withHistory bool) func(f *fixture) {
	return func(f *fixture) {
		sg := &f.app().Segments[0]
		sg.Version = 2
		sg.Object = raw(`{"Id":"s1","Name":"all","SegmentType":"DIMENSIONAL","Version":2}`)
		if withHistory {
			sg.Versions = []json.RawMessage{raw(`{"Id":"s1","Version":1}`), sg.Object}
		}
	}
}

func TestCampaignRules(t *testing.T) {
	for _, c := range cmpCases() {
		t.Run(c.rule+"/"+c.name, func(t *testing.T) {
			if RuleByID(c.rule) == nil {
				t.Fatalf("rule %s is not registered", c.rule)
			}
			f := cmpFixture(c.schedule, c.members)
			if c.setup != nil {
				c.setup(f)
			}
			a := f.assess(t)
			var hits []Finding
			for _, h := range fired(a, c.rule) {
				if h.Workload == cmpWID {
					hits = append(hits, h)
				}
			}
			cmpTplCheckHits(t, c.rule, hits, c.want, c.class, c.contains)
			for _, h := range a.Findings {
				if strings.Contains(h.Message+h.Action, "jane.doe") {
					t.Errorf("%s prints the sender address: %s", h.ID, h.Message)
				}
			}
		})
	}
}

// cmpTplCheckHits checks the hits of one rule against a case.
func cmpTplCheckHits(t *testing.T, rule string, hits []Finding, want int, class, contains string) {
	t.Helper()
	if len(hits) != want {
		t.Fatalf("%s fired %d time(s), want %d: %+v", rule, len(hits), want, hits)
	}
	for _, h := range hits {
		if class != "" && h.Class != class {
			t.Errorf("%s: class %s, want %s", h.ID, h.Class, class)
		}
		if (h.Class == Redesign || h.Class == Manual) && h.Action == "" {
			t.Errorf("%s: %s finding without an action", h.ID, h.Class)
		}
		if h.Message == "" || strings.Contains(strings.TrimSuffix(h.Message, "."), ". ") || !strings.HasSuffix(h.Message, ".") {
			t.Errorf("%s: message should be one sentence: %q", h.ID, h.Message)
		}
		if h.Field == "" {
			t.Errorf("%s: no source field", h.ID)
		}
	}
	if want > 0 && contains != "" && !strings.Contains(hits[0].Message, contains) {
		t.Errorf("%s: message %q does not mention %q", hits[0].ID, hits[0].Message, contains)
	}
}

// TestCampaignRulesCovered: every CMP rule has a case that fires it and one
// that does not.
func TestCampaignRulesCovered(t *testing.T) {
	fires, quiet := map[string]bool{}, map[string]bool{}
	for _, c := range cmpCases() {
		if c.want > 0 {
			fires[c.rule] = true
		} else {
			quiet[c.rule] = true
		}
	}
	for _, r := range Catalogue() {
		if !strings.HasPrefix(r.ID, "CMP-") {
			continue
		}
		if !fires[r.ID] || !quiet[r.ID] {
			t.Errorf("%s: fires tested %v, quiet tested %v", r.ID, fires[r.ID], quiet[r.ID])
		}
	}
}

func TestCmpZone(t *testing.T) {
	for tz, want := range map[string]string{"UTC": "Etc/UTC", "UTC+01": "Africa/Lagos", "UTC-08": "Pacific/Pitcairn", "UTC+05:45": "Asia/Kathmandu", "UTC-3": "America/Sao_Paulo"} {
		if z, iana, ok := cmpZone(tz); z != want || iana || !ok {
			t.Errorf("cmpZone(%q) = %q, %v, %v; want %q", tz, z, iana, ok, want)
		}
	}
	if _, _, ok := cmpZone("UTC+10:30"); ok {
		t.Error("UTC+10:30 has no fixed zone")
	}
	for _, z := range cmpFixedZones {
		for _, r := range z {
			if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-' || r == '/') {
				t.Errorf("%s does not match Connect's TimeZone pattern", z)
			}
		}
	}
}
