package inventory

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"hash/maphash"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// The fast path of AddStream. encoding/json into endpointLine allocates a
// map, a slice and a string for every attribute of every endpoint and
// spends most of its time in reflection; an export of millions of
// endpoints only needs a few counters per line. endpointScan walks one
// JSON object, validating all of it, and keeps byte slices into the input
// for the members the statistics read. Whenever a value could decode
// differently under encoding/json than the scanner can tell cheaply, it
// marks the value "slow" and the value is decoded by encoding/json
// instead, so results never differ.

// Scan outcomes.
const (
	scanOK    = iota
	scanShort // the input ended inside the value: read more
	scanBad   // a syntax error (or nesting too deep): let encoding/json say what
)

// maxDepth is far below encoding/json's own limit (10000); deeper values
// go to encoding/json, which reports the error if there is one.
const maxDepth = 1000

// Top-level member bits, for duplicate detection.
const (
	fChannelType = 1 << iota
	fAddress
	fEndpointStatus
	fOptOut
	fAttributes
	fMetrics
	fDemographic
	fLocation
	fUser
	fUserID
	fUserAttributes
)

// scanAttr is one attribute seen in the value being scanned.
type scanAttr struct {
	scope int
	key   []byte
	n     int
	typ   uint8
	// skip marks entries that take part in duplicate detection but are not
	// counted (an empty Demographic string, a boolean Location value).
	skip bool
}

// endpointScan is the scratch state of one value.
type endpointScan struct {
	slow  bool
	seen  int
	ch    []byte
	addr  []byte
	stat  []byte
	opt   []byte
	user  []byte
	attrs []scanAttr
	order []int // scratch for duplicate detection
}

func (s *endpointScan) reset() {
	s.slow, s.seen = false, 0
	s.ch, s.addr, s.stat, s.opt, s.user = nil, nil, nil, nil, nil
	s.attrs = s.attrs[:0]
}

// strTable marks the bytes that end the fast loop over a string's content.
var strTable = func() (t [256]bool) {
	for c := 0; c < 0x20; c++ {
		t[c] = true
	}
	t['"'], t['\\'] = true, true
	for c := 0x80; c < 0x100; c++ {
		t[c] = true
	}
	return
}()

func skipWS(b []byte, i int) int {
	for i < len(b) {
		switch b[i] {
		case ' ', '\t', '\n', '\r':
			i++
		default:
			return i
		}
	}
	return i
}

