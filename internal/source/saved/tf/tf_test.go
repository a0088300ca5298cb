package tf

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/p2c/p2c/internal/awsmodel"
	"github.com/p2c/p2c/internal/inventory"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

const corpusDir = "../../../../../shared/corpus/pinpoint"

var modTime = time.Date(2026, 10, 1, 12, 0, 0, 0, time.UTC)

func corpus(t testing.TB) string {
	t.Helper()
	if _, err := os.Stat(corpusDir); err != nil {
		t.Skipf("corpus not found at %s (it lives beside the repository in shared/corpus/pinpoint): %v", corpusDir, err)
	}
	return corpusDir
}

// readFiles reads corpus files, named by their base name so that golden
// files do not depend on where the corpus is.
func readFiles(t testing.TB, dir string, names ...string) []File {
	t.Helper()
	var out []File
	for _, n := range names {
		b, err := os.ReadFile(filepath.Join(dir, n))
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, File{Name: n, Data: b, ModTime: modTime})
	}
	return out
}

func files(kv ...string) []File {
	var out []File
	for i := 0; i+1 < len(kv); i += 2 {
		out = append(out, File{Name: kv[i], Data: []byte(kv[i+1]), ModTime: modTime})
	}
	return out
}

func marshal(t testing.TB, inv *inventory.Inventory) []byte {
	t.Helper()
	b, err := inventory.Marshal(inv)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("fragment differs from %s (run go test -update after checking):\n%s", path, got)
	}
}

// stripUnresolved removes unresolved markers so the rest can be checked
// against the API shapes.
func stripUnresolved(v any) any {
	switch v := v.(type) {
	case map[string]any:
		if _, ok := v[inventory.UnresolvedKey]; ok {
			return nil
		}
		out := map[string]any{}
		for k, e := range v {
			if s := stripUnresolved(e); s != nil {
				out[k] = s
			}
		}
		return out
	case []any:
		out := []any{}
		for _, e := range v {
			out = append(out, stripUnresolved(e))
		}
		return out
	}
	return v
}

// checkShapes validates every object of the fragment against its botocore
// response shape: no unknown members, no wrong types. Missing required
// members (dates, ARNs AWS assigns) are expected.
func checkShapes(t *testing.T, inv *inventory.Inventory) {
	t.Helper()
	pp := awsmodel.MustLoad("pinpoint")
	sv := awsmodel.MustLoad("pinpoint-sms-voice-v2")
	check := func(m *awsmodel.Model, shape string, raw json.RawMessage) {
		t.Helper()
		if raw == nil {
			return
		}
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.UseNumber()
		var v any
		if err := dec.Decode(&v); err != nil {
			t.Fatalf("%s: %v", shape, err)
		}
		for _, p := range m.Validate(shape, stripUnresolved(v), true) {
			if p.Message != "is required" {
				t.Errorf("%s: %s in %s", shape, p, raw)
			}
		}
	}
	channelShapes := map[string]string{
		"ADM": "ADMChannelResponse", "APNS": "APNSChannelResponse", "APNS_SANDBOX": "APNSSandboxChannelResponse",
		"APNS_VOIP": "APNSVoipChannelResponse", "APNS_VOIP_SANDBOX": "APNSVoipSandboxChannelResponse",
		"BAIDU": "BaiduChannelResponse", "EMAIL": "EmailChannelResponse", "GCM": "GCMChannelResponse", "SMS": "SMSChannelResponse",
	}
	for _, r := range inv.Regions {
		for _, a := range r.Apps {
			check(pp, "ApplicationResponse", a.Object)
			check(pp, "ApplicationSettingsResource", a.Settings)
			check(pp, "EventStream", a.EventStream)
			for k, c := range a.Channels {
				check(pp, channelShapes[k], c)
			}
		}
		for _, tp := range r.Templates {
			check(pp, "EmailTemplateResponse", tp.Object)
		}
		for _, o := range r.EUM.PhoneNumbers {
			check(sv, "PhoneNumberInformation", o.Object)
		}
		for _, o := range r.EUM.OptOutLists {
			check(sv, "OptOutListInformation", o.Object)
		}
		for _, o := range r.EUM.ConfigurationSets {
			check(sv, "ConfigurationSetInformation", o.Object)
		}
	}
}

