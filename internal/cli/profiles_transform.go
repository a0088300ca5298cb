package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/spf13/cobra"

	"github.com/p2c/p2c/internal/blueprint"
	"github.com/p2c/p2c/internal/profiles"
	"github.com/p2c/p2c/internal/source/saved"
)

type profilesTransformOptions struct {
	*GlobalOptions
	From           []string
	Out            string
	Shard          string
	DefaultCountry string
	MemoryMiB      int
	Workers        int
}

func newProfilesTransformCmd(g *GlobalOptions) *cobra.Command {
	opts := &profilesTransformOptions{GlobalOptions: g}
	cmd := &cobra.Command{
		Use:   "transform --from PATH...",
		Short: "Turn endpoint export files into Customer Profiles records, offline",
		Long: `Stream endpoint export files (gzip or plain newline-delimited JSON: files, folders, s3://bucket/prefix)
into one Customer Profiles record per user (User.UserId, else the endpoint), without calling Connect.
Memory stays bounded: grouping spills sorted runs to disk (--memory-mib), and a killed run resumes.

Writes to --out (default <workspace>/profiles): profiles.jsonl.gz (one record per line),
rejects.jsonl (every rejected or repaired input line, with file, line and reason) and summary.json.
With the workspace's plan.json, objects carry the fields of the plan's PinpointEndpoint object type.

Exit status 0 even with rejected lines (it says how many and where); 1 when the run failed.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runProfilesTransform(cmd.Context(), opts)
		},
	}
	f := cmd.Flags()
	f.StringSliceVar(&opts.From, "from", nil, "endpoint export files, folders or s3://bucket/prefix (repeatable)")
	f.StringVar(&opts.Out, "out", "", "output folder (default <workspace>/profiles)")
	f.StringVar(&opts.Shard, "shard", "", "transform only shard I of N (by profile key), as 3/8")
	f.StringVar(&opts.DefaultCountry, "default-country", "", "ISO country code for phone numbers written without + and without Location.Country")
	f.IntVar(&opts.MemoryMiB, "memory-mib", 64, "in-memory sort buffer in MiB; more spills to disk")
	f.IntVar(&opts.Workers, "workers", runtime.GOMAXPROCS(0), "parsing goroutines")
	_ = cmd.MarkFlagRequired("from")
	return cmd
}

func runProfilesTransform(ctx context.Context, o *profilesTransformOptions) error {
	shard, err := parseShard(o.Shard)
	if err != nil {
		return err
	}
	if o.MemoryMiB < 1 || o.Workers < 1 {
		return usageError{fmt.Errorf("--memory-mib and --workers must be at least 1")}
	}
	if c := o.DefaultCountry; c != "" && len(c) != 2 {
		return usageError{fmt.Errorf("--default-country must be a two-letter ISO code, not %q", c)}
	}
	dir, err := o.workspaceDir()
	if err != nil {
		return err
	}
	out := o.Out
	if out == "" {
		out = filepath.Join(dir, profilesOutDir)
	}
	fields, err := planObjectFields(dir)
	if err != nil {
		return err
	}
	topts := profiles.TransformOptions{From: o.From, Out: out, Shard: shard,
		Parse: profiles.ParseOptions{DefaultCountry: strings.ToUpper(o.DefaultCountry)}, Build: profiles.BuildOptions{ObjectFields: fields},
		MemoryBytes: o.MemoryMiB << 20, Workers: o.Workers, Progress: o.Stderr}
	for _, f := range o.From {
		if strings.HasPrefix(f, "s3://") {
			cfg, err := o.awsConfig(ctx)
			if err != nil {
				return err
			}
			topts.S3 = saved.S3Store{Client: s3.NewFromConfig(cfg, func(so *s3.Options) { so.UsePathStyle = cfg.BaseEndpoint != nil })}
			break
		}
	}
	sum, err := profiles.Transform(ctx, topts)
	if err != nil {
		return fmt.Errorf("profiles transform: %w", err)
	}
	if o.JSON() {
		return profilesPrintJSON(o.GlobalOptions, sum)
	}
	printTransformSummary(o.GlobalOptions, sum, out, shard)
	return nil
}

// planObjectFields are the field names of the plan's PinpointEndpoint
// object type(s); nil without a plan (objects then carry every field).
func planObjectFields(dir string) (map[string]bool, error) {
	// No plan yet is fine: transform works offline from exports alone.
	if _, err := os.Stat(filepath.Join(dir, "plan.json")); errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	p, _, _, err := loadPlan(dir)
	if err != nil {
		return nil, err
	}
	var fields map[string]bool
	for _, st := range p.Steps {
		if st.Kind != blueprint.KindObjectType || st.Name != blueprint.ProfileObjectTypeName {
			continue
		}
		var spec struct{ Fields map[string]json.RawMessage }
		if err := json.Unmarshal(st.Spec, &spec); err != nil {
			return nil, fmt.Errorf("plan step %s: %w", st.ID, err)
		}
		if fields == nil {
			fields = map[string]bool{}
		}
		for name := range spec.Fields {
			fields[name] = true
		}
	}
	return fields, nil
}

func printTransformSummary(g *GlobalOptions, s *profiles.Summary, out string, shard profiles.Shard) {
	w := g.Stdout
	what := "Transformed"
	if shard.N > 1 {
		what = fmt.Sprintf("Transformed shard %d of %d:", shard.I, shard.N)
	}
	fmt.Fprintf(w, "%s %d lines from %d file(s): %d endpoints → %d profiles (%d merged into another endpoint's profile).\n",
		what, s.Lines, len(s.Inputs), s.Endpoints, s.Profiles, s.Merged)
	fmt.Fprintf(w, "Rejected %d lines, repaired %d (%d duplicate endpoint ids superseded, %d invalid addresses left off, %d long values split).\n",
		s.Rejected, s.Repaired, s.Duplicates, s.InvalidAddresses, s.SplitValues)
	if len(s.ByChannel) > 0 {
		chans := make([]string, 0, len(s.ByChannel))
		for ch := range s.ByChannel {
			chans = append(chans, ch)
		}
		sort.Strings(chans)
		fmt.Fprintf(w, "  %-18s %10s %10s %10s %18s\n", "channel", "reachable", "opted out", "inactive", "opted-out profiles")
		for _, ch := range chans {
			c := s.ByChannel[ch]
			fmt.Fprintf(w, "  %-18s %10d %10d %10d %18d\n", ch, c.Reachable, c.OptedOut, c.Inactive, c.OptedOutProfiles)
		}
	}
	fmt.Fprintf(w, "Profiles opted out on at least one channel: %d.\n", s.OptedOutProfiles)
	fmt.Fprintf(w, "Records: %s\n", filepath.Join(out, shard.FileName(profiles.ProfilesFile)))
	if s.Rejected+s.Repaired > 0 {
		fmt.Fprintf(w, "Rejects: %s (%d rejected, %d repaired: each with file, line and reason)\n",
			filepath.Join(out, shard.FileName(profiles.RejectsFile)), s.Rejected, s.Repaired)
	}
	fmt.Fprintf(w, "Summary: %s\n", filepath.Join(out, shard.FileName(profiles.SummaryFile)))
}
