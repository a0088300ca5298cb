package cliout

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/p2c/p2c/internal/awsmodel"
	"github.com/p2c/p2c/internal/inventory"
)

type loader struct {
	name   string
	readAt time.Time
	opts   Options
	li     lineIndex

	apps         map[string]*appAcc
	templates    map[[2]string]*tmplAcc
	recommenders map[string]*inventory.Object
	recRegion    map[string]string
	eum          map[string]*eumAcc

	warnings []inventory.Warning
	secrets  []inventory.SecretSeen
}

func newLoader(name string, readAt time.Time, opts Options, data []byte) *loader {
	return &loader{
		name: name, readAt: readAt, opts: opts, li: newLineIndex(data),
		apps: map[string]*appAcc{}, templates: map[[2]string]*tmplAcc{},
		recommenders: map[string]*inventory.Object{}, recRegion: map[string]string{},
		eum: map[string]*eumAcc{},
	}
}

func (l *loader) warnAt(off int, resource, msg string) {
	l.warnings = append(l.warnings, inventory.Warning{File: l.name, Line: l.li.line(off), Resource: resource, Message: msg})
}

func (l *loader) prov(op string, off int) inventory.Provenance {
	return inventory.Provenance{Source: l.name, Kind: Kind, Operation: op, Line: l.li.line(off), ReadAt: l.readAt}
}

func addProv(ps *[]inventory.Provenance, p inventory.Provenance) {
	for _, q := range *ps {
		if q.Operation == p.Operation && q.Line == p.Line {
			return
		}
	}
	*ps = append(*ps, p)
}

// ---- accumulators ----

type appAcc struct {
	app      inventory.App
	region   string
	segs     map[string]*versioned
	camps    map[string]*versioned
	journeys map[string]*journeyAcc
	export   map[string]*inventory.Object
	imports  map[string]*inventory.Object
	kpis     kpiSet
	epSeen   map[string]bool
	eps      []json.RawMessage
}

// versioned collects the versions of a segment or campaign.
type versioned struct {
	versions   map[int]json.RawMessage
	prov       []inventory.Provenance
	activities map[string]*inventory.Object
	kpis       kpiSet
	// jobs holds a segment's import and export jobs by shape and id.
	jobs map[string]map[string]*inventory.Object
}

type journeyAcc struct {
	j    inventory.Journey
	rank int // 2 = GetJourney, 1 = list item
	kpis kpiSet
}

type kpiSet struct {
	order []string
	m     map[string]*inventory.KPI
}

func (k *kpiSet) add(name string, start, end time.Time, page json.RawMessage) {
	if k.m == nil {
		k.m = map[string]*inventory.KPI{}
	}
	key := name + "\x00" + start.String() + "\x00" + end.String()
	e := k.m[key]
	if e == nil {
		e = &inventory.KPI{Name: name, Start: start, End: end}
		k.m[key] = e
		k.order = append(k.order, key)
	}
	for _, p := range e.Pages {
		if bytes.Equal(p, page) {
			return
		}
	}
	e.Pages = append(e.Pages, page)
}

func (k *kpiSet) list() []inventory.KPI {
	var out []inventory.KPI
	for _, key := range k.order {
		out = append(out, *k.m[key])
	}
	return out
}

type tmplAcc struct {
	t        inventory.Template
	region   string
	objects  map[string]json.RawMessage // typed GETs by version
	lastGet  string
	versions map[string]json.RawMessage // ListTemplateVersions items
	getNoVer json.RawMessage            // typed GET without a Version member
}

type eumAcc struct {
	phones, senders, configSets, regs map[string]*inventory.Object
	pools                             map[string]*inventory.Pool
	poolIDs                           map[string]map[string]bool
	lists                             map[string]*inventory.OptOutList
	numbers                           map[string]map[string]bool
	keywords                          map[string]*inventory.KeywordSet
	keywordSeen                       map[string]map[string]bool
}

