package profiles

import (
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cp "github.com/aws/aws-sdk-go-v2/service/customerprofiles"
	"github.com/aws/aws-sdk-go-v2/service/customerprofiles/types"

	"github.com/p2c/p2c/internal/emulator/core"
)

func attrDim(key string, typ types.AttributeDimensionType, vals ...string) types.Dimension {
	return &types.DimensionMemberProfileAttributes{Value: types.ProfileAttributes{
		Attributes: map[string]types.AttributeDimension{key: {DimensionType: typ, Values: vals}}}}
}

// population ingests endpoints through PutProfileObject with the object
// type the plan builds, and returns profile ids by user.
func population(t *testing.T, h *harness) map[string]string {
	t.Helper()
	must[*cp.PutProfileObjectTypeOutput](t)(h.c.PutProfileObjectType(ctx, endpointObjectType("acme")))
	eps := []map[string]any{
		{"ProfileKey": "ada", "EndpointId": "e1", "EmailAddress": "ada@example.com", "Location_Country": "US", "User_UserAttributes_tier": "gold", "Metrics_purchases": 3},
		{"ProfileKey": "ada", "EndpointId": "e2", "MobilePhoneNumber": "+12065550100", "Metrics_purchases": 5},
		{"ProfileKey": "bob", "EndpointId": "e3", "EmailAddress": "bob@example.com", "Location_Country": "US", "User_UserAttributes_tier": "gold", "OptOut_EMAIL": "ALL", "Metrics_purchases": 9},
		{"ProfileKey": "cyd", "EndpointId": "e4", "EmailAddress": "cyd@example.org", "Location_Country": "FR", "User_UserAttributes_tier": "silver", "Metrics_purchases": 1},
		{"ProfileKey": "dee", "EndpointId": "e5", "EmailAddress": "dee@example.com", "Location_Country": "US", "User_UserAttributes_tier": "gold", "OptOut_EMAIL": "NONE"},
	}
	for _, ep := range eps {
		h.putEndpoint(t, "acme", ep)
	}
	ids := map[string]string{}
	for _, u := range []string{"ada", "bob", "cyd", "dee"} {
		ids[u] = aws.ToString(h.profileBy(t, "acme", "PinpointProfileKey", u).ProfileId)
	}
	return ids
}

// members asks GetSegmentMembership about every profile and returns the
// users present.
func members(t *testing.T, h *harness, seg string, ids map[string]string) string {
	t.Helper()
	byID := map[string]string{}
	var all []string
	for u, id := range ids {
		byID[id] = u
		all = append(all, id)
	}
	out := must[*cp.GetSegmentMembershipOutput](t)(h.c.GetSegmentMembership(ctx, &cp.GetSegmentMembershipInput{
		DomainName: aws.String("acme"), SegmentDefinitionName: aws.String(seg), ProfileIds: all}))
	if len(out.Profiles) != len(all) || len(out.Failures) != 0 || out.LastComputedAt == nil {
		t.Fatalf("membership of %s: %+v", seg, out)
	}
	var in []string
	for _, p := range out.Profiles {
		switch p.QueryResult {
		case types.QueryResultPresent:
			if p.Profile == nil || aws.ToString(p.Profile.ProfileId) != aws.ToString(p.ProfileId) {
				t.Fatalf("PRESENT without its profile: %+v", p)
			}
			in = append(in, byID[aws.ToString(p.ProfileId)])
		case types.QueryResultAbsent:
		default:
			t.Fatalf("QueryResult %q", p.QueryResult)
		}
	}
	sort.Strings(in)
	return strings.Join(in, ",")
}

func (h *harness) segment(t *testing.T, name string, sg *types.SegmentGroup) {
	t.Helper()
	must[*cp.CreateSegmentDefinitionOutput](t)(h.c.CreateSegmentDefinition(ctx, &cp.CreateSegmentDefinitionInput{
		DomainName: aws.String("acme"), SegmentDefinitionName: aws.String(name), DisplayName: aws.String(name), SegmentGroups: sg}))
}

