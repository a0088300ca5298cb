package blueprint

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/p2c/p2c/internal/inventory"
)

// TestTriggerEdges: what an event trigger cannot hold is cut and said,
// SYSTEM filters are redesigns, and a filter without conditions asks
// which event starts the campaign.
func TestTriggerEdges(t *testing.T) {
	inv := cmpFixture()
	app := &inv.Regions[0].Apps[0]
	values := `["v0","v1","v2","v3","v4","v5","v6","v7","v8","v9","v10","v11"]`
	app.Campaigns = append(app.Campaigns,
		cmpEventCampaign("wide", `{"FilterType":"ENDPOINT","Dimensions":{"EventType":{"DimensionType":"EXCLUSIVE","Values":["noise"]},
			"Attributes":{"plan":{"AttributeType":"INCLUSIVE","Values":`+values+`},"odd key!":{"AttributeType":"CONTAINS","Values":["x"]}}}}`),
		cmpEventCampaign("sys", `{"FilterType":"SYSTEM","Dimensions":{"EventType":{"DimensionType":"INCLUSIVE","Values":["_session.start"]}}}`),
		cmpEventCampaign("empty", `{"FilterType":"ENDPOINT"}`),
	)
	p, _ := cmpBuild(t, inv, nil)
	cmpValidate(t, p, false)

	wide := cmpStep(t, p, "event-trigger/us-east-1/cmptest1/campaign/wide")
	conds, _ := json.Marshal(cmpSpecOf(t, wide)["EventTriggerConditions"])
	for _, want := range []string{`"ComparisonOperator":"EXCLUSIVE","FieldName":"EventType"`, `"v9"]`, `"Source":"{{{decision:us-east-1.event-object-type}}.Attributes.odd key!}"`} {
		if !strings.Contains(string(conds), want) {
			t.Errorf("conditions %s lack %s", conds, want)
		}
	}
	if strings.Contains(string(conds), `"v10"`) {
		t.Errorf("more than 10 values kept: %s", conds)
	}
	if all := strings.Join(wide.Transformations, "\n"); !strings.Contains(all, "beyond the first 10") || !strings.Contains(all, "EXCLUSIVE") {
		t.Errorf("transformations do not say what was cut:\n%s", all)
	}
	// The default expiry is Pinpoint's five minutes.
	if l := cmpSpecOf(t, wide)["EventTriggerLimits"].(map[string]any); l["EventExpiration"] != float64(300000) {
		t.Errorf("expiration = %v", l)
	}

	if sys := cmpStep(t, p, "event-trigger/us-east-1/cmptest1/campaign/sys"); !sys.Redesign {
		t.Errorf("SYSTEM-event trigger not a redesign")
	}
	empty := cmpStep(t, p, "event-trigger/us-east-1/cmptest1/campaign/empty")
	if !strings.Contains(strings.Join(empty.WaitsOn, " "), "us-east-1.trigger-event.campaign.empty") {
		t.Errorf("empty filter waits on %v", empty.WaitsOn)
	}
	if n := trgName("campaign", strings.Repeat("very long name ", 10), "0123456789abcdef0123"); len(n) > 64 || !trgNameBad.MatchString(n+"!") || strings.ContainsAny(n, " !") {
		t.Errorf("trigger name %q", n)
	}
}

func cmpEventCampaign(id, filter string) inventory.Campaign {
	return inventory.Campaign{ID: id, Name: id, Version: 1, Object: cmpRaw(`{"Id":"` + id + `","Name":"` + id + `","Version":1,
		"Schedule":{"Frequency":"EVENT","StartTime":"2026-10-01T00:00:00Z","EndTime":"2027-10-01T00:00:00Z","EventFilter":` + filter + `},
		"State":{"CampaignStatus":"SCHEDULED"},"TemplateConfiguration":{"EmailTemplate":{"Name":"receipt"}}}`)}
}
