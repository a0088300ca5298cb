package inventory

import (
	"bytes"
	"encoding/json"
	"regexp"
	"sort"
	"strings"
	"time"
)

// SyntheticPrefix starts the id of a resource an IaC source declares before
// AWS assigned it one; merging matches such entries to others by name.
const SyntheticPrefix = "iac:"

// IsSynthetic reports whether an id was made up for an IaC resource.
func IsSynthetic(id string) bool { return strings.HasPrefix(id, SyntheticPrefix) }

// Merge combines inventory fragments — a live scan and saved sources — into
// one inventory. One resource seen in several fragments becomes one entry
// carrying every provenance. Where fragments disagree, members are laid
// over each other from the oldest source to the newest, so the newest
// source wins each member it states; the disagreement is recorded as a
// Conflict that keeps the losing objects whole.
func Merge(frags []*Inventory) *Inventory {
	ordered := make([]*Inventory, 0, len(frags))
	for _, f := range frags {
		if f != nil {
			stampProvenance(f)
			ordered = append(ordered, f)
		}
	}
	sort.SliceStable(ordered, func(i, j int) bool { return readAt(ordered[i]).Before(readAt(ordered[j])) })
	out := &Inventory{SchemaVersion: SchemaVersion}
	m := &merger{out: out, renames: map[string]string{}, ambiguous: map[nameKey]bool{}}
	m.resolveNames(ordered)
	for _, f := range ordered {
		if out.Tool == "" || f.Tool != "" {
			out.Tool = f.Tool
		}
		if f.ScannedAt.After(out.ScannedAt) {
			out.ScannedAt = f.ScannedAt
		}
		if out.Account == "" {
			out.Account = f.Account
		}
		out.Sources = append(out.Sources, f.Sources...)
		out.Facts = append(out.Facts, f.Facts...)
		out.Warnings = append(out.Warnings, f.Warnings...)
		out.Unresolved = append(out.Unresolved, f.Unresolved...)
		out.Secrets = append(out.Secrets, f.Secrets...)
		out.Conflicts = append(out.Conflicts, f.Conflicts...)
		for _, r := range f.Regions {
			m.region(r)
		}
	}
	m.applyRenames()
	out.Facts = dedupeFacts(out.Facts)
	ResolveReferences(out)
	out.Sort()
	return out
}

func readAt(f *Inventory) time.Time {
	if len(f.Sources) > 0 && !f.Sources[0].ReadAt.IsZero() {
		return f.Sources[0].ReadAt
	}
	return f.ScannedAt
}

// stampProvenance gives every entry of a fragment that has none the
// fragment's own source, so a live scan needs no per-object bookkeeping.
func stampProvenance(f *Inventory) {
	if len(f.Sources) == 0 {
		return
	}
	src := f.Sources[0]
	id := src.ID
	if id == "" {
		id = src.Kind
	}
	p := func(op string) []Provenance {
		return []Provenance{{Source: id, Kind: src.Kind, Operation: op, ReadAt: readAt(f)}}
	}
	live := src.Kind == "live"
	op := func(name string) string {
		if live {
			return name
		}
		return ""
	}
	for ri := range f.Regions {
		r := &f.Regions[ri]
		for ai := range r.Apps {
			a := &r.Apps[ai]
			if a.Provenance == nil {
				a.Provenance = p(op("GetApps"))
			}
			for i := range a.Segments {
				if a.Segments[i].Provenance == nil {
					a.Segments[i].Provenance = p(op("GetSegmentVersions"))
				}
			}
			for i := range a.Campaigns {
				if a.Campaigns[i].Provenance == nil {
					a.Campaigns[i].Provenance = p(op("GetCampaignVersions"))
				}
			}
			for i := range a.Journeys {
				if a.Journeys[i].Provenance == nil {
					a.Journeys[i].Provenance = p(op("GetJourney"))
				}
			}
		}
		for i := range r.Templates {
			if r.Templates[i].Provenance == nil {
				r.Templates[i].Provenance = p(op("ListTemplateVersions"))
			}
		}
		stampObjects(r.Recommenders, p(op("GetRecommenderConfigurations")))
		stampObjects(r.EUM.PhoneNumbers, p(op("DescribePhoneNumbers")))
		stampObjects(r.EUM.SenderIDs, p(op("DescribeSenderIds")))
		stampObjects(r.EUM.ConfigurationSets, p(op("DescribeConfigurationSets")))
		stampObjects(r.EUM.Registrations, p(op("DescribeRegistrations")))
		stampObjects(r.PinpointEmail, p(""))
		for i := range r.EUM.Pools {
			if r.EUM.Pools[i].Provenance == nil {
				r.EUM.Pools[i].Provenance = p(op("DescribePools"))
			}
		}
		for i := range r.EUM.OptOutLists {
			if r.EUM.OptOutLists[i].Provenance == nil {
				r.EUM.OptOutLists[i].Provenance = p(op("DescribeOptOutLists"))
			}
		}
	}
}

