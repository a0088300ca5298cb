package blueprint

import (
	"encoding/json"
	"fmt"
	"net/mail"
	"sort"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // quiet-time arithmetic in IANA zones must not depend on the host's zoneinfo

	"github.com/p2c/p2c/internal/assess"
	"github.com/p2c/p2c/internal/inventory"
)

// Outbound campaigns (connectcampaignsv2) and the instance's communication
// limits. The mapping follows the assess rules CMP-*, SET-* and JRN-* (their
// Docs are the contract): schedules keep their instants, quiet time becomes
// open hours, daily caps become DAY communication limits, A/B treatments
// and holdouts are redesigns that keep the main treatment only.
//
// Placeholders. Where a decision is still open a spec carries
// {{decision:KEY}} (the answer itself) or one of these derived forms, which
// apply resolves from the same answer:
//
//	{{decision:KEY|id}}          last path segment of an ARN answer (a Connect instance id)
//	{{decision:KEY|account}}     account field of an ARN answer
//	{{decision:KEY|plus:PTnS}}   an RFC 3339 answer plus n seconds
//
// and {{step:ID.arn}} / {{step:ID.version}} for outputs of earlier steps.

func init() {
	registerStage(Stage{Name: "instance-limits", Order: 60, Build: buildInstanceLimits})
	registerStage(Stage{Name: "campaigns", Order: 70, Build: buildCampaigns})
}

const (
	cmpService  = "connectcampaignsv2"
	cmpCreate   = "CreateCampaign"
	cmpOpenEnd  = "2099-12-31T23:59:59Z" // an open-ended schedule: Connect requires an end time
	cmpMaxLimit = 30                     // longest communication-limit window, days
)

var cmpDays = []string{"MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY"}

var cmpPeriods = map[string]struct {
	iso string
	d   time.Duration
}{
	"HOURLY": {"PT1H", time.Hour},
	"DAILY":  {"P1D", 24 * time.Hour},
	"WEEKLY": {"P7D", 7 * 24 * time.Hour},
}

func cmpDecision(key string) string { return "{{decision:" + key + "}}" }

func cmpStepRef(id, attr string) string { return "{{step:" + id + "." + attr + "}}" }

func cmpDecode(raw json.RawMessage) map[string]any {
	var m map[string]any
	if len(raw) > 0 && json.Unmarshal(raw, &m) == nil {
		return m
	}
	return nil
}

// cmpNeeds gathers what a spec depends on while it is being built.
type cmpNeeds struct {
	deps  []string
	waits []string
	notes []string
}

func (n *cmpNeeds) dep(id string) {
	for _, d := range n.deps {
		if d == id {
			return
		}
	}
	n.deps = append(n.deps, id)
}

func (n *cmpNeeds) wait(key string) {
	for _, w := range n.waits {
		if w == key {
			return
		}
	}
	n.waits = append(n.waits, key)
}

func (n *cmpNeeds) note(format string, args ...any) {
	n.notes = append(n.notes, fmt.Sprintf(format, args...))
}

// cmpInstance returns the Connect instance id and ARN an app's campaigns
// go to (values or placeholders), as the profiles stage decided it: one
// instance per region, or per app when each app has a domain of its own.
func cmpInstance(b *Builder, region, app string, n *cmpNeeds) (id, arn string) {
	id, waits := connectInstanceFor(b, region, app)
	if len(waits) > 0 {
		for _, w := range waits {
			n.wait(w)
		}
		return id, cmpDecision(waits[0])
	}
	// Answered: the ARN is the answer whose instance id this is.
	for _, q := range b.In.Decisions.Questions {
		if strings.HasPrefix(q.Key, region+".connect-instance") && strings.HasSuffix(q.Answer, "/"+id) {
			return id, q.Answer
		}
	}
	return id, id
}

// cmpAccount is the account the target lives in: the inventory's, else the
// one in the Connect instance ARN.
func cmpAccount(b *Builder, region, app string, n *cmpNeeds) string {
	if b.In.Inventory != nil && b.In.Inventory.Account != "" {
		return b.In.Inventory.Account
	}
	_, arn := cmpInstance(b, region, app, n)
	if strings.HasPrefix(arn, "{{") {
		return strings.TrimSuffix(arn, "}}") + "|account}}"
	}
	if p := strings.Split(arn, ":"); len(p) > 4 {
		return p[4]
	}
	return ""
}

// cmpDomain returns the Customer Profiles domain name an app's resources
// go into (value or placeholder), depending on the domain step of the
// profiles stage when it planned one.
func cmpDomain(b *Builder, region, app string, n *cmpNeeds) string {
	if ref, ok := profilesDomainFor(b, region, app); ok {
		n.dep(ref.StepID)
		for _, w := range ref.WaitsOn {
			n.wait(w)
		}
		return ref.Name
	}
	key := region + ".profiles-domain"
	ans := b.Ask(Question{Key: key,
		Context:   "The Customer Profiles domain in " + region + " that holds the migrated profiles, segments and event triggers.",
		Suggested: "p2c-" + region,
		Why:       "A new domain keeps migrated data apart; answer with an existing domain's name to reuse it.",
		Kind:      KindName})
	if ans == "" {
		n.wait(key)
		return cmpDecision(key)
	}
	return ans
}

// cmpDomainARN is the domain's ARN (CreateDomain does not return one).
func cmpDomainARN(b *Builder, region, app string, n *cmpNeeds) string {
	name := cmpDomain(b, region, app, n)
	return "arn:aws:profile:" + region + ":" + cmpAccount(b, region, app, n) + ":domains/" + name
}

// cmpHas returns the workload finding of a rule, or nil.
func cmpHas(fs []assess.Finding, rule string) *assess.Finding {
	for i := range fs {
		if fs[i].Rule == rule {
			return &fs[i]
		}
	}
	return nil
}

