package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/bizapi-cn/go-sdk/store"
)

// TxDedup is a Dedup that also implements store.Runner: given to a
// module's handler (WithDedupStore), it runs the host's function inside a
// database transaction whose first statement records the key as done.
// The host's function takes that transaction from its context (Tx) and
// makes its own writes in it, so the done record and the host's writes
// commit together or not at all:
//
//   - the function returned nil: both commit, and the notification is
//     acknowledged after the commit;
//   - the function failed or panicked, the commit failed, or the process
//     died at any point: both roll back (the server rolls back the
//     transaction of a dropped connection), and the provider's redelivery
//     handles the notification again;
//   - a duplicate delivered at the same moment (to this replica or
//     another) blocks on the done row's unique key until the first
//     transaction ends, then finds the key done (acknowledged, not run
//     again) or free (run, because the first attempt rolled back). When the
//     database gives up the wait (a lock timeout, a deadlock, a
//     serialization failure, a busy SQLite file) RunOnce answers
//     store.ErrInFlight and the delivery is not acknowledged.
//
// So each notification's writes are applied exactly once, as long as the
// host's function writes only through the transaction and does nothing
// outside the database that it cannot repeat (a call to another service is
// still at least once). No lease is involved: a slow function holds its row
// lock, not a lease that can run out. The done key is kept for the
// retention.
//
// A write that may meet its own earlier copy (a business key a redelivery
// serialised anew carries again, under a unique constraint) must not fail
// inside the transaction: PostgreSQL aborts the whole transaction at the
// first error, so a unique violation the function catches and ignores
// still fails the commit, and the notification is never acknowledged.
// Write it so that it cannot fail: INSERT … ON CONFLICT DO NOTHING
// (PostgreSQL, SQLite), INSERT IGNORE or ON DUPLICATE KEY UPDATE (MySQL),
// or inside a savepoint.
//
// The cost: one database connection is held for as long as the function
// runs, and duplicates wait for it. On SQLite the transaction takes the
// database's write lock, so functions run one at a time; open the file
// with a busy timeout (modernc.org/sqlite: "_pragma=busy_timeout(10000)").
//
// The Acquire, Complete and Release methods (from Dedup) stay available
// and share the table with RunOnce, so a TxDedup also serves code that uses
// the claim protocol; an Acquire of a key that RunOnce holds waits, like a
// duplicate, until that transaction ends.
type TxDedup struct {
	*Dedup
	txInsert, txState, txTakeOver string
}

var (
	_ store.Dedup  = (*TxDedup)(nil)
	_ store.Runner = (*TxDedup)(nil)
)

// NewTxDedup returns a TxDedup on db, whose tables Migrate created with the
// same options (WithTablePrefix, WithLease for the claim protocol,
// WithRetention, WithClock).
func NewTxDedup(db *sql.DB, dialect Dialect, opts ...Option) (*TxDedup, error) {
	d, err := NewDedup(db, dialect, opts...)
	if err != nil {
		return nil, err
	}
	p, q := d.cfg.prefix, dialect.q
	t := &TxDedup{Dedup: d}
	t.txInsert = q(p, dialect.insertIgnore("INTO {p}dedup (k, token, done, expires_ms) VALUES (?, '', 1, ?)", "k"))
	// A plain read: it sees the latest committed row (PostgreSQL's READ
	// COMMITTED; InnoDB takes its snapshot at the first plain read, after
	// the INSERT waited). A locking read would deadlock the duplicates that
	// all hold the shared lock the failed INSERT took on MySQL.
	t.txState = q(p, "SELECT done, expires_ms FROM {p}dedup WHERE k = ?")
	t.txTakeOver = q(p, "UPDATE {p}dedup SET token = '', done = 1, expires_ms = ? WHERE k = ? AND expires_ms <= ?")
	return t, nil
}

type txKey struct{}

// Tx returns the transaction that a TxDedup runs the host's function in,
// from the context that function was called with. The function makes its
// writes through it and must neither commit nor roll it back.
func Tx(ctx context.Context) (*sql.Tx, bool) {
	tx, ok := ctx.Value(txKey{}).(*sql.Tx)
	return tx, ok && tx != nil
}

// RunOnce implements store.Runner. It returns (false, nil) without running
// fn for a done key; (false, err) when fn failed (fn's error as it is) or
// the transaction could not commit, with nothing written; an error
// matching store.ErrInFlight when another delivery holds the key; (true,
// nil) when fn's writes and the done record committed.
func (t *TxDedup) RunOnce(ctx context.Context, key string, fn func(ctx context.Context) error) (ran bool, err error) {
	if fn == nil {
		return false, errors.New("sqlstore: RunOnce with a nil function")
	}
	if err := checkKey("key", key); err != nil {
		return false, err
	}
	tx, err := t.db.BeginTx(ctx, nil)
	if err != nil {
		if contended(err) { // SQLite's BEGIN IMMEDIATE waits for the write lock
			return false, inFlight(err)
		}
		return false, fmt.Errorf("sqlstore: begin: %w", err)
	}
	committed := false
	defer func() {
		if !committed {
			_ = tx.Rollback() // also after a panic in fn
		}
	}()
	claimed, err := t.claimInTx(ctx, tx, key)
	if err != nil {
		if contended(err) {
			return false, inFlight(err)
		}
		return false, err
	}
	if !claimed {
		return false, nil // done
	}
	if err := fn(context.WithValue(ctx, txKey{}, tx)); err != nil {
		return false, err
	}
	if err := tx.Commit(); err != nil {
		if contended(err) {
			return false, inFlight(err)
		}
		return false, fmt.Errorf("sqlstore: commit: %w", err)
	}
	committed = true
	return true, nil
}

// claimInTx writes the done row in tx, or finds the key done. It returns
// an error matching store.ErrInFlight for a live claim of the Acquire
// protocol.
func (t *TxDedup) claimInTx(ctx context.Context, tx *sql.Tx, key string) (bool, error) {
	for range 3 {
		now := t.cfg.nowMS()
		expires := now + t.cfg.retention.Milliseconds()
		// Blocks while another transaction holds an uncommitted row for key.
		n, err := affected(tx.ExecContext(ctx, t.txInsert, key, expires))
		if err != nil {
			return false, fmt.Errorf("sqlstore: record done: %w", err)
		}
		if n == 1 {
			return true, nil
		}
		var done, exp int64
		err = tx.QueryRowContext(ctx, t.txState, key).Scan(&done, &exp)
		if errors.Is(err, sql.ErrNoRows) {
			continue // released or swept in between
		}
		if err != nil {
			return false, fmt.Errorf("sqlstore: read state: %w", err)
		}
		if exp > now {
			if done == 1 {
				return false, nil
			}
			return false, store.ErrInFlight // a live claim of Acquire
		}
		n, err = affected(tx.ExecContext(ctx, t.txTakeOver, expires, key, now))
		if err != nil {
			return false, fmt.Errorf("sqlstore: take over: %w", err)
		}
		if n == 1 {
			return true, nil
		}
	}
	return false, store.ErrInFlight
}
