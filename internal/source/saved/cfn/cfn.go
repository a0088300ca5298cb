// Package cfn reads a CloudFormation template (JSON or YAML, short-form
// tags such as !Ref or long-form Fn::*) and turns the Pinpoint resources it
// declares into an inventory fragment, each object in the shape the
// Pinpoint API returns for it.
//
// What is resolved, from the template alone:
//   - Ref to parameters (their Default; list types become lists), to pseudo
//     parameters (AWS::Region is the region given, AWS::AccountId the account
//     given, AWS::Partition, AWS::URLSuffix; AWS::NoValue removes the member)
//     and to Pinpoint resources of the template: an App, Segment or Campaign
//     is its synthetic id iac:<file>#<LogicalId>, a template its
//     TemplateName, a channel, ApplicationSettings or EventStream its
//     ApplicationId, a PinpointEmail ConfigurationSet or Identity its Name, a
//     DedicatedIpPool its PoolName.
//   - Fn::GetAtt of Pinpoint resources: App.Id, Segment.SegmentId and
//     Campaign.CampaignId (synthetic ids); App.Arn, Segment.Arn, Campaign.Arn
//     and the templates' Arn, built from region, account and ids only when
//     all are known.
//   - Fn::Sub (both forms; ${Param}, ${Resource}, ${Resource.Attr},
//     ${AWS::Region}, ${!Literal}), Fn::Join, Fn::Select, Fn::Split,
//     Fn::FindInMap over Mappings (with DefaultValue), Fn::Base64.
//   - Conditions from parameter defaults (Fn::Equals, Fn::Not, Fn::And,
//     Fn::Or, Condition) and Fn::If on them. A resource whose Condition is
//     false is left out with a warning; one whose Condition cannot be
//     decided is included with a warning.
//   - Property names that differ from the API (Campaign CampaignHook → Hook,
//     Schedule TimeZone → Timezone, Tags → tags) and scalar types (the
//     string "true" where the API has a boolean).
//
// What is not resolved, and is kept as {"p2c:unresolved": "<expression>"}
// with an entry in Unresolved: parameters without Default or read from SSM,
// AWS::AccountId when no account is given, AWS::StackName, AWS::StackId,
// AWS::NotificationARNs, Ref and Fn::GetAtt of resources outside Pinpoint
// (known only after deployment), other attributes of Pinpoint resources,
// Fn::If on an undecidable condition, Fn::ImportValue, Fn::GetAZs,
// Fn::Cidr, and any other intrinsic (also a warning). Members the API
// response has no place for (APNs BundleId, ApplicationSettings
// CloudWatchMetricsEnabled, ...) are not carried and are named in a
// warning. Channel credentials are never carried (see SecretSeen).
// Resources whose ApplicationId is unresolved are put under a placeholder
// app with id iac:<file>#<expression>.
package cfn

import (
	"bytes"
	"encoding/json"
	"fmt"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/p2c/p2c/internal/inventory"
	"gopkg.in/yaml.v3"
)

// Kind is the inventory source kind of CloudFormation templates.
const Kind = "cloudformation"

// Options tell the loader what the template cannot.
type Options struct {
	// DefaultRegion is AWS::Region and the region of the fragment.
	DefaultRegion string
	// AccountID is AWS::AccountId; empty leaves it unresolved.
	AccountID string
}

type res struct {
	id, typ  string
	line     int
	node     *node
	cond     string
	excluded bool
	memo     map[string]any
	visiting map[string]bool
}

func (r *res) pinpoint() bool {
	return strings.HasPrefix(r.typ, "AWS::Pinpoint::") || strings.HasPrefix(r.typ, "AWS::PinpointEmail::")
}

