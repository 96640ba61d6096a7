package notify

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/bizapi-cn/go-sdk/allinpay/internal/fieldset"
	"github.com/bizapi-cn/go-sdk/internal/kv"
)

// refParse is Parse as it was before the pairs (url.ParseQuery, maps,
// a Decoder over the map, the key over kv.CanonicalMap), the content type
// apart.
func refParse(ctx context.Context, v *Verifier, body []byte) (*Notification, error) {
	if n := bytes.Count(body, []byte{'&'}); n >= maxNotificationFields {
		return nil, fmt.Errorf("%w: %d fields", ErrMalformedNotification, n+1)
	}
	if !utf8.Valid(body) {
		return nil, fmt.Errorf("%w: body is not UTF-8", ErrMalformedNotification)
	}
	form, err := url.ParseQuery(string(body))
	if err != nil {
		return nil, fmt.Errorf("%w: body is not a form", ErrMalformedNotification)
	}
	f := make(Fields, len(form))
	for k, vals := range form {
		if len(vals) != 1 {
			return nil, fmt.Errorf("%w: field %q sent %d times", ErrMalformedNotification, k, len(vals))
		}
		if !utf8.ValidString(k) || !utf8.ValidString(vals[0]) {
			return nil, fmt.Errorf("%w: a field is not UTF-8", ErrMalformedNotification)
		}
		f[k] = vals[0]
	}
	if err := fieldset.CaseUnique(f); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrMalformedNotification, err)
	}
	if err := fieldset.Unambiguous(f, nil); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrMalformedNotification, err)
	}
	if err := v.cfg.Check(ctx, f, v.diag, "", func() []string { return formOrder(body) }); err != nil {
		return nil, err
	}
	for k, v := range f {
		if v == "" {
			delete(f, k) // outside the signature (review of 2026-12-04)
		}
	}
	d := &fieldset.Decoder{F: f}
	for _, k := range []string{"requestNo", "version", "accessCode", "transType", "signType", "mchNo", "outTransNo", "transAmount", "currency", "transNo"} {
		d.Required(k)
	}
	n := &Notification{RequestNo: d.Str("requestNo"), TransType: TransType(d.Str("transType")), MchNo: d.Str("mchNo"), OutTransNo: d.Str("outTransNo"),
		TransAmount: Amount(d.Amount("transAmount")), Currency: Currency(d.Str("currency")), ResultCode: ResultCode(d.Str("resultCode")),
		ResultMsg: d.Str("resultMsg"), TransNo: d.Str("transNo"), BankTradeNo: d.Str("bankTradeNo"), PayTime: parseTime(d.Str("payTime")),
		BankUserID: d.Str("bankUserId"), PaymentCurrency: Currency(d.Str("paymentCurrency")), Fields: f}
	n.PaymentAmount, _ = ParseAmount(f["paymentAmount"])
	if d.Err != nil {
		return nil, fmt.Errorf("%w: %w", ErrMalformedNotification, d.Err)
	}
	if f["mchNo"] != v.cfg.MchNo || f["accessCode"] != v.cfg.AccessCode {
		return nil, fmt.Errorf("%w: mchNo or accessCode is not this merchant's", ErrMalformedNotification)
	}
	n.Kind = n.TransType.Kind()
	sum := sha256.Sum256(kv.CanonicalMap(f, "signature"))
	n.key = "allinpay:" + string(n.Kind) + ":" + hex.EncodeToString(sum[:])
	return n, nil
}

// tagVerifier accepts a signature that is the first 8 bytes of the
// SHA-256 of the message, and records the message it was given.
type tagVerifier struct{ last []byte }

func (t *tagVerifier) Verify(_ context.Context, msg, sig []byte) error {
	t.last = append(t.last[:0], msg...)
	sum := sha256.Sum256(msg)
	if !bytes.Equal(sig, sum[:8]) {
		return errors.New("no")
	}
	return nil
}

// tagged signs fields (a form body in the given order) for tagVerifier.
func tagged(fields ...string) []byte {
	m := map[string]string{}
	var parts []string
	for i := 0; i+1 < len(fields); i += 2 {
		m[fields[i]] = fields[i+1]
		parts = append(parts, url.QueryEscape(fields[i])+"="+url.QueryEscape(fields[i+1]))
	}
	sum := sha256.Sum256(kv.CanonicalMap(m, "signature"))
	parts = append(parts, "signature="+url.QueryEscape(b64(sum[:8])))
	return []byte(strings.Join(parts, "&"))
}

func b64(b []byte) string {
	const enc = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	var out []byte
	for len(b) >= 3 {
		n := uint(b[0])<<16 | uint(b[1])<<8 | uint(b[2])
		out = append(out, enc[n>>18&63], enc[n>>12&63], enc[n>>6&63], enc[n&63])
		b = b[3:]
	}
	switch len(b) {
	case 1:
		n := uint(b[0]) << 16
		out = append(out, enc[n>>18&63], enc[n>>12&63], '=', '=')
	case 2:
		n := uint(b[0])<<16 | uint(b[1])<<8
		out = append(out, enc[n>>18&63], enc[n>>12&63], enc[n>>6&63], '=')
	}
	return string(out)
}

