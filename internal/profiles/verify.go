package profiles

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/p2c/p2c/internal/translate"
)

// VerifyFile is the report p2c profiles verify writes in the workspace.
const VerifyFile = "profiles-verify.json"

// Key the object type finds a profile by (blueprint's PinpointProfileKey).
const verifyProfileKey = "PinpointProfileKey"

// VerifyOptions control Verify.
type VerifyOptions struct {
	// From are record files (profiles*.jsonl.gz) or folders holding them:
	// the transform output that was loaded.
	From   []string
	Region string
	Domain string
	Client Caller
	// Sample is how many records are compared field by field (default
	// 100; negative: none). Seed makes the sample reproducible.
	Sample int
	Seed   int64
	// Segments are the segment definitions of the domain p2c created:
	// each must exclude opted-out profiles, and none may hold one.
	Segments []string
	Shard    Shard
	// ShowPII puts values (addresses, profile keys) into the report;
	// without it differences are named by field only.
	ShowPII bool
	// Rate caps the calls per second of each profile-level operation
	// (default 100, the published quota); domain-level reads keep 5.
	Rate     float64
	Workers  int       // lookups in flight (default 8)
	Progress io.Writer // progress lines (stderr); nil for none
}

// VerifyReport is profiles-verify.json: what verify compared and found.
type VerifyReport struct {
	SchemaVersion int      `json:"schemaVersion"`
	Region        string   `json:"region"`
	Domain        string   `json:"domain"`
	Shard         Shard    `json:"shard"`
	Files         []string `json:"files"`
	// Counts is the table of source against target figures.
	Counts  []VerifyCount  `json:"counts"`
	Sample  VerifySample   `json:"sample"`
	Consent VerifyConsent  `json:"consent"`
	Calls   map[string]int `json:"calls"`
	// Failures make OK false; Notes do not.
	Failures []string `json:"failures"`
	Notes    []string `json:"notes,omitempty"`
	OK       bool     `json:"ok"`
}

// VerifyCount is one row of the counts table.
type VerifyCount struct {
	// What is "profiles", or "<CH> reachable" / "<CH> opted out".
	What    string `json:"what"`
	Channel string `json:"channel,omitempty"`
	Source  int64  `json:"source"`
	// Target is -1 when it could not be read (Note says why).
	Target int64 `json:"target"`
	// Status: ok, lower (a failure), higher (a note: the domain may hold
	// other profiles) or unknown.
	Status string `json:"status"`
	Note   string `json:"note,omitempty"`
}

// VerifySample is the field-by-field comparison of a random sample.
type VerifySample struct {
	Seed       int64          `json:"seed"`
	Size       int            `json:"size"`
	Matched    int            `json:"matched"`
	Mismatched int            `json:"mismatched"`
	Missing    int            `json:"missing"`
	Duplicated int            `json:"duplicated"`
	Results    []SampleResult `json:"results"`
}

// SampleResult is one sampled record.
type SampleResult struct {
	// Source is the record's first input line (file:line); ProfileKey
	// only with ShowPII.
	Source     string `json:"source"`
	ProfileKey string `json:"profileKey,omitempty"`
	ProfileId  string `json:"profileId,omitempty"`
	// Status: match, mismatch, missing (no profile has the key),
	// duplicated (several have it) or error.
	Status      string      `json:"status"`
	Differences []FieldDiff `json:"differences,omitempty"`
	Error       string      `json:"error,omitempty"`
}

// FieldDiff is one field that differs; values only with ShowPII.
type FieldDiff struct {
	Field  string `json:"field"`
	Source string `json:"source,omitempty"`
	Target string `json:"target,omitempty"`
}

// VerifyConsent is the consent proof.
type VerifyConsent struct {
	// Records have at least one opted-out or inactive address; each was
	// looked up. Addresses counts those addresses; Violations the
	// addresses found contactable (or a channel not marked opted out).
	Records          int             `json:"records"`
	Addresses        int             `json:"addresses"`
	OptedOutProfiles int             `json:"optedOutProfiles"`
	Violations       int             `json:"violations"`
	Missing          int             `json:"missing"`
	Segments         []SegmentCheck  `json:"segments"`
	Results          []ConsentResult `json:"results,omitempty"`
}

