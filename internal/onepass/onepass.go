// Package onepass reads JSON of a known shape in one pass, for the
// decoders of the usual documents (evidence's notification and
// get-da-status answer, levy's QUERY_ORDER_V2 answer) that stand in
// front of encoding/json.
//
// A Reader only ever accepts what encoding/json decodes the same way into
// the same Go types: on anything it is not sure of (a key with an escape
// or a non-ASCII byte, two keys of one object equal under case folding,
// even exactly, any escape in a string, a number that may not fit, deep
// nesting, a large object, a syntax error) a method answers false and the
// caller hands the whole document to encoding/json, which gives the
// verdict and the error. The strings it returns are cut from one copy of
// the document (New). The caller checks that the document is UTF-8
// (encoding/json replaces invalid bytes in strings; a Reader does not).
package onepass

import (
	"bytes"
	"strconv"
)

// New is a Reader of b at its start; the strings it returns share one
// copy of b.
func New(b []byte) *Reader { return &Reader{b: b, s: string(b)} }

// Offset is the position in the document.
func (d *Reader) Offset() int { return d.i }

// Since is the document's text from start (an Offset) to the position.
func (d *Reader) Since(start int) []byte { return d.b[start:d.i] }

// StartCanon starts watching for the canonical form: Canon then reports
// whether everything read since was compact, with every object's keys in
// byte order (sortedjson's form, given no escapes).
func (d *Reader) StartCanon() { d.canon = true }

// Canon reports the canonical form since StartCanon.
func (d *Reader) Canon() bool { return d.canon }

// AtEnd reads trailing whitespace and reports whether the document ends
// there.
func (d *Reader) AtEnd() bool {
	d.Space()
	return d.i == len(d.b)
}

// Bounds of the one-pass reading; beyond them a reader refuses and the
// caller's exact decoder reads the document.
const (
	MaxDepth   = 32 // nesting (sortedjson allows 64, encoding/json 10000)
	MaxMembers = 32 // members of one object (pairwise folded compare)
)

// Reader is the one-pass reader: b is the body, s the same bytes as one
// string the decoded strings are cut from, i the position.
type Reader struct {
	b     []byte
	s     string
	i     int
	canon bool // no whitespace between tokens and keys in byte order since set
}

// Space reads whitespace.
func (d *Reader) Space() {
	start := d.i
	for d.i < len(d.b) {
		switch d.b[d.i] {
		case ' ', '\t', '\n', '\r':
			d.i++
			continue
		}
		break
	}
	if d.i != start {
		d.canon = false
	}
}

// Object reads an object at d.i. For each member it calls member with the
// key, d.i at the value and the value's depth; member reads the value.
func (d *Reader) Object(depth int, member func(k []byte, depth int) bool) bool {
	if depth > MaxDepth || d.i >= len(d.b) || d.b[d.i] != '{' {
		return false
	}
	d.i++
	d.Space()
	if d.i < len(d.b) && d.b[d.i] == '}' {
		d.i++
		return true
	}
	var keys [MaxMembers][]byte
	for n := 0; ; n++ {
		d.Space()
		k, ok := d.key()
		if !ok || n == MaxMembers {
			return false
		}
		for _, p := range keys[:n] {
			if bytes.EqualFold(p, k) { // ASCII keys: strings.ToLower equality
				return false
			}
		}
		if n > 0 && bytes.Compare(keys[n-1], k) >= 0 {
			d.canon = false
		}
		keys[n] = k
		d.Space()
		if d.i >= len(d.b) || d.b[d.i] != ':' {
			return false
		}
		d.i++
		d.Space()
		if !member(k, depth+1) {
			return false
		}
		d.Space()
		if d.i >= len(d.b) {
			return false
		}
		switch d.b[d.i] {
		case ',':
			d.i++
			continue
		case '}':
			d.i++
			return true
		}
		return false
	}
}

