package qconnect_test

import (
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/p2c/p2c/internal/emulator/core"
	"github.com/p2c/p2c/internal/translate"
)

var uuidRe = regexp.MustCompile(`^[a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12}$`)

func TestKnowledgeBases(t *testing.T) {
	e := newEnv(t, core.Options{})
	req := map[string]any{"name": "p2c-us-east-1-message-templates", "knowledgeBaseType": "MESSAGE_TEMPLATES", "clientToken": "tok-1",
		"description": "Message templates migrated from Amazon Pinpoint by p2c", "tags": map[string]any{"p2c:source": "pinpoint"}}
	created := e.ok("POST", "/knowledgeBases", js(req), 200)["knowledgeBase"].(map[string]any)
	id, _ := created["knowledgeBaseId"].(string)
	if !uuidRe.MatchString(id) || created["status"] != "CREATE_IN_PROGRESS" ||
		created["knowledgeBaseArn"] != "arn:aws:wisdom:us-east-1:111122223333:knowledge-base/"+id || created["tags"].(map[string]any)["p2c:source"] != "pinpoint" {
		t.Fatalf("create: %s", js(created))
	}
	if _, ok := created["lastContentModificationTime"].(float64); !ok {
		t.Fatalf("lastContentModificationTime is epoch seconds: %v", created["lastContentModificationTime"])
	}
	got := e.ok("GET", "/knowledgeBases/"+id, "", 200)["knowledgeBase"].(map[string]any)
	if got["status"] != "ACTIVE" || got["description"] != req["description"] {
		t.Fatalf("get: %s", js(got))
	}
	// By ARN too.
	e.ok("GET", "/knowledgeBases/"+url.PathEscape(created["knowledgeBaseArn"].(string)), "", 200)

	// The same client token and request: the same knowledge base.
	again := e.ok("POST", "/knowledgeBases", js(req), 200)["knowledgeBase"].(map[string]any)
	if again["knowledgeBaseId"] != id {
		t.Fatalf("replay made another knowledge base: %v", again["knowledgeBaseId"])
	}
	req["description"] = "changed"
	e.fail("POST", "/knowledgeBases", js(req), 409, "ConflictException")
	req["clientToken"] = "tok-2"
	e.fail("POST", "/knowledgeBases", js(req), 409, "ConflictException") // same name

	e.fail("POST", "/knowledgeBases", `{"name":"x","knowledgeBaseType":"WIKI"}`, 400, "ValidationException")
	e.fail("POST", "/knowledgeBases", `{"knowledgeBaseType":"MESSAGE_TEMPLATES"}`, 400, "ValidationException")
	e.fail("POST", "/knowledgeBases", `{"name":"ext","knowledgeBaseType":"EXTERNAL"}`, 400, "ValidationException")
	e.fail("POST", "/knowledgeBases", `{"name":"x","knowledgeBaseType":"MESSAGE_TEMPLATES","tags":{"aws:x":"y"}}`, 400, "ValidationException")

	for i := 1; i < 10; i++ {
		e.kb(fmt.Sprintf("kb-%d", i))
	}
	e.fail("POST", "/knowledgeBases", `{"name":"eleventh","knowledgeBaseType":"MESSAGE_TEMPLATES"}`, 402, "ServiceQuotaExceededException")

	var names []string
	tok := ""
	pages := 0
	for {
		q := "?maxResults=3"
		if tok != "" {
			q += "&nextToken=" + url.QueryEscape(tok)
		}
		out := e.ok("GET", "/knowledgeBases"+q, "", 200)
		pages++
		for _, s := range out["knowledgeBaseSummaries"].([]any) {
			names = append(names, s.(map[string]any)["name"].(string))
		}
		tok, _ = out["nextToken"].(string)
		if tok == "" {
			break
		}
	}
	if len(names) != 10 || pages != 4 || names[0] != "p2c-us-east-1-message-templates" {
		t.Fatalf("list: %d pages %v", pages, names)
	}
	e.fail("GET", "/knowledgeBases?maxResults=101", "", 400, "ValidationException")
	e.fail("GET", "/knowledgeBases?nextToken=bogus", "", 400, "ValidationException")

	r := e.do("DELETE", "/knowledgeBases/"+id, "")
	if r.status != 204 || len(r.raw) != 0 {
		t.Fatalf("delete: %d %s", r.status, r.raw)
	}
	body := e.fail("GET", "/knowledgeBases/"+id, "", 404, "ResourceNotFoundException")
	if body["resourceName"] != id {
		t.Fatalf("not found names the resource: %v", body)
	}
	e.fail("DELETE", "/knowledgeBases/"+id, "", 404, "ResourceNotFoundException")
	e.fail("GET", "/knowledgeBases/not-a-uuid", "", 400, "ValidationException")
	// Room again for one more.
	e.kb("replacement")
}

