// Package campaigns emulates Amazon Connect outbound campaigns v2
// (REST-JSON, signing name connect-campaigns, model connectcampaignsv2):
// campaigns with their lifecycle, per-instance onboarding, integrations
// and communication limits, outbound request batches and tags.
//
// Routes, required members and response members come from the embedded
// botocore model; this package holds the behaviour the model cannot say:
// union members, ARN kinds, state transitions and quotas
// (connect-target.md section 4).
package campaigns

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sync"
	"time"

	"github.com/p2c/p2c/internal/awsmodel"
	"github.com/p2c/p2c/internal/emulator/core"
)

// Resource quotas per Connect instance (connect-target.md 4.7).
const (
	MaxCampaignsPerInstance       = 500
	MaxActiveCampaignsPerInstance = 50
	maxTagsPerResource            = 50 // AWS's usual tag limit; assumed, the reference has none
)

// DefaultPageSize is what ListCampaigns and ListConnectInstanceIntegrations
// return without maxResults. AWS does not document it (assumed); the model
// caps maxResults at 50.
const DefaultPageSize = 10

// Service is the emulated outbound campaigns v2 API.
type Service struct {
	model *awsmodel.Model
	rest  core.REST
	now   func() time.Time

	// RequireOnboarding refuses campaign and integration calls for an
	// instance that has not been onboarded with StartInstanceOnboardingJob,
	// as the real service does for instances without outbound campaigns.
	RequireOnboarding bool

	mu      sync.Mutex
	regions map[string]*region
	seq     int
}

