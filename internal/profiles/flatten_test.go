package profiles

import (
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestFlattenList(t *testing.T) {
	for _, tc := range []struct {
		in   []string
		want string
	}{
		{[]string{"gold"}, "gold"},
		{[]string{"a", "b"}, "a,b"},
		{[]string{"a,b"}, `a\,b`},
		{[]string{`c:\x`, ""}, `c:\\x,`},
		{[]string{"", ""}, ","},
	} {
		if got := FlattenList(tc.in); got != tc.want {
			t.Errorf("FlattenList(%q) = %q, want %q", tc.in, got, tc.want)
		}
		if got := SplitList(tc.want); !reflect.DeepEqual(got, tc.in) {
			t.Errorf("SplitList(%q) = %q, want %q", tc.want, got, tc.in)
		}
	}
	if got := SplitList(`a\`); !reflect.DeepEqual(got, []string{`a\`}) {
		t.Errorf("trailing backslash: %q", got)
	}
}

// TestFlattenListProperty: SplitList(FlattenList(x)) == x for every
// non-empty list, values drawn from an alphabet rich in separators.
func TestFlattenListProperty(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	alphabet := []string{",", `\`, "a", "é", " ", `\,`, ",,"}
	for i := 0; i < 20000; i++ {
		vals := make([]string, 1+r.IntN(5))
		for j := range vals {
			var sb strings.Builder
			for k := r.IntN(6); k > 0; k-- {
				sb.WriteString(alphabet[r.IntN(len(alphabet))])
			}
			vals[j] = sb.String()
		}
		if got := SplitList(FlattenList(vals)); !reflect.DeepEqual(got, vals) {
			t.Fatalf("SplitList(FlattenList(%q)) = %q", vals, got)
		}
	}
}

func TestSplitLong(t *testing.T) {
	if got := SplitLong("a", strings.Repeat("x", 255)); len(got) != 1 {
		t.Errorf("255 characters split: %d parts", len(got))
	}
	// 300 two-byte characters: 600 bytes, 2 parts by characters.
	v := strings.Repeat("é", 300)
	got := SplitLong("a", v)
	if len(got) != 2 || got[0].K != "a" || got[1].K != "a__2" {
		t.Fatalf("got %v", got)
	}
	if utf8.RuneCountInString(got[0].V) != 255 || got[0].V+got[1].V != v || !utf8.ValidString(got[1].V) {
		t.Errorf("bad parts: %d + %d characters", utf8.RuneCountInString(got[0].V), utf8.RuneCountInString(got[1].V))
	}
	got = SplitLong("k", strings.Repeat("z", 766))
	if len(got) != 4 || got[3].K != "k__4" || got[3].V != "z" {
		t.Errorf("766 characters: %d parts, last %v", len(got), got[len(got)-1])
	}
}
