package engine

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"time"

	"github.com/p2c/p2c/internal/artifact"
	"github.com/p2c/p2c/internal/awsmodel"
	"github.com/p2c/p2c/internal/blueprint"
	"github.com/p2c/p2c/internal/target"
)

// VerifyFile is verify's report in the workspace.
const VerifyFile = "verify.json"

// Verify outcomes, per step.
const (
	VerifyOK          = "ok"
	VerifyDrift       = "drift"   // changed outside p2c
	VerifyMissing     = "missing" // p2c made it and it is gone
	VerifyPrereq      = "prerequisite-not-met"
	VerifyNotRead     = "not-read"    // a setting p2c cannot read back (an activation)
	VerifyRolledBack  = "rolled-back" // removed by p2c rollback
	VerifySkipped     = "skipped"     // nothing was created
	verifyUnreadError = "error"
)

// Difference is one member that came back different from the spec.
type Difference struct {
	Path string `json:"path"`
	Want any    `json:"want"`
	Got  any    `json:"got"`
}

// VerifyStep is one step's verification.
type VerifyStep struct {
	ID          string       `json:"id"`
	Kind        string       `json:"kind"`
	Status      string       `json:"status"`
	Resource    string       `json:"resource,omitempty"`
	Differences []Difference `json:"differences,omitempty"`
	WaitsOn     []string     `json:"waitsOn,omitempty"`
	Note        string       `json:"note,omitempty"`
}

// VerifyCounts sum a verification.
type VerifyCounts struct {
	OK         int `json:"ok"`
	Drift      int `json:"drift"`
	Missing    int `json:"missing"`
	Prereq     int `json:"prerequisitesNotMet"`
	NotRead    int `json:"notRead"`
	RolledBack int `json:"rolledBack"`
	Skipped    int `json:"skipped"`
	Errors     int `json:"errors"`
}

// VerifyResult is verify.json.
type VerifyResult struct {
	Plan   string       `json:"planSha256"`
	Time   time.Time    `json:"time"`
	Passed bool         `json:"passed"`
	Counts VerifyCounts `json:"counts"`
	Steps  []VerifyStep `json:"steps"`
}

// VerifyOptions configure one verify.
type VerifyOptions struct {
	Dir string
	// Plan names the decisions pending steps wait on (optional).
	Plan    *blueprint.Plan
	Answers map[string]string
	Client  Caller
}

// readBack is how verify reads a created resource: the call, and where in
// its answer the resource is (nil: the whole answer), with the spec part
// it is compared against (nil: the whole spec).
type readBack struct {
	call func(in map[string]any, o Outputs) (op string, q map[string]any)
	// pick finds the resource in the answer; nil, false when absent.
	pick func(in map[string]any, o Outputs, out map[string]any) (map[string]any, bool)
	// want is the part of the spec the resource is compared with.
	want func(in map[string]any) map[string]any
	// ignore: spec members that are not properties of the resource
	// (identifiers of its parent, write-only options).
	ignore []string
}

func field(k string) func(map[string]any, Outputs, map[string]any) (map[string]any, bool) {
	return func(_ map[string]any, _ Outputs, out map[string]any) (map[string]any, bool) {
		m := obj(out, k)
		return m, m != nil
	}
}

func get(op string, keys ...string) func(map[string]any, Outputs) (string, map[string]any) {
	return func(in map[string]any, _ Outputs) (string, map[string]any) {
		q := M{}
		for _, k := range keys {
			q[k] = in[k]
		}
		return op, q
	}
}

