// Package callback is the one path every module's callback handler
// takes: read the body once through a size limit and a read deadline,
// parse and verify it with the module's parser, run the host's function at
// most once per idempotency key (dedup.Run), and acknowledge only after it
// succeeded. Modules keep their own wire answers (Ack, Nack) and log names;
// the handler options (Options) are the same in every module.
package callback

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/bizapi-cn/go-sdk/internal/bodylimit"
	"github.com/bizapi-cn/go-sdk/internal/dedup"
	"github.com/bizapi-cn/go-sdk/store"
)

// DefaultReadTimeout bounds the time a handler waits for a request body,
// so a body that never ends does not hold its goroutine for as long as the
// host's http.Server allows.
const DefaultReadTimeout = 10 * time.Second

// Options are the handler options every module offers under the same
// names (WithDedupStore, WithoutDedup, WithMaxBodyBytes, WithReadTimeout,
// WithLogger). Each setter refuses a nonsense value with an error naming
// the option; Apply fills in the defaults.
type Options struct {
	Store       store.Dedup
	NoDedup     bool
	MaxBytes    int64
	ReadTimeout time.Duration
	Log         *slog.Logger
}

// SetDedupStore is WithDedupStore.
func (o *Options) SetDedupStore(s store.Dedup) error {
	if s == nil {
		return errors.New("WithDedupStore(nil): use WithoutDedup to turn deduplication off")
	}
	o.Store, o.NoDedup = s, false
	return nil
}

// SetNoDedup is WithoutDedup: every delivery reaches the host's function.
func (o *Options) SetNoDedup() error {
	o.Store, o.NoDedup = nil, true
	return nil
}

// SetMaxBytes is WithMaxBodyBytes.
func (o *Options) SetMaxBytes(n int64) error {
	if n <= 0 {
		return fmt.Errorf("WithMaxBodyBytes(%d): want a positive size", n)
	}
	o.MaxBytes = n
	return nil
}

// SetReadTimeout is WithReadTimeout.
func (o *Options) SetReadTimeout(d time.Duration) error {
	if d <= 0 {
		return fmt.Errorf("WithReadTimeout(%v): want a positive duration", d)
	}
	o.ReadTimeout = d
	return nil
}

// SetLogger is WithLogger.
func (o *Options) SetLogger(l *slog.Logger) error {
	if l == nil {
		return errors.New("WithLogger(nil)")
	}
	o.Log = l
	return nil
}

