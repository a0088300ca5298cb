package connect_test

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
	sdk "github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"
	"github.com/aws/smithy-go"

	"github.com/p2c/p2c/internal/emulator/connect"
	"github.com/p2c/p2c/internal/emulator/core"
	"github.com/p2c/p2c/internal/emulator/emutest"
)

var ctx = context.Background()

// fakeAuth routes a plain net/http request to Connect: the emulator reads
// only the credential scope.
const fakeAuth = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261130/us-east-1/connect/aws4_request, SignedHeaders=host, Signature=0"

type env struct {
	t   *testing.T
	svc *connect.Service
	srv *core.Server
	url string
	c   *sdk.Client
}

func newEnv(t *testing.T, opts core.Options) *env {
	t.Helper()
	svc := connect.New()
	srv := core.NewServer(opts, svc)
	url := emutest.Serve(t, srv)
	return &env{t: t, svc: svc, srv: srv, url: url, c: sdk.NewFromConfig(emutest.Config(url))}
}

func (v *env) noRetry() *sdk.Client {
	return sdk.NewFromConfig(emutest.Config(v.url), func(o *sdk.Options) {
		o.Retryer = retry.AddWithMaxAttempts(retry.NewStandard(), 1)
	})
}

func (v *env) instance(alias string) string {
	v.t.Helper()
	out, err := v.c.CreateInstance(ctx, &sdk.CreateInstanceInput{
		IdentityManagementType: types.DirectoryTypeConnectManaged, InstanceAlias: aws.String(alias),
		InboundCallsEnabled: aws.Bool(true), OutboundCallsEnabled: aws.Bool(true),
	})
	if err != nil {
		v.t.Fatalf("create instance %s: %v", alias, err)
	}
	return aws.ToString(out.Id)
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

// wantCode checks that err is an API error with the code.
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

func eumARN(id string) string {
	return "arn:aws:sms-voice:us-east-1:111122223333:phone-number/phone-" + id
}

func TestInstances(t *testing.T) {
	v := newEnv(t, core.Options{})
	a := v.instance("acme-contact")
	b := v.instance("acme-outbound")
	got, err := v.c.DescribeInstance(ctx, &sdk.DescribeInstanceInput{InstanceId: aws.String(a)})
	if err != nil {
		t.Fatal(err)
	}
	in := got.Instance
	if in.InstanceStatus != types.InstanceStatusActive || aws.ToString(in.InstanceAlias) != "acme-contact" || !aws.ToBool(in.OutboundCallsEnabled) ||
		in.CreatedTime == nil || in.CreatedTime.Year() < 2020 || !strings.HasSuffix(aws.ToString(in.Arn), ":instance/"+a) {
		t.Fatalf("instance: %+v", in)
	}
	// The ARN is accepted wherever an instance id is.
	if _, err := v.c.DescribeInstance(ctx, &sdk.DescribeInstanceInput{InstanceId: in.Arn}); err != nil {
		t.Fatalf("describe by ARN: %v", err)
	}
	// Two instances is the default quota.
	_, err = v.c.CreateInstance(ctx, &sdk.CreateInstanceInput{IdentityManagementType: types.DirectoryTypeConnectManaged,
		InstanceAlias: aws.String("third"), InboundCallsEnabled: aws.Bool(true), OutboundCallsEnabled: aws.Bool(true)})
	wantCode(t, err, "ServiceQuotaExceededException")

	var ids []string
	p := sdk.NewListInstancesPaginator(v.c, &sdk.ListInstancesInput{MaxResults: aws.Int32(1)})
	pages := 0
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		pages++
		for _, s := range out.InstanceSummaryList {
			ids = append(ids, aws.ToString(s.Id))
		}
	}
	if pages != 2 || fmt.Sprint(ids) != fmt.Sprint([]string{a, b}) {
		t.Fatalf("list: %d pages %v", pages, ids)
	}

	// Outbound campaigns need outbound calls and, for high volume, the
	// HIGH_VOLUME_OUTBOUND attribute.
	if _, err := v.c.UpdateInstanceAttribute(ctx, &sdk.UpdateInstanceAttributeInput{InstanceId: aws.String(a),
		AttributeType: types.InstanceAttributeTypeHighVolumeOutbound, Value: aws.String("true")}); err != nil {
		t.Fatal(err)
	}
	attr, err := v.c.DescribeInstanceAttribute(ctx, &sdk.DescribeInstanceAttributeInput{InstanceId: aws.String(a), AttributeType: types.InstanceAttributeTypeHighVolumeOutbound})
	if err != nil || aws.ToString(attr.Attribute.Value) != "true" {
		t.Fatalf("attribute: %v %+v", err, attr)
	}
	_, err = v.c.UpdateInstanceAttribute(ctx, &sdk.UpdateInstanceAttributeInput{InstanceId: aws.String(a),
		AttributeType: types.InstanceAttributeTypeOutboundCalls, Value: aws.String("maybe")})
	wantCode(t, err, "InvalidParameterException")
	n := 0
	ap := sdk.NewListInstanceAttributesPaginator(v.c, &sdk.ListInstanceAttributesInput{InstanceId: aws.String(a)})
	for ap.HasMorePages() {
		out, err := ap.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(out.Attributes) > 7 {
			t.Fatalf("page of %d attributes", len(out.Attributes))
		}
		n += len(out.Attributes)
	}
	if n != 13 {
		t.Fatalf("%d attributes", n)
	}

	if _, err := v.c.DeleteInstance(ctx, &sdk.DeleteInstanceInput{InstanceId: aws.String(b)}); err != nil {
		t.Fatal(err)
	}
	_, err = v.c.DescribeInstance(ctx, &sdk.DescribeInstanceInput{InstanceId: aws.String(b)})
	wantCode(t, err, "ResourceNotFoundException")
	_, err = v.c.CreateInstance(ctx, &sdk.CreateInstanceInput{IdentityManagementType: types.DirectoryTypeConnectManaged,
		InboundCallsEnabled: aws.Bool(true), OutboundCallsEnabled: aws.Bool(true)})
	wantCode(t, err, "InvalidRequestException")
}

