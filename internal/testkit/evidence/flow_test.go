package evidence_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/bizapi-cn/go-sdk/evidence"
	"github.com/bizapi-cn/go-sdk/evidence/evidencetest"
)

// suites are the two crypto suites every flow runs in.
var suites = []struct {
	name  string
	fake  []evidencetest.ServerOption
	suite evidence.Suite
}{
	{"RSA", nil, evidence.SuiteRSA},
	{"SM", []evidencetest.ServerOption{evidencetest.WithSM()}, evidence.SuiteSM},
}

// recorder collects handled notifications.
type recorder struct {
	mu   sync.Mutex
	got  []*evidence.Notification
	fail func(n *evidence.Notification) error
}

func (r *recorder) handle(_ context.Context, n *evidence.Notification) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.fail != nil {
		if err := r.fail(n); err != nil {
			return err
		}
	}
	r.got = append(r.got, n)
	return nil
}

func (r *recorder) byFunc(fn evidence.Func) []*evidence.Notification {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []*evidence.Notification
	for _, n := range r.got {
		if n.Func == fn {
			out = append(out, n)
		}
	}
	return out
}

// fakeClient starts a fake in the suite, a client for it and a
// notification receiver.
func fakeClient(t *testing.T, fake []evidencetest.ServerOption, suite evidence.Suite, opts ...evidence.Option) (*evidencetest.Server, *evidence.Client, *recorder) {
	t.Helper()
	srv, err := evidencetest.NewServer(fake...)
	if err != nil {
		t.Fatal(err)
	}
	all := append([]evidence.Option{evidence.WithApp(srv.AppID, srv.AppKey), evidence.WithPrivateKey(srv.PrivateKey), evidence.WithSuite(suite),
		evidence.WithNotifyPublicKey(srv.NotifyPublicKey), evidence.WithBaseURL(srv.URL)}, opts...)
	c, err := evidence.NewClient(all...)
	if err != nil {
		t.Fatal(err)
	}
	rec := &recorder{}
	recv := httptest.NewServer(notificationHandler(t, c, rec.handle, newMemoryDedup(t)))
	srv.SetNotifyURL(recv.URL)
	t.Cleanup(func() { srv.Close(); recv.Close() })
	return srv, c, rec
}

