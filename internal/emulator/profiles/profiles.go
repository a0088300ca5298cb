package profiles

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/p2c/p2c/internal/emulator/core"
)

// profile is one stored profile.
type profile struct {
	id  string
	obj map[string]any // Profile shape members, ProfileId included
	// keys are the custom search keys it holds (object-type keys and
	// AddProfileKey), key name -> values.
	keys map[string][]string
	// objs are the unique keys (type + "/" + key) of its objects, in
	// ingestion order.
	objs []string
	// seq orders profiles by creation (search answers list them so).
	seq int
}

// pobject is one stored profile object.
type pobject struct {
	typ, key, profile string
	raw               string
	fields            map[string]string // object-type field name -> value
	keys              map[string]string // object-type key name -> value
	seq               int
	at                time.Time
}

func init() {
	register(map[string]handler{
		"CreateProfile": createProfile, "UpdateProfile": updateProfile, "DeleteProfile": deleteProfile,
		"SearchProfiles": searchProfiles, "BatchGetProfile": batchGetProfile, "AddProfileKey": addProfileKey,
		"PutProfileObject": putProfileObject, "ListProfileObjects": listProfileObjects, "DeleteProfileObject": deleteProfileObject,
	})
}

// profileMembers are the members CreateProfile and UpdateProfile carry.
var profileMembers = []string{"AccountNumber", "AdditionalInformation", "PartyType", "BusinessName", "FirstName", "MiddleName",
	"LastName", "BirthDate", "Gender", "PhoneNumber", "MobilePhoneNumber", "HomePhoneNumber", "BusinessPhoneNumber",
	"EmailAddress", "PersonalEmailAddress", "BusinessEmailAddress", "Address", "ShippingAddress", "MailingAddress",
	"BillingAddress", "Attributes", "PartyTypeString", "GenderString", "ProfileType", "EngagementPreferences"}

func (d *domain) profile(id string) (*profile, *core.Error) {
	p := d.profiles[id]
	if p == nil {
		return nil, notFound("Profile %s not found in domain %s", id, d.name)
	}
	return p, nil
}

func (s *Service) newProfile(d *domain) *profile {
	id := s.newID(d.region+"/"+d.name, "profile")
	p := &profile{id: id, obj: map[string]any{"ProfileId": id}, keys: map[string][]string{}, seq: s.seq}
	d.profiles[id] = p
	d.profIDs = append(d.profIDs, id)
	return p
}

func createProfile(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	d, err := r.domain(core.Str(in, "DomainName"))
	if err != nil {
		return nil, err
	}
	p := s.newProfile(d)
	p.update(in)
	return map[string]any{"ProfileId": p.id}, nil
}

// update applies the members of a Create/UpdateProfile input: an empty
// string clears a field, an omitted one is kept; address members and
// attributes merge one by one.
func (p *profile) update(in map[string]any) {
	for _, k := range profileMembers {
		v, ok := in[k]
		if !ok {
			continue
		}
		switch t := v.(type) {
		case map[string]any:
			if k == "EngagementPreferences" {
				p.obj[k] = core.DeepCopy(t)
				continue
			}
			cur, _ := p.obj[k].(map[string]any)
			if cur == nil {
				cur = map[string]any{}
			}
			for mk, mv := range t {
				if core.Scalar(mv) == "" {
					delete(cur, mk)
				} else {
					cur[mk] = core.Scalar(mv)
				}
			}
			if len(cur) == 0 {
				delete(p.obj, k)
			} else {
				p.obj[k] = cur
			}
		default:
			if core.Scalar(v) == "" {
				delete(p.obj, k)
			} else {
				p.obj[k] = core.Scalar(v)
			}
		}
	}
}

func updateProfile(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	d, err := r.domain(core.Str(in, "DomainName"))
	if err != nil {
		return nil, err
	}
	p, err := d.profile(core.Str(in, "ProfileId"))
	if err != nil {
		return nil, err
	}
	p.update(in)
	return map[string]any{"ProfileId": p.id}, nil
}

