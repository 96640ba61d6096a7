package allinpay

import (
	"context"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/bizapi-cn/go-sdk/internal/keys"
	"github.com/bizapi-cn/go-sdk/internal/kv"
	"github.com/bizapi-cn/go-sdk/internal/nonce"
	"github.com/bizapi-cn/go-sdk/internal/sign"
	"github.com/bizapi-cn/go-sdk/internal/transport"
	"github.com/bizapi-cn/go-sdk/internal/validate"
	"github.com/go-resty/resty/v2"
)

// Hosts and paths.
const (
	TestBaseURL  = "https://test.allinpayhk.com"
	ProdBaseURL  = "https://oats.allinpay.com"
	PathConsume  = "/gateway/pay/consumeTrans"
	PathDownload = "/gateway/download/downloadbill"
)

// Signer signs the canonical string (SHA256withRSA by default).
type Signer interface {
	Sign(ctx context.Context, msg []byte) ([]byte, error)
}

// Verifier checks a raw signature over a canonical string.
type Verifier interface {
	Verify(ctx context.Context, msg, sig []byte) error
}

// Option configures a Client.
type Option func(*config) error

type config struct {
	accessCode, mchNo, baseURL, version, ua string
	signer                                  Signer
	verifier                                Verifier
	priv                                    *rsa.PrivateKey
	pub                                     *rsa.PublicKey
	hc                                      *http.Client
	now                                     func() time.Time
	log                                     *slog.Logger
	timeout                                 time.Duration
	retries                                 int
	maxBody                                 int64
	noVerify                                bool
	requestNo                               func() string
}

// WithRequestNoFunc sets how requestNo is made when a request leaves it
// empty (default: Beijing time to the second plus 14 random characters).
func WithRequestNoFunc(f func() string) Option {
	return func(c *config) error { c.requestNo = f; return nil }
}

// WithMerchant sets the access code and merchant number Allinpay assigned.
func WithMerchant(accessCode, mchNo string) Option {
	return func(c *config) error {
		if accessCode == "" || mchNo == "" {
			return errors.New("allinpay: WithMerchant: access code and merchant number are required")
		}
		c.accessCode, c.mchNo = accessCode, mchNo
		return nil
	}
}

// WithKeys sets the merchant's RSA private key (PEM PKCS#1/PKCS#8 or
// base64) and the platform's public key (SPKI PEM or base64). NewClient
// checks that they parse; they are parsed once.
func WithKeys(merchantPrivateKey, platformPublicKey []byte) Option {
	return func(c *config) error {
		priv, err := keys.ParseRSAPrivateKey(merchantPrivateKey)
		if err != nil {
			return fmt.Errorf("allinpay: merchant private key: %w", err)
		}
		pub, err := keys.ParseRSAPublicKey(platformPublicKey)
		if err != nil {
			return fmt.Errorf("allinpay: platform public key: %w", err)
		}
		if priv.PublicKey.Equal(pub) {
			return errors.New("allinpay: the platform public key is the merchant's own: use the key Allinpay published")
		}
		c.priv, c.pub = priv, pub
		return nil
	}
}

// WithBaseURL sets the host (TestBaseURL, ProdBaseURL or a fake's URL).
func WithBaseURL(u string) Option {
	return func(c *config) error {
		if !validate.HTTPURL(u) {
			return errors.New("allinpay: WithBaseURL: want an absolute http(s) URL")
		}
		c.baseURL = strings.TrimRight(u, "/")
		return nil
	}
}

// WithVersion sets the version field ("V1.0" by default; some public
// clients send "1.0").
func WithVersion(v string) Option { return func(c *config) error { c.version = v; return nil } }

// WithHTTPClient sets the *http.Client; redirects are never followed.
func WithHTTPClient(hc *http.Client) Option { return func(c *config) error { c.hc = hc; return nil } }

// WithSigner replaces the request signer (e.g. a KMS).
func WithSigner(s Signer) Option { return func(c *config) error { c.signer = s; return nil } }

// WithVerifier replaces the response and notification verifier.
func WithVerifier(v Verifier) Option { return func(c *config) error { c.verifier = v; return nil } }

// WithClock sets the clock used for request numbers.
func WithClock(now func() time.Time) Option { return func(c *config) error { c.now = now; return nil } }

// WithLogger logs calls at debug level (never keys, signatures or cards).
func WithLogger(l *slog.Logger) Option { return func(c *config) error { c.log = l; return nil } }

