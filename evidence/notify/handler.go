package notify

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"time"

	"github.com/bizapi-cn/go-sdk/internal/callback"
	"github.com/bizapi-cn/go-sdk/store"
)

// NotificationFunc handles one verified notification; return nil only
// once it is durably handled. The operator resends when the answer is
// slow: enqueue durably and return (see the package doc).
type NotificationFunc func(ctx context.Context, n *Notification) error

// HandlerOption configures NewHandler.
type HandlerOption func(*handlerOptions) error

type handlerOptions = callback.Options

// WithDedupStore records handled notifications in s (in memory by
// default), so that a redelivery is acknowledged without calling the
// host's function again. Give all processes one shared store.
func WithDedupStore(s store.Dedup) HandlerOption {
	return func(o *handlerOptions) error { return o.SetDedupStore(s) }
}

// WithoutDedup hands every delivery to the host's function.
func WithoutDedup() HandlerOption { return func(o *handlerOptions) error { return o.SetNoDedup() } }

// WithMaxBodyBytes sets the notification body limit (DefaultMaxBodyBytes).
func WithMaxBodyBytes(n int64) HandlerOption {
	return func(o *handlerOptions) error { return o.SetMaxBytes(n) }
}

// WithReadTimeout bounds the time spent reading a body (10 s by default).
func WithReadTimeout(d time.Duration) HandlerOption {
	return func(o *handlerOptions) error { return o.SetReadTimeout(d) }
}

// DefaultMaxBodyBytes is the default body limit: a notification lists a
// session's file URLs (a few hundred bytes each), well under 1 MiB even
// for a large N-in-1 session.
const DefaultMaxBodyBytes = 1 << 20

// ErrContentType reports a notification that is not sent as JSON.
var ErrContentType = errors.New("evidence: notification content type is not JSON")

// nackMessage is the errorMessage of a refusal: fixed text, nothing from
// the request.
var nackMessage = map[callback.Reason]string{
	callback.MethodNotAllowed: "method not allowed", callback.TooLarge: "body too large",
	callback.Unreadable: "unreadable body", callback.Refused: "not verified",
	callback.InFlight: "busy, retry", callback.NotHandled: "not handled",
}

// NewHandler answers exactly {"errorCode":0,"errorMessage":"OK"} only
// after fn returned nil (or the notification was handled before);
// otherwise an errorCode −1 document with a non-2xx status, and the
// operator delivers again. Mount it on any path.
func NewHandler(v *Verifier, fn NotificationFunc, opts ...HandlerOption) (http.Handler, error) {
	if !v.ready() {
		return nil, names.NoVerifier(names.Handler)
	}
	if fn == nil {
		return nil, fmt.Errorf("evidence: %s: nil NotificationFunc", v.names.Handler)
	}
	o := handlerOptions{Log: v.cfg.Log}
	fs := make([]func(*handlerOptions) error, len(opts))
	for i, opt := range opts {
		fs[i] = opt
	}
	if err := o.Apply(DefaultMaxBodyBytes, fs); err != nil {
		return nil, fmt.Errorf("evidence: %s: %w", v.names.Handler, err)
	}
	return &callback.Handler[*Notification]{
		Module: "evidence", MaxBytes: o.MaxBytes, ReadTimeout: o.ReadTimeout, Store: o.Store, Log: o.Log, Handle: fn,
		Parse: func(ctx context.Context, r *http.Request, body []byte) (*Notification, error) {
			if ct := r.Header.Get("Content-Type"); ct != "" {
				if mt, _, _ := mime.ParseMediaType(ct); mt != "application/json" {
					return nil, ErrContentType
				}
			}
			n, err := Parse(ctx, v, r.Header, body)
			var se *SignatureError
			if errors.As(err, &se) {
				if d, ok := se.Diagnosis(); ok {
					v.cfg.Log.LogAttrs(ctx, slog.LevelWarn, "evidence: notification refused: diagnosis", slog.String("header", se.Header), slog.String("diagnosis", d.String()))
				}
			}
			return n, err
		},
		Key: (*Notification).IdempotencyKey,
		Attrs: func(n *Notification) []slog.Attr {
			return []slog.Attr{slog.String("func", string(n.Func)), slog.String("daId", n.Data.DaID), slog.Int("daStatus", int(n.Data.DaStatus))}
		},
		Ack: func(w http.ResponseWriter) {
			w.Header().Set("Content-Type", "application/json")
			_, _ = io.WriteString(w, `{"errorCode":0,"errorMessage":"OK"}`)
		},
		Nack: func(w http.ResponseWriter, why callback.Reason, _ error) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(callback.Status(why))
			_, _ = io.WriteString(w, `{"errorCode":-1,"errorMessage":"`+nackMessage[why]+`"}`)
		},
	}, nil
}
