package awsmodel

import (
	"fmt"
	"sort"
	"strings"
)

// CheckUnions reports the first union structure in v (decoded wire JSON of
// shape) that sets no member or more than one, and the first map key its
// key shape refuses: what Validate leaves out, since it checks members and
// map values one at a time. nil when there is none. Members bound to the
// URI, headers or query string are not walked.
func (m *Model) CheckUnions(shape string, v any) *Problem {
	return m.checkUnions(shape, v, "")
}

func (m *Model) checkUnions(shape string, v any, path string) *Problem {
	sh := m.Shapes[shape]
	if sh == nil || v == nil {
		return nil
	}
	switch sh.Type {
	case "structure":
		obj, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		if sh.Union {
			var set []string
			for k, x := range obj {
				if _, ref := m.MemberByWire(sh, k); ref != nil && x != nil {
					set = append(set, k)
				}
			}
			if len(set) != 1 {
				sort.Strings(set)
				names := make([]string, 0, len(sh.Members))
				for n := range sh.Members {
					names = append(names, n)
				}
				sort.Strings(names)
				return &Problem{Path: path, Message: fmt.Sprintf("must set exactly one of %s (got %d: %s)",
					strings.Join(names, ", "), len(set), strings.Join(set, ", "))}
			}
		}
		for k, x := range obj {
			name, ref := m.MemberByWire(sh, k)
			if ref == nil || ref.Location != "" {
				continue
			}
			if p := m.checkUnions(ref.Shape, x, joinPath(path, name)); p != nil {
				return p
			}
		}
	case "list":
		arr, _ := v.([]any)
		for i, x := range arr {
			if p := m.checkUnions(sh.Member.Shape, x, fmt.Sprintf("%s[%d]", path, i)); p != nil {
				return p
			}
		}
	case "map":
		obj, _ := v.(map[string]any)
		for k, x := range obj {
			// Keys have shapes too (days of the week, event types).
			if probs := m.Validate(sh.Key.Shape, k, false); len(probs) > 0 {
				return &Problem{Path: path, Message: "key " + probs[0].Message}
			}
			if p := m.checkUnions(sh.Value.Shape, x, joinPath(path, k)); p != nil {
				return p
			}
		}
	}
	return nil
}

func joinPath(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}
