package blueprint

import (
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/p2c/p2c/internal/assess"
	"github.com/p2c/p2c/internal/inventory"
)

// Journey proposals (JRN-* rules, connect-target.md 4.3). A journey becomes
// an outbound campaign of type JOURNEY whose steps are a Connect flow of
// type CAMPAIGN. The flow's block language is in no API model, so the step
// carries a readable step list (Proposal) and a CreateCampaign spec whose
// connectCampaignFlowArn is the flow a person builds on the journey canvas
// (a decision). The embedded connectcampaignsv2 model has the JOURNEY type,
// so the spec is a real request. A one-message journey becomes a plain
// MANAGED campaign (JRN-ONE-MESSAGE).

func init() {
	registerStage(Stage{Name: "journey-proposals", Order: 80, Build: buildJourneys})
}

const (
	cmpActiveQuota = 50  // active campaigns per instance (4.7)
	cmpTotalQuota  = 500 // campaigns per instance (4.7)
)

var jrnDurationOK = regexp.MustCompile(`^P(?:\d+D)?(?:T(?:\d+H)?(?:\d+M)?(?:\d+(?:\.\d+)?S)?)?$`)

// jrnRetired says why a journey sends nothing (JRN-RETIRED), or "".
func jrnRetired(j inventory.Journey, o map[string]any) string {
	st := j.State
	if st == "" {
		st = assess.Str(o, "State")
	}
	switch st {
	case "DRAFT", "COMPLETED", "CANCELLED", "CLOSED":
		return st
	}
	return ""
}

func buildJourneys(b *Builder) error {
	if b.In.Inventory == nil {
		return nil
	}
	for ri := range b.In.Inventory.Regions {
		r := &b.In.Inventory.Regions[ri]
		for ai := range r.Apps {
			app := &r.Apps[ai]
			for _, j := range app.Journeys {
				if err := addJourney(b, r, app, j); err != nil {
					return fmt.Errorf("journey %s: %w", j.ID, err)
				}
			}
		}
		cmpQuotas(b, r.Name)
	}
	return nil
}

// cmpQuotas checks the campaigns the plan creates per Connect instance.
func cmpQuotas(b *Builder, region string) {
	total, active := map[string]int{}, map[string]int{}
	for _, s := range b.Steps() {
		if s.Region != region || s.Service != cmpService || s.Operation != cmpCreate || s.Action != Create {
			continue
		}
		var spec struct {
			ConnectInstanceID string `json:"connectInstanceId"`
		}
		_ = json.Unmarshal(s.Spec, &spec)
		inst := spec.ConnectInstanceID
		total[inst]++
		paused := false
		for _, f := range s.Findings {
			paused = paused || strings.HasPrefix(f, "CMP-PAUSED/")
		}
		if !paused {
			active[inst]++
		}
	}
	for _, inst := range sortedKeys(total) {
		b.Quota(QuotaCheck{Region: region, Scope: "instance", Quota: "campaigns per instance", Limit: cmpTotalQuota, Planned: total[inst],
			Note: "instance " + inst + ": migrated campaigns and journey campaigns; campaigns already on the instance count too"})
		b.Quota(QuotaCheck{Region: region, Scope: "instance", Quota: "active campaigns per instance", Limit: cmpActiveQuota, Planned: active[inst],
			Note: "instance " + inst + ": every migrated campaign not paused in Pinpoint, once started"})
	}
}

