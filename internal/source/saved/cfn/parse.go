package cfn

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

type nodeKind int

const (
	kScalar nodeKind = iota
	kMap
	kSeq
)

// node is a parsed template value with the line it starts on. Short-form
// tags (!Ref X) become the one-key maps of the long form ({Ref: X}) with
// short set, so evaluation sees one form and messages can show the one the
// author wrote.
type node struct {
	kind  nodeKind
	line  int
	short bool // an intrinsic written as a YAML tag

	// Scalars: text as written and the typed value (string, bool,
	// json.Number or nil).
	text  string
	value any

	keys     []string
	keyLines []int
	vals     []*node
	items    []*node
}

// get returns a map member, or nil.
func (n *node) get(key string) *node {
	if n == nil || n.kind != kMap {
		return nil
	}
	for i, k := range n.keys {
		if k == key {
			return n.vals[i]
		}
	}
	return nil
}

// str returns a scalar's text.
func (n *node) str() (string, bool) {
	if n == nil || n.kind != kScalar {
		return "", false
	}
	return n.text, true
}

// maxNodes bounds alias expansion ("billion laughs").
const maxNodes = 1 << 20

type parser struct {
	name  string
	count int
	warn  func(line int, msg string)
}

var errTooBig = errors.New("too many values after expanding YAML aliases")

var yamlLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// isJSON reports whether data looks like a JSON document.
func isJSON(data []byte) bool {
	t := bytes.TrimLeft(bytes.TrimPrefix(data, []byte("\ufeff")), " \t\r\n")
	return len(t) > 0 && t[0] == '{'
}

// lineOf returns the 1-based line of a byte offset.
func lineOf(data []byte, off int64) int {
	if off < 0 {
		off = 0
	}
	if off > int64(len(data)) {
		off = int64(len(data))
	}
	return 1 + bytes.Count(data[:off], []byte("\n"))
}

// parseDoc parses a JSON or YAML template into a node tree. Errors name the
// file and, where the parser knows it, the line.
func parseDoc(name string, data []byte, warn func(int, string)) (root *node, err error) {
	if isJSON(data) {
		// A byte order mark is on line 1; dropping it moves no line.
		return parseJSON(name, bytes.TrimPrefix(data, []byte("\ufeff")), warn)
	}
	defer func() {
		// The YAML parser has panicked on hostile input in the past; a bad
		// file must not take the scan down.
		if r := recover(); r != nil {
			root, err = nil, fmt.Errorf("%s: parse template: YAML parser failed: %v", name, r)
		}
	}()
	var doc yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&doc); err != nil {
		if m := yamlLine.FindStringSubmatch(err.Error()); m != nil {
			return nil, fmt.Errorf("%s:%s: parse template: %s", name, m[1], m[2])
		}
		return nil, fmt.Errorf("%s: parse template: %s", name, strings.TrimPrefix(err.Error(), "yaml: "))
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 {
		return nil, fmt.Errorf("%s: parse template: empty document", name)
	}
	p := &parser{name: name, warn: warn}
	root, err = p.conv(doc.Content[0], 0)
	if err != nil {
		return nil, fmt.Errorf("%s: parse template: %w", name, err)
	}
	return root, nil
}

// parseJSON reads a JSON template with encoding/json, which knows every
// JSON escape (the YAML parser rejects \/) and gives exact offsets.
func parseJSON(name string, data []byte, warn func(int, string)) (*node, error) {
	j := &jsonParser{data: data, dec: json.NewDecoder(bytes.NewReader(data)), warn: warn}
	j.dec.UseNumber()
	root, err := j.value(0)
	if err == nil {
		if _, err = j.dec.Token(); err == io.EOF {
			return root, nil
		} else if err == nil {
			err = errors.New("data after the top-level value")
		}
	}
	var se *json.SyntaxError
	switch {
	case errors.As(err, &se):
		return nil, fmt.Errorf("%s:%d: parse JSON template: %v", name, lineOf(data, se.Offset), err)
	case err == io.EOF || errors.Is(err, io.ErrUnexpectedEOF):
		return nil, fmt.Errorf("%s:%d: parse JSON template: unexpected end of JSON input", name, lineOf(data, int64(len(data))))
	}
	return nil, fmt.Errorf("%s:%d: parse JSON template: %v", name, lineOf(data, j.dec.InputOffset()), err)
}

type jsonParser struct {
	data []byte
	dec  *json.Decoder
	warn func(int, string)
}

// line is the line of the next token.
func (j *jsonParser) line() int {
	off := j.dec.InputOffset()
	for off < int64(len(j.data)) {
		switch j.data[off] {
		case ' ', '\t', '\r', '\n', ',', ':':
			off++
			continue
		}
		break
	}
	return lineOf(j.data, off)
}

func (j *jsonParser) value(depth int) (*node, error) {
	if depth > 10000 {
		return nil, errors.New("nested too deeply")
	}
	line := j.line()
	tok, err := j.dec.Token()
	if err != nil {
		return nil, err
	}
	switch t := tok.(type) {
	case json.Delim:
		if t == '[' {
			n := &node{kind: kSeq, line: line}
			for j.dec.More() {
				it, err := j.value(depth + 1)
				if err != nil {
					return nil, err
				}
				n.items = append(n.items, it)
			}
			_, err := j.dec.Token()
			return n, err
		}
		n := &node{kind: kMap, line: line}
		for j.dec.More() {
			kl := j.line()
			kt, err := j.dec.Token()
			if err != nil {
				return nil, err
			}
			key, _ := kt.(string)
			v, err := j.value(depth + 1)
			if err != nil {
				return nil, err
			}
			if i := indexOf(n.keys, key); i >= 0 {
				j.warn(kl, fmt.Sprintf("duplicate key %q (first on line %d); the later one is used", key, n.keyLines[i]))
				n.vals[i], n.keyLines[i] = v, kl
				continue
			}
			n.keys = append(n.keys, key)
			n.keyLines = append(n.keyLines, kl)
			n.vals = append(n.vals, v)
		}
		_, err := j.dec.Token()
		return n, err
	case string:
		return &node{kind: kScalar, line: line, text: t, value: t}, nil
	case json.Number:
		return &node{kind: kScalar, line: line, text: string(t), value: t}, nil
	case bool:
		return &node{kind: kScalar, line: line, text: strconv.FormatBool(t), value: t}, nil
	}
	return &node{kind: kScalar, line: line, text: "null"}, nil
}

