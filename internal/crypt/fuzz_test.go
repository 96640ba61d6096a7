package crypt_test

import (
	"bytes"
	"crypto/cipher"
	"sync"
	"testing"

	"github.com/bizapi-cn/go-sdk/internal/gm"

	"github.com/bizapi-cn/go-sdk/internal/crypt"
	"github.com/bizapi-cn/go-sdk/internal/keys"
	"github.com/bizapi-cn/go-sdk/internal/testvectors"
	"github.com/tjfoc/gmsm/sm2"
)

var (
	sm2Once sync.Once
	sm2Priv *sm2.PrivateKey
)

func sm2Key(t testing.TB) *sm2.PrivateKey {
	sm2Once.Do(func() {
		b, err := testvectors.Read("keys/sm2_private.pem")
		if err == nil {
			sm2Priv, _ = gm.ParseSM2PrivateKey(b)
		}
	})
	if sm2Priv == nil {
		t.Fatal("cannot load the SM2 test key")
	}
	return sm2Priv
}

// FuzzSymmetric: ECB and CBC with AES and SM4 round-trip any plaintext, and
// decrypting arbitrary bytes never panics.
func FuzzSymmetric(f *testing.F) {
	f.Add([]byte("0123456789abcdef"), []byte("this is test string"), []byte("garbage"))
	f.Add([]byte("0123456789abcdef"), []byte{}, bytes.Repeat([]byte{16}, 32))
	f.Fuzz(func(t *testing.T, key, pt, junk []byte) {
		if len(key) < 16 {
			return
		}
		key = key[:16]
		iv := bytes.Repeat([]byte{7}, 16)
		for _, newBlock := range []func([]byte) (cipher.Block, error){crypt.NewAES, gm.NewSM4} {
			b, err := newBlock(key)
			if err != nil {
				t.Fatal(err)
			}
			got, err := crypt.DecryptECB(b, crypt.EncryptECB(b, pt))
			if err != nil || !bytes.Equal(got, pt) {
				t.Fatalf("ECB round trip = %x, %v; want %x", got, err, pt)
			}
			ct, err := crypt.EncryptCBC(b, iv, pt)
			if err != nil {
				t.Fatal(err)
			}
			if got, err := crypt.DecryptCBC(b, iv, ct); err != nil || !bytes.Equal(got, pt) {
				t.Fatalf("CBC round trip = %x, %v; want %x", got, err, pt)
			}
			if out, err := crypt.DecryptECB(b, junk); err == nil && len(out) >= len(junk) {
				t.Fatal("DecryptECB of junk returned no shorter plaintext")
			}
			_, _ = crypt.DecryptCBC(b, iv, junk)
		}
	})
}

// FuzzUnpad: Unpad accepts exactly the inputs with valid PKCS#7 padding and
// returns a prefix of its input.
func FuzzUnpad(f *testing.F) {
	f.Add([]byte("abc\x0d\x0d\x0d\x0d\x0d\x0d\x0d\x0d\x0d\x0d\x0d\x0d\x0d"))
	f.Add(bytes.Repeat([]byte{16}, 16))
	f.Add(bytes.Repeat([]byte{0}, 16))
	f.Fuzz(func(t *testing.T, in []byte) {
		out, err := crypt.Unpad(in, 16)
		valid := len(in) > 0 && len(in)%16 == 0
		if valid {
			n := int(in[len(in)-1])
			valid = n >= 1 && n <= 16
			for i := 1; valid && i <= n; i++ {
				valid = in[len(in)-i] == byte(n)
			}
		}
		if valid != (err == nil) {
			t.Fatalf("Unpad(%x) error = %v; valid padding = %v", in, err, valid)
		}
		if err == nil && !bytes.Equal(out, in[:len(out)]) {
			t.Fatal("Unpad did not return a prefix of its input")
		}
	})
}

// FuzzSM2: decrypting arbitrary bytes in every encoding never panics, and
// any plaintext round-trips through every encoding.
func FuzzSM2(f *testing.F) {
	var v testvectors.Scancode
	if err := testvectors.Load("scancode_sm2_sm4.json", &v); err != nil {
		f.Fatal(err)
	}
	f.Add([]byte("1234567890abcdef"), []byte(v.DesKey.ASN1B64))
	f.Add([]byte("x"), append([]byte{4}, bytes.Repeat([]byte{1}, 100)...))
	f.Fuzz(func(t *testing.T, pt, junk []byte) {
		priv := sm2Key(t)
		for _, enc := range []gm.SM2Encoding{gm.SM2C1C3C2, gm.SM2C1C2C3, gm.SM2ASN1} {
			_, _ = gm.SM2Decrypt(priv, junk, enc)
			if len(pt) == 0 || len(pt) > 256 {
				continue
			}
			ct, err := gm.SM2Encrypt(&priv.PublicKey, pt, enc)
			if err != nil {
				t.Fatal(err)
			}
			got, err := gm.SM2Decrypt(priv, ct, enc)
			if err != nil || !bytes.Equal(got, pt) {
				t.Fatalf("%s round trip = %x, %v; want %x", enc, got, err, pt)
			}
		}
		_, _, _ = gm.SM2DecryptAuto(priv, junk)
	})
}

// FuzzRSADecrypt: arbitrary ciphertext never panics either RSA decryption.
func FuzzRSADecrypt(f *testing.F) {
	b, err := testvectors.Read("keys/merchant_rsa_private_pkcs1.pem")
	if err != nil {
		f.Fatal(err)
	}
	priv, err := keys.ParseRSAPrivateKey(b)
	if err != nil {
		f.Fatal(err)
	}
	f.Add([]byte("short"), []byte("plain"))
	f.Add(bytes.Repeat([]byte{0xff}, 256), []byte(""))
	f.Fuzz(func(t *testing.T, junk, pt []byte) {
		_, _ = crypt.DecryptPKCS1v15(priv, junk)
		_, _ = crypt.DecryptOAEP(priv, junk, crypt.OAEP{})
		if len(pt) > 100 {
			return
		}
		ct, err := crypt.EncryptOAEP(&priv.PublicKey, pt, crypt.OAEP{})
		if err != nil {
			t.Fatal(err)
		}
		if got, err := crypt.DecryptOAEP(priv, ct, crypt.OAEP{}); err != nil || !bytes.Equal(got, pt) {
			t.Fatalf("OAEP round trip = %x, %v", got, err)
		}
	})
}
