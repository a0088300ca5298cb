package tf

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"

	"github.com/p2c/p2c/internal/inventory"
)

// ev evaluates the arguments of one resource instance into wire members.
type ev struct {
	m  *module
	r  *resource
	in *instance
}

func (e *ev) unresolved(path string, r hcl.Range, text, why string) map[string]any {
	e.m.inv.Unresolved = append(e.m.inv.Unresolved, inventory.Unresolved{
		File: e.r.p.f.Name, Line: r.Start.Line, Resource: e.in.addr,
		Path: path, Expression: text, Reason: why,
	})
	return unresolvedMarker(text)
}

func join(prefix, name string) string {
	if prefix == "" {
		return name
	}
	return prefix + "." + name
}

func elemType(ty cty.Type) cty.Type {
	switch {
	case ty.IsMapType() || ty.IsListType() || ty.IsSetType():
		return ty.ElementType()
	}
	return cty.DynamicPseudoType
}

// expr evaluates x as a member of type ty; ok is false when the value is
// null (Terraform then leaves the argument unset).
func (e *ev) expr(x hcl.Expression, ty cty.Type, path string) (any, bool) {
	v, known, why := e.m.value(x, e.in.sc)
	if !known {
		// Keep what is known of an object or tuple written out in place.
		switch c := x.(type) {
		case *hclsyntax.ObjectConsExpr:
			if ty.IsMapType() || ty.IsObjectType() || ty == cty.DynamicPseudoType {
				out := map[string]any{}
				for _, it := range c.Items {
					k, kknown, _ := e.m.value(it.KeyExpr, e.in.sc)
					if !kknown || k.IsNull() {
						return e.unresolved(path, x.Range(), e.r.p.source(x.Range()), why), true
					}
					ks, err := convert.Convert(k, cty.String)
					if err != nil {
						return e.unresolved(path, x.Range(), e.r.p.source(x.Range()), why), true
					}
					if sub, ok := e.expr(it.ValueExpr, elemType(ty), join(path, ks.AsString())); ok {
						out[ks.AsString()] = sub
					}
				}
				return out, true
			}
		case *hclsyntax.TupleConsExpr:
			if ty.IsListType() || ty.IsSetType() || ty.IsTupleType() || ty == cty.DynamicPseudoType {
				out := []any{}
				for i, it := range c.Exprs {
					sub, ok := e.expr(it, elemType(ty), fmt.Sprintf("%s[%d]", path, i))
					if !ok {
						sub = nil
					}
					out = append(out, sub)
				}
				return out, true
			}
		}
		return e.unresolved(path, x.Range(), e.r.p.source(x.Range()), why), true
	}
	if v.IsNull() {
		return nil, false
	}
	cv, err := convert.Convert(v, ty)
	if err != nil {
		e.m.warn(e.r.p, x.Range().Start.Line, e.in.addr, "%s: %v; left out", path, err)
		return nil, false
	}
	return toJSON(cv), true
}

// body fills obj from the arguments and nested blocks of c. Credentials
// and dropped arguments are skipped here.
func (e *ev) body(c *hcl.BodyContent, args []arg, blocks []nested, obj map[string]any, prefix string) {
	for _, a := range args {
		at := c.Attributes[a.tf]
		if at == nil || a.drop || a.flag != "" {
			continue
		}
		if v, ok := e.expr(at.Expr, a.ty, join(prefix, a.wire)); ok {
			obj[a.wire] = v
		}
	}
	for _, b := range blocks {
		var list []any
		for _, blk := range c.Blocks {
			switch {
			case blk.Type == "dynamic" && len(blk.Labels) == 1 && blk.Labels[0] == b.tf:
				text := fmt.Sprintf("dynamic %q", b.tf)
				path := join(prefix, b.wire)
				if b.wire == "" {
					path = join(prefix, b.tf)
				}
				obj[b.wire] = e.unresolved(path, blk.DefRange, text, "dynamic blocks are not expanded")
				list = nil
			case blk.Type == b.tf:
				bc, _, diags := blk.Body.PartialContent(schemaOf(b.args, b.blocks, false))
				e.m.warnDiags(e.r.p, e.in.addr, diags)
				if bc == nil {
					continue
				}
				sub := map[string]any{}
				p := join(prefix, b.wire)
				if b.list {
					p = fmt.Sprintf("%s[%d]", p, len(list))
				}
				if b.wire == "" {
					p = prefix
				}
				e.body(bc, b.args, b.blocks, sub, p)
				list = append(list, sub)
			}
		}
		switch {
		case len(list) == 0:
		case b.list:
			obj[b.wire] = list
		default:
			if len(list) > 1 {
				e.m.warn(e.r.p, e.r.block.DefRange.Start.Line, e.in.addr, "%d %s blocks; the API takes one, the first is used", len(list), b.tf)
			}
			if b.wire == "" {
				for k, v := range list[0].(map[string]any) {
					obj[k] = v
				}
			} else {
				obj[b.wire] = list[0]
			}
		}
	}
}

