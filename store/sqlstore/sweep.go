package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

// sweep deletes at most batch rows of table matching cond (with arg): a
// SELECT of their keys with a LIMIT, then a DELETE of those keys that
// checks cond again, so that a row renewed in between stays. Two short
// statements and no long transaction, on every dialect (PostgreSQL has no
// DELETE ... LIMIT).
func sweep(ctx context.Context, db *sql.DB, d Dialect, cfg config, table, key, cond string, batch int, arg any) (int, error) {
	if batch <= 0 {
		return 0, fmt.Errorf("sqlstore: Sweep(%d): want a positive batch", batch)
	}
	sel := d.q(cfg.prefix, "SELECT "+key+" FROM {p}"+table+" WHERE "+cond+" LIMIT ?")
	rows, err := db.QueryContext(ctx, sel, arg, batch)
	if err != nil {
		return 0, fmt.Errorf("sqlstore: sweep %s: %w", table, err)
	}
	var args []any
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			rows.Close()
			return 0, fmt.Errorf("sqlstore: sweep %s: %w", table, err)
		}
		args = append(args, k)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, fmt.Errorf("sqlstore: sweep %s: %w", table, err)
	}
	if len(args) == 0 {
		return 0, nil
	}
	n := len(args)
	args = append(args, arg)
	del := d.q(cfg.prefix, "DELETE FROM {p}"+table+" WHERE "+key+" IN ("+placeholders(n)+") AND "+cond)
	res, err := db.ExecContext(ctx, del, args...)
	if err != nil {
		return 0, fmt.Errorf("sqlstore: sweep %s: %w", table, err)
	}
	deleted, err := res.RowsAffected()
	if err != nil {
		return n, nil
	}
	return int(deleted), nil
}

// Sweeper is a store with expired rows to remove in bounded batches:
// *Dedup, *TxDedup and *Lists.
type Sweeper interface {
	Sweep(ctx context.Context, batch int) (int, error)
}

// RunSweeper sweeps each store every interval, batch rows at a time, until
// ctx ends, and then returns ctx's error. At every tick it sweeps a store
// again while a batch came back full, so a backlog drains in short
// statements. An error is passed to onError (when not nil) and the sweep
// goes on at the next tick. Run it in one goroutine per process (several
// replicas sweeping the same table is harmless):
//
//	go sqlstore.RunSweeper(ctx, time.Minute, 500, func(err error) { log.Print(err) }, dedup, lists)
func RunSweeper(ctx context.Context, interval time.Duration, batch int, onError func(error), stores ...Sweeper) error {
	if interval <= 0 || batch <= 0 {
		return fmt.Errorf("sqlstore: RunSweeper(%v, %d): want a positive interval and batch", interval, batch)
	}
	for i, s := range stores {
		if s == nil {
			return fmt.Errorf("sqlstore: RunSweeper: store %d is nil", i)
		}
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
		for _, s := range stores {
			for {
				n, err := s.Sweep(ctx, batch)
				if err != nil {
					if onError != nil && !errors.Is(err, ctx.Err()) {
						onError(err)
					}
					break
				}
				if n < batch || ctx.Err() != nil {
					break
				}
			}
		}
	}
}
