package campaigns_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cc "github.com/aws/aws-sdk-go-v2/service/connectcampaignsv2"
	"github.com/aws/aws-sdk-go-v2/service/connectcampaignsv2/types"

	"github.com/p2c/p2c/internal/emulator/core"
)

func TestOnboardingIntegrationsAndLimits(t *testing.T) {
	e := newEnv(t, core.Options{})
	inst := aws.String(instanceID)

	_, err := e.cli.GetConnectInstanceConfig(e.ctx, &cc.GetConnectInstanceConfigInput{ConnectInstanceId: inst})
	if c := apiCode(t, err); c != "ResourceNotFoundException" {
		t.Fatalf("config before onboarding: %s", c)
	}
	_, err = e.cli.CreateCampaign(e.ctx, &cc.CreateCampaignInput{Name: aws.String("x"), ConnectInstanceId: inst,
		ChannelSubtypeConfig: &types.ChannelSubtypeConfig{Email: &types.EmailChannelSubtypeConfig{OutboundMode: &types.EmailOutboundModeMemberAgentless{},
			DefaultOutboundConfig: &types.EmailOutboundConfig{ConnectSourceEmailAddress: aws.String("a@example.com"), WisdomTemplateArn: aws.String(templateARN)}}}})
	if c := apiCode(t, err); c != "ResourceNotFoundException" {
		t.Fatalf("campaign before onboarding: %s", c)
	}

	start, err := e.cli.StartInstanceOnboardingJob(e.ctx, &cc.StartInstanceOnboardingJobInput{ConnectInstanceId: inst, EncryptionConfig: &types.EncryptionConfig{Enabled: false}})
	must(t, err)
	if start.ConnectInstanceOnboardingJobStatus.Status != types.InstanceOnboardingJobStatusCodeInProgress {
		t.Fatalf("onboarding starts %s", start.ConnectInstanceOnboardingJobStatus.Status)
	}
	job, err := e.cli.GetInstanceOnboardingJobStatus(e.ctx, &cc.GetInstanceOnboardingJobStatusInput{ConnectInstanceId: inst})
	must(t, err)
	if job.ConnectInstanceOnboardingJobStatus.Status != types.InstanceOnboardingJobStatusCodeSucceeded {
		t.Fatalf("onboarding then %s", job.ConnectInstanceOnboardingJobStatus.Status)
	}
	// Repeating with the same configuration is idempotent; another one conflicts.
	_, err = e.cli.StartInstanceOnboardingJob(e.ctx, &cc.StartInstanceOnboardingJobInput{ConnectInstanceId: inst, EncryptionConfig: &types.EncryptionConfig{Enabled: false}})
	must(t, err)
	e.wantErr("PUT", "/v2/connect-instance/"+instanceID+"/onboarding", `{"encryptionConfig":{"enabled":true,"encryptionType":"KMS","keyArn":"arn:aws:kms:us-east-1:111122223333:key/k"}}`, 409, "ConflictException")
	e.wantErr("PUT", "/v2/connect-instance/other/onboarding", `{"encryptionConfig":{"enabled":true}}`, 400, "ValidationException")
	cfg, err := e.cli.GetConnectInstanceConfig(e.ctx, &cc.GetConnectInstanceConfigInput{ConnectInstanceId: inst})
	must(t, err)
	if !strings.Contains(aws.ToString(cfg.ConnectInstanceConfig.ServiceLinkedRoleArn), "AWSServiceRoleForConnectCampaigns") {
		t.Fatalf("service-linked role: %v", aws.ToString(cfg.ConnectInstanceConfig.ServiceLinkedRoleArn))
	}

	// Integrations: one domain, one knowledge base, several lambdas.
	_, err = e.cli.PutConnectInstanceIntegration(e.ctx, &cc.PutConnectInstanceIntegrationInput{ConnectInstanceId: inst,
		IntegrationConfig: &types.IntegrationConfigMemberCustomerProfiles{Value: types.CustomerProfilesIntegrationConfig{DomainArn: aws.String(domARN),
			ObjectTypeNames: map[string]string{"Campaign-SMS": "CampaignSms", "Campaign-Email": "CampaignEmail"}}}})
	must(t, err)
	_, err = e.cli.PutConnectInstanceIntegration(e.ctx, &cc.PutConnectInstanceIntegrationInput{ConnectInstanceId: inst,
		IntegrationConfig: &types.IntegrationConfigMemberQConnect{Value: types.QConnectIntegrationConfig{KnowledgeBaseArn: aws.String(kbARN)}}})
	must(t, err)
	for i := 0; i < 2; i++ {
		e.call("PUT", "/v2/connect-instance/"+instanceID+"/integrations",
			fmt.Sprintf(`{"integrationConfig":{"lambda":{"functionArn":"arn:aws:lambda:us-east-1:111122223333:function:f%d"}}}`, i), 200)
	}
	_, err = e.cli.PutConnectInstanceIntegration(e.ctx, &cc.PutConnectInstanceIntegrationInput{ConnectInstanceId: inst,
		IntegrationConfig: &types.IntegrationConfigMemberCustomerProfiles{Value: types.CustomerProfilesIntegrationConfig{DomainArn: aws.String(domARN + "2"),
			ObjectTypeNames: map[string]string{"Campaign-SMS": "CampaignSms"}}}})
	if c := apiCode(t, err); c != "ConflictException" {
		t.Fatalf("second domain: %s", c)
	}
	e.wantErr("PUT", "/v2/connect-instance/"+instanceID+"/integrations", `{"integrationConfig":{"qConnect":{"knowledgeBaseArn":"`+kbARN+`"},"lambda":{"functionArn":"arn:aws:lambda:us-east-1:111122223333:function:f"}}}`, 400, "ValidationException")
	e.wantErr("PUT", "/v2/connect-instance/"+instanceID+"/integrations", `{"integrationConfig":{"customerProfiles":{"domainArn":"arn:aws:mobiletargeting:us-east-1:111122223333:apps/x","objectTypeNames":{}}}}`, 400, "ValidationException")

	var kinds []string
	p := cc.NewListConnectInstanceIntegrationsPaginator(e.cli, &cc.ListConnectInstanceIntegrationsInput{ConnectInstanceId: inst, MaxResults: aws.Int32(3)})
	pages := 0
	for p.HasMorePages() {
		out, err := p.NextPage(e.ctx)
		must(t, err)
		pages++
		for _, s := range out.IntegrationSummaryList {
			kinds = append(kinds, fmt.Sprintf("%T", s))
		}
	}
	if pages != 2 || len(kinds) != 4 {
		t.Fatalf("integrations: %d pages %v", pages, kinds)
	}
	// Lambda is not in the v1.5.0 SDK: it arrives as an unknown union member.
	if kinds[0] != "*types.IntegrationSummaryMemberCustomerProfiles" || kinds[1] != "*types.IntegrationSummaryMemberQConnect" {
		t.Fatalf("integration kinds %v", kinds)
	}
	_, err = e.cli.DeleteConnectInstanceIntegration(e.ctx, &cc.DeleteConnectInstanceIntegrationInput{ConnectInstanceId: inst,
		IntegrationIdentifier: &types.IntegrationIdentifierMemberQConnect{Value: types.QConnectIntegrationIdentifier{KnowledgeBaseArn: aws.String(kbARN)}}})
	must(t, err)
	_, err = e.cli.DeleteConnectInstanceIntegration(e.ctx, &cc.DeleteConnectInstanceIntegrationInput{ConnectInstanceId: inst,
		IntegrationIdentifier: &types.IntegrationIdentifierMemberQConnect{Value: types.QConnectIntegrationIdentifier{KnowledgeBaseArn: aws.String(kbARN)}}})
	if c := apiCode(t, err); c != "ResourceNotFoundException" {
		t.Fatalf("second delete: %s", c)
	}

	// Instance communication limits.
	lim, err := e.cli.GetInstanceCommunicationLimits(e.ctx, &cc.GetInstanceCommunicationLimitsInput{ConnectInstanceId: inst})
	must(t, err)
	if lim.CommunicationLimitsConfig == nil || lim.CommunicationLimitsConfig.AllChannelSubtypes != nil {
		t.Fatalf("limits before put: %+v", lim.CommunicationLimitsConfig)
	}
	_, err = e.cli.PutInstanceCommunicationLimits(e.ctx, &cc.PutInstanceCommunicationLimitsInput{ConnectInstanceId: inst,
		CommunicationLimitsConfig: &types.InstanceCommunicationLimitsConfig{AllChannelSubtypes: &types.CommunicationLimitsMemberCommunicationLimitsList{
			Value: []types.CommunicationLimit{{MaxCountPerRecipient: aws.Int32(1), Frequency: aws.Int32(1), Unit: types.CommunicationLimitTimeUnitDay},
				{MaxCountPerRecipient: aws.Int32(3), Frequency: aws.Int32(7), Unit: types.CommunicationLimitTimeUnitDay}}}}})
	must(t, err)
	lim, err = e.cli.GetInstanceCommunicationLimits(e.ctx, &cc.GetInstanceCommunicationLimitsInput{ConnectInstanceId: inst})
	must(t, err)
	list := lim.CommunicationLimitsConfig.AllChannelSubtypes.(*types.CommunicationLimitsMemberCommunicationLimitsList).Value
	if len(list) != 2 || aws.ToInt32(list[1].Frequency) != 7 || aws.ToInt32(list[1].MaxCountPerRecipient) != 3 {
		t.Fatalf("limits read back: %+v", list)
	}
	for _, bad := range []string{
		`{"communicationLimitsConfig":{"allChannelSubtypes":{"communicationLimitsList":[{"maxCountPerRecipient":1,"frequency":1,"unit":"WEEK"}]}}}`,
		`{"communicationLimitsConfig":{"allChannelSubtypes":{"communicationLimitsList":[{"maxCountPerRecipient":1,"frequency":31,"unit":"DAY"}]}}}`,
		`{"communicationLimitsConfig":{"allChannelSubtypes":{"communicationLimitsList":[{"maxCountPerRecipient":0,"frequency":1,"unit":"DAY"}]}}}`,
		`{"communicationLimitsConfig":{"allChannelSubtypes":{"communicationLimitsList":[{"maxCountPerRecipient":1,"frequency":1,"unit":"DAY"},{"maxCountPerRecipient":2,"frequency":1,"unit":"DAY"}]}}}`,
		`{"communicationLimitsConfig":{"allChannelSubtypes":{"communicationLimitsList":[{"maxCountPerRecipient":1,"frequency":1,"unit":"DAY"},{"maxCountPerRecipient":2,"frequency":2,"unit":"DAY"},{"maxCountPerRecipient":3,"frequency":3,"unit":"DAY"}]}}}`,
		`{}`,
	} {
		e.wantErr("PUT", "/v2/connect-instance/"+instanceID+"/communication-limits", bad, 400, "ValidationException")
	}

	// Offboarding.
	_, err = e.cli.DeleteInstanceOnboardingJob(e.ctx, &cc.DeleteInstanceOnboardingJobInput{ConnectInstanceId: inst})
	must(t, err)
	_, err = e.cli.GetInstanceOnboardingJobStatus(e.ctx, &cc.GetInstanceOnboardingJobStatusInput{ConnectInstanceId: inst})
	if c := apiCode(t, err); c != "ResourceNotFoundException" {
		t.Fatalf("job after delete: %s", c)
	}
	_, err = e.cli.DeleteConnectInstanceConfig(e.ctx, &cc.DeleteConnectInstanceConfigInput{ConnectInstanceId: inst})
	must(t, err)
	_, err = e.cli.GetConnectInstanceConfig(e.ctx, &cc.GetConnectInstanceConfigInput{ConnectInstanceId: inst})
	if c := apiCode(t, err); c != "ResourceNotFoundException" {
		t.Fatalf("config after delete: %s", c)
	}
}

