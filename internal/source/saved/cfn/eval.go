package cfn

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// lit is a YAML scalar that is not a string (a number, a boolean). It keeps
// the text as written because CloudFormation compares and substitutes
// parameter values as strings ("True" stays "True").
type lit struct {
	raw string
	v   any
}

// unres is a value p2c cannot know from the template alone.
type unres struct {
	expr   string
	reason string
	line   int
}

// noValue is AWS::NoValue: the member it is assigned to is removed.
type noValue struct{}

// tri is the outcome of a condition: decided true or false, or unknown.
type tri int

const (
	unknown tri = iota
	yes
	no
)

func (l *loader) unresolved(n *node, reason string) *unres {
	return &unres{expr: l.render(n), reason: reason, line: n.line}
}

// eval resolves a template value. The result is a JSON-ready value that may
// contain lit, *unres and noValue.
func (l *loader) eval(n *node) any {
	if n == nil {
		return nil
	}
	l.steps++
	if l.steps > maxSteps {
		return l.unresolved(n, "evaluation limit reached")
	}
	switch n.kind {
	case kScalar:
		switch v := n.value.(type) {
		case string:
			return v
		case nil:
			return nil
		default:
			return lit{raw: n.text, v: v}
		}
	case kSeq:
		out := make([]any, 0, len(n.items))
		for _, it := range n.items {
			v := l.eval(it)
			if _, ok := v.(noValue); ok {
				continue
			}
			out = append(out, v)
		}
		return out
	case kMap:
		if len(n.keys) == 1 && isIntrinsic(n.keys[0], n) {
			return l.intrinsic(n, n.keys[0], n.vals[0])
		}
		out := make(map[string]any, len(n.keys))
		for i, k := range n.keys {
			v := l.eval(n.vals[i])
			if _, ok := v.(noValue); ok {
				continue
			}
			out[k] = v
		}
		return out
	}
	return nil
}

// maxSteps bounds evaluation of hostile templates.
const maxSteps = 1 << 21

func isIntrinsic(key string, n *node) bool {
	return key == "Ref" || strings.HasPrefix(key, "Fn::") || (key == "Condition" && n.short)
}

func (l *loader) intrinsic(n *node, fn string, arg *node) any {
	switch fn {
	case "Ref":
		name, ok := arg.str()
		if !ok {
			return l.unresolved(n, "Ref needs a name")
		}
		return l.ref(n, name)
	case "Fn::GetAtt":
		res, attr, ok := l.getAttArgs(arg)
		if !ok {
			return l.unresolved(n, "Fn::GetAtt needs a resource and an attribute")
		}
		return l.wrap(n, l.getAtt(n, res, attr))
	case "Fn::Sub":
		return l.sub(n, arg)
	case "Fn::Join":
		return l.join(n, arg)
	case "Fn::Select":
		return l.selectFn(n, arg)
	case "Fn::Split":
		if arg.kind != kSeq || len(arg.items) != 2 {
			return l.unresolved(n, "Fn::Split needs a delimiter and a string")
		}
		d, s := l.eval(arg.items[0]), l.eval(arg.items[1])
		if u := firstUnres(d, s); u != nil {
			return l.wrap(n, u)
		}
		ds, ok1 := toStr(d)
		ss, ok2 := toStr(s)
		if !ok1 || !ok2 {
			return l.unresolved(n, "Fn::Split needs a delimiter and a string")
		}
		var out []any
		for _, p := range strings.Split(ss, ds) {
			out = append(out, p)
		}
		return out
	case "Fn::FindInMap":
		return l.findInMap(n, arg)
	case "Fn::If":
		if arg.kind != kSeq || len(arg.items) != 3 {
			return l.unresolved(n, "Fn::If needs a condition and two values")
		}
		name, ok := arg.items[0].str()
		if !ok {
			return l.unresolved(n, "Fn::If needs a condition name")
		}
		switch t, why := l.condition(name, n.line); t {
		case yes:
			return l.wrap(n, l.eval(arg.items[1]))
		case no:
			return l.wrap(n, l.eval(arg.items[2]))
		default:
			return l.unresolved(n, fmt.Sprintf("condition %s cannot be decided: %s", name, why))
		}
	case "Fn::Base64":
		v := l.eval(arg)
		if u := firstUnres(v); u != nil {
			return l.wrap(n, u)
		}
		s, ok := toStr(v)
		if !ok {
			return l.unresolved(n, "Fn::Base64 needs a string")
		}
		return base64.StdEncoding.EncodeToString([]byte(s))
	case "Fn::ImportValue":
		return l.unresolved(n, "value exported by another stack, known only at deployment")
	case "Fn::GetAZs":
		return l.unresolved(n, "availability zones are known only at deployment")
	case "Fn::Cidr":
		return l.unresolved(n, "Fn::Cidr is not evaluated by p2c")
	case "Fn::Equals", "Fn::Not", "Fn::And", "Fn::Or", "Condition":
		switch t, why := l.condExpr(n); t {
		case yes:
			return true
		case no:
			return false
		default:
			return l.unresolved(n, "condition cannot be decided: "+why)
		}
	}
	l.warn(n.line, fmt.Sprintf("intrinsic function %s is not supported; the value is kept unresolved", fn))
	return l.unresolved(n, fmt.Sprintf("intrinsic function %s is not supported by p2c", fn))
}

