// Package dedup runs the host's function at most once per idempotency key
// over a store.Dedup: a notification's key is claimed before the function
// runs, marked done only when it succeeded, and released when it failed or
// panicked, so a redelivery is handled again. Concurrent deliveries of one
// key get ErrInFlight and must not be acknowledged (the provider retries).
package dedup

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"unicode/utf8"

	"github.com/bizapi-cn/go-sdk/store"
)

// ErrInFlight reports that another delivery of the same notification is
// being handled; the caller must not acknowledge this one. It is the store
// module's sentinel, so a store.Runner can return it.
var ErrInFlight = store.ErrInFlight

// Run calls handle at most once per key across deliveries: it returns
// (false, nil) without calling handle when key is done, ErrInFlight when key
// is in flight, and otherwise handle's error after completing or releasing
// the claim. A panic in handle releases the claim before it goes on up, so
// a redelivery is not answered "in flight" until the lease runs out. A nil
// store calls handle every time; a store.Runner runs handle itself.
// handled reports whether handle ran and succeeded.
func Run(ctx context.Context, s store.Dedup, key string, handle func(context.Context) error) (handled bool, err error) {
	key = storeKey(key)
	if s == nil {
		if err := handle(ctx); err != nil {
			return false, err
		}
		return true, nil
	}
	if r, ok := s.(store.Runner); ok {
		return r.RunOnce(ctx, key, handle)
	}
	c, err := s.Acquire(ctx, key)
	if err != nil {
		return false, fmt.Errorf("dedup: acquire: %w", err)
	}
	switch c.State {
	case store.StateDone:
		return false, nil
	case store.StateInFlight:
		return false, ErrInFlight
	case store.StateAcquired:
	default:
		return false, fmt.Errorf("dedup: store answered state %d", int(c.State))
	}
	// Complete and Release outlive a cancelled request.
	bg := context.WithoutCancel(ctx)
	finished := false
	defer func() {
		if !finished {
			_ = s.Release(bg, c) // handle panicked: let a redelivery in
		}
	}()
	herr := handle(ctx)
	finished = true
	if herr != nil {
		if rerr := s.Release(bg, c); rerr != nil {
			return false, errors.Join(herr, fmt.Errorf("dedup: release: %w", rerr))
		}
		return false, herr
	}
	if err := s.Complete(bg, c); err != nil {
		return true, fmt.Errorf("dedup: complete: %w", err)
	}
	return true, nil
}

// storeKey is key as a store gets it (store.MaxKeyBytes): key itself when
// it is UTF-8 of at most store.MaxKeyBytes bytes, otherwise "sha256:" and
// its hex SHA-256 (a kind a provider sent, say, of any length).
func storeKey(key string) string {
	if len(key) <= store.MaxKeyBytes && utf8.ValidString(key) {
		return key
	}
	sum := sha256.Sum256([]byte(key))
	return "sha256:" + hex.EncodeToString(sum[:])
}
