package profiles

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/valyala/fastjson"

	"github.com/p2c/p2c/internal/artifact"
	"github.com/p2c/p2c/internal/source/saved"
	"github.com/p2c/p2c/internal/translate"
)

// The transform runs in three phases:
//
//  1. read and parse every input in parallel; each parsed endpoint goes
//     into a sort run keyed (ProfileKey, EndpointId, Seq), and a small
//     tuple (EndpointId, Seq, EffectiveDate, ProfileKey) into a second run
//     stream keyed by endpoint id; rejects go to reject runs keyed by line;
//  2. merge the tuple runs to find duplicate endpoint ids and their losers
//     (a loser run keyed like the endpoint runs);
//  3. merge the endpoint runs, drop the losers, group by profile key and
//     Build each group, in parallel, writing records in key order.
//
// Memory is the sort buffers plus one group per build worker; nothing
// holds every key. Phase 1 checkpoints into a manifest at input
// boundaries, so a killed transform redoes only unfinished inputs.

// parseFn and buildFn are ParseEndpoint and Build; tests may swap them.
var (
	parseFn = ParseEndpoint
	buildFn = Build
)

// maxGroup caps the endpoints of one profile key. Pinpoint allows 15
// endpoints per user; thousands mean a placeholder user id shared by
// unrelated endpoints, which must not become one giant profile.
var maxGroup = 10000

// TransformOptions control Transform.
type TransformOptions struct {
	From []string // files, folders, s3://bucket/prefix
	Out  string   // output folder (created 0700)
	S3   saved.ObjectStore
	// TempDir holds sorted runs (default: Out/.work, Out/.work-I-of-N for
	// a shard); kept until the transform finishes so a killed run resumes.
	TempDir string
	Shard   Shard
	Parse   ParseOptions
	Build   BuildOptions
	// MemoryBytes bounds the in-memory sort buffers (default 64 MiB).
	MemoryBytes int
	Workers     int       // parsing goroutines (default GOMAXPROCS)
	Progress    io.Writer // progress lines (stderr); nil for none
}

const manifestName = "manifest.json"

// manifestVersion changes when the run format does: an older temp folder
// is then started over.
const manifestVersion = 1

// manifest is the checkpoint of phase 1: inputs whose lines are all in
// committed runs.
type manifest struct {
	Version int      `json:"version"`
	Options string   `json:"options"`
	NextID  int64    `json:"nextId"`
	Commits []commit `json:"commits"`
}

// commit is a set of consecutive inputs and the runs that hold all their
// lines (and no others).
type commit struct {
	Inputs  []doneInput `json:"inputs"`
	Runs    []string    `json:"runs"`
	Tuples  []string    `json:"tuples"`
	Rejects []string    `json:"rejects"`
}

type doneInput struct {
	input
	Lines int64 `json:"lines"`
}

type transform struct {
	opts   TransformOptions
	inputs []input
	index  map[string]int // input name → position
	man    manifest
	next   atomic.Int64 // run file numbering

	mu      sync.Mutex
	pending commit // runs written since the last commit
	stats   []InputStats
	sum     Summary
}

// Transform streams endpoint exports into Out: profiles.jsonl.gz,
// rejects.jsonl and summary.json (shard-suffixed names for a shard).
func Transform(ctx context.Context, opts TransformOptions) (*Summary, error) {
	start := time.Now()
	if opts.Out == "" {
		return nil, errors.New("transform: no output folder")
	}
	if len(opts.From) == 0 {
		return nil, errors.New("transform: no input (--from)")
	}
	if opts.Workers <= 0 {
		opts.Workers = runtime.GOMAXPROCS(0)
	}
	if opts.MemoryBytes <= 0 {
		opts.MemoryBytes = 64 << 20
	}
	defer gcRoom(opts.MemoryBytes)()
	if opts.TempDir == "" {
		name := ".work"
		if opts.Shard.N > 1 {
			name += fmt.Sprintf("-%d-of-%d", opts.Shard.I, opts.Shard.N)
		}
		opts.TempDir = filepath.Join(opts.Out, name)
	}
	if err := os.MkdirAll(opts.Out, 0o700); err != nil {
		return nil, fmt.Errorf("create output folder: %w", err)
	}
	if err := os.MkdirAll(opts.TempDir, 0o700); err != nil {
		return nil, fmt.Errorf("create temp folder: %w", err)
	}
	skip := []string{filepath.Clean(opts.Out), filepath.Clean(opts.TempDir)}
	inputs, err := listInputs(ctx, opts.From, opts.S3, skip)
	if err != nil {
		return nil, err
	}
	if len(inputs) > 1<<(64-lineBits) {
		return nil, fmt.Errorf("transform: %d input files are more than %d", len(inputs), 1<<(64-lineBits))
	}
	t := &transform{opts: opts, inputs: inputs, index: map[string]int{}}
	for i, in := range inputs {
		t.index[in.Name] = i
	}
	t.sum.Shard = opts.Shard
	if err := t.resume(); err != nil {
		return nil, err
	}
	if err := t.readAll(ctx); err != nil {
		return nil, err
	}
	losers, dupRejects, err := t.duplicates(ctx)
	if err != nil {
		return nil, err
	}
	return t.finish(ctx, start, losers, dupRejects)
}

