package profiles

import (
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/p2c/p2c/internal/translate"
)

// BuildOptions tune Build.
type BuildOptions struct {
	// ObjectFields are the field names of the plan's PinpointEndpoint
	// object type; objects carry only those (nil: every field Build knows).
	ObjectFields map[string]bool
}

// Attribute name prefixes of the addresses that are not the contact field
// of their channel, followed by the channel type.
const (
	otherPrefix     = "OtherAddresses_"
	optedOutPrefix  = "OptedOutAddresses_"
	inactivePrefix  = "InactiveAddresses_"
	pushTokenPrefix = "PushToken_"
	cohortAttribute = "CohortId"
)

// contactField is where a channel's primary (reachable) address lands: a
// standard field, or an attribute for push tokens ("" for CUSTOM and
// IN_APP, whose addresses are all carried in OtherAddresses_<CH>).
func contactField(ch string) string {
	switch ch {
	case "EMAIL":
		return "EmailAddress"
	case "SMS":
		return "MobilePhoneNumber"
	case "VOICE":
		return "PhoneNumber"
	}
	if isPushChannel(ch) {
		return "Attributes." + pushTokenPrefix + ch
	}
	return ""
}

// Contact is the address in a channel's contact field ("" when none):
// the one address of the channel that may be contacted.
func (p *Profile) Contact(ch string) string {
	field := contactField(ch)
	if attr, ok := strings.CutPrefix(field, "Attributes."); ok {
		return p.Attributes[attr]
	}
	switch field {
	case "EmailAddress":
		return p.EmailAddress
	case "MobilePhoneNumber":
		return p.MobilePhoneNumber
	case "PhoneNumber":
		return p.PhoneNumber
	}
	return ""
}

// reservedAttr reports whether an attribute name (or one of its continuation
// keys) belongs to the consent and contact data Build writes itself. Data
// attributes of those names are left off: a user attribute "OptOut_SMS"
// must never decide who is contacted.
func reservedAttr(name string) bool {
	// Every reserved name starts with one of these letters; most data
	// attributes are rejected here, without the work below.
	if name == "" || !strings.ContainsRune("CUOPI", rune(name[0])) {
		return false
	}
	if i := strings.LastIndex(name, "__"); i > 0 {
		if n, err := strconv.Atoi(name[i+2:]); err == nil && n >= 2 {
			name = name[:i]
		}
	}
	switch name {
	case translate.ChannelsAttribute, "UserId", cohortAttribute:
		return true
	}
	for _, p := range []string{otherPrefix, optedOutPrefix, inactivePrefix, pushTokenPrefix, "OptOut_"} {
		if ch, ok := strings.CutPrefix(name, p); ok && knownChannel(ch) {
			return true
		}
	}
	return false
}

// epRef is an endpoint with its EffectiveDate read once.
type epRef struct {
	e  *Endpoint
	t  time.Time
	ok bool // t was read from EffectiveDate
}

// later orders endpoints latest first: EffectiveDate (a readable date
// beats an unreadable or missing one), then the later line, then the id,
// so the order is total and Build deterministic.
func epLater(a, b *epRef) bool {
	if a.ok != b.ok {
		return a.ok
	}
	if a.ok && !a.t.Equal(b.t) {
		return a.t.After(b.t)
	}
	if !a.ok && a.e.EffectiveDate != b.e.EffectiveDate {
		return a.e.EffectiveDate > b.e.EffectiveDate
	}
	if a.e.Seq != b.e.Seq {
		return a.e.Seq > b.e.Seq
	}
	return a.e.ID > b.e.ID
}

// addrGroup is one (channel, address) of a profile.
type addrGroup struct {
	ch, addr string
	ids      []string
	optedOut bool
	// best is the latest active endpoint with the address (nil: every
	// endpoint with it is inactive).
	best *epRef
}

func (a *addrGroup) state() string {
	switch {
	case a.optedOut:
		return StateOptedOut
	case a.best == nil:
		return StateInactive
	}
	return StateReachable
}

