package invseed

import (
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/p2c/p2c/internal/inventory"
)

// channelKind names a channel's update operation and request shape, and
// the secrets its GET never returns.
type channelKind struct {
	op, request string
}

var channelKinds = map[string]channelKind{
	"EMAIL":             {"Email", "EmailChannelRequest"},
	"SMS":               {"Sms", "SMSChannelRequest"},
	"VOICE":             {"Voice", "VoiceChannelRequest"},
	"APNS":              {"Apns", "APNSChannelRequest"},
	"APNS_SANDBOX":      {"ApnsSandbox", "APNSSandboxChannelRequest"},
	"APNS_VOIP":         {"ApnsVoip", "APNSVoipChannelRequest"},
	"APNS_VOIP_SANDBOX": {"ApnsVoipSandbox", "APNSVoipSandboxChannelRequest"},
	"GCM":               {"Gcm", "GCMChannelRequest"},
	"BAIDU":             {"Baidu", "BaiduChannelRequest"},
	"ADM":               {"Adm", "ADMChannelRequest"},
}

func (b *builder) app(a *inventory.App, m *metricsSeed) error {
	o := object(a.Object)
	name := firstNonEmpty(a.Name, str(o, "Name"))
	if a.ID == "" || name == "" {
		b.notef("app %q: no id or name in the inventory; not rebuilt", a.ID)
		return nil
	}
	req := map[string]any{"Name": name}
	tags := map[string]any{}
	for k, v := range sub(o, "tags") {
		tags[k] = v
	}
	for k, v := range a.Tags {
		tags[k] = v
	}
	if len(tags) > 0 {
		req["tags"] = tags
	}
	b.add(svcPinpoint, "CreateApp", map[string]any{"CreateApplicationRequest": req},
		map[string]string{"app." + a.ID: "Id", "apparn." + a.ID: "Arn"})
	b.apps[a.ID] = true
	appRef := ref("app", a.ID)
	what := "app " + name

	if s := object(a.Settings); s != nil {
		w := b.prune("WriteApplicationSettingsRequest", s)
		if !allEmpty(w) {
			b.add(svcPinpoint, "UpdateApplicationSettings", map[string]any{"ApplicationId": appRef, "WriteApplicationSettingsRequest": w}, nil)
		}
	}
	if es := object(a.EventStream); es != nil {
		b.add(svcPinpoint, "PutEventStream", map[string]any{"ApplicationId": appRef, "WriteEventStream": b.prune("WriteEventStream", es)}, nil)
	}
	for _, typ := range sortedKeys(a.Channels) {
		b.channel(what, appRef, typ, object(a.Channels[typ]))
	}
	if st := a.EndpointStats; st != nil && st.Total > 0 {
		b.notef("%s: its %d endpoints are not in an inventory (only their statistics); import an endpoint export to rehearse with them", what, st.Total)
	} else {
		b.notef("%s: endpoints are not in an inventory (only statistics); the rebuilt app has none", what)
	}
	if err := b.segments(a, appRef, what); err != nil {
		return err
	}
	b.campaigns(a, appRef, what, m)
	b.journeys(a, appRef, what, m)
	m.kpis(a.KPIs, appRef)
	return nil
}

func allEmpty(m map[string]any) bool {
	for _, v := range m {
		if sm, ok := v.(map[string]any); ok && len(sm) == 0 {
			continue
		}
		return false
	}
	return true
}

// channel recreates one channel with its recorded settings; secrets are
// never in an inventory, so they are placeholders.
func (b *builder) channel(what, appRef, typ string, o map[string]any) {
	kind, ok := channelKinds[typ]
	if !ok || o == nil {
		if ok {
			b.notef("%s: channel %s has no object in the inventory; not rebuilt", what, typ)
		}
		return
	}
	req := b.prune(kind.request, o)
	secret := ""
	switch typ {
	case "APNS", "APNS_SANDBOX", "APNS_VOIP", "APNS_VOIP_SANDBOX":
		if has, _ := o["HasTokenKey"].(bool); has || str(o, "DefaultAuthenticationMethod") == "TOKEN" {
			req["TokenKey"], req["TokenKeyId"], req["TeamId"], req["BundleId"] = Placeholder, Placeholder, Placeholder, Placeholder
			secret = "token key, key id, team id and bundle id"
		} else {
			req["Certificate"], req["PrivateKey"] = Placeholder, Placeholder
			secret = "certificate and private key"
		}
	case "GCM":
		if has, _ := o["HasFcmServiceCredentials"].(bool); has {
			req["ServiceJson"] = `{"type":"service_account","project_id":"` + Placeholder + `"}`
			secret = "FCM service JSON"
		} else {
			req["ApiKey"] = Placeholder
			secret = "API key"
		}
	case "BAIDU":
		req["ApiKey"], req["SecretKey"] = Placeholder, Placeholder
		secret = "API key and secret key"
	case "ADM":
		req["ClientId"], req["ClientSecret"] = Placeholder, Placeholder
		secret = "client id and secret"
	}
	b.add(svcPinpoint, "Update"+kind.op+"Channel", map[string]any{"ApplicationId": appRef, kind.request: req}, nil)
	if secret != "" {
		b.notef("%s: channel %s has placeholder credentials (%s %q): secrets are never in an inventory", what, typ, secret, Placeholder)
	}
}

