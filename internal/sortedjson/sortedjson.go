// Package sortedjson produces the canonical JSON that DECS hashes: object
// keys sorted (byte order) at every level, compact, no HTML escaping,
// non-ASCII as raw UTF-8, numbers as their literal text. Only '"', '\\' and
// control characters are escaped, as Python's json.dumps(ensure_ascii=False)
// and common Java serializers do.
package sortedjson

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// maxDepth bounds nesting so hostile input cannot exhaust the stack.
const maxDepth = 64

// Marshal encodes v with encoding/json and returns its canonical form.
func Marshal(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, fmt.Errorf("sortedjson: %w", err)
	}
	return Canonicalize(buf.Bytes())
}

// Canonicalize returns the canonical form of the JSON text raw. It rejects
// invalid UTF-8, duplicate keys, trailing data and nesting deeper than 64.
func Canonicalize(raw []byte) ([]byte, error) {
	return AppendCanonical(make([]byte, 0, len(raw)), raw)
}

// AppendCanonical appends the canonical form of raw to dst. It is one
// linear scan of raw (sorting aside): refusing junk costs no more than
// reading it.
func AppendCanonical(dst, raw []byte) ([]byte, error) {
	if !utf8.Valid(raw) {
		return dst, errors.New("sortedjson: input is not valid UTF-8")
	}
	s := scanner{in: raw}
	s.space()
	dst, err := s.value(dst, 0)
	if err != nil {
		return dst, err
	}
	s.space()
	if s.i != len(s.in) {
		return dst, errors.New("sortedjson: trailing data after JSON value")
	}
	return dst, nil
}

type scanner struct {
	in  []byte
	i   int
	tmp []byte // unescaped string scratch
	// Per nesting depth, reused: the open object's members and the buffer
	// their keys and values are written to. One object is open per depth
	// at a time, so nothing is allocated per member once warm.
	bufs    [][]byte
	members [][]member
}

// member is one object member: key and value as ranges of the depth's
// buffer.
type member struct {
	k0, k1, v0, v1 int
}

func (s *scanner) space() {
	for s.i < len(s.in) {
		switch s.in[s.i] {
		case ' ', '\t', '\n', '\r':
			s.i++
		default:
			return
		}
	}
}

var errSyntax = errors.New("sortedjson: invalid JSON")

func (s *scanner) value(dst []byte, depth int) ([]byte, error) {
	if depth > maxDepth {
		return dst, errors.New("sortedjson: nesting too deep")
	}
	if s.i >= len(s.in) {
		return dst, errSyntax
	}
	switch c := s.in[s.i]; {
	case c == '{':
		s.i++
		s.space()
		if s.i < len(s.in) && s.in[s.i] == '}' {
			s.i++
			return append(dst, '{', '}'), nil
		}
		for len(s.bufs) <= depth {
			s.bufs = append(s.bufs, nil)
			s.members = append(s.members, nil)
		}
		buf, members := s.bufs[depth][:0], s.members[depth][:0]
		for {
			s.space()
			if s.i >= len(s.in) || s.in[s.i] != '"' {
				return dst, errors.New("sortedjson: object key is not a string")
			}
			k, err := s.str()
			if err != nil {
				return dst, err
			}
			var m member
			m.k0 = len(buf)
			buf = append(buf, k...)
			m.k1 = len(buf)
			s.space()
			if s.i >= len(s.in) || s.in[s.i] != ':' {
				return dst, errSyntax
			}
			s.i++
			s.space()
			m.v0 = len(buf)
			if buf, err = s.value(buf, depth+1); err != nil {
				return dst, err
			}
			m.v1 = len(buf)
			members = append(members, m)
			s.space()
			if s.i >= len(s.in) {
				return dst, errSyntax
			}
			if s.in[s.i] == ',' {
				s.i++
				continue
			}
			if s.in[s.i] != '}' {
				return dst, errSyntax
			}
			s.i++
			break
		}
		s.bufs[depth], s.members[depth] = buf, members
		key := func(m member) []byte { return buf[m.k0:m.k1] }
		slices.SortFunc(members, func(a, b member) int { return bytes.Compare(key(a), key(b)) })
		dst = append(dst, '{')
		for i, m := range members {
			if i > 0 {
				if bytes.Equal(key(m), key(members[i-1])) {
					return dst, errors.New("sortedjson: duplicate key")
				}
				dst = append(dst, ',')
			}
			dst = appendStringBytes(dst, key(m))
			dst = append(dst, ':')
			dst = append(dst, buf[m.v0:m.v1]...)
		}
		return append(dst, '}'), nil
	case c == '[':
		s.i++
		dst = append(dst, '[')
		s.space()
		if s.i < len(s.in) && s.in[s.i] == ']' {
			s.i++
			return append(dst, ']'), nil
		}
		for n := 0; ; n++ {
			if n > 0 {
				dst = append(dst, ',')
			}
			s.space()
			var err error
			if dst, err = s.value(dst, depth+1); err != nil {
				return dst, err
			}
			s.space()
			if s.i >= len(s.in) {
				return dst, errSyntax
			}
			if s.in[s.i] == ',' {
				s.i++
				continue
			}
			if s.in[s.i] != ']' {
				return dst, errSyntax
			}
			s.i++
			return append(dst, ']'), nil
		}
	case c == '"':
		v, err := s.str()
		if err != nil {
			return dst, err
		}
		return appendStringBytes(dst, v), nil
	case c == '-' || c >= '0' && c <= '9':
		start := s.i
		if !s.number() {
			return dst, errSyntax
		}
		return append(dst, s.in[start:s.i]...), nil
	default:
		for _, lit := range []string{"true", "false", "null"} {
			if len(s.in)-s.i >= len(lit) && string(s.in[s.i:s.i+len(lit)]) == lit {
				s.i += len(lit)
				return append(dst, lit...), nil
			}
		}
		return dst, errSyntax
	}
}

