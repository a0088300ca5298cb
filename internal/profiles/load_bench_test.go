package profiles

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/p2c/p2c/internal/emulator"
)

// BenchmarkLoadAPI loads N one-endpoint records (P2C_LOAD_BENCH_SIZE,
// default 2000) into an emulator enforcing Customer Profiles' real
// request-rate quotas (100/s for PutProfileObject, SearchProfiles and
// UpdateProfile) and reports the PutProfileObject rate achieved, as a share
// of the quota. Every profile must land exactly once.
func BenchmarkLoadAPI(b *testing.B) {
	n := 2000
	if v := os.Getenv("P2C_LOAD_BENCH_SIZE"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil || n < 1 {
			b.Fatalf("P2C_LOAD_BENCH_SIZE=%q", v)
		}
	}
	recs := testRecords(n)
	for i := range recs {
		recs[i].Objects = recs[i].Objects[:1]
		recs[i].EndpointIds = recs[i].EndpointIds[:1]
	}
	dir := b.TempDir()
	writeTestRecords(b, filepath.Join(dir, "profiles.jsonl.gz"), recs)
	const quota = 100.0
	var puts int64
	var secs float64
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		env := newLoadEnv(b)
		env.emu.SetOptions(emulator.Options{Quotas: true}) // after the 1/s setup calls
		opts := env.opts(dir, dir)
		opts.JournalDir = filepath.Join(dir, fmt.Sprintf("journal-%d", i))
		opts.Rate = quota
		b.StartTimer()
		sum, err := Load(context.Background(), opts)
		b.StopTimer()
		if err != nil {
			b.Fatal(err)
		}
		if sum.Failed != 0 || sum.Loaded != int64(n) {
			b.Fatalf("loaded %d of %d, %d failed: %+v", sum.Loaded, n, sum.Failed, sum.Failures[:min(5, len(sum.Failures))])
		}
		env.checkDomain(b, recs, true) // zero lost, zero duplicated
		puts += sum.Calls["PutProfileObject"]
		secs += sum.Seconds
		b.ReportMetric(float64(sum.Throttled["PutProfileObject"]), "throttled/op")
	}
	rate := float64(puts) / secs
	b.ReportMetric(rate, "PutProfileObject/s")
	b.ReportMetric(100*rate/quota, "pct-of-quota")
}
