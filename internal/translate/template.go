package translate

import (
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"unicode/utf8"
)

// SMSMaxChars is the most characters a Connect SMS message template holds
// (Pinpoint allowed 1,600).
const SMSMaxChars = 800

// Limits of the qconnect model the content must respect.
const (
	emailMaxHeaders = 15
	headerValueMax  = 870
	attrValueMax    = 32767
)

var headerNameRE = regexp.MustCompile(`^[!-9;-@A-~]{1,126}$`)

// TemplateResult is a Pinpoint template translated for Q in Connect
// CreateMessageTemplate.
type TemplateResult struct {
	// ChannelSubtype is EMAIL, SMS or PUSH.
	ChannelSubtype string `json:"channelSubtype"`
	// Content is a MessageTemplateContentProvider (SDK member names).
	Content map[string]any `json:"content"`
	// DefaultAttributes is a MessageTemplateAttributes built from the
	// template's DefaultSubstitutions; nil when there are none.
	DefaultAttributes map[string]any `json:"defaultAttributes,omitempty"`
	// Notes are the rewrites applied, one line each, for a plan's
	// transformations.
	Notes []string `json:"notes,omitempty"`
	// Untranslated lists what was left as written or left out, and why.
	Untranslated []Problem `json:"untranslated,omitempty"`
}

// Template translates a Pinpoint template object (wire member names, as
// GetEmailTemplate/GetSmsTemplate/GetPushTemplate return it or the
// *TemplateRequest of a create call) into Connect message-template content.
// typ is the template type (EMAIL, SMS, PUSH); when "" the object's
// TemplateType is used. Voice and in-app templates have no Connect message
// template and are an error. Malformed content is never an error: it is
// translated as far as it goes and reported in Untranslated.
func Template(tpl map[string]any, typ string) (TemplateResult, error) {
	if tpl == nil {
		return TemplateResult{}, fmt.Errorf("translate template: no template object")
	}
	if typ == "" {
		typ, _ = tpl["TemplateType"].(string)
	}
	typ = strings.ToUpper(typ)
	t := &tplRun{typ: typ, custom: map[string]bool{}}
	res := TemplateResult{ChannelSubtype: typ}
	switch typ {
	case "EMAIL":
		res.Content = map[string]any{"email": t.email(tpl)}
	case "SMS":
		res.Content = map[string]any{"sms": t.sms(tpl)}
	case "PUSH":
		res.Content = map[string]any{"push": t.push(tpl)}
	case "VOICE", "INAPP":
		return TemplateResult{}, fmt.Errorf("translate template: %s templates have no Connect message template", typ)
	default:
		return TemplateResult{}, fmt.Errorf("translate template: unknown template type %q", typ)
	}
	if id, _ := tpl["RecommenderId"].(string); id != "" {
		t.problem("RecommenderId", nil, fmt.Sprintf("the template is connected to Pinpoint recommender %s; Connect message templates cannot call a recommender", id))
	}
	res.DefaultAttributes = t.defaults(tpl)
	res.Notes = t.notes
	res.Untranslated = t.problems
	return res, nil
}

// tplRun carries one translation's findings.
type tplRun struct {
	typ      string
	notes    []string
	noted    map[string]bool
	problems []Problem
	// custom are the custom attributes the content reads
	// ({{Attributes.Custom.X}}), by key.
	custom map[string]bool
}

func (t *tplRun) note(s string) {
	if t.noted == nil {
		t.noted = map[string]bool{}
	}
	if !t.noted[s] {
		t.noted[s] = true
		t.notes = append(t.notes, s)
	}
}

func (t *tplRun) problem(field string, tok *Token, reason string) {
	p := Problem{Path: field, Pos: -1, Reason: reason}
	if tok != nil {
		p.Token, p.Pos = tok.Raw, tok.Pos
	}
	t.problems = append(t.problems, p)
}

// str returns a string member, "" when absent or not a string.
func str(m map[string]any, k string) string {
	s, _ := m[k].(string)
	return s
}

// body wraps text as a MessageTemplateBodyContentProvider.
func body(s string) map[string]any { return map[string]any{"content": s} }

