package cfn

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/p2c/p2c/internal/awsmodel"
	"github.com/p2c/p2c/internal/inventory"
)

type templateType struct{ kind, shape string }

var templateTypes = map[string]templateType{
	"AWS::Pinpoint::EmailTemplate": {"EMAIL", "EmailTemplateResponse"},
	"AWS::Pinpoint::SmsTemplate":   {"SMS", "SMSTemplateResponse"},
	"AWS::Pinpoint::PushTemplate":  {"PUSH", "PushNotificationTemplateResponse"},
	"AWS::Pinpoint::InAppTemplate": {"INAPP", "InAppTemplateResponse"},
}

// secret is a channel credential property and the response flag that says
// the channel has it.
type secret struct{ member, flag string }

type channelType struct {
	platform, shape string
	secrets         []secret
}

var apnsSecrets = []secret{{"Certificate", "HasCredential"}, {"PrivateKey", "HasCredential"}, {"TokenKey", "HasTokenKey"}}

var channels = map[string]channelType{
	"AWS::Pinpoint::APNSChannel":            {"APNS", "APNSChannelResponse", apnsSecrets},
	"AWS::Pinpoint::APNSSandboxChannel":     {"APNS_SANDBOX", "APNSSandboxChannelResponse", apnsSecrets},
	"AWS::Pinpoint::APNSVoipChannel":        {"APNS_VOIP", "APNSVoipChannelResponse", apnsSecrets},
	"AWS::Pinpoint::APNSVoipSandboxChannel": {"APNS_VOIP_SANDBOX", "APNSVoipSandboxChannelResponse", apnsSecrets},
	"AWS::Pinpoint::ADMChannel":             {"ADM", "ADMChannelResponse", []secret{{"ClientId", "HasCredential"}, {"ClientSecret", "HasCredential"}}},
	"AWS::Pinpoint::BaiduChannel":           {"BAIDU", "BaiduChannelResponse", []secret{{"ApiKey", "HasCredential"}, {"SecretKey", "HasCredential"}}},
	"AWS::Pinpoint::GCMChannel":             {"GCM", "GCMChannelResponse", []secret{{"ApiKey", "HasCredential"}, {"ServiceJson", "HasFcmServiceCredentials"}}},
	"AWS::Pinpoint::EmailChannel":           {"EMAIL", "EmailChannelResponse", nil},
	"AWS::Pinpoint::SMSChannel":             {"SMS", "SMSChannelResponse", nil},
	"AWS::Pinpoint::VoiceChannel":           {"VOICE", "VoiceChannelResponse", nil},
}

// aliases maps CloudFormation property names to API member names, per API
// shape.
var aliases = map[string]map[string]string{
	"CampaignResponse": {"CampaignHook": "Hook"},
	"Schedule":         {"TimeZone": "Timezone"},
}

var model = awsmodel.MustLoad("pinpoint")

