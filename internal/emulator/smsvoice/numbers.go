package smsvoice

import (
	"fmt"
	"slices"
	"strings"

	"github.com/p2c/p2c/internal/emulator/core"
)

type phoneNumber struct {
	PhoneNumberArn              string
	PhoneNumberId               string
	PhoneNumber                 string
	Status                      string
	IsoCountryCode              string
	MessageType                 string
	NumberCapabilities          []string
	NumberType                  string
	MonthlyLeasingPrice         string
	TwoWayEnabled               bool
	SelfManagedOptOutsEnabled   bool
	OptOutListName              string
	InternationalSendingEnabled bool
	DeletionProtectionEnabled   bool
	PoolId                      string `json:",omitempty"`
	RegistrationId              string `json:",omitempty"`
	CreatedTimestamp            epoch

	tags []tag
}

type senderID struct {
	SenderIdArn               string
	SenderId                  string
	IsoCountryCode            string
	MessageTypes              []string
	MonthlyLeasingPrice       string
	DeletionProtectionEnabled bool
	Registered                bool
	RegistrationId            string `json:",omitempty"`

	pool string
	tags []tag
}

type pool struct {
	PoolArn                   string
	PoolId                    string
	Status                    string
	MessageType               string
	TwoWayEnabled             bool
	SelfManagedOptOutsEnabled bool
	OptOutListName            string
	SharedRoutesEnabled       bool
	DeletionProtectionEnabled bool
	CreatedTimestamp          epoch

	members []member
	tags    []tag
}

// member is an origination identity in a pool: a phone number id, or a
// sender id key (SenderId/IsoCountryCode).
type member struct {
	phone  string
	sender string
}

type keyword struct {
	Keyword        string
	KeywordMessage string
	KeywordAction  string
}

// callingCodes are the countries phone numbers can be requested in.
var callingCodes = map[string]string{
	"US": "1", "CA": "1", "GB": "44", "AU": "61", "DE": "49", "FR": "33", "IN": "91",
	"JP": "81", "BR": "55", "MX": "52", "ES": "34", "IT": "39", "NL": "31", "SE": "46",
	"SG": "65", "ZA": "27", "IE": "353", "NZ": "64", "PH": "63", "HK": "852", "KR": "82",
	"PL": "48", "BE": "32", "CH": "41", "AT": "43", "DK": "45", "NO": "47", "FI": "358",
	"PT": "351", "IL": "972", "AR": "54", "CO": "57", "CL": "56", "PE": "51",
}

func (r *region) digits(n int) string {
	var b strings.Builder
	for range n {
		b.WriteByte(byte('0' + r.rng.IntN(10)))
	}
	return b.String()
}

// newNumber invents an E.164 number of the right shape for the country and
// number type, unique in the region.
func (r *region) newNumber(country, numberType string) string {
	cc := callingCodes[country]
	for {
		var n string
		switch {
		case cc == "1" && numberType == "TOLL_FREE":
			n = "+1" + []string{"833", "844", "855", "866", "877", "888"}[int(r.digits(1)[0]-'0')%6] + r.digits(7)
		case cc == "1" && numberType == "SIMULATOR":
			n = "+1206555" + r.digits(4)
		case cc == "1":
			n = "+1" + []string{"206", "312", "415", "646", "713", "512"}[int(r.digits(1)[0]-'0')%6] + r.digits(7)
		default:
			n = "+" + cc + "7" + r.digits(8)
		}
		taken := false
		for _, p := range r.phones.list() {
			if p.PhoneNumber == n {
				taken = true
			}
		}
		if !taken {
			return n
		}
	}
}

// leasingPrice is the monthly price (USD) reported for a number. The
// values are illustrative, not AWS's price list.
func leasingPrice(country, numberType string) string {
	switch numberType {
	case "SIMULATOR":
		return "0.00"
	case "TOLL_FREE", "TEN_DLC":
		return "2.00"
	}
	if country == "US" || country == "CA" {
		return "1.00"
	}
	return "3.00"
}

func defaultKeywords() *store[keyword] {
	s := newStore[keyword]()
	s.put("HELP", &keyword{Keyword: "HELP", KeywordAction: "AUTOMATIC_RESPONSE",
		KeywordMessage: "Reply STOP to stop receiving messages. Msg&data rates may apply."})
	s.put("STOP", &keyword{Keyword: "STOP", KeywordAction: "OPT_OUT",
		KeywordMessage: "You have been unsubscribed and will receive no further messages."})
	return s
}

