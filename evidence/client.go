package evidence

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
	"sync"
	"time"

	"github.com/bizapi-cn/go-sdk/internal/crypt"
	"github.com/bizapi-cn/go-sdk/internal/keys"
	"github.com/bizapi-cn/go-sdk/internal/nonce"
	"github.com/bizapi-cn/go-sdk/internal/sign"
	"github.com/bizapi-cn/go-sdk/internal/sortedjson"
	"github.com/bizapi-cn/go-sdk/internal/transport"
	"github.com/go-resty/resty/v2"
	"github.com/tjfoc/gmsm/sm2"
)

// Suite is the crypto suite: DECSHASH function, field cipher and key wrap.
type Suite int

// Suites.
const (
	// SuiteRSA: HMAC-SHA256 DECSHASH, AES-128-ECB fields, RSA-wrapped key.
	SuiteRSA Suite = iota
	// SuiteSM: HMAC-SM3 DECSHASH, SM4-ECB fields, SM2-wrapped key (§11).
	SuiteSM
)

// KeyWrap is how the RSA suite's aesKey is wrapped.
type KeyWrap int

// Key wraps: PKCS#1 v1.5 is what the provider documents; OAEP is an option.
const (
	KeyWrapPKCS1v15 KeyWrap = iota
	KeyWrapOAEP
)

// Option configures a Client.
type Option func(*config) error

type config struct {
	appID, appKey, baseURL, ua string
	suite                      Suite
	wrap                       KeyWrap
	oaep                       crypt.OAEP
	rsaPriv                    *rsa.PrivateKey
	sm2Priv                    *sm2.PrivateKey
	notifyPub                  *rsa.PublicKey
	hc                         *http.Client
	now                        func() time.Time
	nonce                      func() string
	log                        *slog.Logger
	timeout                    time.Duration
	maxBody                    int64
}

// WithApp sets the appId (8 characters) and appKey the operator issued.
func WithApp(appID, appKey string) Option {
	return func(c *config) error {
		if len(appID) != 8 || appKey == "" {
			return errors.New("evidence: WithApp: appId must be 8 characters and appKey non-empty")
		}
		c.appID, c.appKey = appID, appKey
		return nil
	}
}

// WithPrivateKey sets the integrator's private key, which unwraps the field
// key: RSA (PEM or base64 PKCS#1/PKCS#8) for SuiteRSA, SM2 for SuiteSM.
func WithPrivateKey(pem []byte) Option {
	return func(c *config) error {
		if k, err := keys.ParseRSAPrivateKey(pem); err == nil {
			c.rsaPriv = k
			return nil
		}
		k, err := keys.ParseSM2PrivateKey(pem)
		if err != nil {
			return fmt.Errorf("evidence: private key is neither RSA nor SM2: %w", err)
		}
		c.sm2Priv = k
		return nil
	}
}

// WithNotifyPublicKey sets the operator's public key that signs
// notifications (DECSSIGN).
func WithNotifyPublicKey(pem []byte) Option {
	return func(c *config) error {
		k, err := keys.ParseRSAPublicKey(pem)
		if err != nil {
			return fmt.Errorf("evidence: notify public key: %w", err)
		}
		c.notifyPub = k
		return nil
	}
}

// WithBaseURL sets the API host.
func WithBaseURL(u string) Option {
	return func(c *config) error {
		p, err := url.Parse(u)
		if err != nil || (p.Scheme != "https" && p.Scheme != "http") || p.Host == "" {
			return errors.New("evidence: WithBaseURL: want an absolute http(s) URL")
		}
		c.baseURL = strings.TrimRight(u, "/")
		return nil
	}
}

// WithSuite selects SuiteRSA (default) or SuiteSM.
func WithSuite(s Suite) Option { return func(c *config) error { c.suite = s; return nil } }

// WithOAEP unwraps the aesKey with RSA-OAEP instead of PKCS#1 v1.5.
func WithOAEP(o crypt.OAEP) Option {
	return func(c *config) error { c.wrap, c.oaep = KeyWrapOAEP, o; return nil }
}

