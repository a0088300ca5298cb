package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/p2c/p2c/internal/engine"
)

func newUnlockCmd(g *GlobalOptions) *cobra.Command {
	return &cobra.Command{
		Use:   "unlock",
		Short: "Remove the workspace's apply lock left by an apply that no longer runs",
		Long: `Remove apply.lock from the workspace. Use it when an apply was killed on another machine or
its lock survived otherwise; a lock of a dead process on this host is taken over by the next
apply without it. Removing the lock of an apply that still runs lets two applies race: p2c warns
when the owner is alive on this host.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			dir, err := g.workspaceDir()
			if err != nil {
				return err
			}
			o, err := engine.Unlock(dir)
			if err != nil {
				return err
			}
			if o == nil {
				fmt.Fprintln(g.Stdout, "The workspace is not locked.")
				return nil
			}
			if o.Alive() {
				fmt.Fprintf(g.Stderr, "warning: the lock's owner, pid %d, is still running on this host: if it is a p2c apply, two applies now run at once\n", o.PID)
			}
			fmt.Fprintf(g.Stdout, "Removed the lock held by %s.\n", o)
			return nil
		},
	}
}