func (t *tplRun) email(tpl map[string]any) map[string]any {
	out := map[string]any{}
	if s := t.text("Subject", str(tpl, "Subject")); s != "" {
		out["subject"] = s
	}
	b := map[string]any{}
	if s := t.text("HtmlPart", str(tpl, "HtmlPart")); s != "" {
		b["html"] = body(s)
	}
	if s := t.text("TextPart", str(tpl, "TextPart")); s != "" {
		b["plainText"] = body(s)
	}
	if len(b) > 0 {
		out["body"] = b
	} else {
		t.problem("HtmlPart", nil, "the email template has no HTML or text body")
	}
	hs, _ := tpl["Headers"].([]any)
	var headers []any
	for i, h := range hs {
		f := fmt.Sprintf("Headers[%d]", i)
		hm, _ := h.(map[string]any)
		name, value := str(hm, "Name"), t.text(f+".Value", str(hm, "Value"))
		switch {
		case !headerNameRE.MatchString(name):
			t.problem(f+".Name", nil, fmt.Sprintf("header name %q is not a valid Connect email header name", name))
		case value == "" || len(value) > headerValueMax:
			t.problem(f+".Value", nil, fmt.Sprintf("header %s has a value of %d characters; Connect takes 1 to %d", name, len(value), headerValueMax))
		case len(headers) == emailMaxHeaders:
			t.problem(f, nil, fmt.Sprintf("header %s is past the %d headers a Connect email template holds", name, emailMaxHeaders))
		default:
			headers = append(headers, map[string]any{"name": name, "value": value})
		}
	}
	if len(headers) > 0 {
		out["headers"] = headers
		t.note(fmt.Sprintf("Copied %d email header(s).", len(headers)))
	}
	return out
}

func (t *tplRun) sms(tpl map[string]any) map[string]any {
	s := t.text("Body", str(tpl, "Body"))
	if s == "" {
		t.problem("Body", nil, "the SMS template has no body")
		return map[string]any{}
	}
	if n := utf8.RuneCountInString(s); n > SMSMaxChars {
		t.problem("Body", nil, fmt.Sprintf("the SMS body is %d characters once translated; Connect SMS templates hold at most %d", n, SMSMaxChars))
	}
	return map[string]any{"body": map[string]any{"plainText": body(s)}}
}

// pushPlatforms maps Pinpoint push template members to Connect's.
var pushPlatforms = []struct{ pinpoint, connect string }{
	{"ADM", "adm"}, {"APNS", "apns"}, {"Baidu", "baidu"}, {"GCM", "fcm"},
}

// pushFields maps Pinpoint push message members to Connect's, per
// platform (APNS has mediaUrl, the others image URLs).
var pushFields = []struct {
	pinpoint, connect string
	body, apns, other bool
}{
	{"Title", "title", false, true, true},
	{"Body", "body", true, true, true},
	{"Action", "action", false, true, true},
	{"Sound", "sound", false, true, true},
	{"Url", "url", false, true, true},
	{"MediaUrl", "mediaUrl", false, true, false},
	{"ImageUrl", "imageUrl", false, false, true},
	{"ImageIconUrl", "imageIconUrl", false, false, true},
	{"SmallImageIconUrl", "smallImageIconUrl", false, false, true},
	{"RawContent", "rawContent", true, true, true},
}

func (t *tplRun) push(tpl map[string]any) map[string]any {
	def, _ := tpl["Default"].(map[string]any)
	// The default message applies to every platform; translate it once so
	// its problems are reported once.
	defT := map[string]string{}
	for _, f := range pushFields {
		if v := str(def, f.pinpoint); v != "" && f.pinpoint != "Action" {
			defT[f.pinpoint] = t.text("Default."+f.pinpoint, v)
		}
	}
	out := map[string]any{}
	for _, p := range pushPlatforms {
		plat, _ := tpl[p.pinpoint].(map[string]any)
		if plat == nil && def == nil {
			continue
		}
		msg := map[string]any{}
		for _, f := range pushFields {
			own := str(plat, f.pinpoint)
			if (p.connect == "apns" && !f.apns) || (p.connect != "apns" && !f.other) {
				if own != "" {
					t.problem(p.pinpoint+"."+f.pinpoint, nil, fmt.Sprintf("Connect %s push content has no %s", p.connect, f.pinpoint))
				}
				continue
			}
			// The platform's own value wins over the default, as in Pinpoint.
			var v string
			switch {
			case f.pinpoint == "Action":
				v = own
				if v == "" {
					v = str(def, f.pinpoint)
				}
				if v == "" {
					continue
				}
				if v != "OPEN_APP" && v != "DEEP_LINK" && v != "URL" {
					t.problem(p.pinpoint+".Action", nil, fmt.Sprintf("push action %q is not one of OPEN_APP, DEEP_LINK, URL", v))
					continue
				}
			case own != "":
				v = t.text(p.pinpoint+"."+f.pinpoint, own)
			default:
				v = defT[f.pinpoint]
			}
			if v == "" {
				continue
			}
			if f.body {
				msg[f.connect] = body(v)
			} else {
				msg[f.connect] = v
			}
		}
		if len(msg) > 0 {
			out[p.connect] = msg
		}
	}
	if len(out) == 0 {
		t.problem("Default", nil, "the push template has no content")
	}
	return out
}

