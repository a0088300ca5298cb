package demoseed

// set builds a SetDimension.
func set(typ string, values ...string) M { return M{"DimensionType": typ, "Values": list(values...)} }

// attr builds an AttributeDimension.
func attr(typ string, values ...string) M { return M{"AttributeType": typ, "Values": list(values...)} }

// metric builds a MetricDimension.
func metric(op string, v float64) M { return M{"ComparisonOperator": op, "Value": v} }

// seg records CreateSegment with plain dimensions and saves its id.
func (b *builder) seg(app, save, name string, dims M, tags M) {
	req := M{"Name": name, "Dimensions": dims}
	if tags != nil {
		req["tags"] = tags
	}
	b.ppID("CreateSegment", M{"ApplicationId": "${" + app + "}", "WriteSegmentRequest": req}, save)
}

// segGroups records CreateSegment with segment groups.
func (b *builder) segGroups(app, save, name, include string, groups ...M) {
	gl := make(L, len(groups))
	for i, g := range groups {
		gl[i] = g
	}
	b.ppID("CreateSegment", M{"ApplicationId": "${" + app + "}", "WriteSegmentRequest": M{
		"Name": name, "SegmentGroups": M{"Include": include, "Groups": gl}}}, save)
}

func ref(save string, version int) M {
	r := M{"Id": "${" + save + "}"}
	if version > 0 {
		r["Version"] = version
	}
	return r
}

