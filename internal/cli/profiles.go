package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/p2c/p2c/internal/blueprint"
	"github.com/p2c/p2c/internal/engine"
	"github.com/p2c/p2c/internal/profiles"
	"github.com/p2c/p2c/internal/target"
)

// Folders and files of p2c profiles in the workspace.
const (
	profilesOutDir     = "profiles"      // transform output, load and verify input
	profilesJournalDir = "profiles-load" // load checkpoints
)

func newProfilesCmd(g *GlobalOptions) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "profiles",
		Short: "Move exported endpoints into Customer Profiles: transform, load, verify",
		Long: `Move the endpoints of a Pinpoint endpoint export into the Customer Profiles domain of the plan,
in three steps that each leave an artifact:

  p2c profiles transform   export files → profiles.jsonl.gz, rejects.jsonl, summary.json (offline)
  p2c profiles load        records → the domain apply created, checkpointed (profiles-load/)
  p2c profiles verify      counts, a sample compared field by field, the consent proof

Every step takes --shard I/N to split the work by user across machines. See docs/profiles.md.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return cmd.Help() },
	}
	cmd.AddCommand(newProfilesTransformCmd(g), newProfilesLoadCmd(g), newProfilesVerifyCmd(g))
	return cmd
}

// parseShard reads --shard I/N (1 ≤ I ≤ N); "" is everything.
func parseShard(s string) (profiles.Shard, error) {
	if s == "" {
		return profiles.Shard{}, nil
	}
	is, ns, ok := strings.Cut(s, "/")
	i, err1 := strconv.Atoi(strings.TrimSpace(is))
	n, err2 := strconv.Atoi(strings.TrimSpace(ns))
	if !ok || err1 != nil || err2 != nil || n < 1 || i < 1 || i > n {
		return profiles.Shard{}, usageError{fmt.Errorf("--shard must be I/N with 1 ≤ I ≤ N (as 3/8), not %q", s)}
	}
	return profiles.Shard{I: i, N: n}, nil
}

// profilesTarget is where load and verify write and read: the domain
// apply made, from the journal, unless the flags name one.
type profilesTarget struct {
	Region, Domain, ObjectType string
	// Segments are the segment definitions apply made in the domain.
	Segments []string
}

// resolveProfilesTarget finds the domain and object type in the
// workspace's journal: the done object-type steps. --domain picks one of
// several, or names a domain apply did not make (with --region).
func resolveProfilesTarget(dir, domain, region, objectType string) (profilesTarget, error) {
	_, recs, err := engine.ReadJournal(dir)
	if err != nil && !errors.Is(err, engine.ErrNoJournal) {
		return profilesTarget{}, err
	}
	type input struct {
		DomainName, ObjectTypeName, SegmentDefinitionName string
	}
	var found []profilesTarget
	segs := map[string][]string{} // region/domain → segments
	for _, r := range recs {
		if r.Status != engine.StatusDone || len(r.Input) == 0 {
			continue
		}
		var in input
		if err := json.Unmarshal(r.Input, &in); err != nil {
			continue
		}
		switch r.Kind {
		case blueprint.KindObjectType:
			if in.ObjectTypeName == blueprint.ProfileObjectTypeName || objectType != "" && in.ObjectTypeName == objectType {
				found = append(found, profilesTarget{Region: r.Region, Domain: in.DomainName, ObjectType: in.ObjectTypeName})
			}
		case blueprint.KindSegmentDefinition:
			k := r.Region + "/" + in.DomainName
			segs[k] = append(segs[k], in.SegmentDefinitionName)
		}
	}
	var match []profilesTarget
	for _, f := range found {
		if (domain == "" || f.Domain == domain) && (region == "" || f.Region == region) {
			match = append(match, f)
		}
	}
	switch {
	case len(match) == 1:
		t := match[0]
		if objectType != "" {
			t.ObjectType = objectType
		}
		t.Segments = segs[t.Region+"/"+t.Domain]
		sort.Strings(t.Segments)
		return t, nil
	case len(match) > 1:
		var names []string
		for _, m := range match {
			names = append(names, m.Domain+" ("+m.Region+")")
		}
		return profilesTarget{}, usageError{fmt.Errorf("apply made several domains (%s): pick one with --domain and --region", strings.Join(names, ", "))}
	case domain != "":
		// A domain apply did not make (an existing one mapped by hand).
		if region == "" {
			region = defaultRegion()
		}
		if objectType == "" {
			objectType = blueprint.ProfileObjectTypeName
		}
		return profilesTarget{Region: region, Domain: domain, ObjectType: objectType}, nil
	case err != nil:
		return profilesTarget{}, fmt.Errorf("no Customer Profiles domain to write to: nothing was applied in %s yet (run p2c apply, or give --domain and --region)", dir)
	}
	return profilesTarget{}, fmt.Errorf("no Customer Profiles domain to write to: the journal in %s has no done %s step for %s (run p2c apply until it is done, or give --domain and --region)",
		dir, blueprint.KindObjectType, blueprint.ProfileObjectTypeName)
}

// profilesClient is the target client, built as apply builds it.
func profilesClient(ctx context.Context, g *GlobalOptions) (*target.Client, error) {
	cfg, err := g.awsConfig(ctx)
	if err != nil {
		return nil, err
	}
	return target.NewClient(cfg), nil
}

// profilesFrom defaults the record inputs to the workspace's transform
// output.
func profilesFrom(dir string, from []string) []string {
	if len(from) > 0 {
		return from
	}
	return []string{filepath.Join(dir, profilesOutDir)}
}

// profilesWriteJSON writes v indented, 0600.
func profilesWriteJSON(path string, v any) error {
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(path, append(data, '\n'), 0o600); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

func profilesPrintJSON(g *GlobalOptions, v any) error {
	enc := json.NewEncoder(g.Stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// profilesSession is what load and verify start from: the domain apply
// made (or the one named), the record files, and a target client.
type profilesSession struct {
	target profilesTarget
	from   []string
	client profiles.Caller
}

// openProfilesSession resolves the domain, checks the records exist and
// builds the client (client, when set, replaces it: tests, the demo).
func openProfilesSession(ctx context.Context, g *GlobalOptions, dir, domain, region, objectType string, from []string, client profiles.Caller) (*profilesSession, error) {
	t, err := resolveProfilesTarget(dir, domain, region, objectType)
	if err != nil {
		return nil, err
	}
	from = profilesFrom(dir, from)
	for _, p := range from {
		if _, err := os.Stat(p); err != nil {
			return nil, fmt.Errorf("no records at %s: run p2c profiles transform first", p)
		}
	}
	if client == nil {
		if client, err = profilesClient(ctx, g); err != nil {
			return nil, err
		}
	}
	return &profilesSession{target: t, from: from, client: client}, nil
}
