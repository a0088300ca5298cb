package blueprint

import (
	"bytes"
	"encoding/json"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/p2c/p2c/internal/assess"
	"github.com/p2c/p2c/internal/awsmodel"
	"github.com/p2c/p2c/internal/inventory"
	"github.com/p2c/p2c/internal/translate"
)

// profRaw is a wire object for fixtures.
func profRaw(s string) json.RawMessage { return json.RawMessage(s) }

// profStats are the endpoint statistics of the fixture app.
func profStats() *inventory.EndpointStats {
	return &inventory.EndpointStats{
		Total: 6, ByChannel: map[string]int64{"EMAIL": 3, "SMS": 2, "APNS": 1},
		OptedOut: map[string]int64{"EMAIL": 1}, Inactive: map[string]int64{}, InvalidAddresses: map[string]int64{},
		WithUser: 5, Users: 3,
		Attributes: []inventory.AttributeStats{
			{Key: "tier", Scope: inventory.ScopeUserAttributes, Type: "string", Count: 5, MaxValues: 1},
			{Key: "tier", Scope: inventory.ScopeAttributes, Type: "string", Count: 2, MaxValues: 1},
			{Key: "interests", Scope: inventory.ScopeAttributes, Type: "string", Count: 4, MaxValues: 4},
			{Key: "odd.name", Scope: inventory.ScopeAttributes, Type: "string", Count: 1, MaxValues: 1},
			{Key: "purchases", Scope: inventory.ScopeMetrics, Type: "number", Count: 3, MaxValues: 1},
			{Key: "City", Scope: inventory.ScopeLocation, Type: "string", Count: 3, MaxValues: 1},
			{Key: "Latitude", Scope: inventory.ScopeLocation, Type: "number", Count: 3, MaxValues: 1},
			{Key: "Platform", Scope: inventory.ScopeDemographic, Type: "string", Count: 3, MaxValues: 1},
		},
	}
}

// profApp is an app that sends email and SMS campaigns, with endpoints
// and a Firehose event stream.
func profApp(id, name string) inventory.App {
	return inventory.App{ID: id, Name: name, Object: profRaw(`{"Id":"` + id + `","Name":"` + name + `"}`),
		Channels: map[string]json.RawMessage{
			"EMAIL": profRaw(`{"ApplicationId":"` + id + `","Enabled":true,"FromAddress":"Shop News <news@shop.example>","Identity":"arn:aws:ses:us-east-1:111122223333:identity/shop.example","ConfigurationSet":"shop-cs"}`),
			"SMS":   profRaw(`{"ApplicationId":"` + id + `","Enabled":true}`),
		},
		EventStream: profRaw(`{"ApplicationId":"` + id + `","DestinationStreamArn":"arn:aws:firehose:us-east-1:111122223333:deliverystream/pinpoint-events","RoleArn":"arn:aws:iam::111122223333:role/pinpoint-events"}`),
		Segments:    []inventory.Segment{{ID: "s1", Name: "all", Version: 1, Object: profRaw(`{"Id":"s1","Name":"all","SegmentType":"DIMENSIONAL","Version":1,"Dimensions":{}}`)}},
		Campaigns: []inventory.Campaign{{ID: "c1", Name: "promo", Version: 1, Object: profRaw(`{"Id":"c1","ApplicationId":"` + id + `","Name":"promo","SegmentId":"s1","SegmentVersion":1,` +
			`"MessageConfiguration":{"EmailMessage":{"Title":"Hi","HtmlBody":"<p>Hi</p>"},"SMSMessage":{"Body":"Hi"}},` +
			`"Schedule":{"StartTime":"2026-12-01T09:00:00Z","Frequency":"ONCE","Timezone":"UTC"},"State":{"CampaignStatus":"SCHEDULED"}}`)}},
		EndpointStats: profStats(),
	}
}

