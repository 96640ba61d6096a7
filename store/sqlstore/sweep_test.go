package sqlstore_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bizapi-cn/go-sdk/store"
	"github.com/bizapi-cn/go-sdk/store/sqlstore"
)

type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *fakeClock) Add(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

func TestSweepDedupInBoundedBatches(t *testing.T) {
	eachEngine(t, func(t *testing.T, e engine) {
		db := e.open(t)
		clk := &fakeClock{now: time.Now()}
		d, err := sqlstore.NewDedup(db, e.dialect, sqlstore.WithTablePrefix(fresh(t, e, db)),
			sqlstore.WithLease(time.Second), sqlstore.WithRetention(time.Minute), sqlstore.WithClock(clk.Now))
		if err != nil {
			t.Fatal(err)
		}
		ctx := context.Background()
		for i := range 7 {
			c, err := d.Acquire(ctx, fmt.Sprint("done-", i))
			if err != nil {
				t.Fatal(err)
			}
			if err := d.Complete(ctx, c); err != nil {
				t.Fatal(err)
			}
		}
		for i := range 5 {
			if _, err := d.Acquire(ctx, fmt.Sprint("claim-", i)); err != nil {
				t.Fatal(err)
			}
		}
		if held, lapsed, err := d.InFlight(ctx); err != nil || held != 5 || lapsed != 0 {
			t.Fatalf("InFlight = %d, %d, %v; want 5 held, 0 lapsed", held, lapsed, err)
		}
		clk.Add(2 * time.Second) // claims lapse, done keys stay
		if held, lapsed, err := d.InFlight(ctx); err != nil || held != 0 || lapsed != 5 {
			t.Fatalf("InFlight = %d, %d, %v; want 0 held, 5 lapsed", held, lapsed, err)
		}
		sweepAll(t, d, 2, 5)
		if c, _ := d.Acquire(ctx, "done-3"); c.State != store.StateDone {
			t.Fatalf("a done key within its retention was swept: %v", c.State)
		}
		clk.Add(time.Minute) // done keys expire too
		sweepAll(t, d, 3, 7)
	})
}

// sweepAll sweeps in batches until one comes back short, checking that no
// batch is larger than asked, and that want rows went in all.
func sweepAll(t *testing.T, s sqlstore.Sweeper, batch, want int) {
	t.Helper()
	total := 0
	for {
		n, err := s.Sweep(context.Background(), batch)
		if err != nil {
			t.Fatal(err)
		}
		if n > batch {
			t.Fatalf("Sweep(%d) removed %d", batch, n)
		}
		total += n
		if n < batch {
			break
		}
	}
	if total != want {
		t.Fatalf("swept %d; want %d", total, want)
	}
}

func TestSweepLists(t *testing.T) {
	eachEngine(t, func(t *testing.T, e engine) {
		db := e.open(t)
		clk := &fakeClock{now: time.Now()}
		l, err := sqlstore.NewLists(db, e.dialect, sqlstore.WithTablePrefix(fresh(t, e, db)),
			sqlstore.WithRetention(time.Minute), sqlstore.WithClock(clk.Now))
		if err != nil {
			t.Fatal(err)
		}
		ctx := context.Background()
		for i := range 4 {
			if err := l.Append(ctx, fmt.Sprint("gone-", i), []byte("a")); err != nil {
				t.Fatal(err)
			}
		}
		_ = l.Append(ctx, "kept", []byte("a"))
		clk.Add(40 * time.Second)
		_ = l.Append(ctx, "kept", []byte("b"))
		clk.Add(40 * time.Second)
		sweepAll(t, l, 3, 4)
		got, err := l.List(ctx, "kept")
		if err != nil || len(got) != 2 {
			t.Fatalf("List(kept) after the sweep = %q, %v; want both values", got, err)
		}
		// A list that expired and is appended to again starts afresh.
		clk.Add(2 * time.Minute)
		_ = l.Append(ctx, "kept", []byte("c"))
		got, _ = l.List(ctx, "kept")
		if len(got) != 1 || string(got[0]) != "c" {
			t.Fatalf("List(kept) after it expired and got a new value = %q; want [c]", got)
		}
	})
}

func TestRunSweeper(t *testing.T) {
	e := engines[0] // SQLite
	db := e.open(t)
	d, err := sqlstore.NewDedup(db, e.dialect, sqlstore.WithTablePrefix(fresh(t, e, db)), sqlstore.WithLease(time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	for i := range 5 {
		_, _ = d.Acquire(ctx, fmt.Sprint(i))
	}
	time.Sleep(5 * time.Millisecond)
	done := make(chan error)
	go func() { done <- sqlstore.RunSweeper(ctx, 10*time.Millisecond, 2, func(err error) { t.Error(err) }, d) }()
	deadline := time.Now().Add(5 * time.Second)
	for {
		_, lapsed, err := d.InFlight(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if lapsed == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d lapsed claims left after 5s of sweeping", lapsed)
		}
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("RunSweeper returned %v; want context.Canceled", err)
	}
}

func TestOptionsRefuseNonsense(t *testing.T) {
	e := engines[0]
	db := e.open(t)
	for name, opt := range map[string]sqlstore.Option{
		"prefix with a quote": sqlstore.WithTablePrefix("x'; DROP TABLE y; --"),
		"empty prefix":        sqlstore.WithTablePrefix(""),
		"zero lease":          sqlstore.WithLease(0),
		"sub-ms lease":        sqlstore.WithLease(time.Microsecond),
		"negative retention":  sqlstore.WithRetention(-time.Second),
		"nil clock":           sqlstore.WithClock(nil),
		"nil option":          nil,
	} {
		if _, err := sqlstore.NewDedup(db, e.dialect, opt); err == nil {
			t.Errorf("NewDedup(%s) accepted it", name)
		}
	}
	if _, err := sqlstore.NewKeys(db, sqlstore.Dialect(9)); err == nil {
		t.Error("NewKeys accepted an unknown dialect")
	}
	if _, err := sqlstore.NewLists(nil, sqlstore.SQLite); err == nil {
		t.Error("NewLists accepted a nil db")
	}
	d, _ := sqlstore.NewDedup(db, e.dialect, sqlstore.WithTablePrefix(fresh(t, e, db)))
	for _, k := range []string{"", strings.Repeat("x", sqlstore.MaxKeyBytes+1), "a\x00b", "\xff"} {
		if _, err := d.Acquire(context.Background(), k); err == nil {
			t.Errorf("Acquire(%q) accepted the key", k)
		}
	}
}

func TestSchemaFilesMatchMigrate(t *testing.T) {
	for _, e := range engines {
		stmts, err := sqlstore.Schema(e.dialect, sqlstore.WithTablePrefix("acme_"))
		if err != nil {
			t.Fatal(err)
		}
		if len(stmts) < 3 {
			t.Fatalf("Schema(%v) = %d statements", e.dialect, len(stmts))
		}
		for _, s := range stmts {
			if strings.Contains(s, "bizapi_") || !strings.Contains(s, "acme_") {
				t.Errorf("Schema(%v, acme_) statement keeps the default prefix or lacks the new one:\n%s", e.dialect, s)
			}
		}
	}
}

// TestMigrateConcurrently starts several replicas' Migrate at the same
// moment on fresh tables, then again on existing ones.
func TestMigrateConcurrently(t *testing.T) {
	eachEngine(t, func(t *testing.T, e engine) {
		db := e.open(t)
		prefix := fresh(t, e, db) + "m_"
		t.Cleanup(func() {
			for _, tab := range []string{"dedup", "keys", "lists"} {
				_, _ = db.Exec("DROP TABLE IF EXISTS " + prefix + tab)
			}
		})
		for round := range 2 {
			var wg sync.WaitGroup
			errs := make(chan error, 6)
			start := make(chan struct{})
			for range 6 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					<-start
					errs <- sqlstore.Migrate(context.Background(), db, e.dialect, sqlstore.WithTablePrefix(prefix))
				}()
			}
			close(start)
			wg.Wait()
			close(errs)
			for err := range errs {
				if err != nil {
					t.Errorf("round %d: concurrent Migrate: %v", round, err)
				}
			}
		}
	})
}
