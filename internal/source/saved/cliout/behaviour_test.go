package cliout

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/p2c/p2c/internal/awsmodel"
	"github.com/p2c/p2c/internal/inventory"
)

// checkWire validates every object of a fragment against its output shape
// and fails on members the shape does not define (wire names, no CLI
// member names left over).
func checkWire(t *testing.T, inv *inventory.Inventory) {
	t.Helper()
	pp, sv := awsmodel.MustLoad("pinpoint"), awsmodel.MustLoad("pinpoint-sms-voice-v2")
	check := func(m *awsmodel.Model, shape string, raw json.RawMessage) {
		t.Helper()
		if raw == nil {
			return
		}
		var v any
		if err := json.Unmarshal(raw, &v); err != nil {
			t.Errorf("%s: %v", shape, err)
			return
		}
		for _, p := range m.Validate(shape, v, true) {
			if strings.Contains(p.Message, "not a known member") {
				t.Errorf("%s: %s", shape, p)
			}
		}
	}
	for _, r := range inv.Regions {
		for _, a := range r.Apps {
			check(pp, "ApplicationResponse", a.Object)
			check(pp, "ApplicationSettingsResource", a.Settings)
			check(pp, "EventStream", a.EventStream)
			check(pp, "ChannelsResponse", a.ChannelSummary)
			for typ, c := range a.Channels {
				check(pp, model().channelShape[typ], c)
			}
			for _, s := range a.Segments {
				for _, v := range s.Versions {
					check(pp, "SegmentResponse", v)
				}
			}
			for _, c := range a.Campaigns {
				for _, v := range c.Versions {
					check(pp, "CampaignResponse", v)
				}
				for _, x := range c.Activities {
					check(pp, "ActivityResponse", x.Object)
				}
			}
			for _, j := range a.Journeys {
				check(pp, "JourneyResponse", j.Object)
			}
			for _, j := range a.ExportJobs {
				check(pp, "ExportJobResponse", j.Object)
			}
			for _, j := range a.ImportJobs {
				check(pp, "ImportJobResponse", j.Object)
			}
		}
		for _, tm := range r.Templates {
			check(pp, "TemplateResponse", tm.Summary)
			check(pp, model().templateShape[tm.Type], tm.Object)
			for _, v := range tm.Versions {
				check(pp, "TemplateVersionResponse", v.Summary)
				check(pp, model().templateShape[tm.Type], v.Object)
			}
		}
		for _, x := range r.Recommenders {
			check(pp, "RecommenderConfigurationResponse", x.Object)
		}
		for _, x := range r.EUM.PhoneNumbers {
			check(sv, "PhoneNumberInformation", x.Object)
		}
		for _, x := range r.EUM.Pools {
			check(sv, "PoolInformation", x.Object)
		}
		for _, x := range r.EUM.OptOutLists {
			check(sv, "OptOutListInformation", x.Object)
		}
	}
}

func TestWrappedAndBareAgree(t *testing.T) {
	seg := `{"ApplicationId":"app1","Arn":"arn:aws:mobiletargeting:us-west-2:111122223333:apps/app1/segments/s1","Id":"s1","Name":"vip","SegmentType":"DIMENSIONAL","Version":%d,"CreationDate":"2026-01-01T00:00:00Z"}`
	v := func(n int) string { return strings.Replace(seg, "%d", itoa(n), 1) }
	files := map[string]string{
		"wrapped":  `{"SegmentsResponse": {"Item": [` + v(2) + `]}}` + "\n" + `{"SegmentsResponse": {"Item": [` + v(1) + "," + v(2) + `]}}`,
		"bare":     `{"Item": [` + v(2) + `], "NextToken": "x"}` + "\n" + `{"Item": [` + v(1) + "," + v(2) + `]}`,
		"items":    `[` + v(1) + `]` + "\n" + v(2),
		"segments": `{"SegmentResponse": ` + v(2) + "}\n" + `{"SegmentResponse": ` + v(1) + "}",
	}
	for name, content := range files {
		t.Run(name, func(t *testing.T) {
			if !Detect([]byte(content)) {
				t.Errorf("Detect = false")
			}
			inv := load(t, name, []byte(content))
			if len(inv.Warnings) > 0 {
				t.Errorf("warnings: %+v", inv.Warnings)
			}
			if len(inv.Regions) != 1 || inv.Regions[0].Name != "us-west-2" {
				t.Fatalf("regions: %+v", inv.Regions)
			}
			a := inv.Regions[0].Apps
			if len(a) != 1 || a[0].ID != "app1" || a[0].Object != nil || len(a[0].Segments) != 1 {
				t.Fatalf("apps: %+v", a)
			}
			s := a[0].Segments[0]
			if s.ID != "s1" || s.Version != 2 || len(s.Versions) != 2 || s.Name != "vip" {
				t.Fatalf("segment: %+v", s)
			}
			if !bytes.Contains(s.Versions[0], []byte(`"Version":1`)) || !bytes.Equal(s.Object, s.Versions[1]) {
				t.Errorf("versions out of order: %s", s.Versions)
			}
			if len(s.Provenance) == 0 || s.Provenance[0].Kind != Kind || s.Provenance[0].Line == 0 {
				t.Errorf("provenance: %+v", s.Provenance)
			}
		})
	}
}

