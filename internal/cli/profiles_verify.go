package cli

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/p2c/p2c/internal/profiles"
)

type profilesVerifyOptions struct {
	*GlobalOptions
	From    []string
	Sample  int
	Seed    int64
	ShowPII bool
	Shard   string
	Domain  string
	// Client replaces the target client (tests, the demo); Rate the
	// calls per second (0: the quota).
	Client profiles.Caller
	Rate   float64
}

func newProfilesVerifyCmd(g *GlobalOptions) *cobra.Command {
	opts := &profilesVerifyOptions{GlobalOptions: g}
	cmd := &cobra.Command{
		Use:   "verify",
		Short: "Prove the load: counts per channel, a sample field by field, and every opt-out honoured",
		Long: `Compare the transformed records (default <workspace>/profiles) with the domain they were loaded into:

  counts     profiles, and per channel reachable and opted-out profiles, on both sides (the target
             through segment estimates); fewer in the domain is a failure, more a note
  sample     --sample records drawn at random (reproducibly with --seed), looked up by their
             PinpointProfileKey and compared field by field
  consent    every record with an opted-out or inactive address is looked up: the address is in no
             contact field, the channel is OptOut_<CH> = ALL when nothing else reaches it, and no
             segment apply created holds an opted-out profile (each must exclude them)

The report goes to <workspace>/profiles-verify.json (profiles-verify.shard-I-of-N.json for a shard).
It names fields, never values, unless --show-pii.

Exit status 1 when anything failed.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runProfilesVerify(cmd.Context(), opts)
		},
	}
	f := cmd.Flags()
	f.StringSliceVar(&opts.From, "from", nil, "record files or folders (default <workspace>/profiles)")
	f.IntVar(&opts.Sample, "sample", 100, "records compared field by field (0: none)")
	f.Int64Var(&opts.Seed, "seed", 1, "seed of the random sample")
	f.BoolVar(&opts.ShowPII, "show-pii", false, "put addresses, keys and values into the report")
	f.StringVar(&opts.Shard, "shard", "", "verify only shard I of N (by profile key), as 3/8")
	f.StringVar(&opts.Domain, "domain", "", "Customer Profiles domain (default: the one apply created)")
	return cmd
}

func runProfilesVerify(ctx context.Context, o *profilesVerifyOptions) error {
	shard, err := parseShard(o.Shard)
	if err != nil {
		return err
	}
	if o.Sample < 0 {
		return usageError{fmt.Errorf("--sample must not be negative")}
	}
	dir, err := o.workspaceDir()
	if err != nil {
		return err
	}
	ses, err := openProfilesSession(ctx, o.GlobalOptions, dir, o.Domain, o.Region, "", o.From, o.Client)
	if err != nil {
		return err
	}
	t, from, client := ses.target, ses.from, ses.client
	sample := o.Sample
	if sample == 0 {
		sample = -1 // none; Verify's zero is its default
	}
	rep, err := profiles.Verify(ctx, profiles.VerifyOptions{From: from, Region: t.Region, Domain: t.Domain, Client: client,
		Sample: sample, Seed: o.Seed, Segments: t.Segments, Shard: shard, ShowPII: o.ShowPII, Rate: o.Rate, Progress: o.Stderr})
	if err != nil {
		return fmt.Errorf("profiles verify: %w", err)
	}
	path := filepath.Join(dir, shard.FileName(profiles.VerifyFile))
	if err := profilesWriteJSON(path, rep); err != nil {
		return err
	}
	if o.JSON() {
		if err := profilesPrintJSON(o.GlobalOptions, rep); err != nil {
			return err
		}
	} else {
		printProfilesVerify(o.GlobalOptions, rep, path)
	}
	if !rep.OK {
		return &exitError{code: ExitError, msg: fmt.Sprintf("profiles verify failed: %d failure(s) (details in %s)", len(rep.Failures), path)}
	}
	return nil
}

func printProfilesVerify(g *GlobalOptions, r *profiles.VerifyReport, path string) {
	w := g.Stdout
	fmt.Fprintf(w, "Domain %s (%s)", r.Domain, r.Region)
	if r.Shard.N > 1 {
		fmt.Fprintf(w, ", shard %d of %d", r.Shard.I, r.Shard.N)
	}
	fmt.Fprintln(w, ":")
	fmt.Fprintf(w, "  %-24s %10s %10s  %s\n", "count", "source", "domain", "status")
	for _, c := range r.Counts {
		tgt := fmt.Sprint(c.Target)
		if c.Target < 0 {
			tgt = "?"
		}
		fmt.Fprintf(w, "  %-24s %10d %10s  %s\n", c.What, c.Source, tgt, c.Status)
	}
	s := r.Sample
	fmt.Fprintf(w, "Sample of %d (seed %d): %d match, %d differ, %d missing, %d duplicated.\n", s.Size, s.Seed, s.Matched, s.Mismatched, s.Missing, s.Duplicated)
	c := r.Consent
	fmt.Fprintf(w, "Consent: %d records with %d opted-out or inactive addresses checked, %d contactable, %d without a profile; %d opted-out profiles.\n",
		c.Records, c.Addresses, c.Violations, c.Missing, c.OptedOutProfiles)
	for _, sc := range c.Segments {
		ex := strings.Join(sc.Excludes, ", ")
		if ex == "" {
			ex = "nothing"
		}
		fmt.Fprintf(w, "  segment %-40s excludes %s; %d opted-out profiles checked, %d members  %s\n", sc.Name, ex, sc.Checked, sc.Present, sc.Status)
	}
	for i, f := range r.Failures {
		if i == 20 {
			fmt.Fprintf(w, "  ... %d more in the report\n", len(r.Failures)-i)
			break
		}
		fmt.Fprintf(w, "  x %s\n", f)
	}
	verdict := "passed"
	if !r.OK {
		verdict = "FAILED"
	}
	fmt.Fprintf(w, "Profiles verify %s: %d failure(s).\nReport: %s\n", verdict, len(r.Failures), path)
}
