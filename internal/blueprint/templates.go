package blueprint

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/p2c/p2c/internal/assess"
	"github.com/p2c/p2c/internal/inventory"
	"github.com/p2c/p2c/internal/translate"
)

// Stage 50: the knowledge base of type MESSAGE_TEMPLATES and the Connect
// message templates of the email and SMS templates migrated campaigns and
// journeys send (connect-target.md 5.1-5.4).
//
// Each template is a chain of three steps:
//
//	message-template/<region>/<TYPE>/<name>            CreateMessageTemplate (draft = Pinpoint's active version)
//	message-template/<region>/<TYPE>/<name>/version    CreateMessageTemplateVersion (publishes version 1)
//	message-template/<region>/<TYPE>/<name>/activate   ActivateMessageTemplate (version 1)
//
// Campaigns refer to the first step: {{step:<id>.arn}} is its
// messageTemplateArn and {{step:<id>.version}} the version its chain
// published (the versionNumber of the /version step; always 1, the first
// version of a new template); they depend on the /activate step so the
// version exists first. A version a campaign pins that is not the active
// one becomes a template of its own (<name>-v<N>, step id
// <TYPE>/<name>/v<N>): Connect numbers versions from 1, so one Connect
// template cannot hold Pinpoint's version numbers, and a copy keeps the
// pinned content exact.

// Step kinds of this stage.
const (
	KindKnowledgeBase   = "knowledge-base"
	KindMessageTemplate = "message-template"
)

// Answers.
const (
	kbCreate    = "create"
	smsTruncate = "truncate"
	smsSplit    = "split"
	smsRewrite  = "rewrite"
)

var (
	kbArnRe  = regexp.MustCompile(`^arn:aws[a-z-]*:wisdom:[a-z0-9-]+:[0-9]{12}:knowledge-base/([a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12})$`)
	kbUUIDRe = regexp.MustCompile(`^[a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12}$`)
)

func init() {
	registerStage(Stage{Name: "message-templates", Order: 50, Build: buildMessageTemplates})
}

// tplStepFor is the template step a campaign or journey sends: the copy
// of the pinned version when this stage made one, else the template's
// ("" when none is planned).
func tplStepFor(b *Builder, region, typ, name, version string) string {
	if version != "" {
		if id := StepID(KindMessageTemplate, region, "", typ+"/"+name+"/v"+version); b.Step(id) != nil {
			return id
		}
	}
	if id := StepID(KindMessageTemplate, region, "", typ+"/"+name); b.Step(id) != nil {
		return id
	}
	return ""
}

// tplInlineStepFor is the template this stage made from a campaign's own
// message content ("" when none).
func tplInlineStepFor(b *Builder, region, app, campaign, typ string) string {
	if id := StepID(KindMessageTemplate, region, "", typ+"/campaign/"+app+"/"+campaign); b.Step(id) != nil {
		return id
	}
	return ""
}

// tplReadyStep is the step after which a template's version can be sent.
func tplReadyStep(b *Builder, id string) string {
	if b.Step(id+"/activate") != nil {
		return id + "/activate"
	}
	return id
}

// tplUse is one migrated campaign or journey sending a template.
type tplUse struct {
	what    string // "campaign c1 of app a1"
	app     string
	version string // pinned version, "" for the active one
}

// tplInline is a campaign's own email or SMS content.
type tplInline struct {
	app      *inventory.App
	campaign *inventory.Campaign
	name     string
	typ      string
	obj      map[string]any // as a Pinpoint template object
}

