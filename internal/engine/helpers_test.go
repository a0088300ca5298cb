package engine

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/p2c/p2c/internal/blueprint"
	"github.com/p2c/p2c/internal/emulator"
	"github.com/p2c/p2c/internal/emulator/emutest"
	"github.com/p2c/p2c/internal/target"
)

// env is an emulator with a client pointed at it.
type env struct {
	t   *testing.T
	emu *emulator.Emulator
	url string
	c   *target.Client
}

func newEnv(t *testing.T, opts emulator.Options) *env {
	t.Helper()
	e := emulator.New(opts)
	srv := httptest.NewServer(e)
	t.Cleanup(srv.Close)
	c := target.NewClient(emutest.Config(srv.URL))
	c.Sleep = func(d time.Duration) { time.Sleep(d / 10) }
	return &env{t: t, emu: e, url: srv.URL, c: c}
}

func (e *env) call(region, service, op string, in map[string]any) map[string]any {
	e.t.Helper()
	res, err := e.c.Call(context.Background(), service, region, op, in)
	if err != nil {
		e.t.Fatalf("%s %s: %v", service, op, err)
	}
	return res.Output
}

// instance makes a Connect instance onboarded to outbound campaigns and
// returns its ARN.
func (e *env) instance(region, alias string) string {
	e.t.Helper()
	out := e.call(region, "connect", "CreateInstance", M{"IdentityManagementType": "CONNECT_MANAGED", "InstanceAlias": alias,
		"InboundCallsEnabled": true, "OutboundCallsEnabled": true})
	id := str(out, "Id")
	e.call(region, "connectcampaignsv2", "StartInstanceOnboardingJob", M{"connectInstanceId": id, "encryptionConfig": M{"enabled": false}})
	return str(out, "Arn")
}

// listAll pages a list operation.
func (e *env) listAll(region, service, op string, in map[string]any, items, next string) []map[string]any {
	e.t.Helper()
	var out []map[string]any
	q := M{}
	for k, v := range in {
		q[k] = v
	}
	for {
		res := e.call(region, service, op, q)
		for _, it := range list(res, items) {
			out = append(out, asMap(it))
		}
		tok := str(res, next)
		if tok == "" {
			return out
		}
		q[next] = tok
	}
}

