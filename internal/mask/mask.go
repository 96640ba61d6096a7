// Package mask shortens personal data and secrets for logs and error
// strings: an ID card number, a bank card number, a phone number, a name, a
// secret. The SDK modules use it in their slog.LogValuer and String methods.
package mask

import (
	"strings"
	"unicode/utf8"
)

// Middle keeps the first keep0 and the last keep1 runes of s and replaces
// the rest with '*'. When s is too short to hide anything, every rune is
// replaced.
func Middle(s string, keep0, keep1 int) string {
	n := utf8.RuneCountInString(s)
	if n == 0 {
		return ""
	}
	if n <= keep0+keep1 {
		return strings.Repeat("*", n)
	}
	var b strings.Builder
	b.Grow(len(s))
	i := 0
	for _, r := range s {
		if i < keep0 || i >= n-keep1 {
			b.WriteRune(r)
		} else {
			b.WriteByte('*')
		}
		i++
	}
	return b.String()
}

// IDCard masks an ID card number, keeping the first 3 and last 4 characters.
func IDCard(s string) string { return Middle(s, 3, 4) }

// BankCard masks a bank card number, keeping the first 4 and last 4 digits.
func BankCard(s string) string { return Middle(s, 4, 4) }

// Phone masks a phone number, keeping the first 3 and last 4 digits of an
// 11-digit mobile number (fewer for shorter ones).
func Phone(s string) string {
	if utf8.RuneCountInString(s) >= 11 {
		return Middle(s, 3, 4)
	}
	return Middle(s, 2, 2)
}

// Name masks a person's name, keeping its first rune.
func Name(s string) string {
	if utf8.RuneCountInString(s) <= 1 {
		return Middle(s, 0, 0)
	}
	return Middle(s, 1, 0)
}

// Secret hides a secret entirely. It says only whether one is set.
func Secret(s string) string {
	if s == "" {
		return ""
	}
	return "[redacted]"
}

// Text makes a provider's free text fit for an error string, which hosts
// log: every run of 11 or more ASCII digits (with a trailing X or x, an ID
// card number's check character) masked as IDCard masks it, since the
// provider's message may echo an ID card, bank card or phone number of the
// request; control characters, DEL and invalid UTF-8 as '?'; and at most
// max runes, then "…". A number that crosses the cut is masked as a whole.
func Text(s string, max int) string {
	if max < 0 {
		max = 0
	}
	// Read a little past the cut, so that a number crossing it is seen
	// long enough to be masked; the rest is never looked at.
	const ahead = 24
	rs := make([]rune, 0, min(len(s), max+ahead))
	cut := false
	for _, r := range s {
		if len(rs) == max+ahead {
			cut = true
			break
		}
		if r < 0x20 || r == 0x7f || r == utf8.RuneError {
			r = '?'
		}
		rs = append(rs, r)
	}
	for i := 0; i < len(rs); {
		if !isDigit(rs[i]) {
			i++
			continue
		}
		j := i
		for j < len(rs) && isDigit(rs[j]) {
			j++
		}
		end := j
		if end < len(rs) && (rs[end] == 'X' || rs[end] == 'x') {
			end++
		}
		if j-i >= 11 {
			for k := i + 3; k < end-4; k++ {
				rs[k] = '*'
			}
		}
		i = end
	}
	if len(rs) > max {
		rs, cut = rs[:max], true
	}
	if cut {
		return string(rs) + "…"
	}
	return string(rs)
}

func isDigit(r rune) bool { return '0' <= r && r <= '9' }