// addresses lists the provenance addresses of a fragment.
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
		}
		for _, tp := range r.Templates {
			add(tp.Provenance)
		}
		for _, o := range r.EUM.PhoneNumbers {
			add(o.Provenance)
		}
		for _, o := range r.EUM.OptOutLists {
			add(o.Provenance)
		}
		for _, o := range r.EUM.ConfigurationSets {
			add(o.Provenance)
		}
	}
	return out
}

var resourceRE = regexp.MustCompile(`(?m)^resource\s+"(aws_pinpoint[a-z0-9_]*)"\s+"([^"]+)"`)

func TestCorpus(t *testing.T) {
	dir := corpus(t)
	modules := map[string][]string{
		"genstack-tf": {"genstack-tf__main.tf", "genstack-tf__variables.tf"},
	}
	matches, _ := filepath.Glob(filepath.Join(dir, "tfprovider__*.example.tf"))
	for _, m := range matches {
		modules[strings.TrimSuffix(filepath.Base(m), ".example.tf")] = []string{filepath.Base(m)}
	}
	if len(modules) < 4 {
		t.Fatalf("expected the genstack module and 3 tfprovider examples, found %d modules", len(modules))
	}
	for name, names := range modules {
		t.Run(name, func(t *testing.T) {
			fs := readFiles(t, dir, names...)
			for _, f := range fs {
				if !Detect(f.Data) {
					t.Errorf("Detect(%s) = false", f.Name)
				}
			}
			inv, err := Load(fs, Options{DefaultRegion: "us-east-1"})
			if err != nil {
				t.Fatal(err)
			}
			checkShapes(t, inv)
			got := addresses(inv)
			for _, f := range fs {
				for _, m := range resourceRE.FindAllStringSubmatch(string(f.Data), -1) {
					if !got[m[1]+"."+m[2]] {
						t.Errorf("%s: resource %s.%s is not in the fragment", f.Name, m[1], m[2])
					}
				}
			}
			golden(t, name+".golden.json", marshal(t, inv))
		})
	}
}

func TestCorpusGenstackValues(t *testing.T) {
	fs := readFiles(t, corpus(t), "genstack-tf__main.tf", "genstack-tf__variables.tf")
	inv, err := Load(fs, Options{DefaultRegion: "eu-west-1", Vars: map[string]string{
		"name":  "shop",
		"email": `{from = "noreply@example.com", identity = "arn:aws:ses:eu-west-1:111122223333:identity/example.com"}`,
		"apns":  `{certificate = "CERT-SECRET", private_key = "KEY-SECRET", bundle_id = "b", team_id = "t", token_key = "TOKEN-SECRET", token_key_id = "k"}`,
	}})
	if err != nil {
		t.Fatal(err)
	}
	if len(inv.Regions) != 1 || inv.Regions[0].Name != "eu-west-1" || len(inv.Regions[0].Apps) != 1 {
		t.Fatalf("want one app in eu-west-1, got %s", marshal(t, inv))
	}
	app := inv.Regions[0].Apps[0]
	if app.Name != "shop" {
		t.Errorf("app name %q, want shop (from Vars)", app.Name)
	}
	var email map[string]any
	if err := json.Unmarshal(app.Channels["EMAIL"], &email); err != nil {
		t.Fatal(err)
	}
	if email["FromAddress"] != "noreply@example.com" || email["ApplicationId"] != app.ID {
		t.Errorf("email channel %v", email)
	}
	var apns map[string]any
	json.Unmarshal(app.Channels["APNS"], &apns)
	if apns["HasCredential"] != true || apns["HasTokenKey"] != true {
		t.Errorf("apns flags: %v", apns)
	}
	out := marshal(t, inv)
	for _, s := range []string{"CERT-SECRET", "KEY-SECRET", "TOKEN-SECRET"} {
		if bytes.Contains(out, []byte(s)) {
			t.Errorf("secret %s reached the fragment", s)
		}
	}
	// count = null != var.email ? 1 : 0 is now 1: expanded.
	if !addresses(inv)["aws_pinpoint_email_channel.email[0]"] {
		t.Errorf("email channel not expanded: %v", addresses(inv))
	}
}

