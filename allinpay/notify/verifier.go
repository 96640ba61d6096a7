package notify

import (
	"context"
	"fmt"
	"log/slog"
	"strings"

	"github.com/bizapi-cn/go-sdk/allinpay/internal/fieldset"
)

// SignatureVerifier checks a raw signature over a canonical string; it
// returns an error when the signature does not verify. It is
// allinpay.Verifier: a KMS or HSM plugged into a Client verifies
// notifications too.
type SignatureVerifier interface {
	Verify(ctx context.Context, msg, sig []byte) error
}

// Verifier verifies notifications of one merchant. It holds only the
// platform's public key(s) and the merchant's accessCode and mchNo: never
// the merchant's private key. It is safe for concurrent use.
type Verifier struct {
	cfg  fieldset.Config
	diag *fieldset.Diagnoser // WithDiagnostics; nil: off
}

// Option configures a Verifier. Every option refuses a nil or empty
// value.
type Option func(*config) error

type config struct{ fieldset.Config }

// NewVerifier returns a verifier; it needs WithMerchant and
// WithPlatformPublicKeys (or WithVerifier). A missing one fails here, not
// at the first notification.
func NewVerifier(opts ...Option) (*Verifier, error) {
	var cfg config
	if err := fieldset.Apply(&cfg, opts); err != nil {
		return nil, err
	}
	cfg.Finish()
	var missing []string
	if cfg.AccessCode == "" {
		missing = append(missing, "WithMerchant")
	}
	if cfg.V == nil {
		missing = append(missing, "WithPlatformPublicKeys")
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("allinpay: notify.NewVerifier: missing %s", strings.Join(missing, ", "))
	}
	return &Verifier{cfg: cfg.Config, diag: cfg.Diagnoser(nil)}, nil
}

// WithMerchant sets the access code and merchant number Allinpay assigned:
// the Verifier accepts only this merchant's notifications.
func WithMerchant(accessCode, mchNo string) Option {
	return func(c *config) error { return c.SetMerchant(accessCode, mchNo) }
}

// WithPlatformPublicKeys sets the platform's RSA public keys (SPKI PEM or
// base64, 2048 bits). A notification verifies against any of them, so a
// key rotation needs no restart at a precise moment.
func WithPlatformPublicKeys(pems ...[]byte) Option {
	return func(c *config) error { return c.SetPlatformPublicKeys(pems...) }
}

// WithVerifier replaces the signature check (e.g. a KMS holding the
// platform's keys); it wins over WithPlatformPublicKeys.
func WithVerifier(v SignatureVerifier) Option {
	return func(c *config) error { return c.SetVerifier(v) }
}

// WithLogger logs refusals at warn level (never keys, signatures or
// customer ids); NewHandler logs through it too.
func WithLogger(l *slog.Logger) Option {
	return func(c *config) error { return c.SetLogger(l) }
}

// WithDiagnostics makes a failed signature check carry a diagnosis
// (SignatureError.Diagnosis): the canonical string with every value
// masked, the fields in the order signed and received, the keys tried by
// fingerprint and the likely cause when it is recognisable. Off by
// default: the diagnosis tries variants of the message (a fixed number,
// each linear in it, but work on unauthenticated input); it is for a
// developer finding a misconfiguration, in a test or staging. It never
// makes a message verify.
func WithDiagnostics() Option {
	return func(c *config) error { c.Diagnostics = true; return nil }
}

// WithDiagnosisMerchantPublicKey gives the merchant's own RSA public key
// (SPKI PEM or base64) to WithDiagnostics, for diagnosis only: a Verifier
// holds no private key, and with this key its diagnosis recognises the
// merchant's public key configured as the platform's (CauseReversedKey).
func WithDiagnosisMerchantPublicKey(pem []byte) Option {
	return func(c *config) error { return c.SetDiagnosisMerchantPublicKey(pem) }
}
