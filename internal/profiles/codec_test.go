package profiles

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"reflect"
	"testing"
	"testing/quick"
)

func randStr(r *rand.Rand) string {
	n := r.IntN(20)
	if r.IntN(10) == 0 {
		n = r.IntN(400) // past one-byte varints
	}
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.IntN(256))
	}
	return string(b)
}

func randKVs(r *rand.Rand) []KV {
	n := r.IntN(4)
	if n == 0 {
		return nil
	}
	kv := make([]KV, n)
	for i := range kv {
		kv[i] = KV{randStr(r), randStr(r)}
	}
	return kv
}

// TestEndpointCodecRoundTrip: decode(encode(e)) == e for random
// endpoints (Repairs do not travel; File and Line come from Seq).
func TestEndpointCodecRoundTrip(t *testing.T) {
	names := []string{"a.jsonl", "s3://b/k.gz"}
	f := func(seed uint64) bool {
		r := rand.New(rand.NewPCG(seed, 1))
		seq := makeSeq(r.IntN(2), int64(1+r.IntN(1<<30)))
		e := Endpoint{
			File: names[seq>>lineBits], Line: int64(seq & lineMask), Seq: seq,
			ID: randStr(r), ChannelType: randStr(r), Address: randStr(r),
			Inactive: r.IntN(2) == 0, OptedOut: r.IntN(2) == 0,
			EffectiveDate: randStr(r), UserID: randStr(r), CohortID: randStr(r),
			UserAttributes: randKVs(r), Attributes: randKVs(r), Metrics: randKVs(r), Demographic: randKVs(r),
			Location: Address{City: randStr(r), Country: randStr(r), PostalCode: randStr(r), State: randStr(r)},
			Latitude: randStr(r), Longitude: randStr(r),
		}
		payload := appendEndpoint(nil, &e)
		got, err := decodeEndpoint(e.ID, seq, payload, func(i uint64) string { return names[i] })
		if err != nil {
			t.Logf("decode: %v", err)
			return false
		}
		if !reflect.DeepEqual(got, e) {
			t.Logf("got  %#v\nwant %#v", got, e)
			return false
		}
		// Every truncation is an error, never a panic or a wrong endpoint.
		for n := 0; n < len(payload); n += 1 + len(payload)/50 {
			if _, err := decodeEndpoint(e.ID, seq, payload[:n], func(uint64) string { return "" }); err == nil {
				t.Logf("truncated at %d of %d decoded", n, len(payload))
				return false
			}
		}
		return true
	}
	if err := quick.Check(f, &quick.Config{MaxCount: 500}); err != nil {
		t.Fatal(err)
	}
}

func TestTupleCodec(t *testing.T) {
	eff, key, err := decodeTuple(appendTuple(nil, "2024-01-01T00:00:00Z", "user-1"))
	if err != nil || eff != "2024-01-01T00:00:00Z" || key != "user-1" {
		t.Fatalf("got %q %q %v", eff, key, err)
	}
	if rejectKey(rejectParse, 2) >= rejectKey(rejectParse, 10) || rejectKey(rejectParse, 300) >= rejectKey(rejectDuplicate, 0) {
		t.Error("reject keys do not sort as numbers")
	}
}

// TestRecordJSON: the hand-written record encoder writes what
// json.Marshal writes, for random records with awkward strings.
func TestRecordJSON(t *testing.T) {
	awkward := []string{"", "plain", "quote\"back\\slash", "<tag>&amp;", "\x00\x01\b\f\n\r\t\x1f", "é漢字😀", "\u2028\u2029", "bad\xffutf8\xc3"}
	f := func(seed uint64) bool {
		r := rand.New(rand.NewPCG(seed, 9))
		s := func() string {
			if r.IntN(2) == 0 {
				return awkward[r.IntN(len(awkward))]
			}
			return randStr(r)
		}
		list := func() []string {
			if r.IntN(4) == 0 {
				return nil
			}
			l := make([]string, r.IntN(3))
			for i := range l {
				l[i] = s()
			}
			return l
		}
		m := func() map[string]string {
			switch r.IntN(4) {
			case 0:
				return nil
			case 1:
				return map[string]string{}
			}
			mm := map[string]string{}
			for range r.IntN(5) {
				mm[s()] = s()
			}
			return mm
		}
		rec := Record{ProfileKey: s(), EndpointIds: list(), Sources: list(),
			Profile: Profile{EmailAddress: s(), MobilePhoneNumber: s(), PhoneNumber: s(), Attributes: m()}}
		if r.IntN(2) == 0 {
			rec.Profile.Address = &Address{City: s(), Country: s(), PostalCode: s(), State: s()}
		}
		for range r.IntN(3) {
			rec.Objects = append(rec.Objects, m())
		}
		for range r.IntN(3) {
			rec.Consent = append(rec.Consent, Consent{Channel: s(), Address: s(), State: s(), EndpointIds: list(), Field: s()})
		}
		want, err := json.Marshal(&rec)
		if err != nil {
			t.Fatal(err)
		}
		got := appendRecordJSON(nil, &rec)
		if !bytes.Equal(got, want) {
			t.Logf("got  %s\nwant %s", got, want)
			return false
		}
		return true
	}
	if err := quick.Check(f, &quick.Config{MaxCount: 2000}); err != nil {
		t.Fatal(err)
	}
}
