package evidence

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/bizapi-cn/go-sdk/internal/ssec"
)

// ErrLinkExpired is a 403 from COS: the presigned URL expired (5 minutes);
// pull the files again for fresh URLs.
var ErrLinkExpired = errors.New("evidence: download link expired: pull the files again")

// ErrBadFileKey is a 400 from COS: the SSE-C key or its MD5 is wrong.
var ErrBadFileKey = errors.New("evidence: COS refused the SSE-C key")

// Open GETs a presigned file URL with the SSE-C headers of fileKey and
// returns the body to stream; the caller closes it.
func (c *Client) Open(ctx context.Context, fileURL, fileKey string) (io.ReadCloser, error) {
	h, err := ssec.FromFileKey(fileKey)
	if err != nil {
		return nil, fmt.Errorf("evidence: %w", err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, fileURL, nil)
	if err != nil {
		return nil, fmt.Errorf("evidence: download: bad URL")
	}
	h.Apply(req.Header)
	resp, err := c.http.GetClient().Do(req)
	if err != nil {
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
	resp.Body.Close()
	return nil, err
}

// Download streams a file into w (memory independent of its size) and
// returns the bytes written.
func (c *Client) Download(ctx context.Context, fileURL, fileKey string, w io.Writer) (int64, error) {
	rc, err := c.Open(ctx, fileURL, fileKey)
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
