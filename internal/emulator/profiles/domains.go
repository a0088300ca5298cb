package profiles

import (
	"encoding/json"
	"regexp"
	"strings"
	"time"

	"github.com/p2c/p2c/internal/emulator/core"
)

// domain holds everything that lives in one Customer Profiles domain.
type domain struct {
	name   string
	region string
	obj    map[string]any // the GetDomain answer without Stats

	types    map[string]map[string]any // object types by name
	profiles map[string]*profile
	profIDs  []string // creation order
	// index maps a search key and value to the profiles holding it, for
	// the custom keys object types define.
	index map[string]map[string][]string
	// objects by object type + "/" + ProfileObjectUniqueKey.
	objects map[string]*pobject

	calcs     map[string]map[string]any
	segments  map[string]map[string]any
	triggers  map[string]map[string]any
	estimates map[string]*estimate
	snapshots map[string]*snapshot // by segment + "/" + id
	uploads   map[string]*upload
	upOrder   []string

	snapDay   string
	snapCount int
}

func (r *region) domain(name string) (*domain, *core.Error) {
	d := r.domains[name]
	if d == nil {
		return nil, notFound("Domain %s not found", name)
	}
	return d, nil
}

func init() {
	register(map[string]handler{
		"CreateDomain": createDomain, "GetDomain": getDomain, "UpdateDomain": updateDomain,
		"DeleteDomain": deleteDomain, "ListDomains": listDomains,
		"PutProfileObjectType": putObjectType, "GetProfileObjectType": getObjectType,
		"ListProfileObjectTypes": listObjectTypes, "DeleteProfileObjectType": deleteObjectType,
		"TagResource": tagResource, "UntagResource": untagResource, "ListTagsForResource": listTags,
	})
}

// domainSettings are the members CreateDomain and UpdateDomain carry.
var domainSettings = []string{"DefaultExpirationDays", "DefaultEncryptionKey", "DeadLetterQueueUrl", "Matching", "RuleBasedMatching", "DataStore"}

func createDomain(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	name := core.Str(in, "DomainName")
	if r.domains[name] != nil {
		return nil, badRequest("Domain %s already exists", name)
	}
	if len(r.domains) >= maxDomains {
		return nil, badRequest("You have reached the maximum of %d domains in this account and region", maxDomains)
	}
	tags, err := tagsOf(in["Tags"])
	if err != nil {
		return nil, err
	}
	now := stamp(c.Now)
	o := map[string]any{"DomainName": name, "CreatedAt": now, "LastUpdatedAt": now, "Tags": tags}
	for _, k := range domainSettings {
		if v, ok := in[k]; ok {
			o[k] = core.DeepCopy(v)
		}
	}
	r.domains[name] = &domain{name: name, region: r.name, obj: o, types: map[string]map[string]any{},
		profiles: map[string]*profile{}, index: map[string]map[string][]string{}, objects: map[string]*pobject{},
		calcs: map[string]map[string]any{}, segments: map[string]map[string]any{}, triggers: map[string]map[string]any{},
		estimates: map[string]*estimate{}, snapshots: map[string]*snapshot{}, uploads: map[string]*upload{}}
	return copyMap(o), nil
}

func getDomain(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	d, err := r.domain(core.Str(in, "DomainName"))
	if err != nil {
		return nil, err
	}
	out := copyMap(d.obj)
	size := 0
	for _, o := range d.objects {
		size += len(o.raw)
	}
	for _, p := range d.profiles {
		b, _ := json.Marshal(p.obj)
		size += len(b)
	}
	out["Stats"] = map[string]any{"ProfileCount": len(d.profiles), "MeteringProfileCount": len(d.profiles),
		"ObjectCount": len(d.objects), "TotalSize": size}
	return out, nil
}

func updateDomain(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	d, err := r.domain(core.Str(in, "DomainName"))
	if err != nil {
		return nil, err
	}
	for _, k := range domainSettings {
		if v, ok := in[k]; ok {
			d.obj[k] = core.DeepCopy(v)
		}
	}
	if t, ok := in["Tags"]; ok {
		tags, err := tagsOf(t)
		if err != nil {
			return nil, err
		}
		cur, _ := d.obj["Tags"].(map[string]any)
		for k, v := range tags {
			cur[k] = v
		}
	}
	d.obj["LastUpdatedAt"] = stamp(c.Now)
	return copyMap(d.obj), nil
}

func deleteDomain(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	d, err := r.domain(core.Str(in, "DomainName"))
	if err != nil {
		return nil, err
	}
	delete(r.domains, d.name)
	return message("Domain " + d.name + " was deleted."), nil
}