// attrValues collects the distinct values of one data attribute.
type attrValues struct {
	vals []string
	// flat is the only contribution so far, still flattened: with one
	// endpoint (most profiles) nothing is split and joined again.
	flat    string
	hasFlat bool
	fixed   bool // a single-valued source (metric, demographic) already wrote it
	// reserved names are left off (reported once).
	reserved bool
}

func (v *attrValues) empty() bool { return !v.hasFlat && len(v.vals) == 0 }

// addFlat adds a flattened list (its values distinct, as parsed).
func (v *attrValues) addFlat(flat string) {
	if v.empty() {
		v.flat, v.hasFlat = flat, true
		return
	}
	v.add(SplitList(flat)...)
}

func (v *attrValues) value() string {
	if v.hasFlat {
		return v.flat
	}
	return FlattenList(v.vals)
}

func (v *attrValues) add(vals ...string) {
	if v.hasFlat {
		v.vals, v.flat, v.hasFlat = SplitList(v.flat), "", false
	}
	for _, x := range vals {
		if !slices.Contains(v.vals, x) {
			v.vals = append(v.vals, x)
		}
	}
}

// recBuilder is the state of one Build call.
type recBuilder struct {
	key     string
	opts    BuildOptions
	latest  []*epRef // latest first
	byID    []*epRef // EndpointIds order
	rec     Record
	rejects []Reject
	// sys are the attributes Build computes (consent, contact, identity);
	// data are those copied from endpoint and user values.
	sys  map[string]string
	data map[string]*attrValues
}

// Build merges the endpoints of one profile key (unique endpoint ids,
// any order) into its record. Repairs Build makes (split values, ...) are
// returned as Rejects with Action "repaired". The result does not depend
// on the order of eps.
func Build(key string, eps []Endpoint, opts BuildOptions) (Record, []Reject) {
	b := &recBuilder{key: key, opts: opts, sys: make(map[string]string, 8), data: make(map[string]*attrValues, 16)}
	refs := make([]epRef, len(eps))
	b.byID = make([]*epRef, len(eps))
	for i := range eps {
		r := &refs[i]
		r.e = &eps[i]
		if t, err := time.Parse(time.RFC3339Nano, r.e.EffectiveDate); err == nil {
			r.t, r.ok = t, true
		}
		b.byID[i] = r
	}
	slices.SortFunc(b.byID, func(x, y *epRef) int {
		if c := strings.Compare(x.e.ID, y.e.ID); c != 0 {
			return c
		}
		return cmpSeq(x.e.Seq, y.e.Seq)
	})
	b.latest = slices.Clone(b.byID)
	slices.SortFunc(b.latest, func(x, y *epRef) int {
		switch {
		case epLater(x, y):
			return -1
		case epLater(y, x):
			return 1
		}
		return 0
	})

	b.rec = Record{ProfileKey: key, EndpointIds: make([]string, len(eps)), Sources: make([]string, len(eps))}
	for i, r := range b.byID {
		b.rec.EndpointIds[i] = r.e.ID
		b.rec.Sources[i] = r.e.File + ":" + strconv.FormatInt(r.e.Line, 10)
	}
	b.channels()
	b.identity()
	b.dataAttributes()
	b.address()
	b.attributes()
	b.objects()
	return b.rec, b.rejects
}

