package pinpoint_test

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/service/pinpoint"
	"github.com/aws/aws-sdk-go-v2/service/pinpoint/types"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/p2c/p2c/internal/emulator"
	"github.com/p2c/p2c/internal/emulator/emutest"
	pp "github.com/p2c/p2c/internal/emulator/pinpoint"
)

func TestValidationErrors(t *testing.T) {
	v := newEnv(t, emulator.Options{})
	app := v.app("errors")
	seg := aws.ToString(v.segment(app, "s").Id)

	// Raw requests: what the SDK would refuse to send.
	for _, tc := range []struct {
		name, method, path, body string
		status                   int
		code, message            string
	}{
		{"missing required member", "POST", "/v1/apps", `{}`, 400, "BadRequestException", "Name"},
		{"missing journey name", "POST", "/v1/apps/" + app + "/journeys", `{"Activities":{}}`, 400, "BadRequestException", "Name"},
		{"wrong member type", "POST", "/v1/apps", `{"Name":7}`, 400, "BadRequestException", "Name"},
		{"malformed JSON", "POST", "/v1/apps", `{"Name":`, 400, "BadRequestException", "json"},
		{"malformed JSON in a nested request", "PUT", "/v1/apps/" + app + "/settings", `{"Limits":{"Daily":}`, 400, "BadRequestException", "json"},
		{"bad enum", "POST", "/v1/apps/" + app + "/segments", `{"Name":"x","Dimensions":{"Demographic":{"Channel":{"DimensionType":"MAYBE","Values":["SMS"]}}}}`, 400, "BadRequestException", "DimensionType"},
		{"missing nested required member", "POST", "/v1/apps/" + app + "/jobs/import", `{"Format":"CSV","RoleArn":"arn:aws:iam::111122223333:role/r"}`, 400, "BadRequestException", "S3Url"},
		{"unknown route", "GET", "/v1/nothing/here", "", 404, "NotFoundException", ""},
		{"wrong method", "PATCH", "/v1/apps", "", 405, "MethodNotAllowedException", ""},
		{"missing app", "GET", "/v1/apps/0123/segments", "", 404, "NotFoundException", ""},
	} {
		status, h, body := v.raw(tc.method, tc.path, tc.body)
		if status != tc.status || h.Get("X-Amzn-ErrorType") != tc.code {
			t.Errorf("%s: %d %s, want %d %s: %s", tc.name, status, h.Get("X-Amzn-ErrorType"), tc.status, tc.code, body)
			continue
		}
		var e struct{ Message, RequestID string }
		if err := json.Unmarshal([]byte(body), &e); err != nil || e.Message == "" || e.RequestID == "" {
			t.Errorf("%s: error body %q is not {Message, RequestID}", tc.name, body)
		}
		if !strings.Contains(e.Message, tc.message) {
			t.Errorf("%s: message %q does not name %q", tc.name, e.Message, tc.message)
		}
	}
	// No credential scope: the emulator cannot route the request.
	req, _ := http.NewRequestWithContext(ctx, "GET", v.url+"/v1/apps", nil)
	resp, err := http.DefaultClient.Do(req)
	must(t, err, "unsigned request")
	resp.Body.Close()
	if resp.StatusCode != 403 {
		t.Errorf("unsigned request: %d, want 403", resp.StatusCode)
	}

	// Through the SDK: enum values it passes through unchecked.
	_, err = v.pp.CreateCampaign(ctx, &pinpoint.CreateCampaignInput{ApplicationId: &app, WriteCampaignRequest: &types.WriteCampaignRequest{
		Name: aws.String("x"), SegmentId: &seg, Schedule: &types.Schedule{StartTime: aws.String("IMMEDIATE"), Frequency: types.Frequency("FORTNIGHTLY")}}})
	e := wantErr[*types.BadRequestException](t, err, "campaign with frequency FORTNIGHTLY")
	if !strings.Contains(aws.ToString(e.Message), "Frequency") {
		t.Errorf("bad enum message %q does not name Frequency", aws.ToString(e.Message))
	}
	_, err = v.pp.UpdateJourneyState(ctx, &pinpoint.UpdateJourneyStateInput{ApplicationId: &app, JourneyId: v.journey(app, "j").Id,
		JourneyStateRequest: &types.JourneyStateRequest{State: types.State("ASLEEP")}})
	wantErr[*types.BadRequestException](t, err, "journey state ASLEEP")
	// Missing resources are typed NotFoundException.
	_, err = v.pp.GetSegment(ctx, &pinpoint.GetSegmentInput{ApplicationId: &app, SegmentId: aws.String("nope")})
	wantErr[*types.NotFoundException](t, err, "missing segment")
	_, err = v.pp.GetCampaign(ctx, &pinpoint.GetCampaignInput{ApplicationId: &app, CampaignId: aws.String("nope")})
	wantErr[*types.NotFoundException](t, err, "missing campaign")
	_, err = v.pp.GetSmsTemplate(ctx, &pinpoint.GetSmsTemplateInput{TemplateName: aws.String("nope")})
	wantErr[*types.NotFoundException](t, err, "missing template")
	_, err = v.pp.GetEndpoint(ctx, &pinpoint.GetEndpointInput{ApplicationId: aws.String("nope"), EndpointId: aws.String("e")})
	wantErr[*types.NotFoundException](t, err, "endpoint of a missing app")
}

