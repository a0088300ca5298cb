package blueprint

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/p2c/p2c/internal/assess"
	"github.com/p2c/p2c/internal/inventory"
	"github.com/p2c/p2c/internal/translate"
)

// Stages 20 and 30: the calculated attributes migrated segments compare
// (recency and metrics) and the Customer Profiles segment definitions
// themselves (connect-target.md 3.7, 3.8). Both stages translate the same
// segments with internal/translate; the translation is pure, so stage 20
// recomputes what stage 30 will write instead of sharing state.

// Step kinds of these stages.
const (
	KindCalculatedAttribute = "calculated-attribute"
	KindSegmentDefinition   = "segment-definition"
)

const (
	// segCycleDrop and segCycleSkip answer <region>.segment-cycle.<id>.
	segCycleDrop = "drop-sources"
	segCycleSkip = "skip"
	// segActivityNone answers <region>.activity-object-type: no app
	// activity reaches Customer Profiles.
	segActivityNone = "none"
	// segActivityEventField and segActivitySession are the event stream
	// record's event type field and Pinpoint's session-start event: what
	// a consumer writing the app's events to a profile object type keeps.
	segActivityEventField = "event_type"
	segActivitySession    = "_session.start"
)

// segHexID is the shape of a segment id Pinpoint generated.
var segHexID = regexp.MustCompile(`^[0-9a-f]{32}$`)

func init() {
	registerStage(Stage{Name: "calculated-attributes", Order: 20, Build: buildCalculatedAttributes})
	registerStage(Stage{Name: "segment-definitions", Order: 30, Build: buildSegmentDefinitions})
}

// segDef is one segment definition to create: the latest version of a
// Pinpoint segment, or an older version a campaign pins.
type segDef struct {
	seg     *inventory.Segment
	obj     map[string]any
	version int  // the Pinpoint version translated
	pinned  bool // an older version kept for the campaigns pinning it
	id      string
	name    string // SegmentDefinitionName
	res     translate.SegmentResult
	notes   []string // transformations beyond the translator's
	waits   []string
	// skip: the definition is not created (a cycle answered skip).
	skip string
	// pinnedBy names the campaigns pinning this version.
	pinnedBy []string
}

// segAppPlan is what an app's segments become.
type segAppPlan struct {
	ref   profDomainRef
	scope string // "" for the region's shared domain, else the app id
	defs  []*segDef
	// missingPins notes, per segment id, pinned versions the inventory
	// has no content for.
	missingPins map[string][]string
}

// segDomainScope is the app part of the step ids of an app's domain: ""
// when the region's apps share one domain.
func segDomainScope(b *Builder, region, app string) string {
	if b.targets[region+"/"+app] != nil {
		return app
	}
	return ""
}

// segStepFor is the step id of the segment definition a campaign or
// journey sends to: the definition of the pinned version when stage 30
// made one, else the latest version's ("" when none is planned).
func segStepFor(b *Builder, region, app, segID string, version int) string {
	if version > 0 {
		if id := StepID(KindSegmentDefinition, region, app, segID+"/v"+strconv.Itoa(version)); b.Step(id) != nil {
			return id
		}
	}
	if id := StepID(KindSegmentDefinition, region, app, segID); b.Step(id) != nil {
		return id
	}
	return ""
}

// segUse is a migrated campaign or journey sending to a segment.
type segUse struct {
	what     string // "campaign c1"
	version  int    // pinned segment version, 0 for the latest
	channels []string
}