// SegmentCheck is one migrated segment in the consent proof.
type SegmentCheck struct {
	Name string `json:"name"`
	// Excludes are the OptOut_<CH> attributes the definition excludes.
	Excludes []string `json:"excludes"`
	// Checked profiles (opted out on an excluded channel); Present of
	// them are members (each a failure).
	Checked int    `json:"checked"`
	Present int    `json:"present"`
	Status  string `json:"status"` // ok, fail, error, helper (a source of a segment that excludes)
	Note    string `json:"note,omitempty"`
}

// ConsentResult is one violation of the consent proof.
type ConsentResult struct {
	Source     string `json:"source"`
	ProfileKey string `json:"profileKey,omitempty"`
	ProfileId  string `json:"profileId,omitempty"`
	Channel    string `json:"channel,omitempty"`
	Field      string `json:"field,omitempty"`
	Address    string `json:"address,omitempty"`
	Problem    string `json:"problem"`
}

// Verify compares loaded records with the domain: counts, a sample field
// by field, and the consent proof. Failures are in the report (OK false);
// the error is for what stopped verify itself (unreadable files, a domain
// that cannot be read).
func Verify(ctx context.Context, opts VerifyOptions) (*VerifyReport, error) {
	if opts.Client == nil {
		return nil, errors.New("verify: no target client")
	}
	if opts.Domain == "" {
		return nil, errors.New("verify: no domain")
	}
	if opts.Sample == 0 {
		opts.Sample = 100
	}
	if opts.Rate <= 0 {
		opts.Rate = 100
	}
	if opts.Workers <= 0 {
		opts.Workers = 8
	}
	files, err := recordFiles(opts.From, opts.Shard)
	if err != nil {
		return nil, err
	}
	v := &verifier{opts: opts, ctls: map[string]*rateController{}, calls: map[string]int{},
		rep: &VerifyReport{SchemaVersion: 1, Region: opts.Region, Domain: opts.Domain, Shard: opts.Shard, Files: files}}
	v.rep.Sample.Seed = opts.Seed

	// One pass over the records: source counts, the reservoir and the
	// records the consent proof looks up.
	src := verifySourceCounts{reach: map[string]int64{}, opted: map[string]int64{}}
	var sample []sampled
	var seen int64
	rng := rand.New(rand.NewPCG(uint64(opts.Seed), uint64(opts.Seed)^0x9e3779b97f4a7c15))
	var consent []sampled
	err = verifyEachRecord(files, opts.Shard, func(rec *Record, src0 string) error {
		src.add(rec)
		s := sampled{rec: rec, source: src0}
		if verifyNeedsConsent(rec) {
			consent = append(consent, verifySlim(s))
		}
		if opts.Sample > 0 {
			seen++
			if len(sample) < opts.Sample {
				sample = append(sample, s)
			} else if j := rng.Int64N(seen); j < int64(opts.Sample) {
				sample[j] = s
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if opts.Progress != nil {
		fmt.Fprintf(opts.Progress, "profiles verify: %d records read from %d file(s); %d sampled, %d with opted-out or inactive addresses\n",
			src.profiles, len(files), len(sample), len(consent))
	}
	if err := v.counts(ctx, &src); err != nil {
		return nil, err
	}
	v.sample(ctx, sample)
	v.consent(ctx, consent)

	r := v.rep
	r.Calls = v.calls
	r.OK = len(r.Failures) == 0
	if r.Failures == nil {
		r.Failures = []string{}
	}
	return r, nil
}

// sampled is a record and where it was read.
type sampled struct {
	rec    *Record
	source string
}

// verifySlim keeps what the consent proof needs of a record: its key,
// consent and OptOut_<CH> attributes (the records of opted-out users may
// be millions).
func verifySlim(s sampled) sampled {
	r := &Record{ProfileKey: s.rec.ProfileKey, Consent: s.rec.Consent}
	for k, val := range s.rec.Profile.Attributes {
		if strings.HasPrefix(k, "OptOut_") {
			if r.Profile.Attributes == nil {
				r.Profile.Attributes = map[string]string{}
			}
			r.Profile.Attributes[k] = val
		}
	}
	return sampled{rec: r, source: s.source}
}

func verifyNeedsConsent(rec *Record) bool {
	for _, c := range rec.Consent {
		if c.State == StateOptedOut || c.State == StateInactive {
			return true
		}
	}
	return false
}

type verifier struct {
	opts VerifyOptions
	rep  *VerifyReport

	mu    sync.Mutex
	calls map[string]int
	ctls  map[string]*rateController // per operation, as the load paces
}

func (v *verifier) fail(format string, args ...any) {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.rep.Failures = append(v.rep.Failures, fmt.Sprintf(format, args...))
}

func (v *verifier) note(format string, args ...any) {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.rep.Notes = append(v.rep.Notes, fmt.Sprintf(format, args...))
}

// call makes one rate-limited call.
func (v *verifier) call(ctx context.Context, op string, in map[string]any) (map[string]any, error) {
	v.mu.Lock()
	c := v.ctls[op]
	if c == nil {
		rate := v.opts.Rate
		switch op {
		case "GetDomain", "GetSegmentDefinition", "CreateSegmentEstimate", "GetSegmentEstimate":
			// Domain-level reads have a quota of 5 per second, a
			// twentieth of the profile-level one.
			rate /= 20
		}
		c = newRateController(rate)
		v.ctls[op] = c
	}
	v.calls[op]++
	v.mu.Unlock()
	if err := c.Wait(ctx); err != nil {
		return nil, err
	}
	res, err := v.opts.Client.Call(ctx, "customer-profiles", v.opts.Region, op, in)
	if err != nil {
		return nil, err
	}
	return res.Output, nil
}

// counts --------------------------------------------------------------------

type verifySourceCounts struct {
	profiles int64
	reach    map[string]int64 // channel → profiles with a contact address
	opted    map[string]int64 // channel → profiles with OptOut_<CH> ALL
}

func (s *verifySourceCounts) add(rec *Record) {
	s.profiles++
	for _, ch := range verifyChannels(rec) {
		if rec.Profile.Contact(ch) != "" {
			s.reach[ch]++
		} else if _, ok := s.reach[ch]; !ok {
			s.reach[ch] = 0
		}
		if rec.Profile.Attributes[translate.OptOutAttribute(ch)] == translate.OptOutValue {
			s.opted[ch]++
		} else if _, ok := s.opted[ch]; !ok {
			s.opted[ch] = 0
		}
	}
}

// verifyChannels are the channels a record has an address on.
func verifyChannels(rec *Record) []string {
	var out []string
	for _, c := range rec.Consent {
		if !slices.Contains(out, c.Channel) {
			out = append(out, c.Channel)
		}
	}
	return out
}

// verifyContactFields are the target profile fields that would make an
// address of a channel contactable.
func verifyContactFields(ch string) []string {
	switch ch {
	case "EMAIL":
		return []string{"EmailAddress", "PersonalEmailAddress", "BusinessEmailAddress"}
	case "SMS":
		return []string{"MobilePhoneNumber"}
	case "VOICE":
		return []string{"PhoneNumber"}
	}
	return []string{"Attributes.PushToken_" + ch}
}

func (v *verifier) counts(ctx context.Context, src *verifySourceCounts) error {
	out, err := v.call(ctx, "GetDomain", map[string]any{"DomainName": v.opts.Domain})
	if err != nil {
		return fmt.Errorf("read domain %s: %w", v.opts.Domain, err)
	}
	stats, _ := out["Stats"].(map[string]any)
	n, ok := verifyNumber(stats["ProfileCount"])
	row := VerifyCount{What: "profiles", Source: src.profiles, Target: n}
	if !ok {
		row.Target, row.Note = -1, "GetDomain returned no Stats.ProfileCount"
	}
	v.compare(row)

	chans := make([]string, 0, len(src.reach))
	for ch := range src.reach {
		chans = append(chans, ch)
	}
	sort.Strings(chans)
	// Every estimate is started first, then all are polled: they run
	// side by side in the service.
	var rows []VerifyCount
	var queries []map[string]any
	for _, ch := range chans {
		rows = append(rows, VerifyCount{What: ch + " reachable", Channel: ch, Source: src.reach[ch]},
			VerifyCount{What: ch + " opted out", Channel: ch, Source: src.opted[ch]})
		queries = append(queries,
			verifyAttrDim(translate.ChannelsAttribute, "CONTAINS", translate.FlattenSeparator+ch+translate.FlattenSeparator),
			verifyAttrDim(translate.OptOutAttribute(ch), "INCLUSIVE", translate.OptOutValue))
	}
	ns, notes := v.estimates(ctx, queries)
	for i, row := range rows {
		row.Target, row.Note = ns[i], notes[i]
		v.compare(row)
	}
	return nil
}

func (v *verifier) compare(row VerifyCount) {
	switch {
	case row.Target < 0:
		row.Status = "unknown"
		v.note("%s: the target count could not be read: %s", row.What, row.Note)
	case row.Target < row.Source:
		row.Status = "lower"
		v.fail("%s: %d in the source, %d in the domain", row.What, row.Source, row.Target)
	case row.Target > row.Source:
		row.Status = "higher"
		if row.Note == "" {
			row.Note = "the domain holds more: other profiles, other shards or an estimate's rounding"
		}
	default:
		row.Status = "ok"
	}
	v.rep.Counts = append(v.rep.Counts, row)
}

func verifyAttrDim(key, typ, value string) map[string]any {
	return map[string]any{"Include": "ALL", "Groups": []any{map[string]any{"Type": "ALL", "Dimensions": []any{
		map[string]any{"ProfileAttributes": map[string]any{"Attributes": map[string]any{
			key: map[string]any{"DimensionType": typ, "Values": []any{value}}}}}}}}}
}

// estimates runs segment estimates and waits for their figures; -1 and
// a reason for those that have none.
func (v *verifier) estimates(ctx context.Context, qs []map[string]any) ([]int64, []string) {
	ns, notes := make([]int64, len(qs)), make([]string, len(qs))
	ids := make([]string, len(qs))
	pending := 0
	for i, q := range qs {
		out, err := v.call(ctx, "CreateSegmentEstimate", map[string]any{"DomainName": v.opts.Domain, "SegmentQuery": q})
		if err != nil {
			ns[i], notes[i] = -1, err.Error()
			continue
		}
		ids[i], _ = out["EstimateId"].(string)
		pending++
	}
	wait := 50 * time.Millisecond
	deadline := time.Now().Add(10 * time.Minute)
	for pending > 0 {
		for i, id := range ids {
			if id == "" {
				continue
			}
			out, err := v.call(ctx, "GetSegmentEstimate", map[string]any{"DomainName": v.opts.Domain, "EstimateId": id})
			done := true
			switch s, _ := out["Status"].(string); {
			case err != nil:
				ns[i], notes[i] = -1, err.Error()
			case s == "SUCCEEDED":
				est, _ := out["Estimate"].(string)
				n, ok := verifyEstimate(est)
				if ok {
					ns[i] = n
				} else {
					ns[i], notes[i] = -1, fmt.Sprintf("estimate %q is not a count", est)
				}
			case s == "FAILED":
				msg, _ := out["Message"].(string)
				ns[i], notes[i] = -1, "estimate failed: "+msg
			case time.Now().After(deadline):
				ns[i], notes[i] = -1, "estimate still running after 10 minutes"
			default:
				done = false
			}
			if done {
				ids[i] = ""
				pending--
			}
		}
		if pending == 0 {
			break
		}
		select {
		case <-ctx.Done():
			for i, id := range ids {
				if id != "" {
					ns[i], notes[i] = -1, ctx.Err().Error()
				}
			}
			return ns, notes
		case <-time.After(wait):
		}
		wait = min(wait*2, 2*time.Second)
	}
	return ns, notes
}

// verifyEstimate reads the count of an estimate ("1,234 profiles").
func verifyEstimate(s string) (int64, bool) {
	i := strings.IndexAny(s, "0123456789")
	if i < 0 {
		return 0, false
	}
	j := i
	for j < len(s) && (s[j] >= '0' && s[j] <= '9' || s[j] == ',') {
		j++
	}
	n, err := strconv.ParseInt(strings.ReplaceAll(s[i:j], ",", ""), 10, 64)
	return n, err == nil
}

func verifyNumber(v any) (int64, bool) {
	switch n := v.(type) {
	case float64:
		return int64(n), true
	case int64:
		return n, true
	case int:
		return int64(n), true
	case json.Number:
		i, err := n.Int64()
		return i, err == nil
	}
	return 0, false
}

// lookups -------------------------------------------------------------------

// lookup finds the profiles holding a record's key.
func (v *verifier) lookup(ctx context.Context, key string) ([]map[string]any, error) {
	out, err := v.call(ctx, "SearchProfiles", map[string]any{"DomainName": v.opts.Domain, "KeyName": verifyProfileKey,
		"Values": []any{key}, "MaxResults": 10})
	if err != nil {
		return nil, err
	}
	items, _ := out["Items"].([]any)
	var ps []map[string]any
	for _, it := range items {
		if m, ok := it.(map[string]any); ok {
			ps = append(ps, m)
		}
	}
	return ps, nil
}

// parallel runs fn over n items with the verifier's workers.
func (v *verifier) parallel(ctx context.Context, n int, fn func(i int)) {
	next := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < min(v.opts.Workers, max(n, 1)); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				fn(i)
			}
		}()
	}
	for i := 0; i < n && ctx.Err() == nil; i++ {
		next <- i
	}
	close(next)
	wg.Wait()
}

func (v *verifier) source(s sampled) (src, key string) {
	if v.opts.ShowPII {
		key = s.rec.ProfileKey
	}
	return s.source, key
}

// sample --------------------------------------------------------------------

func (v *verifier) sample(ctx context.Context, sample []sampled) {
	res := make([]SampleResult, len(sample))
	v.parallel(ctx, len(sample), func(i int) {
		s := sample[i]
		r := &res[i]
		r.Source, r.ProfileKey = v.source(s)
		ps, err := v.lookup(ctx, s.rec.ProfileKey)
		switch {
		case err != nil:
			r.Status, r.Error = "error", err.Error()
			return
		case len(ps) == 0:
			r.Status = "missing"
			return
		case len(ps) > 1:
			r.Status = "duplicated"
			return
		}
		r.ProfileId, _ = ps[0]["ProfileId"].(string)
		r.Differences = verifyDiff(&s.rec.Profile, ps[0], v.opts.ShowPII)
		r.Status = "match"
		if len(r.Differences) > 0 {
			r.Status = "mismatch"
		}
	})
	sm := &v.rep.Sample
	sm.Size, sm.Results = len(res), res
	for _, r := range res {
		switch r.Status {
		case "match":
			sm.Matched++
		case "mismatch":
			sm.Mismatched++
			names := make([]string, len(r.Differences))
			for i, d := range r.Differences {
				names[i] = d.Field
			}
			v.fail("sample %s: profile differs in %s", r.Source, strings.Join(names, ", "))
		case "missing":
			sm.Missing++
			v.fail("sample %s: no profile has its key", r.Source)
		case "duplicated":
			sm.Duplicated++
			v.fail("sample %s: several profiles have its key", r.Source)
		default:
			v.fail("sample %s: lookup failed: %s", r.Source, r.Error)
		}
	}
}

// verifyDiff compares a record's profile with the target's, field by
// field: the standard fields it sets, the Address members and every
// attribute of the record.
func verifyDiff(want *Profile, got map[string]any, pii bool) []FieldDiff {
	var out []FieldDiff
	cmp := func(field, w, g string) {
		if w != g {
			d := FieldDiff{Field: field}
			if pii {
				d.Source, d.Target = w, g
			}
			out = append(out, d)
		}
	}
	str := func(m map[string]any, k string) string { s, _ := m[k].(string); return s }
	cmp("EmailAddress", want.EmailAddress, str(got, "EmailAddress"))
	cmp("MobilePhoneNumber", want.MobilePhoneNumber, str(got, "MobilePhoneNumber"))
	cmp("PhoneNumber", want.PhoneNumber, str(got, "PhoneNumber"))
	addr, _ := got["Address"].(map[string]any)
	var wa Address
	if want.Address != nil {
		wa = *want.Address
	}
	cmp("Address.City", wa.City, str(addr, "City"))
	cmp("Address.Country", wa.Country, str(addr, "Country"))
	cmp("Address.PostalCode", wa.PostalCode, str(addr, "PostalCode"))
	cmp("Address.State", wa.State, str(addr, "State"))
	attrs, _ := got["Attributes"].(map[string]any)
	keys := make([]string, 0, len(want.Attributes))
	for k := range want.Attributes {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		cmp("Attributes."+k, want.Attributes[k], str(attrs, k))
	}
	return out
}

// consent -------------------------------------------------------------------

func (v *verifier) consent(ctx context.Context, recs []sampled) {
	c := &v.rep.Consent
	c.Records = len(recs)
	c.Segments = []SegmentCheck{}
	type found struct {
		id       string
		optedOut []string // channels with OptOut_<CH> ALL (source or target)
	}
	got := make([]found, len(recs))
	var mu sync.Mutex
	add := func(r ConsentResult) {
		mu.Lock()
		defer mu.Unlock()
		c.Results = append(c.Results, r)
	}
	v.parallel(ctx, len(recs), func(i int) {
		s := recs[i]
		src, key := v.source(s)
		ps, err := v.lookup(ctx, s.rec.ProfileKey)
		if err != nil || len(ps) != 1 {
			problem := "no profile has its key"
			switch {
			case err != nil:
				problem = "lookup failed: " + err.Error()
			case len(ps) > 1:
				problem = "several profiles have its key"
			}
			add(ConsentResult{Source: src, ProfileKey: key, Problem: problem})
			mu.Lock()
			c.Missing++
			mu.Unlock()
			return
		}
		p := ps[0]
		id, _ := p["ProfileId"].(string)
		got[i].id = id
		attrs, _ := p["Attributes"].(map[string]any)
		reachable := map[string]bool{}
		for _, ce := range s.rec.Consent {
			if ce.State == StateReachable {
				reachable[ce.Channel] = true
			}
		}
		for _, ce := range s.rec.Consent {
			if ce.State != StateOptedOut && ce.State != StateInactive {
				continue
			}
			mu.Lock()
			c.Addresses++
			mu.Unlock()
			for _, f := range verifyContactFields(ce.Channel) {
				var val string
				if a, ok := strings.CutPrefix(f, "Attributes."); ok {
					val, _ = attrs[a].(string)
				} else {
					val, _ = p[f].(string)
				}
				if val != "" && val == ce.Address {
					r := ConsentResult{Source: src, ProfileKey: key, ProfileId: id, Channel: ce.Channel, Field: f,
						Problem: strings.ToLower(strings.ReplaceAll(ce.State, "_", "-")) + " address is in a contact field"}
					if v.opts.ShowPII {
						r.Address = ce.Address
					}
					add(r)
				}
			}
		}
		var opted []string
		for _, ch := range verifyChannels(s.rec) {
			attr := translate.OptOutAttribute(ch)
			tv, _ := attrs[attr].(string)
			want := !reachable[ch] && verifyHasState(s.rec, ch, StateOptedOut)
			if want && tv != translate.OptOutValue {
				add(ConsentResult{Source: src, ProfileKey: key, ProfileId: id, Channel: ch, Field: "Attributes." + attr,
					Problem: "channel has no reachable address and an opted-out one, but " + attr + " is not " + translate.OptOutValue})
			}
			if want || tv == translate.OptOutValue || s.rec.Profile.Attributes[attr] == translate.OptOutValue {
				opted = append(opted, ch)
			}
		}
		got[i].optedOut = opted
	})
	c.Violations = len(c.Results) - c.Missing
	for _, f := range got {
		if len(f.optedOut) > 0 {
			c.OptedOutProfiles++
		}
	}
	if c.Missing > 0 {
		v.fail("consent: %d record(s) with opted-out or inactive addresses have no profile (or several)", c.Missing)
	}
	if c.Violations > 0 {
		v.fail("consent: %d opted-out or inactive address(es) are contactable on their profile", c.Violations)
	}

	// Read every definition first: a helper segment (groups the
	// translator split out) is the source of another one that carries
	// the exclusion, and is not itself a campaign's audience.
	defs := map[string]map[string]any{}
	usedBy := map[string]string{}
	for _, name := range v.opts.Segments {
		def, err := v.call(ctx, "GetSegmentDefinition", map[string]any{"DomainName": v.opts.Domain, "SegmentDefinitionName": name})
		if err != nil {
			c.Segments = append(c.Segments, SegmentCheck{Name: name, Excludes: []string{}, Status: "error", Note: err.Error()})
			v.fail("segment %s: %v", name, err)
			continue
		}
		defs[name] = def
		for _, src := range verifySourceSegments(def) {
			usedBy[src] = name
		}
	}
	for _, name := range v.opts.Segments {
		def := defs[name]
		if def == nil {
			continue
		}
		sc := SegmentCheck{Name: name, Excludes: verifyExclusions(def)}
		if len(sc.Excludes) == 0 {
			if parent := usedBy[name]; parent != "" && len(verifyExclusions(defs[parent])) > 0 {
				sc.Status, sc.Note = "helper", "a source segment of "+parent+", which excludes opted-out profiles"
				c.Segments = append(c.Segments, sc)
				continue
			}
			sc.Status, sc.Note = "fail", "the definition excludes no opted-out profiles"
			v.fail("segment %s excludes no opted-out profiles (no OptOut_<CH> = ALL exclusion)", name)
		}
		var ids []string
		for _, f := range got {
			if f.id == "" {
				continue
			}
			for _, ch := range f.optedOut {
				if slices.Contains(sc.Excludes, translate.OptOutAttribute(ch)) {
					ids = append(ids, f.id)
					break
				}
			}
		}
		sc.Checked = len(ids)
		for i := 0; i < len(ids) && sc.Status != "error"; i += 100 {
			batch := ids[i:min(i+100, len(ids))]
			out, err := v.call(ctx, "GetSegmentMembership", map[string]any{"DomainName": v.opts.Domain,
				"SegmentDefinitionName": name, "ProfileIds": verifyAnyList(batch)})
			if err != nil {
				sc.Status, sc.Note = "error", err.Error()
				v.fail("segment %s: membership: %v", name, err)
				break
			}
			ps, _ := out["Profiles"].([]any)
			for _, p := range ps {
				pm, _ := p.(map[string]any)
				if pm["QueryResult"] == "PRESENT" {
					sc.Present++
				}
			}
			if fs, _ := out["Failures"].([]any); len(fs) > 0 {
				sc.Note = fmt.Sprintf("%d profile(s) could not be checked", len(fs))
				v.note("segment %s: %d profile(s) could not be checked for membership", name, len(fs))
			}
		}
		if sc.Present > 0 {
			sc.Status = "fail"
			v.fail("segment %s holds %d opted-out profile(s)", name, sc.Present)
		}
		if sc.Status == "" {
			sc.Status = "ok"
		}
		c.Segments = append(c.Segments, sc)
	}
	sort.Slice(c.Results, func(i, j int) bool { return c.Results[i].Source < c.Results[j].Source })
}

func verifyHasState(rec *Record, ch, state string) bool {
	for _, c := range rec.Consent {
		if c.Channel == ch && c.State == state {
			return true
		}
	}
	return false
}

// verifyExclusions lists the OptOut_<CH> attributes a segment definition
// excludes: a group of Type NONE whose dimensions are OptOut_<CH>
// INCLUSIVE ALL, in a definition whose groups must all hold.
func verifyExclusions(def map[string]any) []string {
	sg, _ := def["SegmentGroups"].(map[string]any)
	if inc, _ := sg["Include"].(string); inc != "" && inc != "ALL" {
		return nil
	}
	out := []string{}
	groups, _ := sg["Groups"].([]any)
	for _, g := range groups {
		gm, _ := g.(map[string]any)
		if t, _ := gm["Type"].(string); t != "NONE" {
			continue
		}
		if srcs, _ := gm["SourceSegments"].([]any); len(srcs) > 0 {
			continue
		}
		dims, _ := gm["Dimensions"].([]any)
		for _, d := range dims {
			dm, _ := d.(map[string]any)
			pa, _ := dm["ProfileAttributes"].(map[string]any)
			attrs, _ := pa["Attributes"].(map[string]any)
			for k, cond := range attrs {
				cm, _ := cond.(map[string]any)
				if !strings.HasPrefix(k, "OptOut_") || cm["DimensionType"] != "INCLUSIVE" {
					continue
				}
				vals, _ := cm["Values"].([]any)
				for _, val := range vals {
					if val == translate.OptOutValue && !slices.Contains(out, k) {
						out = append(out, k)
					}
				}
			}
		}
	}
	sort.Strings(out)
	return out
}

// verifySourceSegments are the segments a definition builds on.
func verifySourceSegments(def map[string]any) []string {
	sg, _ := def["SegmentGroups"].(map[string]any)
	groups, _ := sg["Groups"].([]any)
	var out []string
	for _, g := range groups {
		gm, _ := g.(map[string]any)
		srcs, _ := gm["SourceSegments"].([]any)
		for _, src := range srcs {
			sm, _ := src.(map[string]any)
			if n, _ := sm["SegmentDefinitionName"].(string); n != "" {
				out = append(out, n)
			}
		}
	}
	return out
}

func verifyAnyList(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

// records -------------------------------------------------------------------

// verifyEachRecord reads every record of the shard, in file order.
func verifyEachRecord(files []string, shard Shard, fn func(rec *Record, source string) error) error {
	for _, name := range files {
		err := readRecords(name, func(line int64, rec *Record, err error) error {
			switch {
			case err != nil:
				return fmt.Errorf("%s:%d: %w", name, line, err)
			case rec == nil || !shard.Has(rec.ProfileKey):
				return nil
			}
			return fn(rec, fmt.Sprintf("%s:%d", filepath.Base(name), line))
		})
		if err != nil {
			return err
		}
	}
	return nil
}
