package assess

import (
	"fmt"
	"regexp"
	"strings"
)

// otpRE spots one-time-password and verification content.
var otpRE = regexp.MustCompile(`(?i)\b(one[- ]time|otp|verification code|verify|passcode|security code|your code|login code|2fa|two[- ]factor)\b|\{\{\s*(Code|OTP|code|otp)\s*\}\}`)

// classify sets a workload's destination, evidence and confidence.
func classify(s *Subject) {
	w := s.Workload
	w.Class = Direct
	set := func(dest, conf string, evidence ...string) {
		w.Destination, w.Confidence, w.Evidence = dest, conf, evidence
	}
	switch w.Kind {
	case KindCampaign:
		if why := cmpFinished(s); why != "" {
			set(DestNone, High, "the campaign has finished ("+why+"): nothing is left to send")
			break
		}
		chans := cmpChannels(s.Object)
		if _, inApp := chans["INAPP"]; inApp && len(chans) == 1 {
			set(DestNone, High, "in-app messaging has no AWS replacement")
			break
		}
		ev := []string{"segmented, scheduled sending (" + frequency(s.Object) + ") is orchestrated engagement"}
		if Str(s.Object, "Schedule.Frequency") == "EVENT" {
			ev = []string{"event-triggered sending to a segment is orchestrated engagement (Customer Profiles event trigger + campaign)"}
		}
		set(DestConnect, High, ev...)
	case KindJourney:
		set(DestConnect, High, "a multi-step journey is orchestrated engagement (Connect outbound campaign journey)")
	case KindSegment:
		set(DestConnect, High, "segments become Customer Profiles segment definitions")
	case KindSettings:
		set(DestConnect, Medium, "campaign limits, quiet time and hooks become Connect campaign and instance settings")
	case KindEndpoints:
		set(DestConnect, High, "endpoints and users become Customer Profiles profiles (consent carried per address)")
	case KindRecommender:
		set(DestNone, Medium, "Connect message templates have no Personalize recommender integration; recommendations must be computed into profile attributes")
	case KindIaC:
		set(DestNone, High, "Pinpoint resources declared in IaC fail to deploy after 2026-10-30; the definitions must be retired")
	case KindAccount:
		set(DestConnect, High, "prerequisites of the target account")
	case KindEventStream:
		set(DestEUM, Medium, "delivery events move to End User Messaging and SES event destinations (and Customer Profiles event streams)")
	case KindChannel:
		switch s.Channel {
		case "EMAIL":
			set(DestSES, High, "the email channel already sends through SES (identity "+orNone(Str(s.Object, "Identity"))+")")
		case "SMS", "VOICE":
			set(DestEUM, High, "SMS and voice originators are End User Messaging resources and stay there")
		case "APNS", "APNS_SANDBOX", "APNS_VOIP", "APNS_VOIP_SANDBOX", "GCM", "BAIDU", "ADM":
			set(DestEUM, High, "push continues in End User Messaging Push")
		default:
			set(DestNone, Low, "no known destination for channel "+s.Channel)
		}
	case KindTemplate:
		classifyTemplate(s, set)
	default:
		set(DestNone, Low, "unknown workload kind")
	}
}

func frequency(obj map[string]any) string {
	f := Str(obj, "Schedule.Frequency")
	if f == "" {
		return "ONCE"
	}
	return f
}

func orNone(s string) string {
	if s == "" {
		return "not recorded"
	}
	return s
}

// classifyTemplate separates engagement templates (used by campaigns and
// journeys) from transactional ones (used by none: API sending).
func classifyTemplate(s *Subject, set func(string, string, ...string)) {
	t := s.Template
	users := 0
	if s.Inv != nil {
		users = len(s.Inv.ReferencesTo("template", s.Region.Name, "", t.Name))
	}
	content := strings.Join([]string{Str(s.Object, "Body"), Str(s.Object, "Subject"), Str(s.Object, "TextPart"), Str(s.Object, "HtmlPart")}, " ")
	otp := otpRE.MatchString(content)
	switch {
	case t.Type == "INAPP":
		set(DestNone, High, "in-app messaging has no AWS replacement")
	case users > 0:
		set(DestConnect, High, fmt.Sprintf("used by %d campaign(s) or journey(s)", users))
	case t.Type == "PUSH":
		set(DestEUM, Medium, "used by no campaign or journey: API sending through End User Messaging Push")
	case t.Type == "SMS" || t.Type == "VOICE":
		ev := []string{"used by no campaign or journey: API sending"}
		if otp {
			ev = append(ev, "one-time-password content")
		}
		conf := Medium
		if otp {
			conf = High
		}
		set(DestEUM, conf, ev...)
	case t.Type == "EMAIL":
		ev := []string{"used by no campaign or journey: transactional email through SES"}
		conf := Medium
		if otp {
			ev = append(ev, "verification content")
			conf = High
		}
		set(DestSES, conf, ev...)
	default:
		set(DestNone, Low, "unknown template type "+t.Type)
	}
}
