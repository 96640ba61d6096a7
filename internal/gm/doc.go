// Package gm holds the national (GM/T) cryptography the DECS national suite
// and scancode use, over github.com/tjfoc/gmsm: HMAC-SM3, SM4 in ECB or CBC
// mode with PKCS#7 padding, SM2 public-key encryption in the C1C3C2, C1C2C3
// and ASN.1 encodings, and SM2 key parsing. It is a package of its own so
// that the modules without national crypto (levy, allinpay) link no gmsm
// package: only evidence and scancode import it.
//
// SM4 is driven through crypto/cipher with an explicit IV: the
// package-global IV API of gmsm/sm4 races between goroutines and is not
// used. Every decrypt function returns an error, never panics, on any
// input; a failure to decrypt is crypt.ErrDecrypt.
package gm
