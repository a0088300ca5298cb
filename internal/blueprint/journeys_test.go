package blueprint

import (
	"strings"
	"testing"
)

func TestJourneyProposal(t *testing.T) {
	p, _ := cmpBuild(t, cmpFixture(), nil)
	s := cmpStep(t, p, "journey-proposal/us-east-1/cmptest1/j1")
	spec := cmpSpecOf(t, s)
	if !s.Redesign || spec["type"] != "JOURNEY" || spec["connectCampaignFlowArn"] != "{{decision:us-east-1.journey-flow.j1}}" {
		t.Errorf("redesign %v type %v flow %v", s.Redesign, spec["type"], spec["connectCampaignFlowArn"])
	}
	prop := strings.Join(s.Proposal, "\n")
	for _, want := range []string{"1. a1 [EMAIL]", "2. a2 [Wait]: wait for P1D → a3", "3. a3 [ConditionalSplit]: if event type in [_email.open] on the message of activity a1 (evaluated after waiting for PT1H) → a4, else → a5",
		"JRN-SPLIT-EVENT", "hold out 10%"} {
		if !strings.Contains(prop, want) {
			t.Errorf("proposal lacks %q:\n%s", want, prop)
		}
	}
	sched := spec["schedule"].(map[string]any)
	if sched["startTime"] != "2026-11-01T12:00:00Z" || sched["endTime"] != "2027-11-01T12:00:00Z" || sched["refreshFrequency"] != "PT1H" {
		t.Errorf("schedule = %v", sched)
	}
	tc := spec["communicationTimeConfig"].(map[string]any)
	if tz := tc["localTimeZoneConfig"].(map[string]any)["defaultTimeZone"]; tz != "Etc/GMT-5" {
		t.Errorf("zone = %v", tz)
	}
	if el := spec["entryLimitsConfig"].(map[string]any); el["maxEntryCount"] != float64(2) || el["minEntryInterval"] != "P7D" {
		t.Errorf("entry limits = %v", el)
	}
	// The one-message journey is a plain campaign on its event trigger.
	one := cmpStep(t, p, "campaign/us-east-1/cmptest1/journey/j2")
	os := cmpSpecOf(t, one)
	if os["type"] != "MANAGED" || os["source"].(map[string]any)["eventTrigger"] == nil {
		t.Errorf("one-message journey: %v", os)
	}
	if !strings.Contains(strings.Join(one.DependsOn, " "), "event-trigger/us-east-1/cmptest1/journey/j2") {
		t.Errorf("depends on %v", one.DependsOn)
	}
}
