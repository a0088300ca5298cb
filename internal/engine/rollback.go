package engine

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/p2c/p2c/internal/blueprint"
	"github.com/p2c/p2c/internal/target"
)

// RollbackOptions configure one rollback.
type RollbackOptions struct {
	Dir string
	// Plan gives the steps' dependencies and retain reasons.
	Plan   *blueprint.Plan
	Client Caller
	Step   string // only this step
	All    bool
	Owner  *Owner
}

// Rollback actions, per step.
const (
	RbRemoved = "removed"
	RbGone    = "already-gone" // the target no longer had it
	RbWith    = "removed-with" // went with the resource it lives in
	RbNothing = "nothing-to-remove"
	RbRetain  = "retained"
	RbFailed  = "failed"
)

// RollbackStep is one step's rollback outcome.
type RollbackStep struct {
	ID       string `json:"id"`
	Kind     string `json:"kind"`
	Action   string `json:"action"`
	Resource string `json:"resource,omitempty"`
	Reason   string `json:"reason,omitempty"`
	Error    string `json:"error,omitempty"`
}

// RollbackResult is what a rollback did.
type RollbackResult struct {
	Steps    []RollbackStep `json:"steps"`
	Removed  int            `json:"removed"`
	Retained int            `json:"retained"`
	Failed   int            `json:"failed"`
}

// Rollback removes what the journal says p2c created, dependents before
// what they depend on. Steps whose policy is retain are kept, unless they
// live inside a resource removed here (a template's version and
// activation go with the template), and their rows say so.
func Rollback(ctx context.Context, o RollbackOptions) (*RollbackResult, error) {
	if o.Step == "" && !o.All {
		return nil, errors.New("rollback: name a step (--step) or pass --all")
	}
	if o.Step != "" && o.All {
		return nil, errors.New("rollback: --step and --all exclude each other")
	}
	owner := CurrentOwner()
	if o.Owner != nil {
		owner = *o.Owner
	}
	lock, err := Acquire(o.Dir, owner)
	if err != nil {
		return nil, err
	}
	defer lock.Release()
	j, err := OpenJournal(filepath.Join(o.Dir, JournalFile))
	if err != nil {
		return nil, err
	}
	defer j.Close()
	recs, err := j.Steps()
	if err != nil {
		return nil, err
	}
	if len(recs) == 0 {
		return nil, fmt.Errorf("%s: %w: nothing was applied yet", filepath.Join(o.Dir, JournalFile), ErrNoJournal)
	}
	byID := map[string]*Record{}
	for _, r := range recs {
		byID[r.ID] = r
	}
	steps := map[string]*blueprint.Step{}
	deps := map[string][]string{}
	if o.Plan != nil {
		for i := range o.Plan.Steps {
			st := &o.Plan.Steps[i]
			steps[st.ID] = st
			deps[st.ID] = stepDeps(st)
		}
	}
	dependents := map[string][]string{}
	for id, ds := range deps {
		for _, d := range ds {
			dependents[d] = append(dependents[d], id)
		}
	}
	reason := func(id string) string {
		if st := steps[id]; st != nil && st.Rollback.Reason != "" {
			return st.Rollback.Reason
		}
		return "its rollback policy is retain"
	}

	// Which rows go: all done ones, or the one step; a retained step goes
	// too when a step it depends on goes.
	remove := map[string]bool{}
	if o.All {
		for _, r := range recs {
			if r.Status == StatusDone && r.Rollback != blueprint.RollbackRetain {
				remove[r.ID] = true
			}
		}
	} else {
		r := byID[o.Step]
		switch {
		case r == nil:
			return nil, fmt.Errorf("no step %s in the journal", o.Step)
		case r.Status != StatusDone:
			return nil, fmt.Errorf("step %s is %s: the journal records nothing it created", o.Step, r.Status)
		case r.Rollback == blueprint.RollbackRetain:
			return nil, fmt.Errorf("step %s is kept on rollback: %s", o.Step, reason(o.Step))
		}
		remove[o.Step] = true
	}
	for changed := true; changed; {
		changed = false
		for _, r := range recs {
			if remove[r.ID] || r.Status != StatusDone || r.Rollback != blueprint.RollbackRetain {
				continue
			}
			for _, d := range deps[r.ID] {
				if remove[d] {
					remove[r.ID], changed = true, true
					break
				}
			}
		}
	}
	if o.Step != "" {
		// A step goes only after everything built on it.
		var on []string
		for id := range remove {
			for _, dep := range dependents[id] {
				if rec := byID[dep]; rec != nil && rec.Status == StatusDone && !remove[dep] {
					on = append(on, dep)
				}
			}
		}
		if len(on) > 0 {
			return nil, fmt.Errorf("step %s cannot be rolled back alone: done steps depend on it: %s: roll them back first", o.Step, strings.Join(on, ", "))
		}
	}

	a := &audit{path: filepath.Join(o.Dir, AuditFile)}
	res := &RollbackResult{}
	// The journal is in plan order, which is dependency order: undo it
	// backwards.
	for i := len(recs) - 1; i >= 0; i-- {
		rec := recs[i]
		rs := RollbackStep{ID: rec.ID, Kind: rec.Kind, Resource: firstNonEmpty(rec.ARN, rec.ResourceID, rec.Outputs["name"])}
		switch {
		case rec.Status == StatusDone && rec.Rollback == blueprint.RollbackRetain && !remove[rec.ID] && (o.All || rec.ID == o.Step):
			rs.Action, rs.Reason = RbRetain, reason(rec.ID)
			res.Retained++
			res.Steps = append(res.Steps, rs)
			continue
		case !remove[rec.ID]:
			continue
		}
		if err := ctx.Err(); err != nil {
			return res, err
		}
		err := undoStep(ctx, o.Client, a, rec, &rs, remove, deps)
		if err != nil {
			rs.Action, rs.Error = RbFailed, oneLine(err)
			res.Failed++
			res.Steps = append(res.Steps, rs)
			// What depends on a failed removal stays: stop here.
			return res, fmt.Errorf("roll back %s: %w", rec.ID, err)
		}
		rec.Status, rec.Note, rec.Error, rec.FinishedAt = StatusRolledBack, rollbackNote(rs), "", now()
		rec.Outputs, rec.ARN, rec.ResourceID, rec.Version = nil, "", "", ""
		if err := j.Put(rec); err != nil {
			return res, err
		}
		res.Removed++
		res.Steps = append(res.Steps, rs)
	}
	return res, nil
}

