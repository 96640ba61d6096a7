package redisstore

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/bizapi-cn/go-sdk/store"
	"github.com/bizapi-cn/go-sdk/store/storetest"
)

// TestLegacyAcquire runs the conformance kit with Acquire forced onto the
// path for servers before Redis 7.0 (SET NX, then GET).
func TestLegacyAcquire(t *testing.T) {
	url := os.Getenv("BIZAPI_TEST_REDIS_URL")
	if url == "" {
		url = "redis://127.0.0.1:6379/0"
	}
	o, err := redis.ParseURL(url)
	if err != nil {
		t.Fatal(err)
	}
	rdb := redis.NewClient(o)
	t.Cleanup(func() { rdb.Close() }) // after the kit's parallel subtests
	if err := rdb.Ping(context.Background()).Err(); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("Redis at %s does not answer (%v); under CI=true the store tests do not skip", url, err)
		}
		t.Skipf("Redis at %s does not answer (%v): start it, or set BIZAPI_TEST_REDIS_URL", url, err)
	}
	storetest.TestDedup(t, func(t *testing.T, lease time.Duration) store.Dedup {
		var b [6]byte
		_, _ = rand.Read(b[:])
		p := "bizapitest:" + hex.EncodeToString(b[:]) + ":"
		t.Cleanup(func() {
			ctx := context.Background()
			keys, _ := rdb.Keys(ctx, p+"*").Result()
			if len(keys) > 0 {
				rdb.Del(ctx, keys...)
			}
		})
		d, err := NewDedup(rdb, WithKeyPrefix(p), WithLease(lease))
		if err != nil {
			t.Fatal(err)
		}
		d.legacy.Store(true)
		return d
	})
}