// WithHTTPClient sets the *http.Client (redirects are never followed).
func WithHTTPClient(hc *http.Client) Option { return func(c *config) error { c.hc = hc; return nil } }

// WithClock sets the clock.
func WithClock(now func() time.Time) Option { return func(c *config) error { c.now = now; return nil } }

// WithNonce sets the nonce source (32 alphanumerics by default; tests).
func WithNonce(f func() string) Option { return func(c *config) error { c.nonce = f; return nil } }

// WithLogger logs calls at debug level (never keys or personal data).
func WithLogger(l *slog.Logger) Option { return func(c *config) error { c.log = l; return nil } }

// WithTimeout bounds a call whose context has no deadline (30 s default).
func WithTimeout(d time.Duration) Option { return func(c *config) error { c.timeout = d; return nil } }

// Client calls the DECS API. It is safe for concurrent use; the field key
// is fetched once and shared.
type Client struct {
	cfg  config
	http *resty.Client
	mac  *sign.HMAC

	mu     sync.Mutex
	aesKey []byte
}

// NewClient returns a Client; WithApp, WithPrivateKey and WithBaseURL are
// required (WithNotifyPublicKey for notifications).
func NewClient(opts ...Option) (*Client, error) {
	cfg := config{now: time.Now, nonce: func() string { return nonce.Alnum(32) }, timeout: transport.DefaultTimeout, maxBody: 10 << 20, ua: "bizapi-cn-go-sdk-evidence"}
	for _, o := range opts {
		if err := o(&cfg); err != nil {
			return nil, err
		}
	}
	var missing []string
	if cfg.appID == "" {
		missing = append(missing, "WithApp")
	}
	if cfg.baseURL == "" {
		missing = append(missing, "WithBaseURL")
	}
	if cfg.suite == SuiteRSA && cfg.rsaPriv == nil || cfg.suite == SuiteSM && cfg.sm2Priv == nil {
		missing = append(missing, "WithPrivateKey (of the suite's kind)")
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("evidence: NewClient: missing %v", missing)
	}
	if cfg.log == nil {
		cfg.log = slog.New(slog.DiscardHandler)
	}
	c := &Client{cfg: cfg, http: transport.NewResty(cfg.hc)}
	if cfg.suite == SuiteSM {
		c.mac = sign.NewHMACSM3([]byte(cfg.appKey))
	} else {
		c.mac = sign.NewHMACSHA256([]byte(cfg.appKey))
	}
	return c, nil
}

// DECSHash returns the DECSHASH of a body: uppercase hex of
// HMAC(appKey, sortedJSON(body) + appKey).
func (c *Client) DECSHash(sorted []byte) string {
	msg := make([]byte, 0, len(sorted)+len(c.cfg.appKey))
	msg = append(append(msg, sorted...), c.cfg.appKey...)
	return c.mac.UpperHex(msg)
}

// Body returns the exact request bytes for arg: the sorted compact JSON of
// {"v":"1.0.0","auth":{"appId","nonce"},"arg":arg}.
func (c *Client) Body(arg any) ([]byte, error) {
	return sortedjson.Marshal(map[string]any{"v": "1.0.0", "auth": map[string]string{"appId": c.cfg.appID, "nonce": c.cfg.nonce()}, "arg": arg})
}

type answer struct {
	ErrorCode    int             `json:"errorCode"`
	ErrorMessage string          `json:"errorMessage"`
	Data         json.RawMessage `json:"data"`
}