func cmpFindingIDs(fs []assess.Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.ID)
	}
	sort.Strings(out)
	return out
}

// cmpRedesign reports whether a workload needs a person's acceptance.
func cmpRedesign(fs []assess.Finding) bool {
	for _, f := range fs {
		if f.Class == assess.Redesign {
			return true
		}
	}
	return false
}

// cmpNotCarried lists, one line each, the redesign findings a step does not
// carry out and the manual ones a person acts on outside p2c. handled
// names rules the step already covers ("RULE" for every class,
// "RULE/manual" for its manual findings only).
func cmpNotCarried(fs []assess.Finding, handled ...string) []string {
	skip := map[string]bool{}
	for _, h := range handled {
		skip[h] = true
	}
	var out []string
	for _, f := range fs {
		if skip[f.Rule] || skip[f.Rule+"/"+f.Class] {
			continue
		}
		switch f.Class {
		case assess.Redesign:
			out = append(out, fmt.Sprintf("not carried (%s): %s", f.Rule, f.Message))
		case assess.Manual:
			out = append(out, fmt.Sprintf("a person acts outside p2c (%s): %s", f.Rule, f.Message))
		}
	}
	return out
}

// --- time ----------------------------------------------------------------

// cmpLocation is the zone of an IANA name or a fixed Pinpoint offset.
func cmpLocation(zone, pinpointTZ string) *time.Location {
	if zone != "" && !strings.HasPrefix(zone, "{{") {
		if loc, err := time.LoadLocation(zone); err == nil {
			return loc
		}
	}
	if off, ok := cmpOffset(pinpointTZ); ok {
		return time.FixedZone(pinpointTZ, off)
	}
	return time.UTC
}

// cmpOffset parses a Pinpoint UTC offset (UTC-05, UTC+05:30) into seconds.
func cmpOffset(tz string) (int, bool) {
	rest := strings.TrimPrefix(strings.TrimPrefix(tz, "UTC"), "GMT")
	if rest == tz || rest == "" {
		return 0, rest == "" && tz != ""
	}
	sign := 1
	switch rest[0] {
	case '-':
		sign = -1
	case '+':
	default:
		return 0, false
	}
	h, m, _ := strings.Cut(rest[1:], ":")
	hh, err := strconv.Atoi(h)
	if err != nil {
		return 0, false
	}
	mm := 0
	if m != "" {
		if mm, err = strconv.Atoi(m); err != nil {
			return 0, false
		}
	}
	return sign * (hh*3600 + mm*60), true
}

// cmpParseTime parses a Pinpoint timestamp; one without an offset is read
// in loc. keep says whether the original text is an exact RFC 3339 instant
// that can be sent as it is.
func cmpParseTime(s string, loc *time.Location) (t time.Time, keep bool, ok bool) {
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t, true, true
	}
	if t, err := time.Parse("2006-01-02T15:04:05Z0700", s); err == nil {
		return t, false, true
	}
	for _, layout := range []string{"2006-01-02T15:04:05", "2006-01-02T15:04"} {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return t, false, true
		}
	}
	return time.Time{}, false, false
}

func cmpFormat(t time.Time) string { return t.Format(time.RFC3339) }

// cmpClock parses "HH:MM" into minutes after midnight.
func cmpClock(s string) (int, bool) {
	h, m, ok := strings.Cut(s, ":")
	if !ok || len(h) != 2 || len(m) != 2 {
		return 0, false
	}
	hh, err1 := strconv.Atoi(h)
	mm, err2 := strconv.Atoi(m)
	if err1 != nil || err2 != nil || hh < 0 || hh > 23 || mm < 0 || mm > 59 {
		return 0, false
	}
	return hh*60 + mm, true
}

// cmpRange is an open window in minutes after midnight, both ends
// inclusive as Connect writes them ("T09:00" to "T17:00").
type cmpRange struct{ from, to int }

const cmpLastMinute = 23*60 + 59

var cmpWholeDay = []cmpRange{{0, cmpLastMinute}}

// cmpQuietOpen is the complement of a quiet time (SET-QUIET, CMP-QUIET-TIME):
// quiet across midnight leaves End..Start open; quiet within a day leaves
// the hours before and after it.
func cmpQuietOpen(start, end string) ([]cmpRange, bool) {
	a, ok1 := cmpClock(start)
	z, ok2 := cmpClock(end)
	if !ok1 || !ok2 || a == z {
		return nil, false
	}
	if a > z {
		return []cmpRange{{z, a}}, true
	}
	var out []cmpRange
	if a > 0 {
		out = append(out, cmpRange{0, a})
	}
	if z < cmpLastMinute {
		out = append(out, cmpRange{z, cmpLastMinute})
	}
	return out, len(out) > 0
}

func cmpIntersect(a, b []cmpRange) []cmpRange {
	var out []cmpRange
	for _, x := range a {
		for _, y := range b {
			lo, hi := max(x.from, y.from), min(x.to, y.to)
			if lo < hi {
				out = append(out, cmpRange{lo, hi})
			}
		}
	}
	return out
}

func cmpHHMM(m int) string { return fmt.Sprintf("T%02d:%02d", m/60, m%60) }

// cmpWindow is a TimeWindow open on the same ranges every day.
func cmpWindow(rs []cmpRange) map[string]any {
	days := map[string]any{}
	for _, d := range cmpDays {
		var list []any
		for _, r := range rs {
			list = append(list, map[string]any{"startTime": cmpHHMM(r.from), "endTime": cmpHHMM(r.to)})
		}
		days[d] = list
	}
	return map[string]any{"openHours": map[string]any{"dailyHours": days}}
}

