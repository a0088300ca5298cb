package profiles

import (
	"bytes"
	"math"
	"net/mail"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/nyaruka/phonenumbers"
	"github.com/valyala/fastjson"
)

// ParseOptions tune parsing.
type ParseOptions struct {
	// DefaultCountry (ISO 3166-1 alpha-2) reads phone numbers written
	// without a + when the endpoint's Location.Country gives none.
	DefaultCountry string
	// Owns, when set, says which profile keys the caller builds. A line
	// whose key it does not own is read only as far as deciding whether
	// it is rejected and what its key and EffectiveDate are (what a shard
	// needs to settle duplicates): no address or attribute work.
	Owns func(profileKey string) bool `json:"-"`
}

// LineError rejects one input line.
type LineError struct {
	Field  string
	Reason string
}

func (e *LineError) Error() string {
	if e.Field == "" {
		return e.Reason
	}
	return e.Field + ": " + e.Reason
}

// Repair reasons the transform counts (Summary.InvalidAddresses,
// Summary.SplitValues): see IsInvalidAddress and IsSplit.
const (
	reasonInvalidEmail = "invalid email address; left off the profile"
	reasonInvalidPhone = "invalid phone number; left off the profile"
	reasonSplitPrefix  = "value over 255 characters split into "
)

// IsInvalidAddress reports whether a repair left an invalid address off
// its profile.
func IsInvalidAddress(r Reject) bool {
	return r.Action == ActionRepaired && r.Field == "Address" && (r.Reason == reasonInvalidEmail || strings.HasPrefix(r.Reason, reasonInvalidPhone))
}

// IsSplit reports whether a repair split an overlong attribute value into
// continuation keys.
func IsSplit(r Reject) bool {
	return r.Action == ActionRepaired && strings.HasPrefix(r.Reason, reasonSplitPrefix)
}

// channelTypes are Pinpoint's endpoint channel types (the ChannelType enum
// of the pinpoint model), sorted.
var channelTypes = []string{"ADM", "APNS", "APNS_SANDBOX", "APNS_VOIP", "APNS_VOIP_SANDBOX", "BAIDU", "CUSTOM", "EMAIL", "GCM", "IN_APP", "PUSH", "SMS", "VOICE"}

// channelConst returns the channel type b spells exactly, as a constant
// string (no copy), or "".
func channelConst(b []byte) string {
	for _, c := range channelTypes {
		if string(b) == c {
			return c
		}
	}
	return ""
}

func knownChannel(ch string) bool {
	_, ok := slices.BinarySearch(channelTypes, ch)
	return ok
}

// isPushChannel reports whether a channel's address is a device token.
func isPushChannel(ch string) bool {
	switch ch {
	case "APNS", "APNS_SANDBOX", "APNS_VOIP", "APNS_VOIP_SANDBOX", "GCM", "BAIDU", "ADM", "PUSH":
		return true
	}
	return false
}

// demographicMembers are the lineMembers of EndpointDemographic, sorted.
var demographicMembers = []string{"AppVersion", "Locale", "Make", "Model", "ModelVersion", "Platform", "PlatformVersion", "Timezone"}

// supportedRegions are the region codes libphonenumber has metadata for.
var supportedRegions = phonenumbers.GetSupportedRegions()

// lineMembers holds the top-level lineMembers of a line that ParseEndpoint reads;
// a member written twice keeps its last value, as encoding/json does.
type lineMembers struct {
	id, channel, address, status, optOut, effective, cohort *fastjson.Value
	attributes, metrics, demographic, location, user        *fastjson.Value
}

// lineParser is the state of one ParseEndpoint call.
type lineParser struct {
	e *Endpoint
	// arena holds the bytes of every string of the endpoint: one
	// allocation per line instead of one per value. Strings taken from it
	// stay valid when it grows (a strings.Builder never rewrites bytes it
	// handed out).
	arena strings.Builder
	num   [32]byte
}

// str copies b into the arena. Invalid UTF-8 is replaced (and reported as
// a repair of field), so every value of a record is valid JSON text.
func (ps *lineParser) str(b []byte, field string) string { return ps.str2(b, field, "") }

