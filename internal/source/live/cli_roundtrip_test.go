package live

import (
	"bufio"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"golang.org/x/sync/errgroup"

	"github.com/p2c/p2c/internal/awsmodel"
	"github.com/p2c/p2c/internal/emulator"
	"github.com/p2c/p2c/internal/emulator/emutest"
	"github.com/p2c/p2c/internal/inventory"
)

// Where each testdata/roundtrip file came from. Every file is a complete
// --cli-input-json document (SDK member names); ${NAME} placeholders are
// ids known only at run time (apps, segments, the phone number, the pool).
// Corpus files live in ../shared/corpus/pinpoint (see its SOURCES.md).
//
//	ppdg-create-segment.json              ppdg__CreateSegment.body.json: "ALL|ANY|NONE" choices picked, "string" values
//	                                       filled, empty Attributes/Metrics/UserAttributes given one entry each,
//	                                       SourceSegments pointed at the base segment
//	ppdg-create-campaign.json             ppdg__CreateCampaign.body.json: Frequency EVENT, values filled, SizePercent 30 and
//	                                       HoldoutPercent 10 so that they add up to at most 100
//	ppdg-update-application-settings.json ppdg__UpdateApplicationSettings.body.json with values filled
//	ppdg-create-export-job.json           ppdg__CreateExportJob.body.json with values filled
//	ppdg-update-endpoint.json             ppdg__UpdateEndpoint.body.pseudojson made JSON (one choice per pseudo-enum);
//	                                       RequestId left out: the service sets it
//	ppdg-update-endpoints-batch.json      ppdg__UpdateEndpointsBatch.body.pseudojson, likewise, with three items
//	awscli-create-app.json                Name and tags of awscli__get-app.output.json
//	awscli-create-campaign.json           the request members of awscli__get-campaign.output.json
//	awscli-update-endpoint.json           the request members of awscli__get-endpoint.output.json
//	awscli-update-{sms,email,gcm,voice}-channel.json
//	                                       the request members of awscli__get-*-channel.output.json (the masked account
//	                                       replaced by 111122223333; the GCM ApiKey, which a GET never shows, made up)
//	skeleton-*.json                       generated/awscli-2.9.19-skeleton__pinpoint.<op>.input.json, "" placeholders filled,
//	                                       enums and numbers picked so the service accepts them, "KeyName" map keys
//	                                       renamed key1, RecommenderId dropped (no Personalize here)
//	skeleton-create-journey.json          generated/awscli-1.45.11-skeleton__pinpoint.create-journey.input.json: the one
//	                                       "KeyName" activity holding every type split into ten chained activities, one
//	                                       start condition kept (EventStartCondition), CreationDate/LastModifiedDate
//	                                       dropped (the service sets them)
//	journey-*.json, segment-*.json, create-app-b.json, eum-*.json
//	                                       written by hand for this test
//
// Email and SMS templates are built at run time from the CreateEmailTemplate
// and CreateSmsTemplate calls of rds__pinpoint-auto-workshop.requests.json,
// with ${file:rds__*.html|txt} replaced by those files (HtmlPart, TextPart)
// and the workshop's ${recommender:...} RecommenderId by the recommender this
// test creates, and from awscli__create-sms-template.input.json (an
// SMSTemplateRequest).

// seededCall is one create/update call the CLI made.
type seededCall struct {
	label   string // testdata file or corpus origin
	service string // "pinpoint", "pinpoint-sms-voice-v2", "s3api"
	op      string // CLI command, e.g. create-segment
	input   map[string]any
	output  map[string]any
}

type roundTrip struct {
	t    *testing.T
	url  string
	tmp  string
	pp   *awsmodel.Model
	sv   *awsmodel.Model
	mu   sync.Mutex
	vars map[string]string
	log  []*seededCall
}

func (rt *roundTrip) set(name, value string) {
	rt.mu.Lock()
	defer rt.mu.Unlock()
	rt.vars[name] = value
}

// expand replaces ${NAME} placeholders with run-time ids.
func (rt *roundTrip) expand(b []byte) ([]byte, error) {
	rt.mu.Lock()
	defer rt.mu.Unlock()
	var err error
	out := os.Expand(string(b), func(name string) string {
		v, ok := rt.vars[name]
		if !ok && err == nil {
			err = fmt.Errorf("placeholder ${%s} has no value yet", name)
		}
		return v
	})
	return []byte(out), err
}

