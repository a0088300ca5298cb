package awsmodel

import (
	"strings"
	"testing"
)

func TestCheckUnions(t *testing.T) {
	m := MustLoad("connectcampaignsv2")
	for _, c := range []struct {
		name string
		in   map[string]any
		want string // "" for no problem
	}{
		{"one member", map[string]any{"name": "x", "source": map[string]any{"customerProfilesSegmentArn": "arn"}}, ""},
		{"two members", map[string]any{"source": map[string]any{"customerProfilesSegmentArn": "arn", "eventTrigger": map[string]any{}}},
			"source: must set exactly one of customerProfilesSegmentArn, eventTrigger (got 2: customerProfilesSegmentArn, eventTrigger)"},
		{"no member", map[string]any{"source": map[string]any{}}, "source: must set exactly one of"},
		{"bad map key", map[string]any{"communicationTimeConfig": map[string]any{"telephony": map[string]any{"openHours": map[string]any{
			"dailyHours": map[string]any{"FUNDAY": []any{}}}}}}, "communicationTimeConfig.telephony.openHours.dailyHours: key"},
		{"good map key", map[string]any{"communicationTimeConfig": map[string]any{"telephony": map[string]any{"openHours": map[string]any{
			"dailyHours": map[string]any{"MONDAY": []any{}}}}}}, ""},
	} {
		p := m.CheckUnions("CreateCampaignRequest", c.in)
		switch {
		case c.want == "" && p != nil:
			t.Errorf("%s: unexpected problem %s", c.name, p)
		case c.want != "" && (p == nil || !strings.HasPrefix(p.String(), c.want)):
			t.Errorf("%s: problem %v, want it to start with %q", c.name, p, c.want)
		}
	}
}
