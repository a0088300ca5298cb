package emulator

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"

	"github.com/p2c/p2c/internal/awsmodel"
	"github.com/p2c/p2c/internal/emulator/pinpoint"
)

// SeedVersion is the current seed file format version.
const SeedVersion = 1

// Seed is a recorded sequence of create calls. Replaying it through the
// emulator's own wire path gives the account those calls built. The format
// is documented in docs/emulator.md.
type Seed struct {
	SeedVersion int    `json:"seedVersion"`
	Description string `json:"description,omitempty"`
	// Region is the default region of calls that name none.
	Region string `json:"region,omitempty"`
	Calls  []Call `json:"calls"`
}

// Call is one recorded call.
type Call struct {
	// Service is the botocore service name: "pinpoint",
	// "pinpoint-sms-voice-v2", "customer-profiles", "connectcampaignsv2",
	// "qconnect", "connect", "sesv2", "s3" (CreateBucket, PutObject) or
	// "emulator" (SeedMetrics: analytics figures no AWS call can write;
	// VerifySESIdentity, SetSESProductionAccess and SettleConnect: what
	// only a person or AWS itself does).
	Service   string `json:"service"`
	Operation string `json:"operation"`
	Region    string `json:"region,omitempty"`
	// Input uses the SDK member names, as `aws ... --cli-input-json` does.
	// Strings may hold ${name} references to values saved by earlier calls.
	Input map[string]any `json:"input"`
	// Save names values of the response body for later calls:
	// {"app.retail": "Id"} saves the response's Id as ${app.retail}.
	Save map[string]string `json:"save,omitempty"`
}

// refRE matches ${name} references and their escaped form $${name}, which
// stands for the literal text ${name}.
var refRE = regexp.MustCompile(`\$?\$\{([A-Za-z0-9_.:/-]+)\}`)

// LoadSeed reads a seed file.
func LoadSeed(path string) (*Seed, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read seed: %w", err)
	}
	var s Seed
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&s); err != nil {
		return nil, fmt.Errorf("seed %s: %w", path, describeJSONError(data, err))
	}
	if s.SeedVersion != SeedVersion {
		return nil, fmt.Errorf("seed %s: seedVersion %d is not supported (this p2c reads version %d)", path, s.SeedVersion, SeedVersion)
	}
	return &s, nil
}

func describeJSONError(data []byte, err error) error {
	var se *json.SyntaxError
	if ok := asSyntax(err, &se); ok {
		line := 1 + bytes.Count(data[:min(int(se.Offset), len(data))], []byte("\n"))
		return fmt.Errorf("line %d: %w", line, err)
	}
	return err
}

func asSyntax(err error, target **json.SyntaxError) bool {
	se, ok := err.(*json.SyntaxError)
	if ok {
		*target = se
	}
	return ok
}

// Apply replays a seed through the emulator's handler, so each call takes
// the same route, validation and protocol as a client's. It stops at the
// first failing call, naming it.
func (e *Emulator) Apply(seed *Seed) (map[string]string, error) {
	vars := map[string]string{}
	for i, c := range seed.Calls {
		region := c.Region
		if region == "" {
			region = seed.Region
		}
		if region == "" {
			region = "us-east-1"
		}
		in, err := substitute(c.Input, vars)
		if err != nil {
			return vars, fmt.Errorf("seed call %d (%s %s): %w", i+1, c.Service, c.Operation, err)
		}
		input, _ := in.(map[string]any)
		body, err := e.call(region, c.Service, c.Operation, input)
		if err != nil {
			return vars, fmt.Errorf("seed call %d (%s %s): %w", i+1, c.Service, c.Operation, err)
		}
		for name, path := range c.Save {
			v, ok := lookup(body, path)
			if !ok {
				return vars, fmt.Errorf("seed call %d (%s %s): response has no %s to save as %s", i+1, c.Service, c.Operation, path, name)
			}
			vars[name] = v
		}
	}
	return vars, nil
}

func substitute(v any, vars map[string]string) (any, error) {
	switch t := v.(type) {
	case string:
		var missing string
		out := refRE.ReplaceAllStringFunc(t, func(m string) string {
			if strings.HasPrefix(m, "$$") {
				return m[1:]
			}
			name := m[2 : len(m)-1]
			val, ok := vars[name]
			if !ok {
				missing = name
			}
			return val
		})
		if missing != "" {
			return nil, fmt.Errorf("${%s} is not saved by any earlier call", missing)
		}
		return out, nil
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, x := range t {
			// Keys may hold references too (e.g. journey activity ids stay
			// literal, but attribute names never need them).
			y, err := substitute(x, vars)
			if err != nil {
				return nil, err
			}
			out[k] = y
		}
		return out, nil
	case []any:
		out := make([]any, len(t))
		for i, x := range t {
			y, err := substitute(x, vars)
			if err != nil {
				return nil, err
			}
			out[i] = y
		}
		return out, nil
	}
	return v, nil
}