func stampObjects(objs []Object, p []Provenance) {
	for i := range objs {
		if objs[i].Provenance == nil {
			objs[i].Provenance = p
		}
	}
}

type merger struct {
	out *Inventory
	// renames maps synthetic ids to the real ids of the entries they merged
	// into, so references inside IaC objects follow.
	renames map[string]string
	// renameRE matches the ids of renames when it had renameN entries.
	renameRE *regexp.Regexp
	renameN  int
	// ambiguous names are held by several real entries: no IaC entry is
	// matched to any of them by name.
	ambiguous map[nameKey]bool
}

func (m *merger) region(src Region) {
	var dst *Region
	for i := range m.out.Regions {
		if m.out.Regions[i].Name == src.Name {
			dst = &m.out.Regions[i]
		}
	}
	if dst == nil {
		m.out.Regions = append(m.out.Regions, Region{Name: src.Name})
		dst = &m.out.Regions[len(m.out.Regions)-1]
	}
	for _, a := range src.Apps {
		m.app(dst, a)
	}
	for _, t := range src.Templates {
		m.template(dst, t)
	}
	dst.Recommenders = m.objects(dst.Name, "recommender", "", dst.Recommenders, src.Recommenders)
	dst.PinpointEmail = m.objects(dst.Name, "pinpoint-email", "", dst.PinpointEmail, src.PinpointEmail)
	e := &dst.EUM
	e.PhoneNumbers = m.objects(dst.Name, "phone-number", "", e.PhoneNumbers, src.EUM.PhoneNumbers)
	e.SenderIDs = m.objects(dst.Name, "sender-id", "", e.SenderIDs, src.EUM.SenderIDs)
	e.ConfigurationSets = m.objects(dst.Name, "configuration-set", "", e.ConfigurationSets, src.EUM.ConfigurationSets)
	e.Registrations = m.objects(dst.Name, "registration", "", e.Registrations, src.EUM.Registrations)
	for _, p := range src.EUM.Pools {
		m.pool(dst, p)
	}
	for _, l := range src.EUM.OptOutLists {
		m.optOutList(dst, l)
	}
	for _, k := range src.EUM.Keywords {
		found := false
		for i := range e.Keywords {
			if e.Keywords[i].OriginationIdentity == k.OriginationIdentity {
				e.Keywords[i].Keywords = unionRaw(e.Keywords[i].Keywords, k.Keywords, "Keyword")
				found = true
			}
		}
		if !found {
			e.Keywords = append(e.Keywords, k)
		}
	}
}

// match finds the entry an incoming one is the same resource as: the same
// id or, between a synthetic id (IaC) and a real one, the same name when
// exactly one entry has it. Two IaC declarations are never merged by name:
// two stacks may well create two resources of one name.
func match(n int, id, name func(int) string, inID, inName string) int {
	for i := 0; i < n; i++ {
		if id(i) == inID {
			return i
		}
	}
	if inName == "" {
		return -1
	}
	found := -1
	for i := 0; i < n; i++ {
		if name(i) != inName || IsSynthetic(id(i)) == IsSynthetic(inID) {
			continue
		}
		if found >= 0 {
			return -1 // ambiguous: keep both rather than guess
		}
		found = i
	}
	return found
}

// nameKey scopes a name: an app's in its region, a segment's, campaign's
// or journey's in its app.
type nameKey struct{ region, app, kind, name string }

