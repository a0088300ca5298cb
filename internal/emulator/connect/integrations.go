package connect

import (
	"regexp"

	"github.com/p2c/p2c/internal/emulator/core"
)

func init() {
	register(map[string]handler{
		"CreateIntegrationAssociation": createIntegrationAssociation,
		"ListIntegrationAssociations":  listIntegrationAssociations,
		"DeleteIntegrationAssociation": deleteIntegrationAssociation,
	})
}

// integrationARNs is the resource each integration type points at:
// service, then resource type, in the ARN. Types not listed take any ARN.
var integrationARNs = map[string][2]string{
	"Q_MESSAGE_TEMPLATES":    {"wisdom", "knowledge-base"},
	"WISDOM_KNOWLEDGE_BASE":  {"wisdom", "knowledge-base"},
	"WISDOM_QUICK_RESPONSES": {"wisdom", "knowledge-base"},
	"WISDOM_ASSISTANT":       {"wisdom", "assistant"},
	"SES_IDENTITY":           {"ses", "identity"},
	"PINPOINT_APP":           {"mobiletargeting", "apps"},
	"VOICE_ID":               {"voiceid", "domain"},
	"CASES_DOMAIN":           {"cases", "domain"},
	"EVENT":                  {"app-integrations", "event-integration"},
	"APPLICATION":            {"app-integrations", "application"},
}

var arnRE = regexp.MustCompile(`^arn:aws[a-z-]*:([a-z0-9-]+):([a-z0-9-]*):(\d{12}|):([A-Za-z-]+)/(.+)$`)

func createIntegrationAssociation(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	inst, err := r.instance(core.Str(in, "InstanceId"))
	if err != nil {
		return nil, err
	}
	typ, target := core.Str(in, "IntegrationType"), core.Str(in, "IntegrationArn")
	m := arnRE.FindStringSubmatch(target)
	if m == nil {
		return nil, invalidRequest("IntegrationArn %s is not a valid ARN", target)
	}
	if want, ok := integrationARNs[typ]; ok {
		if m[1] != want[0] || m[4] != want[1] {
			return nil, invalidRequest("IntegrationArn %s is not a %s %s ARN, as integration type %s needs", target, want[0], want[1], typ)
		}
		if m[2] != r.name {
			return nil, invalidRequest("IntegrationArn %s is in %s; integrations must be in the instance's Region %s", target, m[2], r.name)
		}
		if m[3] != c.Account {
			return nil, invalidRequest("IntegrationArn %s belongs to another account", target)
		}
	}
	for _, a := range inst.assocs {
		if core.Str(a, "IntegrationType") == typ && core.Str(a, "IntegrationArn") == target {
			return nil, core.Errf(409, "DuplicateResourceException", "The integration %s is already associated with instance %s as %s", target, inst.id, a["IntegrationAssociationId"])
		}
	}
	if len(inst.assocs) >= s.limits.IntegrationsPerInst {
		return nil, invalidRequest("The instance %s already has the maximum of %d integration associations", inst.id, s.limits.IntegrationsPerInst)
	}
	tags := tagsOf(in, "Tags")
	if err := checkTags(s, tags); err != nil {
		return nil, err
	}
	id := s.newUUID(r.name, "integration-association")
	a := arn(r.name, "instance/"+inst.id+"/integration-association/"+id)
	o := map[string]any{"IntegrationAssociationId": id, "IntegrationAssociationArn": a, "InstanceId": inst.id,
		"IntegrationType": typ, "IntegrationArn": target, "Tags": tags}
	for _, k := range []string{"SourceApplicationUrl", "SourceApplicationName", "SourceType"} {
		if v, ok := in[k]; ok {
			o[k] = v
		}
	}
	inst.assocs[id] = o
	inst.assocOrder = append(inst.assocOrder, id)
	r.byArn[a] = o
	return map[string]any{"IntegrationAssociationId": id, "IntegrationAssociationArn": a}, nil
}

func listIntegrationAssociations(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	inst, err := r.instance(core.Str(in, "InstanceId"))
	if err != nil {
		return nil, err
	}
	typ, target := core.Str(in, "IntegrationType"), core.Str(in, "IntegrationArn")
	var items []any
	for _, id := range inst.assocOrder {
		a := inst.assocs[id]
		if (typ != "" && core.Str(a, "IntegrationType") != typ) || (target != "" && core.Str(a, "IntegrationArn") != target) {
			continue
		}
		items = append(items, a)
	}
	p, next, perr := page("integration-associations/"+inst.id, items, in, 100, "InvalidRequestException")
	if perr != nil {
		return nil, perr
	}
	if p == nil {
		p = []any{}
	}
	return withNext(map[string]any{"IntegrationAssociationSummaryList": p}, next), nil
}

func deleteIntegrationAssociation(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	inst, err := r.instance(core.Str(in, "InstanceId"))
	if err != nil {
		return nil, err
	}
	id := core.Str(in, "IntegrationAssociationId")
	a := inst.assocs[id]
	if a == nil {
		return nil, notFound("Integration association not found: %s", id)
	}
	delete(inst.assocs, id)
	inst.assocOrder = remove(inst.assocOrder, id)
	delete(r.byArn, core.Str(a, "IntegrationAssociationArn"))
	return nil, nil
}
