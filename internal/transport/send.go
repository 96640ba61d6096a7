package transport

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"strings"
	"sync/atomic"

	"github.com/go-resty/resty/v2"
)

// Config is what a provider client's options say about its transport:
// at most one of HTTPClient (WithHTTPClient) and Resty (WithRestyClient),
// and MaxConnsPerHost (WithMaxConnsPerHost, 0 for the default) only
// without either.
type Config struct {
	HTTPClient      *http.Client
	Resty           *resty.Client
	MaxConnsPerHost int
}

// New returns the resty client a provider client sends through: the
// host's own (Resty) as given, or one NewResty builds over HTTPClient, over
// a transport of its own with MaxConnsPerHost, or over DefaultTransport.
// The errors name the options that conflict.
func New(cfg Config) (*resty.Client, error) {
	switch {
	case cfg.Resty != nil && cfg.HTTPClient != nil:
		return nil, errors.New("WithRestyClient and WithHTTPClient: choose one")
	case cfg.MaxConnsPerHost > 0 && (cfg.Resty != nil || cfg.HTTPClient != nil):
		return nil, errors.New("WithMaxConnsPerHost with WithHTTPClient or WithRestyClient: a host's client is used as given, its transport's limits included")
	case cfg.MaxConnsPerHost < 0:
		return nil, fmt.Errorf("WithMaxConnsPerHost(%d): want a positive count", cfg.MaxConnsPerHost)
	case cfg.Resty != nil:
		if err := CheckResty(cfg.Resty); err != nil {
			return nil, err
		}
		return cfg.Resty, nil
	case cfg.MaxConnsPerHost > 0:
		return NewResty(&http.Client{Transport: newTransport(cfg.MaxConnsPerHost)}), nil
	}
	return NewResty(cfg.HTTPClient), nil
}

// CheckResty refuses a host's resty client the SDK cannot send through:
// nil, or one that retries on its own (RetryCount > 0): resty would send
// a payment again after a lost answer, and a payment sent twice is two
// payments. Only the SDK decides what is safe to repeat.
func CheckResty(rc *resty.Client) error {
	switch {
	case rc == nil:
		return errors.New("WithRestyClient(nil)")
	case rc.RetryCount > 0:
		return fmt.Errorf("WithRestyClient: RetryCount %d: want 0, the SDK alone decides what is safe to send again", rc.RetryCount)
	}
	return nil
}

// Request is one HTTP request of a provider client.
type Request struct {
	Method string
	URL    string
	// Header is a map of this request alone: resty adds the client's
	// headers to it (those it does not set) as it sends, so a caller builds
	// a fresh one per request, never shares one.
	Header http.Header
	// Body is nil for none. Bytes already in memory (a *bytes.Reader,
	// *bytes.Buffer or *strings.Reader) go through resty with their
	// length as Content-Length; any other reader is streamed (see Send).
	Body io.Reader
	// Size is a streamed Body's length, its Content-Length; -1 when
	// unknown (the body is then sent chunked).
	Size int64
	// ProveUnsent asks Send for the one proof of "never left" a TLS error
	// can give (see Send): set it on a request the caller repeats only
	// then (a state change). It costs a trace on the request, a few
	// allocations, which the other requests skip.
	ProveUnsent bool
}

// Send executes req through rc and returns the raw response, whose body
// the caller reads (ReadAnswer) and closes. resty neither parses the
// answer nor logs the request (its debug log would show signatures and
// keys); rc's middlewares, hooks, headers and *http.Client apply as rc
// says, and a User-Agent in req is kept (resty adds its own only to a
// request without one).
//
// The errors are what the *http.Client returned (a *url.Error, which
// NotSent, Untrusted and Judge read as before), or an error NotSent
// reports true for when the request never reached the *http.Client: a
// hook or rate limiter of rc refused it, it did not build, or rc retries
// on its own (CheckResty). A Body that is an io.Closer is closed in
// every case, as http.Client.Do does.
//
// A streamed Body is the one exception to "through resty": see stream.
//
// A failed TLS handshake is reported NotSent only for a request with
// ProveUnsent and only when net/http itself says so (see handshakeWatch):
// the same TLS errors can come on the answer, after the request was
// written.
func Send(ctx context.Context, rc *resty.Client, req Request) (*http.Response, error) {
	if err := CheckResty(rc); err != nil {
		closeBody(req.Body)
		return nil, &unsentError{err}
	}
	if !req.ProveUnsent {
		return send(ctx, rc, req)
	}
	w := watchHandshake(&ctx)
	resp, err := send(ctx, rc, req)
	if err != nil && w.failedBeforeConn() {
		return nil, &unsentError{err}
	}
	return resp, err
}

