package blueprint

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/p2c/p2c/internal/assess"
	"github.com/p2c/p2c/internal/inventory"
	"github.com/p2c/p2c/internal/translate"
)

// Stage 10: the Customer Profiles domain (new, or an existing one by
// decision) and the object type that maps exported Pinpoint endpoints onto
// profiles (connect-target.md 3.2-3.4). Later stages find the domain of an
// app through profilesDomainFor and the Connect instance through
// connectInstanceFor.

// Step kinds of this stage.
const (
	KindProfilesDomain = "profiles-domain"
	KindObjectType     = "object-type"
)

// Domain layouts (decision <region>.profiles-domain-layout).
const (
	LayoutShared = "shared"
	LayoutPerApp = "per-app"
)

// Domain modes (decision <region>.profiles-domain-mode[.<app>]).
const (
	profModeCreate   = "create"
	profModeExisting = "existing"
)

const (
	// ProfileObjectTypeName is the object type p2c profiles writes
	// exported endpoints to.
	ProfileObjectTypeName = "PinpointEndpoint"
	// profExpirationDays is the longest retention Customer Profiles
	// allows; Pinpoint kept endpoints until they were deleted.
	profExpirationDays = 1098
	// Key names of the object type: the profile key (User.UserId, else
	// the endpoint id) and the object's unique key (the endpoint id).
	profKeyProfile  = "PinpointProfileKey"
	profKeyEndpoint = "PinpointEndpointId"
)

func init() {
	registerStage(Stage{Name: "profiles", Order: 10, Build: buildProfiles})
}

// profDomainRef is where an app's Customer Profiles resources go.
type profDomainRef struct {
	// Name is the domain name, or its decision placeholder while open.
	Name string
	// StepID creates (or confirms) the domain; ObjectTypeStepID maps the
	// endpoints. Steps on the domain depend on the first, steps filtering
	// on profile attributes on the second.
	StepID, ObjectTypeStepID string
	// WaitsOn are the decision keys a spec using Name must wait on.
	WaitsOn []string
}

// profilesDomainFor returns the domain an app's resources go into. ok is
// false when the plan has no domain for the app (it has no endpoints,
// segments, campaigns or journeys).
func profilesDomainFor(b *Builder, region, app string) (profDomainRef, bool) {
	perApp := b.targets[region+"/"+app] != nil
	scope := ""
	if perApp {
		scope = app
	}
	id := StepID(KindProfilesDomain, region, scope, "domain")
	if b.Step(id) == nil {
		return profDomainRef{}, false
	}
	key := region + ".profiles-domain"
	if perApp {
		key += "." + app
	}
	ref := profDomainRef{StepID: id, ObjectTypeStepID: StepID(KindObjectType, region, scope, ProfileObjectTypeName)}
	ref.Name, ref.WaitsOn = profDecisionValue(b, key)
	return ref, true
}

// connectInstanceFor returns the Connect instance an app's campaigns and
// originations go to, as an instance id (InstanceId members take the id),
// a {{decision:KEY|id}} placeholder while open, and the decision keys to
// wait on. With one domain per app every app has an instance of its own:
// an instance is associated with exactly one domain.
func connectInstanceFor(b *Builder, region, app string) (string, []string) {
	key := region + ".connect-instance"
	if app != "" && b.targets[region+"/"+app] != nil {
		key += "." + app
	}
	if a := b.In.Decisions.answer(key); a != "" {
		return a[strings.LastIndex(a, "/")+1:], nil
	}
	return profPlaceholder(key + "|id"), []string{key}
}

// profDecisionValue returns a decision's answer, or its placeholder and the key
// to wait on while it is open.
func profDecisionValue(b *Builder, key string) (string, []string) {
	if a := b.In.Decisions.answer(key); a != "" {
		return a, nil
	}
	return profPlaceholder(key), []string{key}
}

// profPlaceholder is what a spec carries where an open answer goes.
func profPlaceholder(key string) string { return "{{decision:" + key + "}}" }