func TestSegmentMembership(t *testing.T) {
	h := newHarness(t, core.Options{})
	h.domain(t, "acme")
	ids := population(t, h)

	// Gold customers in the US, opted-out email addresses excluded by an
	// EXCLUSIVE dimension.
	h.segment(t, "gold-us", &types.SegmentGroup{Include: types.IncludeOptionsAll, Groups: []types.Group{{Type: types.IncludeOptionsAll, Dimensions: []types.Dimension{
		&types.DimensionMemberProfileAttributes{Value: types.ProfileAttributes{Address: &types.AddressDimension{Country: &types.ProfileDimension{DimensionType: types.StringDimensionTypeInclusive, Values: []string{"US"}}}}},
		attrDim("tier", types.AttributeDimensionTypeInclusive, "gold"),
		attrDim("OptOut_EMAIL", types.AttributeDimensionTypeExclusive, "ALL"),
	}}}})
	if got := members(t, h, "gold-us", ids); got != "ada,dee" {
		t.Fatalf("gold-us = %s, want ada,dee (bob opted out)", got)
	}

	// The same exclusion as the segment translator writes it: a NONE group.
	h.segment(t, "gold-us-none", &types.SegmentGroup{Include: types.IncludeOptionsAll, Groups: []types.Group{
		{Type: types.IncludeOptionsAll, Dimensions: []types.Dimension{attrDim("tier", types.AttributeDimensionTypeInclusive, "gold")}},
		{Type: types.IncludeOptionsNone, Dimensions: []types.Dimension{attrDim("OptOut_EMAIL", types.AttributeDimensionTypeInclusive, "ALL"), attrDim("OptOut_SMS", types.AttributeDimensionTypeInclusive, "ALL")}},
	}})
	if got := members(t, h, "gold-us-none", ids); got != "ada,dee" {
		t.Fatalf("gold-us-none = %s, want ada,dee", got)
	}

	// String operators on standard fields, numbers on attributes.
	h.segment(t, "dotcom", &types.SegmentGroup{Groups: []types.Group{{Dimensions: []types.Dimension{
		&types.DimensionMemberProfileAttributes{Value: types.ProfileAttributes{EmailAddress: &types.ProfileDimension{DimensionType: types.StringDimensionTypeEndsWith, Values: []string{".com"}}}},
	}}}})
	if got := members(t, h, "dotcom", ids); got != "ada,bob,dee" {
		t.Fatalf("dotcom = %s", got)
	}
	h.segment(t, "big-buyers", &types.SegmentGroup{Groups: []types.Group{{Dimensions: []types.Dimension{attrDim("purchases", types.AttributeDimensionTypeGreaterThan, "4")}}}})
	if got := members(t, h, "big-buyers", ids); got != "ada,bob" {
		t.Fatalf("big-buyers = %s (ada's last endpoint says 5)", got)
	}
	h.segment(t, "fr-or-silver", &types.SegmentGroup{Groups: []types.Group{{Type: types.IncludeOptionsAny, Dimensions: []types.Dimension{
		attrDim("tier", types.AttributeDimensionTypeBeginsWith, "sil"),
		&types.DimensionMemberProfileAttributes{Value: types.ProfileAttributes{Address: &types.AddressDimension{Country: &types.ProfileDimension{DimensionType: types.StringDimensionTypeInclusive, Values: []string{"FR"}}}}},
	}}}})
	if got := members(t, h, "fr-or-silver", ids); got != "cyd" {
		t.Fatalf("fr-or-silver = %s", got)
	}

	// Segments built on segments, and Include across groups.
	h.segment(t, "dotcom-not-gold-us", &types.SegmentGroup{Include: types.IncludeOptionsAll, Groups: []types.Group{
		{SourceType: types.IncludeOptionsAll, SourceSegments: []types.SourceSegment{{SegmentDefinitionName: aws.String("dotcom")}}},
		{SourceType: types.IncludeOptionsNone, SourceSegments: []types.SourceSegment{{SegmentDefinitionName: aws.String("gold-us")}}},
	}})
	if got := members(t, h, "dotcom-not-gold-us", ids); got != "bob" {
		t.Fatalf("dotcom-not-gold-us = %s", got)
	}
	h.segment(t, "either", &types.SegmentGroup{Include: types.IncludeOptionsAny, Groups: []types.Group{
		{Dimensions: []types.Dimension{attrDim("tier", types.AttributeDimensionTypeInclusive, "silver")}},
		{Dimensions: []types.Dimension{attrDim("OptOut_EMAIL", types.AttributeDimensionTypeInclusive, "ALL")}},
	}})
	if got := members(t, h, "either", ids); got != "bob,cyd" {
		t.Fatalf("either = %s", got)
	}

	// Calculated attributes in a dimension: the largest purchases metric
	// over a profile's endpoints.
	must[*cp.CreateCalculatedAttributeDefinitionOutput](t)(h.c.CreateCalculatedAttributeDefinition(ctx, &cp.CreateCalculatedAttributeDefinitionInput{
		DomainName: aws.String("acme"), CalculatedAttributeName: aws.String("p2c_metric_max_purchases"), Statistic: types.StatisticMaximum,
		AttributeDetails: &types.AttributeDetails{Attributes: []types.AttributeItem{{Name: aws.String("Metrics_purchases")}}, Expression: aws.String("{PinpointEndpoint.Metrics_purchases}")}}))
	h.segment(t, "max-above-4", &types.SegmentGroup{Groups: []types.Group{{Dimensions: []types.Dimension{
		&types.DimensionMemberCalculatedAttributes{Value: map[string]types.CalculatedAttributeDimension{"p2c_metric_max_purchases": {DimensionType: types.AttributeDimensionTypeGreaterThan, Values: []string{"4"}}}},
	}}}})
	if got := members(t, h, "max-above-4", ids); got != "ada,bob" {
		t.Fatalf("max-above-4 = %s", got)
	}

	// Unknown profiles are failures, not absences.
	out := must[*cp.GetSegmentMembershipOutput](t)(h.c.GetSegmentMembership(ctx, &cp.GetSegmentMembershipInput{DomainName: aws.String("acme"),
		SegmentDefinitionName: aws.String("gold-us"), ProfileIds: []string{"0123456789abcdef0123456789abcdef"}}))
	if len(out.Failures) != 1 || aws.ToInt32(out.Failures[0].Status) != 404 {
		t.Fatalf("membership of an unknown profile: %+v", out)
	}
	_, err := h.c.GetSegmentMembership(ctx, &cp.GetSegmentMembershipInput{DomainName: aws.String("acme"), SegmentDefinitionName: aws.String("nope"), ProfileIds: []string{ids["ada"]}})
	wantErr[*types.ResourceNotFoundException](t, err)
}

