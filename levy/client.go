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
	"time"

	"github.com/bizapi-cn/go-sdk/internal/sign"
	"github.com/bizapi-cn/go-sdk/internal/transport"
	"github.com/go-resty/resty/v2"
)

// cst is Beijing time, a fixed zone: no tzdata needed.
var cst = time.FixedZone("CST", 8*3600)

// TimestampLayout is the envelope's timestamp format (Beijing time).
const TimestampLayout = "2006-01-02T15:04:05.000"

// Client calls the Olading levy API. It is safe for concurrent use.
type Client struct {
	cfg  config
	http *resty.Client
	mac  *sign.HMAC
}

// NewClient returns a Client. WithCredentials and WithBaseURL are required.
func NewClient(opts ...Option) (*Client, error) {
	cfg := config{timeout: transport.DefaultTimeout, retries: 2, maxBody: 1 << 20, now: time.Now, ua: "bizapi-cn-go-sdk-levy"}
	for _, o := range opts {
		if err := o(&cfg); err != nil {
			return nil, err
		}
	}
	var missing []string
	if cfg.clientKey == "" && cfg.signer == nil {
		missing = append(missing, "WithCredentials")
	}
	if cfg.baseURL == "" {
		missing = append(missing, "WithBaseURL")
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("levy: NewClient: missing %v", missing)
	}
	c := &Client{cfg: cfg, http: transport.NewResty(cfg.hc)}
	if len(cfg.secret) > 0 {
		c.mac = sign.NewHMACSHA256(cfg.secret)
	}
	if c.cfg.signer == nil {
		c.cfg.signer = c.mac
	}
	if c.cfg.verifier == nil {
		if c.mac == nil {
			return nil, errors.New("levy: NewClient: WithVerifier is required without a secret")
		}
		c.cfg.verifier = c.mac
	}
	if c.cfg.log == nil {
		c.cfg.log = slog.New(slog.DiscardHandler)
	}
	return c, nil
}

