// Package storetest is the conformance kit of the store contracts: run it
// in the tests of any implementation of store.Dedup, store.Keys or
// store.Lists, as testing/fstest.TestFS is run against a file system. It
// checks the behaviour the SDK's handlers and clients rely on, against
// real time (leases of about a second), with subtests in parallel.
//
//	func TestRedisDedup(t *testing.T) {
//		storetest.TestDedup(t, func(t *testing.T, lease time.Duration) store.Dedup {
//			return newRedisDedup(t, lease) // a fresh, empty store
//		})
//	}
package storetest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bizapi-cn/go-sdk/store"
)

// Lease is the lease (and list retention) the kit asks its stores for in
// the subtests that watch a claim or a list expire; the kit waits a little
// longer than this to see it gone.
const Lease = time.Second

// wait is how long after Lease the kit looks again.
const wait = Lease + 400*time.Millisecond

// hold is the lease (and retention) of the subtests that do not watch
// anything expire: on a loaded machine a dozen calls to a database can
// take longer than Lease, and a claim that lapsed in the middle of such a
// subtest would fail a sound store.
const hold = time.Hour

// tries is how often a subtest that needs a step to land within Lease
// runs before the kit gives up on the machine.
const tries = 3

// timely runs body, which reports false when the machine was slower than
// Lease where body needed it to be quicker: its answer then proves nothing
// either way, and body runs again on a fresh store. A wrong answer given
// in time fails body itself, on the first try.
func timely(t *testing.T, body func() bool) {
	t.Helper()
	for range tries {
		if body() {
			return
		}
		t.Logf("a step took longer than the lease of %v; trying again on a fresh store", Lease)
	}
	t.Fatalf("%d tries were all slower than the lease of %v: the machine is too loaded to tell", tries, Lease)
}

