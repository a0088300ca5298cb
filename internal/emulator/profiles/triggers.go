package profiles

import (
	"encoding/json"

	"github.com/p2c/p2c/internal/emulator/core"
)

func init() {
	register(map[string]handler{
		"CreateEventTrigger": createTrigger, "GetEventTrigger": getTrigger, "UpdateEventTrigger": updateTrigger,
		"DeleteEventTrigger": deleteTrigger, "ListEventTriggers": listTriggers,
	})
}

var triggerMembers = []string{"ObjectTypeName", "Description", "EventTriggerConditions", "SegmentFilter", "EventTriggerLimits"}

// periodUnits are the units the current API takes; botocore 1.43.11 lacks
// MINUTES (and caps Value at 24), the Go SDK and the API docs have it.
var periodUnits = map[string]float64{"MINUTES": 60, "HOURS": 24, "DAYS": 24, "WEEKS": 24, "MONTHS": 24}

// relaxPeriods rewrites the event-trigger periods of a request body into
// what the embedded model validates, returning the original limits for
// the handler to check and keep. ok is false when there are none.
func relaxPeriods(body []byte) (relaxed []byte, limits map[string]any, ok bool) {
	var m map[string]any
	if json.Unmarshal(body, &m) != nil {
		return body, nil, false
	}
	lim, _ := m["EventTriggerLimits"].(map[string]any)
	periods, _ := lim["Periods"].([]any)
	if len(periods) == 0 {
		return body, nil, false
	}
	orig := core.DeepCopy(lim).(map[string]any)
	for _, p := range periods {
		pm, _ := p.(map[string]any)
		if pm == nil {
			continue
		}
		if pm["Unit"] == "MINUTES" {
			pm["Unit"] = "HOURS"
		}
		if v, _ := pm["Value"].(float64); v > 24 && v <= 60 {
			pm["Value"] = float64(24)
		}
	}
	b, err := json.Marshal(m)
	if err != nil {
		return body, nil, false
	}
	return b, orig, true
}

func checkPeriods(lim map[string]any) *core.Error {
	for i, p := range list(lim, "Periods") {
		pm, _ := p.(map[string]any)
		unit := core.Str(pm, "Unit")
		max, ok := periodUnits[unit]
		if !ok {
			return badRequest("EventTriggerLimits.Periods[%d].Unit %q is not one of MINUTES, HOURS, DAYS, WEEKS, MONTHS", i, unit)
		}
		if v := num(pm, "Value"); v < 1 || v > max {
			return badRequest("EventTriggerLimits.Periods[%d].Value %v is outside 1..%v for %s", i, v, max, unit)
		}
	}
	return nil
}

func (d *domain) checkTrigger(in map[string]any) *core.Error {
	if t := core.Str(in, "ObjectTypeName"); t != "" && d.types[t] == nil {
		return badRequest("Object type %s does not exist in domain %s", t, d.name)
	}
	if sf := core.Str(in, "SegmentFilter"); sf != "" && d.segments[sf] == nil {
		return badRequest("Segment definition %s used as SegmentFilter does not exist in domain %s", sf, d.name)
	}
	if lim := core.Obj(in, "EventTriggerLimits"); lim != nil {
		return checkPeriods(lim)
	}
	return nil
}

func createTrigger(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	d, err := r.domain(core.Str(in, "DomainName"))
	if err != nil {
		return nil, err
	}
	name := core.Str(in, "EventTriggerName")
	if d.triggers[name] != nil {
		return nil, badRequest("Event trigger %s already exists", name)
	}
	if len(d.triggers) >= maxEventTriggers {
		return nil, badRequest("The domain has reached the maximum of %d event triggers", maxEventTriggers)
	}
	if err := d.checkTrigger(in); err != nil {
		return nil, err
	}
	tags, err := tagsOf(in["Tags"])
	if err != nil {
		return nil, err
	}
	now := stamp(c.Now)
	o := map[string]any{"EventTriggerName": name, "CreatedAt": now, "LastUpdatedAt": now, "Tags": tags}
	for _, k := range triggerMembers {
		if v, ok := in[k]; ok {
			o[k] = core.DeepCopy(v)
		}
	}
	d.triggers[name] = o
	return copyMap(o), nil
}

func (d *domain) trigger(name string) (map[string]any, *core.Error) {
	o := d.triggers[name]
	if o == nil {
		return nil, notFound("Event trigger %s not found in domain %s", name, d.name)
	}
	return o, nil
}

func getTrigger(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	d, err := r.domain(core.Str(in, "DomainName"))
	if err != nil {
		return nil, err
	}
	o, err := d.trigger(core.Str(in, "EventTriggerName"))
	if err != nil {
		return nil, err
	}
	return copyMap(o), nil
}

func updateTrigger(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	d, err := r.domain(core.Str(in, "DomainName"))
	if err != nil {
		return nil, err
	}
	o, err := d.trigger(core.Str(in, "EventTriggerName"))
	if err != nil {
		return nil, err
	}
	if err := d.checkTrigger(in); err != nil {
		return nil, err
	}
	for _, k := range triggerMembers {
		if v, ok := in[k]; ok {
			o[k] = core.DeepCopy(v)
		}
	}
	o["LastUpdatedAt"] = stamp(c.Now)
	return copyMap(o), nil
}

func deleteTrigger(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	d, err := r.domain(core.Str(in, "DomainName"))
	if err != nil {
		return nil, err
	}
	name := core.Str(in, "EventTriggerName")
	if _, err := d.trigger(name); err != nil {
		return nil, err
	}
	delete(d.triggers, name)
	return message("Event trigger " + name + " was deleted."), nil
}

func listTriggers(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	d, err := r.domain(core.Str(in, "DomainName"))
	if err != nil {
		return nil, err
	}
	var items []any
	for _, n := range sortedKeys(d.triggers) {
		items = append(items, copyMap(d.triggers[n]))
	}
	return listPage("event-triggers/"+d.name, items, in)
}
