package profiles

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"
)

// checkpointEvery is how often the watermark reaches the journal while a
// file loads (and once more at its end).
const checkpointEvery = 500 * time.Millisecond

// tracker turns out-of-order completions into a watermark: the highest
// line such that every line up to it is done. Only the lines above the
// watermark that finished early are held, at most one per record in
// flight.
type tracker struct {
	mu     sync.Mutex
	wm     int64
	done   map[int64]bool
	failed []LoadFailure // to journal
	fixed  []int64       // earlier failures that loaded now
}

func newTracker(wm int64) *tracker { return &tracker{wm: wm, done: map[int64]bool{}} }

func (t *tracker) finish(line int64, fail *LoadFailure, wasFailed bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if fail != nil {
		t.failed = append(t.failed, *fail)
	} else if wasFailed {
		t.fixed = append(t.fixed, line)
	}
	if line <= t.wm {
		return
	}
	t.done[line] = true
	for t.done[t.wm+1] {
		delete(t.done, t.wm+1)
		t.wm++
	}
}

// take returns what the next checkpoint writes.
func (t *tracker) take() (int64, []LoadFailure, []int64) {
	t.mu.Lock()
	defer t.mu.Unlock()
	f, x := t.failed, t.fixed
	t.failed, t.fixed = nil, nil
	return t.wm, f, x
}

// untake puts back what a failed checkpoint could not write.
func (t *tracker) untake(f []LoadFailure, x []int64) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.failed = append(f, t.failed...)
	t.fixed = append(x, t.fixed...)
}

type apiJob struct {
	line      int64
	rec       *Record
	wasFailed bool
}

