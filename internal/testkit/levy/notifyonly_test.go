package levy_test

// This file uses package levy/notify alone (and the fake, levytest, to
// sign notifications): what a service that only receives callbacks sees.

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/bizapi-cn/go-sdk/levy/notify"
)

// TestNotifyOnlyFlow (issue #20 item 2): notifications of every kind,
// signed by the fake, go over HTTP through notify.NewHandler to the host
// as typed data and are answered SUCCESS; a redelivery reaches the host
// once, a forged one never, and a host failure is answered FAIL until the
// provider's retry is handled.
func TestNotifyOnlyFlow(t *testing.T) {
	t.Parallel()
	srv := newFake(t)
	v, err := notify.NewVerifier(notify.WithCredentials(srv.ClientKey, srv.Secret))
	if err != nil {
		t.Fatal(err)
	}
	var (
		mu    sync.Mutex
		got   []*notify.Notification
		fails = map[string]int{"fail-once": 1}
	)
	h, err := notify.NewHandler(v, func(_ context.Context, n *notify.Notification) error {
		mu.Lock()
		defer mu.Unlock()
		if s, ok := n.Data.(*notify.SignNotification); ok && fails[s.RequestID] > 0 {
			fails[s.RequestID]--
			return io.ErrUnexpectedEOF // not durably handled: the provider must retry
		}
		got = append(got, n)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	recv := httptest.NewServer(h)
	t.Cleanup(recv.Close)
	deliver := func(body []byte) (int, string) {
		t.Helper()
		resp, err := http.Post(recv.URL+"/levy/notify", "application/x-www-form-urlencoded", bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		return resp.StatusCode, string(b)
	}
	received := func() []*notify.Notification {
		mu.Lock()
		defer mu.Unlock()
		return append([]*notify.Notification(nil), got...)
	}

	cases := []struct {
		name  string
		data  map[string]any
		check func(n *notify.Notification) bool
	}{
		{"SYNC_SIGN", map[string]any{"request_id": "S1", "status": "SIGN"}, func(n *notify.Notification) bool {
			d, ok := n.Data.(*notify.SignNotification)
			return ok && d.RequestID == "S1" && d.Signed() && n.Succeeded()
		}},
		{"SIGN_UP", map[string]any{"id_card": "110101199003074477", "status": "UN_SIGN"}, func(n *notify.Notification) bool {
			d, ok := n.Data.(*notify.SignUpNotification)
			return ok && d.Status == notify.SignStatusUnSign && n.Failed()
		}},
		{"CREATE_ORDER_V2", map[string]any{"request_id": "R1", "status": "CLOSE", "remit_order_list": []map[string]any{
			{"order_id": "RO1", "tax_agent_location_id": 101, "amount": "1000.00", "fee": "60.00", "remit_status": "ACCEPT"}}}, func(n *notify.Notification) bool {
			d, ok := n.Data.(*notify.OrderNotification)
			return ok && d.Created() && d.RemitOrderList[0].TaxAgentLocationID == "101" && d.RemitOrderList[0].Fee == notify.Yuan(60)
		}},
		{"UPLOAD_TAXPAYER_AGREEMENT", map[string]any{"request_id": "U1", "status": "SUCCESS", "contract_id": "K1", "file_id": "F1"}, func(n *notify.Notification) bool {
			d, ok := n.Data.(*notify.AgreementNotification)
			return ok && d.Uploaded() && d.FileID == "F1"
		}},
		{"UPLOAD_ID_CARD_IMAGE", map[string]any{"requestId": "I1", "status": "IDENTIFY_FAIL", "failReason": "模糊"}, func(n *notify.Notification) bool {
			d, ok := n.Data.(*notify.IDCardImageNotification)
			return ok && d.Failed() && d.FailReason == "模糊"
		}},
		{"CLOSE_ORDER_NOTICE", map[string]any{"request_id": "R1", "remit_status": "CLOSE", "tax_agent_location_id": "101",
			"close_time": "2024-03-04T10:00:00.000", "Close_reason": "72 小时未确认"}, func(n *notify.Notification) bool {
			d, ok := n.Data.(*notify.CloseOrderNotification)
			return ok && d.Cancelled() && d.CloseReason == "72 小时未确认" && d.CloseTime.Year() == 2024
		}},
		{"A_NAME_NOT_IN_THE_SPEC", map[string]any{"x": 1}, func(n *notify.Notification) bool {
			return n.Data == nil && string(n.Raw) == `{"x":1}`
		}},
	}
	for i, c := range cases {
		if code, body := deliver(srv.SignNotification(c.name, c.data)); code != http.StatusOK || body != "SUCCESS" {
			t.Fatalf("%s: answered %d %q; want 200 SUCCESS", c.name, code, body)
		}
		ns := received()
		if len(ns) != i+1 || ns[i].Operation != notify.Operation(c.name) || !c.check(ns[i]) {
			t.Fatalf("%s: the host got %d notifications, the last %+v", c.name, len(ns), ns[len(ns)-1])
		}
	}

	again := srv.SignNotification(cases[0].name, cases[0].data)
	if code, body := deliver(again); code != http.StatusOK || body != "SUCCESS" {
		t.Errorf("redelivery answered %d %q; want 200 SUCCESS", code, body)
	}
	forged := bytes.Replace(again, []byte("S1"), []byte("S9"), 1)
	if code, body := deliver(forged); code/100 == 2 || body != "FAIL" {
		t.Errorf("forged delivery answered %d %q; want a non-2xx FAIL", code, body)
	}
	if n := len(received()); n != len(cases) {
		t.Errorf("the host got %d notifications after a redelivery and a forgery; want %d", n, len(cases))
	}

	retried := srv.SignNotification("SYNC_SIGN", map[string]any{"request_id": "fail-once", "status": "SIGN"})
	if code, body := deliver(retried); code/100 == 2 || body != "FAIL" {
		t.Errorf("a delivery the host failed answered %d %q; want a non-2xx FAIL", code, body)
	}
	if code, body := deliver(retried); code != http.StatusOK || body != "SUCCESS" {
		t.Errorf("its retry answered %d %q; want 200 SUCCESS", code, body)
	}
	if n := len(received()); n != len(cases)+1 {
		t.Errorf("the host holds %d notifications after the retry; want %d", n, len(cases)+1)
	}
}

// hostOrder is a host's own record of a levy order: a RemitOrderSet that
// is not levy's QueryOrderResponse.
type hostOrder struct {
	id     string
	remits []notify.RemitOrder
}

func (o hostOrder) RemitOrders() (string, []notify.RemitOrder) { return o.id, o.remits }

// TestCloseNotificationRemitOrderSet: CloseOrderNotification.RemitOrder
// looks the closed remit order up in any RemitOrderSet, by request_id and
// location.
func TestCloseNotificationRemitOrderSet(t *testing.T) {
	t.Parallel()
	o := hostOrder{"R1", []notify.RemitOrder{{OrderID: "RO1", TaxAgentLocationID: "101"}, {OrderID: "RO2", TaxAgentLocationID: "102"}}}
	n := &notify.CloseOrderNotification{RequestID: "R1", RemitStatus: notify.RemitStatusClose, TaxAgentLocationID: "101"}
	if r, ok := n.RemitOrder(o); !ok || r.OrderID != "RO1" {
		t.Errorf("RemitOrder(host order) = %+v, %v; want RO1", r, ok)
	}
	for _, q := range []notify.RemitOrderSet{nil, hostOrder{"R2", o.remits}, hostOrder{"R1", o.remits[1:]}} {
		if r, ok := n.RemitOrder(q); ok {
			t.Errorf("RemitOrder(%v) = %+v; want none", q, r)
		}
	}
}
