package crypt

import (
	"crypto/cipher"
	"errors"
	"io"
)

// ECBWriter encrypts what is written to it in ECB mode with PKCS#7
// padding, streaming: Close pads and writes the last block. The output is
// byte for byte EncryptECB of everything written. It holds at most one
// partial block and a 32 KiB work buffer.
type ECBWriter struct {
	b       cipher.Block
	w       io.Writer
	partial []byte
	buf     []byte
	closed  bool
}

// NewECBWriter returns an ECBWriter that writes ciphertext to w.
func NewECBWriter(b cipher.Block, w io.Writer) *ECBWriter {
	bs := b.BlockSize()
	return &ECBWriter{b: b, w: w, partial: make([]byte, 0, bs), buf: make([]byte, 32<<10/bs*bs)}
}

// Write encrypts the complete blocks of p (with what was held back).
func (e *ECBWriter) Write(p []byte) (int, error) {
	if e.closed {
		return 0, errors.New("crypt: write to a closed ECBWriter")
	}
	n := len(p)
	bs := e.b.BlockSize()
	for len(p) > 0 {
		if len(e.partial) > 0 || len(p) < bs {
			k := min(bs-len(e.partial), len(p))
			e.partial = append(e.partial, p[:k]...)
			p = p[k:]
			if len(e.partial) < bs {
				break
			}
			e.b.Encrypt(e.buf[:bs], e.partial)
			e.partial = e.partial[:0]
			if _, err := e.w.Write(e.buf[:bs]); err != nil {
				return 0, err
			}
			continue
		}
		k := min(len(p)/bs*bs, len(e.buf))
		for i := 0; i < k; i += bs {
			e.b.Encrypt(e.buf[i:i+bs], p[i:i+bs])
		}
		if _, err := e.w.Write(e.buf[:k]); err != nil {
			return 0, err
		}
		p = p[k:]
	}
	return n, nil
}

// Close writes the padded last block. It does not close the underlying
// writer.
func (e *ECBWriter) Close() error {
	if e.closed {
		return nil
	}
	e.closed = true
	last := Pad(e.partial, e.b.BlockSize())
	e.b.Encrypt(last, last)
	_, err := e.w.Write(last)
	return err
}
