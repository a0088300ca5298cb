package translate

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Customer Profiles limits a dimension must respect (model).
const (
	dimValuesMax = 50
	dimValueLen  = 255
	nameMax      = 64
)

var definitionNameRE = regexp.MustCompile(`^[a-zA-Z0-9_-]{1,64}$`)

// SegmentContext is what Segment needs to know beyond the segment itself.
type SegmentContext struct {
	// Name is the segment definition name this segment becomes
	// ([a-zA-Z0-9_-]{1,64}); helper definitions are named after it.
	Name string
	// DisplayName of the helper definitions' parent; the segment's Name
	// when empty.
	DisplayName string
	// SourceNames maps the Pinpoint id of every segment this one may use
	// as a source segment to the name of its segment definition.
	SourceNames map[string]string
	// Channels are the channels (EMAIL, SMS, VOICE) the segment is sent
	// on. The opt-out exclusion covers these, or every channel Connect
	// reaches when empty (never contacting an opted-out address matters
	// more than reaching everyone).
	Channels []string
	// MultiValued holds the Pinpoint paths ("Attributes.interests",
	// "User.UserAttributes.Tier", "Demographic.Platform") whose profile
	// attribute holds several joined values: INCLUSIVE on them becomes
	// CONTAINS.
	MultiValued map[string]bool
	// DomainName fills the calculated attribute definitions; left out
	// when "".
	DomainName string
	// EndpointObjectType, when set, names the profile object type holding
	// one object per migrated endpoint (fields named by ObjectField). Metric
	// comparisons then use calculated attributes over a profile's
	// endpoints; otherwise they compare the profile attribute.
	EndpointObjectType string
	// Activity names the app events that reach Customer Profiles; without
	// it Behavior.Recency cannot be translated.
	Activity *ActivitySource
}

// ActivitySource is a profile object type receiving app session events.
type ActivitySource struct {
	ObjectTypeName string
	// EventTypeField is a field present on every event object.
	EventTypeField string
	// EventTypes, when set, restricts the count to these values of
	// EventTypeField (e.g. "_session.start").
	EventTypes []string
	// TimestampField is the object's event time (ISO-8601); when "" the
	// ingestion time is used.
	TimestampField string
}

// SegmentDefinition is a helper segment definition Segment needs created
// before the segment itself.
type SegmentDefinition struct {
	Name          string         `json:"name"`
	DisplayName   string         `json:"displayName"`
	SegmentGroups map[string]any `json:"segmentGroups"`
}

// SegmentResult is a Pinpoint segment translated for Customer Profiles
// CreateSegmentDefinition.
type SegmentResult struct {
	// SegmentGroups is a SegmentGroup (SDK member names).
	SegmentGroups map[string]any `json:"segmentGroups"`
	// Helpers are definitions SegmentGroups references, in creation order.
	Helpers []SegmentDefinition `json:"helpers,omitempty"`
	// CalculatedAttributes are CreateCalculatedAttributeDefinition inputs
	// the dimensions use, sorted by name.
	CalculatedAttributes []map[string]any `json:"calculatedAttributes,omitempty"`
	// Notes are the rewrites applied, one line each.
	Notes        []string  `json:"notes,omitempty"`
	Untranslated []Problem `json:"untranslated,omitempty"`
}

// ImportedSegmentAttribute names the marker attribute (value "true") the
// profile loader sets on the members of an imported Pinpoint segment.
func ImportedSegmentAttribute(segmentID string) string { return "PinpointSegment_" + segmentID }

// ChannelsValue is the value of ChannelsAttribute for a profile whose
// endpoints have these channel types: sorted, distinct, and wrapped in
// separators (",EMAIL,SMS,") so that a CONTAINS ",SMS," condition matches
// one channel exactly.
func ChannelsValue(channels []string) string {
	seen := map[string]bool{}
	var cs []string
	for _, c := range channels {
		c = strings.ToUpper(c)
		if c != "" && !seen[c] {
			seen[c] = true
			cs = append(cs, c)
		}
	}
	sort.Strings(cs)
	return FlattenSeparator + strings.Join(cs, FlattenSeparator) + FlattenSeparator
}

