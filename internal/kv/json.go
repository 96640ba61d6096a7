package kv

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
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
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	tok, err := dec.Token()
	if err != nil {
		return nil, fmt.Errorf("kv: JSON: %w", err)
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return nil, errors.New("kv: JSON is not an object")
	}
	out := make(map[string]string)
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, fmt.Errorf("kv: JSON: %w", err)
		}
		key, ok := tok.(string)
		if !ok {
			return nil, errors.New("kv: JSON object key is not a string")
		}
		if _, dup := out[key]; dup {
			return nil, fmt.Errorf("kv: JSON has duplicate key %q", key)
		}
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return nil, fmt.Errorf("kv: JSON: %w", err)
		}
		switch {
		case len(v) > 0 && v[0] == '"':
			var s string
			if err := json.Unmarshal(v, &s); err != nil {
				return nil, fmt.Errorf("kv: JSON: %w", err)
			}
			out[key] = s
		case string(v) == "null":
			out[key] = ""
		default:
			out[key] = string(v)
		}
	}
	if _, err := dec.Token(); err != nil {
		return nil, fmt.Errorf("kv: JSON: %w", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("kv: trailing data after JSON object")
	}
	return out, nil
}
