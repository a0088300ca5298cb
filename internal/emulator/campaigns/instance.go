package campaigns

import (
	"fmt"

	"github.com/p2c/p2c/internal/emulator/core"
)

func init() {
	for op, h := range map[string]handler{
		"StartInstanceOnboardingJob":       startOnboarding,
		"GetInstanceOnboardingJobStatus":   getOnboarding,
		"DeleteInstanceOnboardingJob":      deleteOnboarding,
		"GetConnectInstanceConfig":         getInstanceConfig,
		"DeleteConnectInstanceConfig":      deleteInstanceConfig,
		"PutConnectInstanceIntegration":    putIntegration,
		"ListConnectInstanceIntegrations":  listIntegrations,
		"DeleteConnectInstanceIntegration": deleteIntegration,
		"PutInstanceCommunicationLimits":   putInstanceLimits,
		"GetInstanceCommunicationLimits":   getInstanceLimits,
	} {
		handlers[op] = h
	}
}

// serviceLinkedRole is the role onboarding sets up for the instance.
const serviceLinkedRole = "arn:aws:iam::%s:role/aws-service-role/connect-campaigns.amazonaws.com/AWSServiceRoleForConnectCampaigns"

// startOnboarding onboards an instance. The job answers IN_PROGRESS and
// has SUCCEEDED by the next read, so callers exercise their polling
// without waiting. A repeated call with the same encryption is idempotent.
func startOnboarding(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	inst := r.instance(core.Str(in, "connectInstanceId"))
	enc := core.DeepCopy(core.Obj(in, "encryptionConfig")).(map[string]any)
	if enabled, _ := enc["enabled"].(bool); enabled {
		if core.Str(enc, "encryptionType") != "KMS" || core.Str(enc, "keyArn") == "" {
			return nil, validation("encryptionConfig: encryptionType KMS and keyArn are required when encryption is enabled")
		}
	}
	if inst.config != nil {
		if fmt.Sprint(inst.config["encryptionConfig"]) != fmt.Sprint(enc) {
			return nil, conflict("Connect instance %s is already onboarded with another encryption configuration", inst.id)
		}
		return map[string]any{"connectInstanceOnboardingJobStatus": core.DeepCopy(inst.job)}, nil
	}
	inst.config = map[string]any{"connectInstanceId": inst.id, "serviceLinkedRoleArn": fmt.Sprintf(serviceLinkedRole, c.Account), "encryptionConfig": enc}
	inst.job = map[string]any{"connectInstanceId": inst.id, "status": "SUCCEEDED"}
	return map[string]any{"connectInstanceOnboardingJobStatus": map[string]any{"connectInstanceId": inst.id, "status": "IN_PROGRESS"}}, nil
}

func getOnboarding(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	inst := r.instance(core.Str(in, "connectInstanceId"))
	if inst.job == nil {
		return nil, notFound("No onboarding job for Connect instance %s", inst.id)
	}
	return map[string]any{"connectInstanceOnboardingJobStatus": core.DeepCopy(inst.job)}, nil
}

// deleteOnboarding forgets the job record; the instance stays onboarded
// (its config is removed by DeleteConnectInstanceConfig).
func deleteOnboarding(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	inst := r.instance(core.Str(in, "connectInstanceId"))
	if inst.job == nil {
		return nil, notFound("No onboarding job for Connect instance %s", inst.id)
	}
	inst.job = nil
	return nil, nil
}

func getInstanceConfig(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	inst := r.instance(core.Str(in, "connectInstanceId"))
	if inst.config == nil {
		return nil, notFound("Connect instance %s is not onboarded to outbound campaigns", inst.id)
	}
	return map[string]any{"connectInstanceConfig": core.DeepCopy(inst.config)}, nil
}

