package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/p2c/p2c/internal/inventory"
	"github.com/p2c/p2c/internal/source/live"
)

type scanOptions struct {
	*GlobalOptions
	Regions         []string
	ExportEndpoints string
	ExportRoleARN   string
	Concurrency     int
	KPIDays         int
	Strict          bool
}

func newScanCmd(g *GlobalOptions) *cobra.Command {
	opts := &scanOptions{GlobalOptions: g}
	cmd := &cobra.Command{
		Use:   "scan",
		Short: "Inventory every Pinpoint and End User Messaging resource into inventory.json",
		Long: `Read every Pinpoint resource of every app (settings, channels, event streams, segments and
their versions, campaigns and their versions, journeys, templates and their versions,
recommenders, import/export jobs, KPIs for the last 90 days) and the End User Messaging
SMS and voice v2 resources, and write them losslessly to inventory.json in the workspace.

An operation that answers "retired" (Pinpoint's end of support) or "access denied" is
recorded as a fact and the scan goes on. With --export-endpoints, an endpoint export job
runs per app and its files are summarized into endpoint statistics (counts only: no
addresses are printed).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runScan(cmd, opts)
		},
	}
	f := cmd.Flags()
	f.StringSliceVar(&opts.Regions, "regions", nil, "regions to scan, comma separated (default: the configured region)")
	f.StringVar(&opts.ExportEndpoints, "export-endpoints", "", "s3://BUCKET/PREFIX to export every app's endpoints to, for endpoint statistics")
	f.StringVar(&opts.ExportRoleARN, "export-role-arn", "", "IAM role Pinpoint assumes to write the export (required with --export-endpoints)")
	f.IntVar(&opts.Concurrency, "concurrency", 8, "requests in flight at most")
	f.IntVar(&opts.KPIDays, "kpi-days", 90, "days of KPIs to read (0 turns KPI reads off)")
	f.BoolVar(&opts.Strict, "strict", false, "exit with code 3 when the scan recorded warnings")
	return cmd
}

func runScan(cmd *cobra.Command, o *scanOptions) error {
	if o.ExportEndpoints != "" && o.ExportRoleARN == "" {
		return usageError{fmt.Errorf("--export-endpoints needs --export-role-arn: Pinpoint writes the export as that role")}
	}
	if o.Concurrency < 1 {
		return usageError{fmt.Errorf("--concurrency must be at least 1")}
	}
	ctx := cmd.Context()
	cfg, err := o.awsConfig(ctx)
	if err != nil {
		return err
	}
	path, err := o.artifact("inventory.json")
	if err != nil {
		return err
	}
	kpiDays := o.KPIDays
	if kpiDays == 0 {
		kpiDays = -1
	}
	var progress io.Writer
	if o.Verbose {
		progress = o.Stderr
	}
	inv, err := live.Scan(ctx, cfg, live.Options{
		Regions: o.Regions, Concurrency: o.Concurrency, ExportEndpoints: o.ExportEndpoints, ExportRoleARN: o.ExportRoleARN,
		KPIDays: kpiDays, Progress: progress, Tool: "p2c " + Version,
	})
	if err != nil {
		return err
	}
	if err := inventory.Write(path, inv); err != nil {
		return err
	}
	sum := inventory.Summarize(inv)
	sum.Inventory = path
	if err := printScanSummary(o.GlobalOptions, sum); err != nil {
		return err
	}
	for _, w := range inv.Warnings {
		fmt.Fprintf(o.Stderr, "warning: %s\n", formatWarning(w))
	}
	if o.Strict && len(inv.Warnings) > 0 {
		return &exitError{code: ExitWarnings, msg: fmt.Sprintf("%d warnings and --strict is set", len(inv.Warnings))}
	}
	return nil
}

func formatWarning(w inventory.Warning) string {
	var parts []string
	for _, p := range []string{w.Region, w.Operation, w.Resource} {
		if p != "" {
			parts = append(parts, p)
		}
	}
	if len(parts) == 0 {
		return w.Message
	}
	return strings.Join(parts, " ") + ": " + w.Message
}

func printScanSummary(g *GlobalOptions, s inventory.Summary) error {
	if g.JSON() {
		enc := json.NewEncoder(g.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(s)
	}
	w := tabwriter.NewWriter(g.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintf(w, "Inventory written to %s\n", s.Inventory)
	if s.Account != "" {
		fmt.Fprintf(w, "Account %s\n", s.Account)
	}
	for _, r := range s.Regions {
		fmt.Fprintf(w, "\nRegion %s\n", r.Region)
		fmt.Fprintf(w, "  APP\tID\tSEGMENTS\tVERSIONS\tCAMPAIGNS\tJOURNEYS\tCHANNELS\tEVENT STREAM\tENDPOINTS\tUSERS\tOPTED OUT\n")
		for _, a := range r.Apps {
			fmt.Fprintf(w, "  %s\t%s\t%d\t%d\t%d\t%d\t%d\t%s\t%s\t%s\t%s\n", a.Name, a.ID, a.Segments, a.SegmentVersions, a.Campaigns, a.Journeys,
				a.Channels, yesNo(a.EventStream), count(a.Endpoints), count(a.Users), count(a.OptedOut))
		}
		var types []string
		for t, n := range r.Templates {
			types = append(types, fmt.Sprintf("%s %d", t, n))
		}
		sort.Strings(types)
		fmt.Fprintf(w, "  templates: %s; recommenders: %d\n", orNone(strings.Join(types, ", ")), r.Recommenders)
		fmt.Fprintf(w, "  End User Messaging: %d phone numbers, %d sender ids, %d pools, %d configuration sets, %d opt-out lists, %d registrations\n",
			r.EUM["phoneNumbers"], r.EUM["senderIds"], r.EUM["pools"], r.EUM["configurationSets"], r.EUM["optOutLists"], r.EUM["registrations"])
	}
	if len(s.Retired) > 0 {
		fmt.Fprintf(w, "\nRetired (not readable live, end of support): %d operations\n", len(s.Retired))
		for _, r := range s.Retired {
			fmt.Fprintf(w, "  %s\n", r)
		}
	}
	if len(s.Denied) > 0 {
		fmt.Fprintf(w, "\nAccess denied: %d operations\n", len(s.Denied))
		for _, r := range s.Denied {
			fmt.Fprintf(w, "  %s\n", r)
		}
	}
	fmt.Fprintf(w, "\n%d facts, %d warnings, %d dangling references\n", s.Facts, s.Warnings, s.Dangling)
	return w.Flush()
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func count(n *int64) string {
	if n == nil {
		return "-"
	}
	return fmt.Sprint(*n)
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}
