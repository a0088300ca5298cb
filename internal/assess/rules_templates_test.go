package assess

import (
	"strings"
	"testing"

	"github.com/p2c/p2c/internal/inventory"
)

// tplCase is one template fixture and what one rule must say about it.
type tplCase struct {
	name string
	rule string
	typ  string // template type; EMAIL when empty
	// members are template content members (JSON without the braces).
	members string
	// appSent leaves the template unused by any campaign (by default
	// campaign c1 sends it).
	appSent  bool
	setup    func(f *fixture)
	want     int
	class    string
	contains string
}

func tplFixture(c tplCase) *fixture {
	typ := c.typ
	if typ == "" {
		typ = "EMAIL"
	}
	obj := `{"TemplateName":"t1","TemplateType":"` + typ + `","Version":"1"`
	if c.members != "" {
		obj += "," + c.members
	}
	obj += "}"
	f := newFixture()
	f.inv.Regions[0].Templates = []inventory.Template{{Name: "t1", Type: typ, ActiveVersion: "1", Object: raw(obj)}}
	if !c.appSent {
		field := map[string]string{"EMAIL": "EmailTemplate", "SMS": "SMSTemplate", "PUSH": "PushTemplate", "VOICE": "VoiceTemplate", "INAPP": "InAppTemplate"}[typ]
		f.app().Segments = []inventory.Segment{{ID: "s1", Name: "all", Version: 1, Object: raw(`{"Id":"s1","Name":"all","SegmentType":"DIMENSIONAL","Version":1}`)}}
		f.app().Campaigns = []inventory.Campaign{{ID: "c1", Name: "promo", Version: 1, Object: raw(`{"Id":"c1","SegmentId":"s1","SegmentVersion":1,` +
			`"Schedule":{"StartTime":"2026-12-01T15:00:00Z","Frequency":"ONCE"},"TemplateConfiguration":{"` + field + `":{"Name":"t1"}}}`)}}
	}
	return f
}

