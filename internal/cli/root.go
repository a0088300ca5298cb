// Package cli holds p2c's commands: one file per command, each with an
// options struct and a run function.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/spf13/cobra"
)

// Exit codes; docs/exit-codes.md lists them for users.
const (
	ExitOK       = 0 // the command did what was asked
	ExitError    = 1 // it failed; stderr says why
	ExitUsage    = 2 // the command line was wrong
	ExitWarnings = 3 // it finished, but --strict turned warnings into failure
	ExitFindings = 4 // assess found findings of the --fail-on class or worse
)

// Version is set at build time with -ldflags "-X .../cli.Version=...".
var Version = "dev"

// GlobalOptions are the flags every command takes.
type GlobalOptions struct {
	Workspace string
	Profile   string
	Region    string
	Output    string
	Verbose   bool

	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
}

// usageError marks errors in the command line itself.
type usageError struct{ error }

// exitError carries a specific exit code without another message.
type exitError struct {
	code int
	msg  string
}

func (e *exitError) Error() string { return e.msg }

// JSON reports whether machine output was asked for.
func (g *GlobalOptions) JSON() bool { return g.Output == "json" }

// Logf prints progress chatter to stderr when -v is set.
func (g *GlobalOptions) Logf(format string, args ...any) {
	if g.Verbose {
		fmt.Fprintf(g.Stderr, format+"\n", args...)
	}
}

// Main runs p2c with the given arguments and returns the process exit code.
func Main(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	g := &GlobalOptions{Stdin: stdin, Stdout: stdout, Stderr: stderr}
	root := newRootCmd(g)
	root.SetArgs(args)
	root.SetOut(stdout)
	root.SetErr(stderr)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := root.ExecuteContext(ctx)
	if err == nil {
		return ExitOK
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.msg != "" {
			fmt.Fprintln(stderr, "p2c: "+ee.msg)
		}
		return ee.code
	}
	fmt.Fprintln(stderr, "p2c: "+oneLine(err))
	var ue usageError
	if errors.As(err, &ue) || isCobraUsage(err) {
		fmt.Fprintln(stderr, "Run 'p2c --help' for usage.")
		return ExitUsage
	}
	return ExitError
}

// oneLine keeps an error on one line, as scripts read stderr by line.
func oneLine(err error) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(err.Error(), "\n", " ")), " ")
}

func isCobraUsage(err error) bool {
	s := err.Error()
	for _, p := range []string{"unknown command", "unknown flag", "unknown shorthand flag", "flag needs an argument", "invalid argument", "accepts ", "requires at least", "required flag"} {
		if strings.Contains(s, p) {
			return true
		}
	}
	return false
}

func newRootCmd(g *GlobalOptions) *cobra.Command {
	root := &cobra.Command{
		Use:           "p2c",
		Short:         "Migrate Amazon Pinpoint to Amazon Connect, End User Messaging and SES",
		Long:          "p2c moves an Amazon Pinpoint footprint to Amazon Connect (Customer Profiles, outbound campaigns,\nmessage templates), AWS End User Messaging and Amazon SES, one explicit, reviewable step at a time.",
		Version:       Version,
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRunE: func(cmd *cobra.Command, args []string) error {
			if g.Output != "text" && g.Output != "json" {
				return usageError{fmt.Errorf("--output must be text or json, not %q", g.Output)}
			}
			return nil
		},
	}
	pf := root.PersistentFlags()
	pf.StringVar(&g.Workspace, "workspace", ".", "folder holding the migration's artifacts (created 0700; files 0600)")
	pf.StringVar(&g.Profile, "profile", "", "AWS shared-config profile (default: AWS_PROFILE or the default chain)")
	pf.StringVar(&g.Region, "region", "", "AWS region (default: AWS_REGION / the profile's region)")
	pf.StringVarP(&g.Output, "output", "o", "text", "output format: text or json")
	pf.BoolVarP(&g.Verbose, "verbose", "v", false, "print progress details to stderr")
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error { return usageError{err} })
	root.AddCommand(newEmulatorCmd(g), newScanCmd(g), newAssessCmd(g), newPlanCmd(g), newDecideCmd(g), newDemoCmd(g),
		newApplyCmd(g), newStatusCmd(g), newUnlockCmd(g), newIAMPolicyCmd(g), newVerifyCmd(g), newRollbackCmd(g), newProfilesCmd(g))
	return root
}
