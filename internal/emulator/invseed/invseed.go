// Package invseed turns an inventory.json written by `p2c scan` into an
// emulator seed: the create calls that rebuild the scanned account in the
// emulator, so a team can rehearse its whole migration on a local copy of
// its own account.
//
// An inventory is a snapshot of what the APIs returned, not of everything an
// account holds: channel secrets are never returned, endpoints are only
// counted, imported segments' files are not kept. FromInventory rebuilds what
// the snapshot holds, uses clearly fake placeholders where a create call
// needs something the snapshot cannot hold, and lists each such gap in its
// notes.
package invseed

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/p2c/p2c/internal/awsmodel"
	"github.com/p2c/p2c/internal/emulator"
	"github.com/p2c/p2c/internal/inventory"
)

// Placeholder is the value put where a create call needs a secret the
// inventory cannot hold (channel credentials). It is never a working
// credential.
const Placeholder = "p2c-rehearsal-placeholder"

// ImportBucket is the emulator bucket that holds the empty files imported
// segments are recreated from.
const ImportBucket = "p2c-rehearsal-imports"

// Services of the calls.
const (
	svcPinpoint = "pinpoint"
	svcSMSVoice = "pinpoint-sms-voice-v2"
	svcS3       = "s3"
	svcEmulator = "emulator"
)

// IsInventory reports whether data looks like an inventory rather than a
// seed file: an inventory has a top-level schemaVersion member.
func IsInventory(data []byte) bool {
	var probe map[string]json.RawMessage
	if err := json.Unmarshal(data, &probe); err != nil {
		// A truncated inventory still names itself near the top.
		head := data[:min(len(data), 200)]
		return bytes.Contains(head, []byte(`"schemaVersion"`))
	}
	_, ok := probe["schemaVersion"]
	return ok
}

// FromInventory translates inv into the create calls that rebuild it, region
// by region. The notes say what could not be carried, or was carried only as
// a placeholder.
func FromInventory(inv *inventory.Inventory) (*emulator.Seed, []string, error) {
	if inv == nil {
		return nil, nil, errors.New("inventory seed: no inventory")
	}
	if inv.SchemaVersion != inventory.SchemaVersion {
		return nil, nil, fmt.Errorf("inventory seed: schemaVersion %d, this p2c reads %d: %w", inv.SchemaVersion, inventory.SchemaVersion, inventory.ErrSchemaVersion)
	}
	pp, err := awsmodel.Load("pinpoint")
	if err != nil {
		return nil, nil, fmt.Errorf("inventory seed: %w", err)
	}
	seed := &emulator.Seed{SeedVersion: emulator.SeedVersion, Description: describe(inv)}
	if len(inv.Regions) > 0 {
		seed.Region = inv.Regions[0].Name
	}
	var notes []string
	bucket := false
	for i := range inv.Regions {
		r := &inv.Regions[i]
		if r.Name == "" {
			return nil, nil, fmt.Errorf("inventory seed: region %d has no name", i+1)
		}
		b := newBuilder(r.Name, pp)
		b.bucketMade = bucket
		if err := b.build(r); err != nil {
			return nil, nil, fmt.Errorf("inventory seed: region %s: %w", r.Name, err)
		}
		bucket = b.bucketMade
		seed.Calls = append(seed.Calls, b.calls...)
		notes = append(notes, b.notes...)
	}
	for _, f := range inv.Facts {
		if f.Kind == inventory.FactRetired || f.Kind == inventory.FactAccessDenied {
			what := f.Operation
			if f.Resource != "" {
				what += " (" + f.Resource + ")"
			}
			notes = append(notes, fmt.Sprintf("%s: %s was %s when scanned, so the inventory holds nothing of it to rebuild", f.Region, what, f.Kind))
		}
	}
	// Every input goes through JSON once so that Apply's substitution sees
	// only the generic types it walks (map[string]any, []any, string).
	for i := range seed.Calls {
		in, err := generic(seed.Calls[i].Input)
		if err != nil {
			return nil, nil, fmt.Errorf("inventory seed: call %d (%s): %w", i+1, seed.Calls[i].Operation, err)
		}
		seed.Calls[i].Input = in
	}
	return seed, notes, nil
}

func describe(inv *inventory.Inventory) string {
	d := "rebuilt from an inventory"
	if inv.Account != "" {
		d += " of account " + inv.Account
	}
	if !inv.ScannedAt.IsZero() {
		d += " scanned " + inv.ScannedAt.UTC().Format("2006-01-02T15:04:05Z")
	}
	return d
}

func generic(in map[string]any) (map[string]any, error) {
	if in == nil {
		return map[string]any{}, nil
	}
	raw, err := json.Marshal(in)
	if err != nil {
		return nil, err
	}
	var out map[string]any
	if err := json.Unmarshal(raw, &out); err != nil {
		return nil, err
	}
	return out, nil
}

