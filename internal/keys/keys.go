// Package keys loads the RSA and SM2 keys the SDK modules use, from PEM
// (PKCS#1, PKCS#8, SPKI, X.509 certificate), bare base64 DER, or raw hex for
// SM2, and says what it found when the input is the wrong kind of key.
//
// Errors never echo key material: they name the format found (the PEM block
// type, "base64 DER", "hex") and what was wanted.
package keys

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/tjfoc/gmsm/sm2"
	gmx509 "github.com/tjfoc/gmsm/x509"
)

// ErrNoKey reports input that holds no key at all (empty, or neither PEM,
// base64 DER nor hex).
var ErrNoKey = errors.New("keys: no key found (want PEM, base64 DER or hex)")

// ErrKeyMismatch reports a private and a public key that do not form a pair.
var ErrKeyMismatch = errors.New("keys: private key and public key do not form a pair")

// Source reads key text from s: when s starts with "@" the rest is a file
// path whose contents are returned, otherwise s itself is the key text. This
// is the format of the examples' *_KEY environment variables.
func Source(s string) ([]byte, error) {
	if path, ok := strings.CutPrefix(s, "@"); ok {
		b, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("keys: read key file: %w", err)
		}
		return b, nil
	}
	return []byte(s), nil
}

// der is one candidate DER encoding with a description of where it came from.
type der struct {
	bytes    []byte
	pemType  string // "" for bare base64
	describe string
}

// decode returns the DER bytes inside data: the first PEM block, or the bare
// base64 text with white space removed.
func decode(data []byte) (der, error) {
	data = bytes.TrimSpace(data)
	if len(data) == 0 {
		return der{}, ErrNoKey
	}
	if block, _ := pem.Decode(data); block != nil {
		if len(block.Headers) > 0 {
			return der{}, fmt.Errorf("keys: PEM block %q is encrypted or has headers; give an unencrypted key", block.Type)
		}
		return der{bytes: block.Bytes, pemType: block.Type, describe: fmt.Sprintf("PEM block %q", block.Type)}, nil
	}
	if bytes.HasPrefix(data, []byte("-----BEGIN")) {
		return der{}, errors.New("keys: malformed PEM")
	}
	compact := bytes.Map(func(r rune) rune {
		switch r {
		case ' ', '\n', '\r', '\t':
			return -1
		}
		return r
	}, data)
	b, err := base64.StdEncoding.DecodeString(string(compact))
	if err != nil {
		return der{}, ErrNoKey
	}
	return der{bytes: b, describe: "base64 DER"}, nil
}

// kindOf names what a parsed key is, for error messages.
func kindOf(k any) string {
	switch k := k.(type) {
	case *rsa.PrivateKey:
		return "an RSA private key"
	case *rsa.PublicKey:
		return "an RSA public key"
	case *ecdsa.PrivateKey:
		return "an EC private key (" + k.Curve.Params().Name + ")"
	case *ecdsa.PublicKey:
		return "an EC public key (" + k.Curve.Params().Name + ")"
	case *sm2.PrivateKey:
		return "an SM2 private key"
	case *sm2.PublicKey:
		return "an SM2 public key"
	case nil:
		return "nothing"
	default:
		return fmt.Sprintf("a %T key", k)
	}
}

func isPublicPEM(t string) bool {
	return t == "PUBLIC KEY" || t == "RSA PUBLIC KEY" || t == "CERTIFICATE"
}

