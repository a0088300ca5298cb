// Package profiles emulates Amazon Connect Customer Profiles' REST-JSON API
// (signing name profile): domains, object types, profiles with search keys,
// profile objects mapped onto profiles through their object type,
// calculated attributes computed over the stored objects, segment
// definitions evaluated over the stored profiles (membership, estimates,
// snapshots), event triggers, upload jobs and tags.
//
// Routes, required members, constraints and response members come from the
// embedded botocore model; this package holds only the behaviour.
//
// Asynchronous work is advanced by reads, so that tests stay deterministic:
// a segment estimate is RUNNING on its first GetSegmentEstimate and
// SUCCEEDED after; a snapshot is IN_PROGRESS on its first GetSegmentSnapshot
// and COMPLETED after (its export is written to DestinationUri in the
// emulator's S3); an upload job is CREATED until StartUploadJob,
// IN_PROGRESS on the first GetUploadJob, and finished on the next, when it
// ingests the CSV the client PUT at the GetUploadJobPath URL (header row =
// source field names; UniqueKey finds the profile to update or a new one
// is created). Without SetObjects a started job succeeds with nothing
// ingested. SQL segment definitions are stored but not evaluated.
package profiles

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/p2c/p2c/internal/awsmodel"
	"github.com/p2c/p2c/internal/emulator/core"
)

// Objects is the emulator's S3: upload jobs read the CSV a client put at
// the job's pre-signed URL, segment snapshots write their export there.
type Objects interface {
	CreateBucket(name string) error
	PutObject(bucket, key string, data []byte) error
	GetObject(bucket, key string) ([]byte, error)
}

// UploadBucket is the emulator S3 bucket that upload-job URLs point into.
const UploadBucket = "p2c-emulator-profile-uploads"

// DefaultPageSize is what list operations return without max-results. AWS
// does not document it; a small page keeps clients exercising pagination.
const DefaultPageSize = 20

// Resource quotas (connect-target.md 3.13).
const (
	maxDomains            = 100
	maxObjectTypes        = 100
	maxKeysPerObjectType  = 10
	maxCalculatedAttrs    = 50
	maxEventTriggers      = 50
	maxSnapshotsPerDay    = 200
	maxObjectsPerProfile  = 1000
	maxObjectSize         = 250 * 1024
	maxSearchKeyPairs     = 5
	maxMembershipProfiles = 100
)

// Service is the emulated Customer Profiles.
type Service struct {
	model *awsmodel.Model
	rest  core.REST
	now   func() time.Time

	mu      sync.Mutex
	objs    Objects
	regions map[string]*region
	seq     int
}

type region struct {
	name    string
	domains map[string]*domain
}

// New returns an empty Customer Profiles.
func New() *Service {
	m := awsmodel.MustLoad("customer-profiles")
	return &Service{model: m, rest: core.REST{Model: m}, now: func() time.Time { return time.Now().UTC() }, regions: map[string]*region{}}
}

// SetObjects connects the emulator's S3 (upload jobs and snapshots use it
// when set).
func (s *Service) SetObjects(objs Objects) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.objs = objs
}

// SetClock replaces the service clock (tests and seeds with fixed dates).
func (s *Service) SetClock(now func() time.Time) { s.now = now }

// Reset drops every resource.
func (s *Service) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.regions = map[string]*region{}
	s.seq = 0
}

// SigningName implements core.Service.
func (s *Service) SigningName() string { return "profile" }

// Resolve implements core.Service.
func (s *Service) Resolve(c *core.Call) (string, *core.Error) { return s.rest.Resolve(c) }

// WriteError implements core.Service: status, X-Amzn-ErrorType and a
// {"message"} body, as Customer Profiles answers.
func (s *Service) WriteError(c *core.Call, e *core.Error) {
	c.W.Header().Set("X-Amzn-ErrorType", e.Code)
	core.WriteJSON(c, e.Status, map[string]any{"message": e.Message})
}

// Quota implements core.Service with the API rates of connect-target.md
// 3.13 (requests per second per account and region).
func (s *Service) Quota(op string) float64 {
	switch op {
	case "CreateProfile", "UpdateProfile", "PutProfileObject", "AddProfileKey", "DeleteProfile", "DeleteProfileObject",
		"MergeProfiles", "SearchProfiles", "ListProfileObjects", "GetMatches", "GetCalculatedAttributeForProfile",
		"ListCalculatedAttributesForProfile", "ListAccountIntegrations":
		return 100
	case "BatchGetProfile", "BatchPutProfileObject", "GetSegmentMembership":
		return 100 // assumed: profile-level reads and writes share the 100 TPS of their kind
	case "CreateDomain", "UpdateDomain", "DeleteDomain", "PutProfileObjectType", "DeleteProfileObjectType",
		"PutIntegration", "DeleteIntegration", "CreateEventStream", "CreateCalculatedAttributeDefinition",
		"UpdateCalculatedAttributeDefinition":
		return 1
	case "GetProfileObjectType":
		return 10
	case "CreateSegmentDefinition", "DeleteSegmentDefinition", "CreateEventTrigger", "UpdateEventTrigger", "DeleteEventTrigger",
		"CreateUploadJob", "StartUploadJob", "StopUploadJob", "DeleteCalculatedAttributeDefinition",
		"CreateSegmentSnapshot", "CreateSegmentEstimate":
		return 5 // assumed: not in the published table; the "most List/Get" rate
	}
	return 5 // most List/Get operations, Tag/Untag, CreateIntegrationWorkflow
}