// resolveNames gives each synthetic (IaC) entry the real id of the one
// entry of its name that some fragment holds with a real id, before any
// fragment is laid over another. Matching names while merging depends on
// the order: two IaC declarations of one app, read before the CLI output
// that names its id, are two candidates for it and neither would merge.
// Decided over all fragments at once, both join it. A name that several
// real entries share stays unmatched, as in match.
func (m *merger) resolveNames(frags []*Inventory) {
	real := map[nameKey]map[string]bool{}
	note := func(k nameKey, id string) {
		if k.name == "" || id == "" || IsSynthetic(id) {
			return
		}
		if real[k] == nil {
			real[k] = map[string]bool{}
		}
		real[k][id] = true
	}
	resolve := func(k nameKey, id *string) {
		if len(real[k]) > 1 {
			m.ambiguous[k] = true
		}
		if !IsSynthetic(*id) || k.name == "" || len(real[k]) != 1 {
			return
		}
		for to := range real[k] {
			m.renames[*id] = to
			*id = to
		}
	}
	// Apps first: their children are scoped by the app's resolved id.
	for _, f := range frags {
		for _, r := range f.Regions {
			for _, a := range r.Apps {
				note(nameKey{r.Name, "", KindApp, a.Name}, a.ID)
			}
		}
	}
	for _, f := range frags {
		for ri := range f.Regions {
			r := &f.Regions[ri]
			for ai := range r.Apps {
				resolve(nameKey{r.Name, "", KindApp, r.Apps[ai].Name}, &r.Apps[ai].ID)
			}
		}
	}
	for _, f := range frags {
		for _, r := range f.Regions {
			for _, a := range r.Apps {
				for _, s := range a.Segments {
					note(nameKey{r.Name, a.ID, KindSegment, s.Name}, s.ID)
				}
				for _, c := range a.Campaigns {
					note(nameKey{r.Name, a.ID, KindCampaign, c.Name}, c.ID)
				}
				for _, j := range a.Journeys {
					note(nameKey{r.Name, a.ID, KindJourney, j.Name}, j.ID)
				}
			}
		}
	}
	for _, f := range frags {
		for ri := range f.Regions {
			r := &f.Regions[ri]
			for ai := range r.Apps {
				a := &r.Apps[ai]
				for i := range a.Segments {
					resolve(nameKey{r.Name, a.ID, KindSegment, a.Segments[i].Name}, &a.Segments[i].ID)
				}
				for i := range a.Campaigns {
					resolve(nameKey{r.Name, a.ID, KindCampaign, a.Campaigns[i].Name}, &a.Campaigns[i].ID)
				}
				for i := range a.Journeys {
					resolve(nameKey{r.Name, a.ID, KindJourney, a.Journeys[i].Name}, &a.Journeys[i].ID)
				}
			}
		}
	}
}

// matchName is the name an entry may be matched by: none when several
// real entries hold it.
func (m *merger) matchName(k nameKey) string {
	if m.ambiguous[k] {
		return ""
	}
	return k.name
}

// keepID chooses the id the merged entry keeps (a real one over a
// synthetic one) and records the rename.
func (m *merger) keepID(old, in string) string {
	switch {
	case IsSynthetic(old) && !IsSynthetic(in) && in != "":
		m.renames[old] = in
		return in
	case IsSynthetic(in) && !IsSynthetic(old) && old != "":
		m.renames[in] = old
	}
	return old
}

func (m *merger) app(r *Region, in App) {
	i := match(len(r.Apps), func(i int) string { return r.Apps[i].ID }, func(i int) string { return r.Apps[i].Name }, in.ID, m.matchName(nameKey{r.Name, "", KindApp, in.Name}))
	if i < 0 {
		r.Apps = append(r.Apps, in)
		return
	}
	a := &r.Apps[i]
	a.ID = m.keepID(a.ID, in.ID)
	newest := lastProv(in.Provenance)
	a.Object = m.overlay(r.Name, KindApp, a.ID, "", a.Object, in.Object, a.Provenance, newest)
	a.Provenance = append(a.Provenance, in.Provenance...)
	if in.Name != "" {
		a.Name = in.Name
	}
	if in.Arn != "" && a.Arn == "" {
		a.Arn = in.Arn
	}
	if len(in.Tags) > 0 {
		if a.Tags == nil {
			a.Tags = map[string]string{}
		}
		for k, v := range in.Tags {
			a.Tags[k] = v
		}
	}
	a.Settings = m.overlay(r.Name, KindSettings, a.ID, a.ID, a.Settings, in.Settings, a.Provenance, newest)
	a.EventStream = m.overlay(r.Name, KindEventStream, a.ID, a.ID, a.EventStream, in.EventStream, a.Provenance, newest)
	if len(in.ChannelSummary) > 0 {
		a.ChannelSummary = in.ChannelSummary
	}
	for typ, ch := range in.Channels {
		if a.Channels == nil {
			a.Channels = map[string]json.RawMessage{}
		}
		a.Channels[typ] = m.overlay(r.Name, KindChannel, a.ID+"/"+typ, a.ID, a.Channels[typ], ch, a.Provenance, newest)
	}
	for _, s := range in.Segments {
		m.segment(r.Name, a, s)
	}
	for _, c := range in.Campaigns {
		m.campaign(r.Name, a, c)
	}
	for _, j := range in.Journeys {
		m.journey(r.Name, a, j)
	}
	a.ExportJobs = m.objects(r.Name, "export-job", a.ID, a.ExportJobs, in.ExportJobs)
	a.ImportJobs = m.objects(r.Name, "import-job", a.ID, a.ImportJobs, in.ImportJobs)
	a.KPIs = unionKPIs(a.KPIs, in.KPIs)
	if in.EndpointExport != nil {
		a.EndpointExport = in.EndpointExport
	}
	if in.EndpointStats != nil {
		a.EndpointStats = in.EndpointStats
	}
}

