package qconnect

import (
	"encoding/json"
	"regexp"
	"strings"

	"github.com/p2c/p2c/internal/emulator/core"
)

func init() {
	for op, h := range map[string]handler{
		"CreateKnowledgeBase": createKB, "GetKnowledgeBase": getKB, "ListKnowledgeBases": listKBs, "DeleteKnowledgeBase": deleteKB,
		"TagResource": tagResource, "UntagResource": untagResource, "ListTagsForResource": listTags,
	} {
		handlers[op] = h
	}
}

// fingerprint identifies a create request apart from its client token.
func fingerprint(in map[string]any) string {
	c := core.DeepCopy(in).(map[string]any)
	delete(c, "clientToken")
	b, _ := json.Marshal(c)
	return string(b)
}

// kbMembers are the request members a knowledge base keeps.
var kbMembers = []string{"name", "knowledgeBaseType", "description", "sourceConfiguration", "renderingConfiguration",
	"vectorIngestionConfiguration", "serverSideEncryptionConfiguration"}

func createKB(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	tok := core.Str(in, "clientToken")
	if use, ok := r.kbTokens[tok]; ok && tok != "" {
		if kb := r.kbs[use.id]; kb != nil {
			if use.request != fingerprint(in) {
				return nil, conflict("The client token %s was already used with other parameters", tok)
			}
			return map[string]any{"knowledgeBase": kb.view()}, nil
		}
	}
	name := core.Str(in, "name")
	for _, id := range r.kbOrder {
		if core.Str(r.kbs[id].data, "name") == name {
			return nil, conflict("A knowledge base named %s already exists", name)
		}
	}
	switch typ := core.Str(in, "knowledgeBaseType"); typ {
	case "EXTERNAL", "MANAGED":
		if core.Obj(in, "sourceConfiguration") == nil {
			return nil, validation("sourceConfiguration is required for a knowledge base of type %s", typ)
		}
	default:
		if core.Obj(in, "sourceConfiguration") != nil {
			return nil, validation("sourceConfiguration is not supported for a knowledge base of type %s", typ)
		}
	}
	if len(r.kbOrder) >= MaxKnowledgeBases {
		return nil, quotaExceeded("The quota of %d knowledge bases per account is reached", MaxKnowledgeBases)
	}
	tags := map[string]any{}
	if t := core.Obj(in, "tags"); t != nil {
		if err := checkTags(t); err != nil {
			return nil, err
		}
		tags = core.DeepCopy(t).(map[string]any)
	}
	id := s.newID(r.name, "knowledge-base")
	data := map[string]any{"knowledgeBaseId": id, "knowledgeBaseArn": arn(r.name, "knowledge-base/"+id), "status": "ACTIVE",
		"tags": tags, "lastContentModificationTime": float64(s.now().Unix())}
	for _, k := range kbMembers {
		if v, ok := in[k]; ok && v != nil {
			data[k] = core.DeepCopy(v)
		}
	}
	kb := &knowledgeBase{data: data, templates: map[string]*template{}, tokens: map[string]tokenUse{}}
	r.kbs[id] = kb
	r.kbOrder = append(r.kbOrder, id)
	if tok != "" {
		r.kbTokens[tok] = tokenUse{id: id, request: fingerprint(in)}
	}
	// The create answer says CREATE_IN_PROGRESS; every later read finds
	// the knowledge base ACTIVE, so callers exercise their wait.
	out := kb.view()
	out["status"] = "CREATE_IN_PROGRESS"
	return map[string]any{"knowledgeBase": out}, nil
}

func (kb *knowledgeBase) view() map[string]any { return core.DeepCopy(kb.data).(map[string]any) }

var kbARNRe = regexp.MustCompile(`^arn:aws[a-z-]*:wisdom:[a-z0-9-]+:\d{12}:knowledge-base/([a-f0-9-]{36})$`)