var parseSeeds = [][]byte{
	tagged("requestNo", "N1", "version", "V1.0", "accessCode", "20000000", "transType", "ALIPAY_SCANCODE", "signType", "RSA2", "mchNo", "M1",
		"outTransNo", "O1", "transAmount", "100", "currency", "HKD", "transNo", "T1", "resultCode", "0000", "payTime", "20240101100000",
		"bankUserId", "u1", "paymentAmount", "95", "paymentCurrency", "CNY", "resultMsg", "ok é", "newField", "x", "empty", ""),
	tagged("requestNo", "N1", "version", "V1.0", "accessCode", "20000000", "transType", "WXPAY_RETURN", "signType", "RSA2", "mchNo", "M1",
		"outTransNo", "O1", "transAmount", "-5", "currency", "HKD", "transNo", "T1", "payTime", "2024-01-01", "paymentAmount", "x"),
	tagged("requestNo", "N1", "version", "V1.0", "accessCode", "20000000", "transType", "X", "signType", "RSA2", "mchNo", "M2",
		"outTransNo", "O1", "transAmount", "100", "currency", "HKD", "transNo", "T1"),
	tagged("requestNo", "N1", "version", "V1.0", "accessCode", "20000000", "transType", "X", "signType", "RSA2", "mchNo", "M1",
		"outTransNo", "O1", "transAmount", "1.00", "currency", "HKD", "transNo", "T1"),
	tagged("requestNo", "N1", "accessCode", "20000000", "mchNo", "M1", "outTransNo", "O1", "transAmount", "1"),
	tagged("a", "1"),
	[]byte("signature=AAAA&a=1"),
	[]byte("outTransNo=O&signature=AAAA"),
	[]byte(""),
}

// checkParse compares Parse with refParse over body with both a verifier
// that can accept and one built with diagnostics.
func checkParse(t *testing.T, body []byte) {
	t.Helper()
	ctx := context.Background()
	for _, diagnose := range []bool{false, true} {
		opts := []Option{WithMerchant("20000000", "M1"), WithVerifier(&tagVerifier{})}
		if diagnose {
			opts = append(opts, WithDiagnostics())
		}
		v, err := NewVerifier(opts...)
		if err != nil {
			t.Fatal(err)
		}
		got, gerr := Parse(ctx, v, nil, body)
		want, werr := refParse(ctx, v, body)
		if (gerr == nil) != (werr == nil) {
			t.Fatalf("%q: Parse error %v; the old code's %v", body, gerr, werr)
		}
		if werr != nil {
			for _, target := range []error{ErrMalformedNotification, ErrInvalidSignature} {
				if errors.Is(gerr, target) != errors.Is(werr, target) {
					t.Fatalf("%q: Parse error %v; the old code's %v", body, gerr, werr)
				}
			}
			// Before the signature, the old code named any of several
			// fields at random; from it on, the texts are the same.
			var stack [4]fieldset.Pair
			if _, _, rerr := readForm(stack[:0], body); rerr == nil && gerr.Error() != werr.Error() {
				t.Fatalf("%q: Parse error %q; the old code's %q", body, gerr, werr)
			}
			var gse, wse *SignatureError
			if errors.As(gerr, &gse) != errors.As(werr, &wse) || gse != nil && !reflect.DeepEqual(gse, wse) { //nolint:forbidigo // go-cmp is no dependency of this module; unexported fields are compared too
				t.Fatalf("%q: signature error %#v; the old code's %#v", body, gse, wse)
			}
			continue
		}
		if !reflect.DeepEqual(got, want) { //nolint:forbidigo // go-cmp is no dependency of this module; unexported fields are compared too
			t.Fatalf("%q: Parse =\n%#v\nthe old code:\n%#v", body, got, want)
		}
	}
}

func TestParseMatchesOldParse(t *testing.T) {
	for _, b := range parseSeeds {
		checkParse(t, b)
	}
	v := mustVerifier(t)
	for i, want := range []string{"", "", "allinpay: malformed notification: mchNo or accessCode is not this merchant's",
		"allinpay: malformed notification: transAmount is not an amount in minor units", "allinpay: malformed notification: version is missing"} {
		if _, err := Parse(context.Background(), v, nil, parseSeeds[i]); errText(err) != want {
			t.Errorf("seed %d: %v; want %q", i, err, want)
		}
	}
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

func mustVerifier(t *testing.T) *Verifier {
	t.Helper()
	v, err := NewVerifier(WithMerchant("20000000", "M1"), WithVerifier(&tagVerifier{}))
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func FuzzParseMatchesOldParse(f *testing.F) {
	for _, b := range parseSeeds {
		f.Add(b)
	}
	for _, s := range readFormSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(checkParse)
}
