// Package smsvoice emulates AWS End User Messaging SMS and voice v2
// (pinpoint-sms-voice-v2, signing name "sms-voice", JSON 1.0): the phone
// numbers, sender IDs, pools, opt-out lists, keywords, configuration sets
// and registrations that a Pinpoint migration must leave untouched but
// still needs to read and rehearse against.
package smsvoice

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/p2c/p2c/internal/awsmodel"
	"github.com/p2c/p2c/internal/emulator/core"
)

// defaultPageSize is what a describe call returns when MaxResults is left
// out. AWS does not document the value; 20 is an assumption, small enough
// that paging code is exercised with realistic inventories.
const defaultPageSize = 20

// Service is the emulated sms-voice endpoint. State is kept per region.
type Service struct {
	core.JSON10
	mu      sync.Mutex
	regions map[string]*region
}

// New returns an empty service.
func New() *Service {
	return &Service{
		JSON10:  core.JSON10{Model: awsmodel.MustLoad("pinpoint-sms-voice-v2")},
		regions: map[string]*region{},
	}
}

// Reset forgets every resource in every region.
func (s *Service) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.regions = map[string]*region{}
}

// SigningName implements core.Service.
func (s *Service) SigningName() string { return "sms-voice" }

// WriteError implements core.Service.
func (s *Service) WriteError(c *core.Call, e *core.Error) {
	if e.Code == "InternalServerException" {
		f := map[string]any{"RequestId": c.RequestID}
		for k, v := range e.Fields {
			f[k] = v
		}
		e = &core.Error{Status: e.Status, Code: e.Code, Message: e.Message, Fields: f}
	}
	core.WriteJSON10Error(c, e)
}

// Quota implements core.Service. The mutating operations' rates are those
// of the "Quotas for AWS End User Messaging SMS" page
// (https://docs.aws.amazon.com/sms-voice/latest/userguide/quotas.html):
// 1 request per second, DeleteOptedOutNumber 10. The rates of the read
// operations and of PutOptedOutNumber are an assumption (10 and 10): the
// page was not available in full when this was written.
func (s *Service) Quota(op string) float64 {
	switch {
	case op == "DeleteOptedOutNumber", op == "PutOptedOutNumber":
		return 10
	case strings.HasPrefix(op, "Describe"), strings.HasPrefix(op, "List"), strings.HasPrefix(op, "Get"):
		return 10
	default:
		return 1
	}
}

// Throttled implements core.Service: JSON 1.0 services answer 400.
func (s *Service) Throttled(op string) *core.Error {
	return core.Errf(400, "ThrottlingException", "Rate exceeded")
}

// Internal implements core.Service.
func (s *Service) Internal(op string) *core.Error {
	return core.Errf(500, "InternalServerException", "Internal server error")
}

// Retired implements core.Service: End User Messaging keeps working after
// Pinpoint's end of support.
func (s *Service) Retired(op string) *core.Error { return nil }

// handler answers one operation with the region's state locked.
type handler func(r *region, c *core.Call) (any, *core.Error)

// op adapts a typed handler: the body has already been validated against
// the model, so decoding into T only fails on a body the model accepts but
// Go cannot represent.
func op[T any](f func(r *region, c *core.Call, in *T) (any, *core.Error)) handler {
	return func(r *region, c *core.Call) (any, *core.Error) {
		var in T
		if len(bytes.TrimSpace(c.Body)) > 0 {
			if err := json.Unmarshal(c.Body, &in); err != nil {
				return nil, &core.Error{Status: 400, Code: "SerializationException", Message: "Could not parse request body: " + err.Error()}
			}
		}
		return f(r, c, &in)
	}
}

