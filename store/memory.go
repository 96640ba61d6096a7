package store

import (
	"container/list"
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"time"
)

// Defaults of the in-memory stores.
const (
	DefaultRetention  = 72 * time.Hour  // how long a done key is remembered
	DefaultLease      = 5 * time.Minute // how long a claim holds without Complete or Release
	DefaultMaxEntries = 100_000         // keys held at most; the oldest done keys go first
)

// MemoryOption configures an in-memory store. An option refuses a value
// that makes no sense (zero or negative durations and sizes, a nil clock).
type MemoryOption func(*memoryConfig) error

type memoryConfig struct {
	retention time.Duration
	lease     time.Duration
	max       int
	now       func() time.Time
}

// WithRetention sets how long a done key (MemoryDedup) or a key's list
// after its last append (MemoryLists) is kept.
func WithRetention(d time.Duration) MemoryOption {
	return func(c *memoryConfig) error {
		if d <= 0 {
			return fmt.Errorf("store: WithRetention(%v): want a positive duration", d)
		}
		c.retention = d
		return nil
	}
}

// WithLease sets how long a claim holds a key before another delivery may
// take it (MemoryDedup).
func WithLease(d time.Duration) MemoryOption {
	return func(c *memoryConfig) error {
		if d <= 0 {
			return fmt.Errorf("store: WithLease(%v): want a positive duration", d)
		}
		c.lease = d
		return nil
	}
}

// WithMaxEntries bounds the number of keys held. When the store is full,
// the oldest done key (the oldest list) is forgotten first; a MemoryDedup
// full of claims in flight answers ErrFull.
func WithMaxEntries(n int) MemoryOption {
	return func(c *memoryConfig) error {
		if n <= 0 {
			return fmt.Errorf("store: WithMaxEntries(%d): want a positive number", n)
		}
		c.max = n
		return nil
	}
}

// WithClock sets the clock the store measures leases and retention with.
func WithClock(now func() time.Time) MemoryOption {
	return func(c *memoryConfig) error {
		if now == nil {
			return errors.New("store: WithClock(nil)")
		}
		c.now = now
		return nil
	}
}

func newMemoryConfig(opts []MemoryOption) (memoryConfig, error) {
	c := memoryConfig{retention: DefaultRetention, lease: DefaultLease, max: DefaultMaxEntries, now: time.Now}
	var errs []error
	for _, o := range opts {
		if o == nil {
			errs = append(errs, errors.New("store: nil MemoryOption"))
			continue
		}
		if err := o(&c); err != nil {
			errs = append(errs, err)
		}
	}
	return c, errors.Join(errs...)
}

// MemoryDedup is an in-process Dedup, bounded in size: done keys are kept
// for the retention period and, when the store is full, forgotten oldest
// first; claims expire after the lease. It serves one process only: a fleet
// of receivers needs a shared store.
type MemoryDedup struct {
	mu     sync.Mutex
	cfg    memoryConfig
	keys   map[string]*memEntry
	done   list.List // *memEntry of done keys, oldest completion first
	claims int
	seq    uint64
	sweep  time.Time
}

type memEntry struct {
	key     string
	token   string // "" once done
	expires time.Time
	elem    *list.Element // in done, once done
}

// NewMemoryDedup returns an empty in-memory Dedup.
func NewMemoryDedup(opts ...MemoryOption) (*MemoryDedup, error) {
	cfg, err := newMemoryConfig(opts)
	if err != nil {
		return nil, err
	}
	return &MemoryDedup{cfg: cfg, keys: make(map[string]*memEntry)}, nil
}

// Acquire implements Dedup.
func (m *MemoryDedup) Acquire(_ context.Context, key string) (Claim, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.cfg.now()
	m.sweepLocked(now, false)
	if e, ok := m.keys[key]; ok {
		if now.Before(e.expires) {
			if e.token == "" {
				return Claim{Key: key, State: StateDone}, nil
			}
			return Claim{Key: key, State: StateInFlight}, nil
		}
		m.removeLocked(e)
	}
	if len(m.keys) >= m.cfg.max && !m.evictLocked(now) {
		return Claim{}, ErrFull
	}
	m.seq++
	e := &memEntry{key: key, token: strconv.FormatUint(m.seq, 36), expires: now.Add(m.cfg.lease)}
	m.keys[key] = e
	m.claims++
	return Claim{Key: key, State: StateAcquired, Token: e.token}, nil
}

// Complete implements Dedup.
func (m *MemoryDedup) Complete(_ context.Context, c Claim) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.cfg.now()
	if e, ok := m.keys[c.Key]; ok {
		m.removeLocked(e)
	} else if len(m.keys) >= m.cfg.max {
		m.evictLocked(now)
	}
	e := &memEntry{key: c.Key, expires: now.Add(m.cfg.retention)}
	e.elem = m.done.PushBack(e)
	m.keys[c.Key] = e
	return nil
}

// Release implements Dedup.
func (m *MemoryDedup) Release(_ context.Context, c Claim) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if e, ok := m.keys[c.Key]; ok && e.token != "" && e.token == c.Token {
		m.removeLocked(e)
	}
	return nil
}

// Len returns the number of keys held, done or in flight.
func (m *MemoryDedup) Len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.keys)
}

func (m *MemoryDedup) removeLocked(e *memEntry) {
	delete(m.keys, e.key)
	if e.elem != nil {
		m.done.Remove(e.elem)
		e.elem = nil
	} else {
		m.claims--
	}
}

// evictLocked makes room for one key: an expired entry, else the oldest
// done key. It reports false when every key is a live claim.
func (m *MemoryDedup) evictLocked(now time.Time) bool {
	m.sweepLocked(now, true)
	if len(m.keys) < m.cfg.max {
		return true
	}
	if front := m.done.Front(); front != nil {
		m.removeLocked(front.Value.(*memEntry))
		return true
	}
	return false
}

// sweepLocked drops expired done keys from the front of their list (they
// expire in completion order) and, at most once per lease unless forced,
// expired claims by a walk over the map.
func (m *MemoryDedup) sweepLocked(now time.Time, force bool) {
	for f := m.done.Front(); f != nil; f = m.done.Front() {
		e := f.Value.(*memEntry)
		if now.Before(e.expires) {
			break
		}
		m.removeLocked(e)
	}
	if (!force && now.Before(m.sweep)) || m.claims == 0 {
		return
	}
	m.sweep = now.Add(m.cfg.lease)
	for _, e := range m.keys {
		if e.token != "" && !now.Before(e.expires) {
			m.removeLocked(e)
		}
	}
}
