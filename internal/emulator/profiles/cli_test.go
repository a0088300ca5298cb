package profiles

import (
	"encoding/json"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cp "github.com/aws/aws-sdk-go-v2/service/customerprofiles"
	"github.com/aws/aws-sdk-go-v2/service/customerprofiles/types"

	"github.com/p2c/p2c/internal/emulator/core"
)

// cli runs `aws customer-profiles <args>` against the harness and decodes
// its JSON output into out (when not nil). It returns stderr and whether
// the command succeeded.
func (h *harness) cliRun(t *testing.T, out any, args ...string) (string, bool) {
	t.Helper()
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "AWS_") {
			env = append(env, kv)
		}
	}
	env = append(env,
		"AWS_ACCESS_KEY_ID=AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY=secret", "AWS_DEFAULT_REGION=us-east-1",
		"AWS_CONFIG_FILE=/dev/null", "AWS_SHARED_CREDENTIALS_FILE=/dev/null", "AWS_EC2_METADATA_DISABLED=true", "AWS_PAGER=")
	cmd := exec.Command("aws", append([]string{"--endpoint-url", h.url, "--output", "json", "customer-profiles"}, args...)...)
	cmd.Env = env
	var stderr strings.Builder
	cmd.Stderr = &stderr
	b, err := cmd.Output()
	if err != nil {
		return stderr.String(), false
	}
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			t.Fatalf("aws %s: decode output: %v\n%s", strings.Join(args, " "), err, b)
		}
	}
	return stderr.String(), true
}

func (h *harness) cli(t *testing.T, out any, args ...string) {
	t.Helper()
	if stderr, ok := h.cliRun(t, out, args...); !ok {
		t.Fatalf("aws customer-profiles %s: %s", strings.Join(args, " "), stderr)
	}
}

func needCLI(t *testing.T) {
	t.Helper()
	t.Parallel()
	if _, err := exec.LookPath("aws"); err != nil {
		t.Skip("the aws CLI is not on PATH; skipping the CLI round trip")
	}
}

