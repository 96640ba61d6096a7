package scancode_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/bizapi-cn/go-sdk/internal/callback"
	"github.com/bizapi-cn/go-sdk/scancode"
	"github.com/bizapi-cn/go-sdk/scancode/scancodetest"
)

const (
	ack  = `{"header":{"ret":"0","msg":"ok"},"data":null}`
	fail = `{"header":{"ret":"1","msg":"not handled"},"data":null}`
)

func serve(t *testing.T, h http.Handler, ct string, body []byte) (int, string) {
	t.Helper()
	rec := httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodPost, "/receiveAppLogController/receiveScanData", bytes.NewReader(body))
	req.Header.Set("Content-Type", ct)
	h.ServeHTTP(rec, req)
	return rec.Code, rec.Body.String()
}

// TestHandlerAcksOnlyAfterSuccess: a failing host handler gets ret "1" and
// the same callback, redelivered, is handled and acknowledged; a duplicate
// after that is acknowledged without calling the host again.
func TestHandlerAcksOnlyAfterSuccess(t *testing.T) {
	t.Parallel()
	d, app := fixture(t, scancodetest.BodyForm, scancode.SM2EncodingC1C3C2)
	var calls atomic.Int64
	failNext := atomic.Bool{}
	failNext.Store(true)
	h := newHandler(t, d, func(ctx context.Context, c *scancode.Callback) error {
		calls.Add(1)
		if failNext.Swap(false) {
			return errors.New("database down")
		}
		return nil
	}, scancode.WithDedupStore(memDedup(t)))
	env, _ := app.Envelope([]byte(`{"tId":"` + testTID + `","isScaned":"01"}`))
	ct, body, _ := app.Request(scancode.TypeScanStatus, env)

	for i, want := range []string{fail, ack, ack} {
		code, got := serve(t, h, ct, body)
		if code != http.StatusOK || got != want {
			t.Errorf("delivery %d = %d %s; want 200 %s", i+1, code, got, want)
		}
	}
	if n := calls.Load(); n != 2 {
		t.Errorf("host handler calls = %d; want 2 (fail, then success; the duplicate is not handled again)", n)
	}
}

func TestHandlerRefusals(t *testing.T) {
	t.Parallel()
	d, app := fixture(t, scancodetest.BodyJSON, scancode.SM2EncodingC1C3C2)
	var logs bytes.Buffer
	called := false
	h := newHandler(t, d, func(context.Context, *scancode.Callback) error { called = true; return nil },
		scancode.WithMaxBodyBytes(4096), scancode.WithLogger(slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))))
	env, _ := app.Envelope([]byte(`{"tId":"x"}`))
	// Forged: a flipped byte in the SM2-wrapped desKey, which SM2's C3
	// check always refuses. (A flipped ciphertext byte is no sure test:
	// SM4-ECB has no MAC, and one time in ~256 the garbled last block
	// still unpads and the callback is refused as malformed instead.)
	wrapped, _ := base64.StdEncoding.DecodeString(env.DesKey)
	wrapped[len(wrapped)-5] ^= 0x5a
	forgedKey := base64.StdEncoding.EncodeToString(wrapped)
	cases := []struct {
		name, ct string
		body     []byte
		code     int
		msg      string
	}{
		{"oversized", "application/json", bytes.Repeat([]byte("a"), 5000), 413, "body too large"},
		{"malformed", "application/json", []byte(`{"type":"01"}`), 400, "malformed callback"},
		{"forged", "application/json", []byte(`{"type":"01","data":{"encrypt":"` + env.Encrypt + `","desKey":"` + forgedKey + `"}}`), 400, "data does not decrypt"},
	}
	for _, c := range cases {
		code, got := serve(t, h, c.ct, c.body)
		want := `{"header":{"ret":"1","msg":"` + c.msg + `"},"data":null}`
		if code != c.code || got != want {
			t.Errorf("%s = %d %s; want %d %s", c.name, code, got, c.code, want)
		}
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))
	if rec.Code != http.StatusMethodNotAllowed {
		t.Errorf("GET = %d; want 405", rec.Code)
	}
	if called {
		t.Error("host handler called for a refused callback")
	}
	if strings.Contains(logs.String(), env.DesKey[:20]) || strings.Contains(logs.String(), env.Encrypt[:20]) {
		t.Error("logs contain ciphertext")
	}
}

