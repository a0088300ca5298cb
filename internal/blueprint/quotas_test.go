package blueprint

import (
	"fmt"
	"testing"

	"github.com/p2c/p2c/internal/inventory"
)

func quotaFind(p []QuotaCheck, region, quota string) []QuotaCheck {
	var out []QuotaCheck
	for _, q := range p {
		if q.Region == region && q.Quota == quota {
			out = append(out, q)
		}
	}
	return out
}

func TestQuotasFromPlan(t *testing.T) {
	p, _ := profPlan(t, profInventory(profApp("app1", "shop")), map[string]string{"us-east-1.profiles-domain": "shop"})
	for _, c := range []struct {
		quota          string
		limit, planned int
		ok             bool
	}{
		{"object types per domain", 100, 1, true},
		{"keys per object type", 10, 2, true},
		{"Customer Profiles domains per region", 100, 1, true},
		// interests holds 4 values: 4*101-1 characters once joined.
		{"profile attribute value length (characters)", 255, 403, false},
	} {
		got := quotaFind(p.Quotas, "us-east-1", c.quota)
		if len(got) != 1 || got[0].Limit != c.limit || got[0].Planned != c.planned || got[0].OK != c.ok || got[0].Note == "" {
			t.Errorf("%s: %+v", c.quota, got)
		}
	}
	seen := map[string]bool{}
	for _, q := range p.Quotas {
		k := q.Region + "|" + q.Quota + "|" + q.Note
		if seen[k] {
			t.Errorf("quota checked twice: %+v", q)
		}
		seen[k] = true
	}
}

// TestQuotasCounting feeds the stage steps of the other stages' kinds.
func TestQuotasCounting(t *testing.T) {
	b := &Builder{In: &Input{Inventory: &inventory.Inventory{}, Decisions: &Decisions{}}, Questions: map[string]*Question{},
		steps: map[string]*Step{}, targets: map[string]*Target{}}
	for i := 0; i < 51; i++ {
		b.Add(Step{ID: fmt.Sprintf("calculated-attribute/us-east-1/c%d", i), Region: "us-east-1", Service: "customer-profiles",
			Operation: "CreateCalculatedAttributeDefinition", Spec: Spec(map[string]string{"DomainName": "d1"})})
	}
	b.Add(Step{ID: "calculated-attribute/us-east-1/other", Region: "us-east-1", Service: "customer-profiles",
		Operation: "CreateCalculatedAttributeDefinition", Spec: Spec(map[string]string{"DomainName": "d2"})})
	b.Add(Step{ID: "message-template/us-east-1/t1", Name: "t1", Region: "us-east-1", Service: "qconnect", Operation: "CreateMessageTemplate",
		Spec: Spec(map[string]string{"knowledgeBaseId": "kb"})})
	for i := 0; i < 21; i++ {
		b.Add(Step{ID: fmt.Sprintf("message-template-version/us-east-1/t1/%d", i), Region: "us-east-1", Service: "qconnect",
			Operation: "CreateMessageTemplateVersion", DependsOn: []string{"message-template/us-east-1/t1"}, Spec: Spec(map[string]string{})})
	}
	b.Add(Step{ID: "segment-definition/us-east-1/s", Region: "us-east-1", Service: "customer-profiles", Operation: "CreateSegmentDefinition",
		Spec: Spec(map[string]string{"DomainName": "d1"})})
	b.Add(Step{ID: "event-trigger/us-east-1/e", Region: "us-east-1", Service: "customer-profiles", Operation: "CreateEventTrigger",
		Spec: Spec(map[string]string{"DomainName": "d1"})})
	// Another stage already checked event triggers: not repeated.
	b.Quota(QuotaCheck{Region: "us-east-1", Scope: "domain", Quota: "event triggers per domain", Limit: 50, Planned: 1})
	if err := buildQuotas(b); err != nil {
		t.Fatal(err)
	}
	calc := quotaFind(b.quotas, "us-east-1", "calculated attributes per domain")
	if len(calc) != 2 || calc[0].Planned != 51 || calc[0].OK || calc[1].Planned != 1 || !calc[1].OK {
		t.Errorf("calculated attributes: %+v", calc)
	}
	if v := quotaFind(b.quotas, "us-east-1", "versions per message template"); len(v) != 1 || v[0].Planned != 21 || v[0].OK {
		t.Errorf("versions: %+v", v)
	}
	if v := quotaFind(b.quotas, "us-east-1", "message templates per knowledge base"); len(v) != 1 || v[0].Planned != 1 {
		t.Errorf("templates: %+v", v)
	}
	if v := quotaFind(b.quotas, "us-east-1", "segment definitions per domain"); len(v) != 1 || v[0].Limit != 100 {
		t.Errorf("segment definitions: %+v", v)
	}
	if v := quotaFind(b.quotas, "us-east-1", "event triggers per domain"); len(v) != 1 {
		t.Errorf("event triggers checked %d times", len(v))
	}
}
