package core

import (
	"math"
	"math/rand/v2"
	"sync"
	"time"
)

// faults holds the per-operation token buckets and the error dice.
type faults struct {
	mu      sync.Mutex
	quotas  bool
	scale   float64
	errRate float64
	buckets map[string]*bucket
	rng     *rand.Rand
}

// bucket is a token bucket whose burst equals its rate, as AWS documents
// for Pinpoint's per-operation quotas.
type bucket struct {
	rate   float64
	tokens float64
	last   time.Time
}

func newFaults(o Options) *faults {
	f := &faults{buckets: map[string]*bucket{}, rng: rand.New(rand.NewPCG(1, 2))}
	f.set(o)
	return f
}

func (f *faults) set(o Options) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.quotas = o.Quotas
	f.scale = o.QuotaScale
	if f.scale <= 0 {
		f.scale = 1
	}
	f.errRate = o.ErrorRate
	f.buckets = map[string]*bucket{}
}

// allow takes a token for the operation, reporting false when its quota is
// exhausted.
func (f *faults) allow(service, region, op string, quota float64) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	if !f.quotas || quota <= 0 {
		return true
	}
	rate := quota * f.scale
	key := service + "/" + region + "/" + op
	now := time.Now()
	b := f.buckets[key]
	if b == nil {
		b = &bucket{rate: rate, tokens: math.Max(rate, 1), last: now}
		f.buckets[key] = b
	}
	b.tokens = math.Min(math.Max(b.rate, 1), b.tokens+now.Sub(b.last).Seconds()*b.rate)
	b.last = now
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}

// fail rolls the dice for an injected server error.
func (f *faults) fail() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.errRate > 0 && f.rng.Float64() < f.errRate
}