// kb finds a knowledge base by id or ARN.
func (r *region) kb(ref string) (*knowledgeBase, *core.Error) {
	id := ref
	if m := kbARNRe.FindStringSubmatch(ref); m != nil {
		id = m[1]
	}
	kb := r.kbs[id]
	if kb == nil {
		return nil, notFound(ref, "Knowledge base %s not found", ref)
	}
	return kb, nil
}

func getKB(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	kb, err := r.kb(core.Str(in, "knowledgeBaseId"))
	if err != nil {
		return nil, err
	}
	return map[string]any{"knowledgeBase": kb.view()}, nil
}

func listKBs(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	items := make([]any, 0, len(r.kbOrder))
	for _, id := range r.kbOrder {
		items = append(items, r.kbs[id].view()) // pruned to KnowledgeBaseSummary
	}
	p, next, err := page("knowledge-bases", items, in)
	if err != nil {
		return nil, err
	}
	out := map[string]any{"knowledgeBaseSummaries": p}
	if next != "" {
		out["nextToken"] = next
	}
	return out, nil
}

// deleteKB deletes a knowledge base with its templates.
func deleteKB(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	kb, err := r.kb(core.Str(in, "knowledgeBaseId"))
	if err != nil {
		return nil, err
	}
	id := core.Str(kb.data, "knowledgeBaseId")
	delete(r.kbs, id)
	r.kbOrder = remove(r.kbOrder, id)
	return nil, nil
}

// tags -----------------------------------------------------------------------

// tagged finds the tags of a knowledge base or message template by ARN
// (unqualified: tags belong to the template, not a version).
func (r *region) tagged(resource string) (map[string]any, func(map[string]any), *core.Error) {
	if m := kbARNRe.FindStringSubmatch(resource); m != nil {
		if kb := r.kbs[m[1]]; kb != nil {
			return core.Obj(kb.data, "tags"), func(t map[string]any) { kb.data["tags"] = t }, nil
		}
	}
	if m := tplARNRe.FindStringSubmatch(resource); m != nil && m[3] == "" {
		if kb := r.kbs[m[1]]; kb != nil {
			if t := kb.templates[m[2]]; t != nil {
				return core.Obj(t.latest, "tags"), func(tags map[string]any) { t.latest["tags"] = tags }, nil
			}
		}
	}
	return nil, nil, notFound(resource, "Resource %s not found", resource)
}

func tagResource(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	tags, set, err := r.tagged(core.Str(in, "resourceArn"))
	if err != nil {
		return nil, err
	}
	next := core.DeepCopy(tags).(map[string]any)
	for k, v := range core.Obj(in, "tags") {
		next[k] = v
	}
	if err := checkTags(next); err != nil {
		err.Fields = map[string]any{"resourceName": core.Str(in, "resourceArn")}
		return nil, err
	}
	set(next)
	return map[string]any{}, nil
}

func untagResource(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	tags, set, err := r.tagged(core.Str(in, "resourceArn"))
	if err != nil {
		return nil, err
	}
	next := core.DeepCopy(tags).(map[string]any)
	keys, _ := in["tagKeys"].([]any)
	for _, k := range keys {
		if ks, ok := k.(string); ok {
			delete(next, ks)
		}
	}
	set(next)
	return map[string]any{}, nil
}

func listTags(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	tags, _, err := r.tagged(core.Str(in, "resourceArn"))
	if err != nil {
		return nil, err
	}
	return map[string]any{"tags": core.DeepCopy(tags)}, nil
}

// qualifierOf splits a message template reference (id or ARN, with an
// optional :qualifier) into knowledge base id (from an ARN only), template
// id and qualifier.
func qualifierOf(ref string) (kbID, id, qual string) {
	if m := tplARNRe.FindStringSubmatch(ref); m != nil {
		return m[1], m[2], strings.TrimPrefix(m[3], ":")
	}
	id, qual, _ = strings.Cut(ref, ":")
	return "", id, qual
}

var tplARNRe = regexp.MustCompile(`^arn:aws[a-z-]*:wisdom:[a-z0-9-]+:\d{12}:message-template/([a-f0-9-]{36})/([a-f0-9-]{36})(:[A-Z0-9_$]+)?$`)
