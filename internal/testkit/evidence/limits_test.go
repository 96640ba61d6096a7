package evidence_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/bizapi-cn/go-sdk/evidence"
	"github.com/bizapi-cn/go-sdk/internal/fault"
	"github.com/bizapi-cn/go-sdk/internal/transport"
)

// TestResponseSizeLimit: an endless answer is cut at the limit; a query is
// retried, a session start is reported as ErrOutcomeUnknown after one
// request.
func TestResponseSizeLimit(t *testing.T) {
	t.Parallel()
	v := docs(t)
	var calls atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "update-aes-key") {
			_, _ = io.WriteString(w, `{"errorCode":0,"data":{"aeskey":"`+v.AESKey.EncryptedB64+`"}}`)
			return
		}
		calls.Add(1)
		_, _ = io.Copy(w, io.LimitReader(fault.Endless{}, 64<<20))
	}))
	defer srv.Close()
	c := newClient(t, nil, evidence.WithHTTPClient(srv.Client()), evidence.WithBaseURL(srv.URL), evidence.WithMaxResponseBytes(64<<10), evidence.WithRetries(1))
	if _, err := c.GetStatus(context.Background(), &evidence.GetStatusRequest{DaID: "DA1"}); !errors.Is(err, transport.ErrBodyTooLarge) || calls.Load() != 2 {
		t.Errorf("status: %v after %d requests", err, calls.Load())
	}
	calls.Store(0)
	_, err := c.StartAcquisition(context.Background(), fill(&evidence.StartAcquisitionRequest{Site: "tax", BizNo: "B1", OpenID: "u"}))
	if !errors.Is(err, evidence.ErrOutcomeUnknown) || !errors.Is(err, transport.ErrBodyTooLarge) || calls.Load() != 1 {
		t.Errorf("start: %v after %d requests", err, calls.Load())
	}
}
