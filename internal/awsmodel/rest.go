package awsmodel

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
)

type route struct {
	op       string
	method   string
	segments []string // literal, or "{name}" / "{name+}"
	literals int
}

func (m *Model) buildRoutes() {
	if m.Metadata.Protocol != "rest-json" && m.Metadata.Protocol != "rest-xml" {
		return
	}
	for name, op := range m.Operations {
		path, _, _ := strings.Cut(op.HTTP.RequestURI, "?")
		r := &route{op: name, method: op.HTTP.Method, segments: splitPath(path)}
		for _, s := range r.segments {
			if !strings.HasPrefix(s, "{") {
				r.literals++
			}
		}
		m.routes = append(m.routes, r)
	}
	// More literal segments first: "/channels/email" beats "/{template-type}".
	sort.Slice(m.routes, func(i, j int) bool {
		a, b := m.routes[i], m.routes[j]
		if a.literals != b.literals {
			return a.literals > b.literals
		}
		return a.op < b.op
	})
}

func splitPath(p string) []string {
	p = strings.Trim(p, "/")
	if p == "" {
		return nil
	}
	return strings.Split(p, "/")
}

// Match finds the REST operation for a method and escaped path, returning
// its name and the unescaped path parameters by location name. methodOK
// reports whether some operation matched the path with another method, so
// that callers can answer 405 rather than 404.
func (m *Model) Match(method, escapedPath string) (op string, params map[string]string, methodOK bool) {
	segs := splitPath(escapedPath)
	pathMatched := false
	for _, r := range m.routes {
		p, ok := r.match(segs)
		if !ok {
			continue
		}
		pathMatched = true
		if r.method != method {
			continue
		}
		return r.op, p, true
	}
	return "", nil, !pathMatched
}

func (r *route) match(segs []string) (map[string]string, bool) {
	params := map[string]string{}
	for i, s := range r.segments {
		if strings.HasSuffix(s, "+}") { // greedy label: rest of the path
			if i >= len(segs) {
				return nil, false
			}
			v, err := url.PathUnescape(strings.Join(segs[i:], "/"))
			if err != nil {
				return nil, false
			}
			params[s[1:len(s)-2]] = v
			return params, true
		}
		if i >= len(segs) {
			return nil, false
		}
		if strings.HasPrefix(s, "{") {
			v, err := url.PathUnescape(segs[i])
			if err != nil || v == "" {
				return nil, false
			}
			params[s[1:len(s)-1]] = v
			continue
		}
		if s != segs[i] {
			return nil, false
		}
	}
	return params, len(segs) == len(r.segments)
}

// RESTInput assembles an operation's input, as the SDKs name its members,
// from the parts of a REST request: path parameters, query string, headers
// and the decoded JSON body. The result can be checked with Validate.
func (m *Model) RESTInput(op string, params map[string]string, query url.Values, header http.Header, body any) map[string]any {
	in := map[string]any{}
	s := m.InputShape(op)
	if s == nil {
		return in
	}
	for name, ref := range s.Members {
		var raw string
		var ok bool
		switch ref.Location {
		case "uri":
			raw, ok = params[ref.LocationName]
		case "querystring":
			if vs, present := query[ref.LocationName]; present && len(vs) > 0 {
				if m.Shapes[ref.Shape].Type == "list" {
					items := make([]any, len(vs))
					for i, v := range vs {
						items[i] = v
					}
					in[name] = items
					continue
				}
				raw, ok = vs[0], true
			}
		case "header":
			if v := header.Get(ref.LocationName); v != "" {
				raw, ok = v, true
			}
		default:
			continue
		}
		if ok {
			in[name] = scalarParam(m.Shapes[ref.Shape], raw)
		}
	}
	if s.Payload != "" {
		if body != nil {
			in[s.Payload] = body
		}
	} else if obj, ok := body.(map[string]any); ok {
		for name, ref := range s.Members {
			if ref.Location == "" {
				if v, present := obj[wireName(name, ref)]; present {
					in[name] = v
				}
			}
		}
	}
	return in
}

