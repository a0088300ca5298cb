package invseed

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/p2c/p2c/internal/emulator"
	"github.com/p2c/p2c/internal/emulator/emutest"
	"github.com/p2c/p2c/internal/inventory"
	"github.com/p2c/p2c/internal/source/live"
)

type (
	M = map[string]any
	L = []any
)

var clock = time.Date(2026, 9, 1, 12, 0, 0, 0, time.UTC)

func pp(op string, in M, save map[string]string) emulator.Call {
	return emulator.Call{Service: "pinpoint", Operation: op, Input: in, Save: save}
}

func sv(op string, in M, save map[string]string) emulator.Call {
	return emulator.Call{Service: "pinpoint-sms-voice-v2", Operation: op, Input: in, Save: save}
}

// sourceAccount is a small account that uses every kind of resource an
// inventory holds.
func sourceAccount() *emulator.Seed {
	role := "arn:aws:iam::111122223333:role/pinpoint"
	calls := []emulator.Call{
		// End User Messaging.
		sv("CreateOptOutList", M{"OptOutListName": "marketing"}, nil),
		sv("PutOptedOutNumber", M{"OptOutListName": "marketing", "OptedOutNumber": "+12065550100"}, nil),
		sv("CreateRegistration", M{"RegistrationType": "US_TEN_DLC_BRAND_REGISTRATION"}, map[string]string{"reg": "RegistrationId"}),
		sv("RequestPhoneNumber", M{"IsoCountryCode": "US", "MessageType": "PROMOTIONAL", "NumberType": "TEN_DLC", "NumberCapabilities": L{"SMS"},
			"OptOutListName": "marketing", "RegistrationId": "${reg}"}, map[string]string{"p1": "PhoneNumberId"}),
		sv("RequestPhoneNumber", M{"IsoCountryCode": "US", "MessageType": "PROMOTIONAL", "NumberType": "TOLL_FREE", "NumberCapabilities": L{"SMS", "VOICE"},
			"DeletionProtectionEnabled": true}, map[string]string{"p2": "PhoneNumberId"}),
		sv("RequestPhoneNumber", M{"IsoCountryCode": "CA", "MessageType": "TRANSACTIONAL", "NumberType": "LONG_CODE", "NumberCapabilities": L{"VOICE"}}, nil),
		sv("RequestSenderId", M{"SenderId": "SHOP", "IsoCountryCode": "GB", "MessageTypes": L{"TRANSACTIONAL"}}, nil),
		sv("RequestSenderId", M{"SenderId": "SHOPDE", "IsoCountryCode": "DE", "MessageTypes": L{"PROMOTIONAL"}}, nil),
		sv("CreatePool", M{"OriginationIdentity": "${p1}", "MessageType": "PROMOTIONAL"}, map[string]string{"pool": "PoolId"}),
		sv("AssociateOriginationIdentity", M{"PoolId": "${pool}", "OriginationIdentity": "${p2}"}, nil),
		sv("AssociateOriginationIdentity", M{"PoolId": "${pool}", "OriginationIdentity": "SHOPDE", "IsoCountryCode": "DE"}, nil),
		sv("PutKeyword", M{"OriginationIdentity": "${pool}", "Keyword": "JOIN", "KeywordMessage": "Welcome", "KeywordAction": "OPT_IN"}, nil),
		sv("PutKeyword", M{"OriginationIdentity": "${p2}", "Keyword": "HELP", "KeywordMessage": "Call us", "KeywordAction": "AUTOMATIC_RESPONSE"}, nil),
		sv("CreateConfigurationSet", M{"ConfigurationSetName": "events"}, nil),
		sv("CreateEventDestination", M{"ConfigurationSetName": "events", "EventDestinationName": "sns", "MatchingEventTypes": L{"TEXT_BLOCKED"},
			"SnsDestination": M{"TopicArn": "arn:aws:sns:us-east-1:111122223333:sms"}}, nil),

		// Recommender and templates.
		pp("CreateRecommenderConfiguration", M{"CreateRecommenderConfiguration": M{"Name": "picks",
			"RecommendationProviderUri":     "arn:aws:personalize:us-east-1:111122223333:campaign/picks",
			"RecommendationProviderRoleArn": role, "RecommendationsPerMessage": 3}}, map[string]string{"rec": "Id"}),
		pp("CreateEmailTemplate", M{"TemplateName": "welcome", "EmailTemplateRequest": M{"Subject": "Hi", "HtmlPart": "<p>v1</p>",
			"RecommenderId": "${rec}", "tags": M{"team": "crm"}}}, nil),
		pp("UpdateEmailTemplate", M{"TemplateName": "welcome", "CreateNewVersion": true, "EmailTemplateRequest": M{"Subject": "Hi", "HtmlPart": "<p>v2</p>", "RecommenderId": "${rec}"}}, nil),
		pp("UpdateEmailTemplate", M{"TemplateName": "welcome", "CreateNewVersion": true, "EmailTemplateRequest": M{"Subject": "Hello", "TextPart": "v3"}}, nil),
		pp("UpdateTemplateActiveVersion", M{"TemplateName": "welcome", "TemplateType": "EMAIL", "TemplateActiveVersionRequest": M{"Version": "2"}}, nil),
		pp("CreateSmsTemplate", M{"TemplateName": "otp", "SMSTemplateRequest": M{"Body": "Code {{code}}"}}, nil),
		pp("CreatePushTemplate", M{"TemplateName": "nudge", "PushNotificationTemplateRequest": M{"Default": M{"Title": "Hey", "Body": "Come back"}}}, nil),
		pp("CreateEmailTemplate", M{"TemplateName": "gone", "EmailTemplateRequest": M{"Subject": "x", "TextPart": "x"}}, nil),

		// The app.
		pp("CreateApp", M{"CreateApplicationRequest": M{"Name": "shop", "tags": M{"team": "growth"}}}, map[string]string{"app": "Id", "apparn": "Arn"}),
		pp("UpdateApplicationSettings", M{"ApplicationId": "${app}", "WriteApplicationSettingsRequest": M{
			"Limits": M{"Daily": 3, "MaximumDuration": 600}, "QuietTime": M{"Start": "22:00", "End": "07:00"}}}, nil),
		pp("PutEventStream", M{"ApplicationId": "${app}", "WriteEventStream": M{"DestinationStreamArn": "arn:aws:kinesis:us-east-1:111122223333:stream/pp", "RoleArn": role}}, nil),
		pp("UpdateSmsChannel", M{"ApplicationId": "${app}", "SMSChannelRequest": M{"Enabled": true, "SenderId": "SHOP"}}, nil),
		pp("UpdateEmailChannel", M{"ApplicationId": "${app}", "EmailChannelRequest": M{"FromAddress": "hi@example.com",
			"Identity": "arn:aws:ses:us-east-1:111122223333:identity/example.com", "ConfigurationSet": "cs"}}, nil),
		pp("UpdateApnsChannel", M{"ApplicationId": "${app}", "APNSChannelRequest": M{"TokenKey": "secret", "TokenKeyId": "k", "TeamId": "t", "BundleId": "b"}}, nil),
		pp("UpdateGcmChannel", M{"ApplicationId": "${app}", "GCMChannelRequest": M{"ServiceJson": "{}", "Enabled": false}}, nil),
		pp("UpdateAdmChannel", M{"ApplicationId": "${app}", "ADMChannelRequest": M{"ClientId": "c", "ClientSecret": "s"}}, nil),

		// Segments: a group segment is created before one of its sources
		// only exists in a later version, so creation order matters.
		pp("CreateSegment", M{"ApplicationId": "${app}", "WriteSegmentRequest": M{"Name": "ios", "tags": M{"k": "v"},
			"Dimensions": M{"Demographic": M{"Platform": M{"Values": L{"ios"}}}}}}, map[string]string{"ios": "Id"}),
		pp("UpdateSegment", M{"ApplicationId": "${app}", "SegmentId": "${ios}", "WriteSegmentRequest": M{"Name": "ios users",
			"Dimensions": M{"Demographic": M{"Platform": M{"Values": L{"ios", "ipados"}}}}}}, nil),
		pp("CreateSegment", M{"ApplicationId": "${app}", "WriteSegmentRequest": M{"Name": "gold",
			"Dimensions": M{"Attributes": M{"Plan": M{"Values": L{"gold"}}}}}}, map[string]string{"gold": "Id"}),
		pp("CreateSegment", M{"ApplicationId": "${app}", "WriteSegmentRequest": M{"Name": "gold ios",
			"SegmentGroups": M{"Include": "ALL", "Groups": L{M{"Type": "ALL", "SourceType": "ALL", "SourceSegments": L{M{"Id": "${ios}", "Version": 2}, M{"Id": "${gold}"}}}}}}},
			map[string]string{"goldios": "Id"}),
		{Service: "s3", Operation: "CreateBucket", Input: M{"Bucket": "imports"}},
		{Service: "s3", Operation: "PutObject", Input: M{"Bucket": "imports", "Key": "vip.csv", "Body": "ChannelType,Address,Id\nEMAIL,a@example.com,e1\nSMS,+12065550123,e2\n"}},
		pp("CreateImportJob", M{"ApplicationId": "${app}", "ImportJobRequest": M{"DefineSegment": true, "Format": "CSV", "RoleArn": role,
			"S3Url": "s3://imports/vip.csv", "SegmentName": "vip"}}, map[string]string{"vip": "Definition.SegmentId"}),

		// Campaigns: versions, a treatment, a template version, a template
		// deleted afterwards, and one on the imported segment.
		pp("CreateCampaign", M{"ApplicationId": "${app}", "WriteCampaignRequest": M{"Name": "promo", "SegmentId": "${goldios}", "SegmentVersion": 1,
			"Schedule":              M{"StartTime": "2026-10-01T10:00:00Z", "Frequency": "WEEKLY", "EndTime": "2026-12-01T10:00:00Z", "Timezone": "UTC"},
			"TemplateConfiguration": M{"EmailTemplate": M{"Name": "welcome", "Version": "3"}},
			"AdditionalTreatments": L{M{"SizePercent": 30, "TreatmentName": "B",
				"TemplateConfiguration": M{"EmailTemplate": M{"Name": "gone"}}}},
			"HoldoutPercent": 10, "tags": M{"c": "1"}}}, map[string]string{"promo": "Id"}),
		pp("UpdateCampaign", M{"ApplicationId": "${app}", "CampaignId": "${promo}", "WriteCampaignRequest": M{"Name": "promo 2", "SegmentId": "${goldios}", "SegmentVersion": 1,
			"Schedule": M{"StartTime": "2026-10-02T10:00:00Z", "Frequency": "WEEKLY", "EndTime": "2026-12-01T10:00:00Z", "Timezone": "UTC"},
			"Limits":   M{"Daily": 1}}}, nil),
		pp("DeleteEmailTemplate", M{"TemplateName": "gone"}, nil),
		pp("CreateCampaign", M{"ApplicationId": "${app}", "WriteCampaignRequest": M{"Name": "vip note", "SegmentId": "${vip}",
			"Schedule":              M{"StartTime": "IMMEDIATE", "Frequency": "ONCE"},
			"TemplateConfiguration": M{"SMSTemplate": M{"Name": "otp"}}}}, map[string]string{"vipnote": "Id"}),

		// Journeys in three states, with segment references in the start
		// condition and in a split.
		pp("CreateJourney", M{"ApplicationId": "${app}", "WriteJourneyRequest": M{"Name": "onboard", "StartActivity": "a1",
			"StartCondition": M{"SegmentStartCondition": M{"SegmentId": "${ios}"}},
			"Activities": M{
				"a1": M{"EMAIL": M{"TemplateName": "welcome", "TemplateVersion": "1", "NextActivity": "a2"}},
				"a2": M{"ConditionalSplit": M{"Condition": M{"Conditions": L{M{"SegmentCondition": M{"SegmentId": "${gold}"}}}},
					"TrueActivity": "a3", "FalseActivity": "a4"}},
				"a3": M{"SMS": M{"TemplateName": "otp"}},
				"a4": M{"Wait": M{"WaitTime": M{"WaitFor": "P1D"}}},
			}}}, map[string]string{"onboard": "Id"}),
		pp("UpdateJourneyState", M{"ApplicationId": "${app}", "JourneyId": "${onboard}", "JourneyStateRequest": M{"State": "ACTIVE"}}, nil),
		pp("CreateJourney", M{"ApplicationId": "${app}", "WriteJourneyRequest": M{"Name": "winback", "StartActivity": "w",
			"StartCondition": M{"SegmentStartCondition": M{"SegmentId": "${vip}"}},
			"Activities":     M{"w": M{"PUSH": M{"TemplateName": "nudge"}}}}}, map[string]string{"winback": "Id"}),
		pp("UpdateJourneyState", M{"ApplicationId": "${app}", "JourneyId": "${winback}", "JourneyStateRequest": M{"State": "ACTIVE"}}, nil),
		pp("UpdateJourneyState", M{"ApplicationId": "${app}", "JourneyId": "${winback}", "JourneyStateRequest": M{"State": "PAUSED"}}, nil),
		pp("TagResource", M{"ResourceArn": "${apparn}/journeys/${winback}", "TagsModel": M{"tags": M{"j": "x"}}}, nil),
		pp("CreateJourney", M{"ApplicationId": "${app}", "WriteJourneyRequest": M{"Name": "draft", "StartActivity": "d",
			"Activities": M{"d": M{"Holdout": M{"Percentage": 5}}}}}, nil),

		// A second, bare app.
		pp("CreateApp", M{"CreateApplicationRequest": M{"Name": "alerts"}}, nil),
	}
	// Analytics: 40 days of daily figures.
	var kpis L
	for d := range 40 {
		date := clock.AddDate(0, 0, -d-1).Format("2006-01-02")
		kpis = append(kpis,
			M{"resourceId": "${app}", "kpiName": "unique-deliveries", "date": date, "value": 100 + d},
			M{"resourceId": "${app}", "kpiName": "email-open-rate", "date": date, "value": 0.25 + float64(d%5)/100},
			M{"resourceId": "${promo}", "kpiName": "unique-deliveries", "date": date, "value": 10 + d%3},
			M{"resourceId": "${onboard}", "kpiName": "successful-delivery-rate", "date": date, "value": 0.9})
	}
	calls = append(calls, emulator.Call{Service: "emulator", Operation: "SeedMetrics", Input: M{
		"kpis": kpis,
		"campaignActivities": L{M{"campaignId": "${promo}", "activity": M{"Id": "act1", "ApplicationId": "${app}", "CampaignId": "${promo}",
			"Result": "SUCCESS", "State": "COMPLETED", "TotalEndpointCount": 40, "SuccessfulEndpointCount": 38, "TreatmentId": "0"}}},
		"journeyRuns": L{M{"journeyId": "${onboard}", "run": M{"RunId": "run1", "Status": "COMPLETED",
			"CreationTime": "2026-08-01T00:00:00Z", "LastUpdateTime": "2026-08-02T00:00:00Z"}}},
		"journeyMetrics": L{
			M{"journeyId": "${onboard}", "metrics": M{"ENDPOINT_PRODUCED": "40", "ENDPOINT_ENTERED": "38"}},
			M{"journeyId": "${onboard}", "activityId": "a1", "activityType": "EMAIL", "metrics": M{"SUCCESS": "37"}},
			M{"journeyId": "${onboard}", "runId": "run1", "metrics": M{"ENDPOINT_ENTERED": "38"}},
		},
	}})
	return &emulator.Seed{SeedVersion: emulator.SeedVersion, Region: "us-east-1", Calls: calls}
}