// readBacks by the create's service and operation.
var readBacks = map[string]map[string]*readBack{
	"customer-profiles": {
		"CreateDomain":                        {call: get("GetDomain", "DomainName")},
		"PutProfileObjectType":                {call: get("GetProfileObjectType", "DomainName", "ObjectTypeName")},
		"CreateCalculatedAttributeDefinition": {call: get("GetCalculatedAttributeDefinition", "DomainName", "CalculatedAttributeName")},
		"CreateSegmentDefinition":             {call: get("GetSegmentDefinition", "DomainName", "SegmentDefinitionName")},
		"CreateEventTrigger":                  {call: get("GetEventTrigger", "DomainName", "EventTriggerName")},
	},
	"qconnect": {
		"CreateKnowledgeBase": {
			call: func(in map[string]any, o Outputs) (string, map[string]any) {
				return "GetKnowledgeBase", M{"knowledgeBaseId": o["id"]}
			},
			pick: field("knowledgeBase"),
		},
		"CreateMessageTemplate": {
			call: func(in map[string]any, o Outputs) (string, map[string]any) {
				return "GetMessageTemplate", M{"knowledgeBaseId": in["knowledgeBaseId"], "messageTemplateId": o["id"]}
			},
			pick:   field("messageTemplate"),
			ignore: []string{"knowledgeBaseId"},
		},
		"CreateMessageTemplateVersion": {
			call: func(in map[string]any, o Outputs) (string, map[string]any) {
				return "GetMessageTemplate", M{"knowledgeBaseId": in["knowledgeBaseId"], "messageTemplateId": o["id"] + ":" + o["version"]}
			},
			pick: field("messageTemplate"),
			// The version's content is its template's at publication:
			// the template step compares it.
			want: func(map[string]any) map[string]any { return M{} },
		},
	},
	"connect": {
		"CreateIntegrationAssociation": {
			call: func(in map[string]any, o Outputs) (string, map[string]any) {
				return "ListIntegrationAssociations", M{"InstanceId": in["InstanceId"], "IntegrationType": in["IntegrationType"]}
			},
			pick: func(in map[string]any, o Outputs, out map[string]any) (map[string]any, bool) {
				for _, it := range list(out, "IntegrationAssociationSummaryList") {
					if m := asMap(it); str(m, "IntegrationAssociationId") == o["id"] {
						return m, true
					}
				}
				return nil, false
			},
			ignore: []string{"InstanceId", "SourceApplicationUrl", "SourceApplicationName", "SourceType"},
		},
		"ImportPhoneNumber": {
			call: func(in map[string]any, o Outputs) (string, map[string]any) {
				return "DescribePhoneNumber", M{"PhoneNumberId": o["id"]}
			},
			pick:   field("ClaimedPhoneNumberSummary"),
			ignore: []string{"InstanceId", "SourcePhoneNumberArn"},
		},
		"CreateEmailAddress": {
			call: func(in map[string]any, o Outputs) (string, map[string]any) {
				return "DescribeEmailAddress", M{"InstanceId": in["InstanceId"], "EmailAddressId": o["id"]}
			},
		},
	},
	"connectcampaignsv2": {
		"CreateCampaign": {
			call: func(in map[string]any, o Outputs) (string, map[string]any) {
				return "DescribeCampaign", M{"id": o["id"]}
			},
			pick: field("campaign"),
		},
		"PutInstanceCommunicationLimits": {call: get("GetInstanceCommunicationLimits", "connectInstanceId")},
	},
	"sesv2": {
		"GetConfigurationSet": {call: get("GetConfigurationSet", "ConfigurationSetName"), want: func(map[string]any) map[string]any { return M{} }},
		"CreateConfigurationSetEventDestination": {
			call: get("GetConfigurationSetEventDestinations", "ConfigurationSetName"),
			pick: func(in map[string]any, o Outputs, out map[string]any) (map[string]any, bool) {
				for _, d := range list(out, "EventDestinations") {
					if m := asMap(d); str(m, "Name") == str(in, "EventDestinationName") {
						return m, true
					}
				}
				return nil, false
			},
			want: func(in map[string]any) map[string]any { return obj(in, "EventDestination") },
		},
	},
	"pinpoint-sms-voice-v2": {
		"CreateEventDestination": {
			call: func(in map[string]any, o Outputs) (string, map[string]any) {
				return "DescribeConfigurationSets", M{"ConfigurationSetNames": []any{in["ConfigurationSetName"]}}
			},
			pick: func(in map[string]any, o Outputs, out map[string]any) (map[string]any, bool) {
				for _, cs := range list(out, "ConfigurationSets") {
					for _, d := range list(asMap(cs), "EventDestinations") {
						if m := asMap(d); str(m, "EventDestinationName") == str(in, "EventDestinationName") {
							return m, true
						}
					}
				}
				return nil, false
			},
			ignore: []string{"ConfigurationSetName"},
		},
	},
}