// segUses lists, per segment id, the migrated campaigns and journeys of
// an app that send to it, with the channels they send on.
func segUses(b *Builder, region string, app *inventory.App) map[string][]segUse {
	out := map[string][]segUse{}
	for _, c := range app.Campaigns {
		o := cmpDecode(c.Object)
		if o == nil || !segCampaignMigrated(b, region, app.ID, c.ID) {
			continue
		}
		seg := assess.Str(o, "SegmentId")
		if seg == "" || assess.Str(o, "Schedule.Frequency") == "EVENT" {
			continue // event campaigns filter through their trigger
		}
		v, _ := assess.Num(o, "SegmentVersion")
		var chans []string
		if assess.Has(o, "MessageConfiguration.EmailMessage") || assess.Has(o, "TemplateConfiguration.EmailTemplate") {
			chans = append(chans, "EMAIL")
		}
		if assess.Has(o, "MessageConfiguration.SMSMessage") || assess.Has(o, "TemplateConfiguration.SMSTemplate") {
			chans = append(chans, "SMS")
		}
		out[seg] = append(out[seg], segUse{what: "campaign " + c.ID, version: int(v), channels: chans})
	}
	for _, j := range app.Journeys {
		o := cmpDecode(j.Object)
		if o == nil || jrnRetired(j, o) != "" {
			continue
		}
		seg := assess.Str(o, "StartCondition.SegmentStartCondition.SegmentId")
		if seg == "" {
			continue
		}
		var chans []string
		for _, a := range jrnActs(o) {
			switch a.typ {
			case "EMAIL", "SMS":
				chans = append(chans, a.typ)
			case "ContactCenter":
				chans = append(chans, "VOICE")
			}
		}
		out[seg] = append(out[seg], segUse{what: "journey " + j.ID, channels: chans})
	}
	return out
}

// segCampaignMigrated: the campaign stage recreates the campaign (it is
// neither finished nor in-app).
func segCampaignMigrated(b *Builder, region, app, id string) bool {
	fs := b.Findings(assess.WorkloadID(region, app, assess.KindCampaign, id))
	return cmpHas(fs, "CMP-FINISHED") == nil && cmpHas(fs, "CMP-IN-APP") == nil
}

// segDefName is the definition name of a segment: readable, unique in a
// shared domain (segment ids are), at most 64 of [A-Za-z0-9_-].
func segDefName(seg *inventory.Segment, obj map[string]any, version int) string {
	name := seg.Name
	if name == "" {
		name = assess.Str(obj, "Name")
	}
	slug := strings.Trim(strings.ToLower(profSanitize(name)), "_-")
	if len(slug) > 24 {
		slug = strings.TrimRight(slug[:24], "_-")
	}
	// Pinpoint segment ids are 32 random hex digits: 12 keep them apart.
	// Other ids (saved IaC names them "iac:file#Resource") are hashed, so
	// two never share a prefix-based name.
	id := seg.ID
	switch {
	case segHexID.MatchString(id):
		id = id[:12]
	case len(id) > 12 || profSanitize(id) != id:
		h := sha256.Sum256([]byte(seg.ID))
		id = hex.EncodeToString(h[:6])
	}
	base := id
	if slug != "" {
		base = slug + "-" + id
	}
	if version > 0 {
		base += "-v" + strconv.Itoa(version)
	}
	// Leave room for the translator's helper suffixes (-g1-any, -groups).
	return profSafeName(base, 52)
}

// segVersionObject finds a version of a segment in its history.
func segVersionObject(seg *inventory.Segment, version int) map[string]any {
	for _, raw := range seg.Versions {
		m := cmpDecode(raw)
		if v, ok := assess.Num(m, "Version"); ok && int(v) == version {
			return m
		}
	}
	return nil
}

// segMultiValued lists the Pinpoint paths whose profile attribute joins
// several values: attributes with value lists, and endpoint-level values
// when a user has several endpoints (the loader joins them).
func segMultiValued(st *inventory.EndpointStats) map[string]bool {
	out := map[string]bool{}
	if st == nil {
		return out
	}
	multiEndpoint := false
	for _, h := range st.EndpointsPerUser {
		if h.Endpoints > 1 && h.Users > 0 {
			multiEndpoint = true
		}
	}
	for _, a := range st.Attributes {
		switch a.Scope {
		case inventory.ScopeUserAttributes:
			if a.MaxValues > 1 {
				out["User.UserAttributes."+a.Key] = true
			}
		case inventory.ScopeAttributes, inventory.ScopeDemographic:
			if a.MaxValues > 1 || multiEndpoint {
				out[a.Scope+"."+a.Key] = true
			}
		}
	}
	return out
}

