package blueprint

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/p2c/p2c/internal/awsmodel"
)

// CloudFormation export: the plan as templates for teams that deploy
// through their own pipeline. One stack per app plus one shared stack per
// region (domain, object types, knowledge base, templates, instance
// resources). Open decisions become template parameters. Steps without a
// CloudFormation resource type are listed in README.txt with the reason.

// cfnType maps one target API operation to a CloudFormation type.
type cfnType struct {
	Type string
	// Props lists the CloudFormation properties the type has; members of
	// the converted spec outside it are not carried (and said so).
	Props []string
	// Arn is the GetAtt attribute holding the resource's ARN, if any.
	Arn string
	// fix rewrites the converted spec where CloudFormation's shape differs
	// from the API's (renames, maps that are lists in CloudFormation).
	fix func(x *cfnConv, props map[string]any)
}

var cfnTypes = map[string]cfnType{
	"customer-profiles/CreateDomain": {Type: "AWS::CustomerProfiles::Domain",
		Props: []string{"DomainName", "DefaultExpirationDays", "DefaultEncryptionKey", "DeadLetterQueueUrl", "Matching", "RuleBasedMatching", "DataStore", "Tags"}},
	"customer-profiles/PutProfileObjectType": {Type: "AWS::CustomerProfiles::ObjectType",
		Props: []string{"DomainName", "ObjectTypeName", "Description", "TemplateId", "ExpirationDays", "EncryptionKey", "AllowProfileCreation", "SourceLastUpdatedTimestampFormat", "MaxProfileObjectCount", "SourcePriority", "Fields", "Keys", "Tags"},
		fix: func(x *cfnConv, p map[string]any) {
			p["Fields"] = mapToList(p["Fields"], "Name", "ObjectTypeField")
			p["Keys"] = mapToList(p["Keys"], "Name", "ObjectTypeKeyList")
		}},
	"customer-profiles/CreateCalculatedAttributeDefinition": {Type: "AWS::CustomerProfiles::CalculatedAttributeDefinition",
		Props: []string{"DomainName", "CalculatedAttributeName", "DisplayName", "Description", "AttributeDetails", "Conditions", "Statistic", "UseHistoricalData", "Tags"}},
	"customer-profiles/CreateSegmentDefinition": {Type: "AWS::CustomerProfiles::SegmentDefinition", Arn: "SegmentDefinitionArn",
		Props: []string{"DomainName", "SegmentDefinitionName", "DisplayName", "Description", "SegmentGroups", "SegmentSqlQuery", "SegmentSort", "Tags"}},
	"customer-profiles/CreateEventTrigger": {Type: "AWS::CustomerProfiles::EventTrigger",
		Props: []string{"DomainName", "EventTriggerName", "ObjectTypeName", "Description", "EventTriggerConditions", "SegmentFilter", "EventTriggerLimits", "Tags"}},
	"connectcampaignsv2/CreateCampaign": {Type: "AWS::ConnectCampaignsV2::Campaign", Arn: "Arn",
		Props: []string{"Name", "ConnectInstanceId", "ChannelSubtypeConfig", "Type", "Source", "ConnectCampaignFlowArn", "Schedule", "EntryLimitsConfig", "CommunicationTimeConfig", "CommunicationLimitsOverride", "Tags"},
		fix: func(x *cfnConv, p map[string]any) {
			p["ConnectInstanceId"] = x.instanceID(p["ConnectInstanceId"])
			if cs, ok := p["ChannelSubtypeConfig"].(map[string]any); ok {
				for _, ch := range cs {
					if c, ok := ch.(map[string]any); ok {
						if om, ok := c["OutboundMode"].(map[string]any); ok {
							// The API's outbound modes are agentless, preview...;
							// CloudFormation's AgentlessConfig, PreviewConfig...
							for _, k := range sortedKeys(om) {
								rename(om, k, k+"Config")
							}
						}
					}
				}
			}
			if ct, ok := p["CommunicationTimeConfig"].(map[string]any); ok {
				if lz, ok := ct["LocalTimeZoneConfig"].(map[string]any); ok {
					if _, had := lz["LocalTimeZoneDetectionScope"]; had {
						delete(lz, "LocalTimeZoneDetectionScope")
						x.lost("CommunicationTimeConfig.LocalTimeZoneConfig.LocalTimeZoneDetectionScope")
					}
				}
				for _, ch := range []string{"Telephony", "Sms", "Email", "WhatsApp"} {
					if w, ok := ct[ch].(map[string]any); ok {
						if oh, ok := w["OpenHours"].(map[string]any); ok {
							oh["DailyHours"] = mapToList(oh["DailyHours"], "Key", "Value")
						}
					}
				}
			}
			if cl, ok := p["CommunicationLimitsOverride"].(map[string]any); ok {
				if all, ok := cl["AllChannelSubtypes"].(map[string]any); ok {
					delete(cl, "AllChannelSubtypes")
					if l, ok := all["CommunicationLimitsList"]; ok {
						all["CommunicationLimitList"] = l
						delete(all, "CommunicationLimitsList")
					}
					cl["AllChannelsSubtypes"] = all
				}
			}
		}},
	"qconnect/CreateKnowledgeBase": {Type: "AWS::Wisdom::KnowledgeBase", Arn: "KnowledgeBaseArn",
		Props: []string{"Name", "KnowledgeBaseType", "Description", "SourceConfiguration", "RenderingConfiguration", "ServerSideEncryptionConfiguration", "VectorIngestionConfiguration", "Tags"}},
	"qconnect/CreateMessageTemplate": {Type: "AWS::Wisdom::MessageTemplate", Arn: "MessageTemplateArn",
		Props: []string{"KnowledgeBaseArn", "ChannelSubtype", "Name", "Content", "Description", "Language", "DefaultAttributes", "GroupingConfiguration", "Tags"},
		fix: func(x *cfnConv, p map[string]any) {
			p["KnowledgeBaseArn"] = x.knowledgeBaseArn(p["KnowledgeBaseId"])
			delete(p, "KnowledgeBaseId")
			if c, ok := p["Content"].(map[string]any); ok {
				out := map[string]any{}
				if e, ok := c["Email"].(map[string]any); ok {
					if _, has := e["Headers"]; !has {
						e["Headers"] = []any{} // required by the CloudFormation type
					}
					out["EmailMessageTemplateContent"] = e
				}
				if s, ok := c["Sms"].(map[string]any); ok {
					out["SmsMessageTemplateContent"] = s
				}
				for k := range c {
					if k != "Email" && k != "Sms" {
						x.lost("Content." + k)
					}
				}
				p["Content"] = out
			}
		}},
	"sesv2/CreateConfigurationSet": {Type: "AWS::SES::ConfigurationSet",
		Props: []string{"Name", "TrackingOptions", "DeliveryOptions", "ReputationOptions", "SendingOptions", "Tags", "SuppressionOptions", "VdmOptions", "ArchivingOptions"},
		fix: func(x *cfnConv, p map[string]any) {
			rename(p, "ConfigurationSetName", "Name")
			if r, ok := p["ReputationOptions"].(map[string]any); ok {
				if _, had := r["LastFreshStart"]; had {
					delete(r, "LastFreshStart")
					x.lost("ReputationOptions.LastFreshStart")
				}
			}
		}},
	"sesv2/CreateConfigurationSetEventDestination": {Type: "AWS::SES::ConfigurationSetEventDestination",
		Props: []string{"ConfigurationSetName", "EventDestination"},
		fix: func(x *cfnConv, p map[string]any) {
			ed, _ := p["EventDestination"].(map[string]any)
			if ed == nil {
				ed = map[string]any{}
				p["EventDestination"] = ed
			}
			if n, ok := p["EventDestinationName"]; ok {
				ed["Name"] = n
				delete(p, "EventDestinationName")
			}
			if k, ok := ed["KinesisFirehoseDestination"].(map[string]any); ok {
				rename(k, "IamRoleArn", "IAMRoleARN")
				rename(k, "DeliveryStreamArn", "DeliveryStreamARN")
			}
			if s, ok := ed["SnsDestination"].(map[string]any); ok {
				rename(s, "TopicArn", "TopicARN")
			}
			if _, had := ed["PinpointDestination"]; had {
				delete(ed, "PinpointDestination")
				x.lost("EventDestination.PinpointDestination")
			}
		}},
	"pinpoint-sms-voice-v2/CreateConfigurationSet": {Type: "AWS::SMSVOICE::ConfigurationSet", Arn: "Arn",
		Props: []string{"ConfigurationSetName", "DefaultSenderId", "EventDestinations", "MessageFeedbackEnabled", "ProtectConfigurationId", "Tags"}},
	"connect/ImportPhoneNumber": {Type: "AWS::Connect::PhoneNumber", Arn: "PhoneNumberArn",
		Props: []string{"TargetArn", "SourcePhoneNumberArn", "Description", "Tags"},
		fix: func(x *cfnConv, p map[string]any) {
			rename(p, "InstanceId", "TargetArn")
			rename(p, "PhoneNumberDescription", "Description")
		}},
	"connect/CreateEmailAddress": {Type: "AWS::Connect::EmailAddress", Arn: "EmailAddressArn",
		Props: []string{"InstanceArn", "EmailAddress", "DisplayName", "Description", "Tags"},
		fix:   func(x *cfnConv, p map[string]any) { rename(p, "InstanceId", "InstanceArn") }},
}

