package bench

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"encoding/base64"
	"errors"
	"net/http"
	"net/url"
	"testing"

	esm2 "github.com/emmansun/gmsm/sm2"
	esm4 "github.com/emmansun/gmsm/sm4"
	tsm2 "github.com/tjfoc/gmsm/sm2"

	"github.com/bizapi-cn/go-sdk/internal/gm"
	"github.com/bizapi-cn/go-sdk/internal/testvectors"
	"github.com/bizapi-cn/go-sdk/scancode"
)

// The fastest Go SM2/SM4 measured here: github.com/emmansun/gmsm (pinned
// in bench/go.mod; no published module requires it). The product's SM
// library is tjfoc/gmsm, which the design card names; these benchmarks say
// what that choice costs. Sub-benchmark "floor" is emmansun/gmsm doing the
// bare work, "sdk" the SDK (internal/gm over tjfoc/gmsm, or the whole
// scancode callback). TestFastestSMAgrees checks both do the same work.

// smCase is the scancode vector's type 02 callback: its SM2-wrapped desKey
// (C1C3C2) and its SM4-ECB payload, and the same private key in both
// libraries.
type smCase struct {
	tjfoc    *tsm2.PrivateKey
	emmansun *esm2.PrivateKey
	desKey   []byte // C1C3C2, 0x04-prefixed
	enc      []byte // SM4-ECB, PKCS#7
	body     []byte // the whole callback form
	dec      scancode.Decrypter
}

func loadSMCase(tb testing.TB) smCase {
	tb.Helper()
	var v testvectors.Scancode
	if err := testvectors.Load("scancode_sm2_sm4.json", &v); err != nil {
		tb.Fatal(err)
	}
	priv, err := gm.ParseSM2PrivateKey([]byte(v.SM2PrivateHex))
	if err != nil {
		tb.Fatal(err)
	}
	// emmansun/gmsm v0.15.5 has no raw-key constructor: its key is an
	// ecdsa.PrivateKey built from D and the public point (bench only).
	ek := &esm2.PrivateKey{PrivateKey: ecdsa.PrivateKey{D: priv.D, PublicKey: ecdsa.PublicKey{Curve: esm2.P256()}}} //nolint:staticcheck // SA1019: see above
	ek.X, ek.Y = esm2.P256().ScalarBaseMult(priv.D.Bytes())                                                         //nolint:staticcheck // SA1019: see above
	if ek.X.Cmp(priv.X) != 0 || ek.Y.Cmp(priv.Y) != 0 {
		tb.Fatal("the two libraries derive different public keys from one private key")
	}
	desKey, _ := base64.StdEncoding.DecodeString(v.DesKey.C1C3C2B64)
	if len(desKey) > 0 && desKey[0] != 0x04 {
		desKey = append([]byte{0x04}, desKey...)
	}
	var enc []byte
	for _, m := range v.Messages {
		if m.Type == "02" {
			enc, _ = base64.StdEncoding.DecodeString(m.EncryptB64)
		}
	}
	d, err := scancode.NewDecrypter(scancode.DecrypterConfig{SM2PrivateKey: []byte(v.SM2PrivateHex), SM2Encoding: scancode.SM2EncodingC1C3C2})
	if err != nil {
		tb.Fatal(err)
	}
	data := `{"encrypt":"` + base64.StdEncoding.EncodeToString(enc) + `","desKey":"` + v.DesKey.C1C3C2B64 + `"}`
	body := []byte(url.Values{"type": {"02"}, "data": {data}, "platformCode": {"A3401314520"}}.Encode()) // the 02 vector tId's first 11 characters
	return smCase{tjfoc: priv, emmansun: ek, desKey: desKey, enc: enc, body: body, dec: d}
}

// emmansunECBDecrypt is SM4-ECB with PKCS#7 over emmansun's block cipher
// (ECB is the block cipher applied block by block; the library has no ECB
// mode of its own).
func emmansunECBDecrypt(key, ct []byte) ([]byte, error) {
	blk, err := esm4.NewCipher(key)
	if err != nil {
		return nil, err
	}
	if len(ct) == 0 || len(ct)%blk.BlockSize() != 0 {
		return nil, errors.New("not whole blocks")
	}
	out := make([]byte, len(ct))
	for i := 0; i < len(ct); i += blk.BlockSize() {
		blk.Decrypt(out[i:], ct[i:])
	}
	n := int(out[len(out)-1])
	if n == 0 || n > blk.BlockSize() || n > len(out) || !bytes.Equal(out[len(out)-n:], bytes.Repeat([]byte{byte(n)}, n)) {
		return nil, errors.New("bad padding")
	}
	return out[:len(out)-n], nil
}

func emmansunCallback(c smCase) ([]byte, error) {
	key, err := esm2.Decrypt(c.emmansun, c.desKey)
	if err != nil {
		return nil, err
	}
	return emmansunECBDecrypt(key, c.enc)
}

// TestFastestSMAgrees: the floor decrypts the same desKey to the same key
// and the same payload to the same plaintext as the SDK.
func TestFastestSMAgrees(t *testing.T) {
	c := loadSMCase(t)
	want, err := gm.SM2Decrypt(c.tjfoc, c.desKey, gm.SM2C1C3C2)
	if err != nil {
		t.Fatal(err)
	}
	got, err := esm2.Decrypt(c.emmansun, c.desKey)
	if err != nil || !bytes.Equal(got, want) {
		t.Fatalf("emmansun SM2: %x, %v; tjfoc: %x", got, err, want)
	}
	wantPT, err := gm.SM4ECBDecrypt(want, c.enc)
	if err != nil {
		t.Fatal(err)
	}
	gotPT, err := emmansunCallback(c)
	if err != nil || !bytes.Equal(gotPT, wantPT) {
		t.Fatalf("emmansun SM4: %q, %v; tjfoc: %q", gotPT, err, wantPT)
	}
}

func BenchmarkFastestSM(b *testing.B) {
	c := loadSMCase(b)
	key, err := gm.SM2Decrypt(c.tjfoc, c.desKey, gm.SM2C1C3C2)
	if err != nil {
		b.Fatal(err)
	}
	run := func(name string, f func() error) {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := f(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	run("sm2-decrypt/floor", func() error { _, err := esm2.Decrypt(c.emmansun, c.desKey); return err })
	run("sm2-decrypt/sdk", func() error { _, err := gm.SM2Decrypt(c.tjfoc, c.desKey, gm.SM2C1C3C2); return err })
	run("sm4-ecb-decrypt/floor", func() error { _, err := emmansunECBDecrypt(key, c.enc); return err })
	run("sm4-ecb-decrypt/sdk", func() error { _, err := gm.SM4ECBDecrypt(key, c.enc); return err })
	ctx := context.Background()
	hdr := http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}
	run("callback/floor", func() error { _, err := emmansunCallback(c); return err })
	run("callback/sdk", func() error { _, err := scancode.ParseCallback(ctx, c.dec, hdr, c.body); return err })
}