func TestSegmentDefinitions(t *testing.T) {
	h := newHarness(t, core.Options{})
	c := h.c
	h.domain(t, "acme")
	d := aws.String("acme")
	sg := &types.SegmentGroup{Include: types.IncludeOptionsAll, Groups: []types.Group{{Type: types.IncludeOptionsAll, Dimensions: []types.Dimension{attrDim("tier", types.AttributeDimensionTypeInclusive, "gold")}}}}
	cr := must[*cp.CreateSegmentDefinitionOutput](t)(c.CreateSegmentDefinition(ctx, &cp.CreateSegmentDefinitionInput{DomainName: d,
		SegmentDefinitionName: aws.String("gold"), DisplayName: aws.String("Gold"), Description: aws.String("gold tier"), SegmentGroups: sg}))
	if aws.ToString(cr.SegmentDefinitionArn) != "arn:aws:profile:us-east-1:111122223333:domains/acme/segment-definitions/gold" || cr.CreatedAt == nil {
		t.Fatalf("CreateSegmentDefinition = %+v", cr)
	}
	_, err := c.CreateSegmentDefinition(ctx, &cp.CreateSegmentDefinitionInput{DomainName: d, SegmentDefinitionName: aws.String("gold"), DisplayName: aws.String("x"), SegmentGroups: sg})
	wantErr[*types.BadRequestException](t, err)
	_, err = c.CreateSegmentDefinition(ctx, &cp.CreateSegmentDefinitionInput{DomainName: d, SegmentDefinitionName: aws.String("none"), DisplayName: aws.String("x")})
	wantErr[*types.BadRequestException](t, err)
	_, err = c.CreateSegmentDefinition(ctx, &cp.CreateSegmentDefinitionInput{DomainName: d, SegmentDefinitionName: aws.String("src"), DisplayName: aws.String("x"),
		SegmentGroups: &types.SegmentGroup{Groups: []types.Group{{SourceSegments: []types.SourceSegment{{SegmentDefinitionName: aws.String("missing")}}}}}})
	wantErr[*types.BadRequestException](t, err)
	_, err = c.CreateSegmentDefinition(ctx, &cp.CreateSegmentDefinitionInput{DomainName: d, SegmentDefinitionName: aws.String("calc"), DisplayName: aws.String("x"),
		SegmentGroups: &types.SegmentGroup{Groups: []types.Group{{Dimensions: []types.Dimension{&types.DimensionMemberCalculatedAttributes{Value: map[string]types.CalculatedAttributeDimension{"nope": {DimensionType: "EQUAL", Values: []string{"1"}}}}}}}}})
	wantErr[*types.BadRequestException](t, err)

	g := must[*cp.GetSegmentDefinitionOutput](t)(c.GetSegmentDefinition(ctx, &cp.GetSegmentDefinitionInput{DomainName: d, SegmentDefinitionName: aws.String("gold")}))
	if g.SegmentType != types.SegmentTypeClassic || len(g.SegmentGroups.Groups) != 1 || aws.ToString(g.Description) != "gold tier" {
		t.Fatalf("GetSegmentDefinition = %+v", g)
	}
	dim := g.SegmentGroups.Groups[0].Dimensions[0].(*types.DimensionMemberProfileAttributes)
	if dim.Value.Attributes["tier"].Values[0] != "gold" {
		t.Fatalf("dimension read back: %+v", dim.Value)
	}
	sql := must[*cp.CreateSegmentDefinitionOutput](t)(c.CreateSegmentDefinition(ctx, &cp.CreateSegmentDefinitionInput{DomainName: d, SegmentDefinitionName: aws.String("sql"), DisplayName: aws.String("SQL"),
		SegmentSqlQuery: aws.String("SELECT * FROM profiles")}))
	_ = sql
	if g := must[*cp.GetSegmentDefinitionOutput](t)(c.GetSegmentDefinition(ctx, &cp.GetSegmentDefinitionInput{DomainName: d, SegmentDefinitionName: aws.String("sql")})); g.SegmentType != types.SegmentTypeEnhanced {
		t.Fatalf("SQL segment type %s", g.SegmentType)
	}
	for i := 0; i < 3; i++ {
		h.segment(t, fmt.Sprintf("s%d", i), sg)
	}
	var names []string
	p := cp.NewListSegmentDefinitionsPaginator(c, &cp.ListSegmentDefinitionsInput{DomainName: d, MaxResults: aws.Int32(2)})
	for p.HasMorePages() {
		for _, it := range must[*cp.ListSegmentDefinitionsOutput](t)(p.NextPage(ctx)).Items {
			names = append(names, aws.ToString(it.SegmentDefinitionName))
		}
	}
	if fmt.Sprint(names) != "[gold s0 s1 s2 sql]" {
		t.Fatalf("ListSegmentDefinitions = %v", names)
	}
	must[*cp.DeleteSegmentDefinitionOutput](t)(c.DeleteSegmentDefinition(ctx, &cp.DeleteSegmentDefinitionInput{DomainName: d, SegmentDefinitionName: aws.String("s0")}))
	_, err = c.GetSegmentDefinition(ctx, &cp.GetSegmentDefinitionInput{DomainName: d, SegmentDefinitionName: aws.String("s0")})
	wantErr[*types.ResourceNotFoundException](t, err)
}

