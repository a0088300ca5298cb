// Package pinpoint emulates Amazon Pinpoint's REST-JSON API (signing name
// mobiletargeting): apps, settings, channels, event streams, segments,
// campaigns, journeys, templates, recommenders, endpoints, import and export
// jobs, and analytics from seeded figures.
//
// Routes, status codes, required members and response members come from the
// embedded botocore model; this package holds only the behaviour.
package pinpoint

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

// Objects is the emulator's S3, where export jobs write and import jobs read.
type Objects interface {
	PutObject(bucket, key string, data []byte) error
	GetObject(bucket, key string) ([]byte, error)
}

// RetiredMessage starts the message of every retired operation's error.
const RetiredMessage = "Amazon Pinpoint reached end of support on 2026-10-30"

// DefaultPageSize is what list operations return without page-size. AWS does
// not document it; the emulator keeps it small so that every scanner
// exercises pagination on realistic accounts.
const DefaultPageSize = 20

// MaxPageSize caps page-size the way the service refuses larger pages.
const MaxPageSize = 1000

// Service is the emulated Pinpoint.
type Service struct {
	model *awsmodel.Model
	rest  core.REST
	objs  Objects
	now   func() time.Time

	mu      sync.Mutex
	regions map[string]*region
	seq     int
}

// New returns an empty Pinpoint. objs may be nil (export jobs then fail).
func New(objs Objects) *Service {
	m := awsmodel.MustLoad("pinpoint")
	return &Service{model: m, rest: core.REST{Model: m}, objs: objs, now: func() time.Time { return time.Now().UTC() }, regions: map[string]*region{}}
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
func (s *Service) SigningName() string { return "mobiletargeting" }

// Resolve implements core.Service.
func (s *Service) Resolve(c *core.Call) (string, *core.Error) { return s.rest.Resolve(c) }

// WriteError implements core.Service: status, X-Amzn-ErrorType and a
// {"Message","RequestID"} body, as Pinpoint answers.
func (s *Service) WriteError(c *core.Call, e *core.Error) {
	c.W.Header().Set("X-Amzn-ErrorType", e.Code)
	core.WriteJSON(c, e.Status, map[string]any{"Message": e.Message, "RequestID": c.RequestID})
}

// Quota implements core.Service with the per-operation rates AWS publishes
// for Pinpoint (requests per second, burst equal to rate).
func (s *Service) Quota(op string) float64 {
	switch op {
	case "GetEndpoint", "UpdateEndpoint":
		return 10
	case "UpdateEndpointsBatch":
		return 2
	case "DeleteEndpoint":
		return 5
	case "PutEvents":
		return 15
	case "PhoneNumberValidate":
		return 20
	case "CreateCampaign", "UpdateCampaign", "DeleteCampaign", "CreateSegment", "UpdateSegment", "DeleteSegment":
		return 25
	case "CreateImportJob":
		return 300
	case "SendMessages":
		return 4000
	case "SendUsersMessages":
		return 6000
	}
	if strings.HasSuffix(op, "Template") && (strings.HasPrefix(op, "Create") || strings.HasPrefix(op, "Update")) {
		return 10
	}
	return 300
}

// Throttled implements core.Service.
func (s *Service) Throttled(op string) *core.Error {
	return core.Errf(429, "TooManyRequestsException", "Too many requests")
}

// Internal implements core.Service.
func (s *Service) Internal(op string) *core.Error {
	return core.Errf(500, "InternalServerErrorException", "Internal server error")
}

// continuing lists the operations that keep answering after the end of
// support: applications and channels for push, SMS and voice, sending, OTP,
// phone number validation and tagging. Everything else (endpoints, segments,
// campaigns, journeys, templates, analytics, email channel, event streams,
// settings, jobs, recommenders) is an engagement feature and is retired.
var continuing = map[string]bool{
	"CreateApp": true, "GetApp": true, "GetApps": true, "DeleteApp": true, "GetChannels": true,
	"SendMessages": true, "SendUsersMessages": true, "SendOTPMessage": true, "VerifyOTPMessage": true,
	"PhoneNumberValidate": true, "TagResource": true, "UntagResource": true, "ListTagsForResource": true,
}

// Retired implements core.Service. The error AWS returns after the end of
// support is not documented; the emulator answers 403 ForbiddenException
// with a message naming the end of support, which is what p2c's scanner
// records as "retired".
func (s *Service) Retired(op string) *core.Error {
	if continuing[op] {
		return nil
	}
	for _, ch := range channelKinds {
		if ch.path != "email" && strings.HasSuffix(op, ch.op+"Channel") {
			return nil
		}
	}
	return core.Errf(403, "ForbiddenException", "%s; %s is no longer available. SMS, voice, push, OTP and phone number validation continue in AWS End User Messaging.", RetiredMessage, op)
}

type handler func(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error)

// Serve implements core.Service.
func (s *Service) Serve(c *core.Call) {
	h := handlers[c.Op]
	if h == nil {
		s.WriteError(c, core.Errf(501, "NotImplementedException", "The p2c emulator does not implement %s", c.Op))
		return
	}
	in, err := s.rest.Input(c, "BadRequestException")
	if err != nil {
		s.WriteError(c, err)
		return
	}
	s.mu.Lock()
	r := s.region(c.Region)
	out, err := h(s, c, r, in)
	s.mu.Unlock()
	if err != nil {
		s.WriteError(c, err)
		return
	}
	op := s.model.Operations[c.Op]
	status := op.HTTP.ResponseCode
	if status == 0 {
		status = 200
	}
	if out == nil {
		c.W.Header().Set("x-amzn-RequestId", c.RequestID)
		c.W.WriteHeader(status)
		return
	}
	if name, shape := s.model.PayloadShape(s.model.OutputShape(c.Op)); name != "" && shape != nil {
		out = s.model.Prune(s.model.OutputShape(c.Op).Members[name].Shape, out)
	}
	core.WriteJSON(c, status, out)
}

// region state ---------------------------------------------------------------

type region struct {
	name         string
	apps         map[string]*app
	appOrder     []string
	templates    map[string]*template // key: type + "/" + name
	templOrder   []string
	recommenders map[string]map[string]any
	recOrder     []string
	metrics      *metrics
}

type app struct {
	obj         map[string]any
	settings    map[string]any
	eventStream map[string]any
	channels    map[string]map[string]any
	segments    map[string]*versioned
	segOrder    []string
	campaigns   map[string]*versioned
	campOrder   []string
	journeys    map[string]map[string]any
	jrnOrder    []string
	endpoints   map[string]map[string]any // key: lower-case id
	epOrder     []string
	users       map[string][]string // user id -> lower-case endpoint ids
	exportJobs  []map[string]any
	importJobs  []map[string]any
	segMembers  map[string][]string // imported segment id -> endpoint keys
	createOrder int
}

type versioned struct {
	versions   []map[string]any
	activities []map[string]any
}

func (v *versioned) latest() map[string]any { return v.versions[len(v.versions)-1] }

func (s *Service) region(name string) *region {
	r := s.regions[name]
	if r == nil {
		r = &region{name: name, apps: map[string]*app{}, templates: map[string]*template{}, recommenders: map[string]map[string]any{}, metrics: newMetrics()}
		s.regions[name] = r
	}
	return r
}

// newID returns a 32-hex-character id. Ids are derived from a counter so
// that a seed applied to a fresh emulator always yields the same ids, which
// keeps golden files stable.
func (s *Service) newID(region, kind string) string {
	s.seq++
	sum := sha256.Sum256([]byte(fmt.Sprintf("%s/%s/%d", region, kind, s.seq)))
	return hex.EncodeToString(sum[:16])
}

func (s *Service) stamp() string { return s.now().Format("2006-01-02T15:04:05.000Z") }

func arn(region, rest string) string {
	return fmt.Sprintf("arn:aws:mobiletargeting:%s:%s:%s", region, core.Account, rest)
}

// helpers over decoded JSON -------------------------------------------------

func copyMap(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

func notFound(format string, args ...any) *core.Error {
	return core.Errf(404, "NotFoundException", format, args...)
}

func badRequest(format string, args ...any) *core.Error {
	return core.Errf(400, "BadRequestException", format, args...)
}

func (r *region) app(id string) (*app, *core.Error) {
	a := r.apps[id]
	if a == nil {
		return nil, notFound("Resource not found")
	}
	return a, nil
}

// pageArgs reads page-size and the token member of a list input.
func pageArgs(in map[string]any, tokenMember string) (int, string, *core.Error) {
	size := DefaultPageSize
	if ps := core.Str(in, "PageSize"); ps != "" {
		n, err := strconv.Atoi(ps)
		if err != nil || n < 1 {
			return 0, "", badRequest("Invalid page-size %q: must be a positive whole number", ps)
		}
		if n > MaxPageSize {
			return 0, "", badRequest("page-size %d exceeds the maximum of %d", n, MaxPageSize)
		}
		size = n
	}
	return size, core.Str(in, tokenMember), nil
}

// listPage answers a paginated list: {"Item": [...], "NextToken": ...}.
func listPage(list string, items []any, in map[string]any, tokenMember string) (any, *core.Error) {
	size, tok, err := pageArgs(in, tokenMember)
	if err != nil {
		return nil, err
	}
	page, next, err := core.Page(list, items, tok, size)
	if err != nil {
		return nil, err
	}
	out := map[string]any{"Item": page}
	if next != "" {
		out["NextToken"] = next
	}
	return out, nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func remove(list []string, id string) []string {
	out := list[:0]
	for _, x := range list {
		if x != id {
			out = append(out, x)
		}
	}
	return out
}
