package engine

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"testing"
	"time"

	"github.com/p2c/p2c/internal/awsmodel"
	"github.com/p2c/p2c/internal/emulator/emutest"
)

// TestCLIReadsBackApply: after a demo apply, the aws CLI, a second real
// client, reads the segment definitions, campaigns and message templates
// apply created, and every member the step's spec sets comes back with
// the value the spec gave.
func TestCLIReadsBackApply(t *testing.T) {
	emutest.RequireCLI(t)
	f := newDemoFixture(t)
	if _, err := Apply(context.Background(), f.opts()); err != nil {
		t.Fatal(err)
	}
	recs := journalRecords(t, f.dir)
	ids := make([]string, 0, len(recs))
	for id := range recs {
		ids = append(ids, id)
	}
	sort.Strings(ids)

	// One read per created resource, run in one batch: a CLI process per
	// call would make the test slow.
	type readBack struct {
		id, readOp, member string
		spec               map[string]any
		args               []string
		service, createOp  string
	}
	var reads []readBack
	for _, id := range ids {
		r := recs[id]
		if r.Status != StatusDone {
			continue
		}
		var spec map[string]any
		if err := json.Unmarshal(r.Input, &spec); err != nil {
			t.Fatalf("%s: input: %v", id, err)
		}
		rb := readBack{id: id, spec: spec, service: r.Service, createOp: r.Operation}
		switch r.Service + " " + r.Operation {
		case "customer-profiles CreateSegmentDefinition":
			rb.readOp = "GetSegmentDefinition"
			rb.args = []string{"customer-profiles", "get-segment-definition", "--domain-name", str(spec, "DomainName"),
				"--segment-definition-name", str(spec, "SegmentDefinitionName")}
		case "connectcampaignsv2 CreateCampaign":
			rb.readOp, rb.member = "DescribeCampaign", "campaign"
			rb.args = []string{"connectcampaignsv2", "describe-campaign", "--id", r.Outputs["id"]}
		case "qconnect CreateMessageTemplate":
			rb.readOp, rb.member = "GetMessageTemplate", "messageTemplate"
			rb.args = []string{"qconnect", "get-message-template", "--knowledge-base-id", str(spec, "knowledgeBaseId"),
				"--message-template-id", r.Outputs["id"]}
			// The answer carries the id; the spec may name the
			// knowledge base by ARN.
			delete(spec, "knowledgeBaseId")
		default:
			continue
		}
		rb.args = append(rb.args, "--region", r.Region)
		reads = append(reads, rb)
	}
	cmds := make([][]string, len(reads))
	for i, rb := range reads {
		cmds[i] = rb.args
	}
	results := emutest.CLIBatch(t, f.url, cmds...)

	checked := map[string]int{}
	compared := map[string]bool{} // "CreateOp.member" compared at least once
	for i, rb := range reads {
		res := results[i]
		if res.Code != 0 {
			t.Errorf("%s: aws %s %s: exit %d: %s", rb.id, rb.args[0], rb.args[1], res.Code, res.Stderr)
			continue
		}
		out := res.JSON(t)
		m := awsmodel.MustLoad(rb.service)
		shape := m.OutputShape(rb.readOp)
		if rb.member != "" {
			out = asMap(out[rb.member])
			shape = m.Shape(shape.Members[rb.member].Shape)
		}
		if out == nil {
			t.Errorf("%s: aws %s %s returned nothing", rb.id, rb.args[0], rb.args[1])
			continue
		}
		for k, want := range rb.spec {
			// Request-only members (client tokens, path members) are not
			// in the read's answer; tags apply adds to are checked by the
			// engine's own tests.
			if shape.Members[k] == nil || k == "Tags" || k == "tags" {
				continue
			}
			got, ok := out[k]
			if !ok {
				t.Errorf("%s: aws %s %s: member %s missing", rb.id, rb.args[0], rb.args[1], k)
				continue
			}
			if path, msg := subset(want, got, k); msg != "" {
				t.Errorf("%s: aws %s %s: %s: %s", rb.id, rb.args[0], rb.args[1], path, msg)
			}
			compared[rb.createOp+"."+k] = true
		}
		checked[rb.createOp]++
	}
	for _, op := range []string{"CreateSegmentDefinition", "CreateCampaign", "CreateMessageTemplate"} {
		if checked[op] == 0 {
			t.Errorf("no %s step was read back", op)
		}
	}
	// The members that carry the migration's substance were compared.
	for _, m := range []string{"CreateSegmentDefinition.DisplayName", "CreateSegmentDefinition.SegmentGroups",
		"CreateCampaign.name", "CreateCampaign.connectInstanceId", "CreateCampaign.channelSubtypeConfig",
		"CreateMessageTemplate.name", "CreateMessageTemplate.channelSubtype", "CreateMessageTemplate.content"} {
		if !compared[m] {
			t.Errorf("%s was never compared", m)
		}
	}
	t.Logf("read back with the aws CLI: %v", checked)
}

// subset reports where want, a spec value, is not matched by got, the
// CLI's answer: every member want sets must be there with the same value
// (times compared as instants, as the CLI prints its own format).
func subset(want, got any, path string) (string, string) {
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			return path, fmt.Sprintf("want an object, got %v", got)
		}
		for k, v := range w {
			gv, ok := g[k]
			if !ok {
				return path + "." + k, "missing"
			}
			if p, msg := subset(v, gv, path+"."+k); msg != "" {
				return p, msg
			}
		}
		return "", ""
	case []any:
		g, ok := got.([]any)
		if !ok || len(g) != len(w) {
			return path, fmt.Sprintf("want %d items, got %v", len(w), got)
		}
		for i := range w {
			if p, msg := subset(w[i], g[i], fmt.Sprintf("%s[%d]", path, i)); msg != "" {
				return p, msg
			}
		}
		return "", ""
	}
	if sameInstant(want, got) {
		return "", ""
	}
	wb, _ := json.Marshal(want)
	gb, _ := json.Marshal(got)
	if string(wb) != string(gb) {
		return path, fmt.Sprintf("want %s, got %s", wb, gb)
	}
	return "", ""
}

func sameInstant(a, b any) bool {
	as, ok1 := a.(string)
	bs, ok2 := b.(string)
	if !ok1 || !ok2 {
		return false
	}
	ta, err1 := time.Parse(time.RFC3339Nano, as)
	tb, err2 := time.Parse(time.RFC3339Nano, bs)
	return err1 == nil && err2 == nil && ta.Equal(tb)
}
