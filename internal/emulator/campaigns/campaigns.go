package campaigns

import (
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/p2c/p2c/internal/awsmodel"
	"github.com/p2c/p2c/internal/emulator/core"
)

func init() {
	for op, h := range map[string]handler{
		"CreateCampaign": createCampaign, "DescribeCampaign": describeCampaign, "ListCampaigns": listCampaigns,
		"DeleteCampaign": deleteCampaign,
		"StartCampaign":  lifecycle("StartCampaign"), "PauseCampaign": lifecycle("PauseCampaign"),
		"ResumeCampaign": lifecycle("ResumeCampaign"), "StopCampaign": lifecycle("StopCampaign"),
		"GetCampaignState": getCampaignState, "GetCampaignStateBatch": getCampaignStateBatch,
		"UpdateCampaignName":                 updateName,
		"UpdateCampaignSchedule":             updateMember("schedule", true),
		"UpdateCampaignEntryLimits":          updateMember("entryLimitsConfig", true),
		"UpdateCampaignCommunicationTime":    updateMember("communicationTimeConfig", true),
		"UpdateCampaignCommunicationLimits":  updateMember("communicationLimitsOverride", true),
		"UpdateCampaignFlowAssociation":      updateMember("connectCampaignFlowArn", true),
		"UpdateCampaignSource":               updateSource,
		"UpdateCampaignChannelSubtypeConfig": updateChannelSubtypeConfig,
		"DeleteCampaignChannelSubtypeConfig": deleteChannelSubtypeConfig,
		"DeleteCampaignCommunicationTime":    deleteCommunicationTime,
		"DeleteCampaignCommunicationLimits":  deleteCommunicationLimits,
		"DeleteCampaignEntryLimits":          deleteEntryLimits,
		"PutOutboundRequestBatch":            putOutboundRequests("outboundRequests"),
		"PutProfileOutboundRequestBatch":     putOutboundRequests("profileOutboundRequests"),
		"TagResource":                        tagResource,
		"UntagResource":                      untagResource,
		"ListTagsForResource":                listTags,
	} {
		handlers[op] = h
	}
}

// Campaign states (CampaignState enum).
const (
	stInitialized = "Initialized"
	stRunning     = "Running"
	stPaused      = "Paused"
	stStopped     = "Stopped"
	stCompleted   = "Completed"
)

// campaignMembers are the members of a CreateCampaign request that a
// campaign keeps (all but tags, which live beside them).
var campaignMembers = []string{"name", "connectInstanceId", "channelSubtypeConfig", "type", "source", "connectCampaignFlowArn",
	"schedule", "entryLimitsConfig", "communicationTimeConfig", "communicationLimitsOverride"}

func createCampaign(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	inst, err := s.onboarded(r, core.Str(in, "connectInstanceId"))
	if err != nil {
		return nil, err
	}
	cmp := map[string]any{}
	for _, k := range campaignMembers {
		if v, ok := in[k]; ok && v != nil {
			cmp[k] = core.DeepCopy(v)
		}
	}
	if core.Str(cmp, "type") == "" {
		cmp["type"] = "MANAGED"
	}
	if err := s.checkCampaign(r.name, cmp); err != nil {
		return nil, err
	}
	n := 0
	for _, id := range r.order {
		if core.Str(r.campaigns[id].obj, "connectInstanceId") == inst.id {
			n++
		}
	}
	if n >= MaxCampaignsPerInstance {
		return nil, quotaExceeded("Campaigns per instance quota of %d reached for instance %s", MaxCampaignsPerInstance, inst.id)
	}
	tags := map[string]any{}
	if t := core.Obj(in, "tags"); t != nil {
		if err := checkTags(t); err != nil {
			return nil, err
		}
		tags = core.DeepCopy(t).(map[string]any)
	}
	id := s.newID(r.name, "campaign")
	cmp["id"], cmp["arn"], cmp["tags"] = id, campaignARN(r.name, id), tags
	r.campaigns[id] = &campaign{obj: cmp, state: stInitialized, created: s.now(), requests: map[string]string{}}
	r.order = append(r.order, id)
	return map[string]any{"id": id, "arn": cmp["arn"], "tags": tags}, nil
}

