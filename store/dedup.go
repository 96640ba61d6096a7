package store

import (
	"context"
	"errors"
)

// State is what Dedup.Acquire found for a key.
type State int

const (
	// StateAcquired means the caller now holds the key and must call
	// Complete or Release with the Claim it got.
	StateAcquired State = iota + 1
	// StateDone means the key was handled before: acknowledge the delivery
	// without handling it again.
	StateDone
	// StateInFlight means another delivery holds the key now and its lease
	// has not run out: do not acknowledge this one (the provider retries).
	StateInFlight
)

// String names the state.
func (s State) String() string {
	switch s {
	case StateAcquired:
		return "acquired"
	case StateDone:
		return "done"
	case StateInFlight:
		return "in flight"
	}
	return "unknown"
}

// Claim is the answer of Dedup.Acquire. Token identifies the holder when
// State is StateAcquired: Release gives the key up only when the token is
// still the holder's, so a holder whose lease ran out cannot release a claim
// that a later delivery took.
type Claim struct {
	Key   string
	State State
	Token string
}

// MaxKeyBytes is the longest key the SDK's handlers pass to a Dedup or a
// Runner: a notification's IdempotencyKey (a kind, sometimes an id, and a
// hash: under 160 bytes in practice), or, for a longer one or one that is
// not UTF-8, "sha256:" and the hex SHA-256 of it.
const MaxKeyBytes = 512

// Dedup records which notifications were handled. Implementations must be
// safe for concurrent use, by several processes when they are shared.
//
// A key is opaque UTF-8 text of 1 to MaxKeyBytes bytes, and a store keeps
// it whole, compared byte for byte: keys that differ only in case, or only
// in their last byte, are two notifications. A column narrower than
// MaxKeyBytes, or a case-insensitive collation, would merge them and
// acknowledge the second without handling it (storetest checks both).
//
// The handler calls Acquire before the host's function runs, then Complete
// after it returned nil or Release after it failed. An implementation on
// Redis maps Acquire to SET key token NX PX lease (and a GET when that
// fails), Complete to SET key done PX retention, and Release to a script
// that deletes the key only while it still holds token.
type Dedup interface {
	// Acquire claims key for a lease, or reports that it is done or in
	// flight. A claim whose lease has run out counts as absent.
	Acquire(ctx context.Context, key string) (Claim, error)
	// Complete marks the claimed key handled for the retention period,
	// whoever holds it now: the host's function has run.
	Complete(ctx context.Context, c Claim) error
	// Release gives up a claim after a failed attempt so that a redelivery
	// can acquire it; it does nothing when c.Token no longer holds the key
	// (the lease ran out and another delivery claimed it, or it is done).
	Release(ctx context.Context, c Claim) error
}

// ErrFull reports that an in-memory store is full of claims in flight and
// cannot take another key; the delivery is not acknowledged, so the
// provider retries it.
var ErrFull = errors.New("store: full of claims in flight")

// ErrNotFound reports that a key holds no value.
var ErrNotFound = errors.New("store: not found")

// Runner is implemented by a Dedup that runs the host's function itself,
// for example inside a database transaction that also records the key as
// done, so that the host's writes and the done record commit together or
// not at all. A handler given a Runner calls RunOnce instead of Acquire,
// Complete and Release.
type Runner interface {
	// RunOnce runs fn unless key is done, and records key as done when fn
	// returned nil. It returns (false, nil) for a done key without running
	// fn, and an error matching ErrInFlight when another delivery is
	// running it now. ran is true only when fn returned nil and its work
	// stands: with an error, it says that only recording the key failed,
	// and the delivery is acknowledged (a transaction whose commit failed
	// returns false: fn's writes are gone).
	RunOnce(ctx context.Context, key string, fn func(ctx context.Context) error) (ran bool, err error)
}

// ErrInFlight reports that another delivery of the same key is being
// handled: the caller must not acknowledge this one.
var ErrInFlight = errors.New("store: the key is being handled by another delivery")
