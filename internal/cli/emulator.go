package cli

import (
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/p2c/p2c/internal/emulator"
	"github.com/p2c/p2c/internal/emulator/demoseed"
	"github.com/p2c/p2c/internal/emulator/invseed"
	"github.com/p2c/p2c/internal/inventory"
)

type emulatorOptions struct {
	*GlobalOptions
	Addr       string
	Seed       string
	Retired    bool
	Quotas     bool
	QuotaScale float64
	ErrorRate  float64
	Latency    time.Duration
	LogCalls   bool
}

func newEmulatorCmd(g *GlobalOptions) *cobra.Command {
	opts := &emulatorOptions{GlobalOptions: g}
	cmd := &cobra.Command{
		Use:   "emulator",
		Short: "Run the local AWS emulator (Pinpoint, End User Messaging, S3, and the Connect side)",
		Long: `Run p2c's local AWS on one port. It answers Pinpoint (mobiletargeting), End User Messaging
SMS and voice v2 (sms-voice), S3, Customer Profiles (profile), outbound campaigns v2
(connect-campaigns), Q in Connect (wisdom), Connect and SES v2 in their real wire protocols,
routed by each request's SigV4 signing name. Point any AWS client at it with AWS_ENDPOINT_URL=http://HOST:PORT.

Seeds: none (empty), demo (a realistic company, with its Connect side ready), target (the
Connect side alone: instances with outbound campaigns, knowledge bases, SES domains, numbers),
or a FILE: a seed file of recorded create calls, or an inventory.json written by
p2c scan, which rebuilds the scanned account (docs/emulator.md).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runEmulator(cmd, opts)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.Addr, "addr", "127.0.0.1:4566", "HOST:PORT to listen on (port 0 picks a free one)")
	f.StringVar(&opts.Seed, "seed", "none", "none, demo, target, a seed FILE or an inventory.json")
	f.BoolVar(&opts.Retired, "retired", envBool("P2C_EMULATOR_RETIRED"), "answer Pinpoint engagement operations with the end-of-support error (env P2C_EMULATOR_RETIRED)")
	f.BoolVar(&opts.Quotas, "quotas", envBool("P2C_EMULATOR_QUOTAS"), "enforce the real per-operation request-rate quotas (env P2C_EMULATOR_QUOTAS)")
	f.Float64Var(&opts.QuotaScale, "quota-scale", envFloat("P2C_EMULATOR_QUOTA_SCALE", 1), "multiply every quota (env P2C_EMULATOR_QUOTA_SCALE)")
	f.Float64Var(&opts.ErrorRate, "error-rate", envFloat("P2C_EMULATOR_ERROR_RATE", 0), "fraction of requests answered with a 5xx, 0..1 (env P2C_EMULATOR_ERROR_RATE)")
	f.DurationVar(&opts.Latency, "latency", envDuration("P2C_EMULATOR_LATENCY"), "latency added to every request (env P2C_EMULATOR_LATENCY)")
	f.BoolVar(&opts.LogCalls, "log", false, "print one line per request to stderr")
	return cmd
}

func (o *emulatorOptions) coreOptions() (emulator.Options, error) {
	if o.ErrorRate < 0 || o.ErrorRate > 1 {
		return emulator.Options{}, usageError{fmt.Errorf("--error-rate must be between 0 and 1, not %v", o.ErrorRate)}
	}
	if o.QuotaScale <= 0 {
		return emulator.Options{}, usageError{fmt.Errorf("--quota-scale must be positive, not %v", o.QuotaScale)}
	}
	opts := emulator.Options{Retired: o.Retired, Quotas: o.Quotas, QuotaScale: o.QuotaScale, ErrorRate: o.ErrorRate, Latency: o.Latency}
	if o.LogCalls {
		opts.Log = o.Stderr
	}
	return opts, nil
}

// loadSeed resolves --seed.
func loadSeed(name string) (*emulator.Seed, error) {
	switch name {
	case "", "none":
		return nil, nil
	case "demo":
		return demoseed.Demo(), nil
	case "target":
		return demoseed.Target(), nil
	}
	// An inventory.json from `p2c scan` seeds a copy of the scanned account;
	// it is told from a seed file by its top-level schemaVersion.
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, fmt.Errorf("read seed: %w", err)
	}
	if !invseed.IsInventory(data) {
		return emulator.LoadSeed(name)
	}
	inv, err := inventory.Parse(name, data)
	if err != nil {
		return nil, fmt.Errorf("seed from inventory: %w", err)
	}
	seed, notes, err := invseed.FromInventory(inv)
	if err != nil {
		return nil, err
	}
	for _, n := range notes {
		fmt.Fprintln(os.Stderr, "seed note:", n)
	}
	return seed, nil
}

// seeded builds an emulator and applies a seed with every fault turned off,
// then turns the asked-for behaviour on: seeding must not be throttled.
// The returned map holds the values the seed saved by name.
func seeded(opts emulator.Options, seedName string) (*emulator.Emulator, map[string]string, error) {
	seed, err := loadSeed(seedName)
	if err != nil {
		return nil, nil, err
	}
	e := emulator.New(emulator.Options{})
	vars := map[string]string{}
	if seed != nil {
		if vars, err = e.Apply(seed); err != nil {
			return nil, nil, fmt.Errorf("apply seed %s: %w", seedName, err)
		}
	}
	e.SetOptions(opts)
	return e, vars, nil
}

func runEmulator(cmd *cobra.Command, o *emulatorOptions) error {
	opts, err := o.coreOptions()
	if err != nil {
		return err
	}
	e, _, err := seeded(opts, o.Seed)
	if err != nil {
		return err
	}
	return e.Serve(cmd.Context(), o.Addr, o.Stdout)
}

func envBool(name string) bool {
	v := strings.ToLower(os.Getenv(name))
	return v == "1" || v == "true" || v == "yes"
}

func envFloat(name string, def float64) float64 {
	var f float64
	if v := os.Getenv(name); v != "" {
		if _, err := fmt.Sscan(v, &f); err == nil {
			return f
		}
	}
	return def
}

func envDuration(name string) time.Duration {
	if d, err := time.ParseDuration(os.Getenv(name)); err == nil {
		return d
	}
	return 0
}
