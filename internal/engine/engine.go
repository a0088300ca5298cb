// Package engine executes plan.json against the target account: in
// dependency order, with bounded concurrency, one journaled outcome per
// step (state.db) written before anything that depends on it starts, every
// mutating call in audit.jsonl, and creates made idempotent by looking the
// resource up by its deterministic name first. An interrupted step is
// reconciled against the target on the next run, never guessed.
package engine

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/p2c/p2c/internal/awsmodel"
	"github.com/p2c/p2c/internal/blueprint"
	"github.com/p2c/p2c/internal/target"
)

// Tags apply adds to every resource whose create takes tags: they mark
// what p2c made, so a re-run adopts it and anything else is left alone.
const (
	TagPlan = "p2c:plan"
	TagStep = "p2c:step"
)

// DefaultConcurrency is how many independent steps run at once, at most
// one per target operation (see nextReady): the target's per-operation
// quotas are low (1-5 TPS for creates) and separate, so the workers are
// spread over the operations a plan uses.
const DefaultConcurrency = 8

// Caller makes target API calls (target.Client).
type Caller interface {
	Call(ctx context.Context, service, region, op string, input map[string]any) (*target.Result, error)
}

// ErrCrash is what a test hook returns to stop apply as a killed process
// would: nothing more is written to the journal.
var ErrCrash = errors.New("injected crash")

// Hooks let tests stop apply at every mutating-call boundary.
type Hooks struct {
	// Before runs after the step is journaled as running, before its call.
	Before func(step, op string) error
	// After runs after the call succeeded, before its outcome is journaled.
	After func(step, op string) error
}

// Options configure one apply.
type Options struct {
	Dir       string // workspace
	Plan      *blueprint.Plan
	PlanBytes []byte
	// Answers are decisions.yaml's answers by key ("" = open).
	Answers     map[string]string
	Client      Caller
	Step        string // only this step
	DryRun      bool
	Concurrency int
	Hooks       Hooks
	// Owner holds the lock (default: this process).
	Owner *Owner
	// Events receives progress, one call at a time.
	Events func(Event)
}

// Event is one step's progress.
type Event struct {
	Step   string
	Status string
	Done   int // steps finished in this run
	Total  int // steps this run will try
}

// StepResult is one step's outcome in this run.
type StepResult struct {
	ID      string   `json:"id"`
	Kind    string   `json:"kind"`
	Name    string   `json:"name"`
	Action  string   `json:"action"` // what this run did or would do
	Status  string   `json:"status"`
	Note    string   `json:"note,omitempty"`
	Error   string   `json:"error,omitempty"`
	WaitsOn []string `json:"waitsOn,omitempty"`
}

// Actions of a run, per step.
const (
	ActCreate    = "create"    // called the create
	ActAdopt     = "adopt"     // found what an earlier run made
	ActReconcile = "reconcile" // an interrupted step, looked up first
	ActUnchanged = "unchanged" // done before
	ActWait      = "wait"      // waits on an open decision
	ActBlocked   = "blocked"   // depends on a step that is not done
	ActSkip      = "skip"      // nothing to do (a record, not an API call)
	ActCheck     = "check"     // a read-only prerequisite check
	ActFail      = "fail"
)

// Result is what an apply did.
type Result struct {
	Plan    string       `json:"planSha256"`
	DryRun  bool         `json:"dryRun,omitempty"`
	Steps   []StepResult `json:"steps"`
	Counts  Counts       `json:"counts"`
	Waiting []Waiting    `json:"waiting,omitempty"`
}

// Counts sum a run.
type Counts struct {
	Created   int `json:"created"`
	Adopted   int `json:"adopted"`
	Unchanged int `json:"unchanged"`
	Failed    int `json:"failed"`
	Waiting   int `json:"waiting"`
	Blocked   int `json:"blocked"`
	Skipped   int `json:"skipped"`
	Checked   int `json:"checked"`
}

// Waiting is one open decision and the steps waiting on it.
type Waiting struct {
	Decision string   `json:"decision"`
	Steps    []string `json:"steps"`
}

// StaleError: the plan's inputs changed since it was made.
type StaleError struct{ File, Planned, Now string }

