package campaigns_test

import (
	"strings"
	"testing"

	"github.com/p2c/p2c/internal/emulator/core"
	"github.com/p2c/p2c/internal/emulator/emutest"
)

// cliScript runs aws connectcampaignsv2 commands in order, in one Python
// process (see emutest.CLIBatch). Each step is a name followed by the
// command's arguments; a name starting with "!" marks a command that must
// fail, whose output is {"stderr": ...}. Outputs are returned by name.
func cliScript(t *testing.T, url string, steps ...[]string) map[string]map[string]any {
	t.Helper()
	cmds := make([][]string, len(steps))
	for i, st := range steps {
		cmds[i] = append([]string{"connectcampaignsv2"}, st[1:]...)
	}
	res := emutest.CLIBatch(t, url, cmds...)
	out := map[string]map[string]any{}
	for i, r := range res {
		name := steps[i][0]
		if strings.HasPrefix(name, "!") {
			if r.Code == 0 {
				t.Fatalf("aws %s: succeeded, want an error", strings.Join(cmds[i], " "))
			}
			out[name] = map[string]any{"stderr": r.Stderr}
			continue
		}
		if r.Code != 0 {
			t.Fatalf("aws %s: exit %d\n%s%s", strings.Join(cmds[i], " "), r.Code, r.Stdout, r.Stderr)
		}
		out[name] = r.JSON(t)
	}
	return out
}

