package levy

import (
	"bytes"
	"context"
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
	"strings"
	"time"

	"github.com/go-resty/resty/v2"

	"github.com/bizapi-cn/go-sdk/internal/jsonkeys"
	"github.com/bizapi-cn/go-sdk/internal/nonce"
	"github.com/bizapi-cn/go-sdk/internal/sign"
	"github.com/bizapi-cn/go-sdk/internal/transport"
	"github.com/bizapi-cn/go-sdk/levy/internal/trust"
	"github.com/bizapi-cn/go-sdk/levy/internal/wire"
)

// userAgent is the default User-Agent.
var userAgent = "bizapi-cn-go-sdk-levy/" + Version + " go/" + strings.TrimPrefix(runtime.Version(), "go")

// Client calls the Olading levy API. It is safe for concurrent use.
type Client struct {
	cfg      config
	rc       *resty.Client
	mac      *sign.HMAC
	verifier Verifier         // the host's, or mac
	diag     *trust.Diagnoser // nil without WithDiagnostics
}

// applyOptions runs opts over the defaults, joining every option's error.
func applyOptions(opts []Option) (config, error) {
	cfg := config{timeout: transport.DefaultTimeout, retries: 2, maxBody: 1 << 20, now: time.Now, ua: userAgent}
	if err := trust.Apply(&cfg, opts); err != nil {
		return cfg, err
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	return cfg, nil
}

// NewClient returns a Client. A client key (WithCredentials or
// WithClientKey) and WithBaseURL are required, and either the secret
// (WithCredentials) or both WithSigner and WithVerifier.
func NewClient(opts ...Option) (*Client, error) {
	cfg, err := applyOptions(opts)
	if err != nil {
		return nil, fmt.Errorf("levy: NewClient: %w", err)
	}
	var missing []string
	if cfg.ClientKey == "" {
		missing = append(missing, "WithCredentials or WithClientKey")
	}
	if cfg.baseURL == "" {
		missing = append(missing, "WithBaseURL")
	}
	if len(cfg.Secret) == 0 {
		if cfg.signer == nil {
			missing = append(missing, "WithSigner")
		}
		if cfg.Verifier == nil {
			missing = append(missing, "WithVerifier")
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("levy: NewClient: missing %s", strings.Join(missing, ", "))
	}
	rc, err := transport.New(cfg.net)
	if err != nil {
		return nil, fmt.Errorf("levy: NewClient: %w", err)
	}
	c := &Client{cfg: cfg, rc: rc, verifier: cfg.Verifier}
	if len(cfg.Secret) > 0 {
		c.mac = sign.NewHMACSHA256(cfg.Secret)
	}
	if c.cfg.signer == nil {
		c.cfg.signer = c.mac
	}
	if c.verifier == nil {
		c.verifier = c.mac
	}
	c.diag = c.cfg.Diagnoser(c.verifier)
	return c, nil
}

// NewRequestID returns a unique request_id at the client's clock (see
// WithClock): the Beijing-time second (yyyyMMddHHmmss) and 18 random
// alphanumerics, 32 characters, the most the spec allows.
func (c *Client) NewRequestID() string {
	return nonce.TimeID(c.cfg.now(), 18)
}

// envelope is the req JSON; field order is the wire order.
type envelope struct {
	Name      Operation `json:"name"`
	ClientKey string    `json:"client_key"`
	Timestamp string    `json:"timestamp"`
	Data      any       `json:"data"`
}

// marshal encodes v without HTML escaping (the bytes signed are the bytes
// sent, so either is valid; unescaped is what the provider's samples show).
func marshal(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// request returns the req JSON and its base64 signature for op and data at
// the client's clock: exactly what is sent.
func (c *Client) request(ctx context.Context, op Operation, data any) (req []byte, sig string, err error) {
	req, err = marshal(envelope{Name: op, ClientKey: c.cfg.ClientKey, Timestamp: c.cfg.now().In(wire.CST).Format(wire.TimestampLayout), Data: data})
	if err != nil {
		return nil, "", fmt.Errorf("levy: %s: encode: %w", op, err)
	}
	raw, err := c.cfg.signer.Sign(ctx, req)
	if err != nil {
		return nil, "", fmt.Errorf("levy: %s: sign: %w", op, err)
	}
	return req, base64.StdEncoding.EncodeToString(raw), nil
}

// response is the answer envelope.
type response struct {
	Name    Operation       `json:"name"`
	Code    Code            `json:"code"`
	Message string          `json:"message"`
	Data    json.RawMessage `json:"data"`
}

// call sends data as op and decodes the answer's data into out. key is the
// request's own identifier (Metadata.RequestID, OutcomeUnknownError.Key).
func (c *Client) call(ctx context.Context, op Operation, key string, data, out any) (Metadata, error) {
	return c.exchange(ctx, op, key, out, func(ctx context.Context) (io.Reader, int64, error) {
		req, sig, err := c.request(ctx, op, data)
		if err != nil {
			return nil, 0, err
		}
		b := formBody(req, sig)
		return bytes.NewReader(b), int64(len(b)), nil
	}, true)
}

func formBody(req []byte, sig string) []byte {
	b := make([]byte, 0, len(req)*3/2+len(sig)+16)
	b = append(b, "req="...)
	b = append(b, url.QueryEscape(string(req))...)
	b = append(b, "&sign="...)
	return append(b, url.QueryEscape(sig)...)
}

// errBuild marks an error of building the request (encoding, signing,
// reading a file to upload): nothing complete was sent.
type buildError struct{ err error }

func (e *buildError) Error() string { return e.err.Error() }
func (e *buildError) Unwrap() error { return e.err }

// exchange runs the request path with the retry rules: body builds a fresh,
// re-signed body per attempt (with its length, or -1 when streamed);
// replayable says whether body may be called again.
//
// A call that changes state returns a definite answer (a verified success,
// fully decoded, or a verified *APIError) or an *OutcomeUnknownError;
// only an error proving the request never left (or was never complete) is
// returned as it is.
func (c *Client) exchange(ctx context.Context, op Operation, key string, out any, body func(context.Context) (io.Reader, int64, error), replayable bool) (Metadata, error) {
	switch {
	case c == nil || c.cfg.signer == nil || c.verifier == nil || c.rc == nil:
		return Metadata{RequestID: key}, fmt.Errorf("levy: %s: the Client was not made by NewClient", op)
	case ctx == nil:
		return Metadata{RequestID: key}, fmt.Errorf("levy: %s: nil context", op)
	}
	ctx, cancel := transport.WithTimeout(ctx, c.cfg.timeout)
	defer cancel()
	for attempt := 1; ; attempt++ {
		b, n, err := body(ctx)
		if err != nil {
			return Metadata{RequestID: key}, err
		}
		actx, acancel, timedOut := transport.Attempt(ctx, c.cfg.attempt)
		md, err := c.once(actx, op, b, n, out)
		acancel()
		if err != nil && timedOut() {
			// The attempt ran out, not the call: no answer, as a lost one.
			md.StatusCode = 0
			err = fmt.Errorf("attempt timed out after %v: %w", c.cfg.attempt, err)
		}
		md.RequestID = key
		if err == nil {
			return md, nil
		}
		var api *APIError
		var be *buildError
		switch {
		case errors.As(err, &api):
			api.Metadata.RequestID = key
			if op.ChangesState() && api.Code == CodeSystemFailure {
				// 系统失败 says the provider failed, not that it refused:
				// the change may have been made before it did.
				return md, &OutcomeUnknownError{Operation: op, Key: key, Err: err}
			}
			if op.ChangesState() || !api.Code.Temporary() || !replayable || attempt > c.cfg.retries || ctx.Err() != nil {
				return md, err // verified: definite
			}
			if err := transport.Sleep(ctx, transport.Backoff(attempt)); err != nil {
				return md, fmt.Errorf("levy: %s: %w", op, err)
			}
			continue // a query answered 0001 (system failure): retried
		case errors.As(err, &be):
			return md, be.err // never complete: the provider cannot have acted on it
		}
		notSent := md.StatusCode == 0 && transport.NotSent(err)
		if notSent && transport.Untrusted(err) {
			return md, err // a certificate that does not verify: never retried
		}
		retry := replayable && attempt <= c.cfg.retries && ctx.Err() == nil
		if op.ChangesState() {
			if !notSent {
				return md, &OutcomeUnknownError{Operation: op, Key: key, Err: err}
			}
		} else if !notSent && md.StatusCode != 0 && md.StatusCode < 500 {
			retry = false // a 4xx or a bad answer: repeating changes nothing
		}
		if !retry {
			return md, err
		}
		if err := transport.Sleep(ctx, transport.Backoff(attempt)); err != nil {
			return md, fmt.Errorf("levy: %s: %w", op, err)
		}
	}
}

// once performs one HTTP exchange. md.StatusCode is 0 when no complete
// answer arrived. size is the body's length (-1: unknown, streamed).
func (c *Client) once(ctx context.Context, op Operation, body io.Reader, size int64, out any) (md Metadata, err error) {
	path := basePath(op)
	start := c.cfg.now()
	resp, err := transport.Send(ctx, c.rc, transport.Request{
		ProveUnsent: op.ChangesState(), // a query is retried after any lost answer
		Method:      http.MethodPost, URL: c.cfg.baseURL + path, Body: body, Size: size,
		Header: http.Header{
			"Content-Type": {"application/x-www-form-urlencoded;charset=UTF-8"},
			"Accept":       {"application/json"}, // the answer's type; set here, resty skips its content-type regexps (5 µs a call)
			"User-Agent":   {c.cfg.ua},
		},
	})
	if err != nil {
		var be *buildError
		if errors.As(err, &be) {
			return md, be
		}
		c.cfg.Log.LogAttrs(ctx, slog.LevelDebug, "levy: call failed", slog.String("name", string(op)), slog.String("path", path), slog.String("error", err.Error()))
		return md, fmt.Errorf("levy: %s: %w", op, unwrapURL(err))
	}
	raw, err := transport.ReadAnswerSized(resp.Body, resp.ContentLength, c.cfg.maxBody)
	c.cfg.Log.LogAttrs(ctx, slog.LevelDebug, "levy: call", slog.String("name", string(op)), slog.String("path", path),
		slog.Int("status", resp.StatusCode), slog.Duration("took", c.cfg.now().Sub(start)))
	if err != nil {
		return md, fmt.Errorf("levy: %s: %w", op, err) // incomplete: as ambiguous as no answer
	}
	md = Metadata{StatusCode: resp.StatusCode, Header: resp.Header}
	return md, c.decode(ctx, op, md, raw, out)
}

// echoed checks that an answer names the request: another id (or none)
// means the answer is not this call's, a signed answer of another call
// replayed (answers carry no timestamp), and so ErrMalformedResponse. For
// a state change that is as good as no answer (an *OutcomeUnknownError
// keyed by key); a query, which changed nothing, returns the error
// itself.
func echoed(op Operation, key, field, got string) error {
	if got == key {
		return nil
	}
	return notEchoed(op, key, field)
}

// notEchoed is echoed's error for an answer whose field is not the
// request's.
func notEchoed(op Operation, key, field string) error {
	if !op.ChangesState() {
		return fmt.Errorf("levy: %s: %w: the answer's %s is not the request's", op, ErrMalformedResponse, field)
	}
	return &OutcomeUnknownError{Operation: op, Key: key, Err: fmt.Errorf("%w: the answer's %s is not the request's", ErrMalformedResponse, field)}
}

// unwrapURL drops *url.Error's quoting of the full URL.
func unwrapURL(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// decode verifies Api-Sign over the raw body, then decodes. Error answers
// are verified too: an unsigned "failure" is as untrusted as an unsigned
// success. A body without Api-Sign that is not the answer envelope (a
// gateway's 502, an HTML page) is an *HTTPError; a wrong Api-Sign, or an
// envelope without one, is a *SignatureError (ErrInvalidSignature), with a
// diagnosis under WithDiagnostics.
func (c *Client) decode(ctx context.Context, op Operation, md Metadata, raw []byte, out any) error {
	status := md.StatusCode
	if !c.cfg.noVerify {
		hdr := md.Header.Get("Api-Sign")
		sig, err := base64.StdEncoding.DecodeString(hdr)
		if err != nil || len(sig) == 0 || c.verifier.Verify(ctx, raw, sig) != nil {
			c.cfg.Log.LogAttrs(ctx, slog.LevelWarn, "levy: response not verified", slog.String("name", string(op)),
				slog.Int("status", status), slog.Int("body_bytes", len(raw)), slog.Bool("api_sign", hdr != ""))
			if hdr == "" && !looksLikeEnvelope(raw) {
				return &HTTPError{Operation: op, StatusCode: status, Metadata: md}
			}
			return c.signatureError(ctx, op, status, raw, hdr)
		}
	}
	if q, ok := out.(*QueryOrderResponse); ok && status/100 == 2 && decodeQueryOrderFast(op, raw, q) {
		return nil // what it reads, jsonkeys.Check and decodeSuccess accept alike
	}
	if err := jsonkeys.Check(raw); err != nil && json.Valid(raw) {
		return fmt.Errorf("levy: %s: %w: %w", op, ErrMalformedResponse, jsonkeys.ErrAmbiguous)
	}
	if status/100 == 2 && decodeSuccess(op, raw, out) {
		return nil
	}
	var r response
	if err := json.Unmarshal(raw, &r); err != nil || r.Code == "" {
		if status/100 != 2 {
			return &HTTPError{Operation: op, StatusCode: status, Metadata: md}
		}
		return fmt.Errorf("levy: %s: %w: not the answer envelope", op, ErrMalformedResponse)
	}
	if r.Name != "" && r.Name != op {
		return fmt.Errorf("levy: %s: %w: the answer is for %.40q", op, ErrMalformedResponse, string(r.Name))
	}
	if r.Code != CodeOK {
		return &APIError{Operation: op, Code: r.Code, Message: r.Message, Metadata: md}
	}
	if status/100 != 2 {
		return fmt.Errorf("levy: %s: %w: code 0 with HTTP %d", op, ErrMalformedResponse, status)
	}
	if out != nil && len(r.Data) > 0 && string(r.Data) != "null" {
		if err := json.Unmarshal(r.Data, out); err != nil {
			return fmt.Errorf("levy: %s: %w: data does not decode: %s", op, ErrMalformedResponse, wire.SafeJSONError(err))
		}
	}
	return nil
}

// decodeSuccess decodes the usual answer, a code 0 for op, in one pass:
// the envelope and its data into out together, where the general path
// below reads the envelope, then data again (twice the scanning, and a
// copy of data). It reports whether raw was that answer and decoded
// whole; for anything else (an error code, another name, a type error
// anywhere) it zeroes *out again and the general path decides, with the
// error it has always given. One pass decodes data exactly as the two
// did because CheckKeys has refused every answer with a member twice
// (two data members would merge here, where the last one won there).
func decodeSuccess(op Operation, raw []byte, out any) bool {
	rv := reflect.ValueOf(out)
	if rv.Kind() != reflect.Pointer || rv.IsNil() { // nil out too: its Kind is Invalid
		return false
	}
	r := struct {
		Name    Operation `json:"name"`
		Code    Code      `json:"code"`
		Message string    `json:"message"` // unused, but a message of another type is a malformed answer
		Data    any       `json:"data"`    // out: json decodes through a non-nil pointer held in an interface
	}{Data: out}
	if json.Unmarshal(raw, &r) == nil && r.Code == CodeOK && (r.Name == "" || r.Name == op) {
		return true
	}
	rv.Elem().SetZero()
	return false
}

// looksLikeEnvelope reports whether raw is a JSON object with a code: an
// answer that claims to come from the provider.
func looksLikeEnvelope(raw []byte) bool {
	var probe struct {
		Code json.RawMessage `json:"code"`
	}
	return json.Unmarshal(raw, &probe) == nil && len(probe.Code) > 0
}