// tplUsesOf collects, per TYPE/name, the migrated campaigns and journeys
// of a region sending a template, and the campaigns' inline content.
func tplUsesOf(b *Builder, r *inventory.Region) (map[string][]tplUse, []tplInline) {
	uses := map[string][]tplUse{}
	var inline []tplInline
	for ai := range r.Apps {
		app := &r.Apps[ai]
		for ci := range app.Campaigns {
			c := &app.Campaigns[ci]
			o := cmpDecode(c.Object)
			if o == nil || !segCampaignMigrated(b, r.Name, app.ID, c.ID) {
				continue
			}
			for _, ch := range []struct{ typ, msg, tpl string }{
				{"EMAIL", "MessageConfiguration.EmailMessage", "TemplateConfiguration.EmailTemplate"},
				{"SMS", "MessageConfiguration.SMSMessage", "TemplateConfiguration.SMSTemplate"},
			} {
				// The campaign stage prefers inline content, as here.
				if m := assess.Obj(o, ch.msg); m != nil && (assess.Has(m, "Body") || assess.Has(m, "HtmlBody") || assess.Has(m, "Title")) {
					obj := map[string]any{"Body": assess.Str(m, "Body")}
					if ch.typ == "EMAIL" {
						obj = map[string]any{"Subject": assess.Str(m, "Title"), "HtmlPart": assess.Str(m, "HtmlBody"), "TextPart": assess.Str(m, "Body")}
					}
					name := c.Name
					if name == "" {
						name = assess.Str(o, "Name")
					}
					inline = append(inline, tplInline{app: app, campaign: c, typ: ch.typ, obj: obj,
						name: tplSafeName(fmt.Sprintf("campaign-%s-%s-%s", name, c.ID, strings.ToLower(ch.typ)))})
					continue
				}
				if name := assess.Str(o, ch.tpl+".Name"); name != "" {
					uses[ch.typ+"/"+name] = append(uses[ch.typ+"/"+name], tplUse{what: "campaign " + c.ID, app: app.ID, version: assess.Str(o, ch.tpl+".Version")})
				}
			}
		}
		for _, j := range app.Journeys {
			o := cmpDecode(j.Object)
			if o == nil || jrnRetired(j, o) != "" {
				continue
			}
			for _, a := range jrnActs(o) {
				if a.typ != "EMAIL" && a.typ != "SMS" {
					continue
				}
				if name := assess.Str(a.body, "TemplateName"); name != "" {
					uses[a.typ+"/"+name] = append(uses[a.typ+"/"+name], tplUse{what: "journey " + j.ID, app: app.ID, version: assess.Str(a.body, "TemplateVersion")})
				}
			}
		}
	}
	return uses, inline
}

// tplSafeName makes a Connect template name: letters, digits, space and
// _.,- only, at most 255 characters.
func tplSafeName(s string) string {
	var sb strings.Builder
	for _, r := range s {
		if r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r) || strings.ContainsRune(" _.,-", r)) {
			sb.WriteRune(r)
		} else {
			sb.WriteByte('_')
		}
	}
	out := sb.String()
	if len(out) > 255 {
		out = out[:255]
	}
	return out
}

// tplContent returns a template version's object: the active one for "".
func tplContent(t *inventory.Template, version string) map[string]any {
	if version == "" || version == t.ActiveVersion {
		if m := cmpDecode(t.Object); m != nil {
			return m
		}
		version = t.ActiveVersion
	}
	for _, v := range t.Versions {
		if v.Version == version {
			return cmpDecode(v.Object)
		}
	}
	return nil
}

