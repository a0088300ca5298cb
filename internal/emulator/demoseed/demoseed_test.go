package demoseed

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/pinpoint"
	"github.com/aws/aws-sdk-go-v2/service/pinpoint/types"
	sms "github.com/aws/aws-sdk-go-v2/service/pinpointsmsvoicev2"
	smstypes "github.com/aws/aws-sdk-go-v2/service/pinpointsmsvoicev2/types"

	"github.com/p2c/p2c/internal/awsmodel"
	"github.com/p2c/p2c/internal/emulator"
)

// demo is the applied demo account, shared by the tests of this package:
// applying it once keeps the package fast.
type demo struct {
	e    *emulator.Emulator
	vars map[string]string
	url  string
	srv  *httptest.Server
}

var applied *demo

func TestMain(m *testing.M) {
	code := m.Run()
	if applied != nil {
		applied.srv.Close()
	}
	os.Exit(code)
}

func applyDemo(t testing.TB) *demo {
	t.Helper()
	if applied != nil {
		return applied
	}
	e := emulator.New(emulator.Options{})
	start := time.Now()
	vars, err := e.Apply(Demo())
	if err != nil {
		t.Fatalf("apply demo: %v", err)
	}
	// The target is well under 3s (see BenchmarkApplyDemo: about 0.7s);
	// the test only catches gross regressions, since a loaded machine
	// slows it down several times.
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("applying the demo seed took %v, want under 3s", d)
	} else {
		t.Logf("applied the demo seed in %v", d)
	}
	srv := httptest.NewServer(e)
	applied = &demo{e: e, vars: vars, url: srv.URL, srv: srv}
	return applied
}

func cfg(region string) aws.Config {
	return aws.Config{Region: region, Credentials: credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", "secret", "")}
}

func (d *demo) pinpoint(region string) *pinpoint.Client {
	return pinpoint.NewFromConfig(cfg(region), func(o *pinpoint.Options) { o.BaseEndpoint = aws.String(d.url) })
}

func (d *demo) sms() *sms.Client {
	return sms.NewFromConfig(cfg(Region), func(o *sms.Options) { o.BaseEndpoint = aws.String(d.url) })
}

// TestDemoInputsMatchModels checks every recorded input against the
// service models strictly, so that no member is silently ignored.
func TestDemoInputsMatchModels(t *testing.T) {
	for i, c := range Demo().Calls {
		if c.Service == "emulator" || c.Service == "s3" {
			continue
		}
		m := awsmodel.MustLoad(c.Service)
		op := m.Operations[c.Operation]
		if op == nil {
			t.Fatalf("call %d: unknown operation %s %s", i+1, c.Service, c.Operation)
		}
		for _, p := range m.Validate(op.Input.Shape, c.Input, true) {
			// ${name} references are resolved when the seed is applied.
			if strings.Contains(p.Message, "${") {
				continue
			}
			t.Errorf("call %d (%s %s): %v", i+1, c.Service, c.Operation, p)
		}
	}
}

func TestDemoDeterministic(t *testing.T) {
	a, err := json.Marshal(Demo())
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(Demo())
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a, b) {
		t.Fatal("Demo() returned different seeds on two calls")
	}
	// A seed file decodes to the same seed.
	var back emulator.Seed
	if err := json.Unmarshal(a, &back); err != nil {
		t.Fatal(err)
	}
	c, _ := json.Marshal(&back)
	if !bytes.Equal(a, c) {
		t.Fatal("the demo seed does not survive a JSON round trip")
	}
}

// TestWriteExample writes the demo seed as a seed file when
// P2C_WRITE_DEMO_SEED names one: `P2C_WRITE_DEMO_SEED=/tmp/demo.json go test
// -run TestWriteExample ./internal/emulator/demoseed`.
func TestWriteExample(t *testing.T) {
	path := os.Getenv("P2C_WRITE_DEMO_SEED")
	if path == "" {
		t.Skip("set P2C_WRITE_DEMO_SEED to a file name to write the demo seed")
	}
	raw, err := json.MarshalIndent(Demo(), "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, append(raw, '\n'), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := emulator.LoadSeed(path); err != nil {
		t.Fatal(err)
	}
}

// listing pages helpers ---------------------------------------------------

func apps(t *testing.T, c *pinpoint.Client) []types.ApplicationResponse {
	t.Helper()
	var out []types.ApplicationResponse
	var tok *string
	for {
		res, err := c.GetApps(context.Background(), &pinpoint.GetAppsInput{Token: tok})
		if err != nil {
			t.Fatalf("get apps: %v", err)
		}
		out = append(out, res.ApplicationsResponse.Item...)
		if tok = res.ApplicationsResponse.NextToken; tok == nil {
			return out
		}
	}
}

