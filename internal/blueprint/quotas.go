package blueprint

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/p2c/p2c/internal/inventory"
)

// Stage 200: the plan's steps counted against the target's quotas
// (connect-target.md 3.4, 3.13, 5.4). It runs last and reads the steps
// every other stage added; a check another stage already made (same region
// and quota) is not repeated.

// Target quotas.
const (
	quotaTemplatesPerKB        = 200 // message templates per knowledge base
	quotaVersionsPerTemplate   = 20  // versions per message template, fixed
	quotaCalcAttrsPerDomain    = 50  // calculated attributes per domain, fixed
	quotaEventTriggersDomain   = 50  // event triggers per domain
	quotaObjectTypesPerDomain  = 100 // object types per domain
	quotaKeysPerObjectType     = 10  // keys per object type
	quotaDomainsPerRegion      = 100 // domains per account and region
	quotaSegmentDefsReview     = 100 // segment definitions: not published, p2c asks for a check above this
	quotaProfileValueChars     = 255 // profile attribute value
	quotaProfileBytes          = 250 * 1024
	quotaPinpointValueMaxChars = 100 // Pinpoint attribute value length
)

func init() {
	registerStage(Stage{Name: "quotas", Order: 200, Build: buildQuotas})
}

// quotaGroup counts steps per region and scope value (a domain, a
// knowledge base, a template).
type quotaGroup struct {
	region, scope string
	n             int
}

func buildQuotas(b *Builder) error {
	// Checks the other stages made; this stage does not repeat them.
	done := map[[2]string]bool{}
	for _, q := range b.quotas {
		done[[2]string{q.Region, q.Quota}] = true
	}
	quotaAdd := func(b *Builder, q QuotaCheck) {
		if !done[[2]string{q.Region, q.Quota}] {
			b.Quota(q)
		}
	}
	steps := b.Steps()
	byOp := func(service, op, member string) []quotaGroup {
		return quotaCount(steps, func(s *Step) (string, bool) {
			if s.Service != service || s.Operation != op || s.Action == NoOp || s.Action == Delete {
				return "", false
			}
			return quotaSpecString(s.Spec, member), true
		})
	}
	for _, g := range byOp("customer-profiles", "CreateDomain", "") {
		quotaAdd(b, QuotaCheck{Region: g.region, Scope: "account", Quota: "Customer Profiles domains per region", Limit: quotaDomainsPerRegion, Planned: g.n,
			Note: "counts only the domains this plan creates; existing domains in the account count too"})
	}
	for _, g := range byOp("customer-profiles", "PutProfileObjectType", "DomainName") {
		quotaAdd(b, QuotaCheck{Region: g.region, Scope: "domain", Quota: "object types per domain", Limit: quotaObjectTypesPerDomain, Planned: g.n, Note: "domain " + g.scope})
	}
	for _, s := range steps {
		if s.Service == "customer-profiles" && s.Operation == "PutProfileObjectType" {
			var spec struct{ Keys map[string]any }
			_ = json.Unmarshal(s.Spec, &spec)
			quotaAdd(b, QuotaCheck{Region: s.Region, Scope: "domain", Quota: "keys per object type", Limit: quotaKeysPerObjectType, Planned: len(spec.Keys),
				Note: "object type " + s.Name + " in domain " + quotaSpecString(s.Spec, "DomainName")})
		}
	}
	for _, g := range byOp("customer-profiles", "CreateCalculatedAttributeDefinition", "DomainName") {
		quotaAdd(b, QuotaCheck{Region: g.region, Scope: "domain", Quota: "calculated attributes per domain", Limit: quotaCalcAttrsPerDomain, Planned: g.n,
			Note: "domain " + g.scope + "; the quota cannot be raised"})
	}
	for _, g := range byOp("customer-profiles", "CreateEventTrigger", "DomainName") {
		quotaAdd(b, QuotaCheck{Region: g.region, Scope: "domain", Quota: "event triggers per domain", Limit: quotaEventTriggersDomain, Planned: g.n, Note: "domain " + g.scope})
	}
	for _, g := range byOp("customer-profiles", "CreateSegmentDefinition", "DomainName") {
		quotaAdd(b, QuotaCheck{Region: g.region, Scope: "domain", Quota: "segment definitions per domain", Limit: quotaSegmentDefsReview, Planned: g.n,
			Note: "domain " + g.scope + "; the quota is not published: above this count check it in Service Quotas before apply"})
	}
	for _, g := range byOp("qconnect", "CreateMessageTemplate", "knowledgeBaseId") {
		quotaAdd(b, QuotaCheck{Region: g.region, Scope: "knowledge base", Quota: "message templates per knowledge base", Limit: quotaTemplatesPerKB, Planned: g.n, Note: "knowledge base " + g.scope})
	}
	// Versions are counted per template: a version step depends on the
	// step that creates its template.
	versions := quotaCount(steps, func(s *Step) (string, bool) {
		if s.Service != "qconnect" || s.Operation != "CreateMessageTemplateVersion" || s.Action == NoOp {
			return "", false
		}
		for _, d := range s.DependsOn {
			if p := b.Step(d); p != nil && p.Operation == "CreateMessageTemplate" {
				return p.Name, true
			}
		}
		return quotaSpecString(s.Spec, "messageTemplateId"), true
	})
	if len(versions) > 0 {
		most := map[string]quotaGroup{}
		for _, g := range versions {
			if g.n > most[g.region].n {
				most[g.region] = g
			}
		}
		for _, region := range sortedKeys(most) {
			g := most[region]
			quotaAdd(b, QuotaCheck{Region: region, Scope: "knowledge base", Quota: "versions per message template", Limit: quotaVersionsPerTemplate, Planned: g.n,
				Note: "largest: template " + g.scope + "; the quota cannot be raised"})
		}
	}
	quotaProfileSizes(b, quotaAdd)
	return nil
}