// builder records the calls of one region.
type builder struct {
	region string
	pp     *awsmodel.Model
	calls  []emulator.Call
	notes  []string
	noted  map[string]bool

	// Old ids known to be recreated, by kind; their new ids are saved as
	// ${kind.<oldid>}.
	apps, segs, camps, jrns, recs map[string]bool
	// phones and pools hold End User Messaging ids.
	phones, pools, regs map[string]bool
	// numbers maps a recorded phone number (E.164) to its phone id: the
	// rebuilt number differs, and Pinpoint resources that name it follow.
	numbers map[string]string
	// templates holds "TYPE/name" of every recreated template; tplVersion
	// maps its recorded version numbers to the recreated ones.
	templates  map[string]bool
	tplVersion map[string]map[string]string
	bucketMade bool
}

func newBuilder(region string, pp *awsmodel.Model) *builder {
	return &builder{region: region, pp: pp, noted: map[string]bool{}, numbers: map[string]string{},
		apps: map[string]bool{}, segs: map[string]bool{}, camps: map[string]bool{}, jrns: map[string]bool{}, recs: map[string]bool{},
		phones: map[string]bool{}, pools: map[string]bool{}, regs: map[string]bool{},
		templates: map[string]bool{}, tplVersion: map[string]map[string]string{}}
}

func (b *builder) add(service, op string, in map[string]any, save map[string]string) {
	b.calls = append(b.calls, emulator.Call{Service: service, Operation: op, Region: b.region, Input: in, Save: save})
}

func (b *builder) notef(format string, args ...any) {
	n := b.region + ": " + fmt.Sprintf(format, args...)
	if !b.noted[n] {
		b.noted[n] = true
		b.notes = append(b.notes, n)
	}
}

func (b *builder) build(r *inventory.Region) error {
	if err := b.eum(&r.EUM); err != nil {
		return err
	}
	// Templates may name a recommender, so recommenders come first.
	if err := b.recommenders(r.Recommenders); err != nil {
		return err
	}
	if err := b.templatesOf(r.Templates); err != nil {
		return err
	}
	placeholders := b.placeholderTemplates(r)
	var metrics metricsSeed
	for i := range r.Apps {
		if err := b.app(&r.Apps[i], &metrics); err != nil {
			return fmt.Errorf("app %s: %w", r.Apps[i].ID, err)
		}
	}
	// Placeholder templates stood in for templates that were already
	// deleted when the account was scanned: delete them again so the
	// references dangle as they did.
	for _, key := range placeholders {
		typ, name, _ := strings.Cut(key, "/")
		b.add(svcPinpoint, "Delete"+templateKinds[typ].op+"Template", map[string]any{"TemplateName": name}, nil)
	}
	if !metrics.empty() {
		b.add(svcEmulator, "SeedMetrics", metrics.input(), nil)
	}
	return nil
}

// ---- JSON helpers ----

// object decodes a raw API object; nil or invalid JSON gives nil.
func object(raw json.RawMessage) map[string]any {
	if len(raw) == 0 {
		return nil
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil
	}
	return m
}

func str(m map[string]any, k string) string {
	s, _ := m[k].(string)
	return s
}

func sub(m map[string]any, k string) map[string]any {
	o, _ := m[k].(map[string]any)
	return o
}

func list(m map[string]any, k string) []any {
	l, _ := m[k].([]any)
	return l
}

// prune keeps the members the shape defines (dropping read-only response
// members), as a map.
func (b *builder) prune(shape string, v map[string]any) map[string]any {
	out, _ := b.pp.Prune(shape, v).(map[string]any)
	if out == nil {
		out = map[string]any{}
	}
	return out
}

func ref(kind, id string) string { return "${" + kind + "." + id + "}" }

// rewrite replaces recorded ids under known keys by references to the
// recreated resources, anywhere in v.
func (b *builder) rewrite(v any) any {
	switch t := v.(type) {
	case map[string]any:
		for k, x := range t {
			if s, ok := x.(string); ok {
				if kind, known := b.idKind(k, s); known {
					t[k] = ref(kind, s)
					continue
				}
			}
			t[k] = b.rewrite(x)
		}
	case string:
		if id, ok := b.numbers[t]; ok {
			return ref("number", id)
		}
	case []any:
		for i, x := range t {
			t[i] = b.rewrite(x)
		}
	}
	return v
}

func (b *builder) idKind(key, id string) (string, bool) {
	switch key {
	case "ApplicationId":
		return "app", b.apps[id]
	case "SegmentId":
		return "seg", b.segs[id]
	case "CampaignId":
		return "camp", b.camps[id]
	case "JourneyId":
		return "jrn", b.jrns[id]
	case "RecommenderId":
		return "rec", b.recs[id]
	}
	return "", false
}

// seedRef is what a seed reads as a reference (see emulator.Seed).
var seedRef = regexp.MustCompile(`\$\{[A-Za-z0-9_.:/-]+\}`)

// checkRefs escapes text in carried content that a seed would read as a
// ${name} reference: $${name} stands for the literal text.
// "${{Attributes.X}}", a price before a placeholder, is not such a
// reference.
func (b *builder) checkRefs(what string, v any) any {
	switch t := v.(type) {
	case string:
		if seedRef.MatchString(t) {
			return seedRef.ReplaceAllStringFunc(t, func(m string) string { return "$" + m })
		}
	case map[string]any:
		for k, x := range t {
			t[k] = b.checkRefs(what, x)
		}
	case []any:
		for i, x := range t {
			t[i] = b.checkRefs(what, x)
		}
	}
	return v
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