// number scans a JSON number at s.i.
func (s *scanner) number() bool {
	in, i := s.in, s.i
	if i < len(in) && in[i] == '-' {
		i++
	}
	switch {
	case i < len(in) && in[i] == '0':
		i++
	case i < len(in) && in[i] >= '1' && in[i] <= '9':
		for i < len(in) && in[i] >= '0' && in[i] <= '9' {
			i++
		}
	default:
		return false
	}
	if i < len(in) && in[i] == '.' {
		i++
		if i >= len(in) || in[i] < '0' || in[i] > '9' {
			return false
		}
		for i < len(in) && in[i] >= '0' && in[i] <= '9' {
			i++
		}
	}
	if i < len(in) && (in[i] == 'e' || in[i] == 'E') {
		i++
		if i < len(in) && (in[i] == '+' || in[i] == '-') {
			i++
		}
		if i >= len(in) || in[i] < '0' || in[i] > '9' {
			return false
		}
		for i < len(in) && in[i] >= '0' && in[i] <= '9' {
			i++
		}
	}
	s.i = i
	return true
}

// str scans the string at s.i and returns its unescaped bytes (valid only
// until the next call).
func (s *scanner) str() ([]byte, error) {
	s.i++ // opening quote
	start := s.i
	// Fast path: no escapes.
	for s.i < len(s.in) {
		c := s.in[s.i]
		if c == '"' {
			s.i++
			return s.in[start : s.i-1], nil
		}
		if c == '\\' {
			break
		}
		if c < 0x20 {
			return nil, errSyntax
		}
		s.i++
	}
	out := append(s.tmp[:0], s.in[start:s.i]...)
	for s.i < len(s.in) {
		c := s.in[s.i]
		switch {
		case c == '"':
			s.i++
			s.tmp = out
			return out, nil
		case c < 0x20:
			return nil, errSyntax
		case c != '\\':
			out = append(out, c)
			s.i++
			continue
		}
		if s.i+1 >= len(s.in) {
			return nil, errSyntax
		}
		e := s.in[s.i+1]
		s.i += 2
		switch e {
		case '"', '\\', '/':
			out = append(out, e)
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'u':
			r, ok := hex4(s.in[s.i:])
			if !ok {
				return nil, errSyntax
			}
			s.i += 4
			if utf16.IsSurrogate(r) {
				if len(s.in)-s.i >= 6 && s.in[s.i] == '\\' && s.in[s.i+1] == 'u' {
					if r2, ok := hex4(s.in[s.i+2:]); ok {
						if d := utf16.DecodeRune(r, r2); d != unicode.ReplacementChar {
							s.i += 6
							out = utf8.AppendRune(out, d)
							continue
						}
					}
				}
				r = unicode.ReplacementChar
			}
			out = utf8.AppendRune(out, r)
		default:
			return nil, errSyntax
		}
	}
	return nil, errSyntax
}

func hex4(b []byte) (rune, bool) {
	if len(b) < 4 {
		return 0, false
	}
	var r rune
	for _, c := range b[:4] {
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			c = c - 'A' + 10
		default:
			return 0, false
		}
		r = r*16 + rune(c)
	}
	return r, true
}

// hexDigits are uppercase, as Jackson (the docs' reference serializer)
// writes \u001F.
const hexDigits = "0123456789ABCDEF"

// AppendString appends s as a JSON string with minimal escaping.
func AppendString(dst []byte, s string) []byte { return appendStr(dst, s) }

func appendStringBytes(dst, s []byte) []byte { return appendStr(dst, s) }

func appendStr[T string | []byte](dst []byte, s T) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' {
			continue
		}
		dst = append(dst, s[start:i]...)
		start = i + 1
		switch {
		case c == '"' || c == '\\':
			dst = append(dst, '\\', c)
		case c == '\n':
			dst = append(dst, '\\', 'n')
		case c == '\r':
			dst = append(dst, '\\', 'r')
		case c == '\t':
			dst = append(dst, '\\', 't')
		case c == '\b':
			dst = append(dst, '\\', 'b')
		case c == '\f':
			dst = append(dst, '\\', 'f')
		default:
			dst = append(dst, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
		}
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}
