// Package internal is the root of the shared module of the bizapi-cn Go SDK
// set. Its packages are importable only by the provider modules
// (github.com/bizapi-cn/go-sdk/levy, allinpay, evidence, scancode):
//
//   - keys: RSA and SM2 key loading (PEM PKCS#1/PKCS#8/SPKI/certificate,
//     base64 DER, hex) and pair checks
//   - sign: HMAC-SHA256, HMAC-SM3 and SHA256withRSA signers and verifiers
//   - crypt: RSA PKCS#1 v1.5 and OAEP, AES/SM4 ECB and CBC with PKCS#7, SM2
//   - kv: allinpay's canonical key=value string
//   - sortedjson: DECS's sorted compact JSON
//   - ssec: COS SSE-C headers from a fileKey
//   - mask: masking of personal data and secrets
//   - nonce: random identifiers
//   - dedup: exactly-once callback handling
//   - transport: HTTP plumbing shared by the clients
//   - validate: request validation that reports every bad field
//   - fault: the fault-injection queue of the fake providers
//   - testvectors, benchdata: test vectors and benchmark inputs (tests only)
package internal