// segActivity asks where app activity events reach Customer Profiles, for
// Behavior.Recency. It returns the source (nil when none or open) and the
// key to wait on while open.
func segActivity(b *Builder, region, app string, perApp bool) (*translate.ActivitySource, []string) {
	key := region + ".activity-object-type"
	scope := "the apps of " + region
	if perApp {
		key += "." + app
		scope = "app " + app
	}
	ans := b.Ask(Question{Key: key, Kind: KindText, Suggested: segActivityNone,
		Context: fmt.Sprintf("Segments of %s select endpoints active or inactive recently (Behavior.Recency, SEG-RECENCY). Pinpoint computed that from "+
			"app session events, which do not reach Customer Profiles. Answer with the name of the profile object type a consumer of the app's "+
			"event stream writes the events to (records keep the field %s; %s events are counted), or %s to leave the recency conditions out.",
			scope, segActivityEventField, segActivitySession, segActivityNone),
		Why: "Without such events no calculated attribute can say who was active; leaving the condition out widens the audience, so a person decides."})
	switch ans {
	case "":
		return nil, []string{key}
	case segActivityNone:
		return nil, nil
	}
	return &translate.ActivitySource{ObjectTypeName: ans, EventTypeField: segActivityEventField, EventTypes: []string{segActivitySession}}, nil
}

// segPlanApp translates an app's segments (latest versions, and the
// versions migrated campaigns pin) in dependency order: source segments
// first. ok is false when the app has no domain.
func segPlanApp(b *Builder, r *inventory.Region, app *inventory.App) (*segAppPlan, bool) {
	ref, ok := profilesDomainFor(b, r.Name, app.ID)
	if !ok || len(app.Segments) == 0 {
		return nil, false
	}
	p := &segAppPlan{ref: ref, scope: segDomainScope(b, r.Name, app.ID), missingPins: map[string][]string{}}
	uses := segUses(b, r.Name, app)

	byID := map[string]*inventory.Segment{}
	for i := range app.Segments {
		byID[app.Segments[i].ID] = &app.Segments[i]
	}
	order, cyclic := segOrder(app.Segments)

	// The recency question is asked once per domain, only when needed.
	var activity *translate.ActivitySource
	var activityWaits []string
	recency := false
	for _, s := range app.Segments {
		recency = recency || strings.Contains(string(s.Object), `"Recency"`)
	}
	if recency {
		activity, activityWaits = segActivity(b, r.Name, app.ID, p.scope != "")
	}
	multi := segMultiValued(app.EndpointStats)

	names := map[string]string{} // segment id -> definition name, once planned
	for _, id := range order {
		seg := byID[id]
		obj := cmpDecode(seg.Object)
		if obj == nil {
			obj = map[string]any{}
		}
		latest := seg.Version
		if latest == 0 {
			if v, ok := assess.Num(obj, "Version"); ok {
				latest = int(v)
			}
		}
		chans := map[string]bool{}
		pins := map[int][]string{}
		for _, u := range uses[id] {
			for _, c := range u.channels {
				chans[c] = true
			}
			if u.version > 0 && u.version != latest {
				pins[u.version] = append(pins[u.version], u.what)
			}
		}
		channels := sortedKeys(chans)

		versions := []int{latest}
		var pinVersions []int
		for v := range pins {
			pinVersions = append(pinVersions, v)
		}
		sort.Ints(pinVersions)
		versions = append(versions, pinVersions...)

		for i, v := range versions {
			d := &segDef{seg: seg, obj: obj, version: v, pinned: i > 0, id: StepID(KindSegmentDefinition, r.Name, app.ID, id)}
			if d.pinned {
				d.obj = segVersionObject(seg, v)
				if d.obj == nil {
					p.missingPins[id] = append(p.missingPins[id], fmt.Sprintf("version %d pinned by %s is not in the inventory (no version history was read): they send to the latest version's definition", v, strings.Join(pins[v], ", ")))
					continue
				}
				d.id = StepID(KindSegmentDefinition, r.Name, app.ID, id+"/v"+strconv.Itoa(v))
				d.pinnedBy = pins[v]
				d.name = segDefName(seg, obj, v)
			} else {
				d.name = segDefName(seg, obj, 0)
			}
			if cyclic[id] {
				key := r.Name + ".segment-cycle." + id
				ans := b.Ask(Question{Key: key, Kind: KindChoice, Choices: []string{segCycleDrop, segCycleSkip}, Suggested: segCycleDrop,
					Context: fmt.Sprintf("Segment %s of app %s is part of a cycle of source segments (%s); no order creates them all with their sources.",
						segLabel(seg, obj), profAppLabel(app), strings.Join(sortedKeys(cyclic), ", ")),
					Why: "Dropping the source references that close the cycle keeps the rest of the segment; the plan lists what is not carried."})
				switch ans {
				case "":
					d.waits = append(d.waits, key)
				case segCycleSkip:
					d.skip = "not created: its source segments form a cycle and " + key + " says skip"
				}
				d.notes = append(d.notes, "Source segments form a cycle ("+strings.Join(sortedKeys(cyclic), ", ")+"): references to segments not yet defined are left out.")
			}
			ctx := translate.SegmentContext{Name: d.name, DisplayName: segLabel(seg, obj), SourceNames: names, Channels: channels,
				MultiValued: multi, DomainName: ref.Name, EndpointObjectType: ProfileObjectTypeName, Activity: activity}
			if d.pinned {
				ctx.DisplayName = fmt.Sprintf("%s (version %d)", segLabel(seg, obj), v)
			}
			res, err := translate.Segment(d.obj, ctx)
			if err != nil {
				d.skip = "not created: " + err.Error()
			}
			d.res = res
			if recency && strings.Contains(string(seg.Object), `"Recency"`) {
				d.waits = append(d.waits, activityWaits...)
				if activity != nil {
					d.notes = append(d.notes, fmt.Sprintf("Recency counts %s events of object type %s (decision): the app's events must be written there.", segActivitySession, activity.ObjectTypeName))
				}
			}
			if len(channels) == 0 {
				d.notes = append(d.notes, "No migrated campaign or journey sends to the segment: opted-out profiles of every channel Connect reaches are excluded.")
			} else {
				d.notes = append(d.notes, "Opt-out exclusion covers the channels its campaigns and journeys send on: "+strings.Join(channels, ", ")+".")
			}
			if d.pinned {
				d.notes = append(d.notes, fmt.Sprintf("Version %d is pinned by %s while version %d is the latest: it is a definition of its own, %s, since segment definitions have no versions.",
					v, strings.Join(d.pinnedBy, ", "), latest, d.name))
			}
			p.defs = append(p.defs, d)
		}
		if d := p.latest(id); d != nil && d.skip == "" {
			names[id] = d.name
		}
	}
	return p, true
}

