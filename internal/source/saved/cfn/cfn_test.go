package cfn

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/p2c/p2c/internal/inventory"
	"gopkg.in/yaml.v3"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// corpusDir is ../shared/corpus/pinpoint seen from this package.
const corpusDir = "../../../../../shared/corpus/pinpoint"

// corpusTemplates are the CloudFormation files SOURCES.md lists.
var corpusTemplates = []string{
	"cdsra__Connect_as_a_Channel.yaml",
	"cdsra__Event_Based_Segmentation.yaml",
	"cdsra__External_Templates.yaml",
	"cdsra__Phone_number_validate.yaml",
	"ismsml__template.yaml",
	"urlshort__2_urlshortener-pinpoint-setup.yaml",
}

var readAt = time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)

func corpus(t testing.TB) string {
	t.Helper()
	if _, err := os.Stat(filepath.Join(corpusDir, "SOURCES.md")); err != nil {
		t.Skipf("corpus not found at %s (it lives in the shared folder beside the repository): %v", corpusDir, err)
	}
	return corpusDir
}

func load(t *testing.T, path string, opts Options) *inventory.Inventory {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	inv, err := Load(filepath.Base(path), data, readAt, opts)
	if err != nil {
		t.Fatalf("Load %s: %v", path, err)
	}
	return inv
}

func golden(t *testing.T, name string, inv *inventory.Inventory) {
	t.Helper()
	got, err := inventory.Marshal(inv)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("testdata", "golden", name+".json")
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -run %s -update to create it)", err, t.Name())
	}
	if !bytes.Equal(got, want) {
		t.Errorf("fragment of %s differs from %s (rerun with -update and review the diff)", name, path)
	}
}

// pinpointIDs lists the logical ids of the Pinpoint resources of a template.
func pinpointIDs(t *testing.T, data []byte) []string {
	var doc struct {
		Resources map[string]struct {
			Type string `yaml:"Type"`
		} `yaml:"Resources"`
	}
	// Short-form tags decode as their plain values; only types matter here.
	if err := yaml.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	var ids []string
	for id, r := range doc.Resources {
		if strings.HasPrefix(r.Type, "AWS::Pinpoint") {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	return ids
}

// addresses collects every logical id the fragment has provenance for.
func addresses(inv *inventory.Inventory) map[string]bool {
	out := map[string]bool{}
	add := func(ps []inventory.Provenance) {
		for _, p := range ps {
			out[p.Address] = true
		}
	}
	for _, r := range inv.Regions {
		for _, a := range r.Apps {
			add(a.Provenance)
			for _, s := range a.Segments {
				add(s.Provenance)
			}
			for _, c := range a.Campaigns {
				add(c.Provenance)
			}
		}
		for _, tp := range r.Templates {
			add(tp.Provenance)
		}
		for _, o := range r.PinpointEmail {
			add(o.Provenance)
		}
	}
	return out
}

func TestCorpus(t *testing.T) {
	dir := corpus(t)
	for _, name := range corpusTemplates {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(dir, name)
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if ok, reason := Detect(data); !ok {
				t.Errorf("Detect = false (%q), want true", reason)
			}
			inv := load(t, path, Options{DefaultRegion: "us-east-1"})
			checkFragment(t, inv, name)
			have := addresses(inv)
			ids := pinpointIDs(t, data)
			if len(ids) == 0 {
				t.Fatal("no Pinpoint resource found in the corpus file")
			}
			for _, id := range ids {
				if !have[id] {
					t.Errorf("Pinpoint resource %s is not in the fragment", id)
				}
			}
			golden(t, name, inv)
		})
	}
}

func TestTestdataGolden(t *testing.T) {
	for _, name := range []string{"all.yaml", "all.json"} {
		t.Run(name, func(t *testing.T) {
			inv := load(t, filepath.Join("testdata", name), Options{DefaultRegion: "us-east-1", AccountID: "123456789012"})
			checkFragment(t, inv, name)
			golden(t, name, inv)
		})
	}
}

