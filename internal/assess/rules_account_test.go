package assess

import (
	"fmt"
	"strings"
	"testing"

	"github.com/p2c/p2c/internal/inventory"
)

// campaigns gives the app n campaigns with the given schedule frequency,
// state and template configuration.
func acctCampaigns(n int, freq, state, templates string) func(f *fixture) {
	return func(f *fixture) {
		for i := 0; i < n; i++ {
			id := fmt.Sprintf("c%d", i)
			f.app().Campaigns = append(f.app().Campaigns, inventory.Campaign{ID: id, Name: id, Object: raw(fmt.Sprintf(
				`{"Id":%q,"Name":%q,"SegmentId":"s","SegmentVersion":1,"Schedule":{"StartTime":"IMMEDIATE","Frequency":%q},"State":{"CampaignStatus":%q},"TemplateConfiguration":%s}`,
				id, id, freq, state, templates))})
		}
	}
}

// metricSegments gives the app n segments, each testing its own metric.
func acctMetricSegments(n int) func(f *fixture) {
	return func(f *fixture) {
		for i := 0; i < n; i++ {
			id := fmt.Sprintf("s%d", i)
			f.app().Segments = append(f.app().Segments, inventory.Segment{ID: id, Name: id, Version: 1, Object: raw(fmt.Sprintf(
				`{"Id":%q,"Name":%q,"SegmentType":"DIMENSIONAL","Version":1,"Dimensions":{"Metrics":{"m%d":{"ComparisonOperator":"GREATER_THAN","Value":1}}}}`, id, id, i))})
		}
	}
}

