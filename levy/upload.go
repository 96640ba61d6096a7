package levy

import (
	"bufio"
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"hash"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"github.com/bizapi-cn/go-sdk/internal/mask"
	"github.com/bizapi-cn/go-sdk/internal/nonce"
	"github.com/bizapi-cn/go-sdk/levy/internal/wire"
)

// File is a file to upload: its name, its size in bytes (0 when unknown:
// the limit is then checked while streaming) and a function that opens it.
// Open is called twice per attempt (the signature and the length first,
// then the body) and must return the same bytes each time; the file is
// streamed, never held in memory whole. A reader that cannot be re-read
// belongs in a temporary file (FileFromPath) or, when small, FileFromBytes.
type File struct {
	Name string
	Size int64
	Open func() (io.ReadCloser, error)
}

// FileFromPath returns the File at path, with its size.
func FileFromPath(path string) (File, error) {
	st, err := os.Stat(path)
	if err != nil {
		return File{}, fmt.Errorf("levy: file: %w", err)
	}
	if !st.Mode().IsRegular() {
		return File{}, fmt.Errorf("levy: file: %s is not a regular file", filepath.Base(path))
	}
	return File{Name: filepath.Base(path), Size: st.Size(), Open: func() (io.ReadCloser, error) { return os.Open(path) }}, nil
}

// FileFromBytes returns a File holding b.
func FileFromBytes(name string, b []byte) File {
	return File{Name: name, Size: int64(len(b)), Open: func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(b)), nil }}
}

// String prints the file's size and masked name (file names of ID images
// often carry the person's name).
func (f File) String() string { return fmt.Sprintf("{Name:%s Size:%d}", mask.Name(f.Name), f.Size) }

// LogValue masks the name.
func (f File) LogValue() slog.Value { return slog.StringValue(f.String()) }

func (f File) empty() bool { return f.Open == nil }

func (f File) open() (io.ReadCloser, error) {
	if f.Open == nil {
		return nil, errors.New("levy: file: no Open")
	}
	r, err := f.Open()
	if err != nil {
		return nil, fmt.Errorf("levy: file: %w", err)
	}
	if r == nil {
		return nil, errors.New("levy: file: Open returned nil")
	}
	return r, nil
}

// ErrFileTooLarge reports a file longer than the interface allows, found
// while streaming a reader of unknown size (the request is aborted).
var ErrFileTooLarge = errors.New("levy: file exceeds the size limit")

// ErrFileType reports a file whose content is not of an accepted type.
var ErrFileType = errors.New("levy: file content is not of an accepted type")

// Size limits of the spec.
const (
	MaxAgreementBytes = 10 << 20 // UPLOAD_TAXPAYER_AGREEMENT: PDF ≤ 10 MB (ADD_BANK_VOUCHER has no limit in the spec)
	MaxIDImageBytes   = 1 << 20  // UPLOAD_ID_CARD_IMAGE: each image ≤ 1 MB
	MaxVideoBytes     = 15 << 20 // UPLOAD_FACEID_VIDEO_FRAME: video ≤ 15 MB
	MaxFrameBytes     = 5 << 20  // UPLOAD_FACEID_VIDEO_FRAME: frame ≤ 5 MB
)

// maxUnbounded is the limit of a file the spec sets none for.
const maxUnbounded = 1 << 62

// filePart is one file spliced into the req JSON in place of placeholder.
type filePart struct {
	field       string
	file        File
	max         int64
	kind        func(head []byte) bool // accepted content, by its first bytes
	placeholder string
}