type requestPhoneNumberIn struct {
	IsoCountryCode              string
	MessageType                 string
	NumberCapabilities          []string
	NumberType                  string
	OptOutListName              *string
	PoolId                      *string
	RegistrationId              *string
	InternationalSendingEnabled bool
	DeletionProtectionEnabled   bool
	Tags                        []tag
	ClientToken                 *string
}

func requestPhoneNumber(r *region, c *core.Call, in *requestPhoneNumberIn) (any, *core.Error) {
	return r.idempotent(c, in.ClientToken, func() (any, *core.Error) {
		if _, ok := callingCodes[in.IsoCountryCode]; !ok {
			return nil, invalid("INVALID_PARAMETER", fmt.Sprintf("Phone numbers cannot be requested in %s.", in.IsoCountryCode), "IsoCountryCode")
		}
		switch {
		case in.NumberType == "TOLL_FREE" && in.IsoCountryCode != "US" && in.IsoCountryCode != "CA",
			(in.NumberType == "TEN_DLC" || in.NumberType == "SIMULATOR") && in.IsoCountryCode != "US":
			return nil, invalid("INVALID_PARAMETER", fmt.Sprintf("Number type %s is not available in %s.", in.NumberType, in.IsoCountryCode), "NumberType")
		}
		var p *pool
		if in.PoolId != nil {
			id, ok := fromARN(c, "pool", *in.PoolId)
			found := false
			p, found = r.pools.get(id)
			if !ok || !found {
				return nil, notFound("pool", *in.PoolId)
			}
			if p.MessageType != in.MessageType {
				return nil, conflict("MESSAGE_TYPE_MISMATCH", "pool", p.PoolId, "The pool's message type %s differs from %s.", p.MessageType, in.MessageType)
			}
		}
		l, e := r.optOutList(c, in.OptOutListName)
		if e != nil {
			return nil, e
		}
		var regID string
		if in.RegistrationId != nil {
			id, ok := fromARN(c, "registration", *in.RegistrationId)
			reg, found := r.regs.get(id)
			if !ok || !found {
				return nil, notFound("registration", *in.RegistrationId)
			}
			regID = reg.RegistrationId
		}
		id := r.newID("phone-")
		n := &phoneNumber{
			PhoneNumberArn: arn(c, "phone-number", id), PhoneNumberId: id,
			PhoneNumber: r.newNumber(in.IsoCountryCode, in.NumberType), Status: "ACTIVE",
			IsoCountryCode: in.IsoCountryCode, MessageType: in.MessageType,
			NumberCapabilities: slices.Clone(in.NumberCapabilities), NumberType: in.NumberType,
			MonthlyLeasingPrice:         leasingPrice(in.IsoCountryCode, in.NumberType),
			OptOutListName:              l.OptOutListName,
			InternationalSendingEnabled: in.InternationalSendingEnabled,
			DeletionProtectionEnabled:   in.DeletionProtectionEnabled,
			RegistrationId:              regID,
			CreatedTimestamp:            epoch(c.Now),
			tags:                        in.Tags,
		}
		r.phones.put(id, n)
		r.keywords[id] = defaultKeywords()
		if p != nil {
			n.PoolId = p.PoolId
			p.members = append(p.members, member{phone: id})
		}
		return withTags(n, n.tags), nil
	})
}

type releasePhoneNumberIn struct {
	PhoneNumberId string
}

func (r *region) phone(c *core.Call, v string) (*phoneNumber, *core.Error) {
	id, ok := fromARN(c, "phone-number", v)
	n, found := r.phones.get(id)
	if !ok || !found {
		return nil, notFound("phone-number", v)
	}
	return n, nil
}

func releasePhoneNumber(r *region, c *core.Call, in *releasePhoneNumberIn) (any, *core.Error) {
	n, e := r.phone(c, in.PhoneNumberId)
	if e != nil {
		return nil, e
	}
	if n.DeletionProtectionEnabled {
		return nil, conflict("DELETION_PROTECTION_ENABLED", "phone-number", n.PhoneNumberId, "Phone number %s has deletion protection enabled.", n.PhoneNumberId)
	}
	if n.PoolId != "" {
		return nil, conflict("PHONE_NUMBER_ASSOCIATED_TO_POOL", "phone-number", n.PhoneNumberId, "Phone number %s is associated with pool %s.", n.PhoneNumberId, n.PoolId)
	}
	r.phones.del(n.PhoneNumberId)
	delete(r.keywords, n.PhoneNumberId)
	out := *n
	out.Status = "DELETED"
	return &out, nil
}