func segments(t *testing.T, c *pinpoint.Client, app string) []types.SegmentResponse {
	t.Helper()
	var out []types.SegmentResponse
	var tok *string
	for {
		res, err := c.GetSegments(context.Background(), &pinpoint.GetSegmentsInput{ApplicationId: &app, Token: tok})
		if err != nil {
			t.Fatalf("get segments: %v", err)
		}
		out = append(out, res.SegmentsResponse.Item...)
		if tok = res.SegmentsResponse.NextToken; tok == nil {
			return out
		}
	}
}

func campaigns(t *testing.T, c *pinpoint.Client, app string) []types.CampaignResponse {
	t.Helper()
	var out []types.CampaignResponse
	var tok *string
	for {
		res, err := c.GetCampaigns(context.Background(), &pinpoint.GetCampaignsInput{ApplicationId: &app, Token: tok})
		if err != nil {
			t.Fatalf("get campaigns: %v", err)
		}
		out = append(out, res.CampaignsResponse.Item...)
		if tok = res.CampaignsResponse.NextToken; tok == nil {
			return out
		}
	}
}

func journeys(t *testing.T, c *pinpoint.Client, app string) []types.JourneyResponse {
	t.Helper()
	var out []types.JourneyResponse
	var tok *string
	for {
		res, err := c.ListJourneys(context.Background(), &pinpoint.ListJourneysInput{ApplicationId: &app, Token: tok})
		if err != nil {
			t.Fatalf("list journeys: %v", err)
		}
		out = append(out, res.JourneysResponse.Item...)
		if tok = res.JourneysResponse.NextToken; tok == nil {
			return out
		}
	}
}

func templates(t *testing.T, c *pinpoint.Client) []types.TemplateResponse {
	t.Helper()
	var out []types.TemplateResponse
	var tok *string
	for {
		res, err := c.ListTemplates(context.Background(), &pinpoint.ListTemplatesInput{NextToken: tok})
		if err != nil {
			t.Fatalf("list templates: %v", err)
		}
		out = append(out, res.TemplatesResponse.Item...)
		if tok = res.TemplatesResponse.NextToken; tok == nil {
			return out
		}
	}
}

// allApps lists the apps of both regions with their clients.
func (d *demo) allApps(t *testing.T) map[string]*pinpoint.Client {
	out := map[string]*pinpoint.Client{}
	for _, r := range []string{Region, EURegion} {
		c := d.pinpoint(r)
		for _, a := range apps(t, c) {
			out[*a.Id] = c
		}
	}
	return out
}

// Counts ------------------------------------------------------------------

func TestDemoApps(t *testing.T) {
	d := applyDemo(t)
	ctx := context.Background()
	us := apps(t, d.pinpoint(Region))
	eu := apps(t, d.pinpoint(EURegion))
	if len(us) < 3 || len(eu) < 1 {
		t.Fatalf("apps: %d in %s, %d in %s; want 3 and 1", len(us), Region, len(eu), EURegion)
	}
	c := d.pinpoint(Region)
	platforms := map[string]bool{}
	for _, a := range us {
		if len(a.Tags) == 0 {
			t.Errorf("app %s has no tags", *a.Name)
		}
		ch, err := c.GetChannels(ctx, &pinpoint.GetChannelsInput{ApplicationId: a.Id})
		if err != nil {
			t.Fatal(err)
		}
		for p := range ch.ChannelsResponse.Channels {
			platforms[p] = true
		}
		s, err := c.GetApplicationSettings(ctx, &pinpoint.GetApplicationSettingsInput{ApplicationId: a.Id})
		if err != nil {
			t.Fatal(err)
		}
		if s.ApplicationSettingsResource.Limits == nil || s.ApplicationSettingsResource.JourneyLimits == nil {
			t.Errorf("app %s: settings without Limits or JourneyLimits", *a.Name)
		}
		es, err := c.GetEventStream(ctx, &pinpoint.GetEventStreamInput{ApplicationId: a.Id})
		if err != nil {
			t.Fatalf("app %s: event stream: %v", *a.Name, err)
		}
		if !strings.HasPrefix(*es.EventStream.DestinationStreamArn, "arn:aws:kinesis:") {
			t.Errorf("app %s: event stream %s is not a Kinesis stream", *a.Name, *es.EventStream.DestinationStreamArn)
		}
	}
	for _, p := range []string{"EMAIL", "SMS", "VOICE", "APNS", "APNS_SANDBOX", "APNS_VOIP", "APNS_VOIP_SANDBOX", "GCM", "BAIDU", "ADM", "IN_APP"} {
		if !platforms[p] {
			t.Errorf("no app has a %s channel", p)
		}
	}
	shop := d.vars[appRetail]
	apns, err := c.GetApnsChannel(ctx, &pinpoint.GetApnsChannelInput{ApplicationId: &shop})
	if err != nil {
		t.Fatal(err)
	}
	if !aws.ToBool(apns.APNSChannelResponse.HasTokenKey) {
		t.Error("the shop's APNs channel has no token key")
	}
	gcm, err := c.GetGcmChannel(ctx, &pinpoint.GetGcmChannelInput{ApplicationId: &shop})
	if err != nil {
		t.Fatal(err)
	}
	if !aws.ToBool(gcm.GCMChannelResponse.HasFcmServiceCredentials) {
		t.Error("the shop's GCM channel has no FCM service JSON")
	}
	rewards := d.vars[appRewards]
	gcm, err = c.GetGcmChannel(ctx, &pinpoint.GetGcmChannelInput{ApplicationId: &rewards})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(gcm.GCMChannelResponse.DefaultAuthenticationMethod) != "KEY" {
		t.Error("the rewards GCM channel does not use an API key")
	}
	recs, err := c.GetRecommenderConfigurations(ctx, &pinpoint.GetRecommenderConfigurationsInput{})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(recs.ListRecommenderConfigurationsResponse.Item); n < 2 {
		t.Errorf("%d recommender configurations, want at least 2", n)
	}
	t.Logf("apps: %d + %d, channel kinds: %d, recommenders: %d", len(us), len(eu), len(platforms), len(recs.ListRecommenderConfigurationsResponse.Item))
}

