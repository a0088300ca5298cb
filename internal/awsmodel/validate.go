package awsmodel

import (
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Problem is one way a value fails its shape.
type Problem struct {
	Path    string // dotted member path, e.g. "WriteSegmentRequest.Dimensions"
	Message string
}

func (p Problem) String() string {
	if p.Path == "" {
		return p.Message
	}
	return p.Path + ": " + p.Message
}

var (
	patMu sync.Mutex
	pats  = map[string]*regexp.Regexp{}
)

// Validate checks a decoded JSON value (maps, slices, float64/json.Number,
// strings, bools) against a named shape: types, required members, enums,
// lengths and ranges. Unknown members are reported too when strict is set.
func (m *Model) Validate(shape string, v any, strict bool) []Problem {
	var out []Problem
	m.validate(&out, "", m.Shapes[shape], v, strict, 0)
	sort.SliceStable(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out
}

func join(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

func (m *Model) validate(out *[]Problem, path string, s *Shape, v any, strict bool, depth int) {
	if s == nil || v == nil || depth > 64 {
		return
	}
	bad := func(format string, args ...any) {
		*out = append(*out, Problem{Path: path, Message: fmt.Sprintf(format, args...)})
	}
	switch s.Type {
	case "structure":
		obj, ok := v.(map[string]any)
		if !ok {
			bad("expected an object, got %s", kind(v))
			return
		}
		for _, r := range s.Required {
			ref := s.Members[r]
			if ref != nil && ref.Location != "" {
				continue // path/query members are checked by the caller
			}
			if val, ok := obj[memberWire(r, ref)]; !ok || val == nil {
				*out = append(*out, Problem{Path: join(path, r), Message: "is required"})
			}
		}
		for k, val := range obj {
			name, ref := m.memberByWire(s, k)
			if ref == nil {
				if strict {
					*out = append(*out, Problem{Path: join(path, k), Message: "is not a known member"})
				}
				continue
			}
			m.validate(out, join(path, name), m.Shapes[ref.Shape], val, strict, depth+1)
		}
	case "list":
		arr, ok := v.([]any)
		if !ok {
			bad("expected a list, got %s", kind(v))
			return
		}
		checkLen(bad, s, len(arr), "items")
		for i, it := range arr {
			m.validate(out, fmt.Sprintf("%s[%d]", path, i), m.Shapes[s.Member.Shape], it, strict, depth+1)
		}
	case "map":
		obj, ok := v.(map[string]any)
		if !ok {
			bad("expected an object, got %s", kind(v))
			return
		}
		checkLen(bad, s, len(obj), "entries")
		for k, it := range obj {
			m.validate(out, join(path, k), m.Shapes[s.Value.Shape], it, strict, depth+1)
		}
	case "string":
		str, ok := v.(string)
		if !ok {
			bad("expected a string, got %s", kind(v))
			return
		}
		if len(s.Enum) > 0 && !contains(s.Enum, str) {
			bad("%q is not one of %s", str, strings.Join(s.Enum, ", "))
		}
		checkLen(bad, s, len([]rune(str)), "characters")
		if s.Pattern != "" && str != "" {
			if re := compile(s.Pattern); re != nil && !re.MatchString(str) {
				bad("%q does not match the pattern %s", str, s.Pattern)
			}
		}
	case "integer", "long":
		f, ok := number(v)
		if !ok {
			bad("expected a number, got %s", kind(v))
			return
		}
		if f != math.Trunc(f) {
			bad("expected a whole number, got %v", f)
		}
		checkRange(bad, s, f)
	case "double", "float":
		f, ok := number(v)
		if !ok {
			bad("expected a number, got %s", kind(v))
			return
		}
		checkRange(bad, s, f)
	case "boolean":
		if _, ok := v.(bool); !ok {
			bad("expected true or false, got %s", kind(v))
		}
	case "timestamp":
		switch t := v.(type) {
		case string:
			if _, err := ParseTime(t); err != nil {
				bad("%q is not a timestamp", t)
			}
		case float64, json.Number:
		default:
			bad("expected a timestamp, got %s", kind(v))
		}
	case "blob":
		if _, ok := v.(string); !ok {
			bad("expected base64 text, got %s", kind(v))
		}
	}
}

// MemberByWire finds a structure member by its JSON key (its wire name),
// returning the member name and its reference, or nil.
func (m *Model) MemberByWire(s *Shape, key string) (string, *Ref) { return m.memberByWire(s, key) }

// memberByWire finds a structure member by its JSON key.
func (m *Model) memberByWire(s *Shape, key string) (string, *Ref) {
	if ref, ok := s.Members[key]; ok && (ref.LocationName == "" || ref.Location != "") {
		return key, ref
	}
	for name, ref := range s.Members {
		if ref.Location == "" && ref.LocationName == key {
			return name, ref
		}
	}
	return "", nil
}

func memberWire(name string, ref *Ref) string {
	if ref != nil && ref.Location == "" && ref.LocationName != "" {
		return ref.LocationName
	}
	return name
}

// Prune returns a copy of v holding only the members the shape defines, so
// that a response never carries what the real service would not return
// (channel secrets, request-only fields).
func (m *Model) Prune(shape string, v any) any {
	return m.prune(m.Shapes[shape], v, 0)
}

func (m *Model) prune(s *Shape, v any, depth int) any {
	if s == nil || v == nil || depth > 64 {
		return v
	}
	switch s.Type {
	case "structure":
		obj, ok := v.(map[string]any)
		if !ok {
			return v
		}
		out := make(map[string]any, len(obj))
		for k, val := range obj {
			if _, ref := m.memberByWire(s, k); ref != nil && ref.Location == "" {
				out[k] = m.prune(m.Shapes[ref.Shape], val, depth+1)
			}
		}
		return out
	case "list":
		arr, ok := v.([]any)
		if !ok {
			return v
		}
		out := make([]any, len(arr))
		for i, it := range arr {
			out[i] = m.prune(m.Shapes[s.Member.Shape], it, depth+1)
		}
		return out
	case "map":
		obj, ok := v.(map[string]any)
		if !ok {
			return v
		}
		out := make(map[string]any, len(obj))
		for k, it := range obj {
			out[k] = m.prune(m.Shapes[s.Value.Shape], it, depth+1)
		}
		return out
	}
	return v
}

// ParseTime accepts the timestamp forms AWS clients send.
func ParseTime(s string) (time.Time, error) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05Z0700", "2006-01-02T15:04:05", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("not a timestamp: %q", s)
}

func checkLen(bad func(string, ...any), s *Shape, n int, unit string) {
	if s.Min != nil && float64(n) < *s.Min {
		bad("has %d %s, fewer than the minimum %v", n, unit, *s.Min)
	}
	if s.Max != nil && float64(n) > *s.Max {
		bad("has %d %s, more than the maximum %v", n, unit, *s.Max)
	}
}

func checkRange(bad func(string, ...any), s *Shape, f float64) {
	if s.Min != nil && f < *s.Min {
		bad("%v is below the minimum %v", f, *s.Min)
	}
	if s.Max != nil && f > *s.Max {
		bad("%v is above the maximum %v", f, *s.Max)
	}
}

func number(v any) (float64, bool) {
	switch n := v.(type) {
	case float64:
		return n, true
	case json.Number:
		f, err := n.Float64()
		return f, err == nil
	case int:
		return float64(n), true
	case int64:
		return float64(n), true
	}
	return 0, false
}

func kind(v any) string {
	switch v.(type) {
	case map[string]any:
		return "an object"
	case []any:
		return "a list"
	case string:
		return "a string"
	case bool:
		return "a boolean"
	case float64, json.Number:
		return "a number"
	case nil:
		return "null"
	}
	return fmt.Sprintf("%T", v)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// compile turns a botocore (Java-flavoured) pattern into a Go regexp; those
// Go cannot express are skipped rather than guessed. Services check the
// whole value against the pattern (as Java's Pattern.matches does), so the
// pattern is anchored unless it only anchors its start.
func compile(p string) *regexp.Regexp {
	patMu.Lock()
	defer patMu.Unlock()
	if re, ok := pats[p]; ok {
		return re
	}
	if strings.Contains(p, `\\`) {
		// The connect model double-escapes some patterns ("\\+?[0-9]{1,11}"
		// for a phone prefix), which would demand a literal backslash.
		pats[p] = nil
		return nil
	}
	expr := `^(?:` + p + `)$`
	if strings.HasPrefix(p, "^") && !strings.HasSuffix(p, "$") {
		// An explicit start anchor without an end one is a prefix check
		// (customer-profiles TagArn is ^arn:[a-z0-9]{1,10}:profile).
		expr = p
	}
	re, err := regexp.Compile(expr)
	if err != nil {
		re = nil
	}
	pats[p] = re
	return re
}

// ToWire rewrites a value written with SDK member names (as the AWS CLI's
// --cli-input-json takes and prints them) into the wire form, at every
// depth: wire names (a journey condition's SegmentDimensions becomes
// segmentDimensions), and epoch seconds for timestamps the protocol sends
// so (AWS CLI v2 prints ISO 8601 whatever the wire had). Keys that already
// are wire names, or are unknown, are kept as they are.
func (m *Model) ToWire(shape string, v any) any {
	return m.toWire(m.Shapes[shape], v, 0)
}

func (m *Model) toWire(s *Shape, v any, depth int) any {
	if s == nil || v == nil || depth > 64 {
		return v
	}
	switch s.Type {
	case "structure":
		obj, ok := v.(map[string]any)
		if !ok {
			return v
		}
		out := make(map[string]any, len(obj))
		for k, val := range obj {
			name, ref := k, s.Members[k]
			if ref == nil || ref.Location != "" {
				// Already a wire name, or unknown (a newer model): kept.
				if _, ref = m.memberByWire(s, k); ref == nil {
					out[k] = val
					continue
				}
			} else {
				name = memberWire(k, ref)
			}
			if ts := m.Shapes[ref.Shape]; ts != nil && ts.Type == "timestamp" {
				format := ref.TimestampFormat
				if format == "" {
					format = ts.TimestampFormat
				}
				out[name] = m.timestampToWire(format, val)
				continue
			}
			out[name] = m.toWire(m.Shapes[ref.Shape], val, depth+1)
		}
		return out
	case "list":
		arr, ok := v.([]any)
		if !ok {
			return v
		}
		out := make([]any, len(arr))
		for i, it := range arr {
			out[i] = m.toWire(m.Shapes[s.Member.Shape], it, depth+1)
		}
		return out
	case "map":
		obj, ok := v.(map[string]any)
		if !ok {
			return v
		}
		out := make(map[string]any, len(obj))
		for k, it := range obj {
			out[k] = m.toWire(m.Shapes[s.Value.Shape], it, depth+1)
		}
		return out
	}
	return v
}

// timestampToWire turns an ISO 8601 rendering of a timestamp into epoch
// seconds where the wire carries those; anything else is kept as written.
func (m *Model) timestampToWire(format string, v any) any {
	if format == "" {
		switch m.Metadata.Protocol {
		case "json", "rest-json":
			format = "unixTimestamp"
		default:
			format = "iso8601"
		}
	}
	s, ok := v.(string)
	if !ok || format != "unixTimestamp" {
		return v
	}
	tm, err := ParseTime(s)
	if err != nil {
		return v
	}
	return json.Number(strconv.FormatFloat(float64(tm.UnixNano())/1e9, 'f', -1, 64))
}
