package profiles

import (
	"errors"
	"net/mail"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/valyala/fastjson"
)

// specLine is the example line of the export format (pinpoint-source.md
// 6.2): every member of an EndpointResponse.
const specLine = `{"Id":"ep-7f3c","ApplicationId":"0123456789abcdef0123456789abcdef","ChannelType":"EMAIL","Address":"jane@example.com","EndpointStatus":"ACTIVE","OptOut":"NONE","CohortId":"42","CreationDate":"2024-11-02T17:01:22.120Z","EffectiveDate":"2025-03-14T09:26:53.589Z","RequestId":"c1e4d2a0-0000-0000-0000-000000000000","Attributes":{"Interests":["hiking","music"]},"Metrics":{"purchases":3.0},"Demographic":{"Locale":"en_US","Platform":"ios","Timezone":"America/Los_Angeles"},"Location":{"City":"Seattle","Country":"US","PostalCode":"98101","Region":"WA","Latitude":47.6,"Longitude":-122.3},"User":{"UserId":"user-123","UserAttributes":{"FirstName":["Jane"],"LastName":["Doe"]}}}`

func parseLine(t *testing.T, line string, opts ParseOptions) (Endpoint, error) {
	t.Helper()
	var p fastjson.Parser
	return ParseEndpoint([]byte(line), &p, opts)
}

func TestParseEndpointSpecLine(t *testing.T) {
	e, err := parseLine(t, specLine, ParseOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want := Endpoint{
		ID: "ep-7f3c", ChannelType: "EMAIL", Address: "jane@example.com",
		EffectiveDate: "2025-03-14T09:26:53.589Z", UserID: "user-123", CohortID: "42",
		UserAttributes: []KV{{"FirstName", "Jane"}, {"LastName", "Doe"}},
		Attributes:     []KV{{"Interests", "hiking,music"}},
		Metrics:        []KV{{"purchases", "3"}},
		Demographic:    []KV{{"Locale", "en_US"}, {"Platform", "ios"}, {"Timezone", "America/Los_Angeles"}},
		Location:       Address{City: "Seattle", Country: "US", PostalCode: "98101", State: "WA"},
		Latitude:       "47.6", Longitude: "-122.3",
	}
	if !reflect.DeepEqual(e, want) {
		t.Errorf("got  %+v\nwant %+v", e, want)
	}
}

// exportLine builds an export line from the spec line's members with some
// replaced ("" deletes a member).
func exportLine(members ...string) string {
	base := map[string]string{
		"Id": `"ep-1"`, "ChannelType": `"EMAIL"`, "Address": `"a@example.com"`, "EndpointStatus": `"ACTIVE"`, "OptOut": `"NONE"`,
		"EffectiveDate": `"2025-01-01T00:00:00Z"`,
	}
	order := []string{"Id", "ChannelType", "Address", "EndpointStatus", "OptOut", "EffectiveDate"}
	for i := 0; i+1 < len(members); i += 2 {
		if _, ok := base[members[i]]; !ok {
			order = append(order, members[i])
		}
		base[members[i]] = members[i+1]
	}
	var parts []string
	for _, k := range order {
		if base[k] != "" {
			parts = append(parts, `"`+k+`":`+base[k])
		}
	}
	return "{" + strings.Join(parts, ",") + "}"
}

func TestParseEndpointRejects(t *testing.T) {
	for _, tc := range []struct {
		name, line, field, reason string
	}{
		{"not JSON", `hello world`, "", "not a JSON object: "},
		{"empty", `   `, "", "not a JSON object: empty line"},
		{"truncated", `{"Id":"ep-1","ChannelType":"EMAIL","Address":"a@exa`, "", "not a JSON object: "},
		{"trailing garbage", exportLine() + `}`, "", "not a JSON object: "},
		{"array", `[1,2]`, "", "not a JSON object: the line holds a JSON array"},
		{"string", `"x"`, "", "not a JSON object: the line holds a JSON string"},
		{"missing Id", exportLine("Id", ""), "Id", "missing or empty endpoint id"},
		{"empty Id", exportLine("Id", `""`), "Id", "missing or empty endpoint id"},
		{"blank Id", exportLine("Id", `"  "`), "Id", "missing or empty endpoint id"},
		{"Id number", exportLine("Id", `12`), "Id", "not a string: number"},
		{"missing channel", exportLine("ChannelType", ""), "ChannelType", "missing channel type (known: ADM, APNS"},
		{"unknown channel", exportLine("ChannelType", `"FAX"`), "ChannelType", `unknown channel type "FAX" (known: ADM, APNS, APNS_SANDBOX`},
		{"channel object", exportLine("ChannelType", `{}`), "ChannelType", "not a string: object"},
		{"address number", exportLine("Address", `5`), "Address", "not a string: number"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := parseLine(t, tc.line, ParseOptions{})
			var le *LineError
			if !errors.As(err, &le) {
				t.Fatalf("got %v, want a *LineError", err)
			}
			if le.Field != tc.field || !strings.HasPrefix(le.Reason, tc.reason) {
				t.Errorf("got field %q reason %q, want %q %q…", le.Field, le.Reason, tc.field, tc.reason)
			}
		})
	}
}

