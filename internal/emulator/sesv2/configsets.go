package sesv2

import (
	"strconv"
	"strings"

	"github.com/p2c/p2c/internal/emulator/core"
)

func init() {
	register(map[string]handler{
		"CreateConfigurationSet":                 createConfigurationSet,
		"GetConfigurationSet":                    getConfigurationSet,
		"ListConfigurationSets":                  listConfigurationSets,
		"DeleteConfigurationSet":                 deleteConfigurationSet,
		"CreateConfigurationSetEventDestination": createEventDestination,
		"GetConfigurationSetEventDestinations":   getEventDestinations,
		"UpdateConfigurationSetEventDestination": updateEventDestination,
		"DeleteConfigurationSetEventDestination": deleteEventDestination,
	})
}

type configSet struct {
	name      string
	arn       string
	obj       map[string]any // the GetConfigurationSet output without Tags
	tags      []any
	dests     map[string]map[string]any // the EventDestination shape
	destOrder []string
}

// setOptions are the option groups a configuration set stores.
var setOptions = []string{"TrackingOptions", "DeliveryOptions", "ReputationOptions", "SendingOptions", "SuppressionOptions", "VdmOptions", "ArchivingOptions"}

func createConfigurationSet(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	name := core.Str(in, "ConfigurationSetName")
	if !nameRE.MatchString(name) {
		return nil, badRequest("Invalid configuration set name %q: use up to 64 letters, digits, hyphens and underscores", name)
	}
	if r.sets[name] != nil {
		return nil, alreadyExists("Configuration set %s already exists.", name)
	}
	if d := core.Obj(in, "DeliveryOptions"); d != nil {
		if core.Str(d, "SendingPoolName") != "" {
			// The emulated account has no dedicated IP pools.
			return nil, notFound("Dedicated IP pool %s does not exist.", core.Str(d, "SendingPoolName"))
		}
		if ms := core.Str(d, "MaxDeliverySeconds"); ms != "" {
			if n, err := strconv.ParseFloat(ms, 64); err != nil || n < 300 || n > 50400 {
				return nil, badRequest("MaxDeliverySeconds must be between 300 and 50400")
			}
		}
	}
	if len(r.sets) >= s.limits.ConfigurationSets {
		return nil, limitExceeded("Maximum number of configuration sets (%d) exceeded", s.limits.ConfigurationSets)
	}
	tags, err := s.checkTags(list(in, "Tags"))
	if err != nil {
		return nil, err
	}
	// What GetConfigurationSet shows for groups left out.
	o := map[string]any{"ConfigurationSetName": name,
		"DeliveryOptions":   map[string]any{"TlsPolicy": "OPTIONAL"},
		"ReputationOptions": map[string]any{"ReputationMetricsEnabled": false},
		"SendingOptions":    map[string]any{"SendingEnabled": true}}
	for _, k := range setOptions {
		v := core.Obj(in, k)
		if v == nil {
			continue
		}
		if def := core.Obj(o, k); def != nil {
			for dk, dv := range def {
				if _, set := v[dk]; !set {
					v[dk] = dv
				}
			}
		}
		o[k] = core.DeepCopy(v)
	}
	cs := &configSet{name: name, arn: arn(r.name, "configuration-set/"+name), obj: o, tags: tags, dests: map[string]map[string]any{}}
	r.sets[name] = cs
	r.setOrder = append(r.setOrder, name)
	r.byArn[cs.arn] = &cs.tags
	return nil, nil
}

func (r *region) set(name string) (*configSet, *core.Error) {
	cs := r.sets[name]
	if cs == nil {
		return nil, notFound("Configuration set %s does not exist.", name)
	}
	return cs, nil
}

func getConfigurationSet(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	cs, err := r.set(core.Str(in, "ConfigurationSetName"))
	if err != nil {
		return nil, err
	}
	out := core.DeepCopy(cs.obj).(map[string]any)
	out["Tags"] = core.DeepCopy(cs.tags)
	return out, nil
}

func listConfigurationSets(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	filter := core.Obj(in, "Filter")
	for k := range filter {
		if k != "CONFIGURATION_SET_NAME_CONTAINS" {
			return nil, badRequest("Unknown filter %s: use CONFIGURATION_SET_NAME_CONTAINS", k)
		}
	}
	items := make([]any, 0, len(r.setOrder))
	for _, n := range r.setOrder {
		if f := core.Str(filter, "CONFIGURATION_SET_NAME_CONTAINS"); f != "" && !strings.Contains(strings.ToLower(n), strings.ToLower(f)) {
			continue
		}
		items = append(items, n)
	}
	p, next, err := listPage("configuration-sets", items, in)
	if err != nil {
		return nil, err
	}
	return withNext(map[string]any{"ConfigurationSets": p}, next), nil
}