// TestDedup checks a Dedup implementation. newStore returns a fresh, empty
// store whose claims hold for lease; each subtest calls it once.
func TestDedup(t *testing.T, newStore func(t *testing.T, lease time.Duration) store.Dedup) {
	t.Helper()
	ctx := context.Background()
	acquire := func(t *testing.T, s store.Dedup, key string, want store.State) store.Claim {
		t.Helper()
		c, err := s.Acquire(ctx, key)
		if err != nil {
			t.Fatalf("Acquire(%q): %v", key, err)
		}
		if c.State != want {
			t.Fatalf("Acquire(%q).State = %v; want %v", key, c.State, want)
		}
		if c.State == store.StateAcquired && c.Token == "" {
			t.Fatalf("Acquire(%q) acquired with an empty token", key)
		}
		if c.Key != key && c.State == store.StateAcquired {
			t.Fatalf("Acquire(%q).Key = %q", key, c.Key)
		}
		return c
	}
	must := func(t *testing.T, what string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}

	t.Run("acquire then in flight", func(t *testing.T) {
		t.Parallel()
		s := newStore(t, hold)
		acquire(t, s, "k", store.StateAcquired)
		acquire(t, s, "k", store.StateInFlight)
		acquire(t, s, "other", store.StateAcquired)
	})
	t.Run("done stays done past the lease", func(t *testing.T) {
		t.Parallel()
		s := newStore(t, Lease)
		c := acquire(t, s, "k", store.StateAcquired)
		must(t, "Complete", s.Complete(ctx, c))
		acquire(t, s, "k", store.StateDone)
		time.Sleep(wait)
		acquire(t, s, "k", store.StateDone)
	})
	t.Run("release lets the key be acquired again", func(t *testing.T) {
		t.Parallel()
		s := newStore(t, hold)
		c := acquire(t, s, "k", store.StateAcquired)
		must(t, "Release", s.Release(ctx, c))
		c2 := acquire(t, s, "k", store.StateAcquired)
		if c2.Token == c.Token {
			t.Errorf("a new claim reused the released token %q", c.Token)
		}
	})
	t.Run("release after complete does nothing", func(t *testing.T) {
		t.Parallel()
		s := newStore(t, hold)
		c := acquire(t, s, "k", store.StateAcquired)
		must(t, "Complete", s.Complete(ctx, c))
		must(t, "Release", s.Release(ctx, c))
		acquire(t, s, "k", store.StateDone)
	})
	t.Run("lease expiry frees the key", func(t *testing.T) {
		t.Parallel()
		s := newStore(t, Lease)
		acquire(t, s, "k", store.StateAcquired)
		time.Sleep(wait)
		acquire(t, s, "k", store.StateAcquired)
	})
	t.Run("an expired holder cannot release the new claim", func(t *testing.T) {
		t.Parallel()
		timely(t, func() bool {
			s := newStore(t, Lease)
			old := acquire(t, s, "k", store.StateAcquired)
			time.Sleep(wait)
			start := time.Now() // the new claim holds until at least start+Lease
			cur := acquire(t, s, "k", store.StateAcquired)
			if cur.Token == old.Token {
				t.Fatalf("the new claim has the expired claim's token %q", old.Token)
			}
			must(t, "Release(old)", s.Release(ctx, old))
			c, err := s.Acquire(ctx, "k")
			if err != nil {
				t.Fatalf("Acquire(%q): %v", "k", err)
			}
			if c.State == store.StateAcquired && time.Since(start) >= Lease {
				return false // the new claim may have lapsed by itself
			}
			if c.State != store.StateInFlight {
				t.Fatalf("Acquire(%q) after Release(old).State = %v; want %v", "k", c.State, store.StateInFlight)
			}
			must(t, "Release(cur)", s.Release(ctx, cur))
			acquire(t, s, "k", store.StateAcquired)
			return true
		})
	})
	t.Run("an expired holder's complete still marks done", func(t *testing.T) {
		t.Parallel()
		s := newStore(t, Lease)
		old := acquire(t, s, "k", store.StateAcquired)
		time.Sleep(wait)
		acquire(t, s, "k", store.StateAcquired)
		must(t, "Complete(old)", s.Complete(ctx, old))
		acquire(t, s, "k", store.StateDone)
	})
	t.Run("keys are opaque", func(t *testing.T) {
		t.Parallel()
		s := newStore(t, hold)
		keys := []string{
			"allinpay:notify:3f2a", "with space", "quote'\"`;--", "键/值", "%_*?[]{}",
			string(bytes.Repeat([]byte("x"), 200)), "K", "k",
			// Keys as long as the handlers pass, told apart only by their
			// last byte: a store that truncates or pads them loses one.
			strings.Repeat("y", store.MaxKeyBytes-1) + "a", strings.Repeat("y", store.MaxKeyBytes-1) + "b",
			strings.Repeat("z", 63) + "a", strings.Repeat("z", 63) + "b",
		}
		for _, k := range keys {
			acquire(t, s, k, store.StateAcquired)
		}
		for _, k := range keys {
			acquire(t, s, k, store.StateInFlight)
		}
	})
	t.Run("one of many concurrent deliveries acquires", func(t *testing.T) {
		t.Parallel()
		s := newStore(t, hold)
		const keys, racers = 20, 8
		var mu sync.Mutex
		won := map[string]int{}
		var wg sync.WaitGroup
		errs := make(chan error, keys*racers)
		for k := range keys {
			for range racers {
				wg.Add(1)
				go func() {
					defer wg.Done()
					key := fmt.Sprintf("race-%d", k)
					c, err := s.Acquire(ctx, key)
					if err != nil {
						errs <- err
						return
					}
					if c.State == store.StateAcquired {
						mu.Lock()
						won[key]++
						mu.Unlock()
					} else if c.State != store.StateInFlight {
						errs <- fmt.Errorf("Acquire(%q).State = %v; want acquired or in flight", key, c.State)
					}
				}()
			}
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
		for k := range keys {
			key := fmt.Sprintf("race-%d", k)
			if won[key] != 1 {
				t.Errorf("%d of %d concurrent Acquire(%q) acquired; want 1", won[key], racers, key)
			}
		}
	})
}

// TestKeys checks a Keys implementation. newStore returns a fresh, empty
// store; each subtest calls it once.
func TestKeys(t *testing.T, newStore func(t *testing.T) store.Keys) {
	t.Helper()
	ctx := context.Background()
	cas := func(t *testing.T, s store.Keys, name string, old int64, v []byte, wantVersion int64, wantSwapped bool) {
		t.Helper()
		got, swapped, err := s.CompareAndSwap(ctx, name, old, v)
		if err != nil {
			t.Fatalf("CompareAndSwap(%q, %d): %v", name, old, err)
		}
		if got != wantVersion || swapped != wantSwapped {
			t.Fatalf("CompareAndSwap(%q, %d) = %d, %v; want %d, %v", name, old, got, swapped, wantVersion, wantSwapped)
		}
	}
	load := func(t *testing.T, s store.Keys, name string, want []byte, wantVersion int64) {
		t.Helper()
		v, err := s.Load(ctx, name)
		if err != nil {
			t.Fatalf("Load(%q): %v", name, err)
		}
		if !bytes.Equal(v.Value, want) || v.Version != wantVersion {
			t.Fatalf("Load(%q) = %q v%d; want %q v%d", name, v.Value, v.Version, want, wantVersion)
		}
	}

	t.Run("absent", func(t *testing.T) {
		t.Parallel()
		s := newStore(t)
		if _, err := s.Load(ctx, "none"); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("Load(absent) error = %v; want store.ErrNotFound", err)
		}
	})
	t.Run("swap from absent and on", func(t *testing.T) {
		t.Parallel()
		s := newStore(t)
		bin := []byte{0, 1, 2, 0xff, '\'', '"', 0}
		cas(t, s, "fk", 0, bin, 1, true)
		load(t, s, "fk", bin, 1)
		cas(t, s, "fk", 0, []byte("late"), 1, false)
		cas(t, s, "fk", 1, []byte("second"), 2, true)
		cas(t, s, "fk", 1, []byte("stale"), 2, false)
		load(t, s, "fk", []byte("second"), 2)
		if _, err := s.Load(ctx, "other"); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("Load(other) error = %v; want store.ErrNotFound", err)
		}
	})
	t.Run("loaded values are copies", func(t *testing.T) {
		t.Parallel()
		s := newStore(t)
		in := []byte("secret")
		cas(t, s, "fk", 0, in, 1, true)
		in[0] = 'X'
		v, err := s.Load(ctx, "fk")
		if err != nil {
			t.Fatal(err)
		}
		v.Value[1] = 'Y'
		load(t, s, "fk", []byte("secret"), 1)
	})
	t.Run("one of many concurrent swaps wins", func(t *testing.T) {
		t.Parallel()
		s := newStore(t)
		cas(t, s, "fk", 0, []byte("v1"), 1, true)
		const racers = 16
		var wg sync.WaitGroup
		var mu sync.Mutex
		wins := 0
		for i := range racers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, swapped, err := s.CompareAndSwap(ctx, "fk", 1, fmt.Appendf(nil, "racer-%d", i))
				if err != nil {
					t.Error(err)
					return
				}
				if swapped {
					mu.Lock()
					wins++
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		if wins != 1 {
			t.Fatalf("%d of %d concurrent swaps from version 1 won; want 1", wins, racers)
		}
		v, err := s.Load(ctx, "fk")
		if err != nil || v.Version != 2 {
			t.Fatalf("Load after the race = v%d, %v; want version 2", v.Version, err)
		}
	})
}