// repairList lists "field: reason" of an endpoint's repairs.
func repairList(e Endpoint) []string {
	var out []string
	for _, r := range e.Repairs {
		if r.Action != ActionRepaired || r.EndpointId != e.ID {
			out = append(out, "BAD ACTION/ID "+r.Action+" "+r.EndpointId)
		}
		out = append(out, r.Field+": "+r.Reason)
	}
	return out
}

func TestParseEndpointRepairs(t *testing.T) {
	for _, tc := range []struct {
		name    string
		line    string
		opts    ParseOptions
		check   func(e Endpoint) bool
		repairs []string
	}{
		{"mixed-case channel", exportLine("ChannelType", `"Email"`), ParseOptions{},
			func(e Endpoint) bool { return e.ChannelType == "EMAIL" }, []string{`ChannelType: channel type "Email" upper-cased to EMAIL`}},
		{"channel with spaces", exportLine("ChannelType", `" sms "`, "Address", `"+12065550123"`), ParseOptions{},
			func(e Endpoint) bool { return e.ChannelType == "SMS" && e.Address == "+12065550123" }, []string{`ChannelType: channel type " sms " upper-cased to SMS`}},
		{"mixed-case status", exportLine("EndpointStatus", `"inactive"`), ParseOptions{},
			func(e Endpoint) bool { return e.Inactive }, []string{`EndpointStatus: endpoint status "inactive" upper-cased to INACTIVE`}},
		{"unknown status", exportLine("EndpointStatus", `"PAUSED"`), ParseOptions{},
			func(e Endpoint) bool { return e.Inactive }, []string{`EndpointStatus: unknown endpoint status "PAUSED"; read as INACTIVE`}},
		{"status missing", exportLine("EndpointStatus", ""), ParseOptions{},
			func(e Endpoint) bool { return !e.Inactive }, nil},
		{"mixed-case opt-out", exportLine("OptOut", `"all"`), ParseOptions{},
			func(e Endpoint) bool { return e.OptedOut }, []string{`OptOut: opt-out value "all" upper-cased to ALL`}},
		{"lower-case none", exportLine("OptOut", `"none"`), ParseOptions{},
			func(e Endpoint) bool { return !e.OptedOut }, []string{`OptOut: opt-out value "none" upper-cased to NONE`}},
		{"unknown opt-out", exportLine("OptOut", `"EMAIL_ONLY"`), ParseOptions{},
			func(e Endpoint) bool { return e.OptedOut }, []string{`OptOut: unknown opt-out value "EMAIL_ONLY"; read as ALL (opted out)`}},
		{"opt-out wrong type", exportLine("OptOut", `true`), ParseOptions{},
			func(e Endpoint) bool { return e.OptedOut }, []string{`OptOut: not a string: true; read as ALL (opted out)`}},
		{"opt-out null", exportLine("OptOut", `null`), ParseOptions{},
			func(e Endpoint) bool { return !e.OptedOut }, nil},
		{"email trimmed, domain lower-cased", exportLine("Address", `" Jane.Doe@Example.COM "`), ParseOptions{},
			func(e Endpoint) bool { return e.Address == "Jane.Doe@example.com" }, []string{"Address: email address normalized (spaces trimmed, domain lower-cased)"}},
		{"email invalid", exportLine("Address", `"not-an-email"`), ParseOptions{},
			func(e Endpoint) bool { return e.Address == "" }, []string{"Address: " + reasonInvalidEmail}},
		{"email no dot", exportLine("Address", `"a@localhost"`), ParseOptions{},
			func(e Endpoint) bool { return e.Address == "" }, []string{"Address: " + reasonInvalidEmail}},
		{"email display name", exportLine("Address", `"Jane <jane@example.com>"`), ParseOptions{},
			func(e Endpoint) bool { return e.Address == "" }, []string{"Address: " + reasonInvalidEmail}},
		{"email two @", exportLine("Address", `"a@b@example.com"`), ParseOptions{},
			func(e Endpoint) bool { return e.Address == "" }, []string{"Address: " + reasonInvalidEmail}},
		{"email too long", exportLine("Address", `"`+strings.Repeat("a", 250)+`@example.com"`), ParseOptions{},
			func(e Endpoint) bool { return e.Address == "" }, []string{"Address: " + reasonInvalidEmail}},
		{"email unicode local part", exportLine("Address", `"jöhn@example.com"`), ParseOptions{},
			func(e Endpoint) bool { return e.Address == "jöhn@example.com" }, nil},
		{"email quoted local part", exportLine("Address", `"\"john doe\"@example.com"`), ParseOptions{},
			func(e Endpoint) bool { return e.Address == "" }, []string{"Address: " + reasonInvalidEmail}},
		{"email empty", exportLine("Address", `""`), ParseOptions{},
			func(e Endpoint) bool { return e.Address == "" }, nil},
		{"sms E.164", exportLine("ChannelType", `"SMS"`, "Address", `"+12065550123"`), ParseOptions{},
			func(e Endpoint) bool { return e.Address == "+12065550123" }, nil},
		{"sms national with Location.Country", exportLine("ChannelType", `"SMS"`, "Address", `"(206) 555-0123"`, "Location", `{"Country":"us"}`), ParseOptions{},
			func(e Endpoint) bool { return e.Address == "+12065550123" }, []string{"Address: phone number normalized to E.164"}},
		{"sms national, country wins over default", exportLine("ChannelType", `"SMS"`, "Address", `"07911 123456"`, "Location", `{"Country":"GB"}`), ParseOptions{DefaultCountry: "US"},
			func(e Endpoint) bool { return e.Address == "+447911123456" }, []string{"Address: phone number normalized to E.164"}},
		{"sms national, default country", exportLine("ChannelType", `"VOICE"`, "Address", `"206-555-0123"`, "Location", `{"Country":"USA"}`), ParseOptions{DefaultCountry: "US"},
			func(e Endpoint) bool { return e.Address == "+12065550123" }, []string{"Address: phone number normalized to E.164"}},
		{"sms national, no region", exportLine("ChannelType", `"SMS"`, "Address", `"206-555-0123"`), ParseOptions{},
			func(e Endpoint) bool { return e.Address == "" }, []string{"Address: " + reasonInvalidPhone}},
		{"sms invalid number", exportLine("ChannelType", `"SMS"`, "Address", `"+11234567890"`), ParseOptions{},
			func(e Endpoint) bool { return e.Address == "" }, []string{"Address: " + reasonInvalidPhone}},
		{"sms letters", exportLine("ChannelType", `"SMS"`, "Address", `"call me"`), ParseOptions{DefaultCountry: "US"},
			func(e Endpoint) bool { return e.Address == "" }, []string{"Address: " + reasonInvalidPhone}},
		{"push token trimmed", exportLine("ChannelType", `"GCM"`, "Address", `" tok-1 "`), ParseOptions{},
			func(e Endpoint) bool { return e.Address == "tok-1" }, []string{"Address: surrounding spaces trimmed"}},
		{"custom as written", exportLine("ChannelType", `"CUSTOM"`, "Address", `"https://example.com/Hook"`), ParseOptions{},
			func(e Endpoint) bool { return e.Address == "https://example.com/Hook" }, nil},
		{"attribute lists escaped and sorted", exportLine("Attributes", `{"b":["x,y","z\\w"],"a":["1"],"e":[]}`), ParseOptions{},
			func(e Endpoint) bool {
				return reflect.DeepEqual(e.Attributes, []KV{{"a", "1"}, {"b", `x\,y,z\\w`}})
			}, nil},
		{"attribute not a list", exportLine("Attributes", `{"a":5,"b":"one","c":["x",7]}`), ParseOptions{},
			func(e Endpoint) bool { return reflect.DeepEqual(e.Attributes, []KV{{"b", "one"}, {"c", "x"}}) },
			[]string{"Attributes.a: not a list of strings: number; left off", "Attributes.b: a string, not a list of strings; read as a list of one", "Attributes.c: list value not a string: number; left off"}},
		{"attributes not an object", exportLine("Attributes", `["a"]`), ParseOptions{},
			func(e Endpoint) bool { return e.Attributes == nil }, []string{"Attributes: not an object: array; left off"}},
		{"attribute written twice", exportLine("Attributes", `{"a":["1"],"a":["2"]}`), ParseOptions{},
			func(e Endpoint) bool { return reflect.DeepEqual(e.Attributes, []KV{{"a", "2"}}) }, []string{"Attributes.a: member written twice; the last one kept"}},
		{"empty attribute name", exportLine("Attributes", `{"":["1"]}`), ParseOptions{},
			func(e Endpoint) bool { return e.Attributes == nil }, []string{"Attributes.: empty attribute name; left off"}},
		{"user attributes", exportLine("User", `{"UserId":"u1","UserAttributes":{"z":["1"],"a":["2","3"]}}`), ParseOptions{},
			func(e Endpoint) bool {
				return e.UserID == "u1" && reflect.DeepEqual(e.UserAttributes, []KV{{"a", "2,3"}, {"z", "1"}})
			}, nil},
		{"user not an object", exportLine("User", `"u1"`), ParseOptions{},
			func(e Endpoint) bool { return e.UserID == "" }, []string{"User: not an object: string; left off"}},
		{"user id wrong type", exportLine("User", `{"UserId":7}`), ParseOptions{},
			func(e Endpoint) bool { return e.UserID == "" }, []string{"User.UserId: not a string: number; left off"}},
		{"metrics", exportLine("Metrics", `{"b":1.5,"a":3.0,"c":1e21,"d":"x","e":-0.25}`), ParseOptions{},
			func(e Endpoint) bool {
				return reflect.DeepEqual(e.Metrics, []KV{{"a", "3"}, {"b", "1.5"}, {"c", "1000000000000000000000"}, {"e", "-0.25"}})
			}, []string{"Metrics.d: not a number: string; left off"}},
		{"metric NaN", exportLine("Metrics", `{"a":NaN}`), ParseOptions{},
			func(e Endpoint) bool { return e.Metrics == nil }, []string{"Metrics.a: not a finite number; left off"}},
		{"demographic", exportLine("Demographic", `{"Timezone":"Europe/Paris","Make":"apple","Future":"x","Model":""}`), ParseOptions{},
			func(e Endpoint) bool {
				return reflect.DeepEqual(e.Demographic, []KV{{"Make", "apple"}, {"Timezone", "Europe/Paris"}})
			}, nil},
		{"demographic wrong type", exportLine("Demographic", `{"Locale":5}`), ParseOptions{},
			func(e Endpoint) bool { return e.Demographic == nil }, []string{"Demographic.Locale: not a string: number; left off"}},
		{"location", exportLine("Location", `{"City":"Paris","Country":"FR","Region":"IDF","PostalCode":"75001","Latitude":48.9,"Longitude":2,"Altitude":3}`), ParseOptions{},
			func(e Endpoint) bool {
				return e.Location == Address{City: "Paris", Country: "FR", State: "IDF", PostalCode: "75001"} && e.Latitude == "48.9" && e.Longitude == "2"
			}, nil},
		{"location wrong types", exportLine("Location", `{"City":1,"Latitude":"48.9"}`), ParseOptions{},
			func(e Endpoint) bool { return e.Location == Address{} && e.Latitude == "" },
			[]string{"Location.City: not a string: number; left off", "Location.Latitude: not a number: string; left off"}},
		{"cohort wrong type", exportLine("CohortId", `42`), ParseOptions{},
			func(e Endpoint) bool { return e.CohortID == "" }, []string{"CohortId: not a string: number; left off"}},
		{"unknown members ignored", exportLine("NewMember", `{"x":[1,2]}`, "Attributes", `{"a":["1"]}`), ParseOptions{},
			func(e Endpoint) bool { return len(e.Attributes) == 1 }, nil},
		{"member written twice: last wins", `{"Id":"a","Id":"b","ChannelType":"CUSTOM"}`, ParseOptions{},
			func(e Endpoint) bool { return e.ID == "b" }, nil},
		{"invalid UTF-8", exportLine("Attributes", "{\"a\":[\"x\xffy\"]}"), ParseOptions{},
			func(e Endpoint) bool { return reflect.DeepEqual(e.Attributes, []KV{{"a", "x\uFFFDy"}}) }, []string{"Attributes.a: invalid UTF-8 replaced with U+FFFD"}},
		{"escaped strings", exportLine("Id", `"ep\u00e9\n"`), ParseOptions{},
			func(e Endpoint) bool { return e.ID == "epé\n" }, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e, err := parseLine(t, tc.line, tc.opts)
			if err != nil {
				t.Fatalf("rejected: %v", err)
			}
			if !tc.check(e) {
				t.Errorf("wrong endpoint: %+v", e)
			}
			if got := repairList(e); !reflect.DeepEqual(got, tc.repairs) {
				t.Errorf("repairs:\ngot  %q\nwant %q", got, tc.repairs)
			}
		})
	}
}

