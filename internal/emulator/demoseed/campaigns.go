package demoseed

// campaignDef is one campaign and the id name it is saved under.
type campaignDef struct {
	app, save string
	req       M
}

func tmpl(name string) M { return M{"Name": name} }

func tmplV(name, version string) M { return M{"Name": name, "Version": version} }

// campaigns records Northwind's campaigns: one-time and recurring sends,
// event triggers, an A/B test with a holdout, a filter hook, a custom
// channel, in-app messages and paused campaigns, on every channel.
func (b *builder) campaigns() {
	defs := []campaignDef{
		// One-time email, later rescheduled (two versions).
		{appRetail, "camp.shop.fallLaunch", M{
			"Name": "Fall collection launch", "Description": "One-time announcement of the fall 2026 collection.",
			"SegmentId": "${seg.shop.newsletter}", "SegmentVersion": 1,
			"Schedule":              M{"StartTime": "2026-09-08T16:00:00Z", "Frequency": "ONCE", "Timezone": "America/Los_Angeles"},
			"TemplateConfiguration": M{"EmailTemplate": tmpl(tDigest)},
			"MessageConfiguration":  M{"EmailMessage": M{"FromAddress": "Northwind Outfitters <news@northwind.example.com>"}},
			"tags":                  M{"season": "fall-2026"},
		}},
		// Weekly newsletter in each recipient's local time.
		{appRetail, "camp.shop.digest", M{
			"Name": "Weekly trail digest", "SegmentId": "${seg.shop.outdoor}",
			"Schedule": M{"StartTime": "2026-07-02T15:00:00Z", "EndTime": "2027-06-24T15:00:00Z", "Frequency": "WEEKLY",
				"IsLocalTime": true, "QuietTime": M{"Start": "21:00", "End": "08:00"}},
			"TemplateConfiguration": M{"EmailTemplate": tmpl(tDigest)},
			"Limits":                M{"Daily": 1, "Total": 52, "MessagesPerSecond": 100},
		}},
		// Daily deals by push, with a Timezone instead of local time.
		{appRetail, "camp.shop.dailyPush", M{
			"Name": "Daily deal push", "SegmentId": "${seg.shop.push}",
			"Schedule":              M{"StartTime": "2026-07-15T17:00:00Z", "EndTime": "2026-12-31T17:00:00Z", "Frequency": "DAILY", "Timezone": "America/New_York"},
			"TemplateConfiguration": M{"PushTemplate": tmpl(tFlashPush)},
			"Limits":                M{"Daily": 1, "Total": 120, "MessagesPerSecond": 500, "MaximumDuration": 1800},
		}},
		// Hourly flash-sale texts during a one-day event.
		{appRetail, "camp.shop.flashSMS", M{
			"Name": "Labor Day flash sale (hourly SMS)", "SegmentId": "${seg.shop.sms}",
			"Schedule":              M{"StartTime": "2026-09-07T14:00:00Z", "EndTime": "2026-09-08T02:00:00Z", "Frequency": "HOURLY", "Timezone": "America/Chicago"},
			"TemplateConfiguration": M{"SMSTemplate": tmplV(tFlashSMS, "2")},
			"MessageConfiguration": M{"SMSMessage": M{"MessageType": "PROMOTIONAL", "OriginationNumber": "${phone.tendlc1.number}",
				"EntityId": "NW-ENTITY-0001", "TemplateId": "NW-DLT-0042"}},
			"Limits": M{"Daily": 1, "Total": 1, "MessagesPerSecond": 20},
		}},
		// Abandoned cart: event-triggered email with recommendations.
		{appRetail, "camp.shop.cart", M{
			"Name": "Abandoned cart email", "SegmentId": "${seg.shop.email}",
			"Schedule": M{"StartTime": "2026-06-01T00:00:00Z", "EndTime": "2027-06-01T00:00:00Z", "Frequency": "EVENT", "EventFilter": M{
				"FilterType": "ENDPOINT", "Dimensions": M{
					"EventType":  set("INCLUSIVE", "cart.abandoned"),
					"Attributes": M{"channel": attr("INCLUSIVE", "web", "ios", "android")},
					"Metrics":    M{"cartValue": metric("GREATER_THAN", 25)}}}},
			"TemplateConfiguration": M{"EmailTemplate": tmpl(tCartEmail)},
			"Limits":                M{"Daily": 1, "Session": 1, "MaximumDuration": 60, "Total": 10},
		}},
		// A/B test of subject lines with a 10% holdout (control + 2 treatments).
		{appRetail, "camp.shop.ab", M{
			"Name": "Fall sale subject line test", "SegmentId": "${seg.shop.vipOutdoor}",
			"Schedule":              M{"StartTime": "2026-09-15T15:00:00Z", "Frequency": "ONCE", "IsLocalTime": true, "QuietTime": M{"Start": "21:00", "End": "08:00"}},
			"TemplateConfiguration": M{"EmailTemplate": tmpl(tFallSaleEmailA)},
			"TreatmentName":         "Control", "TreatmentDescription": "Generic subject line",
			"HoldoutPercent": 10,
			"AdditionalTreatments": L{
				M{"SizePercent": 30, "TreatmentName": "Personalised", "TreatmentDescription": "First name in subject",
					"TemplateConfiguration": M{"EmailTemplate": tmpl(tFallSaleEmailB)}},
				M{"SizePercent": 20, "TreatmentName": "Push instead", "TreatmentDescription": "Same offer by push, an hour later",
					"TemplateConfiguration": M{"PushTemplate": tmpl(tFlashPush)},
					"Schedule":              M{"StartTime": "2026-09-15T16:00:00Z", "Frequency": "ONCE", "IsLocalTime": true}},
			},
		}},
		// The campaign hook filters out shoppers with open support tickets.
		{appRetail, "camp.shop.hook", M{
			"Name": "Back in stock alerts (filtered)", "SegmentId": "${seg.shop.recent}",
			"Schedule":              M{"StartTime": "2026-08-01T18:00:00Z", "EndTime": "2027-01-31T18:00:00Z", "Frequency": "DAILY", "Timezone": "America/Los_Angeles"},
			"TemplateConfiguration": M{"EmailTemplate": tmpl(tBackInStock)},
			"Hook":                  M{"LambdaFunctionName": lambdaARN("northwind-open-ticket-filter"), "Mode": "FILTER"},
		}},
		// Custom channel: a webhook into the store associates' app.
		{appRetail, "camp.shop.custom", M{
			"Name": "Store associate clienteling", "SegmentId": "${seg.shop.goldPlus}",
			"Schedule":                    M{"StartTime": "2026-09-01T14:00:00Z", "EndTime": "2026-12-01T14:00:00Z", "Frequency": "WEEKLY", "Timezone": "America/Los_Angeles"},
			"CustomDeliveryConfiguration": M{"DeliveryUri": lambdaARN("northwind-clienteling-webhook"), "EndpointTypes": list("EMAIL", "SMS", "CUSTOM")},
			"MessageConfiguration":        M{"CustomMessage": M{"Data": `{"task":"call_customer","reason":"gold_tier_check_in","user":"{{User.UserId}}"}`}},
		}},
		// In-app onboarding carousel.
		{appRetail, "camp.shop.inapp", M{
			"Name": "App onboarding carousel", "SegmentId": "${seg.shop.ios5}", "Priority": 1,
			"Schedule": M{"StartTime": "2026-08-15T00:00:00Z", "EndTime": "2027-08-15T00:00:00Z", "Frequency": "IN_APP_EVENT",
				"EventFilter": M{"FilterType": "SYSTEM", "Dimensions": M{"EventType": set("INCLUSIVE", "_session.start")}}},
			"TemplateConfiguration": M{"InAppTemplate": tmpl(tOnboardInApp)},
			"Limits":                M{"Session": 1, "Daily": 1, "Total": 3},
		}},
		// Raw messages on every push platform, no template.
		{appRetail, "camp.shop.rawPush", M{
			"Name": "Trail conditions alert (raw push)", "SegmentId": "${seg.shop.seattle}",
			"Schedule": M{"StartTime": "2026-09-20T13:00:00Z", "Frequency": "ONCE", "Timezone": "America/Los_Angeles"},
			"MessageConfiguration": M{
				"DefaultMessage": M{"Title": "Trail alert", "Body": "Heavy rain expected on Cascade trails this weekend.", "Action": "OPEN_APP"},
				"APNSMessage":    M{"Title": "Trail alert", "Body": "Heavy rain expected this weekend.", "Action": "DEEP_LINK", "Url": "northwind://conditions", "MediaUrl": "https://cdn.northwind.example.com/wx/rain.png"},
				"GCMMessage":     M{"Title": "Trail alert", "Body": "Heavy rain expected this weekend.", "Action": "URL", "Url": "https://www.northwind.example.com/conditions", "ImageIconUrl": "https://cdn.northwind.example.com/icons/rain.png", "TimeToLive": 3600},
				"ADMMessage":     M{"Title": "Trail alert", "Body": "Heavy rain expected this weekend.", "Action": "OPEN_APP"},
				"BaiduMessage":   M{"Title": "步道提醒", "Body": "本周末喀斯喀特步道将有大雨。", "Action": "OPEN_APP"},
			},
		}},
		// Paused at creation: the win-back offer waits for legal review.
		{appRetail, "camp.shop.winback", M{
			"Name": "Win-back 20% offer", "SegmentId": "${seg.shop.winback}", "IsPaused": true,
			"Schedule":              M{"StartTime": "2026-10-01T15:00:00Z", "EndTime": "2026-12-31T15:00:00Z", "Frequency": "MONTHLY", "IsLocalTime": true},
			"TemplateConfiguration": M{"EmailTemplate": tmpl(tWelcomeEmail), "SMSTemplate": tmpl(tFlashSMS)},
			"MessageConfiguration":  M{"SMSMessage": M{"MessageType": "PROMOTIONAL"}},
		}},

		// Trailhead Rewards.
		{appRewards, "camp.rewards.tier", M{
			"Name": "Tier upgrade congratulations", "SegmentId": "${seg.rewards.all}",
			"Schedule": M{"StartTime": "2026-05-01T00:00:00Z", "EndTime": "2027-05-01T00:00:00Z", "Frequency": "EVENT", "EventFilter": M{
				"FilterType": "ENDPOINT", "Dimensions": M{"EventType": set("INCLUSIVE", "loyalty.tier_changed"),
					"Attributes": M{"newTier": attr("INCLUSIVE", "Gold", "Platinum")}}}},
			"TemplateConfiguration": M{"EmailTemplate": tmpl(tTierUpgrade)},
		}},
		{appRewards, "camp.rewards.expiring", M{
			"Name": "Points expiring reminder", "SegmentId": "${seg.rewards.expiring}",
			"Schedule":              M{"StartTime": "2026-07-01T16:00:00Z", "EndTime": "2027-07-01T16:00:00Z", "Frequency": "MONTHLY", "IsLocalTime": true, "QuietTime": M{"Start": "20:00", "End": "09:00"}},
			"TemplateConfiguration": M{"PushTemplate": tmpl(tPointsPush), "SMSTemplate": tmpl(tPointsSMS)},
			"MessageConfiguration":  M{"SMSMessage": M{"MessageType": "PROMOTIONAL", "SenderId": "TRAILHEAD"}},
		}},
		{appRewards, "camp.rewards.birthday", M{
			"Name": "Birthday bonus", "SegmentId": "${seg.rewards.birthday}",
			"Schedule":              M{"StartTime": "2026-06-01T15:00:00Z", "EndTime": "2027-06-01T15:00:00Z", "Frequency": "DAILY", "IsLocalTime": true},
			"TemplateConfiguration": M{"EmailTemplate": tmpl(tBirthday)},
			"Limits":                M{"Daily": 1, "Total": 1},
		}},
		{appRewards, "camp.rewards.doublePoints", M{
			"Name": "Double points weekend banner", "SegmentId": "${seg.rewards.app}", "Priority": 3,
			"Schedule": M{"StartTime": "2026-09-04T00:00:00Z", "EndTime": "2026-09-07T23:59:00Z", "Frequency": "IN_APP_EVENT",
				"EventFilter": M{"FilterType": "SYSTEM", "Dimensions": M{"EventType": set("INCLUSIVE", "_session.start", "rewards.opened")}}},
			"TemplateConfiguration": M{"InAppTemplate": tmpl(tRewardsBanner)},
			"MessageConfiguration":  M{"InAppMessage": M{"Layout": "BOTTOM_BANNER", "CustomConfig": M{"placement": "rewards-home"}}},
		}},

		// Northwind Pay: transactional.
		{appPay, "camp.pay.statement", M{
			"Name": "Monthly statement ready", "SegmentId": "${seg.pay.statements}",
			"Schedule":              M{"StartTime": "2026-01-03T13:00:00Z", "EndTime": "2027-12-03T13:00:00Z", "Frequency": "MONTHLY", "Timezone": "America/New_York"},
			"TemplateConfiguration": M{"EmailTemplate": tmpl(tStatement)},
			"Limits":                M{"MessagesPerSecond": 300},
		}},
		{appPay, "camp.pay.fraud", M{
			"Name": "Fraud check (event)", "SegmentId": "${seg.pay.fraud}",
			"Schedule": M{"StartTime": "2026-01-01T00:00:00Z", "EndTime": "2027-12-31T00:00:00Z", "Frequency": "EVENT", "EventFilter": M{
				"FilterType": "ENDPOINT", "Dimensions": M{"EventType": set("INCLUSIVE", "card.transaction_flagged"),
					"Metrics": M{"riskScore": metric("GREATER_THAN_OR_EQUAL", 0.8)}}}},
			"TemplateConfiguration": M{"SMSTemplate": tmpl(tFraudSMS), "PushTemplate": tmpl(tFraudPush), "VoiceTemplate": tmpl(tFraudVoice)},
			"MessageConfiguration":  M{"SMSMessage": M{"MessageType": "TRANSACTIONAL", "OriginationNumber": "${phone.tollfree.number}"}},
		}},
		{appPay, "camp.pay.due", M{
			"Name": "Payment due reminder", "SegmentId": "${seg.pay.due}",
			"Schedule":              M{"StartTime": "2026-09-25T14:00:00Z", "Frequency": "ONCE", "Timezone": "America/New_York"},
			"TemplateConfiguration": M{"SMSTemplate": tmpl(tPaymentSMS)},
			"MessageConfiguration":  M{"SMSMessage": M{"MessageType": "TRANSACTIONAL", "Body": "Northwind Pay: your payment is due on {{Attributes.dueDate}}."}},
			"Limits":                M{"Total": 1},
		}},
	}
	for _, d := range defs {
		b.ppID("CreateCampaign", M{"ApplicationId": "${" + d.app + "}", "WriteCampaignRequest": d.req}, d.save)
		b.camps = append(b.camps, metaOf("", d.app, d.save, d.req))
	}

	// Later edits give some campaigns more versions.
	upd := func(app, save string, req M) {
		b.pp("UpdateCampaign", M{"ApplicationId": "${" + app + "}", "CampaignId": "${" + save + "}", "WriteCampaignRequest": req})
	}
	b.camp("camp.shop.fallLaunch").start = "2026-09-09"
	upd(appRetail, "camp.shop.fallLaunch", M{"Schedule": M{"StartTime": "2026-09-09T16:00:00Z", "Frequency": "ONCE", "Timezone": "America/Los_Angeles"},
		"Description": "One-time announcement of the fall 2026 collection (moved a day for the app release)."})
	upd(appRetail, "camp.shop.ab", M{"HoldoutPercent": 15, "AdditionalTreatments": L{
		M{"SizePercent": 35, "TreatmentName": "Personalised", "TemplateConfiguration": M{"EmailTemplate": tmpl(tFallSaleEmailB)}},
		M{"SizePercent": 15, "TreatmentName": "Push instead", "TemplateConfiguration": M{"PushTemplate": tmpl(tFlashPush)},
			"Schedule": M{"StartTime": "2026-09-15T16:00:00Z", "Frequency": "ONCE", "IsLocalTime": true}},
	}})
	upd(appRetail, "camp.shop.dailyPush", M{"IsPaused": true, "Description": "Paused: push opt-outs spiked in August."})
	b.camp("camp.shop.dailyPush").pausedOn = "2026-08-28"
	upd(appRewards, "camp.rewards.expiring", M{"Limits": M{"Daily": 1, "Total": 12}})
	upd(appRewards, "camp.rewards.expiring", M{"Schedule": M{"StartTime": "2026-07-01T16:00:00Z", "EndTime": "2027-12-01T16:00:00Z", "Frequency": "MONTHLY",
		"IsLocalTime": true, "QuietTime": M{"Start": "20:00", "End": "09:00"}}})
}

