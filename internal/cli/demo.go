package cli

import (
	"fmt"
	"path/filepath"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/spf13/cobra"

	"github.com/p2c/p2c/internal/emulator"
	"github.com/p2c/p2c/internal/inventory"
	"github.com/p2c/p2c/internal/source/live"
)

// demoBucket receives the demo's endpoint export.
const demoBucket = "p2c-demo-exports"

type demoOptions struct {
	*GlobalOptions
	Retired bool
}

func newDemoCmd(g *GlobalOptions) *cobra.Command {
	opts := &demoOptions{GlobalOptions: g}
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Run the migration pipeline against the built-in emulator seeded with a realistic account",
		Long: `Start the emulator in-process with the demo seed (a retail company with three Pinpoint apps,
segments, campaigns, journeys, templates, channels, End User Messaging numbers and 10,000+
endpoints) and run the pipeline against it: scan with an endpoint export, assess, then plan with every
suggested decision accepted (a rehearsal). Nothing reaches AWS.
Artifacts go to the workspace (default ./p2c-demo).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if !cmd.Flags().Changed("workspace") {
				opts.Workspace = "p2c-demo"
			}
			return runDemo(cmd, opts)
		},
	}
	cmd.Flags().BoolVar(&opts.Retired, "retired", false, "play Pinpoint after its end of support (engagement APIs answer retired)")
	return cmd
}

func runDemo(cmd *cobra.Command, o *demoOptions) error {
	ctx := cmd.Context()
	start := time.Now()
	fmt.Fprintln(o.Stderr, "demo: starting the emulator with the demo seed")
	e, err := seeded(emulator.Options{Retired: o.Retired}, "demo")
	if err != nil {
		return err
	}
	if err := e.S3.CreateBucket(demoBucket); err != nil {
		return fmt.Errorf("demo: create export bucket: %w", err)
	}
	run, err := e.Start("127.0.0.1:0")
	if err != nil {
		return err
	}
	defer run.Close()
	fmt.Fprintf(o.Stderr, "demo: emulator listening on %s\n", run.URL)

	cfg := aws.Config{
		Region:       "us-east-1",
		Credentials:  credentials.NewStaticCredentialsProvider("AKIDDEMO", "demo-secret", ""),
		BaseEndpoint: aws.String(run.URL),
	}
	path, err := o.artifact("inventory.json")
	if err != nil {
		return err
	}
	fmt.Fprintln(o.Stderr, "demo: scanning (p2c scan --export-endpoints s3://"+demoBucket+"/endpoints)")
	inv, err := live.Scan(ctx, cfg, live.Options{
		Regions:         []string{"us-east-1", "eu-west-1"},
		ExportEndpoints: "s3://" + demoBucket + "/endpoints",
		ExportRoleARN:   "arn:aws:iam::111122223333:role/p2c-demo-export",
		ExportPoll:      50 * time.Millisecond,
		Tool:            "p2c " + Version,
	})
	if err != nil {
		return fmt.Errorf("demo: scan: %w", err)
	}
	markLive(inv)
	inv = inventory.Merge([]*inventory.Inventory{inv})
	if err := inventory.Write(path, inv); err != nil {
		return err
	}
	// With --output json the demo prints one document: the assessment's.
	if !o.JSON() {
		sum := scanSummary{Summary: inventory.Summarize(inv)}
		sum.Inventory = path
		if err := printScanSummary(o.GlobalOptions, sum); err != nil {
			return err
		}
	}
	fmt.Fprintln(o.Stderr, "demo: assessing (p2c assess)")
	if !o.JSON() {
		fmt.Fprintln(o.Stdout)
	}
	if err := runAssess(&assessOptions{GlobalOptions: o.GlobalOptions}); err != nil {
		return fmt.Errorf("demo: assess: %w", err)
	}
	if err := demoPlan(cmd, o); err != nil {
		return err
	}
	abs, _ := filepath.Abs(filepath.Dir(path))
	if !o.JSON() {
		fmt.Fprintf(o.Stdout, "\nDemo finished in %s.\nReport: %s\nArtifacts: %s\n", time.Since(start).Round(time.Millisecond),
			filepath.Join(abs, "report.html"), abs)
	}
	return nil
}

// demoPlan plans the demo as a rehearsal: plan, accept every suggested
// answer, plan again until answers bring no new questions, then print the
// plan (text output only; with --output json the demo prints the
// assessment alone).
func demoPlan(cmd *cobra.Command, o *demoOptions) error {
	fmt.Fprintln(o.Stderr, "demo: planning (p2c plan, then p2c decide --accept-suggested: a rehearsal takes every suggestion)")
	quiet := &planOptions{GlobalOptions: o.GlobalOptions, quiet: true}
	for round := 0; round < 5; round++ {
		if err := runPlan(cmd.Context(), quiet); err != nil {
			return fmt.Errorf("demo: plan: %w", err)
		}
		dec := &decideOptions{GlobalOptions: o.GlobalOptions, AcceptSuggested: true, quiet: true}
		n, err := acceptSuggested(dec)
		if err != nil {
			return fmt.Errorf("demo: decide: %w", err)
		}
		if n == 0 {
			break
		}
	}
	if o.JSON() {
		return runPlan(cmd.Context(), quiet)
	}
	fmt.Fprintln(o.Stdout)
	return runPlan(cmd.Context(), &planOptions{GlobalOptions: o.GlobalOptions})
}