// checkFragment checks the fragment rules every loader follows, and that
// each object is its API shape (members are known, types and enums right).
func checkFragment(t *testing.T, inv *inventory.Inventory, name string) {
	t.Helper()
	if inv.SchemaVersion != inventory.SchemaVersion || !inv.ScannedAt.Equal(readAt) {
		t.Errorf("schemaVersion %d scannedAt %v", inv.SchemaVersion, inv.ScannedAt)
	}
	if len(inv.Sources) != 1 || inv.Sources[0].Kind != Kind || inv.Sources[0].ID != name || !inv.Sources[0].ReadAt.Equal(readAt) {
		t.Errorf("sources = %+v", inv.Sources)
	}
	check := func(what, shape string, obj json.RawMessage, prov []inventory.Provenance) {
		t.Helper()
		var v any
		if err := json.Unmarshal(obj, &v); err != nil {
			t.Errorf("%s: %v", what, err)
			return
		}
		for _, p := range model.Validate(shape, stripUnresolved(v), true) {
			if p.Message == "is required" {
				continue // ids and dates AWS assigns at creation
			}
			t.Errorf("%s: %s: %s", what, shape, p)
		}
		if prov != nil && (len(prov) == 0 || prov[0].Source != name || prov[0].Kind != Kind || prov[0].Line == 0 || prov[0].Address == "") {
			t.Errorf("%s: provenance %+v", what, prov)
		}
	}
	chShape := map[string]string{}
	for _, c := range channels {
		chShape[c.platform] = c.shape
	}
	tplShape := map[string]string{}
	for _, tt := range templateTypes {
		tplShape[tt.kind] = tt.shape
	}
	for _, r := range inv.Regions {
		for _, a := range r.Apps {
			check("app "+a.ID, "ApplicationResponse", a.Object, a.Provenance)
			if a.Settings != nil {
				check("settings of "+a.ID, "ApplicationSettingsResource", a.Settings, nil)
			}
			if a.EventStream != nil {
				check("event stream of "+a.ID, "EventStream", a.EventStream, nil)
			}
			for typ, c := range a.Channels {
				check(typ+" channel of "+a.ID, chShape[typ], c, nil)
			}
			for _, s := range a.Segments {
				check("segment "+s.ID, "SegmentResponse", s.Object, s.Provenance)
			}
			for _, c := range a.Campaigns {
				check("campaign "+c.ID, "CampaignResponse", c.Object, c.Provenance)
			}
		}
		for _, tp := range r.Templates {
			check("template "+tp.Name, tplShape[tp.Type], tp.Object, tp.Provenance)
		}
	}
	for _, u := range inv.Unresolved {
		if u.File != name || u.Line == 0 || u.Expression == "" || u.Reason == "" || u.Resource == "" {
			t.Errorf("unresolved entry incomplete: %+v", u)
		}
	}
	for _, w := range inv.Warnings {
		if w.File != name || w.Line == 0 {
			t.Errorf("warning without file or line: %+v", w)
		}
	}
}

// stripUnresolved removes unresolved markers, which stand where any type
// may be.
func stripUnresolved(v any) any {
	switch t := v.(type) {
	case map[string]any:
		if _, ok := t[inventory.UnresolvedKey]; ok && len(t) == 1 {
			return nil
		}
		out := map[string]any{}
		for k, val := range t {
			if s := stripUnresolved(val); s != nil {
				out[k] = s
			}
		}
		return out
	case []any:
		var out []any
		for _, it := range t {
			if s := stripUnresolved(it); s != nil {
				out = append(out, s)
			}
		}
		return out
	}
	return v
}

func obj(t *testing.T, raw json.RawMessage) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func app(t *testing.T, inv *inventory.Inventory, id string) *inventory.App {
	t.Helper()
	for i := range inv.Regions[0].Apps {
		if inv.Regions[0].Apps[i].ID == id {
			return &inv.Regions[0].Apps[i]
		}
	}
	t.Fatalf("no app %s", id)
	return nil
}

func template(t *testing.T, inv *inventory.Inventory, name string) map[string]any {
	t.Helper()
	for _, tp := range inv.Regions[0].Templates {
		if tp.Name == name {
			return obj(t, tp.Object)
		}
	}
	t.Fatalf("no template %s", name)
	return nil
}

func findUnresolved(inv *inventory.Inventory, resource, path string) *inventory.Unresolved {
	for i, u := range inv.Unresolved {
		if u.Resource == resource && u.Path == path {
			return &inv.Unresolved[i]
		}
	}
	return nil
}

