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
// s (a host's Redis or SQL store; in memory by default).
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
// deliveries reach fn once (an in-memory store unless WithDedupStore or
// WithoutDedup). It logs through the verifier's WithLogger. Mount it on
// any path. An option's error is wrapped once, after
// "levy: notify.NewHandler: ".
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
