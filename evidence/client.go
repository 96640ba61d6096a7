package evidence

import (
	"bytes"
	"context"
	"crypto"
	"crypto/cipher"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/bizapi-cn/go-sdk/evidence/internal/decs"
	"github.com/bizapi-cn/go-sdk/evidence/notify"
	"github.com/bizapi-cn/go-sdk/internal/bodylimit"
	"github.com/bizapi-cn/go-sdk/internal/crypt"
	"github.com/bizapi-cn/go-sdk/internal/gm"
	"github.com/bizapi-cn/go-sdk/internal/nonce"
	"github.com/bizapi-cn/go-sdk/internal/sign"
	"github.com/bizapi-cn/go-sdk/internal/sortedjson"
	"github.com/bizapi-cn/go-sdk/internal/ssec"
	"github.com/bizapi-cn/go-sdk/internal/transport"
	"github.com/bizapi-cn/go-sdk/internal/validate"
	"github.com/bizapi-cn/go-sdk/store"
	"github.com/go-resty/resty/v2"
)

// Suite is notify.Suite; see there.
type Suite = notify.Suite

// Suites: notify's; see there.
const (
	SuiteRSA = notify.SuiteRSA
	SuiteSM  = notify.SuiteSM
)

// KeyWrap is how the RSA suite's aesKey is wrapped.
type KeyWrap int

// Key wraps: PKCS#1 v1.5 is what the provider documents; OAEP is an option.
const (
	KeyWrapPKCS1v15 KeyWrap = iota
	KeyWrapOAEP
)

// Operations: the DECS paths, as APIError.Operation and the fake name them.
const (
	OperationUpdateAESKey       = "/api/das/update-aes-key"
	OperationStartAcquisition   = "/api/das/start-vdi-x"
	OperationUploadUserProtocol = "/api/das/upload-user-protocol-x"
	OperationGetStatus          = "/api/das/get-da-status"
	OperationGetOriginalFiles   = "/api/efp/get-original-files-x"
	OperationGetParseResult     = "/api/efp/get-parse-result-x"
	OperationGetSitesState      = "/api/config/get-sites-state"
	OperationGetReconFile       = "/api/efp/get-recon-file"
)

// Option configures a Client or a NotificationVerifier.
type Option func(*config) error

type config struct {
	// decs.Config is what a NotificationVerifier takes: the app, the suite
	// (SM), the private key, the notify keys, WithInsecureNotificationHashOnly,
	// WithDiagnostics and the logger.
	decs.Config
	baseURL, ua string
	wrap        KeyWrap
	oaep        crypt.OAEP
	net         transport.Config
	now         func() time.Time
	nonce       func() string
	timeout     time.Duration
	attempt     time.Duration // 0: an attempt is bounded by the call alone
	maxBody     int64         // WithMaxResponseBytes; 0: DefaultMaxResponseBytes per endpoint
	retries     int
	keys        store.Keys
	maxDownload int64
}

// AppKeyLength is notify.AppKeyLength; see there.
const AppKeyLength = notify.AppKeyLength

// WithApp sets the appId (8 characters, the docs' auth.appId length) and
// the appKey the operator issued (AppKeyLength bytes). Anything else is
// refused by NewClient and NewNotificationVerifier with an error naming
// WithApp and the lengths (never the key): a truncated or padded key would
// only show later as −50005 on every call, or as every notification
// refused.
func WithApp(appID, appKey string) Option {
	return func(c *config) error { return c.SetApp(appID, appKey, AppKeyLength) }
}

// WithPrivateKey sets the integrator's private key, which unwraps the field
// key and signs the H5 entry URL: RSA (PEM or base64 PKCS#1/PKCS#8) for
// SuiteRSA, SM2 for SuiteSM. A notification receiver does not need it.
func WithPrivateKey(pem []byte) Option {
	return func(c *config) error { return c.SetPrivateKey(pem) }
}

