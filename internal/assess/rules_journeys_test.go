package assess

import (
	"strings"
	"testing"

	"github.com/p2c/p2c/internal/inventory"
)

// jrnCase is one fires / does-not-fire check of a rule.
type jrnCase struct {
	name  string
	rule  string
	setup func(f *fixture)
	fire  bool
	// class, node and contains check the first finding when fire is set.
	class, node, contains string
}

// runRuleCases assesses each case's fixture and checks the rule fired or
// not; shared by the journey, channel and account rule tests.
func jrnRunCases(t *testing.T, cases []jrnCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.rule+"/"+c.name, func(t *testing.T) {
			f := newFixture()
			c.setup(f)
			a := f.assess(t)
			hits := fired(a, c.rule)
			if !c.fire {
				if len(hits) != 0 {
					t.Fatalf("%s fired: %+v", c.rule, hits)
				}
				return
			}
			if len(hits) == 0 {
				t.Fatalf("%s did not fire; findings: %+v", c.rule, a.Findings)
			}
			h := hits[0]
			r := RuleByID(c.rule)
			want := r.Class
			if c.class != "" {
				want = c.class
			}
			if h.Class != want {
				t.Errorf("class = %s, want %s", h.Class, want)
			}
			if (h.Class == Manual || h.Class == Redesign) && h.Action == "" {
				t.Errorf("%s finding has no action: %+v", h.Class, h)
			}
			if c.node != "" && h.Node != c.node {
				t.Errorf("node = %q, want %q", h.Node, c.node)
			}
			if c.contains != "" && !strings.Contains(h.Message+" "+h.Action, c.contains) {
				t.Errorf("message %q / action %q lacks %q", h.Message, h.Action, c.contains)
			}
			if h.Message == "" || h.Field == "" {
				t.Errorf("finding lacks message or field: %+v", h)
			}
		})
	}
}

// jrn installs one journey built from activities and extra top-level
// members.
func jrnJourney(activities, extra string) func(f *fixture) {
	return func(f *fixture) {
		obj := `{"Id":"j1","ApplicationId":"app1","Name":"welcome","Activities":{` + activities + `}`
		if extra != "" {
			obj += "," + extra
		}
		obj += "}"
		f.app().Journeys = []inventory.Journey{{ID: "j1", Name: "welcome", Object: raw(obj)}}
	}
}

const (
	jrnMulti  = `"a1":{"EMAIL":{"TemplateName":"welcome"},"NextActivity":"a2"},"a2":{"Wait":{"WaitTime":{"WaitFor":"P1D"}},"NextActivity":"a3"},"a3":{"SMS":{"TemplateName":"nudge","MessageConfig":{"MessageType":"PROMOTIONAL"}}}`
	jrnSingle = `"a1":{"EMAIL":{"TemplateName":"welcome"}}`
)