// TestHandlerInFlightNotAcked: a duplicate arriving while the first
// delivery is being handled is not acknowledged.
func TestHandlerInFlightNotAcked(t *testing.T) {
	t.Parallel()
	d, app := fixture(t, scancodetest.BodyForm, scancode.SM2EncodingC1C3C2)
	entered, release := make(chan struct{}), make(chan struct{})
	h := newHandler(t, d, func(context.Context, *scancode.Callback) error {
		close(entered)
		<-release
		return nil
	}, scancode.WithDedupStore(memDedup(t)))
	env, _ := app.Envelope([]byte(`{"tId":"` + testTID + `"}`))
	ct, body, _ := app.Request(scancode.TypeScanStatus, env)
	done := make(chan string)
	go func() { _, got := serve(t, h, ct, body); done <- got }()
	<-entered
	if _, got := serve(t, h, ct, body); got != `{"header":{"ret":"1","msg":"busy, retry"},"data":null}` {
		t.Errorf("concurrent duplicate = %s; want busy", got)
	}
	close(release)
	if got := <-done; got != ack {
		t.Errorf("first delivery = %s; want ack", got)
	}
}

// TestFlowConcurrentDelivery: the fake app sends 100 distinct callbacks,
// each twice at once, in a burst; with the dedup store every one reaches the
// host handler exactly once and every send ends acknowledged.
func TestFlowConcurrentDelivery(t *testing.T) {
	t.Parallel()
	d, _ := fixture(t, scancodetest.BodyJSON, scancode.SM2EncodingC1C3C2)
	var mu sync.Mutex
	seen := map[string]int{}
	h := newHandler(t, d, func(ctx context.Context, c *scancode.Callback) error {
		mu.Lock()
		seen[c.EventID()]++
		mu.Unlock()
		return nil
	}, scancode.WithDedupStore(memDedup(t)))
	srv := httptest.NewServer(h)
	defer srv.Close()
	app2, err := scancodetest.NewApp(scancodetest.WithReceiverURL(srv.URL), scancodetest.WithSM2PublicKey(mustRead(t, "keys/sm2_public.pem")), scancodetest.WithBody(scancodetest.BodyJSON), scancodetest.WithPlatformCode("M1100000034"), scancodetest.WithMaxAttempts(20))
	if err != nil {
		t.Fatal(err)
	}
	const n = 100
	payloads := make([]any, n)
	for i := range n {
		payloads[i] = []byte(fmt.Sprintf(`{"TId":"M1100000034%032x","personName":"p%d"}`, i, i))
	}
	for _, err := range app2.Burst(context.Background(), scancode.TypeUserInfo, payloads, 2) {
		t.Errorf("send: %v", err)
	}
	if len(seen) != n {
		t.Errorf("distinct callbacks handled = %d; want %d", len(seen), n)
	}
	for id, c := range seen {
		if c != 1 {
			t.Errorf("%s handled %d times; want 1", id, c)
		}
	}
}