// TestFlowSession: in both suites, start with an agreement, drive the fake
// through 0 → 5 → 8 → 10, receive both signed notifications, pull and
// download the original files (classified by name) and the parse results
// (unzipped); then the link expires, and a rotated field key is refreshed
// once.
func TestFlowSession(t *testing.T) {
	t.Parallel()
	for _, s := range suites {
		t.Run(s.name, func(t *testing.T) {
			t.Parallel()
			srv, c, rec := fakeClient(t, s.fake, s.suite)
			ctx := context.Background()
			res, err := c.UploadUserProtocol(ctx, &evidence.UploadUserProtocolRequest{IDNo: "110101199003074477", Site: "app-tax-income", Files: []evidence.File{evidence.FileFromBytes("agreement.pdf", []byte("%PDF-1.4 signed"))}})
			if err != nil || !res.Result || srv.Protocols("110101199003074477", "app-tax-income") != 1 ||
				string(srv.Protocol("110101199003074477", "app-tax-income")) != "%PDF-1.4 signed" {
				t.Fatalf("UploadUserProtocol = %v, %v", res, err)
			}
			st, err := c.StartAcquisition(ctx, fill(&evidence.StartAcquisitionRequest{Site: "app-tax-income", BizNo: "B-1", OpenID: "user-1", IDNo: "110101199003074477", UserName: "张三"}))
			if err != nil {
				t.Fatal(err)
			}
			for _, want := range []evidence.DaStatus{5, 8} {
				if _, err := srv.Step(st.DaID, nil); err != nil {
					t.Fatal(err)
				}
				got, err := c.GetStatus(ctx, &evidence.GetStatusRequest{DaID: st.DaID})
				if err != nil || got.DaStatus != want || got.Final() || got.Downloadable() {
					t.Fatalf("GetStatus = %+v, %v; want %d, not final", got, err, want)
				}
			}
			if err := srv.Complete(st.DaID, nil); err != nil {
				t.Fatal(err)
			}
			srv.WaitNotifications()
			if h := srv.History(st.DaID); !slices.Equal(h, []evidence.DaStatus{0, 5, 8, 10}) {
				t.Errorf("history = %v", h)
			}
			auth := rec.byFunc(evidence.FuncDaUserAuthorized)
			parsed := rec.byFunc(evidence.FuncDaFileParsed)
			if len(auth) != 1 || len(parsed) != 1 || auth[0].Data.DaID != st.DaID || !auth[0].Data.DaStatus.IsSuccess() {
				t.Fatalf("notifications: %d daUserAuthorized, %d daFileParsed", len(auth), len(parsed))
			}
			status, err := c.GetStatus(ctx, &evidence.GetStatusRequest{DaID: st.DaID})
			if err != nil || !status.Downloadable() || !status.Parsed() {
				t.Fatalf("GetStatus = %+v, %v", status, err)
			}
			files, err := c.GetOriginalFiles(ctx, &evidence.GetOriginalFilesRequest{DaID: st.DaID})
			if err != nil || len(files.FileURLs) != 3 || len(files.FileKey) != 44 || files.PDFPasswords[0] != "074477" || len(files.Results) != 3 {
				t.Fatalf("GetOriginalFiles = %+v, %v", files, err)
			}
			var kinds []evidence.FileKind
			for _, f := range files.List(status.Authorized()) {
				var buf bytes.Buffer
				if _, err := c.Download(ctx, f, &buf); err != nil || !bytes.Contains(buf.Bytes(), []byte("income")) {
					t.Fatalf("Download(%s) = %q, %v", f.Name, buf.String(), err)
				}
				kinds = append(kinds, f.Class().Kind)
			}
			if want := []evidence.FileKind{evidence.FileKindIncomeCurrentYear, evidence.FileKindIncomePriorYear, evidence.FileKindIncomeTwoYearsAgo}; !slices.Equal(kinds, want) {
				t.Errorf("classified %v; want %v", kinds, want)
			}
			// The notification's own file list downloads too (plaintext key).
			if _, err := c.Download(ctx, auth[0].Files()[0], io.Discard); err != nil {
				t.Errorf("download from the notification: %v", err)
			}
			pr, err := c.GetParseResult(ctx, &evidence.GetParseResultRequest{DaID: st.DaID})
			if err != nil || pr.JSONResult != evidence.JSONResultSuccess || len(pr.JSONFileURLs) != 1 {
				t.Fatalf("GetParseResult = %+v, %v", pr, err)
			}
			dir := t.TempDir()
			zipPath := filepath.Join(dir, "parsed.zip")
			zf, _ := os.Create(zipPath)
			_, err = c.Download(ctx, pr.List(status.Authorized())[0], zf)
			zf.Close()
			if err != nil {
				t.Fatal(err)
			}
			out, err := evidence.Unzip(zipPath, filepath.Join(dir, "parsed"), evidence.UnzipLimits{})
			if err != nil || len(out) != 3 {
				t.Fatalf("Unzip = %v, %v", out, err)
			}

			srv.Advance(6 * time.Minute)
			if _, err := c.Download(ctx, files.List(status.Authorized())[0], io.Discard); !errors.Is(err, evidence.ErrLinkExpired) {
				t.Errorf("expired link: %v", err)
			}
			srv.RotateKey()
			if _, err := c.StartAcquisition(ctx, fill(&evidence.StartAcquisitionRequest{Site: "tax", BizNo: "B-2", OpenID: "user-2"})); err != nil {
				t.Errorf("start after the key rotated: %v (the client must refresh once)", err)
			}
			if n := srv.Calls("/api/das/update-aes-key"); n != 2 {
				t.Errorf("update-aes-key calls = %d; want 2", n)
			}
			// Rotated again (another process of the app fetched a key): the
			// answer's fields are under the new key, which the client fetches.
			srv.RotateKey()
			again, err := c.GetOriginalFiles(ctx, &evidence.GetOriginalFilesRequest{DaID: st.DaID})
			if err != nil || len(again.FileURLs) != len(files.FileURLs) || again.FileKey != files.FileKey || again.PDFPasswords[0] != "074477" {
				t.Errorf("GetOriginalFiles after the key rotated = %+v, %v", again, err)
			}
			if n := srv.Calls("/api/das/update-aes-key"); n != 3 {
				t.Errorf("update-aes-key calls = %d; want 3", n)
			}
		})
	}
}

