package assess

import (
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/p2c/p2c/internal/translate"
)

// Template rules. Connect message templates (Q in Connect) render with the
// same Handlebars engine as Pinpoint, so most of a template carries over;
// what changes is the data model behind the placeholders (endpoints become
// Customer Profiles profiles) and a few helpers and channels that have no
// counterpart. The scanner and the placeholder mapping live in
// internal/translate (translate.Tokens, translate.Placeholder), which the
// plan uses to write the Connect templates: the rules report what it does.

func init() {
	register(
		&Rule{ID: "TPL-PLACEHOLDER", Kind: KindTemplate, Class: Trans, Phase: "build",
			Title: "Endpoint placeholders rewritten for profiles",
			Doc: "Placeholders that read the Pinpoint endpoint or user ({{User.UserAttributes.X}}, {{Attributes.X}}, {{Metrics.X}}, " +
				"{{Demographic.X}}, {{Location.X}}, {{User.UserId}}, {{Address}}, {{ChannelType}}, {{OptOut}}, {{EndpointStatus}}) are rewritten " +
				"to Customer Profiles placeholders: user and endpoint attributes and metrics become {{Attributes.Customer.Attributes.X}} " +
				"(metrics as strings), demographics {{Attributes.Customer.Attributes.Demographic_X}}, City/Country/PostalCode/Region the " +
				"profile's address fields, {{Address}} the profile's email address or mobile phone number, and ChannelType, OptOut and " +
				"EndpointStatus the constant they always have for a Connect recipient. A template that reads the same name as a user " +
				"attribute, an endpoint attribute and a metric needs a person to pick which one the merged profile keeps (redesign).",
			Check: checkTplPlaceholder},
		&Rule{ID: "TPL-ARRAY-INDEX", Kind: KindTemplate, Class: Trans, Phase: "build",
			Title: "Indexed or iterated attribute arrays",
			Doc: "Pinpoint attribute values are arrays, so templates write {{User.UserAttributes.FirstName.[0]}} or iterate them with {{#each}}. " +
				"Profile attributes are single strings (arrays are flattened), so p2c drops the [0] index (transform). Any other index, and " +
				"{{#each}} over an attribute, has no equivalent on a flattened string: a person rewrites that part (redesign).",
			Check: checkTplArrayIndex},
		&Rule{ID: "TPL-ENDPOINT-FIELD", Kind: KindTemplate, Class: Redesign, Phase: "build",
			Title: "Endpoint field without a profile equivalent",
			Doc: "{{Id}}, {{CreationDate}}, {{EffectiveDate}}, {{RequestId}} (and {{Address}}/{{ChannelType}} in push and voice templates) " +
				"describe a Pinpoint endpoint or request; a Customer Profiles profile merges several endpoints and has no such field. " +
				"A person decides whether to drop the placeholder or carry the value as a profile attribute.",
			Check: checkTplEndpointField},
		&Rule{ID: "TPL-RECOMMENDER", Kind: KindTemplate, Class: Redesign, Phase: "build",
			Title: "Recommendation placeholders",
			Doc: "The template uses a Pinpoint recommender (RecommenderId, {{RecommendationItems}} or {{Recommendations.X}} attributes). " +
				"Connect message templates have no Personalize recommender integration (only Predictive Insights recommendations in " +
				"event-triggered campaigns): recommendations must be computed into profile attributes by a job of the team's own, or dropped.",
			Check: checkTplRecommender},
		&Rule{ID: "TPL-WITH", Kind: KindTemplate, Class: Trans, Phase: "build",
			Title: "Handlebars with block",
			Doc: "Connect's message templates do not support the Handlebars {{#with}} helper. p2c rewrites the block by prefixing the " +
				"paths inside it with the block's context (transform); when the block uses parent paths (../), data variables (@...), this, " +
				"an else branch or nested blocks, or sits inside an each block, the rewrite is not mechanical and a person rewrites it (redesign).",
			Check: checkTplWith},
		&Rule{ID: "TPL-HELPER-UNKNOWN", Kind: KindTemplate, Class: Redesign, Phase: "build",
			Title: "Helper not in the message-template helper set",
			Doc: "The template calls a helper that is not among the Handlebars built-ins or the documented Pinpoint/Connect message-template " +
				"helpers (conditional, string, locale, URL, math and date helpers). Connect may fail to render it: a person replaces it, and " +
				"checks the rendering with RenderMessageTemplate. The helper list beyond the conditional ones is taken from the Pinpoint helper " +
				"page, which the Connect page copies (except with).",
			Check: checkTplHelperUnknown},
		&Rule{ID: "TPL-MALFORMED", Kind: KindTemplate, Class: Manual, Phase: "build",
			Title: "Malformed Handlebars",
			Doc: "The template has an unclosed {{, an unclosed or mismatched block ({{#if}} without {{/if}}), or a stray closing tag. " +
				"Pinpoint may have rendered it leniently; a Connect template with broken syntax fails to render. A person fixes the content " +
				"before p2c creates the Connect template.",
			Check: checkTplMalformed},
		&Rule{ID: "TPL-SUBSTITUTION", Kind: KindTemplate, Class: Trans,
			Title: "Variables filled by the sender",
			Doc: "Variables that are not endpoint or user paths (e.g. {{Code}}) are filled by the Substitutions of a direct send. A campaign " +
				"or journey has no per-message substitutions, so in a Connect-bound template they render only their DefaultSubstitutions " +
				"value: p2c moves them to the template's custom attributes with that default ({{Attributes.Custom.X}}). For templates the " +
				"application sends itself (End User Messaging / SES) the application keeps passing them (see TPL-APP-SENDING).",
			Check: checkTplSubstitution},
		&Rule{ID: "TPL-DEFAULTS", Kind: KindTemplate, Class: Trans, Phase: "build",
			Title: "Default substitutions",
			Doc: "DefaultSubstitutions is a JSON string mapping variable paths to fallback values. p2c translates each key like a placeholder " +
				"and writes the values to the Connect template's defaultAttributes (profile attributes or custom attributes). A value that " +
				"is not valid JSON, or a key with no profile equivalent, needs a person (manual).",
			Check: checkTplDefaults},
		&Rule{ID: "TPL-SMS-LENGTH", Kind: KindTemplate, Class: Redesign, Phase: "build",
			Title: "SMS body length",
			Doc: "Connect SMS message templates hold at most 800 characters (Pinpoint allowed 1,600): a longer body must be shortened by a " +
				"person (redesign). A body longer than one SMS segment (160 GSM-7 or 70 UCS-2 characters) is sent as several billed parts " +
				"either way; that is reported as direct.",
			Check: checkTplSMSLength},
		&Rule{ID: "TPL-EMAIL-HEADERS", Kind: KindTemplate, Class: Trans,
			Title: "Email headers",
			Doc: "The email template carries custom headers (Headers). Connect email templates accept up to 15 headers " +
				"(content.email.headers); p2c copies them, translating placeholders in their values.",
			Check: checkTplEmailHeaders},
		&Rule{ID: "TPL-PUSH", Kind: KindTemplate, Class: Redesign, Phase: "build",
			Title: "Push template used by a campaign or journey",
			Doc: "Connect campaigns cannot send push. A push template used by a Pinpoint campaign or journey becomes a Connect PUSH " +
				"message template only if the team sends push from a Connect journey through a Lambda action calling End User Messaging " +
				"Push; otherwise the sending moves to the application. A person chooses.",
			Check: checkTplPush},
		&Rule{ID: "TPL-VOICE", Kind: KindTemplate, Class: Manual, Phase: "build",
			Title: "Voice template",
			Doc: "Connect message templates have no voice subtype and End User Messaging SendVoiceMessage takes the script itself, not a " +
				"template. The script (with its Polly voice and language) moves into the application that places the calls, or into a " +
				"Connect contact flow if the team wants Connect telephony.",
			Check: checkTplVoice},
		&Rule{ID: "TPL-IN-APP", Kind: KindTemplate, Class: Manual, Phase: "build",
			Title: "In-app template",
			Doc: "In-app messaging has no AWS replacement after Pinpoint. The template is recorded in the report and not recreated; the team " +
				"rebuilds in-app messages in its app (or a third-party service) or retires them.",
			Check: checkTplInApp},
		&Rule{ID: "TPL-VERSIONS", Kind: KindTemplate, Class: Direct,
			Title: "Template versions",
			Doc: "Only the active version of a template migrates, plus any version a campaign or journey pins by number (transform: p2c " +
				"creates and activates the versions in order and pins the Connect campaign to the same content). Connect keeps at most 20 " +
				"versions per template; older Pinpoint versions stay in the inventory.",
			Check: checkTplVersions},
		&Rule{ID: "TPL-APP-SENDING", Kind: KindTemplate, Class: Manual, Phase: "cutover",
			Title: "Template sent by the application",
			Doc: "No campaign or journey uses the template: the team's application sends it through the Pinpoint API (SendMessages, " +
				"SendUsersMessages, SendOTPMessage). That sending stays transactional and moves to SES (email: an SES template and " +
				"SendEmail) or End User Messaging (SMS/push: the application renders the text and calls SendTextMessage or the push API). " +
				"The application code must change before the cut-off.",
			Check: checkTplAppSending},
	)
}

