package evidence

import (
	"bytes"
	"context"
	"crypto/cipher"
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"

	"github.com/bizapi-cn/go-sdk/internal/crypt"
	"github.com/bizapi-cn/go-sdk/internal/sign"
	"github.com/bizapi-cn/go-sdk/internal/sortedjson"
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

// writeUploadBody writes exactly what Body would produce for the upload
// arg (sorted keys, compact), with each file's content streamed.
func (c *Client) writeUploadBody(w io.Writer, nonce, encID, site string, files []ProtocolFile, block cipher.Block) error {
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
// DECSHASH and the length, the second streams the same bytes. Retries
// follow exchange (the upload changes state: only a request that provably
// never left is sent again).
func (c *Client) postStream(ctx context.Context, path string, write func(io.Writer, string) error, out any) error {
	return c.exchange(ctx, path, func(ctx context.Context) (*http.Request, error) {
		nonce := c.cfg.nonce()
		h := c.mac.New()
		cw := &counter{w: h}
		if err := write(cw, nonce); err != nil {
			return nil, err
		}
		h.Write([]byte(c.cfg.appKey))
		pr, pw := io.Pipe()
		req, err := c.newRequest(ctx, path, pr, string(sign.AppendUpperHex(nil, h.Sum(nil))))
		if err != nil {
			return nil, err
		}
		req.ContentLength = cw.n
		// The transport closes the body when the exchange ends, whatever
		// happens: that ends this writer too.
		go func() { pw.CloseWithError(write(pw, nonce)) }()
		return req, nil
	}, out)
}
