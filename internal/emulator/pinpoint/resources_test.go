package pinpoint_test

import (
	"errors"
	"fmt"
	"reflect"
	"sort"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/pinpoint"
	"github.com/aws/aws-sdk-go-v2/service/pinpoint/types"
	"github.com/aws/smithy-go"

	"github.com/p2c/p2c/internal/emulator"
)

func TestApps(t *testing.T) {
	v := newEnv(t, emulator.Options{})
	out, err := v.pp.CreateApp(ctx, &pinpoint.CreateAppInput{CreateApplicationRequest: &types.CreateApplicationRequest{
		Name: aws.String("shop"), Tags: map[string]string{"env": "prod"}}})
	must(t, err, "create app")
	a := out.ApplicationResponse
	id := aws.ToString(a.Id)
	if len(id) != 32 || aws.ToString(a.Arn) != "arn:aws:mobiletargeting:us-east-1:111122223333:apps/"+id || aws.ToString(a.Name) != "shop" || a.Tags["env"] != "prod" || aws.ToString(a.CreationDate) == "" {
		t.Errorf("create app: %+v", a)
	}
	got, err := v.pp.GetApp(ctx, &pinpoint.GetAppInput{ApplicationId: &id})
	must(t, err, "get app")
	if aws.ToString(got.ApplicationResponse.Name) != "shop" || got.ApplicationResponse.Tags["env"] != "prod" {
		t.Errorf("get app: %+v", got.ApplicationResponse)
	}
	list, err := v.pp.GetApps(ctx, &pinpoint.GetAppsInput{})
	must(t, err, "get apps")
	if n := len(list.ApplicationsResponse.Item); n != 1 {
		t.Errorf("get apps: %d items", n)
	}
	del, err := v.pp.DeleteApp(ctx, &pinpoint.DeleteAppInput{ApplicationId: &id})
	must(t, err, "delete app")
	if aws.ToString(del.ApplicationResponse.Id) != id {
		t.Errorf("delete app returns %+v", del.ApplicationResponse)
	}
	_, err = v.pp.GetApp(ctx, &pinpoint.GetAppInput{ApplicationId: &id})
	wantErr[*types.NotFoundException](t, err, "get deleted app")
	_, err = v.pp.DeleteApp(ctx, &pinpoint.DeleteAppInput{ApplicationId: &id})
	wantErr[*types.NotFoundException](t, err, "delete deleted app")
	_, err = v.pp.CreateApp(ctx, &pinpoint.CreateAppInput{CreateApplicationRequest: &types.CreateApplicationRequest{Name: aws.String("  ")}})
	wantErr[*types.BadRequestException](t, err, "create app with a blank name")
}

func TestSettings(t *testing.T) {
	v := newEnv(t, emulator.Options{})
	app := v.app("settings")
	def, err := v.pp.GetApplicationSettings(ctx, &pinpoint.GetApplicationSettingsInput{ApplicationId: &app})
	must(t, err, "get default settings")
	if aws.ToString(def.ApplicationSettingsResource.ApplicationId) != app {
		t.Errorf("default settings: %+v", def.ApplicationSettingsResource)
	}
	req := &types.WriteApplicationSettingsRequest{
		CampaignHook:             &types.CampaignHook{LambdaFunctionName: aws.String("arn:aws:lambda:us-east-1:111122223333:function:hook"), Mode: types.ModeFilter},
		CloudWatchMetricsEnabled: aws.Bool(true),
		EventTaggingEnabled:      aws.Bool(true),
		Limits:                   &types.CampaignLimits{Daily: aws.Int32(3), Total: aws.Int32(10), MessagesPerSecond: aws.Int32(50), MaximumDuration: aws.Int32(60)},
		QuietTime:                &types.QuietTime{Start: aws.String("22:00"), End: aws.String("07:00")},
		JourneyLimits:            &types.ApplicationSettingsJourneyLimits{DailyCap: aws.Int32(2), TotalCap: aws.Int32(5), TimeframeCap: &types.JourneyTimeframeCap{Cap: aws.Int32(1), Days: aws.Int32(7)}},
	}
	up, err := v.pp.UpdateApplicationSettings(ctx, &pinpoint.UpdateApplicationSettingsInput{ApplicationId: &app, WriteApplicationSettingsRequest: req})
	must(t, err, "update settings")
	got, err := v.pp.GetApplicationSettings(ctx, &pinpoint.GetApplicationSettingsInput{ApplicationId: &app})
	must(t, err, "get settings")
	for _, r := range []*types.ApplicationSettingsResource{up.ApplicationSettingsResource, got.ApplicationSettingsResource} {
		if !reflect.DeepEqual(r.CampaignHook, req.CampaignHook) || !reflect.DeepEqual(r.Limits, req.Limits) || !reflect.DeepEqual(r.QuietTime, req.QuietTime) ||
			!reflect.DeepEqual(r.JourneyLimits, req.JourneyLimits) || aws.ToString(r.LastModifiedDate) == "" {
			t.Errorf("settings read back: %+v", r)
		}
	}
	_, err = v.pp.GetApplicationSettings(ctx, &pinpoint.GetApplicationSettingsInput{ApplicationId: aws.String("missing")})
	wantErr[*types.NotFoundException](t, err, "settings of a missing app")
}

