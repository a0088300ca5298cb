package sesv2_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	sdk "github.com/aws/aws-sdk-go-v2/service/sesv2"
	"github.com/aws/aws-sdk-go-v2/service/sesv2/types"
	"github.com/aws/smithy-go"

	"github.com/p2c/p2c/internal/emulator/core"
	"github.com/p2c/p2c/internal/emulator/emutest"
	"github.com/p2c/p2c/internal/emulator/sesv2"
)

var ctx = context.Background()

const fakeAuth = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261130/us-east-1/ses/aws4_request, SignedHeaders=host, Signature=0"

type env struct {
	t   *testing.T
	svc *sesv2.Service
	url string
	c   *sdk.Client
}

func newEnv(t *testing.T, opts core.Options) *env {
	t.Helper()
	svc := sesv2.New()
	url := emutest.Serve(t, core.NewServer(opts, svc))
	return &env{t: t, svc: svc, url: url, c: sdk.NewFromConfig(emutest.Config(url))}
}

func (v *env) raw(method, path, body string) (int, http.Header, string) {
	v.t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, v.url+path, rd)
	if err != nil {
		v.t.Fatal(err)
	}
	req.Header.Set("Authorization", fakeAuth)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		v.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, string(b)
}

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		t.Fatalf("want %s, got %v", code, err)
	}
	if ae.ErrorCode() != code {
		t.Fatalf("want %s, got %s: %s", code, ae.ErrorCode(), ae.ErrorMessage())
	}
}

func TestIdentities(t *testing.T) {
	v := newEnv(t, core.Options{})
	out, err := v.c.CreateEmailIdentity(ctx, &sdk.CreateEmailIdentityInput{EmailIdentity: aws.String("example.com"),
		Tags: []types.Tag{{Key: aws.String("p2c:plan"), Value: aws.String("abc")}}})
	if err != nil {
		t.Fatal(err)
	}
	if out.IdentityType != types.IdentityTypeDomain || out.VerifiedForSendingStatus || len(out.DkimAttributes.Tokens) != 3 || out.DkimAttributes.Status != types.DkimStatusPending {
		t.Fatalf("create: %+v %+v", out, out.DkimAttributes)
	}
	_, err = v.c.CreateEmailIdentity(ctx, &sdk.CreateEmailIdentityInput{EmailIdentity: aws.String("Example.com")})
	wantCode(t, err, "AlreadyExistsException")
	_, err = v.c.CreateEmailIdentity(ctx, &sdk.CreateEmailIdentityInput{EmailIdentity: aws.String("not an identity")})
	wantCode(t, err, "BadRequestException")
	_, err = v.c.CreateEmailIdentity(ctx, &sdk.CreateEmailIdentityInput{EmailIdentity: aws.String("x@example.org"), ConfigurationSetName: aws.String("missing")})
	wantCode(t, err, "NotFoundException")

	for i := range 4 {
		if _, err := v.c.CreateEmailIdentity(ctx, &sdk.CreateEmailIdentityInput{EmailIdentity: aws.String(fmt.Sprintf("sender%d@example.org", i))}); err != nil {
			t.Fatal(err)
		}
	}
	// Identities stay PENDING until verified outside p2c (seeds stand in).
	g, err := v.c.GetEmailIdentity(ctx, &sdk.GetEmailIdentityInput{EmailIdentity: aws.String("sender0@example.org")})
	if err != nil || g.VerificationStatus != types.VerificationStatusPending || g.IdentityType != types.IdentityTypeEmailAddress || g.Tags == nil {
		t.Fatalf("get: %v %+v", err, g)
	}
	v.svc.MarkVerified("us-east-1", "example.com")
	g, err = v.c.GetEmailIdentity(ctx, &sdk.GetEmailIdentityInput{EmailIdentity: aws.String("example.com")})
	if err != nil || g.VerificationStatus != types.VerificationStatusSuccess || !g.VerifiedForSendingStatus || g.DkimAttributes.Status != types.DkimStatusSuccess ||
		len(g.Tags) != 1 || g.VerificationInfo == nil || g.VerificationInfo.LastSuccessTimestamp == nil {
		t.Fatalf("verified: %v %+v", err, g)
	}

	var names []string
	p := sdk.NewListEmailIdentitiesPaginator(v.c, &sdk.ListEmailIdentitiesInput{PageSize: aws.Int32(2)})
	pages := 0
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		pages++
		for _, id := range out.EmailIdentities {
			names = append(names, aws.ToString(id.IdentityName))
			if aws.ToString(id.IdentityName) == "example.com" && (!id.SendingEnabled || id.VerificationStatus != types.VerificationStatusSuccess) {
				t.Fatalf("list entry: %+v", id)
			}
		}
	}
	if pages != 3 || len(names) != 5 || names[0] != "example.com" {
		t.Fatalf("list: %d pages %v", pages, names)
	}
	if _, err := v.c.DeleteEmailIdentity(ctx, &sdk.DeleteEmailIdentityInput{EmailIdentity: aws.String("sender3@example.org")}); err != nil {
		t.Fatal(err)
	}
	_, err = v.c.GetEmailIdentity(ctx, &sdk.GetEmailIdentityInput{EmailIdentity: aws.String("sender3@example.org")})
	wantCode(t, err, "NotFoundException")
	_, err = v.c.DeleteEmailIdentity(ctx, &sdk.DeleteEmailIdentityInput{EmailIdentity: aws.String("sender3@example.org")})
	wantCode(t, err, "NotFoundException")
}

