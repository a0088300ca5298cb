// Package connect emulates the part of Amazon Connect's REST-JSON API
// (signing name connect) that a Pinpoint migration touches: instances and
// their attributes, End User Messaging numbers imported into an instance,
// email addresses, flows (including CAMPAIGN flows), integration
// associations (message-template knowledge bases, SES identities) and tags.
//
// Routes, status codes, required members and response members come from the
// embedded botocore model; this package holds only the behaviour.
package connect

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/p2c/p2c/internal/awsmodel"
	"github.com/p2c/p2c/internal/emulator/core"
)

// Limits are the per-instance and per-account resource quotas the emulator
// enforces. The defaults are Connect's documented default quotas
// ("Amazon Connect service quotas", admin guide).
type Limits struct {
	InstancesPerRegion    int // "Amazon Connect instances per account": 2
	PhoneNumbersPerInst   int // "Phone numbers per instance": 5
	EmailAddressesPerInst int // "Email addresses per instance": 100
	FlowsPerInst          int // "Flows per instance": 100
	IntegrationsPerInst   int // assumed: not documented; generous
	TagsPerResource       int // TagMap max in the model: 50
}

// DefaultLimits are the quotas a fresh emulator enforces.
var DefaultLimits = Limits{
	InstancesPerRegion:    2,
	PhoneNumbersPerInst:   5,
	EmailAddressesPerInst: 100,
	FlowsPerInst:          100,
	IntegrationsPerInst:   100,
	TagsPerResource:       50,
}

// Number describes an End User Messaging phone number, as the emulator's
// sms-voice service knows it.
type Number struct {
	PhoneNumber    string // E.164
	IsoCountryCode string
	NumberType     string // EUM type: LONG_CODE, TOLL_FREE, TEN_DLC, SHORT_CODE, SIMULATOR
	Status         string // EUM status: ACTIVE, PENDING, ...
}

// NumberLookup finds an End User Messaging number by ARN in a region.
type NumberLookup func(region, arn string) (Number, bool)

// Service is the emulated Connect.
type Service struct {
	model *awsmodel.Model
	rest  core.REST
	now   func() time.Time

	mu      sync.Mutex
	regions map[string]*region
	seq     int
	limits  Limits
	lookup  NumberLookup
}

// New returns an empty Connect.
func New() *Service {
	m := awsmodel.MustLoad("connect")
	return &Service{model: m, rest: core.REST{Model: m}, now: func() time.Time { return time.Now().UTC() },
		regions: map[string]*region{}, limits: DefaultLimits}
}

// SetClock replaces the service clock (tests and seeds with fixed dates).
func (s *Service) SetClock(now func() time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.now = now
}

// SetLimits replaces the enforced resource quotas (a team rehearsing with
// raised quotas, or tests).
func (s *Service) SetLimits(l Limits) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.limits = l
}

// SetNumberLookup connects ImportPhoneNumber to the emulator's End User
// Messaging numbers: an unknown number is then ResourceNotFoundException and
// an imported number carries its real E.164 value, country and type.
// Without a lookup any well-formed sms-voice phone-number ARN is accepted and
// given a synthetic number.
func (s *Service) SetNumberLookup(f NumberLookup) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.lookup = f
}

// Reset drops every resource.
func (s *Service) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.regions = map[string]*region{}
	s.seq = 0
}

// Settle completes every asynchronous state change at once (imported numbers
// become CLAIMED), for seeds that want a settled account.
func (s *Service) Settle() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, r := range s.regions {
		for _, n := range r.numbers {
			n.pendingReads = 0
		}
	}
}

// SigningName implements core.Service.
func (s *Service) SigningName() string { return "connect" }

// Resolve implements core.Service.
func (s *Service) Resolve(c *core.Call) (string, *core.Error) { return s.rest.Resolve(c) }

// WriteError implements core.Service: status, X-Amzn-ErrorType and a body
// with the error shape's members (Connect's shapes spell it "Message").
func (s *Service) WriteError(c *core.Call, e *core.Error) {
	c.W.Header().Set("X-Amzn-ErrorType", e.Code)
	body := map[string]any{"Message": e.Message}
	for k, v := range e.Fields {
		body[k] = v
	}
	core.WriteJSON(c, e.Status, body)
}

// Quota implements core.Service. The Connect quotas page gives "2 requests
// per second, burst 5" as the rate of the instance, phone-number, flow and
// integration-association APIs used here (connect-target 6.1, 6.4); the
// token bucket's burst equals its rate, so the burst of 5 is not modelled.
// Reads share the same rate (assumed: the page lists no separate figure for
// them). CreateIntegrationAssociation for SES_IDENTITY is 1 TPS in the
// reference; the rate is per operation here, so that type is not singled out.
func (s *Service) Quota(op string) float64 { return 2 }

// Throttled implements core.Service.
func (s *Service) Throttled(op string) *core.Error {
	return core.Errf(429, "ThrottlingException", "Rate exceeded")
}

// Internal implements core.Service.
func (s *Service) Internal(op string) *core.Error {
	return core.Errf(500, "InternalServiceException", "Internal service exception")
}

// Retired implements core.Service: Connect is the migration's target.
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
		s.WriteError(c, core.Errf(400, "InvalidRequestException", "The p2c emulator does not implement %s", c.Op))
		return
	}
	in, err := s.rest.Input(c, s.badCode(c.Op))
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