func TestCorpusValues(t *testing.T) {
	dir := corpus(t)
	opts := Options{DefaultRegion: "eu-west-1", AccountID: "111122223333"}

	t.Run("ismsml", func(t *testing.T) {
		inv := load(t, filepath.Join(dir, "ismsml__template.yaml"), opts)
		a := app(t, inv, "iac:ismsml__template.yaml#PinApp")
		if a.Name != "InteractiveSMS" || a.Arn != "arn:aws:mobiletargeting:eu-west-1:111122223333:apps/iac:ismsml__template.yaml#PinApp" {
			t.Errorf("app name %q arn %q", a.Name, a.Arn)
		}
		if sms := obj(t, a.Channels["SMS"]); sms["Enabled"] != true || sms["ApplicationId"] != a.ID || sms["Platform"] != "SMS" {
			t.Errorf("SMS channel %v", sms)
		}
		if len(a.Segments) != 4 {
			t.Fatalf("%d segments, want 4", len(a.Segments))
		}
		for _, s := range a.Segments[1:] {
			o := obj(t, s.Object)
			groups := o["SegmentGroups"].(map[string]any)["Groups"].([]any)
			src := groups[0].(map[string]any)["SourceSegments"].([]any)[0].(map[string]any)
			if src["Id"] != "iac:ismsml__template.yaml#PinSegment" {
				t.Errorf("%s: SourceSegments[0].Id = %v", s.ID, src["Id"])
			}
		}
		// !Join ["\n", [a, '', b]] puts an empty line between the parts.
		en := template(t, inv, "InteractiveSMSGreeting_EN")
		body := en["Body"].(string)
		if !strings.HasPrefix(body, "Hello {{User.UserAttributes.FirstName}} {{User.UserAttributes.LastName}}, this is Example Organization") ||
			!strings.Contains(body, "https://example.gov/medicaid/.\n\nTo keep your Medicaid benefits") ||
			!strings.HasSuffix(body, "Reply STOP to opt out at any time.") {
			t.Errorf("EN body = %q", body)
		}
		if vi := template(t, inv, "InteractiveSMSGreeting_VI")["Body"].(string); !strings.Contains(vi, "Xin chào") || !strings.Contains(vi, "\n\nĐể giữ") {
			t.Errorf("VI body = %q", vi)
		}
		if en["Arn"] != "arn:aws:mobiletargeting:eu-west-1:111122223333:templates/InteractiveSMSGreeting_EN/SMS" || en["TemplateType"] != "SMS" {
			t.Errorf("EN template %v", en)
		}
	})

	t.Run("urlshort", func(t *testing.T) {
		inv := load(t, filepath.Join(dir, "urlshort__2_urlshortener-pinpoint-setup.yaml"), opts)
		a := app(t, inv, "iac:urlshort__2_urlshortener-pinpoint-setup.yaml#Pinpointapplication")
		if a.Name != "urlshortenerpinpointapp" {
			t.Errorf("app name from the parameter default = %q", a.Name)
		}
		if _, ok := a.Channels["SMS"]; !ok {
			t.Error("no SMS channel")
		}
	})

	t.Run("connect", func(t *testing.T) {
		name := "cdsra__Connect_as_a_Channel.yaml"
		inv := load(t, filepath.Join(dir, name), Options{DefaultRegion: "us-east-1"})
		// The app exists only if PinpointProjectId is '' at deployment.
		a := app(t, inv, "iac:"+name+"#PinpointApplication")
		if a.Name != "My Pinpoint Project" {
			t.Errorf("app name %q", a.Name)
		}
		if !hasWarning(inv, "PinpointApplication", "cannot be decided") {
			t.Errorf("no warning for the undecidable condition: %+v", inv.Warnings)
		}
		expr := "!If [NeedsPinpointProjectId, !Ref PinpointApplication, !Ref PinpointProjectId]"
		p := app(t, inv, "iac:"+name+"#"+expr)
		s := obj(t, p.Settings)
		hook := s["CampaignHook"].(map[string]any)
		if hook["Mode"] != "DELIVERY" {
			t.Errorf("hook %v", hook)
		}
		want := map[string]any{inventory.UnresolvedKey: "!GetAtt DeliveryCampaignHookLambdaFunction.Arn"}
		if !equalJSON(hook["LambdaFunctionName"], want) {
			t.Errorf("LambdaFunctionName = %v", hook["LambdaFunctionName"])
		}
		u := findUnresolved(inv, "PinpointApplicationSettings", "CampaignHook.LambdaFunctionName")
		if u == nil || u.Reason != "attribute of a resource outside Pinpoint, known only after deployment" || u.Line != 42 {
			t.Errorf("unresolved entry %+v", u)
		}
		if u := findUnresolved(inv, "PinpointApplicationSettings", "ApplicationId"); u == nil || u.Expression != expr || !strings.Contains(u.Reason, "PinpointProjectId has no Default") {
			t.Errorf("ApplicationId unresolved entry %+v", u)
		}
	})
}

