package sortedjson_test

import (
	"encoding/json"
	"testing"

	"github.com/bizapi-cn/go-sdk/internal/sortedjson"
	"github.com/google/go-cmp/cmp"
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
		var a, b any
		if err := json.Unmarshal(in, &a); err != nil {
			t.Fatalf("accepted input encoding/json rejects: %v", err)
		}
		if err := json.Unmarshal(out, &b); err != nil {
			t.Fatalf("output is not JSON: %v\n%s", err, out)
		}
		if diff := cmp.Diff(a, b); diff != "" {
			t.Fatalf("value changed (-in +out):\n%s", diff)
		}
	})
}
