package live

import (
	"context"
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/p2c/p2c/internal/emulator"
	"github.com/p2c/p2c/internal/emulator/emutest"
)

// synthSize is the shape of a synthetic account.
type synthSize struct {
	apps, segments, campaigns, journeys, templates int
}

// syntheticSeed builds an account of s.apps apps, each with s.segments
// segments, s.campaigns campaigns and s.journeys journeys, plus
// s.templates templates of two versions each. Campaigns and journeys
// point at segments and templates, so references resolve as in a real
// account.
func syntheticSeed(s synthSize) *emulator.Seed {
	type M = map[string]any
	var calls []emulator.Call
	add := func(op string, in M, save string) {
		c := emulator.Call{Service: "pinpoint", Operation: op, Input: in}
		if save != "" {
			c.Save = map[string]string{save: "Id"}
		}
		calls = append(calls, c)
	}
	tmpl := func(i int) string { return fmt.Sprintf("tmpl-%04d", i) }
	for t := range s.templates {
		if t%4 == 3 {
			add("CreateSmsTemplate", M{"TemplateName": tmpl(t), "SMSTemplateRequest": M{"Body": "Code {{Attributes.code}} v1"}}, "")
			add("UpdateSmsTemplate", M{"TemplateName": tmpl(t), "CreateNewVersion": true,
				"SMSTemplateRequest": M{"Body": "Your code is {{Attributes.code}}"}}, "")
			continue
		}
		add("CreateEmailTemplate", M{"TemplateName": tmpl(t), "EmailTemplateRequest": M{
			"Subject": "Hello {{User.UserAttributes.FirstName}}", "HtmlPart": "<p>Version 1 of " + tmpl(t) + "</p>"}}, "")
		add("UpdateEmailTemplate", M{"TemplateName": tmpl(t), "CreateNewVersion": true, "EmailTemplateRequest": M{
			"Subject": "Hi {{User.UserAttributes.FirstName}}", "HtmlPart": "<p>Version 2 of " + tmpl(t) + "</p>"}}, "")
	}
	for a := range s.apps {
		app := fmt.Sprintf("app%d", a)
		add("CreateApp", M{"CreateApplicationRequest": M{"Name": "synthetic " + app, "tags": M{"team": "t" + strconv.Itoa(a%3)}}}, app)
		appID := "${" + app + "}"
		for g := range s.segments {
			add("CreateSegment", M{"ApplicationId": appID, "WriteSegmentRequest": M{
				"Name": fmt.Sprintf("segment %d", g),
				"Dimensions": M{"Demographic": M{"Channel": M{"DimensionType": "INCLUSIVE", "Values": []any{"EMAIL"}}},
					"Attributes": M{"plan": M{"AttributeType": "INCLUSIVE", "Values": []any{fmt.Sprintf("p%d", g)}}}},
			}}, fmt.Sprintf("%s.seg%d", app, g))
		}
		seg := func(i int) string { return fmt.Sprintf("${%s.seg%d}", app, i%max(s.segments, 1)) }
		for c := range s.campaigns {
			add("CreateCampaign", M{"ApplicationId": appID, "WriteCampaignRequest": M{
				"Name": fmt.Sprintf("campaign %d", c), "SegmentId": seg(c), "SegmentVersion": 1,
				"Schedule":              M{"StartTime": "2026-09-09T16:00:00Z", "Frequency": "WEEKLY", "EndTime": "2027-09-09T16:00:00Z"},
				"TemplateConfiguration": M{"EmailTemplate": M{"Name": tmpl((c * 4) % max(s.templates, 1))}},
			}}, "")
		}
		for j := range s.journeys {
			add("CreateJourney", M{"ApplicationId": appID, "WriteJourneyRequest": M{
				"Name": fmt.Sprintf("journey %d", j), "StartActivity": "send",
				"StartCondition": M{"SegmentStartCondition": M{"SegmentId": seg(j)}},
				"Activities": M{
					"send": M{"EMAIL": M{"TemplateName": tmpl((j * 4) % max(s.templates, 1)), "NextActivity": "wait"}},
					"wait": M{"Wait": M{"WaitTime": M{"WaitFor": "P1D"}}},
				},
			}}, "")
		}
	}
	return &emulator.Seed{SeedVersion: emulator.SeedVersion, Region: "us-east-1", Calls: calls}
}

// benchSize is the full account of the performance brief, or a tenth of
// it with -short; P2C_SCAN_BENCH_SIZE=apps,segments,campaigns,journeys,templates
// sets any other.
func benchSize(b *testing.B) synthSize {
	if v := os.Getenv("P2C_SCAN_BENCH_SIZE"); v != "" {
		var s synthSize
		if _, err := fmt.Sscanf(v, "%d,%d,%d,%d,%d", &s.apps, &s.segments, &s.campaigns, &s.journeys, &s.templates); err != nil {
			b.Fatalf("P2C_SCAN_BENCH_SIZE=%q: want apps,segments,campaigns,journeys,templates: %v", v, err)
		}
		return s
	}
	if testing.Short() {
		return synthSize{apps: 2, segments: 20, campaigns: 10, journeys: 5, templates: 50}
	}
	return synthSize{apps: 20, segments: 200, campaigns: 100, journeys: 50, templates: 500}
}