// cfnNone explains operations that have no CloudFormation type.
var cfnNone = map[string]string{
	"connectcampaignsv2/PutInstanceCommunicationLimits": "instance communication limits have no CloudFormation type: apply with p2c apply or the connectcampaignsv2 API",
	"connectcampaignsv2/PutConnectInstanceIntegration":  "campaign instance integrations have no CloudFormation type",
	"connectcampaignsv2/StartInstanceOnboardingJob":     "campaign onboarding has no CloudFormation type",
	"connect/CreateIntegrationAssociation":              "this integration type is not in CloudFormation's AWS::Connect::IntegrationAssociation enum (cfn-lint schema)",
	"customer-profiles/PutIntegration":                  "left to p2c apply: the integration's URI and flow are account specific",
	"qconnect/CreateMessageTemplateVersion":             "each template's stack publishes its version (the resource named <template>Version)",
	"qconnect/ActivateMessageTemplate":                  "activation has no CloudFormation type; AWS::Wisdom::MessageTemplateVersion publishes a version",
	"pinpoint-sms-voice-v2/CreateEventDestination":      "End User Messaging event destinations are part of AWS::SMSVOICE::ConfigurationSet; this one is on a configuration set CloudFormation does not own",
}

// placeholder matches a decision placeholder in a spec.
var placeholder = regexp.MustCompile(`\{\{decision:([^}]+)\}\}`)

