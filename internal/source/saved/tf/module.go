package tf

import (
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/ext/typeexpr"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
	"github.com/zclconf/go-cty/cty/function"

	"github.com/p2c/p2c/internal/inventory"
)

// maxInstances bounds count/for_each expansion.
const maxInstances = 32

type variable struct {
	val    cty.Value
	known  bool
	reason string
}

const (
	localPending = iota
	localKnown
	localUnknown
)

type local struct {
	p      *parsed
	attr   *hcl.Attribute
	val    cty.Value
	state  int
	reason string
}

type provider struct {
	region string
	// regionWhy is set when the provider names a region p2c cannot know.
	regionWhy string
	tags      map[string]string
}

type resource struct {
	p       *parsed
	typ     string
	name    string
	spec    *spec
	block   *hcl.Block
	content *hcl.BodyContent
	insts   []*instance
}

type instance struct {
	addr string
	sc   *scope
}

func (r *resource) addr() string { return r.typ + "." + r.name }

type module struct {
	opts   Options
	files  []*parsed
	dir    string
	given  map[string][]byte
	readAt time.Time
	inv    *inventory.Inventory

	vars      map[string]*variable
	locals    map[string]*local
	providers map[string]*provider
	declared  map[string]bool
	resources []*resource
	// refs holds what a reference to a Pinpoint resource evaluates to:
	// type -> name -> object (or tuple/map of instances).
	refs map[string]map[string]cty.Value

	funcs   map[string]function.Function
	notes   []string
	regions map[string]*inventory.Region
	// apps indexes the apps of the fragment by region and id.
	apps map[string]map[string]int
}

func newModule(files []*parsed, all []*File, opts Options, readAt time.Time) *module {
	m := &module{
		opts: opts, files: files, readAt: readAt,
		given:     map[string][]byte{},
		vars:      map[string]*variable{},
		locals:    map[string]*local{},
		providers: map[string]*provider{},
		declared:  map[string]bool{},
		refs:      map[string]map[string]cty.Value{},
		regions:   map[string]*inventory.Region{},
		apps:      map[string]map[string]int{},
	}
	m.dir = filepath.Dir(files[0].f.Name)
	for _, f := range all {
		m.given[filepath.Clean(f.Name)] = f.Data
	}
	m.funcs = m.functions()
	m.inv = &inventory.Inventory{SchemaVersion: inventory.SchemaVersion, ScannedAt: readAt}
	for _, f := range all {
		m.inv.Sources = append(m.inv.Sources, inventory.Source{Kind: Kind, ID: f.Name, Detail: f.Name, ReadAt: f.ModTime.UTC()})
	}
	return m
}

func (m *module) warn(p *parsed, line int, resource, format string, args ...any) {
	m.inv.Warnings = append(m.inv.Warnings, inventory.Warning{
		File: p.f.Name, Line: line, Resource: resource, Message: fmt.Sprintf(format, args...),
	})
}

func (m *module) warnDiags(p *parsed, resource string, diags hcl.Diagnostics) {
	for _, d := range diags {
		if d.Severity != hcl.DiagError {
			continue
		}
		line := 0
		if d.Subject != nil {
			line = d.Subject.Start.Line
		}
		msg := d.Summary
		if d.Detail != "" {
			msg += ": " + d.Detail
		}
		m.warn(p, line, resource, "%s", strings.TrimSuffix(msg, "."))
	}
}

