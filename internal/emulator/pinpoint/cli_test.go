package pinpoint_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/pinpoint"
	"github.com/aws/aws-sdk-go-v2/service/pinpoint/types"

	"github.com/p2c/p2c/internal/emulator"
	"github.com/p2c/p2c/internal/emulator/emutest"
)

// corpusDir is the shared corpus of real Pinpoint request bodies, beside
// the repository.
var corpusDir = filepath.Join("..", "..", "..", "..", "shared", "corpus", "pinpoint")

func readCorpus(t *testing.T, name string) map[string]any {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(corpusDir, name))
	if err != nil {
		t.Fatalf("read corpus file: %v", err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("corpus file %s: %v", name, err)
	}
	return m
}

// fillPlaceholders turns a documentation skeleton into a valid request:
// "A|B|C" enum lists become their first value, "string" stand-ins for
// references, dates and times become real ones, version 0 becomes 1, and
// the event-filter maps the docs show with the wrong value shapes get the
// shapes the model defines. refs maps member names to ids.
func fillPlaceholders(v any, key string, refs map[string]string) any {
	switch x := v.(type) {
	case map[string]any:
		for k, val := range x {
			x[k] = fillPlaceholders(val, k, refs)
		}
		if key == "Dimensions" {
			fixEventDims(x)
		}
		return x
	case []any:
		for i, val := range x {
			x[i] = fillPlaceholders(val, key, refs)
		}
		return x
	case string:
		if alt, _, ok := strings.Cut(x, "|"); ok {
			return strings.TrimSpace(alt)
		}
		if x != "string" {
			return x
		}
		if id, ok := refs[key]; ok {
			return id
		}
		switch key {
		case "StartTime":
			return "2030-01-01T09:00:00Z"
		case "EndTime":
			return "2030-06-01T09:00:00Z"
		case "Timezone":
			return "UTC"
		case "Start":
			return "22:00"
		case "End":
			return "07:00"
		case "RoleArn":
			return "arn:aws:iam::111122223333:role/pinpoint"
		}
		return x
	case float64:
		if x == 0 && (key == "Version" || key == "SegmentVersion") {
			return float64(1)
		}
	}
	return v
}

// fixEventDims rewrites EventDimensions members written as plain values
// ({"metricName": 0}, {"key": ["v"]}) into MetricDimension and
// AttributeDimension objects.
func fixEventDims(d map[string]any) {
	if _, ok := d["EventType"]; !ok {
		return
	}
	if m, ok := d["Metrics"].(map[string]any); ok {
		for k, val := range m {
			if n, ok := val.(float64); ok {
				m[k] = map[string]any{"ComparisonOperator": "GREATER_THAN_OR_EQUAL", "Value": n}
			}
		}
	}
	if m, ok := d["Attributes"].(map[string]any); ok {
		for k, val := range m {
			if l, ok := val.([]any); ok {
				m[k] = map[string]any{"AttributeType": "INCLUSIVE", "Values": l}
			}
		}
	}
}

// sameMembers checks that every member of sent is in got with an equal
// value. got is an SDK struct, read through its JSON form (Go field names
// are the wire member names, except tags). Members in skip are server-owned.
func sameMembers(t *testing.T, what string, sent map[string]any, sdk any, skip ...string) {
	t.Helper()
	b, err := json.Marshal(sdk)
	must(t, err, "encode SDK value")
	var got any
	must(t, json.Unmarshal(b, &got), "decode SDK value")
	skipped := map[string]bool{}
	for _, s := range skip {
		skipped[s] = true
	}
	var diffs []string
	compareJSON(&diffs, what, sent, got, skipped)
	sort.Strings(diffs)
	for _, d := range diffs {
		t.Error(d)
	}
}

func compareJSON(diffs *[]string, path string, sent, got any, skip map[string]bool) {
	switch s := sent.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			*diffs = append(*diffs, fmt.Sprintf("%s: sent an object, got %v", path, got))
			return
		}
		for k, sv := range s {
			if skip[k] {
				continue
			}
			gk := k
			if k == "tags" {
				gk = "Tags"
			}
			gv, ok := g[gk]
			if !ok || gv == nil {
				*diffs = append(*diffs, fmt.Sprintf("%s.%s: sent %v, got nothing", path, k, sv))
				continue
			}
			compareJSON(diffs, path+"."+k, sv, gv, skip)
		}
	case []any:
		g, ok := got.([]any)
		if !ok || len(g) != len(s) {
			*diffs = append(*diffs, fmt.Sprintf("%s: sent %v, got %v", path, s, got))
			return
		}
		for i := range s {
			compareJSON(diffs, fmt.Sprintf("%s[%d]", path, i), s[i], g[i], skip)
		}
	case string:
		g, _ := got.(string)
		if g == s {
			return
		}
		// Timestamps come back in the SDK's RFC 3339 form.
		ts, err1 := parseLoose(s)
		tg, err2 := parseLoose(g)
		if err1 == nil && err2 == nil && ts.Equal(tg) {
			return
		}
		*diffs = append(*diffs, fmt.Sprintf("%s: sent %q, got %v", path, s, got))
	default:
		if fmt.Sprint(sent) != fmt.Sprint(got) {
			*diffs = append(*diffs, fmt.Sprintf("%s: sent %v, got %v", path, sent, got))
		}
	}
}

