// Package sesv2 emulates the part of Amazon SES API v2 (REST-JSON, signing
// name ses) that a Pinpoint migration touches: email identities (which stay
// PENDING verification unless a seed marks them verified), configuration
// sets and their event destinations, the account's sandbox state, and tags.
//
// Routes, status codes, required members and response members come from the
// embedded botocore model; this package holds only the behaviour.
package sesv2

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"sync"
	"time"

	"github.com/p2c/p2c/internal/awsmodel"
	"github.com/p2c/p2c/internal/emulator/core"
)

// Limits are the resource quotas the emulator enforces (SES developer
// guide, "Service quotas").
type Limits struct {
	Identities           int // verified identities per Region: 10,000
	ConfigurationSets    int // configuration sets per Region: 10,000
	DestinationsPerSet   int // event destinations per configuration set: 10
	TagsPerResource      int // tags per resource: 50
	SandboxMax24HourSend float64
	SandboxMaxSendRate   float64
}

// DefaultLimits are the quotas a fresh emulator enforces. The sandbox
// sending quota is 200 messages a day at 1 per second.
var DefaultLimits = Limits{Identities: 10000, ConfigurationSets: 10000, DestinationsPerSet: 10, TagsPerResource: 50,
	SandboxMax24HourSend: 200, SandboxMaxSendRate: 1}

// productionQuota is what GetAccount reports once production access is
// seeded. AWS now sizes it per use case; these are the long-standing
// starting figures (assumed).
var productionQuota = map[string]any{"Max24HourSend": 50000.0, "MaxSendRate": 14.0, "SentLast24Hours": 0.0}

// DefaultPageSize is what list operations return without PageSize (not
// documented; assumed); MaxPageSize is the documented maximum.
const (
	DefaultPageSize = 100
	MaxPageSize     = 1000
)

// Service is the emulated SES v2.
type Service struct {
	model *awsmodel.Model
	rest  core.REST
	now   func() time.Time

	mu      sync.Mutex
	regions map[string]*region
	limits  Limits
}

// New returns an empty SES v2 account in the sandbox.
func New() *Service {
	m := awsmodel.MustLoad("sesv2")
	return &Service{model: m, rest: core.REST{Model: m}, now: func() time.Time { return time.Now().UTC() },
		regions: map[string]*region{}, limits: DefaultLimits}
}

// SetClock replaces the service clock.
func (s *Service) SetClock(now func() time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.now = now
}

// SetLimits replaces the enforced quotas.
func (s *Service) SetLimits(l Limits) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.limits = l
}

// Reset drops every resource and puts every Region back in the sandbox.
func (s *Service) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.regions = map[string]*region{}
}

// MarkVerified makes an identity verified, as the DNS records or the
// mailbox click would; the identity is created first when missing. p2c
// never verifies identities itself: only seeds call this.
func (s *Service) MarkVerified(region, identity string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.region(region)
	id := r.identities[identityKey(identity)]
	if id == nil {
		id = s.addIdentity(r, identity, nil, "", nil)
	}
	now := s.epoch()
	id.obj["VerificationStatus"] = "SUCCESS"
	id.obj["VerifiedForSendingStatus"] = true
	id.obj["VerificationInfo"] = map[string]any{"LastCheckedTimestamp": now, "LastSuccessTimestamp": now}
	if dk := core.Obj(id.obj, "DkimAttributes"); dk != nil && id.obj["IdentityType"] == "DOMAIN" {
		dk["Status"] = "SUCCESS"
	}
}

// SetProductionAccess takes a Region out of the sandbox (or back in), as an
// approved production-access case would.
func (s *Service) SetProductionAccess(region string, enabled bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.region(region).production = enabled
}

// SigningName implements core.Service.
func (s *Service) SigningName() string { return "ses" }

// bodyLists are routes newer than the embedded model (botocore 1.43.11):
// SES v2 added POST forms of two list operations, with PageSize, NextToken
// and a Filter map in the body, and current SDKs (aws-sdk-go-v2 sesv2
// v1.79.9) call them. The model's GET forms keep working for older clients
// such as the aws CLI v1.
var bodyLists = map[string]string{
	"/v2/email/list-identities":         "ListEmailIdentities",
	"/v2/email/list-configuration-sets": "ListConfigurationSets",
}

// Resolve implements core.Service.
func (s *Service) Resolve(c *core.Call) (string, *core.Error) {
	if op, ok := bodyLists[c.R.URL.EscapedPath()]; ok && c.R.Method == http.MethodPost {
		c.Params = map[string]string{}
		return op, nil
	}
	return s.rest.Resolve(c)
}