func tplCases() []tplCase {
	return []tplCase{
		{name: "user attribute", rule: "TPL-PLACEHOLDER", members: `"Subject":"Hi {{User.UserAttributes.FirstName}}"`, want: 1, class: Trans,
			contains: "{{User.UserAttributes.FirstName}} → {{Attributes.Customer.Attributes.FirstName}}"},
		{name: "address in sms", rule: "TPL-PLACEHOLDER", typ: "SMS", members: `"Body":"Sent to {{Address}} in {{Location.City}}"`, want: 1,
			contains: "{{Address}} → {{Attributes.Customer.MobilePhoneNumber}}"},
		{name: "same name from user, endpoint and metric", rule: "TPL-PLACEHOLDER", members: `"TextPart":"{{User.UserAttributes.tier}} {{Attributes.tier}}"`, want: 2},
		{name: "item of an each block", rule: "TPL-PLACEHOLDER", members: `"HtmlPart":"{{#each Items}}{{name}}{{/each}}"`, want: 0},
		{name: "no placeholders", rule: "TPL-PLACEHOLDER", members: `"Subject":"Hello"`, want: 0},
		{name: "app-sent template", rule: "TPL-PLACEHOLDER", appSent: true, members: `"Subject":"Hi {{User.UserAttributes.FirstName}}"`, want: 0},

		{name: "first element", rule: "TPL-ARRAY-INDEX", members: `"Subject":"Hi {{User.UserAttributes.FirstName.[0]}}"`, want: 1, class: Trans, contains: "drops the [0]"},
		{name: "second element", rule: "TPL-ARRAY-INDEX", members: `"Subject":"{{Attributes.kids.[1]}}"`, want: 1, class: Redesign, contains: "[1]"},
		{name: "each over an attribute", rule: "TPL-ARRAY-INDEX", members: `"HtmlPart":"{{#each Attributes.interests}}<li>{{this}}</li>{{/each}}"`, want: 1, class: Redesign, contains: "#each Attributes.interests"},
		{name: "plain", rule: "TPL-ARRAY-INDEX", members: `"Subject":"Hi {{User.UserAttributes.FirstName}}"`, want: 0},

		{name: "endpoint id", rule: "TPL-ENDPOINT-FIELD", members: `"HtmlPart":"<a href='https://x.example.com/u?e={{Id}}'>x</a>"`, want: 1, class: Redesign, contains: "{{Id}}"},
		{name: "address in push", rule: "TPL-ENDPOINT-FIELD", typ: "PUSH", members: `"Default":{"Body":"{{Address}}"}`, want: 1},
		{name: "address in email", rule: "TPL-ENDPOINT-FIELD", members: `"HtmlPart":"{{Address}} {{OptOut}} {{ChannelType}}"`, want: 0},

		{name: "recommender id", rule: "TPL-RECOMMENDER", members: `"RecommenderId":"rec1","HtmlPart":"{{Recommendations.Title.[0]}} {{RecommendationItems.[1]}}"`, want: 2, class: Redesign},
		{name: "none", rule: "TPL-RECOMMENDER", members: `"HtmlPart":"{{Attributes.x}}"`, want: 0},

		{name: "simple with", rule: "TPL-WITH", members: `"HtmlPart":"{{#with User.UserAttributes}}{{FirstName}}{{/with}}"`, want: 1, class: Trans, contains: "{{#with User.UserAttributes}}"},
		{name: "with around a parent path", rule: "TPL-WITH", members: `"HtmlPart":"{{#with Attributes}}{{../Id}}{{/with}}"`, want: 1, class: Redesign},
		{name: "no with", rule: "TPL-WITH", members: `"HtmlPart":"{{#if Attributes.x}}y{{/if}}"`, want: 0},

		{name: "unknown helper", rule: "TPL-HELPER-UNKNOWN", members: `"HtmlPart":"{{shout Attributes.x}} {{#if (toTitle Attributes.y)}}z{{/if}}"`, want: 2, class: Redesign, contains: `"shout"`},
		{name: "documented helpers", rule: "TPL-HELPER-UNKNOWN", members: `"HtmlPart":"{{formatDate (now) \"yyyy\"}} {{#if (eq Attributes.a \"b\")}}c{{else}}d{{/if}} {{upper Attributes.x}}"`, want: 0},

		{name: "unclosed block", rule: "TPL-MALFORMED", members: `"HtmlPart":"{{#if Attributes.x}}yes"`, want: 1, class: Manual, contains: "never closed"},
		{name: "unclosed braces", rule: "TPL-MALFORMED", members: `"Subject":"Hi {{User.UserAttributes.FirstName"`, want: 1, contains: "unclosed"},
		{name: "mismatched", rule: "TPL-MALFORMED", members: `"HtmlPart":"{{#if a}}{{#each b}}{{/if}}{{/each}}"`, want: 1, contains: "closed by"},
		{name: "well formed", rule: "TPL-MALFORMED", members: `"HtmlPart":"{{#if a}}{{#each b}}{{this}}{{/each}}{{else}}x{{/if}} {{!-- {{ --}}"`, want: 0},

		{name: "sender variable in a campaign template", rule: "TPL-SUBSTITUTION", typ: "SMS", members: `"Body":"Code {{Code}}"`, want: 1, class: Trans, contains: "Code has no default"},
		{name: "with a default", rule: "TPL-SUBSTITUTION", typ: "SMS", members: `"Body":"Code {{Code}}","DefaultSubstitutions":"{\"Code\":\"0000\"}"`, want: 1, contains: "with their default value"},
		{name: "app-sent template", rule: "TPL-SUBSTITUTION", typ: "SMS", appSent: true, members: `"Body":"Code {{Code}}"`, want: 0},

		{name: "defaults", rule: "TPL-DEFAULTS", members: `"Subject":"x","DefaultSubstitutions":"{\"User.UserAttributes.FirstName\":\"there\"}"`, want: 1, class: Trans, contains: "Attributes.Customer.Attributes.FirstName"},
		{name: "default with no target", rule: "TPL-DEFAULTS", members: `"Subject":"x","DefaultSubstitutions":"{\"Id\":\"x\",\"Attributes.a\":\"b\"}"`, want: 2},
		{name: "invalid JSON", rule: "TPL-DEFAULTS", members: `"Subject":"x","DefaultSubstitutions":"{not json"`, want: 1, class: Manual},
		{name: "none", rule: "TPL-DEFAULTS", members: `"Subject":"x"`, want: 0},

		{name: "over 800", rule: "TPL-SMS-LENGTH", typ: "SMS", members: `"Body":"` + strings.Repeat("a", 801) + `"`, want: 1, class: Redesign, contains: "801 characters"},
		{name: "multi-part unicode", rule: "TPL-SMS-LENGTH", typ: "SMS", members: `"Body":"` + strings.Repeat("é", 71) + `"`, want: 1, class: Direct, contains: "UCS-2"},
		{name: "over 800 once placeholders are rewritten", rule: "TPL-SMS-LENGTH", typ: "SMS", members: `"Body":"` + strings.Repeat("{{Attributes.x}}", 50) + `"`, want: 1, class: Redesign, contains: "1800 characters once"},
		{name: "one segment", rule: "TPL-SMS-LENGTH", typ: "SMS", members: `"Body":"` + strings.Repeat("a", 160) + `"`, want: 0},

		{name: "headers", rule: "TPL-EMAIL-HEADERS", members: `"Headers":[{"Name":"X-Category","Value":"statement"}]`, want: 1, class: Trans, contains: "X-Category"},
		{name: "none", rule: "TPL-EMAIL-HEADERS", members: `"Subject":"x"`, want: 0},

		{name: "push used by a campaign", rule: "TPL-PUSH", typ: "PUSH", members: `"Default":{"Body":"x"}`, want: 1, class: Redesign},
		{name: "push sent by the app", rule: "TPL-PUSH", typ: "PUSH", appSent: true, members: `"Default":{"Body":"x"}`, want: 0},

		{name: "voice", rule: "TPL-VOICE", typ: "VOICE", members: `"Body":"Hello","VoiceId":"Joanna","LanguageCode":"en-US"`, want: 1, class: Manual, contains: "Joanna"},
		{name: "sms", rule: "TPL-VOICE", typ: "SMS", members: `"Body":"Hello"`, want: 0},

		{name: "in-app", rule: "TPL-IN-APP", typ: "INAPP", members: `"Layout":"CAROUSEL","Content":[]`, want: 1, class: Manual, contains: "CAROUSEL"},
		{name: "email", rule: "TPL-IN-APP", members: `"Subject":"x"`, want: 0},

		{name: "pinned version", rule: "TPL-VERSIONS", typ: "SMS", members: `"Body":"x"`, setup: func(f *fixture) {
			f.app().Campaigns[0].Object = raw(`{"Id":"c1","SegmentId":"s1","SegmentVersion":1,"Schedule":{"StartTime":"2026-12-01T15:00:00Z","Frequency":"ONCE"},` +
				`"TemplateConfiguration":{"SMSTemplate":{"Name":"t1","Version":"2"}}}`)
			f.inv.Regions[0].Templates[0].Versions = []inventory.TemplateVersion{{Version: "1"}, {Version: "2"}}
		}, want: 1, class: Trans, contains: `Version 2 of the template is pinned by campaign "promo"`},
		{name: "history", rule: "TPL-VERSIONS", members: `"Subject":"x"`, setup: func(f *fixture) {
			f.inv.Regions[0].Templates[0].Versions = []inventory.TemplateVersion{{Version: "1"}, {Version: "2"}, {Version: "3"}}
		}, want: 1, class: Direct, contains: "3 versions"},
		{name: "one version", rule: "TPL-VERSIONS", members: `"Subject":"x"`, want: 0},

		{name: "otp sms", rule: "TPL-APP-SENDING", typ: "SMS", appSent: true, members: `"Body":"Your code is {{Code}}"`, want: 1, class: Manual, contains: "one-time-password"},
		{name: "transactional email", rule: "TPL-APP-SENDING", appSent: true, members: `"Subject":"Your receipt for {{Attributes.orderId}}"`, want: 1, contains: "email"},
		{name: "used by a campaign", rule: "TPL-APP-SENDING", members: `"Subject":"x"`, want: 0},
	}
}