func TestCampaignLifecycle(t *testing.T) {
	e := newEnv(t, core.Options{})
	e.onboard()
	created, err := e.cli.CreateCampaign(e.ctx, &cc.CreateCampaignInput{Name: aws.String("winback-sms"), ConnectInstanceId: aws.String(instanceID),
		ChannelSubtypeConfig: &types.ChannelSubtypeConfig{Sms: &types.SmsChannelSubtypeConfig{Capacity: aws.Float64(1), OutboundMode: &types.SmsOutboundModeMemberAgentless{},
			DefaultOutboundConfig: &types.SmsOutboundConfig{ConnectSourcePhoneNumberArn: aws.String(phoneARN), WisdomTemplateArn: aws.String(templateARN)}}},
		Source:   &types.SourceMemberCustomerProfilesSegmentArn{Value: segARN},
		Schedule: &types.Schedule{StartTime: aws.Time(time.Date(2026, 12, 1, 15, 0, 0, 0, time.UTC)), EndTime: aws.Time(time.Date(2099, 12, 31, 23, 0, 0, 0, time.UTC)), RefreshFrequency: aws.String("P1D")},
		CommunicationTimeConfig: &types.CommunicationTimeConfig{LocalTimeZoneConfig: &types.LocalTimeZoneConfig{DefaultTimeZone: aws.String("America/Los_Angeles"),
			LocalTimeZoneDetection: []types.LocalTimeZoneDetectionType{types.LocalTimeZoneDetectionTypeZipCode}},
			Sms: &types.TimeWindow{OpenHours: &types.OpenHoursMemberDailyHours{Value: map[string][]types.TimeRange{"MONDAY": {{StartTime: aws.String("T09:00"), EndTime: aws.String("T20:00")}}}},
				RestrictedPeriods: &types.RestrictedPeriodsMemberRestrictedPeriodList{Value: []types.RestrictedPeriod{{Name: aws.String("xmas"), StartDate: aws.String("2026-12-24"), EndDate: aws.String("2026-12-26")}}}}},
		Tags: map[string]string{"owner": instanceARN, "p2c:plan": "abc"}})
	must(t, err)
	id := aws.ToString(created.Id)
	if !strings.HasSuffix(aws.ToString(created.Arn), ":campaign/"+id) || created.Tags["p2c:plan"] != "abc" || len(id) != 36 {
		t.Fatalf("create: %+v", created)
	}
	d, err := e.cli.DescribeCampaign(e.ctx, &cc.DescribeCampaignInput{Id: created.Id})
	must(t, err)
	c := d.Campaign
	if aws.ToString(c.Name) != "winback-sms" || c.Source.(*types.SourceMemberCustomerProfilesSegmentArn).Value != segARN ||
		!c.Schedule.StartTime.Equal(time.Date(2026, 12, 1, 15, 0, 0, 0, time.UTC)) ||
		aws.ToString(c.ChannelSubtypeConfig.Sms.DefaultOutboundConfig.WisdomTemplateArn) != templateARN ||
		aws.ToString(c.CommunicationTimeConfig.Sms.RestrictedPeriods.(*types.RestrictedPeriodsMemberRestrictedPeriodList).Value[0].Name) != "xmas" {
		t.Fatalf("describe: %+v", c)
	}
	// The wire carries ISO 8601 strings for campaign timestamps.
	raw := e.call("GET", "/v2/campaigns/"+id, "", 200)
	if got := raw["campaign"].(map[string]any)["schedule"].(map[string]any)["startTime"]; got != "2026-12-01T15:00:00Z" {
		t.Fatalf("startTime on the wire: %v", got)
	}
	if raw["campaign"].(map[string]any)["type"] != "MANAGED" {
		t.Fatalf("type defaults to MANAGED: %v", raw["campaign"])
	}

	state := func(want types.CampaignState) {
		t.Helper()
		out, err := e.cli.GetCampaignState(e.ctx, &cc.GetCampaignStateInput{Id: created.Id})
		must(t, err)
		if out.State != want {
			t.Fatalf("state %s, want %s", out.State, want)
		}
	}
	wrongState := func(err error, in types.CampaignState) {
		t.Helper()
		var ise *types.InvalidCampaignStateException
		if !errors.As(err, &ise) || ise.State != in {
			t.Fatalf("want InvalidCampaignStateException in %s, got %v", in, err)
		}
	}
	state(types.CampaignStateInitialized)
	_, err = e.cli.PauseCampaign(e.ctx, &cc.PauseCampaignInput{Id: created.Id})
	wrongState(err, types.CampaignStateInitialized)
	_, err = e.cli.ResumeCampaign(e.ctx, &cc.ResumeCampaignInput{Id: created.Id})
	wrongState(err, types.CampaignStateInitialized)
	_, err = e.cli.StopCampaign(e.ctx, &cc.StopCampaignInput{Id: created.Id})
	wrongState(err, types.CampaignStateInitialized)
	_, err = e.cli.StartCampaign(e.ctx, &cc.StartCampaignInput{Id: created.Id})
	must(t, err)
	state(types.CampaignStateRunning)
	_, err = e.cli.StartCampaign(e.ctx, &cc.StartCampaignInput{Id: created.Id})
	wrongState(err, types.CampaignStateRunning)
	// The model does not list InvalidCampaignStateException for
	// DeleteCampaign, so the SDK reports it as a generic API error.
	_, err = e.cli.DeleteCampaign(e.ctx, &cc.DeleteCampaignInput{Id: created.Id})
	if c := apiCode(t, err); c != "InvalidCampaignStateException" {
		t.Fatalf("delete while running: %s", c)
	}
	out := e.wantErr("DELETE", "/v2/campaigns/"+id, "", 409, "InvalidCampaignStateException")
	if out["state"] != "Running" {
		t.Fatalf("error body state: %v", out)
	}
	_, err = e.cli.UpdateCampaignSchedule(e.ctx, &cc.UpdateCampaignScheduleInput{Id: created.Id, Schedule: c.Schedule})
	wrongState(err, types.CampaignStateRunning)
	_, err = e.cli.PauseCampaign(e.ctx, &cc.PauseCampaignInput{Id: created.Id})
	must(t, err)
	state(types.CampaignStatePaused)
	_, err = e.cli.ResumeCampaign(e.ctx, &cc.ResumeCampaignInput{Id: created.Id})
	must(t, err)
	state(types.CampaignStateRunning)
	_, err = e.cli.StopCampaign(e.ctx, &cc.StopCampaignInput{Id: created.Id})
	must(t, err)
	state(types.CampaignStateStopped)
	_, err = e.cli.StartCampaign(e.ctx, &cc.StartCampaignInput{Id: created.Id})
	wrongState(err, types.CampaignStateStopped)

	batch, err := e.cli.GetCampaignStateBatch(e.ctx, &cc.GetCampaignStateBatchInput{CampaignIds: []string{id, "missing"}})
	must(t, err)
	if len(batch.SuccessfulRequests) != 1 || batch.SuccessfulRequests[0].State != types.CampaignStateStopped ||
		len(batch.FailedRequests) != 1 || batch.FailedRequests[0].FailureCode != types.GetCampaignStateBatchFailureCodeResourceNotFound {
		t.Fatalf("batch: %+v", batch)
	}
	e.wantErr("POST", "/v2/campaigns-state", `{"campaignIds":[]}`, 400, "ValidationException")

	_, err = e.cli.DeleteCampaign(e.ctx, &cc.DeleteCampaignInput{Id: created.Id})
	must(t, err)
	_, err = e.cli.DescribeCampaign(e.ctx, &cc.DescribeCampaignInput{Id: created.Id})
	if c := apiCode(t, err); c != "ResourceNotFoundException" {
		t.Fatalf("describe after delete: %s", c)
	}
	for _, op := range []string{"start", "pause", "resume", "stop"} {
		e.wantErr("POST", "/v2/campaigns/"+id+"/"+op, "", 404, "ResourceNotFoundException")
	}
}