func TestAccountRules(t *testing.T) {
	none := func(f *fixture) {}
	email := `{"EmailTemplate":{"Name":"e"}}`
	sms := `{"SMSTemplate":{"Name":"s"}}`
	push := `{"PushTemplate":{"Name":"p"}}`
	cases := []jrnCase{
		{"campaign", "PRQ-CONNECT-INSTANCE", acctCampaigns(1, "ONCE", "SCHEDULED", email), true, "", "", "region's 1 campaign needs"},
		{"nothing", "PRQ-CONNECT-INSTANCE", none, false, "", "", ""},
		{"segment", "PRQ-PROFILES-DOMAIN", acctMetricSegments(1), true, "", "", "Customer Profiles domain"},
		{"endpoints", "PRQ-PROFILES-DOMAIN", func(f *fixture) { f.app().EndpointStats = &inventory.EndpointStats{} }, true, "", "", "console"},
		{"nothing", "PRQ-PROFILES-DOMAIN", none, false, "", "", ""},
		{"email campaign", "PRQ-MESSAGE-TEMPLATES-KB", acctCampaigns(1, "ONCE", "SCHEDULED", email), true, "", "", "MESSAGE_TEMPLATES"},
		{"push campaign", "PRQ-MESSAGE-TEMPLATES-KB", acctCampaigns(1, "ONCE", "SCHEDULED", push), false, "", "", ""},
		{"sms journey", "PRQ-NUMBER-IMPORT", jrnJourney(`"a1":{"SMS":{"TemplateName":"s"}}`, ""), true, "", "", "no End User Messaging phone number"},
		{"sms with numbers", "PRQ-NUMBER-IMPORT", chnAll(acctCampaigns(1, "ONCE", "SCHEDULED", sms), func(f *fixture) {
			f.inv.Regions[0].EUM.PhoneNumbers = []inventory.Object{{ID: "phone-1", Object: raw(`{"PhoneNumberId":"phone-1"}`)}}
		}), true, "", "", "1 phone number"},
		{"email only", "PRQ-NUMBER-IMPORT", acctCampaigns(1, "ONCE", "SCHEDULED", email), false, "", "", ""},
		{"email campaign", "PRQ-SES-PRODUCTION", acctCampaigns(1, "ONCE", "SCHEDULED", email), true, "", "", "production access"},
		{"email channel", "PRQ-SES-PRODUCTION", chnChannels("EMAIL", `{"Platform":"EMAIL","Enabled":true}`), true, "", "", "SES"},
		{"sms only", "PRQ-SES-PRODUCTION", acctCampaigns(1, "ONCE", "SCHEDULED", sms), false, "", "", ""},
		{"sms campaign", "PRQ-SMS-SPEND", acctCampaigns(1, "ONCE", "SCHEDULED", sms), true, "", "", "spend limit"},
		{"email only", "PRQ-SMS-SPEND", acctCampaigns(1, "ONCE", "SCHEDULED", email), false, "", "", ""},
		{"contact center", "PRQ-CALL-QUOTA", jrnJourney(`"a1":{"ContactCenter":{}}`, ""), true, "", "", "Concurrent campaign active calls per instance"},
		{"email only", "PRQ-CALL-QUOTA", acctCampaigns(1, "ONCE", "SCHEDULED", email), false, "", "", ""},
		{"51 running", "PRQ-CAMPAIGN-COUNT", acctCampaigns(51, "DAILY", "EXECUTING", email), true, "", "", "Active campaigns per instance"},
		{"50 running", "PRQ-CAMPAIGN-COUNT", chnAll(acctCampaigns(50, "DAILY", "EXECUTING", email), acctCampaigns(5, "ONCE", "COMPLETED", email)), false, "", "", ""},
		{"event campaign", "PRQ-EVENT-PREAUTH", acctCampaigns(1, "EVENT", "SCHEDULED", email), true, "", "", "pre-authorization"},
		{"event journey", "PRQ-EVENT-PREAUTH", jrnJourney(`"a1":{"EMAIL":{}}`, `"StartCondition":{"EventStartCondition":{"EventFilter":{"FilterType":"ENDPOINT","Dimensions":{}}}}`), true, "", "", "(1)"},
		{"scheduled", "PRQ-EVENT-PREAUTH", acctCampaigns(1, "ONCE", "SCHEDULED", email), false, "", "", ""},
		{"51 event campaigns", "PRQ-EVENT-TRIGGERS", acctCampaigns(51, "EVENT", "SCHEDULED", email), true, "", "", "51 event triggers"},
		{"50 event campaigns", "PRQ-EVENT-TRIGGERS", acctCampaigns(50, "EVENT", "SCHEDULED", email), false, "", "", ""},
		{"51 metrics", "PRQ-CALCULATED-ATTRIBUTES", acctMetricSegments(51), true, "", "", "fixed quota of 50"},
		{"50 metrics", "PRQ-CALCULATED-ATTRIBUTES", acctMetricSegments(50), false, "", "", ""},
		{"101 segments", "PRQ-SEGMENT-DEFINITIONS", acctMetricSegments(101), true, "", "", "101 segment definitions"},
		{"100 segments", "PRQ-SEGMENT-DEFINITIONS", acctMetricSegments(100), false, "", "", ""},
	}
	jrnRunCases(t, cases)
}

// TestAccountQuotaAcrossApps checks the shared-domain wording when only
// the region's apps together exceed a per-domain quota.
func TestAccountQuotaAcrossApps(t *testing.T) {
	f := newFixture()
	acctCampaigns(30, "EVENT", "SCHEDULED", `{}`)(f)
	second := f.inv.Regions[0].Apps[0]
	second.ID, second.Name = "app2", "shop-eu"
	f.inv.Regions[0].Apps = append(f.inv.Regions[0].Apps, second)
	hits := fired(f.assess(t), "PRQ-EVENT-TRIGGERS")
	if len(hits) != 1 || hits[0].Workload != "us-east-1/account/target" {
		t.Fatalf("PRQ-EVENT-TRIGGERS: %+v", hits)
	}
	if want := "if they share one Customer Profiles domain"; !strings.Contains(hits[0].Message, want) {
		t.Errorf("message %q lacks %q", hits[0].Message, want)
	}
	if hits[0].Where == "" {
		t.Errorf("no Where: %+v", hits[0])
	}
}
