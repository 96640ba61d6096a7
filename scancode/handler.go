package scancode

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/bizapi-cn/go-sdk/internal/dedup"
	"github.com/bizapi-cn/go-sdk/internal/transport"
)

// HandlerFunc handles one callback. Return nil only when the data is
// durably handled: the provider is told "ret 0" only then, and retries
// otherwise.
type HandlerFunc func(ctx context.Context, c *Callback) error

// DedupStore records handled callbacks so duplicate and concurrent
// deliveries reach the HandlerFunc once. Back it with your database or Redis
// in production; NewMemoryDedupStore is for one process.
type DedupStore = dedup.Store

// NewMemoryDedupStore returns an in-process DedupStore that remembers
// handled callbacks for retention (72 h when 0).
func NewMemoryDedupStore(retention time.Duration) DedupStore {
	return dedup.NewMemory(retention, 0, nil)
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
	dec     Decrypter
	fn      HandlerFunc
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
	h := &handler{dec: d, fn: fn, maxBody: DefaultMaxBodyBytes}
	for _, o := range opts {
		o(h)
	}
	if h.log == nil {
		h.log = slog.New(slog.DiscardHandler)
	}
	return h
}

// Answers.
var (
	ackBody = []byte(`{"header":{"ret":"0","msg":"ok"},"data":null}`)
)

func nack(w http.ResponseWriter, status int, reason string) {
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	w.WriteHeader(status)
	// reason is always one of the fixed strings below: no payload, no key.
	_, _ = io.WriteString(w, `{"header":{"ret":"1","msg":"`+reason+`"},"data":null}`)
}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		nack(w, http.StatusMethodNotAllowed, "method not allowed")
		return
	}
	body, err := transport.ReadAll(r.Body, h.maxBody)
	if err != nil {
		if errors.Is(err, transport.ErrBodyTooLarge) {
			nack(w, http.StatusRequestEntityTooLarge, "body too large")
			return
		}
		nack(w, http.StatusBadRequest, "unreadable body")
		return
	}
	ctx := r.Context()
	c, err := Parse(ctx, r.Header.Get("Content-Type"), body, h.dec)
	if err != nil {
		reason := "malformed callback"
		if errors.Is(err, ErrDecrypt) {
			reason = "data does not decrypt"
		}
		h.log.LogAttrs(ctx, slog.LevelWarn, "scancode: callback refused", slog.String("reason", reason))
		nack(w, http.StatusBadRequest, reason)
		return
	}
	handled, err := dedup.Run(ctx, h.store, c.IdempotencyKey(), func(ctx context.Context) error { return h.fn(ctx, c) })
	attrs := []slog.Attr{slog.String("type", string(c.Type)), slog.String("tId", c.EventID())}
	switch {
	case errors.Is(err, dedup.ErrInFlight):
		h.log.LogAttrs(ctx, slog.LevelInfo, "scancode: duplicate in flight, not acknowledged", attrs...)
		nack(w, http.StatusOK, "busy, retry")
		return
	case err != nil:
		h.log.LogAttrs(ctx, slog.LevelWarn, "scancode: handler failed, not acknowledged", append(attrs, slog.String("error", err.Error()))...)
		nack(w, http.StatusOK, "not handled")
		return
	}
	h.log.LogAttrs(ctx, slog.LevelInfo, "scancode: callback acknowledged", append(attrs, slog.Bool("duplicate", !handled))...)
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	_, _ = w.Write(ackBody)
}