func send(ctx context.Context, rc *resty.Client, req Request) (*http.Response, error) {
	switch req.Body.(type) {
	case nil, *bytes.Reader, *bytes.Buffer, *strings.Reader:
	default:
		return stream(ctx, rc.GetClient(), rc.Header, req)
	}
	r := rc.R().SetContext(ctx).SetDoNotParseResponse(true)
	r.Debug = false
	if req.Header != nil {
		r.Header = req.Header // the request's own map (see Request.Header): no copy
	}
	if req.Body != nil {
		r.SetBody(req.Body)
	}
	resp, err := r.Execute(req.Method, req.URL)
	var raw *http.Response
	if resp != nil {
		raw = resp.RawResponse
	}
	switch {
	case err == nil && raw != nil:
		return raw, nil
	case raw != nil:
		// An answer arrived and a hook of rc refused it afterwards: the
		// request reached the server, so this is never "not sent" (a
		// retry could repeat a payment); the caller treats it as no
		// answer.
		_ = raw.Body.Close()
		return nil, &answeredError{err}
	}
	var ue *url.Error
	if err == nil || !errors.As(err, &ue) {
		// Only http.Client.Do returns a *url.Error: anything else failed
		// before the request was handed to it.
		return nil, &unsentError{orNoResponse(err)}
	}
	return nil, err
}

// handshakeWatch is the proof, from net/http's own trace, that a request
// never left: a TLS handshake of its connection failed and it got no
// connection at all. Only net/http's transport (and HTTP/2 over it) calls
// these hooks; under a host's RoundTripper that does not, there is no
// proof, and a TLS error is what it is (sent, perhaps).
type handshakeWatch struct {
	failed, gotConn atomic.Bool // set by the dial's goroutine
}

// watchHandshake adds the watch's trace to *ctx, composed with any trace
// the caller's context already has.
func watchHandshake(ctx *context.Context) *handshakeWatch {
	w := &handshakeWatch{}
	*ctx = httptrace.WithClientTrace(*ctx, &httptrace.ClientTrace{
		GotConn: func(httptrace.GotConnInfo) { w.gotConn.Store(true) },
		TLSHandshakeDone: func(_ tls.ConnectionState, err error) {
			if err != nil {
				w.failed.Store(true)
			}
		},
	})
	return w
}

func (w *handshakeWatch) failedBeforeConn() bool {
	return w.failed.Load() && !w.gotConn.Load()
}

func orNoResponse(err error) error {
	if err == nil {
		return errors.New("resty returned no response")
	}
	return err
}

// stream sends a Body that is not already in memory (levy's and
// evidence's uploads, produced by a goroutine as they are read) straight
// to rc's *http.Client: the same transport, proxy, TLS, cookie jar and
// redirect policy, with rc's client headers added to those the request
// does not set, but without resty's middlewares and hooks. It is the one
// path that bypasses resty, because resty v2 cannot stream a body: for a
// reader it does not know how to rewind it reads the whole body into
// memory before sending (createHTTPRequest → getBodyCopy, to set
// GetBody), and SetContentLength buffers it too. An upload of tens of MiB
// would be held whole, twice over with its base64. TestRestyBuffersReaders
// fails the day resty streams, and this path can go.
func stream(ctx context.Context, hc *http.Client, header http.Header, req Request) (*http.Response, error) {
	hr, err := http.NewRequestWithContext(ctx, req.Method, req.URL, req.Body)
	if err != nil {
		closeBody(req.Body)
		return nil, &unsentError{err}
	}
	hr.Header = req.Header.Clone()
	if hr.Header == nil {
		hr.Header = http.Header{}
	}
	for k, v := range header {
		if _, ok := hr.Header[k]; !ok {
			hr.Header[k] = v
		}
	}
	hr.ContentLength = max(req.Size, -1)
	return hc.Do(hr)
}

func closeBody(b io.Reader) {
	if c, ok := b.(io.Closer); ok {
		_ = c.Close()
	}
}

// unsentError is a request that never reached the *http.Client.
type unsentError struct{ err error }

func (e *unsentError) Error() string { return "request not sent: " + e.err.Error() }
func (e *unsentError) Unwrap() error { return e.err }

// answeredError is a request the server answered whose answer rc's hooks
// then refused: it was sent, its outcome is unknown.
type answeredError struct{ err error }

func (e *answeredError) Error() string { return "answer refused by the client: " + e.err.Error() }
func (e *answeredError) Unwrap() error { return e.err }
