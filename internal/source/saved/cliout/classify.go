package cliout

import (
	"encoding/json"
	"strings"
)

// obj is a decoded object's top-level members.
type obj map[string]json.RawMessage

func (o obj) has(names ...string) bool {
	for _, n := range names {
		if v, ok := o[n]; !ok || string(v) == "null" {
			return false
		}
	}
	return true
}

func (o obj) any(names ...string) bool {
	for _, n := range names {
		if o.has(n) {
			return true
		}
	}
	return false
}

// str reads a string or number member as text.
func (o obj) str(name string) string {
	return text(o[name])
}

func text(raw json.RawMessage) string {
	if len(raw) == 0 {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var n json.Number
	if json.Unmarshal(raw, &n) == nil {
		return n.String()
	}
	return ""
}

func asObj(raw []byte) (obj, bool) {
	var o obj
	if json.Unmarshal(raw, &o) != nil || o == nil {
		return nil, false
	}
	return o, true
}

// Kinds of bare body that are not one Pinpoint shape.
const (
	bareList = "list" // {"Item": [...]} of any Pinpoint list operation
)

// classifyBare names the Pinpoint or EUM shape of a body printed without
// the CLI's wrapper object, by the members that characterise it. Every
// rule asks for a member the service assigns (Id, Arn, CreationDate,
// a status): request bodies (WriteSegmentRequest and the like) have none
// and stay unclassified. It returns "" for anything else.
func classifyBare(o obj) string {
	t := model()
	switch {
	case o.has("KpiName", "KpiResult"):
		switch {
		case o.has("CampaignId"):
			return "CampaignDateRangeKpiResponse"
		case o.has("JourneyId"):
			return "JourneyDateRangeKpiResponse"
		case o.has("ApplicationId"):
			return "ApplicationDateRangeKpiResponse"
		}
	case o.has("ApplicationId", "JourneyId", "Metrics"):
		switch {
		case o.has("RunId", "JourneyActivityId"):
			return "JourneyRunExecutionActivityMetricsResponse"
		case o.has("RunId"):
			return "JourneyRunExecutionMetricsResponse"
		case o.has("JourneyActivityId"):
			return "JourneyExecutionActivityMetricsResponse"
		}
		return "JourneyExecutionMetricsResponse"
	case o.has("ApplicationId", "DestinationStreamArn"):
		return "EventStream"
	case o.has("TemplateName", "TemplateType") && o.any("CreationDate", "LastModifiedDate", "Arn"):
		return classifyTemplate(o)
	case o.has("ApplicationId", "Id", "SegmentType"):
		return "SegmentResponse"
	case o.has("ApplicationId", "Id") && o.any("Activities", "StartActivity", "StartCondition", "JourneyChannelSettings") && !o.has("SegmentId"):
		return "JourneyResponse"
	case o.has("ApplicationId", "CampaignId", "Id"):
		return "ActivityResponse"
	case o.has("ApplicationId", "Id", "SegmentId") && o.any("Schedule", "SegmentVersion", "MessageConfiguration"):
		return "CampaignResponse"
	case o.has("ApplicationId", "Id", "JobStatus", "Definition"):
		if typ := o.str("Type"); strings.EqualFold(typ, "IMPORT") {
			return "ImportJobResponse"
		} else if strings.EqualFold(typ, "EXPORT") {
			return "ExportJobResponse"
		}
		if d, ok := asObj(o["Definition"]); ok && d.has("S3Url") {
			return "ImportJobResponse"
		}
		return "ExportJobResponse"
	case o.has("Id", "RecommendationProviderUri", "CreationDate"):
		return "RecommenderConfigurationResponse"
	case o.has("ApplicationId", "ChannelType") && o.any("EndpointStatus", "CohortId", "EffectiveDate", "CreationDate"):
		return "EndpointResponse"
	case o.has("Channels") && len(o) == 1:
		if _, ok := asObj(o["Channels"]); ok {
			return "ChannelsResponse"
		}
	case o.has("ApplicationId") && isChannel(o) != "":
		return t.channelShape[isChannel(o)]
	case o.has("ApplicationId") && !o.has("Id") && o.any("CampaignHook", "Limits", "QuietTime", "JourneyLimits", "LastModifiedDate") && subset(o, "ApplicationSettingsResource"):
		return "ApplicationSettingsResource"
	case o.has("Id", "Name", "Arn") && !o.has("ApplicationId") && isAppArn(o.str("Arn")):
		return "ApplicationResponse"
	case o.has("ResourceArn", "tags") && len(o) == 2:
		return "TagsModel"
	case o.has("Item"):
		if strings.HasPrefix(strings.TrimSpace(string(o["Item"])), "[") {
			return bareList
		}
	// End User Messaging items, as `--query 'PhoneNumbers[0]'` prints them.
	case o.has("PhoneNumberId", "PhoneNumberArn"):
		return "PhoneNumberInformation"
	case o.has("PoolId", "PoolArn") && !o.has("OriginationIdentities"):
		return "PoolInformation"
	case o.has("SenderId", "SenderIdArn"):
		return "SenderIdInformation"
	case o.has("ConfigurationSetName", "ConfigurationSetArn"):
		return "ConfigurationSetInformation"
	case o.has("OptOutListName", "OptOutListArn") && !o.has("OptedOutNumbers"):
		return "OptOutListInformation"
	case o.has("RegistrationId", "RegistrationArn", "RegistrationStatus"):
		return "RegistrationInformation"
	}
	return ""
}

// classifyTemplate tells a typed template GET (content members) from a
// ListTemplates item (Arn, tags, no content) and a ListTemplateVersions
// item (neither).
func classifyTemplate(o obj) string {
	t := model()
	typed := t.templateShape[strings.ToUpper(o.str("TemplateType"))]
	if typed != "" {
		summary := t.pp.Shapes["TemplateResponse"]
		for k := range o {
			if _, ok := summary.Members[k]; !ok {
				if _, ok := t.pp.Shapes[typed].Members[k]; ok {
					return typed
				}
			}
		}
	}
	if o.any("Arn", "tags") {
		return "TemplateResponse"
	}
	return "TemplateVersionResponse"
}

// channelIDs maps the Id a channel GET answers (lower case) to its type.
func isChannel(o obj) string {
	t := model()
	if p := strings.ToUpper(o.str("Platform")); t.channelShape[p] != "" {
		return p
	}
	if id := strings.ToUpper(o.str("Id")); t.channelShape[id] != "" && o.any("Enabled", "IsArchived", "HasCredential", "Version") {
		return id
	}
	return ""
}

// subset reports whether every member of o is one the Pinpoint shape
// defines (by member or wire name).
func subset(o obj, shape string) bool {
	s := model().pp.Shapes[shape]
	if s == nil {
		return false
	}
	for k := range o {
		if _, ok := s.Members[k]; ok {
			continue
		}
		if _, r := model().pp.MemberByWire(s, k); r == nil {
			return false
		}
	}
	return true
}

// arn is a parsed ARN.
type arn struct {
	service, region, account, resource string
}

func parseARN(s string) (arn, bool) {
	parts := strings.SplitN(s, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" {
		return arn{}, false
	}
	return arn{service: parts[2], region: parts[3], account: parts[4], resource: parts[5]}, true
}

// isAppArn reports whether s names a Pinpoint app itself (apps/ID), not
// something under it.
func isAppArn(s string) bool {
	a, ok := parseARN(s)
	if !ok || a.service != "mobiletargeting" {
		return false
	}
	id, ok := strings.CutPrefix(a.resource, "apps/")
	return ok && id != "" && !strings.Contains(id, "/")
}

// appFromArn returns the app id in a Pinpoint ARN (apps/ID/...).
func appFromArn(s string) string {
	a, ok := parseARN(s)
	if !ok || a.service != "mobiletargeting" {
		return ""
	}
	rest, ok := strings.CutPrefix(a.resource, "apps/")
	if !ok {
		return ""
	}
	id, _, _ := strings.Cut(rest, "/")
	return id
}

// regionOf returns the region of the first ARN among o's members that
// end in "Arn".
func regionOf(o obj) string {
	for _, k := range []string{"Arn", "PhoneNumberArn", "PoolArn", "SenderIdArn", "ConfigurationSetArn", "OptOutListArn", "RegistrationArn", "OriginationIdentityArn", "ResourceArn"} {
		if a, ok := parseARN(o.str(k)); ok && a.region != "" {
			return a.region
		}
	}
	return ""
}