type describePhoneNumbersIn struct {
	paging
	PhoneNumberIds []string
	Filters        []filter
}

func describePhoneNumbers(r *region, c *core.Call, in *describePhoneNumbersIn) (any, *core.Error) {
	var items []*phoneNumber
	if len(in.PhoneNumberIds) > 0 {
		for _, v := range in.PhoneNumberIds {
			n, e := r.phone(c, v)
			if e != nil {
				return nil, e
			}
			items = append(items, n)
		}
	} else if in.Owner != "SHARED" {
		items = r.phones.list()
	}
	items = slices.DeleteFunc(items, func(n *phoneNumber) bool {
		return !match(in.Filters, func(name string) []string {
			switch name {
			case "status":
				return one(n.Status)
			case "iso-country-code":
				return one(n.IsoCountryCode)
			case "message-type":
				return one(n.MessageType)
			case "number-capability":
				return n.NumberCapabilities
			case "number-type":
				return one(n.NumberType)
			case "two-way-enabled":
				return boolStr(n.TwoWayEnabled)
			case "self-managed-opt-outs-enabled":
				return boolStr(n.SelfManagedOptOutsEnabled)
			case "opt-out-list-name":
				return one(n.OptOutListName)
			case "deletion-protection-enabled":
				return boolStr(n.DeletionProtectionEnabled)
			}
			return nil
		})
	})
	pg, next, e := page("DescribePhoneNumbers", in.paging, items)
	if e != nil {
		return nil, e
	}
	return map[string]any{"PhoneNumbers": pg, "NextToken": nonEmpty(next)}, nil
}

// nonEmpty turns "" into an absent member.
func nonEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// countriesWithoutSenderIDs refuse alphanumeric sender IDs outright.
var countriesWithoutSenderIDs = map[string]bool{"US": true, "CA": true}

type requestSenderIDIn struct {
	SenderId                  string
	IsoCountryCode            string
	MessageTypes              []string
	DeletionProtectionEnabled bool
	Tags                      []tag
	ClientToken               *string
}

func senderKey(id, country string) string { return id + "/" + country }

func requestSenderID(r *region, c *core.Call, in *requestSenderIDIn) (any, *core.Error) {
	return r.idempotent(c, in.ClientToken, func() (any, *core.Error) {
		if countriesWithoutSenderIDs[in.IsoCountryCode] {
			return nil, invalid("SENDER_ID_NOT_SUPPORTED", fmt.Sprintf("Sender IDs are not supported in %s.", in.IsoCountryCode), "IsoCountryCode")
		}
		k := senderKey(in.SenderId, in.IsoCountryCode)
		if _, ok := r.senderIDs.get(k); ok {
			return nil, conflict("RESOURCE_ALREADY_EXISTS", "sender-id", k, "Sender ID %s already exists in %s.", in.SenderId, in.IsoCountryCode)
		}
		types := slices.Clone(in.MessageTypes)
		if len(types) == 0 {
			types = []string{"TRANSACTIONAL", "PROMOTIONAL"}
		}
		s := &senderID{
			SenderIdArn: arn(c, "sender-id", k), SenderId: in.SenderId, IsoCountryCode: in.IsoCountryCode,
			MessageTypes: types, MonthlyLeasingPrice: "0.00",
			DeletionProtectionEnabled: in.DeletionProtectionEnabled, tags: in.Tags,
		}
		r.senderIDs.put(k, s)
		return withTags(s, s.tags), nil
	})
}

// sender finds a sender ID by id or ARN; for a bare id the country is
// needed.
func (r *region) sender(c *core.Call, v, country string) (*senderID, *core.Error) {
	k := senderKey(v, country)
	if strings.HasPrefix(v, "arn:") {
		id, ok := fromARN(c, "sender-id", v)
		if !ok {
			return nil, notFound("sender-id", v)
		}
		k = id
	} else if country == "" {
		return nil, invalid("MISSING_PARAMETER", "IsoCountryCode is required to identify sender ID "+v+".", "IsoCountryCode")
	}
	s, ok := r.senderIDs.get(k)
	if !ok {
		return nil, notFound("sender-id", v)
	}
	return s, nil
}

