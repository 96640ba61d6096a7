package levy_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/bizapi-cn/go-sdk/internal/fault"
	"github.com/bizapi-cn/go-sdk/internal/transport"
	"github.com/bizapi-cn/go-sdk/levy"
)

// TestResponseSizeLimit: an answer that never ends is cut at the limit;
// a query is retried and gives up, an order creation is not retried and
// is reported as ErrOutcomeUnknown.
func TestResponseSizeLimit(t *testing.T) {
	t.Parallel()
	var calls atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.Copy(w, io.LimitReader(fault.Endless{}, 64<<20))
	}))
	defer srv.Close()
	c, err := levy.NewClient(levy.WithCredentials(vectorKey, vectorSecret), levy.WithBaseURL(srv.URL), levy.WithMaxResponseBytes(64<<10), levy.WithRetries(1))
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.QueryOrder(context.Background(), &levy.QueryOrderRequest{RequestID: "R1"})
	if !errors.Is(err, transport.ErrBodyTooLarge) || calls.Load() != 2 {
		t.Errorf("query: %v after %d requests; want ErrBodyTooLarge after 2", err, calls.Load())
	}
	calls.Store(0)
	_, err = c.CreateOrder(context.Background(), orderRequest("R-big"))
	if !errors.Is(err, transport.ErrBodyTooLarge) || !errors.Is(err, levy.ErrOutcomeUnknown) || calls.Load() != 1 {
		t.Errorf("create: %v after %d requests; want ErrOutcomeUnknown wrapping ErrBodyTooLarge after 1", err, calls.Load())
	}
}