func TestEventStream(t *testing.T) {
	v := newEnv(t, emulator.Options{})
	app := v.app("events")
	_, err := v.pp.GetEventStream(ctx, &pinpoint.GetEventStreamInput{ApplicationId: &app})
	wantErr[*types.NotFoundException](t, err, "get event stream before put")
	dest, role := "arn:aws:kinesis:us-east-1:111122223333:stream/pinpoint", "arn:aws:iam::111122223333:role/pinpoint-events"
	_, err = v.pp.PutEventStream(ctx, &pinpoint.PutEventStreamInput{ApplicationId: &app, WriteEventStream: &types.WriteEventStream{DestinationStreamArn: &dest, RoleArn: &role}})
	must(t, err, "put event stream")
	got, err := v.pp.GetEventStream(ctx, &pinpoint.GetEventStreamInput{ApplicationId: &app})
	must(t, err, "get event stream")
	if es := got.EventStream; aws.ToString(es.DestinationStreamArn) != dest || aws.ToString(es.RoleArn) != role || aws.ToString(es.ApplicationId) != app {
		t.Errorf("event stream: %+v", es)
	}
	_, err = v.pp.PutEventStream(ctx, &pinpoint.PutEventStreamInput{ApplicationId: &app, WriteEventStream: &types.WriteEventStream{DestinationStreamArn: aws.String("stream"), RoleArn: &role}})
	wantErr[*types.BadRequestException](t, err, "put event stream without an ARN")
	_, err = v.pp.DeleteEventStream(ctx, &pinpoint.DeleteEventStreamInput{ApplicationId: &app})
	must(t, err, "delete event stream")
	_, err = v.pp.DeleteEventStream(ctx, &pinpoint.DeleteEventStreamInput{ApplicationId: &app})
	wantErr[*types.NotFoundException](t, err, "delete event stream twice")
}