func newEmulator(t *testing.T) (*emulator.Emulator, string) {
	t.Helper()
	e := emulator.New(emulator.Options{})
	e.Pinpoint.SetClock(func() time.Time { return clock })
	return e, emutest.Serve(t, e.Server)
}

func scan(t *testing.T, url string, regions ...string) *inventory.Inventory {
	t.Helper()
	inv, err := live.Scan(context.Background(), emutest.Config(url), live.Options{Regions: regions,
		Now: func() time.Time { return clock }, KPIDays: 60, MaxBackoff: 20 * time.Millisecond})
	if err != nil {
		t.Fatalf("scan: %v", err)
	}
	for _, w := range inv.Warnings {
		t.Errorf("scan warning: %+v", w)
	}
	return inv
}

// roundTrip scans the emulator at url, rebuilds the inventory in a fresh
// emulator and scans that.
func roundTrip(t *testing.T, url string, regions ...string) (before, after *inventory.Inventory, seed *emulator.Seed, notes []string) {
	t.Helper()
	before = scan(t, url, regions...)
	// Through the file, as `p2c emulator --seed inventory.json` reads it.
	path := filepath.Join(t.TempDir(), "inventory.json")
	if err := inventory.Write(path, before); err != nil {
		t.Fatal(err)
	}
	inv, err := inventory.Read(path)
	if err != nil {
		t.Fatal(err)
	}
	seed, notes, err = FromInventory(inv)
	if err != nil {
		t.Fatalf("FromInventory: %v", err)
	}
	// The seed survives its own file format.
	raw, err := json.Marshal(seed)
	if err != nil {
		t.Fatal(err)
	}
	seedPath := filepath.Join(t.TempDir(), "seed.json")
	if err := os.WriteFile(seedPath, raw, 0o600); err != nil {
		t.Fatal(err)
	}
	if seed, err = emulator.LoadSeed(seedPath); err != nil {
		t.Fatalf("load generated seed: %v", err)
	}
	fresh, freshURL := newEmulator(t)
	if _, err := fresh.Apply(seed); err != nil {
		t.Fatalf("apply generated seed: %v", err)
	}
	return before, scan(t, freshURL, regions...), seed, notes
}