func TestMessageTemplates(t *testing.T) {
	e := newEnv(t, core.Options{})
	now := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	e.svc.SetClock(func() time.Time { return now })
	kb := e.kb("templates")

	spec := smsTemplate("winback", "Hi {{Attributes.Customer.FirstName}}, 20% off this week. Reply STOP to opt out.")
	spec["clientToken"] = "tpl-1"
	spec["description"] = "Migrated from Amazon Pinpoint by p2c"
	spec["language"] = "en_US"
	spec["tags"] = map[string]any{"p2c:step": "message-template/us-east-1/SMS/winback"}
	d := e.template(kb, spec)
	id := d["messageTemplateId"].(string)
	wantARN := "arn:aws:wisdom:us-east-1:111122223333:message-template/" + kb + "/" + id
	if !uuidRe.MatchString(id) || d["messageTemplateArn"] != wantARN || d["knowledgeBaseId"] != kb || d["channelSubtype"] != "SMS" ||
		d["createdTime"] != "2026-11-30T12:00:00.000Z" || d["lastModifiedTime"] != "2026-11-30T12:00:00.000Z" ||
		js(d["attributeTypes"]) != `["CUSTOMER_PROFILE"]` || len(d["messageTemplateContentSha256"].(string)) != 64 ||
		!strings.HasPrefix(d["lastModifiedBy"].(string), "arn:aws:iam::111122223333:") || d["language"] != "en_US" {
		t.Fatalf("create: %s", js(d))
	}
	// Replay with the token answers the same template; other parameters conflict.
	if again := e.template(kb, spec); again["messageTemplateId"] != id {
		t.Fatalf("token replay made another template")
	}
	spec["description"] = "other"
	e.fail("POST", "/knowledgeBases/"+kb+"/messageTemplates", js(spec), 409, "ConflictException")
	delete(spec, "clientToken")
	e.fail("POST", "/knowledgeBases/"+kb+"/messageTemplates", js(spec), 409, "ConflictException") // same name

	bad := map[string]map[string]any{
		"no name":       {"channelSubtype": "SMS", "content": spec["content"]},
		"no content":    {"name": "n", "channelSubtype": "SMS"},
		"wrong content": {"name": "n", "channelSubtype": "EMAIL", "content": spec["content"]},
		"two contents": {"name": "n", "channelSubtype": "SMS", "content": map[string]any{"sms": spec["content"].(map[string]any)["sms"],
			"email": map[string]any{"subject": "s"}}},
		"long sms":      smsTemplate("long", strings.Repeat("x", 801)),
		"bad subtype":   {"name": "n", "channelSubtype": "FAX", "content": spec["content"]},
		"bad language":  {"name": "n", "channelSubtype": "SMS", "content": spec["content"], "language": "english"},
		"email no body": {"name": "n", "channelSubtype": "EMAIL", "content": map[string]any{"email": map[string]any{"subject": "s"}}},
		"whatsapp source on sms": {"name": "n", "channelSubtype": "SMS", "content": spec["content"],
			"sourceConfiguration": map[string]any{"whatsApp": map[string]any{"businessAccountId": "waba-1", "templateId": "1"}}},
		"empty attribute": {"name": "n", "channelSubtype": "SMS", "content": spec["content"], "defaultAttributes": map[string]any{"agentAttributes": map[string]any{"firstName": ""}}},
	}
	for name, b := range bad {
		t.Run(name, func(t *testing.T) {
			e.t = t
			e.fail("POST", "/knowledgeBases/"+kb+"/messageTemplates", js(b), 400, "ValidationException")
		})
	}
	e.t = t
	e.fail("POST", "/knowledgeBases/"+kb+"/messageTemplates", `{"name":`, 400, "ValidationException")
	e.fail("POST", "/knowledgeBases/00000000-0000-4000-a000-000000000000/messageTemplates", js(smsTemplate("x", "y")), 404, "ResourceNotFoundException")
	quick := e.ok("POST", "/knowledgeBases", `{"name":"quick","knowledgeBaseType":"QUICK_RESPONSES"}`, 200)["knowledgeBase"].(map[string]any)["knowledgeBaseId"].(string)
	e.fail("POST", "/knowledgeBases/"+quick+"/messageTemplates", js(smsTemplate("x", "y")), 400, "ValidationException")

	// Get: unqualified, $LATEST, by ARN.
	for _, ref := range []string{id, id + ":$LATEST", wantARN, wantARN + ":$LATEST"} {
		g := e.ok("GET", tplPath(kb, ref), "", 200)["messageTemplate"].(map[string]any)
		if g["messageTemplateId"] != id || g["name"] != "winback" || g["versionNumber"] != nil {
			t.Fatalf("get %s: %s", ref, js(g))
		}
	}
	e.fail("GET", tplPath(kb, "00000000-0000-4000-a000-000000000000"), "", 404, "ResourceNotFoundException")
	e.fail("GET", tplPath(kb, id+":$ACTIVE_VERSION"), "", 404, "ResourceNotFoundException")

	// Update changes $LATEST content and checksum; metadata separately.
	now = now.Add(time.Hour)
	u := e.ok("POST", tplPath(kb, id), js(map[string]any{"content": map[string]any{"sms": map[string]any{"body": map[string]any{"plainText": map[string]any{"content": "Hello {{Attributes.Agent.FirstName}}"}}}}}), 200)["messageTemplate"].(map[string]any)
	if u["messageTemplateContentSha256"] == d["messageTemplateContentSha256"] || u["lastModifiedTime"] != "2026-11-30T13:00:00.000Z" ||
		u["createdTime"] != d["createdTime"] || u["language"] != "en_US" || js(u["attributeTypes"]) != `["AGENT"]` {
		t.Fatalf("update: %s", js(u))
	}
	e.fail("POST", tplPath(kb, id), js(map[string]any{"content": map[string]any{"email": map[string]any{"subject": "s", "body": map[string]any{"html": map[string]any{"content": "x"}}}}}), 400, "ValidationException")
	m := e.ok("POST", tplPath(kb, id)+"/metadata", `{"name":"winback-v2","description":"new words","groupingConfiguration":{"criteria":"RoutingProfileArn","values":["a"]}}`, 200)["messageTemplate"].(map[string]any)
	if m["name"] != "winback-v2" || m["description"] != "new words" {
		t.Fatalf("metadata: %s", js(m))
	}
	e.template(kb, smsTemplate("taken", "x"))
	e.fail("POST", tplPath(kb, id)+"/metadata", `{"name":"taken"}`, 409, "ConflictException")

	// Listing pages through every template.
	for i := 0; i < 23; i++ {
		e.template(kb, smsTemplate(fmt.Sprintf("t%02d", i), "text"))
	}
	first := e.ok("GET", "/knowledgeBases/"+kb+"/messageTemplates", "", 200)
	if len(first["messageTemplateSummaries"].([]any)) != 20 || first["nextToken"] == nil {
		t.Fatalf("default page: %s", js(first))
	}
	seen := 0
	tok := ""
	for {
		q := "?maxResults=10"
		if tok != "" {
			q += "&nextToken=" + url.QueryEscape(tok)
		}
		out := e.ok("GET", "/knowledgeBases/"+kb+"/messageTemplates"+q, "", 200)
		for _, s := range out["messageTemplateSummaries"].([]any) {
			sum := s.(map[string]any)
			if sum["messageTemplateArn"] == nil || sum["createdTime"] == nil || sum["content"] != nil {
				t.Fatalf("summary: %s", js(sum))
			}
			seen++
		}
		if tok, _ = out["nextToken"].(string); tok == "" {
			break
		}
	}
	if seen != 25 {
		t.Fatalf("listed %d templates, want 25", seen)
	}

	r := e.do("DELETE", tplPath(kb, id), "")
	if r.status != 204 || len(r.raw) != 0 {
		t.Fatalf("delete: %d %s", r.status, r.raw)
	}
	e.fail("GET", tplPath(kb, id), "", 404, "ResourceNotFoundException")
	e.fail("DELETE", tplPath(kb, id), "", 404, "ResourceNotFoundException")
}