const richModule = `
provider "aws" {
  region = "eu-central-1"
  default_tags {
    tags = { team = "growth" }
  }
}

provider "aws" {
  alias  = "west"
  region = "us-west-2"
}

variable "env" {
  type    = string
  default = "prod"
}

variable "secret_arn" {}

variable "settings" {
  type = object({
    daily = optional(number, 100)
    start = string
  })
  default = { start = "22:00" }
}

locals {
  prefix  = "${var.env}-shop"
  subject = upper(local.prefix)
  subs    = jsonencode({ FirstName = "friend" })
}

resource "aws_pinpoint_app" "main" {
  name = local.prefix
  tags = merge({ env = var.env }, { owner = "crm" })

  limits {
    daily            = var.settings.daily
    maximum_duration = 600
  }
  quiet_time {
    start = var.settings.start
    end   = "06:00"
  }
  campaign_hook {
    lambda_function_name = data.aws_lambda_function.hook.arn
    mode                 = "FILTER"
  }
}

resource "aws_pinpoint_app" "west" {
  provider    = aws.west
  name_prefix = "west-"
}

resource "aws_pinpoint_sms_channel" "sms" {
  application_id = aws_pinpoint_app.main.application_id
  sender_id      = format("%s", "SHOP")
  enabled        = false
}

resource "aws_pinpoint_gcm_channel" "gcm" {
  application_id = aws_pinpoint_app.main.id
  service_json   = file("fcm.json")
  default_authentication_method = "TOKEN"
}

resource "aws_pinpoint_event_stream" "stream" {
  application_id         = aws_pinpoint_app.main.application_id
  destination_stream_arn = aws_kinesis_stream.events.arn
  role_arn               = var.secret_arn
}

resource "aws_pinpoint_email_template" "welcome" {
  template_name = "welcome-${var.env}"
  email_template {
    subject               = local.subject
    html_part             = file("welcome.html")
    text_part             = file("missing.txt")
    default_substitutions = local.subs
    description           = "Welcome"
    header {
      name  = "X-One"
      value = "1"
    }
    header {
      name  = "X-Two"
      value = aws_pinpoint_app.main.arn
    }
  }
}

resource "aws_pinpointsmsvoicev2_opt_out_list" "list" {
  name = "${local.prefix}-optouts"
  tags = { a = "b" }
}

resource "aws_pinpointsmsvoicev2_configuration_set" "cs" {
  for_each             = toset(["a", "b"])
  name                 = "cs-${each.key}"
  default_message_type = "TRANSACTIONAL"
}

resource "aws_pinpointsmsvoicev2_phone_number" "num" {
  count               = 2
  iso_country_code    = "US"
  message_type        = "TRANSACTIONAL"
  number_type         = "TOLL_FREE"
  number_capabilities = ["SMS", "VOICE"]
  opt_out_list_name   = aws_pinpointsmsvoicev2_opt_out_list.list.name
  two_way_channel_enabled = count.index == 1
}

resource "aws_pinpoint_adm_channel" "adm" {
  for_each       = var.unknown_map
  application_id = "0123456789abcdef0123456789abcdef"
  client_id      = "ADM-CLIENT-ID"
  client_secret  = "ADM-CLIENT-SECRET"
}

resource "aws_pinpoint_sms_template" "nope" {}
resource "aws_s3_bucket" "b" {}
`

