// Package dedup makes callback delivery exactly-once for the host: a
// notification's idempotency key is claimed before the host's handler runs,
// marked done only when the handler succeeded, and released when it failed,
// so a redelivery is handled again. Concurrent deliveries of one key see
// InFlight and must not be acknowledged (the provider retries them).
package dedup

import (
	"context"
	"errors"
	"sync"
	"time"
)

// State is the outcome of Store.Acquire.
type State int

const (
	// Acquired means the caller holds the key and must call Complete or
	// Release.
	Acquired State = iota
	// Done means the key was handled before: acknowledge without handling.
	Done
	// InFlight means another delivery holds the key now: do not acknowledge.
	InFlight
)

// String names the state.
func (s State) String() string {
	switch s {
	case Acquired:
		return "acquired"
	case Done:
		return "done"
	case InFlight:
		return "in flight"
	}
	return "unknown"
}

// Store records which notifications were handled. Implementations must be
// safe for concurrent use; a host backs it with its database or Redis
// (SET NX with a TTL for Acquire, a longer TTL for Complete).
type Store interface {
	// Acquire claims key for the caller, or reports that it is Done or
	// InFlight.
	Acquire(ctx context.Context, key string) (State, error)
	// Complete marks key as handled for good.
	Complete(ctx context.Context, key string) error
	// Release gives key up after a failed attempt, so that it can be
	// acquired again.
	Release(ctx context.Context, key string) error
}

// Memory is an in-process Store. Done keys are kept for a retention period
// (default 72 hours), InFlight claims expire after a lease (default 5
// minutes) in case a handler never returns.
type Memory struct {
	mu        sync.Mutex
	now       func() time.Time
	retention time.Duration
	lease     time.Duration
	entries   map[string]entry
	sweepAt   time.Time
}

type entry struct {
	done    bool
	expires time.Time
}

// NewMemory returns an empty in-memory store; zero durations take the
// defaults, now defaults to time.Now.
func NewMemory(retention, lease time.Duration, now func() time.Time) *Memory {
	if retention <= 0 {
		retention = 72 * time.Hour
	}
	if lease <= 0 {
		lease = 5 * time.Minute
	}
	if now == nil {
		now = time.Now
	}
	return &Memory{now: now, retention: retention, lease: lease, entries: make(map[string]entry)}
}

// Acquire implements Store.
func (m *Memory) Acquire(_ context.Context, key string) (State, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.now()
	m.sweep(now)
	if e, ok := m.entries[key]; ok && now.Before(e.expires) {
		if e.done {
			return Done, nil
		}
		return InFlight, nil
	}
	m.entries[key] = entry{expires: now.Add(m.lease)}
	return Acquired, nil
}

// Complete implements Store.
func (m *Memory) Complete(_ context.Context, key string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.entries[key] = entry{done: true, expires: m.now().Add(m.retention)}
	return nil
}

// Release implements Store.
func (m *Memory) Release(_ context.Context, key string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if e, ok := m.entries[key]; ok && !e.done {
		delete(m.entries, key)
	}
	return nil
}

// Len returns the number of keys held, done or in flight.
func (m *Memory) Len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.entries)
}

// sweep drops expired entries at most once a minute.
func (m *Memory) sweep(now time.Time) {
	if now.Before(m.sweepAt) {
		return
	}
	m.sweepAt = now.Add(time.Minute)
	for k, e := range m.entries {
		if !now.Before(e.expires) {
			delete(m.entries, k)
		}
	}
}

// ErrInFlight reports that another delivery of the same notification is
// being handled; the caller must not acknowledge this one.
var ErrInFlight = errors.New("dedup: notification is being handled by another delivery")

// Run calls handle at most once per key across deliveries: it returns
// (false, nil) without calling handle when key is Done, ErrInFlight when key
// is InFlight, and otherwise handle's error after completing or releasing
// the key. A nil store calls handle every time. handled reports whether
// handle ran and succeeded.
func Run(ctx context.Context, store Store, key string, handle func(context.Context) error) (handled bool, err error) {
	if store == nil {
		if err := handle(ctx); err != nil {
			return false, err
		}
		return true, nil
	}
	st, err := store.Acquire(ctx, key)
	if err != nil {
		return false, err
	}
	switch st {
	case Done:
		return false, nil
	case InFlight:
		return false, ErrInFlight
	}
	if err := handle(ctx); err != nil {
		// Release with a context that outlives a cancelled request.
		if rerr := store.Release(context.WithoutCancel(ctx), key); rerr != nil {
			return false, errors.Join(err, rerr)
		}
		return false, err
	}
	if err := store.Complete(context.WithoutCancel(ctx), key); err != nil {
		return true, err
	}
	return true, nil
}