// pinpointChannels are Pinpoint's endpoint channel types.
var pinpointChannels = []string{"ADM", "APNS", "APNS_SANDBOX", "APNS_VOIP", "APNS_VOIP_SANDBOX", "BAIDU", "CUSTOM", "EMAIL", "GCM", "IN_APP", "PUSH", "SMS", "VOICE"}

// metricOps are the Pinpoint metric operators, all spelled the same in
// Customer Profiles.
var metricOps = map[string]bool{"GREATER_THAN": true, "LESS_THAN": true, "GREATER_THAN_OR_EQUAL": true, "LESS_THAN_OR_EQUAL": true, "EQUAL": true}

// recencyDays is the window of a Behavior.Recency duration in days
// (calculated attributes count whole days).
var recencyDays = map[string]int{"HR_24": 1, "DAY_7": 7, "DAY_14": 14, "DAY_30": 30}

// Segment translates a Pinpoint segment (a SegmentResponse, or the
// WriteSegmentRequest of a create call) into Customer Profiles segment
// groups. Every dimension Customer Profiles can express is translated;
// the rest is listed in Untranslated (the condition is left out, which
// widens or narrows the audience: the reason says which). Every result
// excludes the profiles opted out on the segment's channels.
func Segment(seg map[string]any, ctx SegmentContext) (SegmentResult, error) {
	if seg == nil {
		return SegmentResult{}, fmt.Errorf("translate segment: no segment object")
	}
	if !definitionNameRE.MatchString(ctx.Name) {
		return SegmentResult{}, fmt.Errorf("translate segment: definition name %q is not 1 to 64 letters, digits, _ or -", ctx.Name)
	}
	r := &segRun{ctx: ctx, calc: map[string]map[string]any{}, used: map[string]bool{}}
	if r.ctx.DisplayName == "" {
		r.ctx.DisplayName = orStr(str(seg, "Name"), ctx.Name)
	}
	var all []map[string]any // groups that must all match

	if str(seg, "SegmentType") == "IMPORT" {
		id := str(seg, "Id")
		if id == "" || len(ImportedSegmentAttribute(id)) > dimValueLen {
			r.problem("ImportDefinition", "the imported segment has no Id (of at most 239 characters) to name its member marker attribute by; its members cannot be selected")
		} else {
			key := ImportedSegmentAttribute(id)
			all = append(all, map[string]any{"Type": "ALL", "Dimensions": []any{attrDim(key, "INCLUSIVE", []string{"true"})}})
			r.note(fmt.Sprintf("Imported segment: members are the profiles the loader marked with attribute %s = true.", key))
		}
	}

	if d, ok := seg["Dimensions"].(map[string]any); ok && len(d) > 0 {
		if leaves := r.dims("Dimensions", d); len(leaves) > 0 {
			all = append(all, map[string]any{"Type": "ALL", "Dimensions": leaves})
		}
	}

	if sg, ok := seg["SegmentGroups"].(map[string]any); ok {
		include := orStr(str(sg, "Include"), "ALL")
		if !isInclude(include) {
			r.problem("SegmentGroups.Include", fmt.Sprintf("Include %q is not ALL, ANY or NONE; the groups are combined with ALL", include))
			include = "ALL"
		}
		groups, _ := sg["Groups"].([]any)
		var out []map[string]any
		for gi, g := range groups {
			gm, _ := g.(map[string]any)
			if cg := r.group(fmt.Sprintf("SegmentGroups.Groups[%d]", gi), gi, gm); cg != nil {
				out = append(out, cg)
			}
		}
		switch {
		case len(out) == 0:
		case include == "ALL":
			all = append(all, out...)
		default:
			// The opt-out exclusion must apply to the whole audience, so a
			// top-level ANY/NONE moves into a helper definition.
			h := r.helper("-groups", fmt.Sprintf("groups combined with %s", include), map[string]any{"Include": include, "Groups": anyList(out)})
			all = append(all, map[string]any{"SourceType": "ALL", "SourceSegments": []any{srcRef(h)}})
			r.note(fmt.Sprintf("The groups combined with Include %s moved to helper segment definition %s so that opted-out profiles can be excluded from the whole audience.", include, h))
		}
	}

	if len(all) == 0 {
		r.note("The segment has no condition that Customer Profiles can express: it selects every profile (minus opted-out ones).")
	}
	all = append(all, r.optOut())
	res := SegmentResult{
		SegmentGroups: map[string]any{"Include": "ALL", "Groups": anyList(all)},
		Helpers:       r.helpers,
		Notes:         r.notes,
		Untranslated:  r.problems,
	}
	for _, name := range sortedKeys(r.calc) {
		res.CalculatedAttributes = append(res.CalculatedAttributes, r.calc[name])
	}
	return res, nil
}