// ParseRSAPrivateKey parses an RSA private key from PEM PKCS#1 ("RSA PRIVATE
// KEY"), PEM PKCS#8 ("PRIVATE KEY") or bare base64 of either DER form.
func ParseRSAPrivateKey(data []byte) (*rsa.PrivateKey, error) {
	d, err := decode(data)
	if err != nil {
		return nil, err
	}
	if isPublicPEM(d.pemType) {
		return nil, fmt.Errorf("keys: %s holds a public key, want a private key", d.describe)
	}
	if k, err := x509.ParsePKCS1PrivateKey(d.bytes); err == nil {
		return k, nil
	}
	k, err := x509.ParsePKCS8PrivateKey(d.bytes)
	if err != nil {
		if _, perr := parsePublicDER(d.bytes); perr == nil {
			return nil, fmt.Errorf("keys: %s holds a public key, want a private key", d.describe)
		}
		if _, serr := gmx509.ParsePKCS8UnecryptedPrivateKey(d.bytes); serr == nil {
			return nil, fmt.Errorf("keys: %s holds an SM2 private key, want an RSA private key", d.describe)
		}
		return nil, fmt.Errorf("keys: %s is not a PKCS#1 or PKCS#8 private key", d.describe)
	}
	rk, ok := k.(*rsa.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("keys: %s holds %s, want an RSA private key", d.describe, kindOf(k))
	}
	return rk, nil
}

// parsePublicDER parses SPKI, PKCS#1 public or a certificate.
func parsePublicDER(b []byte) (any, error) {
	if k, err := x509.ParsePKIXPublicKey(b); err == nil {
		return k, nil
	}
	if k, err := x509.ParsePKCS1PublicKey(b); err == nil {
		return k, nil
	}
	if c, err := x509.ParseCertificate(b); err == nil {
		return c.PublicKey, nil
	}
	return nil, errors.New("not a public key")
}

// ParseRSAPublicKey parses an RSA public key from PEM SPKI ("PUBLIC KEY"),
// PEM PKCS#1 ("RSA PUBLIC KEY"), a PEM X.509 certificate, or bare base64 of
// any of those DER forms.
func ParseRSAPublicKey(data []byte) (*rsa.PublicKey, error) {
	d, err := decode(data)
	if err != nil {
		return nil, err
	}
	k, err := parsePublicDER(d.bytes)
	if err != nil {
		if _, perr := x509.ParsePKCS8PrivateKey(d.bytes); perr == nil {
			return nil, fmt.Errorf("keys: %s holds a private key, want a public key", d.describe)
		}
		if _, perr := x509.ParsePKCS1PrivateKey(d.bytes); perr == nil {
			return nil, fmt.Errorf("keys: %s holds a private key, want a public key", d.describe)
		}
		if _, serr := gmx509.ParseSm2PublicKey(d.bytes); serr == nil {
			return nil, fmt.Errorf("keys: %s holds an SM2 public key, want an RSA public key", d.describe)
		}
		return nil, fmt.Errorf("keys: %s is not an SPKI, PKCS#1 or certificate public key", d.describe)
	}
	rk, ok := k.(*rsa.PublicKey)
	if !ok {
		return nil, fmt.Errorf("keys: %s holds %s, want an RSA public key", d.describe, kindOf(k))
	}
	return rk, nil
}

// isHex reports whether s is non-empty hex of exactly n characters.
func isHex(s string, n int) bool {
	if len(s) != n {
		return false
	}
	_, err := hex.DecodeString(s)
	return err == nil
}