// TestFakeRetriesAndCorruption: the fake retries until acknowledged, and a
// corrupted ciphertext is never acknowledged.
func TestFakeRetriesAndCorruption(t *testing.T) {
	t.Parallel()
	d, _ := fixture(t, scancodetest.BodyForm, scancode.SM2EncodingC1C3C2)
	var calls atomic.Int64
	srv := httptest.NewServer(newHandler(t, d, func(context.Context, *scancode.Callback) error {
		if calls.Add(1) < 3 {
			return errors.New("not yet")
		}
		return nil
	}))
	defer srv.Close()
	app, err := scancodetest.NewApp(scancodetest.WithReceiverURL(srv.URL), scancodetest.WithSM2PublicKey(mustRead(t, "keys/sm2_public.pem")), scancodetest.WithSM2Encoding(scancode.SM2EncodingASN1), scancodetest.WithMaxAttempts(5))
	if err != nil {
		t.Fatal(err)
	}
	res, err := app.Send(context.Background(), scancode.TypeSignCert, scancode.SignCert{TID: testTID, SignCertSn: "1"})
	if err != nil || res.Attempts != 3 {
		t.Errorf("Send = %+v, %v; want acknowledged on attempt 3", res, err)
	}
	res, err = app.SendCorrupted(context.Background(), scancode.TypeSignCert, scancode.SignCert{TID: testTID})
	if !errors.Is(err, scancodetest.ErrNotAcknowledged) || res.Attempts != 5 {
		t.Errorf("SendCorrupted = %+v, %v; want refused 5 times", res, err)
	}
	if got := app.Requests(); got != 8 {
		t.Errorf("requests = %d; want 8", got)
	}
	// A receiver that answers in the wrong format is an error for the fake.
	// protocols.md: "The answer is {"header":{"ret":"0","msg":"..."},"data":null}":
	// data must be there, and null.
	for _, answer := range []string{"SUCCESS", `{"header":{"ret":"0","msg":"ok"}}`, `{"header":{"ret":"0","msg":"ok"},"data":{}}`, `{"header":{"ret":"2","msg":"ok"},"data":null}`} {
		bad := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { io.WriteString(w, answer) }))
		app3, _ := scancodetest.NewApp(scancodetest.WithReceiverURL(bad.URL), scancodetest.WithSM4Key(make([]byte, 16)), scancodetest.WithMaxAttempts(1))
		if _, err := app3.Send(context.Background(), scancode.TypeScanStatus, map[string]string{"tId": "x"}); err == nil || !strings.Contains(err.Error(), "not {header:{ret,msg},data:null}") {
			t.Errorf("answer %s: err = %v; want the fake to refuse its format", answer, err)
		}
		bad.Close()
	}
}

