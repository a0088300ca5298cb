// Package translate rewrites Pinpoint constructs into their Amazon Connect
// form: message-template content (Handlebars placeholders and helpers) for
// Q in Connect CreateMessageTemplate, and segment dimensions for Customer
// Profiles CreateSegmentDefinition.
//
// It is also the one place the endpoint-to-profile naming is written down
// (ProfileField, OptOutAttribute, ChannelsAttribute, ObjectField): the
// profile loader, the object type, templates and segments must agree on
// where an endpoint value lands, or a migrated segment silently matches
// nobody. Nothing here reads an inventory or calls AWS.
package translate

import (
	"strconv"
	"strings"
)

// Problem is a construct that could not be translated. Nothing is dropped
// silently: every construct left out (or left as written) is one Problem.
type Problem struct {
	// Path is where the construct sits in the source object: a template
	// field ("HtmlPart", "Default.Body") or a segment path
	// ("SegmentGroups.Groups[0].Dimensions[1].Location.GPSPoint").
	Path string `json:"path"`
	// Token is the Handlebars token as written (templates only).
	Token string `json:"token,omitempty"`
	// Pos is the token's byte offset in the field (templates only; -1 when
	// the problem is about the whole field).
	Pos    int    `json:"pos"`
	Reason string `json:"reason"`
}

// Endpoint-to-profile naming. Pinpoint endpoint and user values become
// profile fields as follows (Customer Profiles Attributes are a
// string-to-string map, so lists are joined with FlattenSeparator):
//
//	User.UserAttributes.X     → Attributes.X
//	Attributes.X              → Attributes.X   (endpoint attributes share the map with user attributes)
//	Metrics.X                 → Attributes.X   (the number written as a decimal string)
//	User.UserId               → Attributes.UserId
//	Demographic.X             → Attributes.Demographic_X
//	Location.City/Country/PostalCode/Region → Address.City/Country/PostalCode/State
//	Location.Latitude/Longitude             → Attributes.Location_Latitude/Longitude
//	ChannelType of every active endpoint    → Attributes.Channels (joined)
//	OptOut ALL of the endpoints of channel C → Attributes.OptOut_C = "ALL"
const (
	// FlattenSeparator joins the values of a list attribute (and of a
	// field several endpoints of one profile contribute).
	FlattenSeparator = ","
	// ChannelsAttribute is the profile attribute listing the channel
	// types (EMAIL, SMS, VOICE, ...) of the profile's active endpoints.
	ChannelsAttribute = "Channels"
	// OptOutValue is the value of OptOutAttribute for an opted-out
	// address: Pinpoint's own OptOut value.
	OptOutValue = "ALL"
)

// OptOutAttribute names the profile attribute that records that every
// endpoint of a channel of the profile opted out (value OptOutValue).
// Consent is per address in Pinpoint, so it is per channel on the profile:
// an SMS opt-out must not keep someone from email. Customer Profiles'
// EngagementPreferences cannot be used in segment conditions, hence a
// custom attribute.
func OptOutAttribute(channel string) string { return "OptOut_" + strings.ToUpper(channel) }

// ReachableChannels are the endpoint channel types a Connect outbound
// campaign can send to (email, SMS, voice); the order is stable.
var ReachableChannels = []string{"EMAIL", "SMS", "VOICE"}

// Flatten joins list values into one profile attribute value.
func Flatten(values []string) string { return strings.Join(values, FlattenSeparator) }

// ProfileField says where a Pinpoint endpoint or user path lands on a
// Customer Profiles profile, as a path inside the profile ("Attributes.X",
// "Address.City"); "" when the path has no profile field. Trailing array
// indexes are ignored (see SplitIndex).
func ProfileField(path string) string {
	base, _ := SplitIndex(path)
	root, rest, _ := strings.Cut(base, ".")
	switch root {
	case "User":
		switch {
		case rest == "UserId":
			return "Attributes.UserId"
		case strings.HasPrefix(rest, "UserAttributes.") && len(rest) > len("UserAttributes."):
			return "Attributes." + strings.TrimPrefix(rest, "UserAttributes.")
		}
	case "Attributes", "Metrics":
		if rest != "" {
			return "Attributes." + rest
		}
	case "Demographic":
		if rest != "" {
			return "Attributes.Demographic_" + rest
		}
	case "Location":
		switch rest {
		case "City", "Country", "PostalCode":
			return "Address." + rest
		case "Region":
			return "Address.State"
		case "Latitude", "Longitude":
			return "Attributes.Location_" + rest
		}
	}
	return ""
}