func httpStatus(err error) int {
	var re *smithyhttp.ResponseError
	if errors.As(err, &re) {
		return re.HTTPStatusCode()
	}
	return 0
}

func TestQuotas(t *testing.T) {
	// At a hundredth of the real quotas, GetApps allows 3 a second and
	// UpdateEndpoint (10/s) still allows one call.
	v := newEnv(t, emulator.Options{Quotas: true, QuotaScale: 0.01})
	c := v.noRetry()
	for i := range 3 {
		_, err := c.GetApps(ctx, &pinpoint.GetAppsInput{})
		must(t, err, "get apps within quota "+string(rune('1'+i)))
	}
	_, err := c.GetApps(ctx, &pinpoint.GetAppsInput{})
	wantErr[*types.TooManyRequestsException](t, err, "4th get apps")
	if s := httpStatus(err); s != 429 {
		t.Errorf("throttled status %d, want 429", s)
	}
	// Other operations have their own buckets.
	_, err = c.CreateApp(ctx, &pinpoint.CreateAppInput{CreateApplicationRequest: &types.CreateApplicationRequest{Name: aws.String("a")}})
	must(t, err, "create app while get apps is throttled")
	// Buckets refill at the quota rate.
	time.Sleep(400 * time.Millisecond)
	_, err = c.GetApps(ctx, &pinpoint.GetAppsInput{})
	must(t, err, "get apps after refill")
	// A retrying client rides out throttling. Enough attempts that a
	// loaded machine's timing cannot exhaust them.
	patient := pinpoint.NewFromConfig(emutest.Config(v.url), func(o *pinpoint.Options) {
		o.Retryer = retry.NewStandard(func(so *retry.StandardOptions) {
			so.MaxAttempts = 20
			so.RateLimiter = ratelimit.None
		})
	})
	for range 4 {
		_, err = patient.GetApps(ctx, &pinpoint.GetAppsInput{})
		must(t, err, "get apps with retries")
	}
}

func TestErrorRate(t *testing.T) {
	v := newEnv(t, emulator.Options{ErrorRate: 1})
	_, err := v.noRetry().GetApps(ctx, &pinpoint.GetAppsInput{})
	wantErr[*types.InternalServerErrorException](t, err, "get apps at error rate 1")
	if s := httpStatus(err); s != 500 {
		t.Errorf("status %d, want 500", s)
	}
	status, h, _ := v.raw("GET", "/v1/apps", "")
	if status != 500 || h.Get("X-Amzn-ErrorType") != "InternalServerErrorException" {
		t.Errorf("raw: %d %s", status, h.Get("X-Amzn-ErrorType"))
	}
	v.e.SetOptions(emulator.Options{})
	_, err = v.noRetry().GetApps(ctx, &pinpoint.GetAppsInput{})
	must(t, err, "get apps after faults are off")
}

