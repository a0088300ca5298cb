package campaigns_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/connectcampaignsv2"
	"github.com/aws/smithy-go"

	"github.com/p2c/p2c/internal/emulator/campaigns"
	"github.com/p2c/p2c/internal/emulator/core"
	"github.com/p2c/p2c/internal/emulator/emutest"
)

const (
	instanceID  = "11111111-2222-3333-4444-555555555555"
	instanceARN = "arn:aws:connect:us-east-1:111122223333:instance/" + instanceID
	phoneARN    = "arn:aws:connect:us-east-1:111122223333:phone-number/aaaaaaaa-1111-2222-3333-444444444444"
	templateARN = "arn:aws:wisdom:us-east-1:111122223333:message-template/0d9a7f0e-1b2c-4d3e-8f40-5a6b7c8d9e0f/1e2f3a4b-5c6d-4e7f-8091-a2b3c4d5e6f7"
	segARN      = "arn:aws:profile:us-east-1:111122223333:domains/acme/segment-definitions/gold_in_seattle"
	domARN      = "arn:aws:profile:us-east-1:111122223333:domains/acme"
	kbARN       = "arn:aws:wisdom:us-east-1:111122223333:knowledge-base/0d9a7f0e-1b2c-4d3e-8f40-5a6b7c8d9e0f"
	flowARN     = "arn:aws:connect:us-east-1:111122223333:instance/" + instanceID + "/contact-flow/flow-1"
)

type env struct {
	t   *testing.T
	url string
	svc *campaigns.Service
	srv *core.Server
	cli *connectcampaignsv2.Client
	ctx context.Context
}

func newEnv(t *testing.T, opts core.Options) *env {
	t.Helper()
	svc := campaigns.New()
	srv := core.NewServer(opts, svc)
	url := emutest.Serve(t, srv)
	cfg := emutest.Config(url)
	cfg.RetryMaxAttempts = 1
	return &env{t: t, url: url, svc: svc, srv: srv, cli: connectcampaignsv2.NewFromConfig(cfg), ctx: context.Background()}
}

// onboard onboards the test instance through the API.
func (e *env) onboard() {
	e.t.Helper()
	e.call("PUT", "/v2/connect-instance/"+instanceID+"/onboarding", `{"encryptionConfig":{"enabled":false}}`, 200)
}

// raw sends a request signed with a fake SigV4 header and returns the
// status, the error type header and the decoded body.
func (e *env) raw(method, path, body string) (int, string, map[string]any) {
	e.t.Helper()
	req, err := http.NewRequest(method, e.url+path, strings.NewReader(body))
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261130/us-east-1/connect-campaigns/aws4_request, SignedHeaders=host, Signature=0")
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var out map[string]any
	if len(bytes.TrimSpace(b)) > 0 {
		if err := json.Unmarshal(b, &out); err != nil {
			e.t.Fatalf("%s %s: body is not JSON: %s", method, path, b)
		}
	}
	return resp.StatusCode, resp.Header.Get("X-Amzn-ErrorType"), out
}

// call is raw with an expected status.
func (e *env) call(method, path, body string, want int) map[string]any {
	e.t.Helper()
	st, code, out := e.raw(method, path, body)
	if st != want {
		e.t.Fatalf("%s %s: status %d (%s %v), want %d", method, path, st, code, out, want)
	}
	return out
}

// wantErr checks a raw call fails with the status and error code.
func (e *env) wantErr(method, path, body string, status int, code string) map[string]any {
	e.t.Helper()
	st, got, out := e.raw(method, path, body)
	if st != status || got != code {
		e.t.Fatalf("%s %s %s: got %d %s %v, want %d %s", method, path, body, st, got, out, status, code)
	}
	if _, ok := out["message"].(string); !ok {
		e.t.Fatalf("%s %s: error body has no message: %v", method, path, out)
	}
	return out
}

// apiCode returns the error code of an SDK error.
func apiCode(t *testing.T, err error) string {
	t.Helper()
	if err == nil {
		t.Fatal("expected an error, got none")
	}
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		t.Fatalf("not an API error: %v", err)
	}
	return ae.ErrorCode()
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func js(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// smsCampaign is the reference's wire example (connect-target.md 4.2).
func smsCampaign(name string) map[string]any {
	return map[string]any{
		"name": name, "connectInstanceId": instanceID, "type": "MANAGED",
		"channelSubtypeConfig": map[string]any{"sms": map[string]any{"capacity": 1, "outboundMode": map[string]any{"agentless": map[string]any{}},
			"defaultOutboundConfig": map[string]any{"connectSourcePhoneNumberArn": phoneARN, "wisdomTemplateArn": templateARN}}},
		"source":   map[string]any{"customerProfilesSegmentArn": segARN},
		"schedule": map[string]any{"startTime": "2026-12-01T15:00:00Z", "endTime": "2099-12-31T23:00:00Z", "refreshFrequency": "P1D"},
		"communicationTimeConfig": map[string]any{"localTimeZoneConfig": map[string]any{"defaultTimeZone": "America/Los_Angeles", "localTimeZoneDetection": []any{"ZIP_CODE", "AREA_CODE"}},
			"sms": map[string]any{"openHours": map[string]any{"dailyHours": map[string]any{"MONDAY": []any{map[string]any{"startTime": "T09:00", "endTime": "T20:00"}}}}}},
		"communicationLimitsOverride": map[string]any{"allChannelSubtypes": map[string]any{"communicationLimitsList": []any{map[string]any{"maxCountPerRecipient": 2, "frequency": 7, "unit": "DAY"}}},
			"instanceLimitsHandling": "OPT_IN"},
		"tags": map[string]any{"owner": instanceARN},
	}
}

// create creates a campaign through raw HTTP and returns its id.
func (e *env) create(spec map[string]any) string {
	e.t.Helper()
	out := e.call("PUT", "/v2/campaigns", js(spec), 200)
	id, _ := out["id"].(string)
	if id == "" {
		e.t.Fatalf("CreateCampaign returned no id: %v", out)
	}
	return id
}

var _ = aws.String
