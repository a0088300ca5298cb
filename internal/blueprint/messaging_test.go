package blueprint

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

// msgKinds are the step kinds of the destinations and originations stages.
var msgKinds = []string{KindSESConfigurationSet, KindSESEventDestination, KindEUMConfigurationSet, KindEUMEventDestination, KindPhoneNumberImport, KindEmailAddress}

const msgInstance = "arn:aws:connect:us-east-1:111122223333:instance/12345678-1234-1234-1234-123456789012"

func TestDestinationsFirehose(t *testing.T) {
	p, d := profPlan(t, profInventory(profApp("app1", "shop")), map[string]string{"us-east-1.event-role.app1": "arn:aws:iam::111122223333:role/events"})
	for _, s := range profSteps(p, msgKinds...) {
		profValidate(t, s, d)
	}
	cs := profStep(t, p, "ses-configuration-set/us-east-1/shop-cs")
	if cs.Action != NoOp || cs.Rollback.Policy != RollbackRetain {
		t.Errorf("existing SES configuration set: %+v", cs)
	}
	ses := profStep(t, p, "ses-event-destination/us-east-1/app1/shop-cs")
	if len(ses.WaitsOn) != 0 || ses.DependsOn[0] != cs.ID || !bytes.Contains(ses.Spec, []byte(`"DeliveryStreamArn":"arn:aws:firehose:us-east-1:111122223333:deliverystream/pinpoint-events"`)) ||
		!bytes.Contains(ses.Spec, []byte(`"IamRoleArn":"arn:aws:iam::111122223333:role/events"`)) {
		t.Errorf("SES event destination: %+v %s", ses, ses.Spec)
	}
	eum := profStep(t, p, "eum-event-destination/us-east-1/app1/sms-events")
	if eum.Rollback.Policy != RollbackDelete || !bytes.Contains(eum.Spec, []byte(`"MatchingEventTypes":["ALL"]`)) || len(eum.Findings) == 0 {
		t.Errorf("EUM event destination: %+v %s", eum, eum.Spec)
	}
	if q := profQuestion(t, d, "us-east-1.event-role.app1"); q.Suggested != "arn:aws:iam::111122223333:role/pinpoint-events" || q.Kind != KindARN {
		t.Errorf("role question: %+v", q)
	}
	// Originators are only read: no step touches a number, sender id, pool,
	// opt-out list or registration.
	for _, s := range p.Steps {
		if s.Service == "pinpoint-sms-voice-v2" && s.Operation != "CreateEventDestination" && s.Operation != "CreateConfigurationSet" {
			t.Errorf("step %s calls %s", s.ID, s.Operation)
		}
	}
}

func TestDestinationsKinesisNeedsDecision(t *testing.T) {
	app := profApp("app1", "shop")
	app.EventStream = profRaw(`{"ApplicationId":"app1","DestinationStreamArn":"arn:aws:kinesis:us-east-1:111122223333:stream/events","RoleArn":"arn:aws:iam::111122223333:role/pinpoint-events"}`)
	app.Channels["EMAIL"] = profRaw(`{"ApplicationId":"app1","Enabled":true,"FromAddress":"news@shop.example","Identity":"arn:aws:ses:us-east-1:111122223333:identity/shop.example"}`)
	inv := profInventory(app)
	inv.Regions[0].EUM.ConfigurationSets = nil
	p, d := profPlan(t, inv, nil)
	q := profQuestion(t, d, "us-east-1.event-destination.app1")
	if q.Kind != KindARN || q.Context == "" || q.Why == "" {
		t.Errorf("destination question: %+v", q)
	}
	ses := profStep(t, p, "ses-event-destination/us-east-1/app1/p2c-shop")
	if !strings.Contains(strings.Join(ses.WaitsOn, ","), "us-east-1.event-destination.app1") {
		t.Errorf("SES destination does not wait: %v", ses.WaitsOn)
	}
	// No configuration set anywhere: p2c creates one per service.
	profStep(t, p, "ses-configuration-set/us-east-1/app1/p2c-shop")
	profStep(t, p, "eum-configuration-set/us-east-1/app1/p2c-shop")
	eum := profStep(t, p, "eum-event-destination/us-east-1/app1/p2c-shop")
	if len(eum.DependsOn) != 1 || eum.DependsOn[0] != "eum-configuration-set/us-east-1/app1/p2c-shop" {
		t.Errorf("EUM destination depends on %v", eum.DependsOn)
	}
	for _, s := range profSteps(p, msgKinds...) {
		profValidate(t, s, d)
	}

	// An SNS topic needs no role.
	p, d = profPlan(t, inv, map[string]string{"us-east-1.event-destination.app1": "arn:aws:sns:us-east-1:111122223333:events"})
	for _, q := range d.Questions {
		if q.Key == "us-east-1.event-role.app1" {
			t.Errorf("role asked for an SNS destination")
		}
	}
	eum = profStep(t, p, "eum-event-destination/us-east-1/app1/p2c-shop")
	if !bytes.Contains(eum.Spec, []byte(`"SnsDestination":{"TopicArn":"arn:aws:sns:us-east-1:111122223333:events"}`)) || len(eum.WaitsOn) != 0 {
		t.Errorf("SNS destination: %s waits %v", eum.Spec, eum.WaitsOn)
	}
	for _, s := range profSteps(p, msgKinds...) {
		profValidate(t, s, d)
	}
}