// Throttled implements core.Service.
func (s *Service) Throttled(op string) *core.Error {
	return core.Errf(429, "ThrottlingException", "Rate exceeded")
}

// Internal implements core.Service.
func (s *Service) Internal(op string) *core.Error {
	return core.Errf(500, "InternalServerException", "Internal server error")
}

// Retired implements core.Service: Customer Profiles is a target service.
func (s *Service) Retired(op string) *core.Error { return nil }

type handler func(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error)

var handlers = map[string]handler{}

func register(m map[string]handler) {
	for op, h := range m {
		handlers[op] = h
	}
}

// Serve implements core.Service.
func (s *Service) Serve(c *core.Call) {
	h := handlers[c.Op]
	if h == nil {
		s.WriteError(c, core.Errf(501, "NotImplementedException", "The p2c emulator does not implement %s", c.Op))
		return
	}
	var limits map[string]any
	if c.Op == "CreateEventTrigger" || c.Op == "UpdateEventTrigger" {
		orig := c.Body
		if relaxed, lim, ok := relaxPeriods(c.Body); ok {
			c.Body, limits = relaxed, lim
		}
		defer func() { c.Body = orig }()
	}
	in, err := s.rest.Input(c, "BadRequestException")
	if err != nil {
		s.WriteError(c, err)
		return
	}
	if limits != nil {
		in["EventTriggerLimits"] = limits
	}
	c.Now = s.now()
	s.mu.Lock()
	r := s.region(c.Region)
	out, err := h(s, c, r, in)
	s.mu.Unlock()
	if err != nil {
		s.WriteError(c, err)
		return
	}
	status := s.model.Operations[c.Op].HTTP.ResponseCode
	if status == 0 {
		status = 200
	}
	m, _ := out.(map[string]any)
	if m == nil {
		m = map[string]any{}
	}
	// Members bound to the HTTP status (segment estimates) set it.
	if code, ok := m["StatusCode"].(int); ok {
		status = code
	}
	if ref := s.model.Operations[c.Op].Output; ref != nil {
		m, _ = s.model.Prune(ref.Shape, m).(map[string]any)
	}
	core.WriteJSON(c, status, m)
}

func (s *Service) region(name string) *region {
	r := s.regions[name]
	if r == nil {
		r = &region{name: name, domains: map[string]*domain{}}
		s.regions[name] = r
	}
	return r
}

// newID returns a 32-hex-character id derived from a counter, so that a
// seed applied to a fresh emulator always yields the same ids.
func (s *Service) newID(region, kind string) string {
	s.seq++
	sum := sha256.Sum256([]byte(fmt.Sprintf("%s/%s/%d", region, kind, s.seq)))
	return hex.EncodeToString(sum[:16])
}

// hashOf is a short stable digest of s.
func hashOf(s string) []byte {
	sum := sha256.Sum256([]byte(s))
	return sum[:16]
}

// stamp is a timestamp as Customer Profiles sends it: epoch seconds.
func stamp(t time.Time) float64 { return float64(t.UnixMilli()) / 1000 }

func arn(region, rest string) string {
	return fmt.Sprintf("arn:aws:profile:%s:%s:%s", region, core.Account, rest)
}

// helpers over decoded JSON -------------------------------------------------

func list(m map[string]any, k string) []any {
	if m == nil {
		return nil
	}
	l, _ := m[k].([]any)
	return l
}

func strs(v any) []string {
	l, _ := v.([]any)
	out := make([]string, 0, len(l))
	for _, x := range l {
		out = append(out, core.Scalar(x))
	}
	return out
}

func copyMap(m map[string]any) map[string]any {
	c, _ := core.DeepCopy(m).(map[string]any)
	return c
}

func notFound(format string, args ...any) *core.Error {
	return core.Errf(404, "ResourceNotFoundException", format, args...)
}

func badRequest(format string, args ...any) *core.Error {
	return core.Errf(400, "BadRequestException", format, args...)
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func remove(l []string, x string) []string {
	out := l[:0]
	for _, v := range l {
		if v != x {
			out = append(out, v)
		}
	}
	return out
}

// listPage answers a paginated list as {"Items": [...], "NextToken": ...}.
func listPage(name string, items []any, in map[string]any) (map[string]any, *core.Error) {
	size := DefaultPageSize
	if v := core.Str(in, "MaxResults"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return nil, badRequest("Invalid max-results %q", v)
		}
		size = n
	}
	page, next, err := core.Page(name, items, core.Str(in, "NextToken"), size)
	if err != nil {
		return nil, err
	}
	out := map[string]any{"Items": page}
	if next != "" {
		out["NextToken"] = next
	}
	return out, nil
}

// tagsOf copies a Tags input, refusing keys AWS reserves.
func tagsOf(v any) (map[string]any, *core.Error) {
	t, _ := v.(map[string]any)
	out := map[string]any{}
	for k, x := range t {
		if strings.HasPrefix(strings.ToLower(k), "aws:") {
			return nil, badRequest("Tag keys starting with aws: are reserved")
		}
		out[k] = x
	}
	return out, nil
}

func message(msg string) map[string]any { return map[string]any{"Message": msg} }
