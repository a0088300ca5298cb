package profiles

import (
	"context"
	"encoding/json"
	"errors"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	cp "github.com/aws/aws-sdk-go-v2/service/customerprofiles"
	"github.com/aws/aws-sdk-go-v2/service/customerprofiles/types"
	"github.com/aws/smithy-go"
	"github.com/aws/smithy-go/middleware"

	"github.com/p2c/p2c/internal/emulator/core"
	"github.com/p2c/p2c/internal/emulator/s3"
)

var ctx = context.Background()

// harness is one emulator with Customer Profiles and S3.
type harness struct {
	svc *Service
	s3  *s3.Service
	srv *httptest.Server
	url string
	c   *cp.Client
}

func newHarness(t *testing.T, opts core.Options) *harness {
	t.Helper()
	svc := New()
	obj := s3.New()
	svc.SetObjects(obj)
	srv := httptest.NewServer(core.NewServer(opts, svc, obj))
	t.Cleanup(srv.Close)
	h := &harness{svc: svc, s3: obj, srv: srv, url: srv.URL}
	h.c = h.client()
	return h
}

// client returns an SDK client; retries are off so that injected faults
// surface as they are.
func (h *harness) client(optFns ...func(*cp.Options)) *cp.Client {
	cfg := aws.Config{
		Region:      "us-east-1",
		Credentials: credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", "secret", ""),
		Retryer:     func() aws.Retryer { return aws.NopRetryer{} },
	}
	return cp.NewFromConfig(cfg, append([]func(*cp.Options){func(o *cp.Options) {
		o.BaseEndpoint = aws.String(h.url)
	}}, optFns...)...)
}

// noClientValidation drops the SDK's own required-member checks so that
// requests reach the emulator's validation.
func noClientValidation(o *cp.Options) {
	o.APIOptions = append(o.APIOptions, func(s *middleware.Stack) error {
		// Operations without required members have no validator.
		_, _ = s.Initialize.Remove("OperationInputValidation")
		return nil
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

// wantCode asserts an API error code.
func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	var ae smithy.APIError
	if !errors.As(err, &ae) || ae.ErrorCode() != code {
		t.Fatalf("error = %v, want %s", err, code)
	}
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

// domain creates a domain.
func (h *harness) domain(t *testing.T, name string) {
	t.Helper()
	must[*cp.CreateDomainOutput](t)(h.c.CreateDomain(ctx, &cp.CreateDomainInput{DomainName: aws.String(name), DefaultExpirationDays: aws.Int32(1098)}))
}

// endpointObjectType is the PinpointEndpoint object type internal/blueprint
// plans for a domain whose apps have EMAIL and SMS endpoints, with a
// country and a user attribute.
func endpointObjectType(domain string) *cp.PutProfileObjectTypeInput {
	f := func(name, target, ct string) types.ObjectTypeField {
		out := types.ObjectTypeField{Source: aws.String("_source." + name), ContentType: types.FieldContentType(ct)}
		if target != "" {
			out.Target = aws.String(target)
		}
		return out
	}
	return &cp.PutProfileObjectTypeInput{
		DomainName:           aws.String(domain),
		ObjectTypeName:       aws.String("PinpointEndpoint"),
		Description:          aws.String("Amazon Pinpoint endpoints migrated by p2c"),
		AllowProfileCreation: true,
		Fields: map[string]types.ObjectTypeField{
			"ProfileKey":               f("ProfileKey", "", "STRING"),
			"EndpointId":               f("EndpointId", "", "STRING"),
			"User_UserId":              f("User_UserId", "_profile.Attributes.UserId", "STRING"),
			"CohortId":                 f("CohortId", "_profile.Attributes.CohortId", "STRING"),
			"Channels":                 f("Channels", "_profile.Attributes.Channels", "STRING"),
			"EmailAddress":             f("EmailAddress", "_profile.EmailAddress", "EMAIL_ADDRESS"),
			"OptOut_EMAIL":             f("OptOut_EMAIL", "_profile.Attributes.OptOut_EMAIL", "STRING"),
			"MobilePhoneNumber":        f("MobilePhoneNumber", "_profile.MobilePhoneNumber", "PHONE_NUMBER"),
			"OptOut_SMS":               f("OptOut_SMS", "_profile.Attributes.OptOut_SMS", "STRING"),
			"Location_Country":         f("Location_Country", "_profile.Address.Country", "STRING"),
			"User_UserAttributes_tier": f("User_UserAttributes_tier", "_profile.Attributes.tier", "STRING"),
			"Metrics_purchases":        f("Metrics_purchases", "_profile.Attributes.purchases", "NUMBER"),
		},
		Keys: map[string][]types.ObjectTypeKey{
			"PinpointProfileKey": {{StandardIdentifiers: []types.StandardIdentifier{"PROFILE"}, FieldNames: []string{"ProfileKey"}}},
			"PinpointEndpointId": {{StandardIdentifiers: []types.StandardIdentifier{"UNIQUE"}, FieldNames: []string{"EndpointId"}}},
		},
	}
}

// putEndpoint ingests one exported endpoint as p2c profiles writes it.
func (h *harness) putEndpoint(t *testing.T, domain string, ep map[string]any) string {
	t.Helper()
	b, _ := json.Marshal(ep)
	out := must[*cp.PutProfileObjectOutput](t)(h.c.PutProfileObject(ctx, &cp.PutProfileObjectInput{
		DomainName: aws.String(domain), ObjectTypeName: aws.String("PinpointEndpoint"), Object: aws.String(string(b))}))
	return aws.ToString(out.ProfileObjectUniqueKey)
}

// profileBy finds the one profile a search key finds.
func (h *harness) profileBy(t *testing.T, domain, key, value string) types.Profile {
	t.Helper()
	out := must[*cp.SearchProfilesOutput](t)(h.c.SearchProfiles(ctx, &cp.SearchProfilesInput{
		DomainName: aws.String(domain), KeyName: aws.String(key), Values: []string{value}}))
	if len(out.Items) != 1 {
		t.Fatalf("search %s=%s found %d profiles, want 1", key, value, len(out.Items))
	}
	return out.Items[0]
}

// fixedClock pins the service clock.
func (h *harness) fixedClock(t time.Time) { h.svc.SetClock(func() time.Time { return t }) }

func errorsAs(err error, target any) bool { return errors.As(err, target) }