// scanString scans the string starting at b[i] == '"'. plain reports that
// its bytes are its value: no escape and valid UTF-8.
func scanString(b []byte, i int) (end int, plain bool, st int) {
	i++
	start := i
	plain = true
	ascii := true
	for i < len(b) {
		c := b[i]
		if !strTable[c] {
			i++
			continue
		}
		switch {
		case c == '"':
			if !ascii && plain && !utf8.Valid(b[start:i]) {
				plain = false
			}
			return i + 1, plain, scanOK
		case c == '\\':
			plain = false
			if i+1 >= len(b) {
				return i, false, scanShort
			}
			switch b[i+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				i += 2
			case 'u':
				for k := i + 2; k < i+6; k++ {
					if k >= len(b) {
						return k, false, scanShort
					}
					if !isHex(b[k]) {
						return k, false, scanBad
					}
				}
				i += 6
			default:
				return i, false, scanBad
			}
		case c < 0x20:
			return i, false, scanBad
		default: // non-ASCII, checked as a whole at the end
			ascii = false
			i++
		}
	}
	return i, false, scanShort
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// scanNumber scans a JSON number inside a container (so it must be
// followed by something).
func scanNumber(b []byte, i int) (int, int) {
	if b[i] == '-' {
		i++
		if i >= len(b) {
			return i, scanShort
		}
	}
	switch {
	case b[i] == '0':
		i++
	case '1' <= b[i] && b[i] <= '9':
		for i++; i < len(b) && isDigit(b[i]); i++ {
		}
	default:
		return i, scanBad
	}
	if i >= len(b) {
		return i, scanShort
	}
	if b[i] == '.' {
		i++
		if i >= len(b) {
			return i, scanShort
		}
		if !isDigit(b[i]) {
			return i, scanBad
		}
		for i++; i < len(b) && isDigit(b[i]); i++ {
		}
		if i >= len(b) {
			return i, scanShort
		}
	}
	if b[i] == 'e' || b[i] == 'E' {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		if i >= len(b) {
			return i, scanShort
		}
		if !isDigit(b[i]) {
			return i, scanBad
		}
		for i++; i < len(b) && isDigit(b[i]); i++ {
		}
		if i >= len(b) {
			return i, scanShort
		}
	}
	return i, scanOK
}

// numberFits reports whether a JSON number converts to a float64 without
// a range error (which encoding/json reports as a type error).
func numberFits(num []byte) bool {
	if len(num) <= 300 && bytes.IndexAny(num, "eE") < 0 {
		return true // at most 300 digits: below 1e308
	}
	_, err := strconv.ParseFloat(string(num), 64)
	return err == nil
}

func scanLiteral(b []byte, i int, lit string) (int, int) {
	for k := 0; k < len(lit); k++ {
		if i+k >= len(b) {
			return i + k, scanShort
		}
		if b[i+k] != lit[k] {
			return i + k, scanBad
		}
	}
	return i + len(lit), scanOK
}

// skipValue validates and skips any value.
func skipValue(b []byte, i, depth int) (int, int) {
	if i >= len(b) {
		return i, scanShort
	}
	switch c := b[i]; {
	case c == '"':
		end, _, st := scanString(b, i)
		return end, st
	case c == '{':
		return skipContainer(b, i, depth, '}')
	case c == '[':
		return skipContainer(b, i, depth, ']')
	case c == 't':
		return scanLiteral(b, i, "true")
	case c == 'f':
		return scanLiteral(b, i, "false")
	case c == 'n':
		return scanLiteral(b, i, "null")
	case c == '-' || isDigit(c):
		return scanNumber(b, i)
	}
	return i, scanBad
}

// skipContainer skips an object or array.
func skipContainer(b []byte, i, depth int, close byte) (int, int) {
	if depth >= maxDepth {
		return i, scanBad
	}
	i = skipWS(b, i+1)
	if i >= len(b) {
		return i, scanShort
	}
	if b[i] == close {
		return i + 1, scanOK
	}
	for {
		st := scanOK
		if close == '}' {
			if b[i] != '"' {
				return i, scanBad
			}
			if i, _, st = scanString(b, i); st != scanOK {
				return i, st
			}
			if i, st = colon(b, i); st != scanOK {
				return i, st
			}
		}
		if i, st = skipValue(b, i, depth+1); st != scanOK {
			return i, st
		}
		var more bool
		if i, more, st = next(b, i, close); st != scanOK || !more {
			return i, st
		}
	}
}

// colon consumes the ':' after a member name and the whitespace around it.
func colon(b []byte, i int) (int, int) {
	i = skipWS(b, i)
	if i >= len(b) {
		return i, scanShort
	}
	if b[i] != ':' {
		return i, scanBad
	}
	i = skipWS(b, i+1)
	if i >= len(b) {
		return i, scanShort
	}
	return i, scanOK
}

// next consumes what follows a member or element: ',' (more is true, and
// i is at the next member) or the closing byte.
func next(b []byte, i int, close byte) (j int, more bool, st int) {
	i = skipWS(b, i)
	if i >= len(b) {
		return i, false, scanShort
	}
	switch b[i] {
	case ',':
		i = skipWS(b, i+1)
		if i >= len(b) {
			return i, false, scanShort
		}
		return i, true, scanOK
	case close:
		return i + 1, false, scanOK
	}
	return i, false, scanBad
}

// members walks an object's members, calling fn with each name and the
// index of its value; fn returns the index after the value.
func members(b []byte, i int, fn func(name []byte, plain bool, i int) (int, int)) (int, int) {
	i = skipWS(b, i+1)
	if i >= len(b) {
		return i, scanShort
	}
	if b[i] == '}' {
		return i + 1, scanOK
	}
	for {
		if b[i] != '"' {
			return i, scanBad
		}
		start := i
		end, plain, st := scanString(b, i)
		if st != scanOK {
			return end, st
		}
		if i, st = colon(b, end); st != scanOK {
			return i, st
		}
		if i, st = fn(b[start+1:end-1], plain, i); st != scanOK {
			return i, st
		}
		var more bool
		if i, more, st = next(b, i, '}'); st != scanOK || !more {
			return i, st
		}
	}
}

// Member names of endpointLine and of its User, for matching.
var (
	topNames = []struct {
		name string
		bit  int
	}{
		{"ChannelType", fChannelType}, {"Address", fAddress}, {"EndpointStatus", fEndpointStatus},
		{"OptOut", fOptOut}, {"Attributes", fAttributes}, {"Metrics", fMetrics},
		{"Demographic", fDemographic}, {"Location", fLocation}, {"User", fUser},
	}
	userNames = []struct {
		name string
		bit  int
	}{{"UserId", fUserID}, {"UserAttributes", fUserAttributes}}
)

// memberBit matches a member name the way encoding/json does: exactly, or
// else case-insensitively. It returns the member's bit, 0 for a name that
// matches no member, or -1 when only encoding/json can tell (escaped or
// non-ASCII names, which Unicode case folding may map onto a member, and
// case-folded matches).
func memberBit(name []byte, plain bool, names []struct {
	name string
	bit  int
}) int {
	for _, n := range names {
		if string(name) == n.name {
			return n.bit
		}
	}
	if !plain {
		return -1
	}
	for _, c := range name {
		if c >= utf8.RuneSelf {
			return -1
		}
	}
	for _, n := range names {
		if len(n.name) == len(name) && strings.EqualFold(n.name, string(name)) {
			return -1
		}
	}
	return 0
}

// object scans one endpoint object starting at b[i] == '{'.
func (s *endpointScan) object(b []byte, i int) (int, int) {
	return members(b, i, func(name []byte, plain bool, i int) (int, int) {
		bit := memberBit(name, plain, topNames)
		if bit < 0 || s.seen&bit != 0 {
			s.slow = true // a case-folded or repeated member: let encoding/json merge
		}
		if bit > 0 {
			s.seen |= bit
		}
		switch bit {
		case fChannelType:
			return s.str(b, i, &s.ch)
		case fAddress:
			return s.str(b, i, &s.addr)
		case fEndpointStatus:
			return s.str(b, i, &s.stat)
		case fOptOut:
			return s.str(b, i, &s.opt)
		case fAttributes:
			return s.listMap(b, i, scAttributes)
		case fMetrics:
			return s.scalarMap(b, i, scMetrics)
		case fDemographic:
			return s.scalarMap(b, i, scDemographic)
		case fLocation:
			return s.scalarMap(b, i, scLocation)
		case fUser:
			return s.userObject(b, i)
		}
		return skipValue(b, i, 1)
	})
}

// str reads a string member into *dst; null leaves it empty.
func (s *endpointScan) str(b []byte, i int, dst *[]byte) (int, int) {
	switch b[i] {
	case '"':
		end, plain, st := scanString(b, i)
		if st == scanOK {
			if plain {
				*dst = b[i+1 : end-1]
			} else {
				s.slow = true
			}
		}
		return end, st
	case 'n':
		*dst = nil
		return scanLiteral(b, i, "null")
	}
	s.slow = true
	return skipValue(b, i, 1)
}

func (s *endpointScan) userObject(b []byte, i int) (int, int) {
	switch b[i] {
	case 'n':
		return scanLiteral(b, i, "null")
	case '{':
	default:
		s.slow = true
		return skipValue(b, i, 1)
	}
	return members(b, i, func(name []byte, plain bool, i int) (int, int) {
		bit := memberBit(name, plain, userNames)
		if bit < 0 || s.seen&bit != 0 {
			s.slow = true
		}
		if bit > 0 {
			s.seen |= bit
		}
		switch bit {
		case fUserID:
			return s.str(b, i, &s.user)
		case fUserAttributes:
			return s.listMap(b, i, scUserAttributes)
		}
		return skipValue(b, i, 2)
	})
}

// listMap reads a map of string lists (Attributes, UserAttributes).
func (s *endpointScan) listMap(b []byte, i, scope int) (int, int) {
	switch b[i] {
	case 'n':
		return scanLiteral(b, i, "null")
	case '{':
	default:
		s.slow = true
		return skipValue(b, i, 1)
	}
	first := len(s.attrs)
	end, st := members(b, i, func(name []byte, plain bool, i int) (int, int) {
		if !plain {
			s.slow = true
		}
		a := scanAttr{scope: scope, key: name}
		switch b[i] {
		case 'n':
			s.attrs = append(s.attrs, a)
			return scanLiteral(b, i, "null")
		case '[':
		default:
			s.slow = true
			return skipValue(b, i, 2)
		}
		i = skipWS(b, i+1)
		if i >= len(b) {
			return i, scanShort
		}
		if b[i] == ']' {
			s.attrs = append(s.attrs, a)
			return i + 1, scanOK
		}
		for {
			var t uint8
			switch b[i] {
			case '"':
				end, plain, st := scanString(b, i)
				if st != scanOK {
					return end, st
				}
				if !plain {
					s.slow = true
				}
				t = valueTypeBytes(b[i+1 : end-1])
				i = end
			case 'n':
				// A null element decodes to "".
				var st int
				if i, st = scanLiteral(b, i, "null"); st != scanOK {
					return i, st
				}
				t = tyString
			default:
				s.slow = true
				var st int
				if i, st = skipValue(b, i, 3); st != scanOK {
					return i, st
				}
			}
			a.n++
			switch {
			case a.n == 1:
				a.typ = t
			case a.typ != t:
				a.typ = tyString
			}
			var more bool
			var st int
			if i, more, st = next(b, i, ']'); st != scanOK || !more {
				s.attrs = append(s.attrs, a)
				return i, st
			}
		}
	})
	if st == scanOK {
		s.checkDuplicates(first)
	}
	return end, st
}

// scalarMap reads Metrics (numbers), Demographic (strings) or Location
// (anything; strings and numbers count).
func (s *endpointScan) scalarMap(b []byte, i, scope int) (int, int) {
	switch b[i] {
	case 'n':
		return scanLiteral(b, i, "null")
	case '{':
	default:
		s.slow = true
		return skipValue(b, i, 1)
	}
	first := len(s.attrs)
	end, st := members(b, i, func(name []byte, plain bool, i int) (int, int) {
		if !plain {
			s.slow = true
		}
		a := scanAttr{scope: scope, key: name, n: 1}
		var end, st int
		switch c := b[i]; {
		case c == '"':
			var plain bool
			end, plain, st = scanString(b, i)
			switch scope {
			case scMetrics:
				s.slow = true // not a number
			case scDemographic, scLocation:
				if !plain {
					s.slow = true
				}
				// An empty string is not counted (any escape makes it non-empty).
				a.typ, a.skip = tyString, end-i == 2
			}
		case c == '-' || isDigit(c):
			end, st = scanNumber(b, i)
			switch scope {
			case scDemographic:
				s.slow = true
			case scMetrics, scLocation:
				if st == scanOK && !numberFits(b[i:end]) {
					s.slow = true
				}
				a.typ = tyNumber
			}
		case c == 'n':
			end, st = scanLiteral(b, i, "null")
			switch scope {
			case scMetrics:
				a.typ = tyNumber // null leaves 0, still a member
			default:
				a.skip = true
			}
		default:
			end, st = skipValue(b, i, 2)
			if scope != scLocation {
				s.slow = true
			}
			a.skip = true
		}
		s.attrs = append(s.attrs, a)
		return end, st
	})
	if st == scanOK {
		s.checkDuplicates(first)
	}
	return end, st
}

// checkDuplicates marks the value slow when a map repeats a key (the last
// one wins in encoding/json; the scanner does not bother).
func (s *endpointScan) checkDuplicates(first int) {
	as := s.attrs[first:]
	if len(as) <= 16 {
		for x := 1; x < len(as); x++ {
			for y := 0; y < x; y++ {
				if bytes.Equal(as[x].key, as[y].key) {
					s.slow = true
					return
				}
			}
		}
		return
	}
	s.order = s.order[:0]
	for x := range as {
		s.order = append(s.order, x)
	}
	slices.SortFunc(s.order, func(x, y int) int { return bytes.Compare(as[x].key, as[y].key) })
	for k := 1; k < len(s.order); k++ {
		if bytes.Equal(as[s.order[k]].key, as[s.order[k-1]].key) {
			s.slow = true
			return
		}
	}
}

// valueTypeBytes is valueType for a plain string's bytes. Most values
// cannot be numbers, booleans or dates, which the first bytes show
// without converting.
func valueTypeBytes(v []byte) uint8 {
	if len(v) > 0 {
		switch c := v[0]; {
		case isDigit(c), c == '+', c == '-', c == '.', c == '_',
			c == 'i', c == 'I', c == 'n', c == 'N', // inf, infinity, nan
			c == 't', c == 'f': // true, false
		default:
			if len(v) < 10 || v[4] != '-' || v[7] != '-' {
				return tyString
			}
		}
	}
	return valueType(string(v))
}

// validAddressBytes is ValidAddress for bytes, with a shortcut for the
// usual plain email address.
func validAddressBytes(ch, addr []byte) bool {
	switch string(ch) {
	case "SMS", "VOICE":
		return isE164(string(addr))
	case "EMAIL":
		if simpleEmail(addr) {
			return true
		}
	case "IN_APP":
		return true
	default:
		for _, c := range addr {
			switch c {
			case ' ', '\t', '\n', '\v', '\f', '\r':
			default:
				if c < utf8.RuneSelf {
					return true
				}
			}
		}
	}
	return ValidAddress(string(ch), string(addr))
}

// atext marks the ASCII characters of an RFC 5322 atom.
var atext = func() (t [256]bool) {
	for c := '0'; c <= '9'; c++ {
		t[c] = true
	}
	for c := 'a'; c <= 'z'; c++ {
		t[c], t[c-'a'+'A'] = true, true
	}
	for _, c := range "!#$%&'*+-/=?^_`{|}~" {
		t[c] = true
	}
	return
}()

// simpleEmail reports whether addr is local@domain with both parts ASCII
// dot-atoms: a form net/mail.ParseAddress always accepts as a bare
// address, so ValidAddress would say true.
func simpleEmail(addr []byte) bool {
	at := bytes.IndexByte(addr, '@')
	return at > 0 && dotAtom(addr[:at]) && dotAtom(addr[at+1:])
}

func dotAtom(s []byte) bool {
	if len(s) == 0 || s[0] == '.' || s[len(s)-1] == '.' {
		return false
	}
	for k, c := range s {
		if c == '.' {
			if s[k-1] == '.' {
				return false
			}
			continue
		}
		if !atext[c] {
			return false
		}
	}
	return true
}

// commit adds a scanned value.
func (b *StatsBuilder) commit(s *endpointScan) error {
	var c *chanCounts
	if len(s.ch) == 0 {
		c = b.channel("")
	} else if c = b.chans[string(s.ch)]; c == nil {
		c = b.channel(string(s.ch))
	}
	c.total++
	if string(s.opt) == "ALL" {
		c.optedOut++
	}
	if string(s.stat) == "INACTIVE" {
		c.inactive++
	}
	if !validAddressBytes(s.ch, s.addr) {
		c.invalid++
	}
	b.s.Total++
	for k := range s.attrs {
		a := &s.attrs[k]
		if a.skip {
			continue
		}
		acc := b.attrs[a.scope][string(a.key)]
		if acc == nil {
			if acc = b.newAttr(a.scope, string(a.key)); acc == nil {
				continue
			}
		}
		acc.add(a.n, a.typ)
	}
	if len(s.user) > 0 {
		b.s.WithUser++
		b.addUser(maphash.Bytes(b.seed, s.user))
		if len(b.chunk) >= b.chunkCap {
			return b.spill()
		}
	}
	return nil
}

// addValue handles one complete, valid value (an object or an array)
// found by the scanner.
func (b *StatsBuilder) addValue(s *endpointScan, v []byte, slow bool) error {
	if !slow {
		return b.commit(s)
	}
	var e endpointLine
	err := json.Unmarshal(v, &e)
	var te *json.UnmarshalTypeError
	switch {
	case err == nil:
		return b.add(&e)
	case errors.As(err, &te):
		b.s.Malformed++
		return nil
	}
	// Not expected for a value the scanner validated.
	b.s.Malformed++
	return fmt.Errorf("endpoint: %w", err)
}

// scanValue scans the value at b[i] (after whitespace). An array is
// validated and reported slow: it is never an endpoint.
func (s *endpointScan) scanValue(b []byte, i int) (int, int) {
	s.reset()
	switch b[i] {
	case '{':
		return s.object(b, i)
	case '[':
		s.slow = true
		return skipContainer(b, i, 0, ']')
	}
	return i, scanBad
}

// readBuf is the initial read buffer; it grows only to hold a value
// longer than itself.
const readBuf = 256 << 10

// addStreamFast reads r into a buffer and scans every complete object in
// it; when the scanner cannot go on (a syntax error, a value that is not
// an object or array, the input ending inside a value) the rest of the
// stream goes to addStreamDecoder.
func (b *StatsBuilder) addStreamFast(r io.Reader) (n int64, err error) {
	buf := make([]byte, 0, readBuf)
	var (
		off     int64 // stream offset of buf[0]
		lastEnd int64 // stream offset after the last value read
		pos     int   // scan position in buf
		rerr    error
	)
	s := &b.sc
	rest := func() (int64, error) {
		tail := io.Reader(bytes.NewReader(buf[pos:]))
		if rerr == nil {
			tail = io.MultiReader(tail, r)
		} else if rerr != io.EOF {
			tail = io.MultiReader(tail, errReader{rerr})
		}
		return b.addStreamDecoder(tail, n, off+int64(pos), lastEnd)
	}
	for {
		for {
			pos = skipWS(buf, pos)
			if pos >= len(buf) {
				break
			}
			end, st := s.scanValue(buf, pos)
			if st == scanShort {
				break
			}
			if st == scanBad {
				return rest()
			}
			n++
			if err := b.addValue(s, buf[pos:end], s.slow); err != nil {
				return n, err
			}
			pos = end
			lastEnd = off + int64(end)
		}
		if rerr != nil {
			if pos >= len(buf) && rerr == io.EOF {
				return n, nil
			}
			return rest()
		}
		// Keep the unscanned tail; grow only when one value fills the buffer.
		if pos > 0 {
			k := copy(buf[:cap(buf)], buf[pos:])
			buf = buf[:k]
			off += int64(pos)
			pos = 0
		}
		if len(buf) == cap(buf) {
			buf = slices.Grow(buf, cap(buf))
		}
		var k int
		k, rerr = r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+k]
	}
}

type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }
