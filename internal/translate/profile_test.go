package translate

import (
	"regexp"
	"testing"
)

func TestPlaceholder(t *testing.T) {
	for _, c := range []struct{ path, typ, want, idx string }{
		{"User.UserAttributes.FirstName", "EMAIL", "Attributes.Customer.Attributes.FirstName", ""},
		{"User.UserAttributes.FirstName.[0]", "EMAIL", "Attributes.Customer.Attributes.FirstName", "[0]"},
		{"User.UserId", "EMAIL", "Attributes.Customer.Attributes.UserId", ""},
		{"Attributes.tier", "SMS", "Attributes.Customer.Attributes.tier", ""},
		{"Attributes.kids.[1]", "SMS", "Attributes.Customer.Attributes.kids", "[1]"},
		{"Metrics.points", "EMAIL", "Attributes.Customer.Attributes.points", ""},
		{"Demographic.Locale", "EMAIL", "Attributes.Customer.Attributes.Demographic_Locale", ""},
		{"Demographic.Platform", "PUSH", "Attributes.Customer.Attributes.Demographic_Platform", ""},
		{"Location.City", "EMAIL", "Attributes.Customer.City", ""},
		{"Location.Country", "EMAIL", "Attributes.Customer.Country", ""},
		{"Location.PostalCode", "EMAIL", "Attributes.Customer.PostalCode", ""},
		{"Location.Region", "EMAIL", "Attributes.Customer.State", ""},
		{"Location.Latitude", "EMAIL", "Attributes.Customer.Attributes.Location_Latitude", ""},
		{"Address", "EMAIL", "Attributes.Customer.EmailAddress", ""},
		{"Address", "SMS", "Attributes.Customer.MobilePhoneNumber", ""},
		{"ChannelType", "EMAIL", `"EMAIL"`, ""},
		{"ChannelType", "SMS", `"SMS"`, ""},
		{"OptOut", "SMS", `"NONE"`, ""},
		{"EndpointStatus", "SMS", `"ACTIVE"`, ""},
	} {
		got, status, idx := Placeholder(c.path, c.typ)
		if got != c.want || status != Mapped || idx != c.idx {
			t.Errorf("Placeholder(%q, %s) = %q, %s, %q; want %q, mapped, %q", c.path, c.typ, got, status, idx, c.want, c.idx)
		}
	}
	for _, c := range []struct {
		path, typ string
		want      Status
	}{
		{"Id", "EMAIL", NoField}, {"CreationDate", "EMAIL", NoField}, {"EffectiveDate", "SMS", NoField}, {"RequestId", "SMS", NoField},
		{"Address", "PUSH", NoField}, {"ChannelType", "PUSH", NoField},
		{"Location.Timezone", "EMAIL", NoField}, {"User.Other", "EMAIL", NoField}, {"Attributes", "EMAIL", NoField},
		{"Code", "SMS", Sender}, {"Foo.Bar", "EMAIL", Sender},
		{"RecommendationItems.[0]", "EMAIL", Recommender}, {"Recommendations.Title.[1]", "EMAIL", Recommender},
	} {
		if _, status, _ := Placeholder(c.path, c.typ); status != c.want {
			t.Errorf("Placeholder(%q, %s) status %s, want %s", c.path, c.typ, status, c.want)
		}
	}
}

func TestProfileNaming(t *testing.T) {
	for path, want := range map[string]string{
		"User.UserAttributes.Tier": "Tier", "Attributes.interests.[0]": "interests", "Metrics.purchases": "purchases",
		"Demographic.Platform": "Demographic_Platform", "Location.City": "", "Location.Longitude": "Location_Longitude", "Id": "",
	} {
		if got := ProfileAttribute(path); got != want {
			t.Errorf("ProfileAttribute(%q) = %q, want %q", path, got, want)
		}
	}
	if got := ProfileField("Location.Region"); got != "Address.State" {
		t.Errorf("ProfileField(Location.Region) = %q", got)
	}
	re := regexp.MustCompile(`^[A-Za-z0-9_.-]{1,64}$`)
	for _, p := range []string{"Metrics.purchases", "Attributes.a b/c", "Attributes." + string(make([]byte, 80))} {
		if got := ObjectField(p); !re.MatchString(got) {
			t.Errorf("ObjectField(%q) = %q: not a valid field name", p, got)
		}
	}
	if got := ChannelsValue([]string{"sms", "EMAIL", "SMS"}); got != ",EMAIL,SMS," {
		t.Errorf("ChannelsValue = %q", got)
	}
	if OptOutAttribute("sms") != "OptOut_SMS" {
		t.Errorf("OptOutAttribute(sms) = %q", OptOutAttribute("sms"))
	}
}
