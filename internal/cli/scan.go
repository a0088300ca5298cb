package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/spf13/cobra"

	"github.com/p2c/p2c/internal/inventory"
	"github.com/p2c/p2c/internal/source/live"
	"github.com/p2c/p2c/internal/source/saved"
)

type scanOptions struct {
	*GlobalOptions
	Regions         []string
	ExportEndpoints string
	ExportRoleARN   string
	Concurrency     int
	KPIDays         int
	Strict          bool
	From            []string
	Offline         bool
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
addresses are printed).

--from adds saved sources, detected by content: AWS CLI outputs of Pinpoint and End User
Messaging reads, CloudFormation and Terraform that declared Pinpoint resources, endpoint
export files (gzip or plain) and earlier inventories. Live and saved results are merged:
one resource seen in several sources is one entry with its provenance; where sources
disagree the newest wins and the conflict is recorded. --offline reads only the saved
sources.`,
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
	f.StringArrayVar(&opts.From, "from", nil, "saved source to read: a file, a folder or an s3://BUCKET/PREFIX (repeatable)")
	f.BoolVar(&opts.Offline, "offline", false, "make no AWS calls at all: read only the --from sources")
	return cmd
}

func runScan(cmd *cobra.Command, o *scanOptions) error {
	if o.ExportEndpoints != "" && o.ExportRoleARN == "" {
		return usageError{fmt.Errorf("--export-endpoints needs --export-role-arn: Pinpoint writes the export as that role")}
	}
	if o.Offline && len(o.From) == 0 {
		return usageError{fmt.Errorf("--offline needs at least one --from source")}
	}
	if o.Offline && o.ExportEndpoints != "" {
		return usageError{fmt.Errorf("--export-endpoints runs an export job in AWS, which --offline turns off")}
	}
	if o.Concurrency < 1 {
		return usageError{fmt.Errorf("--concurrency must be at least 1")}
	}
	ctx := cmd.Context()
	path, err := o.artifact("inventory.json")
	if err != nil {
		return err
	}
	var frags []*inventory.Inventory
	var cfg aws.Config
	region := o.Region
	if !o.Offline {
		if cfg, err = o.awsConfig(ctx); err != nil {
			return err
		}
		if region == "" {
			region = cfg.Region
		}
		inv, err := o.liveScan(ctx, cfg)
		if err != nil {
			return err
		}
		frags = append(frags, inv)
	}
	var loaded *saved.Result
	if len(o.From) > 0 {
		if region == "" {
			region = defaultRegion()
		}
		opts := saved.Options{DefaultRegion: region}
		if len(frags) > 0 {
			// The live scan knows the account: CloudFormation ARNs built
			// from AWS::AccountId can then be resolved.
			opts.AccountID = frags[0].Account
		}
		if !o.Offline {
			opts.S3 = saved.S3Store{Client: s3.NewFromConfig(cfg, func(so *s3.Options) { so.UsePathStyle = cfg.BaseEndpoint != nil })}
		}
		if loaded, err = saved.Load(ctx, o.From, opts); err != nil {
			return err
		}
		frags = append(frags, loaded.Fragments...)
	}
	inv := inventory.Merge(frags)
	inv.Tool = "p2c " + Version
	if loaded != nil {
		inv.Warnings = append(inv.Warnings, loaded.Warnings...)
		inv.Sort()
	}
	if err := inventory.Write(path, inv); err != nil {
		return err
	}
	sum := scanSummary{Summary: inventory.Summarize(inv)}
	sum.Inventory = path
	if loaded != nil {
		sum.Files, sum.Skipped = loaded.Files, loaded.Skipped
	}
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

func (o *scanOptions) liveScan(ctx context.Context, cfg aws.Config) (*inventory.Inventory, error) {
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
		return nil, err
	}
	markLive(inv)
	return inv, nil
}

// markLive names the live source for provenance.
func markLive(inv *inventory.Inventory) {
	for i := range inv.Sources {
		if inv.Sources[i].Kind == "live" {
			inv.Sources[i].ID = "live"
			inv.Sources[i].ReadAt = inv.ScannedAt
		}
	}
}

// defaultRegion is the region of saved resources that name none, offline.
func defaultRegion() string {
	for _, k := range []string{"AWS_REGION", "AWS_DEFAULT_REGION"} {
		if v := os.Getenv(k); v != "" {
			return v
		}
	}
	return "us-east-1"
}

func formatWarning(w inventory.Warning) string {
	var parts []string
	if w.File != "" {
		loc := w.File
		if w.Line > 0 {
			loc = fmt.Sprintf("%s:%d", w.File, w.Line)
		}
		parts = append(parts, loc)
	}
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

// scanSummary is what scan prints: the inventory's counts and, with saved
// sources, which files were read or skipped.
type scanSummary struct {
	inventory.Summary
	Files   int             `json:"savedFiles,omitempty"`
	Skipped []saved.Skipped `json:"skipped,omitempty"`
}

func printScanSummary(g *GlobalOptions, s scanSummary) error {
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
	if len(s.BySource) > 1 || len(s.BySource) == 1 && s.BySource[0].Kind != "live" {
		fmt.Fprintf(w, "\nWhere the entries came from:\n")
		for _, sc := range s.BySource {
			var parts []string
			for k, n := range sc.Counts {
				parts = append(parts, fmt.Sprintf("%d %s", n, k))
			}
			sort.Strings(parts)
			fmt.Fprintf(w, "  %s (%s): %s\n", sc.Source, sc.Kind, strings.Join(parts, ", "))
		}
	}
	if s.Files > 0 {
		fmt.Fprintf(w, "\nSaved files read: %d; skipped: %d\n", s.Files, len(s.Skipped))
		for _, sk := range s.Skipped {
			fmt.Fprintf(w, "  skipped %s: %s\n", sk.File, sk.Reason)
		}
	}
	fmt.Fprintf(w, "\n%d facts, %d warnings, %d dangling references, %d conflicts between sources, %d unresolved values, %d channel credentials to re-supply\n",
		s.Facts, s.Warnings, s.Dangling, s.Conflicts, s.Unresolved, s.SecretsNotCarried)
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