func TestRichModule(t *testing.T) {
	// file() reads next to the module, on disk.
	dir := t.TempDir()
	fs := files(filepath.Join(dir, "mod", "main.tf"), richModule)
	os.MkdirAll(filepath.Join(dir, "mod"), 0o755)
	os.WriteFile(filepath.Join(dir, "mod", "fcm.json"), []byte(`{"private_key": "FCM-SECRET"}`), 0o600)
	inv, err := Load(fs, Options{DefaultRegion: "us-east-1"})
	if err != nil {
		t.Fatal(err)
	}
	if !hasUnresolved(inv, "aws_pinpoint_email_template.welcome", "HtmlPart") {
		t.Errorf("html_part should be unresolved while welcome.html is missing")
	}
	os.WriteFile(filepath.Join(dir, "mod", "welcome.html"), []byte("<p>Hello {{User.UserAttributes.FirstName}}</p>"), 0o600)
	inv, err = Load(fs, Options{DefaultRegion: "us-east-1"})
	if err != nil {
		t.Fatal(err)
	}
	checkShapes(t, inv)
	out := marshal(t, inv)
	for _, s := range []string{"FCM-SECRET", "ADM-CLIENT-ID", "ADM-CLIENT-SECRET"} {
		if bytes.Contains(out, []byte(s)) {
			t.Errorf("secret %s reached the fragment", s)
		}
	}
	out = bytes.ReplaceAll(out, []byte(dir), []byte("$TMP"))
	golden(t, "rich.golden.json", out)

	regions := map[string]*inventory.Region{}
	for i := range inv.Regions {
		regions[inv.Regions[i].Name] = &inv.Regions[i]
	}
	eu := regions["eu-central-1"]
	if eu == nil || regions["us-west-2"] == nil {
		t.Fatalf("want eu-central-1 (provider) and us-west-2 (aliased provider), got %s", out)
	}
	var main *inventory.App
	for i := range eu.Apps {
		if eu.Apps[i].Name == "prod-shop" {
			main = &eu.Apps[i]
		}
	}
	if main == nil {
		t.Fatalf("no app prod-shop in %s", out)
	}
	if main.ID != "iac:main.tf#aws_pinpoint_app.main" {
		t.Errorf("app id %q", main.ID)
	}
	if main.Tags["team"] != "growth" || main.Tags["env"] != "prod" || main.Tags["owner"] != "crm" {
		t.Errorf("tags %v", main.Tags)
	}
	wantJSON(t, main.Settings, `{"ApplicationId":"iac:main.tf#aws_pinpoint_app.main","CampaignHook":{"LambdaFunctionName":{"p2c:unresolved":"data.aws_lambda_function.hook.arn"},"Mode":"FILTER"},"Limits":{"Daily":100,"MaximumDuration":600},"QuietTime":{"End":"06:00","Start":"22:00"}}`)
	wantJSON(t, main.Channels["SMS"], `{"ApplicationId":"iac:main.tf#aws_pinpoint_app.main","Enabled":false,"Platform":"SMS","SenderId":"SHOP"}`)
	wantJSON(t, main.Channels["GCM"], `{"ApplicationId":"iac:main.tf#aws_pinpoint_app.main","DefaultAuthenticationMethod":"TOKEN","Enabled":true,"HasFcmServiceCredentials":true,"Platform":"GCM"}`)
	if len(eu.Templates) != 1 || eu.Templates[0].Name != "welcome-prod" {
		t.Fatalf("templates %+v", eu.Templates)
	}
	var tpl map[string]any
	json.Unmarshal(eu.Templates[0].Object, &tpl)
	if tpl["Subject"] != "PROD-SHOP" || tpl["HtmlPart"] != "<p>Hello {{User.UserAttributes.FirstName}}</p>" || tpl["DefaultSubstitutions"] != `{"FirstName":"friend"}` {
		t.Errorf("template %v", tpl)
	}
	if !hasUnresolved(inv, "aws_pinpoint_email_template.welcome", "TextPart") || !hasUnresolved(inv, "aws_pinpoint_email_template.welcome", "Headers[1].Value") {
		t.Errorf("missing file and computed arn should be unresolved: %+v", inv.Unresolved)
	}
	if len(eu.EUM.ConfigurationSets) != 2 || eu.EUM.ConfigurationSets[0].ID != "cs-a" {
		t.Errorf("for_each not expanded: %+v", eu.EUM.ConfigurationSets)
	}
	if len(eu.EUM.PhoneNumbers) != 2 {
		t.Fatalf("count not expanded: %+v", eu.EUM.PhoneNumbers)
	}
	if !bytes.Contains(eu.EUM.PhoneNumbers[1].Object, []byte(`"OptOutListName":"prod-shop-optouts"`)) {
		t.Errorf("opt-out list reference not resolved: %s", eu.EUM.PhoneNumbers[1].Object)
	}
	if !hasUnresolved(inv, "aws_pinpoint_event_stream.stream", "RoleArn") {
		t.Errorf("variable without default should be unresolved")
	}
	west := regions["us-west-2"].Apps[0]
	if !hasUnresolved(inv, "aws_pinpoint_app.west", "Name") || west.Name != "" {
		t.Errorf("name_prefix app: name %q", west.Name)
	}
	// The ADM channel's for_each is unknown: kept once, with a warning,
	// under the literal app id.
	var adm *inventory.App
	for i := range eu.Apps {
		if eu.Apps[i].ID == "0123456789abcdef0123456789abcdef" {
			adm = &eu.Apps[i]
		}
	}
	if adm == nil || adm.Channels["ADM"] == nil {
		t.Fatalf("ADM channel under its literal app id missing: %s", out)
	}
	if !hasWarning(inv, "aws_pinpoint_adm_channel.adm", "for_each") {
		t.Errorf("unexpanded for_each not noted: %+v", inv.Warnings)
	}
	if !hasWarning(inv, "aws_pinpoint_sms_template.nope", "not read") {
		t.Errorf("unknown aws_pinpoint type not noted: %+v", inv.Warnings)
	}
	if len(inv.Secrets) != 3 {
		t.Errorf("secrets seen: %+v", inv.Secrets)
	}
}