func (m *merger) segment(region string, a *App, in Segment) {
	i := match(len(a.Segments), func(i int) string { return a.Segments[i].ID }, func(i int) string { return a.Segments[i].Name }, in.ID, m.matchName(nameKey{region, a.ID, KindSegment, in.Name}))
	if i < 0 {
		a.Segments = append(a.Segments, in)
		return
	}
	s := &a.Segments[i]
	s.ID = m.keepID(s.ID, in.ID)
	s.Object = m.overlay(region, KindSegment, s.ID, a.ID, s.Object, in.Object, s.Provenance, lastProv(in.Provenance))
	s.Provenance = append(s.Provenance, in.Provenance...)
	s.Versions = sortVersions(unionRaw(s.Versions, in.Versions, "Version"))
	s.Version = max(s.Version, in.Version)
	if in.Name != "" {
		s.Name = in.Name
	}
	s.ExportJobs = m.objects(region, "export-job", a.ID, s.ExportJobs, in.ExportJobs)
	s.ImportJobs = m.objects(region, "import-job", a.ID, s.ImportJobs, in.ImportJobs)
}

func (m *merger) campaign(region string, a *App, in Campaign) {
	i := match(len(a.Campaigns), func(i int) string { return a.Campaigns[i].ID }, func(i int) string { return a.Campaigns[i].Name }, in.ID, m.matchName(nameKey{region, a.ID, KindCampaign, in.Name}))
	if i < 0 {
		a.Campaigns = append(a.Campaigns, in)
		return
	}
	c := &a.Campaigns[i]
	c.ID = m.keepID(c.ID, in.ID)
	c.Object = m.overlay(region, KindCampaign, c.ID, a.ID, c.Object, in.Object, c.Provenance, lastProv(in.Provenance))
	c.Provenance = append(c.Provenance, in.Provenance...)
	c.Versions = sortVersions(unionRaw(c.Versions, in.Versions, "Version"))
	c.Version = max(c.Version, in.Version)
	if in.Name != "" {
		c.Name = in.Name
	}
	c.Activities = m.objects(region, "campaign-activity", a.ID, c.Activities, in.Activities)
	c.KPIs = unionKPIs(c.KPIs, in.KPIs)
}

func (m *merger) journey(region string, a *App, in Journey) {
	i := match(len(a.Journeys), func(i int) string { return a.Journeys[i].ID }, func(i int) string { return a.Journeys[i].Name }, in.ID, m.matchName(nameKey{region, a.ID, KindJourney, in.Name}))
	if i < 0 {
		a.Journeys = append(a.Journeys, in)
		return
	}
	j := &a.Journeys[i]
	j.ID = m.keepID(j.ID, in.ID)
	j.Object = m.overlay(region, KindJourney, j.ID, a.ID, j.Object, in.Object, j.Provenance, lastProv(in.Provenance))
	j.Provenance = append(j.Provenance, in.Provenance...)
	if in.Name != "" {
		j.Name = in.Name
	}
	if in.State != "" {
		j.State = in.State
	}
	j.Runs = m.objects(region, "journey-run", a.ID, j.Runs, in.Runs)
	if len(in.ExecutionMetrics) > 0 {
		j.ExecutionMetrics = in.ExecutionMetrics
	}
	for k, v := range in.ActivityMetrics {
		if j.ActivityMetrics == nil {
			j.ActivityMetrics = map[string]json.RawMessage{}
		}
		j.ActivityMetrics[k] = v
	}
	for k, v := range in.RunMetrics {
		if j.RunMetrics == nil {
			j.RunMetrics = map[string]json.RawMessage{}
		}
		j.RunMetrics[k] = v
	}
	j.KPIs = unionKPIs(j.KPIs, in.KPIs)
}

