package evidence

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"path"
	"strings"
	"time"

	"github.com/bizapi-cn/go-sdk/internal/ssec"
)

// Retention is how long the provider keeps a session's files (since
// 2023-08-21): original files, parse results and custody certificates.
const Retention = 10 * 24 * time.Hour

// ErrLinkExpired is a 403 from COS: the presigned URL expired (5 minutes);
// pull the files again for fresh URLs.
var ErrLinkExpired = errors.New("evidence: download link expired: pull the files again")

// ErrBadFileKey is a 400 from COS: the SSE-C key or its MD5 is wrong.
var ErrBadFileKey = errors.New("evidence: COS refused the SSE-C key")

// File is one downloadable file: its presigned URL, the SSE-C key and the
// name the URL carries.
type File struct {
	URL  string
	Key  string // base64 SSE-C key (fileKey); empty when the bucket has no SSE-C
	Name string // the object name, e.g. "…_app-tax-income_income1.html"
	// Authorized is the session's authorization time; when set, Download
	// refuses a file past the retention without calling COS.
	Authorized time.Time
}

// Class classifies the file by its name (ClassifyFile).
func (f File) Class() FileClass { return ClassifyFile(f.Name) }

func fileList(urls []string, key string, authorized time.Time) []File {
	out := make([]File, 0, len(urls))
	for _, u := range urls {
		out = append(out, File{URL: u, Key: key, Name: FileName(u), Authorized: authorized})
	}
	return out
}

// FileName returns the object name of a presigned URL: the last path
// segment, unescaped, without the query. It is safe to use as a file name
// in a folder: never empty-but-for-dots, never with a separator of any
// platform ("" when the URL has no usable name).
func FileName(rawURL string) string {
	p, err := url.Parse(rawURL)
	if err != nil {
		return ""
	}
	name := path.Base(strings.ReplaceAll(p.Path, `\`, "/"))
	if name == "/" || name == "." || name == ".." || strings.ContainsRune(name, 0) {
		return ""
	}
	return name
}

// Open GETs a file's presigned URL with the SSE-C headers of its key and
// returns the body to stream; the caller closes it. It fails with
// ErrRetentionExpired before any request when the file is past Retention,
// ErrLinkExpired on 403 and ErrBadFileKey on 400.
func (c *Client) Open(ctx context.Context, f File) (io.ReadCloser, error) {
	if !f.Authorized.IsZero() && c.cfg.now().Sub(f.Authorized) > Retention {
		return nil, ErrRetentionExpired
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, f.URL, nil)
	if err != nil || req.URL.Host == "" {
		return nil, errors.New("evidence: download: bad URL")
	}
	if f.Key != "" {
		h, err := ssec.FromFileKey(f.Key)
		if err != nil {
			return nil, fmt.Errorf("evidence: %w", err)
		}
		h.Apply(req.Header)
	}
	req.Header.Set("User-Agent", c.cfg.ua)
	resp, err := c.http.GetClient().Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // the URL carries a signature: keep it out of errors
		}
		return nil, fmt.Errorf("evidence: download: %w", err)
	}
	switch {
	case resp.StatusCode == http.StatusOK:
		return resp.Body, nil
	case resp.StatusCode == http.StatusForbidden:
		err = ErrLinkExpired
	case resp.StatusCode == http.StatusBadRequest:
		err = ErrBadFileKey
	default:
		err = fmt.Errorf("evidence: download: HTTP %d", resp.StatusCode)
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 4<<10))
	resp.Body.Close()
	return nil, err
}

// Download streams a file into w (memory independent of its size) and
// returns the bytes written. A body shorter than its Content-Length is an
// error (io.ErrUnexpectedEOF), never a silent partial file.
func (c *Client) Download(ctx context.Context, f File, w io.Writer) (int64, error) {
	rc, err := c.Open(ctx, f)
	if err != nil {
		return 0, err
	}
	defer rc.Close()
	n, err := io.Copy(w, rc)
	if err != nil {
		return n, fmt.Errorf("evidence: download: %w", err)
	}
	return n, nil
}