func jsonArg(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// TestCLIProvisionAndReadBack provisions what a plan creates with the aws
// CLI and reads it back with both the CLI and the SDK.
func TestCLIProvisionAndReadBack(t *testing.T) {
	needCLI(t)
	h := newHarness(t, core.Options{})
	h.cli(t, nil, "create-domain", "--domain-name", "acme", "--default-expiration-days", "1098", "--tags", "p2c:plan=p1")
	var ot struct {
		ObjectTypeName string
		Keys           map[string]any
	}
	otIn := map[string]any{
		"DomainName": "acme", "ObjectTypeName": "PinpointEndpoint", "Description": "endpoints", "AllowProfileCreation": true,
		"Fields": map[string]any{
			"ProfileKey":   map[string]any{"Source": "_source.ProfileKey", "ContentType": "STRING"},
			"EndpointId":   map[string]any{"Source": "_source.EndpointId", "ContentType": "STRING"},
			"EmailAddress": map[string]any{"Source": "_source.EmailAddress", "Target": "_profile.EmailAddress", "ContentType": "EMAIL_ADDRESS"},
			"OptOut_EMAIL": map[string]any{"Source": "_source.OptOut_EMAIL", "Target": "_profile.Attributes.OptOut_EMAIL", "ContentType": "STRING"},
		},
		"Keys": map[string]any{
			"PinpointProfileKey": []any{map[string]any{"StandardIdentifiers": []string{"PROFILE"}, "FieldNames": []string{"ProfileKey"}}},
			"PinpointEndpointId": []any{map[string]any{"StandardIdentifiers": []string{"UNIQUE"}, "FieldNames": []string{"EndpointId"}}},
		},
	}
	h.cli(t, &ot, "put-profile-object-type", "--cli-input-json", jsonArg(otIn))
	if ot.ObjectTypeName != "PinpointEndpoint" || len(ot.Keys) != 2 {
		t.Fatalf("put-profile-object-type = %+v", ot)
	}
	for _, ep := range []map[string]any{
		{"ProfileKey": "ada", "EndpointId": "e1", "EmailAddress": "ada@example.com"},
		{"ProfileKey": "bob", "EndpointId": "e2", "EmailAddress": "bob@example.com", "OptOut_EMAIL": "ALL"},
	} {
		var out struct{ ProfileObjectUniqueKey string }
		h.cli(t, &out, "put-profile-object", "--domain-name", "acme", "--object-type-name", "PinpointEndpoint", "--object", jsonArg(ep))
		if out.ProfileObjectUniqueKey == "" {
			t.Fatal("put-profile-object without a key")
		}
	}
	var found struct {
		Items []struct {
			ProfileId    string
			EmailAddress string
		}
	}
	h.cli(t, &found, "search-profiles", "--domain-name", "acme", "--key-name", "PinpointProfileKey", "--values", "ada")
	if len(found.Items) != 1 || found.Items[0].EmailAddress != "ada@example.com" {
		t.Fatalf("search-profiles = %+v", found)
	}
	ada := found.Items[0].ProfileId
	h.cli(t, &found, "search-profiles", "--domain-name", "acme", "--key-name", "_email", "--values", "bob@example.com")
	bob := found.Items[0].ProfileId

	segIn := map[string]any{"DomainName": "acme", "SegmentDefinitionName": "reachable", "DisplayName": "Reachable by email",
		"SegmentGroups": map[string]any{"Include": "ALL", "Groups": []any{map[string]any{"Type": "ALL", "Dimensions": []any{
			map[string]any{"ProfileAttributes": map[string]any{"EmailAddress": map[string]any{"DimensionType": "CONTAINS", "Values": []string{"@"}}}},
			map[string]any{"ProfileAttributes": map[string]any{"Attributes": map[string]any{"OptOut_EMAIL": map[string]any{"DimensionType": "EXCLUSIVE", "Values": []string{"ALL"}}}}},
		}}}},
		"Tags": map[string]string{"p2c:step": "segment-definition/us-east-1/reachable"}}
	h.cli(t, nil, "create-segment-definition", "--cli-input-json", jsonArg(segIn))
	var seg map[string]any
	h.cli(t, &seg, "get-segment-definition", "--domain-name", "acme", "--segment-definition-name", "reachable")
	if seg["SegmentType"] != "CLASSIC" || seg["DisplayName"] != "Reachable by email" || jsonArg(seg["SegmentGroups"]) != jsonArg(segIn["SegmentGroups"]) {
		t.Fatalf("get-segment-definition = %v", seg)
	}
	var mem struct {
		Profiles []struct{ ProfileId, QueryResult string }
	}
	h.cli(t, &mem, "get-segment-membership", "--domain-name", "acme", "--segment-definition-name", "reachable", "--profile-ids", ada, bob)
	res := map[string]string{}
	for _, p := range mem.Profiles {
		res[p.ProfileId] = p.QueryResult
	}
	if res[ada] != "PRESENT" || res[bob] != "ABSENT" {
		t.Fatalf("get-segment-membership = %+v", mem)
	}

	h.cli(t, nil, "create-segment-definition", "--domain-name", "acme", "--segment-definition-name", "second", "--display-name", "Second",
		"--segment-groups", jsonArg(segIn["SegmentGroups"]))
	var page struct {
		Items     []struct{ SegmentDefinitionName string }
		NextToken string
	}
	// --max-items pages the CLI's paginator when the model has one; the
	// raw --max-results/--next-token pair works either way.
	h.cli(t, &page, "list-segment-definitions", "--domain-name", "acme", "--max-results", "1", "--no-paginate")
	if len(page.Items) != 1 || page.NextToken == "" {
		t.Fatalf("first page: %+v", page)
	}
	first := page.Items[0].SegmentDefinitionName
	h.cli(t, &page, "list-segment-definitions", "--domain-name", "acme", "--max-results", "1", "--next-token", page.NextToken, "--no-paginate")
	if len(page.Items) != 1 || page.Items[0].SegmentDefinitionName == first {
		t.Fatalf("second page: %+v", page)
	}

	var tags struct{ Tags map[string]string }
	h.cli(t, &tags, "list-tags-for-resource", "--resource-arn", "arn:aws:profile:us-east-1:111122223333:domains/acme/segment-definitions/reachable")
	if tags.Tags["p2c:step"] == "" {
		t.Fatalf("list-tags-for-resource = %+v", tags)
	}
	if stderr, ok := h.cliRun(t, nil, "get-segment-definition", "--domain-name", "acme", "--segment-definition-name", "nope"); ok || !strings.Contains(stderr, "ResourceNotFoundException") {
		t.Fatalf("get of a missing segment: ok=%v %s", ok, stderr)
	}
	if stderr, ok := h.cliRun(t, nil, "create-domain", "--domain-name", "acme", "--default-expiration-days", "1"); ok || !strings.Contains(stderr, "BadRequestException") {
		t.Fatalf("duplicate create-domain: ok=%v %s", ok, stderr)
	}

	// The SDK sees the same resources.
	g := must[*cp.GetSegmentDefinitionOutput](t)(h.c.GetSegmentDefinition(ctx, &cp.GetSegmentDefinitionInput{DomainName: aws.String("acme"), SegmentDefinitionName: aws.String("reachable")}))
	if len(g.SegmentGroups.Groups[0].Dimensions) != 2 {
		t.Fatalf("SDK read of the CLI segment: %+v", g)
	}
}

// TestCLICalculatedAttributesTriggersJobs covers the remaining resource
// kinds through the CLI.
func TestCLICalculatedAttributesTriggersJobs(t *testing.T) {
	needCLI(t)
	h := newHarness(t, core.Options{})
	h.domain(t, "acme")
	must[*cp.PutProfileObjectTypeOutput](t)(h.c.PutProfileObjectType(ctx, endpointObjectType("acme")))
	h.putEndpoint(t, "acme", map[string]any{"ProfileKey": "ada", "EndpointId": "e1", "Metrics_purchases": 2})
	h.putEndpoint(t, "acme", map[string]any{"ProfileKey": "ada", "EndpointId": "e2", "Metrics_purchases": 7})
	ada := aws.ToString(h.profileBy(t, "acme", "PinpointProfileKey", "ada").ProfileId)

	h.cli(t, nil, "create-calculated-attribute-definition", "--domain-name", "acme", "--calculated-attribute-name", "p2c_sum_purchases",
		"--statistic", "SUM", "--attribute-details", jsonArg(map[string]any{"Attributes": []any{map[string]any{"Name": "Metrics_purchases"}}, "Expression": "{PinpointEndpoint.Metrics_purchases}"}))
	var v struct{ Value string }
	h.cli(t, &v, "get-calculated-attribute-for-profile", "--domain-name", "acme", "--profile-id", ada, "--calculated-attribute-name", "p2c_sum_purchases")
	if v.Value != "9" {
		t.Fatalf("get-calculated-attribute-for-profile = %+v", v)
	}
	var defs struct{ Items []map[string]any }
	h.cli(t, &defs, "list-calculated-attribute-definitions", "--domain-name", "acme")
	if len(defs.Items) != 1 || defs.Items[0]["Status"] != "COMPLETED" {
		t.Fatalf("list-calculated-attribute-definitions = %+v", defs)
	}

	conds := []any{map[string]any{"LogicalOperator": "ANY", "EventTriggerDimensions": []any{map[string]any{"ObjectAttributes": []any{
		map[string]any{"FieldName": "Channels", "ComparisonOperator": "INCLUSIVE", "Values": []string{"EMAIL"}}}}}}}
	h.cli(t, nil, "create-event-trigger", "--domain-name", "acme", "--event-trigger-name", "purchase", "--object-type-name", "PinpointEndpoint",
		"--event-trigger-conditions", jsonArg(conds))
	var trig map[string]any
	h.cli(t, &trig, "get-event-trigger", "--domain-name", "acme", "--event-trigger-name", "purchase")
	if trig["ObjectTypeName"] != "PinpointEndpoint" {
		t.Fatalf("get-event-trigger = %v", trig)
	}

	var job struct{ JobId string }
	h.cli(t, &job, "create-upload-job", "--domain-name", "acme", "--display-name", "seg", "--unique-key", "id",
		"--fields", jsonArg(map[string]any{"id": map[string]any{"Source": "_source.id", "Target": "_profile.AccountNumber"}}))
	var path struct{ Url string }
	h.cli(t, &path, "get-upload-job-path", "--domain-name", "acme", "--job-id", job.JobId)
	if !strings.Contains(path.Url, UploadBucket) {
		t.Fatalf("get-upload-job-path = %+v", path)
	}
	h.cli(t, nil, "start-upload-job", "--domain-name", "acme", "--job-id", job.JobId)
	var st struct{ Status string }
	h.cli(t, &st, "get-upload-job", "--domain-name", "acme", "--job-id", job.JobId)
	if st.Status != string(types.UploadJobStatusInProgress) {
		t.Fatalf("get-upload-job = %+v", st)
	}
	h.cli(t, nil, "delete-calculated-attribute-definition", "--domain-name", "acme", "--calculated-attribute-name", "p2c_sum_purchases")
	h.cli(t, nil, "delete-event-trigger", "--domain-name", "acme", "--event-trigger-name", "purchase")
}
