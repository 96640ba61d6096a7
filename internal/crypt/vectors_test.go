package crypt_test

import (
	"bytes"
	"crypto"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"testing"

	"github.com/bizapi-cn/go-sdk/internal/gm"

	"github.com/bizapi-cn/go-sdk/internal/crypt"
	"github.com/bizapi-cn/go-sdk/internal/keys"
	"github.com/bizapi-cn/go-sdk/internal/testvectors"
)

func b64(t *testing.T, s string) []byte {
	t.Helper()
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		t.Fatalf("bad base64 in vector: %v", err)
	}
	return b
}

func hexb(t *testing.T, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatalf("bad hex in vector: %v", err)
	}
	return b
}

func TestDECSDocsAESKeyAndField(t *testing.T) {
	t.Parallel()
	var v testvectors.DECSDocs
	if err := testvectors.Load("evidence_decs_docs.json", &v); err != nil {
		t.Fatal(err)
	}
	priv, err := keys.ParseRSAPrivateKey([]byte(v.AESKey.PrivateKeyPKCS8B64))
	if err != nil {
		t.Fatal(err)
	}
	key, err := crypt.DecryptPKCS1v15(priv, b64(t, v.AESKey.EncryptedB64))
	if err != nil {
		t.Fatalf("DecryptPKCS1v15 = %v", err)
	}
	if got := base64.StdEncoding.EncodeToString(key); got != v.AESKey.AESKeyB64 {
		t.Errorf("aesKey = %s; want %s", got, v.AESKey.AESKeyB64)
	}
	pt, err := crypt.AESECBDecrypt(b64(t, v.AESField.AESKeyB64), b64(t, v.AESField.CiphertextB64))
	if err != nil {
		t.Fatalf("AESECBDecrypt = %v", err)
	}
	if string(pt) != v.AESField.Plaintext {
		t.Errorf("AESECBDecrypt = %q; want %q", pt, v.AESField.Plaintext)
	}
	ct, _ := crypt.AESECBEncrypt(b64(t, v.AESField.AESKeyB64), []byte(v.AESField.Plaintext))
	if got := base64.StdEncoding.EncodeToString(ct); got != v.AESField.CiphertextB64 {
		t.Errorf("AESECBEncrypt = %s; want %s", got, v.AESField.CiphertextB64)
	}
}

func TestOAEPVectors(t *testing.T) {
	t.Parallel()
	var v testvectors.OAEPSSEC
	if err := testvectors.Load("evidence_oaep_ssec.json", &v); err != nil {
		t.Fatal(err)
	}
	pemPriv, _ := testvectors.Read("keys/merchant_rsa_private_pkcs1.pem")
	priv, err := keys.ParseRSAPrivateKey(pemPriv)
	if err != nil {
		t.Fatal(err)
	}
	hashes := map[string]crypto.Hash{"SHA1": crypto.SHA1, "SHA256": crypto.SHA256}
	combos := map[[2]string]bool{}
	for i, c := range v.OAEP {
		o := crypt.OAEP{Hash: hashes[c.Hash], MGFHash: hashes[c.MGF1Hash]}
		pt, err := crypt.DecryptOAEP(priv, b64(t, c.CiphertextB64), o)
		if err != nil {
			t.Errorf("case %d (%s/%s): DecryptOAEP = %v", i, c.Hash, c.MGF1Hash, err)
			continue
		}
		if string(pt) != c.Plaintext {
			t.Errorf("case %d: plaintext = %q; want %q", i, pt, c.Plaintext)
		}
		combos[[2]string{c.Hash, c.MGF1Hash}] = true
		// A wrong MGF1 hash must fail.
		wrong := crypt.OAEP{Hash: o.Hash, MGFHash: crypto.SHA512}
		if _, err := crypt.DecryptOAEP(priv, b64(t, c.CiphertextB64), wrong); !errors.Is(err, crypt.ErrDecrypt) {
			t.Errorf("case %d: DecryptOAEP(wrong MGF1) = %v; want ErrDecrypt", i, err)
		}
	}
	if len(combos) != 3 {
		t.Errorf("covered %d hash combinations; want 3", len(combos))
	}
}

func TestScancodeSM2SM4Vectors(t *testing.T) {
	t.Parallel()
	var v testvectors.Scancode
	if err := testvectors.Load("scancode_sm2_sm4.json", &v); err != nil {
		t.Fatal(err)
	}
	pemPriv, _ := testvectors.Read("keys/sm2_private.pem")
	for _, src := range [][]byte{pemPriv, []byte(v.SM2PrivateHex)} {
		priv, err := gm.ParseSM2PrivateKey(src)
		if err != nil {
			t.Fatalf("ParseSM2PrivateKey = %v", err)
		}
		want := hexb(t, v.SM4KeyHex)
		for _, c := range []struct {
			enc gm.SM2Encoding
			b64 string
		}{
			{gm.SM2ASN1, v.DesKey.ASN1B64},
			{gm.SM2C1C3C2, v.DesKey.C1C3C2B64},
			{gm.SM2C1C2C3, v.DesKey.C1C2C3B64},
		} {
			got, err := gm.SM2Decrypt(priv, b64(t, c.b64), c.enc)
			if err != nil || !bytes.Equal(got, want) {
				t.Errorf("SM2Decrypt(%s) = %x, %v; want %x", c.enc, got, err, want)
			}
			got, enc, err := gm.SM2DecryptAuto(priv, b64(t, c.b64))
			if err != nil || !bytes.Equal(got, want) || enc != c.enc {
				t.Errorf("SM2DecryptAuto(%s) = %x, %s, %v; want %x", c.enc, got, enc, err, want)
			}
		}
	}
	key := hexb(t, v.SM4KeyHex)
	for i, m := range v.Messages {
		var pt []byte
		var err error
		switch m.Mode {
		case "ECB":
			pt, err = gm.SM4ECBDecrypt(key, b64(t, m.EncryptB64))
		case "CBC":
			pt, err = gm.SM4CBCDecrypt(key, hexb(t, m.IVHex), b64(t, m.EncryptB64))
		default:
			t.Fatalf("unknown mode %q", m.Mode)
		}
		if err != nil || string(pt) != m.Payload {
			t.Errorf("message %d (%s): decrypt = %q, %v; want %q", i, m.Mode, pt, err, m.Payload)
		}
		if m.Mode == "ECB" {
			ct, _ := gm.SM4ECBEncrypt(key, []byte(m.Payload))
			if got := base64.StdEncoding.EncodeToString(ct); got != m.EncryptB64 {
				t.Errorf("message %d: SM4ECBEncrypt = %s; want %s", i, got, m.EncryptB64)
			}
		}
	}
}