func (t *transform) progress(format string, args ...any) {
	if t.opts.Progress != nil {
		fmt.Fprintf(t.opts.Progress, format+"\n", args...)
	}
}

// fingerprint is what must match for a temp folder to be reused: the
// options that change the content of the runs or of the output.
func (t *transform) fingerprint() string {
	var fields []string
	for f, ok := range t.opts.Build.ObjectFields {
		if ok {
			fields = append(fields, f)
		}
	}
	slices.Sort(fields)
	b, _ := json.Marshal(map[string]any{
		"shard": t.opts.Shard, "parse": t.opts.Parse, "objectFields": fields,
		"compressRuns": compressRuns,
	})
	return string(b)
}

// resume reads the manifest of an earlier run; its commits are kept when
// the options match and their inputs are still the first inputs,
// unchanged. Files of the temp folder that no commit names are the
// leftovers of a killed run and are removed.
func (t *transform) resume() error {
	fresh := manifest{Version: manifestVersion, Options: t.fingerprint()}
	path := filepath.Join(t.opts.TempDir, manifestName)
	b, err := os.ReadFile(path)
	switch {
	case errors.Is(err, os.ErrNotExist):
		t.man = fresh
	case err != nil:
		return fmt.Errorf("read checkpoint: %w", err)
	default:
		var m manifest
		if err := json.Unmarshal(b, &m); err != nil || m.Version != manifestVersion {
			t.progress("transform: the checkpoint in %s is unreadable or from another version: starting over", t.opts.TempDir)
			t.man = fresh
		} else if m.Options != fresh.Options {
			t.progress("transform: the options changed since the interrupted run (shard, default country or object fields): starting over")
			t.man = fresh
		} else if why := t.matchInputs(m); why != "" {
			t.progress("transform: %s since the interrupted run: starting over", why)
			t.man = fresh
		} else {
			t.man = m
			n := 0
			for _, c := range m.Commits {
				n += len(c.Inputs)
			}
			if n > 0 {
				t.progress("transform: resuming: %d of %d inputs were done", n, len(t.inputs))
			}
		}
	}
	keep := map[string]bool{manifestName: true}
	for _, c := range t.man.Commits {
		for _, l := range [][]string{c.Runs, c.Tuples, c.Rejects} {
			for _, r := range l {
				keep[r] = true
			}
		}
	}
	ents, err := os.ReadDir(t.opts.TempDir)
	if err != nil {
		return fmt.Errorf("read temp folder: %w", err)
	}
	for _, e := range ents {
		if !keep[e.Name()] {
			if err := os.RemoveAll(filepath.Join(t.opts.TempDir, e.Name())); err != nil {
				return fmt.Errorf("clean temp folder: %w", err)
			}
		}
	}
	t.next.Store(t.man.NextID)
	for _, c := range t.man.Commits {
		for _, in := range c.Inputs {
			t.stats = append(t.stats, InputStats{Name: in.Name, Lines: in.Lines, Bytes: in.Size})
		}
	}
	return t.saveManifest()
}

func (t *transform) matchInputs(m manifest) string {
	i := 0
	for _, c := range m.Commits {
		for _, in := range c.Inputs {
			if i >= len(t.inputs) {
				return "an input was removed"
			}
			cur := t.inputs[i]
			if cur.Name != in.Name {
				return "the inputs changed"
			}
			if cur.Size != in.Size || cur.ModTime != in.ModTime {
				return cur.Name + " changed"
			}
			i++
		}
	}
	return ""
}

func (t *transform) saveManifest() error {
	t.man.NextID = t.next.Load()
	b, err := json.MarshalIndent(t.man, "", "  ")
	if err != nil {
		return err
	}
	if err := artifact.Write(filepath.Join(t.opts.TempDir, manifestName), b); err != nil {
		return fmt.Errorf("write checkpoint: %w", err)
	}
	return nil
}

