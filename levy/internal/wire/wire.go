// Package wire holds what levy's client (package levy) and its callback
// path (package levy/notify) both read off the wire: Beijing time and the
// timestamp layout, digit runs and a decoding error described without the
// data's values (SafeJSONError); the check that refuses ambiguous members
// in verified JSON is internal/jsonkeys, shared with evidence. It imports only the standard library.
package wire

import (
	"encoding/json"
	"errors"
	"strings"
	"time"
)

// CST is Beijing time, a fixed zone: no tzdata needed.
var CST = time.FixedZone("CST", 8*3600)

// TimestampLayout is the wire's timestamp format (Beijing time).
const TimestampLayout = "2006-01-02T15:04:05.000"

// Digits reports whether s is a non-empty run of ASCII digits.
func Digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// MaxIDDigits is the spec's length of an I field (an integer id).
const MaxIDDigits = 20

// IDText reports whether s is the text of an id: "" (none) or at most
// MaxIDDigits digits.
func IDText(s string) bool { return s == "" || len(s) <= MaxIDDigits && Digits(s) }

// ParseTime reads a wire timestamp's text in Beijing time: TimestampLayout,
// or seconds only with a 'T' or a space.
func ParseTime(s string) (time.Time, bool) {
	for _, layout := range []string{TimestampLayout, "2006-01-02T15:04:05", "2006-01-02 15:04:05"} {
		if v, err := time.ParseInLocation(layout, s, CST); err == nil {
			return v, true
		}
	}
	return time.Time{}, false
}

// SafeJSONError describes a decoding error without the data's values.
func SafeJSONError(err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		if te.Field != "" {
			return "field " + te.Field + " has the wrong type"
		}
		return "a value has the wrong type"
	}
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return "invalid JSON"
	}
	msg := strings.TrimPrefix(err.Error(), "levy: ")
	if len(msg) > 120 {
		msg = msg[:120]
	}
	return msg
}
