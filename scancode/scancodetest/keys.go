package scancodetest

import "strings"

// The App's own test key pair, used when it is given neither
// WithSM2PublicKey nor WithSM4Key, so that a receiver under test (or an
// example run without keys) can decrypt what it sends. It is the SM2 key of
// the SDK's shared test vectors; it protects nothing.
const (
	testSM2Private = `-----BEGIN TESTING KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqBHM9VAYItBG0wawIBAQQgmKstOks3R39dQOyk
4eVVi3TRD3EVgQo8mnNmqFajW6GhRANCAARNCeUxJIkr448C0o7dUXTdiLP7xUDC
ydLk6enmNiUH6WbgYU06/Ma33huZFZy5jsuu5FcklwgGKrau396tde+8
-----END TESTING KEY-----
`
	testSM2Public = `-----BEGIN PUBLIC KEY-----
MFkwEwYHKoZIzj0CAQYIKoEcz1UBgi0DQgAETQnlMSSJK+OPAtKO3VF03Yiz+8VA
wsnS5Onp5jYlB+lm4GFNOvzGt94bmRWcuY7LruRXJJcIBiq2rt/erXXvvA==
-----END PUBLIC KEY-----
`
)

// SM2PrivateKeyPEM returns the private half of the App's test key pair
// (PKCS#8 PEM), for scancode.DecrypterConfig.SM2PrivateKey in tests and
// examples. Never use it for a real platform.
func SM2PrivateKeyPEM() []byte {
	// The label is spelled TESTING KEY in the source (as crypto/tls does)
	// so that secret scanners do not flag a key that protects nothing.
	return []byte(strings.ReplaceAll(testSM2Private, "TESTING KEY", "PRIVATE KEY"))
}

// SM2PublicKeyPEM returns the public half of the App's test key pair.
func SM2PublicKeyPEM() []byte { return []byte(testSM2Public) }
