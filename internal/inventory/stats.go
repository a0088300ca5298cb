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
	attrs map[attrKey]*attrAcc
	seed  maphash.Seed

	chunk    []uint64
	chunkCap int
	runs     []string // spilled run files
	tmpDir   string
	done     bool
}

type attrKey struct{ scope, key string }

type attrAcc struct {
	count     int64
	maxValues int
	typ       string
}

// NewStatsBuilder returns an empty builder.
func NewStatsBuilder() *StatsBuilder {
	return &StatsBuilder{
		s: EndpointStats{
			ByChannel:        map[string]int64{},
			OptedOut:         map[string]int64{},
			Inactive:         map[string]int64{},
			InvalidAddresses: map[string]int64{},
		},
		attrs:    map[attrKey]*attrAcc{},
		seed:     maphash.MakeSeed(),
		chunkCap: defaultChunk,
	}
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
	ch := e.ChannelType
	if ch == "" {
		ch = "UNKNOWN"
	}
	b.s.Total++
	b.s.ByChannel[ch]++
	if e.OptOut == "ALL" {
		b.s.OptedOut[ch]++
	}
	if e.EndpointStatus == "INACTIVE" {
		b.s.Inactive[ch]++
	}
	if !ValidAddress(e.ChannelType, e.Address) {
		b.s.InvalidAddresses[ch]++
	}
	for k, v := range e.Attributes {
		b.attr(ScopeAttributes, k, len(v), valuesType(v))
	}
	for k := range e.Metrics {
		b.attr(ScopeMetrics, k, 1, "number")
	}
	for k, v := range e.Demographic {
		if v != "" {
			b.attr(ScopeDemographic, k, 1, "string")
		}
	}
	for k, v := range e.Location {
		switch v := v.(type) {
		case string:
			if v != "" {
				b.attr(ScopeLocation, k, 1, "string")
			}
		case float64:
			b.attr(ScopeLocation, k, 1, "number")
		}
	}
	if e.User != nil {
		for k, v := range e.User.UserAttributes {
			b.attr(ScopeUserAttributes, k, len(v), valuesType(v))
		}
		if e.User.UserId != "" {
			b.s.WithUser++
			if err := b.addUser(e.User.UserId); err != nil {
				return err
			}
		}
	}
	return nil
}

// AddStream decodes a stream of endpoint objects (newline-delimited or
// not) and adds each. Malformed values are counted, not fatal; a stream
// that cannot be tokenized any further ends with an error.
func (b *StatsBuilder) AddStream(r io.Reader) (n int64, err error) {
	if b.done {
		return 0, errors.New("stats builder: AddStream after Result")
	}
	// Decoding straight into the struct parses each value once; a value of
	// the wrong shape is consumed whole, so the stream goes on.
	dec := json.NewDecoder(r)
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
			return n, fmt.Errorf("endpoint stream at byte %d: %w", dec.InputOffset(), err)
		}
	}
}

func (b *StatsBuilder) attr(scope, key string, n int, typ string) {
	k := attrKey{scope, key}
	a := b.attrs[k]
	if a == nil {
		if len(b.attrs) >= MaxAttributeNames {
			b.s.AttributesDropped++
			return
		}
		a = &attrAcc{}
		b.attrs[k] = a
	}
	a.count++
	if n > a.maxValues {
		a.maxValues = n
	}
	switch {
	case typ == "":
	case a.typ == "":
		a.typ = typ
	case a.typ != typ:
		a.typ = "string"
	}
}

// valuesType infers the type of an attribute's values; "" when the list is
// empty.
func valuesType(vs []string) string {
	typ := ""
	for _, v := range vs {
		t := valueType(v)
		if typ == "" {
			typ = t
		} else if typ != t {
			return "string"
		}
	}
	return typ
}

func valueType(v string) string {
	if _, err := strconv.ParseFloat(v, 64); err == nil {
		return "number"
	}
	if v == "true" || v == "false" {
		return "boolean"
	}
	if len(v) >= 10 && v[4] == '-' && v[7] == '-' {
		if _, err := time.Parse(time.RFC3339, v); err == nil {
			return "datetime"
		}
		if _, err := time.Parse("2006-01-02", v); err == nil {
			return "datetime"
		}
	}
	return "string"
}

func (b *StatsBuilder) addUser(id string) error {
	if b.chunk == nil {
		b.chunk = make([]uint64, 0, min(b.chunkCap, 1024))
	}
	b.chunk = append(b.chunk, maphash.String(b.seed, id))
	if len(b.chunk) >= b.chunkCap {
		return b.spill()
	}
	return nil
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
	for k, a := range b.attrs {
		st := AttributeStats{Key: k.key, Scope: k.scope, Type: a.typ, Count: a.count, MaxValues: a.maxValues}
		if st.Type == "" {
			st.Type = "string"
		}
		if b.s.Total > 0 {
			st.FillRate = float64(a.count) / float64(b.s.Total)
		}
		b.s.Attributes = append(b.s.Attributes, st)
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
}

func (r *runReader) next() (bool, error) {
	var buf [8]byte
	if _, err := io.ReadFull(r.r, buf[:]); err != nil {
		if err == io.EOF {
			return false, nil
		}
		return false, err
	}
	r.cur = binary.BigEndian.Uint64(buf[:])
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
