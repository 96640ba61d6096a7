package kv

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// This file holds a copy of the implementation of AppendCanonical, Fields
// and CanonicalMap as it was before their plan was tuned for speed, and
// checks that the current one builds byte-identical output over randomized
// values of structs shaped like the SDK's requests.

type oldFieldPlan struct {
	name     string
	prefix   string
	index    []int
	kind     reflect.Kind
	ptr      bool
	omitZero bool
}

type oldPlan struct {
	t      reflect.Type
	fields []oldFieldPlan
}

var oldPlans sync.Map

func oldPlanFor(t reflect.Type) (*oldPlan, error) {
	if p, ok := oldPlans.Load(t); ok {
		return p.(*oldPlan), nil
	}
	var fields []oldFieldPlan
	if err := oldCollect(t, nil, &fields); err != nil {
		return nil, err
	}
	slices.SortFunc(fields, func(a, b oldFieldPlan) int { return strings.Compare(a.name, b.name) })
	for i := 1; i < len(fields); i++ {
		if fields[i].name == fields[i-1].name {
			return nil, fmt.Errorf("kv: %s: wire name %q used twice", t, fields[i].name)
		}
	}
	p := &oldPlan{t: t, fields: fields}
	actual, _ := oldPlans.LoadOrStore(t, p)
	return actual.(*oldPlan), nil
}