// WithNotifyPublicKey adds the operator's public keys that sign
// notifications (DECSSIGN). Several may be given (or the option repeated):
// a notification verifies under any of them, so a key rotation needs no
// restart at a precise moment.
func WithNotifyPublicKey(pems ...[]byte) Option {
	return func(c *config) error { return c.AddNotifyPublicKeys(pems) }
}

// WithInsecureNotificationHashOnly accepts notifications on DECSHASH alone,
// without DECSSIGN. The docs call the signature check optional for
// integrators who were not given the operator's key; DECSHASH is a MAC
// under the appKey, so anyone holding the appKey (every process that calls
// the API) can forge a notification. Prefer WithNotifyPublicKey.
func WithInsecureNotificationHashOnly() Option {
	return func(c *config) error { c.HashOnly = true; return nil }
}

// WithBaseURL sets the API host.
func WithBaseURL(u string) Option {
	return func(c *config) error {
		if !validate.HTTPURL(u) {
			return errors.New("WithBaseURL: want an absolute http(s) URL")
		}
		c.baseURL = strings.TrimRight(u, "/")
		return nil
	}
}

// WithSuite selects SuiteRSA (default) or SuiteSM.
func WithSuite(s Suite) Option {
	return func(c *config) error { return c.SetSuite(int(s)) }
}

// WithOAEP unwraps the aesKey with RSA-OAEP instead of PKCS#1 v1.5 (the
// provider documents PKCS#1 v1.5). hash is OAEP's hash (crypto.SHA1 or
// crypto.SHA256, linked into the program), mgfHash MGF1's (0: the same).
func WithOAEP(hash, mgfHash crypto.Hash) Option {
	return func(c *config) error {
		if !hash.Available() || mgfHash != 0 && !mgfHash.Available() {
			return errors.New("WithOAEP: hash not available (import crypto/sha1 or crypto/sha256)")
		}
		c.wrap, c.oaep = KeyWrapOAEP, crypt.OAEP{Hash: hash, MGFHash: mgfHash}
		return nil
	}
}

// WithHTTPClient sets the *http.Client (redirects are never followed).
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
// User-Agent included, win) and, for the API calls, its redirect policy.
// DECS answers carry no signature: an answer after a redirect is trusted
// as any answer is, on TLS alone, so give rc a policy that follows no
// redirect (resty.NoRedirectPolicy()) unless the host must follow them
// (WithHTTPClient never follows one). The SDK still decides what each
// call sends, signs it, bounds the answer, and alone decides what is
// retried: rc must have RetryCount 0, since resty would send a state
// change again after a lost answer. Per request, the SDK turns off
// resty's response parsing and its debug log (which would show
// signatures and SSE-C keys). Two kinds of request do not go through rc's
// middlewares and hooks. Agreement uploads: resty would read the whole
// body into memory before sending, so they go to rc's *http.Client
// directly, with rc's client headers. Downloads carrying an SSE-C key:
// net/http copies the key headers to a redirect's target, to any host and
// over plain http, so they go through a copy of rc's *http.Client (the
// same transport and connection pool, cookie jar and timeout) that never
// follows a redirect, with rc's client headers. Refused when rc is nil,
// retries on its own, or is given with WithHTTPClient.
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

// WithClock sets the clock.
func WithClock(now func() time.Time) Option {
	return func(c *config) error {
		if now == nil {
			return errors.New("WithClock(nil)")
		}
		c.now = now
		return nil
	}
}

// WithNonce sets the nonce source (tests): it must give 32 letters and
// digits, a new one every call (the client refuses anything else before
// sending).
func WithNonce(f func() string) Option {
	return func(c *config) error {
		if f == nil {
			return errors.New("WithNonce(nil)")
		}
		c.nonce = f
		return nil
	}
}