func TestSegments(t *testing.T) {
	v := newEnv(t, emulator.Options{})
	app := v.app("segments")
	base := v.segment(app, "sms users")
	baseID := aws.ToString(base.Id)
	if base.SegmentType != types.SegmentTypeDimensional || aws.ToInt32(base.Version) != 1 || aws.ToString(base.Arn) != fmt.Sprintf("arn:aws:mobiletargeting:us-east-1:111122223333:apps/%s/segments/%s", app, baseID) {
		t.Errorf("created segment: %+v", base)
	}
	groups := &types.SegmentGroupList{Include: types.IncludeAll, Groups: []types.SegmentGroup{{
		Type:           types.TypeAny,
		SourceType:     types.SourceTypeAll,
		SourceSegments: []types.SegmentReference{{Id: &baseID, Version: aws.Int32(1)}},
		Dimensions: []types.SegmentDimensions{{
			UserAttributes: map[string]types.AttributeDimension{"Language": {AttributeType: types.AttributeTypeInclusive, Values: []string{"en", "es"}}},
			Behavior:       &types.SegmentBehaviors{Recency: &types.RecencyDimension{Duration: types.DurationDay30, RecencyType: types.RecencyTypeActive}},
			Metrics:        map[string]types.MetricDimension{"visits": {ComparisonOperator: aws.String("GREATER_THAN"), Value: aws.Float64(2)}},
		}},
	}}}
	c, err := v.pp.CreateSegment(ctx, &pinpoint.CreateSegmentInput{ApplicationId: &app, WriteSegmentRequest: &types.WriteSegmentRequest{
		Name: aws.String("english"), SegmentGroups: groups, Tags: map[string]string{"team": "crm"}}})
	must(t, err, "create segment with groups")
	id := aws.ToString(c.SegmentResponse.Id)
	if !reflect.DeepEqual(c.SegmentResponse.SegmentGroups, groups) || c.SegmentResponse.Tags["team"] != "crm" {
		t.Errorf("segment groups read back: %+v", c.SegmentResponse.SegmentGroups)
	}
	up, err := v.pp.UpdateSegment(ctx, &pinpoint.UpdateSegmentInput{ApplicationId: &app, SegmentId: &id, WriteSegmentRequest: &types.WriteSegmentRequest{
		Dimensions: &types.SegmentDimensions{Location: &types.SegmentLocation{Country: &types.SetDimension{Values: []string{"US"}}}}}})
	must(t, err, "update segment")
	if aws.ToInt32(up.SegmentResponse.Version) != 2 || aws.ToString(up.SegmentResponse.Name) != "english" || up.SegmentResponse.Dimensions == nil {
		t.Errorf("updated segment: version %d name %q", aws.ToInt32(up.SegmentResponse.Version), aws.ToString(up.SegmentResponse.Name))
	}
	got, err := v.pp.GetSegment(ctx, &pinpoint.GetSegmentInput{ApplicationId: &app, SegmentId: &id})
	must(t, err, "get segment")
	if aws.ToInt32(got.SegmentResponse.Version) != 2 {
		t.Errorf("get segment: version %d, want 2", aws.ToInt32(got.SegmentResponse.Version))
	}
	v1, err := v.pp.GetSegmentVersion(ctx, &pinpoint.GetSegmentVersionInput{ApplicationId: &app, SegmentId: &id, Version: aws.String("1")})
	must(t, err, "get segment version 1")
	if aws.ToInt32(v1.SegmentResponse.Version) != 1 || v1.SegmentResponse.Dimensions != nil {
		t.Errorf("segment version 1: %+v", v1.SegmentResponse)
	}
	_, err = v.pp.GetSegmentVersion(ctx, &pinpoint.GetSegmentVersionInput{ApplicationId: &app, SegmentId: &id, Version: aws.String("3")})
	wantErr[*types.NotFoundException](t, err, "get segment version 3")
	vs, err := v.pp.GetSegmentVersions(ctx, &pinpoint.GetSegmentVersionsInput{ApplicationId: &app, SegmentId: &id})
	must(t, err, "get segment versions")
	if n := len(vs.SegmentsResponse.Item); n != 2 {
		t.Errorf("segment versions: %d", n)
	}
	all, err := v.pp.GetSegments(ctx, &pinpoint.GetSegmentsInput{ApplicationId: &app})
	must(t, err, "get segments")
	if n := len(all.SegmentsResponse.Item); n != 2 {
		t.Errorf("segments: %d", n)
	}
	// A segment a campaign uses cannot be deleted.
	camp := v.campaign(app, baseID, "uses base")
	_, err = v.pp.DeleteSegment(ctx, &pinpoint.DeleteSegmentInput{ApplicationId: &app, SegmentId: &baseID})
	wantErr[*types.BadRequestException](t, err, "delete a segment a campaign uses")
	_, err = v.pp.DeleteCampaign(ctx, &pinpoint.DeleteCampaignInput{ApplicationId: &app, CampaignId: camp.Id})
	must(t, err, "delete campaign")
	_, err = v.pp.DeleteSegment(ctx, &pinpoint.DeleteSegmentInput{ApplicationId: &app, SegmentId: &id})
	must(t, err, "delete segment")
	_, err = v.pp.GetSegment(ctx, &pinpoint.GetSegmentInput{ApplicationId: &app, SegmentId: &id})
	wantErr[*types.NotFoundException](t, err, "get deleted segment")
	// References to missing segments and versions are refused.
	for name, ref := range map[string]types.SegmentReference{"missing segment": {Id: aws.String("nope")}, "missing version": {Id: &baseID, Version: aws.Int32(9)}} {
		_, err = v.pp.CreateSegment(ctx, &pinpoint.CreateSegmentInput{ApplicationId: &app, WriteSegmentRequest: &types.WriteSegmentRequest{
			Name: aws.String("bad"), SegmentGroups: &types.SegmentGroupList{Groups: []types.SegmentGroup{{SourceSegments: []types.SegmentReference{ref}}}}}})
		wantErr[*types.BadRequestException](t, err, "segment on a "+name)
	}
	_, err = v.pp.CreateSegment(ctx, &pinpoint.CreateSegmentInput{ApplicationId: &app, WriteSegmentRequest: &types.WriteSegmentRequest{}})
	wantErr[*types.BadRequestException](t, err, "segment without a name")
}