func listDomains(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	var items []any
	for _, n := range sortedKeys(r.domains) {
		o := r.domains[n].obj
		items = append(items, map[string]any{"DomainName": n, "CreatedAt": o["CreatedAt"], "LastUpdatedAt": o["LastUpdatedAt"], "Tags": o["Tags"]})
	}
	return listPage("domains", items, in)
}

// object types ---------------------------------------------------------------

var objectTypeMembers = []string{"Description", "TemplateId", "ExpirationDays", "EncryptionKey", "AllowProfileCreation",
	"SourceLastUpdatedTimestampFormat", "MaxProfileObjectCount", "SourcePriority", "Fields", "Keys"}

// profileTargets are the standard profile members a field may fill.
var profileTargets = map[string]bool{
	"AccountNumber": true, "AdditionalInformation": true, "PartyType": true, "BusinessName": true, "FirstName": true,
	"MiddleName": true, "LastName": true, "BirthDate": true, "Gender": true, "PhoneNumber": true, "MobilePhoneNumber": true,
	"HomePhoneNumber": true, "BusinessPhoneNumber": true, "EmailAddress": true, "PersonalEmailAddress": true,
	"BusinessEmailAddress": true, "PartyTypeString": true, "GenderString": true, "ProfileType": true,
}

var addressKinds = map[string]bool{"Address": true, "ShippingAddress": true, "MailingAddress": true, "BillingAddress": true}

var addressMembers = map[string]bool{"Address1": true, "Address2": true, "Address3": true, "Address4": true, "City": true,
	"County": true, "State": true, "Province": true, "Country": true, "PostalCode": true}

// checkTarget refuses a field Target that names no profile member.
func checkTarget(t string) bool {
	rest, ok := strings.CutPrefix(t, "_profile.")
	if !ok {
		return false
	}
	head, tail, nested := strings.Cut(rest, ".")
	switch {
	case head == "Attributes":
		return nested && tail != ""
	case addressKinds[head]:
		return nested && addressMembers[tail]
	}
	return !nested && profileTargets[head]
}

var sourceRE = regexp.MustCompile(`^_source\.[^{}\s]+$`)

func putObjectType(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	d, err := r.domain(core.Str(in, "DomainName"))
	if err != nil {
		return nil, err
	}
	name := core.Str(in, "ObjectTypeName")
	fields, keys := core.Obj(in, "Fields"), core.Obj(in, "Keys")
	if core.Str(in, "TemplateId") != "" {
		if fields != nil || keys != nil || in["AllowProfileCreation"] != nil || in["SourceLastUpdatedTimestampFormat"] != nil {
			return nil, badRequest("TemplateId cannot be combined with Fields, Keys, AllowProfileCreation or SourceLastUpdatedTimestampFormat")
		}
	}
	if len(keys) > maxKeysPerObjectType {
		return nil, badRequest("An object type can have at most %d keys, got %d", maxKeysPerObjectType, len(keys))
	}
	for fname, f := range fields {
		fm, _ := f.(map[string]any)
		src := core.Str(fm, "Source")
		if src != "" && !sourceRE.MatchString(src) && !strings.Contains(src, "{{_source.") {
			return nil, badRequest("Field %s: Source %q must be _source.<path> or a template over {{_source.<path>}}", fname, src)
		}
		if t := core.Str(fm, "Target"); t != "" && !checkTarget(t) {
			return nil, badRequest("Field %s: Target %q does not name a profile field", fname, t)
		}
	}
	unique := 0
	for kname, kl := range keys {
		for _, k := range kl.([]any) {
			km, _ := k.(map[string]any)
			for _, id := range strs(km["StandardIdentifiers"]) {
				if id == "UNIQUE" {
					unique++
				}
			}
			for _, fn := range strs(km["FieldNames"]) {
				if fields[fn] == nil {
					return nil, badRequest("Key %s refers to field %s, which the object type does not define", kname, fn)
				}
			}
		}
	}
	if unique > 1 {
		return nil, badRequest("An object type can have only one UNIQUE key")
	}
	now := stamp(c.Now)
	o := d.types[name]
	if o == nil {
		if len(d.types) >= maxObjectTypes {
			return nil, badRequest("The domain has reached the maximum of %d object types", maxObjectTypes)
		}
		tags, err := tagsOf(in["Tags"])
		if err != nil {
			return nil, err
		}
		o = map[string]any{"ObjectTypeName": name, "CreatedAt": now, "Tags": tags}
		d.types[name] = o
	} else if t, ok := in["Tags"]; ok {
		tags, err := tagsOf(t)
		if err != nil {
			return nil, err
		}
		o["Tags"] = tags
	}
	// A put replaces the definition: members left out are dropped.
	for _, k := range objectTypeMembers {
		if v, ok := in[k]; ok {
			o[k] = core.DeepCopy(v)
		} else {
			delete(o, k)
		}
	}
	if o["AllowProfileCreation"] == nil {
		o["AllowProfileCreation"] = false
	}
	if n := core.Str(o, "MaxProfileObjectCount"); n != "" {
		o["MaxAvailableProfileObjectCount"] = maxObjectsPerProfile
	}
	o["LastUpdatedAt"] = now
	return copyMap(o), nil
}

