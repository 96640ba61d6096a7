package gm

import (
	"crypto/cipher"
	"fmt"

	"github.com/tjfoc/gmsm/sm4"

	"github.com/bizapi-cn/go-sdk/internal/crypt"
)

// NewSM4 returns an SM4 block cipher; key must be 16 bytes.
func NewSM4(key []byte) (cipher.Block, error) {
	if len(key) != sm4.BlockSize {
		return nil, fmt.Errorf("gm: SM4 key is %d bytes, want 16", len(key))
	}
	return sm4.NewCipher(key)
}

// SM4ECBEncrypt encrypts plaintext with SM4-ECB and PKCS#7.
func SM4ECBEncrypt(key, plaintext []byte) ([]byte, error) {
	b, err := NewSM4(key)
	if err != nil {
		return nil, err
	}
	return crypt.EncryptECB(b, plaintext), nil
}

// SM4ECBDecrypt decrypts SM4-ECB ciphertext with PKCS#7 padding.
func SM4ECBDecrypt(key, ciphertext []byte) ([]byte, error) {
	b, err := NewSM4(key)
	if err != nil {
		return nil, err
	}
	return crypt.DecryptECB(b, ciphertext)
}

// SM4CBCEncrypt encrypts plaintext with SM4-CBC under iv and PKCS#7.
func SM4CBCEncrypt(key, iv, plaintext []byte) ([]byte, error) {
	b, err := NewSM4(key)
	if err != nil {
		return nil, err
	}
	return crypt.EncryptCBC(b, iv, plaintext)
}

// SM4CBCDecrypt decrypts SM4-CBC ciphertext under iv with PKCS#7 padding.
func SM4CBCDecrypt(key, iv, ciphertext []byte) ([]byte, error) {
	b, err := NewSM4(key)
	if err != nil {
		return nil, err
	}
	return crypt.DecryptCBC(b, iv, ciphertext)
}
