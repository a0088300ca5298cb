package inventory

import (
	"bufio"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"reflect"
	"runtime"
	"runtime/metrics"
	"strings"
	"syscall"
	"testing"
	"testing/iotest"
	"time"
)

func TestStatsBuilder(t *testing.T) {
	lines := []string{
		`{"Id":"1","ChannelType":"EMAIL","Address":"jane@example.com","EndpointStatus":"ACTIVE","OptOut":"NONE","Attributes":{"Interests":["hiking","music"]},"Metrics":{"purchases":3},"Demographic":{"Timezone":"America/Los_Angeles","Locale":""},"Location":{"Country":"US","Latitude":47.6},"User":{"UserId":"u1","UserAttributes":{"FirstName":["Jane"],"Age":["42"]}}}`,
		`{"Id":"2","ChannelType":"SMS","Address":"+12065550100","EndpointStatus":"ACTIVE","OptOut":"ALL","User":{"UserId":"u1","UserAttributes":{"Age":["x"]}}}`,
		`{"Id":"3","ChannelType":"SMS","Address":"2065550100","EndpointStatus":"INACTIVE","OptOut":"NONE","Attributes":{"Signup":["2024-01-02T03:04:05Z"]},"User":{"UserId":"u2"}}`,
		`{"Id":"4","ChannelType":"EMAIL","Address":"Jane <jane@example.com>"}`,
		`{"Id":"5","ChannelType":"GCM","Address":"  "}`,
		`{"Id":"6","ChannelType":"APNS","Address":"tok","User":{"UserId":"u1"}}`,
	}
	b := NewStatsBuilder()
	n, err := b.AddStream(strings.NewReader(strings.Join(lines, "\n") + "\n[1]\n"))
	if err != nil || n != 7 {
		t.Fatalf("AddStream = %d, %v", n, err)
	}
	s, err := b.Result()
	if err != nil {
		t.Fatal(err)
	}
	check := func(name string, got, want any) {
		t.Helper()
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%s = %v, want %v", name, got, want)
		}
	}
	check("Total", s.Total, 6)
	check("Malformed", s.Malformed, 1)
	check("ByChannel", s.ByChannel, map[string]int64{"APNS": 1, "EMAIL": 2, "GCM": 1, "SMS": 2})
	check("OptedOut", s.OptedOut, map[string]int64{"SMS": 1})
	check("Inactive", s.Inactive, map[string]int64{"SMS": 1})
	check("Invalid", s.InvalidAddresses, map[string]int64{"EMAIL": 1, "GCM": 1, "SMS": 1})
	check("WithUser", s.WithUser, 4)
	check("Users", s.Users, 2)
	check("EndpointsPerUser", s.EndpointsPerUser, []HistogramBucket{{1, 1}, {3, 1}})
	got := map[string]AttributeStats{}
	for _, a := range s.Attributes {
		got[a.Scope+"."+a.Key] = a
	}
	check("attrs", len(got), 8)
	check("Interests", got["Attributes.Interests"], AttributeStats{"Interests", "Attributes", "string", 1, 1.0 / 6, 2})
	check("Signup type", got["Attributes.Signup"].Type, "datetime")
	check("Age type", got["UserAttributes.Age"].Type, "string") // "42" and "x" disagree
	check("Age count", got["UserAttributes.Age"].Count, 2)
	check("purchases", got["Metrics.purchases"].Type, "number")
	check("Timezone", got["Demographic.Timezone"].Count, 1)
	_, locale := got["Demographic.Locale"]
	check("empty Locale counted", locale, false)
	check("Latitude", got["Location.Latitude"].Type, "number")
	if s.Attributes[0].Scope != "Attributes" || s.Attributes[len(s.Attributes)-1].Scope != "UserAttributes" {
		t.Errorf("attributes not sorted: %+v", s.Attributes)
	}
}

