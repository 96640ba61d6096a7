// Package crypt holds the encryption and decryption the SDK modules share:
// RSA PKCS#1 v1.5 and RSA-OAEP (hash and MGF1 hash configurable), AES and SM4
// in ECB or CBC mode with PKCS#7 padding (constant-time unpadding), and SM2
// public-key encryption in the C1C3C2, C1C2C3 and ASN.1 encodings.
//
// Every decrypt function returns an error, never panics, on any input. SM4
// is driven through crypto/cipher with an explicit IV: the package-global IV
// API of github.com/tjfoc/gmsm/sm4 races between goroutines and is not used.
package crypt

import "errors"

// ErrDecrypt reports ciphertext that does not decrypt: wrong key, wrong
// length, bad padding or a failed integrity check. It carries no detail on
// purpose (no padding oracle).
var ErrDecrypt = errors.New("crypt: decryption failed")
