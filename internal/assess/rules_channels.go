package assess

import (
	"fmt"
	"sort"
	"strings"

	"github.com/p2c/p2c/internal/inventory"
)

// Channel, event stream and IaC rules. Channels mostly stay where they are
// (push and SMS in End User Messaging, email in SES); what needs people is
// the secrets Pinpoint never returns, the identities and originators the
// target must have, and the definitions and consumers that stop working
// at the end of support.

// chnEnabled reports whether a channel is enabled (a missing flag counts
// as enabled: the API always sends it).
func chnEnabled(s *Subject) bool { return Str(s.Object, "Enabled") != "false" }

// chnIsPush reports whether a channel type is a push platform.
func chnIsPush(typ string) bool {
	switch typ {
	case "APNS", "APNS_SANDBOX", "APNS_VOIP", "APNS_VOIP_SANDBOX", "GCM", "BAIDU", "ADM":
		return true
	}
	return false
}

// chnGCMLegacy reports whether a GCM channel still relies on the legacy
// FCM server key rather than FCM v1 service credentials.
func chnGCMLegacy(obj map[string]any) bool {
	return Str(obj, "HasFcmServiceCredentials") != "true" && Str(obj, "DefaultAuthenticationMethod") != "TOKEN"
}

// chnIdentity names the SES identity of an identity ARN for a sentence,
// never with an email address's mailbox (that may be a person's).
func chnIdentity(arn string) string {
	name := arn
	if i := strings.Index(arn, ":identity/"); i >= 0 {
		name = arn[i+len(":identity/"):]
	}
	if name == "" {
		return "an SES identity the inventory does not record"
	}
	if strings.Contains(name, "@") {
		return "an SES email-address identity on " + name[strings.LastIndex(name, "@")+1:]
	}
	return "SES identity " + name
}

// chnDomain returns the domain of an address, so messages never carry
// the mailbox.
func chnDomain(addr string) string {
	if i := strings.LastIndex(addr, "@"); i >= 0 {
		return strings.TrimSuffix(addr[i+1:], ">")
	}
	return ""
}

// chnAppUses returns what the subject's app sends from its campaigns and
// journeys.
func chnAppUses(s *Subject) acctUse {
	var u acctUse
	if s.App != nil {
		acctUsage(&u, s.App)
	}
	return u
}

// chnCredential describes the secret a push channel needs and where it
// comes from.
func chnCredential(typ string, obj map[string]any) (what, where string) {
	switch typ {
	case "APNS", "APNS_SANDBOX", "APNS_VOIP", "APNS_VOIP_SANDBOX":
		if Str(obj, "HasTokenKey") == "true" || Str(obj, "DefaultAuthenticationMethod") == "TOKEN" {
			return "APNs token key (.p8 file with its key id, team id and bundle id)", "Apple Developer account: Certificates, Identifiers & Profiles > Keys; End User Messaging Push console"
		}
		return "APNs certificate (.p12 file and its private key)", "Apple Developer account: Certificates, Identifiers & Profiles > Certificates; End User Messaging Push console"
	case "GCM":
		return "FCM service account JSON", "Firebase console: Project settings > Service accounts; End User Messaging Push console"
	case "BAIDU":
		return "Baidu API key and secret key", "Baidu Cloud Push console; End User Messaging Push console"
	case "ADM":
		return "ADM client id and client secret", "Amazon Developer console: Security profiles; End User Messaging Push console"
	}
	return "credential", "End User Messaging Push console"
}

// iacKeeps lists the IaC types that End User Messaging keeps serving:
// the app and the push and SMS channels.
var iacKeeps = map[string]bool{
	"AWS::Pinpoint::App": true, "AWS::Pinpoint::APNSChannel": true, "AWS::Pinpoint::APNSSandboxChannel": true,
	"AWS::Pinpoint::APNSVoipChannel": true, "AWS::Pinpoint::APNSVoipSandboxChannel": true, "AWS::Pinpoint::GCMChannel": true,
	"AWS::Pinpoint::ADMChannel": true, "AWS::Pinpoint::BaiduChannel": true, "AWS::Pinpoint::SMSChannel": true,
	"aws_pinpoint_app": true, "aws_pinpoint_apns_channel": true, "aws_pinpoint_apns_sandbox_channel": true,
	"aws_pinpoint_apns_voip_channel": true, "aws_pinpoint_apns_voip_sandbox_channel": true, "aws_pinpoint_gcm_channel": true,
	"aws_pinpoint_adm_channel": true, "aws_pinpoint_baidu_channel": true, "aws_pinpoint_sms_channel": true,
}