// BenchmarkScanSyntheticAccount scans a large synthetic account with the
// real per-operation quotas on and 20 ms of latency per request, and
// compares the wall time with the least time those allow:
//
//	go test -run x -bench ScanSynthetic -benchtime 1x ./internal/source/live         # full: minutes
//	go test -run x -bench ScanSynthetic -benchtime 1x -short ./internal/source/live  # a tenth
//
// The lower bound is the larger of two: the busiest operation's answered
// calls over its quota, and every answered call's latency spread over the
// scan's requests in flight. x-quota-min is wall time over the first (the
// goal is at most 1.3), x-lower-bound over the larger of the two.
func BenchmarkScanSyntheticAccount(b *testing.B) {
	size := benchSize(b)
	const latency = 20 * time.Millisecond
	emu := emulator.New(emulator.Options{})
	start := time.Now()
	if _, err := emu.Apply(syntheticSeed(size)); err != nil {
		b.Fatal(err)
	}
	b.Logf("seeded %+v in %s", size, time.Since(start).Round(time.Millisecond))
	cfg := emutest.Config(emutest.Serve(b, emu.Server))
	now := time.Date(2026, 9, 1, 12, 0, 0, 0, time.UTC)
	opts := Options{Now: func() time.Time { return now }}
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		before := emu.Calls()
		// Fresh token buckets for every run.
		emu.SetOptions(emulator.Options{Quotas: true, Latency: latency})
		b.StartTimer()
		t0, cpu0 := time.Now(), cpuTime()
		inv, err := Scan(context.Background(), cfg, opts)
		wall, cpu := time.Since(t0), cpuTime()-cpu0
		b.StopTimer()
		emu.SetOptions(emulator.Options{})
		if err != nil {
			b.Fatal(err)
		}
		if got := len(inv.Regions[0].Apps); got != size.apps {
			b.Fatalf("scanned %d apps, want %d", got, size.apps)
		}
		if len(inv.Warnings) > 0 {
			b.Fatalf("%d warnings, first: %+v", len(inv.Warnings), inv.Warnings[0])
		}
		conc := opts.Concurrency
		if conc <= 0 {
			conc = DefaultConcurrency
		}
		bound := quotaBound(b, emu, before, emu.Calls(), latency, conc)
		b.ReportMetric(wall.Seconds(), "wall-s")
		b.ReportMetric(bound.quota.Seconds(), "quota-min-s")
		b.ReportMetric(bound.latency.Seconds(), "latency-min-s")
		b.ReportMetric(wall.Seconds()/bound.quota.Seconds(), "x-quota-min")
		b.ReportMetric(wall.Seconds()/max(bound.quota, bound.latency).Seconds(), "x-lower-bound")
		b.ReportMetric(float64(bound.calls), "calls")
		b.ReportMetric(float64(bound.calls)/wall.Seconds(), "calls/s")
		// Client and emulator share this process: CPU per call shows when
		// the machine, not the quotas, is the limit.
		b.ReportMetric(float64(cpu.Microseconds())/float64(bound.calls), "cpu-us/call")
		b.StartTimer()
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

type bounds struct {
	quota, latency time.Duration
	calls          int
}

// quotaBound computes the least scan time from the calls answered between
// two snapshots of the emulator's counters.
func quotaBound(b *testing.B, emu *emulator.Emulator, before, after map[string]int, latency time.Duration, conc int) bounds {
	type opCount struct {
		op    string
		n     int
		quota float64
	}
	var ops []opCount
	var out bounds
	for k, n := range after {
		n -= before[k]
		if n <= 0 {
			continue
		}
		out.calls += n
		svc, op, _ := strings.Cut(k, ":")
		var q float64
		switch svc {
		case "mobiletargeting":
			q = emu.Pinpoint.Quota(op)
		case "sms-voice":
			q = emu.SMSVoice.Quota(op)
		}
		ops = append(ops, opCount{k, n, q})
		if q > 0 {
			out.quota = max(out.quota, time.Duration(float64(n)/q*float64(time.Second)))
		}
	}
	out.latency = time.Duration(int64(out.calls) * int64(latency) / int64(conc))
	sort.Slice(ops, func(i, j int) bool { return float64(ops[i].n)/ops[i].quota > float64(ops[j].n)/ops[j].quota })
	var top []string
	for _, o := range ops[:min(len(ops), 6)] {
		top = append(top, fmt.Sprintf("%s %d (%.0f/s)", o.op, o.n, o.quota))
	}
	b.Logf("%d calls over %d operations; busiest against quota: %s", out.calls, len(ops), strings.Join(top, ", "))
	return out
}