// translate adds one Pinpoint resource to the fragment.
func (l *loader) translate(r *res) {
	pn := r.node.get("Properties")
	if pn != nil && pn.kind != kMap {
		l.warn(pn.line, "Properties is not a mapping; resource skipped")
		return
	}
	ch, isChannel := channels[r.typ]
	var seen []secret
	var seenLines []int
	if isChannel && pn != nil {
		// Credentials are dropped before evaluation so that no message can
		// ever carry their values.
		filtered := &node{kind: kMap, line: pn.line}
		for i, k := range pn.keys {
			if s, ok := findSecret(ch.secrets, k); ok {
				seen = append(seen, s)
				seenLines = append(seenLines, pn.keyLines[i])
				continue
			}
			filtered.keys = append(filtered.keys, k)
			filtered.keyLines = append(filtered.keyLines, pn.keyLines[i])
			filtered.vals = append(filtered.vals, pn.vals[i])
		}
		pn = filtered
	}
	props := map[string]any{}
	if pn != nil {
		if m, ok := l.eval(pn).(map[string]any); ok {
			props = m
		}
	}
	if isChannel {
		// Properties written as an intrinsic (!If [c, {...}, ...]) only
		// show their credentials now.
		for _, sc := range ch.secrets {
			if _, ok := props[sc.member]; ok {
				delete(props, sc.member)
				seen = append(seen, sc)
				seenLines = append(seenLines, r.line)
			}
		}
	}
	tags, hasTags := props["Tags"]
	delete(props, "Tags")

	switch {
	case r.typ == "AWS::Pinpoint::App":
		a := l.appIdx[l.synthetic(r.id)]
		obj := l.conform("ApplicationResponse", props, r)
		obj["Id"] = a.ID
		if s, ok := obj["Name"].(string); ok {
			a.Name = s
		}
		if arn, ok := l.arn("apps/" + a.ID).(string); ok {
			obj["Arn"], a.Arn = arn, arn
		}
		if hasTags {
			t := l.tags(tags, r)
			obj["tags"] = t
			a.Tags = stringMap(t)
		}
		a.Object = l.finish(obj, r.id)

	case r.typ == "AWS::Pinpoint::Segment" || r.typ == "AWS::Pinpoint::Campaign":
		appV, a := l.appOf(r, props)
		if a == nil {
			return
		}
		shape := "SegmentResponse"
		if r.typ == "AWS::Pinpoint::Campaign" {
			shape = "CampaignResponse"
		}
		obj := l.conform(shape, props, r)
		id := l.synthetic(r.id)
		obj["Id"], obj["ApplicationId"] = id, appV
		if hasTags {
			obj["tags"] = l.tags(tags, r)
		}
		name, _ := obj["Name"].(string)
		if shape == "SegmentResponse" {
			obj["SegmentType"] = "DIMENSIONAL"
			if app, ok := appV.(string); ok {
				if arn, ok := l.arn("apps/" + app + "/segments/" + id).(string); ok {
					obj["Arn"] = arn
				}
			}
			a.Segments = append(a.Segments, inventory.Segment{ID: id, Name: name, Object: l.finish(obj, r.id), Provenance: l.prov(r)})
			return
		}
		if app, ok := appV.(string); ok {
			if arn, ok := l.arn("apps/" + app + "/campaigns/" + id).(string); ok {
				obj["Arn"] = arn
			}
		}
		a.Campaigns = append(a.Campaigns, inventory.Campaign{ID: id, Name: name, Object: l.finish(obj, r.id), Provenance: l.prov(r)})

	case r.typ == "AWS::Pinpoint::ApplicationSettings" || r.typ == "AWS::Pinpoint::EventStream":
		l.noTags(hasTags, r)
		appV, a := l.appOf(r, props)
		if a == nil {
			return
		}
		shape, dst := "ApplicationSettingsResource", &a.Settings
		if r.typ == "AWS::Pinpoint::EventStream" {
			shape, dst = "EventStream", &a.EventStream
		}
		if len(*dst) > 0 {
			l.warn(r.line, fmt.Sprintf("app %s already has a %s in this template; this one is not carried", a.ID, r.typ))
			return
		}
		obj := l.conform(shape, props, r)
		obj["ApplicationId"] = appV
		*dst = l.finish(obj, r.id)
		l.addProv(a, r)

	case isChannel:
		l.noTags(hasTags, r)
		appV, a := l.appOf(r, props)
		if a == nil {
			return
		}
		if _, dup := a.Channels[ch.platform]; dup {
			l.warn(r.line, fmt.Sprintf("app %s already has a %s channel in this template; this one is not carried", a.ID, ch.platform))
			return
		}
		obj := l.conform(ch.shape, props, r)
		obj["ApplicationId"], obj["Platform"] = appV, ch.platform
		for i, s := range seen {
			obj[s.flag] = true
			l.inv.Secrets = append(l.inv.Secrets, inventory.SecretSeen{
				Region: l.region, App: a.ID, Channel: ch.platform, Member: s.member, File: l.name, Line: seenLines[i],
			})
		}
		if a.Channels == nil {
			a.Channels = map[string]json.RawMessage{}
		}
		a.Channels[ch.platform] = l.finish(obj, r.id)
		l.addProv(a, r)

	case templateTypes[r.typ].kind != "":
		tt := templateTypes[r.typ]
		obj := l.conform(tt.shape, props, r)
		obj["TemplateType"] = tt.kind
		if hasTags {
			obj["tags"] = l.tags(tags, r)
		}
		name, ok := obj["TemplateName"].(string)
		if ok {
			if arn, ok := l.arn("templates/" + name + "/" + tt.kind).(string); ok {
				obj["Arn"] = arn
			}
		} else {
			// The merge step keys templates by name; an unknown name keeps
			// the entry apart instead of guessing.
			name = l.synthetic(r.id)
			if _, has := obj["TemplateName"]; !has {
				l.warn(r.line, "template has no TemplateName")
			}
		}
		l.templates = append(l.templates, inventory.Template{Name: name, Type: tt.kind, Object: l.finish(obj, r.id), Provenance: l.prov(r)})

	case strings.HasPrefix(r.typ, "AWS::PinpointEmail::"):
		if hasTags {
			props["Tags"] = tags
		}
		id := l.synthetic(r.id)
		key := map[string]string{
			"AWS::PinpointEmail::ConfigurationSet": "Name",
			"AWS::PinpointEmail::Identity":         "Name",
			"AWS::PinpointEmail::DedicatedIpPool":  "PoolName",
		}[r.typ]
		if s, ok := props[key].(string); ok && s != "" {
			id = s
		}
		obj := map[string]any{"Type": r.typ, "Properties": props}
		l.email = append(l.email, inventory.Object{ID: id, Object: l.finish(obj, r.id), Provenance: l.prov(r)})

	default:
		l.warn(r.line, "resource type "+r.typ+" is not translated by p2c; not included")
	}
}