func TestJourneyRules(t *testing.T) {
	cases := []jrnCase{
		{"multi-step", "JRN-JOURNEY", jrnJourney(jrnMulti, ""), true, "", "", "3 activities"},
		{"one message", "JRN-JOURNEY", jrnJourney(jrnSingle, ""), false, "", "", ""},
		{"one email", "JRN-ONE-MESSAGE", jrnJourney(jrnSingle, ""), true, "", "a1", "plain outbound campaign"},
		{"one push", "JRN-ONE-MESSAGE", jrnJourney(`"a1":{"PUSH":{"TemplateName":"p"}}`, ""), false, "", "", ""},
		{"multi-step", "JRN-ONE-MESSAGE", jrnJourney(jrnMulti, ""), false, "", "", ""},

		{"email", "JRN-EMAIL", jrnJourney(jrnMulti, ""), true, "", "a1", `"welcome"`},
		{"from address", "JRN-EMAIL", jrnJourney(`"a1":{"EMAIL":{"TemplateName":"w","MessageConfig":{"FromAddress":"news@shop.example"}}}`, ""), true, "", "a1", "Connect email address"},
		{"no email", "JRN-EMAIL", jrnJourney(`"a1":{"SMS":{"TemplateName":"s"}}`, ""), false, "", "", ""},
		{"sms", "JRN-SMS", jrnJourney(jrnMulti, ""), true, "", "a3", "PROMOTIONAL"},
		{"no sms", "JRN-SMS", jrnJourney(jrnSingle, ""), false, "", "", ""},
		{"sender id", "JRN-SMS-SENDER-ID", jrnJourney(`"a1":{"SMS":{"TemplateName":"s","MessageConfig":{"SenderId":"SHOP"}}}`, ""), true, "", "a1", `"SHOP"`},
		{"number", "JRN-SMS-SENDER-ID", jrnJourney(jrnMulti, ""), false, "", "", ""},
		{"dlt ids", "JRN-SMS-REGULATORY", jrnJourney(`"a1":{"SMS":{"TemplateName":"s","MessageConfig":{"EntityId":"e1","TemplateId":"t1"}}}`, ""), true, "", "a1", "EntityId"},
		{"no dlt ids", "JRN-SMS-REGULATORY", jrnJourney(jrnMulti, ""), false, "", "", ""},
		{"push", "JRN-PUSH", jrnJourney(`"a1":{"PUSH":{"TemplateName":"p","MessageConfig":{"TimeToLive":"60"}}}`, ""), true, "", "a1", "Lambda"},
		{"no push", "JRN-PUSH", jrnJourney(jrnMulti, ""), false, "", "", ""},
		{"webhook", "JRN-CUSTOM", jrnJourney(`"a1":{"CUSTOM":{"DeliveryUri":"https://hooks.example/x","EndpointTypes":["CUSTOM"]}}`, ""), true, "", "a1", "webhook"},
		{"lambda", "JRN-CUSTOM", jrnJourney(`"a1":{"CUSTOM":{"DeliveryUri":"arn:aws:lambda:us-east-1:123456789012:function:send"}}`, ""), true, "", "a1", "Lambda function"},
		{"no custom", "JRN-CUSTOM", jrnJourney(jrnMulti, ""), false, "", "", ""},
		{"with settings", "JRN-CONTACT-CENTER", jrnJourney(`"a1":{"ContactCenter":{"NextActivity":"a2"}},"a2":{"Wait":{"WaitTime":{"WaitFor":"PT1H"}}}`,
			`"JourneyChannelSettings":{"ConnectCampaignArn":"arn:aws:connect-campaigns:us-east-1:123456789012:campaign/abc","ConnectCampaignExecutionRoleArn":"arn:aws:iam::123456789012:role/r"}`), true, Trans, "a1", "campaign abc"},
		{"without settings", "JRN-CONTACT-CENTER", jrnJourney(`"a1":{"ContactCenter":{}}`, ""), true, Manual, "a1", "Connect instance"},
		{"no call", "JRN-CONTACT-CENTER", jrnJourney(jrnMulti, ""), false, "", "", ""},

		{"wait for", "JRN-WAIT", jrnJourney(jrnMulti, ""), true, "", "a2", "P1D"},
		{"wait until", "JRN-WAIT", jrnJourney(`"a1":{"Wait":{"WaitTime":{"WaitUntil":"2026-12-24T09:00:00Z"}}}`, ""), true, "", "a1", "2026-12-24T09:00:00Z"},
		{"no wait", "JRN-WAIT", jrnJourney(jrnSingle, ""), false, "", "", ""},

		{"opened", "JRN-SPLIT-EVENT", jrnJourney(jrnSingle+`,"s1":{"ConditionalSplit":{"Condition":{"Conditions":[{"EventCondition":{"MessageActivity":"a1","Dimensions":{"EventType":{"Values":["_email.open"]}}}}],"Operator":"ALL"},"EvaluationWaitTime":{"WaitFor":"P1D"},"TrueActivity":"a1"}}`, ""), true, "", "s1", "activity a1"},
		{"no event", "JRN-SPLIT-EVENT", jrnJourney(jrnMulti, ""), false, "", "", ""},
		{"segment branch", "JRN-SPLIT-SEGMENT", jrnJourney(`"m1":{"MultiCondition":{"Branches":[{"Condition":{"SegmentCondition":{"SegmentId":"vip"}},"NextActivity":"a1"}],"DefaultActivity":"a1"}},`+jrnSingle, ""), true, "", "m1", "segment vip"},
		{"no segment", "JRN-SPLIT-SEGMENT", jrnJourney(jrnMulti, ""), false, "", "", ""},
		{"attributes", "JRN-SPLIT-DIMENSIONS", jrnJourney(`"s1":{"ConditionalSplit":{"Condition":{"Conditions":[{"segmentDimensions":{"Attributes":{"tier":{"Values":["gold"]}}}}]}}}`, ""), true, Trans, "s1", "profile condition"},
		{"recency", "JRN-SPLIT-DIMENSIONS", jrnJourney(`"s1":{"ConditionalSplit":{"Condition":{"Conditions":[{"segmentDimensions":{"Behavior":{"Recency":{"Duration":"DAY_7","RecencyType":"ACTIVE"}}}}]}}}`, ""), true, Redesign, "s1", "recency"},
		{"no dimensions", "JRN-SPLIT-DIMENSIONS", jrnJourney(jrnMulti, ""), false, "", "", ""},
		{"branches", "JRN-MULTI-SPLIT", jrnJourney(`"m1":{"MultiCondition":{"Branches":[{"Condition":{"SegmentCondition":{"SegmentId":"a"}},"NextActivity":"a1"},{"Condition":{"SegmentCondition":{"SegmentId":"b"}},"NextActivity":"a1"}],"DefaultActivity":"a1"}},`+jrnSingle, ""), true, "", "m1", "2 branches plus a default"},
		{"no multi", "JRN-MULTI-SPLIT", jrnJourney(jrnMulti, ""), false, "", "", ""},
		{"random", "JRN-RANDOM-SPLIT", jrnJourney(`"r1":{"RandomSplit":{"Branches":[{"Percentage":70,"NextActivity":"a1"},{"Percentage":30}]}},`+jrnSingle, ""), true, "", "r1", "70% / 30%"},
		{"no random", "JRN-RANDOM-SPLIT", jrnJourney(jrnMulti, ""), false, "", "", ""},
		{"holdout", "JRN-HOLDOUT", jrnJourney(`"h1":{"Holdout":{"Percentage":10},"NextActivity":"a1"},`+jrnSingle, ""), true, "", "h1", "10%"},
		{"no holdout", "JRN-HOLDOUT", jrnJourney(jrnMulti, ""), false, "", "", ""},

		{"daily cap", "JRN-LIMIT-DAILY", jrnJourney(jrnMulti, `"Limits":{"DailyCap":2}`), true, "", "", "at most 2 messages a day"},
		{"daily cap off", "JRN-LIMIT-DAILY", jrnJourney(jrnMulti, `"Limits":{"DailyCap":0}`), false, "", "", ""},
		{"timeframe", "JRN-LIMIT-TIMEFRAME", jrnJourney(jrnMulti, `"Limits":{"TimeframeCap":{"Cap":3,"Days":7}}`), true, Trans, "", "3 per 7 days"},
		{"no timeframe", "JRN-LIMIT-TIMEFRAME", jrnJourney(jrnMulti, `"Limits":{"DailyCap":2}`), false, "", "", ""},
		{"total", "JRN-LIMIT-TOTAL", jrnJourney(jrnMulti, `"Limits":{"TotalCap":5}`), true, "", "", "5 messages in total"},
		{"total off", "JRN-LIMIT-TOTAL", jrnJourney(jrnMulti, `"Limits":{"TotalCap":0}`), false, "", "", ""},
		{"reentry", "JRN-REENTRY", jrnJourney(jrnMulti, `"Limits":{"EndpointReentryCap":0,"EndpointReentryInterval":"P7D"}`), true, "", "", "unlimited re-entries and at least P7D"},
		{"no reentry", "JRN-REENTRY", jrnJourney(jrnMulti, ""), false, "", "", ""},
		{"mps", "JRN-MPS", jrnJourney(jrnMulti, `"Limits":{"MessagesPerSecond":50}`), true, "", "", "50 messages per second"},
		{"no mps", "JRN-MPS", jrnJourney(jrnMulti, `"Limits":{"DailyCap":1}`), false, "", "", ""},

		{"quiet", "JRN-QUIET-TIME", jrnJourney(jrnMulti, `"QuietTime":{"Start":"22:00","End":"07:00"}`), true, "", "", "from 07:00 to 22:00"},
		{"no quiet", "JRN-QUIET-TIME", jrnJourney(jrnMulti, ""), false, "", "", ""},
		{"skip", "JRN-QUIET-SKIP", jrnJourney(jrnMulti, `"QuietTime":{"Start":"22:00","End":"07:00"},"WaitForQuietTime":false`), true, "", "", "skipped"},
		{"wait", "JRN-QUIET-SKIP", jrnJourney(jrnMulti, `"QuietTime":{"Start":"22:00","End":"07:00"},"WaitForQuietTime":true`), false, "", "", ""},
		{"email hours", "JRN-OPEN-HOURS", jrnJourney(jrnMulti, `"SendingSchedule":true,"OpenHours":{"EMAIL":{"MONDAY":[{"StartTime":"09:00","EndTime":"17:00"}]}}`), true, Trans, "", "1 day(s)"},
		{"push hours", "JRN-OPEN-HOURS", jrnJourney(jrnMulti, `"SendingSchedule":true,"OpenHours":{"PUSH":{"MONDAY":[{"StartTime":"09:00","EndTime":"17:00"}]}}`), true, Redesign, "", "no PUSH channel"},
		{"no hours", "JRN-OPEN-HOURS", jrnJourney(jrnMulti, ""), false, "", "", ""},
		{"closed", "JRN-CLOSED-DAYS", jrnJourney(jrnMulti, `"SendingSchedule":true,"ClosedDays":{"SMS":[{"Name":"xmas","StartDateTime":"2026-12-25T00:00","EndDateTime":"2026-12-26T00:00"}]}`), true, Trans, "", "1 closed period"},
		{"no closed", "JRN-CLOSED-DAYS", jrnJourney(jrnMulti, ""), false, "", "", ""},
		{"plus offset", "JRN-LOCAL-TIME", jrnJourney(jrnMulti, `"LocalTime":true,"Schedule":{"StartTime":"2026-12-01T00:00:00Z","EndTime":"2027-01-01T00:00:00Z","Timezone":"UTC+05"}`), true, Trans, "", "Etc/GMT-5"},
		{"minus offset", "JRN-LOCAL-TIME", jrnJourney(jrnMulti, `"LocalTime":true,"Schedule":{"StartTime":"2026-12-01T00:00:00Z","EndTime":"2027-01-01T00:00:00Z","Timezone":"UTC-05"}`), true, Redesign, "", "UTC-05"},
		{"zone name", "JRN-LOCAL-TIME", jrnJourney(jrnMulti, `"LocalTime":true,"Schedule":{"Timezone":"America/New_York"}`), true, Trans, "", "America/New_York"},
		{"utc time", "JRN-LOCAL-TIME", jrnJourney(jrnMulti, `"LocalTime":false`), false, "", "", ""},
		{"estimation", "JRN-TZ-ESTIMATION", jrnJourney(jrnMulti, `"TimezoneEstimationMethods":["PHONE_NUMBER","POSTAL_CODE"]`), true, "", "", "AREA_CODE and ZIP_CODE"},
		{"no estimation", "JRN-TZ-ESTIMATION", jrnJourney(jrnMulti, ""), false, "", "", ""},
		{"start and end", "JRN-SCHEDULE", jrnJourney(jrnMulti, `"Schedule":{"StartTime":"2026-12-01T00:00:00Z","EndTime":"2027-01-01T00:00:00Z"}`), true, Trans, "", "2027-01-01T00:00:00Z"},
		{"no end", "JRN-SCHEDULE", jrnJourney(jrnMulti, `"Schedule":{"StartTime":"2026-12-01T00:00:00Z"}`), true, Redesign, "", "no end time"},
		{"no schedule", "JRN-SCHEDULE", jrnJourney(jrnMulti, ""), false, "", "", ""},
		{"refresh", "JRN-REFRESH", jrnJourney(jrnMulti, `"RefreshFrequency":"PT1H"`), true, "", "", "PT1H"},
		{"no refresh", "JRN-REFRESH", jrnJourney(jrnMulti, ""), false, "", "", ""},
		{"on update", "JRN-REFRESH-ON-UPDATE", jrnJourney(jrnMulti, `"RefreshOnSegmentUpdate":true`), true, "", "", "RefreshOnSegmentUpdate"},
		{"not on update", "JRN-REFRESH-ON-UPDATE", jrnJourney(jrnMulti, `"RefreshOnSegmentUpdate":false`), false, "", "", ""},
		{"segment start", "JRN-START-SEGMENT", jrnJourney(jrnMulti, `"StartCondition":{"SegmentStartCondition":{"SegmentId":"s1"}}`), true, "", "", "segment s1"},
		{"event start only", "JRN-START-SEGMENT", jrnJourney(jrnMulti, `"StartCondition":{"EventStartCondition":{"EventFilter":{"FilterType":"ENDPOINT","Dimensions":{"EventType":{"Values":["purchase"]}}}}}`), false, "", "", ""},
		{"event start", "JRN-START-EVENT", jrnJourney(jrnMulti, `"StartCondition":{"EventStartCondition":{"EventFilter":{"FilterType":"ENDPOINT","Dimensions":{"EventType":{"Values":["purchase"]}}}}}`), true, "", "", "purchase"},
		{"segment start only", "JRN-START-EVENT", jrnJourney(jrnMulti, `"StartCondition":{"SegmentStartCondition":{"SegmentId":"s1"}}`), false, "", "", ""},
		{"active", "JRN-ACTIVE", jrnJourney(jrnMulti, `"State":"ACTIVE"`), true, "", "", "ACTIVE"},
		{"completed", "JRN-ACTIVE", jrnJourney(jrnMulti, `"State":"COMPLETED"`), false, "", "", ""},
		{"completed", "JRN-RETIRED", jrnJourney(jrnMulti, `"State":"COMPLETED"`), true, "", "", "retired"},
		{"active", "JRN-RETIRED", jrnJourney(jrnMulti, `"State":"ACTIVE"`), false, "", "", ""},
	}
	jrnRunCases(t, cases)
}