func (m *module) load() {
	type blk struct {
		p *parsed
		b *hcl.Block
	}
	var vars, locals, providers, resources []blk
	for _, p := range m.files {
		c, _, diags := p.body.PartialContent(topSchema)
		m.warnDiags(p, "", diags)
		if c == nil {
			continue
		}
		for _, b := range c.Blocks {
			switch b.Type {
			case "variable":
				vars = append(vars, blk{p, b})
			case "locals":
				locals = append(locals, blk{p, b})
			case "provider":
				providers = append(providers, blk{p, b})
			case "resource":
				resources = append(resources, blk{p, b})
				m.declared[b.Labels[0]+"."+b.Labels[1]] = true
			}
		}
	}
	for _, v := range vars {
		m.variable(v.p, v.b)
	}
	for _, l := range locals {
		attrs, diags := l.b.Body.JustAttributes()
		m.warnDiags(l.p, "locals", diags)
		for _, name := range sortedKeys(attrs) {
			if _, dup := m.locals[name]; dup {
				m.warn(l.p, attrs[name].Range.Start.Line, "local."+name, "local %q is declared twice; the first one is used", name)
				continue
			}
			m.locals[name] = &local{p: l.p, attr: attrs[name]}
		}
	}
	m.evalLocals()
	for _, pb := range providers {
		m.provider(pb.p, pb.b)
	}
	seen := map[string]bool{}
	for _, rb := range resources {
		typ, name := rb.b.Labels[0], rb.b.Labels[1]
		sp, ok := specs[typ]
		if !ok {
			if strings.HasPrefix(typ, "aws_pinpoint") {
				m.warn(rb.p, rb.b.DefRange.Start.Line, typ+"."+name, "resource type %s is not read by p2c; ignored", typ)
			}
			continue
		}
		if seen[typ+"."+name] {
			m.warn(rb.p, rb.b.DefRange.Start.Line, typ+"."+name, "%s.%s is declared twice; the first one is used", typ, name)
			continue
		}
		seen[typ+"."+name] = true
		c, _, diags := rb.b.Body.PartialContent(schemaOf(sp.args, sp.blocks, true))
		m.warnDiags(rb.p, typ+"."+name, diags)
		if c == nil {
			continue
		}
		r := &resource{p: rb.p, typ: typ, name: name, spec: sp, block: rb.b, content: c}
		m.expand(r)
		m.resources = append(m.resources, r)
	}
	// Apps first: the other resources refer to them. Locals that name
	// Pinpoint resources are settled again once those are known.
	for _, apps := range []bool{true, false} {
		for _, r := range m.resources {
			if (r.spec.kind == kindApp) == apps {
				m.setRef(r)
			}
		}
		m.retryLocals()
	}
	for _, apps := range []bool{true, false} {
		for _, r := range m.resources {
			if (r.spec.kind == kindApp) != apps {
				continue
			}
			for _, in := range r.insts {
				m.build(r, in)
			}
		}
	}
	for _, name := range sortedKeys(m.regions) {
		m.inv.Regions = append(m.inv.Regions, *m.regions[name])
	}
}

var variableSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{{Name: "type"}, {Name: "default"}, {Name: "description"}, {Name: "sensitive"}, {Name: "nullable"}, {Name: "ephemeral"}},
	Blocks:     []hcl.BlockHeaderSchema{{Type: "validation"}},
}

func (m *module) variable(p *parsed, b *hcl.Block) {
	name := b.Labels[0]
	if _, dup := m.vars[name]; dup {
		m.warn(p, b.DefRange.Start.Line, "var."+name, "variable %q is declared twice; the first one is used", name)
		return
	}
	v := &variable{val: cty.DynamicVal}
	m.vars[name] = v
	c, _, diags := b.Body.PartialContent(variableSchema)
	m.warnDiags(p, "var."+name, diags)
	ty := cty.DynamicPseudoType
	var defaults *typeexpr.Defaults
	if c != nil && c.Attributes["type"] != nil {
		t, d, diags := typeexpr.TypeConstraintWithDefaults(c.Attributes["type"].Expr)
		if diags.HasErrors() {
			m.warnDiags(p, "var."+name, diags)
		} else {
			ty, defaults = t, d
		}
	}
	var raw cty.Value
	switch given, ok := m.opts.Vars[name]; {
	case ok:
		raw = cty.StringVal(given)
		if ty != cty.String {
			// -var values of other types are HCL expressions.
			expr, diags := hclsyntax.ParseExpression([]byte(given), "-var "+name, hcl.InitialPos)
			if !diags.HasErrors() {
				if val, diags := expr.Value(nil); !diags.HasErrors() {
					raw = val
				}
			}
		}
	case c != nil && c.Attributes["default"] != nil:
		val, diags := c.Attributes["default"].Expr.Value(nil)
		if diags.HasErrors() {
			m.warnDiags(p, "var."+name, diags)
			v.reason = fmt.Sprintf("variable %q has a default p2c cannot read", name)
			return
		}
		raw = val
	default:
		v.reason = fmt.Sprintf("variable %q has no default and no value was given", name)
		return
	}
	if defaults != nil && !raw.IsNull() {
		raw = defaults.Apply(raw)
	}
	val, err := convert.Convert(raw, ty)
	if err != nil {
		m.warn(p, b.DefRange.Start.Line, "var."+name, "variable %q: value does not match its type: %v", name, err)
		v.reason = fmt.Sprintf("variable %q: value does not match its type", name)
		return
	}
	if !val.IsWhollyKnown() {
		v.reason = fmt.Sprintf("variable %q is not known", name)
		return
	}
	v.val, v.known = val, true
}