// scalarParam types a path, query or header value by its shape, so that
// booleans and numbers validate like their JSON forms; a value that does
// not parse stays a string and fails validation with a clear message.
func scalarParam(s *Shape, raw string) any {
	if s == nil {
		return raw
	}
	switch s.Type {
	case "boolean":
		if b, err := strconv.ParseBool(raw); err == nil {
			return b
		}
	case "integer", "long", "double", "float":
		if _, err := strconv.ParseFloat(raw, 64); err == nil {
			return json.Number(raw)
		}
	}
	return raw
}

func wireName(member string, ref *Ref) string {
	if ref.LocationName != "" && ref.Location == "" {
		return ref.LocationName
	}
	return member
}

// BuildRESTRequest turns an operation input (SDK member names, as in the AWS
// CLI's --cli-input-json) into the method, escaped path, query and JSON body
// of a REST-JSON request. Seeds use it to replay recorded calls through the
// same wire path a client takes.
func (m *Model) BuildRESTRequest(op string, input map[string]any) (method, path string, query url.Values, body []byte, err error) {
	o := m.Operations[op]
	if o == nil {
		return "", "", nil, nil, fmt.Errorf("unknown operation %s", op)
	}
	s := m.InputShape(op)
	query = url.Values{}
	uriPath, _, _ := strings.Cut(o.HTTP.RequestURI, "?")
	var bodyObj any
	if s != nil {
		obj := map[string]any{}
		for name, ref := range s.Members {
			v, ok := input[name]
			if !ok {
				continue
			}
			switch ref.Location {
			case "uri":
				sv := fmt.Sprint(v)
				uriPath = strings.Replace(uriPath, "{"+ref.LocationName+"}", url.PathEscape(sv), 1)
				uriPath = strings.Replace(uriPath, "{"+ref.LocationName+"+}", escapeGreedy(sv), 1)
			case "querystring":
				if list, ok := v.([]any); ok {
					for _, it := range list {
						query.Add(ref.LocationName, fmt.Sprint(it))
					}
				} else {
					query.Set(ref.LocationName, fmt.Sprint(v))
				}
			case "header":
				// Only used by services p2c does not seed through this path.
			default:
				if s.Payload == name {
					bodyObj = m.ToWire(ref.Shape, v)
				} else {
					obj[wireName(name, ref)] = m.ToWire(ref.Shape, v)
				}
			}
		}
		if bodyObj == nil && s.Payload == "" && len(obj) > 0 {
			bodyObj = obj
		}
		for k := range input {
			if _, ok := s.Members[k]; !ok {
				return "", "", nil, nil, fmt.Errorf("%s: unknown input member %q", op, k)
			}
		}
	}
	if strings.Contains(uriPath, "{") {
		return "", "", nil, nil, fmt.Errorf("%s: missing path parameter in %s", op, uriPath)
	}
	if bodyObj != nil {
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(bodyObj); err != nil {
			return "", "", nil, nil, fmt.Errorf("%s: encode body: %w", op, err)
		}
		body = bytes.TrimSpace(buf.Bytes())
	}
	return o.HTTP.Method, uriPath, query, body, nil
}

func escapeGreedy(s string) string {
	parts := strings.Split(s, "/")
	for i, p := range parts {
		parts[i] = url.PathEscape(p)
	}
	return strings.Join(parts, "/")
}

// RESTHeaders returns the input members an operation sends as HTTP
// headers (BuildRESTRequest leaves them out).
func (m *Model) RESTHeaders(op string, input map[string]any) http.Header {
	h := http.Header{}
	s := m.InputShape(op)
	if s == nil {
		return h
	}
	for name, ref := range s.Members {
		if ref.Location != "header" {
			continue
		}
		if v, ok := input[name]; ok {
			h.Set(ref.LocationName, fmt.Sprint(v))
		}
	}
	return h
}
