package scancode

import (
	"bytes"
	"errors"
)

// errBadForm is any body that url.ParseQuery would refuse: a bad
// percent-escape or a semicolon separator.
var errBadForm = errors.New("body is not a form")

// formFields reads the type, data and platformCode values of an
// application/x-www-form-urlencoded body with the rules of url.ParseQuery
// (pairs split on '&', '+' is a space, %XX a byte, a bad escape or a ';'
// refuses the whole body), without building a map of every pair: only the
// three values are unescaped, so unauthenticated junk costs a few linear
// scans. count[i] is how many times field i was sent.
func formFields(body []byte) (vals [3][]byte, count [3]int, err error) {
	if bytes.IndexByte(body, ';') >= 0 {
		return vals, count, errBadForm
	}
	for len(body) > 0 {
		var pair []byte
		pair, body, _ = bytes.Cut(body, []byte{'&'})
		if len(pair) == 0 {
			continue
		}
		rawKey, rawVal, _ := bytes.Cut(pair, []byte{'='})
		key, err := unescapeForm(rawKey)
		if err != nil {
			return vals, count, err
		}
		i := -1
		switch string(key) {
		case "type":
			i = 0
		case "data":
			i = 1
		case "platformCode":
			i = 2
		}
		if i < 0 {
			if err := checkEscapes(rawVal); err != nil {
				return vals, count, err
			}
			continue
		}
		v, err := unescapeForm(rawVal)
		if err != nil {
			return vals, count, err
		}
		if count[i] == 0 { //nolint:gosec // G602: i is 0, 1 or 2 here (the switch above)
			vals[i] = v //nolint:gosec // G602: as above
		}
		count[i]++ //nolint:gosec // G602: as above
	}
	return vals, count, nil
}

// unescapeForm decodes a form component: '+' is a space and %XX a byte.
// Runs without either are copied whole.
func unescapeForm(s []byte) ([]byte, error) {
	n := bytes.IndexAny(s, "%+")
	if n < 0 {
		return s, nil
	}
	out := make([]byte, 0, len(s))
	for {
		out = append(out, s[:n]...)
		s = s[n:]
		if s[0] == '+' {
			out = append(out, ' ')
			s = s[1:]
		} else {
			if len(s) < 3 || !isHex(s[1]) || !isHex(s[2]) {
				return nil, errBadForm
			}
			out = append(out, unhex(s[1])<<4|unhex(s[2]))
			s = s[3:]
		}
		if n = bytes.IndexAny(s, "%+"); n < 0 {
			return append(out, s...), nil
		}
	}
}

// checkEscapes refuses a component with a bad percent-escape, without
// decoding it.
func checkEscapes(s []byte) error {
	for {
		n := bytes.IndexByte(s, '%')
		if n < 0 {
			return nil
		}
		s = s[n:]
		if len(s) < 3 || !isHex(s[1]) || !isHex(s[2]) {
			return errBadForm
		}
		s = s[3:]
	}
}

func isHex(c byte) bool { return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' }

func unhex(c byte) byte {
	switch {
	case c >= 'a':
		return c - 'a' + 10
	case c >= 'A':
		return c - 'A' + 10
	}
	return c - '0'
}