// cli runs `aws <service> <op> --cli-input-json file://...` with the
// expanded document and records what was sent and answered. It is safe to
// call from several goroutines; it never calls t.Fatal.
func (rt *roundTrip) cli(label, service, op string, doc []byte) (*seededCall, error) {
	doc, err := rt.expand(doc)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", label, err)
	}
	var input map[string]any
	if err := json.Unmarshal(doc, &input); err != nil {
		return nil, fmt.Errorf("%s: %w", label, err)
	}
	f, err := os.CreateTemp(rt.tmp, "input-*.json")
	if err != nil {
		return nil, err
	}
	if _, err := f.Write(doc); err != nil {
		return nil, err
	}
	if err := f.Close(); err != nil {
		return nil, err
	}
	out, err := emutest.CLIRaw(rt.t, rt.url, service, op, "--cli-input-json", "file://"+f.Name())
	if err != nil {
		return nil, fmt.Errorf("aws %s %s (%s): %v\n%s", service, op, label, err, out)
	}
	c := &seededCall{label: label, service: service, op: op, input: input}
	if len(strings.TrimSpace(string(out))) > 0 {
		if err := json.Unmarshal(out, &c.output); err != nil {
			return nil, fmt.Errorf("aws %s %s (%s): output is not JSON: %v", service, op, label, err)
		}
	}
	rt.mu.Lock()
	rt.log = append(rt.log, c)
	rt.mu.Unlock()
	return c, nil
}

func (rt *roundTrip) file(name string) []byte {
	b, err := os.ReadFile(filepath.Join("testdata", "roundtrip", name))
	if err != nil {
		rt.t.Fatal(err)
	}
	return b
}

// step is one CLI call of a seeding phase; then, if set, records ids.
type step struct {
	label, service, op string
	doc                []byte
	then               func(c *seededCall)
}

func (rt *roundTrip) fileStep(name, service, op string, then func(c *seededCall)) step {
	return step{label: name, service: service, op: op, doc: rt.file(name), then: then}
}

