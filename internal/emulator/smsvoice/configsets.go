package smsvoice

import (
	"slices"

	"github.com/p2c/p2c/internal/emulator/core"
)

type configSet struct {
	ConfigurationSetArn           string
	ConfigurationSetName          string
	EventDestinations             []*eventDestination
	DefaultMessageType            string `json:",omitempty"`
	DefaultSenderId               string `json:",omitempty"`
	DefaultMessageFeedbackEnabled bool
	CreatedTimestamp              epoch

	tags []tag
}

type eventDestination struct {
	EventDestinationName       string
	Enabled                    bool
	MatchingEventTypes         []string
	CloudWatchLogsDestination  *cloudWatchLogsDestination  `json:",omitempty"`
	KinesisFirehoseDestination *kinesisFirehoseDestination `json:",omitempty"`
	SnsDestination             *snsDestination             `json:",omitempty"`
}

type cloudWatchLogsDestination struct {
	IamRoleArn  string
	LogGroupArn string
}

type kinesisFirehoseDestination struct {
	IamRoleArn        string
	DeliveryStreamArn string
}

type snsDestination struct {
	TopicArn string
}

// maxEventDestinations caps event destinations per configuration set (the
// EVENT_DESTINATIONS_PER_CONFIGURATION_SET quota; 5 is our reading of the
// quotas page, not re-checked).
const maxEventDestinations = 5

type createConfigurationSetIn struct {
	ConfigurationSetName string
	Tags                 []tag
	ClientToken          *string
}

func createConfigurationSet(r *region, c *core.Call, in *createConfigurationSetIn) (any, *core.Error) {
	return r.idempotent(c, in.ClientToken, func() (any, *core.Error) {
		if _, ok := r.configSets.get(in.ConfigurationSetName); ok {
			return nil, conflict("RESOURCE_ALREADY_EXISTS", "configuration-set", in.ConfigurationSetName, "Configuration set %s already exists.", in.ConfigurationSetName)
		}
		cs := &configSet{
			ConfigurationSetArn: arn(c, "configuration-set", in.ConfigurationSetName), ConfigurationSetName: in.ConfigurationSetName,
			EventDestinations: []*eventDestination{}, CreatedTimestamp: epoch(c.Now), tags: in.Tags,
		}
		r.configSets.put(cs.ConfigurationSetName, cs)
		return withTags(cs, cs.tags), nil
	})
}

func (r *region) configSet(c *core.Call, v string) (*configSet, *core.Error) {
	name, ok := fromARN(c, "configuration-set", v)
	cs, found := r.configSets.get(name)
	if !ok || !found {
		return nil, notFound("configuration-set", v)
	}
	return cs, nil
}

type deleteConfigurationSetIn struct {
	ConfigurationSetName string
}

func deleteConfigurationSet(r *region, c *core.Call, in *deleteConfigurationSetIn) (any, *core.Error) {
	cs, e := r.configSet(c, in.ConfigurationSetName)
	if e != nil {
		return nil, e
	}
	r.configSets.del(cs.ConfigurationSetName)
	return cs, nil
}

type describeConfigurationSetsIn struct {
	paging
	ConfigurationSetNames []string
	Filters               []filter
}

func describeConfigurationSets(r *region, c *core.Call, in *describeConfigurationSetsIn) (any, *core.Error) {
	var items []*configSet
	if len(in.ConfigurationSetNames) > 0 {
		for _, v := range in.ConfigurationSetNames {
			cs, e := r.configSet(c, v)
			if e != nil {
				return nil, e
			}
			items = append(items, cs)
		}
	} else {
		items = r.configSets.list()
	}
	items = slices.DeleteFunc(items, func(cs *configSet) bool {
		return !match(in.Filters, func(name string) []string {
			switch name {
			case "event-destination-name":
				var out []string
				for _, d := range cs.EventDestinations {
					out = append(out, d.EventDestinationName)
				}
				return out
			case "matching-event-types":
				var out []string
				for _, d := range cs.EventDestinations {
					out = append(out, d.MatchingEventTypes...)
				}
				return out
			case "default-message-type":
				return one(cs.DefaultMessageType)
			case "default-sender-id":
				return one(cs.DefaultSenderId)
			case "default-message-feedback-enabled":
				return boolStr(cs.DefaultMessageFeedbackEnabled)
			}
			return nil
		})
	})
	pg, next, e := page("DescribeConfigurationSets", in.paging, items)
	if e != nil {
		return nil, e
	}
	return map[string]any{"ConfigurationSets": pg, "NextToken": nonEmpty(next)}, nil
}