// deleteInstanceConfig offboards an instance. With DELETE_ALL its
// campaigns go too; a running campaign blocks either policy.
func deleteInstanceConfig(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	inst := r.instance(core.Str(in, "connectInstanceId"))
	if inst.config == nil {
		return nil, notFound("Connect instance %s is not onboarded to outbound campaigns", inst.id)
	}
	var mine []string
	for _, id := range r.order {
		if core.Str(r.campaigns[id].obj, "connectInstanceId") == inst.id {
			if st := s.currentState(r.campaigns[id]); st == stRunning {
				return nil, core.Errf(409, "InvalidStateException", "Campaign %s of instance %s is running: stop it first", id, inst.id)
			}
			mine = append(mine, id)
		}
	}
	if core.Str(in, "campaignDeletionPolicy") == "DELETE_ALL" {
		for _, id := range mine {
			delete(r.campaigns, id)
			r.order = remove(r.order, id)
		}
	}
	delete(r.instances, inst.id)
	return nil, nil
}

// integrationKey identifies an integration by its kind and target ARN.
func integrationKey(u map[string]any) (kind, arn string) {
	for _, k := range []struct{ kind, member string }{{"customerProfiles", "domainArn"}, {"qConnect", "knowledgeBaseArn"}, {"lambda", "functionArn"}} {
		if o := core.Obj(u, k.kind); o != nil {
			return k.kind, core.Str(o, k.member)
		}
	}
	return "", ""
}

// putIntegration adds or replaces an integration. An instance has one
// Customer Profiles domain and one Q in Connect knowledge base; Lambda
// integrations may be several.
func putIntegration(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	inst, err := s.onboarded(r, core.Str(in, "connectInstanceId"))
	if err != nil {
		return nil, err
	}
	cfg := core.Obj(in, "integrationConfig")
	kind, arn := integrationKey(cfg)
	switch kind {
	case "customerProfiles":
		if !domainARN.MatchString(arn) {
			return nil, validation("integrationConfig.customerProfiles.domainArn %q is not a Customer Profiles domain ARN", arn)
		}
	case "qConnect":
		if !knowledgeARN.MatchString(arn) {
			return nil, validation("integrationConfig.qConnect.knowledgeBaseArn %q is not a knowledge base ARN", arn)
		}
	}
	for i, have := range inst.integrations {
		k, a := integrationKey(have)
		if k != kind {
			continue
		}
		if a == arn {
			inst.integrations[i] = core.DeepCopy(cfg).(map[string]any)
			return nil, nil
		}
		if kind != "lambda" {
			return nil, conflict("Connect instance %s already has a %s integration with %s: delete it first", inst.id, kind, a)
		}
	}
	inst.integrations = append(inst.integrations, core.DeepCopy(cfg).(map[string]any))
	return nil, nil
}

func listIntegrations(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	inst, err := s.onboarded(r, core.Str(in, "connectInstanceId"))
	if err != nil {
		return nil, err
	}
	items := make([]any, len(inst.integrations))
	for i, x := range inst.integrations {
		items[i] = core.DeepCopy(x)
	}
	p, next, err := page("integrations/"+inst.id, items, in)
	if err != nil {
		return nil, err
	}
	out := map[string]any{"integrationSummaryList": nonNil(p)}
	if next != "" {
		out["nextToken"] = next
	}
	return out, nil
}

func deleteIntegration(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	inst, err := s.onboarded(r, core.Str(in, "connectInstanceId"))
	if err != nil {
		return nil, err
	}
	kind, arn := integrationKey(core.Obj(in, "integrationIdentifier"))
	for i, have := range inst.integrations {
		if k, a := integrationKey(have); k == kind && a == arn {
			inst.integrations = append(inst.integrations[:i], inst.integrations[i+1:]...)
			return nil, nil
		}
	}
	return nil, notFound("Connect instance %s has no %s integration with %s", inst.id, kind, arn)
}

func putInstanceLimits(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	inst, err := s.onboarded(r, core.Str(in, "connectInstanceId"))
	if err != nil {
		return nil, err
	}
	cfg := core.Obj(in, "communicationLimitsConfig")
	if err := checkLimits(core.Obj(cfg, "allChannelSubtypes"), "communicationLimitsConfig.allChannelSubtypes"); err != nil {
		return nil, err
	}
	inst.limits = core.DeepCopy(cfg).(map[string]any)
	return nil, nil
}

func getInstanceLimits(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	inst, err := s.onboarded(r, core.Str(in, "connectInstanceId"))
	if err != nil {
		return nil, err
	}
	lim := inst.limits
	if lim == nil {
		lim = map[string]any{}
	}
	return map[string]any{"communicationLimitsConfig": core.DeepCopy(lim)}, nil
}
