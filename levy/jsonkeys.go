package levy

import (
	"encoding/json"
	"errors"
	"strings"
	"unicode/utf8"
)

// errAmbiguousKeys reports a JSON object with a member twice, or two
// members whose names differ only in case: encoding/json matches names
// case-insensitively and keeps the last, so the typed view could differ
// from what a reader of the signed text sees.
var errAmbiguousKeys = errors.New("a member appears twice, or in two cases")

var errJSONSyntax = errors.New("invalid JSON")

// checkKeys scans raw (verified JSON) once and refuses ambiguous members.
// It does not validate the rest of the syntax: json.Unmarshal does.
func checkKeys(raw []byte) error {
	type frame struct {
		object    bool
		expectKey bool
		few       []string            // the folded names so far
		many      map[string]struct{} // past 32 of them
	}
	var stack []frame
	for i := 0; i < len(raw); i++ {
		switch raw[i] {
		case '{':
			stack = append(stack, frame{object: true, expectKey: true})
		case '[':
			stack = append(stack, frame{})
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
				name := string(raw[i+1 : j])
				if esc {
					if err := json.Unmarshal(raw[i:j+1], &name); err != nil {
						return errJSONSyntax
					}
				}
				k := foldName(name)
				if f.many != nil {
					if _, dup := f.many[k]; dup {
						return errAmbiguousKeys
					}
					f.many[k] = struct{}{}
					break
				}
				for _, s := range f.few {
					if s == k {
						return errAmbiguousKeys
					}
				}
				f.few = append(f.few, k)
				if len(f.few) > 32 {
					f.many = make(map[string]struct{}, 64)
					for _, s := range f.few {
						f.many[s] = struct{}{}
					}
					f.few = nil
				}
			}
			i = j
		}
	}
	return nil
}

// foldName folds a member name as encoding/json matches it: ASCII case,
// and for other text simple Unicode folding (ſ as s, the Kelvin sign as k).
func foldName(s string) string {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return strings.ToLower(strings.ToUpper(s))
		}
	}
	return strings.ToLower(s)
}
