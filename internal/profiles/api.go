package profiles

// Stubs with the final signatures, so the parts of this package can be
// built side by side. Each part's author deletes its stub here when the
// real function lands in its own file.

import (
	"context"
	"errors"
	"io"
	"net/http"

	"github.com/valyala/fastjson"

	"github.com/p2c/p2c/internal/source/saved"
	"github.com/p2c/p2c/internal/target"
)

var errNotBuilt = errors.New("not built yet")

// ParseEndpoint parses and repairs one export line. p is reused between
// calls of one goroutine. A nil error with e.Repairs lists the repairs; a
// *LineError rejects the line.
func ParseEndpoint(line []byte, p *fastjson.Parser, opts ParseOptions) (e Endpoint, err error) {
	return Endpoint{}, errNotBuilt
}

// ParseOptions tune parsing.
type ParseOptions struct {
	// DefaultCountry (ISO 3166-1 alpha-2) reads phone numbers written
	// without a + when the endpoint's Location.Country gives none.
	DefaultCountry string
}

// LineError rejects one input line.
type LineError struct {
	Field  string
	Reason string
}

func (e *LineError) Error() string {
	if e.Field == "" {
		return e.Reason
	}
	return e.Field + ": " + e.Reason
}

// Build merges the endpoints of one profile key (unique endpoint ids,
// any order) into its record. Repairs Build makes (split values, ...) are
// returned as Rejects with Action "repaired".
func Build(key string, eps []Endpoint, opts BuildOptions) (Record, []Reject) {
	return Record{ProfileKey: key}, nil
}

// BuildOptions tune Build.
type BuildOptions struct {
	// ObjectFields are the field names of the plan's PinpointEndpoint
	// object type; objects carry only those (nil: every field Build knows).
	ObjectFields map[string]bool
}

// TransformOptions control Transform.
type TransformOptions struct {
	From []string // files, folders, s3://bucket/prefix
	Out  string   // output folder (created 0700)
	S3   saved.ObjectStore
	// TempDir holds sorted runs (default: Out/.work); kept until the
	// transform finishes so a killed run resumes.
	TempDir string
	Shard   Shard
	Parse   ParseOptions
	Build   BuildOptions
	// MemoryBytes bounds the in-memory sort buffer (default 64 MiB).
	MemoryBytes int
	Workers     int       // parsing goroutines (default GOMAXPROCS)
	Progress    io.Writer // progress lines (stderr); nil for none
}

// Transform streams endpoint exports into Out: profiles.jsonl.gz,
// rejects.jsonl and summary.json (shard-suffixed names for a shard).
func Transform(ctx context.Context, opts TransformOptions) (*Summary, error) {
	return nil, errNotBuilt
}

// Caller makes target API calls (*target.Client satisfies it).
type Caller interface {
	Call(ctx context.Context, service, region, op string, input map[string]any) (*target.Result, error)
}

// Load methods.
const (
	MethodAPI    = "api"    // PutProfileObject per endpoint, SearchProfiles by key, UpdateProfile
	MethodUpload = "upload" // Customer Profiles upload jobs (CSV)
)

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

// Load writes record files into a Customer Profiles domain, resumably.
func Load(ctx context.Context, opts LoadOptions) (*LoadSummary, error) {
	return nil, errNotBuilt
}
