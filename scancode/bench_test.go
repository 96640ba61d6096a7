package scancode_test

import (
	"context"
	"encoding/base64"
	"testing"

	"github.com/bizapi-cn/go-sdk/internal/crypt"
	"github.com/bizapi-cn/go-sdk/internal/keys"
	"github.com/bizapi-cn/go-sdk/scancode"
)

// BenchmarkCallback02: parse + decrypt + decode of the type 02 vector next
// to the bare SM2 + SM4 decryption it cannot avoid (target ≤ 1.2x).
func BenchmarkCallback02(b *testing.B) {
	v := loadVectors(b)
	var enc string
	for _, m := range v.Messages {
		if m.Type == "02" {
			enc = m.EncryptB64
		}
	}
	body := formBody("02", enc, v.DesKey.C1C3C2B64)
	priv, err := keys.ParseSM2PrivateKey([]byte(v.SM2PrivateHex))
	if err != nil {
		b.Fatal(err)
	}
	desKey, _ := base64.StdEncoding.DecodeString(v.DesKey.C1C3C2B64)
	ct, _ := base64.StdEncoding.DecodeString(enc)
	b.Run("floor", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			key, err := crypt.SM2Decrypt(priv, desKey, crypt.SM2C1C3C2)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := crypt.SM4ECBDecrypt(key, ct); err != nil {
				b.Fatal(err)
			}
		}
	})
	d, _ := scancode.NewDecrypter(scancode.DecrypterConfig{SM2PrivateKey: []byte(v.SM2PrivateHex), SM2Encoding: scancode.SM2EncodingC1C3C2})
	ctx := context.Background()
	b.Run("sdk", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := parse(ctx, "application/x-www-form-urlencoded", body, d); err != nil {
				b.Fatal(err)
			}
		}
	})
	dAuto, _ := scancode.NewDecrypter(scancode.DecrypterConfig{SM2PrivateKey: []byte(v.SM2PrivateHex)})
	b.Run("sdk-auto-encoding", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := parse(ctx, "application/x-www-form-urlencoded", body, dAuto); err != nil {
				b.Fatal(err)
			}
		}
	})
}