func TestVersionsAndActivation(t *testing.T) {
	e := newEnv(t, core.Options{})
	kb := e.kb("templates")
	d := e.template(kb, smsTemplate("otp", "Your code is {{Attributes.Custom.code}}"))
	id := d["messageTemplateId"].(string)
	base := tplPath(kb, id)
	version := func(sha string) map[string]any {
		t.Helper()
		body := "{}"
		if sha != "" {
			body = `{"messageTemplateContentSha256":"` + sha + `"}`
		}
		return e.ok("POST", base+"/versions", body, 200)["messageTemplate"].(map[string]any)
	}
	v1 := version(d["messageTemplateContentSha256"].(string))
	if v1["versionNumber"] != float64(1) || v1["messageTemplateArn"] != d["messageTemplateArn"].(string)+":1" || v1["isActive"] != false {
		t.Fatalf("version 1: %s", js(v1))
	}
	// Unchanged content: the same version.
	if again := version(""); again["versionNumber"] != float64(1) {
		t.Fatalf("unchanged content made version %v", again["versionNumber"])
	}
	e.ok("POST", base, `{"content":{"sms":{"body":{"plainText":{"content":"Code: {{Attributes.Custom.code}}"}}}}}`, 200)
	e.fail("POST", base+"/versions", `{"messageTemplateContentSha256":"`+d["messageTemplateContentSha256"].(string)+`"}`, 409, "ConflictException")
	v2 := version("")
	if v2["versionNumber"] != float64(2) {
		t.Fatalf("version 2: %s", js(v2))
	}
	text := func(ref string) string {
		t.Helper()
		g := e.ok("GET", tplPath(kb, ref), "", 200)["messageTemplate"].(map[string]any)
		return g["content"].(map[string]any)["sms"].(map[string]any)["body"].(map[string]any)["plainText"].(map[string]any)["content"].(string)
	}
	if text(id+":1") != "Your code is {{Attributes.Custom.code}}" || text(id+":2") != "Code: {{Attributes.Custom.code}}" || text(id) != text(id+":2") {
		t.Fatal("versions do not freeze their content")
	}
	e.fail("GET", tplPath(kb, id+":3"), "", 404, "ResourceNotFoundException")
	e.fail("POST", tplPath(kb, id+":1"), `{"language":"de_DE"}`, 400, "ValidationException")

	// Activation: one active version at a time.
	a := e.ok("POST", base+"/activate", `{"versionNumber":1}`, 200)
	if a["versionNumber"] != float64(1) || a["messageTemplateId"] != id {
		t.Fatalf("activate: %s", js(a))
	}
	if text(id+":$ACTIVE_VERSION") != "Your code is {{Attributes.Custom.code}}" {
		t.Fatal("$ACTIVE_VERSION is not version 1")
	}
	e.ok("POST", base+"/activate", `{"versionNumber":2}`, 200)
	g1 := e.ok("GET", tplPath(kb, id+":1"), "", 200)["messageTemplate"].(map[string]any)
	g2 := e.ok("GET", tplPath(kb, id+":$ACTIVE_VERSION"), "", 200)["messageTemplate"].(map[string]any)
	if g1["isActive"] != false || g2["isActive"] != true || g2["versionNumber"] != float64(2) {
		t.Fatalf("activation moved: %v %v", g1["isActive"], g2["isActive"])
	}
	sum := e.ok("GET", "/knowledgeBases/"+kb+"/messageTemplates", "", 200)["messageTemplateSummaries"].([]any)[0].(map[string]any)
	if sum["activeVersionNumber"] != float64(2) {
		t.Fatalf("summary active version: %s", js(sum))
	}
	e.fail("POST", base+"/activate", `{"versionNumber":9}`, 404, "ResourceNotFoundException")
	e.fail("POST", base+"/activate", `{"versionNumber":0}`, 400, "ValidationException")
	e.fail("POST", base+"/activate", `{}`, 400, "ValidationException")
	e.fail("POST", base+"/deactivate", `{"versionNumber":1}`, 400, "ValidationException")

	vs := e.ok("GET", base+"/versions?maxResults=1", "", 200)
	if l := vs["messageTemplateVersionSummaries"].([]any); len(l) != 1 || vs["nextToken"] == nil || l[0].(map[string]any)["isActive"] != false {
		t.Fatalf("versions page: %s", js(vs))
	}
	vs = e.ok("GET", base+"/versions?maxResults=1&nextToken="+url.QueryEscape(vs["nextToken"].(string)), "", 200)
	if l := vs["messageTemplateVersionSummaries"].([]any); len(l) != 1 || l[0].(map[string]any)["versionNumber"] != float64(2) || l[0].(map[string]any)["isActive"] != true {
		t.Fatalf("versions page 2: %s", js(vs))
	}

	// Versions can be deleted one by one, not the active one.
	e.fail("DELETE", tplPath(kb, id+":2"), "", 409, "ConflictException")
	if r := e.do("DELETE", tplPath(kb, id+":1"), ""); r.status != 204 {
		t.Fatalf("delete version 1: %d %s", r.status, r.raw)
	}
	e.fail("GET", tplPath(kb, id+":1"), "", 404, "ResourceNotFoundException")
	d2 := e.ok("POST", base+"/deactivate", `{"versionNumber":2}`, 200)
	if d2["versionNumber"] != float64(2) {
		t.Fatalf("deactivate: %s", js(d2))
	}
	e.fail("GET", tplPath(kb, id+":$ACTIVE_VERSION"), "", 404, "ResourceNotFoundException")

	// Version numbers only grow; 20 versions at most.
	for i := 3; i <= 21; i++ {
		e.ok("POST", base, fmt.Sprintf(`{"content":{"sms":{"body":{"plainText":{"content":"v%d"}}}}}`, i), 200)
		v := version("")
		if v["versionNumber"] != float64(i) {
			t.Fatalf("version %d numbered %v", i, v["versionNumber"])
		}
	}
	e.ok("POST", base, `{"content":{"sms":{"body":{"plainText":{"content":"one too many"}}}}}`, 200)
	e.fail("POST", base+"/versions", "{}", 402, "ServiceQuotaExceededException")
}

