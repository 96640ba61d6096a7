package levy

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/bizapi-cn/go-sdk/levy/internal/trust"
	"github.com/bizapi-cn/go-sdk/levy/notify"
	"github.com/bizapi-cn/go-sdk/store"
)

// The callback path lives in package levy/notify, which links no HTTP
// client library; the names below are its, under the names this package
// has always had.

// DefaultMaxNotificationBytes is notify.DefaultMaxBodyBytes; see there.
const DefaultMaxNotificationBytes = notify.DefaultMaxBodyBytes

// NotificationVerifier is notify.Verifier; see there.
type NotificationVerifier = notify.Verifier

// NewNotificationVerifier returns a verifier from the client's options:
// WithCredentials, or WithClientKey and WithVerifier, are required; the
// base URL is not, and WithLogger is where the handler logs. Other options
// are accepted (so one option list can build both) and unused.
func NewNotificationVerifier(opts ...Option) (*NotificationVerifier, error) {
	cfg, err := applyOptions(opts)
	if err != nil {
		return nil, fmt.Errorf("levy: NewNotificationVerifier: %w", err)
	}
	v, err := notifyVerifier(cfg.Config)
	if err != nil {
		return nil, renamed("NewNotificationVerifier", err)
	}
	return v, nil
}

// NotificationVerifier returns a verifier with the client's key, verifier
// and logger.
func (c *Client) NotificationVerifier() *NotificationVerifier {
	if c == nil {
		return new(NotificationVerifier)
	}
	v, err := notifyVerifier(c.cfg.Config)
	if err != nil {
		return new(NotificationVerifier) // a Client not made by NewClient: ParseNotification refuses it
	}
	return v
}

// notifyVerifier is notify.NewVerifier with the root's options as
// applied: the same trust.Config notify's options of the same names set.
func notifyVerifier(cfg trust.Config) (*NotificationVerifier, error) {
	return notify.NewVerifier(func(c *trust.Config) error { *c = cfg; return nil })
}

// renamed is err, an error of a notify constructor ("levy: notify.X:
// cause", the cause wrapped once), under the name of this package's
// function fn, with the same cause.
func renamed(fn string, err error) error {
	return fmt.Errorf("levy: %s: %w", fn, errors.Unwrap(err))
}

// made reports whether a constructor built v: no constructor leaves a
// verifier zero, and a zero one is all a host can make without one.
func made(v *NotificationVerifier) bool { return v != nil && *v != (NotificationVerifier{}) }

// Notification is notify.Notification; see there.
type Notification = notify.Notification

// SignNotification is notify.SignNotification; see there.
type SignNotification = notify.SignNotification

// SignUpNotification is notify.SignUpNotification; see there.
type SignUpNotification = notify.SignUpNotification

// OrderNotification is notify.OrderNotification; see there.
type OrderNotification = notify.OrderNotification

// AgreementNotification is notify.AgreementNotification; see there.
type AgreementNotification = notify.AgreementNotification

// IDCardImageNotification is notify.IDCardImageNotification; see there.
type IDCardImageNotification = notify.IDCardImageNotification

// CloseOrderNotification is notify.CloseOrderNotification; see there.
// Its RemitOrder takes a *QueryOrderResponse (a notify.RemitOrderSet).
type CloseOrderNotification = notify.CloseOrderNotification

// ParseNotification verifies and decodes a notification from its request
// headers and raw body (the form req=…&sign=…), for any web framework.
// The signature is checked in constant time over req exactly as received,
// before anything is decoded; a missing or wrong one is a *SignatureError
// (ErrInvalidSignature; with a diagnosis under WithDiagnostics), anything
// else refused is ErrMalformedNotification. It is notify.Parse.
func ParseNotification(ctx context.Context, v *NotificationVerifier, h http.Header, body []byte) (*Notification, error) {
	if !made(v) {
		return nil, errors.New("levy: ParseNotification: the verifier was not made by NewNotificationVerifier")
	}
	return notify.Parse(ctx, v, h, body)
}

// NotificationFunc is notify.NotificationFunc; see there.
type NotificationFunc = notify.NotificationFunc

// HandlerOption is notify.HandlerOption; see there.
type HandlerOption = notify.HandlerOption

// WithDedupStore is notify.WithDedupStore; see there.
func WithDedupStore(s store.Dedup) HandlerOption { return notify.WithDedupStore(s) }

// WithoutDedup is notify.WithoutDedup; see there.
func WithoutDedup() HandlerOption { return notify.WithoutDedup() }

// WithMaxBodyBytes is notify.WithMaxBodyBytes; see there.
func WithMaxBodyBytes(n int64) HandlerOption { return notify.WithMaxBodyBytes(n) }

// WithReadTimeout is notify.WithReadTimeout; see there.
func WithReadTimeout(d time.Duration) HandlerOption { return notify.WithReadTimeout(d) }

// NewNotificationHandler returns an http.Handler for the notification URL
// registered with the provider. It answers SUCCESS only after fn returned
// nil (or the notification was already handled); otherwise FAIL with a
// non-2xx status, and the provider retries. Duplicate and concurrent
// deliveries of the same bytes reach fn once (an in-memory store unless
// WithDedupStore or WithoutDedup), within the two limits notify.NewHandler
// states: a redelivery serialised anew is a new notification (key the
// host's writes on the business ids), and a claim lasts the store's lease
// (store.DefaultLease, 5 minutes: fn must finish within it, or the store
// needs a longer one). It logs through the verifier's WithLogger. Mount it
// on any path. It is notify.NewHandler.
func NewNotificationHandler(v *NotificationVerifier, fn NotificationFunc, opts ...HandlerOption) (http.Handler, error) {
	if !made(v) || fn == nil {
		return nil, errors.New("levy: NewNotificationHandler: nil function, or a verifier not made by NewNotificationVerifier")
	}
	h, err := notify.NewHandler(v, fn, opts...)
	if err != nil {
		return nil, renamed("NewNotificationHandler", err)
	}
	return h, nil
}
