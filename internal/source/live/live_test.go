package live

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/pinpoint"
	pt "github.com/aws/aws-sdk-go-v2/service/pinpoint/types"
	sv "github.com/aws/aws-sdk-go-v2/service/pinpointsmsvoicev2"
	svt "github.com/aws/aws-sdk-go-v2/service/pinpointsmsvoicev2/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/p2c/p2c/internal/emulator"
	"github.com/p2c/p2c/internal/emulator/emutest"
	"github.com/p2c/p2c/internal/inventory"
)

type seeded struct {
	appID, segID, campID, journeyID string
	phoneID, poolID                 string
}

func must[T any](t *testing.T, what string) func(T, error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatalf("seed %s: %v", what, err)
		}
		return v
	}
}

// seed creates a small account through the SDK, the way a user would.
func seed(t *testing.T, cfg aws.Config, endpoints int) seeded {
	ctx := context.Background()
	pp := pinpoint.NewFromConfig(cfg)
	var s seeded
	app := must[*pinpoint.CreateAppOutput](t, "app")(pp.CreateApp(ctx, &pinpoint.CreateAppInput{CreateApplicationRequest: &pt.CreateApplicationRequest{
		Name: aws.String("shop"), Tags: map[string]string{"team": "growth"}}}))
	s.appID = *app.ApplicationResponse.Id
	id := aws.String(s.appID)

	for _, v := range []string{"Hello {{User.UserAttributes.FirstName}}", "Hi <b>{{User.UserAttributes.FirstName}}</b>"} {
		if _, err := pp.CreateEmailTemplate(ctx, &pinpoint.CreateEmailTemplateInput{TemplateName: aws.String("welcome"),
			EmailTemplateRequest: &pt.EmailTemplateRequest{Subject: aws.String("Welcome"), HtmlPart: aws.String(v)}}); err != nil {
			if _, err := pp.UpdateEmailTemplate(ctx, &pinpoint.UpdateEmailTemplateInput{TemplateName: aws.String("welcome"), CreateNewVersion: aws.Bool(true),
				EmailTemplateRequest: &pt.EmailTemplateRequest{Subject: aws.String("Welcome"), HtmlPart: aws.String(v)}}); err != nil {
				t.Fatalf("seed template: %v", err)
			}
		}
	}
	must[*pinpoint.CreateEmailTemplateOutput](t, "gone template")(pp.CreateEmailTemplate(ctx, &pinpoint.CreateEmailTemplateInput{
		TemplateName: aws.String("gone"), EmailTemplateRequest: &pt.EmailTemplateRequest{Subject: aws.String("x"), TextPart: aws.String("x")}}))
	must[*pinpoint.CreateSmsTemplateOutput](t, "sms template")(pp.CreateSmsTemplate(ctx, &pinpoint.CreateSmsTemplateInput{
		TemplateName: aws.String("otp"), SMSTemplateRequest: &pt.SMSTemplateRequest{Body: aws.String("Code {{code}}")}}))

	seg := must[*pinpoint.CreateSegmentOutput](t, "segment")(pp.CreateSegment(ctx, &pinpoint.CreateSegmentInput{ApplicationId: id,
		WriteSegmentRequest: &pt.WriteSegmentRequest{Name: aws.String("vip"), Dimensions: &pt.SegmentDimensions{
			Demographic: &pt.SegmentDemographics{Channel: &pt.SetDimension{Values: []string{"EMAIL"}}}}}}))
	s.segID = *seg.SegmentResponse.Id
	must[*pinpoint.UpdateSegmentOutput](t, "segment v2")(pp.UpdateSegment(ctx, &pinpoint.UpdateSegmentInput{ApplicationId: id, SegmentId: &s.segID,
		WriteSegmentRequest: &pt.WriteSegmentRequest{Name: aws.String("vip2"), Dimensions: &pt.SegmentDimensions{
			Demographic: &pt.SegmentDemographics{Channel: &pt.SetDimension{Values: []string{"SMS"}}}}}}))

	camp := must[*pinpoint.CreateCampaignOutput](t, "campaign")(pp.CreateCampaign(ctx, &pinpoint.CreateCampaignInput{ApplicationId: id,
		WriteCampaignRequest: &pt.WriteCampaignRequest{Name: aws.String("promo"), SegmentId: &s.segID, SegmentVersion: aws.Int32(1),
			Schedule:              &pt.Schedule{StartTime: aws.String("IMMEDIATE"), Frequency: pt.FrequencyOnce},
			TemplateConfiguration: &pt.TemplateConfiguration{EmailTemplate: &pt.Template{Name: aws.String("welcome"), Version: aws.String("1")}},
			AdditionalTreatments: []pt.WriteTreatmentResource{{SizePercent: aws.Int32(20),
				TemplateConfiguration: &pt.TemplateConfiguration{EmailTemplate: &pt.Template{Name: aws.String("gone")}}}},
		}}))
	s.campID = *camp.CampaignResponse.Id
	// Deleting a template a campaign uses leaves a dangling reference.
	must[*pinpoint.DeleteEmailTemplateOutput](t, "delete template")(pp.DeleteEmailTemplate(ctx, &pinpoint.DeleteEmailTemplateInput{TemplateName: aws.String("gone")}))

	j, err := pp.CreateJourney(ctx, &pinpoint.CreateJourneyInput{ApplicationId: id, WriteJourneyRequest: &pt.WriteJourneyRequest{
		Name: aws.String("onboard"), StartActivity: aws.String("a1"),
		StartCondition: &pt.StartCondition{SegmentStartCondition: &pt.SegmentCondition{SegmentId: &s.segID}},
		Activities: map[string]pt.Activity{
			"a1": {EMAIL: &pt.EmailMessageActivity{TemplateName: aws.String("welcome"), NextActivity: aws.String("a2")}},
			"a2": {ConditionalSplit: &pt.ConditionalSplitActivity{Condition: &pt.Condition{Conditions: []pt.SimpleCondition{
				{SegmentDimensions: &pt.SegmentDimensions{Demographic: &pt.SegmentDemographics{Platform: &pt.SetDimension{Values: []string{"ios"}}}}},
				{EventCondition: &pt.EventCondition{MessageActivity: aws.String("a1")}},
			}}}},
		}}})
	if err != nil {
		t.Fatalf("seed journey: %v", err)
	}
	s.journeyID = *j.JourneyResponse.Id

	must[*pinpoint.UpdateSmsChannelOutput](t, "sms channel")(pp.UpdateSmsChannel(ctx, &pinpoint.UpdateSmsChannelInput{ApplicationId: id,
		SMSChannelRequest: &pt.SMSChannelRequest{Enabled: aws.Bool(true)}}))

	// Endpoints: users u0..u(n/2) with two endpoints each.
	for start := 0; start < endpoints; start += 100 {
		var items []pt.EndpointBatchItem
		for i := start; i < min(start+100, endpoints); i++ {
			ch, addr := pt.ChannelTypeEmail, fmt.Sprintf("user%d@example.com", i)
			if i%2 == 1 {
				ch, addr = pt.ChannelTypeSms, fmt.Sprintf("+1206555%04d", i)
			}
			items = append(items, pt.EndpointBatchItem{Id: aws.String(fmt.Sprintf("ep%d", i)), ChannelType: ch, Address: &addr,
				Attributes: map[string][]string{"Plan": {"gold"}},
				User:       &pt.EndpointUser{UserId: aws.String(fmt.Sprintf("u%d", i/2))}})
		}
		must[*pinpoint.UpdateEndpointsBatchOutput](t, "endpoints")(pp.UpdateEndpointsBatch(ctx, &pinpoint.UpdateEndpointsBatchInput{
			ApplicationId: id, EndpointBatchRequest: &pt.EndpointBatchRequest{Item: items}}))
	}

	c := sv.NewFromConfig(cfg)
	ph := must[*sv.RequestPhoneNumberOutput](t, "phone")(c.RequestPhoneNumber(ctx, &sv.RequestPhoneNumberInput{IsoCountryCode: aws.String("US"),
		MessageType: "TRANSACTIONAL", NumberCapabilities: []svt.NumberCapability{"SMS"}, NumberType: "TOLL_FREE"}))
	s.phoneID = *ph.PhoneNumberId
	pool := must[*sv.CreatePoolOutput](t, "pool")(c.CreatePool(ctx, &sv.CreatePoolInput{OriginationIdentity: &s.phoneID,
		IsoCountryCode: aws.String("US"), MessageType: "TRANSACTIONAL"}))
	s.poolID = *pool.PoolId
	must[*sv.PutKeywordOutput](t, "keyword")(c.PutKeyword(ctx, &sv.PutKeywordInput{OriginationIdentity: &s.phoneID,
		Keyword: aws.String("JOIN"), KeywordMessage: aws.String("Welcome")}))
	must[*sv.CreateOptOutListOutput](t, "opt-out list")(c.CreateOptOutList(ctx, &sv.CreateOptOutListInput{OptOutListName: aws.String("main")}))
	must[*sv.PutOptedOutNumberOutput](t, "opted out")(c.PutOptedOutNumber(ctx, &sv.PutOptedOutNumberInput{OptOutListName: aws.String("main"),
		OptedOutNumber: aws.String("+12065550199")}))
	must[*sv.CreateConfigurationSetOutput](t, "config set")(c.CreateConfigurationSet(ctx, &sv.CreateConfigurationSetInput{ConfigurationSetName: aws.String("cs1")}))

	must[*s3.CreateBucketOutput](t, "bucket")(s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = true }).
		CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("exports")}))
	return s
}