type loader struct {
	name, base string
	opts       Options
	readAt     time.Time
	json       bool
	region     string

	params, conds, mappings *node
	res                     map[string]*res
	order                   []*res

	condMemo     map[string]condResult
	condVisiting map[string]bool
	steps        int

	cur    string // logical id whose values are being evaluated
	warned map[string]bool
	inv    *inventory.Inventory

	apps      []*inventory.App
	appIdx    map[string]*inventory.App
	templates []inventory.Template
	email     []inventory.Object
}

func (l *loader) synthetic(id string) string {
	return inventory.SyntheticPrefix + l.base + "#" + id
}

func (l *loader) warn(line int, msg string) {
	key := fmt.Sprintf("%d\x00%s\x00%s", line, l.cur, msg)
	if l.warned[key] {
		return
	}
	l.warned[key] = true
	l.inv.Warnings = append(l.inv.Warnings, inventory.Warning{
		Region: l.region, Resource: l.cur, File: l.name, Line: line, Message: msg,
	})
}

func (l *loader) prov(r *res) []inventory.Provenance {
	return []inventory.Provenance{{Source: l.name, Kind: Kind, Operation: r.typ, Address: r.id, Line: r.line, ReadAt: l.readAt}}
}

// Load turns one CloudFormation template into an inventory fragment. It
// fails only when the file as a whole is unusable (not parseable, or no
// Resources).
func Load(name string, data []byte, readAt time.Time, opts Options) (*inventory.Inventory, error) {
	l := &loader{
		name: name, base: path.Base(filepath.ToSlash(name)), opts: opts, readAt: readAt,
		json: isJSON(data), region: opts.DefaultRegion,
		res: map[string]*res{}, condMemo: map[string]condResult{}, condVisiting: map[string]bool{},
		warned: map[string]bool{}, appIdx: map[string]*inventory.App{},
	}
	l.inv = &inventory.Inventory{
		SchemaVersion: inventory.SchemaVersion,
		ScannedAt:     readAt,
		Account:       opts.AccountID,
		Sources:       []inventory.Source{{Kind: Kind, ID: name, Detail: name, ReadAt: readAt}},
	}
	if opts.DefaultRegion != "" {
		l.inv.Sources[0].Regions = []string{opts.DefaultRegion}
	}
	root, err := parseDoc(name, data, l.warn)
	if err != nil {
		return nil, err
	}
	if root.kind != kMap {
		return nil, fmt.Errorf("%s:%d: not a CloudFormation template: the top level is not a mapping", name, root.line)
	}
	resources := root.get("Resources")
	if resources == nil || resources.kind != kMap {
		return nil, fmt.Errorf("%s: not a CloudFormation template: no Resources", name)
	}
	l.params, l.conds, l.mappings = root.get("Parameters"), root.get("Conditions"), root.get("Mappings")

	for i, id := range resources.keys {
		rn, line := resources.vals[i], resources.keyLines[i]
		l.cur = id
		if rn.kind != kMap {
			l.warn(line, "resource is not a mapping; skipped")
			continue
		}
		typ, ok := rn.get("Type").str()
		if !ok || typ == "" {
			l.warn(line, "resource has no Type; skipped")
			continue
		}
		r := &res{id: id, typ: typ, line: line, node: rn, memo: map[string]any{}, visiting: map[string]bool{}}
		if c := rn.get("Condition"); c != nil {
			if s, ok := c.str(); ok {
				r.cond = s
			} else {
				l.warn(c.line, "Condition is not a name; ignored")
			}
		}
		l.res[id] = r
		l.order = append(l.order, r)
	}
	for _, r := range l.order {
		if r.cond == "" || !r.pinpoint() {
			continue
		}
		l.cur = r.id
		switch t, why := l.condition(r.cond, r.node.get("Condition").line); t {
		case no:
			r.excluded = true
			l.warn(r.line, fmt.Sprintf("%s not included: its condition %s is false with the parameters' defaults", r.typ, r.cond))
		case unknown:
			l.warn(r.line, fmt.Sprintf("%s included although its condition %s cannot be decided: %s", r.typ, r.cond, why))
		}
	}
	// Apps first, so that their members find them whatever the order.
	for _, r := range l.order {
		if r.typ == "AWS::Pinpoint::App" && !r.excluded {
			id := l.synthetic(r.id)
			a := &inventory.App{ID: id, Segments: []inventory.Segment{}, Campaigns: []inventory.Campaign{}, Journeys: []inventory.Journey{}, Provenance: l.prov(r)}
			l.apps = append(l.apps, a)
			l.appIdx[id] = a
		}
	}
	for _, r := range l.order {
		if r.pinpoint() && !r.excluded {
			l.cur = r.id
			l.translate(r)
		}
	}
	l.cur = ""

	reg := inventory.Region{Name: l.region, Apps: []inventory.App{}, Templates: l.templates, Recommenders: []inventory.Object{}}
	if reg.Templates == nil {
		reg.Templates = []inventory.Template{}
	}
	for _, a := range l.apps {
		reg.Apps = append(reg.Apps, *a)
	}
	sort.SliceStable(l.email, func(i, j int) bool { return l.email[i].ID < l.email[j].ID })
	reg.PinpointEmail = l.email
	l.inv.Regions = []inventory.Region{reg}
	return l.inv, nil
}