// post sends arg to path and decodes data into out.
func (c *Client) post(ctx context.Context, path string, arg, out any) error {
	body, err := c.Body(arg)
	if err != nil {
		return fmt.Errorf("evidence: %s: %w", path, err)
	}
	ctx, cancel := transport.WithTimeout(ctx, c.cfg.timeout)
	defer cancel()
	resp, err := c.http.R().SetContext(ctx).SetHeader("Content-Type", "application/json;charset=UTF-8").
		SetHeader("DECSHASH", c.DECSHash(body)).SetHeader("User-Agent", c.cfg.ua).SetBody(body).Post(c.cfg.baseURL + path)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return fmt.Errorf("evidence: %s: %w", path, err)
	}
	raw, err := transport.ReadAll(resp.RawBody(), c.cfg.maxBody)
	resp.RawBody().Close()
	c.cfg.log.LogAttrs(ctx, slog.LevelDebug, "evidence: call", slog.String("path", path), slog.Int("status", resp.StatusCode()))
	if err != nil {
		return fmt.Errorf("evidence: %s: read response: %w", path, err)
	}
	var a answer
	if err := json.Unmarshal(raw, &a); err != nil {
		if resp.StatusCode()/100 != 2 {
			return fmt.Errorf("evidence: %s: %w", path, &transport.StatusError{StatusCode: resp.StatusCode()})
		}
		return fmt.Errorf("evidence: %s: response is not JSON", path)
	}
	if a.ErrorCode != 0 {
		return &APIError{Path: path, Code: ErrorCode(a.ErrorCode), Message: a.ErrorMessage, HTTPStatus: resp.StatusCode()}
	}
	if out != nil && len(a.Data) > 0 && string(a.Data) != "null" {
		if err := json.Unmarshal(a.Data, out); err != nil {
			return fmt.Errorf("evidence: %s: decode data: %w", path, err)
		}
	}
	return nil
}

// fieldKey returns the cached field key, fetching it on first use.
func (c *Client) fieldKey(ctx context.Context, refresh bool) ([]byte, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.aesKey != nil && !refresh {
		return c.aesKey, nil
	}
	var out struct {
		AESKey string `json:"aeskey"`
	}
	if err := c.post(ctx, "/api/das/update-aes-key", map[string]any{}, &out); err != nil {
		return nil, err
	}
	wrapped, err := base64.StdEncoding.DecodeString(out.AESKey)
	if err != nil || len(wrapped) == 0 {
		return nil, errors.New("evidence: update-aes-key: aeskey is not base64")
	}
	var key []byte
	switch {
	case c.cfg.suite == SuiteSM:
		key, _, err = crypt.SM2DecryptAuto(c.cfg.sm2Priv, wrapped)
	case c.cfg.wrap == KeyWrapOAEP:
		key, err = crypt.DecryptOAEP(c.cfg.rsaPriv, wrapped, c.cfg.oaep)
	default:
		key, err = crypt.DecryptPKCS1v15(c.cfg.rsaPriv, wrapped)
	}
	if err != nil {
		return nil, fmt.Errorf("evidence: update-aes-key: the key does not unwrap with this private key: %w", err)
	}
	if len(key) != 16 {
		return nil, fmt.Errorf("evidence: update-aes-key: unwrapped key is %d bytes, want 16", len(key))
	}
	c.aesKey = key
	return key, nil
}

func (c *Client) encrypt(key []byte, s string) (string, error) {
	var ct []byte
	var err error
	if c.cfg.suite == SuiteSM {
		ct, err = crypt.SM4ECBEncrypt(key, []byte(s))
	} else {
		ct, err = crypt.AESECBEncrypt(key, []byte(s))
	}
	return base64.StdEncoding.EncodeToString(ct), err
}

func (c *Client) decrypt(key []byte, s string) (string, error) {
	ct, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return "", ErrFieldDecrypt
	}
	var pt []byte
	if c.cfg.suite == SuiteSM {
		pt, err = crypt.SM4ECBDecrypt(key, ct)
	} else {
		pt, err = crypt.AESECBDecrypt(key, ct)
	}
	if err != nil {
		return "", ErrFieldDecrypt
	}
	return string(pt), nil
}

// withKey runs fn with the field key, refreshing the key once when the
// provider says it could not decrypt (−43037, −44050).
func (c *Client) withKey(ctx context.Context, fn func(key []byte) error) error {
	key, err := c.fieldKey(ctx, false)
	if err != nil {
		return err
	}
	err = fn(key)
	var ae *APIError
	if errors.As(err, &ae) && ae.Code.KeyExpired() {
		if key, err = c.fieldKey(ctx, true); err != nil {
			return err
		}
		return fn(key)
	}
	return err
}
