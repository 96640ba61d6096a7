// Package fault is the fault-injection queue the fake providers share
// (levytest, allinpaytest, …): faults queued by a test apply to the next
// requests, and Drop ends a connection without an answer.
package fault

import (
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
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
	conn.Close()
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
