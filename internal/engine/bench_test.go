package engine

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/p2c/p2c/internal/blueprint"
	"github.com/p2c/p2c/internal/emulator"
	"github.com/p2c/p2c/internal/emulator/core"
	"github.com/p2c/p2c/internal/emulator/emutest"
	"github.com/p2c/p2c/internal/target"
)

// largePlanSize is how many of each kind BenchmarkApplyLargePlan plans.
type largePlanSize struct {
	segments  int // segment definitions in one domain
	templates int // message templates per knowledge base (each: create, version, activate)
	kbs       int // knowledge bases (a knowledge base holds at most 200 templates)
	campaigns int // campaigns in one instance (at most 500 per instance)
}

func (s largePlanSize) steps() int {
	// domain, object type, knowledge bases, one instance association
	return 2 + s.kbs + 1 + s.segments + 3*s.kbs*s.templates + s.campaigns
}

// BenchmarkApplyLargePlan applies a plan of about 2,000 steps against an
// emulator enforcing the target's real request-rate quotas, and compares
// the wall time with the least the quotas allow: for each operation, the
// calls it answered divided by its rate; the slowest operation bounds the
// whole apply. The client backs off on throttling with real sleeps, as
// the CLI does.
//
// Full size takes minutes (the quotas are 1-5 TPS); -short or
// P2C_BENCH_SMALL=1 plans about 140 steps instead.
//
//	go test ./internal/engine -run '^$' -bench ApplyLargePlan -benchtime 1x
func BenchmarkApplyLargePlan(b *testing.B) {
	size := largePlanSize{segments: 700, templates: 200, kbs: 2, campaigns: 100}
	if testing.Short() || os.Getenv("P2C_BENCH_SMALL") != "" {
		size = largePlanSize{segments: 60, templates: 20, kbs: 1, campaigns: 15}
	}
	conc, workers := 0, DefaultConcurrency
	if v := os.Getenv("P2C_BENCH_CONCURRENCY"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			b.Fatalf("P2C_BENCH_CONCURRENCY: %v", err)
		}
		conc, workers = n, n
	}
	var wall, minimum time.Duration
	var steps, calls int
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		emu, c, inst := largePlanEmulator(b)
		p := largePlan(b, size)
		dir, raw := benchWorkspace(b, p)
		before := emu.Calls()
		b.StartTimer()
		start := time.Now()
		res, err := Apply(context.Background(), Options{Dir: dir, Plan: p, PlanBytes: raw,
			Answers: map[string]string{instKey: inst}, Client: c, Concurrency: conc})
		elapsed := time.Since(start)
		b.StopTimer()
		if err != nil {
			b.Fatalf("apply: %v", err)
		}
		for _, s := range res.Steps {
			if s.Action == ActFail {
				b.Fatalf("step %s failed: %s", s.ID, s.Error)
			}
		}
		if got := res.Counts.Created; got != len(p.Steps) {
			b.Fatalf("created %d of %d steps", got, len(p.Steps))
		}
		answered := map[string]int{}
		for op, n := range emu.Calls() {
			if d := n - before[op]; d > 0 {
				answered[op] = d
			}
		}
		min, slowest, n, lines := quotaMinimum(b, emu, answered)
		b.Logf("%d steps, %d calls in %s; quota minimum %s (%s); concurrency %d", len(p.Steps), n, elapsed.Round(time.Millisecond),
			min.Round(time.Millisecond), slowest, workers)
		for _, l := range lines {
			b.Log(l)
		}
		wall += elapsed
		minimum += min
		steps += len(p.Steps)
		calls += n
	}
	b.ReportMetric(wall.Seconds()/float64(b.N), "wall-s")
	b.ReportMetric(minimum.Seconds()/float64(b.N), "quota-min-s")
	b.ReportMetric(wall.Seconds()/minimum.Seconds(), "x-quota-min")
	b.ReportMetric(float64(steps)/float64(b.N), "steps")
	b.ReportMetric(float64(calls)/float64(b.N), "calls")
}

// quotaMinimum is the least time the answered calls need under the
// quotas: every operation has its own bucket, so they can overlap, and
// the operation with the most calls per unit of rate bounds the run. A
// bucket starts full (one second of tokens), so the first second's worth
// is free. The dependency chains (domain, object type, segment, campaign)
// are a handful of calls and do not bound it at this size.
func quotaMinimum(b *testing.B, emu *emulator.Emulator, answered map[string]int) (time.Duration, string, int, []string) {
	services := map[string]core.Service{}
	for _, s := range []core.Service{emu.Profiles, emu.QConnect, emu.Campaigns, emu.Connect} {
		services[s.SigningName()] = s
	}
	var worst float64
	var slowest string
	total := 0
	ops := make([]string, 0, len(answered))
	for op := range answered {
		ops = append(ops, op)
	}
	need := map[string]float64{}
	for _, key := range ops {
		n := answered[key]
		total += n
		sig, op, _ := strings.Cut(key, ":")
		svc := services[sig]
		if svc == nil {
			b.Fatalf("calls to %s: no service signs as %s", key, sig)
		}
		rate := svc.Quota(op)
		need[key] = max((float64(n)-max(rate, 1))/rate, 0)
		if need[key] > worst {
			worst, slowest = need[key], key
		}
	}
	// Slowest first: benchmark logs keep only the first lines.
	sort.Slice(ops, func(i, j int) bool {
		if need[ops[i]] != need[ops[j]] {
			return need[ops[i]] > need[ops[j]]
		}
		return ops[i] < ops[j]
	})
	var lines []string
	for _, key := range ops {
		lines = append(lines, fmt.Sprintf("  %-45s %5d calls: %6.1fs at its quota", key, answered[key], need[key]))
	}
	return time.Duration(worst * float64(time.Second)), slowest, total, lines
}