func TestDemoSegments(t *testing.T) {
	d := applyDemo(t)
	ctx := context.Background()
	seen := map[string]bool{}
	total, multiVersion, threeVersions, imported := 0, 0, 0, 0
	for app, c := range d.allApps(t) {
		for _, s := range segments(t, c, app) {
			total++
			if aws.ToInt32(s.Version) >= 2 {
				multiVersion++
			}
			if aws.ToInt32(s.Version) >= 3 {
				threeVersions++
			}
			if s.SegmentType == types.SegmentTypeImport {
				imported++
				if s.ImportDefinition == nil || aws.ToInt32(s.ImportDefinition.Size) == 0 {
					t.Errorf("imported segment %s has no members", aws.ToString(s.Name))
				}
			}
			dimensionKinds(seen, s.Dimensions)
			if g := s.SegmentGroups; g != nil {
				seen["Include."+string(g.Include)] = true
				for _, grp := range g.Groups {
					seen["GroupType."+string(grp.Type)] = true
					for _, dim := range grp.Dimensions {
						dimensionKinds(seen, &dim)
					}
					for _, src := range grp.SourceSegments {
						if src.Version != nil {
							seen["SourceSegment.versioned"] = true
						} else {
							seen["SourceSegment.latest"] = true
						}
					}
				}
			}
		}
	}
	// Version history reads back through GetSegmentVersions.
	shop := d.vars[appRetail]
	outdoor := d.vars["seg.shop.outdoor"]
	vs, err := d.pinpoint(Region).GetSegmentVersions(ctx, &pinpoint.GetSegmentVersionsInput{ApplicationId: &shop, SegmentId: &outdoor})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(vs.SegmentsResponse.Item); n != 3 {
		t.Errorf("segment %s has %d versions, want 3", outdoor, n)
	}
	for _, k := range []string{
		"Demographic.Channel", "Demographic.Platform", "Demographic.AppVersion", "Demographic.Make", "Demographic.Model", "Demographic.DeviceType",
		"Location.Country", "Location.GPSPoint",
		"Attributes.INCLUSIVE", "Attributes.EXCLUSIVE", "Attributes.CONTAINS", "Attributes.BEFORE", "Attributes.AFTER", "Attributes.ON", "Attributes.BETWEEN",
		"UserAttributes", "Metrics.GREATER_THAN", "Metrics.LESS_THAN", "Metrics.GREATER_THAN_OR_EQUAL", "Metrics.LESS_THAN_OR_EQUAL", "Metrics.EQUAL",
		"Recency.ACTIVE", "Recency.INACTIVE", "Include.ALL", "Include.ANY", "Include.NONE", "GroupType.ALL", "GroupType.ANY", "GroupType.NONE",
		"SourceSegment.versioned", "SourceSegment.latest",
	} {
		if !seen[k] {
			t.Errorf("no segment uses %s", k)
		}
	}
	if total < 25 || multiVersion < 3 || threeVersions < 1 || imported < 2 {
		t.Errorf("segments: %d (%d with 2+ versions, %d with 3, %d imported); want 25+, 3+, 1+, 2+", total, multiVersion, threeVersions, imported)
	}
	t.Logf("segments: %d, with 2+ versions: %d, imported: %d", total, multiVersion, imported)
}