func TestCampaignCompletesAtScheduleEnd(t *testing.T) {
	e := newEnv(t, core.Options{})
	now := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	e.svc.SetClock(func() time.Time { return now })
	e.onboard()
	spec := smsCampaign("short")
	spec["schedule"] = map[string]any{"startTime": "2026-12-01T00:00:00Z", "endTime": "2026-12-02T00:00:00Z"}
	id := e.create(spec)
	e.call("POST", "/v2/campaigns/"+id+"/start", "", 200)
	now = now.Add(48 * time.Hour)
	if st := e.call("GET", "/v2/campaigns/"+id+"/state", "", 200)["state"]; st != "Completed" {
		t.Fatalf("state after the schedule ended: %v", st)
	}
	e.call("DELETE", "/v2/campaigns/"+id, "", 200)
}

func TestCreateCampaignValidation(t *testing.T) {
	e := newEnv(t, core.Options{})
	e.onboard()
	mod := func(f func(m map[string]any)) string {
		m := smsCampaign("bad")
		f(m)
		return js(m)
	}
	sms := func(m map[string]any) map[string]any {
		return m["channelSubtypeConfig"].(map[string]any)["sms"].(map[string]any)
	}
	cases := map[string]string{
		"missing name":         mod(func(m map[string]any) { delete(m, "name") }),
		"long name":            mod(func(m map[string]any) { m["name"] = strings.Repeat("n", 128) }),
		"bad instance":         mod(func(m map[string]any) { m["connectInstanceId"] = "has space" }),
		"no channel":           mod(func(m map[string]any) { delete(m, "channelSubtypeConfig") }),
		"journey without flow": mod(func(m map[string]any) { m["type"] = "JOURNEY" }),
		"bad type":             mod(func(m map[string]any) { m["type"] = "PREDICTIVE" }),
		"two modes": mod(func(m map[string]any) {
			m["channelSubtypeConfig"] = map[string]any{"telephony": map[string]any{"connectQueueId": "q", "outboundMode": map[string]any{"agentless": map[string]any{}, "progressive": map[string]any{"bandwidthAllocation": 1}},
				"defaultOutboundConfig": map[string]any{"connectContactFlowId": "f"}}}
		}),
		"no mode":            mod(func(m map[string]any) { sms(m)["outboundMode"] = map[string]any{} }),
		"capacity too small": mod(func(m map[string]any) { sms(m)["capacity"] = 0.001 }),
		"queue missing": mod(func(m map[string]any) {
			m["channelSubtypeConfig"] = map[string]any{"telephony": map[string]any{"outboundMode": map[string]any{"progressive": map[string]any{"bandwidthAllocation": 1}},
				"defaultOutboundConfig": map[string]any{"connectContactFlowId": "f"}}}
		}),
		"ring timeout": mod(func(m map[string]any) {
			m["channelSubtypeConfig"] = map[string]any{"telephony": map[string]any{"outboundMode": map[string]any{"agentless": map[string]any{}},
				"defaultOutboundConfig": map[string]any{"connectContactFlowId": "f", "ringTimeout": 10}}}
		}),
		"EUM phone ARN": mod(func(m map[string]any) {
			sms(m)["defaultOutboundConfig"].(map[string]any)["connectSourcePhoneNumberArn"] = "arn:aws:sms-voice:us-east-1:111122223333:phone-number/phone-123"
		}),
		"missing template": mod(func(m map[string]any) { delete(sms(m)["defaultOutboundConfig"].(map[string]any), "wisdomTemplateArn") }),
		"pinpoint template": mod(func(m map[string]any) {
			sms(m)["defaultOutboundConfig"].(map[string]any)["wisdomTemplateArn"] = "arn:aws:mobiletargeting:us-east-1:111122223333:templates/t/SMS"
		}),
		"email address": mod(func(m map[string]any) {
			m["channelSubtypeConfig"] = map[string]any{"email": map[string]any{"outboundMode": map[string]any{"agentless": map[string]any{}},
				"defaultOutboundConfig": map[string]any{"connectSourceEmailAddress": "not-an-address", "wisdomTemplateArn": templateARN}}}
		}),
		"two sources": mod(func(m map[string]any) {
			m["source"] = map[string]any{"customerProfilesSegmentArn": segARN, "eventTrigger": map[string]any{"customerProfilesDomainArn": domARN}}
		}),
		"segment ARN is a domain": mod(func(m map[string]any) { m["source"] = map[string]any{"customerProfilesSegmentArn": domARN} }),
		"event domain ARN": mod(func(m map[string]any) {
			m["source"] = map[string]any{"eventTrigger": map[string]any{"customerProfilesDomainArn": segARN}}
		}),
		"schedule reversed": mod(func(m map[string]any) {
			m["schedule"] = map[string]any{"startTime": "2027-01-01T00:00:00Z", "endTime": "2026-01-01T00:00:00Z"}
		}),
		"schedule no end": mod(func(m map[string]any) { m["schedule"] = map[string]any{"startTime": "2027-01-01T00:00:00Z"} }),
		"schedule garbage": mod(func(m map[string]any) {
			m["schedule"] = map[string]any{"startTime": "tomorrow", "endTime": "2027-01-01T00:00:00Z"}
		}),
		"refresh": mod(func(m map[string]any) { m["schedule"].(map[string]any)["refreshFrequency"] = "daily" }),
		"entry limits": mod(func(m map[string]any) {
			m["entryLimitsConfig"] = map[string]any{"maxEntryCount": -1, "minEntryInterval": "P1D"}
		}),
		"no time zone": mod(func(m map[string]any) { delete(m["communicationTimeConfig"].(map[string]any), "localTimeZoneConfig") }),
		"bad hours": mod(func(m map[string]any) {
			m["communicationTimeConfig"].(map[string]any)["sms"] = map[string]any{"openHours": map[string]any{"dailyHours": map[string]any{"MONDAY": []any{map[string]any{"startTime": "9:00", "endTime": "T20:00"}}}}}
		}),
		"hours reversed": mod(func(m map[string]any) {
			m["communicationTimeConfig"].(map[string]any)["sms"] = map[string]any{"openHours": map[string]any{"dailyHours": map[string]any{"MONDAY": []any{map[string]any{"startTime": "T21:00", "endTime": "T20:00"}}}}}
		}),
		"bad day": mod(func(m map[string]any) {
			m["communicationTimeConfig"].(map[string]any)["sms"] = map[string]any{"openHours": map[string]any{"dailyHours": map[string]any{"FUNDAY": []any{}}}}
		}),
		"restricted reversed": mod(func(m map[string]any) {
			m["communicationTimeConfig"].(map[string]any)["sms"].(map[string]any)["restrictedPeriods"] = map[string]any{"restrictedPeriodList": []any{map[string]any{"startDate": "2026-12-26", "endDate": "2026-12-24"}}}
		}),
		"limit unit": mod(func(m map[string]any) {
			m["communicationLimitsOverride"] = map[string]any{"allChannelSubtypes": map[string]any{"communicationLimitsList": []any{map[string]any{"maxCountPerRecipient": 1, "frequency": 1, "unit": "HOUR"}}}}
		}),
		"limit handling": mod(func(m map[string]any) {
			m["communicationLimitsOverride"] = map[string]any{"instanceLimitsHandling": "MAYBE"}
		}),
		"reserved tag": mod(func(m map[string]any) { m["tags"] = map[string]any{"aws:owner": "x"} }),
		"flow ARN": mod(func(m map[string]any) {
			m["connectCampaignFlowArn"] = "arn:aws:connect:us-east-1:111122223333:instance/x/queue/q"
		}),
	}
	for name, body := range cases {
		t.Run(name, func(t *testing.T) {
			e.t = t
			e.wantErr("PUT", "/v2/campaigns", body, 400, "ValidationException")
		})
	}
	e.t = t
	e.wantErr("PUT", "/v2/campaigns", `{"name":`, 400, "ValidationException")
	// Nothing was created by the refused calls.
	if l := e.call("POST", "/v2/campaigns-summary", `{}`, 200)["campaignSummaryList"].([]any); len(l) != 0 {
		t.Fatalf("refused creates left campaigns: %v", l)
	}
	// Unknown routes and methods answer in this service's error format.
	e.wantErr("GET", "/v2/nothing-here", "", 404, "ValidationException")
}