func addJourney(b *Builder, r *inventory.Region, app *inventory.App, j inventory.Journey) error {
	o := cmpDecode(j.Object)
	if o == nil {
		return fmt.Errorf("object is not a JSON object")
	}
	fs := b.Findings(assess.WorkloadID(r.Name, app.ID, assess.KindJourney, j.ID))
	name := j.Name
	if name == "" {
		name = assess.Str(o, "Name")
	}
	if name == "" {
		name = j.ID
	}
	src := []Source{{Kind: "journey", Region: r.Name, App: app.ID, ID: j.ID, Version: assess.Str(o, "Version")}}
	acts := jrnActs(o)
	one := len(acts) == 1 && (acts[0].typ == "EMAIL" || acts[0].typ == "SMS")
	st := Step{Region: r.Name, App: app.ID, AppName: app.Name, Name: name, Sources: src, Findings: cmpFindingIDs(fs)}
	if one {
		st.ID, st.Kind = StepID("campaign", r.Name, app.ID, "journey/"+j.ID), "campaign"
	} else {
		st.ID, st.Kind = StepID("journey-proposal", r.Name, app.ID, j.ID), "journey-proposal"
	}
	if why := jrnRetired(j, o); why != "" {
		b.Add(cmpNoOp(st, fmt.Sprintf("not migrated (JRN-RETIRED): the journey is %s and sends nothing", why)))
		return nil
	}

	var n cmpNeeds
	spec := map[string]any{"name": cmpName(name)}
	id, instanceARN := cmpInstance(b, r.Name, app.ID, &n)
	spec["connectInstanceId"] = id
	spec["tags"] = map[string]any{"owner": instanceARN}

	// Channels: one default config per channel the activities send on;
	// the first activity of each channel (in walk order) gives the template.
	order := jrnWalk(o, acts)
	cfg := map[string]any{}
	var chNames []string
	for _, a := range order {
		switch a.typ {
		case "EMAIL":
			if cfg["email"] != nil {
				n.note("email activity %s sends %s; set its template on its canvas step", a.id, jrnTemplateText(a.body))
				continue
			}
			arn := cmpTemplateARN(b, r.Name, "journey", j.ID, "EMAIL", assess.Str(a.body, "TemplateName"), assess.Str(a.body, "TemplateVersion"), false, &n)
			cfg["email"] = cmpEmailConfig(b, r.Name, app, assess.Str(a.body, "MessageConfig.FromAddress"), arn, &n)
			chNames = append(chNames, "email")
		case "SMS":
			if cfg["sms"] != nil {
				n.note("SMS activity %s sends %s; set its template on its canvas step", a.id, jrnTemplateText(a.body))
				continue
			}
			arn := cmpTemplateARN(b, r.Name, "journey", j.ID, "SMS", assess.Str(a.body, "TemplateName"), assess.Str(a.body, "TemplateVersion"), false, &n)
			cfg["sms"] = cmpSMSConfig(b, r.Name, j.ID, assess.Str(a.body, "MessageConfig.OriginationNumber"), arn, &n)
			chNames = append(chNames, "sms")
		case "ContactCenter":
			if cfg["telephony"] != nil {
				continue
			}
			key := r.Name + ".journey-contact-flow." + j.ID
			flow := b.Ask(Question{Key: key,
				Context: fmt.Sprintf("Journey %s calls participants (contact center activity %s); the Connect contact flow id that handles those calls.", j.ID, a.id),
				Why:     "Use the flow of the Connect campaign the journey called through (JourneyChannelSettings) so calls behave as before.",
				Kind:    "text"})
			if flow == "" {
				n.wait(key)
				flow = cmpDecision(key)
			}
			cfg["telephony"] = map[string]any{"outboundMode": map[string]any{"progressive": map[string]any{"bandwidthAllocation": 1}},
				"defaultOutboundConfig": map[string]any{"connectContactFlowId": flow}}
			chNames = append(chNames, "telephony")
			n.note("contact center activity %s becomes the telephony channel (progressive, full bandwidth) on the same instance", a.id)
		}
	}
	if len(cfg) > 0 {
		spec["channelSubtypeConfig"] = cfg
	}

	// Source: the start segment, or the event trigger of stage 40.
	entry := "Entry: no start condition recorded"
	if ev := assess.Obj(o, "StartCondition.EventStartCondition"); ev != nil {
		spec["source"] = map[string]any{"eventTrigger": map[string]any{"customerProfilesDomainArn": cmpDomainARN(b, r.Name, app.ID, &n)}}
		entry = "Entry: when a profile's event matches " + jrnEventText(assess.Obj(ev, "EventFilter"))
		if tid := StepID("event-trigger", r.Name, app.ID, "journey/"+j.ID); b.Step(tid) != nil {
			n.dep(tid)
			entry += " (event trigger " + b.Step(tid).Name + ")"
		}
	} else if seg := assess.Str(o, "StartCondition.SegmentStartCondition.SegmentId"); seg != "" {
		arn, _ := cmpSegmentARN(b, r.Name, app.ID, j.ID, seg, 0, &n)
		spec["source"] = map[string]any{"customerProfilesSegmentArn": arn}
		entry = "Entry: members of segment " + seg
	}

	// Schedule: the same instants (JRN-SCHEDULE), refresh (JRN-REFRESH).
	zone := jrnZone(b, r.Name, j.ID, o, &n)
	loc := cmpLocation(zone, assess.Str(o, "Schedule.Timezone"))
	sched := map[string]any{}
	_, startText, _ := cmpStart(b, r.Name, assess.Str(o, "Schedule.StartTime"), loc, &n)
	sched["startTime"] = startText
	if end := assess.Str(o, "Schedule.EndTime"); end != "" {
		if t, keep, ok := cmpParseTime(end, loc); ok && !keep {
			end = cmpFormat(t)
		}
		sched["endTime"] = end
	} else {
		key := r.Name + ".journey-end." + j.ID
		ans := b.Ask(Question{Key: key,
			Context: fmt.Sprintf("Journey %s has no end time; a Connect campaign schedule needs one (RFC 3339).", j.ID),
			Why:     "Choose when the migrated journey stops taking participants; it can be extended later.",
			Kind:    "text"})
		if ans == "" {
			n.wait(key)
			ans = cmpDecision(key)
		}
		sched["endTime"] = ans
	}
	if rf := assess.Str(o, "RefreshFrequency"); rf != "" {
		if d, ok := jrnDuration(rf); ok {
			sched["refreshFrequency"] = d
			n.note("segment re-read every %s as in Pinpoint", rf)
		} else {
			n.note("not carried: refresh frequency %q has no Connect spelling", rf)
		}
	}
	spec["schedule"] = sched
	if el := jrnEntryLimits(o, &n); el != nil {
		spec["entryLimitsConfig"] = el
	}
	if tc := jrnTimeConfig(o, chNames, zone, &n); tc != nil {
		spec["communicationTimeConfig"] = tc
	}
	if lim := jrnLimits(o, &n); lim != nil {
		spec["communicationLimitsOverride"] = lim
	}

	st.Service, st.Operation = cmpService, cmpCreate
	if one {
		spec["type"] = "MANAGED"
		n.note("one-message journey (activity %s) becomes a plain MANAGED campaign (JRN-ONE-MESSAGE)", acts[0].id)
		st.Redesign = cmpRedesign(fs)
	} else {
		spec["type"] = "JOURNEY"
		key := r.Name + ".journey-flow." + j.ID
		flow := b.Ask(Question{Key: key,
			Context: fmt.Sprintf("Journey %s (%s) needs a Connect flow of type CAMPAIGN built on the journey canvas from the proposal in plan.json; give its ARN.", j.ID, name),
			Why:     "The journey flow's block language is in no API model, so p2c cannot write the flow; a person builds and accepts it.",
			Kind:    "arn"})
		if flow == "" {
			n.wait(key)
			flow = cmpDecision(key)
		}
		spec["connectCampaignFlowArn"] = flow
		st.Redesign = true
		st.Proposal = jrnProposal(o, order, fs, entry, sched, key)
		n.note("journey becomes a JOURNEY campaign driven by a CAMPAIGN flow a person builds from the proposal (JRN-JOURNEY)")
	}
	st.Spec = Spec(spec)
	st.DependsOn, st.WaitsOn = n.deps, n.waits
	st.Transformations = append(n.notes, cmpNotCarried(fs, "JRN-JOURNEY", "JRN-SCHEDULE", "JRN-ONE-MESSAGE")...)
	b.Add(st)
	return nil
}

