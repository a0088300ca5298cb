package profiles

import (
	"context"
	"math"
	"testing"
	"time"
)

// fakeClock drives a controller without sleeping: Wait advances it.
type fakeClock struct{ t time.Time }

func newFakeController(ceiling float64) (*rateController, *fakeClock) {
	clk := &fakeClock{t: time.Unix(1_700_000_000, 0)}
	c := newRateController(ceiling)
	c.now = func() time.Time { return clk.t }
	c.sleep = func(_ context.Context, d time.Duration) error { clk.t = clk.t.Add(d); return nil }
	c.tokens, c.last, c.calm = c.burst, clk.t, clk.t
	return c, clk
}

func TestRateSteady(t *testing.T) {
	c, clk := newFakeController(100)
	start := clk.t
	for range 1000 {
		if err := c.Wait(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	// 1000 calls at 100/s, less the initial burst.
	got := clk.t.Sub(start).Seconds()
	if want := (1000 - c.burst) / 100; math.Abs(got-want) > 0.01 {
		t.Fatalf("1000 calls took %.3fs, want %.3fs", got, want)
	}
}

func TestRateBackoffAndRecovery(t *testing.T) {
	c, clk := newFakeController(100)
	c.Throttled()
	if r := c.Rate(); r != 70 {
		t.Fatalf("after one throttle: %v, want 70", r)
	}
	// Answers throttled together count once.
	c.Throttled()
	c.Throttled()
	if r := c.Rate(); r != 70 {
		t.Fatalf("after a burst of throttles: %v, want 70", r)
	}
	clk.t = clk.t.Add(time.Second)
	c.Throttled()
	if r := c.Rate(); math.Abs(r-49) > 1e-9 {
		t.Fatalf("after a second throttle: %v, want 49", r)
	}
	// Floor.
	for range 30 {
		clk.t = clk.t.Add(time.Second)
		c.Throttled()
	}
	if r := c.Rate(); r != rateFloor {
		t.Fatalf("floor: %v", r)
	}
	// 5% of the ceiling per calm second, up to the ceiling.
	clk.t = clk.t.Add(3 * time.Second)
	_ = c.reserve()
	if r := c.Rate(); math.Abs(r-16) > 1e-9 {
		t.Fatalf("after 3 calm seconds: %v, want 16", r)
	}
	clk.t = clk.t.Add(time.Minute)
	_ = c.reserve()
	if r := c.Rate(); r != 100 {
		t.Fatalf("after a calm minute: %v, want the ceiling", r)
	}
}

func TestTracker(t *testing.T) {
	tr := newTracker(10)
	tr.finish(12, nil, false)
	tr.finish(13, &LoadFailure{Line: 13}, false)
	if wm, failed, _ := tr.take(); wm != 10 || len(failed) != 1 {
		t.Fatalf("watermark %d with line 11 open, failed %v", wm, failed)
	}
	tr.finish(11, nil, false)
	tr.finish(5, nil, true) // an earlier failure that loaded now
	wm, failed, fixed := tr.take()
	if wm != 13 || len(failed) != 0 || len(fixed) != 1 || fixed[0] != 5 || len(tr.done) != 0 {
		t.Fatalf("watermark %d failed %v fixed %v held %v", wm, failed, fixed, tr.done)
	}
}