// Array reads an array at d.i, calling elem for each element (d.i at it).
func (d *Reader) Array(depth int, elem func(depth int) bool) bool {
	if depth > MaxDepth || d.i >= len(d.b) || d.b[d.i] != '[' {
		return false
	}
	d.i++
	d.Space()
	if d.i < len(d.b) && d.b[d.i] == ']' {
		d.i++
		return true
	}
	for {
		d.Space()
		if !elem(depth + 1) {
			return false
		}
		d.Space()
		if d.i >= len(d.b) {
			return false
		}
		switch d.b[d.i] {
		case ',':
			d.i++
			continue
		case ']':
			d.i++
			return true
		}
		return false
	}
}

// key reads an object key: printable ASCII without escapes only.
func (d *Reader) key() ([]byte, bool) {
	if d.i >= len(d.b) || d.b[d.i] != '"' {
		return nil, false
	}
	start := d.i + 1
	for j := start; j < len(d.b); j++ {
		switch c := d.b[j]; {
		case c == '"':
			d.i = j + 1
			return d.b[start:j], true
		case c < 0x20 || c == '\\' || c >= 0x80:
			return nil, false
		}
	}
	return nil, false
}

// strRange reads a string without escapes; its contents are b[i:j].
func (d *Reader) strRange() (i, j int, ok bool) {
	if d.i >= len(d.b) || d.b[d.i] != '"' {
		return 0, 0, false
	}
	start := d.i + 1
	for j := start; j < len(d.b); j++ {
		switch c := d.b[j]; {
		case c == '"':
			d.i = j + 1
			return start, j, true
		case c < 0x20 || c == '\\':
			return 0, 0, false
		}
	}
	return 0, 0, false
}

// AtString reports whether the value at the position is a string.
func (d *Reader) AtString() bool { return d.i < len(d.b) && d.b[d.i] == '"' }

// Str reads a string without escapes (its value is its bytes: the
// caller checked that the document is UTF-8).
func (d *Reader) Str() (string, bool) {
	i, j, ok := d.strRange()
	return d.s[i:j], ok
}

// Number reads a JSON number and returns its text; a number float64 may
// not hold (encoding/json refuses it in the tree) is not read.
func (d *Reader) Number() ([]byte, bool) {
	b, i := d.b, d.i
	if i < len(b) && b[i] == '-' {
		i++
	}
	switch {
	case i < len(b) && b[i] == '0':
		i++
	case i < len(b) && b[i] >= '1' && b[i] <= '9':
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
	default:
		return nil, false
	}
	exp := false
	if i < len(b) && b[i] == '.' {
		i++
		if i >= len(b) || b[i] < '0' || b[i] > '9' {
			return nil, false
		}
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		exp = true
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		if i >= len(b) || b[i] < '0' || b[i] > '9' {
			return nil, false
		}
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
	}
	lit := b[d.i:i]
	// Without an exponent, 300 characters stay below 1e300.
	if exp || len(lit) > 300 {
		if _, err := strconv.ParseFloat(string(lit), 64); err != nil {
			return nil, false
		}
	}
	d.i = i
	return lit, true
}

// Literal reads the literal lit (true, false or null) if it is at d.i.
func (d *Reader) Literal(lit string) bool {
	if len(d.b)-d.i >= len(lit) && string(d.b[d.i:d.i+len(lit)]) == lit {
		d.i += len(lit)
		return true
	}
	return false
}

// Skip reads any value.
func (d *Reader) Skip(depth int) bool {
	if d.i >= len(d.b) {
		return false
	}
	switch c := d.b[d.i]; {
	case c == '{':
		return d.Object(depth, func(_ []byte, depth int) bool { return d.Skip(depth) })
	case c == '[':
		return d.Array(depth, d.Skip)
	case c == '"':
		_, _, ok := d.strRange()
		return ok
	case c == '-' || c >= '0' && c <= '9':
		_, ok := d.Number()
		return ok
	}
	return d.Literal("true") || d.Literal("false") || d.Literal("null")
}

