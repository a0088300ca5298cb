package invseed

import (
	"testing"

	"github.com/p2c/p2c/internal/emulator/demoseed"
)

// TestRoundTripDemo rebuilds the demo account, which uses every channel,
// segment dimension and journey activity Pinpoint offers.
func TestRoundTripDemo(t *testing.T) {
	src, url := newEmulator(t)
	if _, err := src.Apply(demoseed.Demo()); err != nil {
		t.Fatalf("apply demo: %v", err)
	}
	before, after, seed, notes := roundTrip(t, url, demoseed.Region, demoseed.EURegion)
	t.Logf("%d calls, %d notes", len(seed.Calls), len(notes))
	for _, n := range notes {
		t.Logf("note: %s", n)
	}
	if len(before.Regions) != 2 || len(before.Regions[1].Apps) == 0 {
		t.Fatalf("the demo's second region was not scanned: %d regions", len(before.Regions))
	}
	compare(t, before, after)
}