func TestCampaigns(t *testing.T) {
	v := newEnv(t, emulator.Options{})
	app := v.app("campaigns")
	seg := aws.ToString(v.segment(app, "all").Id)
	v.smsTemplate("promo")
	req := &types.WriteCampaignRequest{
		Name: aws.String("spring sale"), Description: aws.String("d"), SegmentId: &seg, SegmentVersion: aws.Int32(1),
		Schedule: &types.Schedule{StartTime: aws.String("2030-03-01T09:00:00Z"), EndTime: aws.String("2030-04-01T09:00:00Z"), Frequency: types.FrequencyWeekly,
			IsLocalTime: aws.Bool(true), Timezone: aws.String("UTC-05"), QuietTime: &types.QuietTime{Start: aws.String("22:00"), End: aws.String("08:00")}},
		TemplateConfiguration: &types.TemplateConfiguration{SMSTemplate: &types.Template{Name: aws.String("promo"), Version: aws.String("1")}},
		Limits:                &types.CampaignLimits{Daily: aws.Int32(1), Session: aws.Int32(0)},
		HoldoutPercent:        aws.Int32(10),
		TreatmentName:         aws.String("A"),
		AdditionalTreatments: []types.WriteTreatmentResource{{SizePercent: aws.Int32(45), TreatmentName: aws.String("B"),
			MessageConfiguration: &types.MessageConfiguration{SMSMessage: &types.CampaignSmsMessage{Body: aws.String("b")}}}},
		Hook:     &types.CampaignHook{Mode: types.ModeDelivery, WebUrl: aws.String("https://example.com/hook")},
		Priority: aws.Int32(3),
		Tags:     map[string]string{"env": "test"},
	}
	c, err := v.pp.CreateCampaign(ctx, &pinpoint.CreateCampaignInput{ApplicationId: &app, WriteCampaignRequest: req})
	must(t, err, "create campaign")
	cr := c.CampaignResponse
	id := aws.ToString(cr.Id)
	if aws.ToString(cr.Name) != "spring sale" || !reflect.DeepEqual(cr.Schedule, req.Schedule) || !reflect.DeepEqual(cr.TemplateConfiguration, req.TemplateConfiguration) ||
		!reflect.DeepEqual(cr.Hook, req.Hook) || aws.ToInt32(cr.HoldoutPercent) != 10 || aws.ToInt32(cr.Priority) != 3 || cr.Tags["env"] != "test" ||
		cr.State == nil || cr.State.CampaignStatus != types.CampaignStatusScheduled || len(cr.AdditionalTreatments) != 1 || aws.ToString(cr.AdditionalTreatments[0].Id) == "" {
		t.Errorf("created campaign: %+v", cr)
	}
	up, err := v.pp.UpdateCampaign(ctx, &pinpoint.UpdateCampaignInput{ApplicationId: &app, CampaignId: &id, WriteCampaignRequest: &types.WriteCampaignRequest{
		IsPaused: aws.Bool(true), Description: aws.String("paused")}})
	must(t, err, "update campaign")
	if ur := up.CampaignResponse; aws.ToInt32(ur.Version) != 2 || ur.State.CampaignStatus != types.CampaignStatusPaused || aws.ToString(ur.Name) != "spring sale" {
		t.Errorf("updated campaign: version %d state %v", aws.ToInt32(ur.Version), ur.State)
	}
	g, err := v.pp.GetCampaign(ctx, &pinpoint.GetCampaignInput{ApplicationId: &app, CampaignId: &id})
	must(t, err, "get campaign")
	if aws.ToString(g.CampaignResponse.Description) != "paused" {
		t.Errorf("get campaign: description %q", aws.ToString(g.CampaignResponse.Description))
	}
	gv, err := v.pp.GetCampaignVersion(ctx, &pinpoint.GetCampaignVersionInput{ApplicationId: &app, CampaignId: &id, Version: aws.String("1")})
	must(t, err, "get campaign version 1")
	if aws.ToString(gv.CampaignResponse.Description) != "d" {
		t.Errorf("campaign version 1: description %q", aws.ToString(gv.CampaignResponse.Description))
	}
	vs, err := v.pp.GetCampaignVersions(ctx, &pinpoint.GetCampaignVersionsInput{ApplicationId: &app, CampaignId: &id})
	must(t, err, "get campaign versions")
	if len(vs.CampaignsResponse.Item) != 2 {
		t.Errorf("campaign versions: %d", len(vs.CampaignsResponse.Item))
	}
	acts, err := v.pp.GetCampaignActivities(ctx, &pinpoint.GetCampaignActivitiesInput{ApplicationId: &app, CampaignId: &id})
	must(t, err, "get campaign activities")
	if len(acts.ActivitiesResponse.Item) != 0 {
		t.Errorf("activities without a seed: %d", len(acts.ActivitiesResponse.Item))
	}
	list, err := v.pp.GetCampaigns(ctx, &pinpoint.GetCampaignsInput{ApplicationId: &app})
	must(t, err, "get campaigns")
	if len(list.CampaignsResponse.Item) != 1 {
		t.Errorf("campaigns: %d", len(list.CampaignsResponse.Item))
	}
	// Event-triggered campaigns need an event filter; treatments cannot
	// exceed 100%; references must exist.
	bad := map[string]*types.WriteCampaignRequest{
		"missing segment":  {Name: aws.String("x"), SegmentId: aws.String("nope"), Schedule: &types.Schedule{StartTime: aws.String("IMMEDIATE")}},
		"missing template": {Name: aws.String("x"), SegmentId: &seg, Schedule: &types.Schedule{StartTime: aws.String("IMMEDIATE")}, TemplateConfiguration: &types.TemplateConfiguration{EmailTemplate: &types.Template{Name: aws.String("nope")}}},
		"missing template version": {Name: aws.String("x"), SegmentId: &seg, Schedule: &types.Schedule{StartTime: aws.String("IMMEDIATE")},
			TemplateConfiguration: &types.TemplateConfiguration{SMSTemplate: &types.Template{Name: aws.String("promo"), Version: aws.String("7")}}},
		"missing segment version": {Name: aws.String("x"), SegmentId: &seg, SegmentVersion: aws.Int32(4), Schedule: &types.Schedule{StartTime: aws.String("IMMEDIATE")}},
		"no schedule":             {Name: aws.String("x"), SegmentId: &seg},
		"bad start time":          {Name: aws.String("x"), SegmentId: &seg, Schedule: &types.Schedule{StartTime: aws.String("tomorrow")}},
		"event without filter":    {Name: aws.String("x"), SegmentId: &seg, Schedule: &types.Schedule{StartTime: aws.String("IMMEDIATE"), Frequency: types.FrequencyEvent}},
		"over 100%": {Name: aws.String("x"), SegmentId: &seg, Schedule: &types.Schedule{StartTime: aws.String("IMMEDIATE")}, HoldoutPercent: aws.Int32(60),
			AdditionalTreatments: []types.WriteTreatmentResource{{SizePercent: aws.Int32(50)}}},
	}
	for name, r := range bad {
		_, err := v.pp.CreateCampaign(ctx, &pinpoint.CreateCampaignInput{ApplicationId: &app, WriteCampaignRequest: r})
		wantErr[*types.BadRequestException](t, err, "campaign with "+name)
	}
	_, err = v.pp.DeleteCampaign(ctx, &pinpoint.DeleteCampaignInput{ApplicationId: &app, CampaignId: &id})
	must(t, err, "delete campaign")
	_, err = v.pp.GetCampaign(ctx, &pinpoint.GetCampaignInput{ApplicationId: &app, CampaignId: &id})
	wantErr[*types.NotFoundException](t, err, "get deleted campaign")
}

