package profiles

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/klauspost/compress/gzip"
)

// genExport writes n realistic endpoint export lines: about 10% of users
// have 2–4 endpoints, an email/SMS/push mix, 3–6 attributes, metrics,
// location and demographics, 2% opted out. The same n and seed give the
// same bytes.
func genExport(w io.Writer, n int, seed uint64) error {
	r := rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15))
	bw := bufio.NewWriterSize(w, 1<<20)
	interests := []string{"sports", "music", "travel", "food", "books", "movies", "tech", "fashion", "games", "art"}
	cities := []struct{ city, country, region, zip string }{
		{"Seattle", "US", "WA", "98101"}, {"Austin", "US", "TX", "73301"}, {"Paris", "FR", "IDF", "75001"},
		{"Berlin", "DE", "BE", "10115"}, {"Toronto", "CA", "ON", "M5H"},
	}
	platforms := []string{"ios", "android", "web"}
	user := 0
	left := 0 // endpoints left for the current user
	for i := 0; i < n; i++ {
		if left == 0 {
			user++
			left = 1
			if r.IntN(10) == 0 {
				left = 2 + r.IntN(3)
			}
		}
		left--
		var ch, addr string
		switch k := r.IntN(10); {
		case k < 5:
			ch, addr = "EMAIL", fmt.Sprintf("user%d.%d@example.com", user, left)
		case k < 8:
			ch, addr = "SMS", fmt.Sprintf("+1206555%04d", (user*7+left)%10000)
		default:
			ch, addr = "GCM", fmt.Sprintf("tok%016x", r.Uint64())
		}
		optOut := "NONE"
		if r.IntN(50) == 0 {
			optOut = "ALL"
		}
		status := "ACTIVE"
		if r.IntN(20) == 0 {
			status = "INACTIVE"
		}
		c := cities[r.IntN(len(cities))]
		fmt.Fprintf(bw, `{"ApplicationId":"0123456789abcdef0123456789abcdef","Id":"ep-%d","ChannelType":"%s","Address":"%s","EndpointStatus":"%s","OptOut":"%s",`,
			i, ch, addr, status, optOut)
		fmt.Fprintf(bw, `"EffectiveDate":"2024-%02d-%02dT%02d:00:00.000Z","CreationDate":"2023-01-01T00:00:00.000Z","CohortId":"%d","RequestId":"req-%d",`,
			1+r.IntN(12), 1+r.IntN(28), r.IntN(24), r.IntN(100), i)
		bw.WriteString(`"Attributes":{`)
		na := 3 + r.IntN(4)
		for a := 0; a < na; a++ {
			if a > 0 {
				bw.WriteByte(',')
			}
			fmt.Fprintf(bw, `"attr%d":["%s","%s"]`, a, interests[r.IntN(len(interests))], interests[r.IntN(len(interests))])
		}
		fmt.Fprintf(bw, `},"Metrics":{"sessions":%d,"purchases":%d.5},`, r.IntN(100), r.IntN(10))
		fmt.Fprintf(bw, `"Location":{"City":"%s","Country":"%s","Region":"%s","PostalCode":"%s","Latitude":47.6,"Longitude":-122.3},`, c.city, c.country, c.region, c.zip)
		fmt.Fprintf(bw, `"Demographic":{"Platform":"%s","Locale":"en_US","AppVersion":"1.%d","Timezone":"America/Los_Angeles"},`, platforms[r.IntN(3)], r.IntN(9))
		fmt.Fprintf(bw, `"User":{"UserId":"user-%d","UserAttributes":{"plan":["%s"],"tier":["gold"]}}}`+"\n", user, []string{"free", "pro"}[r.IntN(2)])
	}
	return bw.Flush()
}

// benchExport returns a gzip export of n endpoints, generated once per n
// into os.TempDir and reused.
func benchExport(tb testing.TB, n int) string {
	tb.Helper()
	path := filepath.Join(os.TempDir(), fmt.Sprintf("p2c-transform-bench-%d.jsonl.gz", n))
	if _, err := os.Stat(path); err == nil {
		return path
	}
	tmp := path + ".tmp" + strconv.Itoa(os.Getpid())
	f, err := os.Create(tmp)
	if err != nil {
		tb.Fatal(err)
	}
	zw, _ := gzip.NewWriterLevel(f, gzip.DefaultCompression)
	if err := genExport(zw, n, 1); err != nil {
		tb.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		tb.Fatal(err)
	}
	if err := f.Close(); err != nil {
		tb.Fatal(err)
	}
	if err := os.Rename(tmp, path); err != nil {
		tb.Fatal(err)
	}
	return path
}