// stack is one template being built.
type stack struct {
	file       string
	title      string
	resources  map[string]any
	params     map[string]any
	outputs    map[string]any
	logical    map[string]string // step id -> logical id
	usedLogics map[string]bool
}

// cfnRef locates a step's resource for references from later steps.
type cfnRef struct {
	st         *stack
	lid        string
	arn        string // GetAtt attribute of the ARN
	versionLid string // message templates: the version resource
}

// cfnConv converts one step's spec; it collects what was not carried.
type cfnConv struct {
	refs    map[string]*cfnRef
	st      *stack
	d       map[string]*Question
	notes   []string
	nonCFN  []string
	forStep *Step
}

func (x *cfnConv) lost(member string) {
	x.notes = append(x.notes, fmt.Sprintf("%s: %s is not a property of the CloudFormation type and is not carried", x.forStep.ID, member))
}

// CloudFormation renders the plan as CloudFormation templates: file name
// to bytes (templates as indented JSON, plus README.txt). Decisions still
// open become parameters; answered ones are written in.
func CloudFormation(p *Plan, d *Decisions) (map[string][]byte, error) {
	qs := map[string]*Question{}
	if d != nil {
		for _, q := range d.Questions {
			qs[q.Key] = q
		}
	}
	stacks := map[string]*stack{}
	var order []string
	stackOf := map[string]*stack{} // step id -> its stack
	var readme []string
	var notes []string
	smsConfigSets := map[string]string{} // region/name -> logical id, to fold EUM event destinations in
	refs := map[string]*cfnRef{}
	for i := range p.Steps {
		s := &p.Steps[i]
		key := s.Service + "/" + s.Operation
		if s.Service == "" {
			key = "no API call"
		}
		switch s.Action {
		case NoOp:
			readme = append(readme, fmt.Sprintf("%s (%s): exists already; not in the templates", s.ID, key))
			continue
		case Update, Delete:
			readme = append(readme, fmt.Sprintf("%s (%s): %ss a resource CloudFormation does not own; import it into a stack or use p2c apply", s.ID, key, s.Action))
			continue
		}
		if s.Service == "pinpoint-sms-voice-v2" && s.Operation == "CreateEventDestination" {
			var spec map[string]any
			if err := json.Unmarshal(s.Spec, &spec); err == nil {
				name, _ := spec["ConfigurationSetName"].(string)
				if lid, ok := smsConfigSets[s.Region+"/"+name]; ok {
					st := stackOf[lid]
					if err := foldEventDestination(st, lid, s, spec, qs); err != nil {
						return nil, err
					}
					stackOf[s.ID] = st
					continue
				}
			}
		}
		t, ok := cfnTypes[key]
		if s.Redesign {
			readme = append(readme, fmt.Sprintf("%s (%s): a redesign proposal a person must accept first; not in the templates", s.ID, key))
			continue
		}
		if !ok {
			why := cfnNone[key]
			if why == "" {
				why = "no CloudFormation resource type for " + key
			}
			readme = append(readme, fmt.Sprintf("%s (%s): %s", s.ID, key, why))
			continue
		}
		file, title := stackFile(s)
		st := stacks[file]
		if st == nil {
			st = &stack{file: file, title: title, resources: map[string]any{}, params: map[string]any{}, outputs: map[string]any{}, logical: map[string]string{}, usedLogics: map[string]bool{}}
			stacks[file] = st
			order = append(order, file)
		}
		x := &cfnConv{refs: refs, st: st, d: qs, forStep: s}
		props, err := x.convert(s, t)
		if err != nil {
			return nil, fmt.Errorf("step %s: %w", s.ID, err)
		}
		lid := st.logicalID(s)
		res := map[string]any{"Type": t.Type, "Properties": props}
		var deps []string
		implied := map[string]bool{}
		intrinsicTargets(props, implied)
		for _, dep := range s.DependsOn {
			if dl, ok := st.logical[dep]; ok && stackOf[dep] == st && !implied[dl] && !contains(deps, dl) {
				deps = append(deps, dl)
			}
		}
		if len(deps) > 0 {
			sort.Strings(deps)
			res["DependsOn"] = deps
		}
		if s.Rollback.Policy == RollbackRetain {
			res["DeletionPolicy"] = "Retain"
			res["UpdateReplacePolicy"] = "Retain"
		}
		res["Metadata"] = map[string]any{"p2c": map[string]any{"step": s.ID, "operation": key}}
		st.resources[lid] = res
		st.logical[s.ID] = lid
		ref := &cfnRef{st: st, lid: lid, arn: t.Arn}
		refs[s.ID] = ref
		if t.Type == "AWS::Wisdom::MessageTemplate" {
			// Campaigns send a version of a template: publish one.
			ref.versionLid = lid + "Version"
			st.resources[ref.versionLid] = map[string]any{"Type": "AWS::Wisdom::MessageTemplateVersion",
				"Properties": map[string]any{"MessageTemplateArn": map[string]any{"Fn::GetAtt": []any{lid, "MessageTemplateArn"}}}}
			st.usedLogics[ref.versionLid] = true
		}
		stackOf[s.ID] = st
		stackOf[lid] = st
		if t.Arn != "" {
			out := map[string]any{"Description": "ARN of " + s.ID, "Value": map[string]any{"Fn::GetAtt": []any{lid, t.Arn}}}
			out["Export"] = map[string]any{"Name": map[string]any{"Fn::Sub": "${AWS::StackName}-" + lid + t.Arn}}
			st.outputs[lid+t.Arn] = out
		}
		if key == "pinpoint-sms-voice-v2/CreateConfigurationSet" {
			if name, ok := props["ConfigurationSetName"].(string); ok {
				smsConfigSets[s.Region+"/"+name] = lid
			}
		}
		notes = append(notes, x.notes...)
	}
	files := map[string][]byte{}
	for _, f := range order {
		b, err := stacks[f].render()
		if err != nil {
			return nil, err
		}
		files[f] = b
	}
	files["README.txt"] = cfnReadme(order, stacks, readme, notes, p.OpenDecisions)
	return files, nil
}

