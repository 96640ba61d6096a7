package notify

import (
	"context"
	"encoding/base64"
	"net/url"
	"testing"

	"github.com/bizapi-cn/go-sdk/allinpay/internal/fieldset"
)

// benchBody is a notification of the usual size, signature included.
var benchBody = func() []byte {
	// A base64 signature of 256 bytes, every byte value once: '+' and '/'
	// (escaped in the form) appear as often as in a real one.
	sig := make([]byte, 256)
	for i := range sig {
		sig[i] = byte(i)
	}
	form := url.Values{"signature": {base64.StdEncoding.EncodeToString(sig)}}
	for k, v := range map[string]string{
		"outTransNo": "20180626171856517", "transAmount": "100", "currency": "HKD", "resultCode": "0000",
		"transNo": "T900001", "bankTradeNo": "4200000001", "payTime": "20180626172001", "bankUserId": "u1",
		"mchNo": "6666666600003", "transType": "ALIPAY_SCANCODE", "signType": "RSA2",
		"requestNo": "N20180626172001", "version": "V1.0", "accessCode": "20000000",
	} {
		form.Set(k, v)
	}
	return []byte(form.Encode())
}()

type acceptAll struct{}

func (acceptAll) Verify(context.Context, []byte, []byte) error { return nil }

// BenchmarkParseNoCrypto is Parse without the RSA operation: what the SDK
// adds to the signature check.
func BenchmarkParseNoCrypto(b *testing.B) {
	v, err := NewVerifier(WithMerchant("20000000", "6666666600003"), WithVerifier(acceptAll{}))
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(ctx, v, nil, benchBody); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkReadForm(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		var stack [32]fieldset.Pair
		if _, _, err := readForm(stack[:0], benchBody); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkRefReadForm(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, _, errs := refReadForm(benchBody); errs != nil {
			b.Fatal(errs)
		}
	}
}
