package evidence

import (
	"bytes"
	"context"
	"crypto/cipher"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/bizapi-cn/go-sdk/internal/crypt"
	"github.com/bizapi-cn/go-sdk/internal/keys"
	"github.com/bizapi-cn/go-sdk/internal/nonce"
	"github.com/bizapi-cn/go-sdk/internal/sign"
	"github.com/bizapi-cn/go-sdk/internal/sortedjson"
	"github.com/bizapi-cn/go-sdk/internal/ssec"
	"github.com/bizapi-cn/go-sdk/internal/transport"
	"github.com/bizapi-cn/go-sdk/internal/validate"
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
	retries                    int
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
		if !validate.HTTPURL(u) {
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

// WithRetries sets how many times a call that is safe to repeat is retried
// (2 by default; 0 disables).
func WithRetries(n int) Option {
	return func(c *config) error {
		if n < 0 {
			return errors.New("evidence: WithRetries: n must be ≥ 0")
		}
		c.retries = n
		return nil
	}
}

// WithMaxResponseBytes bounds a response body (10 MiB by default).
func WithMaxResponseBytes(n int64) Option {
	return func(c *config) error {
		if n <= 0 {
			return errors.New("evidence: WithMaxResponseBytes: n must be > 0")
		}
		c.maxBody = n
		return nil
	}
}

// WithUserAgent sets the User-Agent header.
func WithUserAgent(ua string) Option { return func(c *config) error { c.ua = ua; return nil } }

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
	cfg := config{now: time.Now, nonce: func() string { return nonce.Alnum(32) }, timeout: transport.DefaultTimeout, maxBody: 10 << 20, retries: 2, ua: "bizapi-cn-go-sdk-evidence"}
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
	return c.body(arg, c.cfg.nonce())
}

func (c *Client) body(arg any, nonce string) ([]byte, error) {
	dst := make([]byte, 0, 256)
	dst = append(dst, `{"arg":`...)
	if m, ok := arg.(map[string]string); ok {
		// The common query shape, written directly: keys sorted, values
		// escaped as sortedjson does.
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		dst = append(dst, '{')
		for i, k := range keys {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = sortedjson.AppendString(dst, k)
			dst = append(dst, ':')
			dst = sortedjson.AppendString(dst, m[k])
		}
		dst = append(dst, '}')
	} else {
		a, err := sortedjson.Marshal(arg)
		if err != nil {
			return nil, err
		}
		dst = append(dst, a...)
	}
	return c.appendEnvelopeTail(dst, nonce), nil
}

// appendEnvelopeTail appends what follows arg in the sorted envelope:
// ,"auth":{"appId":…,"nonce":…},"v":"1.0.0"}.
func (c *Client) appendEnvelopeTail(dst []byte, nonce string) []byte {
	dst = append(dst, `,"auth":{"appId":`...)
	dst = sortedjson.AppendString(dst, c.cfg.appID)
	dst = append(dst, `,"nonce":`...)
	dst = sortedjson.AppendString(dst, nonce)
	return append(dst, `},"v":"1.0.0"}`...)
}

type answer struct {
	ErrorCode    *int            `json:"errorCode"`
	ErrorMessage string          `json:"errorMessage"`
	Data         json.RawMessage `json:"data"`
}

// safePaths are the calls that change nothing at the provider: they may
// be repeated after an ambiguous failure. start-vdi-x opens a session and
// upload-user-protocol-x stores an agreement: never repeated then.
var safePaths = map[string]bool{
	pathUpdateAESKey: true, pathStatus: true, pathOriginalFiles: true,
	pathParseResult: true, pathSitesState: true, pathReconFile: true,
}

// API paths.
const (
	pathUpdateAESKey  = "/api/das/update-aes-key"
	pathStart         = "/api/das/start-vdi-x"
	pathUpload        = "/api/das/upload-user-protocol-x"
	pathStatus        = "/api/das/get-da-status"
	pathOriginalFiles = "/api/efp/get-original-files-x"
	pathParseResult   = "/api/efp/get-parse-result-x"
	pathSitesState    = "/api/config/get-sites-state"
	pathReconFile     = "/api/efp/get-recon-file"
)

// post sends arg to path and decodes data into out.
func (c *Client) post(ctx context.Context, path string, arg, out any) error {
	return c.exchange(ctx, path, func(ctx context.Context) (*http.Request, error) {
		body, err := c.Body(arg)
		if err != nil {
			return nil, fmt.Errorf("evidence: %s: %w", path, err)
		}
		return c.newRequest(ctx, path, bytes.NewReader(body), c.DECSHash(body))
	}, out)
}

// exchange sends the request build makes (a fresh nonce and hash per
// attempt) and decodes data into out, with the retry rules: a request
// that provably never left is retried; a query is also retried after a
// 5xx, a lost answer or a retryable errorCode; a call that changes state
// returns ErrOutcomeUnknown when its outcome is ambiguous. An error of
// build (nothing was sent) is returned as is.
func (c *Client) exchange(ctx context.Context, path string, build func(context.Context) (*http.Request, error), out any) error {
	ctx, cancel := transport.WithTimeout(ctx, c.cfg.timeout)
	defer cancel()
	safe := safePaths[path]
	for attempt := 1; ; attempt++ {
		req, err := build(ctx)
		if err != nil {
			return err
		}
		status, err := c.send(ctx, path, req, out)
		if err == nil {
			return nil
		}
		// An errorCode is an answer, whatever the HTTP status: only a
		// query with a retryable code is sent again.
		verdict := transport.Judge(ctx, status, err, safe)
		if ae := (*APIError)(nil); errors.As(err, &ae) {
			verdict = transport.Stop
			if safe && ae.Code.Retryable() && !ae.Code.KeyExpired() {
				verdict = transport.Retry
			}
		}
		switch verdict {
		case transport.Unknown:
			return fmt.Errorf("%w: %w", ErrOutcomeUnknown, err)
		case transport.Stop:
			return err
		}
		if attempt > c.cfg.retries {
			return err
		}
		if err := transport.Sleep(ctx, transport.Backoff(attempt)); err != nil {
			return fmt.Errorf("evidence: %s: %w", path, err)
		}
	}
}

// newRequest is a DECS call to path carrying body and its DECSHASH.
func (c *Client) newRequest(ctx context.Context, path string, body io.Reader, hash string) (*http.Request, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.cfg.baseURL+path, body)
	if err != nil {
		return nil, fmt.Errorf("evidence: %s: %w", path, err)
	}
	req.Header = http.Header{
		"Content-Type": {"application/json;charset=UTF-8"},
		"Decshash":     {hash},
		"User-Agent":   {c.cfg.ua},
	}
	return req, nil
}

