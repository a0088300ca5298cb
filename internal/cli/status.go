package cli

import (
	"encoding/json"
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/p2c/p2c/internal/engine"
)

func newStatusCmd(g *GlobalOptions) *cobra.Command {
	return &cobra.Command{
		Use:   "status",
		Short: "Show the apply journal: steps done, pending, failed, rolled back",
		Long: `Read the workspace's journal (state.db) and show every step of the applied plan with its
status (pending, running, done, failed, rolled-back, skipped), the resource it made and when.
A step shown as running was interrupted: the next p2c apply looks it up in the target first.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runStatus(g)
		},
	}
}

type statusResult struct {
	Plan   string           `json:"planSha256"`
	Counts map[string]int   `json:"counts"`
	Steps  []*engine.Record `json:"steps"`
}

func runStatus(g *GlobalOptions) error {
	dir, err := g.workspaceDir()
	if err != nil {
		return err
	}
	plan, recs, err := engine.ReadJournal(dir)
	if err != nil {
		return err
	}
	res := statusResult{Plan: plan, Counts: map[string]int{}, Steps: recs}
	if res.Steps == nil {
		res.Steps = []*engine.Record{}
	}
	for _, r := range recs {
		res.Counts[r.Status]++
	}
	if g.JSON() {
		enc := json.NewEncoder(g.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(res)
	}
	fmt.Fprintf(g.Stdout, "Plan %s: %d steps: %d done, %d pending, %d running (interrupted), %d failed, %d rolled back, %d skipped.\n",
		short(plan), len(recs), res.Counts[engine.StatusDone], res.Counts[engine.StatusPending], res.Counts[engine.StatusRunning],
		res.Counts[engine.StatusFailed], res.Counts[engine.StatusRolledBack], res.Counts[engine.StatusSkipped])
	tw := tabwriter.NewWriter(g.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "STATUS\tSTEP\tRESOURCE\tFINISHED")
	for _, r := range recs {
		res := r.ARN
		if res == "" {
			res = r.ResourceID
		}
		if r.Error != "" {
			res = "error: " + r.Error
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", r.Status, r.ID, res, r.FinishedAt)
	}
	return tw.Flush()
}

func short(h string) string {
	if len(h) > 12 {
		return h[:12]
	}
	return h
}
