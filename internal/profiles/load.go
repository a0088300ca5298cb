package profiles

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/p2c/p2c/internal/target"
)

// Caller makes target API calls (*target.Client satisfies it).
type Caller interface {
	Call(ctx context.Context, service, region, op string, input map[string]any) (*target.Result, error)
}

// Load methods.
const (
	MethodAPI    = "api"    // PutProfileObject per endpoint, SearchProfiles by key, UpdateProfile
	MethodUpload = "upload" // Customer Profiles upload jobs (CSV)
)

// ProfileKeyName is the object-type key that finds a record's profile.
const ProfileKeyName = "PinpointProfileKey"

// defaultObjectType is blueprint's PinpointEndpoint (not imported: data
// flows from blueprint to engine, and profiles sits beside them).
const defaultObjectType = "PinpointEndpoint"

// LoadOptions control Load.
type LoadOptions struct {
	// From are record files (profiles*.jsonl.gz) or folders holding them.
	From []string
	// JournalDir holds the checkpoint journal, one file per shard
	// (load.db, load.shard-2-of-8.db); created 0700.
	JournalDir string
	Region     string
	Domain     string
	ObjectType string // default blueprint's PinpointEndpoint
	Client     Caller
	Method     string
	// Rate is the ceiling of calls per second per operation (default 100,
	// the published write quota); the controller backs off on throttling.
	Rate    float64
	Workers int // records in flight (default 32)
	Shard   Shard
	// HTTP uploads CSV files to the pre-signed URL (upload method);
	// nil uses http.DefaultClient.
	HTTP     *http.Client
	Progress io.Writer

	// ChunkRecords is the number of record lines per upload job (upload
	// method; default 100,000).
	ChunkRecords int
	// PollInterval is the first wait between GetUploadJob polls; it
	// doubles up to 30 s (default 1 s; tests shorten it).
	PollInterval time.Duration
}

// LoadSummary is what a load did.
type LoadSummary struct {
	Method string `json:"method"`
	Shard  Shard  `json:"shard"`
	// Records seen; Skipped were done by an earlier run (before the
	// checkpoint) or belong to another shard; Loaded now; Failed (listed).
	Records    int64         `json:"records"`
	Skipped    int64         `json:"skipped"`
	OtherShard int64         `json:"otherShard"`
	Loaded     int64         `json:"loaded"`
	Objects    int64         `json:"objects"`
	Failed     int64         `json:"failed"`
	Failures   []LoadFailure `json:"failures,omitempty"`
	// Calls and Throttled per operation; Seconds is the wall time.
	Calls     map[string]int64 `json:"calls"`
	Throttled map[string]int64 `json:"throttled"`
	Seconds   float64          `json:"seconds"`
	// UploadJobs lists the jobs of the upload method.
	UploadJobs []UploadJob `json:"uploadJobs,omitempty"`
	// Note says what the method leaves out (upload jobs carry no profile
	// objects).
	Note string `json:"note,omitempty"`
}

// LoadFailure is one record that could not be loaded.
type LoadFailure struct {
	File       string `json:"file"`
	Line       int64  `json:"line"`
	ProfileKey string `json:"profileKey"`
	Error      string `json:"error"`
}

// UploadJob is one Customer Profiles upload job of a load.
type UploadJob struct {
	File     string `json:"file"`
	FromLine int64  `json:"fromLine"`
	ToLine   int64  `json:"toLine"`
	JobId    string `json:"jobId"`
	Status   string `json:"status"`
	Created  int64  `json:"created"`
	Updated  int64  `json:"updated"`
	Failed   int64  `json:"failed"`
}

// uploadNote is LoadSummary.Note of the upload method.
const uploadNote = "upload jobs load profile fields only: no PinpointEndpoint objects were written, so calculated attributes over endpoints stay empty (use --method api for them)"

// loader is one Load run.
type loader struct {
	opts   LoadOptions
	client Caller
	j      *loadJournal
	sum    *LoadSummary

	mu           sync.Mutex
	ctls         map[string]*rateController
	lastProgress time.Time
}

// progressEvery spaces the progress lines of a long load.
const progressEvery = 10 * time.Second