// credentials records the channel credentials an instance declares and
// sets the flags the API would show. Their values are never kept, nor is
// their expression unless it is a plain reference.
func (e *ev) credentials(app, region, platform string, obj map[string]any) {
	type flag struct {
		set     bool
		unknown []*hcl.Attribute
	}
	flags := map[string]*flag{}
	var order []string
	for _, a := range e.r.spec.args {
		at := e.r.content.Attributes[a.tf]
		if a.flag == "" || at == nil {
			continue
		}
		v, known, _ := e.m.value(at.Expr, e.in.sc)
		if known && v.IsNull() {
			continue
		}
		e.m.inv.Secrets = append(e.m.inv.Secrets, inventory.SecretSeen{
			Region: region, App: app, Channel: platform, Member: a.wire,
			File: e.r.p.f.Name, Line: at.Range.Start.Line,
		})
		f := flags[a.flag]
		if f == nil {
			f = &flag{}
			flags[a.flag] = f
			order = append(order, a.flag)
		}
		if known {
			f.set = true
		} else {
			f.unknown = append(f.unknown, at)
		}
	}
	for _, name := range order {
		f := flags[name]
		if f.set {
			obj[name] = true
			continue
		}
		at := f.unknown[0]
		text := "(credential expression not recorded)"
		if _, diags := hcl.AbsTraversalForExpr(at.Expr); !diags.HasErrors() {
			text = e.r.p.source(at.Expr.Range())
		}
		obj[name] = e.unresolved(name, at.Expr.Range(), text, "a credential is declared but whether it is set is not known before Terraform runs")
	}
}

func (m *module) region(name string) *inventory.Region {
	if r, ok := m.regions[name]; ok {
		return r
	}
	r := &inventory.Region{
		Name: name, Apps: []inventory.App{}, Templates: []inventory.Template{}, Recommenders: []inventory.Object{},
		EUM: inventory.EUM{
			PhoneNumbers: []inventory.Object{}, SenderIDs: []inventory.Object{}, Pools: []inventory.Pool{},
			ConfigurationSets: []inventory.Object{}, OptOutLists: []inventory.OptOutList{},
			Keywords: []inventory.KeywordSet{}, Registrations: []inventory.Object{},
		},
	}
	m.regions[name] = r
	m.apps[name] = map[string]int{}
	return r
}

// app finds or adds the app with id in region.
func (m *module) app(region, id string) *inventory.App {
	reg := m.region(region)
	if i, ok := m.apps[region][id]; ok {
		return &reg.Apps[i]
	}
	reg.Apps = append(reg.Apps, inventory.App{
		ID: id, Segments: []inventory.Segment{}, Campaigns: []inventory.Campaign{}, Journeys: []inventory.Journey{},
	})
	m.apps[region][id] = len(reg.Apps) - 1
	return &reg.Apps[len(reg.Apps)-1]
}

func (e *ev) provenance() inventory.Provenance {
	return inventory.Provenance{
		Source: e.r.p.f.Name, Kind: Kind, Operation: e.r.typ, Address: e.in.addr,
		Line: e.r.block.DefRange.Start.Line, ReadAt: e.r.p.f.ModTime.UTC(),
	}
}

