package scancode

import (
	"context"
	"sync"
	"time"
)

// TIDStore keeps callbacks by tId for the platform's front end, which polls
// by the tId of the QR code it showed ("store in DB or cache, query by
// tId"). Back it with your cache in production.
type TIDStore interface {
	Put(ctx context.Context, c *Callback) error
	// Get returns the callbacks stored under tID, oldest first.
	Get(ctx context.Context, tID string) ([]*Callback, error)
}

// MemoryTIDStore is an in-process TIDStore whose entries expire.
type MemoryTIDStore struct {
	mu      sync.Mutex
	ttl     time.Duration
	now     func() time.Time
	entries map[string]*tidEntry
}

type tidEntry struct {
	expires   time.Time
	callbacks []*Callback
}

// NewMemoryTIDStore returns a store keeping each tId for ttl (10 minutes
// when 0) after its latest callback; now defaults to time.Now.
func NewMemoryTIDStore(ttl time.Duration, now func() time.Time) *MemoryTIDStore {
	if ttl <= 0 {
		ttl = 10 * time.Minute
	}
	if now == nil {
		now = time.Now
	}
	return &MemoryTIDStore{ttl: ttl, now: now, entries: map[string]*tidEntry{}}
}

// Put implements TIDStore.
func (s *MemoryTIDStore) Put(_ context.Context, c *Callback) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	for k, e := range s.entries {
		if !now.Before(e.expires) {
			delete(s.entries, k)
		}
	}
	id := c.EventID()
	e := s.entries[id]
	if e == nil {
		e = &tidEntry{}
		s.entries[id] = e
	}
	e.expires = now.Add(s.ttl)
	e.callbacks = append(e.callbacks, c)
	return nil
}

// Get implements TIDStore.
func (s *MemoryTIDStore) Get(_ context.Context, tID string) ([]*Callback, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e := s.entries[tID]
	if e == nil || !s.now().Before(e.expires) {
		return nil, nil
	}
	return append([]*Callback(nil), e.callbacks...), nil
}