func TestDetectRejects(t *testing.T) {
	dir := corpusDir(t)
	for _, name := range []string{
		"ppdg__Amazon_Pinpoint.postman_collection.json", "ppdg__CreateSegment.body.json", "ppdg__CreateCampaign.body.json",
		"ppdg__UpdateApplicationSettings.body.json", "ppdg__CreateExportJob.body.json", "awscli__create-sms-template.input.json",
		"rds__pinpoint-auto-workshop.requests.json", "cdsra__Phone_number_validate.yaml", "ppct__endpoints.csv",
		"generated/awscli-2.9.19-skeleton__pinpoint.create-segment.input.json",
		"generated/awscli-2.9.19-skeleton__pinpoint.create-journey.input.json",
		"generated/awscli-2.9.19-skeleton__pinpoint.update-endpoint.input.json",
	} {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if Detect(data) {
			t.Errorf("Detect(%s) = true", name)
		}
	}
	for _, s := range []string{
		`{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {"App": {"Type": "AWS::Pinpoint::App", "Properties": {"Name": "x"}}}}`,
		`{"schemaVersion": 1, "tool": "p2c", "regions": []}`,
		`{"Name": "vip", "Dimensions": {"Demographic": {"Channel": {"Values": ["SMS"]}}}, "tags": {}}`,
		`{"WriteSegmentRequest": {"Name": "vip"}}`,
		`{"Item": []}`,
		`"SegmentsResponse"`,
		``,
	} {
		if Detect([]byte(s)) {
			t.Errorf("Detect(%s) = true", s)
		}
	}
}