type releaseSenderIDIn struct {
	SenderId       string
	IsoCountryCode string
}

func releaseSenderID(r *region, c *core.Call, in *releaseSenderIDIn) (any, *core.Error) {
	s, e := r.sender(c, in.SenderId, in.IsoCountryCode)
	if e != nil {
		return nil, e
	}
	k := senderKey(s.SenderId, s.IsoCountryCode)
	if s.DeletionProtectionEnabled {
		return nil, conflict("DELETION_PROTECTION_ENABLED", "sender-id", k, "Sender ID %s has deletion protection enabled.", k)
	}
	if s.pool != "" {
		return nil, conflict("SENDER_ID_ASSOCIATED_TO_POOL", "sender-id", k, "Sender ID %s is associated with pool %s.", k, s.pool)
	}
	r.senderIDs.del(k)
	return s, nil
}

type senderIDAndCountry struct {
	SenderId       string
	IsoCountryCode string
}

type describeSenderIDsIn struct {
	paging
	SenderIds []senderIDAndCountry
	Filters   []filter
}

func describeSenderIDs(r *region, c *core.Call, in *describeSenderIDsIn) (any, *core.Error) {
	var items []*senderID
	if len(in.SenderIds) > 0 {
		for _, v := range in.SenderIds {
			s, e := r.sender(c, v.SenderId, v.IsoCountryCode)
			if e != nil {
				return nil, e
			}
			items = append(items, s)
		}
	} else if in.Owner != "SHARED" {
		items = r.senderIDs.list()
	}
	items = slices.DeleteFunc(items, func(s *senderID) bool {
		return !match(in.Filters, func(name string) []string {
			switch name {
			case "sender-id":
				return one(s.SenderId)
			case "iso-country-code":
				return one(s.IsoCountryCode)
			case "message-type":
				return s.MessageTypes
			case "deletion-protection-enabled":
				return boolStr(s.DeletionProtectionEnabled)
			case "registered":
				return boolStr(s.Registered)
			}
			return nil
		})
	})
	pg, next, e := page("DescribeSenderIds", in.paging, items)
	if e != nil {
		return nil, e
	}
	return map[string]any{"SenderIds": pg, "NextToken": nonEmpty(next)}, nil
}

// identity resolves a PhoneOrSenderIdOrArn value.
func (r *region) identity(c *core.Call, v, country string) (*phoneNumber, *senderID, *core.Error) {
	if strings.HasPrefix(v, "phone-") || strings.Contains(v, ":phone-number/") {
		n, e := r.phone(c, v)
		return n, nil, e
	}
	s, e := r.sender(c, v, country)
	return nil, s, e
}

type createPoolIn struct {
	OriginationIdentity       string
	IsoCountryCode            string
	MessageType               string
	DeletionProtectionEnabled bool
	Tags                      []tag
	ClientToken               *string
}

func createPool(r *region, c *core.Call, in *createPoolIn) (any, *core.Error) {
	return r.idempotent(c, in.ClientToken, func() (any, *core.Error) {
		n, s, e := r.identity(c, in.OriginationIdentity, in.IsoCountryCode)
		if e != nil {
			return nil, e
		}
		id := r.newID("pool-")
		optOut := defaultOptOutList
		if n != nil {
			if n.PoolId != "" {
				return nil, conflict("RESOURCE_ALREADY_ASSOCIATED", "phone-number", n.PhoneNumberId, "Phone number %s is already in pool %s.", n.PhoneNumberId, n.PoolId)
			}
			if n.MessageType != in.MessageType {
				return nil, conflict("MESSAGE_TYPE_MISMATCH", "phone-number", n.PhoneNumberId, "Phone number %s sends %s messages, not %s.", n.PhoneNumberId, n.MessageType, in.MessageType)
			}
			optOut = n.OptOutListName
		} else {
			k := senderKey(s.SenderId, s.IsoCountryCode)
			if s.pool != "" {
				return nil, conflict("RESOURCE_ALREADY_ASSOCIATED", "sender-id", k, "Sender ID %s is already in pool %s.", k, s.pool)
			}
			if !slices.Contains(s.MessageTypes, in.MessageType) {
				return nil, conflict("MESSAGE_TYPE_MISMATCH", "sender-id", k, "Sender ID %s does not send %s messages.", k, in.MessageType)
			}
			if _, e := r.optOutList(c, nil); e != nil {
				return nil, e
			}
		}
		p := &pool{
			PoolArn: arn(c, "pool", id), PoolId: id, Status: "ACTIVE", MessageType: in.MessageType,
			OptOutListName: optOut, DeletionProtectionEnabled: in.DeletionProtectionEnabled,
			CreatedTimestamp: epoch(c.Now), tags: in.Tags,
		}
		if n != nil {
			n.PoolId = id
			p.members = []member{{phone: n.PhoneNumberId}}
		} else {
			s.pool = id
			p.members = []member{{sender: senderKey(s.SenderId, s.IsoCountryCode)}}
		}
		r.pools.put(id, p)
		r.keywords[id] = defaultKeywords()
		return withTags(p, p.tags), nil
	})
}