func dimensionKinds(seen map[string]bool, d *types.SegmentDimensions) {
	if d == nil {
		return
	}
	if dm := d.Demographic; dm != nil {
		for name, set := range map[string]*types.SetDimension{"Channel": dm.Channel, "Platform": dm.Platform, "AppVersion": dm.AppVersion,
			"Make": dm.Make, "Model": dm.Model, "DeviceType": dm.DeviceType} {
			if set != nil {
				seen["Demographic."+name] = true
			}
		}
	}
	if l := d.Location; l != nil {
		if l.Country != nil {
			seen["Location.Country"] = true
		}
		if l.GPSPoint != nil {
			seen["Location.GPSPoint"] = true
		}
	}
	for _, a := range d.Attributes {
		seen["Attributes."+string(a.AttributeType)] = true
	}
	if len(d.UserAttributes) > 0 {
		seen["UserAttributes"] = true
	}
	for _, m := range d.Metrics {
		seen["Metrics."+aws.ToString(m.ComparisonOperator)] = true
	}
	if d.Behavior != nil && d.Behavior.Recency != nil {
		seen["Recency."+string(d.Behavior.Recency.RecencyType)] = true
	}
}

func TestDemoTemplates(t *testing.T) {
	d := applyDemo(t)
	ctx := context.Background()
	c := d.pinpoint(Region)
	all := templates(t, c)
	all = append(all, templates(t, d.pinpoint(EURegion))...)
	byType := map[types.TemplateType]int{}
	for _, tm := range all {
		byType[tm.TemplateType]++
	}
	for _, typ := range []types.TemplateType{types.TemplateTypeEmail, types.TemplateTypeSms, types.TemplateTypePush, types.TemplateTypeVoice, types.TemplateTypeInapp} {
		if byType[typ] == 0 {
			t.Errorf("no %s template", typ)
		}
	}
	if len(all) < 20 {
		t.Errorf("%d templates, want at least 20", len(all))
	}
	vs, err := c.ListTemplateVersions(ctx, &pinpoint.ListTemplateVersionsInput{TemplateName: aws.String(tWelcomeEmail), TemplateType: aws.String("EMAIL")})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(vs.TemplateVersionsResponse.Item); n != 3 {
		t.Errorf("%s has %d versions, want 3", tWelcomeEmail, n)
	}
	w, err := c.GetEmailTemplate(ctx, &pinpoint.GetEmailTemplateInput{TemplateName: aws.String(tWelcomeEmail)})
	if err != nil {
		t.Fatal(err)
	}
	if v := aws.ToString(w.EmailTemplateResponse.Version); v != "2" {
		t.Errorf("%s: active version %s, want 2 (not the latest)", tWelcomeEmail, v)
	}
	cart, err := c.GetEmailTemplate(ctx, &pinpoint.GetEmailTemplateInput{TemplateName: aws.String(tCartEmail)})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(cart.EmailTemplateResponse.RecommenderId) != d.vars["rec.products"] ||
		!strings.Contains(aws.ToString(cart.EmailTemplateResponse.HtmlPart), "{{Recommendations.Title.[0]}}") {
		t.Errorf("%s does not use the product recommender", tCartEmail)
	}
	oc, err := c.GetEmailTemplate(ctx, &pinpoint.GetEmailTemplateInput{TemplateName: aws.String(tOrderConfirm)})
	if err != nil {
		t.Fatal(err)
	}
	if len(oc.EmailTemplateResponse.Headers) == 0 {
		t.Errorf("%s has no headers", tOrderConfirm)
	}
	otp, err := c.GetSmsTemplate(ctx, &pinpoint.GetSmsTemplateInput{TemplateName: aws.String(tOTPLogin)})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(aws.ToString(otp.SMSTemplateResponse.Body), "{{Code}}") {
		t.Errorf("%s has no {{Code}}", tOTPLogin)
	}
	// Placeholders a migration must rewrite appear somewhere.
	var text strings.Builder
	for _, tm := range all {
		switch tm.TemplateType {
		case types.TemplateTypeEmail:
			r, err := c.GetEmailTemplate(ctx, &pinpoint.GetEmailTemplateInput{TemplateName: tm.TemplateName})
			if err == nil {
				text.WriteString(aws.ToString(r.EmailTemplateResponse.HtmlPart) + aws.ToString(r.EmailTemplateResponse.Subject))
			}
		case types.TemplateTypeSms:
			r, err := c.GetSmsTemplate(ctx, &pinpoint.GetSmsTemplateInput{TemplateName: tm.TemplateName})
			if err != nil {
				t.Fatal(err)
			}
			text.WriteString(aws.ToString(r.SMSTemplateResponse.Body))
		}
	}
	for _, p := range []string{"{{User.UserAttributes.FirstName}}", "{{Attributes.", "{{Location.City}}", "{{Demographic.Locale}}", "{{User.UserId}}",
		"{{Address}}", "{{Metrics.", "{{User.UserAttributes.FirstName.[0]}}", "{{#if", "{{#each", "(eq ", "{{#unless", "(now)", "{{formatDate"} {
		if !strings.Contains(text.String(), p) {
			t.Errorf("no email or SMS template uses %s", p)
		}
	}
	t.Logf("templates: %d %v", len(all), byType)
}