// customTag returns a YAML tag that is a CloudFormation short form, or "".
func customTag(n *yaml.Node) string {
	t := n.Tag
	if t == "" || t == "!" || strings.HasPrefix(t, "!!") || !strings.HasPrefix(t, "!") {
		return ""
	}
	return t[1:]
}

func (p *parser) conv(y *yaml.Node, depth int) (*node, error) {
	p.count++
	if p.count > maxNodes {
		return nil, errTooBig
	}
	if depth > 10000 {
		return nil, errors.New("nested too deeply")
	}
	if y.Kind == yaml.AliasNode {
		if y.Alias == nil {
			return &node{kind: kScalar, line: y.Line}, nil
		}
		n, err := p.conv(y.Alias, depth+1)
		if err != nil {
			return nil, err
		}
		return n, nil
	}
	if tag := customTag(y); tag != "" {
		inner := *y
		inner.Tag = ""
		if y.Kind == yaml.ScalarNode {
			inner.Tag = "!!str"
		}
		v, err := p.conv(&inner, depth+1)
		if err != nil {
			return nil, err
		}
		key := tag
		if tag != "Ref" && tag != "Condition" && !strings.HasPrefix(tag, "Fn::") {
			key = "Fn::" + tag
		}
		return &node{kind: kMap, line: y.Line, short: true, keys: []string{key}, keyLines: []int{y.Line}, vals: []*node{v}}, nil
	}
	switch y.Kind {
	case yaml.MappingNode:
		n := &node{kind: kMap, line: y.Line}
		for i := 0; i+1 < len(y.Content); i += 2 {
			k, v := y.Content[i], y.Content[i+1]
			if k.Kind == yaml.ScalarNode && k.Value == "<<" && k.Tag != "!!str" {
				if err := p.merge(n, v, depth); err != nil {
					return nil, err
				}
				continue
			}
			vn, err := p.conv(v, depth+1)
			if err != nil {
				return nil, err
			}
			key := k.Value
			if k.Kind != yaml.ScalarNode {
				key = fmt.Sprintf("<%s key>", kindName(k))
			}
			if j := indexOf(n.keys, key); j >= 0 {
				p.warn(k.Line, fmt.Sprintf("duplicate key %q (first on line %d); the later one is used", key, n.keyLines[j]))
				n.vals[j], n.keyLines[j] = vn, k.Line
				continue
			}
			n.keys = append(n.keys, key)
			n.keyLines = append(n.keyLines, k.Line)
			n.vals = append(n.vals, vn)
		}
		return n, nil
	case yaml.SequenceNode:
		n := &node{kind: kSeq, line: y.Line}
		for _, c := range y.Content {
			cn, err := p.conv(c, depth+1)
			if err != nil {
				return nil, err
			}
			n.items = append(n.items, cn)
		}
		return n, nil
	case yaml.ScalarNode:
		return &node{kind: kScalar, line: y.Line, text: y.Value, value: scalarValue(y)}, nil
	}
	return &node{kind: kScalar, line: y.Line}, nil
}

// merge applies a YAML merge key (<<): members not already present.
func (p *parser) merge(n *node, v *yaml.Node, depth int) error {
	src, err := p.conv(v, depth+1)
	if err != nil {
		return err
	}
	var maps []*node
	switch src.kind {
	case kMap:
		maps = []*node{src}
	case kSeq:
		maps = src.items
	}
	for _, m := range maps {
		if m.kind != kMap {
			continue
		}
		for i, k := range m.keys {
			if indexOf(n.keys, k) < 0 {
				n.keys = append(n.keys, k)
				n.keyLines = append(n.keyLines, m.keyLines[i])
				n.vals = append(n.vals, m.vals[i])
			}
		}
	}
	return nil
}

func kindName(y *yaml.Node) string {
	switch y.Kind {
	case yaml.MappingNode:
		return "mapping"
	case yaml.SequenceNode:
		return "sequence"
	}
	return "scalar"
}

func indexOf(list []string, s string) int {
	for i, x := range list {
		if x == s {
			return i
		}
	}
	return -1
}

// scalarValue types a scalar as YAML resolved it.
func scalarValue(y *yaml.Node) any {
	switch y.ShortTag() {
	case "!!null":
		return nil
	case "!!bool":
		var b bool
		if y.Decode(&b) == nil {
			return b
		}
	case "!!int":
		var i int64
		if y.Decode(&i) == nil {
			return json.Number(strconv.FormatInt(i, 10))
		}
		var u uint64
		if y.Decode(&u) == nil {
			return json.Number(strconv.FormatUint(u, 10))
		}
	case "!!float":
		var f float64
		if y.Decode(&f) == nil && !math.IsInf(f, 0) && !math.IsNaN(f) {
			return json.Number(strconv.FormatFloat(f, 'g', -1, 64))
		}
	}
	return y.Value
}
