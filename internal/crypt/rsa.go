package crypt

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	_ "crypto/sha1"   //nolint:gosec // OAEP with SHA-1 (MGF1/label hash), as the providers use it
	_ "crypto/sha256" // OAEP with SHA-256
	_ "crypto/sha512" // OAEP with SHA-384/512
	"errors"
	"fmt"
)

// OAEP selects the two hashes of RSA-OAEP. The zero value means SHA-1 for
// both, the most common setting of Java's "RSA/ECB/OAEPPadding".
type OAEP struct {
	Hash    crypto.Hash // hash of the label; 0 means SHA-1
	MGFHash crypto.Hash // hash of MGF1; 0 means the same as Hash
	Label   []byte
}

func (o OAEP) opts() (*rsa.OAEPOptions, error) {
	h := o.Hash
	if h == 0 {
		h = crypto.SHA1
	}
	m := o.MGFHash
	if m == 0 {
		m = h
	}
	if !h.Available() || !m.Available() {
		return nil, errors.New("crypt: OAEP hash is not available")
	}
	return &rsa.OAEPOptions{Hash: h, MGFHash: m, Label: o.Label}, nil
}

// DecryptOAEP decrypts RSA-OAEP ciphertext with priv.
func DecryptOAEP(priv *rsa.PrivateKey, ciphertext []byte, o OAEP) ([]byte, error) {
	if priv == nil {
		return nil, errors.New("crypt: nil RSA private key")
	}
	opts, err := o.opts()
	if err != nil {
		return nil, err
	}
	pt, err := priv.Decrypt(nil, ciphertext, opts)
	if err != nil {
		return nil, ErrDecrypt
	}
	return pt, nil
}

// EncryptOAEP encrypts plaintext with RSA-OAEP under pub.
func EncryptOAEP(pub *rsa.PublicKey, plaintext []byte, o OAEP) ([]byte, error) {
	opts, err := o.opts()
	if err != nil {
		return nil, err
	}
	ct, err := rsa.EncryptOAEPWithOptions(rand.Reader, pub, plaintext, opts)
	if err != nil {
		return nil, fmt.Errorf("crypt: rsa-oaep encrypt: %w", err)
	}
	return ct, nil
}

// DecryptPKCS1v15 decrypts RSAES-PKCS1-v1_5 ciphertext with priv.
func DecryptPKCS1v15(priv *rsa.PrivateKey, ciphertext []byte) ([]byte, error) {
	if priv == nil {
		return nil, errors.New("crypt: nil RSA private key")
	}
	// DECS wraps its field key with PKCS#1 v1.5 (its docs mandate it); the
	// SDK prefers OAEP where a provider offers it.
	pt, err := rsa.DecryptPKCS1v15(nil, priv, ciphertext) //nolint:staticcheck // SA1019: provider-mandated PKCS#1 v1.5

	if err != nil {
		return nil, ErrDecrypt
	}
	return pt, nil
}

// EncryptPKCS1v15 encrypts plaintext with RSAES-PKCS1-v1_5 under pub.
func EncryptPKCS1v15(pub *rsa.PublicKey, plaintext []byte) ([]byte, error) {
	ct, err := rsa.EncryptPKCS1v15(rand.Reader, pub, plaintext) //nolint:staticcheck // SA1019: the fakes wrap keys as DECS does
	if err != nil {
		return nil, fmt.Errorf("crypt: rsa encrypt: %w", err)
	}
	return ct, nil
}
