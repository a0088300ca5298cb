package invseed

import (
	"strings"

	"github.com/p2c/p2c/internal/inventory"
)

// defaultOptOutList is the list End User Messaging creates on first use
// for numbers and pools that name none.
const defaultOptOutList = "Default"

// eum recreates the End User Messaging SMS and voice resources: opt-out
// lists first (numbers name them), registrations, phone numbers and sender
// ids, pools with their members, keywords, configuration sets with their
// event destinations, and opted-out numbers.
func (b *builder) eum(e *inventory.EUM) error {
	lists := map[string]bool{}
	for _, l := range e.OptOutLists {
		if l.Name == "" {
			continue
		}
		b.add(svcSMSVoice, "CreateOptOutList", map[string]any{"OptOutListName": l.Name}, nil)
		lists[l.Name] = true
	}
	for _, r := range e.Registrations {
		o := object(r.Object)
		typ := str(o, "RegistrationType")
		if r.ID == "" || typ == "" {
			continue
		}
		b.add(svcSMSVoice, "CreateRegistration", map[string]any{"RegistrationType": typ}, map[string]string{"reg." + r.ID: "RegistrationId"})
		b.regs[r.ID] = true
		b.notef("registration %s (%s): rebuilt empty in status CREATED; its field values and review status (%s) are not in an inventory", r.ID, typ, str(o, "RegistrationStatus"))
	}
	optOut := func(in map[string]any, name, what string) {
		switch {
		case name == "" || name == defaultOptOutList && !lists[name]:
			// The service uses (and creates) the default list.
		case lists[name]:
			in["OptOutListName"] = name
		default:
			b.notef("%s: opt-out list %s is not in the inventory; the default list is used", what, name)
		}
	}
	for _, p := range e.PhoneNumbers {
		o := object(p.Object)
		if p.ID == "" || o == nil {
			continue
		}
		what := "phone number " + firstNonEmpty(str(o, "PhoneNumber"), p.ID)
		in := map[string]any{}
		for _, k := range []string{"IsoCountryCode", "MessageType", "NumberType", "NumberCapabilities", "InternationalSendingEnabled", "DeletionProtectionEnabled"} {
			if v, ok := o[k]; ok {
				in[k] = v
			}
		}
		optOut(in, str(o, "OptOutListName"), what)
		if reg := str(o, "RegistrationId"); reg != "" && b.regs[reg] {
			in["RegistrationId"] = ref("reg", reg)
		}
		b.add(svcSMSVoice, "RequestPhoneNumber", in, map[string]string{"phone." + p.ID: "PhoneNumberId", "number." + p.ID: "PhoneNumber"})
		b.phones[p.ID] = true
		if n := str(o, "PhoneNumber"); n != "" {
			b.numbers[n] = p.ID
		}
		b.notef("%s: rebuilt as a new number of the same country, type and capabilities (numbers are assigned, not chosen); Pinpoint resources that name it name the new one", what)
		var lost []string
		for _, k := range []string{"TwoWayEnabled", "SelfManagedOptOutsEnabled"} {
			if v, _ := o[k].(bool); v {
				lost = append(lost, k)
			}
		}
		if len(lost) > 0 {
			b.notef("%s: %s not set (no create call takes it)", what, strings.Join(lost, ", "))
		}
	}
	for _, s := range e.SenderIDs {
		o := object(s.Object)
		if str(o, "SenderId") == "" {
			continue
		}
		in := map[string]any{"SenderId": str(o, "SenderId"), "IsoCountryCode": str(o, "IsoCountryCode")}
		for _, k := range []string{"MessageTypes", "DeletionProtectionEnabled"} {
			if v, ok := o[k]; ok {
				in[k] = v
			}
		}
		b.add(svcSMSVoice, "RequestSenderId", in, nil)
		if reg, _ := o["Registered"].(bool); reg {
			b.notef("sender id %s (%s): rebuilt unregistered; its registration is not in an inventory", str(o, "SenderId"), str(o, "IsoCountryCode"))
		}
	}
	for _, p := range e.Pools {
		b.pool(p)
	}
	for _, ks := range e.Keywords {
		owner := ""
		switch {
		case b.phones[ks.OriginationIdentity]:
			owner = ref("phone", ks.OriginationIdentity)
		case b.pools[ks.OriginationIdentity]:
			owner = ref("pool", ks.OriginationIdentity)
		default:
			continue
		}
		for _, raw := range ks.Keywords {
			k := object(raw)
			if str(k, "Keyword") == "" {
				continue
			}
			in := map[string]any{"OriginationIdentity": owner, "Keyword": str(k, "Keyword"), "KeywordMessage": str(k, "KeywordMessage")}
			if a := str(k, "KeywordAction"); a != "" {
				in["KeywordAction"] = a
			}
			b.add(svcSMSVoice, "PutKeyword", in, nil)
		}
	}
	for _, cs := range e.ConfigurationSets {
		o := object(cs.Object)
		name := firstNonEmpty(str(o, "ConfigurationSetName"), cs.ID)
		if name == "" {
			continue
		}
		b.add(svcSMSVoice, "CreateConfigurationSet", map[string]any{"ConfigurationSetName": name}, nil)
		for _, d := range list(o, "EventDestinations") {
			dm, _ := d.(map[string]any)
			if str(dm, "EventDestinationName") == "" {
				continue
			}
			in := map[string]any{"ConfigurationSetName": name}
			for _, k := range []string{"EventDestinationName", "MatchingEventTypes", "CloudWatchLogsDestination", "KinesisFirehoseDestination", "SnsDestination"} {
				if v, ok := dm[k]; ok {
					in[k] = v
				}
			}
			b.add(svcSMSVoice, "CreateEventDestination", in, nil)
			if en, ok := dm["Enabled"].(bool); ok && !en {
				b.notef("configuration set %s: event destination %s rebuilt enabled (it was disabled; no create call takes that)", name, str(dm, "EventDestinationName"))
			}
		}
		for _, k := range []string{"DefaultMessageType", "DefaultSenderId"} {
			if str(o, k) != "" {
				b.notef("configuration set %s: %s %s not set (no create call takes it)", name, k, str(o, k))
			}
		}
	}
	for _, l := range e.OptOutLists {
		for _, raw := range l.OptedOutNumbers {
			n := object(raw)
			num := str(n, "OptedOutNumber")
			if num == "" {
				continue
			}
			b.add(svcSMSVoice, "PutOptedOutNumber", map[string]any{"OptOutListName": l.Name, "OptedOutNumber": num}, nil)
			if eu, _ := n["EndUserOptedOut"].(bool); eu {
				b.notef("opt-out list %s: %s was opted out by the end user; rebuilt as opted out by the account", l.Name, num)
			}
		}
	}
	return nil
}

