package translate

import (
	"encoding/json"
	"reflect"
	"testing"
)

func TestTokens(t *testing.T) {
	toks := Tokens(`Hi {{User.UserAttributes.FirstName.[0]}}, {{#if (eq Attributes.tier "gold")}}{{{Attributes.html}}}{{else}}x{{/if}} ` +
		`{{!-- note {{ignored}} --}}{{formatDate (now) "MMM d" locale=Demographic.Locale}}\{{literal}}{{~#each Attributes.list~}}{{this}}{{@index}}{{/each}}`)
	type summary struct {
		Kind    string
		Name    string
		Paths   []string
		Helpers []string
	}
	var got []summary
	for _, tk := range toks {
		got = append(got, summary{string(tk.Kind), tk.Name, tk.Paths, tk.Helpers})
	}
	want := []summary{
		{"v", "", []string{"User.UserAttributes.FirstName.[0]"}, nil},
		{"#", "if", []string{"Attributes.tier"}, []string{"if", "eq"}},
		{"v", "", []string{"Attributes.html"}, nil},
		{"e", "", nil, nil},
		{"/", "if", nil, nil},
		{"!", "", nil, nil},
		{"v", "formatDate", []string{"Demographic.Locale"}, []string{"formatDate", "now"}},
		{"#", "each", []string{"Attributes.list"}, []string{"each"}},
		{"v", "", nil, nil},
		{"v", "", nil, nil},
		{"/", "each", nil, nil},
	}
	if !reflect.DeepEqual(got, want) {
		gj, _ := json.MarshalIndent(got, "", " ")
		t.Errorf("tokens:\n%s", gj)
	}
}

func TestBalance(t *testing.T) {
	for in, want := range map[string]string{
		"{{#if a}}{{#each b}}{{this}}{{/each}}{{else}}x{{/if}} {{!-- {{ --}}": "",
		"{{#if a}}yes":                         "{{#if}} never closed",
		"Hi {{User.UserAttributes.Name":        "an unclosed {{ at offset 3",
		"{{#if a}}{{#each b}}{{/if}}{{/each}}": "{{#each}} closed by {{/if}}",
		"{{/if}}":                              "a stray {{/if}}",
	} {
		if got := Balance(in); got != want {
			t.Errorf("Balance(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestUsesRelative(t *testing.T) {
	var got []string
	for _, u := range Uses(`{{#each Items}}{{name}} {{Attributes.x}}{{/each}} {{name}}`) {
		got = append(got, u.Path+map[bool]string{true: " rel", false: ""}[u.Relative])
	}
	want := []string{"Items", "name rel", "Attributes.x", "name"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Uses = %q, want %q", got, want)
	}
}

// FuzzTokens: the scanner never panics, never loops, and its tokens lie
// inside the input in order.
func FuzzTokens(f *testing.F) {
	for _, s := range []string{"", "{{", "}}", "{{{", "{{a}", "{{#if (eq a \"b}}", "{{!-- x", "\\{{a}}", "{{ {{a}} }}", "{{a.[0}}", "{{~}}", "{{#}}{{/}}", "{{'}}", "{{(}}"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		last := -1
		for _, tk := range Tokens(s) {
			if tk.Pos <= last || tk.Pos+len(tk.Raw) > len(s) || s[tk.Pos:tk.Pos+len(tk.Raw)] != tk.Raw {
				t.Fatalf("token %+v out of place in %q", tk, s)
			}
			last = tk.Pos
		}
		_ = Balance(s)
		_ = Rewrite(s, "SMS")
		_ = Uses(s)
		for _, p := range []string{s, "User.UserAttributes." + s, "Attributes." + s + ".[0]"} {
			Placeholder(p, "EMAIL")
			ProfileField(p)
			ObjectField(p)
		}
	})
}