// str2 is str for the field prefix+"."+name, joined only when reported.
func (ps *lineParser) str2(b []byte, prefix, name string) string {
	if len(b) == 0 {
		return ""
	}
	if !utf8.Valid(b) {
		b = bytes.ToValidUTF8(b, []byte("\uFFFD"))
		ps.repair(joinField(prefix, name), "invalid UTF-8 replaced with U+FFFD")
	}
	n := ps.arena.Len()
	ps.arena.Write(b)
	return ps.arena.String()[n:]
}

func (ps *lineParser) repair(field, reason string) {
	ps.e.Repairs = append(ps.e.Repairs, Reject{File: ps.e.File, Line: ps.e.Line, Action: ActionRepaired, Field: field, Reason: reason, EndpointId: ps.e.ID})
}

// ParseEndpoint parses and repairs one export line (a Pinpoint
// EndpointResponse in wire JSON). p is reused between calls of one
// goroutine. A nil error with e.Repairs lists the repairs; a *LineError
// rejects the line. File, Line and Seq are left for the caller to set,
// on the endpoint and on each of e.Repairs (which carry EndpointId).
func ParseEndpoint(line []byte, p *fastjson.Parser, opts ParseOptions) (e Endpoint, err error) {
	if len(bytes.TrimSpace(line)) == 0 {
		return e, &LineError{Reason: "not a JSON object: empty line"}
	}
	v, perr := p.ParseBytes(line)
	if perr != nil {
		return e, &LineError{Reason: "not a JSON object: " + cutText(perr.Error(), 200)}
	}
	o, oerr := v.Object()
	if oerr != nil {
		return e, &LineError{Reason: "not a JSON object: the line holds a JSON " + v.Type().String()}
	}
	var m lineMembers
	o.Visit(func(k []byte, v *fastjson.Value) {
		switch string(k) {
		case "Id":
			m.id = v
		case "ChannelType":
			m.channel = v
		case "Address":
			m.address = v
		case "EndpointStatus":
			m.status = v
		case "OptOut":
			m.optOut = v
		case "EffectiveDate":
			m.effective = v
		case "CohortId":
			m.cohort = v
		case "Attributes":
			m.attributes = v
		case "Metrics":
			m.metrics = v
		case "Demographic":
			m.demographic = v
		case "Location":
			m.location = v
		case "User":
			m.user = v
		}
	})

	ps := &lineParser{e: &e}
	ps.arena.Grow(len(line))

	// Id, ChannelType and Address decide whether there is an endpoint at
	// all: a wrong type rejects the line.
	id, ok := stringMember(m.id)
	if !ok {
		return e, &LineError{Field: "Id", Reason: "not a string: " + jsonTypeName(m.id)}
	}
	if len(bytes.TrimSpace(id)) == 0 {
		return e, &LineError{Field: "Id", Reason: "missing or empty endpoint id"}
	}
	e.ID = ps.str(id, "Id")

	ch, ok := stringMember(m.channel)
	if !ok {
		return e, &LineError{Field: "ChannelType", Reason: "not a string: " + jsonTypeName(m.channel)}
	}
	if m.channel == nil || len(ch) == 0 {
		return e, &LineError{Field: "ChannelType", Reason: "missing channel type (known: " + strings.Join(channelTypes, ", ") + ")"}
	}
	if e.ChannelType = channelConst(ch); e.ChannelType == "" {
		written := string(ch)
		up := strings.ToUpper(strings.TrimSpace(written))
		if !knownChannel(up) {
			return e, &LineError{Field: "ChannelType", Reason: "unknown channel type " + strconv.Quote(cutText(written, 64)) + " (known: " + strings.Join(channelTypes, ", ") + ")"}
		}
		ps.repair("ChannelType", "channel type "+strconv.Quote(written)+" upper-cased to "+up)
		e.ChannelType = up
	}

	addr, ok := stringMember(m.address)
	if !ok {
		return e, &LineError{Field: "Address", Reason: "not a string: " + jsonTypeName(m.address)}
	}

	ps.status(m.status)
	ps.optOut(m.optOut)
	if s, ok := ps.optString(m.effective, "EffectiveDate"); ok {
		e.EffectiveDate = s
	}
	var ua *fastjson.Value
	if m.user != nil {
		if uo, err := m.user.Object(); err != nil {
			if m.user.Type() != fastjson.TypeNull {
				ps.repair("User", "not an object: "+m.user.Type().String()+"; left off")
			}
		} else {
			ua = uo.Get("UserAttributes")
			if s, ok := ps.optString(uo.Get("UserId"), "User.UserId"); ok {
				e.UserID = s
			}
		}
	}
	if opts.Owns != nil && !opts.Owns(e.ProfileKey()) {
		return e, nil
	}
	if s, ok := ps.optString(m.cohort, "CohortId"); ok {
		e.CohortID = s
	}

	// One backing array for the four KV lists.
	n := objectLen(m.attributes) + objectLen(m.metrics) + len(demographicMembers) + objectLen(ua)
	kvs := make([]KV, 0, n)
	kvs, e.UserAttributes = ps.lists(kvs, ua, "User.UserAttributes")
	kvs, e.Attributes = ps.lists(kvs, m.attributes, "Attributes")
	kvs, e.Metrics = ps.metrics(kvs, m.metrics)
	_, e.Demographic = ps.demographic(kvs, m.demographic)
	ps.location(m.location)

	// The address last: the phone region comes from Location.Country.
	ps.address(addr, opts)
	return e, nil
}

