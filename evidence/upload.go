package evidence

import (
	"bytes"
	"context"
	"crypto/cipher"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/bizapi-cn/go-sdk/internal/crypt"
	"github.com/bizapi-cn/go-sdk/internal/sign"
	"github.com/bizapi-cn/go-sdk/internal/sortedjson"
	"github.com/bizapi-cn/go-sdk/internal/transport"
	"github.com/bizapi-cn/go-sdk/internal/validate"
)

// File is a file to upload. Open is called once per pass over the body
// (twice per attempt: once for DECSHASH, once to send), and every call
// must give the same bytes.
type File struct {
	Name string
	Size int64 // bytes; -1 when unknown
	Open func() (io.ReadCloser, error)
}

// FileFromPath is a File read from disk when sent, named after the path's
// last element.
func FileFromPath(path string) (File, error) {
	st, err := os.Stat(path)
	if err != nil {
		return File{}, fmt.Errorf("evidence: FileFromPath: %w", err)
	}
	if !st.Mode().IsRegular() {
		return File{}, errors.New("evidence: FileFromPath: not a regular file")
	}
	return File{Name: filepath.Base(path), Size: st.Size(), Open: func() (io.ReadCloser, error) { return os.Open(path) }}, nil
}

// FileFromBytes is a File held in memory.
func FileFromBytes(name string, b []byte) File {
	return File{Name: name, Size: int64(len(b)), Open: func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(b)), nil }}
}

// UploadUserProtocolRequest is upload-user-protocol-x: the user's signed
// agreement PDFs for a site. IDNo is plaintext here; the client encrypts
// it.
type UploadUserProtocolRequest struct {
	IDNo  string
	Site  Site
	Files []File
}

// UploadUserProtocolResponse is upload-user-protocol-x's answer.
type UploadUserProtocolResponse struct {
	Result   bool
	Metadata Metadata
}

// Validate reports every bad field.
func (r *UploadUserProtocolRequest) Validate() error {
	var v validate.Collector
	v.Required("idNo", r.IDNo)
	if v.Required("site", string(r.Site)) {
		v.MaxRunes("site", string(r.Site), 32)
	}
	if len(r.Files) == 0 {
		v.Addf("files", "is required")
	}
	for i, f := range r.Files {
		if f.Name == "" || f.Open == nil {
			v.Addf("files["+itoa(i)+"]", "needs a name and Open")
		}
	}
	return validationError(OperationUploadUserProtocol, v)
}

