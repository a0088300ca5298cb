package assess

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// Journey rules. A Pinpoint journey becomes a Connect outbound campaign of
// type JOURNEY whose behaviour is a flow of type CAMPAIGN; the flow's block
// JSON is not in any API model (connect-target.md 4.3), so p2c can only
// produce a step-by-step skeleton a person rebuilds on the journey canvas.
// Findings about one activity carry its id in Node so the report can mark
// the diagram.

// jrnActivityTypes lists every activity member of the Activity shape.
var jrnActivityTypes = []string{"EMAIL", "SMS", "PUSH", "CUSTOM", "ContactCenter", "Wait", "Holdout", "ConditionalSplit", "MultiCondition", "RandomSplit"}

// jrnActivity is one activity of a journey, with its type member.
type jrnActivity struct {
	ID   string
	Type string         // EMAIL, SMS, ..., "" when none is set
	Body map[string]any // the type member's object
}

// jrnActivities returns a journey's activities sorted by id.
func jrnActivities(obj map[string]any) []jrnActivity {
	acts := Obj(obj, "Activities")
	ids := make([]string, 0, len(acts))
	for id := range acts {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	out := make([]jrnActivity, 0, len(ids))
	for _, id := range ids {
		a, _ := acts[id].(map[string]any)
		act := jrnActivity{ID: id}
		for _, t := range jrnActivityTypes {
			if b, ok := a[t].(map[string]any); ok {
				act.Type, act.Body = t, b
				break
			}
		}
		out = append(out, act)
	}
	return out
}

// jrnField is the source path of an activity member.
func jrnField(id, rest string) string {
	if rest == "" {
		return "Activities." + id
	}
	return "Activities." + id + "." + rest
}

// jrnEach runs fn over the activities of one type and collects the hits.
func jrnEach(s *Subject, typ string, fn func(a jrnActivity) []Hit) []Hit {
	var hits []Hit
	for _, a := range jrnActivities(s.Object) {
		if a.Type == typ {
			hits = append(hits, fn(a)...)
		}
	}
	return hits
}

// jrnSingleMessage reports whether the journey is one email or SMS
// activity and nothing else: a plain campaign can carry it.
func jrnSingleMessage(obj map[string]any) (jrnActivity, bool) {
	acts := jrnActivities(obj)
	if len(acts) != 1 || (acts[0].Type != "EMAIL" && acts[0].Type != "SMS") {
		return jrnActivity{}, false
	}
	return acts[0], true
}

// jrnCondition is one SimpleCondition of a split, with where it sits.
type jrnCondition struct {
	Activity string
	Field    string
	Cond     map[string]any
}

// jrnConditions lists the simple conditions of every split.
func jrnConditions(obj map[string]any) []jrnCondition {
	var out []jrnCondition
	for _, a := range jrnActivities(obj) {
		switch a.Type {
		case "ConditionalSplit":
			for i, c := range List(a.Body, "Condition.Conditions") {
				if m, ok := c.(map[string]any); ok {
					out = append(out, jrnCondition{a.ID, jrnField(a.ID, fmt.Sprintf("ConditionalSplit.Condition.Conditions[%d]", i)), m})
				}
			}
		case "MultiCondition":
			for i, b := range List(a.Body, "Branches") {
				bm, _ := b.(map[string]any)
				if c := Obj(bm, "Condition"); c != nil {
					out = append(out, jrnCondition{a.ID, jrnField(a.ID, fmt.Sprintf("MultiCondition.Branches[%d].Condition", i)), c})
				}
			}
		}
	}
	return out
}

// jrnNum formats a JSON number without a trailing .0.
func jrnNum(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// jrnTemplate names the template of a message activity.
func jrnTemplate(body map[string]any) string {
	name := Str(body, "TemplateName")
	if name == "" {
		return "no template"
	}
	if v := Str(body, "TemplateVersion"); v != "" {
		return fmt.Sprintf("template %q version %s", name, v)
	}
	return fmt.Sprintf("template %q", name)
}

// jrnIANA matches an IANA zone name Connect's defaultTimeZone accepts.
var jrnIANA = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_\-]*/[A-Za-z0-9_\-/]+$`)

// jrnOffsetZone maps a Pinpoint UTC offset ("UTC+05") to a fixed-offset
// IANA zone Connect accepts. defaultTimeZone's pattern has no "+", so
// negative offsets (Etc/GMT+N) and fractional ones have no spelling.
func jrnOffsetZone(tz string) (string, bool) {
	if tz == "UTC" {
		return "Etc/UTC", true
	}
	if jrnIANA.MatchString(tz) {
		// Already a zone name (saved sources carry them).
		return tz, true
	}
	rest, ok := strings.CutPrefix(tz, "UTC+")
	if !ok || strings.Contains(rest, ":") {
		return "", false
	}
	n, err := strconv.Atoi(rest)
	if err != nil || n < 1 || n > 14 {
		return "", false
	}
	return fmt.Sprintf("Etc/GMT-%d", n), true
}

func init() {
	register(
		&Rule{
			ID: "JRN-JOURNEY", Kind: KindJourney, Class: Redesign, Phase: "build",
			Title: "Journey becomes a Connect journey campaign",
			Doc: "A multi-step journey becomes an outbound campaign of type JOURNEY driven by a flow of type CAMPAIGN. " +
				"The flow's block language is not in any API model, so p2c generates the diagram and a step-by-step skeleton " +
				"and a person rebuilds the steps on the journey canvas.",
			Check: func(s *Subject) []Hit {
				if _, one := jrnSingleMessage(s.Object); one {
					return nil
				}
				n := len(jrnActivities(s.Object))
				return []Hit{{Field: "Activities",
					Message: fmt.Sprintf("The journey has %d activities; Connect runs multi-step journeys as a JOURNEY campaign whose steps are a CAMPAIGN flow p2c cannot write for you.", n),
					Action:  "Rebuild the journey on the Connect journey canvas from the generated diagram and skeleton, then review each step against the findings on its node.",
					Where:   "Amazon Connect admin website: Outbound campaigns, journey canvas"}}
			},
		},
		&Rule{
			ID: "JRN-ONE-MESSAGE", Kind: KindJourney, Class: Trans,
			Title: "One-message journey becomes a plain campaign",
			Doc: "A journey with a single email or SMS activity and no waits or splits needs no journey flow: " +
				"p2c turns it into a MANAGED outbound campaign with the same audience, schedule and template.",
			Check: func(s *Subject) []Hit {
				a, ok := jrnSingleMessage(s.Object)
				if !ok {
					return nil
				}
				return []Hit{{Field: jrnField(a.ID, a.Type), Node: a.ID,
					Message: fmt.Sprintf("The journey only sends one %s message (activity %s), so p2c migrates it as a plain outbound campaign instead of a journey.", a.Type, a.ID)}}
			},
		},
		&Rule{
			ID: "JRN-EMAIL", Kind: KindJourney, Class: Trans,
			Title: "Email activity",
			Doc: "An EMAIL activity becomes an email send step using the migrated Connect message template; " +
				"its FromAddress becomes the campaign's Connect source email address.",
			Check: func(s *Subject) []Hit {
				return jrnEach(s, "EMAIL", func(a jrnActivity) []Hit {
					msg := fmt.Sprintf("Email activity %s sends %s; it becomes an email step using the migrated Connect message template.", a.ID, jrnTemplate(a.Body))
					if Has(a.Body, "MessageConfig.FromAddress") {
						msg = fmt.Sprintf("Email activity %s sends %s from its own FromAddress; it becomes an email step with the migrated template and a Connect email address on the same domain.", a.ID, jrnTemplate(a.Body))
					}
					return []Hit{{Field: jrnField(a.ID, "EMAIL"), Node: a.ID, Detail: a.ID, Message: msg}}
				})
			},
		},
		&Rule{
			ID: "JRN-SMS", Kind: KindJourney, Class: Trans,
			Title: "SMS activity",
			Doc: "An SMS activity becomes an SMS send step using the migrated Connect message template and a phone number " +
				"imported into Connect from End User Messaging.",
			Check: func(s *Subject) []Hit {
				return jrnEach(s, "SMS", func(a jrnActivity) []Hit {
					msg := fmt.Sprintf("SMS activity %s sends %s; it becomes an SMS step using the migrated template and a Connect phone number imported from End User Messaging.", a.ID, jrnTemplate(a.Body))
					if mt := Str(a.Body, "MessageConfig.MessageType"); mt != "" {
						msg = fmt.Sprintf("SMS activity %s sends %s as %s; it becomes an SMS step using the migrated template and a Connect phone number imported from End User Messaging.", a.ID, jrnTemplate(a.Body), mt)
					}
					return []Hit{{Field: jrnField(a.ID, "SMS"), Node: a.ID, Detail: a.ID, Message: msg}}
				})
			},
		},
		&Rule{
			ID: "JRN-SMS-SENDER-ID", Kind: KindJourney, Class: Redesign, Phase: "build",
			Title: "SMS activity sends from a sender ID",
			Doc: "Connect SMS steps send from a Connect phone number (an End User Messaging number imported into the instance); " +
				"an alphanumeric sender ID cannot be imported, so the activity needs another originator or must stay on End User Messaging.",
			Check: func(s *Subject) []Hit {
				return jrnEach(s, "SMS", func(a jrnActivity) []Hit {
					id := Str(a.Body, "MessageConfig.SenderId")
					if id == "" {
						return nil
					}
					return []Hit{{Field: jrnField(a.ID, "SMS.MessageConfig.SenderId"), Node: a.ID, Detail: a.ID,
						Message: fmt.Sprintf("SMS activity %s sends from sender ID %q; Connect SMS steps can only send from a phone number imported into Connect.", a.ID, id),
						Action:  fmt.Sprintf("Choose an imported phone number for activity %s, or keep this message on End User Messaging with sender ID %q (for example from a Lambda step).", a.ID, id)}}
				})
			},
		},
		&Rule{
			ID: "JRN-SMS-REGULATORY", Kind: KindJourney, Class: Redesign, Phase: "build",
			Title: "SMS activity carries regulatory ids",
			Doc: "EntityId and TemplateId are the sender and template registration ids some countries (India DLT) require on every SMS; " +
				"Connect SMS campaigns have no field for them.",
			Check: func(s *Subject) []Hit {
				return jrnEach(s, "SMS", func(a jrnActivity) []Hit {
					if !Has(a.Body, "MessageConfig.EntityId") && !Has(a.Body, "MessageConfig.TemplateId") {
						return nil
					}
					return []Hit{{Field: jrnField(a.ID, "SMS.MessageConfig"), Node: a.ID, Detail: a.ID,
						Message: fmt.Sprintf("SMS activity %s sets regulator registration ids (EntityId/TemplateId); Connect SMS steps cannot pass them.", a.ID),
						Action:  fmt.Sprintf("Confirm how messages of activity %s will carry the regulator ids (End User Messaging DestinationCountryParameters from a Lambda step) before migrating it.", a.ID)}}
				})
			},
		},
		&Rule{
			ID: "JRN-PUSH", Kind: KindJourney, Class: Redesign, Phase: "build",
			Title: "Push activity",
			Doc: "Connect campaigns do not send push. A PUSH activity becomes a Lambda step in the journey flow that calls " +
				"End User Messaging Push (SendMessages) with the migrated push template.",
			Check: func(s *Subject) []Hit {
				return jrnEach(s, "PUSH", func(a jrnActivity) []Hit {
					return []Hit{{Field: jrnField(a.ID, "PUSH"), Node: a.ID, Detail: a.ID,
						Message: fmt.Sprintf("Push activity %s sends %s; Connect journeys cannot send push natively.", a.ID, jrnTemplate(a.Body)),
						Action:  fmt.Sprintf("Accept a Lambda step for activity %s that sends the push through End User Messaging Push, and deploy that function.", a.ID)}}
				})
			},
		},
		&Rule{
			ID: "JRN-CUSTOM", Kind: KindJourney, Class: Redesign, Phase: "build",
			Title: "Custom channel activity",
			Doc: "A CUSTOM activity hands participants to a Lambda function or a webhook (DeliveryUri). Connect has no custom channel: " +
				"the step becomes a Lambda invocation in the journey flow (a webhook needs a Lambda in front of it).",
			Check: func(s *Subject) []Hit {
				return jrnEach(s, "CUSTOM", func(a jrnActivity) []Hit {
					uri := Str(a.Body, "DeliveryUri")
					kind := "a Lambda function"
					act := "Point a Lambda step of the journey flow at the same function and adapt it to the Connect event payload."
					if strings.HasPrefix(uri, "https://") {
						kind = "a webhook"
						act = "Write a Lambda function that calls the webhook with the fields it expects, and use it as a Lambda step of the journey flow."
					}
					return []Hit{{Field: jrnField(a.ID, "CUSTOM.DeliveryUri"), Node: a.ID, Detail: a.ID,
						Message: fmt.Sprintf("Custom activity %s delivers to %s; Connect journeys have no custom channel.", a.ID, kind),
						Action:  act}}
				})
			},
		},
		&Rule{
			ID: "JRN-CONTACT-CENTER", Kind: KindJourney, Class: Trans,
			Title: "Contact center activity",
			Doc: "A ContactCenter activity already places outbound calls through a Connect campaign (JourneyChannelSettings). " +
				"It maps naturally to a telephony step of the JOURNEY campaign on the same instance (channelSubtypeConfig.telephony " +
				"with the same contact flow and queue). Without JourneyChannelSettings the activity has no target and a person must pick one.",
			Phase: "build",
			Check: func(s *Subject) []Hit {
				arn := Str(s.Object, "JourneyChannelSettings.ConnectCampaignArn")
				return jrnEach(s, "ContactCenter", func(a jrnActivity) []Hit {
					if arn == "" {
						return []Hit{{Field: jrnField(a.ID, "ContactCenter"), Node: a.ID, Detail: a.ID, Class: Manual,
							Message: fmt.Sprintf("Contact center activity %s has no Connect campaign in JourneyChannelSettings, so it is not known which instance, flow and queue place its calls.", a.ID),
							Action:  "Pick the Connect instance, contact flow and queue that should call participants at this step."}}
					}
					name := arn
					if i := strings.LastIndex(arn, "/"); i >= 0 {
						name = arn[i+1:]
					}
					return []Hit{{Field: jrnField(a.ID, "ContactCenter"), Node: a.ID, Detail: a.ID,
						Message: fmt.Sprintf("Contact center activity %s calls participants through Connect campaign %s; it becomes a telephony step of the journey campaign on the same instance.", a.ID, name)}}
				})
			},
		},
		&Rule{
			ID: "JRN-WAIT", Kind: KindJourney, Class: Trans,
			Title: "Wait activity",
			Doc: "A Wait activity (WaitFor duration or WaitUntil date) becomes a wait step in the journey skeleton with the same " +
				"duration or date.",
			Check: func(s *Subject) []Hit {
				return jrnEach(s, "Wait", func(a jrnActivity) []Hit {
					switch {
					case Has(a.Body, "WaitTime.WaitFor"):
						return []Hit{{Field: jrnField(a.ID, "Wait.WaitTime.WaitFor"), Node: a.ID, Detail: a.ID,
							Message: fmt.Sprintf("Wait activity %s holds participants for %s; it becomes a wait step of the same duration.", a.ID, Str(a.Body, "WaitTime.WaitFor"))}}
					case Has(a.Body, "WaitTime.WaitUntil"):
						return []Hit{{Field: jrnField(a.ID, "Wait.WaitTime.WaitUntil"), Node: a.ID, Detail: a.ID,
							Message: fmt.Sprintf("Wait activity %s holds participants until %s; it becomes a wait-until step with the same date.", a.ID, Str(a.Body, "WaitTime.WaitUntil"))}}
					}
					return nil
				})
			},
		},
		&Rule{
			ID: "JRN-SPLIT-EVENT", Kind: KindJourney, Class: Redesign, Phase: "build",
			Title: "Split on an event",
			Doc: "A split condition on an event (a message of an earlier activity opened, clicked or delivered, or a custom event) " +
				"depends on Pinpoint engagement events, which do not exist on the target; the branch must be rebuilt on what Connect " +
				"records (Customer Profiles campaign event objects) or on events the app sends to Customer Profiles.",
			Check: func(s *Subject) []Hit {
				var hits []Hit
				for _, c := range jrnConditions(s.Object) {
					ev := Obj(c.Cond, "EventCondition")
					if ev == nil {
						continue
					}
					what := "a custom event"
					if m := Str(ev, "MessageActivity"); m != "" {
						what = "the message of activity " + m
					}
					if t := List(ev, "Dimensions.EventType.Values"); len(t) > 0 {
						what += fmt.Sprintf(" (%v)", t[0])
					}
					hits = append(hits, Hit{Field: c.Field + ".EventCondition", Node: c.Activity, Detail: c.Field,
						Message: fmt.Sprintf("Split %s branches on %s, a Pinpoint engagement event Connect does not produce.", c.Activity, what),
						Action:  fmt.Sprintf("Decide what split %s should test on the target (a Customer Profiles campaign event or an event the app sends), or drop the branch.", c.Activity)})
				}
				return hits
			},
		},
		&Rule{
			ID: "JRN-SPLIT-SEGMENT", Kind: KindJourney, Class: Trans,
			Title: "Split on segment membership",
			Doc: "A SegmentCondition tests membership of a segment; the segment becomes a Customer Profiles segment definition and " +
				"the branch tests membership of it.",
			Check: func(s *Subject) []Hit {
				var hits []Hit
				for _, c := range jrnConditions(s.Object) {
					id := Str(c.Cond, "SegmentCondition.SegmentId")
					if id == "" {
						continue
					}
					hits = append(hits, Hit{Field: c.Field + ".SegmentCondition.SegmentId", Node: c.Activity, Detail: c.Field,
						Message: fmt.Sprintf("Split %s tests membership of segment %s; the branch tests the migrated segment definition instead.", c.Activity, id)})
				}
				return hits
			},
		},
		&Rule{
			ID: "JRN-SPLIT-DIMENSIONS", Kind: KindJourney, Class: Trans, Phase: "build",
			Title: "Split on inline segment dimensions",
			Doc: "A split condition with inline segmentDimensions becomes a condition on profile attributes (p2c writes it as a " +
				"segment definition). Recency, metrics and GPS dimensions have no profile attribute to test: those need a redesign.",
			Check: func(s *Subject) []Hit {
				var hits []Hit
				for _, c := range jrnConditions(s.Object) {
					d := Obj(c.Cond, "segmentDimensions")
					if d == nil {
						continue
					}
					h := Hit{Field: c.Field + ".segmentDimensions", Node: c.Activity, Detail: c.Field,
						Message: fmt.Sprintf("Split %s tests inline segment dimensions; p2c rewrites them as a profile condition.", c.Activity)}
					var hard []string
					if Has(d, "Behavior.Recency") {
						hard = append(hard, "recency")
					}
					if Has(d, "Metrics") {
						hard = append(hard, "metrics")
					}
					if Has(d, "Location.GPSPoint") {
						hard = append(hard, "GPS location")
					}
					if len(hard) > 0 {
						h.Class = Redesign
						h.Message = fmt.Sprintf("Split %s tests %s dimensions, which have no profile attribute to test on the target.", c.Activity, strings.Join(hard, " and "))
						h.Action = fmt.Sprintf("Decide how split %s is evaluated: a calculated attribute, a stored attribute the app maintains, or dropping the condition.", c.Activity)
					}
					hits = append(hits, h)
				}
				return hits
			},
		},
		&Rule{
			ID: "JRN-MULTI-SPLIT", Kind: KindJourney, Class: Trans,
			Title: "Multivariate split",
			Doc: "A MultiCondition activity (up to four branches and a default) becomes a multi-branch step in the skeleton; " +
				"each branch's condition is assessed by the split rules.",
			Check: func(s *Subject) []Hit {
				return jrnEach(s, "MultiCondition", func(a jrnActivity) []Hit {
					n := len(List(a.Body, "Branches"))
					def := ""
					if Has(a.Body, "DefaultActivity") {
						def = " plus a default path"
					}
					return []Hit{{Field: jrnField(a.ID, "MultiCondition.Branches"), Node: a.ID, Detail: a.ID,
						Message: fmt.Sprintf("Split %s has %d branches%s; it becomes a multi-branch step with the same order of tests.", a.ID, n, def)}}
				})
			},
		},
		&Rule{
			ID: "JRN-RANDOM-SPLIT", Kind: KindJourney, Class: Redesign, Phase: "build",
			Title: "Random split",
			Doc: "A RandomSplit sends fixed percentages of participants down each branch. Whether the Connect journey canvas offers " +
				"a percentage split is not confirmed by any API model; a person confirms the step or designs an equivalent.",
			Check: func(s *Subject) []Hit {
				return jrnEach(s, "RandomSplit", func(a jrnActivity) []Hit {
					var pcts []string
					for _, b := range List(a.Body, "Branches") {
						bm, _ := b.(map[string]any)
						if v, ok := Num(bm, "Percentage"); ok {
							pcts = append(pcts, jrnNum(v)+"%")
						}
					}
					return []Hit{{Field: jrnField(a.ID, "RandomSplit.Branches"), Node: a.ID, Detail: a.ID,
						Message: fmt.Sprintf("Random split %s sends participants down %d branches (%s).", a.ID, len(pcts), strings.Join(pcts, " / ")),
						Action:  fmt.Sprintf("Rebuild split %s with a percentage distribution on the journey canvas, or assign participants to branches with a profile attribute.", a.ID)}}
				})
			},
		},
		&Rule{
			ID: "JRN-HOLDOUT", Kind: KindJourney, Class: Redesign, Phase: "build",
			Title: "Holdout activity",
			Doc: "A Holdout activity removes a percentage of participants as a control group. Connect has no holdout step; " +
				"p2c proposes a percentage split whose held-out branch ends the journey.",
			Check: func(s *Subject) []Hit {
				return jrnEach(s, "Holdout", func(a jrnActivity) []Hit {
					p, _ := Num(a.Body, "Percentage")
					return []Hit{{Field: jrnField(a.ID, "Holdout.Percentage"), Node: a.ID, Detail: a.ID,
						Message: fmt.Sprintf("Holdout %s removes %s%% of participants as a control group; Connect journeys have no holdout step.", a.ID, jrnNum(p)),
						Action:  fmt.Sprintf("Accept a split that ends the journey for %s%% of participants, and decide how the control group is measured.", jrnNum(p))}}
				})
			},
		},
		&Rule{
			ID: "JRN-LIMIT-DAILY", Kind: KindJourney, Class: Trans,
			Title: "Daily cap per participant",
			Doc:   "Limits.DailyCap becomes a communication limit of that many messages per 1 DAY.",
			Check: func(s *Subject) []Hit {
				v, ok := Num(s.Object, "Limits.DailyCap")
				if !ok || v <= 0 {
					return nil
				}
				return []Hit{{Field: "Limits.DailyCap",
					Message: fmt.Sprintf("The journey sends each participant at most %s messages a day (Limits.DailyCap); it becomes a communication limit of %s per 1 day.", jrnNum(v), jrnNum(v))}}
			},
		},
		&Rule{
			ID: "JRN-LIMIT-TIMEFRAME", Kind: KindJourney, Class: Trans, Phase: "build",
			Title: "Cap per participant over days",
			Doc:   "Limits.TimeframeCap {Cap, Days} becomes a communication limit of Cap messages per Days days (Connect allows 1 to 30 days).",
			Check: func(s *Subject) []Hit {
				c, ok := Num(s.Object, "Limits.TimeframeCap.Cap")
				d, _ := Num(s.Object, "Limits.TimeframeCap.Days")
				if !ok || c <= 0 {
					return nil
				}
				h := Hit{Field: "Limits.TimeframeCap",
					Message: fmt.Sprintf("The journey sends each participant at most %s messages in %s days (Limits.TimeframeCap); it becomes a communication limit of %s per %s days.", jrnNum(c), jrnNum(d), jrnNum(c), jrnNum(d))}
				if d < 1 || d > 30 {
					h.Class = Redesign
					h.Message = fmt.Sprintf("The journey caps participants at %s messages in %s days (Limits.TimeframeCap); Connect communication limits cover 1 to 30 days.", jrnNum(c), jrnNum(d))
					h.Action = "Choose a window of 1 to 30 days for this cap."
				}
				return []Hit{h}
			},
		},
		&Rule{
			ID: "JRN-LIMIT-TOTAL", Kind: KindJourney, Class: Redesign, Phase: "build",
			Title: "Total cap per participant",
			Doc: "Limits.TotalCap caps the messages one participant receives over the whole journey. Connect communication limits " +
				"only count per 1 to 30 days, so a lifetime cap cannot be expressed.",
			Check: func(s *Subject) []Hit {
				v, ok := Num(s.Object, "Limits.TotalCap")
				if !ok || v <= 0 {
					return nil
				}
				return []Hit{{Field: "Limits.TotalCap",
					Message: fmt.Sprintf("The journey sends each participant at most %s messages in total (Limits.TotalCap); Connect limits only count over 1 to 30 days.", jrnNum(v)),
					Action:  "Accept a 30-day communication limit in place of the lifetime cap, or bound the journey by re-entry limits instead."}}
			},
		},
		&Rule{
			ID: "JRN-REENTRY", Kind: KindJourney, Class: Trans,
			Title: "Re-entry cap and interval",
			Doc: "Limits.EndpointReentryCap and EndpointReentryInterval become the campaign's entryLimitsConfig " +
				"(maxEntryCount, 0 = unlimited in both; minEntryInterval as the same ISO-8601 duration).",
			Check: func(s *Subject) []Hit {
				c, hasCap := Num(s.Object, "Limits.EndpointReentryCap")
				iv := Str(s.Object, "Limits.EndpointReentryInterval")
				if !hasCap && iv == "" {
					return nil
				}
				var parts []string
				if hasCap {
					if c == 0 {
						parts = append(parts, "unlimited re-entries")
					} else {
						parts = append(parts, fmt.Sprintf("at most %s entries", jrnNum(c)))
					}
				}
				if iv != "" {
					parts = append(parts, "at least "+iv+" between entries")
				}
				return []Hit{{Field: "Limits.EndpointReentryCap",
					Message: fmt.Sprintf("The journey allows %s per participant; it becomes the campaign's entry limits.", strings.Join(parts, " and "))}}
			},
		},
		&Rule{
			ID: "JRN-MPS", Kind: KindJourney, Class: Redesign, Phase: "build",
			Title: "Messages per second",
			Doc: "Limits.MessagesPerSecond throttles one journey. Connect has no per-campaign send rate: a campaign gets a share " +
				"(capacity 0.01..1) of the instance's throughput.",
			Check: func(s *Subject) []Hit {
				v, ok := Num(s.Object, "Limits.MessagesPerSecond")
				if !ok || v <= 0 {
					return nil
				}
				return []Hit{{Field: "Limits.MessagesPerSecond",
					Message: fmt.Sprintf("The journey sends at most %s messages per second; Connect campaigns only take a share of the instance's capacity.", jrnNum(v)),
					Action:  "Choose the campaign's capacity share, and check that downstream systems tolerate the instance's send rate."}}
			},
		},
		&Rule{
			ID: "JRN-QUIET-TIME", Kind: KindJourney, Class: Trans,
			Title: "Quiet time",
			Doc: "QuietTime {Start, End} becomes the complement: open hours on every day for each channel the journey sends on " +
				"(communicationTimeConfig).",
			Check: func(s *Subject) []Hit {
				st, en := Str(s.Object, "QuietTime.Start"), Str(s.Object, "QuietTime.End")
				if st == "" || en == "" {
					return nil
				}
				return []Hit{{Field: "QuietTime",
					Message: fmt.Sprintf("The journey sends nothing between %s and %s; it becomes daily open hours from %s to %s on each channel.", st, en, en, st)}}
			},
		},
		&Rule{
			ID: "JRN-QUIET-SKIP", Kind: KindJourney, Class: Redesign, Phase: "build",
			Title: "Messages in quiet time are skipped",
			Doc: "With WaitForQuietTime false, Pinpoint skips a message that falls in quiet time and moves the participant on. " +
				"Connect communication time windows only say when contacts may be made; skipping must be designed.",
			Check: func(s *Subject) []Hit {
				if !Has(s.Object, "QuietTime.Start") && !(Str(s.Object, "SendingSchedule") == "true" && Has(s.Object, "OpenHours")) {
					return nil
				}
				if Str(s.Object, "WaitForQuietTime") == "true" {
					return nil
				}
				return []Hit{{Field: "WaitForQuietTime",
					Message: "Messages that fall in the journey's quiet time are skipped, not delayed (WaitForQuietTime false); Connect time windows do not skip messages.",
					Action:  "Decide whether participants should wait for the open hours on the target (the usual choice) or skip the message."}}
			},
		},
		&Rule{
			ID: "JRN-OPEN-HOURS", Kind: KindJourney, Class: Trans, Phase: "build",
			Title: "Open hours",
			Doc: "OpenHours per channel become communicationTimeConfig dailyHours (EMAIL → email, SMS → sms, VOICE → telephony, " +
				"times as \"T09:00\"). PUSH and CUSTOM open hours have no Connect channel and need a redesign.",
			Check: func(s *Subject) []Hit {
				oh := Obj(s.Object, "OpenHours")
				var hits []Hit
				for _, ch := range sortedKeys(oh) {
					days, _ := oh[ch].(map[string]any)
					if len(days) == 0 {
						continue
					}
					h := Hit{Field: "OpenHours." + ch, Detail: ch,
						Message: fmt.Sprintf("The journey sends %s only during open hours on %d day(s) of the week; they become the campaign's daily hours for that channel.", ch, len(days))}
					if ch == "PUSH" || ch == "CUSTOM" {
						h.Class = Redesign
						h.Message = fmt.Sprintf("The journey restricts %s sending to open hours on %d day(s); Connect time windows have no %s channel.", ch, len(days), ch)
						h.Action = fmt.Sprintf("Enforce the %s open hours in the Lambda step that sends it, or drop them.", ch)
					}
					hits = append(hits, h)
				}
				return hits
			},
		},
		&Rule{
			ID: "JRN-CLOSED-DAYS", Kind: KindJourney, Class: Trans, Phase: "build",
			Title: "Closed days",
			Doc: "ClosedDays per channel become restrictedPeriods (whole dates, YYYY-MM-DD) of the channel's time window; " +
				"a closed period starting or ending mid-day is widened to whole days. PUSH and CUSTOM need a redesign.",
			Check: func(s *Subject) []Hit {
				cd := Obj(s.Object, "ClosedDays")
				var hits []Hit
				for _, ch := range sortedKeys(cd) {
					rules, _ := cd[ch].([]any)
					if len(rules) == 0 {
						continue
					}
					h := Hit{Field: "ClosedDays." + ch, Detail: ch,
						Message: fmt.Sprintf("The journey does not send %s on %d closed period(s); they become restricted periods of whole days.", ch, len(rules))}
					if ch == "PUSH" || ch == "CUSTOM" {
						h.Class = Redesign
						h.Message = fmt.Sprintf("The journey does not send %s on %d closed period(s); Connect time windows have no %s channel.", ch, len(rules), ch)
						h.Action = fmt.Sprintf("Enforce the %s closed days in the Lambda step that sends it, or drop them.", ch)
					}
					hits = append(hits, h)
				}
				return hits
			},
		},
		&Rule{
			ID: "JRN-LOCAL-TIME", Kind: KindJourney, Class: Trans, Phase: "build",
			Title: "Local time",
			Doc: "LocalTime schedules in each participant's time zone. Connect detects it from the profile's postal code or phone area " +
				"code (localTimeZoneDetection) with a defaultTimeZone, an IANA name: UTC and UTC+N offsets map to Etc zones; " +
				"negative and fractional offsets cannot be spelled and need a chosen zone.",
			Check: func(s *Subject) []Hit {
				if Str(s.Object, "LocalTime") != "true" {
					return nil
				}
				tz := Str(s.Object, "Schedule.Timezone")
				if tz == "" {
					return []Hit{{Field: "LocalTime",
						Message: "The journey runs in each participant's local time; Connect detects it from the profile's postal code or phone area code."}}
				}
				if zone, ok := jrnOffsetZone(tz); ok {
					return []Hit{{Field: "Schedule.Timezone",
						Message: fmt.Sprintf("The journey runs in each participant's local time with %s as the starting offset; it becomes time zone detection with default zone %s.", tz, zone)}}
				}
				return []Hit{{Field: "Schedule.Timezone", Class: Redesign,
					Message: fmt.Sprintf("The journey runs in local time with offset %s, which Connect's default time zone cannot spell (it takes IANA names).", tz),
					Action:  fmt.Sprintf("Choose the IANA time zone that stands for %s (a named zone follows daylight saving time, the Pinpoint offset did not).", tz)}}
			},
		},
		&Rule{
			ID: "JRN-TZ-ESTIMATION", Kind: KindJourney, Class: Trans,
			Title: "Time zone estimation",
			Doc:   "TimezoneEstimationMethods PHONE_NUMBER and POSTAL_CODE become localTimeZoneDetection AREA_CODE and ZIP_CODE.",
			Check: func(s *Subject) []Hit {
				ms := List(s.Object, "TimezoneEstimationMethods")
				if len(ms) == 0 {
					return nil
				}
				var out []string
				for _, m := range ms {
					switch m {
					case "PHONE_NUMBER":
						out = append(out, "AREA_CODE")
					case "POSTAL_CODE":
						out = append(out, "ZIP_CODE")
					default:
						out = append(out, fmt.Sprintf("%v (unknown method, dropped)", m))
					}
				}
				return []Hit{{Field: "TimezoneEstimationMethods",
					Message: fmt.Sprintf("The journey estimates missing time zones from %v; it becomes time zone detection by %s.", ms, strings.Join(out, " and "))}}
			},
		},
		&Rule{
			ID: "JRN-SCHEDULE", Kind: KindJourney, Class: Trans, Phase: "build",
			Title: "Journey schedule",
			Doc: "Schedule.StartTime and EndTime become the campaign schedule with the same instants. Connect requires an end time: " +
				"a journey without one needs a chosen end.",
			Check: func(s *Subject) []Hit {
				st, en := Str(s.Object, "Schedule.StartTime"), Str(s.Object, "Schedule.EndTime")
				if st == "" && en == "" {
					return nil
				}
				if en == "" {
					return []Hit{{Field: "Schedule.EndTime", Class: Redesign,
						Message: fmt.Sprintf("The journey starts at %s and has no end time; a Connect campaign schedule needs one.", st),
						Action:  "Choose an end time for the migrated journey campaign (it can be extended later)."}}
				}
				if st == "" {
					st = "its activation"
				}
				return []Hit{{Field: "Schedule",
					Message: fmt.Sprintf("The journey runs from %s to %s; the campaign schedule keeps both times exactly.", st, en)}}
			},
		},
		&Rule{
			ID: "JRN-REFRESH", Kind: KindJourney, Class: Trans,
			Title: "Segment refresh frequency",
			Doc: "RefreshFrequency (ISO-8601 duration) becomes the campaign schedule's refreshFrequency: the segment is re-evaluated " +
				"at the same interval and new members enter.",
			Check: func(s *Subject) []Hit {
				f := Str(s.Object, "RefreshFrequency")
				if f == "" {
					return nil
				}
				return []Hit{{Field: "RefreshFrequency",
					Message: fmt.Sprintf("The journey re-reads its segment every %s; it becomes the campaign's refresh frequency.", f)}}
			},
		},
		&Rule{
			ID: "JRN-REFRESH-ON-UPDATE", Kind: KindJourney, Class: Redesign, Phase: "build",
			Title: "Refresh when the segment changes",
			Doc: "RefreshOnSegmentUpdate lets new segment members enter as soon as the segment is updated. Connect only re-evaluates " +
				"on the schedule's refreshFrequency.",
			Check: func(s *Subject) []Hit {
				if Str(s.Object, "RefreshOnSegmentUpdate") != "true" {
					return nil
				}
				return []Hit{{Field: "RefreshOnSegmentUpdate",
					Message: "New segment members enter the journey as soon as the segment changes (RefreshOnSegmentUpdate); Connect only re-reads segments on a fixed refresh frequency.",
					Action:  "Choose a refresh frequency short enough for this journey (for example PT1H)."}}
			},
		},
		&Rule{
			ID: "JRN-START-SEGMENT", Kind: KindJourney, Class: Trans,
			Title: "Segment start condition",
			Doc:   "A SegmentStartCondition becomes the campaign source customerProfilesSegmentArn of the migrated segment definition.",
			Check: func(s *Subject) []Hit {
				id := Str(s.Object, "StartCondition.SegmentStartCondition.SegmentId")
				if id == "" {
					return nil
				}
				return []Hit{{Field: "StartCondition.SegmentStartCondition.SegmentId",
					Message: fmt.Sprintf("Participants are the members of segment %s; the campaign's source becomes its migrated segment definition.", id)}}
			},
		},
		&Rule{
			ID: "JRN-START-EVENT", Kind: KindJourney, Class: Redesign, Phase: "build",
			Title: "Event start condition",
			Doc: "An EventStartCondition starts the journey when an endpoint reports an event (EventFilter). On the target the event " +
				"must reach Customer Profiles as a profile object, a Customer Profiles event trigger tests it and the campaign uses " +
				"the eventTrigger source; the app's event reporting has to change.",
			Check: func(s *Subject) []Hit {
				ev := Obj(s.Object, "StartCondition.EventStartCondition")
				if ev == nil {
					return nil
				}
				names := List(ev, "EventFilter.Dimensions.EventType.Values")
				what := "an event"
				if len(names) > 0 {
					what = fmt.Sprintf("event %v", names)
				}
				if ft := Str(ev, "EventFilter.FilterType"); ft != "" {
					what += " (" + ft + " filter)"
				}
				return []Hit{{Field: "StartCondition.EventStartCondition.EventFilter",
					Message: fmt.Sprintf("The journey starts when an endpoint reports %s; on Connect that event must be sent to Customer Profiles to fire an event trigger.", what),
					Action:  "Send the app's events to Customer Profiles (an object type for them), then accept the generated event trigger and its conditions."}}
			},
		},
		&Rule{
			ID: "JRN-ACTIVE", Kind: KindJourney, Class: Manual, Phase: "cutover",
			Title: "Journey with participants in flight",
			Doc: "An ACTIVE or PAUSED journey has participants part-way through it. Their position cannot be carried to Connect: " +
				"someone decides when the Pinpoint journey stops taking new participants and how those in flight finish.",
			Check: func(s *Subject) []Hit {
				st := Str(s.Object, "State")
				if st != "ACTIVE" && st != "PAUSED" {
					return nil
				}
				return []Hit{{Field: "State",
					Message: fmt.Sprintf("The journey is %s, so participants may be part-way through it; their progress cannot move to Connect.", st),
					Action:  "Pick the cut-over date: stop new entries in Pinpoint, let in-flight participants finish (before 2026-10-30) and start the Connect campaign for new entries."}}
			},
		},
		&Rule{
			ID: "JRN-RETIRED", Kind: KindJourney, Class: Direct,
			Title: "Journey that no longer runs",
			Doc:   "A DRAFT, COMPLETED, CANCELLED or CLOSED journey sends nothing; it may be retired instead of migrated.",
			Check: func(s *Subject) []Hit {
				switch st := Str(s.Object, "State"); st {
				case "DRAFT", "COMPLETED", "CANCELLED", "CLOSED":
					return []Hit{{Field: "State",
						Message: fmt.Sprintf("The journey is %s and sends nothing; it may be retired rather than migrated.", st)}}
				}
				return nil
			},
		},
	)
}
