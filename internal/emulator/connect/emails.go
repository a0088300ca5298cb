package connect

import (
	"strings"

	"github.com/p2c/p2c/internal/emulator/core"
)

func init() {
	register(map[string]handler{
		"CreateEmailAddress":         createEmailAddress,
		"DescribeEmailAddress":       describeEmailAddress,
		"UpdateEmailAddressMetadata": updateEmailAddressMetadata,
		"SearchEmailAddresses":       searchEmailAddresses,
		"DeleteEmailAddress":         deleteEmailAddress,
	})
}

// connectDomain is the email domain Connect gives an instance.
func (inst *instance) connectDomain() string {
	host := core.Str(inst.obj, "InstanceAlias")
	if host == "" {
		host = inst.id
	}
	return strings.ToLower(host) + ".email.connect.aws"
}

// domainAllowed reports whether an instance may send from the address: its
// own Connect domain, or a custom domain whose SES identity is associated
// with the instance (SES_IDENTITY integration association).
func (inst *instance) domainAllowed(addr string) bool {
	_, domain, _ := strings.Cut(lower(addr), "@")
	if domain == inst.connectDomain() {
		return true
	}
	for _, a := range inst.assocs {
		if core.Str(a, "IntegrationType") != "SES_IDENTITY" {
			continue
		}
		_, ident, ok := strings.Cut(core.Str(a, "IntegrationArn"), ":identity/")
		if ok && (lower(ident) == domain || lower(ident) == lower(addr)) {
			return true
		}
	}
	return false
}

func createEmailAddress(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	if out, ok, err := r.idempotent(c.Op, in); ok || err != nil {
		return out, err
	}
	inst, err := r.instance(core.Str(in, "InstanceId"))
	if err != nil {
		return nil, err
	}
	addr := core.Str(in, "EmailAddress")
	for _, i := range r.instances {
		for _, e := range i.emails {
			if strings.EqualFold(core.Str(e, "EmailAddress"), addr) {
				return nil, core.Errf(409, "DuplicateResourceException", "The email address %s already exists", addr)
			}
		}
	}
	if !inst.domainAllowed(addr) {
		return nil, invalidRequest("The domain of %s is not available to instance %s: use %s, or associate the verified SES domain identity with the instance (integration type SES_IDENTITY)",
			addr, inst.id, inst.connectDomain())
	}
	if len(inst.emails) >= s.limits.EmailAddressesPerInst {
		return nil, core.Errf(402, "ServiceQuotaExceededException", "The instance %s already has the maximum of %d email addresses", inst.id, s.limits.EmailAddressesPerInst)
	}
	tags := tagsOf(in, "Tags")
	if err := checkTags(s, tags); err != nil {
		return nil, err
	}
	id := s.newUUID(r.name, "email-address")
	a := arn(r.name, "instance/"+inst.id+"/email-address/"+id)
	now := s.iso()
	o := map[string]any{"EmailAddressId": id, "EmailAddressArn": a, "EmailAddress": addr,
		"CreateTimestamp": now, "ModifiedTimestamp": now, "Tags": tags}
	for _, k := range []string{"DisplayName", "Description"} {
		if v, ok := in[k]; ok {
			o[k] = v
		}
	}
	inst.emails[id] = o
	inst.emailOrder = append(inst.emailOrder, id)
	r.byArn[a] = o
	out := map[string]any{"EmailAddressId": id, "EmailAddressArn": a}
	r.remember(c.Op, in, out)
	return out, nil
}

func (r *region) emailAddress(in map[string]any) (*instance, map[string]any, *core.Error) {
	inst, err := r.instance(core.Str(in, "InstanceId"))
	if err != nil {
		return nil, nil, err
	}
	ref := core.Str(in, "EmailAddressId")
	if _, after, ok := strings.Cut(ref, "/email-address/"); ok {
		ref = after
	}
	e := inst.emails[ref]
	if e == nil {
		return nil, nil, notFound("Email address not found: %s", core.Str(in, "EmailAddressId"))
	}
	return inst, e, nil
}

func describeEmailAddress(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	_, e, err := r.emailAddress(in)
	if err != nil {
		return nil, err
	}
	return e, nil
}

func updateEmailAddressMetadata(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	if out, ok, err := r.idempotent(c.Op, in); ok || err != nil {
		return out, err
	}
	_, e, err := r.emailAddress(in)
	if err != nil {
		return nil, err
	}
	for _, k := range []string{"DisplayName", "Description"} {
		if v, ok := in[k]; ok {
			e[k] = v
		}
	}
	e["ModifiedTimestamp"] = s.iso()
	out := map[string]any{"EmailAddressId": e["EmailAddressId"], "EmailAddressArn": e["EmailAddressArn"]}
	r.remember(c.Op, in, out)
	return out, nil
}