func TestJourneys(t *testing.T) {
	v := newEnv(t, emulator.Options{})
	app := v.app("journeys")
	seg := aws.ToString(v.segment(app, "all").Id)
	v.smsTemplate("j-sms")
	req := &types.WriteJourneyRequest{
		Name: aws.String("onboarding"), StartActivity: aws.String("split"),
		StartCondition: &types.StartCondition{SegmentStartCondition: &types.SegmentCondition{SegmentId: &seg}},
		Schedule:       &types.JourneySchedule{Timezone: aws.String("UTC")},
		Limits:         &types.JourneyLimits{DailyCap: aws.Int32(1), EndpointReentryCap: aws.Int32(2)},
		Activities: map[string]types.Activity{
			"split": {ConditionalSplit: &types.ConditionalSplitActivity{TrueActivity: aws.String("sms"), FalseActivity: aws.String("wait"),
				Condition: &types.Condition{Operator: types.OperatorAll, Conditions: []types.SimpleCondition{{SegmentCondition: &types.SegmentCondition{SegmentId: &seg}}}}}},
			"sms":  {SMS: &types.SMSMessageActivity{TemplateName: aws.String("j-sms"), MessageConfig: &types.JourneySMSMessage{MessageType: types.MessageTypePromotional}}},
			"wait": {Wait: &types.WaitActivity{WaitTime: &types.WaitTime{WaitFor: aws.String("P1D")}, NextActivity: aws.String("sms")}},
		},
	}
	c, err := v.pp.CreateJourney(ctx, &pinpoint.CreateJourneyInput{ApplicationId: &app, WriteJourneyRequest: req})
	must(t, err, "create journey")
	j := c.JourneyResponse
	id := aws.ToString(j.Id)
	if j.State != types.StateDraft || !reflect.DeepEqual(j.Activities, req.Activities) || !reflect.DeepEqual(j.StartCondition, req.StartCondition) {
		t.Errorf("created journey: %+v", j)
	}
	req.Name = aws.String("onboarding v2")
	up, err := v.pp.UpdateJourney(ctx, &pinpoint.UpdateJourneyInput{ApplicationId: &app, JourneyId: &id, WriteJourneyRequest: req})
	must(t, err, "update journey")
	if aws.ToString(up.JourneyResponse.Name) != "onboarding v2" {
		t.Errorf("updated journey name %q", aws.ToString(up.JourneyResponse.Name))
	}
	for _, step := range []struct {
		to types.State
		ok bool
	}{{types.StatePaused, false}, {types.StateActive, true}, {types.StatePaused, true}, {types.StateActive, true}, {types.StateCancelled, true}, {types.StateActive, false}} {
		_, err := v.pp.UpdateJourneyState(ctx, &pinpoint.UpdateJourneyStateInput{ApplicationId: &app, JourneyId: &id, JourneyStateRequest: &types.JourneyStateRequest{State: step.to}})
		if step.ok {
			must(t, err, "journey state to "+string(step.to))
		} else {
			wantErr[*types.BadRequestException](t, err, "journey state to "+string(step.to))
		}
	}
	g, err := v.pp.GetJourney(ctx, &pinpoint.GetJourneyInput{ApplicationId: &app, JourneyId: &id})
	must(t, err, "get journey")
	if g.JourneyResponse.State != types.StateCancelled {
		t.Errorf("journey state %s, want CANCELLED", g.JourneyResponse.State)
	}
	_, err = v.pp.UpdateJourney(ctx, &pinpoint.UpdateJourneyInput{ApplicationId: &app, JourneyId: &id, WriteJourneyRequest: req})
	wantErr[*types.BadRequestException](t, err, "update a cancelled journey")
	list, err := v.pp.ListJourneys(ctx, &pinpoint.ListJourneysInput{ApplicationId: &app})
	must(t, err, "list journeys")
	if len(list.JourneysResponse.Item) != 1 {
		t.Errorf("journeys: %d", len(list.JourneysResponse.Item))
	}
	bad := map[string]*types.WriteJourneyRequest{
		"missing next activity":  {Name: aws.String("x"), Activities: map[string]types.Activity{"a": {Wait: &types.WaitActivity{NextActivity: aws.String("ghost")}}}},
		"missing start activity": {Name: aws.String("x"), StartActivity: aws.String("ghost"), Activities: map[string]types.Activity{"a": {Wait: &types.WaitActivity{}}}},
		"missing branch target": {Name: aws.String("x"), Activities: map[string]types.Activity{"a": {RandomSplit: &types.RandomSplitActivity{
			Branches: []types.RandomSplitEntry{{NextActivity: aws.String("ghost"), Percentage: aws.Int32(100)}}}}}},
		"two kinds in one activity": {Name: aws.String("x"), Activities: map[string]types.Activity{"a": {Wait: &types.WaitActivity{}, Holdout: &types.HoldoutActivity{Percentage: aws.Int32(5)}}}},
		"no kind":                   {Name: aws.String("x"), Activities: map[string]types.Activity{"a": {Description: aws.String("empty")}}},
		"missing template":          {Name: aws.String("x"), Activities: map[string]types.Activity{"a": {EMAIL: &types.EmailMessageActivity{TemplateName: aws.String("ghost")}}}},
		"missing segment":           {Name: aws.String("x"), StartCondition: &types.StartCondition{SegmentStartCondition: &types.SegmentCondition{SegmentId: aws.String("ghost")}}},
		"blank name":                {Name: aws.String(" ")},
	}
	many := map[string]types.Activity{}
	for i := range 41 {
		many[fmt.Sprint("w", i)] = types.Activity{Wait: &types.WaitActivity{}}
	}
	bad["41 activities"] = &types.WriteJourneyRequest{Name: aws.String("x"), Activities: many}
	for name, r := range bad {
		_, err := v.pp.CreateJourney(ctx, &pinpoint.CreateJourneyInput{ApplicationId: &app, WriteJourneyRequest: r})
		wantErr[*types.BadRequestException](t, err, "journey with "+name)
	}
	_, err = v.pp.DeleteJourney(ctx, &pinpoint.DeleteJourneyInput{ApplicationId: &app, JourneyId: &id})
	must(t, err, "delete journey")
	_, err = v.pp.GetJourney(ctx, &pinpoint.GetJourneyInput{ApplicationId: &app, JourneyId: &id})
	wantErr[*types.NotFoundException](t, err, "get deleted journey")
}

