// Package jsonkeys refuses JSON whose typed view could differ from what a
// reader of its text sees: an object with a member twice, or with two
// members whose names are equal under the simple Unicode folding
// encoding/json matches names with (bytes.EqualFold: "daId" and "DAID",
// "s" and "ſ", "k" and the Kelvin sign). encoding/json keeps the last of
// them, so a signed body holding both would be read as one of two values.
// It is used on verified bodies by levy (answers and notices) and evidence
// (notifications), and imports only the standard library.
package jsonkeys

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"unicode"
	"unicode/utf8"
)

// ErrAmbiguous reports a JSON object with a member twice, or two members
// whose names differ only in case.
var ErrAmbiguous = errors.New("a member appears twice, or in two cases")

var errJSONSyntax = errors.New("invalid JSON")

// keyFrame is one open object or array of Check.
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
			return ErrAmbiguous
		}
		f.many[k] = struct{}{}
		return nil
	}
	for _, s := range f.few[:f.n] {
		if bytes.EqualFold(s, name) {
			return ErrAmbiguous
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

// Check scans raw (verified JSON) once and refuses ambiguous members
// (ErrAmbiguous).
// It does not validate the rest of the syntax: json.Unmarshal does. Names
// are compared in place with bytes.EqualFold (the simple Unicode folding
// encoding/json matches with: ſ is s, the Kelvin sign k), without
// allocating for the usual small objects.
func Check(raw []byte) error {
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

// foldName maps every rune of s to the smallest rune of its simple
// folding orbit, so that two names are equal under foldName exactly when
// bytes.EqualFold says they are. An ASCII letter's smallest is its upper
// case (the orbits of k and s hold the Kelvin sign and ſ, both above
// ASCII), so ASCII text is only upper-cased.
func foldName(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return strings.ToUpper(s)
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		m := r
		for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
			m = min(m, f)
		}
		b.WriteRune(m)
	}
	return b.String()
}
