package fieldset

import (
	"errors"
	"fmt"
	"strconv"
	"time"
)

// Decoder reads typed values from a verified field set by exact name; the
// first bad field is kept in Err.
type Decoder struct {
	F   map[string]string
	Err error
}

func (d *Decoder) bad(k, why string) {
	if d.Err == nil {
		d.Err = fmt.Errorf("%s %s", k, why)
	}
}

// Str is the value of k ("" when absent).
func (d *Decoder) Str(k string) string { return d.F[k] }

// Required is Str, recording k as missing when it is empty.
func (d *Decoder) Required(k string) string { return d.RequiredValue(k, d.F[k]) }

// RequiredValue is Required with v, the value of k, already looked up.
func (d *Decoder) RequiredValue(k, v string) string {
	if v == "" {
		d.bad(k, "is missing")
	}
	return v
}

// Amount reads k as minor units, recording k as bad when it is not.
func (d *Decoder) Amount(k string) int64 { return d.AmountValue(k, d.F[k]) }

// AmountValue is Amount with v, the value of k, already looked up.
func (d *Decoder) AmountValue(k, v string) int64 {
	a, err := ParseAmount(v)
	if err != nil {
		d.bad(k, "is not an amount in minor units")
	}
	return a
}

// ParseAmount reads minor units as the platform sends them ("1050"); an
// empty text is 0.
func ParseAmount(s string) (int64, error) {
	if s == "" {
		return 0, nil
	}
	if len(s) > 15 {
		return 0, errors.New("allinpay: amount too long")
	}
	for i := 0; i < len(s); i++ {
		if (s[i] < '0' || s[i] > '9') && !(i == 0 && s[i] == '-' && len(s) > 1) {
			return 0, errors.New("allinpay: amount is not an integer of minor units")
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0, errors.New("allinpay: amount is not an integer of minor units")
	}
	return n, nil
}

// CST is the wire's zone, UTC+8 (fixed: no tzdata needed).
var CST = time.FixedZone("CST", 8*3600)

// ParseTime reads yyyyMMddHHmmss (UTC+8); the zero time for an empty text
// or another shape (the caller keeps the raw text).
func ParseTime(s string) time.Time {
	if s == "" {
		return time.Time{}
	}
	// The usual text, 14 digits of a date every month has (days 1 to 28),
	// is what time.ParseInLocation returns for it, time.Date in CST;
	// anything else is left to it.
	if len(s) == 14 && allDigits(s) {
		y, mo, d := digits(s[0:4]), digits(s[4:6]), digits(s[6:8])
		h, mi, sec := digits(s[8:10]), digits(s[10:12]), digits(s[12:14])
		if 1 <= mo && mo <= 12 && 1 <= d && d <= 28 && h <= 23 && mi <= 59 && sec <= 59 {
			return time.Date(y, time.Month(mo), d, h, mi, sec, 0, CST)
		}
	}
	t, err := time.ParseInLocation("20060102150405", s, CST)
	if err != nil {
		return time.Time{}
	}
	return t
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// digits is the value of s, all ASCII digits.
func digits(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}
