// Package redisstore implements the store module's contracts (store.Dedup,
// store.Keys, store.Lists) on Redis through github.com/redis/go-redis/v9.
// The SDK's provider modules depend only on the contracts, so a host that
// uses none of this downloads no Redis client.
//
// # Usage
//
//	rdb := redis.NewClient(&redis.Options{Addr: "127.0.0.1:6379"})
//	dedup, err := redisstore.NewDedup(rdb, redisstore.WithKeyPrefix("shop:"))
//	...
//	h, err := levy.NewNotificationHandler(v, onNotification, levy.WithDedupStore(dedup))
//
// # What it gives
//
// At-least-once handling, with duplicates suppressed while the lease and
// the retention hold: a delivery claims the notification's key with SET NX
// PX lease holding a random token, marks it done with SET PX retention
// after the host's function succeeded, and gives it up after a failure
// with a script that deletes it only while it still holds the token, so a
// holder whose lease ran out never releases a later delivery's claim. The
// lease and retention are timed by Redis, not by the hosts' clocks.
//
// # What breaks it
//
//   - Eviction: an evicting maxmemory-policy can drop a claim or a done
//     key, and its notification is handled again. Run it with noeviction
//     (writes then fail loudly when Redis is full).
//   - A failover or restart that loses recent writes (asynchronous
//     replication; no AOF, or appendfsync other than always) forgets the
//     claims and done keys written just before it.
//   - A lease shorter than the host's slowest handler: a redelivery claims
//     the key again and runs beside the first.
//   - A crash after the host's writes and before Complete: the claim
//     lapses and the notification is handled again (that is at least
//     once). Exactly once with the host's own writes needs them and the
//     done record in one transaction: sqlstore.TxDedup.
//
// # Keys and lists
//
// Keys are hashes (value and version) swapped by a Lua script, without a
// TTL; Lists are RPUSH and PEXPIRE in one MULTI. Every key is named with
// the prefix of WithKeyPrefix ("bizapi:" by default) followed by dedup:,
// keys: or lists:. On Redis Cluster each operation touches one key.
package redisstore
