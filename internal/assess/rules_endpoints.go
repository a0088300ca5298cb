package assess

import (
	"fmt"
	"sort"
	"strings"

	"github.com/p2c/p2c/internal/inventory"
)

// Endpoint population rules: what the app's endpoints and users become in
// Customer Profiles (connect-target.md 1, 3.4, 3.13). They read only the
// aggregate inventory.EndpointStats, never an endpoint: no address, user
// id or attribute value can reach a message.

// Customer Profiles limits the rules check against.
const (
	eptEmailSlots = 3   // EmailAddress, PersonalEmailAddress, BusinessEmailAddress
	eptPhoneSlots = 4   // PhoneNumber, MobilePhoneNumber, HomePhoneNumber, BusinessPhoneNumber
	eptValueMax   = 255 // profile attribute value length
	// Pinpoint caps attribute values at 100 characters; a flattened list
	// of n values joined by one separator is at most 101n-1 characters.
	eptPinpointValueMax = 100
	// Pinpoint's documented quota of endpoint attribute names per app; an
	// app past it (or past the scanner's tracking bound) usually stores
	// data in attribute names.
	eptAttrNamesMax = 250
)

// eptPushChannels are the endpoint channel types holding push tokens.
var eptPushChannels = []string{"APNS", "APNS_SANDBOX", "APNS_VOIP", "APNS_VOIP_SANDBOX", "GCM", "BAIDU", "ADM"}

func eptStats(s *Subject) *inventory.EndpointStats {
	if s.App == nil {
		return nil
	}
	return s.App.EndpointStats
}

// eptSum adds a per-channel count map, optionally restricted to channels.
func eptSum(m map[string]int64, only ...string) int64 {
	var n int64
	for ch, v := range m {
		if len(only) == 0 || eptContains(only, ch) {
			n += v
		}
	}
	return n
}

func eptContains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// eptByChannel prints "EMAIL 3, SMS 2" in channel order.
func eptByChannel(m map[string]int64) string {
	var parts []string
	for _, ch := range sortedKeys(m) {
		if m[ch] > 0 {
			parts = append(parts, fmt.Sprintf("%s %d", ch, m[ch]))
		}
	}
	return strings.Join(parts, ", ")
}

// eptUsersOver counts users with more than n endpoints.
func eptUsersOver(st *inventory.EndpointStats, n int64) (users, maxEndpoints int64) {
	for _, b := range st.EndpointsPerUser {
		if b.Endpoints > n {
			users += b.Users
		}
		if b.Endpoints > maxEndpoints && b.Users > 0 {
			maxEndpoints = b.Endpoints
		}
	}
	return users, maxEndpoints
}

