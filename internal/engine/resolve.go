package engine

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// placeholder matches the plan's placeholders: {{decision:KEY[|form]}} and
// {{step:ID.ATTR}} (blueprint/campaigns.go documents them).
var placeholder = regexp.MustCompile(`\{\{(decision|step):([^}]+)\}\}`)

// resolver fills placeholders from decisions and earlier steps' outputs.
type resolver struct {
	answers map[string]string
	// output returns a recorded output of a done step.
	output func(id, attr string) (string, bool)
}

// openDecisions lists the decision keys the value's placeholders name that
// have no answer.
func (r *resolver) openDecisions(v any) []string {
	var out []string
	walkStrings(v, func(s string) {
		for _, m := range placeholder.FindAllStringSubmatch(s, -1) {
			if m[1] != "decision" {
				continue
			}
			key, _, _ := strings.Cut(m[2], "|")
			if r.answers[key] == "" {
				out = append(out, key)
			}
		}
	})
	return out
}

// resolve returns v with every placeholder replaced; an error names the
// first one it cannot fill.
func (r *resolver) resolve(v any) (any, error) {
	switch t := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, val := range t {
			rv, err := r.resolve(val)
			if err != nil {
				return nil, err
			}
			out[k] = rv
		}
		return out, nil
	case []any:
		out := make([]any, len(t))
		for i, val := range t {
			rv, err := r.resolve(val)
			if err != nil {
				return nil, err
			}
			out[i] = rv
		}
		return out, nil
	case string:
		return r.resolveString(t)
	}
	return v, nil
}

func (r *resolver) resolveString(s string) (any, error) {
	var err error
	out := placeholder.ReplaceAllStringFunc(s, func(m string) string {
		if err != nil {
			return m
		}
		sm := placeholder.FindStringSubmatch(m)
		var val string
		if sm[1] == "decision" {
			val, err = r.decision(sm[2])
		} else {
			val, err = r.step(sm[2])
		}
		return val
	})
	if err != nil {
		return nil, err
	}
	// A placeholder that is the whole of a number member's value (none
	// today) would need its type back; the plan only puts them in strings.
	return out, nil
}

func (r *resolver) decision(body string) (string, error) {
	key, form, _ := strings.Cut(body, "|")
	ans := r.answers[key]
	if ans == "" {
		return "", fmt.Errorf("decision %s is open", key)
	}
	switch {
	case form == "":
		return ans, nil
	case form == "id":
		return ans[strings.LastIndex(ans, "/")+1:], nil
	case form == "account":
		f := strings.Split(ans, ":")
		if len(f) < 5 || f[4] == "" {
			return "", fmt.Errorf("decision %s: %q is not an ARN with an account", key, ans)
		}
		return f[4], nil
	case strings.HasPrefix(form, "plus:"):
		d, err := isoSeconds(strings.TrimPrefix(form, "plus:"))
		if err != nil {
			return "", fmt.Errorf("decision %s: %w", key, err)
		}
		t, err := time.Parse(time.RFC3339, ans)
		if err != nil {
			return "", fmt.Errorf("decision %s: %q is not an RFC 3339 time", key, ans)
		}
		return t.Add(d).UTC().Format(time.RFC3339), nil
	}
	return "", fmt.Errorf("decision %s: unknown form %q", key, form)
}

// isoSeconds reads the PTnS durations the plan writes.
func isoSeconds(s string) (time.Duration, error) {
	n, ok := strings.CutPrefix(s, "PT")
	if !ok || !strings.HasSuffix(n, "S") {
		return 0, fmt.Errorf("duration %q: want PTnS", s)
	}
	secs, err := strconv.Atoi(strings.TrimSuffix(n, "S"))
	if err != nil {
		return 0, fmt.Errorf("duration %q: %w", s, err)
	}
	return time.Duration(secs) * time.Second, nil
}

func (r *resolver) step(body string) (string, error) {
	i := strings.LastIndex(body, ".")
	if i < 0 {
		return "", fmt.Errorf("placeholder {{step:%s}} names no attribute", body)
	}
	id, attr := body[:i], body[i+1:]
	if v, ok := r.output(id, attr); ok {
		return v, nil
	}
	// A template's version is the one its /version step published.
	if attr == "version" {
		if v, ok := r.output(id+"/version", attr); ok {
			return v, nil
		}
	}
	return "", fmt.Errorf("step %s has no recorded %s (not applied yet?)", id, attr)
}

// stepRefs lists the step ids a value's placeholders name.
func stepRefs(v any) []string {
	var out []string
	walkStrings(v, func(s string) {
		for _, m := range placeholder.FindAllStringSubmatch(s, -1) {
			if m[1] == "step" {
				if i := strings.LastIndex(m[2], "."); i > 0 {
					out = append(out, m[2][:i])
				}
			}
		}
	})
	return out
}

func walkStrings(v any, f func(string)) {
	switch t := v.(type) {
	case map[string]any:
		for _, val := range t {
			walkStrings(val, f)
		}
	case []any:
		for _, val := range t {
			walkStrings(val, f)
		}
	case string:
		f(t)
	}
}
