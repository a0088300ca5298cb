package profiles

import (
	"encoding/json"
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/p2c/p2c/internal/emulator/core"
)

func init() {
	register(map[string]handler{
		"CreateCalculatedAttributeDefinition": createCalc, "GetCalculatedAttributeDefinition": getCalc,
		"UpdateCalculatedAttributeDefinition": updateCalc, "DeleteCalculatedAttributeDefinition": deleteCalc,
		"ListCalculatedAttributeDefinitions": listCalcs, "GetCalculatedAttributeForProfile": getCalcForProfile,
		"ListCalculatedAttributesForProfile": listCalcsForProfile,
	})
}

// refRE finds the {ObjectType.field} references of an expression.
var refRE = regexp.MustCompile(`\{([A-Za-z_][A-Za-z_0-9-]*)\.([^{}\s]+)\}`)

func createCalc(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	d, err := r.domain(core.Str(in, "DomainName"))
	if err != nil {
		return nil, err
	}
	name := core.Str(in, "CalculatedAttributeName")
	if d.calcs[name] != nil {
		return nil, badRequest("Calculated attribute definition %s already exists", name)
	}
	if len(d.calcs) >= maxCalculatedAttrs {
		return nil, badRequest("The domain has reached the maximum of %d calculated attribute definitions", maxCalculatedAttrs)
	}
	details := core.Obj(in, "AttributeDetails")
	expr := core.Str(details, "Expression")
	refs := refRE.FindAllStringSubmatch(expr, -1)
	if len(refs) == 0 {
		return nil, badRequest("Expression %q references no {ObjectType.attribute}", expr)
	}
	names := map[string]bool{}
	for _, a := range list(details, "Attributes") {
		names[core.Str(a.(map[string]any), "Name")] = true
	}
	typ := refs[0][1]
	for _, ref := range refs {
		if ref[1] != typ {
			return nil, badRequest("Expression %q references more than one object type", expr)
		}
		if !names[ref[2]] {
			return nil, badRequest("Expression %q references %s, which is not in AttributeDetails.Attributes", expr, ref[2])
		}
	}
	if d.types[typ] == nil {
		return nil, badRequest("Object type %s referenced by the expression does not exist in domain %s", typ, d.name)
	}
	tags, err := tagsOf(in["Tags"])
	if err != nil {
		return nil, err
	}
	now := stamp(c.Now)
	o := map[string]any{"CalculatedAttributeName": name, "CreatedAt": now, "LastUpdatedAt": now, "Tags": tags,
		"Status": "COMPLETED", "Readiness": map[string]any{"ProgressPercentage": 100}}
	for _, k := range []string{"DisplayName", "Description", "AttributeDetails", "Conditions", "Filter", "Statistic", "UseHistoricalData"} {
		if v, ok := in[k]; ok {
			o[k] = core.DeepCopy(v)
		}
	}
	if o["UseHistoricalData"] == nil {
		o["UseHistoricalData"] = false
	}
	if h, _ := o["UseHistoricalData"].(bool); h {
		// Back-filling over stored objects is asynchronous in AWS: the
		// first read after creation still sees it in progress.
		o["Status"], o["Readiness"] = "IN_PROGRESS", map[string]any{"ProgressPercentage": 50, "Message": "Processing historical data"}
	}
	d.calcs[name] = o
	return copyMap(o), nil
}

func (d *domain) calc(name string) (map[string]any, *core.Error) {
	o := d.calcs[name]
	if o == nil {
		return nil, notFound("Calculated attribute definition %s not found in domain %s", name, d.name)
	}
	return o, nil
}

func getCalc(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	d, err := r.domain(core.Str(in, "DomainName"))
	if err != nil {
		return nil, err
	}
	o, err := d.calc(core.Str(in, "CalculatedAttributeName"))
	if err != nil {
		return nil, err
	}
	out := copyMap(o)
	if o["Status"] == "IN_PROGRESS" {
		o["Status"], o["Readiness"] = "COMPLETED", map[string]any{"ProgressPercentage": 100}
	}
	return out, nil
}

func updateCalc(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	d, err := r.domain(core.Str(in, "DomainName"))
	if err != nil {
		return nil, err
	}
	o, err := d.calc(core.Str(in, "CalculatedAttributeName"))
	if err != nil {
		return nil, err
	}
	for _, k := range []string{"DisplayName", "Description", "Conditions"} {
		if v, ok := in[k]; ok {
			o[k] = core.DeepCopy(v)
		}
	}
	o["LastUpdatedAt"] = stamp(c.Now)
	return copyMap(o), nil
}

