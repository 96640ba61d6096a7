// Package sign holds the signers and verifiers the SDK modules share:
// HMAC-SHA256 and any other HMAC (HMAC-SM3 through package gm; base64 or uppercase-hex output, constant-time
// comparison) and RSA SHA-256 PKCS#1 v1.5 (base64).
//
// A Signer and a Verifier are safe for concurrent use. They never call
// time.Now and never log: what to sign is decided by the caller's canonical
// form, and when is passed in as data.
package sign

import (
	"context"
	"errors"
)

// ErrInvalidSignature reports a signature that does not match its message.
// Provider modules wrap it in their own sentinel.
var ErrInvalidSignature = errors.New("sign: invalid signature")

// ErrMalformedSignature reports a signature that cannot be decoded (bad
// base64 or hex); it also matches ErrInvalidSignature.
var ErrMalformedSignature = &malformed{}

type malformed struct{}

func (*malformed) Error() string        { return "sign: malformed signature" }
func (*malformed) Is(target error) bool { return target == ErrInvalidSignature }

// Signer signs a message. Sign returns the raw signature bytes.
type Signer interface {
	Sign(ctx context.Context, msg []byte) ([]byte, error)
	// Algorithm names the scheme, e.g. "HMAC-SHA256" or "SHA256withRSA".
	Algorithm() string
}

// Verifier checks a raw signature over a message. It returns an error that
// matches ErrInvalidSignature when the signature does not verify.
type Verifier interface {
	Verify(ctx context.Context, msg, sig []byte) error
	Algorithm() string
}