// envelope is the req JSON; field order is the wire order.
type envelope struct {
	Name      string `json:"name"`
	ClientKey string `json:"client_key"`
	Timestamp string `json:"timestamp"`
	Data      any    `json:"data"`
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

// Request returns the req JSON and its base64 signature for interface name
// and data at the client's clock: exactly what is sent.
func (c *Client) Request(ctx context.Context, name string, data any) (req []byte, sig string, err error) {
	req, err = marshal(envelope{Name: name, ClientKey: c.cfg.clientKey, Timestamp: c.cfg.now().In(cst).Format(TimestampLayout), Data: data})
	if err != nil {
		return nil, "", fmt.Errorf("levy: encode %s: %w", name, err)
	}
	raw, err := c.cfg.signer.Sign(ctx, req)
	if err != nil {
		return nil, "", fmt.Errorf("levy: sign %s: %w", name, err)
	}
	return req, base64.StdEncoding.EncodeToString(raw), nil
}

// response is the answer envelope.
type response struct {
	Name    string          `json:"name"`
	Code    Code            `json:"code"`
	Message string          `json:"message"`
	Data    json.RawMessage `json:"data"`
}

// idempotent interfaces are queries: safe to repeat.
func idempotent(name string) bool {
	switch name {
	case NameQueryOrder, NameQuerySignUpBatch, NameQueryIDCardImage:
		return true
	}
	return false
}

// call sends data as interface name and decodes the answer's data into out.
func (c *Client) call(ctx context.Context, name string, data, out any) error {
	return c.exchange(ctx, name, out, func(ctx context.Context) (io.Reader, error) {
		req, sig, err := c.Request(ctx, name, data)
		if err != nil {
			return nil, err
		}
		return bytes.NewReader(formBody(req, sig)), nil
	}, true)
}

func formBody(req []byte, sig string) []byte {
	b := make([]byte, 0, len(req)*3/2+len(sig)+16)
	b = append(b, "req="...)
	b = append(b, url.QueryEscape(string(req))...)
	b = append(b, "&sign="...)
	return append(b, url.QueryEscape(sig)...)
}

// exchange runs the request path with the retry rules: body builds a fresh,
// re-signed body per attempt; replayable says whether body may be called
// again.
func (c *Client) exchange(ctx context.Context, name string, out any, body func(context.Context) (io.Reader, error), replayable bool) error {
	ctx, cancel := transport.WithTimeout(ctx, c.cfg.timeout)
	defer cancel()
	safe := idempotent(name)
	for attempt := 1; ; attempt++ {
		b, err := body(ctx)
		if err != nil {
			return err
		}
		status, err := c.once(ctx, name, b, out)
		if err == nil {
			return nil
		}
		switch transport.Judge(ctx, status, err, safe) {
		case transport.Unknown:
			return fmt.Errorf("%w: %s: %w", ErrOutcomeUnknown, name, err)
		case transport.Stop:
			return err
		}
		if !replayable || attempt > c.cfg.retries {
			return err
		}
		if err := transport.Sleep(ctx, transport.Backoff(attempt)); err != nil {
			return fmt.Errorf("levy: %s: %w", name, err)
		}
	}
}

// once performs one HTTP exchange. status is 0 when no answer arrived.
func (c *Client) once(ctx context.Context, name string, body io.Reader, out any) (status int, err error) {
	path := BasePath(name)
	start := c.cfg.now()
	var (
		rawBody io.ReadCloser
		header  http.Header
	)
	if _, streamed := body.(*io.PipeReader); streamed {
		// resty (v2.17) reads any io.Reader body whole to build GetBody,
		// which defeats streaming a 10 MB upload; streamed bodies go to
		// the same *http.Client (same transport, no redirects) directly.
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.cfg.baseURL+path, body)
		if err != nil {
			return 0, fmt.Errorf("levy: %s: %w", name, err)
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded;charset=UTF-8")
		req.Header.Set("User-Agent", c.cfg.ua)
		resp, err := c.http.GetClient().Do(req)
		if err != nil {
			return 0, c.transportError(ctx, name, path, err)
		}
		rawBody, header, status = resp.Body, resp.Header, resp.StatusCode
	} else {
		resp, err := c.http.R().SetContext(ctx).
			SetHeader("Content-Type", "application/x-www-form-urlencoded;charset=UTF-8").
			SetHeader("User-Agent", c.cfg.ua).
			SetBody(body).
			Post(c.cfg.baseURL + path)
		if err != nil {
			return 0, c.transportError(ctx, name, path, err)
		}
		rawBody, header, status = resp.RawBody(), resp.Header(), resp.StatusCode()
	}
	raw, err := transport.ReadAnswer(rawBody, c.cfg.maxBody)
	c.cfg.log.LogAttrs(ctx, slog.LevelDebug, "levy: call", slog.String("name", name), slog.String("path", path),
		slog.Int("status", status), slog.Duration("took", c.cfg.now().Sub(start)))
	if err != nil {
		return 0, fmt.Errorf("levy: %s: %w", name, err) // incomplete: as ambiguous as no answer
	}
	return status, c.decode(ctx, name, status, header, raw, out)
}

func (c *Client) transportError(ctx context.Context, name, path string, err error) error {
	c.cfg.log.LogAttrs(ctx, slog.LevelDebug, "levy: call failed", slog.String("name", name), slog.String("path", path), slog.String("error", err.Error()))
	return fmt.Errorf("levy: %s: %w", name, unwrapURL(err))
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
// success.
func (c *Client) decode(ctx context.Context, name string, status int, h http.Header, raw []byte, out any) error {
	if !c.cfg.noVerify {
		sig, err := base64.StdEncoding.DecodeString(h.Get("Api-Sign"))
		if err != nil || len(sig) == 0 || c.cfg.verifier.Verify(ctx, raw, sig) != nil {
			c.cfg.log.LogAttrs(ctx, slog.LevelWarn, "levy: response signature mismatch", slog.String("name", name),
				slog.Int("status", status), slog.Int("body_bytes", len(raw)))
			if status/100 != 2 {
				return fmt.Errorf("%w: %s answered HTTP %d without a valid Api-Sign: %w", ErrInvalidSignature, name, status, &transport.StatusError{StatusCode: status})
			}
			return fmt.Errorf("%w: %s response", ErrInvalidSignature, name)
		}
	}
	var r response
	if err := json.Unmarshal(raw, &r); err != nil || r.Code == "" {
		if status/100 != 2 {
			return fmt.Errorf("levy: %s: %w", name, &transport.StatusError{StatusCode: status})
		}
		return fmt.Errorf("levy: %s: response is not the answer envelope", name)
	}
	if r.Code != CodeOK {
		return &APIError{Name: name, Code: r.Code, Message: r.Message, HTTPStatus: status}
	}
	if status/100 != 2 {
		return fmt.Errorf("levy: %s: %w", name, &transport.StatusError{StatusCode: status})
	}
	if out != nil && len(r.Data) > 0 && string(r.Data) != "null" {
		if err := json.Unmarshal(r.Data, out); err != nil {
			return fmt.Errorf("levy: %s: decode data: %w", name, err)
		}
	}
	return nil
}
