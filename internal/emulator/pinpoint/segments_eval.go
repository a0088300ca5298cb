package pinpoint

import (
	"strconv"
	"strings"

	"github.com/p2c/p2c/internal/emulator/core"
)

// matchSegment evaluates a dimensional segment for one endpoint, so that a
// segment export holds the endpoints the segment selects. Dimensions that
// need data the emulator does not keep (behaviour recency, GPS distance)
// are treated as matching: they never shrink an export.
func matchSegment(a *app, seg, ep map[string]any, depth int) bool {
	if depth > 8 {
		return false
	}
	if dims := core.Obj(seg, "Dimensions"); dims != nil && !matchDims(dims, ep) {
		return false
	}
	groups := core.Obj(seg, "SegmentGroups")
	list, _ := groups["Groups"].([]any)
	if len(list) == 0 {
		return true
	}
	results := make([]bool, 0, len(list))
	for _, g := range list {
		gm, _ := g.(map[string]any)
		results = append(results, matchGroup(a, gm, ep, depth))
	}
	return combine(core.Str(groups, "Include"), results)
}

func combine(mode string, results []bool) bool {
	any, all := false, true
	for _, r := range results {
		any = any || r
		all = all && r
	}
	switch mode {
	case "ANY":
		return any
	case "NONE":
		return !any
	}
	return all
}

func matchGroup(a *app, g, ep map[string]any, depth int) bool {
	var srcOK = true
	if srcs, _ := g["SourceSegments"].([]any); len(srcs) > 0 {
		var rs []bool
		for _, src := range srcs {
			id := core.Str(src.(map[string]any), "Id")
			if m, ok := a.segMembers[id]; ok {
				found := false
				key := strings.ToLower(core.Str(ep, "Id"))
				for _, x := range m {
					found = found || x == key
				}
				rs = append(rs, found)
				continue
			}
			if v := a.segments[id]; v != nil {
				rs = append(rs, matchSegment(a, v.latest(), ep, depth+1))
			} else {
				rs = append(rs, false)
			}
		}
		mode := core.Str(g, "SourceType")
		if mode == "" {
			mode = "ANY"
		}
		srcOK = combine(mode, rs)
	}
	if !srcOK {
		return false
	}
	dims, _ := g["Dimensions"].([]any)
	if len(dims) == 0 {
		return true
	}
	var rs []bool
	for _, d := range dims {
		dm, _ := d.(map[string]any)
		rs = append(rs, matchDims(dm, ep))
	}
	return combine(core.Str(g, "Type"), rs)
}

func matchDims(dims, ep map[string]any) bool {
	demo := core.Obj(ep, "Demographic")
	for field, dim := range core.Obj(dims, "Demographic") {
		var have string
		switch field {
		case "Channel":
			have = core.Str(ep, "ChannelType")
		case "DeviceType":
			have = core.Str(demo, "Platform")
		default:
			have = core.Str(demo, field)
		}
		if !matchSet(dim, have) {
			return false
		}
	}
	if c := core.Obj(core.Obj(dims, "Location"), "Country"); c != nil && !matchSet(c, core.Str(core.Obj(ep, "Location"), "Country")) {
		return false
	}
	for name, dim := range core.Obj(dims, "Attributes") {
		if !matchAttr(dim, core.Obj(ep, "Attributes")[name]) {
			return false
		}
	}
	for name, dim := range core.Obj(dims, "UserAttributes") {
		if !matchAttr(dim, core.Obj(core.Obj(ep, "User"), "UserAttributes")[name]) {
			return false
		}
	}
	for name, dim := range core.Obj(dims, "Metrics") {
		dm, _ := dim.(map[string]any)
		have, ok := core.Obj(ep, "Metrics")[name].(float64)
		want, _ := dm["Value"].(float64)
		if !ok {
			return false
		}
		switch core.Str(dm, "ComparisonOperator") {
		case "GREATER_THAN":
			ok = have > want
		case "GREATER_THAN_OR_EQUAL":
			ok = have >= want
		case "LESS_THAN":
			ok = have < want
		case "LESS_THAN_OR_EQUAL":
			ok = have <= want
		default:
			ok = have == want
		}
		if !ok {
			return false
		}
	}
	return true
}

func matchSet(dim any, have string) bool {
	dm, _ := dim.(map[string]any)
	vals, _ := dm["Values"].([]any)
	in := false
	for _, v := range vals {
		if sv, _ := v.(string); strings.EqualFold(sv, have) {
			in = true
		}
	}
	if core.Str(dm, "DimensionType") == "EXCLUSIVE" {
		return !in
	}
	return in
}

func matchAttr(dim any, have any) bool {
	dm, _ := dim.(map[string]any)
	want, _ := dm["Values"].([]any)
	got, _ := have.([]any)
	typ := core.Str(dm, "AttributeType")
	hit := false
	for _, g := range got {
		gs, _ := g.(string)
		for _, w := range want {
			ws, _ := w.(string)
			switch typ {
			case "CONTAINS":
				hit = hit || strings.Contains(gs, ws)
			case "BEFORE", "AFTER", "ON", "BETWEEN":
				hit = hit || compareDates(typ, gs, want)
			default:
				hit = hit || gs == ws
			}
		}
	}
	if typ == "EXCLUSIVE" {
		return !hit
	}
	return hit
}

func compareDates(typ, have string, want []any) bool {
	if len(want) == 0 {
		return false
	}
	w0, _ := want[0].(string)
	switch typ {
	case "BEFORE":
		return have < w0
	case "AFTER":
		return have > w0
	case "ON":
		return strings.HasPrefix(have, w0[:min(10, len(w0))])
	case "BETWEEN":
		if len(want) < 2 {
			return false
		}
		w1, _ := want[1].(string)
		return have >= w0 && have <= w1
	}
	_ = strconv.Itoa
	return false
}