func (p *segAppPlan) latest(segID string) *segDef {
	for _, d := range p.defs {
		if d.seg.ID == segID && !d.pinned {
			return d
		}
	}
	return nil
}

// segLabel names a segment for people.
func segLabel(seg *inventory.Segment, obj map[string]any) string {
	name := seg.Name
	if name == "" {
		name = assess.Str(obj, "Name")
	}
	if name == "" {
		return seg.ID
	}
	return name
}

// segOrder sorts segment ids so that source segments come first (Kahn's
// algorithm, ties by id); the ids left in cycles follow, by id.
func segOrder(segs []inventory.Segment) ([]string, map[string]bool) {
	deps := map[string]map[string]bool{}
	for _, s := range segs {
		deps[s.ID] = map[string]bool{}
	}
	for _, s := range segs {
		o := cmpDecode(s.Object)
		for _, g := range assess.List(o, "SegmentGroups.Groups") {
			gm, _ := g.(map[string]any)
			for _, src := range assess.List(gm, "SourceSegments") {
				sm, _ := src.(map[string]any)
				if id := assess.Str(sm, "Id"); id != "" && id != s.ID && deps[id] != nil {
					deps[s.ID][id] = true
				} else if id == s.ID {
					deps[s.ID][id] = true // a segment that is its own source is a cycle of one
				}
			}
		}
	}
	var order []string
	done := map[string]bool{}
	for {
		var ready []string
		for id, ds := range deps {
			if done[id] {
				continue
			}
			ok := true
			for d := range ds {
				ok = ok && done[d]
			}
			if ok {
				ready = append(ready, id)
			}
		}
		if len(ready) == 0 {
			break
		}
		sort.Strings(ready)
		for _, id := range ready {
			done[id] = true
		}
		order = append(order, ready...)
	}
	cyclic := map[string]bool{}
	var rest []string
	for id := range deps {
		if !done[id] {
			cyclic[id] = true
			rest = append(rest, id)
		}
	}
	sort.Strings(rest)
	return append(order, rest...), cyclic
}

// --- stage 20 ---------------------------------------------------------------

