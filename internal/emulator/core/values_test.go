package core

import (
	"encoding/json"
	"testing"
)

func TestValues(t *testing.T) {
	m := map[string]any{"s": "x", "f": 2.5, "n": json.Number("7"), "b": true, "o": map[string]any{"k": []any{"v"}}}
	for k, want := range map[string]string{"s": "x", "f": "2.5", "n": "7", "b": "true", "o": "", "missing": ""} {
		if got := Str(m, k); got != want {
			t.Errorf("Str(%s) = %q, want %q", k, got, want)
		}
	}
	if Str(nil, "s") != "" || Obj(nil, "o") != nil || Obj(m, "s") != nil {
		t.Error("nil and non-object cases")
	}
	if f, ok := Num(json.Number("1.5")); !ok || f != 1.5 {
		t.Errorf("Num(json.Number) = %v %v", f, ok)
	}
	if _, ok := Num("1"); ok {
		t.Error("a string is not a number")
	}
	c := DeepCopy(m).(map[string]any)
	c["o"].(map[string]any)["k"].([]any)[0] = "changed"
	if m["o"].(map[string]any)["k"].([]any)[0] != "v" {
		t.Error("DeepCopy shares nested lists with its source")
	}
}