func (b *builder) segments() {
	const shop = appRetail

	// Demographic: channel, platform, app version, make and model.
	b.seg(shop, "seg.shop.email", "All email subscribers", M{"Demographic": M{"Channel": set("INCLUSIVE", "EMAIL")}}, M{"team": "growth"})
	b.seg(shop, "seg.shop.ios5", "iOS app users on 5.2+", M{"Demographic": M{
		"Platform": set("INCLUSIVE", "iOS"), "AppVersion": set("INCLUSIVE", "5.2.0", "5.2.1", "5.3.0", "5.3.1"), "Make": set("INCLUSIVE", "Apple")}}, nil)
	b.seg(shop, "seg.shop.android", "Android users off legacy builds", M{"Demographic": M{
		"Platform": set("INCLUSIVE", "Android"), "AppVersion": set("EXCLUSIVE", "4.1.2", "4.9.8"),
		"Channel": set("INCLUSIVE", "GCM"), "DeviceType": set("EXCLUSIVE", "tablet"), "Model": set("EXCLUSIVE", "KFTRWI")}}, nil)
	b.seg(shop, "seg.shop.push", "Push-reachable devices", M{"Demographic": M{
		"Channel": set("INCLUSIVE", "APNS", "APNS_SANDBOX", "GCM", "ADM", "BAIDU")}}, nil)
	b.seg(shop, "seg.shop.sms", "SMS subscribers", M{"Demographic": M{"Channel": set("INCLUSIVE", "SMS")}}, nil)

	// Location: countries and a radius around the flagship store.
	b.seg(shop, "seg.shop.na", "US & Canada shoppers", M{"Location": M{"Country": set("INCLUSIVE", "US", "CA")}}, nil)
	b.seg(shop, "seg.shop.intl", "International shoppers", M{"Location": M{"Country": set("EXCLUSIVE", "US", "CA")}}, nil)
	b.seg(shop, "seg.shop.seattle", "Within 25 km of the Seattle flagship", M{"Location": M{
		"GPSPoint": M{"Coordinates": M{"Latitude": 47.6062, "Longitude": -122.3321}, "RangeInKilometers": 25}}}, nil)

	// Endpoint attributes, every attribute type.
	b.seg(shop, "seg.shop.outdoor", "Outdoor enthusiasts", M{"Attributes": M{"interests": attr("INCLUSIVE", "hiking", "camping")}}, nil)
	b.seg(shop, "seg.shop.notRunners", "Not into running", M{"Attributes": M{"interests": attr("EXCLUSIVE", "running", "trail-running")}}, nil)
	b.seg(shop, "seg.shop.seaStores", "Seattle-area store shoppers", M{"Attributes": M{"preferredStore": attr("CONTAINS", "SEA")}}, nil)
	b.seg(shop, "seg.shop.lapsed", "Lapsed purchasers (no order since June)", M{"Attributes": M{"lastPurchaseDate": attr("BEFORE", "2026-06-01T00:00:00Z")}}, nil)
	b.seg(shop, "seg.shop.recent", "Recent purchasers (since August)", M{"Attributes": M{"lastPurchaseDate": attr("AFTER", "2026-08-01T00:00:00Z")}}, nil)
	b.seg(shop, "seg.shop.launchDay", "Signed up on app launch day", M{"Attributes": M{"signupDate": attr("ON", "2026-03-15T00:00:00Z")}}, nil)
	b.seg(shop, "seg.shop.backToSchool", "Signed up during back-to-school", M{"Attributes": M{"signupDate": attr("BETWEEN", "2026-08-01T00:00:00Z", "2026-09-15T00:00:00Z")}}, nil)

	// User attributes and metrics.
	b.seg(shop, "seg.shop.goldPlus", "Gold and Platinum members", M{"UserAttributes": M{"LoyaltyTier": attr("INCLUSIVE", "Gold", "Platinum")}}, nil)
	b.seg(shop, "seg.shop.highValue", "High spenders (LTV 500+)", M{"Metrics": M{"lifetimeValue": metric("GREATER_THAN_OR_EQUAL", 500)}}, M{"team": "growth", "owner": "crm"})
	b.seg(shop, "seg.shop.frequent", "Frequent buyers", M{"Metrics": M{"purchases": metric("GREATER_THAN", 5), "sessions": metric("LESS_THAN_OR_EQUAL", 150)}}, nil)
	b.seg(shop, "seg.shop.firstOrder", "Exactly one purchase", M{"Metrics": M{"purchases": metric("EQUAL", 1)}}, nil)
	b.seg(shop, "seg.shop.cart", "Cart abandoners over 50 USD", M{
		"Attributes": M{"cartStatus": attr("INCLUSIVE", "abandoned")},
		"Metrics":    M{"cartValue": metric("GREATER_THAN", 50), "purchases": metric("LESS_THAN", 20)}}, nil)

	// Behaviour.
	b.seg(shop, "seg.shop.active7", "Active in the last 7 days", M{"Behavior": M{"Recency": M{"Duration": "DAY_7", "RecencyType": "ACTIVE"}}}, nil)
	b.seg(shop, "seg.shop.inactive30", "Inactive for 30 days", M{"Behavior": M{"Recency": M{"Duration": "DAY_30", "RecencyType": "INACTIVE"}}}, nil)

	// Updated segments: the outdoor audience grew twice, the high-spender
	// threshold moved once.
	b.pp("UpdateSegment", M{"ApplicationId": "${" + shop + "}", "SegmentId": "${seg.shop.outdoor}", "WriteSegmentRequest": M{
		"Name": "Outdoor enthusiasts", "Dimensions": M{"Attributes": M{"interests": attr("INCLUSIVE", "hiking", "camping", "climbing")}}}})
	b.pp("UpdateSegment", M{"ApplicationId": "${" + shop + "}", "SegmentId": "${seg.shop.outdoor}", "WriteSegmentRequest": M{
		"Name": "Outdoor enthusiasts", "Dimensions": M{"Attributes": M{"interests": attr("INCLUSIVE", "hiking", "camping", "climbing", "kayaking")},
			"Demographic": M{"Channel": set("INCLUSIVE", "EMAIL", "SMS", "APNS", "GCM")}}}})
	b.pp("UpdateSegment", M{"ApplicationId": "${" + shop + "}", "SegmentId": "${seg.shop.highValue}", "WriteSegmentRequest": M{
		"Name": "High spenders (LTV 750+)", "Dimensions": M{"Metrics": M{"lifetimeValue": metric("GREATER_THAN_OR_EQUAL", 750)}}}})

	// Segment groups and nested segments.
	b.segGroups(shop, "seg.shop.vipOutdoor", "VIP outdoor shoppers in North America", "ALL",
		M{"Type": "ALL", "SourceType": "ALL", "SourceSegments": L{ref("seg.shop.highValue", 0)},
			"Dimensions": L{M{"Attributes": M{"interests": attr("INCLUSIVE", "hiking", "camping", "climbing")}}}},
		M{"Type": "ANY", "Dimensions": L{M{"Location": M{"Country": set("INCLUSIVE", "US")}}, M{"Location": M{"Country": set("INCLUSIVE", "CA")}}}},
		M{"Type": "NONE", "Dimensions": L{M{"UserAttributes": M{"Employee": attr("INCLUSIVE", "true")}}}},
	)
	b.segGroups(shop, "seg.shop.winback", "Win-back audience", "ANY",
		M{"Type": "ALL", "SourceType": "ANY", "SourceSegments": L{ref("seg.shop.lapsed", 1), ref("seg.shop.inactive30", 0)},
			"Dimensions": L{M{"Demographic": M{"Channel": set("INCLUSIVE", "EMAIL")}}}},
		M{"Type": "ALL", "SourceType": "ALL", "SourceSegments": L{ref("seg.shop.highValue", 1)},
			"Dimensions": L{M{"Behavior": M{"Recency": M{"Duration": "DAY_14", "RecencyType": "INACTIVE"}}}}},
	)
	b.segGroups(shop, "seg.shop.marketable", "Marketable (no employees, no test devices)", "NONE",
		M{"Type": "ANY", "Dimensions": L{
			M{"UserAttributes": M{"Employee": attr("INCLUSIVE", "true")}},
			M{"Demographic": M{"Channel": set("INCLUSIVE", "APNS_SANDBOX")}},
		}},
	)
	b.segGroups(shop, "seg.shop.newsletter", "Newsletter audience", "ALL",
		M{"Type": "ALL", "SourceType": "ALL", "SourceSegments": L{ref("seg.shop.email", 1)}},
		M{"Type": "NONE", "SourceType": "ANY", "SourceSegments": L{ref("seg.shop.marketable", 0)},
			"Dimensions": L{M{"Location": M{"Country": set("INCLUSIVE", "CN")}}}},
	)
	// A later edit narrowed the newsletter audience to people with interests.
	b.pp("UpdateSegment", M{"ApplicationId": "${" + shop + "}", "SegmentId": "${seg.shop.newsletter}", "WriteSegmentRequest": M{
		"SegmentGroups": M{"Include": "ALL", "Groups": L{
			M{"Type": "ALL", "SourceType": "ALL", "SourceSegments": L{ref("seg.shop.email", 1)},
				"Dimensions": L{M{"Attributes": M{"interests": attr("EXCLUSIVE", "none")}}}},
		}}}})

	// Trailhead Rewards.
	const rw = appRewards
	b.seg(rw, "seg.rewards.all", "All reachable members", M{"Demographic": M{"Channel": set("INCLUSIVE", "EMAIL", "SMS", "APNS", "GCM")}}, nil)
	b.seg(rw, "seg.rewards.silver", "Silver members", M{"UserAttributes": M{"LoyaltyTier": attr("INCLUSIVE", "Silver")}}, nil)
	b.seg(rw, "seg.rewards.expiring", "Points expiring this quarter", M{
		"Metrics":    M{"pointsExpiring": metric("GREATER_THAN", 0)},
		"Attributes": M{"pointsExpiryDate": attr("BETWEEN", "2026-09-01T00:00:00Z", "2026-12-31T23:59:59Z")}}, nil)
	b.seg(rw, "seg.rewards.birthday", "Birthday this month (September)", M{"UserAttributes": M{"BirthMonth": attr("INCLUSIVE", "September")}}, nil)
	b.pp("UpdateSegment", M{"ApplicationId": "${" + rw + "}", "SegmentId": "${seg.rewards.birthday}", "WriteSegmentRequest": M{
		"Name": "Birthday this month (October)", "Dimensions": M{"UserAttributes": M{"BirthMonth": attr("INCLUSIVE", "October")}}}})
	b.segGroups(rw, "seg.rewards.upgrade", "Tier upgrade candidates", "ALL",
		M{"Type": "ALL", "SourceType": "ALL", "SourceSegments": L{ref("seg.rewards.silver", 0)},
			"Dimensions": L{M{"Metrics": M{"points": metric("GREATER_THAN_OR_EQUAL", 15000)}}}},
	)
	b.seg(rw, "seg.rewards.app", "Rewards app users", M{"Demographic": M{"Platform": set("INCLUSIVE", "iOS", "Android")},
		"Behavior": M{"Recency": M{"Duration": "HR_24", "RecencyType": "ACTIVE"}}}, nil)

	// Northwind Pay.
	const pay = appPay
	b.seg(pay, "seg.pay.sms", "Cardholders with SMS alerts", M{"Demographic": M{"Channel": set("INCLUSIVE", "SMS")},
		"Attributes": M{"alertPrefs": attr("CONTAINS", "payments")}}, M{"team": "payments"})
	b.seg(pay, "seg.pay.due", "Payment due within the cycle", M{"Attributes": M{"dueDate": attr("BETWEEN", "2026-09-01T00:00:00Z", "2026-09-30T23:59:59Z")}}, nil)
	b.seg(pay, "seg.pay.overdue", "Overdue accounts", M{"Metrics": M{"daysPastDue": metric("GREATER_THAN", 0)}}, nil)
	b.seg(pay, "seg.pay.fraud", "Fraud alert opt-ins", M{"Attributes": M{"alertPrefs": attr("INCLUSIVE", "fraud")},
		"Demographic": M{"Channel": set("INCLUSIVE", "SMS", "APNS", "APNS_VOIP", "GCM", "VOICE")}}, nil)
	b.seg(pay, "seg.pay.statements", "Paperless statements", M{"Attributes": M{"alertPrefs": attr("INCLUSIVE", "statements")},
		"Demographic": M{"Channel": set("INCLUSIVE", "EMAIL")}}, nil)
}