func TestRenderMessageTemplate(t *testing.T) {
	e := newEnv(t, core.Options{})
	kb := e.kb("templates")
	spec := map[string]any{"name": "welcome", "channelSubtype": "EMAIL",
		"content": map[string]any{"email": map[string]any{"subject": "Welcome {{Attributes.Customer.FirstName}}",
			"body": map[string]any{"html": map[string]any{"content": "<p>Hi {{Attributes.Customer.FirstName}} from {{Attributes.Customer.Attributes.City}}, {{Attributes.Agent.FirstName}} here. {{Attributes.Customer.LastName}}</p>"}}}},
		"defaultAttributes": map[string]any{"customerProfileAttributes": map[string]any{"firstName": "friend"}}}
	d := e.template(kb, spec)
	if js(d["attributeTypes"]) != `["AGENT","CUSTOMER_PROFILE"]` {
		t.Fatalf("attribute types: %v", d["attributeTypes"])
	}
	out := e.ok("POST", tplPath(kb, d["messageTemplateId"].(string))+"/render",
		`{"attributes":{"customerProfileAttributes":{"custom":{"City":"Lyon"}},"agentAttributes":{"firstName":"Sam"}}}`, 200)
	email := out["content"].(map[string]any)["email"].(map[string]any)
	if email["subject"] != "Welcome friend" ||
		email["body"].(map[string]any)["html"].(map[string]any)["content"] != "<p>Hi friend from Lyon, Sam here. {{Attributes.Customer.LastName}}</p>" ||
		js(out["attributesNotInterpolated"]) != `["Attributes.Customer.LastName"]` {
		t.Fatalf("render: %s", js(out))
	}
	e.fail("POST", tplPath(kb, d["messageTemplateId"].(string))+"/render", `{}`, 400, "ValidationException")
}