// Verify reads back every resource the journal says p2c made and compares
// it with the spec apply sent. It writes verify.json in the workspace.
func Verify(ctx context.Context, o VerifyOptions) (*VerifyResult, error) {
	planSHA, recs, err := ReadJournal(o.Dir)
	if err != nil {
		return nil, err
	}
	steps := map[string]*blueprint.Step{}
	if o.Plan != nil {
		for i := range o.Plan.Steps {
			steps[o.Plan.Steps[i].ID] = &o.Plan.Steps[i]
		}
	}
	res := &VerifyResult{Plan: planSHA, Time: nowTime()}
	for _, rec := range recs {
		vs := VerifyStep{ID: rec.ID, Kind: rec.Kind}
		switch rec.Status {
		case StatusDone:
			verifyStep(ctx, o.Client, rec, &vs)
		case StatusRolledBack:
			vs.Status, vs.Note = VerifyRolledBack, "removed by p2c rollback"
		case StatusSkipped:
			vs.Status = VerifySkipped
		default:
			vs.Status = VerifyPrereq
			if st := steps[rec.ID]; st != nil {
				vs.WaitsOn = openWaits(st, o.Answers)
			}
			switch {
			case len(vs.WaitsOn) > 0:
				vs.Note = "waits on open decisions: " + strings.Join(vs.WaitsOn, ", ")
			case rec.Status == StatusFailed:
				vs.Note = "apply failed: " + rec.Error
			default:
				vs.Note = "not applied yet (" + rec.Status + ")"
			}
		}
		switch vs.Status {
		case VerifyOK:
			res.Counts.OK++
		case VerifyDrift:
			res.Counts.Drift++
		case VerifyMissing:
			res.Counts.Missing++
		case VerifyPrereq:
			res.Counts.Prereq++
		case VerifyNotRead:
			res.Counts.NotRead++
		case VerifyRolledBack:
			res.Counts.RolledBack++
		case VerifySkipped:
			res.Counts.Skipped++
		default:
			res.Counts.Errors++
		}
		res.Steps = append(res.Steps, vs)
	}
	res.Passed = res.Counts.Drift == 0 && res.Counts.Missing == 0 && res.Counts.Errors == 0
	b, err := json.MarshalIndent(res, "", "  ")
	if err != nil {
		return nil, err
	}
	if err := artifact.Write(filepath.Join(o.Dir, VerifyFile), append(b, '\n')); err != nil {
		return nil, err
	}
	return res, nil
}

// openWaits lists the open decisions a step waits on.
func openWaits(st *blueprint.Step, answers map[string]string) []string {
	var spec any
	_ = json.Unmarshal(st.Spec, &spec)
	r := &resolver{answers: answers}
	seen := map[string]bool{}
	var out []string
	for _, k := range append(append([]string(nil), st.WaitsOn...), r.openDecisions(spec)...) {
		if answers[k] == "" && !seen[k] {
			seen[k] = true
			out = append(out, k)
		}
	}
	return out
}

func verifyStep(ctx context.Context, c Caller, rec *Record, vs *VerifyStep) {
	vs.Resource = firstNonEmpty(rec.ARN, rec.ResourceID, rec.Outputs["name"])
	rb := readBacks[rec.Service][rec.Operation]
	if rb == nil {
		vs.Status, vs.Note = VerifyNotRead, fmt.Sprintf("%s %s sets a state p2c does not read back", rec.Service, rec.Operation)
		return
	}
	var in map[string]any
	if err := json.Unmarshal(rec.Input, &in); err != nil || in == nil {
		vs.Status, vs.Note = verifyUnreadError, "the journal holds no spec for this step"
		return
	}
	op, q := rb.call(in, Outputs(rec.Outputs))
	res, err := c.Call(ctx, rec.Service, rec.Region, op, q)
	if target.IsCode(err, notFoundCodes...) {
		vs.Status, vs.Note = VerifyMissing, fmt.Sprintf("%s finds nothing", op)
		return
	}
	if err != nil {
		vs.Status, vs.Note = verifyUnreadError, fmt.Sprintf("%s: %s", op, oneLine(err))
		return
	}
	got := plain(res.Output)
	if rb.pick != nil {
		var ok bool
		if got, ok = rb.pick(in, Outputs(rec.Outputs), got); !ok {
			vs.Status, vs.Note = VerifyMissing, fmt.Sprintf("%s does not list it", op)
			return
		}
	}
	want := in
	if rb.want != nil {
		want = rb.want(in)
	}
	members := outputMembers(rec.Service, op)
	skip := map[string]bool{}
	for _, k := range rb.ignore {
		skip[k] = true
	}
	var diffs []Difference
	for _, k := range sortedKeys(want) {
		// An idempotency token is a property of the call, not of the
		// resource: no read returns it.
		if skip[k] || strings.EqualFold(k, "clientToken") {
			continue
		}
		// A member the read does not define is write-only (a client
		// token, an option of the create): nothing to compare.
		if rb.pick == nil && members != nil && !members[k] {
			continue
		}
		compare(k, want[k], got[k], &diffs)
	}
	if len(diffs) > 0 {
		vs.Status, vs.Differences = VerifyDrift, diffs
		var paths []string
		for _, d := range diffs {
			paths = append(paths, d.Path)
		}
		vs.Note = "changed outside p2c: " + strings.Join(paths, ", ")
		return
	}
	vs.Status = VerifyOK
}

