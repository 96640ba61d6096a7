// Package tampertest runs a table of forged and tampered callbacks against
// a module's parser and http.Handler: each must be refused by the parser
// with the expected typed error, answered without an acknowledgement, and
// never reach the host's handler.
package tampertest

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
)

// Case is one tampered input.
type Case struct {
	Name        string
	ContentType string
	Header      http.Header
	Body        []byte
	// Want is the error the parser must return (errors.Is).
	Want error
	// HandlerOnly marks a case only the handler can refuse (a size limit,
	// a content type the parser does not see).
	HandlerOnly bool
	// WantStatus is the HTTP status the handler must answer with (0: any
	// answer that does not acknowledge), e.g. 413 for an oversized body.
	WantStatus int
}

// Target is the module under test.
type Target struct {
	// Parse is the module's parsing entry point on the raw pieces.
	Parse func(ctx context.Context, contentType string, h http.Header, body []byte) error
	// Handler is the module's http.Handler, wired to a host function that
	// increments Calls.
	Handler http.Handler
	Calls   func() int
	// Acked reports whether an answer acknowledges.
	Acked func(status int, body []byte) bool
}

// Run sends every case to the parser and to the handler and returns how
// many were refused in both, out of how many were tried.
func Run(t testing.TB, tg Target, cases []Case) (refused, tried int) {
	t.Helper()
	for _, c := range cases {
		tried++
		before := tg.Calls()
		okParse := true
		if !c.HandlerOnly {
			err := tg.Parse(context.Background(), c.ContentType, c.Header, c.Body)
			okParse = err != nil && (c.Want == nil || errors.Is(err, c.Want))
			if !okParse {
				t.Errorf("%s: parse error %v; want %v", c.Name, err, c.Want)
			}
		}
		rec := Deliver(tg.Handler, c.ContentType, c.Header, c.Body)
		acked := tg.Acked(rec.Code, rec.Body.Bytes())
		if acked {
			t.Errorf("%s: acknowledged (%d %s)", c.Name, rec.Code, rec.Body.String())
		}
		okStatus := c.WantStatus == 0 || rec.Code == c.WantStatus
		if !okStatus {
			t.Errorf("%s: status %d; want %d", c.Name, rec.Code, c.WantStatus)
		}
		called := tg.Calls() != before
		if called {
			t.Errorf("%s: reached the host handler", c.Name)
		}
		if okParse && okStatus && !acked && !called {
			refused++
		}
	}
	return refused, tried
}

// Deliver POSTs body to h with the content type and headers, as a
// provider would, and returns the answer.
func Deliver(h http.Handler, contentType string, header http.Header, body []byte) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodPost, "/notify", bytes.NewReader(body))
	for k, v := range header {
		req.Header[k] = v
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	h.ServeHTTP(rec, req)
	return rec
}

// FlipByte returns b with the byte at the first occurrence of from (a
// single byte) replaced by to.
func FlipByte(b []byte, from, to byte) []byte {
	out := bytes.Clone(b)
	if i := bytes.IndexByte(out, from); i >= 0 {
		out[i] = to
	}
	return out
}

// Oversized returns b padded past limit bytes.
func Oversized(b []byte, limit int) []byte {
	return append(bytes.Clone(b), bytes.Repeat([]byte(" "), limit+1-len(b)+1)...)
}
