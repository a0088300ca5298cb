package sesv2_test

import (
	"strings"
	"testing"

	"github.com/p2c/p2c/internal/emulator/core"
	"github.com/p2c/p2c/internal/emulator/emutest"
)

// The CLI tests use the aws CLI (botocore's model, the GET list routes) as
// a second real client. Each aws process takes about a second, so the tests
// run in parallel and keep to the calls that show something new.

func cliEnv(t *testing.T) (*env, func(args ...string) map[string]any) {
	t.Helper()
	emutest.RequireCLI(t)
	t.Parallel()
	v := newEnv(t, core.Options{})
	return v, func(args ...string) map[string]any {
		t.Helper()
		out, _ := emutest.CLI(t, v.url, append([]string{"sesv2"}, args...)...).(map[string]any)
		return out
	}
}

func TestCLIIdentities(t *testing.T) {
	v, cli := cliEnv(t)
	out := cli("create-email-identity", "--email-identity", "example.com", "--tags", "Key=p2c:plan,Value=abc")
	if out["IdentityType"] != "DOMAIN" || out["VerifiedForSendingStatus"] != false {
		t.Fatalf("create-email-identity: %v", out)
	}
	cli("create-email-identity", "--email-identity", "news@example.com")
	v.svc.MarkVerified("us-east-1", "example.com")
	g := cli("get-email-identity", "--email-identity", "example.com")
	if g["VerificationStatus"] != "SUCCESS" || len(g["Tags"].([]any)) != 1 {
		t.Fatalf("get-email-identity: %v", g)
	}
	// sesv2 list operations have no CLI paginator: page by hand.
	page := cli("list-email-identities", "--page-size", "1")
	tok, _ := page["NextToken"].(string)
	next := cli("list-email-identities", "--page-size", "1", "--next-token", tok)
	if len(page["EmailIdentities"].([]any)) != 1 || tok == "" || next["EmailIdentities"].([]any)[0].(map[string]any)["IdentityName"] != "news@example.com" {
		t.Fatalf("list-email-identities: %v %v", page, next)
	}
	if a := cli("get-account"); a["ProductionAccessEnabled"] != false {
		t.Fatalf("get-account: %v", a)
	}
	out2, err := emutest.CLIRaw(t, v.url, "sesv2", "get-email-identity", "--email-identity", "missing.example")
	if err == nil || !strings.Contains(string(out2), "NotFoundException") {
		t.Fatalf("missing identity: %v %s", err, out2)
	}
}

func TestCLIConfigurationSets(t *testing.T) {
	v, cli := cliEnv(t)
	cli("create-configuration-set", "--configuration-set-name", "p2c-shop", "--tags", "Key=p2c:source,Value=pinpoint")
	cli("create-configuration-set-event-destination", "--configuration-set-name", "p2c-shop", "--event-destination-name", "p2c-events-a1",
		"--event-destination", `{"Enabled":true,"MatchingEventTypes":["SEND","BOUNCE","COMPLAINT","DELIVERY"],"SnsDestination":{"TopicArn":"arn:aws:sns:us-east-1:111122223333:events"}}`)
	d := cli("get-configuration-set-event-destinations", "--configuration-set-name", "p2c-shop")["EventDestinations"].([]any)
	if len(d) != 1 || d[0].(map[string]any)["SnsDestination"] == nil || d[0].(map[string]any)["Enabled"] != true {
		t.Fatalf("get-configuration-set-event-destinations: %v", d)
	}
	g := cli("get-configuration-set", "--configuration-set-name", "p2c-shop")
	if g["ConfigurationSetName"] != "p2c-shop" || len(g["Tags"].([]any)) != 1 {
		t.Fatalf("get-configuration-set: %v", g)
	}
	if l := cli("list-configuration-sets")["ConfigurationSets"].([]any); len(l) != 1 {
		t.Fatalf("list-configuration-sets: %v", l)
	}
	tags := cli("list-tags-for-resource", "--resource-arn", "arn:aws:ses:us-east-1:111122223333:configuration-set/p2c-shop")["Tags"].([]any)
	if len(tags) != 1 {
		t.Fatalf("list-tags-for-resource: %v", tags)
	}
	out, err := emutest.CLIRaw(t, v.url, "sesv2", "create-configuration-set", "--configuration-set-name", "p2c-shop")
	if err == nil || !strings.Contains(string(out), "AlreadyExistsException") {
		t.Fatalf("duplicate set: %v %s", err, out)
	}
}
