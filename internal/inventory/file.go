package inventory

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strconv"

	"github.com/p2c/p2c/internal/artifact"
)

// Marshal sorts the inventory and renders it as indented JSON. HTML
// escaping is off so raw API objects (HTML template parts) keep their bytes.
func Marshal(inv *Inventory) ([]byte, error) {
	inv.Sort()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(inv); err != nil {
		return nil, fmt.Errorf("encode inventory: %w", err)
	}
	return buf.Bytes(), nil
}

// Write stores inv at path atomically: a 0600 temp file in the same
// directory, fsynced, then renamed over path, so a reader sees either the
// old file or the whole new one. It sorts inv first (see Sort).
func Write(path string, inv *Inventory) error {
	if inv.SchemaVersion == 0 {
		inv.SchemaVersion = SchemaVersion
	}
	data, err := Marshal(inv)
	if err != nil {
		return err
	}
	return artifact.Write(path, data)
}

// ErrSchemaVersion is wrapped by Read when the file's schemaVersion is not
// one this build understands.
var ErrSchemaVersion = errors.New("unsupported inventory schemaVersion")

// Read loads an inventory file.
func Read(path string) (*Inventory, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read inventory: %w", err)
	}
	return Parse(path, data)
}

// Parse decodes inventory JSON; name is used in error messages.
func Parse(name string, data []byte) (*Inventory, error) {
	if err := checkSyntax(name, data); err != nil {
		return nil, err
	}
	var probe struct {
		SchemaVersion *json.RawMessage `json:"schemaVersion"`
	}
	if err := json.Unmarshal(data, &probe); err != nil {
		return nil, fmt.Errorf("%s: not an inventory: %w", name, err)
	}
	if probe.SchemaVersion == nil {
		return nil, fmt.Errorf("%s: no schemaVersion: not a p2c inventory file", name)
	}
	v, err := strconv.Atoi(string(*probe.SchemaVersion))
	if err != nil {
		return nil, fmt.Errorf("%s: schemaVersion %s: %w", name, *probe.SchemaVersion, ErrSchemaVersion)
	}
	if v != SchemaVersion {
		hint := "it was written by a newer p2c; upgrade p2c"
		if v < SchemaVersion {
			hint = "it was written by an older p2c; scan again"
		}
		return nil, fmt.Errorf("%s: schemaVersion %d, this p2c reads %d (%s): %w", name, v, SchemaVersion, hint, ErrSchemaVersion)
	}
	inv := &Inventory{}
	if err := json.Unmarshal(data, inv); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			return nil, fmt.Errorf("%s: field %q at byte %d: %w", name, te.Field, te.Offset, err)
		}
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return inv, nil
}

// checkSyntax names the byte offset of the first syntax error, and calls a
// file that ends early truncated (an interrupted copy, a full disk).
func checkSyntax(name string, data []byte) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	var v json.RawMessage
	err := dec.Decode(&v)
	if err == nil {
		// Anything but whitespace after the document is an error too.
		if off := dec.InputOffset(); len(bytes.TrimSpace(data[off:])) > 0 {
			return fmt.Errorf("%s: unexpected data after the JSON document at byte %d", name, off)
		}
		return nil
	}
	var se *json.SyntaxError
	switch {
	case len(bytes.TrimSpace(data)) == 0:
		return fmt.Errorf("%s: empty file (0 bytes of JSON)", name)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return fmt.Errorf("%s: truncated JSON: file ends at byte %d in the middle of a value", name, len(data))
	case errors.As(err, &se):
		return fmt.Errorf("%s: invalid JSON at byte %d: %v", name, se.Offset, se)
	default:
		return fmt.Errorf("%s: invalid JSON: %w", name, err)
	}
}

// Sort puts every list in a stable order (by id, name, version) so two
// scans of the same account differ only where the account changed, and in
// timestamps.
func (inv *Inventory) Sort() {
	sort.SliceStable(inv.Sources, func(i, j int) bool {
		a, b := inv.Sources[i], inv.Sources[j]
		if a.Kind != b.Kind {
			return a.Kind < b.Kind
		}
		return a.Detail < b.Detail
	})
	sort.Slice(inv.Regions, func(i, j int) bool { return inv.Regions[i].Name < inv.Regions[j].Name })
	for i := range inv.Regions {
		inv.Regions[i].sort()
	}
	sort.SliceStable(inv.Facts, func(i, j int) bool { return factKey(inv.Facts[i]) < factKey(inv.Facts[j]) })
	sortRefs(inv.References)
	sortRefs(inv.Dangling)
	sort.SliceStable(inv.Warnings, func(i, j int) bool {
		a, b := inv.Warnings[i], inv.Warnings[j]
		return a.Region+"\x00"+a.Operation+"\x00"+a.Resource+"\x00"+a.Message <
			b.Region+"\x00"+b.Operation+"\x00"+b.Resource+"\x00"+b.Message
	})
}