func TestRoundTrip(t *testing.T) {
	src, url := newEmulator(t)
	if _, err := src.Apply(sourceAccount()); err != nil {
		t.Fatalf("build source account: %v", err)
	}
	before, after, seed, notes := roundTrip(t, url)
	for _, n := range notes {
		t.Logf("note: %s", n)
	}
	t.Logf("%d calls", len(seed.Calls))

	// The inventory is what we meant to test against.
	r := before.Regions[0]
	if len(r.Apps) != 2 || len(r.Templates) != 3 || len(r.Recommenders) != 1 || len(r.EUM.PhoneNumbers) != 3 || len(r.EUM.Pools) != 1 {
		t.Fatalf("source inventory: %d apps, %d templates, %d recommenders, %d numbers, %d pools",
			len(r.Apps), len(r.Templates), len(r.Recommenders), len(r.EUM.PhoneNumbers), len(r.EUM.Pools))
	}

	compare(t, before, after)

	// The comparison is not blind: each of these changes to the rebuilt
	// inventory is caught.
	for name, mutate := range map[string]func(r *inventory.Region){
		"active version":   func(r *inventory.Region) { r.Templates[2].ActiveVersion = "3" },
		"template version": func(r *inventory.Region) { r.Templates[2].Versions = r.Templates[2].Versions[:2] },
		"journey state":    func(r *inventory.Region) { r.Apps[appIndex(r, "shop")].Journeys[0].State = "COMPLETED" },
		"segment version": func(r *inventory.Region) {
			a := &r.Apps[appIndex(r, "shop")]
			a.Segments[0].Versions = a.Segments[0].Versions[:0]
		},
		"channel": func(r *inventory.Region) { delete(r.Apps[appIndex(r, "shop")].Channels, "APNS") },
		"opted-out number": func(r *inventory.Region) {
			for i := range r.EUM.OptOutLists {
				r.EUM.OptOutLists[i].OptedOutNumbers = nil
			}
		},
		"kpis": func(r *inventory.Region) { r.Apps[appIndex(r, "shop")].KPIs = nil },
	} {
		var c inventory.Inventory
		raw, _ := json.Marshal(after)
		_ = json.Unmarshal(raw, &c)
		mutate(&c.Regions[0])
		if len(differences(t, before, &c)) == 0 {
			t.Errorf("changing the %s goes unnoticed", name)
		}
	}

	for _, want := range []string{
		`channel APNS has placeholder credentials`, `channel GCM has placeholder credentials`, `channel ADM has placeholder credentials`,
		`imported segment rebuilt from an empty file`, `endpoints are not in an inventory`,
		`template gone (EMAIL) is named by a campaign`, `rebuilt as a new number`, `registration`,
	} {
		if !containsNote(notes, want) {
			t.Errorf("no note says %q", want)
		}
	}
	for _, n := range notes {
		if strings.Contains(n, "SMS has placeholder") || strings.Contains(n, "EMAIL has placeholder") {
			t.Errorf("note about a channel without secrets: %s", n)
		}
	}
}