// outputMembers are the members of an operation's output (nil: unknown).
func outputMembers(service, op string) map[string]bool {
	m, err := awsmodel.Load(service)
	if err != nil {
		return nil
	}
	s := m.OutputShape(op)
	if s == nil {
		return nil
	}
	out := map[string]bool{}
	for k := range s.Members {
		out[k] = true
	}
	return out
}

// compare appends where got differs from want. The allowances, for what
// the services normalize:
//   - tags: the resource may carry more tags than the spec (apply adds
//     p2c:plan and p2c:step); the spec's must be there with their values;
//   - members the spec sets to an empty value (false, 0, "", {}, []) may be
//     omitted from the answer: the services drop empty members;
//   - timestamps are compared as instants (RFC 3339 with or without
//     fractions, or epoch seconds);
//   - numbers are compared as numbers (1 and 1.0 are equal);
//   - a member the answer adds (defaults, ids, times) is not drift: only
//     what the spec set is compared.
func compare(path string, want, got any, diffs *[]Difference) {
	name := path[strings.LastIndex(path, ".")+1:]
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			if got == nil && len(w) == 0 {
				return
			}
			*diffs = append(*diffs, Difference{Path: path, Want: want, Got: got})
			return
		}
		tags := name == "Tags" || name == "tags"
		for _, k := range sortedKeys(w) {
			if _, has := g[k]; !has && tags {
				*diffs = append(*diffs, Difference{Path: path + "." + k, Want: w[k], Got: nil})
				continue
			}
			compare(path+"."+k, w[k], g[k], diffs)
		}
	case []any:
		g, ok := got.([]any)
		if !ok && got == nil && len(w) == 0 {
			return
		}
		if !ok || len(g) != len(w) {
			*diffs = append(*diffs, Difference{Path: path, Want: want, Got: got})
			return
		}
		for i := range w {
			compare(fmt.Sprintf("%s[%d]", path, i), w[i], g[i], diffs)
		}
	default:
		if got == nil && isZero(want) {
			return
		}
		if !scalarEqual(want, got) {
			*diffs = append(*diffs, Difference{Path: path, Want: want, Got: got})
		}
	}
}

func isZero(v any) bool {
	switch t := v.(type) {
	case nil:
		return true
	case bool:
		return !t
	case float64:
		return t == 0
	case string:
		return t == ""
	}
	return false
}

func scalarEqual(want, got any) bool {
	if reflect.DeepEqual(want, got) {
		return true
	}
	wt, wok := instant(want)
	gt, gok := instant(got)
	return wok && gok && wt.Equal(gt)
}

// instant reads a timestamp as the services write them.
func instant(v any) (time.Time, bool) {
	switch t := v.(type) {
	case string:
		for _, f := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.000Z07:00"} {
			if ts, err := time.Parse(f, t); err == nil {
				return ts, true
			}
		}
	case float64:
		if t > 1e8 {
			sec := int64(t)
			return time.Unix(sec, int64((t-float64(sec))*1e9)).UTC().Truncate(time.Millisecond), true
		}
	}
	return time.Time{}, false
}

// plain turns an answer into plain JSON values (float64 numbers).
func plain(m map[string]any) map[string]any {
	b, err := json.Marshal(m)
	if err != nil {
		return m
	}
	var out map[string]any
	if json.Unmarshal(b, &out) != nil {
		return m
	}
	return out
}

func sortedKeys(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}
