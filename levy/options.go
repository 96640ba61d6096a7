package levy

import (
	"context"
	"errors"
	"fmt"
	"hash"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/go-resty/resty/v2"

	"github.com/bizapi-cn/go-sdk/internal/transport"
	"github.com/bizapi-cn/go-sdk/internal/validate"
	"github.com/bizapi-cn/go-sdk/levy/internal/trust"
	"github.com/bizapi-cn/go-sdk/levy/notify"
)

// Hosts of the provider's environments.
const (
	TestBaseURL = "https://whtax-qa-api.lanmaoly.com"
	ProdBaseURL = "https://api.olading.com"
)

// Signer signs the req JSON; the default is HMAC-SHA256 with the secret.
// Plug one in to keep the secret in an HSM or KMS.
type Signer interface {
	Sign(ctx context.Context, msg []byte) ([]byte, error)
}

// StreamSigner is a Signer that can also sign a message streamed through
// a hash.Hash whose Sum is the signature, so an upload's message need not
// be held in memory (without it, a custom Signer gets the whole req of an
// upload, about 4/3 of the files, in one piece). NewHash is called once
// per request.
type StreamSigner interface {
	Signer
	NewHash(ctx context.Context) (hash.Hash, error)
}

// Verifier is notify.SignatureVerifier; see there.
type Verifier = notify.SignatureVerifier

// Option configures a Client.
type Option func(*config) error

// config is the client's configuration. Its trust.Config, what a
// signature check needs (the client key, the secret, the host's Verifier,
// the logger, diagnostics), is set through package notify's options of the
// same names, so NewNotificationVerifier and Client.NotificationVerifier
// hand it to notify.NewVerifier whole.
type config struct {
	trust.Config
	baseURL  string
	net      transport.Config
	signer   Signer
	now      func() time.Time
	ua       string
	timeout  time.Duration
	attempt  time.Duration // 0: an attempt is bounded by the call alone
	retries  int
	maxBody  int64
	noVerify bool
}

// WithCredentials sets the client key and the HMAC secret the provider
// issued.
func WithCredentials(clientKey, secret string) Option {
	return func(c *config) error { return notify.WithCredentials(clientKey, secret)(&c.Config) }
}

// WithClientKey sets the client key alone, for a client whose secret stays
// in an HSM or KMS behind WithSigner and WithVerifier. Every client needs a
// client key: it is in every request's envelope.
func WithClientKey(clientKey string) Option {
	return func(c *config) error { return notify.WithClientKey(clientKey)(&c.Config) }
}

// WithBaseURL sets the host, TestBaseURL or ProdBaseURL (or a fake's URL).
func WithBaseURL(u string) Option {
	return func(c *config) error {
		if !validate.HTTPURL(u) {
			return errors.New("WithBaseURL: want an absolute http(s) URL")
		}
		c.baseURL = strings.TrimRight(u, "/")
		return nil
	}
}

// WithHTTPClient sets the *http.Client (its Transport is the pluggable
// transport). Redirects are never followed, whatever it says.
func WithHTTPClient(hc *http.Client) Option {
	return func(c *config) error {
		if hc == nil {
			return errors.New("WithHTTPClient(nil)")
		}
		c.net.HTTPClient = hc
		return nil
	}
}

// WithRestyClient sends every call through the host's resty client, used
// as given and never modified: its transport, proxy, TLS settings, cookie
// jar, request middlewares and hooks, client headers (the SDK's own,
// User-Agent included, win) and its redirect policy (an answer after a
// redirect is still verified, so a redirect to another host gets no
// further than a forged answer). The SDK still decides what each call
// sends, signs it, bounds and verifies the answer, and alone decides
// what is retried: rc must have RetryCount 0, since resty would send a
// state change again after a lost answer. Per request, the SDK turns off
// resty's response parsing and its debug log (which would show
// signatures). Uploads of files do not go through rc's middlewares and
// hooks: resty would read the whole body into memory before sending
// (see Transport in the package doc), so they go to rc's *http.Client
// directly, with rc's client headers. Refused when rc is nil, retries on
// its own, or is given with WithHTTPClient.
func WithRestyClient(rc *resty.Client) Option {
	return func(c *config) error {
		if err := transport.CheckResty(rc); err != nil {
			return err
		}
		c.net.Resty = rc
		return nil
	}
}