// loadFile loads one record file by the API, from its checkpoint. Lines
// at or below the watermark are skipped, except those the journal lists as
// failed: they are tried again.
func (l *loader) loadFile(ctx context.Context, path string) error {
	wm, fails, err := l.j.watermark(ctx, path)
	if err != nil {
		return err
	}
	tr := newTracker(wm)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	jobs := make(chan apiJob)
	var wg sync.WaitGroup
	for range l.opts.Workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for jb := range jobs {
				n, err := l.loadRecord(ctx, jb.rec)
				if err != nil && ctx.Err() != nil {
					continue // interrupted, not failed: the next run redoes it
				}
				l.mu.Lock()
				l.sum.Objects += int64(n)
				var fail *LoadFailure
				if err != nil {
					fail = &LoadFailure{File: path, Line: jb.line, ProfileKey: jb.rec.ProfileKey, Error: err.Error()}
					l.sum.Failed++
					l.sum.Failures = append(l.sum.Failures, *fail)
				} else {
					l.sum.Loaded++
				}
				l.mu.Unlock()
				tr.finish(jb.line, fail, jb.wasFailed)
			}
		}()
	}

	var ckErr error
	var ckMu sync.Mutex
	checkpoint := func() {
		ckMu.Lock()
		defer ckMu.Unlock()
		w, f, x := tr.take()
		if err := l.j.checkpoint(path, w, f, x); err != nil {
			tr.untake(f, x)
			if ckErr == nil {
				ckErr = err
			}
		}
	}
	stop := make(chan struct{})
	tickerDone := make(chan struct{})
	go func() {
		defer close(tickerDone)
		t := time.NewTicker(checkpointEvery)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				checkpoint()
				l.progress(path, false)
			}
		}
	}()

	rerr := readRecords(path, func(line int64, rec *Record, err error) error {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		_, wasFailed := fails[line]
		if rec != nil || err != nil {
			l.add(&l.sum.Records, 1)
		}
		if line <= wm && !wasFailed {
			if rec != nil {
				l.add(&l.sum.Skipped, 1)
			}
			return nil
		}
		switch {
		case err != nil:
			f := &LoadFailure{File: path, Line: line, Error: err.Error()}
			l.mu.Lock()
			l.sum.Failed++
			l.sum.Failures = append(l.sum.Failures, *f)
			l.mu.Unlock()
			tr.finish(line, f, wasFailed)
		case rec == nil: // blank line
			tr.finish(line, nil, wasFailed)
		case !l.opts.Shard.Has(rec.ProfileKey):
			l.add(&l.sum.OtherShard, 1)
			tr.finish(line, nil, wasFailed)
		default:
			select {
			case jobs <- apiJob{line: line, rec: rec, wasFailed: wasFailed}:
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		return nil
	})
	close(jobs)
	wg.Wait()
	close(stop)
	<-tickerDone
	checkpoint()
	l.progress(path, true)
	if rerr != nil {
		return fmt.Errorf("load %s: %w", path, rerr)
	}
	if ckErr != nil {
		return ckErr
	}
	return ctx.Err()
}

func (l *loader) add(n *int64, d int64) {
	l.mu.Lock()
	*n += d
	l.mu.Unlock()
}

func (l *loader) progress(path string, last bool) {
	if l.opts.Progress == nil {
		return
	}
	l.mu.Lock()
	if !last && time.Since(l.lastProgress) < progressEvery {
		l.mu.Unlock()
		return
	}
	l.lastProgress = time.Now()
	s := *l.sum
	l.mu.Unlock()
	l.progressf("load %s: %d records, %d loaded, %d skipped, %d failed", path, s.Records, s.Loaded, s.Skipped+s.OtherShard, s.Failed)
}

// loadRecord writes one record: its objects (the first creates the keyed
// profile: the object type's PROFILE key does it atomically), then finds
// the profile by key and updates it with the merged fields. Every call is
// an upsert, so a record done twice (a resumed load) changes nothing.
func (l *loader) loadRecord(ctx context.Context, rec *Record) (int, error) {
	o := l.opts
	objs := rec.Objects
	if len(objs) == 0 {
		// Objects left out by the transform: the profile still needs one
		// to be created with its key.
		for _, id := range rec.EndpointIds {
			objs = append(objs, map[string]string{"ProfileKey": rec.ProfileKey, "EndpointId": id})
		}
		if len(objs) == 0 {
			return 0, errors.New("record has no endpoints: nothing creates its profile")
		}
	}
	n := 0
	for _, obj := range objs {
		if obj["ProfileKey"] != rec.ProfileKey {
			cp := make(map[string]string, len(obj)+1)
			for k, v := range obj {
				cp[k] = v
			}
			cp["ProfileKey"] = rec.ProfileKey
			obj = cp
		}
		b, err := json.Marshal(obj)
		if err != nil {
			return n, fmt.Errorf("encode object: %w", err)
		}
		if _, err := l.call(ctx, "PutProfileObject", map[string]any{"DomainName": o.Domain, "ObjectTypeName": o.ObjectType, "Object": string(b)}); err != nil {
			return n, fmt.Errorf("put object of endpoint %s: %w", obj["EndpointId"], err)
		}
		n++
	}
	out, err := l.call(ctx, "SearchProfiles", map[string]any{"DomainName": o.Domain, "KeyName": ProfileKeyName, "Values": []any{rec.ProfileKey}})
	if err != nil {
		return n, fmt.Errorf("search profile: %w", err)
	}
	items, _ := out["Items"].([]any)
	var ids []string
	for _, it := range items {
		m, _ := it.(map[string]any)
		if id, _ := m["ProfileId"].(string); id != "" {
			ids = append(ids, id)
		}
	}
	switch {
	case len(ids) == 0:
		return n, fmt.Errorf("search profile: no profile has %s %q after its objects were put", ProfileKeyName, rec.ProfileKey)
	case len(ids) > 1 || out["NextToken"] != nil:
		return n, fmt.Errorf("search profile: %d profiles have %s %q (%v): merge them, then load again", len(ids), ProfileKeyName, rec.ProfileKey, ids)
	}
	in := profileInput(rec.Profile)
	if len(in) == 0 {
		return n, nil
	}
	in["DomainName"], in["ProfileId"] = o.Domain, ids[0]
	if _, err := l.call(ctx, "UpdateProfile", in); err != nil {
		return n, fmt.Errorf("update profile %s: %w", ids[0], err)
	}
	return n, nil
}

// profileInput is the UpdateProfile members of a record's profile.
func profileInput(p Profile) map[string]any {
	in := map[string]any{}
	for k, v := range map[string]string{"EmailAddress": p.EmailAddress, "MobilePhoneNumber": p.MobilePhoneNumber, "PhoneNumber": p.PhoneNumber} {
		if v != "" {
			in[k] = v
		}
	}
	if a := p.Address; a != nil {
		m := map[string]any{}
		for k, v := range map[string]string{"City": a.City, "Country": a.Country, "PostalCode": a.PostalCode, "State": a.State} {
			if v != "" {
				m[k] = v
			}
		}
		if len(m) > 0 {
			in["Address"] = m
		}
	}
	if len(p.Attributes) > 0 {
		m := make(map[string]any, len(p.Attributes))
		for k, v := range p.Attributes {
			m[k] = v
		}
		in["Attributes"] = m
	}
	return in
}
