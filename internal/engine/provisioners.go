package engine

import (
	"context"
	"fmt"
	"strconv"

	"github.com/p2c/p2c/internal/target"
)

// Outputs are the identifiers a step recorded: "arn", "id", "version",
// "name" (what {{step:ID.ATTR}} placeholders and rollback read).
type Outputs map[string]string

// found is an existing target resource a lookup returned.
type found struct {
	Outputs Outputs
	// Raw is the answer of a Get lookup; Outputs are then read from it
	// as from the create's answer.
	Raw map[string]any
	// Tags are the resource's tags; nil when the kind has none.
	Tags map[string]string
}

// reader makes the read-only calls of lookups.
type reader func(ctx context.Context, service, op string, input map[string]any) (map[string]any, error)

// provisioner knows one create operation: how to find what it makes
// before creating it, what to record from its answer, and how to undo it.
type provisioner struct {
	// find looks the step's resource up by its deterministic name; nil,
	// nil when it does not exist.
	find func(ctx context.Context, read reader, in map[string]any) (*found, error)
	// ids picks the identifiers from the create's input and output.
	ids func(in, out map[string]any) Outputs
	// undo is the call that removes the resource (nil: nothing to undo).
	undo func(in map[string]any, o Outputs) (op string, input map[string]any)
	// put: the operation sets a state idempotently (activate, limits); it
	// is simply made again instead of looked up.
	put bool
	// child: the resource lives inside one an earlier step of the plan
	// made (a template version), so finding it needs no ownership tag.
	child bool
	// check: a read-only prerequisite check (a no-op step); its failure
	// means a prerequisite is missing.
	check bool
}

