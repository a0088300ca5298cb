package assess

import (
	"fmt"
	"strconv"
	"strings"
)

// App settings rules: ApplicationSettingsResource (pinpoint-source.md 4.2)
// against Connect instance communication limits and campaign
// communicationTimeConfig (connect-target.md 4.1, 4.2, P4). Connect
// limits are a list of at most two {maxCountPerRecipient, frequency
// 1..30, unit DAY} entries; anything else Pinpoint caps has no home.

// setMaxFrequency is the longest Connect communication-limit window, days.
const setMaxFrequency = 30

// setNum reads a positive number of the settings object.
func setNum(m map[string]any, path string) (int, bool) {
	v, ok := Num(m, path)
	if !ok || v <= 0 {
		return 0, false
	}
	return int(v), true
}

// setClock parses a QuietTime "HH:MM" into minutes after midnight.
func setClock(s string) (int, bool) {
	h, m, ok := strings.Cut(s, ":")
	if !ok || len(h) != 2 || len(m) != 2 {
		return 0, false
	}
	hh, err1 := strconv.Atoi(h)
	mm, err2 := strconv.Atoi(m)
	if err1 != nil || err2 != nil || hh < 0 || hh > 23 || mm < 0 || mm > 59 {
		return 0, false
	}
	return hh*60 + mm, true
}

// setLimits is the tuple of limits two apps sharing a Connect instance
// would have to agree on.
func setLimits(m map[string]any) string {
	d, _ := setNum(m, "Limits.Daily")
	dc, _ := setNum(m, "JourneyLimits.DailyCap")
	tc, _ := setNum(m, "JourneyLimits.TimeframeCap.Cap")
	td, _ := setNum(m, "JourneyLimits.TimeframeCap.Days")
	var parts []string
	if d > 0 {
		parts = append(parts, fmt.Sprintf("Daily %d", d))
	}
	if dc > 0 {
		parts = append(parts, fmt.Sprintf("journey DailyCap %d", dc))
	}
	if tc > 0 && td > 0 {
		parts = append(parts, fmt.Sprintf("journey TimeframeCap %d per %d days", tc, td))
	}
	return strings.Join(parts, ", ")
}

// setBool reports a boolean member that is present and true.
func setBool(m map[string]any, key string) bool {
	v, ok := m[key].(bool)
	return ok && v
}