// TestParseEndpointReusesParser checks that values of one line do not
// change when the parser reads the next (they are copied out of it).
func TestParseEndpointReusesParser(t *testing.T) {
	var p fastjson.Parser
	a, err := ParseEndpoint([]byte(specLine), &p, ParseOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want := a
	want.Attributes = append([]KV(nil), a.Attributes...)
	buf := []byte(exportLine("Id", `"zzzzzzz"`, "Attributes", `{"Interests":["xxxxxxxxxxxxx"]}`))
	if _, err := ParseEndpoint(buf, &p, ParseOptions{}); err != nil {
		t.Fatal(err)
	}
	for i := range buf {
		buf[i] = 'q'
	}
	if !reflect.DeepEqual(a, want) || a.ID != "ep-7f3c" || a.Attributes[0].V != "hiking,music" {
		t.Errorf("endpoint changed by the next parse: %+v", a)
	}
}

// TestSimpleEmailAgreesWithNetMail checks the fast path of email
// validation: every address it accepts net/mail reads back unchanged.
func TestSimpleEmailAgreesWithNetMail(t *testing.T) {
	for _, s := range []string{"a@example.com", "a.b+c@ex-ample.co.uk", "x!#$%&'*+/=?^_`{|}~@a.b", "A@B.C", "1@2.3", "a-@-b.c"} {
		local, domain, _ := strings.Cut(s, "@")
		if !simpleEmail(local, domain) {
			t.Errorf("%s: not simple", s)
			continue
		}
		a, err := mail.ParseAddress(s)
		if err != nil || a.Name != "" || a.Address != s {
			t.Errorf("%s: net/mail reads %v, %v", s, a, err)
		}
	}
	for _, s := range []string{".a@b.c", "a.@b.c", "a..b@c.d", "a@b..c", "a b@c.d", "a@b_c.d", "jöhn@example.com"} {
		local, domain, _ := strings.Cut(s, "@")
		if simpleEmail(local, domain) {
			t.Errorf("%s: simple", s)
		}
	}
}

func TestParseListDuplicatesKeptOnce(t *testing.T) {
	var p fastjson.Parser
	long := `"x0"`
	for i := 1; i < 40; i++ {
		long += `,"x` + strconv.Itoa(i%20) + `"`
	}
	e, err := ParseEndpoint([]byte(`{"Id":"e1","ChannelType":"EMAIL","Address":"a@example.com","Attributes":{"a":["b","c","b"],"long":[`+long+`]}}`), &p, ParseOptions{})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, kv := range e.Attributes {
		got[kv.K] = kv.V
	}
	if got["a"] != "b,c" {
		t.Errorf("a = %q, want b,c", got["a"])
	}
	if n := len(SplitList(got["long"])); n != 20 {
		t.Errorf("long has %d values, want 20", n)
	}
}

// A line another shard owns is still rejected for exactly the reasons
// its owner rejects it, so every shard settles duplicates alike.
func TestParseOwnsKeepsRejections(t *testing.T) {
	var p fastjson.Parser
	none := ParseOptions{Owns: func(string) bool { return false }}
	for _, line := range []string{
		`{"Id":"e1","ChannelType":"FAX","Address":"x"}`,
		`{"Id":"","ChannelType":"EMAIL"}`,
		`{"Id":"e1","ChannelType":"EMAIL","Address":7}`,
		`not json`,
	} {
		_, errAll := ParseEndpoint([]byte(line), &p, ParseOptions{})
		_, errNone := ParseEndpoint([]byte(line), &p, none)
		if (errAll == nil) != (errNone == nil) || errAll == nil {
			t.Errorf("%s: owner error %v, other shard error %v", line, errAll, errNone)
		}
	}
	e, err := ParseEndpoint([]byte(`{"Id":"e1","ChannelType":"sms","Address":"+12065550100","EffectiveDate":"2024-01-01T00:00:00Z","User":{"UserId":"u1"},"Attributes":{"a":["b"]}}`), &p, none)
	if err != nil || e.ProfileKey() != "u1" || e.EffectiveDate != "2024-01-01T00:00:00Z" || e.Attributes != nil {
		t.Errorf("other shard's line = %+v, %v; want its key and date only", e, err)
	}
}
