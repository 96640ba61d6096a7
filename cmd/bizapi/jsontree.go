package main

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

// node is a JSON value that keeps the order of object members, so that the
// tool can show the field order as received and rebuild the encodings a
// framework might have produced.
type node struct {
	kind byte // '{', '[', '"', '0' (number), 'b' (true/false), 'n' (null)
	keys []string
	vals []*node
	str  string // string value, number literal, "true"/"false"
}

func parseJSON(raw []byte) (*node, error) {
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

func parseNode(dec *json.Decoder, depth int) (*node, error) {
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
			n := &node{kind: '{'}
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
			n := &node{kind: '['}
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
		return &node{kind: '"', str: v}, nil
	case json.Number:
		return &node{kind: '0', str: v.String()}, nil
	case bool:
		return &node{kind: 'b', str: fmt.Sprint(v)}, nil
	case nil:
		return &node{kind: 'n'}, nil
	}
	return nil, fmt.Errorf("unexpected token %v", t)
}

// style is one way of encoding JSON.
type style struct {
	spaced bool // ", " and ": " between items, as Python's json.dumps
	sorted bool // object keys sorted
	ascii  bool // non-ASCII as \uXXXX, as Python's default ensure_ascii
	html   bool // <, >, & as \u003c..., as Go's json.Marshal
}

func (s style) String() string {
	var p []string
	if s.spaced {
		p = append(p, `spaced (", " and ": ")`)
	} else {
		p = append(p, "compact")
	}
	if s.sorted {
		p = append(p, "keys sorted")
	} else {
		p = append(p, "keys in received order")
	}
	if s.ascii {
		p = append(p, `non-ASCII as \uXXXX`)
	}
	if s.html {
		p = append(p, `<>& escaped`)
	}
	return strings.Join(p, ", ")
}

// styles are the re-encodings tried when a body does not verify.
func styles() []style {
	var out []style
	for _, sp := range []bool{false, true} {
		for _, so := range []bool{false, true} {
			for _, as := range []bool{false, true} {
				for _, h := range []bool{false, true} {
					out = append(out, style{spaced: sp, sorted: so, ascii: as, html: h})
				}
			}
		}
	}
	return out
}

func (n *node) encode(s style) []byte {
	var b bytes.Buffer
	n.write(&b, s)
	return b.Bytes()
}

func (n *node) write(b *bytes.Buffer, s style) {
	comma, colon := ",", ":"
	if s.spaced {
		comma, colon = ", ", ": "
	}
	switch n.kind {
	case '{':
		idx := make([]int, len(n.keys))
		for i := range idx {
			idx[i] = i
		}
		if s.sorted {
			sort.SliceStable(idx, func(a, c int) bool { return n.keys[idx[a]] < n.keys[idx[c]] })
		}
		b.WriteByte('{')
		for j, i := range idx {
			if j > 0 {
				b.WriteString(comma)
			}
			writeString(b, n.keys[i], s)
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
		writeString(b, n.str, s)
	case 'n':
		b.WriteString("null")
	default:
		b.WriteString(n.str)
	}
}

func writeString(b *bytes.Buffer, v string, s style) {
	var q bytes.Buffer
	enc := json.NewEncoder(&q)
	enc.SetEscapeHTML(s.html)
	_ = enc.Encode(v)
	out := bytes.TrimSuffix(q.Bytes(), []byte("\n"))
	if !s.ascii {
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

// member returns the value of key in an object node.
func (n *node) member(key string) *node {
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

// fieldOrder lists the members of an object, nested ones as a.b, in the
// order received.
func (n *node) fieldOrder(prefix string, out []string) []string {
	if n.kind != '{' {
		return out
	}
	for i, k := range n.keys {
		out = append(out, prefix+k)
		if n.vals[i].kind == '{' {
			out = n.vals[i].fieldOrder(prefix+k+".", out)
		}
	}
	return out
}

// maskJSON returns raw with the values of personal and secret fields masked
// in place: spacing, order and escapes stay exactly as received, so the
// output still shows how the body was encoded. Text that is not JSON is
// replaced by a note unless reveal is set.
func maskJSON(raw []byte, reveal bool) string {
	if reveal {
		return string(raw)
	}
	var spans []span
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := collectSpans(dec, raw, "", 0, &spans); err != nil {
		return fmt.Sprintf("[%d bytes, not JSON: hidden; add --reveal to show]", len(raw))
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

func collectSpans(dec *json.Decoder, raw []byte, kind string, depth int, out *[]span) error {
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
				if err := collectSpans(dec, raw, personal(k, depth > 0), depth+1, out); err != nil {
					return err
				}
			}
			_, err := dec.Token()
			return err
		case '[':
			for dec.More() {
				if err := collectSpans(dec, raw, kind, depth+1, out); err != nil {
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
		q, _ := json.Marshal(maskValue(kind, v))
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
		q, _ := json.Marshal(maskValue(kind, v.String()))
		*out = append(*out, span{before + int64(start), after, string(q)})
	}
	return nil
}

// keysSorted reports whether every object in n with two or more members has
// them in sorted order, and there is at least one such object.
func (n *node) keysSorted() bool {
	found := false
	var walk func(*node) bool
	walk = func(n *node) bool {
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
