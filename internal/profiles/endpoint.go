package profiles

// Endpoint is what the transform keeps of one export line once it is
// parsed and repaired (ParseEndpoint): source-shaped, so the mapping onto
// profile names happens once, in Build, through internal/translate.
type Endpoint struct {
	// File and Line are where the line was read (Line is 1-based); Seq
	// orders every line of the run (file order, then line) and breaks
	// ties between duplicates: the later line wins.
	File string
	Line int64
	Seq  uint64

	ID          string
	ChannelType string // upper case, one of Pinpoint's channel types
	// Address is normalized: E.164 for SMS and VOICE, a bare address with
	// a lower-case domain for EMAIL, as written for push tokens. Empty
	// when the address was invalid and left off (a repair says why).
	Address string
	// Inactive is EndpointStatus INACTIVE; OptedOut is OptOut ALL.
	Inactive, OptedOut bool
	// EffectiveDate as written (ISO 8601); the later endpoint's values win
	// where a profile field takes one value.
	EffectiveDate string
	UserID        string
	CohortID      string

	// Source-named values (keys as in the export), list values flattened
	// with FlattenList, metrics written as decimal strings. Each slice is
	// sorted by key.
	UserAttributes []KV
	Attributes     []KV
	Metrics        []KV
	Demographic    []KV
	Location       Address
	Latitude       string
	Longitude      string

	// Repairs made while parsing (Action "repaired"); they travel with the
	// endpoint and reach rejects.jsonl whether or not it wins a duplicate.
	Repairs []Reject
}

// KV is one named value.
type KV struct{ K, V string }

// ProfileKey is the key of the profile the endpoint belongs to.
func (e *Endpoint) ProfileKey() string {
	if e.UserID != "" {
		return e.UserID
	}
	return e.ID
}

// Summary is summary.json of a transform, and what it prints.
type Summary struct {
	Shard  Shard        `json:"shard"`
	Inputs []InputStats `json:"inputs"`
	// Lines read; Endpoints accepted (after duplicates); Profiles written;
	// Merged endpoints that joined another endpoint's profile
	// (Endpoints - Profiles); Rejected lines; Repaired lines;
	// Duplicates superseded by a later line with the same endpoint id.
	Lines      int64 `json:"lines"`
	Endpoints  int64 `json:"endpoints"`
	Profiles   int64 `json:"profiles"`
	Merged     int64 `json:"merged"`
	Rejected   int64 `json:"rejected"`
	Repaired   int64 `json:"repaired"`
	Duplicates int64 `json:"duplicates"`
	// InvalidAddresses were left off their profile (a repair each).
	InvalidAddresses int64 `json:"invalidAddresses"`
	// SplitValues are attribute values over MaxAttributeValue split into
	// continuation keys.
	SplitValues int64 `json:"splitValues"`
	// ByChannel counts, per channel type, profiles with a reachable
	// address, and addresses opted out or inactive.
	ByChannel map[string]*ChannelCount `json:"byChannel"`
	// OptedOutProfiles have OptOut_<CH> = ALL on at least one channel.
	OptedOutProfiles int64 `json:"optedOutProfiles"`
}

// InputStats is one input file.
type InputStats struct {
	Name  string `json:"name"`
	Lines int64  `json:"lines"`
	Bytes int64  `json:"bytes"`
}

// ChannelCount is one channel's figures in a Summary.
type ChannelCount struct {
	Reachable int64 `json:"reachable"` // profiles with a reachable address
	OptedOut  int64 `json:"optedOut"`  // opted-out addresses
	Inactive  int64 `json:"inactive"`  // inactive addresses
	// OptedOutProfiles have no reachable address on the channel and at
	// least one opted-out one (OptOut_<CH> = ALL).
	OptedOutProfiles int64 `json:"optedOutProfiles"`
}