func TestDemoCampaigns(t *testing.T) {
	d := applyDemo(t)
	ctx := context.Background()
	seen := map[string]bool{}
	total := 0
	for app, c := range d.allApps(t) {
		for _, cp := range campaigns(t, c, app) {
			total++
			s := cp.Schedule
			seen["Frequency."+string(s.Frequency)] = true
			if aws.ToBool(s.IsLocalTime) && s.QuietTime != nil {
				seen["IsLocalTime+QuietTime"] = true
			}
			if s.Timezone != nil {
				seen["Timezone"] = true
			}
			if s.EventFilter != nil && s.EventFilter.Dimensions != nil {
				seen["EventFilter"] = true
			}
			if s.EndTime != nil && s.Frequency != types.FrequencyOnce {
				seen["EndTime"] = true
			}
			if l := cp.Limits; l != nil {
				for name, v := range map[string]*int32{"Daily": l.Daily, "Total": l.Total, "MessagesPerSecond": l.MessagesPerSecond, "MaximumDuration": l.MaximumDuration, "Session": l.Session} {
					if v != nil {
						seen["Limits."+name] = true
					}
				}
			}
			if len(cp.AdditionalTreatments) > 0 && cp.HoldoutPercent != nil {
				seen["A/B+holdout"] = true
			}
			if cp.Hook != nil && cp.Hook.Mode == types.ModeFilter {
				seen["Hook.FILTER"] = true
			}
			if cp.CustomDeliveryConfiguration != nil {
				seen["Custom"] = true
			}
			if mc := cp.MessageConfiguration; mc != nil && mc.SMSMessage != nil {
				seen["SMS."+string(mc.SMSMessage.MessageType)] = true
			}
			if tc := cp.TemplateConfiguration; tc != nil {
				if tc.EmailTemplate != nil {
					seen["EMAIL"] = true
				}
				if tc.PushTemplate != nil {
					seen["PUSH"] = true
				}
				if tc.InAppTemplate != nil && cp.Priority != nil {
					seen["IN_APP"] = true
				}
			}
			if cp.State != nil && cp.State.CampaignStatus == types.CampaignStatusPaused {
				seen["PAUSED"] = true
			}
			if aws.ToInt32(cp.Version) >= 2 {
				seen["versions"] = true
			}
		}
	}
	for _, k := range []string{"Frequency.ONCE", "Frequency.HOURLY", "Frequency.DAILY", "Frequency.WEEKLY", "Frequency.MONTHLY", "Frequency.EVENT", "Frequency.IN_APP_EVENT",
		"IsLocalTime+QuietTime", "Timezone", "EventFilter", "EndTime", "Limits.Daily", "Limits.Total", "Limits.MessagesPerSecond", "Limits.MaximumDuration", "Limits.Session",
		"A/B+holdout", "Hook.FILTER", "Custom", "SMS.TRANSACTIONAL", "SMS.PROMOTIONAL", "EMAIL", "PUSH", "IN_APP", "PAUSED", "versions"} {
		if !seen[k] {
			t.Errorf("no campaign has %s", k)
		}
	}
	if total < 15 {
		t.Errorf("%d campaigns, want at least 15", total)
	}
	shop := d.vars[appRetail]
	ab := d.vars["camp.shop.ab"]
	vs, err := d.pinpoint(Region).GetCampaignVersions(ctx, &pinpoint.GetCampaignVersionsInput{ApplicationId: &shop, CampaignId: &ab})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(vs.CampaignsResponse.Item); n != 2 {
		t.Errorf("A/B campaign has %d versions, want 2", n)
	}
	t.Logf("campaigns: %d", total)
}