// New returns an empty service.
func New() *Service {
	m := awsmodel.MustLoad("connectcampaignsv2")
	return &Service{model: m, rest: core.REST{Model: m}, now: func() time.Time { return time.Now().UTC() },
		RequireOnboarding: true, regions: map[string]*region{}}
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
func (s *Service) SigningName() string { return "connect-campaigns" }

// Resolve implements core.Service.
func (s *Service) Resolve(c *core.Call) (string, *core.Error) {
	op, err := s.rest.Resolve(c)
	if err != nil {
		// API Gateway's answers for unknown routes, in this service's codes.
		err.Code = "ValidationException"
		if err.Status == 405 {
			err.Status = 400
		}
	}
	return op, err
}

// WriteError implements core.Service: status, X-Amzn-ErrorType and a
// {"message"} body, plus the shape's extra members (state).
func (s *Service) WriteError(c *core.Call, e *core.Error) {
	body := map[string]any{"message": e.Message}
	for k, v := range e.Fields {
		body[k] = v
	}
	c.W.Header().Set("X-Amzn-ErrorType", e.Code)
	core.WriteJSON(c, e.Status, body)
}

// Quota implements core.Service with the documented TPS (connect-target.md
// 4.7). Buckets hold one second of tokens, so the documented bursts of 2,
// 10 and 35 are not modelled.
func (s *Service) Quota(op string) float64 {
	switch op {
	case "CreateCampaign", "DeleteCampaign", "StartCampaign", "StopCampaign", "PauseCampaign", "ResumeCampaign",
		"UpdateCampaignName", "TagResource", "UntagResource", "ListTagsForResource":
		return 1
	case "GetCampaignState", "GetCampaignStateBatch", "ListCampaigns":
		return 5
	case "PutOutboundRequestBatch", "PutProfileOutboundRequestBatch":
		return 10
	case "DescribeCampaign":
		return 25
	}
	// "Everything else" in the quota table; the v2 Update* operations are
	// assumed to fall under it.
	return 2
}

// Throttled implements core.Service.
func (s *Service) Throttled(op string) *core.Error {
	return core.Errf(429, "ThrottlingException", "Rate exceeded")
}

// Internal implements core.Service.
func (s *Service) Internal(op string) *core.Error {
	return core.Errf(500, "InternalServerException", "Internal service error")
}

// Retired implements core.Service: outbound campaigns keep working.
func (s *Service) Retired(op string) *core.Error { return nil }

type handler func(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error)

var handlers = map[string]handler{}

// Serve implements core.Service.
func (s *Service) Serve(c *core.Call) {
	h := handlers[c.Op]
	if h == nil {
		s.WriteError(c, core.Errf(501, "NotImplementedException", "The p2c emulator does not implement %s", c.Op))
		return
	}
	in, err := s.rest.Input(c, "ValidationException")
	if err == nil {
		if p := s.model.CheckUnions(s.model.Operations[c.Op].Input.Shape, in); p != nil {
			err = validation("Invalid request: %s", p)
		}
	}
	if err != nil {
		s.WriteError(c, err)
		return
	}
	s.mu.Lock()
	out, err := h(s, c, s.region(c.Region), in)
	s.mu.Unlock()
	if err != nil {
		s.WriteError(c, err)
		return
	}
	core.Answer(c, s.model, out)
}

// region state ---------------------------------------------------------------

type region struct {
	name      string
	campaigns map[string]*campaign
	order     []string
	instances map[string]*instance
}

type campaign struct {
	obj     map[string]any // Campaign shape, wire names
	state   string
	created time.Time
	// requests holds the outbound request ids by client token, so that a
	// repeated batch answers with the same ids.
	requests map[string]string
}

type instance struct {
	id           string
	job          map[string]any // InstanceOnboardingJobStatus; nil before onboarding
	config       map[string]any // InstanceConfig; nil before onboarding
	integrations []map[string]any
	limits       map[string]any // InstanceCommunicationLimitsConfig
}

func (s *Service) region(name string) *region {
	r := s.regions[name]
	if r == nil {
		r = &region{name: name, campaigns: map[string]*campaign{}, instances: map[string]*instance{}}
		s.regions[name] = r
	}
	return r
}

func (r *region) instance(id string) *instance {
	in := r.instances[id]
	if in == nil {
		in = &instance{id: id}
		r.instances[id] = in
	}
	return in
}

// onboarded returns the instance, refusing one that was never onboarded
// when the service requires onboarding.
func (s *Service) onboarded(r *region, id string) (*instance, *core.Error) {
	in := r.instance(id)
	if s.RequireOnboarding && in.config == nil {
		return nil, notFound("Connect instance %s is not onboarded to outbound campaigns: call StartInstanceOnboardingJob first", id)
	}
	return in, nil
}

// newID returns a UUID derived from a counter, so that a seed applied to a
// fresh emulator always yields the same ids.
func (s *Service) newID(region, kind string) string {
	s.seq++
	sum := sha256.Sum256([]byte(fmt.Sprintf("%s/%s/%d", region, kind, s.seq)))
	h := hex.EncodeToString(sum[:16])
	return h[0:8] + "-" + h[8:12] + "-4" + h[13:16] + "-a" + h[17:20] + "-" + h[20:32]
}

func campaignARN(region, id string) string {
	return fmt.Sprintf("arn:aws:connect-campaigns:%s:%s:campaign/%s", region, core.Account, id)
}

// errors ---------------------------------------------------------------------

func validation(format string, args ...any) *core.Error {
	return core.Errf(400, "ValidationException", format, args...)
}

func notFound(format string, args ...any) *core.Error {
	return core.Errf(404, "ResourceNotFoundException", format, args...)
}

func conflict(format string, args ...any) *core.Error {
	return core.Errf(409, "ConflictException", format, args...)
}

func invalidState(state, format string, args ...any) *core.Error {
	e := core.Errf(409, "InvalidCampaignStateException", format, args...)
	e.Fields = map[string]any{"state": state}
	return e
}

func quotaExceeded(format string, args ...any) *core.Error {
	return core.Errf(402, "ServiceQuotaExceededException", format, args...)
}

// helpers over decoded JSON --------------------------------------------------

// page cuts a list page; bad tokens are this service's ValidationException.
func page(list string, items []any, in map[string]any) ([]any, string, *core.Error) {
	size := DefaultPageSize
	if n, ok := core.Num(in["maxResults"]); ok {
		size = int(n)
	}
	tok := core.Str(in, "nextToken")
	p, next, err := core.Page(list, items, tok, size)
	if err != nil {
		return nil, "", validation("The nextToken is invalid or expired.")
	}
	return p, next, nil
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
