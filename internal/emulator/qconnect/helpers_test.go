package qconnect_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/p2c/p2c/internal/emulator/core"
	"github.com/p2c/p2c/internal/emulator/emutest"
	"github.com/p2c/p2c/internal/emulator/qconnect"
)

// env is one emulator with the Q in Connect service; there is no Go SDK
// for qconnect here, so requests are raw REST-JSON with a fake SigV4
// Authorization header that routes them.
type env struct {
	t   *testing.T
	url string
	svc *qconnect.Service
}

func newEnv(t *testing.T, opts core.Options) *env {
	t.Helper()
	svc := qconnect.New()
	return &env{t: t, url: emutest.Serve(t, core.NewServer(opts, svc)), svc: svc}
}

type resp struct {
	status int
	code   string
	body   map[string]any
	raw    []byte
}

func (e *env) do(method, path, body string) resp {
	e.t.Helper()
	req, err := http.NewRequest(method, e.url+path, strings.NewReader(body))
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261130/us-east-1/wisdom/aws4_request, SignedHeaders=host, Signature=0")
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	out := resp{status: res.StatusCode, code: res.Header.Get("X-Amzn-ErrorType"), raw: b}
	if len(bytes.TrimSpace(b)) > 0 {
		if err := json.Unmarshal(b, &out.body); err != nil {
			e.t.Fatalf("%s %s: body is not JSON: %s", method, path, b)
		}
	}
	return out
}

func (e *env) ok(method, path, body string, want int) map[string]any {
	e.t.Helper()
	r := e.do(method, path, body)
	if r.status != want {
		e.t.Fatalf("%s %s: status %d %s %s, want %d", method, path, r.status, r.code, r.raw, want)
	}
	return r.body
}

func (e *env) fail(method, path, body string, status int, code string) map[string]any {
	e.t.Helper()
	r := e.do(method, path, body)
	if r.status != status || r.code != code {
		e.t.Fatalf("%s %s %.200s: got %d %s %s, want %d %s", method, path, body, r.status, r.code, r.raw, status, code)
	}
	if _, ok := r.body["message"].(string); !ok {
		e.t.Fatalf("%s %s: error without message: %s", method, path, r.raw)
	}
	return r.body
}

func js(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// kb creates a MESSAGE_TEMPLATES knowledge base and returns its id.
func (e *env) kb(name string) string {
	e.t.Helper()
	out := e.ok("POST", "/knowledgeBases", js(map[string]any{"name": name, "knowledgeBaseType": "MESSAGE_TEMPLATES", "clientToken": name}), 200)
	return out["knowledgeBase"].(map[string]any)["knowledgeBaseId"].(string)
}

func smsTemplate(name, text string) map[string]any {
	return map[string]any{"name": name, "channelSubtype": "SMS", "content": map[string]any{"sms": map[string]any{"body": map[string]any{"plainText": map[string]any{"content": text}}}}}
}

// template creates a template and returns its data.
func (e *env) template(kb string, spec map[string]any) map[string]any {
	e.t.Helper()
	return e.ok("POST", "/knowledgeBases/"+kb+"/messageTemplates", js(spec), 200)["messageTemplate"].(map[string]any)
}

func tplPath(kb, ref string) string {
	return "/knowledgeBases/" + kb + "/messageTemplates/" + url.PathEscape(ref)
}

// normalize makes decoded JSON comparable whatever the Go types.
func normalize(v any) any {
	b, _ := json.Marshal(v)
	var out any
	_ = json.Unmarshal(b, &out)
	return out
}
