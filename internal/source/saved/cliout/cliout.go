// Package cliout reads saved outputs of the AWS CLI's Pinpoint and End
// User Messaging SMS and voice v2 read operations (`aws pinpoint get-*`,
// `list-*`; `aws pinpoint-sms-voice-v2 describe-*`, `list-*`) into an
// inventory fragment.
//
// A file may hold one output or several concatenated (`aws ... >> file`),
// each with the CLI's wrapper object ({"SegmentsResponse": {"Item": ...}})
// or without it (a bare body, a single item, or a JSON array of items as
// `--query` prints them). What each output is comes from the botocore
// models: the wrapper is the REST output's payload member name; bare
// bodies are told apart by the members the service assigns (see
// classify.go); EUM outputs by their output shape's members.
//
// Rules worth knowing when merging fragments:
//
//   - Objects are stored in wire form: the CLI prints botocore member names
//     (SegmentDimensions) and, in CLI v2, its own timestamp rendering; both
//     are turned back into what the service sent (segmentDimensions, epoch
//     seconds for EUM timestamps).
//   - A resource that only holds children read from the file (the app of a
//     get-segments output, the campaign of a KPI output) is an entry with a
//     null Object: the merge fills it from another source.
//   - Versions: every version of a segment or campaign seen in the file,
//     oldest first, the newest as Object. A later output wins over an
//     earlier one for the same object version.
//   - Endpoints (get-endpoint, get-user-endpoints) are customer data and
//     never stored: they are summarised into App.EndpointStats, and handed
//     to Options.Endpoints so that the caller can count them together with
//     endpoint export files in one inventory.StatsBuilder per app.
//   - A value that cannot be placed is a Warning naming the file and line.
//     A value that does not parse (a truncated or interrupted output) is a
//     Warning too, as long as something else in the file parsed: the scan
//     resumes at the next output and nothing already read is lost. Load
//     fails only for a file where no JSON value parses at all.
package cliout

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/p2c/p2c/internal/inventory"
)

// Kind is the source kind of CLI output files.
const Kind = "cli-output"

// Options control Load.
type Options struct {
	// DefaultRegion is used for resources whose content names no region
	// (an ARN). Empty leaves them in a region named "" with a warning.
	DefaultRegion string
	// Endpoints, when set, receives every endpoint object of the file in
	// wire form, once per app and endpoint id, with the region and app it
	// belongs to. The fragment still carries EndpointStats computed from
	// the same objects; a caller that also reads endpoint export files
	// feeds both into one inventory.StatsBuilder per app and replaces them.
	Endpoints func(region, appID string, endpoint json.RawMessage)
}

// Load turns one file of CLI outputs into an inventory fragment.
func Load(name string, data []byte, readAt time.Time, opts Options) (*inventory.Inventory, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, fmt.Errorf("%s: empty file", name)
	}
	l := newLoader(name, readAt, opts, data)
	parsed := 0
	breaks := stream(data, func(v value) {
		parsed++
		l.top(v)
	})
	if parsed == 0 && len(breaks) > 0 {
		return nil, fmt.Errorf("%s: %s", name, describeBreak(breaks[0], l.li, len(data)))
	}
	for _, b := range breaks {
		l.warnAt(b.at, "", describeBreak(b, l.li, len(data))+"; the outputs before and after it were read")
	}
	return l.finish()
}

// Detect reports whether data looks like the output of a Pinpoint or EUM
// read operation: a known wrapper member, an EUM output's members, or a
// bare body or item with the members the service assigns. It looks at
// the first JSON value only, and tolerates a file cut short.
func Detect(data []byte) bool {
	pos := skipSpace(data, 0)
	if pos >= len(data) {
		return false
	}
	data = data[pos:]
	switch data[0] {
	case '[':
		first := firstElement(data)
		if first == nil {
			return false
		}
		o, ok := asObj(first)
		return ok && known(o)
	case '{':
	default:
		return false
	}
	keys, vals := partialMembers(data)
	if len(keys) == 0 {
		return false
	}
	t := model()
	if t.payload[keys[0]] != "" && len(keys) == 1 {
		return true
	}
	if t.eumOutput(keys) != nil {
		return true
	}
	o := obj(vals)
	if len(vals) < len(keys) {
		// Cut short: only a truncated list can still be told.
		if raw, ok := vals["Item"]; ok {
			o = obj{"Item": raw}
		} else {
			return false
		}
	}
	return known(o)
}

// known reports whether a bare object is one classifyBare recognises; a
// bare list must hold a recognisable first item.
func known(o obj) bool {
	switch c := classifyBare(o); c {
	case "":
		return false
	case bareList:
		first := firstElement(o["Item"])
		if first == nil {
			return false
		}
		item, ok := asObj(first)
		return ok && classifyBare(item) != "" && classifyBare(item) != bareList
	}
	return true
}

