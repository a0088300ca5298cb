package pinpoint

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/p2c/p2c/internal/emulator/core"
)

// template is a message template with its versions. Versions are numbered
// from 1; the active version is the one a GET without version returns.
type template struct {
	name, typ string
	arn       string
	meta      map[string]any // {"tags": ...}: what TagResource edits, shared by versions
	versions  []map[string]any
	active    int // index into versions
}

func (t *template) version(raw string) (map[string]any, *core.Error) {
	for _, v := range t.versions {
		if core.Str(v, "Version") == raw {
			return v, nil
		}
	}
	return nil, notFound("Template %s version %s not found", t.name, raw)
}

type templateKind struct {
	path, op, typ, request string
}

var templateKinds = []templateKind{
	{"email", "Email", "EMAIL", "EmailTemplateRequest"},
	{"sms", "Sms", "SMS", "SMSTemplateRequest"},
	{"push", "Push", "PUSH", "PushNotificationTemplateRequest"},
	{"voice", "Voice", "VOICE", "VoiceTemplateRequest"},
	{"inapp", "InApp", "INAPP", "InAppTemplateRequest"},
}

var templateNameRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$`)

func init() {
	for _, k := range templateKinds {
		k := k
		handlers["Create"+k.op+"Template"] = func(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
			name := core.Str(in, "TemplateName")
			if !templateNameRE.MatchString(name) {
				return nil, badRequest("Template name %q must start with a letter or number and contain at most 128 letters, numbers, hyphens or underscores", name)
			}
			key := k.typ + "/" + name
			if r.templates[key] != nil {
				return nil, badRequest("Template %s of type %s already exists", name, k.typ)
			}
			req := core.Obj(in, k.request)
			if err := checkTemplateBody(k, req); err != nil {
				return nil, err
			}
			t := &template{name: name, typ: k.typ, arn: arn(r.name, "templates/"+name+"/"+k.typ), meta: map[string]any{"tags": tagsOf(req)}}
			t.versions = []map[string]any{s.templateVersion(t, req, 1, "")}
			r.templates[key] = t
			r.templOrder = append(r.templOrder, key)
			return map[string]any{"Arn": t.arn, "Message": "Created", "RequestID": c.RequestID}, nil
		}
		handlers["Update"+k.op+"Template"] = func(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
			t := r.templates[k.typ+"/"+core.Str(in, "TemplateName")]
			if t == nil {
				return nil, notFound("Template %s of type %s not found", core.Str(in, "TemplateName"), k.typ)
			}
			req := core.Obj(in, k.request)
			if err := checkTemplateBody(k, req); err != nil {
				return nil, err
			}
			if b, _ := strconv.ParseBool(core.Str(in, "CreateNewVersion")); b {
				n := len(t.versions) + 1
				t.versions = append(t.versions, s.templateVersion(t, req, n, core.Str(t.versions[0], "CreationDate")))
			} else {
				target := len(t.versions) - 1
				if v := core.Str(in, "Version"); v != "" {
					found := false
					for i, tv := range t.versions {
						if core.Str(tv, "Version") == v {
							target, found = i, true
						}
					}
					if !found {
						return nil, notFound("Template %s version %s not found", t.name, v)
					}
				}
				t.versions[target] = s.templateVersion(t, req, target+1, core.Str(t.versions[target], "CreationDate"))
			}
			return map[string]any{"Message": "Accepted", "RequestID": c.RequestID}, nil
		}
		handlers["Get"+k.op+"Template"] = func(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
			t := r.templates[k.typ+"/"+core.Str(in, "TemplateName")]
			if t == nil {
				return nil, notFound("Template %s of type %s not found", core.Str(in, "TemplateName"), k.typ)
			}
			v := t.versions[t.active]
			if raw := core.Str(in, "Version"); raw != "" {
				var err *core.Error
				if v, err = t.version(raw); err != nil {
					return nil, err
				}
			}
			out := copyMap(v)
			out["Arn"] = t.arn
			out["tags"] = t.meta["tags"]
			return out, nil
		}
		handlers["Delete"+k.op+"Template"] = func(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
			key := k.typ + "/" + core.Str(in, "TemplateName")
			t := r.templates[key]
			if t == nil {
				return nil, notFound("Template %s of type %s not found", core.Str(in, "TemplateName"), k.typ)
			}
			if raw := core.Str(in, "Version"); raw != "" && len(t.versions) > 1 {
				kept := t.versions[:0]
				found := false
				for i, v := range t.versions {
					if core.Str(v, "Version") == raw {
						found = true
						if i == t.active {
							return nil, badRequest("Version %s is the active version of template %s", raw, t.name)
						}
						continue
					}
					kept = append(kept, v)
				}
				if !found {
					return nil, notFound("Template %s version %s not found", t.name, raw)
				}
				activeVer := core.Str(t.versions[t.active], "Version")
				t.versions = kept
				for i, v := range kept {
					if core.Str(v, "Version") == activeVer {
						t.active = i
					}
				}
			} else {
				delete(r.templates, key)
				r.templOrder = remove(r.templOrder, key)
			}
			return map[string]any{"Message": "Accepted", "RequestID": c.RequestID}, nil
		}
	}
	handlers["ListTemplates"] = listTemplates
	handlers["ListTemplateVersions"] = listTemplateVersions
	handlers["UpdateTemplateActiveVersion"] = updateTemplateActiveVersion
	for op, h := range map[string]handler{
		"CreateRecommenderConfiguration": createRecommender, "GetRecommenderConfiguration": getRecommender,
		"GetRecommenderConfigurations": listRecommenders, "UpdateRecommenderConfiguration": updateRecommender,
		"DeleteRecommenderConfiguration": deleteRecommender,
	} {
		handlers[op] = h
	}
}

// checkTemplateBody enforces what the service checks beyond the model.
func checkTemplateBody(k templateKind, req map[string]any) *core.Error {
	switch k.typ {
	case "EMAIL":
		if core.Str(req, "HtmlPart") == "" && core.Str(req, "TextPart") == "" {
			return badRequest("An email template needs an HtmlPart or a TextPart")
		}
	case "SMS", "VOICE":
		if core.Str(req, "Body") == "" {
			return badRequest("Missing Body")
		}
	}
	if ds := core.Str(req, "DefaultSubstitutions"); ds != "" && !strings.HasPrefix(strings.TrimSpace(ds), "{") {
		return badRequest("DefaultSubstitutions must be a JSON object encoded as a string")
	}
	return nil
}

func (s *Service) templateVersion(t *template, req map[string]any, n int, created string) map[string]any {
	now := s.stamp()
	if created == "" {
		created = now
	}
	v := copyMap(req)
	delete(v, "tags")
	v["TemplateName"] = t.name
	v["TemplateType"] = t.typ
	v["Version"] = strconv.Itoa(n)
	v["CreationDate"] = created
	v["LastModifiedDate"] = now
	return v
}

func listTemplates(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	prefix := core.Str(in, "Prefix")
	typ := strings.ToUpper(core.Str(in, "TemplateType"))
	if typ != "" && typ != "EMAIL" && typ != "SMS" && typ != "PUSH" && typ != "VOICE" && typ != "INAPP" {
		return nil, badRequest("Invalid template-type %q", core.Str(in, "TemplateType"))
	}
	var items []any
	for _, key := range r.templOrder {
		t := r.templates[key]
		if typ != "" && t.typ != typ || !strings.HasPrefix(t.name, prefix) {
			continue
		}
		v := t.versions[t.active]
		item := map[string]any{"Arn": t.arn, "CreationDate": t.versions[0]["CreationDate"], "LastModifiedDate": v["LastModifiedDate"],
			"TemplateName": t.name, "TemplateType": t.typ, "Version": v["Version"], "tags": t.meta["tags"]}
		for _, k := range []string{"DefaultSubstitutions", "TemplateDescription"} {
			if val, ok := v[k]; ok {
				item[k] = val
			}
		}
		items = append(items, item)
	}
	return listPage("templates/"+typ+"/"+prefix, items, in, "NextToken")
}

func listTemplateVersions(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	typ := strings.ToUpper(core.Str(in, "TemplateType"))
	t := r.templates[typ+"/"+core.Str(in, "TemplateName")]
	if t == nil {
		return nil, notFound("Template %s of type %s not found", core.Str(in, "TemplateName"), core.Str(in, "TemplateType"))
	}
	items := make([]any, len(t.versions))
	for i, v := range t.versions {
		item := map[string]any{}
		for _, k := range []string{"CreationDate", "DefaultSubstitutions", "LastModifiedDate", "TemplateDescription", "TemplateName", "TemplateType", "Version"} {
			if val, ok := v[k]; ok {
				item[k] = val
			}
		}
		items[i] = item
	}
	out, err := listPage("template-versions/"+typ+"/"+t.name, items, in, "NextToken")
	if err != nil {
		return nil, err
	}
	m := out.(map[string]any)
	m["Message"] = "Success"
	m["RequestID"] = c.RequestID
	return m, nil
}

func updateTemplateActiveVersion(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	typ := strings.ToUpper(core.Str(in, "TemplateType"))
	t := r.templates[typ+"/"+core.Str(in, "TemplateName")]
	if t == nil {
		return nil, notFound("Template %s of type %s not found", core.Str(in, "TemplateName"), core.Str(in, "TemplateType"))
	}
	want := core.Str(core.Obj(in, "TemplateActiveVersionRequest"), "Version")
	for i, v := range t.versions {
		if core.Str(v, "Version") == want {
			t.active = i
			return map[string]any{"Message": "Accepted", "RequestID": c.RequestID}, nil
		}
	}
	return nil, notFound("Template %s version %s not found", t.name, want)
}

// recommenders --------------------------------------------------------------

func checkRecommender(req map[string]any) *core.Error {
	if !strings.HasPrefix(core.Str(req, "RecommendationProviderUri"), "arn:") {
		return badRequest("RecommendationProviderUri must be the ARN of an Amazon Personalize campaign")
	}
	if !strings.HasPrefix(core.Str(req, "RecommendationProviderRoleArn"), "arn:") {
		return badRequest("RecommendationProviderRoleArn must be an IAM role ARN")
	}
	if n, ok := req["RecommendationsPerMessage"].(float64); ok && (n < 1 || n > 5) {
		return badRequest("RecommendationsPerMessage must be between 1 and 5")
	}
	return nil
}

func createRecommender(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	req := core.Obj(in, "CreateRecommenderConfiguration")
	if err := checkRecommender(req); err != nil {
		return nil, err
	}
	id := s.newID(r.name, "recommender")
	now := s.stamp()
	o := copyMap(req)
	o["Id"], o["CreationDate"], o["LastModifiedDate"] = id, now, now
	if o["RecommendationProviderIdType"] == nil {
		o["RecommendationProviderIdType"] = "PINPOINT_ENDPOINT_ID"
	}
	if o["RecommendationsPerMessage"] == nil {
		o["RecommendationsPerMessage"] = float64(5)
	}
	r.recommenders[id] = o
	r.recOrder = append(r.recOrder, id)
	return o, nil
}

func (r *region) recommender(id string) (map[string]any, *core.Error) {
	o := r.recommenders[id]
	if o == nil {
		return nil, notFound("Recommender configuration %s not found", id)
	}
	return o, nil
}

func getRecommender(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	return r.recommender(core.Str(in, "RecommenderId"))
}

func listRecommenders(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	items := make([]any, 0, len(r.recOrder))
	for _, id := range r.recOrder {
		items = append(items, r.recommenders[id])
	}
	return listPage("recommenders", items, in, "Token")
}

func updateRecommender(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	o, err := r.recommender(core.Str(in, "RecommenderId"))
	if err != nil {
		return nil, err
	}
	req := core.Obj(in, "UpdateRecommenderConfiguration")
	if err := checkRecommender(req); err != nil {
		return nil, err
	}
	for k, v := range req {
		o[k] = v
	}
	o["LastModifiedDate"] = s.stamp()
	return o, nil
}

func deleteRecommender(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	id := core.Str(in, "RecommenderId")
	o, err := r.recommender(id)
	if err != nil {
		return nil, err
	}
	delete(r.recommenders, id)
	r.recOrder = remove(r.recOrder, id)
	return o, nil
}