type segRun struct {
	ctx      SegmentContext
	notes    []string
	noted    map[string]bool
	problems []Problem
	helpers  []SegmentDefinition
	used     map[string]bool // helper names
	calc     map[string]map[string]any
}

func (r *segRun) note(s string) {
	if r.noted == nil {
		r.noted = map[string]bool{}
	}
	if !r.noted[s] {
		r.noted[s] = true
		r.notes = append(r.notes, s)
	}
}

func (r *segRun) problem(path, reason string) {
	r.problems = append(r.problems, Problem{Path: path, Pos: -1, Reason: reason})
}

func orStr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func isInclude(s string) bool { return s == "ALL" || s == "ANY" || s == "NONE" }

func anyList(gs []map[string]any) []any {
	out := make([]any, len(gs))
	for i, g := range gs {
		out[i] = g
	}
	return out
}

func srcRef(name string) map[string]any { return map[string]any{"SegmentDefinitionName": name} }

// helper records a helper definition and returns its name.
func (r *segRun) helper(suffix, what string, groups map[string]any) string {
	name := fitName(r.ctx.Name, suffix)
	for n := 2; r.used[name]; n++ {
		name = fitName(r.ctx.Name, fmt.Sprintf("%s%d", suffix, n))
	}
	r.used[name] = true
	display := truncate(r.ctx.DisplayName+" ("+what+")", 255)
	r.helpers = append(r.helpers, SegmentDefinition{Name: name, DisplayName: display, SegmentGroups: groups})
	return name
}

// fitName appends suffix to base within the 64-character name limit,
// shortening base with a hash of it when needed so names stay distinct.
func fitName(base, suffix string) string {
	if len(base)+len(suffix) <= nameMax {
		return base + suffix
	}
	sum := sha256.Sum256([]byte(base))
	h := "-" + hex.EncodeToString(sum[:])[:6]
	keep := max(nameMax-len(suffix)-len(h), 1)
	return base[:keep] + h + suffix
}

// group translates one Pinpoint SegmentGroup into one Customer Profiles
// group (nil when nothing of it remains).
func (r *segRun) group(path string, gi int, g map[string]any) map[string]any {
	typ := orStr(str(g, "Type"), "ALL")
	if !isInclude(typ) {
		r.problem(path+".Type", fmt.Sprintf("group Type %q is not ALL, ANY or NONE; its dimensions are combined with ALL", typ))
		typ = "ALL"
	}
	srcType := orStr(str(g, "SourceType"), "ALL")
	if !isInclude(srcType) {
		r.problem(path+".SourceType", fmt.Sprintf("SourceType %q is not ALL, ANY or NONE; the source segments are combined with ALL", srcType))
		srcType = "ALL"
	}
	var sources []any
	srcs, _ := g["SourceSegments"].([]any)
	for si, s := range srcs {
		sm, _ := s.(map[string]any)
		id := str(sm, "Id")
		name := r.ctx.SourceNames[id]
		if name == "" {
			r.problem(fmt.Sprintf("%s.SourceSegments[%d]", path, si), fmt.Sprintf("source segment %q has no migrated segment definition; the group is left without it", id))
			continue
		}
		sources = append(sources, srcRef(name))
		if v, ok := sm["Version"].(float64); ok && v > 0 {
			r.note(fmt.Sprintf("Source segment %s (version %g) is referenced as definition %s, which follows its latest version.", id, v, name))
		}
	}
	var sets [][]any
	dims, _ := g["Dimensions"].([]any)
	nested := false
	for di, d := range dims {
		dm, _ := d.(map[string]any)
		if leaves := r.dims(fmt.Sprintf("%s.Dimensions[%d]", path, di), dm); len(leaves) > 0 {
			sets = append(sets, leaves)
			nested = nested || len(leaves) > 1
		}
	}
	if len(sources) == 0 && len(sets) == 0 {
		r.problem(path, "nothing of the group can be expressed in Customer Profiles; the group is left out")
		return nil
	}
	if typ == "ALL" || !nested {
		var flat []any
		for _, s := range sets {
			flat = append(flat, s...)
		}
		out := map[string]any{}
		if len(flat) > 0 {
			out["Type"], out["Dimensions"] = typ, flat
		}
		if len(sources) > 0 {
			out["SourceType"], out["SourceSegments"] = srcType, sources
		}
		return out
	}
	// Pinpoint ANDs the criteria of one dimension set even under ANY/NONE;
	// a Customer Profiles group cannot nest that, but a definition's
	// groups can: each set becomes an ALL group of a helper combined with
	// the group's Type.
	var hg []map[string]any
	for _, s := range sets {
		hg = append(hg, map[string]any{"Type": "ALL", "Dimensions": s})
	}
	f := r.helper(fmt.Sprintf("-g%d-%s", gi+1, strings.ToLower(typ)), fmt.Sprintf("group %d conditions", gi+1), map[string]any{"Include": typ, "Groups": anyList(hg)})
	r.note(fmt.Sprintf("Group %d combines sets of several criteria with %s; they moved to helper segment definition %s.", gi+1, typ, f))
	switch {
	case len(sources) == 0:
		return map[string]any{"SourceType": "ALL", "SourceSegments": []any{srcRef(f)}}
	case srcType == "ALL":
		return map[string]any{"SourceType": "ALL", "SourceSegments": append(sources, srcRef(f))}
	}
	b := r.helper(fmt.Sprintf("-g%d-src", gi+1), fmt.Sprintf("group %d sources", gi+1),
		map[string]any{"Include": "ALL", "Groups": []any{map[string]any{"SourceType": srcType, "SourceSegments": sources}}})
	return map[string]any{"SourceType": "ALL", "SourceSegments": []any{srcRef(b), srcRef(f)}}
}