// regionOf picks the region: the resource's own region argument, else
// its provider's, else the default.
func (e *ev) regionOf() string {
	c := e.r.content
	if a := c.Attributes["region"]; a != nil {
		v, known, why := e.m.value(a.Expr, e.in.sc)
		if known && !v.IsNull() && v.Type() == cty.String {
			return v.AsString()
		}
		if !known {
			e.m.warn(e.r.p, a.Range.Start.Line, e.in.addr, "region = %s is not known (%s); using the default region %q", e.r.p.source(a.Expr.Range()), why, e.m.opts.DefaultRegion)
			return e.m.opts.DefaultRegion
		}
	}
	if p := e.provider(); p != nil {
		if p.region != "" {
			return p.region
		}
		if p.regionWhy != "" {
			e.m.warn(e.r.p, e.r.block.DefRange.Start.Line, e.in.addr, "provider region %s is not known; using the default region %q", p.regionWhy, e.m.opts.DefaultRegion)
		}
	}
	return e.m.opts.DefaultRegion
}

func (e *ev) provider() *provider {
	key := "aws"
	if a := e.r.content.Attributes["provider"]; a != nil {
		if t, diags := hcl.AbsTraversalForExpr(a.Expr); !diags.HasErrors() {
			key = traversalText(t, 2)
		}
	}
	return e.m.providers[key]
}

// tags lays the resource's tags over the provider's default_tags.
func (e *ev) tags(obj map[string]any) map[string]string {
	var out map[string]string
	if p := e.provider(); p != nil && len(p.tags) > 0 {
		out = map[string]string{}
		for k, v := range p.tags {
			out[k] = v
		}
	}
	switch t := obj["tags"].(type) {
	case nil:
	case map[string]any:
		if _, marked := t[inventory.UnresolvedKey]; marked {
			return nil
		}
		for k, v := range t {
			s, ok := v.(string)
			if !ok {
				// Some tag value is unresolved: keep the object as it is.
				for dk, dv := range out {
					if _, ok := t[dk]; !ok {
						t[dk] = dv
					}
				}
				return nil
			}
			if out == nil {
				out = map[string]string{}
			}
			out[k] = s
		}
	}
	if len(out) > 0 {
		m := map[string]any{}
		for k, v := range out {
			m[k] = v
		}
		obj["tags"] = m
	}
	return out
}

// mustJSON encodes a wire object; template bodies keep their HTML as is.
func mustJSON(v any) json.RawMessage {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		// Only maps, slices, strings, numbers and bools get here.
		panic(fmt.Sprintf("tf: marshal: %v", err))
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
}