// provisioners by service and operation.
var provisioners = map[string]map[string]*provisioner{
	"customer-profiles": {
		"CreateDomain": {
			find: getter("GetDomain", "DomainName"),
			ids: func(in, out map[string]any) Outputs {
				return Outputs{"id": str(in, "DomainName"), "name": str(in, "DomainName")}
			},
			undo: deleter("DeleteDomain", "DomainName"),
		},
		"PutProfileObjectType": {
			find: getter("GetProfileObjectType", "DomainName", "ObjectTypeName"),
			ids: func(in, out map[string]any) Outputs {
				return Outputs{"id": str(in, "ObjectTypeName"), "name": str(in, "ObjectTypeName")}
			},
			undo: deleter("DeleteProfileObjectType", "DomainName", "ObjectTypeName"),
		},
		"CreateCalculatedAttributeDefinition": {
			find: getter("GetCalculatedAttributeDefinition", "DomainName", "CalculatedAttributeName"),
			ids: func(in, out map[string]any) Outputs {
				return Outputs{"id": str(in, "CalculatedAttributeName"), "name": str(in, "CalculatedAttributeName")}
			},
			undo: deleter("DeleteCalculatedAttributeDefinition", "DomainName", "CalculatedAttributeName"),
		},
		"CreateSegmentDefinition": {
			find: getter("GetSegmentDefinition", "DomainName", "SegmentDefinitionName"),
			ids: func(in, out map[string]any) Outputs {
				return Outputs{"id": str(in, "SegmentDefinitionName"), "name": str(in, "SegmentDefinitionName"), "arn": str(out, "SegmentDefinitionArn")}
			},
			undo: deleter("DeleteSegmentDefinition", "DomainName", "SegmentDefinitionName"),
		},
		"CreateEventTrigger": {
			find: getter("GetEventTrigger", "DomainName", "EventTriggerName"),
			ids: func(in, out map[string]any) Outputs {
				return Outputs{"id": str(in, "EventTriggerName"), "name": str(in, "EventTriggerName")}
			},
			undo: deleter("DeleteEventTrigger", "DomainName", "EventTriggerName"),
		},
	},
	"qconnect": {
		"CreateKnowledgeBase": {
			find: func(ctx context.Context, read reader, in map[string]any) (*found, error) {
				kb, err := findInList(ctx, read, "ListKnowledgeBases", map[string]any{}, "knowledgeBaseSummaries", "nextToken",
					func(s map[string]any) bool { return str(s, "name") == str(in, "name") })
				if kb == nil || err != nil {
					return nil, err
				}
				return &found{Outputs: kbIDs(kb), Tags: tagMap(kb["tags"])}, nil
			},
			ids: func(in, out map[string]any) Outputs { return kbIDs(obj(out, "knowledgeBase")) },
			undo: func(in map[string]any, o Outputs) (string, map[string]any) {
				return "DeleteKnowledgeBase", M{"knowledgeBaseId": o["id"]}
			},
		},
		"CreateMessageTemplate": {
			find: func(ctx context.Context, read reader, in map[string]any) (*found, error) {
				t, err := findInList(ctx, read, "ListMessageTemplates", M{"knowledgeBaseId": in["knowledgeBaseId"]}, "messageTemplateSummaries", "nextToken",
					func(s map[string]any) bool { return str(s, "name") == str(in, "name") })
				if t == nil || err != nil {
					return nil, err
				}
				return &found{Outputs: tplIDs(t), Tags: tagMap(t["tags"])}, nil
			},
			ids: func(in, out map[string]any) Outputs { return tplIDs(obj(out, "messageTemplate")) },
			undo: func(in map[string]any, o Outputs) (string, map[string]any) {
				return "DeleteMessageTemplate", M{"knowledgeBaseId": in["knowledgeBaseId"], "messageTemplateId": o["id"]}
			},
		},
		"CreateMessageTemplateVersion": {
			child: true,
			find: func(ctx context.Context, read reader, in map[string]any) (*found, error) {
				// The template is new and p2c publishes one version of it:
				// any version there is that one.
				var first map[string]any
				_, err := findInList(ctx, read, "ListMessageTemplateVersions", M{"knowledgeBaseId": in["knowledgeBaseId"], "messageTemplateId": in["messageTemplateId"]},
					"messageTemplateVersionSummaries", "nextToken", func(s map[string]any) bool {
						if first == nil || num(s, "versionNumber") < num(first, "versionNumber") {
							first = s
						}
						return false
					})
				if first == nil || err != nil {
					return nil, err
				}
				return &found{Outputs: Outputs{"id": str(first, "messageTemplateId"), "arn": str(first, "messageTemplateArn"),
					"version": strconv.Itoa(num(first, "versionNumber"))}}, nil
			},
			ids: func(in, out map[string]any) Outputs {
				t := obj(out, "messageTemplate")
				return Outputs{"id": str(t, "messageTemplateId"), "arn": str(t, "messageTemplateArn"), "version": strconv.Itoa(num(t, "versionNumber"))}
			},
		},
		"ActivateMessageTemplate": {
			put: true,
			ids: func(in, out map[string]any) Outputs {
				return Outputs{"id": str(out, "messageTemplateId"), "arn": str(out, "messageTemplateArn"), "version": strconv.Itoa(num(out, "versionNumber"))}
			},
		},
	},
	"connect": {
		"CreateIntegrationAssociation": {
			find: func(ctx context.Context, read reader, in map[string]any) (*found, error) {
				a, err := findInList(ctx, read, "ListIntegrationAssociations",
					M{"InstanceId": in["InstanceId"], "IntegrationType": in["IntegrationType"], "IntegrationArn": in["IntegrationArn"]},
					"IntegrationAssociationSummaryList", "NextToken", func(s map[string]any) bool {
						return str(s, "IntegrationType") == str(in, "IntegrationType") && str(s, "IntegrationArn") == str(in, "IntegrationArn")
					})
				if a == nil || err != nil {
					return nil, err
				}
				return withConnectTags(ctx, read, Outputs{"id": str(a, "IntegrationAssociationId"), "arn": str(a, "IntegrationAssociationArn")})
			},
			ids: func(in, out map[string]any) Outputs {
				return Outputs{"id": str(out, "IntegrationAssociationId"), "arn": str(out, "IntegrationAssociationArn")}
			},
			undo: func(in map[string]any, o Outputs) (string, map[string]any) {
				return "DeleteIntegrationAssociation", M{"InstanceId": in["InstanceId"], "IntegrationAssociationId": o["id"]}
			},
		},
		"ImportPhoneNumber": {
			find: func(ctx context.Context, read reader, in map[string]any) (*found, error) {
				n, err := findInList(ctx, read, "ListPhoneNumbersV2", M{"InstanceId": in["InstanceId"]}, "ListPhoneNumbersSummaryList", "NextToken",
					func(s map[string]any) bool { return str(s, "SourcePhoneNumberArn") == str(in, "SourcePhoneNumberArn") })
				if n == nil || err != nil {
					return nil, err
				}
				return withConnectTags(ctx, read, Outputs{"id": str(n, "PhoneNumberId"), "arn": str(n, "PhoneNumberArn")})
			},
			ids: func(in, out map[string]any) Outputs {
				return Outputs{"id": str(out, "PhoneNumberId"), "arn": str(out, "PhoneNumberArn")}
			},
			undo: func(in map[string]any, o Outputs) (string, map[string]any) {
				return "ReleasePhoneNumber", M{"PhoneNumberId": o["id"]}
			},
		},
		"CreateEmailAddress": {
			find: func(ctx context.Context, read reader, in map[string]any) (*found, error) {
				e, err := findInList(ctx, read, "SearchEmailAddresses", M{"InstanceId": in["InstanceId"]}, "EmailAddresses", "NextToken",
					func(s map[string]any) bool { return str(s, "EmailAddress") == str(in, "EmailAddress") })
				if e == nil || err != nil {
					return nil, err
				}
				d, err := read(ctx, "connect", "DescribeEmailAddress", M{"InstanceId": in["InstanceId"], "EmailAddressId": str(e, "EmailAddressId")})
				if err != nil {
					return nil, err
				}
				return &found{Outputs: Outputs{"id": str(e, "EmailAddressId"), "arn": str(e, "EmailAddressArn")}, Tags: tagMap(d["Tags"])}, nil
			},
			ids: func(in, out map[string]any) Outputs {
				return Outputs{"id": str(out, "EmailAddressId"), "arn": str(out, "EmailAddressArn")}
			},
			undo: func(in map[string]any, o Outputs) (string, map[string]any) {
				return "DeleteEmailAddress", M{"InstanceId": in["InstanceId"], "EmailAddressId": o["id"]}
			},
		},
	},
	"connectcampaignsv2": {
		"CreateCampaign": {
			find: func(ctx context.Context, read reader, in map[string]any) (*found, error) {
				c, err := findInList(ctx, read, "ListCampaigns",
					M{"filters": M{"instanceIdFilter": M{"value": in["connectInstanceId"], "operator": "Eq"}}},
					"campaignSummaryList", "nextToken", func(s map[string]any) bool { return str(s, "name") == str(in, "name") })
				if c == nil || err != nil {
					return nil, err
				}
				d, err := read(ctx, "connectcampaignsv2", "DescribeCampaign", M{"id": str(c, "id")})
				if err != nil {
					return nil, err
				}
				return &found{Outputs: Outputs{"id": str(c, "id"), "arn": str(c, "arn"), "name": str(c, "name")}, Tags: tagMap(obj(d, "campaign")["tags"])}, nil
			},
			ids: func(in, out map[string]any) Outputs {
				return Outputs{"id": str(out, "id"), "arn": str(out, "arn"), "name": str(in, "name")}
			},
			// Rollback stops a running campaign before it deletes it.
			undo: func(in map[string]any, o Outputs) (string, map[string]any) { return "DeleteCampaign", M{"id": o["id"]} },
		},
		"PutInstanceCommunicationLimits": {
			put: true,
			ids: func(in, out map[string]any) Outputs { return Outputs{"id": str(in, "connectInstanceId")} },
		},
	},
	"sesv2": {
		"GetConfigurationSet": {
			check: true,
			ids: func(in, out map[string]any) Outputs {
				return Outputs{"id": str(in, "ConfigurationSetName"), "name": str(in, "ConfigurationSetName")}
			},
		},
		"CreateConfigurationSetEventDestination": {
			find: func(ctx context.Context, read reader, in map[string]any) (*found, error) {
				out, err := read(ctx, "sesv2", "GetConfigurationSetEventDestinations", M{"ConfigurationSetName": in["ConfigurationSetName"]})
				if err != nil {
					return nil, err
				}
				for _, d := range list(out, "EventDestinations") {
					if dm, _ := d.(map[string]any); str(dm, "Name") == str(in, "EventDestinationName") {
						return &found{Outputs: Outputs{"id": str(dm, "Name"), "name": str(dm, "Name")}}, nil
					}
				}
				return nil, nil
			},
			ids: func(in, out map[string]any) Outputs {
				return Outputs{"id": str(in, "EventDestinationName"), "name": str(in, "EventDestinationName")}
			},
			undo: deleter("DeleteConfigurationSetEventDestination", "ConfigurationSetName", "EventDestinationName"),
		},
	},
	"pinpoint-sms-voice-v2": {
		"CreateEventDestination": {
			find: func(ctx context.Context, read reader, in map[string]any) (*found, error) {
				out, err := read(ctx, "pinpoint-sms-voice-v2", "DescribeConfigurationSets", M{"ConfigurationSetNames": []any{in["ConfigurationSetName"]}})
				if err != nil {
					return nil, err
				}
				for _, cs := range list(out, "ConfigurationSets") {
					for _, d := range list(asMap(cs), "EventDestinations") {
						if dm := asMap(d); str(dm, "EventDestinationName") == str(in, "EventDestinationName") {
							return &found{Outputs: Outputs{"id": str(dm, "EventDestinationName"), "name": str(dm, "EventDestinationName"),
								"arn": str(asMap(cs), "ConfigurationSetArn")}}, nil
						}
					}
				}
				return nil, nil
			},
			ids: func(in, out map[string]any) Outputs {
				return Outputs{"id": str(in, "EventDestinationName"), "name": str(in, "EventDestinationName"), "arn": str(out, "ConfigurationSetArn")}
			},
			undo: deleter("DeleteEventDestination", "ConfigurationSetName", "EventDestinationName"),
		},
	},
}