// checkCampaign applies the rules the model cannot express to a complete
// campaign. Timestamps are normalised to ISO 8601 in UTC in place.
func (s *Service) checkCampaign(region string, cmp map[string]any) *core.Error {
	typ := core.Str(cmp, "type")
	cfg := core.Obj(cmp, "channelSubtypeConfig")
	if typ == "MANAGED" && len(cfg) == 0 {
		return validation("channelSubtypeConfig must configure at least one channel subtype for a campaign of type MANAGED")
	}
	if typ == "JOURNEY" && core.Str(cmp, "connectCampaignFlowArn") == "" {
		return validation("connectCampaignFlowArn is required for a campaign of type JOURNEY")
	}
	if err := checkChannels(cfg, typ); err != nil {
		return err
	}
	if src := core.Obj(cmp, "source"); src != nil {
		if err := checkSource(src); err != nil {
			return err
		}
	}
	if f := core.Str(cmp, "connectCampaignFlowArn"); f != "" && !flowARN.MatchString(f) {
		return validation("connectCampaignFlowArn %q is not an Amazon Connect flow ARN (arn:aws:connect:REGION:ACCOUNT:instance/INSTANCE_ID/contact-flow/FLOW_ID)", f)
	}
	if sch := core.Obj(cmp, "schedule"); sch != nil {
		if err := checkSchedule(sch); err != nil {
			return err
		}
	}
	if tc := core.Obj(cmp, "communicationTimeConfig"); tc != nil {
		if err := checkTimeConfig(tc); err != nil {
			return err
		}
	}
	if lim := core.Obj(cmp, "communicationLimitsOverride"); lim != nil {
		if err := checkLimits(core.Obj(lim, "allChannelSubtypes"), "communicationLimitsOverride.allChannelSubtypes"); err != nil {
			return err
		}
	}
	return nil
}

var (
	connectPhoneARN = regexp.MustCompile(`^arn:aws[a-z-]*:connect:[a-z0-9-]+:\d{12}:(instance/[^/]+/)?phone-number/[^/:]+$`)
	wisdomTplARN    = regexp.MustCompile(`^arn:aws[a-z-]*:wisdom:[a-z0-9-]+:\d{12}:message-template/[a-f0-9-]{36}/[a-f0-9-]{36}(:[A-Z0-9_$]+)?$`)
	segmentARN      = regexp.MustCompile(`^arn:aws[a-z-]*:profile:[a-z0-9-]+:\d{12}:domains/[^/]+/segment-definitions/[^/]+$`)
	domainARN       = regexp.MustCompile(`^arn:aws[a-z-]*:profile:[a-z0-9-]+:\d{12}:domains/[^/]+$`)
	flowARN         = regexp.MustCompile(`^arn:aws[a-z-]*:connect:[a-z0-9-]+:\d{12}:instance/[^/]+/(contact-flow|flow)/[^/]+$`)
	knowledgeARN    = regexp.MustCompile(`^arn:aws[a-z-]*:wisdom:[a-z0-9-]+:\d{12}:knowledge-base/[a-f0-9-]{36}$`)
)

// checkChannels checks each channel subtype. An agent-assisted telephony
// mode of a MANAGED campaign needs the queue agents take calls from (the
// v1 API required it; inferred for v2); a JOURNEY routes through its flow.
func checkChannels(cfg map[string]any, typ string) *core.Error {
	for ch, v := range cfg {
		c, _ := v.(map[string]any)
		out := core.Obj(c, "defaultOutboundConfig")
		path := "channelSubtypeConfig." + ch + ".defaultOutboundConfig"
		switch ch {
		case "telephony":
			mode := core.Obj(c, "outboundMode")
			if typ == "MANAGED" && core.Obj(mode, "agentless") == nil && core.Str(c, "connectQueueId") == "" {
				return validation("channelSubtypeConfig.telephony.connectQueueId is required for an agent-assisted outbound mode")
			}
		case "sms", "whatsApp":
			if a := core.Str(out, "connectSourcePhoneNumberArn"); !connectPhoneARN.MatchString(a) {
				return validation("%s.connectSourcePhoneNumberArn %q is not an Amazon Connect phone number ARN (arn:aws:connect:REGION:ACCOUNT:phone-number/ID)", path, a)
			}
			fallthrough
		case "email":
			if a := core.Str(out, "wisdomTemplateArn"); !wisdomTplARN.MatchString(a) {
				return validation("%s.wisdomTemplateArn %q is not a message template ARN (arn:aws:wisdom:REGION:ACCOUNT:message-template/KB_ID/TEMPLATE_ID)", path, a)
			}
		}
	}
	return nil
}