var handlers = map[string]handler{
	"RequestPhoneNumber":              op(requestPhoneNumber),
	"ReleasePhoneNumber":              op(releasePhoneNumber),
	"DescribePhoneNumbers":            op(describePhoneNumbers),
	"RequestSenderId":                 op(requestSenderID),
	"ReleaseSenderId":                 op(releaseSenderID),
	"DescribeSenderIds":               op(describeSenderIDs),
	"CreatePool":                      op(createPool),
	"DeletePool":                      op(deletePool),
	"DescribePools":                   op(describePools),
	"AssociateOriginationIdentity":    op(associateOriginationIdentity),
	"DisassociateOriginationIdentity": op(disassociateOriginationIdentity),
	"ListPoolOriginationIdentities":   op(listPoolOriginationIdentities),
	"PutKeyword":                      op(putKeyword),
	"DeleteKeyword":                   op(deleteKeyword),
	"DescribeKeywords":                op(describeKeywords),
	"CreateConfigurationSet":          op(createConfigurationSet),
	"DeleteConfigurationSet":          op(deleteConfigurationSet),
	"DescribeConfigurationSets":       op(describeConfigurationSets),
	"CreateEventDestination":          op(createEventDestination),
	"DeleteEventDestination":          op(deleteEventDestination),
	"CreateOptOutList":                op(createOptOutList),
	"DeleteOptOutList":                op(deleteOptOutList),
	"DescribeOptOutLists":             op(describeOptOutLists),
	"PutOptedOutNumber":               op(putOptedOutNumber),
	"DeleteOptedOutNumber":            op(deleteOptedOutNumber),
	"DescribeOptedOutNumbers":         op(describeOptedOutNumbers),
	"CreateRegistration":              op(createRegistration),
	"PutRegistrationFieldValue":       op(putRegistrationFieldValue),
	"DescribeRegistrationFieldValues": op(describeRegistrationFieldValues),
	"DescribeRegistrations":           op(describeRegistrations),
	"DescribeAccountAttributes":       op(describeAccountAttributes),
	"DescribeSpendLimits":             op(describeSpendLimits),
	"TagResource":                     op(tagResource),
	"UntagResource":                   op(untagResource),
	"ListTagsForResource":             op(listTagsForResource),
}

// Serve implements core.Service.
func (s *Service) Serve(c *core.Call) {
	if _, e := s.Input(c); e != nil {
		s.WriteError(c, e)
		return
	}
	h := handlers[c.Op]
	if h == nil {
		s.WriteError(c, invalid("UNKNOWN_OPERATION", fmt.Sprintf("The emulator does not implement %s.", c.Op)))
		return
	}
	s.mu.Lock()
	r := s.regions[c.Region]
	if r == nil {
		r = newRegion(c.Region)
		s.regions[c.Region] = r
	}
	out, e := h(r, c)
	s.mu.Unlock()
	if e != nil {
		s.WriteError(c, e)
		return
	}
	body, err := s.shape(c.Op, out)
	if err != nil {
		s.WriteError(c, core.Errf(500, "InternalServerException", "encode %s result: %v", c.Op, err))
		return
	}
	core.WriteJSONWithType(c, 200, body, "application/x-amz-json-1.0")
}

// shape turns a handler's result into the operation's output: only the
// members the output shape defines survive, so stored resources can be
// returned as they are.
func (s *Service) shape(op string, out any) (any, error) {
	if out == nil {
		return map[string]any{}, nil
	}
	b, err := json.Marshal(out)
	if err != nil {
		return nil, err
	}
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		return nil, err
	}
	if o := s.Model.Operations[op]; o != nil && o.Output != nil {
		v = s.Model.Prune(o.Output.Shape, v)
	}
	return dropNulls(v), nil
}

// dropNulls removes members whose value is null: AWS leaves absent members
// out rather than sending null.
func dropNulls(v any) any {
	switch t := v.(type) {
	case map[string]any:
		for k, x := range t {
			if x == nil {
				delete(t, k)
				continue
			}
			t[k] = dropNulls(x)
		}
	case []any:
		for i, x := range t {
			t[i] = dropNulls(x)
		}
	}
	return v
}

// epoch is a timestamp on the wire: seconds since the epoch as a JSON
// number, as the JSON protocols send them.
type epoch time.Time

func (t epoch) MarshalJSON() ([]byte, error) {
	ms := time.Time(t).UnixMilli()
	return []byte(fmt.Sprintf("%d.%03d", ms/1000, ms%1000)), nil
}

// newID returns prefix followed by 32 lowercase hex digits, the shape of
// End User Messaging resource ids (phone-…, pool-…, registration-…).
// Ids and numbers come from the region's seeded generator, so that a seed
// applied to a fresh emulator always yields the same account (stable
// golden files, reproducible rehearsals).
func (r *region) newID(prefix string) string {
	var b [16]byte
	for i := range b {
		b[i] = byte(r.rng.UintN(256))
	}
	return prefix + hex.EncodeToString(b[:])
}