func TestDemoJourneys(t *testing.T) {
	d := applyDemo(t)
	seen := map[string]bool{}
	total := 0
	for app, c := range d.allApps(t) {
		for _, j := range journeys(t, c, app) {
			total++
			seen["State."+string(j.State)] = true
			if len(j.Activities) == 1 {
				seen["one-message"] = true
			}
			for _, a := range j.Activities {
				for name, set := range map[string]bool{"EMAIL": a.EMAIL != nil, "SMS": a.SMS != nil, "PUSH": a.PUSH != nil, "CUSTOM": a.CUSTOM != nil,
					"Wait": a.Wait != nil, "ConditionalSplit": a.ConditionalSplit != nil, "MultiCondition": a.MultiCondition != nil,
					"RandomSplit": a.RandomSplit != nil, "Holdout": a.Holdout != nil, "ContactCenter": a.ContactCenter != nil} {
					if set {
						seen[name] = true
					}
				}
				if a.Wait != nil && a.Wait.WaitTime != nil {
					seen["WaitFor"] = seen["WaitFor"] || a.Wait.WaitTime.WaitFor != nil
					seen["WaitUntil"] = seen["WaitUntil"] || a.Wait.WaitTime.WaitUntil != nil
				}
				if cs := a.ConditionalSplit; cs != nil && cs.Condition != nil {
					for _, sc := range cs.Condition.Conditions {
						if sc.EventCondition != nil && sc.EventCondition.MessageActivity != nil {
							seen["EventCondition.MessageActivity"] = true
						}
						if sc.SegmentCondition != nil {
							seen["SegmentCondition"] = true
						}
					}
				}
				if mc := a.MultiCondition; mc != nil {
					for _, br := range mc.Branches {
						if br.Condition != nil && br.Condition.SegmentDimensions != nil {
							seen["Branch.segmentDimensions"] = true
						}
					}
				}
			}
			if l := j.Limits; l != nil && l.DailyCap != nil && l.EndpointReentryCap != nil && l.EndpointReentryInterval != nil &&
				l.MessagesPerSecond != nil && l.TimeframeCap != nil && l.TotalCap != nil {
				seen["Limits"] = true
			}
			for name, set := range map[string]bool{
				"QuietTime": j.QuietTime != nil, "LocalTime": aws.ToBool(j.LocalTime), "RefreshFrequency": j.RefreshFrequency != nil,
				"RefreshOnSegmentUpdate": aws.ToBool(j.RefreshOnSegmentUpdate), "WaitForQuietTime": aws.ToBool(j.WaitForQuietTime),
				"OpenHours": j.OpenHours != nil, "ClosedDays": j.ClosedDays != nil, "SendingSchedule": aws.ToBool(j.SendingSchedule),
				"Schedule":               j.Schedule != nil && j.Schedule.StartTime != nil && j.Schedule.EndTime != nil && j.Schedule.Timezone != nil,
				"JourneyChannelSettings": j.JourneyChannelSettings != nil && j.JourneyChannelSettings.ConnectCampaignArn != nil,
				"SegmentStartCondition":  j.StartCondition != nil && j.StartCondition.SegmentStartCondition != nil,
				"EventStartCondition":    j.StartCondition != nil && j.StartCondition.EventStartCondition != nil,
			} {
				if set {
					seen[name] = true
				}
			}
		}
	}
	for _, k := range []string{"EMAIL", "SMS", "PUSH", "CUSTOM", "Wait", "ConditionalSplit", "MultiCondition", "RandomSplit", "Holdout", "ContactCenter",
		"WaitFor", "WaitUntil", "EventCondition.MessageActivity", "SegmentCondition", "Branch.segmentDimensions",
		"Limits", "QuietTime", "LocalTime", "RefreshFrequency", "RefreshOnSegmentUpdate", "WaitForQuietTime", "OpenHours", "ClosedDays", "SendingSchedule",
		"Schedule", "JourneyChannelSettings", "SegmentStartCondition", "EventStartCondition",
		"State.DRAFT", "State.ACTIVE", "State.PAUSED", "State.CANCELLED", "one-message"} {
		if !seen[k] {
			t.Errorf("no journey has %s", k)
		}
	}
	if total < 6 {
		t.Errorf("%d journeys, want at least 6", total)
	}
	t.Logf("journeys: %d", total)
}

func TestDemoEndpoints(t *testing.T) {
	d := applyDemo(t)
	ctx := context.Background()
	total := int32(0)
	for app, c := range d.allApps(t) {
		job, err := c.CreateExportJob(ctx, &pinpoint.CreateExportJobInput{ApplicationId: aws.String(app), ExportJobRequest: &types.ExportJobRequest{
			RoleArn: aws.String(iamRole("pinpoint-export")), S3UrlPrefix: aws.String("s3://northwind-pinpoint-imports/exports/")}})
		if err != nil {
			t.Fatalf("export %s: %v", app, err)
		}
		for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(50 * time.Millisecond) {
			res, err := c.GetExportJob(ctx, &pinpoint.GetExportJobInput{ApplicationId: aws.String(app), JobId: job.ExportJobResponse.Id})
			if err != nil {
				t.Fatal(err)
			}
			if res.ExportJobResponse.JobStatus == types.JobStatusCompleted {
				total += aws.ToInt32(res.ExportJobResponse.TotalProcessed)
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("export of %s did not complete", app)
			}
		}
	}
	if total < 10000 {
		t.Errorf("%d endpoints, want at least 10000", total)
	}
	c := d.pinpoint(Region)
	shop := d.vars[appRetail]
	odd, err := c.GetEndpoint(ctx, &pinpoint.GetEndpointInput{ApplicationId: &shop, EndpointId: aws.String("odd-plus-address")})
	if err != nil {
		t.Fatal(err)
	}
	if odd.EndpointResponse.CohortId == nil {
		t.Error("endpoint has no CohortId")
	}
	u, err := c.GetUserEndpoints(ctx, &pinpoint.GetUserEndpointsInput{ApplicationId: &shop, UserId: aws.String("nw-shop-100001")})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(u.EndpointsResponse.Item); n < 2 {
		t.Errorf("user nw-shop-100001 has %d endpoints, want several", n)
	}
	t.Logf("endpoints: %d", total)
}