func TestTags(t *testing.T) {
	e := newEnv(t, core.Options{})
	kb := e.kb("templates")
	kbARN := "arn:aws:wisdom:us-east-1:111122223333:knowledge-base/" + kb
	d := e.template(kb, map[string]any{"name": "t", "channelSubtype": "SMS", "tags": map[string]any{"a": "1"},
		"content": map[string]any{"sms": map[string]any{"body": map[string]any{"plainText": map[string]any{"content": "x"}}}}})
	for _, res := range []string{kbARN, d["messageTemplateArn"].(string)} {
		p := "/tags/" + url.PathEscape(res)
		e.ok("POST", p, `{"tags":{"p2c:plan":"abc","b":"2"}}`, 200)
		e.ok("DELETE", p+"?tagKeys=b", "", 200)
		got := e.ok("GET", p, "", 200)["tags"].(map[string]any)
		if got["p2c:plan"] != "abc" || got["b"] != nil {
			t.Fatalf("tags of %s: %v", res, got)
		}
	}
	if g := e.ok("GET", tplPath(kb, d["messageTemplateId"].(string)), "", 200)["messageTemplate"].(map[string]any)["tags"]; !reflect.DeepEqual(g, map[string]any{"a": "1", "p2c:plan": "abc"}) {
		t.Fatalf("template tags: %v", g)
	}
	many := map[string]any{}
	for i := 0; i < 51; i++ {
		many[fmt.Sprintf("k%d", i)] = "v"
	}
	e.fail("POST", "/tags/"+url.PathEscape(kbARN), js(map[string]any{"tags": many}), 400, "TooManyTagsException")
	e.fail("GET", "/tags/"+url.PathEscape("arn:aws:wisdom:us-east-1:111122223333:knowledge-base/00000000-0000-4000-a000-000000000000"), "", 404, "ResourceNotFoundException")
}