// newRun names a new run file of a kind ("run", "tup", "rej", ...).
func (t *transform) newRun(kind string) string {
	return filepath.Join(t.opts.TempDir, fmt.Sprintf("%s-%07d", kind, t.next.Add(1)))
}

func (t *transform) runPath(name string) string { return filepath.Join(t.opts.TempDir, name) }

func (t *transform) fileName(idx uint64) string {
	if idx < uint64(len(t.inputs)) {
		return t.inputs[idx].Name
	}
	return ""
}

// ---- phase 1 ----

// lineEnt is one line of a batch: its number and where it is in the
// batch's buffer.
type lineEnt struct {
	no       int64
	off, end int
	long     bool
}

type batch struct {
	file  int
	buf   []byte
	lines []lineEnt
}

const batchBytes = 256 << 10

// worker parses lines into its own sort buffers.
type worker struct {
	t       *transform
	p       fastjson.Parser
	eps     *sorter
	tup     *sorter
	rej     *sorter
	scratch []byte
	err     error
}

func (t *transform) newWorker() *worker {
	per := t.opts.MemoryBytes / t.opts.Workers
	return &worker{
		t:   t,
		eps: newSorter(per * 8 / 10),
		tup: newSorter(per / 10),
		rej: newSorter(per / 10),
	}
}

// add puts a record into a sorter, writing the sorter out as a pending
// run first when it is full.
func (w *worker) add(s *sorter, kind string, k1, k2 string, seq uint64, payload []byte) error {
	if !s.fits(len(k1) + len(k2) + len(payload)) {
		if err := w.t.flush(s, kind); err != nil {
			return err
		}
	}
	s.add(k1, k2, seq, payload)
	return nil
}

// flush writes a sorter as a pending run.
func (t *transform) flush(s *sorter, kind string) error {
	if s.empty() {
		return nil
	}
	p := t.newRun(kind)
	if err := s.writeRun(p); err != nil {
		return err
	}
	t.mu.Lock()
	name := filepath.Base(p)
	switch kind {
	case "run":
		t.pending.Runs = append(t.pending.Runs, name)
	case "tup":
		t.pending.Tuples = append(t.pending.Tuples, name)
	default:
		t.pending.Rejects = append(t.pending.Rejects, name)
	}
	t.mu.Unlock()
	return nil
}

// Reject payload flags, ahead of the reject's JSON.
const (
	rfRejected = 1 << iota
	rfInvalidAddress
	rfSplit
	rfDuplicate
)

func rejectFlags(r *Reject) byte {
	var f byte
	if r.Action == ActionRejected {
		f |= rfRejected
	}
	if IsInvalidAddress(*r) {
		f |= rfInvalidAddress
	}
	if IsSplit(*r) {
		f |= rfSplit
	}
	return f
}

func seqKey(seq uint64) string {
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], seq)
	return string(b[:])
}

// addReject encodes a reject into a reject sorter (sorted by line, then
// kind and index).
func addReject(add func(k1, k2 string, seq uint64, payload []byte) error, buf []byte, seq uint64, kind byte, idx int, r *Reject, extra byte) ([]byte, error) {
	buf = append(buf[:0], rejectFlags(r)|extra)
	b, err := json.Marshal(r)
	if err != nil {
		return buf, err
	}
	buf = append(buf, b...)
	return buf, add(seqKey(seq), rejectKey(kind, idx), seq, buf)
}

func (w *worker) addRej(k1, k2 string, seq uint64, p []byte) error {
	return w.add(w.rej, "rej", k1, k2, seq, p)
}

