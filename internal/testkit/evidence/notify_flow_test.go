package evidence_test

// This file uses package notify alone (and the fake operator): what a
// service that only receives notifications builds.

import (
	"context"
	"errors"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/bizapi-cn/go-sdk/evidence/evidencetest"
	"github.com/bizapi-cn/go-sdk/evidence/notify"
	"github.com/bizapi-cn/go-sdk/store"
)

// TestNotifyFlowAlone: in both suites, a receiver built from package
// notify alone takes the fake's signed daFailed pushed over HTTP through
// NewHandler: handled once and acknowledged; a duplicate delivery is
// acknowledged without a second call; a forged one is refused on every
// attempt and never handled; a host error is not acknowledged, and the
// redelivery that follows is handled.
func TestNotifyFlowAlone(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		fake  []evidencetest.ServerOption
		suite notify.Suite
	}{
		{"RSA", nil, notify.SuiteRSA},
		{"SM", []evidencetest.ServerOption{evidencetest.WithSM()}, notify.SuiteSM},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv, err := evidencetest.NewServer(tc.fake...)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(srv.Close)
			v, err := notify.NewVerifier(notify.WithApp(srv.AppID, srv.AppKey), notify.WithNotifyPublicKey(srv.NotifyPublicKey), notify.WithSuite(tc.suite))
			if err != nil {
				t.Fatal(err)
			}
			dedup, err := store.NewMemoryDedup()
			if err != nil {
				t.Fatal(err)
			}
			var (
				mu     sync.Mutex
				got    []*notify.Notification
				failed = map[string]bool{} // daIds refused once by the host
			)
			h, err := notify.NewHandler(v, func(_ context.Context, n *notify.Notification) error {
				mu.Lock()
				defer mu.Unlock()
				if n.Data.DaID == "DA-host-error" && !failed[n.Data.DaID] {
					failed[n.Data.DaID] = true
					return errors.New("database down")
				}
				got = append(got, n)
				return nil
			}, notify.WithDedupStore(dedup))
			if err != nil {
				t.Fatal(err)
			}
			recv := httptest.NewServer(h)
			t.Cleanup(recv.Close)
			srv.SetNotifyURL(recv.URL)
			handled := func(daID string) (n int, last *notify.Notification) {
				mu.Lock()
				defer mu.Unlock()
				for _, x := range got {
					if x.Data.DaID == daID {
						n, last = n+1, x
					}
				}
				return n, last
			}

			srv.Fail("DA-1", notify.DaStatusSourceSystemFailure, "81530")
			srv.WaitNotifications()
			n, last := handled("DA-1")
			if n != 1 || srv.Delivered(notify.FuncDaFailed) != 1 {
				t.Fatalf("daFailed: handled %d, acknowledged %d; want 1, 1", n, srv.Delivered(notify.FuncDaFailed))
			}
			if sub, ok := last.SubStatus(); last.Func != notify.FuncDaFailed || last.Data.BizAppID != srv.AppID || !ok || !sub.RetryLater {
				t.Errorf("daFailed = %+v, sub-status %+v %v", last, sub, ok)
			}

			srv.Inject(evidencetest.Fault{Kind: evidencetest.FaultDuplicateNotification})
			srv.Fail("DA-2", notify.DaStatusUserExited, "")
			srv.WaitNotifications()
			if n, _ := handled("DA-2"); n != 1 || srv.Delivered(notify.FuncDaFailed) != 3 {
				t.Errorf("duplicated daFailed: handled %d, acknowledged %d in all; want 1, 3", n, srv.Delivered(notify.FuncDaFailed))
			}

			before := srv.PushAttempts()
			srv.Inject(evidencetest.Fault{Kind: evidencetest.FaultBadNotificationSignature})
			srv.Fail("DA-forged", notify.DaStatusUserExited, "")
			srv.WaitNotifications()
			if n, _ := handled("DA-forged"); n != 0 || srv.Delivered(notify.FuncDaFailed) != 3 || srv.PushAttempts()-before != 8 {
				t.Errorf("forged daFailed: handled %d, acknowledged %d in all, %d attempts; want 0, 3, 8", n, srv.Delivered(notify.FuncDaFailed), srv.PushAttempts()-before)
			}

			srv.Fail("DA-host-error", notify.DaStatusUserExited, "")
			srv.WaitNotifications()
			if n, _ := handled("DA-host-error"); n != 1 || srv.Delivered(notify.FuncDaFailed) != 4 {
				t.Errorf("daFailed after a host error: handled %d, acknowledged %d in all; want 1, 4", n, srv.Delivered(notify.FuncDaFailed))
			}
		})
	}
}