func (m *merger) template(r *Region, in Template) {
	for i := range r.Templates {
		t := &r.Templates[i]
		if t.Name != in.Name || t.Type != in.Type {
			continue
		}
		id := in.Type + "/" + in.Name
		// The active version is the one ListTemplates names (the summary's
		// Version); a source that saw typed GETs only may have inferred
		// another, which never replaces it.
		if in.ActiveVersion != "" && (!listedActive(*t) || listedActive(in)) {
			t.ActiveVersion = in.ActiveVersion
		}
		if len(in.Summary) > 0 {
			t.Summary = in.Summary
		}
		// Object is the typed GET of the active version. A typed GET of
		// another version is no disagreement about it: it is kept among the
		// versions only. Objects without a Version (IaC) are laid over.
		switch inV, oldV := memberString(in.Object, "Version"), memberString(t.Object, "Version"); {
		case inV != "" && t.ActiveVersion != "" && inV != t.ActiveVersion:
		case oldV != "" && t.ActiveVersion != "" && oldV != t.ActiveVersion && inV == t.ActiveVersion:
			t.Object = in.Object
		default:
			t.Object = m.overlay(r.Name, KindTemplate, id, "", t.Object, in.Object, t.Provenance, lastProv(in.Provenance))
		}
		t.Provenance = append(t.Provenance, in.Provenance...)
		for _, v := range in.Versions {
			found := false
			for k := range t.Versions {
				if t.Versions[k].Version == v.Version {
					found = true
					if len(v.Object) > 0 {
						t.Versions[k].Object = v.Object
					}
					if len(v.Summary) > 0 {
						t.Versions[k].Summary = v.Summary
					}
				}
			}
			if !found {
				t.Versions = append(t.Versions, v)
			}
		}
		if v := memberString(t.Object, "Version"); t.ActiveVersion != "" && v != t.ActiveVersion {
			for _, tv := range t.Versions {
				if tv.Version == t.ActiveVersion && len(tv.Object) > 0 {
					t.Object = tv.Object
				}
			}
		}
		return
	}
	r.Templates = append(r.Templates, in)
}

// listedActive reports whether a template's active version is the one its
// ListTemplates item names.
func listedActive(t Template) bool {
	return t.ActiveVersion != "" && memberString(t.Summary, "Version") == t.ActiveVersion
}

// memberString reads a string member of a wire object ("" when absent).
func memberString(obj json.RawMessage, name string) string {
	var m map[string]json.RawMessage
	if json.Unmarshal(obj, &m) != nil {
		return ""
	}
	var s string
	_ = json.Unmarshal(m[name], &s)
	return s
}

func (m *merger) pool(r *Region, in Pool) {
	for i := range r.EUM.Pools {
		p := &r.EUM.Pools[i]
		if p.ID == in.ID {
			p.Object = m.overlay(r.Name, "pool", p.ID, "", p.Object, in.Object, p.Provenance, lastProv(in.Provenance))
			p.Provenance = append(p.Provenance, in.Provenance...)
			p.OriginationIdentities = unionRaw(p.OriginationIdentities, in.OriginationIdentities, "OriginationIdentityArn")
			return
		}
	}
	r.EUM.Pools = append(r.EUM.Pools, in)
}

func (m *merger) optOutList(r *Region, in OptOutList) {
	for i := range r.EUM.OptOutLists {
		l := &r.EUM.OptOutLists[i]
		if l.Name == in.Name {
			l.Object = m.overlay(r.Name, "opt-out-list", l.Name, "", l.Object, in.Object, l.Provenance, lastProv(in.Provenance))
			l.Provenance = append(l.Provenance, in.Provenance...)
			l.OptedOutNumbers = unionRaw(l.OptedOutNumbers, in.OptedOutNumbers, "OptedOutNumber")
			return
		}
	}
	r.EUM.OptOutLists = append(r.EUM.OptOutLists, in)
}