// tplKB plans the knowledge base of a region and returns the
// knowledgeBaseId templates use and the step they depend on ("" for an
// existing knowledge base).
func tplKB(b *Builder, region string, notes []string) (kbID, kbStep string, err error) {
	key := region + ".knowledge-base"
	ans := b.Ask(Question{Key: key, Kind: KindText, Suggested: kbCreate,
		Context: fmt.Sprintf("Connect message templates live in a knowledge base of type MESSAGE_TEMPLATES in %s. Answer %s to have p2c create one, or give "+
			"the ARN of the knowledge base your Connect instance already uses for message templates.", region, kbCreate),
		Why: "An instance shows the templates of the knowledge base associated with it: reuse the one that exists when message templates are already enabled."})
	id := StepID(KindKnowledgeBase, region, "", "templates")
	st := Step{ID: id, Region: region, Kind: KindKnowledgeBase, Service: "qconnect", Transformations: notes}
	switch {
	case ans == "" || ans == kbCreate:
		name := "p2c-" + region + "-message-templates"
		st.Name, st.Operation = name, "CreateKnowledgeBase"
		st.Spec = Spec(map[string]any{"name": name, "knowledgeBaseType": "MESSAGE_TEMPLATES", "clientToken": name,
			"description": "Message templates migrated from Amazon Pinpoint by p2c", "tags": map[string]string{"p2c:source": "pinpoint"}})
		if ans == "" {
			st.WaitsOn = []string{key}
			st.Transformations = append([]string{"Planned as a new knowledge base until " + key + " is answered."}, st.Transformations...)
		}
		b.Add(st)
		return cmpStepRef(id, "id"), id, nil
	default:
		kb := ans
		if m := kbArnRe.FindStringSubmatch(ans); m != nil {
			kb = m[1]
		} else if !kbUUIDRe.MatchString(ans) {
			return "", "", fmt.Errorf("decision %s: %q is neither %s nor a knowledge base ARN (arn:aws:wisdom:REGION:ACCOUNT:knowledge-base/UUID)", key, ans, kbCreate)
		}
		b.Target(region).KnowledgeBaseID = kb
		st.Name, st.Action, st.Operation = kb, NoOp, "GetKnowledgeBase"
		st.Spec = Spec(map[string]any{"knowledgeBaseId": kb})
		st.Rollback = Rollback{Policy: RollbackRetain, Reason: "the knowledge base existed before the migration; p2c never deletes or changes it"}
		st.Transformations = append([]string{"Existing knowledge base (decision " + key + "): p2c only confirms it exists; it must be of type MESSAGE_TEMPLATES and associated with the Connect instance."},
			st.Transformations...)
		b.Add(st)
		return kb, id, nil
	}
}

func buildMessageTemplates(b *Builder) error {
	for _, r := range sortedRegions(b.In.Inventory) {
		if err := tplRegion(b, r); err != nil {
			return fmt.Errorf("%s: %w", r.Name, err)
		}
	}
	return nil
}

