// Package sortedjson produces the canonical JSON that DECS hashes: object
// keys sorted (byte order) at every level, compact, no HTML escaping,
// non-ASCII as raw UTF-8, numbers as their literal text. Only '"', '\\' and
// control characters are escaped, as Python's json.dumps(ensure_ascii=False)
// and common Java serializers do.
package sortedjson

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode/utf8"
)

// maxDepth bounds nesting so hostile input cannot exhaust the stack.
const maxDepth = 64

// Marshal encodes v with encoding/json and returns its canonical form.
func Marshal(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, fmt.Errorf("sortedjson: %w", err)
	}
	return Canonicalize(buf.Bytes())
}

// Canonicalize returns the canonical form of the JSON text raw. It rejects
// invalid UTF-8, duplicate keys, trailing data and nesting deeper than 64.
func Canonicalize(raw []byte) ([]byte, error) {
	return AppendCanonical(make([]byte, 0, len(raw)), raw)
}

// AppendCanonical appends the canonical form of raw to dst.
func AppendCanonical(dst, raw []byte) ([]byte, error) {
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

type member struct {
	key string
	val []byte
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
			var members []member
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
				members = append(members, member{key: k, val: v})
			}
			if _, err := dec.Token(); err != nil {
				return dst, fmt.Errorf("sortedjson: %w", err)
			}
			slices.SortFunc(members, func(a, b member) int { return strings.Compare(a.key, b.key) })
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

const hexDigits = "0123456789abcdef"

// AppendString appends s as a JSON string with minimal escaping.
func AppendString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			dst = append(dst, '\\', c)
		case c == '\n':
			dst = append(dst, '\\', 'n')
		case c == '\r':
			dst = append(dst, '\\', 'r')
		case c == '\t':
			dst = append(dst, '\\', 't')
		case c == '\b':
			dst = append(dst, '\\', 'b')
		case c == '\f':
			dst = append(dst, '\\', 'f')
		case c < 0x20:
			dst = append(dst, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
		default:
			dst = append(dst, c)
		}
	}
	return append(dst, '"')
}