// jrnAct is one activity: its id, type member and that member's object.
type jrnAct struct {
	id, typ string
	body    map[string]any
	desc    string
}

var jrnTypes = []string{"EMAIL", "SMS", "PUSH", "CUSTOM", "ContactCenter", "Wait", "Holdout", "ConditionalSplit", "MultiCondition", "RandomSplit"}

func jrnActs(o map[string]any) []jrnAct {
	all := assess.Obj(o, "Activities")
	var out []jrnAct
	for _, id := range sortedKeys(all) {
		a, _ := all[id].(map[string]any)
		act := jrnAct{id: id, desc: assess.Str(a, "Description")}
		for _, t := range jrnTypes {
			if m, ok := a[t].(map[string]any); ok {
				act.typ, act.body = t, m
				break
			}
		}
		out = append(out, act)
	}
	return out
}

// jrnNext lists the activities an activity leads to.
func jrnNext(a jrnAct) []string {
	var out []string
	add := func(s string) {
		if s != "" {
			out = append(out, s)
		}
	}
	add(assess.Str(a.body, "NextActivity"))
	add(assess.Str(a.body, "TrueActivity"))
	add(assess.Str(a.body, "FalseActivity"))
	for _, br := range assess.List(a.body, "Branches") {
		m, _ := br.(map[string]any)
		add(assess.Str(m, "NextActivity"))
	}
	add(assess.Str(a.body, "DefaultActivity"))
	return out
}

