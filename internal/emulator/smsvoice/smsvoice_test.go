package smsvoice

import (
	"fmt"
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	sms "github.com/aws/aws-sdk-go-v2/service/pinpointsmsvoicev2"
	"github.com/aws/aws-sdk-go-v2/service/pinpointsmsvoicev2/types"

	"github.com/p2c/p2c/internal/emulator/core"
)

func requestNumber(t *testing.T, c *sms.Client, in *sms.RequestPhoneNumberInput) *sms.RequestPhoneNumberOutput {
	t.Helper()
	if in == nil {
		in = &sms.RequestPhoneNumberInput{}
	}
	if in.IsoCountryCode == nil {
		in.IsoCountryCode = aws.String("US")
	}
	if in.MessageType == "" {
		in.MessageType = types.MessageTypeTransactional
	}
	if in.NumberCapabilities == nil {
		in.NumberCapabilities = []types.NumberCapability{types.NumberCapabilitySms, types.NumberCapabilityVoice}
	}
	if in.NumberType == "" {
		in.NumberType = types.RequestableNumberTypeLongCode
	}
	out, err := c.RequestPhoneNumber(ctx, in)
	if err != nil {
		t.Fatalf("request phone number: %v", err)
	}
	return out
}

func TestPhoneNumbers(t *testing.T) {
	h := newHarness(t, core.Options{})
	c := h.client("us-east-1")

	var ids []string
	for i := range 25 {
		in := &sms.RequestPhoneNumberInput{Tags: []types.Tag{{Key: aws.String("n"), Value: aws.String(fmt.Sprint(i))}}}
		if i%5 == 0 {
			in.NumberType = types.RequestableNumberTypeTollFree
		}
		out := requestNumber(t, c, in)
		if out.Status != types.NumberStatusActive || len(*out.PhoneNumberId) != len("phone-")+32 || out.CreatedTimestamp == nil {
			t.Fatalf("request result = %+v", out)
		}
		if want := "arn:aws:sms-voice:us-east-1:" + core.Account + ":phone-number/" + *out.PhoneNumberId; *out.PhoneNumberArn != want {
			t.Fatalf("arn = %s, want %s", *out.PhoneNumberArn, want)
		}
		if *out.OptOutListName != "Default" || len(out.Tags) != 1 {
			t.Fatalf("request result = %+v", out)
		}
		ids = append(ids, *out.PhoneNumberId)
	}

	// Default page size, then an explicit one.
	var got []string
	pages := 0
	p := sms.NewDescribePhoneNumbersPaginator(c, &sms.DescribePhoneNumbersInput{})
	for p.HasMorePages() {
		out := must[*sms.DescribePhoneNumbersOutput](t)(p.NextPage(ctx))
		pages++
		for _, n := range out.PhoneNumbers {
			got = append(got, *n.PhoneNumberId)
		}
	}
	if pages != 2 || !slices.Equal(got, ids) {
		t.Fatalf("default paging: %d pages, %d numbers", pages, len(got))
	}
	got, pages = nil, 0
	p = sms.NewDescribePhoneNumbersPaginator(c, &sms.DescribePhoneNumbersInput{MaxResults: aws.Int32(7)})
	for p.HasMorePages() {
		out := must[*sms.DescribePhoneNumbersOutput](t)(p.NextPage(ctx))
		pages++
		for _, n := range out.PhoneNumbers {
			got = append(got, *n.PhoneNumberId)
		}
	}
	if pages != 4 || !slices.Equal(got, ids) {
		t.Fatalf("MaxResults 7: %d pages, %d numbers", pages, len(got))
	}

	// Filters and lookups by id and ARN.
	out := must[*sms.DescribePhoneNumbersOutput](t)(c.DescribePhoneNumbers(ctx, &sms.DescribePhoneNumbersInput{
		Filters: []types.PhoneNumberFilter{{Name: types.PhoneNumberFilterNameNumberType, Values: []string{"TOLL_FREE"}}},
	}))
	if len(out.PhoneNumbers) != 5 || out.NextToken != nil {
		t.Fatalf("toll-free filter: %d numbers", len(out.PhoneNumbers))
	}
	if n := out.PhoneNumbers[0]; (*n.PhoneNumber)[:2] != "+1" || *n.MonthlyLeasingPrice == "" {
		t.Fatalf("number = %+v", n)
	}
	arn := "arn:aws:sms-voice:us-east-1:" + core.Account + ":phone-number/" + ids[3]
	out = must[*sms.DescribePhoneNumbersOutput](t)(c.DescribePhoneNumbers(ctx, &sms.DescribePhoneNumbersInput{PhoneNumberIds: []string{ids[1], arn}}))
	if len(out.PhoneNumbers) != 2 || *out.PhoneNumbers[1].PhoneNumberId != ids[3] {
		t.Fatalf("by id: %+v", out.PhoneNumbers)
	}
	_, err := c.DescribePhoneNumbers(ctx, &sms.DescribePhoneNumbersInput{PhoneNumberIds: []string{"phone-00000000000000000000000000000000"}})
	nf := wantErr[*types.ResourceNotFoundException](t, err)
	if nf.ResourceType != types.ResourceTypePhoneNumber || *nf.ResourceId != "phone-00000000000000000000000000000000" {
		t.Fatalf("not found = %+v", nf)
	}

	// Bad requests.
	_, err = c.RequestPhoneNumber(ctx, &sms.RequestPhoneNumberInput{IsoCountryCode: aws.String("US"), MessageType: "BULK",
		NumberCapabilities: []types.NumberCapability{"SMS"}, NumberType: "LONG_CODE"})
	ve := wantErr[*types.ValidationException](t, err)
	if ve.Reason != types.ValidationExceptionReasonFieldValidationFailed || len(ve.Fields) != 1 || *ve.Fields[0].Name != "MessageType" {
		t.Fatalf("bad enum: %+v", ve)
	}
	_, err = h.client("us-east-1", noClientValidation).RequestPhoneNumber(ctx, &sms.RequestPhoneNumberInput{
		MessageType: "TRANSACTIONAL", NumberCapabilities: []types.NumberCapability{"SMS"}, NumberType: "LONG_CODE"})
	ve = wantErr[*types.ValidationException](t, err)
	if *ve.Fields[0].Name != "IsoCountryCode" {
		t.Fatalf("missing member: %+v", ve)
	}
	_, err = c.RequestPhoneNumber(ctx, &sms.RequestPhoneNumberInput{IsoCountryCode: aws.String("GB"), MessageType: "TRANSACTIONAL",
		NumberCapabilities: []types.NumberCapability{"SMS"}, NumberType: "TOLL_FREE"})
	wantErr[*types.ValidationException](t, err)
	_, err = c.DescribePhoneNumbers(ctx, &sms.DescribePhoneNumbersInput{NextToken: aws.String("garbage")})
	if ve := wantErr[*types.ValidationException](t, err); ve.Reason != types.ValidationExceptionReasonInvalidNextToken {
		t.Fatalf("bad token: %+v", ve)
	}
	_, err = c.DescribePhoneNumbers(ctx, &sms.DescribePhoneNumbersInput{MaxResults: aws.Int32(101)})
	wantErr[*types.ValidationException](t, err)
	_, err = c.RequestPhoneNumber(ctx, &sms.RequestPhoneNumberInput{IsoCountryCode: aws.String("US"), MessageType: "TRANSACTIONAL",
		NumberCapabilities: []types.NumberCapability{"SMS"}, NumberType: "LONG_CODE", OptOutListName: aws.String("nope")})
	if nf := wantErr[*types.ResourceNotFoundException](t, err); nf.ResourceType != types.ResourceTypeOptOutList {
		t.Fatalf("unknown opt-out list: %+v", nf)
	}

	// Idempotent retries return the same number.
	a := requestNumber(t, c, &sms.RequestPhoneNumberInput{ClientToken: aws.String("tok-1")})
	b := requestNumber(t, c, &sms.RequestPhoneNumberInput{ClientToken: aws.String("tok-1")})
	if *a.PhoneNumberId != *b.PhoneNumberId {
		t.Fatalf("client token: %s then %s", *a.PhoneNumberId, *b.PhoneNumberId)
	}

	// Release: deletion protection first, then for real.
	prot := requestNumber(t, c, &sms.RequestPhoneNumberInput{DeletionProtectionEnabled: aws.Bool(true)})
	_, err = c.ReleasePhoneNumber(ctx, &sms.ReleasePhoneNumberInput{PhoneNumberId: prot.PhoneNumberId})
	if ce := wantErr[*types.ConflictException](t, err); ce.Reason != types.ConflictExceptionReasonDeletionProtectionEnabled {
		t.Fatalf("protected release: %+v", ce)
	}
	rel := must[*sms.ReleasePhoneNumberOutput](t)(c.ReleasePhoneNumber(ctx, &sms.ReleasePhoneNumberInput{PhoneNumberId: aws.String(arn)}))
	if rel.Status != types.NumberStatusDeleted || *rel.PhoneNumberId != ids[3] {
		t.Fatalf("release = %+v", rel)
	}
	_, err = c.ReleasePhoneNumber(ctx, &sms.ReleasePhoneNumberInput{PhoneNumberId: aws.String(ids[3])})
	wantErr[*types.ResourceNotFoundException](t, err)
}

