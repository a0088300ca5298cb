package profiles

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"unicode/utf8"

	"github.com/klauspost/compress/gzip"

	"github.com/p2c/p2c/internal/artifact"
)

// outFile is an artifact being written: a temp name in the output folder,
// renamed into place by commit, so a reader never sees half a file and a
// killed run leaves the previous artifact (or none).
type outFile struct {
	f          *os.File
	bw         *bufio.Writer
	gz         *gzip.Writer
	tmp, final string
}

func createOut(dir, name string, gz bool) (*outFile, error) {
	final := filepath.Join(dir, name)
	tmp := filepath.Join(dir, "."+name+".tmp")
	f, err := os.OpenFile(tmp, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		return nil, fmt.Errorf("create %s: %w", final, err)
	}
	o := &outFile{f: f, tmp: tmp, final: final}
	if gz {
		// BestSpeed: the output is read once by load; the time goes into
		// the transform. The header carries no name and no time, so the
		// same records give the same bytes.
		o.gz, _ = gzip.NewWriterLevel(f, gzip.BestSpeed)
		o.bw = bufio.NewWriterSize(o.gz, 256<<10)
	} else {
		o.bw = bufio.NewWriterSize(f, 256<<10)
	}
	return o, nil
}

func (o *outFile) Write(p []byte) (int, error) { return o.bw.Write(p) }

// close flushes and closes the temp file without renaming it.
func (o *outFile) close() error {
	err := o.bw.Flush()
	if o.gz != nil {
		if e := o.gz.Close(); err == nil {
			err = e
		}
	}
	if e := o.f.Sync(); err == nil {
		err = e
	}
	if e := o.f.Close(); err == nil {
		err = e
	}
	if err != nil {
		return fmt.Errorf("write %s: %w", o.final, err)
	}
	return nil
}

// commit renames the closed temp file into place.
func (o *outFile) commit() error {
	if err := os.Rename(o.tmp, o.final); err != nil {
		return fmt.Errorf("write %s: %w", o.final, err)
	}
	return nil
}

func (o *outFile) abort() {
	o.f.Close()
	os.Remove(o.tmp)
}

// writeJSONFile writes v as indented JSON to dir/name, atomically.
func writeJSONFile(dir, name string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return fmt.Errorf("write %s: %w", name, err)
	}
	return artifact.Write(filepath.Join(dir, name), append(b, '\n'))
}

// appendRecordJSON appends r as JSON, byte for byte what json.Marshal
// writes (field order, omitempty, sorted map keys, HTML-safe escapes)
// at a fraction of its cost: encoding records is a large share of the
// transform's time.
func appendRecordJSON(b []byte, r *Record) []byte {
	b = append(b, `{"ProfileKey":`...)
	b = appendJSONString(b, r.ProfileKey)
	b = append(b, `,"EndpointIds":`...)
	b = appendJSONStrings(b, r.EndpointIds)
	b = append(b, `,"Profile":{`...)
	p := &r.Profile
	n := len(b)
	b = appendOptField(b, n, "EmailAddress", p.EmailAddress)
	b = appendOptField(b, n, "MobilePhoneNumber", p.MobilePhoneNumber)
	b = appendOptField(b, n, "PhoneNumber", p.PhoneNumber)
	if p.Address != nil {
		if len(b) > n {
			b = append(b, ',')
		}
		b = append(b, `"Address":{`...)
		m := len(b)
		b = appendOptField(b, m, "City", p.Address.City)
		b = appendOptField(b, m, "Country", p.Address.Country)
		b = appendOptField(b, m, "PostalCode", p.Address.PostalCode)
		b = appendOptField(b, m, "State", p.Address.State)
		b = append(b, '}')
	}
	if len(p.Attributes) > 0 {
		if len(b) > n {
			b = append(b, ',')
		}
		b = append(b, `"Attributes":`...)
		b = appendJSONMap(b, p.Attributes)
	}
	b = append(b, '}')
	if len(r.Objects) > 0 {
		b = append(b, `,"Objects":[`...)
		for i, o := range r.Objects {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendJSONMap(b, o)
		}
		b = append(b, ']')
	}
	if len(r.Consent) > 0 {
		b = append(b, `,"Consent":[`...)
		for i := range r.Consent {
			c := &r.Consent[i]
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"Channel":`...)
			b = appendJSONString(b, c.Channel)
			b = append(b, `,"Address":`...)
			b = appendJSONString(b, c.Address)
			b = append(b, `,"State":`...)
			b = appendJSONString(b, c.State)
			b = append(b, `,"EndpointIds":`...)
			b = appendJSONStrings(b, c.EndpointIds)
			b = append(b, `,"Field":`...)
			b = appendJSONString(b, c.Field)
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	b = append(b, `,"Sources":`...)
	b = appendJSONStrings(b, r.Sources)
	return append(b, '}')
}

// appendOptField appends an omitempty string member of an object that
// started at start.
func appendOptField(b []byte, start int, name, v string) []byte {
	if v == "" {
		return b
	}
	if len(b) > start {
		b = append(b, ',')
	}
	b = append(b, '"')
	b = append(b, name...)
	b = append(b, `":`...)
	return appendJSONString(b, v)
}

func appendJSONStrings(b []byte, ss []string) []byte {
	if ss == nil {
		return append(b, "null"...)
	}
	b = append(b, '[')
	for i, s := range ss {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, s)
	}
	return append(b, ']')
}

func appendJSONMap(b []byte, m map[string]string) []byte {
	if m == nil {
		return append(b, "null"...)
	}
	var stack [32]string // objects and most profiles fit: no allocation
	keys := stack[:0]
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	b = append(b, '{')
	for i, k := range keys {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, k)
		b = append(b, ':')
		b = appendJSONString(b, m[k])
	}
	return append(b, '}')
}

const hexDigits = "0123456789abcdef"

// appendJSONString escapes as encoding/json does by default.
func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