func cmpRangesText(rs []cmpRange) string {
	var parts []string
	for _, r := range rs {
		parts = append(parts, strings.TrimPrefix(cmpHHMM(r.from), "T")+"–"+strings.TrimPrefix(cmpHHMM(r.to), "T"))
	}
	return strings.Join(parts, ", ")
}

// --- templates and segments ----------------------------------------------

// cmpTemplateARN references the message template a channel sends: the
// template step of the message-template stage (pinned to the version the
// source used when that stage planned it), the template that stage made
// from inline content, or a decision when neither is planned.
func cmpTemplateARN(b *Builder, region, resKind, resID, typ, name, version string, inline bool, n *cmpNeeds) string {
	// The campaign sends the template's published version: it depends on
	// the step that activates it.
	ref := func(id string) string {
		n.dep(tplReadyStep(b, id))
		return cmpStepRef(id, "arn") + ":" + cmpStepRef(id, "version")
	}
	if inline {
		for _, s := range b.Steps() {
			if s.Kind != KindMessageTemplate || s.Operation != "CreateMessageTemplate" || !strings.Contains(strings.ToUpper(s.ID), typ) {
				continue
			}
			for _, src := range s.Sources {
				if src.Kind == resKind && src.ID == resID {
					n.note("%s content written in the %s becomes message template %s", typ, resKind, s.Name)
					return ref(s.ID)
				}
			}
		}
	} else if name != "" {
		if id := tplStepFor(b, region, typ, name, version); id != "" {
			switch {
			case version != "" && id != StepID(KindMessageTemplate, region, "", typ+"/"+name):
				n.note("%s template %s is pinned to version %s, as in Pinpoint", typ, name, version)
			case version != "":
				n.note("%s template %s version %s: the campaign uses the migrated template's version %s", typ, name, version, cmpStepRef(id, "version"))
			}
			return ref(id)
		}
	}
	key := fmt.Sprintf("%s.message-template.%s.%s", region, resID, strings.ToLower(typ))
	what := "template " + name
	if inline || name == "" {
		what = "content written in the " + resKind
	}
	if ans := b.Ask(Question{Key: key,
		Context: fmt.Sprintf("The %s message of %s %s uses %s, for which the plan has no Connect message template.", typ, resKind, resID, what),
		Why:     "Give the ARN (with version qualifier) of a Connect message template in the instance's knowledge base that carries this message.",
		Kind:    "arn"}); ans != "" {
		return ans
	}
	n.wait(key)
	return cmpDecision(key)
}

// cmpSegmentARN references the segment definition of a Pinpoint segment
// (the step of the segment-definition stage; a separate definition when
// the source pinned an older version and that stage built one).
func cmpSegmentARN(b *Builder, region, app, resID, segID string, version int, n *cmpNeeds) (arn, defName string) {
	id := segStepFor(b, region, app, segID, version)
	if st := b.Step(id); st != nil {
		n.dep(id)
		var spec struct{ SegmentDefinitionName string }
		_ = json.Unmarshal(st.Spec, &spec)
		return cmpStepRef(id, "arn"), spec.SegmentDefinitionName
	}
	key := fmt.Sprintf("%s.segment.%s", region, resID)
	if ans := b.Ask(Question{Key: key,
		Context: fmt.Sprintf("%s sends to Pinpoint segment %s, for which the plan has no Customer Profiles segment definition.", resID, segID),
		Why:     "Give the ARN of the segment definition that stands for this audience.",
		Kind:    "arn"}); ans != "" {
		return ans, ans[strings.LastIndex(ans, "/")+1:]
	}
	n.wait(key)
	return cmpDecision(key), ""
}

// --- channels --------------------------------------------------------------

// cmpEmailConfig is the email channel config (CMP-EMAIL-ADDRESS).
func cmpEmailConfig(b *Builder, region string, app *inventory.App, from, templateARN string, n *cmpNeeds) map[string]any {
	key := region + ".email-address"
	if b.targets[region+"/"+app.ID] != nil {
		key += "." + app.ID
	}
	suggested := ""
	if ch := cmpDecode(app.Channels["EMAIL"]); ch != nil {
		if a, err := mail.ParseAddress(assess.Str(ch, "FromAddress")); err == nil {
			suggested = a.Address
		}
	}
	addr := b.Ask(Question{Key: key,
		Context:   "The Connect email address (CreateEmailAddress on the instance's domain or an SES-verified domain) that migrated email campaigns in " + region + " send from.",
		Suggested: suggested,
		Why:       "The address the Pinpoint email channel sent from keeps recipients' filters and reputation; it must exist as a Connect email address first.",
		Kind:      KindEmail})
	if addr == "" {
		n.wait(key)
		addr = cmpDecision(key)
	}
	cfg := map[string]any{"connectSourceEmailAddress": addr, "wisdomTemplateArn": templateARN}
	if name := cmpDisplayName(from); name != "" {
		cfg["sourceEmailAddressDisplayName"] = name
		n.note("sender display name %q kept as sourceEmailAddressDisplayName", name)
	}
	return map[string]any{"outboundMode": map[string]any{"agentless": map[string]any{}}, "defaultOutboundConfig": cfg}
}

// cmpDisplayName is the display name of a "Name <address>" sender.
func cmpDisplayName(from string) string {
	i := strings.Index(from, "<")
	if i <= 0 {
		return ""
	}
	return strings.Trim(strings.TrimSpace(from[:i]), `"`)
}

