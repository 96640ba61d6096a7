// Package scancodetest is an in-process fake of the 中招互连 app server, like
// net/http/httptest: it encrypts payloads of any type with the configured
// scheme and POSTs them to a receiver, checks the answer's format, retries on
// ret "1" or no answer, and can send duplicates, corrupted ciphertexts and
// unknown types. It uses no network beyond the receiver URL it is given.
//
// NewApp() with no option encrypts to the package's own test key pair, so
// a receiver under test decrypts with SM2PrivateKeyPEM:
//
//	dec, _ := scancode.NewDecrypter(scancode.DecrypterConfig{SM2PrivateKey: scancodetest.SM2PrivateKeyPEM()})
//	app, _ := scancodetest.NewApp(scancodetest.WithReceiverURL(srv.URL), scancodetest.WithPlatformCode("M1100000034"))
//	res, err := app.Send(ctx, scancode.TypeScanStatus, scancode.ScanStatus{TID: tid, IsScaned: scancode.ScanStateScanned})
package scancodetest

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/bizapi-cn/go-sdk/internal/gm"

	"github.com/bizapi-cn/go-sdk/scancode"
	"github.com/tjfoc/gmsm/sm2"
)

// Body is how the app server sends the request.
type Body int

// Body encodings.
const (
	BodyForm Body = iota // application/x-www-form-urlencoded
	BodyJSON             // application/json, data as a JSON string
)

// String names the encoding.
func (b Body) String() string {
	switch b {
	case BodyForm:
		return "form"
	case BodyJSON:
		return "JSON"
	}
	return "Body(" + strconv.Itoa(int(b)) + ")"
}

// AppOption configures an App. An option refuses a nil, empty, zero or
// negative value, and a value the app server would never send.
type AppOption func(*config) error

type config struct {
	receiverURL  string
	platformCode string
	sm2Public    []byte
	sm4Key       []byte
	enc          scancode.SM2Encoding
	mode         scancode.SM4Mode
	iv           []byte
	body         Body
	maxAttempts  int
	retryDelay   time.Duration
	httpClient   *http.Client
}

// WithReceiverURL is where callbacks are POSTed (needed by Send, SendRaw,
// SendCorrupted and Burst, not by Envelope and Request).
func WithReceiverURL(u string) AppOption {
	return func(c *config) error {
		p, err := url.Parse(u)
		if err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" {
			return fmt.Errorf("WithReceiverURL(%q): want an http or https URL", u)
		}
		c.receiverURL = u
		return nil
	}
}