func TestAccount(t *testing.T) {
	v := newEnv(t, core.Options{})
	a, err := v.c.GetAccount(ctx, &sdk.GetAccountInput{})
	if err != nil {
		t.Fatal(err)
	}
	if a.ProductionAccessEnabled || a.SendQuota.Max24HourSend != 200 || a.SendQuota.MaxSendRate != 1 || !a.SendingEnabled {
		t.Fatalf("sandbox: %+v %+v", a, a.SendQuota)
	}
	v.svc.SetProductionAccess("us-east-1", true)
	a, err = v.c.GetAccount(ctx, &sdk.GetAccountInput{})
	if err != nil || !a.ProductionAccessEnabled || a.SendQuota.Max24HourSend <= 200 {
		t.Fatalf("production: %v %+v", err, a)
	}
}

// snsDestination is the destination the plan writes for an app whose event
// stream went to SNS (blueprint msgSES).
func planDestination(topic string) *types.EventDestinationDefinition {
	return &types.EventDestinationDefinition{Enabled: true,
		MatchingEventTypes: []types.EventType{"SEND", "REJECT", "BOUNCE", "COMPLAINT", "DELIVERY", "OPEN", "CLICK", "RENDERING_FAILURE", "DELIVERY_DELAY", "SUBSCRIPTION"},
		SnsDestination:     &types.SnsDestination{TopicArn: aws.String(topic)}}
}

