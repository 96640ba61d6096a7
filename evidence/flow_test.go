package evidence_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/bizapi-cn/go-sdk/evidence"
	"github.com/bizapi-cn/go-sdk/evidence/evidencetest"
)

// TestFlowSession: start, drive the fake to success, receive the signed
// notification, pull the files, download them with SSE-C; then the link
// expires, and a rotated field key is refreshed once.
func TestFlowSession(t *testing.T) {
	t.Parallel()
	srv, err := evidencetest.NewServer()
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	c, err := evidence.NewClient(evidence.WithApp(srv.AppID, srv.AppKey), evidence.WithPrivateKey(srv.PrivateKey),
		evidence.WithNotifyPublicKey(srv.NotifyPublicKey), evidence.WithBaseURL(srv.URL))
	if err != nil {
		t.Fatal(err)
	}
	got := make(chan *evidence.Notification, 4)
	recv := httptest.NewServer(c.NotificationHandler(func(_ context.Context, n *evidence.Notification) error { got <- n; return nil }, evidence.NewMemoryDedupStore(0)))
	defer recv.Close()
	srv.SetNotifyURL(recv.URL)
	ctx := context.Background()

	st, err := c.StartAcquisition(ctx, &evidence.StartRequest{Site: "tax", BizNo: "B-1", OpenID: "user-1", IDNo: "110101199003074477", UserName: "张三"})
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Complete(st.DaID, map[string][]byte{"income1.pdf": []byte("%PDF-1.4 income")}); err != nil {
		t.Fatal(err)
	}
	var n *evidence.Notification
	select {
	case n = <-got:
	case <-time.After(5 * time.Second):
		t.Fatal("no notification")
	}
	if n.Func != "daFileParsed" || n.Data.DaID != st.DaID || n.Data.DaStatus != 10 {
		t.Fatalf("notification = %+v", n)
	}
	s, err := c.GetStatus(ctx, st.DaID)
	if err != nil || !s.Downloadable() {
		t.Fatalf("GetStatus = %+v, %v", s, err)
	}
	files, err := c.GetOriginalFiles(ctx, st.DaID)
	if err != nil || len(files.FileURLs) != 1 || len(files.FileKey) != 44 {
		t.Fatalf("GetOriginalFiles = %+v, %v", files, err)
	}
	var buf bytes.Buffer
	if _, err := c.Download(ctx, files.FileURLs[0], files.FileKey, &buf); err != nil || buf.String() != "%PDF-1.4 income" {
		t.Fatalf("Download = %q, %v", buf.String(), err)
	}
	srv.Advance(6 * time.Minute)
	if _, err := c.Download(ctx, files.FileURLs[0], files.FileKey, io.Discard); !errors.Is(err, evidence.ErrLinkExpired) {
		t.Errorf("expired link: %v", err)
	}
	srv.RotateKey()
	if _, err := c.StartAcquisition(ctx, &evidence.StartRequest{Site: "tax", BizNo: "B-2", OpenID: "user-2"}); err != nil {
		t.Errorf("start after the key rotated: %v (the client must refresh once)", err)
	}
	if n := srv.Calls("/api/das/update-aes-key"); n != 2 {
		t.Errorf("update-aes-key calls = %d; want 2", n)
	}
}