// objects merges id-keyed objects (jobs, recommenders, EUM resources).
func (m *merger) objects(region, kind, app string, dst, src []Object) []Object {
	for _, in := range src {
		found := false
		for i := range dst {
			if dst[i].ID == in.ID {
				dst[i].Object = m.overlay(region, kind, in.ID, app, dst[i].Object, in.Object, dst[i].Provenance, lastProv(in.Provenance))
				dst[i].Provenance = append(dst[i].Provenance, in.Provenance...)
				found = true
			}
		}
		if !found {
			dst = append(dst, in)
		}
	}
	return dst
}

func lastProv(ps []Provenance) Provenance {
	if len(ps) == 0 {
		return Provenance{}
	}
	return ps[len(ps)-1]
}

// overlay lays the newer object's members over the older one's. Members
// both state with different values are a conflict; the newer value wins
// and the older object is kept in the conflict record.
func (m *merger) overlay(region, kind, id, app string, old, newer json.RawMessage, oldProv []Provenance, newProv Provenance) json.RawMessage {
	if len(newer) == 0 || string(newer) == "null" {
		return old
	}
	if len(old) == 0 || string(old) == "null" {
		return newer
	}
	var a, b map[string]any
	if decodeNumbers(old, &a) != nil || decodeNumbers(newer, &b) != nil {
		return newer
	}
	var fields []string
	for k, v := range b {
		merged, differs := m.overlayValue(a[k], v)
		if _, had := a[k]; had && differs && !ignoredInConflicts[k] {
			fields = append(fields, k)
		}
		a[k] = merged
	}
	if len(fields) > 0 {
		sort.Strings(fields)
		m.out.Conflicts = append(m.out.Conflicts, Conflict{Region: region, Kind: kind, App: app, ID: id, Fields: fields, Chosen: newProv,
			Others: []ConflictSide{{Provenance: lastProv(oldProv), Object: old}}})
	}
	out, err := marshalSorted(a)
	if err != nil {
		return newer
	}
	return out
}

// overlayValue merges one member: objects member by member, anything else
// replaced by the newer value. A value an IaC source could not resolve
// never replaces a known one, and is no disagreement; nor is a synthetic
// id where the other source has the real id it merged into.
func (m *merger) overlayValue(old, newer any) (any, bool) {
	if isUnresolved(newer) {
		if old != nil {
			return old, false
		}
		return newer, false
	}
	om, ok1 := old.(map[string]any)
	nm, ok2 := newer.(map[string]any)
	if ok1 && ok2 && !isUnresolved(old) {
		differs := false
		for k, v := range nm {
			merged, d := m.overlayValue(om[k], v)
			if _, had := om[k]; had && d {
				differs = true
			}
			om[k] = merged
		}
		return om, differs
	}
	if old == nil || isUnresolved(old) {
		return newer, false
	}
	ob, _ := json.Marshal(old)
	nb, _ := json.Marshal(newer)
	if bytes.Equal(ob, nb) {
		return newer, false
	}
	// An IaC source's synthetic id (or an ARN built from it) and the real
	// id it merged into say the same; applyRenames settles the spelling.
	return newer, m.rename(string(ob)) != m.rename(string(nb))
}

// decodeNumbers decodes keeping numbers as written, so a merged object
// re-encodes them unchanged.
func decodeNumbers(data []byte, v any) error {
	d := json.NewDecoder(bytes.NewReader(data))
	d.UseNumber()
	return d.Decode(v)
}

func isUnresolved(v any) bool {
	m, ok := v.(map[string]any)
	if !ok {
		return false
	}
	_, ok = m[UnresolvedKey]
	return ok
}

// ignoredInConflicts are members that differ between any two reads of the
// same resource without meaning a disagreement.
var ignoredInConflicts = map[string]bool{"LastModifiedDate": true, "LastEvaluatedTime": true, "RequestID": true}

func marshalSorted(m map[string]any) (json.RawMessage, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(m); err != nil {
		return nil, err
	}
	return json.RawMessage(bytes.TrimSpace(buf.Bytes())), nil
}