func parseLoose(s string) (time.Time, error) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("not a time: %q", s)
}

func writeJSON(t *testing.T, dir, name string, v any) string {
	t.Helper()
	b, err := json.MarshalIndent(v, "", "  ")
	must(t, err, "encode "+name)
	p := filepath.Join(dir, name)
	must(t, os.WriteFile(p, b, 0o600), "write "+name)
	return "file://" + p
}

// skeletonJourney makes the CLI's generated create-journey skeleton valid:
// its one activity holding every kind becomes one activity per kind,
// chained through their next-activity members.
func skeletonJourney(t *testing.T, app, seg string) map[string]any {
	in := readCorpus(t, "generated/awscli-1.45.11-skeleton__pinpoint.create-journey.input.json")
	in["ApplicationId"] = app
	req := in["WriteJourneyRequest"].(map[string]any)
	acts := req["Activities"].(map[string]any)
	all := acts["KeyName"].(map[string]any)
	desc, _ := all["Description"].(string)
	var kinds []string
	for k := range all {
		if k != "Description" {
			kinds = append(kinds, k)
		}
	}
	sort.Strings(kinds)
	out := map[string]any{}
	for i, k := range kinds {
		body := all[k].(map[string]any)
		next := ""
		if i+1 < len(kinds) {
			next = "a-" + kinds[i+1]
		}
		for _, f := range []string{"NextActivity", "TrueActivity", "FalseActivity", "DefaultActivity"} {
			if _, ok := body[f]; ok {
				body[f] = next
			}
		}
		if br, ok := body["Branches"].([]any); ok {
			for _, b := range br {
				b.(map[string]any)["NextActivity"] = next
			}
		}
		out["a-"+k] = map[string]any{k: body, "Description": desc + k}
	}
	req["Activities"] = out
	req["Name"] = "cli skeleton"
	req["StartActivity"] = "a-" + kinds[0]
	for _, sc := range []string{"EventStartCondition", "SegmentStartCondition"} {
		req["StartCondition"].(map[string]any)[sc].(map[string]any)["SegmentId"] = seg
	}
	return in
}