func (r *region) pool(c *core.Call, v string) (*pool, *core.Error) {
	id, ok := fromARN(c, "pool", v)
	p, found := r.pools.get(id)
	if !ok || !found {
		return nil, notFound("pool", v)
	}
	return p, nil
}

type deletePoolIn struct {
	PoolId string
}

func deletePool(r *region, c *core.Call, in *deletePoolIn) (any, *core.Error) {
	p, e := r.pool(c, in.PoolId)
	if e != nil {
		return nil, e
	}
	if p.DeletionProtectionEnabled {
		return nil, conflict("DELETION_PROTECTION_ENABLED", "pool", p.PoolId, "Pool %s has deletion protection enabled.", p.PoolId)
	}
	// Deleting a pool hands its origination identities back to the account.
	for _, m := range p.members {
		if n, ok := r.phones.get(m.phone); ok {
			n.PoolId = ""
		}
		if s, ok := r.senderIDs.get(m.sender); ok {
			s.pool = ""
		}
	}
	r.pools.del(p.PoolId)
	delete(r.keywords, p.PoolId)
	out := *p
	out.Status = "DELETING"
	return &out, nil
}

type describePoolsIn struct {
	paging
	PoolIds []string
	Filters []filter
}

func describePools(r *region, c *core.Call, in *describePoolsIn) (any, *core.Error) {
	var items []*pool
	if len(in.PoolIds) > 0 {
		for _, v := range in.PoolIds {
			p, e := r.pool(c, v)
			if e != nil {
				return nil, e
			}
			items = append(items, p)
		}
	} else if in.Owner != "SHARED" {
		items = r.pools.list()
	}
	items = slices.DeleteFunc(items, func(p *pool) bool {
		return !match(in.Filters, func(name string) []string {
			switch name {
			case "status":
				return one(p.Status)
			case "message-type":
				return one(p.MessageType)
			case "two-way-enabled":
				return boolStr(p.TwoWayEnabled)
			case "self-managed-opt-outs-enabled":
				return boolStr(p.SelfManagedOptOutsEnabled)
			case "opt-out-list-name":
				return one(p.OptOutListName)
			case "shared-routes-enabled":
				return boolStr(p.SharedRoutesEnabled)
			case "deletion-protection-enabled":
				return boolStr(p.DeletionProtectionEnabled)
			}
			return nil
		})
	})
	pg, next, e := page("DescribePools", in.paging, items)
	if e != nil {
		return nil, e
	}
	return map[string]any{"Pools": pg, "NextToken": nonEmpty(next)}, nil
}

type associateIn struct {
	PoolId              string
	OriginationIdentity string
	IsoCountryCode      string
	ClientToken         *string
}

// identityOut describes a pool member as the association calls answer.
func identityOut(p *pool, n *phoneNumber, s *senderID) map[string]any {
	out := map[string]any{"PoolArn": p.PoolArn, "PoolId": p.PoolId}
	if n != nil {
		out["OriginationIdentityArn"] = n.PhoneNumberArn
		out["OriginationIdentity"] = n.PhoneNumberId
		out["IsoCountryCode"] = n.IsoCountryCode
		out["NumberCapabilities"] = n.NumberCapabilities
		out["PhoneNumber"] = n.PhoneNumber
	} else {
		out["OriginationIdentityArn"] = s.SenderIdArn
		out["OriginationIdentity"] = s.SenderId
		out["IsoCountryCode"] = s.IsoCountryCode
		out["NumberCapabilities"] = []string{"SMS"}
	}
	return out
}