func hasWarning(inv *inventory.Inventory, resource, text string) bool {
	for _, w := range inv.Warnings {
		if w.Resource == resource && strings.Contains(w.Message, text) {
			return true
		}
	}
	return false
}

func equalJSON(a, b any) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return bytes.Equal(x, y)
}

func TestIntrinsics(t *testing.T) {
	inv := load(t, filepath.Join("testdata", "all.yaml"), Options{DefaultRegion: "us-east-1", AccountID: "123456789012"})
	a := app(t, inv, "iac:all.yaml#App")
	if a.Name != "Shop-prod" || a.Tags["env"] != "prod" || a.Tags["team"] != "growth" {
		t.Errorf("app %q tags %v", a.Name, a.Tags)
	}
	es := obj(t, a.EventStream)
	if es["DestinationStreamArn"] != "arn:aws:kinesis:us-east-1:123456789012:stream/events" {
		t.Errorf("!Sub with pseudo parameters: %v", es["DestinationStreamArn"])
	}
	email := obj(t, a.Channels["EMAIL"])
	if email["FromAddress"] != "news@example.com" || email["ConfigurationSet"] != "Shop-config" {
		t.Errorf("FindInMap / Ref to PinpointEmail: %v", email)
	}
	sms := obj(t, a.Channels["SMS"])
	if sms["SenderId"] != "SHOP" || sms["ShortCode"] != "12345" {
		t.Errorf("SMS %v", sms)
	}
	if v := obj(t, a.Channels["VOICE"]); v["ApplicationId"] != a.ID {
		t.Errorf("!GetAtt App.Id: %v", v)
	}
	settings := obj(t, a.Settings)
	limits := settings["Limits"].(map[string]any)
	if limits["Daily"] != 100.0 || limits["MaximumDuration"] != 60.0 {
		t.Errorf("Number parameter and numeric string not made numbers: %v", limits)
	}
	if apns := obj(t, a.Channels["APNS"]); apns["Enabled"] != true || apns["HasCredential"] != true {
		t.Errorf(`"true" not made a boolean / HasCredential: %v`, apns)
	}
	seg := obj(t, a.Segments[0].Object)
	if seg["Name"] != "all-prod-EMAIL" {
		t.Errorf("Join/Select over a CommaDelimitedList: %v", seg["Name"])
	}
	plan := seg["Dimensions"].(map[string]any)["Attributes"].(map[string]any)["Plan"].(map[string]any)
	if !equalJSON(plan["Values"], []any{"gold", "silver"}) {
		t.Errorf("!If on an Or condition: %v", plan["Values"])
	}
	if !equalJSON(seg["tags"], map[string]any{"owner": "crm"}) {
		t.Errorf("Key/Value tags: %v", seg["tags"])
	}
	c := obj(t, a.Campaigns[0].Object)
	if c["Description"] != "Welcome for Shop in us-east-1; literal ${NotAVar} stays" {
		t.Errorf("Sub with variables: %q", c["Description"])
	}
	if c["SegmentId"] != "iac:all.yaml#AllUsers" {
		t.Errorf("SegmentId %v", c["SegmentId"])
	}
	if _, ok := c["CampaignHook"]; ok {
		t.Error("CampaignHook not renamed Hook")
	}
	sched := c["Schedule"].(map[string]any)
	if sched["Timezone"] != "UTC" {
		t.Errorf("TimeZone not renamed Timezone: %v", sched)
	}
	if tc := c["TemplateConfiguration"].(map[string]any)["EmailTemplate"].(map[string]any); tc["Name"] != "Shop-welcome" || tc["Version"] != "1" {
		t.Errorf("template reference %v", tc)
	}
	if body := c["MessageConfiguration"].(map[string]any)["SMSMessage"].(map[string]any)["Body"]; body != "aGVsbG8=" {
		t.Errorf("Base64 %v", body)
	}
	// The condition of DevApp is false: not in the inventory, with a note.
	for _, x := range inv.Regions[0].Apps {
		if strings.HasSuffix(x.ID, "#DevApp") {
			t.Error("DevApp is in the inventory although its condition is false")
		}
	}
	if !hasWarning(inv, "DevApp", "not included") || !hasWarning(inv, "MaybeApp", "cannot be decided") {
		t.Errorf("condition warnings missing: %+v", inv.Warnings)
	}
	// An unknown intrinsic: unresolved, and a warning.
	u := findUnresolved(inv, "SmsTpl", "Body")
	if u == nil || !strings.Contains(u.Expression, "!Unknown thing") || !strings.Contains(u.Reason, "Fn::Unknown") {
		t.Errorf("unknown intrinsic: %+v", u)
	}
	if !hasWarning(inv, "SmsTpl", "Fn::Unknown is not supported") {
		t.Error("no warning for the unknown intrinsic")
	}
	if u := findUnresolved(inv, "EmailTpl", "TemplateDescription"); u == nil || !strings.Contains(u.Reason, "SSM") {
		t.Errorf("SSM parameter: %+v", u)
	}
	// PinpointEmail resources go to their own list.
	ids := map[string]string{}
	for _, o := range inv.Regions[0].PinpointEmail {
		ids[o.ID] = string(o.Object)
	}
	for _, id := range []string{"Shop-config", "example.com", "marketing", "iac:all.yaml#EmailConfigSetDest"} {
		if _, ok := ids[id]; !ok {
			t.Errorf("PinpointEmail %s missing (have %v)", id, ids)
		}
	}
	if !strings.Contains(ids["example.com"], `"Type":"AWS::PinpointEmail::Identity"`) || !strings.Contains(ids["example.com"], `"MailFromDomain":"mail.Shop-config"`) {
		t.Errorf("identity object %s", ids["example.com"])
	}
	// Without an account, ARNs stay out and AWS::AccountId is unresolved.
	inv = load(t, filepath.Join("testdata", "all.yaml"), Options{DefaultRegion: "us-east-1"})
	a = app(t, inv, "iac:all.yaml#App")
	if a.Arn != "" {
		t.Errorf("ARN %q built without an account", a.Arn)
	}
	if u := findUnresolved(inv, "Stream", "DestinationStreamArn"); u == nil || !strings.Contains(u.Reason, "AWS::AccountId") {
		t.Errorf("AccountId: %+v", u)
	}
}