func factKey(f Fact) string {
	return f.Region + "\x00" + f.Service + "\x00" + f.Operation + "\x00" + f.Resource + "\x00" + f.Kind
}

func refKey(r Ref) string {
	return r.Kind + "\x00" + r.Region + "\x00" + r.App + "\x00" + r.ID + "\x00" + r.Type + "\x00" + r.Version
}

func sortRefs(rs []Reference) {
	sort.SliceStable(rs, func(i, j int) bool {
		a, b := rs[i], rs[j]
		if ka, kb := refKey(a.From), refKey(b.From); ka != kb {
			return ka < kb
		}
		if a.Field != b.Field {
			return a.Field < b.Field
		}
		return refKey(a.To) < refKey(b.To)
	})
}

func sortObjects(os []Object) {
	sort.SliceStable(os, func(i, j int) bool { return os[i].ID < os[j].ID })
}

// lessVersion orders version strings numerically when both are numbers.
func lessVersion(a, b string) bool {
	x, errA := strconv.Atoi(a)
	y, errB := strconv.Atoi(b)
	if errA == nil && errB == nil {
		return x < y
	}
	if len(a) != len(b) {
		return len(a) < len(b)
	}
	return a < b
}

func (r *Region) sort() {
	sort.Slice(r.Apps, func(i, j int) bool { return r.Apps[i].ID < r.Apps[j].ID })
	for i := range r.Apps {
		r.Apps[i].sort()
	}
	sort.Slice(r.Templates, func(i, j int) bool {
		a, b := r.Templates[i], r.Templates[j]
		if a.Name != b.Name {
			return a.Name < b.Name
		}
		return a.Type < b.Type
	})
	for i := range r.Templates {
		vs := r.Templates[i].Versions
		sort.SliceStable(vs, func(a, b int) bool { return lessVersion(vs[a].Version, vs[b].Version) })
	}
	sortObjects(r.Recommenders)
	e := &r.EUM
	sortObjects(e.PhoneNumbers)
	sortObjects(e.SenderIDs)
	sortObjects(e.ConfigurationSets)
	sortObjects(e.Registrations)
	sort.Slice(e.Pools, func(i, j int) bool { return e.Pools[i].ID < e.Pools[j].ID })
	sort.Slice(e.OptOutLists, func(i, j int) bool { return e.OptOutLists[i].Name < e.OptOutLists[j].Name })
	sort.Slice(e.Keywords, func(i, j int) bool {
		return e.Keywords[i].OriginationIdentity < e.Keywords[j].OriginationIdentity
	})
}

func (a *App) sort() {
	sort.Slice(a.Segments, func(i, j int) bool { return a.Segments[i].ID < a.Segments[j].ID })
	for i := range a.Segments {
		sortObjects(a.Segments[i].ExportJobs)
		sortObjects(a.Segments[i].ImportJobs)
	}
	sort.Slice(a.Campaigns, func(i, j int) bool { return a.Campaigns[i].ID < a.Campaigns[j].ID })
	for i := range a.Campaigns {
		sortObjects(a.Campaigns[i].Activities)
		sortKPIs(a.Campaigns[i].KPIs)
	}
	sort.Slice(a.Journeys, func(i, j int) bool { return a.Journeys[i].ID < a.Journeys[j].ID })
	for i := range a.Journeys {
		sortObjects(a.Journeys[i].Runs)
		sortKPIs(a.Journeys[i].KPIs)
	}
	sortObjects(a.ExportJobs)
	sortObjects(a.ImportJobs)
	sortKPIs(a.KPIs)
	if a.EndpointExport != nil {
		sort.Strings(a.EndpointExport.Objects)
	}
}

func sortKPIs(ks []KPI) {
	sort.SliceStable(ks, func(i, j int) bool {
		if ks[i].Name != ks[j].Name {
			return ks[i].Name < ks[j].Name
		}
		return ks[i].Start.Before(ks[j].Start)
	})
}
