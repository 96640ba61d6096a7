package scancode

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/bizapi-cn/go-sdk/internal/callback"
	"github.com/bizapi-cn/go-sdk/store"
)

// CallbackFunc handles one callback. Return nil only when the data is
// durably handled: the app server is told ret "0" only then, and retries
// otherwise.
type CallbackFunc func(ctx context.Context, c *Callback) error

// DefaultMaxBodyBytes bounds a callback body (1 MiB). The largest callbacks
// the seed describes carry certificates and signatures (02, 05) or lists
// without a stated bound (06 decryptInfoList, 14 signatureValueList: "a
// group of hash values"); a few KiB is usual, and 1 MiB holds about 7,000
// base64 SM2 signature values after encryption, base64 and form encoding. A junk body of
// this size is refused in a few milliseconds (BenchmarkRefuseJunk).
const DefaultMaxBodyBytes = 1 << 20

// DefaultReadTimeout bounds the time the handler waits for a request body
// (10 s), so that a body that never ends does not hold its goroutine for as
// long as the host's http.Server allows.
const DefaultReadTimeout = 10 * time.Second

// HandlerOption configures NewCallbackHandler. An option refuses a nil,
// zero or negative value with an error that NewCallbackHandler returns.
type HandlerOption func(*handlerOptions) error

type handlerOptions = callback.Options

// WithDedupStore deduplicates deliveries by Callback.IdempotencyKey in s (a
// host's database or Redis, shared by every process that receives
// callbacks). Without it the handler deduplicates in memory, for one
// process (store.NewMemoryDedup).
func WithDedupStore(s store.Dedup) HandlerOption {
	return func(o *handlerOptions) error { return o.SetDedupStore(s) }
}

// WithoutDedup turns deduplication off: every delivery, duplicates and
// concurrent ones included, reaches the CallbackFunc.
func WithoutDedup() HandlerOption {
	return func(o *handlerOptions) error { return o.SetNoDedup() }
}

// WithMaxBodyBytes sets the body limit (DefaultMaxBodyBytes by default); a
// larger body is answered 413.
func WithMaxBodyBytes(n int64) HandlerOption {
	return func(o *handlerOptions) error { return o.SetMaxBytes(n) }
}

// WithReadTimeout bounds the time the body may take to arrive
// (DefaultReadTimeout by default), through the connection's read deadline.
func WithReadTimeout(d time.Duration) HandlerOption {
	return func(o *handlerOptions) error { return o.SetReadTimeout(d) }
}

// WithLogger logs each callback's type, tId and outcome (never the payload
// or a key).
func WithLogger(l *slog.Logger) HandlerOption {
	return func(o *handlerOptions) error { return o.SetLogger(l) }
}

// NewCallbackHandler returns the http.Handler for the platform's
// receiveAppLogController/receiveScanData endpoint (mount it on any path),
// built on ParseCallback with d. It answers
// {"header":{"ret":"0","msg":"ok"},"data":null} only after fn returned nil
// (or the callback was already handled), and ret "1" with a short fixed
// reason otherwise, so that the app server retries. A panic in fn releases
// the callback's claim in the dedup store before it goes on up, so the
// redelivery is handled.
//
// A nil d or fn, or an option's bad value, is an error here, never at the
// first callback.
func NewCallbackHandler(d Decrypter, fn CallbackFunc, opts ...HandlerOption) (http.Handler, error) {
	var errs []error
	if d == nil {
		errs = append(errs, errors.New("nil Decrypter"))
	}
	if fn == nil {
		errs = append(errs, errors.New("nil CallbackFunc"))
	}
	adapted := make([]func(*callback.Options) error, len(opts))
	for i, o := range opts {
		if o != nil {
			adapted[i] = o
		}
	}
	var o handlerOptions
	if err := o.Apply(DefaultMaxBodyBytes, adapted); err != nil {
		errs = append(errs, err)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("scancode: NewCallbackHandler: %w", err)
	}
	return &callback.Handler[*Callback]{
		Module: "scancode", MaxBytes: o.MaxBytes, ReadTimeout: o.ReadTimeout, Store: o.Store, Log: o.Log, Handle: fn,
		Parse: func(ctx context.Context, r *http.Request, body []byte) (*Callback, error) {
			return ParseCallback(ctx, d, r.Header, body)
		},
		Key: (*Callback).IdempotencyKey,
		Attrs: func(c *Callback) []slog.Attr {
			return []slog.Attr{slog.String("type", string(c.Type)), slog.String("tId", printableTID(c.EventID()))}
		},
		Ack: func(w http.ResponseWriter) {
			w.Header().Set("Content-Type", "application/json;charset=UTF-8")
			_, _ = w.Write(ackBody)
		},
		Nack: nackFor,
	}, nil
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