// cmpSMSConfig is the SMS channel config (CMP-SMS-NUMBER): the Connect
// phone number is the campaign's own decision when it names an origination
// number, else the region's.
func cmpSMSConfig(b *Builder, region, resID, origination, templateARN string, n *cmpNeeds) map[string]any {
	key := region + ".sms-number"
	ctx := "The Connect phone number (an End User Messaging number imported into the instance) that migrated SMS campaigns in " + region + " send from."
	if origination != "" {
		key += "." + resID
		ctx = fmt.Sprintf("The Connect phone number that %s sends SMS from; in Pinpoint it sent from %s.", resID, origination)
	}
	num := b.Ask(Question{Key: key, Context: ctx,
		Why:  "Import the same End User Messaging number into Connect (its registration stays as it is) and give the Connect phone number ARN, so recipients see the same sender.",
		Kind: KindConnectNumberARN})
	if num == "" {
		n.wait(key)
		num = cmpDecision(key)
	}
	return map[string]any{"outboundMode": map[string]any{"agentless": map[string]any{}},
		"defaultOutboundConfig": map[string]any{"connectSourcePhoneNumberArn": num, "wisdomTemplateArn": templateARN}}
}

// --- stage 60: instance limits ---------------------------------------------

// cmpAppLimits is the list of Connect communication limits an app's
// settings ask for (SET-DAILY, SET-JOURNEY-DAILY, SET-JOURNEY-TIMEFRAME).
func cmpAppLimits(settings map[string]any) (limits []any, text []string) {
	num := func(path string) int {
		v, ok := assess.Num(settings, path)
		if !ok || v <= 0 {
			return 0
		}
		return int(v)
	}
	daily, jdaily := num("Limits.Daily"), num("JourneyLimits.DailyCap")
	if daily > 0 && jdaily > 0 {
		daily = min(daily, jdaily)
		text = append(text, fmt.Sprintf("Limits.Daily and JourneyLimits.DailyCap share one 1-DAY limit: the lower, %d", daily))
	} else if jdaily > 0 {
		daily = jdaily
		text = append(text, fmt.Sprintf("JourneyLimits.DailyCap %d becomes %d per 1 DAY", jdaily, jdaily))
	} else if daily > 0 {
		text = append(text, fmt.Sprintf("Limits.Daily %d becomes %d per 1 DAY, counted across all campaigns of the instance", daily, daily))
	}
	if daily > 0 {
		limits = append(limits, map[string]any{"maxCountPerRecipient": daily, "frequency": 1, "unit": "DAY"})
	}
	if c, d := num("JourneyLimits.TimeframeCap.Cap"), num("JourneyLimits.TimeframeCap.Days"); c > 0 && d > 0 {
		if d <= cmpMaxLimit && d != 1 {
			limits = append(limits, map[string]any{"maxCountPerRecipient": c, "frequency": d, "unit": "DAY"})
			text = append(text, fmt.Sprintf("JourneyLimits.TimeframeCap %d per %d days becomes %d per %d DAY", c, d, c, d))
		} else {
			text = append(text, fmt.Sprintf("not carried: JourneyLimits.TimeframeCap %d per %d days (windows of 2 to %d days only)", c, d, cmpMaxLimit))
		}
	}
	return limits, text
}

// cmpAppLimitsOf is one app's requested instance limits.
type cmpAppLimitsOf struct {
	app    *inventory.App
	limits []any
	text   []string
	key    string
}

func buildInstanceLimits(b *Builder) error {
	if b.In.Inventory == nil {
		return nil
	}
	for ri := range b.In.Inventory.Regions {
		r := &b.In.Inventory.Regions[ri]
		// Apps with a domain (and so an instance) of their own get their
		// own limits; the others share the region's instance.
		var shared []cmpAppLimitsOf
		for i := range r.Apps {
			a := &r.Apps[i]
			l, t := cmpAppLimits(cmpDecode(a.Settings))
			if len(l) == 0 && len(t) == 0 {
				continue
			}
			k, _ := json.Marshal(l)
			al := cmpAppLimitsOf{a, l, t, string(k)}
			if b.targets[r.Name+"/"+a.ID] != nil {
				addInstanceLimits(b, r.Name, a.ID, al, []cmpAppLimitsOf{al}, nil)
				continue
			}
			shared = append(shared, al)
		}
		if len(shared) == 0 {
			continue
		}
		var n cmpNeeds
		chosen := shared[0]
		distinct := map[string]bool{}
		for _, a := range shared {
			distinct[a.key] = true
		}
		if len(distinct) > 1 {
			// SET-SHARED-INSTANCE: one instance, one set of limits. The
			// strictest daily cap is suggested: nobody then gets more
			// than any app allowed.
			var choices []string
			best := shared[0]
			for _, a := range shared {
				choices = append(choices, a.app.ID)
				if cmpDailyOf(a.limits) < cmpDailyOf(best.limits) {
					best = a
				}
			}
			key := r.Name + ".instance-limits"
			ans := b.Ask(Question{Key: key,
				Context:   "Apps in " + r.Name + " have different sending limits, and a Connect instance has one set of communication limits. Choose the app whose limits the instance takes; campaigns of the other apps keep theirs as campaign overrides.",
				Choices:   choices,
				Suggested: best.app.ID,
				Why:       "The strictest daily cap never lets a recipient get more messages than any app allowed.",
				Kind:      KindChoice})
			chosen = best
			for _, a := range shared {
				if a.app.ID == ans {
					chosen = a
				}
			}
			if ans == "" {
				n.wait(key)
			}
		}
		addInstanceLimits(b, r.Name, "", chosen, shared, n.waits)
	}
	return nil
}