func buildCalculatedAttributes(b *Builder) error {
	for _, r := range sortedRegions(b.In.Inventory) {
		type calc struct {
			def     map[string]any
			sources []Source
			segs    []string
			ref     profDomainRef
			waits   []string
			scope   string
		}
		byDomain := map[string]map[string]*calc{} // domain step id -> name -> calc
		var domains []string
		for ai := range r.Apps {
			app := &r.Apps[ai]
			p, ok := segPlanApp(b, r, app)
			if !ok {
				continue
			}
			for _, d := range p.defs {
				if d.skip != "" {
					continue
				}
				for _, def := range d.res.CalculatedAttributes {
					name, _ := def["CalculatedAttributeName"].(string)
					if byDomain[p.ref.StepID] == nil {
						byDomain[p.ref.StepID] = map[string]*calc{}
						domains = append(domains, p.ref.StepID)
					}
					c := byDomain[p.ref.StepID][name]
					if c == nil {
						c = &calc{def: def, ref: p.ref, scope: p.scope}
						byDomain[p.ref.StepID][name] = c
					}
					src := Source{Kind: inventory.KindSegment, Region: r.Name, App: app.ID, ID: d.seg.ID}
					if d.version > 0 {
						src.Version = strconv.Itoa(d.version)
					}
					if !containsSource(c.sources, src) {
						c.sources = append(c.sources, src)
						c.segs = append(c.segs, segLabel(d.seg, d.obj))
					}
					for _, w := range d.waits {
						if strings.Contains(w, ".activity-object-type") && strings.HasPrefix(name, "p2c_activity_") && !contains(c.waits, w) {
							c.waits = append(c.waits, w)
						}
					}
				}
			}
		}
		sort.Strings(domains)
		for _, dom := range domains {
			calcs := byDomain[dom]
			var ref profDomainRef
			for _, name := range sortedKeys(calcs) {
				c := calcs[name]
				ref = c.ref
				spec := map[string]any{}
				for k, v := range c.def {
					spec[k] = v
				}
				// Objects loaded before the definition exists count too, so
				// the order of apply and p2c profiles load does not matter.
				spec["UseHistoricalData"] = true
				spec["Tags"] = map[string]string{"p2c:source": "pinpoint"}
				desc, _ := c.def["Description"].(string)
				tr := []string{desc, "Used by segment(s) " + strings.Join(c.segs, ", ") + "; UseHistoricalData counts endpoints loaded before it exists."}
				if strings.HasPrefix(name, "p2c_activity_") {
					tr = append(tr, "Counts events of an object type that p2c does not create: the app's activity events must reach it (SEG-RECENCY).")
				}
				b.Add(Step{ID: StepID(KindCalculatedAttribute, r.Name, c.scope, name), Region: r.Name, App: c.scope,
					Kind: KindCalculatedAttribute, Name: name, Service: "customer-profiles", Operation: "CreateCalculatedAttributeDefinition",
					Spec: Spec(spec), DependsOn: []string{c.ref.ObjectTypeStepID}, Sources: c.sources, Transformations: tr,
					WaitsOn: append(append([]string(nil), c.ref.WaitsOn...), c.waits...)})
			}
			b.Quota(QuotaCheck{Region: r.Name, Scope: "domain", Quota: "calculated attributes per domain", Limit: quotaCalcAttrsPerDomain,
				Planned: len(calcs), Note: "domain " + ref.Name + "; the quota cannot be raised"})
		}
	}
	return nil
}

func containsSource(list []Source, s Source) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// --- stage 30 ---------------------------------------------------------------

func buildSegmentDefinitions(b *Builder) error {
	for _, r := range sortedRegions(b.In.Inventory) {
		for ai := range r.Apps {
			app := &r.Apps[ai]
			p, ok := segPlanApp(b, r, app)
			if !ok {
				continue
			}
			defSteps := map[string]string{} // definition name -> step id
			for _, d := range p.defs {
				segAddDefinition(b, r, app, p, d, defSteps)
			}
		}
	}
	return nil
}