func (e *StaleError) Error() string {
	now := short(e.Now)
	if e.Now == "" {
		now = "missing"
	}
	return fmt.Sprintf("plan.json is stale: %s changed since the plan was made (plan says %s, file is %s): run p2c plan again and review the plan",
		e.File, short(e.Planned), now)
}

// EditedError: plan.json changed while its inputs did not.
type EditedError struct{ Applied, Now string }

func (e *EditedError) Error() string {
	return fmt.Sprintf("plan.json was edited: it was first applied as %s and is now %s, made from the same inputs; apply runs only the plan p2c plan wrote: run p2c plan again",
		short(e.Applied), short(e.Now))
}

// NotOursError: the target already has the resource and p2c did not make it.
type NotOursError struct{ Step, Resource string }

func (e *NotOursError) Error() string {
	return fmt.Sprintf("%s already exists in the target and was not made by p2c (no %s tag naming step %s): nothing was changed; remove or rename it, or change the plan's decisions",
		e.Resource, TagStep, e.Step)
}

func short(h string) string {
	if len(h) > 12 {
		return h[:12]
	}
	return h
}

// Sum is the SHA-256 of data in hex, as the plan records its inputs.
func Sum(data []byte) string {
	h := sha256.Sum256(data)
	return hex.EncodeToString(h[:])
}

// CheckInputs refuses a plan whose inputs in dir changed since it was made.
func CheckInputs(dir string, p *blueprint.Plan) error {
	for _, f := range []struct{ name, want string }{
		{"inventory.json", p.Inputs.InventorySHA256},
		{"assessment.json", p.Inputs.AssessmentSHA256},
		{"decisions.yaml", p.Inputs.DecisionsSHA256},
	} {
		data, err := os.ReadFile(filepath.Join(dir, f.name))
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("read %s: %w", f.name, err)
		}
		got := ""
		if err == nil {
			got = Sum(data)
		}
		if got != f.want {
			return &StaleError{File: f.name, Planned: f.want, Now: got}
		}
	}
	return nil
}

// Answers turns decisions into the answer map apply resolves from.
func Answers(d *blueprint.Decisions) map[string]string {
	out := map[string]string{}
	if d == nil {
		return out
	}
	for _, q := range d.Questions {
		out[q.Key] = q.Answer
	}
	return out
}

// run is one apply in progress.
type run struct {
	o       *Options
	planSHA string
	j       *Journal
	audit   *audit
	steps   map[string]*blueprint.Step
	seq     map[string]int

	mu      sync.Mutex
	recs    map[string]*Record
	crashed atomic.Bool
}

// Apply executes the plan. It returns the run's result even with an error
// (a failed step is in the result, not an error; errors are refusals,
// journal failures and crashes).
func Apply(ctx context.Context, o Options) (*Result, error) {
	if o.Plan == nil {
		return nil, errors.New("no plan")
	}
	if o.Concurrency <= 0 {
		o.Concurrency = DefaultConcurrency
	}
	if err := CheckInputs(o.Dir, o.Plan); err != nil {
		return nil, err
	}
	r := &run{o: &o, planSHA: Sum(o.PlanBytes), steps: map[string]*blueprint.Step{}, seq: map[string]int{}, recs: map[string]*Record{},
		audit: &audit{path: filepath.Join(o.Dir, AuditFile)}}
	for i := range o.Plan.Steps {
		st := &o.Plan.Steps[i]
		if _, dup := r.steps[st.ID]; dup {
			return nil, fmt.Errorf("plan.json: step %s appears twice", st.ID)
		}
		r.steps[st.ID] = st
		r.seq[st.ID] = i
	}
	if o.Step != "" && r.steps[o.Step] == nil {
		return nil, fmt.Errorf("no step %s in plan.json", o.Step)
	}
	if !o.DryRun {
		owner := CurrentOwner()
		if o.Owner != nil {
			owner = *o.Owner
		}
		lock, err := Acquire(o.Dir, owner)
		if err != nil {
			return nil, err
		}
		defer func() {
			// A crash leaves the lock behind, as a killed process would.
			if !r.crashed.Load() {
				lock.Release()
			}
		}()
	}
	jpath := filepath.Join(o.Dir, JournalFile)
	if o.DryRun {
		if _, err := os.Stat(jpath); errors.Is(err, os.ErrNotExist) {
			return r.execute(ctx)
		}
	}
	j, err := OpenJournal(jpath)
	if err != nil {
		return nil, err
	}
	defer j.Close()
	r.j = j
	if err := r.bindPlan(); err != nil {
		return nil, err
	}
	recs, err := j.Steps()
	if err != nil {
		return nil, err
	}
	for _, rec := range recs {
		r.recs[rec.ID] = rec
	}
	if !o.DryRun {
		// Every step of the plan has a row from the start: status shows
		// what is still to do.
		var fresh []*Record
		for _, st := range o.Plan.Steps {
			if r.recs[st.ID] == nil {
				fresh = append(fresh, r.record(st.ID))
			}
		}
		if err := j.PutAll(fresh); err != nil {
			return nil, err
		}
	}
	return r.execute(ctx)
}

