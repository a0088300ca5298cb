package demoseed

// journeyDef is one journey, the id name it is saved under and the states
// it goes through after creation.
type journeyDef struct {
	app, save string
	req       M
	states    []string
}

// Connect outbound campaign the collections journey hands calls to.
const connectCampaignARN = "arn:aws:connect-campaigns:us-east-1:" + Account + ":campaign/6f1e2d3c-4b5a-4968-8796-a5b4c3d2e1f0"

// Branch and split conditions name their dimensions "segmentDimensions":
// inside a payload the seed holds wire keys, and that is the one member
// whose wire key differs from its SDK name.
//
// journeys records Northwind's journeys. Across them every activity type,
// every start condition and every journey setting appears, in the states
// DRAFT, ACTIVE, PAUSED and CANCELLED.
func (b *builder) journeys() {
	weekdays := func(start, end string) M {
		h := L{M{"StartTime": start, "EndTime": end}}
		return M{"MONDAY": h, "TUESDAY": h, "WEDNESDAY": h, "THURSDAY": h, "FRIDAY": h}
	}
	defs := []journeyDef{
		{appRetail, "jrn.shop.welcome", M{
			"Name":           "Welcome series",
			"StartActivity":  "welcomeEmail",
			"StartCondition": M{"Description": "New email subscribers", "SegmentStartCondition": M{"SegmentId": "${seg.shop.email}"}},
			"Activities": M{
				"welcomeEmail": M{"Description": "Welcome email", "EMAIL": M{"TemplateName": tWelcomeEmail, "TemplateVersion": "2",
					"MessageConfig": M{"FromAddress": "Northwind Outfitters <hello@northwind.example.com>"}, "NextActivity": "wait2d"}},
				"wait2d": M{"Wait": M{"WaitTime": M{"WaitFor": "P2D"}, "NextActivity": "openedWelcome"}},
				"openedWelcome": M{"Description": "Did they open the welcome email?", "ConditionalSplit": M{
					"Condition": M{"Operator": "ANY", "Conditions": L{
						M{"EventCondition": M{"MessageActivity": "welcomeEmail", "Dimensions": M{"EventType": set("INCLUSIVE", "_email.open")}}},
						M{"EventCondition": M{"MessageActivity": "welcomeEmail", "Dimensions": M{"EventType": set("INCLUSIVE", "_email.click")}}},
					}},
					"EvaluationWaitTime": M{"WaitFor": "P1D"},
					"TrueActivity":       "appPush", "FalseActivity": "nudgeSMS"}},
				"appPush":  M{"PUSH": M{"TemplateName": tCartPush, "MessageConfig": M{"TimeToLive": "86400"}}},
				"nudgeSMS": M{"SMS": M{"TemplateName": tShippedSMS, "MessageConfig": M{"MessageType": "PROMOTIONAL", "OriginationNumber": "${phone.tendlc1.number}"}}},
			},
			"Limits": M{"DailyCap": 1, "EndpointReentryCap": 1, "EndpointReentryInterval": "P30D", "MessagesPerSecond": 100,
				"TimeframeCap": M{"Cap": 3, "Days": 7}, "TotalCap": 4},
			"QuietTime": M{"Start": "21:00", "End": "08:00"}, "LocalTime": true, "WaitForQuietTime": true,
			"RefreshFrequency": "PT1H", "RefreshOnSegmentUpdate": true,
			"Schedule":                  M{"StartTime": "2026-06-01T00:00:00Z", "EndTime": "2027-06-01T00:00:00Z", "Timezone": "America/Los_Angeles"},
			"TimezoneEstimationMethods": list("PHONE_NUMBER", "POSTAL_CODE"),
		}, []string{"ACTIVE"}},

		{appRetail, "jrn.shop.cart", M{
			"Name":          "Cart recovery",
			"StartActivity": "holdout",
			"StartCondition": M{"Description": "Cart abandoned in the app or on the web", "EventStartCondition": M{
				"SegmentId": "${seg.shop.marketable}",
				"EventFilter": M{"FilterType": "ENDPOINT", "Dimensions": M{"EventType": set("INCLUSIVE", "cart.abandoned"),
					"Metrics": M{"cartValue": metric("GREATER_THAN", 20)}, "Attributes": M{"source": attr("INCLUSIVE", "web", "app")}}}}},
			"Activities": M{
				"holdout":          M{"Description": "5% global control", "Holdout": M{"Percentage": 5, "NextActivity": "waitUntilEvening"}},
				"waitUntilEvening": M{"Wait": M{"WaitTime": M{"WaitUntil": "2026-09-01T18:00:00Z"}, "NextActivity": "byValue"}},
				"byValue": M{"Description": "Route by cart value and channel", "MultiCondition": M{
					"Branches": L{
						M{"Condition": M{"segmentDimensions": M{"Metrics": M{"cartValue": metric("GREATER_THAN_OR_EQUAL", 200)}}}, "NextActivity": "bigCartEmail"},
						M{"Condition": M{"segmentDimensions": M{"Demographic": M{"Platform": set("INCLUSIVE", "iOS", "Android")}}}, "NextActivity": "abTest"},
						M{"Condition": M{"SegmentCondition": M{"SegmentId": "${seg.shop.goldPlus}"}}, "NextActivity": "clienteling"},
					},
					"DefaultActivity":    "cartEmail",
					"EvaluationWaitTime": M{"WaitFor": "PT1H"}}},
				"bigCartEmail": M{"EMAIL": M{"TemplateName": tCartEmail, "NextActivity": "wait1d"}},
				"cartEmail":    M{"EMAIL": M{"TemplateName": tCartEmail}},
				"abTest": M{"Description": "Push vs SMS", "RandomSplit": M{"Branches": L{
					M{"Percentage": 50, "NextActivity": "cartPush"},
					M{"Percentage": 50, "NextActivity": "cartSMS"},
				}}},
				"cartPush": M{"PUSH": M{"TemplateName": tCartPush}},
				"cartSMS":  M{"SMS": M{"TemplateName": tFlashSMS, "TemplateVersion": "1", "MessageConfig": M{"MessageType": "PROMOTIONAL", "SenderId": "NORTHWIND"}}},
				"clienteling": M{"CUSTOM": M{"DeliveryUri": lambdaARN("northwind-clienteling-webhook"), "EndpointTypes": list("EMAIL", "SMS"),
					"MessageConfig": M{"Data": `{"task":"cart_follow_up","user":"{{User.UserId}}"}`}}},
				"wait1d": M{"Wait": M{"WaitTime": M{"WaitFor": "P1D"}, "NextActivity": "bought"}},
				"bought": M{"ConditionalSplit": M{
					"Condition": M{"Operator": "ALL", "Conditions": L{
						M{"SegmentCondition": M{"SegmentId": "${seg.shop.recent}"}},
						M{"segmentDimensions": M{"Attributes": M{"cartStatus": attr("EXCLUSIVE", "abandoned")}}},
					}},
					"EvaluationWaitTime": M{"WaitUntil": "2026-12-31T00:00:00Z"},
					"FalseActivity":      "cartPush"}},
			},
			"Limits":           M{"DailyCap": 2, "EndpointReentryCap": 5, "EndpointReentryInterval": "PT12H", "MessagesPerSecond": 50},
			"QuietTime":        M{"Start": "22:00", "End": "07:00"},
			"LocalTime":        true,
			"WaitForQuietTime": false,
			"Schedule":         M{"StartTime": "2026-07-01T00:00:00Z", "EndTime": "2027-07-01T00:00:00Z", "Timezone": "America/New_York"},
		}, []string{"ACTIVE", "PAUSED"}},

		{appRewards, "jrn.rewards.nurture", M{
			"Name":           "Silver to Gold nurture",
			"StartActivity":  "split",
			"StartCondition": M{"SegmentStartCondition": M{"SegmentId": "${seg.rewards.upgrade}"}},
			"Activities": M{
				"split": M{"RandomSplit": M{"Branches": L{
					M{"Percentage": 40, "NextActivity": "tierEmail"},
					M{"Percentage": 40, "NextActivity": "pointsSMS"},
					M{"Percentage": 20},
				}}},
				"tierEmail": M{"EMAIL": M{"TemplateName": tTierUpgrade, "NextActivity": "wait"}},
				"pointsSMS": M{"SMS": M{"TemplateName": tPointsSMS, "MessageConfig": M{"MessageType": "PROMOTIONAL"}, "NextActivity": "wait"}},
				"wait":      M{"Wait": M{"WaitTime": M{"WaitFor": "P7D"}, "NextActivity": "isGold"}},
				"isGold": M{"ConditionalSplit": M{
					"Condition":          M{"Conditions": L{M{"segmentDimensions": M{"UserAttributes": M{"LoyaltyTier": attr("INCLUSIVE", "Gold")}}}}},
					"EvaluationWaitTime": M{"WaitFor": "PT0S"},
					"FalseActivity":      "expiringPush"}},
				"expiringPush": M{"PUSH": M{"TemplateName": tPointsPush}},
			},
			"Limits":           M{"TotalCap": 5, "EndpointReentryCap": 0},
			"RefreshFrequency": "P1D",
			"Schedule":         M{"StartTime": "2026-10-01T00:00:00Z", "Timezone": "America/Chicago"},
		}, nil},

		{appPay, "jrn.pay.collections", M{
			"Name":           "Collections outreach",
			"StartActivity":  "reminder",
			"StartCondition": M{"SegmentStartCondition": M{"SegmentId": "${seg.pay.overdue}"}},
			"Activities": M{
				"reminder": M{"SMS": M{"TemplateName": tPaymentSMS, "MessageConfig": M{"MessageType": "TRANSACTIONAL", "OriginationNumber": "${phone.tollfree.number}"}, "NextActivity": "wait3d"}},
				"wait3d":   M{"Wait": M{"WaitTime": M{"WaitFor": "P3D"}, "NextActivity": "stillDue"}},
				"stillDue": M{"ConditionalSplit": M{
					"Condition":          M{"Conditions": L{M{"SegmentCondition": M{"SegmentId": "${seg.pay.overdue}"}}}},
					"EvaluationWaitTime": M{"WaitFor": "PT1H"},
					"TrueActivity":       "agentCall"}},
				"agentCall":      M{"Description": "Agent call through Amazon Connect", "ContactCenter": M{"NextActivity": "statementEmail"}},
				"statementEmail": M{"EMAIL": M{"TemplateName": tStatement}},
			},
			"JourneyChannelSettings": M{"ConnectCampaignArn": connectCampaignARN, "ConnectCampaignExecutionRoleArn": iamRole("pinpoint-connect-campaign-execution")},
			"SendingSchedule":        true,
			"OpenHours": M{
				"EMAIL":  weekdays("08:00", "20:00"),
				"SMS":    weekdays("09:00", "19:00"),
				"PUSH":   weekdays("09:00", "21:00"),
				"VOICE":  weekdays("09:00", "17:00"),
				"CUSTOM": M{"SATURDAY": L{M{"StartTime": "10:00", "EndTime": "14:00"}}},
			},
			"ClosedDays": M{
				"VOICE": L{M{"Name": "Thanksgiving", "StartDateTime": "2026-11-26T00:00:00", "EndDateTime": "2026-11-27T23:59:59"},
					M{"Name": "Christmas", "StartDateTime": "2026-12-24T00:00:00", "EndDateTime": "2026-12-26T23:59:59"}},
				"SMS":   L{M{"Name": "Christmas Day", "StartDateTime": "2026-12-25T00:00:00", "EndDateTime": "2026-12-25T23:59:59"}},
				"EMAIL": L{M{"Name": "New Year", "StartDateTime": "2027-01-01T00:00:00", "EndDateTime": "2027-01-01T23:59:59"}},
			},
			"Limits":    M{"DailyCap": 1, "EndpointReentryCap": 3, "EndpointReentryInterval": "P30D", "MessagesPerSecond": 20, "TimeframeCap": M{"Cap": 2, "Days": 3}, "TotalCap": 6},
			"LocalTime": true,
			"Schedule":  M{"StartTime": "2026-08-15T00:00:00Z", "EndTime": "2027-08-15T00:00:00Z", "Timezone": "America/New_York"},
		}, []string{"ACTIVE"}},

		{appRetail, "jrn.shop.holiday2025", M{
			"Name":           "Holiday gift guide 2025",
			"StartActivity":  "guide",
			"StartCondition": M{"SegmentStartCondition": M{"SegmentId": "${seg.shop.na}"}},
			"Activities": M{
				"guide":    M{"EMAIL": M{"TemplateName": tDigest, "NextActivity": "waitDec"}},
				"waitDec":  M{"Wait": M{"WaitTime": M{"WaitUntil": "2025-12-15T15:00:00Z"}, "NextActivity": "lastCall"}},
				"lastCall": M{"PUSH": M{"TemplateName": tFlashPush}},
			},
			"Schedule": M{"StartTime": "2025-11-20T00:00:00Z", "EndTime": "2025-12-24T00:00:00Z", "Timezone": "America/New_York"},
		}, []string{"ACTIVE", "CANCELLED"}},

		// One message: could be a plain campaign.
		{appPay, "jrn.pay.welcome", M{
			"Name":           "Card activation confirmation",
			"StartActivity":  "activated",
			"StartCondition": M{"EventStartCondition": M{"EventFilter": M{"FilterType": "ENDPOINT", "Dimensions": M{"EventType": set("INCLUSIVE", "card.activated")}}}},
			"Activities": M{
				"activated": M{"SMS": M{"TemplateName": tPaymentSMS, "MessageConfig": M{"MessageType": "TRANSACTIONAL"}}},
			},
			"Schedule": M{"StartTime": "2026-02-01T00:00:00Z", "Timezone": "UTC"},
		}, []string{"ACTIVE"}},

		{appRewards, "jrn.rewards.winback", M{
			"Name":           "Lapsed member win-back",
			"StartActivity":  "offer",
			"StartCondition": M{"SegmentStartCondition": M{"SegmentId": "${seg.rewards.all}"}},
			"Activities": M{
				"offer":   M{"EMAIL": M{"TemplateName": tBirthday, "TemplateVersion": "1", "NextActivity": "waitWk"}},
				"waitWk":  M{"Wait": M{"WaitTime": M{"WaitFor": "P7D"}, "NextActivity": "control"}},
				"control": M{"Holdout": M{"Percentage": 10, "NextActivity": "push"}},
				"push":    M{"PUSH": M{"TemplateName": tPointsPush}},
			},
			"RefreshOnSegmentUpdate": false,
			"Schedule":               M{"StartTime": "2026-08-01T00:00:00Z", "EndTime": "2026-12-31T00:00:00Z", "Timezone": "America/Denver"},
		}, []string{"ACTIVE", "PAUSED"}},
	}
	for _, d := range defs {
		b.ppID("CreateJourney", M{"ApplicationId": "${" + d.app + "}", "WriteJourneyRequest": d.req}, d.save)
		for _, st := range d.states {
			b.pp("UpdateJourneyState", M{"ApplicationId": "${" + d.app + "}", "JourneyId": "${" + d.save + "}", "JourneyStateRequest": M{"State": st}})
		}
		b.jrns = append(b.jrns, journeyMetaOf(d))
	}
	// WriteJourneyRequest has no tags; teams tagged journeys afterwards.
	for _, j := range []struct{ app, save, team string }{{appRetail, "jrn.shop.welcome", "growth"}, {appPay, "jrn.pay.collections", "payments"}} {
		b.pp("TagResource", M{"ResourceArn": "arn:aws:mobiletargeting:" + Region + ":" + Account + ":apps/${" + j.app + "}/journeys/${" + j.save + "}",
			"TagsModel": M{"tags": M{"team": j.team, "reviewed": "2026-08"}}})
	}
}

// jrnMeta is what the analytics of a journey depend on.
type jrnMeta struct {
	app, save  string
	state      string
	start, end string // YYYY-MM-DD
	activities []activityMeta
	email      bool
}

type activityMeta struct{ id, kind string }

func journeyMetaOf(d journeyDef) jrnMeta {
	state := "DRAFT"
	if len(d.states) > 0 {
		state = d.states[len(d.states)-1]
	}
	sched, _ := d.req["Schedule"].(M)
	day := func(k string) string {
		v, _ := sched[k].(string)
		if len(v) >= 10 {
			return v[:10]
		}
		return ""
	}
	m := jrnMeta{app: d.app, save: d.save, state: state, start: day("StartTime"), end: day("EndTime")}
	acts, _ := d.req["Activities"].(M)
	for _, id := range sortedKeys(acts) {
		act, _ := acts[id].(M)
		for _, k := range []string{"EMAIL", "SMS", "PUSH", "CUSTOM", "Wait", "ConditionalSplit", "MultiCondition", "RandomSplit", "Holdout", "ContactCenter"} {
			if _, ok := act[k]; ok {
				m.activities = append(m.activities, activityMeta{id, k})
				m.email = m.email || k == "EMAIL"
			}
		}
	}
	return m
}
