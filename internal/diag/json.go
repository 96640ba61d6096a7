package diag

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"unicode/utf8"
)

// Node is a JSON value that keeps the order of object members, so that the
// tool can show the field order as received and rebuild the encodings a
// framework might have produced.
type Node struct {
	kind byte // '{', '[', '"', '0' (number), 'b' (true/false), 'n' (null)
	keys []string
	vals []*Node
	str  string // string value, number literal, "true"/"false"
}

// Str is a string's value, a number's literal or "true"/"false".
func (n *Node) Str() string { return n.str }

// IsObject reports whether n is a JSON object.
func (n *Node) IsObject() bool { return n != nil && n.kind == '{' }

// Keys are an object's member names in the order received.
func (n *Node) Keys() []string { return n.keys }

// ParseJSON reads one JSON value, keeping the order of object members.
func ParseJSON(raw []byte) (*Node, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	n, err := parseNode(dec, 0)
	if err != nil {
		return nil, err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, errors.New("trailing data after the JSON value")
	}
	return n, nil
}

func parseNode(dec *json.Decoder, depth int) (*Node, error) {
	if depth > 64 {
		return nil, errors.New("JSON nested too deep")
	}
	t, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch v := t.(type) {
	case json.Delim:
		switch v {
		case '{':
			n := &Node{kind: '{'}
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return nil, err
				}
				k, _ := kt.(string)
				c, err := parseNode(dec, depth+1)
				if err != nil {
					return nil, err
				}
				n.keys = append(n.keys, k)
				n.vals = append(n.vals, c)
			}
			if _, err := dec.Token(); err != nil {
				return nil, err
			}
			return n, nil
		case '[':
			n := &Node{kind: '['}
			for dec.More() {
				c, err := parseNode(dec, depth+1)
				if err != nil {
					return nil, err
				}
				n.vals = append(n.vals, c)
			}
			if _, err := dec.Token(); err != nil {
				return nil, err
			}
			return n, nil
		}
		return nil, fmt.Errorf("unexpected %v", v)
	case string:
		return &Node{kind: '"', str: v}, nil
	case json.Number:
		return &Node{kind: '0', str: v.String()}, nil
	case bool:
		return &Node{kind: 'b', str: fmt.Sprint(v)}, nil
	case nil:
		return &Node{kind: 'n'}, nil
	}
	return nil, fmt.Errorf("unexpected token %v", t)
}

// Style is one way of encoding JSON.
type Style struct {
	Spaced bool // ", " and ": " between items, as Python's json.dumps
	Sorted bool // object keys sorted
	ASCII  bool // non-ASCII as \uXXXX, as Python's default ensure_ascii
	HTML   bool // <, >, & as \u003c..., as Go's json.Marshal
}

func (s Style) String() string {
	var p []string
	if s.Spaced {
		p = append(p, `spaced (", " and ": ")`)
	} else {
		p = append(p, "compact")
	}
	if s.Sorted {
		p = append(p, "keys sorted")
	} else {
		p = append(p, "keys in received order")
	}
	if s.ASCII {
		p = append(p, `non-ASCII as \uXXXX`)
	}
	if s.HTML {
		p = append(p, `<>& escaped`)
	}
	return strings.Join(p, ", ")
}

// Styles are the re-encodings tried when a body does not verify.
func Styles() []Style {
	var out []Style
	for _, sp := range []bool{false, true} {
		for _, so := range []bool{false, true} {
			for _, as := range []bool{false, true} {
				for _, h := range []bool{false, true} {
					out = append(out, Style{Spaced: sp, Sorted: so, ASCII: as, HTML: h})
				}
			}
		}
	}
	return out
}

// Encode writes n in style s.
func (n *Node) Encode(s Style) []byte {
	var b bytes.Buffer
	n.write(&b, s)
	return b.Bytes()
}

func (n *Node) write(b *bytes.Buffer, s Style) {
	comma, colon := ",", ":"
	if s.Spaced {
		comma, colon = ", ", ": "
	}
	switch n.kind {
	case '{':
		idx := make([]int, len(n.keys))
		for i := range idx {
			idx[i] = i
		}
		if s.Sorted {
			sort.SliceStable(idx, func(a, c int) bool { return n.keys[idx[a]] < n.keys[idx[c]] })
		}
		b.WriteByte('{')
		for j, i := range idx {
			if j > 0 {
				b.WriteString(comma)
			}
			WriteString(b, n.keys[i], s)
			b.WriteString(colon)
			n.vals[i].write(b, s)
		}
		b.WriteByte('}')
	case '[':
		b.WriteByte('[')
		for i, v := range n.vals {
			if i > 0 {
				b.WriteString(comma)
			}
			v.write(b, s)
		}
		b.WriteByte(']')
	case '"':
		WriteString(b, n.str, s)
	case 'n':
		b.WriteString("null")
	default:
		b.WriteString(n.str)
	}
}

