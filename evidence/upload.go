package evidence

import (
	"bytes"
	"context"
	"crypto/cipher"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strconv"

	"github.com/bizapi-cn/go-sdk/internal/crypt"
	"github.com/bizapi-cn/go-sdk/internal/sortedjson"
	"github.com/bizapi-cn/go-sdk/internal/transport"
	"github.com/bizapi-cn/go-sdk/internal/validate"
)

// ProtocolFile is one signed agreement PDF of an upload: either Content,
// or Open for a file that should not be held in memory.
type ProtocolFile struct {
	Name    string
	Content []byte // the plaintext PDF
	// Open returns the PDF. It is called twice per attempt: once to
	// compute DECSHASH, once to send; both reads must give the same bytes.
	Open func() (io.ReadCloser, error)
}

// ProtocolFileFromPath is a ProtocolFile read from disk when sent.
func ProtocolFileFromPath(name, path string) ProtocolFile {
	return ProtocolFile{Name: name, Open: func() (io.ReadCloser, error) { return os.Open(path) }}
}

func (f ProtocolFile) open() (io.ReadCloser, error) {
	if f.Open != nil {
		return f.Open()
	}
	return io.NopCloser(bytes.NewReader(f.Content)), nil
}

// UploadUserProtocol uploads the user's signed agreement PDFs for a site
// (the seed's "interface 3.4"), before the user finishes the session. The
// body is streamed: each file goes through base64, the field cipher and
// base64 again on its way to the wire, so memory does not grow with the
// file. It is never retried once sent: an ambiguous failure is
// ErrOutcomeUnknown (uploading the same agreement again is harmless).
//
// DECS API: /api/das/upload-user-protocol-x.
func (c *Client) UploadUserProtocol(ctx context.Context, idNo, site string, files []ProtocolFile) (bool, error) {
	var v validate.Collector
	v.Required("idNo", idNo)
	v.Required("site", site)
	if len(files) == 0 {
		v.Addf("files", "is required")
	}
	for i, f := range files {
		if f.Name == "" || len(f.Content) == 0 && f.Open == nil {
			v.Addf("files["+strconv.Itoa(i)+"]", "needs a name and content")
		} else if f.Open == nil && !bytes.HasPrefix(f.Content, []byte("%PDF")) {
			v.Addf("files["+strconv.Itoa(i)+"]", "is not a PDF")
		}
	}
	if !v.OK() {
		return false, &ValidationError{Fields: v.Problems()}
	}
	var out struct {
		Result bool `json:"result"`
	}
	err := c.withKey(ctx, func(key []byte) error {
		encID, err := c.encrypt(key, idNo)
		if err != nil {
			return err
		}
		block, err := c.block(key)
		if err != nil {
			return err
		}
		write := func(w io.Writer, nonce string) error {
			return c.writeUploadBody(w, nonce, encID, site, files, block)
		}
		return c.postStream(ctx, pathUpload, write, &out)
	})
	return out.Result, err
}

func (c *Client) block(key []byte) (cipher.Block, error) {
	if c.cfg.suite == SuiteSM {
		return crypt.NewSM4(key)
	}
	return crypt.NewAES(key)
}

// writeUploadBody writes exactly what Body would produce for the upload
// arg (sorted keys, compact), with each file's content streamed.
func (c *Client) writeUploadBody(w io.Writer, nonce, encID, site string, files []ProtocolFile, block cipher.Block) error {
	s := func(v string) []byte { return sortedjson.AppendString(nil, v) }
	var head []byte
	head = append(head, `{"arg":{"files":[`...)
	if _, err := w.Write(head); err != nil {
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
		tail := append([]byte(`","name":`), s(f.Name)...)
		if _, err := w.Write(append(tail, '}')); err != nil {
			return err
		}
	}
	var rest []byte
	rest = append(rest, `],"idNo":`...)
	rest = append(rest, s(encID)...)
	rest = append(rest, `,"site":`...)
	rest = append(rest, s(site)...)
	rest = append(rest, `},"auth":{"appId":`...)
	rest = append(rest, s(c.cfg.appID)...)
	rest = append(rest, `,"nonce":`...)
	rest = append(rest, s(nonce)...)
	rest = append(rest, `},"v":"1.0.0"}`...)
	_, err := w.Write(rest)
	return err
}

// encryptFile writes base64(cipher(base64(pdf))) of one file.
func encryptFile(w io.Writer, f ProtocolFile, block cipher.Block) error {
	src, err := f.open()
	if err != nil {
		return fmt.Errorf("evidence: agreement %s: %w", f.Name, err)
	}
	defer src.Close()
	outer := base64.NewEncoder(base64.StdEncoding, w)
	ecb := crypt.NewECBWriter(block, outer)
	inner := base64.NewEncoder(base64.StdEncoding, ecb)
	if _, err := io.Copy(inner, src); err != nil {
		return fmt.Errorf("evidence: agreement %s: %w", f.Name, err)
	}
	if err := inner.Close(); err != nil {
		return err
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
// DECSHASH and the length, the second streams the same bytes. Only a
// request that provably never left is retried.
func (c *Client) postStream(ctx context.Context, path string, write func(io.Writer, string) error, out any) error {
	ctx, cancel := transport.WithTimeout(ctx, c.cfg.timeout)
	defer cancel()
	for attempt := 1; ; attempt++ {
		nonce := c.cfg.nonce()
		h := c.mac.New()
		cw := &counter{w: h}
		if err := write(cw, nonce); err != nil {
			return err
		}
		h.Write([]byte(c.cfg.appKey))
		sum := h.Sum(nil)
		hash := make([]byte, hex.EncodedLen(len(sum)))
		hex.Encode(hash, sum)
		pr, pw := io.Pipe()
		go func() { pw.CloseWithError(write(pw, nonce)) }()
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.cfg.baseURL+path, pr)
		if err != nil {
			pr.Close()
			return fmt.Errorf("evidence: %s: %w", path, err)
		}
		req.ContentLength = cw.n
		req.Header.Set("Content-Type", "application/json;charset=UTF-8")
		req.Header.Set("DECSHASH", string(bytes.ToUpper(hash)))
		req.Header.Set("User-Agent", c.cfg.ua)
		resp, err := c.http.GetClient().Do(req)
		pr.Close()
		if err != nil {
			var ue *url.Error
			if errors.As(err, &ue) {
				err = ue.Err
			}
			err = fmt.Errorf("evidence: %s: %w", path, err)
			if !transport.NotSent(err) {
				return fmt.Errorf("%w: %w", ErrOutcomeUnknown, err)
			}
			if attempt > c.cfg.retries {
				return err
			}
			if err := transport.Sleep(ctx, transport.Backoff(attempt)); err != nil {
				return fmt.Errorf("evidence: %s: %w", path, err)
			}
			continue
		}
		status, err := c.answer(ctx, path, resp.StatusCode, resp.Body, out)
		if err != nil && (status == 0 || status >= 500) && !isAPIError(err) {
			return fmt.Errorf("%w: %w", ErrOutcomeUnknown, err)
		}
		return err
	}
}

func isAPIError(err error) bool {
	var ae *APIError
	return errors.As(err, &ae)
}