func lookup(body any, path string) (string, bool) {
	cur := body
	for _, p := range strings.Split(path, ".") {
		m, ok := cur.(map[string]any)
		if !ok {
			return "", false
		}
		cur, ok = m[p]
		if !ok {
			return "", false
		}
	}
	switch v := cur.(type) {
	case string:
		return v, true
	case float64:
		return fmt.Sprint(v), true
	}
	return "", false
}

var signingNames = map[string]string{
	"pinpoint": "mobiletargeting", "pinpoint-sms-voice-v2": "sms-voice", "s3": "s3",
	"customer-profiles": "profile", "connectcampaignsv2": "connect-campaigns", "qconnect": "wisdom", "connect": "connect", "sesv2": "ses",
}

// call sends one operation through the handler and returns the decoded
// response body.
func (e *Emulator) call(region, service, op string, input map[string]any) (any, error) {
	switch service {
	case "emulator":
		return nil, e.emulatorCall(region, op, input)
	case "s3":
		return nil, e.s3Call(op, input)
	}
	signing := signingNames[service]
	if signing == "" {
		return nil, fmt.Errorf("unknown service %q", service)
	}
	m, err := awsmodel.Load(service)
	if err != nil {
		return nil, err
	}
	var req *http.Request
	switch m.Metadata.Protocol {
	case "rest-json":
		method, path, query, body, err := m.BuildRESTRequest(op, input)
		if err != nil {
			return nil, err
		}
		req = httptest.NewRequest(method, path, bytes.NewReader(body))
		req.URL.RawQuery = query.Encode()
		req.Header.Set("Content-Type", "application/json")
		for k, vs := range m.RESTHeaders(op, input) {
			req.Header[k] = vs
		}
	case "json":
		if m.Operations[op] == nil {
			return nil, fmt.Errorf("unknown operation %s", op)
		}
		body, _ := json.Marshal(input)
		req = httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(body))
		req.Header.Set("X-Amz-Target", m.Metadata.TargetPrefix+"."+op)
		req.Header.Set("Content-Type", "application/x-amz-json-"+m.Metadata.JSONVersion)
	default:
		return nil, fmt.Errorf("protocol %s is not seedable", m.Metadata.Protocol)
	}
	req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=SEED/20261101/"+region+"/"+signing+"/aws4_request, SignedHeaders=host, Signature=0")
	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, req)
	res := rec.Result()
	var out any
	if rec.Body.Len() > 0 {
		if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil {
			return nil, fmt.Errorf("decode response: %w", err)
		}
	}
	if res.StatusCode >= 300 {
		return nil, fmt.Errorf("%s: %s", res.Header.Get("X-Amzn-ErrorType"), strings.TrimSpace(rec.Body.String()))
	}
	return out, nil
}

// emulatorCall handles the pseudo-operations of service "emulator": what a
// seed needs that no AWS call can do (analytics figures, and what only a
// person or AWS does: verifying an SES identity, granting SES production
// access, finishing Connect's asynchronous number imports).
func (e *Emulator) emulatorCall(region, op string, input map[string]any) error {
	raw, _ := json.Marshal(input)
	decode := func(v any) error {
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.DisallowUnknownFields()
		return dec.Decode(v)
	}
	switch op {
	case "SeedMetrics":
		var m pinpoint.MetricsSeed
		if err := decode(&m); err != nil {
			return err
		}
		return e.Pinpoint.SeedMetrics(region, m)
	case "VerifySESIdentity":
		var in struct{ Identity string }
		if err := decode(&in); err != nil {
			return err
		}
		if in.Identity == "" {
			return fmt.Errorf("VerifySESIdentity needs Identity")
		}
		e.SES.MarkVerified(region, in.Identity)
		return nil
	case "SetSESProductionAccess":
		var in struct{ ProductionAccessEnabled bool }
		if err := decode(&in); err != nil {
			return err
		}
		e.SES.SetProductionAccess(region, in.ProductionAccessEnabled)
		return nil
	case "SettleConnect":
		if err := decode(&struct{}{}); err != nil {
			return err
		}
		e.Connect.Settle()
		return nil
	}
	return fmt.Errorf("unknown emulator operation %s", op)
}

// s3Call handles the two S3 calls seeds use; Body is text, or base64 with
// "BodyBase64".
func (e *Emulator) s3Call(op string, in map[string]any) error {
	bucket, _ := in["Bucket"].(string)
	switch op {
	case "CreateBucket":
		return e.S3.CreateBucket(bucket)
	case "PutObject":
		key, _ := in["Key"].(string)
		var data []byte
		if b, ok := in["BodyBase64"].(string); ok {
			var err error
			if data, err = base64.StdEncoding.DecodeString(b); err != nil {
				return fmt.Errorf("BodyBase64: %w", err)
			}
		} else {
			body, _ := in["Body"].(string)
			data = []byte(body)
		}
		return e.S3.PutObject(bucket, key, data)
	}
	return fmt.Errorf("unknown s3 seed operation %s", op)
}