func (l *loader) app(id string) *appAcc {
	a := l.apps[id]
	if a == nil {
		a = &appAcc{
			app:  inventory.App{ID: id},
			segs: map[string]*versioned{}, camps: map[string]*versioned{},
			journeys: map[string]*journeyAcc{},
			export:   map[string]*inventory.Object{}, imports: map[string]*inventory.Object{},
			epSeen: map[string]bool{},
		}
		l.apps[id] = a
	}
	return a
}

// noteRegion records the region an ARN in an app's resource names.
func (a *appAcc) noteRegion(o obj) {
	if a.region == "" {
		a.region = regionOf(o)
	}
}

func (l *loader) eumIn(region string) *eumAcc {
	e := l.eum[region]
	if e == nil {
		e = &eumAcc{
			phones: map[string]*inventory.Object{}, senders: map[string]*inventory.Object{},
			configSets: map[string]*inventory.Object{}, regs: map[string]*inventory.Object{},
			pools: map[string]*inventory.Pool{}, poolIDs: map[string]map[string]bool{},
			lists: map[string]*inventory.OptOutList{}, numbers: map[string]map[string]bool{},
			keywords: map[string]*inventory.KeywordSet{}, keywordSeen: map[string]map[string]bool{},
		}
		l.eum[region] = e
	}
	return e
}

func versionOf(o obj) int {
	n, _ := strconv.Atoi(o.str("Version"))
	return n
}

// ---- placement ----