func associateOriginationIdentity(r *region, c *core.Call, in *associateIn) (any, *core.Error) {
	return r.idempotent(c, in.ClientToken, func() (any, *core.Error) {
		p, e := r.pool(c, in.PoolId)
		if e != nil {
			return nil, e
		}
		n, s, e := r.identity(c, in.OriginationIdentity, in.IsoCountryCode)
		if e != nil {
			return nil, e
		}
		if n != nil {
			if n.PoolId != "" {
				return nil, conflict("RESOURCE_ALREADY_ASSOCIATED", "phone-number", n.PhoneNumberId, "Phone number %s is already in pool %s.", n.PhoneNumberId, n.PoolId)
			}
			if n.MessageType != p.MessageType {
				return nil, conflict("MESSAGE_TYPE_MISMATCH", "phone-number", n.PhoneNumberId, "Phone number %s sends %s messages, pool %s sends %s.", n.PhoneNumberId, n.MessageType, p.PoolId, p.MessageType)
			}
			n.PoolId = p.PoolId
			p.members = append(p.members, member{phone: n.PhoneNumberId})
		} else {
			k := senderKey(s.SenderId, s.IsoCountryCode)
			if s.pool != "" {
				return nil, conflict("RESOURCE_ALREADY_ASSOCIATED", "sender-id", k, "Sender ID %s is already in pool %s.", k, s.pool)
			}
			if !slices.Contains(s.MessageTypes, p.MessageType) {
				return nil, conflict("MESSAGE_TYPE_MISMATCH", "sender-id", k, "Sender ID %s does not send %s messages.", k, p.MessageType)
			}
			s.pool = p.PoolId
			p.members = append(p.members, member{sender: k})
		}
		return identityOut(p, n, s), nil
	})
}

func disassociateOriginationIdentity(r *region, c *core.Call, in *associateIn) (any, *core.Error) {
	return r.idempotent(c, in.ClientToken, func() (any, *core.Error) {
		p, e := r.pool(c, in.PoolId)
		if e != nil {
			return nil, e
		}
		n, s, e := r.identity(c, in.OriginationIdentity, in.IsoCountryCode)
		if e != nil {
			return nil, e
		}
		m := member{}
		if n != nil {
			m.phone = n.PhoneNumberId
		} else {
			m.sender = senderKey(s.SenderId, s.IsoCountryCode)
		}
		i := slices.Index(p.members, m)
		if i < 0 {
			return nil, conflict("PHONE_NUMBER_NOT_ASSOCIATED_TO_POOL", "pool", p.PoolId, "%s is not in pool %s.", in.OriginationIdentity, p.PoolId)
		}
		if len(p.members) == 1 {
			return nil, conflict("LAST_PHONE_NUMBER", "pool", p.PoolId, "%s is the last origination identity of pool %s.", in.OriginationIdentity, p.PoolId)
		}
		p.members = slices.Delete(p.members, i, i+1)
		if n != nil {
			n.PoolId = ""
		} else {
			s.pool = ""
		}
		return identityOut(p, n, s), nil
	})
}

type listPoolIdentitiesIn struct {
	paging
	PoolId  string
	Filters []filter
}

func listPoolOriginationIdentities(r *region, c *core.Call, in *listPoolIdentitiesIn) (any, *core.Error) {
	p, e := r.pool(c, in.PoolId)
	if e != nil {
		return nil, e
	}
	var items []map[string]any
	for _, m := range p.members {
		var out map[string]any
		if n, ok := r.phones.get(m.phone); ok {
			out = identityOut(p, n, nil)
		} else if s, ok := r.senderIDs.get(m.sender); ok {
			out = identityOut(p, nil, s)
		} else {
			continue
		}
		delete(out, "PoolArn")
		delete(out, "PoolId")
		if match(in.Filters, func(name string) []string {
			switch name {
			case "iso-country-code":
				return one(out["IsoCountryCode"].(string))
			case "number-capability":
				return out["NumberCapabilities"].([]string)
			}
			return nil
		}) {
			items = append(items, out)
		}
	}
	pg, next, e := page("ListPoolOriginationIdentities/"+p.PoolId, in.paging, items)
	if e != nil {
		return nil, e
	}
	return map[string]any{"PoolArn": p.PoolArn, "PoolId": p.PoolId, "OriginationIdentities": pg, "NextToken": nonEmpty(next)}, nil
}

