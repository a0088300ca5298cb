package connect

import (
	"crypto/sha256"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/p2c/p2c/internal/emulator/core"
)

func init() {
	register(map[string]handler{
		"ImportPhoneNumber":   importPhoneNumber,
		"DescribePhoneNumber": describePhoneNumber,
		"ListPhoneNumbersV2":  listPhoneNumbersV2,
		"ReleasePhoneNumber":  releasePhoneNumber,
	})
}

// importSettleReads is how many DescribePhoneNumber calls see an import
// IN_PROGRESS before it is CLAIMED: Connect imports asynchronously and
// documents polling DescribePhoneNumber, so clients must wait for it.
const importSettleReads = 1

// churnWindow and churnFactor model the documented claim/release limit: one
// can import and then release up to 200% of the phone-number quota in a
// rolling 180 days before further imports are blocked.
const (
	churnWindow = 180 * 24 * time.Hour
	churnFactor = 2
)

type phoneNumber struct {
	id           string
	arn          string
	instanceID   string
	obj          map[string]any // ClaimedPhoneNumberSummary without PhoneNumberStatus
	pendingReads int
}

// eumNumberARN is an End User Messaging SMS and voice phone-number ARN.
var eumNumberARN = regexp.MustCompile(`^arn:aws[a-z-]*:sms-voice:([a-z0-9-]+):(\d{12}):phone-number/([A-Za-z0-9_-]+)$`)

// connectNumberType maps an End User Messaging number type to Connect's.
func connectNumberType(eum string) string {
	switch eum {
	case "TOLL_FREE":
		return "TOLL_FREE"
	case "SHORT_CODE":
		return "SHORT_CODE"
	}
	return "DID"
}

func importPhoneNumber(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	if out, ok, err := r.idempotent(c.Op, in); ok || err != nil {
		return out, err
	}
	inst, err := r.instance(core.Str(in, "InstanceId"))
	if err != nil {
		return nil, err
	}
	src := core.Str(in, "SourcePhoneNumberArn")
	m := eumNumberARN.FindStringSubmatch(src)
	if m == nil {
		return nil, invalidParam("SourcePhoneNumberArn %s is not an AWS End User Messaging phone number ARN (arn:aws:sms-voice:<region>:<account>:phone-number/<id>)", src)
	}
	if m[1] != r.name {
		return nil, invalidParam("The phone number %s is in %s; it can only be imported into an instance in the same Region (%s)", src, m[1], r.name)
	}
	if m[2] != c.Account {
		return nil, core.Errf(403, "AccessDeniedException", "The phone number %s belongs to another account", src)
	}
	for _, nid := range r.numOrder {
		if n := r.numbers[nid]; core.Str(n.obj, "SourcePhoneNumberArn") == src {
			return nil, invalidParam("The phone number %s is already imported as %s", src, n.id)
		}
	}
	num := Number{PhoneNumber: synthNumber(src), IsoCountryCode: "US", NumberType: "LONG_CODE", Status: "ACTIVE"}
	if s.lookup != nil {
		found, ok := s.lookup(r.name, src)
		if !ok {
			return nil, notFound("The End User Messaging phone number %s was not found", src)
		}
		num = found
	}
	if num.Status != "" && num.Status != "ACTIVE" {
		return nil, invalidParam("The End User Messaging phone number %s is %s; only ACTIVE numbers can be imported", src, num.Status)
	}
	held := 0
	for _, n := range r.numbers {
		if n.instanceID == inst.id {
			held++
		}
	}
	if held >= s.limits.PhoneNumbersPerInst {
		// The operation declares no quota error; Connect's generic one is
		// assumed.
		return nil, core.Errf(402, "ServiceQuotaExceededException", "The instance %s already has the maximum of %d phone numbers", inst.id, s.limits.PhoneNumbersPerInst)
	}
	if r.recentReleases(s.now()) >= churnFactor*s.limits.PhoneNumbersPerInst {
		return nil, core.Errf(402, "ServiceQuotaExceededException", "Phone numbers released in the last 180 days exceed 200%% of the phone number quota; open a support case to import more")
	}
	tags := tagsOf(in, "Tags")
	if err := checkTags(s, tags); err != nil {
		return nil, err
	}
	id := s.newUUID(r.name, "phone-number")
	a := arn(r.name, "phone-number/"+id)
	o := map[string]any{
		"PhoneNumberId": id, "PhoneNumberArn": a, "PhoneNumber": num.PhoneNumber,
		"PhoneNumberCountryCode": num.IsoCountryCode, "PhoneNumberType": connectNumberType(num.NumberType),
		"TargetArn": inst.arn, "InstanceId": inst.id, "SourcePhoneNumberArn": src, "Tags": tags,
	}
	if d, ok := in["PhoneNumberDescription"]; ok {
		o["PhoneNumberDescription"] = d
	}
	r.numbers[id] = &phoneNumber{id: id, arn: a, instanceID: inst.id, obj: o, pendingReads: importSettleReads}
	r.numOrder = append(r.numOrder, id)
	r.byArn[a] = o
	out := map[string]any{"PhoneNumberId": id, "PhoneNumberArn": a}
	r.remember(c.Op, in, out)
	return out, nil
}