func TestQuotasAndThrottling(t *testing.T) {
	e := newEnv(t, core.Options{})
	kb := e.kb("templates")
	for i := 0; i < 200; i++ {
		e.template(kb, smsTemplate(fmt.Sprintf("t%03d", i), "x"))
	}
	e.fail("POST", "/knowledgeBases/"+kb+"/messageTemplates", js(smsTemplate("one-more", "x")), 402, "ServiceQuotaExceededException")

	th := newEnv(t, core.Options{Quotas: true})
	kb = th.kb("templates")
	for i := 0; i < 3; i++ {
		th.template(kb, smsTemplate(fmt.Sprintf("t%d", i), "x"))
	}
	// ThrottlingException is a 400 in this service.
	th.fail("POST", "/knowledgeBases/"+kb+"/messageTemplates", js(smsTemplate("t4", "x")), 400, "ThrottlingException")
	if q := th.svc.Quota("GetMessageTemplate"); q != 10 {
		t.Fatalf("read quota %v", q)
	}
}

// TestTranslatedTemplates creates templates from real Pinpoint templates
// translated the way p2c's planner does (blueprint's tplAddChain spec:
// name, channelSubtype, content, defaultAttributes, description,
// clientToken, tags), then versions and activates them.
func TestTranslatedTemplates(t *testing.T) {
	corpus := filepath.Join("..", "..", "..", "..", "shared", "corpus", "pinpoint")
	read := func(name string) string {
		b, err := os.ReadFile(filepath.Join(corpus, name))
		if err != nil {
			t.Skipf("corpus: %v", err)
		}
		return string(b)
	}
	sources := map[string]map[string]any{
		"welcome-email": {"TemplateType": "EMAIL", "Subject": "Welcome, {{User.UserAttributes.FirstName}}", "HtmlPart": read("rds__welcome-email-template.html"),
			"TextPart": read("rds__welcome-email-template.txt"), "DefaultSubstitutions": `{"User.UserAttributes.FirstName":"friend"}`},
		"abandoned-cart": {"TemplateType": "EMAIL", "Subject": "You left something", "HtmlPart": read("rds__abandoned-cart-email-template.html")},
		"test-sms":       {"TemplateType": "SMS", "Body": "hello {{Attributes.Tier}}\n how are you?\n food is good"},
	}
	e := newEnv(t, core.Options{})
	kb := e.kb("p2c-us-east-1-message-templates")
	for name, src := range sources {
		res, err := translate.Template(src, "")
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		spec := map[string]any{"name": name, "channelSubtype": res.ChannelSubtype, "content": res.Content,
			"description": "Migrated from Amazon Pinpoint by p2c", "clientToken": "p2c-" + name, "tags": map[string]any{"p2c:source": "pinpoint"}}
		if res.DefaultAttributes != nil {
			spec["defaultAttributes"] = res.DefaultAttributes
		}
		d := e.template(kb, spec)
		id := d["messageTemplateId"].(string)
		if !reflect.DeepEqual(normalize(d["content"]), normalize(res.Content)) {
			t.Errorf("%s: content changed on the way: %s", name, js(d["content"]))
		}
		v := e.ok("POST", tplPath(kb, id)+"/versions", "{}", 200)["messageTemplate"].(map[string]any)
		e.ok("POST", tplPath(kb, id)+"/activate", `{"versionNumber":1}`, 200)
		if v["versionNumber"] != float64(1) {
			t.Errorf("%s: first version is %v", name, v["versionNumber"])
		}
		if res.DefaultAttributes != nil {
			a := e.ok("GET", tplPath(kb, id+":$ACTIVE_VERSION"), "", 200)["messageTemplate"].(map[string]any)
			if !reflect.DeepEqual(normalize(a["defaultAttributes"]), normalize(res.DefaultAttributes)) {
				t.Errorf("%s: default attributes %s", name, js(a["defaultAttributes"]))
			}
		}
	}
}
