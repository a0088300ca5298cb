package profiles

import (
	"bytes"
	"encoding/json"
	"flag"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/valyala/fastjson"
)

// update rewrites the buildGolden files of testdata/build (go test -update).
var update = flag.Bool("update", false, "rewrite the buildGolden files under testdata")

// readEndpoints parses an NDJSON file as the transform does: File, Line
// and Seq set, repairs completed with them; rejected lines returned as
// Rejects.
func readEndpoints(t *testing.T, path string) ([]Endpoint, []Reject) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var p fastjson.Parser
	var eps []Endpoint
	var rejects []Reject
	name := filepath.Base(path)
	for i, l := range bytes.Split(bytes.TrimRight(data, "\n"), []byte("\n")) {
		e, err := ParseEndpoint(l, &p, ParseOptions{})
		if err != nil {
			rejects = append(rejects, Reject{File: name, Line: int64(i + 1), Action: ActionRejected, Reason: err.Error()})
			continue
		}
		e.File, e.Line, e.Seq = name, int64(i+1), uint64(i+1)
		for j := range e.Repairs {
			e.Repairs[j].File, e.Repairs[j].Line = name, e.Line
		}
		rejects = append(rejects, e.Repairs...)
		eps = append(eps, e)
	}
	return eps, rejects
}

type buildGolden struct {
	Record       Record   `json:"record"`
	ParseRejects []Reject `json:"parseRejects"`
	BuildRejects []Reject `json:"buildRejects"`
}

// TestBuildGolden builds each testdata/build/*.ndjson (the endpoints of
// one profile) and compares the record and the rejects with the .json
// buildGolden next to it. The endpoints are also built in shuffled orders:
// the result must not change.
func TestBuildGolden(t *testing.T) {
	files, _ := filepath.Glob("testdata/build/*.ndjson")
	if len(files) == 0 {
		t.Fatal("no buildGolden inputs")
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			eps, prej := readEndpoints(t, f)
			key := eps[0].ProfileKey()
			for _, e := range eps {
				if e.ProfileKey() != key {
					t.Fatalf("endpoints of several profiles: %q and %q", key, e.ProfileKey())
				}
			}
			rec, brej := Build(key, eps, BuildOptions{})
			checkRecord(t, rec)
			got, err := json.MarshalIndent(buildGolden{rec, prej, brej}, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, '\n')
			gf := strings.TrimSuffix(f, ".ndjson") + ".json"
			if *update {
				if err := os.WriteFile(gf, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(gf)
			if err != nil {
				t.Fatalf("%v (run go test -update)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s differs from the buildGolden (go test -update rewrites it):\n%s", gf, got)
			}
			r := rand.New(rand.NewPCG(7, 7))
			for range 5 {
				sh := append([]Endpoint(nil), eps...)
				r.Shuffle(len(sh), func(i, j int) { sh[i], sh[j] = sh[j], sh[i] })
				rec2, brej2 := Build(key, sh, BuildOptions{})
				if !reflect.DeepEqual(rec, rec2) || !reflect.DeepEqual(brej, brej2) {
					t.Fatalf("Build depends on the order of its endpoints")
				}
			}
		})
	}
}