func (w *worker) do(b *batch) error {
	t := w.t
	name := t.inputs[b.file].Name
	var rbuf []byte
	var err error
	popts := t.opts.Parse
	if t.opts.Shard.N > 1 {
		// Other shards' lines are read only for their key and date.
		popts.Owns = t.opts.Shard.Has
	}
	for _, l := range b.lines {
		line := b.buf[l.off:l.end]
		seq := makeSeq(b.file, l.no)
		if l.long {
			r := Reject{File: name, Line: l.no, Action: ActionRejected,
				Reason: fmt.Sprintf("line longer than %d bytes", maxLine), Input: cutInput(line) + "…"}
			if t.opts.Shard.Has(name + ":" + strconv.FormatInt(l.no, 10)) {
				if rbuf, err = addReject(w.addRej, rbuf, seq, rejectParse, 0, &r, 0); err != nil {
					return err
				}
			}
			continue
		}
		e, perr := parseFn(line, &w.p, popts)
		if perr != nil {
			r := Reject{File: name, Line: l.no, Action: ActionRejected, Reason: perr.Error(), Input: cutInput(line)}
			var le *LineError
			if errors.As(perr, &le) {
				r.Field, r.Reason = le.Field, le.Reason
			}
			if t.opts.Shard.Has(name + ":" + strconv.FormatInt(l.no, 10)) {
				if rbuf, err = addReject(w.addRej, rbuf, seq, rejectParse, 0, &r, 0); err != nil {
					return err
				}
			}
			continue
		}
		e.File, e.Line, e.Seq = name, l.no, seq
		key := e.ProfileKey()
		w.scratch = appendTuple(w.scratch[:0], e.EffectiveDate, key)
		if err := w.add(w.tup, "tup", e.ID, "", seq, w.scratch); err != nil {
			return err
		}
		if !t.opts.Shard.Has(key) {
			continue
		}
		w.scratch = appendEndpoint(w.scratch[:0], &e)
		if err := w.add(w.eps, "run", key, e.ID, seq, w.scratch); err != nil {
			return err
		}
		for i := range e.Repairs {
			r := e.Repairs[i]
			r.File, r.Line = name, l.no
			if r.EndpointId == "" {
				r.EndpointId = e.ID
			}
			if rbuf, err = addReject(w.addRej, rbuf, seq, rejectParse, i, &r, 0); err != nil {
				return err
			}
		}
	}
	return nil
}

// readAll is phase 1: every input not committed yet is read, parsed and
// sorted into runs; a commit follows an input once enough data has
// gathered since the last one (and after the last input).
func (t *transform) readAll(ctx context.Context) error {
	done := 0
	for _, c := range t.man.Commits {
		done += len(c.Inputs)
	}
	if done == len(t.inputs) {
		return nil
	}
	workers := make([]*worker, t.opts.Workers)
	for i := range workers {
		workers[i] = t.newWorker()
	}
	work := make(chan *batch, 2*len(workers))
	var wg, batches sync.WaitGroup
	var failed atomic.Bool
	var firstErr error
	var errOnce sync.Once
	fail := func(err error) {
		errOnce.Do(func() { firstErr = err })
		failed.Store(true)
	}
	pool := sync.Pool{New: func() any { return &batch{buf: make([]byte, 0, batchBytes+64<<10)} }}
	for _, w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for b := range work {
				if !failed.Load() {
					if err := w.do(b); err != nil {
						fail(err)
					}
				}
				b.buf, b.lines = b.buf[:0], b.lines[:0]
				pool.Put(b)
				batches.Done()
			}
		}()
	}
	stop := func() error {
		close(work)
		wg.Wait()
		return firstErr
	}

	var sinceCommit int64
	t.pending = commit{}
	for i := done; i < len(t.inputs); i++ {
		if err := ctx.Err(); err != nil {
			stop()
			return err
		}
		in := t.inputs[i]
		lr, err := openInput(ctx, in, t.opts.S3)
		if err != nil {
			stop()
			return err
		}
		var lines int64
		b := pool.Get().(*batch)
		b.file = i
		send := func() {
			batches.Add(1)
			work <- b
			b = pool.Get().(*batch)
			b.file = i
		}
		for {
			line, no, long, err := lr.next()
			if err == io.EOF {
				break
			}
			if err != nil {
				lr.Close()
				stop()
				return err
			}
			lines++
			off := len(b.buf)
			b.buf = append(b.buf, line...)
			b.lines = append(b.lines, lineEnt{no: no, off: off, end: len(b.buf), long: long})
			if len(b.buf) >= batchBytes {
				if failed.Load() {
					break
				}
				send()
			}
		}
		if len(b.lines) > 0 {
			send()
		}
		lr.Close()
		if failed.Load() {
			stop()
			return firstErr
		}
		sinceCommit += lr.counts.n
		t.stats = append(t.stats, InputStats{Name: in.Name, Lines: lines, Bytes: in.Size})
		t.pending.Inputs = append(t.pending.Inputs, doneInput{input: in, Lines: lines})
		t.progress("read %s: %d lines", in.Name, lines)
		last := i == len(t.inputs)-1
		if !last && sinceCommit < int64(t.opts.MemoryBytes/4) {
			continue
		}
		// Commit: wait for the workers to finish every batch sent, write
		// their buffers out, then record the inputs and runs.
		batches.Wait()
		if failed.Load() {
			stop()
			return firstErr
		}
		if err := t.flushAll(workers); err != nil {
			stop()
			return err
		}
		t.man.Commits = append(t.man.Commits, t.pending)
		t.pending = commit{}
		if err := t.saveManifest(); err != nil {
			stop()
			return err
		}
		sinceCommit = 0
	}
	return stop()
}

