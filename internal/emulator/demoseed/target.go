package demoseed

import (
	"strings"

	"github.com/p2c/p2c/internal/emulator"
)

// The target side: what Northwind set up on the Connect side before
// running p2c, in each region the demo migrates. It holds what a plan
// expects to exist and never creates itself (connect-target.md and the
// PRQ-* prerequisites of the assessment): a Connect instance with
// outbound campaigns enabled, a MESSAGE_TEMPLATES knowledge base
// associated with it, the SES domains the email channels send from,
// verified, out of the sandbox, with their configuration sets and
// associated with the instance, the two End User Messaging numbers the
// SMS campaigns send from imported into Connect, and the flows journey
// campaigns run on. What the plan creates (the Customer Profiles domain
// and everything in it, templates, campaigns, the other numbers'
// imports, email addresses, event destinations) is left to the plan.
//
// The Connect instance's Customer Profiles domain is enabled in the
// console once the plan has created the domain; no API call makes that
// association, so the seed cannot hold it and the emulator does not
// check it.

// targetSave names a saved target value: target.<region>.<what>.
func targetSave(region, what string) string { return "target." + region + "." + what }

// targetRegion is what one region's target holds.
type targetRegion struct {
	region, alias string
	// identities are the SES domains the region's email channels send
	// from, with the configuration set each uses by default.
	identities []struct{ domain, configSet string }
	configSets []string
	// imports are the demo's End User Messaging numbers (save names
	// under phone.) already imported into the instance.
	imports []string
	// journeyFlows are CAMPAIGN flows, built on the journey canvas from
	// p2c's proposals for the journeys saved under these names.
	journeyFlows []struct{ save, name string }
	// callFlows are contact flows that handle a journey's outbound calls.
	callFlows []struct{ save, name string }
}

var targetRegions = []targetRegion{
	{
		region: Region, alias: "northwind-cx",
		identities: []struct{ domain, configSet string }{
			{"northwind.example.com", "northwind-marketing"},
			{"pay.northwind.example.com", "northwind-transactional"},
		},
		configSets: []string{"northwind-marketing", "northwind-rewards", "northwind-transactional"},
		imports:    []string{"tollfree", "tendlc1"},
		journeyFlows: []struct{ save, name string }{
			{"jrn.shop.welcome", "Welcome series journey"},
			{"jrn.shop.cart", "Cart recovery journey"},
			{"jrn.pay.collections", "Collections outreach journey"},
			{"jrn.rewards.winback", "Lapsed member win-back journey"},
		},
		callFlows: []struct{ save, name string }{
			{"jrn.pay.collections", "Collections outbound call"},
		},
	},
	{
		region: EURegion, alias: "northwind-cx-eu",
		identities: []struct{ domain, configSet string }{
			{"eu.northwind.example.com", "northwind-eu"},
		},
		configSets: []string{"northwind-eu"},
	},
}

// smsSenders says which End User Messaging number (save name under
// phone.) each campaign or journey of the demo sends SMS from, as its
// OriginationNumber names it; TestSMSSendersMatchDemo keeps it in step
// with the seed. Campaigns that name no number get smsDefault, the
// marketing 10DLC number: most of them send promotions.
var smsSenders = map[string]string{
	"camp.shop.flashSMS":  "tendlc1",
	"camp.pay.fraud":      "tollfree",
	"jrn.shop.welcome":    "tendlc1",
	"jrn.pay.collections": "tollfree",
}

const smsDefault = "tendlc1"

// journeyEnd is the end the rehearsal gives journeys that had none: a
// year after the cut-over, the demo's reference date of 2026-10-01.
const journeyEnd = "2027-10-01T00:00:00Z"

// flowContent is a minimal flow in Connect's flow language: it ends at
// once. A real journey flow is built on the canvas; the emulator checks
// only that the content is a flow document.
const flowContent = `{"Version":"2019-10-30","StartAction":"end","Actions":[{"Identifier":"end","Type":"DisconnectParticipant","Parameters":{},"Transitions":{}}]}`