// profInventory is a one-region inventory with the given apps and End
// User Messaging numbers and configuration sets.
func profInventory(apps ...inventory.App) *inventory.Inventory {
	return &inventory.Inventory{SchemaVersion: inventory.SchemaVersion, ScannedAt: time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC),
		Regions: []inventory.Region{{Name: "us-east-1", Apps: apps, EUM: inventory.EUM{
			PhoneNumbers: []inventory.Object{
				{ID: "phone-aaa", Object: profRaw(`{"PhoneNumberId":"phone-aaa","PhoneNumberArn":"arn:aws:sms-voice:us-east-1:111122223333:phone-number/phone-aaa","PhoneNumber":"+18005550100","Status":"ACTIVE","NumberType":"TOLL_FREE","MessageType":"TRANSACTIONAL","NumberCapabilities":["SMS","VOICE"]}`)},
				{ID: "phone-bbb", Object: profRaw(`{"PhoneNumberId":"phone-bbb","PhoneNumberArn":"arn:aws:sms-voice:us-east-1:111122223333:phone-number/phone-bbb","PhoneNumber":"+18005550101","Status":"PENDING","NumberType":"TEN_DLC","MessageType":"PROMOTIONAL","NumberCapabilities":["SMS"]}`)},
				{ID: "phone-ccc", Object: profRaw(`{"PhoneNumberId":"phone-ccc","PhoneNumberArn":"arn:aws:sms-voice:us-east-1:111122223333:phone-number/phone-ccc","Status":"ACTIVE","NumberType":"LONG_CODE","NumberCapabilities":["MMS"]}`)},
			},
			ConfigurationSets: []inventory.Object{
				{ID: "sms-events", Object: profRaw(`{"ConfigurationSetName":"sms-events","ConfigurationSetArn":"arn:aws:sms-voice:us-east-1:111122223333:configuration-set/sms-events","EventDestinations":[]}`)},
			},
		}}}}
}

// profPlan assesses an inventory and builds its plan with some answers.
func profPlan(t *testing.T, inv *inventory.Inventory, answers map[string]string) (*Plan, *Decisions) {
	t.Helper()
	inventory.ResolveReferences(inv)
	invBytes, err := inventory.Marshal(inv)
	if err != nil {
		t.Fatal(err)
	}
	a := assess.Assess(inv, invBytes, assess.Options{Tool: "test", Now: func() time.Time { return time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC) }})
	aBytes, _ := json.Marshal(a)
	d := &Decisions{Version: 1}
	for _, k := range sortedKeys(answers) {
		d.Questions = append(d.Questions, &Question{Key: k, Answer: answers[k]})
	}
	p, decided, err := Build(&Input{Inventory: inv, InventoryBytes: invBytes, Assessment: a, AssessmentBytes: aBytes, Decisions: d, Tool: "test"})
	if err != nil {
		t.Fatal(err)
	}
	return p, decided
}

// profSteps returns the plan's steps of some kinds.
func profSteps(p *Plan, kinds ...string) []Step {
	var out []Step
	for _, s := range p.Steps {
		for _, k := range kinds {
			if s.Kind == k {
				out = append(out, s)
			}
		}
	}
	return out
}

func profStep(t *testing.T, p *Plan, id string) Step {
	t.Helper()
	for _, s := range p.Steps {
		if s.ID == id {
			return s
		}
	}
	t.Fatalf("no step %s in the plan", id)
	return Step{}
}

func profQuestion(t *testing.T, d *Decisions, key string) *Question {
	t.Helper()
	for _, q := range d.Questions {
		if q.Key == key {
			return q
		}
	}
	t.Fatalf("question %s was not asked", key)
	return nil
}

var profPlaceholderRe = regexp.MustCompile(`\{\{decision:([^}|]+)(\|[^}]*)?\}\}`)

// profValidate checks a step's spec against its operation's input shape,
// strictly, with open decisions replaced by a valid answer of their kind.
func profValidate(t *testing.T, s Step, d *Decisions) {
	t.Helper()
	kinds := map[string]string{}
	for _, q := range d.Questions {
		kinds[q.Key] = q.Kind
	}
	spec := profPlaceholderRe.ReplaceAllStringFunc(string(s.Spec), func(m string) string {
		sub := profPlaceholderRe.FindStringSubmatch(m)
		if sub[2] == "|id" {
			return "12345678-1234-1234-1234-123456789012"
		}
		switch kinds[sub[1]] {
		case KindConnectInstanceARN:
			return "arn:aws:connect:us-east-1:111122223333:instance/12345678-1234-1234-1234-123456789012"
		case KindARN:
			return "arn:aws:firehose:us-east-1:111122223333:deliverystream/x"
		case KindEmail:
			return "sender@shop.example"
		case KindName:
			return "decided-name"
		}
		t.Errorf("%s: placeholder %s of unknown kind %q", s.ID, m, kinds[sub[1]])
		return "x"
	})
	var v any
	if err := json.Unmarshal([]byte(spec), &v); err != nil {
		t.Fatalf("%s: spec is not JSON: %v", s.ID, err)
	}
	m := awsmodel.MustLoad(s.Service)
	op := m.Operations[s.Operation]
	if op == nil {
		t.Fatalf("%s: %s has no operation %s", s.ID, s.Service, s.Operation)
	}
	for _, p := range m.Validate(op.Input.Shape, v, true) {
		t.Errorf("%s (%s %s): %s", s.ID, s.Service, s.Operation, p)
	}
	if s.Rollback.Policy == RollbackRetain && s.Rollback.Reason == "" {
		t.Errorf("%s: retain without a reason", s.ID)
	}
}

