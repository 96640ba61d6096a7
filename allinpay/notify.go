package allinpay

import (
	"context"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/bizapi-cn/go-sdk/allinpay/notify"
	"github.com/bizapi-cn/go-sdk/store"
)

// NotificationVerifier is notify.Verifier; see there.
type NotificationVerifier = notify.Verifier

// NewNotificationVerifier returns a verifier from the client's options;
// it needs WithMerchant and WithPlatformPublicKeys (or WithVerifier), and
// ignores the others. A missing one fails here, not at the first
// notification. notify.NewVerifier is the same with package notify's
// options.
func NewNotificationVerifier(opts ...Option) (*NotificationVerifier, error) {
	cfg, err := newConfig(opts)
	if err != nil {
		return nil, err
	}
	var missing []string
	if cfg.trust.AccessCode == "" {
		missing = append(missing, "WithMerchant")
	}
	if cfg.trust.V == nil {
		missing = append(missing, "WithPlatformPublicKeys")
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("allinpay: NewNotificationVerifier: missing %s", strings.Join(missing, ", "))
	}
	return cfg.notificationVerifier()
}

// notificationVerifier is the notify.Verifier of cfg's merchant, keys,
// logger and diagnostics, built with package notify's options.
func (cfg *config) notificationVerifier() (*NotificationVerifier, error) {
	t := &cfg.trust
	opts := []notify.Option{notify.WithMerchant(t.AccessCode, t.MchNo), notify.WithLogger(t.Log)}
	if t.PEMs != nil {
		opts = append(opts, notify.WithPlatformPublicKeys(t.PEMs...))
	}
	if t.Custom != nil {
		opts = append(opts, notify.WithVerifier(t.Custom))
	}
	if t.Diagnostics {
		opts = append(opts, notify.WithDiagnostics())
		own := t.MerchantPEM
		if own == nil && cfg.priv != nil {
			der, err := x509.MarshalPKIXPublicKey(&cfg.priv.PublicKey)
			if err != nil {
				return nil, fmt.Errorf("allinpay: %w", err)
			}
			own = pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
		}
		if own != nil {
			opts = append(opts, notify.WithDiagnosisMerchantPublicKey(own))
		}
	}
	return notify.NewVerifier(opts...)
}

// Notification is notify.Notification; see there.
type Notification = notify.Notification

// ParseNotification is notify.Parse: it verifies and decodes a
// notification from the raw form body: the field set is refused when it is
// ambiguous under its canonical form, the signature is checked over every
// received non-empty field except signature (unknown fields included)
// before anything is decoded, and the notification must be for v's
// merchant. A field sent twice is refused. h may be nil; when it names a
// content type, it must be a form.
func ParseNotification(ctx context.Context, v *NotificationVerifier, h http.Header, body []byte) (*Notification, error) {
	if v == nil {
		return nil, errors.New("allinpay: ParseNotification: nil verifier")
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

// DefaultMaxNotificationBytes is notify.DefaultMaxBodyBytes; see there.
const DefaultMaxNotificationBytes = notify.DefaultMaxBodyBytes

// NewNotificationHandler is notify.NewHandler: the http.Handler for the
// notifyUrl, answering the plain text SUCCESS only after fn returned nil
// (or the notification was handled before), and FAIL with a non-2xx
// status otherwise. It logs through the verifier's WithLogger.
func NewNotificationHandler(v *NotificationVerifier, fn NotificationFunc, opts ...HandlerOption) (http.Handler, error) {
	if v == nil || fn == nil {
		return nil, errors.New("allinpay: NewNotificationHandler: nil verifier or function")
	}
	h, err := notify.NewHandler(v, fn, opts...)
	if err != nil {
		// Its one other error wraps the options' errors: named here as
		// this function's.
		if inner := errors.Unwrap(err); inner != nil {
			err = inner
		}
		return nil, fmt.Errorf("allinpay: NewNotificationHandler: %w", err)
	}
	return h, nil
}
