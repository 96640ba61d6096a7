package sortedjson

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// appendCanonicalTokens is the encoding/json token-based canonicalizer the
// scanner replaced: the reference the fuzz target compares against.
func appendCanonicalTokens(dst, raw []byte) ([]byte, error) {
	if !utf8.Valid(raw) {
		return dst, errors.New("sortedjson: input is not valid UTF-8")
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	dst, err := appendValue(dst, dec, 0)
	if err != nil {
		return dst, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return dst, errors.New("sortedjson: trailing data after JSON value")
	}
	return dst, nil
}

func appendValue(dst []byte, dec *json.Decoder, depth int) ([]byte, error) {
	if depth > maxDepth {
		return dst, errors.New("sortedjson: nesting too deep")
	}
	tok, err := dec.Token()
	if err != nil {
		return dst, fmt.Errorf("sortedjson: %w", err)
	}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			var members []refMember
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return dst, fmt.Errorf("sortedjson: %w", err)
				}
				k, ok := kt.(string)
				if !ok {
					return dst, errors.New("sortedjson: object key is not a string")
				}
				v, err := appendValue(nil, dec, depth+1)
				if err != nil {
					return dst, err
				}
				members = append(members, refMember{key: k, val: v})
			}
			if _, err := dec.Token(); err != nil {
				return dst, fmt.Errorf("sortedjson: %w", err)
			}
			slices.SortFunc(members, func(a, b refMember) int { return strings.Compare(a.key, b.key) })
			dst = append(dst, '{')
			for i, m := range members {
				if i > 0 {
					if m.key == members[i-1].key {
						return dst, fmt.Errorf("sortedjson: duplicate key %q", m.key)
					}
					dst = append(dst, ',')
				}
				dst = AppendString(dst, m.key)
				dst = append(dst, ':')
				dst = append(dst, m.val...)
			}
			return append(dst, '}'), nil
		case '[':
			dst = append(dst, '[')
			for i := 0; dec.More(); i++ {
				if i > 0 {
					dst = append(dst, ',')
				}
				if dst, err = appendValue(dst, dec, depth+1); err != nil {
					return dst, err
				}
			}
			if _, err := dec.Token(); err != nil {
				return dst, fmt.Errorf("sortedjson: %w", err)
			}
			return append(dst, ']'), nil
		}
		return dst, errors.New("sortedjson: unexpected delimiter")
	case string:
		return AppendString(dst, t), nil
	case json.Number:
		return append(dst, t...), nil
	case bool:
		if t {
			return append(dst, "true"...), nil
		}
		return append(dst, "false"...), nil
	case nil:
		return append(dst, "null"...), nil
	}
	return dst, fmt.Errorf("sortedjson: unexpected token %T", tok)
}

func FuzzScannerMatchesTokens(f *testing.F) {
	f.Add([]byte(`{"b":1,"a":[true,null,"\u00e9\ud83d\ude00\ud800x"],"c":{"z":-1.5e3}}`))
	f.Add([]byte(` [ ] `))
	f.Add([]byte(`{"a":1,"a":2}`))
	f.Fuzz(func(t *testing.T, in []byte) {
		got, err1 := AppendCanonical(nil, in)
		want, err2 := appendCanonicalTokens(nil, in)
		if (err1 == nil) != (err2 == nil) {
			t.Fatalf("scanner err %v, tokens err %v on %q", err1, err2, in)
		}
		if err1 == nil && string(got) != string(want) {
			t.Fatalf("scanner %q, tokens %q", got, want)
		}
	})
}

type refMember struct {
	key string
	val []byte
}
