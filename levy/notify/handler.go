package notify

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/bizapi-cn/go-sdk/internal/callback"
	"github.com/bizapi-cn/go-sdk/store"
)

// DefaultMaxBodyBytes bounds a notification's body unless
// WithMaxBodyBytes says otherwise. The spec's notifications are a few
// hundred bytes (a CREATE_ORDER_V2 notification with a long remit order
// list stays under 16 KiB); 64 KiB leaves room and refuses junk early.
const DefaultMaxBodyBytes = 64 << 10

// NotificationFunc handles one verified notification. Return nil only once it is
// durably handled: only then does the provider hear SUCCESS.
type NotificationFunc func(ctx context.Context, n *Notification) error

// HandlerOption configures NewHandler.
type HandlerOption func(*handlerOptions) error

type handlerOptions = callback.Options

// WithDedupStore deduplicates deliveries by Notification.IdempotencyKey in
// s (a host's Redis or SQL store; in memory by default). A claim in s
// lasts s's lease: see NewHandler for what that means for a slow
// NotificationFunc.
func WithDedupStore(s store.Dedup) HandlerOption {
	return func(o *handlerOptions) error { return o.SetDedupStore(s) }
}

// WithoutDedup hands every delivery, duplicates included, to the host.
func WithoutDedup() HandlerOption { return func(o *handlerOptions) error { return o.SetNoDedup() } }

// WithMaxBodyBytes sets the body limit (DefaultMaxBodyBytes).
func WithMaxBodyBytes(n int64) HandlerOption {
	return func(o *handlerOptions) error { return o.SetMaxBytes(n) }
}

// WithReadTimeout bounds reading the body, from inside the handler (10 s
// by default), whatever the host's http.Server allows.
func WithReadTimeout(d time.Duration) HandlerOption {
	return func(o *handlerOptions) error { return o.SetReadTimeout(d) }
}

// NewHandler returns an http.Handler for the notification URL
// registered with the provider. It answers SUCCESS only after fn returned
// nil (or the notification was already handled); otherwise FAIL with a
// non-2xx status, and the provider retries. Duplicate and concurrent
// deliveries of the same bytes reach fn once (an in-memory store unless
// WithDedupStore or WithoutDedup), within two limits:
//
//   - The key is Notification.IdempotencyKey, a hash of the exact verified
//     req. A redelivery the provider serialises anew (another member
//     order, other spacing, an id as a number where it was a string) is a
//     new notification to the store and reaches fn again. For effects
//     applied exactly once, key the host's own writes on the
//     notification's business ids (CREATE_ORDER_V2: request_id and
//     status; CLOSE_ORDER_NOTICE: request_id, tax_agent_location_id and
//     remit_status; SIGN_UP: id_card and status; SYNC_SIGN and the
//     uploads: request_id or requestId, and status), for example by a
//     unique constraint in the transaction that records the effect
//     (written so that it cannot fail: see sqlstore.TxDedup).
//   - A claim lasts the store's lease (store.DefaultLease, 5 minutes, for
//     the in-memory default; redisstore's and sqlstore's defaults are the
//     same). An fn still running when the lease runs out can run again, in
//     parallel, for a redelivery. fn must finish within the lease (give
//     its work a deadline shorter than it), or the handler needs a store
//     with a longer lease through WithDedupStore:
//     store.NewMemoryDedup(store.WithLease(d)), redisstore.WithLease or
//     sqlstore.WithLease; sqlstore.TxDedup holds a row lock for as long as
//     fn runs instead of a lease.
//
// It logs through the verifier's WithLogger. Mount it on any path. An
// option's error is wrapped once, after "levy: notify.NewHandler: ".
func NewHandler(v *Verifier, fn NotificationFunc, opts ...HandlerOption) (http.Handler, error) {
	if !v.made() || fn == nil {
		return nil, errors.New("levy: notify.NewHandler: nil function, or a verifier not made by notify.NewVerifier")
	}
	var o handlerOptions
	fs := make([]func(*callback.Options) error, len(opts))
	for i, opt := range opts {
		fs[i] = opt
	}
	if err := o.Apply(DefaultMaxBodyBytes, fs); err != nil {
		return nil, fmt.Errorf("levy: notify.NewHandler: %w", err)
	}
	ack, nack := callback.TextAnswers("SUCCESS", "FAIL")
	return &callback.Handler[*Notification]{
		Module: "levy", MaxBytes: o.MaxBytes, ReadTimeout: o.ReadTimeout, Store: o.Store, Log: v.log, Handle: fn,
		Parse: func(ctx context.Context, r *http.Request, body []byte) (*Notification, error) {
			return Parse(ctx, v, r.Header, body)
		},
		Key: (*Notification).IdempotencyKey,
		Attrs: func(n *Notification) []slog.Attr {
			return []slog.Attr{slog.String("name", string(n.Operation)), slog.String("key", n.dedupKey)}
		},
		Ack:  ack,
		Nack: nack,
	}, nil
}
