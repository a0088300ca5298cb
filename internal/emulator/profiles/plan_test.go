package profiles

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/p2c/p2c/internal/awsmodel"
	"github.com/p2c/p2c/internal/emulator/core"
)

// TestPlanSpecsApply sends every Customer Profiles request of the demo and
// corpus plans (internal/blueprint golden files) in plan order: what the
// planner writes, the emulator accepts.
func TestPlanSpecsApply(t *testing.T) {
	m := awsmodel.MustLoad("customer-profiles")
	for _, name := range []string{"demo", "corpus"} {
		raw, err := os.ReadFile("../../blueprint/testdata/" + name + ".plan.golden.json")
		if err != nil {
			t.Skipf("no %s plan golden file: %v", name, err)
		}
		var plan struct {
			Steps []struct {
				ID, Region, Action, Service, Operation string
				Spec                                   map[string]any
			}
		}
		if err := json.Unmarshal(raw, &plan); err != nil {
			t.Fatal(err)
		}
		h := newHarness(t, core.Options{})
		planned := map[string]bool{}
		for _, s := range plan.Steps {
			if s.Operation == "PutProfileObjectType" {
				planned[core.Str(s.Spec, "DomainName")+"/"+core.Str(s.Spec, "ObjectTypeName")] = true
			}
		}
		n := 0
		for _, s := range plan.Steps {
			if s.Service != "customer-profiles" || s.Action == "noop" || strings.Contains(jsonArg(s.Spec), "{{decision:") {
				continue
			}
			// The event object type is a prerequisite the plan asks about
			// (<region>.event-object-type), not a step: the team's app
			// sends its events there. Provide it as the team would.
			if s.Operation == "CreateEventTrigger" && !planned[core.Str(s.Spec, "DomainName")+"/"+core.Str(s.Spec, "ObjectTypeName")] {
				h.svc.mu.Lock()
				d := h.svc.region(s.Region).domains[core.Str(s.Spec, "DomainName")]
				if d != nil && d.types[core.Str(s.Spec, "ObjectTypeName")] == nil {
					d.types[core.Str(s.Spec, "ObjectTypeName")] = map[string]any{"ObjectTypeName": core.Str(s.Spec, "ObjectTypeName"), "Description": "app events",
						"Fields": map[string]any{"EventType": map[string]any{"Source": "_source.EventType"}}}
				}
				h.svc.mu.Unlock()
			}
			method, path, query, body, err := m.BuildRESTRequest(s.Operation, s.Spec)
			if err != nil {
				t.Fatalf("%s: %v", s.ID, err)
			}
			u := h.url + path
			if len(query) > 0 {
				u += "?" + query.Encode()
			}
			req, _ := http.NewRequest(method, u, bytes.NewReader(body))
			req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261130/"+s.Region+"/profile/aws4_request, SignedHeaders=host, Signature=0")
			req.Header.Set("Content-Type", "application/json")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 {
				t.Errorf("%s plan, step %s (%s): %d %s", name, s.ID, s.Operation, resp.StatusCode, b)
			}
			n++
		}
		if n == 0 {
			t.Errorf("%s plan has no Customer Profiles step to apply", name)
		}
		t.Logf("%s plan: %d Customer Profiles steps applied", name, n)
	}
}
