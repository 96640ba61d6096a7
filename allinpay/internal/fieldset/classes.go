package fieldset

import (
	"unicode"
	"unicode/utf8"
)

// Class is a data-element class of §1.5.1.2, as the SDK checks it (the
// reasons are in package allinpay's doc, "Field classes and lengths"):
//
//   - AN, "alphabet and/or number": ASCII letters, digits, '_' and '-'
//     (the spec's own AN values, transType AN 20 "WXPAY_SCANCODE", carry
//     '_'; WeChat's openid, openId AN, carries '-' and '_').
//   - AS, an identifier "alphabet and/or special signal": printable
//     ASCII without space, '&' or '=' (a value with '&…=' makes the echoed
//     answer ambiguous, which the client refuses after the platform acted).
//   - ANS, "alphabet, number and/or special signal": any printable
//     text, Chinese included (§1.5.1.3 counts a Chinese character as 2
//     bytes), without control characters; valid UTF-8.
type Class int

// The classes.
const (
	AN Class = iota
	AS
	ANS
)

func (k Class) String() string {
	switch k {
	case AN:
		return "letters, digits, '_' and '-' (AN)"
	case AS:
		return "printable ASCII without spaces, '&' or '=' (AS)"
	}
	return "printable characters without control characters (ANS)"
}

// Holds reports whether s is of class k.
func (k Class) Holds(s string) bool {
	switch k {
	case AN:
		for i := 0; i < len(s); i++ {
			c := s[i]
			if !('0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == '_' || c == '-') {
				return false
			}
		}
		return true
	case AS:
		for i := 0; i < len(s); i++ {
			if c := s[i]; c <= ' ' || c >= 0x7f || c == '&' || c == '=' {
				return false
			}
		}
		return true
	}
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if unicode.IsControl(r) {
			return false
		}
	}
	return true
}

func alnum(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; !('0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z') {
			return false
		}
	}
	return true
}