// synthNumber makes up a stable number for an ARN when no End User
// Messaging lookup is connected; +1 555 is not a real area code.
func synthNumber(src string) string {
	sum := sha256.Sum256([]byte(src))
	n := (uint32(sum[0])<<16 | uint32(sum[1])<<8 | uint32(sum[2])) % 10000000
	return fmt.Sprintf("+1555%07d", n)
}

func (r *region) recentReleases(now time.Time) int {
	n := 0
	for _, t := range r.releases {
		if now.Sub(t) < churnWindow {
			n++
		}
	}
	return n
}

// number finds a number by id or ARN.
func (r *region) number(ref string) (*phoneNumber, *core.Error) {
	id := ref
	if strings.HasPrefix(ref, "arn:") {
		_, id, _ = strings.Cut(ref, ":phone-number/")
	}
	n := r.numbers[id]
	if n == nil {
		return nil, notFound("Phone number not found: %s", ref)
	}
	return n, nil
}

func describePhoneNumber(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	n, err := r.number(core.Str(in, "PhoneNumberId"))
	if err != nil {
		return nil, err
	}
	o := copyMap(n.obj)
	status := "CLAIMED"
	if n.pendingReads > 0 {
		n.pendingReads--
		status = "IN_PROGRESS"
	}
	o["PhoneNumberStatus"] = map[string]any{"Status": status}
	return map[string]any{"ClaimedPhoneNumberSummary": o}, nil
}

func listPhoneNumbersV2(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	target := core.Str(in, "TargetArn")
	instID := ""
	if ref := core.Str(in, "InstanceId"); ref != "" {
		if target != "" {
			return nil, invalidParam("Specify either TargetArn or InstanceId, not both")
		}
		inst, err := r.instance(ref)
		if err != nil {
			return nil, err
		}
		instID = inst.id
	}
	if target != "" {
		inst, err := r.instance(target)
		if err != nil {
			return nil, err
		}
		instID = inst.id
	}
	countries := stringSet(list(in, "PhoneNumberCountryCodes"))
	types := stringSet(list(in, "PhoneNumberTypes"))
	prefix := strings.TrimPrefix(core.Str(in, "PhoneNumberPrefix"), "+")
	var items []any
	for _, id := range r.numOrder {
		n := r.numbers[id]
		switch {
		case instID != "" && n.instanceID != instID,
			len(countries) > 0 && !countries[core.Str(n.obj, "PhoneNumberCountryCode")],
			len(types) > 0 && !types[core.Str(n.obj, "PhoneNumberType")],
			prefix != "" && !strings.HasPrefix(strings.TrimPrefix(core.Str(n.obj, "PhoneNumber"), "+"), prefix):
			continue
		}
		items = append(items, n.obj)
	}
	p, next, err := page("phone-numbers", items, in, 100, "InvalidParameterException")
	if err != nil {
		return nil, err
	}
	if p == nil {
		p = []any{}
	}
	return withNext(map[string]any{"ListPhoneNumbersSummaryList": p}, next), nil
}

func releasePhoneNumber(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	n, err := r.number(core.Str(in, "PhoneNumberId"))
	if err != nil {
		return nil, err
	}
	r.dropNumber(n)
	r.releases = append(r.releases, s.now())
	return nil, nil
}

// dropNumber removes a number from Connect; it stays in End User Messaging.
func (r *region) dropNumber(n *phoneNumber) {
	delete(r.numbers, n.id)
	delete(r.byArn, n.arn)
	r.numOrder = remove(r.numOrder, n.id)
}

func stringSet(l []any) map[string]bool {
	out := map[string]bool{}
	for _, v := range l {
		if s, ok := v.(string); ok {
			out[s] = true
		}
	}
	return out
}
