package pinpoint

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/p2c/p2c/internal/awsmodel"
	"github.com/p2c/p2c/internal/emulator/core"
)

func init() {
	for op, h := range map[string]handler{
		"CreateSegment": createSegment, "UpdateSegment": updateSegment, "GetSegment": getSegment, "GetSegments": getSegments,
		"DeleteSegment": deleteSegment, "GetSegmentVersion": getSegmentVersion, "GetSegmentVersions": getSegmentVersions,
		"CreateCampaign": createCampaign, "UpdateCampaign": updateCampaign, "GetCampaign": getCampaign, "GetCampaigns": getCampaigns,
		"DeleteCampaign": deleteCampaign, "GetCampaignVersion": getCampaignVersion, "GetCampaignVersions": getCampaignVersions,
		"GetCampaignActivities": getCampaignActivities,
		"CreateJourney":         createJourney, "UpdateJourney": updateJourney, "GetJourney": getJourney, "ListJourneys": listJourneys,
		"DeleteJourney": deleteJourney, "UpdateJourneyState": updateJourneyState,
	} {
		handlers[op] = h
	}
}

// segments -------------------------------------------------------------------

func (a *app) segment(id string) (*versioned, *core.Error) {
	v := a.segments[id]
	if v == nil {
		return nil, notFound("Segment %s not found", id)
	}
	return v, nil
}

func (s *Service) checkSegment(r *region, a *app, req map[string]any) *core.Error {
	if strings.TrimSpace(core.Str(req, "Name")) == "" {
		return badRequest("Missing Name")
	}
	groups := core.Obj(req, "SegmentGroups")
	list, _ := groups["Groups"].([]any)
	for gi, g := range list {
		gm, _ := g.(map[string]any)
		srcs, _ := gm["SourceSegments"].([]any)
		for _, src := range srcs {
			sm, _ := src.(map[string]any)
			id := core.Str(sm, "Id")
			v := a.segments[id]
			if v == nil {
				return badRequest("SegmentGroups.Groups[%d].SourceSegments: segment %s does not exist", gi, id)
			}
			if ver := core.Str(sm, "Version"); ver != "" {
				n, err := strconv.Atoi(ver)
				if err != nil || n < 1 || n > len(v.versions) {
					return badRequest("SegmentGroups.Groups[%d].SourceSegments: segment %s has no version %s", gi, id, ver)
				}
			}
		}
	}
	return nil
}

func createSegment(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	a, err := r.app(core.Str(in, "ApplicationId"))
	if err != nil {
		return nil, err
	}
	req := core.Obj(in, "WriteSegmentRequest")
	if err := s.checkSegment(r, a, req); err != nil {
		return nil, err
	}
	id := s.newID(r.name, "segment")
	now := s.stamp()
	o := map[string]any{"ApplicationId": a.obj["Id"], "Id": id, "Arn": arn(r.name, fmt.Sprintf("apps/%s/segments/%s", a.obj["Id"], id)),
		"CreationDate": now, "LastModifiedDate": now, "Name": req["Name"], "SegmentType": "DIMENSIONAL", "Version": float64(1), "tags": tagsOf(req)}
	for _, k := range []string{"Dimensions", "SegmentGroups"} {
		if v, ok := req[k]; ok {
			o[k] = v
		}
	}
	a.segments[id] = &versioned{versions: []map[string]any{o}}
	a.segOrder = append(a.segOrder, id)
	return o, nil
}

// newVersion copies the latest version, applies the update and appends it.
func newVersion(v *versioned, now string, apply func(o map[string]any)) map[string]any {
	o := core.DeepCopy(v.latest()).(map[string]any)
	apply(o)
	o["Version"] = v.latest()["Version"].(float64) + 1
	o["LastModifiedDate"] = now
	v.versions = append(v.versions, o)
	return o
}

func updateSegment(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	a, err := r.app(core.Str(in, "ApplicationId"))
	if err != nil {
		return nil, err
	}
	v, err := a.segment(core.Str(in, "SegmentId"))
	if err != nil {
		return nil, err
	}
	req := core.Obj(in, "WriteSegmentRequest")
	if req["Name"] == nil {
		req = copyMap(req)
		req["Name"] = v.latest()["Name"]
	}
	if err := s.checkSegment(r, a, req); err != nil {
		return nil, err
	}
	return newVersion(v, s.stamp(), func(o map[string]any) {
		for _, k := range []string{"Name", "Dimensions", "SegmentGroups"} {
			if val, ok := req[k]; ok {
				o[k] = val
			}
		}
	}), nil
}

