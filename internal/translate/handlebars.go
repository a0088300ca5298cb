package translate

import (
	"fmt"
	"strings"
)

// Token is one {{...}} of a Handlebars template.
type Token struct {
	Pos  int    // byte offset of the opening braces
	Raw  string // the token as written, braces included
	Kind byte   // 'v' value, '#' block open, '/' block close, '^' inverse, 'e' else, '!' comment, '>' partial
	// Name is the helper or block name ("if", "each", "formatDate"), or ""
	// for a plain value.
	Name string
	// Paths are the variables the token reads, as written
	// ("User.UserAttributes.FirstName.[0]"); literals, @data and this are
	// left out.
	Paths []string
	// Helpers are every helper the token calls, subexpressions included.
	Helpers []string
	// Unclosed is set on a token whose closing braces are missing.
	Unclosed bool
}

// Tokens scans Handlebars text. It never fails: malformed input yields
// tokens flagged Unclosed, and text outside braces is ignored.
func Tokens(text string) []Token {
	var out []Token
	i := 0
	for {
		j := strings.Index(text[i:], "{{")
		if j < 0 {
			return out
		}
		start := i + j
		// A backslash escapes a mustache: \{{x}} is literal text.
		if start > 0 && text[start-1] == '\\' {
			i = start + 2
			continue
		}
		open, close := "{{", "}}"
		if strings.HasPrefix(text[start:], "{{{") {
			open, close = "{{{", "}}}"
		}
		body := start + len(open)
		if strings.HasPrefix(text[body:], "!--") {
			close = "--}}"
		} else if strings.HasPrefix(text[body:], "!") {
			close = "}}"
		}
		k := strings.Index(text[body:], close)
		if k < 0 {
			out = append(out, Token{Pos: start, Raw: text[start:], Kind: 'v', Unclosed: true})
			return out
		}
		end := body + k + len(close)
		if inner := text[body : body+k]; strings.Contains(inner, "{{") && !strings.HasPrefix(inner, "!") {
			// "{{ a {{b}}": the first braces never close.
			out = append(out, Token{Pos: start, Raw: text[start:end], Kind: 'v', Unclosed: true})
		} else {
			out = append(out, parseToken(start, text[start:end], inner))
		}
		i = end
	}
}

// parseToken interprets the inside of one mustache.
func parseToken(pos int, raw, inner string) Token {
	t := Token{Pos: pos, Raw: raw, Kind: 'v'}
	inner = strings.TrimSpace(strings.Trim(inner, "~"))
	if inner == "" {
		return t
	}
	switch inner[0] {
	case '!':
		t.Kind = '!'
		return t
	case '#', '/', '^', '>', '&':
		t.Kind = inner[0]
		if t.Kind == '&' {
			t.Kind = 'v'
		}
		inner = strings.TrimSpace(strings.TrimLeft(inner[1:], "*"))
	}
	if t.Kind == '^' && inner == "" {
		t.Kind = 'e'
		return t
	}
	atoms := atoms(inner)
	if len(atoms) == 0 {
		return t
	}
	if t.Kind == 'v' && atoms[0] == "else" {
		t.Kind = 'e'
		atoms = atoms[1:] // {{else if x}}
		if len(atoms) == 0 {
			return t
		}
	}
	if t.Kind == '>' || t.Kind == '/' {
		t.Name = atoms[0]
		return t
	}
	// The first atom is a helper when arguments follow it, when it opens a
	// block, or when it is a known helper on its own ({{now}}).
	first := 0
	if atoms[0] != "(" && (len(atoms) > 1 || t.Kind == '#' || t.Kind == '^' || t.Kind == 'e' || knownHelpers[atoms[0]]) {
		if IsPath(atoms[0]) || knownHelpers[atoms[0]] {
			t.Name = atoms[0]
			t.Helpers = append(t.Helpers, atoms[0])
			first = 1
		}
	}
	afterParen := false
	for _, a := range atoms[first:] {
		switch {
		case a == "(":
			afterParen = true
			continue
		case a == ")":
		case afterParen:
			t.Helpers = append(t.Helpers, a)
		default:
			if eq := strings.Index(a, "="); eq > 0 && !strings.ContainsAny(a[:eq], "[.") {
				a = a[eq+1:] // hash argument key=value
			}
			if IsPath(a) {
				t.Paths = append(t.Paths, a)
			}
		}
		afterParen = false
	}
	return t
}

// atoms splits an expression into words, string literals, "(" and ")".
// Segment literals ([with spaces]) stay inside their word.
func atoms(s string) []string {
	var out []string
	i := 0
	for i < len(s) {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c == '(' || c == ')':
			out = append(out, string(c))
			i++
		case c == '"' || c == '\'':
			j := strings.IndexByte(s[i+1:], c)
			if j < 0 {
				out = append(out, s[i:])
				return out
			}
			out = append(out, s[i:i+j+2])
			i += j + 2
		default:
			j := i
			for j < len(s) {
				d := s[j]
				if d == ' ' || d == '\t' || d == '\n' || d == '\r' || d == '(' || d == ')' {
					break
				}
				if d == '[' {
					if k := strings.IndexByte(s[j:], ']'); k > 0 {
						j += k + 1
						continue
					}
				}
				j++
			}
			out = append(out, s[i:j])
			i = j
		}
	}
	return out
}