// notFoundCodes are the error codes of a lookup that finds nothing.
var notFoundCodes = []string{"ResourceNotFoundException", "NotFoundException"}

// getter looks a resource up with a Get operation keyed by input members.
func getter(op string, keys ...string) func(context.Context, reader, map[string]any) (*found, error) {
	return func(ctx context.Context, read reader, in map[string]any) (*found, error) {
		q := M{}
		for _, k := range keys {
			q[k] = in[k]
		}
		out, err := read(ctx, "", op, q)
		if target.IsCode(err, notFoundCodes...) {
			return nil, nil
		}
		if err != nil {
			return nil, err
		}
		t := tagMap(out["Tags"])
		if t == nil {
			t = map[string]string{}
		}
		return &found{Raw: out, Tags: t}, nil
	}
}

// deleter undoes a create with a Delete operation keyed by input members.
func deleter(op string, keys ...string) func(map[string]any, Outputs) (string, map[string]any) {
	return func(in map[string]any, _ Outputs) (string, map[string]any) {
		q := M{}
		for _, k := range keys {
			q[k] = in[k]
		}
		return op, q
	}
}

// findInList pages through a list operation and returns the first item
// match accepts.
func findInList(ctx context.Context, read reader, op string, in map[string]any, items, next string, match func(map[string]any) bool) (map[string]any, error) {
	q := M{}
	for k, v := range in {
		q[k] = v
	}
	for page := 0; page < 1000; page++ {
		out, err := read(ctx, "", op, q)
		if target.IsCode(err, notFoundCodes...) {
			return nil, nil
		}
		if err != nil {
			return nil, err
		}
		for _, it := range list(out, items) {
			if m := asMap(it); m != nil && match(m) {
				return m, nil
			}
		}
		tok := str(out, next)
		if tok == "" {
			return nil, nil
		}
		q[next] = tok
	}
	return nil, fmt.Errorf("%s: more than 1000 pages", op)
}