// ParseSM2PrivateKey parses an SM2 private key from PEM PKCS#8 ("PRIVATE
// KEY"), PEM SEC1 ("EC PRIVATE KEY"), bare base64 of either, or the raw
// 32-byte scalar as 64 hex characters.
func ParseSM2PrivateKey(data []byte) (*sm2.PrivateKey, error) {
	s := strings.TrimSpace(string(data))
	if isHex(s, 64) {
		k, err := gmx509.ReadPrivateKeyFromHex(s)
		if err != nil {
			return nil, errors.New("keys: hex is not a valid SM2 private key")
		}
		if k.D.Sign() == 0 || k.D.Cmp(k.Curve.Params().N) >= 0 {
			return nil, errors.New("keys: hex is not a valid SM2 private key")
		}
		return k, nil
	}
	if isHex(s, 130) || isHex(s, 128) {
		return nil, errors.New("keys: hex holds an SM2 public key, want a private key")
	}
	d, err := decode(data)
	if err != nil {
		return nil, err
	}
	if isPublicPEM(d.pemType) {
		return nil, fmt.Errorf("keys: %s holds a public key, want a private key", d.describe)
	}
	if k, err := gmx509.ParsePKCS8UnecryptedPrivateKey(d.bytes); err == nil {
		return k, nil
	}
	if k, err := gmx509.ParseSm2PrivateKey(d.bytes); err == nil && k.D.Sign() > 0 {
		return k, nil
	}
	if k, err := x509.ParsePKCS8PrivateKey(d.bytes); err == nil {
		return nil, fmt.Errorf("keys: %s holds %s, want an SM2 private key", d.describe, kindOf(k))
	}
	if _, err := x509.ParsePKCS1PrivateKey(d.bytes); err == nil {
		return nil, fmt.Errorf("keys: %s holds an RSA private key, want an SM2 private key", d.describe)
	}
	return nil, fmt.Errorf("keys: %s is not an SM2 private key", d.describe)
}

// ParseSM2PublicKey parses an SM2 public key from PEM SPKI ("PUBLIC KEY"),
// bare base64 SPKI, or the uncompressed point as hex (04||X||Y, 130 hex
// characters, or X||Y without the 04 prefix).
func ParseSM2PublicKey(data []byte) (*sm2.PublicKey, error) {
	s := strings.TrimSpace(string(data))
	if isHex(s, 128) {
		s = "04" + s
	}
	if isHex(s, 130) {
		if !strings.HasPrefix(s, "04") {
			return nil, errors.New("keys: hex SM2 public key must be an uncompressed point (04||X||Y)")
		}
		k, err := gmx509.ReadPublicKeyFromHex(s)
		if err != nil || !k.Curve.IsOnCurve(k.X, k.Y) { //nolint:staticcheck // SA1019: tjfoc's SM2 curve has no crypto/ecdh form
			return nil, errors.New("keys: hex is not a point on the SM2 curve")
		}
		return k, nil
	}
	if isHex(s, 64) {
		return nil, errors.New("keys: hex holds an SM2 private key, want a public key")
	}
	d, err := decode(data)
	if err != nil {
		return nil, err
	}
	if k, err := gmx509.ParseSm2PublicKey(d.bytes); err == nil {
		if k.X == nil || !k.Curve.IsOnCurve(k.X, k.Y) { //nolint:staticcheck // SA1019: tjfoc's SM2 curve has no crypto/ecdh form
			return nil, fmt.Errorf("keys: %s is not a point on the SM2 curve", d.describe)
		}
		return k, nil
	}
	if k, err := parsePublicDER(d.bytes); err == nil {
		return nil, fmt.Errorf("keys: %s holds %s, want an SM2 public key", d.describe, kindOf(k))
	}
	if !isPublicPEM(d.pemType) {
		if _, err := ParseSM2PrivateKey(data); err == nil {
			return nil, fmt.Errorf("keys: %s holds a private key, want a public key", d.describe)
		}
	}
	return nil, fmt.Errorf("keys: %s is not an SM2 public key", d.describe)
}

// CheckRSAPair reports ErrKeyMismatch when pub is not the public half of priv.
func CheckRSAPair(priv *rsa.PrivateKey, pub *rsa.PublicKey) error {
	if priv == nil || pub == nil {
		return errors.New("keys: nil key")
	}
	if !priv.PublicKey.Equal(pub) {
		return ErrKeyMismatch
	}
	return nil
}

// CheckSM2Pair reports ErrKeyMismatch when pub is not the public half of priv.
func CheckSM2Pair(priv *sm2.PrivateKey, pub *sm2.PublicKey) error {
	if priv == nil || pub == nil || pub.X == nil || priv.X == nil {
		return errors.New("keys: nil key")
	}
	if priv.X.Cmp(pub.X) != 0 || priv.Y.Cmp(pub.Y) != 0 {
		return ErrKeyMismatch
	}
	return nil
}
