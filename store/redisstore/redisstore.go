package redisstore

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/bizapi-cn/go-sdk/store"
)

// Defaults of the Redis stores.
const (
	DefaultKeyPrefix = "bizapi:"
	DefaultLease     = 5 * time.Minute // how long a claim holds without Complete or Release
	DefaultRetention = 72 * time.Hour  // how long a done key (a list after its last append) is kept
)

// Option configures a store. An option refuses a value that makes no
// sense (a zero or negative duration, an empty prefix).
type Option func(*config) error

type config struct {
	prefix    string
	lease     time.Duration
	retention time.Duration
}

// WithKeyPrefix sets the prefix of every Redis key the stores write
// ("bizapi:" by default: bizapi:dedup:<key>, bizapi:keys:<name>,
// bizapi:lists:<key>). Give each application (and each test) its own.
func WithKeyPrefix(p string) Option {
	return func(c *config) error {
		if p == "" || strings.ContainsAny(p, " \r\n") {
			return fmt.Errorf("redisstore: WithKeyPrefix(%q): want a non-empty prefix without spaces", p)
		}
		c.prefix = p
		return nil
	}
}

// WithLease sets how long a claim holds a key before another delivery may
// take it (Dedup): longer than the host's slowest handler. Redis measures
// it (PX), so the hosts' clocks do not matter.
func WithLease(d time.Duration) Option {
	return func(c *config) error {
		if d < time.Millisecond {
			return fmt.Errorf("redisstore: WithLease(%v): want at least a millisecond", d)
		}
		c.lease = d
		return nil
	}
}

// WithRetention sets how long a done key (Dedup) or a list after its latest
// append (Lists) is kept: longer than the provider goes on redelivering.
func WithRetention(d time.Duration) Option {
	return func(c *config) error {
		if d < time.Millisecond {
			return fmt.Errorf("redisstore: WithRetention(%v): want at least a millisecond", d)
		}
		c.retention = d
		return nil
	}
}

func newConfig(rdb redis.UniversalClient, what string, opts []Option) (config, error) {
	c := config{prefix: DefaultKeyPrefix, lease: DefaultLease, retention: DefaultRetention}
	var errs []error
	if rdb == nil {
		errs = append(errs, fmt.Errorf("redisstore: %s with a nil client", what))
	}
	for i, o := range opts {
		if o == nil {
			errs = append(errs, fmt.Errorf("redisstore: option %d is nil", i))
			continue
		}
		if err := o(&c); err != nil {
			errs = append(errs, err)
		}
	}
	return c, errors.Join(errs...)
}

func checkKey(what, k string) error {
	if k == "" {
		return fmt.Errorf("redisstore: empty %s", what)
	}
	return nil
}

// The values of a dedup key: "c:<token>" while claimed, "done" when done.
const (
	claimPrefix = "c:"
	doneValue   = "done"
)

// releaseScript deletes the key only while it holds the caller's claim.
var releaseScript = redis.NewScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then
	return redis.call('DEL', KEYS[1])