func TestDemoAnalytics(t *testing.T) {
	d := applyDemo(t)
	ctx := context.Background()
	c := d.pinpoint(Region)
	shop := d.vars[appRetail]
	// The API answers at most 31 days at a time: read the 90 days in three.
	appRows, campRows, jrnRows := 0, 0, 0
	jid := d.vars["jrn.shop.welcome"]
	for _, w := range [][2]string{{"2026-08-01", "2026-08-30"}, {"2026-08-31", "2026-09-29"}, {"2026-09-30", "2026-10-29"}} {
		from, _ := time.Parse(time.RFC3339, w[0]+"T00:00:00Z")
		to, _ := time.Parse(time.RFC3339, w[1]+"T23:00:00Z")
		app, err := c.GetApplicationDateRangeKpi(ctx, &pinpoint.GetApplicationDateRangeKpiInput{ApplicationId: &shop,
			KpiName: aws.String("unique-deliveries-grouped-by-date"), StartTime: &from, EndTime: &to})
		if err != nil {
			t.Fatal(err)
		}
		appRows += len(app.ApplicationDateRangeKpiResponse.KpiResult.Rows)
		cp, err := c.GetCampaignDateRangeKpi(ctx, &pinpoint.GetCampaignDateRangeKpiInput{ApplicationId: &shop, CampaignId: aws.String(d.vars["camp.shop.cart"]),
			KpiName: aws.String("email-open-rate-grouped-by-date"), StartTime: &from, EndTime: &to})
		if err != nil {
			t.Fatal(err)
		}
		campRows += len(cp.CampaignDateRangeKpiResponse.KpiResult.Rows)
		jk, err := c.GetJourneyDateRangeKpi(ctx, &pinpoint.GetJourneyDateRangeKpiInput{ApplicationId: &shop, JourneyId: &jid,
			KpiName: aws.String("unique-deliveries-grouped-by-date"), StartTime: &from, EndTime: &to})
		if err != nil {
			t.Fatal(err)
		}
		jrnRows += len(jk.JourneyDateRangeKpiResponse.KpiResult.Rows)
	}
	if appRows != 90 || campRows != 90 || jrnRows != 90 {
		t.Errorf("daily KPI rows over 90 days: app %d, campaign %d, journey %d; want 90 each", appRows, campRows, jrnRows)
	}
	from, _ := time.Parse(time.RFC3339, "2026-10-01T00:00:00Z")
	to, _ := time.Parse(time.RFC3339, "2026-10-29T23:00:00Z")
	jk, err := c.GetJourneyDateRangeKpi(ctx, &pinpoint.GetJourneyDateRangeKpiInput{ApplicationId: &shop, JourneyId: &jid,
		KpiName: aws.String("successful-delivery-rate"), StartTime: &from, EndTime: &to})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(jk.JourneyDateRangeKpiResponse.KpiResult.Rows); n != 1 {
		t.Errorf("journey KPI total: %d rows, want 1", n)
	}
	acts, err := c.GetCampaignActivities(ctx, &pinpoint.GetCampaignActivitiesInput{ApplicationId: &shop, CampaignId: aws.String(d.vars["camp.shop.digest"])})
	if err != nil {
		t.Fatal(err)
	}
	if len(acts.ActivitiesResponse.Item) == 0 {
		t.Error("the weekly digest has no campaign activities")
	}
	runs, err := c.GetJourneyRuns(ctx, &pinpoint.GetJourneyRunsInput{ApplicationId: &shop, JourneyId: &jid})
	if err != nil {
		t.Fatal(err)
	}
	if len(runs.JourneyRunsResponse.Item) == 0 {
		t.Fatal("the welcome journey has no runs")
	}
	jm, err := c.GetJourneyExecutionMetrics(ctx, &pinpoint.GetJourneyExecutionMetricsInput{ApplicationId: &shop, JourneyId: &jid})
	if err != nil {
		t.Fatal(err)
	}
	if jm.JourneyExecutionMetricsResponse.Metrics["ENDPOINT_ENTERED"] == "" {
		t.Error("journey execution metrics lack ENDPOINT_ENTERED")
	}
	am, err := c.GetJourneyExecutionActivityMetrics(ctx, &pinpoint.GetJourneyExecutionActivityMetricsInput{ApplicationId: &shop, JourneyId: &jid,
		JourneyActivityId: aws.String("welcomeEmail")})
	if err != nil {
		t.Fatal(err)
	}
	if len(am.JourneyExecutionActivityMetricsResponse.Metrics) == 0 {
		t.Error("no activity execution metrics for welcomeEmail")
	}
	run := runs.JourneyRunsResponse.Item[len(runs.JourneyRunsResponse.Item)-1].RunId
	rm, err := c.GetJourneyRunExecutionActivityMetrics(ctx, &pinpoint.GetJourneyRunExecutionActivityMetricsInput{ApplicationId: &shop, JourneyId: &jid,
		RunId: run, JourneyActivityId: aws.String("openedWelcome")})
	if err != nil {
		t.Fatal(err)
	}
	if len(rm.JourneyRunExecutionActivityMetricsResponse.Metrics) == 0 {
		t.Error("no run activity metrics for openedWelcome")
	}
}

