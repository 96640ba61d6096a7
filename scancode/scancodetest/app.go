// Package scancodetest is an in-process fake of the 中招互连 app server, like
// net/http/httptest: it encrypts payloads of any type with the configured
// scheme and POSTs them to a receiver, checks the answer's format, retries on
// ret "1" or no answer, and can send duplicates, corrupted ciphertexts and
// unknown types. It uses no network beyond the receiver URL it is given.
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
	"sync"
	"sync/atomic"
	"time"

	"github.com/bizapi-cn/go-sdk/internal/crypt"
	"github.com/bizapi-cn/go-sdk/internal/keys"
	"github.com/bizapi-cn/go-sdk/scancode"
	"github.com/tjfoc/gmsm/sm2"
)

// Body is how the app server sends the request.
type Body int

// Body encodings.
const (
	Form Body = iota // application/x-www-form-urlencoded
	JSON             // application/json, data as a JSON string
)

// Config configures an App.
type Config struct {
	// ReceiverURL is where callbacks are POSTed.
	ReceiverURL string
	// PlatformCode is sent as platformCode (11 characters).
	PlatformCode string
	// SM2PublicKey is the platform's SM2 public key (PEM, base64 or hex): a
	// fresh SM4 key per callback is wrapped into desKey. Without it, SM4Key
	// is a pre-shared key and no desKey is sent.
	SM2PublicKey []byte
	SM4Key       []byte
	// SM2Encoding of desKey; scancode.SM2Auto means C1C3C2.
	SM2Encoding scancode.SM2Encoding
	SM4Mode     scancode.SM4Mode
	IV          []byte
	// Body is the request encoding (Form by default).
	Body Body
	// MaxAttempts per callback (3 by default); RetryDelay between them.
	MaxAttempts int
	RetryDelay  time.Duration
	HTTPClient  *http.Client
}

// App is a fake app server. It is safe for concurrent use.
type App struct {
	cfg  Config
	pub  *sm2.PublicKey
	sent atomic.Int64
}

// NewApp checks cfg and returns an App.
func NewApp(cfg Config) (*App, error) {
	a := &App{cfg: cfg}
	if len(cfg.SM2PublicKey) > 0 {
		pub, err := keys.ParseSM2PublicKey(cfg.SM2PublicKey)
		if err != nil {
			return nil, fmt.Errorf("scancodetest: %w", err)
		}
		a.pub = pub
	} else if len(cfg.SM4Key) != 16 {
		return nil, errors.New("scancodetest: need SM2PublicKey or a 16-byte SM4Key")
	}
	if cfg.SM4Mode == scancode.SM4CBC && len(cfg.IV) != 16 {
		return nil, errors.New("scancodetest: CBC needs a 16-byte IV")
	}
	if a.cfg.MaxAttempts <= 0 {
		a.cfg.MaxAttempts = 3
	}
	if a.cfg.HTTPClient == nil {
		a.cfg.HTTPClient = &http.Client{Timeout: 10 * time.Second}
	}
	return a, nil
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
	key := a.cfg.SM4Key
	var env scancode.Envelope
	if a.pub != nil {
		key = make([]byte, 16)
		_, _ = rand.Read(key)
		enc := crypt.SM2C1C3C2
		switch a.cfg.SM2Encoding {
		case scancode.SM2C1C2C3:
			enc = crypt.SM2C1C2C3
		case scancode.SM2ASN1:
			enc = crypt.SM2ASN1
		}
		wrapped, err := crypt.SM2Encrypt(a.pub, key, enc)
		if err != nil {
			return env, err
		}
		env.DesKey = base64.StdEncoding.EncodeToString(wrapped)
	}
	var ct []byte
	if a.cfg.SM4Mode == scancode.SM4CBC {
		ct, err = crypt.SM4CBCEncrypt(key, a.cfg.IV, plain)
	} else {
		ct, err = crypt.SM4ECBEncrypt(key, plain)
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

// Request builds the HTTP body and Content-Type for one callback.
func (a *App) Request(typ scancode.Type, env scancode.Envelope) (contentType string, body []byte, err error) {
	data, err := json.Marshal(env)
	if err != nil {
		return "", nil, err
	}
	if a.cfg.Body == JSON {
		b, err := json.Marshal(map[string]string{"type": string(typ), "data": string(data), "platformCode": a.cfg.PlatformCode})
		return "application/json", b, err
	}
	form := url.Values{"type": {string(typ)}, "data": {string(data)}, "platformCode": {a.cfg.PlatformCode}}
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
	for res.Attempts < a.cfg.MaxAttempts {
		if res.Attempts > 0 && a.cfg.RetryDelay > 0 {
			select {
			case <-ctx.Done():
				return res, ctx.Err()
			case <-time.After(a.cfg.RetryDelay):
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
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, a.cfg.ReceiverURL, bytes.NewReader(body))
	if err != nil {
		return Answer{}, err
	}
	req.Header.Set("Content-Type", contentType)
	a.sent.Add(1)
	resp, err := a.cfg.HTTPClient.Do(req)
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
		(string(ans.Data) != "null" && len(ans.Data) != 0) || (*ans.Header.Ret != "0" && *ans.Header.Ret != "1") {
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
