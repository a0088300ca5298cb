package pinpoint_test

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/service/pinpoint"
	"github.com/aws/aws-sdk-go-v2/service/pinpoint/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/p2c/p2c/internal/awsmodel"
	"github.com/p2c/p2c/internal/emulator"
	"github.com/p2c/p2c/internal/emulator/emutest"
)

// fakeAuth routes a plain net/http request to Pinpoint: the emulator reads
// only the credential scope.
const fakeAuth = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261130/us-east-1/mobiletargeting/aws4_request, SignedHeaders=host, Signature=0"

var ctx = context.Background()

type env struct {
	t   *testing.T
	e   *emulator.Emulator
	url string
	pp  *pinpoint.Client
}

func newEnv(t *testing.T, opts emulator.Options) *env {
	t.Helper()
	e := emulator.New(opts)
	url := emutest.Serve(t, e.Server)
	t.Cleanup(func() { noteCalls(e) })
	return &env{t: t, e: e, url: url, pp: pinpoint.NewFromConfig(emutest.Config(url))}
}

// noRetry is a client that reports the first answer, so that injected
// throttling and server errors reach the test.
func (v *env) noRetry() *pinpoint.Client {
	return pinpoint.NewFromConfig(emutest.Config(v.url), func(o *pinpoint.Options) {
		o.Retryer = retry.AddWithMaxAttempts(retry.NewStandard(), 1)
	})
}

func (v *env) s3() *s3.Client {
	return s3.NewFromConfig(emutest.Config(v.url), func(o *s3.Options) { o.UsePathStyle = true })
}

func (v *env) bucket(name string) {
	v.t.Helper()
	if _, err := v.s3().CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(name)}); err != nil {
		var owned *s3types.BucketAlreadyOwnedByYou
		if !errors.As(err, &owned) {
			v.t.Fatalf("create bucket %s: %v", name, err)
		}
	}
}

// raw sends an unsigned-but-scoped request and returns status and body.
func (v *env) raw(method, path, body string) (int, http.Header, string) {
	v.t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, v.url+path, rd)
	if err != nil {
		v.t.Fatal(err)
	}
	req.Header.Set("Authorization", fakeAuth)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		v.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		v.t.Fatal(err)
	}
	return resp.StatusCode, resp.Header, string(b)
}

func (v *env) app(name string) string {
	v.t.Helper()
	out, err := v.pp.CreateApp(ctx, &pinpoint.CreateAppInput{CreateApplicationRequest: &types.CreateApplicationRequest{Name: aws.String(name)}})
	if err != nil {
		v.t.Fatalf("create app %s: %v", name, err)
	}
	return aws.ToString(out.ApplicationResponse.Id)
}

func (v *env) segment(appID, name string) *types.SegmentResponse {
	v.t.Helper()
	out, err := v.pp.CreateSegment(ctx, &pinpoint.CreateSegmentInput{ApplicationId: aws.String(appID), WriteSegmentRequest: &types.WriteSegmentRequest{
		Name: aws.String(name),
		Dimensions: &types.SegmentDimensions{Demographic: &types.SegmentDemographics{
			Channel: &types.SetDimension{DimensionType: types.DimensionTypeInclusive, Values: []string{"SMS"}}}},
	}})
	if err != nil {
		v.t.Fatalf("create segment %s: %v", name, err)
	}
	return out.SegmentResponse
}

func (v *env) campaign(appID, segID, name string) *types.CampaignResponse {
	v.t.Helper()
	out, err := v.pp.CreateCampaign(ctx, &pinpoint.CreateCampaignInput{ApplicationId: aws.String(appID), WriteCampaignRequest: &types.WriteCampaignRequest{
		Name: aws.String(name), SegmentId: aws.String(segID),
		Schedule:             &types.Schedule{StartTime: aws.String("2030-01-01T10:00:00Z"), Frequency: types.FrequencyOnce},
		MessageConfiguration: &types.MessageConfiguration{SMSMessage: &types.CampaignSmsMessage{Body: aws.String("hi"), MessageType: types.MessageTypeTransactional}},
	}})
	if err != nil {
		v.t.Fatalf("create campaign %s: %v", name, err)
	}
	return out.CampaignResponse
}

