// Package inventory is the snapshot `p2c scan` writes to inventory.json.
//
// The snapshot is lossless: every resource keeps the API object exactly as
// the service put it on the wire (json.RawMessage, wire member names such as
// the lower-case "tags"), beside the few normalized fields p2c needs to
// identify, sort and cross-reference it. Later steps never need the source
// again.
package inventory

import (
	"encoding/json"
	"time"
)

// SchemaVersion is the version of the file format this package writes and
// reads. Bump it on any change that an older reader would misunderstand.
const SchemaVersion = 1

// Inventory is the whole snapshot.
type Inventory struct {
	SchemaVersion int       `json:"schemaVersion"`
	Tool          string    `json:"tool"`
	ScannedAt     time.Time `json:"scannedAt"`
	Account       string    `json:"account,omitempty"`
	Sources       []Source  `json:"sources"`
	Regions       []Region  `json:"regions"`
	// Facts are what a source said instead of data: an operation that is
	// retired, denied or has nothing configured.
	Facts []Fact `json:"facts,omitempty"`
	// References are resolved cross references between resources; Dangling
	// are the ones whose target is not in the snapshot.
	References []Reference `json:"references,omitempty"`
	Dangling   []Reference `json:"dangling,omitempty"`
	Warnings   []Warning   `json:"warnings,omitempty"`
	// Conflicts, Unresolved and Secrets come from merging saved sources.
	Conflicts  []Conflict   `json:"conflicts,omitempty"`
	Unresolved []Unresolved `json:"unresolved,omitempty"`
	Secrets    []SecretSeen `json:"secretsNotCarried,omitempty"`
}

// Source says where part of the snapshot came from.
type Source struct {
	// Kind is "live" (AWS APIs) or a saved-file kind ("cli-output",
	// "cloudformation", "terraform", "endpoint-export", "inventory").
	Kind string `json:"kind"`
	// Detail is an endpoint URL, a path or a profile name: never a secret.
	Detail  string   `json:"detail,omitempty"`
	Regions []string `json:"regions,omitempty"`
	// ID names the source in provenance records: "live" or the file path
	// (an s3:// URL for objects read from S3).
	ID string `json:"id,omitempty"`
	// ReadAt is when the source's content was produced: the scan time for
	// live reads, the file's modification time or the snapshot's
	// scannedAt for saved files. The newest source wins a conflict.
	ReadAt time.Time `json:"readAt,omitempty"`
}

// Fact kinds.
const (
	FactRetired       = "retired"        // end of support: not readable live
	FactAccessDenied  = "access-denied"  // the caller may not read it
	FactNotConfigured = "not-configured" // e.g. a channel or event stream that was never set up
	FactUnavailable   = "unavailable"    // the operation is not answered (unknown KPI name, no such API)
)

// Fact records an operation that answered with a condition instead of data.
type Fact struct {
	Region    string `json:"region"`
	Service   string `json:"service"` // SDK service id: "pinpoint", "pinpoint-sms-voice-v2", "s3"
	Operation string `json:"operation"`
	Kind      string `json:"kind"`
	// Resource narrows the fact (an app id, "app/channel"); empty means the
	// whole region.
	Resource string `json:"resource,omitempty"`
	Code     string `json:"code,omitempty"`
	Message  string `json:"message,omitempty"`
}

// Warning is something the scan could not do and went on from.
type Warning struct {
	Region    string `json:"region,omitempty"`
	Operation string `json:"operation,omitempty"`
	Resource  string `json:"resource,omitempty"`
	// File and Line locate a problem in a saved source.
	File    string `json:"file,omitempty"`
	Line    int    `json:"line,omitempty"`
	Message string `json:"message"`
}

// Region holds everything read from one AWS region.
type Region struct {
	Name         string     `json:"name"`
	Apps         []App      `json:"apps"`
	Templates    []Template `json:"templates"`
	Recommenders []Object   `json:"recommenders"`
	EUM          EUM        `json:"eum"`
	// PinpointEmail holds AWS::PinpointEmail::* resources declared in
	// CloudFormation: {"Type": ..., "Properties": {...}}.
	PinpointEmail []Object `json:"pinpointEmail,omitempty"`
}

