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

// Kind codes: the per-field dispatch of the hot loop is on these, resolved
// once per type, instead of on reflect.Kind ranges.
const (
	codeString uint8 = iota
	codeBool
	codeInt
	codeUint
)

type fieldPlan struct {
	name   string
	prefix string // "&name=": one append per field instead of three
	// at is the field's index in its top-level struct, or -1 when the field
	// is inside an embedded struct and path must be walked.
	at       int
	path     []int
	code     uint8
	ptr      bool
	omitZero bool
}

// hotField is the part of a fieldPlan the loop of AppendCanonical reads, kept
// small so the loop walks a compact array.
type hotField struct {
	prefix string // as in fieldPlan
	// plain is the top-level index of a string field that is not a
	// pointer, the common case, which the loop handles inline; -1 sends the
	// loop to the fieldPlan.
	plain int
	fi    int // index of the fieldPlan in plan.fields
}

// skipCache is plan.hot less the field named name, for the first skip name
// AppendCanonical is given (always "signature" in practice), so that the
// loop neither searches for it nor compares with it.
type skipCache struct {
	name string
	hot  []hotField
}

type plan struct {
	t      reflect.Type
	fields []fieldPlan // sorted by name
	hot    []hotField  // one for each of fields, in the same order
	skip   atomic.Pointer[skipCache]
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
	p := &plan{t: t, fields: fields, hot: make([]hotField, len(fields))}
	for i, f := range fields {
		p.hot[i] = hotField{prefix: f.prefix, plain: -1, fi: i}
		if f.code == codeString && !f.ptr && f.at >= 0 {
			p.hot[i].plain = f.at
		}
	}
	actual, _ := plans.LoadOrStore(t, p)
	return actual.(*plan), nil
}

// hotFor returns p.hot less the field named skip, as one or two runs; the
// first is cached, once per plan, for the first skip name asked for, so a
// caller alternating names never allocates more than once.
func (p *plan) hotFor(skip string) (run1, run2 []hotField) {
	if c := p.skip.Load(); c != nil && c.name == skip {
		return c.hot, nil
	}
	at := p.index(skip)
	if at < 0 {
		run1 = p.hot
	} else {
		run1, run2 = p.hot[:at], p.hot[at+1:]
	}
	if p.skip.Load() == nil {
		p.skip.CompareAndSwap(nil, &skipCache{name: skip, hot: slices.Concat(run1, run2)})
	}
	return run1, run2
}

// index returns the position of the field named name in p.fields, or -1.
// The fields are sorted by name, so it is a binary search.
func (p *plan) index(name string) int {
	lo, hi := 0, len(p.fields)
	for lo < hi {
		h := int(uint(lo+hi) >> 1)
		if p.fields[h].name < name {
			lo = h + 1
		} else {
			hi = h
		}
	}
	if lo < len(p.fields) && p.fields[lo].name == name {
		return lo
	}
	return -1
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
		var code uint8
		switch ft.Kind() {
		case reflect.String:
			code = codeString
		case reflect.Bool:
			code = codeBool
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
			code = codeInt
		case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
			code = codeUint
		default:
			return fmt.Errorf("kv: %s.%s: unsupported kind %s", t, sf.Name, ft.Kind())
		}
		at := -1
		if len(index) == 1 {
			at = index[0]
		}
		*out = append(*out, fieldPlan{
			name: name, prefix: "&" + name + "=", at: at, path: index, code: code, ptr: ptr, omitZero: opts == "omitzero",
		})
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

// field returns f's value in rv, or ok false when it is a nil pointer.
// Embedded structs are values (collect does not descend into embedded
// pointers), so walking the path never meets a nil pointer.
func (f *fieldPlan) field(rv reflect.Value) (fv reflect.Value, ok bool) {
	if f.at >= 0 {
		fv = rv.Field(f.at)
	} else {
		fv = rv
		for _, i := range f.path {
			fv = fv.Field(i)
		}
	}
	if f.ptr {
		if fv.IsNil() {
			return fv, false
		}
		fv = fv.Elem()
	}
	return fv, true
}

// appendField appends f's wire text, after prefix (its "&name=" less the
// first sep bytes); ok is false, and dst unchanged, when f is absent.
func (f *fieldPlan) appendField(dst []byte, rv reflect.Value, sep int) ([]byte, bool) {
	fv, ok := f.field(rv)
	if !ok {
		return dst, false
	}
	switch f.code {
	case codeString:
		s := fv.String()
		if s == "" {
			return dst, false
		}
		dst = append(dst, f.prefix[sep:]...)
		return append(dst, s...), true
	case codeBool:
		b := fv.Bool()
		if !b && f.omitZero {
			return dst, false
		}
		dst = append(dst, f.prefix[sep:]...)
		return strconv.AppendBool(dst, b), true
	case codeInt:
		n := fv.Int()
		if n == 0 && f.omitZero {
			return dst, false
		}
		dst = append(dst, f.prefix[sep:]...)
		return strconv.AppendInt(dst, n, 10), true
	default:
		n := fv.Uint()
		if n == 0 && f.omitZero {
			return dst, false
		}
		dst = append(dst, f.prefix[sep:]...)
		return strconv.AppendUint(dst, n, 10), true
	}
}

// appendHot appends the fields of hot present in rv. sep is 1 when no field
// has been appended yet (the first has no '&'); the sep returned is for the
// next run.
func (p *plan) appendHot(dst []byte, rv reflect.Value, hot []hotField, sep int) ([]byte, int) {
	// Two loops that differ only in the separator: up to the first present
	// field, whose prefix has no '&', then the rest. The common case, a
	// string field of the top-level struct, is handled inline.
	i := 0
	if sep == 1 {
		for ; i < len(hot); i++ {
			h := &hot[i]
			if h.plain >= 0 {
				s := rv.Field(h.plain).String()
				if s == "" {
					continue
				}
				dst = append(dst, h.prefix[1:]...)
				dst = append(dst, s...)
			} else {
				var ok bool
				if dst, ok = p.fields[h.fi].appendField(dst, rv, 1); !ok {
					continue
				}
			}
			sep = 0
			i++
			break
		}
		if sep == 1 {
			return dst, 1 // nothing present
		}
	}
	for _, h := range hot[i:] {
		if h.plain >= 0 {
			s := rv.Field(h.plain).String()
			if s == "" {
				continue
			}
			dst = append(dst, h.prefix...)
			dst = append(dst, s...)
		} else {
			dst, _ = p.fields[h.fi].appendField(dst, rv, 0)
		}
	}
	return dst, 0
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
	run1, run2 := p.hotFor(skip)
	dst, sep := p.appendHot(dst, rv, run1, 1) // the first present field has no '&'
	if len(run2) > 0 {
		dst, _ = p.appendHot(dst, rv, run2, sep)
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
		f := &p.fields[i]
		var ok bool
		// sep len(prefix) appends no prefix: the value alone.
		buf, ok = f.appendField(buf[:0], rv, len(f.prefix))
		if ok {
			out = append(out, Field{Key: f.name, Value: string(buf)})
		}
	}
	return out, nil
}

// CanonicalMap returns the canonical string of a raw field set, leaving out
// empty values and the field named skip.
func CanonicalMap(m map[string]string, skip string) []byte {
	// The keys are sorted in an array on the stack when they fit (a
	// notification has a few dozen fields); more go to the heap.
	var stack [48]string
	keys := stack[:0]
	if len(m) > len(stack) {
		keys = make([]string, 0, len(m))
	}
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