func (d *domain) objectType(name string) (map[string]any, *core.Error) {
	o := d.types[name]
	if o == nil {
		return nil, notFound("Object type %s not found in domain %s", name, d.name)
	}
	return o, nil
}

func getObjectType(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	d, err := r.domain(core.Str(in, "DomainName"))
	if err != nil {
		return nil, err
	}
	o, err := d.objectType(core.Str(in, "ObjectTypeName"))
	if err != nil {
		return nil, err
	}
	return copyMap(o), nil
}

func listObjectTypes(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	d, err := r.domain(core.Str(in, "DomainName"))
	if err != nil {
		return nil, err
	}
	var items []any
	for _, n := range sortedKeys(d.types) {
		o := d.types[n]
		it := map[string]any{}
		for _, k := range []string{"ObjectTypeName", "Description", "CreatedAt", "LastUpdatedAt", "MaxProfileObjectCount", "MaxAvailableProfileObjectCount", "Tags"} {
			if v, ok := o[k]; ok {
				it[k] = v
			}
		}
		items = append(items, it)
	}
	return listPage("object-types/"+d.name, items, in)
}

func deleteObjectType(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	d, err := r.domain(core.Str(in, "DomainName"))
	if err != nil {
		return nil, err
	}
	name := core.Str(in, "ObjectTypeName")
	if _, err := d.objectType(name); err != nil {
		return nil, err
	}
	for _, o := range d.objects {
		if o.typ == name {
			d.dropObject(o)
		}
	}
	delete(d.types, name)
	return message("Object type " + name + " was deleted."), nil
}

// tags -----------------------------------------------------------------------

// taggable finds the tag map of the resource an ARN names.
func (s *Service) taggable(arnStr string) (map[string]any, *core.Error) {
	bad := badRequest("Invalid resource ARN %s", arnStr)
	parts := strings.SplitN(arnStr, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" || parts[2] != "profile" {
		return nil, bad
	}
	r := s.regions[parts[3]]
	segs := strings.Split(parts[5], "/")
	if len(segs) < 2 || segs[0] != "domains" {
		return nil, bad
	}
	missing := notFound("Resource %s not found", arnStr)
	if r == nil || parts[4] != core.Account {
		return nil, missing
	}
	d := r.domains[segs[1]]
	if d == nil {
		return nil, missing
	}
	var o map[string]any
	switch {
	case len(segs) == 2:
		o = d.obj
	case len(segs) == 4:
		switch segs[2] {
		case "object-types":
			o = d.types[segs[3]]
		case "segment-definitions":
			o = d.segments[segs[3]]
		case "event-triggers":
			o = d.triggers[segs[3]]
		case "calculated-attributes":
			o = d.calcs[segs[3]]
		default:
			return nil, bad
		}
	default:
		return nil, bad
	}
	if o == nil {
		return nil, missing
	}
	t, _ := o["Tags"].(map[string]any)
	if t == nil {
		t = map[string]any{}
		o["Tags"] = t
	}
	return t, nil
}

func tagResource(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	t, err := s.taggable(core.Str(in, "resourceArn"))
	if err != nil {
		return nil, err
	}
	add, err := tagsOf(in["tags"])
	if err != nil {
		return nil, err
	}
	if len(t)+len(add) > 50 {
		merged := len(t)
		for k := range add {
			if _, ok := t[k]; !ok {
				merged++
			}
		}
		if merged > 50 {
			return nil, badRequest("A resource can have at most 50 tags")
		}
	}
	for k, v := range add {
		t[k] = v
	}
	return nil, nil
}

func untagResource(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	t, err := s.taggable(core.Str(in, "resourceArn"))
	if err != nil {
		return nil, err
	}
	for _, k := range strs(in["tagKeys"]) {
		delete(t, k)
	}
	return nil, nil
}

func listTags(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	t, err := s.taggable(core.Str(in, "resourceArn"))
	if err != nil {
		return nil, err
	}
	return map[string]any{"tags": copyMap(t)}, nil
}

// dayOf names the UTC day of t, for daily quotas.
func dayOf(t time.Time) string { return t.Format("2006-01-02") }
