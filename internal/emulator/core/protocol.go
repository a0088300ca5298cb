package core

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/p2c/p2c/internal/awsmodel"
)

// WriteJSON answers with a JSON body.
func WriteJSON(c *Call, status int, v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		status = 500
		buf.Reset()
		fmt.Fprintf(&buf, `{"Message":"encode response: %s"}`, err)
	}
	h := c.W.Header()
	h.Set("Content-Type", "application/json")
	h.Set("x-amzn-RequestId", c.RequestID)
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	c.W.WriteHeader(status)
	_, _ = c.W.Write(buf.Bytes())
}

// REST is the model-driven half of a REST-JSON service: it resolves routes
// and assembles and validates inputs from the model.
type REST struct {
	Model *awsmodel.Model
}

// Resolve matches the request to an operation, or answers like API Gateway
// fronted AWS services do for unknown routes.
func (r REST) Resolve(c *Call) (string, *Error) {
	path := c.R.URL.EscapedPath()
	op, params, methodOK := r.Model.Match(c.R.Method, path)
	if op == "" {
		if !methodOK {
			return "", Errf(405, "MethodNotAllowedException", "Method %s is not allowed on %s", c.R.Method, path)
		}
		return "", Errf(404, "NotFoundException", "No operation matches %s %s", c.R.Method, path)
	}
	c.Params = params
	return op, nil
}

// Input decodes and validates the input of a REST-JSON call, returning it
// under SDK member names. Validation failures become a 400 with code
// badCode naming the first offending member.
func (r REST) Input(c *Call, badCode string) (map[string]any, *Error) {
	var body any
	if len(bytes.TrimSpace(c.Body)) > 0 {
		d := json.NewDecoder(bytes.NewReader(c.Body))
		if err := d.Decode(&body); err != nil {
			return nil, Errf(400, badCode, "Could not parse request body into json: %v", err)
		}
	}
	in := r.Model.RESTInput(c.Op, c.Params, c.R.URL.Query(), c.R.Header, body)
	s := r.Model.InputShape(c.Op)
	if s != nil {
		for _, req := range s.Required {
			if _, ok := in[req]; !ok {
				return nil, Errf(400, badCode, "Missing required field %s", req)
			}
		}
		if probs := r.Model.Validate(r.Model.Operations[c.Op].Input.Shape, in, false); len(probs) > 0 {
			return nil, Errf(400, badCode, "Invalid request: %s", probs[0])
		}
	}
	return in, nil
}

// JSON10 is the model-driven half of a JSON 1.0 (X-Amz-Target) service.
type JSON10 struct {
	Model *awsmodel.Model
}

// Resolve reads the operation from the X-Amz-Target header.
func (j JSON10) Resolve(c *Call) (string, *Error) {
	target := c.R.Header.Get("X-Amz-Target")
	prefix, op, ok := strings.Cut(target, ".")
	if !ok || prefix != j.Model.Metadata.TargetPrefix || j.Model.Operations[op] == nil {
		return "", Errf(400, "UnknownOperationException", "Unknown operation %q", target)
	}
	if c.R.Method != http.MethodPost {
		return "", Errf(400, "UnknownOperationException", "JSON protocol requires POST")
	}
	return op, nil
}

// Input decodes and validates a JSON 1.0 request body.
func (j JSON10) Input(c *Call) (map[string]any, *Error) {
	in := map[string]any{}
	if len(bytes.TrimSpace(c.Body)) > 0 {
		d := json.NewDecoder(bytes.NewReader(c.Body))
		if err := d.Decode(&in); err != nil {
			return nil, &Error{Status: 400, Code: "SerializationException", Message: "Could not parse request body: " + err.Error()}
		}
	}
	o := j.Model.Operations[c.Op]
	if o.Input != nil {
		if probs := j.Model.Validate(o.Input.Shape, in, false); len(probs) > 0 {
			p := probs[0]
			return nil, &Error{Status: 400, Code: "ValidationException",
				Message: fmt.Sprintf("1 validation error detected: Value at '%s' failed to satisfy constraint: %s", p.Path, p.Message),
				Fields:  map[string]any{"Reason": "FIELD_VALIDATION_FAILED", "Fields": []any{map[string]any{"Name": p.Path, "Message": p.Message}}}}
		}
	}
	return in, nil
}

// WriteJSON10Error renders an error as the JSON 1.0 protocol does.
func WriteJSON10Error(c *Call, e *Error) {
	body := map[string]any{"__type": e.Code, "message": e.Message}
	for k, v := range e.Fields {
		body[k] = v
	}
	c.W.Header().Set("X-Amzn-ErrorType", e.Code)
	WriteJSONWithType(c, e.Status, body, "application/x-amz-json-1.0")
}

// WriteJSONWithType answers with a JSON body and an explicit content type.
func WriteJSONWithType(c *Call, status int, v any, ctype string) {
	b, err := json.Marshal(v)
	if err != nil {
		status, b = 500, []byte(`{"__type":"InternalServerException","message":"encode response"}`)
	}
	h := c.W.Header()
	h.Set("Content-Type", ctype)
	h.Set("x-amzn-RequestId", c.RequestID)
	h.Set("Content-Length", strconv.Itoa(len(b)))
	c.W.WriteHeader(status)
	_, _ = c.W.Write(b)
}

// Page cuts one page out of items. token is the opaque continuation the
// client sent ("" for the first page); the returned next is "" on the last
// page. Tokens are base64 offsets tied to the list name, so a token from
// one list is refused by another.
func Page[T any](list string, items []T, token string, size int) (page []T, next string, err *Error) {
	start := 0
	if token != "" {
		raw, derr := base64.RawURLEncoding.DecodeString(token)
		name, off, ok := strings.Cut(string(raw), ":")
		n, cerr := strconv.Atoi(off)
		if derr != nil || !ok || name != list || cerr != nil || n < 0 || n > len(items) {
			return nil, "", &Error{Status: 400, Code: "BadRequestException", Message: "The provided token is invalid or expired."}
		}
		start = n
	}
	end := start + size
	if end >= len(items) {
		return items[start:], "", nil
	}
	return items[start:end], base64.RawURLEncoding.EncodeToString([]byte(fmt.Sprintf("%s:%d", list, end))), nil
}

// Answer writes a REST-JSON operation's success: the status the model
// gives (200 by default), an empty body for operations without an output
// shape and for 204, otherwise out (nil meaning {}) pruned to the output
// shape so nothing the real service would not return leaves the emulator.
func Answer(c *Call, m *awsmodel.Model, out any) {
	op := m.Operations[c.Op]
	status := op.HTTP.ResponseCode
	if status == 0 {
		status = 200
	}
	if op.Output == nil || status == http.StatusNoContent {
		c.W.Header().Set("x-amzn-RequestId", c.RequestID)
		c.W.Header().Set("Content-Length", "0")
		c.W.WriteHeader(status)
		return
	}
	if out == nil {
		out = map[string]any{}
	}
	WriteJSON(c, status, m.Prune(op.Output.Shape, out))
}