func TestSenderIDs(t *testing.T) {
	h := newHarness(t, core.Options{})
	c := h.client("us-east-1")
	for i := range 22 {
		out := must[*sms.RequestSenderIdOutput](t)(c.RequestSenderId(ctx, &sms.RequestSenderIdInput{
			SenderId: aws.String(fmt.Sprintf("Brand%02d", i)), IsoCountryCode: aws.String("GB")}))
		if want := "arn:aws:sms-voice:us-east-1:" + core.Account + fmt.Sprintf(":sender-id/Brand%02d/GB", i); *out.SenderIdArn != want {
			t.Fatalf("arn = %s", *out.SenderIdArn)
		}
		if len(out.MessageTypes) != 2 || out.Registered {
			t.Fatalf("sender id = %+v", out)
		}
	}
	must[*sms.RequestSenderIdOutput](t)(c.RequestSenderId(ctx, &sms.RequestSenderIdInput{
		SenderId: aws.String("Brand00"), IsoCountryCode: aws.String("DE"), MessageTypes: []types.MessageType{"PROMOTIONAL"}}))

	var got []string
	p := sms.NewDescribeSenderIdsPaginator(c, &sms.DescribeSenderIdsInput{MaxResults: aws.Int32(10)})
	for p.HasMorePages() {
		for _, s := range must[*sms.DescribeSenderIdsOutput](t)(p.NextPage(ctx)).SenderIds {
			got = append(got, *s.SenderId+"/"+*s.IsoCountryCode)
		}
	}
	if len(got) != 23 || got[22] != "Brand00/DE" {
		t.Fatalf("paged sender ids = %v", got)
	}
	out := must[*sms.DescribeSenderIdsOutput](t)(c.DescribeSenderIds(ctx, &sms.DescribeSenderIdsInput{
		Filters: []types.SenderIdFilter{{Name: types.SenderIdFilterNameSenderId, Values: []string{"Brand00"}}}}))
	if len(out.SenderIds) != 2 {
		t.Fatalf("filter: %d", len(out.SenderIds))
	}
	out = must[*sms.DescribeSenderIdsOutput](t)(c.DescribeSenderIds(ctx, &sms.DescribeSenderIdsInput{
		SenderIds: []types.SenderIdAndCountry{{SenderId: aws.String("Brand05"), IsoCountryCode: aws.String("GB")}}}))
	if len(out.SenderIds) != 1 || *out.SenderIds[0].SenderId != "Brand05" {
		t.Fatalf("by id: %+v", out.SenderIds)
	}
	_, err := c.DescribeSenderIds(ctx, &sms.DescribeSenderIdsInput{
		SenderIds: []types.SenderIdAndCountry{{SenderId: aws.String("Brand05"), IsoCountryCode: aws.String("FR")}}})
	if nf := wantErr[*types.ResourceNotFoundException](t, err); nf.ResourceType != types.ResourceTypeSenderId {
		t.Fatalf("not found: %+v", nf)
	}

	_, err = c.RequestSenderId(ctx, &sms.RequestSenderIdInput{SenderId: aws.String("Brand05"), IsoCountryCode: aws.String("GB")})
	if ce := wantErr[*types.ConflictException](t, err); ce.Reason != types.ConflictExceptionReasonResourceAlreadyExists {
		t.Fatalf("duplicate: %+v", ce)
	}
	_, err = c.RequestSenderId(ctx, &sms.RequestSenderIdInput{SenderId: aws.String("Brand"), IsoCountryCode: aws.String("US")})
	if ve := wantErr[*types.ValidationException](t, err); ve.Reason != types.ValidationExceptionReasonSenderIdNotSupported {
		t.Fatalf("US sender id: %+v", ve)
	}
	_, err = c.RequestSenderId(ctx, &sms.RequestSenderIdInput{SenderId: aws.String("Way-too-long-id"), IsoCountryCode: aws.String("GB")})
	wantErr[*types.ValidationException](t, err)

	rel := must[*sms.ReleaseSenderIdOutput](t)(c.ReleaseSenderId(ctx, &sms.ReleaseSenderIdInput{SenderId: aws.String("Brand05"), IsoCountryCode: aws.String("GB")}))
	if *rel.SenderId != "Brand05" {
		t.Fatalf("release = %+v", rel)
	}
	_, err = c.ReleaseSenderId(ctx, &sms.ReleaseSenderIdInput{SenderId: aws.String("Brand05"), IsoCountryCode: aws.String("GB")})
	wantErr[*types.ResourceNotFoundException](t, err)
}

