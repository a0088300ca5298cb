package qconnect

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"github.com/p2c/p2c/internal/emulator/core"
)

func init() {
	for op, h := range map[string]handler{
		"CreateMessageTemplate": createTemplate, "GetMessageTemplate": getTemplate, "UpdateMessageTemplate": updateTemplate,
		"UpdateMessageTemplateMetadata": updateMetadata, "ListMessageTemplates": listTemplates, "DeleteMessageTemplate": deleteTemplate,
		"CreateMessageTemplateVersion": createVersion, "ListMessageTemplateVersions": listVersions,
		"ActivateMessageTemplate": activate, "DeactivateMessageTemplate": deactivate, "RenderMessageTemplate": render,
	} {
		handlers[op] = h
	}
}

// Qualifiers of a message template reference (connect-target.md 5.4).
const (
	qLatest = "$LATEST"
	qActive = "$ACTIVE_VERSION"
)

// contentMember is the content union member of each channel subtype.
var contentMember = map[string]string{"EMAIL": "email", "SMS": "sms", "WHATSAPP": "whatsApp", "PUSH": "push"}

// templateKB finds the knowledge base of a template call; only a
// MESSAGE_TEMPLATES knowledge base holds templates.
func (r *region) templateKB(in map[string]any) (*knowledgeBase, *core.Error) {
	kb, err := r.kb(core.Str(in, "knowledgeBaseId"))
	if err != nil {
		return nil, err
	}
	if t := core.Str(kb.data, "knowledgeBaseType"); t != "MESSAGE_TEMPLATES" {
		return nil, validation("Knowledge base %s is of type %s: message templates need a knowledge base of type MESSAGE_TEMPLATES", core.Str(kb.data, "knowledgeBaseId"), t)
	}
	return kb, nil
}

// template resolves messageTemplateId (id or ARN, optionally qualified).
func (kb *knowledgeBase) template(ref string) (*template, string, *core.Error) {
	kbID, id, qual := qualifierOf(ref)
	t := kb.templates[id]
	if t == nil || (kbID != "" && kbID != core.Str(kb.data, "knowledgeBaseId")) {
		return nil, "", notFound(ref, "Message template %s not found", ref)
	}
	return t, qual, nil
}

// checkContent checks content against the channel subtype and the size
// quotas, and returns it.
func checkContent(subtype string, content map[string]any) *core.Error {
	member := contentMember[subtype]
	if content == nil {
		return validation("content is required")
	}
	if core.Obj(content, member) == nil {
		return validation("content must be %s content for a template of channel subtype %s", member, subtype)
	}
	c := core.Obj(content, member)
	switch subtype {
	case "SMS":
		text := core.Str(core.Obj(core.Obj(c, "body"), "plainText"), "content")
		if text == "" {
			return validation("content.sms.body.plainText.content is required")
		}
		if n := len([]rune(text)); n > MaxSMSTemplateChars {
			return validation("An SMS message template holds at most %d characters; this one has %d", MaxSMSTemplateChars, n)
		}
	case "EMAIL":
		body := core.Obj(c, "body")
		if core.Str(c, "subject") == "" || (core.Obj(body, "plainText") == nil && core.Obj(body, "html") == nil) {
			return validation("An email message template needs a subject and a plain text or HTML body")
		}
		n := len([]rune(core.Str(c, "subject"))) + len([]rune(core.Str(core.Obj(body, "plainText"), "content"))) + len([]rune(core.Str(core.Obj(body, "html"), "content")))
		if n > MaxEmailTemplateChars {
			return validation("An email message template holds at most %d characters; this one has %d", MaxEmailTemplateChars, n)
		}
	case "PUSH":
		if len(c) == 0 {
			return validation("content.push needs content for at least one platform")
		}
	}
	return nil
}

