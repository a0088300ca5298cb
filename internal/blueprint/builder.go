package blueprint

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/p2c/p2c/internal/assess"
	"github.com/p2c/p2c/internal/inventory"
)

// Input is what a plan is made from: the three files and their bytes (the
// bytes are hashed into the plan).
type Input struct {
	Inventory       *inventory.Inventory
	InventoryBytes  []byte
	Assessment      *assess.Assessment
	AssessmentBytes []byte
	Decisions       *Decisions
	DecisionsBytes  []byte
	Tool            string
}

// Builder accumulates a plan. Step builders (one per target area, in the
// stage order below) read the inventory and assessment, ask questions
// through Ask, and add steps.
type Builder struct {
	In *Input
	// Questions asked so far, by key; they become decisions.yaml.
	Questions map[string]*Question
	steps     map[string]*Step
	order     []string
	quotas    []QuotaCheck
	targets   map[string]*Target
	// findings indexes the assessment's findings by workload id.
	findings map[string][]assess.Finding
}

// Stage builds one area of the plan. Stages run in the order registered:
// later stages may depend on steps of earlier ones.
type Stage struct {
	Name  string
	Order int
	Build func(b *Builder) error
}

var stages []Stage

// registerStage adds a stage; files of this package call it from init.
func registerStage(s Stage) {
	stages = append(stages, s)
}

// Build makes the plan. It refuses an assessment made from another
// inventory.
func Build(in *Input) (*Plan, *Decisions, error) {
	invHash := sum(in.InventoryBytes)
	if in.Assessment.InventorySHA256 != invHash {
		return nil, nil, fmt.Errorf("the assessment was made from another inventory (assessment says %s, inventory.json is %s): run p2c assess again",
			short(in.Assessment.InventorySHA256), short(invHash))
	}
	if in.Decisions == nil {
		in.Decisions = &Decisions{}
	}
	b := &Builder{In: in, Questions: map[string]*Question{}, steps: map[string]*Step{}, targets: map[string]*Target{}, findings: map[string][]assess.Finding{}}
	for _, f := range in.Assessment.Findings {
		b.findings[f.Workload] = append(b.findings[f.Workload], f)
	}
	ordered := append([]Stage(nil), stages...)
	sort.SliceStable(ordered, func(i, j int) bool { return ordered[i].Order < ordered[j].Order })
	for _, st := range ordered {
		if err := st.Build(b); err != nil {
			return nil, nil, fmt.Errorf("plan %s: %w", st.Name, err)
		}
	}
	if err := b.checkDependencies(); err != nil {
		return nil, nil, err
	}
	decided := in.Decisions.merge(b.Questions)
	p := &Plan{SchemaVersion: SchemaVersion, Tool: in.Tool, Inputs: Inputs{
		InventorySHA256: invHash, AssessmentSHA256: sum(in.AssessmentBytes), DecisionsSHA256: sum(in.DecisionsBytes),
	}}
	for _, id := range b.order {
		p.Steps = append(p.Steps, *b.steps[id])
	}
	for _, key := range sortedKeys(b.targets) {
		p.Targets = append(p.Targets, *b.targets[key])
	}
	p.Quotas = b.quotas
	for _, q := range decided.Questions {
		if q.Answer == "" {
			p.OpenDecisions = append(p.OpenDecisions, q.Key)
		}
	}
	p.Summary = summarize(p)
	return p, decided, nil
}

// Add adds a step; its id must be unique. Steps keep the order they were
// added in, which is a valid dependency order when stages add
// dependencies first (checked at the end).
func (b *Builder) Add(s Step) {
	if s.Action == "" {
		s.Action = Create
	}
	if s.Rollback.Policy == "" {
		s.Rollback.Policy = RollbackDelete
	}
	if _, dup := b.steps[s.ID]; dup {
		panic("blueprint: duplicate step id " + s.ID)
	}
	sort.Strings(s.WaitsOn)
	b.steps[s.ID] = &s
	b.order = append(b.order, s.ID)
}

// Steps returns the steps added so far, in order (for quota checks and
// later stages; callers must not add through them).
func (b *Builder) Steps() []*Step {
	out := make([]*Step, len(b.order))
	for i, id := range b.order {
		out[i] = b.steps[id]
	}
	return out
}

// Step returns an added step (nil when absent).
func (b *Builder) Step(id string) *Step { return b.steps[id] }

// Ask registers a question and returns its answer, "" while open. The
// question's key must be stable across runs (region.topic[.resource]).
func (b *Builder) Ask(q Question) string {
	if prev := b.Questions[q.Key]; prev != nil {
		return b.In.Decisions.answer(q.Key)
	}
	qq := q
	b.Questions[q.Key] = &qq
	return b.In.Decisions.answer(q.Key)
}

// Findings returns the assessment findings of a workload.
func (b *Builder) Findings(workloadID string) []assess.Finding { return b.findings[workloadID] }

// Target returns the target of a region (created on first use).
func (b *Builder) Target(region string) *Target {
	t := b.targets[region]
	if t == nil {
		t = &Target{Region: region}
		b.targets[region] = t
	}
	return t
}

// Quota records a quota check.
func (b *Builder) Quota(q QuotaCheck) {
	q.OK = q.Planned <= q.Limit
	b.quotas = append(b.quotas, q)
}

// Spec encodes a request input as a step spec; it panics on values that
// cannot be encoded, which only a bug produces.
func Spec(v any) json.RawMessage {
	out, err := json.Marshal(v)
	if err != nil {
		panic("blueprint: spec: " + err.Error())
	}
	return out
}

// StepID builds a stable step id.
func StepID(kind, region, app, name string) string {
	parts := []string{kind, region}
	if app != "" {
		parts = append(parts, app)
	}
	parts = append(parts, name)
	return strings.Join(parts, "/")
}

func (b *Builder) checkDependencies() error {
	pos := map[string]int{}
	for i, id := range b.order {
		pos[id] = i
	}
	for i, id := range b.order {
		for _, d := range b.steps[id].DependsOn {
			j, ok := pos[d]
			if !ok {
				return fmt.Errorf("step %s depends on %s, which is not in the plan", id, d)
			}
			if j >= i {
				return fmt.Errorf("step %s depends on %s, which comes after it", id, d)
			}
		}
	}
	return nil
}

func summarize(p *Plan) Summary {
	s := Summary{Steps: len(p.Steps), ByAction: map[string]int{}, ByKind: map[string]int{}}
	for _, st := range p.Steps {
		s.ByAction[st.Action]++
		s.ByKind[st.Kind]++
		if len(st.WaitsOn) > 0 {
			s.Waiting++
		}
		if st.Redesign {
			s.Redesign++
		}
	}
	return s
}

func sum(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

func short(h string) string {
	if len(h) > 12 {
		return h[:12]
	}
	return h
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