func TestPools(t *testing.T) {
	h := newHarness(t, core.Options{})
	c := h.client("us-east-1")

	var poolIDs []string
	for range 21 {
		n := requestNumber(t, c, nil)
		out := must[*sms.CreatePoolOutput](t)(c.CreatePool(ctx, &sms.CreatePoolInput{
			OriginationIdentity: n.PhoneNumberArn, MessageType: types.MessageTypeTransactional}))
		if len(*out.PoolId) != len("pool-")+32 || out.Status != types.PoolStatusActive || *out.OptOutListName != "Default" {
			t.Fatalf("create pool = %+v", out)
		}
		poolIDs = append(poolIDs, *out.PoolId)
	}
	var got []string
	p := sms.NewDescribePoolsPaginator(c, &sms.DescribePoolsInput{})
	for p.HasMorePages() {
		for _, x := range must[*sms.DescribePoolsOutput](t)(p.NextPage(ctx)).Pools {
			got = append(got, *x.PoolId)
		}
	}
	if !slices.Equal(got, poolIDs) {
		t.Fatalf("paged pools = %d, want %d", len(got), len(poolIDs))
	}

	pool := poolIDs[0]
	for range 24 {
		n := requestNumber(t, c, nil)
		out := must[*sms.AssociateOriginationIdentityOutput](t)(c.AssociateOriginationIdentity(ctx, &sms.AssociateOriginationIdentityInput{
			PoolId: aws.String(pool), OriginationIdentity: n.PhoneNumberId}))
		if *out.OriginationIdentity != *n.PhoneNumberId || *out.PoolId != pool {
			t.Fatalf("associate = %+v", out)
		}
	}
	must[*sms.RequestSenderIdOutput](t)(c.RequestSenderId(ctx, &sms.RequestSenderIdInput{SenderId: aws.String("ACME"), IsoCountryCode: aws.String("GB")}))
	must[*sms.AssociateOriginationIdentityOutput](t)(c.AssociateOriginationIdentity(ctx, &sms.AssociateOriginationIdentityInput{
		PoolId: aws.String(pool), OriginationIdentity: aws.String("ACME"), IsoCountryCode: aws.String("GB")}))

	var members []types.OriginationIdentityMetadata
	lp := sms.NewListPoolOriginationIdentitiesPaginator(c, &sms.ListPoolOriginationIdentitiesInput{PoolId: aws.String(pool), MaxResults: aws.Int32(10)})
	pages := 0
	for lp.HasMorePages() {
		out := must[*sms.ListPoolOriginationIdentitiesOutput](t)(lp.NextPage(ctx))
		pages++
		if *out.PoolId != pool {
			t.Fatalf("pool id = %s", *out.PoolId)
		}
		members = append(members, out.OriginationIdentities...)
	}
	if len(members) != 26 || pages != 3 || *members[25].OriginationIdentity != "ACME" || members[0].PhoneNumber == nil {
		t.Fatalf("members = %d in %d pages", len(members), pages)
	}
	lo := must[*sms.ListPoolOriginationIdentitiesOutput](t)(c.ListPoolOriginationIdentities(ctx, &sms.ListPoolOriginationIdentitiesInput{
		PoolId:  aws.String(pool),
		Filters: []types.PoolOriginationIdentitiesFilter{{Name: types.PoolOriginationIdentitiesFilterNameIsoCountryCode, Values: []string{"GB"}}}}))
	if len(lo.OriginationIdentities) != 1 {
		t.Fatalf("GB members = %d", len(lo.OriginationIdentities))
	}

	// Conflicts.
	member := *members[1].OriginationIdentity
	_, err := c.AssociateOriginationIdentity(ctx, &sms.AssociateOriginationIdentityInput{PoolId: aws.String(poolIDs[1]), OriginationIdentity: aws.String(member)})
	if ce := wantErr[*types.ConflictException](t, err); ce.Reason != types.ConflictExceptionReasonResourceAlreadyAssociated {
		t.Fatalf("double association: %+v", ce)
	}
	promo := requestNumber(t, c, &sms.RequestPhoneNumberInput{MessageType: types.MessageTypePromotional})
	_, err = c.AssociateOriginationIdentity(ctx, &sms.AssociateOriginationIdentityInput{PoolId: aws.String(pool), OriginationIdentity: promo.PhoneNumberId})
	if ce := wantErr[*types.ConflictException](t, err); ce.Reason != types.ConflictExceptionReasonMessageTypeMismatch {
		t.Fatalf("message type: %+v", ce)
	}
	_, err = c.ReleasePhoneNumber(ctx, &sms.ReleasePhoneNumberInput{PhoneNumberId: aws.String(member)})
	if ce := wantErr[*types.ConflictException](t, err); ce.Reason != types.ConflictExceptionReasonPhoneNumberAssociatedToPool {
		t.Fatalf("release pooled number: %+v", ce)
	}
	_, err = c.AssociateOriginationIdentity(ctx, &sms.AssociateOriginationIdentityInput{PoolId: aws.String("pool-00000000000000000000000000000000"), OriginationIdentity: promo.PhoneNumberId})
	if nf := wantErr[*types.ResourceNotFoundException](t, err); nf.ResourceType != types.ResourceTypePool {
		t.Fatalf("unknown pool: %+v", nf)
	}
	_, err = c.CreatePool(ctx, &sms.CreatePoolInput{OriginationIdentity: aws.String("ACME"), MessageType: "TRANSACTIONAL"})
	if ve := wantErr[*types.ValidationException](t, err); ve.Reason != types.ValidationExceptionReasonMissingParameter {
		t.Fatalf("sender id without country: %+v", ve)
	}

	// The pool's number shows its pool; disassociate; delete frees the rest.
	pn := must[*sms.DescribePhoneNumbersOutput](t)(c.DescribePhoneNumbers(ctx, &sms.DescribePhoneNumbersInput{PhoneNumberIds: []string{member}}))
	if *pn.PhoneNumbers[0].PoolId != pool {
		t.Fatalf("pool of member = %v", pn.PhoneNumbers[0].PoolId)
	}
	must[*sms.DisassociateOriginationIdentityOutput](t)(c.DisassociateOriginationIdentity(ctx, &sms.DisassociateOriginationIdentityInput{
		PoolId: aws.String(pool), OriginationIdentity: aws.String(member)}))
	must[*sms.ReleasePhoneNumberOutput](t)(c.ReleasePhoneNumber(ctx, &sms.ReleasePhoneNumberInput{PhoneNumberId: aws.String(member)}))

	dp := must[*sms.DeletePoolOutput](t)(c.DeletePool(ctx, &sms.DeletePoolInput{PoolId: aws.String(pool)}))
	if dp.Status != types.PoolStatusDeleting {
		t.Fatalf("delete pool = %+v", dp)
	}
	must[*sms.ReleasePhoneNumberOutput](t)(c.ReleasePhoneNumber(ctx, &sms.ReleasePhoneNumberInput{PhoneNumberId: members[2].OriginationIdentity}))
	must[*sms.ReleaseSenderIdOutput](t)(c.ReleaseSenderId(ctx, &sms.ReleaseSenderIdInput{SenderId: aws.String("ACME"), IsoCountryCode: aws.String("GB")}))
	_, err = c.DescribePools(ctx, &sms.DescribePoolsInput{PoolIds: []string{pool}})
	wantErr[*types.ResourceNotFoundException](t, err)

	prot := must[*sms.CreatePoolOutput](t)(c.CreatePool(ctx, &sms.CreatePoolInput{OriginationIdentity: promo.PhoneNumberId,
		MessageType: types.MessageTypePromotional, DeletionProtectionEnabled: aws.Bool(true)}))
	_, err = c.DeletePool(ctx, &sms.DeletePoolInput{PoolId: prot.PoolArn})
	if ce := wantErr[*types.ConflictException](t, err); ce.Reason != types.ConflictExceptionReasonDeletionProtectionEnabled {
		t.Fatalf("protected pool: %+v", ce)
	}
	fo := must[*sms.DescribePoolsOutput](t)(c.DescribePools(ctx, &sms.DescribePoolsInput{
		Filters: []types.PoolFilter{{Name: types.PoolFilterNameMessageType, Values: []string{"PROMOTIONAL"}}}}))
	if len(fo.Pools) != 1 || *fo.Pools[0].PoolId != *prot.PoolId {
		t.Fatalf("filtered pools = %+v", fo.Pools)
	}
}