func getSegment(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	a, err := r.app(core.Str(in, "ApplicationId"))
	if err != nil {
		return nil, err
	}
	v, err := a.segment(core.Str(in, "SegmentId"))
	if err != nil {
		return nil, err
	}
	return v.latest(), nil
}

func getSegments(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	a, err := r.app(core.Str(in, "ApplicationId"))
	if err != nil {
		return nil, err
	}
	items := make([]any, 0, len(a.segOrder))
	for _, id := range a.segOrder {
		items = append(items, a.segments[id].latest())
	}
	return listPage("segments/"+core.Str(in, "ApplicationId"), items, in, "Token")
}

func deleteSegment(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	a, err := r.app(core.Str(in, "ApplicationId"))
	if err != nil {
		return nil, err
	}
	id := core.Str(in, "SegmentId")
	v, err := a.segment(id)
	if err != nil {
		return nil, err
	}
	for _, cid := range a.campOrder {
		if core.Str(a.campaigns[cid].latest(), "SegmentId") == id {
			return nil, badRequest("Segment %s is used by campaign %s", id, cid)
		}
	}
	delete(a.segments, id)
	delete(a.segMembers, id)
	a.segOrder = remove(a.segOrder, id)
	return v.latest(), nil
}

func versionOf(versions []map[string]any, raw string) (map[string]any, *core.Error) {
	n, err := strconv.Atoi(raw)
	if err != nil || n < 1 || n > len(versions) {
		return nil, notFound("Version %s not found", raw)
	}
	return versions[n-1], nil
}

func getSegmentVersion(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	a, err := r.app(core.Str(in, "ApplicationId"))
	if err != nil {
		return nil, err
	}
	v, err := a.segment(core.Str(in, "SegmentId"))
	if err != nil {
		return nil, err
	}
	return versionOf(v.versions, core.Str(in, "Version"))
}

func getSegmentVersions(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	a, err := r.app(core.Str(in, "ApplicationId"))
	if err != nil {
		return nil, err
	}
	id := core.Str(in, "SegmentId")
	v, err := a.segment(id)
	if err != nil {
		return nil, err
	}
	items := make([]any, len(v.versions))
	for i, o := range v.versions {
		items[i] = o
	}
	return listPage("segment-versions/"+id, items, in, "Token")
}

// campaigns ------------------------------------------------------------------

func (a *app) campaign(id string) (*versioned, *core.Error) {
	v := a.campaigns[id]
	if v == nil {
		return nil, notFound("Campaign %s not found", id)
	}
	return v, nil
}

// checkCampaign validates what the model cannot: references and the
// constraints the service enforces across members.
func (s *Service) checkCampaign(r *region, a *app, req map[string]any) *core.Error {
	segID := core.Str(req, "SegmentId")
	if segID == "" {
		return badRequest("Missing SegmentId")
	}
	seg := a.segments[segID]
	if seg == nil {
		return badRequest("Segment %s does not exist", segID)
	}
	if ver := core.Str(req, "SegmentVersion"); ver != "" {
		if _, err := versionOf(seg.versions, ver); err != nil {
			return badRequest("Segment %s has no version %s", segID, ver)
		}
	}
	sched := core.Obj(req, "Schedule")
	if sched == nil || core.Str(sched, "StartTime") == "" {
		return badRequest("Missing Schedule.StartTime")
	}
	if st := core.Str(sched, "StartTime"); st != "IMMEDIATE" {
		if _, err := awsmodel.ParseTime(st); err != nil {
			return badRequest("Schedule.StartTime %q is not an ISO 8601 date", st)
		}
	}
	if core.Str(sched, "Frequency") == "EVENT" && core.Obj(sched, "EventFilter") == nil {
		return badRequest("Schedule.EventFilter is required when Frequency is EVENT")
	}
	total := 0.0
	if h, ok := req["HoldoutPercent"].(float64); ok {
		total += h
	}
	treats, _ := req["AdditionalTreatments"].([]any)
	for _, t := range treats {
		if tm, ok := t.(map[string]any); ok {
			n, _ := tm["SizePercent"].(float64)
			total += n
		}
	}
	if len(treats) > 0 && total > 100 {
		return badRequest("Treatment sizes and holdout add up to %v%%, more than 100%%", total)
	}
	for _, t := range append([]any{req}, treats...) {
		tm, _ := t.(map[string]any)
		if err := s.checkTemplates(r, core.Obj(tm, "TemplateConfiguration")); err != nil {
			return err
		}
	}
	return nil
}

