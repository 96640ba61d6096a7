package notify

import (
	"errors"
	"fmt"
	"maps"
	"net/url"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/bizapi-cn/go-sdk/allinpay/internal/fieldset"
	"github.com/bizapi-cn/go-sdk/internal/kv"
)

// refReadForm is readForm as it was, over url.ParseQuery and maps: it
// returns the field set and canonical string, or every error text the old
// code could give (its checks ran in map order, so when a body breaks one
// check in several fields any of them could be named).
func refReadForm(body []byte) (Fields, []byte, []string) {
	if n := strings.Count(string(body), "&"); n >= maxNotificationFields {
		return nil, nil, []string{fmt.Sprintf("%v: %d fields", ErrMalformedNotification, n+1)}
	}
	if !utf8.Valid(body) {
		return nil, nil, []string{fmt.Sprintf("%v: body is not UTF-8", ErrMalformedNotification)}
	}
	form, err := url.ParseQuery(string(body))
	if err != nil {
		return nil, nil, []string{fmt.Sprintf("%v: body is not a form", ErrMalformedNotification)}
	}
	var errs []string
	f := make(Fields, len(form))
	for k, vals := range form {
		if len(vals) != 1 {
			errs = append(errs, fmt.Sprintf("%v: field %q sent %d times", ErrMalformedNotification, k, len(vals)))
			continue
		}
		if !utf8.ValidString(k) || !utf8.ValidString(vals[0]) {
			errs = append(errs, fmt.Sprintf("%v: a field is not UTF-8", ErrMalformedNotification))
			continue
		}
		f[k] = vals[0]
	}
	if errs != nil {
		return nil, nil, errs
	}
	lower := map[string]int{}
	for k := range f {
		lower[strings.ToLower(k)]++
	}
	for l, n := range lower {
		if n > 1 {
			errs = append(errs, fmt.Sprintf("%v: members differing only in case (%q)", ErrMalformedNotification, l))
		}
	}
	if errs != nil {
		return nil, nil, errs
	}
	for k, v := range f {
		if err := fieldset.Unambiguous(Fields{k: v}, nil); err != nil {
			errs = append(errs, fmt.Sprintf("%v: %v", ErrMalformedNotification, err))
		}
	}
	if errs != nil {
		return nil, nil, errs
	}
	return f, kv.CanonicalMap(f, "signature"), nil
}

// checkReadForm compares readForm (and the canonical string and key built
// from its pairs) with the old code.
func checkReadForm(t *testing.T, body []byte) {
	t.Helper()
	var stack [4]fieldset.Pair // small, so that growing is exercised too
	ps, f, err := readForm(stack[:0], body)
	wantF, wantCanon, wantErrs := refReadForm(body)
	if wantErrs != nil {
		if err == nil {
			t.Fatalf("%q: accepted; the old code refused it: %q", body, wantErrs)
		}
		if !errors.Is(err, ErrMalformedNotification) {
			t.Fatalf("%q: %v is not ErrMalformedNotification", body, err)
		}
		for _, w := range wantErrs {
			if err.Error() == w {
				return
			}
		}
		t.Fatalf("%q: error %q; the old code's: %q", body, err, wantErrs)
	}
	if err != nil {
		t.Fatalf("%q: refused (%v); the old code accepted it", body, err)
	}
	if !maps.Equal(f, wantF) || len(ps) != len(wantF) {
		t.Fatalf("%q: fields %v (%d pairs); want %v", body, map[string]string(f), len(ps), map[string]string(wantF))
	}
	for _, p := range ps {
		if v, ok := wantF[p.K]; !ok || v != p.V {
			t.Fatalf("%q: pair %q=%q not in %v", body, p.K, p.V, map[string]string(wantF))
		}
	}
	canon := fieldset.AppendCanonical(nil, ps)
	if string(canon) != string(wantCanon) || canon == nil {
		t.Fatalf("%q: canonical %q; want %q", body, canon, wantCanon)
	}
	if got, want := contentKey("payment", canon), refContentKey("payment", f); got != want {
		t.Fatalf("%q: key %q; want %q", body, got, want)
	}
}

// refContentKey is contentKey as it was, over the map.
func refContentKey(kind string, f map[string]string) string {
	return contentKey(kind, kv.CanonicalMap(f, "signature"))
}