// tplText is one piece of template text and where it came from.
type tplText struct {
	Field string
	Text  string
}

// tplSkip are template members that are metadata, not content.
var tplSkip = map[string]bool{"Arn": true, "CreationDate": true, "LastModifiedDate": true, "TemplateName": true, "TemplateType": true,
	"Version": true, "TemplateDescription": true, "DefaultSubstitutions": true, "tags": true, "RecommenderId": true,
	"LanguageCode": true, "VoiceId": true, "Layout": true, "Action": true, "Alignment": true, "TextColor": true, "BackgroundColor": true,
	"ButtonAction": true, "Sound": true}

// tplTexts lists every content string of a template object, sorted by
// field path.
func tplTexts(obj map[string]any) []tplText {
	var out []tplText
	var walk func(prefix string, v any)
	walk = func(prefix string, v any) {
		switch x := v.(type) {
		case string:
			if strings.Contains(x, "{{") {
				out = append(out, tplText{prefix, x})
			}
		case map[string]any:
			for k, e := range x {
				if tplSkip[k] {
					continue
				}
				p := k
				if prefix != "" {
					p = prefix + "." + k
				}
				walk(p, e)
			}
		case []any:
			for i, e := range x {
				walk(fmt.Sprintf("%s[%d]", prefix, i), e)
			}
		}
	}
	walk("", obj)
	sort.Slice(out, func(i, j int) bool { return out[i].Field < out[j].Field })
	return out
}