// isPDF recognises a PDF as readers do: "%PDF-" within the first 1,024
// bytes.
func isPDF(h []byte) bool  { return bytes.Contains(h[:min(len(h), 1024)], []byte("%PDF-")) }
func isJPEG(h []byte) bool { return bytes.HasPrefix(h, []byte{0xFF, 0xD8, 0xFF}) }
func isImage(h []byte) bool {
	return isJPEG(h) || bytes.HasPrefix(h, []byte("\x89PNG\r\n\x1a\n")) || bytes.HasPrefix(h, []byte("BM"))
}
func isVideo(h []byte) bool {
	return (len(h) >= 8 && string(h[4:8]) == "ftyp") || // mp4
		(len(h) >= 12 && string(h[:4]) == "RIFF" && string(h[8:12]) == "AVI ") ||
		bytes.HasPrefix(h, []byte("FLV"))
}

// checkSize reports a known size over the limit before anything is sent.
func (p *filePart) checkSize() error {
	if p.file.Size < 0 {
		return fmt.Errorf("levy: %s: negative size", p.field)
	}
	if p.file.Size > p.max {
		return fmt.Errorf("%w: %s is %d bytes, at most %d allowed", ErrFileTooLarge, p.field, p.file.Size, p.max)
	}
	return nil
}

// upload sends data with the file parts streamed into it. data's file
// fields must hold the parts' placeholders.
func (c *Client) upload(ctx context.Context, op Operation, key string, data any, parts []*filePart, out any) (Metadata, error) {
	if c == nil || c.cfg.signer == nil {
		return Metadata{RequestID: key}, fmt.Errorf("levy: %s: the Client was not made by NewClient", op)
	}
	for _, p := range parts {
		if err := p.checkSize(); err != nil {
			return Metadata{RequestID: key}, err
		}
	}
	return c.exchange(ctx, op, key, out, func(ctx context.Context) (io.Reader, int64, error) {
		return c.streamBody(ctx, op, data, parts)
	}, true)
}

// streamBody returns the form body "req=<JSON with files>&sign=<HMAC>" and
// its length, in two passes over the files: the first computes the
// signature and the escaped length (no body is held), the second is
// produced by a goroutine as the transport reads it, so the request has a
// Content-Length (some gateways refuse chunked forms) and the file, its
// base64 and the JSON are never in memory at once. With a custom Signer,
// which takes the message in one piece, the first pass buffers the req
// (about 4/3 of the files) in memory for Sign.
func (c *Client) streamBody(ctx context.Context, op Operation, data any, parts []*filePart) (io.Reader, int64, error) {
	env, err := marshal(envelope{Name: op, ClientKey: c.cfg.ClientKey, Timestamp: c.cfg.now().In(wire.CST).Format(wire.TimestampLayout), Data: data})
	if err != nil {
		return nil, 0, fmt.Errorf("levy: %s: encode: %w", op, err)
	}
	// Split the envelope at each placeholder, in the order they appear.
	type seg struct {
		text []byte
		part *filePart
	}
	var segs []seg
	rest := env
	for len(rest) > 0 {
		var next *filePart
		at := -1
		for _, p := range parts {
			if i := bytes.Index(rest, []byte(p.placeholder)); i >= 0 && (at < 0 || i < at) {
				at, next = i, p
			}
		}
		if next == nil {
			segs = append(segs, seg{text: rest})
			break
		}
		segs = append(segs, seg{text: rest[:at], part: next})
		rest = rest[at+len(next.placeholder):]
	}
	writeReq := func(sink io.Writer) error {
		for _, s := range segs {
			if _, err := sink.Write(s.text); err != nil {
				return err
			}
			if s.part != nil {
				if err := streamFile(sink, s.part); err != nil {
					return &buildError{err}
				}
			}
		}
		return nil
	}

	// Pass 1: the signature and the escaped length of req.
	var count escapedCounter
	var sig []byte
	var h hash.Hash
	if c.mac != nil && c.cfg.signer == Signer(c.mac) {
		h = c.mac.New()
	} else if ss, ok := c.cfg.signer.(StreamSigner); ok {
		if h, err = ss.NewHash(ctx); err != nil {
			return nil, 0, &buildError{fmt.Errorf("levy: %s: sign: %w", op, err)}
		}
		if h == nil {
			return nil, 0, &buildError{fmt.Errorf("levy: %s: sign: NewHash returned nil", op)}
		}
	}
	if h != nil {
		if err := writeReq(io.MultiWriter(h, &count)); err != nil {
			return nil, 0, err
		}
		sig = h.Sum(nil)
	} else {
		var signed bytes.Buffer
		if err := writeReq(io.MultiWriter(&signed, &count)); err != nil {
			return nil, 0, err
		}
		if sig, err = c.cfg.signer.Sign(ctx, signed.Bytes()); err != nil {
			return nil, 0, &buildError{fmt.Errorf("levy: %s: sign: %w", op, err)}
		}
	}
	sigText := []byte(base64.StdEncoding.EncodeToString(sig))
	var sigLen escapedCounter
	_, _ = sigLen.Write(sigText)
	size := int64(len("req=")) + count.n + int64(len("&sign=")) + sigLen.n

	// Pass 2: the body itself.
	pr, pw := io.Pipe()
	go func() {
		w := bufio.NewWriterSize(pw, 32<<10)
		esc := &formEscaper{w: w}
		err := func() error {
			if _, err := w.WriteString("req="); err != nil {
				return err
			}
			if err := writeReq(esc); err != nil {
				return err
			}
			if _, err := w.WriteString("&sign="); err != nil {
				return err
			}
			if _, err := esc.Write(sigText); err != nil {
				return err
			}
			return w.Flush()
		}()
		pw.CloseWithError(err)
	}()
	return pr, size, nil
}