func appIndex(r *inventory.Region, name string) int {
	for i, a := range r.Apps {
		if a.Name == name {
			return i
		}
	}
	panic("no app " + name)
}

func containsNote(notes []string, s string) bool {
	for _, n := range notes {
		if strings.Contains(n, s) {
			return true
		}
	}
	return false
}

// TestRetiredNotes checks that what a retired Pinpoint kept from the scan
// shows in the notes, and that what was read is still rebuilt.
func TestRetiredNotes(t *testing.T) {
	src, url := newEmulator(t)
	if _, err := src.Apply(sourceAccount()); err != nil {
		t.Fatal(err)
	}
	src.SetOptions(emulator.Options{Retired: true})
	inv := scan(t, url)
	seed, notes, err := FromInventory(inv)
	if err != nil {
		t.Fatal(err)
	}
	if !containsNote(notes, "GetSegments was retired when scanned") {
		t.Errorf("notes: %q", notes)
	}
	fresh, _ := newEmulator(t)
	if _, err := fresh.Apply(seed); err != nil {
		t.Fatalf("apply: %v", err)
	}
}

// compare checks that two inventories hold the same account once ids,
// ARNs, numbers and timestamps are mapped through names.
func compare(t *testing.T, a, b *inventory.Inventory) {
	t.Helper()
	for _, d := range differences(t, a, b) {
		t.Error(d)
	}
}