// IsPath tells a variable path from literals and data variables.
func IsPath(a string) bool {
	if a == "" || a == "this" || a == "true" || a == "false" || a == "null" || a == "undefined" || a == "(" || a == ")" {
		return false
	}
	switch a[0] {
	case '"', '\'', '@', '-', '+':
		return false
	}
	if a[0] >= '0' && a[0] <= '9' {
		return false
	}
	return !strings.HasPrefix(a, "this.") && !strings.HasPrefix(a, "./")
}

// knownHelpers are the Handlebars built-ins and the message-template
// helpers Pinpoint documents. Connect's message-template page documents the
// same set except with, which Template expands away.
var knownHelpers = func() map[string]bool {
	m := map[string]bool{}
	for _, h := range strings.Fields(`
		if unless each with lookup log
		and eq gt gte lt lte neq not or
		abbreviate capitalize capitalizeFirst center cut dateFormat inflect join ljust lower now numberFormat
		replace rjust slugify stringFormat stripTags substring upper yesno
		formatDate formatCurrency formatNumber formatTime i18n
		urlEncode urlDecode encodeURL decodeURL
		add ceiling decode64 divide encode64 eachIndex floor md5 modulo multiply round sha1 sha256 sha512 subtract uuid
		eachProperty inline split cond`) {
		m[h] = true
	}
	return m
}()

// KnownHelper reports whether name is a documented message-template helper
// (with included: it is documented for Pinpoint, and Template rewrites it).
func KnownHelper(name string) bool { return knownHelpers[name] }

// Balance reports the first syntax problem of a text, or "".
func Balance(text string) string {
	var stack []string
	for _, t := range Tokens(text) {
		switch {
		case t.Unclosed:
			return fmt.Sprintf("an unclosed {{ at offset %d", t.Pos)
		case t.Kind == '#':
			stack = append(stack, t.Name)
		case t.Kind == '/':
			if len(stack) == 0 {
				return fmt.Sprintf("a stray {{/%s}}", t.Name)
			}
			if top := stack[len(stack)-1]; top != t.Name {
				return fmt.Sprintf("{{#%s}} closed by {{/%s}}", top, t.Name)
			}
			stack = stack[:len(stack)-1]
		}
	}
	if len(stack) > 0 {
		return fmt.Sprintf("{{#%s}} never closed", stack[len(stack)-1])
	}
	return ""
}

// Use is one variable read of a text, with the block context it sits in.
type Use struct {
	Path string
	// Relative is set inside {{#each}} / {{#with}}, where a bare name reads
	// the current item, not the endpoint.
	Relative bool
	// Tok is the token that reads the path (an element of the slice Uses
	// scanned).
	Tok *Token
}

// Uses lists the variable reads of a text, in order.
func Uses(text string) []Use {
	var out []Use
	toks := Tokens(text)
	depth := 0 // each/with nesting
	var stack []string
	for i := range toks {
		t := &toks[i]
		// Paths are read before the block they open is entered, so the
		// argument of {{#each X}} is in the outer context.
		for _, p := range t.Paths {
			out = append(out, Use{Path: p, Relative: depth > 0 && !Absolute(p), Tok: t})
		}
		switch t.Kind {
		case '#':
			stack = append(stack, t.Name)
			if t.Name == "each" || t.Name == "with" {
				depth++
			}
		case '/':
			if n := len(stack); n > 0 {
				if stack[n-1] == "each" || stack[n-1] == "with" {
					depth--
				}
				stack = stack[:n-1]
			}
		}
	}
	return out
}

// Absolute reports whether a path starts at a Pinpoint root, which
// Pinpoint resolves against the endpoint even inside blocks.
func Absolute(p string) bool {
	root, _, _ := strings.Cut(p, ".")
	switch root {
	case "User", "Attributes", "Metrics", "Demographic", "Location", "RecommendationItems", "Recommendations":
		return true
	}
	return false
}

// WithBlock is a {{#with}} block of a text.
type WithBlock struct {
	Tok *Token
	// Context is the block's argument ("?" when it has none).
	Context string
	// Why is set when Template cannot expand the block mechanically.
	Why string
}

// WithBlocks lists the {{#with}} blocks of a text and whether Template
// expands each (Connect message templates have no with helper).
func WithBlocks(text string) []WithBlock {
	var out []WithBlock
	toks := Tokens(text)
	var stack []block
	for i := range toks {
		t := &toks[i]
		switch {
		case t.Unclosed:
		case t.Kind == '#':
			if t.Name == "with" {
				ctx, why := withExpandable(toks, i, stack)
				if ctx == "" {
					ctx = "?"
					if len(t.Paths) > 0 {
						ctx = t.Paths[0]
					}
				}
				out = append(out, WithBlock{Tok: t, Context: ctx, Why: why})
			}
			stack = append(stack, block{name: t.Name, relative: t.Name == "each"})
		case t.Kind == '/':
			if n := len(stack); n > 0 {
				stack = stack[:n-1]
			}
		}
	}
	return out
}
