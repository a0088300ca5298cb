// Package qconnect emulates the message-template half of Amazon Q in
// Connect (REST-JSON, signing name wisdom, model qconnect): knowledge
// bases, message templates with their versions and activation, rendering
// and tags (connect-target.md section 5).
//
// Routes, required members and response members come from the embedded
// botocore model; this package holds the behaviour: qualifiers, versions,
// name uniqueness, idempotency tokens and quotas.
package qconnect

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/p2c/p2c/internal/awsmodel"
	"github.com/p2c/p2c/internal/emulator/core"
)

// Quotas (connect-target.md 5.1, 5.4).
const (
	MaxKnowledgeBases       = 10  // per account and region (adjustable)
	MaxTemplatesPerKB       = 200 // message templates per knowledge base
	MaxVersionsPerTemplate  = 20  // not adjustable
	MaxSMSTemplateChars     = 800
	MaxEmailTemplateChars   = 5000000
	maxTagsPerResource      = 50 // AWS's usual tag limit; assumed
	DefaultPageSize         = 20 // without maxResults; AWS does not document it (assumed)
	emulatorLastModifiedArn = "arn:aws:iam::%s:user/%s"
)

// Service is the emulated Q in Connect.
type Service struct {
	model *awsmodel.Model
	rest  core.REST
	now   func() time.Time

	mu      sync.Mutex
	regions map[string]*region
	seq     int
}

// New returns an empty service.
func New() *Service {
	m := awsmodel.MustLoad("qconnect")
	return &Service{model: m, rest: core.REST{Model: m}, now: func() time.Time { return time.Now().UTC() }, regions: map[string]*region{}}
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
func (s *Service) SigningName() string { return "wisdom" }

// Resolve implements core.Service.
func (s *Service) Resolve(c *core.Call) (string, *core.Error) {
	op, err := s.rest.Resolve(c)
	if err != nil {
		err.Code = "ValidationException"
		if err.Status == 405 {
			err.Status = 400
		}
	}
	return op, err
}

// WriteError implements core.Service: status, X-Amzn-ErrorType and a
// {"message"} body, plus the shape's extra members (resourceName).
func (s *Service) WriteError(c *core.Call, e *core.Error) {
	body := map[string]any{"message": e.Message}
	for k, v := range e.Fields {
		body[k] = v
	}
	c.W.Header().Set("X-Amzn-ErrorType", e.Code)
	core.WriteJSON(c, e.Status, body)
}

// Quota implements core.Service with the message-template TPS
// (connect-target.md 5.4); other operations take the general Q in Connect
// rate of 10.
func (s *Service) Quota(op string) float64 {
	switch op {
	case "CreateMessageTemplate", "UpdateMessageTemplate", "UpdateMessageTemplateMetadata", "ActivateMessageTemplate",
		"DeactivateMessageTemplate", "CreateMessageTemplateVersion", "CreateMessageTemplateAttachment":
		return 3
	}
	return 10
}

// Throttled implements core.Service: Q in Connect's ThrottlingException is
// a 400.
func (s *Service) Throttled(op string) *core.Error {
	return core.Errf(400, "ThrottlingException", "Rate exceeded.")
}

// Internal implements core.Service. The model defines no server error
// shape; this is what an unmodelled 500 carries.
func (s *Service) Internal(op string) *core.Error {
	return core.Errf(500, "InternalServerException", "Internal service error")
}

// Retired implements core.Service: message templates keep working.
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
	name    string
	kbs     map[string]*knowledgeBase
	kbOrder []string
	// kbTokens maps CreateKnowledgeBase client tokens to the knowledge
	// base they created.
	kbTokens map[string]tokenUse
}

// tokenUse remembers what an idempotency token created, and from which
// request, so that a replay answers the same and a reuse conflicts.
type tokenUse struct {
	id      string
	request string
}

type knowledgeBase struct {
	data      map[string]any // KnowledgeBaseData
	templates map[string]*template
	tplOrder  []string
	tokens    map[string]tokenUse
}

type template struct {
	latest   map[string]any // MessageTemplateData of $LATEST
	versions []*version
	nextVer  int
	active   int // active version number, 0 for none
}

type version struct {
	number int
	data   map[string]any // snapshot of $LATEST when the version was made
}

func (s *Service) region(name string) *region {
	r := s.regions[name]
	if r == nil {
		r = &region{name: name, kbs: map[string]*knowledgeBase{}, kbTokens: map[string]tokenUse{}}
		s.regions[name] = r
	}
	return r
}

// newID returns a UUID derived from a counter, so that a seed applied to a
// fresh emulator always yields the same ids.
func (s *Service) newID(region, kind string) string {
	s.seq++
	sum := sha256.Sum256([]byte(fmt.Sprintf("%s/%s/%d", region, kind, s.seq)))
	h := hex.EncodeToString(sum[:16])
	return h[0:8] + "-" + h[8:12] + "-4" + h[13:16] + "-a" + h[17:20] + "-" + h[20:32]
}

func (s *Service) stamp() string { return s.now().Format("2006-01-02T15:04:05.000Z") }

func arn(region, rest string) string {
	return fmt.Sprintf("arn:aws:wisdom:%s:%s:%s", region, core.Account, rest)
}

// errors ---------------------------------------------------------------------

func validation(format string, args ...any) *core.Error {
	return core.Errf(400, "ValidationException", format, args...)
}

func notFound(resource, format string, args ...any) *core.Error {
	e := core.Errf(404, "ResourceNotFoundException", format, args...)
	e.Fields = map[string]any{"resourceName": resource}
	return e
}

func conflict(format string, args ...any) *core.Error {
	return core.Errf(409, "ConflictException", format, args...)
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
	p, next, err := core.Page(list, items, core.Str(in, "nextToken"), size)
	if err != nil {
		return nil, "", validation("The nextToken is invalid or expired.")
	}
	if p == nil {
		p = []any{}
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

func checkTags(tags map[string]any) *core.Error {
	if len(tags) > maxTagsPerResource {
		return core.Errf(400, "TooManyTagsException", "A resource can have at most %d tags", maxTagsPerResource)
	}
	for k := range tags {
		if strings.HasPrefix(strings.ToLower(k), "aws:") {
			return validation("Tag keys starting with aws: are reserved: %q", k)
		}
	}
	return nil
}
