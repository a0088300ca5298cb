package profiles

import (
	"encoding/json"
	"fmt"
	"sort"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cp "github.com/aws/aws-sdk-go-v2/service/customerprofiles"
	"github.com/aws/aws-sdk-go-v2/service/customerprofiles/types"

	"github.com/p2c/p2c/internal/emulator/core"
)

func TestProfilesAndSearch(t *testing.T) {
	h := newHarness(t, core.Options{})
	c := h.c
	h.domain(t, "acme")
	d := aws.String("acme")
	id := aws.ToString(must[*cp.CreateProfileOutput](t)(c.CreateProfile(ctx, &cp.CreateProfileInput{DomainName: d,
		FirstName: aws.String("Ada"), LastName: aws.String("Lovelace"), EmailAddress: aws.String("ada@example.com"),
		MobilePhoneNumber: aws.String("+12065550100"), AccountNumber: aws.String("A-1"),
		Address: &types.Address{City: aws.String("Seattle"), Country: aws.String("US")}, Attributes: map[string]string{"tier": "gold", "x": "1"}})).ProfileId)
	if len(id) != 32 {
		t.Fatalf("ProfileId %q is not 32 hex", id)
	}
	for _, k := range [][2]string{{"_email", "ada@example.com"}, {"_phone", "+12065550100"}, {"_profileId", id}, {"_fullName", "Ada Lovelace"}, {"_account", "A-1"}} {
		p := h.profileBy(t, "acme", k[0], k[1])
		if aws.ToString(p.ProfileId) != id || len(p.FoundByItems) != 1 || aws.ToString(p.FoundByItems[0].KeyName) != k[0] {
			t.Fatalf("search %s: %+v", k[0], p)
		}
	}
	// UpdateProfile: an empty string clears, an omitted member stays, attributes merge.
	must[*cp.UpdateProfileOutput](t)(c.UpdateProfile(ctx, &cp.UpdateProfileInput{DomainName: d, ProfileId: aws.String(id),
		MobilePhoneNumber: aws.String(""), Address: &types.UpdateAddress{City: aws.String("Tacoma")}, Attributes: map[string]string{"x": "", "y": "2"}}))
	p := h.profileBy(t, "acme", "_profileId", id)
	if p.MobilePhoneNumber != nil || aws.ToString(p.Address.City) != "Tacoma" || aws.ToString(p.Address.Country) != "US" ||
		fmt.Sprint(p.Attributes) != "map[tier:gold y:2]" || aws.ToString(p.FirstName) != "Ada" {
		t.Fatalf("after UpdateProfile: %+v", p)
	}
	_, err := c.UpdateProfile(ctx, &cp.UpdateProfileInput{DomainName: d, ProfileId: aws.String("00000000000000000000000000000000"), FirstName: aws.String("x")})
	wantErr[*types.ResourceNotFoundException](t, err)

	// Pages of search results, AND/OR.
	for i := 0; i < 5; i++ {
		must[*cp.CreateProfileOutput](t)(c.CreateProfile(ctx, &cp.CreateProfileInput{DomainName: d, EmailAddress: aws.String(fmt.Sprintf("u%d@example.com", i)), FirstName: aws.String("Bob")}))
	}
	var vals []string
	for i := 0; i < 5; i++ {
		vals = append(vals, fmt.Sprintf("u%d@example.com", i))
	}
	var got []string
	var tok *string
	for {
		pg := must[*cp.SearchProfilesOutput](t)(c.SearchProfiles(ctx, &cp.SearchProfilesInput{DomainName: d, KeyName: aws.String("_email"), Values: vals, MaxResults: aws.Int32(2), NextToken: tok}))
		for _, it := range pg.Items {
			got = append(got, aws.ToString(it.EmailAddress))
		}
		if tok = pg.NextToken; tok == nil {
			break
		}
	}
	if len(got) != 5 {
		t.Fatalf("paged search found %v", got)
	}
	and := must[*cp.SearchProfilesOutput](t)(c.SearchProfiles(ctx, &cp.SearchProfilesInput{DomainName: d, KeyName: aws.String("_email"), Values: vals,
		AdditionalSearchKeys: []types.AdditionalSearchKey{{KeyName: aws.String("_fullName"), Values: []string{"Ada Lovelace"}}}, LogicalOperator: types.LogicalOperatorAnd}))
	or := must[*cp.SearchProfilesOutput](t)(c.SearchProfiles(ctx, &cp.SearchProfilesInput{DomainName: d, KeyName: aws.String("_email"), Values: vals,
		AdditionalSearchKeys: []types.AdditionalSearchKey{{KeyName: aws.String("_fullName"), Values: []string{"Ada Lovelace"}}}}))
	if len(and.Items) != 0 || len(or.Items) != 6 {
		t.Fatalf("AND found %d, OR found %d", len(and.Items), len(or.Items))
	}
	_, err = c.SearchProfiles(ctx, &cp.SearchProfilesInput{DomainName: d, KeyName: aws.String("nosuchkey"), Values: []string{"x"}})
	wantErr[*types.BadRequestException](t, err)

	bg := must[*cp.BatchGetProfileOutput](t)(c.BatchGetProfile(ctx, &cp.BatchGetProfileInput{DomainName: d, ProfileIds: []string{id, "0123456789abcdef0123456789abcdef"}}))
	if len(bg.Profiles) != 1 || len(bg.Errors) != 1 {
		t.Fatalf("BatchGetProfile = %+v", bg)
	}
	must[*cp.DeleteProfileOutput](t)(c.DeleteProfile(ctx, &cp.DeleteProfileInput{DomainName: d, ProfileId: aws.String(id)}))
	if out := must[*cp.SearchProfilesOutput](t)(c.SearchProfiles(ctx, &cp.SearchProfilesInput{DomainName: d, KeyName: aws.String("_profileId"), Values: []string{id}})); len(out.Items) != 0 {
		t.Fatal("deleted profile still found")
	}
	_, err = c.DeleteProfile(ctx, &cp.DeleteProfileInput{DomainName: d, ProfileId: aws.String(id)})
	wantErr[*types.ResourceNotFoundException](t, err)
}

