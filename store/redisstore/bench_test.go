package redisstore_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/bizapi-cn/go-sdk/store"
	"github.com/bizapi-cn/go-sdk/store/redisstore"
)

var benchSeq atomic.Int64

func benchKey() string { return fmt.Sprintf("bench-%d", benchSeq.Add(1)) }

// BenchmarkStore runs each store operation (op=X/store) next to the bare
// go-redis call it wraps (op=X/raw): the store's own cost is the ratio of
// the two (aim: at most 1.2).
//
//	go test -run '^$' -bench BenchmarkStore -benchtime 5000x ./store/redisstore/
func BenchmarkStore(b *testing.B) {
	rdb := open(b)
	p := prefix(b, rdb)
	ctx := context.Background()
	d, _ := redisstore.NewDedup(rdb, redisstore.WithKeyPrefix(p))
	k, _ := redisstore.NewKeys(rdb, redisstore.WithKeyPrefix(p))
	l, _ := redisstore.NewLists(rdb, redisstore.WithKeyPrefix(p), redisstore.WithRetention(time.Minute))
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
	run("Acquire/raw", func(b *testing.B) { // SET NX GET PX
		for b.Loop() {
			err := rdb.SetArgs(ctx, p+"dedup:"+benchKey(), "c:0123456789abcdef0123456789abcdef", redis.SetArgs{Mode: "NX", Get: true, TTL: 5 * time.Minute}).Err()
			if err != nil && err != redis.Nil {
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
	run("Complete/raw", func(b *testing.B) { // SET PX
		for b.Loop() {
			if err := rdb.Set(ctx, p+"dedup:"+benchKey(), "done", time.Hour).Err(); err != nil {
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
	release := redis.NewScript(`if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`)
	run("Release/raw", func(b *testing.B) { // EVALSHA of the same script
		for b.Loop() {
			if err := release.Run(ctx, rdb, []string{p + "dedup:" + benchKey()}, "c:t").Err(); err != nil {
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
	run("Load/raw", func(b *testing.B) { // HMGET
		for b.Loop() {
			if err := rdb.HMGet(ctx, p+"keys:fk", "v", "n").Err(); err != nil {
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
	run("CompareAndSwap/raw", func(b *testing.B) { // HSET, unconditional
		for b.Loop() {
			if err := rdb.HSet(ctx, p+"keys:raw", "v", "0123456789abcdef", "n", 1).Err(); err != nil {
				b.Fatal(err)
			}
		}
	})
	run("Append/store", func(b *testing.B) {
		for b.Loop() {
			if err := l.Append(ctx, "tid", []byte("callback")); err != nil {
				b.Fatal(err)
			}
		}
	})
	run("Append/raw", func(b *testing.B) { // MULTI RPUSH PEXPIRE EXEC
		key := p + "lists:raw"
		for b.Loop() {
			_, err := rdb.TxPipelined(ctx, func(pl redis.Pipeliner) error {
				pl.RPush(ctx, key, []byte("callback"))
				pl.PExpire(ctx, key, time.Minute)
				return nil
			})
			if err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkNotification is one replica handling distinct notifications
// through the Redis Dedup, the host's function doing nothing, next to the
// in-memory store: 1e9 / (ns/op) is notifications per second per replica
// and handler goroutine.
func BenchmarkNotification(b *testing.B) {
	ctx := context.Background()
	nop := func(context.Context) error { return nil }
	mem, err := store.NewMemoryDedup()
	if err != nil {
		b.Fatal(err)
	}
	rdb := open(b)
	d, _ := redisstore.NewDedup(rdb, redisstore.WithKeyPrefix(prefix(b, rdb)))
	for _, m := range []struct {
		name string
		d    store.Dedup
	}{{"memory", mem}, {"redis", d}} {
		b.Run(m.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := runOnce(ctx, m.d, benchKey(), nop); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