func TestUpdateOperations(t *testing.T) {
	e := newEnv(t, core.Options{})
	e.onboard()
	id := e.create(smsCampaign("before"))
	idp := aws.String(id)
	describe := func() map[string]any {
		return e.call("GET", "/v2/campaigns/"+id, "", 200)["campaign"].(map[string]any)
	}

	_, err := e.cli.UpdateCampaignName(e.ctx, &cc.UpdateCampaignNameInput{Id: idp, Name: aws.String("after")})
	must(t, err)
	_, err = e.cli.UpdateCampaignSchedule(e.ctx, &cc.UpdateCampaignScheduleInput{Id: idp, Schedule: &types.Schedule{
		StartTime: aws.Time(time.Date(2027, 1, 1, 8, 0, 0, 0, time.UTC)), EndTime: aws.Time(time.Date(2027, 2, 1, 8, 0, 0, 0, time.UTC)), RefreshFrequency: aws.String("PT1H")}})
	must(t, err)
	_, err = e.cli.UpdateCampaignSource(e.ctx, &cc.UpdateCampaignSourceInput{Id: idp, Source: &types.SourceMemberCustomerProfilesSegmentArn{Value: segARN + "2"}})
	must(t, err)
	_, err = e.cli.UpdateCampaignSource(e.ctx, &cc.UpdateCampaignSourceInput{Id: idp, Source: &types.SourceMemberEventTrigger{Value: types.EventTrigger{CustomerProfilesDomainArn: aws.String(domARN)}}})
	if c := apiCode(t, err); c != "ValidationException" {
		t.Fatalf("source kind change: %s", c)
	}
	_, err = e.cli.UpdateCampaignChannelSubtypeConfig(e.ctx, &cc.UpdateCampaignChannelSubtypeConfigInput{Id: idp, ChannelSubtypeConfig: &types.ChannelSubtypeConfig{
		Email: &types.EmailChannelSubtypeConfig{OutboundMode: &types.EmailOutboundModeMemberAgentless{},
			DefaultOutboundConfig: &types.EmailOutboundConfig{ConnectSourceEmailAddress: aws.String("news@example.com"), SourceEmailAddressDisplayName: aws.String("News"), WisdomTemplateArn: aws.String(templateARN)}}}})
	must(t, err)
	_, err = e.cli.UpdateCampaignCommunicationTime(e.ctx, &cc.UpdateCampaignCommunicationTimeInput{Id: idp, CommunicationTimeConfig: &types.CommunicationTimeConfig{
		LocalTimeZoneConfig: &types.LocalTimeZoneConfig{DefaultTimeZone: aws.String("Europe/Berlin")},
		Email:               &types.TimeWindow{OpenHours: &types.OpenHoursMemberDailyHours{Value: map[string][]types.TimeRange{"FRIDAY": {{StartTime: aws.String("T08:00"), EndTime: aws.String("T12:00")}}}}},
		Sms:                 &types.TimeWindow{OpenHours: &types.OpenHoursMemberDailyHours{Value: map[string][]types.TimeRange{"FRIDAY": {{StartTime: aws.String("T08:00"), EndTime: aws.String("T12:00")}}}}}}})
	must(t, err)
	_, err = e.cli.UpdateCampaignCommunicationLimits(e.ctx, &cc.UpdateCampaignCommunicationLimitsInput{Id: idp, CommunicationLimitsOverride: &types.CommunicationLimitsConfig{
		AllChannelSubtypes:     &types.CommunicationLimitsMemberCommunicationLimitsList{Value: []types.CommunicationLimit{{MaxCountPerRecipient: aws.Int32(5), Frequency: aws.Int32(30), Unit: types.CommunicationLimitTimeUnitDay}}},
		InstanceLimitsHandling: types.InstanceLimitsHandlingOptOut}})
	must(t, err)
	_, err = e.cli.UpdateCampaignFlowAssociation(e.ctx, &cc.UpdateCampaignFlowAssociationInput{Id: idp, ConnectCampaignFlowArn: aws.String(flowARN)})
	must(t, err)
	// Entry limits are newer than the v1.5.0 SDK: raw requests.
	e.call("POST", "/v2/campaigns/"+id+"/entry-limits", `{"entryLimitsConfig":{"maxEntryCount":3,"minEntryInterval":"P7D"}}`, 200)

	c := describe()
	want := map[string]any{
		"name":                   "after",
		"schedule":               map[string]any{"startTime": "2027-01-01T08:00:00Z", "endTime": "2027-02-01T08:00:00Z", "refreshFrequency": "PT1H"},
		"source":                 map[string]any{"customerProfilesSegmentArn": segARN + "2"},
		"connectCampaignFlowArn": flowARN,
		"entryLimitsConfig":      map[string]any{"maxEntryCount": float64(3), "minEntryInterval": "P7D"},
		"communicationLimitsOverride": map[string]any{"allChannelSubtypes": map[string]any{"communicationLimitsList": []any{
			map[string]any{"maxCountPerRecipient": float64(5), "frequency": float64(30), "unit": "DAY"}}}, "instanceLimitsHandling": "OPT_OUT"},
	}
	for k, v := range want {
		if !reflect.DeepEqual(c[k], v) {
			t.Errorf("%s = %s, want %s", k, js(c[k]), js(v))
		}
	}
	cfg := c["channelSubtypeConfig"].(map[string]any)
	if cfg["sms"] == nil || cfg["email"] == nil {
		t.Fatalf("channel subtype config keeps sms and adds email: %s", js(cfg))
	}

	// Deletes of parts.
	_, err = e.cli.DeleteCampaignChannelSubtypeConfig(e.ctx, &cc.DeleteCampaignChannelSubtypeConfigInput{Id: idp, ChannelSubtype: types.ChannelSubtypeSms})
	must(t, err)
	_, err = e.cli.DeleteCampaignCommunicationTime(e.ctx, &cc.DeleteCampaignCommunicationTimeInput{Id: idp, Config: types.CommunicationTimeConfigTypeSms})
	must(t, err)
	_, err = e.cli.DeleteCampaignCommunicationLimits(e.ctx, &cc.DeleteCampaignCommunicationLimitsInput{Id: idp, Config: types.CommunicationLimitsConfigTypeAllChannelSubtypes})
	must(t, err)
	e.call("DELETE", "/v2/campaigns/"+id+"/entry-limits", "", 200)
	c = describe()
	if _, ok := c["channelSubtypeConfig"].(map[string]any)["sms"]; ok {
		t.Errorf("sms config not deleted: %s", js(c["channelSubtypeConfig"]))
	}
	if _, ok := c["communicationTimeConfig"].(map[string]any)["sms"]; ok {
		t.Errorf("sms window not deleted: %s", js(c["communicationTimeConfig"]))
	}
	if c["entryLimitsConfig"] != nil || js(c["communicationLimitsOverride"]) != `{"instanceLimitsHandling":"OPT_OUT"}` {
		t.Errorf("limits not deleted: %s %s", js(c["entryLimitsConfig"]), js(c["communicationLimitsOverride"]))
	}
	e.wantErr("DELETE", "/v2/campaigns/"+id+"/channel-subtype-config?channelSubtype=PIGEON", "", 400, "ValidationException")
	e.wantErr("DELETE", "/v2/campaigns/"+id+"/communication-limits", "", 400, "ValidationException")
	// The last channel of a managed campaign cannot go.
	e.wantErr("DELETE", "/v2/campaigns/"+id+"/channel-subtype-config?channelSubtype=EMAIL", "", 400, "ValidationException")
	// Updates are checked like creates.
	e.wantErr("POST", "/v2/campaigns/"+id+"/schedule", `{"schedule":{"startTime":"2027-01-01T00:00:00Z","endTime":"2026-01-01T00:00:00Z"}}`, 400, "ValidationException")
	e.wantErr("POST", "/v2/campaigns/"+id+"/name", `{"name":""}`, 400, "ValidationException")
	e.wantErr("POST", "/v2/campaigns/missing/name", `{"name":"x"}`, 404, "ResourceNotFoundException")

	// A campaign created without a source cannot get one.
	spec := smsCampaign("no-source")
	delete(spec, "source")
	id2 := e.create(spec)
	e.wantErr("POST", "/v2/campaigns/"+id2+"/source", js(map[string]any{"source": map[string]any{"customerProfilesSegmentArn": segARN}}), 400, "ValidationException")
}