// Object is a resource with an id and its wire object.
type Object struct {
	ID     string          `json:"id"`
	Object json.RawMessage `json:"object"`
	// Provenance lists every source this entry was read from.
	Provenance []Provenance `json:"provenance,omitempty"`
}

// Template is one message template (name + type is its key).
type Template struct {
	Name string `json:"name"`
	Type string `json:"type"` // TemplateType as ListTemplates gave it: EMAIL, SMS, PUSH, VOICE, INAPP
	// ActiveVersion is the version a typed GET without version returns.
	ActiveVersion string `json:"activeVersion,omitempty"`
	// Summary is the ListTemplates item; Object the typed GET of the active
	// version (ListTemplates omits content, ARN and tags).
	Summary  json.RawMessage   `json:"summary,omitempty"`
	Object   json.RawMessage   `json:"object,omitempty"`
	Versions []TemplateVersion `json:"versions,omitempty"`
	// Provenance lists every source this entry was read from.
	Provenance []Provenance `json:"provenance,omitempty"`
}

// TemplateVersion is one version of a template.
type TemplateVersion struct {
	Version string          `json:"version"`
	Summary json.RawMessage `json:"summary,omitempty"` // ListTemplateVersions item
	Object  json.RawMessage `json:"object,omitempty"`  // typed GET with version
}

// App is one Pinpoint application (project) and everything under it.
type App struct {
	ID     string            `json:"id"`
	Name   string            `json:"name,omitempty"`
	Arn    string            `json:"arn,omitempty"`
	Object json.RawMessage   `json:"object"`
	Tags   map[string]string `json:"tags,omitempty"`
	// Settings is ApplicationSettingsResource; EventStream is nil when none
	// is configured.
	Settings    json.RawMessage `json:"settings,omitempty"`
	EventStream json.RawMessage `json:"eventStream,omitempty"`
	// ChannelSummary is GetChannels; Channels holds each typed channel GET
	// keyed by channel type (EMAIL, SMS, VOICE, APNS, APNS_SANDBOX,
	// APNS_VOIP, APNS_VOIP_SANDBOX, GCM, BAIDU, ADM).
	ChannelSummary json.RawMessage            `json:"channelSummary,omitempty"`
	Channels       map[string]json.RawMessage `json:"channels,omitempty"`
	Segments       []Segment                  `json:"segments"`
	Campaigns      []Campaign                 `json:"campaigns"`
	Journeys       []Journey                  `json:"journeys"`
	ExportJobs     []Object                   `json:"exportJobs,omitempty"`
	ImportJobs     []Object                   `json:"importJobs,omitempty"`
	KPIs           []KPI                      `json:"kpis,omitempty"`
	// EndpointExport describes the export job p2c ran for this scan, if any.
	EndpointExport *EndpointExport `json:"endpointExport,omitempty"`
	EndpointStats  *EndpointStats  `json:"endpointStats,omitempty"`
	// Provenance lists every source this entry was read from.
	Provenance []Provenance `json:"provenance,omitempty"`
}

// Segment is a segment with its version history.
type Segment struct {
	ID      string          `json:"id"`
	Name    string          `json:"name,omitempty"`
	Version int             `json:"version,omitempty"`
	Object  json.RawMessage `json:"object"` // latest version
	// Versions holds every version, oldest first.
	Versions   []json.RawMessage `json:"versions,omitempty"`
	ExportJobs []Object          `json:"exportJobs,omitempty"`
	ImportJobs []Object          `json:"importJobs,omitempty"`
	// Provenance lists every source this entry was read from.
	Provenance []Provenance `json:"provenance,omitempty"`
}

// Campaign is a campaign with its version history, runs and KPIs.
type Campaign struct {
	ID         string            `json:"id"`
	Name       string            `json:"name,omitempty"`
	Version    int               `json:"version,omitempty"`
	Object     json.RawMessage   `json:"object"`
	Versions   []json.RawMessage `json:"versions,omitempty"`
	Activities []Object          `json:"activities,omitempty"`
	KPIs       []KPI             `json:"kpis,omitempty"`
	// Provenance lists every source this entry was read from.
	Provenance []Provenance `json:"provenance,omitempty"`
}