// place stores one Pinpoint object of a known shape.
func (l *loader) place(shape, op string, v value) {
	t := model()
	o, ok := asObj(v.raw)
	if !ok {
		l.warnAt(v.off, "", fmt.Sprintf("%s: expected an object, got a JSON %s", shape, jsonKind(v.raw)))
		return
	}
	if eumShape(shape) {
		l.placeEUMItem(shape, op, v, o)
		return
	}
	wire, decoded, err := normalize(t.pp, shape, v.raw)
	if err != nil {
		l.warnAt(v.off, "", fmt.Sprintf("%s: %v", shape, err))
		return
	}
	p := l.prov(op, v.off)
	appID := o.str("ApplicationId")
	needApp := func() *appAcc {
		if appID == "" {
			appID = appFromArn(o.str("Arn"))
		}
		if appID == "" {
			l.warnAt(v.off, "", fmt.Sprintf("%s names no application (no ApplicationId, no ARN): skipped", shape))
			return nil
		}
		a := l.app(appID)
		a.noteRegion(o)
		return a
	}
	switch {
	case shape == "ApplicationResponse":
		id := o.str("Id")
		if id == "" {
			l.warnAt(v.off, "", "application without Id: skipped")
			return
		}
		a := l.app(id)
		a.noteRegion(o)
		a.app.Object, a.app.Name, a.app.Arn = wire, o.str("Name"), o.str("Arn")
		var tags struct {
			Tags map[string]string `json:"tags"`
		}
		if json.Unmarshal(v.raw, &tags) == nil && len(tags.Tags) > 0 {
			a.app.Tags = tags.Tags
		}
		addProv(&a.app.Provenance, p)
	case shape == "SegmentResponse" || shape == "CampaignResponse":
		a := needApp()
		if a == nil {
			return
		}
		id := o.str("Id")
		if id == "" {
			l.warnAt(v.off, "", shape+" without Id: skipped")
			return
		}
		set := a.segs
		if shape == "CampaignResponse" {
			set = a.camps
		}
		vs := versionedIn(set, id)
		vs.versions[versionOf(o)] = wire
		addProv(&vs.prov, p)
	case shape == "JourneyResponse":
		a := needApp()
		if a == nil {
			return
		}
		id := o.str("Id")
		if id == "" {
			l.warnAt(v.off, "", "journey without Id: skipped")
			return
		}
		j := journeyIn(a, id)
		rank := 1
		if op == "GetJourney" {
			rank = 2
		}
		if rank >= j.rank {
			j.rank = rank
			j.j.Object, j.j.Name, j.j.State = wire, o.str("Name"), o.str("State")
		}
		addProv(&j.j.Provenance, p)
	case shape == "ActivityResponse":
		a := needApp()
		if a == nil {
			return
		}
		c := versionedIn(a.camps, o.str("CampaignId"))
		if c.activities == nil {
			c.activities = map[string]*inventory.Object{}
		}
		c.activities[o.str("Id")] = &inventory.Object{ID: o.str("Id"), Object: wire, Provenance: []inventory.Provenance{p}}
	case shape == "ExportJobResponse" || shape == "ImportJobResponse":
		a := needApp()
		if a == nil {
			return
		}
		set := a.export
		if shape == "ImportJobResponse" {
			set = a.imports
		}
		job := &inventory.Object{ID: o.str("Id"), Object: wire, Provenance: []inventory.Provenance{p}}
		set[job.ID] = job
		// GetSegmentImportJobs and GetSegmentExportJobs answer the jobs whose
		// definition names the segment, in the same wrapper as the app's
		// lists: the job is placed under its segment too, as a live scan
		// finds it there.
		if def, ok := asObj(o["Definition"]); ok && def.str("SegmentId") != "" {
			vs := versionedIn(a.segs, def.str("SegmentId"))
			if vs.jobs == nil {
				vs.jobs = map[string]map[string]*inventory.Object{}
			}
			if vs.jobs[shape] == nil {
				vs.jobs[shape] = map[string]*inventory.Object{}
			}
			vs.jobs[shape][job.ID] = job
		}
	case shape == "ApplicationSettingsResource":
		if a := needApp(); a != nil {
			a.app.Settings = wire
			addProv(&a.app.Provenance, p)
		}
	case shape == "EventStream":
		if a := needApp(); a != nil {
			a.app.EventStream = wire
			addProv(&a.app.Provenance, p)
		}
	case shape == "ChannelsResponse":
		l.channelSummary(op, v, decoded)
	case t.channelType[shape] != "":
		if a := needApp(); a != nil {
			typ := t.channelType[shape]
			m, _ := decoded.(map[string]any)
			if l.scrub(a.app.ID, typ, m, v.off) {
				wire, _ = encode(m)
			}
			if a.app.Channels == nil {
				a.app.Channels = map[string]json.RawMessage{}
			}
			a.app.Channels[typ] = wire
			addProv(&a.app.Provenance, p)
		}
	case strings.HasSuffix(shape, "DateRangeKpiResponse"):
		a := needApp()
		if a == nil {
			return
		}
		start, err1 := awsmodel.ParseTime(o.str("StartTime"))
		end, err2 := awsmodel.ParseTime(o.str("EndTime"))
		if err1 != nil || err2 != nil {
			l.warnAt(v.off, "", shape+": StartTime or EndTime is not a timestamp: skipped")
			return
		}
		name := o.str("KpiName")
		switch {
		case o.has("CampaignId"):
			versionedIn(a.camps, o.str("CampaignId")).kpis.add(name, start.UTC(), end.UTC(), wire)
		case o.has("JourneyId"):
			journeyIn(a, o.str("JourneyId")).kpis.add(name, start.UTC(), end.UTC(), wire)
		default:
			a.kpis.add(name, start.UTC(), end.UTC(), wire)
		}
	case shape == "JourneyExecutionMetricsResponse" || shape == "JourneyExecutionActivityMetricsResponse" || shape == "JourneyRunExecutionMetricsResponse":
		a := needApp()
		if a == nil {
			return
		}
		j := journeyIn(a, o.str("JourneyId"))
		switch shape {
		case "JourneyExecutionMetricsResponse":
			j.j.ExecutionMetrics = wire
		case "JourneyExecutionActivityMetricsResponse":
			if j.j.ActivityMetrics == nil {
				j.j.ActivityMetrics = map[string]json.RawMessage{}
			}
			j.j.ActivityMetrics[o.str("JourneyActivityId")] = wire
		default:
			if j.j.RunMetrics == nil {
				j.j.RunMetrics = map[string]json.RawMessage{}
			}
			j.j.RunMetrics[o.str("RunId")] = wire
		}
	case shape == "TemplateResponse" || shape == "TemplateVersionResponse" || t.templateType[shape] != "":
		l.template(shape, op, v, o, wire)
	case shape == "RecommenderConfigurationResponse":
		id := o.str("Id")
		if id == "" {
			l.warnAt(v.off, "", "recommender configuration without Id: skipped")
			return
		}
		l.recommenders[id] = &inventory.Object{ID: id, Object: wire, Provenance: []inventory.Provenance{p}}
	case shape == "EndpointResponse":
		if a := needApp(); a != nil {
			// Customer data: counted, never stored.
			id := o.str("Id")
			if id != "" && a.epSeen[id] {
				return
			}
			a.epSeen[id] = true
			a.eps = append(a.eps, wire)
		}
	case shape == "TagsModel":
		l.tags(v, o)
	default:
		l.warnAt(v.off, "", fmt.Sprintf("output of %s holds nothing the inventory keeps: skipped", op))
	}
}