// bindPlan records the plan in the journal on its first apply and refuses
// an edited one.
func (r *run) bindPlan() error {
	applied, err := r.j.Meta("plan_sha256")
	if err != nil {
		return err
	}
	inputs, _ := json.Marshal(r.o.Plan.Inputs)
	if applied != "" && applied != r.planSHA {
		prevInputs, err := r.j.Meta("plan_inputs")
		if err != nil {
			return err
		}
		if prevInputs == string(inputs) {
			return &EditedError{Applied: applied, Now: r.planSHA}
		}
	}
	if r.o.DryRun || applied == r.planSHA {
		return nil
	}
	// A new plan made from new inputs (answered decisions): steps done
	// under the old one stay done while their specs are unchanged.
	return r.j.SetMeta(map[string]string{"plan_sha256": r.planSHA, "plan_inputs": string(inputs), "plan_bound_at": now()})
}

// record returns the step's journal row, a fresh pending one if none.
func (r *run) record(id string) *Record {
	r.mu.Lock()
	defer r.mu.Unlock()
	if rec := r.recs[id]; rec != nil {
		return rec
	}
	st := r.steps[id]
	rec := &Record{ID: id, Seq: r.seq[id], Kind: st.Kind, Region: st.Region, Service: st.Service, Operation: st.Operation,
		Rollback: st.Rollback.Policy, Status: StatusPending}
	r.recs[id] = rec
	return rec
}

// put journals a step's row; after a crash nothing is written any more.
func (r *run) put(rec *Record) error {
	if r.crashed.Load() {
		return ErrCrash
	}
	if r.j == nil {
		return nil
	}
	rec.Seq = r.seq[rec.ID]
	return r.j.Put(rec)
}

// output is the resolver's view of done steps.
func (r *run) output(id, attr string) (string, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	rec := r.recs[id]
	if rec == nil || rec.Status != StatusDone {
		return "", false
	}
	v := rec.Outputs[attr]
	return v, v != ""
}

func (r *run) resolver() *resolver {
	return &resolver{answers: r.o.Answers, output: r.output}
}

// deps are a step's prerequisites: its dependsOn and the steps its
// placeholders read.
func (r *run) deps(st *blueprint.Step) []string {
	seen := map[string]bool{}
	var out []string
	var spec any
	_ = json.Unmarshal(st.Spec, &spec)
	for _, d := range append(append([]string(nil), st.DependsOn...), stepRefs(spec)...) {
		if !seen[d] && d != st.ID && r.steps[d] != nil {
			seen[d] = true
			out = append(out, d)
		}
	}
	return out
}

// waits lists the open decisions a step waits on.
func (r *run) waits(st *blueprint.Step) []string {
	seen := map[string]bool{}
	var out []string
	var spec any
	_ = json.Unmarshal(st.Spec, &spec)
	for _, k := range append(append([]string(nil), st.WaitsOn...), r.resolver().openDecisions(spec)...) {
		if r.o.Answers[k] == "" && !seen[k] {
			seen[k] = true
			out = append(out, k)
		}
	}
	return out
}

