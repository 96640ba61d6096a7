package allinpay_test

import (
	"bytes"
	"context"
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"net/url"
	"testing"

	"github.com/bizapi-cn/go-sdk/allinpay"
	"github.com/bizapi-cn/go-sdk/internal/keys"
)

// forged returns about size bytes of a notification form with a
// plausible but wrong signature: shape "fields" has many small fields,
// "value" one large one.
func forged(shape string, size int) []byte {
	sig := base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{7}, 256))
	var b bytes.Buffer
	b.WriteString("transType=WXPAY_SCANCODE&outTransNo=O-1&mchNo=6666666600003&accessCode=20000000&signature=" + url.QueryEscape(sig))
	switch shape {
	case "fields":
		for i := 0; b.Len() < size; i++ {
			fmt.Fprintf(&b, "&f%06d=xxxxxxxxxxxxxxxx", i)
		}
	default:
		b.WriteString("&goodsDetail=")
		b.Write(bytes.Repeat([]byte("x"), size-b.Len()))
	}
	return b.Bytes()
}

// BenchmarkRefuseForgedNotification: forged bytes refused per second and
// core (target ≥ 50 MB/s), next to the floor: one RSA verification and a
// SHA-256 over the same bytes, the least any verifier does.
func BenchmarkRefuseForgedNotification(b *testing.B) {
	_, pp, _, _ := vectorKeys(b)
	v, err := allinpay.NewNotificationVerifier(allinpay.WithMerchant("20000000", "6666666600003"), allinpay.WithPlatformPublicKeys(pp))
	if err != nil {
		b.Fatal(err)
	}
	pub, _ := keys.ParseRSAPublicKey(pp)
	ctx := context.Background()
	for _, size := range []int{16 << 10, 1 << 20} {
		for _, shape := range []string{"fields", "value"} {
			body := forged(shape, size)
			b.Run(fmt.Sprintf("floor/%s/%dKiB", shape, size>>10), func(b *testing.B) {
				b.SetBytes(int64(len(body)))
				sig := bytes.Repeat([]byte{7}, 256)
				for b.Loop() {
					sum := sha256.Sum256(body)
					_ = rsa.VerifyPKCS1v15(pub, crypto.SHA256, sum[:], sig)
				}
			})
			b.Run(fmt.Sprintf("sdk/%s/%dKiB", shape, size>>10), func(b *testing.B) {
				b.SetBytes(int64(len(body)))
				b.ReportAllocs()
				for b.Loop() {
					if _, err := allinpay.ParseNotification(ctx, v, nil, body); err == nil {
						b.Fatal("forged notification accepted")
					}
				}
			})
		}
	}
}