func findSecret(ss []secret, key string) (secret, bool) {
	for _, s := range ss {
		if s.member == key {
			return s, true
		}
	}
	return secret{}, false
}

func (l *loader) noTags(has bool, r *res) {
	if has {
		l.warn(r.line, "Tags: the API response of "+r.typ+" has no tags; not carried")
	}
}

// appOf takes ApplicationId out of props and finds (or makes) the app the
// resource belongs to. A resource whose app id is unresolved goes under a
// placeholder app named after the expression.
func (l *loader) appOf(r *res, props map[string]any) (any, *inventory.App) {
	v, ok := props["ApplicationId"]
	delete(props, "ApplicationId")
	if !ok {
		l.warn(r.line, "no ApplicationId; not included")
		return nil, nil
	}
	var id string
	var obj any
	switch t := v.(type) {
	case *unres:
		id, obj = l.synthetic(t.expr), t
	case string:
		if t == "" {
			l.warn(r.line, "ApplicationId is empty; not included")
			return nil, nil
		}
		id, obj = t, t
	default:
		l.warn(r.line, "ApplicationId is not a string; not included")
		return nil, nil
	}
	if a := l.appIdx[id]; a != nil {
		return v, a
	}
	// An app declared elsewhere (a parameter's default id) or not known.
	a := &inventory.App{ID: id, Segments: []inventory.Segment{}, Campaigns: []inventory.Campaign{}, Journeys: []inventory.Journey{}}
	a.Object = l.finish(map[string]any{"Id": obj}, id)
	l.addProv(a, r)
	l.apps = append(l.apps, a)
	l.appIdx[id] = a
	return v, a
}

// addProv records that r says something about app a.
func (l *loader) addProv(a *inventory.App, r *res) {
	for _, p := range a.Provenance {
		if p.Address == r.id {
			return
		}
	}
	a.Provenance = append(a.Provenance, l.prov(r)...)
}

// tags reads a Tags property: a map (the Pinpoint resource types) or a
// list of Key/Value pairs.
func (l *loader) tags(v any, r *res) any {
	switch t := v.(type) {
	case *unres:
		return t
	case map[string]any:
		out := map[string]any{}
		for k, val := range t {
			if u, ok := val.(*unres); ok {
				out[k] = u
				continue
			}
			s, ok := toStr(val)
			if !ok {
				l.warn(r.line, "Tags: value of "+k+" is not a string; not carried")
				continue
			}
			out[k] = s
		}
		return out
	case []any:
		out := map[string]any{}
		for _, it := range t {
			m, _ := it.(map[string]any)
			k, ok := toStr(m["Key"])
			if !ok {
				l.warn(r.line, "Tags: an entry has no Key; not carried")
				continue
			}
			if u, ok := m["Value"].(*unres); ok {
				out[k] = u
				continue
			}
			val, _ := toStr(m["Value"])
			out[k] = val
		}
		return out
	}
	l.warn(r.line, "Tags is neither a map nor a list of Key/Value; not carried")
	return map[string]any{}
}

func stringMap(v any) map[string]string {
	m, ok := v.(map[string]any)
	if !ok || len(m) == 0 {
		return nil
	}
	out := map[string]string{}
	for k, val := range m {
		if s, ok := val.(string); ok {
			out[k] = s
		}
	}
	return out
}