func deleteCalc(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	d, err := r.domain(core.Str(in, "DomainName"))
	if err != nil {
		return nil, err
	}
	name := core.Str(in, "CalculatedAttributeName")
	if _, err := d.calc(name); err != nil {
		return nil, err
	}
	delete(d.calcs, name)
	return nil, nil
}

func listCalcs(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	d, err := r.domain(core.Str(in, "DomainName"))
	if err != nil {
		return nil, err
	}
	var items []any
	for _, n := range sortedKeys(d.calcs) {
		items = append(items, copyMap(d.calcs[n])) // pruned to the list item shape on the way out
	}
	return listPage("calculated-attributes/"+d.name, items, in)
}

func getCalcForProfile(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	d, err := r.domain(core.Str(in, "DomainName"))
	if err != nil {
		return nil, err
	}
	p, err := d.profile(core.Str(in, "ProfileId"))
	if err != nil {
		return nil, err
	}
	def, err := d.calc(core.Str(in, "CalculatedAttributeName"))
	if err != nil {
		return nil, err
	}
	return d.calcItem(def, p, nil, c.Now), nil
}

func listCalcsForProfile(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	d, err := r.domain(core.Str(in, "DomainName"))
	if err != nil {
		return nil, err
	}
	p, err := d.profile(core.Str(in, "ProfileId"))
	if err != nil {
		return nil, err
	}
	var items []any
	for _, n := range sortedKeys(d.calcs) {
		items = append(items, d.calcItem(d.calcs[n], p, nil, c.Now))
	}
	return listPage("calculated-attributes/"+d.name+"/"+p.id, items, in)
}

func (d *domain) calcItem(def map[string]any, p *profile, rng map[string]any, now time.Time) map[string]any {
	out := map[string]any{"CalculatedAttributeName": def["CalculatedAttributeName"], "IsDataPartial": "false"}
	if v, ok := def["DisplayName"]; ok {
		out["DisplayName"] = v
	}
	v, ok, last := d.calcValue(def, p, rng, now)
	if ok {
		out["Value"] = v
	}
	if !last.IsZero() {
		out["LastObjectTimestamp"] = stamp(last)
	}
	return out
}

// calcValue computes a calculated attribute for a profile over its stored
// objects. rng, when set, overrides the definition's Conditions.Range (a
// segment dimension's ConditionOverrides). ok is false when there is no
// value (no object to aggregate, except for COUNT).
func (d *domain) calcValue(def map[string]any, p *profile, rng map[string]any, now time.Time) (val string, ok bool, last time.Time) {
	details := core.Obj(def, "AttributeDetails")
	expr := core.Str(details, "Expression")
	refs := refRE.FindAllStringSubmatch(expr, -1)
	if len(refs) == 0 {
		return "", false, last
	}
	typ := refs[0][1]
	cond := core.Obj(def, "Conditions")
	if rng == nil {
		rng = core.Obj(cond, "Range")
	}
	objs := d.objectsOf(p, typ)

	type sample struct {
		v  string
		at time.Time
	}
	var samples []sample
	for _, o := range objs {
		var src map[string]any
		_ = json.Unmarshal([]byte(o.raw), &src)
		field := func(name string) string {
			if v, ok := o.fields[name]; ok {
				return v
			}
			return pathValue(src, name)
		}
		if f := core.Obj(def, "Filter"); f != nil && !filterMatch(f, field) {
			continue
		}
		at := o.at
		if ts := refRE.FindStringSubmatch(core.Str(rng, "TimestampSource")); ts != nil {
			if t, ok := parseStamp(field(ts[2]), core.Str(rng, "TimestampFormat")); ok {
				at = t
			}
		}
		if rng != nil && !inRange(rng, at, now) {
			continue
		}
		v, ok := exprValue(expr, field)
		if !ok {
			continue
		}
		samples = append(samples, sample{v, at})
	}
	sort.SliceStable(samples, func(i, j int) bool { return samples[i].at.Before(samples[j].at) })
	if n := int(num(cond, "ObjectCount")); n > 0 && len(samples) > n {
		samples = samples[len(samples)-n:]
	}
	if len(samples) > 0 {
		last = samples[len(samples)-1].at
	}
	stat := core.Str(def, "Statistic")
	if len(samples) == 0 && stat != "COUNT" {
		return "", false, last
	}
	var nums []float64
	for _, s := range samples {
		if f, err := strconv.ParseFloat(s.v, 64); err == nil {
			nums = append(nums, f)
		}
	}
	numeric := func(f func([]float64) float64) (string, bool) {
		if len(nums) == 0 {
			return "", false
		}
		return strconv.FormatFloat(f(nums), 'f', -1, 64), true
	}
	switch stat {
	case "COUNT":
		val, ok = strconv.Itoa(len(samples)), true
	case "FIRST_OCCURRENCE":
		val, ok = samples[0].v, true
	case "LAST_OCCURRENCE":
		val, ok = samples[len(samples)-1].v, true
	case "SUM":
		val, ok = numeric(func(l []float64) float64 { return sumOf(l) })
	case "AVERAGE":
		val, ok = numeric(func(l []float64) float64 { return sumOf(l) / float64(len(l)) })
	case "MINIMUM":
		val, ok = numeric(func(l []float64) float64 {
			m := math.Inf(1)
			for _, x := range l {
				m = math.Min(m, x)
			}
			return m
		})
	case "MAXIMUM":
		val, ok = numeric(func(l []float64) float64 {
			m := math.Inf(-1)
			for _, x := range l {
				m = math.Max(m, x)
			}
			return m
		})
	case "MAX_OCCURRENCE":
		counts := map[string]int{}
		for _, s := range samples {
			counts[s.v]++
			if counts[s.v] > counts[val] || val == "" {
				val = s.v
			}
		}
		ok = true
	}
	if th := core.Obj(cond, "Threshold"); ok && th != nil {
		a, _ := strconv.ParseFloat(val, 64)
		b, _ := strconv.ParseFloat(core.Str(th, "Value"), 64)
		var hit bool
		switch core.Str(th, "Operator") {
		case "EQUAL_TO":
			hit = a == b
		case "GREATER_THAN":
			hit = a > b
		case "LESS_THAN":
			hit = a < b
		case "NOT_EQUAL_TO":
			hit = a != b
		}
		val = strconv.FormatBool(hit)
	}
	return val, ok, last
}

