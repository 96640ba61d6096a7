package redisstore_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/bizapi-cn/go-sdk/store"
	"github.com/bizapi-cn/go-sdk/store/redisstore"
	"github.com/bizapi-cn/go-sdk/store/storetest"
)

// skipped records that the Redis legs were skipped, said at the end of
// the run even without -v.
var skipped atomic.Bool

func TestMain(m *testing.M) {
	code := m.Run()
	if skipped.Load() {
		fmt.Fprintln(os.Stderr, "redisstore: Redis legs skipped: nothing answers at BIZAPI_TEST_REDIS_URL (default redis://127.0.0.1:6379/0); start it, or set the variable")
	}
	os.Exit(code)
}

var (
	clientOnce sync.Once
	client     *redis.Client
	clientErr  error
)

// open returns the Redis of BIZAPI_TEST_REDIS_URL (redis://127.0.0.1:6379/0
// by default); it skips the test when Redis does not answer, and fails it
// under CI=true, where a store test never skips.
func open(t testing.TB) *redis.Client {
	t.Helper()
	url := os.Getenv("BIZAPI_TEST_REDIS_URL")
	if url == "" {
		url = "redis://127.0.0.1:6379/0"
	}
	clientOnce.Do(func() {
		o, err := redis.ParseURL(url)
		if err != nil {
			clientErr = err
			return
		}
		o.PoolSize = 40
		c := redis.NewClient(o)
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
		defer cancel()
		if err := c.Ping(ctx).Err(); err != nil {
			c.Close()
			clientErr = err
			return
		}
		client = c
	})
	if clientErr != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("Redis at %s does not answer (%v); under CI=true the store tests do not skip", url, clientErr)
		}
		skipped.Store(true)
		t.Skipf("Redis at %s does not answer (%v): start it, or set BIZAPI_TEST_REDIS_URL to one that does", url, clientErr)
	}
	return client
}

// prefix gives the test its own key prefix, whose keys are deleted when
// the test ends.
func prefix(t testing.TB, rdb *redis.Client) string {
	t.Helper()
	var b [6]byte
	_, _ = rand.Read(b[:])
	p := "bizapitest:" + hex.EncodeToString(b[:]) + ":"
	t.Cleanup(func() {
		ctx := context.Background()
		iter := rdb.Scan(ctx, 0, p+"*", 500).Iterator()
		var keys []string
		for iter.Next(ctx) {
			keys = append(keys, iter.Val())
		}
		if len(keys) > 0 {
			rdb.Del(ctx, keys...)
		}
	})
	return p
}

func TestConformance(t *testing.T) {
	open(t)
	t.Run("Dedup", func(t *testing.T) {
		storetest.TestDedup(t, func(t *testing.T, lease time.Duration) store.Dedup {
			rdb := open(t)
			d, err := redisstore.NewDedup(rdb, redisstore.WithKeyPrefix(prefix(t, rdb)), redisstore.WithLease(lease))
			if err != nil {
				t.Fatal(err)
			}
			return d
		})
	})
	t.Run("Keys", func(t *testing.T) {
		storetest.TestKeys(t, func(t *testing.T) store.Keys {
			rdb := open(t)
			k, err := redisstore.NewKeys(rdb, redisstore.WithKeyPrefix(prefix(t, rdb)))
			if err != nil {
				t.Fatal(err)
			}
			return k
		})
	})
	t.Run("Lists", func(t *testing.T) {
		storetest.TestLists(t, func(t *testing.T, retention time.Duration) store.Lists {
			rdb := open(t)
			l, err := redisstore.NewLists(rdb, redisstore.WithKeyPrefix(prefix(t, rdb)), redisstore.WithRetention(retention))
			if err != nil {
				t.Fatal(err)
			}
			return l
		})
	})
}

// TestDoneKeyKeepsTheRetention checks what Complete writes: the done
// value with the retention's TTL, longer than the lease.
func TestDoneKeyKeepsTheRetention(t *testing.T) {
	rdb := open(t)
	p := prefix(t, rdb)
	d, err := redisstore.NewDedup(rdb, redisstore.WithKeyPrefix(p), redisstore.WithLease(time.Second), redisstore.WithRetention(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	c, err := d.Acquire(ctx, "n1")
	if err != nil {
		t.Fatal(err)
	}
	if ttl := rdb.PTTL(ctx, p+"dedup:n1").Val(); ttl <= 0 || ttl > time.Second {
		t.Fatalf("claim TTL = %v; want the lease (1s)", ttl)
	}
	if err := d.Complete(ctx, c); err != nil {
		t.Fatal(err)
	}
	if ttl := rdb.PTTL(ctx, p+"dedup:n1").Val(); ttl < 59*time.Minute {
		t.Fatalf("done TTL = %v; want the retention (1h)", ttl)
	}
}

func TestOptionsRefuseNonsense(t *testing.T) {
	rdb := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1"}) // never dialled
	defer rdb.Close()
	for name, opt := range map[string]redisstore.Option{
		"empty prefix":    redisstore.WithKeyPrefix(""),
		"zero lease":      redisstore.WithLease(0),
		"negative reten.": redisstore.WithRetention(-time.Second),
		"nil option":      nil,
	} {
		if _, err := redisstore.NewDedup(rdb, opt); err == nil {
			t.Errorf("NewDedup(%s) accepted it", name)
		}
	}
	if _, err := redisstore.NewKeys(nil); err == nil {
		t.Error("NewKeys(nil) accepted it")
	}
	d, _ := redisstore.NewDedup(rdb)
	if _, err := d.Acquire(context.Background(), ""); err == nil {
		t.Error("Acquire(\"\") accepted it")
	}
	k, _ := redisstore.NewKeys(rdb)
	if _, _, err := k.CompareAndSwap(context.Background(), "x", -1, nil); err == nil || errors.Is(err, store.ErrNotFound) {
		t.Errorf("CompareAndSwap(-1) = %v; want a refusal", err)
	}
}
