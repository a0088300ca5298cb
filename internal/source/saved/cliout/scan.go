package cliout

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
)

// value is one JSON value with the byte offset where it starts in the file.
type value struct {
	raw json.RawMessage
	off int
}

// member is one member of an object, its value located in the file.
type member struct {
	name string
	value
}

// syntaxBreak says where a value of the stream stopped parsing.
type syntaxBreak struct {
	off int // where the broken value starts
	at  int // where parsing failed
	err error
}

// maxBreaks bounds the values stream skips: each costs up to a pass over
// the rest of the file, so a file of thousands of broken lines would
// otherwise take quadratic time.
const maxBreaks = 50

// stream splits data into its top-level JSON values, as `aws ... >> file`
// concatenates them. A value that does not parse is reported and skipped:
// the scan resumes at the next line that opens an object or an array
// (the CLI starts every output at column 0 and indents the rest), so one
// interrupted output does not lose the complete outputs around it.
func stream(data []byte, fn func(v value)) []syntaxBreak {
	var breaks []syntaxBreak
	pos := 0
	for {
		pos = skipSpace(data, pos)
		if pos >= len(data) {
			return breaks
		}
		dec := json.NewDecoder(bytes.NewReader(data[pos:]))
		var raw json.RawMessage
		err := dec.Decode(&raw)
		if err == nil {
			fn(value{raw: raw, off: pos})
			pos += int(dec.InputOffset())
			continue
		}
		b := syntaxBreak{off: pos, at: len(data), err: err}
		var se *json.SyntaxError
		if errors.As(err, &se) {
			b.at = pos + int(se.Offset)
		}
		breaks = append(breaks, b)
		if len(breaks) >= maxBreaks {
			return breaks
		}
		next := resync(data, pos+1)
		if next < 0 {
			return breaks
		}
		pos = next
	}
}

// resync finds the next line, at or after from, that starts with { or [.
func resync(data []byte, from int) int {
	for i := from; i < len(data); i++ {
		if data[i] != '\n' {
			continue
		}
		if i+1 < len(data) && (data[i+1] == '{' || data[i+1] == '[') {
			return i + 1
		}
	}
	return -1
}

func skipSpace(data []byte, pos int) int {
	for pos < len(data) {
		switch data[pos] {
		case ' ', '\t', '\r', '\n':
			pos++
		default:
			// A UTF-8 byte order mark, as some editors and PowerShell's
			// Out-File write it.
			if bytes.HasPrefix(data[pos:], []byte("\xef\xbb\xbf")) {
				pos += 3
				continue
			}
			return pos
		}
	}
	return pos
}

// members lists an object's members in order, each located in the file
// (base is the offset of raw). It returns false for anything but an
// object.
func members(raw []byte, base int) ([]member, bool) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	tok, err := dec.Token()
	if err != nil || tok != json.Delim('{') {
		return nil, false
	}
	var out []member
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return out, false
		}
		key, _ := tok.(string)
		start := valueStart(raw, int(dec.InputOffset()))
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return out, false
		}
		out = append(out, member{name: key, value: value{raw: v, off: base + start}})
	}
	return out, true
}

// elements lists an array's elements, each located in the file.
func elements(raw []byte, base int) ([]value, bool) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	tok, err := dec.Token()
	if err != nil || tok != json.Delim('[') {
		return nil, false
	}
	var out []value
	for dec.More() {
		start := valueStart(raw, int(dec.InputOffset()))
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return out, false
		}
		out = append(out, value{raw: v, off: base + start})
	}
	return out, true
}

// valueStart skips the whitespace, colon or comma between the decoder's
// position and the next value.
func valueStart(raw []byte, i int) int {
	for i < len(raw) {
		switch raw[i] {
		case ' ', '\t', '\r', '\n', ':', ',':
			i++
		default:
			return i
		}
	}
	return i
}

// partialMembers reads the top-level members of an object that may be cut
// short: members whose value is complete come with it, and for a value
// that breaks off, so does the first complete element of an array value
// (the first item of a truncated list).
func partialMembers(data []byte) (keys []string, vals map[string]json.RawMessage) {
	vals = map[string]json.RawMessage{}
	dec := json.NewDecoder(bytes.NewReader(data))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil, nil
	}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return keys, vals
		}
		key, _ := tok.(string)
		keys = append(keys, key)
		start := valueStart(data, int(dec.InputOffset()))
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			if first := firstElement(data[start:]); first != nil {
				vals[key] = append(append([]byte("["), first...), ']')
			}
			return keys, vals
		}
		vals[key] = v
	}
	return keys, vals
}

// firstElement returns the first complete element of an array that may be
// cut short.
func firstElement(data []byte) json.RawMessage {
	dec := json.NewDecoder(bytes.NewReader(data))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('[') {
		return nil
	}
	var v json.RawMessage
	if dec.More() && dec.Decode(&v) == nil {
		return v
	}
	return nil
}

// lineIndex answers the 1-based line of a byte offset.
type lineIndex []int // offsets of '\n'

func newLineIndex(data []byte) lineIndex {
	var idx lineIndex
	for i, c := range data {
		if c == '\n' {
			idx = append(idx, i)
		}
	}
	return idx
}

func (l lineIndex) line(off int) int {
	return 1 + sort.SearchInts(l, off)
}

func describeBreak(b syntaxBreak, li lineIndex, size int) string {
	switch {
	case errors.Is(b.err, io.ErrUnexpectedEOF) || b.at >= size:
		return fmt.Sprintf("truncated JSON: the output starting at line %d breaks off at the end of the file (line %d)", li.line(b.off), li.line(size))
	default:
		return fmt.Sprintf("invalid JSON at line %d (output starting at line %d): %v", li.line(b.at), li.line(b.off), b.err)
	}
}