// dims translates one SegmentDimensions object (its criteria all apply)
// into Customer Profiles dimensions, one criterion each.
func (r *segRun) dims(path string, d map[string]any) []any {
	var out []any
	for _, k := range sortedKeys(d) {
		switch k {
		case "Demographic", "Location", "Attributes", "UserAttributes", "Metrics", "Behavior":
		default:
			r.problem(path+"."+k, fmt.Sprintf("unknown dimension kind %q", k))
		}
	}
	demo, _ := d["Demographic"].(map[string]any)
	for _, k := range sortedKeys(demo) {
		dim, _ := demo[k].(map[string]any)
		f := path + ".Demographic." + k
		if k == "Channel" {
			out = append(out, r.channel(f, dim)...)
			continue
		}
		typ, vals, ok := r.set(f, dim)
		if !ok {
			continue
		}
		p := "Demographic." + k
		if typ == "INCLUSIVE" && r.ctx.MultiValued[p] {
			typ = "CONTAINS"
			r.note(fmt.Sprintf("%s: INCLUSIVE became CONTAINS because a profile joins the values of its endpoints.", p))
		}
		if key, ok := r.key(f, p); ok {
			out = append(out, attrDim(key, typ, vals))
		}
	}
	loc, _ := d["Location"].(map[string]any)
	for _, k := range sortedKeys(loc) {
		f := path + ".Location." + k
		switch k {
		case "Country":
			dim, _ := loc[k].(map[string]any)
			if typ, vals, ok := r.set(f, dim); ok {
				out = append(out, map[string]any{"ProfileAttributes": map[string]any{"Address": map[string]any{
					"Country": map[string]any{"DimensionType": typ, "Values": strList(vals)}}}})
			}
		case "GPSPoint":
			r.problem(f, "Customer Profiles segments have no geographic distance condition; the radius condition is left out (the audience widens)")
		default:
			r.problem(f, fmt.Sprintf("unknown location dimension %q", k))
		}
	}
	for _, scope := range []string{"Attributes", "UserAttributes"} {
		attrs, _ := d[scope].(map[string]any)
		for _, k := range sortedKeys(attrs) {
			dim, _ := attrs[k].(map[string]any)
			p := scope + "." + k
			if scope == "UserAttributes" {
				p = "User.UserAttributes." + k
			}
			if leaf := r.attribute(path+"."+scope+"."+k, p, dim); leaf != nil {
				out = append(out, leaf)
			}
		}
	}
	metrics, _ := d["Metrics"].(map[string]any)
	for _, k := range sortedKeys(metrics) {
		dim, _ := metrics[k].(map[string]any)
		if leaf := r.metric(path+".Metrics."+k, k, dim); leaf != nil {
			out = append(out, leaf)
		}
	}
	beh, _ := d["Behavior"].(map[string]any)
	for _, k := range sortedKeys(beh) {
		f := path + ".Behavior." + k
		if k != "Recency" {
			r.problem(f, fmt.Sprintf("unknown behavior dimension %q", k))
			continue
		}
		rec, _ := beh[k].(map[string]any)
		if leaf := r.recency(f, rec); leaf != nil {
			out = append(out, leaf)
		}
	}
	return out
}