func TestTruncatedKeepsEarlierOutputs(t *testing.T) {
	app := `{
    "ApplicationResponse": {
        "Arn": "arn:aws:mobiletargeting:us-east-1:111122223333:apps/a1",
        "Id": "a1",
        "Name": "One"
    }
}
`
	broken := `{
    "SegmentsResponse": {
        "Item": [
            {
                "ApplicationId": "a1",
                "Id": "s1",`
	data := []byte(app + broken)
	if !Detect(data) {
		t.Errorf("Detect = false")
	}
	inv, err := Load("dump.json", data, readAt, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(inv.Regions) != 1 || len(inv.Regions[0].Apps) != 1 || inv.Regions[0].Apps[0].Name != "One" {
		t.Fatalf("the complete output before the break was lost: %+v", inv.Regions)
	}
	if len(inv.Warnings) != 1 || !strings.Contains(inv.Warnings[0].Message, "truncated") || inv.Warnings[0].Line != 13 || inv.Warnings[0].File != "dump.json" {
		t.Errorf("warnings: %+v", inv.Warnings)
	}
	// An interrupted output in the middle: the one after it is read too.
	data = []byte(broken + "\n" + app)
	inv, err = Load("mid.json", data, readAt, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(inv.Regions) != 1 || len(inv.Regions[0].Apps) != 1 || len(inv.Warnings) != 1 {
		t.Errorf("resync failed: %+v %+v", inv.Regions, inv.Warnings)
	}
	// Nothing parses: an error naming file and line.
	_, err = Load("bad.json", []byte(broken), readAt, Options{})
	if err == nil || !strings.Contains(err.Error(), "bad.json") || !strings.Contains(err.Error(), "line 6") {
		t.Errorf("err = %v", err)
	}
	if _, err := Load("empty.json", []byte("  \n"), readAt, Options{}); err == nil {
		t.Error("empty file: no error")
	}
}

func TestUnknownShapeWarns(t *testing.T) {
	data := []byte("{\"ApplicationResponse\": {\"Id\": \"a1\", \"Arn\": \"arn:aws:mobiletargeting:us-east-1:1:apps/a1\", \"Name\": \"x\"}}\n{\"Foo\": 1, \"Bar\": 2}\n[1]\n")
	inv := load(t, "mixed.json", data)
	var msgs []string
	for _, w := range inv.Warnings {
		msgs = append(msgs, w.File+":"+itoa(w.Line)+": "+w.Message)
	}
	sort.Strings(msgs)
	want := []string{
		"mixed.json:2: unknown CLI output shape: top-level members Bar, Foo",
		"mixed.json:3: unknown CLI output shape: a JSON number, not an object",
	}
	if strings.Join(msgs, "\n") != strings.Join(want, "\n") {
		t.Errorf("warnings:\n%s\nwant:\n%s", strings.Join(msgs, "\n"), strings.Join(want, "\n"))
	}
	if len(inv.Regions) != 1 || len(inv.Regions[0].Apps) != 1 {
		t.Errorf("app lost: %+v", inv.Regions)
	}
}

func TestSecretsNeverWritten(t *testing.T) {
	data := []byte(`{"APNSChannelResponse": {"ApplicationId": "a1", "Platform": "APNS", "Id": "apns", "Enabled": true,
  "PrivateKey": "-----BEGIN PRIVATE KEY-----SECRETPEM", "TokenKey": "SECRETTOKEN"}}
{"ChannelsResponse": {"Channels": {"GCM": {"ApplicationId": "a1", "Id": "gcm", "ApiKey": "SECRETAPIKEY", "ServiceJson": "SECRETJSON"}}}}
{"BaiduChannelResponse": {"ApplicationId": "a1", "Platform": "BAIDU", "ApiKey": "SECRETBAIDU", "SecretKey": "SECRETBAIDU2"}}`)
	inv := load(t, "chan.json", data)
	out, err := inventory.Marshal(inv)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(out, []byte("SECRET")) {
		t.Fatalf("a secret reached the fragment:\n%s", out)
	}
	if len(inv.Secrets) != 6 {
		t.Errorf("secrets: %+v", inv.Secrets)
	}
	a := inv.Regions[0].Apps[0]
	var apns map[string]any
	_ = json.Unmarshal(a.Channels["APNS"], &apns)
	if apns["HasCredential"] != true || apns["HasTokenKey"] != true {
		t.Errorf("flags: %v", apns)
	}
	if !bytes.Contains(a.ChannelSummary, []byte(`"HasFcmServiceCredentials":true`)) {
		t.Errorf("summary: %s", a.ChannelSummary)
	}
}

func TestEndpointsAreCountedNotStored(t *testing.T) {
	ep := func(id, addr string) string {
		return `{"ApplicationId":"a1","Id":"` + id + `","ChannelType":"SMS","Address":"` + addr + `","EndpointStatus":"ACTIVE","OptOut":"NONE","User":{"UserId":"u1"},"CreationDate":"2026-01-01T00:00:00Z"}`
	}
	data := []byte(`{"EndpointResponse": ` + ep("e1", "+12065550100") + "}\n" +
		`{"EndpointsResponse": {"Item": [` + ep("e1", "+12065550100") + "," + ep("e2", "+12065550101") + `]}}`)
	type sunk struct{ region, app string }
	var got []sunk
	inv, err := Load("eps.json", data, readAt, Options{DefaultRegion: "us-east-1", Endpoints: func(region, app string, e json.RawMessage) {
		got = append(got, sunk{region, app})
	}})
	if err != nil {
		t.Fatal(err)
	}
	out, _ := inventory.Marshal(inv)
	if bytes.Contains(out, []byte("+1206555")) {
		t.Fatalf("an endpoint address reached the fragment:\n%s", out)
	}
	st := inv.Regions[0].Apps[0].EndpointStats
	if st == nil || st.Total != 2 || st.Users != 1 || st.ByChannel["SMS"] != 2 {
		t.Errorf("stats: %+v", st)
	}
	if len(got) != 2 || got[0] != (sunk{"us-east-1", "a1"}) {
		t.Errorf("sink: %+v", got)
	}
}

func TestTemplates(t *testing.T) {
	data := []byte(`{"TemplatesResponse": {"Item": [{"Arn": "arn:aws:mobiletargeting:ap-south-1:1:templates/welcome/EMAIL", "TemplateName": "welcome", "TemplateType": "EMAIL", "Version": "2", "CreationDate": "x", "LastModifiedDate": "y"}]}}
{"TemplateVersionsResponse": {"Item": [{"TemplateName": "welcome", "TemplateType": "EMAIL", "Version": "1", "CreationDate": "x", "LastModifiedDate": "y"}, {"TemplateName": "welcome", "TemplateType": "EMAIL", "Version": "2", "CreationDate": "x", "LastModifiedDate": "y"}]}}
{"EmailTemplateResponse": {"Arn": "arn:aws:mobiletargeting:ap-south-1:1:templates/welcome/EMAIL", "TemplateName": "welcome", "TemplateType": "EMAIL", "Version": "2", "Subject": "Hi", "CreationDate": "x", "LastModifiedDate": "y"}}
{"EmailTemplateResponse": {"Arn": "arn:aws:mobiletargeting:ap-south-1:1:templates/welcome/EMAIL", "TemplateName": "welcome", "TemplateType": "EMAIL", "Version": "1", "Subject": "Hello", "CreationDate": "x", "LastModifiedDate": "y"}}`)
	inv := load(t, "tpl.json", data)
	r := inv.Regions[0]
	if r.Name != "ap-south-1" || len(r.Templates) != 1 {
		t.Fatalf("%+v", inv.Regions)
	}
	tm := r.Templates[0]
	if tm.ActiveVersion != "2" || !bytes.Contains(tm.Object, []byte(`"Subject":"Hi"`)) || tm.Summary == nil {
		t.Errorf("template: %+v", tm)
	}
	if len(tm.Versions) != 2 || tm.Versions[0].Summary == nil || !bytes.Contains(tm.Versions[0].Object, []byte("Hello")) {
		t.Errorf("versions: %+v", tm.Versions)
	}
}

func TestEUMOutputs(t *testing.T) {
	data := []byte(`{"PhoneNumbers": [{"PhoneNumberArn": "arn:aws:sms-voice:ca-central-1:1:phone-number/phone-1", "PhoneNumberId": "phone-1", "PhoneNumber": "+15555550100", "CreatedTimestamp": "2026-11-30T02:34:18.924000+00:00"}]}
{"Keywords": [{"Keyword": "STOP", "KeywordMessage": "bye", "KeywordAction": "OPT_OUT"}], "OriginationIdentity": "phone-1", "OriginationIdentityArn": "arn:aws:sms-voice:ca-central-1:1:phone-number/phone-1"}
{"OptedOutNumbers": [{"OptedOutNumber": "+15555550111", "OptedOutTimestamp": 1796006058.5, "EndUserOptedOut": true}], "OptOutListName": "default", "OptOutListArn": "arn:aws:sms-voice:ca-central-1:1:opt-out-list/default"}
{"OriginationIdentities": [{"OriginationIdentityArn": "arn:aws:sms-voice:ca-central-1:1:phone-number/phone-1", "OriginationIdentity": "phone-1", "IsoCountryCode": "CA", "NumberCapabilities": ["SMS"]}], "PoolId": "pool-1", "PoolArn": "arn:aws:sms-voice:ca-central-1:1:pool/pool-1"}
{"AccountAttributes": [{"Name": "ACCOUNT_TIER", "Value": "PRODUCTION"}]}`)
	if !Detect(data) {
		t.Error("Detect = false")
	}
	inv := load(t, "eum.json", data)
	if len(inv.Regions) != 1 || inv.Regions[0].Name != "ca-central-1" {
		t.Fatalf("%+v", inv.Regions)
	}
	e := inv.Regions[0].EUM
	if len(e.PhoneNumbers) != 1 || !bytes.Contains(e.PhoneNumbers[0].Object, []byte(`"CreatedTimestamp":1796006058.924`)) {
		t.Errorf("phone numbers: %+v (timestamps must be back in epoch seconds)", e.PhoneNumbers)
	}
	if len(e.Keywords) != 1 || len(e.Keywords[0].Keywords) != 1 || len(e.OptOutLists) != 1 || len(e.OptOutLists[0].OptedOutNumbers) != 1 ||
		len(e.Pools) != 1 || len(e.Pools[0].OriginationIdentities) != 1 {
		t.Errorf("eum: %+v", e)
	}
	if len(inv.Warnings) != 1 || !strings.Contains(inv.Warnings[0].Message, "DescribeAccountAttributes") {
		t.Errorf("warnings: %+v", inv.Warnings)
	}
}

func TestWireNames(t *testing.T) {
	// The CLI prints botocore member names; the inventory keeps wire names.
	data := []byte(`{"JourneyResponse": {"ApplicationId": "a1", "Id": "j1", "Name": "n", "StartCondition": {"SegmentStartCondition": {"SegmentId": "s"}},
  "Activities": {"c": {"ConditionalSplit": {"Condition": {"Conditions": [{"SegmentCondition": {"SegmentId": "s"}, "EventCondition": {"MessageActivity": "x"}}]}}},
  "m": {"MultiCondition": {"Branches": [{"Condition": {"SegmentDimensions": {"Demographic": {}}}}]}}}}}`)
	inv := load(t, "j.json", data)
	j := inv.Regions[0].Apps[0].Journeys[0]
	if !bytes.Contains(j.Object, []byte(`"segmentDimensions"`)) || bytes.Contains(j.Object, []byte(`"SegmentDimensions"`)) {
		t.Errorf("journey: %s", j.Object)
	}
	checkWire(t, inv)
}

func TestManyBrokenOutputsStayLinear(t *testing.T) {
	data := bytes.Repeat([]byte("{\"a\": [\n"), 200000)
	start := time.Now()
	_, err := Load("broken.json", data, readAt, Options{})
	if err == nil {
		t.Error("no error for a file where nothing parses")
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("took %s", d)
	}
}