// send is one exchange; status is 0 when no (complete) answer arrived.
// It goes straight to the *http.Client that resty configured (same
// transport, no redirects): resty's per-request middleware (header
// parsing, content-type sniffing) was a third of the SDK's overhead on a
// 30 µs call, and the body is already final bytes.
func (c *Client) send(ctx context.Context, path string, req *http.Request, out any) (int, error) {
	resp, err := c.http.GetClient().Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return 0, fmt.Errorf("evidence: %s: %w", path, err)
	}
	raw, err := transport.ReadAnswer(resp.Body, c.cfg.maxBody)
	c.cfg.log.LogAttrs(ctx, slog.LevelDebug, "evidence: call", slog.String("path", path), slog.Int("status", resp.StatusCode))
	if err != nil {
		return 0, fmt.Errorf("evidence: %s: %w", path, err) // incomplete: as ambiguous as no answer
	}
	return resp.StatusCode, decodeAnswer(path, resp.StatusCode, raw, out)
}

// decodeAnswer decodes a response document: errorCode ≠ 0 is *APIError,
// a non-JSON non-2xx answer *transport.StatusError.
func decodeAnswer(path string, status int, raw []byte, out any) error {
	// One pass: errorCode, errorMessage and data straight into out.
	a := answerInto{Data: out}
	if out == nil {
		a.Data = &json.RawMessage{}
	}
	if err := json.Unmarshal(raw, &a); err == nil && a.ErrorCode != nil {
		if *a.ErrorCode != 0 {
			return &APIError{Path: path, Code: ErrorCode(*a.ErrorCode), Message: a.ErrorMessage, HTTPStatus: status}
		}
		if status/100 != 2 {
			return fmt.Errorf("evidence: %s: %w", path, &transport.StatusError{StatusCode: status})
		}
		return nil
	}
	// Something did not decode: find out what, in two passes.
	var b answer
	if err := json.Unmarshal(raw, &b); err != nil || b.ErrorCode == nil {
		if status/100 != 2 {
			return fmt.Errorf("evidence: %s: %w", path, &transport.StatusError{StatusCode: status})
		}
		return fmt.Errorf("evidence: %s: %w", path, ErrMalformedResponse)
	}
	if *b.ErrorCode != 0 {
		return &APIError{Path: path, Code: ErrorCode(*b.ErrorCode), Message: b.ErrorMessage, HTTPStatus: status}
	}
	if status/100 != 2 {
		return fmt.Errorf("evidence: %s: %w", path, &transport.StatusError{StatusCode: status})
	}
	if out != nil && len(b.Data) > 0 && string(b.Data) != "null" {
		if err := json.Unmarshal(b.Data, out); err != nil {
			return fmt.Errorf("evidence: %s: %w: data: %v", path, ErrMalformedResponse, err)
		}
	}
	return nil
}