// Rewrite returns text with every translatable Pinpoint placeholder
// rewritten to its Connect form, as Template writes it; untranslatable
// tokens are left as written.
func Rewrite(text, typ string) string {
	t := &tplRun{typ: strings.ToUpper(typ), custom: map[string]bool{}}
	return t.text("", text)
}

// block is an open Handlebars block during a rewrite.
type block struct {
	name string
	// prefix is set on a {{#with}} block that is expanded: its tokens are
	// dropped and the paths inside are prefixed with it.
	prefix string
	// relative is set on each blocks and on with blocks left as written:
	// bare names inside read the block's context.
	relative bool
}

// text rewrites one template string, recording problems against field.
func (t *tplRun) text(field, s string) string {
	if s == "" {
		return ""
	}
	toks := Tokens(s)
	if p := Balance(s); p != "" {
		t.problem(field, nil, "malformed Handlebars: "+p)
	}
	var b strings.Builder
	var stack []block
	last := 0
	for i := range toks {
		tok := &toks[i]
		b.WriteString(s[last:tok.Pos])
		last = tok.Pos + len(tok.Raw)
		if tok.Unclosed {
			t.problem(field, tok, "unclosed {{: the text is kept as written")
			b.WriteString(tok.Raw)
			continue
		}
		switch tok.Kind {
		case '!':
			b.WriteString(tok.Raw)
			continue
		case '>':
			t.problem(field, tok, "partials are not available in Connect message templates")
			b.WriteString(tok.Raw)
			continue
		case '/':
			if n := len(stack); n > 0 && stack[n-1].name == tok.Name {
				top := stack[n-1]
				stack = stack[:n-1]
				if top.prefix != "" {
					continue // closes an expanded with
				}
			}
			b.WriteString(tok.Raw)
			continue
		}
		if tok.Kind == '#' && tok.Name == "with" {
			if ctx, why := withExpandable(toks, i, stack); why == "" {
				full := t.expand(ctx, stack)
				stack = append(stack, block{name: "with", prefix: full})
				t.note(fmt.Sprintf("Expanded {{#with %s}}: Connect message templates have no with helper, so the paths inside are written in full.", ctx))
				continue
			} else {
				// The block stays as written, its argument too: the problem
				// covers both.
				t.problem(field, tok, fmt.Sprintf("{{#with}} is not supported by Connect message templates and cannot be expanded mechanically: %s", why))
				b.WriteString(tok.Raw)
				stack = append(stack, block{name: "with", relative: true})
				continue
			}
		}
		b.WriteString(t.token(field, tok, stack))
		if tok.Kind == '#' {
			stack = append(stack, block{name: tok.Name, relative: tok.Name == "each"})
		}
	}
	b.WriteString(s[last:])
	return b.String()
}

// withExpandable decides whether the {{#with}} at toks[i] can be dropped by
// prefixing the paths inside it; it returns the context path, or why not.
func withExpandable(toks []Token, i int, stack []block) (ctx, why string) {
	t := toks[i]
	if len(t.Paths) != 1 || len(t.Helpers) != 1 {
		return "", "its argument is not a single path"
	}
	for _, b := range stack {
		if b.relative {
			return "", "it sits inside an each block"
		}
	}
	depth := 0
	for _, u := range toks[i+1:] {
		if u.Unclosed {
			return "", "the block is not closed"
		}
		switch {
		case u.Kind == '/' && depth == 0:
			if u.Name != "with" {
				return "", "the block is not closed"
			}
			return t.Paths[0], ""
		case u.Kind == '/':
			depth--
		case u.Kind == '#':
			depth++
			return "", "it holds nested blocks"
		case u.Kind == 'e' && depth == 0:
			return "", "it has an else branch"
		}
		if strings.Contains(u.Raw, "../") || strings.Contains(u.Raw, "@") {
			return "", "it reads parent paths or data variables"
		}
		for _, a := range atoms(strings.Trim(u.Raw, "{}~&#/^ ")) {
			if a == "this" || strings.HasPrefix(a, "this.") || strings.HasPrefix(a, "./") {
				return "", "it reads this"
			}
		}
	}
	return "", "the block is not closed"
}

