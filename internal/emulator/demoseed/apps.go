package demoseed

import (
	"crypto/sha256"
	"encoding/base64"
	"strings"
)

// The apps (Pinpoint projects) and the names their ids are saved under.
const (
	appRetail  = "app.retail"  // Northwind Outfitters web and mobile shop
	appRewards = "app.rewards" // Trailhead Rewards, the loyalty programme
	appPay     = "app.pay"     // Northwind Pay, the store card's alerts
	appEU      = "app.eu"      // the European storefront, in eu-west-1
)

// fakePEM returns PEM-looking text that is obviously not a key: the body is
// derived from the label, so it is stable and unique per credential.
func fakePEM(kind, label string) string {
	var body strings.Builder
	sum := sha256.Sum256([]byte("northwind-fake/" + label))
	line := base64.StdEncoding.EncodeToString([]byte(strings.Repeat("FAKE-NOT-A-REAL-"+kind+"-", 2) + string(sum[:])))
	for i := 0; i < 4; i++ {
		body.WriteString(line[:64])
		body.WriteString("\n")
	}
	return "-----BEGIN " + kind + "-----\n" + body.String() + "-----END " + kind + "-----\n"
}

func (b *builder) apps() {
	type appDef struct {
		save, name string
		tags       M
	}
	for _, a := range []appDef{
		{appRetail, "Northwind Outfitters Shop", M{"team": "growth", "env": "prod", "cost-center": "CC-1042", "product": "shop"}},
		{appRewards, "Trailhead Rewards", M{"team": "loyalty", "env": "prod", "cost-center": "CC-1077", "product": "rewards"}},
		{appPay, "Northwind Pay Alerts", M{"team": "payments", "env": "prod", "cost-center": "CC-2210", "product": "pay", "data-classification": "confidential"}},
	} {
		b.ppID("CreateApp", M{"CreateApplicationRequest": M{"Name": a.name, "tags": a.tags}}, a.save)
	}
	// Tags added after creation, as a compliance sweep would.
	b.pp("TagResource", M{"ResourceArn": "arn:aws:mobiletargeting:" + Region + ":" + Account + ":apps/${app.pay}",
		"TagsModel": M{"tags": M{"pci-scope": "true", "owner": "pay-platform@northwind.example.com"}}})

	b.channels()
	b.settings()

	for _, es := range eventStreams {
		b.pp("PutEventStream", M{"ApplicationId": "${" + es.app + "}", "WriteEventStream": M{
			"DestinationStreamArn": kinesisARN(Region, es.stream), "RoleArn": iamRole("pinpoint-event-stream-" + es.stream)}})
	}
}

// eventStreams are the Kinesis data streams the home region's apps stream
// their events to (DemoAnswers names a Firehose stream after each).
var eventStreams = []struct{ app, stream string }{
	{appRetail, "northwind-shop-engagement"},
	{appRewards, "northwind-rewards-engagement"},
	{appPay, "northwind-pay-events"},
}

