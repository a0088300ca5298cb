package profiles

import (
	"bytes"
	"crypto/md5"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cp "github.com/aws/aws-sdk-go-v2/service/customerprofiles"

	"github.com/p2c/p2c/internal/emulator/core"
)

func keyMD5(t *testing.T, token string) string {
	t.Helper()
	raw, err := base64.StdEncoding.DecodeString(token)
	if err != nil {
		t.Fatalf("ClientToken %q is not base64: %v", token, err)
	}
	sum := md5.Sum(raw)
	return base64.StdEncoding.EncodeToString(sum[:])
}

func (h *harness) loadDomain(t *testing.T, name string) {
	t.Helper()
	must[*cp.CreateDomainOutput](t)(h.c.CreateDomain(ctx, &cp.CreateDomainInput{DomainName: aws.String(name), DefaultExpirationDays: aws.Int32(1098)}))
	must[*cp.PutProfileObjectTypeOutput](t)(h.c.PutProfileObjectType(ctx, endpointObjectType(name)))
}

// The flow p2c profiles load uses: objects create the keyed profile
// (never two, however many writers race), SearchProfiles by the custom
// PROFILE key finds it, UpdateProfile merges attributes and "" clears.
func TestLoadFlowKeyedProfile(t *testing.T) {
	h := newHarness(t, core.Options{})
	h.loadDomain(t, "acme")
	var wg sync.WaitGroup
	for i := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			b, _ := json.Marshal(map[string]string{"ProfileKey": "user-1", "EndpointId": fmt.Sprintf("ep-%d", i%4)})
			if _, err := h.c.PutProfileObject(ctx, &cp.PutProfileObjectInput{DomainName: aws.String("acme"),
				ObjectTypeName: aws.String("PinpointEndpoint"), Object: aws.String(string(b))}); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	p := h.profileBy(t, "acme", "PinpointProfileKey", "user-1")
	objs := must[*cp.ListProfileObjectsOutput](t)(h.c.ListProfileObjects(ctx, &cp.ListProfileObjectsInput{DomainName: aws.String("acme"),
		ObjectTypeName: aws.String("PinpointEndpoint"), ProfileId: p.ProfileId}))
	if len(objs.Items) != 4 {
		t.Fatalf("objects = %d, want 4 (one per endpoint id: the UNIQUE key replaces)", len(objs.Items))
	}

	upd := func(attrs map[string]string, email string) {
		in := &cp.UpdateProfileInput{DomainName: aws.String("acme"), ProfileId: p.ProfileId, Attributes: attrs}
		if email != "" {
			in.EmailAddress = aws.String(email)
		}
		must[*cp.UpdateProfileOutput](t)(h.c.UpdateProfile(ctx, in))
	}
	upd(map[string]string{"a": "1", "b": "2"}, "ada@example.com")
	upd(map[string]string{"b": "", "c": "3"}, "")
	got := h.profileBy(t, "acme", "PinpointProfileKey", "user-1")
	if want := map[string]string{"a": "1", "c": "3"}; fmt.Sprint(got.Attributes) != fmt.Sprint(want) || aws.ToString(got.EmailAddress) != "ada@example.com" {
		t.Fatalf("after two updates: attributes %v email %q, want %v and the first email kept", got.Attributes, aws.ToString(got.EmailAddress), want)
	}
	out := must[*cp.SearchProfilesOutput](t)(h.c.SearchProfiles(ctx, &cp.SearchProfilesInput{DomainName: aws.String("acme"),
		KeyName: aws.String("PinpointProfileKey"), Values: []string{"user-2"}}))
	if len(out.Items) != 0 {
		t.Fatalf("unknown key found %d profiles", len(out.Items))
	}
}

// Upload-job URLs are pre-signed for the SSE-C headers: S3 refuses a PUT
// without them or with a key MD5 that does not match.
func TestUploadURLNeedsSSEC(t *testing.T) {
	h := newHarness(t, core.Options{})
	h.loadDomain(t, "acme")
	job := must[*cp.CreateUploadJobOutput](t)(h.c.CreateUploadJob(ctx, &cp.CreateUploadJobInput{DomainName: aws.String("acme"),
		DisplayName: aws.String("x"), UniqueKey: aws.String("ProfileKey"),
		Fields: endpointObjectType("acme").Fields}))
	path := must[*cp.GetUploadJobPathOutput](t)(h.c.GetUploadJobPath(ctx, &cp.GetUploadJobPathInput{DomainName: aws.String("acme"), JobId: job.JobId}))
	if !strings.Contains(aws.ToString(path.Url), "X-Amz-Credential=AKIDEXAMPLE%2F") || !strings.Contains(aws.ToString(path.Url), "%2Fs3%2Faws4_request") {
		t.Fatalf("URL %s is not pre-signed for s3", aws.ToString(path.Url))
	}
	tok := aws.ToString(path.ClientToken)
	put := func(h map[string]string) (int, string) {
		req, _ := http.NewRequest(http.MethodPut, aws.ToString(path.Url), bytes.NewReader([]byte("ProfileKey\nk\n")))
		for k, v := range h {
			req.Header.Set(k, v)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	const alg, key, sum = "x-amz-server-side-encryption-customer-algorithm", "x-amz-server-side-encryption-customer-key", "x-amz-server-side-encryption-customer-key-MD5"
	if code, body := put(nil); code != 400 || !strings.Contains(body, "<Code>InvalidRequest</Code>") {
		t.Fatalf("PUT without SSE-C: %d %s", code, body)
	}
	if code, body := put(map[string]string{alg: "AES256", key: tok, sum: "AAAAAAAAAAAAAAAAAAAAAA=="}); code != 400 || !strings.Contains(body, "InvalidArgument") {
		t.Fatalf("PUT with a wrong key MD5: %d %s", code, body)
	}
	if code, body := put(map[string]string{alg: "AES256", key: tok, sum: keyMD5(t, tok)}); code != 200 {
		t.Fatalf("PUT with SSE-C: %d %s", code, body)
	}
}