func wantJSON(t *testing.T, got json.RawMessage, want string) {
	t.Helper()
	if string(got) != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

func hasUnresolved(inv *inventory.Inventory, res, path string) bool {
	for _, u := range inv.Unresolved {
		if u.Resource == res && u.Path == path {
			return true
		}
	}
	return false
}

func hasWarning(inv *inventory.Inventory, res, substr string) bool {
	for _, w := range inv.Warnings {
		if w.Resource == res && strings.Contains(w.Message, substr) {
			return true
		}
	}
	return false
}

func TestSecretsNeverWritten(t *testing.T) {
	src := `
resource "aws_pinpoint_app" "a" { name = "a" }
locals { cert = "LOCAL-CERT-VALUE" }
variable "gcm" {
  default   = "GCM-API-KEY-VALUE"
  sensitive = true
}
resource "aws_pinpoint_apns_channel" "c" {
  application_id = aws_pinpoint_app.a.application_id
  certificate    = local.cert
  private_key    = "APNS-PRIVATE-KEY-VALUE"
  token_key      = "APNS-TOKEN-KEY-VALUE"
}
resource "aws_pinpoint_apns_sandbox_channel" "c" {
  application_id = aws_pinpoint_app.a.application_id
  token_key      = "SANDBOX-TOKEN-VALUE"
}
resource "aws_pinpoint_apns_voip_channel" "c" {
  application_id = aws_pinpoint_app.a.application_id
  certificate    = "VOIP-CERT-VALUE"
}
resource "aws_pinpoint_apns_voip_sandbox_channel" "c" {
  application_id = aws_pinpoint_app.a.application_id
  private_key    = "${var.unset}VOIP-SANDBOX-KEY-VALUE"
}
resource "aws_pinpoint_gcm_channel" "c" {
  application_id = aws_pinpoint_app.a.application_id
  api_key        = var.gcm
  service_json   = jsonencode({ private_key = "GCM-SERVICE-JSON-VALUE" })
}
resource "aws_pinpoint_baidu_channel" "c" {
  application_id = aws_pinpoint_app.a.application_id
  api_key        = "BAIDU-API-KEY-VALUE"
  secret_key     = "BAIDU-SECRET-KEY-VALUE"
}
resource "aws_pinpoint_adm_channel" "c" {
  application_id = aws_pinpoint_app.a.application_id
  client_id      = "ADM-ID-VALUE"
  client_secret  = "ADM-SECRET-VALUE"
}
`
	inv, err := Load(files("main.tf", src), Options{DefaultRegion: "us-east-1"})
	if err != nil {
		t.Fatal(err)
	}
	checkShapes(t, inv)
	out := marshal(t, inv)
	for _, s := range regexp.MustCompile(`[A-Z-]+-VALUE`).FindAllString(src, -1) {
		if bytes.Contains(out, []byte(s)) {
			t.Errorf("secret %s reached the fragment", s)
		}
	}
	if n := len(inv.Secrets); n != 12 {
		t.Errorf("%d secrets seen, want 12: %+v", n, inv.Secrets)
	}
	ch := inv.Regions[0].Apps[0].Channels
	wantJSON(t, ch["APNS"], `{"ApplicationId":"iac:main.tf#aws_pinpoint_app.a","Enabled":true,"HasCredential":true,"HasTokenKey":true,"Platform":"APNS"}`)
	wantJSON(t, ch["APNS_SANDBOX"], `{"ApplicationId":"iac:main.tf#aws_pinpoint_app.a","Enabled":true,"HasTokenKey":true,"Platform":"APNS_SANDBOX"}`)
	wantJSON(t, ch["APNS_VOIP_SANDBOX"], `{"ApplicationId":"iac:main.tf#aws_pinpoint_app.a","Enabled":true,"HasCredential":{"p2c:unresolved":"(credential expression not recorded)"},"Platform":"APNS_VOIP_SANDBOX"}`)
	wantJSON(t, ch["GCM"], `{"ApplicationId":"iac:main.tf#aws_pinpoint_app.a","Enabled":true,"HasCredential":true,"HasFcmServiceCredentials":true,"Platform":"GCM"}`)
	wantJSON(t, ch["ADM"], `{"ApplicationId":"iac:main.tf#aws_pinpoint_app.a","Enabled":true,"HasCredential":true,"Platform":"ADM"}`)
	for _, s := range inv.Secrets {
		if s.App != "iac:main.tf#aws_pinpoint_app.a" || s.File != "main.tf" || s.Line == 0 || s.Member == "" {
			t.Errorf("secret entry %+v", s)
		}
	}
}

func TestSyntaxError(t *testing.T) {
	fs := files(
		"mod/a.tf", `resource "aws_pinpoint_app" "a" { name = "ok" }`,
		"mod/broken.tf", "variable \"x\" {\n  default = \"y\"\n  oops = = 1\n}\n",
	)
	inv, err := Load(fs, Options{DefaultRegion: "us-east-1"})
	if err == nil || !strings.Contains(err.Error(), "mod/broken.tf:3") {
		t.Fatalf("want an error naming mod/broken.tf:3, got %v", err)
	}
	if inv == nil || len(inv.Regions) != 1 || inv.Regions[0].Apps[0].Name != "ok" {
		t.Fatalf("the other file should still be read: %+v", inv)
	}
	_, err = Load(files("only.tf", "resource \"aws_pinpoint_app\" {"), Options{})
	if err == nil || !strings.Contains(err.Error(), "only.tf:1") {
		t.Fatalf("want an error naming only.tf:1, got %v", err)
	}
}

func TestJSONSyntax(t *testing.T) {
	src := `{
  "variable": {"n": {"default": "from-json"}},
  "resource": {
    "aws_pinpoint_app": {"j": {"name": "${var.n}", "quiet_time": {"start": "01:00", "end": "02:00"}}},
    "aws_pinpoint_sms_channel": {"s": {"application_id": "${aws_pinpoint_app.j.application_id}", "short_code": "12345"}}
  }
}`
	if !Detect([]byte(src)) {
		t.Fatal("Detect(.tf.json) = false")
	}
	inv, err := Load(files("main.tf.json", src), Options{DefaultRegion: "us-east-1"})
	if err != nil {
		t.Fatal(err)
	}
	checkShapes(t, inv)
	app := inv.Regions[0].Apps[0]
	if app.Name != "from-json" {
		t.Errorf("name %q", app.Name)
	}
	wantJSON(t, app.Settings, `{"ApplicationId":"iac:main.tf.json#aws_pinpoint_app.j","QuietTime":{"End":"02:00","Start":"01:00"}}`)
	wantJSON(t, app.Channels["SMS"], `{"ApplicationId":"iac:main.tf.json#aws_pinpoint_app.j","Enabled":true,"Platform":"SMS","ShortCode":"12345"}`)
}

func TestDetect(t *testing.T) {
	for _, c := range []struct {
		name string
		data string
		want bool
	}{
		{"resource", `resource "aws_s3_bucket" "b" {}`, true},
		{"variables only", "variable \"x\" {\n  type = string\n}\n", true},
		{"broken but terraform", "resource \"aws_pinpoint_app\" \"a\" {\n  name = = 1\n}\n", true},
		{"tfvars", `name = "x"`, false},
		{"terraform block only", `terraform { required_version = ">= 1" }`, false},
		{"packer", "source \"amazon-ebs\" \"x\" {}\nbuild {}\n", false},
		{"yaml", "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  App:\n    Type: AWS::Pinpoint::App\n", false},
		{"csv", "ChannelType,Address\nEMAIL,a@example.com\n", false},
		{"json api output", `{"ApplicationResponse": {"Id": "x"}}`, false},
		{"tf json", `{"resource": {"aws_pinpoint_app": {"a": {}}}}`, true},
		{"empty", "", false},
	} {
		if got := Detect([]byte(c.data)); got != c.want {
			t.Errorf("%s: Detect = %v, want %v", c.name, got, c.want)
		}
	}
	dir := corpus(t)
	all, _ := filepath.Glob(filepath.Join(dir, "*"))
	for _, p := range all {
		b, err := os.ReadFile(p)
		if err != nil {
			continue // folders
		}
		want := strings.HasSuffix(p, ".tf")
		if got := Detect(b); got != want {
			t.Errorf("Detect(%s) = %v, want %v", filepath.Base(p), got, want)
		}
	}
}

func TestUnknownTypesAndCount(t *testing.T) {
	src := `
variable "n" { type = number }
resource "aws_pinpoint_app" "a" {
  count = var.n
  name  = "app-${count.index}"
}
resource "aws_iam_role" "r" { name = "x" }
resource "aws_pinpoint_future_thing" "f" { x = 1 }
`
	inv, err := Load(files("main.tf", src), Options{DefaultRegion: "us-east-1"})
	if err != nil {
		t.Fatal(err)
	}
	if !hasWarning(inv, "aws_pinpoint_app.a", "count = var.n is not known") {
		t.Errorf("unknown count not noted: %+v", inv.Warnings)
	}
	if !hasUnresolved(inv, "aws_pinpoint_app.a", "Name") {
		t.Errorf("count.index of an unexpanded resource must stay unresolved: %+v", inv.Unresolved)
	}
	if !hasWarning(inv, "aws_pinpoint_future_thing.f", "not read") {
		t.Errorf("unknown pinpoint type not noted: %+v", inv.Warnings)
	}
	// With a value the count expands.
	inv, _ = Load(files("main.tf", src), Options{DefaultRegion: "us-east-1", Vars: map[string]string{"n": "2"}})
	if n := len(inv.Regions[0].Apps); n != 2 || inv.Regions[0].Apps[1].Name != "app-1" {
		t.Errorf("count = 2: %s", marshal(t, inv))
	}
}

func TestLocalNamesApp(t *testing.T) {
	src := `
locals { app = aws_pinpoint_app.a.application_id }
resource "aws_pinpoint_app" "a" { name = "a" }
resource "aws_pinpoint_sms_channel" "s" { application_id = local.app }
resource "aws_pinpoint_app" "a" { name = "twice" }
`
	inv, err := Load(files("main.tf", src), Options{DefaultRegion: "us-east-1"})
	if err != nil {
		t.Fatal(err)
	}
	apps := inv.Regions[0].Apps
	if len(apps) != 1 || apps[0].Name != "a" || apps[0].Channels["SMS"] == nil {
		t.Errorf("channel should join app a through the local: %s", marshal(t, inv))
	}
	if !hasWarning(inv, "aws_pinpoint_app.a", "declared twice") {
		t.Errorf("duplicate address not noted: %+v", inv.Warnings)
	}
}

func TestChannelOfUnexpandedApp(t *testing.T) {
	src := `
variable "enabled" { type = bool }
resource "aws_pinpoint_app" "a" {
  count = var.enabled ? 1 : 0
  name  = "a"
}
resource "aws_pinpoint_sms_channel" "s" {
  count          = var.enabled ? 1 : 0
  application_id = aws_pinpoint_app.a[0].application_id
}
`
	inv, err := Load(files("main.tf", src), Options{DefaultRegion: "us-east-1"})
	if err != nil {
		t.Fatal(err)
	}
	apps := inv.Regions[0].Apps
	if len(apps) != 1 || apps[0].ID != "iac:main.tf#aws_pinpoint_app.a" || apps[0].Channels["SMS"] == nil {
		t.Errorf("the channel should join the unexpanded app: %s", marshal(t, inv))
	}
}