end
return 0`)

// Dedup is a store.Dedup on Redis. Acquire is SET key c:<token> NX PX
// lease with GET (one round trip: the old value tells done from in
// flight), Complete is SET key done PX retention, Release a script that
// deletes the key only while it still holds the caller's token.
//
// What it gives: at-least-once handling with duplicates suppressed while
// the lease and the retention hold, across every process that shares the
// Redis. What breaks it:
//
//   - eviction: under a maxmemory-policy that evicts (allkeys-*, or
//     volatile-* since every key here has a TTL) a claim or a done key can
//     vanish and its notification be handled again; run the dedup Redis
//     with noeviction;
//   - a failover or restart that loses writes (asynchronous replication,
//     no AOF with appendfsync everysec or always) forgets claims and done
//     keys written just before it: those notifications may be handled
//     twice;
//   - a handler that runs longer than the lease: a redelivery claims the
//     key again and runs concurrently;
//   - a crash between the host's writes and Complete: the claim lapses and
//     the notification is handled again (that is at least once). Exactly
//     once with the host's writes needs them in one transaction: see
//     sqlstore.TxDedup.
type Dedup struct {
	rdb    redis.UniversalClient
	cfg    config
	legacy atomic.Bool // the server refused SET NX GET (before Redis 7.0)
}

var _ store.Dedup = (*Dedup)(nil)

// NewDedup returns a Dedup on rdb (a *redis.Client, *redis.ClusterClient
// or *redis.Ring). Options: WithKeyPrefix, WithLease, WithRetention.
// Acquire takes one round trip on Redis 7.0 or later (SET with both NX and
// GET) and two on older servers (SET NX, then GET).
func NewDedup(rdb redis.UniversalClient, opts ...Option) (*Dedup, error) {
	cfg, err := newConfig(rdb, "NewDedup", opts)
	if err != nil {
		return nil, err
	}
	return &Dedup{rdb: rdb, cfg: cfg}, nil
}

func (d *Dedup) key(k string) string { return d.cfg.prefix + "dedup:" + k }

func newToken() (string, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("redisstore: token: %w", err)
	}
	return hex.EncodeToString(b[:]), nil
}

// Acquire implements store.Dedup.
func (d *Dedup) Acquire(ctx context.Context, key string) (store.Claim, error) {
	if err := checkKey("key", key); err != nil {
		return store.Claim{}, err
	}
	tok, err := newToken()
	if err != nil {
		return store.Claim{}, err
	}
	if d.legacy.Load() {
		return d.acquireLegacy(ctx, key, tok)
	}
	old, err := d.rdb.SetArgs(ctx, d.key(key), claimPrefix+tok, redis.SetArgs{Mode: "NX", Get: true, TTL: d.cfg.lease}).Result()
	if err != nil && strings.Contains(err.Error(), "syntax error") {
		d.legacy.Store(true)
		return d.acquireLegacy(ctx, key, tok)
	}
	switch {
	case errors.Is(err, redis.Nil): // absent: set, ours
		return store.Claim{Key: key, State: store.StateAcquired, Token: tok}, nil
	case err != nil:
		return store.Claim{}, fmt.Errorf("redisstore: acquire: %w", err)
	case old == doneValue:
		return store.Claim{Key: key, State: store.StateDone}, nil
	default:
		return store.Claim{Key: key, State: store.StateInFlight}, nil
	}
}

// acquireLegacy is Acquire for servers before 7.0: SET NX PX, then GET of
// the holder's value when the key exists.
func (d *Dedup) acquireLegacy(ctx context.Context, key, tok string) (store.Claim, error) {
	for range 3 {
		ok, err := d.rdb.SetNX(ctx, d.key(key), claimPrefix+tok, d.cfg.lease).Result()
		if err != nil {
			return store.Claim{}, fmt.Errorf("redisstore: acquire: %w", err)
		}
		if ok {
			return store.Claim{Key: key, State: store.StateAcquired, Token: tok}, nil
		}
		old, err := d.rdb.Get(ctx, d.key(key)).Result()
		switch {
		case errors.Is(err, redis.Nil):
			continue // expired or released in between
		case err != nil:
			return store.Claim{}, fmt.Errorf("redisstore: acquire: %w", err)
		case old == doneValue:
			return store.Claim{Key: key, State: store.StateDone}, nil
		default:
			return store.Claim{Key: key, State: store.StateInFlight}, nil
		}
	}
	return store.Claim{Key: key, State: store.StateInFlight}, nil
}

// Complete implements store.Dedup.
func (d *Dedup) Complete(ctx context.Context, c store.Claim) error {
	if err := checkKey("key", c.Key); err != nil {
		return err
	}
	if err := d.rdb.Set(ctx, d.key(c.Key), doneValue, d.cfg.retention).Err(); err != nil {
		return fmt.Errorf("redisstore: complete: %w", err)
	}
	return nil
}

// Release implements store.Dedup.
func (d *Dedup) Release(ctx context.Context, c store.Claim) error {
	if c.Token == "" {
		return nil
	}
	if err := checkKey("key", c.Key); err != nil {
		return err
	}
	if err := releaseScript.Run(ctx, d.rdb, []string{d.key(c.Key)}, claimPrefix+c.Token).Err(); err != nil {
		return fmt.Errorf("redisstore: release: %w", err)
	}
	return nil
}

// casScript swaps a hash's value v and version n if n is still ARGV[1].
var casScript = redis.NewScript(`
local cur = tonumber(redis.call('HGET', KEYS[1], 'n') or '0')
if cur ~= tonumber(ARGV[1]) then
	return {0, cur}
