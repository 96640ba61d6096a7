package wire

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"unicode/utf8"
)

// ErrAmbiguousKeys reports a JSON object with a member twice, or two
// members whose names differ only in case: encoding/json matches names
// case-insensitively and keeps the last, so the typed view could differ
// from what a reader of the signed text sees.
var ErrAmbiguousKeys = errors.New("a member appears twice, or in two cases")

var errJSONSyntax = errors.New("invalid JSON")

// keyFrame is one open object or array of CheckKeys.
type keyFrame struct {
	object    bool
	expectKey bool
	n         int
	few       [16][]byte          // the object's names so far
	many      map[string]struct{} // folded, past 16 of them
}

func (f *keyFrame) add(name []byte) error {
	if f.many != nil {
		k := foldName(string(name))
		if _, dup := f.many[k]; dup {
			return ErrAmbiguousKeys
		}
		f.many[k] = struct{}{}
		return nil
	}
	for _, s := range f.few[:f.n] {
		if bytes.EqualFold(s, name) {
			return ErrAmbiguousKeys
		}
	}
	if f.n < len(f.few) {
		f.few[f.n] = name
		f.n++
		return nil
	}
	f.many = make(map[string]struct{}, 2*len(f.few))
	for _, s := range f.few {
		f.many[foldName(string(s))] = struct{}{}
	}
	f.many[foldName(string(name))] = struct{}{}
	return nil
}

// CheckKeys scans raw (verified JSON) once and refuses ambiguous members.
// It does not validate the rest of the syntax: json.Unmarshal does. Names
// are compared in place with bytes.EqualFold (the simple Unicode folding
// encoding/json matches with: ſ is s, the Kelvin sign k), without
// allocating for the usual small objects.
func CheckKeys(raw []byte) error {
	var backing [6]keyFrame
	stack := backing[:0]
	for i := 0; i < len(raw); i++ {
		switch raw[i] {
		case '{':
			stack = append(stack, keyFrame{object: true, expectKey: true})
		case '[':
			stack = append(stack, keyFrame{})
		case '}', ']':
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
		case ',':
			if n := len(stack); n > 0 && stack[n-1].object {
				stack[n-1].expectKey = true
			}
		case '"':
			j, esc := i+1, false
			for ; j < len(raw) && raw[j] != '"'; j++ {
				if raw[j] == '\\' {
					esc = true
					j++
				}
			}
			if j >= len(raw) {
				return errJSONSyntax
			}
			if n := len(stack); n > 0 && stack[n-1].object && stack[n-1].expectKey {
				f := &stack[n-1]
				f.expectKey = false
				name := raw[i+1 : j]
				if esc {
					var s string
					if err := json.Unmarshal(raw[i:j+1], &s); err != nil {
						return errJSONSyntax
					}
					name = []byte(s)
				}
				if err := f.add(name); err != nil {
					return err
				}
			}
			i = j
		}
	}
	return nil
}

// foldName folds a member name for the map of a large object: ASCII case,
// and for other text simple Unicode folding through upper then lower case.
func foldName(s string) string {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return strings.ToLower(strings.ToUpper(s))
		}
	}
	return strings.ToLower(s)
}