// jrnWalk orders activities breadth-first from the start activity, then
// any unreachable ones by id.
func jrnWalk(o map[string]any, acts []jrnAct) []jrnAct {
	byID := map[string]jrnAct{}
	for _, a := range acts {
		byID[a.id] = a
	}
	seen := map[string]bool{}
	var out []jrnAct
	queue := []string{assess.Str(o, "StartActivity")}
	for len(queue) > 0 {
		id := queue[0]
		queue = queue[1:]
		a, ok := byID[id]
		if !ok || seen[id] {
			continue
		}
		seen[id] = true
		out = append(out, a)
		queue = append(queue, jrnNext(a)...)
	}
	for _, a := range acts {
		if !seen[a.id] {
			out = append(out, a)
		}
	}
	return out
}

func jrnTemplateText(body map[string]any) string {
	name := assess.Str(body, "TemplateName")
	if name == "" {
		return "no template"
	}
	if v := assess.Str(body, "TemplateVersion"); v != "" {
		return fmt.Sprintf("template %q version %s", name, v)
	}
	return fmt.Sprintf("template %q", name)
}

func jrnEventText(f map[string]any) string {
	var parts []string
	if ev := assess.List(f, "Dimensions.EventType.Values"); len(ev) > 0 {
		op := "event type in"
		if assess.Str(f, "Dimensions.EventType.DimensionType") == "EXCLUSIVE" {
			op = "event type not in"
		}
		parts = append(parts, fmt.Sprintf("%s %v", op, ev))
	}
	attrs := assess.Obj(f, "Dimensions.Attributes")
	for _, k := range sortedKeys(attrs) {
		a, _ := attrs[k].(map[string]any)
		parts = append(parts, fmt.Sprintf("attribute %s %s %v", k, assess.Str(a, "AttributeType"), assess.List(a, "Values")))
	}
	metrics := assess.Obj(f, "Dimensions.Metrics")
	for _, k := range sortedKeys(metrics) {
		m, _ := metrics[k].(map[string]any)
		v, _ := assess.Num(m, "Value")
		parts = append(parts, fmt.Sprintf("metric %s %s %v", k, assess.Str(m, "ComparisonOperator"), v))
	}
	if len(parts) == 0 {
		return "an event"
	}
	return strings.Join(parts, " and ")
}

// jrnCondText describes a split's SimpleCondition.
func jrnCondText(c map[string]any) string {
	switch {
	case assess.Has(c, "SegmentCondition.SegmentId"):
		return "member of segment " + assess.Str(c, "SegmentCondition.SegmentId")
	case assess.Obj(c, "EventCondition") != nil:
		ev := assess.Obj(c, "EventCondition")
		s := jrnEventText(ev)
		if m := assess.Str(ev, "MessageActivity"); m != "" {
			s += " on the message of activity " + m
		}
		return s
	case assess.Obj(c, "segmentDimensions") != nil || assess.Obj(c, "SegmentDimensions") != nil:
		return "profile matches the inline segment dimensions"
	}
	return "condition not recorded"
}