// TestStatsBuilderSpill forces the external sort with a tiny buffer and
// checks it agrees with an in-memory count.
func TestStatsBuilderSpill(t *testing.T) {
	dir := t.TempDir()
	run := func(chunk int) *EndpointStats {
		b := NewStatsBuilder()
		b.chunkCap = chunk
		b.tmpDir = dir
		for i := 0; i < 10000; i++ {
			// user i%3001 gets 3 or 4 endpoints; every 7th endpoint has no user.
			line := fmt.Sprintf(`{"ChannelType":"SMS","Address":"+1206555%04d","User":{"UserId":"user-%d"}}`, i%10000, i%3001)
			if i%7 == 0 {
				line = `{"ChannelType":"SMS","Address":"+12065550000"}`
			}
			if err := b.Add([]byte(line)); err != nil {
				t.Fatal(err)
			}
		}
		s, err := b.Result()
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	mem, disk := run(1<<20), run(100)
	if fmt.Sprint(mem.EndpointsPerUser) != fmt.Sprint(disk.EndpointsPerUser) || mem.Users != disk.Users {
		t.Errorf("in memory %d %v, spilled %d %v", mem.Users, mem.EndpointsPerUser, disk.Users, disk.EndpointsPerUser)
	}
	if mem.Users != 3001 {
		t.Errorf("Users = %d, want 3001", mem.Users)
	}
	ents, _ := os.ReadDir(dir)
	if len(ents) != 0 {
		t.Errorf("%d run files left behind", len(ents))
	}
}

func TestValidAddress(t *testing.T) {
	for _, c := range []struct {
		ch, addr string
		ok       bool
	}{
		{"SMS", "+12065550100", true}, {"VOICE", "+447700900123", true},
		{"SMS", "12065550100", false}, {"SMS", "+0123", false}, {"SMS", "+1", false},
		{"SMS", "+1234567890123456", false}, {"SMS", "+1 206 555", false},
		{"EMAIL", "a@example.com", true}, {"EMAIL", "a@", false}, {"EMAIL", "<a@example.com>", false},
		{"APNS", "tok", true}, {"GCM", "", false}, {"IN_APP", "", true}, {"CUSTOM", "x", true},
	} {
		if got := ValidAddress(c.ch, c.addr); got != c.ok {
			t.Errorf("ValidAddress(%s, %q) = %v", c.ch, c.addr, got)
		}
	}
}

// writeExport writes n endpoints as gzip NDJSON, like an export job does.
// Users have 1 to 3 endpoints.
func writeExport(tb testing.TB, path string, n int) {
	f, err := os.Create(path)
	if err != nil {
		tb.Fatal(err)
	}
	zw := gzip.NewWriter(f)
	w := bufio.NewWriter(zw)
	chans := []string{"EMAIL", "SMS", "APNS", "GCM"}
	for i := 0; i < n; i++ {
		ch := chans[i%4]
		addr := fmt.Sprintf("user%d@example.com", i)
		switch ch {
		case "SMS":
			addr = fmt.Sprintf("+1206%07d", i%10000000)
		case "APNS", "GCM":
			addr = fmt.Sprintf("token-%x", i)
		}
		fmt.Fprintf(w, `{"Id":"ep-%d","ApplicationId":"0123456789abcdef0123456789abcdef","ChannelType":"%s","Address":"%s","EndpointStatus":"ACTIVE","OptOut":"NONE","CohortId":"%d","CreationDate":"2024-11-02T17:01:22.120Z","EffectiveDate":"2025-03-14T09:26:53.589Z","Attributes":{"Interests":["hiking","music"],"Plan":["gold"]},"Metrics":{"purchases":%d},"Demographic":{"Locale":"en_US","Platform":"ios","Timezone":"America/Los_Angeles"},"Location":{"City":"Seattle","Country":"US"},"User":{"UserId":"user-%d","UserAttributes":{"FirstName":["Jane"]}}}`+"\n",
			i, ch, addr, i%100, i%5, i/2)
	}
	if err := w.Flush(); err != nil {
		tb.Fatal(err)
	}
	zw.Close()
	if err := f.Close(); err != nil {
		tb.Fatal(err)
	}
}

// BenchmarkEndpointStats streams a gzip NDJSON export through the
// builder, with the fast scanner ("fast") and with the encoding/json path
// it replaced ("json"), e.g.
//
//	go test -run x -bench EndpointStats -benchmem ./internal/inventory
//
// heap-MB is the live heap after the stream (builder still alive) and
// peak-heap-MB the largest heap seen while streaming; both stay flat while
// endpoints grow tenfold: nothing per endpoint is retained beyond the
// fixed user-id buffer, which spills to disk. cpu-us/endpoint is the
// process CPU time per endpoint, which other load on the machine disturbs
// less than endpoints/s.
func BenchmarkEndpointStats(b *testing.B) {
	for _, path := range []string{"fast", "json"} {
		for _, n := range []int{100_000, 1_000_000} {
			b.Run(fmt.Sprintf("path=%s/endpoints=%d", path, n), func(b *testing.B) {
				benchStats(b, path == "json", n)
			})
		}
	}
}

func benchStats(b *testing.B, viaJSON bool, n int) {
	file := b.TempDir() + "/export.gz"
	writeExport(b, file, n)
	b.ResetTimer()
	var heapMB, peakMB float64
	start, cpu0 := time.Now(), cpuTime()
	for i := 0; i < b.N; i++ {
		f, err := os.Open(file)
		if err != nil {
			b.Fatal(err)
		}
		zr, err := gzip.NewReader(f)
		if err != nil {
			b.Fatal(err)
		}
		runtime.GC()
		stop := samplePeakHeap()
		sb := NewStatsBuilder()
		sb.tmpDir = b.TempDir()
		var got int64
		if viaJSON {
			got, err = sb.addStreamDecoder(bufio.NewReaderSize(zr, 64<<10), 0, 0, 0)
		} else {
			got, err = sb.AddStream(zr)
		}
		if err != nil || got != int64(n) {
			b.Fatalf("AddStream = %d, %v", got, err)
		}
		peakMB = max(peakMB, stop())
		var ms runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&ms)
		heapMB = float64(ms.HeapAlloc) / (1 << 20)
		s, err := sb.Result()
		if err != nil {
			b.Fatal(err)
		}
		if s.Users != int64((n+1)/2) {
			b.Fatalf("Users = %d", s.Users)
		}
		io.Copy(io.Discard, zr)
		f.Close()
	}
	total := float64(n) * float64(b.N)
	b.ReportMetric(total/time.Since(start).Seconds(), "endpoints/s")
	b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/total, "cpu-us/endpoint")
	b.ReportMetric(heapMB, "heap-MB")
	b.ReportMetric(peakMB, "peak-heap-MB")
}

