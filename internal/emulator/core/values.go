package core

import (
	"encoding/json"
	"strconv"
)

// Helpers over decoded JSON values (maps, lists, strings, numbers, bools),
// shared by every emulated service.

// Scalar renders a scalar JSON value as text ("" for objects, lists, null).
func Scalar(v any) string {
	switch t := v.(type) {
	case string:
		return t
	case float64:
		return strconv.FormatFloat(t, 'f', -1, 64)
	case int:
		return strconv.Itoa(t)
	case bool:
		return strconv.FormatBool(t)
	case json.Number:
		return t.String()
	}
	return ""
}

// Str returns member k of m as text.
func Str(m map[string]any, k string) string {
	if m == nil {
		return ""
	}
	return Scalar(m[k])
}

// Obj returns member k of m when it is an object.
func Obj(m map[string]any, k string) map[string]any {
	if m == nil {
		return nil
	}
	o, _ := m[k].(map[string]any)
	return o
}

// Num reads a JSON number (float64 or json.Number).
func Num(v any) (float64, bool) {
	switch n := v.(type) {
	case float64:
		return n, true
	case json.Number:
		f, err := n.Float64()
		return f, err == nil
	}
	return 0, false
}

// DeepCopy copies decoded JSON, so that stored state never shares nested
// maps or lists with a request, a response or another version.
func DeepCopy(v any) any {
	switch t := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, x := range t {
			out[k] = DeepCopy(x)
		}
		return out
	case []any:
		out := make([]any, len(t))
		for i, x := range t {
			out[i] = DeepCopy(x)
		}
		return out
	}
	return v
}