// build adds one resource instance to the fragment.
func (m *module) build(r *resource, in *instance) {
	e := &ev{m: m, r: r, in: in}
	region := e.regionOf()
	c := r.content
	line := r.block.DefRange.Start.Line
	obj := map[string]any{}
	switch r.spec.kind {
	case kindApp:
		id := m.synthetic(r, in)
		obj["Id"] = id
		e.body(c, r.spec.args, nil, obj, "")
		if _, ok := obj["Name"]; !ok {
			text := in.addr + ".name"
			why := "neither name nor name_prefix: Terraform generates a unique name"
			if np := c.Attributes["name_prefix"]; np != nil {
				why = fmt.Sprintf("name_prefix = %s: AWS appends a unique suffix", r.p.source(np.Expr.Range()))
			}
			obj["Name"] = e.unresolved("Name", r.block.DefRange, text, why)
		}
		tags := e.tags(obj)
		app := m.app(region, id)
		if s, ok := obj["Name"].(string); ok {
			app.Name = s
		}
		app.Tags = tags
		app.Object = mustJSON(obj)
		settings := map[string]any{}
		e.body(c, nil, r.spec.blocks, settings, "Settings")
		if len(settings) > 0 {
			settings["ApplicationId"] = id
			app.Settings = mustJSON(settings)
		}
		app.Provenance = append(app.Provenance, e.provenance())

	case kindChannel, kindEventStream:
		if c.Attributes["application_id"] == nil {
			m.warn(r.p, line, in.addr, "application_id is missing; left out")
			return
		}
		if r.spec.kind == kindChannel {
			obj["Platform"] = r.spec.platform
		}
		args := r.spec.args
		if id, ok := m.unexpandedApp(c.Attributes["application_id"].Expr); ok {
			obj["ApplicationId"] = id
			args = nil
			for _, a := range r.spec.args {
				if a.tf != "application_id" {
					args = append(args, a)
				}
			}
		}
		e.body(c, args, nil, obj, "")
		appID, ok := obj["ApplicationId"].(string)
		if !ok {
			appID = inventory.SyntheticPrefix + r.p.base + "#" + r.p.source(c.Attributes["application_id"].Expr.Range())
		}
		app := m.app(region, appID)
		if app.Object == nil {
			// An app declared elsewhere: all the module says is its id.
			app.Object = mustJSON(map[string]any{"Id": obj["ApplicationId"]})
		}
		if r.spec.kind == kindEventStream {
			if app.EventStream != nil {
				m.warn(r.p, line, in.addr, "app %s has a second event stream; the first is kept", appID)
				return
			}
			app.EventStream = mustJSON(obj)
		} else {
			if _, ok := obj["Enabled"]; !ok {
				obj["Enabled"] = true // the provider's default
			}
			e.credentials(appID, region, r.spec.platform, obj)
			if _, dup := app.Channels[r.spec.platform]; dup {
				m.warn(r.p, line, in.addr, "app %s has a second %s channel; the first is kept", appID, r.spec.platform)
				return
			}
			if app.Channels == nil {
				app.Channels = map[string]json.RawMessage{}
			}
			app.Channels[r.spec.platform] = mustJSON(obj)
		}
		app.Provenance = append(app.Provenance, e.provenance())

	case kindEmailTemplate:
		obj["TemplateType"] = "EMAIL"
		e.body(c, r.spec.args, r.spec.blocks, obj, "")
		e.tags(obj)
		name, ok := obj["TemplateName"].(string)
		if !ok {
			name = m.synthetic(r, in)
		}
		reg := m.region(region)
		for _, t := range reg.Templates {
			if t.Name == name && t.Type == "EMAIL" {
				m.warn(r.p, line, in.addr, "email template %q is declared twice; the first is kept", name)
				return
			}
		}
		reg.Templates = append(reg.Templates, inventory.Template{
			Name: name, Type: "EMAIL", Object: mustJSON(obj), Provenance: []inventory.Provenance{e.provenance()},
		})

	case kindPhoneNumber:
		e.body(c, r.spec.args, nil, obj, "")
		reg := m.region(region)
		reg.EUM.PhoneNumbers = append(reg.EUM.PhoneNumbers, inventory.Object{
			ID: m.synthetic(r, in), Object: mustJSON(obj), Provenance: []inventory.Provenance{e.provenance()},
		})

	case kindOptOutList:
		e.body(c, r.spec.args, nil, obj, "")
		name, ok := obj["OptOutListName"].(string)
		if !ok {
			name = m.synthetic(r, in)
		}
		reg := m.region(region)
		reg.EUM.OptOutLists = append(reg.EUM.OptOutLists, inventory.OptOutList{
			Name: name, Object: mustJSON(obj), Provenance: []inventory.Provenance{e.provenance()},
		})

	case kindConfigurationSet:
		e.body(c, r.spec.args, nil, obj, "")
		name, ok := obj["ConfigurationSetName"].(string)
		if !ok {
			name = m.synthetic(r, in)
		}
		reg := m.region(region)
		reg.EUM.ConfigurationSets = append(reg.EUM.ConfigurationSets, inventory.Object{
			ID: name, Object: mustJSON(obj), Provenance: []inventory.Provenance{e.provenance()},
		})
	}
}

// unexpandedApp recognises a reference to an app kept once because its
// count or for_each was not expanded (aws_pinpoint_app.a[0].id): the
// channel then joins that entry, which stands for every instance.
func (m *module) unexpandedApp(expr hcl.Expression) (string, bool) {
	t, diags := hcl.AbsTraversalForExpr(expr)
	if diags.HasErrors() || len(t) < 3 || t.RootName() != "aws_pinpoint_app" {
		return "", false
	}
	name, ok := t[1].(hcl.TraverseAttr)
	if !ok {
		return "", false
	}
	last, ok := t[len(t)-1].(hcl.TraverseAttr)
	if !ok || (last.Name != "application_id" && last.Name != "id") {
		return "", false
	}
	for _, r := range m.resources {
		if r.spec.kind == kindApp && r.name == name.Name && len(r.insts) == 1 && r.insts[0].sc.unexpanded != "" {
			return m.synthetic(r, r.insts[0]), true
		}
	}
	return "", false
}
