package callback

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/bizapi-cn/go-sdk/store"
)

func handler(handle func(context.Context, string) error, s store.Dedup) *Handler[string] {
	return &Handler[string]{
		Module: "test", MaxBytes: 16, Store: s, Handle: handle,
		Parse: func(_ context.Context, _ *http.Request, b []byte) (string, error) {
			if !strings.HasPrefix(string(b), "ok:") {
				return "", errors.New("not verified")
			}
			return string(b), nil
		},
		Key:  func(s string) string { return s },
		Ack:  func(w http.ResponseWriter) { _, _ = io.WriteString(w, "ACK") },
		Nack: func(w http.ResponseWriter, why Reason, _ error) { w.WriteHeader(Status(why)); fmt.Fprint(w, why) },
	}
}

func serve(h http.Handler, method, body string) (int, string) {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(method, "/", strings.NewReader(body)))
	return rec.Code, rec.Body.String()
}

// TestHandler: each refusal has its reason and status; the host runs once
// per key and only a success is acknowledged.
func TestHandler(t *testing.T) {
	t.Parallel()
	var calls int
	fail := true
	h := handler(func(context.Context, string) error {
		calls++
		if fail {
			return errors.New("host down")
		}
		return nil
	}, newStore())
	for _, c := range []struct {
		method, body string
		status       int
		answer       string
	}{
		{http.MethodGet, "ok:1", 405, fmt.Sprint(MethodNotAllowed)},
		{http.MethodPost, "ok:" + strings.Repeat("x", 20), 413, fmt.Sprint(TooLarge)},
		{http.MethodPost, "forged", 400, fmt.Sprint(Refused)},
		{http.MethodPost, "ok:1", 503, fmt.Sprint(NotHandled)},
	} {
		if code, s := serve(h, c.method, c.body); code != c.status || s != c.answer {
			t.Errorf("%s %q = %d %q; want %d %q", c.method, c.body, code, s, c.status, c.answer)
		}
	}
	fail = false
	for range 2 {
		if code, s := serve(h, http.MethodPost, "ok:1"); code != 200 || s != "ACK" {
			t.Errorf("= %d %q; want ACK", code, s)
		}
	}
	if calls != 2 {
		t.Errorf("host ran %d times; want 2 (one failure, one success, then deduplicated)", calls)
	}
	block := make(chan struct{})
	started := make(chan struct{})
	slow := handler(func(context.Context, string) error { close(started); <-block; return nil }, newStore())
	done := make(chan string)
	go func() { _, s := serve(slow, http.MethodPost, "ok:2"); done <- s }()
	<-started
	if code, s := serve(slow, http.MethodPost, "ok:2"); code != 503 || s != fmt.Sprint(InFlight) {
		t.Errorf("duplicate in flight = %d %q", code, s)
	}
	close(block)
	if s := <-done; s != "ACK" {
		t.Errorf("first delivery = %q", s)
	}
}

// TestTextAnswers: the plain-text word, its status and content type.
func TestTextAnswers(t *testing.T) {
	t.Parallel()
	ack, nack := TextAnswers("SUCCESS", "FAIL")
	rec := httptest.NewRecorder()
	ack(rec)
	if rec.Code != 200 || rec.Body.String() != "SUCCESS" || rec.Header().Get("Content-Type") != "text/plain;charset=UTF-8" {
		t.Errorf("ack = %d %q %q", rec.Code, rec.Body, rec.Header().Get("Content-Type"))
	}
	for why, status := range map[Reason]int{TooLarge: 413, Refused: 400, NotHandled: 503, InFlight: 503, MethodNotAllowed: 405} {
		rec := httptest.NewRecorder()
		nack(rec, why, errors.New("x"))
		if rec.Code != status || rec.Body.String() != "FAIL" {
			t.Errorf("nack(%v) = %d %q; want %d FAIL", why, rec.Code, rec.Body, status)
		}
	}
}

func newStore() store.Dedup {
	s, err := store.NewMemoryDedup()
	if err != nil {
		panic(err)
	}
	return s
}