// everyActivityJourney is a hand-written journey using each activity kind.
func everyActivityJourney(seg string) map[string]any {
	cond := map[string]any{"SegmentCondition": map[string]any{"SegmentId": seg}}
	return map[string]any{
		"Name": "every activity", "StartActivity": "entry", "State": "DRAFT", "LocalTime": true, "WaitForQuietTime": false, "RefreshOnSegmentUpdate": true,
		"RefreshFrequency": "PT1H", "TimezoneEstimationMethods": []any{"PHONE_NUMBER", "POSTAL_CODE"}, "SendingSchedule": false,
		"Limits":         map[string]any{"DailyCap": 3, "EndpointReentryCap": 1, "MessagesPerSecond": 50, "EndpointReentryInterval": "P1D", "TotalCap": 10, "TimeframeCap": map[string]any{"Cap": 2, "Days": 7}},
		"QuietTime":      map[string]any{"Start": "22:00", "End": "07:00"},
		"Schedule":       map[string]any{"StartTime": "2030-01-01T00:00:00Z", "EndTime": "2030-12-31T00:00:00Z", "Timezone": "UTC"},
		"StartCondition": map[string]any{"Description": "members of the segment", "SegmentStartCondition": map[string]any{"SegmentId": seg}},
		"JourneyChannelSettings": map[string]any{"ConnectCampaignArn": "arn:aws:connect:us-east-1:111122223333:instance/i/campaign/c",
			"ConnectCampaignExecutionRoleArn": "arn:aws:iam::111122223333:role/connect"},
		"Activities": map[string]any{
			"entry": map[string]any{"Description": "split on the segment", "ConditionalSplit": map[string]any{
				"Condition": map[string]any{"Operator": "ANY", "Conditions": []any{cond, map[string]any{"EventCondition": map[string]any{
					"Dimensions": map[string]any{"EventType": map[string]any{"DimensionType": "INCLUSIVE", "Values": []any{"purchase"}}}}}}},
				"EvaluationWaitTime": map[string]any{"WaitFor": "PT2H"}, "TrueActivity": "email", "FalseActivity": "holdout"}},
			"email": map[string]any{"EMAIL": map[string]any{"TemplateName": "cli-email", "TemplateVersion": "1", "NextActivity": "multi",
				"MessageConfig": map[string]any{"FromAddress": "shop@example.com"}}},
			"holdout": map[string]any{"Holdout": map[string]any{"Percentage": 10, "NextActivity": "random"}},
			"multi": map[string]any{"MultiCondition": map[string]any{"DefaultActivity": "wait",
				"EvaluationWaitTime": map[string]any{"WaitUntil": "2030-02-01T00:00:00Z"},
				"Branches": []any{
					map[string]any{"Condition": map[string]any{"SegmentDimensions": map[string]any{"Demographic": map[string]any{"Platform": map[string]any{"DimensionType": "INCLUSIVE", "Values": []any{"ios"}}}}}, "NextActivity": "push"},
					map[string]any{"Condition": cond, "NextActivity": "sms"},
				}}},
			"random": map[string]any{"RandomSplit": map[string]any{"Branches": []any{
				map[string]any{"Percentage": 50, "NextActivity": "sms"}, map[string]any{"Percentage": 50, "NextActivity": "custom"}}}},
			"push": map[string]any{"PUSH": map[string]any{"TemplateName": "cli-push", "MessageConfig": map[string]any{"TimeToLive": "3600"}, "NextActivity": "wait"}},
			"sms": map[string]any{"SMS": map[string]any{"TemplateName": "cli-sms", "NextActivity": "wait",
				"MessageConfig": map[string]any{"MessageType": "TRANSACTIONAL", "OriginationNumber": "+14255550100", "SenderId": "SHOP", "EntityId": "e", "TemplateId": "t"}}},
			"custom": map[string]any{"CUSTOM": map[string]any{"DeliveryUri": "arn:aws:lambda:us-east-1:111122223333:function:deliver", "EndpointTypes": []any{"SMS", "EMAIL"},
				"MessageConfig": map[string]any{"Data": `{"k":"v"}`}, "NextActivity": "contact"}},
			"contact": map[string]any{"ContactCenter": map[string]any{"NextActivity": "wait"}},
			"wait":    map[string]any{"Wait": map[string]any{"WaitTime": map[string]any{"WaitFor": "P1D"}}},
		},
	}
}