// Journey is a journey with its runs and metrics (journeys have no versions).
type Journey struct {
	ID     string          `json:"id"`
	Name   string          `json:"name,omitempty"`
	State  string          `json:"state,omitempty"`
	Object json.RawMessage `json:"object"`
	Runs   []Object        `json:"runs,omitempty"`
	// ExecutionMetrics is JourneyExecutionMetricsResponse; ActivityMetrics
	// maps activity id to JourneyExecutionActivityMetricsResponse;
	// RunMetrics maps run id to JourneyRunExecutionMetricsResponse.
	ExecutionMetrics json.RawMessage            `json:"executionMetrics,omitempty"`
	ActivityMetrics  map[string]json.RawMessage `json:"activityMetrics,omitempty"`
	RunMetrics       map[string]json.RawMessage `json:"runMetrics,omitempty"`
	KPIs             []KPI                      `json:"kpis,omitempty"`
	// Provenance lists every source this entry was read from.
	Provenance []Provenance `json:"provenance,omitempty"`
}

// KPI is one date-range KPI query result. The API accepts ranges of at
// most 31 days, so a longer look-back is a series of windows.
type KPI struct {
	Name  string    `json:"name"`
	Start time.Time `json:"start"`
	End   time.Time `json:"end"`
	// Pages are the *DateRangeKpiResponse bodies, in order.
	Pages []json.RawMessage `json:"pages"`
}

// EndpointExport records the endpoint export p2c started for the scan.
type EndpointExport struct {
	JobID       string          `json:"jobId,omitempty"`
	S3URLPrefix string          `json:"s3UrlPrefix"`
	Status      string          `json:"status"`
	Job         json.RawMessage `json:"job,omitempty"` // final ExportJobResponse
	Objects     []string        `json:"objects,omitempty"`
	Error       string          `json:"error,omitempty"`
}

// EUM holds the AWS End User Messaging SMS and voice (v2) resources of a
// region. They stay where they are; p2c only records them.
type EUM struct {
	PhoneNumbers      []Object     `json:"phoneNumbers"`
	SenderIDs         []Object     `json:"senderIds"`
	Pools             []Pool       `json:"pools"`
	ConfigurationSets []Object     `json:"configurationSets"`
	OptOutLists       []OptOutList `json:"optOutLists"`
	Keywords          []KeywordSet `json:"keywords"`
	Registrations     []Object     `json:"registrations"`
}

// Pool is a pool with the origination identities in it.
type Pool struct {
	ID                    string            `json:"id"`
	Object                json.RawMessage   `json:"object"`
	OriginationIdentities []json.RawMessage `json:"originationIdentities,omitempty"`
	// Provenance lists every source this entry was read from.
	Provenance []Provenance `json:"provenance,omitempty"`
}

// OptOutList is an opt-out list with its opted-out numbers.
type OptOutList struct {
	Name            string            `json:"name"`
	Object          json.RawMessage   `json:"object"`
	OptedOutNumbers []json.RawMessage `json:"optedOutNumbers,omitempty"`
	// Provenance lists every source this entry was read from.
	Provenance []Provenance `json:"provenance,omitempty"`
}

// KeywordSet holds the keywords of one origination identity (phone number
// or pool).
type KeywordSet struct {
	OriginationIdentity string            `json:"originationIdentity"`
	Keywords            []json.RawMessage `json:"keywords"`
}

// Ref names a resource in the snapshot.
type Ref struct {
	Kind    string `json:"kind"` // app, segment, campaign, journey, template, recommender, external
	Region  string `json:"region,omitempty"`
	App     string `json:"app,omitempty"`
	ID      string `json:"id"`
	Version string `json:"version,omitempty"`
	// Type is the template type for templates, or the external kind
	// (lambda, https, connect-campaign, ses-identity, ...).
	Type string `json:"type,omitempty"`
}

// Reference is one edge: From's Field points at To.
type Reference struct {
	From  Ref    `json:"from"`
	Field string `json:"field"`
	To    Ref    `json:"to"`
}
