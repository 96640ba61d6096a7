package sqlstore

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/bizapi-cn/go-sdk/store"
)

// Keys is a store.Keys on a SQL table (<prefix>keys): one row per name
// with its value and version, swapped by a conditional UPDATE (an INSERT
// that does nothing when the name exists, for version 0). Values are
// secrets (evidence's field key): grant the table to the application's
// database user only.
type Keys struct {
	db                   *sql.DB
	cfg                  config
	load, insert, update string
	version              string
}

var _ store.Keys = (*Keys)(nil)

// NewKeys returns a Keys on db, whose tables Migrate created with the same
// WithTablePrefix.
func NewKeys(db *sql.DB, dialect Dialect, opts ...Option) (*Keys, error) {
	if db == nil {
		return nil, errors.New("sqlstore: NewKeys with a nil *sql.DB")
	}
	if err := dialect.valid(); err != nil {
		return nil, err
	}
	cfg, err := newConfig(opts)
	if err != nil {
		return nil, err
	}
	p, q := cfg.prefix, dialect.q
	return &Keys{
		db:      db,
		cfg:     cfg,
		load:    q(p, "SELECT value, version FROM {p}keys WHERE name = ?"),
		insert:  q(p, dialect.insertIgnore("INTO {p}keys (name, value, version, updated_ms) VALUES (?, ?, 1, ?)", "name")),
		update:  q(p, "UPDATE {p}keys SET value = ?, version = version + 1, updated_ms = ? WHERE name = ? AND version = ?"),
		version: q(p, "SELECT version FROM {p}keys WHERE name = ?"),
	}, nil
}

// Load implements store.Keys.
func (k *Keys) Load(ctx context.Context, name string) (store.Versioned, error) {
	if err := checkKey("name", name); err != nil {
		return store.Versioned{}, err
	}
	var v store.Versioned
	err := k.db.QueryRowContext(ctx, k.load, name).Scan(&v.Value, &v.Version)
	if errors.Is(err, sql.ErrNoRows) {
		return store.Versioned{}, store.ErrNotFound
	}
	if err != nil {
		return store.Versioned{}, fmt.Errorf("sqlstore: load: %w", err)
	}
	if v.Value == nil {
		v.Value = []byte{}
	}
	return v, nil
}

// CompareAndSwap implements store.Keys.
func (k *Keys) CompareAndSwap(ctx context.Context, name string, old int64, value []byte) (int64, bool, error) {
	if err := checkKey("name", name); err != nil {
		return 0, false, err
	}
	if old < 0 {
		return 0, false, fmt.Errorf("sqlstore: CompareAndSwap(%q, %d): negative version", name, old)
	}
	if value == nil {
		value = []byte{}
	}
	value = bytes.Clone(value)
	now := k.cfg.nowMS()
	var n int64
	var err error
	if old == 0 {
		n, err = affected(k.db.ExecContext(ctx, k.insert, name, value, now))
	} else {
		n, err = affected(k.db.ExecContext(ctx, k.update, value, now, name, old))
	}
	if err != nil {
		return 0, false, fmt.Errorf("sqlstore: compare and swap: %w", err)
	}
	if n == 1 {
		return old + 1, true, nil
	}
	var cur int64
	err = k.db.QueryRowContext(ctx, k.version, name).Scan(&cur)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return 0, false, fmt.Errorf("sqlstore: compare and swap: %w", err)
	}
	return cur, false, nil
}