// stringMember returns a string member's bytes; ok is false when the
// member is present with another type (null counts as absent).
func stringMember(v *fastjson.Value) ([]byte, bool) {
	if v == nil || v.Type() == fastjson.TypeNull {
		return nil, true
	}
	b, err := v.StringBytes()
	return b, err == nil
}

func jsonTypeName(v *fastjson.Value) string { return v.Type().String() }

func objectLen(v *fastjson.Value) int {
	if v == nil {
		return 0
	}
	o, err := v.Object()
	if err != nil {
		return 0
	}
	return o.Len()
}

// optString reads an optional string member; a wrong type is repaired
// (left off).
func (ps *lineParser) optString(v *fastjson.Value, field string) (string, bool) {
	b, ok := stringMember(v)
	if !ok {
		ps.repair(field, "not a string: "+jsonTypeName(v)+"; left off")
		return "", false
	}
	return ps.str(b, field), len(b) > 0
}

// status reads EndpointStatus: ACTIVE (the default) or INACTIVE. An
// unknown value reads as INACTIVE: p2c never makes an address it cannot
// read the status of contactable.
func (ps *lineParser) status(v *fastjson.Value) {
	b, ok := stringMember(v)
	if !ok {
		ps.e.Inactive = true
		ps.repair("EndpointStatus", "not a string: "+jsonTypeName(v)+"; read as INACTIVE")
		return
	}
	switch string(b) {
	case "", "ACTIVE":
		return
	case "INACTIVE":
		ps.e.Inactive = true
		return
	}
	s := string(b)
	switch up := strings.ToUpper(strings.TrimSpace(s)); up {
	case "ACTIVE", "INACTIVE":
		ps.e.Inactive = up == "INACTIVE"
		ps.repair("EndpointStatus", "endpoint status "+strconv.Quote(s)+" upper-cased to "+up)
	default:
		ps.e.Inactive = true
		ps.repair("EndpointStatus", "unknown endpoint status "+strconv.Quote(cutText(s, 64))+"; read as INACTIVE")
	}
}