// contentSha is the checksum of what a version freezes: content, language
// and default attributes.
func contentSha(d map[string]any) string {
	b, _ := json.Marshal(map[string]any{"content": d["content"], "language": d["language"], "defaultAttributes": d["defaultAttributes"]})
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

var placeholderRe = regexp.MustCompile(`\{\{\s*([A-Za-z0-9_.\[\]-]+)\s*\}\}`)

// attributeTypes lists the attribute namespaces the content's
// placeholders use.
func attributeTypes(content map[string]any) []any {
	b, _ := json.Marshal(content)
	seen := map[string]bool{}
	for _, m := range placeholderRe.FindAllStringSubmatch(string(b), -1) {
		switch p := m[1]; {
		case strings.HasPrefix(p, "Attributes.Customer."):
			seen["CUSTOMER_PROFILE"] = true
		case strings.HasPrefix(p, "Attributes.Agent."):
			seen["AGENT"] = true
		case strings.HasPrefix(p, "Attributes.System"):
			seen["SYSTEM"] = true
		default:
			seen["CUSTOM"] = true
		}
	}
	out := []any{}
	for _, t := range []string{"SYSTEM", "AGENT", "CUSTOMER_PROFILE", "CUSTOM"} {
		if seen[t] {
			out = append(out, t)
		}
	}
	return out
}

// refresh recomputes what derives from a template's content.
func (s *Service) refresh(c *core.Call, d map[string]any) {
	d["messageTemplateContentSha256"] = contentSha(d)
	d["attributeTypes"] = attributeTypes(core.Obj(d, "content"))
	d["lastModifiedTime"] = s.stamp()
	d["lastModifiedBy"] = fmt.Sprintf(emulatorLastModifiedArn, c.Account, c.AccessKey)
}

func (s *Service) touch(kb *knowledgeBase) {
	kb.data["lastContentModificationTime"] = float64(s.now().Unix())
}

// templateMembers are the request members a template keeps.
var templateMembers = []string{"name", "content", "description", "channelSubtype", "language", "sourceConfiguration", "defaultAttributes", "groupingConfiguration"}

func createTemplate(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	kb, err := r.templateKB(in)
	if err != nil {
		return nil, err
	}
	tok := core.Str(in, "clientToken")
	if use, ok := kb.tokens[tok]; ok && tok != "" {
		if t := kb.templates[use.id]; t != nil {
			if use.request != fingerprint(in) {
				return nil, conflict("The client token %s was already used with other parameters", tok)
			}
			return map[string]any{"messageTemplate": core.DeepCopy(t.latest)}, nil
		}
	}
	// botocore marks name optional; the service and CloudFormation need it.
	name := core.Str(in, "name")
	if name == "" {
		return nil, validation("name is required")
	}
	for _, id := range kb.tplOrder {
		if core.Str(kb.templates[id].latest, "name") == name {
			return nil, conflict("A message template named %s already exists in knowledge base %s", name, core.Str(kb.data, "knowledgeBaseId"))
		}
	}
	subtype := core.Str(in, "channelSubtype")
	if err := checkContent(subtype, core.Obj(in, "content")); err != nil {
		return nil, err
	}
	if core.Obj(in, "sourceConfiguration") != nil && subtype != "WHATSAPP" {
		return nil, validation("sourceConfiguration is only for WHATSAPP message templates")
	}
	if len(kb.tplOrder) >= MaxTemplatesPerKB {
		return nil, quotaExceeded("The quota of %d message templates per knowledge base is reached", MaxTemplatesPerKB)
	}
	tags := map[string]any{}
	if t := core.Obj(in, "tags"); t != nil {
		if err := checkTags(t); err != nil {
			return nil, err
		}
		tags = core.DeepCopy(t).(map[string]any)
	}
	kbID := core.Str(kb.data, "knowledgeBaseId")
	id := s.newID(r.name, "message-template")
	d := map[string]any{"messageTemplateId": id, "messageTemplateArn": arn(r.name, "message-template/"+kbID+"/"+id),
		"knowledgeBaseId": kbID, "knowledgeBaseArn": kb.data["knowledgeBaseArn"], "createdTime": s.stamp(), "tags": tags}
	for _, k := range templateMembers {
		if v, ok := in[k]; ok && v != nil {
			d[k] = core.DeepCopy(v)
		}
	}
	s.refresh(c, d)
	kb.templates[id] = &template{latest: d}
	kb.tplOrder = append(kb.tplOrder, id)
	if tok != "" {
		kb.tokens[tok] = tokenUse{id: id, request: fingerprint(in)}
	}
	s.touch(kb)
	return map[string]any{"messageTemplate": core.DeepCopy(d)}, nil
}

// resolve returns the template data a qualifier names: $LATEST (or none),
// $ACTIVE_VERSION or a version number.
func (t *template) resolve(ref, qual string) (map[string]any, *core.Error) {
	switch qual {
	case "", qLatest:
		return core.DeepCopy(t.latest).(map[string]any), nil
	case qActive:
		if t.active == 0 {
			return nil, notFound(ref, "Message template %s has no active version", ref)
		}
		return t.versionData(t.active), nil
	}
	n, err := strconv.Atoi(qual)
	if err != nil || n < 1 {
		return nil, validation("Qualifier %q is not a version number, %s or %s", qual, qLatest, qActive)
	}
	if t.version(n) == nil {
		return nil, notFound(ref, "Version %d of message template %s not found", n, ref)
	}
	return t.versionData(n), nil
}

func (t *template) version(n int) *version {
	for _, v := range t.versions {
		if v.number == n {
			return v
		}
	}
	return nil
}

// versionData is a version's snapshot as reads show it: a qualified ARN,
// its number and whether it is active. Metadata (name, description,
// grouping, tags) is the template's, not frozen.
func (t *template) versionData(n int) map[string]any {
	d := core.DeepCopy(t.version(n).data).(map[string]any)
	for _, k := range []string{"name", "description", "groupingConfiguration", "tags"} {
		if v, ok := t.latest[k]; ok {
			d[k] = core.DeepCopy(v)
		} else {
			delete(d, k)
		}
	}
	d["messageTemplateArn"] = fmt.Sprintf("%s:%d", t.latest["messageTemplateArn"], n)
	d["versionNumber"] = float64(n)
	d["isActive"] = t.active == n
	return d
}

func getTemplate(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	kb, err := r.templateKB(in)
	if err != nil {
		return nil, err
	}
	ref := core.Str(in, "messageTemplateId")
	t, qual, err := kb.template(ref)
	if err != nil {
		return nil, err
	}
	d, err := t.resolve(ref, qual)
	if err != nil {
		return nil, err
	}
	return map[string]any{"messageTemplate": d}, nil
}

// latestOnly refuses a qualifier other than $LATEST on a call that changes
// the draft.
func latestOnly(qual string) *core.Error {
	if qual != "" && qual != qLatest {
		return validation("Only %s can be changed; versions are immutable (got qualifier %s)", qLatest, qual)
	}
	return nil
}

func updateTemplate(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	kb, err := r.templateKB(in)
	if err != nil {
		return nil, err
	}
	t, qual, err := kb.template(core.Str(in, "messageTemplateId"))
	if err != nil {
		return nil, err
	}
	if err := latestOnly(qual); err != nil {
		return nil, err
	}
	subtype := core.Str(t.latest, "channelSubtype")
	if content := core.Obj(in, "content"); content != nil {
		if err := checkContent(subtype, content); err != nil {
			return nil, err
		}
	}
	if core.Obj(in, "sourceConfiguration") != nil && subtype != "WHATSAPP" {
		return nil, validation("sourceConfiguration is only for WHATSAPP message templates")
	}
	for _, k := range []string{"content", "language", "sourceConfiguration", "defaultAttributes"} {
		if v, ok := in[k]; ok && v != nil {
			t.latest[k] = core.DeepCopy(v)
		}
	}
	s.refresh(c, t.latest)
	s.touch(kb)
	return map[string]any{"messageTemplate": core.DeepCopy(t.latest)}, nil
}

func updateMetadata(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	kb, err := r.templateKB(in)
	if err != nil {
		return nil, err
	}
	t, qual, err := kb.template(core.Str(in, "messageTemplateId"))
	if err != nil {
		return nil, err
	}
	if err := latestOnly(qual); err != nil {
		return nil, err
	}
	if name := core.Str(in, "name"); name != "" && name != core.Str(t.latest, "name") {
		for _, id := range kb.tplOrder {
			if core.Str(kb.templates[id].latest, "name") == name {
				return nil, conflict("A message template named %s already exists in knowledge base %s", name, core.Str(kb.data, "knowledgeBaseId"))
			}
		}
	}
	for _, k := range []string{"name", "description", "groupingConfiguration"} {
		if v, ok := in[k]; ok && v != nil {
			t.latest[k] = core.DeepCopy(v)
		}
	}
	t.latest["lastModifiedTime"] = s.stamp()
	return map[string]any{"messageTemplate": core.DeepCopy(t.latest)}, nil
}

func listTemplates(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	kb, err := r.templateKB(in)
	if err != nil {
		return nil, err
	}
	items := make([]any, 0, len(kb.tplOrder))
	for _, id := range kb.tplOrder {
		t := kb.templates[id]
		sum := core.DeepCopy(t.latest).(map[string]any) // pruned to MessageTemplateSummary
		if t.active != 0 {
			sum["activeVersionNumber"] = float64(t.active)
		}
		items = append(items, sum)
	}
	p, next, err := page("message-templates/"+core.Str(kb.data, "knowledgeBaseId"), items, in)
	if err != nil {
		return nil, err
	}
	out := map[string]any{"messageTemplateSummaries": p}
	if next != "" {
		out["nextToken"] = next
	}
	return out, nil
}

// deleteTemplate deletes a whole template, or one version when the id is
// qualified with its number; the active version cannot go alone.
func deleteTemplate(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	kb, err := r.templateKB(in)
	if err != nil {
		return nil, err
	}
	ref := core.Str(in, "messageTemplateId")
	t, qual, err := kb.template(ref)
	if err != nil {
		return nil, err
	}
	id := core.Str(t.latest, "messageTemplateId")
	switch qual {
	case "", qLatest:
		delete(kb.templates, id)
		kb.tplOrder = remove(kb.tplOrder, id)
		for tok, use := range kb.tokens {
			if use.id == id {
				delete(kb.tokens, tok)
			}
		}
	case qActive:
		return nil, validation("Delete a version by its number, not %s", qActive)
	default:
		n, cerr := strconv.Atoi(qual)
		if cerr != nil || t.version(n) == nil {
			return nil, notFound(ref, "Version %s of message template %s not found", qual, id)
		}
		if t.active == n {
			return nil, conflict("Version %d of message template %s is active: deactivate it first", n, id)
		}
		kept := t.versions[:0]
		for _, v := range t.versions {
			if v.number != n {
				kept = append(kept, v)
			}
		}
		t.versions = kept
	}
	s.touch(kb)
	return nil, nil
}

// createVersion freezes $LATEST as the next version number; when $LATEST
// is unchanged since the newest version, that version is returned.
func createVersion(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	kb, err := r.templateKB(in)
	if err != nil {
		return nil, err
	}
	t, qual, err := kb.template(core.Str(in, "messageTemplateId"))
	if err != nil {
		return nil, err
	}
	if err := latestOnly(qual); err != nil {
		return nil, err
	}
	sha := core.Str(t.latest, "messageTemplateContentSha256")
	if want := core.Str(in, "messageTemplateContentSha256"); want != "" && want != sha {
		return nil, conflict("messageTemplateContentSha256 %s does not match the content of %s (%s)", want, qLatest, sha)
	}
	if n := len(t.versions); n > 0 && core.Str(t.versions[n-1].data, "messageTemplateContentSha256") == sha {
		return map[string]any{"messageTemplate": t.versionData(t.versions[n-1].number)}, nil
	}
	if len(t.versions) >= MaxVersionsPerTemplate {
		return nil, quotaExceeded("The quota of %d versions per message template is reached", MaxVersionsPerTemplate)
	}
	t.nextVer++
	t.versions = append(t.versions, &version{number: t.nextVer, data: core.DeepCopy(t.latest).(map[string]any)})
	return map[string]any{"messageTemplate": t.versionData(t.nextVer)}, nil
}

func listVersions(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	kb, err := r.templateKB(in)
	if err != nil {
		return nil, err
	}
	t, _, err := kb.template(core.Str(in, "messageTemplateId"))
	if err != nil {
		return nil, err
	}
	items := make([]any, 0, len(t.versions))
	for _, v := range t.versions {
		items = append(items, t.versionData(v.number)) // pruned to MessageTemplateVersionSummary
	}
	p, next, err := page("versions/"+core.Str(t.latest, "messageTemplateId"), items, in)
	if err != nil {
		return nil, err
	}
	out := map[string]any{"messageTemplateVersionSummaries": p}
	if next != "" {
		out["nextToken"] = next
	}
	return out, nil
}

// activation answers Activate and Deactivate.
func activation(t *template, n int) map[string]any {
	return map[string]any{"messageTemplateArn": fmt.Sprintf("%s:%d", t.latest["messageTemplateArn"], n),
		"messageTemplateId": t.latest["messageTemplateId"], "versionNumber": float64(n)}
}

func versionArg(in map[string]any) int {
	n, _ := core.Num(in["versionNumber"])
	return int(n)
}

// activate makes a version the active one; the version active before is
// deactivated.
func activate(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	kb, err := r.templateKB(in)
	if err != nil {
		return nil, err
	}
	ref := core.Str(in, "messageTemplateId")
	t, _, err := kb.template(ref)
	if err != nil {
		return nil, err
	}
	n := versionArg(in)
	if t.version(n) == nil {
		return nil, notFound(ref, "Version %d of message template %s not found", n, ref)
	}
	t.active = n
	return activation(t, n), nil
}

func deactivate(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	kb, err := r.templateKB(in)
	if err != nil {
		return nil, err
	}
	ref := core.Str(in, "messageTemplateId")
	t, _, err := kb.template(ref)
	if err != nil {
		return nil, err
	}
	n := versionArg(in)
	if t.version(n) == nil {
		return nil, notFound(ref, "Version %d of message template %s not found", n, ref)
	}
	if t.active != n {
		return nil, validation("Version %d of message template %s is not active", n, ref)
	}
	t.active = 0
	return activation(t, n), nil
}

// render fills the placeholders of a template's content from the request's
// attributes over the template's default attributes; placeholders without
// a value stay as written and are listed in attributesNotInterpolated.
func render(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	kb, err := r.templateKB(in)
	if err != nil {
		return nil, err
	}
	ref := core.Str(in, "messageTemplateId")
	t, qual, err := kb.template(ref)
	if err != nil {
		return nil, err
	}
	d, err := t.resolve(ref, qual)
	if err != nil {
		return nil, err
	}
	values := placeholderValues(core.Obj(d, "defaultAttributes"))
	for k, v := range placeholderValues(core.Obj(in, "attributes")) {
		values[k] = v
	}
	missing := map[string]bool{}
	var fill func(v any) any
	fill = func(v any) any {
		switch x := v.(type) {
		case map[string]any:
			for k, val := range x {
				x[k] = fill(val)
			}
		case []any:
			for i, val := range x {
				x[i] = fill(val)
			}
		case string:
			return placeholderRe.ReplaceAllStringFunc(x, func(m string) string {
				key := placeholderRe.FindStringSubmatch(m)[1]
				if v, ok := values[key]; ok {
					return v
				}
				missing[key] = true
				return m
			})
		}
		return v
	}
	content := fill(core.DeepCopy(d["content"]))
	notDone := []any{}
	for _, k := range sortedKeys(missing) {
		notDone = append(notDone, k)
	}
	out := map[string]any{"content": content, "attributesNotInterpolated": notDone}
	if sc := core.Obj(d, "sourceConfigurationSummary"); sc != nil {
		out["sourceConfigurationSummary"] = sc
	}
	return out, nil
}

// placeholderValues maps MessageTemplateAttributes to the placeholder
// paths templates use: {{Attributes.Customer.FirstName}},
// {{Attributes.Customer.Attributes.X}}, {{Attributes.Agent.FirstName}}.
// The system and custom attribute paths are UNCONFIRMED
// (connect-target.md 5.5): Attributes.System.Name,
// Attributes.System.CustomerEndpointAddress,
// Attributes.System.SystemEndpointAddress and Attributes.Custom.X.
func placeholderValues(a map[string]any) map[string]string {
	out := map[string]string{}
	for k, v := range core.Obj(a, "customerProfileAttributes") {
		if k == "custom" {
			for ck, cv := range v.(map[string]any) {
				out["Attributes.Customer.Attributes."+ck] = fmt.Sprint(cv)
			}
			continue
		}
		out["Attributes.Customer."+pascal(k)] = fmt.Sprint(v)
	}
	for k, v := range core.Obj(a, "agentAttributes") {
		out["Attributes.Agent."+pascal(k)] = fmt.Sprint(v)
	}
	sys := core.Obj(a, "systemAttributes")
	if v := core.Str(sys, "name"); v != "" {
		out["Attributes.System.Name"] = v
	}
	if v := core.Str(core.Obj(sys, "customerEndpoint"), "address"); v != "" {
		out["Attributes.System.CustomerEndpointAddress"] = v
	}
	if v := core.Str(core.Obj(sys, "systemEndpoint"), "address"); v != "" {
		out["Attributes.System.SystemEndpointAddress"] = v
	}
	for k, v := range core.Obj(a, "customAttributes") {
		out["Attributes.Custom."+k] = fmt.Sprint(v)
	}
	return out
}

func pascal(s string) string {
	if s == "" {
		return s
	}
	r := []rune(s)
	r[0] = unicode.ToUpper(r[0])
	return string(r)
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
