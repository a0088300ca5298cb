package smsvoice

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	sms "github.com/aws/aws-sdk-go-v2/service/pinpointsmsvoicev2"
	"github.com/aws/aws-sdk-go-v2/service/pinpointsmsvoicev2/types"

	"github.com/p2c/p2c/internal/emulator/core"
)

// cli runs `aws pinpoint-sms-voice-v2 <args>` against the harness and
// decodes its JSON output into out (when not nil).
func (h *harness) cli(t *testing.T, out any, args ...string) {
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
	cmd := exec.Command("aws", append([]string{"--endpoint-url", h.url, "--output", "json", "pinpoint-sms-voice-v2"}, args...)...)
	cmd.Env = env
	var stderr strings.Builder
	cmd.Stderr = &stderr
	b, err := cmd.Output()
	if err != nil {
		t.Fatalf("aws %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			t.Fatalf("aws %s: decode output: %v\n%s", strings.Join(args, " "), err, b)
		}
	}
}

// needCLI skips without the aws CLI; CLI tests run in parallel because
// each invocation spends most of a second starting Python.
func needCLI(t *testing.T) {
	t.Helper()
	t.Parallel()
	if _, err := exec.LookPath("aws"); err != nil {
		t.Skip("the aws CLI is not on PATH; skipping the CLI round trip")
	}
}

// TestCLISeedsSDKReads seeds with the aws CLI and reads back with the SDK.
func TestCLISeedsSDKReads(t *testing.T) {
	needCLI(t)
	h := newHarness(t, core.Options{})
	c := h.client("us-east-1")

	var num struct{ PhoneNumberId, PhoneNumber, Status string }
	h.cli(t, &num, "request-phone-number", "--iso-country-code", "US", "--message-type", "TRANSACTIONAL",
		"--number-capabilities", "SMS", "VOICE", "--number-type", "TOLL_FREE", "--tags", "Key=team,Value=ops")
	if !strings.HasPrefix(num.PhoneNumberId, "phone-") || num.Status != "ACTIVE" {
		t.Fatalf("request-phone-number = %+v", num)
	}
	var pool struct{ PoolId string }
	h.cli(t, &pool, "create-pool", "--origination-identity", num.PhoneNumberId, "--message-type", "TRANSACTIONAL")
	h.cli(t, nil, "create-opt-out-list", "--opt-out-list-name", "cli-list")
	h.cli(t, nil, "put-opted-out-number", "--opt-out-list-name", "cli-list", "--opted-out-number", "+12065550142")

	pn := must[*sms.DescribePhoneNumbersOutput](t)(c.DescribePhoneNumbers(ctx, &sms.DescribePhoneNumbersInput{PhoneNumberIds: []string{num.PhoneNumberId}}))
	if got := pn.PhoneNumbers[0]; *got.PhoneNumber != num.PhoneNumber || got.NumberType != types.NumberTypeTollFree || *got.PoolId != pool.PoolId {
		t.Fatalf("number read back = %+v", got)
	}
	pools := must[*sms.DescribePoolsOutput](t)(c.DescribePools(ctx, &sms.DescribePoolsInput{PoolIds: []string{pool.PoolId}}))
	if pools.Pools[0].MessageType != types.MessageTypeTransactional {
		t.Fatalf("pool read back = %+v", pools.Pools[0])
	}
	oo := must[*sms.DescribeOptedOutNumbersOutput](t)(c.DescribeOptedOutNumbers(ctx, &sms.DescribeOptedOutNumbersInput{OptOutListName: aws.String("cli-list")}))
	if len(oo.OptedOutNumbers) != 1 || *oo.OptedOutNumbers[0].OptedOutNumber != "+12065550142" {
		t.Fatalf("opted out read back = %+v", oo.OptedOutNumbers)
	}
	tags := must[*sms.ListTagsForResourceOutput](t)(c.ListTagsForResource(ctx, &sms.ListTagsForResourceInput{ResourceArn: pn.PhoneNumbers[0].PhoneNumberArn}))
	if len(tags.Tags) != 1 || *tags.Tags[0].Value != "ops" {
		t.Fatalf("tags read back = %+v", tags.Tags)
	}
}

// TestSDKSeedsCLIReads seeds with the SDK, more than a page of each, and
// reads back with the aws CLI, which follows NextToken on its own.
func TestSDKSeedsCLIReads(t *testing.T) {
	needCLI(t)
	h := newHarness(t, core.Options{})
	c := h.client("us-east-1")

	var ids []string
	for range 23 {
		ids = append(ids, *requestNumber(t, c, nil).PhoneNumberId)
	}
	p := must[*sms.CreatePoolOutput](t)(c.CreatePool(ctx, &sms.CreatePoolInput{OriginationIdentity: aws.String(ids[0]), MessageType: "TRANSACTIONAL"}))
	must[*sms.CreateOptOutListOutput](t)(c.CreateOptOutList(ctx, &sms.CreateOptOutListInput{OptOutListName: aws.String("sdk-list")}))
	for i := range 30 {
		must[*sms.PutOptedOutNumberOutput](t)(c.PutOptedOutNumber(ctx, &sms.PutOptedOutNumberInput{
			OptOutListName: aws.String("sdk-list"), OptedOutNumber: aws.String(fmt.Sprintf("+4477009%05d", i))}))
	}

	var numbers struct {
		PhoneNumbers []struct {
			PhoneNumberId, PoolId string
			CreatedTimestamp      float64
			NumberCapabilities    []string
		}
	}
	h.cli(t, &numbers, "describe-phone-numbers")
	var got []string
	for _, n := range numbers.PhoneNumbers {
		got = append(got, n.PhoneNumberId)
	}
	if !slices.Equal(got, ids) || numbers.PhoneNumbers[0].PoolId != *p.PoolId || numbers.PhoneNumbers[0].CreatedTimestamp < 1e9 {
		t.Fatalf("CLI describe-phone-numbers = %d numbers, first %+v", len(got), numbers.PhoneNumbers[0])
	}
	var pools struct {
		Pools []struct{ PoolId, Status string }
	}
	h.cli(t, &pools, "describe-pools", "--pool-ids", *p.PoolId)
	if len(pools.Pools) != 1 || pools.Pools[0].Status != "ACTIVE" {
		t.Fatalf("CLI describe-pools = %+v", pools)
	}
	var opted struct {
		OptOutListName  string
		OptedOutNumbers []struct{ OptedOutNumber string }
	}
	h.cli(t, &opted, "describe-opted-out-numbers", "--opt-out-list-name", "sdk-list")
	if opted.OptOutListName != "sdk-list" || len(opted.OptedOutNumbers) != 30 || opted.OptedOutNumbers[29].OptedOutNumber != "+447700900029" {
		t.Fatalf("CLI describe-opted-out-numbers = %d numbers", len(opted.OptedOutNumbers))
	}
}