// conform shapes resolved properties as the API response: renamed
// members, API scalar types, and without members the response has no
// place for (named in a warning).
func (l *loader) conform(shape string, props map[string]any, r *res) map[string]any {
	var dropped []string
	out, _ := l.conformValue(shape, props, "", &dropped).(map[string]any)
	if out == nil {
		out = map[string]any{}
	}
	if len(dropped) > 0 {
		sort.Strings(dropped)
		l.warn(r.line, fmt.Sprintf("%s no place in %s, not carried: %s", plural(dropped), shape, strings.Join(dropped, ", ")))
	}
	return out
}

func plural(s []string) string {
	if len(s) == 1 {
		return "property has"
	}
	return "properties have"
}

func memberRef(s *awsmodel.Shape, key string) (string, *awsmodel.Ref) {
	if ref, ok := s.Members[key]; ok && ref.Location == "" && ref.LocationName == "" {
		return key, ref
	}
	for name, ref := range s.Members {
		if ref.Location == "" && ref.LocationName == key {
			return name, ref
		}
	}
	return "", nil
}

func (l *loader) conformValue(shapeName string, v any, path string, dropped *[]string) any {
	if _, ok := v.(*unres); ok {
		return v
	}
	s := model.Shape(shapeName)
	if s == nil {
		return v
	}
	switch s.Type {
	case "structure":
		m, ok := v.(map[string]any)
		if !ok {
			return v
		}
		out := make(map[string]any, len(m))
		for k, val := range m {
			wire := k
			if a := aliases[shapeName][k]; a != "" {
				wire = a
			}
			_, ref := memberRef(s, wire)
			if ref == nil {
				*dropped = append(*dropped, joinPath(path, k))
				continue
			}
			out[wire] = l.conformValue(ref.Shape, val, joinPath(path, wire), dropped)
		}
		return out
	case "list":
		items, ok := v.([]any)
		if !ok || s.Member == nil {
			return v
		}
		out := make([]any, len(items))
		for i, it := range items {
			out[i] = l.conformValue(s.Member.Shape, it, fmt.Sprintf("%s[%d]", path, i), dropped)
		}
		return out
	case "map":
		m, ok := v.(map[string]any)
		if !ok || s.Value == nil {
			return v
		}
		out := make(map[string]any, len(m))
		for k, val := range m {
			out[k] = l.conformValue(s.Value.Shape, val, joinPath(path, k), dropped)
		}
		return out
	case "string":
		if str, ok := toStr(v); ok {
			return str
		}
	case "integer", "long":
		if str, ok := toStr(v); ok {
			if _, err := strconv.ParseInt(strings.TrimSpace(str), 10, 64); err == nil {
				return json.Number(strings.TrimSpace(str))
			}
		}
	case "double", "float":
		if str, ok := toStr(v); ok {
			if _, err := strconv.ParseFloat(strings.TrimSpace(str), 64); err == nil {
				return json.Number(strings.TrimSpace(str))
			}
		}
	case "boolean":
		if str, ok := toStr(v); ok {
			switch strings.ToLower(str) {
			case "true":
				return true
			case "false":
				return false
			}
		}
	}
	return v
}

func joinPath(path, k string) string {
	if path == "" {
		return k
	}
	return path + "." + k
}

// finish renders an object as JSON: lit values take their JSON type and
// unresolved values become {"p2c:unresolved": expr}, each listed in the
// fragment's Unresolved.
func (l *loader) finish(v any, resource string) json.RawMessage {
	out := l.finishValue(v, resource, "")
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(out); err != nil {
		// Every value here came from the parser; this cannot happen.
		l.warn(0, "encode object: "+err.Error())
		return json.RawMessage("{}")
	}
	return json.RawMessage(bytes.TrimRight(buf.Bytes(), "\n"))
}

func (l *loader) finishValue(v any, resource, path string) any {
	switch t := v.(type) {
	case *unres:
		l.inv.Unresolved = append(l.inv.Unresolved, inventory.Unresolved{
			File: l.name, Line: t.line, Resource: resource, Path: path, Expression: t.expr, Reason: t.reason,
		})
		return map[string]any{inventory.UnresolvedKey: t.expr}
	case lit:
		return t.v
	case noValue:
		return nil
	case []any:
		out := make([]any, len(t))
		for i, it := range t {
			out[i] = l.finishValue(it, resource, fmt.Sprintf("%s[%d]", path, i))
		}
		return out
	case map[string]any:
		keys := make([]string, 0, len(t))
		for k := range t {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		out := make(map[string]any, len(t))
		for _, k := range keys {
			out[k] = l.finishValue(t[k], resource, joinPath(path, k))
		}
		return out
	}
	return v
}