// samplePeakHeap samples the heap every millisecond until the returned
// function is called, which reports the largest heap seen in MiB.
func samplePeakHeap() func() float64 {
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	done := make(chan struct{})
	peak := make(chan uint64)
	go func() {
		var m uint64
		t := time.NewTicker(time.Millisecond)
		defer t.Stop()
		for {
			metrics.Read(sample)
			m = max(m, sample[0].Value.Uint64())
			select {
			case <-done:
				peak <- m
				return
			case <-t.C:
			}
		}
	}()
	return func() float64 {
		close(done)
		return float64(<-peak) / (1 << 20)
	}
}

// cpuTime is the process's user and system CPU time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// genEndpoint returns one value of a generated export stream: mostly
// ordinary endpoints (with unicode, arrays, opt-outs, missing members),
// and now and then an oddity that the fast scanner must either match
// encoding/json on or hand to it.
func genEndpoint(rng *rand.Rand, i int) string {
	// pick chooses from the usual values, or 1 time in 25 from the odd ones.
	pick := func(usual []string, odd ...string) string {
		if len(odd) > 0 && rng.IntN(25) == 0 {
			return odd[rng.IntN(len(odd))]
		}
		return usual[rng.IntN(len(usual))]
	}
	l := func(xs ...string) []string { return xs }
	chans := l(`"EMAIL"`, `"SMS"`, `"VOICE"`, `"APNS"`, `"GCM"`, `"IN_APP"`, `"CUSTOM"`, `null`, `""`, `"ÉMAIL"`)
	addrs := l(`"jane.doe+x@example.com"`, `"Jane <jane@example.com>"`, `"a..b@example.com"`, `"j@exämple.com"`, `"+12065550100"`,
		`"2065550100"`, `"tok-123"`, `"  "`, `""`, `null`, `"üser@example.com"`, `"a@b"`, `".a@b"`, `"日本"`)
	vals := l(`"hiking"`, `"42"`, `"-1.5e3"`, `"true"`, `"false"`, `"2024-01-02"`, `"2024-01-02T03:04:05Z"`, `"2024-13-45"`,
		`"Inf"`, `"NaN"`, `"0x1p-2"`, `"1_000"`, `""`, `null`, `"Zoë"`, `"日本語"`, `" 1"`, `"+5"`, `".5"`)
	oddVals := l(`"a\nb"`, `"\u0041"`, `"\ud83d\ude00"`, "\"bad\xffutf8\"")
	keys := l("Plan", "Interests", "Age", "Signup", "名前", "Zoë", "x.y", "", "Plan2")
	oddKeys := l("a\\u0042", "k\\\"q", "bad\xff")
	list := func() string {
		switch pick(l("list"), "null", "[]", `"notalist"`, "[1]", "{}") {
		case "list":
		case "null", "[]":
			return "null"
		default:
			return pick(l("[]"), `"notalist"`, "[1]", "{}", "[true]", "[[]]")
		}
		var xs []string
		for range 1 + rng.IntN(3) {
			xs = append(xs, pick(vals, oddVals...))
		}
		return "[" + strings.Join(xs, ",") + "]"
	}
	strMap := func(val func() string) string {
		if rng.IntN(15) == 0 {
			return pick(l("null", "{}"), `"x"`, "[]", "1")
		}
		var xs []string
		used := map[string]bool{}
		for range rng.IntN(5) {
			k := pick(keys, oddKeys...)
			if used[k] && rng.IntN(10) != 0 { // a repeated key now and then
				continue
			}
			used[k] = true
			xs = append(xs, fmt.Sprintf(`"%s": %s`, k, val()))
		}
		return "{" + strings.Join(xs, " , ") + "}"
	}
	var m []string
	add := func(k, v string) {
		if rng.IntN(8) != 0 { // missing members
			m = append(m, fmt.Sprintf(`"%s":%s`, k, v))
		}
	}
	add("Id", fmt.Sprintf(`"ep-%d"`, i))
	add(pick(l("ChannelType"), "channeltype", "Channel\\u0054ype", "CHANNELTYPE"), pick(chans, `"Ém\u00e0il"`, "7"))
	add("Address", pick(addrs, `"x\"y@example.com"`, `"\t"`, `"\u00a0"`, "[]"))
	add("EndpointStatus", pick(l(`"ACTIVE"`, `"INACTIVE"`, `null`), "3", "true"))
	add("OptOut", pick(l(`"NONE"`, `"ALL"`, `"ALL"`, `"all"`), `{"a":1}`))
	add("Attributes", strMap(list))
	add("Metrics", strMap(func() string {
		return pick(l("1", "-0.5", "2E-3", "null", "0", "123456789012345678901234567890"), "1e400", `"x"`, "true")
	}))
	add("Demographic", strMap(func() string { return pick(l(`"en_US"`, `""`, `null`, `"Zoë"`), "5", `"\u00e9"`, "[]") }))
	add("Location", strMap(func() string {
		return pick(l(`"Seattle"`, `""`, "47.6", "true", "null", `{"a":[1,2]}`, `[]`), "1e999", `"\u0000"`, "-1E+2")
	}))
	add("Nested", `{"a":[{"b":null},true,false,-0.0e+1,"\ud83d\ude00"]}`)
	if rng.IntN(40) == 0 {
		add(pick(l("Attributes", "User", "Address")), "null") // a repeated member
	}
	user := pick(l(
		fmt.Sprintf(`{"UserId":"user-%d","UserAttributes":%s}`, rng.IntN(50), strMap(list)),
		fmt.Sprintf(`{"UserId":"usér-%d"}`, rng.IntN(50)),
		fmt.Sprintf(`{"UserAttributes":%s,"UserId":"user-%d"}`, strMap(list), rng.IntN(50)),
		`{"UserId":""}`, `{}`, `null`),
		`{"UserId":"esc\u0041ped"}`, `{"userid":"u1"}`, `"u1"`, `{"UserId":7}`, `{"UserId":"a","UserId":"b"}`)
	add("User", user)
	rng.Shuffle(len(m), func(a, b int) { m[a], m[b] = m[b], m[a] })
	sep := pick(l(",", ",", " ,\n  ", ",\t"))
	switch rng.IntN(80) {
	case 0:
		return "[1]"
	case 1:
		return `[{"ChannelType":"SMS"}]`
	case 2:
		return "{}"
	case 3:
		return "{ }"
	}
	return "{" + strings.Join(m, sep) + "}"
}