func TestProfilesDomainOpenDecisions(t *testing.T) {
	p, d := profPlan(t, profInventory(profApp("app1", "shop")), nil)
	dom := profStep(t, p, "profiles-domain/us-east-1/domain")
	if dom.Action != Create || dom.Operation != "CreateDomain" || dom.Rollback.Policy != RollbackDelete {
		t.Errorf("domain step: %+v", dom)
	}
	if got := strings.Join(dom.WaitsOn, ","); got != "us-east-1.profiles-domain,us-east-1.profiles-domain-mode" {
		t.Errorf("domain waits on %s", got)
	}
	if !bytes.Contains(dom.Spec, []byte(`"DomainName":"{{decision:us-east-1.profiles-domain}}"`)) {
		t.Errorf("domain spec has no placeholder: %s", dom.Spec)
	}
	if len(dom.Findings) == 0 {
		t.Errorf("domain step carries no PRQ-PROFILES-DOMAIN finding")
	}
	if q := profQuestion(t, d, "us-east-1.profiles-domain"); q.Suggested != "p2c-us-east-1" || q.Kind != KindName || q.Why == "" {
		t.Errorf("domain question: %+v", q)
	}
	if q := profQuestion(t, d, "us-east-1.profiles-domain-mode"); q.Suggested != profModeCreate || len(q.Choices) != 2 {
		t.Errorf("mode question: %+v", q)
	}
	if q := profQuestion(t, d, "us-east-1.connect-instance"); q.Kind != KindConnectInstanceARN {
		t.Errorf("instance question: %+v", q)
	}
	for _, q := range d.Questions {
		if q.Key == "us-east-1.profiles-domain-layout" {
			t.Errorf("one app needs no layout question")
		}
	}
	ot := profStep(t, p, "object-type/us-east-1/PinpointEndpoint")
	if len(ot.DependsOn) != 1 || ot.DependsOn[0] != dom.ID || len(ot.WaitsOn) != 1 {
		t.Errorf("object type: depends %v, waits %v", ot.DependsOn, ot.WaitsOn)
	}
	for _, s := range profSteps(p, KindProfilesDomain, KindObjectType) {
		profValidate(t, s, d)
	}
}

