package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/p2c/p2c/internal/engine"
	"github.com/p2c/p2c/internal/target"
)

type rollbackOptions struct {
	*GlobalOptions
	Step string
	All  bool
	Yes  bool
	// Client replaces the target client (tests).
	Client engine.Caller
}

func newRollbackCmd(g *GlobalOptions) *cobra.Command {
	opts := &rollbackOptions{GlobalOptions: g}
	cmd := &cobra.Command{
		Use:   "rollback (--step ID | --all)",
		Short: "Remove what apply created, as the journal records it",
		Long: `Remove only what the journal (state.db) says p2c created, dependents before what they
depend on, with the delete call the journal recorded for each step. Steps whose rollback policy
is retain are kept and listed with their reason, unless they live inside a resource removed here
(a template's version goes with its template). A running campaign is stopped before it is deleted.
Rolled-back steps are marked rolled-back; p2c apply makes them again.

--step removes one step, refused while done steps depend on it. Every call is appended to
audit.jsonl; rollback takes the same workspace lock as apply.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runRollback(cmd.Context(), opts)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.Step, "step", "", "roll back only this step")
	f.BoolVar(&opts.All, "all", false, "roll back every step p2c created")
	f.BoolVar(&opts.Yes, "yes", false, "do not ask for confirmation")
	return cmd
}

func runRollback(ctx context.Context, o *rollbackOptions) error {
	if (o.Step == "") == !o.All {
		return usageError{errors.New("rollback needs exactly one of --step ID or --all")}
	}
	dir, err := o.workspaceDir()
	if err != nil {
		return err
	}
	if _, _, err := engine.ReadJournal(dir); err != nil {
		return err
	}
	p, _, _, err := loadPlan(dir)
	if err != nil {
		return fmt.Errorf("rollback reads the steps' dependencies from the plan: %w", err)
	}
	if !o.Yes {
		if !isTerminal(o.Stdin) {
			return usageError{errors.New("rollback deletes resources in the target account and stdin is not a terminal to confirm it: pass --yes")}
		}
		what := "every resource p2c created"
		if o.Step != "" {
			what = "step " + o.Step
		}
		fmt.Fprintf(o.Stderr, "Remove %s from the target account? [y/N] ", what)
		line, _ := bufio.NewReader(o.Stdin).ReadString('\n')
		if a := strings.ToLower(strings.TrimSpace(line)); a != "y" && a != "yes" {
			return &exitError{code: ExitError, msg: "rollback cancelled: nothing was changed"}
		}
	}
	client := o.Client
	if client == nil {
		cfg, err := o.awsConfig(ctx)
		if err != nil {
			return err
		}
		client = target.NewClient(cfg)
	}
	res, rerr := engine.Rollback(ctx, engine.RollbackOptions{Dir: dir, Plan: p, Client: client, Step: o.Step, All: o.All})
	if res != nil {
		if err := printRollback(o.GlobalOptions, res); err != nil {
			return err
		}
	}
	if rerr != nil && res == nil {
		return rerr
	}
	if rerr != nil {
		return fmt.Errorf("%w: what was removed is journaled; fix the cause and run p2c rollback again", rerr)
	}
	return nil
}

var rollbackMarks = map[string]string{
	engine.RbRemoved: "- removed", engine.RbGone: "- gone", engine.RbWith: "- with", engine.RbNothing: "- cleared",
	engine.RbRetain: "= kept", engine.RbFailed: "x failed",
}

func printRollback(g *GlobalOptions, res *engine.RollbackResult) error {
	if g.JSON() {
		enc := json.NewEncoder(g.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(res)
	}
	w := g.Stdout
	for _, s := range res.Steps {
		line := fmt.Sprintf("  %-10s %s", rollbackMarks[s.Action], s.ID)
		switch {
		case s.Error != "":
			line += ": " + s.Error
		case s.Reason != "":
			line += "  (" + s.Reason + ")"
		}
		fmt.Fprintln(w, line)
	}
	fmt.Fprintf(w, "Rolled back: %d removed, %d kept, %d failed.\n", res.Removed, res.Retained, res.Failed)
	return nil
}