// TestFlowFailure: a session that fails with a §9 sub-status is reported
// by daFailed and by the status, both explained by the table; a session
// left in daStatus 0 times out (20) on the fake's clock.
func TestFlowFailure(t *testing.T) {
	t.Parallel()
	for _, s := range suites {
		t.Run(s.name, func(t *testing.T) {
			t.Parallel()
			srv, c, rec := fakeClient(t, s.fake, s.suite)
			ctx := context.Background()
			st, err := c.StartAcquisition(ctx, fill(&evidence.StartAcquisitionRequest{Site: "tax", BizNo: "B-1", OpenID: "u"}))
			if err != nil {
				t.Fatal(err)
			}
			srv.Fail(st.DaID, 41, "81530")
			srv.WaitNotifications()
			failed := rec.byFunc(evidence.FuncDaFailed)
			if len(failed) != 1 {
				t.Fatalf("daFailed notifications = %d", len(failed))
			}
			sub, ok := failed[0].SubStatus()
			if !ok || sub.Scenario != "System maintenance" || !sub.RetryLater {
				t.Errorf("notification SubStatus = %+v, %v", sub, ok)
			}
			status, err := c.GetStatus(ctx, &evidence.GetStatusRequest{DaID: st.DaID})
			if err != nil || !status.Final() || status.DaStatus.IsSuccess() || status.DaStatus.IsValidOperation() {
				t.Fatalf("GetStatus = %+v, %v", status, err)
			}
			if sub, ok := status.SubStatus(); !ok || sub.Code != 81530 {
				t.Errorf("status SubStatus = %+v, %v", sub, ok)
			}
			if _, err := c.GetOriginalFiles(ctx, &evidence.GetOriginalFilesRequest{DaID: st.DaID}); !isCode(err, evidence.ErrorCodeDaFailed) {
				t.Errorf("files of a failed session: %v", err)
			}

			st2, err := c.StartAcquisition(ctx, fill(&evidence.StartAcquisitionRequest{Site: "tax", BizNo: "B-2", OpenID: "u"}))
			if err != nil {
				t.Fatal(err)
			}
			// An opened link times out after the clean environment's 10
			// minutes (20); one never opened after its 8 (21, vcode
			// expired). Only the RSA suite signs the entry URL.
			want := evidence.DaStatusVcodeExpired
			if s.suite == evidence.SuiteRSA {
				resp, err := http.Get(st2.RedirectURL)
				if err != nil || resp.StatusCode != 200 {
					t.Fatalf("entry: %v, %v", resp, err)
				}
				resp.Body.Close()
				want = evidence.DaStatusTimeout
			}
			srv.Advance(11 * time.Minute)
			wctx, cancel := context.WithTimeout(ctx, time.Second)
			defer cancel()
			final, err := c.WaitFinal(wctx, &evidence.GetStatusRequest{DaID: st2.DaID}, time.Millisecond)
			if err != nil || final.DaStatus != want || !final.DaStatus.IsValidOperation() {
				t.Errorf("WaitFinal = %+v, %v; want daStatus %d", final, err, want)
			}
		})
	}
}

func isCode(err error, code evidence.ErrorCode) bool {
	var ae *evidence.APIError
	return errors.As(err, &ae) && ae.Code == code
}

// TestFlowNotificationFaults: a notification signed with another key is
// refused on every delivery and never handled; one delivered twice is
// handled once and acknowledged twice.
func TestFlowNotificationFaults(t *testing.T) {
	t.Parallel()
	srv, c, rec := fakeClient(t, nil, evidence.SuiteRSA)
	ctx := context.Background()
	st, err := c.StartAcquisition(ctx, fill(&evidence.StartAcquisitionRequest{Site: "tax", BizNo: "B-1", OpenID: "u"}))
	if err != nil {
		t.Fatal(err)
	}
	srv.Inject(evidencetest.Fault{Kind: evidencetest.FaultBadNotificationSignature})
	srv.Fail(st.DaID, 41, "81530")
	srv.WaitNotifications()
	if n := len(rec.byFunc(evidence.FuncDaFailed)); n != 0 || srv.Delivered(evidence.FuncDaFailed) != 0 || srv.PushAttempts() != 8 {
		t.Errorf("forged daFailed: handled %d, acknowledged %d, %d attempts; want 0, 0, 8", n, srv.Delivered(evidence.FuncDaFailed), srv.PushAttempts())
	}
	st2, err := c.StartAcquisition(ctx, fill(&evidence.StartAcquisitionRequest{Site: "tax", BizNo: "B-2", OpenID: "u"}))
	if err != nil {
		t.Fatal(err)
	}
	srv.Inject(evidencetest.Fault{Kind: evidencetest.FaultDuplicateNotification})
	srv.Fail(st2.DaID, 44, "100099")
	srv.WaitNotifications()
	if n := len(rec.byFunc(evidence.FuncDaFailed)); n != 1 || srv.Delivered(evidence.FuncDaFailed) != 2 {
		t.Errorf("duplicated daFailed: handled %d, acknowledged %d; want 1 and 2", n, srv.Delivered(evidence.FuncDaFailed))
	}
}