// intrinsicTargets collects the resources a value refers to (Ref,
// Fn::GetAtt, ${X.Attr} in Fn::Sub): CloudFormation orders those already.
func intrinsicTargets(v any, out map[string]bool) {
	switch t := v.(type) {
	case map[string]any:
		for k, val := range t {
			switch k {
			case "Ref":
				if s, ok := val.(string); ok {
					out[s] = true
				}
			case "Fn::GetAtt":
				if l, ok := val.([]any); ok && len(l) > 0 {
					if s, ok := l[0].(string); ok {
						out[s] = true
					}
				}
			}
			intrinsicTargets(val, out)
		}
	case []any:
		for _, val := range t {
			intrinsicTargets(val, out)
		}
	}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// stackFile names the stack a step belongs to.
func stackFile(s *Step) (file, title string) {
	if s.App == "" {
		return fmt.Sprintf("p2c-%s-shared.template.json", s.Region), fmt.Sprintf("p2c shared resources for %s (Customer Profiles domain, object types, knowledge base, message templates, messaging)", s.Region)
	}
	name := s.AppName
	if name == "" {
		name = s.App
	}
	return fmt.Sprintf("p2c-%s-%s.template.json", s.Region, slug(name, s.App)), fmt.Sprintf("p2c resources of Pinpoint app %s (%s) in %s", name, s.App, s.Region)
}

// slug makes a file-name-safe, stable part from an app's name; the app id
// keeps two apps of one name apart.
func slug(name, id string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(name) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
		case b.Len() > 0 && !strings.HasSuffix(b.String(), "-"):
			b.WriteByte('-')
		}
	}
	s := strings.Trim(b.String(), "-")
	if len(s) > 40 {
		s = s[:40]
	}
	short := id
	if len(short) > 8 {
		short = short[:8]
	}
	if s == "" {
		return short
	}
	return s + "-" + short
}

