package crypt

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/subtle"
	"errors"
	"fmt"
)

// NewAES returns an AES block cipher; key must be 16, 24 or 32 bytes.
func NewAES(key []byte) (cipher.Block, error) {
	b, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("crypt: AES key is %d bytes, want 16, 24 or 32", len(key))
	}
	return b, nil
}

// Pad returns data followed by PKCS#7 padding to a multiple of blockSize.
func Pad(data []byte, blockSize int) []byte {
	n := blockSize - len(data)%blockSize
	out := make([]byte, len(data)+n)
	copy(out, data)
	for i := len(data); i < len(out); i++ {
		out[i] = byte(n) //nolint:gosec // 1 <= n <= blockSize <= 255
	}
	return out
}

// Unpad removes PKCS#7 padding in time that depends only on len(data).
func Unpad(data []byte, blockSize int) ([]byte, error) {
	if len(data) == 0 || len(data)%blockSize != 0 {
		return nil, ErrDecrypt
	}
	n := int(data[len(data)-1])
	// good is 1 when 1 <= n <= blockSize and the last n bytes all equal n.
	good := subtle.ConstantTimeLessOrEq(1, n) & subtle.ConstantTimeLessOrEq(n, blockSize)
	for i := 1; i <= blockSize; i++ {
		inPad := subtle.ConstantTimeLessOrEq(i, n)
		eq := subtle.ConstantTimeByteEq(data[len(data)-i], byte(n)) //nolint:gosec // n is a byte value
		// where inPad, require eq.
		good &= subtle.ConstantTimeSelect(inPad, eq, 1)
	}
	if good != 1 {
		return nil, ErrDecrypt
	}
	return data[:len(data)-n], nil
}

// EncryptECB pads plaintext with PKCS#7 and encrypts it in ECB mode.
func EncryptECB(b cipher.Block, plaintext []byte) []byte {
	bs := b.BlockSize()
	out := Pad(plaintext, bs)
	for i := 0; i < len(out); i += bs {
		b.Encrypt(out[i:i+bs], out[i:i+bs])
	}
	return out
}

// DecryptECB decrypts ECB ciphertext and removes PKCS#7 padding.
func DecryptECB(b cipher.Block, ciphertext []byte) ([]byte, error) {
	bs := b.BlockSize()
	if len(ciphertext) == 0 || len(ciphertext)%bs != 0 {
		return nil, ErrDecrypt
	}
	out := make([]byte, len(ciphertext))
	for i := 0; i < len(out); i += bs {
		b.Decrypt(out[i:i+bs], ciphertext[i:i+bs])
	}
	return Unpad(out, bs)
}

// EncryptCBC pads plaintext with PKCS#7 and encrypts it in CBC mode with iv.
func EncryptCBC(b cipher.Block, iv, plaintext []byte) ([]byte, error) {
	if len(iv) != b.BlockSize() {
		return nil, errors.New("crypt: IV length must equal the block size")
	}
	out := Pad(plaintext, b.BlockSize())
	cipher.NewCBCEncrypter(b, iv).CryptBlocks(out, out)
	return out, nil
}

// DecryptCBC decrypts CBC ciphertext with iv and removes PKCS#7 padding.
func DecryptCBC(b cipher.Block, iv, ciphertext []byte) ([]byte, error) {
	bs := b.BlockSize()
	if len(iv) != bs {
		return nil, errors.New("crypt: IV length must equal the block size")
	}
	if len(ciphertext) == 0 || len(ciphertext)%bs != 0 {
		return nil, ErrDecrypt
	}
	out := make([]byte, len(ciphertext))
	cipher.NewCBCDecrypter(b, iv).CryptBlocks(out, ciphertext)
	return Unpad(out, bs)
}

// AESECBEncrypt encrypts plaintext with AES-ECB and PKCS#7 (DECS fields).
func AESECBEncrypt(key, plaintext []byte) ([]byte, error) {
	b, err := NewAES(key)
	if err != nil {
		return nil, err
	}
	return EncryptECB(b, plaintext), nil
}

// AESECBDecrypt decrypts AES-ECB ciphertext with PKCS#7 padding.
func AESECBDecrypt(key, ciphertext []byte) ([]byte, error) {
	b, err := NewAES(key)
	if err != nil {
		return nil, err
	}
	return DecryptECB(b, ciphertext)
}
