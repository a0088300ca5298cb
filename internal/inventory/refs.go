package inventory

import (
	"encoding/json"
	"sort"
	"strconv"
)

// Reference kinds.
const (
	KindApp         = "app"
	KindSegment     = "segment"
	KindCampaign    = "campaign"
	KindJourney     = "journey"
	KindActivity    = "journey-activity"
	KindTemplate    = "template"
	KindRecommender = "recommender"
	KindChannel     = "channel"
	KindEventStream = "event-stream"
	KindSettings    = "settings"
	// KindExternal is a resource outside Pinpoint (Lambda, HTTPS endpoint,
	// Connect campaign, SES identity, Kinesis stream, IAM role, Personalize
	// campaign). It is recorded but cannot dangle: p2c cannot see it.
	KindExternal = "external"
)

// ResolveReferences recomputes inv.References and inv.Dangling from the
// raw objects. Only the current version of each campaign and segment is
// followed; history is kept but not what runs next.
func ResolveReferences(inv *Inventory) {
	inv.References, inv.Dangling = nil, nil
	for ri := range inv.Regions {
		r := &inv.Regions[ri]
		rs := &resolver{inv: inv, region: r}
		rs.index()
		for ai := range r.Apps {
			rs.app(&r.Apps[ai])
		}
		for _, t := range r.Templates {
			rs.template(t)
		}
		for _, rec := range r.Recommenders {
			rs.recommender(rec)
		}
	}
	sortRefs(inv.References)
	sortRefs(inv.Dangling)
}

// ReferencesTo lists the references whose target is the given resource
// (e.g. who uses a template), ignoring the target version.
func (inv *Inventory) ReferencesTo(kind, region, app, id string) []Reference {
	var out []Reference
	for _, r := range inv.References {
		if r.To.Kind == kind && r.To.Region == region && r.To.App == app && r.To.ID == id {
			out = append(out, r)
		}
	}
	return out
}

type resolver struct {
	inv    *Inventory
	region *Region
	// templates: name -> type -> versions (nil when no history was read)
	templates    map[string]map[string]map[string]bool
	recommenders map[string]bool
	// segments of the current app: id -> versions
	segments map[string]map[int]bool
}

func (rs *resolver) index() {
	rs.templates = map[string]map[string]map[string]bool{}
	for _, t := range rs.region.Templates {
		if rs.templates[t.Name] == nil {
			rs.templates[t.Name] = map[string]map[string]bool{}
		}
		var vs map[string]bool
		if len(t.Versions) > 0 {
			vs = map[string]bool{}
			for _, v := range t.Versions {
				vs[v.Version] = true
			}
		}
		rs.templates[t.Name][t.Type] = vs
	}
	rs.recommenders = map[string]bool{}
	for _, r := range rs.region.Recommenders {
		rs.recommenders[r.ID] = true
	}
}

func (rs *resolver) add(from Ref, field string, to Ref, exists bool) {
	ref := Reference{From: from, Field: field, To: to}
	rs.inv.References = append(rs.inv.References, ref)
	if !exists {
		rs.inv.Dangling = append(rs.inv.Dangling, ref)
	}
}

func (rs *resolver) external(from Ref, field, typ, id string) {
	if id == "" {
		return
	}
	rs.add(from, field, Ref{Kind: KindExternal, Type: typ, ID: id}, true)
}

func (rs *resolver) segmentRef(from Ref, field, app, id string, version int) {
	if id == "" {
		return
	}
	to := Ref{Kind: KindSegment, Region: rs.region.Name, App: app, ID: id}
	vs, ok := rs.segments[id]
	if version > 0 {
		to.Version = strconv.Itoa(version)
		if ok && len(vs) > 0 {
			ok = vs[version]
		}
	}
	rs.add(from, field, to, ok)
}

// templateRef checks a template by name, type ("" = any) and version.
func (rs *resolver) templateRef(from Ref, field, name, typ, version string) {
	if name == "" {
		return
	}
	to := Ref{Kind: KindTemplate, Region: rs.region.Name, ID: name, Type: typ, Version: version}
	types, ok := rs.templates[name]
	if ok && typ != "" {
		var vs map[string]bool
		vs, ok = types[typ]
		if ok && version != "" && vs != nil {
			ok = vs[version]
		}
	}
	rs.add(from, field, to, ok)
}

type templateRef struct{ Name, Version string }

type templateConfiguration struct {
	EmailTemplate, SMSTemplate, PushTemplate, VoiceTemplate, InAppTemplate *templateRef
}

func (rs *resolver) templateConfig(from Ref, prefix string, tc *templateConfiguration) {
	if tc == nil {
		return
	}
	for _, x := range []struct {
		field, typ string
		t          *templateRef
	}{
		{"EmailTemplate", "EMAIL", tc.EmailTemplate},
		{"SMSTemplate", "SMS", tc.SMSTemplate},
		{"PushTemplate", "PUSH", tc.PushTemplate},
		{"VoiceTemplate", "VOICE", tc.VoiceTemplate},
		{"InAppTemplate", "INAPP", tc.InAppTemplate},
	} {
		if x.t != nil {
			rs.templateRef(from, prefix+"TemplateConfiguration."+x.field, x.t.Name, x.typ, x.t.Version)
		}
	}
}