// expand prefixes a path with the contexts of the expanded with blocks
// around it.
func (t *tplRun) expand(p string, stack []block) string {
	if Absolute(p) {
		return p
	}
	for i := len(stack) - 1; i >= 0; i-- {
		if stack[i].prefix != "" {
			return stack[i].prefix + "." + p
		}
	}
	return p
}

// token rewrites one token's paths and reports what it cannot rewrite.
func (t *tplRun) token(field string, tok *Token, stack []block) string {
	relative := false
	for _, b := range stack {
		if b.relative {
			relative = true
		}
	}
	for _, h := range tok.Helpers {
		if !knownHelpers[h] && IsPath(h) {
			t.problem(field, tok, fmt.Sprintf("helper %q is not a documented Connect message-template helper", h))
		}
	}
	raw := tok.Raw
	// A plain constant ({{ChannelType}}) is written out as text.
	if tok.Kind == 'v' && tok.Name == "" && len(tok.Paths) == 1 && !(relative && !Absolute(tok.Paths[0])) {
		full := t.expand(tok.Paths[0], stack)
		if target, status, idx := Placeholder(full, t.typ); status == Mapped && (idx == "" || idx == "[0]") && strings.HasPrefix(target, `"`) {
			t.note(fmt.Sprintf("{{%s}} is written out as %s: it has that value for every Connect recipient.", tok.Paths[0], target))
			return strings.Trim(target, `"`)
		}
	}
	done := map[string]bool{}
	for _, p := range tok.Paths {
		if done[p] {
			continue
		}
		done[p] = true
		if relative && !Absolute(p) {
			continue // the item of an each block, not the endpoint
		}
		full := t.expand(p, stack)
		target, status, idx := Placeholder(full, t.typ)
		base, _ := SplitIndex(full)
		switch status {
		case Mapped:
			if idx != "" && idx != "[0]" {
				t.problem(field, tok, fmt.Sprintf("{{%s}} reads element %s of a list; profile attributes hold one flattened value", full, idx))
				raw = replacePath(raw, p, full)
				continue
			}
			if tok.Kind == '#' && tok.Name == "each" && idx == "" && strings.HasPrefix(target, "Attributes.Customer.Attributes.") {
				t.problem(field, tok, fmt.Sprintf("{{#each %s}} iterates over a list, but the profile attribute holds one flattened string", base))
			}
			if idx == "[0]" {
				t.note(fmt.Sprintf("{{%s}}: the [0] index is dropped because profile attributes are flattened strings.", full))
			}
			t.note(fmt.Sprintf("{{%s}} → {{%s}}", base, strings.Trim(target, `"`)))
			raw = replacePath(raw, p, target)
		case Sender:
			key := base
			target := "Attributes.Custom." + key
			if strings.ContainsAny(key, ".[] ") {
				target = "Attributes.Custom.[" + strings.NewReplacer("[", "", "]", "").Replace(key) + "]"
				key = strings.NewReplacer("[", "", "]", "").Replace(key)
			}
			t.custom[key] = true
			t.note(fmt.Sprintf("{{%s}} → {{%s}}: a campaign cannot pass per-message substitutions, so the value is a custom attribute.", base, target))
			raw = replacePath(raw, p, target)
		case NoField:
			t.problem(field, tok, fmt.Sprintf("{{%s}} is Pinpoint endpoint data with no Customer Profiles equivalent", base))
			raw = replacePath(raw, p, full)
		case Recommender:
			t.problem(field, tok, fmt.Sprintf("{{%s}} is a Pinpoint recommender value; Connect message templates have no recommender source", full))
			raw = replacePath(raw, p, full)
		}
	}
	return raw
}