// TestJourneyRulesCoverEveryActivity makes sure no activity type of the
// Activity shape goes unassessed.
func TestJourneyRulesCoverEveryActivity(t *testing.T) {
	acts := map[string]string{
		"EMAIL": `{"TemplateName":"e"}`, "SMS": `{"TemplateName":"s"}`, "PUSH": `{"TemplateName":"p"}`,
		"CUSTOM": `{"DeliveryUri":"https://x.example"}`, "ContactCenter": `{}`, "Wait": `{"WaitTime":{"WaitFor":"PT1H"}}`,
		"Holdout": `{"Percentage":5}`, "ConditionalSplit": `{"Condition":{"Conditions":[{"SegmentCondition":{"SegmentId":"s"}}]}}`,
		"MultiCondition": `{"Branches":[]}`, "RandomSplit": `{"Branches":[{"Percentage":100}]}`,
	}
	for _, typ := range jrnActivityTypes {
		body, ok := acts[typ]
		if !ok {
			t.Fatalf("no test body for activity type %s", typ)
		}
		f := newFixture()
		jrnJourney(`"x1":{"`+typ+`":`+body+`},"x2":{"Wait":{"WaitTime":{"WaitFor":"PT1H"}}}`, "")(f)
		a := f.assess(t)
		found := false
		for _, fd := range a.Findings {
			if fd.Node == "x1" && strings.HasPrefix(fd.Rule, "JRN-") {
				found = true
			}
		}
		if !found {
			t.Errorf("no JRN finding marks activity type %s", typ)
		}
	}
}
