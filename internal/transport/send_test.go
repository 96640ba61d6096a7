package transport

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-resty/resty/v2"

	"github.com/bizapi-cn/go-sdk/internal/fault"
)

// produced is a body whose bytes are made as they are read: n bytes in
// all, with a count of how many were read so far.
type produced struct {
	n    int64
	read atomic.Int64
}

func (p *produced) Read(b []byte) (int, error) {
	left := p.n - p.read.Load()
	if left <= 0 {
		return 0, io.EOF
	}
	k := int(min(int64(len(b)), left))
	clear(b[:k])
	p.read.Add(int64(k))
	return k, nil
}

const bigBody = 16 << 20

// TestSendStreams: a body that is not in memory is sent as it is read:
// the server has the request, with its Content-Length, while most of the
// body is still to be produced.
func TestSendStreams(t *testing.T) {
	t.Parallel()
	body := &produced{n: bigBody}
	var atStart int64
	var gotLen, got int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		atStart = body.read.Load()
		gotLen = r.ContentLength
		got, _ = io.Copy(io.Discard, r.Body)
	}))
	defer srv.Close()
	rc, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	resp, err := Send(context.Background(), rc, Request{Method: http.MethodPost, URL: srv.URL, Body: body, Size: bigBody})
	if err != nil {
		t.Fatal(err)
	}
	_, _ = ReadAnswer(resp.Body, 0)
	if atStart > bigBody/2 || got != bigBody || gotLen != bigBody {
		t.Errorf("the server started with %d of %d bytes produced, read %d, Content-Length %d; want it to start before the body is made, with its length", atStart, bigBody, got, gotLen)
	}
}

// TestRestyBuffersReaders is why stream exists: resty v2 reads a reader
// it cannot rewind whole before the request starts. The day this fails,
// resty streams, and Send can send every body through it.
func TestRestyBuffersReaders(t *testing.T) {
	t.Parallel()
	body := &produced{n: bigBody}
	var atStart int64
	srv := httptest.NewServer(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
		atStart = body.read.Load()
		_, _ = io.Copy(io.Discard, r.Body)
	}))
	defer srv.Close()
	resp, err := NewResty(nil).R().SetBody(body).SetDoNotParseResponse(true).Post(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	resp.RawBody().Close()
	if atStart != bigBody {
		t.Errorf("resty let the request start with %d of %d bytes read; it streams now: send streams through it", atStart, bigBody)
	}
}

// TestSendContentLength: bytes in memory and a streamed body of known
// size have a Content-Length; a stream of unknown size is chunked.
func TestSendContentLength(t *testing.T) {
	t.Parallel()
	type seen struct {
		n       int64
		chunked bool
		ua      string
		body    string
	}
	got := make(chan seen, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		got <- seen{r.ContentLength, len(r.TransferEncoding) > 0, r.UserAgent(), string(b)}
	}))
	defer srv.Close()
	rc := NewResty(nil)
	for _, c := range []struct {
		name    string
		body    io.Reader
		size    int64
		want    int64
		chunked bool
	}{
		{"bytes.Reader", bytes.NewReader([]byte("req=1")), 5, 5, false},
		{"strings.Reader", strings.NewReader("req=1"), 5, 5, false},
		{"stream, known size", io.MultiReader(strings.NewReader("req=1")), 5, 5, false},
		{"stream, unknown size", io.MultiReader(strings.NewReader("req=1")), -1, -1, true},
	} {
		resp, err := Send(context.Background(), rc, Request{Method: http.MethodPost, URL: srv.URL,
			Header: http.Header{"User-Agent": {"sdk/1"}}, Body: c.body, Size: c.size})
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		_, _ = ReadAnswer(resp.Body, 0)
		s := <-got
		if s.n != c.want || s.chunked != c.chunked || s.body != "req=1" || s.ua != "sdk/1" {
			t.Errorf("%s: Content-Length %d, chunked %v, body %q, User-Agent %q; want %d, %v, req=1, sdk/1", c.name, s.n, s.chunked, s.body, s.ua, c.want, c.chunked)
		}
	}
}

// TestSendNoRedirect: the SDK-built client answers a redirect as it is.
func TestSendNoRedirect(t *testing.T) {
	t.Parallel()
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/elsewhere" {
			hits.Add(1)
			return
		}
		http.Redirect(w, r, "/elsewhere", http.StatusFound)
	}))
	defer srv.Close()
	for _, cfg := range []Config{{}, {MaxConnsPerHost: 2}, {HTTPClient: &http.Client{}}} {
		rc, err := New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		for _, body := range []io.Reader{strings.NewReader("x"), io.MultiReader(strings.NewReader("x"))} {
			resp, err := Send(context.Background(), rc, Request{Method: http.MethodPost, URL: srv.URL + "/api", Body: body, Size: 1})
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusFound || hits.Load() != 0 {
				t.Errorf("%+v: status %d, target hit %d times; want 302 and 0", cfg, resp.StatusCode, hits.Load())
			}
		}
	}
}

