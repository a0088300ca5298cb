package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/p2c/p2c/internal/engine"
	"github.com/p2c/p2c/internal/target"
)

type verifyOptions struct {
	*GlobalOptions
	// Client replaces the target client (tests).
	Client engine.Caller
}

func newVerifyCmd(g *GlobalOptions) *cobra.Command {
	opts := &verifyOptions{GlobalOptions: g}
	return &cobra.Command{
		Use:   "verify",
		Short: "Check that what apply created is still there, as planned",
		Long: `Read back every resource the journal (state.db) says p2c created and compare it member by
member with the spec apply sent. A resource changed outside p2c is drift (the members are named),
one that is gone is missing, and a step not applied yet (waiting on an open decision, failed)
is a prerequisite not met. The report is written to verify.json.

Exit status 1 when anything drifted or is missing.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runVerify(cmd.Context(), opts)
		},
	}
}

func runVerify(ctx context.Context, o *verifyOptions) error {
	dir, err := o.workspaceDir()
	if err != nil {
		return err
	}
	vo := engine.VerifyOptions{Dir: dir, Client: o.Client}
	// The plan only names the decisions pending steps wait on: verify
	// works from the journal without it.
	if p, _, answers, err := loadPlan(dir); err == nil {
		vo.Plan, vo.Answers = p, answers
	} else {
		o.Logf("verify: %v", err)
	}
	if _, _, err := engine.ReadJournal(dir); err != nil {
		return err
	}
	if vo.Client == nil {
		cfg, err := o.awsConfig(ctx)
		if err != nil {
			return err
		}
		vo.Client = target.NewClient(cfg)
	}
	res, err := engine.Verify(ctx, vo)
	if err != nil {
		return err
	}
	if err := printVerify(o.GlobalOptions, res, dir); err != nil {
		return err
	}
	if !res.Passed {
		return &exitError{code: ExitError, msg: fmt.Sprintf("verify failed: %d drifted, %d missing, %d unreadable (details in %s)",
			res.Counts.Drift, res.Counts.Missing, res.Counts.Errors, filepath.Join(dir, engine.VerifyFile))}
	}
	return nil
}

var verifyMarks = map[string]string{
	engine.VerifyDrift: "x drift", engine.VerifyMissing: "x missing", engine.VerifyPrereq: "! not met", "error": "x error",
}

func printVerify(g *GlobalOptions, res *engine.VerifyResult, dir string) error {
	if g.JSON() {
		enc := json.NewEncoder(g.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(res)
	}
	w := g.Stdout
	for _, s := range res.Steps {
		mark := verifyMarks[s.Status]
		if mark == "" {
			continue
		}
		fmt.Fprintf(w, "  %-11s %s", mark, s.ID)
		switch {
		case len(s.Differences) > 0:
			var d []string
			for _, x := range s.Differences {
				d = append(d, fmt.Sprintf("%s: want %s, got %s", x.Path, compact(x.Want), compact(x.Got)))
			}
			fmt.Fprintf(w, ": %s", strings.Join(d, "; "))
		case s.Note != "":
			fmt.Fprintf(w, ": %s", s.Note)
		}
		fmt.Fprintln(w)
	}
	c := res.Counts
	verdict := "passed"
	if !res.Passed {
		verdict = "FAILED"
	}
	fmt.Fprintf(w, "Verify %s: %d as planned, %d drifted, %d missing, %d prerequisites not met, %d not read back, %d rolled back, %d skipped.\n",
		verdict, c.OK, c.Drift, c.Missing, c.Prereq, c.NotRead, c.RolledBack, c.Skipped)
	fmt.Fprintf(w, "Report: %s\n", filepath.Join(dir, engine.VerifyFile))
	return nil
}

func compact(v any) string {
	if v == nil {
		return "nothing"
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	if len(b) > 80 {
		return string(b[:77]) + "..."
	}
	return string(b)
}