// iacSESTypes maps the Pinpoint Email CloudFormation types to SES ones.
var iacSESTypes = map[string]string{
	"AWS::PinpointEmail::ConfigurationSet":                 "AWS::SES::ConfigurationSet",
	"AWS::PinpointEmail::ConfigurationSetEventDestination": "AWS::SES::ConfigurationSetEventDestination",
	"AWS::PinpointEmail::DedicatedIpPool":                  "AWS::SES::DedicatedIpPool",
	"AWS::PinpointEmail::Identity":                         "AWS::SES::EmailIdentity",
}

// iacIsPinpoint reports whether an IaC type is a Pinpoint engagement
// type (not Pinpoint Email, not End User Messaging SMS v2).
func iacIsPinpoint(typ string) bool {
	return strings.HasPrefix(typ, "AWS::Pinpoint::") || strings.HasPrefix(typ, "aws_pinpoint_")
}

// iacWhere names a resource for people: address, type and line.
func iacWhere(p inventory.Provenance) string {
	at := p.Address
	if at == "" {
		at = p.Operation
	}
	if p.Line > 0 {
		return fmt.Sprintf("%s (%s, line %d)", at, p.Operation, p.Line)
	}
	return fmt.Sprintf("%s (%s)", at, p.Operation)
}

// iacResources lists the resources of an IaC workload once each, plus the
// Pinpoint Email resources the same file declared (the inventory keeps
// those under the region, not an app).
func iacResources(s *Subject) []inventory.Provenance {
	seen := map[string]bool{}
	var out []inventory.Provenance
	add := func(p inventory.Provenance) {
		k := p.Operation + "|" + p.Address
		if !seen[k] {
			seen[k] = true
			out = append(out, p)
		}
	}
	for _, p := range s.IaC {
		add(p)
	}
	if s.Inv != nil {
		for _, r := range s.Inv.Regions {
			for _, o := range r.PinpointEmail {
				for _, p := range o.Provenance {
					if p.Source == s.Workload.ResourceID {
						add(p)
					}
				}
			}
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Line != out[j].Line {
			return out[i].Line < out[j].Line
		}
		return out[i].Address < out[j].Address
	})
	return out
}

// evsStream names the destination of an event stream: kind and name.
func evsStream(arn string) (kind, name string) {
	switch {
	case strings.Contains(arn, ":deliverystream/"):
		return "Firehose delivery stream", arn[strings.Index(arn, ":deliverystream/")+len(":deliverystream/"):]
	case strings.Contains(arn, ":stream/"):
		return "Kinesis data stream", arn[strings.Index(arn, ":stream/")+len(":stream/"):]
	case arn == "":
		// An IaC value p2c could not resolve.
		return "stream", "(destination not resolved)"
	}
	return "stream", arn
}