// withConnectTags completes a Connect lookup with the resource's tags.
func withConnectTags(ctx context.Context, read reader, o Outputs) (*found, error) {
	out, err := read(ctx, "connect", "ListTagsForResource", M{"resourceArn": o["arn"]})
	if err != nil {
		return nil, err
	}
	t := tagMap(out["tags"])
	if t == nil {
		t = map[string]string{}
	}
	return &found{Outputs: o, Tags: t}, nil
}

func kbIDs(kb map[string]any) Outputs {
	return Outputs{"id": str(kb, "knowledgeBaseId"), "arn": str(kb, "knowledgeBaseArn"), "name": str(kb, "name")}
}

func tplIDs(t map[string]any) Outputs {
	return Outputs{"id": str(t, "messageTemplateId"), "arn": str(t, "messageTemplateArn"), "name": str(t, "name")}
}

// M is a JSON object.
type M = map[string]any

func str(m map[string]any, k string) string {
	switch v := m[k].(type) {
	case string:
		return v
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case fmt.Stringer:
		return v.String()
	}
	return ""
}

func num(m map[string]any, k string) int {
	switch v := m[k].(type) {
	case float64:
		return int(v)
	case interface{ Int64() (int64, error) }:
		n, _ := v.Int64()
		return int(n)
	}
	return 0
}

func obj(m map[string]any, k string) map[string]any { return asMap(m[k]) }

func asMap(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}

func list(m map[string]any, k string) []any {
	l, _ := m[k].([]any)
	return l
}

// tagMap reads tags as a map, or as a list of {Key, Value}.
func tagMap(v any) map[string]string {
	switch t := v.(type) {
	case map[string]any:
		out := make(map[string]string, len(t))
		for k, val := range t {
			s, _ := val.(string)
			out[k] = s
		}
		return out
	case []any:
		out := map[string]string{}
		for _, it := range t {
			m := asMap(it)
			out[str(m, "Key")] = str(m, "Value")
		}
		return out
	}
	return nil
}
