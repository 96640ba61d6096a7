// Package wire holds what levy's client (package levy) and its callback
// path (package levy/notify) both read off the wire: Beijing time and the
// timestamp layout, digit runs and a decoding error described without the
// data's values (SafeJSONError); the check that refuses ambiguous members
// in verified JSON is internal/jsonkeys, shared with evidence. It imports only the standard library.
package wire

import (
	"encoding/json"
	"errors"
	"strconv"
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

// ParseFen reads yuan text, "12", "12.3" or "12.34" with an optional
// leading '-', as fen; more than two decimals, an exponent, more than 15
// whole digits or anything not a number is refused.
func ParseFen(s string) (int64, bool) {
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	whole, frac, hasDot := strings.Cut(s, ".")
	if whole == "" || (hasDot && (frac == "" || len(frac) > 2)) || !Digits(whole) || (hasDot && !Digits(frac)) || len(whole) > 15 {
		return 0, false
	}
	w, _ := strconv.ParseInt(whole, 10, 64)
	f := int64(0)
	if hasDot {
		f, _ = strconv.ParseInt(frac, 10, 64)
		if len(frac) == 1 {
			f *= 10
		}
	}
	fen := w*100 + f
	if neg {
		fen = -fen
	}
	return fen, true
}

// AmountText reads an amount's text as it comes in a JSON string (or,
// leniently, as a number's text): "" and "null" are 0, anything else is
// ParseFen's.
func AmountText(s string) (int64, bool) {
	if s == "" || s == "null" {
		return 0, true
	}
	return ParseFen(s)
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
