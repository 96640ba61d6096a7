package levy_test

import (
	"context"
	"encoding/base64"
	"net/http"
	"testing"

	"github.com/bizapi-cn/go-sdk/internal/sign"
	"github.com/bizapi-cn/go-sdk/levy"
	"github.com/bizapi-cn/go-sdk/levy/levytest"
)

func hmacB64(secret, msg string) string {
	return sign.NewHMACSHA256([]byte(secret)).Base64([]byte(msg))
}

// newFake starts a levytest.Server, closed at the end of the test.
func newFake(t testing.TB, opts ...levytest.ServerOption) *levytest.Server {
	t.Helper()
	srv, err := levytest.NewServer(opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	return srv
}

// parseNotice parses body with c's verifier and Content-Type ct.
func parseNotice(ctx context.Context, c *levy.Client, ct string, body []byte) (*levy.Notification, error) {
	h := http.Header{}
	if ct != "" {
		h.Set("Content-Type", ct)
	}
	return levy.ParseNotification(ctx, c.NotificationVerifier(), h, body)
}

// noticeHandler builds c's notification handler (in-memory dedup).
func noticeHandler(t testing.TB, c *levy.Client, fn levy.NotificationFunc, opts ...levy.HandlerOption) http.Handler {
	t.Helper()
	h, err := levy.NewNotificationHandler(c.NotificationVerifier(), fn, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// mustFile is levy.FileFromPath.
func mustFile(t testing.TB, path string) levy.File {
	t.Helper()
	f, err := levy.FileFromPath(path)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func b64(b []byte) string { return base64.StdEncoding.EncodeToString(b) }
