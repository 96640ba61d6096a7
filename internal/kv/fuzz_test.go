package kv_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/bizapi-cn/go-sdk/internal/kv"
)

// FuzzFieldsFromJSON: no panic; every accepted input is one JSON object
// whose string members come back unquoted, and the canonical string of the
// field set never contains an empty value or the skipped key.
func FuzzFieldsFromJSON(f *testing.F) {
	f.Add([]byte(`{"requestNo":"Q-1","transAmount":1,"bankUserId":"","x":null,"o":{"a":1},"signature":"s"}`))
	f.Add([]byte(`{"a":"\u00e9\n","b":[1,2]}`))
	f.Add([]byte(`{"a":1,"a":2}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, in []byte) {
		m, err := kv.FieldsFromJSON(in)
		dec := json.NewDecoder(bytes.NewReader(in))
		dec.UseNumber() // JSON numbers beyond float64 are valid
		var generic map[string]any
		jerr := dec.Decode(&generic)
		if jerr == nil {
			if _, terr := dec.Token(); terr != io.EOF {
				jerr = errors.New("trailing data")
			}
		}
		if jerr == nil && generic == nil {
			jerr = errors.New("null is not an object")
		}
		if err != nil {
			if jerr == nil && !hasDuplicateKey(in) && utf8.Valid(in) {
				t.Fatalf("refused an object encoding/json accepts: %v\n%q", err, in)
			}
			return
		}
		if jerr != nil {
			t.Fatalf("accepted input that encoding/json rejects: %v", jerr)
		}
		if len(m) != len(generic) {
			t.Fatalf("%d fields; encoding/json sees %d", len(m), len(generic))
		}
		for k, v := range generic {
			if s, ok := v.(string); ok && m[k] != s {
				t.Fatalf("field %q = %q; want %q", k, m[k], s)
			}
		}
		c := string(kv.CanonicalMap(m, "signature"))
		if strings.HasPrefix(c, "signature=") || strings.Contains(c, "&signature=") {
			t.Fatalf("canonical string contains the skipped field: %q", c)
		}
	})
}

type fuzzReq struct {
	A string `kv:"a"`
	B string `kv:"b"`
	N int64  `kv:"n,omitzero"`
	P *int   `kv:"p"`
	S string `kv:"signature"`
}

// FuzzAppendCanonical: the struct path and the raw field-set path agree.
func FuzzAppendCanonical(f *testing.F) {
	f.Add("x", "", int64(0), true, "sig")
	f.Add("童装", "a=b&c", int64(-5), false, "")
	f.Fuzz(func(t *testing.T, a, b string, n int64, hasP bool, s string) {
		r := fuzzReq{A: a, B: b, N: n, S: s}
		if hasP {
			p := 7
			r.P = &p
		}
		fromStruct, err := kv.AppendCanonical(nil, &r, "signature")
		if err != nil {
			t.Fatal(err)
		}
		fields, err := kv.Fields(r)
		if err != nil {
			t.Fatal(err)
		}
		m := map[string]string{}
		for _, fl := range fields {
			m[fl.Key] = fl.Value
		}
		if got := kv.CanonicalMap(m, "signature"); string(got) != string(fromStruct) {
			t.Fatalf("AppendCanonical = %q; CanonicalMap(Fields) = %q", fromStruct, got)
		}
		byValue, _ := kv.AppendCanonical(nil, r, "signature")
		if string(byValue) != string(fromStruct) {
			t.Fatalf("by value %q != by pointer %q", byValue, fromStruct)
		}
	})
}

// hasDuplicateKey reports a repeated top-level key.
func hasDuplicateKey(in []byte) bool {
	dec := json.NewDecoder(bytes.NewReader(in))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return false
	}
	seen := map[string]bool{}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return false
		}
		k, _ := t.(string)
		if seen[k] {
			return true
		}
		seen[k] = true
		var v json.RawMessage
		if dec.Decode(&v) != nil {
			return false
		}
	}
	return false
}
