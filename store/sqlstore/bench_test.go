package sqlstore_test

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/bizapi-cn/go-sdk/store"
	"github.com/bizapi-cn/go-sdk/store/sqlstore"
)

var benchSeq atomic.Int64

func benchKey() string { return fmt.Sprintf("bench-%d", benchSeq.Add(1)) }

// BenchmarkStore runs each store operation (op=X/store) next to the bare
// driver call it wraps (op=X/raw), on each engine: the store's own cost is
// the ratio of the two (aim: at most 1.2).
//
//	go test -run '^$' -bench BenchmarkStore -benchtime 2000x ./store/sqlstore/
func BenchmarkStore(b *testing.B) {
	for _, e := range engines {
		b.Run(e.name, func(b *testing.B) {
			db := e.open(b)
			p := fresh(b, e, db)
			ctx := context.Background()
			d, _ := sqlstore.NewTxDedup(db, e.dialect, sqlstore.WithTablePrefix(p))
			k, _ := sqlstore.NewKeys(db, e.dialect, sqlstore.WithTablePrefix(p))
			l, _ := sqlstore.NewLists(db, e.dialect, sqlstore.WithTablePrefix(p))
			q := func(s string) string {
				s = strings.ReplaceAll(s, "{p}", p)
				if e.dialect != sqlstore.Postgres {
					return s
				}
				for i := 1; strings.Contains(s, "?"); i++ {
					s = strings.Replace(s, "?", fmt.Sprintf("$%d", i), 1)
				}
				return s
			}
			ins := "INSERT INTO {p}dedup (k, token, done, expires_ms) VALUES (?, ?, 0, ?)"
			upsert := "INSERT INTO {p}dedup (k, token, done, expires_ms) VALUES (?, '', 1, ?) ON CONFLICT (k) DO UPDATE SET token = '', done = 1, expires_ms = excluded.expires_ms"
			if e.dialect == sqlstore.MySQL {
				upsert = "INSERT INTO {p}dedup (k, token, done, expires_ms) VALUES (?, '', 1, ?) ON DUPLICATE KEY UPDATE token = '', done = 1, expires_ms = VALUES(expires_ms)"
			}
			exp := func() int64 { return time.Now().Add(time.Hour).UnixMilli() }
			run := func(name string, f func(b *testing.B)) {
				b.Run("op="+name, func(b *testing.B) { b.ReportAllocs(); f(b) })
			}
			run("Acquire/store", func(b *testing.B) {
				for b.Loop() {
					if _, err := d.Acquire(ctx, benchKey()); err != nil {
						b.Fatal(err)
					}
				}
			})
			run("Acquire/raw", func(b *testing.B) { // a bare INSERT
				s := q(ins)
				for b.Loop() {
					if _, err := db.ExecContext(ctx, s, benchKey(), "0123456789abcdef0123456789abcdef", exp()); err != nil {
						b.Fatal(err)
					}
				}
			})
			run("Complete/store", func(b *testing.B) {
				for b.Loop() {
					if err := d.Complete(ctx, store.Claim{Key: benchKey()}); err != nil {
						b.Fatal(err)
					}
				}
			})
			run("Complete/raw", func(b *testing.B) { // a bare upsert
				s := q(upsert)
				for b.Loop() {
					if _, err := db.ExecContext(ctx, s, benchKey(), exp()); err != nil {
						b.Fatal(err)
					}
				}
			})
			run("Release/store", func(b *testing.B) {
				for b.Loop() {
					if err := d.Release(ctx, store.Claim{Key: benchKey(), Token: "t"}); err != nil {
						b.Fatal(err)
					}
				}
			})
			run("Release/raw", func(b *testing.B) { // a bare DELETE
				s := q("DELETE FROM {p}dedup WHERE k = ? AND token = ? AND done = 0")
				for b.Loop() {
					if _, err := db.ExecContext(ctx, s, benchKey(), "t"); err != nil {
						b.Fatal(err)
					}
				}
			})
			run("RunOnce/store", func(b *testing.B) {
				nop := func(context.Context) error { return nil }
				for b.Loop() {
					if _, err := d.RunOnce(ctx, benchKey(), nop); err != nil {
						b.Fatal(err)
					}
				}
			})
			run("RunOnce/raw", func(b *testing.B) { // BEGIN, a bare INSERT, COMMIT
				s := q("INSERT INTO {p}dedup (k, token, done, expires_ms) VALUES (?, '', 1, ?)")
				for b.Loop() {
					tx, err := db.BeginTx(ctx, nil)
					if err != nil {
						b.Fatal(err)
					}
					if _, err := tx.ExecContext(ctx, s, benchKey(), exp()); err != nil {
						b.Fatal(err)
					}
					if err := tx.Commit(); err != nil {
						b.Fatal(err)
					}
				}
			})
			if _, _, err := k.CompareAndSwap(ctx, "fk", 0, []byte("0123456789abcdef")); err != nil {
				b.Fatal(err)
			}
			run("Load/store", func(b *testing.B) {
				for b.Loop() {
					if _, err := k.Load(ctx, "fk"); err != nil {
						b.Fatal(err)
					}
				}
			})
			run("Load/raw", func(b *testing.B) { // a bare SELECT
				s := q("SELECT value, version FROM {p}keys WHERE name = ?")
				for b.Loop() {
					var v []byte
					var n int64
					if err := db.QueryRowContext(ctx, s, "fk").Scan(&v, &n); err != nil {
						b.Fatal(err)
					}
				}
			})
			run("CompareAndSwap/store", func(b *testing.B) {
				cur, _ := k.Load(ctx, "fk")
				v := cur.Version
				for b.Loop() {
					n, ok, err := k.CompareAndSwap(ctx, "fk", v, []byte("0123456789abcdef"))
					if err != nil || !ok {
						b.Fatal(n, ok, err)
					}
					v = n
				}
			})
			run("CompareAndSwap/raw", func(b *testing.B) { // a bare conditional UPDATE
				s := q("UPDATE {p}keys SET value = ?, version = version + 1, updated_ms = ? WHERE name = ? AND version = ?")
				cur, _ := k.Load(ctx, "fk")
				v := cur.Version
				for b.Loop() {
					if _, err := db.ExecContext(ctx, s, []byte("0123456789abcdef"), time.Now().UnixMilli(), "fk", v); err != nil {
						b.Fatal(err)
					}
					v++
				}
			})
			run("Append/store", func(b *testing.B) {
				for b.Loop() {
					if err := l.Append(ctx, "tid", []byte("callback")); err != nil {
						b.Fatal(err)
					}
				}
			})
			run("Append/raw", func(b *testing.B) { // a bare INSERT
				s := q("INSERT INTO {p}lists (k, value, created_ms) VALUES (?, ?, ?)")
				for b.Loop() {
					if _, err := db.ExecContext(ctx, s, "tid", []byte("callback"), time.Now().UnixMilli()); err != nil {
						b.Fatal(err)
					}
				}
			})
		})
	}
}

