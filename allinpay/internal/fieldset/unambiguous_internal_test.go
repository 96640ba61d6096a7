package fieldset

import (
	"strings"
	"testing"

	"github.com/bizapi-cn/go-sdk/internal/kv"
)

// FuzzUnambiguousURL holds Unambiguous to what it claims, checked the
// long way: no canonical string has two readings it accepts. The string
// of a fuzzed answer (two URL fields and one more) is cut at its '&' in
// every way (splits and folds alike, of every field), each cut read as
// name=value fields in sorted order, and the readings that CaseUnique
// and Unambiguous accept are counted: at most one may be.
func FuzzUnambiguousURL(f *testing.F) {
	f.Add("https://qr.example/x?a=1&currency=HKD", "app_id=1&charset=utf-8&version=1.0&sign=x", "mchNo", "M1")
	f.Add("https://qr.example/x?a=1&payInfo=P", "", "mchNo", "M1") // a URL field's name hidden in another
	f.Add("u?a=1&payInfo=P1", "Q", "x", "")
	f.Add("", "a=1&payTime=2", "payTime", "20240101000000")
	f.Add("https://qr.example/x?a=1&b=2", "", "currency", "HKD")
	f.Fuzz(func(t *testing.T, codeURL, payInfo, other, otherValue string) {
		m := map[string]string{"returnCode": "0000", "requestNo": "R1", "codeUrl": codeURL, "payInfo": payInfo}
		if other != "" && !strings.ContainsAny(other, "=&") && m[other] == "" {
			m[other] = otherValue
		}
		signed := string(kv.CanonicalMap(m, "signature"))
		pieces := strings.Split(signed, "&")
		if len(pieces) > 14 {
			return // 2^13 readings at most
		}
		accepted := 0
		var first map[string]string
		for cuts := 0; cuts < 1<<(len(pieces)-1); cuts++ {
			r, ok := reading(pieces, cuts)
			if !ok || CaseUnique(r) != nil || Unambiguous(r, answerURLs) != nil {
				continue
			}
			if accepted++; accepted == 1 {
				first = r
			} else {
				t.Fatalf("%q has two readings accepted: %v and %v", signed, first, r)
			}
		}
	})
}

// reading reads pieces (a canonical string cut at every '&') as fields,
// starting a field at piece i+1 where bit i of cuts is set: every field
// must be name=value with a name free of '=', a value that is not empty,
// and the names strictly ascending (the canonical string's order).
func reading(pieces []string, cuts int) (map[string]string, bool) {
	r := map[string]string{}
	last := ""
	field := pieces[0]
	flush := func() bool {
		name, value, ok := strings.Cut(field, "=")
		if !ok || name == "" || value == "" || name <= last || name == "signature" {
			return false
		}
		r[name], last = value, name
		return true
	}
	for i := 1; i < len(pieces); i++ {
		if cuts&(1<<(i-1)) == 0 {
			field += "&" + pieces[i]
			continue
		}
		if !flush() {
			return nil, false
		}
		field = pieces[i]
	}
	if !flush() {
		return nil, false
	}
	return r, true
}

var answerURLs = map[string]bool{"codeUrl": true, "payInfo": true}