// wrap turns an unresolved part into the unresolved whole: the inventory
// keeps the outermost expression as written, with the inner reason.
func (l *loader) wrap(n *node, v any) any {
	if u := firstUnres(v); u != nil {
		return &unres{expr: l.render(n), reason: u.reason, line: n.line}
	}
	return v
}

// firstUnres finds an unresolved value among vs, searching inside lists
// and maps.
func firstUnres(vs ...any) *unres {
	for _, v := range vs {
		switch t := v.(type) {
		case *unres:
			return t
		case []any:
			if u := firstUnres(t...); u != nil {
				return u
			}
		case map[string]any:
			keys := make([]string, 0, len(t))
			for k := range t {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, k := range keys {
				if u := firstUnres(t[k]); u != nil {
					return u
				}
			}
		}
	}
	return nil
}

// toStr renders a scalar the way CloudFormation substitutes it.
func toStr(v any) (string, bool) {
	switch t := v.(type) {
	case string:
		return t, true
	case lit:
		return t.raw, true
	case json.Number:
		return string(t), true
	case bool:
		return strconv.FormatBool(t), true
	}
	return "", false
}

func (l *loader) getAttArgs(arg *node) (string, string, bool) {
	switch arg.kind {
	case kScalar:
		res, attr, ok := strings.Cut(arg.text, ".")
		return res, attr, ok && res != "" && attr != ""
	case kSeq:
		if len(arg.items) != 2 {
			return "", "", false
		}
		res, ok := arg.items[0].str()
		if !ok {
			return "", "", false
		}
		a, ok := toStr(l.eval(arg.items[1]))
		return res, a, ok
	}
	return "", "", false
}

// ref resolves Ref to a pseudo parameter, a parameter or a resource.
func (l *loader) ref(n *node, name string) any {
	switch name {
	case "AWS::NoValue":
		return noValue{}
	case "AWS::Region":
		if l.region == "" {
			return l.unresolved(n, "no region given for AWS::Region")
		}
		return l.region
	case "AWS::AccountId":
		if l.opts.AccountID == "" {
			return l.unresolved(n, "AWS::AccountId is known only at deployment (no account id given)")
		}
		return l.opts.AccountID
	case "AWS::Partition":
		return partition(l.region)
	case "AWS::URLSuffix":
		if strings.HasPrefix(l.region, "cn-") {
			return "amazonaws.com.cn"
		}
		return "amazonaws.com"
	case "AWS::StackName", "AWS::StackId", "AWS::NotificationARNs":
		return l.unresolved(n, "pseudo parameter "+name+" is known only at deployment")
	}
	if p := l.params.get(name); p != nil {
		return l.wrap(n, l.param(n, name, p))
	}
	if r := l.res[name]; r != nil {
		return l.wrap(n, l.refResource(r))
	}
	if strings.HasPrefix(name, "AWS::") {
		return l.unresolved(n, "unknown pseudo parameter "+name)
	}
	l.warn(n.line, fmt.Sprintf("Ref to %s: no parameter or resource of that name in the template", name))
	return l.unresolved(n, "no parameter or resource named "+name+" in the template")
}

func partition(region string) string {
	switch {
	case strings.HasPrefix(region, "cn-"):
		return "aws-cn"
	case strings.HasPrefix(region, "us-gov-"):
		return "aws-us-gov"
	}
	return "aws"
}

// param is a parameter's value: its Default, as CloudFormation passes it
// on (a string, or a list for list types).
func (l *loader) param(n *node, name string, p *node) any {
	typ, _ := p.get("Type").str()
	if strings.HasPrefix(typ, "AWS::SSM::Parameter::Value") {
		return l.unresolved(n, "parameter "+name+" is read from SSM Parameter Store at deployment")
	}
	d := p.get("Default")
	if d == nil {
		return l.unresolved(n, "parameter "+name+" has no Default; its value is given at deployment")
	}
	v := l.eval(d)
	if u := firstUnres(v); u != nil {
		return u
	}
	list := typ == "CommaDelimitedList" || strings.HasPrefix(typ, "List<")
	if items, ok := v.([]any); ok {
		out := make([]any, 0, len(items))
		for _, it := range items {
			s, ok := toStr(it)
			if !ok {
				return l.unresolved(n, "parameter "+name+" has a Default that is not a list of strings")
			}
			out = append(out, s)
		}
		if list {
			return out
		}
		return l.unresolved(n, "parameter "+name+" has a list Default but is not a list type")
	}
	if v == nil {
		v = ""
	}
	s, ok := toStr(v)
	if !ok {
		return l.unresolved(n, "parameter "+name+" has a Default that is not a string")
	}
	if list {
		var out []any
		for _, part := range strings.Split(s, ",") {
			out = append(out, strings.TrimSpace(part))
		}
		return out
	}
	return s
}

// refResource is what Ref returns for a resource of the template.
func (l *loader) refResource(r *res) any {
	if r.excluded {
		return &unres{reason: fmt.Sprintf("resource %s is not created: its condition %s is false", r.id, r.cond)}
	}
	if !r.pinpoint() {
		return &unres{reason: "physical id of a resource outside Pinpoint, known only after deployment"}
	}
	switch r.typ {
	case "AWS::Pinpoint::App", "AWS::Pinpoint::Segment", "AWS::Pinpoint::Campaign":
		return l.synthetic(r.id)
	case "AWS::Pinpoint::EmailTemplate", "AWS::Pinpoint::SmsTemplate", "AWS::Pinpoint::PushTemplate", "AWS::Pinpoint::InAppTemplate":
		return l.prop(r, "TemplateName")
	case "AWS::PinpointEmail::ConfigurationSet", "AWS::PinpointEmail::Identity":
		return l.prop(r, "Name")
	case "AWS::PinpointEmail::DedicatedIpPool":
		return l.prop(r, "PoolName")
	}
	if _, ok := channels[r.typ]; ok || r.typ == "AWS::Pinpoint::ApplicationSettings" || r.typ == "AWS::Pinpoint::EventStream" {
		return l.prop(r, "ApplicationId")
	}
	return &unres{reason: "the id of " + r.typ + " " + r.id + " is known only after deployment"}
}

// prop evaluates one property of another resource, for Ref and GetAtt.
func (l *loader) prop(r *res, key string) any {
	if v, ok := r.memo[key]; ok {
		return v
	}
	if r.visiting[key] {
		return &unres{reason: "circular reference through " + r.id + "." + key}
	}
	var props *node
	if r.node != nil {
		props = r.node.get("Properties")
	}
	pn := props.get(key)
	if pn == nil {
		return &unres{reason: r.id + " has no " + key}
	}
	r.visiting[key] = true
	cur := l.cur
	l.cur = r.id
	v := l.eval(pn)
	l.cur = cur
	delete(r.visiting, key)
	r.memo[key] = v
	return v
}

// getAtt resolves the attributes p2c can know: ids it makes up and ARNs
// built from them.
func (l *loader) getAtt(n *node, name, attr string) any {
	r := l.res[name]
	if r == nil {
		l.warn(n.line, fmt.Sprintf("Fn::GetAtt of %s: no resource of that name in the template", name))
		return &unres{reason: "no resource named " + name + " in the template"}
	}
	if !r.pinpoint() {
		return &unres{reason: "attribute of a resource outside Pinpoint, known only after deployment"}
	}
	if r.excluded {
		return &unres{reason: fmt.Sprintf("resource %s is not created: its condition %s is false", r.id, r.cond)}
	}
	switch r.typ + "." + attr {
	case "AWS::Pinpoint::App.Id":
		return l.synthetic(r.id)
	case "AWS::Pinpoint::App.Arn":
		return l.arn("apps/" + l.synthetic(r.id))
	case "AWS::Pinpoint::Segment.SegmentId", "AWS::Pinpoint::Campaign.CampaignId":
		return l.synthetic(r.id)
	case "AWS::Pinpoint::Segment.Arn", "AWS::Pinpoint::Campaign.Arn":
		app := l.prop(r, "ApplicationId")
		if u := firstUnres(app); u != nil {
			return u
		}
		a, ok := toStr(app)
		if !ok {
			return &unres{reason: "the application id of " + r.id + " is not a string"}
		}
		kind := "segments"
		if r.typ == "AWS::Pinpoint::Campaign" {
			kind = "campaigns"
		}
		return l.arn("apps/" + a + "/" + kind + "/" + l.synthetic(r.id))
	}
	if tt, ok := templateTypes[r.typ]; ok && attr == "Arn" {
		tn := l.prop(r, "TemplateName")
		if u := firstUnres(tn); u != nil {
			return u
		}
		s, ok := toStr(tn)
		if !ok {
			return &unres{reason: "the template name of " + r.id + " is not a string"}
		}
		return l.arn("templates/" + s + "/" + tt.kind)
	}
	return &unres{reason: "attribute " + attr + " of " + r.typ + " " + r.id + " is known only after deployment"}
}

// arn builds a Pinpoint ARN when the region and the account are known.
func (l *loader) arn(resource string) any {
	switch {
	case l.region == "":
		return &unres{reason: "the ARN needs the region, which is not known (no region given)"}
	case l.opts.AccountID == "":
		return &unres{reason: "the ARN needs the AWS account id, which is not known (no account id given)"}
	}
	return "arn:" + partition(l.region) + ":mobiletargeting:" + l.region + ":" + l.opts.AccountID + ":" + resource
}

// sub implements Fn::Sub in both forms.
func (l *loader) sub(n *node, arg *node) any {
	var tmpl string
	var vars *node
	switch arg.kind {
	case kScalar:
		tmpl = arg.text
	case kSeq:
		if len(arg.items) != 2 {
			return l.unresolved(n, "Fn::Sub needs a string and a map of variables")
		}
		s, ok := arg.items[0].str()
		if !ok {
			return l.unresolved(n, "Fn::Sub needs a string")
		}
		tmpl, vars = s, arg.items[1]
	default:
		return l.unresolved(n, "Fn::Sub needs a string")
	}
	var b strings.Builder
	for {
		i := strings.Index(tmpl, "${")
		if i < 0 {
			b.WriteString(tmpl)
			break
		}
		b.WriteString(tmpl[:i])
		rest := tmpl[i+2:]
		j := strings.IndexByte(rest, '}')
		if j < 0 {
			b.WriteString(tmpl[i:])
			break
		}
		name := rest[:j]
		tmpl = rest[j+1:]
		if strings.HasPrefix(name, "!") {
			b.WriteString("${" + name[1:] + "}")
			continue
		}
		name = strings.TrimSpace(name)
		var v any
		switch {
		case vars.get(name) != nil:
			v = l.eval(vars.get(name))
		case strings.Contains(name, ".") && !strings.HasPrefix(name, "AWS::"):
			res, attr, _ := strings.Cut(name, ".")
			v = l.getAtt(n, res, attr)
		default:
			v = l.ref(n, name)
		}
		if u := firstUnres(v); u != nil {
			return &unres{expr: l.render(n), reason: u.reason, line: n.line}
		}
		s, ok := toStr(v)
		if !ok {
			return l.unresolved(n, "${"+name+"} is not a string")
		}
		b.WriteString(s)
	}
	return b.String()
}

func (l *loader) join(n *node, arg *node) any {
	if arg.kind != kSeq || len(arg.items) != 2 {
		return l.unresolved(n, "Fn::Join needs a delimiter and a list")
	}
	d, list := l.eval(arg.items[0]), l.eval(arg.items[1])
	if u := firstUnres(d, list); u != nil {
		return l.wrap(n, u)
	}
	ds, ok := toStr(d)
	items, ok2 := list.([]any)
	if !ok || !ok2 {
		return l.unresolved(n, "Fn::Join needs a delimiter and a list")
	}
	parts := make([]string, 0, len(items))
	for _, it := range items {
		s, ok := toStr(it)
		if !ok {
			if it == nil {
				s = ""
			} else {
				return l.unresolved(n, "Fn::Join: an element is not a string")
			}
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, ds)
}

func (l *loader) selectFn(n *node, arg *node) any {
	if arg.kind != kSeq || len(arg.items) != 2 {
		return l.unresolved(n, "Fn::Select needs an index and a list")
	}
	iv, list := l.eval(arg.items[0]), l.eval(arg.items[1])
	if u := firstUnres(iv); u != nil {
		return l.wrap(n, u)
	}
	is, _ := toStr(iv)
	idx, err := strconv.Atoi(is)
	if err != nil {
		return l.unresolved(n, "Fn::Select needs a whole-number index")
	}
	items, ok := list.([]any)
	if !ok {
		return l.wrap(n, list2unres(list, "Fn::Select needs a list"))
	}
	if idx < 0 || idx >= len(items) {
		l.warn(n.line, fmt.Sprintf("Fn::Select index %d is out of range (list of %d)", idx, len(items)))
		return l.unresolved(n, "Fn::Select index out of range")
	}
	return l.wrap(n, items[idx])
}

func list2unres(v any, reason string) *unres {
	if u := firstUnres(v); u != nil {
		return u
	}
	return &unres{reason: reason}
}

func (l *loader) findInMap(n *node, arg *node) any {
	if arg.kind != kSeq || len(arg.items) < 3 {
		return l.unresolved(n, "Fn::FindInMap needs a map name and two keys")
	}
	var keys [3]string
	for i := 0; i < 3; i++ {
		v := l.eval(arg.items[i])
		if u := firstUnres(v); u != nil {
			return l.wrap(n, u)
		}
		s, ok := toStr(v)
		if !ok {
			return l.unresolved(n, "Fn::FindInMap keys must be strings")
		}
		keys[i] = s
	}
	if v := l.mappings.get(keys[0]).get(keys[1]).get(keys[2]); v != nil {
		return l.wrap(n, l.eval(v))
	}
	if len(arg.items) > 3 {
		if d := arg.items[3].get("DefaultValue"); d != nil {
			return l.wrap(n, l.eval(d))
		}
	}
	l.warn(n.line, fmt.Sprintf("Fn::FindInMap: no entry %s/%s/%s in Mappings", keys[0], keys[1], keys[2]))
	return l.unresolved(n, fmt.Sprintf("no entry %s/%s/%s in Mappings", keys[0], keys[1], keys[2]))
}

// condition decides a named condition, remembering the outcome.
func (l *loader) condition(name string, line int) (tri, string) {
	if c, ok := l.condMemo[name]; ok {
		return c.t, c.why
	}
	if l.condVisiting[name] {
		return unknown, "condition " + name + " refers to itself"
	}
	n := l.conds.get(name)
	if n == nil {
		l.warn(line, "no condition named "+name+" in Conditions")
		return unknown, "no condition named " + name
	}
	l.condVisiting[name] = true
	t, why := l.condExpr(n)
	delete(l.condVisiting, name)
	l.condMemo[name] = condResult{t, why}
	return t, why
}

type condResult struct {
	t   tri
	why string
}

// condExpr decides a condition expression from parameter defaults.
func (l *loader) condExpr(n *node) (tri, string) {
	l.steps++
	if l.steps > maxSteps {
		return unknown, "evaluation limit reached"
	}
	if n.kind == kMap && len(n.keys) == 1 {
		arg := n.vals[0]
		args := []*node{arg}
		if arg.kind == kSeq {
			args = arg.items
		}
		switch n.keys[0] {
		case "Fn::Equals":
			if len(args) != 2 {
				return unknown, "Fn::Equals needs two values"
			}
			a, b := l.eval(args[0]), l.eval(args[1])
			if u := firstUnres(a, b); u != nil {
				return unknown, u.reason
			}
			if equal(a, b) {
				return yes, ""
			}
			return no, ""
		case "Fn::Not":
			if len(args) != 1 {
				return unknown, "Fn::Not needs one condition"
			}
			t, why := l.condExpr(args[0])
			switch t {
			case yes:
				return no, ""
			case no:
				return yes, ""
			}
			return unknown, why
		case "Fn::And", "Fn::Or":
			and := n.keys[0] == "Fn::And"
			out, why := yes, ""
			if !and {
				out = no
			}
			for _, a := range args {
				t, w := l.condExpr(a)
				switch {
				case and && t == no:
					return no, ""
				case !and && t == yes:
					return yes, ""
				case t == unknown && out != unknown:
					out, why = unknown, w
				}
			}
			return out, why
		case "Condition":
			name, ok := arg.str()
			if !ok {
				return unknown, "Condition needs a name"
			}
			return l.condition(name, n.line)
		}
	}
	v := l.eval(n)
	if u := firstUnres(v); u != nil {
		return unknown, u.reason
	}
	switch s, _ := toStr(v); strings.ToLower(s) {
	case "true":
		return yes, ""
	case "false":
		return no, ""
	}
	return unknown, "not a condition: " + l.render(n)
}

// equal compares values as Fn::Equals does: as strings.
func equal(a, b any) bool {
	la, okA := a.([]any)
	lb, okB := b.([]any)
	if okA || okB {
		if !okA || !okB || len(la) != len(lb) {
			return false
		}
		for i := range la {
			if !equal(la[i], lb[i]) {
				return false
			}
		}
		return true
	}
	if a == nil {
		a = ""
	}
	if b == nil {
		b = ""
	}
	sa, ok1 := toStr(a)
	sb, ok2 := toStr(b)
	return ok1 && ok2 && sa == sb
}