// WriteString writes v as a JSON string in style s.
func WriteString(b *bytes.Buffer, v string, s Style) {
	var q bytes.Buffer
	enc := json.NewEncoder(&q)
	enc.SetEscapeHTML(s.HTML)
	_ = enc.Encode(v)
	out := bytes.TrimSuffix(q.Bytes(), []byte("\n"))
	if !s.ASCII {
		b.Write(out)
		return
	}
	for len(out) > 0 {
		r, size := utf8.DecodeRune(out)
		out = out[size:]
		switch {
		case r < 0x80:
			b.WriteRune(r)
		case r > 0xFFFF:
			r -= 0x10000
			fmt.Fprintf(b, `\u%04x\u%04x`, 0xD800+(r>>10), 0xDC00+(r&0x3FF))
		default:
			fmt.Fprintf(b, `\u%04x`, r)
		}
	}
}

// Member returns the value of key in an object node.
func (n *Node) Member(key string) *Node {
	if n == nil || n.kind != '{' {
		return nil
	}
	for i, k := range n.keys {
		if k == key {
			return n.vals[i]
		}
	}
	return nil
}

// FieldOrder lists the members of an object, nested ones as a.b, in the
// order received.
func (n *Node) FieldOrder(prefix string, out []string) []string {
	if n.kind != '{' {
		return out
	}
	for i, k := range n.keys {
		out = append(out, prefix+k)
		if n.vals[i].kind == '{' {
			out = n.vals[i].FieldOrder(prefix+k+".", out)
		}
	}
	return out
}

// Masking says which values MaskJSON and MaskForm hide.
type Masking int

const (
	// MaskPersonal hides personal data and secrets, recognised by field
	// name (Personal): what the bizapi tool prints by default.
	MaskPersonal Masking = iota
	// MaskAll hides every string and number value: what an SDK error's
	// diagnosis carries, since a host may log it.
	MaskAll
	// Reveal hides nothing (the tool's --reveal).
	Reveal
)

// MaskJSON returns raw with values masked in place as m says: spacing,
// order and escapes stay exactly as received, so the output still shows
// how the body was encoded. Text that is not JSON is replaced by a note
// unless m is Reveal.
func MaskJSON(raw []byte, m Masking) string {
	if m == Reveal {
		return string(raw)
	}
	var spans []span
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := collectSpans(dec, raw, "", m, 0, &spans); err != nil {
		return fmt.Sprintf("[%d bytes, not JSON: hidden]", len(raw))
	}
	var b strings.Builder
	var last int64
	for _, s := range spans {
		b.Write(raw[last:s.start])
		b.WriteString(s.repl)
		last = s.end
	}
	b.Write(raw[last:])
	return b.String()
}

type span struct {
	start, end int64
	repl       string
}

func collectSpans(dec *json.Decoder, raw []byte, kind string, m Masking, depth int, out *[]span) error {
	if depth > 64 {
		return errors.New("too deep")
	}
	before := dec.InputOffset()
	t, err := dec.Token()
	if err != nil {
		return err
	}
	after := dec.InputOffset()
	switch v := t.(type) {
	case json.Delim:
		switch v {
		case '{':
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return err
				}
				k, _ := kt.(string)
				if err := collectSpans(dec, raw, memberKind(k, depth > 0, m), m, depth+1, out); err != nil {
					return err
				}
			}
			_, err := dec.Token()
			return err
		case '[':
			for dec.More() {
				if err := collectSpans(dec, raw, kind, m, depth+1, out); err != nil {
					return err
				}
			}
			_, err := dec.Token()
			return err
		}
	case string:
		if kind == "" {
			return nil
		}
		start := bytes.IndexByte(raw[before:after], '"')
		if start < 0 {
			return errors.New("no quote")
		}
		q, _ := json.Marshal(MaskValue(kind, v))
		*out = append(*out, span{before + int64(start), after, string(q)})
	case json.Number:
		if kind == "" {
			return nil
		}
		seg := raw[before:after]
		start := bytes.IndexAny(seg, "-0123456789")
		if start < 0 {
			return errors.New("no number")
		}
		q, _ := json.Marshal(MaskValue(kind, v.String()))
		*out = append(*out, span{before + int64(start), after, string(q)})
	}
	return nil
}

// KeysSorted reports whether every object in n with two or more members has
// them in sorted order, and there is at least one such object.
func (n *Node) KeysSorted() bool {
	found := false
	var walk func(*Node) bool
	walk = func(n *Node) bool {
		if n.kind == '{' && len(n.keys) > 1 {
			found = true
			if !sort.StringsAreSorted(n.keys) {
				return false
			}
		}
		for _, v := range n.vals {
			if !walk(v) {
				return false
			}
		}
		return true
	}
	return walk(n) && found
}

// memberKind is the kind of data a member's value is masked as.
func memberKind(key string, nested bool, m Masking) string {
	if k := Personal(key, nested); k != "" {
		return k
	}
	if m == MaskAll {
		return "value"
	}
	return ""
}
