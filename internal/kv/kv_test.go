package kv

import (
	"maps"
	"slices"
	"strings"
	"testing"
)

type Common struct {
	Version  string `kv:"version"`
	SignType string `kv:"signType"`
}

type req struct {
	Common
	Amount   int64  `kv:"transAmount"`
	Tips     int    `kv:"tipsAmount,omitzero"`
	Qty      *int   `kv:"qty"`
	Flag     bool   `kv:"flag,omitzero"`
	Count    uint16 `kv:"count"`
	Name     string `kv:"name"`
	Ignored  string
	Skipped  string `kv:"-"`
	Sig      string `kv:"signature"`
	internal string `kv:"internal"` //nolint:unused // unexported: not on the wire
}

func TestStructPlan(t *testing.T) {
	t.Parallel()
	three := 3
	r := req{Common: Common{Version: "V1.0", SignType: "RSA2"}, Amount: 0, Qty: &three, Name: "a&b", Ignored: "x", Skipped: "y", Sig: "s"}
	got, err := AppendCanonical([]byte("prefix:"), &r, "signature")
	if err != nil {
		t.Fatal(err)
	}
	want := "prefix:count=0&name=a&b&qty=3&signType=RSA2&transAmount=0&version=V1.0"
	if string(got) != want {
		t.Errorf("AppendCanonical =\n%s\nwant\n%s", got, want)
	}
	r.Qty, r.Tips, r.Flag = nil, 5, true
	fields, err := Fields(&r)
	if err != nil {
		t.Fatal(err)
	}
	wantFields := []Field{{"count", "0"}, {"flag", "true"}, {"name", "a&b"}, {"signType", "RSA2"}, {"signature", "s"}, {"tipsAmount", "5"}, {"transAmount", "0"}, {"version", "V1.0"}}
	if !slices.Equal(wantFields, fields) {
		t.Errorf("Fields = %q\nwant %q", fields, wantFields)
	}
	_ = r.internal
}

func TestPlanErrors(t *testing.T) {
	t.Parallel()
	type dup struct {
		A string `kv:"a"`
		B string `kv:"a"`
	}
	type bad struct {
		F float64 `kv:"f"`
	}
	type empty struct {
		A string `kv:",omitzero"`
	}
	for name, v := range map[string]any{"duplicate": dup{}, "float": bad{}, "empty name": empty{}, "not a struct": 5, "nil pointer": (*dup)(nil)} {
		if _, err := AppendCanonical(nil, v, ""); err == nil || !strings.HasPrefix(err.Error(), "kv: ") {
			t.Errorf("%s: error = %v; want a kv: error", name, err)
		}
	}
}

func TestFieldsFromJSON(t *testing.T) {
	t.Parallel()
	got, err := FieldsFromJSON([]byte(`{"s":"a\u0026b","n":1.50,"z":null,"o":{"k": 1},"a":[1, 2],"t":true}`))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"s": "a&b", "n": "1.50", "z": "", "o": `{"k": 1}`, "a": `[1, 2]`, "t": "true"}
	if !maps.Equal(want, got) {
		t.Errorf("FieldsFromJSON = %q\nwant %q", got, want)
	}
	for name, in := range map[string]string{
		"duplicate": `{"a":"1","a":"2"}`, "array": `[1]`, "trailing": `{} {}`,
		"invalid utf8": "{\"a\":\"\xff\"}", "truncated": `{"a":`,
	} {
		if _, err := FieldsFromJSON([]byte(in)); err == nil {
			t.Errorf("%s: FieldsFromJSON = nil error", name)
		}
	}
	if got := string(CanonicalMap(map[string]string{"b": "2", "a": "", "signature": "x", "c": "3"}, "signature")); got != "b=2&c=3" {
		t.Errorf("CanonicalMap = %q; want b=2&c=3", got)
	}
}