// unionRaw merges lists of wire objects keyed by one member (a version, a
// keyword); a later object with the same key replaces the earlier one.
func unionRaw(dst, src []json.RawMessage, key string) []json.RawMessage {
	keyOf := func(r json.RawMessage) string {
		var m map[string]json.RawMessage
		if json.Unmarshal(r, &m) != nil {
			return string(r)
		}
		return string(m[key])
	}
	for _, in := range src {
		k := keyOf(in)
		found := false
		for i := range dst {
			if keyOf(dst[i]) == k {
				dst[i] = in
				found = true
			}
		}
		if !found {
			dst = append(dst, in)
		}
	}
	return dst
}

// sortVersions orders segment or campaign versions oldest first, whatever
// order the sources gave them in.
func sortVersions(vs []json.RawMessage) []json.RawMessage {
	num := func(r json.RawMessage) int64 {
		var v struct{ Version json.Number }
		if json.Unmarshal(r, &v) != nil {
			return 0
		}
		n, _ := v.Version.Int64()
		return n
	}
	sort.SliceStable(vs, func(i, j int) bool { return num(vs[i]) < num(vs[j]) })
	return vs
}

func unionKPIs(dst, src []KPI) []KPI {
	for _, in := range src {
		found := false
		for i := range dst {
			if dst[i].Name == in.Name && dst[i].Start.Equal(in.Start) && dst[i].End.Equal(in.End) {
				dst[i] = in
				found = true
			}
		}
		if !found {
			dst = append(dst, in)
		}
	}
	return dst
}

// rename replaces the synthetic ids that merged into real ones in s.
// Synthetic ids also sit inside strings (ARNs an IaC source built), so
// they are replaced wherever they end at a non-identifier character.
func (m *merger) rename(s string) string {
	if len(m.renames) == 0 || !strings.Contains(s, SyntheticPrefix) {
		return s
	}
	if m.renameRE == nil || m.renameN != len(m.renames) {
		var alts []string
		for from := range m.renames {
			alts = append(alts, regexp.QuoteMeta(from))
		}
		sort.Sort(sort.Reverse(sort.StringSlice(alts))) // longest match first among shared prefixes
		m.renameRE = regexp.MustCompile(`(` + strings.Join(alts, "|") + `)([^A-Za-z0-9_.\-]|$)`)
		m.renameN = len(m.renames)
	}
	re := m.renameRE
	return re.ReplaceAllStringFunc(s, func(x string) string {
		sub := re.FindStringSubmatch(x)
		return m.renames[sub[1]] + sub[2]
	})
}

// applyRenames rewrites synthetic ids that merged into real ones wherever
// they appear in objects, so an IaC campaign's ApplicationId or SegmentId
// points at the live resource.
func (m *merger) applyRenames() {
	if len(m.renames) == 0 {
		return
	}
	fix := func(r json.RawMessage) json.RawMessage {
		if len(r) == 0 {
			return r
		}
		return json.RawMessage(m.rename(string(r)))
	}
	for ri := range m.out.Regions {
		r := &m.out.Regions[ri]
		for ai := range r.Apps {
			a := &r.Apps[ai]
			a.Arn = m.rename(a.Arn)
			a.Object, a.Settings, a.EventStream = fix(a.Object), fix(a.Settings), fix(a.EventStream)
			for k, v := range a.Channels {
				a.Channels[k] = fix(v)
			}
			for i := range a.Segments {
				s := &a.Segments[i]
				s.Object = fix(s.Object)
				for k := range s.Versions {
					s.Versions[k] = fix(s.Versions[k])
				}
			}
			for i := range a.Campaigns {
				c := &a.Campaigns[i]
				c.Object = fix(c.Object)
				for k := range c.Versions {
					c.Versions[k] = fix(c.Versions[k])
				}
			}
			for i := range a.Journeys {
				a.Journeys[i].Object = fix(a.Journeys[i].Object)
			}
		}
		for i := range r.Templates {
			r.Templates[i].Object = fix(r.Templates[i].Object)
		}
	}
	for i := range m.out.Secrets {
		if to, ok := m.renames[m.out.Secrets[i].App]; ok {
			m.out.Secrets[i].App = to
		}
	}
}

func dedupeFacts(fs []Fact) []Fact {
	seen := map[string]bool{}
	var out []Fact
	for _, f := range fs {
		k := factKey(f)
		if !seen[k] {
			seen[k] = true
			out = append(out, f)
		}
	}
	return out
}
