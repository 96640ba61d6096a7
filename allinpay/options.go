package allinpay

import (
	"context"
	"crypto/rsa"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/go-resty/resty/v2"

	"github.com/bizapi-cn/go-sdk/allinpay/internal/fieldset"
	"github.com/bizapi-cn/go-sdk/allinpay/notify"
	"github.com/bizapi-cn/go-sdk/internal/keys"
	"github.com/bizapi-cn/go-sdk/internal/transport"
	"github.com/bizapi-cn/go-sdk/internal/validate"
)

// Hosts.
const (
	TestBaseURL = "https://test.allinpayhk.com"
	ProdBaseURL = "https://oats.allinpay.com"
)

const (
	pathConsume  = "/gateway/pay/consumeTrans"
	pathDownload = "/gateway/download/downloadbill"

	// DefaultMaxResponseBytes bounds a consumeTrans answer: a real one is
	// under 4 KiB.
	DefaultMaxResponseBytes = 64 << 10
	// DefaultMaxBillBytes bounds a bill download (the base64 file inside
	// its JSON answer).
	DefaultMaxBillBytes = 64 << 20
)

// Signer signs the canonical string (SHA256withRSA by default), e.g. with
// a KMS.
type Signer interface {
	Sign(ctx context.Context, msg []byte) ([]byte, error)
}

// Verifier is notify.SignatureVerifier; see there.
type Verifier = notify.SignatureVerifier

// Option configures a Client or a NotificationVerifier. Every option
// refuses a nil, empty or negative value.
type Option func(*config) error

type config struct {
	// trust is what verifying needs: WithMerchant, WithPlatformPublicKeys,
	// WithVerifier, WithLogger, WithDiagnostics and
	// WithDiagnosisMerchantPublicKey, the options package notify offers too.
	trust                fieldset.Config
	baseURL, version, ua string
	signer               Signer
	priv                 *rsa.PrivateKey
	net                  transport.Config
	now                  func() time.Time
	timeout              time.Duration
	retries              int
	maxBody, maxBill     int64
	noVerify             bool
	requestNo            func() string
}

// WithMerchant sets the access code and merchant number Allinpay assigned.
// A NotificationVerifier accepts only this merchant's notifications.
func WithMerchant(accessCode, mchNo string) Option {
	return func(c *config) error { return c.trust.SetMerchant(accessCode, mchNo) }
}

// WithPrivateKey sets the merchant's RSA private key (PEM PKCS#1/PKCS#8 or
// base64 DER, at least 2048 bits). Only a Client needs it.
func WithPrivateKey(pem []byte) Option {
	return func(c *config) error {
		priv, err := keys.ParseRSAPrivateKey(pem)
		if err != nil {
			return fmt.Errorf("WithPrivateKey: %w", err)
		}
		if priv.N.BitLen() < 2048 {
			return fmt.Errorf("WithPrivateKey: %d-bit key, the platform wants 2048", priv.N.BitLen())
		}
		c.priv = priv
		return nil
	}
}

// WithPlatformPublicKeys sets the platform's RSA public keys (SPKI PEM or
// base64). An answer or notification verifies against any of them, so a
// key rotation needs no restart at a precise moment.
func WithPlatformPublicKeys(pems ...[]byte) Option {
	return func(c *config) error { return c.trust.SetPlatformPublicKeys(pems...) }
}

// WithKeys is WithPrivateKey(merchantPrivateKey) and
// WithPlatformPublicKeys(platformPublicKey); it refuses a platform key that
// is the merchant's own.
func WithKeys(merchantPrivateKey, platformPublicKey []byte) Option {
	return func(c *config) error {
		if err := WithPrivateKey(merchantPrivateKey)(c); err != nil {
			return err
		}
		if err := WithPlatformPublicKeys(platformPublicKey)(c); err != nil {
			return err
		}
		if c.priv.PublicKey.Equal(c.trust.Pubs[0]) {
			return errors.New("WithKeys: the platform public key is the merchant's own: use the key Allinpay published")
		}
		return nil
	}
}

// WithBaseURL sets the host (TestBaseURL, ProdBaseURL or a fake's URL).
func WithBaseURL(u string) Option {
	return func(c *config) error {
		if !validate.HTTPURL(u) {
			return errors.New("WithBaseURL: want an absolute http(s) URL")
		}
		c.baseURL = strings.TrimRight(u, "/")
		return nil
	}
}

// WithVersion sets the version field ("V1.0" by default; some public
// clients send "1.0").
func WithVersion(v string) Option {
	return func(c *config) error {
		// §1.5.2.x: version ANSx6 ("Interface V1.0"); sent in every signed
		// header, so printable ASCII without spaces, '&' or '='.
		if v == "" || len(v) > 6 || !inClass(v, classAS) {
			return errors.New("WithVersion: want up to 6 " + classAS.String() + " (V1.0)")
		}
		c.version = v
		return nil
	}
}