// ---- segments ----

// segments recreates segments so that every segment a segment group names
// exists first, with every version.
func (b *builder) segments(a *inventory.App, appRef, what string) error {
	byID := map[string]*inventory.Segment{}
	for i := range a.Segments {
		byID[a.Segments[i].ID] = &a.Segments[i]
	}
	order, err := segmentOrder(a.Segments)
	if err != nil {
		return err
	}
	for _, id := range order {
		s := byID[id]
		versions := segmentVersions(s)
		if len(versions) == 0 {
			b.notef("%s: segment %s has no object in the inventory; not rebuilt", what, id)
			continue
		}
		name := firstNonEmpty(s.Name, str(versions[len(versions)-1], "Name"))
		segWhat := what + ": segment " + name
		// A segment group naming a segment that is not rebuilt would be
		// refused.
		missing := ""
		for _, v := range versions {
			for _, src := range sourceSegments(v) {
				if !b.segs[src] {
					missing = src
				}
			}
		}
		if missing != "" {
			b.notef("%s: its segment groups name segment %s, which is not rebuilt; not rebuilt", segWhat, missing)
			continue
		}
		if str(versions[0], "SegmentType") == "IMPORT" {
			b.importedSegment(a.ID, appRef, s, versions, segWhat)
			continue
		}
		for i, v := range versions {
			req := b.prune("WriteSegmentRequest", b.checkRefs(segWhat, v).(map[string]any))
			b.sourceRefs(req)
			b.rewrite(req)
			if i == 0 {
				delete(req, "tags")
				if tags := sub(versions[len(versions)-1], "tags"); len(tags) > 0 {
					req["tags"] = tags
				}
				b.add(svcPinpoint, "CreateSegment", map[string]any{"ApplicationId": appRef, "WriteSegmentRequest": req},
					map[string]string{"seg." + id: "Id"})
				continue
			}
			delete(req, "tags")
			b.add(svcPinpoint, "UpdateSegment", map[string]any{"ApplicationId": appRef, "SegmentId": ref("seg", id), "WriteSegmentRequest": req}, nil)
		}
		b.segs[id] = true
	}
	return nil
}

// importedSegment recreates an IMPORT segment by importing an empty file:
// the segment keeps its name, type and version count, but its members were
// in files the inventory does not hold.
func (b *builder) importedSegment(appID, appRef string, s *inventory.Segment, versions []map[string]any, what string) {
	if !b.bucketMade {
		b.add(svcS3, "CreateBucket", map[string]any{"Bucket": ImportBucket}, nil)
		b.bucketMade = true
	}
	key := b.region + "/" + appID + "/" + s.ID + ".csv"
	b.add(svcS3, "PutObject", map[string]any{"Bucket": ImportBucket, "Key": key, "Body": "ChannelType,Address\n"}, nil)
	size := 0.0
	for i, v := range versions {
		def := sub(v, "ImportDefinition")
		size, _ = def["Size"].(float64)
		req := map[string]any{"DefineSegment": true, "RegisterEndpoints": true, "Format": "CSV",
			"S3Url":       "s3://" + ImportBucket + "/" + key,
			"RoleArn":     firstNonEmpty(str(def, "RoleArn"), "arn:aws:iam::111122223333:role/"+Placeholder),
			"SegmentName": firstNonEmpty(str(v, "Name"), s.Name)}
		if ext := str(def, "ExternalId"); ext != "" {
			req["ExternalId"] = ext
		}
		in := map[string]any{"ApplicationId": appRef, "ImportJobRequest": req}
		if i == 0 {
			b.add(svcPinpoint, "CreateImportJob", in, map[string]string{"seg." + s.ID: "Definition.SegmentId"})
			continue
		}
		req["SegmentId"] = ref("seg", s.ID)
		b.add(svcPinpoint, "CreateImportJob", in, nil)
	}
	b.segs[s.ID] = true
	b.notef("%s: imported segment rebuilt from an empty file (s3://%s/%s): its %v members were in import files the inventory does not hold", what, ImportBucket, key, size)
}

