package profiles

import (
	"compress/gzip"
	"context"
	"encoding/json"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/p2c/p2c/internal/emulator"
	"github.com/p2c/p2c/internal/emulator/emutest"
	"github.com/p2c/p2c/internal/target"
)

// verifyEnv is an emulator with a domain p2c's object type keys, and a
// client pointed at it.
type verifyEnv struct {
	t *testing.T
	c *target.Client
}

func newVerifyEnv(t *testing.T) *verifyEnv {
	t.Helper()
	srv := httptest.NewServer(emulator.New(emulator.Options{}))
	t.Cleanup(srv.Close)
	c := target.NewClient(emutest.Config(srv.URL))
	c.Sleep = func(time.Duration) {}
	e := &verifyEnv{t: t, c: c}
	e.call("CreateDomain", map[string]any{"DomainName": "d", "DefaultExpirationDays": 1098})
	e.call("PutProfileObjectType", map[string]any{"DomainName": "d", "ObjectTypeName": "PinpointEndpoint",
		"Description": "endpoints", "AllowProfileCreation": true,
		"Fields": map[string]any{
			"ProfileKey": map[string]any{"Source": "_source.ProfileKey", "ContentType": "STRING"},
			"EndpointId": map[string]any{"Source": "_source.EndpointId", "ContentType": "STRING"},
		},
		"Keys": map[string]any{
			"PinpointProfileKey": []any{map[string]any{"StandardIdentifiers": []any{"PROFILE"}, "FieldNames": []any{"ProfileKey"}}},
			"PinpointEndpointId": []any{map[string]any{"StandardIdentifiers": []any{"UNIQUE"}, "FieldNames": []any{"EndpointId"}}},
		}})
	return e
}

func (e *verifyEnv) call(op string, in map[string]any) map[string]any {
	e.t.Helper()
	res, err := e.c.Call(context.Background(), "customer-profiles", "us-east-1", op, in)
	if err != nil {
		e.t.Fatalf("%s: %v", op, err)
	}
	return res.Output
}

// put creates the profile of a record, as a load would, and returns its id.
func (e *verifyEnv) put(r Record) string {
	e.t.Helper()
	in := map[string]any{"DomainName": "d"}
	p := r.Profile
	for k, v := range map[string]string{"EmailAddress": p.EmailAddress, "MobilePhoneNumber": p.MobilePhoneNumber, "PhoneNumber": p.PhoneNumber} {
		if v != "" {
			in[k] = v
		}
	}
	if p.Address != nil {
		in["Address"] = map[string]any{"City": p.Address.City, "Country": p.Address.Country}
	}
	attrs := map[string]any{}
	for k, v := range p.Attributes {
		attrs[k] = v
	}
	in["Attributes"] = attrs
	id := e.call("CreateProfile", in)["ProfileId"].(string)
	e.call("AddProfileKey", map[string]any{"DomainName": "d", "ProfileId": id, "KeyName": "PinpointProfileKey", "Values": []any{r.ProfileKey}})
	return id
}

