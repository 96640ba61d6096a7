package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/bizapi-cn/go-sdk/store"
	"github.com/bizapi-cn/go-sdk/store/storetest"
)

func TestMemoryDedupConformance(t *testing.T) {
	storetest.TestDedup(t, func(t *testing.T, lease time.Duration) store.Dedup {
		s, err := store.NewMemoryDedup(store.WithLease(lease))
		if err != nil {
			t.Fatal(err)
		}
		return s
	})
}

func TestMemoryKeysConformance(t *testing.T) {
	storetest.TestKeys(t, func(*testing.T) store.Keys { return store.NewMemoryKeys() })
}

func TestMemoryListsConformance(t *testing.T) {
	storetest.TestLists(t, func(t *testing.T, retention time.Duration) store.Lists {
		s, err := store.NewMemoryLists(store.WithRetention(retention))
		if err != nil {
			t.Fatal(err)
		}
		return s
	})
}

// fakeClock is a clock the test moves.
type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time { return c.t }

func TestMemoryDedupBounded(t *testing.T) {
	ctx := context.Background()
	clk := &fakeClock{t: time.Unix(1_700_000_000, 0)}
	s, err := store.NewMemoryDedup(store.WithMaxEntries(3), store.WithClock(clk.now))
	if err != nil {
		t.Fatal(err)
	}
	done := func(key string) {
		t.Helper()
		c, err := s.Acquire(ctx, key)
		if err != nil || c.State != store.StateAcquired {
			t.Fatalf("Acquire(%q) = %v, %v", key, c.State, err)
		}
		if err := s.Complete(ctx, c); err != nil {
			t.Fatal(err)
		}
		clk.t = clk.t.Add(time.Second)
	}
	done("a")
	done("b")
	done("c")
	done("d") // full: "a", the oldest done key, goes
	if n := s.Len(); n != 3 {
		t.Fatalf("Len() = %d; want 3 (the bound)", n)
	}
	for key, want := range map[string]store.State{"b": store.StateDone, "c": store.StateDone, "d": store.StateDone} {
		if c, _ := s.Acquire(ctx, key); c.State != want {
			t.Errorf("Acquire(%q) = %v; want %v", key, c.State, want)
		}
	}
	// "a" was forgotten: it can be acquired (the store is full of done
	// keys, so the oldest of them, "b", makes room).
	if c, _ := s.Acquire(ctx, "a"); c.State != store.StateAcquired {
		t.Fatalf("Acquire(a) after eviction = %v; want acquired", c.State)
	}

	// Full of live claims: refused, not evicted.
	f, _ := store.NewMemoryDedup(store.WithMaxEntries(2), store.WithClock(clk.now))
	for _, k := range []string{"x", "y"} {
		if c, _ := f.Acquire(ctx, k); c.State != store.StateAcquired {
			t.Fatalf("Acquire(%q) = %v", k, c.State)
		}
	}
	if _, err := f.Acquire(ctx, "z"); !errors.Is(err, store.ErrFull) {
		t.Fatalf("Acquire on a store full of claims: err = %v; want ErrFull", err)
	}
	clk.t = clk.t.Add(store.DefaultLease)
	if c, err := f.Acquire(ctx, "z"); err != nil || c.State != store.StateAcquired {
		t.Fatalf("Acquire after the claims expired = %v, %v; want acquired", c.State, err)
	}
}

func TestMemoryOptionsRefuseNonsense(t *testing.T) {
	for name, opt := range map[string]store.MemoryOption{
		"retention 0": store.WithRetention(0),
		"lease -1":    store.WithLease(-1),
		"max 0":       store.WithMaxEntries(0),
		"nil clock":   store.WithClock(nil),
		"nil option":  nil,
	} {
		if _, err := store.NewMemoryDedup(opt); err == nil {
			t.Errorf("NewMemoryDedup(%s) = nil error", name)
		}
		if _, err := store.NewMemoryLists(opt); err == nil {
			t.Errorf("NewMemoryLists(%s) = nil error", name)
		}
	}
}

func TestMemoryListsBounded(t *testing.T) {
	ctx := context.Background()
	s, _ := store.NewMemoryLists(store.WithMaxEntries(2))
	for _, k := range []string{"a", "b", "a", "c"} { // "b" is the least recently appended when "c" comes
		if err := s.Append(ctx, k, []byte(k)); err != nil {
			t.Fatal(err)
		}
	}
	for key, want := range map[string]int{"a": 2, "b": 0, "c": 1} {
		if got, _ := s.List(ctx, key); len(got) != want {
			t.Errorf("List(%q) has %d values; want %d", key, len(got), want)
		}
	}
}
