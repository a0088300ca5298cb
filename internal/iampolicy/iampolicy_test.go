package iampolicy

import (
	"context"
	"encoding/json"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/p2c/p2c/internal/emulator"
	"github.com/p2c/p2c/internal/emulator/demoseed"
	"github.com/p2c/p2c/internal/emulator/emutest"
	"github.com/p2c/p2c/internal/source/live"
)

// TestScanPolicyMatchesCalls: the scan policy allows exactly the actions
// of the calls a scan of the demo account sends to the emulator.
func TestScanPolicyMatchesCalls(t *testing.T) {
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
		CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("p2c-policy-exports")}); err != nil {
		t.Fatal(err)
	}
	before := emu.Calls()
	if _, err := live.Scan(ctx, cfg, live.Options{
		Regions:         []string{"us-east-1", "eu-west-1"},
		ExportEndpoints: "s3://p2c-policy-exports/p2c", ExportRoleARN: "arn:aws:iam::111122223333:role/export",
		ExportPoll: 20 * time.Millisecond, ExportTimeout: 10 * time.Second, MaxBackoff: 50 * time.Millisecond,
		Now: func() time.Time { return time.Date(2026, 9, 1, 8, 0, 0, 0, time.UTC) },
	}); err != nil {
		t.Fatal(err)
	}
	sent := map[string]bool{}
	for call, n := range emu.Calls() {
		if n > before[call] {
			a, err := Action(call)
			if err != nil {
				t.Fatal(err)
			}
			sent[a] = true
		}
	}
	want := []string{"iam:PassRole"} // the export job hands Pinpoint the role
	for a := range sent {
		want = append(want, a)
	}
	sort.Strings(want)

	doc, err := Build("scan")
	if err != nil {
		t.Fatal(err)
	}
	if got := doc.Actions(); !reflect.DeepEqual(got, want) {
		t.Errorf("scan policy actions:\n got %s\nwant %s", strings.Join(got, " "), strings.Join(want, " "))
	}
	for _, s := range doc.Statement {
		if s.Action[0] == "iam:PassRole" && s.Condition["StringEquals"]["iam:PassedToService"] != "mobiletargeting.amazonaws.com" {
			t.Errorf("PassRole without the PassedToService condition: %+v", s)
		}
	}
}

func TestBuildShape(t *testing.T) {
	for _, p := range Purposes {
		doc, err := Build(p)
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		if doc.Version != "2012-10-17" || len(doc.Statement) == 0 {
			t.Fatalf("%s: %+v", p, doc)
		}
		prefixes := map[string]bool{}
		for _, s := range doc.Statement {
			if !sort.StringsAreSorted(s.Action) {
				t.Errorf("%s: %s actions not sorted: %v", p, s.Sid, s.Action)
			}
			prefix, _, _ := strings.Cut(s.Action[0], ":")
			if prefixes[prefix] {
				t.Errorf("%s: two statements for %s", p, prefix)
			}
			prefixes[prefix] = true
			for _, a := range s.Action {
				if !strings.HasPrefix(a, prefix+":") || strings.Contains(a, "*") {
					t.Errorf("%s: statement %s holds %s", p, s.Sid, a)
				}
			}
		}
		if _, err := json.Marshal(doc); err != nil {
			t.Fatal(err)
		}
	}
	all, _ := Build("all")
	have := map[string]bool{}
	for _, a := range all.Actions() {
		have[a] = true
	}
	for _, p := range []string{"scan", "apply", "rollback"} {
		d, _ := Build(p)
		for _, a := range d.Actions() {
			if !have[a] {
				t.Errorf("all lacks %s of %s", a, p)
			}
		}
	}
	for _, a := range []string{"s3:ListBucket", "s3:GetObject", "mobiletargeting:GetApps", "sms-voice:DescribePools"} {
		if !have[a] {
			t.Errorf("all lacks %s", a)
		}
	}
	if _, err := Build("deploy"); err == nil {
		t.Error("unknown purpose accepted")
	}
}
