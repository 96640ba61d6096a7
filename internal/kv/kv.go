// Package kv builds the canonical "key=value&key=value" string that
// allinpay signs: every non-empty field except the signature field, sorted by
// key in byte order, values raw (not URL-escaped).
//
// It builds the string from a typed struct, whose fields carry their wire
// names in `kv:"name"` tags (the per-type plan is computed once and cached),
// and from a raw received field set (a map, or the top level of a JSON
// object), so that responses and notifications are verified over exactly the
// fields received, unknown ones included.
//
// Struct fields may be any string kind, any integer kind, bool, or a pointer
// to one of those (nil is absent). An empty string is always absent; a zero
// integer is present unless the tag says `kv:"name,omitzero"`. Fields without
// a kv tag, and those tagged "-", are not part of the wire form. Embedded
// structs are flattened.
package kv

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
)

// Field is one wire field.
type Field struct {
	Key, Value string
}

type fieldPlan struct {
	name     string
	prefix   string // "&name=": one append per field instead of three
	index    []int
	kind     reflect.Kind
	ptr      bool
	omitZero bool
}

type plan struct {
	t      reflect.Type
	fields []fieldPlan // sorted by name
	// sizeHint is the longest canonical string built for this type so far,
	// so a fresh buffer is allocated once at the right size. It only grows,
	// so it is written rarely and never contended.
	sizeHint atomic.Int64
}

var plans sync.Map // reflect.Type -> *plan

func planFor(t reflect.Type) (*plan, error) {
	if p, ok := plans.Load(t); ok {
		return p.(*plan), nil
	}
	var fields []fieldPlan
	if err := collect(t, nil, &fields); err != nil {
		return nil, err
	}
	slices.SortFunc(fields, func(a, b fieldPlan) int { return strings.Compare(a.name, b.name) })
	for i := 1; i < len(fields); i++ {
		if fields[i].name == fields[i-1].name {
			return nil, fmt.Errorf("kv: %s: wire name %q used twice", t, fields[i].name)
		}
	}
	p := &plan{t: t, fields: fields}
	actual, _ := plans.LoadOrStore(t, p)
	return actual.(*plan), nil
}

func collect(t reflect.Type, prefix []int, out *[]fieldPlan) error {
	for i := range t.NumField() {
		sf := t.Field(i)
		index := append(slices.Clone(prefix), i)
		tag, hasTag := sf.Tag.Lookup("kv")
		if sf.Anonymous && !hasTag && sf.Type.Kind() == reflect.Struct {
			if err := collect(sf.Type, index, out); err != nil {
				return err
			}
			continue
		}
		if !hasTag || tag == "-" || !sf.IsExported() {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if name == "" {
			return fmt.Errorf("kv: %s.%s: empty wire name", t, sf.Name)
		}
		ft := sf.Type
		ptr := false
		if ft.Kind() == reflect.Pointer {
			ptr = true
			ft = ft.Elem()
		}
		switch ft.Kind() {
		case reflect.String, reflect.Bool,
			reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
			reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		default:
			return fmt.Errorf("kv: %s.%s: unsupported kind %s", t, sf.Name, ft.Kind())
		}
		*out = append(*out, fieldPlan{name: name, prefix: "&" + name + "=", index: index, kind: ft.Kind(), ptr: ptr, omitZero: opts == "omitzero"})
	}
	return nil
}

func structValue(v any) (reflect.Value, error) {
	rv := reflect.ValueOf(v)
	for rv.Kind() == reflect.Pointer {
		if rv.IsNil() {
			return reflect.Value{}, errors.New("kv: nil pointer")
		}
		rv = rv.Elem()
	}
	if rv.Kind() != reflect.Struct {
		return reflect.Value{}, fmt.Errorf("kv: %T is not a struct", v)
	}
	return rv, nil
}

// appendValue appends the wire text of f in rv; ok is false when absent.
func appendValue(dst []byte, rv reflect.Value, f *fieldPlan) ([]byte, bool) {
	var fv reflect.Value
	if len(f.index) == 1 {
		fv = rv.Field(f.index[0])
	} else {
		fv = rv.FieldByIndex(f.index)
	}
	if f.ptr {
		if fv.IsNil() {
			return dst, false
		}
		fv = fv.Elem()
	}
	switch f.kind {
	case reflect.String:
		s := fv.String()
		if s == "" {
			return dst, false
		}
		return append(dst, s...), true
	case reflect.Bool:
		b := fv.Bool()
		if !b && f.omitZero {
			return dst, false
		}
		return strconv.AppendBool(dst, b), true
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		n := fv.Int()
		if n == 0 && f.omitZero {
			return dst, false
		}
		return strconv.AppendInt(dst, n, 10), true
	default:
		n := fv.Uint()
		if n == 0 && f.omitZero {
			return dst, false
		}
		return strconv.AppendUint(dst, n, 10), true
	}
}

// AppendCanonical appends the canonical string of the struct v (or pointer to
// struct) to dst, leaving out the field named skip (the signature field).
func AppendCanonical(dst []byte, v any, skip string) ([]byte, error) {
	rv, err := structValue(v)
	if err != nil {
		return dst, err
	}
	p, err := planFor(rv.Type())
	if err != nil {
		return dst, err
	}
	start := len(dst)
	if hint := int(p.sizeHint.Load()); cap(dst)-len(dst) < hint {
		dst = slices.Grow(dst, hint)
	}
	first := true
	for i := range p.fields {
		f := &p.fields[i]
		if f.name == skip {
			continue
		}
		mark := len(dst)
		if first {
			dst = append(dst, f.prefix[1:]...)
		} else {
			dst = append(dst, f.prefix...)
		}
		var ok bool
		if dst, ok = appendValue(dst, rv, f); !ok {
			dst = dst[:mark]
			continue
		}
		first = false
	}
	if n := int64(len(dst) - start); n > p.sizeHint.Load() {
		p.sizeHint.Store(n)
	}
	return dst, nil
}

// Fields returns the present fields of the struct v in canonical (sorted)
// order, including the one named skip when it is set; use it to build the
// form that is sent.
func Fields(v any) ([]Field, error) {
	rv, err := structValue(v)
	if err != nil {
		return nil, err
	}
	p, err := planFor(rv.Type())
	if err != nil {
		return nil, err
	}
	out := make([]Field, 0, len(p.fields))
	var buf []byte
	for i := range p.fields {
		var ok bool
		buf, ok = appendValue(buf[:0], rv, &p.fields[i])
		if ok {
			out = append(out, Field{Key: p.fields[i].name, Value: string(buf)})
		}
	}
	return out, nil
}

// CanonicalMap returns the canonical string of a raw field set, leaving out
// empty values and the field named skip.
func CanonicalMap(m map[string]string, skip string) []byte {
	keys := make([]string, 0, len(m))
	n := 0
	for k, v := range m {
		if k == skip || v == "" {
			continue
		}
		keys = append(keys, k)
		n += len(k) + len(v) + 2
	}
	slices.Sort(keys)
	dst := make([]byte, 0, n)
	for i, k := range keys {
		if i > 0 {
			dst = append(dst, '&')
		}
		dst = append(dst, k...)
		dst = append(dst, '=')
		dst = append(dst, m[k]...)
	}
	return dst
}
