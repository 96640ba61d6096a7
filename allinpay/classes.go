package allinpay

import (
	"unicode"
	"unicode/utf8"

	"github.com/bizapi-cn/go-sdk/internal/validate"
)

// The data-element classes of §1.5.1.2, as the SDK checks them (the
// reasons are in the package doc, "Field classes and lengths"):
//
//   - classAN, "alphabet and/or number": ASCII letters, digits, '_' and '-'
//     (the spec's own AN values, transType AN 20 "WXPAY_SCANCODE", carry
//     '_'; WeChat's openid, openId AN, carries '-' and '_').
//   - classAS, an identifier "alphabet and/or special signal": printable
//     ASCII without space, '&' or '=' (a value with '&…=' makes the echoed
//     answer ambiguous, which the client refuses after the platform acted).
//   - classANS, "alphabet, number and/or special signal": any printable
//     text, Chinese included (§1.5.1.3 counts a Chinese character as 2
//     bytes), without control characters; valid UTF-8.
type class int

const (
	classAN class = iota
	classAS
	classANS
)

func (k class) String() string {
	switch k {
	case classAN:
		return "letters, digits, '_' and '-' (AN)"
	case classAS:
		return "printable ASCII without spaces, '&' or '=' (AS)"
	}
	return "printable characters without control characters (ANS)"
}

func inClass(s string, k class) bool {
	switch k {
	case classAN:
		for i := 0; i < len(s); i++ {
			c := s[i]
			if !('0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == '_' || c == '-') {
				return false
			}
		}
		return true
	case classAS:
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

// field checks one optional field's class and length (bytes, a Chinese
// character as 2).
func field(c *validate.Collector, name, v string, k class, max int) {
	if v == "" {
		return
	}
	if !inClass(v, k) {
		c.Addf(name, "must be %s", k)
		return
	}
	c.MaxBytes(name, v, max)
}

// requiredField is field for a field the table marks M.
func requiredField(c *validate.Collector, name, v string, k class, max int) {
	if c.Required(name, v) {
		field(c, name, v, k, max)
	}
}
