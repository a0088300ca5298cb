// Package core is the emulator's front door: one HTTP listener that reads
// the SigV4 credential scope of each request, hands it to the emulated
// service with that signing name, and applies what is common to all of
// them: request ids, retirement, quotas, injected faults and latency.
package core

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"sort"
	"strings"
	"sync"
	"time"
)

// Account is the AWS account id the emulator answers as.
const Account = "111122223333"

// MaxBody caps request bodies; Pinpoint documents 7 MB payloads.
const MaxBody = 7 << 20

// Call is one request on its way through a service.
type Call struct {
	W         http.ResponseWriter
	R         *http.Request
	Body      []byte
	Service   string // signing name
	Region    string
	AccessKey string
	Account   string
	Op        string
	RequestID string
	Now       time.Time

	// Params holds path parameters for REST services, by location name.
	Params map[string]string
}

// Error is an API error in protocol-neutral form; each service renders it.
type Error struct {
	Status  int
	Code    string
	Message string
	// Fields adds protocol members beside the message (e.g. Reason).
	Fields map[string]any
}

func (e *Error) Error() string { return e.Code + ": " + e.Message }

// Errf builds an Error.
func Errf(status int, code, format string, args ...any) *Error {
	return &Error{Status: status, Code: code, Message: fmt.Sprintf(format, args...)}
}

// Service is one emulated AWS service.
type Service interface {
	// SigningName is the SigV4 service name that routes requests here.
	SigningName() string
	// Resolve names the operation a request calls (REST services fill
	// c.Params). A nil *Error with an empty op never happens.
	Resolve(c *Call) (op string, err *Error)
	// Serve answers the call.
	Serve(c *Call)
	// WriteError renders an error in the service's protocol.
	WriteError(c *Call, err *Error)
	// Quota is the real per-account request rate of an operation
	// (requests per second), 0 for none.
	Quota(op string) float64
	// Throttled and Internal are the service's own throttling and server
	// error answers.
	Throttled(op string) *Error
	Internal(op string) *Error
	// Retired is the answer an operation gives once the service's
	// engagement features reached end of support, or nil if the operation
	// keeps working.
	Retired(op string) *Error
}

// BodyLimiter is implemented by a service whose requests may be larger
// than MaxBody (S3 objects: a Customer Profiles upload-job CSV of 100,000
// profiles is tens of megabytes).
type BodyLimiter interface {
	MaxBody() int64
}

// Options are the behaviours shared by every service.
type Options struct {
	// Retired makes retired operations answer their end-of-support error.
	Retired bool
	// Quotas enforces each operation's real request-rate quota.
	Quotas bool
	// QuotaScale multiplies every quota (0 means 1); tests use it to make
	// throttling frequent without waiting.
	QuotaScale float64
	// ErrorRate is the fraction (0..1) of requests answered with the
	// service's internal server error.
	ErrorRate float64
	// Latency is added to every request.
	Latency time.Duration
	// Credentials, when set, are the only access key ids accepted; others
	// get the service's invalid-token error.
	Credentials map[string]bool
	// Log receives one line per request when set.
	Log io.Writer
}

// Server routes requests to services.
type Server struct {
	opts     Options
	services map[string]Service
	faults   *faults

	mu    sync.Mutex
	stats map[string]int // op -> calls answered, for tests and `emulator` logs
}

// NewServer builds a server for the given services.
func NewServer(opts Options, services ...Service) *Server {
	s := &Server{opts: opts, services: map[string]Service{}, stats: map[string]int{}}
	for _, svc := range services {
		s.services[svc.SigningName()] = svc
	}
	s.faults = newFaults(opts)
	return s
}

// SetOptions changes the shared behaviours of a running server.
func (s *Server) SetOptions(opts Options) {
	s.mu.Lock()
	s.opts = opts
	s.mu.Unlock()
	s.faults.set(opts)
}

func (s *Server) options() Options {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.opts
}

// Calls returns how many times each operation ("service:Op") was answered.
func (s *Server) Calls() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[string]int, len(s.stats))
	for k, v := range s.stats {
		out[k] = v
	}
	return out
}

var scopeRE = regexp.MustCompile(`Credential=([^/,\s]+)/(\d{8})/([^/]+)/([^/]+)/aws4_request`)

// Scope extracts access key, region and service from a SigV4-signed request
// (Authorization header or presigned query).
func Scope(r *http.Request) (key, region, service string, ok bool) {
	h := r.Header.Get("Authorization")
	if m := scopeRE.FindStringSubmatch(h); m != nil {
		return m[1], m[3], m[4], true
	}
	if c := r.URL.Query().Get("X-Amz-Credential"); c != "" {
		parts := strings.Split(c, "/")
		if len(parts) == 5 {
			return parts[0], parts[2], parts[3], true
		}
	}
	return "", "", "", false
}

// NewRequestID returns a fresh request id.
func NewRequestID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	h := hex.EncodeToString(b[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	opts := s.options()
	c := &Call{W: w, R: r, RequestID: NewRequestID(), Now: time.Now().UTC(), Account: Account}
	key, region, service, ok := Scope(r)
	if !ok {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-Amzn-ErrorType", "MissingAuthenticationTokenException")
		w.WriteHeader(http.StatusForbidden)
		fmt.Fprintf(w, `{"message":"Missing Authentication Token"}`)
		return
	}
	svc := s.services[service]
	if svc == nil {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-Amzn-ErrorType", "UnknownServiceException")
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprintf(w, `{"message":"the emulator does not implement service %q"}`, service)
		return
	}
	c.Service, c.Region, c.AccessKey = service, region, key
	limit := int64(MaxBody)
	if b, ok := svc.(BodyLimiter); ok {
		limit = b.MaxBody()
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, limit+1))
	if err != nil {
		svc.WriteError(c, svc.Internal(""))
		return
	}
	if int64(len(body)) > limit {
		svc.WriteError(c, Errf(413, "PayloadTooLargeException", "Request body exceeds %d bytes", limit))
		return
	}
	c.Body = body
	if opts.Credentials != nil && !opts.Credentials[key] {
		svc.WriteError(c, Errf(403, "UnrecognizedClientException", "The security token included in the request is invalid."))
		return
	}
	op, apiErr := svc.Resolve(c)
	c.Op = op
	if opts.Latency > 0 {
		time.Sleep(opts.Latency)
	}
	if apiErr != nil {
		svc.WriteError(c, apiErr)
		s.logf(opts, c, apiErr.Status)
		return
	}
	if opts.Retired {
		if e := svc.Retired(op); e != nil {
			svc.WriteError(c, e)
			s.logf(opts, c, e.Status)
			return
		}
	}
	if !s.faults.allow(service, region, op, svc.Quota(op)) {
		e := svc.Throttled(op)
		svc.WriteError(c, e)
		s.logf(opts, c, e.Status)
		return
	}
	if s.faults.fail() {
		e := svc.Internal(op)
		svc.WriteError(c, e)
		s.logf(opts, c, e.Status)
		return
	}
	s.mu.Lock()
	s.stats[service+":"+op]++
	s.mu.Unlock()
	svc.Serve(c)
	s.logf(opts, c, 0)
}

func (s *Server) logf(opts Options, c *Call, status int) {
	if opts.Log == nil {
		return
	}
	st := "ok"
	if status != 0 {
		st = fmt.Sprint(status)
	}
	fmt.Fprintf(opts.Log, "%s %s %s %s %s\n", c.Now.Format(time.RFC3339), c.Region, c.Service, c.Op, st)
}

// Services lists the signing names served, sorted.
func (s *Server) Services() []string {
	var out []string
	for n := range s.services {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}