func versionedIn(set map[string]*versioned, id string) *versioned {
	vs := set[id]
	if vs == nil {
		vs = &versioned{versions: map[int]json.RawMessage{}}
		set[id] = vs
	}
	return vs
}

func journeyIn(a *appAcc, id string) *journeyAcc {
	j := a.journeys[id]
	if j == nil {
		j = &journeyAcc{j: inventory.Journey{ID: id}}
		a.journeys[id] = j
	}
	return j
}

// channelSummary stores a GetChannels body under the app its entries name.
func (l *loader) channelSummary(op string, v value, decoded any) {
	m, _ := decoded.(map[string]any)
	chans, _ := m["Channels"].(map[string]any)
	appID := ""
	for _, c := range chans {
		if cm, ok := c.(map[string]any); ok {
			if s, ok := cm["ApplicationId"].(string); ok && s != "" {
				appID = s
				break
			}
		}
	}
	if appID == "" {
		l.warnAt(v.off, "", "channels output names no application (no channel has an ApplicationId): skipped")
		return
	}
	for typ, c := range chans {
		if cm, ok := c.(map[string]any); ok {
			l.scrub(appID, typ, cm, v.off)
		}
	}
	wire, err := encode(m)
	if err != nil {
		return
	}
	a := l.app(appID)
	a.app.ChannelSummary = wire
	addProv(&a.app.Provenance, l.prov(op, v.off))
}

// secretMembers are the channel credentials a GET never shows; they can
// only be in a file that is not a pure read output (a hand-edited one, an
// update request). Each maps to the flag the API shows instead.
var secretMembers = map[string]string{
	"Certificate":  "HasCredential",
	"PrivateKey":   "HasCredential",
	"TokenKey":     "HasTokenKey",
	"ApiKey":       "HasCredential",
	"SecretKey":    "HasCredential",
	"ClientId":     "HasCredential",
	"ClientSecret": "HasCredential",
	"ServiceJson":  "HasFcmServiceCredentials",
}

// scrub drops channel credentials from m, sets the flags the API would
// show and records what it saw. It reports whether m changed.
func (l *loader) scrub(appID, channel string, m map[string]any, off int) bool {
	changed := false
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		flag, ok := secretMembers[k]
		if !ok {
			continue
		}
		delete(m, k)
		m[flag] = true
		if flag == "HasFcmServiceCredentials" {
			m["HasCredential"] = true
		}
		changed = true
		l.secrets = append(l.secrets, inventory.SecretSeen{App: appID, Channel: channel, Member: k, File: l.name, Line: l.li.line(off)})
	}
	return changed
}

