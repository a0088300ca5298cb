package connect

import (
	"strings"

	"github.com/p2c/p2c/internal/emulator/core"
)

func init() {
	register(map[string]handler{
		"CreateInstance":            createInstance,
		"DescribeInstance":          describeInstance,
		"ListInstances":             listInstances,
		"DeleteInstance":            deleteInstance,
		"UpdateInstanceAttribute":   updateInstanceAttribute,
		"DescribeInstanceAttribute": describeInstanceAttribute,
		"ListInstanceAttributes":    listInstanceAttributes,
	})
}

type instance struct {
	id    string
	arn   string
	obj   map[string]any // the Instance shape
	attrs map[string]string

	emails     map[string]map[string]any
	emailOrder []string
	flows      map[string]*flow
	flowOrder  []string
	assocs     map[string]map[string]any
	assocOrder []string
}

// attributeTypes are the instance attributes in the model's order; all of
// them take "true" or "false".
var attributeTypes = []string{"INBOUND_CALLS", "OUTBOUND_CALLS", "CONTACTFLOW_LOGS", "CONTACT_LENS", "AUTO_RESOLVE_BEST_VOICES",
	"USE_CUSTOM_TTS_VOICES", "EARLY_MEDIA", "MULTI_PARTY_CONFERENCE", "HIGH_VOLUME_OUTBOUND", "ENHANCED_CONTACT_MONITORING",
	"ENHANCED_CHAT_MONITORING", "MULTI_PARTY_CHAT_CONFERENCE", "MESSAGE_STREAMING"}

// defaultFlows are the flows a new instance comes with; they count against
// the flows-per-instance quota as they do in Connect.
var defaultFlows = []struct{ name, typ string }{
	{"Default agent hold", "AGENT_HOLD"},
	{"Default agent transfer", "AGENT_TRANSFER"},
	{"Default agent whisper", "AGENT_WHISPER"},
	{"Default customer hold", "CUSTOMER_HOLD"},
	{"Default customer queue", "CUSTOMER_QUEUE"},
	{"Default customer whisper", "CUSTOMER_WHISPER"},
	{"Default outbound", "OUTBOUND_WHISPER"},
	{"Default queue transfer", "QUEUE_TRANSFER"},
	{"Sample inbound flow (first contact experience)", "CONTACT_FLOW"},
}

// instance finds an instance by id or ARN, as Connect accepts both.
func (r *region) instance(ref string) (*instance, *core.Error) {
	id := ref
	if strings.HasPrefix(ref, "arn:") {
		_, after, ok := strings.Cut(ref, ":instance/")
		if !ok {
			return nil, notFound("Instance not found: %s", ref)
		}
		id, _, _ = strings.Cut(after, "/")
	}
	inst := r.instances[id]
	if inst == nil {
		return nil, notFound("Instance not found: %s", ref)
	}
	return inst, nil
}

func createInstance(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	if out, ok, err := r.idempotent(c.Op, in); ok || err != nil {
		return out, err
	}
	typ := core.Str(in, "IdentityManagementType")
	alias := core.Str(in, "InstanceAlias")
	switch {
	case typ == "EXISTING_DIRECTORY" && core.Str(in, "DirectoryId") == "":
		return nil, invalidRequest("DirectoryId is required when IdentityManagementType is EXISTING_DIRECTORY")
	case typ != "EXISTING_DIRECTORY" && alias == "":
		return nil, invalidRequest("InstanceAlias is required when IdentityManagementType is %s", typ)
	case strings.HasPrefix(alias, "d-"):
		// The model's pattern forbids it with a lookahead Go cannot compile.
		return nil, invalidRequest("InstanceAlias must not start with d-")
	}
	for _, id := range r.instOrder {
		if alias != "" && strings.EqualFold(core.Str(r.instances[id].obj, "InstanceAlias"), alias) {
			return nil, invalidRequest("The alias %s is already in use", alias)
		}
	}
	if len(r.instances) >= s.limits.InstancesPerRegion {
		return nil, core.Errf(402, "ServiceQuotaExceededException", "You have reached the maximum of %d Amazon Connect instances for this account", s.limits.InstancesPerRegion)
	}
	if err := checkTags(s, core.Obj(in, "Tags")); err != nil {
		return nil, err
	}
	id := s.newUUID(r.name, "instance")
	a := arn(r.name, "instance/"+id)
	host := alias
	if host == "" {
		host = id
	}
	o := map[string]any{
		"Id": id, "Arn": a, "IdentityManagementType": typ, "CreatedTime": s.epoch(),
		"ServiceRole":          "arn:aws:iam::" + core.Account + ":role/aws-service-role/connect.amazonaws.com/AWSServiceRoleForAmazonConnect_" + strings.ReplaceAll(id, "-", "")[:20],
		"InstanceStatus":       "ACTIVE",
		"InboundCallsEnabled":  in["InboundCallsEnabled"] == true,
		"OutboundCallsEnabled": in["OutboundCallsEnabled"] == true,
		"InstanceAccessUrl":    "https://" + strings.ToLower(host) + ".my.connect.aws",
		"Tags":                 tagsOf(in, "Tags"),
	}
	if alias != "" {
		o["InstanceAlias"] = alias
	}
	inst := &instance{id: id, arn: a, obj: o, attrs: map[string]string{},
		emails: map[string]map[string]any{}, flows: map[string]*flow{}, assocs: map[string]map[string]any{}}
	for _, t := range attributeTypes {
		inst.attrs[t] = "false"
	}
	inst.attrs["INBOUND_CALLS"] = boolString(o["InboundCallsEnabled"] == true)
	inst.attrs["OUTBOUND_CALLS"] = boolString(o["OutboundCallsEnabled"] == true)
	r.instances[id] = inst
	r.instOrder = append(r.instOrder, id)
	r.byArn[a] = o
	for _, f := range defaultFlows {
		s.addFlow(r, inst, f.name, f.typ, "", defaultFlowContent, "PUBLISHED", map[string]any{})
	}
	out := map[string]any{"Id": id, "Arn": a}
	r.remember(c.Op, in, out)
	return out, nil
}

