package live

import (
	"context"
	"sync"
	"testing"
	"time"
)

// TestPacerRate checks that callers of one operation are spaced at its
// rate, that another operation is not held up by them, and that a throttle
// slows the operation down.
func TestPacerRate(t *testing.T) {
	sem := make(chan struct{}, 4)
	ps := newPacers(sem)
	defer ps.stop()
	ps.get("r", svcPinpoint, "Slow").rate = 100 // 10 ms apart
	var wg sync.WaitGroup
	start := time.Now()
	for range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := ps.acquire(context.Background(), "r", svcPinpoint, "Slow"); err != nil {
				t.Error(err)
				return
			}
			<-sem
		}()
	}
	// Another operation goes at once.
	other := time.Now()
	if err := ps.acquire(context.Background(), "r", svcPinpoint, "Other"); err != nil {
		t.Fatal(err)
	}
	<-sem
	if d := time.Since(other); d > 100*time.Millisecond {
		t.Errorf("another operation waited %s", d)
	}
	wg.Wait()
	if d := time.Since(start); d < 180*time.Millisecond {
		t.Errorf("20 calls at 100/s took %s", d)
	}

	p := ps.get("r", svcPinpoint, "Slow")
	p.observe(true)
	p.observe(true) // one burst of throttles is one cut
	if p.rate != 100*throttleFactor {
		t.Errorf("rate after throttles = %v", p.rate)
	}
	for range recoverCalls {
		p.observe(false)
	}
	if p.rate != p.ceiling {
		t.Errorf("rate after recovery = %v, ceiling %v", p.rate, p.ceiling)
	}
}

// TestPacerCancel checks that a caller that gives up while waiting does
// not keep a slot.
func TestPacerCancel(t *testing.T) {
	sem := make(chan struct{}, 1)
	ps := newPacers(sem)
	defer ps.stop()
	ps.get("r", svcPinpoint, "Op").rate = 2 // 500 ms apart
	if err := ps.acquire(context.Background(), "r", svcPinpoint, "Op"); err != nil {
		t.Fatal(err)
	}
	<-sem
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if err := ps.acquire(ctx, "r", svcPinpoint, "Op"); err == nil {
		t.Fatal("acquire did not wait for the turn")
	}
	time.Sleep(600 * time.Millisecond) // the abandoned turn comes up
	select {
	case sem <- struct{}{}:
		<-sem
	default:
		t.Fatal("an abandoned turn kept the slot")
	}
}
