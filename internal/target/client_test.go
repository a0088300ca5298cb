package target

import (
	"context"
	"testing"
	"time"

	"github.com/p2c/p2c/internal/emulator"
	"github.com/p2c/p2c/internal/emulator/emutest"
)

// TestClientAgainstEmulator drives a REST-JSON and a JSON 1.0 service
// through the model-driven client, signed like any SDK call.
func TestClientAgainstEmulator(t *testing.T) {
	e := emulator.New(emulator.Options{})
	c := NewClient(emutest.Config(emutest.Serve(t, e.Server)))
	c.Sleep = func(time.Duration) {}
	ctx := context.Background()
	res, err := c.Call(ctx, "pinpoint", "us-east-1", "CreateApp", map[string]any{"CreateApplicationRequest": map[string]any{"Name": "shop"}})
	if err != nil {
		t.Fatal(err)
	}
	app, _ := res.Output["ApplicationResponse"].(map[string]any)
	if app["Name"] != "shop" || app["Id"] == "" || res.RequestID == "" {
		t.Fatalf("output %+v", res)
	}
	_, err = c.Call(ctx, "pinpoint", "us-east-1", "GetSegment", map[string]any{"ApplicationId": app["Id"], "SegmentId": "nope"})
	if !IsCode(err, "NotFoundException") {
		t.Fatalf("want NotFoundException, got %v", err)
	}
	res, err = c.Call(ctx, "pinpoint-sms-voice-v2", "us-east-1", "CreateOptOutList", map[string]any{"OptOutListName": "marketing"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Output["OptOutListName"] != "marketing" {
		t.Fatalf("output %+v", res.Output)
	}
	_, err = c.Call(ctx, "pinpoint-sms-voice-v2", "us-east-1", "CreateOptOutList", map[string]any{"OptOutListName": "bad name!"})
	if !IsCode(err, "ValidationException", "ConflictException") {
		t.Fatalf("want a validation error, got %v", err)
	}
}

// TestClientRetriesThrottling: a throttled call is retried until it passes.
func TestClientRetriesThrottling(t *testing.T) {
	e := emulator.New(emulator.Options{})
	url := emutest.Serve(t, e.Server)
	e.SetOptions(emulator.Options{ErrorRate: 0.5})
	c := NewClient(emutest.Config(url))
	c.Sleep = func(time.Duration) {}
	c.MaxAttempts = 30
	for i := 0; i < 20; i++ {
		if _, err := c.Call(context.Background(), "pinpoint", "us-east-1", "GetApps", map[string]any{}); err != nil {
			t.Fatalf("call %d: %v", i, err)
		}
	}
}