func (b *builder) channels() {
	email := func(app, from, domain, configSet string) {
		b.pp("UpdateEmailChannel", M{"ApplicationId": "${" + app + "}", "EmailChannelRequest": M{
			"Enabled": true, "FromAddress": from, "Identity": sesIdentity(Region, domain), "ConfigurationSet": configSet,
			"RoleArn": iamRole("pinpoint-ses-sending"), "OrchestrationSendingRoleArn": iamRole("pinpoint-orchestration-sending")}})
	}
	email(appRetail, "Northwind Outfitters <hello@northwind.example.com>", "northwind.example.com", "northwind-marketing")
	email(appRewards, "Trailhead Rewards <rewards@northwind.example.com>", "northwind.example.com", "northwind-rewards")
	email(appPay, "Northwind Pay <alerts@pay.northwind.example.com>", "pay.northwind.example.com", "northwind-transactional")

	b.pp("UpdateSmsChannel", M{"ApplicationId": "${" + appRetail + "}", "SMSChannelRequest": M{"Enabled": true, "SenderId": "NORTHWIND", "ShortCode": "61842"}})
	b.pp("UpdateSmsChannel", M{"ApplicationId": "${" + appRewards + "}", "SMSChannelRequest": M{"Enabled": true, "SenderId": "TRAILHEAD"}})
	b.pp("UpdateSmsChannel", M{"ApplicationId": "${" + appPay + "}", "SMSChannelRequest": M{"Enabled": true, "ShortCode": "72964"}})
	b.pp("UpdateVoiceChannel", M{"ApplicationId": "${" + appPay + "}", "VoiceChannelRequest": M{"Enabled": true}})
	b.pp("UpdateVoiceChannel", M{"ApplicationId": "${" + appRetail + "}", "VoiceChannelRequest": M{"Enabled": false}})

	// Shop: APNs with a token key, APNs sandbox with a certificate, FCM v1,
	// Baidu for the Chinese storefront app, ADM for Fire tablets.
	b.pp("UpdateApnsChannel", M{"ApplicationId": "${" + appRetail + "}", "APNSChannelRequest": M{
		"Enabled": true, "DefaultAuthenticationMethod": "TOKEN", "BundleId": "com.northwind.shop", "TeamId": "NW7XK3P2QA",
		"TokenKeyId": "K9F2Q7LM3Z", "TokenKey": fakePEM("PRIVATE KEY", "apns-token-shop")}})
	b.pp("UpdateApnsSandboxChannel", M{"ApplicationId": "${" + appRetail + "}", "APNSSandboxChannelRequest": M{
		"Enabled": true, "DefaultAuthenticationMethod": "CERTIFICATE",
		"Certificate": fakePEM("CERTIFICATE", "apns-sandbox-shop"), "PrivateKey": fakePEM("RSA PRIVATE KEY", "apns-sandbox-shop-key")}})
	b.pp("UpdateGcmChannel", M{"ApplicationId": "${" + appRetail + "}", "GCMChannelRequest": M{
		"Enabled": true, "DefaultAuthenticationMethod": "TOKEN", "ServiceJson": jsonString(M{
			"type": "service_account", "project_id": "northwind-shop-fake", "private_key_id": "0f1e2d3c4b5a69788796a5b4c3d2e1f0a1b2c3d4",
			"private_key": fakePEM("PRIVATE KEY", "fcm-shop"), "client_email": "firebase-adminsdk-fake@northwind-shop-fake.iam.gserviceaccount.com",
			"client_id": "104857600000000000001", "token_uri": "https://oauth2.googleapis.com/token"})}})
	b.pp("UpdateBaiduChannel", M{"ApplicationId": "${" + appRetail + "}", "BaiduChannelRequest": M{
		"Enabled": true, "ApiKey": "fakeBaiduApiKey0NorthwindShop01", "SecretKey": "fakeBaiduSecretKey0NorthwindShop"}})
	b.pp("UpdateAdmChannel", M{"ApplicationId": "${" + appRetail + "}", "ADMChannelRequest": M{
		"Enabled": true, "ClientId": "amzn1.application-oa2-client.fakenorthwindshop0000000001", "ClientSecret": "fake0adm0client0secret0northwind0shop0000000000000000"}})

	// Rewards: APNs with a certificate, legacy GCM server key.
	b.pp("UpdateApnsChannel", M{"ApplicationId": "${" + appRewards + "}", "APNSChannelRequest": M{
		"Enabled": true, "Certificate": fakePEM("CERTIFICATE", "apns-rewards"), "PrivateKey": fakePEM("RSA PRIVATE KEY", "apns-rewards-key")}})
	b.pp("UpdateGcmChannel", M{"ApplicationId": "${" + appRewards + "}", "GCMChannelRequest": M{
		"Enabled": true, "DefaultAuthenticationMethod": "KEY", "ApiKey": "AIzaFAKE-northwind-rewards-legacy-server-key0"}})

	// Pay: VoIP pushes wake the app for call-back verification.
	b.pp("UpdateApnsChannel", M{"ApplicationId": "${" + appPay + "}", "APNSChannelRequest": M{
		"Enabled": true, "DefaultAuthenticationMethod": "TOKEN", "BundleId": "com.northwind.pay", "TeamId": "NW7XK3P2QA",
		"TokenKeyId": "P4Y8R2T6W1", "TokenKey": fakePEM("PRIVATE KEY", "apns-token-pay")}})
	b.pp("UpdateApnsVoipChannel", M{"ApplicationId": "${" + appPay + "}", "APNSVoipChannelRequest": M{
		"Enabled": true, "DefaultAuthenticationMethod": "TOKEN", "BundleId": "com.northwind.pay.voip", "TeamId": "NW7XK3P2QA",
		"TokenKeyId": "V0IP5K3Y77", "TokenKey": fakePEM("PRIVATE KEY", "apns-voip-pay")}})
	b.pp("UpdateApnsVoipSandboxChannel", M{"ApplicationId": "${" + appPay + "}", "APNSVoipSandboxChannelRequest": M{
		"Enabled": false, "DefaultAuthenticationMethod": "CERTIFICATE",
		"Certificate": fakePEM("CERTIFICATE", "apns-voip-sandbox-pay"), "PrivateKey": fakePEM("RSA PRIVATE KEY", "apns-voip-sandbox-pay-key")}})
	b.pp("UpdateGcmChannel", M{"ApplicationId": "${" + appPay + "}", "GCMChannelRequest": M{
		"Enabled": true, "ServiceJson": jsonString(M{"type": "service_account", "project_id": "northwind-pay-fake",
			"private_key": fakePEM("PRIVATE KEY", "fcm-pay"), "client_email": "fcm-fake@northwind-pay-fake.iam.gserviceaccount.com"})}})
}