func jrnWaitText(w map[string]any) string {
	if f := assess.Str(w, "WaitFor"); f != "" {
		return "for " + f
	}
	if u := assess.Str(w, "WaitUntil"); u != "" {
		return "until " + u
	}
	return ""
}

// jrnStepText is one activity as a canvas step.
func jrnStepText(a jrnAct) string {
	b := a.body
	switch a.typ {
	case "EMAIL":
		return "send email with " + jrnTemplateText(b) + " → " + orEnd(assess.Str(b, "NextActivity"))
	case "SMS":
		return "send SMS with " + jrnTemplateText(b) + " → " + orEnd(assess.Str(b, "NextActivity"))
	case "PUSH":
		return "push with " + jrnTemplateText(b) + ": no Connect channel, a Lambda step calling End User Messaging Push → " + orEnd(assess.Str(b, "NextActivity"))
	case "CUSTOM":
		return "custom delivery to " + assess.Str(b, "DeliveryUri") + ": a Lambda step → " + orEnd(assess.Str(b, "NextActivity"))
	case "ContactCenter":
		return "call the participant (telephony step) → " + orEnd(assess.Str(b, "NextActivity"))
	case "Wait":
		return "wait " + jrnWaitText(assess.Obj(b, "WaitTime")) + " → " + orEnd(assess.Str(b, "NextActivity"))
	case "Holdout":
		p, _ := assess.Num(b, "Percentage")
		return fmt.Sprintf("hold out %v%%: a percentage split whose held-out branch ends the journey; the rest → %s", p, orEnd(assess.Str(b, "NextActivity")))
	case "ConditionalSplit":
		var cs []string
		for _, c := range assess.List(b, "Condition.Conditions") {
			m, _ := c.(map[string]any)
			cs = append(cs, jrnCondText(m))
		}
		join := " and "
		if assess.Str(b, "Condition.Operator") == "ANY" {
			join = " or "
		}
		s := "if " + strings.Join(cs, join)
		if w := jrnWaitText(assess.Obj(b, "EvaluationWaitTime")); w != "" {
			s += " (evaluated after waiting " + w + ")"
		}
		return s + " → " + orEnd(assess.Str(b, "TrueActivity")) + ", else → " + orEnd(assess.Str(b, "FalseActivity"))
	case "MultiCondition":
		var bs []string
		for i, br := range assess.List(b, "Branches") {
			m, _ := br.(map[string]any)
			bs = append(bs, fmt.Sprintf("(%d) %s → %s", i+1, jrnCondText(assess.Obj(m, "Condition")), orEnd(assess.Str(m, "NextActivity"))))
		}
		s := "branch on the first that holds: " + strings.Join(bs, "; ") + "; otherwise → " + orEnd(assess.Str(b, "DefaultActivity"))
		if w := jrnWaitText(assess.Obj(b, "EvaluationWaitTime")); w != "" {
			s += " (evaluated after waiting " + w + ")"
		}
		return s
	case "RandomSplit":
		var bs []string
		for _, br := range assess.List(b, "Branches") {
			m, _ := br.(map[string]any)
			p, _ := assess.Num(m, "Percentage")
			bs = append(bs, fmt.Sprintf("%v%% → %s", p, orEnd(assess.Str(m, "NextActivity"))))
		}
		return "random split: " + strings.Join(bs, ", ")
	}
	return "activity with no recorded type"
}

func orEnd(id string) string {
	if id == "" {
		return "end"
	}
	return id
}

// jrnProposal is the readable step list of the journey campaign.
func jrnProposal(o map[string]any, order []jrnAct, fs []assess.Finding, entry string, sched map[string]any, flowKey string) []string {
	out := []string{entry}
	s := fmt.Sprintf("Schedule: from %v to %v", sched["startTime"], sched["endTime"])
	if rf, ok := sched["refreshFrequency"]; ok {
		s += fmt.Sprintf(", re-reading the audience every %v", rf)
	}
	out = append(out, s, "Start at "+orEnd(assess.Str(o, "StartActivity")))
	byNode := map[string][]assess.Finding{}
	for _, f := range fs {
		if f.Node != "" {
			byNode[f.Node] = append(byNode[f.Node], f)
		}
	}
	for i, a := range order {
		line := fmt.Sprintf("%d. %s [%s]: %s", i+1, a.id, a.typ, jrnStepText(a))
		if a.desc != "" {
			line += " (" + a.desc + ")"
		}
		out = append(out, line)
		for _, f := range byNode[a.id] {
			if f.Class == assess.Redesign || f.Class == assess.Manual {
				out = append(out, fmt.Sprintf("   ! %s (%s): %s", f.Rule, f.Class, f.Message))
			}
		}
	}
	return append(out, "Build these steps as a CAMPAIGN flow on the Connect journey canvas and give its ARN in decision "+flowKey+".")
}

