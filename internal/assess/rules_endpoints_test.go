package assess

import (
	"testing"

	"github.com/p2c/p2c/internal/inventory"
)

const eptWID = "us-east-1/app1/endpoint-population/endpoints"

// eptWithStats sets the app's endpoint statistics.
func eptWithStats(st inventory.EndpointStats) func(f *fixture) {
	return func(f *fixture) { f.app().EndpointStats = &st }
}

func TestEndpointRules(t *testing.T) { segRunCases(t, endpointCases()) }

func endpointCases() []segCase {
	// clean is an app whose endpoints raise nothing.
	clean := eptWithStats(inventory.EndpointStats{Total: 2, WithUser: 2, Users: 2, ByChannel: map[string]int64{"EMAIL": 2},
		EndpointsPerUser: []inventory.HistogramBucket{{Endpoints: 1, Users: 2}},
		Attributes:       []inventory.AttributeStats{{Key: "tier", Scope: "Attributes", Type: "string", Count: 2, MaxValues: 1}}})
	return []segCase{
		{name: "no stats", rule: "EPT-NO-STATS", setup: func(f *fixture) {}, want: 1, workload: eptWID, class: Manual, contains: "no endpoint statistics"},
		{name: "failed export", rule: "EPT-NO-STATS", setup: func(f *fixture) {
			f.app().EndpointExport = &inventory.EndpointExport{S3URLPrefix: "s3://b/p", Status: "FAILED"}
		}, want: 1, workload: eptWID, class: Manual, contains: "ended FAILED"},
		{name: "stats", rule: "EPT-NO-STATS", setup: clean, workload: eptWID},

		{name: "opted out", rule: "EPT-OPTOUT", setup: eptWithStats(inventory.EndpointStats{Total: 9, OptedOut: map[string]int64{"EMAIL": 2, "SMS": 1}}),
			want: 1, workload: eptWID, class: Trans, contains: "3 endpoint(s) are opted out (EMAIL 2, SMS 1)"},
		{name: "none", rule: "EPT-OPTOUT", setup: clean, workload: eptWID},

		{name: "several", rule: "EPT-MULTI-ENDPOINT", setup: eptWithStats(inventory.EndpointStats{Total: 7, WithUser: 7, Users: 3,
			EndpointsPerUser: []inventory.HistogramBucket{{Endpoints: 1, Users: 1}, {Endpoints: 2, Users: 1}, {Endpoints: 4, Users: 1}}}),
			want: 1, workload: eptWID, class: Trans, contains: "2 user(s) have several endpoints (up to 4)"},
		{name: "one each", rule: "EPT-MULTI-ENDPOINT", setup: clean, workload: eptWID},

		{name: "anonymous", rule: "EPT-NO-USER", setup: eptWithStats(inventory.EndpointStats{Total: 10, WithUser: 4}),
			want: 1, workload: eptWID, class: Trans, contains: "6 of 10"},
		{name: "all users", rule: "EPT-NO-USER", setup: clean, workload: eptWID},

		{name: "invalid", rule: "EPT-INVALID-ADDRESS", setup: eptWithStats(inventory.EndpointStats{Total: 10, InvalidAddresses: map[string]int64{"SMS": 4}}),
			want: 1, workload: eptWID, class: Manual, contains: "4 endpoint address(es)"},
		{name: "valid", rule: "EPT-INVALID-ADDRESS", setup: clean, workload: eptWID},

		{name: "lists", rule: "EPT-ATTR-ARRAY", setup: eptWithStats(inventory.EndpointStats{Total: 3, Attributes: []inventory.AttributeStats{
			{Key: "Interests", Scope: "Attributes", MaxValues: 2}, {Key: "tier", Scope: "UserAttributes", MaxValues: 1}}}),
			want: 1, workload: eptWID, class: Trans, contains: "Attributes.Interests"},
		{name: "single values", rule: "EPT-ATTR-ARRAY", setup: clean, workload: eptWID},

		{name: "long lists", rule: "EPT-ATTR-LENGTH", setup: eptWithStats(inventory.EndpointStats{Total: 3, Attributes: []inventory.AttributeStats{
			{Key: "Interests", Scope: "Attributes", MaxValues: 3}, {Key: "pair", Scope: "Attributes", MaxValues: 2}}}),
			want: 1, workload: eptWID, class: Redesign, contains: "Attributes.Interests (3 values)"},
		{name: "two values fit", rule: "EPT-ATTR-LENGTH", setup: eptWithStats(inventory.EndpointStats{Total: 3, Attributes: []inventory.AttributeStats{
			{Key: "pair", Scope: "Attributes", MaxValues: 2}}}), workload: eptWID},

		{name: "dropped", rule: "EPT-ATTR-COUNT", setup: eptWithStats(inventory.EndpointStats{Total: 3, AttributesDropped: 12}),
			want: 1, workload: eptWID, class: Redesign, contains: "12 occurrences"},
		{name: "past 250", rule: "EPT-ATTR-COUNT", setup: func(f *fixture) {
			st := inventory.EndpointStats{Total: 3}
			for i := range 251 {
				st.Attributes = append(st.Attributes, inventory.AttributeStats{Key: "k" + string(rune('a'+i%26)) + string(rune('a'+i/26)), Scope: "Attributes", MaxValues: 1})
			}
			// Demographic fields are standard profile fields, not counted.
			st.Attributes = append(st.Attributes, inventory.AttributeStats{Key: "Platform", Scope: "Demographic", MaxValues: 1})
			f.app().EndpointStats = &st
		}, want: 1, workload: eptWID, class: Redesign, contains: "251 distinct"},
		{name: "few", rule: "EPT-ATTR-COUNT", setup: clean, workload: eptWID},

		{name: "collision", rule: "EPT-ATTR-COLLISION", setup: eptWithStats(inventory.EndpointStats{Total: 3, Attributes: []inventory.AttributeStats{
			{Key: "plan", Scope: "Attributes"}, {Key: "plan", Scope: "UserAttributes"}, {Key: "tier", Scope: "Attributes"}}}),
			want: 1, workload: eptWID, class: Redesign, contains: "plan (Attributes, UserAttributes)"},
		{name: "distinct", rule: "EPT-ATTR-COLLISION", setup: clean, workload: eptWID},

		{name: "push", rule: "EPT-PUSH-TOKENS", setup: eptWithStats(inventory.EndpointStats{Total: 5, ByChannel: map[string]int64{"APNS": 2, "GCM": 1, "EMAIL": 2}}),
			want: 1, workload: eptWID, class: Trans, contains: "3 endpoint(s) hold push tokens (APNS 2, GCM 1)"},
		{name: "no push", rule: "EPT-PUSH-TOKENS", setup: clean, workload: eptWID},

		{name: "inactive", rule: "EPT-INACTIVE", setup: eptWithStats(inventory.EndpointStats{Total: 5, Inactive: map[string]int64{"EMAIL": 2}}),
			want: 1, workload: eptWID, class: Trans, contains: "2 endpoint(s) are inactive"},
		{name: "active", rule: "EPT-INACTIVE", setup: clean, workload: eptWID},

		{name: "many addresses", rule: "EPT-CONTACT-SLOTS", setup: eptWithStats(inventory.EndpointStats{Total: 12, ByChannel: map[string]int64{"EMAIL": 6, "SMS": 6},
			EndpointsPerUser: []inventory.HistogramBucket{{Endpoints: 2, Users: 1}, {Endpoints: 4, Users: 1}, {Endpoints: 6, Users: 1}}}),
			want: 1, workload: eptWID, class: Redesign, contains: "2 user(s) have more than 3 endpoints"},
		{name: "push only", rule: "EPT-CONTACT-SLOTS", setup: eptWithStats(inventory.EndpointStats{Total: 6, ByChannel: map[string]int64{"APNS": 6},
			EndpointsPerUser: []inventory.HistogramBucket{{Endpoints: 6, Users: 1}}}), workload: eptWID},
		{name: "few", rule: "EPT-CONTACT-SLOTS", setup: clean, workload: eptWID},
	}
}
