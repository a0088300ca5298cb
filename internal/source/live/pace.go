package live

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/smithy-go"
	"github.com/aws/smithy-go/middleware"
)

// Why the scan paces itself: Pinpoint's quotas are per operation (300
// requests per second for every read the scan makes), and a big account
// makes tens of thousands of calls, most of them to a few operations (the
// KPI reads of every campaign and journey). Bounding only the requests in
// flight either leaves the quotas unused (few in flight at real latencies)
// or, with many in flight, sends bursts that the service throttles. A
// throttled call is retried after the SDK's throttle backoff (a random
// delay of up to 2 s at first), during which it keeps its slot. So every
// operation gets a pacer at its documented rate, and the slots can be
// many (DefaultConcurrency): the pacers, not the slots, keep the scan
// inside the quotas.
//
// A pacer hands out a request slot together with the turn: it waits for
// the next turn, then for a free slot, and only then lets a caller send.
// Giving the turn first and the slot later would let turns pile up while
// slots are short and then go out in a burst above the quota; taking the
// slot first would let callers queued on one operation hold every slot.

// pinpointRate is the documented quota of every Pinpoint operation the
// scan calls (see the quotas table of the Pinpoint developer guide).
const pinpointRate = 300

// eumRate is the rate for End User Messaging SMS and voice v2 reads. Their
// quotas are set per account and not published per operation; 10 per
// second is the low end, and the scan makes few of these calls (one page
// per list, one per pool and phone number).
const eumRate = 10

// s3Rate is the rate for the export's S3 reads: S3 serves thousands of
// GETs per second per prefix, and an export has a handful of objects.
const s3Rate = 1000

// Throttling adapts the rate: a throttled answer multiplies the
// operation's rate by throttleFactor, at most once per cutInterval (one
// burst of throttles is one signal); each success gives 1/recoverCalls of
// the ceiling back. Accounts can have lower quotas than documented, and
// other workloads share them.
const (
	throttleFactor = 0.7
	cutInterval    = time.Second
	recoverCalls   = 300
	minRate        = 1
)

// Turn states.
const (
	turnWaiting = iota
	turnGranted
	turnAbandoned
)

// turn is one caller's place in a pacer's queue.
type turn struct {
	mu    sync.Mutex
	state int
	ready chan struct{} // closed when granted: the caller holds a slot
}

// pacer spaces the requests of one operation in one region.
type pacer struct {
	reqs chan *turn

	mu      sync.Mutex
	rate    float64
	ceiling float64
	lastCut time.Time
}

func (p *pacer) interval() time.Duration {
	p.mu.Lock()
	defer p.mu.Unlock()
	return time.Duration(float64(time.Second) / p.rate)
}

// run hands out turns in arrival order until done is closed.
func (p *pacer) run(sem chan struct{}, done <-chan struct{}) {
	var next time.Time
	timer := time.NewTimer(0)
	defer timer.Stop()
	for {
		var t *turn
		select {
		case t = <-p.reqs:
		case <-done:
			return
		}
		if d := time.Until(next); d > 0 {
			timer.Reset(d)
			select {
			case <-timer.C:
			case <-done:
				return
			}
		}
		select {
		case sem <- struct{}{}:
		case <-done:
			return
		}
		t.mu.Lock()
		if t.state == turnAbandoned {
			t.mu.Unlock()
			<-sem
			continue
		}
		t.state = turnGranted
		close(t.ready)
		t.mu.Unlock()
		// Keep to the schedule while callers keep up; after a pause (no
		// caller, or no free slot) start afresh rather than catch up.
		now, iv := time.Now(), p.interval()
		if next.IsZero() || now.Sub(next) > iv {
			next = now
		}
		next = next.Add(iv)
	}
}

// observe adapts the rate to one answer.
func (p *pacer) observe(throttled bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !throttled {
		p.rate = min(p.ceiling, p.rate+p.ceiling/recoverCalls)
		return
	}
	if now := time.Now(); now.Sub(p.lastCut) >= cutInterval {
		p.rate = max(minRate, p.rate*throttleFactor)
		p.lastCut = now
	}
}

