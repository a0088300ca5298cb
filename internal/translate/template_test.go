package translate

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/p2c/p2c/internal/awsmodel"
	"github.com/p2c/p2c/internal/emulator/demoseed"
)

// roundTrip turns a value into plain decoded JSON, as a spec file holds it.
func roundTrip(t testing.TB, v any) any {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var out any
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

var qconnect = awsmodel.MustLoad("qconnect")

// checkTemplateResult validates a result as a CreateMessageTemplate input.
func checkTemplateResult(t testing.TB, res TemplateResult) {
	t.Helper()
	if n := len(res.Content); n != 1 {
		t.Fatalf("content has %d channel members, want exactly 1: %v", n, res.Content)
	}
	in := map[string]any{"knowledgeBaseId": "00000000-0000-4000-8000-000000000001", "name": "t1",
		"channelSubtype": res.ChannelSubtype, "content": res.Content}
	if res.DefaultAttributes != nil {
		in["defaultAttributes"] = res.DefaultAttributes
	}
	op := qconnect.Operations["CreateMessageTemplate"]
	if ps := qconnect.Validate(op.Input.Shape, roundTrip(t, in), true); len(ps) > 0 {
		t.Fatalf("invalid CreateMessageTemplate input: %v\n%s", ps, mustJSON(in))
	}
}

func mustJSON(v any) string {
	b, _ := json.MarshalIndent(v, "", "  ")
	return string(b)
}

// textOf digs the translated text of one Pinpoint field out of content.
func textOf(res TemplateResult, field string) string {
	c := res.Content
	get := func(path ...string) string {
		var cur any = c
		for _, p := range path {
			m, _ := cur.(map[string]any)
			cur = m[p]
		}
		s, _ := cur.(string)
		return s
	}
	switch field {
	case "Subject":
		return get("email", "subject")
	case "HtmlPart":
		return get("email", "body", "html", "content")
	case "TextPart":
		return get("email", "body", "plainText", "content")
	case "Body":
		return get("sms", "body", "plainText", "content")
	}
	return ""
}

type tplTest struct {
	name   string
	typ    string // EMAIL when ""
	tpl    map[string]any
	field  string // field whose translation is checked against want
	want   string
	probs  []string // substrings, one per expected problem, in order
	notes  []string // substrings each found in some note
	checks func(t *testing.T, res TemplateResult)
}

func tplTests() []tplTest {
	html := func(s string) map[string]any { return map[string]any{"HtmlPart": s} }
	sms := func(s string) map[string]any { return map[string]any{"Body": s} }
	return []tplTest{
		// One per placeholder form.
		{name: "user attribute", tpl: html("Hi {{User.UserAttributes.FirstName}}"), field: "HtmlPart", want: "Hi {{Attributes.Customer.Attributes.FirstName}}",
			notes: []string{"{{User.UserAttributes.FirstName}} → {{Attributes.Customer.Attributes.FirstName}}"}},
		{name: "user id", tpl: html("?u={{User.UserId}}"), field: "HtmlPart", want: "?u={{Attributes.Customer.Attributes.UserId}}"},
		{name: "endpoint attribute", tpl: html("{{Attributes.tier}}"), field: "HtmlPart", want: "{{Attributes.Customer.Attributes.tier}}"},
		{name: "metric", tpl: html("{{Metrics.points}} points"), field: "HtmlPart", want: "{{Attributes.Customer.Attributes.points}} points"},
		{name: "location", tpl: html("{{Location.City}} {{Location.Country}} {{Location.PostalCode}} {{Location.Region}} {{Location.Latitude}}"), field: "HtmlPart",
			want: "{{Attributes.Customer.City}} {{Attributes.Customer.Country}} {{Attributes.Customer.PostalCode}} {{Attributes.Customer.State}} {{Attributes.Customer.Attributes.Location_Latitude}}"},
		{name: "location without profile field", tpl: html("{{Location.Timezone}}"), field: "HtmlPart", want: "{{Location.Timezone}}",
			probs: []string{"{{Location.Timezone}} is Pinpoint endpoint data"}},
		{name: "demographic", tpl: html("{{Demographic.Platform}} {{Demographic.Locale}}"), field: "HtmlPart",
			want: "{{Attributes.Customer.Attributes.Demographic_Platform}} {{Attributes.Customer.Attributes.Demographic_Locale}}"},
		{name: "address in email", tpl: html("{{Address}}"), field: "HtmlPart", want: "{{Attributes.Customer.EmailAddress}}"},
		{name: "address in sms", typ: "SMS", tpl: sms("to {{Address}}"), field: "Body", want: "to {{Attributes.Customer.MobilePhoneNumber}}"},
		{name: "address in push", typ: "PUSH", tpl: map[string]any{"Default": map[string]any{"Body": "{{Address}}"}},
			probs: []string{"{{Address}} is Pinpoint endpoint data"}},
		{name: "endpoint id", tpl: html("?e={{Id}}"), field: "HtmlPart", want: "?e={{Id}}", probs: []string{"{{Id}} is Pinpoint endpoint data"}},
		{name: "channel type", typ: "SMS", tpl: sms("via {{ChannelType}}"), field: "Body", want: "via SMS", notes: []string{`{{ChannelType}} is written out as "SMS"`}},
		{name: "constant in a helper", tpl: html(`{{#if (eq ChannelType "EMAIL")}}x{{/if}}`), field: "HtmlPart", want: `{{#if (eq "EMAIL" "EMAIL")}}x{{/if}}`},
		{name: "first element", tpl: html("{{User.UserAttributes.FirstName.[0]}}"), field: "HtmlPart", want: "{{Attributes.Customer.Attributes.FirstName}}",
			notes: []string{"[0] index is dropped"}},
		{name: "second element", tpl: html("{{Attributes.kids.[1]}}"), field: "HtmlPart", want: "{{Attributes.kids.[1]}}", probs: []string{"element [1]"}},
		{name: "triple braces", tpl: html("{{{Attributes.html}}}"), field: "HtmlPart", want: "{{{Attributes.Customer.Attributes.html}}}"},
		{name: "ampersand", tpl: html("{{& Attributes.html}}"), field: "HtmlPart", want: "{{& Attributes.Customer.Attributes.html}}"},
		{name: "if else", tpl: html("{{#if Attributes.vip}}Dear VIP{{else}}Hi{{/if}}"), field: "HtmlPart", want: "{{#if Attributes.Customer.Attributes.vip}}Dear VIP{{else}}Hi{{/if}}"},
		{name: "else if", tpl: html("{{#if Attributes.a}}a{{else if Metrics.b}}b{{/if}}"), field: "HtmlPart",
			want: "{{#if Attributes.Customer.Attributes.a}}a{{else if Attributes.Customer.Attributes.b}}b{{/if}}"},
		{name: "unless", tpl: html("{{#unless (eq Demographic.Locale \"en_US\")}}x{{/unless}}"), field: "HtmlPart",
			want: "{{#unless (eq Attributes.Customer.Attributes.Demographic_Locale \"en_US\")}}x{{/unless}}"},
		{name: "each over an attribute", tpl: html("{{#each Attributes.interests}}<li>{{this}}</li>{{/each}}"), field: "HtmlPart",
			want: "{{#each Attributes.Customer.Attributes.interests}}<li>{{this}}</li>{{/each}}", probs: []string{"{{#each Attributes.interests}} iterates over a list"}},
		{name: "each over a substitution", tpl: html("{{#each Items}}{{name}} {{Attributes.x}}{{/each}}"), field: "HtmlPart",
			want: "{{#each Attributes.Custom.Items}}{{name}} {{Attributes.Customer.Attributes.x}}{{/each}}"},
		{name: "simple with", tpl: html("{{#with User.UserAttributes}}Hi {{FirstName}} {{LastName}}{{/with}}!"), field: "HtmlPart",
			want: "Hi {{Attributes.Customer.Attributes.FirstName}} {{Attributes.Customer.Attributes.LastName}}!", notes: []string{"Expanded {{#with User.UserAttributes}}"}},
		{name: "with around a parent path", tpl: html("{{#with Attributes}}{{../Id}}{{/with}}"), field: "HtmlPart",
			want: "{{#with Attributes}}{{../Id}}{{/with}}", probs: []string{"{{#with}} is not supported"}},
		{name: "with holding a block", tpl: html("{{#with User.UserAttributes}}{{#if FirstName}}x{{/if}}{{/with}}"),
			probs: []string{"nested blocks"}},
		{name: "unknown helper", tpl: html("{{shout Attributes.x}} {{#if (toTitle Attributes.y)}}z{{/if}}"), field: "HtmlPart",
			want:  "{{shout Attributes.Customer.Attributes.x}} {{#if (toTitle Attributes.Customer.Attributes.y)}}z{{/if}}",
			probs: []string{`helper "shout"`, `helper "toTitle"`}},
		{name: "unclosed block", tpl: html("{{#if Attributes.x}}yes"), probs: []string{"never closed"}},
		{name: "unclosed braces", tpl: map[string]any{"Subject": "Hi {{User.UserAttributes.FirstName", "HtmlPart": "x"}, field: "Subject",
			want: "Hi {{User.UserAttributes.FirstName", probs: []string{"malformed Handlebars: an unclosed {{", "unclosed {{: the text is kept"}},
		{name: "mismatched", tpl: html("{{#if a}}{{#each b}}{{/if}}{{/each}}"), probs: []string{"closed by"}},
		{name: "stray close", tpl: html("x{{/if}}"), probs: []string{"stray"}},
		{name: "comment and escape", tpl: html(`{{!-- {{Id}} --}}\{{Id}} {{! note }}`), field: "HtmlPart", want: `{{!-- {{Id}} --}}\{{Id}} {{! note }}`},
		{name: "partial", tpl: html("{{> footer}}"), probs: []string{"partials"}},
		{name: "substitution", typ: "SMS", tpl: sms("Code {{Code}}"), field: "Body", want: "Code {{Attributes.Custom.Code}}",
			notes: []string{"{{Code}} → {{Attributes.Custom.Code}}", "has no default value"}},
		{name: "dotted substitution", tpl: html("{{Order.Id}}"), field: "HtmlPart", want: "{{Attributes.Custom.[Order.Id]}}"},
		{name: "recommendation items", tpl: html("{{RecommendationItems.[0]}} {{Recommendations.Title.[1]}}"), field: "HtmlPart",
			want: "{{RecommendationItems.[0]}} {{Recommendations.Title.[1]}}", probs: []string{"recommender value", "recommender value"}},
		{name: "recommender id", tpl: map[string]any{"HtmlPart": "x", "RecommenderId": "rec1"}, probs: []string{"recommender rec1"}},

		// Default substitutions.
		{name: "defaults", typ: "SMS",
			tpl:   map[string]any{"Body": "{{User.UserAttributes.FirstName}} {{Location.City}} {{Code}} {{Address}}", "DefaultSubstitutions": `{"User.UserAttributes.FirstName":"there","Location.City":"your area","Code":"0000","ChannelType":"SMS","Address":"+1","Attributes.n":3}`},
			notes: []string{"default attributes (5 value(s))", "The default for ChannelType is not needed"},
			checks: func(t *testing.T, res TemplateResult) {
				want := `{"customAttributes":{"Code":"0000"},"customerProfileAttributes":{"city":"your area","custom":{"FirstName":"there","n":"3"},"mobilePhoneNumber":"+1"}}`
				if got, _ := json.Marshal(res.DefaultAttributes); string(got) != want {
					t.Errorf("defaultAttributes = %s\nwant %s", got, want)
				}
			}},
		{name: "default with no target", tpl: map[string]any{"HtmlPart": "x", "DefaultSubstitutions": `{"Id":"x","Recommendations.Title":"y","Attributes.a":""}`},
			probs: []string{"the default value has 0 characters", "default for Id has no Connect attribute", "default for Recommendations.Title"}},
		{name: "defaults not JSON", tpl: map[string]any{"HtmlPart": "x", "DefaultSubstitutions": `{not json`}, probs: []string{"not a valid JSON object"}},

		// Channels.
		{name: "sms over 800", typ: "SMS", tpl: sms(strings.Repeat("a", 801)), probs: []string{"801 characters"}},
		{name: "sms at 800", typ: "SMS", tpl: sms(strings.Repeat("é", 800))},
		{name: "sms over 800 once rewritten", typ: "SMS", tpl: sms(strings.Repeat("{{Attributes.x}}", 50)), probs: []string{"1800 characters once translated"}},
		{name: "email parts and headers", tpl: map[string]any{"Subject": "Order {{Attributes.id}}", "HtmlPart": "<p>x</p>", "TextPart": "x",
			"Headers": []any{map[string]any{"Name": "X-Order", "Value": "{{Attributes.id}}"}, map[string]any{"Name": "Bad:Name", "Value": "v"}}},
			field: "Subject", want: "Order {{Attributes.Customer.Attributes.id}}", probs: []string{`header name "Bad:Name"`},
			checks: func(t *testing.T, res TemplateResult) {
				hs := res.Content["email"].(map[string]any)["headers"].([]any)
				if len(hs) != 1 || hs[0].(map[string]any)["value"] != "{{Attributes.Customer.Attributes.id}}" {
					t.Errorf("headers = %v", hs)
				}
			}},
		{name: "email without body", tpl: map[string]any{"Subject": "x"}, probs: []string{"no HTML or text body"}},
		{name: "push", typ: "PUSH", tpl: map[string]any{
			"Default": map[string]any{"Title": "Hi", "Body": "Hi {{User.UserAttributes.FirstName}}", "Action": "DEEP_LINK", "Url": "app://x"},
			"APNS":    map[string]any{"Sound": "default", "MediaUrl": "https://x/y.png"},
			"GCM":     map[string]any{"Body": "Android {{Id}}", "ImageUrl": "https://x/i.png", "MediaUrl": "https://x/m.png"},
		}, probs: []string{"{{Id}}", "Connect fcm push content has no MediaUrl"},
			checks: func(t *testing.T, res TemplateResult) {
				p := res.Content["push"].(map[string]any)
				if len(p) != 4 {
					t.Errorf("push platforms = %d, want 4 (the default fills all)", len(p))
				}
				apns := p["apns"].(map[string]any)
				if apns["body"].(map[string]any)["content"] != "Hi {{Attributes.Customer.Attributes.FirstName}}" || apns["mediaUrl"] != "https://x/y.png" || apns["action"] != "DEEP_LINK" {
					t.Errorf("apns = %v", apns)
				}
				if p["fcm"].(map[string]any)["body"].(map[string]any)["content"] != "Android {{Id}}" {
					t.Errorf("fcm = %v", p["fcm"])
				}
			}},
	}
}

func TestTemplate(t *testing.T) {
	for _, c := range tplTests() {
		t.Run(c.name, func(t *testing.T) {
			typ := c.typ
			if typ == "" {
				typ = "EMAIL"
			}
			res, err := Template(c.tpl, typ)
			if err != nil {
				t.Fatal(err)
			}
			checkTemplateResult(t, res)
			if c.field != "" {
				if got := textOf(res, c.field); got != c.want {
					t.Errorf("%s:\n got %s\nwant %s", c.field, got, c.want)
				}
			}
			if len(res.Untranslated) != len(c.probs) {
				t.Errorf("%d problems, want %d: %s", len(res.Untranslated), len(c.probs), mustJSON(res.Untranslated))
			} else {
				for i, p := range res.Untranslated {
					if !strings.Contains(p.Reason+" "+p.Path, c.probs[i]) {
						t.Errorf("problem %d = %+v, want it to mention %q", i, p, c.probs[i])
					}
					if p.Token != "" && p.Pos < 0 {
						t.Errorf("problem %d has a token but no position: %+v", i, p)
					}
				}
			}
			all := strings.Join(res.Notes, "\n")
			for _, n := range c.notes {
				if !strings.Contains(all, n) {
					t.Errorf("no note mentions %q; notes:\n%s", n, all)
				}
			}
			if c.checks != nil {
				c.checks(t, res)
			}
		})
	}
}

func TestTemplateProblemPosition(t *testing.T) {
	res, _ := Template(map[string]any{"HtmlPart": "Hello {{Id}}"}, "EMAIL")
	if len(res.Untranslated) != 1 {
		t.Fatalf("problems: %v", res.Untranslated)
	}
	p := res.Untranslated[0]
	if p.Path != "HtmlPart" || p.Token != "{{Id}}" || p.Pos != 6 {
		t.Errorf("problem = %+v, want HtmlPart {{Id}} at 6", p)
	}
}

// Every documented helper passes untouched (with is expanded: see
// TestTemplate), and its arguments are translated.
func TestTemplateHelpers(t *testing.T) {
	for h := range knownHelpers {
		if h == "with" {
			continue
		}
		in := "{{" + h + " Attributes.x \"a\"}}"
		want := "{{" + h + " Attributes.Customer.Attributes.x \"a\"}}"
		switch h {
		case "if", "unless", "each", "eachProperty", "eachIndex", "inline":
			in = "{{#" + h + " Attributes.x}}y{{/" + h + "}}"
			want = "{{#" + h + " Attributes.Customer.Attributes.x}}y{{/" + h + "}}"
		}
		res, err := Template(map[string]any{"HtmlPart": in}, "EMAIL")
		if err != nil {
			t.Fatal(err)
		}
		if got := textOf(res, "HtmlPart"); got != want {
			t.Errorf("%s: got %s, want %s", h, got, want)
		}
		for _, p := range res.Untranslated {
			if strings.Contains(p.Reason, "helper") {
				t.Errorf("%s flagged: %+v", h, p)
			}
		}
	}
}

func TestTemplateUnsupported(t *testing.T) {
	for _, typ := range []string{"VOICE", "INAPP", "FAX"} {
		if _, err := Template(map[string]any{"Body": "x"}, typ); err == nil {
			t.Errorf("%s: no error", typ)
		}
	}
	if _, err := Template(nil, "EMAIL"); err == nil {
		t.Error("nil template: no error")
	}
	res, err := Template(map[string]any{"TemplateType": "SMS", "Body": "x"}, "")
	if err != nil || res.ChannelSubtype != "SMS" {
		t.Errorf("type from the object: %v %v", res.ChannelSubtype, err)
	}
}

// demoTemplates returns the template requests of the demo seed (and of
// its updates), with their type.
func demoTemplates() []struct {
	Name, Type string
	Obj        map[string]any
} {
	var out []struct {
		Name, Type string
		Obj        map[string]any
	}
	members := map[string]string{"EmailTemplateRequest": "EMAIL", "SMSTemplateRequest": "SMS", "PushNotificationTemplateRequest": "PUSH"}
	for _, c := range demoseed.Demo().Calls {
		if c.Service != "pinpoint" || !strings.HasSuffix(c.Operation, "Template") {
			continue
		}
		for m, typ := range members {
			if obj, ok := c.Input[m].(map[string]any); ok {
				name, _ := c.Input["TemplateName"].(string)
				out = append(out, struct {
					Name, Type string
					Obj        map[string]any
				}{name, typ, obj})
			}
		}
	}
	return out
}

func TestTemplateDemoSeed(t *testing.T) {
	ts := demoTemplates()
	if len(ts) < 20 {
		t.Fatalf("only %d demo templates", len(ts))
	}
	byName := map[string]TemplateResult{}
	for _, d := range ts {
		res, err := Template(d.Obj, d.Type)
		if err != nil {
			t.Fatalf("%s: %v", d.Name, err)
		}
		checkTemplateResult(t, res)
		again, _ := Template(d.Obj, d.Type)
		if mustJSON(res) != mustJSON(again) {
			t.Errorf("%s: not deterministic", d.Name)
		}
		byName[d.Name] = res
	}
	// Spot checks on what the seed is known to contain.
	cart := byName["shop-abandoned-cart-email"]
	n := 0
	for _, p := range cart.Untranslated {
		if strings.Contains(p.Reason, "recommender") {
			n++
		}
	}
	if n < 10 {
		t.Errorf("abandoned cart: %d recommender problems, want every Recommendations placeholder and the recommender: %s", n, mustJSON(cart.Untranslated))
	}
	eu := byName["eu-newsletter-email"]
	if !strings.Contains(mustJSON(eu.Untranslated), "DefaultSubstitutions.User.UserAttributes.FirstName") {
		t.Errorf("eu newsletter: the empty default is not reported: %s", mustJSON(eu.Untranslated))
	}
	if got := textOf(byName["otp-login-sms"], "Body"); !strings.Contains(got, "{{Attributes.Custom.Code}}") {
		t.Errorf("otp sms body = %q", got)
	}
}

// corpusTemplates reads the corpus's email bodies and SMS templates.
func corpusTemplates(t testing.TB) []map[string]any {
	dir := "../../../shared/corpus/pinpoint"
	var out []map[string]any
	html, _ := filepath.Glob(filepath.Join(dir, "*.html"))
	for _, f := range html {
		b, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		tpl := map[string]any{"TemplateType": "EMAIL", "Subject": filepath.Base(f), "HtmlPart": string(b)}
		if txt, err := os.ReadFile(strings.TrimSuffix(f, ".html") + ".txt"); err == nil {
			tpl["TextPart"] = string(txt)
		}
		out = append(out, tpl)
	}
	for _, f := range []string{"awscli__get-sms-template.output.json", "awscli__create-sms-template.input.json"} {
		b, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil {
			continue
		}
		var m map[string]any
		if json.Unmarshal(b, &m) != nil {
			continue
		}
		for _, k := range []string{"SMSTemplateResponse", "SMSTemplateRequest"} {
			if o, ok := m[k].(map[string]any); ok {
				o["TemplateType"] = "SMS"
				out = append(out, o)
			}
		}
	}
	return out
}

func TestTemplateCorpus(t *testing.T) {
	ts := corpusTemplates(t)
	if len(ts) == 0 {
		t.Skip("the Pinpoint corpus is not at ../../../shared/corpus/pinpoint")
	}
	for _, tpl := range ts {
		res, err := Template(tpl, "")
		if err != nil {
			t.Fatalf("%v: %v", tpl["Subject"], err)
		}
		checkTemplateResult(t, res)
	}
}

var fuzzTypes = []string{"EMAIL", "SMS", "PUSH"}

// FuzzTemplate: the template translator never panics, and whatever it
// returns is a valid CreateMessageTemplate content whose problems point
// inside their field.
func FuzzTemplate(f *testing.F) {
	for _, d := range demoTemplates() {
		typ := byte(0)
		for i, x := range fuzzTypes {
			if x == d.Type {
				typ = byte(i)
			}
		}
		a, b := str(d.Obj, "Subject"), str(d.Obj, "HtmlPart")
		if d.Type == "SMS" {
			b = str(d.Obj, "Body")
		}
		if d.Type == "PUSH" {
			def, _ := d.Obj["Default"].(map[string]any)
			a, b = str(def, "Title"), str(def, "Body")
		}
		f.Add(typ, a, b, str(d.Obj, "DefaultSubstitutions"))
	}
	for _, tpl := range corpusTemplates(f) {
		if tpl["TemplateType"] == "SMS" {
			f.Add(byte(1), "", str(tpl, "Body"), "")
		} else {
			f.Add(byte(0), str(tpl, "Subject"), str(tpl, "HtmlPart"), "")
		}
	}
	f.Add(byte(0), "{{#with a}}{{b}}{{/with}}", "{{#each x}}{{#with y}}{{../z}}{{/with}}{{/each}}", `{"":"x","a.[0]":1}`)
	f.Fuzz(func(t *testing.T, typ byte, a, b, defaults string) {
		ty := fuzzTypes[int(typ)%len(fuzzTypes)]
		var tpl map[string]any
		switch ty {
		case "EMAIL":
			tpl = map[string]any{"Subject": a, "HtmlPart": b, "TextPart": a + b, "DefaultSubstitutions": defaults,
				"Headers": []any{map[string]any{"Name": a, "Value": b}}}
		case "SMS":
			tpl = map[string]any{"Body": a + b, "DefaultSubstitutions": defaults}
		case "PUSH":
			tpl = map[string]any{"Default": map[string]any{"Title": a, "Body": b, "Action": a}, "APNS": map[string]any{"RawContent": b}, "DefaultSubstitutions": defaults}
		}
		res, err := Template(tpl, ty)
		if err != nil {
			t.Fatal(err)
		}
		checkTemplateResult(t, res)
		for _, p := range res.Untranslated {
			if p.Reason == "" || p.Path == "" {
				t.Fatalf("problem without path or reason: %+v", p)
			}
			if p.Token != "" && (p.Pos < 0 || p.Pos > len(a)+len(b)) {
				t.Fatalf("problem token out of place: %+v", p)
			}
		}
	})
}