type createEventDestinationIn struct {
	ConfigurationSetName       string
	EventDestinationName       string
	MatchingEventTypes         []string
	CloudWatchLogsDestination  *cloudWatchLogsDestination
	KinesisFirehoseDestination *kinesisFirehoseDestination
	SnsDestination             *snsDestination
	ClientToken                *string
}

func createEventDestination(r *region, c *core.Call, in *createEventDestinationIn) (any, *core.Error) {
	return r.idempotent(c, in.ClientToken, func() (any, *core.Error) {
		cs, e := r.configSet(c, in.ConfigurationSetName)
		if e != nil {
			return nil, e
		}
		n := 0
		for _, set := range []bool{in.CloudWatchLogsDestination != nil, in.KinesisFirehoseDestination != nil, in.SnsDestination != nil} {
			if set {
				n++
			}
		}
		if n != 1 {
			return nil, invalid("INVALID_PARAMETER", "Exactly one of CloudWatchLogsDestination, KinesisFirehoseDestination and SnsDestination must be given.",
				"CloudWatchLogsDestination", "KinesisFirehoseDestination", "SnsDestination")
		}
		for _, d := range cs.EventDestinations {
			if d.EventDestinationName == in.EventDestinationName {
				return nil, conflict("RESOURCE_ALREADY_EXISTS", "event-destination", in.EventDestinationName, "Event destination %s already exists in %s.", in.EventDestinationName, cs.ConfigurationSetName)
			}
		}
		if len(cs.EventDestinations) >= maxEventDestinations {
			return nil, quotaExceeded("EVENT_DESTINATIONS_PER_CONFIGURATION_SET", "Configuration set "+cs.ConfigurationSetName+" already has the maximum number of event destinations.")
		}
		d := &eventDestination{
			EventDestinationName: in.EventDestinationName, Enabled: true, MatchingEventTypes: slices.Clone(in.MatchingEventTypes),
			CloudWatchLogsDestination: in.CloudWatchLogsDestination, KinesisFirehoseDestination: in.KinesisFirehoseDestination,
			SnsDestination: in.SnsDestination,
		}
		cs.EventDestinations = append(cs.EventDestinations, d)
		return map[string]any{"ConfigurationSetArn": cs.ConfigurationSetArn, "ConfigurationSetName": cs.ConfigurationSetName, "EventDestination": d}, nil
	})
}

type deleteEventDestinationIn struct {
	ConfigurationSetName string
	EventDestinationName string
}

func deleteEventDestination(r *region, c *core.Call, in *deleteEventDestinationIn) (any, *core.Error) {
	cs, e := r.configSet(c, in.ConfigurationSetName)
	if e != nil {
		return nil, e
	}
	i := slices.IndexFunc(cs.EventDestinations, func(d *eventDestination) bool { return d.EventDestinationName == in.EventDestinationName })
	if i < 0 {
		return nil, notFound("event-destination", in.EventDestinationName)
	}
	d := cs.EventDestinations[i]
	cs.EventDestinations = slices.Delete(cs.EventDestinations, i, i+1)
	return map[string]any{"ConfigurationSetArn": cs.ConfigurationSetArn, "ConfigurationSetName": cs.ConfigurationSetName, "EventDestination": d}, nil
}
