package cli

import (
	"context"
	"fmt"
	"path/filepath"
	"sort"

	"github.com/spf13/cobra"

	"github.com/p2c/p2c/internal/profiles"
)

type profilesLoadOptions struct {
	*GlobalOptions
	From       []string
	Method     string
	Rate       float64
	Workers    int
	Shard      string
	Domain     string
	ObjectType string
	// Client replaces the target client (tests, the demo).
	Client profiles.Caller
}

func newProfilesLoadCmd(g *GlobalOptions) *cobra.Command {
	opts := &profilesLoadOptions{GlobalOptions: g}
	cmd := &cobra.Command{
		Use:   "load",
		Short: "Write transformed profile records into the plan's Customer Profiles domain, resumably",
		Long: `Write the records of p2c profiles transform (default <workspace>/profiles) into the Customer
Profiles domain apply created: the domain, its region and the PinpointEndpoint object type are read
from the journal (state.db); --domain and --region pick one of several, or name another domain.

--method api (default) puts each endpoint's object and creates or updates the profile found by its
PinpointProfileKey, so a re-run never duplicates a profile, at up to --rate calls per second per
operation (the account's write quota), backing off on throttling. --method upload sends the records
as CSV through Customer Profiles upload jobs (bulk; objects are not loaded, so calculated attributes
over endpoint objects need the API method).

Every record is checkpointed in <workspace>/profiles-load/ (one journal per shard): a killed load
resumes where it stopped. --shard I/N loads the records of one shard, so several machines can share
the work against the same workspace.

Exit status 1 when a record failed to load (each is listed) or the load stopped.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runProfilesLoad(cmd.Context(), opts)
		},
	}
	f := cmd.Flags()
	f.StringSliceVar(&opts.From, "from", nil, "record files or folders (default <workspace>/profiles)")
	f.StringVar(&opts.Method, "method", profiles.MethodAPI, "api (create or update per profile) or upload (upload jobs, CSV)")
	f.Float64Var(&opts.Rate, "rate", 100, "most calls per second per operation (the account's write quota)")
	f.IntVar(&opts.Workers, "workers", 32, "records in flight")
	f.StringVar(&opts.Shard, "shard", "", "load only shard I of N (by profile key), as 3/8")
	f.StringVar(&opts.Domain, "domain", "", "Customer Profiles domain (default: the one apply created)")
	f.StringVar(&opts.ObjectType, "object-type", "", "object type of the endpoints (default: "+"the plan's PinpointEndpoint)")
	return cmd
}

func runProfilesLoad(ctx context.Context, o *profilesLoadOptions) error {
	shard, err := parseShard(o.Shard)
	if err != nil {
		return err
	}
	if o.Method != profiles.MethodAPI && o.Method != profiles.MethodUpload {
		return usageError{fmt.Errorf("--method must be %s or %s, not %q", profiles.MethodAPI, profiles.MethodUpload, o.Method)}
	}
	if o.Rate <= 0 || o.Workers < 1 {
		return usageError{fmt.Errorf("--rate must be positive and --workers at least 1")}
	}
	dir, err := o.workspaceDir()
	if err != nil {
		return err
	}
	ses, err := openProfilesSession(ctx, o.GlobalOptions, dir, o.Domain, o.Region, o.ObjectType, o.From, o.Client)
	if err != nil {
		return err
	}
	t, from, client := ses.target, ses.from, ses.client
	fmt.Fprintf(o.Stderr, "profiles load: %s into domain %s (%s), object type %s, method %s\n", joinPaths(from), t.Domain, t.Region, t.ObjectType, o.Method)
	sum, err := profiles.Load(ctx, profiles.LoadOptions{From: from, JournalDir: filepath.Join(dir, profilesJournalDir), Region: t.Region,
		Domain: t.Domain, ObjectType: t.ObjectType, Client: client, Method: o.Method, Rate: o.Rate, Workers: o.Workers, Shard: shard,
		Progress: o.Stderr})
	if err != nil {
		return fmt.Errorf("profiles load: %w", err)
	}
	if o.JSON() {
		if err := profilesPrintJSON(o.GlobalOptions, sum); err != nil {
			return err
		}
	} else {
		printLoadSummary(o.GlobalOptions, sum, t, dir)
	}
	if sum.Failed > 0 {
		return &exitError{code: ExitError, msg: fmt.Sprintf("profiles load: %d record(s) failed to load; the others are checkpointed: fix the cause and run p2c profiles load again", sum.Failed)}
	}
	return nil
}

func joinPaths(ps []string) string {
	if len(ps) == 1 {
		return ps[0]
	}
	return fmt.Sprintf("%d inputs", len(ps))
}

func printLoadSummary(g *GlobalOptions, s *profiles.LoadSummary, t profilesTarget, dir string) {
	w := g.Stdout
	what := "Loaded"
	if s.Shard.N > 1 {
		what = fmt.Sprintf("Loaded shard %d of %d:", s.Shard.I, s.Shard.N)
	}
	fmt.Fprintf(w, "%s %d of %d records into %s (%s) by the %s method: %d objects, %d already loaded by an earlier run, %d of other shards, %d failed (%.1fs).\n",
		what, s.Loaded, s.Records, t.Domain, t.Region, s.Method, s.Objects, s.Skipped, s.OtherShard, s.Failed, s.Seconds)
	ops := make([]string, 0, len(s.Calls))
	for op := range s.Calls {
		ops = append(ops, op)
	}
	sort.Strings(ops)
	for _, op := range ops {
		rate := ""
		if s.Seconds > 0 {
			rate = fmt.Sprintf(" (%.0f/s)", float64(s.Calls[op])/s.Seconds)
		}
		fmt.Fprintf(w, "  %-24s %8d calls%s, %d throttled\n", op, s.Calls[op], rate, s.Throttled[op])
	}
	for _, j := range s.UploadJobs {
		fmt.Fprintf(w, "  upload job %s %s lines %d-%d: %s, %d created, %d updated, %d failed\n", j.JobId, j.File, j.FromLine, j.ToLine, j.Status, j.Created, j.Updated, j.Failed)
	}
	for i, f := range s.Failures {
		if i == 20 {
			fmt.Fprintf(w, "  ... %d more (p2c profiles load -o json lists them all)\n", len(s.Failures)-i)
			break
		}
		fmt.Fprintf(w, "  x %s:%d: %s\n", f.File, f.Line, f.Error)
	}
	fmt.Fprintf(w, "Journal: %s\n", filepath.Join(dir, profilesJournalDir))
}
