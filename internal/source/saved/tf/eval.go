package tf

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/ext/tryfunc"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
	"github.com/zclconf/go-cty/cty/function"
	"github.com/zclconf/go-cty/cty/function/stdlib"

	"github.com/p2c/p2c/internal/inventory"
)

// maxFileRead bounds what file() reads from disk.
const maxFileRead = 4 << 20

// functions returns the functions Terraform offers that p2c evaluates.
// Functions whose result Terraform only knows at apply time return an
// unknown value, which leaves the argument unresolved.
func (m *module) functions() map[string]function.Function {
	unknown := func(name, why string, ret cty.Type) function.Function {
		return function.New(&function.Spec{
			VarParam: &function.Parameter{Name: "args", Type: cty.DynamicPseudoType, AllowNull: true, AllowUnknown: true, AllowDynamicType: true},
			Type:     function.StaticReturnType(ret),
			Impl: func(args []cty.Value, retType cty.Type) (cty.Value, error) {
				m.note(name + ": " + why)
				return cty.UnknownVal(retType), nil
			},
		})
	}
	fileFn := function.New(&function.Spec{
		Params: []function.Parameter{{Name: "path", Type: cty.String}},
		Type:   function.StaticReturnType(cty.String),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			b, ok := m.readFile(args[0].AsString())
			if !ok {
				m.note(fmt.Sprintf("file %q is not among the files given nor next to them", args[0].AsString()))
				return cty.UnknownVal(cty.String), nil
			}
			return cty.StringVal(string(b)), nil
		},
	})
	// Terraform's replace treats a /pattern/ as a regular expression.
	replaceFn := function.New(&function.Spec{
		Params: []function.Parameter{{Name: "str", Type: cty.String}, {Name: "substr", Type: cty.String}, {Name: "replace", Type: cty.String}},
		Type:   function.StaticReturnType(cty.String),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			sub := args[1].AsString()
			if len(sub) > 1 && strings.HasPrefix(sub, "/") && strings.HasSuffix(sub, "/") {
				return stdlib.RegexReplace(args[0], cty.StringVal(sub[1:len(sub)-1]), args[2])
			}
			return stdlib.Replace(args[0], args[1], args[2])
		},
	})
	fns := map[string]function.Function{
		"abs": stdlib.AbsoluteFunc, "ceil": stdlib.CeilFunc, "floor": stdlib.FloorFunc,
		"log": stdlib.LogFunc, "max": stdlib.MaxFunc, "min": stdlib.MinFunc,
		"parseint": stdlib.ParseIntFunc, "pow": stdlib.PowFunc, "signum": stdlib.SignumFunc,
		"chomp": stdlib.ChompFunc, "format": stdlib.FormatFunc, "formatlist": stdlib.FormatListFunc,
		"indent": stdlib.IndentFunc, "join": stdlib.JoinFunc, "lower": stdlib.LowerFunc,
		"upper": stdlib.UpperFunc, "regex": stdlib.RegexFunc, "regexall": stdlib.RegexAllFunc,
		"replace": replaceFn, "split": stdlib.SplitFunc, "strrev": stdlib.ReverseFunc,
		"substr": stdlib.SubstrFunc, "title": stdlib.TitleFunc, "trim": stdlib.TrimFunc,
		"trimprefix": stdlib.TrimPrefixFunc, "trimsuffix": stdlib.TrimSuffixFunc,
		"trimspace": stdlib.TrimSpaceFunc,
		"chunklist": stdlib.ChunklistFunc, "coalesce": stdlib.CoalesceFunc,
		"coalescelist": stdlib.CoalesceListFunc, "compact": stdlib.CompactFunc,
		"concat": stdlib.ConcatFunc, "contains": stdlib.ContainsFunc, "distinct": stdlib.DistinctFunc,
		"element": stdlib.ElementFunc, "flatten": stdlib.FlattenFunc, "keys": stdlib.KeysFunc,
		"length": stdlib.LengthFunc, "lookup": stdlib.LookupFunc, "merge": stdlib.MergeFunc,
		"range": stdlib.RangeFunc, "reverse": stdlib.ReverseListFunc,
		"setintersection": stdlib.SetIntersectionFunc, "setproduct": stdlib.SetProductFunc,
		"setsubtract": stdlib.SetSubtractFunc, "setunion": stdlib.SetUnionFunc,
		"slice": stdlib.SliceFunc, "sort": stdlib.SortFunc, "values": stdlib.ValuesFunc,
		"zipmap":     stdlib.ZipmapFunc,
		"jsonencode": stdlib.JSONEncodeFunc, "jsondecode": stdlib.JSONDecodeFunc,
		"csvdecode": stdlib.CSVDecodeFunc, "formatdate": stdlib.FormatDateFunc,
		"timeadd":  stdlib.TimeAddFunc,
		"tostring": stdlib.MakeToFunc(cty.String), "tonumber": stdlib.MakeToFunc(cty.Number),
		"tobool": stdlib.MakeToFunc(cty.Bool),
		"tolist": stdlib.MakeToFunc(cty.List(cty.DynamicPseudoType)),
		"toset":  stdlib.MakeToFunc(cty.Set(cty.DynamicPseudoType)),
		"tomap":  stdlib.MakeToFunc(cty.Map(cty.DynamicPseudoType)),
		"try":    tryfunc.TryFunc, "can": tryfunc.CanFunc,
		"file":         fileFn,
		"templatefile": unknown("templatefile", "template files are not rendered", cty.String),
		"timestamp":    unknown("timestamp", "known only when Terraform runs", cty.String),
		"uuid":         unknown("uuid", "a new value on every run", cty.String),
		"bcrypt":       unknown("bcrypt", "a new value on every run", cty.String),
	}
	return fns
}

