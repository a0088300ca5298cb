package profiles

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	cp "github.com/aws/aws-sdk-go-v2/service/customerprofiles"
	"github.com/aws/aws-sdk-go-v2/service/customerprofiles/types"

	"github.com/p2c/p2c/internal/emulator/core"
)

func TestDomains(t *testing.T) {
	h := newHarness(t, core.Options{})
	c := h.c
	out := must[*cp.CreateDomainOutput](t)(c.CreateDomain(ctx, &cp.CreateDomainInput{DomainName: aws.String("acme"),
		DefaultExpirationDays: aws.Int32(1098), Tags: map[string]string{"p2c:plan": "p1"}}))
	if aws.ToInt32(out.DefaultExpirationDays) != 1098 || out.CreatedAt == nil || out.CreatedAt.IsZero() || out.Tags["p2c:plan"] != "p1" {
		t.Fatalf("CreateDomain = %+v", out)
	}
	_, err := c.CreateDomain(ctx, &cp.CreateDomainInput{DomainName: aws.String("acme"), DefaultExpirationDays: aws.Int32(1)})
	wantErr[*types.BadRequestException](t, err)
	_, err = c.GetDomain(ctx, &cp.GetDomainInput{DomainName: aws.String("nope")})
	wantErr[*types.ResourceNotFoundException](t, err)

	up := must[*cp.UpdateDomainOutput](t)(c.UpdateDomain(ctx, &cp.UpdateDomainInput{DomainName: aws.String("acme"), DefaultExpirationDays: aws.Int32(30)}))
	if aws.ToInt32(up.DefaultExpirationDays) != 30 {
		t.Fatalf("UpdateDomain = %+v", up)
	}
	h.domain(t, "acme2")
	h.domain(t, "acme3")
	var names []string
	pages := 0
	var tok *string
	for {
		pg := must[*cp.ListDomainsOutput](t)(c.ListDomains(ctx, &cp.ListDomainsInput{MaxResults: aws.Int32(2), NextToken: tok}))
		pages++
		for _, it := range pg.Items {
			names = append(names, aws.ToString(it.DomainName))
		}
		if tok = pg.NextToken; tok == nil {
			break
		}
	}
	if fmt.Sprint(names) != "[acme acme2 acme3]" || pages != 2 {
		t.Fatalf("ListDomains = %v in %d pages", names, pages)
	}
	_, err = c.ListDomains(ctx, &cp.ListDomainsInput{NextToken: aws.String("bogus")})
	wantErr[*types.BadRequestException](t, err)

	must[*cp.PutProfileObjectTypeOutput](t)(c.PutProfileObjectType(ctx, endpointObjectType("acme")))
	h.putEndpoint(t, "acme", map[string]any{"ProfileKey": "u1", "EndpointId": "e1", "EmailAddress": "a@example.com"})
	g := must[*cp.GetDomainOutput](t)(c.GetDomain(ctx, &cp.GetDomainInput{DomainName: aws.String("acme")}))
	if g.Stats == nil || g.Stats.ProfileCount != 1 || g.Stats.ObjectCount != 1 || g.Stats.TotalSize == 0 {
		t.Fatalf("GetDomain stats = %+v", g.Stats)
	}
	del := must[*cp.DeleteDomainOutput](t)(c.DeleteDomain(ctx, &cp.DeleteDomainInput{DomainName: aws.String("acme")}))
	if aws.ToString(del.Message) == "" {
		t.Fatal("DeleteDomain without a message")
	}
	_, err = c.DeleteDomain(ctx, &cp.DeleteDomainInput{DomainName: aws.String("acme")})
	wantErr[*types.ResourceNotFoundException](t, err)
}