func TestRecommenders(t *testing.T) {
	v := newEnv(t, emulator.Options{})
	uri, role := "arn:aws:personalize:us-east-1:111122223333:campaign/recs", "arn:aws:iam::111122223333:role/personalize"
	c, err := v.pp.CreateRecommenderConfiguration(ctx, &pinpoint.CreateRecommenderConfigurationInput{CreateRecommenderConfiguration: &types.CreateRecommenderConfigurationShape{
		RecommendationProviderUri: &uri, RecommendationProviderRoleArn: &role, Name: aws.String("recs"), Attributes: map[string]string{"Recommendations.Title": "Title"}}})
	must(t, err, "create recommender")
	r := c.RecommenderConfigurationResponse
	id := aws.ToString(r.Id)
	if aws.ToString(r.Name) != "recs" || aws.ToInt32(r.RecommendationsPerMessage) != 5 || aws.ToString(r.RecommendationProviderIdType) != "PINPOINT_ENDPOINT_ID" || r.Attributes["Recommendations.Title"] != "Title" {
		t.Errorf("created recommender: %+v", r)
	}
	u, err := v.pp.UpdateRecommenderConfiguration(ctx, &pinpoint.UpdateRecommenderConfigurationInput{RecommenderId: &id, UpdateRecommenderConfiguration: &types.UpdateRecommenderConfigurationShape{
		RecommendationProviderUri: &uri, RecommendationProviderRoleArn: &role, RecommendationsPerMessage: aws.Int32(2), Description: aws.String("two")}})
	must(t, err, "update recommender")
	if aws.ToInt32(u.RecommenderConfigurationResponse.RecommendationsPerMessage) != 2 {
		t.Errorf("updated recommender: %+v", u.RecommenderConfigurationResponse)
	}
	g, err := v.pp.GetRecommenderConfiguration(ctx, &pinpoint.GetRecommenderConfigurationInput{RecommenderId: &id})
	must(t, err, "get recommender")
	if aws.ToString(g.RecommenderConfigurationResponse.Description) != "two" {
		t.Errorf("get recommender: %+v", g.RecommenderConfigurationResponse)
	}
	l, err := v.pp.GetRecommenderConfigurations(ctx, &pinpoint.GetRecommenderConfigurationsInput{})
	must(t, err, "list recommenders")
	if len(l.ListRecommenderConfigurationsResponse.Item) != 1 {
		t.Errorf("recommenders: %d", len(l.ListRecommenderConfigurationsResponse.Item))
	}
	_, err = v.pp.CreateRecommenderConfiguration(ctx, &pinpoint.CreateRecommenderConfigurationInput{CreateRecommenderConfiguration: &types.CreateRecommenderConfigurationShape{
		RecommendationProviderUri: &uri, RecommendationProviderRoleArn: &role, RecommendationsPerMessage: aws.Int32(6)}})
	wantErr[*types.BadRequestException](t, err, "recommender with 6 recommendations per message")
	_, err = v.pp.DeleteRecommenderConfiguration(ctx, &pinpoint.DeleteRecommenderConfigurationInput{RecommenderId: &id})
	must(t, err, "delete recommender")
	_, err = v.pp.GetRecommenderConfiguration(ctx, &pinpoint.GetRecommenderConfigurationInput{RecommenderId: &id})
	wantErr[*types.NotFoundException](t, err, "get deleted recommender")
}