// checkRecord checks the invariants every record keeps.
func checkRecord(t *testing.T, rec Record) {
	t.Helper()
	for k, v := range rec.Profile.Attributes {
		if n := utf8.RuneCountInString(v); n > MaxAttributeValue {
			t.Errorf("attribute %s has %d characters", k, n)
		}
	}
	p := rec.Profile
	for _, v := range []string{p.EmailAddress, p.MobilePhoneNumber, p.PhoneNumber} {
		if utf8.RuneCountInString(v) > MaxAttributeValue {
			t.Errorf("standard field over %d characters: %q", MaxAttributeValue, v)
		}
	}
	for _, c := range rec.Consent {
		if c.State == StateReachable {
			continue
		}
		// An address that is not reachable never lands in a contact field.
		f := contactField(c.Channel)
		if c.Field == f {
			t.Errorf("%s address %q (%s) in contact field %s", c.Channel, c.Address, c.State, f)
		}
		switch c.Address {
		case p.EmailAddress, p.MobilePhoneNumber, p.PhoneNumber, p.Attributes[strings.TrimPrefix(f, "Attributes.")]:
			if c.Address != "" && f != "" {
				t.Errorf("%s address %q (%s) is a contact value", c.Channel, c.Address, c.State)
			}
		}
	}
	for _, o := range rec.Objects {
		for k := range o {
			if strings.HasPrefix(k, "OptOut_") || k == "Channels" || k == "EmailAddress" || k == "MobilePhoneNumber" || k == "PhoneNumber" || strings.HasPrefix(k, "PushToken_") {
				t.Errorf("object carries %s", k)
			}
		}
	}
}

func bep(id, ch, addr string, mods ...func(*Endpoint)) Endpoint {
	e := Endpoint{ID: id, ChannelType: ch, Address: addr, EffectiveDate: "2025-01-01T00:00:00Z", File: "f", Line: 1}
	for _, m := range mods {
		m(&e)
	}
	return e
}

func bOptedOut(e *Endpoint) { e.OptedOut = true }
func bInactive(e *Endpoint) { e.Inactive = true }
func bDate(d string) func(*Endpoint) {
	return func(e *Endpoint) { e.EffectiveDate = d }
}
func bSeq(s uint64) func(*Endpoint) {
	return func(e *Endpoint) { e.Seq = s }
}