// execute schedules the plan's steps.
func (r *run) execute(ctx context.Context) (*Result, error) {
	res := &Result{Plan: r.planSHA, DryRun: r.o.DryRun}
	order := make([]string, 0, len(r.steps))
	for _, st := range r.o.Plan.Steps {
		order = append(order, st.ID)
	}
	if r.o.Step != "" {
		st := r.steps[r.o.Step]
		if w := r.waits(st); len(w) > 0 {
			return nil, fmt.Errorf("step %s waits on open decisions: %s: answer them in decisions.yaml and run p2c plan again", st.ID, strings.Join(w, ", "))
		}
		var missing []string
		for _, d := range r.deps(st) {
			if r.record(d).Status != StatusDone && r.record(d).Status != StatusSkipped {
				missing = append(missing, d)
			}
		}
		if len(missing) > 0 {
			return nil, fmt.Errorf("step %s depends on steps that are not done: %s: apply them first", st.ID, strings.Join(missing, ", "))
		}
		order = []string{r.o.Step}
	}

	// Classify: what is done, what waits, what is blocked, what runs.
	results := map[string]*StepResult{}
	blockedBy := map[string]bool{} // steps that will not be done after this run
	waiting := map[string][]string{}
	var runnable []string
	for _, id := range order {
		st := r.steps[id]
		rec := r.record(id)
		sr := &StepResult{ID: id, Kind: st.Kind, Name: st.Name, Status: rec.Status}
		results[id] = sr
		switch {
		case rec.Status == StatusDone || rec.Status == StatusSkipped:
			if changed, why := r.changedSince(st, rec); changed {
				sr.Action, sr.Error = ActFail, why
				blockedBy[id] = true
				continue
			}
			sr.Action = ActUnchanged
			continue
		case rec.Status == StatusRolledBack:
			// Apply after rollback makes it again.
		}
		if w := r.waits(st); len(w) > 0 {
			sr.Action, sr.WaitsOn = ActWait, w
			blockedBy[id] = true
			for _, k := range w {
				waiting[k] = append(waiting[k], id)
			}
			continue
		}
		var on []string
		for _, d := range r.deps(st) {
			if blockedBy[d] {
				on = append(on, d)
			}
		}
		if len(on) > 0 {
			sr.Action, sr.Note = ActBlocked, "depends on "+strings.Join(on, ", ")
			blockedBy[id] = true
			continue
		}
		switch {
		case st.Service == "" || st.Action == blueprint.NoOp && provisionerFor(st) == nil:
			sr.Action = ActSkip
		case provisionerFor(st) != nil && provisionerFor(st).check:
			sr.Action = ActCheck
		case rec.Status == StatusRunning || rec.Status == StatusFailed && rec.Attempts > 0:
			sr.Action = ActReconcile
		default:
			sr.Action = ActCreate
		}
		runnable = append(runnable, id)
	}
	keys := make([]string, 0, len(waiting))
	for k := range waiting {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		res.Waiting = append(res.Waiting, Waiting{Decision: k, Steps: waiting[k]})
	}

	var runErr error
	if !r.o.DryRun {
		runErr = r.runAll(ctx, runnable, results)
	}
	for _, id := range order {
		sr := results[id]
		switch sr.Action {
		case ActCreate:
			res.Counts.Created++
		case ActAdopt:
			res.Counts.Adopted++
		case ActUnchanged:
			res.Counts.Unchanged++
		case ActFail:
			res.Counts.Failed++
		case ActWait:
			res.Counts.Waiting++
		case ActBlocked:
			res.Counts.Blocked++
		case ActSkip:
			res.Counts.Skipped++
		case ActCheck:
			res.Counts.Checked++
		case ActReconcile:
			res.Counts.Created++ // a dry run: it may create
		}
		res.Steps = append(res.Steps, *sr)
	}
	return res, runErr
}

// changedSince reports a done step whose spec is no longer what was
// applied: p2c does not update resources in place.
func (r *run) changedSince(st *blueprint.Step, rec *Record) (bool, string) {
	if rec.SpecSHA256 == "" {
		return false, ""
	}
	in, err := r.resolveSpec(st)
	if err != nil {
		return true, fmt.Sprintf("applied before, and its spec can no longer be resolved: %v", err)
	}
	if specSum(in) != rec.SpecSHA256 {
		return true, "applied before from a different spec; p2c does not change resources it made: roll the step back, then apply again"
	}
	return false, ""
}