func differences(t *testing.T, a, b *inventory.Inventory) []string {
	t.Helper()
	na, nb := normalize(t, a), normalize(t, b)
	var out []string
	for _, section := range sortedKeys(na) {
		if !reflect.DeepEqual(na[section], nb[section]) {
			ja, _ := json.MarshalIndent(na[section], "", " ")
			jb, _ := json.MarshalIndent(nb[section], "", " ")
			out = append(out, fmt.Sprintf("%s differs:\n%s", section, diff(string(ja), string(jb))))
		}
	}
	for _, section := range sortedKeys(nb) {
		if _, ok := na[section]; !ok {
			out = append(out, section+" is only in the rebuilt inventory")
		}
	}
	return out
}

func diff(a, b string) string {
	la, lb := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := range min(len(la), len(lb)) {
		if la[i] != lb[i] {
			lo, hi := max(0, i-8), min(i+8, len(la), len(lb))
			return fmt.Sprintf("at line %d\n--- scanned:\n%s\n--- rebuilt:\n%s", i+1, strings.Join(la[lo:hi], "\n"), strings.Join(lb[lo:hi], "\n"))
		}
	}
	return fmt.Sprintf("lengths %d and %d", len(la), len(lb))
}

// volatile members differ between any two accounts built from the same
// calls.
var volatile = map[string]bool{
	"CreationDate": true, "LastModifiedDate": true, "CreatedTimestamp": true, "OptedOutTimestamp": true, "LastEvaluatedTime": true,
	"RequestID": true, "scannedAt": true, "sources": true, "LastUpdatedBy": true,
	// Import jobs and definitions name the files the members came from.
	"importJobs": true, "ImportDefinition": true,
}