func deleteEmailAddress(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	inst, e, err := r.emailAddress(in)
	if err != nil {
		return nil, err
	}
	id := core.Str(e, "EmailAddressId")
	delete(inst.emails, id)
	inst.emailOrder = remove(inst.emailOrder, id)
	delete(r.byArn, core.Str(e, "EmailAddressArn"))
	return map[string]any{}, nil
}

func searchEmailAddresses(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	inst, err := r.instance(core.Str(in, "InstanceId"))
	if err != nil {
		return nil, err
	}
	crit := core.Obj(in, "SearchCriteria")
	tagFilter := core.Obj(core.Obj(in, "SearchFilter"), "TagFilter")
	var items []any
	for _, id := range inst.emailOrder {
		e := inst.emails[id]
		ok, cerr := matchEmailCriteria(crit, e)
		if cerr != nil {
			return nil, cerr
		}
		if ok && matchTagFilter(tagFilter, core.Obj(e, "Tags")) {
			items = append(items, e)
		}
	}
	p, next, perr := page("email-addresses/"+inst.id, items, in, 100, "InvalidParameterException")
	if perr != nil {
		return nil, perr
	}
	if p == nil {
		p = []any{}
	}
	return withNext(map[string]any{"EmailAddresses": p, "ApproximateTotalCount": len(items)}, next), nil
}

// emailFields maps the field names a search may name to the member they
// read. The API reference does not list them for email addresses; the
// member names and their snake-case forms are accepted (assumed).
var emailFields = map[string]string{
	"email_address": "EmailAddress", "emailaddress": "EmailAddress",
	"display_name": "DisplayName", "displayname": "DisplayName",
	"description":      "Description",
	"email_address_id": "EmailAddressId", "emailaddressid": "EmailAddressId",
}

func matchEmailCriteria(crit map[string]any, e map[string]any) (bool, *core.Error) {
	if crit == nil {
		return true, nil
	}
	if sc := core.Obj(crit, "StringCondition"); sc != nil {
		field, ok := emailFields[lower(core.Str(sc, "FieldName"))]
		if !ok {
			return false, invalidParam("FieldName %q is not searchable: use email_address, display_name or description", core.Str(sc, "FieldName"))
		}
		if !matchString(core.Str(sc, "ComparisonType"), core.Str(e, field), core.Str(sc, "Value")) {
			return false, nil
		}
	}
	for _, sub := range list(crit, "AndConditions") {
		m, _ := sub.(map[string]any)
		ok, err := matchEmailCriteria(m, e)
		if err != nil || !ok {
			return false, err
		}
	}
	if ors := list(crit, "OrConditions"); len(ors) > 0 {
		matched := false
		for _, sub := range ors {
			m, _ := sub.(map[string]any)
			ok, err := matchEmailCriteria(m, e)
			if err != nil {
				return false, err
			}
			matched = matched || ok
		}
		if !matched {
			return false, nil
		}
	}
	return true, nil
}

func matchString(cmp, have, want string) bool {
	have, want = lower(have), lower(want)
	switch cmp {
	case "STARTS_WITH":
		return strings.HasPrefix(have, want)
	case "CONTAINS":
		return strings.Contains(have, want)
	default: // EXACT
		return have == want
	}
}

// matchTagFilter applies a ControlPlaneTagFilter: one condition, an AND
// list, or an OR of AND lists.
func matchTagFilter(f map[string]any, tags map[string]any) bool {
	if f == nil {
		return true
	}
	has := func(cond any) bool {
		m, _ := cond.(map[string]any)
		v, ok := tags[core.Str(m, "TagKey")]
		return ok && (core.Str(m, "TagValue") == "" || v == core.Str(m, "TagValue"))
	}
	if tc := core.Obj(f, "TagCondition"); tc != nil && !has(tc) {
		return false
	}
	for _, cond := range list(f, "AndConditions") {
		if !has(cond) {
			return false
		}
	}
	if ors := list(f, "OrConditions"); len(ors) > 0 {
		for _, and := range ors {
			all := true
			conds, _ := and.([]any)
			for _, cond := range conds {
				all = all && has(cond)
			}
			if all {
				return true
			}
		}
		return false
	}
	return true
}