// evalLocals evaluates locals in dependency order: each round settles the
// locals whose own local references are settled.
func (m *module) evalLocals() {
	for progress := true; progress; {
		progress = false
		for _, name := range sortedKeys(m.locals) {
			l := m.locals[name]
			if l.state != localPending {
				continue
			}
			ready := true
			for _, t := range l.attr.Expr.Variables() {
				if t.RootName() != "local" || len(t) < 2 {
					continue
				}
				if a, ok := t[1].(hcl.TraverseAttr); ok {
					if dep, ok := m.locals[a.Name]; ok && dep.state == localPending {
						ready = false
					}
				}
			}
			if !ready {
				continue
			}
			v, known, why := m.value(l.attr.Expr, nil)
			if known {
				l.val, l.state = v, localKnown
			} else {
				l.state, l.reason = localUnknown, why
			}
			progress = true
		}
	}
	for _, name := range sortedKeys(m.locals) {
		if l := m.locals[name]; l.state == localPending {
			l.state, l.reason = localUnknown, "locals refer to each other in a cycle"
		}
	}
}

// retryLocals evaluates again the locals that were not known, now that
// more references resolve.
func (m *module) retryLocals() {
	again := false
	for _, l := range m.locals {
		if l.state == localUnknown {
			l.state, l.reason, again = localPending, "", true
		}
	}
	if again {
		m.evalLocals()
	}
}

var providerSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{{Name: "region"}, {Name: "alias"}},
	Blocks:     []hcl.BlockHeaderSchema{{Type: "default_tags"}},
}

func (m *module) provider(p *parsed, b *hcl.Block) {
	if b.Labels[0] != "aws" {
		return
	}
	c, _, _ := b.Body.PartialContent(providerSchema)
	if c == nil {
		return
	}
	key := "aws"
	if a := c.Attributes["alias"]; a != nil {
		if v, known, _ := m.value(a.Expr, nil); known && v.Type() == cty.String && !v.IsNull() {
			key = "aws." + v.AsString()
		}
	}
	pr := &provider{}
	if a := c.Attributes["region"]; a != nil {
		if v, known, why := m.value(a.Expr, nil); known && v.Type() == cty.String && !v.IsNull() {
			pr.region = v.AsString()
		} else if !known {
			pr.regionWhy = p.source(a.Expr.Range()) + ": " + why
		}
	}
	for _, dt := range c.Blocks {
		tc, _, _ := dt.Body.PartialContent(&hcl.BodySchema{Attributes: []hcl.AttributeSchema{{Name: "tags"}}})
		if tc == nil || tc.Attributes["tags"] == nil {
			continue
		}
		if v, known, _ := m.value(tc.Attributes["tags"].Expr, nil); known {
			pr.tags, _ = stringMap(v)
		}
	}
	if _, dup := m.providers[key]; !dup {
		m.providers[key] = pr
	}
}