// normalize maps every id, ARN and assigned phone number to a token made
// of names, then drops volatile members and sorts lists, section by section.
func normalize(t *testing.T, inv *inventory.Inventory) map[string]any {
	t.Helper()
	repl := map[string]string{}
	for _, r := range inv.Regions {
		for _, a := range r.Apps {
			repl[a.ID] = "app:" + a.Name
			for _, s := range a.Segments {
				repl[s.ID] = "segment:" + a.Name + "/" + s.Name
			}
			for _, c := range a.Campaigns {
				repl[c.ID] = "campaign:" + a.Name + "/" + c.Name
			}
			for _, j := range a.Journeys {
				repl[j.ID] = "journey:" + a.Name + "/" + j.Name
			}
		}
		for _, rec := range r.Recommenders {
			var o struct{ Name string }
			_ = json.Unmarshal(rec.Object, &o)
			repl[rec.ID] = "recommender:" + o.Name
		}
		phones := map[string]string{}
		for _, p := range r.EUM.PhoneNumbers {
			var o struct {
				PhoneNumber, IsoCountryCode, NumberType, MessageType string
				NumberCapabilities                                   []string
			}
			_ = json.Unmarshal(p.Object, &o)
			tok := "phone:" + o.IsoCountryCode + "/" + o.NumberType + "/" + o.MessageType + "/" + strings.Join(o.NumberCapabilities, "+")
			repl[p.ID], repl[o.PhoneNumber], phones[p.ID] = tok, "number:"+tok, tok
		}
		for _, p := range r.EUM.Pools {
			var members []string
			for _, raw := range p.OriginationIdentities {
				var o struct{ OriginationIdentity string }
				_ = json.Unmarshal(raw, &o)
				members = append(members, firstNonEmpty(phones[o.OriginationIdentity], o.OriginationIdentity))
			}
			sort.Strings(members)
			repl[p.ID] = "pool:" + strings.Join(members, ",")
		}
		for _, reg := range r.EUM.Registrations {
			var o struct{ RegistrationType string }
			_ = json.Unmarshal(reg.Object, &o)
			repl[reg.ID] = "registration:" + o.RegistrationType
		}
	}
	delete(repl, "")
	raw, err := json.Marshal(inv)
	if err != nil {
		t.Fatal(err)
	}
	// Longest first, so an id inside an ARN is replaced whole.
	olds := sortedKeys(repl)
	sort.SliceStable(olds, func(i, j int) bool { return len(olds[i]) > len(olds[j]) })
	pairs := make([]string, 0, 2*len(olds))
	for _, o := range olds {
		pairs = append(pairs, o, repl[o])
	}
	text := strings.NewReplacer(pairs...).Replace(string(raw))
	var m map[string]any
	if err := json.Unmarshal([]byte(text), &m); err != nil {
		t.Fatal(err)
	}
	out := map[string]any{}
	for k, v := range m {
		if volatile[k] {
			continue
		}
		out[k] = scrub(v)
	}
	// One section per resource kind, so a failure says which.
	if regions, ok := out["regions"].([]any); ok {
		delete(out, "regions")
		for _, r := range regions {
			rm := r.(map[string]any)
			for k, v := range rm {
				if k == "apps" {
					for _, a := range v.([]any) {
						am := a.(map[string]any)
						for ak, av := range am {
							out["region "+rm["name"].(string)+" app "+am["name"].(string)+" "+ak] = av
						}
					}
					continue
				}
				if k == "eum" {
					for ek, ev := range v.(map[string]any) {
						out["region "+rm["name"].(string)+" eum "+ek] = ev
					}
					continue
				}
				out["region "+rm["name"].(string)+" "+k] = v
			}
		}
	}
	return out
}

