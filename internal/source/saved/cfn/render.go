package cfn

import (
	"encoding/json"
	"regexp"
	"strconv"
	"strings"
)

// maxRender caps an expression kept in the inventory; beyond it the text is
// cut with an ellipsis (the line still locates it).
const maxRender = 2000

// render shows an expression the way the template writes it: YAML short
// forms for YAML templates, compact JSON for JSON templates.
func (l *loader) render(n *node) string {
	var b strings.Builder
	if l.json {
		renderJSON(&b, n, 0)
	} else {
		renderYAML(&b, n, 0)
	}
	s := b.String()
	if len(s) > maxRender {
		s = strings.ToValidUTF8(s[:maxRender], "") + "…"
	}
	return s
}

func renderJSON(b *strings.Builder, n *node, depth int) {
	if n == nil || b.Len() > maxRender || depth > 100 {
		return
	}
	switch n.kind {
	case kScalar:
		switch n.value.(type) {
		case string:
			q, _ := json.Marshal(n.text)
			b.Write(q)
		case nil:
			b.WriteString("null")
		default:
			b.WriteString(n.text)
		}
	case kSeq:
		b.WriteByte('[')
		for i, it := range n.items {
			if i > 0 {
				b.WriteByte(',')
			}
			renderJSON(b, it, depth+1)
		}
		b.WriteByte(']')
	case kMap:
		b.WriteByte('{')
		for i, k := range n.keys {
			if i > 0 {
				b.WriteByte(',')
			}
			q, _ := json.Marshal(k)
			b.Write(q)
			b.WriteByte(':')
			renderJSON(b, n.vals[i], depth+1)
		}
		b.WriteByte('}')
	}
}

func renderYAML(b *strings.Builder, n *node, depth int) {
	if n == nil || b.Len() > maxRender || depth > 100 {
		return
	}
	switch n.kind {
	case kScalar:
		if _, ok := n.value.(string); ok {
			b.WriteString(yamlQuote(n.text))
		} else {
			b.WriteString(n.text)
		}
	case kSeq:
		b.WriteByte('[')
		for i, it := range n.items {
			if i > 0 {
				b.WriteString(", ")
			}
			renderYAML(b, it, depth+1)
		}
		b.WriteByte(']')
	case kMap:
		if n.short && len(n.keys) == 1 {
			b.WriteByte('!')
			b.WriteString(strings.TrimPrefix(n.keys[0], "Fn::"))
			b.WriteByte(' ')
			renderYAML(b, n.vals[0], depth+1)
			return
		}
		b.WriteByte('{')
		for i, k := range n.keys {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(yamlQuote(k))
			b.WriteString(": ")
			renderYAML(b, n.vals[i], depth+1)
		}
		b.WriteByte('}')
	}
}

var plainScalar = regexp.MustCompile(`^[A-Za-z0-9_/][A-Za-z0-9_.:/\-]*$`)

// yamlQuote quotes a string scalar unless it reads the same plain.
func yamlQuote(s string) string {
	switch {
	case plainScalar.MatchString(s) && !strings.HasSuffix(s, ":") && !looksTyped(s):
		return s
	case strings.ContainsAny(s, "\n\r\t") || !isPrintable(s):
		return strconv.Quote(s)
	}
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}

// looksTyped reports plain text YAML would read as a non-string.
func looksTyped(s string) bool {
	switch strings.ToLower(s) {
	case "true", "false", "yes", "no", "on", "off", "null", "~":
		return true
	}
	_, err := strconv.ParseFloat(s, 64)
	return err == nil
}

func isPrintable(s string) bool {
	for _, r := range s {
		if r < 0x20 || r == 0x7f || r == 0xfffd {
			return false
		}
	}
	return true
}
