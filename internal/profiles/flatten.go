package profiles

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/p2c/p2c/internal/translate"
)

// Lists in profile attributes. Customer Profiles attributes are strings, so
// a Pinpoint list (["hiking","music"]) is joined with
// translate.FlattenSeparator. To keep the join reversible every value first
// escapes "\" as "\\" and "," as "\,"; a single value holding neither is
// written unchanged, so a segment condition that compares it as is still
// matches.

// FlattenList joins values reversibly (SplitList is its inverse). The
// empty list and the list of one empty string both give "": callers leave
// empty lists off instead of writing them.
func FlattenList(values []string) string {
	if len(values) == 1 && !needsEscape(values[0]) {
		return values[0]
	}
	esc := make([]string, len(values))
	for i, v := range values {
		esc[i] = escapeListValue(v)
	}
	return translate.Flatten(esc)
}

// appendListValue appends one escaped list value to dst, separated from
// what dst already holds when first is false.
func appendListValue[T string | []byte](dst []byte, v T, first bool) []byte {
	if !first {
		dst = append(dst, translate.FlattenSeparator...)
	}
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c == '\\' || c == ',' {
			dst = append(dst, '\\')
		}
		dst = append(dst, c)
	}
	return dst
}

func needsEscape(v string) bool { return strings.ContainsAny(v, `\,`) }

func escapeListValue(v string) string {
	if !needsEscape(v) {
		return v
	}
	return string(appendListValue(make([]byte, 0, len(v)+4), v, true))
}

// SplitList is the inverse of FlattenList: "a\,b,c" → ["a,b" "c"]. "" is
// one empty value. A trailing lone "\" (never written by FlattenList) is
// kept as a literal backslash.
func SplitList(s string) []string {
	if !needsEscape(s) {
		return []string{s}
	}
	var out []string
	var cur []byte
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '\\':
			if i+1 < len(s) {
				i++
				cur = append(cur, s[i])
			} else {
				cur = append(cur, c)
			}
		case ',':
			out = append(out, string(cur))
			cur = cur[:0]
		default:
			cur = append(cur, c)
		}
	}
	return append(out, string(cur))
}

// SplitLong cuts a value longer than MaxAttributeValue into continuation
// keys: name, name__2, name__3, ... Lengths count characters (runes), as
// Customer Profiles does, and cuts fall on rune boundaries, so every part
// is valid UTF-8 when the value is. A value that fits is returned as one
// KV.
func SplitLong(name, value string) []KV {
	if len(value) <= MaxAttributeValue || utf8.RuneCountInString(value) <= MaxAttributeValue {
		return []KV{{name, value}}
	}
	var out []KV
	for part := 1; value != ""; part++ {
		cut, n := 0, 0
		for cut < len(value) && n < MaxAttributeValue {
			_, size := utf8.DecodeRuneInString(value[cut:])
			cut += size
			n++
		}
		k := name
		if part > 1 {
			k = name + "__" + strconv.Itoa(part)
		}
		out = append(out, KV{k, value[:cut]})
		value = value[cut:]
	}
	return out
}