func (r *run) resolveSpec(st *blueprint.Step) (map[string]any, error) {
	var spec any
	if len(st.Spec) > 0 {
		if err := json.Unmarshal(st.Spec, &spec); err != nil {
			return nil, fmt.Errorf("spec: %w", err)
		}
	}
	v, err := r.resolver().resolve(spec)
	if err != nil {
		return nil, err
	}
	m, _ := v.(map[string]any)
	if m == nil {
		m = map[string]any{}
	}
	return m, nil
}

func specSum(in map[string]any) string {
	b, _ := json.Marshal(in) // map keys are sorted: the same spec, the same bytes
	return Sum(b)
}

// runAll runs steps whose prerequisites are done, at most Concurrency at
// a time. A step's outcome is journaled before its dependents start.
func (r *run) runAll(ctx context.Context, ids []string, results map[string]*StepResult) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	pending := map[string]int{} // unfinished prerequisites in this run
	dependents := map[string][]string{}
	inRun := map[string]bool{}
	for _, id := range ids {
		inRun[id] = true
	}
	var ready []string
	for _, id := range ids {
		for _, d := range r.deps(r.steps[id]) {
			if inRun[d] {
				pending[id]++
				dependents[d] = append(dependents[d], id)
			}
		}
		if pending[id] == 0 {
			ready = append(ready, id)
		}
	}
	type done struct {
		id  string
		err error // a crash or journal failure: stop
	}
	doneCh := make(chan done)
	running, finished := 0, 0
	var stopErr error
	emit := func(id, status string) {
		if r.o.Events != nil {
			r.o.Events(Event{Step: id, Status: status, Done: finished, Total: len(ids)})
		}
	}
	failedDeps := map[string]bool{}
	busy := map[string]int{} // steps in flight per target operation
	for len(ready) > 0 || running > 0 {
		if stopErr == nil && ctx.Err() != nil {
			stopErr = ctx.Err()
		}
		for stopErr == nil && running < r.o.Concurrency {
			i := nextReady(r.steps, ready, busy)
			if i < 0 {
				break
			}
			id := ready[i]
			ready = append(ready[:i], ready[i+1:]...)
			busy[opKey(r.steps[id])]++
			running++
			emit(id, StatusRunning)
			go func(id string) {
				err := r.runStep(ctx, r.steps[id], results[id])
				doneCh <- done{id, err}
			}(id)
		}
		if running == 0 {
			break
		}
		d := <-doneCh
		running--
		busy[opKey(r.steps[d.id])]--
		finished++
		if d.err != nil && stopErr == nil {
			stopErr = d.err
			cancel()
		}
		sr := results[d.id]
		emit(d.id, sr.Status)
		ok := sr.Status == StatusDone || sr.Status == StatusSkipped
		if !ok {
			failedDeps[d.id] = true
		}
		for _, dep := range dependents[d.id] {
			pending[dep]--
			if !ok {
				failedDeps[dep] = true
			}
			if pending[dep] == 0 {
				if failedDeps[dep] {
					// Never started: it stays pending for the next run.
					results[dep].Action, results[dep].Note = ActBlocked, "a step it depends on did not finish"
					r.cascadeBlocked(dep, dependents, results, failedDeps, pending)
					continue
				}
				ready = append(ready, dep)
			}
		}
	}
	return stopErr
}

// opKey names the rate-limit bucket a step's call draws on: the target's
// quotas are per operation, account and region.
func opKey(st *blueprint.Step) string {
	if st.Service == "" {
		return ""
	}
	return st.Service + "/" + st.Region + "/" + st.Operation
}

// nextReady picks the first ready step whose operation has no step in
// flight, -1 if none. One call in flight per operation is all a 1-5 TPS
// quota can use; more only make the calls throttle each other until one
// runs out of retries. The workers go to other operations instead, whose
// quotas are separate.
func nextReady(steps map[string]*blueprint.Step, ready []string, busy map[string]int) int {
	for i, id := range ready {
		if k := opKey(steps[id]); k == "" || busy[k] == 0 {
			return i
		}
	}
	return -1
}

// cascadeBlocked marks every step below a blocked one blocked too.
func (r *run) cascadeBlocked(id string, dependents map[string][]string, results map[string]*StepResult, failed map[string]bool, pending map[string]int) {
	for _, dep := range dependents[id] {
		failed[dep] = true
		pending[dep]--
		if pending[dep] == 0 {
			results[dep].Action, results[dep].Note = ActBlocked, "a step it depends on did not finish"
			r.cascadeBlocked(dep, dependents, results, failed, pending)
		}
	}
}

