package assess

import "testing"

const setWID = "us-east-1/app1/app-settings/settings"

func setWith(obj string) func(f *fixture) {
	return func(f *fixture) { f.app().Settings = raw(obj) }
}

func TestSettingsRules(t *testing.T) { segRunCases(t, settingsCases()) }

func settingsCases() []segCase {
	bare := setWith(`{"ApplicationId":"app1","Limits":{"Daily":0},"QuietTime":{}}`)
	return []segCase{
		{name: "filter", rule: "SET-HOOK", setup: setWith(`{"ApplicationId":"app1","CampaignHook":{"LambdaFunctionName":"segment-filter","Mode":"FILTER"}}`),
			want: 1, workload: setWID, class: Redesign, contains: "segment-filter (FILTER mode)"},
		{name: "delivery", rule: "SET-HOOK", setup: setWith(`{"ApplicationId":"app1","CampaignHook":{"WebUrl":"https://hooks.example.com/x","Mode":"DELIVERY"}}`),
			want: 1, workload: setWID, class: Redesign, contains: "DELIVERY"},
		{name: "none", rule: "SET-HOOK", setup: bare, workload: setWID},

		{name: "daily", rule: "SET-DAILY", setup: setWith(`{"Limits":{"Daily":5}}`), want: 1, workload: setWID, class: Trans, contains: "5 per 1 DAY"},
		{name: "zero", rule: "SET-DAILY", setup: bare, workload: setWID},

		{name: "duration", rule: "SET-MAX-DURATION", setup: setWith(`{"Limits":{"MaximumDuration":3600}}`), want: 1, workload: setWID, class: Redesign, contains: "3600 seconds"},
		{name: "none", rule: "SET-MAX-DURATION", setup: bare, workload: setWID},

		{name: "mps", rule: "SET-MPS", setup: setWith(`{"Limits":{"MessagesPerSecond":50}}`), want: 1, workload: setWID, class: Redesign, contains: "50 messages per second"},
		{name: "none", rule: "SET-MPS", setup: bare, workload: setWID},

		{name: "total", rule: "SET-TOTAL", setup: setWith(`{"Limits":{"Total":10}}`), want: 1, workload: setWID, class: Redesign, contains: "at most 10"},
		{name: "none", rule: "SET-TOTAL", setup: bare, workload: setWID},

		{name: "session", rule: "SET-SESSION", setup: setWith(`{"Limits":{"Session":2}}`), want: 1, workload: setWID, class: Redesign, contains: "per session"},
		{name: "none", rule: "SET-SESSION", setup: bare, workload: setWID},

		{name: "overnight", rule: "SET-QUIET", setup: setWith(`{"QuietTime":{"Start":"22:00","End":"07:30"}}`), want: 1, workload: setWID, class: Trans, contains: "open hours 07:30 to 22:00"},
		{name: "midday", rule: "SET-QUIET", setup: setWith(`{"QuietTime":{"Start":"12:00","End":"13:00"}}`), want: 1, workload: setWID, class: Trans, contains: "00:00 to 12:00 and 13:00 to 23:59"},
		{name: "from midnight", rule: "SET-QUIET", setup: setWith(`{"QuietTime":{"Start":"00:00","End":"06:00"}}`), want: 1, workload: setWID, class: Trans, contains: "open hours 06:00 to 23:59 every day"},
		{name: "empty window", rule: "SET-QUIET", setup: setWith(`{"QuietTime":{"Start":"08:00","End":"08:00"}}`), want: 1, workload: setWID, class: Redesign},
		{name: "malformed", rule: "SET-QUIET", setup: setWith(`{"QuietTime":{"Start":"10pm","End":"07:00"}}`), want: 1, workload: setWID, class: Redesign},
		{name: "none", rule: "SET-QUIET", setup: bare, workload: setWID},

		{name: "daily cap", rule: "SET-JOURNEY-DAILY", setup: setWith(`{"JourneyLimits":{"DailyCap":3}}`), want: 1, workload: setWID, class: Trans, contains: "3 per 1 DAY"},
		{name: "with campaign daily", rule: "SET-JOURNEY-DAILY", setup: setWith(`{"Limits":{"Daily":2},"JourneyLimits":{"DailyCap":3}}`), want: 1, workload: setWID, class: Trans, contains: "the lower, 2 per 1 DAY"},
		{name: "off", rule: "SET-JOURNEY-DAILY", setup: setWith(`{"JourneyLimits":{"DailyCap":0}}`), workload: setWID},

		{name: "timeframe", rule: "SET-JOURNEY-TIMEFRAME", setup: setWith(`{"JourneyLimits":{"TimeframeCap":{"Cap":4,"Days":7}}}`), want: 1, workload: setWID, class: Trans, contains: "4 per 7 DAY"},
		{name: "too long", rule: "SET-JOURNEY-TIMEFRAME", setup: setWith(`{"JourneyLimits":{"TimeframeCap":{"Cap":4,"Days":45}}}`), want: 1, workload: setWID, class: Redesign},
		{name: "none", rule: "SET-JOURNEY-TIMEFRAME", setup: setWith(`{"JourneyLimits":{"TimeframeCap":{"Cap":0,"Days":7}}}`), workload: setWID},

		{name: "total cap", rule: "SET-JOURNEY-TOTAL", setup: setWith(`{"JourneyLimits":{"TotalCap":6}}`), want: 1, workload: setWID, class: Redesign, contains: "at most 6"},
		{name: "off", rule: "SET-JOURNEY-TOTAL", setup: bare, workload: setWID},

		{name: "different apps", rule: "SET-SHARED-INSTANCE", setup: segAll(setWith(`{"Limits":{"Daily":5}}`), func(f *fixture) {
			r := &f.inv.Regions[0]
			r.Apps = append(r.Apps, r.Apps[0])
			r.Apps[1].ID, r.Apps[1].Name, r.Apps[1].Settings = "app2", "loyalty", raw(`{"Limits":{"Daily":2}}`)
		}), want: 1, workload: setWID, class: Redesign, contains: "loyalty"},
		{name: "same limits", rule: "SET-SHARED-INSTANCE", setup: segAll(setWith(`{"Limits":{"Daily":5}}`), func(f *fixture) {
			r := &f.inv.Regions[0]
			r.Apps = append(r.Apps, r.Apps[0])
			r.Apps[1].ID, r.Apps[1].Name = "app2", "loyalty"
		}), workload: setWID},
		{name: "alone", rule: "SET-SHARED-INSTANCE", setup: setWith(`{"Limits":{"Daily":5}}`), workload: setWID},

		{name: "enabled", rule: "SET-CLOUDWATCH", setup: setWith(`{"CloudWatchMetricsEnabled":true}`), want: 1, workload: setWID, class: Manual},
		{name: "disabled", rule: "SET-CLOUDWATCH", setup: setWith(`{"CloudWatchMetricsEnabled":false}`), workload: setWID},

		{name: "enabled", rule: "SET-EVENT-TAGGING", setup: setWith(`{"EventTaggingEnabled":true}`), want: 1, workload: setWID, class: Trans},
		{name: "absent", rule: "SET-EVENT-TAGGING", setup: bare, workload: setWID},
	}
}