func TestImportPhoneNumber(t *testing.T) {
	v := newEnv(t, core.Options{})
	inst := v.instance("acme")
	// As the plan writes it (blueprint msgEUM).
	in := &sdk.ImportPhoneNumberInput{InstanceId: aws.String(inst), SourcePhoneNumberArn: aws.String(eumARN("0a1b2c3d4e5f60718293a4b5c6d7e8f9")),
		PhoneNumberDescription: aws.String("Imported by p2c from End User Messaging for migrated Pinpoint campaigns"),
		Tags:                   map[string]string{"p2c:plan": "abc", "p2c:step": "phone-number-import/us-east-1/n1"}}
	out, err := v.c.ImportPhoneNumber(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	id := aws.ToString(out.PhoneNumberId)
	if !strings.HasSuffix(aws.ToString(out.PhoneNumberArn), ":phone-number/"+id) || len(id) != 36 {
		t.Fatalf("import: %+v", out)
	}
	// The import settles asynchronously: DescribePhoneNumber is the poll.
	var statuses []types.PhoneNumberWorkflowStatus
	for range 2 {
		d, err := v.c.DescribePhoneNumber(ctx, &sdk.DescribePhoneNumberInput{PhoneNumberId: aws.String(id)})
		if err != nil {
			t.Fatal(err)
		}
		s := d.ClaimedPhoneNumberSummary
		statuses = append(statuses, s.PhoneNumberStatus.Status)
		if aws.ToString(s.SourcePhoneNumberArn) != aws.ToString(in.SourcePhoneNumberArn) || aws.ToString(s.InstanceId) != inst ||
			s.Tags["p2c:step"] == "" || !strings.HasPrefix(aws.ToString(s.PhoneNumber), "+") || s.PhoneNumberType != types.PhoneNumberTypeDid {
			t.Fatalf("describe: %+v", s)
		}
	}
	if fmt.Sprint(statuses) != "[IN_PROGRESS CLAIMED]" {
		t.Fatalf("statuses %v", statuses)
	}
	// The same client token answers the same; the number cannot be imported twice.
	in.ClientToken = aws.String("tok-1")
	in.SourcePhoneNumberArn = aws.String(eumARN("11111111111111111111111111111111"))
	first, err := v.c.ImportPhoneNumber(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	again, err := v.c.ImportPhoneNumber(ctx, in)
	if err != nil || aws.ToString(again.PhoneNumberId) != aws.ToString(first.PhoneNumberId) {
		t.Fatalf("idempotent import: %v %+v %+v", err, first, again)
	}
	in.PhoneNumberDescription = aws.String("other")
	_, err = v.c.ImportPhoneNumber(ctx, in)
	wantCode(t, err, "IdempotencyException")
	in.ClientToken = nil
	_, err = v.c.ImportPhoneNumber(ctx, in)
	wantCode(t, err, "InvalidParameterException")

	for _, bad := range []string{
		"arn:aws:connect:us-east-1:111122223333:phone-number/x",         // not EUM
		"arn:aws:sms-voice:eu-west-1:111122223333:phone-number/phone-1", // other region
		"+12065550100",
	} {
		_, err := v.c.ImportPhoneNumber(ctx, &sdk.ImportPhoneNumberInput{InstanceId: aws.String(inst), SourcePhoneNumberArn: aws.String(bad)})
		wantCode(t, err, "InvalidParameterException")
	}
	_, err = v.c.ImportPhoneNumber(ctx, &sdk.ImportPhoneNumberInput{InstanceId: aws.String("00000000-0000-0000-0000-000000000000"), SourcePhoneNumberArn: aws.String(eumARN("2"))})
	wantCode(t, err, "ResourceNotFoundException")

	// Phone numbers per instance: 5.
	for i := 3; i <= 5; i++ {
		if _, err := v.c.ImportPhoneNumber(ctx, &sdk.ImportPhoneNumberInput{InstanceId: aws.String(inst), SourcePhoneNumberArn: aws.String(eumARN(fmt.Sprint(i)))}); err != nil {
			t.Fatal(err)
		}
	}
	_, err = v.c.ImportPhoneNumber(ctx, &sdk.ImportPhoneNumberInput{InstanceId: aws.String(inst), SourcePhoneNumberArn: aws.String(eumARN("6"))})
	wantCode(t, err, "ServiceQuotaExceededException")

	var got []string
	p := sdk.NewListPhoneNumbersV2Paginator(v.c, &sdk.ListPhoneNumbersV2Input{InstanceId: aws.String(inst), MaxResults: aws.Int32(2)})
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range out.ListPhoneNumbersSummaryList {
			got = append(got, aws.ToString(s.SourcePhoneNumberArn))
		}
	}
	if len(got) != 5 || got[0] != eumARN("0a1b2c3d4e5f60718293a4b5c6d7e8f9") {
		t.Fatalf("list: %v", got)
	}
	if _, err := v.c.ReleasePhoneNumber(ctx, &sdk.ReleasePhoneNumberInput{PhoneNumberId: aws.String(id)}); err != nil {
		t.Fatal(err)
	}
	_, err = v.c.DescribePhoneNumber(ctx, &sdk.DescribePhoneNumberInput{PhoneNumberId: aws.String(id)})
	wantCode(t, err, "ResourceNotFoundException")
}

func TestImportPhoneNumberLookup(t *testing.T) {
	v := newEnv(t, core.Options{})
	v.svc.SetNumberLookup(func(region, arn string) (connect.Number, bool) {
		switch arn {
		case eumARN("tf"):
			return connect.Number{PhoneNumber: "+18885550100", IsoCountryCode: "US", NumberType: "TOLL_FREE", Status: "ACTIVE"}, true
		case eumARN("pending"):
			return connect.Number{PhoneNumber: "+18885550101", IsoCountryCode: "US", NumberType: "TOLL_FREE", Status: "PENDING"}, true
		}
		return connect.Number{}, false
	})
	inst := v.instance("acme")
	out, err := v.c.ImportPhoneNumber(ctx, &sdk.ImportPhoneNumberInput{InstanceId: aws.String(inst), SourcePhoneNumberArn: aws.String(eumARN("tf"))})
	if err != nil {
		t.Fatal(err)
	}
	v.svc.Settle()
	d, err := v.c.DescribePhoneNumber(ctx, &sdk.DescribePhoneNumberInput{PhoneNumberId: out.PhoneNumberId})
	if err != nil {
		t.Fatal(err)
	}
	s := d.ClaimedPhoneNumberSummary
	if aws.ToString(s.PhoneNumber) != "+18885550100" || s.PhoneNumberType != types.PhoneNumberTypeTollFree || s.PhoneNumberStatus.Status != types.PhoneNumberWorkflowStatusClaimed {
		t.Fatalf("describe: %+v", s)
	}
	l, err := v.c.ListPhoneNumbersV2(ctx, &sdk.ListPhoneNumbersV2Input{PhoneNumberPrefix: aws.String("+1888"), PhoneNumberTypes: []types.PhoneNumberType{types.PhoneNumberTypeTollFree}})
	if err != nil || len(l.ListPhoneNumbersSummaryList) != 1 {
		t.Fatalf("filtered list: %v %+v", err, l)
	}
	_, err = v.c.ImportPhoneNumber(ctx, &sdk.ImportPhoneNumberInput{InstanceId: aws.String(inst), SourcePhoneNumberArn: aws.String(eumARN("gone"))})
	wantCode(t, err, "ResourceNotFoundException")
	_, err = v.c.ImportPhoneNumber(ctx, &sdk.ImportPhoneNumberInput{InstanceId: aws.String(inst), SourcePhoneNumberArn: aws.String(eumARN("pending"))})
	wantCode(t, err, "InvalidParameterException")
}

func TestEmailAddresses(t *testing.T) {
	v := newEnv(t, core.Options{})
	inst := v.instance("acme")
	// A custom domain needs its SES identity associated with the instance.
	in := &sdk.CreateEmailAddressInput{InstanceId: aws.String(inst), EmailAddress: aws.String("news@example.com"),
		DisplayName: aws.String("Example News"), Description: aws.String("Sending address of migrated Pinpoint campaigns (p2c)"),
		Tags: map[string]string{"p2c:plan": "abc"}}
	_, err := v.c.CreateEmailAddress(ctx, in)
	wantCode(t, err, "InvalidRequestException")
	if _, err := v.c.CreateIntegrationAssociation(ctx, &sdk.CreateIntegrationAssociationInput{InstanceId: aws.String(inst),
		IntegrationType: types.IntegrationTypeSesIdentity, IntegrationArn: aws.String("arn:aws:ses:us-east-1:111122223333:identity/example.com")}); err != nil {
		t.Fatal(err)
	}
	out, err := v.c.CreateEmailAddress(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	_, err = v.c.CreateEmailAddress(ctx, in)
	wantCode(t, err, "DuplicateResourceException")
	d, err := v.c.DescribeEmailAddress(ctx, &sdk.DescribeEmailAddressInput{InstanceId: aws.String(inst), EmailAddressId: out.EmailAddressId})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(d.EmailAddress) != "news@example.com" || aws.ToString(d.DisplayName) != "Example News" || d.Tags["p2c:plan"] != "abc" ||
		!strings.HasPrefix(aws.ToString(d.CreateTimestamp), "20") || aws.ToString(d.EmailAddressArn) != aws.ToString(out.EmailAddressArn) {
		t.Fatalf("describe: %+v", d)
	}
	// The instance's own Connect domain needs nothing more.
	for i := range 4 {
		if _, err := v.c.CreateEmailAddress(ctx, &sdk.CreateEmailAddressInput{InstanceId: aws.String(inst),
			EmailAddress: aws.String(fmt.Sprintf("team%d@acme.email.connect.aws", i))}); err != nil {
			t.Fatal(err)
		}
	}
	var found []string
	search := &sdk.SearchEmailAddressesInput{InstanceId: aws.String(inst), MaxResults: aws.Int32(2),
		SearchCriteria: &types.EmailAddressSearchCriteria{StringCondition: &types.StringCondition{FieldName: aws.String("email_address"),
			Value: aws.String("team"), ComparisonType: types.StringComparisonTypeStartsWith}}}
	for pages := 0; ; pages++ {
		out, err := v.c.SearchEmailAddresses(ctx, search)
		if err != nil {
			t.Fatal(err)
		}
		if aws.ToInt64(out.ApproximateTotalCount) != 4 || len(out.EmailAddresses) > 2 || pages > 2 {
			t.Fatalf("search page: %+v", out)
		}
		for _, e := range out.EmailAddresses {
			found = append(found, aws.ToString(e.EmailAddress))
		}
		if out.NextToken == nil {
			break
		}
		search.NextToken = out.NextToken
	}
	if len(found) != 4 || found[0] != "team0@acme.email.connect.aws" {
		t.Fatalf("search: %v", found)
	}
	tagged, err := v.c.SearchEmailAddresses(ctx, &sdk.SearchEmailAddressesInput{InstanceId: aws.String(inst),
		SearchFilter: &types.EmailAddressSearchFilter{TagFilter: &types.ControlPlaneTagFilter{TagCondition: &types.TagCondition{TagKey: aws.String("p2c:plan"), TagValue: aws.String("abc")}}}})
	if err != nil || len(tagged.EmailAddresses) != 1 {
		t.Fatalf("tag search: %v %+v", err, tagged)
	}
	if _, err := v.c.UpdateEmailAddressMetadata(ctx, &sdk.UpdateEmailAddressMetadataInput{InstanceId: aws.String(inst), EmailAddressId: out.EmailAddressId,
		DisplayName: aws.String("Example")}); err != nil {
		t.Fatal(err)
	}
	d, err = v.c.DescribeEmailAddress(ctx, &sdk.DescribeEmailAddressInput{InstanceId: aws.String(inst), EmailAddressId: out.EmailAddressArn})
	if err != nil || aws.ToString(d.DisplayName) != "Example" || aws.ToString(d.Description) == "" {
		t.Fatalf("after update: %v %+v", err, d)
	}
	if _, err := v.c.DeleteEmailAddress(ctx, &sdk.DeleteEmailAddressInput{InstanceId: aws.String(inst), EmailAddressId: out.EmailAddressId}); err != nil {
		t.Fatal(err)
	}
	_, err = v.c.DescribeEmailAddress(ctx, &sdk.DescribeEmailAddressInput{InstanceId: aws.String(inst), EmailAddressId: out.EmailAddressId})
	wantCode(t, err, "ResourceNotFoundException")
}

const campaignFlow = `{"Version":"2019-10-30","StartAction":"a1","Actions":[{"Identifier":"a1","Type":"DisconnectParticipant","Parameters":{},"Transitions":{}}]}`

func TestFlows(t *testing.T) {
	v := newEnv(t, core.Options{})
	inst := v.instance("acme")
	out, err := v.c.CreateContactFlow(ctx, &sdk.CreateContactFlowInput{InstanceId: aws.String(inst), Name: aws.String("p2c Onboarding journey"),
		Type: types.ContactFlowTypeCampaign, Content: aws.String(campaignFlow), Description: aws.String("Skeleton of Pinpoint journey Onboarding"),
		Tags: map[string]string{"p2c:step": "flow/us-east-1/a1/j1"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(aws.ToString(out.FlowContentSha256)) != 64 {
		t.Fatalf("create: %+v", out)
	}
	d, err := v.c.DescribeContactFlow(ctx, &sdk.DescribeContactFlowInput{InstanceId: aws.String(inst), ContactFlowId: out.ContactFlowId})
	if err != nil {
		t.Fatal(err)
	}
	if d.ContactFlow.Type != types.ContactFlowTypeCampaign || aws.ToString(d.ContactFlow.Content) != campaignFlow || d.ContactFlow.Status != types.ContactFlowStatusPublished {
		t.Fatalf("describe: %+v", d.ContactFlow)
	}
	_, err = v.c.CreateContactFlow(ctx, &sdk.CreateContactFlowInput{InstanceId: aws.String(inst), Name: aws.String("p2c Onboarding journey"),
		Type: types.ContactFlowTypeCampaign, Content: aws.String(campaignFlow)})
	wantCode(t, err, "DuplicateResourceException")
	_, err = v.c.CreateContactFlow(ctx, &sdk.CreateContactFlowInput{InstanceId: aws.String(inst), Name: aws.String("bad"),
		Type: types.ContactFlowTypeCampaign, Content: aws.String(`{"Actions":"no"}`)})
	var icf *types.InvalidContactFlowException
	if !errors.As(err, &icf) || len(icf.Problems) != 2 {
		t.Fatalf("invalid content: %v", err)
	}
	saved, err := v.c.CreateContactFlow(ctx, &sdk.CreateContactFlowInput{InstanceId: aws.String(inst), Name: aws.String("draft"),
		Type: types.ContactFlowTypeCampaign, Content: aws.String(campaignFlow), Status: types.ContactFlowStatusSaved})
	if err != nil {
		t.Fatal(err)
	}
	_, err = v.c.DescribeContactFlow(ctx, &sdk.DescribeContactFlowInput{InstanceId: aws.String(inst), ContactFlowId: saved.ContactFlowId})
	wantCode(t, err, "ContactFlowNotPublishedException")
	if _, err := v.c.DescribeContactFlow(ctx, &sdk.DescribeContactFlowInput{InstanceId: aws.String(inst), ContactFlowId: aws.String(aws.ToString(saved.ContactFlowArn) + ":$SAVED")}); err != nil {
		t.Fatalf("describe $SAVED: %v", err)
	}

	// The instance's default flows plus two campaign flows, paged.
	all, campaigns := 0, 0
	p := sdk.NewListContactFlowsPaginator(v.c, &sdk.ListContactFlowsInput{InstanceId: aws.String(inst), MaxResults: aws.Int32(4)})
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		all += len(out.ContactFlowSummaryList)
	}
	cp := sdk.NewListContactFlowsPaginator(v.c, &sdk.ListContactFlowsInput{InstanceId: aws.String(inst), MaxResults: aws.Int32(1),
		ContactFlowTypes: []types.ContactFlowType{types.ContactFlowTypeCampaign}})
	for cp.HasMorePages() {
		out, err := cp.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range out.ContactFlowSummaryList {
			if s.ContactFlowType != types.ContactFlowTypeCampaign {
				t.Fatalf("filter: %+v", s)
			}
			campaigns++
		}
	}
	if all != 11 || campaigns != 2 {
		t.Fatalf("list: %d flows, %d campaign flows", all, campaigns)
	}
	if _, err := v.c.DeleteContactFlow(ctx, &sdk.DeleteContactFlowInput{InstanceId: aws.String(inst), ContactFlowId: out.ContactFlowId}); err != nil {
		t.Fatal(err)
	}
	_, err = v.c.DescribeContactFlow(ctx, &sdk.DescribeContactFlowInput{InstanceId: aws.String(inst), ContactFlowId: out.ContactFlowId})
	wantCode(t, err, "ResourceNotFoundException")

	// Flows per instance: 100, default flows included.
	v.svc.SetLimits(connect.Limits{InstancesPerRegion: 2, PhoneNumbersPerInst: 5, EmailAddressesPerInst: 100, FlowsPerInst: 11, IntegrationsPerInst: 100, TagsPerResource: 50})
	if _, err := v.c.CreateContactFlow(ctx, &sdk.CreateContactFlowInput{InstanceId: aws.String(inst), Name: aws.String("x"), Type: types.ContactFlowTypeCampaign, Content: aws.String(campaignFlow)}); err != nil {
		t.Fatal(err)
	}
	_, err = v.noRetry().CreateContactFlow(ctx, &sdk.CreateContactFlowInput{InstanceId: aws.String(inst), Name: aws.String("y"), Type: types.ContactFlowTypeCampaign, Content: aws.String(campaignFlow)})
	wantCode(t, err, "LimitExceededException")
}

func TestIntegrationAssociationsAndTags(t *testing.T) {
	v := newEnv(t, core.Options{})
	inst := v.instance("acme")
	kb := "arn:aws:wisdom:us-east-1:111122223333:knowledge-base/7f1e0c8a-1d2b-4c3d-9e4f-5a6b7c8d9e0f"
	out, err := v.c.CreateIntegrationAssociation(ctx, &sdk.CreateIntegrationAssociationInput{InstanceId: aws.String(inst),
		IntegrationType: types.IntegrationTypeQMessageTemplates, IntegrationArn: aws.String(kb), Tags: map[string]string{"p2c:plan": "abc"}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = v.c.CreateIntegrationAssociation(ctx, &sdk.CreateIntegrationAssociationInput{InstanceId: aws.String(inst),
		IntegrationType: types.IntegrationTypeQMessageTemplates, IntegrationArn: aws.String(kb)})
	wantCode(t, err, "DuplicateResourceException")
	_, err = v.c.CreateIntegrationAssociation(ctx, &sdk.CreateIntegrationAssociationInput{InstanceId: aws.String(inst),
		IntegrationType: types.IntegrationTypeQMessageTemplates, IntegrationArn: aws.String("arn:aws:ses:us-east-1:111122223333:identity/example.com")})
	wantCode(t, err, "InvalidRequestException")
	for i := range 3 {
		if _, err := v.c.CreateIntegrationAssociation(ctx, &sdk.CreateIntegrationAssociationInput{InstanceId: aws.String(inst),
			IntegrationType: types.IntegrationTypeSesIdentity, IntegrationArn: aws.String(fmt.Sprintf("arn:aws:ses:us-east-1:111122223333:identity/d%d.example.com", i))}); err != nil {
			t.Fatal(err)
		}
	}
	n := 0
	p := sdk.NewListIntegrationAssociationsPaginator(v.c, &sdk.ListIntegrationAssociationsInput{InstanceId: aws.String(inst), MaxResults: aws.Int32(2)})
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		n += len(out.IntegrationAssociationSummaryList)
	}
	one, err := v.c.ListIntegrationAssociations(ctx, &sdk.ListIntegrationAssociationsInput{InstanceId: aws.String(inst), IntegrationType: types.IntegrationTypeQMessageTemplates})
	if err != nil || n != 4 || len(one.IntegrationAssociationSummaryList) != 1 || aws.ToString(one.IntegrationAssociationSummaryList[0].IntegrationArn) != kb {
		t.Fatalf("list: %v %d %+v", err, n, one)
	}

	arn := aws.ToString(out.IntegrationAssociationArn)
	if _, err := v.c.TagResource(ctx, &sdk.TagResourceInput{ResourceArn: aws.String(arn), Tags: map[string]string{"owner": "team"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := v.c.UntagResource(ctx, &sdk.UntagResourceInput{ResourceArn: aws.String(arn), TagKeys: []string{"p2c:plan"}}); err != nil {
		t.Fatal(err)
	}
	tags, err := v.c.ListTagsForResource(ctx, &sdk.ListTagsForResourceInput{ResourceArn: aws.String(arn)})
	if err != nil || fmt.Sprint(tags.Tags) != "map[owner:team]" {
		t.Fatalf("tags: %v %+v", err, tags)
	}
	_, err = v.c.TagResource(ctx, &sdk.TagResourceInput{ResourceArn: aws.String(arn), Tags: map[string]string{"aws:x": "y"}})
	wantCode(t, err, "InvalidParameterException")

	if _, err := v.c.DeleteIntegrationAssociation(ctx, &sdk.DeleteIntegrationAssociationInput{InstanceId: aws.String(inst), IntegrationAssociationId: out.IntegrationAssociationId}); err != nil {
		t.Fatal(err)
	}
	_, err = v.c.DeleteIntegrationAssociation(ctx, &sdk.DeleteIntegrationAssociationInput{InstanceId: aws.String(inst), IntegrationAssociationId: out.IntegrationAssociationId})
	wantCode(t, err, "ResourceNotFoundException")
	_, err = v.c.ListTagsForResource(ctx, &sdk.ListTagsForResourceInput{ResourceArn: aws.String(arn)})
	wantCode(t, err, "ResourceNotFoundException")
}

func TestWire(t *testing.T) {
	v := newEnv(t, core.Options{})
	inst := v.instance("acme")
	// Missing required member: the model's validation error, with the
	// error type header and Connect's "Message" member.
	status, h, body := v.raw("POST", "/phone-number/import", `{"InstanceId":"`+inst+`"}`)
	if status != 400 || h.Get("X-Amzn-ErrorType") != "InvalidParameterException" || !strings.Contains(body, `"Message"`) || !strings.Contains(body, "SourcePhoneNumberArn") {
		t.Fatalf("validation: %d %v %s", status, h, body)
	}
	status, _, body = v.raw("GET", "/instance/"+inst, "")
	if status != 200 || !strings.Contains(body, `"CreatedTime":1`) {
		t.Fatalf("epoch timestamps: %d %s", status, body)
	}
	status, _, body = v.raw("DELETE", "/instance/"+inst+"/integration-associations/nope", "")
	if status != 404 {
		t.Fatalf("not found: %d %s", status, body)
	}
	status, _, body = v.raw("GET", "/contact-flows-summary/"+inst+"?nextToken=garbage", "")
	if status != 400 || !strings.Contains(body, "NextToken") {
		t.Fatalf("bad token: %d %s", status, body)
	}
}

func TestThrottling(t *testing.T) {
	v := newEnv(t, core.Options{Quotas: true})
	c := v.noRetry()
	throttled := false
	for range 10 {
		_, err := c.ListInstances(ctx, &sdk.ListInstancesInput{})
		if err != nil {
			wantCode(t, err, "ThrottlingException")
			var re interface{ HTTPStatusCode() int }
			if errors.As(err, &re) && re.HTTPStatusCode() != 429 {
				t.Fatalf("status %d", re.HTTPStatusCode())
			}
			throttled = true
			break
		}
	}
	if !throttled {
		t.Fatal("10 calls at once were not throttled at 2 TPS")
	}
}