func TestKeywords(t *testing.T) {
	h := newHarness(t, core.Options{})
	c := h.client("us-east-1")
	n := requestNumber(t, c, nil)

	for i := range 25 {
		out := must[*sms.PutKeywordOutput](t)(c.PutKeyword(ctx, &sms.PutKeywordInput{OriginationIdentity: n.PhoneNumberId,
			Keyword: aws.String(fmt.Sprintf("KW%02d", i)), KeywordMessage: aws.String("hello")}))
		if out.KeywordAction != types.KeywordActionAutomaticResponse || *out.OriginationIdentityArn != *n.PhoneNumberArn {
			t.Fatalf("put keyword = %+v", out)
		}
	}
	must[*sms.PutKeywordOutput](t)(c.PutKeyword(ctx, &sms.PutKeywordInput{OriginationIdentity: n.PhoneNumberArn,
		Keyword: aws.String("quit"), KeywordMessage: aws.String("bye"), KeywordAction: types.KeywordActionOptOut}))

	var got []string
	p := sms.NewDescribeKeywordsPaginator(c, &sms.DescribeKeywordsInput{OriginationIdentity: n.PhoneNumberId})
	pages := 0
	for p.HasMorePages() {
		pages++
		for _, k := range must[*sms.DescribeKeywordsOutput](t)(p.NextPage(ctx)).Keywords {
			got = append(got, *k.Keyword)
		}
	}
	if len(got) != 28 || pages != 2 || got[0] != "HELP" || got[1] != "STOP" || got[27] != "quit" {
		t.Fatalf("keywords = %v (%d pages)", got, pages)
	}
	out := must[*sms.DescribeKeywordsOutput](t)(c.DescribeKeywords(ctx, &sms.DescribeKeywordsInput{OriginationIdentity: n.PhoneNumberId,
		Filters: []types.KeywordFilter{{Name: types.KeywordFilterNameKeywordAction, Values: []string{"OPT_OUT"}}}}))
	if len(out.Keywords) != 2 {
		t.Fatalf("OPT_OUT keywords = %d", len(out.Keywords))
	}
	out = must[*sms.DescribeKeywordsOutput](t)(c.DescribeKeywords(ctx, &sms.DescribeKeywordsInput{OriginationIdentity: n.PhoneNumberId, Keywords: []string{"Quit"}}))
	if len(out.Keywords) != 1 || *out.Keywords[0].KeywordMessage != "bye" {
		t.Fatalf("by keyword = %+v", out.Keywords)
	}

	_, err := c.DeleteKeyword(ctx, &sms.DeleteKeywordInput{OriginationIdentity: n.PhoneNumberId, Keyword: aws.String("STOP")})
	wantErr[*types.ConflictException](t, err)
	_, err = c.DeleteKeyword(ctx, &sms.DeleteKeywordInput{OriginationIdentity: n.PhoneNumberId, Keyword: aws.String("NOPE")})
	if nf := wantErr[*types.ResourceNotFoundException](t, err); nf.ResourceType != types.ResourceTypeKeyword {
		t.Fatalf("unknown keyword: %+v", nf)
	}
	del := must[*sms.DeleteKeywordOutput](t)(c.DeleteKeyword(ctx, &sms.DeleteKeywordInput{OriginationIdentity: n.PhoneNumberId, Keyword: aws.String("KW00")}))
	if *del.Keyword != "KW00" {
		t.Fatalf("delete = %+v", del)
	}
	for i := range 4 { // 27 keywords now; the quota is 30
		_, err = c.PutKeyword(ctx, &sms.PutKeywordInput{OriginationIdentity: n.PhoneNumberId,
			Keyword: aws.String(fmt.Sprintf("MORE%d", i)), KeywordMessage: aws.String("x")})
	}
	if qe := wantErr[*types.ServiceQuotaExceededException](t, err); qe.Reason != types.ServiceQuotaExceededExceptionReasonKeywordsPerPhoneNumber {
		t.Fatalf("keyword quota: %+v", qe)
	}
	_, err = c.PutKeyword(ctx, &sms.PutKeywordInput{OriginationIdentity: n.PhoneNumberId, Keyword: aws.String("X"),
		KeywordMessage: aws.String("x"), KeywordAction: "SHOUT"})
	wantErr[*types.ValidationException](t, err)

	pool := must[*sms.CreatePoolOutput](t)(c.CreatePool(ctx, &sms.CreatePoolInput{OriginationIdentity: n.PhoneNumberId, MessageType: "TRANSACTIONAL"}))
	must[*sms.PutKeywordOutput](t)(c.PutKeyword(ctx, &sms.PutKeywordInput{OriginationIdentity: pool.PoolId, Keyword: aws.String("JOIN"),
		KeywordMessage: aws.String("welcome"), KeywordAction: types.KeywordActionOptIn}))
	out = must[*sms.DescribeKeywordsOutput](t)(c.DescribeKeywords(ctx, &sms.DescribeKeywordsInput{OriginationIdentity: pool.PoolArn}))
	if len(out.Keywords) != 3 || *out.OriginationIdentity != *pool.PoolId {
		t.Fatalf("pool keywords = %+v", out)
	}
	_, err = c.DescribeKeywords(ctx, &sms.DescribeKeywordsInput{OriginationIdentity: aws.String("phone-00000000000000000000000000000000")})
	wantErr[*types.ResourceNotFoundException](t, err)
}

