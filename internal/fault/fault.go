// Package fault is the fault-injection queue the fake providers share
// (levytest, allinpaytest, …): faults queued by a test apply to the next
// requests, and Drop ends a connection without an answer.
package fault

import (
	"context"
	"crypto/tls"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// Fault is one queued failure: Kind is the fake's own enum value.
type Fault struct {
	Kind  int
	Count int
	Delay time.Duration
}

// Queue holds faults. The zero value is ready; it is safe for concurrent
// use.
type Queue struct {
	mu    sync.Mutex
	items []Fault
}

// Add queues f.
func (q *Queue) Add(f Fault) {
	q.mu.Lock()
	q.items = append(q.items, f)
	q.mu.Unlock()
}

// Take uses up one count of the first queued fault whose kind is not
// sticky (sticky kinds stay until the test ends, like "duplicate every
// notification") and returns it.
func (q *Queue) Take(sticky func(kind int) bool) (Fault, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for i := range q.items {
		f := &q.items[i]
		if sticky != nil && sticky(f.Kind) {
			continue
		}
		f.Count--
		out := *f
		if f.Count <= 0 {
			q.items = append(q.items[:i], q.items[i+1:]...)
		}
		return out, true
	}
	return Fault{}, false
}

// Has reports whether a fault of kind is queued.
func (q *Queue) Has(kind int) bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	for _, f := range q.items {
		if f.Kind == kind {
			return true
		}
	}
	return false
}

// Drop closes the request's connection at once (with a TCP reset when it
// can), so the client sees no answer at all.
func Drop(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		return
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		return
	}
	if tc, ok := conn.(*net.TCPConn); ok {
		_ = tc.SetLinger(0)
	}
	_ = conn.Close()
}

// Truncate sends the recorded answer's headers with its full
// Content-Length, then half of its body, and drops the connection: an
// answer cut off in transit.
func Truncate(w http.ResponseWriter, rec *httptest.ResponseRecorder) {
	body := rec.Body.Bytes()
	for k, v := range rec.Header() {
		w.Header()[k] = v
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(rec.Code)
	_, _ = w.Write(body[:len(body)/2])
	if f, ok := w.(http.Flusher); ok {
		f.Flush()
	}
	Drop(w)
}

// The fault kinds every fake shares; a fake's own FaultKind constants use
// the same values for these and add their own above them.
const (
	KindDelay          = 1 // answer after Fault.Delay (or when the client gives up)
	KindStatus500      = 2 // HTTP 500, without processing
	KindDropConnection = 3 // close the connection without processing
)

// Before applies the faults that stop a request before the fake processes
// it and reports whether the request is finished (answered or dropped). A
// delay returns false once it has passed, so processing goes on.
func Before(w http.ResponseWriter, r *http.Request, f Fault) bool {
	switch f.Kind {
	case KindDelay:
		select {
		case <-time.After(f.Delay):
			return false
		case <-r.Context().Done():
			return true
		}
	case KindStatus500:
		http.Error(w, "internal error", http.StatusInternalServerError)
		return true
	case KindDropConnection:
		Drop(w)
		return true
	}
	return false
}

// UntrustedTLS serves h over TLS with a certificate no client trusts (the
// test server's own), counting connection attempts: a TLS failure.
func UntrustedTLS(h http.Handler) (srv *httptest.Server, handshakes func() int64) {
	var n atomic.Int64
	srv = httptest.NewUnstartedServer(h)
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			n.Add(1)
		}
	}
	srv.StartTLS()
	return srv, n.Load
}

// CorruptTLS serves h over TLS (trusted by srv.Client()) and, once h has
// handled a request that corrupt reports true for (nil: every request),
// writes on the connection's raw socket bytes that are no TLS record, as
// a device on the path could: the request was processed, and the client
// reads a TLS record error where the answer should be.
func CorruptTLS(h http.Handler, corrupt func(*http.Request) bool) *httptest.Server {
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if corrupt != nil && !corrupt(r) {
			h.ServeHTTP(w, r)
			return
		}
		h.ServeHTTP(httptest.NewRecorder(), r)
		if raw, ok := r.Context().Value(rawConnKey{}).(net.Conn); ok {
			_, _ = raw.Write([]byte("\x17\x03\x01\x00\x05hello"))
		}
		panic(http.ErrAbortHandler) // close the connection, no answer
	}))
	srv.Config.ConnContext = func(ctx context.Context, c net.Conn) context.Context {
		if tc, ok := c.(*tls.Conn); ok {
			return context.WithValue(ctx, rawConnKey{}, tc.NetConn())
		}
		return ctx
	}
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.StartTLS()
	return srv
}

type rawConnKey struct{}

// SystemRootsClient is an *http.Client that trusts only the system roots,
// as a production client does.
func SystemRootsClient() *http.Client {
	return &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{MinVersion: tls.VersionTLS12}}}
}

// Endless is a reader that never ends (spaces): an answer with no end.
type Endless struct{}

func (Endless) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = ' '
	}
	return len(p), nil
}
