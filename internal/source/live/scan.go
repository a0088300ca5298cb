// Package live reads a Pinpoint and End User Messaging footprint from the
// AWS APIs into an inventory. It reads only: the one exception is the
// optional endpoint export job, which writes files to the S3 prefix the
// user names.
package live

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/service/pinpoint"
	"github.com/aws/aws-sdk-go-v2/service/pinpointsmsvoicev2"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/smithy-go"
	"golang.org/x/sync/errgroup"

	"github.com/p2c/p2c/internal/inventory"
)

// Options control a scan.
type Options struct {
	// Regions to scan; empty means the region of the aws.Config.
	Regions []string
	// Concurrency bounds the requests in flight across the whole scan
	// (default DefaultConcurrency). The request rate is bounded apart from
	// it, per operation (see pace.go).
	Concurrency int
	// ExportEndpoints, when set (s3://bucket/prefix), runs an endpoint
	// export job per app into <prefix>/<appId>/ and summarizes the files.
	ExportEndpoints string
	// ExportRoleARN is the role Pinpoint assumes to write the export.
	ExportRoleARN string
	// ExportTimeout bounds the wait for one export job (default 30 min);
	// ExportPoll is the polling interval (default 5 s).
	ExportTimeout time.Duration
	ExportPoll    time.Duration
	// KPIDays is the KPI look-back (default 90, Pinpoint's retention);
	// negative disables KPI reads.
	KPIDays int
	// MaxAttempts and MaxBackoff tune the retryer (defaults 10 and 20 s).
	MaxAttempts int
	MaxBackoff  time.Duration
	// Progress receives one line per finished step (stderr chatter).
	Progress io.Writer
	// Now is the clock (default time.Now).
	Now func() time.Time
	// Tool names the writer in the inventory (e.g. "p2c v1.2.3").
	Tool string
}

// DefaultConcurrency is the default Options.Concurrency. Each operation
// is paced at its quota (see pace.go), so the bound on requests in flight
// only has to be high enough not to be what limits the scan. Keeping one
// operation at 300 per second takes 300 × latency requests in flight (6
// at 20 ms, 30 at 100 ms), and at the start of a big scan some forty
// operations are busy at once; slots are shared fairly among them, so too
// few slots would hold the busiest operation (the campaigns' KPI reads)
// below its quota while the others run. It was 8, which held a scan of
// 50,000 calls to 8 / latency requests per second whatever the quotas;
// 256 connections to one endpoint are still modest.
const DefaultConcurrency = 256

// PageSize is the page-size sent with every Pinpoint list call. AWS
// documents no maximum; 100 keeps request counts low against the 300 rps
// per-operation quota while a page of the largest objects (journeys of 40
// activities, ~30 KB each) stays well under the 7 MB response cap.
const PageSize = "100"

// maxResults is the End User Messaging page size (the model's maximum).
const maxResults = int32(100)

// Service names used in facts.
const (
	svcPinpoint = "pinpoint"
	svcSMSVoice = "pinpoint-sms-voice-v2"
	svcS3       = "s3"
)

type scanner struct {
	cfg  aws.Config
	opts Options
	sem  chan struct{}
	pace *pacers
	now  time.Time

	mu       sync.Mutex
	facts    map[string]inventory.Fact
	warnings []inventory.Warning
	// skip remembers operations that answered "retired" or "unavailable" in
	// a region, so they are not asked again for every app.
	skip map[string]bool
}

