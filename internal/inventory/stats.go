package inventory

import (
	"bufio"
	"container/heap"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/maphash"
	"io"
	"os"
	"slices"
	"sort"
	"strconv"
	"time"
)

// EndpointStats summarizes an app's endpoints without keeping any of them:
// no address, no user id, no attribute value is stored.
type EndpointStats struct {
	Total     int64            `json:"total"`
	ByChannel map[string]int64 `json:"byChannel"`
	// OptedOut counts endpoints with OptOut "ALL", by channel.
	OptedOut map[string]int64 `json:"optedOut"`
	// Inactive counts endpoints with EndpointStatus "INACTIVE", by channel.
	Inactive map[string]int64 `json:"inactive"`
	// InvalidAddresses counts addresses that cannot be sent to, by channel
	// (see ValidAddress).
	InvalidAddresses map[string]int64 `json:"invalidAddresses"`
	// WithUser counts endpoints that carry a User.UserId; Users is the
	// number of distinct user ids among them.
	WithUser int64 `json:"withUser"`
	Users    int64 `json:"users"`
	// UserCountMethod says how Users was counted (see StatsBuilder).
	UserCountMethod string `json:"userCountMethod"`
	// EndpointsPerUser is a histogram: how many users have N endpoints.
	EndpointsPerUser []HistogramBucket `json:"endpointsPerUser"`
	Attributes       []AttributeStats  `json:"attributes"`
	// AttributesDropped counts attribute names beyond MaxAttributeNames.
	AttributesDropped int64 `json:"attributesDropped,omitempty"`
	// Malformed counts input values that were not endpoint objects.
	Malformed int64 `json:"malformed,omitempty"`
}

// HistogramBucket is one bar of a histogram.
type HistogramBucket struct {
	Endpoints int64 `json:"endpoints"`
	Users     int64 `json:"users"`
}

// Attribute scopes. Demographic and Location are the standard endpoint
// fields, counted so the profile mapping knows which are worth carrying.
const (
	ScopeAttributes     = "Attributes"
	ScopeUserAttributes = "UserAttributes"
	ScopeMetrics        = "Metrics"
	ScopeDemographic    = "Demographic"
	ScopeLocation       = "Location"
)

// AttributeStats describes one attribute name across the endpoints.
type AttributeStats struct {
	Key   string `json:"key"`
	Scope string `json:"scope"`
	// Type is inferred from the values: number, boolean, datetime or
	// string (string whenever values disagree).
	Type     string  `json:"type"`
	Count    int64   `json:"count"`
	FillRate float64 `json:"fillRate"` // Count / Total
	// MaxValues is the longest value list (attribute values are lists).
	MaxValues int `json:"maxValues"`
}

// MaxAttributeNames bounds the attribute names tracked per app, so a
// hostile or broken export cannot grow memory. Pinpoint's own quota is far
// lower (250 endpoint attributes per app).
const MaxAttributeNames = 10000

// defaultChunk is how many user-id hashes are kept in memory (8 bytes
// each: 2 MiB) before a sorted run is spilled to a temporary file. Merging
// reads every run through an 8 KiB buffer: 100 million endpoints make 382
// runs, 3 MiB of buffers.
const defaultChunk = 1 << 18

// StatsBuilder accumulates EndpointStats from a stream of endpoint objects.
//
// Memory stays flat whatever the endpoint count. Users are counted exactly
// by an external sort: each endpoint's user id is hashed to 64 bits
// (maphash), hashes collect in a fixed 2 MiB buffer, and a full buffer is
// sorted and spilled to a temporary file. Result merges the runs, so the
// distinct count and the endpoints-per-user histogram are exact up to
// 64-bit hash collisions (expected fewer than one for 100 million users).
// Disk use is 8 bytes per endpoint that has a user id; an app that fits in
// one buffer never touches the disk.
type StatsBuilder struct {
	s     EndpointStats
	chans map[string]*chanCounts
	// attrs holds one map per scope (see scopes), so that the hot path can
	// look a name up by its bytes without allocating.
	attrs  [numScopes]map[string]*attrAcc
	nattrs int
	seed   maphash.Seed
	sc     endpointScan // scratch of the fast decoder, reused per value

	chunk    []uint64
	chunkCap int
	runs     []string // spilled run files
	tmpDir   string
	done     bool
}

// chanCounts are the per-channel counters; Result turns them into the
// EndpointStats maps.
type chanCounts struct{ total, optedOut, inactive, invalid int64 }

