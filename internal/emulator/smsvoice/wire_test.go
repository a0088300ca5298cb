package smsvoice

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/p2c/p2c/internal/emulator/core"
)

// post sends a raw JSON 1.0 call, to check what the SDK would hide.
func (h *harness) post(t *testing.T, op, body string) (*http.Response, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest("POST", h.url+"/", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/x-amz-json-1.0")
	req.Header.Set("X-Amz-Target", "PinpointSMSVoiceV2."+op)
	req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/us-east-1/sms-voice/aws4_request, SignedHeaders=host, Signature=00")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("%s: %v: %s", op, err, b)
	}
	return resp, m
}

func TestWire(t *testing.T) {
	h := newHarness(t, core.Options{})
	resp, m := h.post(t, "CreateOptOutList", `{"OptOutListName":"wire"}`)
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/x-amz-json-1.0" {
		t.Fatalf("status %d, content type %q", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	if _, ok := m["CreatedTimestamp"].(float64); !ok {
		t.Fatalf("CreatedTimestamp = %#v, want an epoch number", m["CreatedTimestamp"])
	}
	_, m = h.post(t, "DescribeOptOutLists", `{}`)
	if _, ok := m["NextToken"]; ok {
		t.Fatalf("last page carries NextToken: %v", m)
	}
	resp, m = h.post(t, "DescribePools", `{"PoolIds":["pool-0"]}`)
	if resp.StatusCode != 400 || m["__type"] != "ResourceNotFoundException" || m["ResourceType"] != "pool" || m["ResourceId"] != "pool-0" {
		t.Fatalf("not found: %d %v", resp.StatusCode, m)
	}
	resp, m = h.post(t, "CreatePool", `{"MessageType":"TRANSACTIONAL"}`)
	if resp.StatusCode != 400 || m["__type"] != "ValidationException" || m["Reason"] != "FIELD_VALIDATION_FAILED" {
		t.Fatalf("missing member: %d %v", resp.StatusCode, m)
	}
	resp, m = h.post(t, "SendTextMessage", `{"DestinationPhoneNumber":"+12065550100"}`)
	if resp.StatusCode != 400 || m["Reason"] != "UNKNOWN_OPERATION" {
		t.Fatalf("unimplemented operation: %d %v", resp.StatusCode, m)
	}
}
