package evidence_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strings"
	"testing"

	"github.com/bizapi-cn/go-sdk/evidence"
	"github.com/bizapi-cn/go-sdk/store"
)

// docsHash is DECSHASH as the docs define it, written apart from the
// client: the uppercase hex HMAC-SHA256, keyed with the appKey, of the
// sorted body followed by the appKey.
func docsHash(appKey string, sorted []byte) string {
	m := hmac.New(sha256.New, []byte(appKey))
	m.Write(sorted)
	m.Write([]byte(appKey))
	return strings.ToUpper(hex.EncodeToString(m.Sum(nil)))
}

// parseWith parses a notification with c's verifier, the hash and the
// signature given as the DECSHASH and DECSSIGN headers.
func parseWith(c *evidence.Client, ctx context.Context, decsHash, decsSign string, body []byte) (*evidence.Notification, error) {
	v, err := c.NotificationVerifier()
	if err != nil {
		return nil, err
	}
	return evidence.ParseNotification(ctx, v, http.Header{"Decshash": {decsHash}, "Decssign": {decsSign}}, body)
}

// notificationHandler is c's notification handler deduplicating through s
// (none: WithoutDedup).
func notificationHandler(t testing.TB, c *evidence.Client, fn evidence.NotificationFunc, s store.Dedup) http.Handler {
	t.Helper()
	v, err := c.NotificationVerifier()
	if err != nil {
		t.Fatal(err)
	}
	opt := evidence.WithoutDedup()
	if s != nil {
		opt = evidence.WithDedupStore(s)
	}
	h, err := evidence.NewNotificationHandler(v, fn, opt)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func newMemoryDedup(t testing.TB) store.Dedup {
	t.Helper()
	s, err := store.NewMemoryDedup()
	if err != nil {
		t.Fatal(err)
	}
	return s
}