// key is the profile attribute holding Pinpoint path p, checked against
// the 1 to 255 characters of a profile attribute key.
func (r *segRun) key(f, p string) (string, bool) {
	k := ProfileAttribute(p)
	if k == "" || len(k) > dimValueLen {
		r.problem(f, fmt.Sprintf("the attribute name has %d characters; a profile attribute key takes 1 to %d; the condition is left out", len(k), dimValueLen))
		return "", false
	}
	return k, true
}

// attrDim is a profile attribute condition.
func attrDim(key, typ string, vals []string) map[string]any {
	return map[string]any{"ProfileAttributes": map[string]any{"Attributes": map[string]any{
		key: map[string]any{"DimensionType": typ, "Values": strList(vals)}}}}
}

func strList(vs []string) []any {
	out := make([]any, len(vs))
	for i, v := range vs {
		out[i] = v
	}
	return out
}

// values reads and checks a dimension's Values against the Customer
// Profiles limits (1 to 50 values of 1 to 255 characters).
func (r *segRun) values(f string, dim map[string]any) ([]string, bool) {
	raw, _ := dim["Values"].([]any)
	var vals []string
	for _, v := range raw {
		s, ok := v.(string)
		if !ok {
			r.problem(f, "a value is not a string; the condition is left out")
			return nil, false
		}
		if s == "" || len(s) > dimValueLen {
			r.problem(f, fmt.Sprintf("a value has %d characters; a Customer Profiles dimension takes 1 to %d; the condition is left out", len(s), dimValueLen))
			return nil, false
		}
		vals = append(vals, s)
	}
	switch {
	case len(vals) == 0:
		r.problem(f, "the condition has no values; a Customer Profiles dimension needs at least one; the condition is left out")
		return nil, false
	case len(vals) > dimValuesMax:
		r.problem(f, fmt.Sprintf("the condition lists %d values; a Customer Profiles dimension takes at most %d; the condition is left out", len(vals), dimValuesMax))
		return nil, false
	}
	return vals, true
}

// set reads a SetDimension.
func (r *segRun) set(f string, dim map[string]any) (string, []string, bool) {
	typ := orStr(str(dim, "DimensionType"), "INCLUSIVE")
	if typ != "INCLUSIVE" && typ != "EXCLUSIVE" {
		r.problem(f, fmt.Sprintf("DimensionType %q is neither INCLUSIVE nor EXCLUSIVE; the condition is left out", typ))
		return "", nil, false
	}
	vals, ok := r.values(f, dim)
	return typ, vals, ok
}