func init() {
	register(
		// Channels ------------------------------------------------------
		&Rule{
			ID: "CHN-DISABLED", Kind: KindChannel, Class: Direct,
			Title: "Disabled channel",
			Doc:   "A channel with Enabled false sends nothing; there is nothing to migrate and the other channel rules skip it.",
			Check: func(s *Subject) []Hit {
				if chnEnabled(s) {
					return nil
				}
				return []Hit{{Field: "Enabled", Message: fmt.Sprintf("The %s channel is disabled, so there is nothing to migrate.", s.Channel)}}
			},
		},
		&Rule{
			ID: "CHN-PUSH-CREDENTIAL", Kind: KindChannel, Class: Manual, Phase: "build",
			Title: "Push credential cannot be read",
			Doc: "Pinpoint never returns push credentials (APNs certificate or token key, FCM service JSON, Baidu and ADM secrets). " +
				"Push continues in End User Messaging Push, and wherever the channel is set up again the credential must be re-supplied by a person.",
			Check: func(s *Subject) []Hit {
				if !chnIsPush(s.Channel) || !chnEnabled(s) || (s.Channel == "GCM" && chnGCMLegacy(s.Object)) {
					return nil
				}
				what, where := chnCredential(s.Channel, s.Object)
				return []Hit{{Field: "HasCredential",
					Message: fmt.Sprintf("The %s channel's %s cannot be read from Pinpoint, so p2c cannot carry it.", s.Channel, what),
					Action:  fmt.Sprintf("Retrieve the %s from its owner and enter it on the End User Messaging Push application that sends after the migration.", what),
					Where:   where}}
			},
		},
		&Rule{
			ID: "CHN-GCM-LEGACY", Kind: KindChannel, Class: Manual, Phase: "build",
			Title: "FCM legacy server key",
			Doc: "A GCM channel without FCM v1 service credentials authenticates with a legacy FCM server key; Google has shut the " +
				"legacy FCM API down, so the channel must move to an FCM v1 service account JSON.",
			Check: func(s *Subject) []Hit {
				if s.Channel != "GCM" || !chnEnabled(s) || !chnGCMLegacy(s.Object) {
					return nil
				}
				return []Hit{{Field: "DefaultAuthenticationMethod",
					Message: "The GCM channel authenticates with a legacy FCM server key, and Google has shut the legacy FCM API down.",
					Action:  "Create an FCM v1 service account JSON for the Firebase project and set it on the channel (ServiceJson, authentication method TOKEN).",
					Where:   "Firebase console: Project settings > Service accounts; End User Messaging Push console"}}
			},
		},
		&Rule{
			ID: "CHN-EMAIL-IDENTITY", Kind: KindChannel, Class: Manual, Phase: "prerequisites",
			Title: "SES identity in the target account",
			Doc: "The email channel already sends through an SES identity. The account and region that send after the migration " +
				"need that identity verified (DKIM records for a domain) and out of the SES sandbox.",
			Check: func(s *Subject) []Hit {
				if s.Channel != "EMAIL" || !chnEnabled(s) {
					return nil
				}
				id := chnIdentity(Str(s.Object, "Identity"))
				return []Hit{{Field: "Identity",
					Message: fmt.Sprintf("The email channel sends through %s, which must be verified in the account and region that send email after the migration.", id),
					Action:  fmt.Sprintf("Verify %s in the target account and region (nothing to do if they are unchanged).", id),
					Where:   "SES console: Identities"}}
			},
		},
		&Rule{
			ID: "CHN-EMAIL-CONFIG-SET", Kind: KindChannel, Class: Direct,
			Title: "SES configuration set",
			Doc: "The email channel's ConfigurationSet is already an SES configuration set; SES sending keeps using it. Connect email " +
				"campaigns do not take one.",
			Check: func(s *Subject) []Hit {
				cs := Str(s.Object, "ConfigurationSet")
				if s.Channel != "EMAIL" || !chnEnabled(s) || cs == "" {
					return nil
				}
				return []Hit{{Field: "ConfigurationSet",
					Message: fmt.Sprintf("The email channel uses SES configuration set %s, which SES sending keeps as it is.", cs)}}
			},
		},
		&Rule{
			ID: "CHN-EMAIL-ADDRESS", Kind: KindChannel, Class: Redesign, Phase: "build",
			Title: "Connect email address",
			Doc: "Connect email campaigns send from a Connect email address (CreateEmailAddress) on a domain verified in SES and " +
				"associated to the instance. Fires when the app's campaigns or journeys send email.",
			Check: func(s *Subject) []Hit {
				if s.Channel != "EMAIL" || !chnEnabled(s) || !chnAppUses(s).Email {
					return nil
				}
				dom := chnDomain(Str(s.Object, "FromAddress"))
				on := "the verified sending domain"
				if dom != "" {
					on = "domain " + dom
				}
				return []Hit{{Field: "FromAddress",
					Message: fmt.Sprintf("The app's campaigns and journeys send email from %s; Connect sends from a Connect email address that must be created on it.", on),
					Action:  fmt.Sprintf("Decide the Connect email address and display name on %s, and associate the domain's SES identity with the instance.", on),
					Where:   "Amazon Connect admin website: Channels > Email addresses"}}
			},
		},
		&Rule{
			ID: "CHN-EMAIL-ORCHESTRATION-ROLE", Kind: KindChannel, Class: Direct,
			Title: "Orchestration sending role",
			Doc: "OrchestrationSendingRoleArn is the role Pinpoint assumes to send campaign and journey email through SES. " +
				"Connect sends with its own service-linked role, so the role has no use after the cut-over.",
			Check: func(s *Subject) []Hit {
				if s.Channel != "EMAIL" || !chnEnabled(s) || !Has(s.Object, "OrchestrationSendingRoleArn") {
					return nil
				}
				return []Hit{{Field: "OrchestrationSendingRoleArn",
					Message: "The role Pinpoint assumes to send orchestrated email (OrchestrationSendingRoleArn) is not used by Connect and can go after the cut-over."}}
			},
		},
		&Rule{
			ID: "CHN-SMS-ORIGINATOR", Kind: KindChannel, Class: Redesign, Phase: "build",
			Title: "SMS sender ID or short code",
			Doc: "The SMS channel's SenderId and ShortCode stay in End User Messaging. Connect SMS campaigns send only from phone " +
				"numbers imported into the instance; which originator they use is a decision.",
			Check: func(s *Subject) []Hit {
				if s.Channel != "SMS" || !chnEnabled(s) {
					return nil
				}
				var hits []Hit
				if id := Str(s.Object, "SenderId"); id != "" {
					hits = append(hits, Hit{Field: "SenderId", Detail: "SenderId",
						Message: fmt.Sprintf("The SMS channel sends from sender ID %q, which stays in End User Messaging and cannot be a Connect campaign originator.", id),
						Action:  fmt.Sprintf("Keep %q for End User Messaging sending and choose the phone number Connect SMS campaigns use.", id)})
				}
				if sc := Str(s.Object, "ShortCode"); sc != "" {
					hits = append(hits, Hit{Field: "ShortCode", Detail: "ShortCode",
						Message: fmt.Sprintf("The SMS channel sends from short code %s, which stays in End User Messaging.", sc),
						Action:  fmt.Sprintf("Decide whether Connect SMS campaigns send from short code %s (import it into the instance) or another number.", sc)})
				}
				return hits
			},
		},
		&Rule{
			ID: "CHN-SMS-REGISTRATION", Kind: KindChannel, Class: Manual, Phase: "prerequisites",
			Title: "SMS registrations not complete",
			Doc: "US 10DLC, toll-free and short code numbers only send once their registration is complete; the inventory's End " +
				"User Messaging registrations that are not COMPLETE and such numbers that are not ACTIVE need a person.",
			Check: func(s *Subject) []Hit {
				if s.Channel != "SMS" || !chnEnabled(s) || s.Region == nil {
					return nil
				}
				pending := map[string]int{}
				for _, r := range s.Region.EUM.Registrations {
					m := decode(r.Object)
					switch st := Str(m, "RegistrationStatus"); st {
					case "COMPLETE", "CLOSED", "DELETED", "":
					default:
						pending[Str(m, "RegistrationType")+" "+st]++
					}
				}
				inactive := 0
				for _, p := range s.Region.EUM.PhoneNumbers {
					m := decode(p.Object)
					switch Str(m, "NumberType") {
					case "TEN_DLC", "TOLL_FREE", "SHORT_CODE":
						if st := Str(m, "Status"); st != "" && st != "ACTIVE" {
							inactive++
						}
					}
				}
				if len(pending) == 0 && inactive == 0 {
					return nil
				}
				var parts []string
				for _, k := range sortedKeys(pending) {
					parts = append(parts, fmt.Sprintf("%d %s", pending[k], k))
				}
				what := ""
				if len(parts) > 0 {
					what = "registrations not complete: " + strings.Join(parts, ", ")
				}
				if inactive > 0 {
					if what != "" {
						what += "; "
					}
					what += acctCount(inactive, "10DLC, toll-free or short code number not ACTIVE", "10DLC, toll-free or short code numbers not ACTIVE")
				}
				return []Hit{{Field: "eum.registrations",
					Message: fmt.Sprintf("SMS originators in %s are not ready to send (%s).", s.Workload.Region, what),
					Action:  "Complete the registrations (brand, campaign or toll-free verification) and wait for the numbers to become ACTIVE before the cut-over.",
					Where:   "End User Messaging SMS console: Registrations"}}
			},
		},
		&Rule{
			ID: "CHN-VOICE", Kind: KindChannel, Class: Redesign, Phase: "build",
			Title: "Voice channel",
			Doc: "Pinpoint voice messages are text-to-speech calls. Engagement calls become Connect telephony: an agentless or " +
				"agent-assisted campaign whose contact flow speaks the message; API voice messages may stay on End User Messaging.",
			Check: func(s *Subject) []Hit {
				if s.Channel != "VOICE" || !chnEnabled(s) {
					return nil
				}
				return []Hit{{Field: "Enabled",
					Message: "The voice channel sends text-to-speech calls; Connect places calls through a telephony campaign that runs a contact flow.",
					Action:  "Decide which voice messages move to Connect telephony (a contact flow that plays each voice template) and which stay on End User Messaging voice."}}
			},
		},

		// Event streams ---------------------------------------------------
		&Rule{
			ID: "EVS-CONSUMERS", Kind: KindEventStream, Class: Manual, Phase: "cutover",
			Title: "Event stream consumers go quiet",
			Doc: "Pinpoint stops writing engagement events to the app's Kinesis or Firehose stream after the cut-off (2026-10-30). " +
				"Consumers must read End User Messaging and SES configuration set event destinations and a Customer Profiles event stream instead.",
			Check: func(s *Subject) []Hit {
				kind, name := evsStream(Str(s.Object, "DestinationStreamArn"))
				return []Hit{{Field: "DestinationStreamArn",
					Message: fmt.Sprintf("The app's events go to %s %s, which stops receiving them when Pinpoint engagement ends.", kind, name),
					Action:  fmt.Sprintf("Repoint the consumers of %s: SMS and voice events from End User Messaging configuration set event destinations, email events from SES configuration set event destinations, profile and campaign events from a Customer Profiles event stream.", name),
					Where:   "End User Messaging SMS console: Configuration sets; SES console: Configuration sets; Customer Profiles event streams"}}
			},
		},
		&Rule{
			ID: "EVS-SCHEMA", Kind: KindEventStream, Class: Redesign, Phase: "build",
			Title: "Event schema changes",
			Doc: "Analytics pipelines parse the Pinpoint event schema (event_type such as _email.delivered or _SMS.SUCCESS, " +
				"attributes.campaign_id, journey ids). SES, End User Messaging and Customer Profiles events have other formats.",
			Check: func(s *Subject) []Hit {
				_, name := evsStream(Str(s.Object, "DestinationStreamArn"))
				return []Hit{{Field: "DestinationStreamArn",
					Message: fmt.Sprintf("Readers of %s parse Pinpoint's event format, which none of the replacement event sources produce.", name),
					Action:  "Map the event fields your analytics use to the SES, End User Messaging and Customer Profiles event formats and adapt the parsers and dashboards."}}
			},
		},
		&Rule{
			ID: "EVS-FIREHOSE", Kind: KindEventStream, Class: Redesign, Phase: "build",
			Title: "Firehose destination",
			Doc: "SES and End User Messaging event destinations can write to Firehose, but a Customer Profiles event stream only " +
				"writes to a Kinesis data stream.",
			Check: func(s *Subject) []Hit {
				kind, name := evsStream(Str(s.Object, "DestinationStreamArn"))
				if kind != "Firehose delivery stream" {
					return nil
				}
				return []Hit{{Field: "DestinationStreamArn",
					Message: fmt.Sprintf("Events go to Firehose delivery stream %s; Customer Profiles event streams can only write to a Kinesis data stream.", name),
					Action:  fmt.Sprintf("Decide whether profile events need a Kinesis data stream feeding %s, or whether SES and End User Messaging events are enough.", name)}}
			},
		},

		// IaC -------------------------------------------------------------
		&Rule{
			ID: "IAC-PINPOINT", Kind: KindIaC, Class: Manual, Phase: "decommission",
			Title: "Pinpoint resource in IaC",
			Doc: "CloudFormation AWS::Pinpoint::* and Terraform aws_pinpoint_* engagement resources (segments, campaigns, journeys, " +
				"templates, email channel, event stream, settings) fail to deploy or update after 2026-10-30. Remove them from the " +
				"stack without deleting anything: DeletionPolicy Retain then remove (CloudFormation), terraform state rm (Terraform).",
			Check: func(s *Subject) []Hit {
				var hits []Hit
				for _, p := range iacResources(s) {
					if !iacIsPinpoint(p.Operation) || iacKeeps[p.Operation] {
						continue
					}
					act := fmt.Sprintf("Set DeletionPolicy: Retain on %s, update the stack, then delete the resource from the template and update again.", p.Address)
					where := "CloudFormation template " + s.Workload.ResourceID
					if strings.HasPrefix(p.Operation, "aws_") {
						act = fmt.Sprintf("Run terraform state rm %s and delete its block from the configuration.", p.Address)
						where = "Terraform configuration " + s.Workload.ResourceID
					}
					hits = append(hits, Hit{Field: p.Address, Detail: p.Address,
						Message: fmt.Sprintf("%s declares a Pinpoint engagement resource, which fails to deploy or update after 2026-10-30.", iacWhere(p)),
						Action:  act, Where: where})
				}
				return hits
			},
		},
		&Rule{
			ID: "IAC-PUSH-KEEP", Kind: KindIaC, Class: Direct,
			Title: "Push and SMS definitions keep working",
			Doc: "The app and its push and SMS channels (AWS::Pinpoint::App, the APNs, GCM, ADM, Baidu and SMS channel types and " +
				"their aws_pinpoint_* Terraform twins) are End User Messaging resources and keep deploying.",
			Check: func(s *Subject) []Hit {
				var hits []Hit
				for _, p := range iacResources(s) {
					if !iacKeeps[p.Operation] {
						continue
					}
					hits = append(hits, Hit{Field: p.Address, Detail: p.Address,
						Message: fmt.Sprintf("%s keeps working under End User Messaging; no change is needed.", iacWhere(p))})
				}
				return hits
			},
		},
		&Rule{
			ID: "IAC-PINPOINT-EMAIL", Kind: KindIaC, Class: Manual, Phase: "build",
			Title: "Pinpoint Email resource in IaC",
			Doc: "AWS::PinpointEmail::* types belong to the deprecated Pinpoint Email API; the same SES resources are declared with " +
				"AWS::SES::* types. p2c names the replacement type; moving the live resource into it is a stack import a person runs.",
			Check: func(s *Subject) []Hit {
				var hits []Hit
				for _, p := range iacResources(s) {
					if !strings.HasPrefix(p.Operation, "AWS::PinpointEmail::") {
						continue
					}
					to := iacSESTypes[p.Operation]
					if to == "" {
						to = "the matching AWS::SES:: type"
					}
					hits = append(hits, Hit{Field: p.Address, Detail: p.Address,
						Message: fmt.Sprintf("%s uses the deprecated Pinpoint Email API; the resource is declared as %s on SES.", iacWhere(p), to),
						Action:  fmt.Sprintf("Retain and remove %s from the stack, then import the existing SES resource as %s.", p.Address, to),
						Where:   "CloudFormation console: stack > Import resources into stack"})
				}
				return hits
			},
		},
	)
}