// phase runs independent calls in parallel. The CLI is a Python process
// of ~0.5 s CPU each, so more than a few at once only thrashes.
func (rt *roundTrip) phase(steps ...step) {
	rt.t.Helper()
	var g errgroup.Group
	g.SetLimit(4)
	for _, s := range steps {
		g.Go(func() error {
			c, err := rt.cli(s.label, s.service, s.op, s.doc)
			if err != nil {
				return err
			}
			if s.then != nil {
				s.then(c)
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		rt.t.Fatal(err)
	}
}

func (rt *roundTrip) call(label string) *seededCall {
	rt.t.Helper()
	for _, c := range rt.log {
		if c.label == label {
			return c
		}
	}
	rt.t.Fatalf("no seeded call %s", label)
	return nil
}

func str(v any, path ...string) string {
	for _, p := range path {
		m, _ := v.(map[string]any)
		v = m[p]
	}
	s, _ := v.(string)
	return s
}

// corpusTemplates builds create-email-template and create-sms-template
// inputs from the corpus.
func corpusTemplates(t *testing.T, corpus string) []step {
	b, err := os.ReadFile(filepath.Join(corpus, "rds__pinpoint-auto-workshop.requests.json"))
	if err != nil {
		t.Fatal(err)
	}
	var req struct{ Calls []map[string]any }
	if err := json.Unmarshal(b, &req); err != nil {
		t.Fatal(err)
	}
	var steps []step
	for _, c := range req.Calls {
		op := str(c, "operation")
		var cliOp, member string
		switch op {
		case "CreateEmailTemplate":
			cliOp, member = "create-email-template", "EmailTemplateRequest"
		case "CreateSmsTemplate":
			cliOp, member = "create-sms-template", "SMSTemplateRequest"
		default:
			continue
		}
		body, _ := c[member].(map[string]any)
		for k, v := range body {
			s, _ := v.(string)
			if name, ok := strings.CutPrefix(s, "${file:"); ok {
				part, err := os.ReadFile(filepath.Join(corpus, strings.TrimSuffix(name, "}")))
				if err != nil {
					t.Fatal(err)
				}
				body[k] = string(part)
			}
			// The workshop's recommender is the one this test creates.
			if strings.HasPrefix(s, "${recommender:") {
				body[k] = "${RECOMMENDER}"
			}
		}
		doc, _ := json.Marshal(map[string]any{"TemplateName": c["TemplateName"], member: body})
		if strings.Contains(strings.ReplaceAll(string(doc), "${RECOMMENDER}", ""), "${") {
			t.Fatalf("%s %s: unresolved placeholder in %s", op, c["TemplateName"], doc)
		}
		steps = append(steps, step{label: "rds " + op + " " + str(c, "TemplateName"), service: "pinpoint", op: cliOp, doc: doc})
	}
	b, err = os.ReadFile(filepath.Join(corpus, "awscli__create-sms-template.input.json"))
	if err != nil {
		t.Fatal(err)
	}
	doc, _ := json.Marshal(map[string]any{"TemplateName": "cli-sms", "SMSTemplateRequest": json.RawMessage(b)})
	steps = append(steps, step{label: "awscli__create-sms-template.input.json", service: "pinpoint", op: "create-sms-template", doc: doc})
	return steps
}

// TestCLIRoundTrip seeds the emulator with the aws CLI from the corpus and
// hand-written journeys, scans it, and checks that every member the CLI
// sent comes back equal in the inventory, and nothing more or less was
// found.
func TestCLIRoundTrip(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: this test runs the aws CLI about 55 times (~0.6 s of CPU each)")
	}
	emutest.RequireCLI(t)
	corpus := filepath.Join("..", "..", "..", "..", "shared", "corpus", "pinpoint")
	if _, err := os.Stat(filepath.Join(corpus, "SOURCES.md")); err != nil {
		t.Skipf("the Pinpoint corpus is not at %s (it sits beside the repository in the team's workspace): %v", corpus, err)
	}
	emu := emulator.New(emulator.Options{})
	url := emutest.Serve(t, emu.Server)
	rt := &roundTrip{t: t, url: url, tmp: t.TempDir(), vars: map[string]string{},
		pp: awsmodel.MustLoad("pinpoint"), sv: awsmodel.MustLoad("pinpoint-sms-voice-v2")}
	start := time.Now()

	const pp, sv = "pinpoint", "pinpoint-sms-voice-v2"
	id := func(name string, path ...string) func(*seededCall) {
		return func(c *seededCall) { rt.set(name, str(c.output, path...)) }
	}
	// Phase 1: what depends on nothing.
	p1 := []step{
		rt.fileStep("awscli-create-app.json", pp, "create-app", id("APP_A", "ApplicationResponse", "Id")),
		rt.fileStep("create-app-b.json", pp, "create-app", id("APP_B", "ApplicationResponse", "Id")),
		rt.fileStep("eum-create-opt-out-list.json", sv, "create-opt-out-list", id("OPT_OUT_LIST", "OptOutListName")),
		rt.fileStep("eum-create-configuration-set.json", sv, "create-configuration-set", nil),
		rt.fileStep("skeleton-create-recommender-configuration.json", pp, "create-recommender-configuration", id("RECOMMENDER", "RecommenderConfigurationResponse", "Id")),
		{label: "exports bucket", service: "s3api", op: "create-bucket", doc: []byte(`{"Bucket": "exports"}`)},
	}
	for _, op := range []string{"email", "sms", "push", "voice", "in-app"} {
		p1 = append(p1, rt.fileStep("skeleton-create-"+op+"-template.json", pp, "create-"+op+"-template", nil))
	}
	rt.phase(p1...)

	// Phase 2: settings, channels, endpoints and base segments of both apps;
	// the corpus templates (one needs the recommender); the phone number
	// (needs the opt-out list).
	rt.phase(append(corpusTemplates(t, corpus),
		rt.fileStep("ppdg-update-application-settings.json", pp, "update-application-settings", nil),
		rt.fileStep("skeleton-update-application-settings.json", pp, "update-application-settings", nil),
		rt.fileStep("awscli-update-sms-channel.json", pp, "update-sms-channel", nil),
		rt.fileStep("awscli-update-email-channel.json", pp, "update-email-channel", nil),
		rt.fileStep("awscli-update-gcm-channel.json", pp, "update-gcm-channel", nil),
		rt.fileStep("awscli-update-voice-channel.json", pp, "update-voice-channel", nil),
		rt.fileStep("skeleton-update-apns-channel.json", pp, "update-apns-channel", nil),
		rt.fileStep("skeleton-update-email-channel.json", pp, "update-email-channel", nil),
		rt.fileStep("skeleton-update-gcm-channel.json", pp, "update-gcm-channel", nil),
		rt.fileStep("skeleton-update-sms-channel.json", pp, "update-sms-channel", nil),
		rt.fileStep("ppdg-update-endpoint.json", pp, "update-endpoint", nil),
		rt.fileStep("ppdg-update-endpoints-batch.json", pp, "update-endpoints-batch", nil),
		rt.fileStep("awscli-update-endpoint.json", pp, "update-endpoint", nil),
		rt.fileStep("skeleton-update-endpoint.json", pp, "update-endpoint", nil),
		rt.fileStep("skeleton-update-endpoints-batch.json", pp, "update-endpoints-batch", nil),
		rt.fileStep("segment-a-base.json", pp, "create-segment", id("SEG_A_BASE", "SegmentResponse", "Id")),
		rt.fileStep("segment-b-base.json", pp, "create-segment", id("SEG_B_BASE", "SegmentResponse", "Id")),
		rt.fileStep("eum-request-phone-number.json", sv, "request-phone-number", id("PHONE_ID", "PhoneNumberId")),
		rt.fileStep("eum-put-opted-out-number.json", sv, "put-opted-out-number", nil),
	)...)

	// Phase 3: what refers to segments, templates or the phone number.
	rt.phase(
		rt.fileStep("segment-a-base-v2.json", pp, "update-segment", nil),
		rt.fileStep("ppdg-create-segment.json", pp, "create-segment", nil),
		rt.fileStep("skeleton-create-segment.json", pp, "create-segment", nil),
		rt.fileStep("ppdg-create-campaign.json", pp, "create-campaign", nil),
		rt.fileStep("awscli-create-campaign.json", pp, "create-campaign", nil),
		rt.fileStep("skeleton-create-campaign.json", pp, "create-campaign", nil),
		rt.fileStep("journey-every-activity.json", pp, "create-journey", id("JOURNEY_A", "JourneyResponse", "Id")),
		rt.fileStep("journey-event-start.json", pp, "create-journey", nil),
		rt.fileStep("skeleton-create-journey.json", pp, "create-journey", nil),
		rt.fileStep("ppdg-create-export-job.json", pp, "create-export-job", nil),
		rt.fileStep("skeleton-create-export-job.json", pp, "create-export-job", nil),
		rt.fileStep("eum-create-pool.json", sv, "create-pool", id("POOL_ID", "PoolId")),
	)
	rt.phase(rt.fileStep("eum-put-keyword.json", sv, "put-keyword", nil))
	t.Logf("seeded %d objects with the aws CLI in %s", len(rt.log), time.Since(start).Round(time.Millisecond))

	// Read two objects back with the CLI while the scan runs: both only read.
	var cliBack sync.WaitGroup
	var journeyOut, segVerOut any
	var journeyErr, segVerErr error
	cliBack.Add(2)
	defer cliBack.Wait() // also when a check below stops the test
	go func() {
		defer cliBack.Done()
		journeyOut, journeyErr = cliJSON(rt, pp, "get-journey", "--application-id", rt.vars["APP_A"], "--journey-id", rt.vars["JOURNEY_A"])
	}()
	go func() {
		defer cliBack.Done()
		segVerOut, segVerErr = cliJSON(rt, pp, "get-segment-version", "--application-id", rt.vars["APP_A"], "--segment-id", rt.vars["SEG_A_BASE"], "--segment-version", "1")
	}()

	cfg := emutest.Config(url)
	inv, err := Scan(context.Background(), cfg, Options{
		ExportEndpoints: "s3://exports/p2c", ExportRoleARN: "arn:aws:iam::111122223333:role/export",
		ExportPoll: 20 * time.Millisecond, ExportTimeout: 10 * time.Second, MaxBackoff: 50 * time.Millisecond, KPIDays: -1,
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range inv.Warnings {
		t.Errorf("scan warning: %+v", w)
	}
	if len(inv.Regions) != 1 {
		t.Fatalf("regions: %d", len(inv.Regions))
	}
	r := inv.Regions[0]

	rt.checkPinpoint(inv, r)
	rt.checkEndpoints(cfg, r)
	rt.checkEUM(r)

	cliBack.Wait()
	if journeyErr != nil || segVerErr != nil {
		t.Fatalf("read back: %v %v", journeyErr, segVerErr)
	}
	a := rt.app(r, "APP_A")
	if j := findJourney(a, rt.vars["JOURNEY_A"]); j != nil {
		rt.sameAsCLI("get-journey", rt.pp, "JourneyResponse", journeyOut, j.Object)
	} else {
		t.Errorf("journey %s not in the inventory", rt.vars["JOURNEY_A"])
	}
	if s := findSegment(a, rt.vars["SEG_A_BASE"]); s != nil && len(s.Versions) > 0 {
		rt.sameAsCLI("get-segment-version", rt.pp, "SegmentResponse", segVerOut, s.Versions[0])
	} else {
		t.Errorf("segment %s has no versions in the inventory", rt.vars["SEG_A_BASE"])
	}
	t.Logf("seeded, scanned and compared in %s", time.Since(start).Round(time.Millisecond))
}

func cliJSON(rt *roundTrip, args ...string) (any, error) {
	out, err := emutest.CLIRaw(rt.t, rt.url, args...)
	if err != nil {
		return nil, fmt.Errorf("aws %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	var v any
	if err := json.Unmarshal(out, &v); err != nil {
		return nil, fmt.Errorf("aws %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return v, nil
}

// sameAsCLI compares a CLI GET output ({"JourneyResponse": {...}}, member
// names) with the bare wire object the inventory holds.
func (rt *roundTrip) sameAsCLI(what string, m *awsmodel.Model, wrapper string, cliOut any, got json.RawMessage) {
	rt.t.Helper()
	out, _ := cliOut.(map[string]any)
	inner, ok := out[wrapper]
	if !ok {
		rt.t.Errorf("%s: no %s in the CLI output", what, wrapper)
		return
	}
	want := m.ToWire(wrapper, inner)
	var g any
	if err := json.Unmarshal(got, &g); err != nil {
		rt.t.Fatal(err)
	}
	// Equal both ways: nothing missing, nothing extra.
	if containsJSON(rt.t, what+" (CLI ⊆ inventory)", want, g) {
		containsJSON(rt.t, what+" (inventory ⊆ CLI)", g, want)
	}
}

func (rt *roundTrip) app(r inventory.Region, v string) *inventory.App {
	for i := range r.Apps {
		if r.Apps[i].ID == rt.vars[v] {
			return &r.Apps[i]
		}
	}
	rt.t.Fatalf("app %s (%s) not in the inventory", v, rt.vars[v])
	return nil
}

func findJourney(a *inventory.App, id string) *inventory.Journey {
	for i := range a.Journeys {
		if a.Journeys[i].ID == id {
			return &a.Journeys[i]
		}
	}
	return nil
}

func findSegment(a *inventory.App, id string) *inventory.Segment {
	for i := range a.Segments {
		if a.Segments[i].ID == id {
			return &a.Segments[i]
		}
	}
	return nil
}

// payload returns the part of a CLI input that is the request body and
// the model shape it has.
func payload(m *awsmodel.Model, opName string, input map[string]any) (string, any) {
	in := m.InputShape(opName)
	if in.Payload != "" {
		return in.Members[in.Payload].Shape, input[in.Payload]
	}
	return m.Operations[opName].Input.Shape, input
}

// opName turns a CLI command into its operation name
// (create-in-app-template -> CreateInAppTemplate).
func opName(cmd string) string {
	var b strings.Builder
	for _, p := range strings.Split(cmd, "-") {
		b.WriteString(strings.ToUpper(p[:1]) + p[1:])
	}
	return b.String()
}

// expect checks one seeded object: the members sent (in wire names) that
// the read shape has must come back equal in got; a member the read shape
// does not have (write-only: secrets, parents, tags of EUM) must be listed
// in writeOnly, so that nothing is left unchecked by accident.
func (rt *roundTrip) expect(m *awsmodel.Model, label, sentShape string, sent any, readShape string, got json.RawMessage, writeOnly ...string) {
	rt.t.Helper()
	if len(got) == 0 {
		rt.t.Errorf("%s: not in the inventory", label)
		return
	}
	wire := m.ToWire(sentShape, sent)
	readable := m.Prune(readShape, wire)
	dropped := droppedPaths("", wire, readable)
	sort.Strings(dropped)
	for _, d := range dropped {
		if !slices.Contains(writeOnly, d) {
			rt.t.Errorf("%s: sent %s, which %s does not have: %v are known write-only", label, d, readShape, writeOnly)
		}
	}
	var g any
	if err := json.Unmarshal(got, &g); err != nil {
		rt.t.Fatalf("%s: %v", label, err)
	}
	containsJSON(rt.t, label, readable, g)
}

// droppedPaths lists the paths present in full but not in pruned.
func droppedPaths(path string, full, pruned any) []string {
	var out []string
	switch f := full.(type) {
	case map[string]any:
		p, _ := pruned.(map[string]any)
		for k, v := range f {
			sub := k
			if path != "" {
				sub = path + "." + k
			}
			pv, ok := p[k]
			if !ok {
				out = append(out, sub)
				continue
			}
			out = append(out, droppedPaths(sub, v, pv)...)
		}
	case []any:
		p, _ := pruned.([]any)
		for i, v := range f {
			if i < len(p) {
				out = append(out, droppedPaths(fmt.Sprintf("%s[%d]", path, i), v, p[i])...)
			}
		}
	}
	return out
}

// containsJSON reports whether sent is a subset of got: every object member
// of sent is in got with a value that contains it; lists have the same
// length and contain element by element; scalars are equal. It reports the
// first differing path.
func containsJSON(t *testing.T, path string, sent, got any) bool {
	t.Helper()
	if p, ok := firstDiff(path, sent, got); !ok {
		t.Errorf("%s", p)
		return false
	}
	return true
}

func firstDiff(path string, sent, got any) (string, bool) {
	switch s := sent.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			return fmt.Sprintf("%s: sent an object, got %s", path, short(got)), false
		}
		keys := make([]string, 0, len(s))
		for k := range s {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			gv, ok := g[k]
			if !ok {
				return fmt.Sprintf("%s.%s: sent %s, missing from the inventory", path, k, short(s[k])), false
			}
			if p, ok := firstDiff(path+"."+k, s[k], gv); !ok {
				return p, false
			}
		}
		return "", true
	case []any:
		g, ok := got.([]any)
		if !ok || len(g) != len(s) {
			return fmt.Sprintf("%s: sent %s, got %s", path, short(sent), short(got)), false
		}
		for i := range s {
			if p, ok := firstDiff(fmt.Sprintf("%s[%d]", path, i), s[i], g[i]); !ok {
				return p, false
			}
		}
		return "", true
	}
	if !reflect.DeepEqual(sent, got) {
		return fmt.Sprintf("%s: sent %s, got %s", path, short(sent), short(got)), false
	}
	return "", true
}

func short(v any) string {
	b, _ := json.Marshal(v)
	if len(b) > 120 {
		return string(b[:117]) + "..."
	}
	return string(b)
}

// cliChannelKinds maps the channel commands to inventory channel keys.
var cliChannelKinds = map[string]string{
	"update-sms-channel": "SMS", "update-email-channel": "EMAIL", "update-gcm-channel": "GCM",
	"update-voice-channel": "VOICE", "update-apns-channel": "APNS",
}

// channelSecrets are what a channel GET never returns.
var channelSecrets = map[string][]string{
	"GCM":  {"ApiKey"},
	"APNS": {"BundleId", "Certificate", "PrivateKey", "TeamId", "TokenKey", "TokenKeyId"},
}

// templateTypes maps the template commands to template types and GET shapes.
var templateTypes = map[string][2]string{
	"create-email-template":  {"EMAIL", "EmailTemplateResponse"},
	"create-sms-template":    {"SMS", "SMSTemplateResponse"},
	"create-push-template":   {"PUSH", "PushNotificationTemplateResponse"},
	"create-voice-template":  {"VOICE", "VoiceTemplateResponse"},
	"create-in-app-template": {"INAPP", "InAppTemplateResponse"},
}

type appCounts struct {
	segments, campaigns, journeys, exportJobs int
	versions                                  map[string]int // segment id -> versions
	channels                                  []string
}

func (rt *roundTrip) checkPinpoint(inv *inventory.Inventory, r inventory.Region) {
	t := rt.t
	apps := map[string]*appCounts{}
	counts := func(appID string) *appCounts {
		if apps[appID] == nil {
			apps[appID] = &appCounts{versions: map[string]int{}}
		}
		return apps[appID]
	}
	templates, recommenders := 0, 0
	m := rt.pp
	for _, c := range rt.log {
		if c.service != "pinpoint" {
			continue
		}
		sentShape, sent := payload(m, opName(c.op), c.input)
		appID := str(c.input, "ApplicationId")
		var a *inventory.App
		for i := range r.Apps {
			if r.Apps[i].ID == appID {
				a = &r.Apps[i]
			}
		}
		label := c.label
		switch {
		case c.op == "create-app":
			id := str(c.output, "ApplicationResponse", "Id")
			counts(id)
			for i := range r.Apps {
				if r.Apps[i].ID == id {
					rt.expect(m, label, sentShape, sent, "ApplicationResponse", r.Apps[i].Object)
				}
			}
		case a == nil && appID != "":
			t.Errorf("%s: app %s not in the inventory", label, appID)
		case c.op == "update-application-settings":
			// The metrics and event-tagging switches are not part of the
			// settings resource AWS returns.
			rt.expect(m, label, sentShape, sent, "ApplicationSettingsResource", a.Settings, "CloudWatchMetricsEnabled", "EventTaggingEnabled")
		case cliChannelKinds[c.op] != "":
			kind := cliChannelKinds[c.op]
			counts(appID).channels = append(counts(appID).channels, kind)
			out := m.OutputShape(opName(c.op))
			rt.expect(m, label, sentShape, sent, out.Members[out.Payload].Shape, a.Channels[kind], channelSecrets[kind]...)
		case c.op == "create-segment":
			id := str(c.output, "SegmentResponse", "Id")
			counts(appID).segments++
			counts(appID).versions[id]++
			if s := findSegment(a, id); s == nil || len(s.Versions) == 0 {
				t.Errorf("%s: segment %s not in the inventory", label, id)
			} else {
				rt.expect(m, label+" (version 1)", sentShape, sent, "SegmentResponse", s.Versions[0])
			}
		case c.op == "update-segment":
			id := str(c.input, "SegmentId")
			counts(appID).versions[id]++
			if s := findSegment(a, id); s == nil || len(s.Versions) < 2 {
				t.Errorf("%s: segment %s has no second version in the inventory", label, id)
			} else {
				rt.expect(m, label+" (version 2)", sentShape, sent, "SegmentResponse", s.Versions[1])
				rt.expect(m, label+" (latest)", sentShape, sent, "SegmentResponse", s.Object)
			}
		case c.op == "create-campaign":
			id := str(c.output, "CampaignResponse", "Id")
			counts(appID).campaigns++
			var got json.RawMessage
			for _, x := range a.Campaigns {
				if x.ID == id {
					got = x.Object
				}
			}
			rt.expect(m, label, sentShape, sent, "CampaignResponse", got)
		case c.op == "create-journey":
			id := str(c.output, "JourneyResponse", "Id")
			counts(appID).journeys++
			var got json.RawMessage
			if j := findJourney(a, id); j != nil {
				got = j.Object
			}
			rt.expect(m, label, sentShape, sent, "JourneyResponse", got)
		case c.op == "create-export-job":
			id := str(c.output, "ExportJobResponse", "Id")
			counts(appID).exportJobs++
			var got json.RawMessage
			for _, x := range a.ExportJobs {
				if x.ID == id {
					var job struct{ Definition json.RawMessage }
					_ = json.Unmarshal(x.Object, &job)
					got = job.Definition
				}
			}
			rt.expect(m, label, sentShape, sent, "ExportJobResource", got)
		case templateTypes[c.op][0] != "":
			templates++
			typ, shape := templateTypes[c.op][0], templateTypes[c.op][1]
			name := str(c.input, "TemplateName")
			var tmpl *inventory.Template
			for i := range r.Templates {
				if r.Templates[i].Name == name && r.Templates[i].Type == typ {
					tmpl = &r.Templates[i]
				}
			}
			if tmpl == nil {
				t.Errorf("%s: template %s/%s not in the inventory", label, typ, name)
				continue
			}
			rt.expect(m, label, sentShape, sent, shape, tmpl.Object)
			if len(tmpl.Versions) != 1 {
				t.Errorf("%s: %d versions, want 1", label, len(tmpl.Versions))
			} else {
				rt.expect(m, label+" (version 1)", sentShape, sent, shape, tmpl.Versions[0].Object)
			}
		case c.op == "create-recommender-configuration":
			recommenders++
			id := str(c.output, "RecommenderConfigurationResponse", "Id")
			var got json.RawMessage
			for _, x := range r.Recommenders {
				if x.ID == id {
					got = x.Object
				}
			}
			rt.expect(m, label, sentShape, sent, "RecommenderConfigurationResponse", got)
		case c.op == "update-endpoint" || c.op == "update-endpoints-batch":
			// checkEndpoints
		default:
			t.Errorf("%s: no check for %s", label, c.op)
		}
	}

	// Counts: exactly what was seeded, plus the one export job the scan
	// itself ran per app.
	if len(r.Apps) != len(apps) {
		t.Errorf("%d apps in the inventory, seeded %d", len(r.Apps), len(apps))
	}
	for _, a := range r.Apps {
		want := apps[a.ID]
		if want == nil {
			t.Errorf("app %s was not seeded", a.ID)
			continue
		}
		if len(a.Segments) != want.segments || len(a.Campaigns) != want.campaigns || len(a.Journeys) != want.journeys || len(a.ExportJobs) != want.exportJobs+1 {
			t.Errorf("app %s (%s): %d segments, %d campaigns, %d journeys, %d export jobs; seeded %d, %d, %d, %d (+1 by the scan)",
				a.ID, a.Name, len(a.Segments), len(a.Campaigns), len(a.Journeys), len(a.ExportJobs),
				want.segments, want.campaigns, want.journeys, want.exportJobs)
		}
		for _, s := range a.Segments {
			if len(s.Versions) != want.versions[s.ID] || s.Version != want.versions[s.ID] {
				t.Errorf("segment %s: %d versions (latest %d), seeded %d", s.ID, len(s.Versions), s.Version, want.versions[s.ID])
			}
		}
		sort.Strings(want.channels)
		if got := keys(a.Channels); !reflect.DeepEqual(sorted(got), want.channels) {
			t.Errorf("app %s channels %v, seeded %v", a.Name, sorted(got), want.channels)
		}
	}
	if len(r.Templates) != templates || len(r.Recommenders) != recommenders {
		t.Errorf("%d templates and %d recommenders in the inventory, seeded %d and %d", len(r.Templates), len(r.Recommenders), templates, recommenders)
	}
	if len(inv.Dangling) != 0 {
		t.Errorf("dangling references: %+v", inv.Dangling)
	}
}

func sorted(s []string) []string {
	sort.Strings(s)
	return s
}

// checkEndpoints reads the export files the scan's export job wrote and
// finds every endpoint the CLI sent in them.
func (rt *roundTrip) checkEndpoints(cfg aws.Config, r inventory.Region) {
	t := rt.t
	client := s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = true })
	for _, a := range r.Apps {
		ex := a.EndpointExport
		if ex == nil || ex.Status != "COMPLETED" {
			t.Errorf("app %s: endpoint export %+v", a.ID, ex)
			continue
		}
		got := map[string]json.RawMessage{}
		for _, key := range ex.Objects {
			bucket, _, _ := parseS3URL(ex.S3URLPrefix)
			out, err := client.GetObject(context.Background(), &s3.GetObjectInput{Bucket: &bucket, Key: aws.String(key)})
			if err != nil {
				t.Fatalf("read export s3://%s/%s: %v", bucket, key, err)
			}
			zr, err := gzip.NewReader(out.Body)
			if err != nil {
				t.Fatal(err)
			}
			sc := bufio.NewScanner(zr)
			sc.Buffer(nil, 1<<20)
			for sc.Scan() {
				line := append(json.RawMessage(nil), sc.Bytes()...)
				got[field(line, "Id")] = line
			}
			if err := sc.Err(); err != nil {
				t.Fatal(err)
			}
			out.Body.Close()
		}
		seeded := map[string]bool{}
		for _, c := range rt.log {
			if str(c.input, "ApplicationId") != a.ID {
				continue
			}
			switch c.op {
			case "update-endpoint":
				id := str(c.input, "EndpointId")
				seeded[id] = true
				rt.expect(rt.pp, c.label, "EndpointRequest", c.input["EndpointRequest"], "EndpointResponse", got[id])
			case "update-endpoints-batch":
				items, _ := c.input["EndpointBatchRequest"].(map[string]any)["Item"].([]any)
				for i, it := range items {
					id := str(it, "Id")
					seeded[id] = true
					rt.expect(rt.pp, fmt.Sprintf("%s Item[%d]", c.label, i), "EndpointBatchItem", it, "EndpointResponse", got[id])
				}
			}
		}
		if len(got) != len(seeded) || a.EndpointStats == nil || a.EndpointStats.Total != int64(len(seeded)) {
			t.Errorf("app %s: %d endpoints exported (stats %+v), seeded %d", a.Name, len(got), a.EndpointStats, len(seeded))
		}
	}
}

// defaultKeywords are the keywords every origination identity has.
var defaultKeywords = []string{"HELP", "STOP"}

func (rt *roundTrip) checkEUM(r inventory.Region) {
	t := rt.t
	m := rt.sv
	e := r.EUM
	var wantPhones, wantPools, wantLists, wantSets int
	wantKeywords := map[string][]string{}
	wantOptedOut := map[string]int{}
	for _, c := range rt.log {
		if c.service != "pinpoint-sms-voice-v2" {
			continue
		}
		shape, sent := payload(m, opName(c.op), c.input)
		switch c.op {
		case "request-phone-number":
			wantPhones++
			id := str(c.output, "PhoneNumberId")
			wantKeywords[id] = append(wantKeywords[id], defaultKeywords...)
			rt.expect(m, c.label, shape, sent, "PhoneNumberInformation", objectByID(e.PhoneNumbers, id), "Tags")
		case "create-pool":
			wantPools++
			id := str(c.output, "PoolId")
			wantKeywords[id] = append(wantKeywords[id], defaultKeywords...)
			var pool *inventory.Pool
			for i := range e.Pools {
				if e.Pools[i].ID == id {
					pool = &e.Pools[i]
				}
			}
			if pool == nil {
				t.Errorf("%s: pool %s not in the inventory", c.label, id)
				continue
			}
			// The origination identity and its country are read through
			// ListPoolOriginationIdentities.
			rt.expect(m, c.label, shape, sent, "PoolInformation", pool.Object, "IsoCountryCode", "OriginationIdentity", "Tags")
			if len(pool.OriginationIdentities) != 1 {
				t.Errorf("%s: %d origination identities, want 1", c.label, len(pool.OriginationIdentities))
			} else {
				var oi any
				_ = json.Unmarshal(pool.OriginationIdentities[0], &oi)
				containsJSON(t, c.label+" identity", map[string]any{"OriginationIdentity": sent.(map[string]any)["OriginationIdentity"],
					"IsoCountryCode": sent.(map[string]any)["IsoCountryCode"]}, oi)
			}
		case "create-opt-out-list":
			wantLists++
			name := str(c.input, "OptOutListName")
			var got json.RawMessage
			for _, l := range e.OptOutLists {
				if l.Name == name {
					got = l.Object
				}
			}
			rt.expect(m, c.label, shape, sent, "OptOutListInformation", got, "Tags")
		case "put-opted-out-number":
			name := str(c.input, "OptOutListName")
			wantOptedOut[name]++
			var got json.RawMessage
			for _, l := range e.OptOutLists {
				for _, n := range l.OptedOutNumbers {
					if l.Name == name && field(n, "OptedOutNumber") == str(c.input, "OptedOutNumber") {
						got = n
					}
				}
			}
			rt.expect(m, c.label, shape, sent, "OptedOutNumberInformation", got, "OptOutListName")
		case "create-configuration-set":
			wantSets++
			rt.expect(m, c.label, shape, sent, "ConfigurationSetInformation", objectByID(e.ConfigurationSets, str(c.input, "ConfigurationSetName")), "Tags")
		case "put-keyword":
			owner := str(c.input, "OriginationIdentity")
			wantKeywords[owner] = append(wantKeywords[owner], str(c.input, "Keyword"))
			var got json.RawMessage
			for _, k := range e.Keywords {
				for _, kw := range k.Keywords {
					if k.OriginationIdentity == owner && field(kw, "Keyword") == str(c.input, "Keyword") {
						got = kw
					}
				}
			}
			rt.expect(m, c.label, shape, sent, "KeywordInformation", got, "OriginationIdentity")
		default:
			t.Errorf("%s: no check for %s", c.label, c.op)
		}
	}
	// The account's default opt-out list exists without being created.
	lists := 0
	for _, l := range e.OptOutLists {
		if l.Name != "Default" {
			lists++
		}
		if len(l.OptedOutNumbers) != wantOptedOut[l.Name] {
			t.Errorf("opt-out list %s: %d numbers, seeded %d", l.Name, len(l.OptedOutNumbers), wantOptedOut[l.Name])
		}
	}
	if len(e.PhoneNumbers) != wantPhones || len(e.Pools) != wantPools || lists != wantLists || len(e.ConfigurationSets) != wantSets ||
		len(e.SenderIDs) != 0 || len(e.Registrations) != 0 {
		t.Errorf("EUM: %d numbers, %d pools, %d opt-out lists, %d configuration sets, %d sender ids, %d registrations; seeded %d, %d, %d, %d, 0, 0",
			len(e.PhoneNumbers), len(e.Pools), lists, len(e.ConfigurationSets), len(e.SenderIDs), len(e.Registrations), wantPhones, wantPools, wantLists, wantSets)
	}
	got := map[string][]string{}
	for _, k := range e.Keywords {
		for _, kw := range k.Keywords {
			got[k.OriginationIdentity] = append(got[k.OriginationIdentity], field(kw, "Keyword"))
		}
	}
	for id := range wantKeywords {
		sort.Strings(wantKeywords[id])
		sort.Strings(got[id])
	}
	if !reflect.DeepEqual(got, wantKeywords) {
		t.Errorf("keywords %v, want %v", got, wantKeywords)
	}
}

func objectByID(objs []inventory.Object, id string) json.RawMessage {
	for _, o := range objs {
		if o.ID == id {
			return o.Object
		}
	}
	return nil
}