func TestListCampaignsPagingAndFilter(t *testing.T) {
	e := newEnv(t, core.Options{})
	e.onboard()
	e.call("PUT", "/v2/connect-instance/other-instance/onboarding", `{"encryptionConfig":{"enabled":false}}`, 200)
	for i := 0; i < 23; i++ {
		spec := smsCampaign(fmt.Sprintf("c%02d", i))
		if i%3 == 0 {
			spec["connectInstanceId"] = "other-instance"
		}
		e.create(spec)
	}
	var names []string
	pages := 0
	p := cc.NewListCampaignsPaginator(e.cli, &cc.ListCampaignsInput{MaxResults: aws.Int32(5),
		Filters: &types.CampaignFilters{InstanceIdFilter: &types.InstanceIdFilter{Value: aws.String(instanceID), Operator: types.InstanceIdFilterOperatorEq}}})
	for p.HasMorePages() {
		out, err := p.NextPage(e.ctx)
		must(t, err)
		pages++
		for _, s := range out.CampaignSummaryList {
			names = append(names, aws.ToString(s.Name))
			if aws.ToString(s.ConnectInstanceId) != instanceID || len(s.ChannelSubtypes) != 1 || s.ChannelSubtypes[0] != types.ChannelSubtypeSms {
				t.Fatalf("summary %+v", s)
			}
		}
	}
	if len(names) != 15 || pages != 3 || names[0] != "c01" {
		t.Fatalf("filtered list: %d pages %v", pages, names)
	}
	// Without maxResults a page holds the default size.
	out := e.call("POST", "/v2/campaigns-summary", `{}`, 200)
	if l := out["campaignSummaryList"].([]any); len(l) != 10 || out["nextToken"] == nil {
		t.Fatalf("default page: %d items, next %v", len(l), out["nextToken"])
	}
	e.wantErr("POST", "/v2/campaigns-summary", `{"maxResults":51}`, 400, "ValidationException")
	e.wantErr("POST", "/v2/campaigns-summary", `{"nextToken":"bogus"}`, 400, "ValidationException")
	e.wantErr("POST", "/v2/campaigns-summary", `{"filters":{"instanceIdFilter":{"value":"x"}}}`, 400, "ValidationException")
}