// smallInt is strconv.ParseInt(string(b), 10, 64) (and so strconv.Atoi)
// for an optional sign and 1 to 18 digits; anything else is not read.
// plus allows a '+' sign (Atoi does, a JSON number does not).
func smallInt(b []byte, plus bool) (int64, bool) {
	neg := false
	if len(b) > 0 && (b[0] == '-' || plus && b[0] == '+') {
		neg = b[0] == '-'
		b = b[1:]
	}
	if len(b) == 0 || len(b) > 18 {
		return 0, false
	}
	var n int64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int64(c-'0')
	}
	if neg {
		n = -n
	}
	return n, true
}

// Integer reads a number into an int or int64 field (encoding/json:
// ParseInt of the text).
func (d *Reader) Integer() (int64, bool) {
	if d.i >= len(d.b) || d.b[d.i] != '-' && (d.b[d.i] < '0' || d.b[d.i] > '9') {
		return 0, false
	}
	lit, ok := d.Number()
	if !ok {
		return 0, false
	}
	return smallInt(lit, false)
}

// IntOrString reads what notify.DaStatus and notify.JSONResult decode: a
// number, or a string of digits ("" is 0); not null.
func (d *Reader) IntOrString() (int, bool) {
	if d.i < len(d.b) && d.b[d.i] == '"' {
		i, j, ok := d.strRange()
		if !ok {
			return 0, false
		}
		if i == j {
			return 0, true
		}
		n, ok := smallInt(d.b[i:j], true)
		return int(n), ok
	}
	n, ok := d.Integer()
	return int(n), ok
}

// Code reads what notify.Code.UnmarshalJSON decodes: a string or a number's
// text; not null.
func (d *Reader) Code() (string, bool) {
	if d.i < len(d.b) && d.b[d.i] == '"' {
		return d.Str()
	}
	if d.i >= len(d.b) || d.b[d.i] != '-' && (d.b[d.i] < '0' || d.b[d.i] > '9') {
		return "", false
	}
	start := d.i
	if _, ok := d.Number(); !ok {
		return "", false
	}
	return d.s[start:d.i], true
}

// Strings reads an array of strings (an empty array is an empty, non-nil
// slice, as encoding/json makes it).
func (d *Reader) Strings(depth int) ([]string, bool) {
	out := []string{}
	ok := d.Array(depth, func(int) bool {
		s, ok := d.Str()
		out = append(out, s)
		return ok
	})
	return out, ok
}

// FoldIs reports an ASCII key equal to name under ASCII case folding:
// for ASCII, how encoding/json matches a key to a field's name.
func FoldIs(k []byte, name string) bool {
	if len(k) != len(name) {
		return false
	}
	for i := 0; i < len(k); i++ {
		a, b := k[i], name[i]
		if a == b {
			continue
		}
		if 'A' <= a && a <= 'Z' {
			a += 'a' - 'A'
		}
		if 'A' <= b && b <= 'Z' {
			b += 'a' - 'A'
		}
		if a != b {
			return false
		}
	}
	return true
}

// ChildDaList reads ext.childDaList (a notification's and the
// get-da-status answer's: []notify.ChildDa) into a new, non-nil slice, as
// encoding/json does: each element an object whose daId, site, daStatus
// (IntOrString) and daSubStatus (Code) go where fields(&element) points.
func ChildDaList[T any](d *Reader, depth int, fields func(*T) (daID, site *string, daStatus *int, daSubStatus *string)) ([]T, bool) {
	list := []T{}
	ok := d.Array(depth, func(depth int) bool {
		list = append(list, *new(T))
		daID, site, daStatus, daSubStatus := fields(&list[len(list)-1])
		return d.Object(depth, func(k []byte, depth int) bool {
			var ok bool
			switch {
			case FoldIs(k, "daId"):
				*daID, ok = d.Str()
			case FoldIs(k, "site"):
				*site, ok = d.Str()
			case FoldIs(k, "daStatus"):
				*daStatus, ok = d.IntOrString()
			case FoldIs(k, "daSubStatus"):
				*daSubStatus, ok = d.Code()
			default:
				ok = d.Skip(depth)
			}
			return ok
		})
	})
	return list, ok
}