func benchSize() int {
	if s := os.Getenv("P2C_TRANSFORM_BENCH_SIZE"); s != "" {
		if n, err := strconv.Atoi(s); err == nil && n > 0 {
			return n
		}
	}
	return 100000
}

// heapSampler records the peak of HeapInuse while it runs.
type heapSampler struct {
	peak atomic.Uint64
	stop chan struct{}
	wg   sync.WaitGroup
}

func startHeapSampler() *heapSampler {
	s := &heapSampler{stop: make(chan struct{})}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		tick := time.NewTicker(20 * time.Millisecond)
		defer tick.Stop()
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			if ms.HeapInuse > s.peak.Load() {
				s.peak.Store(ms.HeapInuse)
			}
			select {
			case <-s.stop:
				return
			case <-tick.C:
			}
		}
	}()
	return s
}

func (s *heapSampler) done() float64 {
	close(s.stop)
	s.wg.Wait()
	return float64(s.peak.Load()) / (1 << 20)
}

// BenchmarkTransform transforms P2C_TRANSFORM_BENCH_SIZE endpoints
// (default 100,000) and reports endpoints/s and the peak heap in use.
func BenchmarkTransform(b *testing.B) {
	n := benchSize()
	path := benchExport(b, n)
	b.ResetTimer()
	var peak float64
	for i := 0; i < b.N; i++ {
		out := b.TempDir()
		runtime.GC()
		s := startHeapSampler()
		sum, err := Transform(context.Background(), TransformOptions{From: []string{path}, Out: out})
		p := s.done()
		if err != nil {
			b.Fatal(err)
		}
		if sum.Lines != int64(n) {
			b.Fatalf("lines = %d, want %d", sum.Lines, n)
		}
		peak = max(peak, p)
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "endpoints/s")
	b.ReportMetric(peak, "peak-heap-MB")
}

// BenchmarkZcat is the decompression floor of the same file.
func BenchmarkZcat(b *testing.B) {
	if _, err := exec.LookPath("zcat"); err != nil {
		b.Skip("zcat is not on PATH")
	}
	n := benchSize()
	path := benchExport(b, n)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		cmd := exec.Command("sh", "-c", `zcat "$1" > /dev/null`, "sh", path)
		if out, err := cmd.CombinedOutput(); err != nil {
			b.Fatalf("zcat: %v\n%s", err, out)
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "endpoints/s")
}

// BenchmarkJq is the least jq can do for the same job: a streaming
// projection of each line onto its profile key.
func BenchmarkJq(b *testing.B) {
	benchJq(b, "", `select(.Id) | {k:(.User.UserId // .Id), id:.Id, ch:.ChannelType, a:.Address}`)
}

// benchJq runs zcat | jq -c FLAG PROGRAM over the benchmark export.
func benchJq(b *testing.B, flag, program string) {
	for _, tool := range []string{"zcat", "jq"} {
		if _, err := exec.LookPath(tool); err != nil {
			b.Skip(tool + " is not on PATH")
		}
	}
	n := benchSize()
	path := benchExport(b, n)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		cmd := exec.Command("sh", "-c", `zcat "$1" | jq -c `+flag+` "$2" > /dev/null`, "sh", path, program)
		if out, err := cmd.CombinedOutput(); err != nil {
			b.Fatalf("jq: %v\n%s", err, out)
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "endpoints/s")
}

// jqGroup is the nearest jq one-liner to the transform: one object per
// user (else endpoint) with its endpoint ids, the first opted-in active
// email and SMS address, the opted-out channels and the merged attributes.
// It does less than the transform (no phone or email validation, no
// duplicate detection, no rejects) and holds every endpoint in memory,
// since jq cannot group a stream (-s reads every endpoint first).
const jqGroup = `group_by(.User.UserId // .Id)[]
 | {ProfileKey: (.[0].User.UserId // .[0].Id), EndpointIds: ([.[].Id] | sort),
    EmailAddress: ([.[] | select(.ChannelType == "EMAIL" and .OptOut != "ALL" and .EndpointStatus != "INACTIVE") | .Address] | first),
    MobilePhoneNumber: ([.[] | select(.ChannelType == "SMS" and .OptOut != "ALL" and .EndpointStatus != "INACTIVE") | .Address] | first),
    OptedOut: ([.[] | select(.OptOut == "ALL") | .ChannelType] | unique),
    Attributes: ([.[] | (.Attributes // {}) + (.User.UserAttributes // {}) | map_values(join(","))] | add)}`

// BenchmarkJqGroup runs jqGroup on the benchmark export (compare with
// BenchmarkTransform; BenchmarkJq is a streaming projection, a floor no
// grouping tool can beat).
func BenchmarkJqGroup(b *testing.B) { benchJq(b, "-s", jqGroup) }
