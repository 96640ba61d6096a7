package scancode

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/bizapi-cn/go-sdk/store"
)

// TIDStore keeps callbacks by tId for the platform's front end, which polls
// by the tId of the QR code it showed (the seed: "数据入库,或放入缓存,由本平台
// 的工具或web页面通过tId查询", store in a database or cache, query by tId).
//
// It is backed by a store.Lists: in memory by default
// (store.NewMemoryLists, 10 minutes after a tId's latest callback, bounded
// in tIds), or the host's own (WithLists), the same Redis or SQL
// implementation that serves the other modules' stores, shared by every
// process behind the callback URL. Each callback is one list value under
// the key "scancode:tid:" + tId: a small JSON record of its type, platform
// code and decrypted payload, from which Get rebuilds the Callback as
// ParseCallback returned it. It is safe for concurrent use when its Lists
// is.
type TIDStore struct {
	lists store.Lists
}

// TIDStoreOption configures NewTIDStore.
type TIDStoreOption func(*tidStoreConfig) error

type tidStoreConfig struct {
	lists store.Lists
}

// WithLists keeps the callbacks in l instead of in memory.
func WithLists(l store.Lists) TIDStoreOption {
	return func(c *tidStoreConfig) error {
		if l == nil {
			return errors.New("WithLists(nil)")
		}
		c.lists = l
		return nil
	}
}

// NewTIDStore returns a TIDStore, in memory unless WithLists is given.
func NewTIDStore(opts ...TIDStoreOption) (*TIDStore, error) {
	var c tidStoreConfig
	var errs []error
	for _, o := range opts {
		if o == nil {
			errs = append(errs, errors.New("nil TIDStoreOption"))
			continue
		}
		if err := o(&c); err != nil {
			errs = append(errs, err)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("scancode: NewTIDStore: %w", err)
	}
	if c.lists == nil {
		l, err := store.NewMemoryLists()
		if err != nil {
			return nil, fmt.Errorf("scancode: NewTIDStore: %w", err)
		}
		c.lists = l
	}
	return &TIDStore{lists: c.lists}, nil
}

// tidRecord is a stored callback. V is the record's version: a record of
// another version is refused rather than misread. Raw is kept as base64,
// byte for byte, so that neither encoding/json (which compacts an embedded
// RawMessage) nor a store that normalizes JSON (a jsonb column) changes it:
// the rebuilt Callback has the same Raw and IdempotencyKey.
type tidRecord struct {
	V            int    `json:"v"`
	Type         Type   `json:"type"`
	PlatformCode string `json:"platformCode,omitempty"`
	Raw          []byte `json:"raw"`
}

const tidRecordVersion = 1

// tidKey is the Lists key of a tId.
func tidKey(tID string) string { return "scancode:tid:" + tID }

// checkStoreTID refuses a tId that cannot be a key: empty, longer than
// 64 bytes (the seed: "tId varchar(50)"), or holding control characters.
func checkStoreTID(tID string) error {
	if tID == "" {
		return errors.New("empty tId")
	}
	if len(tID) > 64 {
		return fmt.Errorf("tId is %d bytes, want at most 64", len(tID))
	}
	for i := 0; i < len(tID); i++ {
		if tID[i] < 0x20 || tID[i] == 0x7f {
			return errors.New("tId holds a control character")
		}
	}
	return nil
}

// Put appends c under its tId. c must come from ParseCallback (or carry
// the same Type and Raw): what is stored is its decrypted payload, never a
// re-encoding of the typed one.
func (s *TIDStore) Put(ctx context.Context, c *Callback) error {
	if c == nil {
		return errors.New("scancode: TIDStore.Put: nil Callback")
	}
	if len(c.Raw) == 0 {
		return errors.New("scancode: TIDStore.Put: the callback has no Raw payload (store one that ParseCallback returned)")
	}
	id := c.EventID()
	if err := checkStoreTID(id); err != nil {
		return fmt.Errorf("scancode: TIDStore.Put: %w", err)
	}
	if err := checkType(string(c.Type)); err != nil {
		return fmt.Errorf("scancode: TIDStore.Put: %w", err)
	}
	if err := checkPlatformCode(c.PlatformCode); err != nil {
		return fmt.Errorf("scancode: TIDStore.Put: %w", err)
	}
	if _, err := decodePayload(c.Type, c.PlatformCode, c.Raw); err != nil {
		return fmt.Errorf("scancode: TIDStore.Put: Raw would not read back: %w", err) // Get would refuse it
	}
	rec, err := json.Marshal(tidRecord{V: tidRecordVersion, Type: c.Type, PlatformCode: c.PlatformCode, Raw: c.Raw})
	if err != nil {
		return fmt.Errorf("scancode: TIDStore.Put: %w", err) // cannot happen: strings and bytes only
	}
	if err := s.lists.Append(ctx, tidKey(id), rec); err != nil {
		return fmt.Errorf("scancode: TIDStore.Put: %w", err)
	}
	return nil
}

// Get returns the callbacks stored under tID, oldest first, each distinct
// callback once (a redelivery stored again after a failed attempt shows
// once); none (and no error) for a tId that has none or whose retention
// ran out. A stored value it cannot read is an error.
func (s *TIDStore) Get(ctx context.Context, tID string) ([]*Callback, error) {
	if err := checkStoreTID(tID); err != nil {
		return nil, fmt.Errorf("scancode: TIDStore.Get: %w", err)
	}
	vals, err := s.lists.List(ctx, tidKey(tID))
	if err != nil {
		return nil, fmt.Errorf("scancode: TIDStore.Get: %w", err)
	}
	var out []*Callback
	seen := make(map[string]bool, len(vals))
	for i, v := range vals {
		c, err := decodeTIDRecord(v)
		if err != nil {
			return nil, fmt.Errorf("scancode: TIDStore.Get: stored value %d of the tId: %w", i, err)
		}
		if k := c.IdempotencyKey(); !seen[k] {
			seen[k] = true
			out = append(out, c)
		}
	}
	return out, nil
}

// decodeTIDRecord rebuilds a Callback from its record, with the checks
// ParseCallback makes of the same pieces.
func decodeTIDRecord(v []byte) (*Callback, error) {
	var rec tidRecord
	if err := json.Unmarshal(v, &rec); err != nil {
		return nil, fmt.Errorf("%w: not a stored callback record", ErrMalformedCallback)
	}
	if rec.V != tidRecordVersion {
		return nil, fmt.Errorf("%w: stored record version %d, want %d", ErrMalformedCallback, rec.V, tidRecordVersion)
	}
	if err := checkType(string(rec.Type)); err != nil {
		return nil, err
	}
	if err := checkPlatformCode(rec.PlatformCode); err != nil {
		return nil, err
	}
	return decodePayload(rec.Type, rec.PlatformCode, rec.Raw)
}