// escapedCounter counts the bytes formEscaper would write.
type escapedCounter struct{ n int64 }

func (e *escapedCounter) Write(p []byte) (int, error) {
	for _, b := range p {
		if unreserved(b) || b == ' ' {
			e.n++
		} else {
			e.n += 3
		}
	}
	return len(p), nil
}

func unreserved(b byte) bool {
	return 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' || '0' <= b && b <= '9' || b == '-' || b == '_' || b == '.' || b == '~'
}

// streamFile writes the base64 of the part's file to w, checking its
// content type by its first bytes and its size as it goes.
func streamFile(w io.Writer, p *filePart) error {
	r, err := p.file.open()
	if err != nil {
		return err
	}
	defer r.Close()
	br := bufio.NewReaderSize(r, 32<<10)
	head, _ := br.Peek(1024)
	if p.kind != nil && !p.kind(head) {
		return fmt.Errorf("%w: %s", ErrFileType, p.field)
	}
	enc := base64.NewEncoder(base64.StdEncoding, w)
	n, err := io.Copy(enc, io.LimitReader(br, p.max+1))
	if err != nil {
		return fmt.Errorf("levy: read %s: %w", p.field, err)
	}
	if n > p.max {
		return fmt.Errorf("%w: %s is over %d bytes", ErrFileTooLarge, p.field, p.max)
	}
	if n == 0 {
		return fmt.Errorf("levy: %s is empty", p.field)
	}
	return enc.Close()
}

// formEscaper writes bytes application/x-www-form-urlencoded, like
// url.QueryEscape, without building strings.
type formEscaper struct{ w *bufio.Writer }

const upperHex = "0123456789ABCDEF"

func (e *formEscaper) Write(p []byte) (int, error) {
	for _, b := range p {
		var err error
		switch {
		case unreserved(b):
			err = e.w.WriteByte(b)
		case b == ' ':
			err = e.w.WriteByte('+')
		default:
			_, err = e.w.Write([]byte{'%', upperHex[b>>4], upperHex[b&15]})
		}
		if err != nil {
			return 0, err
		}
	}
	return len(p), nil
}

// newPart returns a part with a fresh placeholder (a value that cannot occur
// in the rest of the JSON).
func newPart(field string, f File, max int64, kind func([]byte) bool) *filePart {
	return &filePart{field: field, file: f, max: max, kind: kind, placeholder: "levy-file-" + strings.ToLower(nonce.Alnum(24))}
}