// Scope indexes.
const (
	scAttributes = iota
	scUserAttributes
	scMetrics
	scDemographic
	scLocation
	numScopes
)

var scopes = [numScopes]string{ScopeAttributes, ScopeUserAttributes, ScopeMetrics, ScopeDemographic, ScopeLocation}

// Value types, as small integers on the hot path.
const (
	tyNone = iota
	tyNumber
	tyBoolean
	tyDatetime
	tyString
)

var typeNames = [...]string{tyNone: "", tyNumber: "number", tyBoolean: "boolean", tyDatetime: "datetime", tyString: "string"}

type attrAcc struct {
	count     int64
	maxValues int
	typ       uint8
}

// NewStatsBuilder returns an empty builder.
func NewStatsBuilder() *StatsBuilder {
	b := &StatsBuilder{
		chans:    map[string]*chanCounts{},
		seed:     maphash.MakeSeed(),
		chunkCap: defaultChunk,
	}
	for i := range b.attrs {
		b.attrs[i] = map[string]*attrAcc{}
	}
	return b
}

// endpointLine holds the members of EndpointResponse the statistics use.
type endpointLine struct {
	ChannelType    string
	Address        string
	EndpointStatus string
	OptOut         string
	Attributes     map[string][]string
	Metrics        map[string]float64
	Demographic    map[string]string
	Location       map[string]any
	User           *struct {
		UserId         string
		UserAttributes map[string][]string
	}
}

// Add counts one endpoint object (an EndpointResponse as written by an
// export job). A value that is not an endpoint object is counted as
// malformed and returned as an error; the builder stays usable.
func (b *StatsBuilder) Add(endpointJSON []byte) error {
	if b.done {
		return errors.New("stats builder: Add after Result")
	}
	var e endpointLine
	if err := json.Unmarshal(endpointJSON, &e); err != nil {
		b.s.Malformed++
		return fmt.Errorf("endpoint: %w", err)
	}
	return b.add(&e)
}

func (b *StatsBuilder) add(e *endpointLine) error {
	c := b.channel(e.ChannelType)
	c.total++
	if e.OptOut == "ALL" {
		c.optedOut++
	}
	if e.EndpointStatus == "INACTIVE" {
		c.inactive++
	}
	if !ValidAddress(e.ChannelType, e.Address) {
		c.invalid++
	}
	b.s.Total++
	for k, v := range e.Attributes {
		b.attr(scAttributes, k, len(v), valuesType(v))
	}
	for k := range e.Metrics {
		b.attr(scMetrics, k, 1, tyNumber)
	}
	for k, v := range e.Demographic {
		if v != "" {
			b.attr(scDemographic, k, 1, tyString)
		}
	}
	for k, v := range e.Location {
		switch v := v.(type) {
		case string:
			if v != "" {
				b.attr(scLocation, k, 1, tyString)
			}
		case float64:
			b.attr(scLocation, k, 1, tyNumber)
		}
	}
	if e.User != nil {
		for k, v := range e.User.UserAttributes {
			b.attr(scUserAttributes, k, len(v), valuesType(v))
		}
		if e.User.UserId != "" {
			b.s.WithUser++
			b.addUser(maphash.String(b.seed, e.User.UserId))
			if len(b.chunk) >= b.chunkCap {
				return b.spill()
			}
		}
	}
	return nil
}

// channel returns the counters of a channel ("" counts as UNKNOWN).
func (b *StatsBuilder) channel(ch string) *chanCounts {
	if ch == "" {
		ch = "UNKNOWN"
	}
	c := b.chans[ch]
	if c == nil {
		c = &chanCounts{}
		b.chans[ch] = c
	}
	return c
}

// AddStream decodes a stream of endpoint objects (newline-delimited or
// not) and adds each. Malformed values are counted, not fatal; a stream
// that cannot be tokenized any further ends with an error.
//
// Objects go through a hand-written scanner (stats_scan.go) that reads
// only the members the statistics use, without building maps or strings.
// Anything it does not handle byte for byte like encoding/json (escapes,
// duplicate or case-folded member names, type mismatches, syntax errors,
// values other than objects) is handed to encoding/json, so the results
// are exactly those of decoding every value into endpointLine.
func (b *StatsBuilder) AddStream(r io.Reader) (n int64, err error) {
	if b.done {
		return 0, errors.New("stats builder: AddStream after Result")
	}
	return b.addStreamFast(r)
}

