package connect_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/p2c/p2c/internal/emulator/core"
	"github.com/p2c/p2c/internal/emulator/emutest"
)

// The CLI tests drive the operations through the aws CLI, a second real
// client with its own serializers (botocore's model). Each aws process
// takes about a second, so the tests run in parallel and keep to the calls
// that show something the SDK tests do not.

type cliEnv struct {
	*env
	inst string
}

func newCLIEnv(t *testing.T) *cliEnv {
	t.Helper()
	emutest.RequireCLI(t)
	t.Parallel()
	v := &cliEnv{env: newEnv(t, core.Options{})}
	v.inst = v.cli("create-instance", "--identity-management-type", "CONNECT_MANAGED", "--instance-alias", "acme",
		"--inbound-calls-enabled", "--outbound-calls-enabled")["Id"].(string)
	return v
}

func (v *cliEnv) cli(args ...string) map[string]any {
	v.t.Helper()
	out, _ := emutest.CLI(v.t, v.url, append([]string{"connect"}, args...)...).(map[string]any)
	return out
}

func TestCLIInstancesAndNumbers(t *testing.T) {
	v := newCLIEnv(t)
	v.cli("update-instance-attribute", "--instance-id", v.inst, "--attribute-type", "HIGH_VOLUME_OUTBOUND", "--value", "true")
	// --page-size makes the CLI page through the list.
	attrs := v.cli("list-instance-attributes", "--instance-id", v.inst, "--page-size", "3")["Attributes"].([]any)
	if len(attrs) != 13 || !strings.Contains(fmt.Sprint(attrs), "map[AttributeType:HIGH_VOLUME_OUTBOUND Value:true]") {
		t.Fatalf("list-instance-attributes: %v", attrs)
	}
	var first string
	for i := range 2 {
		out := v.cli("import-phone-number", "--instance-id", v.inst, "--source-phone-number-arn", eumARN(fmt.Sprint(i)),
			"--phone-number-description", "Imported by p2c", "--tags", "p2c:plan=abc")
		if i == 0 {
			first = out["PhoneNumberId"].(string)
		}
	}
	s := v.cli("describe-phone-number", "--phone-number-id", first)["ClaimedPhoneNumberSummary"].(map[string]any)
	if s["SourcePhoneNumberArn"] != eumARN("0") || s["InstanceId"] != v.inst || s["Tags"].(map[string]any)["p2c:plan"] != "abc" {
		t.Fatalf("describe-phone-number: %v", s)
	}
	if l := v.cli("list-phone-numbers-v2", "--instance-id", v.inst, "--page-size", "1")["ListPhoneNumbersSummaryList"].([]any); len(l) != 2 {
		t.Fatalf("list-phone-numbers-v2: %v", l)
	}
	out, err := emutest.CLIRaw(t, v.url, "connect", "import-phone-number", "--instance-id", v.inst, "--source-phone-number-arn", "arn:aws:sns:us-east-1:111122223333:topic")
	if err == nil || !strings.Contains(string(out), "InvalidParameterException") {
		t.Fatalf("bad source ARN: %v %s", err, out)
	}
}

func TestCLIEmailAndIntegrations(t *testing.T) {
	v := newCLIEnv(t)
	v.cli("create-integration-association", "--instance-id", v.inst, "--integration-type", "SES_IDENTITY", "--integration-arn", "arn:aws:ses:us-east-1:111122223333:identity/example.com")
	if l := v.cli("list-integration-associations", "--instance-id", v.inst)["IntegrationAssociationSummaryList"].([]any); len(l) != 1 {
		t.Fatalf("list-integration-associations: %v", l)
	}
	v.cli("create-email-address", "--instance-id", v.inst, "--email-address", "news@example.com", "--display-name", "Example News")
	l := v.cli("search-email-addresses", "--instance-id", v.inst)["EmailAddresses"].([]any)
	if len(l) != 1 || l[0].(map[string]any)["DisplayName"] != "Example News" {
		t.Fatalf("search-email-addresses: %v", l)
	}
}

func TestCLIFlowsAndTags(t *testing.T) {
	v := newCLIEnv(t)
	fl := v.cli("create-contact-flow", "--instance-id", v.inst, "--name", "p2c journey", "--type", "CAMPAIGN", "--content", campaignFlow)
	if f := v.cli("describe-contact-flow", "--instance-id", v.inst, "--contact-flow-id", fl["ContactFlowId"].(string))["ContactFlow"].(map[string]any); f["Type"] != "CAMPAIGN" || f["Content"] != campaignFlow {
		t.Fatalf("describe-contact-flow: %v", f)
	}
	if l := v.cli("list-contact-flows", "--instance-id", v.inst, "--page-size", "4")["ContactFlowSummaryList"].([]any); len(l) != 10 {
		t.Fatalf("list-contact-flows: %d", len(l))
	}
	arn := fl["ContactFlowArn"].(string)
	v.cli("tag-resource", "--resource-arn", arn, "--tags", "p2c:step=flow/1")
	if tags := v.cli("list-tags-for-resource", "--resource-arn", arn)["tags"].(map[string]any); tags["p2c:step"] != "flow/1" {
		t.Fatalf("tags: %v", tags)
	}
}
