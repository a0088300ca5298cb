package demoseed

// europe records the small European storefront app in eu-west-1: email
// only, one segment, one campaign.
func (b *builder) europe() {
	eu := func(op string, in M, save map[string]string) { b.add(EURegion, "pinpoint", op, in, save) }
	id := func(name string) map[string]string { return map[string]string{name: "Id"} }

	eu("CreateApp", M{"CreateApplicationRequest": M{"Name": "Northwind Outfitters EU", "tags": M{"team": "growth-eu", "env": "prod", "gdpr": "true"}}}, id(appEU))
	eu("UpdateEmailChannel", M{"ApplicationId": "${" + appEU + "}", "EmailChannelRequest": M{
		"Enabled": true, "FromAddress": "Northwind Outfitters <hallo@eu.northwind.example.com>", "Identity": sesIdentity(EURegion, "eu.northwind.example.com"),
		"ConfigurationSet": "northwind-eu"}}, nil)
	eu("UpdateApplicationSettings", M{"ApplicationId": "${" + appEU + "}", "WriteApplicationSettingsRequest": M{
		"QuietTime": M{"Start": "20:00", "End": "09:00"}, "Limits": M{"Daily": 1, "Total": 8}}}, nil)
	eu("PutEventStream", M{"ApplicationId": "${" + appEU + "}", "WriteEventStream": M{
		"DestinationStreamArn": "arn:aws:firehose:eu-west-1:" + Account + ":deliverystream/northwind-eu-engagement", "RoleArn": iamRole("pinpoint-event-stream-eu")}}, nil)

	g := gen{b}
	b.batches(appEU, EURegion, g.population(kindEU, "nw-eu", euEndpoints, euCities))

	eu("CreateSegment", M{"ApplicationId": "${" + appEU + "}", "WriteSegmentRequest": M{"Name": "EU newsletter subscribers", "Dimensions": M{
		"Location":    M{"Country": set("INCLUSIVE", "DE", "FR", "IE", "PL")},
		"Demographic": M{"Channel": set("INCLUSIVE", "EMAIL")}}}}, id("seg.eu.newsletter"))
	req := M{
		"Name": "EU monthly newsletter", "SegmentId": "${seg.eu.newsletter}",
		"Schedule":              M{"StartTime": "2026-07-06T08:00:00Z", "EndTime": "2027-07-06T08:00:00Z", "Frequency": "MONTHLY", "IsLocalTime": true, "QuietTime": M{"Start": "20:00", "End": "09:00"}},
		"TemplateConfiguration": M{"EmailTemplate": tmpl(tEUNewsletter)},
	}
	eu("CreateCampaign", M{"ApplicationId": "${" + appEU + "}", "WriteCampaignRequest": req}, id("camp.eu.newsletter"))
	b.camps = append(b.camps, metaOf(EURegion, appEU, "camp.eu.newsletter", req))
}