func TestConfigurationSets(t *testing.T) {
	h := newHarness(t, core.Options{})
	c := h.client("us-east-1")
	for i := range 23 {
		out := must[*sms.CreateConfigurationSetOutput](t)(c.CreateConfigurationSet(ctx, &sms.CreateConfigurationSetInput{
			ConfigurationSetName: aws.String(fmt.Sprintf("cs-%02d", i))}))
		if *out.ConfigurationSetArn != "arn:aws:sms-voice:us-east-1:"+core.Account+fmt.Sprintf(":configuration-set/cs-%02d", i) {
			t.Fatalf("arn = %s", *out.ConfigurationSetArn)
		}
	}
	_, err := c.CreateConfigurationSet(ctx, &sms.CreateConfigurationSetInput{ConfigurationSetName: aws.String("cs-00")})
	wantErr[*types.ConflictException](t, err)
	_, err = c.CreateConfigurationSet(ctx, &sms.CreateConfigurationSetInput{ConfigurationSetName: aws.String("#%!")})
	wantErr[*types.ValidationException](t, err)

	role := "arn:aws:iam::" + core.Account + ":role/sms-events"
	for i := range 5 {
		in := &sms.CreateEventDestinationInput{ConfigurationSetName: aws.String("cs-01"), EventDestinationName: aws.String(fmt.Sprintf("dest-%d", i)),
			MatchingEventTypes: []types.EventType{types.EventTypeTextAll}}
		switch i % 3 {
		case 0:
			in.SnsDestination = &types.SnsDestination{TopicArn: aws.String("arn:aws:sns:us-east-1:" + core.Account + ":sms-events")}
		case 1:
			in.CloudWatchLogsDestination = &types.CloudWatchLogsDestination{IamRoleArn: aws.String(role),
				LogGroupArn: aws.String("arn:aws:logs:us-east-1:" + core.Account + ":log-group:sms")}
		case 2:
			in.KinesisFirehoseDestination = &types.KinesisFirehoseDestination{IamRoleArn: aws.String(role),
				DeliveryStreamArn: aws.String("arn:aws:firehose:us-east-1:" + core.Account + ":deliverystream/sms")}
		}
		out := must[*sms.CreateEventDestinationOutput](t)(c.CreateEventDestination(ctx, in))
		if !*out.EventDestination.Enabled || *out.ConfigurationSetName != "cs-01" {
			t.Fatalf("create destination = %+v", out)
		}
	}
	sns := &types.SnsDestination{TopicArn: aws.String("arn:aws:sns:us-east-1:" + core.Account + ":other")}
	_, err = c.CreateEventDestination(ctx, &sms.CreateEventDestinationInput{ConfigurationSetName: aws.String("cs-01"),
		EventDestinationName: aws.String("dest-9"), MatchingEventTypes: []types.EventType{"ALL"}, SnsDestination: sns})
	wantErr[*types.ServiceQuotaExceededException](t, err)
	_, err = c.CreateEventDestination(ctx, &sms.CreateEventDestinationInput{ConfigurationSetName: aws.String("cs-02"),
		EventDestinationName: aws.String("none"), MatchingEventTypes: []types.EventType{"ALL"}})
	wantErr[*types.ValidationException](t, err)
	_, err = c.CreateEventDestination(ctx, &sms.CreateEventDestinationInput{ConfigurationSetName: aws.String("cs-02"),
		EventDestinationName: aws.String("bad"), MatchingEventTypes: []types.EventType{"TEXT_EVERYTHING"}, SnsDestination: sns})
	wantErr[*types.ValidationException](t, err)
	_, err = c.CreateEventDestination(ctx, &sms.CreateEventDestinationInput{ConfigurationSetName: aws.String("nope"),
		EventDestinationName: aws.String("d"), MatchingEventTypes: []types.EventType{"ALL"}, SnsDestination: sns})
	if nf := wantErr[*types.ResourceNotFoundException](t, err); nf.ResourceType != types.ResourceTypeConfigurationSet {
		t.Fatalf("unknown set: %+v", nf)
	}

	var sets []types.ConfigurationSetInformation
	p := sms.NewDescribeConfigurationSetsPaginator(c, &sms.DescribeConfigurationSetsInput{})
	for p.HasMorePages() {
		sets = append(sets, must[*sms.DescribeConfigurationSetsOutput](t)(p.NextPage(ctx)).ConfigurationSets...)
	}
	if len(sets) != 23 || len(sets[1].EventDestinations) != 5 || sets[0].EventDestinations == nil {
		t.Fatalf("sets = %d, destinations of cs-01 = %d", len(sets), len(sets[1].EventDestinations))
	}
	if d := sets[1].EventDestinations[1]; d.CloudWatchLogsDestination == nil || d.SnsDestination != nil {
		t.Fatalf("destination = %+v", d)
	}
	out := must[*sms.DescribeConfigurationSetsOutput](t)(c.DescribeConfigurationSets(ctx, &sms.DescribeConfigurationSetsInput{
		Filters: []types.ConfigurationSetFilter{{Name: types.ConfigurationSetFilterNameEventDestinationName, Values: []string{"dest-3"}}}}))
	if len(out.ConfigurationSets) != 1 || *out.ConfigurationSets[0].ConfigurationSetName != "cs-01" {
		t.Fatalf("filter = %+v", out.ConfigurationSets)
	}

	dd := must[*sms.DeleteEventDestinationOutput](t)(c.DeleteEventDestination(ctx, &sms.DeleteEventDestinationInput{
		ConfigurationSetName: aws.String("cs-01"), EventDestinationName: aws.String("dest-0")}))
	if *dd.EventDestination.EventDestinationName != "dest-0" || dd.EventDestination.SnsDestination == nil {
		t.Fatalf("delete destination = %+v", dd)
	}
	_, err = c.DeleteEventDestination(ctx, &sms.DeleteEventDestinationInput{ConfigurationSetName: aws.String("cs-01"), EventDestinationName: aws.String("dest-0")})
	if nf := wantErr[*types.ResourceNotFoundException](t, err); nf.ResourceType != types.ResourceTypeEventDestination {
		t.Fatalf("deleted destination: %+v", nf)
	}
	ds := must[*sms.DeleteConfigurationSetOutput](t)(c.DeleteConfigurationSet(ctx, &sms.DeleteConfigurationSetInput{ConfigurationSetName: aws.String(*sets[1].ConfigurationSetArn)}))
	if len(ds.EventDestinations) != 4 {
		t.Fatalf("delete set = %+v", ds)
	}
	_, err = c.DescribeConfigurationSets(ctx, &sms.DescribeConfigurationSetsInput{ConfigurationSetNames: []string{"cs-01"}})
	wantErr[*types.ResourceNotFoundException](t, err)
}

