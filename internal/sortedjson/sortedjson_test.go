package sortedjson

import (
	"strings"
	"testing"
)

func TestCanonicalize(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ in, want string }{
		{`{"b":{"d":1,"c":[{"z":1,"y":2}]},"a":"x"}`, `{"a":"x","b":{"c":[{"y":2,"z":1}],"d":1}}`},
		{`[3,1,2]`, `[3,1,2]`},
		{`{"s":"<a&b>"}`, `{"s":"<a&b>"}`},
		{`{"s":"\u6570\u636e"}`, `{"s":"数据"}`},
		{`{"s":"q\"b\\n\n\t\u0001\/"}`, `{"s":"q\"b\\n\n\t\u0001/"}`},
		// The DECS docs' reference serializer is Jackson (en main.md 1.2.6,
		// "ORDER_MAP_ENTRIES_BY_KEYS"), which escapes C0 controls with
		// uppercase hex: \u001F, not \u001f.
		{`{"s":"a\u001fb\u001b"}`, `{"s":"a\u001Fb\u001B"}`},
		{`{"n":1.50,"m":-0,"e":1E+2}`, `{"e":1E+2,"m":-0,"n":1.50}`},
		{` { "t" : true , "f" : false , "z" : null } `, `{"f":false,"t":true,"z":null}`},
		{`{"":1,"a":{}}`, `{"":1,"a":{}}`},
	} {
		got, err := Canonicalize([]byte(c.in))
		if err != nil || string(got) != c.want {
			t.Errorf("Canonicalize(%s) = %s, %v; want %s", c.in, got, err, c.want)
		}
	}
}

func TestCanonicalizeRejects(t *testing.T) {
	t.Parallel()
	for name, in := range map[string]string{
		"duplicate key": `{"a":1,"a":2}`,
		"nested dup":    `{"x":{"a":1,"a":1}}`,
		"trailing":      `{"a":1} {}`,
		"invalid utf8":  "{\"a\":\"\xff\"}",
		"too deep":      strings.Repeat("[", 70) + strings.Repeat("]", 70),
		"truncated":     `{"a":`,
		"empty":         ``,
	} {
		if out, err := Canonicalize([]byte(in)); err == nil {
			t.Errorf("%s: Canonicalize = %s; want an error", name, out)
		}
	}
}

func TestMarshalNoHTMLEscape(t *testing.T) {
	t.Parallel()
	got, err := Marshal(map[string]any{"u": "https://x/?a=1&b=<2>", "n": 12})
	if err != nil || string(got) != `{"n":12,"u":"https://x/?a=1&b=<2>"}` {
		t.Errorf("Marshal = %s, %v", got, err)
	}
}