func (st *stack) logicalID(s *Step) string {
	base := camel(s.Kind) + camel(s.Name)
	if len(base) > 200 {
		base = base[:200]
	}
	if base == "" || !unicode.IsLetter(rune(base[0])) {
		base = "R" + base
	}
	id := base
	if st.usedLogics[id] {
		h := sha256.Sum256([]byte(s.ID))
		id = base + strings.ToUpper(hex.EncodeToString(h[:4]))
	}
	st.usedLogics[id] = true
	return id
}

// camel turns "segment-definition" or "Spring sale!" into
// "SegmentDefinition" / "SpringSale" (CloudFormation logical ids are
// alphanumeric).
func camel(s string) string {
	var b strings.Builder
	up := true
	for _, r := range s {
		if (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9') {
			if up {
				r = unicode.ToUpper(r)
			}
			b.WriteRune(r)
			up = false
		} else {
			up = true
		}
	}
	return b.String()
}

// convert turns a step's API input into CloudFormation properties.
func (x *cfnConv) convert(s *Step, t cfnType) (map[string]any, error) {
	m, err := awsmodel.Load(s.Service)
	if err != nil {
		return nil, err
	}
	op := m.Operations[s.Operation]
	if op == nil || op.Input == nil {
		return nil, fmt.Errorf("no operation %s in the %s model", s.Operation, s.Service)
	}
	dec := json.NewDecoder(bytes.NewReader(s.Spec))
	dec.UseNumber()
	var spec any
	if err := dec.Decode(&spec); err != nil {
		return nil, fmt.Errorf("decode spec: %w", err)
	}
	props, _ := pascal(m, m.Shapes[op.Input.Shape], spec, 0).(map[string]any)
	if props == nil {
		props = map[string]any{}
	}
	for _, k := range []string{"ClientToken"} {
		delete(props, k)
	}
	if t.fix != nil {
		t.fix(x, props)
	}
	if tags, ok := props["Tags"].(map[string]any); ok {
		props["Tags"] = mapToList(tags, "Key", "Value")
	}
	allowed := map[string]bool{}
	for _, p := range t.Props {
		allowed[p] = true
	}
	for _, k := range sortedKeys(props) {
		if !allowed[k] {
			delete(props, k)
			x.lost(k)
		} else if props[k] == nil {
			delete(props, k)
		}
	}
	out, _ := x.substitute(props).(map[string]any)
	return out, nil
}

// pascal walks a value with its API shape: structure members get their
// CloudFormation spelling (first letter upper case); map keys are data and
// stay as they are.
func pascal(m *awsmodel.Model, s *awsmodel.Shape, v any, depth int) any {
	if s == nil || depth > 64 {
		return v
	}
	switch s.Type {
	case "structure":
		obj, ok := v.(map[string]any)
		if !ok {
			return v
		}
		out := make(map[string]any, len(obj))
		for k, val := range obj {
			var child *awsmodel.Shape
			if ref := s.Members[k]; ref != nil {
				child = m.Shapes[ref.Shape]
			}
			out[upperFirst(k)] = pascal(m, child, val, depth+1)
		}
		return out
	case "list":
		l, ok := v.([]any)
		if !ok || s.Member == nil {
			return v
		}
		out := make([]any, len(l))
		for i, e := range l {
			out[i] = pascal(m, m.Shapes[s.Member.Shape], e, depth+1)
		}
		return out
	case "map":
		obj, ok := v.(map[string]any)
		if !ok || s.Value == nil {
			return v
		}
		out := make(map[string]any, len(obj))
		for k, val := range obj {
			out[k] = pascal(m, m.Shapes[s.Value.Shape], val, depth+1)
		}
		return out
	}
	return v
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// mapToList turns an API map into CloudFormation's list of pairs, sorted
// by key.
func mapToList(v any, keyName, valueName string) any {
	obj, ok := v.(map[string]any)
	if !ok {
		return v
	}
	out := make([]any, 0, len(obj))
	for _, k := range sortedKeys(obj) {
		out = append(out, map[string]any{keyName: k, valueName: obj[k]})
	}
	return out
}

func rename(m map[string]any, from, to string) {
	if v, ok := m[from]; ok {
		m[to] = v
		delete(m, from)
	}
}

// token matches the placeholders of a spec: decisions (with derived
// forms KEY|id, KEY|account, KEY|plus:PTnS) and outputs of earlier steps
// ({{step:ID.arn}}, {{step:ID.version}}).
var versionARN = regexp.MustCompile(`\{\{step:([^}]+)\.arn\}\}:\{\{step:([^}]+)\.version\}\}`)

var token = regexp.MustCompile(`\{\{(decision|step):([^}]+)\}\}`)

// substitute writes answered decisions in and turns open ones into
// parameter references, and outputs of earlier steps into GetAtt (same
// stack) or ImportValue (another stack's export).
func (x *cfnConv) substitute(v any) any {
	switch t := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, val := range t {
			out[k] = x.substitute(val)
		}
		return out
	case []any:
		out := make([]any, len(t))
		for i, val := range t {
			out[i] = x.substitute(val)
		}
		return out
	case string:
		return x.substituteString(t)
	}
	return v
}