// checkTemplates refuses references to templates that do not exist.
func (s *Service) checkTemplates(r *region, tc map[string]any) *core.Error {
	for member, typ := range map[string]string{"EmailTemplate": "EMAIL", "SMSTemplate": "SMS", "PushTemplate": "PUSH", "VoiceTemplate": "VOICE", "InAppTemplate": "INAPP"} {
		ref := core.Obj(tc, member)
		if ref == nil {
			continue
		}
		t := r.templates[typ+"/"+core.Str(ref, "Name")]
		if t == nil {
			return badRequest("TemplateConfiguration.%s: template %s of type %s does not exist", member, core.Str(ref, "Name"), typ)
		}
		if v := core.Str(ref, "Version"); v != "" {
			if _, err := t.version(v); err != nil {
				return badRequest("TemplateConfiguration.%s: template %s has no version %s", member, core.Str(ref, "Name"), v)
			}
		}
	}
	return nil
}

func campaignStatus(req map[string]any, now time.Time) string {
	if b, _ := req["IsPaused"].(bool); b {
		return "PAUSED"
	}
	sched := core.Obj(req, "Schedule")
	start, _ := awsmodel.ParseTime(core.Str(sched, "StartTime"))
	switch core.Str(sched, "Frequency") {
	case "ONCE", "":
		if core.Str(sched, "StartTime") == "IMMEDIATE" || !start.IsZero() && start.Before(now) {
			return "COMPLETED"
		}
		return "SCHEDULED"
	case "EVENT", "IN_APP_EVENT":
		return "EXECUTING"
	}
	if end, err := awsmodel.ParseTime(core.Str(sched, "EndTime")); err == nil && end.Before(now) {
		return "COMPLETED"
	}
	return "SCHEDULED"
}

func (s *Service) campaignVersion(r *region, a *app, base map[string]any, req map[string]any) map[string]any {
	o := base
	for _, k := range []string{"CustomDeliveryConfiguration", "Description", "HoldoutPercent", "Hook", "IsPaused", "Limits", "MessageConfiguration",
		"Name", "Schedule", "SegmentId", "SegmentVersion", "TemplateConfiguration", "TreatmentDescription", "TreatmentName", "Priority"} {
		if v, ok := req[k]; ok {
			o[k] = v
		}
	}
	if core.Str(req, "SegmentVersion") == "" {
		o["SegmentVersion"] = a.segments[core.Str(o, "SegmentId")].latest()["Version"]
	}
	if treats, ok := req["AdditionalTreatments"].([]any); ok {
		out := make([]any, len(treats))
		for i, t := range treats {
			tm := copyMap(t.(map[string]any))
			tm["Id"] = strconv.Itoa(i + 1)
			tm["State"] = map[string]any{"CampaignStatus": campaignStatus(map[string]any{"Schedule": o["Schedule"]}, s.now())}
			out[i] = tm
		}
		o["AdditionalTreatments"] = out
	}
	st := map[string]any{"CampaignStatus": campaignStatus(o, s.now())}
	o["State"], o["DefaultState"] = st, st
	return o
}

func createCampaign(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	a, err := r.app(core.Str(in, "ApplicationId"))
	if err != nil {
		return nil, err
	}
	req := core.Obj(in, "WriteCampaignRequest")
	if err := s.checkCampaign(r, a, req); err != nil {
		return nil, err
	}
	id := s.newID(r.name, "campaign")
	now := s.stamp()
	o := map[string]any{"ApplicationId": a.obj["Id"], "Id": id, "Arn": arn(r.name, fmt.Sprintf("apps/%s/campaigns/%s", a.obj["Id"], id)),
		"CreationDate": now, "LastModifiedDate": now, "Version": float64(1), "tags": tagsOf(req)}
	o = s.campaignVersion(r, a, o, req)
	a.campaigns[id] = &versioned{versions: []map[string]any{o}}
	a.campOrder = append(a.campOrder, id)
	return o, nil
}

func updateCampaign(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	a, err := r.app(core.Str(in, "ApplicationId"))
	if err != nil {
		return nil, err
	}
	v, err := a.campaign(core.Str(in, "CampaignId"))
	if err != nil {
		return nil, err
	}
	req := core.Obj(in, "WriteCampaignRequest")
	merged := copyMap(v.latest())
	for k, val := range req {
		merged[k] = val
	}
	if _, ok := req["SegmentVersion"]; !ok {
		delete(merged, "SegmentVersion")
	}
	if err := s.checkCampaign(r, a, merged); err != nil {
		return nil, err
	}
	return newVersion(v, s.stamp(), func(o map[string]any) {
		s.campaignVersion(r, a, o, req)
	}), nil
}