func TestCampaignQuotas(t *testing.T) {
	e := newEnv(t, core.Options{})
	e.onboard()
	spec := smsCampaign("q")
	var ids []string
	for i := 0; i < 500; i++ {
		ids = append(ids, e.create(spec))
	}
	e.wantErr("PUT", "/v2/campaigns", js(spec), 402, "ServiceQuotaExceededException")
	for _, id := range ids[:50] {
		e.call("POST", "/v2/campaigns/"+id+"/start", "", 200)
	}
	e.wantErr("POST", "/v2/campaigns/"+ids[50]+"/start", "", 402, "ServiceQuotaExceededException")
	// A stopped campaign no longer counts as active.
	e.call("POST", "/v2/campaigns/"+ids[0]+"/stop", "", 200)
	e.call("POST", "/v2/campaigns/"+ids[50]+"/start", "", 200)
	// Deleting one makes room for another.
	e.call("DELETE", "/v2/campaigns/"+ids[499], "", 200)
	e.create(spec)
}

func TestThrottling(t *testing.T) {
	e := newEnv(t, core.Options{Quotas: true})
	e.onboard()
	spec := js(smsCampaign("t"))
	e.call("PUT", "/v2/campaigns", spec, 200)
	e.wantErr("PUT", "/v2/campaigns", spec, 429, "ThrottlingException")
	// DescribeCampaign has its own, larger quota.
	calls := 0
	for {
		st, code, _ := e.raw("GET", "/v2/campaigns/missing", "")
		if st == 429 {
			if code != "ThrottlingException" {
				t.Fatalf("throttled with %s", code)
			}
			break
		}
		calls++
		if calls > 100 {
			t.Fatal("DescribeCampaign never throttled")
		}
	}
	if calls < 20 || calls > 30 {
		t.Fatalf("DescribeCampaign throttled after %d calls, want about 25", calls)
	}
	if q := e.svc.Quota("UpdateCampaignSchedule"); q != 2 {
		t.Fatalf("everything-else quota %v", q)
	}
}

