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
func (d *Decoder) Required(k string) string {
	v := d.F[k]
	if v == "" {
		d.bad(k, "is missing")
	}
	return v
}

// Amount reads k as minor units, recording k as bad when it is not.
func (d *Decoder) Amount(k string) int64 {
	a, err := ParseAmount(d.F[k])
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
	t, err := time.ParseInLocation("20060102150405", s, CST)
	if err != nil {
		return time.Time{}
	}
	return t
}