// WithPlatformCode sets the platformCode parameter, 11 letters or digits
// (protocols.md: "platformCode (11 chars)"). Without it the parameter is
// not sent.
func WithPlatformCode(code string) AppOption {
	return func(c *config) error {
		if len(code) != 11 || strings.IndexFunc(code, func(r rune) bool {
			return !(r >= '0' && r <= '9' || r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z')
		}) >= 0 {
			return fmt.Errorf("WithPlatformCode: %d characters, want 11 letters or digits", len(code))
		}
		c.platformCode = code
		return nil
	}
}

// WithSM2PublicKey sets the platform's SM2 public key (PEM, base64 or
// hex): a fresh SM4 key per callback is wrapped into desKey. Without it and
// without WithSM4Key, the App encrypts to its own test key pair
// (SM2PublicKeyPEM, whose private half is SM2PrivateKeyPEM).
func WithSM2PublicKey(pem []byte) AppOption {
	return func(c *config) error {
		if len(pem) == 0 {
			return errors.New("WithSM2PublicKey: empty key")
		}
		if _, err := gm.ParseSM2PublicKey(pem); err != nil {
			return fmt.Errorf("WithSM2PublicKey: %s", strings.TrimPrefix(err.Error(), "keys: "))
		}
		c.sm2Public = bytes.Clone(pem)
		return nil
	}
}

// WithPlatformPrivateKey encrypts to the public half of the platform's
// SM2 private key (PEM, base64 or hex), for a program that holds only the
// private key and drives its own receiver. The real app server holds only
// the public key: prefer WithSM2PublicKey where you have it.
func WithPlatformPrivateKey(pem []byte) AppOption {
	return func(c *config) error {
		if len(pem) == 0 {
			return errors.New("WithPlatformPrivateKey: empty key")
		}
		priv, err := gm.ParseSM2PrivateKey(pem)
		if err != nil {
			return fmt.Errorf("WithPlatformPrivateKey: %s", strings.TrimPrefix(err.Error(), "keys: "))
		}
		c.sm2Public = []byte(fmt.Sprintf("04%064x%064x", priv.X, priv.Y))
		return nil
	}
}

// WithSM4Key sets a pre-shared 16-byte SM4 key: no desKey is sent. With
// WithSM2PublicKey too, the SM2 envelope wins.
func WithSM4Key(key []byte) AppOption {
	return func(c *config) error {
		if len(key) != 16 {
			return fmt.Errorf("WithSM4Key: %d bytes, want 16", len(key))
		}
		c.sm4Key = bytes.Clone(key)
		return nil
	}
}

// WithSM2Encoding sets desKey's layout (C1C3C2 by default; Auto is not an
// encoding a sender can use).
func WithSM2Encoding(e scancode.SM2Encoding) AppOption {
	return func(c *config) error {
		switch e {
		case scancode.SM2EncodingC1C3C2, scancode.SM2EncodingC1C2C3, scancode.SM2EncodingASN1:
			c.enc = e
			return nil
		}
		return fmt.Errorf("WithSM2Encoding(%v): want C1C3C2, C1C2C3 or ASN.1", e)
	}
}

// WithSM4CBC encrypts in CBC mode with the 16-byte iv (ECB by default).
func WithSM4CBC(iv []byte) AppOption {
	return func(c *config) error {
		if len(iv) != 16 {
			return fmt.Errorf("WithSM4CBC: IV of %d bytes, want 16", len(iv))
		}
		c.mode, c.iv = scancode.SM4ModeCBC, bytes.Clone(iv)
		return nil
	}
}

// WithBody sets the request encoding (BodyForm by default).
func WithBody(b Body) AppOption {
	return func(c *config) error {
		if b != BodyForm && b != BodyJSON {
			return fmt.Errorf("WithBody(%v): want BodyForm or BodyJSON", b)
		}
		c.body = b
		return nil
	}
}

// WithMaxAttempts sets how many times a callback is sent before the App
// gives up (3 by default).
func WithMaxAttempts(n int) AppOption {
	return func(c *config) error {
		if n <= 0 {
			return fmt.Errorf("WithMaxAttempts(%d): want a positive number", n)
		}
		c.maxAttempts = n
		return nil
	}
}

// WithRetryDelay sets the wait between attempts (none by default).
func WithRetryDelay(d time.Duration) AppOption {
	return func(c *config) error {
		if d <= 0 {
			return fmt.Errorf("WithRetryDelay(%v): want a positive duration", d)
		}
		c.retryDelay = d
		return nil
	}
}

// WithHTTPClient sets the client callbacks are sent with (one with a
// 10-second timeout by default).
func WithHTTPClient(hc *http.Client) AppOption {
	return func(c *config) error {
		if hc == nil {
			return errors.New("WithHTTPClient(nil)")
		}
		c.httpClient = hc
		return nil
	}
}

// App is a fake app server. It is safe for concurrent use.
type App struct {
	cfg  config
	pub  *sm2.PublicKey
	sent atomic.Int64
}

// NewApp returns an App, reporting every option's error at once.
func NewApp(opts ...AppOption) (*App, error) {
	cfg := config{enc: scancode.SM2EncodingC1C3C2, maxAttempts: 3}
	var errs []error
	for _, o := range opts {
		if o == nil {
			errs = append(errs, errors.New("nil AppOption"))
			continue
		}
		if err := o(&cfg); err != nil {
			errs = append(errs, err)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("scancodetest: NewApp: %w", err)
	}
	if cfg.sm2Public == nil && cfg.sm4Key == nil {
		cfg.sm2Public = SM2PublicKeyPEM()
	}
	a := &App{cfg: cfg}
	if cfg.sm2Public != nil {
		pub, err := gm.ParseSM2PublicKey(cfg.sm2Public)
		if err != nil {
			return nil, fmt.Errorf("scancodetest: NewApp: %w", err)
		}
		a.pub = pub
	}
	if a.cfg.httpClient == nil {
		a.cfg.httpClient = &http.Client{Timeout: 10 * time.Second}
	}
	return a, nil
}

// String describes the App without its keys.
func (a *App) String() string {
	scheme := "pre-shared SM4 " + a.cfg.mode.String()
	if a.pub != nil {
		scheme = "SM2 " + a.cfg.enc.String() + " + SM4 " + a.cfg.mode.String()
	}
	return fmt.Sprintf("scancodetest.App{receiver=%q platformCode=%q %s body=%v}", a.cfg.receiverURL, a.cfg.platformCode, scheme, a.cfg.body)
}

// Requests returns how many HTTP requests the App has sent.
func (a *App) Requests() int64 { return a.sent.Load() }

// Envelope encrypts payload (marshalled to JSON unless it is already
// []byte or json.RawMessage) into the data parameter's envelope.
func (a *App) Envelope(payload any) (scancode.Envelope, error) {
	plain, err := toJSON(payload)
	if err != nil {
		return scancode.Envelope{}, err
	}
	key := a.cfg.sm4Key
	var env scancode.Envelope
	if a.pub != nil {
		key = make([]byte, 16)
		_, _ = rand.Read(key)
		enc := gm.SM2C1C3C2
		switch a.cfg.enc {
		case scancode.SM2EncodingC1C2C3:
			enc = gm.SM2C1C2C3
		case scancode.SM2EncodingASN1:
			enc = gm.SM2ASN1
		}
		wrapped, err := gm.SM2Encrypt(a.pub, key, enc)
		if err != nil {
			return env, err
		}
		env.DesKey = base64.StdEncoding.EncodeToString(wrapped)
	}
	var ct []byte
	if a.cfg.mode == scancode.SM4ModeCBC {
		ct, err = gm.SM4CBCEncrypt(key, a.cfg.iv, plain)
	} else {
		ct, err = gm.SM4ECBEncrypt(key, plain)
	}
	if err != nil {
		return env, err
	}
	env.Encrypt = base64.StdEncoding.EncodeToString(ct)
	return env, nil
}

func toJSON(payload any) ([]byte, error) {
	switch p := payload.(type) {
	case []byte:
		return p, nil
	case json.RawMessage:
		return p, nil
	}
	return json.Marshal(payload)
}

// Request builds the HTTP body and Content-Type for one callback. It sends
// typ as given, so a test can build a request the app server would not
// send (a type of another length); platformCode is sent only when
// WithPlatformCode was given.
func (a *App) Request(typ scancode.Type, env scancode.Envelope) (contentType string, body []byte, err error) {
	data, err := json.Marshal(env)
	if err != nil {
		return "", nil, err
	}
	if a.cfg.body == BodyJSON {
		m := map[string]string{"type": string(typ), "data": string(data)}
		if a.cfg.platformCode != "" {
			m["platformCode"] = a.cfg.platformCode
		}
		b, err := json.Marshal(m)
		return "application/json", b, err
	}
	form := url.Values{"type": {string(typ)}, "data": {string(data)}}
	if a.cfg.platformCode != "" {
		form.Set("platformCode", a.cfg.platformCode)
	}
	return "application/x-www-form-urlencoded", []byte(form.Encode()), nil
}

// Answer is the receiver's decoded answer.
type Answer struct {
	Ret, Msg string
}

// Result says how a Send went.
type Result struct {
	Attempts int
	Last     Answer
}

// ErrNotAcknowledged reports a callback the receiver never answered ret "0".
var ErrNotAcknowledged = errors.New("scancodetest: callback not acknowledged")

// Send encrypts payload and POSTs it as type typ until the receiver answers
// ret "0" or MaxAttempts is reached.
func (a *App) Send(ctx context.Context, typ scancode.Type, payload any) (Result, error) {
	env, err := a.Envelope(payload)
	if err != nil {
		return Result{}, err
	}
	ct, body, err := a.Request(typ, env)
	if err != nil {
		return Result{}, err
	}
	return a.SendRaw(ctx, ct, body)
}

// SendCorrupted sends payload with one byte of its ciphertext flipped; a
// correct receiver refuses it every time.
func (a *App) SendCorrupted(ctx context.Context, typ scancode.Type, payload any) (Result, error) {
	env, err := a.Envelope(payload)
	if err != nil {
		return Result{}, err
	}
	raw, _ := base64.StdEncoding.DecodeString(env.Encrypt)
	raw[len(raw)/2] ^= 0x5a
	env.Encrypt = base64.StdEncoding.EncodeToString(raw)
	ct, body, err := a.Request(typ, env)
	if err != nil {
		return Result{}, err
	}
	return a.SendRaw(ctx, ct, body)
}

// SendRaw POSTs a prepared body with retries, checking the answer format.
func (a *App) SendRaw(ctx context.Context, contentType string, body []byte) (Result, error) {
	var res Result
	var lastErr error
	if a.cfg.receiverURL == "" {
		return res, errors.New("scancodetest: no receiver URL (WithReceiverURL)")
	}
	for res.Attempts < a.cfg.maxAttempts {
		if res.Attempts > 0 && a.cfg.retryDelay > 0 {
			t := time.NewTimer(a.cfg.retryDelay)
			select {
			case <-ctx.Done():
				t.Stop()
				return res, ctx.Err()
			case <-t.C:
			}
		}
		res.Attempts++
		ans, err := a.post(ctx, contentType, body)
		if err != nil {
			lastErr = err
			continue
		}
		res.Last = ans
		if ans.Ret == "0" {
			return res, nil
		}
		lastErr = fmt.Errorf("%w: ret %q msg %q", ErrNotAcknowledged, ans.Ret, ans.Msg)
	}
	if lastErr == nil {
		lastErr = ErrNotAcknowledged
	}
	return res, lastErr
}

// post sends once and validates the answer: exactly
// {"header":{"ret":"0"|"1","msg":…},"data":null}.
func (a *App) post(ctx context.Context, contentType string, body []byte) (Answer, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, a.cfg.receiverURL, bytes.NewReader(body))
	if err != nil {
		return Answer{}, err
	}
	req.Header.Set("Content-Type", contentType)
	a.sent.Add(1)
	resp, err := a.cfg.httpClient.Do(req)
	if err != nil {
		return Answer{}, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if err != nil {
		return Answer{}, err
	}
	var ans struct {
		Header *struct {
			Ret *string `json:"ret"`
			Msg *string `json:"msg"`
		} `json:"header"`
		Data json.RawMessage `json:"data"`
	}
	if err := json.Unmarshal(raw, &ans); err != nil || ans.Header == nil || ans.Header.Ret == nil || ans.Header.Msg == nil ||
		string(ans.Data) != "null" || (*ans.Header.Ret != "0" && *ans.Header.Ret != "1") {
		return Answer{}, fmt.Errorf("scancodetest: answer is not {header:{ret,msg},data:null}: status %d", resp.StatusCode)
	}
	return Answer{Ret: *ans.Header.Ret, Msg: *ans.Header.Msg}, nil
}

// Burst encrypts each payload once as type typ and sends it copies times,
// all at once (len(payloads)*copies concurrent senders), as the app server
// does when it redelivers under load. It returns one error per failed send.
func (a *App) Burst(ctx context.Context, typ scancode.Type, payloads []any, copies int) []error {
	type req struct {
		ct   string
		body []byte
	}
	reqs := make([]req, 0, len(payloads))
	for _, p := range payloads {
		env, err := a.Envelope(p)
		if err != nil {
			return []error{err}
		}
		ct, body, err := a.Request(typ, env)
		if err != nil {
			return []error{err}
		}
		reqs = append(reqs, req{ct, body})
	}
	var (
		mu   sync.Mutex
		errs []error
		wg   sync.WaitGroup
	)
	for _, r := range reqs {
		for range copies {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, err := a.SendRaw(ctx, r.ct, r.body); err != nil {
					mu.Lock()
					errs = append(errs, err)
					mu.Unlock()
				}
			}()
		}
	}
	wg.Wait()
	return errs
}