// jrnZone is the default time zone of a local-time journey (JRN-LOCAL-TIME).
func jrnZone(b *Builder, region, id string, o map[string]any, n *cmpNeeds) string {
	tz := assess.Str(o, "Schedule.Timezone")
	if tz == "" {
		return ""
	}
	if z, ok := assess.JourneyZone(tz); ok {
		if z != tz {
			n.note("time zone %s becomes %s", tz, z)
		}
		return z
	}
	key := region + ".timezone." + id
	ans := b.Ask(Question{Key: key,
		Context: fmt.Sprintf("Journey %s uses time zone %q, which Connect's default time zone cannot spell (it takes IANA names).", id, tz),
		Why:     "Pick the zone the participants live in; a zone with daylight saving may shift send times by an hour part of the year.",
		Kind:    "text"})
	if ans == "" {
		n.wait(key)
		return cmpDecision(key)
	}
	return ans
}

// jrnDuration rewrites an ISO-8601 duration in Connect's spelling (days,
// hours, minutes, seconds; weeks become days).
func jrnDuration(s string) (string, bool) {
	if m := regexp.MustCompile(`^P(\d+)W$`).FindStringSubmatch(s); m != nil {
		w, _ := strconv.Atoi(m[1])
		return fmt.Sprintf("P%dD", 7*w), true
	}
	return s, jrnDurationOK.MatchString(s) && s != "P" && s != "PT"
}

// jrnEntryLimits maps EndpointReentryCap and EndpointReentryInterval
// (JRN-REENTRY).
func jrnEntryLimits(o map[string]any, n *cmpNeeds) map[string]any {
	c, hasCap := assess.Num(o, "Limits.EndpointReentryCap")
	iv := assess.Str(o, "Limits.EndpointReentryInterval")
	if !hasCap && iv == "" {
		return nil
	}
	out := map[string]any{"maxEntryCount": int(c), "minEntryInterval": "PT0S"}
	if iv != "" {
		if d, ok := jrnDuration(iv); ok {
			out["minEntryInterval"] = d
		} else {
			n.note("not carried: re-entry interval %q has no Connect spelling", iv)
		}
	}
	n.note("re-entry limits become entryLimitsConfig maxEntryCount %d, minEntryInterval %v", int(c), out["minEntryInterval"])
	return out
}