// template stores a ListTemplates item, a ListTemplateVersions item or a
// typed template GET.
func (l *loader) template(shape, op string, v value, o obj, wire json.RawMessage) {
	t := model()
	typ := t.templateType[shape]
	if typ == "" {
		typ = o.str("TemplateType")
	}
	name := o.str("TemplateName")
	if name == "" || typ == "" {
		l.warnAt(v.off, "", shape+" without TemplateName or TemplateType: skipped")
		return
	}
	key := [2]string{name, typ}
	ta := l.templates[key]
	if ta == nil {
		ta = &tmplAcc{t: inventory.Template{Name: name, Type: typ}, objects: map[string]json.RawMessage{}, versions: map[string]json.RawMessage{}}
		l.templates[key] = ta
	}
	if ta.region == "" {
		ta.region = regionOf(o)
	}
	addProv(&ta.t.Provenance, l.prov(op, v.off))
	version := o.str("Version")
	switch shape {
	case "TemplateResponse":
		ta.t.Summary, ta.t.ActiveVersion = wire, version
	case "TemplateVersionResponse":
		if version == "" {
			l.warnAt(v.off, "", "template version without Version: skipped")
			return
		}
		ta.versions[version] = wire
	default:
		if version == "" {
			ta.getNoVer = wire
			return
		}
		ta.objects[version] = wire
		ta.lastGet = version
	}
}

// tags places a ListTagsForResource output; only one that names its
// resource can be placed (the CLI's {"TagsModel": ...} does not).
func (l *loader) tags(v value, o obj) {
	var tm struct {
		Tags        map[string]string `json:"tags"`
		ResourceArn string
	}
	raw := v.raw
	if o.has("TagsModel") {
		raw = o["TagsModel"]
	}
	_ = json.Unmarshal(raw, &tm)
	if tm.ResourceArn == "" {
		tm.ResourceArn = o.str("ResourceArn")
	}
	if !isAppArn(tm.ResourceArn) {
		msg := "tags output does not name its resource (the CLI prints no ARN): skipped"
		if tm.ResourceArn != "" {
			msg = "tags of " + tm.ResourceArn + " are kept in that resource's own tags member: skipped"
		}
		l.warnAt(v.off, "", msg)
		return
	}
	a := l.app(appFromArn(tm.ResourceArn))
	if a.region == "" {
		if p, ok := parseARN(tm.ResourceArn); ok {
			a.region = p.region
		}
	}
	a.app.Tags = tm.Tags
	addProv(&a.app.Provenance, l.prov("ListTagsForResource", v.off))
}

// ---- End User Messaging ----

var eumItemShapes = map[string]bool{
	"PhoneNumberInformation": true, "PoolInformation": true, "SenderIdInformation": true,
	"ConfigurationSetInformation": true, "OptOutListInformation": true, "RegistrationInformation": true,
}

func eumShape(shape string) bool { return eumItemShapes[shape] }