func TestTagsAndOutboundBatches(t *testing.T) {
	e := newEnv(t, core.Options{})
	e.onboard()
	id := e.create(smsCampaign("tags"))
	arn := "arn:aws:connect-campaigns:us-east-1:111122223333:campaign/" + id
	_, err := e.cli.TagResource(e.ctx, &cc.TagResourceInput{Arn: aws.String(arn), Tags: map[string]string{"p2c:step": "campaign/x", "team": "growth"}})
	must(t, err)
	_, err = e.cli.UntagResource(e.ctx, &cc.UntagResourceInput{Arn: aws.String(arn), TagKeys: []string{"team"}})
	must(t, err)
	tags, err := e.cli.ListTagsForResource(e.ctx, &cc.ListTagsForResourceInput{Arn: aws.String(arn)})
	must(t, err)
	if !reflect.DeepEqual(tags.Tags, map[string]string{"owner": instanceARN, "p2c:step": "campaign/x"}) {
		t.Fatalf("tags %v", tags.Tags)
	}
	_, err = e.cli.ListTagsForResource(e.ctx, &cc.ListTagsForResourceInput{Arn: aws.String("arn:aws:connect-campaigns:us-east-1:111122223333:campaign/nope")})
	if c := apiCode(t, err); c != "ResourceNotFoundException" {
		t.Fatalf("unknown arn: %s", c)
	}
	e.wantErr("POST", "/v2/tags/"+url.PathEscape(arn), `{"tags":{"aws:x":"y"}}`, 400, "ValidationException")

	reqs := &cc.PutProfileOutboundRequestBatchInput{Id: aws.String(id), ProfileOutboundRequests: []types.ProfileOutboundRequest{
		{ClientToken: aws.String("t1"), ProfileId: aws.String("0123456789abcdef0123456789abcdef")}}}
	_, err = e.cli.PutProfileOutboundRequestBatch(e.ctx, reqs)
	if c := apiCode(t, err); c != "InvalidCampaignStateException" {
		t.Fatalf("batch on an idle campaign: %s", c)
	}
	e.call("POST", "/v2/campaigns/"+id+"/start", "", 200)
	a, err := e.cli.PutProfileOutboundRequestBatch(e.ctx, reqs)
	must(t, err)
	b, err := e.cli.PutProfileOutboundRequestBatch(e.ctx, reqs)
	must(t, err)
	if len(a.SuccessfulRequests) != 1 || aws.ToString(a.SuccessfulRequests[0].Id) != aws.ToString(b.SuccessfulRequests[0].Id) {
		t.Fatalf("profile batch not idempotent: %+v %+v", a.SuccessfulRequests, b.SuccessfulRequests)
	}
	out, err := e.cli.PutOutboundRequestBatch(e.ctx, &cc.PutOutboundRequestBatchInput{Id: aws.String(id), OutboundRequests: []types.OutboundRequest{
		{ClientToken: aws.String("o1"), ExpirationTime: aws.Time(time.Now().Add(time.Hour)), ChannelSubtypeParameters: &types.ChannelSubtypeParametersMemberSms{
			Value: types.SmsChannelSubtypeParameters{DestinationPhoneNumber: aws.String("+12065550100"), TemplateParameters: map[string]string{"name": "Ann"}}}},
		{ClientToken: aws.String("o2"), ExpirationTime: aws.Time(time.Now().Add(-time.Hour)), ChannelSubtypeParameters: &types.ChannelSubtypeParametersMemberSms{
			Value: types.SmsChannelSubtypeParameters{DestinationPhoneNumber: aws.String("+12065550101"), TemplateParameters: map[string]string{}}}}}})
	must(t, err)
	if len(out.SuccessfulRequests) != 1 || len(out.FailedRequests) != 1 || out.FailedRequests[0].FailureCode != types.FailureCodeInvalidInput {
		t.Fatalf("outbound batch: %+v", out)
	}
}

