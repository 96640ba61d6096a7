// Package transport holds the HTTP plumbing the provider clients share: a
// resty client over the caller's *http.Client that never follows redirects,
// bounded body reads, and the retry rules (which failures provably did not
// reach the server, backoff that honours the context).
package transport

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/go-resty/resty/v2"

	"github.com/bizapi-cn/go-sdk/internal/bodylimit"
)

// DefaultTimeout is the per-call timeout when the context has no deadline.
const DefaultTimeout = 30 * time.Second

// DefaultMaxBody bounds every response body read (10 MiB) unless a module
// sets another limit (allinpay bill files are larger).
const DefaultMaxBody = 10 << 20

// ErrBodyTooLarge reports a body longer than its limit (bodylimit's).
var ErrBodyTooLarge = bodylimit.ErrTooLarge

// DefaultMaxIdleConnsPerHost is the idle pool per host of DefaultTransport:
// enough for 64 concurrent callers of one provider to reuse their
// connections (net/http's default keeps 2, resty's GOMAXPROCS+1).
const DefaultMaxIdleConnsPerHost = 64

var (
	sharedOnce sync.Once
	shared     *http.Transport
)

// DefaultTransport returns the transport of every SDK client built without
// a host's *http.Client: one per process, so clients of all modules share
// their connections, with an idle pool of DefaultMaxIdleConnsPerHost per
// host and at most as many connections per host (a call beyond them waits
// for one: 64 callers open 64 connections instead of churning through
// hundreds), HTTP/2 attempted over TLS, and dial, TLS handshake, response
// header and idle timeouts. The proxy settings of the environment apply.
// A host with more concurrent calls to one provider passes its own client.
func DefaultTransport() *http.Transport {
	sharedOnce.Do(func() { shared = newTransport(DefaultMaxIdleConnsPerHost) })
	return shared
}

// newTransport is the SDK's transport with an idle pool of perHost
// connections per host and at most as many per host: DefaultTransport's,
// or a client's own (WithMaxConnsPerHost).
func newTransport(perHost int) *http.Transport {
	d := &net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}
	return &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           d.DialContext,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          4 * perHost,
		MaxIdleConnsPerHost:   perHost,
		MaxConnsPerHost:       perHost,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   10 * time.Second,
		ResponseHeaderTimeout: 30 * time.Second,
		ExpectContinueTimeout: time.Second,
	}
}

// NewResty returns a resty client over a copy of hc that does not follow
// redirects and does not parse bodies, so callers read raw bytes through
// ReadAll. A nil hc means DefaultTransport; a host's client is used as
// given, its Transport included (nil: net/http's DefaultTransport, never a
// pool of resty's own). The caller's client is not modified.
func NewResty(hc *http.Client) *resty.Client {
	if hc == nil {
		hc = &http.Client{Transport: DefaultTransport()}
	}
	cp := *hc
	if cp.Transport == nil {
		cp.Transport = http.DefaultTransport
	}
	cp.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	c := resty.NewWithClient(&cp)
	c.SetDoNotParseResponse(true)
	c.SetRetryCount(0)
	c.SetLogger(discard{})
	return c
}

type discard struct{}

func (discard) Errorf(string, ...any) {}
func (discard) Warnf(string, ...any)  {}
func (discard) Debugf(string, ...any) {}

// ReadAll reads r to the end, failing with ErrBodyTooLarge past limit bytes
// (DefaultMaxBody when limit is not positive).
func ReadAll(r io.Reader, limit int64) ([]byte, error) {
	if limit <= 0 {
		limit = DefaultMaxBody
	}
	return bodylimit.ReadAll(r, limit)
}

// ReadAnswer reads and closes a response body through limit. An error
// means the answer is incomplete (cut off in transit, or over the limit):
// the caller treats it as no answer at all (status 0), since the provider
// may have acted on the request.
func ReadAnswer(body io.ReadCloser, limit int64) ([]byte, error) {
	return ReadAnswerSized(body, -1, limit)
}

// ReadAnswerSized is ReadAnswer for an answer whose Content-Length is size
// (-1: unknown): its buffer is allocated once (bodylimit.ReadAllSized).
func ReadAnswerSized(body io.ReadCloser, size, limit int64) ([]byte, error) {
	if limit <= 0 {
		limit = DefaultMaxBody
	}
	raw, err := bodylimit.ReadAllSized(body, size, limit)
	_ = body.Close()
	switch {
	case errors.Is(err, ErrBodyTooLarge):
		return nil, fmt.Errorf("response over %d bytes: %w", limit, err)
	case err != nil:
		return nil, fmt.Errorf("read response: %w", err)
	}
	return raw, nil
}