func TestConfigurationSets(t *testing.T) {
	v := newEnv(t, core.Options{})
	// As the plan writes it for an app without a set.
	if _, err := v.c.CreateConfigurationSet(ctx, &sdk.CreateConfigurationSetInput{ConfigurationSetName: aws.String("p2c-shop"),
		Tags: []types.Tag{{Key: aws.String("p2c:source"), Value: aws.String("pinpoint")}}}); err != nil {
		t.Fatal(err)
	}
	g, err := v.c.GetConfigurationSet(ctx, &sdk.GetConfigurationSetInput{ConfigurationSetName: aws.String("p2c-shop")})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(g.ConfigurationSetName) != "p2c-shop" || len(g.Tags) != 1 || g.SendingOptions == nil || !g.SendingOptions.SendingEnabled ||
		g.DeliveryOptions == nil || g.DeliveryOptions.TlsPolicy != types.TlsPolicyOptional {
		t.Fatalf("get: %+v", g)
	}
	_, err = v.c.CreateConfigurationSet(ctx, &sdk.CreateConfigurationSetInput{ConfigurationSetName: aws.String("p2c-shop")})
	wantCode(t, err, "AlreadyExistsException")
	_, err = v.c.CreateConfigurationSet(ctx, &sdk.CreateConfigurationSetInput{ConfigurationSetName: aws.String("bad name!")})
	wantCode(t, err, "BadRequestException")
	_, err = v.c.CreateConfigurationSet(ctx, &sdk.CreateConfigurationSetInput{ConfigurationSetName: aws.String("slow"),
		DeliveryOptions: &types.DeliveryOptions{MaxDeliverySeconds: aws.Int64(60)}})
	wantCode(t, err, "BadRequestException")
	if _, err := v.c.CreateConfigurationSet(ctx, &sdk.CreateConfigurationSetInput{ConfigurationSetName: aws.String("tls"),
		DeliveryOptions:    &types.DeliveryOptions{TlsPolicy: types.TlsPolicyRequire, MaxDeliverySeconds: aws.Int64(600)},
		SuppressionOptions: &types.SuppressionOptions{SuppressedReasons: []types.SuppressionListReason{types.SuppressionListReasonBounce}}}); err != nil {
		t.Fatal(err)
	}
	g, err = v.c.GetConfigurationSet(ctx, &sdk.GetConfigurationSetInput{ConfigurationSetName: aws.String("tls")})
	if err != nil || g.DeliveryOptions.TlsPolicy != types.TlsPolicyRequire || aws.ToInt64(g.DeliveryOptions.MaxDeliverySeconds) != 600 || len(g.SuppressionOptions.SuppressedReasons) != 1 {
		t.Fatalf("options: %v %+v", err, g)
	}
	if _, err := v.c.CreateConfigurationSet(ctx, &sdk.CreateConfigurationSetInput{ConfigurationSetName: aws.String("third")}); err != nil {
		t.Fatal(err)
	}
	var sets []string
	p := sdk.NewListConfigurationSetsPaginator(v.c, &sdk.ListConfigurationSetsInput{PageSize: aws.Int32(2)})
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		sets = append(sets, out.ConfigurationSets...)
	}
	if fmt.Sprint(sets) != "[p2c-shop tls third]" {
		t.Fatalf("list: %v", sets)
	}

	// Event destinations.
	topic := "arn:aws:sns:us-east-1:111122223333:pinpoint-events"
	if _, err := v.c.CreateConfigurationSetEventDestination(ctx, &sdk.CreateConfigurationSetEventDestinationInput{ConfigurationSetName: aws.String("p2c-shop"),
		EventDestinationName: aws.String("p2c-events-a1"), EventDestination: planDestination(topic)}); err != nil {
		t.Fatal(err)
	}
	_, err = v.c.CreateConfigurationSetEventDestination(ctx, &sdk.CreateConfigurationSetEventDestinationInput{ConfigurationSetName: aws.String("p2c-shop"),
		EventDestinationName: aws.String("p2c-events-a1"), EventDestination: planDestination(topic)})
	wantCode(t, err, "AlreadyExistsException")
	_, err = v.c.CreateConfigurationSetEventDestination(ctx, &sdk.CreateConfigurationSetEventDestinationInput{ConfigurationSetName: aws.String("missing"),
		EventDestinationName: aws.String("x"), EventDestination: planDestination(topic)})
	wantCode(t, err, "NotFoundException")
	two := planDestination(topic)
	two.KinesisFirehoseDestination = &types.KinesisFirehoseDestination{IamRoleArn: aws.String("arn:aws:iam::111122223333:role/r"), DeliveryStreamArn: aws.String("arn:aws:firehose:us-east-1:111122223333:deliverystream/s")}
	_, err = v.c.CreateConfigurationSetEventDestination(ctx, &sdk.CreateConfigurationSetEventDestinationInput{ConfigurationSetName: aws.String("p2c-shop"),
		EventDestinationName: aws.String("two"), EventDestination: two})
	wantCode(t, err, "BadRequestException")
	_, err = v.c.CreateConfigurationSetEventDestination(ctx, &sdk.CreateConfigurationSetEventDestinationInput{ConfigurationSetName: aws.String("p2c-shop"),
		EventDestinationName: aws.String("badarn"), EventDestination: planDestination("arn:aws:sqs:us-east-1:111122223333:q")})
	wantCode(t, err, "BadRequestException")
	// Ten destinations per set.
	for i := 1; i < 10; i++ {
		if _, err := v.c.CreateConfigurationSetEventDestination(ctx, &sdk.CreateConfigurationSetEventDestinationInput{ConfigurationSetName: aws.String("p2c-shop"),
			EventDestinationName: aws.String(fmt.Sprintf("d%d", i)), EventDestination: planDestination(topic)}); err != nil {
			t.Fatal(err)
		}
	}
	_, err = v.c.CreateConfigurationSetEventDestination(ctx, &sdk.CreateConfigurationSetEventDestinationInput{ConfigurationSetName: aws.String("p2c-shop"),
		EventDestinationName: aws.String("d10"), EventDestination: planDestination(topic)})
	wantCode(t, err, "LimitExceededException")

	fh := &types.EventDestinationDefinition{MatchingEventTypes: []types.EventType{types.EventTypeBounce},
		KinesisFirehoseDestination: two.KinesisFirehoseDestination}
	if _, err := v.c.UpdateConfigurationSetEventDestination(ctx, &sdk.UpdateConfigurationSetEventDestinationInput{ConfigurationSetName: aws.String("p2c-shop"),
		EventDestinationName: aws.String("p2c-events-a1"), EventDestination: fh}); err != nil {
		t.Fatal(err)
	}
	d, err := v.c.GetConfigurationSetEventDestinations(ctx, &sdk.GetConfigurationSetEventDestinationsInput{ConfigurationSetName: aws.String("p2c-shop")})
	if err != nil || len(d.EventDestinations) != 10 {
		t.Fatalf("destinations: %v %+v", err, d)
	}
	first := d.EventDestinations[0]
	if aws.ToString(first.Name) != "p2c-events-a1" || first.Enabled || first.SnsDestination != nil || first.KinesisFirehoseDestination == nil || len(first.MatchingEventTypes) != 1 {
		t.Fatalf("updated destination: %+v", first)
	}
	if d.EventDestinations[1].Enabled != true || len(d.EventDestinations[1].MatchingEventTypes) != 10 {
		t.Fatalf("plan destination: %+v", d.EventDestinations[1])
	}
	_, err = v.c.UpdateConfigurationSetEventDestination(ctx, &sdk.UpdateConfigurationSetEventDestinationInput{ConfigurationSetName: aws.String("p2c-shop"),
		EventDestinationName: aws.String("nope"), EventDestination: fh})
	wantCode(t, err, "NotFoundException")
	if _, err := v.c.DeleteConfigurationSetEventDestination(ctx, &sdk.DeleteConfigurationSetEventDestinationInput{ConfigurationSetName: aws.String("p2c-shop"),
		EventDestinationName: aws.String("p2c-events-a1")}); err != nil {
		t.Fatal(err)
	}
	_, err = v.c.DeleteConfigurationSetEventDestination(ctx, &sdk.DeleteConfigurationSetEventDestinationInput{ConfigurationSetName: aws.String("p2c-shop"),
		EventDestinationName: aws.String("p2c-events-a1")})
	wantCode(t, err, "NotFoundException")

	if _, err := v.c.DeleteConfigurationSet(ctx, &sdk.DeleteConfigurationSetInput{ConfigurationSetName: aws.String("p2c-shop")}); err != nil {
		t.Fatal(err)
	}
	_, err = v.c.GetConfigurationSet(ctx, &sdk.GetConfigurationSetInput{ConfigurationSetName: aws.String("p2c-shop")})
	wantCode(t, err, "NotFoundException")
}

