package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/p2c/p2c/internal/blueprint"
	"github.com/p2c/p2c/internal/engine"
	"github.com/p2c/p2c/internal/target"
)

type applyOptions struct {
	*GlobalOptions
	Step        string
	DryRun      bool
	Yes         bool
	Concurrency int
	// Client replaces the target client (tests).
	Client engine.Caller
}

func newApplyCmd(g *GlobalOptions) *cobra.Command {
	opts := &applyOptions{GlobalOptions: g}
	cmd := &cobra.Command{
		Use:   "apply",
		Short: "Create the plan's resources in the target account, resumably",
		Long: `Execute exactly the plan.json of the workspace against the target account.

apply refuses a plan whose inputs (inventory.json, assessment.json, decisions.yaml) changed
since it was made, and a plan.json edited after its first apply. Steps waiting on open decisions
are not applied (they are named), nor are the steps that depend on them; every other step is.

Steps run in dependency order, a few independent ones at a time. Each create first looks its
resource up by its deterministic name: what an earlier run made (tagged p2c:step) is adopted,
anything else of that name fails the step and is left alone. Each step's outcome is written to
the journal (state.db) before the steps that depend on it start, and every mutating call is
appended to audit.jsonl. An interrupted run resumes where it stopped: run apply again.

Only one apply runs in a workspace at a time (apply.lock; p2c unlock removes a stale one).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runApply(cmd.Context(), opts)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.Step, "step", "", "apply only this step (its dependencies must be done)")
	f.BoolVar(&opts.DryRun, "dry-run", false, "print what would run; make no calls")
	f.BoolVar(&opts.Yes, "yes", false, "do not ask for confirmation")
	f.IntVar(&opts.Concurrency, "concurrency", engine.DefaultConcurrency, "independent steps run at once")
	return cmd
}

// loadPlan reads the workspace's plan.json and decisions.yaml.
func loadPlan(dir string) (*blueprint.Plan, []byte, map[string]string, error) {
	path := filepath.Join(dir, "plan.json")
	raw, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil, nil, fmt.Errorf("no plan at %s: run p2c plan first", path)
	}
	if err != nil {
		return nil, nil, nil, fmt.Errorf("read plan: %w", err)
	}
	p := &blueprint.Plan{}
	if err := json.Unmarshal(raw, p); err != nil {
		return nil, nil, nil, fmt.Errorf("%s: not a plan: %w", path, err)
	}
	if p.SchemaVersion != blueprint.SchemaVersion {
		return nil, nil, nil, fmt.Errorf("%s: schemaVersion %d, this p2c reads %d: run p2c plan again", path, p.SchemaVersion, blueprint.SchemaVersion)
	}
	dec, _, err := blueprint.ReadDecisions(filepath.Join(dir, "decisions.yaml"))
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, nil, nil, err
	}
	return p, raw, engine.Answers(dec), nil
}

func runApply(ctx context.Context, o *applyOptions) error {
	dir, err := o.workspaceDir()
	if err != nil {
		return err
	}
	p, raw, answers, err := loadPlan(dir)
	if err != nil {
		return err
	}
	if err := engine.CheckInputs(dir, p); err != nil {
		return err
	}
	if o.Concurrency < 1 {
		return usageError{fmt.Errorf("--concurrency must be at least 1")}
	}
	if !o.DryRun && !o.Yes {
		if err := confirmApply(o, p); err != nil {
			return err
		}
	}
	client := o.Client
	if client == nil && !o.DryRun {
		cfg, err := o.awsConfig(ctx)
		if err != nil {
			return err
		}
		client = target.NewClient(cfg)
	}
	if client != nil {
		// Prerequisites first: an answer naming an instance, a number, a
		// knowledge base or a domain that does not exist would fail steps
		// halfway; refuse before anything changes.
		if err := checkPrerequisites(ctx, dir, client); err != nil {
			return err
		}
	}
	eo := engine.Options{Dir: dir, Plan: p, PlanBytes: raw, Answers: answers, Client: client, Step: o.Step, DryRun: o.DryRun,
		Concurrency: o.Concurrency}
	var bar *progressbar.ProgressBar
	if isTerminal(o.Stderr) && !o.DryRun {
		eo.Events = func(e engine.Event) {
			if bar == nil {
				bar = progressbar.NewOptions(e.Total, progressbar.OptionSetWriter(o.Stderr), progressbar.OptionSetDescription("apply"),
					progressbar.OptionShowCount(), progressbar.OptionClearOnFinish())
			}
			_ = bar.Set(e.Done)
		}
	} else if o.Verbose {
		eo.Events = func(e engine.Event) { o.Logf("%d/%d %s %s", e.Done, e.Total, e.Status, e.Step) }
	}
	res, err := engine.Apply(ctx, eo)
	if bar != nil {
		_ = bar.Finish()
	}
	if err != nil {
		return err
	}
	if err := printApply(o.GlobalOptions, res, dir); err != nil {
		return err
	}
	if res.Counts.Failed > 0 {
		return &exitError{code: ExitError, msg: fmt.Sprintf("%d step(s) failed; the others are journaled: fix the cause and run p2c apply again (p2c status shows the journal)", res.Counts.Failed)}
	}
	return nil
}

// checkPrerequisites looks up, read-only, the existing resources the
// decisions name (as plan --check-existing does) and refuses apply when one
// is missing, naming the decision.
func checkPrerequisites(ctx context.Context, dir string, client target.Caller) error {
	dec, _, err := blueprint.ReadDecisions(filepath.Join(dir, "decisions.yaml"))
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if _, err := blueprint.CheckExisting(ctx, dec, target.Checker{Client: client}); err != nil {
		return fmt.Errorf("a prerequisite is missing in the target account, nothing was changed: %w", err)
	}
	return nil
}

// confirmApply asks before the target account is changed.
func confirmApply(o *applyOptions, p *blueprint.Plan) error {
	if !isTerminal(o.Stdin) {
		return usageError{errors.New("apply changes the target account and stdin is not a terminal to confirm it: pass --yes")}
	}
	regions := map[string]bool{}
	var rs []string
	for _, s := range p.Steps {
		if !regions[s.Region] {
			regions[s.Region] = true
			rs = append(rs, s.Region)
		}
	}
	what := fmt.Sprintf("%d steps of plan.json", len(p.Steps))
	if o.Step != "" {
		what = "step " + o.Step
	}
	fmt.Fprintf(o.Stderr, "Apply %s to the target account in %s? [y/N] ", what, strings.Join(rs, ", "))
	line, _ := bufio.NewReader(o.Stdin).ReadString('\n')
	switch strings.ToLower(strings.TrimSpace(line)) {
	case "y", "yes":
		return nil
	}
	return &exitError{code: ExitError, msg: "apply cancelled: nothing was changed"}
}

func isTerminal(v any) bool {
	f, ok := v.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

var applyMarks = map[string]string{
	engine.ActCreate: "+ created", engine.ActAdopt: "= adopted", engine.ActFail: "x failed", engine.ActWait: "! waits",
	engine.ActBlocked: "- blocked", engine.ActCheck: "? checked", engine.ActReconcile: "~ reconcile",
}

func printApply(g *GlobalOptions, res *engine.Result, dir string) error {
	if g.JSON() {
		enc := json.NewEncoder(g.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(res)
	}
	w := g.Stdout
	if res.DryRun {
		fmt.Fprintln(w, "Dry run: no calls are made.")
	}
	for _, s := range res.Steps {
		mark := applyMarks[s.Action]
		if mark == "" || (s.Action == engine.ActCheck && !res.DryRun) {
			continue
		}
		if res.DryRun && s.Action == engine.ActCreate {
			mark = "+ create"
		}
		line := fmt.Sprintf("  %-12s %s", mark, s.ID)
		switch {
		case s.Error != "":
			line += ": " + s.Error
		case len(s.WaitsOn) > 0:
			line += "  (decision " + strings.Join(s.WaitsOn, ", ") + ")"
		case s.Note != "" && s.Action != engine.ActCreate:
			line += "  (" + s.Note + ")"
		}
		fmt.Fprintln(w, line)
	}
	c := res.Counts
	verb := "Applied"
	if res.DryRun {
		verb = "Would apply"
	}
	fmt.Fprintf(w, "%s: %d created, %d adopted, %d unchanged, %d checked, %d failed, %d waiting on decisions, %d blocked, %d skipped.\n",
		verb, c.Created, c.Adopted, c.Unchanged, c.Checked, c.Failed, c.Waiting, c.Blocked, c.Skipped)
	if len(res.Waiting) > 0 {
		fmt.Fprintf(w, "Open decisions (%d): answer them in %s, run p2c plan, then p2c apply again:\n", len(res.Waiting), filepath.Join(dir, "decisions.yaml"))
		for _, wt := range res.Waiting {
			fmt.Fprintf(w, "  %s (%d steps)\n", wt.Decision, len(wt.Steps))
		}
	}
	if !res.DryRun {
		fmt.Fprintf(w, "Journal: %s  Audit log: %s\n", filepath.Join(dir, engine.JournalFile), filepath.Join(dir, engine.AuditFile))
	}
	return nil
}
