package scancode_test

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"strings"
	"testing"

	"github.com/bizapi-cn/go-sdk/internal/gm"

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
	priv, err := gm.ParseSM2PrivateKey([]byte(v.SM2PrivateHex))
	if err != nil {
		b.Fatal(err)
	}
	desKey, _ := base64.StdEncoding.DecodeString(v.DesKey.C1C3C2B64)
	ct, _ := base64.StdEncoding.DecodeString(enc)
	b.Run("floor", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			key, err := gm.SM2Decrypt(priv, desKey, gm.SM2C1C3C2)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := gm.SM4ECBDecrypt(key, ct); err != nil {
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

// BenchmarkRefuseJunk: what refusing unauthenticated bytes costs, per byte
// of body (MB/s), next to the bare crypto the same bodies would need in the
// same run. The target is ≥ 50 MB/s of junk per core: a forged 1 MiB
// callback costs ≤ 20 ms. Every body is about 1 MiB except "small forged
// desKey", which shows the fixed cost a forged desKey always has: one SM2
// decryption (the protocol authenticates nothing before it).
func BenchmarkRefuseJunk(b *testing.B) {
	v := loadVectors(b)
	sm4 := mustHex(b, v.SM4KeyHex)
	d, err := scancode.NewDecrypter(scancode.DecrypterConfig{SM2PrivateKey: []byte(v.SM2PrivateHex), SM2Encoding: scancode.SM2EncodingC1C3C2, SM4Key: sm4})
	if err != nil {
		b.Fatal(err)
	}
	ct := make([]byte, 768<<10) // base64 and form encoding make it about 1 MiB
	_, _ = rand.Read(ct)
	enc := base64.StdEncoding.EncodeToString(ct)
	wrapped, _ := base64.StdEncoding.DecodeString(v.DesKey.C1C3C2B64)
	wrapped[len(wrapped)-5] ^= 0x5a
	forged := base64.StdEncoding.EncodeToString(wrapped)
	notUTF8 := make([]byte, 1<<20)
	_, _ = rand.Read(notUTF8)
	notUTF8[0] = 0xff
	var members strings.Builder
	for i := 0; members.Len() < 1<<20; i++ {
		fmt.Fprintf(&members, "k%d=&", i)
	}
	var jmembers strings.Builder
	jmembers.WriteString(`{"type":"01","data":{"encrypt":"AAAA"`)
	for i := 0; jmembers.Len() < 1<<20; i++ {
		fmt.Fprintf(&jmembers, `,"k%d":1`, i)
	}
	jmembers.WriteString("}}")
	jsonBody := func(desKey string) []byte {
		return []byte(`{"type":"02","platformCode":"M1100000034","data":{"encrypt":"` + enc + `","desKey":"` + desKey + `"}}`)
	}
	const form, js = "application/x-www-form-urlencoded", "application/json"
	ctx := context.Background()
	for _, c := range []struct {
		name, ct string
		body     []byte
	}{
		{"not UTF-8", form, notUTF8},
		{"form of 1 MiB of members", form, []byte(members.String())},
		{"JSON of 1 MiB of members", js, []byte(jmembers.String())},
		{"form forged desKey", form, formBody("02", enc, forged)},
		{"JSON forged desKey", js, jsonBody(forged)},
		{"junk under the pre-shared key", form, formBody("02", enc, "")},
		{"junk under a genuine desKey", form, formBody("02", enc, v.DesKey.C1C3C2B64)},
		{"small forged desKey", form, formBody("02", "AAAAAAAAAAAAAAAAAAAAAA==", forged)},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(c.body)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := parse(ctx, c.ct, c.body, d); err == nil {
					b.Fatal("junk accepted")
				}
			}
		})
	}
	// The floors: the bare crypto of the same bytes.
	priv, err := gm.ParseSM2PrivateKey([]byte(v.SM2PrivateHex))
	if err != nil {
		b.Fatal(err)
	}
	b.Run("floor SM4-ECB of the ciphertext", func(b *testing.B) {
		b.SetBytes(int64(len(formBody("02", enc, ""))))
		for b.Loop() {
			_, _ = gm.SM4ECBDecrypt(sm4, ct)
		}
	})
	genuine, _ := base64.StdEncoding.DecodeString(v.DesKey.C1C3C2B64)
	b.Run("floor SM2 of a desKey", func(b *testing.B) {
		for b.Loop() {
			if _, err := gm.SM2Decrypt(priv, genuine, gm.SM2C1C3C2); err != nil {
				b.Fatal(err)
			}
		}
	})
}
