package inventory

import (
	"net/mail"
	"strings"
)

// ValidAddress reports whether an endpoint address can be sent to on its
// channel: E.164 for SMS and VOICE, a bare RFC 5322 address for EMAIL, a
// non-empty token for push channels and CUSTOM. IN_APP endpoints need no
// address.
func ValidAddress(channel, addr string) bool {
	switch channel {
	case "SMS", "VOICE":
		return isE164(addr)
	case "EMAIL":
		a, err := mail.ParseAddress(addr)
		// A display name or comment ("Jane <j@x>") is not an address
		// Pinpoint would have stored.
		return err == nil && a.Address == addr && a.Name == ""
	case "IN_APP":
		return true
	default:
		return strings.TrimSpace(addr) != ""
	}
}

// isE164 checks "+" followed by 2 to 15 digits, the first not zero.
func isE164(s string) bool {
	if len(s) < 3 || len(s) > 16 || s[0] != '+' || s[1] < '1' || s[1] > '9' {
		return false
	}
	for i := 2; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
