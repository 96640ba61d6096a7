// Package validate collects every problem with a request before it is sent,
// each named by its field path (the wire name, e.g. "data.id_card" or
// "goodsSubject"), so a provider module can report them all at once in its
// own ValidationError type.
package validate

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
	"unicode/utf8"
)

// Problem is one bad field.
type Problem struct {
	Field   string // path of the field, using wire names
	Message string // what is wrong, never the value of a secret or personal field
}

// String returns "field: message".
func (p Problem) String() string { return p.Field + ": " + p.Message }

// Collector gathers problems. The zero value is ready to use.
type Collector struct {
	problems []Problem
}

// Addf records a problem with field.
func (c *Collector) Addf(field, format string, args ...any) {
	c.problems = append(c.problems, Problem{Field: field, Message: fmt.Sprintf(format, args...)})
}

// Problems returns the problems recorded so far, in the order found.
func (c *Collector) Problems() []Problem { return c.problems }

// OK reports whether no problem was recorded.
func (c *Collector) OK() bool { return len(c.problems) == 0 }

// Nest records the problems of a nested value under prefix ("list[3]").
func (c *Collector) Nest(prefix string, problems []Problem) {
	for _, p := range problems {
		c.problems = append(c.problems, Problem{Field: prefix + "." + p.Field, Message: p.Message})
	}
}

// Required records a problem when value is empty. It returns whether the
// value was present, so callers can skip further checks.
func (c *Collector) Required(field, value string) bool {
	if value == "" {
		c.Addf(field, "is required")
		return false
	}
	return true
}

// MaxRunes records a problem when value is longer than limit characters.
func (c *Collector) MaxRunes(field, value string, limit int) {
	if n := utf8.RuneCountInString(value); n > limit {
		c.Addf(field, "is %d characters, at most %d allowed", n, limit)
	}
}

// GBKBytes returns the length of s counting every non-ASCII character as 2
// bytes, the way GBK-based providers (allinpay) count a Chinese character.
func GBKBytes(s string) int {
	n := 0
	for _, r := range s {
		if r < utf8.RuneSelf {
			n++
		} else {
			n += 2
		}
	}
	return n
}

// MaxBytes records a problem when value is longer than limit bytes, counting
// a non-ASCII character as 2 bytes (see GBKBytes).
func (c *Collector) MaxBytes(field, value string, limit int) {
	if n := GBKBytes(value); n > limit {
		c.Addf(field, "is %d bytes (a Chinese character counts 2), at most %d allowed", n, limit)
	}
}

// ExactRunes records a problem when a non-empty value is not exactly n
// characters long.
func (c *Collector) ExactRunes(field, value string, n int) {
	if value != "" && utf8.RuneCountInString(value) != n {
		c.Addf(field, "must be %d characters", n)
	}
}

// OneOf records a problem when a non-empty value is not one of allowed.
func OneOf[T ~string](c *Collector, field string, value T, allowed ...T) {
	if value == "" || slices.Contains(allowed, value) {
		return
	}
	names := make([]string, len(allowed))
	for i, a := range allowed {
		names[i] = string(a)
	}
	c.Addf(field, "is %q, want one of %s", string(value), strings.Join(names, ", "))
}

// ExactlyOne records a problem unless exactly one of the named values is
// non-empty.
func (c *Collector) ExactlyOne(fields []string, values ...string) {
	n := 0
	for _, v := range values {
		if v != "" {
			n++
		}
	}
	if n != 1 {
		c.Addf(strings.Join(fields, "|"), "exactly one of %s is required, got %d", strings.Join(fields, ", "), n)
	}
}

// Digits reports whether s is non-empty and all ASCII digits.
func Digits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// HTTPURL reports whether s is an absolute http or https URL with a host.
func HTTPURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != ""
}
