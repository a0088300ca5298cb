package live

import (
	"context"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/p2c/p2c/internal/emulator"
	"github.com/p2c/p2c/internal/emulator/demoseed"
	"github.com/p2c/p2c/internal/emulator/emutest"
)

// TestOperationsMatchScan: the calls a scan of the demo account (with an
// endpoint export and KPIs) sends are exactly Operations().
func TestOperationsMatchScan(t *testing.T) {
	if testing.Short() {
		t.Skip("scans the demo account: skipped with -short")
	}
	emu := emulator.New(emulator.Options{})
	if _, err := emu.Apply(demoseed.Demo()); err != nil {
		t.Fatal(err)
	}
	url := emutest.Serve(t, emu.Server)
	cfg := emutest.Config(url)
	ctx := context.Background()
	if _, err := s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = true }).
		CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("p2c-ops-exports")}); err != nil {
		t.Fatal(err)
	}
	before := emu.Calls()
	_, err := Scan(ctx, cfg, Options{
		Regions:         []string{"us-east-1", "eu-west-1"},
		ExportEndpoints: "s3://p2c-ops-exports/p2c", ExportRoleARN: "arn:aws:iam::111122223333:role/export",
		ExportPoll: 20 * time.Millisecond, ExportTimeout: 10 * time.Second, MaxBackoff: 50 * time.Millisecond,
		Now: func() time.Time { return time.Date(2026, 9, 1, 8, 0, 0, 0, time.UTC) },
	})
	if err != nil {
		t.Fatal(err)
	}
	sent := map[string]bool{}
	for k, n := range emu.Calls() {
		if n > before[k] {
			sent[k] = true
		}
	}
	listed := map[string]bool{}
	for _, op := range Operations() {
		listed[op] = true
	}
	var missing, unused []string
	for op := range sent {
		if !listed[op] {
			missing = append(missing, op)
		}
	}
	for op := range listed {
		if !sent[op] {
			unused = append(unused, op)
		}
	}
	sort.Strings(missing)
	sort.Strings(unused)
	if len(missing) > 0 {
		t.Errorf("the scan sent calls Operations() lacks: %s", strings.Join(missing, ", "))
	}
	if len(unused) > 0 {
		t.Errorf("Operations() lists calls the scan never sent: %s", strings.Join(unused, ", "))
	}
}