func TestScanEmulator(t *testing.T) {
	emu := emulator.New(emulator.Options{})
	url := emutest.Serve(t, emu.Server)
	cfg := emutest.Config(url)
	s := seed(t, cfg, 250)

	var progress bytes.Buffer
	inv, err := Scan(context.Background(), cfg, Options{
		ExportEndpoints: "s3://exports/p2c", ExportRoleARN: "arn:aws:iam::111122223333:role/export",
		ExportPoll: 20 * time.Millisecond, ExportTimeout: 10 * time.Second,
		MaxBackoff: 50 * time.Millisecond, Progress: &progress,
		Now: func() time.Time { return time.Date(2026, 5, 1, 12, 30, 0, 0, time.UTC) },
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range inv.Warnings {
		t.Logf("warning: %+v", w)
	}
	for _, f := range inv.Facts {
		t.Logf("fact: %s %s %s %s", f.Kind, f.Operation, f.Resource, f.Code)
	}
	if len(inv.Regions) != 1 || len(inv.Regions[0].Apps) != 1 {
		t.Fatalf("regions/apps: %+v", inv.Regions)
	}
	r := inv.Regions[0]
	a := r.Apps[0]
	if a.ID != s.appID || a.Name != "shop" || a.Tags["team"] != "growth" {
		t.Errorf("app = %s %s %v", a.ID, a.Name, a.Tags)
	}
	if !bytes.Contains(a.Object, []byte(`"tags":{"team":"growth"}`)) {
		t.Errorf("app object lost its wire tags: %s", a.Object)
	}
	if inv.Account != "111122223333" {
		t.Errorf("account = %q", inv.Account)
	}
	// Three 30-day windows per KPI name cover the default 90 days, unless
	// the service says a name is unknown.
	if len(a.KPIs) == 0 && !hasFact(inv, inventory.FactUnavailable, "GetApplicationDateRangeKpi") {
		t.Errorf("no app KPIs and no fact saying why")
	}
	t.Logf("app KPIs: %d, campaign KPIs: %d", len(a.KPIs), len(a.Campaigns[0].KPIs))
	if len(a.Settings) == 0 {
		t.Errorf("no settings")
	}
	if _, ok := a.Channels["SMS"]; !ok {
		t.Errorf("SMS channel missing: %v", keys(a.Channels))
	}
	if !hasFact(inv, inventory.FactNotConfigured, "GetEmailChannel") || !hasFact(inv, inventory.FactNotConfigured, "GetEventStream") {
		t.Errorf("missing not-configured facts")
	}
	if len(a.Segments) != 1 || len(a.Segments[0].Versions) != 2 || a.Segments[0].Version != 2 {
		t.Errorf("segments: %+v", a.Segments)
	}
	if len(a.Campaigns) != 1 || a.Campaigns[0].ID != s.campID {
		t.Errorf("campaigns: %+v", a.Campaigns)
	}
	if len(a.Journeys) != 1 || !bytes.Contains(a.Journeys[0].Object, []byte(`"segmentDimensions"`)) {
		t.Errorf("journey lost segmentDimensions: %+v", a.Journeys)
	}
	var welcome *inventory.Template
	for i := range r.Templates {
		if r.Templates[i].Name == "welcome" {
			welcome = &r.Templates[i]
		}
	}
	if welcome == nil || len(welcome.Versions) != 2 || !bytes.Contains(welcome.Versions[1].Object, []byte("<b>")) {
		t.Errorf("welcome template: %+v", welcome)
	}

	// Endpoint export statistics.
	st := a.EndpointStats
	if st == nil {
		t.Fatalf("no endpoint stats; export = %+v", a.EndpointExport)
	}
	if st.Total != 250 || st.Users != 125 || st.ByChannel["SMS"] != 125 {
		t.Errorf("stats: total %d users %d by channel %v", st.Total, st.Users, st.ByChannel)
	}
	if len(st.EndpointsPerUser) != 1 || st.EndpointsPerUser[0] != (inventory.HistogramBucket{Endpoints: 2, Users: 125}) {
		t.Errorf("endpoints per user: %+v", st.EndpointsPerUser)
	}
	if !strings.HasPrefix(a.EndpointExport.S3URLPrefix, "s3://exports/p2c/"+s.appID+"/") || a.EndpointExport.Status != "COMPLETED" {
		t.Errorf("export: %+v", a.EndpointExport)
	}

	// EUM.
	e := r.EUM
	if len(e.PhoneNumbers) != 1 || len(e.Pools) != 1 || len(e.Pools[0].OriginationIdentities) != 1 {
		t.Errorf("eum numbers/pools: %d %+v", len(e.PhoneNumbers), e.Pools)
	}
	if len(e.OptOutLists) == 0 {
		t.Errorf("no opt-out lists")
	}
	found := false
	for _, l := range e.OptOutLists {
		for _, n := range l.OptedOutNumbers {
			found = found || bytes.Contains(n, []byte("+12065550199"))
		}
	}
	if !found {
		t.Errorf("opted-out number missing: %+v", e.OptOutLists)
	}
	if len(e.Keywords) == 0 || len(e.ConfigurationSets) != 1 {
		t.Errorf("keywords %+v config sets %d", e.Keywords, len(e.ConfigurationSets))
	}

	// Cross references.
	wantRef(t, inv.References, inventory.KindCampaign, "SegmentId", inventory.KindSegment, s.segID, "1")
	wantRef(t, inv.References, inventory.KindCampaign, "TemplateConfiguration.EmailTemplate", inventory.KindTemplate, "welcome", "1")
	wantRef(t, inv.References, inventory.KindJourney, "StartCondition.SegmentStartCondition.SegmentId", inventory.KindSegment, s.segID, "")
	wantRef(t, inv.References, inventory.KindJourney, "Activities[a1].EMAIL.TemplateName", inventory.KindTemplate, "welcome", "")
	wantRef(t, inv.Dangling, inventory.KindCampaign, "AdditionalTreatments[1].TemplateConfiguration.EmailTemplate", inventory.KindTemplate, "gone", "")
	if len(inv.Dangling) != 1 {
		t.Errorf("dangling: %+v", inv.Dangling)
	}
	if len(inv.ReferencesTo(inventory.KindTemplate, "us-east-1", "", "welcome")) != 2 {
		t.Errorf("welcome should be used twice")
	}

	// The snapshot round-trips and a second scan is byte-identical.
	path := filepath.Join(t.TempDir(), "inventory.json")
	if err := inventory.Write(path, inv); err != nil {
		t.Fatal(err)
	}
	back, err := inventory.Read(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(back.Regions[0].Apps[0].Segments) != 1 {
		t.Errorf("round trip lost segments")
	}
	if !strings.Contains(progress.String(), "us-east-1: 1 apps") {
		t.Errorf("progress: %q", progress.String())
	}
}

func TestScanDeterministic(t *testing.T) {
	emu := emulator.New(emulator.Options{})
	cfg := emutest.Config(emutest.Serve(t, emu.Server))
	now := func() time.Time { return time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC) }
	// Metrics carry the service's evaluation time; freeze it.
	emu.Pinpoint.SetClock(now)
	seed(t, cfg, 20)
	var out [2][]byte
	for i := range out {
		inv, err := Scan(context.Background(), cfg, Options{Concurrency: 3 + i*5, Now: now, MaxBackoff: 50 * time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		if out[i], err = inventory.Marshal(inv); err != nil {
			t.Fatal(err)
		}
	}
	if !bytes.Equal(out[0], out[1]) {
		a, b := strings.Split(string(out[0]), "\n"), strings.Split(string(out[1]), "\n")
		for i := range min(len(a), len(b)) {
			if a[i] != b[i] {
				t.Fatalf("two scans differ at line %d:\n%s\n%s", i+1, a[i], b[i])
			}
		}
		t.Errorf("two scans differ in length")
	}
}

// TestScanRetired checks that a retired Pinpoint becomes facts and the scan
// still reads what continues (apps, SMS channel, End User Messaging).
func TestScanRetired(t *testing.T) {
	emu := emulator.New(emulator.Options{})
	url := emutest.Serve(t, emu.Server)
	cfg := emutest.Config(url)
	s := seed(t, cfg, 10)
	emu.SetOptions(emulator.Options{Retired: true})
	inv, err := Scan(context.Background(), cfg, Options{MaxBackoff: 50 * time.Millisecond,
		ExportEndpoints: "s3://exports/p2c", ExportRoleARN: "arn:aws:iam::111122223333:role/export"})
	if err != nil {
		t.Fatal(err)
	}
	r := inv.Regions[0]
	if len(r.Apps) != 1 || r.Apps[0].ID != s.appID {
		t.Fatalf("apps: %+v", r.Apps)
	}
	a := r.Apps[0]
	if _, ok := a.Channels["SMS"]; !ok {
		t.Errorf("the SMS channel continues after end of support")
	}
	for _, op := range []string{"GetSegments", "GetCampaigns", "ListJourneys", "ListTemplates", "GetApplicationSettings", "CreateExportJob"} {
		if !hasFact(inv, inventory.FactRetired, op) {
			t.Errorf("no retired fact for %s", op)
		}
	}
	for _, f := range inv.Facts {
		if f.Kind == inventory.FactRetired && !strings.Contains(f.Message, "end of support") {
			t.Errorf("fact message: %q", f.Message)
		}
	}
	if len(r.EUM.PhoneNumbers) != 1 {
		t.Errorf("EUM must still be read")
	}
	// Retired operations are asked once per region, not once per app.
	if n := emu.Calls()["mobiletargeting:GetSegments"]; n != 0 {
		t.Errorf("GetSegments answered %d times", n)
	}
}

// TestScanThrottled runs against real quotas scaled down so that most
// calls are throttled at first, with injected server errors and latency;
// the retryer must carry the scan through to exactly the inventory of a
// clean run.
func TestScanThrottled(t *testing.T) {
	emu := emulator.New(emulator.Options{})
	cfg := emutest.Config(emutest.Serve(t, emu.Server))
	now := func() time.Time { return time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC) }
	emu.Pinpoint.SetClock(now)
	seed(t, cfg, 10)
	scan := func() []byte {
		t.Helper()
		inv, err := Scan(context.Background(), cfg, Options{Concurrency: 16, MaxBackoff: 100 * time.Millisecond, MaxAttempts: 100, Now: now})
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range inv.Warnings {
			t.Errorf("warning: %+v", w)
		}
		b, err := inventory.Marshal(inv)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	clean := scan()
	emu.SetOptions(emulator.Options{Quotas: true, QuotaScale: 0.3, ErrorRate: 0.05, Latency: time.Millisecond})
	faulty := scan()
	if !bytes.Equal(clean, faulty) {
		a, b := strings.Split(string(clean), "\n"), strings.Split(string(faulty), "\n")
		for i := range min(len(a), len(b)) {
			if a[i] != b[i] {
				t.Fatalf("throttled scan differs from the clean one at line %d:\n%s\n%s", i+1, a[i], b[i])
			}
		}
		t.Fatalf("throttled scan differs from the clean one in length")
	}
	if n := emu.Calls()["mobiletargeting:GetSegments"]; n == 0 {
		t.Errorf("no calls reached the emulator")
	}
}

func hasFact(inv *inventory.Inventory, kind, op string) bool {
	for _, f := range inv.Facts {
		if f.Kind == kind && f.Operation == op {
			return true
		}
	}
	return false
}

func wantRef(t *testing.T, refs []inventory.Reference, from, field, to, id, version string) {
	t.Helper()
	for _, r := range refs {
		if r.From.Kind == from && strings.HasPrefix(r.Field, field) && r.To.Kind == to && r.To.ID == id && r.To.Version == version {
			return
		}
	}
	b, _ := json.MarshalIndent(refs, "", " ")
	t.Errorf("no reference %s.%s -> %s %s@%s in\n%s", from, field, to, id, version, b)
}

func keys[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
