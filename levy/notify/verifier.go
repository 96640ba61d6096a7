package notify

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"

	"github.com/bizapi-cn/go-sdk/levy/internal/trust"
)

// SignatureVerifier checks the raw sign over a notification's req (and,
// in levy.Client, the raw Api-Sign over an answer's body); the default is
// HMAC-SHA256 with the secret, compared in constant time. Plug one in with
// WithVerifier to keep the secret in an HSM or KMS.
type SignatureVerifier interface {
	Verify(ctx context.Context, msg, sig []byte) error
}

// Option configures NewVerifier.
type Option func(*config) error

// config is what verification needs; levy's client config embeds the same
// one, so levy.WithCredentials and the other options of the same names are
// these.
type config = trust.Config

// WithCredentials sets the client key and the HMAC secret the provider
// issued.
func WithCredentials(clientKey, secret string) Option {
	return func(c *config) error {
		if clientKey == "" || secret == "" {
			return errors.New("WithCredentials: client key and secret must not be empty")
		}
		c.ClientKey, c.Secret = clientKey, []byte(secret)
		return nil
	}
}

// WithClientKey sets the client key alone, for a receiver whose secret
// stays in an HSM or KMS behind WithVerifier.
func WithClientKey(clientKey string) Option {
	return func(c *config) error {
		if clientKey == "" {
			return errors.New("WithClientKey: empty client key")
		}
		c.ClientKey = clientKey
		return nil
	}
}

// WithVerifier replaces the HMAC-SHA256 verifier.
func WithVerifier(v SignatureVerifier) Option {
	return func(c *config) error {
		if v == nil {
			return errors.New("WithVerifier(nil)")
		}
		c.Verifier = v
		return nil
	}
}

// WithLogger is where a handler of NewHandler logs each delivery (its
// name, idempotency key and outcome); never secrets, signatures or
// personal data.
func WithLogger(l *slog.Logger) Option {
	return func(c *config) error {
		if l == nil {
			return errors.New("WithLogger(nil): leave it out to log nothing")
		}
		c.Log = l
		return nil
	}
}

// WithDiagnostics makes a failed signature check carry a diagnosis
// (SignatureError.Diagnosis): the algorithm, the secret by fingerprint, the
// message with every value masked, its fields in order, the variants tried
// and the likely cause when one is recognised (a body re-encoded by a
// framework, '+' turned into spaces by a second URL decoding, white space
// added, a signature sent as hex). Off by default: the diagnosis tries a
// bounded number of variants of the message (each linear in it), but that
// is work on unauthenticated input, and it is for a developer finding a
// misconfiguration, not for every forged request. It never makes a message
// verify, and the error's text does not change.
func WithDiagnostics() Option {
	return func(c *config) error { c.Diagnose = true; return nil }
}

// Verifier verifies notifications. It holds only what verification needs:
// the client key and the secret (or a SignatureVerifier). It is safe for
// concurrent use. levy.NotificationVerifier is this type.
type Verifier struct {
	clientKey string
	verifier  trust.Verifier
	log       *slog.Logger
	diag      *trust.Diagnoser
}

// NewVerifier returns a verifier: WithCredentials, or WithClientKey and
// WithVerifier, are required; WithLogger is where the handler logs. An
// error wraps its cause once, after "levy: notify.NewVerifier: ".
func NewVerifier(opts ...Option) (*Verifier, error) {
	var cfg config
	if err := trust.Apply(&cfg, opts); err != nil {
		return nil, fmt.Errorf("levy: notify.NewVerifier: %w", err)
	}
	var missing []string
	if cfg.ClientKey == "" {
		missing = append(missing, "WithCredentials or WithClientKey")
	}
	v := cfg.MAC()
	if v == nil {
		missing = append(missing, "WithVerifier")
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("levy: notify.NewVerifier: %w", errors.New("missing "+strings.Join(missing, ", ")))
	}
	log := cfg.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Verifier{clientKey: cfg.ClientKey, verifier: v, log: log, diag: cfg.Diagnoser(v)}, nil
}

// made reports whether a constructor built v.
func (v *Verifier) made() bool { return v != nil && v.verifier != nil }