func segmentVersions(s *inventory.Segment) []map[string]any {
	var out []map[string]any
	for _, raw := range s.Versions {
		if o := object(raw); o != nil {
			out = append(out, o)
		}
	}
	if len(out) == 0 {
		if o := object(s.Object); o != nil {
			out = append(out, o)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		x, _ := out[i]["Version"].(float64)
		y, _ := out[j]["Version"].(float64)
		return x < y
	})
	return out
}

func sourceSegments(v map[string]any) []string {
	var out []string
	for _, g := range list(sub(v, "SegmentGroups"), "Groups") {
		gm, _ := g.(map[string]any)
		for _, src := range list(gm, "SourceSegments") {
			if sm, ok := src.(map[string]any); ok && str(sm, "Id") != "" {
				out = append(out, str(sm, "Id"))
			}
		}
	}
	return out
}

// sourceRefs rewrites the segment ids a segment group names.
func (b *builder) sourceRefs(req map[string]any) {
	for _, g := range list(sub(req, "SegmentGroups"), "Groups") {
		gm, _ := g.(map[string]any)
		for _, src := range list(gm, "SourceSegments") {
			if sm, ok := src.(map[string]any); ok && b.segs[str(sm, "Id")] {
				sm["Id"] = ref("seg", str(sm, "Id"))
			}
		}
	}
}

