package wire

import (
	"bytes"
	"encoding/json"
	"io"
	"testing"
)

// refCheckKeys is CheckKeys written on json.Decoder's tokens: slow, but
// plainly right, for FuzzCheckKeys to compare with.
func refCheckKeys(raw []byte) bool {
	dec := json.NewDecoder(bytes.NewReader(raw))
	type frame struct {
		object, key bool
		seen        map[string]bool
	}
	var stack []frame
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return true
		}
		if err != nil {
			return true // not JSON: json.Unmarshal refuses it
		}
		top := len(stack) - 1
		if k, ok := tok.(string); ok && top >= 0 && stack[top].object && stack[top].key {
			if stack[top].seen[foldName(k)] {
				return false
			}
			stack[top].seen[foldName(k)], stack[top].key = true, false
			continue
		}
		switch tok {
		case json.Delim('{'):
			stack = append(stack, frame{object: true, key: true, seen: map[string]bool{}})
			continue
		case json.Delim('['):
			stack = append(stack, frame{})
			continue
		case json.Delim('}'), json.Delim(']'):
			stack = stack[:top]
		}
		if t := len(stack) - 1; t >= 0 && stack[t].object {
			stack[t].key = true
		}
	}
}

// FuzzCheckKeys: on valid JSON, CheckKeys refuses exactly what the
// token-based reference refuses.
func FuzzCheckKeys(f *testing.F) {
	for _, s := range []string{`{"a":1,"A":2}`, `{"a":{"b":1},"c":[{"b":2},{"b":3}]}`, `{"a\u0041":1,"aa":2}`, `{"ſ":1,"s":2}`, `[{"x":"}"},{"x":"\""}]`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		if !json.Valid(raw) {
			_ = CheckKeys(raw) // must not panic
			return
		}
		if got, want := CheckKeys(raw) == nil, refCheckKeys(raw); got != want {
			t.Fatalf("CheckKeys(%q) ok=%v; reference %v", raw, got, want)
		}
	})
}