func TestValidation(t *testing.T) {
	h := newHarness(t, core.Options{})
	c := h.client(noClientValidation)
	_, err := c.CreateDomain(ctx, &cp.CreateDomainInput{DomainName: aws.String("acme")})
	e := wantErr[*types.BadRequestException](t, err)
	var re *awshttp.ResponseError
	if !errorsAs(err, &re) || re.HTTPStatusCode() != http.StatusBadRequest {
		t.Fatalf("status of %v, want 400", err)
	}
	if aws.ToString(e.Message) == "" {
		t.Fatal("BadRequestException without message")
	}
	_, err = c.CreateDomain(ctx, &cp.CreateDomainInput{DomainName: aws.String("acme"), DefaultExpirationDays: aws.Int32(2000)})
	wantErr[*types.BadRequestException](t, err)
	_, err = c.CreateDomain(ctx, &cp.CreateDomainInput{DomainName: aws.String("bad name!"), DefaultExpirationDays: aws.Int32(10)})
	wantErr[*types.BadRequestException](t, err)
	_, err = c.ListDomains(ctx, &cp.ListDomainsInput{MaxResults: aws.Int32(101)})
	wantErr[*types.BadRequestException](t, err)
	h.domain(t, "acme")
	_, err = c.CreateDomain(ctx, &cp.CreateDomainInput{DomainName: aws.String("tagged"), DefaultExpirationDays: aws.Int32(10), Tags: map[string]string{"aws:x": "y"}})
	wantErr[*types.BadRequestException](t, err)
	_, err = c.PutProfileObjectType(ctx, &cp.PutProfileObjectTypeInput{DomainName: aws.String("acme"), ObjectTypeName: aws.String("T")})
	wantErr[*types.BadRequestException](t, err) // Description is required
}

func TestThrottling(t *testing.T) {
	h := newHarness(t, core.Options{Quotas: true})
	h.domain(t, "a")
	// CreateDomain is 1 TPS with a burst of 1: the next call at once is throttled.
	_, err := h.c.CreateDomain(ctx, &cp.CreateDomainInput{DomainName: aws.String("b"), DefaultExpirationDays: aws.Int32(1)})
	wantErr[*types.ThrottlingException](t, err)
	var re *awshttp.ResponseError
	if !errorsAs(err, &re) || re.HTTPStatusCode() != http.StatusTooManyRequests {
		t.Fatalf("status of %v, want 429", err)
	}
	// SearchProfiles is 100 TPS with a burst of 100: at least 100 calls in a
	// row pass (a few more as tokens refill while they run), then one is throttled.
	var last error
	n := 0
	for i := 0; i < 400 && last == nil; i++ {
		_, last = h.c.SearchProfiles(ctx, &cp.SearchProfilesInput{DomainName: aws.String("a"), KeyName: aws.String("_email"), Values: []string{"x"}})
		if last == nil {
			n++
		}
	}
	wantErr[*types.ThrottlingException](t, last)
	if n < 100 || n >= 400 {
		t.Fatalf("%d SearchProfiles calls passed before throttling, want about 100", n)
	}
	for _, op := range []string{"CreateProfile", "PutProfileObject", "CreateDomain", "PutProfileObjectType", "CreateCalculatedAttributeDefinition", "GetProfileObjectType", "ListDomains"} {
		want := map[string]float64{"CreateProfile": 100, "PutProfileObject": 100, "CreateDomain": 1, "PutProfileObjectType": 1,
			"CreateCalculatedAttributeDefinition": 1, "GetProfileObjectType": 10, "ListDomains": 5}[op]
		if got := h.svc.Quota(op); got != want {
			t.Errorf("Quota(%s) = %v, want %v", op, got, want)
		}
	}
}