func TestJSONTemplate(t *testing.T) {
	inv := load(t, filepath.Join("testdata", "all.json"), Options{DefaultRegion: "us-east-1"})
	a := app(t, inv, "iac:all.json#App")
	if a.Name != "json-beta" {
		t.Errorf("name %q", a.Name)
	}
	c := obj(t, a.Campaigns[0].Object)
	if c["Name"] != "beta-launch in us-east-1" || c["SegmentId"] != "iac:all.json#Seg" {
		t.Errorf("campaign %v", c)
	}
	if tpl := template(t, inv, "beta-otp"); tpl["Body"] != "code {{Attributes.Code}}" {
		t.Errorf("Select/Split: %v", tpl["Body"])
	}
	u := findUnresolved(inv, "Camp", "Hook.LambdaFunctionName")
	if u == nil || u.Expression != `{"Fn::GetAtt":["Fn","Arn"]}` || u.Line != 40 {
		t.Errorf("JSON expression as written: %+v", u)
	}
}

func TestSecretsNotCarried(t *testing.T) {
	inv := load(t, filepath.Join("testdata", "all.yaml"), Options{DefaultRegion: "us-east-1", AccountID: "123456789012"})
	out, err := inventory.Marshal(inv)
	if err != nil {
		t.Fatal(err)
	}
	// Every credential in the test template contains this text.
	if bytes.Contains(out, []byte("secret-value")) {
		t.Errorf("a channel credential reached the fragment:\n%s", out)
	}
	got := map[string]bool{}
	for _, s := range inv.Secrets {
		if s.App != "iac:all.yaml#App" || s.File != "all.yaml" || s.Line == 0 {
			t.Errorf("secret record %+v", s)
		}
		got[s.Channel+"."+s.Member] = true
	}
	for _, want := range []string{
		"APNS.Certificate", "APNS.PrivateKey", "APNS_SANDBOX.TokenKey", "APNS_VOIP.Certificate",
		"APNS_VOIP_SANDBOX.PrivateKey", "ADM.ClientId", "ADM.ClientSecret", "BAIDU.ApiKey",
		"BAIDU.SecretKey", "GCM.ApiKey", "GCM.ServiceJson",
	} {
		if !got[want] {
			t.Errorf("no SecretSeen for %s", want)
		}
	}
	gcm := obj(t, app(t, inv, "iac:all.yaml#App").Channels["GCM"])
	if gcm["HasCredential"] != true || gcm["HasFcmServiceCredentials"] != true {
		t.Errorf("GCM flags %v", gcm)
	}
}