// flushAll writes every worker's buffers out, in parallel. The workers
// are idle (every batch sent is done), so their sorters can be used here.
func (t *transform) flushAll(workers []*worker) error {
	errs := make(chan error, 3*len(workers))
	var wg sync.WaitGroup
	for _, w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- t.flush(w.eps, "run")
			errs <- t.flush(w.tup, "tup")
			errs <- t.flush(w.rej, "rej")
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			return err
		}
	}
	// Run order in a commit does not change the merge result; sorting
	// keeps the manifest stable.
	slices.Sort(t.pending.Runs)
	slices.Sort(t.pending.Tuples)
	slices.Sort(t.pending.Rejects)
	return nil
}

func (t *transform) committed() (runs, tuples, rejects []string) {
	for _, c := range t.man.Commits {
		for _, r := range c.Runs {
			runs = append(runs, t.runPath(r))
		}
		for _, r := range c.Tuples {
			tuples = append(tuples, t.runPath(r))
		}
		for _, r := range c.Rejects {
			rejects = append(rejects, t.runPath(r))
		}
	}
	return
}

// keepSet lists committed runs: reduceRuns must not remove them, as a
// resumed run needs them again.
func (t *transform) keepSet() map[string]bool {
	runs, tuples, rejects := t.committed()
	keep := map[string]bool{}
	for _, l := range [][]string{runs, tuples, rejects} {
		for _, r := range l {
			keep[r] = true
		}
	}
	return keep
}

// ---- phase 2 ----

type tupleEnt struct {
	seq       uint64
	effective string
	key       string
}

// later reports whether endpoint a supersedes b: the later EffectiveDate,
// then the later line.
func later(a, b *tupleEnt) bool {
	ta, ea := time.Parse(time.RFC3339Nano, a.effective)
	tb, eb := time.Parse(time.RFC3339Nano, b.effective)
	if ea == nil && eb == nil {
		if !ta.Equal(tb) {
			return ta.After(tb)
		}
	} else if a.effective != b.effective {
		return a.effective > b.effective
	}
	return a.seq > b.seq
}

// duplicates is phase 2: it merges the tuple runs and writes the losers
// among endpoints sharing an id into loser runs (keyed like the endpoint
// runs), and their rejects into reject runs.
func (t *transform) duplicates(ctx context.Context) (losers, rejects []string, err error) {
	_, tuples, _ := t.committed()
	tuples, err = reduceRuns(tuples, func() string { return t.newRun("mtup") }, t.keepSet())
	if err != nil {
		return nil, nil, err
	}
	m, err := newMerger(tuples)
	if err != nil {
		return nil, nil, err
	}
	defer m.close()
	ls := newSorter(4 << 20)
	rs := newSorter(4 << 20)
	addTo := func(s *sorter, kind string, out *[]string) func(k1, k2 string, seq uint64, p []byte) error {
		return func(k1, k2 string, seq uint64, p []byte) error {
			if !s.fits(len(k1) + len(k2) + len(p)) {
				path := t.newRun(kind)
				if err := s.writeRun(path); err != nil {
					return err
				}
				*out = append(*out, path)
			}
			s.add(k1, k2, seq, p)
			return nil
		}
	}
	addLoser := addTo(ls, "lose", &losers)
	addRej := addTo(rs, "drej", &rejects)
	var id string
	var group []tupleEnt
	var rbuf []byte
	settle := func() error {
		if len(group) < 2 {
			return nil
		}
		w := 0
		for i := 1; i < len(group); i++ {
			if later(&group[i], &group[w]) {
				w = i
			}
		}
		win := group[w]
		by := fmt.Sprintf("%s:%d", t.fileName(win.seq>>lineBits), win.seq&lineMask)
		for i := range group {
			if i == w {
				continue
			}
			g := &group[i]
			if err := addLoser(g.key, id, g.seq, nil); err != nil {
				return err
			}
			if !t.opts.Shard.Has(g.key) {
				continue
			}
			r := Reject{File: t.fileName(g.seq >> lineBits), Line: int64(g.seq & lineMask), Action: ActionRejected,
				Field: "Id", Reason: "duplicate endpoint id: superseded by " + by, EndpointId: id}
			var err error
			if rbuf, err = addReject(addRej, rbuf, g.seq, rejectDuplicate, 0, &r, rfDuplicate); err != nil {
				return err
			}
		}
		return nil
	}
	for n := 0; ; n++ {
		if n&0xffff == 0 && ctx.Err() != nil {
			return nil, nil, ctx.Err()
		}
		rec, err := m.next()
		if err != nil {
			return nil, nil, err
		}
		if rec == nil || string(rec.k1) != id {
			if err := settle(); err != nil {
				return nil, nil, err
			}
			if rec == nil {
				break
			}
			id = string(rec.k1)
			group = group[:0]
		}
		eff, key, err := decodeTuple(rec.payload)
		if err != nil {
			return nil, nil, fmt.Errorf("tuple run: %w", err)
		}
		group = append(group, tupleEnt{seq: rec.seq, effective: eff, key: key})
	}
	for _, s := range []struct {
		s    *sorter
		kind string
		out  *[]string
	}{{ls, "lose", &losers}, {rs, "drej", &rejects}} {
		if !s.s.empty() {
			p := t.newRun(s.kind)
			if err := s.s.writeRun(p); err != nil {
				return nil, nil, err
			}
			*s.out = append(*s.out, p)
		}
	}
	return losers, rejects, nil
}

