package assess

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/p2c/p2c/internal/inventory"
)

// chn installs channels keyed by type.
func chnChannels(kv ...string) func(f *fixture) {
	return func(f *fixture) {
		f.app().Channels = map[string]json.RawMessage{}
		for i := 0; i+1 < len(kv); i += 2 {
			f.app().Channels[kv[i]] = raw(kv[i+1])
		}
	}
}

// both runs several setups in order.
func chnAll(fs ...func(f *fixture)) func(f *fixture) {
	return func(f *fixture) {
		for _, fn := range fs {
			fn(f)
		}
	}
}

// emailCampaign gives the app a campaign sending an email template.
func chnEmailCampaign(f *fixture) {
	f.app().Campaigns = append(f.app().Campaigns, inventory.Campaign{ID: "c1", Name: "promo", Object: raw(`{"Id":"c1","Name":"promo","SegmentId":"s1","SegmentVersion":1,"Schedule":{"StartTime":"IMMEDIATE","Frequency":"ONCE"},"TemplateConfiguration":{"EmailTemplate":{"Name":"promo"}},"State":{"CampaignStatus":"SCHEDULED"}}`)})
}

// iac records IaC provenance on the app.
func iacProv(ps ...inventory.Provenance) func(f *fixture) {
	return func(f *fixture) { f.app().Provenance = append(f.app().Provenance, ps...) }
}

func iacCFN(typ, addr string, line int) inventory.Provenance {
	return inventory.Provenance{Source: "stack.yaml", Kind: "cloudformation", Operation: typ, Address: addr, Line: line}
}

func iacTF(typ, addr string) inventory.Provenance {
	return inventory.Provenance{Source: "main.tf", Kind: "terraform", Operation: typ, Address: addr, Line: 3}
}

func evsFix(arn string) func(f *fixture) {
	return func(f *fixture) {
		f.app().EventStream = raw(`{"ApplicationId":"app1","DestinationStreamArn":"` + arn + `","RoleArn":"arn:aws:iam::123456789012:role/events"}`)
	}
}