func tplRegion(b *Builder, r *inventory.Region) error {
	uses, inline := tplUsesOf(b, r)
	var connect []*inventory.Template
	var kept, other, empty []string
	byKey := map[string]*inventory.Template{}
	for i := range r.Templates {
		t := &r.Templates[i]
		key := t.Type + "/" + t.Name
		byKey[key] = t
		used := len(uses[key]) > 0
		switch {
		case used && (t.Type == "EMAIL" || t.Type == "SMS") && tplContent(t, "") == nil:
			empty = append(empty, key)
		case used && (t.Type == "EMAIL" || t.Type == "SMS"):
			connect = append(connect, t)
		case used:
			other = append(other, key)
		default:
			for _, w := range b.In.Assessment.Workloads {
				if w.ID == assess.WorkloadID(r.Name, "", assess.KindTemplate, key) && (w.Destination == assess.DestSES || w.Destination == assess.DestEUM) {
					kept = append(kept, key+" ("+w.Destination+")")
				}
			}
		}
	}
	var missing []string
	for _, k := range sortedKeys(uses) {
		if byKey[k] == nil {
			missing = append(missing, k)
		}
	}
	if len(connect) == 0 && len(inline) == 0 {
		return nil
	}
	sort.Slice(connect, func(i, j int) bool {
		return connect[i].Type+"/"+connect[i].Name < connect[j].Type+"/"+connect[j].Name
	})
	sort.Strings(kept)
	sort.Strings(other)

	var notes []string
	if len(kept) > 0 {
		notes = append(notes, "kept in SES/EUM: "+strings.Join(kept, ", ")+" (sent by the application, not by a campaign or journey: TPL-APP-SENDING).")
	}
	if len(other) > 0 {
		notes = append(notes, "not carried: "+strings.Join(other, ", ")+" (push, voice and in-app templates have no Connect campaign channel: TPL-PUSH, TPL-VOICE, TPL-IN-APP).")
	}
	if len(empty) > 0 {
		notes = append(notes, "not carried: "+strings.Join(empty, ", ")+" (the inventory has no content of the active version: scan the template or save its get-*-template output).")
	}
	if len(missing) > 0 {
		notes = append(notes, "not carried: "+strings.Join(missing, ", ")+" (used by campaigns or journeys but not in the inventory).")
	}
	kbID, kbStep, err := tplKB(b, r.Name, notes)
	if err != nil {
		return err
	}
	tplAssociate(b, r, kbStep, uses, inline)

	for _, t := range connect {
		key := t.Type + "/" + t.Name
		fs := b.Findings(assess.WorkloadID(r.Name, "", assess.KindTemplate, key))
		var findings []string
		for _, f := range fs {
			findings = append(findings, f.ID)
		}
		sort.Strings(findings)
		active := t.ActiveVersion
		if active == "" {
			active = assess.Str(tplContent(t, ""), "Version")
		}
		pins := map[string][]string{}
		for _, u := range uses[key] {
			if u.version != "" && u.version != active {
				pins[u.version] = append(pins[u.version], u.what)
			}
		}
		var extra []string
		for _, v := range tplSortedVersions(pins) {
			if tplContent(t, v) == nil {
				extra = append(extra, fmt.Sprintf("not carried: version %s pinned by %s has no content in the inventory; they send this template's version (the active one, %s).", v, strings.Join(pins[v], ", "), orDash(active)))
			}
		}
		if len(t.Versions) > 1 {
			extra = append(extra, fmt.Sprintf("Only Pinpoint's active version %s becomes Connect version 1 (TPL-VERSIONS); the other versions stay in the inventory.", orDash(active)))
		}
		id := StepID(KindMessageTemplate, r.Name, "", key)
		tplChain(b, r.Name, tplChainIn{id: id, name: tplSafeName(t.Name), typ: t.Type, obj: tplContent(t, ""), kbID: kbID, kbStep: kbStep,
			sources:  []Source{{Kind: inventory.KindTemplate, Region: r.Name, ID: t.Name, Version: active}},
			findings: findings, notes: extra, smsKey: t.Name})
		for _, v := range tplSortedVersions(pins) {
			obj := tplContent(t, v)
			if obj == nil {
				continue
			}
			tplChain(b, r.Name, tplChainIn{id: StepID(KindMessageTemplate, r.Name, "", key+"/v"+v), name: tplSafeName(t.Name + "-v" + v), typ: t.Type, obj: obj,
				kbID: kbID, kbStep: kbStep, sources: []Source{{Kind: inventory.KindTemplate, Region: r.Name, ID: t.Name, Version: v}}, findings: findings,
				notes: []string{fmt.Sprintf("Version %s is pinned by %s while version %s is active: it is a template of its own, %s, so the campaign keeps sending the same content.",
					v, strings.Join(pins[v], ", "), orDash(active), tplSafeName(t.Name+"-v"+v))},
				smsKey: t.Name + "-v" + v})
		}
	}
	sort.Slice(inline, func(i, j int) bool { return inline[i].typ+inline[i].name < inline[j].typ+inline[j].name })
	for _, in := range inline {
		findings := cmpFindingIDs(b.Findings(assess.WorkloadID(r.Name, in.app.ID, assess.KindCampaign, in.campaign.ID)))
		tplChain(b, r.Name, tplChainIn{id: StepID(KindMessageTemplate, r.Name, "", in.typ+"/campaign/"+in.app.ID+"/"+in.campaign.ID), name: in.name, typ: in.typ, obj: in.obj,
			kbID: kbID, kbStep: kbStep, app: in.app,
			sources:  []Source{{Kind: inventory.KindCampaign, Region: r.Name, App: in.app.ID, ID: in.campaign.ID, Version: cmpVersion(in.campaign, cmpDecode(in.campaign.Object))}},
			findings: findings, notes: []string{"The campaign's own " + in.typ + " content (not a Pinpoint template) becomes this Connect template: Connect campaigns send only templates."},
			smsKey: in.name})
	}
	return nil
}