// ---- phase 3 ----

type group struct {
	key string
	eps []Endpoint
}

// buildBatch is a slice of groups built by one worker; the writer takes
// batches in the order they were made.
type buildBatch struct {
	groups  []group
	out     []byte
	rejects []Reject
	capped  []Reject // lines over maxGroup, filed by the writer
	stats   Summary
	err     error
	done    chan struct{}
}

// outBufs recycles the batches' JSON buffers: growing a fresh one per
// batch was a fifth of the transform's allocations.
var outBufs sync.Pool

func (t *transform) buildBatch(b *buildBatch) {
	defer close(b.done)
	if bp, ok := outBufs.Get().(*[]byte); ok {
		b.out = (*bp)[:0]
	}
	for _, g := range b.groups {
		rec, rejects := buildFn(g.key, g.eps, t.opts.Build)
		b.out = appendRecordJSON(b.out, &rec)
		b.out = append(b.out, '\n')
		b.rejects = append(b.rejects, rejects...)
		countRecord(&b.stats, &rec)
	}
	b.groups = nil
}

// countRecord adds a record to the summary figures.
func countRecord(s *Summary, r *Record) {
	s.Profiles++
	s.Endpoints += int64(len(r.EndpointIds))
	if s.ByChannel == nil {
		s.ByChannel = map[string]*ChannelCount{}
	}
	var reach []string
	for _, c := range r.Consent {
		cc := s.ByChannel[c.Channel]
		if cc == nil {
			cc = &ChannelCount{}
			s.ByChannel[c.Channel] = cc
		}
		switch c.State {
		case StateReachable:
			if !slices.Contains(reach, c.Channel) {
				reach = append(reach, c.Channel)
			}
		case StateOptedOut:
			cc.OptedOut++
		case StateInactive:
			cc.Inactive++
		}
	}
	for _, ch := range reach {
		s.ByChannel[ch].Reachable++
	}
	optedOut := false
	for ch, cc := range s.ByChannel {
		if r.Profile.Attributes[translate.OptOutAttribute(ch)] == translate.OptOutValue {
			cc.OptedOutProfiles++
			optedOut = true
		}
	}
	if optedOut {
		s.OptedOutProfiles++
	}
}

func addSummary(dst, src *Summary) {
	dst.Profiles += src.Profiles
	dst.Endpoints += src.Endpoints
	dst.OptedOutProfiles += src.OptedOutProfiles
	for ch, c := range src.ByChannel {
		if dst.ByChannel == nil {
			dst.ByChannel = map[string]*ChannelCount{}
		}
		d := dst.ByChannel[ch]
		if d == nil {
			d = &ChannelCount{}
			dst.ByChannel[ch] = d
		}
		d.Reachable += c.Reachable
		d.OptedOut += c.OptedOut
		d.Inactive += c.Inactive
		d.OptedOutProfiles += c.OptedOutProfiles
	}
}