// WithMaxConnsPerHost sets the idle pool per host of the client's own
// transport and how many connections it opens to one host at most (a
// call beyond them waits for one). By default every client built without
// WithHTTPClient or WithRestyClient shares one transport per process,
// with 64 per host; with n, the client gets a transport of its own with
// the same settings otherwise. Refused with WithHTTPClient or
// WithRestyClient: a host's client is used as given.
func WithMaxConnsPerHost(n int) Option {
	return func(c *config) error {
		if n <= 0 {
			return fmt.Errorf("WithMaxConnsPerHost(%d): want a positive count", n)
		}
		c.net.MaxConnsPerHost = n
		return nil
	}
}

// WithSigner replaces the HMAC-SHA256 request signer.
func WithSigner(s Signer) Option {
	return func(c *config) error {
		if s == nil {
			return errors.New("WithSigner(nil)")
		}
		c.signer = s
		return nil
	}
}

// WithVerifier replaces the HMAC-SHA256 response and notification verifier.
func WithVerifier(v Verifier) Option {
	return func(c *config) error { return notify.WithVerifier(v)(&c.Config) }
}

// WithClock sets the clock used for timestamps (tests, replays).
func WithClock(now func() time.Time) Option {
	return func(c *config) error {
		if now == nil {
			return errors.New("WithClock(nil)")
		}
		c.now = now
		return nil
	}
}

// WithLogger logs each call's interface, path, status and time at debug
// level; never secrets, signatures or personal data.
func WithLogger(l *slog.Logger) Option {
	return func(c *config) error { return notify.WithLogger(l)(&c.Config) }
}

// WithUserAgent sets the User-Agent header (default
// "bizapi-cn-go-sdk-levy/<Version> go/<go version>").
func WithUserAgent(ua string) Option {
	return func(c *config) error {
		if strings.TrimSpace(ua) == "" || strings.ContainsAny(ua, "\r\n") {
			return errors.New("WithUserAgent: want a non-empty single-line value")
		}
		c.ua = ua
		return nil
	}
}

// WithTimeout bounds each call when its context has no deadline (30 s by
// default).
func WithTimeout(d time.Duration) Option {
	return func(c *config) error {
		if d <= 0 {
			return fmt.Errorf("WithTimeout(%v): want a positive duration", d)
		}
		c.timeout = d
		return nil
	}
}

// WithAttemptTimeout bounds each attempt of a call apart from the call's
// own deadline (WithTimeout or the context), so that a stalled attempt of
// a query is abandoned and retried while the call still has time. An
// attempt of a call that changes state that runs out is an
// ErrOutcomeUnknown, as any lost answer is: it is never repeated. Off by
// default.
func WithAttemptTimeout(d time.Duration) Option {
	return func(c *config) error {
		if d <= 0 {
			return fmt.Errorf("WithAttemptTimeout(%v): want a positive duration", d)
		}
		c.attempt = d
		return nil
	}
}

// WithRetries sets how many times a query is retried after a transport
// error or a 5xx (2 by default). Calls that change state are retried only
// when the request provably never left.
func WithRetries(n int) Option {
	return func(c *config) error {
		if n < 0 {
			return fmt.Errorf("WithRetries(%d): want 0 or more", n)
		}
		c.retries = n
		return nil
	}
}

// WithMaxResponseBytes bounds a response body (1 MiB by default).
func WithMaxResponseBytes(n int64) Option {
	return func(c *config) error {
		if n <= 0 {
			return fmt.Errorf("WithMaxResponseBytes(%d): want a positive size", n)
		}
		c.maxBody = n
		return nil
	}
}

// WithoutResponseVerification accepts responses whose Api-Sign is missing
// or wrong. Never use it in production: a forged answer would be trusted.
func WithoutResponseVerification() Option {
	return func(c *config) error { c.noVerify = true; return nil }
}

// WithDiagnostics makes a failed signature check carry a diagnosis
// (SignatureError.Diagnosis): the algorithm, the secret by fingerprint, the
// message with every value masked, its fields in order, the variants tried
// and the likely cause when one is recognised (a body re-encoded by a
// framework, '+' turned into spaces by a second URL decoding, white space
// added, a signature sent as hex). A Client and a NotificationVerifier
// both accept it. Off by default: the diagnosis tries a bounded number of
// variants of the message (each linear in it), but that is work on
// unauthenticated input, and it is for a developer finding a
// misconfiguration, not for every forged request. It never makes a message
// verify, and the error's text does not change.
func WithDiagnostics() Option {
	return func(c *config) error { return notify.WithDiagnostics()(&c.Config) }
}