type campaignObj struct {
	SegmentId      string
	SegmentVersion int
	Hook           *struct{ LambdaFunctionName string }
	CustomDelivery *struct{ DeliveryUri string } `json:"CustomDeliveryConfiguration"`
	TemplateConfig *templateConfiguration        `json:"TemplateConfiguration"`
	Treatments     []struct {
		Id             string
		CustomDelivery *struct{ DeliveryUri string } `json:"CustomDeliveryConfiguration"`
		TemplateConfig *templateConfiguration        `json:"TemplateConfiguration"`
	} `json:"AdditionalTreatments"`
}

type segmentObj struct {
	SegmentGroups *struct {
		Groups []struct {
			SourceSegments []struct {
				Id      string
				Version int
			}
		}
	}
}

type simpleCondition struct {
	EventCondition   *struct{ MessageActivity string }
	SegmentCondition *struct{ SegmentId string }
}

type journeyObj struct {
	StartCondition *struct {
		SegmentStartCondition *struct{ SegmentId string }
		EventStartCondition   *struct{ SegmentId string }
	}
	JourneyChannelSettings *struct{ ConnectCampaignArn string }
	Activities             map[string]struct {
		EMAIL, SMS, PUSH *struct{ TemplateName, TemplateVersion string }
		CUSTOM           *struct{ TemplateName, TemplateVersion, DeliveryUri string }
		ConditionalSplit *struct {
			Condition *struct{ Conditions []simpleCondition }
		}
		MultiCondition *struct {
			Branches []struct{ Condition *simpleCondition }
		}
	}
}

