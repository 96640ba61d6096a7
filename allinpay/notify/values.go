package notify

import (
	"fmt"
	"log/slog"
	"slices"
	"time"

	"github.com/bizapi-cn/go-sdk/allinpay/internal/fieldset"
	"github.com/bizapi-cn/go-sdk/internal/mask"
)

// Fields is a raw received field set: every field of a response or
// notification, as text, unknown ones included. It prints with signature
// and customer ids masked.
type Fields map[string]string

var maskedFields = map[string]bool{"signature": true, "bankUserId": true, "authCode": true, "openId": true}

func (f Fields) masked() map[string]string {
	m := make(map[string]string, len(f))
	for k, v := range f {
		if maskedFields[k] {
			v = mask.Secret(v)
		}
		m[k] = v
	}
	return m
}

// String prints the fields with secrets and customer ids masked.
func (f Fields) String() string { return fmt.Sprint(f.masked()) }

// Format implements fmt.Formatter, so %v, %+v and %s mask too.
func (f Fields) Format(s fmt.State, verb rune) { fmt.Fprint(s, f.String()) }

// LogValue implements slog.LogValuer.
func (f Fields) LogValue() slog.Value {
	m := f.masked()
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	attrs := make([]slog.Attr, len(keys))
	for i, k := range keys {
		attrs[i] = slog.String(k, m[k])
	}
	return slog.GroupValue(attrs...)
}

// Amount is an amount in minor units of its currency (cents: every
// supported currency has 2 decimals). It is used in requests, responses,
// notifications and bills alike, and prints as "10.50".
type Amount int64

// ParseAmount reads minor units as the platform sends them ("1050"); an
// empty text is 0.
func ParseAmount(s string) (Amount, error) {
	n, err := fieldset.ParseAmount(s)
	return Amount(n), err
}

// String prints major units with two decimals: "10.50", "-0.05".
func (a Amount) String() string {
	n, sign := int64(a), ""
	if n < 0 {
		n, sign = -n, "-"
	}
	return fmt.Sprintf("%s%d.%02d", sign, n/100, n%100)
}

// Time is a timestamp of the wire (yyyyMMddHHmmss, UTC+8). A text in
// another shape is kept in Raw with a zero Time, rather than refused.
type Time struct {
	time.Time
	Raw string // the text as received
}
