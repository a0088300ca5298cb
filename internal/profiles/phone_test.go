package profiles

import (
	"math/rand/v2"
	"strconv"
	"testing"

	"github.com/nyaruka/phonenumbers"
)

// The E.164 fast path must decide exactly as Parse + IsValidNumber does.
func TestCanonicalE164MatchesParse(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 11))
	ccs := []int{1, 7, 20, 27, 31, 33, 34, 39, 44, 49, 52, 55, 61, 81, 86, 91, 225, 234, 353, 380, 852, 800, 882, 971, 998}
	n := 0
	for _, cc := range ccs {
		for i := 0; i < 400; i++ {
			digits := 4 + r.IntN(11)
			s := "+" + strconv.Itoa(cc)
			for d := 0; d < digits; d++ {
				s += strconv.Itoa(r.IntN(10))
			}
			if i%3 == 0 { // realistic numbers: an example number with its last digits changed
				if ex := phonenumbers.GetExampleNumberForType(phonenumbers.GetRegionCodeForCountryCode(cc), phonenumbers.MOBILE); ex != nil {
					e := phonenumbers.Format(ex, phonenumbers.E164)
					s = e[:len(e)-3] + strconv.Itoa(100+r.IntN(900))
				}
			}
			num, ok := canonicalE164(s)
			if !ok {
				continue
			}
			n++
			fast := phonenumbers.IsValidNumber(num)
			slow := false
			if p, err := phonenumbers.Parse(s, ""); err == nil && phonenumbers.IsValidNumber(p) {
				slow = phonenumbers.Format(p, phonenumbers.E164) == s
			}
			if fast != slow {
				t.Errorf("%s: fast path says valid=%v, Parse says %v", s, fast, slow)
			}
		}
	}
	if n < 5000 {
		t.Fatalf("only %d numbers took the fast path", n)
	}
}