func checkSource(src map[string]any) *core.Error {
	if a, ok := src["customerProfilesSegmentArn"].(string); ok && !segmentARN.MatchString(a) {
		return validation("source.customerProfilesSegmentArn %q is not a Customer Profiles segment definition ARN (arn:aws:profile:REGION:ACCOUNT:domains/DOMAIN/segment-definitions/NAME)", a)
	}
	if et := core.Obj(src, "eventTrigger"); et != nil {
		if a := core.Str(et, "customerProfilesDomainArn"); !domainARN.MatchString(a) {
			return validation("source.eventTrigger.customerProfilesDomainArn %q is not a Customer Profiles domain ARN (arn:aws:profile:REGION:ACCOUNT:domains/DOMAIN)", a)
		}
	}
	return nil
}

func checkSchedule(sch map[string]any) *core.Error {
	var times [2]time.Time
	for i, k := range []string{"startTime", "endTime"} {
		t, err := parseTime(sch[k])
		if err != nil {
			return validation("schedule.%s: %v", k, err)
		}
		sch[k] = isoTime(t)
		times[i] = t
	}
	if times[1].Before(times[0]) {
		return validation("schedule.endTime %s is before schedule.startTime %s", sch["endTime"], sch["startTime"])
	}
	return nil
}

// parseTime reads an ISO 8601 string or epoch seconds.
func parseTime(v any) (time.Time, error) {
	if s, ok := v.(string); ok {
		t, err := awsmodel.ParseTime(s)
		if err != nil {
			return time.Time{}, fmt.Errorf("%q is not an ISO 8601 timestamp", s)
		}
		return t.UTC(), nil
	}
	if f, ok := core.Num(v); ok {
		return time.Unix(0, int64(f*1e9)).UTC(), nil
	}
	return time.Time{}, fmt.Errorf("missing or not a timestamp")
}