// finish is phase 3 and the final writes.
func (t *transform) finish(ctx context.Context, start time.Time, losers, dupRejects []string) (*Summary, error) {
	runs, _, rejectRuns := t.committed()
	keep := t.keepSet()
	runs, err := reduceRuns(runs, func() string { return t.newRun("mrun") }, keep)
	if err != nil {
		return nil, err
	}
	losers, err = reduceRuns(losers, func() string { return t.newRun("mlose") }, keep)
	if err != nil {
		return nil, err
	}
	eps, err := newMerger(runs)
	if err != nil {
		return nil, err
	}
	defer eps.close()
	lm, err := newMerger(losers)
	if err != nil {
		return nil, err
	}
	defer lm.close()

	shard := t.opts.Shard
	profiles, err := createOut(t.opts.Out, shard.FileName(ProfilesFile), true)
	if err != nil {
		return nil, err
	}
	defer profiles.abort()

	// Build rejects come in key order: they are sorted by line through
	// one more set of runs.
	brs := newSorter(4 << 20)
	var buildRejects []string
	addBuildRej := func(k1, k2 string, seq uint64, p []byte) error {
		if !brs.fits(len(k1) + len(k2) + len(p)) {
			path := t.newRun("brej")
			if err := brs.writeRun(path); err != nil {
				return err
			}
			buildRejects = append(buildRejects, path)
		}
		brs.add(k1, k2, seq, p)
		return nil
	}
	var rbuf []byte
	seqOf := func(r *Reject) uint64 {
		i, ok := t.index[r.File]
		if !ok {
			return 0
		}
		return makeSeq(i, r.Line)
	}

	// Batches go to the builders and, in the same order, to the writer.
	workers := t.opts.Workers
	jobs := make(chan *buildBatch, workers)
	order := make(chan *buildBatch, 2*workers)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for b := range jobs {
				t.buildBatch(b)
			}
		}()
	}
	writeErr := make(chan error, 1)
	go func() {
		var err error
		for b := range order {
			<-b.done
			if err != nil {
				continue
			}
			if b.err != nil {
				err = b.err
				continue
			}
			if _, e := profiles.Write(b.out); e != nil {
				err = fmt.Errorf("write %s: %w", profiles.final, e)
				continue
			}
			out := b.out
			b.out = nil
			outBufs.Put(&out)
			addSummary(&t.sum, &b.stats)
			var e error
			for i := range b.rejects {
				r := &b.rejects[i]
				if r.Action == "" {
					r.Action = ActionRepaired
				}
				// The index within the batch keeps Build's order for one
				// line; batches are cut at the same places whatever the
				// workers or memory, so it is deterministic.
				if rbuf, e = addReject(addBuildRej, rbuf, seqOf(r), rejectBuild, i, r, 0); e != nil {
					err = e
				}
			}
			for i := range b.capped {
				if rbuf, e = addReject(addBuildRej, rbuf, seqOf(&b.capped[i]), rejectCap, 0, &b.capped[i], 0); e != nil {
					err = e
				}
			}
		}
		writeErr <- err
	}()
	shutdown := func() error {
		close(jobs)
		wg.Wait()
		close(order)
		return <-writeErr
	}

	cur := &buildBatch{done: make(chan struct{})}
	curEps := 0
	dispatch := func() {
		jobs <- cur
		order <- cur
		cur = &buildBatch{done: make(chan struct{})}
		curEps = 0
	}
	var g group
	endGroup := func() {
		if len(g.eps) == 0 {
			return
		}
		cur.groups = append(cur.groups, g)
		curEps += len(g.eps)
		g = group{}
		if curEps >= 512 {
			dispatch()
		}
	}
	loser, err := lm.next()
	if err != nil {
		shutdown()
		return nil, err
	}
	for n := 0; ; n++ {
		if n&0xffff == 0 && ctx.Err() != nil {
			shutdown()
			return nil, ctx.Err()
		}
		rec, err := eps.next()
		if err != nil {
			shutdown()
			return nil, err
		}
		if rec == nil {
			break
		}
		for loser != nil && compareRec(loser, rec) < 0 {
			if loser, err = lm.next(); err != nil {
				shutdown()
				return nil, err
			}
		}
		if loser != nil && compareRec(loser, rec) == 0 {
			continue
		}
		if string(rec.k1) != g.key {
			endGroup()
			g.key = string(rec.k1)
		}
		if len(g.eps) >= maxGroup {
			cur.capped = append(cur.capped, Reject{File: t.fileName(rec.seq >> lineBits), Line: int64(rec.seq & lineMask),
				Action: ActionRejected, Field: "User.UserId", EndpointId: string(rec.k2),
				Reason: fmt.Sprintf("profile key %q has more than %d endpoints: the rest are left out", g.key, maxGroup)})
			if len(cur.capped) >= 1024 {
				dispatch() // the writer files them; the open group is not in cur
			}
			continue
		}
		e, err := decodeEndpoint(string(rec.k2), rec.seq, rec.payload, t.fileName)
		if err != nil {
			shutdown()
			return nil, err
		}
		g.eps = append(g.eps, e)
	}
	endGroup()
	if len(cur.groups) > 0 || len(cur.capped) > 0 {
		dispatch()
	}
	if err := shutdown(); err != nil {
		return nil, err
	}
	if !brs.empty() {
		path := t.newRun("brej")
		if err := brs.writeRun(path); err != nil {
			return nil, err
		}
		buildRejects = append(buildRejects, path)
	}
	if err := profiles.close(); err != nil {
		return nil, err
	}

	// Rejects: every reject run merged by line.
	all := append(append(append([]string{}, rejectRuns...), dupRejects...), buildRejects...)
	all, err = reduceRuns(all, func() string { return t.newRun("mrej") }, keep)
	if err != nil {
		return nil, err
	}
	rejects, err := createOut(t.opts.Out, shard.FileName(RejectsFile), false)
	if err != nil {
		return nil, err
	}
	defer rejects.abort()
	if err := t.writeRejects(all, rejects); err != nil {
		return nil, err
	}
	if err := rejects.close(); err != nil {
		return nil, err
	}

	s := &t.sum
	s.Inputs = t.stats
	for _, in := range t.stats {
		s.Lines += in.Lines
	}
	s.Merged = s.Endpoints - s.Profiles
	if s.ByChannel == nil {
		s.ByChannel = map[string]*ChannelCount{}
	}
	if err := profiles.commit(); err != nil {
		return nil, err
	}
	if err := rejects.commit(); err != nil {
		return nil, err
	}
	if err := writeJSONFile(t.opts.Out, shard.FileName(SummaryFile), s); err != nil {
		return nil, err
	}
	if err := os.RemoveAll(t.opts.TempDir); err != nil {
		return nil, fmt.Errorf("remove temp folder: %w", err)
	}
	secs := time.Since(start).Seconds()
	t.progress("transform: %d lines in %.1fs (%.0f lines/s): %d profiles from %d endpoints, %d rejected, %d repaired, %d duplicates",
		s.Lines, secs, float64(s.Lines)/max(secs, 1e-9), s.Profiles, s.Endpoints, s.Rejected, s.Repaired, s.Duplicates)
	return s, nil
}

