package sortedjson_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"testing"

	"github.com/bizapi-cn/go-sdk/internal/sortedjson"
)

// FuzzCanonicalize: no panic; the output is idempotent and parses back to
// the same value as the input.
func FuzzCanonicalize(f *testing.F) {
	f.Add([]byte(`{"v":"1.0.0","auth":{"nonce":"n","appId":"a"},"arg":{"b":"x","a":"<&>"}}`))
	f.Add([]byte(`[1, 2.50, -3e2, "s\u2028", true, null, {"z":{},"y":[]}]`))
	f.Add([]byte(`{"a":"\u0000\t\"\\"}`))
	f.Fuzz(func(t *testing.T, in []byte) {
		out, err := sortedjson.Canonicalize(in)
		if err != nil {
			return
		}
		again, err := sortedjson.Canonicalize(out)
		if err != nil {
			t.Fatalf("canonical output does not canonicalize: %v\n%s", err, out)
		}
		if string(again) != string(out) {
			t.Fatalf("not idempotent:\n%s\n%s", out, again)
		}
		// Numbers are compared as their text: JSON allows literals beyond
		// float64 (the fuzzer found 2e300-sized ones), and canonical JSON
		// keeps them as sent.
		a, err := decode(in)
		if err != nil {
			t.Fatalf("accepted input encoding/json rejects: %v", err)
		}
		b, err := decode(out)
		if err != nil {
			t.Fatalf("output is not JSON: %v\n%s", err, out)
		}
		// Both sides decoded and encoded again by encoding/json (which
		// sorts object keys and keeps json.Number literals): equal values
		// give equal bytes.
		ja, _ := json.Marshal(a)
		jb, _ := json.Marshal(b)
		if !bytes.Equal(ja, jb) {
			t.Fatalf("value changed:\nin  %s\nout %s", ja, jb)
		}
	})
}

func decode(b []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("trailing data")
	}
	return v, nil
}