// jrnTimeConfig maps local time, time zone estimation, quiet time, open
// hours and closed days (JRN-LOCAL-TIME, JRN-TZ-ESTIMATION,
// JRN-QUIET-TIME, JRN-OPEN-HOURS, JRN-CLOSED-DAYS).
func jrnTimeConfig(o map[string]any, channels []string, zone string, n *cmpNeeds) map[string]any {
	local := assess.Str(o, "LocalTime") == "true"
	quiet := assess.Obj(o, "QuietTime")
	oh, cd := assess.Obj(o, "OpenHours"), assess.Obj(o, "ClosedDays")
	if !local && quiet == nil && len(oh) == 0 && len(cd) == 0 {
		return nil
	}
	var detect []any
	for _, m := range assess.List(o, "TimezoneEstimationMethods") {
		switch m {
		case "PHONE_NUMBER":
			detect = append(detect, "AREA_CODE")
		case "POSTAL_CODE":
			detect = append(detect, "ZIP_CODE")
		}
	}
	if len(detect) == 0 {
		detect = []any{"ZIP_CODE", "AREA_CODE"}
	}
	ltz := map[string]any{"localTimeZoneDetection": detect}
	if zone != "" {
		ltz["defaultTimeZone"] = zone
	}
	cfg := map[string]any{"localTimeZoneConfig": ltz}
	qOpen := cmpWholeDay
	if quiet != nil {
		if qo, ok := cmpQuietOpen(assess.Str(quiet, "Start"), assess.Str(quiet, "End")); ok {
			qOpen = qo
			n.note("quiet time %s–%s becomes open hours %s every day", assess.Str(quiet, "Start"), assess.Str(quiet, "End"), cmpRangesText(qo))
		}
	}
	pin := map[string]string{"email": "EMAIL", "sms": "SMS", "telephony": "VOICE"}
	for _, ch := range channels {
		days := map[string]any{}
		rules, _ := oh[pin[ch]].(map[string]any)
		for _, d := range cmpDays {
			ranges := qOpen
			if len(rules) > 0 {
				ranges = nil
				for _, r := range assess.List(rules, d) {
					m, _ := r.(map[string]any)
					s, ok1 := cmpClock(assess.Str(m, "StartTime"))
					e, ok2 := cmpClock(assess.Str(m, "EndTime"))
					if ok1 && ok2 && s < e {
						ranges = append(ranges, cmpRange{s, e})
					}
				}
				ranges = cmpIntersect(ranges, qOpen)
			}
			var list []any
			for _, r := range ranges {
				list = append(list, map[string]any{"startTime": cmpHHMM(r.from), "endTime": cmpHHMM(r.to)})
			}
			if len(list) > 0 {
				days[d] = list
			}
		}
		if len(rules) > 0 {
			n.note("%s open hours become the %s daily hours", pin[ch], ch)
		}
		if len(days) == 0 {
			continue
		}
		w := map[string]any{"openHours": map[string]any{"dailyHours": days}}
		var periods []any
		for _, c := range assess.List(cd, pin[ch]) {
			m, _ := c.(map[string]any)
			s, e := jrnDate(assess.Str(m, "StartDateTime")), jrnDate(assess.Str(m, "EndDateTime"))
			if s == "" || e == "" {
				continue
			}
			p := map[string]any{"startDate": s, "endDate": e}
			if nm := assess.Str(m, "Name"); nm != "" {
				p["name"] = cmpName(nm)
			}
			periods = append(periods, p)
		}
		if len(periods) > 0 {
			w["restrictedPeriods"] = map[string]any{"restrictedPeriodList": periods}
			n.note("%d %s closed period(s) become restricted whole days", len(periods), pin[ch])
		}
		cfg[ch] = w
	}
	return cfg
}

// jrnDate is the date part of a closed-day time (periods are widened to
// whole days).
func jrnDate(s string) string {
	if len(s) >= 10 && s[4] == '-' && s[7] == '-' {
		return s[:10]
	}
	return ""
}

// jrnLimits maps DailyCap and TimeframeCap (JRN-LIMIT-DAILY,
// JRN-LIMIT-TIMEFRAME) to a campaign override.
func jrnLimits(o map[string]any, n *cmpNeeds) map[string]any {
	var list []any
	if d, ok := assess.Num(o, "Limits.DailyCap"); ok && d > 0 {
		list = append(list, map[string]any{"maxCountPerRecipient": int(d), "frequency": 1, "unit": "DAY"})
		n.note("DailyCap %d becomes %d per 1 DAY", int(d), int(d))
	}
	if c, ok := assess.Num(o, "Limits.TimeframeCap.Cap"); ok && c > 0 {
		d, _ := assess.Num(o, "Limits.TimeframeCap.Days")
		if d >= 1 && d <= cmpMaxLimit {
			list = append(list, map[string]any{"maxCountPerRecipient": int(c), "frequency": int(d), "unit": "DAY"})
			n.note("TimeframeCap %d per %d days becomes %d per %d DAY", int(c), int(d), int(c), int(d))
		}
	}
	if len(list) == 0 {
		return nil
	}
	sort.SliceStable(list, func(i, j int) bool {
		return list[i].(map[string]any)["frequency"].(int) < list[j].(map[string]any)["frequency"].(int)
	})
	return map[string]any{"allChannelSubtypes": map[string]any{"communicationLimitsList": list}, "instanceLimitsHandling": "OPT_OUT"}
}