// TestHandlerReadTimeout: a body that stops arriving is cut off by the
// handler's own read deadline (WithReadTimeout), on a server that sets no
// timeout at all, and never reaches the host.
func TestHandlerReadTimeout(t *testing.T) {
	t.Parallel()
	d, _ := fixture(t, scancodetest.BodyForm, scancode.SM2EncodingC1C3C2)
	var calls atomic.Int64
	h := newHandler(t, d, func(context.Context, *scancode.Callback) error { calls.Add(1); return nil },
		scancode.WithReadTimeout(200*time.Millisecond))
	returned := make(chan time.Duration, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		h.ServeHTTP(w, r)
		returned <- time.Since(start)
	}))
	defer srv.Close()
	pr, pw := io.Pipe()
	defer pw.Close()                                         // lets the client go, whatever the handler did
	go func() { _, _ = pw.Write([]byte("type=01&data=")) }() // and then nothing
	req, _ := http.NewRequest(http.MethodPost, srv.URL, pr)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	answer := make(chan string, 1)
	go func() {
		resp, err := srv.Client().Do(req)
		if err != nil {
			answer <- err.Error()
			return
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		answer <- string(b)
	}()
	select {
	case d := <-returned:
		if d > 3*time.Second {
			t.Errorf("the handler held a stalled body %v; want about the 200 ms read timeout", d)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the handler still holds a stalled body after 5 s; want it cut off at the 200 ms read timeout")
	}
	if got := <-answer; got == ack {
		t.Error("a stalled body was acknowledged")
	}
	if calls.Load() != 0 {
		t.Error("the host was called for a stalled body")
	}
}

// TestHandlerPanicReleasesClaim: a host function that panics does not
// leave the callback in flight in the dedup store: the redelivery is
// handled (not answered "busy" for the store's lease), then acknowledged.
func TestHandlerPanicReleasesClaim(t *testing.T) {
	t.Parallel()
	d, app := fixture(t, scancodetest.BodyForm, scancode.SM2EncodingC1C3C2)
	var calls atomic.Int64
	h := newHandler(t, d, func(context.Context, *scancode.Callback) error {
		if calls.Add(1) == 1 {
			panic("host bug")
		}
		return nil
	}, scancode.WithDedupStore(memDedup(t)))
	env, _ := app.Envelope([]byte(`{"tId":"` + testTID + `","isScaned":"01"}`))
	ct, body, _ := app.Request(scancode.TypeScanStatus, env)
	func() {
		defer func() {
			if recover() == nil {
				t.Error("the host's panic was swallowed")
			}
		}()
		serve(t, h, ct, body)
	}()
	if code, got := serve(t, h, ct, body); code != http.StatusOK || got != ack {
		t.Errorf("redelivery after a panic = %d %s; want 200 %s", code, got, ack)
	}
	if calls.Load() != 2 {
		t.Errorf("host calls = %d; want 2 (the panic, then the redelivery)", calls.Load())
	}
}

// TestHandlerDedupByDefault: without WithDedupStore a redelivery is still
// deduplicated (in memory); WithoutDedup hands every delivery to the host.
func TestHandlerDedupByDefault(t *testing.T) {
	t.Parallel()
	d, app := fixture(t, scancodetest.BodyForm, scancode.SM2EncodingC1C3C2)
	env, _ := app.Envelope([]byte(`{"tId":"` + testTID + `","isScaned":"01"}`))
	ct, body, _ := app.Request(scancode.TypeScanStatus, env)
	for _, c := range []struct {
		name string
		opts []scancode.HandlerOption
		want int64
	}{
		{"default", nil, 1},
		{"WithoutDedup", []scancode.HandlerOption{scancode.WithoutDedup()}, 3},
		{"WithoutDedup then WithDedupStore", []scancode.HandlerOption{scancode.WithoutDedup(), scancode.WithDedupStore(memDedup(t))}, 1},
	} {
		var calls atomic.Int64
		h := newHandler(t, d, func(context.Context, *scancode.Callback) error { calls.Add(1); return nil }, c.opts...)
		for range 3 {
			if code, got := serve(t, h, ct, body); code != http.StatusOK || got != ack {
				t.Errorf("%s: delivery = %d %s", c.name, code, got)
			}
		}
		if calls.Load() != c.want {
			t.Errorf("%s: host calls = %d; want %d", c.name, calls.Load(), c.want)
		}
	}
}

// TestNewCallbackHandlerRefuses: a missing decrypter or function and every
// nonsense option fail at construction, each named, never at the first
// callback; the defaults are the documented ones.
func TestNewCallbackHandlerRefuses(t *testing.T) {
	t.Parallel()
	d, _ := fixture(t, scancodetest.BodyForm, scancode.SM2EncodingC1C3C2)
	fn := func(context.Context, *scancode.Callback) error { return nil }
	for name, c := range map[string]struct {
		d    scancode.Decrypter
		fn   scancode.CallbackFunc
		opts []scancode.HandlerOption
		want string
	}{
		"nil decrypter":     {nil, fn, nil, "nil Decrypter"},
		"nil function":      {d, nil, nil, "nil CallbackFunc"},
		"nil option":        {d, fn, []scancode.HandlerOption{nil}, "nil HandlerOption"},
		"nil store":         {d, fn, []scancode.HandlerOption{scancode.WithDedupStore(nil)}, "WithDedupStore(nil)"},
		"zero body limit":   {d, fn, []scancode.HandlerOption{scancode.WithMaxBodyBytes(0)}, "WithMaxBodyBytes(0)"},
		"negative limit":    {d, fn, []scancode.HandlerOption{scancode.WithMaxBodyBytes(-1)}, "WithMaxBodyBytes(-1)"},
		"zero read timeout": {d, fn, []scancode.HandlerOption{scancode.WithReadTimeout(0)}, "WithReadTimeout(0s)"},
		"negative timeout":  {d, fn, []scancode.HandlerOption{scancode.WithReadTimeout(-time.Second)}, "WithReadTimeout(-1s)"},
		"nil logger":        {d, fn, []scancode.HandlerOption{scancode.WithLogger(nil)}, "WithLogger(nil)"},
	} {
		h, err := scancode.NewCallbackHandler(c.d, c.fn, c.opts...)
		if err == nil || h != nil || !strings.Contains(err.Error(), c.want) || !strings.HasPrefix(err.Error(), "scancode: ") {
			t.Errorf("%s: NewCallbackHandler = %v, %v; want an error naming %s", name, h, err, c.want)
		}
	}
	if _, err := scancode.NewCallbackHandler(nil, nil, scancode.WithLogger(nil)); err == nil ||
		!strings.Contains(err.Error(), "nil Decrypter") || !strings.Contains(err.Error(), "nil CallbackFunc") || !strings.Contains(err.Error(), "WithLogger(nil)") {
		t.Errorf("every problem at once: %v", err)
	}
	if scancode.DefaultReadTimeout != callback.DefaultReadTimeout {
		t.Errorf("DefaultReadTimeout = %v; the shared handler's default is %v", scancode.DefaultReadTimeout, callback.DefaultReadTimeout)
	}
	// The body limit: DefaultMaxBodyBytes by default, WithMaxBodyBytes when set.
	for _, c := range []struct {
		opts  []scancode.HandlerOption
		limit int
	}{{nil, scancode.DefaultMaxBodyBytes}, {[]scancode.HandlerOption{scancode.WithMaxBodyBytes(100)}, 100}} {
		h := newHandler(t, d, fn, c.opts...)
		if code, _ := serve(t, h, "application/json", bytes.Repeat([]byte(" "), c.limit+1)); code != http.StatusRequestEntityTooLarge {
			t.Errorf("limit %d: a body one byte over = %d; want 413", c.limit, code)
		}
		if code, _ := serve(t, h, "application/json", bytes.Repeat([]byte(" "), c.limit)); code != http.StatusBadRequest {
			t.Errorf("limit %d: a body at the limit = %d; want 400 (read, then refused as malformed)", c.limit, code)
		}
	}
}

// TestNewAppRefuses: the fake refuses options the app server would never
// use, each named, and its default keys pair with SM2PrivateKeyPEM.
func TestNewAppRefuses(t *testing.T) {
	t.Parallel()
	for name, opt := range map[string]scancodetest.AppOption{
		"nil":                  nil,
		"receiver not a URL":   scancodetest.WithReceiverURL("::"),
		"receiver not http":    scancodetest.WithReceiverURL("ftp://x/y"),
		"platformCode of ten":  scancodetest.WithPlatformCode("M110000003"),
		"platformCode symbols": scancodetest.WithPlatformCode("M11000000-4"),
		"empty SM2 key":        scancodetest.WithSM2PublicKey(nil),
		"bad SM2 key":          scancodetest.WithSM2PublicKey([]byte("nope")),
		"bad private key":      scancodetest.WithPlatformPrivateKey([]byte("nope")),
		"short SM4 key":        scancodetest.WithSM4Key([]byte("short")),
		"auto encoding":        scancodetest.WithSM2Encoding(scancode.SM2EncodingAuto),
		"short IV":             scancodetest.WithSM4CBC([]byte("iv")),
		"unknown body":         scancodetest.WithBody(7),
		"zero attempts":        scancodetest.WithMaxAttempts(0),
		"negative delay":       scancodetest.WithRetryDelay(-time.Second),
		"nil client":           scancodetest.WithHTTPClient(nil),
	} {
		if _, err := scancodetest.NewApp(opt); err == nil || !strings.HasPrefix(err.Error(), "scancodetest: NewApp: ") {
			t.Errorf("%s: NewApp = %v; want a named error", name, err)
		}
	}
	d, err := scancode.NewDecrypter(scancode.DecrypterConfig{SM2PrivateKey: scancodetest.SM2PrivateKeyPEM()})
	if err != nil {
		t.Fatal(err)
	}
	for name, opts := range map[string][]scancodetest.AppOption{
		"default keys":      nil,
		"from private half": {scancodetest.WithPlatformPrivateKey(scancodetest.SM2PrivateKeyPEM())},
	} {
		app, err := scancodetest.NewApp(opts...)
		if err != nil {
			t.Fatal(err)
		}
		env, _ := app.Envelope([]byte(`{"tId":"` + testTID + `"}`))
		ct, body, _ := app.Request(scancode.TypeScanStatus, env)
		if strings.Contains(string(body), "platformCode") {
			t.Errorf("%s: platformCode sent without WithPlatformCode", name)
		}
		if c, err := parse(context.Background(), ct, body, d); err != nil || c.EventID() != testTID {
			t.Errorf("%s: ParseCallback = %v, %v", name, c, err)
		}
		if _, err := app.Send(context.Background(), scancode.TypeScanStatus, map[string]string{"tId": testTID}); err == nil {
			t.Errorf("%s: Send without WithReceiverURL = nil error", name)
		}
	}
}
