package profiles

import (
	"fmt"
	"testing"
	"time"

	"github.com/valyala/fastjson"
)

// benchLines are typical export lines (about 400 bytes): email, SMS and
// push endpoints with attributes, metrics, demographics and location.
func benchLines(n int) [][]byte {
	out := make([][]byte, n)
	for i := range out {
		var ch, addr string
		switch i % 4 {
		case 0, 1:
			ch, addr = "EMAIL", fmt.Sprintf("user%d@example.com", i)
		case 2:
			ch, addr = "SMS", fmt.Sprintf("+1206555%04d", i%10000)
		case 3:
			ch, addr = "GCM", fmt.Sprintf("tok%064d", i)
		}
		out[i] = fmt.Appendf(nil, `{"Address":%q,"ApplicationId":"0123456789abcdef0123456789abcdef","Attributes":{"Interests":["hiking","music"],"Plan":["gold"]},"ChannelType":%q,"CohortId":"%d","CreationDate":"2024-11-02T17:01:22.120Z","Demographic":{"Locale":"en_US","Platform":"ios","Timezone":"America/Los_Angeles"},"EffectiveDate":"2025-03-14T09:26:53.589Z","EndpointStatus":"ACTIVE","Id":"ep-%d","Location":{"City":"Seattle","Country":"US","Latitude":47.6,"Longitude":-122.3,"PostalCode":"98101","Region":"WA"},"Metrics":{"purchases":%d},"OptOut":"NONE","RequestId":"c1e4d2a0-0000-0000-0000-000000000000","User":{"UserAttributes":{"FirstName":["Jane"],"LastName":["Doe"]},"UserId":"user-%d"}}`,
			addr, ch, i%100, i, i%7, i/2)
	}
	return out
}

// BenchmarkParseEndpoint parses a mix of typical lines and reports lines/s
// (one goroutine).
func BenchmarkParseEndpoint(b *testing.B) {
	all := benchLines(4096)
	for _, mix := range []struct {
		name string
		keep func(i int) bool
	}{
		{"mix", func(int) bool { return true }}, // half email, a quarter SMS, a quarter push
		{"email", func(i int) bool { return i%4 < 2 }},
		{"sms", func(i int) bool { return i%4 == 2 }},
		{"push", func(i int) bool { return i%4 == 3 }},
	} {
		var lines [][]byte
		for i, l := range all {
			if mix.keep(i) {
				lines = append(lines, l)
			}
		}
		b.Run(mix.name, func(b *testing.B) { benchParse(b, lines) })
	}
}

func benchParse(b *testing.B, lines [][]byte) {
	var p fastjson.Parser
	var size int
	for _, l := range lines {
		size += len(l)
	}
	b.SetBytes(int64(size / len(lines)))
	b.ReportAllocs()
	start := time.Now()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := ParseEndpoint(lines[i%len(lines)], &p, ParseOptions{}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "lines/s")
}
