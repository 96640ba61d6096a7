package evidence_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/bizapi-cn/go-sdk/evidence"
)

// TestRequestHeaders: a DECS call carries the same headers whether resty
// or the client sets them: Content-Type and Accept application/json (resty
// added the Accept itself before the client set it), DECSHASH and the
// SDK's User-Agent.
func TestRequestHeaders(t *testing.T) {
	t.Parallel()
	var got atomic.Pointer[http.Header]
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := r.Header.Clone()
		got.Store(&h)
		_, _ = io.WriteString(w, `{"errorCode":0,"data":{"daId":"DA1","daStatus":10}}`)
	}))
	defer srv.Close()
	c := newClient(t, nil, evidence.WithHTTPClient(srv.Client()), evidence.WithBaseURL(srv.URL))
	if _, err := c.GetStatus(context.Background(), &evidence.GetStatusRequest{DaID: "DA1"}); err != nil {
		t.Fatal(err)
	}
	h := *got.Load()
	if h.Get("Content-Type") != "application/json" || len(h.Values("Accept")) != 1 || h.Get("Accept") != "application/json" || len(h.Get("Decshash")) != 64 || h.Get("User-Agent") == "" {
		t.Errorf("request headers: %v", h)
	}
}