var (
	cfnTypeLine = regexp.MustCompile(`(?m)^\s*"?Type"?\s*:\s*['"]?AWS::[A-Za-z0-9]+::`)
	cfnVersion  = []byte("AWSTemplateFormatVersion")
)

// Detect reports whether data is a CloudFormation template. For a YAML
// mapping that is not one it returns false with a reason the dispatcher
// can show; for anything else (JSON of another kind, CSV, HTML) the reason
// is empty.
func Detect(data []byte) (ok bool, reason string) {
	if len(bytes.TrimSpace(data)) == 0 {
		return false, ""
	}
	if isJSON(data) {
		var top map[string]json.RawMessage
		if err := json.Unmarshal(bytes.TrimPrefix(data, []byte("\ufeff")), &top); err != nil {
			// Broken, but plainly meant as a template: let Load say where.
			return bytes.Contains(data, cfnVersion) || cfnTypeLine.Match(data), ""
		}
		if _, ok := top["AWSTemplateFormatVersion"]; ok {
			return true, ""
		}
		var resources map[string]struct {
			Type any `json:"Type"`
		}
		if json.Unmarshal(top["Resources"], &resources) == nil {
			for _, r := range resources {
				if s, ok := r.Type.(string); ok && s != "" {
					return true, ""
				}
			}
		}
		return false, ""
	}
	var doc yaml.Node
	err := func() (err error) {
		defer func() {
			if r := recover(); r != nil {
				err = fmt.Errorf("YAML parser failed: %v", r)
			}
		}()
		return yaml.NewDecoder(bytes.NewReader(data)).Decode(&doc)
	}()
	if err != nil {
		return bytes.Contains(data, cfnVersion) || cfnTypeLine.Match(data), ""
	}
	if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return false, ""
	}
	top := doc.Content[0]
	var resources *yaml.Node
	for i := 0; i+1 < len(top.Content); i += 2 {
		switch top.Content[i].Value {
		case "AWSTemplateFormatVersion":
			return true, ""
		case "Resources":
			resources = top.Content[i+1]
		}
	}
	if resources == nil || resources.Kind != yaml.MappingNode {
		return false, "YAML file is not a CloudFormation template: no Resources"
	}
	for i := 1; i < len(resources.Content); i += 2 {
		r := resources.Content[i]
		if r.Kind != yaml.MappingNode {
			continue
		}
		for j := 0; j+1 < len(r.Content); j += 2 {
			if r.Content[j].Value == "Type" && r.Content[j+1].Kind == yaml.ScalarNode && r.Content[j+1].Value != "" {
				return true, ""
			}
		}
	}
	return false, "YAML file is not a CloudFormation template: no resource in Resources has a Type"
}