// Load writes record files into a Customer Profiles domain, resumably.
func Load(ctx context.Context, opts LoadOptions) (*LoadSummary, error) {
	start := time.Now()
	if opts.Client == nil {
		return nil, errors.New("load: no client")
	}
	if opts.Domain == "" {
		return nil, errors.New("load: no domain")
	}
	if opts.JournalDir == "" {
		return nil, errors.New("load: no journal folder")
	}
	if opts.ObjectType == "" {
		opts.ObjectType = defaultObjectType
	}
	if opts.Method == "" {
		opts.Method = MethodAPI
	}
	if opts.Method != MethodAPI && opts.Method != MethodUpload {
		return nil, fmt.Errorf("load: unknown method %q (want %s or %s)", opts.Method, MethodAPI, MethodUpload)
	}
	if opts.Rate <= 0 {
		opts.Rate = 100
	}
	if opts.Workers <= 0 {
		opts.Workers = 32
	}
	if opts.ChunkRecords <= 0 {
		opts.ChunkRecords = 100_000
	}
	if opts.PollInterval <= 0 {
		opts.PollInterval = time.Second
	}
	if opts.HTTP == nil {
		opts.HTTP = http.DefaultClient
	}
	files, err := recordFiles(opts.From, opts.Shard)
	if err != nil {
		return nil, fmt.Errorf("load: %w", err)
	}
	l := &loader{opts: opts, client: noRetries(opts.Client), ctls: map[string]*rateController{},
		sum: &LoadSummary{Method: opts.Method, Shard: opts.Shard, Calls: map[string]int64{}, Throttled: map[string]int64{}}}
	j, err := openLoadJournal(opts.JournalDir, opts.Shard)
	if err != nil {
		return nil, err
	}
	defer j.Close()
	l.j = j
	region := opts.Region
	if region == "" {
		region = "default"
	}
	if err := j.checkMeta(ctx, [][2]string{{"domain", opts.Domain}, {"region", region}, {"method", opts.Method}, {"object type", opts.ObjectType}}); err != nil {
		return nil, err
	}
	if err := l.preflight(ctx); err != nil {
		return nil, err
	}
	for _, f := range files {
		if opts.Method == MethodUpload {
			err = l.uploadFile(ctx, f)
		} else {
			err = l.loadFile(ctx, f)
		}
		if err != nil {
			l.sum.Seconds = time.Since(start).Seconds()
			return l.sum, err
		}
	}
	if opts.Method == MethodUpload {
		l.sum.Note = uploadNote
	}
	l.sum.Seconds = time.Since(start).Seconds()
	return l.sum, nil
}

// noRetries gives the loader a client that reports throttling instead of
// retrying it, so the rate controller sees every throttled answer.
func noRetries(c Caller) Caller {
	if tc, ok := c.(*target.Client); ok {
		cp := *tc
		cp.MaxAttempts = 1
		return &cp
	}
	return c
}

// preflight checks that the plan was applied: the domain exists and the
// object type creates keyed profiles.
func (l *loader) preflight(ctx context.Context) error {
	o := l.opts
	if _, err := l.call(ctx, "GetDomain", map[string]any{"DomainName": o.Domain}); err != nil {
		if target.IsCode(err, "ResourceNotFoundException") {
			return fmt.Errorf("load: domain %s does not exist in %s: run p2c apply first (or name the domain the plan created)", o.Domain, o.Region)
		}
		return fmt.Errorf("load: get domain %s: %w", o.Domain, err)
	}
	res, err := l.call(ctx, "GetProfileObjectType", map[string]any{"DomainName": o.Domain, "ObjectTypeName": o.ObjectType})
	if err != nil {
		if target.IsCode(err, "ResourceNotFoundException") {
			return fmt.Errorf("load: object type %s does not exist in domain %s: run p2c apply first", o.ObjectType, o.Domain)
		}
		return fmt.Errorf("load: get object type %s: %w", o.ObjectType, err)
	}
	if allow, _ := res["AllowProfileCreation"].(bool); !allow {
		return fmt.Errorf("load: object type %s of domain %s does not allow profile creation: it is not the one p2c's plan creates", o.ObjectType, o.Domain)
	}
	keys, _ := res["Keys"].(map[string]any)
	ok := false
	kl, _ := keys[ProfileKeyName].([]any)
	for _, k := range kl {
		km, _ := k.(map[string]any)
		if hasString(km["StandardIdentifiers"], "PROFILE") && hasString(km["FieldNames"], "ProfileKey") {
			ok = true
		}
	}
	if !ok {
		return fmt.Errorf("load: object type %s of domain %s has no PROFILE key %s on field ProfileKey: it is not the one p2c's plan creates", o.ObjectType, o.Domain, ProfileKeyName)
	}
	return nil
}