// badCode is the validation error an operation answers with: the model's
// InvalidParameterException where the operation declares it, else
// InvalidRequestException.
func (s *Service) badCode(op string) string {
	if o := s.model.Operations[op]; o != nil {
		for _, e := range o.Errors {
			if e.Shape == "InvalidParameterException" {
				return e.Shape
			}
		}
	}
	return "InvalidRequestException"
}

// region state ---------------------------------------------------------------

type region struct {
	name      string
	instances map[string]*instance
	instOrder []string
	numbers   map[string]*phoneNumber
	numOrder  []string
	// byArn indexes every taggable resource's object, whose "Tags" member
	// holds its tags.
	byArn map[string]map[string]any
	// tokens remembers client tokens: op + "/" + token -> the request it
	// came with and the answer given.
	tokens map[string]tokenRecord
	// releases are the times numbers were released, for the churn limit.
	releases []time.Time
}

type tokenRecord struct {
	fingerprint string
	out         any
}

func (s *Service) region(name string) *region {
	r := s.regions[name]
	if r == nil {
		r = &region{name: name, instances: map[string]*instance{}, numbers: map[string]*phoneNumber{},
			byArn: map[string]map[string]any{}, tokens: map[string]tokenRecord{}}
		s.regions[name] = r
	}
	return r
}

// newUUID returns a UUID derived from a counter, so that a seed applied to
// a fresh emulator always yields the same ids.
func (s *Service) newUUID(region, kind string) string {
	s.seq++
	sum := sha256.Sum256([]byte(fmt.Sprintf("connect/%s/%s/%d", region, kind, s.seq)))
	h := hex.EncodeToString(sum[:16])
	return h[0:8] + "-" + h[8:12] + "-4" + h[13:16] + "-a" + h[17:20] + "-" + h[20:32]
}

// epoch is a timestamp as Connect sends it: seconds, with milliseconds.
func (s *Service) epoch() float64 { return float64(s.now().UnixMilli()) / 1000 }

// iso is the ISO8601Datetime string form some Connect shapes use.
func (s *Service) iso() string { return s.now().Format("2006-01-02T15:04:05Z") }

func arn(region, rest string) string {
	return fmt.Sprintf("arn:aws:connect:%s:%s:%s", region, core.Account, rest)
}

// idempotent answers a repeated client token: the same request gets the
// first answer again, a different request with the same token gets
// IdempotencyException. ok reports that the caller must answer with out.
func (r *region) idempotent(op string, in map[string]any) (out any, ok bool, err *core.Error) {
	tok := core.Str(in, "ClientToken")
	if tok == "" {
		return nil, false, nil
	}
	rec, seen := r.tokens[op+"/"+tok]
	if !seen {
		return nil, false, nil
	}
	if rec.fingerprint != fingerprint(in) {
		return nil, false, core.Errf(409, "IdempotencyException", "An entity already exists with the same client token %s, but with different parameters", tok)
	}
	return rec.out, true, nil
}

func (r *region) remember(op string, in map[string]any, out any) {
	if tok := core.Str(in, "ClientToken"); tok != "" {
		r.tokens[op+"/"+tok] = tokenRecord{fingerprint: fingerprint(in), out: out}
	}
}

func fingerprint(in map[string]any) string {
	cp := make(map[string]any, len(in))
	for k, v := range in {
		if k != "ClientToken" {
			cp[k] = v
		}
	}
	b, _ := json.Marshal(cp) // map keys are sorted: stable
	return string(b)
}

// helpers over decoded JSON -------------------------------------------------

func list(m map[string]any, k string) []any {
	if m == nil {
		return nil
	}
	l, _ := m[k].([]any)
	return l
}

func copyMap(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

func notFound(format string, args ...any) *core.Error {
	return core.Errf(404, "ResourceNotFoundException", format, args...)
}

func invalidParam(format string, args ...any) *core.Error {
	return core.Errf(400, "InvalidParameterException", format, args...)
}

func invalidRequest(format string, args ...any) *core.Error {
	return core.Errf(400, "InvalidRequestException", format, args...)
}

// pageSize reads MaxResults, defaulting to def; the model already bounds it.
func pageSize(in map[string]any, def int) int {
	if n, err := strconv.Atoi(core.Str(in, "MaxResults")); err == nil && n > 0 {
		return n
	}
	return def
}

// page cuts one page out of items and reports a bad token the way the
// operation reports bad parameters.
func page[T any](list string, items []T, in map[string]any, def int, badCode string) ([]T, string, *core.Error) {
	p, next, err := core.Page(list, items, core.Str(in, "NextToken"), pageSize(in, def))
	if err != nil {
		return nil, "", core.Errf(400, badCode, "The provided NextToken is not valid.")
	}
	return p, next, nil
}

func withNext(out map[string]any, next string) map[string]any {
	if next != "" {
		out["NextToken"] = next
	}
	return out
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

// contentHash is a flow's FlowContentSha256.
func contentHash(content string) string {
	sum := sha256.Sum256([]byte(content))
	return hex.EncodeToString(sum[:])
}

// validJSON reports whether s is one JSON value.
func validJSON(s string) bool {
	d := json.NewDecoder(bytes.NewReader([]byte(s)))
	var v any
	if d.Decode(&v) != nil {
		return false
	}
	return !d.More()
}

func lower(s string) string { return strings.ToLower(s) }