var readFormSeeds = []string{
	"",
	"&",
	"&&a=1&&",
	"a",
	"a=",
	"=",
	"=1",
	"a=1&a=1",
	"a=1&a=2&a=3&b=1&b=2",
	"a=1&A=2",
	"a=1&A=2&b=1&B=2",
	"aB=1&Ab=2",
	"K=1&\u212a=2", // Kelvin sign: strings.ToLower makes it "k"
	"\u212a=1&k=2",
	"\u00c9=1&\u00e9=2",
	"\u00e9=1&e=2",
	"%C3%89=1&%C3%A9=2",
	"a%3Db=1",
	"a%26b=1",
	"a=1;b=2",
	"a=%zz",
	"%zz=1",
	"a=%FF",
	"%FF=1",
	"a=%FF&a=%FE",
	"a=b+c&d=%2B",
	"x=T1%26resultCode%3D0000",
	"x=T1%26resultCode",
	"x=%26%3D",
	"signature=a%26b%3Dc&x=1",
	"x=&y=&signature=abc",
	"b=2&a=1&signature=s&c=&d=4",
	"transNo=1&TRANSNO=",
	"a=1&" + strings.Repeat("b&", 98),
	"a=1&" + strings.Repeat("b&", 97),
	"a=\xff",
}

func TestReadFormMatchesParseQuery(t *testing.T) {
	var many strings.Builder
	for i := range 60 {
		fmt.Fprintf(&many, "&field%02dName=value%d", i, i)
	}
	seeds := append(readFormSeeds, many.String()[1:], many.String()[1:]+"&FIELD59NAME=x", many.String()[1:]+"&field00Name=again")
	for _, s := range seeds {
		checkReadForm(t, []byte(s))
	}
}

func FuzzReadForm(f *testing.F) {
	for _, s := range readFormSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(checkReadForm)
}

func TestCaseUniquePairsMatchesCaseUnique(t *testing.T) {
	long := strings.Repeat("Ab", 600)
	var many, manyTwin []string // past CaseUniquePairs's table
	for i := range 200 {
		many = append(many, fmt.Sprintf("f%dX", i))
	}
	manyTwin = append(append(manyTwin, many...), "F7x")
	var fill []string // the table's every probe sequence crowded
	for i := range 128 {
		fill = append(fill, fmt.Sprintf("k%d", i))
	}
	fillTwin := append(append([]string(nil), fill[:127]...), "K3")
	for _, names := range [][]string{
		many, manyTwin, fill, fillTwin,
		nil, {"a"}, {"a", "A"}, {"a", "b"}, {"Kelvin", "\u212aelvin"}, {"\u00c9", "\u00e9"}, {"\u0130", "i\u0307"},
		{"x", "y", "Z", "z"}, {long, "x"}, {long, strings.ToLower(long)}, {"aB", "Ab", "ab"},
	} {
		m := map[string]string{}
		var ps []fieldset.Pair
		for _, n := range names {
			m[n] = "v"
			ps = append(ps, fieldset.Pair{K: n, V: "v"})
		}
		want, got := fieldset.CaseUnique(m), fieldset.CaseUniquePairs(ps)
		if (want == nil) != (got == nil) {
			t.Errorf("%q: CaseUniquePairs %v; CaseUnique %v", names, got, want)
		}
		if (len(names) == 2 || len(names) > 100) && want != nil && got.Error() != want.Error() {
			t.Errorf("%q: CaseUniquePairs %v; CaseUnique %v", names, got, want)
		}
	}
}

func FuzzQueryUnescape(f *testing.F) {
	for _, s := range []string{"", "a", "+", "%", "%4", "%41", "%4g", "a%2Bb+c%2f%3D", "%%41", "\xff%FF", "%e9+%C3%A9"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, high, ok := queryUnescape(s)
		want, err := url.QueryUnescape(s)
		if ok != (err == nil) || got != want {
			t.Fatalf("queryUnescape(%q) = %q, %v; url.QueryUnescape: %q, %v", s, got, ok, want, err)
		}
		if ok && high != hasHighEscape(s) {
			t.Fatalf("queryUnescape(%q): high %v", s, high)
		}
	})
}

// hasHighEscape reports a %XY escape of a byte of 0x80 or more in s.
func hasHighEscape(s string) bool {
	for i := 0; i+2 < len(s); i++ {
		if s[i] == '%' && ishex(s[i+1]) && ishex(s[i+2]) {
			if unhex(s[i+1]) >= 8 {
				return true
			}
			i += 2
		}
	}
	return false
}

func TestReadIndex(t *testing.T) {
	want := []string{"requestNo", "version", "accessCode", "transType", "signType", "mchNo", "outTransNo", "transAmount", "currency", "transNo"}
	if !slices.Equal(notificationRequired, want) {
		t.Errorf("notificationRequired = %q; want %q", notificationRequired, want)
	}
	for i, k := range readNames {
		if readIndex(k) != i {
			t.Errorf("readIndex(%q) = %d; want %d", k, readIndex(k), i)
		}
		if readIndex(strings.ToUpper(k)) != -1 || readIndex(k+"x") != -1 {
			t.Errorf("readIndex reads a name other than %q", k)
		}
	}
	if readIndex("") != -1 || readIndex("signature") != -1 {
		t.Error("readIndex reads an unknown name")
	}
}