// writeRejects merges reject runs into rejects.jsonl and counts lines
// rejected and repaired (a line counts once, as rejected if any of its
// rejects is).
func (t *transform) writeRejects(runs []string, w io.Writer) error {
	m, err := newMerger(runs)
	if err != nil {
		return err
	}
	defer m.close()
	s := &t.sum
	var lastSeq uint64
	var lineFlags byte
	have := false
	var out []byte
	count := func() {
		if !have {
			return
		}
		if lineFlags&rfRejected != 0 {
			s.Rejected++
		} else {
			s.Repaired++
		}
	}
	for {
		rec, err := m.next()
		if err != nil {
			return err
		}
		if rec == nil {
			break
		}
		if len(rec.payload) == 0 {
			return fmt.Errorf("reject run: %w", errCorrupt)
		}
		if !have || rec.seq != lastSeq {
			count()
			have, lastSeq, lineFlags = true, rec.seq, 0
		}
		f := rec.payload[0]
		lineFlags |= f
		if f&rfInvalidAddress != 0 {
			s.InvalidAddresses++
		}
		if f&rfSplit != 0 {
			s.SplitValues++
		}
		if f&rfDuplicate != 0 {
			s.Duplicates++
		}
		out = append(append(out[:0], bytes.TrimSpace(rec.payload[1:])...), '\n')
		if _, err := w.Write(out); err != nil {
			return fmt.Errorf("write rejects: %w", err)
		}
	}
	count()
	return nil
}

// gcRoom lets the garbage collector use the memory a transform is sized
// for (the sort buffer, the merge's read buffers, batches in flight:
// about 3× the sort buffer) instead of collecting every time a small live
// heap doubles: 6% less time per million endpoints, peak memory still
// bounded by the limit. GOGC or GOMEMLIMIT in the environment win. It
// returns the function that puts the previous settings back.
func gcRoom(sortBytes int) func() {
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		return func() {}
	}
	limit := int64(sortBytes)*3 + 8<<20
	prevLimit := debug.SetMemoryLimit(limit)
	prevPct := debug.SetGCPercent(400)
	return func() {
		debug.SetGCPercent(prevPct)
		debug.SetMemoryLimit(prevLimit)
	}
}