func TestTags(t *testing.T) {
	v := newEnv(t, core.Options{})
	if _, err := v.c.CreateConfigurationSet(ctx, &sdk.CreateConfigurationSetInput{ConfigurationSetName: aws.String("cs")}); err != nil {
		t.Fatal(err)
	}
	arn := "arn:aws:ses:us-east-1:111122223333:configuration-set/cs"
	if _, err := v.c.TagResource(ctx, &sdk.TagResourceInput{ResourceArn: aws.String(arn), Tags: []types.Tag{
		{Key: aws.String("p2c:plan"), Value: aws.String("abc")}, {Key: aws.String("p2c:step"), Value: aws.String("s1")}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := v.c.TagResource(ctx, &sdk.TagResourceInput{ResourceArn: aws.String(arn), Tags: []types.Tag{{Key: aws.String("p2c:step"), Value: aws.String("s2")}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := v.c.UntagResource(ctx, &sdk.UntagResourceInput{ResourceArn: aws.String(arn), TagKeys: []string{"p2c:plan"}}); err != nil {
		t.Fatal(err)
	}
	l, err := v.c.ListTagsForResource(ctx, &sdk.ListTagsForResourceInput{ResourceArn: aws.String(arn)})
	if err != nil || len(l.Tags) != 1 || aws.ToString(l.Tags[0].Value) != "s2" {
		t.Fatalf("tags: %v %+v", err, l)
	}
	_, err = v.c.ListTagsForResource(ctx, &sdk.ListTagsForResourceInput{ResourceArn: aws.String("arn:aws:ses:us-east-1:111122223333:configuration-set/none")})
	wantCode(t, err, "NotFoundException")
	_, err = v.c.TagResource(ctx, &sdk.TagResourceInput{ResourceArn: aws.String(arn), Tags: []types.Tag{{Key: aws.String("aws:x"), Value: aws.String("y")}}})
	wantCode(t, err, "BadRequestException")
	if _, err := v.c.CreateEmailIdentity(ctx, &sdk.CreateEmailIdentityInput{EmailIdentity: aws.String("example.com")}); err != nil {
		t.Fatal(err)
	}
	if _, err := v.c.TagResource(ctx, &sdk.TagResourceInput{ResourceArn: aws.String("arn:aws:ses:us-east-1:111122223333:identity/example.com"),
		Tags: []types.Tag{{Key: aws.String("k"), Value: aws.String("v")}}}); err != nil {
		t.Fatal(err)
	}
}

func TestWire(t *testing.T) {
	v := newEnv(t, core.Options{})
	status, h, body := v.raw("POST", "/v2/email/configuration-sets", `{}`)
	if status != 400 || h.Get("X-Amzn-ErrorType") != "BadRequestException" || !strings.Contains(body, `"message"`) || !strings.Contains(body, "ConfigurationSetName") {
		t.Fatalf("validation: %d %v %s", status, h, body)
	}
	status, h, body = v.raw("GET", "/v2/email/configuration-sets/none", "")
	if status != 404 || h.Get("X-Amzn-ErrorType") != "NotFoundException" {
		t.Fatalf("not found: %d %s", status, body)
	}
	status, _, body = v.raw("POST", "/v2/email/identities", `{"EmailIdentity":"example.com"}`)
	if status != 200 || !strings.Contains(body, `"LastKeyGenerationTimestamp":1`) {
		t.Fatalf("epoch timestamps: %d %s", status, body)
	}
	status, _, body = v.raw("GET", "/v2/email/identities?NextToken=garbage", "")
	if status != 400 {
		t.Fatalf("bad token: %d %s", status, body)
	}
}

func TestThrottling(t *testing.T) {
	v := newEnv(t, core.Options{Quotas: true})
	c := sdk.NewFromConfig(emutest.Config(v.url), func(o *sdk.Options) { o.Retryer = retry.AddWithMaxAttempts(retry.NewStandard(), 1) })
	var err error
	for range 5 {
		if _, err = c.GetAccount(ctx, &sdk.GetAccountInput{}); err != nil {
			break
		}
	}
	wantCode(t, err, "TooManyRequestsException")
	var re interface{ HTTPStatusCode() int }
	if !errors.As(err, &re) || re.HTTPStatusCode() != 429 {
		t.Fatalf("throttle status: %v", err)
	}
}

// TestListRoutes covers both forms of the list operations: the POST form
// with a Filter that current SDKs send, and the model's GET form.
func TestListRoutes(t *testing.T) {
	v := newEnv(t, core.Options{})
	for _, n := range []string{"example.com", "news@example.com", "other.org"} {
		if _, err := v.c.CreateEmailIdentity(ctx, &sdk.CreateEmailIdentityInput{EmailIdentity: aws.String(n)}); err != nil {
			t.Fatal(err)
		}
	}
	v.svc.MarkVerified("us-east-1", "other.org")
	for _, n := range []string{"p2c-shop", "p2c-news", "transactional"} {
		if _, err := v.c.CreateConfigurationSet(ctx, &sdk.CreateConfigurationSetInput{ConfigurationSetName: aws.String(n)}); err != nil {
			t.Fatal(err)
		}
	}
	ids, err := v.c.ListEmailIdentities(ctx, &sdk.ListEmailIdentitiesInput{Filter: map[string]string{"IDENTITY_NAME_CONTAINS": "EXAMPLE", "IDENTITY_TYPE": "DOMAIN"}})
	if err != nil || len(ids.EmailIdentities) != 1 || aws.ToString(ids.EmailIdentities[0].IdentityName) != "example.com" {
		t.Fatalf("identity filter: %v %+v", err, ids)
	}
	ids, err = v.c.ListEmailIdentities(ctx, &sdk.ListEmailIdentitiesInput{Filter: map[string]string{"VERIFICATION_STATUS": "SUCCESS"}})
	if err != nil || len(ids.EmailIdentities) != 1 || aws.ToString(ids.EmailIdentities[0].IdentityName) != "other.org" {
		t.Fatalf("status filter: %v %+v", err, ids)
	}
	_, err = v.c.ListEmailIdentities(ctx, &sdk.ListEmailIdentitiesInput{Filter: map[string]string{"COLOUR": "blue"}})
	wantCode(t, err, "BadRequestException")
	sets, err := v.c.ListConfigurationSets(ctx, &sdk.ListConfigurationSetsInput{Filter: map[string]string{"CONFIGURATION_SET_NAME_CONTAINS": "p2c"}})
	if err != nil || fmt.Sprint(sets.ConfigurationSets) != "[p2c-shop p2c-news]" {
		t.Fatalf("set filter: %v %+v", err, sets)
	}
	status, _, body := v.raw("GET", "/v2/email/identities?PageSize=2", "")
	if status != 200 || strings.Count(body, "IdentityName") != 2 || !strings.Contains(body, "NextToken") {
		t.Fatalf("GET identities: %d %s", status, body)
	}
	status, _, body = v.raw("GET", "/v2/email/configuration-sets", "")
	if status != 200 || !strings.Contains(body, `"ConfigurationSets":["p2c-shop","p2c-news","transactional"]`) {
		t.Fatalf("GET configuration sets: %d %s", status, body)
	}
}