func TestObjectTypes(t *testing.T) {
	h := newHarness(t, core.Options{})
	c := h.c
	h.domain(t, "acme")
	put := must[*cp.PutProfileObjectTypeOutput](t)(c.PutProfileObjectType(ctx, endpointObjectType("acme")))
	if !put.AllowProfileCreation || len(put.Fields) != 12 || len(put.Keys) != 2 || put.CreatedAt == nil {
		t.Fatalf("PutProfileObjectType = %+v", put)
	}
	got := must[*cp.GetProfileObjectTypeOutput](t)(c.GetProfileObjectType(ctx, &cp.GetProfileObjectTypeInput{DomainName: aws.String("acme"), ObjectTypeName: aws.String("PinpointEndpoint")}))
	if aws.ToString(got.Fields["EmailAddress"].Target) != "_profile.EmailAddress" || got.Keys["PinpointEndpointId"][0].StandardIdentifiers[0] != "UNIQUE" {
		t.Fatalf("GetProfileObjectType = %+v", got)
	}
	_, err := c.GetProfileObjectType(ctx, &cp.GetProfileObjectTypeInput{DomainName: aws.String("acme"), ObjectTypeName: aws.String("Nope")})
	wantErr[*types.ResourceNotFoundException](t, err)

	bad := endpointObjectType("acme")
	bad.ObjectTypeName = aws.String("Bad")
	bad.Fields["x"] = types.ObjectTypeField{Source: aws.String("_source.x"), Target: aws.String("_profile.Nickname")}
	_, err = c.PutProfileObjectType(ctx, bad)
	wantErr[*types.BadRequestException](t, err)
	tmpl := &cp.PutProfileObjectTypeInput{DomainName: aws.String("acme"), ObjectTypeName: aws.String("CTR"), Description: aws.String("d"),
		TemplateId: aws.String("CTR-NoInferred"), AllowProfileCreation: true}
	_, err = c.PutProfileObjectType(ctx, tmpl)
	wantErr[*types.BadRequestException](t, err)
	many := endpointObjectType("acme")
	many.ObjectTypeName = aws.String("Many")
	for i := 0; i < 10; i++ {
		many.Keys[fmt.Sprintf("k%d", i)] = []types.ObjectTypeKey{{StandardIdentifiers: []types.StandardIdentifier{"LOOKUP_ONLY"}, FieldNames: []string{"ProfileKey"}}}
	}
	_, err = c.PutProfileObjectType(ctx, many)
	wantErr[*types.BadRequestException](t, err)

	for i := 0; i < 4; i++ {
		in := endpointObjectType("acme")
		in.ObjectTypeName = aws.String(fmt.Sprintf("T%d", i))
		must[*cp.PutProfileObjectTypeOutput](t)(c.PutProfileObjectType(ctx, in))
	}
	var names []string
	var tok *string
	for {
		pg := must[*cp.ListProfileObjectTypesOutput](t)(c.ListProfileObjectTypes(ctx, &cp.ListProfileObjectTypesInput{DomainName: aws.String("acme"), MaxResults: aws.Int32(2), NextToken: tok}))
		for _, it := range pg.Items {
			names = append(names, aws.ToString(it.ObjectTypeName))
		}
		if tok = pg.NextToken; tok == nil {
			break
		}
	}
	if fmt.Sprint(names) != "[PinpointEndpoint T0 T1 T2 T3]" {
		t.Fatalf("ListProfileObjectTypes = %v", names)
	}
	must[*cp.DeleteProfileObjectTypeOutput](t)(c.DeleteProfileObjectType(ctx, &cp.DeleteProfileObjectTypeInput{DomainName: aws.String("acme"), ObjectTypeName: aws.String("T0")}))
	_, err = c.DeleteProfileObjectType(ctx, &cp.DeleteProfileObjectTypeInput{DomainName: aws.String("acme"), ObjectTypeName: aws.String("T0")})
	wantErr[*types.ResourceNotFoundException](t, err)
}