// Target returns the target account on its own (`p2c emulator --seed
// target`): it requests the two End User Messaging numbers it imports,
// which the demo seed has already.
func Target() *emulator.Seed {
	b := newBuilder()
	b.sv("RequestPhoneNumber", M{"IsoCountryCode": "US", "NumberType": "TOLL_FREE", "MessageType": "TRANSACTIONAL",
		"NumberCapabilities": list("SMS", "VOICE")}, map[string]string{"phone.tollfree": "PhoneNumberId", "phone.tollfree.arn": "PhoneNumberArn"})
	b.sv("RequestPhoneNumber", M{"IsoCountryCode": "US", "NumberType": "TEN_DLC", "MessageType": "PROMOTIONAL",
		"NumberCapabilities": list("SMS")}, map[string]string{"phone.tendlc1": "PhoneNumberId", "phone.tendlc1.arn": "PhoneNumberArn"})
	b.target(false)
	return &emulator.Seed{
		SeedVersion: emulator.SeedVersion,
		Description: "Northwind Outfitters' Connect side, ready for a migration: a Connect instance per region with outbound campaigns " +
			"enabled, a message-template knowledge base, verified SES domains associated with it, imported numbers and journey flows.",
		Region: Region,
		Calls:  normalize(b.calls),
	}
}

// target records the target side. In the demo (withJourneys) it also
// records the journey flows, which stand for the ones a person builds
// from p2c's proposals for the demo's journeys.
func (b *builder) target(withJourneys bool) {
	for _, t := range targetRegions {
		b.targetRegion(t, withJourneys)
	}
	// Imports finish asynchronously in Connect; a ready account has them
	// CLAIMED.
	b.add("", "emulator", "SettleConnect", M{}, nil)
}

func (b *builder) targetRegion(t targetRegion, withJourneys bool) {
	r := t.region
	call := func(service, op string, in M, save map[string]string) { b.add(r, service, op, in, save) }
	tags := M{"team": "contact-center", "env": "prod"}
	sesTags := L{M{"Key": "team", "Value": "messaging"}, M{"Key": "env", "Value": "prod"}}

	// SES: configuration sets, then the domains that send through them,
	// verified (DNS records published) and out of the sandbox.
	for _, cs := range t.configSets {
		call("sesv2", "CreateConfigurationSet", M{"ConfigurationSetName": cs, "Tags": sesTags,
			"ReputationOptions":  M{"ReputationMetricsEnabled": true},
			"SuppressionOptions": M{"SuppressedReasons": list("BOUNCE", "COMPLAINT")}}, nil)
	}
	for _, id := range t.identities {
		call("sesv2", "CreateEmailIdentity", M{"EmailIdentity": id.domain, "ConfigurationSetName": id.configSet, "Tags": sesTags}, nil)
		call("emulator", "VerifySESIdentity", M{"Identity": id.domain}, nil)
	}
	call("emulator", "SetSESProductionAccess", M{"ProductionAccessEnabled": true}, nil)

	// The Connect instance, with outbound campaigns enabled: high-volume
	// outbound on the instance and the campaigns service onboarded.
	inst, instID := targetSave(r, "instance"), targetSave(r, "instance.id")
	call("connect", "CreateInstance", M{"IdentityManagementType": "CONNECT_MANAGED", "InstanceAlias": t.alias,
		"InboundCallsEnabled": true, "OutboundCallsEnabled": true, "ClientToken": "northwind-" + t.alias, "Tags": tags},
		map[string]string{inst: "Arn", instID: "Id"})
	for _, attr := range []string{"CONTACTFLOW_LOGS", "HIGH_VOLUME_OUTBOUND"} {
		call("connect", "UpdateInstanceAttribute", M{"InstanceId": "${" + instID + "}", "AttributeType": attr, "Value": "true"}, nil)
	}
	call("connectcampaignsv2", "StartInstanceOnboardingJob", M{"connectInstanceId": "${" + instID + "}", "encryptionConfig": M{"enabled": false}}, nil)

	// Message templates enabled: a MESSAGE_TEMPLATES knowledge base
	// associated with the instance.
	kb := targetSave(r, "knowledge-base")
	call("qconnect", "CreateKnowledgeBase", M{"name": "northwind-message-templates", "knowledgeBaseType": "MESSAGE_TEMPLATES",
		"clientToken": "northwind-message-templates-" + r, "description": "Message templates of Northwind's Connect campaigns and agents",
		"tags": tags}, map[string]string{kb: "knowledgeBase.knowledgeBaseArn", kb + ".id": "knowledgeBase.knowledgeBaseId"})
	call("connect", "CreateIntegrationAssociation", M{"InstanceId": "${" + instID + "}", "IntegrationType": "Q_MESSAGE_TEMPLATES",
		"IntegrationArn": "${" + kb + "}", "Tags": tags}, nil)

	// Email: the verified domains may be used by the instance's email
	// addresses.
	for _, id := range t.identities {
		call("connect", "CreateIntegrationAssociation", M{"InstanceId": "${" + instID + "}", "IntegrationType": "SES_IDENTITY",
			"IntegrationArn": sesIdentity(r, id.domain), "Tags": tags}, nil)
	}

	for _, n := range t.imports {
		call("connect", "ImportPhoneNumber", M{"InstanceId": "${" + instID + "}", "SourcePhoneNumberArn": "${phone." + n + ".arn}",
			"PhoneNumberDescription": "Northwind SMS sender (" + n + ")", "ClientToken": "northwind-import-" + n, "Tags": tags},
			map[string]string{targetSave(r, "number."+n): "PhoneNumberArn"})
	}

	if !withJourneys {
		return
	}
	for _, f := range t.callFlows {
		call("connect", "CreateContactFlow", M{"InstanceId": "${" + instID + "}", "Name": f.name, "Type": "CONTACT_FLOW",
			"Description": "Places the outbound calls of " + f.save, "Content": flowContent, "Tags": tags},
			map[string]string{targetSave(r, "call-flow."+f.save): "ContactFlowId"})
	}
	for _, f := range t.journeyFlows {
		call("connect", "CreateContactFlow", M{"InstanceId": "${" + instID + "}", "Name": f.name, "Type": "CAMPAIGN",
			"Description": "Journey flow built on the canvas from p2c's proposal for " + f.save, "Content": flowContent, "Tags": tags},
			map[string]string{targetSave(r, "journey-flow."+f.save): "ContactFlowArn"})
	}
}

