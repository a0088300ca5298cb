// Package profiles moves exported Pinpoint endpoints into Amazon Connect
// Customer Profiles: transform (export files → one profile record per
// user, offline, bounded memory), load (records → a Customer Profiles
// domain, by the API or by upload jobs, checkpointed) and verify (counts,
// a sample compared field by field, and the consent proof).
//
// The mapping of endpoint values onto profile fields is written down once,
// in internal/translate; this package applies it to data.
package profiles

import (
	"hash/fnv"
	"strconv"
	"strings"
)

// Artifact names inside a transform output folder. A shard's files carry
// its position: profiles.shard-2-of-8.jsonl.gz.
const (
	ProfilesFile = "profiles.jsonl.gz"
	RejectsFile  = "rejects.jsonl"
	SummaryFile  = "summary.json"
)

// Address states in Consent.
const (
	StateReachable = "REACHABLE" // active and opted in: may be contacted
	StateOptedOut  = "OPTED_OUT" // OptOut ALL on at least one endpoint with this address
	StateInactive  = "INACTIVE"  // EndpointStatus INACTIVE on every endpoint with this address
)

// MaxAttributeValue is the longest value Customer Profiles keeps in a
// profile attribute (and a standard field); longer values are split into
// continuation keys (Name, Name__2, Name__3, ...) and reported.
const MaxAttributeValue = 255

// Record is one line of profiles.jsonl.gz: one profile, the endpoints it
// came from, and the consent state of every address it holds.
type Record struct {
	// ProfileKey is User.UserId, else the endpoint id: the value of the
	// PinpointProfileKey key that finds the profile in the domain.
	ProfileKey string `json:"ProfileKey"`
	// EndpointIds are the source endpoints, sorted.
	EndpointIds []string `json:"EndpointIds"`
	// Profile holds CreateProfile members (DomainName left out).
	Profile Profile `json:"Profile"`
	// Objects are the PinpointEndpoint objects, one per endpoint, in
	// EndpointIds order: the fields calculated attributes aggregate over.
	Objects []map[string]string `json:"Objects,omitempty"`
	// Consent lists every address of every endpoint with its state.
	Consent []Consent `json:"Consent,omitempty"`
	// Sources are the input lines that made the record ("file:line"),
	// in EndpointIds order.
	Sources []string `json:"Sources"`
}

// Profile is the CreateProfile-shaped part of a record.
type Profile struct {
	EmailAddress      string            `json:"EmailAddress,omitempty"`
	MobilePhoneNumber string            `json:"MobilePhoneNumber,omitempty"`
	PhoneNumber       string            `json:"PhoneNumber,omitempty"`
	Address           *Address          `json:"Address,omitempty"`
	Attributes        map[string]string `json:"Attributes,omitempty"`
}

// Address is the profile's Address member (from the endpoint Location).
type Address struct {
	City       string `json:"City,omitempty"`
	Country    string `json:"Country,omitempty"`
	PostalCode string `json:"PostalCode,omitempty"`
	State      string `json:"State,omitempty"`
}

// Consent is one address of a profile and what may be done with it.
type Consent struct {
	Channel     string   `json:"Channel"`
	Address     string   `json:"Address"`
	State       string   `json:"State"`
	EndpointIds []string `json:"EndpointIds"`
	// Field is where the address landed on the profile: a standard field
	// ("EmailAddress") or an attribute ("Attributes.OptedOutAddresses_EMAIL").
	Field string `json:"Field"`
}

// Reject is one line of rejects.jsonl: an input line that was rejected
// (Action "rejected": it made no profile) or repaired (Action "repaired":
// it made a profile, with the change Reason describes).
type Reject struct {
	File   string `json:"file"`
	Line   int64  `json:"line"`
	Action string `json:"action"`
	// Field names the endpoint member at fault ("Address", "ChannelType",
	// "Attributes.interests") when there is one.
	Field  string `json:"field,omitempty"`
	Reason string `json:"reason"`
	// EndpointId is the line's endpoint id when it could be read.
	EndpointId string `json:"endpointId,omitempty"`
	// Input is the line as read, cut at 4 KiB ("…" marks a cut).
	Input string `json:"input,omitempty"`
}

// Reject actions.
const (
	ActionRejected = "rejected"
	ActionRepaired = "repaired"
)

// Shard is a deterministic slice of the profile keys: I of N, 1-based.
// The zero Shard is everything.
type Shard struct{ I, N int }

// Has reports whether a profile key belongs to the shard. FNV-1a of the
// key, so every machine of an array job agrees without coordination.
func (s Shard) Has(key string) bool {
	if s.N <= 1 {
		return true
	}
	h := fnv.New64a()
	h.Write([]byte(key))
	return int(h.Sum64()%uint64(s.N)) == s.I-1
}

// Suffix names a shard's files: "" for everything, ".shard-2-of-8"
// otherwise.
func (s Shard) Suffix() string {
	if s.N <= 1 {
		return ""
	}
	return ".shard-" + itoa(s.I) + "-of-" + itoa(s.N)
}

// FileName inserts the shard suffix before a file's extensions:
// profiles.jsonl.gz → profiles.shard-2-of-8.jsonl.gz.
func (s Shard) FileName(name string) string {
	base, ext, _ := strings.Cut(name, ".")
	return base + s.Suffix() + "." + ext
}

func itoa(n int) string { return strconv.Itoa(n) }