// WithUserAgent sets the User-Agent.
func WithUserAgent(ua string) Option { return func(c *config) error { c.ua = ua; return nil } }

// WithTimeout bounds a call whose context has no deadline (30 s default).
func WithTimeout(d time.Duration) Option { return func(c *config) error { c.timeout = d; return nil } }

// WithRetries sets how often a query or bill download is retried (2).
func WithRetries(n int) Option { return func(c *config) error { c.retries = n; return nil } }

// WithMaxResponseBytes bounds a response (64 MiB by default: bills).
func WithMaxResponseBytes(n int64) Option { return func(c *config) error { c.maxBody = n; return nil } }

// WithoutResponseVerification accepts unsigned or wrongly signed answers.
// Never in production.
func WithoutResponseVerification() Option {
	return func(c *config) error { c.noVerify = true; return nil }
}

// Client calls the Allinpay OATS API. It is safe for concurrent use.
type Client struct {
	cfg  config
	http *resty.Client
}

// NewClient returns a Client; WithMerchant, WithKeys (or WithSigner and
// WithVerifier) and WithBaseURL are required.
func NewClient(opts ...Option) (*Client, error) {
	cfg := config{version: "V1.0", ua: "bizapi-cn-go-sdk-allinpay", now: time.Now, timeout: transport.DefaultTimeout, retries: 2, maxBody: 64 << 20}
	for _, o := range opts {
		if err := o(&cfg); err != nil {
			return nil, err
		}
	}
	if cfg.priv != nil && cfg.signer == nil {
		s, err := sign.NewRSASigner(cfg.priv)
		if err != nil {
			return nil, fmt.Errorf("allinpay: %w", err)
		}
		cfg.signer = s
	}
	if cfg.pub != nil && cfg.verifier == nil {
		v, _ := sign.NewRSAVerifier(cfg.pub)
		cfg.verifier = v
	}
	var missing []string
	if cfg.accessCode == "" {
		missing = append(missing, "WithMerchant")
	}
	if cfg.signer == nil || cfg.verifier == nil {
		missing = append(missing, "WithKeys")
	}
	if cfg.baseURL == "" {
		missing = append(missing, "WithBaseURL")
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("allinpay: NewClient: missing %v", missing)
	}
	if cfg.log == nil {
		cfg.log = slog.New(slog.DiscardHandler)
	}
	return &Client{cfg: cfg, http: transport.NewResty(cfg.hc)}, nil
}

// header is the common part of every request.
type header struct {
	RequestNo string    `kv:"requestNo"`
	Version   string    `kv:"version"`
	Access    string    `kv:"accessCode"`
	TransType TransType `kv:"transType"`
	SignType  string    `kv:"signType"`
	MchNo     string    `kv:"mchNo"`
}

func (c *Client) header(t TransType, requestNo string) header {
	if requestNo == "" && c.cfg.requestNo != nil {
		requestNo = c.cfg.requestNo()
	}
	if requestNo == "" {
		requestNo = nonce.TimeID(c.cfg.now(), 14)
	}
	return header{RequestNo: requestNo, Version: c.cfg.version, Access: c.cfg.accessCode, TransType: t, SignType: "RSA2", MchNo: c.cfg.mchNo}
}

// Fields is a raw received field set: every field of a response or
// notification, as text, unknown ones included.
type Fields map[string]string

// SignRequest returns the form that is sent for the kv-tagged request
// value: its fields and "signature" over their canonical string.
func (c *Client) SignRequest(ctx context.Context, req any) (url.Values, error) {
	canon, err := kv.AppendCanonical(nil, req, "signature")
	if err != nil {
		return nil, fmt.Errorf("allinpay: %w", err)
	}
	sig, err := c.cfg.signer.Sign(ctx, canon)
	if err != nil {
		return nil, fmt.Errorf("allinpay: sign: %w", err)
	}
	fields, err := kv.Fields(req)
	if err != nil {
		return nil, fmt.Errorf("allinpay: %w", err)
	}
	form := make(url.Values, len(fields)+1)
	for _, f := range fields {
		form.Set(f.Key, f.Value)
	}
	form.Set("signature", base64.StdEncoding.EncodeToString(sig))
	return form, nil
}