// Scan reads every region in opts.Regions and returns the inventory. An
// operation that is retired, denied or not configured becomes a Fact, and
// any other failure a Warning; the scan goes on. Scan returns an error only
// when ctx ends or nothing could be configured.
func Scan(ctx context.Context, cfg aws.Config, opts Options) (*inventory.Inventory, error) {
	if opts.Concurrency <= 0 {
		opts.Concurrency = DefaultConcurrency
	}
	if opts.KPIDays == 0 {
		opts.KPIDays = 90
	}
	if opts.MaxAttempts <= 0 {
		opts.MaxAttempts = 10
	}
	if opts.MaxBackoff <= 0 {
		opts.MaxBackoff = 20 * time.Second
	}
	if opts.ExportTimeout <= 0 {
		opts.ExportTimeout = 30 * time.Minute
	}
	if opts.ExportPoll <= 0 {
		opts.ExportPoll = 5 * time.Second
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Tool == "" {
		opts.Tool = "p2c"
	}
	regions := opts.Regions
	if len(regions) == 0 {
		if cfg.Region == "" {
			return nil, errors.New("scan: no region given and none configured")
		}
		regions = []string{cfg.Region}
	}
	if opts.ExportEndpoints != "" {
		if _, _, err := parseS3URL(opts.ExportEndpoints); err != nil {
			return nil, fmt.Errorf("scan: --export-endpoints: %w", err)
		}
		if opts.ExportRoleARN == "" {
			return nil, errors.New("scan: an endpoint export needs a role ARN that Pinpoint can assume")
		}
	}
	// Throttling is expected on big accounts: retry more, back off longer,
	// and never let the client-side retry budget refuse a retry, so the
	// scan slows down to the quota instead of failing.
	cfg = cfg.Copy()
	cfg.Retryer = func() aws.Retryer {
		return retry.NewStandard(func(o *retry.StandardOptions) {
			o.MaxAttempts = opts.MaxAttempts
			o.MaxBackoff = opts.MaxBackoff
			o.RateLimiter = ratelimit.None
		})
	}
	if err := preflight(ctx, cfg, regions[0], opts.ExportEndpoints); err != nil {
		return nil, err
	}
	s := &scanner{
		cfg: cfg, opts: opts, sem: make(chan struct{}, opts.Concurrency),
		now: opts.Now().UTC(), facts: map[string]inventory.Fact{}, skip: map[string]bool{},
	}
	s.pace = newPacers(s.sem)
	defer s.pace.stop()
	s.cfg.APIOptions = append(s.cfg.APIOptions, s.pace.observeAttempts)
	s.cfg.HTTPClient = withConnectionPool(s.cfg.HTTPClient, opts.Concurrency)
	inv := &inventory.Inventory{
		SchemaVersion: inventory.SchemaVersion,
		Tool:          opts.Tool,
		ScannedAt:     s.now,
		Sources:       []inventory.Source{{Kind: "live", Regions: regions}},
	}
	if cfg.BaseEndpoint != nil {
		inv.Sources[0].Detail = *cfg.BaseEndpoint
	}
	inv.Regions = make([]inventory.Region, len(regions))
	g, gctx := errgroup.WithContext(ctx)
	for i, name := range regions {
		g.Go(func() error {
			r, err := s.region(gctx, name)
			inv.Regions[i] = r
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	for _, f := range s.facts {
		inv.Facts = append(inv.Facts, f)
	}
	inv.Warnings = s.warnings
	inv.Account = accountFromRegions(inv.Regions)
	inventory.ResolveReferences(inv)
	inv.Sort()
	return inv, nil
}

func (s *scanner) progressf(format string, args ...any) {
	if s.opts.Progress == nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	fmt.Fprintf(s.opts.Progress, format+"\n", args...)
}

func (s *scanner) region(ctx context.Context, name string) (inventory.Region, error) {
	r := inventory.Region{Name: name}
	pp := pinpoint.NewFromConfig(s.cfg, func(o *pinpoint.Options) { o.Region = name })
	sv := pinpointsmsvoicev2.NewFromConfig(s.cfg, func(o *pinpointsmsvoicev2.Options) { o.Region = name })
	var s3c *s3.Client
	if s.opts.ExportEndpoints != "" {
		s3c = s3.NewFromConfig(s.cfg, func(o *s3.Options) {
			o.Region = name
			// A custom endpoint (the emulator, a VPC endpoint) cannot serve
			// bucket-named hosts.
			o.UsePathStyle = s.cfg.BaseEndpoint != nil
		})
	}
	ps := &pinpointScan{s: s, c: pp, s3: s3c, region: name}
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() (err error) { r.Templates, err = ps.templates(gctx); return })
	g.Go(func() (err error) { r.Recommenders, err = ps.recommenders(gctx); return })
	g.Go(func() (err error) { r.Apps, err = ps.apps(gctx); return })
	g.Go(func() (err error) {
		es := &eumScan{s: s, c: sv, region: name}
		r.EUM, err = es.scan(gctx)
		return
	})
	err := g.Wait()
	s.progressf("%s: %d apps, %d templates, %d recommenders, %d phone numbers, %d pools",
		name, len(r.Apps), len(r.Templates), len(r.Recommenders), len(r.EUM.PhoneNumbers), len(r.EUM.Pools))
	return r, err
}

// acquire waits for the operation's turn and a request slot (see
// pace.go). The bound is on requests in flight rather than on goroutines:
// the scan fans out per app, per campaign, per journey, and a fixed-size
// worker pool would deadlock on that nesting.
func (s *scanner) acquire(ctx context.Context, region, service, op string) error {
	return s.pace.acquire(ctx, region, service, op)
}

func (s *scanner) release() { <-s.sem }

// Error classes.
const (
	callOK = iota
	errOther
	errRetired
	errDenied
	errNotFound
	errBadRequest
)

func classify(err error) (class int, code, msg string) {
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		return errOther, "", err.Error()
	}
	code, msg = ae.ErrorCode(), ae.ErrorMessage()
	low := strings.ToLower(msg)
	switch code {
	case "ForbiddenException", "AccessDeniedException", "AccessDenied", "UnauthorizedException",
		"UnrecognizedClientException", "InvalidClientTokenId", "NotAuthorized":
		if strings.Contains(low, "end of support") {
			return errRetired, code, msg
		}
		return errDenied, code, msg
	case "NotFoundException", "ResourceNotFoundException", "NoSuchBucket", "NoSuchKey":
		return errNotFound, code, msg
	case "BadRequestException", "ValidationException":
		return errBadRequest, code, msg
	}
	return errOther, code, msg
}

// fail records a failed call and reports whether the scan may go on (it
// may, except when ctx ended). Retired and denied calls become facts; a
// retired operation is not called again in that region.
func (s *scanner) fail(ctx context.Context, region, service, op, resource string, err error) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	if errors.Is(err, errSkipped) {
		return nil
	}
	class, code, msg := classify(err)
	switch class {
	case errRetired:
		// One fact per region and operation: the whole operation is gone.
		s.markSkip(region, service, op)
		s.fact(inventory.Fact{Region: region, Service: service, Operation: op, Kind: inventory.FactRetired, Code: code, Message: msg})
	case errDenied:
		s.fact(inventory.Fact{Region: region, Service: service, Operation: op, Kind: inventory.FactAccessDenied, Resource: resource, Code: code, Message: msg})
	default:
		s.warn(region, op, resource, err.Error())
	}
	return nil
}

func (s *scanner) fact(f inventory.Fact) {
	s.mu.Lock()
	defer s.mu.Unlock()
	k := f.Region + "\x00" + f.Service + "\x00" + f.Operation + "\x00" + f.Resource + "\x00" + f.Kind
	if _, ok := s.facts[k]; !ok {
		s.facts[k] = f
	}
}

func (s *scanner) warn(region, op, resource, msg string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.warnings = append(s.warnings, inventory.Warning{Region: region, Operation: op, Resource: resource, Message: msg})
}

// errSkipped is returned for calls not made because the operation already
// answered "retired" or "unavailable" in the region.
var errSkipped = errors.New("operation skipped")

func skipKey(region, service, op string) string { return region + "/" + service + "/" + op }

func (s *scanner) markSkip(region, service, op string) {
	s.mu.Lock()
	s.skip[skipKey(region, service, op)] = true
	s.mu.Unlock()
}

func (s *scanner) skipped(region, service, op string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.skip[skipKey(region, service, op)]
}

// accountFromRegions takes the account id from the first ARN seen.
func accountFromRegions(rs []inventory.Region) string {
	var arns []string
	for _, r := range rs {
		for _, a := range r.Apps {
			arns = append(arns, a.Arn)
		}
		for _, p := range r.EUM.PhoneNumbers {
			arns = append(arns, field(p.Object, "PhoneNumberArn"))
		}
		for _, p := range r.EUM.Pools {
			arns = append(arns, field(p.Object, "PoolArn"))
		}
	}
	sort.Strings(arns)
	for _, a := range arns {
		if parts := strings.SplitN(a, ":", 6); len(parts) == 6 && parts[4] != "" {
			return parts[4]
		}
	}
	return ""
}