// WithHTTPClient sets the *http.Client; redirects are never followed.
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
// signatures). Refused when rc is nil, retries on its own, or is
// given with WithHTTPClient.
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

// WithSigner replaces the request signer (e.g. a KMS holding the key).
func WithSigner(s Signer) Option {
	return func(c *config) error {
		if s == nil {
			return errors.New("WithSigner(nil)")
		}
		c.signer = s
		return nil
	}
}

// WithVerifier replaces the response and notification verifier.
func WithVerifier(v Verifier) Option {
	return func(c *config) error { return c.trust.SetVerifier(v) }
}

// WithClock sets the clock used for request numbers.
func WithClock(now func() time.Time) Option {
	return func(c *config) error {
		if now == nil {
			return errors.New("WithClock(nil)")
		}
		c.now = now
		return nil
	}
}

// WithRequestNoFunc sets how requestNo is made when a request leaves it
// empty (default: Beijing time to the second plus 14 random characters).
func WithRequestNoFunc(f func() string) Option {
	return func(c *config) error {
		if f == nil {
			return errors.New("WithRequestNoFunc(nil)")
		}
		c.requestNo = f
		return nil
	}
}

// WithLogger logs calls at debug level and refusals at warn level (never
// keys, signatures, codes or customer ids). A NotificationVerifier's
// handler logs through it too.
func WithLogger(l *slog.Logger) Option {
	return func(c *config) error { return c.trust.SetLogger(l) }
}

// WithUserAgent sets the User-Agent.
func WithUserAgent(ua string) Option {
	return func(c *config) error {
		if ua == "" {
			return errors.New("WithUserAgent: empty")
		}
		c.ua = ua
		return nil
	}
}

// WithTimeout bounds a call whose context has no deadline (30 s default).
func WithTimeout(d time.Duration) Option {
	return func(c *config) error {
		if d <= 0 {
			return fmt.Errorf("WithTimeout(%v): want a positive duration", d)
		}
		c.timeout = d
		return nil
	}
}

// WithRetries sets how often a bill download is retried after a transport
// error or a 5xx (2 by default; 0 turns retries off). Queries are retried
// only when the request provably never left (the spec asks for 10 s
// between queries of an order: WaitFinal is the loop); payments, refunds,
// voids and closes likewise.
func WithRetries(n int) Option {
	return func(c *config) error {
		if n < 0 {
			return fmt.Errorf("WithRetries(%d): want 0 or more", n)
		}
		c.retries = n
		return nil
	}
}

// WithMaxResponseBytes bounds a consumeTrans answer
// (DefaultMaxResponseBytes).
func WithMaxResponseBytes(n int64) Option {
	return func(c *config) error {
		if n <= 0 {
			return fmt.Errorf("WithMaxResponseBytes(%d): want a positive size", n)
		}
		c.maxBody = n
		return nil
	}
}

// WithMaxBillBytes bounds a bill download's answer (DefaultMaxBillBytes).
func WithMaxBillBytes(n int64) Option {
	return func(c *config) error {
		if n <= 0 {
			return fmt.Errorf("WithMaxBillBytes(%d): want a positive size", n)
		}
		c.maxBill = n
		return nil
	}
}

// WithoutResponseVerification accepts unsigned or wrongly signed answers
// (never notifications). Never in production.
func WithoutResponseVerification() Option {
	return func(c *config) error { c.noVerify = true; return nil }
}

func newConfig(opts []Option) (config, error) {
	cfg := config{version: "V1.0", ua: userAgent, now: time.Now, timeout: defaultTimeout, retries: 2,
		maxBody: DefaultMaxResponseBytes, maxBill: DefaultMaxBillBytes}
	if err := fieldset.Apply(&cfg, opts); err != nil {
		return cfg, err
	}
	cfg.trust.Finish()
	return cfg, nil
}

// WithDiagnostics makes a failed signature check carry a diagnosis
// (SignatureError.Diagnosis): the canonical string with every value
// masked, the fields in order, the keys tried by fingerprint and the
// likely cause when it is recognisable. It is accepted by NewClient and
// NewNotificationVerifier. Off by default: the diagnosis tries variants of
// the message (a fixed number, each linear in it, but work on
// unauthenticated input); it is for a developer finding a
// misconfiguration, in a test or staging. It never makes a message verify.
func WithDiagnostics() Option {
	return func(c *config) error { c.trust.Diagnostics = true; return nil }
}

// WithDiagnosisMerchantPublicKey gives the merchant's own RSA public key
// (SPKI PEM or base64) to WithDiagnostics, for diagnosis only: a
// NotificationVerifier holds no private key, and with this key its
// diagnosis recognises the merchant's public key configured as the
// platform's (CauseReversedKey). A Client knows it from WithPrivateKey.
func WithDiagnosisMerchantPublicKey(pem []byte) Option {
	return func(c *config) error { return c.trust.SetDiagnosisMerchantPublicKey(pem) }
}