func (v *env) journey(appID, name string) *types.JourneyResponse {
	v.t.Helper()
	out, err := v.pp.CreateJourney(ctx, &pinpoint.CreateJourneyInput{ApplicationId: aws.String(appID), WriteJourneyRequest: &types.WriteJourneyRequest{
		Name: aws.String(name), StartActivity: aws.String("wait"),
		Activities: map[string]types.Activity{"wait": {Wait: &types.WaitActivity{WaitTime: &types.WaitTime{WaitFor: aws.String("PT1H")}}}},
	}})
	if err != nil {
		v.t.Fatalf("create journey %s: %v", name, err)
	}
	return out.JourneyResponse
}

func (v *env) smsTemplate(name string) string {
	v.t.Helper()
	out, err := v.pp.CreateSmsTemplate(ctx, &pinpoint.CreateSmsTemplateInput{TemplateName: aws.String(name),
		SMSTemplateRequest: &types.SMSTemplateRequest{Body: aws.String("Hello {{User.UserAttributes.FirstName}}")}})
	if err != nil {
		v.t.Fatalf("create sms template %s: %v", name, err)
	}
	return aws.ToString(out.CreateTemplateMessageBody.Arn)
}

// wantErr checks that err is the typed SDK error T and returns it.
func wantErr[T error](t *testing.T, err error, what string) T {
	t.Helper()
	var target T
	if err == nil {
		t.Fatalf("%s: got no error, want %T", what, target)
	}
	if !errors.As(err, &target) {
		t.Fatalf("%s: got %v, want %T", what, err, target)
	}
	return target
}

func must(t *testing.T, err error, what string) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// collect pages through a list with page size size ("" for the default)
// and returns the ids in order, failing on duplicates.
func collect(t *testing.T, what, size string, page func(size, token *string) ([]string, *string, error)) []string {
	t.Helper()
	var ps *string
	if size != "" {
		ps = &size
	}
	var ids []string
	seen := map[string]bool{}
	var tok *string
	for calls := 0; ; calls++ {
		if calls > 1000 {
			t.Fatalf("%s: more than 1000 pages", what)
		}
		got, next, err := page(ps, tok)
		if err != nil {
			t.Fatalf("%s page %d: %v", what, calls+1, err)
		}
		if size != "" && len(got) > atoi(size) {
			t.Fatalf("%s: page of %d items with page-size %s", what, len(got), size)
		}
		for _, id := range got {
			if seen[id] {
				t.Fatalf("%s: %s came back twice", what, id)
			}
			seen[id] = true
			ids = append(ids, id)
		}
		if aws.ToString(next) == "" {
			return ids
		}
		tok = next
	}
}

func atoi(s string) int {
	n := 0
	for _, c := range s {
		n = n*10 + int(c-'0')
	}
	return n
}

// called collects the operations every test's emulator answered, so that
// TestMain can tell when an implemented operation has no test.
var (
	calledMu sync.Mutex
	called   = map[string]bool{}
)

func noteCalls(e *emulator.Emulator) {
	calledMu.Lock()
	defer calledMu.Unlock()
	for k := range e.Calls() {
		if op, ok := strings.CutPrefix(k, "mobiletargeting:"); ok {
			called[op] = true
		}
	}
}

func TestMain(m *testing.M) {
	flag.Parse()
	code := m.Run()
	if code == 0 && flag.Lookup("test.run").Value.String() == "" {
		if missing := untested(); len(missing) > 0 {
			fmt.Fprintf(os.Stderr, "FAIL: operations the emulator implements but no test calls: %v\n", missing)
			code = 1
		}
	}
	os.Exit(code)
}

// untested lists the implemented operations (those that do not answer 501)
// that no test called.
func untested() []string {
	e := emulator.New(emulator.Options{})
	srv := httptest.NewServer(e.Server)
	defer srv.Close()
	model := awsmodel.MustLoad("pinpoint")
	var missing []string
	for _, op := range model.OperationNames() {
		in := map[string]any{}
		if s := model.InputShape(op); s != nil {
			for name, ref := range s.Members {
				if ref.Location == "uri" {
					in[name] = "x"
				}
			}
		}
		method, path, query, _, err := model.BuildRESTRequest(op, in)
		if err != nil {
			missing = append(missing, op+" ("+err.Error()+")")
			continue
		}
		if len(query) > 0 {
			path += "?" + query.Encode()
		}
		req, _ := http.NewRequest(method, srv.URL+path, nil)
		req.Header.Set("Authorization", fakeAuth)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			missing = append(missing, op+" ("+err.Error()+")")
			continue
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusNotImplemented && !called[op] {
			missing = append(missing, op)
		}
	}
	return missing
}