// input decodes and validates a call's input: from the model, or for the
// newer POST list routes from their body.
func (s *Service) input(c *core.Call) (map[string]any, *core.Error) {
	if _, ok := bodyLists[c.R.URL.EscapedPath()]; !ok || c.R.Method != http.MethodPost {
		return s.rest.Input(c, "BadRequestException")
	}
	in := map[string]any{}
	if len(bytes.TrimSpace(c.Body)) > 0 {
		d := json.NewDecoder(bytes.NewReader(c.Body))
		d.UseNumber()
		if err := d.Decode(&in); err != nil {
			return nil, badRequest("Could not parse request body into json: %v", err)
		}
	}
	for k, v := range in {
		switch k {
		case "NextToken":
			if _, ok := v.(string); !ok {
				return nil, badRequest("NextToken must be a string")
			}
		case "PageSize":
			if _, ok := v.(json.Number); !ok {
				return nil, badRequest("PageSize must be a number")
			}
		case "Filter":
			m, ok := v.(map[string]any)
			if !ok {
				return nil, badRequest("Filter must be a map of strings")
			}
			for fk, fv := range m {
				if _, ok := fv.(string); !ok {
					return nil, badRequest("Filter %s must be a string", fk)
				}
			}
		default:
			return nil, badRequest("Unknown member %s", k)
		}
	}
	return in, nil
}

// WriteError implements core.Service: SES v2 error shapes carry a lower-case
// "message".
func (s *Service) WriteError(c *core.Call, e *core.Error) {
	c.W.Header().Set("X-Amzn-ErrorType", e.Code)
	body := map[string]any{"message": e.Message}
	for k, v := range e.Fields {
		body[k] = v
	}
	core.WriteJSON(c, e.Status, body)
}

// Quota implements core.Service. The SES API reference states "You can
// execute this operation no more than once per second" for its management
// operations (configuration sets, identities, GetSendQuota); SES v2 is
// assumed to keep that rate, for reads too.
func (s *Service) Quota(op string) float64 { return 1 }

// Throttled implements core.Service.
func (s *Service) Throttled(op string) *core.Error {
	return core.Errf(429, "TooManyRequestsException", "Too many requests have been made to the operation.")
}

// Internal implements core.Service.
func (s *Service) Internal(op string) *core.Error {
	return core.Errf(500, "InternalServiceErrorException", "The request couldn't be processed because an error occurred with the Amazon SES API v2.")
}

// Retired implements core.Service: SES is a migration target.
func (s *Service) Retired(op string) *core.Error { return nil }

type handler func(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error)

var handlers = map[string]handler{}

func register(m map[string]handler) {
	for k, v := range m {
		handlers[k] = v
	}
}

// Serve implements core.Service.
func (s *Service) Serve(c *core.Call) {
	h := handlers[c.Op]
	if h == nil {
		s.WriteError(c, badRequest("The p2c emulator does not implement %s", c.Op))
		return
	}
	in, err := s.input(c)
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
	core.Answer(c, s.model, out)
}

// region state ---------------------------------------------------------------

type region struct {
	name        string
	production  bool
	identities  map[string]*identity // key: identityKey
	identOrder  []string
	sets        map[string]*configSet
	setOrder    []string
	byArn       map[string]*[]any // ARN -> the resource's tag list
	dkimCounter int
}

func (s *Service) region(name string) *region {
	r := s.regions[name]
	if r == nil {
		r = &region{name: name, identities: map[string]*identity{}, sets: map[string]*configSet{}, byArn: map[string]*[]any{}}
		s.regions[name] = r
	}
	return r
}

// epoch is a timestamp as SES v2 sends it: seconds, with milliseconds.
func (s *Service) epoch() float64 { return float64(s.now().UnixMilli()) / 1000 }

func arn(region, rest string) string {
	return fmt.Sprintf("arn:aws:ses:%s:%s:%s", region, core.Account, rest)
}

// helpers over decoded JSON -------------------------------------------------

func list(m map[string]any, k string) []any {
	if m == nil {
		return nil
	}
	l, _ := m[k].([]any)
	return l
}

func badRequest(format string, args ...any) *core.Error {
	return core.Errf(400, "BadRequestException", format, args...)
}

func notFound(format string, args ...any) *core.Error {
	return core.Errf(404, "NotFoundException", format, args...)
}

func alreadyExists(format string, args ...any) *core.Error {
	return core.Errf(400, "AlreadyExistsException", format, args...)
}

func limitExceeded(format string, args ...any) *core.Error {
	return core.Errf(400, "LimitExceededException", format, args...)
}

// nameRE is the rule SES states for configuration-set and event-destination
// names: up to 64 letters, digits, hyphens and underscores.
var nameRE = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)

// listPage answers a PageSize/NextToken list.
func listPage(name string, items []any, in map[string]any) ([]any, string, *core.Error) {
	size := DefaultPageSize
	if ps := core.Str(in, "PageSize"); ps != "" {
		n, err := strconv.Atoi(ps)
		if err != nil || n < 1 || n > MaxPageSize {
			return nil, "", badRequest("PageSize must be between 1 and %d", MaxPageSize)
		}
		size = n
	}
	p, next, err := core.Page(name, items, core.Str(in, "NextToken"), size)
	if err != nil {
		return nil, "", badRequest("Invalid NextToken")
	}
	if p == nil {
		p = []any{}
	}
	return p, next, nil
}

func withNext(out map[string]any, next string) map[string]any {
	if next != "" {
		out["NextToken"] = next
	}
	return out
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

// dkimToken is a stable Easy DKIM token (32 lower-case letters and digits).
func (r *region) dkimToken(domain string) string {
	r.dkimCounter++
	sum := sha256.Sum256([]byte(fmt.Sprintf("%s/%s/%d", r.name, domain, r.dkimCounter)))
	return hex.EncodeToString(sum[:16])
}