end
redis.call('HSET', KEYS[1], 'v', ARGV[2], 'n', cur + 1)
return {1, cur + 1}`)

// Keys is a store.Keys on Redis: a hash per name with its value (v) and
// version (n), swapped by a script. The keys have no TTL: under an evicting
// maxmemory-policy use volatile-* (which never takes them) or noeviction.
// Values are secrets (evidence's field key): protect the Redis with ACLs
// and TLS.
type Keys struct {
	rdb redis.UniversalClient
	cfg config
}

var _ store.Keys = (*Keys)(nil)

// NewKeys returns a Keys on rdb with the prefix of WithKeyPrefix.
func NewKeys(rdb redis.UniversalClient, opts ...Option) (*Keys, error) {
	cfg, err := newConfig(rdb, "NewKeys", opts)
	if err != nil {
		return nil, err
	}
	return &Keys{rdb: rdb, cfg: cfg}, nil
}

func (k *Keys) key(name string) string { return k.cfg.prefix + "keys:" + name }

// Load implements store.Keys.
func (k *Keys) Load(ctx context.Context, name string) (store.Versioned, error) {
	if err := checkKey("name", name); err != nil {
		return store.Versioned{}, err
	}
	vals, err := k.rdb.HMGet(ctx, k.key(name), "v", "n").Result()
	if err != nil {
		return store.Versioned{}, fmt.Errorf("redisstore: load: %w", err)
	}
	v, okv := vals[0].(string)
	n, okn := vals[1].(string)
	if !okv || !okn {
		return store.Versioned{}, store.ErrNotFound
	}
	ver, err := strconv.ParseInt(n, 10, 64)
	if err != nil {
		return store.Versioned{}, fmt.Errorf("redisstore: load %q: version %q: %w", name, n, err)
	}
	return store.Versioned{Value: []byte(v), Version: ver}, nil
}

// CompareAndSwap implements store.Keys.
func (k *Keys) CompareAndSwap(ctx context.Context, name string, old int64, value []byte) (int64, bool, error) {
	if err := checkKey("name", name); err != nil {
		return 0, false, err
	}
	if old < 0 {
		return 0, false, fmt.Errorf("redisstore: CompareAndSwap(%q, %d): negative version", name, old)
	}
	res, err := casScript.Run(ctx, k.rdb, []string{k.key(name)}, old, value).Int64Slice()
	if err != nil {
		return 0, false, fmt.Errorf("redisstore: compare and swap: %w", err)
	}
	if len(res) != 2 {
		return 0, false, fmt.Errorf("redisstore: compare and swap: script answered %v", res)
	}
	return res[1], res[0] == 1, nil
}

// Lists is a store.Lists on Redis: RPUSH and PEXPIRE in one MULTI, so a
// list lives for the retention after its latest append; LRANGE lists it.
type Lists struct {
	rdb redis.UniversalClient
	cfg config
}

var _ store.Lists = (*Lists)(nil)

// NewLists returns a Lists on rdb; WithRetention sets how long a list is
// kept after its latest append (DefaultRetention).
func NewLists(rdb redis.UniversalClient, opts ...Option) (*Lists, error) {
	cfg, err := newConfig(rdb, "NewLists", opts)
	if err != nil {
		return nil, err
	}
	return &Lists{rdb: rdb, cfg: cfg}, nil
}

func (l *Lists) key(k string) string { return l.cfg.prefix + "lists:" + k }

// Append implements store.Lists.
func (l *Lists) Append(ctx context.Context, key string, value []byte) error {
	if err := checkKey("key", key); err != nil {
		return err
	}
	k := l.key(key)
	_, err := l.rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.RPush(ctx, k, value)
		p.PExpire(ctx, k, l.cfg.retention)
		return nil
	})
	if err != nil {
		return fmt.Errorf("redisstore: append: %w", err)
	}
	return nil
}

// List implements store.Lists.
func (l *Lists) List(ctx context.Context, key string) ([][]byte, error) {
	if err := checkKey("key", key); err != nil {
		return nil, err
	}
	vals, err := l.rdb.LRange(ctx, l.key(key), 0, -1).Result()
	if err != nil {
		return nil, fmt.Errorf("redisstore: list: %w", err)
	}
	if len(vals) == 0 {
		return nil, nil
	}
	out := make([][]byte, len(vals))
	for i, v := range vals {
		out[i] = []byte(v)
	}
	return out, nil
}
