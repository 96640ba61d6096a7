// Package loadtest delivers notifications to a module's http.Handler the
// way a provider does on a bad day: thousands of them, in concurrent
// bursts, some twice at once, with the host's handler failing at random;
// whatever is not acknowledged is delivered again until it is. It checks
// the guarantees every callback handler of this SDK makes: each distinct
// notification is handled exactly once, none is acknowledged before the
// host handled it, and every failed one is eventually handled.
package loadtest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"sync"
	"sync/atomic"
	"time"
)

// Note is one distinct notification. ID is what the host's handler sees
// as its identity (it calls Host with it); every delivery of the note is
// a fresh request built from ContentType, Header and Body.
type Note struct {
	ID          string
	ContentType string
	Header      http.Header
	Body        []byte
}

// Config shapes a run.
type Config struct {
	Burst      int     // concurrent deliveries per burst (100)
	Duplicates float64 // share of notes delivered twice in the same burst (0.1)
	FailRate   float64 // chance the host handler fails (0.1)
	Rounds     int     // give up after this many redelivery rounds (50)
	Seed       uint64
	// Acked reports whether an answer acknowledges the notification.
	Acked func(status int, body []byte) bool
}

// Result counts what happened.
type Result struct {
	Distinct     int   // distinct notifications
	Deliveries   int64 // requests sent
	Acked        int64 // acknowledging answers
	Refused      int64 // answers that asked for redelivery
	HostCalls    int64 // calls of the host handler
	HostFailed   int64 // of which failed on purpose
	Handled      int   // distinct notifications handled
	HandledTwice int   // distinct notifications handled more than once
	EarlyAcks    int64 // acknowledgements before the host had handled the note
	Unacked      int   // distinct notifications never acknowledged
	Rounds       int   // delivery rounds used
}

// String is a one-line summary.
func (r Result) String() string {
	return fmt.Sprintf("%d distinct, %d deliveries, %d acknowledged, %d refused; host called %d times (%d failed on purpose); handled %d once, %d more than once; %d early acks; %d never acknowledged; %d rounds",
		r.Distinct, r.Deliveries, r.Acked, r.Refused, r.HostCalls, r.HostFailed, r.Handled-r.HandledTwice, r.HandledTwice, r.EarlyAcks, r.Unacked, r.Rounds)
}

// OK reports whether the run kept every guarantee.
func (r Result) OK() bool {
	return r.Handled == r.Distinct && r.HandledTwice == 0 && r.EarlyAcks == 0 && r.Unacked == 0
}

// Run is one load run; give its Host method to the handler under test.
type Run struct {
	cfg     Config
	mu      sync.Mutex
	rng     *rand.Rand
	handled map[string]int
	calls   atomic.Int64
	failed  atomic.Int64
}

// ErrHostFailed is the failure the host handler returns on purpose.
var ErrHostFailed = errors.New("loadtest: host handler failed on purpose")

// New returns a Run.
func New(cfg Config) *Run {
	if cfg.Burst <= 0 {
		cfg.Burst = 100
	}
	if cfg.Rounds <= 0 {
		cfg.Rounds = 50
	}
	return &Run{cfg: cfg, rng: rand.New(rand.NewPCG(cfg.Seed, 0x5eed)) /* #nosec G404 -- a seeded, repeatable load pattern, no secret */, handled: map[string]int{}}
}

// Host is the host application's handling of notification id: it fails
// at FailRate, otherwise records id as handled. Call it from the module
// handler's function and return its error.
func (r *Run) Host(_ context.Context, id string) error {
	r.calls.Add(1)
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.rng.Float64() < r.cfg.FailRate {
		r.failed.Add(1)
		return ErrHostFailed
	}
	r.handled[id]++
	return nil
}

func (r *Run) isHandled(id string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.handled[id] > 0
}

// Deliver serves h on a loopback server and delivers notes until each is
// acknowledged (or Rounds run out), then returns the counts.
func (r *Run) Deliver(ctx context.Context, h http.Handler, notes []Note) (Result, error) {
	srv := httptest.NewServer(h)
	defer srv.Close()
	client := srv.Client()
	client.Transport.(*http.Transport).MaxIdleConnsPerHost = r.cfg.Burst
	res := Result{Distinct: len(notes)}
	var deliveries, acked, refused, early atomic.Int64
	pending := make([]int, 0, len(notes)*2)
	for i := range notes {
		pending = append(pending, i)
		r.mu.Lock()
		dup := r.rng.Float64() < r.cfg.Duplicates
		r.mu.Unlock()
		if dup {
			pending = append(pending, i) // next to it: same burst
		}
	}
	done := make([]atomic.Bool, len(notes))
	for round := 1; len(pending) > 0; round++ {
		if round > r.cfg.Rounds {
			break
		}
		res.Rounds = round
		var next []int
		var mu sync.Mutex
		for start := 0; start < len(pending); start += r.cfg.Burst {
			burst := pending[start:min(start+r.cfg.Burst, len(pending))]
			var wg sync.WaitGroup
			for _, i := range burst {
				wg.Add(1)
				go func() {
					defer wg.Done()
					n := notes[i]
					deliveries.Add(1)
					status, body, err := post(ctx, client, srv.URL, n)
					if err == nil && r.cfg.Acked(status, body) {
						acked.Add(1)
						if !r.isHandled(n.ID) {
							early.Add(1)
						}
						done[i].Store(true)
						return
					}
					refused.Add(1)
					mu.Lock()
					next = append(next, i)
					mu.Unlock()
				}()
			}
			wg.Wait()
			if err := ctx.Err(); err != nil {
				return res, err
			}
		}
		// A duplicate refused while its twin was acknowledged needs no
		// redelivery; the rest go again (the provider's retry).
		pending = pending[:0]
		seen := map[int]bool{}
		for _, i := range next {
			if !done[i].Load() && !seen[i] {
				seen[i] = true
				pending = append(pending, i)
			}
		}
		if len(pending) > 0 {
			time.Sleep(time.Millisecond)
		}
	}
	res.Deliveries, res.Acked, res.Refused, res.EarlyAcks = deliveries.Load(), acked.Load(), refused.Load(), early.Load()
	res.HostCalls, res.HostFailed = r.calls.Load(), r.failed.Load()
	r.mu.Lock()
	for _, n := range notes {
		if c := r.handled[n.ID]; c > 0 {
			res.Handled++
			if c > 1 {
				res.HandledTwice++
			}
		}
	}
	r.mu.Unlock()
	for i := range done {
		if !done[i].Load() {
			res.Unacked++
		}
	}
	return res, nil
}

func post(ctx context.Context, c *http.Client, url string, n Note) (int, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(n.Body))
	if err != nil {
		return 0, nil, err
	}
	for k, v := range n.Header {
		req.Header[k] = v
	}
	if n.ContentType != "" {
		req.Header.Set("Content-Type", n.ContentType)
	}
	resp, err := c.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 4<<10))
	return resp.StatusCode, b, err
}

// Size is how many distinct notifications a delivery test sends: 10,000
// with RELIABILITY_LONG=1 (the long run RELIABILITY.md records), 500 in
// the normal test command.
func Size() int {
	if os.Getenv("RELIABILITY_LONG") == "1" {
		return 10000
	}
	return 500
}