// TestSendErrors: what the retry rules read survives resty: a refused
// dial is NotSent, an untrusted certificate Untrusted, a host hook's
// refusal NotSent (the request never reached the *http.Client), a reset
// after sending neither; and a client that retries on its own is refused.
func TestSendErrors(t *testing.T) {
	t.Parallel()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	refused := "http://" + l.Addr().String()
	l.Close()
	tlsSrv := httptest.NewTLSServer(http.NotFoundHandler())
	defer tlsSrv.Close()
	l2, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l2.Close()
	go func() {
		for {
			c, err := l2.Accept()
			if err != nil {
				return
			}
			_, _ = c.Read(make([]byte, 4096))
			c.Close()
		}
	}()
	hooked := resty.New().OnBeforeRequest(func(*resty.Client, *resty.Request) error { return errors.New("quota") })
	rc := NewResty(nil)
	for _, c := range []struct {
		name               string
		rc                 *resty.Client
		url                string
		notSent, untrusted bool
	}{
		{"refused dial", rc, refused, true, false},
		{"untrusted certificate", rc, tlsSrv.URL, true, true},
		{"hook refusal", hooked, refused, true, false},
		{"reset after sending", rc, "http://" + l2.Addr().String(), false, false},
	} {
		for _, body := range []io.Reader{strings.NewReader("pay"), io.MultiReader(strings.NewReader("pay"))} {
			resp, err := Send(context.Background(), c.rc, Request{Method: http.MethodPost, URL: c.url, Body: body, Size: 3})
			if err == nil {
				resp.Body.Close()
				t.Fatalf("%s: no error", c.name)
			}
			if c.name == "hook refusal" {
				if _, ok := body.(*strings.Reader); !ok {
					continue // a stream does not go through resty's hooks
				}
			}
			if NotSent(err) != c.notSent || Untrusted(err) != c.untrusted {
				t.Errorf("%s (%T): NotSent %v, Untrusted %v (%v); want %v, %v", c.name, body, NotSent(err), Untrusted(err), err, c.notSent, c.untrusted)
			}
		}
	}
	retrying := resty.New().SetRetryCount(3)
	if _, err := New(Config{Resty: retrying}); err == nil || !strings.Contains(err.Error(), "WithRestyClient") {
		t.Errorf("New(RetryCount 3) = %v; want refused naming WithRestyClient", err)
	}
	pr, pw := io.Pipe()
	_, err = Send(context.Background(), retrying, Request{Method: http.MethodPost, URL: refused, Body: pr, Size: -1})
	if !NotSent(err) {
		t.Errorf("Send(RetryCount 3) = %v; want refused, not sent", err)
	}
	if _, werr := pw.Write([]byte("x")); !errors.Is(werr, io.ErrClosedPipe) {
		t.Errorf("a refused Send left the body open: write = %v", werr)
	}
}

// TestNewConflicts: the options that exclude each other are refused,
// each error naming them.
func TestNewConflicts(t *testing.T) {
	t.Parallel()
	hc, rc := &http.Client{}, resty.New()
	for _, c := range []struct {
		cfg  Config
		want string
	}{
		{Config{HTTPClient: hc, Resty: rc}, "WithHTTPClient"},
		{Config{HTTPClient: hc, MaxConnsPerHost: 2}, "WithMaxConnsPerHost"},
		{Config{Resty: rc, MaxConnsPerHost: 2}, "WithMaxConnsPerHost"},
		{Config{MaxConnsPerHost: -1}, "WithMaxConnsPerHost"},
	} {
		if _, err := New(c.cfg); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("New(%+v) = %v; want an error naming %s", c.cfg, err, c.want)
		}
	}
	if got, err := New(Config{Resty: rc}); err != nil || got != rc {
		t.Errorf("New(Resty) = %p, %v; want the host's client as given", got, err)
	}
	own, _ := New(Config{MaxConnsPerHost: 3})
	tr, _ := own.GetClient().Transport.(*http.Transport)
	if tr == nil || tr == DefaultTransport() || tr.MaxConnsPerHost != 3 || tr.MaxIdleConnsPerHost != 3 {
		t.Errorf("New(MaxConnsPerHost 3) transport = %+v; want one of its own, 3 per host", tr)
	}
}