// tplAssociate associates a new knowledge base with the Connect
// instance(s) of the apps sending templates.
func tplAssociate(b *Builder, r *inventory.Region, kbStep string, uses map[string][]tplUse, inline []tplInline) {
	if b.Step(kbStep).Action == NoOp {
		return
	}
	apps := map[string]bool{}
	for _, us := range uses {
		for _, u := range us {
			apps[u.app] = true
		}
	}
	for _, in := range inline {
		apps[in.app.ID] = true
	}
	done := map[string]bool{}
	for _, app := range sortedKeys(apps) {
		inst, waits := connectInstanceFor(b, r.Name, app)
		if done[inst] {
			continue
		}
		done[inst] = true
		scope := ""
		if b.targets[r.Name+"/"+app] != nil {
			scope = app
		}
		b.Add(Step{ID: StepID(KindKnowledgeBase, r.Name, scope, "instance-association"), Region: r.Name, App: scope, Kind: KindKnowledgeBase,
			Name: "Q_MESSAGE_TEMPLATES", Service: "connect", Operation: "CreateIntegrationAssociation",
			Spec: Spec(map[string]any{"InstanceId": inst, "IntegrationType": "Q_MESSAGE_TEMPLATES", "IntegrationArn": cmpStepRef(kbStep, "arn"),
				"Tags": map[string]string{"p2c:source": "pinpoint"}}),
			DependsOn: []string{kbStep}, WaitsOn: waits,
			Transformations: []string{"Associates the knowledge base with the Connect instance so campaigns and agents see its message templates (connect-target 5.1)."}})
	}
}