func TestProfileObjects(t *testing.T) {
	h := newHarness(t, core.Options{})
	c := h.c
	h.domain(t, "acme")
	d := aws.String("acme")
	must[*cp.PutProfileObjectTypeOutput](t)(c.PutProfileObjectType(ctx, endpointObjectType("acme")))

	// Two endpoints of one user make one profile; a third user gets another.
	k1 := h.putEndpoint(t, "acme", map[string]any{"ProfileKey": "user-1", "EndpointId": "ep-email", "User_UserId": "user-1",
		"EmailAddress": "ada@example.com", "Channels": "EMAIL", "Location_Country": "US", "User_UserAttributes_tier": "gold"})
	h.putEndpoint(t, "acme", map[string]any{"ProfileKey": "user-1", "EndpointId": "ep-sms", "MobilePhoneNumber": "+12065550100", "OptOut_SMS": "ALL"})
	h.putEndpoint(t, "acme", map[string]any{"ProfileKey": "user-2", "EndpointId": "ep-2", "EmailAddress": "bob@example.com"})

	p := h.profileBy(t, "acme", "PinpointProfileKey", "user-1")
	if aws.ToString(p.EmailAddress) != "ada@example.com" || aws.ToString(p.MobilePhoneNumber) != "+12065550100" ||
		aws.ToString(p.Address.Country) != "US" || p.Attributes["tier"] != "gold" || p.Attributes["UserId"] != "user-1" || p.Attributes["OptOut_SMS"] != "ALL" {
		t.Fatalf("profile from endpoints: %+v", p)
	}
	if q := h.profileBy(t, "acme", "_email", "ada@example.com"); aws.ToString(q.ProfileId) != aws.ToString(p.ProfileId) {
		t.Fatal("_email finds another profile")
	}
	if q := h.profileBy(t, "acme", "PinpointEndpointId", "ep-sms"); aws.ToString(q.ProfileId) != aws.ToString(p.ProfileId) {
		t.Fatal("the endpoint key finds another profile")
	}

	// Re-ingesting an endpoint (UNIQUE key) replaces its object: same key, no new profile.
	again := h.putEndpoint(t, "acme", map[string]any{"ProfileKey": "user-1", "EndpointId": "ep-email", "EmailAddress": "ada@new.example.com", "Channels": "EMAIL"})
	if again != k1 {
		t.Fatalf("re-ingested object key %s, want %s", again, k1)
	}
	objs := must[*cp.ListProfileObjectsOutput](t)(c.ListProfileObjects(ctx, &cp.ListProfileObjectsInput{DomainName: d, ObjectTypeName: aws.String("PinpointEndpoint"), ProfileId: p.ProfileId, MaxResults: aws.Int32(1)}))
	if len(objs.Items) != 1 || objs.NextToken == nil {
		t.Fatalf("first page of objects: %+v", objs)
	}
	rest := must[*cp.ListProfileObjectsOutput](t)(c.ListProfileObjects(ctx, &cp.ListProfileObjectsInput{DomainName: d, ObjectTypeName: aws.String("PinpointEndpoint"), ProfileId: p.ProfileId, NextToken: objs.NextToken}))
	if len(rest.Items) != 1 || rest.NextToken != nil {
		t.Fatalf("second page of objects: %+v", rest)
	}
	all := append(objs.Items, rest.Items...)
	var ids []string
	for _, it := range all {
		var m map[string]any
		if err := json.Unmarshal([]byte(aws.ToString(it.Object)), &m); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, m["EndpointId"].(string))
	}
	sort.Strings(ids)
	if fmt.Sprint(ids) != "[ep-email ep-sms]" {
		t.Fatalf("objects of the profile: %v", ids)
	}
	filtered := must[*cp.ListProfileObjectsOutput](t)(c.ListProfileObjects(ctx, &cp.ListProfileObjectsInput{DomainName: d, ObjectTypeName: aws.String("PinpointEndpoint"), ProfileId: p.ProfileId,
		ObjectFilter: &types.ObjectFilter{KeyName: aws.String("PinpointEndpointId"), Values: []string{"ep-email"}}}))
	if len(filtered.Items) != 1 || aws.ToString(filtered.Items[0].ProfileObjectUniqueKey) != k1 {
		t.Fatalf("filtered objects: %+v", filtered.Items)
	}
	if q := h.profileBy(t, "acme", "_profileId", aws.ToString(p.ProfileId)); aws.ToString(q.EmailAddress) != "ada@new.example.com" {
		t.Fatalf("email after re-ingest: %s", aws.ToString(q.EmailAddress))
	}

	must[*cp.DeleteProfileObjectOutput](t)(c.DeleteProfileObject(ctx, &cp.DeleteProfileObjectInput{DomainName: d, ObjectTypeName: aws.String("PinpointEndpoint"), ProfileId: p.ProfileId, ProfileObjectUniqueKey: aws.String(k1)}))
	_, err := c.DeleteProfileObject(ctx, &cp.DeleteProfileObjectInput{DomainName: d, ObjectTypeName: aws.String("PinpointEndpoint"), ProfileId: p.ProfileId, ProfileObjectUniqueKey: aws.String(k1)})
	wantErr[*types.ResourceNotFoundException](t, err)

	// Errors: bad JSON, unknown type, no profile creation without a match.
	_, err = c.PutProfileObject(ctx, &cp.PutProfileObjectInput{DomainName: d, ObjectTypeName: aws.String("PinpointEndpoint"), Object: aws.String("{not json")})
	wantErr[*types.BadRequestException](t, err)
	_, err = c.PutProfileObject(ctx, &cp.PutProfileObjectInput{DomainName: d, ObjectTypeName: aws.String("Nope"), Object: aws.String("{}")})
	wantErr[*types.ResourceNotFoundException](t, err)
	strict := endpointObjectType("acme")
	strict.ObjectTypeName, strict.AllowProfileCreation = aws.String("Strict"), false
	must[*cp.PutProfileObjectTypeOutput](t)(c.PutProfileObjectType(ctx, strict))
	_, err = c.PutProfileObject(ctx, &cp.PutProfileObjectInput{DomainName: d, ObjectTypeName: aws.String("Strict"), Object: aws.String(`{"ProfileKey":"nobody","EndpointId":"x"}`)})
	wantErr[*types.BadRequestException](t, err)
	// ...but a match attaches it.
	must[*cp.PutProfileObjectOutput](t)(c.PutProfileObject(ctx, &cp.PutProfileObjectInput{DomainName: d, ObjectTypeName: aws.String("Strict"), Object: aws.String(`{"ProfileKey":"user-2","EndpointId":"y"}`)}))

	// AddProfileKey makes a profile findable by a key.
	must[*cp.AddProfileKeyOutput](t)(c.AddProfileKey(ctx, &cp.AddProfileKeyInput{DomainName: d, ProfileId: p.ProfileId, KeyName: aws.String("PinpointProfileKey"), Values: []string{"alias-1"}}))
	if q := h.profileBy(t, "acme", "PinpointProfileKey", "alias-1"); aws.ToString(q.ProfileId) != aws.ToString(p.ProfileId) {
		t.Fatal("AddProfileKey key not searchable")
	}
	// Deleting the profile deletes its objects and keys.
	must[*cp.DeleteProfileOutput](t)(c.DeleteProfile(ctx, &cp.DeleteProfileInput{DomainName: d, ProfileId: p.ProfileId}))
	if out := must[*cp.SearchProfilesOutput](t)(c.SearchProfiles(ctx, &cp.SearchProfilesInput{DomainName: d, KeyName: aws.String("PinpointProfileKey"), Values: []string{"user-1"}})); len(out.Items) != 0 {
		t.Fatal("keys of a deleted profile still find it")
	}
}
