package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/p2c/p2c/internal/artifact"
	"github.com/p2c/p2c/internal/assess"
	"github.com/p2c/p2c/internal/inventory"
	"github.com/p2c/p2c/internal/report"
)

type assessOptions struct {
	*GlobalOptions
	FailOn  string
	ShowPII bool
}

func newAssessCmd(g *GlobalOptions) *cobra.Command {
	opts := &assessOptions{GlobalOptions: g}
	cmd := &cobra.Command{
		Use:   "assess",
		Short: "Classify the inventory: destinations, gaps, readiness; write assessment.json and the report",
		Long: `Read inventory.json from the workspace and decide, per workload (campaign, journey, segment,
template, channel, event stream, app settings, endpoint population, recommender, IaC file),
where it goes (connect, end-user-messaging, ses, none) and what it takes (direct, transform,
redesign, manual), with a stable rule id per finding. Writes assessment.json, report.html
(one self-contained file) and report.md. The report shows no customer data.

The exit code is 0 even with findings; --fail-on redesign|manual exits 4 when a finding of
that class or worse exists, for pipelines.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runAssess(opts)
		},
	}
	cmd.Flags().StringVar(&opts.FailOn, "fail-on", "", "exit 4 when a finding of this class or worse exists: redesign or manual")
	cmd.Flags().BoolVar(&opts.ShowPII, "show-pii", false, "allow customer data in the report (off: endpoints appear only as counts)")
	return cmd
}

// assessResult is what assess prints.
type assessResult struct {
	Assessment string                `json:"assessment"`
	ReportHTML string                `json:"reportHtml"`
	ReportMD   string                `json:"reportMd"`
	Summary    assess.Summary        `json:"summary"`
	Apps       []assess.AppReadiness `json:"apps"`
}

func runAssess(o *assessOptions) error {
	if o.FailOn != "" && o.FailOn != assess.Redesign && o.FailOn != assess.Manual {
		return usageError{fmt.Errorf("--fail-on must be redesign or manual, not %q", o.FailOn)}
	}
	dir, err := o.workspaceDir()
	if err != nil {
		return err
	}
	invPath := filepath.Join(dir, "inventory.json")
	data, err := os.ReadFile(invPath)
	if errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("no inventory at %s: run p2c scan first", invPath)
	}
	if err != nil {
		return fmt.Errorf("read inventory: %w", err)
	}
	inv, err := inventory.Parse(invPath, data)
	if err != nil {
		return err
	}
	a := assess.Assess(inv, data, assess.Options{Tool: "p2c " + Version})
	out, err := json.MarshalIndent(a, "", "  ")
	if err != nil {
		return fmt.Errorf("encode assessment: %w", err)
	}
	res := assessResult{Assessment: filepath.Join(dir, "assessment.json"), ReportHTML: filepath.Join(dir, "report.html"),
		ReportMD: filepath.Join(dir, "report.md"), Summary: a.Summary, Apps: a.Apps}
	if err := artifact.Write(res.Assessment, append(out, '\n')); err != nil {
		return err
	}
	ropts := report.Options{ShowPII: o.ShowPII}
	html, err := report.HTML(a, inv, ropts)
	if err != nil {
		return fmt.Errorf("render report.html: %w", err)
	}
	if err := artifact.Write(res.ReportHTML, html); err != nil {
		return err
	}
	md, err := report.Markdown(a, inv, ropts)
	if err != nil {
		return fmt.Errorf("render report.md: %w", err)
	}
	if err := artifact.Write(res.ReportMD, md); err != nil {
		return err
	}
	if err := printAssessment(o.GlobalOptions, res, a); err != nil {
		return err
	}
	if o.FailOn != "" {
		n := 0
		for _, f := range a.Findings {
			if assess.ClassRank[f.Class] >= assess.ClassRank[o.FailOn] {
				n++
			}
		}
		if n > 0 {
			return &exitError{code: ExitFindings, msg: fmt.Sprintf("%d findings of class %s or worse (--fail-on %s)", n, o.FailOn, o.FailOn)}
		}
	}
	return nil
}

func printAssessment(g *GlobalOptions, res assessResult, a *assess.Assessment) error {
	if g.JSON() {
		enc := json.NewEncoder(g.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(res)
	}
	w := tabwriter.NewWriter(g.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintf(w, "Assessment written to %s\nReport: %s (and %s)\n\n", res.Assessment, res.ReportHTML, res.ReportMD)
	fmt.Fprintf(w, "%d workloads: %s\n", a.Summary.Workloads, counts(a.Summary.ByDestination))
	fmt.Fprintf(w, "by gap class: %s\n", counts(a.Summary.ByClass))
	fmt.Fprintf(w, "%d findings from %d rules: %s\n\n", total(a.Summary.Findings), a.Summary.Rules, counts(a.Summary.Findings))
	fmt.Fprintf(w, "APP\tREGION\tCOMPLEXITY\tDIRECT\tTRANSFORM\tREDESIGN\tMANUAL\n")
	for _, ar := range a.Apps {
		fmt.Fprintf(w, "%s\t%s\t%d\t%d\t%d\t%d\t%d\n", ar.Name, ar.Region, ar.Complexity, ar.ByClass[assess.Direct], ar.ByClass[assess.Trans], ar.ByClass[assess.Redesign], ar.ByClass[assess.Manual])
	}
	if len(a.Checklist) > 0 {
		fmt.Fprintf(w, "\nFirst human actions (%d in all, in order, in the report):\n", len(a.Checklist))
		for i, c := range a.Checklist {
			if i == 5 {
				break
			}
			fmt.Fprintf(w, "  %d. [%s] %s\n", c.Order, c.Phase, c.Action)
		}
	}
	return w.Flush()
}

func counts(m map[string]int) string {
	var parts []string
	for k, v := range m {
		parts = append(parts, fmt.Sprintf("%d %s", v, k))
	}
	sort.Strings(parts)
	return strings.Join(parts, ", ")
}

func total(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}
