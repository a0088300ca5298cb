package profiles

import (
	"strconv"
	"strings"
	"time"

	"github.com/p2c/p2c/internal/awsmodel"
)

// matchDim applies one dimension condition (segment dimensions, calculated
// attribute filters and event-trigger conditions share the operators) to
// a value. present is false when the profile or object has no value: only
// EXCLUSIVE matches then, so that "not opted out" includes profiles that
// never had the attribute.
func matchDim(typ string, want []string, v string, present bool) bool {
	if typ == "EXCLUSIVE" {
		return !present || !inList(want, v)
	}
	if !present || len(want) == 0 {
		return false
	}
	switch typ {
	case "INCLUSIVE":
		return inList(want, v)
	case "CONTAINS", "BEGINS_WITH", "ENDS_WITH":
		for _, w := range want {
			if typ == "CONTAINS" && strings.Contains(v, w) || typ == "BEGINS_WITH" && strings.HasPrefix(v, w) ||
				typ == "ENDS_WITH" && strings.HasSuffix(v, w) {
				return true
			}
		}
		return false
	case "EQUAL", "GREATER_THAN", "LESS_THAN", "GREATER_THAN_OR_EQUAL", "LESS_THAN_OR_EQUAL":
		a, aerr := strconv.ParseFloat(strings.TrimSpace(v), 64)
		b, berr := strconv.ParseFloat(strings.TrimSpace(want[0]), 64)
		if aerr != nil || berr != nil {
			return typ == "EQUAL" && v == want[0]
		}
		switch typ {
		case "EQUAL":
			return a == b
		case "GREATER_THAN":
			return a > b
		case "LESS_THAN":
			return a < b
		case "GREATER_THAN_OR_EQUAL":
			return a >= b
		}
		return a <= b
	case "BEFORE", "AFTER", "ON", "BETWEEN", "NOT_BETWEEN":
		t, ok := parseDate(v)
		if !ok {
			return false
		}
		w0, ok := parseDate(want[0])
		if !ok {
			return false
		}
		switch typ {
		case "BEFORE":
			return t.Before(w0)
		case "AFTER":
			return t.After(w0)
		case "ON":
			return t.UTC().Format("2006-01-02") == w0.UTC().Format("2006-01-02")
		}
		if len(want) < 2 {
			return false
		}
		w1, ok := parseDate(want[1])
		if !ok {
			return false
		}
		between := !t.Before(w0) && !t.After(w1)
		return between == (typ == "BETWEEN")
	}
	return false
}

func inList(l []string, v string) bool {
	for _, x := range l {
		if x == v {
			return true
		}
	}
	return false
}

// parseDate reads the date forms segment values use: ISO 8601 and the
// MM/DD/YYYY form of the Customer Profiles console.
func parseDate(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if t, err := awsmodel.ParseTime(s); err == nil {
		return t, true
	}
	if t, err := time.Parse("01/02/2006", s); err == nil {
		return t, true
	}
	return time.Time{}, false
}

// combine joins condition results the way Include, Type and SourceType
// say: ALL (every one), ANY (at least one), NONE (not one). No condition
// at all selects everything.
func combine(mode string, results []bool) bool {
	if len(results) == 0 {
		return true
	}
	switch mode {
	case "ANY":
		for _, r := range results {
			if r {
				return true
			}
		}
		return false
	case "NONE":
		for _, r := range results {
			if r {
				return false
			}
		}
		return true
	}
	for _, r := range results {
		if !r {
			return false
		}
	}
	return true
}

// arithmetic ----------------------------------------------------------------

// evalExpr computes a calculated-attribute expression whose references
// were replaced by numbers: + - * / and parentheses.
func evalExpr(toks []string) (float64, bool) {
	p := &exprParser{toks: toks}
	v, ok := p.sum()
	return v, ok && p.pos == len(toks)
}

type exprParser struct {
	toks []string
	pos  int
}

func (p *exprParser) peek() string {
	if p.pos < len(p.toks) {
		return p.toks[p.pos]
	}
	return ""
}

func (p *exprParser) sum() (float64, bool) {
	v, ok := p.product()
	for ok && (p.peek() == "+" || p.peek() == "-") {
		op := p.toks[p.pos]
		p.pos++
		var w float64
		w, ok = p.product()
		if op == "+" {
			v += w
		} else {
			v -= w
		}
	}
	return v, ok
}

func (p *exprParser) product() (float64, bool) {
	v, ok := p.atom()
	for ok && (p.peek() == "*" || p.peek() == "/") {
		op := p.toks[p.pos]
		p.pos++
		var w float64
		w, ok = p.atom()
		if op == "*" {
			v *= w
		} else if w != 0 {
			v /= w
		} else {
			return 0, false
		}
	}
	return v, ok
}

func (p *exprParser) atom() (float64, bool) {
	t := p.peek()
	p.pos++
	switch t {
	case "(":
		v, ok := p.sum()
		if !ok || p.peek() != ")" {
			return 0, false
		}
		p.pos++
		return v, true
	case "-":
		v, ok := p.atom()
		return -v, ok
	}
	f, err := strconv.ParseFloat(t, 64)
	return f, err == nil
}
