package evidence

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"slices"
	"time"

	"github.com/bizapi-cn/go-sdk/evidence/notify"
	"github.com/bizapi-cn/go-sdk/internal/bodylimit"
	"github.com/bizapi-cn/go-sdk/internal/ssec"
	"github.com/bizapi-cn/go-sdk/internal/transport"
	"github.com/go-resty/resty/v2"
)

// Retention is how long the provider keeps a session's files (since
// 2023-08-21): original files, parse results and custody certificates.
const Retention = 10 * 24 * time.Hour

// ErrLinkExpired is a 403 from COS: the presigned URL expired (5 minutes);
// pull the files again for fresh URLs.
var ErrLinkExpired = errors.New("evidence: download link expired: pull the files again")

// ErrBadFileKey is a 400 from COS: it refused the SSE-C headers (a wrong
// key or MD5, or header names the URL did not sign). The zh docs: "若出现400
// 错误，请联系我们" (a 400: contact the operator); pulling again does not help.
var ErrBadFileKey = errors.New("evidence: COS refused the SSE-C headers (400)")

// RemoteFile is notify.RemoteFile; see there.
type RemoteFile = notify.RemoteFile

// FileName is notify.FileName; see there.
func FileName(rawURL string) string { return notify.FileName(rawURL) }

// fileList is the files of a pull answer: one per URL, under one fileKey.
func fileList(urls []string, key string, authorized time.Time) []RemoteFile {
	out := make([]RemoteFile, 0, len(urls))
	for _, u := range urls {
		out = append(out, RemoteFile{URL: u, FileKey: key, Name: FileName(u), Authorized: authorized})
	}
	return out
}

// ErrInsecureDownload reports a file with an SSE-C key whose URL is not
// https: the key would cross the network in clear. (Loopback hosts are
// allowed, for tests.)
var ErrInsecureDownload = errors.New("evidence: download: refusing to send an SSE-C key over plain HTTP")

// Open GETs a file's presigned URL with the SSE-C headers of its key and
// returns the body to stream; the caller closes it. The header names
// follow the URL's signed-header list, read from the top-level query or
// from inside the sign parameter the docs' COS URLs carry (x-cos- or
// x-amz-; x-cos- for a COS signature that names neither, x-amz- for a URL
// without one); a signature that cannot say is refused before anything
// is sent. A request carrying a key never follows a redirect, whatever
// the client's policy (see the package doc, "Files"): a 3xx is an error.
// It fails with ErrRetentionExpired before any request when the file is
// past Retention, ErrLinkExpired on 403 and ErrBadFileKey on 400; the
// answer's headers must come within the client's timeout (WithTimeout).
func (c *Client) Open(ctx context.Context, f RemoteFile) (io.ReadCloser, error) {
	if !f.Authorized.IsZero() && c.cfg.now().Sub(f.Authorized) > Retention {
		return nil, ErrRetentionExpired
	}
	ctx, cancel := context.WithCancel(ctx)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, f.URL, nil)
	if err != nil || req.URL.Host == "" || (req.URL.Scheme != "https" && req.URL.Scheme != "http") {
		cancel()
		return nil, errors.New("evidence: download: bad URL")
	}
	rc := c.http
	if f.FileKey != "" {
		if req.URL.Scheme != "https" && !loopback(req.URL.Hostname()) {
			cancel()
			return nil, ErrInsecureDownload
		}
		h, err := ssec.FromFileKey(f.FileKey)
		if err != nil {
			cancel()
			return nil, fmt.Errorf("evidence: download: %w", err)
		}
		prefix, err := ssec.SignedPrefix(f.URL)
		if err != nil {
			cancel()
			return nil, fmt.Errorf("evidence: download: %w", err)
		}
		h.ApplyPrefix(req.Header, prefix)
		rc = c.keyClient(req.Header)
	}
	req.Header.Set("User-Agent", c.cfg.ua)
	headers := time.AfterFunc(c.cfg.timeout, cancel)
	resp, err := transport.Send(ctx, rc, transport.Request{Method: http.MethodGet, URL: f.URL, Header: req.Header})
	stopped := headers.Stop()
	if err != nil {
		cancel()
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // the URL carries a signature: keep it out of errors
		}
		if !stopped {
			err = fmt.Errorf("no answer headers within %v: %w", c.cfg.timeout, err)
		}
		return nil, fmt.Errorf("evidence: download: %w", err)
	}
	switch {
	case resp.StatusCode == http.StatusOK && c.cfg.maxDownload > 0 && resp.ContentLength > c.cfg.maxDownload:
		err = ErrDownloadTooLarge
	case resp.StatusCode == http.StatusOK:
		b := &cancelBody{ReadCloser: resp.Body, r: resp.Body, cancel: cancel}
		if c.cfg.maxDownload > 0 {
			b.r = bodylimit.Reader(resp.Body, c.cfg.maxDownload)
		}
		return b, nil
	case resp.StatusCode == http.StatusForbidden:
		err = ErrLinkExpired
	case resp.StatusCode == http.StatusBadRequest:
		err = ErrBadFileKey
	case resp.StatusCode/100 == 3:
		err = fmt.Errorf("evidence: download: HTTP %d: redirect not followed", resp.StatusCode)
	default:
		err = fmt.Errorf("evidence: download: HTTP %d", resp.StatusCode)
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 4<<10))
	resp.Body.Close()
	cancel()
	return nil, err
}

// keyClient is what a request carrying an SSE-C key goes through: the
// client's own, which never follows a redirect, or, with WithRestyClient,
// a resty client over a copy of the host's *http.Client (its Transport
// and connection pool, cookie jar and timeout) that never follows one
// either. net/http copies every custom header to a redirect's target,
// over plain http and to any host, so the host's policy must not apply:
// the key goes to the presigned URL's host alone. The host's client
// headers are added to header (the SDK's own win), as resty would; its
// middlewares and hooks do not run, as for uploads (transport.Send's
// stream path).
func (c *Client) keyClient(header http.Header) *resty.Client {
	if c.cfg.net.Resty == nil {
		return c.http // transport.NewResty's: redirects are never followed
	}
	for k, v := range c.http.Header {
		if _, ok := header[k]; !ok {
			header[k] = slices.Clone(v)
		}
	}
	return transport.NewResty(c.http.GetClient())
}

// ErrDownloadTooLarge reports a file over WithMaxDownloadBytes.
var ErrDownloadTooLarge = errors.New("evidence: download: file over the size limit")

type cancelBody struct {
	io.ReadCloser
	r      io.Reader // the body, through WithMaxDownloadBytes' limit when set
	cancel context.CancelFunc
}

func (b *cancelBody) Read(p []byte) (int, error) {
	n, err := b.r.Read(p)
	if errors.Is(err, bodylimit.ErrTooLarge) {
		err = ErrDownloadTooLarge
	}
	return n, err
}

func (b *cancelBody) Close() error {
	err := b.ReadCloser.Close()
	b.cancel()
	return err
}

func loopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Download streams a file into w (memory independent of its size) and
// returns the bytes written. A body shorter than its Content-Length is an
// error (io.ErrUnexpectedEOF), never a silent partial file.
func (c *Client) Download(ctx context.Context, f RemoteFile, w io.Writer) (int64, error) {
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
