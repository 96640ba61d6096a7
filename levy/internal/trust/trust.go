// Package trust is the seam between levy's client (package levy), which
// verifies every answer's Api-Sign, and its callback path (package
// levy/notify), which verifies notifications and owns the trust errors.
// It holds three things and nothing more:
//
//   - Config, what a signature check needs. notify.Option is a function
//     of it, and the client's config embeds it, so the options both
//     packages offer under one name (WithCredentials, WithClientKey,
//     WithVerifier, WithLogger, WithDiagnostics) are notify's, and the
//     client hands its Config to notify.NewVerifier as one option. Its
//     helpers: Apply runs either package's options, MAC resolves the
//     verifier a check runs with, Diagnoser builds the engine below.
//   - Diagnoser, the diagnosis engine of a failed check, for an answer's
//     Api-Sign and a notification's sign alike; it returns a *diag.Report
//     that package notify turns into its Diagnosis.
//   - NewSignatureError, the one hook: package notify sets it in its init,
//     so the client returns notify's *SignatureError, whose fields stay
//     unexported, for an answer that does not verify.
//
// Only levy and levy/notify import it, and no exported name of either
// names a type of it.
package trust

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/bizapi-cn/go-sdk/internal/diag"
	"github.com/bizapi-cn/go-sdk/internal/sign"
)

// Verifier checks a raw signature over a raw message (levy.Verifier and
// notify.SignatureVerifier have its method).
type Verifier interface {
	Verify(ctx context.Context, msg, sig []byte) error
}

// Config is what a signature check needs, as the options set it.
type Config struct {
	ClientKey string
	Secret    []byte
	Verifier  Verifier // the host's (WithVerifier); nil: HMAC-SHA256 with Secret
	Log       *slog.Logger
	Diagnose  bool
}

// Apply runs opts over c, in order, and joins every option's error ("nil
// Option" for a nil one): the client's options over its config, notify's
// over a Config.
func Apply[C any, O ~func(*C) error](c *C, opts []O) error {
	var errs []error
	for _, o := range opts {
		if o == nil {
			errs = append(errs, errors.New("nil Option"))
			continue
		}
		if err := o(c); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// MAC returns the verifier a check runs with: the host's, else HMAC-SHA256
// with the secret; nil with neither.
func (c *Config) MAC() Verifier {
	switch {
	case c.Verifier != nil:
		return c.Verifier
	case len(c.Secret) > 0:
		return sign.NewHMACSHA256(c.Secret)
	}
	return nil
}

// Diagnoser returns the diagnosis engine of checks run with v (what MAC
// returned, or the client's own HMAC of the secret); nil without
// WithDiagnostics. It names the secret by fingerprint unless the host
// brought its own Verifier.
func (c *Config) Diagnoser(v Verifier) *Diagnoser {
	if !c.Diagnose || v == nil {
		return nil
	}
	key := fmt.Sprintf("the host's Verifier (WithVerifier, %T)", v)
	if c.Verifier == nil {
		key = "secret " + diag.Secret(c.Secret)
	}
	return &Diagnoser{v: v, key: key}
}

// NewSignatureError returns a *notify.SignatureError for an answer of op
// whose Api-Sign failed (HTTP status status), with the diagnosis r (nil
// without WithDiagnostics). Package notify sets it in its init; package
// levy imports notify, so it is set before any client runs.
var NewSignatureError func(op string, status int, r *diag.Report) error