const defaultFlowContent = `{"Version":"2019-10-30","StartAction":"end","Actions":[{"Identifier":"end","Type":"DisconnectParticipant","Parameters":{},"Transitions":{}}]}`

func boolString(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

func describeInstance(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	inst, err := r.instance(core.Str(in, "InstanceId"))
	if err != nil {
		return nil, err
	}
	return map[string]any{"Instance": inst.obj}, nil
}

func listInstances(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	items := make([]any, 0, len(r.instOrder))
	for _, id := range r.instOrder {
		items = append(items, r.instances[id].obj)
	}
	p, next, err := page("instances", items, in, 10, "InvalidRequestException")
	if err != nil {
		return nil, err
	}
	return withNext(map[string]any{"InstanceSummaryList": p}, next), nil
}

func deleteInstance(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	inst, err := r.instance(core.Str(in, "InstanceId"))
	if err != nil {
		return nil, err
	}
	// Deleting an instance releases its numbers and drops what it holds.
	for _, nid := range append([]string(nil), r.numOrder...) {
		if n := r.numbers[nid]; n.instanceID == inst.id {
			r.dropNumber(n)
		}
	}
	for _, e := range inst.emails {
		delete(r.byArn, core.Str(e, "EmailAddressArn"))
	}
	for _, f := range inst.flows {
		delete(r.byArn, core.Str(f.obj, "Arn"))
	}
	for _, a := range inst.assocs {
		delete(r.byArn, core.Str(a, "IntegrationAssociationArn"))
	}
	delete(r.byArn, inst.arn)
	delete(r.instances, inst.id)
	r.instOrder = remove(r.instOrder, inst.id)
	return nil, nil
}

func updateInstanceAttribute(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	inst, err := r.instance(core.Str(in, "InstanceId"))
	if err != nil {
		return nil, err
	}
	typ, val := core.Str(in, "AttributeType"), strings.ToLower(core.Str(in, "Value"))
	if val != "true" && val != "false" {
		return nil, invalidParam("Value %q is not valid for attribute %s: use true or false", core.Str(in, "Value"), typ)
	}
	inst.attrs[typ] = val
	switch typ {
	case "INBOUND_CALLS":
		inst.obj["InboundCallsEnabled"] = val == "true"
	case "OUTBOUND_CALLS":
		inst.obj["OutboundCallsEnabled"] = val == "true"
	}
	return nil, nil
}

func describeInstanceAttribute(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	inst, err := r.instance(core.Str(in, "InstanceId"))
	if err != nil {
		return nil, err
	}
	typ := core.Str(in, "AttributeType")
	return map[string]any{"Attribute": map[string]any{"AttributeType": typ, "Value": inst.attrs[typ]}}, nil
}

func listInstanceAttributes(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	inst, err := r.instance(core.Str(in, "InstanceId"))
	if err != nil {
		return nil, err
	}
	items := make([]any, 0, len(attributeTypes))
	for _, t := range attributeTypes {
		items = append(items, map[string]any{"AttributeType": t, "Value": inst.attrs[t]})
	}
	p, next, perr := page("attributes/"+inst.id, items, in, 7, "InvalidParameterException")
	if perr != nil {
		return nil, perr
	}
	return withNext(map[string]any{"Attributes": p}, next), nil
}