// eumOutput places a Describe*/List* output of End User Messaging.
func (l *loader) eumOutput(e *eumOp, ms []member, whole value) {
	var list value
	var parent obj = obj{}
	for _, m := range ms {
		if m.name == e.list {
			list = m.value
		} else {
			parent[m.name] = m.raw
		}
	}
	items, ok := elements(list.raw, list.off)
	if !ok {
		l.warnAt(whole.off, "", fmt.Sprintf("output of %s: %s is not a list", e.op, e.list))
		return
	}
	switch e.op {
	case "DescribePhoneNumbers", "DescribePools", "DescribeSenderIds", "DescribeConfigurationSets", "DescribeOptOutLists", "DescribeRegistrations":
		for _, it := range items {
			l.place(e.itemType, e.op, it)
		}
	case "ListPoolOriginationIdentities":
		id := parent.str("PoolId")
		if id == "" {
			l.warnAt(whole.off, "", "pool origination identities without PoolId: skipped")
			return
		}
		region := l.regionFor(parent)
		ea := l.eumIn(region)
		pool := ea.pools[id]
		if pool == nil {
			pool = &inventory.Pool{ID: id}
			ea.pools[id] = pool
			ea.poolIDs[id] = map[string]bool{}
		}
		addProv(&pool.Provenance, l.prov(e.op, whole.off))
		for _, it := range items {
			w, err := l.eumWire(e.itemType, it)
			if err != nil {
				continue
			}
			io, _ := asObj(it.raw)
			k := io.str("OriginationIdentity")
			if ea.poolIDs[id][k] {
				continue
			}
			ea.poolIDs[id][k] = true
			pool.OriginationIdentities = append(pool.OriginationIdentities, w)
		}
	case "DescribeOptedOutNumbers":
		name := parent.str("OptOutListName")
		if name == "" {
			l.warnAt(whole.off, "", "opted-out numbers without OptOutListName: skipped")
			return
		}
		ea := l.eumIn(l.regionFor(parent))
		list := ea.lists[name]
		if list == nil {
			list = &inventory.OptOutList{Name: name}
			ea.lists[name] = list
			ea.numbers[name] = map[string]bool{}
		}
		addProv(&list.Provenance, l.prov(e.op, whole.off))
		for _, it := range items {
			w, err := l.eumWire(e.itemType, it)
			if err != nil {
				continue
			}
			io, _ := asObj(it.raw)
			k := io.str("OptedOutNumber")
			if ea.numbers[name][k] {
				continue
			}
			ea.numbers[name][k] = true
			list.OptedOutNumbers = append(list.OptedOutNumbers, w)
		}
	case "DescribeKeywords":
		id := parent.str("OriginationIdentity")
		if id == "" {
			l.warnAt(whole.off, "", "keywords without OriginationIdentity: skipped")
			return
		}
		ea := l.eumIn(l.regionFor(parent))
		ks := ea.keywords[id]
		if ks == nil {
			ks = &inventory.KeywordSet{OriginationIdentity: id, Keywords: []json.RawMessage{}}
			ea.keywords[id] = ks
			ea.keywordSeen[id] = map[string]bool{}
		}
		for _, it := range items {
			w, err := l.eumWire(e.itemType, it)
			if err != nil {
				continue
			}
			io, _ := asObj(it.raw)
			k := io.str("Keyword")
			if ea.keywordSeen[id][k] {
				continue
			}
			ea.keywordSeen[id][k] = true
			ks.Keywords = append(ks.Keywords, w)
		}
	default:
		l.warnAt(whole.off, "", fmt.Sprintf("output of %s (%s) holds nothing the inventory keeps: skipped", e.op, svcSMSVoice))
	}
}

func (l *loader) eumWire(shape string, v value) (json.RawMessage, error) {
	w, _, err := normalize(model().sv, shape, v.raw)
	if err != nil {
		l.warnAt(v.off, "", fmt.Sprintf("%s: %v", shape, err))
	}
	return w, err
}

// regionFor is the region an object's ARN names, else the default.
func (l *loader) regionFor(o obj) string {
	if r := regionOf(o); r != "" {
		return r
	}
	return l.opts.DefaultRegion
}

func (l *loader) placeEUMItem(shape, op string, v value, o obj) {
	w, err := l.eumWire(shape, v)
	if err != nil {
		return
	}
	ea := l.eumIn(l.regionFor(o))
	p := l.prov(op, v.off)
	put := func(set map[string]*inventory.Object, id string) {
		if id == "" || id == "/" {
			l.warnAt(v.off, "", shape+" without its id: skipped")
			return
		}
		set[id] = &inventory.Object{ID: id, Object: w, Provenance: []inventory.Provenance{p}}
	}
	switch shape {
	case "PhoneNumberInformation":
		put(ea.phones, o.str("PhoneNumberId"))
	case "SenderIdInformation":
		// A sender id is unique per country, as the live scan keys it.
		put(ea.senders, o.str("SenderId")+"/"+o.str("IsoCountryCode"))
	case "ConfigurationSetInformation":
		put(ea.configSets, o.str("ConfigurationSetName"))
	case "RegistrationInformation":
		put(ea.regs, o.str("RegistrationId"))
	case "PoolInformation":
		id := o.str("PoolId")
		pool := ea.pools[id]
		if pool == nil {
			pool = &inventory.Pool{ID: id}
			ea.pools[id] = pool
			ea.poolIDs[id] = map[string]bool{}
		}
		pool.Object = w
		addProv(&pool.Provenance, p)
	case "OptOutListInformation":
		name := o.str("OptOutListName")
		list := ea.lists[name]
		if list == nil {
			list = &inventory.OptOutList{Name: name}
			ea.lists[name] = list
			ea.numbers[name] = map[string]bool{}
		}
		list.Object = w
		addProv(&list.Provenance, p)
	}
}