func TestTags(t *testing.T) {
	h := newHarness(t, core.Options{})
	c := h.c
	h.domain(t, "acme")
	must[*cp.PutProfileObjectTypeOutput](t)(c.PutProfileObjectType(ctx, endpointObjectType("acme")))
	seg := must[*cp.CreateSegmentDefinitionOutput](t)(c.CreateSegmentDefinition(ctx, &cp.CreateSegmentDefinitionInput{
		DomainName: aws.String("acme"), SegmentDefinitionName: aws.String("all"), DisplayName: aws.String("All"),
		SegmentGroups: &types.SegmentGroup{Include: types.IncludeOptionsAll, Groups: []types.Group{{Type: types.IncludeOptionsAll}}},
		Tags:          map[string]string{"p2c:step": "s1"}}))
	arns := []string{
		"arn:aws:profile:us-east-1:111122223333:domains/acme",
		"arn:aws:profile:us-east-1:111122223333:domains/acme/object-types/PinpointEndpoint",
		aws.ToString(seg.SegmentDefinitionArn),
	}
	for _, a := range arns {
		must[*cp.TagResourceOutput](t)(c.TagResource(ctx, &cp.TagResourceInput{ResourceArn: aws.String(a), Tags: map[string]string{"p2c:plan": "p1", "x": "y"}}))
		must[*cp.UntagResourceOutput](t)(c.UntagResource(ctx, &cp.UntagResourceInput{ResourceArn: aws.String(a), TagKeys: []string{"x"}}))
		lt := must[*cp.ListTagsForResourceOutput](t)(c.ListTagsForResource(ctx, &cp.ListTagsForResourceInput{ResourceArn: aws.String(a)}))
		if lt.Tags["p2c:plan"] != "p1" || lt.Tags["x"] != "" {
			t.Fatalf("tags of %s = %v", a, lt.Tags)
		}
	}
	g := must[*cp.GetSegmentDefinitionOutput](t)(c.GetSegmentDefinition(ctx, &cp.GetSegmentDefinitionInput{DomainName: aws.String("acme"), SegmentDefinitionName: aws.String("all")}))
	if g.Tags["p2c:step"] != "s1" || g.Tags["p2c:plan"] != "p1" {
		t.Fatalf("segment tags = %v", g.Tags)
	}
	_, err := c.ListTagsForResource(ctx, &cp.ListTagsForResourceInput{ResourceArn: aws.String("arn:aws:profile:us-east-1:111122223333:domains/nope")})
	wantErr[*types.ResourceNotFoundException](t, err)
	_, err = c.ListTagsForResource(ctx, &cp.ListTagsForResourceInput{ResourceArn: aws.String("arn:aws:s3:::bucket")})
	wantErr[*types.BadRequestException](t, err)
}

// TestWire checks the raw answers: epoch-second timestamps, the error
// header and {"message"} body, only the output shape's members.
func TestWire(t *testing.T) {
	h := newHarness(t, core.Options{})
	do := func(method, path, body string) (int, http.Header, map[string]any) {
		t.Helper()
		req, _ := http.NewRequest(method, h.url+path, strings.NewReader(body))
		req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261130/us-east-1/profile/aws4_request, SignedHeaders=host, Signature=0")
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var m map[string]any
		if err := json.NewDecoder(resp.Body).Decode(&m); err != nil {
			t.Fatal(err)
		}
		return resp.StatusCode, resp.Header, m
	}
	st, _, m := do("POST", "/domains/acme", `{"DefaultExpirationDays":10,"Bogus":1}`)
	if st != 200 {
		t.Fatalf("CreateDomain: %d %v", st, m)
	}
	if _, ok := m["CreatedAt"].(float64); !ok {
		t.Fatalf("CreatedAt is %T, want epoch seconds", m["CreatedAt"])
	}
	if _, ok := m["Bogus"]; ok {
		t.Fatal("response carries a member the output shape lacks")
	}
	st, hdr, m := do("GET", "/domains/nope", "")
	if st != 404 || hdr.Get("X-Amzn-ErrorType") != "ResourceNotFoundException" || m["message"] == nil {
		t.Fatalf("not found: %d %v %v", st, hdr, m)
	}
	st, hdr, _ = do("POST", "/domains/acme/profiles/search", `{"KeyName":"_email"}`)
	if st != 400 || hdr.Get("X-Amzn-ErrorType") != "BadRequestException" {
		t.Fatalf("missing Values: %d %v", st, hdr)
	}
}
