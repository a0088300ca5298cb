package profiles

import (
	"context"
	"sync"
	"time"
)

// Rate control. Each operation gets its own controller: a token bucket
// whose rate starts at the ceiling (the published quota), drops by 30% on
// every throttling answer and climbs back by 5% of the ceiling for every
// second without one. Customer Profiles' quotas are per operation, so a
// throttled SearchProfiles must not slow PutProfileObject down.
const (
	rateDecrease = 0.7
	rateIncrease = 0.05
	rateFloor    = 1.0
	// throttleWindow: answers throttled within this time after a decrease
	// were sent at the old rate; counting each would collapse the rate
	// once per request in flight.
	throttleWindow = 200 * time.Millisecond
)

type rateController struct {
	mu      sync.Mutex
	ceiling float64
	rate    float64
	burst   float64
	tokens  float64
	last    time.Time // last refill
	calm    time.Time // start of the current second without throttling
	cut     time.Time // last decrease
	now     func() time.Time
	sleep   func(context.Context, time.Duration) error
}

func newRateController(ceiling float64) *rateController {
	if ceiling <= 0 {
		ceiling = 100
	}
	burst := min(max(ceiling/20, 1), 10)
	c := &rateController{ceiling: ceiling, rate: ceiling, burst: burst, now: time.Now, sleep: sleepCtx}
	t := c.now()
	c.tokens, c.last, c.calm = burst, t, t
	return c
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// reserve takes a token and returns how long the caller must wait before
// using it.
func (c *rateController) reserve() time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	t := c.now()
	// Every full second without throttling raises the rate.
	for c.rate < c.ceiling && t.Sub(c.calm) >= time.Second {
		c.refill(c.calm.Add(time.Second))
		c.calm = c.calm.Add(time.Second)
		c.rate = min(c.ceiling, c.rate+rateIncrease*c.ceiling)
	}
	if c.rate >= c.ceiling && t.Sub(c.calm) >= time.Second {
		c.calm = t
	}
	c.refill(t)
	c.tokens--
	if c.tokens >= 0 {
		return 0
	}
	return time.Duration(-c.tokens / c.rate * float64(time.Second))
}

func (c *rateController) refill(t time.Time) {
	if t.After(c.last) {
		c.tokens = min(c.burst, c.tokens+t.Sub(c.last).Seconds()*c.rate)
		c.last = t
	}
}

// Wait blocks until the next call may be sent.
func (c *rateController) Wait(ctx context.Context) error {
	return c.sleep(ctx, c.reserve())
}

// Throttled lowers the rate after a throttling answer.
func (c *rateController) Throttled() {
	c.mu.Lock()
	defer c.mu.Unlock()
	t := c.now()
	c.calm = t
	if !c.cut.IsZero() && t.Sub(c.cut) < throttleWindow {
		return
	}
	c.refill(t)
	c.cut = t
	c.rate = max(rateFloor, c.rate*rateDecrease)
	// Tokens handed out at the old rate are not taken back, but no new
	// burst either.
	c.tokens = min(c.tokens, 0)
}

// Rate is the current rate (calls per second).
func (c *rateController) Rate() float64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.rate
}