func buildProfiles(b *Builder) error {
	for _, r := range sortedRegions(b.In.Inventory) {
		apps := profApps(r)
		if len(apps) == 0 {
			continue
		}
		layout, waits := profLayout(b, r, apps)
		if layout == LayoutPerApp {
			for _, app := range apps {
				profDomain(b, r, []*inventory.App{app}, app.ID, waits)
			}
			continue
		}
		profDomain(b, r, apps, "", waits)
	}
	return nil
}

// sortedRegions returns the inventory's regions by name.
func sortedRegions(inv *inventory.Inventory) []*inventory.Region {
	var out []*inventory.Region
	for i := range inv.Regions {
		out = append(out, &inv.Regions[i])
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// profApps are the apps of a region that need a domain: those with
// endpoints or engagement resources (the same test as
// PRQ-PROFILES-DOMAIN), by id.
func profApps(r *inventory.Region) []*inventory.App {
	var out []*inventory.App
	for i := range r.Apps {
		a := &r.Apps[i]
		if a.EndpointStats != nil || len(a.Segments)+len(a.Campaigns)+len(a.Journeys) > 0 {
			out = append(out, a)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// profLayout asks whether a region's apps share one domain. One app needs
// no question. While the question is open the plan follows the suggestion
// and its domain steps wait on it.
func profLayout(b *Builder, r *inventory.Region, apps []*inventory.App) (string, []string) {
	if len(apps) < 2 {
		return LayoutShared, nil
	}
	key := r.Name + ".profiles-domain-layout"
	suggest, why := LayoutShared, "A shared domain keeps one profile per customer across apps and needs one Connect instance; "+
		"the region's apps fit the per-domain quotas together."
	for _, f := range b.Findings(assess.WorkloadID(r.Name, "", assess.KindAccount, "target")) {
		if f.Rule == "PRQ-CALCULATED-ATTRIBUTES" {
			suggest, why = LayoutPerApp, "The apps together need more calculated attributes than the fixed quota of 50 per domain ("+f.ID+"); "+
				"one domain per app spreads them, at the cost of one Connect instance per app."
		}
	}
	names := make([]string, len(apps))
	for i, a := range apps {
		names[i] = profAppLabel(a)
	}
	ans := b.Ask(Question{Key: key, Kind: KindChoice, Choices: []string{LayoutShared, LayoutPerApp}, Suggested: suggest, Why: why,
		Context: fmt.Sprintf("%s has %d apps with endpoints or engagement resources (%s). Their profiles, segments and campaign sources go into "+
			"Customer Profiles domains: one shared domain, or one domain per app. A Connect instance is associated with exactly one domain, so "+
			"one domain per app also means one Connect instance per app.", r.Name, len(apps), strings.Join(names, ", "))})
	if ans == "" {
		return suggest, []string{key}
	}
	return ans, nil
}

// profAppLabel names an app for people: its name and id.
func profAppLabel(a *inventory.App) string {
	if a.Name == "" {
		return a.ID
	}
	return a.Name + " (" + a.ID + ")"
}

// profDomain plans the domain and object type of one target: the shared
// domain of a region (app "") or the domain of one app.
func profDomain(b *Builder, r *inventory.Region, apps []*inventory.App, app string, layoutWaits []string) {
	region := r.Name
	suffix, scope := "", "the apps of "+region
	t := b.Target(region)
	if app != "" {
		suffix, scope = "."+app, "app "+profAppLabel(apps[0])
		t = &Target{Region: region, App: app}
		b.targets[region+"/"+app] = t
	}
	instKey, modeKey, nameKey := region+".connect-instance"+suffix, region+".profiles-domain-mode"+suffix, region+".profiles-domain"+suffix

	t.ConnectInstanceARN = b.Ask(Question{Key: instKey, Kind: KindConnectInstanceARN,
		Context: fmt.Sprintf("The Amazon Connect instance in %s that runs the campaigns of %s; outbound campaigns must be enabled on it and "+
			"the Customer Profiles domain below enabled on it (console only).", region, scope),
		Why: "p2c cannot choose an instance: it must be the one your agents and campaigns use, in the same account and region."})
	mode := b.Ask(Question{Key: modeKey, Kind: KindChoice, Choices: []string{profModeCreate, profModeExisting},
		Suggested: profModeCreate,
		Context: fmt.Sprintf("Whether p2c creates the Customer Profiles domain for %s (%s) or uses a domain that already exists. A Connect "+
			"instance with Customer Profiles enabled already has a domain (often amazon-connect-<alias>), and an instance serves one domain.", scope, nameKey),
		Why: "A domain of its own keeps migrated data apart and rollback can delete it; answer existing when the instance already has Customer Profiles enabled."})
	suggested := profSafeName("p2c-"+region, 64)
	if app != "" {
		suggested = profSafeName("p2c-"+region+"-"+profAppSlug(apps[0]), 64)
	}
	nameAns := b.Ask(Question{Key: nameKey, Kind: KindName, Suggested: suggested,
		Context: fmt.Sprintf("The name of the Customer Profiles domain for %s: a new name when %s is create, the existing domain's name when it is existing.", scope, modeKey),
		Why:     "A name that says the domain holds migrated Pinpoint data, in the region it serves."})
	t.ProfilesDomain = nameAns

	name, waits := profDecisionValue(b, nameKey)
	var sources []Source
	for _, a := range apps {
		sources = append(sources, Source{Kind: inventory.KindApp, Region: region, App: a.ID, ID: a.ID})
	}
	account := assess.WorkloadID(region, "", assess.KindAccount, "target")
	domain := Step{
		ID: StepID(KindProfilesDomain, region, app, "domain"), Region: region, App: app, Kind: KindProfilesDomain, Name: name,
		Service: "customer-profiles", Sources: sources,
		Findings: profFindingIDs(b, account, "PRQ-PROFILES-DOMAIN", "PRQ-CONNECT-INSTANCE"),
		WaitsOn:  append(append([]string(nil), layoutWaits...), waits...),
	}
	if app != "" {
		domain.AppName = apps[0].Name
	}
	if layoutWaits != nil {
		domain.Transformations = append(domain.Transformations, "Planned with the suggested domain layout until "+layoutWaits[0]+" is answered.")
	}
	if mode == profModeExisting {
		domain.Action, domain.Operation = NoOp, "GetDomain"
		domain.Spec = Spec(map[string]any{"DomainName": name})
		domain.Rollback = Rollback{Policy: RollbackRetain, Reason: "the domain existed before the migration and holds other data; p2c never deletes or changes it"}
		domain.Transformations = append(domain.Transformations,
			"Existing domain: p2c only confirms it exists (GetDomain); its expiration, matching and encryption settings stay as they are.")
	} else {
		if mode == "" {
			domain.WaitsOn = append(domain.WaitsOn, modeKey)
		}
		domain.Operation = "CreateDomain"
		domain.Spec = Spec(map[string]any{"DomainName": name, "DefaultExpirationDays": profExpirationDays,
			"Tags": map[string]string{"p2c:source": "pinpoint"}})
		domain.Transformations = append(domain.Transformations,
			fmt.Sprintf("DefaultExpirationDays %d, the maximum: Pinpoint kept endpoints until deleted, profile data expires after %d days without update.", profExpirationDays, profExpirationDays),
			"Identity resolution (Matching, RuleBasedMatching) left off: profiles are merged by User.UserId only, as Pinpoint grouped endpoints.")
	}
	domain.Transformations = append(domain.Transformations,
		"Enabling the domain on the Connect instance has no API: it is the console step of the assessment checklist (PRQ-PROFILES-DOMAIN).")
	b.Add(domain)

	var stats []*inventory.EndpointStats
	var epFindings []string
	for _, a := range apps {
		if a.EndpointStats != nil {
			stats = append(stats, a.EndpointStats)
		}
		for _, f := range b.Findings(assess.WorkloadID(region, a.ID, assess.KindEndpoints, "endpoints")) {
			epFindings = append(epFindings, f.ID)
		}
	}
	sort.Strings(epFindings)
	fields := profileFieldMap(stats...)
	fm := map[string]any{}
	for _, f := range fields {
		of := map[string]string{"Source": "_source." + f.Name, "ContentType": f.ContentType}
		if f.Target != "" {
			of["Target"] = f.Target
		}
		fm[f.Name] = of
	}
	var epSources []Source
	for _, a := range apps {
		epSources = append(epSources, Source{Kind: "endpoints", Region: region, App: a.ID, ID: a.ID})
	}
	ot := Step{
		ID: StepID(KindObjectType, region, app, ProfileObjectTypeName), Region: region, App: app, AppName: domain.AppName,
		Kind: KindObjectType, Name: ProfileObjectTypeName, Service: "customer-profiles", Operation: "PutProfileObjectType",
		Spec: Spec(map[string]any{
			"DomainName": name, "ObjectTypeName": ProfileObjectTypeName,
			"Description": "Amazon Pinpoint endpoints migrated by p2c: one object per endpoint, one profile per User.UserId (else per endpoint).",
			// Endpoints create their profile: most have no profile yet.
			"AllowProfileCreation": true,
			"Fields":               fm,
			"Keys": map[string]any{
				profKeyProfile:  []any{map[string]any{"StandardIdentifiers": []string{"PROFILE"}, "FieldNames": []string{"ProfileKey"}}},
				profKeyEndpoint: []any{map[string]any{"StandardIdentifiers": []string{"UNIQUE"}, "FieldNames": []string{"EndpointId"}}},
			},
		}),
		DependsOn: []string{domain.ID}, Sources: epSources, Findings: epFindings,
		Transformations: profTransformations(fields, stats, len(apps)),
		WaitsOn:         append(append([]string(nil), layoutWaits...), waits...),
	}
	b.Add(ot)
}

// profFindingIDs returns the ids of a workload's findings of some rules.
func profFindingIDs(b *Builder, workload string, rules ...string) []string {
	var out []string
	for _, f := range b.Findings(workload) {
		for _, r := range rules {
			if f.Rule == r {
				out = append(out, f.ID)
			}
		}
	}
	sort.Strings(out)
	return out
}

// profField is one field of the endpoint object type. p2c profiles writes
// each exported endpoint as a flat JSON object keyed by Name, holding the
// value at From (list values joined into one string), so Source is always
// _source.<Name>.
type profField struct {
	Name string
	// From is the endpoint's wire path; Fallback is read when From is
	// empty. Channels limits the field to endpoints of those channel types.
	From, Fallback string
	Channels       []string
	// Target is the profile member the field fills ("" indexes only).
	Target      string
	ContentType string
	// Scope and Key name the endpoint attribute the field carries (for
	// attribute fields).
	Scope, Key string
}

// profChannelOrder lists endpoint channel types in a stable order.
var profChannelOrder = []string{"EMAIL", "SMS", "VOICE", "APNS", "APNS_SANDBOX", "APNS_VOIP", "APNS_VOIP_SANDBOX", "GCM", "BAIDU", "ADM", "IN_APP", "CUSTOM"}

// profileFieldMap is the endpoint-to-profile mapping of a domain, from
// the endpoint statistics of the apps sharing it. Names come from
// internal/translate, the one place they are written down: object field
// names from translate.ObjectField (calculated attributes aggregate over
// them), profile attributes from translate.ProfileField, the channel list
// from translate.ChannelsAttribute and consent from
// translate.OptOutAttribute; the segment and template translators read the
// same names.
func profileFieldMap(stats ...*inventory.EndpointStats) []profField {
	fields := []profField{
		{Name: "ProfileKey", From: "User.UserId", Fallback: "Id", ContentType: "STRING"},
		{Name: "EndpointId", From: "Id", ContentType: "STRING"},
		{Name: translate.ObjectField("User.UserId"), From: "User.UserId", Target: "_profile." + translate.ProfileField("User.UserId"), ContentType: "STRING"},
		{Name: "CohortId", From: "CohortId", Target: "_profile.Attributes.CohortId", ContentType: "STRING"},
		// The loader joins the channel types of a profile's active
		// endpoints: one object cannot see the others.
		{Name: translate.ChannelsAttribute, From: "ChannelType", Target: "_profile.Attributes." + translate.ChannelsAttribute, ContentType: "STRING"},
	}
	channels := map[string]bool{}
	for _, st := range stats {
		for ch, n := range st.ByChannel {
			if n > 0 {
				channels[ch] = true
			}
		}
	}
	if len(stats) == 0 {
		// Nothing measured (EPT-NO-STATS): map the channels campaigns use.
		for _, ch := range translate.ReachableChannels {
			channels[ch] = true
		}
	}
	for _, ch := range profChannels(channels) {
		switch {
		case ch == "EMAIL":
			fields = append(fields, profField{Name: "EmailAddress", From: "Address", Channels: []string{ch}, Target: "_profile.EmailAddress", ContentType: "EMAIL_ADDRESS"})
		case ch == "SMS":
			fields = append(fields, profField{Name: "MobilePhoneNumber", From: "Address", Channels: []string{ch}, Target: "_profile.MobilePhoneNumber", ContentType: "PHONE_NUMBER"})
		case ch == "VOICE":
			fields = append(fields, profField{Name: "PhoneNumber", From: "Address", Channels: []string{ch}, Target: "_profile.PhoneNumber", ContentType: "PHONE_NUMBER"})
		case profIsPush(ch):
			fields = append(fields, profField{Name: "PushToken_" + ch, From: "Address", Channels: []string{ch}, Target: "_profile.Attributes.PushToken_" + ch, ContentType: "STRING"})
		}
		opt := translate.OptOutAttribute(ch)
		fields = append(fields, profField{Name: opt, From: "OptOut", Channels: []string{ch}, Target: "_profile.Attributes." + opt, ContentType: "STRING"})
	}

	// Attribute names by scope, deduplicated across apps.
	byScope := map[string]map[string]bool{}
	for _, st := range stats {
		for _, a := range st.Attributes {
			if byScope[a.Scope] == nil {
				byScope[a.Scope] = map[string]bool{}
			}
			byScope[a.Scope][a.Key] = true
		}
	}
	seen := map[string]bool{}
	for _, f := range fields {
		seen[f.Name] = true
	}
	for _, scope := range []string{inventory.ScopeLocation, inventory.ScopeDemographic, inventory.ScopeUserAttributes, inventory.ScopeAttributes, inventory.ScopeMetrics} {
		for _, key := range sortedKeys(byScope[scope]) {
			from := scope + "." + key
			if scope == inventory.ScopeUserAttributes {
				from = "User.UserAttributes." + key
			}
			target := translate.ProfileField(from)
			name := translate.ObjectField(from)
			if target == "" || seen[name] {
				continue // no profile field (unknown Location member), or a name cut to the same 64 characters
			}
			seen[name] = true
			ct := "STRING"
			if scope == inventory.ScopeMetrics {
				ct = "NUMBER" // calculated attributes aggregate it
			}
			fields = append(fields, profField{Name: name, From: from, Target: "_profile." + target, ContentType: ct, Scope: scope, Key: key})
		}
	}
	return fields
}

// profSanitize replaces characters other than letters, digits, _ and -
// with _.
func profSanitize(s string) string {
	var sb strings.Builder
	for _, r := range s {
		if r == '_' || r == '-' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
			sb.WriteRune(r)
		} else {
			sb.WriteByte('_')
		}
	}
	return sb.String()
}

// profSafeName makes a name of letters, digits, _ and - of at most max
// characters. A name that had to be changed gets a short hash of the
// original, so two names never become one ("a.b" and "a_b").
func profSafeName(s string, max int) string {
	safe := profSanitize(s)
	if safe == s && len(safe) <= max {
		return safe
	}
	h := sha256.Sum256([]byte(s))
	tag := hex.EncodeToString(h[:4])
	if len(safe) > max-len(tag)-1 {
		safe = safe[:max-len(tag)-1]
	}
	return safe + "-" + tag
}

// profAppSlug is an app's name for resource names (its id when unnamed).
func profAppSlug(a *inventory.App) string {
	if a.Name == "" {
		return a.ID
	}
	return strings.ToLower(profSanitize(a.Name))
}

func profIsPush(ch string) bool {
	switch ch {
	case "APNS", "APNS_SANDBOX", "APNS_VOIP", "APNS_VOIP_SANDBOX", "GCM", "BAIDU", "ADM":
		return true
	}
	return false
}

// profChannels orders a channel set; values that are not Pinpoint
// channel types (a stray export header) are left out.
func profChannels(set map[string]bool) []string {
	var out []string
	for _, ch := range profChannelOrder {
		if set[ch] {
			out = append(out, ch)
		}
	}
	return out
}

// profTransformations says what the object type rewrites, one line each.
func profTransformations(fields []profField, stats []*inventory.EndpointStats, apps int) []string {
	out := []string{
		"Endpoints sharing a User.UserId become one profile (key " + profKeyProfile + "); an endpoint without one becomes a profile of its own, keyed by its endpoint id.",
		"Each endpoint is one object, unique by its endpoint id (key " + profKeyEndpoint + "): reloading an endpoint overwrites its object.",
		"Address goes to the profile field of its channel (EMAIL to EmailAddress, SMS to MobilePhoneNumber, VOICE to PhoneNumber, push tokens to PushToken_<channel>); inactive endpoints and invalid addresses are not loaded.",
		"OptOut is carried per channel (OptOut_<channel> is ALL when every endpoint of that channel opted out) and the profile's channel types as Channels, so migrated segments exclude opted-out addresses and select by channel.",
		"Attribute value lists are joined with \"" + translate.FlattenSeparator + "\" into one string: profile attributes are string to string, at most 255 characters.",
	}
	var dropped []string
	targets := map[string][]string{}
	for _, f := range fields {
		if f.Scope != "" {
			targets[f.Target] = append(targets[f.Target], f.From)
		}
	}
	var shared []string
	for _, t := range sortedKeys(targets) {
		if len(targets[t]) > 1 {
			shared = append(shared, strings.Join(targets[t], " and ")+" share "+strings.TrimPrefix(t, "_profile."))
		}
	}
	if len(shared) > 0 {
		out = append(out, "Endpoint attributes, user attributes and metrics share the profile Attributes map (EPT-ATTR-COLLISION): "+strings.Join(shared, "; ")+
			"; the loader joins their values.")
	}
	var total int64
	for _, st := range stats {
		total += st.AttributesDropped
	}
	if total > 0 {
		dropped = append(dropped, fmt.Sprintf("%d attribute occurrences past the %d names the scan tracks are not mapped (EPT-ATTR-COUNT)", total, inventory.MaxAttributeNames))
	}
	if len(stats) == 0 {
		dropped = append(dropped, "no endpoint statistics: only the standard fields are mapped, no attributes (EPT-NO-STATS)")
	} else if len(stats) < apps {
		dropped = append(dropped, "apps without endpoint statistics contribute no attribute fields (EPT-NO-STATS)")
	}
	out = append(out, dropped...)
	out = append(out, "Not carried: EffectiveDate, CreationDate, RequestId and EndpointStatus describe a Pinpoint endpoint, not a profile (TPL-ENDPOINT-FIELD).")
	return out
}

// profDecode decodes a wire object (nil on empty or invalid input).
func profDecode(raw json.RawMessage) map[string]any {
	if len(raw) == 0 {
		return nil
	}
	var m map[string]any
	if json.Unmarshal(raw, &m) != nil {
		return nil
	}
	return m
}
