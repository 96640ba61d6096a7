package sqlstore

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"

	"github.com/bizapi-cn/go-sdk/store"
)

// Dedup is a store.Dedup on a SQL table (<prefix>dedup): a claim is a row
// holding the claimant's random token and the end of its lease, a done key a
// row with done = 1 kept for the retention. It gives what store.Dedup
// promises, across every process that shares the database: at-least-once
// handling with duplicates suppressed while the lease and the retention
// hold. A handler that runs longer than the lease lets a duplicate in, and
// a crash between the host's writes and Complete leaves the notification to
// be handled again after the lease: for exactly once, use TxDedup.
type Dedup struct {
	db      *sql.DB
	dialect Dialect
	cfg     config

	insertClaim, takeOver, state, complete, release string
}

var _ store.Dedup = (*Dedup)(nil)

// NewDedup returns a Dedup on db, whose tables Migrate created with the
// same options. Options: WithTablePrefix, WithLease, WithRetention,
// WithClock.
func NewDedup(db *sql.DB, dialect Dialect, opts ...Option) (*Dedup, error) {
	if db == nil {
		return nil, errors.New("sqlstore: NewDedup with a nil *sql.DB")
	}
	if err := dialect.valid(); err != nil {
		return nil, err
	}
	cfg, err := newConfig(opts)
	if err != nil {
		return nil, err
	}
	p, q := cfg.prefix, dialect.q
	d := &Dedup{db: db, dialect: dialect, cfg: cfg}
	d.insertClaim = q(p, dialect.insertIgnore("INTO {p}dedup (k, token, done, expires_ms) VALUES (?, ?, 0, ?)", "k"))
	// A lapsed claim, or a done key past its retention that the sweeper
	// has not removed yet, counts as absent.
	d.takeOver = q(p, "UPDATE {p}dedup SET token = ?, done = 0, expires_ms = ? WHERE k = ? AND expires_ms <= ?")
	d.state = q(p, "SELECT done, expires_ms FROM {p}dedup WHERE k = ?")
	switch dialect {
	case MySQL:
		d.complete = q(p, "INSERT INTO {p}dedup (k, token, done, expires_ms) VALUES (?, '', 1, ?) ON DUPLICATE KEY UPDATE token = '', done = 1, expires_ms = VALUES(expires_ms)")
	default:
		d.complete = q(p, "INSERT INTO {p}dedup (k, token, done, expires_ms) VALUES (?, '', 1, ?) ON CONFLICT (k) DO UPDATE SET token = '', done = 1, expires_ms = excluded.expires_ms")
	}
	d.release = q(p, "DELETE FROM {p}dedup WHERE k = ? AND token = ? AND done = 0")
	return d, nil
}

func newToken() (string, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("sqlstore: token: %w", err)
	}
	return hex.EncodeToString(b[:]), nil
}

func affected(res sql.Result, err error) (int64, error) {
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// Acquire implements store.Dedup: an INSERT that does nothing when the key
// exists, then (for an existing key) an UPDATE that takes over a lapsed
// claim, then a SELECT of the key's state.
func (d *Dedup) Acquire(ctx context.Context, key string) (store.Claim, error) {
	if err := checkKey("key", key); err != nil {
		return store.Claim{}, err
	}
	tok, err := newToken()
	if err != nil {
		return store.Claim{}, err
	}
	for range 3 {
		now := d.cfg.nowMS()
		n, err := affected(d.db.ExecContext(ctx, d.insertClaim, key, tok, now+d.cfg.lease.Milliseconds()))
		if err != nil {
			return store.Claim{}, fmt.Errorf("sqlstore: acquire: %w", err)
		}
		if n == 1 {
			return store.Claim{Key: key, State: store.StateAcquired, Token: tok}, nil
		}
		n, err = affected(d.db.ExecContext(ctx, d.takeOver, tok, now+d.cfg.lease.Milliseconds(), key, now))
		if err != nil {
			return store.Claim{}, fmt.Errorf("sqlstore: acquire: %w", err)
		}
		if n == 1 {
			return store.Claim{Key: key, State: store.StateAcquired, Token: tok}, nil
		}
		var done, expires int64
		err = d.db.QueryRowContext(ctx, d.state, key).Scan(&done, &expires)
		if errors.Is(err, sql.ErrNoRows) {
			continue // released or swept in between: try again
		}
		if err != nil {
			return store.Claim{}, fmt.Errorf("sqlstore: acquire: %w", err)
		}
		if expires <= now {
			continue // lapsed just now
		}
		if done == 1 {
			return store.Claim{Key: key, State: store.StateDone}, nil
		}
		return store.Claim{Key: key, State: store.StateInFlight}, nil
	}
	// The key changes hands faster than we look: someone is at it.
	return store.Claim{Key: key, State: store.StateInFlight}, nil
}

// Complete implements store.Dedup: an upsert that marks the key done for
// the retention, whoever holds it now.
func (d *Dedup) Complete(ctx context.Context, c store.Claim) error {
	if err := checkKey("key", c.Key); err != nil {
		return err
	}
	if _, err := d.db.ExecContext(ctx, d.complete, c.Key, d.cfg.nowMS()+d.cfg.retention.Milliseconds()); err != nil {
		return fmt.Errorf("sqlstore: complete: %w", err)
	}
	return nil
}

// Release implements store.Dedup: a DELETE of the claim row that still
// holds c.Token; it does nothing to a done key or to another holder's claim.
func (d *Dedup) Release(ctx context.Context, c store.Claim) error {
	if c.Token == "" {
		return nil
	}
	if err := checkKey("key", c.Key); err != nil {
		return err
	}
	if _, err := d.db.ExecContext(ctx, d.release, c.Key, c.Token); err != nil {
		return fmt.Errorf("sqlstore: release: %w", err)
	}
	return nil
}

// Sweep deletes at most batch rows whose lease or retention ran out, and
// returns how many it deleted; call it again while it returns batch. Each
// call is two short statements, so it never holds many locks (see also
// RunSweeper).
func (d *Dedup) Sweep(ctx context.Context, batch int) (int, error) {
	return sweep(ctx, d.db, d.dialect, d.cfg, "dedup", "k", "expires_ms <= ?", batch, d.cfg.nowMS())
}

// InFlight returns how many claims are held now (not done, lease not run
// out) and how many lapsed claims wait to be taken over or swept: the two
// figures to monitor. A growing number of lapsed claims means handlers die
// or outlive the lease.
func (d *Dedup) InFlight(ctx context.Context) (held, lapsed int64, err error) {
	now := d.cfg.nowMS()
	q := d.dialect.q(d.cfg.prefix, "SELECT COALESCE(SUM(CASE WHEN expires_ms > ? THEN 1 ELSE 0 END), 0), COALESCE(SUM(CASE WHEN expires_ms <= ? THEN 1 ELSE 0 END), 0) FROM {p}dedup WHERE done = 0")
	if err := d.db.QueryRowContext(ctx, q, now, now).Scan(&held, &lapsed); err != nil {
		return 0, 0, fmt.Errorf("sqlstore: in flight: %w", err)
	}
	return held, lapsed, nil
}