func cmpSeq(a, b uint64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// repair reports a change Build made, on the profile's latest endpoint.
func (b *recBuilder) repair(field, reason string) {
	r := Reject{Action: ActionRepaired, Field: field, Reason: reason}
	if len(b.latest) > 0 {
		e := b.latest[0].e
		r.File, r.Line, r.EndpointId = e.File, e.Line, e.ID
	}
	b.rejects = append(b.rejects, r)
}

// channels sorts every address into its state and lands it: the primary
// reachable address of a channel in its contact field, the others in
// OtherAddresses_, OptedOutAddresses_ and InactiveAddresses_ lists.
func (b *recBuilder) channels() {
	var addrs []*addrGroup
	idx := map[[2]string]*addrGroup{}
	for _, r := range b.byID {
		e := r.e
		if e.Address == "" {
			continue
		}
		k := [2]string{e.ChannelType, e.Address}
		a := idx[k]
		if a == nil {
			a = &addrGroup{ch: e.ChannelType, addr: e.Address}
			idx[k] = a
			addrs = append(addrs, a)
		}
		a.ids = append(a.ids, e.ID)
		a.optedOut = a.optedOut || e.OptedOut
		if !e.Inactive && (a.best == nil || epLater(r, a.best)) {
			a.best = r
		}
	}
	slices.SortFunc(addrs, func(x, y *addrGroup) int {
		if c := strings.Compare(x.ch, y.ch); c != 0 {
			return c
		}
		return strings.Compare(x.addr, y.addr)
	})

	var reachable []string
	for i := 0; i < len(addrs); {
		j := i
		for j < len(addrs) && addrs[j].ch == addrs[i].ch {
			j++
		}
		if b.channel(addrs[i].ch, addrs[i:j]) {
			reachable = append(reachable, addrs[i].ch)
		}
		i = j
	}
	if len(reachable) > 0 {
		b.sys[translate.ChannelsAttribute] = translate.ChannelsValue(reachable)
	}
}

// channel lands the addresses of one channel (sorted by address) and
// reports whether one is reachable.
func (b *recBuilder) channel(ch string, addrs []*addrGroup) bool {
	var primary *addrGroup
	for _, a := range addrs {
		if a.state() == StateReachable && (primary == nil || epLater(a.best, primary.best)) {
			primary = a
		}
	}
	field := contactField(ch)
	if primary != nil && field != "" {
		if attr, ok := strings.CutPrefix(field, "Attributes."); ok {
			b.sys[attr] = primary.addr
		} else if !b.setStandard(field, primary.addr) {
			field = ""
		}
	}
	if field == "" {
		primary = nil // every reachable address goes to OtherAddresses_
	}
	var lists [3][]string // other, opted out, inactive
	prefixes := [3]string{otherPrefix, optedOutPrefix, inactivePrefix}
	optedOut := false
	for _, a := range addrs {
		c := Consent{Channel: ch, Address: a.addr, State: a.state(), EndpointIds: a.ids}
		n := 0
		switch c.State {
		case StateReachable:
			if a == primary {
				c.Field = field
			}
		case StateOptedOut:
			n, optedOut = 1, true
		case StateInactive:
			n = 2
		}
		if c.Field == "" {
			lists[n] = append(lists[n], a.addr)
			c.Field = "Attributes." + prefixes[n] + ch
		}
		b.rec.Consent = append(b.rec.Consent, c)
	}
	for n, l := range lists {
		if len(l) > 0 {
			b.sys[prefixes[n]+ch] = FlattenList(l) // addrs is sorted, so l is
		}
	}
	reachable := primary != nil || len(lists[0]) > 0
	if !reachable && optedOut {
		b.sys[translate.OptOutAttribute(ch)] = translate.OptOutValue
	}
	return reachable
}

// setStandard sets a standard profile field; a value over
// MaxAttributeValue characters is left off and reported.
func (b *recBuilder) setStandard(field, v string) bool {
	if utf8.RuneCountInString(v) > MaxAttributeValue {
		b.repair(field, "value over "+strconv.Itoa(MaxAttributeValue)+" characters; left off the profile")
		return false
	}
	p := &b.rec.Profile
	switch field {
	case "EmailAddress":
		p.EmailAddress = v
	case "MobilePhoneNumber":
		p.MobilePhoneNumber = v
	case "PhoneNumber":
		p.PhoneNumber = v
	}
	return true
}

// identity writes UserId and CohortId: the latest values.
func (b *recBuilder) identity() {
	for _, r := range b.latest {
		if r.e.UserID != "" {
			b.sys[userIDAttribute] = r.e.UserID
			break
		}
	}
	for _, r := range b.latest {
		if r.e.CohortID != "" {
			b.sys[cohortAttribute] = r.e.CohortID
			break
		}
	}
}

// dataAttributes collects user and endpoint attributes (the union of
// their values, latest endpoint first), and metrics, demographics and
// coordinates (the latest endpoint's value).
func (b *recBuilder) dataAttributes() {
	for _, r := range b.latest {
		for _, kv := range r.e.UserAttributes {
			b.addList(dataName("User.UserAttributes.", kv.K), kv.V)
		}
		for _, kv := range r.e.Attributes {
			b.addList(dataName("Attributes.", kv.K), kv.V)
		}
	}
	for _, r := range b.latest {
		for _, kv := range r.e.Metrics {
			b.addData(dataName("Metrics.", kv.K), true, kv.V)
		}
		for _, kv := range r.e.Demographic {
			b.addData(dataName("Demographic.", kv.K), true, kv.V)
		}
	}
	for _, r := range b.latest {
		if r.e.Latitude != "" || r.e.Longitude != "" {
			b.addData(latitudeRef, true, r.e.Latitude)
			b.addData(longitudeRef, true, r.e.Longitude)
			break
		}
	}
}

// Names of fixed paths, worked out once: Build runs per profile.
var (
	userIDAttribute = translate.ProfileAttribute("User.UserId")
	latitudeRef     = dataPath("Location.Latitude")
	longitudeRef    = dataPath("Location.Longitude")
)

// dataRef is a source path (scope+key, built only for reports) and the
// attribute it maps to.
type dataRef struct{ scope, key, name string }

// dataName maps scope+key onto its attribute name as
// translate.ProfileAttribute does, without building the path for the
// common key without dots (the attribute is then the key itself, or
// Demographic_<key>): this runs for every value of every endpoint.
func dataName(scope, key string) dataRef {
	if key != "" && !strings.Contains(key, ".") {
		if scope == "Demographic." {
			return dataRef{name: "Demographic_" + key, scope: scope, key: key}
		}
		return dataRef{name: key, scope: scope, key: key}
	}
	return dataPath(scope + key)
}

func dataPath(path string) dataRef {
	return dataRef{scope: path, name: translate.ProfileAttribute(path)}
}

// addList adds a flattened list value; a value that needs no splitting
// is one value.
func (b *recBuilder) addList(ref dataRef, flat string) {
	if v := b.slot(ref); v != nil {
		v.addFlat(flat)
	}
}

// addData adds values of a source path to the attribute it maps to. A
// single-valued source (metric, demographic, coordinate) is taken from
// the latest endpoint only: later calls for the same attribute from such
// sources are ignored.
func (b *recBuilder) addData(ref dataRef, single bool, vals ...string) {
	v := b.slot(ref)
	if v == nil {
		return
	}
	if single {
		if v.fixed {
			return
		}
		v.fixed = true
		if vals[0] == "" {
			return
		}
	}
	v.add(vals...)
}

// slot is the collector of ref's attribute; nil when the path maps to
// no attribute or to a reserved one (reported once).
func (b *recBuilder) slot(ref dataRef) *attrValues {
	name := ref.name
	if name == "" {
		return nil
	}
	v := b.data[name]
	if v == nil {
		if reservedAttr(name) {
			b.data[name] = &attrValues{reserved: true}
			b.repair("Attributes."+name, "attribute name "+strconv.Quote(name)+" (from "+ref.scope+ref.key+") is reserved for consent and contact data; left off")
			return nil
		}
		v = &attrValues{}
		b.data[name] = v
	}
	if v.reserved {
		return nil
	}
	return v
}

// address takes Address from the latest endpoint with a Location member.
func (b *recBuilder) address() {
	for _, r := range b.latest {
		l := r.e.Location
		if l == (Address{}) {
			continue
		}
		a := &Address{}
		for _, f := range []struct {
			name string
			src  string
			dst  *string
		}{{"City", l.City, &a.City}, {"Country", l.Country, &a.Country}, {"PostalCode", l.PostalCode, &a.PostalCode}, {"State", l.State, &a.State}} {
			if utf8.RuneCountInString(f.src) > MaxAttributeValue {
				b.repair("Address."+f.name, "value over "+strconv.Itoa(MaxAttributeValue)+" characters; left off the profile")
				continue
			}
			*f.dst = f.src
		}
		if *a != (Address{}) {
			b.rec.Profile.Address = a
		}
		return
	}
}

// attributes writes sys then data attributes into the profile, splitting
// overlong values. Names are taken in sorted order, so a continuation key
// that meets an existing name is resolved the same way every time: the
// first writer keeps it, the other is reported.
func (b *recBuilder) attributes() {
	out := make(map[string]string, len(b.sys)+len(b.data))
	put := func(name, value string) {
		if len(value) <= MaxAttributeValue {
			if _, dup := out[name]; !dup {
				out[name] = value
				return
			}
		}
		parts := SplitLong(name, value)
		if len(parts) > 1 {
			names := make([]string, len(parts))
			for i, p := range parts {
				names[i] = p.K
			}
			b.repair("Attributes."+name, reasonSplitPrefix+strconv.Itoa(len(parts))+" parts: "+strings.Join(names, ", "))
		}
		for _, p := range parts {
			if _, dup := out[p.K]; dup {
				b.repair("Attributes."+p.K, "attribute name already holds another value (a continuation key of a split value); left off")
				continue
			}
			out[p.K] = p.V
		}
	}
	if b.noLongValues() {
		// Nothing to split, so no continuation key can meet another name
		// (data attributes never take a reserved one): order is moot.
		maps.Copy(out, b.sys)
		for k, v := range b.data {
			if !v.empty() {
				out[k] = v.value()
			}
		}
		if len(out) > 0 {
			b.rec.Profile.Attributes = out
		}
		return
	}
	for _, k := range sortedAttrKeys(b.sys) {
		put(k, b.sys[k])
	}
	names := make([]string, 0, len(b.data))
	for k, v := range b.data {
		if !v.empty() {
			names = append(names, k)
		}
	}
	slices.Sort(names)
	for _, k := range names {
		put(k, b.data[k].value())
	}
	if len(out) > 0 {
		b.rec.Profile.Attributes = out
	}
}

// noLongValues reports that no attribute value needs splitting (bytes
// bound characters from above).
func (b *recBuilder) noLongValues() bool {
	for _, v := range b.sys {
		if len(v) > MaxAttributeValue {
			return false
		}
	}
	for _, v := range b.data {
		if v.empty() {
			continue
		}
		if v.hasFlat {
			if len(v.flat) > MaxAttributeValue {
				return false
			}
			continue
		}
		n := len(v.vals) - 1 // separators, before escapes
		for _, x := range v.vals {
			n += len(x) + strings.Count(x, `\`) + strings.Count(x, ",")
		}
		if n > MaxAttributeValue {
			return false
		}
	}
	return true
}

func sortedAttrKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

// objects writes one PinpointEndpoint object per endpoint. They carry no
// contact field, Channels or OptOut_<CH>: objects are ingested one at a
// time and would overwrite the merged profile's values.
func (b *recBuilder) objects() {
	b.rec.Objects = make([]map[string]string, len(b.byID))
	for i, r := range b.byID {
		e := r.e
		o := make(map[string]string, 6+len(e.Metrics))
		// The keys, and the members kept with the object that fill
		// nothing on the profile.
		o["ProfileKey"], o["EndpointId"], o["ChannelType"] = b.key, e.ID, e.ChannelType
		o["EndpointStatus"], o["OptOut"] = "ACTIVE", "NONE"
		if e.Inactive {
			o["EndpointStatus"] = "INACTIVE"
		}
		if e.OptedOut {
			o["OptOut"] = translate.OptOutValue
		}
		if e.EffectiveDate != "" {
			o["EffectiveDate"] = e.EffectiveDate
		}
		for _, kv := range e.Metrics {
			f := translate.ObjectField("Metrics." + kv.K)
			if b.opts.ObjectFields == nil || b.opts.ObjectFields[f] {
				o[f] = kv.V
			}
		}
		b.rec.Objects[i] = o
	}
}