func TestProfilesObjectTypeMapping(t *testing.T) {
	p, d := profPlan(t, profInventory(profApp("app1", "shop")), map[string]string{
		"us-east-1.profiles-domain": "shop-profiles", "us-east-1.profiles-domain-mode": "create",
	})
	ot := profStep(t, p, "object-type/us-east-1/PinpointEndpoint")
	profValidate(t, ot, d)
	if len(ot.WaitsOn) != 0 {
		t.Errorf("object type still waits on %v", ot.WaitsOn)
	}
	var spec struct {
		DomainName           string
		AllowProfileCreation bool
		Fields               map[string]struct{ Source, Target, ContentType string }
		Keys                 map[string][]struct{ StandardIdentifiers, FieldNames []string }
	}
	if err := json.Unmarshal(ot.Spec, &spec); err != nil {
		t.Fatal(err)
	}
	if spec.DomainName != "shop-profiles" || !spec.AllowProfileCreation {
		t.Errorf("spec: %s", ot.Spec)
	}
	want := map[string]string{
		"EmailAddress":             "_profile.EmailAddress",
		"MobilePhoneNumber":        "_profile.MobilePhoneNumber",
		"PushToken_APNS":           "_profile.Attributes.PushToken_APNS",
		"OptOut_EMAIL":             "_profile.Attributes.OptOut_EMAIL",
		"OptOut_SMS":               "_profile.Attributes.OptOut_SMS",
		"Channels":                 "_profile.Attributes.Channels",
		"User_UserId":              "_profile.Attributes.UserId",
		"CohortId":                 "_profile.Attributes.CohortId",
		"User_UserAttributes_tier": "_profile.Attributes.tier",
		"Attributes_tier":          "_profile.Attributes.tier",
		"Attributes_interests":     "_profile.Attributes.interests",
		"Attributes_odd_name":      "_profile.Attributes.odd.name",
		"Metrics_purchases":        "_profile.Attributes.purchases",
		"Location_City":            "_profile.Address.City",
		"Location_Latitude":        "_profile.Attributes.Location_Latitude",
		"Demographic_Platform":     "_profile.Attributes.Demographic_Platform",
		"ProfileKey":               "",
		"EndpointId":               "",
	}
	// The names are translate's: the segment and template translators and
	// the calculated attributes read them.
	for _, p := range []string{"User.UserAttributes.tier", "Metrics.purchases", "Demographic.Platform", "Location.City"} {
		if _, ok := want[translate.ObjectField(p)]; !ok {
			t.Errorf("translate.ObjectField(%s) = %s is not a field", p, translate.ObjectField(p))
		}
	}
	for name, target := range want {
		f, ok := spec.Fields[name]
		if !ok {
			t.Errorf("no field %s", name)
			continue
		}
		if f.Target != target || f.Source != "_source."+name {
			t.Errorf("field %s = %+v, want target %q", name, f, target)
		}
	}
	if _, ok := spec.Fields["PhoneNumber"]; ok {
		t.Errorf("no VOICE endpoints, yet a PhoneNumber field")
	}
	if spec.Fields["EmailAddress"].ContentType != "EMAIL_ADDRESS" || spec.Fields["MobilePhoneNumber"].ContentType != "PHONE_NUMBER" ||
		spec.Fields["Metrics_purchases"].ContentType != "NUMBER" {
		t.Errorf("content types: %+v", spec.Fields)
	}
	fieldName := regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`) // CloudFormation's field name pattern: no dots
	for name := range spec.Fields {
		if !fieldName.MatchString(name) {
			t.Errorf("field name %q does not fit CloudFormation", name)
		}
	}
	pk, ek := spec.Keys[profKeyProfile], spec.Keys[profKeyEndpoint]
	if len(pk) != 1 || pk[0].StandardIdentifiers[0] != "PROFILE" || pk[0].FieldNames[0] != "ProfileKey" ||
		len(ek) != 1 || ek[0].StandardIdentifiers[0] != "UNIQUE" || ek[0].FieldNames[0] != "EndpointId" {
		t.Errorf("keys: %+v", spec.Keys)
	}
	joined := strings.Join(ot.Transformations, "\n")
	for _, s := range []string{"User.UserAttributes.tier and Attributes.tier share Attributes.tier", "OptOut is carried per channel", "joined with"} {
		if !strings.Contains(joined, s) {
			t.Errorf("transformations lack %q:\n%s", s, joined)
		}
	}
	var rules []string
	for _, f := range ot.Findings {
		rules = append(rules, f[:strings.Index(f, "/")])
	}
	if got := strings.Join(rules, ","); !strings.Contains(got, "EPT-OPTOUT") || !strings.Contains(got, "EPT-ATTR-COLLISION") {
		t.Errorf("object type findings: %s", got)
	}
}

func TestProfilesExistingDomain(t *testing.T) {
	p, d := profPlan(t, profInventory(profApp("app1", "shop")), map[string]string{
		"us-east-1.profiles-domain": "amazon-connect-shop", "us-east-1.profiles-domain-mode": "existing",
		"us-east-1.connect-instance": "arn:aws:connect:us-east-1:111122223333:instance/12345678-1234-1234-1234-123456789012",
	})
	dom := profStep(t, p, "profiles-domain/us-east-1/domain")
	if dom.Action != NoOp || dom.Operation != "GetDomain" || dom.Rollback.Policy != RollbackRetain || dom.Rollback.Reason == "" || len(dom.WaitsOn) != 0 {
		t.Errorf("existing domain step: %+v", dom)
	}
	profValidate(t, dom, d)
	var tg *Target
	for i := range p.Targets {
		if p.Targets[i].Region == "us-east-1" && p.Targets[i].App == "" {
			tg = &p.Targets[i]
		}
	}
	if tg == nil || tg.ProfilesDomain != "amazon-connect-shop" || !strings.HasSuffix(tg.ConnectInstanceARN, "/12345678-1234-1234-1234-123456789012") {
		t.Errorf("targets: %+v", p.Targets)
	}
}

func TestProfilesPerAppLayout(t *testing.T) {
	inv := profInventory(profApp("app1", "shop"), profApp("app2", "Blog Site"))
	p, d := profPlan(t, inv, nil)
	if q := profQuestion(t, d, "us-east-1.profiles-domain-layout"); q.Suggested != LayoutShared || q.Kind != KindChoice || q.Why == "" {
		t.Errorf("layout question: %+v", q)
	}
	dom := profStep(t, p, "profiles-domain/us-east-1/domain")
	if len(dom.Sources) != 2 || !strings.Contains(strings.Join(dom.WaitsOn, ","), "us-east-1.profiles-domain-layout") {
		t.Errorf("shared domain while layout open: %+v", dom)
	}

	p, d = profPlan(t, inv, map[string]string{"us-east-1.profiles-domain-layout": LayoutPerApp, "us-east-1.profiles-domain.app2": "blog"})
	for _, app := range []string{"app1", "app2"} {
		s := profStep(t, p, "profiles-domain/us-east-1/"+app+"/domain")
		profValidate(t, s, d)
		profValidate(t, profStep(t, p, "object-type/us-east-1/"+app+"/PinpointEndpoint"), d)
		profQuestion(t, d, "us-east-1.connect-instance."+app)
	}
	if q := profQuestion(t, d, "us-east-1.profiles-domain.app2"); q.Suggested != "p2c-us-east-1-blog_site" {
		t.Errorf("per-app domain suggestion %q", q.Suggested)
	}
	// Later stages find an app's domain and instance.
	b := &Builder{In: &Input{Inventory: inv, Decisions: d}, targets: map[string]*Target{"us-east-1/app2": {}}, steps: map[string]*Step{}}
	b.steps["profiles-domain/us-east-1/app2/domain"] = &Step{}
	ref, ok := profilesDomainFor(b, "us-east-1", "app2")
	if !ok || ref.Name != "blog" || ref.ObjectTypeStepID != "object-type/us-east-1/app2/PinpointEndpoint" || len(ref.WaitsOn) != 0 {
		t.Errorf("profilesDomainFor: %+v %v", ref, ok)
	}
	if inst, waits := connectInstanceFor(b, "us-east-1", "app2"); inst != "{{decision:us-east-1.connect-instance.app2|id}}" || len(waits) != 1 {
		t.Errorf("connectInstanceFor: %s %v", inst, waits)
	}
}

func TestProfileFieldMapNoStats(t *testing.T) {
	fields := profileFieldMap()
	names := map[string]bool{}
	for _, f := range fields {
		names[f.Name] = true
		if f.Scope != "" {
			t.Errorf("attribute field %s without statistics", f.Name)
		}
	}
	for _, n := range []string{"ProfileKey", "EndpointId", "EmailAddress", "MobilePhoneNumber", "PhoneNumber", "OptOut_VOICE"} {
		if !names[n] {
			t.Errorf("no field %s without statistics", n)
		}
	}
}

func TestProfSafeName(t *testing.T) {
	if got := profSafeName("plain_name-1", 64); got != "plain_name-1" {
		t.Errorf("plain name changed: %s", got)
	}
	a, b := profSafeName("a.b", 64), profSafeName("a_b", 64)
	if a == b || !strings.HasPrefix(a, "a_b-") {
		t.Errorf("a.b -> %s, a_b -> %s", a, b)
	}
	long := profSafeName(strings.Repeat("x", 100), 64)
	if len(long) != 64 || long == profSafeName(strings.Repeat("x", 101), 64) {
		t.Errorf("long names: %s", long)
	}
}

func TestProfilesDeterministic(t *testing.T) {
	inv := func() *inventory.Inventory { return profInventory(profApp("app1", "shop"), profApp("app2", "blog")) }
	p1, _ := profPlan(t, inv(), nil)
	p2, _ := profPlan(t, inv(), nil)
	b1, _ := json.Marshal(p1)
	b2, _ := json.Marshal(p2)
	if !bytes.Equal(b1, b2) {
		t.Errorf("two builds of the same inputs differ")
	}
}
