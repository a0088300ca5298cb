package profiles

// Stubs with the final signatures, so the parts of this package can be
// built side by side. Each part's author deletes its stub here when the
// real function lands in its own file.

import (
	"context"
	"errors"
	"io"

	"github.com/valyala/fastjson"

	"github.com/p2c/p2c/internal/source/saved"
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