func (m *module) note(s string) { m.notes = append(m.notes, s) }

// readFile reads a path as file() would, relative to the module folder:
// from the files given first, then from disk next to them.
func (m *module) readFile(p string) ([]byte, bool) {
	if !filepath.IsAbs(p) {
		p = filepath.Join(m.dir, p)
	}
	p = filepath.Clean(p)
	if b, ok := m.given[p]; ok {
		return b, true
	}
	if m.dir == "" || strings.Contains(m.dir, "://") {
		return nil, false
	}
	st, err := os.Stat(p)
	if err != nil || !st.Mode().IsRegular() || st.Size() > maxFileRead {
		return nil, false
	}
	b, err := os.ReadFile(p)
	if err != nil {
		return nil, false
	}
	return b, true
}

// scope is what count.index and each.* mean for one resource instance.
type scope struct {
	count cty.Value // count object {index}, or cty.NilVal
	each  cty.Value // each object {key, value}, or cty.NilVal
	// unexpanded names the resource whose count/for_each was not expanded.
	unexpanded string
}

// evalContext builds the variables an expression refers to.
func (m *module) evalContext(expr hcl.Expression, sc *scope) *hcl.EvalContext {
	vars := map[string]cty.Value{}
	named := map[string]map[string]bool{}
	for _, t := range expr.Variables() {
		root := t.RootName()
		if named[root] == nil {
			named[root] = map[string]bool{}
		}
		if len(t) > 1 {
			if a, ok := t[1].(hcl.TraverseAttr); ok {
				named[root][a.Name] = true
			}
		}
	}
	for root, names := range named {
		switch root {
		case "var":
			vars[root] = objectOf(names, func(n string) cty.Value {
				if v, ok := m.vars[n]; ok && v.known {
					return v.val
				}
				return cty.DynamicVal
			})
		case "local":
			vars[root] = objectOf(names, func(n string) cty.Value {
				if l, ok := m.locals[n]; ok && l.state == localKnown {
					return l.val
				}
				return cty.DynamicVal
			})
		case "path":
			vars[root] = cty.ObjectVal(map[string]cty.Value{
				"module": cty.StringVal("."), "root": cty.StringVal("."), "cwd": cty.UnknownVal(cty.String),
			})
		case "terraform":
			vars[root] = cty.ObjectVal(map[string]cty.Value{"workspace": cty.UnknownVal(cty.String)})
		case "count":
			if sc != nil && sc.count != cty.NilVal {
				vars[root] = sc.count
			} else {
				vars[root] = cty.DynamicVal
			}
		case "each":
			if sc != nil && sc.each != cty.NilVal {
				vars[root] = sc.each
			} else {
				vars[root] = cty.DynamicVal
			}
		case "data", "module", "self", "ephemeral":
			vars[root] = cty.DynamicVal
		default:
			refs := m.refs[root]
			vars[root] = objectOf(names, func(n string) cty.Value {
				if v, ok := refs[n]; ok {
					return v
				}
				return cty.DynamicVal
			})
		}
	}
	return &hcl.EvalContext{Variables: vars, Functions: m.funcs}
}