func TestTags(t *testing.T) {
	v := newEnv(t, emulator.Options{})
	app := v.app("tags")
	appArn := "arn:aws:mobiletargeting:us-east-1:111122223333:apps/" + app
	seg := v.segment(app, "s")
	camp := v.campaign(app, aws.ToString(seg.Id), "c")
	jr := v.journey(app, "j")
	tmpl := v.smsTemplate("tagged")
	arns := map[string]string{"app": appArn, "segment": aws.ToString(seg.Arn), "campaign": aws.ToString(camp.Arn),
		"journey": appArn + "/journeys/" + aws.ToString(jr.Id), "template": tmpl}
	for kind, arn := range arns {
		_, err := v.pp.TagResource(ctx, &pinpoint.TagResourceInput{ResourceArn: aws.String(arn), TagsModel: &types.TagsModel{Tags: map[string]string{"a": "1", "b": "2", "c": "3"}}})
		must(t, err, "tag "+kind)
		_, err = v.pp.UntagResource(ctx, &pinpoint.UntagResourceInput{ResourceArn: aws.String(arn), TagKeys: []string{"b", "absent"}})
		must(t, err, "untag "+kind)
		out, err := v.pp.ListTagsForResource(ctx, &pinpoint.ListTagsForResourceInput{ResourceArn: aws.String(arn)})
		must(t, err, "list tags of "+kind)
		if got := out.TagsModel.Tags; !reflect.DeepEqual(got, map[string]string{"a": "1", "c": "3"}) {
			t.Errorf("%s tags: %v", kind, got)
		}
	}
	// The tags show on the resources themselves.
	a, err := v.pp.GetApp(ctx, &pinpoint.GetAppInput{ApplicationId: &app})
	must(t, err, "get app")
	s, err := v.pp.GetSegment(ctx, &pinpoint.GetSegmentInput{ApplicationId: &app, SegmentId: seg.Id})
	must(t, err, "get segment")
	tp, err := v.pp.GetSmsTemplate(ctx, &pinpoint.GetSmsTemplateInput{TemplateName: aws.String("tagged")})
	must(t, err, "get template")
	for kind, tags := range map[string]map[string]string{"app": a.ApplicationResponse.Tags, "segment": s.SegmentResponse.Tags, "template": tp.SMSTemplateResponse.Tags} {
		if keys := sortedTagKeys(tags); !reflect.DeepEqual(keys, []string{"a", "c"}) {
			t.Errorf("%s carries tags %v", kind, tags)
		}
	}
	for _, arn := range []string{appArn + "x", "arn:aws:mobiletargeting:us-east-1:111122223333:templates/nope/SMS", "arn:aws:sns:us-east-1:111122223333:topic"} {
		_, err := v.pp.ListTagsForResource(ctx, &pinpoint.ListTagsForResourceInput{ResourceArn: aws.String(arn)})
		// The model declares no errors for the tagging operations, so the
		// SDK reports a generic API error with the code.
		var ae smithy.APIError
		if !errors.As(err, &ae) || ae.ErrorCode() != "NotFoundException" {
			t.Errorf("list tags of %s: got %v, want NotFoundException", arn, err)
		}
	}
}

func sortedTagKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