// optOut reads OptOut: NONE (the default) or ALL. Any other value reads
// as opted out: consent that cannot be read is not consent.
func (ps *lineParser) optOut(v *fastjson.Value) {
	b, ok := stringMember(v)
	if !ok {
		ps.e.OptedOut = true
		ps.repair("OptOut", "not a string: "+jsonTypeName(v)+"; read as ALL (opted out)")
		return
	}
	switch string(b) {
	case "", "NONE":
		return
	case "ALL":
		ps.e.OptedOut = true
		return
	}
	s := string(b)
	switch up := strings.ToUpper(strings.TrimSpace(s)); up {
	case "NONE", "ALL":
		ps.e.OptedOut = up == "ALL"
		ps.repair("OptOut", "opt-out value "+strconv.Quote(s)+" upper-cased to "+up)
	default:
		ps.e.OptedOut = true
		ps.repair("OptOut", "unknown opt-out value "+strconv.Quote(cutText(s, 64))+"; read as ALL (opted out)")
	}
}

// lists reads a map of string lists (Attributes, User.UserAttributes),
// appending the flattened values to kvs; it returns the grown kvs and the
// new entries, sorted by key.
func (ps *lineParser) lists(kvs []KV, v *fastjson.Value, field string) ([]KV, []KV) {
	o := ps.object(v, field)
	if o == nil {
		return kvs, nil
	}
	start := len(kvs)
	var buf []byte
	o.Visit(func(k []byte, v *fastjson.Value) {
		if len(k) == 0 {
			ps.repair(field+".", "empty attribute name; left off")
			return
		}
		name := ps.str2(k, field, "")
		arr, err := v.Array()
		if err != nil {
			if v.Type() == fastjson.TypeString { // a bare string: a list of one
				arr = []*fastjson.Value{v}
			} else {
				ps.repair(joinField(field, name), "not a list of strings: "+v.Type().String()+"; left off")
				return
			}
			ps.repair(joinField(field, name), "a string, not a list of strings; read as a list of one")
		}
		buf = buf[:0]
		n := 0
		// A list is a set of values on the profile: keep the first of
		// equal ones. Lists are short; a long one gets a map so a hostile
		// line cannot make this quadratic.
		var seen map[string]bool
		if len(arr) > 16 {
			seen = make(map[string]bool, len(arr))
		}
	values:
		for i, x := range arr {
			b, err := x.StringBytes()
			if err != nil {
				ps.repair(joinField(field, name), "list value not a string: "+x.Type().String()+"; left off")
				continue
			}
			if seen != nil {
				if seen[string(b)] {
					continue
				}
				seen[string(b)] = true
			} else {
				for _, y := range arr[:i] {
					if yb, err := y.StringBytes(); err == nil && string(yb) == string(b) {
						continue values
					}
				}
			}
			buf = appendListValue(buf, b, n == 0)
			n++
		}
		if n == 0 {
			return // an empty list has no value to carry
		}
		kvs = append(kvs, KV{name, ps.str2(buf, field, name)})
	})
	return kvs, ps.sortKV(kvs, start, field)
}

// sortKV sorts kvs[start:] by key and drops duplicate keys (the last one
// written wins, as in encoding/json), reporting them.
func (ps *lineParser) sortKV(kvs []KV, start int, field string) []KV {
	s := kvs[start:len(kvs):len(kvs)]
	if len(s) == 0 {
		return nil
	}
	slices.SortStableFunc(s, func(a, b KV) int { return strings.Compare(a.K, b.K) })
	out := s[:0]
	for i := range s {
		if i+1 < len(s) && s[i+1].K == s[i].K {
			ps.repair(field+"."+s[i].K, "member written twice; the last one kept")
			continue
		}
		out = append(out, s[i])
	}
	return out
}

// object reads an optional object member; another type is repaired.
func (ps *lineParser) object(v *fastjson.Value, field string) *fastjson.Object {
	if v == nil || v.Type() == fastjson.TypeNull {
		return nil
	}
	o, err := v.Object()
	if err != nil {
		ps.repair(field, "not an object: "+v.Type().String()+"; left off")
		return nil
	}
	return o
}

// number reads a JSON number as a decimal string ("" and a repair of
// prefix.name when it is not a finite number).
func (ps *lineParser) number(v *fastjson.Value, prefix, name string) string {
	f, err := v.Float64()
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		if err != nil && v.Type() != fastjson.TypeNumber {
			ps.repair(joinField(prefix, name), "not a number: "+v.Type().String()+"; left off")
		} else {
			ps.repair(joinField(prefix, name), "not a finite number; left off")
		}
		return ""
	}
	return ps.str(strconv.AppendFloat(ps.num[:0], f, 'f', -1, 64), prefix)
}