// TestCLI drives every operation through the aws CLI, whose model is the
// current one (JOURNEY, entry limits and WhatsApp included).
func TestCLI(t *testing.T) {
	emutest.RequireCLI(t)
	e := newEnv(t, core.Options{})
	u := e.url
	inst := []string{"--connect-instance-id", instanceID}
	with := func(args []string, more ...string) []string { return append(append([]string{}, args...), more...) }

	r := cliScript(t, u,
		with([]string{"onboard", "start-instance-onboarding-job", "--encryption-config", "enabled=false"}, inst...),
		with([]string{"job", "get-instance-onboarding-job-status"}, inst...),
		with([]string{"config", "get-connect-instance-config"}, inst...),
		with([]string{"integrate", "put-connect-instance-integration", "--integration-config", `{"customerProfiles":{"domainArn":"` + domARN + `","objectTypeNames":{"Campaign-SMS":"CampaignSms","Campaign-Orchestration":"CampaignOrchestration"}}}`}, inst...),
		with([]string{"integrations", "list-connect-instance-integrations"}, inst...),
		with([]string{"put-limits", "put-instance-communication-limits", "--communication-limits-config", `{"allChannelSubtypes":{"communicationLimitsList":[{"maxCountPerRecipient":1,"frequency":1,"unit":"DAY"}]}}`}, inst...),
		with([]string{"limits", "get-instance-communication-limits"}, inst...),
		[]string{"create", "create-campaign", "--cli-input-json", js(smsCampaign("cli-campaign"))},
	)
	if js(r["job"]["connectInstanceOnboardingJobStatus"]) != `{"connectInstanceId":"`+instanceID+`","status":"SUCCEEDED"}` {
		t.Fatalf("job status: %v", r["job"])
	}
	if r["config"]["connectInstanceConfig"].(map[string]any)["encryptionConfig"].(map[string]any)["enabled"] != false {
		t.Fatalf("config: %v", r["config"])
	}
	if l := r["integrations"]["integrationSummaryList"].([]any); len(l) != 1 {
		t.Fatalf("integrations: %v", r["integrations"])
	}
	if !strings.Contains(js(r["limits"]), `"frequency":1`) {
		t.Fatalf("limits: %v", r["limits"])
	}
	id, arn := r["create"]["id"].(string), r["create"]["arn"].(string)
	idArg := []string{"--id", id}

	r = cliScript(t, u,
		with([]string{"name", "update-campaign-name", "--name", "renamed"}, idArg...),
		with([]string{"schedule", "update-campaign-schedule", "--schedule", "startTime=2027-01-01T08:00:00Z,endTime=2099-02-01T08:00:00Z,refreshFrequency=PT1H"}, idArg...),
		with([]string{"source", "update-campaign-source", "--source", `{"customerProfilesSegmentArn":"` + segARN + `-2"}`}, idArg...),
		with([]string{"entry", "update-campaign-entry-limits", "--entry-limits-config", "maxEntryCount=2,minEntryInterval=P7D"}, idArg...),
		[]string{"tag", "tag-resource", "--arn", arn, "--tags", "p2c:plan=abc,team=growth"},
		with([]string{"channels", "update-campaign-channel-subtype-config", "--channel-subtype-config",
			`{"email":{"outboundMode":{"agentless":{}},"defaultOutboundConfig":{"connectSourceEmailAddress":"news@example.com","wisdomTemplateArn":"` + templateARN + `"}}}`}, idArg...),
		with([]string{"time", "update-campaign-communication-time", "--communication-time-config",
			`{"localTimeZoneConfig":{"defaultTimeZone":"Europe/Berlin"},"sms":{"openHours":{"dailyHours":{"FRIDAY":[{"startTime":"T08:00","endTime":"T12:00"}]}}},"email":{"openHours":{"dailyHours":{"FRIDAY":[{"startTime":"T08:00","endTime":"T12:00"}]}}}}`}, idArg...),
		with([]string{"limits", "update-campaign-communication-limits", "--communication-limits-override",
			`{"allChannelSubtypes":{"communicationLimitsList":[{"maxCountPerRecipient":3,"frequency":7,"unit":"DAY"}]},"instanceLimitsHandling":"OPT_OUT"}`}, idArg...),
		with([]string{"flow", "update-campaign-flow-association", "--connect-campaign-flow-arn", flowARN}, idArg...),
		[]string{"untag", "untag-resource", "--arn", arn, "--tag-keys", "team"},
		with([]string{"describe", "describe-campaign"}, idArg...),
		[]string{"list", "list-campaigns", "--filters", "instanceIdFilter={value=" + instanceID + ",operator=Eq}"},
		[]string{"tags", "list-tags-for-resource", "--arn", arn},
		with([]string{"del-channel", "delete-campaign-channel-subtype-config", "--channel-subtype", "SMS"}, idArg...),
		with([]string{"del-time", "delete-campaign-communication-time", "--config", "SMS"}, idArg...),
		with([]string{"del-limits", "delete-campaign-communication-limits", "--config", "ALL_CHANNEL_SUBTYPES"}, idArg...),
		with([]string{"del-entry", "delete-campaign-entry-limits"}, idArg...),
		with([]string{"start", "start-campaign"}, idArg...),
		with([]string{"state", "get-campaign-state"}, idArg...),
		[]string{"outbound", "put-outbound-request-batch", "--id", id, "--outbound-requests",
			`[{"clientToken":"c1","expirationTime":"2099-01-01T00:00:00Z","channelSubtypeParameters":{"email":{"destinationEmailAddress":"ann@example.com","templateParameters":{"n":"Ann"}}}}]`},
		[]string{"profile-outbound", "put-profile-outbound-request-batch", "--id", id, "--profile-outbound-requests", `[{"clientToken":"p1","profileId":"0123456789abcdef0123456789abcdef"}]`},
		with([]string{"pause", "pause-campaign"}, idArg...),
		with([]string{"resume", "resume-campaign"}, idArg...),
		with([]string{"stop", "stop-campaign"}, idArg...),
		[]string{"states", "get-campaign-state-batch", "--campaign-ids", id, "nope"},
		with([]string{"delete", "delete-campaign"}, idArg...),
		with([]string{"!describe", "describe-campaign"}, idArg...),
		with([]string{"unintegrate", "delete-connect-instance-integration", "--integration-identifier", `{"customerProfiles":{"domainArn":"` + domARN + `"}}`}, inst...),
		with([]string{"del-job", "delete-instance-onboarding-job"}, inst...),
		with([]string{"offboard", "delete-connect-instance-config", "--campaign-deletion-policy", "DELETE_ALL"}, inst...),
	)
	c := r["describe"]["campaign"].(map[string]any)
	if c["name"] != "renamed" || c["connectCampaignFlowArn"] != flowARN || js(c["entryLimitsConfig"]) != `{"maxEntryCount":2,"minEntryInterval":"P7D"}` ||
		js(c["schedule"]) != `{"endTime":"2099-02-01T08:00:00Z","refreshFrequency":"PT1H","startTime":"2027-01-01T08:00:00Z"}` {
		t.Fatalf("describe after updates: %s", js(c))
	}
	if l := r["list"]["campaignSummaryList"].([]any); len(l) != 1 || !strings.Contains(js(l[0]), `"channelSubtypes":["SMS","EMAIL"]`) {
		t.Fatalf("list: %s", js(r["list"]))
	}
	if js(r["tags"]["tags"]) != `{"owner":"`+instanceARN+`","p2c:plan":"abc"}` {
		t.Fatalf("tags: %s", js(r["tags"]))
	}
	if r["state"]["state"] != "Running" || len(r["outbound"]["successfulRequests"].([]any)) != 1 || len(r["profile-outbound"]["successfulRequests"].([]any)) != 1 {
		t.Fatalf("running: %s %s %s", js(r["state"]), js(r["outbound"]), js(r["profile-outbound"]))
	}
	if js(r["states"]) != `{"failedRequests":[{"campaignId":"nope","failureCode":"ResourceNotFound"}],"successfulRequests":[{"campaignId":"`+id+`","state":"Stopped"}]}` {
		t.Fatalf("state batch: %s", js(r["states"]))
	}
	// Errors reach the CLI with their code.
	if !strings.Contains(r["!describe"]["stderr"].(string), "ResourceNotFoundException") {
		t.Fatalf("describe after delete: %v", r["!describe"])
	}
}