// UploadUserProtocol uploads the user's signed agreement PDFs for a site,
// before the user finishes the session: the docs make notifications
// depend on it (see the package doc on its status in the zh docs). Each
// file's raw bytes go through the field cipher and base64 on their way to
// the wire, so memory does not grow with the file. It is never repeated
// once it may have arrived: an ambiguous failure is an
// *OutcomeUnknownError keyed by the site; uploading the same agreement
// again is harmless, and is the reconciling step.
//
// DECS API: /api/das/upload-user-protocol-x.
func (c *Client) UploadUserProtocol(ctx context.Context, r *UploadUserProtocolRequest) (*UploadUserProtocolResponse, error) {
	if r == nil {
		return nil, &ValidationError{Operation: OperationUploadUserProtocol, Fields: []FieldError{{Field: "request", Message: "is required"}}}
	}
	if err := r.Validate(); err != nil {
		return nil, err
	}
	var out struct {
		Result *bool `json:"result"`
	}
	var md Metadata
	err := c.withKey(ctx, func(key []byte) error {
		encID, err := c.encrypt(key, r.IDNo)
		if err != nil {
			return err
		}
		block, err := c.block(key)
		if err != nil {
			return err
		}
		write := func(w io.Writer, nonce string) error {
			return c.writeUploadBody(w, nonce, encID, string(r.Site), r.Files, block)
		}
		md, err = c.postStream(ctx, OperationUploadUserProtocol, string(r.Site), write, &out)
		if err == nil && out.Result == nil {
			err = &OutcomeUnknownError{Operation: OperationUploadUserProtocol, Key: string(r.Site),
				Err: fmt.Errorf("evidence: %s: %w: no result", OperationUploadUserProtocol, ErrMalformedResponse)}
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return &UploadUserProtocolResponse{Result: *out.Result, Metadata: md}, nil
}

// writeUploadBody writes exactly what body would produce for the upload
// arg (sorted keys, compact), with each file's content streamed.
func (c *Client) writeUploadBody(w io.Writer, nonce, encID, site string, files []File, block cipher.Block) error {
	if _, err := io.WriteString(w, `{"arg":{"files":[`); err != nil {
		return err
	}
	for i, f := range files {
		sep := `{"content":"`
		if i > 0 {
			sep = `,` + sep
		}
		if _, err := io.WriteString(w, sep); err != nil {
			return err
		}
		if err := encryptFile(w, f, block); err != nil {
			return err
		}
		tail := sortedjson.AppendString([]byte(`","name":`), f.Name)
		if _, err := w.Write(append(tail, '}')); err != nil {
			return err
		}
	}
	rest := sortedjson.AppendString([]byte(`],"idNo":`), encID)
	rest = append(rest, `,"site":`...)
	rest = sortedjson.AppendString(rest, site)
	rest = append(rest, '}')
	_, err := w.Write(c.appendEnvelopeTail(rest, nonce))
	return err
}

// encryptFile writes base64(cipher(file bytes)) of one file, as the docs'
// sample does (encrypt the file stream, then base64).
func encryptFile(w io.Writer, f File, block cipher.Block) error {
	src, err := f.Open()
	if err != nil {
		return fmt.Errorf("evidence: agreement %s: %w", f.Name, err)
	}
	defer src.Close()
	outer := base64.NewEncoder(base64.StdEncoding, w)
	ecb := crypt.NewECBWriter(block, outer)
	if _, err := io.Copy(ecb, src); err != nil {
		return fmt.Errorf("evidence: agreement %s: %w", f.Name, err)
	}
	if err := ecb.Close(); err != nil {
		return err
	}
	return outer.Close()
}

type counter struct {
	w io.Writer
	n int64
}

func (c *counter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// postStream sends a body produced by write twice: a first pass computes
// DECSHASH and the length, the second streams the same bytes. Retries
// follow exchange (the upload changes state: only a request that provably
// never left is sent again).
func (c *Client) postStream(ctx context.Context, path, key string, write func(io.Writer, string) error, out any) (Metadata, error) {
	return c.exchange(ctx, path, key, func(context.Context) (transport.Request, error) {
		nonce, err := c.newNonce()
		if err != nil {
			return transport.Request{}, err
		}
		h := c.mac.New()
		cw := &counter{w: h}
		if err := write(cw, nonce); err != nil {
			return transport.Request{}, err
		}
		h.Write([]byte(c.cfg.AppKey))
		pr, pw := io.Pipe()
		// transport.Send streams pr (never through resty, which would
		// read it whole) and closes it when the exchange ends, whatever
		// happens: that ends this writer too.
		go func() {
			err := write(pw, nonce)
			if err != nil {
				err = &streamError{err}
			}
			pw.CloseWithError(err)
		}()
		hash := string(sign.AppendUpperHex(nil, h.Sum(nil)))
		c.mac.Release(h)
		return c.newRequest(path, pr, cw.n, hash), nil
	}, out)
}

// streamError is a failure of the body's second pass (a file that no
// longer reads): the body sent is cut short of its Content-Length, and of
// the bytes its DECSHASH covers, so DECS never had the whole request and
// cannot have acted on it. exchange returns it as never sent.
type streamError struct{ err error }

func (e *streamError) Error() string { return "reading the upload: " + e.err.Error() }
func (e *streamError) Unwrap() error { return e.err }