// tplSortedVersions orders version strings numerically.
func tplSortedVersions(m map[string][]string) []string {
	out := sortedKeys(m)
	sort.SliceStable(out, func(i, j int) bool {
		a, ea := strconv.Atoi(out[i])
		c, ec := strconv.Atoi(out[j])
		if ea == nil && ec == nil {
			return a < c
		}
		return out[i] < out[j]
	})
	return out
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// tplChainIn is one Connect template to create.
type tplChainIn struct {
	id, name, typ string
	obj           map[string]any
	kbID, kbStep  string
	app           *inventory.App
	sources       []Source
	findings      []string
	notes         []string
	// smsKey names the SMS length decision (<region>.sms-too-long.<smsKey>).
	smsKey string
}

// tplChain adds CreateMessageTemplate, CreateMessageTemplateVersion and
// ActivateMessageTemplate for one template.
func tplChain(b *Builder, region string, in tplChainIn) {
	res, err := translate.Template(in.obj, in.typ)
	st := Step{ID: in.id, Region: region, Kind: KindMessageTemplate, Name: in.name, Sources: in.sources, Findings: in.findings}
	if in.app != nil {
		st.App, st.AppName = in.app.ID, in.app.Name
	}
	if err != nil {
		b.Add(cmpNoOp(st, "not created: "+err.Error()))
		return
	}
	tr := append([]string(nil), res.Notes...)
	var waits []string
	content := res.Content
	var parts []string
	if in.typ == "SMS" {
		content, parts, waits, tr = tplSMSLength(b, region, in, res, tr)
	}
	for _, pr := range res.Untranslated {
		if in.typ == "SMS" && pr.Path == "Body" && strings.Contains(pr.Reason, "characters once translated") {
			continue // said by the SMS length line
		}
		line := "not carried: " + pr.Path
		if pr.Token != "" {
			line += " " + pr.Token
		}
		tr = append(tr, line+": "+pr.Reason)
	}
	tr = append(tr, in.notes...)
	tplAddChain(b, region, st, in, content, res, tr, waits)
	for i, p := range parts {
		n := strconv.Itoa(i + 2)
		part := Step{ID: in.id + "/part" + n, Region: region, Kind: KindMessageTemplate, Name: tplSafeName(in.name + "-part" + n), Sources: in.sources, App: st.App, AppName: st.AppName}
		pin := in
		pin.id, pin.name = part.ID, part.Name
		tplAddChain(b, region, part, pin, map[string]any{"sms": map[string]any{"body": map[string]any{"plainText": map[string]any{"content": p}}}}, res,
			[]string{fmt.Sprintf("Part %s of SMS template %s, split per decision %s.sms-too-long.%s: a campaign of its own must send it after the first part.", n, in.name, region, in.smsKey)}, nil)
	}
}

// tplAddChain adds the three steps of one template.
func tplAddChain(b *Builder, region string, st Step, in tplChainIn, content map[string]any, res translate.TemplateResult, tr, waits []string) {
	spec := map[string]any{"knowledgeBaseId": in.kbID, "name": in.name, "channelSubtype": res.ChannelSubtype, "content": content,
		"description": "Migrated from Amazon Pinpoint by p2c", "clientToken": tplToken(st.ID), "tags": map[string]string{"p2c:source": "pinpoint"}}
	if res.DefaultAttributes != nil {
		spec["defaultAttributes"] = res.DefaultAttributes
	}
	st.Service, st.Operation, st.Spec = "qconnect", "CreateMessageTemplate", Spec(spec)
	st.DependsOn = []string{in.kbStep}
	st.WaitsOn = waits
	st.Transformations = tr
	b.Add(st)

	ref := cmpStepRef(st.ID, "id")
	b.Add(Step{ID: st.ID + "/version", Region: region, App: st.App, AppName: st.AppName, Kind: KindMessageTemplate, Name: st.Name + " version 1",
		Service: "qconnect", Operation: "CreateMessageTemplateVersion", Spec: Spec(map[string]any{"knowledgeBaseId": in.kbID, "messageTemplateId": ref}),
		DependsOn: []string{st.ID}, Sources: in.sources, WaitsOn: waits,
		Transformations: []string{"Publishes the draft as version 1, the version campaigns send ({{step:" + st.ID + ".version}})."},
		Rollback:        Rollback{Policy: RollbackRetain, Reason: "deleted with its template by the rollback of " + st.ID}})
	b.Add(Step{ID: st.ID + "/activate", Region: region, App: st.App, AppName: st.AppName, Kind: KindMessageTemplate, Name: "activate " + st.Name + " version 1",
		Service: "qconnect", Operation: "ActivateMessageTemplate", Spec: Spec(map[string]any{"knowledgeBaseId": in.kbID, "messageTemplateId": ref, "versionNumber": 1}),
		DependsOn: []string{st.ID + "/version"}, Sources: in.sources, WaitsOn: waits,
		Transformations: []string{"Version 1 becomes the active version, as Pinpoint's active version was: a new template's first version is 1."},
		Rollback:        Rollback{Policy: RollbackRetain, Reason: "deleted with its template by the rollback of " + st.ID}})
}

// tplToken is a stable idempotency token for a create call.
func tplToken(id string) string {
	h := sha256.Sum256([]byte(id))
	return "p2c-" + hex.EncodeToString(h[:16])
}

// tplSMSLength applies the SMS length limit: over 800 characters the
// template waits on a decision (truncate, split or rewrite); nothing is
// cut without one.
func tplSMSLength(b *Builder, region string, in tplChainIn, res translate.TemplateResult, tr []string) (map[string]any, []string, []string, []string) {
	text := tplSMSText(res.Content)
	n := utf8.RuneCountInString(text)
	if n <= translate.SMSMaxChars {
		return res.Content, nil, nil, tr
	}
	key := region + ".sms-too-long." + in.smsKey
	ans := b.Ask(Question{Key: key, Kind: KindChoice, Choices: []string{smsTruncate, smsSplit, smsRewrite}, Suggested: smsRewrite,
		Context: fmt.Sprintf("SMS template %s is %d characters once translated; Connect SMS templates hold at most %d (TPL-SMS-LENGTH). "+
			"truncate cuts the end, split makes several templates (each part needs a campaign of its own), rewrite takes a shorter text from %s.sms-text.%s.",
			in.name, n, translate.SMSMaxChars, region, in.smsKey),
		Why: "A person shortens the message best: truncating usually cuts the opt-out instructions at its end."})
	over := fmt.Sprintf("SMS body is %d characters once translated, over Connect's %d (TPL-SMS-LENGTH)", n, translate.SMSMaxChars)
	sms := func(s string) map[string]any {
		return map[string]any{"sms": map[string]any{"body": map[string]any{"plainText": map[string]any{"content": s}}}}
	}
	switch ans {
	case smsTruncate:
		cut := tplCut(text, translate.SMSMaxChars)
		return sms(cut), nil, nil, append(tr, fmt.Sprintf("%s: truncated to %d characters per decision %s; not carried: %q.", over, utf8.RuneCountInString(cut), key, text[len(cut):]))
	case smsSplit:
		var parts []string
		for rest := text; rest != ""; {
			p := tplCut(rest, translate.SMSMaxChars)
			if p == "" { // a single token longer than the limit
				p = string([]rune(rest)[:translate.SMSMaxChars])
			}
			parts = append(parts, strings.TrimSpace(p))
			rest = strings.TrimLeftFunc(rest[len(p):], unicode.IsSpace)
		}
		return sms(parts[0]), parts[1:], nil, append(tr, fmt.Sprintf("%s: split into %d templates per decision %s; this one holds the first part.", over, len(parts), key))
	case smsRewrite:
		tkey := region + ".sms-text." + in.smsKey
		rw := b.Ask(Question{Key: tkey, Kind: KindText,
			Context: fmt.Sprintf("The shorter text of SMS template %s (at most %d characters once translated; Pinpoint placeholders such as {{User.UserAttributes.FirstName}} are translated).", in.name, translate.SMSMaxChars),
			Why:     "Decision " + key + " says rewrite."})
		if rw != "" {
			r2, err := translate.Template(map[string]any{"Body": rw}, "SMS")
			if t2 := tplSMSText(r2.Content); err == nil && utf8.RuneCountInString(t2) <= translate.SMSMaxChars {
				return r2.Content, nil, nil, append(tr, fmt.Sprintf("%s: replaced by the rewritten text of decision %s (%d characters).", over, tkey, utf8.RuneCountInString(t2)))
			}
			return res.Content, nil, []string{tkey}, append(tr, fmt.Sprintf("%s; the rewritten text of %s is still too long or invalid: waits on a shorter one.", over, tkey))
		}
		return res.Content, nil, []string{tkey}, append(tr, fmt.Sprintf("%s: waits on the rewritten text (decision %s).", over, tkey))
	}
	return res.Content, nil, []string{key}, append(tr, fmt.Sprintf("%s: waits on decision %s (truncate, split or rewrite); nothing is cut silently.", over, key))
}

// tplSMSText is the body of translated SMS content.
func tplSMSText(content map[string]any) string {
	sms, _ := content["sms"].(map[string]any)
	body, _ := sms["body"].(map[string]any)
	pt, _ := body["plainText"].(map[string]any)
	s, _ := pt["content"].(string)
	return s
}

// tplCut returns the longest prefix of s of at most max characters that
// ends at a space and does not end inside a {{placeholder}}; the hard cut
// when there is no such space.
func tplCut(s string, max int) string {
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	hard := string([]rune(s)[:max])
	cut := hard
	if i := strings.LastIndexFunc(hard, unicode.IsSpace); i > 0 {
		cut = hard[:i]
	}
	if o := strings.LastIndex(cut, "{{"); o >= 0 && !strings.Contains(cut[o:], "}}") {
		cut = cut[:o]
	}
	return strings.TrimRightFunc(cut, unicode.IsSpace)
}
