package inventory

import (
	"encoding/json"
	"time"
)

// Provenance says where one inventory entry was read: which source, which
// API call or IaC resource, which line of which file, and when.
type Provenance struct {
	// Source is the Source.ID: "live" or a file path / s3:// URL.
	Source string `json:"source"`
	// Kind repeats the source kind (live, cli-output, cloudformation,
	// terraform, endpoint-export, inventory) so a reader needs no lookup.
	Kind string `json:"kind"`
	// Operation is the API operation (GetSegmentVersions) or the IaC
	// resource type (AWS::Pinpoint::Segment, aws_pinpoint_app).
	Operation string `json:"operation,omitempty"`
	// Address is the IaC logical id (CloudFormation) or resource address
	// (Terraform: aws_pinpoint_app.main).
	Address string    `json:"address,omitempty"`
	Line    int       `json:"line,omitempty"`
	ReadAt  time.Time `json:"readAt,omitempty"`
}

// Conflict records two sources that disagree about one resource. The
// newest source wins; the others' objects are kept here so nothing is lost.
type Conflict struct {
	Region string `json:"region,omitempty"`
	Kind   string `json:"kind"` // app, segment, campaign, journey, template, ...
	App    string `json:"app,omitempty"`
	ID     string `json:"id"`
	// Fields are the top-level members whose values differ.
	Fields []string       `json:"fields,omitempty"`
	Chosen Provenance     `json:"chosen"`
	Others []ConflictSide `json:"others"`
}

// ConflictSide is a losing source's view of the resource.
type ConflictSide struct {
	Provenance Provenance      `json:"provenance"`
	Object     json.RawMessage `json:"object"`
}

// Unresolved is a value an IaC source computes from something p2c cannot
// know (a parameter without default, a Terraform variable without default,
// an attribute of a resource outside the file). The inventory keeps the
// expression instead of guessing: in the object the value is replaced by
// {"p2c:unresolved": "<expression>"}.
type Unresolved struct {
	File string `json:"file"`
	Line int    `json:"line,omitempty"`
	// Resource is the logical id or address; Path the member path inside it.
	Resource   string `json:"resource"`
	Path       string `json:"path"`
	Expression string `json:"expression"`
	Reason     string `json:"reason"`
}

// UnresolvedKey marks a value that could not be resolved.
const UnresolvedKey = "p2c:unresolved"

// SecretSeen records a channel credential found in a saved source. The
// value is never written; the migration must re-supply it.
type SecretSeen struct {
	Region  string `json:"region,omitempty"`
	App     string `json:"app"`
	Channel string `json:"channel"` // APNS, GCM, BAIDU, ADM, ...
	Member  string `json:"member"`  // PrivateKey, TokenKey, ApiKey, ServiceJson, ...
	File    string `json:"file"`
	Line    int    `json:"line,omitempty"`
}
