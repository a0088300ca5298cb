package inventory

import (
	"bufio"
	"compress/gzip"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
	"testing"
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
// builder. Run at two sizes, e.g.
//
//	go test -run x -bench EndpointStats -benchmem ./internal/inventory
//
// heap-MB (live heap after the stream, builder still alive) stays flat
// while endpoints grow tenfold: nothing per endpoint is retained beyond
// the fixed user-id buffer, which spills to disk.
func BenchmarkEndpointStats(b *testing.B) {
	for _, n := range []int{300_000, 1_000_000} {
		b.Run(fmt.Sprintf("endpoints=%d", n), func(b *testing.B) {
			path := b.TempDir() + "/export.gz"
			writeExport(b, path, n)
			b.ResetTimer()
			var heapMB float64
			start := time.Now()
			for i := 0; i < b.N; i++ {
				f, err := os.Open(path)
				if err != nil {
					b.Fatal(err)
				}
				zr, err := gzip.NewReader(f)
				if err != nil {
					b.Fatal(err)
				}
				sb := NewStatsBuilder()
				sb.tmpDir = b.TempDir()
				got, err := sb.AddStream(bufio.NewReaderSize(zr, 64<<10))
				if err != nil || got != int64(n) {
					b.Fatalf("AddStream = %d, %v", got, err)
				}
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
			b.ReportMetric(float64(n)*float64(b.N)/time.Since(start).Seconds(), "endpoints/s")
			b.ReportMetric(heapMB, "heap-MB")
		})
	}
}