func TestOptionsRefuseNonsense(t *testing.T) {
	t.Parallel()
	for name, opt := range map[string]func(*Options) error{
		"nil store":    func(o *Options) error { return o.SetDedupStore(nil) },
		"max 0":        func(o *Options) error { return o.SetMaxBytes(0) },
		"max -1":       func(o *Options) error { return o.SetMaxBytes(-1) },
		"timeout 0":    func(o *Options) error { return o.SetReadTimeout(0) },
		"nil logger":   func(o *Options) error { return o.SetLogger(nil) },
		"nil function": nil,
	} {
		var o Options
		if err := o.Apply(1<<10, []func(*Options) error{opt}); err == nil {
			t.Errorf("Apply(%s) = nil error", name)
		}
	}
	var o Options
	if err := o.Apply(1<<10, nil); err != nil {
		t.Fatal(err)
	}
	if o.Store == nil || o.MaxBytes != 1<<10 || o.ReadTimeout != DefaultReadTimeout || o.Log == nil {
		t.Errorf("defaults = %+v; want an in-memory store, the module's limit, DefaultReadTimeout, a logger", o)
	}
	var off Options
	if err := off.Apply(1<<10, []func(*Options) error{func(o *Options) error { return o.SetNoDedup() }}); err != nil || off.Store != nil {
		t.Errorf("WithoutDedup: store %v, err %v; want no store", off.Store, err)
	}
}

// TestReadTimeout: a body that never ends is cut off by the handler's own
// read deadline, not held for as long as the server allows.
func TestReadTimeout(t *testing.T) {
	t.Parallel()
	h := handler(func(context.Context, string) error { return nil }, nil)
	h.MaxBytes = 1 << 10
	h.ReadTimeout = 200 * time.Millisecond
	srv := httptest.NewServer(h) // no timeouts of its own
	defer srv.Close()
	pr, pw := io.Pipe()
	defer pw.Close()
	go func() { _, _ = pw.Write([]byte("ok:")) }() // then nothing more
	req, _ := http.NewRequest(http.MethodPost, srv.URL, pr)
	start := time.Now()
	client := srv.Client()
	client.Timeout = 5 * time.Second // without the handler's deadline the call ends here
	resp, err := client.Do(req)
	if err == nil {
		resp.Body.Close()
		if resp.StatusCode == http.StatusOK {
			t.Fatalf("a stalled body was acknowledged")
		}
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Fatalf("stalled body held the handler %v; want about the 200ms read timeout", d)
	}
}

// TestReadDeadlineSparesTheHandler: the read deadline bounds the body
// only. An outside review read it as cancelling the request's context
// while the host's function runs (net/http cancels it when its background
// read fails); net/http clears the deadline as that read starts, at the
// body's end, so a function slower than the read timeout is not
// cancelled. This holds the handler to that.
func TestReadDeadlineSparesTheHandler(t *testing.T) {
	t.Parallel()
	h := handler(func(ctx context.Context, _ string) error {
		select {
		case <-ctx.Done():
			return fmt.Errorf("cancelled while handling: %w", ctx.Err())
		case <-time.After(600 * time.Millisecond):
			return nil
		}
	}, newStore())
	h.ReadTimeout = 100 * time.Millisecond
	srv := httptest.NewServer(h) // no timeouts of its own
	defer srv.Close()
	resp, err := srv.Client().Post(srv.URL, "text/plain", strings.NewReader("ok:1"))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || string(b) != "ACK" {
		t.Errorf("a function slower than the read timeout: %d %s; want the callback acknowledged", resp.StatusCode, b)
	}
}

// failComplete is a store whose Complete fails.
type failComplete struct{ store.Dedup }

func (failComplete) Complete(context.Context, store.Claim) error { return errors.New("store down") }

// TestCompleteFailureStillAcknowledged: the host's function succeeded and
// only the store failed to record it. The callback was Nacked: the
// provider delivered it again, the claim (neither completed nor released)
// answered "in flight" for the whole lease, and then the function ran a
// second time. The work is done: it is acknowledged, and the store's
// failure logged as the SDK's.
func TestCompleteFailureStillAcknowledged(t *testing.T) {
	t.Parallel()
	calls := 0
	h := handler(func(context.Context, string) error { calls++; return nil }, failComplete{newStore()})
	var logs strings.Builder
	h.Log = slog.New(slog.NewTextHandler(&logs, nil))
	if code, answer := serve(h, http.MethodPost, "ok:1"); code != http.StatusOK || answer != "ACK" || calls != 1 {
		t.Errorf("handled, store failed: %d %q after %d calls; want ACK after 1", code, answer, calls)
	}
	if !strings.Contains(logs.String(), "level=ERROR") || !strings.Contains(logs.String(), "store down") {
		t.Errorf("the store's failure was not logged: %s", logs.String())
	}
	// A host failure is still not acknowledged.
	h = handler(func(context.Context, string) error { return errors.New("host down") }, failComplete{newStore()})
	if code, _ := serve(h, http.MethodPost, "ok:1"); code != http.StatusServiceUnavailable {
		t.Errorf("host failure answered %d", code)
	}
}
