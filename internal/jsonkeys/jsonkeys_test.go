package jsonkeys

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
)

// refCheck is Check written on json.Decoder's tokens, comparing every
// name of an object with every other by bytes.EqualFold (the rule
// encoding/json matches names with): slow, but plainly right, and
// independent of foldName.
func refCheck(raw []byte) bool {
	dec := json.NewDecoder(bytes.NewReader(raw))
	type frame struct {
		object, key bool
		names       []string
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
			for _, n := range stack[top].names {
				if bytes.EqualFold([]byte(n), []byte(k)) {
					return false
				}
			}
			stack[top].names, stack[top].key = append(stack[top].names, k), false
			continue
		}
		switch tok {
		case json.Delim('{'):
			stack = append(stack, frame{object: true, key: true})
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

// cases are ambiguous (false) or not (true) under encoding/json's rule.
var cases = map[string]bool{
	`{"a":1,"b":2}`:                       true,
	`{"a":1,"A":2}`:                       false,
	`{"a":1,"a":2}`:                       false,
	`{"a":{"b":1},"c":[{"b":2},{"b":3}]}`: true,
	`{"a":{"b":1,"B":2}}`:                 false,
	`[{"x":1},{"x":2,"X":3}]`:             false,
	`{"a\u0041":1,"aa":2}`:                false,
	`{"ſ":1,"s":2}`:                       false, // U+017F folds to s
	`{"daStatuſ":1,"daStatus":2}`:         false,
	`{"K":1,"k":2}`:                       false, // U+212A, the Kelvin sign
	`{"é":1,"É":2}`:                       false,
	`{"ß":1,"ss":2}`:                      true, // no simple folding
	`[{"x":"}"},{"x":"\""}]`:              true,
	`{"x":"a\",\"x\":\"b"}`:               true,
	`{"Σ":1,"ς":2}`:                       false, // an orbit of three: Σ σ ς
	`{"ϐ":1,"Β":2}`:                       false, // ϐ β Β
}

func TestCheck(t *testing.T) {
	t.Parallel()
	for s, want := range cases {
		err := Check([]byte(s))
		if (err == nil) != want || err != nil && !errors.Is(err, ErrAmbiguous) {
			t.Errorf("Check(%s) = %v, want ok %v", s, err, want)
		}
		if ref := refCheck([]byte(s)); ref != want {
			t.Errorf("reference on %s: %v, want %v (the case is wrong)", s, ref, want)
		}
	}
}

// TestCheckLargeObject: past 16 members the names go to a map of folded
// names, which must fold as bytes.EqualFold does.
func TestCheckLargeObject(t *testing.T) {
	t.Parallel()
	var members []string
	for i := range 20 {
		members = append(members, fmt.Sprintf(`"m%d":%d`, i, i))
	}
	for _, pair := range [][2]string{{"s", "ſ"}, {"k", "K"}, {"σ", "ς"}, {"x", "X"}, {"y", "y"}} {
		body := "{" + strings.Join(members, ",") + `,"` + pair[0] + `":1,"` + pair[1] + `":2}`
		if err := Check([]byte(body)); !errors.Is(err, ErrAmbiguous) {
			t.Errorf("%q and %q after 20 members: %v, want ErrAmbiguous", pair[0], pair[1], err)
		}
	}
	if err := Check([]byte("{" + strings.Join(members, ",") + "}")); err != nil {
		t.Errorf("20 distinct members: %v", err)
	}
}

// FuzzCheck: on valid JSON, Check refuses exactly what the token-based
// reference refuses.
func FuzzCheck(f *testing.F) {
	for s := range cases {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		if !json.Valid(raw) {
			_ = Check(raw) // must not panic
			return
		}
		if got, want := Check(raw) == nil, refCheck(raw); got != want {
			t.Fatalf("Check(%q) ok=%v; reference %v", raw, got, want)
		}
	})
}