func getCampaign(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	a, err := r.app(core.Str(in, "ApplicationId"))
	if err != nil {
		return nil, err
	}
	v, err := a.campaign(core.Str(in, "CampaignId"))
	if err != nil {
		return nil, err
	}
	return v.latest(), nil
}

func getCampaigns(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	a, err := r.app(core.Str(in, "ApplicationId"))
	if err != nil {
		return nil, err
	}
	items := make([]any, 0, len(a.campOrder))
	for _, id := range a.campOrder {
		items = append(items, a.campaigns[id].latest())
	}
	return listPage("campaigns/"+core.Str(in, "ApplicationId"), items, in, "Token")
}

func deleteCampaign(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	a, err := r.app(core.Str(in, "ApplicationId"))
	if err != nil {
		return nil, err
	}
	id := core.Str(in, "CampaignId")
	v, err := a.campaign(id)
	if err != nil {
		return nil, err
	}
	delete(a.campaigns, id)
	a.campOrder = remove(a.campOrder, id)
	return v.latest(), nil
}

func getCampaignVersion(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	a, err := r.app(core.Str(in, "ApplicationId"))
	if err != nil {
		return nil, err
	}
	v, err := a.campaign(core.Str(in, "CampaignId"))
	if err != nil {
		return nil, err
	}
	return versionOf(v.versions, core.Str(in, "Version"))
}

func getCampaignVersions(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	a, err := r.app(core.Str(in, "ApplicationId"))
	if err != nil {
		return nil, err
	}
	id := core.Str(in, "CampaignId")
	v, err := a.campaign(id)
	if err != nil {
		return nil, err
	}
	items := make([]any, len(v.versions))
	for i, o := range v.versions {
		items[i] = o
	}
	return listPage("campaign-versions/"+id, items, in, "Token")
}

func getCampaignActivities(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	a, err := r.app(core.Str(in, "ApplicationId"))
	if err != nil {
		return nil, err
	}
	id := core.Str(in, "CampaignId")
	if _, err := a.campaign(id); err != nil {
		return nil, err
	}
	acts := r.metrics.activities[id]
	items := make([]any, len(acts))
	for i, o := range acts {
		items[i] = o
	}
	return listPage("campaign-activities/"+id, items, in, "Token")
}

// journeys --------------------------------------------------------------------

var journeyActivityKinds = []string{"CUSTOM", "ConditionalSplit", "EMAIL", "Holdout", "MultiCondition", "PUSH", "RandomSplit", "SMS", "Wait", "ContactCenter"}

// checkJourney enforces the structural rules of a journey: the start
// activity and every next activity exist, one kind per activity, at most
// 40 activities, referenced segments and templates exist.
func (s *Service) checkJourney(r *region, a *app, req map[string]any) *core.Error {
	if strings.TrimSpace(core.Str(req, "Name")) == "" {
		return badRequest("Missing Name")
	}
	acts := core.Obj(req, "Activities")
	if len(acts) > 40 {
		return badRequest("A journey can have at most 40 activities, got %d", len(acts))
	}
	if start := core.Str(req, "StartActivity"); start != "" && acts[start] == nil {
		return badRequest("StartActivity %s is not an activity of the journey", start)
	}
	exists := func(from, field, id string) *core.Error {
		if id != "" && acts[id] == nil {
			return badRequest("Activities.%s.%s refers to activity %s, which does not exist", from, field, id)
		}
		return nil
	}
	for _, id := range sortedKeys(acts) {
		act, _ := acts[id].(map[string]any)
		n := 0
		for _, k := range journeyActivityKinds {
			body := core.Obj(act, k)
			if body == nil {
				continue
			}
			n++
			for _, f := range []string{"NextActivity", "TrueActivity", "FalseActivity", "DefaultActivity"} {
				if err := exists(id, k+"."+f, core.Str(body, f)); err != nil {
					return err
				}
			}
			for _, listKey := range []string{"Branches"} {
				branches, _ := body[listKey].([]any)
				for i, b := range branches {
					if err := exists(id, fmt.Sprintf("%s.%s[%d].NextActivity", k, listKey, i), core.Str(b.(map[string]any), "NextActivity")); err != nil {
						return err
					}
				}
			}
			if tn := core.Str(body, "TemplateName"); tn != "" {
				typ := map[string]string{"EMAIL": "EMAIL", "SMS": "SMS", "PUSH": "PUSH", "CUSTOM": ""}[k]
				if typ != "" && r.templates[typ+"/"+tn] == nil {
					return badRequest("Activities.%s.%s: template %s does not exist", id, k, tn)
				}
			}
		}
		if n != 1 {
			return badRequest("Activities.%s must define exactly one activity type, found %d", id, n)
		}
	}
	sc := core.Obj(req, "StartCondition")
	for _, segRef := range []string{core.Str(core.Obj(sc, "SegmentStartCondition"), "SegmentId"), core.Str(core.Obj(sc, "EventStartCondition"), "SegmentId")} {
		if segRef != "" && a.segments[segRef] == nil {
			return badRequest("StartCondition refers to segment %s, which does not exist", segRef)
		}
	}
	return nil
}

