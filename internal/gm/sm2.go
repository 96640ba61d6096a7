package gm

import (
	"crypto/rand"
	"encoding/asn1"
	"errors"
	"fmt"
	"math/big"

	"github.com/tjfoc/gmsm/sm2"

	"github.com/bizapi-cn/go-sdk/internal/crypt"
)

// SM2Encoding is the layout of an SM2 ciphertext.
type SM2Encoding int

const (
	// SM2C1C3C2 is 04||X||Y||SM3 hash||ciphertext (GM/T 0003-2012, the
	// current standard order).
	SM2C1C3C2 SM2Encoding = iota + 1
	// SM2C1C2C3 is 04||X||Y||ciphertext||SM3 hash (the older order).
	SM2C1C2C3
	// SM2ASN1 is the DER SEQUENCE {x, y, hash, ciphertext} (GM/T 0009),
	// OpenSSL's output.
	SM2ASN1
)

// String names the encoding.
func (e SM2Encoding) String() string {
	switch e {
	case SM2C1C3C2:
		return "C1C3C2"
	case SM2C1C2C3:
		return "C1C2C3"
	case SM2ASN1:
		return "ASN.1"
	}
	return fmt.Sprintf("SM2Encoding(%d)", int(e))
}

// sm2Cipher is the GM/T 0009 ASN.1 form.
type sm2Cipher struct {
	X, Y       *big.Int
	Hash       []byte
	CipherText []byte
}

// raw C1 is 65 bytes (04||X||Y), C3 is 32 bytes.
const sm2Overhead = 1 + 64 + 32

// toC1C3C2 converts any supported encoding into gmsm's C1C3C2 form, checking
// every length first: gmsm's Decrypt slices its input without checks.
func toC1C3C2(ct []byte, enc SM2Encoding) ([]byte, error) {
	switch enc {
	case SM2C1C3C2:
		if len(ct) <= sm2Overhead || ct[0] != 0x04 {
			return nil, crypt.ErrDecrypt
		}
		return ct, nil
	case SM2C1C2C3:
		if len(ct) <= sm2Overhead || ct[0] != 0x04 {
			return nil, crypt.ErrDecrypt
		}
		out := make([]byte, 0, len(ct))
		out = append(out, ct[:65]...)
		out = append(out, ct[len(ct)-32:]...)
		out = append(out, ct[65:len(ct)-32]...)
		return out, nil
	case SM2ASN1:
		var c sm2Cipher
		rest, err := asn1.Unmarshal(ct, &c)
		if err != nil || len(rest) != 0 || c.X == nil || c.Y == nil || c.X.Sign() < 0 || c.Y.Sign() < 0 ||
			c.X.BitLen() > 256 || c.Y.BitLen() > 256 || len(c.Hash) != 32 || len(c.CipherText) == 0 {
			return nil, crypt.ErrDecrypt
		}
		out := make([]byte, 65, sm2Overhead+len(c.CipherText))
		out[0] = 0x04
		c.X.FillBytes(out[1:33])
		c.Y.FillBytes(out[33:65])
		out = append(out, c.Hash...)
		return append(out, c.CipherText...), nil
	}
	return nil, fmt.Errorf("gm: unknown SM2 encoding %d", int(enc))
}

// SM2Decrypt decrypts an SM2 ciphertext in the given encoding with priv.
func SM2Decrypt(priv *sm2.PrivateKey, ciphertext []byte, enc SM2Encoding) ([]byte, error) {
	if priv == nil {
		return nil, errors.New("gm: nil SM2 private key")
	}
	c, err := toC1C3C2(ciphertext, enc)
	if err != nil {
		return nil, err
	}
	x := new(big.Int).SetBytes(c[1:33])
	y := new(big.Int).SetBytes(c[33:65])
	if !priv.Curve.IsOnCurve(x, y) { //nolint:staticcheck // SA1019: tjfoc's SM2 curve has no crypto/ecdh form
		return nil, crypt.ErrDecrypt
	}
	pt, err := sm2.Decrypt(priv, c, sm2.C1C3C2)
	if err != nil {
		return nil, crypt.ErrDecrypt
	}
	return pt, nil
}

// SM2DecryptAuto tries the ASN.1, C1C3C2 and C1C2C3 encodings in that order
// and returns the first plaintext whose SM3 check passes, with the encoding
// that matched. The hash check makes a false match negligible.
func SM2DecryptAuto(priv *sm2.PrivateKey, ciphertext []byte) ([]byte, SM2Encoding, error) {
	for _, enc := range []SM2Encoding{SM2ASN1, SM2C1C3C2, SM2C1C2C3} {
		if pt, err := SM2Decrypt(priv, ciphertext, enc); err == nil {
			return pt, enc, nil
		}
	}
	return nil, 0, crypt.ErrDecrypt
}

// SM2Encrypt encrypts plaintext with pub in the given encoding.
func SM2Encrypt(pub *sm2.PublicKey, plaintext []byte, enc SM2Encoding) ([]byte, error) {
	if pub == nil {
		return nil, errors.New("gm: nil SM2 public key")
	}
	if len(plaintext) == 0 {
		return nil, errors.New("gm: SM2 plaintext is empty")
	}
	c, err := sm2.Encrypt(pub, plaintext, rand.Reader, sm2.C1C3C2)
	if err != nil {
		return nil, fmt.Errorf("gm: sm2 encrypt: %w", err)
	}
	switch enc {
	case SM2C1C3C2:
		return c, nil
	case SM2C1C2C3:
		out := make([]byte, 0, len(c))
		out = append(out, c[:65]...)
		out = append(out, c[sm2Overhead:]...)
		return append(out, c[65:sm2Overhead]...), nil
	case SM2ASN1:
		return asn1.Marshal(sm2Cipher{
			X:          new(big.Int).SetBytes(c[1:33]),
			Y:          new(big.Int).SetBytes(c[33:65]),
			Hash:       c[65:sm2Overhead],
			CipherText: c[sm2Overhead:],
		})
	}
	return nil, fmt.Errorf("gm: unknown SM2 encoding %d", int(enc))
}