func provisionerFor(st *blueprint.Step) *provisioner {
	return provisioners[st.Service][st.Operation]
}

// runStep executes one step and journals its outcome. Its error is a
// crash or a journal failure; the step's own failure is in sr.
func (r *run) runStep(ctx context.Context, st *blueprint.Step, sr *StepResult) error {
	rec := r.record(st.ID)
	fail := func(err error) error {
		rec.Status, rec.Error, rec.FinishedAt = StatusFailed, oneLine(err), now()
		sr.Action, sr.Status, sr.Error = ActFail, StatusFailed, rec.Error
		return r.put(rec)
	}
	if sr.Action == ActSkip {
		rec.Status, rec.Note, rec.Error, rec.FinishedAt = StatusSkipped, "nothing to create", "", now()
		sr.Status, sr.Note = StatusSkipped, rec.Note
		return r.put(rec)
	}
	p := provisionerFor(st)
	if p == nil {
		return fail(fmt.Errorf("p2c cannot apply %s %s", st.Service, st.Operation))
	}
	in, err := r.resolveSpec(st)
	if err != nil {
		return fail(err)
	}
	m, err := awsmodel.Load(st.Service)
	if err != nil {
		return fail(err)
	}
	if m.Operations[st.Operation] == nil {
		return fail(fmt.Errorf("%s has no operation %s", st.Service, st.Operation))
	}
	if probs := m.Validate(m.Operations[st.Operation].Input.Shape, in, true); len(probs) > 0 {
		return fail(fmt.Errorf("spec is not valid %s input: %s", st.Operation, probs[0]))
	}
	rec.Input, _ = json.Marshal(in)
	rec.SpecSHA256 = specSum(in)
	read := func(ctx context.Context, service, op string, q map[string]any) (map[string]any, error) {
		if service == "" {
			service = st.Service
		}
		res, err := r.o.Client.Call(ctx, service, st.Region, op, q)
		if err != nil {
			return nil, err
		}
		return res.Output, nil
	}

	if p.check {
		if _, err := read(ctx, "", st.Operation, in); err != nil {
			if target.IsCode(err, notFoundCodes...) {
				return fail(fmt.Errorf("prerequisite missing: %s %s finds nothing: %w", st.Service, st.Operation, err))
			}
			return fail(err)
		}
		rec.Status, rec.Error, rec.Outputs, rec.FinishedAt = StatusDone, "", p.ids(in, nil), now()
		sr.Status, sr.Note = StatusDone, "prerequisite present"
		return r.put(rec)
	}

	attempted := rec.Status == StatusRunning || rec.Status == StatusFailed && rec.Attempts > 0
	if !p.put {
		f, err := p.find(ctx, read, in)
		if err != nil {
			return fail(fmt.Errorf("look up before create: %w", err))
		}
		if f != nil {
			return r.adopt(st, sr, rec, p, in, f, attempted, fail)
		}
	}

	callIn := r.decorate(m, st, in)
	sr.Action = ActCreate
	rec.Status, rec.Attempts, rec.StartedAt, rec.Error = StatusRunning, rec.Attempts+1, now(), ""
	if err := r.put(rec); err != nil {
		return err
	}
	if h := r.o.Hooks.Before; h != nil {
		if err := h(st.ID, st.Operation); err != nil {
			r.crash()
			return err
		}
	}
	res, callErr := r.o.Client.Call(ctx, st.Service, st.Region, st.Operation, callIn)
	entry := AuditEntry{Time: nowTime(), Step: st.ID, Service: st.Service, Region: st.Region, Operation: st.Operation}
	auditError(&entry, callErr)
	var out map[string]any
	if res != nil {
		out = res.Output
		entry.RequestID = res.RequestID
		rec.RequestIDs = append(rec.RequestIDs, res.RequestID)
	}
	var outs Outputs
	if callErr == nil {
		outs = p.ids(in, out)
		entry.Resource = resourceName(outs, st)
	} else {
		entry.Resource = st.Name
	}
	if err := r.audit.append(entry); err != nil {
		return err
	}
	if callErr != nil {
		if !p.put && target.IsCode(callErr, "ConflictException", "AlreadyExistsException", "ResourceAlreadyExistsException", "DuplicateResourceException", "ResourceConflictException") {
			// Made meanwhile (a retry after a lost answer, or a race):
			// the lookup decides whose it is.
			f, err := p.find(ctx, read, in)
			if err == nil && f != nil {
				return r.adopt(st, sr, rec, p, in, f, true, fail)
			}
		}
		return fail(callErr)
	}
	if h := r.o.Hooks.After; h != nil {
		if err := h(st.ID, st.Operation); err != nil {
			r.crash()
			return err
		}
	}
	r.finish(rec, p, in, outs)
	sr.Status = StatusDone
	return r.put(rec)
}