// ProfileAttribute is the key in the profile's Attributes map that holds a
// Pinpoint path, or "" when the path lands elsewhere (a standard field) or
// nowhere.
func ProfileAttribute(path string) string {
	f := ProfileField(path)
	if k, ok := strings.CutPrefix(f, "Attributes."); ok {
		return k
	}
	return ""
}

// ObjectField is the field name of a Pinpoint path in the endpoint profile
// object type (ObjectTypeField names allow [A-Za-z0-9_.-]{1,64}), used by
// calculated attributes that aggregate over a profile's endpoints:
// "Metrics.purchases" → "Metrics_purchases". Characters outside the
// allowed set become "_".
func ObjectField(path string) string {
	base, _ := SplitIndex(path)
	b := []byte(strings.ReplaceAll(base, ".", "_"))
	for i, c := range b {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			b[i] = '_'
		}
	}
	if len(b) > 64 {
		b = b[:64]
	}
	return string(b)
}

// Status says how a placeholder translates.
type Status string

const (
	Mapped      Status = "mapped"      // deterministic rewrite
	NoField     Status = "no-field"    // endpoint data with no profile equivalent
	Recommender Status = "recommender" // Pinpoint recommender output
	Sender      Status = "sender"      // filled by direct-send substitutions
)

// Placeholder maps a Pinpoint variable path to its Connect message-template
// placeholder path. typ is the template type (EMAIL, SMS, PUSH, ...).
// Trailing array indexes are returned in idx ("" when none) and left off
// target. A target in double quotes is a constant (ChannelType, OptOut,
// EndpointStatus have one value for every Connect recipient).
func Placeholder(path, typ string) (target string, status Status, idx string) {
	base, idx := SplitIndex(path)
	if f := ProfileField(base); f != "" {
		// Connect flattens the profile's primary address into the customer
		// namespace ({{Attributes.Customer.City}}), as its
		// CustomerProfileAttributes (city, postalCode, ...) do.
		return "Attributes.Customer." + strings.TrimPrefix(f, "Address."), Mapped, idx
	}
	root, rest, _ := strings.Cut(base, ".")
	switch root {
	case "User", "Attributes", "Metrics", "Demographic", "Location":
		return "", NoField, idx
	case "RecommendationItems", "Recommendations":
		return "", Recommender, idx
	}
	if rest != "" {
		return "", Sender, idx
	}
	switch root {
	case "Address":
		switch typ {
		case "EMAIL":
			return "Attributes.Customer.EmailAddress", Mapped, idx
		case "SMS":
			return "Attributes.Customer.MobilePhoneNumber", Mapped, idx
		}
		return "", NoField, idx
	case "ChannelType":
		if typ == "EMAIL" || typ == "SMS" || typ == "VOICE" {
			return `"` + typ + `"`, Mapped, idx
		}
		return "", NoField, idx
	case "OptOut":
		return `"NONE"`, Mapped, idx // only opted-in addresses are contacted
	case "EndpointStatus":
		return `"ACTIVE"`, Mapped, idx
	case "Id", "CreationDate", "EffectiveDate", "RequestId":
		return "", NoField, idx
	}
	return "", Sender, idx
}

// SplitIndex separates trailing array indexes: "A.B.[0]" → "A.B", "[0]".
func SplitIndex(path string) (base, idx string) {
	base = path
	for {
		i := strings.LastIndex(base, ".")
		if i < 0 {
			return base, idx
		}
		seg := strings.Trim(base[i+1:], "[]")
		if _, err := strconv.Atoi(seg); err != nil || seg == "" {
			return base, idx
		}
		idx = "[" + seg + "]" + idx
		base = base[:i]
	}
}
