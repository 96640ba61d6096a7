package allinpay

import (
	"bufio"
	"context"
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"unicode/utf8"

	"github.com/bizapi-cn/go-sdk/allinpay/internal/fieldset"
	"github.com/bizapi-cn/go-sdk/internal/diag"
	"github.com/bizapi-cn/go-sdk/internal/transport"
)

// billSpool is a downloaded billData, kept in a temporary file: the
// answer is read from the network once, the file's base64 never sits in
// memory whole.
type billSpool struct {
	file *os.File
	size int64
}

func (s *billSpool) remove() {
	if s != nil && s.file != nil {
		name := s.file.Name()
		_ = s.file.Close()
		_ = os.Remove(name)
		s.file = nil
	}
}

func (s *billSpool) reader() io.Reader { return io.NewSectionReader(s.file, 0, s.size) }

// errIncomplete marks a read error of the answer (cut off, over the
// limit): as ambiguous as no answer.
type errIncomplete struct{ err error }

func (e errIncomplete) Error() string { return e.err.Error() }
func (e errIncomplete) Unwrap() error { return e.err }

const maxBillMember = 64 << 10 // every member but billData

// readBillAnswer reads a JSON answer from r, streaming the billData
// string to a temporary file and returning every other top-level member as
// FieldsFromJSON would (strings unquoted, other values as their literal
// text, null absent). Duplicate members, invalid UTF-8, members over 64
// KiB, a billData that is not a base64 string, and trailing data are
// refused.
func readBillAnswer(r io.Reader, limit int64) (Fields, *billSpool, error) {
	lr := &io.LimitedReader{R: r, N: limit + 1}
	br := bufio.NewReaderSize(lr, 32<<10)
	p := &jsonStream{r: br, lr: lr, limit: limit}
	f, spool, err := p.object()
	if err != nil {
		spool.remove()
		return nil, nil, err
	}
	return f, spool, nil
}

type jsonStream struct {
	r     *bufio.Reader
	lr    *io.LimitedReader
	limit int64
}

func (p *jsonStream) ioErr(err error) error {
	if p.lr.N <= 0 {
		return errIncomplete{fmt.Errorf("response over %d bytes: %w", p.limit, transport.ErrBodyTooLarge)}
	}
	if errors.Is(err, io.EOF) {
		err = io.ErrUnexpectedEOF
	}
	return errIncomplete{fmt.Errorf("read response: %w", err)}
}

func (p *jsonStream) next() (byte, error) {
	for {
		c, err := p.r.ReadByte()
		if err != nil {
			return 0, p.ioErr(err)
		}
		if c != ' ' && c != '\t' && c != '\n' && c != '\r' {
			return c, nil
		}
	}
}

func (p *jsonStream) object() (Fields, *billSpool, error) {
	c, err := p.next()
	if err != nil {
		return nil, nil, err
	}
	if c != '{' {
		return nil, nil, errors.New("JSON is not an object")
	}
	f := Fields{}
	var spool *billSpool
	billData := false // seen, empty or not
	fail := func(err error) (Fields, *billSpool, error) { spool.remove(); return nil, nil, err }
	if c, err = p.next(); err != nil {
		return fail(err)
	}
	if c != '}' {
		for {
			if c != '"' {
				return fail(errors.New("JSON object key is not a string"))
			}
			key, err := p.str(nil)
			if err != nil {
				return fail(err)
			}
			if _, dup := f[key]; dup || key == "billData" && billData {
				return fail(fmt.Errorf("JSON has duplicate key %q", key))
			}
			billData = billData || key == "billData"
			if c, err = p.next(); err != nil {
				return fail(err)
			}
			if c != ':' {
				return fail(errors.New("JSON: expected ':' after an object key"))
			}
			if c, err = p.next(); err != nil {
				return fail(err)
			}
			switch {
			case key == "billData" && c == '"':
				if spool, err = p.spool(); err != nil {
					return fail(err)
				}
				if spool == nil {
					f[key] = "" // "": kept for the case check, outside the signature
				}
			case c == '"':
				v, err := p.str(nil)
				if err != nil {
					return fail(err)
				}
				f[key] = v
			default:
				v, err := p.raw(c)
				if err != nil {
					return fail(err)
				}
				if v == "null" {
					v = ""
				}
				if key == "billData" && v != "" {
					return fail(errors.New("JSON: billData is not a string"))
				}
				if key != "billData" {
					f[key] = v
				} else {
					f[key] = "" // null: kept for the case check, outside the signature
				}
			}
			if c, err = p.next(); err != nil {
				return fail(err)
			}
			if c == '}' {
				break
			}
			if c != ',' {
				return fail(errors.New("JSON: expected ',' or '}'"))
			}
			if c, err = p.next(); err != nil {
				return fail(err)
			}
		}
	}
	for {
		c, err := p.r.ReadByte()
		if errors.Is(err, io.EOF) && p.lr.N > 0 {
			break
		}
		if err != nil {
			return fail(p.ioErr(err))
		}
		if c != ' ' && c != '\t' && c != '\n' && c != '\r' {
			return fail(errors.New("trailing data after JSON object"))
		}
	}
	return f, spool, nil
}

