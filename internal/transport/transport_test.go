package transport

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/iotest"
	"time"
)

func TestReadAll(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		n, limit int
		wantErr  bool
	}{{0, 10, false}, {10, 10, false}, {11, 10, true}, {100, 10, true}} {
		got, err := ReadAll(bytes.NewReader(bytes.Repeat([]byte("x"), c.n)), int64(c.limit))
		if c.wantErr {
			if !errors.Is(err, ErrBodyTooLarge) {
				t.Errorf("ReadAll(%d bytes, limit %d) error = %v; want ErrBodyTooLarge", c.n, c.limit, err)
			}
			continue
		}
		if err != nil || len(got) != c.n {
			t.Errorf("ReadAll(%d bytes, limit %d) = %d bytes, %v", c.n, c.limit, len(got), err)
		}
	}
}

func TestNotSent(t *testing.T) {
	t.Parallel()
	// A refused dial: listen, note the address, close.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	_, err = http.Get("http://" + addr + "/")
	if err == nil || !NotSent(err) {
		t.Errorf("NotSent(refused dial %v) = false; want true", err)
	}

	// A reset after the request was written: the server reads it, then
	// closes without answering. The request may have been acted on.
	l2, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l2.Close()
	go func() {
		c, err := l2.Accept()
		if err != nil {
			return
		}
		buf := make([]byte, 4096)
		_, _ = c.Read(buf)
		c.Close()
	}()
	_, err = http.Post("http://"+l2.Addr().String()+"/", "text/plain", strings.NewReader("pay"))
	if err == nil || NotSent(err) {
		t.Errorf("NotSent(reset after send %v) = true; want false", err)
	}
	if NotSent(nil) || NotSent(context.DeadlineExceeded) {
		t.Error("NotSent(nil or deadline) = true")
	}
}

func TestBackoff(t *testing.T) {
	t.Parallel()
	want := []time.Duration{200 * time.Millisecond, 400 * time.Millisecond, 800 * time.Millisecond, 1600 * time.Millisecond, 3200 * time.Millisecond, 5 * time.Second, 5 * time.Second}
	for i, w := range want {
		if got := BackoffCeiling(i + 1); got != w {
			t.Errorf("BackoffCeiling(%d) = %v; want %v", i+1, got, w)
		}
		// Full jitter: within [0, ceiling], and not the same instant every
		// time (clients that failed together must not retry together).
		seen := map[time.Duration]bool{}
		for range 50 {
			d := Backoff(i + 1)
			if d < 0 || d > w {
				t.Fatalf("Backoff(%d) = %v; want within [0, %v]", i+1, d, w)
			}
			seen[d] = true
		}
		if len(seen) < 10 {
			t.Errorf("Backoff(%d) took %d distinct values in 50 draws; want jitter", i+1, len(seen))
		}
	}
}

func TestSleepAndTimeout(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := Sleep(ctx, time.Hour); !errors.Is(err, context.Canceled) {
		t.Errorf("Sleep(cancelled) = %v; want context.Canceled", err)
	}
	if err := Sleep(context.Background(), time.Millisecond); err != nil {
		t.Errorf("Sleep(1ms) = %v", err)
	}
	c2, cancel2 := WithTimeout(context.Background(), time.Minute)
	defer cancel2()
	if _, ok := c2.Deadline(); !ok {
		t.Error("WithTimeout did not set a deadline")
	}
	parent, cancelP := context.WithTimeout(context.Background(), time.Hour)
	defer cancelP()
	pd, _ := parent.Deadline()
	c3, cancel3 := WithTimeout(parent, time.Second)
	defer cancel3()
	if d, _ := c3.Deadline(); !d.Equal(pd) {
		t.Error("WithTimeout overrode the caller's deadline")
	}
}

func TestNewRestyNoRedirect(t *testing.T) {
	t.Parallel()
	var hits int
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/elsewhere" {
			hits++
			return
		}
		http.Redirect(w, r, "/elsewhere", http.StatusFound)
	}))
	defer srv.Close()
	hc := &http.Client{Timeout: 7 * time.Second}
	c := NewResty(hc)
	resp, err := c.R().Post(srv.URL + "/api")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.RawBody().Close()
	if resp.StatusCode() != http.StatusFound || hits != 0 {
		t.Errorf("status %d, redirect target hit %d times; want 302 and 0", resp.StatusCode(), hits)
	}
	if hc.CheckRedirect != nil || hc.Timeout != 7*time.Second {
		t.Error("NewResty modified the caller's *http.Client")
	}
	if (&StatusError{StatusCode: 502}).Error() != "transport: unexpected HTTP status 502" {
		t.Error("StatusError text changed")
	}
}

