package levy

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"

	"github.com/bizapi-cn/go-sdk/internal/validate"
)

// ID is an identifier the spec types I (an integer of up to 20 digits):
// tax_agent_parent_id, tax_agent_location_id, agent_parent_id, task_id, in
// requests, answers and notifications. It is held as its decimal text, so 20 digits never
// overflow, and decodes from a JSON number, a string of digits or ""
// (the spec's own CLOSE_ORDER_NOTICE sample sends "tax_agent_location_id":
// ""). It encodes as a JSON number; the empty ID as null.
type ID string

// maxIDDigits is the spec's length of an I field.
const maxIDDigits = 20

// errID describes a bad ID without echoing the value.
var errID = errors.New("levy: an id is not an integer of at most 20 digits")

// UnmarshalJSON reads a number, a string of digits, "" or null.
func (id *ID) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if string(b) == "null" {
		*id = ""
		return nil
	}
	s := string(b)
	if len(b) > 0 && b[0] == '"' {
		if err := json.Unmarshal(b, &s); err != nil {
			return errID
		}
	}
	if s != "" && (len(s) > maxIDDigits || !digits(s)) {
		return errID
	}
	*id = ID(s)
	return nil
}

// MarshalJSON writes the digits as a JSON number (null when empty).
func (id ID) MarshalJSON() ([]byte, error) {
	if id == "" {
		return []byte("null"), nil
	}
	if len(id) > maxIDDigits || !digits(string(id)) {
		return nil, errID
	}
	return []byte(id), nil
}

// validateID reports an id that is not empty or a positive integer of at
// most 20 digits.
func validateID(c *validate.Collector, field string, id ID) {
	if id == "" {
		return
	}
	if len(id) > maxIDDigits || !digits(string(id)) || strings.Trim(string(id), "0") == "" {
		c.Addf(field, "is not a positive integer of at most 20 digits")
	}
}

// String returns the digits.
func (id ID) String() string { return string(id) }