// expand works out the instances of a resource from count or for_each.
func (m *module) expand(r *resource) {
	one := func(why string) {
		r.insts = []*instance{{addr: r.addr(), sc: &scope{unexpanded: r.addr()}}}
		if why != "" {
			m.warn(r.p, r.block.DefRange.Start.Line, r.addr(), "%s; kept once, unexpanded", why)
		}
	}
	if a := r.content.Attributes["count"]; a != nil {
		src := r.p.source(a.Expr.Range())
		v, known, why := m.value(a.Expr, nil)
		if !known {
			one(fmt.Sprintf("count = %s is not known (%s)", src, why))
			return
		}
		n, err := convert.Convert(v, cty.Number)
		if err != nil || n.IsNull() {
			one(fmt.Sprintf("count = %s is not a number", src))
			return
		}
		c, acc := n.AsBigFloat().Int64()
		switch {
		case acc != 0 || c < 0:
			one(fmt.Sprintf("count = %s is not a whole number", src))
		case c == 0:
			one(fmt.Sprintf("count = %s is 0 with the variables' defaults and values given, so this module may not create it", src))
		case c > maxInstances:
			one(fmt.Sprintf("count = %s is %d, more than p2c expands (%d)", src, c, maxInstances))
		default:
			for i := int64(0); i < c; i++ {
				r.insts = append(r.insts, &instance{
					addr: fmt.Sprintf("%s[%d]", r.addr(), i),
					sc:   &scope{count: cty.ObjectVal(map[string]cty.Value{"index": cty.NumberIntVal(i)})},
				})
			}
		}
		return
	}
	if a := r.content.Attributes["for_each"]; a != nil {
		src := r.p.source(a.Expr.Range())
		v, known, why := m.value(a.Expr, nil)
		if !known {
			one(fmt.Sprintf("for_each = %s is not known (%s)", src, why))
			return
		}
		t := v.Type()
		if v.IsNull() || !(t.IsMapType() || t.IsObjectType() || t.IsSetType()) {
			one(fmt.Sprintf("for_each = %s is not a map or a set of strings", src))
			return
		}
		if v.LengthInt() == 0 {
			one(fmt.Sprintf("for_each = %s is empty with the variables' defaults and values given, so this module may not create it", src))
			return
		}
		if v.LengthInt() > maxInstances {
			one(fmt.Sprintf("for_each = %s has %d elements, more than p2c expands (%d)", src, v.LengthInt(), maxInstances))
			return
		}
		for it := v.ElementIterator(); it.Next(); {
			k, e := it.Element()
			if t.IsSetType() {
				s, err := convert.Convert(e, cty.String)
				if err != nil || s.IsNull() {
					r.insts = nil
					one(fmt.Sprintf("for_each = %s is a set of non-strings", src))
					return
				}
				k, e = s, s
			}
			r.insts = append(r.insts, &instance{
				addr: fmt.Sprintf("%s[%q]", r.addr(), k.AsString()),
				sc:   &scope{each: cty.ObjectVal(map[string]cty.Value{"key": k, "value": e})},
			})
		}
		return
	}
	r.insts = []*instance{{addr: r.addr(), sc: &scope{}}}
}

// synthetic is the id of a resource AWS has not named yet.
func (m *module) synthetic(r *resource, in *instance) string {
	return inventory.SyntheticPrefix + r.p.base + "#" + in.addr
}

// setRef records what references to r evaluate to: the known top-level
// arguments, its id, and for apps the synthetic application id.
func (m *module) setRef(r *resource) {
	if m.refs[r.typ] == nil {
		m.refs[r.typ] = map[string]cty.Value{}
	}
	objs := make([]cty.Value, len(r.insts))
	for i, in := range r.insts {
		attrs := map[string]cty.Value{}
		for _, a := range r.spec.args {
			if a.flag != "" {
				continue // credentials never flow anywhere
			}
			at := r.content.Attributes[a.tf]
			if at == nil {
				continue
			}
			if v, known, _ := m.value(at.Expr, in.sc); known {
				if cv, err := convert.Convert(v, a.ty); err == nil {
					attrs[a.tf] = cv
				}
			}
		}
		if r.spec.kind == kindApp {
			id := cty.StringVal(m.synthetic(r, in))
			attrs["application_id"], attrs["id"] = id, id
		} else if r.spec.id != "" {
			if v, ok := attrs[r.spec.id]; ok {
				attrs["id"] = v
			}
		}
		objs[i] = cty.ObjectVal(attrs)
	}
	switch {
	case r.content.Attributes["count"] != nil && r.insts[0].sc.unexpanded == "":
		m.refs[r.typ][r.name] = cty.TupleVal(objs)
	case r.content.Attributes["for_each"] != nil && r.insts[0].sc.unexpanded == "":
		byKey := map[string]cty.Value{}
		for i, in := range r.insts {
			byKey[in.sc.each.GetAttr("key").AsString()] = objs[i]
		}
		m.refs[r.typ][r.name] = cty.ObjectVal(byKey)
	case r.content.Attributes["count"] != nil || r.content.Attributes["for_each"] != nil:
		m.refs[r.typ][r.name] = cty.DynamicVal
	default:
		m.refs[r.typ][r.name] = objs[0]
	}
}
