package sign

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"hash"
	"sync"
)

// HMAC is an HMAC signer and verifier with a fixed key. It keeps a pool of
// keyed hash states, so a signature costs no key schedule and no allocation
// beyond its result. The zero value is not usable; use NewHMACSHA256 or
// NewHMAC (gm.NewHMACSM3).
type HMAC struct {
	alg  string
	size int
	pool sync.Pool
}

// NewHMACSHA256 returns an HMAC-SHA256 signer keyed with key.
func NewHMACSHA256(key []byte) *HMAC {
	return NewHMAC("HMAC-SHA256", sha256.New, key)
}

// NewHMAC returns an HMAC over the hash h (named alg in Algorithm), for a
// hash this package does not import itself (HMAC-SM3 lives in package gm,
// so that modules without national crypto link no gmsm package).
func NewHMAC(alg string, h func() hash.Hash, key []byte) *HMAC {
	k := append([]byte(nil), key...)
	m := &HMAC{alg: alg, size: h().Size()}
	m.pool.New = func() any { return hmac.New(h, k) }
	return m
}

// Algorithm returns the name given at construction ("HMAC-SHA256", "HMAC-SM3").
func (m *HMAC) Algorithm() string { return m.alg }

// Size is the length of a raw MAC in bytes.
func (m *HMAC) Size() int { return m.size }

// AppendSum appends the MAC of msg to dst and returns the extended slice.
func (m *HMAC) AppendSum(dst, msg []byte) []byte {
	h := m.pool.Get().(hash.Hash)
	h.Reset()
	h.Write(msg)
	dst = h.Sum(dst)
	m.pool.Put(h)
	return dst
}

// Sum returns the raw MAC of msg.
func (m *HMAC) Sum(msg []byte) []byte { return m.AppendSum(make([]byte, 0, m.size), msg) }

// Base64 returns the standard base64 of the MAC of msg.
func (m *HMAC) Base64(msg []byte) string {
	var buf [64]byte
	sum := m.AppendSum(buf[:0], msg)
	return base64.StdEncoding.EncodeToString(sum)
}

// UpperHex returns the uppercase hex of the MAC of msg.
func (m *HMAC) UpperHex(msg []byte) string {
	var buf [64]byte
	var hx [128]byte
	return string(AppendUpperHex(hx[:0], m.AppendSum(buf[:0], msg)))
}

// AppendUpperHex appends the uppercase hex of sum to dst (for a MAC
// computed by streaming through New).
func AppendUpperHex(dst, sum []byte) []byte {
	const digits = "0123456789ABCDEF"
	for _, b := range sum {
		dst = append(dst, digits[b>>4], digits[b&0x0f])
	}
	return dst
}

// New returns a keyed hash.Hash for streaming input, reset, from the
// pool. Release gives it back once its Sum is taken; one never given back
// is only a key schedule the next New pays again.
func (m *HMAC) New() hash.Hash {
	h := m.pool.Get().(hash.Hash)
	h.Reset()
	return h
}

// Release returns h, from New and no longer used, to the pool.
func (m *HMAC) Release(h hash.Hash) { m.pool.Put(h) }

// Sign returns the raw MAC of msg.
func (m *HMAC) Sign(_ context.Context, msg []byte) ([]byte, error) { return m.Sum(msg), nil }

// Verify compares sig with the MAC of msg in constant time.
func (m *HMAC) Verify(_ context.Context, msg, sig []byte) error {
	var buf [64]byte
	if !hmac.Equal(m.AppendSum(buf[:0], msg), sig) {
		return ErrInvalidSignature
	}
	return nil
}

// VerifyBase64 checks a base64 MAC of msg in constant time.
func (m *HMAC) VerifyBase64(msg []byte, sigB64 string) error {
	var raw [64]byte
	if base64.StdEncoding.DecodedLen(len(sigB64)) > len(raw) {
		return ErrMalformedSignature
	}
	n, err := base64.StdEncoding.Decode(raw[:], []byte(sigB64))
	if err != nil {
		return ErrMalformedSignature
	}
	return m.Verify(context.Background(), msg, raw[:n])
}

// VerifyHex checks a hex MAC of msg (either case) in constant time.
func (m *HMAC) VerifyHex(msg []byte, sigHex string) error {
	if len(sigHex) != 2*m.size {
		return ErrMalformedSignature
	}
	var raw [64]byte
	n, err := hex.Decode(raw[:], []byte(sigHex))
	if err != nil {
		return ErrMalformedSignature
	}
	return m.Verify(context.Background(), msg, raw[:n])
}
