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
func Run(t *testing.T, tg Target, cases []Case) (refused, tried int) {
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
		rec := httptest.NewRecorder()
		req := httptest.NewRequest(http.MethodPost, "/notify", bytes.NewReader(c.Body))
		for k, v := range c.Header {
			req.Header[k] = v
		}
		if c.ContentType != "" {
			req.Header.Set("Content-Type", c.ContentType)
		}
		tg.Handler.ServeHTTP(rec, req)
		acked := tg.Acked(rec.Code, rec.Body.Bytes())
		if acked {
			t.Errorf("%s: acknowledged (%d %s)", c.Name, rec.Code, rec.Body.String())
		}
		called := tg.Calls() != before
		if called {
			t.Errorf("%s: reached the host handler", c.Name)
		}
		if okParse && !acked && !called {
			refused++
		}
	}
	return refused, tried
}

// FlipByte returns b with the byte at the first occurrence of old (a
// single byte) replaced by new.
func FlipByte(b []byte, old, new byte) []byte {
	out := bytes.Clone(b)
	if i := bytes.IndexByte(out, old); i >= 0 {
		out[i] = new
	}
	return out
}

// Oversized returns b padded past limit bytes.
func Oversized(b []byte, limit int) []byte {
	return append(bytes.Clone(b), bytes.Repeat([]byte(" "), limit+1-len(b)+1)...)
}
