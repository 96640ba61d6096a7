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
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/base64"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"strings"
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

// DER is the DER encoding inside key text, for the parsers of other
// packages (package gm's SM2 keys).
type DER struct {
	Bytes    []byte
	PEMType  string // "" for bare base64
	Describe string // where it came from, for error messages: never key material
}

// Decode returns the DER bytes inside data: the first PEM block, or the
// bare base64 text with white space removed.
func Decode(data []byte) (DER, error) {
	d, err := decode(data)
	return DER{Bytes: d.bytes, PEMType: d.pemType, Describe: d.describe}, err
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

// KindOf names what a parsed key is, for error messages ("an RSA public
// key").
func KindOf(k any) string { return kindOf(k) }

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
	case nil:
		return "nothing"
	default:
		return fmt.Sprintf("a %T key", k)
	}
}

// IsPublicPEM reports whether a PEM block type holds a public key.
func IsPublicPEM(t string) bool { return isPublicPEM(t) }

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
		if IsSM2DER(d.bytes) {
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

// ParsePublicDER parses SPKI, PKCS#1 public or a certificate DER.
func ParsePublicDER(b []byte) (any, error) { return parsePublicDER(b) }

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
		if IsSM2DER(d.bytes) {
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

// IsHex reports whether s is hex of exactly n characters.
func IsHex(s string, n int) bool { return isHex(s, n) }

// isHex reports whether s is non-empty hex of exactly n characters.
func isHex(s string, n int) bool {
	if len(s) != n {
		return false
	}
	_, err := hex.DecodeString(s)
	return err == nil
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

// oidSM2 is the named curve sm2p256v1 (GB/T 33560), the parameter of an SM2
// key's id-ecPublicKey algorithm identifier.
var oidSM2 = asn1.ObjectIdentifier{1, 2, 156, 10197, 1, 301}

// IsSM2DER reports whether b is a PKCS#8 private key or an SPKI public key
// on the SM2 curve, read from its algorithm identifier alone: the RSA
// parsers say "this is an SM2 key" without linking any SM2 code.
func IsSM2DER(b []byte) bool {
	var pkcs8 struct {
		Version int
		Algo    pkix.AlgorithmIdentifier
		Key     []byte
	}
	if rest, err := asn1.Unmarshal(b, &pkcs8); err == nil && len(rest) == 0 {
		return paramIsSM2(pkcs8.Algo)
	}
	var spki struct {
		Algo pkix.AlgorithmIdentifier
		Key  asn1.BitString
	}
	if rest, err := asn1.Unmarshal(b, &spki); err == nil && len(rest) == 0 {
		return paramIsSM2(spki.Algo)
	}
	return false
}

func paramIsSM2(a pkix.AlgorithmIdentifier) bool {
	var curve asn1.ObjectIdentifier
	if _, err := asn1.Unmarshal(a.Parameters.FullBytes, &curve); err != nil {
		return false
	}
	return curve.Equal(oidSM2)
}
