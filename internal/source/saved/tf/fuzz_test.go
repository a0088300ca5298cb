package tf

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/p2c/p2c/internal/inventory"
)

// FuzzLoad feeds arbitrary bytes as the second file of a module whose
// first file is fixed: the loader must never panic, and must return a
// fragment or an error.
func FuzzLoad(f *testing.F) {
	seeds, _ := filepath.Glob(filepath.Join(corpusDir, "*.tf"))
	for _, p := range seeds {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte(richModule))
	f.Add([]byte(`{"resource": {"aws_pinpoint_app": {"a": {"name": "${var.x}"}}}}`))
	f.Add([]byte("resource \"aws_pinpoint_app\" \"a\" {\n  count = 3\n  name = \"a${count.index}\"\n}\n"))
	f.Add([]byte("locals {\n a = local.b\n b = local.a\n}\nresource \"aws_pinpoint_sms_channel\" \"s\" {\n application_id = local.a\n}\n"))
	first := []byte("variable \"v\" {\n  default = { a = \"b\" }\n}\nresource \"aws_pinpoint_app\" \"base\" {\n  name = var.v.a\n}\n")
	f.Fuzz(func(t *testing.T, data []byte) {
		Detect(data)
		inv, err := Load([]File{{Name: "fuzz/a.tf", Data: first}, {Name: "fuzz/b.tf", Data: data}}, Options{DefaultRegion: "us-east-1"})
		if inv == nil && err == nil {
			t.Fatal("neither a fragment nor an error")
		}
		if inv != nil {
			if _, err := marshalNoT(inv); err != nil {
				t.Fatal(err)
			}
		}
	})
}

func marshalNoT(inv *inventory.Inventory) ([]byte, error) { return inventory.Marshal(inv) }
