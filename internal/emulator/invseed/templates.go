package invseed

import (
	"sort"
	"strconv"
	"strings"

	"github.com/p2c/p2c/internal/inventory"
)

// templateKind names the operations and request shape of a template type.
type templateKind struct {
	op, request string
}

var templateKinds = map[string]templateKind{
	"EMAIL": {"Email", "EmailTemplateRequest"},
	"SMS":   {"Sms", "SMSTemplateRequest"},
	"PUSH":  {"Push", "PushNotificationTemplateRequest"},
	"VOICE": {"Voice", "VoiceTemplateRequest"},
	"INAPP": {"InApp", "InAppTemplateRequest"},
}

func (b *builder) recommenders(recs []inventory.Object) error {
	for _, r := range recs {
		o := object(r.Object)
		if o == nil || r.ID == "" {
			b.notef("recommender %s: no object in the inventory; not rebuilt", r.ID)
			continue
		}
		in := b.prune("CreateRecommenderConfiguration", b.checkRefs("recommender "+r.ID, o).(map[string]any))
		b.add(svcPinpoint, "CreateRecommenderConfiguration", map[string]any{"CreateRecommenderConfiguration": in},
			map[string]string{"rec." + r.ID: "Id"})
		b.recs[r.ID] = true
	}
	return nil
}

// templatesOf recreates each template: the oldest version by Create, every
// later one by Update with CreateNewVersion, then the active version.
func (b *builder) templatesOf(ts []inventory.Template) error {
	for _, t := range ts {
		kind, ok := templateKinds[t.Type]
		if !ok {
			b.notef("template %s: unknown type %q; not rebuilt", t.Name, t.Type)
			continue
		}
		what := "template " + t.Name + " (" + t.Type + ")"
		type version struct {
			num string
			obj map[string]any
		}
		var vs []version
		for _, v := range t.Versions {
			o := object(v.Object)
			if o == nil {
				b.notef("%s: version %s has no content in the inventory; not rebuilt", what, v.Version)
				continue
			}
			vs = append(vs, version{v.Version, o})
		}
		if len(vs) == 0 {
			if o := object(t.Object); o != nil {
				vs = append(vs, version{firstNonEmpty(t.ActiveVersion, str(o, "Version")), o})
			}
		}
		if len(vs) == 0 {
			b.notef("%s: no content in the inventory; not rebuilt", what)
			continue
		}
		sort.SliceStable(vs, func(i, j int) bool { return lessNum(vs[i].num, vs[j].num) })
		key := t.Type + "/" + t.Name
		b.tplVersion[key] = map[string]string{}
		renumbered := false
		for i, v := range vs {
			n := strconv.Itoa(i + 1)
			b.tplVersion[key][v.num] = n
			renumbered = renumbered || (v.num != "" && v.num != n)
			body := b.prune(kind.request, b.checkRefs(what, v.obj).(map[string]any))
			b.rewrite(body)
			delete(body, "tags")
			in := map[string]any{"TemplateName": t.Name, kind.request: body}
			if i == 0 {
				// Tags belong to the template, not to a version: the
				// active version's GET carries them.
				if tags := sub(object(t.Object), "tags"); len(tags) > 0 {
					body["tags"] = tags
				} else if tags := sub(vs[len(vs)-1].obj, "tags"); len(tags) > 0 {
					body["tags"] = tags
				}
				b.add(svcPinpoint, "Create"+kind.op+"Template", in, nil)
				continue
			}
			in["CreateNewVersion"] = true
			b.add(svcPinpoint, "Update"+kind.op+"Template", in, nil)
		}
		if renumbered {
			b.notef("%s: versions were renumbered from 1 (deleted versions leave no gap); references follow the new numbers", what)
		}
		b.templates[key] = true
		active := t.ActiveVersion
		if active == "" {
			active = str(object(t.Object), "Version")
		}
		if n, ok := b.tplVersion[key][active]; ok {
			b.add(svcPinpoint, "UpdateTemplateActiveVersion", map[string]any{"TemplateName": t.Name, "TemplateType": t.Type,
				"TemplateActiveVersionRequest": map[string]any{"Version": n}}, nil)
		} else if active != "" {
			b.notef("%s: active version %s has no content in the inventory; the latest rebuilt version is not made active", what, active)
		}
	}
	return nil
}

