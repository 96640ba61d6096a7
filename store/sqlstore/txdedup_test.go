package sqlstore_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bizapi-cn/go-sdk/store"
	"github.com/bizapi-cn/go-sdk/store/sqlstore"
)

// txFixture is a TxDedup and a host table, orders, that the host's
// function writes to through the transaction.
type txFixture struct {
	e      engine
	db     *sql.DB
	d      *sqlstore.TxDedup
	orders string
}

func newTxFixture(t *testing.T, e engine, opts ...sqlstore.Option) *txFixture {
	t.Helper()
	db := e.open(t)
	prefix := fresh(t, e, db)
	d, err := sqlstore.NewTxDedup(db, e.dialect, append([]sqlstore.Option{sqlstore.WithTablePrefix(prefix)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	orders := prefix + "orders"
	ctx := context.Background()
	if _, err := db.ExecContext(ctx, "CREATE TABLE "+orders+" (id VARCHAR(100) PRIMARY KEY, n INTEGER NOT NULL)"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _, _ = db.ExecContext(ctx, "DROP TABLE IF EXISTS "+orders) })
	return &txFixture{e: e, db: db, d: d, orders: orders}
}

// write is the host's function: it records the order in the transaction
// RunOnce runs it in.
func (f *txFixture) write(id string) func(ctx context.Context) error {
	return func(ctx context.Context) error {
		tx, ok := sqlstore.Tx(ctx)
		if !ok {
			return errors.New("no transaction in the host function's context")
		}
		q := "INSERT INTO " + f.orders + " (id, n) VALUES (?, 1)"
		if f.e.dialect == sqlstore.Postgres {
			q = "INSERT INTO " + f.orders + " (id, n) VALUES ($1, 1)"
		}
		_, err := tx.ExecContext(ctx, q, id)
		return err
	}
}

func (f *txFixture) count(t *testing.T) int {
	t.Helper()
	var n int
	if err := f.db.QueryRowContext(context.Background(), "SELECT COUNT(*) FROM "+f.orders).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func (f *txFixture) state(t *testing.T, key string) store.State {
	t.Helper()
	c, err := f.d.Acquire(context.Background(), key)
	if err != nil {
		t.Fatal(err)
	}
	if c.State == store.StateAcquired {
		if err := f.d.Release(context.Background(), c); err != nil {
			t.Fatal(err)
		}
	}
	return c.State
}

func eachEngine(t *testing.T, f func(t *testing.T, e engine)) {
	for _, e := range engines {
		t.Run(e.name, func(t *testing.T) {
			t.Parallel()
			e.open(t)
			f(t, e)
		})
	}
}

func TestTxDedupFailureRollsBackTheHostsWrites(t *testing.T) {
	eachEngine(t, func(t *testing.T, e engine) {
		f := newTxFixture(t, e)
		ctx := context.Background()
		boom := errors.New("host failed")
		ran, err := f.d.RunOnce(ctx, "n1", func(ctx context.Context) error {
			if err := f.write("o1")(ctx); err != nil {
				return err
			}
			return boom
		})
		if ran || !errors.Is(err, boom) {
			t.Fatalf("RunOnce(failing fn) = %v, %v; want false, the fn's error", ran, err)
		}
		if n := f.count(t); n != 0 {
			t.Fatalf("%d orders after a failed host function; want 0 (rolled back)", n)
		}
		if s := f.state(t, "n1"); s != store.StateAcquired {
			t.Fatalf("key after a failed host function is %v; want free (acquired by the next delivery)", s)
		}
		// The redelivery runs it again and succeeds.
		ran, err = f.d.RunOnce(ctx, "n1", f.write("o1"))
		if !ran || err != nil {
			t.Fatalf("RunOnce(redelivery) = %v, %v; want true, nil", ran, err)
		}
		if n := f.count(t); n != 1 {
			t.Fatalf("%d orders after the redelivery; want 1", n)
		}
	})
}

func TestTxDedupPanicRollsBack(t *testing.T) {
	eachEngine(t, func(t *testing.T, e engine) {
		f := newTxFixture(t, e)
		func() {
			defer func() {
				if recover() == nil {
					t.Fatal("the host function's panic did not go on up")
				}
			}()
			_, _ = f.d.RunOnce(context.Background(), "n1", func(ctx context.Context) error {
				_ = f.write("o1")(ctx)
				panic("host bug")
			})
		}()
		if n := f.count(t); n != 0 {
			t.Fatalf("%d orders after a panic; want 0", n)
		}
		if s := f.state(t, "n1"); s != store.StateAcquired {
			t.Fatalf("key after a panic is %v; want free", s)
		}
	})
}

func TestTxDedupSuccessCommitsBoth(t *testing.T) {
	eachEngine(t, func(t *testing.T, e engine) {
		f := newTxFixture(t, e)
		ctx := context.Background()
		ran, err := f.d.RunOnce(ctx, "n1", f.write("o1"))
		if !ran || err != nil {
			t.Fatalf("RunOnce = %v, %v; want true, nil", ran, err)
		}
		if n := f.count(t); n != 1 {
			t.Fatalf("%d orders; want 1", n)
		}
		if s := f.state(t, "n1"); s != store.StateDone {
			t.Fatalf("key after success is %v; want done", s)
		}
		called := false
		ran, err = f.d.RunOnce(ctx, "n1", func(context.Context) error { called = true; return nil })
		if ran || err != nil || called {
			t.Fatalf("RunOnce(done key) = %v, %v, called %v; want false, nil, not called", ran, err, called)
		}
	})
}

func TestTxDedupLiveClaimIsInFlight(t *testing.T) {
	eachEngine(t, func(t *testing.T, e engine) {
		f := newTxFixture(t, e)
		ctx := context.Background()
		c, err := f.d.Acquire(ctx, "n1")
		if err != nil || c.State != store.StateAcquired {
			t.Fatalf("Acquire = %v, %v", c, err)
		}
		_, err = f.d.RunOnce(ctx, "n1", f.write("o1"))
		if !errors.Is(err, store.ErrInFlight) {
			t.Fatalf("RunOnce(claimed key) error = %v; want store.ErrInFlight", err)
		}
		if n := f.count(t); n != 0 {
			t.Fatalf("%d orders; want 0", n)
		}
	})
}

func TestTxDedupExpiredDoneKeyRunsAgain(t *testing.T) {
	eachEngine(t, func(t *testing.T, e engine) {
		now := time.Now()
		var mu sync.Mutex
		clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
		f := newTxFixture(t, e, sqlstore.WithRetention(time.Hour), sqlstore.WithClock(clock))
		ctx := context.Background()
		if ran, err := f.d.RunOnce(ctx, "n1", f.write("o1")); !ran || err != nil {
			t.Fatalf("RunOnce = %v, %v", ran, err)
		}
		mu.Lock()
		now = now.Add(time.Hour + time.Millisecond)
		mu.Unlock()
		if ran, err := f.d.RunOnce(ctx, "n1", f.write("o2")); !ran || err != nil {
			t.Fatalf("RunOnce after the retention = %v, %v; want it run again", ran, err)
		}
	})
}

// TestTxDedupConcurrentDuplicates delivers each key many times at once
// (as several replicas would): each key's writes land exactly once, and
// every delivery is either the one that ran, a done answer, or in flight
// (which the provider redelivers).
func TestTxDedupConcurrentDuplicates(t *testing.T) {
	eachEngine(t, func(t *testing.T, e engine) {
		f := newTxFixture(t, e)
		ctx := context.Background()
		const keys, racers = 10, 6
		var mu sync.Mutex
		ran := map[string]int{}
		var wg sync.WaitGroup
		for k := range keys {
			for range racers {
				wg.Add(1)
				go func() {
					defer wg.Done()
					key := fmt.Sprintf("n%d", k)
					for attempt := 0; ; attempt++ {
						ok, err := f.d.RunOnce(ctx, key, func(ctx context.Context) error {
							time.Sleep(20 * time.Millisecond) // a handler that takes a while
							return f.write(key)(ctx)
						})
						if errors.Is(err, store.ErrInFlight) && attempt < 50 {
							time.Sleep(10 * time.Millisecond) // the provider's redelivery
							continue
						}
						if err != nil {
							t.Errorf("RunOnce(%q): %v", key, err)
							return
						}
						if ok {
							mu.Lock()
							ran[key]++
							mu.Unlock()
						}
						return
					}
				}()
			}
		}
		wg.Wait()
		for k := range keys {
			key := fmt.Sprintf("n%d", k)
			if ran[key] != 1 {
				t.Errorf("%q ran %d times; want 1", key, ran[key])
			}
		}
		if n := f.count(t); n != keys {
			t.Errorf("%d orders; want %d", n, keys)
		}
	})
}

func TestTxOutsideRunOnce(t *testing.T) {
	if tx, ok := sqlstore.Tx(context.Background()); ok || tx != nil {
		t.Fatalf("Tx(background) = %v, %v; want nil, false", tx, ok)
	}
}

// impatient opens a second handle on e's database whose lock waits give
// up after about 200 ms (PostgreSQL lock_timeout, InnoDB
// innodb_lock_wait_timeout of a second, SQLite busy_timeout).
func impatient(t *testing.T, e engine, db *sql.DB) *sql.DB {
	t.Helper()
	var driver, dsn string
	switch e.dialect {
	case sqlstore.SQLite:
		var file string
		if err := db.QueryRow("SELECT file FROM pragma_database_list WHERE name = 'main'").Scan(&file); err != nil {
			t.Fatal(err)
		}
		driver, dsn = "sqlite", "file:"+file+"?_pragma=busy_timeout(200)&_pragma=journal_mode(WAL)&_txlock=immediate"
	case sqlstore.Postgres:
		driver, dsn = "pgx", env("BIZAPI_TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/test?sslmode=disable")
		if strings.Contains(dsn, "?") {
			dsn += "&lock_timeout=200"
		} else {
			dsn += "?lock_timeout=200"
		}
	case sqlstore.MySQL:
		driver, dsn = "mysql", mysqlDSN(env("BIZAPI_TEST_MYSQL_URL", "root@tcp(127.0.0.1:3306)/test"))
		if strings.Contains(dsn, "?") {
			dsn += "&innodb_lock_wait_timeout=1"
		} else {
			dsn += "?innodb_lock_wait_timeout=1"
		}
	}
	i, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { i.Close() })
	return i
}

// TestTxDedupLockTimeoutIsInFlight holds a key in a running host function
// and delivers it again through a handle whose lock wait gives up: the
// duplicate is answered store.ErrInFlight (not acknowledged), and once the
// first commits, the duplicate finds it done.
func TestTxDedupLockTimeoutIsInFlight(t *testing.T) {
	eachEngine(t, func(t *testing.T, e engine) {
		f := newTxFixture(t, e)
		prefix := strings.TrimSuffix(f.orders, "orders")
		dup, err := sqlstore.NewTxDedup(impatient(t, e, f.db), e.dialect, sqlstore.WithTablePrefix(prefix))
		if err != nil {
			t.Fatal(err)
		}
		ctx := context.Background()
		inside, release := make(chan struct{}), make(chan struct{})
		var once sync.Once
		done := func() { once.Do(func() { close(release) }) }
		defer done() // a failed check must not leave the first holding its lock
		first := make(chan error, 1)
		go func() {
			_, err := f.d.RunOnce(ctx, "n1", func(ctx context.Context) error {
				if err := f.write("o1")(ctx); err != nil {
					return err
				}
				close(inside)
				<-release
				return nil
			})
			first <- err
		}()
		select {
		case <-inside:
		case err := <-first:
			t.Fatalf("the first delivery ended early: %v", err)
		}
		called := false
		_, err = dup.RunOnce(ctx, "n1", func(context.Context) error { called = true; return nil })
		if !errors.Is(err, store.ErrInFlight) || called {
			t.Fatalf("RunOnce(duplicate while the first runs) = %v, called %v; want store.ErrInFlight, not called", err, called)
		}
		done()
		if err := <-first; err != nil {
			t.Fatalf("the first delivery: %v", err)
		}
		ran, err := dup.RunOnce(ctx, "n1", func(context.Context) error { called = true; return nil })
		if ran || err != nil || called {
			t.Fatalf("RunOnce(redelivery after the commit) = %v, %v, called %v; want false, nil, not called", ran, err, called)
		}
		if n := f.count(t); n != 1 {
			t.Fatalf("%d orders; want 1", n)
		}
	})
}

// TestTxDedupBusinessKeyCopy: what TxDedup's doc says of a write that may
// meet its own copy. A redelivery serialised anew has a new idempotency
// key and runs again; its write of the same business key under a unique
// constraint, written so that it cannot fail (ON CONFLICT DO NOTHING,
// INSERT IGNORE), commits and the delivery is acknowledged with one order.
// The same write made as a plain INSERT whose error the function swallows
// leaves PostgreSQL's transaction aborted: the commit fails, so the
// delivery is never acknowledged (MySQL and SQLite go on after the error).
func TestTxDedupBusinessKeyCopy(t *testing.T) {
	eachEngine(t, func(t *testing.T, e engine) {
		f := newTxFixture(t, e)
		ctx := context.Background()
		if ran, err := f.d.RunOnce(ctx, "n1", f.write("o1")); !ran || err != nil {
			t.Fatalf("first delivery: %v, %v", ran, err)
		}
		ph := "?"
		if e.dialect == sqlstore.Postgres {
			ph = "$1"
		}
		upsert := "INSERT INTO " + f.orders + " (id, n) VALUES (" + ph + ", 1) ON CONFLICT DO NOTHING"
		if e.dialect == sqlstore.MySQL {
			upsert = "INSERT IGNORE INTO " + f.orders + " (id, n) VALUES (?, 1)"
		}
		ran, err := f.d.RunOnce(ctx, "n2", func(ctx context.Context) error {
			tx, _ := sqlstore.Tx(ctx)
			_, err := tx.ExecContext(ctx, upsert, "o1")
			return err
		})
		if !ran || err != nil || f.count(t) != 1 {
			t.Errorf("copy written with %q: %v, %v, %d orders; want acknowledged with 1", upsert, ran, err, f.count(t))
		}
		ran, err = f.d.RunOnce(ctx, "n3", func(ctx context.Context) error {
			_ = f.write("o1")(ctx) // a unique violation, swallowed
			return nil
		})
		if aborts := e.dialect == sqlstore.Postgres; ran == aborts || (err != nil) != aborts {
			t.Errorf("copy as a plain INSERT, its error swallowed: %v, %v; want the commit to fail only on PostgreSQL", ran, err)
		}
		if n := f.count(t); n != 1 {
			t.Errorf("%d orders; want 1", n)
		}
	})
}
