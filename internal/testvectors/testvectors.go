// Package testvectors holds the independent test vectors (byte-identical
// copies of the project's shared vectors, computed with OpenSSL and Python's
// cryptography) embedded in the package, so that the fakes that use its keys
// work in a host's -trimpath and vendored builds, where no source folder can
// be found on disk. It is for tests and fakes only: the keys are test keys.
package testvectors

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
)

// files holds vectors/: a folder not named testdata, because go mod vendor
// leaves testdata folders out.
//
//go:embed vectors
var files embed.FS

// FS returns the vectors as a file system rooted at the vectors folder
// ("levy_hmac.json", "keys/sm2_private.pem", …).
func FS() fs.FS {
	sub, err := fs.Sub(files, "vectors")
	if err != nil { // cannot happen: the folder is embedded
		panic(err)
	}
	return sub
}

// Read returns the bytes of a vector file, e.g. "keys/sm2_private.pem".
func Read(name string) ([]byte, error) {
	b, err := fs.ReadFile(files, "vectors/"+name)
	if err != nil {
		return nil, fmt.Errorf("testvectors: %w", err)
	}
	return b, nil
}

// MustRead is Read for a file that is embedded for certain (a fake's own
// key): it panics when name is not a vector file, a programming error.
func MustRead(name string) []byte {
	b, err := Read(name)
	if err != nil {
		panic(err)
	}
	return b
}

// Load decodes the JSON vector file name into v.
func Load(name string, v any) error {
	b, err := Read(name)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("testvectors: %s: %w", name, err)
	}
	return nil
}

// Levy is levy_hmac.json.
type Levy struct {
	Requests []struct {
		Secret string `json:"secret"`
		Req    string `json:"req"`
		Sign   string `json:"sign"`
	} `json:"requests"`
	Response struct {
		Secret  string `json:"secret"`
		Body    string `json:"body"`
		APISign string `json:"api_sign"`
	} `json:"response"`
}

// Allinpay is allinpay_rsa2.json.
type Allinpay struct {
	MerchantPrivateKey string `json:"merchant_private_key"`
	PlatformPublicKey  string `json:"platform_public_key"`
	Requests           []struct {
		Fields    map[string]string `json:"fields"`
		Canonical string            `json:"canonical"`
		Signature string            `json:"signature"`
	} `json:"requests"`
	Response struct {
		JSON      json.RawMessage `json:"json"`
		Canonical string          `json:"canonical"`
	} `json:"response"`
}

// DECSDocs is evidence_decs_docs.json.
type DECSDocs struct {
	DECSHash struct {
		AppKey     string `json:"app_key"`
		SortedJSON string `json:"sorted_json"`
		DECSHash   string `json:"decs_hash"`
	} `json:"decs_hash"`
	AESKey struct {
		PrivateKeyPKCS8B64 string `json:"private_key_pkcs8_b64"`
		EncryptedB64       string `json:"aeskey_encrypted_b64"`
		AESKeyB64          string `json:"aes_key_b64"`
	} `json:"aes_key"`
	AESField struct {
		AESKeyB64     string `json:"aes_key_b64"`
		CiphertextB64 string `json:"ciphertext_b64"`
		Plaintext     string `json:"plaintext"`
	} `json:"aes_field"`
	NotifySign struct {
		DECSHash         string `json:"decs_hash"`
		DECSSignB64      string `json:"decs_sign_b64"`
		PublicKeySPKIB64 string `json:"public_key_spki_b64"`
	} `json:"notify_sign"`
}

// OAEPSSEC is evidence_oaep_ssec.json.
type OAEPSSEC struct {
	OAEP []struct {
		Hash          string `json:"oaep_hash"`
		MGF1Hash      string `json:"mgf1_hash"`
		CiphertextB64 string `json:"ciphertext_b64"`
		Plaintext     string `json:"plaintext"`
	} `json:"oaep"`
	SSEC []struct {
		FileKey string            `json:"file_key"`
		Headers map[string]string `json:"headers"`
	} `json:"sse_c"`
}

// Scancode is scancode_sm2_sm4.json.
type Scancode struct {
	SM2PrivateHex string `json:"sm2_private_hex"`
	SM2PublicHex  string `json:"sm2_public_hex"`
	SM4KeyHex     string `json:"sm4_key_hex"`
	DesKey        struct {
		ASN1B64   string `json:"asn1_b64"`
		C1C3C2B64 string `json:"c1c3c2_b64"`
		C1C2C3B64 string `json:"c1c2c3_b64"`
	} `json:"des_key"`
	Messages []struct {
		Type       string `json:"type"`
		Mode       string `json:"mode"`
		IVHex      string `json:"iv_hex"`
		EncryptB64 string `json:"encrypt_b64"`
		Payload    string `json:"payload"`
	} `json:"messages"`
}
