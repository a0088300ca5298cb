package cfn

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/p2c/p2c/internal/inventory"
)

// FuzzLoad checks that no input makes the loader panic, and that it always
// returns a fragment that marshals, or an error.
func FuzzLoad(f *testing.F) {
	var seeds []string
	if _, err := os.Stat(filepath.Join(corpusDir, "SOURCES.md")); err == nil {
		for _, n := range corpusTemplates {
			seeds = append(seeds, filepath.Join(corpusDir, n))
		}
	}
	more, _ := filepath.Glob(filepath.Join("testdata", "*.yaml"))
	seeds = append(seeds, more...)
	more, _ = filepath.Glob(filepath.Join("testdata", "*.json"))
	seeds = append(seeds, more...)
	for _, s := range seeds {
		data, err := os.ReadFile(s)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte("Resources:\n  A: &a\n    Type: AWS::Pinpoint::App\n    Properties: {Name: !Sub ['${x}', {x: !Ref A}]}\n  B: *a\n"))
	f.Add([]byte(`{"Resources": {"A": {"Type": "AWS::Pinpoint::SmsTemplate", "Properties": {"TemplateName": {"Fn::Select": ["9", []]}}}}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		Detect(data)
		inv, err := Load("fuzz.yaml", data, readAt, Options{DefaultRegion: "us-east-1", AccountID: "123456789012"})
		if err != nil {
			if inv != nil {
				t.Fatal("both a fragment and an error")
			}
			return
		}
		if inv == nil {
			t.Fatal("neither a fragment nor an error")
		}
		if _, err := inventory.Marshal(inv); err != nil {
			t.Fatalf("fragment does not marshal: %v", err)
		}
	})
}
