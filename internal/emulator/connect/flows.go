package connect

import (
	"encoding/json"
	"strings"

	"github.com/p2c/p2c/internal/emulator/core"
)

func init() {
	register(map[string]handler{
		"CreateContactFlow":   createContactFlow,
		"DescribeContactFlow": describeContactFlow,
		"ListContactFlows":    listContactFlows,
		"DeleteContactFlow":   deleteContactFlow,
	})
}

type flow struct {
	obj map[string]any // the ContactFlow shape
}

// flowProblems checks flow content the way Connect's flow language needs
// at least: a JSON object with a Version and a list of Actions.
func flowProblems(content string) []any {
	var doc map[string]any
	if err := json.Unmarshal([]byte(content), &doc); err != nil {
		return []any{map[string]any{"message": "Content is not valid JSON: " + err.Error()}}
	}
	var out []any
	if _, ok := doc["Version"].(string); !ok {
		out = append(out, map[string]any{"message": "Content has no Version"})
	}
	if _, ok := doc["Actions"].([]any); !ok {
		out = append(out, map[string]any{"message": "Content has no Actions list"})
	}
	return out
}

func (s *Service) addFlow(r *region, inst *instance, name, typ, desc, content, status string, tags map[string]any) map[string]any {
	id := s.newUUID(r.name, "contact-flow")
	a := arn(r.name, "instance/"+inst.id+"/contact-flow/"+id)
	o := map[string]any{"Arn": a, "Id": id, "Name": name, "Type": typ, "State": "ACTIVE", "Status": status,
		"Content": content, "Tags": tags, "FlowContentSha256": contentHash(content),
		"LastModifiedTime": s.epoch(), "LastModifiedRegion": r.name}
	if desc != "" {
		o["Description"] = desc
	}
	inst.flows[id] = &flow{obj: o}
	inst.flowOrder = append(inst.flowOrder, id)
	r.byArn[a] = o
	return o
}

func createContactFlow(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	inst, err := r.instance(core.Str(in, "InstanceId"))
	if err != nil {
		return nil, err
	}
	name := core.Str(in, "Name")
	for _, f := range inst.flows {
		if core.Str(f.obj, "Name") == name {
			return nil, core.Errf(409, "DuplicateResourceException", "A flow named %s already exists", name)
		}
	}
	content := core.Str(in, "Content")
	if probs := flowProblems(content); len(probs) > 0 {
		return nil, &core.Error{Status: 400, Code: "InvalidContactFlowException", Message: "The flow is not valid.",
			Fields: map[string]any{"problems": probs}}
	}
	if len(inst.flows) >= s.limits.FlowsPerInst {
		return nil, core.Errf(429, "LimitExceededException", "The instance %s already has the maximum of %d flows", inst.id, s.limits.FlowsPerInst)
	}
	tags := tagsOf(in, "Tags")
	if err := checkTags(s, tags); err != nil {
		return nil, err
	}
	status := core.Str(in, "Status")
	if status == "" {
		status = "PUBLISHED"
	}
	o := s.addFlow(r, inst, name, core.Str(in, "Type"), core.Str(in, "Description"), content, status, tags)
	return map[string]any{"ContactFlowId": o["Id"], "ContactFlowArn": o["Arn"], "FlowContentSha256": o["FlowContentSha256"]}, nil
}

// flowRef splits a flow reference into its id and alias: "id", "id:$SAVED",
// or an ARN of either.
func flowRef(ref string) (id, alias string) {
	if _, after, ok := strings.Cut(ref, "/contact-flow/"); ok {
		ref = after
	}
	id, alias, _ = strings.Cut(ref, ":")
	return id, alias
}

func (r *region) flow(in map[string]any) (*instance, *flow, string, *core.Error) {
	inst, err := r.instance(core.Str(in, "InstanceId"))
	if err != nil {
		return nil, nil, "", err
	}
	id, alias := flowRef(core.Str(in, "ContactFlowId"))
	f := inst.flows[id]
	if f == nil {
		return nil, nil, "", notFound("Flow not found: %s", core.Str(in, "ContactFlowId"))
	}
	return inst, f, alias, nil
}

func describeContactFlow(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	_, f, alias, err := r.flow(in)
	if err != nil {
		return nil, err
	}
	// A saved but unpublished flow is read with the $SAVED alias.
	if core.Str(f.obj, "Status") == "SAVED" && alias != "$SAVED" {
		return nil, core.Errf(404, "ContactFlowNotPublishedException", "The flow %s is not published; describe %s:$SAVED", f.obj["Id"], f.obj["Id"])
	}
	return map[string]any{"ContactFlow": f.obj}, nil
}

func listContactFlows(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	inst, err := r.instance(core.Str(in, "InstanceId"))
	if err != nil {
		return nil, err
	}
	types := stringSet(list(in, "ContactFlowTypes"))
	var items []any
	for _, id := range inst.flowOrder {
		o := inst.flows[id].obj
		if len(types) > 0 && !types[core.Str(o, "Type")] {
			continue
		}
		items = append(items, map[string]any{"Id": o["Id"], "Arn": o["Arn"], "Name": o["Name"],
			"ContactFlowType": o["Type"], "ContactFlowState": o["State"], "ContactFlowStatus": o["Status"]})
	}
	p, next, perr := page("contact-flows/"+inst.id, items, in, 100, "InvalidParameterException")
	if perr != nil {
		return nil, perr
	}
	if p == nil {
		p = []any{}
	}
	return withNext(map[string]any{"ContactFlowSummaryList": p}, next), nil
}

func deleteContactFlow(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	inst, f, _, err := r.flow(in)
	if err != nil {
		return nil, err
	}
	id := core.Str(f.obj, "Id")
	delete(inst.flows, id)
	inst.flowOrder = remove(inst.flowOrder, id)
	delete(r.byArn, core.Str(f.obj, "Arn"))
	return map[string]any{}, nil
}
