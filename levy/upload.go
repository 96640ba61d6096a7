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
	"os"
	"strings"

	"github.com/bizapi-cn/go-sdk/internal/nonce"
)

// File is a file to upload: a path, or a reader with its size. It is read
// once, as the request is sent, and never held in memory whole.
type File struct {
	Path   string    // read from this path when set
	Reader io.Reader // otherwise read from here
	Size   int64     // the reader's size in bytes; 0 = unknown (checked while streaming)
}

// FileFromPath returns a File read from path.
func FileFromPath(path string) File { return File{Path: path} }

// FileFromReader returns a File read from r, of size bytes (0 if unknown).
func FileFromReader(r io.Reader, size int64) File { return File{Reader: r, Size: size} }

func (f File) empty() bool { return f.Path == "" && f.Reader == nil }

// size returns the known size (stat for a path).
func (f File) size() (int64, error) {
	if f.Path != "" {
		st, err := os.Stat(f.Path)
		if err != nil {
			return 0, fmt.Errorf("levy: file: %w", err)
		}
		return st.Size(), nil
	}
	return f.Size, nil
}

func (f File) open() (io.ReadCloser, error) {
	if f.Path != "" {
		r, err := os.Open(f.Path)
		if err != nil {
			return nil, fmt.Errorf("levy: file: %w", err)
		}
		return r, nil
	}
	if f.Reader == nil {
		return nil, errors.New("levy: file: no path and no reader")
	}
	return io.NopCloser(f.Reader), nil
}

// ErrFileTooLarge reports a file longer than the interface allows, found
// while streaming a reader of unknown size (the request is aborted).
var ErrFileTooLarge = errors.New("levy: file exceeds the size limit")

// ErrFileType reports a file whose content is not of an accepted type.
var ErrFileType = errors.New("levy: file content is not of an accepted type")

// Size limits of the spec.
const (
	MaxAgreementBytes = 10 << 20 // UPLOAD_TAXPAYER_AGREEMENT, ADD_BANK_VOUCHER: PDF ≤ 10 MB
	MaxIDImageBytes   = 1 << 20  // UPLOAD_ID_CARD_IMAGE: each image ≤ 1 MB
	MaxVideoBytes     = 15 << 20 // UPLOAD_FACEID_VIDEO_FRAME: video ≤ 15 MB
	MaxFrameBytes     = 5 << 20  // UPLOAD_FACEID_VIDEO_FRAME: frame ≤ 5 MB
)

// filePart is one file spliced into the req JSON in place of placeholder.
type filePart struct {
	field       string
	file        File
	max         int64
	kind        func(head []byte) bool // accepted content, by its first bytes
	placeholder string
}

func isPDF(h []byte) bool  { return bytes.HasPrefix(h, []byte("%PDF-")) }
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
	n, err := p.file.size()
	if err != nil {
		return err
	}
	if n > p.max {
		return fmt.Errorf("%w: %s is %d bytes, at most %d allowed", ErrFileTooLarge, p.field, n, p.max)
	}
	return nil
}

// upload sends data with the file parts streamed into it. data's file
// fields must hold the parts' placeholders.
func (c *Client) upload(ctx context.Context, name string, data any, parts []*filePart, out any) error {
	replayable := true
	for _, p := range parts {
		if err := p.checkSize(); err != nil {
			return err
		}
		replayable = replayable && p.file.Path != ""
	}
	first := true
	return c.exchange(ctx, name, out, func(ctx context.Context) (io.Reader, error) {
		if !first && !replayable {
			return nil, errors.New("levy: cannot resend a streamed file")
		}
		first = false
		return c.streamBody(ctx, name, data, parts)
	}, replayable)
}

// streamBody returns the form body "req=<JSON with files>&sign=<HMAC>"
// produced by a goroutine as it is read: each file is base64-encoded on the
// fly into both the HMAC and the URL-escaped form.
func (c *Client) streamBody(ctx context.Context, name string, data any, parts []*filePart) (io.Reader, error) {
	env, err := marshal(envelope{Name: name, ClientKey: c.cfg.clientKey, Timestamp: c.cfg.now().In(cst).Format(TimestampLayout), Data: data})
	if err != nil {
		return nil, fmt.Errorf("levy: encode %s: %w", name, err)
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
	var h hash.Hash
	if c.mac != nil && c.cfg.signer == Signer(c.mac) {
		h = c.mac.New()
	}
	pr, pw := io.Pipe()
	go func() {
		w := bufio.NewWriterSize(pw, 32<<10)
		esc := &formEscaper{w: w}
		var signed bytes.Buffer // only with a custom Signer, which needs the whole message
		var sink io.Writer = esc
		if h != nil {
			sink = io.MultiWriter(h, esc)
		} else {
			sink = io.MultiWriter(&signed, esc)
		}
		err := func() error {
			if _, err := w.WriteString("req="); err != nil {
				return err
			}
			for _, s := range segs {
				if _, err := sink.Write(s.text); err != nil {
					return err
				}
				if s.part != nil {
					if err := streamFile(sink, s.part); err != nil {
						return err
					}
				}
			}
			var sig []byte
			if h != nil {
				sig = h.Sum(nil)
			} else {
				var err error
				if sig, err = c.cfg.signer.Sign(ctx, signed.Bytes()); err != nil {
					return fmt.Errorf("levy: sign %s: %w", name, err)
				}
			}
			if _, err := w.WriteString("&sign="); err != nil {
				return err
			}
			if _, err := esc.Write([]byte(base64.StdEncoding.EncodeToString(sig))); err != nil {
				return err
			}
			return w.Flush()
		}()
		pw.CloseWithError(err)
	}()
	return pr, nil
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
	head, _ := br.Peek(16)
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
		case 'a' <= b && b <= 'z', 'A' <= b && b <= 'Z', '0' <= b && b <= '9', b == '-', b == '_', b == '.', b == '~':
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
