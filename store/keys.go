package store

import (
	"bytes"
	"context"
	"sync"
)

// Versioned is a value with the version it was stored under. Versions
// start at 1 and grow by one with every swap; 0 means "absent".
type Versioned struct {
	Value   []byte
	Version int64
}

// Keys holds small named values replaced only by compare-and-swap, so that
// several processes agree on one value (evidence keeps an application's
// field key in it). Values can be secrets: an implementation keeps them
// where only the application's processes can read them.
type Keys interface {
	// Load returns the current value of name, or ErrNotFound.
	Load(ctx context.Context, name string) (Versioned, error)
	// CompareAndSwap stores value under name if name's version is still
	// old (0: name is absent) and returns the new version. swapped is false,
	// with no error, when another writer changed name first: Load it again.
	CompareAndSwap(ctx context.Context, name string, old int64, value []byte) (version int64, swapped bool, err error)
}

// MemoryKeys is an in-process Keys.
type MemoryKeys struct {
	mu   sync.Mutex
	vals map[string]Versioned
}

// NewMemoryKeys returns an empty in-memory Keys.
func NewMemoryKeys() *MemoryKeys { return &MemoryKeys{vals: make(map[string]Versioned)} }

// Load implements Keys.
func (m *MemoryKeys) Load(_ context.Context, name string) (Versioned, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	v, ok := m.vals[name]
	if !ok {
		return Versioned{}, ErrNotFound
	}
	return Versioned{Value: bytes.Clone(v.Value), Version: v.Version}, nil
}

// CompareAndSwap implements Keys.
func (m *MemoryKeys) CompareAndSwap(_ context.Context, name string, old int64, value []byte) (int64, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	cur := m.vals[name] // Version 0 when absent
	if cur.Version != old {
		return cur.Version, false, nil
	}
	next := Versioned{Value: bytes.Clone(value), Version: old + 1}
	m.vals[name] = next
	return next.Version, true, nil
}
