package store

import (
	"bytes"
	"container/list"
	"context"
	"sync"
	"time"
)

// Lists appends values under a key and lists them, oldest first. A key's
// list is kept for the store's retention after its latest append (scancode
// keeps the callbacks of one tId in it, for the front end that polls).
type Lists interface {
	// Append adds value to key's list and renews the list's retention.
	Append(ctx context.Context, key string, value []byte) error
	// List returns key's values, oldest first; none (and no error) when
	// the key is absent or expired.
	List(ctx context.Context, key string) ([][]byte, error)
}

// MemoryLists is an in-process Lists, bounded in keys (the least recently
// appended list goes first when full).
type MemoryLists struct {
	mu    sync.Mutex
	cfg   memoryConfig
	lists map[string]*listEntry
	order list.List // *listEntry, least recently appended first
}

type listEntry struct {
	key     string
	values  [][]byte
	expires time.Time
	elem    *list.Element
}

// NewMemoryLists returns an empty in-memory Lists; WithRetention sets how
// long a list is kept after its latest append (10 minutes by default).
func NewMemoryLists(opts ...MemoryOption) (*MemoryLists, error) {
	cfg, err := newMemoryConfig(append([]MemoryOption{WithRetention(10 * time.Minute)}, opts...))
	if err != nil {
		return nil, err
	}
	return &MemoryLists{cfg: cfg, lists: make(map[string]*listEntry)}, nil
}

// Append implements Lists.
func (m *MemoryLists) Append(_ context.Context, key string, value []byte) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.cfg.now()
	m.sweepLocked(now)
	e := m.lists[key]
	if e == nil {
		if len(m.lists) >= m.cfg.max {
			m.removeLocked(m.order.Front().Value.(*listEntry))
		}
		e = &listEntry{key: key}
		m.lists[key] = e
		e.elem = m.order.PushBack(e)
	} else {
		m.order.MoveToBack(e.elem)
	}
	e.values = append(e.values, bytes.Clone(value))
	e.expires = now.Add(m.cfg.retention)
	return nil
}

// List implements Lists.
func (m *MemoryLists) List(_ context.Context, key string) ([][]byte, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	e := m.lists[key]
	if e == nil || !m.cfg.now().Before(e.expires) {
		return nil, nil
	}
	out := make([][]byte, len(e.values))
	for i, v := range e.values {
		out[i] = bytes.Clone(v)
	}
	return out, nil
}

func (m *MemoryLists) removeLocked(e *listEntry) {
	delete(m.lists, e.key)
	m.order.Remove(e.elem)
}

// sweepLocked drops expired lists from the front (the least recently
// appended expire first).
func (m *MemoryLists) sweepLocked(now time.Time) {
	for f := m.order.Front(); f != nil; f = m.order.Front() {
		e := f.Value.(*listEntry)
		if now.Before(e.expires) {
			return
		}
		m.removeLocked(e)
	}
}