// replacePath replaces path as a whole word inside one token.
func replacePath(raw, path, target string) string {
	if path == target {
		return raw
	}
	var b strings.Builder
	for {
		i := strings.Index(raw, path)
		if i < 0 {
			b.WriteString(raw)
			return b.String()
		}
		end := i + len(path)
		before := i == 0 || strings.ContainsRune(" ({~#^&=", rune(raw[i-1]))
		after := end == len(raw) || strings.ContainsRune(" )}~", rune(raw[end]))
		b.WriteString(raw[:i])
		if before && after {
			b.WriteString(target)
		} else {
			b.WriteString(path)
		}
		raw = raw[end:]
	}
}

// DefaultSubstitutions decodes a template's DefaultSubstitutions (a JSON
// object serialized as a string); nil, nil when raw is "".
func DefaultSubstitutions(raw string) (map[string]any, error) {
	if raw == "" {
		return nil, nil
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(raw), &m); err != nil {
		return nil, fmt.Errorf("default substitutions: %w", err)
	}
	if m == nil {
		return nil, fmt.Errorf("default substitutions: not a JSON object")
	}
	return m, nil
}

// profileDefaultKeys maps the standard profile fields placeholders can
// reach to CustomerProfileAttributes members.
var profileDefaultKeys = map[string]string{
	"Attributes.Customer.City": "city", "Attributes.Customer.Country": "country", "Attributes.Customer.PostalCode": "postalCode",
	"Attributes.Customer.State": "state", "Attributes.Customer.EmailAddress": "emailAddress",
	"Attributes.Customer.MobilePhoneNumber": "mobilePhoneNumber",
}

// defaults builds MessageTemplateAttributes from DefaultSubstitutions.
func (t *tplRun) defaults(tpl map[string]any) map[string]any {
	m, err := DefaultSubstitutions(str(tpl, "DefaultSubstitutions"))
	if err != nil {
		t.problem("DefaultSubstitutions", nil, "DefaultSubstitutions is not a valid JSON object, so no default value is carried")
	}
	profile, profileCustom, custom := map[string]any{}, map[string]any{}, map[string]any{}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		f := "DefaultSubstitutions." + k
		var v string
		switch x := m[k].(type) {
		case string:
			v = x
		case float64, bool:
			v = fmt.Sprint(x)
		default:
			t.problem(f, nil, "the default value is not a string, number or boolean")
			continue
		}
		if v == "" || utf8.RuneCountInString(v) > attrValueMax {
			t.problem(f, nil, fmt.Sprintf("the default value has %d characters; Connect default attributes take 1 to %d", utf8.RuneCountInString(v), attrValueMax))
			continue
		}
		target, status, _ := Placeholder(k, t.typ)
		base, _ := SplitIndex(k)
		switch {
		case strings.TrimSpace(k) == "" || len(k) > attrValueMax:
			t.problem(f, nil, "the default's variable name is empty or too long")
		case status == Mapped && strings.HasPrefix(target, `"`):
			t.note(fmt.Sprintf("The default for %s is not needed: the placeholder is a constant in Connect.", k))
		case status == Mapped && strings.HasPrefix(target, "Attributes.Customer.Attributes."):
			profileCustom[strings.TrimPrefix(target, "Attributes.Customer.Attributes.")] = v
		case status == Mapped && profileDefaultKeys[target] != "":
			profile[profileDefaultKeys[target]] = v
		case status == Sender:
			custom[strings.NewReplacer("[", "", "]", "").Replace(base)] = v
		default:
			t.problem(f, nil, fmt.Sprintf("the default for %s has no Connect attribute to attach to", k))
		}
	}
	for _, k := range sortedKeys(t.custom) {
		if _, ok := custom[k]; !ok {
			t.note(fmt.Sprintf("{{Attributes.Custom.%s}} has no default value, so it renders without a value, as it did in a Pinpoint campaign.", k))
		}
	}
	n := len(profile) + len(profileCustom) + len(custom)
	if len(profileCustom) > 0 {
		profile["custom"] = profileCustom
	}
	out := map[string]any{}
	if len(profile) > 0 {
		out["customerProfileAttributes"] = profile
	}
	if len(custom) > 0 {
		out["customAttributes"] = custom
	}
	if len(out) == 0 {
		return nil
	}
	t.note(fmt.Sprintf("DefaultSubstitutions became the template's default attributes (%d value(s)).", n))
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