// addInstanceLimits adds the PutInstanceCommunicationLimits step of one
// instance (app "" for the region's shared instance).
func addInstanceLimits(b *Builder, region, app string, chosen cmpAppLimitsOf, all []cmpAppLimitsOf, waits []string) {
	if len(chosen.limits) == 0 {
		return
	}
	n := cmpNeeds{waits: waits}
	id, _ := cmpInstance(b, region, chosen.app.ID, &n)
	var sources []Source
	var findings []string
	for _, a := range all {
		sources = append(sources, Source{Kind: "app-settings", Region: region, App: a.app.ID, ID: "settings"})
		findings = append(findings, cmpFindingIDs(b.Findings(assess.WorkloadID(region, a.app.ID, assess.KindSettings, "settings")))...)
	}
	sort.Strings(findings)
	tr := append([]string{"limits of app " + chosen.app.ID + ": " + strings.Join(chosen.text, "; ")}, n.notes...)
	st := Step{ID: StepID("instance-limits", region, app, "communication-limits"), Region: region, App: app, Kind: "instance-limits",
		Name: "communication limits", Action: Update, Service: cmpService, Operation: "PutInstanceCommunicationLimits",
		Spec: Spec(map[string]any{"connectInstanceId": id, "communicationLimitsConfig": map[string]any{
			"allChannelSubtypes": map[string]any{"communicationLimitsList": chosen.limits}}}),
		Sources: sources, Transformations: tr, Findings: findings, WaitsOn: n.waits,
		Rollback: Rollback{Policy: RollbackRetain, Reason: "the instance's communication limits are a setting of an existing instance, not a resource p2c created; reset them with PutInstanceCommunicationLimits"}}
	if app != "" {
		st.AppName = chosen.app.Name
	}
	b.Add(st)
}

func cmpDailyOf(limits []any) int {
	for _, l := range limits {
		m := l.(map[string]any)
		if m["frequency"] == 1 {
			return m["maxCountPerRecipient"].(int)
		}
	}
	return 1 << 30
}

// cmpInstanceApp is the app whose limits the instance of a region takes
// ("" when every app agrees or none has limits).
func cmpInstanceApp(b *Builder, region string) string {
	st := b.Step(StepID("instance-limits", region, "", "communication-limits"))
	if st == nil {
		return ""
	}
	if q := b.Questions[region+".instance-limits"]; q != nil {
		if ans := b.In.Decisions.answer(q.Key); ans != "" {
			return ans
		}
		return q.Suggested
	}
	return ""
}

// --- stage 70: campaigns -------------------------------------------------

func buildCampaigns(b *Builder) error {
	if b.In.Inventory == nil {
		return nil
	}
	for ri := range b.In.Inventory.Regions {
		r := &b.In.Inventory.Regions[ri]
		for ai := range r.Apps {
			app := &r.Apps[ai]
			for ci := range app.Campaigns {
				if err := addCampaign(b, r, app, &app.Campaigns[ci]); err != nil {
					return fmt.Errorf("campaign %s: %w", app.Campaigns[ci].ID, err)
				}
			}
		}
	}
	return nil
}

func addCampaign(b *Builder, r *inventory.Region, app *inventory.App, c *inventory.Campaign) error {
	o := cmpDecode(c.Object)
	if o == nil {
		return fmt.Errorf("object is not a JSON object")
	}
	fs := b.Findings(assess.WorkloadID(r.Name, app.ID, assess.KindCampaign, c.ID))
	name := c.Name
	if name == "" {
		name = assess.Str(o, "Name")
	}
	if name == "" {
		name = c.ID
	}
	st := Step{ID: StepID("campaign", r.Name, app.ID, c.ID), Region: r.Name, App: app.ID, AppName: app.Name,
		Kind: "campaign", Name: name, Findings: cmpFindingIDs(fs),
		Sources: []Source{{Kind: "campaign", Region: r.Name, App: app.ID, ID: c.ID, Version: cmpVersion(c, o)}}}

	// Finished and in-app campaigns are not recreated (CMP-FINISHED,
	// CMP-IN-APP). They still get a no-op step, so the plan lists every
	// source campaign and says why nothing is created for it.
	for _, rule := range []string{"CMP-FINISHED", "CMP-IN-APP"} {
		if f := cmpHas(fs, rule); f != nil {
			b.Add(cmpNoOp(st, fmt.Sprintf("not recreated (%s): %s", rule, f.Message)))
			return nil
		}
	}

	var n cmpNeeds
	spec := map[string]any{"name": cmpName(name), "type": "MANAGED"}
	id, instanceARN := cmpInstance(b, r.Name, app.ID, &n)
	spec["connectInstanceId"] = id
	spec["tags"] = map[string]any{"owner": instanceARN} // visible in the Connect admin website

	// Channels of the main treatment only (CMP-AB: the others are a redesign).
	channels := cmpCampaignChannels(b, r.Name, app, c.ID, o, &n)
	if len(channels) == 0 {
		st.Redesign = true
		st.Transformations = append([]string{"no Connect channel: the campaign sends only on channels Connect campaigns cannot send (push, custom, voice); documentation only"},
			cmpNotCarried(fs)...)
		b.Add(cmpNoOp(st, ""))
		return nil
	}
	cfg := map[string]any{}
	var chNames []string
	for _, ch := range channels {
		cfg[ch.name] = ch.cfg
		chNames = append(chNames, ch.name)
	}
	spec["channelSubtypeConfig"] = cfg

	freq := assess.Str(o, "Schedule.Frequency")
	if freq == "" {
		freq = "ONCE"
	}

	// Source: the segment, or the event trigger of stage 40.
	segVersion, _ := assess.Num(o, "SegmentVersion")
	if freq == "EVENT" {
		spec["source"] = map[string]any{"eventTrigger": map[string]any{"customerProfilesDomainArn": cmpDomainARN(b, r.Name, app.ID, &n)}}
		if tid := StepID("event-trigger", r.Name, app.ID, "campaign/"+c.ID); b.Step(tid) != nil {
			n.dep(tid)
			n.note("event-triggered: the source is the domain's event trigger %s; wiring the trigger to the campaign (PutIntegration with EventTriggerNames) is not planned because its Uri is unconfirmed", b.Step(tid).Name)
		}
	} else if seg := assess.Str(o, "SegmentId"); seg != "" {
		arn, _ := cmpSegmentARN(b, r.Name, app.ID, c.ID, seg, int(segVersion), &n)
		spec["source"] = map[string]any{"customerProfilesSegmentArn": arn}
	}

	zone, loc := cmpCampaignZone(b, r.Name, c.ID, o, &n)
	settings := cmpDecode(app.Settings)
	sched, entry := cmpCampaignSchedule(b, r.Name, c.ID, o, freq, loc, settings, fs, &n)
	if sched != nil {
		spec["schedule"] = sched
	}
	if entry != nil {
		spec["entryLimitsConfig"] = entry
	}
	if tc := cmpCampaignTime(o, settings, chNames, zone, &n); tc != nil {
		spec["communicationTimeConfig"] = tc
	}
	if lim := cmpCampaignLimits(b, r.Name, app, o, &n); lim != nil {
		spec["communicationLimitsOverride"] = lim
	}
	if cmpHas(fs, "CMP-PAUSED") != nil {
		n.note("the Pinpoint campaign is paused: the Connect campaign is created and left stopped")
	}

	st.Service, st.Operation, st.Spec = cmpService, cmpCreate, Spec(spec)
	st.DependsOn, st.WaitsOn = n.deps, n.waits
	st.Redesign = cmpRedesign(fs)
	// Decisions cover the sender prerequisites; the notes above say what
	// happened to the A/B split, holdout, time zone and monthly schedule.
	st.Transformations = append(n.notes, cmpNotCarried(fs, "CMP-TIMEZONE", "CMP-MONTHLY", "CMP-AB", "CMP-HOLDOUT",
		"CMP-EMAIL-ADDRESS/manual", "CMP-SMS-NUMBER/manual")...)
	b.Add(st)
	return nil
}