// tplUse is one variable read, with the field it sits in.
type tplUse struct {
	Field string
	translate.Use
}

// tplUses lists the variable reads of a template.
func tplUses(obj map[string]any) []tplUse {
	var out []tplUse
	for _, tx := range tplTexts(obj) {
		for _, u := range translate.Uses(tx.Text) {
			out = append(out, tplUse{Field: tx.Field, Use: u})
		}
	}
	return out
}

// tplType is the template's type.
func tplType(s *Subject) string {
	if s.Template != nil {
		return s.Template.Type
	}
	return Str(s.Object, "TemplateType")
}

// tplUsed reports whether a campaign or journey uses the template.
func tplUsed(s *Subject) bool {
	return s.Template != nil && s.Inv != nil && len(s.Inv.ReferencesTo("template", s.Region.Name, "", s.Template.Name)) > 0
}

// tplConnectBound reports whether the template becomes a Connect message
// template: a campaign or journey sends it, on a channel Connect templates
// have. Templates the application sends itself are covered by
// TPL-APP-SENDING; voice and in-app by their own rules.
func tplConnectBound(s *Subject) bool {
	switch tplType(s) {
	case "EMAIL", "SMS", "PUSH":
		return tplUsed(s)
	}
	return false
}

// tplFields joins the distinct fields of uses, for Field.
func tplFields(uses []tplUse) string {
	seen := map[string]bool{}
	var fs []string
	for _, u := range uses {
		if !seen[u.Field] {
			seen[u.Field] = true
			fs = append(fs, u.Field)
		}
	}
	sort.Strings(fs)
	return strings.Join(fs, ", ")
}