func deleteProfile(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	d, err := r.domain(core.Str(in, "DomainName"))
	if err != nil {
		return nil, err
	}
	p, err := d.profile(core.Str(in, "ProfileId"))
	if err != nil {
		return nil, err
	}
	d.dropProfile(p)
	return message("Profile " + p.id + " was deleted."), nil
}

func (d *domain) dropProfile(p *profile) {
	for _, k := range append([]string(nil), p.objs...) {
		if o := d.objects[k]; o != nil {
			d.dropObject(o)
		}
	}
	for name, vals := range p.keys {
		for _, v := range vals {
			d.index[name][v] = remove(d.index[name][v], p.id)
		}
	}
	delete(d.profiles, p.id)
	d.profIDs = remove(d.profIDs, p.id)
}

func (d *domain) dropObject(o *pobject) {
	k := o.typ + "/" + o.key
	delete(d.objects, k)
	if p := d.profiles[o.profile]; p != nil {
		p.objs = remove(p.objs, k)
	}
}

// addKey records a custom search key on a profile.
func (d *domain) addKey(p *profile, name, value string) {
	if value == "" {
		return
	}
	for _, v := range p.keys[name] {
		if v == value {
			return
		}
	}
	p.keys[name] = append(p.keys[name], value)
	if d.index[name] == nil {
		d.index[name] = map[string][]string{}
	}
	d.index[name][value] = append(d.index[name][value], p.id)
}

func addProfileKey(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	d, err := r.domain(core.Str(in, "DomainName"))
	if err != nil {
		return nil, err
	}
	p, err := d.profile(core.Str(in, "ProfileId"))
	if err != nil {
		return nil, err
	}
	name := core.Str(in, "KeyName")
	if !d.knownKey(name) {
		return nil, badRequest("Key %s is not defined in domain %s", name, d.name)
	}
	for _, v := range strs(in["Values"]) {
		d.addKey(p, name, v)
	}
	return map[string]any{"KeyName": name, "Values": in["Values"]}, nil
}

// standardKeys are the search keys every domain has, with the profile
// members whose values they match ("" for the profile id).
var standardKeys = map[string][]string{
	"_profileId": {""},
	"_account":   {"AccountNumber"},
	"_email":     {"EmailAddress", "PersonalEmailAddress", "BusinessEmailAddress"},
	"_phone":     {"PhoneNumber", "MobilePhoneNumber", "HomePhoneNumber", "BusinessPhoneNumber"},
	"_fullName":  {"_fullName"},
}

// predefinedKeys exist in every domain but are only filled by object
// types (templates) or AddProfileKey.
var predefinedKeys = map[string]bool{"_assetId": true, "_caseId": true, "_orderId": true, "_ctrContactId": true,
	"_marketoLeadId": true, "_salesforceAccountId": true, "_salesforceContactId": true, "_salesforceAssetId": true,
	"_zendeskUserId": true, "_zendeskExternalId": true, "_zendeskTicketId": true, "_serviceNowSystemId": true,
	"_serviceNowIncidentId": true, "_segmentUserId": true, "_shopifyCustomerId": true, "_shopifyOrderId": true}

// knownKey says whether a key name can be searched in the domain.
func (d *domain) knownKey(name string) bool {
	if standardKeys[name] != nil || predefinedKeys[name] {
		return true
	}
	for _, t := range d.types {
		if core.Obj(t, "Keys")[name] != nil {
			return true
		}
	}
	return d.index[name] != nil
}

// matches returns the profiles a search key finds, in creation order.
func (d *domain) matches(name string, values []string) []string {
	want := map[string]bool{}
	for _, v := range values {
		want[v] = true
	}
	found := map[string]bool{}
	if members := standardKeys[name]; members != nil {
		for _, id := range d.profIDs {
			p := d.profiles[id]
			for _, m := range members {
				var v string
				switch m {
				case "":
					v = id
				case "_fullName":
					v = fullName(p.obj)
				default:
					v = core.Str(p.obj, m)
				}
				if v != "" && want[v] {
					found[id] = true
				}
			}
		}
	}
	for v := range want {
		for _, id := range d.index[name][v] {
			found[id] = true
		}
	}
	return d.inOrder(found)
}

