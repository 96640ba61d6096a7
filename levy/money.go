package levy

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Amount is an amount of yuan held exactly as fen (0.01 yuan). On the wire
// it is a string with two decimals, "12.34"; floats never appear.
type Amount int64

// Yuan returns the Amount of y yuan and f fen, y*100+f: f is meant to be
// 0 to 99 and takes y's sign (Yuan(-1, -50) is -1.50); use ParseAmount for
// text.
func Yuan(y int64, f int64) Amount { return Amount(y*100 + f) }

// ParseAmount parses "12", "12.3" or "12.34" (an optional leading '-'),
// rejecting more than two decimals, exponents and anything not a number.
func ParseAmount(s string) (Amount, error) {
	orig := s
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	whole, frac, hasDot := strings.Cut(s, ".")
	if whole == "" || (hasDot && (frac == "" || len(frac) > 2)) || !digits(whole) || (hasDot && !digits(frac)) || len(whole) > 15 {
		return 0, fmt.Errorf("levy: amount %q is not yuan with at most two decimals", orig)
	}
	w, _ := strconv.ParseInt(whole, 10, 64)
	f := int64(0)
	if hasDot {
		f, _ = strconv.ParseInt(frac, 10, 64)
		if len(frac) == 1 {
			f *= 10
		}
	}
	a := Amount(w*100 + f)
	if neg {
		a = -a
	}
	return a, nil
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// String returns the amount as yuan with exactly two decimals.
func (a Amount) String() string {
	n := int64(a)
	sign := ""
	if n < 0 {
		sign, n = "-", -n
	}
	return fmt.Sprintf("%s%d.%02d", sign, n/100, n%100)
}

// Fen returns the amount in fen.
func (a Amount) Fen() int64 { return int64(a) }

// MarshalJSON writes the amount as a JSON string "12.34".
func (a Amount) MarshalJSON() ([]byte, error) { return []byte(`"` + a.String() + `"`), nil }

// UnmarshalJSON reads a JSON string (or, leniently, a JSON number text)
// with at most two decimals.
func (a *Amount) UnmarshalJSON(b []byte) error {
	var s string
	if len(b) > 0 && b[0] == '"' {
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
	} else {
		s = string(b)
	}
	if s == "" || s == "null" {
		*a = 0
		return nil
	}
	v, err := ParseAmount(s)
	if err != nil {
		return errors.New("levy: amount is not yuan with at most two decimals")
	}
	*a = v
	return nil
}
