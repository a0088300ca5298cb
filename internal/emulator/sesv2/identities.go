package sesv2

import (
	"regexp"
	"strings"

	"github.com/p2c/p2c/internal/emulator/core"
)

func init() {
	register(map[string]handler{
		"CreateEmailIdentity": createEmailIdentity,
		"GetEmailIdentity":    getEmailIdentity,
		"ListEmailIdentities": listEmailIdentities,
		"DeleteEmailIdentity": deleteEmailIdentity,
		"GetAccount":          getAccount,
		"TagResource":         tagResource,
		"UntagResource":       untagResource,
		"ListTagsForResource": listTagsForResource,
	})
}

type identity struct {
	name string
	arn  string
	obj  map[string]any // the GetEmailIdentity output without Tags
	tags []any
}

var (
	emailRE  = regexp.MustCompile(`^[^@\s]+@[^@\s]+\.[^@\s]+$`)
	domainRE = regexp.MustCompile(`^([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$`)
)

// identityKey makes identity lookups case-insensitive, as SES's are.
func identityKey(name string) string { return strings.ToLower(name) }

// addIdentity stores a new identity in the PENDING state.
func (s *Service) addIdentity(r *region, name string, dkim map[string]any, configSet string, tags []any) *identity {
	typ := "DOMAIN"
	if strings.Contains(name, "@") {
		typ = "EMAIL_ADDRESS"
	}
	now := s.epoch()
	var dk map[string]any
	switch {
	case typ == "EMAIL_ADDRESS":
		dk = map[string]any{"SigningEnabled": false, "Status": "NOT_STARTED", "SigningAttributesOrigin": "AWS_SES"}
	case core.Str(dkim, "DomainSigningPrivateKey") != "":
		// Bring-your-own DKIM: the selector's record is the customer's.
		dk = map[string]any{"SigningEnabled": true, "Status": "PENDING", "SigningAttributesOrigin": "EXTERNAL",
			"Tokens": []any{core.Str(dkim, "DomainSigningSelector")}}
	default:
		length := core.Str(dkim, "NextSigningKeyLength")
		if length == "" {
			length = "RSA_2048_BIT"
		}
		dk = map[string]any{"SigningEnabled": true, "Status": "PENDING", "SigningAttributesOrigin": "AWS_SES",
			"Tokens":               []any{r.dkimToken(name), r.dkimToken(name), r.dkimToken(name)},
			"NextSigningKeyLength": length, "CurrentSigningKeyLength": length, "LastKeyGenerationTimestamp": now}
	}
	o := map[string]any{"IdentityType": typ, "FeedbackForwardingStatus": true, "VerifiedForSendingStatus": false,
		"VerificationStatus": "PENDING", "DkimAttributes": dk, "Policies": map[string]any{},
		"MailFromAttributes": map[string]any{"BehaviorOnMxFailure": "USE_DEFAULT_VALUE"}}
	if configSet != "" {
		o["ConfigurationSetName"] = configSet
	}
	id := &identity{name: name, arn: arn(r.name, "identity/"+name), obj: o, tags: tags}
	key := identityKey(name)
	r.identities[key] = id
	r.identOrder = append(r.identOrder, key)
	r.byArn[id.arn] = &id.tags
	return id
}

func createEmailIdentity(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	name := core.Str(in, "EmailIdentity")
	isEmail := strings.Contains(name, "@")
	if (isEmail && !emailRE.MatchString(name)) || (!isEmail && !domainRE.MatchString(name)) {
		return nil, badRequest("Invalid identity %s: give an email address or a domain", name)
	}
	if r.identities[identityKey(name)] != nil {
		return nil, alreadyExists("Email identity %s already exist.", name)
	}
	dkim := core.Obj(in, "DkimSigningAttributes")
	if dkim != nil {
		if isEmail {
			return nil, badRequest("DKIM signing attributes apply to domain identities only")
		}
		if (core.Str(dkim, "DomainSigningSelector") == "") != (core.Str(dkim, "DomainSigningPrivateKey") == "") {
			return nil, badRequest("DomainSigningSelector and DomainSigningPrivateKey go together")
		}
	}
	cs := core.Str(in, "ConfigurationSetName")
	if cs != "" && r.sets[cs] == nil {
		return nil, notFound("Configuration set %s does not exist.", cs)
	}
	if len(r.identities) >= s.limits.Identities {
		return nil, limitExceeded("Maximum number of identities (%d) exceeded", s.limits.Identities)
	}
	tags, err := s.checkTags(list(in, "Tags"))
	if err != nil {
		return nil, err
	}
	id := s.addIdentity(r, name, dkim, cs, tags)
	return map[string]any{"IdentityType": id.obj["IdentityType"], "VerifiedForSendingStatus": id.obj["VerifiedForSendingStatus"],
		"DkimAttributes": id.obj["DkimAttributes"]}, nil
}

func (r *region) identity(name string) (*identity, *core.Error) {
	id := r.identities[identityKey(name)]
	if id == nil {
		return nil, notFound("Email identity %s does not exist.", name)
	}
	return id, nil
}

func getEmailIdentity(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	id, err := r.identity(core.Str(in, "EmailIdentity"))
	if err != nil {
		return nil, err
	}
	out := core.DeepCopy(id.obj).(map[string]any)
	out["Tags"] = core.DeepCopy(id.tags)
	return out, nil
}