func (a *app) journey(id string) (map[string]any, *core.Error) {
	j := a.journeys[id]
	if j == nil {
		return nil, notFound("Journey %s not found", id)
	}
	return j, nil
}

var journeyMembers = []string{"Activities", "Limits", "LocalTime", "Name", "QuietTime", "RefreshFrequency", "Schedule", "StartActivity", "StartCondition",
	"WaitForQuietTime", "RefreshOnSegmentUpdate", "JourneyChannelSettings", "SendingSchedule", "OpenHours", "ClosedDays", "TimezoneEstimationMethods"}

func createJourney(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	a, err := r.app(core.Str(in, "ApplicationId"))
	if err != nil {
		return nil, err
	}
	req := core.Obj(in, "WriteJourneyRequest")
	if err := s.checkJourney(r, a, req); err != nil {
		return nil, err
	}
	id := s.newID(r.name, "journey")
	now := s.stamp()
	o := map[string]any{"ApplicationId": a.obj["Id"], "Id": id, "CreationDate": now, "LastModifiedDate": now, "State": "DRAFT", "tags": tagsOf(req)}
	for _, k := range journeyMembers {
		if v, ok := req[k]; ok {
			o[k] = v
		}
	}
	if st := core.Str(req, "State"); st != "" {
		o["State"] = st
	}
	a.journeys[id] = o
	a.jrnOrder = append(a.jrnOrder, id)
	return o, nil
}

func updateJourney(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	a, err := r.app(core.Str(in, "ApplicationId"))
	if err != nil {
		return nil, err
	}
	j, err := a.journey(core.Str(in, "JourneyId"))
	if err != nil {
		return nil, err
	}
	if st := core.Str(j, "State"); st != "DRAFT" && st != "PAUSED" && st != "ACTIVE" {
		return nil, badRequest("A journey in state %s cannot be updated", st)
	}
	req := core.Obj(in, "WriteJourneyRequest")
	if err := s.checkJourney(r, a, req); err != nil {
		return nil, err
	}
	for _, k := range journeyMembers {
		if v, ok := req[k]; ok {
			j[k] = v
		}
	}
	if st := core.Str(req, "State"); st != "" {
		j["State"] = st
	}
	j["LastModifiedDate"] = s.stamp()
	return j, nil
}

func getJourney(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	a, err := r.app(core.Str(in, "ApplicationId"))
	if err != nil {
		return nil, err
	}
	return a.journey(core.Str(in, "JourneyId"))
}

func listJourneys(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	a, err := r.app(core.Str(in, "ApplicationId"))
	if err != nil {
		return nil, err
	}
	items := make([]any, 0, len(a.jrnOrder))
	for _, id := range a.jrnOrder {
		items = append(items, a.journeys[id])
	}
	return listPage("journeys/"+core.Str(in, "ApplicationId"), items, in, "Token")
}

func deleteJourney(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	a, err := r.app(core.Str(in, "ApplicationId"))
	if err != nil {
		return nil, err
	}
	id := core.Str(in, "JourneyId")
	j, err := a.journey(id)
	if err != nil {
		return nil, err
	}
	delete(a.journeys, id)
	a.jrnOrder = remove(a.jrnOrder, id)
	return j, nil
}

// journeyTransitions are the state changes UpdateJourneyState accepts.
var journeyTransitions = map[string][]string{
	"DRAFT":  {"ACTIVE", "CANCELLED"},
	"ACTIVE": {"PAUSED", "CANCELLED", "COMPLETED"},
	"PAUSED": {"ACTIVE", "CANCELLED"},
}

func updateJourneyState(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	a, err := r.app(core.Str(in, "ApplicationId"))
	if err != nil {
		return nil, err
	}
	j, err := a.journey(core.Str(in, "JourneyId"))
	if err != nil {
		return nil, err
	}
	to := core.Str(core.Obj(in, "JourneyStateRequest"), "State")
	from := core.Str(j, "State")
	ok := false
	for _, t := range journeyTransitions[from] {
		ok = ok || t == to
	}
	if !ok {
		return nil, badRequest("Cannot change journey state from %s to %s", from, to)
	}
	j["State"] = to
	j["LastModifiedDate"] = s.stamp()
	return j, nil
}