// ---- the fragment ----

func (l *loader) finish() (*inventory.Inventory, error) {
	inv := &inventory.Inventory{
		SchemaVersion: inventory.SchemaVersion,
		Tool:          "p2c",
		ScannedAt:     l.readAt,
		Sources:       []inventory.Source{{Kind: Kind, ID: l.name, Detail: l.name, ReadAt: l.readAt}},
	}
	regions := map[string]*inventory.Region{}
	noRegion := false
	region := func(name string) *inventory.Region {
		if name == "" {
			name = l.opts.DefaultRegion
		}
		if name == "" {
			noRegion = true
		}
		r := regions[name]
		if r == nil {
			r = &inventory.Region{Name: name, Apps: []inventory.App{}, Templates: []inventory.Template{}, Recommenders: []inventory.Object{}}
			emptyEUM(&r.EUM)
			regions[name] = r
		}
		return r
	}
	for _, id := range sortedKeys(l.apps) {
		a := l.apps[id]
		app := a.app
		app.Segments = []inventory.Segment{}
		app.Campaigns = []inventory.Campaign{}
		app.Journeys = []inventory.Journey{}
		for _, sid := range sortedKeys(a.segs) {
			vs := a.segs[sid]
			s := inventory.Segment{ID: sid, Provenance: vs.prov}
			s.Versions, s.Object, s.Version = vs.ordered()
			if s.Object != nil {
				o, _ := asObj(s.Object)
				s.Name = o.str("Name")
			}
			for _, k := range sortedKeys(vs.jobs["ExportJobResponse"]) {
				s.ExportJobs = append(s.ExportJobs, *vs.jobs["ExportJobResponse"][k])
			}
			for _, k := range sortedKeys(vs.jobs["ImportJobResponse"]) {
				s.ImportJobs = append(s.ImportJobs, *vs.jobs["ImportJobResponse"][k])
			}
			app.Segments = append(app.Segments, s)
		}
		for _, cid := range sortedKeys(a.camps) {
			vs := a.camps[cid]
			c := inventory.Campaign{ID: cid, Provenance: vs.prov, KPIs: vs.kpis.list()}
			c.Versions, c.Object, c.Version = vs.ordered()
			if c.Object != nil {
				o, _ := asObj(c.Object)
				c.Name = o.str("Name")
			}
			for _, k := range sortedKeys(vs.activities) {
				c.Activities = append(c.Activities, *vs.activities[k])
			}
			app.Campaigns = append(app.Campaigns, c)
		}
		for _, jid := range sortedKeys(a.journeys) {
			j := a.journeys[jid]
			j.j.KPIs = j.kpis.list()
			app.Journeys = append(app.Journeys, j.j)
		}
		for _, k := range sortedKeys(a.export) {
			app.ExportJobs = append(app.ExportJobs, *a.export[k])
		}
		for _, k := range sortedKeys(a.imports) {
			app.ImportJobs = append(app.ImportJobs, *a.imports[k])
		}
		app.KPIs = a.kpis.list()
		r := region(a.region)
		if len(a.eps) > 0 {
			b := inventory.NewStatsBuilder()
			for _, e := range a.eps {
				_ = b.Add(e) // a malformed endpoint is counted as such
				if l.opts.Endpoints != nil {
					l.opts.Endpoints(r.Name, id, e)
				}
			}
			st, err := b.Result()
			if err != nil {
				return nil, fmt.Errorf("%s: endpoint statistics of app %s: %w", l.name, id, err)
			}
			app.EndpointStats = st
		}
		r.Apps = append(r.Apps, app)
	}
	for _, key := range sortedTemplateKeys(l.templates) {
		ta := l.templates[key]
		r := region(ta.region)
		r.Templates = append(r.Templates, ta.finish())
	}
	for _, id := range sortedKeys(l.recommenders) {
		r := region("")
		r.Recommenders = append(r.Recommenders, *l.recommenders[id])
	}
	for _, name := range sortedKeys(l.eum) {
		ea := l.eum[name]
		r := region(name)
		e := &r.EUM
		e.PhoneNumbers = objectsOf(ea.phones)
		e.SenderIDs = objectsOf(ea.senders)
		e.ConfigurationSets = objectsOf(ea.configSets)
		e.Registrations = objectsOf(ea.regs)
		for _, id := range sortedKeys(ea.pools) {
			e.Pools = append(e.Pools, *ea.pools[id])
		}
		for _, n := range sortedKeys(ea.lists) {
			e.OptOutLists = append(e.OptOutLists, *ea.lists[n])
		}
		for _, id := range sortedKeys(ea.keywords) {
			e.Keywords = append(e.Keywords, *ea.keywords[id])
		}
	}
	for _, name := range sortedKeys(regions) {
		inv.Regions = append(inv.Regions, *regions[name])
	}
	if inv.Regions == nil {
		inv.Regions = []inventory.Region{}
	}
	if noRegion {
		l.warnings = append(l.warnings, inventory.Warning{File: l.name, Message: "some resources name no region (no ARN) and no default region was given: they are in a region named \"\""})
	}
	inv.Warnings = l.warnings
	for i := range l.secrets {
		s := &l.secrets[i]
		s.Region = l.opts.DefaultRegion
		if a := l.apps[s.App]; a != nil && a.region != "" {
			s.Region = a.region
		}
	}
	inv.Secrets = l.secrets
	inv.Sort()
	return inv, nil
}

