package cli

import (
	"errors"
	"testing"

	"github.com/p2c/p2c/internal/profiles"
)

func TestParseShard(t *testing.T) {
	for in, want := range map[string]profiles.Shard{"": {}, "1/1": {I: 1, N: 1}, "3/8": {I: 3, N: 8}, " 2 / 2 ": {I: 2, N: 2}} {
		got, err := parseShard(in)
		if err != nil || got != want {
			t.Errorf("parseShard(%q) = %+v, %v; want %+v", in, got, err, want)
		}
	}
	for _, in := range []string{"0/4", "3/2", "x", "1/0", "1", "-1/2", "1/2/3", "a/b"} {
		_, err := parseShard(in)
		var ue usageError
		if !errors.As(err, &ue) {
			t.Errorf("parseShard(%q): %v, want a usage error", in, err)
		}
	}
}
