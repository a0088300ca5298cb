package cli

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/p2c/p2c/internal/iampolicy"
)

type iamPolicyOptions struct {
	For string
}

func newIAMPolicyCmd(g *GlobalOptions) *cobra.Command {
	o := &iamPolicyOptions{}
	cmd := &cobra.Command{
		Use:   "iam-policy",
		Short: "Print the least-privilege IAM policy for the calls p2c makes",
		Long: `Print an IAM policy document allowing exactly the calls p2c makes for scan, apply or rollback
(or all three). The list comes from the code paths themselves: the scanner's table of calls and
the apply engine's provisioners (creates, lookups before create, undo calls), each checked in
tests against the calls sent to the emulator. One statement per service, actions sorted.

Scanning with --export-endpoints also needs iam:PassRole on the export role, limited to
Pinpoint; the export role's own policy (s3:PutObject on the bucket) is not part of this one.
Resources are "*": narrow them to your account's ARNs if your policy rules require it.`,
		Example: `  p2c iam-policy --for scan > p2c-scan-policy.json
  p2c iam-policy --for all`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if !slices.Contains(iampolicy.Purposes, o.For) {
				return usageError{fmt.Errorf("--for must be one of %s, not %q", strings.Join(iampolicy.Purposes, ", "), o.For)}
			}
			doc, err := iampolicy.Build(o.For)
			if err != nil {
				return fmt.Errorf("build the policy: %w", err)
			}
			// The document is JSON whatever --output says: it is meant
			// for IAM, not for reading.
			enc := json.NewEncoder(g.Stdout)
			enc.SetIndent("", "  ")
			return enc.Encode(doc)
		},
	}
	cmd.Flags().StringVar(&o.For, "for", "all", "which calls: scan, apply, rollback or all")
	return cmd
}
