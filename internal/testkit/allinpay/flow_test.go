package allinpay_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/bizapi-cn/go-sdk/allinpay"
	"github.com/bizapi-cn/go-sdk/allinpay/allinpaytest"
)

type received struct {
	mu sync.Mutex
	n  []*allinpay.Notification
	ch chan *allinpay.Notification
}

func newFlow(t *testing.T, opts ...allinpaytest.ServerOption) (*allinpaytest.Server, *allinpay.Client, *received, string) {
	t.Helper()
	srv, err := allinpaytest.NewServer(opts...)
	if err != nil {
		t.Fatal(err)
	}
	c, err := allinpay.NewClient(allinpay.WithMerchant(srv.AccessCode, srv.MchNo), allinpay.WithKeys(srv.MerchantPrivateKey, srv.PlatformPublicKey),
		allinpay.WithBaseURL(srv.URL))
	if err != nil {
		t.Fatal(err)
	}
	r := &received{ch: make(chan *allinpay.Notification, 16)}
	h, err := allinpay.NewNotificationHandler(c.NotificationVerifier(), func(_ context.Context, n *allinpay.Notification) error {
		r.mu.Lock()
		r.n = append(r.n, n)
		r.mu.Unlock()
		r.ch <- n
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	recv := httptest.NewServer(h)
	t.Cleanup(func() { srv.Close(); recv.Close() })
	return srv, c, r, recv.URL
}

func (r *received) wait(t *testing.T) *allinpay.Notification {
	t.Helper()
	select {
	case n := <-r.ch:
		return n
	case <-time.After(5 * time.Second):
		t.Fatal("no notification")
		return nil
	}
}

func TestFlowScanPayRefundBill(t *testing.T) {
	t.Parallel()
	// The orders are paid yesterday (the fake's clock), and the bill is
	// asked for today: the spec serves a day's file from the next day on.
	var offset atomic.Int64
	offset.Store(int64(-24 * time.Hour))
	yesterday := func() time.Time { return time.Now().Add(-24 * time.Hour) }
	srv, c, r, notify := newFlow(t, allinpaytest.WithClock(func() time.Time { return time.Now().Add(time.Duration(offset.Load())) }))
	ctx := context.Background()
	p, err := c.Pay(ctx, &allinpay.PayRequest{TransType: allinpay.TransTypeAlipayScancode, OutTransNo: "O-1", TransAmount: 1050,
		Currency: allinpay.CurrencyHKD, NotifyURL: notify, GoodsSubject: "童装"})
	if err != nil || !p.Processing() || p.CodeURL == "" {
		t.Fatalf("Pay = %+v, %v; want P000 with a codeUrl", p, err)
	}
	if err := srv.SimulatePay("O-1"); err != nil {
		t.Fatal(err)
	}
	n := r.wait(t)
	if !n.Succeeded() || n.TransAmount != 1050 || n.PayTime.IsZero() || n.OutTransNo != "O-1" {
		t.Errorf("notification = %+v", n)
	}
	q, err := c.QueryOrder(ctx, &allinpay.QueryOrderRequest{OriOutTransNo: "O-1"})
	if err != nil || q.ResultCode != allinpay.ResultCodeSuccess || q.TransAmount != 1050 {
		t.Fatalf("QueryOrder = %+v, %v", q, err)
	}
	if _, err := c.Refund(ctx, &allinpay.RefundRequest{TransType: allinpay.TransTypeAlipayScancode.ReturnType(), OutTransNo: "RF-1", OriOutTransNo: "O-1",
		TransAmount: 50, Currency: allinpay.CurrencyHKD, NotifyURL: notify, RefundReason: "size"}); err != nil {
		t.Fatal(err)
	}
	_, err = c.Refund(ctx, &allinpay.RefundRequest{TransType: allinpay.TransTypeAlipayReturn, OutTransNo: "RF-2", OriOutTransNo: "O-1",
		TransAmount: 1001, Currency: allinpay.CurrencyHKD, NotifyURL: notify})
	var apiErr *allinpay.APIError
	if !errors.As(err, &apiErr) || apiErr.ResultCode != allinpay.ResultCodeIllegalAmount {
		t.Errorf("refund over the paid amount: %v; want resultCode 0027", err)
	}
	_, err = c.Pay(ctx, &allinpay.PayRequest{TransType: allinpay.TransTypeAlipayScancode, OutTransNo: "O-1", TransAmount: 1, Currency: allinpay.CurrencyHKD, NotifyURL: notify})
	if !errors.As(err, &apiErr) || apiErr.ResultCode != allinpay.ResultCodeOrderPaid || apiErr.Meaning() != allinpay.MeaningQueryOrder {
		t.Errorf("the outTransNo of a paid order again: %v; want 0074", err)
	}
	if _, err := c.DownloadBill(ctx, &allinpay.DownloadBillRequest{BillDate: time.Now()}); err == nil {
		t.Error("today's bill asked for today")
	}
	offset.Store(0)
	b, err := c.DownloadBill(ctx, &allinpay.DownloadBillRequest{BillDate: yesterday()})
	if err != nil {
		t.Fatal(err)
	}
	br := b.Reader()
	rows := 0
	for {
		row, err := br.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		rows++
		if row.TransCurrency != allinpay.CurrencyHKD || row.TransTime.IsZero() || row.MchName != "Test Merchant, Hong Kong" ||
			row.TransType.Kind() == allinpay.KindPayment && row.PayAmount != 1050 || row.TransType.Kind() == allinpay.KindRefund && row.PayAmount != -50 {
			t.Errorf("bill row = %+v", row)
		}
	}
	// The payment and its refund; the summary is net.
	if rows != 2 || br.Summary().Count != 2 || br.Summary().PayAmount != 1000 || len(br.Totals()) != 2 {
		t.Errorf("bill: %d rows, summary %+v, totals %+v", rows, br.Summary(), br.Totals())
	}
}

func TestFlowMicropayVoidClose(t *testing.T) {
	t.Parallel()
	_, c, r, notify := newFlow(t)
	ctx := context.Background()
	p, err := c.Pay(ctx, &allinpay.PayRequest{TransType: allinpay.TransTypeWxpayMicropay, OutTransNo: "M-1", TransAmount: 300,
		Currency: allinpay.CurrencyCNY, NotifyURL: notify, AuthCode: "134567890123456789"})
	if err != nil || p.ResultCode != allinpay.ResultCodeSuccess {
		t.Fatalf("micropay = %+v, %v", p, err)
	}
	r.wait(t)
	if _, err := c.Void(ctx, &allinpay.VoidRequest{TransType: allinpay.TransTypeWxpayCancel, OutTransNo: "V-1", OriOutTransNo: "M-1", NotifyURL: notify}); err != nil {
		t.Errorf("same-day void: %v", err)
	}
	if _, err := c.CloseOrder(ctx, &allinpay.CloseOrderRequest{OutTransNo: "C-0", OriOutTransNo: "M-1", NotifyURL: notify}); err == nil {
		t.Error("closing a paid (voided) order succeeded")
	}
	if _, err := c.Pay(ctx, &allinpay.PayRequest{TransType: allinpay.TransTypeAlipayScancode, OutTransNo: "U-1", TransAmount: 5, Currency: allinpay.CurrencyCNY, NotifyURL: notify}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.CloseOrder(ctx, &allinpay.CloseOrderRequest{OutTransNo: "C-1", OriOutTransNo: "U-1", NotifyURL: notify}); err != nil {
		t.Errorf("closing an unpaid order: %v", err)
	}
}

func TestFlowFaults(t *testing.T) {
	t.Parallel()
	srv, c, _, notify := newFlow(t)
	ctx := context.Background()
	pay := func(no string) error {
		_, err := c.Pay(ctx, &allinpay.PayRequest{TransType: allinpay.TransTypeWxpayScancode, OutTransNo: no, TransAmount: 1, Currency: allinpay.CurrencyHKD, NotifyURL: notify})
		return err
	}
	srv.Inject(allinpaytest.Fault{Kind: allinpaytest.FaultProcessThenDrop, Count: 1})
	err := pay("F-1")
	var ou *allinpay.OutcomeUnknownError
	if !errors.As(err, &ou) || !errors.Is(err, allinpay.ErrOutcomeUnknown) || ou.Key != "F-1" || srv.Calls(allinpay.TransTypeWxpayScancode) != 1 {
		t.Errorf("dropped payment: %v after %d requests; want ErrOutcomeUnknown for F-1 after 1", err, srv.Calls(allinpay.TransTypeWxpayScancode))
	}
	if _, ok := srv.Order("F-1"); !ok {
		t.Error("the fake did not record the order the client gave up on")
	}
	if q, err := c.Reconcile(ctx, err); err != nil || q.OutTransNo != "F-1" || !q.Processing() {
		t.Errorf("Reconcile = %+v, %v; want the pending order", q, err)
	}
	// The spec asks for 10 s between queries of an order: a 500 is not
	// retried at once, it is an *HTTPError.
	srv.Inject(allinpaytest.Fault{Kind: allinpaytest.FaultStatus500, Count: 1})
	var he *allinpay.HTTPError
	if _, err := c.QueryOrder(ctx, &allinpay.QueryOrderRequest{OriOutTransNo: "F-1"}); !errors.As(err, &he) || he.HTTPStatusCode() != 500 || srv.Calls(allinpay.TransTypeTransQuery) != 2 {
		t.Errorf("query after a 500: %v, %d requests; want an *HTTPError 500 and no retry", err, srv.Calls(allinpay.TransTypeTransQuery))
	}
	srv.Inject(allinpaytest.Fault{Kind: allinpaytest.FaultBadSignature, Count: 1})
	if err := pay("F-2"); !errors.Is(err, allinpay.ErrInvalidSignature) || !errors.Is(err, allinpay.ErrOutcomeUnknown) {
		t.Errorf("tampered answer: %v; want ErrOutcomeUnknown caused by ErrInvalidSignature", err)
	}
	// A close whose answer is lost: its Key is the original's (a close is
	// no order: the fake answers 0007 for its number), and Reconcile reads
	// the original, closed.
	if err := pay("F-3"); err != nil {
		t.Fatal(err)
	}
	srv.Inject(allinpaytest.Fault{Kind: allinpaytest.FaultProcessThenDrop, Count: 1})
	_, err = c.CloseOrder(ctx, &allinpay.CloseOrderRequest{OutTransNo: "C-3", OriOutTransNo: "F-3", NotifyURL: notify})
	if !errors.As(err, &ou) || ou.Key != "F-3" {
		t.Fatalf("dropped close: %v; want ErrOutcomeUnknown keyed by the original F-3", err)
	}
	if o, _ := srv.Order("F-3"); o.Status != allinpaytest.OrderStatusClosed {
		t.Fatalf("the fake did not close F-3: %+v", o)
	}
	var ae *allinpay.APIError
	if _, err := c.Reconcile(ctx, err); !errors.As(err, &ae) || ae.ResultCode != allinpay.ResultCodeOrderClosed {
		t.Errorf("Reconcile after the close = %v; want the original's state, %s (closed)", err, allinpay.ResultCodeOrderClosed)
	}
	other, _ := allinpaytest.NewServer()
	defer other.Close()
	_, pp, _, _ := vectorKeys(t)
	wrong, _ := allinpay.NewClient(allinpay.WithMerchant("20000000", "6666666600003"), allinpay.WithKeys(srv.MerchantPrivateKey, pp), allinpay.WithBaseURL(srv.URL))
	if _, err := wrong.QueryOrder(ctx, &allinpay.QueryOrderRequest{OriOutTransNo: "F-1"}); err != nil {
		t.Errorf("the vector platform key is the fake's: %v", err)
	}
}

func TestNotifyRefusesForgeries(t *testing.T) {
	t.Parallel()
	srv, c, r, _ := newFlow(t)
	h, err := allinpay.NewNotificationHandler(c.NotificationVerifier(), func(context.Context, *allinpay.Notification) error { return nil })
	if err != nil {
		t.Fatal(err)
	}
	good := map[string]string{"transType": "ALIPAY_SCANCODE", "outTransNo": "O-9", "transAmount": "100", "currency": "HKD", "resultCode": "0000", "transNo": "T9", "payTime": "20240101120000", "mchNo": "6666666600003"}
	body := srv.SignNotification(good)
	serve := func(b []byte) (int, string) {
		rec := httptest.NewRecorder()
		req := httptest.NewRequest(http.MethodPost, "/n", bytes.NewReader(b))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		h.ServeHTTP(rec, req)
		return rec.Code, rec.Body.String()
	}
	if code, s := serve(body); code != 200 || s != "SUCCESS" {
		t.Fatalf("genuine = %d %s", code, s)
	}
	for name, b := range map[string][]byte{
		"amount changed": bytes.Replace(body, []byte("transAmount=100"), []byte("transAmount=999"), 1),
		"field added":    append(append([]byte{}, body...), "&extra=1"...),
		"field twice":    append(append([]byte{}, body...), "&transAmount=100"...),
		"no signature":   []byte("outTransNo=O-9&transAmount=100"),
		"oversized":      bytes.Repeat([]byte("a"), 70<<10),
	} {
		if code, s := serve(b); code == 200 || s == "SUCCESS" {
			t.Errorf("%s: answered %d %s", name, code, s)
		}
	}
	_ = r
	n, err := allinpay.ParseNotification(context.Background(), c.NotificationVerifier(), nil, body)
	if err != nil || n.PayTime.Hour() != 12 || n.PayTime.Location().String() != "CST" {
		t.Errorf("ParseNotify payTime = %v, %v; want 12:00 in UTC+8", n.PayTime, err)
	}
	if _, err := allinpay.ParseNotification(context.Background(), c.NotificationVerifier(), http.Header{"Content-Type": {"application/json"}}, body); !errors.Is(err, allinpay.ErrMalformedNotification) {
		t.Errorf("JSON content type: %v", err)
	}
}

func TestBillReader(t *testing.T) {
	t.Parallel()
	row := "20240101,M1,Shop,T1,O1,ALIPAY_SCANCODE,,,,,2024-01-01 10:00:00,HKD,10.50,0.00,HKD,10.44,0.06,10.50,0.00,1.0000,,"
	for name, c := range map[string]struct {
		file string
		err  error
		rows int
	}{
		"LF, trailing newline": {row + "\n" + row + "\nSummary,20240101,HKD,21.00,0.12,20.88,2,21.00,0.00\n", nil, 2},
		"CRLF, no trailing":    {row + "\r\n" + "Summary,20240101,HKD,10.50,0.06,10.44,1,10.50,0.00", nil, 1},
		"blank lines":          {"\n" + row + "\n\n" + "Summary,20240101,HKD,10.50,0.06,10.44,1,10.50,0.00\n\n", nil, 1},
		"only summary":         {"Summary,20240101,HKD,0,0,0,0,0,0\n", nil, 0},
		"count mismatch":       {row + "\nSummary,20240101,HKD,10.50,0.06,10.44,2,10.50,0.00\n", allinpay.ErrBillMismatch, 1},
		"total mismatch":       {row + "\nSummary,20240101,HKD,10.51,0.06,10.44,1,10.50,0.00\n", allinpay.ErrBillMismatch, 1},
	} {
		br := allinpay.NewBillReader(strings.NewReader(c.file))
		rows := 0
		var err error
		for {
			_, err = br.Next()
			if err != nil {
				break
			}
			rows++
		}
		if c.err == nil && !errors.Is(err, io.EOF) || c.err != nil && !errors.Is(err, c.err) || rows != c.rows {
			t.Errorf("%s: %d rows, err %v; want %d rows, %v", name, rows, err, c.rows, c.err)
		}
	}
	for name, f := range map[string]string{"empty": "", "bad columns": "a,b\nSummary,1,HKD,0,0,0,0,0,0\n", "three decimals that do not add up": strings.Replace(row, "10.50", "10.505", 1) + "\nSummary,20240101,HKD,0,0,0,1,0,0\n"} {
		br := allinpay.NewBillReader(strings.NewReader(f))
		if _, err := br.Next(); err == nil || errors.Is(err, io.EOF) {
			t.Errorf("%s: Next = %v; want an error", name, err)
		}
	}
	_ = base64.StdEncoding
}

// TestFlowDuplicateNotifications: the fake pushes every notification twice
// at once; the host handles each payment once, and both pushes end
// acknowledged.
func TestFlowDuplicateNotifications(t *testing.T) {
	t.Parallel()
	srv, c, r, notify := newFlow(t)
	srv.Inject(allinpaytest.Fault{Kind: allinpaytest.FaultDuplicateNotify})
	ctx := context.Background()
	for _, no := range []string{"D-1", "D-2", "D-3"} {
		if _, err := c.Pay(ctx, &allinpay.PayRequest{TransType: allinpay.TransTypeAlipayMicropay, OutTransNo: no, TransAmount: 7,
			Currency: allinpay.CurrencyHKD, NotifyURL: notify, AuthCode: "280000000000000000"}); err != nil {
			t.Fatal(err)
		}
	}
	srv.WaitNotifications()
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.n) != 3 {
		t.Errorf("host handled %d notifications; want 3 (one per payment)", len(r.n))
	}
	for _, no := range []string{"D-1", "D-2", "D-3"} {
		if d := srv.Delivered(no); d != 2 {
			t.Errorf("%s acknowledged %d times; want both pushes acknowledged", no, d)
		}
	}
}