func (rs *resolver) app(a *App) {
	region := rs.region.Name
	rs.segments = map[string]map[int]bool{}
	for _, s := range a.Segments {
		vs := map[int]bool{}
		if s.Version > 0 {
			vs[s.Version] = true
		}
		for _, raw := range s.Versions {
			var v struct{ Version int }
			if json.Unmarshal(raw, &v) == nil && v.Version > 0 {
				vs[v.Version] = true
			}
		}
		rs.segments[s.ID] = vs
	}

	if len(a.Settings) > 0 {
		var st struct {
			CampaignHook *struct{ LambdaFunctionName, WebUrl string }
		}
		if json.Unmarshal(a.Settings, &st) == nil && st.CampaignHook != nil {
			from := Ref{Kind: KindSettings, Region: region, App: a.ID, ID: a.ID}
			rs.external(from, "CampaignHook.LambdaFunctionName", "lambda", st.CampaignHook.LambdaFunctionName)
			rs.external(from, "CampaignHook.WebUrl", "https", st.CampaignHook.WebUrl)
		}
	}
	if len(a.EventStream) > 0 {
		var es struct{ DestinationStreamArn, RoleArn string }
		if json.Unmarshal(a.EventStream, &es) == nil {
			from := Ref{Kind: KindEventStream, Region: region, App: a.ID, ID: a.ID}
			rs.external(from, "DestinationStreamArn", "stream", es.DestinationStreamArn)
			rs.external(from, "RoleArn", "iam-role", es.RoleArn)
		}
	}
	if raw, ok := a.Channels["EMAIL"]; ok {
		var ec struct{ Identity, ConfigurationSet string }
		if json.Unmarshal(raw, &ec) == nil {
			from := Ref{Kind: KindChannel, Region: region, App: a.ID, ID: "EMAIL"}
			rs.external(from, "Identity", "ses-identity", ec.Identity)
			rs.external(from, "ConfigurationSet", "ses-configuration-set", ec.ConfigurationSet)
		}
	}

	for _, s := range a.Segments {
		var so segmentObj
		if json.Unmarshal(s.Object, &so) != nil || so.SegmentGroups == nil {
			continue
		}
		from := Ref{Kind: KindSegment, Region: region, App: a.ID, ID: s.ID, Version: versionString(s.Version)}
		for _, g := range so.SegmentGroups.Groups {
			for _, src := range g.SourceSegments {
				rs.segmentRef(from, "SegmentGroups.Groups.SourceSegments", a.ID, src.Id, src.Version)
			}
		}
	}

	for _, c := range a.Campaigns {
		var co campaignObj
		if json.Unmarshal(c.Object, &co) != nil {
			continue
		}
		from := Ref{Kind: KindCampaign, Region: region, App: a.ID, ID: c.ID, Version: versionString(c.Version)}
		rs.segmentRef(from, "SegmentId", a.ID, co.SegmentId, co.SegmentVersion)
		rs.templateConfig(from, "", co.TemplateConfig)
		if co.Hook != nil {
			rs.external(from, "Hook.LambdaFunctionName", "lambda", co.Hook.LambdaFunctionName)
		}
		if co.CustomDelivery != nil {
			rs.external(from, "CustomDeliveryConfiguration.DeliveryUri", deliveryType(co.CustomDelivery.DeliveryUri), co.CustomDelivery.DeliveryUri)
		}
		for _, t := range co.Treatments {
			prefix := "AdditionalTreatments[" + t.Id + "]."
			rs.templateConfig(from, prefix, t.TemplateConfig)
			if t.CustomDelivery != nil {
				rs.external(from, prefix+"CustomDeliveryConfiguration.DeliveryUri", deliveryType(t.CustomDelivery.DeliveryUri), t.CustomDelivery.DeliveryUri)
			}
		}
	}

	for _, j := range a.Journeys {
		var jo journeyObj
		if json.Unmarshal(j.Object, &jo) != nil {
			continue
		}
		from := Ref{Kind: KindJourney, Region: region, App: a.ID, ID: j.ID}
		if sc := jo.StartCondition; sc != nil {
			if sc.SegmentStartCondition != nil {
				rs.segmentRef(from, "StartCondition.SegmentStartCondition.SegmentId", a.ID, sc.SegmentStartCondition.SegmentId, 0)
			}
			if sc.EventStartCondition != nil {
				rs.segmentRef(from, "StartCondition.EventStartCondition.SegmentId", a.ID, sc.EventStartCondition.SegmentId, 0)
			}
		}
		if jo.JourneyChannelSettings != nil {
			rs.external(from, "JourneyChannelSettings.ConnectCampaignArn", "connect-campaign", jo.JourneyChannelSettings.ConnectCampaignArn)
		}
		ids := make([]string, 0, len(jo.Activities))
		for id := range jo.Activities {
			ids = append(ids, id)
		}
		sort.Strings(ids)
		for _, id := range ids {
			act := jo.Activities[id]
			f := "Activities[" + id + "]."
			for _, m := range []struct {
				typ string
				a   *struct{ TemplateName, TemplateVersion string }
			}{{"EMAIL", act.EMAIL}, {"SMS", act.SMS}, {"PUSH", act.PUSH}} {
				if m.a != nil {
					rs.templateRef(from, f+m.typ+".TemplateName", m.a.TemplateName, m.typ, m.a.TemplateVersion)
				}
			}
			if c := act.CUSTOM; c != nil {
				rs.templateRef(from, f+"CUSTOM.TemplateName", c.TemplateName, "", c.TemplateVersion)
				rs.external(from, f+"CUSTOM.DeliveryUri", deliveryType(c.DeliveryUri), c.DeliveryUri)
			}
			var conds []simpleCondition
			if cs := act.ConditionalSplit; cs != nil && cs.Condition != nil {
				conds = append(conds, cs.Condition.Conditions...)
			}
			if mc := act.MultiCondition; mc != nil {
				for _, b := range mc.Branches {
					if b.Condition != nil {
						conds = append(conds, *b.Condition)
					}
				}
			}
			for _, c := range conds {
				if c.SegmentCondition != nil {
					rs.segmentRef(from, f+"SegmentCondition.SegmentId", a.ID, c.SegmentCondition.SegmentId, 0)
				}
				if c.EventCondition != nil && c.EventCondition.MessageActivity != "" {
					_, ok := jo.Activities[c.EventCondition.MessageActivity]
					to := Ref{Kind: KindActivity, Region: region, App: a.ID, ID: j.ID + "/" + c.EventCondition.MessageActivity}
					rs.add(from, f+"EventCondition.MessageActivity", to, ok)
				}
			}
		}
	}
}

func (rs *resolver) template(t Template) {
	raw := t.Object
	if len(raw) == 0 {
		return
	}
	var o struct{ RecommenderId string }
	if json.Unmarshal(raw, &o) != nil || o.RecommenderId == "" {
		return
	}
	from := Ref{Kind: KindTemplate, Region: rs.region.Name, ID: t.Name, Type: t.Type, Version: t.ActiveVersion}
	rs.add(from, "RecommenderId", Ref{Kind: KindRecommender, Region: rs.region.Name, ID: o.RecommenderId}, rs.recommenders[o.RecommenderId])
}

func (rs *resolver) recommender(r Object) {
	var o struct{ RecommendationProviderUri, RecommendationTransformerUri, RecommendationProviderRoleArn string }
	if json.Unmarshal(r.Object, &o) != nil {
		return
	}
	from := Ref{Kind: KindRecommender, Region: rs.region.Name, ID: r.ID}
	rs.external(from, "RecommendationProviderUri", "personalize-campaign", o.RecommendationProviderUri)
	rs.external(from, "RecommendationTransformerUri", "lambda", o.RecommendationTransformerUri)
	rs.external(from, "RecommendationProviderRoleArn", "iam-role", o.RecommendationProviderRoleArn)
}

func versionString(v int) string {
	if v <= 0 {
		return ""
	}
	return strconv.Itoa(v)
}

// deliveryType tells a Lambda function from an HTTPS endpoint.
func deliveryType(uri string) string {
	if len(uri) >= 8 && uri[:8] == "https://" {
		return "https"
	}
	return "lambda"
}