// quotaCount groups steps by region and the scope value key returns,
// sorted by region then scope.
func quotaCount(steps []*Step, key func(*Step) (string, bool)) []quotaGroup {
	idx := map[[2]string]int{}
	var out []quotaGroup
	for _, s := range steps {
		k, ok := key(s)
		if !ok {
			continue
		}
		i, seen := idx[[2]string{s.Region, k}]
		if !seen {
			i = len(out)
			idx[[2]string{s.Region, k}] = i
			out = append(out, quotaGroup{region: s.Region, scope: k})
		}
		out[i].n++
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].region != out[j].region {
			return out[i].region < out[j].region
		}
		return out[i].scope < out[j].scope
	})
	return out
}

// quotaSpecString reads a top-level string member of a spec.
func quotaSpecString(spec json.RawMessage, member string) string {
	if member == "" {
		return ""
	}
	var m map[string]any
	_ = json.Unmarshal(spec, &m)
	s, _ := m[member].(string)
	return s
}

// quotaProfileSizes checks the profile attribute limits against the
// endpoint statistics of each domain's apps: a flattened value list must
// fit 255 characters, and a profile 250 KB. Pinpoint values are at most
// 100 characters, so a list of n values flattens to at most 101n-1.
func quotaProfileSizes(b *Builder, quotaAdd func(*Builder, QuotaCheck)) {
	for _, r := range sortedRegions(b.In.Inventory) {
		groups := map[string][]*inventory.App{} // domain step id -> apps
		for _, app := range profApps(r) {
			if ref, ok := profilesDomainFor(b, r.Name, app.ID); ok && app.EndpointStats != nil {
				groups[ref.StepID] = append(groups[ref.StepID], app)
			}
		}
		for _, id := range sortedKeys(groups) {
			domain := b.Step(id).Name
			maxLen, bytes := 0, 0
			var over []string
			for _, app := range groups[id] {
				perApp := 0
				for _, a := range app.EndpointStats.Attributes {
					n := a.MaxValues
					if n < 1 {
						n = 1
					}
					l := n*(quotaPinpointValueMaxChars+1) - 1
					if l > maxLen {
						maxLen = l
					}
					if l > quotaProfileValueChars {
						over = append(over, a.Scope+"."+a.Key)
					}
					perApp += len(a.Key) + l
				}
				if perApp > bytes {
					bytes = perApp
				}
			}
			sort.Strings(over)
			note := "domain " + domain + "; upper bound from the longest value lists in the endpoint statistics"
			if len(over) > 0 {
				note += "; may exceed: " + quotaList(over) + " (EPT-ATTR-LENGTH: truncate, spread over numbered keys, or leave out)"
			}
			quotaAdd(b, QuotaCheck{Region: r.Name, Scope: "domain", Quota: "profile attribute value length (characters)", Limit: quotaProfileValueChars, Planned: maxLen, Note: note})
			quotaAdd(b, QuotaCheck{Region: r.Name, Scope: "domain", Quota: "profile size (bytes)", Limit: quotaProfileBytes, Planned: bytes,
				Note: "domain " + domain + "; upper bound of one endpoint's attributes, before several endpoints merge into one profile"})
		}
	}
}

func quotaList(names []string) string {
	if len(names) > 5 {
		return strings.Join(names[:5], ", ") + fmt.Sprintf(" and %d more", len(names)-5)
	}
	return strings.Join(names, ", ")
}
