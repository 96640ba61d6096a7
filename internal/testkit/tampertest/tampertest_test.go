package tampertest

import (
	"context"
	"errors"
	"io"
	"net/http"
	"testing"
)

// recorder is a testing.TB that counts failures instead of failing.
type recorder struct {
	testing.TB
	errors int
}

func (r *recorder) Errorf(string, ...any) { r.errors++ }
func (r *recorder) Helper()               {}

var errForged = errors.New("forged")

// target is a module whose handler misbehaves as told.
func target(calls *int, ack, reachHost bool, status int) Target {
	return Target{
		Parse: func(context.Context, string, http.Header, []byte) error { return errForged },
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if reachHost {
				*calls++
			}
			w.WriteHeader(status)
			if ack {
				_, _ = io.WriteString(w, "ACK")
			}
		}),
		Calls: func() int { return *calls },
		Acked: func(_ int, b []byte) bool { return string(b) == "ACK" },
	}
}

// TestRun: a case counts as refused only when the parser returns the
// wanted error and the handler neither acknowledges, nor calls the host,
// nor answers another status than the one wanted.
func TestRun(t *testing.T) {
	for _, c := range []struct {
		name            string
		ack, reach      bool
		status          int
		want            error
		wantStatus      int
		refused, errors int
	}{
		{"refused", false, false, 400, errForged, 0, 1, 0},
		{"refused with the wanted status", false, false, 413, errForged, 413, 1, 0},
		{"another status", false, false, 400, errForged, 413, 0, 1},
		{"acknowledged", true, false, 200, errForged, 0, 0, 1},
		{"reached the host", false, true, 400, errForged, 0, 0, 1},
		{"another parse error", false, false, 400, io.EOF, 0, 0, 1},
	} {
		calls := 0
		r := &recorder{TB: t}
		refused, tried := Run(r, target(&calls, c.ack, c.reach, c.status), []Case{{Name: c.name, Body: []byte("x"), Want: c.want, WantStatus: c.wantStatus}})
		if tried != 1 || refused != c.refused || r.errors != c.errors {
			t.Errorf("%s: refused %d/%d with %d errors; want %d/1 with %d", c.name, refused, tried, r.errors, c.refused, c.errors)
		}
	}
}
