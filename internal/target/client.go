// Package target talks to the target services a plan provisions. Plan
// steps carry their request in the API's own input shape, so one
// model-driven client serves every service: it serializes the input with
// the embedded botocore model, signs it with SigV4 and decodes the answer.
// This also covers the services whose Go SDK module is not available
// (qconnect) or too old (connectcampaignsv2 v1.5.0).
package target

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/p2c/p2c/internal/awsmodel"
)

// Client calls target APIs with the caller's AWS configuration.
type Client struct {
	cfg    aws.Config
	http   *http.Client
	signer *v4.Signer
	// MaxAttempts bounds retries of throttling and server errors.
	MaxAttempts int
	// Sleep waits between attempts (tests shorten it).
	Sleep func(time.Duration)
	// Endpoint, when set, receives every call whatever the environment
	// says (p2c demo: its in-process emulator, never AWS).
	Endpoint string
}

// NewClient returns a client for cfg.
func NewClient(cfg aws.Config) *Client {
	hc := http.DefaultClient
	if c, ok := cfg.HTTPClient.(*http.Client); ok && c != nil {
		hc = c
	}
	return &Client{cfg: cfg, http: hc, signer: v4.NewSigner(), MaxAttempts: 8, Sleep: time.Sleep}
}

// APIError is an error answer of a target service.
type APIError struct {
	Service   string
	Operation string
	Status    int
	Code      string
	Message   string
	RequestID string
}

func (e *APIError) Error() string {
	return fmt.Sprintf("%s %s: %s (HTTP %d): %s", e.Service, e.Operation, e.Code, e.Status, e.Message)
}

// IsCode reports whether err is an APIError with one of the codes.
func IsCode(err error, codes ...string) bool {
	var ae *APIError
	if !errors.As(err, &ae) {
		return false
	}
	for _, c := range codes {
		if ae.Code == c {
			return true
		}
	}
	return false
}

// Result is a successful answer.
type Result struct {
	Output    map[string]any
	RequestID string
}

// Call invokes service's operation with input (SDK member names, as the
// plan's specs hold them) in region.
func (c *Client) Call(ctx context.Context, service, region, op string, input map[string]any) (*Result, error) {
	m, err := awsmodel.Load(service)
	if err != nil {
		return nil, err
	}
	o := m.Operations[op]
	if o == nil {
		return nil, fmt.Errorf("%s has no operation %s", service, op)
	}
	if region == "" {
		region = c.cfg.Region
	}
	base, err := c.endpoint(m, region)
	if err != nil {
		return nil, err
	}
	attempts := max(c.MaxAttempts, 1)
	var last error
	for i := 0; i < attempts; i++ {
		if i > 0 {
			c.Sleep(backoff(i))
		}
		res, err := c.once(ctx, m, service, region, op, base, input)
		if err == nil {
			return res, nil
		}
		last = err
		if !retryable(err) || ctx.Err() != nil {
			return nil, err
		}
	}
	return nil, last
}

func backoff(attempt int) time.Duration {
	d := time.Duration(1<<min(attempt, 6)) * 50 * time.Millisecond
	return min(d, 5*time.Second)
}

func retryable(err error) bool {
	var ae *APIError
	if !errors.As(err, &ae) {
		return true // transport errors
	}
	if ae.Status >= 500 || ae.Status == 429 {
		return true
	}
	return strings.Contains(ae.Code, "Throttl") || ae.Code == "TooManyRequestsException"
}