func (x *cfnConv) substituteString(s string) any {
	// A template's ARN qualified with its version is the version's ARN.
	s = versionARN.ReplaceAllStringFunc(s, func(m string) string {
		sm := versionARN.FindStringSubmatch(m)
		if sm[1] != sm[2] {
			return m
		}
		return "{{step:" + sm[1] + ".versionarn}}"
	})
	ms := token.FindAllStringSubmatchIndex(s, -1)
	if len(ms) == 0 {
		return s
	}
	type part struct {
		lit  string
		expr any
	}
	var parts []part
	last := 0
	for _, m := range ms {
		if m[0] > last {
			parts = append(parts, part{lit: s[last:m[0]]})
		}
		kind, body := s[m[2]:m[3]], s[m[4]:m[5]]
		var e any
		if kind == "decision" {
			e = x.decisionValue(body)
		} else {
			e = x.stepValue(body)
		}
		if str, ok := e.(string); ok {
			parts = append(parts, part{lit: str})
		} else {
			parts = append(parts, part{expr: e})
		}
		last = m[1]
	}
	if last < len(s) {
		parts = append(parts, part{lit: s[last:]})
	}
	var exprs int
	var lit strings.Builder
	for _, p := range parts {
		if p.expr != nil {
			exprs++
		}
		lit.WriteString(p.lit)
	}
	if exprs == 0 {
		return lit.String()
	}
	if exprs == 1 && len(parts) == 1 {
		return parts[0].expr
	}
	// Several pieces: Fn::Sub with one variable per intrinsic, the
	// string's own ${ escaped.
	var b strings.Builder
	vars := map[string]any{}
	for _, p := range parts {
		if p.expr == nil {
			b.WriteString(strings.ReplaceAll(p.lit, "${", "${!"))
			continue
		}
		name := fmt.Sprintf("V%d", len(vars)+1)
		vars[name] = p.expr
		b.WriteString("${" + name + "}")
	}
	return map[string]any{"Fn::Sub": []any{b.String(), vars}}
}

// decisionValue resolves {{decision:BODY}}: the answer (or the value
// derived from it) when answered, else a parameter reference.
func (x *cfnConv) decisionValue(body string) any {
	key, mod, _ := strings.Cut(body, "|")
	q := x.d[key]
	answer := ""
	if q != nil {
		answer = q.Answer
	}
	switch {
	case mod == "":
		if answer != "" {
			return answer
		}
		return map[string]any{"Ref": x.param(key, "", "")}
	case mod == "id":
		if answer != "" {
			return answer[strings.LastIndex(answer, "/")+1:]
		}
		return map[string]any{"Fn::Select": []any{1, map[string]any{"Fn::Split": []any{"/", map[string]any{"Ref": x.param(key, "", "")}}}}}
	case mod == "account":
		if f := strings.Split(answer, ":"); answer != "" && len(f) > 4 {
			return f[4]
		}
		return map[string]any{"Fn::Select": []any{4, map[string]any{"Fn::Split": []any{":", map[string]any{"Ref": x.param(key, "", "")}}}}}
	case strings.HasPrefix(mod, "plus:"):
		d, err := parseISODuration(strings.TrimPrefix(mod, "plus:"))
		if t, terr := time.Parse(time.RFC3339, answer); answer != "" && err == nil && terr == nil {
			return t.Add(d).UTC().Format(time.RFC3339)
		}
		// CloudFormation cannot add to a time: the person gives the sum.
		return map[string]any{"Ref": x.param(key, camel(mod), fmt.Sprintf("the answer of %s plus %s (RFC 3339)", key, strings.TrimPrefix(mod, "plus:")))}
	}
	return map[string]any{"Ref": x.param(key, camel(mod), fmt.Sprintf("%s of the answer of %s", mod, key))}
}