func listEmailIdentities(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	filter := core.Obj(in, "Filter")
	for k := range filter {
		if k != "IDENTITY_NAME_CONTAINS" && k != "IDENTITY_TYPE" && k != "VERIFICATION_STATUS" {
			return nil, badRequest("Unknown filter %s: use IDENTITY_NAME_CONTAINS, IDENTITY_TYPE or VERIFICATION_STATUS", k)
		}
	}
	items := make([]any, 0, len(r.identOrder))
	for _, k := range r.identOrder {
		id := r.identities[k]
		if f := core.Str(filter, "IDENTITY_NAME_CONTAINS"); f != "" && !strings.Contains(strings.ToLower(id.name), strings.ToLower(f)) {
			continue
		}
		if f := core.Str(filter, "IDENTITY_TYPE"); f != "" && f != core.Str(id.obj, "IdentityType") {
			continue
		}
		if f := core.Str(filter, "VERIFICATION_STATUS"); f != "" && f != core.Str(id.obj, "VerificationStatus") {
			continue
		}
		items = append(items, map[string]any{"IdentityType": id.obj["IdentityType"], "IdentityName": id.name,
			"SendingEnabled": id.obj["VerifiedForSendingStatus"], "VerificationStatus": id.obj["VerificationStatus"]})
	}
	p, next, err := listPage("identities", items, in)
	if err != nil {
		return nil, err
	}
	return withNext(map[string]any{"EmailIdentities": p}, next), nil
}

func deleteEmailIdentity(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	id, err := r.identity(core.Str(in, "EmailIdentity"))
	if err != nil {
		return nil, err
	}
	key := identityKey(id.name)
	delete(r.identities, key)
	r.identOrder = remove(r.identOrder, key)
	delete(r.byArn, id.arn)
	return nil, nil
}

// getAccount reports the Region's sending state: in the sandbox unless a
// seed granted production access.
func getAccount(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	quota := map[string]any{"Max24HourSend": s.limits.SandboxMax24HourSend, "MaxSendRate": s.limits.SandboxMaxSendRate, "SentLast24Hours": 0.0}
	if r.production {
		quota = productionQuota
	}
	return map[string]any{
		"DedicatedIpAutoWarmupEnabled": false,
		"EnforcementStatus":            "HEALTHY",
		"ProductionAccessEnabled":      r.production,
		"SendQuota":                    quota,
		"SendingEnabled":               true,
		// Accounts are assumed to use the account-level suppression list
		// for bounces and complaints, as new accounts do by default.
		"SuppressionAttributes": map[string]any{"SuppressedReasons": []any{"BOUNCE", "COMPLAINT"}},
	}, nil
}

// tags ----------------------------------------------------------------------

// checkTags validates a TagList and returns a copy of it.
func (s *Service) checkTags(tags []any) ([]any, *core.Error) {
	seen := map[string]bool{}
	out := make([]any, 0, len(tags))
	for _, t := range tags {
		m, _ := t.(map[string]any)
		k := core.Str(m, "Key")
		if k == "" || len(k) > 128 || len(core.Str(m, "Value")) > 256 {
			return nil, badRequest("Tag keys must be 1 to 128 characters and values at most 256")
		}
		if strings.HasPrefix(strings.ToLower(k), "aws:") {
			return nil, badRequest("Tag keys starting with aws: are reserved: %s", k)
		}
		if seen[k] {
			return nil, badRequest("Duplicate tag key %s", k)
		}
		seen[k] = true
		out = append(out, map[string]any{"Key": k, "Value": core.Str(m, "Value")})
	}
	if len(out) > s.limits.TagsPerResource {
		return nil, badRequest("A resource can have at most %d tags", s.limits.TagsPerResource)
	}
	return out, nil
}

func (r *region) tagsOf(a string) (*[]any, *core.Error) {
	t := r.byArn[a]
	if t == nil {
		return nil, notFound("Resource %s does not exist.", a)
	}
	return t, nil
}

func tagResource(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	t, err := r.tagsOf(core.Str(in, "ResourceArn"))
	if err != nil {
		return nil, err
	}
	add, err := s.checkTags(list(in, "Tags"))
	if err != nil {
		return nil, err
	}
	merged := core.DeepCopy(*t).([]any)
	for _, a := range add {
		am := a.(map[string]any)
		replaced := false
		for _, x := range merged {
			if xm := x.(map[string]any); xm["Key"] == am["Key"] {
				xm["Value"], replaced = am["Value"], true
			}
		}
		if !replaced {
			merged = append(merged, am)
		}
	}
	if len(merged) > s.limits.TagsPerResource {
		return nil, badRequest("A resource can have at most %d tags", s.limits.TagsPerResource)
	}
	*t = merged
	return nil, nil
}

func untagResource(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	t, err := r.tagsOf(core.Str(in, "ResourceArn"))
	if err != nil {
		return nil, err
	}
	drop := map[string]bool{}
	for _, k := range list(in, "TagKeys") {
		if ks, ok := k.(string); ok {
			drop[ks] = true
		}
	}
	kept := []any{}
	for _, x := range *t {
		if !drop[core.Str(x.(map[string]any), "Key")] {
			kept = append(kept, x)
		}
	}
	*t = kept
	return nil, nil
}

func listTagsForResource(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	t, err := r.tagsOf(core.Str(in, "ResourceArn"))
	if err != nil {
		return nil, err
	}
	return map[string]any{"Tags": core.DeepCopy(*t)}, nil
}
