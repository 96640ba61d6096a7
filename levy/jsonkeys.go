package levy

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strings"
)

// errAmbiguousKeys reports a JSON object with a member twice, or two
// members whose names differ only in case: encoding/json matches names
// case-insensitively and keeps the last, so the typed view could differ
// from what a reader of the signed text sees.
var errAmbiguousKeys = errors.New("a member appears twice, or in two cases")

// checkKeys walks raw (verified JSON) and refuses ambiguous members. Its
// work is linear in raw.
func checkKeys(raw []byte) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	type frame struct {
		object bool
		seen   map[string]bool
		key    bool // the next token is a key
	}
	var stack []frame
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		top := len(stack) - 1
		if k, isKey := tok.(string); isKey && top >= 0 && stack[top].object && stack[top].key {
			fk := strings.ToLower(strings.ToUpper(k)) // folds ſ and the Kelvin sign as encoding/json does
			if stack[top].seen[fk] {
				return errAmbiguousKeys
			}
			stack[top].seen[fk] = true
			stack[top].key = false
			continue
		}
		switch tok {
		case json.Delim('{'):
			stack = append(stack, frame{object: true, seen: map[string]bool{}, key: true})
			continue
		case json.Delim('['):
			stack = append(stack, frame{})
			continue
		case json.Delim('}'), json.Delim(']'):
			stack = stack[:top]
		}
		// A value ended: in an object, a key comes next.
		if t := len(stack) - 1; t >= 0 && stack[t].object {
			stack[t].key = true
		}
	}
}