// DemoAnswers answers the demo plan's open decisions that the target
// account has a resource for, as a person rehearsing with the demo
// would: vars are the values the demo seed saved (emulator.Apply returns
// them), open the keys of the open decisions. Keys it has no answer for
// are left out.
//
// The Connect instance, knowledge base, imported numbers, journey flows
// and call flows are the target seed's; numbers already imported are
// not imported again; event destinations are Firehose delivery streams
// named after the Kinesis streams they replace; journeys without an end
// get journeyEnd.
func DemoAnswers(vars map[string]string, open []string) map[string]string {
	// Source resource ids back to the names they were saved under.
	saveOf := map[string]string{}
	for name, v := range vars {
		if strings.HasPrefix(name, "camp.") || strings.HasPrefix(name, "jrn.") || strings.HasPrefix(name, "app.") ||
			(strings.HasPrefix(name, "phone.") && strings.Count(name, ".") == 1) {
			saveOf[v] = name
		}
	}
	out := map[string]string{}
	for _, key := range open {
		if v := demoAnswer(vars, saveOf, key); v != "" {
			out[key] = v
		}
	}
	return out
}

func demoAnswer(vars, saveOf map[string]string, key string) string {
	region, rest, _ := strings.Cut(key, ".")
	topic, res, _ := strings.Cut(rest, ".")
	save := saveOf[res]
	switch topic {
	case "connect-instance":
		// One instance per region: an app-scoped question (one domain
		// per app) needs an instance per app, which the target lacks.
		if res == "" {
			return vars[targetSave(region, "instance")]
		}
	case "knowledge-base":
		return vars[targetSave(region, "knowledge-base")]
	case "import-number":
		if n, ok := strings.CutPrefix(save, "phone."); ok && vars[targetSave(region, "number."+n)] != "" {
			return "no" // already imported
		}
	case "sms-number":
		n := smsDefault
		if res != "" {
			if n = smsSenders[save]; n == "" {
				return ""
			}
		}
		return vars[targetSave(region, "number."+n)]
	case "journey-flow":
		return vars[targetSave(region, "journey-flow."+save)]
	case "journey-contact-flow":
		return vars[targetSave(region, "call-flow."+save)]
	case "journey-end":
		if strings.HasPrefix(save, "jrn.") {
			return journeyEnd
		}
	case "event-destination":
		for _, es := range eventStreams {
			if es.app == save {
				return "arn:aws:firehose:" + region + ":" + Account + ":deliverystream/" + es.stream
			}
		}
	}
	return ""
}
