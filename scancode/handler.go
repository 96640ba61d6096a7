package scancode

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/bizapi-cn/go-sdk/internal/callback"
	"github.com/bizapi-cn/go-sdk/store"
)

// HandlerFunc handles one callback. Return nil only when the data is
// durably handled: the provider is told "ret 0" only then, and retries
// otherwise.
type HandlerFunc func(ctx context.Context, c *Callback) error

// DedupStore records handled callbacks so duplicate and concurrent
// deliveries reach the HandlerFunc once. Back it with your database or Redis
// in production; NewMemoryDedupStore is for one process.
type DedupStore = store.Dedup

// NewMemoryDedupStore returns an in-process DedupStore that remembers
// handled callbacks for retention (72 h when 0).
func NewMemoryDedupStore(retention time.Duration) DedupStore {
	var opts []store.MemoryOption
	if retention > 0 {
		opts = append(opts, store.WithRetention(retention))
	}
	s, _ := store.NewMemoryDedup(opts...) // cannot fail: every option is valid
	return s
}

// DefaultMaxBodyBytes bounds a callback body (1 MiB).
const DefaultMaxBodyBytes = 1 << 20

// HandlerOption configures NewHandler.
type HandlerOption func(*handler)

// WithMaxBodyBytes sets the body limit.
func WithMaxBodyBytes(n int64) HandlerOption { return func(h *handler) { h.maxBody = n } }

// WithDedupStore deduplicates deliveries by Callback.IdempotencyKey.
func WithDedupStore(s DedupStore) HandlerOption { return func(h *handler) { h.store = s } }

// WithLogger logs each callback's type, tId and outcome (never the payload).
func WithLogger(l *slog.Logger) HandlerOption { return func(h *handler) { h.log = l } }

type handler struct {
	maxBody int64
	store   DedupStore
	log     *slog.Logger
}

// NewHandler returns the http.Handler for the platform's
// receiveAppLogController/receiveScanData endpoint. It answers
// {"header":{"ret":"0","msg":"ok"},"data":null} only after fn returned nil
// (or the callback was already handled), and ret "1" with a short reason
// otherwise, so that the app server retries. Mount it on any path.
func NewHandler(d Decrypter, fn HandlerFunc, opts ...HandlerOption) http.Handler {
	h := &handler{maxBody: DefaultMaxBodyBytes}
	for _, o := range opts {
		o(h)
	}
	return &callback.Handler[*Callback]{
		Module: "scancode", MaxBytes: h.maxBody, Store: h.store, Log: h.log, Handle: fn,
		Parse: func(ctx context.Context, r *http.Request, body []byte) (*Callback, error) {
			return Parse(ctx, r.Header.Get("Content-Type"), body, d)
		},
		Key: (*Callback).IdempotencyKey,
		Attrs: func(c *Callback) []slog.Attr {
			return []slog.Attr{slog.String("type", string(c.Type)), slog.String("tId", c.EventID())}
		},
		Ack: func(w http.ResponseWriter) {
			w.Header().Set("Content-Type", "application/json;charset=UTF-8")
			_, _ = w.Write(ackBody)
		},
		Nack: nackFor,
	}
}

// Answers.
var (
	ackBody = []byte(`{"header":{"ret":"0","msg":"ok"},"data":null}`)
)

// nackFor answers ret "1" with a fixed reason: no payload, no key. A
// duplicate in flight or a failed handler is a 200 with ret "1" (the app
// server retries on ret); bad requests are 4xx.
func nackFor(w http.ResponseWriter, why callback.Reason, err error) {
	status, reason := http.StatusBadRequest, "malformed callback"
	switch why {
	case callback.MethodNotAllowed:
		status, reason = http.StatusMethodNotAllowed, "method not allowed"
	case callback.TooLarge:
		status, reason = http.StatusRequestEntityTooLarge, "body too large"
	case callback.Unreadable:
		reason = "unreadable body"
	case callback.Refused:
		if errors.Is(err, ErrDecrypt) {
			reason = "data does not decrypt"
		}
	case callback.InFlight:
		status, reason = http.StatusOK, "busy, retry"
	case callback.NotHandled:
		status, reason = http.StatusOK, "not handled"
	}
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, `{"header":{"ret":"1","msg":"`+reason+`"},"data":null}`)
}
