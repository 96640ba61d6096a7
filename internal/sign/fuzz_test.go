package sign_test

import (
	"context"
	"errors"
	"testing"

	"github.com/bizapi-cn/go-sdk/internal/gm"

	"github.com/bizapi-cn/go-sdk/internal/sign"
)

// FuzzHMAC: verify(sign(x)) holds for both hashes and both encodings, a
// different message fails, and a malformed signature never panics.
func FuzzHMAC(f *testing.F) {
	f.Add([]byte("levy-test-secret-7f3a"), []byte(`{"name":"SIGN_UP"}`), "SMu0N67pf/8CBrRV5zByFImXm9TwFeKoWHjAgoFbe/Y=")
	f.Add([]byte{}, []byte{}, "")
	f.Fuzz(func(t *testing.T, key, msg []byte, junk string) {
		for _, m := range []*sign.HMAC{sign.NewHMACSHA256(key), gm.NewHMACSM3(key)} {
			if err := m.VerifyBase64(msg, m.Base64(msg)); err != nil {
				t.Fatalf("%s: VerifyBase64(Base64) = %v", m.Algorithm(), err)
			}
			if err := m.VerifyHex(msg, m.UpperHex(msg)); err != nil {
				t.Fatalf("%s: VerifyHex(UpperHex) = %v", m.Algorithm(), err)
			}
			other := append([]byte{1}, msg...)
			if err := m.Verify(context.Background(), other, m.Sum(msg)); !errors.Is(err, sign.ErrInvalidSignature) {
				t.Fatalf("%s: Verify(other message) = %v", m.Algorithm(), err)
			}
			_ = m.VerifyBase64(msg, junk)
			_ = m.VerifyHex(msg, junk)
		}
	})
}