func TestOptOutLists(t *testing.T) {
	h := newHarness(t, core.Options{})
	c := h.client("us-east-1")
	for i := range 22 {
		out := must[*sms.CreateOptOutListOutput](t)(c.CreateOptOutList(ctx, &sms.CreateOptOutListInput{OptOutListName: aws.String(fmt.Sprintf("list-%02d", i))}))
		if *out.OptOutListArn != "arn:aws:sms-voice:us-east-1:"+core.Account+fmt.Sprintf(":opt-out-list/list-%02d", i) || out.CreatedTimestamp == nil {
			t.Fatalf("create = %+v", out)
		}
	}
	_, err := c.CreateOptOutList(ctx, &sms.CreateOptOutListInput{OptOutListName: aws.String("list-00")})
	wantErr[*types.ConflictException](t, err)

	var names []string
	p := sms.NewDescribeOptOutListsPaginator(c, &sms.DescribeOptOutListsInput{MaxResults: aws.Int32(5)})
	for p.HasMorePages() {
		for _, l := range must[*sms.DescribeOptOutListsOutput](t)(p.NextPage(ctx)).OptOutLists {
			names = append(names, *l.OptOutListName)
		}
	}
	if len(names) != 22 || names[21] != "list-21" {
		t.Fatalf("lists = %v", names)
	}

	for i := range 45 {
		out := must[*sms.PutOptedOutNumberOutput](t)(c.PutOptedOutNumber(ctx, &sms.PutOptedOutNumberInput{
			OptOutListName: aws.String("list-03"), OptedOutNumber: aws.String(fmt.Sprintf("+1206555%04d", i))}))
		if out.EndUserOptedOut || out.OptedOutTimestamp == nil || *out.OptOutListName != "list-03" {
			t.Fatalf("put = %+v", out)
		}
	}
	var numbers []string
	np := sms.NewDescribeOptedOutNumbersPaginator(c, &sms.DescribeOptedOutNumbersInput{OptOutListName: aws.String("list-03")})
	pages := 0
	for np.HasMorePages() {
		pages++
		for _, o := range must[*sms.DescribeOptedOutNumbersOutput](t)(np.NextPage(ctx)).OptedOutNumbers {
			numbers = append(numbers, *o.OptedOutNumber)
		}
	}
	if len(numbers) != 45 || pages != 3 || numbers[44] != "+12065550044" {
		t.Fatalf("opted out = %d in %d pages", len(numbers), pages)
	}
	out := must[*sms.DescribeOptedOutNumbersOutput](t)(c.DescribeOptedOutNumbers(ctx, &sms.DescribeOptedOutNumbersInput{
		OptOutListName: aws.String("list-03"), OptedOutNumbers: []string{"+12065550007"},
		Filters: []types.OptedOutFilter{{Name: types.OptedOutFilterNameEndUserOptedOut, Values: []string{"false"}}}}))
	if len(out.OptedOutNumbers) != 1 {
		t.Fatalf("by number = %+v", out.OptedOutNumbers)
	}
	_, err = c.DescribeOptedOutNumbers(ctx, &sms.DescribeOptedOutNumbersInput{OptOutListName: aws.String("list-04"), OptedOutNumbers: []string{"+12065550007"}})
	wantErr[*types.ResourceNotFoundException](t, err)
	_, err = c.PutOptedOutNumber(ctx, &sms.PutOptedOutNumberInput{OptOutListName: aws.String("list-03"), OptedOutNumber: aws.String("call-me")})
	wantErr[*types.ValidationException](t, err)
	_, err = c.PutOptedOutNumber(ctx, &sms.PutOptedOutNumberInput{OptOutListName: aws.String("nope"), OptedOutNumber: aws.String("+12065550100")})
	if nf := wantErr[*types.ResourceNotFoundException](t, err); nf.ResourceType != types.ResourceTypeOptOutList {
		t.Fatalf("unknown list: %+v", nf)
	}
	_, err = c.DescribeOptedOutNumbers(ctx, &sms.DescribeOptedOutNumbersInput{OptOutListName: aws.String("list-03"), NextToken: aws.String("garbage")})
	wantErr[*types.ValidationException](t, err)

	del := must[*sms.DeleteOptedOutNumberOutput](t)(c.DeleteOptedOutNumber(ctx, &sms.DeleteOptedOutNumberInput{
		OptOutListName: aws.String("list-03"), OptedOutNumber: aws.String("+12065550007")}))
	if *del.OptedOutNumber != "+12065550007" {
		t.Fatalf("delete = %+v", del)
	}
	_, err = c.DeleteOptedOutNumber(ctx, &sms.DeleteOptedOutNumberInput{OptOutListName: aws.String("list-03"), OptedOutNumber: aws.String("+12065550007")})
	wantErr[*types.ResourceNotFoundException](t, err)

	// A list in use by a number cannot be deleted; an unused one can.
	requestNumber(t, c, &sms.RequestPhoneNumberInput{OptOutListName: aws.String("list-05")})
	_, err = c.DeleteOptOutList(ctx, &sms.DeleteOptOutListInput{OptOutListName: aws.String("list-05")})
	wantErr[*types.ConflictException](t, err)
	dl := must[*sms.DeleteOptOutListOutput](t)(c.DeleteOptOutList(ctx, &sms.DeleteOptOutListInput{OptOutListName: aws.String("list-06")}))
	if *dl.OptOutListName != "list-06" {
		t.Fatalf("delete list = %+v", dl)
	}
	_, err = c.DescribeOptOutLists(ctx, &sms.DescribeOptOutListsInput{OptOutListNames: []string{"list-06"}})
	wantErr[*types.ResourceNotFoundException](t, err)
}