// largePlanEmulator is an empty target with one Connect instance onboarded
// to outbound campaigns, made before quotas are switched on so that only
// the apply is rate-limited.
func largePlanEmulator(b *testing.B) (*emulator.Emulator, *target.Client, string) {
	emu := emulator.New(emulator.Options{})
	srv := httptest.NewServer(emu)
	b.Cleanup(srv.Close)
	c := target.NewClient(emutest.Config(srv.URL))
	ctx := context.Background()
	out, err := c.Call(ctx, "connect", rg, "CreateInstance", M{"IdentityManagementType": "CONNECT_MANAGED", "InstanceAlias": "bench",
		"InboundCallsEnabled": true, "OutboundCallsEnabled": true})
	if err != nil {
		b.Fatalf("create instance: %v", err)
	}
	if _, err := c.Call(ctx, "connectcampaignsv2", rg, "StartInstanceOnboardingJob",
		M{"connectInstanceId": str(out.Output, "Id"), "encryptionConfig": M{"enabled": false}}); err != nil {
		b.Fatalf("onboard instance: %v", err)
	}
	emu.SetOptions(emulator.Options{Quotas: true}) // also empties the buckets
	return emu, c, str(out.Output, "Arn")
}

// largePlan builds the plan directly, in the order and shape p2c plan
// writes: profiles first, then templates, then campaigns.
func largePlan(b *testing.B, s largePlanSize) *blueprint.Plan {
	inst := "{{decision:" + instKey + "|id}}"
	del := blueprint.Rollback{Policy: blueprint.RollbackDelete}
	keep := blueprint.Rollback{Policy: blueprint.RollbackRetain, Reason: "versions go with their template"}
	js := func(v any) json.RawMessage {
		raw, err := json.Marshal(v)
		if err != nil {
			b.Fatal(err)
		}
		return raw
	}
	const domain = "p2c-bench"
	steps := []blueprint.Step{
		{ID: domStep, Kind: "profiles-domain", Name: domain, Service: "customer-profiles", Operation: "CreateDomain", Rollback: del,
			Spec: js(M{"DomainName": domain, "DefaultExpirationDays": 366})},
		{ID: otStep, Kind: "object-type", Name: "PinpointEndpoint", Service: "customer-profiles", Operation: "PutProfileObjectType", Rollback: del,
			DependsOn: []string{domStep},
			Spec: js(M{"DomainName": domain, "ObjectTypeName": "PinpointEndpoint", "Description": "endpoints", "AllowProfileCreation": true,
				"Fields": M{"EndpointId": M{"ContentType": "STRING", "Source": "_source.EndpointId"},
					"Tier": M{"ContentType": "STRING", "Source": "_source.Tier", "Target": "_profile.Attributes.Tier"}},
				"Keys": M{"PinpointEndpointId": []any{M{"FieldNames": []any{"EndpointId"}, "StandardIdentifiers": []any{"UNIQUE", "PROFILE"}}}}})},
	}
	segID := func(i int) string { return fmt.Sprintf("segment-definition/us-east-1/app/seg%04d", i) }
	for i := 0; i < s.segments; i++ {
		name := fmt.Sprintf("seg%04d", i)
		steps = append(steps, blueprint.Step{ID: segID(i), Kind: "segment-definition", Name: name, Service: "customer-profiles",
			Operation: "CreateSegmentDefinition", Rollback: del, DependsOn: []string{otStep},
			Spec: js(M{"DomainName": domain, "SegmentDefinitionName": name, "DisplayName": name,
				"SegmentGroups": M{"Include": "ALL", "Groups": []any{M{"Type": "ALL", "Dimensions": []any{
					M{"ProfileAttributes": M{"Attributes": M{"Tier": M{"DimensionType": "INCLUSIVE", "Values": []any{name}}}}}}}}}})})
	}
	kbID := func(k int) string { return fmt.Sprintf("knowledge-base/us-east-1/templates%d", k) }
	tplID := func(k, i int) string { return fmt.Sprintf("message-template/us-east-1/EMAIL/kb%d-t%04d", k, i) }
	for k := 0; k < s.kbs; k++ {
		name := fmt.Sprintf("p2c-templates-%d", k)
		steps = append(steps, blueprint.Step{ID: kbID(k), Kind: "knowledge-base", Name: name, Service: "qconnect", Operation: "CreateKnowledgeBase",
			Rollback: del, Spec: js(M{"name": name, "knowledgeBaseType": "MESSAGE_TEMPLATES", "description": "templates"})})
	}
	// Campaigns send templates of the first knowledge base, the one the
	// instance is associated with.
	steps = append(steps, blueprint.Step{ID: assocStep, Kind: "knowledge-base", Name: "Q_MESSAGE_TEMPLATES", Service: "connect",
		Operation: "CreateIntegrationAssociation", Rollback: del, DependsOn: []string{kbID(0)}, WaitsOn: []string{instKey},
		Spec: js(M{"InstanceId": inst, "IntegrationArn": "{{step:" + kbID(0) + ".arn}}", "IntegrationType": "Q_MESSAGE_TEMPLATES"})})
	for k := 0; k < s.kbs; k++ {
		kb := "{{step:" + kbID(k) + ".id}}"
		for i := 0; i < s.templates; i++ {
			id, name := tplID(k, i), fmt.Sprintf("kb%d-t%04d", k, i)
			steps = append(steps,
				blueprint.Step{ID: id, Kind: "message-template", Name: name, Service: "qconnect", Operation: "CreateMessageTemplate", Rollback: del,
					DependsOn: []string{kbID(k)},
					Spec: js(M{"knowledgeBaseId": kb, "name": name, "channelSubtype": "EMAIL",
						"content": M{"email": M{"subject": "Hello " + name, "body": M{"plainText": M{"content": "Hello {{Attributes.Customer.FirstName}}"}}}}})},
				blueprint.Step{ID: id + "/version", Kind: "message-template", Name: name + " version 1", Service: "qconnect",
					Operation: "CreateMessageTemplateVersion", Rollback: keep, DependsOn: []string{id},
					Spec: js(M{"knowledgeBaseId": kb, "messageTemplateId": "{{step:" + id + ".id}}"})},
				blueprint.Step{ID: id + "/activate", Kind: "message-template", Name: "activate " + name + " version 1", Service: "qconnect",
					Operation: "ActivateMessageTemplate", Rollback: keep, DependsOn: []string{id + "/version"},
					Spec: js(M{"knowledgeBaseId": kb, "messageTemplateId": "{{step:" + id + ".id}}", "versionNumber": 1})})
		}
	}
	for i := 0; i < s.campaigns; i++ {
		tpl, seg := tplID(0, i%s.templates), segID(i%s.segments)
		name := fmt.Sprintf("Campaign %04d", i)
		steps = append(steps, blueprint.Step{ID: fmt.Sprintf("campaign/us-east-1/app/c%04d", i), Kind: "campaign", Name: name,
			Service: "connectcampaignsv2", Operation: "CreateCampaign", Rollback: del,
			DependsOn: []string{tpl + "/activate", seg, assocStep}, WaitsOn: []string{instKey},
			Spec: js(M{"name": name, "connectInstanceId": inst,
				"channelSubtypeConfig": M{"email": M{"outboundMode": M{"agentless": M{}},
					"defaultOutboundConfig": M{"connectSourceEmailAddress": "hello@shop.email.connect.aws",
						"wisdomTemplateArn": "{{step:" + tpl + ".arn}}:{{step:" + tpl + ".version}}"}}},
				"source":   M{"customerProfilesSegmentArn": "{{step:" + seg + ".arn}}"},
				"schedule": M{"startTime": "2026-12-01T09:00:00Z", "endTime": "2027-12-01T09:00:00Z"}})})
	}
	for i := range steps {
		steps[i].Region, steps[i].Action = rg, blueprint.Create
	}
	if len(steps) != s.steps() {
		b.Fatalf("planned %d steps, want %d", len(steps), s.steps())
	}
	return &blueprint.Plan{SchemaVersion: blueprint.SchemaVersion, Tool: "p2c bench", Steps: steps}
}

// benchWorkspace is workspace for a benchmark.
func benchWorkspace(b *testing.B, p *blueprint.Plan) (string, []byte) {
	dir := b.TempDir()
	inv, asm, dec := []byte(`{"inventory":1}`), []byte(`{"assessment":1}`), []byte("decisions: answered\n")
	for name, data := range map[string][]byte{"inventory.json": inv, "assessment.json": asm, "decisions.yaml": dec} {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o600); err != nil {
			b.Fatal(err)
		}
	}
	p.Inputs = blueprint.Inputs{InventorySHA256: Sum(inv), AssessmentSHA256: Sum(asm), DecisionsSHA256: Sum(dec)}
	raw, err := json.MarshalIndent(p, "", "  ")
	if err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "plan.json"), raw, 0o600); err != nil {
		b.Fatal(err)
	}
	return dir, raw
}