func (c *Client) once(ctx context.Context, m *awsmodel.Model, service, region, op, base string, input map[string]any) (*Result, error) {
	var req *http.Request
	var body []byte
	switch m.Metadata.Protocol {
	case "rest-json":
		method, path, query, b, err := m.BuildRESTRequest(op, input)
		if err != nil {
			return nil, err
		}
		body = b
		u := strings.TrimRight(base, "/") + path
		if len(query) > 0 {
			u += "?" + query.Encode()
		}
		req, err = http.NewRequestWithContext(ctx, method, u, bytes.NewReader(body))
		if err != nil {
			return nil, err
		}
		if body != nil {
			req.Header.Set("Content-Type", "application/json")
		}
		for k, vs := range m.RESTHeaders(op, input) {
			req.Header[k] = vs
		}
	case "json":
		b, err := json.Marshal(m.ToWire(m.Operations[op].Input.Shape, input))
		if err != nil {
			return nil, err
		}
		body = b
		req, err = http.NewRequestWithContext(ctx, http.MethodPost, strings.TrimRight(base, "/")+"/", bytes.NewReader(body))
		if err != nil {
			return nil, err
		}
		req.Header.Set("Content-Type", "application/x-amz-json-"+m.Metadata.JSONVersion)
		req.Header.Set("X-Amz-Target", m.Metadata.TargetPrefix+"."+op)
	default:
		return nil, fmt.Errorf("%s: protocol %s is not supported", service, m.Metadata.Protocol)
	}
	creds, err := c.cfg.Credentials.Retrieve(ctx)
	if err != nil {
		return nil, fmt.Errorf("AWS credentials: %w", err)
	}
	sum := sha256.Sum256(body)
	signing := m.Metadata.SigningName
	if signing == "" {
		signing = m.Metadata.EndpointPfx
	}
	if err := c.signer.SignHTTP(ctx, creds, req, hex.EncodeToString(sum[:]), signing, region, time.Now().UTC()); err != nil {
		return nil, fmt.Errorf("sign %s %s: %w", service, op, err)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", service, op, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return nil, fmt.Errorf("%s %s: read answer: %w", service, op, err)
	}
	reqID := resp.Header.Get("x-amzn-RequestId")
	if reqID == "" {
		reqID = resp.Header.Get("x-amz-request-id")
	}
	if resp.StatusCode >= 300 {
		return nil, decodeError(service, op, resp, data, reqID)
	}
	out := map[string]any{}
	if len(bytes.TrimSpace(data)) > 0 {
		d := json.NewDecoder(bytes.NewReader(data))
		d.UseNumber()
		var v any
		if err := d.Decode(&v); err != nil {
			return nil, fmt.Errorf("%s %s: decode answer: %w", service, op, err)
		}
		// A REST payload member is the whole body; name it as the SDK does.
		if name, _ := m.PayloadShape(m.OutputShape(op)); name != "" {
			out[name] = v
		} else if obj, ok := v.(map[string]any); ok {
			out = obj
		}
	}
	return &Result{Output: out, RequestID: reqID}, nil
}

func decodeError(service, op string, resp *http.Response, data []byte, reqID string) error {
	e := &APIError{Service: service, Operation: op, Status: resp.StatusCode, RequestID: reqID}
	var body map[string]any
	_ = json.Unmarshal(data, &body)
	code := resp.Header.Get("X-Amzn-ErrorType")
	for _, k := range []string{"__type", "code", "Code"} {
		if code == "" {
			if s, ok := body[k].(string); ok {
				code = s
			}
		}
	}
	// "aws.protocoltests#Code:http://..." → "Code"
	if i := strings.LastIndex(code, "#"); i >= 0 {
		code = code[i+1:]
	}
	if i := strings.Index(code, ":"); i >= 0 {
		code = code[:i]
	}
	e.Code = code
	for _, k := range []string{"message", "Message"} {
		if s, ok := body[k].(string); ok && e.Message == "" {
			e.Message = s
		}
	}
	if e.Code == "" {
		e.Code = http.StatusText(resp.StatusCode)
	}
	return e
}

// endpoint resolves a service's base URL as every AWS tool does:
// AWS_ENDPOINT_URL_<SERVICE_ID>, then AWS_ENDPOINT_URL (in cfg), then the
// public endpoint of the region.
func (c *Client) endpoint(m *awsmodel.Model, region string) (string, error) {
	if c.Endpoint != "" {
		return c.Endpoint, nil
	}
	if os.Getenv("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS") != "true" {
		env := "AWS_ENDPOINT_URL_" + strings.ToUpper(strings.NewReplacer(" ", "_", "-", "_").Replace(m.Metadata.ServiceID))
		if v := os.Getenv(env); v != "" {
			return v, nil
		}
		if c.cfg.BaseEndpoint != nil && *c.cfg.BaseEndpoint != "" {
			return *c.cfg.BaseEndpoint, nil
		}
	}
	if region == "" {
		return "", errors.New("no region: give --region or set AWS_REGION")
	}
	host := m.Metadata.EndpointPfx + "." + region + ".amazonaws.com"
	u := url.URL{Scheme: "https", Host: host}
	return u.String(), nil
}