func writeRecords(t *testing.T, dir string, recs ...Record) {
	t.Helper()
	f, err := os.Create(filepath.Join(dir, ProfilesFile))
	if err != nil {
		t.Fatal(err)
	}
	zw := gzip.NewWriter(f)
	enc := json.NewEncoder(zw)
	for _, r := range recs {
		if err := enc.Encode(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

// verifyRecords: u1 reachable by email and opted out of SMS, e2 with an
// inactive email only, u3 reachable by email and SMS.
func verifyRecords() []Record {
	return []Record{
		{ProfileKey: "u1", EndpointIds: []string{"e1a", "e1b"}, Sources: []string{"x:1", "x:2"},
			Profile: Profile{EmailAddress: "ana@example.com", Address: &Address{City: "Lisbon", Country: "PT"},
				Attributes: map[string]string{"Channels": ",EMAIL,", "OptOut_SMS": "ALL", "OptedOutAddresses_SMS": "+14155550101", "UserId": "u1"}},
			Consent: []Consent{
				{Channel: "EMAIL", Address: "ana@example.com", State: StateReachable, EndpointIds: []string{"e1a"}, Field: "EmailAddress"},
				{Channel: "SMS", Address: "+14155550101", State: StateOptedOut, EndpointIds: []string{"e1b"}, Field: "Attributes.OptedOutAddresses_SMS"},
			}},
		{ProfileKey: "e2", EndpointIds: []string{"e2"}, Sources: []string{"x:3"},
			Profile: Profile{Attributes: map[string]string{"InactiveAddresses_EMAIL": "bo@example.com"}},
			Consent: []Consent{{Channel: "EMAIL", Address: "bo@example.com", State: StateInactive, EndpointIds: []string{"e2"}, Field: "Attributes.InactiveAddresses_EMAIL"}}},
		{ProfileKey: "u3", EndpointIds: []string{"e3a", "e3b"}, Sources: []string{"x:4", "x:5"},
			Profile: Profile{EmailAddress: "cy@example.com", MobilePhoneNumber: "+14155550103",
				Attributes: map[string]string{"Channels": ",EMAIL,SMS,", "UserId": "u3"}},
			Consent: []Consent{
				{Channel: "EMAIL", Address: "cy@example.com", State: StateReachable, EndpointIds: []string{"e3a"}, Field: "EmailAddress"},
				{Channel: "SMS", Address: "+14155550103", State: StateReachable, EndpointIds: []string{"e3b"}, Field: "MobilePhoneNumber"},
			}},
	}
}

func segmentGroups(groups ...any) map[string]any {
	return map[string]any{"Include": "ALL", "Groups": groups}
}

func attrGroup(typ, key, dim, value string) map[string]any {
	return map[string]any{"Type": typ, "Dimensions": []any{map[string]any{"ProfileAttributes": map[string]any{
		"Attributes": map[string]any{key: map[string]any{"DimensionType": dim, "Values": []any{value}}}}}}}
}

func TestVerify(t *testing.T) {
	e := newVerifyEnv(t)
	dir := t.TempDir()
	recs := verifyRecords()
	writeRecords(t, dir, recs...)
	ids := map[string]string{}
	for _, r := range recs {
		ids[r.ProfileKey] = e.put(r)
	}
	// A migrated segment (everyone, opted-out SMS excluded) and one that
	// forgot the exclusion.
	e.call("CreateSegmentDefinition", map[string]any{"DomainName": "d", "SegmentDefinitionName": "everyone", "DisplayName": "everyone",
		"SegmentGroups": segmentGroups(attrGroup("NONE", "OptOut_SMS", "INCLUSIVE", "ALL"))})
	e.call("CreateSegmentDefinition", map[string]any{"DomainName": "d", "SegmentDefinitionName": "leaky", "DisplayName": "leaky",
		"SegmentGroups": segmentGroups(attrGroup("ALL", "UserId", "BEGINS_WITH", "u"))})

	// A helper segment, source of one that excludes opted-out profiles.
	e.call("CreateSegmentDefinition", map[string]any{"DomainName": "d", "SegmentDefinitionName": "base-groups", "DisplayName": "base",
		"SegmentGroups": segmentGroups(attrGroup("ALL", "UserId", "BEGINS_WITH", "u"))})
	e.call("CreateSegmentDefinition", map[string]any{"DomainName": "d", "SegmentDefinitionName": "based", "DisplayName": "based",
		"SegmentGroups": segmentGroups(map[string]any{"SourceType": "ALL", "SourceSegments": []any{map[string]any{"SegmentDefinitionName": "base-groups"}}},
			attrGroup("NONE", "OptOut_SMS", "INCLUSIVE", "ALL"))})

	ctx := context.Background()
	opts := VerifyOptions{From: []string{dir}, Region: "us-east-1", Domain: "d", Client: e.c, Seed: 7, Segments: []string{"based", "base-groups", "everyone"}, Rate: 1000}
	rep, err := Verify(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	if !rep.OK {
		t.Fatalf("verify failed: %v", rep.Failures)
	}
	want := map[string][2]int64{"profiles": {3, 3}, "EMAIL reachable": {2, 2}, "EMAIL opted out": {0, 0}, "SMS reachable": {1, 1}, "SMS opted out": {1, 1}}
	if len(rep.Counts) != len(want) {
		t.Errorf("counts: %+v", rep.Counts)
	}
	for _, c := range rep.Counts {
		if w, ok := want[c.What]; !ok || c.Source != w[0] || c.Target != w[1] || c.Status != "ok" {
			t.Errorf("count %+v, want %v", c, w)
		}
	}
	if rep.Sample.Size != 3 || rep.Sample.Matched != 3 {
		t.Errorf("sample: %+v", rep.Sample)
	}
	c := rep.Consent
	if c.Records != 2 || c.Addresses != 2 || c.OptedOutProfiles != 1 || c.Violations != 0 {
		t.Errorf("consent: %+v", c)
	}
	if len(c.Segments) != 3 {
		t.Fatalf("segments: %+v", c.Segments)
	}
	for _, sc := range c.Segments {
		if sc.Name == "base-groups" {
			if sc.Status != "helper" || sc.Checked != 0 {
				t.Errorf("helper segment: %+v", sc)
			}
			continue
		}
		if sc.Checked != 1 || sc.Present != 0 || sc.Status != "ok" || strings.Join(sc.Excludes, ",") != "OptOut_SMS" {
			t.Errorf("segment: %+v", sc)
		}
	}

	// The same seed draws the same sample.
	opts.Sample = 2
	a, _ := Verify(ctx, opts)
	b, _ := Verify(ctx, opts)
	if len(a.Sample.Results) != 2 || a.Sample.Results[0].Source != b.Sample.Results[0].Source || a.Sample.Results[1].Source != b.Sample.Results[1].Source {
		t.Errorf("samples differ with one seed: %+v / %+v", a.Sample.Results, b.Sample.Results)
	}

	// An opted-out number made contactable, the opt-out flag lost, a
	// segment without the exclusion and a profile that never arrived.
	e.call("UpdateProfile", map[string]any{"DomainName": "d", "ProfileId": ids["u1"], "MobilePhoneNumber": "+14155550101",
		"Attributes": map[string]any{"OptOut_SMS": ""}})
	recs = append(recs, Record{ProfileKey: "u4", Sources: []string{"x:6"}, Profile: Profile{EmailAddress: "di@example.com",
		Attributes: map[string]string{"Channels": ",EMAIL,"}},
		Consent: []Consent{{Channel: "EMAIL", Address: "di@example.com", State: StateReachable, Field: "EmailAddress"}}})
	writeRecords(t, dir, recs...)
	opts.Sample, opts.Segments = 0, []string{"everyone", "leaky"}
	rep, err = Verify(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	if rep.OK {
		t.Fatal("verify passed a broken domain")
	}
	all := strings.Join(rep.Failures, "\n")
	for _, w := range []string{"profiles: 4 in the source, 3 in the domain", "EMAIL reachable: 3 in the source, 2 in the domain",
		"SMS opted out: 1 in the source, 0 in the domain", "no profile has its key", "profile differs in MobilePhoneNumber, Attributes.OptOut_SMS",
		"consent: 2 opted-out or inactive address(es) are contactable", "segment leaky excludes no opted-out profiles"} {
		if !strings.Contains(all, w) {
			t.Errorf("failures lack %q:\n%s", w, all)
		}
	}
	if rep.Sample.Missing != 1 || rep.Sample.Mismatched != 1 {
		t.Errorf("sample: %+v", rep.Sample)
	}
	data, _ := json.Marshal(rep)
	for _, pii := range []string{"@example.com", "+1415", `"u1"`} {
		if strings.Contains(string(data), pii) {
			t.Errorf("the report holds %s without ShowPII", pii)
		}
	}
	opts.ShowPII = true
	rep, _ = Verify(ctx, opts)
	data, _ = json.Marshal(rep)
	if !strings.Contains(string(data), "+14155550101") {
		t.Errorf("ShowPII does not show the contactable address: %s", data)
	}
}

// A sharded verify reads only its shard's records.
func TestVerifyShard(t *testing.T) {
	e := newVerifyEnv(t)
	dir := t.TempDir()
	recs := verifyRecords()
	writeRecords(t, dir, recs...)
	for _, r := range recs {
		e.put(r)
	}
	var total int64
	for i := 1; i <= 2; i++ {
		rep, err := Verify(context.Background(), VerifyOptions{From: []string{dir}, Region: "us-east-1", Domain: "d", Client: e.c,
			Shard: Shard{I: i, N: 2}, Rate: 1000})
		if err != nil {
			t.Fatal(err)
		}
		if !rep.OK {
			t.Errorf("shard %d: %v", i, rep.Failures)
		}
		total += rep.Counts[0].Source
		if rep.Counts[0].Target != 3 {
			t.Errorf("shard %d: domain count %d", i, rep.Counts[0].Target)
		}
	}
	if total != 3 {
		t.Errorf("shards hold %d records together, want 3", total)
	}
}

func TestVerifyEstimate(t *testing.T) {
	for s, want := range map[string]int64{"12 profiles": 12, "1,234 profiles": 1234, "~5": 5} {
		if n, ok := verifyEstimate(s); !ok || n != want {
			t.Errorf("%q: %d %v", s, n, ok)
		}
	}
	if _, ok := verifyEstimate("many"); ok {
		t.Error("many is a count")
	}
}
