package crypt_test

import (
	"bytes"
	"crypto/cipher"
	"testing"

	"github.com/bizapi-cn/go-sdk/internal/gm"

	"github.com/bizapi-cn/go-sdk/internal/crypt"
)

// TestECBWriter: streaming in any chunking equals EncryptECB, for AES and
// SM4, at every length around the block and buffer sizes.
func TestECBWriter(t *testing.T) {
	t.Parallel()
	key := bytes.Repeat([]byte{7}, 16)
	for _, mk := range []func([]byte) (cipher.Block, error){crypt.NewAES, gm.NewSM4} {
		b, _ := mk(key)
		for _, n := range []int{0, 1, 15, 16, 17, 31, 32, 33, 32<<10 - 1, 32 << 10, 32<<10 + 5, 100_003} {
			pt := make([]byte, n)
			for i := range pt {
				pt[i] = byte(i * 31)
			}
			want := crypt.EncryptECB(b, pt)
			for _, chunk := range []int{1, 7, 16, 4096, 1 << 20} {
				var out bytes.Buffer
				w := crypt.NewECBWriter(b, &out)
				for rest := pt; len(rest) > 0; {
					k := min(chunk, len(rest))
					if m, err := w.Write(rest[:k]); err != nil || m != k {
						t.Fatalf("Write = %d, %v", m, err)
					}
					rest = rest[k:]
				}
				if err := w.Close(); err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(out.Bytes(), want) {
					t.Fatalf("n=%d chunk=%d: streamed ciphertext differs from EncryptECB", n, chunk)
				}
				if _, err := w.Write([]byte{1}); err == nil {
					t.Fatal("write after Close accepted")
				}
			}
		}
	}
}