// keywordOwner resolves a PhoneOrPoolIdOrArn value to its id and ARN.
func (r *region) keywordOwner(c *core.Call, v string) (id, arn string, e *core.Error) {
	if strings.HasPrefix(v, "pool-") || strings.Contains(v, ":pool/") {
		p, e := r.pool(c, v)
		if e != nil {
			return "", "", e
		}
		return p.PoolId, p.PoolArn, nil
	}
	n, e := r.phone(c, v)
	if e != nil {
		return "", "", e
	}
	return n.PhoneNumberId, n.PhoneNumberArn, nil
}

type putKeywordIn struct {
	OriginationIdentity string
	Keyword             string
	KeywordMessage      string
	KeywordAction       string
}

// maxKeywords caps keywords per phone number or pool. The figure is an
// assumption; AWS enforces a quota (KEYWORDS_PER_PHONE_NUMBER/_POOL)
// without a value we could confirm.
const maxKeywords = 30

func putKeyword(r *region, c *core.Call, in *putKeywordIn) (any, *core.Error) {
	id, a, e := r.keywordOwner(c, in.OriginationIdentity)
	if e != nil {
		return nil, e
	}
	ks := r.keywords[id]
	k := strings.ToUpper(in.Keyword)
	action := in.KeywordAction
	if action == "" {
		action = "AUTOMATIC_RESPONSE"
	}
	if old, ok := ks.get(k); ok {
		if (k == "HELP" || k == "STOP") && action != old.KeywordAction {
			return nil, conflict("KEYWORD_MISMATCH", "keyword", in.Keyword, "The action of the %s keyword cannot be changed.", k)
		}
	} else if ks.len() >= maxKeywords {
		reason := "KEYWORDS_PER_PHONE_NUMBER"
		if strings.HasPrefix(id, "pool-") {
			reason = "KEYWORDS_PER_POOL"
		}
		return nil, quotaExceeded(reason, fmt.Sprintf("%s already has %d keywords.", id, maxKeywords))
	}
	kw := &keyword{Keyword: in.Keyword, KeywordMessage: in.KeywordMessage, KeywordAction: action}
	ks.put(k, kw)
	return map[string]any{"OriginationIdentityArn": a, "OriginationIdentity": id, "Keyword": kw.Keyword,
		"KeywordMessage": kw.KeywordMessage, "KeywordAction": kw.KeywordAction}, nil
}

type deleteKeywordIn struct {
	OriginationIdentity string
	Keyword             string
}

func deleteKeyword(r *region, c *core.Call, in *deleteKeywordIn) (any, *core.Error) {
	id, a, e := r.keywordOwner(c, in.OriginationIdentity)
	if e != nil {
		return nil, e
	}
	k := strings.ToUpper(in.Keyword)
	kw, ok := r.keywords[id].get(k)
	if !ok {
		return nil, notFound("keyword", in.Keyword)
	}
	if k == "HELP" || k == "STOP" {
		return nil, conflict("RESOURCE_DELETION_NOT_ALLOWED", "keyword", in.Keyword, "The %s keyword cannot be deleted.", k)
	}
	r.keywords[id].del(k)
	return map[string]any{"OriginationIdentityArn": a, "OriginationIdentity": id, "Keyword": kw.Keyword,
		"KeywordMessage": kw.KeywordMessage, "KeywordAction": kw.KeywordAction}, nil
}

type describeKeywordsIn struct {
	paging
	OriginationIdentity string
	Keywords            []string
	Filters             []filter
}

func describeKeywords(r *region, c *core.Call, in *describeKeywordsIn) (any, *core.Error) {
	id, a, e := r.keywordOwner(c, in.OriginationIdentity)
	if e != nil {
		return nil, e
	}
	ks := r.keywords[id]
	var items []*keyword
	if len(in.Keywords) > 0 {
		for _, k := range in.Keywords {
			kw, ok := ks.get(strings.ToUpper(k))
			if !ok {
				return nil, notFound("keyword", k)
			}
			items = append(items, kw)
		}
	} else {
		items = ks.list()
	}
	items = slices.DeleteFunc(items, func(k *keyword) bool {
		return !match(in.Filters, func(name string) []string {
			if name == "keyword-action" {
				return one(k.KeywordAction)
			}
			return nil
		})
	})
	pg, next, e := page("DescribeKeywords/"+id, in.paging, items)
	if e != nil {
		return nil, e
	}
	return map[string]any{"OriginationIdentityArn": a, "OriginationIdentity": id, "Keywords": pg, "NextToken": nonEmpty(next)}, nil
}