func (ps *lineParser) metrics(kvs []KV, v *fastjson.Value) ([]KV, []KV) {
	o := ps.object(v, "Metrics")
	if o == nil {
		return kvs, nil
	}
	start := len(kvs)
	o.Visit(func(k []byte, v *fastjson.Value) {
		if len(k) == 0 {
			ps.repair("Metrics.", "empty metric name; left off")
			return
		}
		name := ps.str(k, "Metrics")
		if s := ps.number(v, "Metrics", name); s != "" {
			kvs = append(kvs, KV{name, s})
		}
	})
	return kvs, ps.sortKV(kvs, start, "Metrics")
}

func (ps *lineParser) demographic(kvs []KV, v *fastjson.Value) ([]KV, []KV) {
	o := ps.object(v, "Demographic")
	if o == nil {
		return kvs, nil
	}
	start := len(kvs)
	o.Visit(func(k []byte, v *fastjson.Value) {
		i, ok := slices.BinarySearch(demographicMembers, string(k))
		if !ok {
			return // a member Pinpoint added later: not mapped
		}
		name := demographicMembers[i]
		if b, ok := stringMember(v); !ok {
			ps.repair("Demographic."+name, "not a string: "+v.Type().String()+"; left off")
		} else if len(b) > 0 {
			kvs = append(kvs, KV{name, ps.str2(b, "Demographic", name)})
		}
	})
	return kvs, ps.sortKV(kvs, start, "Demographic")
}

func (ps *lineParser) location(v *fastjson.Value) {
	o := ps.object(v, "Location")
	if o == nil {
		return
	}
	l := &ps.e.Location
	o.Visit(func(k []byte, v *fastjson.Value) {
		var dst *string
		var field string
		switch string(k) {
		case "City":
			dst, field = &l.City, "Location.City"
		case "Country":
			dst, field = &l.Country, "Location.Country"
		case "PostalCode":
			dst, field = &l.PostalCode, "Location.PostalCode"
		case "Region":
			dst, field = &l.State, "Location.Region"
		case "Latitude":
			ps.e.Latitude = ps.coordinate(v, "Latitude")
			return
		case "Longitude":
			ps.e.Longitude = ps.coordinate(v, "Longitude")
			return
		default:
			return
		}
		if s, ok := ps.optString(v, field); ok {
			*dst = s
		} else {
			*dst = ""
		}
	})
}

func (ps *lineParser) coordinate(v *fastjson.Value, name string) string {
	if v.Type() == fastjson.TypeNull {
		return ""
	}
	return ps.number(v, "Location", name)
}

// joinField names a member inside a field ("Attributes" "x" → "Attributes.x").
func joinField(prefix, name string) string {
	if name == "" {
		return prefix
	}
	return prefix + "." + name
}

// address normalizes the address for its channel.
func (ps *lineParser) address(b []byte, opts ParseOptions) {
	e := ps.e
	raw := string(bytes.TrimSpace(b))
	if raw == "" {
		return
	}
	switch e.ChannelType {
	case "EMAIL":
		a, ok := normalizeEmail(raw)
		switch {
		case !ok:
			ps.repair("Address", reasonInvalidEmail)
		case a != string(b):
			e.Address = a
			ps.repair("Address", "email address normalized (spaces trimmed, domain lower-cased)")
		default:
			e.Address = ps.str(b, "Address")
		}
	case "SMS", "VOICE":
		a, ok := normalizePhone(raw, phoneRegion(e.Location.Country, opts.DefaultCountry))
		switch {
		case !ok:
			ps.repair("Address", reasonInvalidPhone)
		case a != string(b):
			e.Address = a
			ps.repair("Address", "phone number normalized to E.164")
		default:
			e.Address = ps.str(b, "Address")
		}
	default:
		// Push tokens and custom addresses are opaque: kept as written,
		// less surrounding spaces.
		if len(raw) != len(b) {
			ps.repair("Address", "surrounding spaces trimmed")
		}
		e.Address = ps.str([]byte(raw), "Address")
	}
}