// verifyFields checks "signature" over every other non-empty field.
func (c *Client) verifyFields(ctx context.Context, f Fields) error {
	sig, err := base64.StdEncoding.DecodeString(f["signature"])
	if err != nil || len(sig) == 0 {
		return fmt.Errorf("%w: signature missing or not base64", ErrInvalidSignature)
	}
	canon := kv.CanonicalMap(f, "signature")
	if err := c.cfg.verifier.Verify(ctx, canon, sig); err != nil {
		c.cfg.log.LogAttrs(ctx, slog.LevelWarn, "allinpay: signature mismatch", slog.Int("canonical_bytes", len(canon)), slog.Int("fields", len(f)))
		return ErrInvalidSignature
	}
	return nil
}

// call signs and sends req, verifies the answer over all its fields and
// decodes it into out. safe says the call may be repeated.
func (c *Client) call(ctx context.Context, path string, t TransType, req any, out any, safe bool) (Fields, error) {
	ctx, cancel := transport.WithTimeout(ctx, c.cfg.timeout)
	defer cancel()
	for attempt := 1; ; attempt++ {
		form, err := c.SignRequest(ctx, req)
		if err != nil {
			return nil, err
		}
		f, status, err := c.once(ctx, path, t, form, out)
		if err == nil {
			return f, nil
		}
		switch transport.Judge(ctx, status, err, safe) {
		case transport.Unknown:
			return nil, fmt.Errorf("%w: %s: %w", ErrOutcomeUnknown, t, err)
		case transport.Stop:
			return f, err
		}
		if attempt > c.cfg.retries {
			return f, err
		}
		if err := transport.Sleep(ctx, transport.Backoff(attempt)); err != nil {
			return nil, fmt.Errorf("allinpay: %s: %w", t, err)
		}
	}
}

func (c *Client) once(ctx context.Context, path string, t TransType, form url.Values, out any) (Fields, int, error) {
	// Straight to the *http.Client resty configured (same transport, no
	// redirects): the form is final bytes, and resty's per-request
	// middleware doubled the allocations of a call.
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.cfg.baseURL+path, strings.NewReader(form.Encode()))
	if err != nil {
		return nil, 0, fmt.Errorf("allinpay: %s: %w", t, err)
	}
	req.Header = http.Header{"Content-Type": {"application/x-www-form-urlencoded"}, "User-Agent": {c.cfg.ua}}
	resp, err := c.http.GetClient().Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return nil, 0, fmt.Errorf("allinpay: %s: %w", t, err)
	}
	raw, err := transport.ReadAnswer(resp.Body, c.cfg.maxBody)
	status := resp.StatusCode
	c.cfg.log.LogAttrs(ctx, slog.LevelDebug, "allinpay: call", slog.String("transType", string(t)), slog.Int("status", status))
	if err != nil {
		return nil, 0, fmt.Errorf("allinpay: %s: %w", t, err) // incomplete: as ambiguous as no answer
	}
	f, err := kv.FieldsFromJSON(raw)
	if err != nil {
		if status/100 != 2 {
			return nil, status, fmt.Errorf("allinpay: %s: %w", t, &transport.StatusError{StatusCode: status})
		}
		return nil, status, fmt.Errorf("allinpay: %s: response is not a JSON object", t)
	}
	fields := Fields(f)
	if !c.cfg.noVerify {
		// Fail closed: a signed answer must verify, error answers too; only
		// a failed answer without any signature is let through (as an
		// error), because the platform does not sign every failure.
		if _, signed := fields["signature"]; signed || fields["returnCode"] == ReturnCodeOK {
			if err := c.verifyFields(ctx, fields); err != nil {
				return nil, status, fmt.Errorf("allinpay: %s: %w", t, err)
			}
		}
	}
	if rc := fields["returnCode"]; rc != ReturnCodeOK {
		return fields, status, &APIError{TransType: t, ReturnCode: rc, ReturnMsg: fields["returnMsg"], HTTPStatus: status}
	}
	if out != nil {
		if err := json.Unmarshal(raw, out); err != nil {
			return fields, status, fmt.Errorf("allinpay: %s: decode: %w", t, err)
		}
	}
	if rc := ResultCode(fields["resultCode"]); rc != "" && rc != ResultSuccess && !rc.Processing() {
		return fields, status, &APIError{TransType: t, ReturnCode: ReturnCodeOK, ResultCode: rc, ResultMsg: fields["resultMsg"], HTTPStatus: status}
	}
	return fields, status, nil
}
