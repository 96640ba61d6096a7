package levy_test

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/bizapi-cn/go-sdk/levy"
	"github.com/bizapi-cn/go-sdk/levy/levytest"
)

func noticeClient(t *testing.T) (*levy.Client, *levytest.Server) {
	t.Helper()
	srv := newFake(t)
	c, err := levy.NewClient(levy.WithCredentials(srv.ClientKey, srv.Secret), levy.WithBaseURL(srv.URL))
	if err != nil {
		t.Fatal(err)
	}
	return c, srv
}

func TestParseNoticeKinds(t *testing.T) {
	t.Parallel()
	c, srv := noticeClient(t)
	ctx := context.Background()
	cases := []struct {
		name  levy.Operation
		data  map[string]any
		check func(any) bool
	}{
		{levy.OperationSyncSign, map[string]any{"request_id": "S1", "status": "SIGN"}, func(d any) bool { return d.(*levy.SignNotification).Status == levy.SignStatusSign }},
		{levy.OperationCreateOrder, map[string]any{"request_id": "R1", "status": "CLOSE", "remit_order_list": []any{map[string]any{"order_id": "RO1", "amount": "12.34", "remit_status": "ACCEPT"}}},
			func(d any) bool {
				o := d.(*levy.OrderNotification)
				return o.RemitOrderList[0].Amount == levy.Fen(1234)
			}},
		{levy.OperationUploadTaxpayerAgreement, map[string]any{"request_id": "U1", "status": "FAIL", "contract_id": "K1"}, func(d any) bool { return d.(*levy.AgreementNotification).Status == levy.AgreementStatusFail }},
		{levy.OperationUploadIDCardImage, map[string]any{"requestId": "I1", "status": "IDENTIFY_FAIL", "failReason": "模糊"}, func(d any) bool { return d.(*levy.IDCardImageNotification).FailReason == "模糊" }},
		{levy.OperationSignUp, map[string]any{"id_card": "110101199003074477", "status": "SIGN"}, func(d any) bool { return d.(*levy.SignUpNotification).Status == levy.SignStatusSign }},
		{levy.OperationCloseOrderNotice, map[string]any{"request_id": "R1", "remit_status": "CLOSE", "tax_agent_location_id": "101", "close_time": "2024-03-04T10:00:00.000", "Close_reason": "超时"},
			func(d any) bool {
				n := d.(*levy.CloseOrderNotification)
				return n.CloseReason == "超时" && n.TaxAgentLocationID == "101"
			}},
	}
	for _, c2 := range cases {
		n, err := parseNotice(ctx, c, "application/x-www-form-urlencoded", srv.SignNotification(string(c2.name), c2.data))
		if err != nil || n.Operation != c2.name || n.Data == nil || !c2.check(n.Data) {
			t.Errorf("%s: ParseNotice = %+v, %v", c2.name, n, err)
		}
	}
	n, err := parseNotice(ctx, c, "", srv.SignNotification("SOMETHING_NEW", map[string]any{"x": 1}))
	if err != nil || n.Data != nil || string(n.Raw) != `{"x":1}` {
		t.Errorf("unknown name: %+v, %v; want raw data kept", n, err)
	}
}

func TestParseNoticeRefuses(t *testing.T) {
	t.Parallel()
	c, srv := noticeClient(t)
	good := srv.SignNotification(string(levy.OperationSyncSign), map[string]any{"request_id": "S1", "status": "SIGN"})
	form, _ := url.ParseQuery(string(good))
	tampered := url.Values{"req": {form.Get("req") + " "}, "sign": {form.Get("sign")}}
	dup := string(good) + "&sign=" + url.QueryEscape(form.Get("sign"))
	other := newFake(t, levytest.WithCredentials("k", "another-secret"))
	defer other.Close()
	for name, body := range map[string]string{
		"tampered req":   tampered.Encode(),
		"duplicate sign": dup,
		"other secret":   string(other.SignNotification(string(levy.OperationSyncSign), map[string]any{"request_id": "S1"})),
		"no sign":        url.Values{"req": {form.Get("req")}}.Encode(),
		"garbage":        "%zz",
	} {
		_, err := parseNotice(context.Background(), c, "", []byte(body))
		if !errors.Is(err, levy.ErrInvalidSignature) && !errors.Is(err, levy.ErrMalformedNotification) {
			t.Errorf("%s: err = %v; want ErrInvalidSignature or ErrMalformedNotice", name, err)
		}
	}
	if _, err := parseNotice(context.Background(), c, "application/json", good); !errors.Is(err, levy.ErrMalformedNotification) {
		t.Errorf("JSON content type: %v", err)
	}
}

// TestNoticeHandlerConcurrentDuplicates: 50 notices, each delivered 4
// times at once, reach the host once each; a failing host gets FAIL and
// the redelivery is handled.
func TestNoticeHandlerConcurrentDuplicates(t *testing.T) {
	t.Parallel()
	c, srv := noticeClient(t)
	var mu sync.Mutex
	seen := map[string]int{}
	var failOnce atomic.Bool
	failOnce.Store(true)
	h := noticeHandler(t, c, func(_ context.Context, n *levy.Notification) error {
		id := n.Data.(*levy.SignNotification).RequestID
		if id == "S-0" && failOnce.Swap(false) {
			return errors.New("db down")
		}
		mu.Lock()
		seen[id]++
		mu.Unlock()
		return nil
	})
	ts := httptest.NewServer(h)
	defer ts.Close()
	var wg sync.WaitGroup
	for i := range 50 {
		body := srv.SignNotification(string(levy.OperationSyncSign), map[string]any{"request_id": "S-" + strconv.Itoa(i), "status": "SIGN"})
		for range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for attempt := 0; attempt < 20; attempt++ {
					resp, err := http.Post(ts.URL, "application/x-www-form-urlencoded", bytes.NewReader(body))
					if err != nil {
						continue
					}
					var b [8]byte
					n, _ := resp.Body.Read(b[:])
					resp.Body.Close()
					if string(b[:n]) == "SUCCESS" {
						return
					}
				}
				t.Error("a notice was never acknowledged")
			}()
		}
	}
	wg.Wait()
	if len(seen) != 50 {
		t.Errorf("distinct notices handled = %d; want 50", len(seen))
	}
	for id, n := range seen {
		if n != 1 {
			t.Errorf("%s handled %d times", id, n)
		}
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/", bytes.NewReader([]byte("req=x&sign=y"))))
	if rec.Code == 200 || rec.Body.String() == "SUCCESS" {
		t.Errorf("forged notice answered %d %q", rec.Code, rec.Body.String())
	}
}
