package assess

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/p2c/p2c/internal/emulator"
	"github.com/p2c/p2c/internal/emulator/demoseed"
	"github.com/p2c/p2c/internal/emulator/emutest"
	"github.com/p2c/p2c/internal/inventory"
	"github.com/p2c/p2c/internal/source/live"
	"github.com/p2c/p2c/internal/source/saved"
)

var goldenNow = time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)

// golden compares an assessment with testdata/<name>.golden.json; the
// inventory hash is left out since inventories carry read times.
func golden(t *testing.T, name string, a *Assessment) {
	t.Helper()
	a.InventorySHA256 = "(not compared)"
	got, err := json.MarshalIndent(a, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, '\n')
	path := filepath.Join("testdata", name+".golden.json")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./internal/assess -run TestGolden -update)", err)
	}
	if !bytes.Equal(got, want) {
		gl, wl := bytes.Split(got, []byte("\n")), bytes.Split(want, []byte("\n"))
		for i := range min(len(gl), len(wl)) {
			if !bytes.Equal(gl[i], wl[i]) {
				t.Fatalf("%s differs at line %d:\ngot:  %s\nwant: %s\n(run with -update after checking the change)", path, i+1, gl[i], wl[i])
			}
		}
		t.Fatalf("%s differs in length (run with -update after checking the change)", path)
	}
}

func TestGoldenDemo(t *testing.T) {
	if testing.Short() {
		t.Skip("scans the demo account: skipped with -short")
	}
	e := emulator.New(emulator.Options{})
	clock := func() time.Time { return time.Date(2026, 9, 1, 8, 0, 0, 0, time.UTC) }
	e.Pinpoint.SetClock(clock)
	if _, err := e.Apply(demoseed.Demo()); err != nil {
		t.Fatal(err)
	}
	cfg := emutest.Config(emutest.Serve(t, e.Server))
	inv, err := live.Scan(context.Background(), cfg, live.Options{Regions: []string{"us-east-1", "eu-west-1"}, Now: clock, KPIDays: -1})
	if err != nil {
		t.Fatal(err)
	}
	inv = inventory.Merge([]*inventory.Inventory{inv})
	b, _ := inventory.Marshal(inv)
	golden(t, "demo", Assess(inv, b, Options{Tool: "p2c test", Now: func() time.Time { return goldenNow }}))
}

func TestGoldenCorpus(t *testing.T) {
	dir := "../../../shared/corpus/pinpoint"
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("the Pinpoint corpus is not at %s: %v", dir, err)
	}
	res, err := saved.Load(context.Background(), []string{dir}, saved.Options{DefaultRegion: "us-east-1"})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range res.Fragments {
		// File times differ between checkouts; provenance is not what the
		// golden file pins.
		for i := range f.Sources {
			f.Sources[i].ReadAt = time.Time{}
		}
		f.ScannedAt = time.Time{}
	}
	inv := inventory.Merge(res.Fragments)
	b, _ := inventory.Marshal(inv)
	golden(t, "corpus", Assess(inv, b, Options{Tool: "p2c test", Now: func() time.Time { return goldenNow }}))
}
