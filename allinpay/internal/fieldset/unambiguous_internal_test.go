package fieldset

import (
	"bytes"
	"strings"
	"testing"

	"github.com/bizapi-cn/go-sdk/internal/kv"
)

// FuzzUnambiguousURL holds Unambiguous to what it claims, checked the
// long way: for an answer it accepts, no other reading of the signed
// string exists. Every way to cut a URL field's value at an '&' into a
// shorter value and a field of its own (the rest of the value, under the
// name before its first '=') is built, and its canonical string must
// differ from the accepted one. A fold (fields merged into one value) is
// the same pair read the other way round.
func FuzzUnambiguousURL(f *testing.F) {
	f.Add("payInfo", "app_id=1&charset=utf-8&version=1.0&sign=x", "payTime", "20240101000000")
	f.Add("payInfo", "a=1&payTime=2", "requestNo", "R1")
	f.Add("codeUrl", "https://qr.example/x?a=1&currency=HKD", "mchNo", "M1")
	f.Add("codeUrl", "https://qr.example/x?a=1&b=2", "currency", "HKD")
	f.Fuzz(func(t *testing.T, field, value, other, otherValue string) {
		if !answerURLs[field] {
			field = "payInfo"
		}
		m := map[string]string{"returnCode": "0000", "resultCode": "P000", "requestNo": "R1", "signature": "sig", field: value}
		if other != "" && !strings.ContainsAny(other, "=&") && other != field {
			m[other] = otherValue
		}
		if Unambiguous(m, answerURLs) != nil {
			return
		}
		signed := kv.CanonicalMap(m, "signature")
		for i := 0; i < len(value); i++ {
			if value[i] != '&' {
				continue
			}
			name, rest, ok := strings.Cut(value[i+1:], "=")
			if !ok || name == "" || strings.Contains(name, "&") || m[name] != "" || name == "signature" {
				continue // not a field name, or one the set has (a field twice is refused)
			}
			alt := make(map[string]string, len(m)+1)
			for k, v := range m {
				alt[k] = v
			}
			alt[field], alt[name] = value[:i], rest
			if bytes.Equal(kv.CanonicalMap(alt, "signature"), signed) {
				t.Fatalf("accepted %v, and %v signs the same string %q", m, alt, signed)
			}
		}
	})
}

var answerURLs = map[string]bool{"codeUrl": true, "payInfo": true}
