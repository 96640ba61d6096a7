package dedup_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

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

// keyRecorder is a store that notes the keys it is asked for.
type keyRecorder struct {
	*store.MemoryDedup
	keys []string
}

func (r *keyRecorder) Acquire(ctx context.Context, key string) (store.Claim, error) {
	r.keys = append(r.keys, key)
	return r.MemoryDedup.Acquire(ctx, key)
}

// TestRunBoundsKeys: a store gets keys of at most store.MaxKeyBytes bytes
// of UTF-8 (the contract it is written to); a longer key, or one that is
// not UTF-8 (a kind a provider sent), becomes "sha256:" and its hash, and
// two such keys stay two.
func TestRunBoundsKeys(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	long := strings.Repeat("N", 2*store.MaxKeyBytes)
	r := &keyRecorder{MemoryDedup: newStore(t)}
	for _, k := range []string{"levy:CREATE_ORDER_V2:ab12", strings.Repeat("x", store.MaxKeyBytes), long + "1", long + "2", "bad\xff"} {
		if handled, err := dedup.Run(ctx, r, k, func(context.Context) error { return nil }); !handled || err != nil {
			t.Fatalf("Run(%.20q…) = %v, %v; want handled", k, handled, err)
		}
	}
	for i, k := range r.keys {
		if len(k) > store.MaxKeyBytes || !utf8.ValidString(k) {
			t.Errorf("key %d given to the store: %d bytes, UTF-8 %v", i, len(k), utf8.ValidString(k))
		}
	}
	if r.keys[0] != "levy:CREATE_ORDER_V2:ab12" || len(r.keys[1]) != store.MaxKeyBytes {
		t.Errorf("keys within the bound were changed: %.30q, %d bytes", r.keys[0], len(r.keys[1]))
	}
	if !strings.HasPrefix(r.keys[2], "sha256:") || r.keys[2] == r.keys[3] || !strings.HasPrefix(r.keys[4], "sha256:") {
		t.Errorf("long or non-UTF-8 keys: %q, %q, %q; want distinct sha256: keys", r.keys[2], r.keys[3], r.keys[4])
	}
}
