package awsmodel

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"
)

func TestMatchRoutes(t *testing.T) {
	m := MustLoad("pinpoint")
	for _, tc := range []struct{ method, path, op string }{
		{"GET", "/v1/apps", "GetApps"},
		{"GET", "/v1/apps/abc/channels/email", "GetEmailChannel"},
		{"GET", "/v1/apps/abc/segments/s1/versions/2", "GetSegmentVersion"},
		{"GET", "/v1/templates/welcome/EMAIL/versions", "ListTemplateVersions"},
		{"GET", "/v1/templates/welcome/email", "GetEmailTemplate"},
		{"GET", "/v1/tags/" + url.PathEscape("arn:aws:mobiletargeting:us-east-1:1:apps/x"), "ListTagsForResource"},
	} {
		op, params, _ := m.Match(tc.method, tc.path)
		if op != tc.op {
			t.Errorf("%s %s: got %q, want %s (params %v)", tc.method, tc.path, op, tc.op, params)
		}
	}
	if op, _, methodOK := m.Match("PATCH", "/v1/apps"); op != "" || methodOK {
		t.Errorf("PATCH /v1/apps should match a path but no method, got %q %v", op, methodOK)
	}
	if op, _, methodOK := m.Match("GET", "/v2/nothing"); op != "" || !methodOK {
		t.Errorf("unknown path: got %q %v", op, methodOK)
	}
}

func TestValidate(t *testing.T) {
	m := MustLoad("pinpoint")
	var v any
	_ = json.Unmarshal([]byte(`{"Name": 3, "Dimensions": {"Demographic": {"Platform": {"DimensionType": "MAYBE", "Values": ["ios"]}}}}`), &v)
	probs := m.Validate("WriteSegmentRequest", v, false)
	got := ""
	for _, p := range probs {
		got += p.String() + "\n"
	}
	for _, want := range []string{"Name: expected a string", "Dimensions.Demographic.Platform.DimensionType: \"MAYBE\" is not one of INCLUSIVE, EXCLUSIVE"} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %q in\n%s", want, got)
		}
	}
	_ = json.Unmarshal([]byte(`{"Activities": {}}`), &v)
	if probs := m.Validate("WriteJourneyRequest", v, false); len(probs) != 1 || probs[0].Path != "Name" {
		t.Errorf("required Name: %v", probs)
	}
}

func TestPruneDropsSecrets(t *testing.T) {
	m := MustLoad("pinpoint")
	in := map[string]any{"ApplicationId": "a", "PrivateKey": "secret", "Certificate": "c", "HasCredential": true}
	out := m.Prune("APNSChannelResponse", in).(map[string]any)
	if _, ok := out["PrivateKey"]; ok {
		t.Errorf("prune kept a secret: %v", out)
	}
	if out["HasCredential"] != true {
		t.Errorf("prune dropped a response member: %v", out)
	}
}

func TestBuildRESTRequestWireNames(t *testing.T) {
	m := MustLoad("pinpoint")
	in := map[string]any{"ApplicationId": "app 1", "WriteJourneyRequest": map[string]any{"Name": "j", "Activities": map[string]any{
		"a": map[string]any{"MultiCondition": map[string]any{"Branches": []any{map[string]any{"Condition": map[string]any{"SegmentDimensions": map[string]any{}}}}}}}}}
	method, path, _, body, err := m.BuildRESTRequest("CreateJourney", in)
	if err != nil {
		t.Fatal(err)
	}
	if method != "POST" || path != "/v1/apps/app%201/journeys" {
		t.Errorf("got %s %s", method, path)
	}
	if !strings.Contains(string(body), `"segmentDimensions"`) || strings.Contains(string(body), `"SegmentDimensions"`) {
		t.Errorf("nested member not written with its wire name: %s", body)
	}
	if _, _, _, _, err := m.BuildRESTRequest("CreateJourney", map[string]any{"Nope": 1}); err == nil {
		t.Errorf("unknown member accepted")
	}
}