// scrub drops volatile members, decodes JSON objects held as raw strings
// is not needed (inventory objects are JSON already), and sorts lists by
// their JSON text so that id order does not matter.
func scrub(v any) any {
	switch t := v.(type) {
	case map[string]any:
		out := map[string]any{}
		for k, x := range t {
			if volatile[k] {
				continue
			}
			out[k] = scrub(x)
		}
		return out
	case []any:
		out := make([]any, len(t))
		keys := make([]string, len(t))
		for i, x := range t {
			out[i] = scrub(x)
		}
		for i := range out {
			b, _ := json.Marshal(out[i])
			keys[i] = string(b)
		}
		idx := make([]int, len(out))
		for i := range idx {
			idx[i] = i
		}
		sort.SliceStable(idx, func(i, j int) bool { return keys[idx[i]] < keys[idx[j]] })
		sorted := make([]any, len(out))
		for i, k := range idx {
			sorted[i] = out[k]
		}
		return sorted
	}
	return v
}

func TestBadInventory(t *testing.T) {
	src, url := newEmulator(t)
	if _, err := src.Apply(sourceAccount()); err != nil {
		t.Fatal(err)
	}
	inv := scan(t, url)
	data, err := inventory.Marshal(inv)
	if err != nil {
		t.Fatal(err)
	}
	if !IsInventory(data) {
		t.Fatal("an inventory is not recognized as one")
	}
	if !IsInventory(data[:len(data)/2]) {
		t.Error("a truncated inventory is not recognized as one")
	}
	if IsInventory([]byte(`{"seedVersion":1,"calls":[]}`)) {
		t.Error("a seed file is taken for an inventory")
	}
	dir := t.TempDir()

	// Truncated: Read names it.
	trunc := filepath.Join(dir, "truncated.json")
	if err := os.WriteFile(trunc, data[:len(data)/2], 0o600); err != nil {
		t.Fatal(err)
	}
	_, err = inventory.Read(trunc)
	if err == nil || !strings.Contains(err.Error(), "truncated") {
		t.Errorf("truncated inventory: %v", err)
	}

	// Another schema version: Read refuses it, and so does FromInventory
	// when handed one built in memory.
	other := strings.Replace(string(data), `"schemaVersion": 1`, `"schemaVersion": 99`, 1)
	bad := filepath.Join(dir, "v99.json")
	if err := os.WriteFile(bad, []byte(other), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err = inventory.Read(bad)
	if !errors.Is(err, inventory.ErrSchemaVersion) || !strings.Contains(err.Error(), "99") {
		t.Errorf("schemaVersion 99: %v", err)
	}
	inv.SchemaVersion = 99
	if _, _, err := FromInventory(inv); !errors.Is(err, inventory.ErrSchemaVersion) {
		t.Errorf("FromInventory of schemaVersion 99: %v", err)
	}
	if _, _, err := FromInventory(nil); err == nil {
		t.Error("FromInventory(nil) succeeded")
	}
}