// TestCLICorpus seeds the emulator with the aws CLI from real request
// bodies and reads every member back with the SDK.
func TestCLICorpus(t *testing.T) {
	emutest.RequireCLI(t)
	if _, err := os.Stat(corpusDir); err != nil {
		t.Skipf("the Pinpoint corpus is not at %s (%v): skipping the CLI seeding test", corpusDir, err)
	}
	v := newEnv(t, emulator.Options{})
	app := v.app("cli")
	base := aws.ToString(v.segment(app, "base").Id)
	v.smsTemplate("cli-sms")
	_, err := v.pp.CreateEmailTemplate(ctx, &pinpoint.CreateEmailTemplateInput{TemplateName: aws.String("cli-email"), EmailTemplateRequest: &types.EmailTemplateRequest{HtmlPart: aws.String("<p>hi</p>")}})
	must(t, err, "create email template")
	_, err = v.pp.CreatePushTemplate(ctx, &pinpoint.CreatePushTemplateInput{TemplateName: aws.String("cli-push"), PushNotificationTemplateRequest: &types.PushNotificationTemplateRequest{Default: &types.DefaultPushNotificationTemplate{Body: aws.String("hi")}}})
	must(t, err, "create push template")
	v.bucket("cli-exports")
	dir := t.TempDir()
	refs := map[string]string{"Id": base, "SegmentId": base}

	// Each subtest makes one CLI call; they run in parallel against the
	// one emulator.
	t.Run("segment", func(t *testing.T) {
		t.Parallel()
		body := fillPlaceholders(readCorpus(t, "ppdg__CreateSegment.body.json"), "", refs).(map[string]any)
		body["Name"] = "corpus segment"
		out := emutest.CLI(t, v.url, "pinpoint", "create-segment", "--application-id", app, "--write-segment-request", writeJSON(t, dir, "segment.json", body))
		id := out.(map[string]any)["SegmentResponse"].(map[string]any)["Id"].(string)
		got, err := v.pp.GetSegment(ctx, &pinpoint.GetSegmentInput{ApplicationId: &app, SegmentId: &id})
		must(t, err, "get segment")
		sameMembers(t, "segment", body, got.SegmentResponse)
	})
	t.Run("campaign", func(t *testing.T) {
		t.Parallel()
		body := fillPlaceholders(readCorpus(t, "ppdg__CreateCampaign.body.json"), "", refs).(map[string]any)
		body["Name"] = "corpus campaign"
		out := emutest.CLI(t, v.url, "pinpoint", "create-campaign", "--application-id", app, "--write-campaign-request", writeJSON(t, dir, "campaign.json", body))
		id := out.(map[string]any)["CampaignResponse"].(map[string]any)["Id"].(string)
		got, err := v.pp.GetCampaign(ctx, &pinpoint.GetCampaignInput{ApplicationId: &app, CampaignId: &id})
		must(t, err, "get campaign")
		sameMembers(t, "campaign", body, got.CampaignResponse)
	})
	t.Run("settings", func(t *testing.T) {
		t.Parallel()
		body := fillPlaceholders(readCorpus(t, "ppdg__UpdateApplicationSettings.body.json"), "", refs).(map[string]any)
		emutest.CLI(t, v.url, "pinpoint", "update-application-settings", "--application-id", app, "--write-application-settings-request", writeJSON(t, dir, "settings.json", body))
		got, err := v.pp.GetApplicationSettings(ctx, &pinpoint.GetApplicationSettingsInput{ApplicationId: &app})
		must(t, err, "get settings")
		sameMembers(t, "settings", body, got.ApplicationSettingsResource)
	})
	t.Run("export job", func(t *testing.T) {
		t.Parallel()
		body := fillPlaceholders(readCorpus(t, "ppdg__CreateExportJob.body.json"), "", refs).(map[string]any)
		body["S3UrlPrefix"] = "s3://cli-exports/corpus/"
		out := emutest.CLI(t, v.url, "pinpoint", "create-export-job", "--application-id", app, "--export-job-request", writeJSON(t, dir, "export.json", body))
		id := out.(map[string]any)["ExportJobResponse"].(map[string]any)["Id"].(string)
		got, err := v.pp.GetExportJob(ctx, &pinpoint.GetExportJobInput{ApplicationId: &app, JobId: &id})
		must(t, err, "get export job")
		sameMembers(t, "export job definition", body, got.ExportJobResponse.Definition)
	})
	t.Run("sms template", func(t *testing.T) {
		t.Parallel()
		body := readCorpus(t, "awscli__create-sms-template.input.json")
		emutest.CLI(t, v.url, "pinpoint", "create-sms-template", "--template-name", "corpus-sms", "--sms-template-request", writeJSON(t, dir, "sms.json", body))
		got, err := v.pp.GetSmsTemplate(ctx, &pinpoint.GetSmsTemplateInput{TemplateName: aws.String("corpus-sms")})
		must(t, err, "get sms template")
		sameMembers(t, "sms template", body, got.SMSTemplateResponse)
	})
	t.Run("skeleton journey", func(t *testing.T) {
		t.Parallel()
		in := skeletonJourney(t, app, base)
		out := emutest.CLI(t, v.url, "pinpoint", "create-journey", "--cli-input-json", writeJSON(t, dir, "skeleton.json", in))
		id := out.(map[string]any)["JourneyResponse"].(map[string]any)["Id"].(string)
		got, err := v.pp.GetJourney(ctx, &pinpoint.GetJourneyInput{ApplicationId: &app, JourneyId: &id})
		must(t, err, "get journey")
		// CreationDate and LastModifiedDate are the service's to set.
		sameMembers(t, "skeleton journey", in["WriteJourneyRequest"].(map[string]any), got.JourneyResponse, "CreationDate", "LastModifiedDate")
	})
	t.Run("every activity journey", func(t *testing.T) {
		t.Parallel()
		body := everyActivityJourney(base)
		out := emutest.CLI(t, v.url, "pinpoint", "create-journey", "--application-id", app, "--write-journey-request", writeJSON(t, dir, "journey.json", body))
		id := out.(map[string]any)["JourneyResponse"].(map[string]any)["Id"].(string)
		got, err := v.pp.GetJourney(ctx, &pinpoint.GetJourneyInput{ApplicationId: &app, JourneyId: &id})
		must(t, err, "get journey")
		sameMembers(t, "journey", body, got.JourneyResponse)
		if n := len(got.JourneyResponse.Activities); n != 10 {
			t.Errorf("journey has %d activities, want 10", n)
		}
	})
}