func objectOf(names map[string]bool, val func(string) cty.Value) cty.Value {
	if len(names) == 0 {
		return cty.DynamicVal
	}
	attrs := make(map[string]cty.Value, len(names))
	for n := range names {
		attrs[n] = val(n)
	}
	return cty.ObjectVal(attrs)
}

// value evaluates expr. known is false when the value cannot be known;
// why then says what is missing.
func (m *module) value(expr hcl.Expression, sc *scope) (v cty.Value, known bool, why string) {
	m.notes = m.notes[:0]
	v, diags := m.safeValue(expr, m.evalContext(expr, sc))
	if diags.HasErrors() || !v.IsWhollyKnown() {
		return cty.DynamicVal, false, m.reasons(expr, sc, diags)
	}
	return v, true, ""
}

// safeValue evaluates, turning a panic inside a function into an error:
// saved files are untrusted input.
func (m *module) safeValue(expr hcl.Expression, ctx *hcl.EvalContext) (v cty.Value, diags hcl.Diagnostics) {
	defer func() {
		if r := recover(); r != nil {
			v = cty.DynamicVal
			diags = hcl.Diagnostics{{Severity: hcl.DiagError, Summary: fmt.Sprintf("evaluation failed: %v", r)}}
		}
	}()
	return expr.Value(ctx)
}

// reasons says why expr has no known value.
func (m *module) reasons(expr hcl.Expression, sc *scope, diags hcl.Diagnostics) string {
	var out []string
	add := func(s string) {
		for _, o := range out {
			if o == s {
				return
			}
		}
		out = append(out, s)
	}
	for _, t := range expr.Variables() {
		root := t.RootName()
		name := ""
		if len(t) > 1 {
			if a, ok := t[1].(hcl.TraverseAttr); ok {
				name = a.Name
			}
		}
		switch root {
		case "var":
			v, ok := m.vars[name]
			switch {
			case !ok:
				add(fmt.Sprintf("variable %q is not declared in the files given", name))
			case !v.known:
				add(v.reason)
			case v.val.IsNull() && len(t) > 2:
				add(fmt.Sprintf("variable %q is null, so %s has no value", name, traversalText(t, len(t))))
			}
		case "local":
			l, ok := m.locals[name]
			switch {
			case !ok:
				add(fmt.Sprintf("local %q is not declared in the files given", name))
			case l.state != localKnown:
				add(fmt.Sprintf("local %q is not known: %s", name, l.reason))
			}
		case "data":
			add("data source " + traversalText(t, 3) + " is read when Terraform runs")
		case "module":
			add("output of module " + name)
		case "ephemeral":
			add("ephemeral resource " + traversalText(t, 3))
		case "path":
			if name == "cwd" {
				add("path.cwd is known only when Terraform runs")
			}
		case "terraform":
			add("terraform." + name + " is known only when Terraform runs")
		case "count", "each":
			if sc == nil || sc.unexpanded != "" {
				r := ""
				if sc != nil {
					r = " of " + sc.unexpanded
				}
				add(root + "." + name + ": the count/for_each" + r + " is not expanded")
			}
		case "self":
			add("self is known only when Terraform runs")
		default:
			addr := root + "." + name
			if name == "" {
				add("unknown reference " + root)
			} else if !m.declared[addr] {
				add("resource " + addr + " is not declared in the files given")
			} else if _, ok := specs[root]; !ok {
				add("attribute of " + addr + ", which is not a Pinpoint resource")
			} else if v, ok := m.refs[root][name]; !ok || !v.IsKnown() {
				add(addr + " has count or for_each that is not expanded")
			} else if len(t) > 2 {
				if a, ok := t[2].(hcl.TraverseAttr); ok && v.Type().IsObjectType() && !v.Type().HasAttribute(a.Name) {
					add(addr + "." + a.Name + " is computed by AWS")
				} else if ok && !v.Type().IsObjectType() {
					add(addr + "." + a.Name + " is not known")
				}
			}
		}
	}
	for _, n := range m.notes {
		add(n)
	}
	if len(out) == 0 {
		for _, d := range diags {
			if d.Severity == hcl.DiagError {
				msg := d.Summary
				if d.Detail != "" {
					msg += ": " + d.Detail
				}
				add(strings.TrimSuffix(msg, "."))
			}
		}
	}
	if len(out) == 0 {
		add("not known before Terraform runs")
	}
	return strings.Join(out, "; ")
}