func TestDetect(t *testing.T) {
	for _, name := range []string{"all.yaml", "all.json"} {
		data, _ := os.ReadFile(filepath.Join("testdata", name))
		if ok, _ := Detect(data); !ok {
			t.Errorf("Detect(%s) = false", name)
		}
	}
	data, _ := os.ReadFile(filepath.Join("testdata", "not-cfn.yaml"))
	ok, reason := Detect(data)
	if ok || reason != "YAML file is not a CloudFormation template: no Resources" {
		t.Errorf("Detect(not-cfn.yaml) = %v, %q", ok, reason)
	}
	for _, c := range []struct {
		name, data string
		want       bool
	}{
		{"resources without AWSTemplateFormatVersion", "Resources:\n  A:\n    Type: AWS::Pinpoint::App\n", true},
		{"broken template", "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  A: [\n", true},
		{"k8s-like", "resources:\n  limits: 1\n", false},
		{"empty", "", false},
		{"csv", "ChannelType,Address\nSMS,+12065550100\n", false},
		{"json other", `{"ApplicationsResponse": {"Item": []}}`, false},
	} {
		if got, _ := Detect([]byte(c.data)); got != c.want {
			t.Errorf("%s: Detect = %v, want %v", c.name, got, c.want)
		}
	}
	dir := corpus(t)
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	isCFN := map[string]bool{}
	for _, n := range corpusTemplates {
		isCFN[n] = true
	}
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if ok, reason := Detect(data); ok != isCFN[e.Name()] {
			t.Errorf("Detect(%s) = %v (%q), want %v", e.Name(), ok, reason, isCFN[e.Name()])
		}
	}
}

var fileLine = regexp.MustCompile(`^(all\.yaml|all\.json|x\.yaml):(\d+): `)