// phoneRegion is the region numbers without a + are read in: the
// endpoint's country when it is an ISO alpha-2 code libphonenumber knows,
// else the default country ("" reads only +E.164 numbers).
func phoneRegion(country, def string) string {
	if len(country) == 2 {
		up := strings.ToUpper(country)
		if supportedRegions[up] {
			return up
		}
	}
	return strings.ToUpper(def)
}

// normalizePhone returns the E.164 form of a valid phone number.
func normalizePhone(s, region string) (string, bool) {
	if region == "" && !strings.HasPrefix(s, "+") {
		return "", false
	}
	if len(s) > 64 {
		return "", false // no phone number is this long; spare the lineParser
	}
	if num, ok := canonicalE164(s); ok {
		// Already in E.164: validate without parsing (half the cost).
		return s, phonenumbers.IsValidNumber(num)
	}
	num, err := phonenumbers.Parse(s, region)
	if err != nil || !phonenumbers.IsValidNumber(num) {
		return "", false
	}
	return phonenumbers.Format(num, phonenumbers.E164), true
}

// canonicalE164 reads a number already written as E.164 ("+" then 8 to
// 15 digits, no leading zero) into the form phonenumbers.Parse would
// give, so IsValidNumber can check it directly. Country calling codes are
// prefix-free, so the first known one is the number's. A national number
// starting with 0 (Italian leading zero) is left to Parse.
func canonicalE164(s string) (*phonenumbers.PhoneNumber, bool) {
	if len(s) < 9 || len(s) > 16 || s[0] != '+' || s[1] == '0' {
		return nil, false
	}
	for i := 1; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return nil, false
		}
	}
	cc := 0
	for l := 1; l <= 3; l++ {
		cc = cc*10 + int(s[l]-'0')
		if phonenumbers.GetRegionCodeForCountryCode(cc) == phonenumbers.UNKNOWN_REGION {
			continue
		}
		national := s[1+l:]
		if national == "" || national[0] == '0' {
			return nil, false
		}
		n, err := strconv.ParseUint(national, 10, 64)
		if err != nil {
			return nil, false
		}
		c := int32(cc)
		return &phonenumbers.PhoneNumber{CountryCode: &c, NationalNumber: &n}, true
	}
	return nil, false
}

// normalizeEmail validates an email address (net/mail must read it back
// as exactly the bare address: no display name, no comments, no quoting;
// one @; a domain with a dot; at most 254 characters) and lower-cases its
// domain.
func normalizeEmail(s string) (string, bool) {
	if len(s) > 254 || strings.Count(s, "@") != 1 {
		return "", false
	}
	local, domain, _ := strings.Cut(s, "@")
	if local == "" || !strings.Contains(domain, ".") {
		return "", false
	}
	if !simpleEmail(local, domain) {
		a, err := mail.ParseAddress(s)
		if err != nil || a.Name != "" || a.Address != s {
			return "", false
		}
	}
	if lower := strings.ToLower(domain); lower != domain {
		return local + "@" + lower, true
	}
	return s, true
}

// simpleEmail is the common case net/mail accepts unchanged, checked
// without it: a dot-atom local part of ASCII atext and a domain of
// letter-digit-hyphen labels. Anything else goes to net/mail.
func simpleEmail(local, domain string) bool {
	return dotAtom(local, isAtext) && dotAtom(domain, isLDH)
}

func dotAtom(s string, ok func(byte) bool) bool {
	if s == "" || s[0] == '.' || s[len(s)-1] == '.' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '.' {
			if s[i-1] == '.' {
				return false
			}
			continue
		}
		if !ok(c) {
			return false
		}
	}
	return true
}

func isLDH(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-'
}

func isAtext(c byte) bool {
	return isLDH(c) || strings.IndexByte("!#$%&'*+/=?^_`{|}~", c) >= 0
}

// cutText shortens s to at most n bytes (on a rune boundary), marking the cut.
func cutText(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}
