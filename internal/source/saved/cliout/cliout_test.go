package cliout

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/p2c/p2c/internal/inventory"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden")

var readAt = time.Date(2026, 10, 1, 12, 0, 0, 0, time.UTC)

// corpusDir is ../shared/corpus/pinpoint beside the repository.
func corpusDir(t testing.TB) string {
	dir := filepath.Join("..", "..", "..", "..", "..", "shared", "corpus", "pinpoint")
	if _, err := os.Stat(filepath.Join(dir, "SOURCES.md")); err != nil {
		t.Skipf("the Pinpoint corpus is not at %s (it sits beside the repository in the team's workspace): %v", dir, err)
	}
	return dir
}

// corpusOutputs lists the corpus files this loader reads.
func corpusOutputs(t testing.TB) []string {
	dir := corpusDir(t)
	a, _ := filepath.Glob(filepath.Join(dir, "awscli__*.output.json"))
	b, _ := filepath.Glob(filepath.Join(dir, "generated", "*output.json"))
	files := append(a, b...)
	if len(files) == 0 {
		t.Fatalf("no CLI outputs in %s", dir)
	}
	return files
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (run go test -update and review the diff)\n%s", name, firstDiff(want, got))
	}
}

func firstDiff(a, b []byte) string {
	al, bl := strings.Split(string(a), "\n"), strings.Split(string(b), "\n")
	for i := 0; i < len(al) || i < len(bl); i++ {
		var x, y string
		if i < len(al) {
			x = al[i]
		}
		if i < len(bl) {
			y = bl[i]
		}
		if x != y {
			return "line " + itoa(i+1) + ":\n  want: " + x + "\n  got:  " + y
		}
	}
	return ""
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

func load(t *testing.T, name string, data []byte) *inventory.Inventory {
	t.Helper()
	inv, err := Load(name, data, readAt, Options{DefaultRegion: "eu-west-1"})
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return inv
}

func TestCorpusGolden(t *testing.T) {
	for _, path := range corpusOutputs(t) {
		base := filepath.Base(path)
		t.Run(base, func(t *testing.T) {
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if !Detect(data) {
				t.Errorf("Detect = false")
			}
			inv := load(t, base, data)
			out, err := inventory.Marshal(inv)
			if err != nil {
				t.Fatal(err)
			}
			golden(t, "corpus__"+strings.TrimSuffix(base, ".json")+".fragment.json", out)
			checkWire(t, inv)
		})
	}
}