func init() {
	register(
		&Rule{
			ID: "SET-HOOK", Kind: KindSettings, Class: Redesign, Phase: "build",
			Title: "App-wide campaign hook (Lambda)",
			Doc: "CampaignHook makes Pinpoint call a Lambda function (FILTER: to reshape each campaign's segment; DELIVERY, " +
				"deprecated: to deliver) for every campaign of the app. Connect outbound campaigns call no per-run filter " +
				"function, so the hook's logic must move into the segment definition, a profile attribute the function " +
				"computes ahead of the run, or a journey step.",
			Check: func(s *Subject) []Hit {
				fn := Str(s.Object, "CampaignHook.LambdaFunctionName")
				url := Str(s.Object, "CampaignHook.WebUrl")
				if fn == "" && url == "" {
					return nil
				}
				target := "Lambda function " + fn
				field := "CampaignHook.LambdaFunctionName"
				if fn == "" {
					target, field = "web hook "+url, "CampaignHook.WebUrl"
				}
				mode := segOr(Str(s.Object, "CampaignHook.Mode"), "FILTER")
				msg := fmt.Sprintf("Every campaign of the app calls %s (%s mode) before sending; Connect campaigns call no such hook.", target, mode)
				if mode == "DELIVERY" {
					msg = fmt.Sprintf("Every campaign of the app delivers through %s (deprecated DELIVERY mode); Connect campaigns have no custom delivery.", target)
				}
				return []Hit{{Field: field, Message: msg,
					Action: "Read what the function does and choose its replacement: a segment condition, a profile attribute it writes ahead of each run, or a Lambda step in a Connect journey; or retire it."}}
			},
		},
		&Rule{
			ID: "SET-DAILY", Kind: KindSettings, Class: Trans,
			Title: "Daily cap per endpoint",
			Doc: "Limits.Daily caps the messages an endpoint receives per 24 hours. p2c writes it as the Connect instance " +
				"communication limit {maxCountPerRecipient: Daily, frequency: 1, unit: DAY}. Connect counts across every " +
				"campaign of the instance per profile, which is stricter than Pinpoint's per-campaign default.",
			Check: func(s *Subject) []Hit {
				d, ok := setNum(s.Object, "Limits.Daily")
				if !ok {
					return nil
				}
				return []Hit{{Field: "Limits.Daily",
					Message: fmt.Sprintf("The app caps each endpoint at %d message(s) a day; p2c sets the Connect instance communication limit to %d per 1 DAY, counted across all campaigns.", d, d)}}
			},
		},
		&Rule{
			ID: "SET-MAX-DURATION", Kind: KindSettings, Class: Redesign, Phase: "build",
			Title: "Maximum delivery duration",
			Doc: "Limits.MaximumDuration stops a campaign from delivering more than N seconds after its scheduled start. " +
				"Connect campaigns have a schedule end time but no per-run delivery window.",
			Check: func(s *Subject) []Hit {
				d, ok := setNum(s.Object, "Limits.MaximumDuration")
				if !ok {
					return nil
				}
				return []Hit{{Field: "Limits.MaximumDuration",
					Message: fmt.Sprintf("Campaigns of the app stop delivering %d seconds after their start; Connect campaigns have no per-run delivery window.", d),
					Action:  "Decide whether each migrated campaign's schedule end time (or an outbound request expiration time) is an acceptable substitute, or drop the limit."}}
			},
		},
		&Rule{
			ID: "SET-MPS", Kind: KindSettings, Class: Redesign, Phase: "build",
			Title: "Messages per second",
			Doc: "Limits.MessagesPerSecond throttles each campaign's sending rate. Connect campaigns have no rate setting: " +
				"throughput follows the channel capacity share and the sending quotas of the SMS origination identity and SES account.",
			Check: func(s *Subject) []Hit {
				n, ok := setNum(s.Object, "Limits.MessagesPerSecond")
				if !ok {
					return nil
				}
				return []Hit{{Field: "Limits.MessagesPerSecond",
					Message: fmt.Sprintf("Campaigns of the app send at most %d messages per second; Connect campaigns cannot set a rate.", n),
					Action:  "Check that the SMS numbers' throughput and the SES sending rate suit the receiving systems (landing pages, call centre), or slow sending with the campaigns' capacity share."}}
			},
		},
		&Rule{
			ID: "SET-TOTAL", Kind: KindSettings, Class: Redesign, Phase: "build",
			Title: "Total cap per endpoint per campaign",
			Doc: "Limits.Total caps the messages one campaign sends an endpoint over all its runs. Connect limits count within " +
				"a window of at most 30 days, not over a campaign's life.",
			Check: func(s *Subject) []Hit {
				n, ok := setNum(s.Object, "Limits.Total")
				if !ok {
					return nil
				}
				return []Hit{{Field: "Limits.Total",
					Message: fmt.Sprintf("Each campaign of the app sends an endpoint at most %d message(s) over all its runs; Connect has no lifetime cap.", n),
					Action:  "Choose a substitute: a 30-day communication limit, a profile attribute that counts sends and excludes capped profiles from the segment, or accept no lifetime cap."}}
			},
		},
		&Rule{
			ID: "SET-SESSION", Kind: KindSettings, Class: Redesign, Phase: "build",
			Title: "Cap per session",
			Doc:   "Limits.Session caps messages per app session (in-app and push use). Connect has no notion of an app session.",
			Check: func(s *Subject) []Hit {
				n, ok := setNum(s.Object, "Limits.Session")
				if !ok {
					return nil
				}
				return []Hit{{Field: "Limits.Session",
					Message: fmt.Sprintf("The app caps each endpoint at %d message(s) per session; Connect has no per-session cap.", n),
					Action:  "Accept dropping the per-session cap, or enforce it in the app that displays the messages."}}
			},
		},
		&Rule{
			ID: "SET-QUIET", Kind: KindSettings, Class: Trans, Phase: "build",
			Title: "App-wide quiet time",
			Doc: "QuietTime (Start/End, HH:MM in the endpoint's time zone) becomes open hours outside the quiet window on every " +
				"day, in the communicationTimeConfig of each migrated campaign that sets no quiet time of its own. Pinpoint used " +
				"the endpoint's Demographic.Timezone; Connect detects the zone from postal code or area code with a default " +
				"zone. A malformed time is a redesign.",
			Check: func(s *Subject) []Hit {
				start, end := Str(s.Object, "QuietTime.Start"), Str(s.Object, "QuietTime.End")
				if start == "" && end == "" {
					return nil
				}
				a, ok1 := setClock(start)
				b, ok2 := setClock(end)
				if !ok1 || !ok2 {
					return []Hit{{Field: "QuietTime", Class: Redesign,
						Message: fmt.Sprintf("The app's quiet time %q to %q is not a pair of HH:MM times.", start, end),
						Action:  "Give the intended quiet window as HH:MM start and end so p2c can write the campaigns' open hours."}}
				}
				open := fmt.Sprintf("%s to %s", end, start)
				if a < b { // quiet within one day: open before and after it
					var ws []string
					if a > 0 {
						ws = append(ws, "00:00 to "+start)
					}
					if b < 23*60+59 {
						ws = append(ws, end+" to 23:59")
					}
					open = strings.Join(ws, " and ")
				}
				if a == b || open == "" {
					return []Hit{{Field: "QuietTime", Class: Redesign,
						Message: fmt.Sprintf("The app's quiet time %s to %s leaves no usable open hours.", start, end),
						Action:  "Give the intended quiet window so p2c can write the campaigns' open hours."}}
				}
				return []Hit{{Field: "QuietTime",
					Message: fmt.Sprintf("The app is quiet from %s to %s local time; p2c writes open hours %s every day into each migrated campaign, with the time zone detected from postal or area code.", start, end, open)}}
			},
		},
		&Rule{
			ID: "SET-JOURNEY-DAILY", Kind: KindSettings, Class: Trans,
			Title: "Daily cap across journeys",
			Doc: "JourneyLimits.DailyCap caps what an endpoint receives from all journeys per day. p2c writes it as a Connect " +
				"instance communication limit of 1 DAY; when Limits.Daily is also set, the two share that one entry and the lower wins.",
			Check: func(s *Subject) []Hit {
				n, ok := setNum(s.Object, "JourneyLimits.DailyCap")
				if !ok {
					return nil
				}
				msg := fmt.Sprintf("Journeys of the app send an endpoint at most %d message(s) a day; p2c sets a Connect instance communication limit of %d per 1 DAY.", n, n)
				if d, ok := setNum(s.Object, "Limits.Daily"); ok && d != n {
					msg = fmt.Sprintf("Journeys of the app send an endpoint at most %d message(s) a day and campaigns %d; Connect has one daily instance limit, so p2c sets the lower, %d per 1 DAY.", n, d, min(n, d))
				}
				return []Hit{{Field: "JourneyLimits.DailyCap", Message: msg}}
			},
		},
		&Rule{
			ID: "SET-JOURNEY-TIMEFRAME", Kind: KindSettings, Class: Trans, Phase: "build",
			Title: "Cap across journeys over several days",
			Doc: "JourneyLimits.TimeframeCap {Cap, Days} becomes a Connect instance communication limit {maxCountPerRecipient: " +
				"Cap, frequency: Days, unit: DAY}. Connect windows reach 30 days; a longer window is a redesign.",
			Check: func(s *Subject) []Hit {
				c, ok1 := setNum(s.Object, "JourneyLimits.TimeframeCap.Cap")
				d, ok2 := setNum(s.Object, "JourneyLimits.TimeframeCap.Days")
				if !ok1 || !ok2 {
					return nil
				}
				if d > setMaxFrequency {
					return []Hit{{Field: "JourneyLimits.TimeframeCap.Days", Class: Redesign,
						Message: fmt.Sprintf("Journeys of the app send an endpoint at most %d message(s) per %d days; Connect limit windows end at %d days.", c, d, setMaxFrequency),
						Action:  fmt.Sprintf("Choose a cap over %d days or less to replace it.", setMaxFrequency)}}
				}
				return []Hit{{Field: "JourneyLimits.TimeframeCap",
					Message: fmt.Sprintf("Journeys of the app send an endpoint at most %d message(s) per %d days; p2c sets a Connect instance communication limit of %d per %d DAY.", c, d, c, d)}}
			},
		},
		&Rule{
			ID: "SET-JOURNEY-TOTAL", Kind: KindSettings, Class: Redesign, Phase: "build",
			Title: "Total cap per journey",
			Doc: "JourneyLimits.TotalCap caps the messages one journey sends an endpoint over its life. Connect journeys limit " +
				"re-entries (entryLimitsConfig) and messages within at most 30 days, not messages over a journey's life.",
			Check: func(s *Subject) []Hit {
				n, ok := setNum(s.Object, "JourneyLimits.TotalCap")
				if !ok {
					return nil
				}
				return []Hit{{Field: "JourneyLimits.TotalCap",
					Message: fmt.Sprintf("Each journey of the app sends an endpoint at most %d message(s) in all; Connect has no lifetime message cap per journey.", n),
					Action:  "Choose a substitute: limit journey re-entries (entryLimitsConfig), a 30-day communication limit, or accept no lifetime cap."}}
			},
		},
		&Rule{
			ID: "SET-SHARED-INSTANCE", Kind: KindSettings, Class: Redesign, Phase: "prerequisites",
			Title: "Apps with different limits on one instance",
			Doc: "Connect communication limits belong to the instance. When apps of one region with different sending limits " +
				"migrate to the same Connect instance, only one set of limits can apply; campaign-level overrides can restore the others.",
			Check: func(s *Subject) []Hit {
				mine := setLimits(s.Object)
				if s.Region == nil || s.App == nil {
					return nil
				}
				var others []string
				for _, a := range s.Region.Apps {
					if a.ID == s.App.ID || len(a.Settings) == 0 {
						continue
					}
					if theirs := setLimits(decode(a.Settings)); theirs != mine {
						others = append(others, segOr(a.Name, a.ID))
					}
				}
				if len(others) == 0 || mine == "" {
					return nil
				}
				return []Hit{{Field: "Limits", Detail: "shared",
					Message: fmt.Sprintf("The app's limits (%s) differ from those of %s in the same region, and a Connect instance has one set of communication limits.", mine, strings.Join(others, ", ")),
					Action:  "Decide whether these apps share one Connect instance (then choose its limits; p2c sets per-campaign overrides for the others) or get an instance each."}}
			},
		},
		&Rule{
			ID: "SET-CLOUDWATCH", Kind: KindSettings, Class: Manual, Phase: "cutover",
			Title: "CloudWatch metrics and alarms",
			Doc: "CloudWatchMetricsEnabled made Pinpoint publish app metrics to CloudWatch (AWS/Pinpoint). Those metrics stop " +
				"with the engagement features, so alarms and dashboards on them go silent and must be rebuilt on Connect, End " +
				"User Messaging and SES metrics.",
			Check: func(s *Subject) []Hit {
				if !setBool(s.Object, "CloudWatchMetricsEnabled") {
					return nil
				}
				return []Hit{{Field: "CloudWatchMetricsEnabled",
					Message: "The app publishes its metrics to CloudWatch; they stop with Pinpoint, and alarms on them go silent.",
					Action:  "Find the alarms and dashboards on AWS/Pinpoint metrics of this app and rebuild them on Connect campaign, End User Messaging and SES metrics before cut-over.",
					Where:   "CloudWatch console: Alarms and Dashboards"}}
			},
		},
		&Rule{
			ID: "SET-EVENT-TAGGING", Kind: KindSettings, Class: Trans,
			Title: "Event tagging",
			Doc: "EventTaggingEnabled (an undocumented member of WriteApplicationSettingsRequest) has no counterpart in " +
				"Connect; p2c does not carry it and says so.",
			Check: func(s *Subject) []Hit {
				if !setBool(s.Object, "EventTaggingEnabled") {
					return nil
				}
				return []Hit{{Field: "EventTaggingEnabled",
					Message: "The app has event tagging on, which has no Connect counterpart and is not carried."}}
			},
		},
	)
}