// TestMaxConnsPerHostTLS: a cap of 2 lets 8 concurrent calls open at most
// 2 TLS connections; with the default, 8 callers reuse theirs.
func TestMaxConnsPerHostTLS(t *testing.T) {
	t.Parallel()
	var conns atomic.Int64
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		time.Sleep(5 * time.Millisecond)
		_, _ = io.WriteString(w, "ok")
	}))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.StartTLS()
	defer srv.Close()
	trust := srv.Client().Transport.(*http.Transport).TLSClientConfig
	run := func(rc *resty.Client, calls int) int64 {
		conns.Store(0)
		var wg sync.WaitGroup
		for range 8 {
			wg.Go(func() {
				for range calls {
					resp, err := Send(context.Background(), rc, Request{Method: http.MethodGet, URL: srv.URL})
					if err != nil {
						t.Error(err)
						return
					}
					_, _ = ReadAnswer(resp.Body, 0)
				}
			})
		}
		wg.Wait()
		return conns.Load()
	}
	capped, err := New(Config{MaxConnsPerHost: 2})
	if err != nil {
		t.Fatal(err)
	}
	tlsTrust(capped, trust)
	if n := run(capped, 1); n > 2 {
		t.Errorf("MaxConnsPerHost 2: 8 concurrent calls opened %d connections; want at most 2", n)
	}
	def := NewResty(&http.Client{Transport: newTransport(DefaultMaxIdleConnsPerHost)}) // DefaultTransport's settings, with the test's roots
	tlsTrust(def, trust)
	// A call may dial while its previous connection is on its way back to
	// the pool, so a few more than 8 may open; without reuse, 80 would.
	if n := run(def, 10); n > 16 {
		t.Errorf("default: 8 callers x 10 calls opened %d connections; want at most 16 (reused)", n)
	}
}

func tlsTrust(rc *resty.Client, c *tls.Config) {
	rc.GetClient().Transport.(*http.Transport).TLSClientConfig = c.Clone()
}

// TestSendTLSErrors: a TLS error proves a request never left only when it
// failed the connection's handshake. The same record error on the answer,
// after the server processed the request, is an answer lost, never "not
// sent": a payment NotSent calls safe to repeat would be paid again.
func TestSendTLSErrors(t *testing.T) {
	t.Parallel()
	var processed atomic.Int64
	corrupt := fault.CorruptTLS(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { processed.Add(1) }), nil)
	defer corrupt.Close()
	trusting := NewResty(corrupt.Client())

	// Servers that fail the handshake: one answers the ClientHello in
	// plain HTTP (a record header error), one closes after reading it.
	plain := serveRaw(t, func(c net.Conn) {
		_, _ = c.Read(make([]byte, 4096))
		_, _ = c.Write([]byte("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n"))
	})
	closing := serveRaw(t, func(c net.Conn) { _, _ = c.Read(make([]byte, 4096)) })

	// A host's RoundTripper that reports a record error without net/http's
	// trace: no proof, so not "not sent".
	opaque := NewResty(&http.Client{Transport: roundTripFunc(func(*http.Request) (*http.Response, error) {
		return nil, tls.RecordHeaderError{Msg: "bad record"}
	})})
	for _, c := range []struct {
		name    string
		rc      *resty.Client
		url     string
		notSent bool
	}{
		{"record error on the answer", trusting, corrupt.URL, false},
		{"record error in the handshake", trusting, "https://" + plain, true},
		{"closed in the handshake", trusting, "https://" + closing, true},
		{"record error from a host transport", opaque, "https://example.invalid", false},
	} {
		for _, prove := range []bool{true, false} {
			for _, body := range []io.Reader{strings.NewReader("pay"), io.MultiReader(strings.NewReader("pay"))} {
				before := processed.Load()
				resp, err := Send(context.Background(), c.rc, Request{Method: http.MethodPost, URL: c.url, Body: body, Size: 3, ProveUnsent: prove})
				if err == nil {
					resp.Body.Close()
					t.Fatalf("%s: no error", c.name)
				}
				// Without ProveUnsent there is no proof: never "not sent".
				if want := c.notSent && prove; NotSent(err) != want || Untrusted(err) {
					t.Errorf("%s (%T, ProveUnsent %v): NotSent %v, Untrusted %v (%v); want %v, false", c.name, body, prove, NotSent(err), Untrusted(err), err, want)
				}
				if c.url == corrupt.URL && processed.Load() != before+1 {
					t.Errorf("%s: the server processed %d requests; want 1", c.name, processed.Load()-before)
				}
			}
		}
	}
}

// serveRaw accepts TCP connections on loopback and hands each to serve.
func serveRaw(t *testing.T, serve func(net.Conn)) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				serve(c)
			}()
		}
	}()
	return l.Addr().String()
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