// segmentOrder sorts segments so that each comes after the segments its
// groups name (any version). Segments named but not in the app are left to
// the caller; a cycle is an error.
func segmentOrder(segs []inventory.Segment) ([]string, error) {
	deps := map[string][]string{}
	ids := make([]string, 0, len(segs))
	for i := range segs {
		s := &segs[i]
		ids = append(ids, s.ID)
		seen := map[string]bool{}
		for _, v := range segmentVersions(s) {
			for _, d := range sourceSegments(v) {
				if !seen[d] && d != s.ID {
					seen[d] = true
					deps[s.ID] = append(deps[s.ID], d)
				}
			}
		}
		sort.Strings(deps[s.ID])
	}
	sort.Strings(ids)
	known := map[string]bool{}
	for _, id := range ids {
		known[id] = true
	}
	const (
		unvisited = iota
		visiting
		done
	)
	state := map[string]int{}
	var out []string
	var visit func(id string, path []string) error
	visit = func(id string, path []string) error {
		switch state[id] {
		case done:
			return nil
		case visiting:
			return fmt.Errorf("segments %s form a cycle of segment groups", strings.Join(append(path, id), " -> "))
		}
		state[id] = visiting
		for _, d := range deps[id] {
			if known[d] {
				if err := visit(d, append(path, id)); err != nil {
					return err
				}
			}
		}
		state[id] = done
		out = append(out, id)
		return nil
	}
	for _, id := range ids {
		if err := visit(id, nil); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// ---- campaigns ----

func (b *builder) campaigns(a *inventory.App, appRef, what string, m *metricsSeed) {
	for _, c := range a.Campaigns {
		versions := make([]map[string]any, 0, len(c.Versions))
		for _, raw := range c.Versions {
			if o := object(raw); o != nil {
				versions = append(versions, o)
			}
		}
		if len(versions) == 0 {
			if o := object(c.Object); o != nil {
				versions = append(versions, o)
			}
		}
		if len(versions) == 0 {
			b.notef("%s: campaign %s has no object in the inventory; not rebuilt", what, c.ID)
			continue
		}
		sort.SliceStable(versions, func(i, j int) bool {
			x, _ := versions[i]["Version"].(float64)
			y, _ := versions[j]["Version"].(float64)
			return x < y
		})
		name := firstNonEmpty(c.Name, str(versions[len(versions)-1], "Name"))
		cWhat := what + ": campaign " + name
		skip := ""
		for _, v := range versions {
			if seg := str(v, "SegmentId"); !b.segs[seg] {
				skip = seg
			}
		}
		if skip != "" {
			b.notef("%s: its segment %s is not rebuilt; not rebuilt", cWhat, skip)
			continue
		}
		for i, v := range versions {
			req := b.prune("WriteCampaignRequest", b.checkRefs(cWhat, v).(map[string]any))
			b.templateConfig(sub(req, "TemplateConfiguration"))
			for _, t := range list(req, "AdditionalTreatments") {
				if tm, ok := t.(map[string]any); ok {
					b.templateConfig(sub(tm, "TemplateConfiguration"))
				}
			}
			b.rewrite(req)
			delete(req, "tags")
			if i == 0 {
				if tags := sub(versions[len(versions)-1], "tags"); len(tags) > 0 {
					req["tags"] = tags
				}
				b.add(svcPinpoint, "CreateCampaign", map[string]any{"ApplicationId": appRef, "WriteCampaignRequest": req},
					map[string]string{"camp." + c.ID: "Id"})
				b.camps[c.ID] = true
				continue
			}
			b.add(svcPinpoint, "UpdateCampaign", map[string]any{"ApplicationId": appRef, "CampaignId": ref("camp", c.ID), "WriteCampaignRequest": req}, nil)
		}
		campRef := ref("camp", c.ID)
		for _, act := range c.Activities {
			if o := object(act.Object); o != nil {
				m.CampaignActivities = append(m.CampaignActivities, map[string]any{"campaignId": campRef, "activity": b.rewrite(o)})
			}
		}
		m.kpis(c.KPIs, campRef)
	}
}

// ---- journeys ----

// journeyPaths are the UpdateJourneyState steps from DRAFT to each state,
// as the service allows them (DRAFT->ACTIVE|CANCELLED,
// ACTIVE->PAUSED|CANCELLED|COMPLETED, PAUSED->ACTIVE|CANCELLED).
var journeyPaths = map[string][]string{
	"DRAFT":     nil,
	"ACTIVE":    {"ACTIVE"},
	"PAUSED":    {"ACTIVE", "PAUSED"},
	"CANCELLED": {"CANCELLED"},
	"COMPLETED": {"ACTIVE", "COMPLETED"},
}

func (b *builder) journeys(a *inventory.App, appRef, what string, m *metricsSeed) {
	for _, j := range a.Journeys {
		o := object(j.Object)
		if o == nil {
			b.notef("%s: journey %s has no object in the inventory; not rebuilt", what, j.ID)
			continue
		}
		name := firstNonEmpty(j.Name, str(o, "Name"))
		jWhat := what + ": journey " + name
		if seg := missingSegment(o, b.segs); seg != "" {
			b.notef("%s: its segment %s is not rebuilt; not rebuilt", jWhat, seg)
			continue
		}
		req := b.prune("WriteJourneyRequest", b.checkRefs(jWhat, o).(map[string]any))
		// State is reached through UpdateJourneyState below; dates are the
		// service's own.
		delete(req, "State")
		delete(req, "CreationDate")
		delete(req, "LastModifiedDate")
		for _, act := range sub(req, "Activities") {
			am, _ := act.(map[string]any)
			for _, typ := range []string{"EMAIL", "SMS", "PUSH"} {
				b.templateVersionRefs(typ, sub(am, typ), "TemplateName", "TemplateVersion")
			}
		}
		b.rewrite(req)
		b.add(svcPinpoint, "CreateJourney", map[string]any{"ApplicationId": appRef, "WriteJourneyRequest": req},
			map[string]string{"jrn." + j.ID: "Id"})
		b.jrns[j.ID] = true
		jrnRef := ref("jrn", j.ID)
		if tags := sub(o, "tags"); len(tags) > 0 {
			// Journeys take no tags at create; TagResource takes the ARN
			// (app ARN + /journeys/id).
			b.add(svcPinpoint, "TagResource", map[string]any{"ResourceArn": "${apparn." + a.ID + "}/journeys/" + jrnRef,
				"TagsModel": map[string]any{"tags": tags}}, nil)
		}
		state := firstNonEmpty(str(o, "State"), j.State, "DRAFT")
		path, ok := journeyPaths[state]
		if !ok {
			b.notef("%s: state %s cannot be reached through UpdateJourneyState; left in DRAFT", jWhat, state)
		}
		for _, st := range path {
			b.add(svcPinpoint, "UpdateJourneyState", map[string]any{"ApplicationId": appRef, "JourneyId": jrnRef,
				"JourneyStateRequest": map[string]any{"State": st}}, nil)
		}
		m.journey(&j, jrnRef, b)
	}
}

// missingSegment names a segment the journey refers to (start condition,
// split conditions) that is not rebuilt.
func missingSegment(v any, segs map[string]bool) string {
	switch t := v.(type) {
	case map[string]any:
		if id, ok := t["SegmentId"].(string); ok && id != "" && !segs[id] {
			return id
		}
		for _, k := range sortedKeys(t) {
			if s := missingSegment(t[k], segs); s != "" {
				return s
			}
		}
	case []any:
		for _, x := range t {
			if s := missingSegment(x, segs); s != "" {
				return s
			}
		}
	}
	return ""
}

// ---- analytics ----

// metricsSeed collects the input of one emulator SeedMetrics call.
type metricsSeed struct {
	KPIs               []any
	CampaignActivities []any
	JourneyRuns        []any
	JourneyMetrics     []any
}

func (m *metricsSeed) empty() bool {
	return len(m.KPIs)+len(m.CampaignActivities)+len(m.JourneyRuns)+len(m.JourneyMetrics) == 0
}

func (m *metricsSeed) input() map[string]any {
	in := map[string]any{}
	if len(m.KPIs) > 0 {
		in["kpis"] = m.KPIs
	}
	if len(m.CampaignActivities) > 0 {
		in["campaignActivities"] = m.CampaignActivities
	}
	if len(m.JourneyRuns) > 0 {
		in["journeyRuns"] = m.JourneyRuns
	}
	if len(m.JourneyMetrics) > 0 {
		in["journeyMetrics"] = m.JourneyMetrics
	}
	return in
}

// kpis turns recorded KPI pages back into daily figures. A row grouped by
// date gives that day; an ungrouped row is the total (or for rates the
// mean) over the query's range, so it becomes one figure on the range's
// second day: inside that range and outside the range before it, whose end
// is this one's start.
func (m *metricsSeed) kpis(ks []inventory.KPI, resource string) {
	for _, k := range ks {
		day := k.Start.UTC().Truncate(24 * time.Hour)
		if next := day.AddDate(0, 0, 1); !next.After(k.End) {
			day = next
		}
		for _, page := range k.Pages {
			var body struct {
				KpiResult struct {
					Rows []struct {
						GroupedBys []struct{ Key, Value string }
						Values     []struct{ Key, Value string }
					}
				}
			}
			if json.Unmarshal(page, &body) != nil {
				continue
			}
			for _, row := range body.KpiResult.Rows {
				date := day.Format("2006-01-02")
				for _, g := range row.GroupedBys {
					if g.Key == "Date" && g.Value != "" {
						date = g.Value
					}
				}
				for _, v := range row.Values {
					f, err := strconv.ParseFloat(v.Value, 64)
					if err != nil {
						continue
					}
					m.KPIs = append(m.KPIs, map[string]any{"resourceId": resource, "kpiName": k.Name, "date": date, "value": f})
					break
				}
			}
		}
	}
}

func (m *metricsSeed) journey(j *inventory.Journey, jrnRef string, b *builder) {
	for _, r := range j.Runs {
		if o := object(r.Object); o != nil {
			m.JourneyRuns = append(m.JourneyRuns, map[string]any{"journeyId": jrnRef, "run": b.rewrite(o)})
		}
	}
	add := func(raw json.RawMessage, run, activity string) {
		var body struct {
			ActivityType string
			Metrics      map[string]string
		}
		if json.Unmarshal(raw, &body) != nil || len(body.Metrics) == 0 {
			return
		}
		e := map[string]any{"journeyId": jrnRef, "metrics": body.Metrics}
		if run != "" {
			e["runId"] = run
		}
		if activity != "" {
			e["activityId"] = activity
			if body.ActivityType != "" {
				e["activityType"] = body.ActivityType
			}
		}
		m.JourneyMetrics = append(m.JourneyMetrics, e)
	}
	add(j.ExecutionMetrics, "", "")
	for _, id := range sortedKeys(j.ActivityMetrics) {
		add(j.ActivityMetrics[id], "", id)
	}
	for _, id := range sortedKeys(j.RunMetrics) {
		add(j.RunMetrics[id], id, "")
	}
	m.kpis(j.KPIs, jrnRef)
}
