package kv

import (
	"encoding/json"
	"errors"
	"fmt"
	"unicode/utf8"
)

// FieldsFromJSON returns the top-level fields of a JSON object as the raw
// field set a signature covers: a string gives its unquoted text, a number
// its literal text as received, true/false their words, an object or array
// its raw JSON text; null is absent (empty). A duplicate key, invalid UTF-8
// or anything but one object is an error, because the field set it would
// stand for is ambiguous.
func FieldsFromJSON(raw []byte) (map[string]string, error) {
	if !utf8.Valid(raw) {
		return nil, errors.New("kv: JSON is not valid UTF-8")
	}
	// A scanner for the one shape that matters (a flat object of mostly
	// string members): encoding/json's token API allocated ~10 times per
	// member. Nested values are delimited here and checked by json.Valid.
	i := skipWS(raw, 0)
	if i >= len(raw) || raw[i] != '{' {
		return nil, errors.New("kv: JSON is not an object")
	}
	out := make(map[string]string, 24)
	i = skipWS(raw, i+1)
	if i < len(raw) && raw[i] == '}' {
		return out, trailing(raw, i+1)
	}
	for {
		if i >= len(raw) || raw[i] != '"' {
			return nil, errors.New("kv: JSON object key is not a string")
		}
		key, next, err := readString(raw, i)
		if err != nil {
			return nil, err
		}
		if _, dup := out[key]; dup {
			return nil, fmt.Errorf("kv: JSON has duplicate key %q", key)
		}
		i = skipWS(raw, next)
		if i >= len(raw) || raw[i] != ':' {
			return nil, errors.New("kv: JSON: expected ':' after an object key")
		}
		i = skipWS(raw, i+1)
		if i >= len(raw) {
			return nil, errors.New("kv: JSON: unexpected end")
		}
		switch c := raw[i]; {
		case c == '"':
			v, next, err := readString(raw, i)
			if err != nil {
				return nil, err
			}
			out[key], i = v, next
		default:
			end, err := valueEnd(raw, i)
			if err != nil {
				return nil, err
			}
			v := raw[i:end]
			if !json.Valid(v) {
				return nil, fmt.Errorf("kv: JSON: invalid value of %q", key)
			}
			if string(v) == "null" {
				out[key] = ""
			} else {
				out[key] = string(v)
			}
			i = end
		}
		i = skipWS(raw, i)
		if i >= len(raw) {
			return nil, errors.New("kv: JSON: unexpected end")
		}
		switch raw[i] {
		case ',':
			i = skipWS(raw, i+1)
		case '}':
			return out, trailing(raw, i+1)
		default:
			return nil, errors.New("kv: JSON: expected ',' or '}'")
		}
	}
}

func skipWS(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

func trailing(b []byte, i int) error {
	if skipWS(b, i) != len(b) {
		return errors.New("kv: trailing data after JSON object")
	}
	return nil
}

// readString reads the JSON string starting at b[i] == '"' and returns its
// value and the index after its closing quote.
func readString(b []byte, i int) (string, int, error) {
	escaped := false
	for j := i + 1; j < len(b); j++ {
		switch c := b[j]; {
		case c == '\\':
			escaped = true
			j++ // the escaped byte is checked by the decoder below
		case c == '"':
			if !escaped {
				return string(b[i+1 : j]), j + 1, nil
			}
			var s string
			if err := json.Unmarshal(b[i:j+1], &s); err != nil {
				return "", 0, fmt.Errorf("kv: JSON: %w", err)
			}
			return s, j + 1, nil
		case c < 0x20:
			return "", 0, errors.New("kv: JSON: control character in a string")
		}
	}
	return "", 0, errors.New("kv: JSON: unterminated string")
}

// valueEnd returns the end of the non-string value at b[i]: a number or
// literal runs to the next delimiter; an object or array to its matching
// close, strings inside skipped.
func valueEnd(b []byte, i int) (int, error) {
	if c := b[i]; c != '{' && c != '[' {
		j := i
		for j < len(b) && b[j] != ',' && b[j] != '}' && b[j] != ']' && b[j] != ' ' && b[j] != '\t' && b[j] != '\n' && b[j] != '\r' {
			j++
		}
		return j, nil
	}
	depth := 0
	for j := i; j < len(b); j++ {
		switch b[j] {
		case '"':
			_, next, err := readString(b, j)
			if err != nil {
				return 0, err
			}
			j = next - 1
		case '{', '[':
			depth++
			if depth > 10000 {
				return 0, errors.New("kv: JSON nested too deep")
			}
		case '}', ']':
			depth--
			if depth == 0 {
				return j + 1, nil
			}
		}
	}
	return 0, errors.New("kv: JSON: unterminated value")
}
