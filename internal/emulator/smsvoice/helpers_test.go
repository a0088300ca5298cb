package smsvoice

import (
	"context"
	"errors"
	"net/http/httptest"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	sms "github.com/aws/aws-sdk-go-v2/service/pinpointsmsvoicev2"
	"github.com/aws/smithy-go/middleware"

	"github.com/p2c/p2c/internal/emulator/core"
)

var ctx = context.Background()

// harness is one emulator with the service under test.
type harness struct {
	svc *Service
	srv *httptest.Server
	url string
}

func newHarness(t *testing.T, opts core.Options) *harness {
	t.Helper()
	svc := New()
	srv := httptest.NewServer(core.NewServer(opts, svc))
	t.Cleanup(srv.Close)
	return &harness{svc: svc, srv: srv, url: srv.URL}
}

// client returns an SDK client for a region; retries are off so that
// injected faults surface as they are.
func (h *harness) client(region string, optFns ...func(*sms.Options)) *sms.Client {
	cfg := aws.Config{
		Region:      region,
		Credentials: credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", "secret", ""),
		Retryer:     func() aws.Retryer { return aws.NopRetryer{} },
	}
	return sms.NewFromConfig(cfg, append([]func(*sms.Options){func(o *sms.Options) {
		o.BaseEndpoint = aws.String(h.url)
	}}, optFns...)...)
}

// noClientValidation drops the SDK's own required-member checks so that
// requests reach the emulator's validation.
func noClientValidation(o *sms.Options) {
	o.APIOptions = append(o.APIOptions, func(s *middleware.Stack) error {
		_, err := s.Initialize.Remove("OperationInputValidation")
		return err
	})
}

// wantErr asserts that err is (or wraps) the typed SDK error T.
func wantErr[T error](t *testing.T, err error) T {
	t.Helper()
	var target T
	if !errors.As(err, &target) {
		t.Fatalf("error = %v, want %T", err, target)
	}
	return target
}

func must[T any](t *testing.T) func(T, error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}