// Verdict is what a client does after a failed attempt.
type Verdict int

const (
	// Stop returns the attempt's error as it is.
	Stop Verdict = iota
	// Retry sends a fresh attempt, while the retry budget lasts.
	Retry
	// Unknown is a call that changes state and may have been processed:
	// it is not repeated, and the caller reports ErrOutcomeUnknown.
	Unknown
)

// Judge applies the retry rules every client shares to an attempt that
// failed with err after an answer of status (0: no complete answer). A
// request that provably never left is retried; after no answer or a 5xx,
// a query (safe) is retried while ctx lives, and any other call's outcome
// is unknown. Anything else (a 4xx, an answer that says no) stops.
func Judge(ctx context.Context, status int, err error, safe bool) Verdict {
	switch {
	case status == 0 && Untrusted(err):
		// A certificate or host name that does not verify is a
		// misconfiguration or an attack, not a transient fault.
		return Stop
	case status == 0 && NotSent(err):
		return Retry
	case status == 0 || status >= 500:
		if !safe {
			return Unknown
		}
		if ctx.Err() != nil {
			return Stop
		}
		return Retry
	}
	return Stop
}

// WithTimeout returns ctx bounded by d when ctx has no deadline of its own.
func WithTimeout(ctx context.Context, d time.Duration) (context.Context, context.CancelFunc) {
	if _, ok := ctx.Deadline(); ok || d <= 0 {
		return context.WithCancel(ctx)
	}
	return context.WithTimeout(ctx, d)
}

// Attempt bounds one attempt of a call by d (a per-attempt timeout apart
// from the call's own deadline); d <= 0 leaves the attempt bounded by the
// call alone. timedOut reports, after the attempt, whether it was the
// attempt's bound that ran out while the call still had time: the client
// then treats the attempt as no answer (a query may be retried, a state
// change is an outcome unknown).
func Attempt(call context.Context, d time.Duration) (ctx context.Context, cancel context.CancelFunc, timedOut func() bool) {
	if d <= 0 {
		return call, func() {}, func() bool { return false }
	}
	ctx, cancel = context.WithTimeout(call, d)
	return ctx, cancel, func() bool {
		return call.Err() == nil && errors.Is(ctx.Err(), context.DeadlineExceeded)
	}
}

// NotSent reports whether err proves the request never reached the server:
// the connection was never established (DNS failure, refused, dial
// timeout), the server's certificate was refused, Send saw net/http fail
// the connection's TLS handshake before the request had a connection, or
// the request never reached the *http.Client. Only then is a
// non-idempotent call safe to retry. A TLS record or alert error alone is
// no proof: it can come on the answer, after the request was written.
func NotSent(err error) bool {
	if err == nil {
		return false
	}
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "dial" {
		return true
	}
	var dns *net.DNSError
	if errors.As(err, &dns) {
		return true
	}
	var cert *tls.CertificateVerificationError
	if errors.As(err, &cert) {
		return true
	}
	var unsent *unsentError
	return errors.As(err, &unsent)
}

// Untrusted reports whether err is a failure to verify the server's
// certificate or host name: never retried.
func Untrusted(err error) bool {
	var (
		cert     *tls.CertificateVerificationError
		unknown  x509.UnknownAuthorityError
		hostname x509.HostnameError
		invalid  x509.CertificateInvalidError
	)
	return errors.As(err, &cert) || errors.As(err, &unknown) || errors.As(err, &hostname) || errors.As(err, &invalid)
}

// BackoffCeiling returns the longest wait before retry attempt n
// (1-based): 200 ms doubling, capped at 5 s.
func BackoffCeiling(n int) time.Duration {
	d := 200 * time.Millisecond
	for i := 1; i < n && d < 5*time.Second; i++ {
		d *= 2
	}
	return min(d, 5*time.Second)
}

// Backoff returns the wait before retry attempt n (1-based) with full
// jitter: uniform in [0, BackoffCeiling(n)], so clients that failed
// together do not retry together.
func Backoff(n int) time.Duration {
	return time.Duration(rand.Int64N(int64(BackoffCeiling(n)) + 1)) //nolint:gosec // jitter, no secret
}

// Sleep waits d or until ctx is done, returning ctx's error then.
func Sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// StatusError describes a non-2xx HTTP answer whose body was not a provider
// error document.
type StatusError struct {
	StatusCode int
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("transport: unexpected HTTP status %d", e.StatusCode)
}
