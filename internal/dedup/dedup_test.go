package dedup

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func TestMemoryStates(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	c := &clock{t: time.Unix(1_700_000_000, 0)}
	m := NewMemory(time.Hour, time.Minute, c.now)
	steps := []struct {
		do   func() (State, error)
		want State
	}{
		{func() (State, error) { return m.Acquire(ctx, "k") }, Acquired},
		{func() (State, error) { return m.Acquire(ctx, "k") }, InFlight},
		{func() (State, error) { return Acquired, m.Release(ctx, "k") }, Acquired},
		{func() (State, error) { return m.Acquire(ctx, "k") }, Acquired},
		{func() (State, error) { return Acquired, m.Complete(ctx, "k") }, Acquired},
		{func() (State, error) { return m.Acquire(ctx, "k") }, Done},
		{func() (State, error) { return Done, m.Release(ctx, "k") }, Done}, // Release never undoes Complete
		{func() (State, error) { return m.Acquire(ctx, "k") }, Done},
	}
	for i, s := range steps {
		got, err := s.do()
		if err != nil || got != s.want {
			t.Fatalf("step %d = %v, %v; want %v", i, got, err, s.want)
		}
	}
}

func TestMemoryExpiry(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	c := &clock{t: time.Unix(1_700_000_000, 0)}
	m := NewMemory(time.Hour, time.Minute, c.now)
	if st, _ := m.Acquire(ctx, "lease"); st != Acquired {
		t.Fatal("first Acquire not Acquired")
	}
	c.add(59 * time.Second)
	if st, _ := m.Acquire(ctx, "lease"); st != InFlight {
		t.Fatalf("within lease = %v; want in flight", st)
	}
	c.add(2 * time.Second)
	if st, _ := m.Acquire(ctx, "lease"); st != Acquired {
		t.Fatalf("after lease = %v; want acquired (a stuck handler must not block forever)", st)
	}
	_ = m.Complete(ctx, "lease")
	c.add(59 * time.Minute)
	if st, _ := m.Acquire(ctx, "lease"); st != Done {
		t.Fatalf("within retention = %v; want done", st)
	}
	c.add(2 * time.Minute)
	if st, _ := m.Acquire(ctx, "lease"); st != Acquired {
		t.Fatalf("after retention = %v; want acquired", st)
	}
	c.add(2 * time.Hour)
	_, _ = m.Acquire(ctx, "other") // sweeps
	if n := m.Len(); n != 1 {
		t.Errorf("Len after sweep = %d; want 1", n)
	}
}

func TestRun(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	m := NewMemory(0, 0, nil)
	boom := errors.New("boom")
	calls := 0
	fail := func(context.Context) error { calls++; return boom }
	ok := func(context.Context) error { calls++; return nil }

	if handled, err := Run(ctx, m, "k", fail); handled || !errors.Is(err, boom) {
		t.Fatalf("Run(fail) = %v, %v; want false, boom", handled, err)
	}
	if handled, err := Run(ctx, m, "k", ok); !handled || err != nil {
		t.Fatalf("Run(ok) after failure = %v, %v; want true, nil (failure must release)", handled, err)
	}
	if handled, err := Run(ctx, m, "k", ok); handled || err != nil {
		t.Fatalf("Run(ok) again = %v, %v; want false, nil (duplicate)", handled, err)
	}
	if calls != 2 {
		t.Errorf("handler calls = %d; want 2", calls)
	}
	if handled, err := Run(ctx, nil, "k", ok); !handled || err != nil || calls != 3 {
		t.Errorf("Run(nil store) = %v, %v, calls %d; want every call handled", handled, err, calls)
	}
}

func TestRunInFlight(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	m := NewMemory(0, 0, nil)
	entered, release := make(chan struct{}), make(chan struct{})
	go func() {
		_, _ = Run(ctx, m, "k", func(context.Context) error { close(entered); <-release; return nil })
	}()
	<-entered
	if _, err := Run(ctx, m, "k", func(context.Context) error { return nil }); !errors.Is(err, ErrInFlight) {
		t.Fatalf("concurrent Run = %v; want ErrInFlight", err)
	}
	close(release)
}

// TestRunConcurrent: many deliveries of one key, with the handler failing
// at first, end with exactly one successful handling.
func TestRunConcurrent(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	m := NewMemory(0, 0, nil)
	var attempts, successes atomic.Int64
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				handled, err := Run(ctx, m, "same", func(context.Context) error {
					if attempts.Add(1) <= 3 {
						return errors.New("transient")
					}
					successes.Add(1)
					return nil
				})
				if err == nil && !handled {
					return // acknowledged as a duplicate
				}
				if handled {
					return
				}
			}
		}()
	}
	wg.Wait()
	if n := successes.Load(); n != 1 {
		t.Fatalf("successful handlings = %d; want exactly 1", n)
	}
}

func TestStateString(t *testing.T) {
	t.Parallel()
	for s, want := range map[State]string{Acquired: "acquired", Done: "done", InFlight: "in flight", State(9): "unknown"} {
		if got := s.String(); got != want {
			t.Errorf("State(%d).String() = %q; want %q", s, got, want)
		}
	}
}