func TestChannelRules(t *testing.T) {
	none := func(f *fixture) {}
	cases := []jrnCase{
		{"disabled", "CHN-DISABLED", chnChannels("SMS", `{"Platform":"SMS","Enabled":false}`), true, "", "", "disabled"},
		{"enabled", "CHN-DISABLED", chnChannels("SMS", `{"Platform":"SMS","Enabled":true}`), false, "", "", ""},

		{"apns token", "CHN-PUSH-CREDENTIAL", chnChannels("APNS", `{"Platform":"APNS","Enabled":true,"HasTokenKey":true,"DefaultAuthenticationMethod":"TOKEN"}`), true, "", "", "token key"},
		{"apns certificate", "CHN-PUSH-CREDENTIAL", chnChannels("APNS_SANDBOX", `{"Platform":"APNS_SANDBOX","Enabled":true,"HasTokenKey":false}`), true, "", "", "certificate"},
		{"fcm v1", "CHN-PUSH-CREDENTIAL", chnChannels("GCM", `{"Platform":"GCM","Enabled":true,"HasFcmServiceCredentials":true,"DefaultAuthenticationMethod":"TOKEN"}`), true, "", "", "service account JSON"},
		{"adm", "CHN-PUSH-CREDENTIAL", chnChannels("ADM", `{"Platform":"ADM","Enabled":true}`), true, "", "", "client secret"},
		{"gcm legacy", "CHN-PUSH-CREDENTIAL", chnChannels("GCM", `{"Platform":"GCM","Enabled":true,"DefaultAuthenticationMethod":"KEY"}`), false, "", "", ""},
		{"apns disabled", "CHN-PUSH-CREDENTIAL", chnChannels("APNS", `{"Platform":"APNS","Enabled":false}`), false, "", "", ""},
		{"legacy key", "CHN-GCM-LEGACY", chnChannels("GCM", `{"Platform":"GCM","Enabled":true,"DefaultAuthenticationMethod":"KEY"}`), true, "", "", "FCM v1"},
		{"fcm v1", "CHN-GCM-LEGACY", chnChannels("GCM", `{"Platform":"GCM","Enabled":true,"HasFcmServiceCredentials":true}`), false, "", "", ""},

		{"domain identity", "CHN-EMAIL-IDENTITY", chnChannels("EMAIL", `{"Platform":"EMAIL","Enabled":true,"FromAddress":"news@shop.example","Identity":"arn:aws:ses:us-east-1:123456789012:identity/shop.example"}`), true, "", "", "shop.example"},
		{"sms only", "CHN-EMAIL-IDENTITY", chnChannels("SMS", `{"Platform":"SMS","Enabled":true}`), false, "", "", ""},
		{"config set", "CHN-EMAIL-CONFIG-SET", chnChannels("EMAIL", `{"Platform":"EMAIL","Enabled":true,"ConfigurationSet":"tracking"}`), true, "", "", "tracking"},
		{"no config set", "CHN-EMAIL-CONFIG-SET", chnChannels("EMAIL", `{"Platform":"EMAIL","Enabled":true}`), false, "", "", ""},
		{"email campaigns", "CHN-EMAIL-ADDRESS", chnAll(chnChannels("EMAIL", `{"Platform":"EMAIL","Enabled":true,"FromAddress":"news@shop.example"}`), chnEmailCampaign), true, "", "", "domain shop.example"},
		{"transactional only", "CHN-EMAIL-ADDRESS", chnChannels("EMAIL", `{"Platform":"EMAIL","Enabled":true,"FromAddress":"news@shop.example"}`), false, "", "", ""},
		{"orchestration role", "CHN-EMAIL-ORCHESTRATION-ROLE", chnChannels("EMAIL", `{"Platform":"EMAIL","Enabled":true,"OrchestrationSendingRoleArn":"arn:aws:iam::123456789012:role/send"}`), true, "", "", "OrchestrationSendingRoleArn"},
		{"no role", "CHN-EMAIL-ORCHESTRATION-ROLE", chnChannels("EMAIL", `{"Platform":"EMAIL","Enabled":true}`), false, "", "", ""},
		{"sender id", "CHN-SMS-ORIGINATOR", chnChannels("SMS", `{"Platform":"SMS","Enabled":true,"SenderId":"SHOP"}`), true, "", "", `"SHOP"`},
		{"short code", "CHN-SMS-ORIGINATOR", chnChannels("SMS", `{"Platform":"SMS","Enabled":true,"ShortCode":"12345"}`), true, "", "", "12345"},
		{"no originator", "CHN-SMS-ORIGINATOR", chnChannels("SMS", `{"Platform":"SMS","Enabled":true}`), false, "", "", ""},
		{"reviewing", "CHN-SMS-REGISTRATION", chnAll(chnChannels("SMS", `{"Platform":"SMS","Enabled":true}`), func(f *fixture) {
			f.inv.Regions[0].EUM.Registrations = []inventory.Object{{ID: "registration-1", Object: raw(`{"RegistrationId":"registration-1","RegistrationType":"US_TEN_DLC_CAMPAIGN_REGISTRATION","RegistrationStatus":"REVIEWING"}`)}}
		}), true, "", "", "US_TEN_DLC_CAMPAIGN_REGISTRATION REVIEWING"},
		{"pending number", "CHN-SMS-REGISTRATION", chnAll(chnChannels("SMS", `{"Platform":"SMS","Enabled":true}`), func(f *fixture) {
			f.inv.Regions[0].EUM.PhoneNumbers = []inventory.Object{{ID: "phone-1", Object: raw(`{"PhoneNumberId":"phone-1","NumberType":"TOLL_FREE","Status":"PENDING"}`)}}
		}), true, "", "", "not ACTIVE"},
		{"complete", "CHN-SMS-REGISTRATION", chnAll(chnChannels("SMS", `{"Platform":"SMS","Enabled":true}`), func(f *fixture) {
			f.inv.Regions[0].EUM.Registrations = []inventory.Object{{ID: "registration-1", Object: raw(`{"RegistrationId":"registration-1","RegistrationType":"US_TEN_DLC_CAMPAIGN_REGISTRATION","RegistrationStatus":"COMPLETE"}`)}}
			f.inv.Regions[0].EUM.PhoneNumbers = []inventory.Object{{ID: "phone-1", Object: raw(`{"PhoneNumberId":"phone-1","NumberType":"TEN_DLC","Status":"ACTIVE"}`)}}
		}), false, "", "", ""},
		{"voice", "CHN-VOICE", chnChannels("VOICE", `{"Platform":"VOICE","Enabled":true}`), true, "", "", "telephony"},
		{"voice off", "CHN-VOICE", chnChannels("VOICE", `{"Platform":"VOICE","Enabled":false}`), false, "", "", ""},

		{"kinesis", "EVS-CONSUMERS", evsFix("arn:aws:kinesis:us-east-1:123456789012:stream/pinpoint-events"), true, "", "", "pinpoint-events"},
		{"no stream", "EVS-CONSUMERS", none, false, "", "", ""},
		{"kinesis", "EVS-SCHEMA", evsFix("arn:aws:kinesis:us-east-1:123456789012:stream/pinpoint-events"), true, "", "", "pinpoint-events"},
		{"no stream", "EVS-SCHEMA", none, false, "", "", ""},
		{"firehose", "EVS-FIREHOSE", evsFix("arn:aws:firehose:us-east-1:123456789012:deliverystream/to-s3"), true, "", "", "to-s3"},
		{"kinesis", "EVS-FIREHOSE", evsFix("arn:aws:kinesis:us-east-1:123456789012:stream/pinpoint-events"), false, "", "", ""},

		{"cfn segment", "IAC-PINPOINT", iacProv(iacCFN("AWS::Pinpoint::App", "App", 3), iacCFN("AWS::Pinpoint::Segment", "Vips", 9)), true, "", "", "DeletionPolicy: Retain on Vips"},
		{"tf event stream", "IAC-PINPOINT", iacProv(iacTF("aws_pinpoint_event_stream", "aws_pinpoint_event_stream.s")), true, "", "", "terraform state rm aws_pinpoint_event_stream.s"},
		{"app only", "IAC-PINPOINT", iacProv(iacTF("aws_pinpoint_app", "aws_pinpoint_app.main"), iacTF("aws_pinpointsmsvoicev2_opt_out_list", "aws_pinpointsmsvoicev2_opt_out_list.l")), false, "", "", ""},
		{"gcm channel", "IAC-PUSH-KEEP", iacProv(iacTF("aws_pinpoint_gcm_channel", "aws_pinpoint_gcm_channel.g")), true, "", "", "aws_pinpoint_gcm_channel.g"},
		{"segment only", "IAC-PUSH-KEEP", iacProv(iacCFN("AWS::Pinpoint::Segment", "Vips", 9)), false, "", "", ""},
		{"identity", "IAC-PINPOINT-EMAIL", chnAll(iacProv(iacCFN("AWS::Pinpoint::App", "App", 3)), func(f *fixture) {
			f.inv.Regions[0].PinpointEmail = []inventory.Object{{ID: "shop.example", Object: raw(`{"Type":"AWS::PinpointEmail::Identity","Properties":{"Name":"shop.example"}}`),
				Provenance: []inventory.Provenance{iacCFN("AWS::PinpointEmail::Identity", "Domain", 20)}}}
		}), true, "", "", "AWS::SES::EmailIdentity"},
		{"config set in provenance", "IAC-PINPOINT-EMAIL", iacProv(iacCFN("AWS::PinpointEmail::ConfigurationSet", "Cs", 5)), true, "", "", "AWS::SES::ConfigurationSet"},
		{"no pinpoint email", "IAC-PINPOINT-EMAIL", iacProv(iacCFN("AWS::Pinpoint::App", "App", 3)), false, "", "", ""},
	}
	jrnRunCases(t, cases)
}

// TestChannelMessagesCarryNoMailbox checks that an email-address identity
// and the from address appear only by domain.
func TestChannelMessagesCarryNoMailbox(t *testing.T) {
	f := newFixture()
	chnChannels("EMAIL", `{"Platform":"EMAIL","Enabled":true,"FromAddress":"jane.doe@shop.example","Identity":"arn:aws:ses:us-east-1:123456789012:identity/jane.doe@shop.example"}`)(f)
	chnEmailCampaign(f)
	a := f.assess(t)
	for _, fd := range a.Findings {
		if strings.Contains(fd.Message+fd.Action, "jane.doe") {
			t.Errorf("%s prints a mailbox: %s / %s", fd.Rule, fd.Message, fd.Action)
		}
	}
	if len(fired(a, "CHN-EMAIL-IDENTITY")) == 0 || len(fired(a, "CHN-EMAIL-ADDRESS")) == 0 {
		t.Fatalf("email rules did not fire: %+v", a.Findings)
	}
}
