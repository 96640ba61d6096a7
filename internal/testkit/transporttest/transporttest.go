// Package transporttest holds what the provider modules' transport tests
// share: a server that counts the connections opened to it, a host's
// resty client whose settings can be compared before and after a call,
// and a body produced as it is read.
package transporttest

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/go-resty/resty/v2"
)

// NewCountingServer starts an HTTP server for h, closed at the end of the
// test, and returns it with the count of connections opened to it.
func NewCountingServer(t testing.TB, h http.Handler) (*httptest.Server, *atomic.Int64) {
	t.Helper()
	return counting(t, h, false)
}

// NewCountingTLSServer is NewCountingServer over TLS (HTTP/1.1, so that
// the idle pool, not stream multiplexing, decides how many connections
// open).
func NewCountingTLSServer(t testing.TB, h http.Handler) (*httptest.Server, *atomic.Int64) {
	t.Helper()
	return counting(t, h, true)
}

func counting(t testing.TB, h http.Handler, tls bool) (*httptest.Server, *atomic.Int64) {
	var conns atomic.Int64
	srv := httptest.NewUnstartedServer(h)
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	if tls {
		srv.StartTLS()
	} else {
		srv.Start()
	}
	t.Cleanup(srv.Close)
	return srv, &conns
}

// CheckMaxConns is the WithMaxConnsPerHost test of a provider client
// against a server from NewCountingServer: newCall(true) builds a client
// with WithMaxConnsPerHost(2), newCall(false) one with the defaults, and
// returns one call with it (nil error for the answer the server gives).
// With 2, 8 concurrent callers open at most 2 connections; by default 8
// callers × 10 calls reuse theirs (at most 16: a call may dial while its
// last connection returns to the pool; without reuse, 80).
func CheckMaxConns(t *testing.T, conns *atomic.Int64, newCall func(limited bool) func() error) {
	t.Helper()
	for _, c := range []struct {
		name        string
		limited     bool
		calls, most int64
	}{
		{"2", true, 1, 2},
		{"default", false, 10, 16},
	} {
		conns.Store(0)
		if err := Concurrently(8, int(c.calls), newCall(c.limited)); err != nil {
			t.Fatal(err)
		}
		if n := conns.Load(); n > c.most {
			t.Errorf("%s: 8 callers x %d calls opened %d connections; want at most %d", c.name, c.calls, n, c.most)
		}
	}
}

// Concurrently runs call calls times in each of n goroutines and returns
// the first error.
func Concurrently(n, calls int, call func() error) error {
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for range n {
		wg.Go(func() {
			for range calls {
				if err := call(); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	return <-errs
}

// Host is a host's resty client with an OnBeforeRequest hook that counts
// the requests it sees and a client header X-Host: 1.
type Host struct {
	Client *resty.Client
	Hooked atomic.Int64
}

// NewHost returns a Host over a plain *http.Client.
func NewHost() *Host {
	h := &Host{}
	h.Client = resty.NewWithClient(&http.Client{}).SetHeader("X-Host", "1").
		OnBeforeRequest(func(*resty.Client, *resty.Request) error { h.Hooked.Add(1); return nil })
	return h
}

// Settings describes what a call must not change in the host's client.
func (h *Host) Settings() string {
	c := h.Client
	hc := c.GetClient()
	return fmt.Sprintf("retry %d header %v host %q base %q debug %v query %v form %v token %q client %p transport %p redirect %p jar %v timeout %v",
		c.RetryCount, c.Header, c.HostURL, c.BaseURL, c.Debug, c.QueryParam, c.FormData, c.Token,
		hc, hc.Transport, hc.CheckRedirect, hc.Jar, hc.Timeout)
}

// Produced is a body of N bytes made as they are read, Prefix first then
// zeros, counting what has been read.
type Produced struct {
	Prefix []byte
	N      int64
	read   atomic.Int64
}

// Read implements io.Reader.
func (p *Produced) Read(b []byte) (int, error) {
	at := p.read.Load()
	left := p.N - at
	if left <= 0 {
		return 0, io.EOF
	}
	k := int(min(int64(len(b)), left))
	clear(b[:k])
	if at < int64(len(p.Prefix)) {
		copy(b[:k], p.Prefix[at:])
	}
	p.read.Add(int64(k))
	return k, nil
}

// Done reports how many bytes were read so far.
func (p *Produced) Done() int64 { return p.read.Load() }