type answerInto struct {
	ErrorCode    *int   `json:"errorCode"`
	ErrorMessage string `json:"errorMessage"`
	Data         any    `json:"data"`
}

// fieldKey returns the cached field key, fetching it on first use, or
// again when the cached key is still stale (the one a call just failed
// with): concurrent calls that fail together refresh once.
func (c *Client) fieldKey(ctx context.Context, stale []byte) ([]byte, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.aesKey != nil && (stale == nil || !bytes.Equal(c.aesKey, stale)) {
		return c.aesKey, nil
	}
	var out struct {
		AESKey string `json:"aeskey"`
	}
	if err := c.post(ctx, pathUpdateAESKey, map[string]any{}, &out); err != nil {
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
	b, err := c.block(key)
	if err != nil {
		return "", err
	}
	return base64.StdEncoding.EncodeToString(crypt.EncryptECB(b, []byte(s))), nil
}

// decrypt opens an encrypted field of an answer. ECB has no MAC: under a
// key that is not the provider's current one, about one field in 256 still
// unpads, to garbage, so a plaintext that is not UTF-8 is refused too, and
// openFiles checks what the URL and key fields must be.
func (c *Client) decrypt(key []byte, s string) (string, error) {
	if s == "" {
		return "", nil // an empty field (a file without a PDF password)
	}
	ct, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return "", ErrFieldDecrypt
	}
	b, err := c.block(key)
	if err != nil {
		return "", err
	}
	pt, err := crypt.DecryptECB(b, ct)
	if err != nil || !utf8.Valid(pt) {
		return "", ErrFieldDecrypt
	}
	return string(pt), nil
}

// openFiles decrypts the file URLs and the fileKey of a pull answer. Each
// URL must open to an absolute http(s) URL and the fileKey to an SSE-C key
// (base64 of 32 bytes); the error names the field that does not.
func (c *Client) openFiles(key []byte, path, urlField string, urls []string, fileKey string) ([]string, string, error) {
	var out []string
	for _, u := range urls {
		p, err := c.decrypt(key, u)
		if err == nil && !validate.HTTPURL(p) {
			err = ErrFieldDecrypt
		}
		if err != nil {
			return nil, "", fieldError(path, urlField, err)
		}
		out = append(out, p)
	}
	if fileKey == "" {
		return out, "", nil
	}
	k, err := c.decrypt(key, fileKey)
	if err == nil {
		if _, err = ssec.FromFileKey(k); err != nil {
			err = ErrFieldDecrypt
		}
	}
	if err != nil {
		return nil, "", fieldError(path, "ext.fileKey", err)
	}
	return out, k, nil
}

// block is the field cipher of the suite: AES (SuiteRSA) or SM4 (SuiteSM).
func (c *Client) block(key []byte) (cipher.Block, error) {
	if c.cfg.suite == SuiteSM {
		return crypt.NewSM4(key)
	}
	return crypt.NewAES(key)
}

// withKey runs fn with the field key and runs it once more with a fresh
// key when the cached one is stale: the provider says it could not decrypt
// (−43037, −44050), or an encrypted field of its answer does not decrypt
// (another process of the same app fetched a new key). Only the queries
// have encrypted answers, so a second attempt after an answer arrived is
// always a query's.
func (c *Client) withKey(ctx context.Context, fn func(key []byte) error) error {
	key, err := c.fieldKey(ctx, nil)
	if err != nil {
		return err
	}
	err = fn(key)
	var ae *APIError
	if (errors.As(err, &ae) && ae.Code.KeyExpired()) || errors.Is(err, ErrFieldDecrypt) {
		if key, err = c.fieldKey(ctx, key); err != nil {
			return err
		}
		return fn(key)
	}
	return err
}
