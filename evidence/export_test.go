package evidence

import (
	"context"
	"net/http"
	"time"

	"github.com/bizapi-cn/go-sdk/store"
)

// Test-only shims over the unexported plumbing and the public API, so the
// older tests read as before.

// Body is the exact request bytes for arg, with a fresh nonce.
func (c *Client) Body(arg any) ([]byte, error) {
	n, err := c.newNonce()
	if err != nil {
		return nil, err
	}
	return c.body(arg, n)
}

// DECSHash is the DECSHASH of sorted.
func (c *Client) DECSHash(sorted []byte) string { return decsHash(c.mac, c.cfg.appKey, sorted) }

// ParseNotification is ParseNotification with the client's verifier.
func (c *Client) ParseNotification(ctx context.Context, decsHash, decsSign string, body []byte) (*Notification, error) {
	v, err := c.NotificationVerifier()
	if err != nil {
		return nil, err
	}
	return ParseNotification(ctx, v, http.Header{"Decshash": {decsHash}, "Decssign": {decsSign}}, body)
}

// NotificationHandler is NewNotificationHandler with the client's verifier.
func (c *Client) NotificationHandler(fn NotificationFunc, s store.Dedup) http.Handler {
	v, err := c.NotificationVerifier()
	if err != nil {
		panic(err)
	}
	opt := WithoutDedup()
	if s != nil {
		opt = WithDedupStore(s)
	}
	h, err := NewNotificationHandler(v, fn, opt)
	if err != nil {
		panic(err)
	}
	return h
}

// NewMemoryDedupStore is store.NewMemoryDedup.
func NewMemoryDedupStore(retention time.Duration) store.Dedup {
	var opts []store.MemoryOption
	if retention > 0 {
		opts = append(opts, store.WithRetention(retention))
	}
	s, err := store.NewMemoryDedup(opts...)
	if err != nil {
		panic(err)
	}
	return s
}