func TestBadInput(t *testing.T) {
	yml, _ := os.ReadFile(filepath.Join("testdata", "all.yaml"))
	js, _ := os.ReadFile(filepath.Join("testdata", "all.json"))

	t.Run("truncated YAML", func(t *testing.T) {
		// Cut inside a double-quoted scalar.
		cut := bytes.Index(yml, []byte(`"${AppName}-${Env}"`)) + 5
		_, err := Load("all.yaml", yml[:cut], readAt, Options{})
		if err == nil || !fileLine.MatchString(err.Error()) {
			t.Fatalf("error %v, want one naming file and line", err)
		}
		if m := fileLine.FindStringSubmatch(err.Error()); m[2] != "47" {
			t.Errorf("line %s, want 47: %v", m[2], err)
		}
	})
	t.Run("truncated JSON", func(t *testing.T) {
		cut := len(js) / 2
		_, err := Load("all.json", js[:cut], readAt, Options{})
		if err == nil || !fileLine.MatchString(err.Error()) {
			t.Fatalf("error %v, want one naming file and line", err)
		}
		want := bytes.Count(js[:cut], []byte("\n")) + 1
		if m := fileLine.FindStringSubmatch(err.Error()); m[2] != itoa(want) {
			t.Errorf("line %s, want %d: %v", m[2], want, err)
		}
	})
	t.Run("not CloudFormation", func(t *testing.T) {
		data, _ := os.ReadFile(filepath.Join("testdata", "not-cfn.yaml"))
		_, err := Load("not-cfn.yaml", data, readAt, Options{})
		if err == nil || !strings.Contains(err.Error(), "not-cfn.yaml") || !strings.Contains(err.Error(), "no Resources") {
			t.Errorf("error %v", err)
		}
	})
	t.Run("bad resources", func(t *testing.T) {
		src := "Resources:\n" +
			"  NoType:\n    Properties: {}\n" +
			"  Scalar: 3\n" +
			"  Orphan:\n    Type: AWS::Pinpoint::Segment\n    Properties:\n      Name: x\n" +
			"  Good:\n    Type: AWS::Pinpoint::App\n    Properties:\n      Name: !Ref Missing\n" +
			"  Loop:\n    Type: AWS::Pinpoint::SmsTemplate\n    Properties:\n      TemplateName: !Ref Loop\n"
		inv, err := Load("x.yaml", []byte(src), readAt, Options{DefaultRegion: "us-east-1"})
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range []struct{ res, text string }{
			{"NoType", "no Type"}, {"Scalar", "not a mapping"}, {"Orphan", "no ApplicationId"}, {"Good", "Ref to Missing"},
		} {
			if !hasWarning(inv, w.res, w.text) {
				t.Errorf("no warning %q for %s: %+v", w.text, w.res, inv.Warnings)
			}
		}
		a := app(t, inv, "iac:x.yaml#Good")
		if o := obj(t, a.Object); !equalJSON(o["Name"], map[string]any{inventory.UnresolvedKey: "!Ref Missing"}) {
			t.Errorf("app %v", o)
		}
		if u := findUnresolved(inv, "Loop", "TemplateName"); u == nil || !strings.Contains(u.Reason, "circular") {
			t.Errorf("circular reference: %+v", u)
		}
	})
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}

func TestEdgeForms(t *testing.T) {
	t.Run("Properties through an intrinsic keep no secret", func(t *testing.T) {
		src := "Conditions:\n  C: !Equals [a, a]\nResources:\n  G:\n    Type: AWS::Pinpoint::GCMChannel\n" +
			"    Properties: !If [C, {ApplicationId: app1, ApiKey: topsecret-gcm, Enabled: true}, !Ref AWS::NoValue]\n"
		inv, err := Load("x.yaml", []byte(src), readAt, Options{DefaultRegion: "us-east-1"})
		if err != nil {
			t.Fatal(err)
		}
		out, _ := inventory.Marshal(inv)
		if bytes.Contains(out, []byte("topsecret")) {
			t.Errorf("secret carried:\n%s", out)
		}
		if len(inv.Secrets) != 1 || inv.Secrets[0].Member != "ApiKey" || inv.Secrets[0].App != "app1" {
			t.Errorf("secrets %+v", inv.Secrets)
		}
	})
	t.Run("JSON with tabs and escapes", func(t *testing.T) {
		src := "{\n\t\"Resources\": {\n\t\t\"A\": {\n\t\t\t\"Type\": \"AWS::Pinpoint::App\",\n\t\t\t\"Properties\": {\"Name\": \"a\\/b \\u00e9\"}\n\t\t}\n\t}\n}\n"
		inv, err := Load("x.json", []byte(src), readAt, Options{DefaultRegion: "us-east-1"})
		if err != nil {
			t.Fatal(err)
		}
		if a := app(t, inv, "iac:x.json#A"); a.Name != "a/b é" || a.Provenance[0].Line != 3 {
			t.Errorf("name %q line %d", a.Name, a.Provenance[0].Line)
		}
	})
	t.Run("GetAtt App.Arn without account", func(t *testing.T) {
		src := "Resources:\n  A:\n    Type: AWS::Pinpoint::App\n    Properties: {Name: a}\n" +
			"  T:\n    Type: AWS::Pinpoint::SmsTemplate\n    Properties:\n      TemplateName: t\n      Body: !Sub '${A.Arn}/x'\n"
		inv, err := Load("x.yaml", []byte(src), readAt, Options{DefaultRegion: "us-east-1"})
		if err != nil {
			t.Fatal(err)
		}
		u := findUnresolved(inv, "T", "Body")
		if u == nil || u.Expression != "!Sub '${A.Arn}/x'" || !strings.Contains(u.Reason, "account id") {
			t.Errorf("%+v", u)
		}
	})
}
