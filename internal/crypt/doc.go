// Package crypt holds the encryption and decryption the SDK modules share:
// RSA PKCS#1 v1.5 and RSA-OAEP (hash and MGF1 hash configurable), and any
// block cipher (AES here, SM4 in package gm) in ECB or CBC mode with PKCS#7
// padding (constant-time unpadding). It imports no national-crypto code.
//
// Every decrypt function returns an error, never panics, on any input.
package crypt

import "errors"

// ErrDecrypt reports ciphertext that does not decrypt: wrong key, wrong
// length, bad padding or a failed integrity check. It carries no detail on
// purpose (no padding oracle).
var ErrDecrypt = errors.New("crypt: decryption failed")