func TestEstimatesAndSnapshots(t *testing.T) {
	h := newHarness(t, core.Options{})
	c := h.c
	h.domain(t, "acme")
	d := aws.String("acme")
	population(t, h)
	q := &types.SegmentGroupStructure{Include: types.IncludeOptionsAll, Groups: []types.Group{{Dimensions: []types.Dimension{attrDim("tier", types.AttributeDimensionTypeInclusive, "gold")}}}}
	est := must[*cp.CreateSegmentEstimateOutput](t)(c.CreateSegmentEstimate(ctx, &cp.CreateSegmentEstimateInput{DomainName: d, SegmentQuery: q}))
	if est.StatusCode != 201 || aws.ToString(est.EstimateId) == "" {
		t.Fatalf("CreateSegmentEstimate = %+v", est)
	}
	g1 := must[*cp.GetSegmentEstimateOutput](t)(c.GetSegmentEstimate(ctx, &cp.GetSegmentEstimateInput{DomainName: d, EstimateId: est.EstimateId}))
	g2 := must[*cp.GetSegmentEstimateOutput](t)(c.GetSegmentEstimate(ctx, &cp.GetSegmentEstimateInput{DomainName: d, EstimateId: est.EstimateId}))
	if g1.Status != types.EstimateStatusRunning || g2.Status != types.EstimateStatusSucceeded || aws.ToString(g2.Estimate) != "3 profiles" || g2.StatusCode != 200 {
		t.Fatalf("estimate polls: %+v then %+v", g1, g2)
	}
	_, err := c.GetSegmentEstimate(ctx, &cp.GetSegmentEstimateInput{DomainName: d, EstimateId: aws.String("nope")})
	wantErr[*types.ResourceNotFoundException](t, err)

	if err := h.s3.CreateBucket("exports"); err != nil {
		t.Fatal(err)
	}
	h.segment(t, "gold", &types.SegmentGroup{Groups: q.Groups})
	snap := must[*cp.CreateSegmentSnapshotOutput](t)(c.CreateSegmentSnapshot(ctx, &cp.CreateSegmentSnapshotInput{DomainName: d, SegmentDefinitionName: aws.String("gold"),
		DataFormat: types.DataFormatJsonl, DestinationUri: aws.String("s3://exports/gold")}))
	if len(aws.ToString(snap.SnapshotId)) != 32 {
		t.Fatalf("SnapshotId %q", aws.ToString(snap.SnapshotId))
	}
	s1 := must[*cp.GetSegmentSnapshotOutput](t)(c.GetSegmentSnapshot(ctx, &cp.GetSegmentSnapshotInput{DomainName: d, SegmentDefinitionName: aws.String("gold"), SnapshotId: snap.SnapshotId}))
	s2 := must[*cp.GetSegmentSnapshotOutput](t)(c.GetSegmentSnapshot(ctx, &cp.GetSegmentSnapshotInput{DomainName: d, SegmentDefinitionName: aws.String("gold"), SnapshotId: snap.SnapshotId}))
	if s1.Status != types.SegmentSnapshotStatusInProgress || s2.Status != types.SegmentSnapshotStatusCompleted || s2.DataFormat != types.DataFormatJsonl {
		t.Fatalf("snapshot polls: %+v then %+v", s1, s2)
	}
	data, err := h.s3.GetObject("exports", "gold/"+aws.ToString(snap.SnapshotId)+".jsonl")
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(data), "\n"); n != 3 {
		t.Fatalf("snapshot export has %d lines, want 3:\n%s", n, data)
	}
	_, err = c.GetSegmentSnapshot(ctx, &cp.GetSegmentSnapshotInput{DomainName: d, SegmentDefinitionName: aws.String("gold"), SnapshotId: aws.String("0123456789abcdef0123456789abcdef")})
	wantErr[*types.ResourceNotFoundException](t, err)
}