// pacers holds one pacer per region, service and operation; each runs a
// goroutine until done is closed.
type pacers struct {
	sem  chan struct{}
	done chan struct{}

	mu sync.Mutex
	m  map[string]*pacer
}

func newPacers(sem chan struct{}) *pacers {
	return &pacers{sem: sem, done: make(chan struct{}), m: map[string]*pacer{}}
}

// stop ends the pacers' goroutines.
func (ps *pacers) stop() { close(ps.done) }

func (ps *pacers) get(region, service, op string) *pacer {
	k := region + "/" + service + "/" + op
	ps.mu.Lock()
	defer ps.mu.Unlock()
	p := ps.m[k]
	if p == nil {
		rate := float64(pinpointRate)
		switch service {
		case svcSMSVoice:
			rate = eumRate
		case svcS3:
			rate = s3Rate
		}
		p = &pacer{reqs: make(chan *turn), rate: rate, ceiling: rate}
		ps.m[k] = p
		go p.run(ps.sem, ps.done)
	}
	return p
}

// acquire waits for the operation's turn and a request slot; the caller
// releases the slot with <-sem.
func (ps *pacers) acquire(ctx context.Context, region, service, op string) error {
	p := ps.get(region, service, op)
	t := &turn{ready: make(chan struct{})}
	select {
	case p.reqs <- t:
	case <-ctx.Done():
		return ctx.Err()
	case <-ps.done:
		return errors.New("scan finished")
	}
	select {
	case <-t.ready:
		return nil
	case <-ctx.Done():
		t.mu.Lock()
		granted := t.state == turnGranted
		if !granted {
			t.state = turnAbandoned
		}
		t.mu.Unlock()
		if granted {
			<-ps.sem
		}
		return ctx.Err()
	}
}

// serviceOf maps the SDK's service id to the service names of facts.
func serviceOf(sdkID string) string {
	switch sdkID {
	case "Pinpoint":
		return svcPinpoint
	case "Pinpoint SMS Voice V2":
		return svcSMSVoice
	case "S3":
		return svcS3
	}
	return sdkID
}

// observeAttempts adds a middleware that sits inside the SDK's retry
// loop, so that it sees every attempt, and tells the operation's pacer
// whether the attempt was throttled.
func (ps *pacers) observeAttempts(stack *middleware.Stack) error {
	return stack.Finalize.Insert(middleware.FinalizeMiddlewareFunc("p2cPace",
		func(ctx context.Context, in middleware.FinalizeInput, next middleware.FinalizeHandler) (
			middleware.FinalizeOutput, middleware.Metadata, error,
		) {
			out, md, err := next.HandleFinalize(ctx, in)
			region, op := awsmiddleware.GetRegion(ctx), awsmiddleware.GetOperationName(ctx)
			if region != "" && op != "" {
				ps.get(region, serviceOf(awsmiddleware.GetServiceID(ctx)), op).observe(isThrottle(err))
			}
			return out, md, err
		}), "Retry", middleware.After)
}

func isThrottle(err error) bool {
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		return false
	}
	_, ok := retry.DefaultThrottleErrorCodes[ae.ErrorCode()]
	return ok
}

// withConnectionPool makes the HTTP client keep as many idle connections
// per host as the scan has requests in flight. The SDK's default keeps 10:
// with more in flight, connections would be opened and closed for every
// request. A client the caller built is left alone.
func withConnectionPool(c aws.HTTPClient, conc int) aws.HTTPClient {
	tune := func(t *http.Transport) { t.MaxIdleConnsPerHost = max(t.MaxIdleConnsPerHost, conc) }
	switch bc := c.(type) {
	case nil:
		return awshttp.NewBuildableClient().WithTransportOptions(tune)
	case *awshttp.BuildableClient:
		return bc.WithTransportOptions(tune)
	}
	return c
}
