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
	bad := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { io.WriteString(w, "SUCCESS") }))
	defer bad.Close()
	app3, _ := scancodetest.NewApp(scancodetest.WithReceiverURL(bad.URL), scancodetest.WithSM4Key(make([]byte, 16)), scancodetest.WithMaxAttempts(1))
	if _, err := app3.Send(context.Background(), scancode.TypeScanStatus, map[string]string{"tId": "x"}); err == nil || !strings.Contains(err.Error(), "not {header:{ret,msg},data:null}") {
		t.Errorf("wrong answer format: err = %v", err)
	}
}