func TestBuildRules(t *testing.T) {
	for _, tc := range []struct {
		name  string
		eps   []Endpoint
		opts  BuildOptions
		check func(t *testing.T, r Record, rej []Reject)
	}{
		{"opted-out address never contact, even with an opted-in twin",
			[]Endpoint{bep("a", "EMAIL", "x@example.com", bOptedOut), bep("b", "EMAIL", "x@example.com", bDate("2026-01-01T00:00:00Z"))}, BuildOptions{},
			func(t *testing.T, r Record, _ []Reject) {
				at := r.Profile.Attributes
				if r.Profile.EmailAddress != "" || at["OptOut_EMAIL"] != "ALL" || at["OptedOutAddresses_EMAIL"] != "x@example.com" || at["Channels"] != "" {
					t.Errorf("%+v", r.Profile)
				}
				if len(r.Consent) != 1 || r.Consent[0].State != StateOptedOut || !reflect.DeepEqual(r.Consent[0].EndpointIds, []string{"a", "b"}) {
					t.Errorf("%+v", r.Consent)
				}
			}},
		{"opted out on one channel only",
			[]Endpoint{bep("a", "SMS", "+12065550123", bOptedOut), bep("b", "EMAIL", "x@example.com")}, BuildOptions{},
			func(t *testing.T, r Record, _ []Reject) {
				at := r.Profile.Attributes
				if r.Profile.EmailAddress != "x@example.com" || r.Profile.MobilePhoneNumber != "" || at["OptOut_SMS"] != "ALL" || at["OptOut_EMAIL"] != "" || at["Channels"] != ",EMAIL," {
					t.Errorf("%+v", r.Profile)
				}
			}},
		{"a reachable address clears OptOut_<CH>",
			[]Endpoint{bep("a", "SMS", "+12065550123", bOptedOut), bep("b", "SMS", "+12065550124")}, BuildOptions{},
			func(t *testing.T, r Record, _ []Reject) {
				at := r.Profile.Attributes
				if r.Profile.MobilePhoneNumber != "+12065550124" || at["OptOut_SMS"] != "" || at["OptedOutAddresses_SMS"] != "+12065550123" {
					t.Errorf("%+v", r.Profile)
				}
			}},
		{"all bInactive",
			[]Endpoint{bep("a", "VOICE", "+12065550123", bInactive)}, BuildOptions{},
			func(t *testing.T, r Record, _ []Reject) {
				at := r.Profile.Attributes
				if r.Profile.PhoneNumber != "" || at["InactiveAddresses_VOICE"] != "+12065550123" || at["OptOut_VOICE"] != "" || at["Channels"] != "" {
					t.Errorf("%+v", r.Profile)
				}
			}},
		{"latest wins the contact field; ties go to the later line",
			[]Endpoint{bep("a", "EMAIL", "a@example.com", bSeq(2)), bep("b", "EMAIL", "b@example.com", bSeq(1)), bep("c", "EMAIL", "c@example.com", bDate("2024-01-01T00:00:00Z"), bSeq(9))}, BuildOptions{},
			func(t *testing.T, r Record, _ []Reject) {
				if r.Profile.EmailAddress != "a@example.com" || r.Profile.Attributes["OtherAddresses_EMAIL"] != "b@example.com,c@example.com" {
					t.Errorf("%+v", r.Profile)
				}
			}},
		{"dates compare as times, not strings",
			[]Endpoint{bep("a", "EMAIL", "a@example.com", bDate("2025-01-01T00:00:00.5Z")), bep("b", "EMAIL", "b@example.com", bDate("2025-01-01T00:00:00Z"), bSeq(5))}, BuildOptions{},
			func(t *testing.T, r Record, _ []Reject) {
				if r.Profile.EmailAddress != "a@example.com" {
					t.Errorf("%+v", r.Profile)
				}
			}},
		{"user attribute and endpoint attribute collide: union, latest first",
			[]Endpoint{
				bep("a", "EMAIL", "", bDate("2024-01-01T00:00:00Z"), func(e *Endpoint) { e.Attributes = []KV{{"x", `1,2\,3`}} }),
				bep("b", "EMAIL", "", func(e *Endpoint) { e.UserAttributes = []KV{{"x", "2"}}; e.Attributes = []KV{{"x", "4"}} }),
			}, BuildOptions{},
			func(t *testing.T, r Record, _ []Reject) {
				if got := r.Profile.Attributes["x"]; got != `2,4,1,2\,3` {
					t.Errorf("x = %q", got)
				}
			}},
		{"reserved names are left off and reported",
			[]Endpoint{bep("a", "EMAIL", "", func(e *Endpoint) {
				e.UserAttributes = []KV{{"OptOut_EMAIL", "NONE"}, {"PushToken_GCM", "t"}, {"Channels__2", "x"}, {"OptOut_FAX", "y"}}
			})}, BuildOptions{},
			func(t *testing.T, r Record, rej []Reject) {
				if !reflect.DeepEqual(r.Profile.Attributes, map[string]string{"OptOut_FAX": "y"}) || len(rej) != 3 {
					t.Errorf("%+v %+v", r.Profile.Attributes, rej)
				}
			}},
		{"overlong standard field left off",
			[]Endpoint{bep("a", "EMAIL", strings.Repeat("a", 300)+"@example.com")}, BuildOptions{},
			func(t *testing.T, r Record, rej []Reject) {
				if r.Profile.EmailAddress != "" || len(rej) == 0 || rej[0].Field != "EmailAddress" {
					t.Errorf("%+v %+v", r.Profile, rej)
				}
				if r.Consent[0].Field != "Attributes.OtherAddresses_EMAIL" || utf8.RuneCountInString(r.Profile.Attributes["OtherAddresses_EMAIL"]) != 255 {
					t.Errorf("%+v", r.Consent)
				}
			}},
		{"objects restricted to the object type's fields",
			[]Endpoint{bep("a", "SMS", "+12065550123", func(e *Endpoint) { e.Metrics = []KV{{"kept", "1"}, {"dropped", "2"}} })},
			BuildOptions{ObjectFields: map[string]bool{"Metrics_kept": true}},
			func(t *testing.T, r Record, _ []Reject) {
				want := map[string]string{"ProfileKey": "k", "EndpointId": "a", "ChannelType": "SMS", "EndpointStatus": "ACTIVE", "OptOut": "NONE", "EffectiveDate": "2025-01-01T00:00:00Z", "Metrics_kept": "1"}
				if !reflect.DeepEqual(r.Objects, []map[string]string{want}) {
					t.Errorf("%+v", r.Objects)
				}
			}},
		{"single-valued attributes from the latest endpoint",
			[]Endpoint{
				bep("a", "EMAIL", "", bDate("2026-01-01T00:00:00Z"), func(e *Endpoint) { e.Metrics = []KV{{"m", "1"}}; e.CohortID = "5" }),
				bep("b", "EMAIL", "", func(e *Endpoint) {
					e.Metrics = []KV{{"m", "2"}, {"n", "3"}}
					e.Demographic = []KV{{"Locale", "fr_FR"}}
					e.Latitude, e.Longitude = "1.5", "2"
					e.CohortID = "7"
					e.Location = Address{City: "Paris"}
				}),
			}, BuildOptions{},
			func(t *testing.T, r Record, _ []Reject) {
				want := map[string]string{"m": "1", "n": "3", "Demographic_Locale": "fr_FR", "Location_Latitude": "1.5", "Location_Longitude": "2", "CohortId": "5"}
				if !reflect.DeepEqual(r.Profile.Attributes, want) || r.Profile.Address == nil || r.Profile.Address.City != "Paris" {
					t.Errorf("%+v %+v", r.Profile.Attributes, r.Profile.Address)
				}
			}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec, rej := Build("k", tc.eps, tc.opts)
			checkRecord(t, rec)
			tc.check(t, rec, rej)
		})
	}
}