// inOrder lists a set of profile ids in creation order without walking
// every profile of the domain: a load searches once per record.
func (d *domain) inOrder(set map[string]bool) []string {
	out := make([]string, 0, len(set))
	for id := range set {
		if d.profiles[id] != nil {
			out = append(out, id)
		}
	}
	sort.Slice(out, func(i, j int) bool { return d.profiles[out[i]].seq < d.profiles[out[j]].seq })
	return out
}

func fullName(p map[string]any) string {
	var parts []string
	for _, k := range []string{"FirstName", "MiddleName", "LastName"} {
		if v := core.Str(p, k); v != "" {
			parts = append(parts, v)
		}
	}
	return strings.Join(parts, " ")
}

func searchProfiles(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	d, err := r.domain(core.Str(in, "DomainName"))
	if err != nil {
		return nil, err
	}
	type search struct {
		name   string
		values []string
	}
	searches := []search{{core.Str(in, "KeyName"), strs(in["Values"])}}
	for _, a := range list(in, "AdditionalSearchKeys") {
		am, _ := a.(map[string]any)
		searches = append(searches, search{core.Str(am, "KeyName"), strs(am["Values"])})
	}
	if len(searches) > maxSearchKeyPairs {
		return nil, badRequest("At most %d search keys are allowed", maxSearchKeyPairs)
	}
	and := core.Str(in, "LogicalOperator") == "AND"
	hits := map[string]int{}
	found := map[string][]any{}
	for _, q := range searches {
		if !d.knownKey(q.name) {
			return nil, badRequest("Key %s is not defined in domain %s", q.name, d.name)
		}
		for _, id := range d.matches(q.name, q.values) {
			hits[id]++
			found[id] = append(found[id], map[string]any{"KeyName": q.name, "Values": anyList(q.values)})
		}
	}
	var items []any
	set := make(map[string]bool, len(hits))
	for id := range hits {
		set[id] = true
	}
	for _, id := range d.inOrder(set) {
		n := hits[id]
		if n == 0 || and && n < len(searches) {
			continue
		}
		o := copyMap(d.profiles[id].obj)
		o["FoundByItems"] = found[id]
		items = append(items, o)
	}
	return listPage("search/"+d.name, items, in)
}