// parseISODuration reads the PTnS durations the plan writes.
func parseISODuration(s string) (time.Duration, error) {
	n, ok := strings.CutPrefix(s, "PT")
	if !ok || !strings.HasSuffix(n, "S") {
		return 0, fmt.Errorf("duration %q: want PTnS", s)
	}
	secs, err := strconv.Atoi(strings.TrimSuffix(n, "S"))
	if err != nil {
		return 0, fmt.Errorf("duration %q: %w", s, err)
	}
	return time.Duration(secs) * time.Second, nil
}

// stepValue resolves {{step:ID.ATTR}}: GetAtt when the step is in the
// same stack, ImportValue of its stack's export otherwise, a parameter
// when the step is in no template.
func (x *cfnConv) stepValue(body string) any {
	i := strings.LastIndex(body, ".")
	if i < 0 {
		return map[string]any{"Ref": x.param("step."+body, "", "output of plan step "+body)}
	}
	id, attr := body[:i], body[i+1:]
	ref := x.refs[id]
	var cfnAttr, lid string
	if ref != nil {
		lid = ref.lid
		switch attr {
		case "arn":
			cfnAttr = ref.arn
		case "version":
			if ref.versionLid != "" {
				lid, cfnAttr = ref.versionLid, "MessageTemplateVersionNumber"
			}
		case "versionarn":
			if ref.versionLid != "" {
				lid, cfnAttr = ref.versionLid, "MessageTemplateVersionArn"
			}
		}
	}
	if cfnAttr == "" {
		return map[string]any{"Ref": x.param("step."+id+"."+attr, "", fmt.Sprintf("%s of plan step %s (not created by these templates)", attr, id))}
	}
	if ref.st == x.st {
		return map[string]any{"Fn::GetAtt": []any{lid, cfnAttr}}
	}
	out := lid + cfnAttr
	ref.st.outputs[out] = map[string]any{
		"Description": cfnAttr + " of " + id,
		// Fn::Sub makes a string of attributes that are numbers.
		"Value":  map[string]any{"Fn::Sub": "${" + lid + "." + cfnAttr + "}"},
		"Export": map[string]any{"Name": map[string]any{"Fn::Sub": "${AWS::StackName}-" + out}},
	}
	sp := "Stack" + camel(strings.TrimSuffix(ref.st.file, ".template.json"))
	if _, ok := x.st.params[sp]; !ok {
		x.st.params[sp] = map[string]any{"Type": "String", "Default": strings.TrimSuffix(ref.st.file, ".template.json"),
			"Description": "name of the deployed stack of " + ref.st.file}
	}
	return map[string]any{"Fn::ImportValue": map[string]any{"Fn::Sub": "${" + sp + "}-" + out}}
}

// param declares the parameter standing for an open decision.
func (x *cfnConv) param(key, suffix, desc string) string {
	name := "Decision" + camel(key) + suffix
	if strings.HasPrefix(key, "step.") {
		name = "Step" + camel(strings.TrimPrefix(key, "step."))
	}
	if len(name) > 255 {
		name = name[:255]
	}
	if _, ok := x.st.params[name]; ok {
		return name
	}
	p := map[string]any{"Type": "String", "Description": clip("Open decision "+key+" (decisions.yaml)", 4000)}
	if desc != "" {
		p["Description"] = clip(desc, 4000)
	} else if q := x.d[key]; q != nil {
		// Only a parameter holding the answer itself gets its checks.
		p["Description"] = clip("Open decision "+key+": "+q.Context, 4000)
		switch q.Kind {
		case KindChoice:
			if len(q.Choices) > 0 {
				p["AllowedValues"] = append([]string(nil), q.Choices...)
			}
		case KindConnectInstanceARN:
			p["AllowedPattern"] = connectInstRe.String()
		case KindEmail:
			p["AllowedPattern"] = emailRe.String()
		case KindName:
			p["AllowedPattern"] = nameRe.String()
		}
	}
	x.st.params[name] = p
	return name
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}