// top places one top-level value of the stream.
func (l *loader) top(v value) {
	t := model()
	switch v.raw[0] {
	case '[':
		elems, _ := elements(v.raw, v.off)
		for _, e := range elems {
			l.bare(e)
		}
		return
	case '{':
	default:
		l.warnAt(v.off, "", "unknown CLI output shape: a JSON "+jsonKind(v.raw)+", not an object")
		return
	}
	ms, _ := members(v.raw, v.off)
	if len(ms) == 1 && t.payload[ms[0].name] != "" {
		l.wrapped(ms[0].name, ms[0].value)
		return
	}
	keys := make([]string, len(ms))
	for i, m := range ms {
		keys[i] = m.name
	}
	if e := t.eumOutput(keys); e != nil {
		l.eumOutput(e, ms, v)
		return
	}
	l.bare(v)
}

func jsonKind(raw []byte) string {
	switch raw[0] {
	case '"':
		return "string"
	case 't', 'f':
		return "boolean"
	case 'n':
		return "null"
	case '[':
		return "array"
	case '{':
		return "object"
	}
	return "number"
}

// wrapped places a Pinpoint output printed with the CLI's wrapper object.
func (l *loader) wrapped(wrapper string, v value) {
	t := model()
	shape := t.payload[wrapper]
	op := t.pinpointOp(wrapper)
	item := t.listItem[shape]
	if item == "" {
		l.place(shape, op, v)
		return
	}
	items, ok := l.items(v)
	if !ok {
		l.warnAt(v.off, "", fmt.Sprintf("%s: no Item list", wrapper))
		return
	}
	op = l.listOp(wrapper, op, items)
	for _, it := range items {
		l.place(item, op, it)
	}
}

// items returns the located elements of a list body's Item member.
func (l *loader) items(v value) ([]value, bool) {
	ms, ok := members(v.raw, v.off)
	if !ok {
		return nil, false
	}
	for _, m := range ms {
		if m.name == "Item" {
			return elements(m.raw, m.off)
		}
	}
	return nil, false
}

// listOp tells GetSegments from GetSegmentVersions (and campaigns): one
// output of several items sharing one Id is a version list.
func (l *loader) listOp(wrapper, op string, items []value) string {
	switch wrapper {
	case "SegmentsResponse", "CampaignsResponse":
	default:
		return op
	}
	if len(items) < 2 {
		return op
	}
	id := ""
	for _, it := range items {
		o, _ := asObj(it.raw)
		if id == "" {
			id = o.str("Id")
		}
		if o.str("Id") != id {
			return op
		}
	}
	if wrapper == "SegmentsResponse" {
		return "GetSegmentVersions"
	}
	return "GetCampaignVersions"
}

// bare places a body printed without wrapper, or one item of a --query.
func (l *loader) bare(v value) {
	o, ok := asObj(v.raw)
	if !ok {
		l.warnAt(v.off, "", "unknown CLI output shape: a JSON "+jsonKind(v.raw)+", not an object")
		return
	}
	shape := classifyBare(o)
	switch shape {
	case "":
		l.unknown(v.off, o)
		return
	case bareList:
		items, _ := l.items(v)
		var shapes []string
		for _, it := range items {
			io, ok := asObj(it.raw)
			s := ""
			if ok {
				s = classifyBare(io)
			}
			if s == "" || s == bareList {
				l.unknown(it.off, io)
				shapes = append(shapes, "")
				continue
			}
			shapes = append(shapes, s)
		}
		for i, it := range items {
			if shapes[i] == "" {
				continue
			}
			op := model().pinpointOp(model().itemList[shapes[i]])
			op = l.listOp(model().itemList[shapes[i]], op, items)
			l.place(shapes[i], op, it)
		}
		return
	}
	l.place(shape, l.opOf(shape), v)
}

// opOf names the read operation that returns a shape on its own.
func (l *loader) opOf(shape string) string {
	t := model()
	if op := t.pinpointOp(shape); op != "" {
		return op
	}
	if list := t.itemList[shape]; list != "" {
		return t.pinpointOp(list)
	}
	for _, e := range t.eumOps {
		if e.itemType == shape {
			return e.op
		}
	}
	return ""
}

func (l *loader) unknown(off int, o obj) {
	keys := make([]string, 0, len(o))
	for k := range o {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	if len(keys) > 12 {
		keys = append(keys[:12], "...")
	}
	l.warnAt(off, "", "unknown CLI output shape: top-level members "+strings.Join(keys, ", "))
}