func (b *builder) settings() {
	b.pp("UpdateApplicationSettings", M{"ApplicationId": "${" + appRetail + "}", "WriteApplicationSettingsRequest": M{
		"CampaignHook":             M{"LambdaFunctionName": lambdaARN("northwind-shop-personalize-hook"), "Mode": "DELIVERY"},
		"CloudWatchMetricsEnabled": true, "EventTaggingEnabled": true,
		"Limits":        M{"Daily": 3, "MaximumDuration": 3600, "MessagesPerSecond": 200, "Total": 40, "Session": 2},
		"QuietTime":     M{"Start": "21:00", "End": "08:00"},
		"JourneyLimits": M{"DailyCap": 2, "TimeframeCap": M{"Cap": 6, "Days": 7}, "TotalCap": 60}}})
	b.pp("UpdateApplicationSettings", M{"ApplicationId": "${" + appRewards + "}", "WriteApplicationSettingsRequest": M{
		"CloudWatchMetricsEnabled": true,
		"Limits":                   M{"Daily": 2, "MaximumDuration": 7200, "MessagesPerSecond": 50, "Total": 25},
		"QuietTime":                M{"Start": "22:00", "End": "07:30"},
		"JourneyLimits":            M{"DailyCap": 1, "TimeframeCap": M{"Cap": 3, "Days": 7}}}})
	// Payment alerts must go out at any hour: no quiet time, high caps.
	b.pp("UpdateApplicationSettings", M{"ApplicationId": "${" + appPay + "}", "WriteApplicationSettingsRequest": M{
		"CampaignHook":             M{"LambdaFunctionName": lambdaARN("northwind-pay-consent-filter"), "Mode": "FILTER"},
		"CloudWatchMetricsEnabled": true,
		"Limits":                   M{"Daily": 0, "MaximumDuration": 600, "MessagesPerSecond": 500, "Total": 0},
		"JourneyLimits":            M{"DailyCap": 10, "TotalCap": 0}}})
}