func isoTime(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

var clock = regexp.MustCompile(`^T([01]\d|2[0-3]):([0-5]\d)$`)

func checkTimeConfig(tc map[string]any) *core.Error {
	for _, ch := range []string{"telephony", "sms", "email", "whatsApp"} {
		w := core.Obj(tc, ch)
		if w == nil {
			continue
		}
		days := core.Obj(core.Obj(w, "openHours"), "dailyHours")
		for day, v := range days {
			ranges, _ := v.([]any)
			for i, x := range ranges {
				tr, _ := x.(map[string]any)
				st, en := core.Str(tr, "startTime"), core.Str(tr, "endTime")
				path := fmt.Sprintf("communicationTimeConfig.%s.openHours.dailyHours.%s[%d]", ch, day, i)
				if !clock.MatchString(st) || !clock.MatchString(en) {
					return validation("%s: times must be THH:MM on a 24-hour clock, got %q to %q", path, st, en)
				}
				if st >= en {
					return validation("%s: startTime %s is not before endTime %s", path, st, en)
				}
			}
		}
		periods, _ := core.Obj(w, "restrictedPeriods")["restrictedPeriodList"].([]any)
		for i, x := range periods {
			p, _ := x.(map[string]any)
			a, errA := time.Parse("2006-01-02", core.Str(p, "startDate"))
			b, errB := time.Parse("2006-01-02", core.Str(p, "endDate"))
			path := fmt.Sprintf("communicationTimeConfig.%s.restrictedPeriods.restrictedPeriodList[%d]", ch, i)
			if errA != nil || errB != nil {
				return validation("%s: startDate and endDate must be valid YYYY-MM-DD dates", path)
			}
			if b.Before(a) {
				return validation("%s: endDate %s is before startDate %s", path, core.Str(p, "endDate"), core.Str(p, "startDate"))
			}
		}
	}
	return nil
}

// checkLimits checks a CommunicationLimits union: at most one limit per
// frequency (the model already says 0..2 entries of unit DAY).
func checkLimits(all map[string]any, path string) *core.Error {
	list, _ := all["communicationLimitsList"].([]any)
	seen := map[float64]bool{}
	for _, x := range list {
		l, _ := x.(map[string]any)
		f, _ := core.Num(l["frequency"])
		if seen[f] {
			return validation("%s.communicationLimitsList has two limits with frequency %v", path, f)
		}
		seen[f] = true
	}
	return nil
}

func checkTags(tags map[string]any) *core.Error {
	if len(tags) > maxTagsPerResource {
		return validation("A resource can have at most %d tags", maxTagsPerResource)
	}
	for k := range tags {
		if strings.HasPrefix(strings.ToLower(k), "aws:") {
			return validation("Tag keys starting with aws: are reserved: %q", k)
		}
	}
	return nil
}

func (r *region) campaign(id string) (*campaign, *core.Error) {
	cp := r.campaigns[id]
	if cp == nil {
		return nil, notFound("Campaign %s not found", id)
	}
	return cp, nil
}

// currentState is the campaign's state now: a running campaign whose
// schedule ended has completed.
func (s *Service) currentState(cp *campaign) string {
	if cp.state == stRunning {
		if sch := core.Obj(cp.obj, "schedule"); sch != nil {
			if end, err := parseTime(sch["endTime"]); err == nil && s.now().After(end) {
				cp.state = stCompleted
			}
		}
	}
	return cp.state
}

func describeCampaign(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	cp, err := r.campaign(core.Str(in, "id"))
	if err != nil {
		return nil, err
	}
	return map[string]any{"campaign": core.DeepCopy(cp.obj)}, nil
}

var subtypeNames = []struct{ member, enum string }{
	{"telephony", "TELEPHONY"}, {"sms", "SMS"}, {"email", "EMAIL"}, {"whatsApp", "WHATSAPP"},
}

func listCampaigns(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	filter := core.Obj(core.Obj(in, "filters"), "instanceIdFilter")
	var items []any
	for _, id := range r.order {
		o := r.campaigns[id].obj
		if filter != nil && core.Str(o, "connectInstanceId") != core.Str(filter, "value") {
			continue
		}
		sum := map[string]any{}
		for _, k := range []string{"id", "arn", "name", "connectInstanceId", "type", "schedule", "entryLimitsConfig", "connectCampaignFlowArn"} {
			if v, ok := o[k]; ok {
				sum[k] = core.DeepCopy(v)
			}
		}
		subtypes := []any{}
		for _, st := range subtypeNames {
			if core.Obj(core.Obj(o, "channelSubtypeConfig"), st.member) != nil {
				subtypes = append(subtypes, st.enum)
			}
		}
		sum["channelSubtypes"] = subtypes
		items = append(items, sum)
	}
	p, next, err := page("campaigns", items, in)
	if err != nil {
		return nil, err
	}
	out := map[string]any{"campaignSummaryList": nonNil(p)}
	if next != "" {
		out["nextToken"] = next
	}
	return out, nil
}

func nonNil(p []any) []any {
	if p == nil {
		return []any{}
	}
	return p
}

func deleteCampaign(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	cp, err := r.campaign(core.Str(in, "id"))
	if err != nil {
		return nil, err
	}
	if st := s.currentState(cp); st == stRunning {
		return nil, invalidState(st, "Campaign %s is %s: stop it before deleting it", core.Str(in, "id"), st)
	}
	delete(r.campaigns, core.Str(in, "id"))
	r.order = remove(r.order, core.Str(in, "id"))
	return nil, nil
}

// transitions lists, per lifecycle call, the states it accepts and the
// state it leads to.
var transitions = map[string]struct {
	from []string
	to   string
}{
	"StartCampaign":  {[]string{stInitialized}, stRunning},
	"PauseCampaign":  {[]string{stRunning}, stPaused},
	"ResumeCampaign": {[]string{stPaused}, stRunning},
	"StopCampaign":   {[]string{stRunning, stPaused}, stStopped},
}

func lifecycle(op string) handler {
	tr := transitions[op]
	return func(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
		id := core.Str(in, "id")
		cp, err := r.campaign(id)
		if err != nil {
			return nil, err
		}
		st := s.currentState(cp)
		ok := false
		for _, f := range tr.from {
			ok = ok || f == st
		}
		if !ok {
			return nil, invalidState(st, "%s is not allowed: campaign %s is %s", op, id, st)
		}
		if op == "StartCampaign" {
			inst, err := s.onboarded(r, core.Str(cp.obj, "connectInstanceId"))
			if err != nil {
				return nil, err
			}
			active := 0
			for _, other := range r.campaigns {
				if core.Str(other.obj, "connectInstanceId") == inst.id {
					if x := s.currentState(other); x == stRunning || x == stPaused {
						active++
					}
				}
			}
			if active >= MaxActiveCampaignsPerInstance {
				return nil, quotaExceeded("Active campaigns per instance quota of %d reached for instance %s", MaxActiveCampaignsPerInstance, inst.id)
			}
		}
		cp.state = tr.to
		return nil, nil
	}
}

func getCampaignState(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	cp, err := r.campaign(core.Str(in, "id"))
	if err != nil {
		return nil, err
	}
	return map[string]any{"state": s.currentState(cp)}, nil
}

func getCampaignStateBatch(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	ok, failed := []any{}, []any{}
	ids, _ := in["campaignIds"].([]any)
	for _, x := range ids {
		id, _ := x.(string)
		if cp := r.campaigns[id]; cp != nil {
			ok = append(ok, map[string]any{"campaignId": id, "state": s.currentState(cp)})
		} else {
			failed = append(failed, map[string]any{"campaignId": id, "failureCode": "ResourceNotFound"})
		}
	}
	return map[string]any{"successfulRequests": ok, "failedRequests": failed}, nil
}

// updatable returns a campaign that may be changed: the update calls that
// name InvalidCampaignStateException in the model refuse a running
// campaign (inferred: the reference has no table of allowed states).
func (s *Service) updatable(r *region, id string, stateChecked bool) (*campaign, *core.Error) {
	cp, err := r.campaign(id)
	if err != nil {
		return nil, err
	}
	if st := s.currentState(cp); stateChecked && st == stRunning {
		return nil, invalidState(st, "Campaign %s is %s: pause or stop it before changing it", id, st)
	}
	return cp, nil
}

// apply checks the campaign as it would be after change and keeps it only
// when valid.
func (s *Service) apply(r *region, cp *campaign, change func(next map[string]any)) *core.Error {
	next := core.DeepCopy(cp.obj).(map[string]any)
	change(next)
	if err := s.checkCampaign(r.name, next); err != nil {
		return err
	}
	cp.obj = next
	return nil
}

func updateName(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	cp, err := s.updatable(r, core.Str(in, "id"), false)
	if err != nil {
		return nil, err
	}
	cp.obj["name"] = core.Str(in, "name")
	return nil, nil
}

func updateMember(member string, stateChecked bool) handler {
	return func(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
		cp, err := s.updatable(r, core.Str(in, "id"), stateChecked)
		if err != nil {
			return nil, err
		}
		return nil, s.apply(r, cp, func(next map[string]any) { next[member] = core.DeepCopy(in[member]) })
	}
}

// updateSource changes the segment or the domain of the source; a source
// cannot be added to a campaign without one, nor change its kind (the API
// reference: "the source cannot be added or removed after creation").
func updateSource(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	cp, err := s.updatable(r, core.Str(in, "id"), true)
	if err != nil {
		return nil, err
	}
	old, src := core.Obj(cp.obj, "source"), core.Obj(in, "source")
	if old == nil {
		return nil, validation("Campaign %s was created without a source: a source cannot be added after creation", core.Str(in, "id"))
	}
	if _, wasSeg := old["customerProfilesSegmentArn"]; wasSeg != (src["customerProfilesSegmentArn"] != nil) {
		return nil, validation("The source of campaign %s cannot change between a segment and an event trigger", core.Str(in, "id"))
	}
	return nil, s.apply(r, cp, func(next map[string]any) { next["source"] = core.DeepCopy(src) })
}

// updateChannelSubtypeConfig replaces the configuration of each channel
// subtype the request names and keeps the others.
func updateChannelSubtypeConfig(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	cp, err := s.updatable(r, core.Str(in, "id"), false)
	if err != nil {
		return nil, err
	}
	return nil, s.apply(r, cp, func(next map[string]any) {
		cfg := core.Obj(next, "channelSubtypeConfig")
		if cfg == nil {
			cfg = map[string]any{}
			next["channelSubtypeConfig"] = cfg
		}
		for k, v := range core.Obj(in, "channelSubtypeConfig") {
			cfg[k] = core.DeepCopy(v)
		}
	})
}

// subtypeMember maps a ChannelSubtype / CommunicationTimeConfigType value
// to its member name.
func subtypeMember(enum string) string {
	for _, st := range subtypeNames {
		if st.enum == enum {
			return st.member
		}
	}
	return ""
}

func deleteChannelSubtypeConfig(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	cp, err := s.updatable(r, core.Str(in, "id"), false)
	if err != nil {
		return nil, err
	}
	return nil, s.apply(r, cp, func(next map[string]any) {
		cfg := core.Obj(next, "channelSubtypeConfig")
		delete(cfg, subtypeMember(core.Str(in, "channelSubtype")))
		if len(cfg) == 0 {
			delete(next, "channelSubtypeConfig")
		}
	})
}

func deleteCommunicationTime(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	cp, err := s.updatable(r, core.Str(in, "id"), true)
	if err != nil {
		return nil, err
	}
	return nil, s.apply(r, cp, func(next map[string]any) {
		delete(core.Obj(next, "communicationTimeConfig"), subtypeMember(core.Str(in, "config")))
	})
}

func deleteCommunicationLimits(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	cp, err := s.updatable(r, core.Str(in, "id"), true)
	if err != nil {
		return nil, err
	}
	return nil, s.apply(r, cp, func(next map[string]any) {
		lim := core.Obj(next, "communicationLimitsOverride")
		delete(lim, "allChannelSubtypes") // config=ALL_CHANNEL_SUBTYPES, the only value
		if len(lim) == 0 {
			delete(next, "communicationLimitsOverride")
		}
	})
}

func deleteEntryLimits(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	cp, err := s.updatable(r, core.Str(in, "id"), true)
	if err != nil {
		return nil, err
	}
	delete(cp.obj, "entryLimitsConfig")
	return nil, nil
}

// putOutboundRequests accepts a batch for a running campaign. Requests are
// idempotent by client token: a repeated token answers with the first id.
func putOutboundRequests(member string) handler {
	return func(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
		id := core.Str(in, "id")
		cp, err := r.campaign(id)
		if err != nil {
			return nil, err
		}
		if st := s.currentState(cp); st != stRunning {
			return nil, invalidState(st, "Campaign %s is %s: outbound requests need a running campaign", id, st)
		}
		ok, failed := []any{}, []any{}
		reqs, _ := in[member].([]any)
		for _, x := range reqs {
			req, _ := x.(map[string]any)
			tok := core.Str(req, "clientToken")
			if exp, has := req["expirationTime"]; has {
				if t, err := parseTime(exp); err != nil || t.Before(s.now()) {
					failed = append(failed, map[string]any{"clientToken": tok, "failureCode": "InvalidInput"})
					continue
				}
			}
			rid := cp.requests[tok]
			if rid == "" {
				rid = s.newID(r.name, "request")
				cp.requests[tok] = rid
			}
			ok = append(ok, map[string]any{"clientToken": tok, "id": rid})
		}
		return map[string]any{"successfulRequests": ok, "failedRequests": failed}, nil
	}
}

// tags -----------------------------------------------------------------------

func (r *region) byARN(arn string) (*campaign, *core.Error) {
	for _, cp := range r.campaigns {
		if core.Str(cp.obj, "arn") == arn {
			return cp, nil
		}
	}
	return nil, notFound("Resource %s not found", arn)
}

func tagResource(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	cp, err := r.byARN(core.Str(in, "arn"))
	if err != nil {
		return nil, err
	}
	tags := core.DeepCopy(core.Obj(cp.obj, "tags")).(map[string]any)
	for k, v := range core.Obj(in, "tags") {
		tags[k] = v
	}
	if err := checkTags(tags); err != nil {
		return nil, err
	}
	cp.obj["tags"] = tags
	return nil, nil
}

func untagResource(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	cp, err := r.byARN(core.Str(in, "arn"))
	if err != nil {
		return nil, err
	}
	keys, _ := in["tagKeys"].([]any)
	tags := core.Obj(cp.obj, "tags")
	for _, k := range keys {
		if ks, ok := k.(string); ok {
			delete(tags, ks)
		}
	}
	return nil, nil
}

func listTags(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	cp, err := r.byARN(core.Str(in, "arn"))
	if err != nil {
		return nil, err
	}
	return map[string]any{"tags": core.DeepCopy(core.Obj(cp.obj, "tags"))}, nil
}
