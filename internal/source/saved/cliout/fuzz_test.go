package cliout

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/p2c/p2c/internal/inventory"
)

// FuzzLoad: whatever the bytes, Load returns a fragment or an error (never
// both nil, never a panic), the fragment marshals, and Detect does not
// panic either.
func FuzzLoad(f *testing.F) {
	dir := filepath.Join("..", "..", "..", "..", "..", "shared", "corpus", "pinpoint")
	a, _ := filepath.Glob(filepath.Join(dir, "awscli__*.output.json"))
	b, _ := filepath.Glob(filepath.Join(dir, "generated", "*output.json"))
	c, _ := filepath.Glob(filepath.Join(emuDir, "*.output.json"))
	for _, p := range append(append(a, b...), c...) {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte(`{"SegmentsResponse": {"Item": [{"ApplicationId": "a", "Id": "s", "SegmentType": "DIMENSIONAL", "Version": 1}]}}` + "\n{"))
	f.Add([]byte(`[{"PhoneNumberId": "p", "PhoneNumberArn": "arn:aws:sms-voice:us-east-1:1:phone-number/p"}]`))
	f.Add([]byte(`{"Item": [{"ApplicationId": "a", "ChannelType": "SMS", "Address": "+1", "CohortId": "1"}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		_ = Detect(data)
		inv, err := Load("fuzz.json", data, readAt, Options{DefaultRegion: "us-east-1", Endpoints: func(string, string, json.RawMessage) {}})
		if (inv == nil) == (err == nil) {
			t.Fatalf("Load returned fragment %v and error %v", inv != nil, err)
		}
		if inv != nil {
			if _, err := inventory.Marshal(inv); err != nil {
				t.Fatalf("marshal: %v", err)
			}
		}
	})
}