func anyList(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

func batchGetProfile(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	d, err := r.domain(core.Str(in, "DomainName"))
	if err != nil {
		return nil, err
	}
	profiles, errs := []any{}, []any{}
	for _, id := range strs(in["ProfileIds"]) {
		if p := d.profiles[id]; p != nil {
			profiles = append(profiles, copyMap(p.obj))
		} else {
			errs = append(errs, map[string]any{"Code": "ResourceNotFoundException", "Message": "Profile not found", "ProfileId": id})
		}
	}
	return map[string]any{"Profiles": profiles, "Errors": errs}, nil
}

// profile objects ------------------------------------------------------------

var templateRE = regexp.MustCompile(`\{\{\s*_source\.([^{}\s]+)\s*\}\}`)

// sourceValue resolves an ObjectTypeField Source against an object.
func sourceValue(src string, o map[string]any) string {
	if strings.Contains(src, "{{") {
		return templateRE.ReplaceAllStringFunc(src, func(m string) string {
			return pathValue(o, templateRE.FindStringSubmatch(m)[1])
		})
	}
	p, ok := strings.CutPrefix(src, "_source.")
	if !ok {
		return ""
	}
	return pathValue(o, p)
}

// pathValue reads a dotted path in a JSON object; a key holding dots is
// tried whole first.
func pathValue(o map[string]any, path string) string {
	if v, ok := o[path]; ok {
		return core.Scalar(v)
	}
	head, tail, ok := strings.Cut(path, ".")
	if !ok {
		return ""
	}
	return pathValue(core.Obj(o, head), tail)
}

// keyIdentifiers returns the standard identifiers of an object-type key.
func keyIdentifiers(kl any) map[string]bool {
	ids := map[string]bool{}
	l, _ := kl.([]any)
	for _, k := range l {
		km, _ := k.(map[string]any)
		for _, id := range strs(km["StandardIdentifiers"]) {
			ids[id] = true
		}
	}
	return ids
}

// keyValue joins the values of a key's fields; "" when one is missing.
func keyValue(kl any, fields map[string]string) string {
	l, _ := kl.([]any)
	var parts []string
	for _, k := range l {
		km, _ := k.(map[string]any)
		for _, fn := range strs(km["FieldNames"]) {
			v := fields[fn]
			if v == "" {
				return ""
			}
			parts = append(parts, v)
		}
	}
	return strings.Join(parts, "_")
}

func putProfileObject(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	d, err := r.domain(core.Str(in, "DomainName"))
	if err != nil {
		return nil, err
	}
	t, err := d.objectType(core.Str(in, "ObjectTypeName"))
	if err != nil {
		return nil, err
	}
	raw := core.Str(in, "Object")
	if len(raw) > maxObjectSize {
		return nil, badRequest("The object is larger than %d bytes", maxObjectSize)
	}
	var src map[string]any
	dec := json.NewDecoder(bytes.NewReader([]byte(raw)))
	dec.UseNumber()
	if err := dec.Decode(&src); err != nil || src == nil {
		return nil, badRequest("Object is not a JSON object")
	}
	o := s.ingest(d, t, raw, src, c.Now)
	if o.err != nil {
		return nil, o.err
	}
	return map[string]any{"ProfileObjectUniqueKey": o.obj.key}, nil
}

type ingested struct {
	obj     *pobject
	created bool // a new profile was made
	err     *core.Error
}

// ingest maps one object onto a profile through its object type: the
// object's fields fill the profile members their Target names, its keys
// find the profile (PROFILE keys first, then SECONDARY ones) or, when the
// type allows it, create one; a UNIQUE key makes a re-ingested object
// replace the previous one.
func (s *Service) ingest(d *domain, t map[string]any, raw string, src map[string]any, now time.Time) ingested {
	typ := core.Str(t, "ObjectTypeName")
	fields := map[string]string{}
	fdefs := core.Obj(t, "Fields")
	for name, f := range fdefs {
		if v := sourceValue(core.Str(f.(map[string]any), "Source"), src); v != "" {
			fields[name] = v
		}
	}
	keys := map[string]string{}
	kdefs := core.Obj(t, "Keys")
	uniqueName := ""
	for name, kl := range kdefs {
		if keyIdentifiers(kl)["UNIQUE"] {
			uniqueName = name
		}
		if v := keyValue(kl, fields); v != "" {
			keys[name] = v
		}
	}

	// Find the profile: primary profile keys, then secondary ones.
	var pid string
	for _, pass := range []bool{false, true} {
		for _, name := range sortedKeys(kdefs) {
			ids := keyIdentifiers(kdefs[name])
			lookup := ids["PROFILE"] || ids["LOOKUP_ONLY"] || ids["SECONDARY"]
			if !lookup || ids["NEW_ONLY"] || ids["SECONDARY"] != pass || keys[name] == "" {
				continue
			}
			if m := d.matches(name, []string{keys[name]}); len(m) > 0 && pid == "" {
				pid = m[0]
			}
		}
	}
	var prev *pobject
	if uniqueName != "" && keys[uniqueName] != "" {
		prev = d.objects[typ+"/"+uniqueKey(typ, keys[uniqueName])]
		if pid == "" && prev != nil && d.profiles[prev.profile] != nil {
			pid = prev.profile
		}
	}
	created := false
	if pid == "" {
		if allow, _ := t["AllowProfileCreation"].(bool); !allow {
			return ingested{err: badRequest("No profile matches the object's keys and object type %s does not allow profile creation", typ)}
		}
		pid = s.newProfile(d).id
		created = true
	}
	p := d.profiles[pid]
	if !created && prev == nil && len(p.objs) >= maxObjectsPerProfile {
		return ingested{err: badRequest("Profile %s already holds the maximum of %d objects", pid, maxObjectsPerProfile)}
	}

	p.fill(fdefs, fields)
	for name, v := range keys {
		ids := keyIdentifiers(kdefs[name])
		if ids["LOOKUP_ONLY"] || ids["NEW_ONLY"] && !created {
			continue
		}
		d.addKey(p, name, v)
	}

	s.seq++
	o := &pobject{typ: typ, profile: pid, raw: raw, fields: fields, keys: keys, seq: s.seq, at: now}
	if uniqueName != "" && keys[uniqueName] != "" {
		o.key = uniqueKey(typ, keys[uniqueName])
	} else {
		o.key = s.newID(d.region+"/"+d.name, "object")
	}
	if prev != nil {
		d.dropObject(prev)
	}
	k := typ + "/" + o.key
	d.objects[k] = o
	p.objs = append(p.objs, k)
	return ingested{obj: o, created: created}
}

// fill copies field values into the profile members their Target names.
func (p *profile) fill(fdefs map[string]any, fields map[string]string) {
	for name, f := range fdefs {
		fm, _ := f.(map[string]any)
		target := core.Str(fm, "Target")
		v := fields[name]
		if target == "" || v == "" {
			continue
		}
		rest := strings.TrimPrefix(target, "_profile.")
		head, tail, nested := strings.Cut(rest, ".")
		if !nested {
			p.obj[head] = v
			continue
		}
		m, _ := p.obj[head].(map[string]any)
		if m == nil {
			m = map[string]any{}
			p.obj[head] = m
		}
		m[tail] = v
	}
}

// uniqueKey derives the ProfileObjectUniqueKey of an object with a UNIQUE
// key, so that re-ingesting it answers the same key.
func uniqueKey(typ, value string) string {
	return fmt.Sprintf("%x", hashOf(typ+"\x00"+value))
}

func listProfileObjects(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	d, err := r.domain(core.Str(in, "DomainName"))
	if err != nil {
		return nil, err
	}
	typ := core.Str(in, "ObjectTypeName")
	if _, err := d.objectType(typ); err != nil {
		return nil, err
	}
	p, err := d.profile(core.Str(in, "ProfileId"))
	if err != nil {
		return nil, err
	}
	filter := core.Obj(in, "ObjectFilter")
	want := map[string]bool{}
	for _, v := range strs(filter["Values"]) {
		want[v] = true
	}
	var items []any
	for _, o := range d.objectsOf(p, typ) {
		if filter != nil {
			kn := core.Str(filter, "KeyName")
			if !want[o.keys[kn]] && !want[o.fields[kn]] {
				continue
			}
		}
		items = append(items, map[string]any{"ObjectTypeName": typ, "ProfileObjectUniqueKey": o.key, "Object": o.raw})
	}
	return listPage("objects/"+p.id+"/"+typ, items, in)
}

// objectsOf returns a profile's objects of one type, oldest first.
func (d *domain) objectsOf(p *profile, typ string) []*pobject {
	var out []*pobject
	for _, k := range p.objs {
		if o := d.objects[k]; o != nil && o.typ == typ {
			out = append(out, o)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].seq < out[j].seq })
	return out
}

func deleteProfileObject(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	d, err := r.domain(core.Str(in, "DomainName"))
	if err != nil {
		return nil, err
	}
	typ := core.Str(in, "ObjectTypeName")
	if _, err := d.objectType(typ); err != nil {
		return nil, err
	}
	p, err := d.profile(core.Str(in, "ProfileId"))
	if err != nil {
		return nil, err
	}
	o := d.objects[typ+"/"+core.Str(in, "ProfileObjectUniqueKey")]
	if o == nil || o.profile != p.id {
		return nil, notFound("Profile object %s not found", core.Str(in, "ProfileObjectUniqueKey"))
	}
	d.dropObject(o)
	return message("Profile object deleted."), nil
}