func TestRegistrations(t *testing.T) {
	h := newHarness(t, core.Options{})
	c := h.client("us-east-1")
	var ids []string
	for i := range 21 {
		typ := "US_TEN_DLC_BRAND_REGISTRATION"
		if i%3 == 0 {
			typ = "US_TOLL_FREE_REGISTRATION"
		}
		out := must[*sms.CreateRegistrationOutput](t)(c.CreateRegistration(ctx, &sms.CreateRegistrationInput{RegistrationType: aws.String(typ)}))
		if out.RegistrationStatus != types.RegistrationStatusCreated || *out.CurrentVersionNumber != 1 || len(*out.RegistrationId) != len("registration-")+32 {
			t.Fatalf("create = %+v", out)
		}
		ids = append(ids, *out.RegistrationId)
	}
	var got []string
	p := sms.NewDescribeRegistrationsPaginator(c, &sms.DescribeRegistrationsInput{})
	for p.HasMorePages() {
		for _, r := range must[*sms.DescribeRegistrationsOutput](t)(p.NextPage(ctx)).Registrations {
			got = append(got, *r.RegistrationId)
		}
	}
	if !slices.Equal(got, ids) {
		t.Fatalf("registrations = %d", len(got))
	}
	out := must[*sms.DescribeRegistrationsOutput](t)(c.DescribeRegistrations(ctx, &sms.DescribeRegistrationsInput{
		Filters: []types.RegistrationFilter{{Name: types.RegistrationFilterNameRegistrationType, Values: []string{"US_TOLL_FREE_REGISTRATION"}}}}))
	if len(out.Registrations) != 7 {
		t.Fatalf("toll-free registrations = %d", len(out.Registrations))
	}
	_, err := c.DescribeRegistrations(ctx, &sms.DescribeRegistrationsInput{RegistrationIds: []string{"registration-00000000000000000000000000000000"}})
	wantErr[*types.ResourceNotFoundException](t, err)

	pv := must[*sms.PutRegistrationFieldValueOutput](t)(c.PutRegistrationFieldValue(ctx, &sms.PutRegistrationFieldValueInput{
		RegistrationId: aws.String(ids[0]), FieldPath: aws.String("companyInfo.companyName"), TextValue: aws.String("Example Corp")}))
	if *pv.VersionNumber != 1 || *pv.TextValue != "Example Corp" {
		t.Fatalf("put field = %+v", pv)
	}
	must[*sms.PutRegistrationFieldValueOutput](t)(c.PutRegistrationFieldValue(ctx, &sms.PutRegistrationFieldValueInput{
		RegistrationId: aws.String(ids[0]), FieldPath: aws.String("messagingUseCase.optInWorkflow"), SelectChoices: []string{"WEB_FORM"}}))
	_, err = c.PutRegistrationFieldValue(ctx, &sms.PutRegistrationFieldValueInput{RegistrationId: aws.String(ids[0]), FieldPath: aws.String("companyInfo.website")})
	wantErr[*types.ValidationException](t, err)
	fv := must[*sms.DescribeRegistrationFieldValuesOutput](t)(c.DescribeRegistrationFieldValues(ctx, &sms.DescribeRegistrationFieldValuesInput{
		RegistrationId: aws.String(ids[0]), SectionPath: aws.String("companyInfo")}))
	if len(fv.RegistrationFieldValues) != 1 || *fv.RegistrationFieldValues[0].TextValue != "Example Corp" {
		t.Fatalf("field values = %+v", fv.RegistrationFieldValues)
	}
	_, err = c.CreateRegistration(ctx, &sms.CreateRegistrationInput{RegistrationType: aws.String("#!")})
	wantErr[*types.ValidationException](t, err)
}