// campMeta is what the analytics of a campaign depend on.
type campMeta struct {
	region, app, save string
	start, end        string // YYYY-MM-DD; end "" when open-ended
	frequency         string
	email             bool
	treatments        int
	pausedOn          string // YYYY-MM-DD the campaign stopped sending; "" if never
}

func metaOf(region, app, save string, req M) campMeta {
	sched, _ := req["Schedule"].(M)
	str := func(m M, k string) string { v, _ := m[k].(string); return v }
	day := func(ts string) string {
		if len(ts) >= 10 {
			return ts[:10]
		}
		return ""
	}
	tc, _ := req["TemplateConfiguration"].(M)
	_, email := tc["EmailTemplate"]
	treats, _ := req["AdditionalTreatments"].(L)
	m := campMeta{region: region, app: app, save: save, start: day(str(sched, "StartTime")), end: day(str(sched, "EndTime")),
		frequency: str(sched, "Frequency"), email: email, treatments: len(treats)}
	if p, _ := req["IsPaused"].(bool); p {
		m.pausedOn = m.start
	}
	return m
}

func (b *builder) camp(save string) *campMeta {
	for i := range b.camps {
		if b.camps[i].save == save {
			return &b.camps[i]
		}
	}
	panic("demoseed: no campaign " + save)
}