func hasString(v any, s string) bool {
	l, _ := v.([]any)
	for _, x := range l {
		if x == s {
			return true
		}
	}
	return false
}

// ctl returns the rate controller of an operation. Operations with a
// lower published quota than the writes keep their proportion of Rate:
// at the default 100/s, upload jobs and GetDomain get 5/s and
// GetProfileObjectType 10/s.
func (l *loader) ctl(op string) *rateController {
	l.mu.Lock()
	defer l.mu.Unlock()
	c := l.ctls[op]
	if c == nil {
		ceiling := l.opts.Rate
		switch op {
		case "GetDomain", "CreateUploadJob", "GetUploadJobPath", "StartUploadJob", "GetUploadJob":
			ceiling = l.opts.Rate * 5 / 100
		case "GetProfileObjectType":
			ceiling = l.opts.Rate * 10 / 100
		}
		c = newRateController(max(ceiling, rateFloor))
		l.ctls[op] = c
	}
	return c
}

// maxAttempts bounds retries of server and transport errors; throttling
// is retried as long as it takes (the controller slows down), up to
// maxThrottled answers for one call.
const (
	maxAttempts  = 8
	maxThrottled = 100
)

// call makes one Customer Profiles call under its operation's rate
// controller, retrying throttling (slower) and server errors (backoff).
func (l *loader) call(ctx context.Context, op string, in map[string]any) (map[string]any, error) {
	ctl := l.ctl(op)
	attempts, throttled := 0, 0
	for {
		if err := ctl.Wait(ctx); err != nil {
			return nil, err
		}
		res, err := l.client.Call(ctx, "customer-profiles", l.opts.Region, op, in)
		l.count(op, false)
		if err == nil {
			return res.Output, nil
		}
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		switch {
		case isThrottle(err):
			l.count(op, true)
			ctl.Throttled()
			if throttled++; throttled >= maxThrottled {
				return nil, fmt.Errorf("%s: throttled %d times: %w", op, throttled, err)
			}
		case isTransient(err):
			if attempts++; attempts >= maxAttempts {
				return nil, fmt.Errorf("%s: %d attempts: %w", op, attempts, err)
			}
			if err := sleepCtx(ctx, backoff(attempts)); err != nil {
				return nil, err
			}
		default:
			return nil, err
		}
	}
}

func (l *loader) count(op string, throttled bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if throttled {
		l.sum.Throttled[op]++
	} else {
		l.sum.Calls[op]++
	}
}

// backoff is the wait before retry n (1-based) of a server error: 100 ms
// doubling up to 5 s, with jitter so that retries spread out.
func backoff(n int) time.Duration {
	d := min(100*time.Millisecond<<min(n-1, 6), 5*time.Second)
	return d/2 + time.Duration(rand.Int64N(int64(d/2)+1))
}

func isThrottle(err error) bool {
	var ae *target.APIError
	if !errors.As(err, &ae) {
		return false
	}
	return ae.Status == 429 || strings.Contains(ae.Code, "Throttl") || ae.Code == "TooManyRequestsException"
}

// isTransient: server errors and transport failures (no API answer).
func isTransient(err error) bool {
	var ae *target.APIError
	if errors.As(err, &ae) {
		return ae.Status >= 500
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false
	}
	// A request that could not be built is not worth retrying.
	var ue *url.Error
	return errors.As(err, &ue) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF)
}

func (l *loader) progressf(format string, args ...any) {
	if l.opts.Progress != nil {
		fmt.Fprintf(l.opts.Progress, format+"\n", args...)
	}
}