func TestLatency(t *testing.T) {
	v := newEnv(t, emulator.Options{Latency: 150 * time.Millisecond})
	start := time.Now()
	_, err := v.pp.GetApps(ctx, &pinpoint.GetAppsInput{})
	must(t, err, "get apps")
	if d := time.Since(start); d < 150*time.Millisecond {
		t.Errorf("call took %v with 150ms latency", d)
	}
}

func TestRetired(t *testing.T) {
	v := newEnv(t, emulator.Options{})
	app := v.app("retired")
	seg := aws.ToString(v.segment(app, "s").Id)
	camp := aws.ToString(v.campaign(app, seg, "c").Id)
	jrn := aws.ToString(v.journey(app, "j").Id)
	v.smsTemplate("t")
	must(t, v.putEndpoint(app, "e1", &types.EndpointRequest{ChannelType: types.ChannelTypeSms, Address: aws.String("+14255550100")}), "endpoint")
	for _, ch := range channelCases() {
		if err := ch.update(v.pp, app); err != nil {
			t.Fatalf("update %s channel: %v", ch.path, err)
		}
	}
	v.e.SetOptions(emulator.Options{Retired: true})
	c := v.noRetry()
	retired := map[string]func() error{
		"GetSegments": func() error {
			_, err := c.GetSegments(ctx, &pinpoint.GetSegmentsInput{ApplicationId: &app})
			return err
		},
		"CreateSegment": func() error {
			_, err := c.CreateSegment(ctx, &pinpoint.CreateSegmentInput{ApplicationId: &app, WriteSegmentRequest: &types.WriteSegmentRequest{Name: aws.String("x")}})
			return err
		},
		"GetCampaign": func() error {
			_, err := c.GetCampaign(ctx, &pinpoint.GetCampaignInput{ApplicationId: &app, CampaignId: &camp})
			return err
		},
		"GetCampaigns": func() error {
			_, err := c.GetCampaigns(ctx, &pinpoint.GetCampaignsInput{ApplicationId: &app})
			return err
		},
		"ListJourneys": func() error {
			_, err := c.ListJourneys(ctx, &pinpoint.ListJourneysInput{ApplicationId: &app})
			return err
		},
		"GetJourney": func() error {
			_, err := c.GetJourney(ctx, &pinpoint.GetJourneyInput{ApplicationId: &app, JourneyId: &jrn})
			return err
		},
		"ListTemplates": func() error {
			_, err := c.ListTemplates(ctx, &pinpoint.ListTemplatesInput{})
			return err
		},
		"GetSmsTemplate": func() error {
			_, err := c.GetSmsTemplate(ctx, &pinpoint.GetSmsTemplateInput{TemplateName: aws.String("t")})
			return err
		},
		"GetEndpoint": func() error {
			_, err := c.GetEndpoint(ctx, &pinpoint.GetEndpointInput{ApplicationId: &app, EndpointId: aws.String("e1")})
			return err
		},
		"UpdateEndpoint": func() error {
			_, err := c.UpdateEndpoint(ctx, &pinpoint.UpdateEndpointInput{ApplicationId: &app, EndpointId: aws.String("e2"), EndpointRequest: &types.EndpointRequest{ChannelType: types.ChannelTypeSms}})
			return err
		},
		"GetApplicationSettings": func() error {
			_, err := c.GetApplicationSettings(ctx, &pinpoint.GetApplicationSettingsInput{ApplicationId: &app})
			return err
		},
		"GetEmailChannel": func() error {
			_, err := c.GetEmailChannel(ctx, &pinpoint.GetEmailChannelInput{ApplicationId: &app})
			return err
		},
		"GetEventStream": func() error {
			_, err := c.GetEventStream(ctx, &pinpoint.GetEventStreamInput{ApplicationId: &app})
			return err
		},
		"GetApplicationDateRangeKpi": func() error {
			_, err := c.GetApplicationDateRangeKpi(ctx, &pinpoint.GetApplicationDateRangeKpiInput{ApplicationId: &app, KpiName: aws.String("direct-sends")})
			return err
		},
		"GetExportJobs": func() error {
			_, err := c.GetExportJobs(ctx, &pinpoint.GetExportJobsInput{ApplicationId: &app})
			return err
		},
		"GetRecommenderConfigurations": func() error {
			_, err := c.GetRecommenderConfigurations(ctx, &pinpoint.GetRecommenderConfigurationsInput{})
			return err
		},
	}
	for op, call := range retired {
		e := wantErr[*types.ForbiddenException](t, call(), op+" after retirement")
		if msg := aws.ToString(e.Message); !strings.HasPrefix(msg, pp.RetiredMessage) {
			t.Errorf("%s: message %q does not start with %q", op, msg, pp.RetiredMessage)
		}
		if s := httpStatus(call()); s != 403 {
			t.Errorf("%s: status %d, want 403", op, s)
		}
	}
	_, h, body := v.raw("GET", "/v1/apps/"+app+"/segments", "")
	if h.Get("X-Amzn-ErrorType") != "ForbiddenException" || !strings.Contains(body, pp.RetiredMessage) {
		t.Errorf("raw retired answer: %s %s", h.Get("X-Amzn-ErrorType"), body)
	}
	// What continues in AWS End User Messaging keeps answering.
	_, err := c.GetApps(ctx, &pinpoint.GetAppsInput{})
	must(t, err, "GetApps after retirement")
	_, err = c.GetApp(ctx, &pinpoint.GetAppInput{ApplicationId: &app})
	must(t, err, "GetApp after retirement")
	_, err = c.GetChannels(ctx, &pinpoint.GetChannelsInput{ApplicationId: &app})
	must(t, err, "GetChannels after retirement")
	for _, ch := range channelCases() {
		_, err := ch.get(c, app)
		if ch.path == "email" {
			wantErr[*types.ForbiddenException](t, err, "get email channel after retirement")
			continue
		}
		must(t, err, "get "+ch.path+" channel after retirement")
	}
	_, err = c.UpdateSmsChannel(ctx, &pinpoint.UpdateSmsChannelInput{ApplicationId: &app, SMSChannelRequest: &types.SMSChannelRequest{Enabled: aws.Bool(false)}})
	must(t, err, "UpdateSmsChannel after retirement")
	appArn := "arn:aws:mobiletargeting:us-east-1:111122223333:apps/" + app
	_, err = c.TagResource(ctx, &pinpoint.TagResourceInput{ResourceArn: &appArn, TagsModel: &types.TagsModel{Tags: map[string]string{"retired": "yes"}}})
	must(t, err, "TagResource after retirement")
	tags, err := c.ListTagsForResource(ctx, &pinpoint.ListTagsForResourceInput{ResourceArn: &appArn})
	must(t, err, "ListTagsForResource after retirement")
	if tags.TagsModel.Tags["retired"] != "yes" {
		t.Errorf("tags after retirement: %v", tags.TagsModel.Tags)
	}
	_, err = c.UntagResource(ctx, &pinpoint.UntagResourceInput{ResourceArn: &appArn, TagKeys: []string{"retired"}})
	must(t, err, "UntagResource after retirement")
	// Tags on engagement resources stay readable: the tagging API continues.
	_, err = c.ListTagsForResource(ctx, &pinpoint.ListTagsForResourceInput{ResourceArn: aws.String(appArn + "/segments/" + seg)})
	must(t, err, "ListTagsForResource of a segment after retirement")
	var ae smithy.APIError
	if errors.As(err, &ae) {
		t.Errorf("unexpected API error %v", ae)
	}
}