func init() {
	register(
		&Rule{
			ID: "EPT-NO-STATS", Kind: KindEndpoints, Class: Manual, Phase: "data",
			Title: "No endpoint statistics",
			Doc: "The inventory holds no endpoint statistics for the app, so the size of the profile migration, opt-outs, " +
				"users, invalid addresses and attribute shapes are unknown, and the profile load has nothing to read. A person " +
				"must run an endpoint export (p2c scan --export-endpoints, before the 2026-10-30 cut-off) or give saved export files.",
			Check: func(s *Subject) []Hit {
				if eptStats(s) != nil {
					return nil
				}
				msg := "The inventory has no endpoint statistics for this app, so its endpoints and users cannot be sized or migrated."
				if ex := s.App.EndpointExport; ex != nil && ex.Status != "" {
					msg = fmt.Sprintf("The endpoint export of this app ended %s without statistics, so its endpoints and users cannot be sized or migrated.", ex.Status)
				}
				return []Hit{{Field: "EndpointStats", Message: msg,
					Action: "Run p2c scan --export-endpoints s3://BUCKET/PREFIX --export-role-arn ROLE while Pinpoint still answers, or point p2c scan --from at saved endpoint export files.",
					Where:  "p2c scan --export-endpoints / --from"}}
			},
		},
		&Rule{
			ID: "EPT-OPTOUT", Kind: KindEndpoints, Class: Trans,
			Title: "Opted-out endpoints",
			Doc: "Endpoints with OptOut ALL must stay opted out. p2c carries the opt-out as a consent attribute on the profile, " +
				"per address, and every migrated segment excludes it (SEG-OPTOUT); SMS opt-out lists in End User Messaging stay as they are.",
			Check: func(s *Subject) []Hit {
				st := eptStats(s)
				if st == nil {
					return nil
				}
				n := eptSum(st.OptedOut)
				if n == 0 {
					return nil
				}
				return []Hit{{Field: "EndpointStats.optedOut",
					Message: fmt.Sprintf("%d endpoint(s) are opted out (%s); p2c carries their consent to the profiles so migrated segments keep excluding them.", n, eptByChannel(st.OptedOut))}}
			},
		},
		&Rule{
			ID: "EPT-MULTI-ENDPOINT", Kind: KindEndpoints, Class: Trans,
			Title: "Users with several endpoints",
			Doc: "Endpoints sharing a User.UserId become one profile keyed by the user id; their addresses fill the profile's " +
				"email and phone fields and their attributes merge (list values joined).",
			Check: func(s *Subject) []Hit {
				st := eptStats(s)
				if st == nil {
					return nil
				}
				users, most := eptUsersOver(st, 1)
				if users == 0 {
					return nil
				}
				return []Hit{{Field: "EndpointStats.endpointsPerUser",
					Message: fmt.Sprintf("%d user(s) have several endpoints (up to %d); p2c merges each user's endpoints into one profile keyed by the user id.", users, most)}}
			},
		},
		&Rule{
			ID: "EPT-NO-USER", Kind: KindEndpoints, Class: Trans,
			Title: "Endpoints without a user id",
			Doc: "An endpoint without User.UserId becomes a profile of its own, keyed by the endpoint id. Two such endpoints of " +
				"the same person stay two profiles; Customer Profiles identity resolution can merge them later.",
			Check: func(s *Subject) []Hit {
				st := eptStats(s)
				if st == nil {
					return nil
				}
				n := st.Total - st.WithUser
				if n <= 0 {
					return nil
				}
				return []Hit{{Field: "EndpointStats.withUser",
					Message: fmt.Sprintf("%d of %d endpoint(s) have no user id; each becomes a profile of its own.", n, st.Total)}}
			},
		},
		&Rule{
			ID: "EPT-INVALID-ADDRESS", Kind: KindEndpoints, Class: Manual, Phase: "data",
			Title: "Invalid addresses",
			Doc: "Endpoints whose address cannot be sent to on its channel (malformed email, non-E.164 phone number, empty " +
				"token). p2c does not load them into profile contact fields; a person decides whether to fix them at the source or accept dropping them.",
			Check: func(s *Subject) []Hit {
				st := eptStats(s)
				if st == nil {
					return nil
				}
				n := eptSum(st.InvalidAddresses)
				if n == 0 {
					return nil
				}
				return []Hit{{Field: "EndpointStats.invalidAddresses",
					Message: fmt.Sprintf("%d endpoint address(es) are not valid for their channel (%s) and will not be loaded into profiles.", n, eptByChannel(st.InvalidAddresses)),
					Action:  "Fix the addresses in the system of record and re-export, or accept that those endpoints are not migrated (p2c profiles lists them by endpoint id).",
					Where:   "system of record / p2c profiles"}}
			},
		},
		&Rule{
			ID: "EPT-ATTR-ARRAY", Kind: KindEndpoints, Class: Trans,
			Title: "Multi-value attributes",
			Doc: "Pinpoint attribute values are string lists; profile Attributes are string to string. p2c flattens lists " +
				"into one delimited string, and segment conditions on them become CONTAINS (SEG-ATTRIBUTE).",
			Check: func(s *Subject) []Hit {
				st := eptStats(s)
				if st == nil {
					return nil
				}
				var names []string
				for _, a := range st.Attributes {
					if a.MaxValues > 1 {
						names = append(names, a.Scope+"."+a.Key)
					}
				}
				if len(names) == 0 {
					return nil
				}
				return []Hit{{Field: "EndpointStats.attributes.maxValues",
					Message: fmt.Sprintf("%d attribute(s) hold several values per endpoint (%s); p2c flattens each list into one string.", len(names), eptList(names))}}
			},
		},
		&Rule{
			ID: "EPT-ATTR-LENGTH", Kind: KindEndpoints, Class: Redesign, Phase: "data",
			Title: "Flattened values may exceed 255 characters",
			Doc: "A profile attribute value holds at most 255 characters. Pinpoint values reach 100 characters each, so a list " +
				"of three or more values can flatten past the limit. A person decides: truncate, spread the list over numbered " +
				"keys, or drop the attribute.",
			Check: func(s *Subject) []Hit {
				st := eptStats(s)
				if st == nil {
					return nil
				}
				var names []string
				for _, a := range st.Attributes {
					if a.MaxValues*(eptPinpointValueMax+1)-1 > eptValueMax {
						names = append(names, fmt.Sprintf("%s.%s (%d values)", a.Scope, a.Key, a.MaxValues))
					}
				}
				if len(names) == 0 {
					return nil
				}
				return []Hit{{Field: "EndpointStats.attributes.maxValues",
					Message: fmt.Sprintf("%d attribute(s) hold lists long enough to exceed the 255-character profile value once flattened: %s.", len(names), eptList(names)),
					Action:  "For each listed attribute choose: truncate to 255 characters, spread the values over numbered keys (name_1, name_2, ...), or leave it out of the profile."}}
			},
		},
		&Rule{
			ID: "EPT-ATTR-COUNT", Kind: KindEndpoints, Class: Redesign, Phase: "data",
			Title: "Too many attribute names",
			Doc: "More than 250 distinct attribute names (Pinpoint's own quota per app), or more than the scanner tracks, " +
				"usually means data stored in attribute names. Every name becomes a profile attribute key, and a profile is " +
				"limited to 250 KB; a person chooses which attributes to carry.",
			Check: func(s *Subject) []Hit {
				st := eptStats(s)
				if st == nil {
					return nil
				}
				n := int64(0)
				for _, a := range st.Attributes {
					if a.Scope == inventory.ScopeAttributes || a.Scope == inventory.ScopeUserAttributes || a.Scope == inventory.ScopeMetrics {
						n++
					}
				}
				if st.AttributesDropped == 0 && n <= eptAttrNamesMax {
					return nil
				}
				msg := fmt.Sprintf("The endpoints carry %d distinct attribute and metric names, more than the %d Pinpoint allowed per app.", n, eptAttrNamesMax)
				if st.AttributesDropped > 0 {
					msg = fmt.Sprintf("The endpoints carry more than %d distinct attribute names (%d occurrences past that were not tracked).", inventory.MaxAttributeNames, st.AttributesDropped)
				}
				return []Hit{{Field: "EndpointStats.attributes", Message: msg,
					Action: "List the attributes worth carrying into profiles (in decisions.yaml); p2c leaves the others out."}}
			},
		},
		&Rule{
			ID: "EPT-ATTR-COLLISION", Kind: KindEndpoints, Class: Redesign, Phase: "data",
			Title: "Same name in endpoint and user attributes",
			Doc: "Endpoint Attributes, User.UserAttributes and Metrics all land under the same name in the one profile Attributes map " +
				"(Attributes.<name>, the name translated templates and segments use). A name used in more than one of them holds " +
				"one value on the profile: a person decides which scope wins or renames one before the data is loaded.",
			Check: func(s *Subject) []Hit {
				st := eptStats(s)
				if st == nil {
					return nil
				}
				scopes := map[string][]string{}
				for _, a := range st.Attributes {
					switch a.Scope {
					case inventory.ScopeAttributes, inventory.ScopeUserAttributes, inventory.ScopeMetrics:
						scopes[a.Key] = append(scopes[a.Key], a.Scope)
					}
				}
				var names []string
				for _, k := range sortedKeys(scopes) {
					if len(scopes[k]) > 1 {
						names = append(names, fmt.Sprintf("%s (%s)", k, strings.Join(scopes[k], ", ")))
					}
				}
				if len(names) == 0 {
					return nil
				}
				return []Hit{{Field: "EndpointStats.attributes",
					Message: fmt.Sprintf("%d attribute name(s) are used in several scopes and would share one profile attribute: %s.", len(names), eptList(names)),
					Action:  "Decide which scope's value each shared name keeps on the profile (or rename one in the source data) before p2c profiles load."}}
			},
		},
		&Rule{
			ID: "EPT-PUSH-TOKENS", Kind: KindEndpoints, Class: Trans,
			Title: "Push tokens",
			Doc: "Push endpoints hold device tokens. Connect campaigns cannot send push, and End User Messaging Push sends to " +
				"tokens directly (no endpoint store), so p2c keeps each token with its channel as a profile attribute for the " +
				"code that sends push after the migration.",
			Check: func(s *Subject) []Hit {
				st := eptStats(s)
				if st == nil {
					return nil
				}
				n := eptSum(st.ByChannel, eptPushChannels...)
				if n == 0 {
					return nil
				}
				push := map[string]int64{}
				for _, ch := range eptPushChannels {
					push[ch] = st.ByChannel[ch]
				}
				return []Hit{{Field: "EndpointStats.byChannel",
					Message: fmt.Sprintf("%d endpoint(s) hold push tokens (%s); p2c keeps them as profile attributes for sending through End User Messaging Push.", n, eptByChannel(push))}}
			},
		},
		&Rule{
			ID: "EPT-INACTIVE", Kind: KindEndpoints, Class: Trans,
			Title: "Inactive endpoints",
			Doc: "Pinpoint sends nothing to INACTIVE endpoints (for example an address taken over by another endpoint). p2c " +
				"does not load their addresses into profile contact fields, so migrated campaigns do not reach them either.",
			Check: func(s *Subject) []Hit {
				st := eptStats(s)
				if st == nil {
					return nil
				}
				n := eptSum(st.Inactive)
				if n == 0 {
					return nil
				}
				return []Hit{{Field: "EndpointStats.inactive",
					Message: fmt.Sprintf("%d endpoint(s) are inactive (%s); p2c leaves their addresses out of the profiles.", n, eptByChannel(st.Inactive))}}
			},
		},
		&Rule{
			ID: "EPT-CONTACT-SLOTS", Kind: KindEndpoints, Class: Redesign, Phase: "data",
			Title: "More addresses than profile slots",
			Doc: "A profile holds at most 3 email addresses and 4 phone numbers (connect-target 1, 3.4). Users with more email " +
				"endpoints than 3, or more SMS/voice endpoints than 4, cannot keep them all as contact fields. The statistics " +
				"count endpoints per user across channels, so this is an upper bound.",
			Check: func(s *Subject) []Hit {
				st := eptStats(s)
				if st == nil {
					return nil
				}
				var parts []string
				if st.ByChannel["EMAIL"] > 0 {
					if u, _ := eptUsersOver(st, eptEmailSlots); u > 0 {
						parts = append(parts, fmt.Sprintf("%d user(s) have more than %d endpoints and may hold more than %d email addresses", u, eptEmailSlots, eptEmailSlots))
					}
				}
				if st.ByChannel["SMS"]+st.ByChannel["VOICE"] > 0 {
					if u, _ := eptUsersOver(st, eptPhoneSlots); u > 0 {
						parts = append(parts, fmt.Sprintf("%d user(s) have more than %d endpoints and may hold more than %d phone numbers", u, eptPhoneSlots, eptPhoneSlots))
					}
				}
				if len(parts) == 0 {
					return nil
				}
				return []Hit{{Field: "EndpointStats.endpointsPerUser",
					Message: strings.Join(parts, "; ") + "; a profile holds at most 3 email addresses and 4 phone numbers.",
					Action:  "Choose which addresses fill the profile slots (most recent, active first) and whether the rest are kept as attributes or dropped; record it in decisions.yaml."}}
			},
		},
	)
}

// eptList prints at most five names and a count of the rest.
func eptList(names []string) string {
	sort.Strings(names)
	if len(names) > 5 {
		return strings.Join(names[:5], ", ") + fmt.Sprintf(" and %d more", len(names)-5)
	}
	return strings.Join(names, ", ")
}