func cmpVersion(c *inventory.Campaign, o map[string]any) string {
	if c.Version > 0 {
		return strconv.Itoa(c.Version)
	}
	return assess.Str(o, "Version")
}

func cmpName(s string) string {
	if r := []rune(s); len(r) > 127 {
		return string(r[:127])
	}
	return s
}

// cmpNoOp turns a step into a documentation-only no-op.
func cmpNoOp(st Step, why string) Step {
	st.Action, st.Service, st.Operation, st.Spec = NoOp, "", "", json.RawMessage(`{}`)
	if why != "" {
		st.Transformations = append([]string{why}, st.Transformations...)
	}
	st.Rollback = Rollback{Policy: RollbackRetain, Reason: "nothing is created"}
	return st
}

type cmpChannel struct {
	name string // email, sms
	cfg  map[string]any
}

// cmpCampaignChannels builds the channel configs of the campaign's main
// treatment; other channels and treatments are only noted.
func cmpCampaignChannels(b *Builder, region string, app *inventory.App, id string, o map[string]any, n *cmpNeeds) []cmpChannel {
	var out []cmpChannel
	inline := func(path string) bool {
		m := assess.Obj(o, path)
		return m != nil && (assess.Has(m, "Body") || assess.Has(m, "HtmlBody") || assess.Has(m, "Title"))
	}
	if assess.Has(o, "MessageConfiguration.EmailMessage") || assess.Has(o, "TemplateConfiguration.EmailTemplate") {
		arn := cmpTemplateARN(b, region, "campaign", id, "EMAIL", assess.Str(o, "TemplateConfiguration.EmailTemplate.Name"),
			assess.Str(o, "TemplateConfiguration.EmailTemplate.Version"), inline("MessageConfiguration.EmailMessage"), n)
		out = append(out, cmpChannel{"email", cmpEmailConfig(b, region, app, assess.Str(o, "MessageConfiguration.EmailMessage.FromAddress"), arn, n)})
	}
	if assess.Has(o, "MessageConfiguration.SMSMessage") || assess.Has(o, "TemplateConfiguration.SMSTemplate") {
		arn := cmpTemplateARN(b, region, "campaign", id, "SMS", assess.Str(o, "TemplateConfiguration.SMSTemplate.Name"),
			assess.Str(o, "TemplateConfiguration.SMSTemplate.Version"), inline("MessageConfiguration.SMSMessage"), n)
		out = append(out, cmpChannel{"sms", cmpSMSConfig(b, region, id, assess.Str(o, "MessageConfiguration.SMSMessage.OriginationNumber"), arn, n)})
	}
	if assess.Has(o, "TemplateConfiguration.VoiceTemplate") {
		n.note("voice template not carried: Pinpoint campaigns never sent it (CMP-VOICE)")
	}
	for _, p := range []string{"MessageConfiguration.DefaultMessage", "MessageConfiguration.APNSMessage", "MessageConfiguration.GCMMessage",
		"MessageConfiguration.BaiduMessage", "MessageConfiguration.ADMMessage", "TemplateConfiguration.PushTemplate"} {
		if assess.Has(o, p) {
			n.note("push message not carried: Connect campaigns cannot send push (CMP-PUSH)")
			break
		}
	}
	if ts := assess.List(o, "AdditionalTreatments"); len(ts) > 0 {
		var names []string
		for i, t := range ts {
			m, _ := t.(map[string]any)
			nm := assess.Str(m, "TreatmentName")
			if nm == "" {
				nm = assess.Str(m, "Id")
			}
			if nm == "" {
				nm = strconv.Itoa(i)
			}
			p, _ := assess.Num(m, "SizePercent")
			names = append(names, fmt.Sprintf("%s (%v%%)", nm, p))
		}
		def := assess.Str(o, "TreatmentName")
		if def == "" {
			def = "default"
		}
		n.note("A/B test: only the main treatment %q is carried, to the whole segment; treatments not carried: %s (CMP-AB)", def, strings.Join(names, ", "))
	}
	if h, ok := assess.Num(o, "HoldoutPercent"); ok && h > 0 {
		n.note("holdout of %v%% not carried: every segment member is sent to (CMP-HOLDOUT)", h)
	}
	return out
}