func TestDemoEndUserMessaging(t *testing.T) {
	d := applyDemo(t)
	ctx := context.Background()
	c := d.sms()
	nums, err := c.DescribePhoneNumbers(ctx, &sms.DescribePhoneNumbersInput{})
	if err != nil {
		t.Fatal(err)
	}
	types := map[smstypes.NumberType]bool{}
	for _, n := range nums.PhoneNumbers {
		types[n.NumberType] = true
	}
	for _, nt := range []smstypes.NumberType{smstypes.NumberTypeTollFree, smstypes.NumberTypeLongCode, smstypes.NumberTypeTenDlc} {
		if !types[nt] {
			t.Errorf("no %s phone number", nt)
		}
	}
	senders, err := c.DescribeSenderIds(ctx, &sms.DescribeSenderIdsInput{})
	if err != nil {
		t.Fatal(err)
	}
	pools, err := c.DescribePools(ctx, &sms.DescribePoolsInput{})
	if err != nil {
		t.Fatal(err)
	}
	members := 0
	for _, p := range pools.Pools {
		m, err := c.ListPoolOriginationIdentities(ctx, &sms.ListPoolOriginationIdentitiesInput{PoolId: p.PoolId})
		if err != nil {
			t.Fatal(err)
		}
		members += len(m.OriginationIdentities)
	}
	sets, err := c.DescribeConfigurationSets(ctx, &sms.DescribeConfigurationSetsInput{})
	if err != nil {
		t.Fatal(err)
	}
	dests := 0
	for _, s := range sets.ConfigurationSets {
		dests += len(s.EventDestinations)
	}
	opted, err := c.DescribeOptedOutNumbers(ctx, &sms.DescribeOptedOutNumbersInput{OptOutListName: aws.String("northwind-marketing")})
	if err != nil {
		t.Fatal(err)
	}
	kw, err := c.DescribeKeywords(ctx, &sms.DescribeKeywordsInput{OriginationIdentity: aws.String(d.vars["pool.marketing"])})
	if err != nil {
		t.Fatal(err)
	}
	regs, err := c.DescribeRegistrations(ctx, &sms.DescribeRegistrationsInput{})
	if err != nil {
		t.Fatal(err)
	}
	if len(senders.SenderIds) < 1 || len(pools.Pools) < 2 || members < 5 || dests < 3 || len(opted.OptedOutNumbers) < 1 || len(kw.Keywords) < 4 || len(regs.Registrations) < 1 {
		t.Errorf("EUM: %d sender ids, %d pools with %d members, %d event destinations, %d opted-out numbers, %d keywords, %d registrations",
			len(senders.SenderIds), len(pools.Pools), members, dests, len(opted.OptedOutNumbers), len(kw.Keywords), len(regs.Registrations))
	}
	t.Logf("EUM: %d phone numbers, %d sender ids, %d pools (%d members), %d configuration sets (%d destinations), %d opted out, %d keywords, %d registrations",
		len(nums.PhoneNumbers), len(senders.SenderIds), len(pools.Pools), members, len(sets.ConfigurationSets), dests, len(opted.OptedOutNumbers), len(kw.Keywords), len(regs.Registrations))
}

func BenchmarkApplyDemo(b *testing.B) {
	seed := Demo()
	for b.Loop() {
		if _, err := emulator.New(emulator.Options{}).Apply(seed); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDemo(b *testing.B) {
	for b.Loop() {
		Demo()
	}
}