// BenchmarkNotification is one replica handling distinct notifications
// through each store, the host's function doing nothing, next to the
// in-memory store: 1e9 / (ns/op) is notifications per second per replica
// and handler goroutine, the store's share of a receiver's cost.
func BenchmarkNotification(b *testing.B) {
	ctx := context.Background()
	nop := func(context.Context) error { return nil }
	b.Run("memory", func(b *testing.B) {
		d, err := store.NewMemoryDedup()
		if err != nil {
			b.Fatal(err)
		}
		for b.Loop() {
			if _, err := runOnce(ctx, d, benchKey(), nop); err != nil {
				b.Fatal(err)
			}
		}
	})
	for _, e := range engines {
		b.Run(e.name, func(b *testing.B) {
			db := e.open(b)
			p := fresh(b, e, db)
			claim, _ := sqlstore.NewDedup(db, e.dialect, sqlstore.WithTablePrefix(p))
			tx, _ := sqlstore.NewTxDedup(db, e.dialect, sqlstore.WithTablePrefix(p))
			for _, m := range []struct {
				name string
				d    store.Dedup
			}{{"claim", claim}, {"tx", tx}} {
				b.Run(m.name, func(b *testing.B) {
					for b.Loop() {
						if _, err := runOnce(ctx, m.d, benchKey(), nop); err != nil {
							b.Fatal(err)
						}
					}
				})
			}
		})
	}
}