// cmpCampaignZone is the campaign's IANA zone (CMP-TIMEZONE), a decision
// when no zone has the same fixed offset.
func cmpCampaignZone(b *Builder, region, id string, o map[string]any, n *cmpNeeds) (string, *time.Location) {
	tz := assess.Str(o, "Schedule.Timezone")
	if tz == "" {
		return "", time.UTC
	}
	zone, ok := assess.CampaignZone(tz)
	if ok {
		if zone != tz {
			n.note("time zone %s becomes %s (same fixed offset, no daylight saving)", tz, zone)
		}
		return zone, cmpLocation(zone, tz)
	}
	key := region + ".timezone." + id
	ans := b.Ask(Question{Key: key,
		Context: fmt.Sprintf("Campaign %s uses time zone %q, which has no IANA zone with the same fixed offset; Connect needs an IANA name.", id, tz),
		Why:     "Pick the zone the campaign's recipients live in; a zone with daylight saving may shift send times by an hour part of the year.",
		Kind:    "text"})
	if ans == "" {
		n.wait(key)
		return cmpDecision(key), cmpLocation("", tz)
	}
	return ans, cmpLocation(ans, tz)
}

// cmpStart resolves a schedule start: the instant as written, or the
// cut-over time for IMMEDIATE (a decision).
func cmpStart(b *Builder, region, raw string, loc *time.Location, n *cmpNeeds) (t time.Time, text string, ok bool) {
	if raw != "" && raw != "IMMEDIATE" {
		t, keep, ok := cmpParseTime(raw, loc)
		if ok {
			if keep {
				return t, raw, true
			}
			return t, cmpFormat(t), true
		}
	}
	key := region + ".cutover-time"
	ans := b.Ask(Question{Key: key,
		Context: "The instant (RFC 3339, e.g. 2026-10-15T14:00:00Z) the migrated campaigns in " + region + " take over from Pinpoint; campaigns that started IMMEDIATE start then.",
		Why:     "Only the team knows its cut-over time.",
		Kind:    "text"})
	if ans != "" {
		if t, _, ok := cmpParseTime(ans, time.UTC); ok {
			return t, ans, true
		}
	}
	n.wait(key)
	return time.Time{}, cmpDecision(key), false
}

// cmpCampaignSchedule maps the schedule (CMP-ONE-TIME, CMP-RECURRING,
// CMP-MONTHLY, CMP-EVENT, CMP-QUIET-TIME, CMP-LIMIT-TOTAL).
func cmpCampaignSchedule(b *Builder, region, id string, o map[string]any, freq string, loc *time.Location, settings map[string]any, fs []assess.Finding, n *cmpNeeds) (sched, entry map[string]any) {
	start, startText, known := cmpStart(b, region, assess.Str(o, "Schedule.StartTime"), loc, n)
	sched = map[string]any{"startTime": startText}
	endRaw := assess.Str(o, "Schedule.EndTime")
	keepEnd := func() {
		if endRaw == "" {
			sched["endTime"] = cmpOpenEnd
			n.note("no end time in Pinpoint: endTime %s (Connect requires one; extend with UpdateCampaignSchedule)", cmpOpenEnd)
			return
		}
		if t, keep, ok := cmpParseTime(endRaw, loc); ok && !keep {
			sched["endTime"] = cmpFormat(t)
		} else {
			sched["endTime"] = endRaw
		}
	}
	total, _ := assess.Num(o, "Limits.Total")
	totalOK := total > 0 && cmpHas(fs, "CMP-LIMIT-TOTAL") != nil && cmpHas(fs, "CMP-LIMIT-TOTAL").Class == assess.Trans
	maxEntries := 0
	if totalOK {
		maxEntries = int(total)
		n.note("Limits.Total %d becomes entryLimitsConfig.maxEntryCount %d", maxEntries, maxEntries)
	}
	switch freq {
	case "ONCE":
		dur := 24 * time.Hour
		if d, ok := assess.Num(o, "Limits.MaximumDuration"); ok && d > 0 {
			dur = time.Duration(d) * time.Second
		}
		if !known {
			sched["endTime"] = cmpDecision(region + ".cutover-time|plus:PT" + strconv.Itoa(int(dur.Seconds())) + "S")
			n.note("one-time send at the cut-over time, ending %s later", cmpDur(dur))
			return sched, nil
		}
		end := start.Add(dur)
		why := "start + " + cmpDur(dur)
		if q := cmpQuiet(o, settings); q != nil {
			if qs, ok := cmpClock(assess.Str(q, "Start")); ok {
				next := cmpNextClock(start, qs, loc)
				if next.Before(end) {
					end, why = next, "the next quiet-time start, so held messages are not sent a day late"
				}
			}
		}
		sched["endTime"] = cmpFormat(end.In(start.Location()))
		n.note("one-time send from %s to %s (%s)", startText, sched["endTime"], why)
		return sched, nil
	case "HOURLY", "DAILY", "WEEKLY":
		p := cmpPeriods[freq]
		if known {
			if adv, k := cmpAdvance(start, p.d, b.In.Inventory.ScannedAt); k > 0 {
				sched["startTime"] = cmpFormat(adv.In(start.Location()))
				n.note("start %s passed before the scan: first run moved %d whole period(s) on to %s, same phase", startText, k, sched["startTime"])
			}
		}
		keepEnd()
		sched["refreshFrequency"] = p.iso
		n.note("%s schedule becomes refreshFrequency %s with one entry per recipient per %s", strings.ToLower(freq), p.iso, p.iso)
		return sched, map[string]any{"maxEntryCount": maxEntries, "minEntryInterval": p.iso}
	case "MONTHLY":
		keepEnd()
		sched["refreshFrequency"] = "P30D"
		n.note("monthly schedule becomes refreshFrequency P30D, which drifts against calendar months (CMP-MONTHLY: accept or reschedule)")
		return sched, map[string]any{"maxEntryCount": maxEntries, "minEntryInterval": "P30D"}
	case "EVENT":
		keepEnd()
		if totalOK {
			return sched, map[string]any{"maxEntryCount": maxEntries, "minEntryInterval": "PT0S"}
		}
		return sched, nil
	}
	keepEnd()
	return sched, nil
}