// pool recreates a pool from its first origination identity and adds the
// others.
func (b *builder) pool(p inventory.Pool) {
	o := object(p.Object)
	what := "pool " + p.ID
	var members []map[string]any
	for _, raw := range p.OriginationIdentities {
		m := object(raw)
		id := str(m, "OriginationIdentity")
		arn := str(m, "OriginationIdentityArn")
		in := map[string]any{}
		switch {
		case b.phones[id]:
			in["OriginationIdentity"] = ref("phone", id)
		case strings.Contains(arn, ":phone-number/"):
			pid := arn[strings.LastIndex(arn, "/")+1:]
			if !b.phones[pid] {
				b.notef("%s: member %s is not in the inventory; left out", what, firstNonEmpty(str(m, "PhoneNumber"), id))
				continue
			}
			in["OriginationIdentity"] = ref("phone", pid)
		case id != "":
			in["OriginationIdentity"] = id
			in["IsoCountryCode"] = str(m, "IsoCountryCode")
		default:
			continue
		}
		members = append(members, in)
	}
	if p.ID == "" || len(members) == 0 {
		b.notef("%s: no origination identity to rebuild it from; not rebuilt", what)
		return
	}
	first := members[0]
	first["MessageType"] = str(o, "MessageType")
	if v, ok := o["DeletionProtectionEnabled"]; ok {
		first["DeletionProtectionEnabled"] = v
	}
	b.add(svcSMSVoice, "CreatePool", first, map[string]string{"pool." + p.ID: "PoolId"})
	b.pools[p.ID] = true
	for _, m := range members[1:] {
		m["PoolId"] = ref("pool", p.ID)
		b.add(svcSMSVoice, "AssociateOriginationIdentity", m, nil)
	}
	var lost []string
	for _, k := range []string{"TwoWayEnabled", "SelfManagedOptOutsEnabled", "SharedRoutesEnabled"} {
		if v, _ := o[k].(bool); v {
			lost = append(lost, k)
		}
	}
	if len(lost) > 0 {
		b.notef("%s: %s not set (no create call takes it)", what, strings.Join(lost, ", "))
	}
}