// channel translates Demographic.Channel into a condition on the
// profile's Channels attribute.
func (r *segRun) channel(f string, dim map[string]any) []any {
	typ, vals, ok := r.set(f, dim)
	if !ok {
		return nil
	}
	in := map[string]bool{}
	for _, v := range vals {
		in[strings.ToUpper(v)] = true
	}
	var want []string
	if typ == "INCLUSIVE" {
		want = sortedKeys(in)
		var push []string
		for _, v := range want {
			if !contains(ReachableChannels, v) {
				push = append(push, v)
			}
		}
		if len(push) > 0 {
			r.problem(f, fmt.Sprintf("the segment selects %s endpoints, which Connect outbound campaigns cannot send to; the condition keeps selecting the profiles that have them", strings.Join(push, ", ")))
		}
	} else {
		// Some endpoint of the profile has a channel outside the list.
		for _, c := range pinpointChannels {
			if !in[c] {
				want = append(want, c)
			}
		}
		if len(want) == 0 {
			r.problem(f, "the condition excludes every channel type; it is left out")
			return nil
		}
		r.note(fmt.Sprintf("Demographic.Channel EXCLUSIVE %s became %s CONTAINS the other channel types.", strings.Join(vals, ", "), ChannelsAttribute))
	}
	cs := make([]string, len(want))
	for i, c := range want {
		cs[i] = FlattenSeparator + c + FlattenSeparator
	}
	return []any{attrDim(ChannelsAttribute, "CONTAINS", cs)}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// attribute translates an AttributeDimension on profile path p.
func (r *segRun) attribute(f, p string, dim map[string]any) map[string]any {
	typ := orStr(str(dim, "AttributeType"), "INCLUSIVE")
	switch typ {
	case "INCLUSIVE", "EXCLUSIVE", "CONTAINS", "BEFORE", "AFTER", "ON", "BETWEEN", "NOT_BETWEEN":
	default:
		r.problem(f, fmt.Sprintf("AttributeType %q has no Customer Profiles equivalent; the condition is left out", typ))
		return nil
	}
	vals, ok := r.values(f, dim)
	if !ok {
		return nil
	}
	if (typ == "BETWEEN" || typ == "NOT_BETWEEN") && len(vals) != 2 {
		r.problem(f, fmt.Sprintf("%s needs a start and an end value, not %d value(s); the condition is left out", typ, len(vals)))
		return nil
	}
	key, ok := r.key(f, p)
	if !ok {
		return nil
	}
	if typ == "INCLUSIVE" && r.ctx.MultiValued[p] {
		typ = "CONTAINS"
		r.note(fmt.Sprintf("%s: INCLUSIVE became CONTAINS because the attribute's list values are joined on the profile.", p))
	}
	return attrDim(key, typ, vals)
}

// metric translates a MetricDimension.
func (r *segRun) metric(f, name string, dim map[string]any) map[string]any {
	op := str(dim, "ComparisonOperator")
	if !metricOps[op] {
		r.problem(f, fmt.Sprintf("comparison operator %q is unknown; the condition is left out", op))
		return nil
	}
	v, ok := dim["Value"].(float64)
	if !ok {
		r.problem(f, "the metric condition has no numeric Value; the condition is left out")
		return nil
	}
	val := strconv.FormatFloat(v, 'f', -1, 64)
	p := "Metrics." + name
	stat := map[string]string{"GREATER_THAN": "MAXIMUM", "GREATER_THAN_OR_EQUAL": "MAXIMUM", "LESS_THAN": "MINIMUM", "LESS_THAN_OR_EQUAL": "MINIMUM"}[op]
	if r.ctx.EndpointObjectType == "" || stat == "" {
		if r.ctx.EndpointObjectType != "" {
			r.note(fmt.Sprintf("%s EQUAL compares the profile attribute: no statistic over endpoints says \"some endpoint equals\".", p))
		}
		key, ok := r.key(f, p)
		if !ok {
			return nil
		}
		return attrDim(key, op, []string{val})
	}
	// "Some endpoint's metric is above v" is "the largest is above v".
	field := ObjectField(p)
	cname := calcName("p2c_metric_"+strings.ToLower(stat[:3])+"_", name)
	r.addCalc(cname, map[string]any{
		"CalculatedAttributeName": cname,
		"DisplayName":             cname,
		"Description":             truncate(fmt.Sprintf("%s of the Pinpoint metric %s over the profile's migrated endpoints (p2c).", stat[:1]+strings.ToLower(stat[1:]), name), 1000),
		"AttributeDetails": map[string]any{
			"Attributes": []any{map[string]any{"Name": field}},
			"Expression": "{" + r.ctx.EndpointObjectType + "." + field + "}",
		},
		"Statistic": stat,
	})
	r.note(fmt.Sprintf("%s %s %s compares calculated attribute %s (%s over the profile's endpoints).", p, op, val, cname, stat))
	return map[string]any{"CalculatedAttributes": map[string]any{cname: map[string]any{"DimensionType": op, "Values": []any{val}}}}
}

// recency translates Behavior.Recency into a count of activity events.
func (r *segRun) recency(f string, rec map[string]any) map[string]any {
	dur, typ := str(rec, "Duration"), orStr(str(rec, "RecencyType"), "ACTIVE")
	days, ok := recencyDays[dur]
	if !ok || (typ != "ACTIVE" && typ != "INACTIVE") {
		r.problem(f, fmt.Sprintf("recency %s over %q is not a known window; the condition is left out", typ, dur))
		return nil
	}
	a := r.ctx.Activity
	if a == nil || a.ObjectTypeName == "" || a.EventTypeField == "" {
		r.problem(f, fmt.Sprintf("%s within %s is computed from app session events, which do not reach Customer Profiles; the condition is left out", strings.ToLower(typ), dur))
		return nil
	}
	cname := fmt.Sprintf("p2c_activity_%dd", days)
	rng := map[string]any{"Value": days, "Unit": "DAYS"}
	if a.TimestampField != "" {
		rng["TimestampSource"] = "{" + a.ObjectTypeName + "." + a.TimestampField + "}"
		rng["TimestampFormat"] = "ISO_8601"
	}
	def := map[string]any{
		"CalculatedAttributeName": cname,
		"DisplayName":             cname,
		"Description":             fmt.Sprintf("App activity events of the profile in the last %d day(s) (p2c, from Pinpoint recency segments).", days),
		"AttributeDetails": map[string]any{
			"Attributes": []any{map[string]any{"Name": a.EventTypeField}},
			"Expression": "{" + a.ObjectTypeName + "." + a.EventTypeField + "}",
		},
		"Statistic":  "COUNT",
		"Conditions": map[string]any{"Range": rng},
	}
	if len(a.EventTypes) > 0 {
		ev := a.EventTypes
		if len(ev) > 10 {
			ev = ev[:10]
			r.problem(f, "more than 10 activity event types; the calculated attribute counts the first 10")
		}
		def["Filter"] = map[string]any{"Include": "ALL", "Groups": []any{map[string]any{"Type": "ALL", "Dimensions": []any{
			map[string]any{"Attributes": map[string]any{a.EventTypeField: map[string]any{"DimensionType": "INCLUSIVE", "Values": strList(ev)}}}}}}}
	}
	r.addCalc(cname, def)
	if dur == "HR_24" {
		r.note("Recency HR_24 became a 1-day window: calculated attributes count whole days.")
	}
	cond := map[string]any{"DimensionType": "GREATER_THAN", "Values": []any{"0"}}
	if typ == "INACTIVE" {
		cond = map[string]any{"DimensionType": "EQUAL", "Values": []any{"0"}}
		r.note(fmt.Sprintf("Recency INACTIVE %s selects profiles whose %s is 0; profiles with no activity event at all may have no value and need checking with a segment estimate.", dur, cname))
	}
	return map[string]any{"CalculatedAttributes": map[string]any{cname: cond}}
}

func (r *segRun) addCalc(name string, def map[string]any) {
	if r.ctx.DomainName != "" {
		def["DomainName"] = r.ctx.DomainName
	}
	r.calc[name] = def
}

// calcName builds a calculated attribute name (^[a-zA-Z_][a-zA-Z_0-9-]*$,
// at most 255 characters) that stays distinct for distinct keys.
func calcName(prefix, key string) string {
	b := []byte(key)
	changed := false
	for i, c := range b {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			b[i] = '_'
			changed = true
		}
	}
	name := prefix + string(b)
	if changed || len(name) > 200 {
		sum := sha256.Sum256([]byte(key))
		name = name[:min(len(name), 200)] + "_" + hex.EncodeToString(sum[:])[:8]
	}
	return name
}

// optOut is the group excluding opted-out profiles.
func (r *segRun) optOut() map[string]any {
	var chans []string
	for _, c := range r.ctx.Channels {
		if c = strings.ToUpper(c); contains(ReachableChannels, c) && !contains(chans, c) {
			chans = append(chans, c)
		}
	}
	sort.Strings(chans)
	if len(chans) == 0 {
		chans = ReachableChannels
	}
	var leaves []any
	var names []string
	for _, c := range chans {
		leaves = append(leaves, attrDim(OptOutAttribute(c), "INCLUSIVE", []string{OptOutValue}))
		names = append(names, OptOutAttribute(c))
	}
	r.note(fmt.Sprintf("Added an exclusion of opted-out profiles (%s = %s): Customer Profiles segments do not skip them the way Pinpoint did.", strings.Join(names, ", "), OptOutValue))
	return map[string]any{"Type": "NONE", "Dimensions": leaves}
}

// truncate cuts s to at most n characters.
func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n])
}