func traversalText(t hcl.Traversal, n int) string {
	var parts []string
	for i, s := range t {
		if i >= n {
			break
		}
		switch s := s.(type) {
		case hcl.TraverseRoot:
			parts = append(parts, s.Name)
		case hcl.TraverseAttr:
			parts = append(parts, s.Name)
		}
	}
	return strings.Join(parts, ".")
}

// source returns an expression as written.
func (p *parsed) source(r hcl.Range) string {
	if r.Start.Byte < 0 || r.End.Byte > len(p.data) || r.Start.Byte > r.End.Byte {
		return ""
	}
	return string(p.data[r.Start.Byte:r.End.Byte])
}

// toJSON turns a wholly known value into what encoding/json writes; null
// object attributes are left out, as Terraform leaves out null arguments.
func toJSON(v cty.Value) any {
	if v.IsNull() {
		return nil
	}
	t := v.Type()
	switch {
	case t == cty.String:
		return v.AsString()
	case t == cty.Number:
		bf := v.AsBigFloat()
		if bf.IsInt() {
			i, _ := bf.Int(nil)
			return json.Number(i.String())
		}
		return json.Number(bf.Text('g', -1))
	case t == cty.Bool:
		return v.True()
	case t.IsListType() || t.IsSetType() || t.IsTupleType():
		out := []any{}
		for it := v.ElementIterator(); it.Next(); {
			_, e := it.Element()
			out = append(out, toJSON(e))
		}
		return out
	case t.IsMapType() || t.IsObjectType():
		out := map[string]any{}
		for it := v.ElementIterator(); it.Next(); {
			k, e := it.Element()
			if e.IsNull() {
				continue
			}
			out[k.AsString()] = toJSON(e)
		}
		return out
	}
	return nil
}

// stringMap returns a known map or object of strings as a Go map.
func stringMap(v cty.Value) (map[string]string, bool) {
	if v.IsNull() || !v.IsWhollyKnown() || !(v.Type().IsMapType() || v.Type().IsObjectType()) {
		return nil, false
	}
	out := map[string]string{}
	for it := v.ElementIterator(); it.Next(); {
		k, e := it.Element()
		s, err := convert.Convert(e, cty.String)
		if err != nil || s.IsNull() {
			return nil, false
		}
		out[k.AsString()] = s.AsString()
	}
	return out, true
}

func unresolvedMarker(expr string) map[string]any {
	return map[string]any{inventory.UnresolvedKey: expr}
}

func sortedKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}