func TestAccount(t *testing.T) {
	h := newHarness(t, core.Options{})
	c := h.client("us-east-1")
	aa := must[*sms.DescribeAccountAttributesOutput](t)(c.DescribeAccountAttributes(ctx, &sms.DescribeAccountAttributesInput{}))
	if len(aa.AccountAttributes) != 1 || aa.AccountAttributes[0].Name != types.AccountAttributeNameAccountTier || *aa.AccountAttributes[0].Value != "SANDBOX" {
		t.Fatalf("account attributes = %+v", aa.AccountAttributes)
	}
	var limits []types.SpendLimit
	pages := 0
	p := sms.NewDescribeSpendLimitsPaginator(c, &sms.DescribeSpendLimitsInput{MaxResults: aws.Int32(1)})
	for p.HasMorePages() {
		pages++
		limits = append(limits, must[*sms.DescribeSpendLimitsOutput](t)(p.NextPage(ctx)).SpendLimits...)
	}
	if len(limits) != 4 || pages != 4 || limits[0].Name != types.SpendLimitNameTextMessageMonthlySpendLimit || limits[0].MaxLimit != 1 {
		t.Fatalf("spend limits = %+v in %d pages", limits, pages)
	}
	ap := sms.NewDescribeAccountAttributesPaginator(c, &sms.DescribeAccountAttributesInput{MaxResults: aws.Int32(1)})
	n := 0
	for ap.HasMorePages() {
		n += len(must[*sms.DescribeAccountAttributesOutput](t)(ap.NextPage(ctx)).AccountAttributes)
	}
	if n != 1 {
		t.Fatalf("paged account attributes = %d", n)
	}
	_, err := c.DescribeSpendLimits(ctx, &sms.DescribeSpendLimitsInput{MaxResults: aws.Int32(0)})
	wantErr[*types.ValidationException](t, err)
}

func TestTags(t *testing.T) {
	h := newHarness(t, core.Options{})
	c := h.client("us-east-1")
	n := requestNumber(t, c, &sms.RequestPhoneNumberInput{Tags: []types.Tag{{Key: aws.String("team"), Value: aws.String("ops")}}})
	l := must[*sms.CreateOptOutListOutput](t)(c.CreateOptOutList(ctx, &sms.CreateOptOutListInput{OptOutListName: aws.String("tagged")}))
	s := must[*sms.RequestSenderIdOutput](t)(c.RequestSenderId(ctx, &sms.RequestSenderIdInput{SenderId: aws.String("ACME"), IsoCountryCode: aws.String("GB")}))
	for _, a := range []string{*n.PhoneNumberArn, *l.OptOutListArn, *s.SenderIdArn} {
		must[*sms.TagResourceOutput](t)(c.TagResource(ctx, &sms.TagResourceInput{ResourceArn: aws.String(a),
			Tags: []types.Tag{{Key: aws.String("team"), Value: aws.String("messaging")}, {Key: aws.String("env"), Value: aws.String("prod")}}}))
		must[*sms.UntagResourceOutput](t)(c.UntagResource(ctx, &sms.UntagResourceInput{ResourceArn: aws.String(a), TagKeys: []string{"env"}}))
		out := must[*sms.ListTagsForResourceOutput](t)(c.ListTagsForResource(ctx, &sms.ListTagsForResourceInput{ResourceArn: aws.String(a)}))
		if len(out.Tags) != 1 || *out.Tags[0].Key != "team" || *out.Tags[0].Value != "messaging" || *out.ResourceArn != a {
			t.Fatalf("tags of %s = %+v", a, out.Tags)
		}
	}
	_, err := c.ListTagsForResource(ctx, &sms.ListTagsForResourceInput{ResourceArn: aws.String("arn:aws:sms-voice:us-east-1:" + core.Account + ":pool/pool-00000000000000000000000000000000")})
	if nf := wantErr[*types.ResourceNotFoundException](t, err); nf.ResourceType != types.ResourceTypePool {
		t.Fatalf("unknown pool: %+v", nf)
	}
	_, err = c.TagResource(ctx, &sms.TagResourceInput{ResourceArn: aws.String("arn:aws:sns:us-east-1:" + core.Account + ":topic"),
		Tags: []types.Tag{{Key: aws.String("a"), Value: aws.String("b")}}})
	if ve := wantErr[*types.ValidationException](t, err); ve.Reason != types.ValidationExceptionReasonInvalidArn {
		t.Fatalf("foreign ARN: %+v", ve)
	}
	_, err = c.TagResource(ctx, &sms.TagResourceInput{ResourceArn: n.PhoneNumberArn, Tags: []types.Tag{}})
	wantErr[*types.ValidationException](t, err)
}

func TestRegionsAndReset(t *testing.T) {
	h := newHarness(t, core.Options{})
	east, west := h.client("us-east-1"), h.client("us-west-2")
	n := requestNumber(t, east, nil)
	out := must[*sms.DescribePhoneNumbersOutput](t)(west.DescribePhoneNumbers(ctx, &sms.DescribePhoneNumbersInput{}))
	if len(out.PhoneNumbers) != 0 {
		t.Fatalf("us-west-2 sees %d numbers", len(out.PhoneNumbers))
	}
	_, err := west.DescribePhoneNumbers(ctx, &sms.DescribePhoneNumbersInput{PhoneNumberIds: []string{*n.PhoneNumberArn}})
	wantErr[*types.ResourceNotFoundException](t, err)
	shared := must[*sms.DescribePhoneNumbersOutput](t)(east.DescribePhoneNumbers(ctx, &sms.DescribePhoneNumbersInput{Owner: types.OwnerShared}))
	if len(shared.PhoneNumbers) != 0 {
		t.Fatalf("shared numbers = %d", len(shared.PhoneNumbers))
	}
	h.svc.Reset()
	out = must[*sms.DescribePhoneNumbersOutput](t)(east.DescribePhoneNumbers(ctx, &sms.DescribePhoneNumbersInput{}))
	if len(out.PhoneNumbers) != 0 {
		t.Fatalf("after reset: %d numbers", len(out.PhoneNumbers))
	}
}

func TestFaults(t *testing.T) {
	h := newHarness(t, core.Options{Quotas: true})
	c := h.client("us-east-1")
	var err error
	for i := range 3 {
		_, err = c.CreateOptOutList(ctx, &sms.CreateOptOutListInput{OptOutListName: aws.String(fmt.Sprintf("l%d", i))})
	}
	wantErr[*types.ThrottlingException](t, err)

	h2 := newHarness(t, core.Options{ErrorRate: 1})
	_, err = h2.client("us-east-1").DescribePools(ctx, &sms.DescribePoolsInput{})
	ise := wantErr[*types.InternalServerException](t, err)
	if ise.RequestId == nil || *ise.RequestId == "" {
		t.Fatalf("internal error = %+v", ise)
	}

	h3 := newHarness(t, core.Options{Retired: true})
	must[*sms.DescribePoolsOutput](t)(h3.client("us-east-1").DescribePools(ctx, &sms.DescribePoolsInput{}))
}
