package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"sync"
	"time"

	"github.com/bizapi-cn/go-sdk/store"
)

// hostStore is the host's own dedup store, written against the public
// contract only (as a Redis or SQL store would be): one implementation
// serves the handlers of all four modules.
type hostStore struct {
	mu    sync.Mutex
	lease time.Duration
	keys  map[string]hostEntry
}

type hostEntry struct {
	token   string // "" when done
	expires time.Time
}

var _ store.Dedup = (*hostStore)(nil)

func newHostStore() *hostStore { return newHostStoreLease(time.Minute) }

func newHostStoreLease(lease time.Duration) *hostStore {
	return &hostStore{lease: lease, keys: map[string]hostEntry{}}
}

func (s *hostStore) Acquire(_ context.Context, key string) (store.Claim, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := time.Now()
	if e, ok := s.keys[key]; ok && now.Before(e.expires) {
		if e.token == "" {
			return store.Claim{Key: key, State: store.StateDone}, nil
		}
		return store.Claim{Key: key, State: store.StateInFlight}, nil
	}
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	tok := hex.EncodeToString(b)
	s.keys[key] = hostEntry{token: tok, expires: now.Add(s.lease)}
	return store.Claim{Key: key, State: store.StateAcquired, Token: tok}, nil
}

func (s *hostStore) Complete(_ context.Context, c store.Claim) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.keys[c.Key] = hostEntry{expires: time.Now().Add(72 * time.Hour)}
	return nil
}

func (s *hostStore) Release(_ context.Context, c store.Claim) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if e, ok := s.keys[c.Key]; ok && e.token != "" && e.token == c.Token {
		delete(s.keys, c.Key)
	}
	return nil
}

// Len is the number of keys held.
func (s *hostStore) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.keys)
}
