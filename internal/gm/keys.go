package gm

import (
	"crypto/x509"
	"errors"
	"fmt"
	"strings"

	"github.com/tjfoc/gmsm/sm2"
	gmx509 "github.com/tjfoc/gmsm/x509"

	"github.com/bizapi-cn/go-sdk/internal/keys"
)

// ParseSM2PrivateKey parses an SM2 private key from PEM PKCS#8 ("PRIVATE
// KEY"), PEM SEC1 ("EC PRIVATE KEY"), bare base64 of either, or the raw
// 32-byte scalar as 64 hex characters.
func ParseSM2PrivateKey(data []byte) (*sm2.PrivateKey, error) {
	s := strings.TrimSpace(string(data))
	if keys.IsHex(s, 64) {
		k, err := gmx509.ReadPrivateKeyFromHex(s)
		if err != nil {
			return nil, errors.New("keys: hex is not a valid SM2 private key")
		}
		if k.D.Sign() == 0 || k.D.Cmp(k.Curve.Params().N) >= 0 {
			return nil, errors.New("keys: hex is not a valid SM2 private key")
		}
		return k, nil
	}
	if keys.IsHex(s, 130) || keys.IsHex(s, 128) {
		return nil, errors.New("keys: hex holds an SM2 public key, want a private key")
	}
	d, err := keys.Decode(data)
	if err != nil {
		return nil, err
	}
	if keys.IsPublicPEM(d.PEMType) {
		return nil, fmt.Errorf("keys: %s holds a public key, want a private key", d.Describe)
	}
	if k, err := gmx509.ParsePKCS8UnecryptedPrivateKey(d.Bytes); err == nil {
		return k, nil
	}
	if k, err := gmx509.ParseSm2PrivateKey(d.Bytes); err == nil && k.D.Sign() > 0 {
		return k, nil
	}
	if k, err := x509.ParsePKCS8PrivateKey(d.Bytes); err == nil {
		return nil, fmt.Errorf("keys: %s holds %s, want an SM2 private key", d.Describe, kindOf(k))
	}
	if _, err := x509.ParsePKCS1PrivateKey(d.Bytes); err == nil {
		return nil, fmt.Errorf("keys: %s holds an RSA private key, want an SM2 private key", d.Describe)
	}
	return nil, fmt.Errorf("keys: %s is not an SM2 private key", d.Describe)
}

// ParseSM2PublicKey parses an SM2 public key from PEM SPKI ("PUBLIC KEY"),
// bare base64 SPKI, or the uncompressed point as hex (04||X||Y, 130 hex
// characters, or X||Y without the 04 prefix).
func ParseSM2PublicKey(data []byte) (*sm2.PublicKey, error) {
	s := strings.TrimSpace(string(data))
	if keys.IsHex(s, 128) {
		s = "04" + s
	}
	if keys.IsHex(s, 130) {
		if !strings.HasPrefix(s, "04") {
			return nil, errors.New("keys: hex SM2 public key must be an uncompressed point (04||X||Y)")
		}
		k, err := gmx509.ReadPublicKeyFromHex(s)
		if err != nil || !k.Curve.IsOnCurve(k.X, k.Y) { //nolint:staticcheck // SA1019: tjfoc's SM2 curve has no crypto/ecdh form
			return nil, errors.New("keys: hex is not a point on the SM2 curve")
		}
		return k, nil
	}
	if keys.IsHex(s, 64) {
		return nil, errors.New("keys: hex holds an SM2 private key, want a public key")
	}
	d, err := keys.Decode(data)
	if err != nil {
		return nil, err
	}
	if k, err := gmx509.ParseSm2PublicKey(d.Bytes); err == nil {
		if k.X == nil || !k.Curve.IsOnCurve(k.X, k.Y) { //nolint:staticcheck // SA1019: tjfoc's SM2 curve has no crypto/ecdh form
			return nil, fmt.Errorf("keys: %s is not a point on the SM2 curve", d.Describe)
		}
		return k, nil
	}
	if k, err := keys.ParsePublicDER(d.Bytes); err == nil {
		return nil, fmt.Errorf("keys: %s holds %s, want an SM2 public key", d.Describe, kindOf(k))
	}
	if !keys.IsPublicPEM(d.PEMType) {
		if _, err := ParseSM2PrivateKey(data); err == nil {
			return nil, fmt.Errorf("keys: %s holds a private key, want a public key", d.Describe)
		}
	}
	return nil, fmt.Errorf("keys: %s is not an SM2 public key", d.Describe)
}

// CheckSM2Pair reports keys.ErrKeyMismatch when pub is not the public half of priv.
func CheckSM2Pair(priv *sm2.PrivateKey, pub *sm2.PublicKey) error {
	if priv == nil || pub == nil || pub.X == nil || priv.X == nil {
		return errors.New("keys: nil key")
	}
	if priv.X.Cmp(pub.X) != 0 || priv.Y.Cmp(pub.Y) != 0 {
		return keys.ErrKeyMismatch
	}
	return nil
}

// kindOf names a parsed key for error messages, SM2 keys included.
func kindOf(k any) string {
	switch k.(type) {
	case *sm2.PrivateKey:
		return "an SM2 private key"
	case *sm2.PublicKey:
		return "an SM2 public key"
	}
	return keys.KindOf(k)
}
