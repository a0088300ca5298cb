package target

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/p2c/p2c/internal/blueprint"
	"github.com/p2c/p2c/internal/emulator"
	"github.com/p2c/p2c/internal/emulator/emutest"
)

func TestCheckerFindsExistingResources(t *testing.T) {
	e := emulator.New(emulator.Options{})
	c := NewClient(emutest.Config(emutest.Serve(t, e.Server)))
	c.Sleep = func(time.Duration) {}
	ctx := context.Background()
	res, err := c.Call(ctx, "connect", "us-east-1", "CreateInstance", map[string]any{
		"IdentityManagementType": "CONNECT_MANAGED", "InstanceAlias": "p2c-test", "InboundCallsEnabled": true, "OutboundCallsEnabled": true})
	if err != nil {
		t.Fatal(err)
	}
	arn, _ := res.Output["Arn"].(string)
	if arn == "" {
		t.Fatalf("no instance ARN in %+v", res.Output)
	}
	chk := Checker{Client: c}
	if err := chk.Check(ctx, &blueprint.Question{Key: "us-east-1.connect-instance", Kind: "connect-instance-arn", Answer: arn}); err != nil {
		t.Errorf("existing instance refused: %v", err)
	}
	missing := strings.Replace(arn, arn[strings.LastIndex(arn, "/")+1:], "00000000-0000-0000-0000-000000000000", 1)
	err = chk.Check(ctx, &blueprint.Question{Key: "us-east-1.connect-instance", Kind: "connect-instance-arn", Answer: missing})
	if err == nil || !strings.Contains(err.Error(), "no such resource") {
		t.Errorf("missing instance: %v", err)
	}
	if err := chk.Check(ctx, &blueprint.Question{Key: "x", Kind: "choice", Answer: "shared"}); err != nil {
		t.Errorf("a non-ARN answer is not checked: %v", err)
	}
	// The whole decisions file through blueprint's entry point.
	d := &blueprint.Decisions{Questions: []*blueprint.Question{{Key: "us-east-1.connect-instance", Answer: missing}}}
	if _, err := blueprint.CheckExisting(ctx, d, chk); err == nil || !strings.Contains(err.Error(), "us-east-1.connect-instance") {
		t.Errorf("CheckExisting must name the key: %v", err)
	}
}