// TestJudge: the shared retry rules, for a query and for a state change.
func TestJudge(t *testing.T) {
	t.Parallel()
	live := context.Background()
	dead, cancel := context.WithCancel(context.Background())
	cancel()
	refused := &net.OpError{Op: "dial", Err: errors.New("connection refused")}
	reset := &net.OpError{Op: "read", Err: errors.New("connection reset by peer")}
	for _, c := range []struct {
		name      string
		ctx       context.Context
		status    int
		err       error
		query     Verdict
		stateCall Verdict
	}{
		{"never sent", live, 0, refused, Retry, Retry},
		{"no answer", live, 0, reset, Retry, Unknown},
		{"no answer, context over", dead, 0, context.Canceled, Stop, Unknown},
		{"5xx", live, 502, errors.New("HTTP 502"), Retry, Unknown},
		{"4xx", live, 400, errors.New("HTTP 400"), Stop, Stop},
		{"answer that says no", live, 200, errors.New("refused"), Stop, Stop},
	} {
		if got := Judge(c.ctx, c.status, c.err, true); got != c.query {
			t.Errorf("%s, query: %v; want %v", c.name, got, c.query)
		}
		if got := Judge(c.ctx, c.status, c.err, false); got != c.stateCall {
			t.Errorf("%s, state change: %v; want %v", c.name, got, c.stateCall)
		}
	}
}

// TestReadAnswer: a whole answer is read and closed; one over the limit
// or cut off is an error.
func TestReadAnswer(t *testing.T) {
	t.Parallel()
	body := &closeCounter{Reader: strings.NewReader("0123456789")}
	if b, err := ReadAnswer(body, 10); err != nil || string(b) != "0123456789" || body.closed != 1 {
		t.Errorf("ReadAnswer = %q, %v, closed %d", b, err, body.closed)
	}
	big := &closeCounter{Reader: strings.NewReader("0123456789x")}
	if _, err := ReadAnswer(big, 10); !errors.Is(err, ErrBodyTooLarge) || big.closed != 1 {
		t.Errorf("over the limit: %v, closed %d", err, big.closed)
	}
	cut := &closeCounter{Reader: io.MultiReader(strings.NewReader("01234"), iotest.ErrReader(io.ErrUnexpectedEOF))}
	if _, err := ReadAnswer(cut, 10); !errors.Is(err, io.ErrUnexpectedEOF) || cut.closed != 1 {
		t.Errorf("cut off: %v, closed %d", err, cut.closed)
	}
}

type closeCounter struct {
	io.Reader
	closed int
}

func (c *closeCounter) Close() error { c.closed++; return nil }

// TestUntrustedNotRetried: a certificate that does not verify is a
// misconfiguration or an attack: the call stops at the first handshake.
func TestUntrustedNotRetried(t *testing.T) {
	t.Parallel()
	srv := httptest.NewTLSServer(http.NotFoundHandler())
	defer srv.Close()
	_, err := http.Get(srv.URL) // the default roots do not trust httptest's certificate
	if err == nil || !Untrusted(err) {
		t.Fatalf("Untrusted(%v) = false; want true", err)
	}
	for _, safe := range []bool{true, false} {
		if v := Judge(context.Background(), 0, err, safe); v != Stop {
			t.Errorf("Judge(untrusted certificate, safe=%v) = %v; want Stop", safe, v)
		}
	}
	if Untrusted(errors.New("connection reset")) || Untrusted(nil) {
		t.Error("Untrusted(other) = true")
	}
}

// TestDefaultTransportReusesConnections: 64 concurrent callers on one
// client open about that many connections, not hundreds (resty's own pool
// keeps GOMAXPROCS+1 idle connections per host).
func TestDefaultTransportReusesConnections(t *testing.T) {
	t.Parallel()
	var conns atomic.Int64
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = io.WriteString(w, "ok")
	}))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Start()
	defer srv.Close()
	c := NewResty(nil).GetClient()
	const callers, calls = 64, 20
	var wg sync.WaitGroup
	for range callers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range calls {
				resp, err := c.Get(srv.URL)
				if err != nil {
					t.Error(err)
					return
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}
		}()
	}
	wg.Wait()
	if n := conns.Load(); n > callers+8 { // a pool of 3 per host opens several hundred
		t.Errorf("%d callers x %d calls opened %d connections; want at most %d", callers, calls, n, callers+8)
	}
	if c.Transport != DefaultTransport() {
		t.Error("NewResty(nil) does not use DefaultTransport")
	}
	host := &http.Client{}
	if got := NewResty(host).GetClient().Transport; got != http.DefaultTransport {
		t.Errorf("a host's client with a nil Transport got %T; want net/http's DefaultTransport, used as given", got)
	}
}

func TestAttempt(t *testing.T) {
	t.Parallel()
	call := context.Background()
	ctx, cancel, timedOut := Attempt(call, 0)
	cancel()
	if ctx != call || timedOut() {
		t.Error("Attempt(0) bounded the attempt")
	}
	ctx, cancel, timedOut = Attempt(call, time.Millisecond)
	defer cancel()
	<-ctx.Done()
	if !timedOut() {
		t.Error("an attempt past its bound, with the call alive, did not report timedOut")
	}
	dead, stop := context.WithCancel(call)
	stop()
	_, cancel2, timedOut2 := Attempt(dead, time.Millisecond)
	defer cancel2()
	time.Sleep(5 * time.Millisecond)
	if timedOut2() {
		t.Error("a call that ended reported an attempt timeout")
	}
}