func emptyEUM(e *inventory.EUM) {
	e.PhoneNumbers, e.SenderIDs, e.ConfigurationSets, e.Registrations = []inventory.Object{}, []inventory.Object{}, []inventory.Object{}, []inventory.Object{}
	e.Pools, e.OptOutLists, e.Keywords = []inventory.Pool{}, []inventory.OptOutList{}, []inventory.KeywordSet{}
}

// ordered returns the versions oldest first, the newest and its number.
func (vs *versioned) ordered() ([]json.RawMessage, json.RawMessage, int) {
	if len(vs.versions) == 0 {
		return nil, nil, 0
	}
	nums := make([]int, 0, len(vs.versions))
	for n := range vs.versions {
		nums = append(nums, n)
	}
	sort.Ints(nums)
	out := make([]json.RawMessage, len(nums))
	for i, n := range nums {
		out[i] = vs.versions[n]
	}
	return out, out[len(out)-1], nums[len(nums)-1]
}

// finish settles a template: the active version is the one ListTemplates
// named, else the typed GET's; Object is the typed GET of that version.
func (ta *tmplAcc) finish() inventory.Template {
	t := ta.t
	if t.ActiveVersion == "" {
		switch {
		case ta.getNoVer != nil:
		case len(ta.objects) == 1:
			t.ActiveVersion = ta.lastGet
		case len(ta.objects) > 1:
			t.ActiveVersion = highest(sortedKeys(ta.objects))
		}
	}
	t.Object = ta.objects[t.ActiveVersion]
	if t.Object == nil {
		t.Object = ta.getNoVer
	}
	vers := map[string]bool{}
	for v := range ta.versions {
		vers[v] = true
	}
	for v := range ta.objects {
		vers[v] = true
	}
	for _, v := range sortedKeys(vers) {
		t.Versions = append(t.Versions, inventory.TemplateVersion{Version: v, Summary: ta.versions[v], Object: ta.objects[v]})
	}
	return t
}

func highest(vs []string) string {
	best, bestN := "", -1
	for _, v := range vs {
		if n, err := strconv.Atoi(v); err == nil && n > bestN {
			best, bestN = v, n
		}
	}
	if best == "" && len(vs) > 0 {
		best = vs[len(vs)-1]
	}
	return best
}

func objectsOf(m map[string]*inventory.Object) []inventory.Object {
	out := []inventory.Object{}
	for _, k := range sortedKeys(m) {
		out = append(out, *m[k])
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func sortedTemplateKeys(m map[[2]string]*tmplAcc) [][2]string {
	out := make([][2]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i][0] != out[j][0] {
			return out[i][0] < out[j][0]
		}
		return out[i][1] < out[j][1]
	})
	return out
}
