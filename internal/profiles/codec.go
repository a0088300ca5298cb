package profiles

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// Sort runs hold records of one shape: two string keys and a sequence
// number, compared in that order, and an opaque payload. Endpoint runs use
// (ProfileKey, EndpointId, Seq); tuple runs (EndpointId, "", Seq); loser
// runs (ProfileKey, EndpointId, Seq) with no payload; reject runs ("",
// kind+index, Seq) ordered by line first (see rejectKey).
//
// A record on disk is
//
//	uvarint len(k1) | k1 | uvarint len(k2) | k2 | seq (8 bytes, big endian) | uvarint len(payload) | payload
//
// Length prefixes make reading a record two small reads and no scanning.

// appendRecord appends one run record to dst.
func appendRecord(dst []byte, k1, k2 string, seq uint64, payload []byte) []byte {
	dst = binary.AppendUvarint(dst, uint64(len(k1)))
	dst = append(dst, k1...)
	dst = binary.AppendUvarint(dst, uint64(len(k2)))
	dst = append(dst, k2...)
	dst = binary.BigEndian.AppendUint64(dst, seq)
	dst = binary.AppendUvarint(dst, uint64(len(payload)))
	return append(dst, payload...)
}

// errCorrupt reports a run file that does not decode: a bug or a damaged
// temp folder, never bad input.
var errCorrupt = errors.New("corrupt sort run")

// codecReader decodes the payload of an endpoint record.
type codecReader struct {
	s   string
	err error
}

func (r *codecReader) uvarint() uint64 {
	if r.err != nil {
		return 0
	}
	var v uint64
	var shift uint
	for i := 0; i < len(r.s); i++ {
		b := r.s[i]
		if b < 0x80 {
			if i > 9 || i == 9 && b > 1 {
				break
			}
			r.s = r.s[i+1:]
			return v | uint64(b)<<shift
		}
		v |= uint64(b&0x7f) << shift
		shift += 7
	}
	r.err = errCorrupt
	return 0
}

func (r *codecReader) str() string {
	n := r.uvarint()
	if r.err != nil {
		return ""
	}
	if n > uint64(len(r.s)) {
		r.err = errCorrupt
		return ""
	}
	s := r.s[:n]
	r.s = r.s[n:]
	return s
}

func (r *codecReader) byte() byte {
	if r.err != nil || len(r.s) == 0 {
		r.err = errCorrupt
		return 0
	}
	b := r.s[0]
	r.s = r.s[1:]
	return b
}

func (r *codecReader) kvs() []KV {
	n := r.uvarint()
	if n == 0 || r.err != nil {
		return nil
	}
	if n > uint64(len(r.s)) {
		r.err = errCorrupt
		return nil
	}
	kv := make([]KV, n)
	for i := range kv {
		kv[i].K = r.str()
		kv[i].V = r.str()
	}
	return kv
}

func appendStr(dst []byte, s string) []byte {
	dst = binary.AppendUvarint(dst, uint64(len(s)))
	return append(dst, s...)
}

func appendKVs(dst []byte, kv []KV) []byte {
	dst = binary.AppendUvarint(dst, uint64(len(kv)))
	for _, x := range kv {
		dst = appendStr(dst, x.K)
		dst = appendStr(dst, x.V)
	}
	return dst
}

// Endpoint flags in the payload.
const (
	flagInactive = 1 << iota
	flagOptedOut
)

// appendEndpoint encodes what Build needs of an endpoint. ID and the
// profile key travel as the record's keys and File/Line in its Seq, so
// they are left out; Repairs were written to the reject run when the line
// was parsed.
func appendEndpoint(dst []byte, e *Endpoint) []byte {
	var flags byte
	if e.Inactive {
		flags |= flagInactive
	}
	if e.OptedOut {
		flags |= flagOptedOut
	}
	dst = append(dst, flags)
	dst = appendStr(dst, e.ChannelType)
	dst = appendStr(dst, e.Address)
	dst = appendStr(dst, e.EffectiveDate)
	dst = appendStr(dst, e.UserID)
	dst = appendStr(dst, e.CohortID)
	dst = appendKVs(dst, e.UserAttributes)
	dst = appendKVs(dst, e.Attributes)
	dst = appendKVs(dst, e.Metrics)
	dst = appendKVs(dst, e.Demographic)
	dst = appendStr(dst, e.Location.City)
	dst = appendStr(dst, e.Location.Country)
	dst = appendStr(dst, e.Location.PostalCode)
	dst = appendStr(dst, e.Location.State)
	dst = appendStr(dst, e.Latitude)
	dst = appendStr(dst, e.Longitude)
	return dst
}

// decodeEndpoint is the inverse of appendEndpoint. The payload is copied
// once into a string that every field then slices, so an endpoint costs
// one allocation (plus its KV slices).
func decodeEndpoint(id string, seq uint64, payload []byte, fileName func(uint64) string) (Endpoint, error) {
	r := codecReader{s: string(payload)}
	e := Endpoint{ID: id, Seq: seq, File: fileName(seq >> lineBits), Line: int64(seq & lineMask)}
	flags := r.byte()
	e.Inactive = flags&flagInactive != 0
	e.OptedOut = flags&flagOptedOut != 0
	e.ChannelType = r.str()
	e.Address = r.str()
	e.EffectiveDate = r.str()
	e.UserID = r.str()
	e.CohortID = r.str()
	e.UserAttributes = r.kvs()
	e.Attributes = r.kvs()
	e.Metrics = r.kvs()
	e.Demographic = r.kvs()
	e.Location.City = r.str()
	e.Location.Country = r.str()
	e.Location.PostalCode = r.str()
	e.Location.State = r.str()
	e.Latitude = r.str()
	e.Longitude = r.str()
	if r.err == nil && r.s != "" {
		r.err = errCorrupt
	}
	if r.err != nil {
		return Endpoint{}, fmt.Errorf("endpoint %s: %w", id, r.err)
	}
	return e, nil
}

// Seq layout: the input's index in the high bits, the 1-based line in the
// low 40 (a trillion lines per file).
const (
	lineBits = 40
	lineMask = 1<<lineBits - 1
)

func makeSeq(file int, line int64) uint64 { return uint64(file)<<lineBits | uint64(line)&lineMask }

// A tuple payload is the EffectiveDate and the profile key of an endpoint:
// what picking the winner among duplicate ids needs.
func appendTuple(dst []byte, effective, key string) []byte {
	dst = appendStr(dst, effective)
	return appendStr(dst, key)
}

func decodeTuple(payload []byte) (effective, key string, err error) {
	r := codecReader{s: string(payload)}
	effective = r.str()
	key = r.str()
	return effective, key, r.err
}

// Reject kinds order the rejects of one line: parse results first, then
// the duplicate verdict, then Build's repairs, then the group cap.
const (
	rejectParse byte = iota
	rejectDuplicate
	rejectBuild
	rejectCap
)

// rejectKey is the k2 of a reject record: kind and index, fixed width so
// that comparing strings compares them as numbers.
func rejectKey(kind byte, idx int) string {
	var b [5]byte
	b[0] = kind
	binary.BigEndian.PutUint32(b[1:], uint32(idx))
	return string(b[:])
}