// segAddDefinition adds the helper definitions and the definition of one
// segment version.
func segAddDefinition(b *Builder, r *inventory.Region, app *inventory.App, p *segAppPlan, d *segDef, defSteps map[string]string) {
	src := Source{Kind: inventory.KindSegment, Region: r.Name, App: app.ID, ID: d.seg.ID}
	if d.version > 0 {
		src.Version = strconv.Itoa(d.version)
	}
	var findings []string
	for _, f := range b.Findings(assess.WorkloadID(r.Name, app.ID, assess.KindSegment, d.seg.ID)) {
		findings = append(findings, f.ID)
	}
	sort.Strings(findings)
	st := Step{ID: d.id, Region: r.Name, App: app.ID, AppName: app.Name, Kind: KindSegmentDefinition, Name: d.name,
		Sources: []Source{src}, Findings: findings}
	if d.skip != "" {
		b.Add(cmpNoOp(st, d.skip))
		return
	}
	waits := append(append([]string(nil), p.ref.WaitsOn...), d.waits...)

	// deps finds the steps a group structure refers to: helper and source
	// definitions, calculated attributes.
	deps := func(groups map[string]any) []string {
		out := []string{p.ref.ObjectTypeStepID}
		raw, _ := json.Marshal(groups)
		var walk func(v any)
		walk = func(v any) {
			switch x := v.(type) {
			case map[string]any:
				if n, ok := x["SegmentDefinitionName"].(string); ok && defSteps[n] != "" && !contains(out, defSteps[n]) {
					out = append(out, defSteps[n])
				}
				if ca, ok := x["CalculatedAttributes"].(map[string]any); ok {
					for _, name := range sortedKeys(ca) {
						if id := StepID(KindCalculatedAttribute, r.Name, p.scope, name); b.Step(id) != nil && !contains(out, id) {
							out = append(out, id)
						}
					}
				}
				for _, k := range sortedKeys(x) {
					walk(x[k])
				}
			case []any:
				for _, e := range x {
					walk(e)
				}
			}
		}
		var v any
		_ = json.Unmarshal(raw, &v)
		walk(v)
		return out
	}
	desc := fmt.Sprintf("Pinpoint segment %s (%s) version %d of app %s, migrated by p2c.", segLabel(d.seg, d.obj), d.seg.ID, d.version, profAppLabel(app))

	for _, h := range d.res.Helpers {
		id := d.id + "/" + h.Name
		b.Add(Step{ID: id, Region: r.Name, App: app.ID, AppName: app.Name, Kind: KindSegmentDefinition, Name: h.Name,
			Service: "customer-profiles", Operation: "CreateSegmentDefinition",
			Spec: Spec(map[string]any{"DomainName": p.ref.Name, "SegmentDefinitionName": h.Name, "DisplayName": h.DisplayName,
				"Description": clip("Part of "+desc, 4000), "SegmentGroups": h.SegmentGroups, "Tags": map[string]string{"p2c:source": "pinpoint"}}),
			DependsOn: deps(h.SegmentGroups), Sources: []Source{src}, WaitsOn: waits,
			Transformations: []string{"Helper definition of " + d.name + ": Customer Profiles groups cannot nest, so part of the segment's logic is a definition of its own."}})
		defSteps[h.Name] = id
	}

	st.Service, st.Operation = "customer-profiles", "CreateSegmentDefinition"
	st.Spec = Spec(map[string]any{"DomainName": p.ref.Name, "SegmentDefinitionName": d.name, "DisplayName": clip(segDisplay(d), 255),
		"Description": clip(desc, 4000), "SegmentGroups": d.res.SegmentGroups, "Tags": map[string]string{"p2c:source": "pinpoint"}})
	st.DependsOn = deps(d.res.SegmentGroups)
	st.WaitsOn = waits
	st.Transformations = append(append([]string(nil), d.res.Notes...), d.notes...)
	if assess.Str(d.obj, "SegmentType") == "IMPORT" {
		st.Transformations = append(st.Transformations, fmt.Sprintf("Imported segment: its members are ingested by `p2c profiles load`, which sets %s = true on their profiles; the definition selects that marker.",
			translate.ImportedSegmentAttribute(d.seg.ID)))
	}
	for _, pr := range d.res.Untranslated {
		st.Transformations = append(st.Transformations, "not carried: "+pr.Path+": "+pr.Reason)
	}
	if !d.pinned {
		for _, m := range p.missingPins[d.seg.ID] {
			st.Transformations = append(st.Transformations, "not carried: "+m)
		}
	}
	b.Add(st)
	defSteps[d.name] = st.ID
}

// segDisplay is a definition's display name.
func segDisplay(d *segDef) string {
	if d.pinned {
		return fmt.Sprintf("%s (version %d)", segLabel(d.seg, d.obj), d.version)
	}
	return segLabel(d.seg, d.obj)
}