// instanceID gives campaigns the instance id CloudFormation wants from an
// instance ARN (answered, or a parameter holding one).
func (x *cfnConv) instanceID(v any) any {
	s, ok := v.(string)
	if !ok {
		return v
	}
	if m := placeholder.FindStringSubmatch(s); m != nil && m[0] == s {
		if q := x.d[m[1]]; q == nil || q.Answer == "" {
			if q != nil && q.Kind == KindConnectInstanceARN {
				return map[string]any{"Fn::Select": []any{1, map[string]any{"Fn::Split": []any{"instance/", s}}}}
			}
			return s
		}
		s = x.d[m[1]].Answer
	}
	if i := strings.Index(s, ":instance/"); i >= 0 && strings.HasPrefix(s, "arn:") {
		return s[i+len(":instance/"):]
	}
	return s
}

// knowledgeBaseArn turns the API's knowledge base id (or ARN) into the
// ARN CloudFormation wants.
func (x *cfnConv) knowledgeBaseArn(v any) any {
	s, ok := v.(string)
	if !ok {
		return v
	}
	if id, ok := strings.CutPrefix(s, "{{step:"); ok && strings.HasSuffix(id, ".id}}") {
		return "{{step:" + strings.TrimSuffix(id, ".id}}") + ".arn}}"
	}
	if m := placeholder.FindStringSubmatch(s); m != nil && m[0] == s {
		if q := x.d[m[1]]; q != nil && q.Answer != "" {
			s = q.Answer
		} else {
			return s // a parameter: the person gives the ARN
		}
	}
	if strings.HasPrefix(s, "{{") {
		return s
	}
	if strings.HasPrefix(s, "arn:") {
		return s
	}
	return map[string]any{"Fn::Sub": "arn:${AWS::Partition}:wisdom:${AWS::Region}:${AWS::AccountId}:knowledge-base/" + s}
}

// foldEventDestination adds an End User Messaging event destination to
// the configuration set resource created in the same stack.
func foldEventDestination(st *stack, lid string, s *Step, spec map[string]any, qs map[string]*Question) error {
	res := st.resources[lid].(map[string]any)
	props := res["Properties"].(map[string]any)
	ed := map[string]any{"Enabled": true}
	for _, k := range []string{"EventDestinationName", "MatchingEventTypes", "CloudWatchLogsDestination", "KinesisFirehoseDestination", "SnsDestination"} {
		if v, ok := spec[k]; ok {
			ed[k] = v
		}
	}
	x := &cfnConv{refs: map[string]*cfnRef{}, st: st, d: qs, forStep: s}
	list, _ := props["EventDestinations"].([]any)
	props["EventDestinations"] = append(list, x.substitute(ed))
	st.logical[s.ID] = lid
	return nil
}

func (st *stack) render() ([]byte, error) {
	t := map[string]any{
		"AWSTemplateFormatVersion": "2010-09-09",
		"Description":              clip(st.title+" - generated by p2c plan --format cloudformation", 1024),
		"Resources":                st.resources,
	}
	if len(st.params) > 0 {
		t["Parameters"] = st.params
	}
	if len(st.outputs) > 0 {
		t["Outputs"] = st.outputs
	}
	b, err := json.MarshalIndent(t, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("encode template %s: %w", st.file, err)
	}
	return append(b, '\n'), nil
}

func cfnReadme(order []string, stacks map[string]*stack, readme, notes, open []string) []byte {
	var b strings.Builder
	b.WriteString("CloudFormation templates generated by p2c plan --format cloudformation.\n\n")
	b.WriteString("Deploy the shared stack of a region first (its Outputs export the ARNs app stacks\nand people refer to), then the app stacks. Open decisions are template parameters:\nanswer them at deploy time or in decisions.yaml and plan again.\n\n")
	b.WriteString("Templates:\n")
	for _, f := range order {
		fmt.Fprintf(&b, "  %s  %d resources, %d parameters: %s\n", f, len(stacks[f].resources), len(stacks[f].params), stacks[f].title)
	}
	if len(open) > 0 {
		fmt.Fprintf(&b, "\nOpen decisions (%d):\n", len(open))
		for _, k := range open {
			fmt.Fprintf(&b, "  %s\n", k)
		}
	}
	b.WriteString("\nSteps not in the templates (apply them with p2c apply or by hand):\n")
	if len(readme) == 0 {
		b.WriteString("  none\n")
	}
	for _, l := range readme {
		fmt.Fprintf(&b, "  %s\n", l)
	}
	if len(notes) > 0 {
		b.WriteString("\nNot carried into the templates:\n")
		for _, l := range notes {
			fmt.Fprintf(&b, "  %s\n", l)
		}
	}
	return []byte(b.String())
}
