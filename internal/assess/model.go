// Package assess classifies an inventory: where each workload should go
// (Connect, End User Messaging, SES or nowhere), what translates directly,
// what must be transformed, redesigned or done by hand, and in which order
// people must act. Its output, assessment.json, is what the report shows
// and what the plan builds on.
package assess

import "time"

// SchemaVersion of assessment.json.
const SchemaVersion = 1

// Destinations.
const (
	DestConnect = "connect"
	DestEUM     = "end-user-messaging"
	DestSES     = "ses"
	DestNone    = "none"
)

// Gap classes, from the least to the most work.
const (
	Direct   = "direct"    // maps 1:1
	Trans    = "transform" // deterministic rewrite, automated
	Redesign = "redesign"  // no equivalent: p2c proposes a shape, a person accepts it
	Manual   = "manual"    // a person must act outside p2c
)

// ClassRank orders gap classes; a workload's class is its worst finding's.
var ClassRank = map[string]int{Direct: 0, Trans: 1, Redesign: 2, Manual: 3}

// Confidence of a destination.
const (
	High   = "high"
	Medium = "medium"
	Low    = "low"
)

// Workload kinds.
const (
	KindCampaign    = "campaign"
	KindJourney     = "journey"
	KindSegment     = "segment"
	KindTemplate    = "template"
	KindChannel     = "channel"
	KindEventStream = "event-stream"
	KindSettings    = "app-settings"
	KindEndpoints   = "endpoint-population"
	KindRecommender = "recommender"
	KindIaC         = "iac"
	KindAccount     = "account" // target prerequisites, per region
	// AnyKind marks rules that look at every workload.
	AnyKind = "any"
)

// Assessment is assessment.json.
type Assessment struct {
	SchemaVersion int       `json:"schemaVersion"`
	Tool          string    `json:"tool"`
	AssessedAt    time.Time `json:"assessedAt"`
	// InventorySHA256 is the hash of the inventory.json bytes assessed; the
	// plan refuses an assessment of another inventory.
	InventorySHA256 string          `json:"inventorySha256"`
	Summary         Summary         `json:"summary"`
	Apps            []AppReadiness  `json:"apps"`
	Workloads       []Workload      `json:"workloads"`
	Findings        []Finding       `json:"findings"`
	Checklist       []ChecklistItem `json:"checklist"`
}

// Summary counts the whole assessment.
type Summary struct {
	Workloads     int            `json:"workloads"`
	ByDestination map[string]int `json:"byDestination"`
	ByClass       map[string]int `json:"byClass"`  // workloads by their gap class
	Findings      map[string]int `json:"findings"` // findings by class
	Rules         int            `json:"rulesFired"`
	Checklist     int            `json:"checklistItems"`
}

// Workload is one unit of migration work: a campaign, a journey, a
// segment, a template, a channel, an event stream, app settings, the
// endpoint population of an app, a recommender, or an IaC definition.
type Workload struct {
	// ID is stable across runs: region/app/kind/resource id.
	ID         string `json:"id"`
	Kind       string `json:"kind"`
	Region     string `json:"region"`
	App        string `json:"app,omitempty"`     // app id
	AppName    string `json:"appName,omitempty"` // for people
	ResourceID string `json:"resourceId"`
	Name       string `json:"name,omitempty"`
	// Destination with the evidence that decided it and a confidence.
	Destination string   `json:"destination"`
	Evidence    []string `json:"evidence"`
	Confidence  string   `json:"confidence"`
	// Class is the worst gap class of the workload's findings (direct
	// when it has none).
	Class    string   `json:"class"`
	Findings []string `json:"findings,omitempty"` // finding ids
	// Related are the ids of workloads this one uses or is used by.
	Related []string `json:"related,omitempty"`
}

// Finding is one rule firing on one workload.
type Finding struct {
	// ID is stable: rule/workload id[/detail].
	ID       string `json:"id"`
	Rule     string `json:"rule"`
	Workload string `json:"workload"`
	Class    string `json:"class"`
	// Message is one sentence for people.
	Message string `json:"message"`
	// Field is the source field path that triggered it, e.g.
	// "Dimensions.Location.GPSPoint" or "Activities.a3.Wait".
	Field string `json:"field,omitempty"`
	// Action says what a person must decide or do (redesign and manual).
	Action string `json:"action,omitempty"`
	// Node names the journey activity the finding is about, for the
	// journey diagram.
	Node string `json:"node,omitempty"`
	// Where says where the action happens (console page, support case).
	Where string `json:"where,omitempty"`
}

// AppReadiness is the per-app verdict.
type AppReadiness struct {
	Region        string         `json:"region"`
	App           string         `json:"app"`
	Name          string         `json:"name"`
	Complexity    int            `json:"complexity"`
	Reasons       []string       `json:"reasons"`
	ByClass       map[string]int `json:"byClass"`
	ByDestination map[string]int `json:"byDestination"`
}

// ChecklistItem is a human action, in the order actions must happen.
type ChecklistItem struct {
	Order  int    `json:"order"`
	Phase  string `json:"phase"` // prerequisites, data, build, cutover, decommission
	Region string `json:"region,omitempty"`
	App    string `json:"app,omitempty"`
	Action string `json:"action"`
	// Where says where to do it (console page, support case, CLI).
	Where string   `json:"where,omitempty"`
	Rules []string `json:"rules,omitempty"`
}