// snapshot lists what the target holds, by name, sorted: equal snapshots
// mean the same resources, no duplicates and nothing missing.
func (e *env) snapshot(regions ...string) []string {
	e.t.Helper()
	var out []string
	add := func(format string, args ...any) { out = append(out, fmt.Sprintf(format, args...)) }
	for _, rg := range regions {
		for _, d := range e.listAll(rg, "customer-profiles", "ListDomains", M{}, "Items", "NextToken") {
			dn := str(d, "DomainName")
			add("%s domain %s", rg, dn)
			for _, x := range e.listAll(rg, "customer-profiles", "ListProfileObjectTypes", M{"DomainName": dn}, "Items", "NextToken") {
				add("%s object-type %s/%s", rg, dn, str(x, "ObjectTypeName"))
			}
			for _, x := range e.listAll(rg, "customer-profiles", "ListCalculatedAttributeDefinitions", M{"DomainName": dn}, "Items", "NextToken") {
				add("%s calculated-attribute %s/%s", rg, dn, str(x, "CalculatedAttributeName"))
			}
			for _, x := range e.listAll(rg, "customer-profiles", "ListSegmentDefinitions", M{"DomainName": dn}, "Items", "NextToken") {
				add("%s segment %s/%s", rg, dn, str(x, "SegmentDefinitionName"))
			}
			for _, x := range e.listAll(rg, "customer-profiles", "ListEventTriggers", M{"DomainName": dn}, "Items", "NextToken") {
				add("%s event-trigger %s/%s", rg, dn, str(x, "EventTriggerName"))
			}
		}
		kbNames := map[string]string{}
		for _, kb := range e.listAll(rg, "qconnect", "ListKnowledgeBases", M{}, "knowledgeBaseSummaries", "nextToken") {
			kbNames[str(kb, "knowledgeBaseArn")] = str(kb, "name")
			add("%s knowledge-base %s", rg, str(kb, "name"))
			for _, t := range e.listAll(rg, "qconnect", "ListMessageTemplates", M{"knowledgeBaseId": str(kb, "knowledgeBaseId")}, "messageTemplateSummaries", "nextToken") {
				add("%s template %s/%s active=%d", rg, str(kb, "name"), str(t, "name"), num(t, "activeVersionNumber"))
				vs := e.listAll(rg, "qconnect", "ListMessageTemplateVersions", M{"knowledgeBaseId": str(kb, "knowledgeBaseId"), "messageTemplateId": str(t, "messageTemplateId")},
					"messageTemplateVersionSummaries", "nextToken")
				add("%s template-versions %s/%s %d", rg, str(kb, "name"), str(t, "name"), len(vs))
			}
		}
		for _, in := range e.listAll(rg, "connect", "ListInstances", M{}, "InstanceSummaryList", "NextToken") {
			id := str(in, "Id")
			alias := str(in, "InstanceAlias")
			for _, a := range e.listAll(rg, "connect", "ListIntegrationAssociations", M{"InstanceId": id}, "IntegrationAssociationSummaryList", "NextToken") {
				arn := str(a, "IntegrationArn")
				if n := kbNames[arn]; n != "" {
					arn = "knowledge base " + n // ids differ between runs, names do not
				}
				add("%s association %s/%s %s", rg, alias, str(a, "IntegrationType"), arn)
			}
			for _, n := range e.listAll(rg, "connect", "ListPhoneNumbersV2", M{"InstanceId": id}, "ListPhoneNumbersSummaryList", "NextToken") {
				add("%s phone-number %s/%s", rg, alias, str(n, "SourcePhoneNumberArn"))
			}
			for _, a := range e.listAll(rg, "connect", "SearchEmailAddresses", M{"InstanceId": id}, "EmailAddresses", "NextToken") {
				add("%s email-address %s/%s", rg, alias, str(a, "EmailAddress"))
			}
			for _, c := range e.listAll(rg, "connectcampaignsv2", "ListCampaigns", M{"filters": M{"instanceIdFilter": M{"value": id, "operator": "Eq"}}}, "campaignSummaryList", "nextToken") {
				add("%s campaign %s/%s", rg, alias, str(c, "name"))
			}
			lim, err := e.c.Call(context.Background(), "connectcampaignsv2", rg, "GetInstanceCommunicationLimits", M{"connectInstanceId": id})
			if err == nil {
				b, _ := json.Marshal(lim.Output["communicationLimitsConfig"])
				add("%s limits %s %s", rg, alias, b)
			}
		}
		for _, cs := range e.listAll(rg, "sesv2", "ListConfigurationSets", M{}, "ConfigurationSets", "NextToken") {
			_ = cs
		}
		for _, cs := range e.listAll(rg, "pinpoint-sms-voice-v2", "DescribeConfigurationSets", M{}, "ConfigurationSets", "NextToken") {
			for _, d := range list(cs, "EventDestinations") {
				add("%s eum-event-destination %s/%s", rg, str(cs, "ConfigurationSetName"), str(asMap(d), "EventDestinationName"))
			}
		}
	}
	sort.Strings(out)
	return out
}

// sesDestinations lists the SES event destinations of named sets.
func (e *env) sesDestinations(region string, sets ...string) []string {
	var out []string
	for _, cs := range sets {
		res, err := e.c.Call(context.Background(), "sesv2", region, "GetConfigurationSetEventDestinations", M{"ConfigurationSetName": cs})
		if err != nil {
			continue
		}
		for _, d := range list(res.Output, "EventDestinations") {
			out = append(out, cs+"/"+str(asMap(d), "Name"))
		}
	}
	sort.Strings(out)
	return out
}

// workspace writes a workspace holding plan inputs and returns the plan
// bound to them.
func workspace(t *testing.T, p *blueprint.Plan, inv, asm, dec []byte) (string, []byte) {
	t.Helper()
	dir := t.TempDir()
	for name, b := range map[string][]byte{"inventory.json": inv, "assessment.json": asm, "decisions.yaml": dec} {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	p.Inputs = blueprint.Inputs{InventorySHA256: Sum(inv), AssessmentSHA256: Sum(asm), DecisionsSHA256: Sum(dec)}
	b, err := json.MarshalIndent(p, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "plan.json"), b, 0o600); err != nil {
		t.Fatal(err)
	}
	return dir, b
}

func spec(t *testing.T, v any) json.RawMessage {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func diff(a, b []string) string {
	am, bm := map[string]int{}, map[string]int{}
	for _, x := range a {
		am[x]++
	}
	for _, x := range b {
		bm[x]++
	}
	var d []string
	for k, n := range am {
		if bm[k] != n {
			d = append(d, fmt.Sprintf("  %s: got %d, want %d", k, n, bm[k]))
		}
	}
	for k, n := range bm {
		if _, ok := am[k]; !ok {
			d = append(d, fmt.Sprintf("  %s: got 0, want %d", k, n))
		}
	}
	sort.Strings(d)
	return strings.Join(d, "\n")
}
