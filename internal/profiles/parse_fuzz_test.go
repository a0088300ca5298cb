package profiles

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"unicode/utf8"

	"github.com/valyala/fastjson"
)

// FuzzParseEndpoint: no input panics ParseEndpoint; an accepted line
// builds a record whose attribute values fit Customer Profiles, and whose
// list values split back into what was flattened.
func FuzzParseEndpoint(f *testing.F) {
	files, _ := filepath.Glob("testdata/build/*.ndjson")
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		for _, l := range bytes.Split(data, []byte("\n")) {
			f.Add(l)
		}
	}
	for _, s := range []string{
		specLine, `hello`, `{"Id":"a"`, `[]`, `{"Id":"a","ChannelType":"FAX"}`, `{"Id":"a","ChannelType":"sms","Address":"(206) 555-0123","Location":{"Country":"us"}}`,
		`{"Id":"a","ChannelType":"EMAIL","Address":"Jane <j@x.io>","OptOut":"maybe","EndpointStatus":7}`,
		`{"Id":"a","ChannelType":"CUSTOM","Attributes":{"x":["a,b","c\\d",""],"y":5,"z":"s"},"Metrics":{"m":NaN,"n":1e308},"User":{"UserId":"u","UserAttributes":{"x":["\u00e9"]}}}`,
		"{\"Id\":\"\xff\",\"ChannelType\":\"GCM\",\"Address\":\" t \"}",
	} {
		f.Add([]byte(s))
	}
	var p fastjson.Parser
	f.Fuzz(func(t *testing.T, line []byte) {
		e, err := ParseEndpoint(line, &p, ParseOptions{DefaultCountry: "US"})
		if err != nil {
			var le *LineError
			if !errors.As(err, &le) {
				t.Fatalf("error %T is not a *LineError", err)
			}
			return
		}
		if e.ID == "" || !knownChannel(e.ChannelType) {
			t.Fatalf("accepted without id or channel: %+v", e)
		}
		for _, kvs := range [][]KV{e.UserAttributes, e.Attributes} {
			for _, kv := range kvs {
				vals := SplitList(kv.V)
				if got := SplitList(FlattenList(vals)); !reflect.DeepEqual(got, vals) {
					t.Fatalf("%s: SplitList(FlattenList(%q)) = %q", kv.K, vals, got)
				}
			}
		}
		rec, rej := Build(e.ProfileKey(), []Endpoint{e}, BuildOptions{})
		for k, v := range rec.Profile.Attributes {
			if utf8.RuneCountInString(v) > MaxAttributeValue || !utf8.ValidString(v) || !utf8.ValidString(k) {
				t.Fatalf("attribute %q: %d characters, valid UTF-8 %v", k, utf8.RuneCountInString(v), utf8.ValidString(v))
			}
		}
		for _, r := range rej {
			if r.Action != ActionRepaired {
				t.Fatalf("build reject %+v", r)
			}
		}
		if e.OptedOut && e.Address != "" {
			if c := contactField(e.ChannelType); c != "" && len(rec.Consent) == 1 && rec.Consent[0].Field == c {
				t.Fatalf("opted-out address in contact field %s", c)
			}
		}
	})
}