// TestBuildCorpusEndpoint reads the AWS CLI's get-endpoint example (a
// real EndpointResponse): an opted-out SMS endpoint whose number (area
// code 123) is not a valid phone number.
func TestBuildCorpusEndpoint(t *testing.T) {
	eps, rej := readEndpoints(t, "testdata/build/corpus_get_endpoint.ndjson")
	if len(eps) != 1 || len(rej) != 1 || !IsInvalidAddress(rej[0]) {
		t.Fatalf("endpoints %d, rejects %+v", len(eps), rej)
	}
	rec, _ := Build(eps[0].ProfileKey(), eps, BuildOptions{})
	at := rec.Profile.Attributes
	if rec.ProfileKey != "testuser" || at["UserId"] != "testuser" || at["Age"] != "24" || at["SmsDelivered"] != "1" || at["CohortId"] != "63" || rec.Profile.MobilePhoneNumber != "" {
		t.Errorf("%+v", rec)
	}
}

// Values that only pass 255 characters once escaped and joined must
// still be split (the no-split fast path must not miss them).
func TestBuildSplitsEscapedJoin(t *testing.T) {
	a := strings.Repeat(`\`, 64) + strings.Repeat(",", 64)
	b := strings.Repeat("b", 10)
	eps := []Endpoint{
		{ID: "e1", ChannelType: "EMAIL", Address: "a@example.com", UserID: "u", Seq: 1, Attributes: []KV{{"k", FlattenList([]string{a})}}},
		{ID: "e2", ChannelType: "EMAIL", Address: "b@example.com", UserID: "u", Seq: 2, Attributes: []KV{{"k", FlattenList([]string{b})}}},
	}
	rec, rejects := Build("u", eps, BuildOptions{})
	for k, v := range rec.Profile.Attributes {
		if n := utf8.RuneCountInString(v); n > MaxAttributeValue {
			t.Errorf("attribute %s has %d characters", k, n)
		}
	}
	joined := rec.Profile.Attributes["k"] + rec.Profile.Attributes["k__2"]
	if got := SplitList(joined); len(got) != 2 || got[0] != b && got[1] != b {
		t.Errorf("split value does not join back: %q", got)
	}
	if len(rejects) == 0 {
		t.Error("the split was not reported")
	}
}