func TestTemplateRules(t *testing.T) {
	wid := func(typ string) string {
		if typ == "" {
			typ = "EMAIL"
		}
		return "us-east-1/template/" + typ + "/t1"
	}
	for _, c := range tplCases() {
		t.Run(c.rule+"/"+c.name, func(t *testing.T) {
			if RuleByID(c.rule) == nil {
				t.Fatalf("rule %s is not registered", c.rule)
			}
			f := tplFixture(c)
			if c.setup != nil {
				c.setup(f)
			}
			a := f.assess(t)
			var hits []Finding
			for _, h := range fired(a, c.rule) {
				if h.Workload == wid(c.typ) {
					hits = append(hits, h)
				}
			}
			cmpTplCheckHits(t, c.rule, hits, c.want, c.class, c.contains)
		})
	}
}

func TestTemplateRulesCovered(t *testing.T) {
	fires, quiet := map[string]bool{}, map[string]bool{}
	for _, c := range tplCases() {
		if c.want > 0 {
			fires[c.rule] = true
		} else {
			quiet[c.rule] = true
		}
	}
	for _, r := range Catalogue() {
		if strings.HasPrefix(r.ID, "TPL-") && (!fires[r.ID] || !quiet[r.ID]) {
			t.Errorf("%s: fires tested %v, quiet tested %v", r.ID, fires[r.ID], quiet[r.ID])
		}
	}
}
