package evidence

import (
	"context"
	"net/http"
	"time"

	"github.com/bizapi-cn/go-sdk/evidence/internal/decs"
	"github.com/bizapi-cn/go-sdk/evidence/notify"
	"github.com/bizapi-cn/go-sdk/store"
)

// The callback path is package notify's; the names below are the same
// types, values and functions under the names this package always had.

// Func is notify.Func; see there.
type Func = notify.Func

// Notification functions (the docs' func): notify's; see there.
const (
	FuncDaFailed         = notify.FuncDaFailed
	FuncDaUserAuthorized = notify.FuncDaUserAuthorized
	FuncDaFileParsed     = notify.FuncDaFileParsed
	FuncDaSubmittedApp   = notify.FuncDaSubmittedApp
	FuncDaCertGenerated  = notify.FuncDaCertGenerated
)

// Notification is notify.Notification; see there.
type Notification = notify.Notification

// NotificationData is notify.NotificationData; see there.
type NotificationData = notify.NotificationData

// NotificationExt is notify.NotificationExt; see there.
type NotificationExt = notify.NotificationExt

// NotificationVerifier is notify.Verifier; see there.
type NotificationVerifier = notify.Verifier

// rootNames are this package's entry points, as its errors name them.
var rootNames = decs.Names{Verifier: "NewNotificationVerifier", Parse: "ParseNotification", Handler: "NewNotificationHandler"}

// NewNotificationVerifier takes the client's options; it requires WithApp
// and WithNotifyPublicKey (or WithInsecureNotificationHashOnly) and
// ignores the rest, except WithSuite (HMAC-SM3) and WithLogger (the
// handler's refusals). It is notify.NewVerifier under the client's
// options.
func NewNotificationVerifier(opts ...Option) (*NotificationVerifier, error) {
	cfg := defaultConfig()
	if err := applyOptions(&cfg, opts); err != nil {
		return nil, err
	}
	if err := cfg.Check(rootNames.Verifier); err != nil {
		return nil, err
	}
	return newVerifier(cfg), nil
}

// newVerifier is the verifier of cfg (which Check accepted).
func newVerifier(cfg config) *NotificationVerifier {
	return decs.NewVerifier(cfg.Config, rootNames).(*NotificationVerifier)
}

// ParseNotification is notify.Parse; see there.
func ParseNotification(ctx context.Context, v *NotificationVerifier, h http.Header, body []byte) (*Notification, error) {
	n, err := notify.Parse(ctx, v, h, body)
	return n, rootNames.Renamed(err, rootNames.Parse)
}

// NotificationFunc is notify.NotificationFunc; see there.
type NotificationFunc = notify.NotificationFunc

// HandlerOption is notify.HandlerOption; see there.
type HandlerOption = notify.HandlerOption

// WithDedupStore is notify.WithDedupStore; see there.
func WithDedupStore(s store.Dedup) HandlerOption { return notify.WithDedupStore(s) }

// WithoutDedup is notify.WithoutDedup; see there.
func WithoutDedup() HandlerOption { return notify.WithoutDedup() }

// WithMaxBodyBytes is notify.WithMaxBodyBytes; see there
// (DefaultMaxNotificationBytes by default).
func WithMaxBodyBytes(n int64) HandlerOption { return notify.WithMaxBodyBytes(n) }

// WithReadTimeout is notify.WithReadTimeout; see there.
func WithReadTimeout(d time.Duration) HandlerOption { return notify.WithReadTimeout(d) }

// DefaultMaxNotificationBytes is notify.DefaultMaxBodyBytes; see there.
const DefaultMaxNotificationBytes = notify.DefaultMaxBodyBytes

// ErrContentType is notify.ErrContentType; see there.
var ErrContentType = notify.ErrContentType

// NewNotificationHandler is notify.NewHandler; see there.
func NewNotificationHandler(v *NotificationVerifier, fn NotificationFunc, opts ...HandlerOption) (http.Handler, error) {
	h, err := notify.NewHandler(v, fn, opts...)
	return h, rootNames.Renamed(err, rootNames.Handler)
}