// templateRefs lists the templates campaigns and journeys name, with the
// highest version each names ("" when none).
func templateRefs(r *inventory.Region, visit func(typ, name, version string)) {
	conf := func(tc map[string]any) {
		for member, typ := range map[string]string{"EmailTemplate": "EMAIL", "SMSTemplate": "SMS", "PushTemplate": "PUSH", "VoiceTemplate": "VOICE", "InAppTemplate": "INAPP"} {
			if t := sub(tc, member); t != nil && str(t, "Name") != "" {
				visit(typ, str(t, "Name"), str(t, "Version"))
			}
		}
	}
	for _, a := range r.Apps {
		for _, c := range a.Campaigns {
			raws := c.Versions
			if len(raws) == 0 {
				raws = append(raws, c.Object)
			}
			for _, raw := range raws {
				o := object(raw)
				conf(sub(o, "TemplateConfiguration"))
				for _, t := range list(o, "AdditionalTreatments") {
					tm, _ := t.(map[string]any)
					conf(sub(tm, "TemplateConfiguration"))
				}
			}
		}
		for _, j := range a.Journeys {
			for _, act := range sub(object(j.Object), "Activities") {
				am, _ := act.(map[string]any)
				for member, typ := range map[string]string{"EMAIL": "EMAIL", "SMS": "SMS", "PUSH": "PUSH"} {
					if m := sub(am, member); m != nil && str(m, "TemplateName") != "" {
						visit(typ, str(m, "TemplateName"), str(m, "TemplateVersion"))
					}
				}
			}
		}
	}
}

// placeholderTemplates creates stand-ins for templates that campaigns or
// journeys name but that were deleted before the scan: the service refuses
// a campaign naming a missing template, so the stand-in exists while they
// are created and is deleted afterwards (see build). It returns their keys.
func (b *builder) placeholderTemplates(r *inventory.Region) []string {
	maxVersion := map[string]int{}
	templateRefs(r, func(typ, name, version string) {
		key := typ + "/" + name
		if b.templates[key] {
			return
		}
		n, _ := strconv.Atoi(version)
		maxVersion[key] = max(maxVersion[key], n, 1)
	})
	keys := sortedKeys(maxVersion)
	for _, key := range keys {
		typ, name, _ := strings.Cut(key, "/")
		kind := templateKinds[typ]
		body := map[string]any{"TemplateDescription": "p2c rehearsal placeholder for a template deleted before the scan"}
		switch typ {
		case "EMAIL":
			body["Subject"], body["TextPart"] = Placeholder, Placeholder
		case "SMS", "VOICE":
			body["Body"] = Placeholder
		case "PUSH":
			body["Default"] = map[string]any{"Body": Placeholder}
		}
		for v := 1; v <= maxVersion[key]; v++ {
			in := map[string]any{"TemplateName": name, kind.request: body}
			if v == 1 {
				b.add(svcPinpoint, "Create"+kind.op+"Template", in, nil)
			} else {
				in["CreateNewVersion"] = true
				b.add(svcPinpoint, "Update"+kind.op+"Template", in, nil)
			}
		}
		b.notef("template %s (%s) is named by a campaign or journey but was deleted before the scan: a placeholder stands in while they are created, then is deleted", name, typ)
	}
	return keys
}

// templateVersionRefs rewrites template version numbers to the recreated
// numbering in a TemplateConfiguration or journey activity.
func (b *builder) templateVersionRefs(typ string, m map[string]any, nameKey, versionKey string) {
	if m == nil {
		return
	}
	v := str(m, versionKey)
	if v == "" {
		return
	}
	if n, ok := b.tplVersion[typ+"/"+str(m, nameKey)][v]; ok {
		m[versionKey] = n
	}
}

func (b *builder) templateConfig(tc map[string]any) {
	for member, typ := range map[string]string{"EmailTemplate": "EMAIL", "SMSTemplate": "SMS", "PushTemplate": "PUSH", "VoiceTemplate": "VOICE", "InAppTemplate": "INAPP"} {
		b.templateVersionRefs(typ, sub(tc, member), "Name", "Version")
	}
}

func lessNum(a, c string) bool {
	x, errA := strconv.Atoi(a)
	y, errB := strconv.Atoi(c)
	if errA == nil && errB == nil {
		return x < y
	}
	return a < c
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}