// WithLogger logs calls at debug level (never keys or personal data), and
// the notification handler's refusals.
func WithLogger(l *slog.Logger) Option {
	return func(c *config) error { return c.SetLogger(l) }
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

// WithRetries sets how many times a call that is safe to repeat is retried
// (2 by default; 0 disables).
func WithRetries(n int) Option {
	return func(c *config) error {
		if n < 0 {
			return fmt.Errorf("WithRetries(%d): want ≥ 0", n)
		}
		c.retries = n
		return nil
	}
}

// WithMaxResponseBytes bounds every answer's body, and the
// reconciliation file, to n bytes, in place of the per-endpoint defaults
// (DefaultMaxResponseBytes).
func WithMaxResponseBytes(n int64) Option {
	return func(c *config) error {
		if n <= 0 {
			return fmt.Errorf("WithMaxResponseBytes(%d): want > 0", n)
		}
		c.maxBody = n
		return nil
	}
}

// WithMaxDownloadBytes bounds what Download and Open read of one file
// (no limit by default): a longer body ends in ErrDownloadTooLarge.
func WithMaxDownloadBytes(n int64) Option {
	return func(c *config) error {
		if n <= 0 {
			return fmt.Errorf("WithMaxDownloadBytes(%d): want > 0", n)
		}
		c.maxDownload = n
		return nil
	}
}

// WithUserAgent sets the User-Agent header (by default
// bizapi-cn-go-sdk-evidence/<Version> go/<go version>).
func WithUserAgent(ua string) Option {
	return func(c *config) error {
		if ua == "" || strings.ContainsAny(ua, "\r\n") {
			return errors.New("WithUserAgent: want a non-empty single line")
		}
		c.ua = ua
		return nil
	}
}

// WithFieldKeyStore shares the application's field key through s: every
// process of one app must use the same key, since each update-aes-key
// makes the service issue a new one and refuse the old (−43037). The
// default is an in-memory store of this Client only; give all processes
// one shared store (Redis, SQL) so that they fetch one key between them.
// The store holds the key as the service sent it, wrapped with the
// integrator's public key.
func WithFieldKeyStore(s store.Keys) Option {
	return func(c *config) error {
		if s == nil {
			return errors.New("WithFieldKeyStore(nil)")
		}
		c.keys = s
		return nil
	}
}

func defaultConfig() config {
	return config{now: time.Now, nonce: func() string { return nonce.Alnum(32) }, timeout: transport.DefaultTimeout,
		retries: 2, ua: "bizapi-cn-go-sdk-evidence/" + Version + " go/" + strings.TrimPrefix(runtime.Version(), "go")}
}

func applyOptions(cfg *config, opts []Option) error {
	if err := decs.Apply(cfg, opts); err != nil {
		return err
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	return nil
}

// errNilClient: a call on the nil *Client a failed NewClient returned is
// an error, not a panic.
var errNilClient = errors.New("evidence: nil *Client (NewClient returned an error)")

// Client calls the DECS API. It is safe for concurrent use.
type Client struct {
	cfg  config
	http *resty.Client
	mac  *sign.HMAC
	fk   fieldKeys
	nv   *NotificationVerifier // nil without a notify key
}

// NewClient returns a Client; WithApp, WithPrivateKey and WithBaseURL are
// required (a notification receiver needs only NewNotificationVerifier).
func NewClient(opts ...Option) (*Client, error) {
	cfg := defaultConfig()
	if err := applyOptions(&cfg, opts); err != nil {
		return nil, err
	}
	var missing []string
	if cfg.AppID == "" {
		missing = append(missing, "WithApp")
	}
	if cfg.baseURL == "" {
		missing = append(missing, "WithBaseURL")
	}
	if !cfg.SM && cfg.RSAPriv == nil {
		missing = append(missing, "WithPrivateKey (RSA)")
	}
	if cfg.SM && cfg.SM2Priv == nil {
		missing = append(missing, "WithPrivateKey (SM2)")
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("evidence: NewClient: missing %s", strings.Join(missing, ", "))
	}
	if cfg.keys == nil {
		cfg.keys = store.NewMemoryKeys()
	}
	rc, err := transport.New(cfg.net)
	if err != nil {
		return nil, fmt.Errorf("evidence: NewClient: %w", err)
	}
	c := &Client{cfg: cfg, http: rc, mac: decs.NewMAC(cfg.Config)}
	c.fk.name = "evidence/field-key/" + cfg.AppID
	if len(cfg.NotifyPubs) > 0 || cfg.HashOnly {
		c.nv = newVerifier(cfg)
	}
	return c, nil
}

// NotificationVerifier returns the verifier of the client's options, or an
// error when it has no notify public key (WithNotifyPublicKey).
func (c *Client) NotificationVerifier() (*NotificationVerifier, error) {
	if c.nv == nil {
		return nil, errors.New("evidence: NotificationVerifier: missing WithNotifyPublicKey")
	}
	return c.nv, nil
}

func (c *Client) newNonce() (string, error) {
	n := c.cfg.nonce()
	if len(n) != 32 || strings.IndexFunc(n, func(r rune) bool {
		return !(r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z')
	}) >= 0 {
		return "", errors.New("evidence: the nonce source did not give 32 letters and digits")
	}
	return n, nil
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
	dst = sortedjson.AppendString(dst, c.cfg.AppID)
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
// update-aes-key issues a new key, but repeating it only issues another.
var safePaths = map[string]bool{
	OperationUpdateAESKey: true, OperationGetStatus: true, OperationGetOriginalFiles: true,
	OperationGetParseResult: true, OperationGetSitesState: true, OperationGetReconFile: true,
}

// post sends arg to path and decodes data into out; key is what an
// OutcomeUnknownError names.
func (c *Client) post(ctx context.Context, path, key string, arg, out any) (Metadata, error) {
	return c.exchange(ctx, path, key, func(context.Context) (transport.Request, error) {
		n, err := c.newNonce()
		if err != nil {
			return transport.Request{}, err
		}
		body, err := c.body(arg, n)
		if err != nil {
			return transport.Request{}, fmt.Errorf("evidence: %s: %w", path, err)
		}
		return c.newRequest(path, bytes.NewReader(body), int64(len(body)), decs.Hash(c.mac, c.cfg.AppKey, body)), nil
	}, out)
}

// exchange sends the request build makes (a fresh nonce and hash per
// attempt) and decodes data into out, with the retry rules: a request
// that provably never left is retried; a query is also retried after a
// 5xx, a lost answer or a retryable errorCode. A call that changes state
// gets an *OutcomeUnknownError for anything but a complete DECS answer
// (an errorCode, or data that decodes in full). An error of build
// (nothing was sent) is returned as is.
func (c *Client) exchange(ctx context.Context, path, key string, build func(context.Context) (transport.Request, error), out any) (Metadata, error) {
	if c == nil {
		return Metadata{}, errNilClient
	}
	ctx, cancel := transport.WithTimeout(ctx, c.cfg.timeout)
	defer cancel()
	safe := safePaths[path]
	for attempt := 1; ; attempt++ {
		actx, acancel, timedOut := transport.Attempt(ctx, c.cfg.attempt)
		req, err := build(actx)
		if err != nil {
			acancel()
			return Metadata{}, err
		}
		req.ProveUnsent = !safe // a query is retried after any lost answer
		md, err := c.send(actx, path, req, out)
		acancel()
		if err == nil {
			return md, nil
		}
		if se := (*streamError)(nil); errors.As(err, &se) && md.StatusCode == 0 {
			return md, fmt.Errorf("evidence: %s: %w", path, se) // never complete: not retried, not unknown
		}
		if timedOut() {
			// The attempt ran out, not the call: no answer, as a lost one.
			md.StatusCode = 0
			err = fmt.Errorf("attempt timed out after %v: %w", c.cfg.attempt, err)
		}
		var ae *APIError
		isAPI := errors.As(err, &ae)
		if !safe {
			switch {
			case isAPI && md.StatusCode/100 == 2 && ae.Code != ErrorCodeNetwork:
				return md, err // a definite refusal
			// An errorCode in a 5xx, or −48007 (the docs: the external
			// load balancer's error), may come from in front of the
			// service: not a definite answer.
			case md.StatusCode == 0 && transport.NotSent(err) && !transport.Untrusted(err) && attempt <= c.cfg.retries:
			case md.StatusCode == 0 && transport.NotSent(err):
				return md, err
			default:
				return md, &OutcomeUnknownError{Operation: path, Key: key, Err: err}
			}
		} else {
			verdict := transport.Judge(ctx, md.StatusCode, err, true)
			if isAPI {
				verdict = transport.Stop
				if ae.Code.Retryable() && !ae.Code.KeyExpired() {
					verdict = transport.Retry
				}
			}
			if verdict == transport.Stop || attempt > c.cfg.retries {
				return md, err
			}
		}
		if err := transport.Sleep(ctx, transport.Backoff(attempt)); err != nil {
			return md, fmt.Errorf("evidence: %s: %w", path, err)
		}
	}
}

// newRequest is a DECS call to path carrying body (size bytes) and its
// DECSHASH.
func (c *Client) newRequest(path string, body io.Reader, size int64, hash string) transport.Request {
	return transport.Request{Method: http.MethodPost, URL: c.cfg.baseURL + path, Body: body, Size: size, Header: http.Header{
		"Content-Type": {"application/json"},
		"Accept":       {"application/json"}, // what resty added; set here, resty skips its content-type regexps
		"Decshash":     {hash},
		"User-Agent":   {c.cfg.ua},
	}}
}

// send is one exchange through transport.Send; Metadata.StatusCode is 0
// when no (complete) answer arrived.
func (c *Client) send(ctx context.Context, path string, req transport.Request, out any) (Metadata, error) {
	resp, err := transport.Send(ctx, c.http, req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return Metadata{}, fmt.Errorf("evidence: %s: %w", path, err)
	}
	raw, err := transport.ReadAnswerSized(resp.Body, resp.ContentLength, c.answerLimit(path))
	c.cfg.Log.LogAttrs(ctx, slog.LevelDebug, "evidence: call", slog.String("path", path), slog.Int("status", resp.StatusCode))
	if err != nil {
		return Metadata{}, fmt.Errorf("evidence: %s: %w", path, err) // incomplete: as ambiguous as no answer
	}
	md := Metadata{StatusCode: resp.StatusCode, Header: resp.Header}
	return md, decodeAnswer(path, md, raw, out)
}

// DefaultMaxResponseBytes is the bound of operation's answer (an
// Operation* path) unless WithMaxResponseBytes says otherwise. The bounds
// are the SDK's, sized to what each endpoint can answer with room to
// spare (the docs give no maximum): a few fields for the calls that key or
// start a session and for get-recon-file, which answers with the file's
// URL; a child-session list for get-da-status; the list of sites for
// get-sites-state; presigned URL lists for the file calls. An answer over
// its bound is an error, never cut short. A smaller bound is less work
// spent on a hostile answer: DECS signs no answer, and decoding one holds
// at most about 3× its bound (BENCHMARKS.md).
func DefaultMaxResponseBytes(operation string) int64 {
	switch operation {
	case OperationGetStatus, OperationGetSitesState:
		return 1 << 20
	case OperationGetOriginalFiles, OperationGetParseResult:
		return 4 << 20
	}
	return 64 << 10 // update-aes-key, start-vdi-x, upload-user-protocol-x, get-recon-file
}

// DefaultMaxReconBytes bounds the reconciliation file FetchRecon reads,
// one CSV row per session of a day, unless WithMaxResponseBytes says
// otherwise. A longer file is an error, never a shorter list: a row left
// out would read as a session never opened (ErrNotInRecon).
const DefaultMaxReconBytes = 64 << 20

// answerLimit is the bound of path's answer.
func (c *Client) answerLimit(path string) int64 {
	if c.cfg.maxBody > 0 {
		return c.cfg.maxBody
	}
	return DefaultMaxResponseBytes(path)
}

// decodeAnswer decodes a response document: errorCode ≠ 0 is *APIError,
// a non-JSON or non-2xx answer *HTTPError, a 2xx answer whose data does
// not decode ErrMalformedResponse.
func decodeAnswer(path string, md Metadata, raw []byte, out any) error {
	// DECS answers carry no signature: bound what decoding them can cost
	// before decoding (BenchmarkHostileEvidence: 10 MiB of {} entries in
	// childDaList held 688 MiB of heap).
	if bodylimit.DenseJSON(raw, bodylimit.MaxJSONContainers) {
		return fmt.Errorf("evidence: %s: %w: more than %d JSON objects and arrays", path, ErrMalformedResponse, bodylimit.MaxJSONContainers)
	}
	if md.StatusCode/100 == 2 {
		if s, ok := out.(*GetStatusResponse); ok && decodeStatusFast(raw, s) {
			return nil // the most frequent call, read in one pass
		}
		if decodeSuccess(raw, out) {
			return nil
		}
	}
	var b answer
	if err := json.Unmarshal(raw, &b); err != nil || b.ErrorCode == nil {
		if md.StatusCode/100 != 2 {
			return &HTTPError{Operation: path, Metadata: md}
		}
		return fmt.Errorf("evidence: %s: %w", path, ErrMalformedResponse)
	}
	if *b.ErrorCode != 0 {
		return &APIError{Operation: path, Code: ErrorCode(*b.ErrorCode), Message: b.ErrorMessage, Metadata: md}
	}
	if md.StatusCode/100 != 2 {
		return &HTTPError{Operation: path, Metadata: md}
	}
	if out != nil && len(b.Data) > 0 && string(b.Data) != "null" {
		if err := json.Unmarshal(b.Data, out); err != nil {
			return fmt.Errorf("evidence: %s: %w: data: %s", path, ErrMalformedResponse, decs.JSONErrText(err))
		}
	}
	return nil
}

// decodeSuccess decodes the usual answer, errorCode 0, in one pass: the
// envelope and its data into out together, where decodeAnswer reads the
// envelope, then data again (twice the scanning, and a copy of data). It
// reports whether raw was that answer and decoded whole; for anything
// else (an errorCode, a type error anywhere, two members named data,
// which would merge here where the last one won there) it zeroes *out
// again and decodeAnswer decides, with the error it has always given.
func decodeSuccess(raw []byte, out any) bool {
	rv := reflect.ValueOf(out)
	if rv.Kind() != reflect.Pointer || rv.IsNil() || !decs.AtMostOneMember(raw, "data") { // nil out: Kind Invalid
		return false
	}
	b := struct {
		ErrorCode    *int   `json:"errorCode"`
		ErrorMessage string `json:"errorMessage"` // unused, but one of another type is a malformed answer
		Data         any    `json:"data"`         // out: json decodes through a non-nil pointer held in an interface
	}{Data: out}
	if json.Unmarshal(raw, &b) == nil && b.ErrorCode != nil && *b.ErrorCode == 0 {
		return true
	}
	rv.Elem().SetZero()
	return false
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
	if c.cfg.SM {
		return gm.NewSM4(key)
	}
	return crypt.NewAES(key)
}

// withKey runs fn with the application's field key and runs it once more
// when that key is refused: the provider says it could not decrypt
// (−43037, −44050), or an encrypted field of its answer does not decrypt
// (another process of the same app fetched a new key). Only the queries
// have encrypted answers, so a second attempt after an answer arrived is
// always a query's; a start or upload refused with −43037 in a definite
// answer was not acted on. An *OutcomeUnknownError is returned as it is,
// whatever it wraps: an errorCode in a 5xx (a gateway's, or the service's
// mid-failure) is no definite refusal, so the call is never sent again,
// and the key is not replaced on its word either (a definite −43037 on a
// later call does that).
func (c *Client) withKey(ctx context.Context, fn func(key []byte) error) error {
	if c == nil {
		return errNilClient
	}
	v, key, err := c.fk.get(ctx, c, 0)
	if err != nil {
		return err
	}
	err = fn(key)
	if errors.Is(err, ErrOutcomeUnknown) {
		return err
	}
	var ae *APIError
	if (errors.As(err, &ae) && ae.Code.KeyExpired()) || errors.Is(err, ErrFieldDecrypt) {
		if _, key, err = c.fk.get(ctx, c, v); err != nil {
			return err
		}
		return fn(key)
	}
	return err
}
