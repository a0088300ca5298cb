// Package blueprint turns an assessed inventory and a person's decisions
// into plan.json: every target resource as a step in the target API's own
// request shape, where it came from, what was transformed and why, what it
// waits on, and how it is undone. Nothing here calls AWS.
package blueprint

import "encoding/json"

// SchemaVersion of plan.json.
const SchemaVersion = 1

// Actions.
const (
	Create = "create"
	Update = "update"
	NoOp   = "no-op"
	Delete = "delete"
)

// Rollback policies.
const (
	RollbackDelete = "delete"
	RollbackRetain = "retain"
)

// Plan is plan.json. It carries no clock time, so the same inputs always
// give the same bytes.
type Plan struct {
	SchemaVersion int    `json:"schemaVersion"`
	Tool          string `json:"tool"`
	// Inputs are the SHA-256 hashes of the files the plan was made from;
	// apply refuses a plan whose inputs changed.
	Inputs Inputs `json:"inputs"`
	// Target names where the plan builds: the Connect instance, the
	// Customer Profiles domain and knowledge base, per region, as decided.
	Targets []Target `json:"targets"`
	Steps   []Step   `json:"steps"`
	// Quotas are the checks of the plan against the target's limits.
	Quotas []QuotaCheck `json:"quotas"`
	// OpenDecisions lists the decision keys still unanswered.
	OpenDecisions []string `json:"openDecisions"`
	Summary       Summary  `json:"summary"`
}

// Inputs are the hashes of the plan's inputs.
type Inputs struct {
	InventorySHA256  string `json:"inventorySha256"`
	AssessmentSHA256 string `json:"assessmentSha256"`
	DecisionsSHA256  string `json:"decisionsSha256"`
}

// Target is where one region's workloads go.
type Target struct {
	Region string `json:"region"`
	// App is set when the decision is one domain per app.
	App                string `json:"app,omitempty"`
	ConnectInstanceARN string `json:"connectInstanceArn,omitempty"`
	ProfilesDomain     string `json:"profilesDomain,omitempty"`
	KnowledgeBaseID    string `json:"knowledgeBaseId,omitempty"`
}

// Step is one target resource.
type Step struct {
	// ID is stable across re-plans: kind/region/app/name.
	ID      string `json:"id"`
	Region  string `json:"region"`
	App     string `json:"app,omitempty"`     // source app id
	AppName string `json:"appName,omitempty"` // for people
	// Kind groups steps for people: profiles-domain, object-type,
	// calculated-attribute, segment-definition, event-trigger,
	// message-template, campaign, journey-proposal, instance-limits,
	// ses-configuration-set, ses-event-destination, eum-event-destination,
	// phone-number-import, email-address.
	Kind   string `json:"kind"`
	Name   string `json:"name"`
	Action string `json:"action"`
	// Service and Operation name the target API call (botocore names);
	// Spec is its input in the API's own request shape (SDK member names,
	// as aws --cli-input-json takes them).
	Service   string          `json:"service"`
	Operation string          `json:"operation"`
	Spec      json.RawMessage `json:"spec"`
	DependsOn []string        `json:"dependsOn,omitempty"`
	// Sources are the inventory resources the step comes from.
	Sources []Source `json:"sources,omitempty"`
	// Transformations say, one line each, what was rewritten and why.
	Transformations []string `json:"transformations,omitempty"`
	// Findings are the assessment findings the step carries (ids).
	Findings []string `json:"findings,omitempty"`
	Rollback Rollback `json:"rollback"`
	// WaitsOn lists decision keys that must be answered before apply.
	WaitsOn []string `json:"waitsOn,omitempty"`
	// Redesign marks a proposal a person must accept (journeys, A/B).
	Redesign bool `json:"redesign,omitempty"`
	// Proposal is the human-readable shape of a redesign (journey step
	// list); not sent to AWS.
	Proposal []string `json:"proposal,omitempty"`
}

// Source names an inventory resource.
type Source struct {
	Kind    string `json:"kind"`
	Region  string `json:"region"`
	App     string `json:"app,omitempty"`
	ID      string `json:"id"`
	Version string `json:"version,omitempty"`
}

// Rollback says how apply undoes the step.
type Rollback struct {
	Policy string `json:"policy"`
	Reason string `json:"reason,omitempty"` // required for retain
}

// QuotaCheck is one limit of the target checked against the plan.
type QuotaCheck struct {
	Region  string `json:"region"`
	Scope   string `json:"scope"` // domain, instance, knowledge base
	Quota   string `json:"quota"`
	Limit   int    `json:"limit"`
	Planned int    `json:"planned"`
	OK      bool   `json:"ok"`
	Note    string `json:"note,omitempty"`
}

// Summary counts steps.
type Summary struct {
	Steps    int            `json:"steps"`
	ByAction map[string]int `json:"byAction"`
	ByKind   map[string]int `json:"byKind"`
	Waiting  int            `json:"waitingOnDecisions"`
	Redesign int            `json:"redesignProposals"`
}