// tplDistinct counts distinct items.
func tplDistinct(items []string) int {
	seen := map[string]bool{}
	for _, it := range items {
		seen[it] = true
	}
	return len(seen)
}

// tplExamples renders up to three distinct items and the count of the rest.
func tplExamples(items []string) string {
	seen := map[string]bool{}
	var d []string
	for _, it := range items {
		if !seen[it] {
			seen[it] = true
			d = append(d, it)
		}
	}
	if len(d) <= 3 {
		return strings.Join(d, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(d[:3], ", "), len(d)-3)
}

func checkTplPlaceholder(s *Subject) []Hit {
	typ := tplType(s)
	if !tplConnectBound(s) {
		return nil
	}
	var uses []tplUse
	var ex []string
	names := map[string]map[string]bool{} // attribute name -> roots reading it
	for _, u := range tplUses(s.Object) {
		if u.Relative {
			continue
		}
		target, status, _ := translate.Placeholder(u.Path, typ)
		if status != translate.Mapped {
			continue
		}
		uses = append(uses, u)
		base, _ := translate.SplitIndex(u.Path)
		ex = append(ex, "{{"+base+"}} → {{"+strings.Trim(target, `"`)+"}}")
		if strings.HasPrefix(target, "Attributes.Customer.Attributes.") {
			root, _, _ := strings.Cut(base, ".")
			n := strings.TrimPrefix(target, "Attributes.Customer.Attributes.")
			if names[n] == nil {
				names[n] = map[string]bool{}
			}
			names[n][root] = true
		}
	}
	if len(uses) == 0 {
		return nil
	}
	hits := []Hit{{Field: tplFields(uses),
		Message: fmt.Sprintf("The template reads %d Pinpoint endpoint placeholder(s) that p2c rewrites for Customer Profiles (%s).", tplDistinct(ex), tplExamples(ex))}}
	var clash []string
	for n, roots := range names {
		if len(roots) > 1 {
			clash = append(clash, n)
		}
	}
	sort.Strings(clash)
	for _, n := range clash {
		hits = append(hits, Hit{Field: tplFields(uses), Detail: "clash-" + n, Class: Redesign,
			Message: fmt.Sprintf("The template reads %q both as a user attribute, an endpoint attribute or a metric, which become one profile attribute.", n),
			Action:  fmt.Sprintf("Decide which value the profile attribute %q keeps (or rename one of them in the endpoint-to-profile mapping), then check the template.", n)})
	}
	return hits
}

func checkTplArrayIndex(s *Subject) []Hit {
	typ := tplType(s)
	if !tplConnectBound(s) {
		return nil
	}
	var zero []tplUse
	var zeroEx []string
	var hits []Hit
	seen := map[string]bool{}
	for _, u := range tplUses(s.Object) {
		if u.Relative {
			continue
		}
		_, status, idx := translate.Placeholder(u.Path, typ)
		if status != translate.Mapped {
			continue
		}
		base, _ := translate.SplitIndex(u.Path)
		if u.Tok.Kind == '#' && u.Tok.Name == "each" && idx == "" {
			if !seen["each "+base] {
				seen["each "+base] = true
				hits = append(hits, Hit{Field: u.Field, Detail: "each-" + base, Class: Redesign,
					Message: fmt.Sprintf("The template iterates over {{#each %s}}, but profile attributes are single strings, not lists.", base),
					Action:  fmt.Sprintf("Rewrite the {{#each %s}} block to print the flattened value, or keep the list items as separate profile attributes.", base)})
			}
			continue
		}
		switch idx {
		case "":
		case "[0]":
			zero = append(zero, u)
			zeroEx = append(zeroEx, "{{"+u.Path+"}}")
		default:
			if !seen[u.Path] {
				seen[u.Path] = true
				hits = append(hits, Hit{Field: u.Field, Detail: "index-" + u.Path, Class: Redesign,
					Message: fmt.Sprintf("The template reads element %s of {{%s}}; profile attributes keep a single flattened value.", idx, base),
					Action:  fmt.Sprintf("Decide how {{%s}} is filled on the profile (a separate attribute per element, or drop it).", u.Path)})
			}
		}
	}
	if len(zero) > 0 {
		hits = append([]Hit{{Field: tplFields(zero), Detail: "first",
			Message: fmt.Sprintf("The template reads the first element of %d array attribute(s) (%s); p2c drops the [0] index because profile attributes are flattened strings.", tplDistinct(zeroEx), tplExamples(zeroEx))}}, hits...)
	}
	return hits
}

func checkTplEndpointField(s *Subject) []Hit {
	typ := tplType(s)
	if !tplConnectBound(s) {
		return nil
	}
	var hits []Hit
	seen := map[string]bool{}
	for _, u := range tplUses(s.Object) {
		if u.Relative {
			continue
		}
		if _, status, _ := translate.Placeholder(u.Path, typ); status != translate.NoField || seen[u.Path] {
			continue
		}
		seen[u.Path] = true
		hits = append(hits, Hit{Field: u.Field, Detail: u.Path,
			Message: fmt.Sprintf("The %s template reads {{%s}}, a Pinpoint endpoint field with no Customer Profiles equivalent.", strings.ToLower(typ), u.Path),
			Action:  fmt.Sprintf("Drop {{%s}} from the template or store the value as a profile attribute during the endpoint migration.", u.Path)})
	}
	return hits
}

func checkTplRecommender(s *Subject) []Hit {
	var hits []Hit
	if id := Str(s.Object, "RecommenderId"); id != "" {
		hits = append(hits, Hit{Field: "RecommenderId", Detail: "recommender",
			Message: fmt.Sprintf("The template is connected to Pinpoint recommender %s, which Connect message templates cannot call.", id),
			Action:  "Decide whether recommendations are computed into profile attributes by a scheduled job of your own, or dropped from the message."})
	}
	var uses []tplUse
	var ex []string
	for _, u := range tplUses(s.Object) {
		if _, status, _ := translate.Placeholder(u.Path, tplType(s)); status == translate.Recommender {
			uses = append(uses, u)
			ex = append(ex, "{{"+u.Path+"}}")
		}
	}
	if len(uses) > 0 {
		hits = append(hits, Hit{Field: tplFields(uses), Detail: "placeholders",
			Message: fmt.Sprintf("The template prints %d recommendation placeholder(s) (%s) that have no Connect source.", tplDistinct(ex), tplExamples(ex)),
			Action:  "Replace the recommendation placeholders with profile attributes your own job fills, or remove that part of the message."})
	}
	return hits
}

func checkTplWith(s *Subject) []Hit {
	if !tplConnectBound(s) {
		return nil
	}
	var hits []Hit
	for _, tx := range tplTexts(s.Object) {
		for _, w := range translate.WithBlocks(tx.Text) {
			h := Hit{Field: tx.Field, Detail: fmt.Sprintf("%s@%d", tx.Field, w.Tok.Pos),
				Message: fmt.Sprintf("The template uses {{#with %s}}, which Connect message templates do not support; p2c expands the paths inside it.", w.Context)}
			if w.Why != "" {
				h.Class = Redesign
				h.Message = fmt.Sprintf("The template uses {{#with %s}}, which Connect does not support, and p2c cannot expand it mechanically: %s.", w.Context, w.Why)
				h.Action = fmt.Sprintf("Rewrite the {{#with %s}} block in %s with full paths.", w.Context, tx.Field)
			}
			hits = append(hits, h)
		}
	}
	return hits
}

func checkTplHelperUnknown(s *Subject) []Hit {
	if !tplConnectBound(s) {
		return nil
	}
	var hits []Hit
	seen := map[string]bool{}
	for _, tx := range tplTexts(s.Object) {
		for _, t := range translate.Tokens(tx.Text) {
			for _, h := range t.Helpers {
				if translate.KnownHelper(h) || seen[h] || !translate.IsPath(h) {
					continue
				}
				seen[h] = true
				hits = append(hits, Hit{Field: tx.Field, Detail: h,
					Message: fmt.Sprintf("The template calls the helper %q, which is not a documented message-template helper.", h),
					Action:  fmt.Sprintf("Replace %q with a documented helper or plain text, then check the Connect template renders (RenderMessageTemplate).", h)})
			}
		}
	}
	return hits
}

func checkTplMalformed(s *Subject) []Hit {
	var hits []Hit
	for _, tx := range tplTexts(s.Object) {
		if p := translate.Balance(tx.Text); p != "" {
			hits = append(hits, Hit{Field: tx.Field, Detail: tx.Field,
				Message: fmt.Sprintf("The template's %s has %s.", tx.Field, p),
				Action:  fmt.Sprintf("Fix the Handlebars syntax of %s (in Pinpoint or in the inventory copy) before planning.", tx.Field)})
		}
	}
	return hits
}

func checkTplSubstitution(s *Subject) []Hit {
	typ := tplType(s)
	if !tplConnectBound(s) {
		return nil
	}
	defaults := tplDefaults(s.Object)
	var uses []tplUse
	var ex, missing []string
	for _, u := range tplUses(s.Object) {
		if u.Relative {
			continue
		}
		if _, status, _ := translate.Placeholder(u.Path, typ); status != translate.Sender {
			continue
		}
		uses = append(uses, u)
		ex = append(ex, "{{"+u.Path+"}}")
		if _, ok := defaults[u.Path]; !ok {
			missing = append(missing, u.Path)
		}
	}
	if len(uses) == 0 {
		return nil
	}
	msg := fmt.Sprintf("The template reads %d variable(s) a campaign cannot fill per message (%s); p2c carries them as custom attributes with their default value.", tplDistinct(ex), tplExamples(ex))
	if len(missing) > 0 {
		msg = fmt.Sprintf("The template reads %d variable(s) a campaign cannot fill per message (%s); p2c carries them as custom attributes, and %s has no default, so it renders empty as it did in Pinpoint.", tplDistinct(ex), tplExamples(ex), tplExamples(missing))
	}
	return []Hit{{Field: tplFields(uses), Message: msg}}
}

// tplDefaults decodes DefaultSubstitutions; nil when absent or invalid.
func tplDefaults(obj map[string]any) map[string]any {
	m, _ := translate.DefaultSubstitutions(Str(obj, "DefaultSubstitutions"))
	return m
}

func checkTplDefaults(s *Subject) []Hit {
	raw := Str(s.Object, "DefaultSubstitutions")
	if raw == "" || !tplConnectBound(s) {
		return nil
	}
	m, err := translate.DefaultSubstitutions(raw)
	if err != nil {
		return []Hit{{Field: "DefaultSubstitutions", Detail: "invalid", Class: Manual,
			Message: "The template's DefaultSubstitutions is not a valid JSON object, so its default values cannot be carried over.",
			Action:  "Correct DefaultSubstitutions (a JSON object of variable path to default value) or re-enter the defaults on the Connect template."}}
	}
	if len(m) == 0 {
		return nil
	}
	keys := sortedKeys(m)
	var mapped, lost []string
	for _, k := range keys {
		target, status, _ := translate.Placeholder(k, tplType(s))
		switch status {
		case translate.Mapped:
			mapped = append(mapped, k+" → "+strings.Trim(target, `"`))
		case translate.Sender:
			mapped = append(mapped, k+" → Attributes.Custom."+k)
		default:
			lost = append(lost, k)
		}
	}
	hits := []Hit{{Field: "DefaultSubstitutions", Detail: "defaults",
		Message: fmt.Sprintf("The template has %d default value(s) that p2c writes to the Connect template's default attributes (%s).", len(keys), tplExamples(append(mapped, lost...)))}}
	if len(lost) > 0 {
		hits = append(hits, Hit{Field: "DefaultSubstitutions", Detail: "lost", Class: Manual,
			Message: fmt.Sprintf("The default value(s) for %s have no Connect attribute to attach to.", tplExamples(lost)),
			Action:  "Decide whether those defaults are still needed once the placeholders are rewritten; remove them or re-enter them on the Connect template."})
	}
	return hits
}

// tplSMSSegment is the length of one SMS part for a body.
func tplSMSSegment(body string) (limit int, unicode bool) {
	for _, r := range body {
		if r > 0x7e || (r < 0x20 && r != '\n' && r != '\r') {
			return 70, true
		}
	}
	return 160, false
}

func checkTplSMSLength(s *Subject) []Hit {
	if tplType(s) != "SMS" || !tplConnectBound(s) {
		return nil
	}
	// The limit applies to the Connect template, whose placeholders are
	// longer than Pinpoint's.
	orig := Str(s.Object, "Body")
	body := translate.Rewrite(orig, "SMS")
	n := utf8.RuneCountInString(body)
	if n > 800 {
		how := ""
		if body != orig {
			how = " once its placeholders are rewritten"
		}
		return []Hit{{Field: "Body", Detail: "limit",
			Message: fmt.Sprintf("The SMS body is %d characters%s; Connect SMS templates hold at most 800.", n, how),
			Action:  "Shorten the SMS body to 800 characters or fewer (after placeholders are rewritten) before p2c creates the Connect template."}}
	}
	// Parts depend on the rendered text; the Pinpoint body is the nearer
	// estimate.
	n = utf8.RuneCountInString(orig)
	limit, uni := tplSMSSegment(orig)
	if n > limit {
		enc := "GSM-7"
		if uni {
			enc = "UCS-2"
		}
		return []Hit{{Field: "Body", Detail: "parts", Class: Direct,
			Message: fmt.Sprintf("The SMS body is %d characters (%s), more than one %d-character segment, so every send is billed as several parts, as it was in Pinpoint.", n, enc, limit)}}
	}
	return nil
}

func checkTplEmailHeaders(s *Subject) []Hit {
	if tplType(s) != "EMAIL" || !tplConnectBound(s) {
		return nil
	}
	hs := List(s.Object, "Headers")
	if len(hs) == 0 {
		return nil
	}
	var names []string
	for _, h := range hs {
		if m, ok := h.(map[string]any); ok {
			names = append(names, Str(m, "Name"))
		}
	}
	return []Hit{{Field: "Headers",
		Message: fmt.Sprintf("The email template sets %d custom header(s) (%s), which p2c copies to the Connect email template.", len(hs), tplExamples(names))}}
}

func checkTplPush(s *Subject) []Hit {
	if tplType(s) != "PUSH" || !tplUsed(s) {
		return nil
	}
	return []Hit{{Field: "TemplateType",
		Message: "A campaign or journey sends this push template, but Connect campaigns cannot send push notifications.",
		Action:  "Choose: send the push from a Connect journey through a Lambda action that calls End User Messaging Push (p2c then creates a Connect PUSH template), or have the application send it."}}
}

func checkTplVoice(s *Subject) []Hit {
	if tplType(s) != "VOICE" {
		return nil
	}
	return []Hit{{Field: "Body",
		Message: fmt.Sprintf("The voice script (Polly voice %s, %s) has no Connect message template equivalent.", orNone(Str(s.Object, "VoiceId")), orNone(Str(s.Object, "LanguageCode"))),
		Action:  "Move the voice script into the application that places the calls (End User Messaging SendVoiceMessage) or into a Connect contact flow."}}
}

func checkTplInApp(s *Subject) []Hit {
	if tplType(s) != "INAPP" {
		return nil
	}
	return []Hit{{Field: "Content",
		Message: fmt.Sprintf("The in-app template (%s layout) has no AWS replacement and will not be recreated.", orNone(Str(s.Object, "Layout"))),
		Action:  "Rebuild this in-app message in the app or a third-party in-app messaging service, or retire it."}}
}

func checkTplVersions(s *Subject) []Hit {
	t := s.Template
	if t == nil {
		return nil
	}
	active := t.ActiveVersion
	if active == "" {
		active = Str(s.Object, "Version")
	}
	pinned := map[string][]string{}
	if s.Inv != nil {
		for _, r := range s.Inv.ReferencesTo("template", s.Region.Name, "", t.Name) {
			if r.To.Version != "" && r.To.Version != active && (r.To.Type == "" || r.To.Type == t.Type) {
				pinned[r.To.Version] = append(pinned[r.To.Version], r.From.Kind+" "+tplResourceName(s, r.From.App, r.From.Kind, r.From.ID))
			}
		}
	}
	var hits []Hit
	for _, v := range sortedKeys(pinned) {
		hits = append(hits, Hit{Field: "Version", Detail: "pinned-" + v, Class: Trans,
			Message: fmt.Sprintf("Version %s of the template is pinned by %s while version %s is active; p2c migrates both and points the migrated campaign or journey at the same content.", v, tplExamples(pinned[v]), orNone(active))})
	}
	if n := len(t.Versions); n > 1 && len(pinned) == 0 {
		hits = append(hits, Hit{Field: "Version", Detail: "history",
			Message: fmt.Sprintf("The template has %d versions; only the active version %s migrates and the others stay in the inventory.", n, orNone(active))})
	}
	return hits
}

func checkTplAppSending(s *Subject) []Hit {
	typ := tplType(s)
	if tplUsed(s) || typ == "INAPP" || typ == "VOICE" {
		return nil
	}
	content := strings.Join([]string{Str(s.Object, "Body"), Str(s.Object, "Subject"), Str(s.Object, "TextPart"), Str(s.Object, "HtmlPart")}, " ")
	what := "transactional"
	if otpRE.MatchString(content) {
		what = "one-time-password"
	}
	// Pinpoint filled endpoint placeholders from the endpoint it sent to;
	// after the move the application must pass those values itself.
	var ep []string
	for _, u := range tplUses(s.Object) {
		if _, status, _ := translate.Placeholder(u.Path, typ); status == translate.Mapped && !u.Relative {
			ep = append(ep, u.Path)
		}
	}
	fill := ""
	if n := tplDistinct(ep); n > 0 {
		fill = fmt.Sprintf(" and pass the %d endpoint value(s) Pinpoint used to fill (%s)", n, tplExamples(ep))
	}
	var h Hit
	switch typ {
	case "EMAIL":
		h = Hit{Field: "TemplateType",
			Message: fmt.Sprintf("No campaign or journey uses this %s email template, so the application sends it through Pinpoint, which stops on 2026-10-30.", what),
			Action:  "Change the application to send this email through SES (an SES template created from this one, and SendEmail with template data)" + fill + "."}
	case "SMS":
		h = Hit{Field: "TemplateType",
			Message: fmt.Sprintf("No campaign or journey uses this %s SMS template, so the application sends it through the Pinpoint messaging API.", what),
			Action:  "Change the application to render this text itself and send it with End User Messaging SendTextMessage (same origination number and configuration set)" + fill + "."}
	case "PUSH":
		h = Hit{Field: "TemplateType",
			Message: "No campaign or journey uses this push template, so the application sends it through the Pinpoint messaging API.",
			Action:  "Keep the push sending in End User Messaging Push, with the application passing the rendered title and body if templates are retired" + fill + "."}
	default:
		return nil
	}
	h.Where = "the application code that calls the Pinpoint messaging API"
	return []Hit{h}
}

// tplResourceName names a campaign or journey of the region for messages.
func tplResourceName(s *Subject, app, kind, id string) string {
	for _, a := range s.Region.Apps {
		if a.ID != app {
			continue
		}
		for _, c := range a.Campaigns {
			if kind == "campaign" && c.ID == id && c.Name != "" {
				return fmt.Sprintf("%q", c.Name)
			}
		}
		for _, j := range a.Journeys {
			if kind == "journey" && j.ID == id && j.Name != "" {
				return fmt.Sprintf("%q", j.Name)
			}
		}
	}
	return id
}