// referenceStats decodes a stream the way AddStream did before the fast
// scanner: encoding/json into endpointLine.
func referenceStats(t *testing.T, stream string) (*EndpointStats, int64, error) {
	t.Helper()
	b := NewStatsBuilder()
	n, err := b.addStreamDecoder(strings.NewReader(stream), 0, 0, 0)
	s, rerr := b.Result()
	if rerr != nil {
		t.Fatal(rerr)
	}
	return s, n, err
}

func sameStats(t *testing.T, what string, got, want *EndpointStats, gotN, wantN int64, gotErr, wantErr error) {
	t.Helper()
	if gotN != wantN || fmt.Sprint(gotErr) != fmt.Sprint(wantErr) {
		t.Errorf("%s: n, err = %d, %v; encoding/json says %d, %v", what, gotN, gotErr, wantN, wantErr)
	}
	if !reflect.DeepEqual(got, want) {
		g, _ := json.MarshalIndent(got, "", " ")
		w, _ := json.MarshalIndent(want, "", " ")
		t.Errorf("%s: stats differ\nfast: %s\njson: %s", what, g, w)
	}
}

// TestAddStreamMatchesDecoder checks the fast scanner against
// encoding/json on generated streams, read whole, in small pieces and one
// byte at a time, with and without a syntax error, a truncation or a read
// error somewhere.
func TestAddStreamMatchesDecoder(t *testing.T) {
	readers := map[string]func(io.Reader) io.Reader{
		"whole":   func(r io.Reader) io.Reader { return r },
		"half":    iotest.HalfReader,
		"onebyte": iotest.OneByteReader,
	}
	for seed := range 40 {
		rng := rand.New(rand.NewPCG(uint64(seed), 7))
		var vals []string
		for i := range 200 {
			vals = append(vals, genEndpoint(rng, i))
		}
		stream := strings.Join(vals, "\n") + "\n"
		switch seed % 8 {
		case 1: // a syntax error in the middle
			k := rng.IntN(len(vals))
			vals[k] = vals[k][:len(vals[k])/2] + "}}"
			stream = strings.Join(vals, "\n")
		case 2: // truncated
			stream = stream[:rng.IntN(len(stream))]
		case 3: // values with no separator, and a top-level scalar
			stream = strings.Join(vals[:100], "") + " null " + strings.Join(vals[100:], "\r\n")
		case 4: // a control character inside a string
			stream = strings.Replace(stream, `"ep-150"`, "\"ep\x01150\"", 1)
		case 5: // invalid UTF-8 in a user id and an attribute name
			stream = strings.Replace(stream, `"user-1"`, "\"user-\xff1\"", -1)
			stream = strings.Replace(stream, `"Plan"`, "\"Pl\xc3an\"", -1)
		case 6: // trailing garbage after the last value
			stream += `{"ChannelType":"SMS"} x`
		}
		want, wantN, wantErr := referenceStats(t, stream)
		for name, wrap := range readers {
			b := NewStatsBuilder()
			n, err := b.AddStream(wrap(strings.NewReader(stream)))
			got, rerr := b.Result()
			if rerr != nil {
				t.Fatal(rerr)
			}
			sameStats(t, fmt.Sprintf("seed %d, %s reads", seed, name), got, want, n, wantN, err, wantErr)
		}
		// A read error partway: both paths see the same bytes, then the error.
		cut := rng.IntN(len(stream) + 1)
		readErr := errors.New("connection reset")
		mk := func() io.Reader {
			return io.MultiReader(strings.NewReader(stream[:cut]), iotest.ErrReader(readErr))
		}
		ref := NewStatsBuilder()
		wantN, wantErr = ref.addStreamDecoder(mk(), 0, 0, 0)
		want, _ = ref.Result()
		b := NewStatsBuilder()
		n, err := b.AddStream(mk())
		got, _ := b.Result()
		sameStats(t, fmt.Sprintf("seed %d, read error at %d", seed, cut), got, want, n, wantN, err, wantErr)
	}
}