// adopt handles a resource the lookup found: p2c's own (tagged with this
// step, or made by this step's interrupted call) becomes the step's
// outcome; anything else fails the step and is left alone.
func (r *run) adopt(st *blueprint.Step, sr *StepResult, rec *Record, p *provisioner, in map[string]any, f *found, attempted bool, fail func(error) error) error {
	ours := p.child
	switch {
	case f.Tags != nil:
		ours = ours || f.Tags[TagStep] == tagValue(st.ID)
	default:
		// An untaggable resource is p2c's when this step's call was made.
		ours = ours || attempted
	}
	if !ours {
		return fail(&NotOursError{Step: st.ID, Resource: describe(st, in)})
	}
	outs := f.Outputs
	if outs == nil {
		outs = p.ids(in, f.Raw)
	}
	r.finish(rec, p, in, outs)
	rec.Note = "found in the target, made by an earlier run"
	sr.Action, sr.Status, sr.Note = ActAdopt, StatusDone, rec.Note
	return r.put(rec)
}

// finish fills a done step's identifiers and undo call.
func (r *run) finish(rec *Record, p *provisioner, in map[string]any, outs Outputs) {
	r.mu.Lock()
	defer r.mu.Unlock()
	rec.Status, rec.Error, rec.FinishedAt = StatusDone, "", now()
	rec.Outputs = outs
	rec.ARN, rec.ResourceID, rec.Version = outs["arn"], outs["id"], outs["version"]
	rec.Undo = nil
	if p.undo != nil {
		op, q := p.undo(in, outs)
		rec.Undo = &Call{Service: rec.Service, Region: rec.Region, Operation: op, Input: q}
	}
}

func (r *run) crash() { r.crashed.Store(true) }

// decorate adds what apply itself contributes to a create: the p2c tags
// and a client token derived from the plan and the step, where the
// operation takes them.
func (r *run) decorate(m *awsmodel.Model, st *blueprint.Step, in map[string]any) map[string]any {
	out := make(map[string]any, len(in)+2)
	for k, v := range in {
		out[k] = v
	}
	shape := m.InputShape(st.Operation)
	if shape == nil {
		return out
	}
	for name, ref := range shape.Members {
		s := m.Shape(ref.Shape)
		switch {
		case (name == "Tags" || name == "tags") && s != nil && s.Type == "map":
			tags := map[string]any{}
			for k, v := range asMap(in[name]) {
				tags[k] = v
			}
			tags[TagPlan] = r.planSHA
			tags[TagStep] = tagValue(st.ID)
			out[name] = tags
		case (name == "ClientToken" || name == "clientToken") && in[name] == nil:
			out[name] = clientToken(r.planSHA, st.ID)
		}
	}
	return out
}

// tagValue is the p2c:step tag of a step: its id, hashed when too long for
// a tag value.
func tagValue(id string) string {
	if len(id) <= 256 {
		return id
	}
	return "sha256:" + Sum([]byte(id))
}

// clientToken is a stable idempotency token, UUID-shaped as every target
// model accepts.
func clientToken(plan, step string) string {
	h := Sum([]byte(plan + "\x00" + step))
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

func resourceName(o Outputs, st *blueprint.Step) string {
	for _, k := range []string{"arn", "id", "name"} {
		if o[k] != "" {
			return o[k]
		}
	}
	return st.Name
}

// describe names a step's resource for people.
func describe(st *blueprint.Step, in map[string]any) string {
	return fmt.Sprintf("%s %q (%s)", st.Kind, st.Name, st.Region)
}

func oneLine(err error) string {
	return strings.Join(strings.Fields(err.Error()), " ")
}