func deleteConfigurationSet(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	cs, err := r.set(core.Str(in, "ConfigurationSetName"))
	if err != nil {
		return nil, err
	}
	delete(r.sets, cs.name)
	r.setOrder = remove(r.setOrder, cs.name)
	delete(r.byArn, cs.arn)
	return nil, nil
}

// destinationKinds are the members of which an event destination names
// exactly one.
var destinationKinds = []string{"KinesisFirehoseDestination", "CloudWatchDestination", "SnsDestination", "EventBridgeDestination", "PinpointDestination"}

// destinationARNs is the service each destination's ARN members name.
var destinationARNs = map[string]map[string]string{
	"KinesisFirehoseDestination": {"IamRoleArn": "iam", "DeliveryStreamArn": "firehose"},
	"SnsDestination":             {"TopicArn": "sns"},
	"EventBridgeDestination":     {"EventBusArn": "events"},
	"PinpointDestination":        {"ApplicationArn": "mobiletargeting"},
}

// checkDestination validates an EventDestinationDefinition.
func checkDestination(def map[string]any) *core.Error {
	if len(list(def, "MatchingEventTypes")) == 0 {
		return badRequest("MatchingEventTypes must name at least one event type")
	}
	var kinds []string
	for _, k := range destinationKinds {
		if core.Obj(def, k) != nil {
			kinds = append(kinds, k)
		}
	}
	if len(kinds) != 1 {
		return badRequest("An event destination needs exactly one destination, got %d (%s)", len(kinds), strings.Join(kinds, ", "))
	}
	for member, svc := range destinationARNs[kinds[0]] {
		v := core.Str(core.Obj(def, kinds[0]), member)
		if v == "" {
			continue
		}
		parts := strings.SplitN(v, ":", 6)
		if len(parts) != 6 || parts[0] != "arn" || parts[2] != svc {
			return badRequest("%s.%s %q is not a valid %s ARN", kinds[0], member, v, svc)
		}
	}
	return nil
}

func destination(name string, def map[string]any) map[string]any {
	d := core.DeepCopy(def).(map[string]any)
	d["Name"] = name
	if _, ok := d["Enabled"]; !ok {
		d["Enabled"] = false
	}
	return d
}

func createEventDestination(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	cs, err := r.set(core.Str(in, "ConfigurationSetName"))
	if err != nil {
		return nil, err
	}
	name := core.Str(in, "EventDestinationName")
	if !nameRE.MatchString(name) {
		return nil, badRequest("Invalid event destination name %q: use up to 64 letters, digits, hyphens and underscores", name)
	}
	if cs.dests[name] != nil {
		return nil, alreadyExists("Event destination %s already exists in configuration set %s.", name, cs.name)
	}
	def := core.Obj(in, "EventDestination")
	if err := checkDestination(def); err != nil {
		return nil, err
	}
	if len(cs.dests) >= s.limits.DestinationsPerSet {
		return nil, limitExceeded("Maximum number of event destinations (%d) for configuration set %s exceeded", s.limits.DestinationsPerSet, cs.name)
	}
	cs.dests[name] = destination(name, def)
	cs.destOrder = append(cs.destOrder, name)
	return nil, nil
}

func getEventDestinations(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	cs, err := r.set(core.Str(in, "ConfigurationSetName"))
	if err != nil {
		return nil, err
	}
	items := make([]any, 0, len(cs.destOrder))
	for _, n := range cs.destOrder {
		items = append(items, core.DeepCopy(cs.dests[n]))
	}
	return map[string]any{"EventDestinations": items}, nil
}

func (r *region) dest(in map[string]any) (*configSet, string, *core.Error) {
	cs, err := r.set(core.Str(in, "ConfigurationSetName"))
	if err != nil {
		return nil, "", err
	}
	name := core.Str(in, "EventDestinationName")
	if cs.dests[name] == nil {
		return nil, "", notFound("Event destination %s does not exist in configuration set %s.", name, cs.name)
	}
	return cs, name, nil
}

func updateEventDestination(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	cs, name, err := r.dest(in)
	if err != nil {
		return nil, err
	}
	def := core.Obj(in, "EventDestination")
	if err := checkDestination(def); err != nil {
		return nil, err
	}
	cs.dests[name] = destination(name, def)
	return nil, nil
}

func deleteEventDestination(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	cs, name, err := r.dest(in)
	if err != nil {
		return nil, err
	}
	delete(cs.dests, name)
	cs.destOrder = remove(cs.destOrder, name)
	return nil, nil
}