func TestCalculatedAttributes(t *testing.T) {
	h := newHarness(t, core.Options{})
	c := h.c
	now := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	h.fixedClock(now)
	h.domain(t, "acme")
	d := aws.String("acme")
	ids := population(t, h)
	calc := func(name string, stat types.Statistic, cond *types.Conditions) {
		t.Helper()
		out := must[*cp.CreateCalculatedAttributeDefinitionOutput](t)(c.CreateCalculatedAttributeDefinition(ctx, &cp.CreateCalculatedAttributeDefinitionInput{
			DomainName: d, CalculatedAttributeName: aws.String(name), DisplayName: aws.String(name), Statistic: stat, Conditions: cond,
			AttributeDetails: &types.AttributeDetails{Attributes: []types.AttributeItem{{Name: aws.String("Metrics_purchases")}}, Expression: aws.String("{PinpointEndpoint.Metrics_purchases}")}}))
		if out.Status != types.ReadinessStatusCompleted || out.CreatedAt == nil {
			t.Fatalf("CreateCalculatedAttributeDefinition = %+v", out)
		}
	}
	for name, stat := range map[string]types.Statistic{"count": "COUNT", "sum": "SUM", "min": "MINIMUM", "max": "MAXIMUM", "last": "LAST_OCCURRENCE", "first": "FIRST_OCCURRENCE", "avg": "AVERAGE", "mode": "MAX_OCCURRENCE"} {
		calc(name, stat, nil)
	}
	calc("over4", "MAXIMUM", &types.Conditions{Threshold: &types.Threshold{Value: aws.String("4"), Operator: types.OperatorGreaterThan}})
	calc("recent", "COUNT", &types.Conditions{Range: &types.Range{Value: aws.Int32(30), Unit: types.UnitDays}})
	want := map[string]string{"count": "2", "sum": "8", "min": "3", "max": "5", "last": "5", "first": "3", "avg": "4", "over4": "true", "recent": "2"}
	for name, v := range want {
		out := must[*cp.GetCalculatedAttributeForProfileOutput](t)(c.GetCalculatedAttributeForProfile(ctx, &cp.GetCalculatedAttributeForProfileInput{
			DomainName: d, ProfileId: aws.String(ids["ada"]), CalculatedAttributeName: aws.String(name)}))
		if aws.ToString(out.Value) != v || aws.ToString(out.IsDataPartial) != "false" {
			t.Errorf("%s for ada = %q, want %q", name, aws.ToString(out.Value), v)
		}
	}
	// dee has no purchases field: COUNT is 0, the rest have no value.
	if out := must[*cp.GetCalculatedAttributeForProfileOutput](t)(c.GetCalculatedAttributeForProfile(ctx, &cp.GetCalculatedAttributeForProfileInput{
		DomainName: d, ProfileId: aws.String(ids["dee"]), CalculatedAttributeName: aws.String("count")})); aws.ToString(out.Value) != "0" {
		t.Fatalf("count for dee = %q", aws.ToString(out.Value))
	}
	// A window in the past sees nothing.
	h.fixedClock(now.Add(40 * 24 * time.Hour))
	if out := must[*cp.GetCalculatedAttributeForProfileOutput](t)(c.GetCalculatedAttributeForProfile(ctx, &cp.GetCalculatedAttributeForProfileInput{
		DomainName: d, ProfileId: aws.String(ids["ada"]), CalculatedAttributeName: aws.String("recent")})); aws.ToString(out.Value) != "0" {
		t.Fatalf("recent after 40 days = %q", aws.ToString(out.Value))
	}
	lp := must[*cp.ListCalculatedAttributesForProfileOutput](t)(c.ListCalculatedAttributesForProfile(ctx, &cp.ListCalculatedAttributesForProfileInput{DomainName: d, ProfileId: aws.String(ids["ada"]), MaxResults: aws.Int32(100)}))
	if len(lp.Items) != 10 {
		t.Fatalf("ListCalculatedAttributesForProfile has %d items", len(lp.Items))
	}

	_, err := c.CreateCalculatedAttributeDefinition(ctx, &cp.CreateCalculatedAttributeDefinitionInput{DomainName: d, CalculatedAttributeName: aws.String("count"), Statistic: "COUNT",
		AttributeDetails: &types.AttributeDetails{Attributes: []types.AttributeItem{{Name: aws.String("x")}}, Expression: aws.String("{PinpointEndpoint.x}")}})
	wantErr[*types.BadRequestException](t, err)
	_, err = c.CreateCalculatedAttributeDefinition(ctx, &cp.CreateCalculatedAttributeDefinitionInput{DomainName: d, CalculatedAttributeName: aws.String("orphan"), Statistic: "COUNT",
		AttributeDetails: &types.AttributeDetails{Attributes: []types.AttributeItem{{Name: aws.String("x")}}, Expression: aws.String("{NoSuchType.x}")}})
	wantErr[*types.BadRequestException](t, err)

	up := must[*cp.UpdateCalculatedAttributeDefinitionOutput](t)(c.UpdateCalculatedAttributeDefinition(ctx, &cp.UpdateCalculatedAttributeDefinitionInput{DomainName: d, CalculatedAttributeName: aws.String("sum"), Description: aws.String("total")}))
	if aws.ToString(up.Description) != "total" {
		t.Fatalf("UpdateCalculatedAttributeDefinition = %+v", up)
	}
	g := must[*cp.GetCalculatedAttributeDefinitionOutput](t)(c.GetCalculatedAttributeDefinition(ctx, &cp.GetCalculatedAttributeDefinitionInput{DomainName: d, CalculatedAttributeName: aws.String("sum")}))
	if g.Statistic != types.StatisticSum || aws.ToString(g.AttributeDetails.Expression) != "{PinpointEndpoint.Metrics_purchases}" {
		t.Fatalf("GetCalculatedAttributeDefinition = %+v", g)
	}

	// The fixed quota of 50 per domain.
	for i := 10; i < 50; i++ {
		calc(fmt.Sprintf("c%02d", i), "COUNT", nil)
	}
	_, err = c.CreateCalculatedAttributeDefinition(ctx, &cp.CreateCalculatedAttributeDefinitionInput{DomainName: d, CalculatedAttributeName: aws.String("one-too-many"), Statistic: "COUNT",
		AttributeDetails: &types.AttributeDetails{Attributes: []types.AttributeItem{{Name: aws.String("x")}}, Expression: aws.String("{PinpointEndpoint.x}")}})
	if e := wantErr[*types.BadRequestException](t, err); !strings.Contains(aws.ToString(e.Message), "50") {
		t.Fatalf("quota message: %s", aws.ToString(e.Message))
	}
	var names []string
	var tok *string
	for {
		pg := must[*cp.ListCalculatedAttributeDefinitionsOutput](t)(c.ListCalculatedAttributeDefinitions(ctx, &cp.ListCalculatedAttributeDefinitionsInput{DomainName: d, NextToken: tok}))
		for _, it := range pg.Items {
			names = append(names, aws.ToString(it.CalculatedAttributeName))
		}
		if tok = pg.NextToken; tok == nil {
			break
		}
	}
	if len(names) != 50 {
		t.Fatalf("listed %d definitions, want 50", len(names))
	}
	must[*cp.DeleteCalculatedAttributeDefinitionOutput](t)(c.DeleteCalculatedAttributeDefinition(ctx, &cp.DeleteCalculatedAttributeDefinitionInput{DomainName: d, CalculatedAttributeName: aws.String("sum")}))
	_, err = c.GetCalculatedAttributeDefinition(ctx, &cp.GetCalculatedAttributeDefinitionInput{DomainName: d, CalculatedAttributeName: aws.String("sum")})
	wantErr[*types.ResourceNotFoundException](t, err)
}
