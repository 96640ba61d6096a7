package loadtest

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"testing"

	"github.com/bizapi-cn/go-sdk/internal/dedup"
	"github.com/bizapi-cn/go-sdk/store"
)

func notes(n int) []Note {
	out := make([]Note, n)
	for i := range out {
		out[i] = Note{ID: fmt.Sprint("n", i), Body: []byte(fmt.Sprint("n", i))}
	}
	return out
}

var acked = func(status int, body []byte) bool { return status == 200 && string(body) == "OK" }

// handler is a callback handler in the SDK's shape; the flags break it the
// ways the checks must catch.
func handler(run *Run, s store.Dedup, ackFirst bool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		id := string(b)
		if ackFirst {
			_, _ = io.WriteString(w, "OK")
			go func() { _ = run.Host(context.Background(), id) }()
			return
		}
		if _, err := dedup.Run(r.Context(), s, id, func(ctx context.Context) error { return run.Host(ctx, id) }); err != nil {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		_, _ = io.WriteString(w, "OK")
	})
}

// TestChecksCatchBrokenHandlers: a correct handler passes; one without a
// dedup store handles twice; one that acknowledges first is caught.
func TestChecksCatchBrokenHandlers(t *testing.T) {
	cfg := Config{Burst: 50, Duplicates: 0.3, FailRate: 0.1, Seed: 1, Acked: acked}
	ctx := context.Background()

	run := New(cfg)
	res, err := run.Deliver(ctx, handler(run, newStore(), false), notes(500))
	if err != nil || !res.OK() || res.HostFailed == 0 || res.Deliveries <= 500 {
		t.Errorf("correct handler: %v, %v", res, err)
	}

	run = New(Config{Burst: 50, Duplicates: 1, FailRate: 0, Seed: 2, Acked: acked})
	res, _ = run.Deliver(ctx, handler(run, nil, false), notes(200))
	if res.HandledTwice == 0 {
		t.Errorf("no dedup store: %v; want notes handled twice", res)
	}

	run = New(Config{Burst: 50, FailRate: 0.5, Seed: 3, Acked: acked})
	res, _ = run.Deliver(ctx, handler(run, nil, true), notes(200))
	if res.EarlyAcks == 0 && res.Handled == res.Distinct {
		t.Errorf("ack before handling: %v; want early acks or unhandled notes", res)
	}
}

func newStore() store.Dedup {
	s, err := store.NewMemoryDedup()
	if err != nil {
		panic(err)
	}
	return s
}