func rollbackNote(rs RollbackStep) string {
	switch rs.Action {
	case RbGone:
		return "rolled back: the target no longer had it"
	case RbWith:
		return "rolled back: " + rs.Reason
	case RbNothing:
		return "rolled back: " + rs.Reason
	}
	return "rolled back: removed"
}

// undoStep makes a step's recorded undo call, stopping a campaign first.
func undoStep(ctx context.Context, c Caller, a *audit, rec *Record, rs *RollbackStep, remove map[string]bool, deps map[string][]string) error {
	if rec.Undo == nil {
		rs.Action, rs.Reason = RbNothing, "a setting or a check: nothing p2c made to remove"
		if rec.Rollback == blueprint.RollbackRetain {
			for _, d := range deps[rec.ID] {
				if remove[d] {
					rs.Action, rs.Reason = RbWith, "went with "+d
				}
			}
		}
		return nil
	}
	call := func(op string, in map[string]any) error {
		res, err := c.Call(ctx, rec.Undo.Service, rec.Undo.Region, op, in)
		e := AuditEntry{Time: nowTime(), Step: rec.ID, Service: rec.Undo.Service, Region: rec.Undo.Region, Operation: op, Resource: rs.Resource}
		auditError(&e, err)
		if res != nil {
			e.RequestID = res.RequestID
		}
		if aerr := a.append(e); aerr != nil {
			return aerr
		}
		return err
	}
	if rec.Service == "connectcampaignsv2" && rec.Undo.Operation == "DeleteCampaign" {
		// A running or paused campaign keeps sending until stopped: stop
		// it first. (A race to another state answers with a state error,
		// which is fine: the delete decides.)
		st, err := c.Call(ctx, rec.Undo.Service, rec.Undo.Region, "GetCampaignState", M{"id": rec.Undo.Input["id"]})
		if err != nil && !target.IsCode(err, notFoundCodes...) {
			return fmt.Errorf("campaign state: %w", err)
		}
		if err == nil && (str(st.Output, "state") == "Running" || str(st.Output, "state") == "Paused") {
			err := call("StopCampaign", M{"id": rec.Undo.Input["id"]})
			if err != nil && !target.IsCode(err, "InvalidCampaignStateException", "ConflictException", "ResourceNotFoundException") {
				return fmt.Errorf("stop campaign: %w", err)
			}
			rs.Reason = "stopped, then deleted"
		}
	}
	in := rec.Undo.Input
	if b, err := json.Marshal(in); err == nil {
		_ = json.Unmarshal(b, &in) // a private copy
	}
	err := call(rec.Undo.Operation, in)
	switch {
	case target.IsCode(err, notFoundCodes...):
		rs.Action = RbGone
	case err != nil:
		return fmt.Errorf("%s: %w", rec.Undo.Operation, err)
	default:
		rs.Action = RbRemoved
	}
	return nil
}

// stepDeps are a step's prerequisites: its dependsOn and the steps its
// placeholders read.
func stepDeps(st *blueprint.Step) []string {
	var spec any
	_ = json.Unmarshal(st.Spec, &spec)
	seen := map[string]bool{}
	var out []string
	for _, d := range append(append([]string(nil), st.DependsOn...), stepRefs(spec)...) {
		if !seen[d] && d != st.ID {
			seen[d] = true
			out = append(out, d)
		}
	}
	return out
}