// addStreamDecoder is the reference path: encoding/json over the rest of
// the stream. base is the stream offset of r's first byte and lastEnd the
// offset just past the last value read before it, so that error messages
// name the same byte a decoder over the whole stream would.
func (b *StatsBuilder) addStreamDecoder(r io.Reader, n, base, lastEnd int64) (int64, error) {
	// Decoding straight into the struct parses each value once; a value of
	// the wrong shape is consumed whole, so the stream goes on.
	dec := json.NewDecoder(r)
	decoded := false
	for {
		var e endpointLine
		err := dec.Decode(&e)
		if err == io.EOF {
			return n, nil
		}
		n++
		var te *json.UnmarshalTypeError
		switch {
		case err == nil:
			if err := b.add(&e); err != nil {
				return n, err
			}
		case errors.As(err, &te):
			b.s.Malformed++
		default:
			// A decoder stops at the end of the last value it read.
			off := lastEnd
			if decoded {
				off = base + dec.InputOffset()
			}
			return n, fmt.Errorf("endpoint stream at byte %d: %w", off, err)
		}
		decoded = true
	}
}

func (b *StatsBuilder) attr(scope int, key string, n int, typ uint8) {
	a := b.attrs[scope][key]
	if a == nil {
		a = b.newAttr(scope, key)
		if a == nil {
			return
		}
	}
	a.add(n, typ)
}

// newAttr starts tracking a name, or counts it as dropped past
// MaxAttributeNames (nil).
func (b *StatsBuilder) newAttr(scope int, key string) *attrAcc {
	if b.nattrs >= MaxAttributeNames {
		b.s.AttributesDropped++
		return nil
	}
	a := &attrAcc{}
	b.attrs[scope][key] = a
	b.nattrs++
	return a
}

func (a *attrAcc) add(n int, typ uint8) {
	a.count++
	if n > a.maxValues {
		a.maxValues = n
	}
	switch {
	case typ == tyNone:
	case a.typ == tyNone:
		a.typ = typ
	case a.typ != typ:
		a.typ = tyString
	}
}

// valuesType infers the type of an attribute's values; tyNone when the
// list is empty.
func valuesType(vs []string) uint8 {
	typ := uint8(tyNone)
	for _, v := range vs {
		t := valueType(v)
		if typ == tyNone {
			typ = t
		} else if typ != t {
			return tyString
		}
	}
	return typ
}

func valueType(v string) uint8 {
	if _, err := strconv.ParseFloat(v, 64); err == nil {
		return tyNumber
	}
	if v == "true" || v == "false" {
		return tyBoolean
	}
	if len(v) >= 10 && v[4] == '-' && v[7] == '-' {
		if _, err := time.Parse(time.RFC3339, v); err == nil {
			return tyDatetime
		}
		if _, err := time.Parse("2006-01-02", v); err == nil {
			return tyDatetime
		}
	}
	return tyString
}

// addUser buffers one user-id hash; the caller spills a full buffer.
func (b *StatsBuilder) addUser(h uint64) {
	if b.chunk == nil {
		b.chunk = make([]uint64, 0, min(b.chunkCap, 1024))
	}
	b.chunk = append(b.chunk, h)
}

