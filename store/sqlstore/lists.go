package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/bizapi-cn/go-sdk/store"
)

// Lists is a store.Lists on a SQL table (<prefix>lists): one row per
// appended value, with the time it was appended. A key's list lives while
// its latest value is younger than the retention; values appended before a
// gap longer than the retention belonged to an expired list and are not
// listed. Sweep removes the rows of expired lists.
type Lists struct {
	db      *sql.DB
	dialect Dialect
	cfg     config

	insert, list string
}

var _ store.Lists = (*Lists)(nil)

// NewLists returns a Lists on db, whose tables Migrate created with the
// same WithTablePrefix; WithRetention sets how long a list is kept after
// its latest append (DefaultRetention).
func NewLists(db *sql.DB, dialect Dialect, opts ...Option) (*Lists, error) {
	if db == nil {
		return nil, errors.New("sqlstore: NewLists with a nil *sql.DB")
	}
	if err := dialect.valid(); err != nil {
		return nil, err
	}
	cfg, err := newConfig(opts)
	if err != nil {
		return nil, err
	}
	p, q := cfg.prefix, dialect.q
	return &Lists{
		db: db, dialect: dialect, cfg: cfg,
		insert: q(p, "INSERT INTO {p}lists (k, value, created_ms) VALUES (?, ?, ?)"),
		list:   q(p, "SELECT value, created_ms FROM {p}lists WHERE k = ? ORDER BY id"),
	}, nil
}

// Append implements store.Lists: one INSERT.
func (l *Lists) Append(ctx context.Context, key string, value []byte) error {
	if err := checkKey("key", key); err != nil {
		return err
	}
	if value == nil {
		value = []byte{}
	}
	if _, err := l.db.ExecContext(ctx, l.insert, key, value, l.cfg.nowMS()); err != nil {
		return fmt.Errorf("sqlstore: append: %w", err)
	}
	return nil
}

// List implements store.Lists.
func (l *Lists) List(ctx context.Context, key string) ([][]byte, error) {
	if err := checkKey("key", key); err != nil {
		return nil, err
	}
	rows, err := l.db.QueryContext(ctx, l.list, key)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: list: %w", err)
	}
	defer rows.Close()
	var vals [][]byte
	var times []int64
	for rows.Next() {
		var v []byte
		var t int64
		if err := rows.Scan(&v, &t); err != nil {
			return nil, fmt.Errorf("sqlstore: list: %w", err)
		}
		if v == nil {
			v = []byte{}
		}
		vals = append(vals, v)
		times = append(times, t)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlstore: list: %w", err)
	}
	return live(vals, times, l.cfg.nowMS(), l.cfg.retention.Milliseconds()), nil
}

// live keeps the values of the list's current life: the latest value is
// younger than retention, and no gap of retention or more separates a kept
// value from the next one.
func live(vals [][]byte, times []int64, now, retention int64) [][]byte {
	n := len(vals)
	if n == 0 || times[n-1] <= now-retention {
		return nil
	}
	first := n - 1
	for first > 0 && times[first]-times[first-1] < retention {
		first--
	}
	return vals[first:]
}

// Sweep deletes the rows of at most batch expired lists (whose latest
// value is older than the retention) and returns how many lists it
// removed; call it again while it returns batch (see also RunSweeper).
func (l *Lists) Sweep(ctx context.Context, batch int) (int, error) {
	if batch <= 0 {
		return 0, fmt.Errorf("sqlstore: Sweep(%d): want a positive batch", batch)
	}
	cutoff := l.cfg.nowMS() - l.cfg.retention.Milliseconds()
	q := l.dialect.q(l.cfg.prefix, "SELECT DISTINCT k FROM {p}lists o WHERE created_ms <= ? AND NOT EXISTS (SELECT 1 FROM {p}lists n WHERE n.k = o.k AND n.created_ms > ?) LIMIT ?")
	rows, err := l.db.QueryContext(ctx, q, cutoff, cutoff, batch)
	if err != nil {
		return 0, fmt.Errorf("sqlstore: sweep lists: %w", err)
	}
	var keys []string
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			rows.Close()
			return 0, fmt.Errorf("sqlstore: sweep lists: %w", err)
		}
		keys = append(keys, k)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, fmt.Errorf("sqlstore: sweep lists: %w", err)
	}
	if len(keys) == 0 {
		return 0, nil
	}
	// Rows older than the cutoff of a key whose latest row was older too
	// belong to a dead list, even if an append started a new one since.
	args := make([]any, 0, len(keys)+1)
	for _, k := range keys {
		args = append(args, k)
	}
	args = append(args, cutoff)
	del := l.dialect.q(l.cfg.prefix, "DELETE FROM {p}lists WHERE k IN ("+placeholders(len(keys))+") AND created_ms <= ?")
	if _, err := l.db.ExecContext(ctx, del, args...); err != nil {
		return 0, fmt.Errorf("sqlstore: sweep lists: %w", err)
	}
	return len(keys), nil
}