// TestPlannedCampaignSpecs sends the CreateCampaign specs p2c's planner
// writes for the demo seed (placeholders filled as apply fills them) and
// reads every member back unchanged.
func TestPlannedCampaignSpecs(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "blueprint", "testdata", "demo.plan.golden.json"))
	if err != nil {
		t.Skipf("no planner golden file: %v", err)
	}
	var plan struct {
		Steps []struct {
			ID        string         `json:"id"`
			Service   string         `json:"service"`
			Operation string         `json:"operation"`
			Spec      map[string]any `json:"spec"`
		} `json:"steps"`
	}
	if err := json.Unmarshal(b, &plan); err != nil {
		t.Fatal(err)
	}
	e := newEnv(t, core.Options{})
	e.onboard()
	n := 0
	for _, st := range plan.Steps {
		if st.Service != "connectcampaignsv2" {
			continue
		}
		spec := fillPlaceholders(st.Spec, "").(map[string]any)
		switch st.Operation {
		case "CreateCampaign":
			id := e.create(spec)
			got := e.call("GET", "/v2/campaigns/"+id, "", 200)["campaign"].(map[string]any)
			for k, v := range spec {
				if !reflect.DeepEqual(normalize(got[k]), normalize(v)) {
					t.Errorf("%s: %s = %s, want %s", st.ID, k, js(got[k]), js(v))
				}
			}
			n++
		case "PutInstanceCommunicationLimits":
			e.call("PUT", "/v2/connect-instance/"+instanceID+"/communication-limits", js(spec), 200)
		}
	}
	if n == 0 {
		t.Fatal("the demo plan has no CreateCampaign step")
	}
}

// fillPlaceholders replaces the plan's {{decision:…}} and {{step:…}}
// references by values of the right kind for the member that holds them.
func fillPlaceholders(v any, key string) any {
	switch x := v.(type) {
	case map[string]any:
		for k, val := range x {
			x[k] = fillPlaceholders(val, k)
		}
		return x
	case []any:
		for i, val := range x {
			x[i] = fillPlaceholders(val, key)
		}
		return x
	case string:
		if !strings.Contains(x, "{{") {
			return x
		}
		switch key {
		case "connectInstanceId":
			return instanceID
		case "owner":
			return instanceARN
		case "wisdomTemplateArn":
			return templateARN
		case "connectSourcePhoneNumberArn":
			return phoneARN
		case "customerProfilesSegmentArn":
			return segARN
		case "connectSourceEmailAddress":
			return "news@example.com"
		case "defaultTimeZone":
			return "America/New_York"
		case "connectCampaignFlowArn":
			return flowARN
		case "startTime", "endTime":
			return "2099-01-01T00:00:00Z"
		}
		if i := strings.Index(x, "{{"); i >= 0 {
			if j := strings.Index(x[i:], "}}"); j >= 0 {
				return fillPlaceholders(x[:i]+"111122223333"+x[i+j+2:], key)
			}
		}
	}
	return v
}

// normalize makes numbers comparable whatever their Go type.
func normalize(v any) any {
	b, _ := json.Marshal(v)
	var out any
	_ = json.Unmarshal(b, &out)
	return out
}