// str reads a JSON string whose opening quote was read.
func (p *jsonStream) str(buf []byte) (string, error) {
	escaped := false
	for {
		c, err := p.r.ReadByte()
		if err != nil {
			return "", p.ioErr(err)
		}
		switch {
		case c == '\\':
			escaped = true
			buf = append(buf, c)
			c2, err := p.r.ReadByte()
			if err != nil {
				return "", p.ioErr(err)
			}
			buf = append(buf, c2)
		case c == '"':
			if !escaped {
				if !utf8.Valid(buf) {
					return "", errors.New("JSON is not valid UTF-8")
				}
				return string(buf), nil
			}
			var s string
			q := append(append([]byte{'"'}, buf...), '"')
			if err := json.Unmarshal(q, &s); err != nil {
				return "", fmt.Errorf("JSON: %w", err)
			}
			if !utf8.ValidString(s) {
				return "", errors.New("JSON is not valid UTF-8")
			}
			return s, nil
		case c < 0x20:
			return "", errors.New("JSON: control character in a string")
		default:
			buf = append(buf, c)
		}
		if len(buf) > maxBillMember {
			return "", errors.New("JSON member over 64 KiB")
		}
	}
}

// raw reads a number, literal, object or array whose first byte is c.
func (p *jsonStream) raw(c byte) (string, error) {
	buf := []byte{c}
	if c != '{' && c != '[' {
		for {
			b, err := p.r.ReadByte()
			if err != nil {
				return "", p.ioErr(err)
			}
			if b == ',' || b == '}' || b == ']' || b == ' ' || b == '\t' || b == '\n' || b == '\r' {
				_ = p.r.UnreadByte()
				break
			}
			buf = append(buf, b)
			if len(buf) > maxBillMember {
				return "", errors.New("JSON member over 64 KiB")
			}
		}
	} else {
		depth := 1
		for depth > 0 {
			b, err := p.r.ReadByte()
			if err != nil {
				return "", p.ioErr(err)
			}
			buf = append(buf, b)
			switch b {
			case '"':
				// Copied as received: the signature covers the raw text.
				for {
					b, err := p.r.ReadByte()
					if err != nil {
						return "", p.ioErr(err)
					}
					buf = append(buf, b)
					if b == '\\' {
						if b, err = p.r.ReadByte(); err != nil {
							return "", p.ioErr(err)
						}
						buf = append(buf, b)
						continue
					}
					if b == '"' {
						break
					}
				}
			case '{', '[':
				depth++
			case '}', ']':
				depth--
			}
			if len(buf) > maxBillMember {
				return "", errors.New("JSON member over 64 KiB")
			}
		}
	}
	if !json.Valid(buf) || !utf8.Valid(buf) {
		return "", errors.New("JSON: invalid value")
	}
	return string(buf), nil
}