func arn(c *core.Call, kind, id string) string {
	return fmt.Sprintf("arn:aws:sms-voice:%s:%s:%s/%s", c.Region, core.Account, kind, id)
}

// fromARN returns the resource part of an sms-voice ARN of the given kind
// in the caller's region and account ("phone-number" → "phone-…"), or the
// value itself when it is not an ARN. ok is false for an ARN of another
// kind, region or account.
func fromARN(c *core.Call, kind, v string) (string, bool) {
	if !strings.HasPrefix(v, "arn:") {
		return v, true
	}
	parts := strings.SplitN(v, ":", 6)
	if len(parts) != 6 || parts[2] != "sms-voice" || parts[3] != c.Region || parts[4] != core.Account {
		return "", false
	}
	k, id, ok := strings.Cut(parts[5], "/")
	if !ok || k != kind {
		return "", false
	}
	return id, true
}

// Errors, shaped as the model's exception structures.

func notFound(kind, id string) *core.Error {
	return &core.Error{Status: 400, Code: "ResourceNotFoundException",
		Message: fmt.Sprintf("The %s %q does not exist.", kind, id),
		Fields:  map[string]any{"ResourceType": kind, "ResourceId": id}}
}

func conflict(reason, kind, id, format string, args ...any) *core.Error {
	return &core.Error{Status: 400, Code: "ConflictException", Message: fmt.Sprintf(format, args...),
		Fields: map[string]any{"Reason": reason, "ResourceType": kind, "ResourceId": id}}
}

func invalid(reason, msg string, fields ...string) *core.Error {
	e := &core.Error{Status: 400, Code: "ValidationException", Message: msg, Fields: map[string]any{"Reason": reason}}
	if len(fields) > 0 {
		var fs []any
		for _, f := range fields {
			fs = append(fs, map[string]any{"Name": f, "Message": msg})
		}
		e.Fields["Fields"] = fs
	}
	return e
}

func quotaExceeded(reason, msg string) *core.Error {
	return &core.Error{Status: 400, Code: "ServiceQuotaExceededException", Message: msg, Fields: map[string]any{"Reason": reason}}
}

// paging is the part every describe request shares.
type paging struct {
	NextToken  *string
	MaxResults *int
	Owner      string
}

// page cuts one page of items. list names the listing (and its scope) so
// that a token from one listing is refused by another.
func page[T any](list string, p paging, items []T) ([]T, string, *core.Error) {
	size := defaultPageSize
	if p.MaxResults != nil {
		size = *p.MaxResults
	}
	token := ""
	if p.NextToken != nil {
		token = *p.NextToken
	}
	out, next, e := core.Page(list, items, token, size)
	if e != nil {
		return nil, "", invalid("INVALID_NEXT_TOKEN", "The NextToken is invalid or expired.", "NextToken")
	}
	if out == nil {
		out = []T{}
	}
	return out, next, nil
}

// filter is the Name/Values pair every describe call's Filters hold.
type filter struct {
	Name   string
	Values []string
}

// match reports whether an item passes every filter: for each filter, one
// of the item's values for that name must be among the filter's values.
func match(filters []filter, values func(name string) []string) bool {
	for _, f := range filters {
		have := values(f.Name)
		ok := false
		for _, h := range have {
			for _, w := range f.Values {
				if h == w {
					ok = true
				}
			}
		}
		if !ok {
			return false
		}
	}
	return true
}

func boolStr(b bool) []string {
	if b {
		return []string{"true"}
	}
	return []string{"false"}
}

func one(s string) []string {
	if s == "" {
		return nil
	}
	return []string{s}
}

type tag struct {
	Key   string
	Value string
}

// mergeTags applies add over have, replacing values of existing keys.
func mergeTags(have, add []tag) []tag {
	out := append([]tag(nil), have...)
	for _, t := range add {
		replaced := false
		for i := range out {
			if out[i].Key == t.Key {
				out[i].Value = t.Value
				replaced = true
			}
		}
		if !replaced {
			out = append(out, t)
		}
	}
	return out
}

func tagList(t []tag) []tag {
	if t == nil {
		return []tag{}
	}
	return t
}

// withTags returns v's JSON members plus Tags, for create results.
func withTags(v any, tags []tag) map[string]any {
	b, _ := json.Marshal(v)
	m := map[string]any{}
	_ = json.Unmarshal(b, &m)
	m["Tags"] = tagList(tags)
	return m
}