func sumOf(l []float64) float64 {
	t := 0.0
	for _, x := range l {
		t += x
	}
	return t
}

func num(m map[string]any, k string) float64 {
	f, _ := strconv.ParseFloat(core.Str(m, k), 64)
	return f
}

// exprValue evaluates an expression for one object: a lone reference is
// the field's value as it is; anything else is arithmetic over numbers.
func exprValue(expr string, field func(string) string) (string, bool) {
	refs := refRE.FindAllStringSubmatchIndex(expr, -1)
	if len(refs) == 1 && strings.TrimSpace(expr) == expr[refs[0][0]:refs[0][1]] {
		v := field(expr[refs[0][4]:refs[0][5]])
		return v, v != ""
	}
	missing := false
	sub := refRE.ReplaceAllStringFunc(expr, func(m string) string {
		v := field(refRE.FindStringSubmatch(m)[2])
		if _, err := strconv.ParseFloat(v, 64); err != nil {
			missing = true
			return "0"
		}
		return " " + v + " "
	})
	if missing {
		return "", false
	}
	var toks []string
	for _, f := range strings.Fields(strings.NewReplacer("+", " + ", "-", " - ", "*", " * ", "/", " / ", "(", " ( ", ")", " ) ").Replace(sub)) {
		toks = append(toks, f)
	}
	f, ok := evalExpr(toks)
	if !ok {
		return "", false
	}
	return strconv.FormatFloat(f, 'f', -1, 64), true
}

// filterMatch applies a calculated attribute's Filter to one object.
func filterMatch(f map[string]any, field func(string) string) bool {
	var groups []bool
	for _, g := range list(f, "Groups") {
		gm, _ := g.(map[string]any)
		var dims []bool
		for _, dim := range list(gm, "Dimensions") {
			var conds []bool
			for name, a := range core.Obj(dim.(map[string]any), "Attributes") {
				am, _ := a.(map[string]any)
				v := field(name)
				conds = append(conds, matchDim(core.Str(am, "DimensionType"), strs(am["Values"]), v, v != ""))
			}
			dims = append(dims, combine("ALL", conds))
		}
		groups = append(groups, combine(core.Str(gm, "Type"), dims))
	}
	return combine(core.Str(f, "Include"), groups)
}

// inRange says whether a timestamp falls in a calculated attribute's
// window: the last Value days, or between ValueRange.Start and End days
// ago.
func inRange(rng map[string]any, at, now time.Time) bool {
	age := now.Sub(at).Hours() / 24
	if vr := core.Obj(rng, "ValueRange"); vr != nil {
		a, b := math.Abs(num(vr, "Start")), math.Abs(num(vr, "End"))
		lo, hi := math.Min(a, b), math.Max(a, b)
		return age >= lo && age <= hi
	}
	if _, ok := rng["Value"]; ok {
		return age <= num(rng, "Value")
	}
	return true
}

// parseStamp reads an object's timestamp field.
func parseStamp(v, format string) (time.Time, bool) {
	if v == "" {
		return time.Time{}, false
	}
	if format == "EPOCHMILLI" {
		ms, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return time.Time{}, false
		}
		return time.UnixMilli(ms).UTC(), true
	}
	return parseDate(v)
}