// spool streams the billData string (opening quote read) to a temporary
// file; it must be base64 text (an escaped '/' is allowed).
func (p *jsonStream) spool() (*billSpool, error) {
	file, err := os.CreateTemp("", "allinpay-bill-*.b64")
	if err != nil {
		return nil, fmt.Errorf("bill spool: %w", err)
	}
	s := &billSpool{file: file}
	w := bufio.NewWriterSize(file, 64<<10)
	escape := false // a '\' ended the previous chunk
	for done := false; !done; {
		chunk, err := p.r.ReadSlice('"')
		switch {
		case err == nil:
			chunk, done = chunk[:len(chunk)-1], true
		case errors.Is(err, bufio.ErrBufferFull):
		default:
			s.remove()
			return nil, p.ioErr(err)
		}
		if escape && done && len(chunk) == 0 {
			// `\"` is an escaped quote: not base64.
			s.remove()
			return nil, errors.New("JSON: billData is not base64 text")
		}
		start := 0
		for i := 0; i < len(chunk); i++ {
			c := chunk[i]
			if escape {
				if c != '/' {
					s.remove()
					return nil, errors.New("JSON: billData is not base64 text")
				}
				escape, start = false, i // keep the '/'
				continue
			}
			if c == '\\' {
				_, _ = w.Write(chunk[start:i])
				s.size += int64(i - start)
				escape, start = true, i+1
				continue
			}
			if !base64Char[c] {
				s.remove()
				return nil, errors.New("JSON: billData is not base64 text")
			}
		}
		if escape && done {
			s.remove()
			return nil, errors.New("JSON: billData is not base64 text")
		}
		_, _ = w.Write(chunk[start:])
		s.size += int64(len(chunk) - start)
	}
	if err := w.Flush(); err != nil {
		s.remove()
		return nil, fmt.Errorf("bill spool: %w", err)
	}
	if s.size == 0 {
		s.remove()
		return nil, nil
	}
	return s, nil
}

// verifyBill checks the signature over the canonical string of f with
// billData from the spool. With the platform's keys (the default) it is
// hashed from the file; a custom Verifier gets the string in memory.
func (cfg *config) verifyBill(ctx context.Context, op TransType, f Fields, s *billSpool) error {
	fail := func(reason string) error {
		var r *diag.Report
		if d := cfg.diagnoser(); d != nil {
			r = d.Bill(ctx, f, s.reader)
		}
		return fieldset.NewSignatureError(string(op), reason, r)
	}
	sig, err := base64.StdEncoding.DecodeString(f["signature"])
	if err != nil || len(sig) == 0 || len(sig) > 1024 {
		return fail("signature missing or not base64")
	}
	keys := make([]string, 0, len(f)+1)
	for k, v := range f {
		if k != "signature" && v != "" {
			keys = append(keys, k)
		}
	}
	keys = append(keys, "billData")
	slices.Sort(keys)
	write := func(w io.Writer) error {
		for i, k := range keys {
			if i > 0 {
				_, _ = io.WriteString(w, "&")
			}
			_, _ = io.WriteString(w, k+"=")
			if k == "billData" {
				if _, err := io.Copy(w, s.reader()); err != nil {
					return fmt.Errorf("bill spool: %w", err)
				}
				continue
			}
			_, _ = io.WriteString(w, f[k])
		}
		return nil
	}
	if !cfg.trust.Builtin {
		var b bytesBuffer
		if err := write(&b); err != nil {
			return err
		}
		if err := cfg.trust.V.Verify(ctx, b.b, sig); err != nil {
			return fail("")
		}
		return nil
	}
	h := sha256.New()
	if err := write(h); err != nil {
		return err
	}
	sum := h.Sum(nil)
	for _, pub := range cfg.trust.Pubs {
		if rsa.VerifyPKCS1v15(pub, crypto.SHA256, sum, sig) == nil {
			return nil
		}
	}
	cfg.trust.Log.WarnContext(ctx, "allinpay: bill signature mismatch")
	return fail("")
}

type bytesBuffer struct{ b []byte }

func (w *bytesBuffer) Write(p []byte) (int, error) { w.b = append(w.b, p...); return len(p), nil }

var base64Char = func() (t [256]bool) {
	for _, c := range []byte("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=") {
		t[c] = true
	}
	return t
}()