// cmpDur writes a duration for people ("24h", "10m", "90s").
func cmpDur(d time.Duration) string {
	switch {
	case d%time.Hour == 0:
		return fmt.Sprintf("%dh", d/time.Hour)
	case d%time.Minute == 0:
		return fmt.Sprintf("%dm", d/time.Minute)
	}
	return fmt.Sprintf("%ds", d/time.Second)
}

// cmpAdvance moves a past start on by whole periods to the first
// occurrence at or after the scan, keeping its phase.
func cmpAdvance(start time.Time, period time.Duration, scanned time.Time) (time.Time, int) {
	if scanned.IsZero() || !start.Before(scanned) {
		return start, 0
	}
	k := int((scanned.Sub(start) + period - 1) / period)
	return start.Add(time.Duration(k) * period), k
}

// cmpNextClock is the first instant after t at clock minute m in loc.
func cmpNextClock(t time.Time, m int, loc *time.Location) time.Time {
	lt := t.In(loc)
	c := time.Date(lt.Year(), lt.Month(), lt.Day(), m/60, m%60, 0, 0, loc)
	if !c.After(t) {
		c = time.Date(lt.Year(), lt.Month(), lt.Day()+1, m/60, m%60, 0, 0, loc)
	}
	return c
}

// cmpQuiet is the campaign's quiet time, else the app's (SET-QUIET).
func cmpQuiet(o, settings map[string]any) map[string]any {
	if q := assess.Obj(o, "Schedule.QuietTime"); q != nil && (assess.Has(q, "Start") || assess.Has(q, "End")) {
		return q
	}
	if q := assess.Obj(settings, "QuietTime"); q != nil && (assess.Has(q, "Start") || assess.Has(q, "End")) {
		return q
	}
	return nil
}

// cmpCampaignTime maps local time and quiet time (CMP-LOCAL-TIME,
// CMP-QUIET-TIME, SET-QUIET) to communicationTimeConfig.
func cmpCampaignTime(o, settings map[string]any, channels []string, zone string, n *cmpNeeds) map[string]any {
	local, _ := assess.Obj(o, "Schedule")["IsLocalTime"].(bool)
	q := cmpQuiet(o, settings)
	if !local && q == nil {
		return nil
	}
	ltz := map[string]any{"localTimeZoneDetection": []any{"ZIP_CODE", "AREA_CODE"}}
	if zone != "" {
		ltz["defaultTimeZone"] = zone
	}
	open := cmpWholeDay
	if local {
		if t, _, ok := cmpParseTime(assess.Str(o, "Schedule.StartTime"), time.UTC); ok {
			m := t.Hour()*60 + t.Minute()
			open = []cmpRange{{m, cmpLastMinute}}
			n.note("local time: each recipient's window opens at %s local (zone detected from ZIP code and area code)", t.Format("15:04"))
		}
	}
	if q != nil {
		from := "campaign"
		if assess.Obj(o, "Schedule.QuietTime") == nil {
			from = "app"
		}
		qo, ok := cmpQuietOpen(assess.Str(q, "Start"), assess.Str(q, "End"))
		if ok {
			open = cmpIntersect(open, qo)
			n.note("%s quiet time %s–%s becomes open hours %s every day", from, assess.Str(q, "Start"), assess.Str(q, "End"), cmpRangesText(open))
		} else {
			n.note("not carried: %s quiet time %q–%q is not a usable HH:MM window", from, assess.Str(q, "Start"), assess.Str(q, "End"))
		}
	}
	cfg := map[string]any{"localTimeZoneConfig": ltz}
	if len(open) == 0 {
		n.note("not carried: the local start time falls inside quiet time, leaving no open hours")
		return cfg
	}
	for _, ch := range channels {
		cfg[ch] = cmpWindow(open)
	}
	return cfg
}

// cmpCampaignLimits maps the campaign's Limits.Daily (CMP-LIMIT-DAILY); a
// campaign without one keeps its app's limits as an override when the
// instance took another app's (SET-SHARED-INSTANCE).
func cmpCampaignLimits(b *Builder, region string, app *inventory.App, o map[string]any, n *cmpNeeds) map[string]any {
	if d, ok := assess.Num(o, "Limits.Daily"); ok && d > 0 {
		n.note("Limits.Daily %d becomes a communication limit of %d per 1 DAY replacing the instance's (as the campaign's cap replaced the app's in Pinpoint)", int(d), int(d))
		return map[string]any{"allChannelSubtypes": map[string]any{"communicationLimitsList": []any{
			map[string]any{"maxCountPerRecipient": int(d), "frequency": 1, "unit": "DAY"}}}, "instanceLimitsHandling": "OPT_OUT"}
	}
	if q := b.Questions[region+".instance-limits"]; q != nil && b.In.Decisions.answer(q.Key) == "" {
		n.wait(q.Key)
	}
	if chosen := cmpInstanceApp(b, region); chosen != "" && chosen != app.ID {
		if l, _ := cmpAppLimits(cmpDecode(app.Settings)); len(l) > 0 {
			n.note("the instance takes the limits of app %s; this app's limits are kept as a campaign override", chosen)
			return map[string]any{"allChannelSubtypes": map[string]any{"communicationLimitsList": l}, "instanceLimitsHandling": "OPT_OUT"}
		}
	}
	return nil
}
