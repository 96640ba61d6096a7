package dedup_test

import (
	"context"
	"errors"
	"testing"

	"github.com/bizapi-cn/go-sdk/internal/dedup"
	"github.com/bizapi-cn/go-sdk/store"
)

func newStore(t *testing.T) *store.MemoryDedup {
	t.Helper()
	s, err := store.NewMemoryDedup()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestRunOncePerKey(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := newStore(t)
	calls := 0
	fail := errors.New("host down")
	handle := func(err error) func(context.Context) error {
		return func(context.Context) error { calls++; return err }
	}
	if handled, err := dedup.Run(ctx, s, "k", handle(fail)); handled || !errors.Is(err, fail) {
		t.Fatalf("failing host: Run = %v, %v", handled, err)
	}
	if handled, err := dedup.Run(ctx, s, "k", handle(nil)); !handled || err != nil {
		t.Fatalf("after a failure the key is released: Run = %v, %v", handled, err)
	}
	if handled, err := dedup.Run(ctx, s, "k", handle(nil)); handled || err != nil {
		t.Fatalf("a done key: Run = %v, %v; want false, nil", handled, err)
	}
	if calls != 2 {
		t.Fatalf("host ran %d times; want 2", calls)
	}
}

// TestRunPanicReleases: a host function that panics must not leave its
// claim in flight for the lease (every redelivery would be answered
// "busy" for minutes).
func TestRunPanicReleases(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := newStore(t)
	func() {
		defer func() {
			if recover() == nil {
				t.Fatal("the host's panic was swallowed")
			}
		}()
		_, _ = dedup.Run(ctx, s, "k", func(context.Context) error { panic("host bug") })
	}()
	if c, err := s.Acquire(ctx, "k"); err != nil || c.State != store.StateAcquired {
		t.Fatalf("after a panic Acquire = %v, %v; want acquired (the claim released)", c.State, err)
	}
}

func TestRunInFlight(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := newStore(t)
	if _, err := s.Acquire(ctx, "k"); err != nil {
		t.Fatal(err)
	}
	ran := false
	if _, err := dedup.Run(ctx, s, "k", func(context.Context) error { ran = true; return nil }); !errors.Is(err, dedup.ErrInFlight) || ran {
		t.Fatalf("Run on a key in flight = %v (ran %v); want ErrInFlight without running", err, ran)
	}
}
