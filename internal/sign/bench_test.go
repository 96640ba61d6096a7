package sign_test

import (
	"bytes"
	"context"
	"crypto"
	"crypto/hmac"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"testing"

	"github.com/bizapi-cn/go-sdk/internal/keys"
	"github.com/bizapi-cn/go-sdk/internal/sign"
	"github.com/bizapi-cn/go-sdk/internal/testvectors"
)

// BenchmarkHMACSHA256: base64 HMAC-SHA256 of a 600-byte message next to a
// reused hmac.Hash (target ≤ 2x the floor, ≤ 3 allocs/op).
func BenchmarkHMACSHA256(b *testing.B) {
	key := []byte("levy-test-secret-7f3a")
	msg := bytes.Repeat([]byte("0123456789"), 60)
	b.Run("floor", func(b *testing.B) {
		b.ReportAllocs()
		h := hmac.New(sha256.New, key)
		var sum [32]byte
		out := make([]byte, base64.StdEncoding.EncodedLen(32))
		for b.Loop() {
			h.Reset()
			h.Write(msg)
			base64.StdEncoding.Encode(out, h.Sum(sum[:0]))
		}
	})
	b.Run("sdk", func(b *testing.B) {
		b.ReportAllocs()
		m := sign.NewHMACSHA256(key)
		for b.Loop() {
			_ = m.Base64(msg)
		}
	})
	b.Run("sdk-verify", func(b *testing.B) {
		b.ReportAllocs()
		m := sign.NewHMACSHA256(key)
		sig := m.Base64(msg)
		for b.Loop() {
			if err := m.VerifyBase64(msg, sig); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkRSASign: SHA256withRSA with a parsed, cached key next to bare
// rsa.SignPKCS1v15 (target ≤ 1.05x).
func BenchmarkRSASign(b *testing.B) {
	pemKey, err := testvectors.Read("keys/merchant_rsa_private_pkcs1.pem")
	if err != nil {
		b.Fatal(err)
	}
	priv, err := keys.ParseRSAPrivateKey(pemKey)
	if err != nil {
		b.Fatal(err)
	}
	msg := bytes.Repeat([]byte("accessCode=20000000&"), 20)
	b.Run("floor", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			sum := sha256.Sum256(msg)
			if _, err := rsa.SignPKCS1v15(rand.Reader, priv, crypto.SHA256, sum[:]); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("sdk", func(b *testing.B) {
		b.ReportAllocs()
		s, err := sign.NewRSASigner(priv)
		if err != nil {
			b.Fatal(err)
		}
		ctx := context.Background()
		for b.Loop() {
			if _, err := s.Sign(ctx, msg); err != nil {
				b.Fatal(err)
			}
		}
	})
}
