package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"

	"github.com/spf13/cobra"

	"github.com/p2c/p2c/internal/artifact"
	"github.com/p2c/p2c/internal/assess"
	"github.com/p2c/p2c/internal/blueprint"
	"github.com/p2c/p2c/internal/inventory"
	"github.com/p2c/p2c/internal/target"
)

type planOptions struct {
	*GlobalOptions
	Format string
	// Checker confirms that answers name existing resources; nil skips
	// that check (no AWS access in this build of the command).
	Checker blueprint.Checker
	// CheckExisting asks the target account whether answers naming
	// resources (instances, numbers, knowledge bases, domains) exist.
	CheckExisting bool
	// quiet suppresses the printout (the demo prints its own).
	quiet bool
}

func newPlanCmd(g *GlobalOptions) *cobra.Command {
	opts := &planOptions{GlobalOptions: g}
	cmd := &cobra.Command{
		Use:   "plan",
		Short: "Build the migration blueprint: plan.json, decisions.yaml and optional CloudFormation",
		Long: `Read inventory.json, assessment.json and decisions.yaml (optional on the first run) from the
workspace and write plan.json: every target resource as a step in the target API's own request
shape, with where it came from, what was transformed and why, its dependencies, its rollback
policy and the decisions it waits on. decisions.yaml is rewritten with every open question
added and every given answer kept. The plan refuses an assessment made from another inventory.

Each step prints with its mark: + create, ~ update, = no-op, - delete, ! waits on a decision.
With --format cloudformation the plan is also written as CloudFormation templates under
cloudformation/ in the workspace: one stack per app plus one shared stack per region.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runPlan(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringVar(&opts.Format, "format", "", "also write the plan as: cloudformation")
	cmd.Flags().BoolVar(&opts.CheckExisting, "check-existing", false, "check with the target account (read-only calls) that answers naming resources name existing ones")
	return cmd
}

// planResult is what plan prints with --output json.
type planResult struct {
	Plan           string            `json:"plan"`
	Decisions      string            `json:"decisions"`
	CloudFormation string            `json:"cloudformation,omitempty"`
	Templates      []string          `json:"templates,omitempty"`
	Summary        blueprint.Summary `json:"summary"`
	OpenDecisions  []string          `json:"openDecisions"`
	QuotasOver     int               `json:"quotasOver"`
	Notes          []string          `json:"notes,omitempty"`
}

func runPlan(ctx context.Context, o *planOptions) error {
	if o.Format != "" && o.Format != "cloudformation" {
		return usageError{fmt.Errorf("--format must be cloudformation, not %q", o.Format)}
	}
	if o.CheckExisting && o.Checker == nil {
		cfg, err := o.awsConfig(ctx)
		if err != nil {
			return err
		}
		o.Checker = target.Checker{Client: target.NewClient(cfg)}
	}
	dir, err := o.workspaceDir()
	if err != nil {
		return err
	}
	invPath := filepath.Join(dir, "inventory.json")
	invBytes, err := os.ReadFile(invPath)
	if errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("no inventory at %s: run p2c scan first", invPath)
	}
	if err != nil {
		return fmt.Errorf("read inventory: %w", err)
	}
	inv, err := inventory.Parse(invPath, invBytes)
	if err != nil {
		return err
	}
	asmPath := filepath.Join(dir, "assessment.json")
	asmBytes, err := os.ReadFile(asmPath)
	if errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("no assessment at %s: run p2c assess first", asmPath)
	}
	if err != nil {
		return fmt.Errorf("read assessment: %w", err)
	}
	asm, err := parseAssessment(asmPath, asmBytes)
	if err != nil {
		return err
	}
	decPath := filepath.Join(dir, "decisions.yaml")
	dec, decBytes, err := blueprint.ReadDecisions(decPath)
	if errors.Is(err, os.ErrNotExist) {
		dec, decBytes, err = nil, nil, nil
	}
	if err != nil {
		return err
	}
	p, decided, err := blueprint.Build(&blueprint.Input{
		Inventory: inv, InventoryBytes: invBytes,
		Assessment: asm, AssessmentBytes: asmBytes,
		Decisions: dec, DecisionsBytes: decBytes,
		Tool: "p2c " + Version,
	})
	if err != nil {
		return err
	}
	if err := blueprint.CheckDecisions(decPath, decBytes, decided); err != nil {
		return err
	}
	res := planResult{Plan: filepath.Join(dir, "plan.json"), Decisions: decPath, Summary: p.Summary, OpenDecisions: p.OpenDecisions}
	if res.OpenDecisions == nil {
		res.OpenDecisions = []string{}
	}
	note, err := blueprint.CheckExisting(ctx, decided, o.Checker)
	if err != nil {
		return fmt.Errorf("%s: %w", decPath, err)
	}
	if note != "" && len(decided.Questions) > len(decided.Open()) {
		res.Notes = append(res.Notes, note)
	}
	newDec, err := blueprint.MarshalDecisions(decided)
	if err != nil {
		return err
	}
	p.BindDecisions(newDec)
	planBytes, err := json.MarshalIndent(p, "", "  ")
	if err != nil {
		return fmt.Errorf("encode plan: %w", err)
	}
	if err := artifact.Write(res.Plan, append(planBytes, '\n')); err != nil {
		return err
	}
	if err := artifact.Write(decPath, newDec); err != nil {
		return err
	}
	for _, q := range p.Quotas {
		if !q.OK {
			res.QuotasOver++
		}
	}
	if o.Format == "cloudformation" {
		cfDir := filepath.Join(dir, "cloudformation")
		files, err := blueprint.CloudFormation(p, decided)
		if err != nil {
			return fmt.Errorf("cloudformation: %w", err)
		}
		if err := writeTemplates(cfDir, files); err != nil {
			return err
		}
		res.CloudFormation = cfDir
		res.Templates = sortedFileNames(files)
	}
	if o.quiet {
		return nil
	}
	return printPlan(o.GlobalOptions, res, p)
}

// parseAssessment reads assessment.json with one clear line for a broken
// file (truncated copies are the usual case).
func parseAssessment(name string, data []byte) (*assess.Assessment, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	var raw json.RawMessage
	if err := dec.Decode(&raw); err != nil {
		var se *json.SyntaxError
		switch {
		case len(bytes.TrimSpace(data)) == 0:
			return nil, fmt.Errorf("%s: empty file: run p2c assess again", name)
		case errors.Is(err, io.ErrUnexpectedEOF):
			return nil, fmt.Errorf("%s: truncated JSON: file ends at byte %d in the middle of a value: run p2c assess again", name, len(data))
		case errors.As(err, &se):
			return nil, fmt.Errorf("%s: invalid JSON at byte %d: %v", name, se.Offset, se)
		default:
			return nil, fmt.Errorf("%s: invalid JSON: %w", name, err)
		}
	}
	a := &assess.Assessment{}
	if err := json.Unmarshal(raw, a); err != nil {
		return nil, fmt.Errorf("%s: not an assessment: %w", name, err)
	}
	if a.SchemaVersion != assess.SchemaVersion {
		return nil, fmt.Errorf("%s: schemaVersion %d, this p2c reads %d: run p2c assess again", name, a.SchemaVersion, assess.SchemaVersion)
	}
	if a.InventorySHA256 == "" {
		return nil, fmt.Errorf("%s: no inventorySha256: not an assessment written by p2c assess", name)
	}
	return a, nil
}

// writeTemplates replaces the templates under dir: files of an earlier
// plan that this one no longer has are removed, others left alone.
func writeTemplates(dir string, files map[string][]byte) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("create %s: %w", dir, err)
	}
	old, _ := filepath.Glob(filepath.Join(dir, "*.template.json"))
	for _, f := range old {
		if _, keep := files[filepath.Base(f)]; !keep {
			if err := os.Remove(f); err != nil {
				return fmt.Errorf("remove stale template: %w", err)
			}
		}
	}
	for _, name := range sortedFileNames(files) {
		if err := artifact.Write(filepath.Join(dir, name), files[name]); err != nil {
			return err
		}
	}
	return nil
}

func sortedFileNames(files map[string][]byte) []string {
	out := make([]string, 0, len(files))
	for k := range files {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func printPlan(g *GlobalOptions, res planResult, p *blueprint.Plan) error {
	if g.JSON() {
		enc := json.NewEncoder(g.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(res)
	}
	fmt.Fprintf(g.Stdout, "Plan written to %s\nDecisions: %s\n", res.Plan, res.Decisions)
	if res.CloudFormation != "" {
		fmt.Fprintf(g.Stdout, "CloudFormation: %s (%d files; see README.txt there)\n", res.CloudFormation, len(res.Templates))
	}
	fmt.Fprintln(g.Stdout)
	if err := blueprint.RenderText(g.Stdout, p); err != nil {
		return err
	}
	for _, n := range res.Notes {
		fmt.Fprintf(g.Stdout, "Note: %s.\n", n)
	}
	if len(p.OpenDecisions) > 0 {
		fmt.Fprintf(g.Stdout, "\nNext: answer the open decisions in %s (or p2c decide KEY=VALUE), then run p2c plan again.\n", res.Decisions)
	}
	return nil
}