func oldCollect(t reflect.Type, prefix []int, out *[]oldFieldPlan) error {
	for i := range t.NumField() {
		sf := t.Field(i)
		index := append(slices.Clone(prefix), i)
		tag, hasTag := sf.Tag.Lookup("kv")
		if sf.Anonymous && !hasTag && sf.Type.Kind() == reflect.Struct {
			if err := oldCollect(sf.Type, index, out); err != nil {
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
		*out = append(*out, oldFieldPlan{name: name, prefix: "&" + name + "=", index: index, kind: ft.Kind(), ptr: ptr, omitZero: opts == "omitzero"})
	}
	return nil
}

func oldStructValue(v any) (reflect.Value, error) {
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

func oldAppendValue(dst []byte, rv reflect.Value, f *oldFieldPlan) ([]byte, bool) {
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

func oldAppendCanonical(dst []byte, v any, skip string) ([]byte, error) {
	rv, err := oldStructValue(v)
	if err != nil {
		return dst, err
	}
	p, err := oldPlanFor(rv.Type())
	if err != nil {
		return dst, err
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
		if dst, ok = oldAppendValue(dst, rv, f); !ok {
			dst = dst[:mark]
			continue
		}
		first = false
	}
	return dst, nil
}

func oldFields(v any) ([]Field, error) {
	rv, err := oldStructValue(v)
	if err != nil {
		return nil, err
	}
	p, err := oldPlanFor(rv.Type())
	if err != nil {
		return nil, err
	}
	out := make([]Field, 0, len(p.fields))
	var buf []byte
	for i := range p.fields {
		var ok bool
		buf, ok = oldAppendValue(buf[:0], rv, &p.fields[i])
		if ok {
			out = append(out, Field{Key: p.fields[i].name, Value: string(buf)})
		}
	}
	return out, nil
}

func oldCanonicalMap(m map[string]string, skip string) []byte {
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

// The shapes below mirror the SDK's wire structs: allinpay's header
// embedded in each request (with a named string type), its pay request,
// refund and query requests, the 25-field benchmark request, and a struct
// with every supported kind, pointers, omitzero and nesting.

type diffTransType string

type diffHeader struct {
	RequestNo string        `kv:"requestNo"`
	Version   string        `kv:"version"`
	Access    string        `kv:"accessCode"`
	TransType diffTransType `kv:"transType"`
	SignType  string        `kv:"signType"`
	MchNo     string        `kv:"mchNo"`
}

type diffPayWire struct {
	diffHeader
	OutTransNo         string `kv:"outTransNo"`
	TransAmount        int64  `kv:"transAmount"`
	TipsAmount         int64  `kv:"tipsAmount,omitzero"`
	Currency           string `kv:"currency"`
	NotifyURL          string `kv:"notifyUrl"`
	StoreID            string `kv:"storeId"`
	LimitPay           string `kv:"limitPay"`
	AuthCode           string `kv:"authCode"`
	ExpireTime         int    `kv:"expireTime,omitzero"`
	OpenID             string `kv:"openId"`
	TerminalIP         string `kv:"terminalIp"`
	SubAppID           string `kv:"subAppid"`
	GoodsSubject       string `kv:"goodsSubject"`
	GoodsDetail        string `kv:"goodsDetail"`
	ReturnURL          string `kv:"returnUrl"`
	ReferURL           string `kv:"referUrl"`
	PaymentInstitution string `kv:"paymentInstitution"`
	Supplier           string `kv:"supplier"`
	Appenv             string `kv:"appenv"`
	TradeInformation   string `kv:"tradeInformation"`
}

type diffRefundWire struct {
	diffHeader
	OutTransNo    string `kv:"outTransNo"`
	OriOutTransNo string `kv:"oriOutTransNo"`
	TransAmount   int64  `kv:"transAmount"`
	Currency      string `kv:"currency"`
	RefundReson   string `kv:"refundReson"`
	NotifyURL     string `kv:"notifyUrl"`
}

type diffQueryWire struct {
	diffHeader
	OriOutTransNo string `kv:"oriOutTransNo"`
}

type diffBillWire struct {
	RequestNo string        `kv:"requestNo"`
	Version   string        `kv:"version"`
	Access    string        `kv:"accessCode"`
	TransType diffTransType `kv:"transType"`
	SignType  string        `kv:"signType"`
	BillDate  string        `kv:"billDate"`
}

type diffInner struct {
	Deep    *uint32 `kv:"deep"`
	DeepStr string  `kv:"deepStr"`
}

type diffMiddle struct {
	diffInner
	MidInt  int8  `kv:"midInt,omitzero"`
	MidBool *bool `kv:"midBool"`
}

type diffNamedInt int32

type diffMixed struct {
	diffMiddle
	S        string         `kv:"s"`
	SP       *string        `kv:"sp"`
	SN       diffTransType  `kv:"sn"`
	SNP      *diffTransType `kv:"snp"`
	I        int            `kv:"i"`
	IZ       int            `kv:"iz,omitzero"`
	I8       int8           `kv:"i8"`
	I16      int16          `kv:"i16,omitzero"`
	I32      diffNamedInt   `kv:"i32"`
	I64P     *int64         `kv:"i64p,omitzero"`
	U        uint           `kv:"u"`
	U8       uint8          `kv:"u8,omitzero"`
	U16P     *uint16        `kv:"u16p"`
	U32      uint32         `kv:"u32"`
	U64      uint64         `kv:"u64,omitzero"`
	B        bool           `kv:"b"`
	BZ       bool           `kv:"bz,omitzero"`
	BP       *bool          `kv:"bp,omitzero"`
	Untagged string
	Dash     string `kv:"-"`
	Sig      string `kv:"signature"`
	Opt      string `kv:"opt,omitzero"`
	Other    string `kv:"other,unknownopt"`
}

type diffBenchRequest struct {
	AccessCode         string `kv:"accessCode"`
	Appenv             string `kv:"appenv"`
	AuthCode           string `kv:"authCode"`
	Currency           string `kv:"currency"`
	ExpireTime         string `kv:"expireTime"`
	Extend1            string `kv:"extend1"`
	Extend2            string `kv:"extend2"`
	Extend3            string `kv:"extend3"`
	GoodsDetail        string `kv:"goodsDetail"`
	GoodsSubject       string `kv:"goodsSubject"`
	LimitPay           string `kv:"limitPay"`
	MchNo              string `kv:"mchNo"`
	NotifyURL          string `kv:"notifyUrl"`
	OpenID             string `kv:"openId"`
	OutTransNo         string `kv:"outTransNo"`
	PaymentInstitution string `kv:"paymentInstitution"`
	ReferURL           string `kv:"referUrl"`
	RequestNo          string `kv:"requestNo"`
	ReturnURL          string `kv:"returnUrl"`
	SignType           string `kv:"signType"`
	StoreID            string `kv:"storeId"`
	SubAppID           string `kv:"subAppid"`
	TerminalIP         string `kv:"terminalIp"`
	TransAmount        int64  `kv:"transAmount"`
	TransType          string `kv:"transType"`
	Version            string `kv:"version"`
	Signature          string `kv:"signature"`
}

// diffErrors are the shapes both implementations must refuse alike.
var diffErrors = []any{
	struct {
		A string `kv:"a"`
		B string `kv:"a"`
	}{},
	struct {
		diffHeader
		Again string `kv:"mchNo"`
	}{},
	struct {
		F float64 `kv:"f"`
	}{},
	struct {
		P **string `kv:"p"`
	}{},
	struct {
		A string `kv:",omitzero"`
	}{},
	5, "x", nil, (*diffPayWire)(nil), []int{1}, map[string]string{},
}

var diffTypes = []reflect.Type{
	reflect.TypeFor[diffPayWire](), reflect.TypeFor[diffRefundWire](), reflect.TypeFor[diffQueryWire](),
	reflect.TypeFor[diffBillWire](), reflect.TypeFor[diffHeader](), reflect.TypeFor[diffMixed](),
	reflect.TypeFor[diffBenchRequest](), reflect.TypeFor[req](), reflect.TypeFor[struct{}](),
}

var diffStrings = []string{"", "0", "a", "a&b", "=", "&", "k=v&x=y", "童装 kids", "\xff\xfe", " ", "signature", "\x00"}

func randString(r *rand.Rand) string {
	switch r.IntN(4) {
	case 0:
		return ""
	case 1:
		return diffStrings[r.IntN(len(diffStrings))]
	case 2:
		b := make([]byte, r.IntN(40))
		for i := range b {
			b[i] = byte(r.IntN(256))
		}
		return string(b)
	default:
		return strings.Repeat(diffStrings[r.IntN(len(diffStrings))], r.IntN(300))
	}
}

func randInt(r *rand.Rand) int64 {
	switch r.IntN(5) {
	case 0:
		return 0
	case 1:
		return []int64{1, -1, math.MaxInt64, math.MinInt64, 127, -128, 255, 65535}[r.IntN(8)]
	default:
		return int64(r.Uint64())
	}
}

// fill sets every settable field of v (a struct) at random.
func fill(r *rand.Rand, v reflect.Value) {
	switch v.Kind() {
	case reflect.Struct:
		for i := range v.NumField() {
			if f := v.Field(i); f.CanSet() {
				fill(r, f)
			}
		}
	case reflect.Pointer:
		if r.IntN(3) == 0 {
			v.SetZero()
			return
		}
		p := reflect.New(v.Type().Elem())
		fill(r, p.Elem())
		v.Set(p)
	case reflect.String:
		v.SetString(randString(r))
	case reflect.Bool:
		v.SetBool(r.IntN(2) == 0)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(randInt(r)) // truncated to the field's width by reflect
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		v.SetUint(uint64(randInt(r)))
	}
}

// skipFor picks the skip name of one call: usually signature, sometimes
// another present field, an unknown name or none.
func skipFor(r *rand.Rand, t reflect.Type) string {
	switch r.IntN(6) {
	case 0:
		return ""
	case 1:
		return "nosuchfield"
	case 2:
		if p, err := oldPlanFor(t); err == nil && len(p.fields) > 0 {
			return p.fields[r.IntN(len(p.fields))].name
		}
		return "a"
	default:
		return "signature"
	}
}

func randPrefix(r *rand.Rand) []byte {
	switch r.IntN(4) {
	case 0:
		return nil
	case 1:
		return make([]byte, 0, r.IntN(2000))
	default:
		b := make([]byte, r.IntN(10), 10+r.IntN(100))
		for i := range b {
			b[i] = byte('A' + i)
		}
		return b
	}
}

// checkOne compares the two implementations on one value.
func checkOne(t *testing.T, r *rand.Rand, v any, skip string) {
	t.Helper()
	prefix := randPrefix(r)
	want, werr := oldAppendCanonical(slices.Clone(prefix), v, skip)
	got, gerr := AppendCanonical(slices.Clone(prefix), v, skip)
	if fmt.Sprint(werr) != fmt.Sprint(gerr) {
		t.Fatalf("%T skip %q: error %v; old implementation %v", v, skip, gerr, werr)
	}
	if !bytes.Equal(want, got) {
		t.Fatalf("%T skip %q: AppendCanonical =\n%q\nold implementation\n%q\nvalue %+v", v, skip, got, want, v)
	}
	// Into a buffer that is shared with the caller's: never written past len.
	buf := append(slices.Clone(prefix), "tail"...)
	buf = buf[:len(prefix)]
	got, _ = AppendCanonical(buf, v, skip)
	if !bytes.Equal(want, got) {
		t.Fatalf("%T skip %q: AppendCanonical into a used buffer =\n%q\nwant\n%q", v, skip, got, want)
	}
	wf, werr := oldFields(v)
	gf, gerr := Fields(v)
	if fmt.Sprint(werr) != fmt.Sprint(gerr) {
		t.Fatalf("%T: Fields error %v; old implementation %v", v, gerr, werr)
	}
	if !slices.Equal(wf, gf) {
		t.Fatalf("%T: Fields =\n%q\nold implementation\n%q", v, gf, wf)
	}
	if gerr == nil {
		m := make(map[string]string, len(gf))
		for _, f := range gf {
			m[f.Key] = f.Value
		}
		if r.IntN(2) == 0 {
			m[randString(r)] = randString(r)
		}
		if w, g := oldCanonicalMap(m, skip), CanonicalMap(m, skip); !bytes.Equal(w, g) {
			t.Fatalf("CanonicalMap(%q, %q) =\n%q\nold implementation\n%q", m, skip, g, w)
		}
	}
}

func checkSeed(t *testing.T, seed1, seed2 uint64, rounds int) {
	r := rand.New(rand.NewPCG(seed1, seed2))
	for range rounds {
		typ := diffTypes[r.IntN(len(diffTypes))]
		p := reflect.New(typ)
		fill(r, p.Elem())
		skip := skipFor(r, typ)
		checkOne(t, r, p.Interface(), skip)
		checkOne(t, r, p.Elem().Interface(), skip)
	}
	for _, v := range diffErrors {
		checkOne(t, r, v, skipFor(r, reflect.TypeFor[diffMixed]()))
	}
	m := map[string]string{}
	for range r.IntN(40) {
		m[randString(r)] = randString(r)
	}
	skip := "signature"
	if len(m) > 0 && r.IntN(2) == 0 {
		for k := range m {
			skip = k
			break
		}
	}
	if w, g := oldCanonicalMap(m, skip), CanonicalMap(m, skip); !bytes.Equal(w, g) {
		t.Fatalf("CanonicalMap(%q, %q) =\n%q\nold implementation\n%q", m, skip, g, w)
	}
}

// TestCanonicalDifferential runs the comparison on a fixed set of seeds, so
// that go test covers it without -fuzz.
func TestCanonicalDifferential(t *testing.T) {
	t.Parallel()
	for seed := range uint64(200) {
		checkSeed(t, seed, seed*7919, 50)
	}
}

// TestCanonicalConcurrent builds canonical strings of several types, with
// several skip names, from many goroutines at once: the plan caches are
// shared (run it with -race).
func TestCanonicalConcurrent(t *testing.T) {
	t.Parallel()
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for g := range 8 {
		wg.Go(func() {
			r := rand.New(rand.NewPCG(uint64(g), 1))
			for range 300 {
				typ := diffTypes[r.IntN(len(diffTypes))]
				p := reflect.New(typ)
				fill(r, p.Elem())
				skip := skipFor(r, typ)
				want, _ := oldAppendCanonical(nil, p.Interface(), skip)
				got, _ := AppendCanonical(nil, p.Interface(), skip)
				if !bytes.Equal(want, got) {
					errs <- fmt.Errorf("%s skip %q: %q; want %q", typ, skip, got, want)
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// FuzzCanonicalDifferential: for random values of the request shapes, the
// tuned AppendCanonical, Fields and CanonicalMap build exactly the bytes
// the old implementation built.
func FuzzCanonicalDifferential(f *testing.F) {
	f.Add(uint64(1), uint64(2))
	f.Add(uint64(0), uint64(0))
	f.Add(uint64(math.MaxUint64), uint64(12345))
	f.Fuzz(func(t *testing.T, seed1, seed2 uint64) {
		checkSeed(t, seed1, seed2, 20)
	})
}
