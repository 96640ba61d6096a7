package sign

import (
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
)

// RSASigner signs with SHA256withRSA (RSASSA-PKCS1-v1_5 over SHA-256), the
// "RSA2" of allinpay and the entry-URL signature of DECS.
type RSASigner struct {
	key *rsa.PrivateKey
}

// NewRSASigner returns a signer for key. The key is precomputed once.
func NewRSASigner(key *rsa.PrivateKey) (*RSASigner, error) {
	if key == nil {
		return nil, errors.New("sign: nil RSA private key")
	}
	if err := key.Validate(); err != nil {
		return nil, fmt.Errorf("sign: invalid RSA private key: %w", err)
	}
	key.Precompute()
	return &RSASigner{key: key}, nil
}

// Algorithm returns "SHA256withRSA".
func (s *RSASigner) Algorithm() string { return "SHA256withRSA" }

// Sign returns the raw PKCS#1 v1.5 signature of SHA-256(msg).
func (s *RSASigner) Sign(_ context.Context, msg []byte) ([]byte, error) {
	sum := sha256.Sum256(msg)
	sig, err := rsa.SignPKCS1v15(rand.Reader, s.key, crypto.SHA256, sum[:])
	if err != nil {
		return nil, fmt.Errorf("sign: rsa sign: %w", err)
	}
	return sig, nil
}

// SignBase64 returns the standard base64 of Sign(msg).
func (s *RSASigner) SignBase64(ctx context.Context, msg []byte) (string, error) {
	sig, err := s.Sign(ctx, msg)
	if err != nil {
		return "", err
	}
	return base64.StdEncoding.EncodeToString(sig), nil
}

// Public returns the signer's public key.
func (s *RSASigner) Public() *rsa.PublicKey { return &s.key.PublicKey }

// RSAVerifier verifies SHA256withRSA signatures.
type RSAVerifier struct {
	key *rsa.PublicKey
}

// NewRSAVerifier returns a verifier for key.
func NewRSAVerifier(key *rsa.PublicKey) (*RSAVerifier, error) {
	if key == nil {
		return nil, errors.New("sign: nil RSA public key")
	}
	return &RSAVerifier{key: key}, nil
}

// Algorithm returns "SHA256withRSA".
func (v *RSAVerifier) Algorithm() string { return "SHA256withRSA" }

// Verify checks a raw signature over msg.
func (v *RSAVerifier) Verify(_ context.Context, msg, sig []byte) error {
	sum := sha256.Sum256(msg)
	if err := rsa.VerifyPKCS1v15(v.key, crypto.SHA256, sum[:], sig); err != nil {
		return ErrInvalidSignature
	}
	return nil
}

// VerifyBase64 checks a base64 signature over msg.
func (v *RSAVerifier) VerifyBase64(ctx context.Context, msg []byte, sigB64 string) error {
	sig, err := base64.StdEncoding.DecodeString(sigB64)
	if err != nil {
		return ErrMalformedSignature
	}
	return v.Verify(ctx, msg, sig)
}