// Apply runs each option (a module's HandlerOption, adapted), then
// fills in the defaults: deduplication in memory unless a store was given or it was turned
// off, maxBytes as the module's default body limit, DefaultReadTimeout, a
// logger that discards. All option errors are reported together.
func (o *Options) Apply(maxBytes int64, opts []func(*Options) error) error {
	var errs []error
	for _, opt := range opts {
		if opt == nil {
			errs = append(errs, errors.New("nil HandlerOption"))
			continue
		}
		if err := opt(o); err != nil {
			errs = append(errs, err)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return err
	}
	if o.Store == nil && !o.NoDedup {
		s, err := store.NewMemoryDedup()
		if err != nil {
			return err
		}
		o.Store = s
	}
	if o.MaxBytes == 0 {
		o.MaxBytes = maxBytes
	}
	if o.ReadTimeout == 0 {
		o.ReadTimeout = DefaultReadTimeout
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	return nil
}

// Reason is why a callback was not acknowledged.
type Reason int

// Reasons, each answered by the module's Nack.
const (
	MethodNotAllowed Reason = iota + 1 // not a POST
	TooLarge                           // body over MaxBytes
	Unreadable                         // the body could not be read
	Refused                            // the parser refused it (not verified, malformed)
	InFlight                           // the same notification is being handled right now
	NotHandled                         // the host's function failed
)

// Handler serves one module's callback endpoint. MaxBytes, ReadTimeout,
// Store and Log come from Options (a zero ReadTimeout sets no deadline, a
// nil Store deduplicates nothing, a nil Log discards).
type Handler[T any] struct {
	Module      string // for log messages: "levy", "allinpay", …
	MaxBytes    int64
	ReadTimeout time.Duration
	// Parse verifies and decodes the raw request; it must not trust
	// anything it has not verified.
	Parse  func(ctx context.Context, r *http.Request, body []byte) (T, error)
	Key    func(T) string      // the idempotency key
	Attrs  func(T) []slog.Attr // what identifies it in logs: never secrets or personal data
	Handle func(context.Context, T) error
	Store  store.Dedup // nil: every delivery reaches Handle
	Ack    func(w http.ResponseWriter)
	Nack   func(w http.ResponseWriter, why Reason, err error) // err: the parser's or handler's, when there is one
	Log    *slog.Logger
}

func (h *Handler[T]) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	log := h.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		h.Nack(w, MethodNotAllowed, nil)
		return
	}
	if h.ReadTimeout > 0 {
		// Not every ResponseWriter supports deadlines (a test recorder
		// does not); where none can be set, the host's server bounds it.
		// net/http clears the deadline itself when the body has been read
		// to its end (its background read starts then), so it never
		// reaches the host's function.
		_ = http.NewResponseController(w).SetReadDeadline(time.Now().Add(h.ReadTimeout))
	}
	body, err := bodylimit.ReadAll(r.Body, h.MaxBytes)
	if err != nil {
		if errors.Is(err, bodylimit.ErrTooLarge) {
			h.Nack(w, TooLarge, err)
		} else {
			h.Nack(w, Unreadable, err)
		}
		return
	}
	ctx := r.Context()
	v, err := h.Parse(ctx, r, body)
	if err != nil {
		log.LogAttrs(ctx, slog.LevelWarn, h.Module+": callback refused", slog.String("error", err.Error()))
		h.Nack(w, Refused, err)
		return
	}
	var attrs []slog.Attr
	if h.Attrs != nil {
		attrs = h.Attrs(v)
	}
	handled, err := dedup.Run(ctx, h.Store, h.Key(v), func(ctx context.Context) error { return h.Handle(ctx, v) })
	switch {
	case errors.Is(err, dedup.ErrInFlight):
		log.LogAttrs(ctx, slog.LevelInfo, h.Module+": duplicate in flight, not acknowledged", attrs...)
		h.Nack(w, InFlight, err)
		return
	case err != nil && handled:
		// The host's function succeeded and only the store failed to
		// record it: the work is done, so the callback is acknowledged (a
		// Nack would have it delivered again, answered "in flight" for
		// the lease and then handled a second time). The store's error is
		// the SDK's, not the host's: it is logged.
		log.LogAttrs(ctx, slog.LevelError, h.Module+": handled, but the dedup store did not record it (a redelivery would be handled again)",
			append(attrs, slog.String("error", err.Error()))...)
	case err != nil:
		// The host's error text is the host's to log: it may carry
		// anything, personal data included.
		log.LogAttrs(ctx, slog.LevelWarn, h.Module+": handler failed, not acknowledged", attrs...)
		h.Nack(w, NotHandled, err)
		return
	}
	log.LogAttrs(ctx, slog.LevelDebug, h.Module+": callback acknowledged", append(attrs, slog.Bool("duplicate", !handled))...)
	h.Ack(w)
}

// Status is the HTTP status most modules answer a reason with: 405, 413,
// 400 for bad input, 503 for "try again".
func Status(why Reason) int {
	switch why {
	case MethodNotAllowed:
		return http.StatusMethodNotAllowed
	case TooLarge:
		return http.StatusRequestEntityTooLarge
	case InFlight, NotHandled:
		return http.StatusServiceUnavailable
	}
	return http.StatusBadRequest
}

// TextAnswers are Ack and Nack for a provider that expects a plain-text
// word: ok with 200, fail with Status(why) (levy and allinpay: "SUCCESS"
// and "FAIL").
func TextAnswers(ok, fail string) (ack func(http.ResponseWriter), nack func(http.ResponseWriter, Reason, error)) {
	write := func(w http.ResponseWriter, status int, s string) {
		w.Header().Set("Content-Type", "text/plain;charset=UTF-8")
		w.WriteHeader(status)
		_, _ = io.WriteString(w, s)
	}
	ack = func(w http.ResponseWriter) { write(w, http.StatusOK, ok) }
	nack = func(w http.ResponseWriter, why Reason, _ error) { write(w, Status(why), fail) }
	return ack, nack
}
