package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/spf13/cobra"

	"github.com/p2c/p2c/internal/blueprint"
	"github.com/p2c/p2c/internal/emulator"
	"github.com/p2c/p2c/internal/emulator/demoseed"
	"github.com/p2c/p2c/internal/engine"
	"github.com/p2c/p2c/internal/inventory"
	"github.com/p2c/p2c/internal/profiles"
	"github.com/p2c/p2c/internal/source/live"
	"github.com/p2c/p2c/internal/source/saved"
	"github.com/p2c/p2c/internal/target"
)

// demoBucket receives the demo's endpoint export.
const demoBucket = "p2c-demo-exports"

type demoOptions struct {
	*GlobalOptions
	Retired bool
}

func newDemoCmd(g *GlobalOptions) *cobra.Command {
	opts := &demoOptions{GlobalOptions: g}
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Run the migration pipeline against the built-in emulator seeded with a realistic account",
		Long: `Start the emulator in-process with the demo seed (a retail company with three Pinpoint apps,
segments, campaigns, journeys, templates, channels, End User Messaging numbers and 10,000+
endpoints, and its Connect side ready: instances with outbound campaigns, knowledge bases, verified SES
domains, imported numbers, journey flows) and run the pipeline against it: scan with an endpoint export,
assess, plan, answering decisions with the target account's resources and every other with its
suggestion (a rehearsal), then apply the plan to the emulator without asking (as apply --yes) and
verify it; last, move the exported endpoints into each domain apply created (p2c profiles
transform, load, verify). Every call goes to the in-process emulator, whatever the AWS environment says: nothing
reaches AWS.
Artifacts go to the workspace (default ./p2c-demo).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if !cmd.Flags().Changed("workspace") {
				opts.Workspace = "p2c-demo"
			}
			return runDemo(cmd, opts)
		},
	}
	cmd.Flags().BoolVar(&opts.Retired, "retired", false, "play Pinpoint after its end of support (engagement APIs answer retired)")
	return cmd
}

func runDemo(cmd *cobra.Command, o *demoOptions) error {
	ctx := cmd.Context()
	start := time.Now()
	fmt.Fprintln(o.Stderr, "demo: starting the emulator with the demo seed")
	e, vars, err := seeded(emulator.Options{Retired: o.Retired}, "demo")
	if err != nil {
		return err
	}
	if err := e.S3.CreateBucket(demoBucket); err != nil {
		return fmt.Errorf("demo: create export bucket: %w", err)
	}
	run, err := e.Start("127.0.0.1:0")
	if err != nil {
		return err
	}
	defer run.Close()
	fmt.Fprintf(o.Stderr, "demo: emulator listening on %s\n", run.URL)

	cfg := aws.Config{
		Region:       "us-east-1",
		Credentials:  credentials.NewStaticCredentialsProvider("AKIDDEMO", "demo-secret", ""),
		BaseEndpoint: aws.String(run.URL),
	}
	path, err := o.artifact("inventory.json")
	if err != nil {
		return err
	}
	fmt.Fprintln(o.Stderr, "demo: scanning (p2c scan --export-endpoints s3://"+demoBucket+"/endpoints)")
	inv, err := live.Scan(ctx, cfg, live.Options{
		Regions:         []string{"us-east-1", "eu-west-1"},
		ExportEndpoints: "s3://" + demoBucket + "/endpoints",
		ExportRoleARN:   "arn:aws:iam::111122223333:role/p2c-demo-export",
		ExportPoll:      50 * time.Millisecond,
		Tool:            "p2c " + Version,
	})
	if err != nil {
		return fmt.Errorf("demo: scan: %w", err)
	}
	markLive(inv)
	inv = inventory.Merge([]*inventory.Inventory{inv})
	if err := inventory.Write(path, inv); err != nil {
		return err
	}
	// With --output json the demo prints one document: the assessment's.
	if !o.JSON() {
		sum := scanSummary{Summary: inventory.Summarize(inv)}
		sum.Inventory = path
		if err := printScanSummary(o.GlobalOptions, sum); err != nil {
			return err
		}
	}
	fmt.Fprintln(o.Stderr, "demo: assessing (p2c assess)")
	if !o.JSON() {
		fmt.Fprintln(o.Stdout)
	}
	if err := runAssess(&assessOptions{GlobalOptions: o.GlobalOptions}); err != nil {
		return fmt.Errorf("demo: assess: %w", err)
	}
	// Answers naming target resources are checked against the emulator, as
	// p2c plan --check-existing checks them against AWS.
	client := demoClient(cfg)
	checker := target.Checker{Client: client}
	if err := demoPlan(cmd, o, vars, checker); err != nil {
		return err
	}
	failure := demoApplyVerify(ctx, o, client)
	if failure == nil {
		failure = demoProfiles(ctx, o, cfg, client, inv)
	}
	abs, _ := filepath.Abs(filepath.Dir(path))
	if !o.JSON() {
		fmt.Fprintf(o.Stdout, "\nDemo finished in %s.\nReport: %s\nArtifacts: %s\n", time.Since(start).Round(time.Millisecond),
			filepath.Join(abs, "report.html"), abs)
	}
	return failure
}

// demoClient is the target client of the demo: every call goes to the
// in-process emulator, whatever AWS_ENDPOINT_URL* or
// AWS_IGNORE_CONFIGURED_ENDPOINT_URLS say, so the demo never reaches AWS.
func demoClient(cfg aws.Config) *target.Client {
	c := target.NewClient(cfg)
	c.Endpoint = aws.ToString(cfg.BaseEndpoint)
	return c
}

// demoApplyVerify applies the plan to the emulator, as p2c apply --yes
// does (no prompt: only the demo's own emulator changes), then verifies
// it, as p2c verify does, and prints one line for each. With --output
// json it prints nothing: the results are in the workspace (state.db,
// audit.jsonl, verify.json).
func demoApplyVerify(ctx context.Context, o *demoOptions, client engine.Caller) error {
	dir, err := o.workspaceDir()
	if err != nil {
		return err
	}
	p, raw, answers, err := loadPlan(dir)
	if err != nil {
		return fmt.Errorf("demo: apply: %w", err)
	}
	fmt.Fprintln(o.Stderr, "demo: applying the plan to the emulator (p2c apply --yes)")
	res, err := engine.Apply(ctx, engine.Options{Dir: dir, Plan: p, PlanBytes: raw, Answers: answers, Client: client,
		Concurrency: engine.DefaultConcurrency})
	if err != nil {
		return fmt.Errorf("demo: apply: %w", err)
	}
	c := res.Counts
	if !o.JSON() {
		fmt.Fprintf(o.Stdout, "\nApplied %d steps to the emulator: %d created", len(p.Steps), c.Created)
		if n := c.Adopted + c.Unchanged + c.Checked; n > 0 {
			fmt.Fprintf(o.Stdout, ", %d adopted, unchanged or checked", n)
		}
		if c.Skipped > 0 {
			fmt.Fprintf(o.Stdout, ", %d with nothing to create", c.Skipped)
		}
		fmt.Fprintf(o.Stdout, ", %d failed, %d waiting on decisions, %d blocked.\n", c.Failed, c.Waiting, c.Blocked)
		for _, s := range res.Steps {
			if s.Error != "" {
				fmt.Fprintf(o.Stdout, "  x failed     %s: %s\n", s.ID, s.Error)
			}
		}
	}
	fmt.Fprintln(o.Stderr, "demo: verifying (p2c verify)")
	vres, err := engine.Verify(ctx, engine.VerifyOptions{Dir: dir, Plan: p, Answers: answers, Client: client})
	if err != nil {
		return fmt.Errorf("demo: verify: %w", err)
	}
	v := vres.Counts
	if !o.JSON() {
		verdict := "passed"
		if !vres.Passed {
			verdict = "FAILED"
		}
		fmt.Fprintf(o.Stdout, "Verify %s: %d ok, %d drift, %d missing", verdict, v.OK, v.Drift, v.Missing)
		if v.Errors > 0 {
			fmt.Fprintf(o.Stdout, ", %d unreadable", v.Errors)
		}
		fmt.Fprintf(o.Stdout, " (%s).\n", filepath.Join(dir, engine.VerifyFile))
	}
	switch {
	case c.Failed > 0:
		return &exitError{code: ExitError, msg: fmt.Sprintf("demo: apply: %d step(s) failed against the emulator (details in %s)",
			c.Failed, filepath.Join(dir, engine.AuditFile))}
	case !vres.Passed:
		return &exitError{code: ExitError, msg: fmt.Sprintf("demo: verify failed: %d drifted, %d missing, %d unreadable (details in %s)",
			v.Drift, v.Missing, v.Errors, filepath.Join(dir, engine.VerifyFile))}
	}
	return nil
}

// demoPlan plans the demo as a rehearsal: plan, answer the decisions the
// target account has resources for with them (the Connect instance,
// knowledge base, imported numbers, journey flows: demoseed.DemoAnswers)
// and every other with p2c's suggestion, plan again until answers bring no
// new questions, then print the plan and how much of it is ready to apply
// (text output only; with --output json the demo prints the assessment
// alone).
func demoPlan(cmd *cobra.Command, o *demoOptions, vars map[string]string, checker blueprint.Checker) error {
	fmt.Fprintln(o.Stderr, "demo: planning (p2c plan, then p2c decide with the target account's resources and --accept-suggested for the rest: a rehearsal)")
	quiet := &planOptions{GlobalOptions: o.GlobalOptions, Checker: checker, quiet: true}
	fromTarget := 0
	for round := 0; round < 5; round++ {
		if err := runPlan(cmd.Context(), quiet); err != nil {
			return fmt.Errorf("demo: plan: %w", err)
		}
		n, t, err := demoDecide(o, vars)
		if err != nil {
			return fmt.Errorf("demo: decide: %w", err)
		}
		fromTarget += t
		if n == 0 {
			break
		}
	}
	if o.JSON() {
		return runPlan(cmd.Context(), quiet)
	}
	fmt.Fprintln(o.Stdout)
	if err := runPlan(cmd.Context(), &planOptions{GlobalOptions: o.GlobalOptions, Checker: checker}); err != nil {
		return err
	}
	return printReadiness(o, fromTarget)
}

// demoDecide answers the open decisions of decisions.yaml: those the
// target account has a resource for with it, the rest with p2c's
// suggestion. It returns how many it answered, and how many of those
// from the target.
func demoDecide(o *demoOptions, vars map[string]string) (answered, fromTarget int, err error) {
	dir, err := o.workspaceDir()
	if err != nil {
		return 0, 0, err
	}
	d, _, err := blueprint.ReadDecisions(filepath.Join(dir, "decisions.yaml"))
	if err != nil {
		return 0, 0, err
	}
	answers := demoseed.DemoAnswers(vars, d.Open())
	keys := make([]string, 0, len(answers))
	for k := range answers {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	args := make([]string, len(keys))
	for i, k := range keys {
		args[i] = k + "=" + answers[k]
	}
	n, err := acceptSuggested(&decideOptions{GlobalOptions: o.GlobalOptions, Answers: args, quiet: true})
	return n, len(args), err
}

// printReadiness says how much of the demo plan apply can run and what
// still waits on a person.
func printReadiness(o *demoOptions, fromTarget int) error {
	dir, err := o.workspaceDir()
	if err != nil {
		return err
	}
	path := filepath.Join(dir, "plan.json")
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("read plan: %w", err)
	}
	var p blueprint.Plan
	if err := json.Unmarshal(data, &p); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	ready := 0
	for _, st := range p.Steps {
		if len(st.WaitsOn) == 0 {
			ready++
		}
	}
	fmt.Fprintf(o.Stdout, "\nDemo decisions: %d answered from the target account (Connect instance, knowledge base, imported numbers, flows) "+
		"and the rehearsal's own choices (journey end times, Firehose streams for event destinations), the rest with p2c's suggestions.\n"+
		"Ready to apply: %d of %d steps", fromTarget, ready, len(p.Steps))
	if open := len(p.OpenDecisions); open > 0 {
		fmt.Fprintf(o.Stdout, "; %d wait on %d open decisions (%s)", len(p.Steps)-ready, open, strings.Join(p.OpenDecisions, ", "))
	}
	fmt.Fprintln(o.Stdout, ".")
	return nil
}

// demoProfiles moves the demo's endpoint export into the domains apply
// created, as p2c profiles transform, load (API) and verify do: for each
// done PinpointEndpoint object type, the exports of the apps it maps are
// transformed into <workspace>/profiles/<domain>/ (with the load journal
// in profiles-load/<domain>/ and the report profiles-verify.json beside
// the records), and one line per domain says what arrived. The emulator
// has its quotas off: the calls go as fast as it answers.
func demoProfiles(ctx context.Context, o *demoOptions, cfg aws.Config, client *target.Client, inv *inventory.Inventory) error {
	dir, err := o.workspaceDir()
	if err != nil {
		return err
	}
	p, _, _, err := loadPlan(dir)
	if err != nil {
		return fmt.Errorf("demo: profiles: %w", err)
	}
	_, recs, err := engine.ReadJournal(dir)
	if err != nil {
		return fmt.Errorf("demo: profiles: %w", err)
	}
	exports := map[string]string{} // region/app → export prefix
	for _, r := range inv.Regions {
		for _, a := range r.Apps {
			if a.EndpointExport != nil && a.EndpointExport.Status == "COMPLETED" {
				exports[r.Name+"/"+a.ID] = a.EndpointExport.S3URLPrefix
			}
		}
	}
	steps := map[string]blueprint.Step{}
	for _, st := range p.Steps {
		steps[st.ID] = st
	}
	store := saved.S3Store{Client: s3.NewFromConfig(cfg, func(so *s3.Options) { so.UsePathStyle = true })}
	fmt.Fprintln(o.Stderr, "demo: moving the exported endpoints into Customer Profiles (p2c profiles transform, load, verify)")
	if !o.JSON() {
		fmt.Fprintln(o.Stdout)
	}
	var failed []string
	for _, r := range recs {
		st, ok := steps[r.ID]
		if r.Kind != blueprint.KindObjectType || r.Status != engine.StatusDone || !ok || st.Name != blueprint.ProfileObjectTypeName {
			continue
		}
		var from []string
		for _, src := range st.Sources {
			if x := exports[src.Region+"/"+src.App]; src.Kind == "endpoints" && x != "" {
				from = append(from, x)
			}
		}
		if len(from) == 0 {
			continue
		}
		t, err := resolveProfilesTarget(dir, demoSpecDomain(st), st.Region, "")
		if err != nil {
			return fmt.Errorf("demo: profiles: %w", err)
		}
		var spec struct{ Fields map[string]json.RawMessage }
		_ = json.Unmarshal(st.Spec, &spec)
		fields := map[string]bool{}
		for f := range spec.Fields {
			fields[f] = true
		}
		out := filepath.Join(dir, profilesOutDir, t.Domain)
		t0 := time.Now()
		sum, err := profiles.Transform(ctx, profiles.TransformOptions{From: from, Out: out, S3: store, Build: profiles.BuildOptions{ObjectFields: fields}})
		if err != nil {
			return fmt.Errorf("demo: profiles transform: %w", err)
		}
		t1 := time.Now()
		ls, err := profiles.Load(ctx, profiles.LoadOptions{From: []string{out}, JournalDir: filepath.Join(dir, profilesJournalDir, t.Domain),
			Region: t.Region, Domain: t.Domain, ObjectType: t.ObjectType, Client: client, Method: profiles.MethodAPI, Rate: demoRate, Workers: 64})
		if err != nil {
			return fmt.Errorf("demo: profiles load: %w", err)
		}
		t2 := time.Now()
		rep, err := profiles.Verify(ctx, profiles.VerifyOptions{From: []string{out}, Region: t.Region, Domain: t.Domain, Client: client,
			Seed: 1, Segments: t.Segments, Rate: demoRate, Workers: 16})
		if err != nil {
			return fmt.Errorf("demo: profiles verify: %w", err)
		}
		fmt.Fprintf(o.Stderr, "demo: profiles %s: transform %s, load %s, verify %s\n", t.Domain, t1.Sub(t0).Round(time.Millisecond),
			t2.Sub(t1).Round(time.Millisecond), time.Since(t2).Round(time.Millisecond))
		vpath := filepath.Join(out, profiles.VerifyFile)
		if err := profilesWriteJSON(vpath, rep); err != nil {
			return err
		}
		verdict := "passed"
		if !rep.OK {
			verdict = "FAILED"
			failed = append(failed, vpath)
		}
		if !o.JSON() {
			fmt.Fprintf(o.Stdout, "Profiles %s (%s): %d endpoints → %d profiles (%d lines rejected, %d repaired), %d loaded, %d failed; "+
				"verify %s: %d in the domain, sample %d/%d matched, %d opted-out profiles in none of %d segments.\n",
				t.Domain, t.Region, sum.Endpoints, sum.Profiles, sum.Rejected, sum.Repaired, ls.Loaded, ls.Failed,
				verdict, demoDomainCount(rep), rep.Sample.Matched, rep.Sample.Size, rep.Consent.OptedOutProfiles, demoSegmentsChecked(rep))
		}
		if ls.Failed > 0 {
			return &exitError{code: ExitError, msg: fmt.Sprintf("demo: profiles load: %d record(s) failed against the emulator", ls.Failed)}
		}
	}
	if len(failed) > 0 {
		return &exitError{code: ExitError, msg: "demo: profiles verify failed (details in " + strings.Join(failed, ", ") + ")"}
	}
	return nil
}

// demoRate is the demo's call rate: the emulator runs without quotas.
const demoRate = 1e6

// demoSpecDomain is the domain an object-type step writes to.
func demoSpecDomain(st blueprint.Step) string {
	var spec struct{ DomainName string }
	_ = json.Unmarshal(st.Spec, &spec)
	return spec.DomainName
}

// demoSegmentsChecked counts the segments the consent proof checked
// (helper segments are not audiences).
func demoSegmentsChecked(r *profiles.VerifyReport) int {
	n := 0
	for _, s := range r.Consent.Segments {
		if s.Status == "ok" {
			n++
		}
	}
	return n
}

func demoDomainCount(r *profiles.VerifyReport) int64 {
	for _, c := range r.Counts {
		if c.What == "profiles" {
			return c.Target
		}
	}
	return -1
}