func TestSimpleEmailAgreesWithValidAddress(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	alphabet := "ab.@+-_!#~|{}\"() <>[]:;,\\é1"
	for range 200000 {
		var sb strings.Builder
		for range 1 + rng.IntN(10) {
			sb.WriteByte(alphabet[rng.IntN(len(alphabet))])
		}
		a := sb.String()
		if simpleEmail([]byte(a)) && !ValidAddress("EMAIL", a) {
			t.Fatalf("simpleEmail(%q) but ValidAddress says no", a)
		}
		for _, ch := range []string{"EMAIL", "SMS", "GCM", ""} {
			if validAddressBytes([]byte(ch), []byte(a)) != ValidAddress(ch, a) {
				t.Fatalf("validAddressBytes(%s, %q) != ValidAddress", ch, a)
			}
		}
	}
}

func TestValueTypeBytes(t *testing.T) {
	for _, v := range []string{"", "1", "+1", "-1", ".5", "1e5", "Inf", "-inf", "infinity", "NaN", "nan", "0x1p-2", "1_0", "_1",
		"true", "false", "True", "2024-01-02", "2024-01-02T03:04:05Z", "2024-01-0x", "abcd-ef-ghij", "hiking", "日本語", " 1"} {
		if got, want := valueTypeBytes([]byte(v)), valueType(v); got != want {
			t.Errorf("valueTypeBytes(%q) = %s, valueType says %s", v, typeNames[got], typeNames[want])
		}
	}
}