// spill writes the buffer as a sorted run file and empties it.
func (b *StatsBuilder) spill() error {
	slices.Sort(b.chunk)
	f, err := os.CreateTemp(b.tmpDir, "p2c-users-*.run")
	if err != nil {
		return fmt.Errorf("endpoint stats: spill user ids: %w", err)
	}
	b.runs = append(b.runs, f.Name())
	w := bufio.NewWriterSize(f, 64<<10)
	var buf [8]byte
	for _, h := range b.chunk {
		binary.BigEndian.PutUint64(buf[:], h)
		w.Write(buf[:])
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return fmt.Errorf("endpoint stats: spill user ids: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("endpoint stats: spill user ids: %w", err)
	}
	b.chunk = b.chunk[:0]
	return nil
}

// Close removes temporary files; Result calls it.
func (b *StatsBuilder) Close() error {
	var first error
	for _, p := range b.runs {
		if err := os.Remove(p); err != nil && !os.IsNotExist(err) && first == nil {
			first = err
		}
	}
	b.runs = nil
	return first
}

// Result finishes the statistics. The builder cannot be used afterwards.
func (b *StatsBuilder) Result() (*EndpointStats, error) {
	if b.done {
		return nil, errors.New("stats builder: Result called twice")
	}
	b.done = true
	defer b.Close()
	hist := map[int64]int64{}
	count := func(n int64) {
		b.s.Users++
		hist[n]++
	}
	if len(b.runs) == 0 {
		slices.Sort(b.chunk)
		countSorted(b.chunk, count)
	} else {
		if len(b.chunk) > 0 {
			if err := b.spill(); err != nil {
				return nil, err
			}
		}
		if err := mergeRuns(b.runs, count); err != nil {
			return nil, err
		}
	}
	b.chunk = nil
	b.s.UserCountMethod = "exact (64-bit hash, external sort)"
	for n, u := range hist {
		b.s.EndpointsPerUser = append(b.s.EndpointsPerUser, HistogramBucket{Endpoints: n, Users: u})
	}
	sort.Slice(b.s.EndpointsPerUser, func(i, j int) bool {
		return b.s.EndpointsPerUser[i].Endpoints < b.s.EndpointsPerUser[j].Endpoints
	})
	b.s.ByChannel = map[string]int64{}
	b.s.OptedOut = map[string]int64{}
	b.s.Inactive = map[string]int64{}
	b.s.InvalidAddresses = map[string]int64{}
	for ch, c := range b.chans {
		b.s.ByChannel[ch] = c.total
		if c.optedOut > 0 {
			b.s.OptedOut[ch] = c.optedOut
		}
		if c.inactive > 0 {
			b.s.Inactive[ch] = c.inactive
		}
		if c.invalid > 0 {
			b.s.InvalidAddresses[ch] = c.invalid
		}
	}
	for scope, m := range b.attrs {
		for k, a := range m {
			st := AttributeStats{Key: k, Scope: scopes[scope], Type: typeNames[a.typ], Count: a.count, MaxValues: a.maxValues}
			if st.Type == "" {
				st.Type = "string"
			}
			if b.s.Total > 0 {
				st.FillRate = float64(a.count) / float64(b.s.Total)
			}
			b.s.Attributes = append(b.s.Attributes, st)
		}
	}
	sort.Slice(b.s.Attributes, func(i, j int) bool {
		x, y := b.s.Attributes[i], b.s.Attributes[j]
		if x.Scope != y.Scope {
			return x.Scope < y.Scope
		}
		return x.Key < y.Key
	})
	out := b.s
	return &out, nil
}

// countSorted calls fn with the length of each run of equal values.
func countSorted(hs []uint64, fn func(int64)) {
	for i := 0; i < len(hs); {
		j := i + 1
		for j < len(hs) && hs[j] == hs[i] {
			j++
		}
		fn(int64(j - i))
		i = j
	}
}

type runReader struct {
	r   *bufio.Reader
	f   *os.File
	cur uint64
	buf [8]byte // a field, not a local: a local would escape into ReadFull
}

func (r *runReader) next() (bool, error) {
	if _, err := io.ReadFull(r.r, r.buf[:]); err != nil {
		if err == io.EOF {
			return false, nil
		}
		return false, err
	}
	r.cur = binary.BigEndian.Uint64(r.buf[:])
	return true, nil
}

type runHeap []*runReader

func (h runHeap) Len() int           { return len(h) }
func (h runHeap) Less(i, j int) bool { return h[i].cur < h[j].cur }
func (h runHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *runHeap) Push(x any)        { *h = append(*h, x.(*runReader)) }
func (h *runHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// mergeRuns k-way merges sorted run files and reports each distinct
// value's multiplicity.
func mergeRuns(paths []string, fn func(int64)) error {
	h := runHeap{}
	defer func() {
		for _, r := range h {
			r.f.Close()
		}
	}()
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return fmt.Errorf("endpoint stats: %w", err)
		}
		r := &runReader{f: f, r: bufio.NewReaderSize(f, 8<<10)}
		ok, err := r.next()
		if err != nil {
			f.Close()
			return fmt.Errorf("endpoint stats: read %s: %w", p, err)
		}
		if !ok {
			f.Close()
			continue
		}
		h = append(h, r)
	}
	heap.Init(&h)
	var (
		cur  uint64
		n    int64
		have bool
	)
	for h.Len() > 0 {
		r := h[0]
		v := r.cur
		if have && v == cur {
			n++
		} else {
			if have {
				fn(n)
			}
			cur, n, have = v, 1, true
		}
		ok, err := r.next()
		if err != nil {
			return fmt.Errorf("endpoint stats: read run: %w", err)
		}
		if ok {
			heap.Fix(&h, 0)
		} else {
			r.f.Close()
			heap.Pop(&h)
		}
	}
	if have {
		fn(n)
	}
	return nil
}