// TestLists checks a Lists implementation. newStore returns a fresh, empty
// store that keeps a list for retention after its latest append; each
// subtest calls it once.
func TestLists(t *testing.T, newStore func(t *testing.T, retention time.Duration) store.Lists) {
	t.Helper()
	ctx := context.Background()
	values := func(t *testing.T, s store.Lists, key string) []string {
		t.Helper()
		got, err := s.List(ctx, key)
		if err != nil {
			t.Fatalf("List(%q): %v", key, err)
		}
		var g []string
		for _, v := range got {
			g = append(g, string(v))
		}
		return g
	}
	list := func(t *testing.T, s store.Lists, key string, want ...string) {
		t.Helper()
		if g := values(t, s, key); !slices.Equal(g, want) {
			t.Fatalf("List(%q) = %q; want %q", key, g, want)
		}
	}
	appendv := func(t *testing.T, s store.Lists, key, v string) {
		t.Helper()
		if err := s.Append(ctx, key, []byte(v)); err != nil {
			t.Fatalf("Append(%q): %v", key, err)
		}
	}
	t.Run("absent is empty", func(t *testing.T) {
		t.Parallel()
		list(t, newStore(t, hold), "none")
	})
	t.Run("oldest first, keys apart", func(t *testing.T) {
		t.Parallel()
		s := newStore(t, hold)
		appendv(t, s, "t1", "a")
		appendv(t, s, "t2", "x")
		appendv(t, s, "t1", "b")
		appendv(t, s, "t1", "a")
		list(t, s, "t1", "a", "b", "a")
		list(t, s, "t2", "x")
	})
	t.Run("expires after retention, renewed by append", func(t *testing.T) {
		t.Parallel()
		timely(t, func() bool {
			s := newStore(t, Lease)
			appendv(t, s, "gone", "a")
			appendv(t, s, "kept", "a")
			time.Sleep(Lease * 6 / 10)
			start := time.Now() // "kept" is kept until at least start+Lease
			appendv(t, s, "kept", "b")
			time.Sleep(Lease * 6 / 10)
			g := values(t, s, "kept")
			if !slices.Equal(g, []string{"a", "b"}) {
				if time.Since(start) >= Lease {
					return false // "kept" may have expired by itself
				}
				t.Fatalf("List(%q) = %q; want %q", "kept", g, []string{"a", "b"})
			}
			list(t, s, "gone")
			return true
		})
	})
	t.Run("concurrent appends all land", func(t *testing.T) {
		t.Parallel()
		s := newStore(t, hold)
		const n = 16
		var wg sync.WaitGroup
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if err := s.Append(ctx, "t", fmt.Appendf(nil, "%d", i)); err != nil {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		got, err := s.List(ctx, "t")
		if err != nil || len(got) != n {
			t.Fatalf("List after %d concurrent appends = %d values, %v", n, len(got), err)
		}
	})
}

// TestRunner checks a store.Runner (a store that runs the host's function
// itself, in a transaction with its done record). newStore returns a
// fresh, empty store; each subtest calls it once.
func TestRunner(t *testing.T, newStore func(t *testing.T) store.Runner) {
	t.Helper()
	ctx := context.Background()
	run := func(t *testing.T, s store.Runner, key string, fn func(context.Context) error, wantRan bool, wantErr error) {
		t.Helper()
		ran, err := s.RunOnce(ctx, key, fn)
		if ran != wantRan || !errors.Is(err, wantErr) || (wantErr == nil && err != nil) {
			t.Fatalf("RunOnce(%q) = %v, %v; want %v, %v", key, ran, err, wantRan, wantErr)
		}
	}
	ok := func(context.Context) error { return nil }
	t.Run("runs once, then done", func(t *testing.T) {
		t.Parallel()
		s := newStore(t)
		calls := 0
		fn := func(context.Context) error { calls++; return nil }
		run(t, s, "k", fn, true, nil)
		run(t, s, "k", fn, false, nil)
		run(t, s, "other", fn, true, nil)
		if calls != 2 {
			t.Fatalf("fn ran %d times; want 2", calls)
		}
	})
	t.Run("a failure is not recorded", func(t *testing.T) {
		t.Parallel()
		s := newStore(t)
		boom := errors.New("host down")
		run(t, s, "k", func(context.Context) error { return boom }, false, boom)
		run(t, s, "k", ok, true, nil)
	})
	t.Run("a panic is not recorded", func(t *testing.T) {
		t.Parallel()
		s := newStore(t)
		func() {
			defer func() { _ = recover() }()
			_, _ = s.RunOnce(ctx, "k", func(context.Context) error { panic("host bug") })
		}()
		run(t, s, "k", ok, true, nil)
	})
	t.Run("concurrent deliveries run once", func(t *testing.T) {
		t.Parallel()
		s := newStore(t)
		const racers = 8
		var mu sync.Mutex
		calls := 0
		var wg sync.WaitGroup
		for range racers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, err := s.RunOnce(ctx, "k", func(context.Context) error {
					mu.Lock()
					calls++
					mu.Unlock()
					time.Sleep(50 * time.Millisecond)
					return nil
				})
				if err != nil && !errors.Is(err, store.ErrInFlight) {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		if calls != 1 {
			t.Fatalf("%d concurrent deliveries ran fn %d times; want 1", racers, calls)
		}
		run(t, s, "k", ok, false, nil)
	})
}