func TestDestinationsSkipExisting(t *testing.T) {
	inv := profInventory(profApp("app1", "shop"))
	inv.Regions[0].EUM.ConfigurationSets[0].Object = profRaw(`{"ConfigurationSetName":"sms-events","EventDestinations":[{"EventDestinationName":"old","Enabled":true,"MatchingEventTypes":["ALL"],` +
		`"KinesisFirehoseDestination":{"IamRoleArn":"arn:aws:iam::111122223333:role/x","DeliveryStreamArn":"arn:aws:firehose:us-east-1:111122223333:deliverystream/pinpoint-events"}}]}`)
	p, _ := profPlan(t, inv, nil)
	if s := profSteps(p, KindEUMEventDestination); len(s) != 0 {
		t.Errorf("a destination to the same stream exists, yet: %+v", s)
	}
}

func TestDestinationsSeveralApps(t *testing.T) {
	a2 := profApp("app2", "blog")
	a2.EventStream = profRaw(`{"ApplicationId":"app2","DestinationStreamArn":"arn:aws:firehose:us-east-1:111122223333:deliverystream/blog","RoleArn":"arn:aws:iam::111122223333:role/blog"}`)
	inv := profInventory(profApp("app1", "shop"), a2)
	p, d := profPlan(t, inv, nil)
	q := profQuestion(t, d, "us-east-1.eum-event-app.sms-events")
	if q.Suggested != "app1" || len(q.Choices) != 3 {
		t.Errorf("app question: %+v", q)
	}
	eum := profStep(t, p, "eum-event-destination/us-east-1/app1/sms-events")
	if !strings.Contains(strings.Join(eum.WaitsOn, ","), "us-east-1.eum-event-app.sms-events") {
		t.Errorf("EUM destination does not wait on the app question: %v", eum.WaitsOn)
	}
	// The SES set both apps use is confirmed once, with both sources.
	if cs := profStep(t, p, "ses-configuration-set/us-east-1/shop-cs"); len(cs.Sources) != 2 {
		t.Errorf("shared SES set sources: %+v", cs.Sources)
	}
	p, _ = profPlan(t, inv, map[string]string{"us-east-1.eum-event-app.sms-events": "app2"})
	eum = profStep(t, p, "eum-event-destination/us-east-1/app2/sms-events")
	if !bytes.Contains(eum.Spec, []byte("deliverystream/blog")) {
		t.Errorf("answered app2, spec %s", eum.Spec)
	}
	p, _ = profPlan(t, inv, map[string]string{"us-east-1.eum-event-app.sms-events": "none"})
	if s := profSteps(p, KindEUMEventDestination); len(s) != 0 {
		t.Errorf("answered none, yet %d destinations", len(s))
	}
}

func TestOriginations(t *testing.T) {
	inv := profInventory(profApp("app1", "shop"))
	p, d := profPlan(t, inv, nil)
	if q := profQuestion(t, d, "us-east-1.import-number.phone-aaa"); q.Suggested != "yes" || q.Kind != KindChoice {
		t.Errorf("active number: %+v", q)
	}
	if q := profQuestion(t, d, "us-east-1.import-number.phone-bbb"); q.Suggested != "no" || !strings.Contains(q.Why, "PENDING") {
		t.Errorf("pending number: %+v", q)
	}
	for _, q := range d.Questions {
		if q.Key == "us-east-1.import-number.phone-ccc" {
			t.Errorf("an MMS-only number was offered for import")
		}
	}
	imp := profStep(t, p, "phone-number-import/us-east-1/phone-aaa")
	if imp.Rollback.Policy != RollbackRetain || !strings.Contains(strings.Join(imp.WaitsOn, ","), "us-east-1.import-number.phone-aaa") {
		t.Errorf("import step: %+v", imp)
	}
	if q := profQuestion(t, d, "us-east-1.email-address"); q.Suggested != "news@shop.example" || q.Kind != KindEmail {
		t.Errorf("email question: %+v", q)
	}
	for _, s := range profSteps(p, KindPhoneNumberImport, KindEmailAddress) {
		profValidate(t, s, d)
	}

	p, d = profPlan(t, inv, map[string]string{
		"us-east-1.connect-instance": msgInstance, "us-east-1.import-number.phone-aaa": "yes", "us-east-1.import-number.phone-bbb": "no",
		"us-east-1.email-address": "news@shop.example",
	})
	imp = profStep(t, p, "phone-number-import/us-east-1/phone-aaa")
	if len(imp.WaitsOn) != 0 || !bytes.Contains(imp.Spec, []byte(`"InstanceId":"12345678-1234-1234-1234-123456789012"`)) {
		t.Errorf("answered import: %+v %s", imp, imp.Spec)
	}
	if s := profSteps(p, KindPhoneNumberImport); len(s) != 1 {
		t.Errorf("answered no, yet %d imports", len(s))
	}
	em := profStep(t, p, "email-address/us-east-1/sender")
	var spec map[string]any
	_ = json.Unmarshal(em.Spec, &spec)
	if spec["EmailAddress"] != "news@shop.example" || spec["DisplayName"] != "Shop News" || len(em.WaitsOn) != 0 {
		t.Errorf("email address: %s waits %v", em.Spec, em.WaitsOn)
	}
	for _, s := range profSteps(p, msgKinds...) {
		profValidate(t, s, d)
	}
}

func TestOriginationsNotNeeded(t *testing.T) {
	app := profApp("app1", "shop")
	app.Campaigns = nil
	app.EventStream = nil
	p, d := profPlan(t, profInventory(app), nil)
	if s := profSteps(p, KindPhoneNumberImport, KindEmailAddress, KindSESEventDestination, KindEUMEventDestination); len(s) != 0 {
		t.Errorf("no campaigns or event stream, yet %d steps", len(s))
	}
	for _, q := range d.Questions {
		if strings.Contains(q.Key, "import-number") {
			t.Errorf("asked %s without SMS campaigns", q.Key)
		}
	}
}
