package levy_test

import (
	"context"
	"errors"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/bizapi-cn/go-sdk/levy"
	"github.com/bizapi-cn/go-sdk/levy/levytest"
)

// notices collects the notices a NoticeHandler accepted.
type notices struct {
	mu  sync.Mutex
	got []*levy.Notification
	ch  chan *levy.Notification
}

func (n *notices) handle(_ context.Context, x *levy.Notification) error {
	n.mu.Lock()
	n.got = append(n.got, x)
	n.mu.Unlock()
	n.ch <- x
	return nil
}

func (n *notices) wait(t *testing.T, name levy.Operation) *levy.Notification {
	t.Helper()
	for {
		select {
		case x := <-n.ch:
			if x.Operation == name {
				return x
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("no %s notice", name)
		}
	}
}

func newFlow(t *testing.T, opts ...levytest.ServerOption) (*levytest.Server, *levy.Client, *notices) {
	t.Helper()
	srv := newFake(t, opts...)
	c, err := levy.NewClient(levy.WithCredentials(srv.ClientKey, srv.Secret), levy.WithBaseURL(srv.URL), levy.WithHTTPClient(srv.Client()))
	if err != nil {
		t.Fatal(err)
	}
	n := &notices{ch: make(chan *levy.Notification, 16)}
	recv := httptest.NewServer(noticeHandler(t, c, n.handle))
	srv.SetNotifyURL(recv.URL)
	t.Cleanup(func() { srv.Close(); recv.Close() })
	return srv, c, n
}

func orderRequest(id string) *levy.CreateOrderRequest {
	profit := levy.Yuan(1000)
	return &levy.CreateOrderRequest{RequestID: id, IDCard: "110101199003074477", Name: "李四", TaxAgentParentID: "12",
		CreditCode: "91110000MA01ABCD1X", Cellphone: "13800138000", BankcardNo: "6222020200112233445", Profit: &profit, TaxMode: levy.TaxModeGeneral}
}

// TestFlowOrderLifecycle: sign up, order, notice, query, confirm, query,
// agreement upload and its notice, against the fake.
func TestFlowOrderLifecycle(t *testing.T) {
	t.Parallel()
	srv, c, n := newFlow(t)
	ctx := context.Background()
	su, err := c.SignUp(ctx, &levy.SignUpRequest{IDCard: "110101199003074477", Name: "李四", Cellphone: "13800138000", BankcardNo: "6222020200112233445"})
	if err != nil || su.Status != levy.SignStatusAccept {
		t.Fatalf("SignUp = %+v, %v", su, err)
	}
	if _, err := c.CreateOrder(ctx, orderRequest("R-flow-1")); err != nil {
		t.Fatal(err)
	}
	on := n.wait(t, levy.OperationCreateOrder).Data.(*levy.OrderNotification)
	if on.RequestID != "R-flow-1" || len(on.RemitOrderList) != 1 || on.RemitOrderList[0].Amount != levy.Yuan(1000) || on.RemitOrderList[0].Fee != levy.Yuan(60) {
		t.Fatalf("order notice = %+v", on)
	}
	q, err := c.QueryOrder(ctx, &levy.QueryOrderRequest{RequestID: "R-flow-1"})
	if err != nil || q.RemitOrderList[0].RemitStatus != levy.RemitStatusAccept {
		t.Fatalf("QueryOrder = %+v, %v", q, err)
	}
	remitID := q.RemitOrderList[0].OrderID
	if _, err := c.ConfirmOrder(ctx, &levy.ConfirmOrderRequest{OrderID: remitID, ArisingTime: levy.Time{Time: time.Now()}, NextStep: levy.NextStepContinue}); err != nil {
		t.Fatal(err)
	}
	q, _ = c.QueryOrder(ctx, &levy.QueryOrderRequest{RequestID: "R-flow-1"})
	if q.RemitOrderList[0].RemitStatus != levy.RemitStatusProcess || q.ArisingTime.IsZero() {
		t.Errorf("after confirm: %+v; want PROCESS (§2.5)", q.RemitOrderList[0])
	}
	srv.Advance(time.Minute)
	q, _ = c.QueryOrder(ctx, &levy.QueryOrderRequest{RequestID: "R-flow-1"})
	if q.RemitOrderList[0].RemitStatus != levy.RemitStatusRemit {
		t.Errorf("after the tax is paid: %+v; want REMIT", q.RemitOrderList[0])
	}
	// Confirming twice is the provider's error, typed.
	_, err = c.ConfirmOrder(ctx, &levy.ConfirmOrderRequest{OrderID: remitID, ArisingTime: levy.Time{Time: time.Now()}, NextStep: levy.NextStepCancel})
	var apiErr *levy.APIError
	if !errors.As(err, &apiErr) {
		t.Errorf("second confirm: %v; want *APIError", err)
	}
	up, err := c.UploadTaxpayerAgreement(ctx, &levy.UploadTaxpayerAgreementRequest{RequestID: "U-1", IDCard: "110101199003074477", Name: "李四",
		Cellphone: "13800138000", TaxAgentLocationID: "101", ContractID: "K-1", ContractType: levy.ContractTypeSubstitutes, File: mustFile(t, pdfFile(t, "k.pdf"))})
	if err != nil || up.Status != levy.AgreementStatusAccept {
		t.Fatalf("UploadTaxpayerAgreement = %+v, %v", up, err)
	}
	an := n.wait(t, levy.OperationUploadTaxpayerAgreement).Data.(*levy.AgreementNotification)
	if an.Status != levy.AgreementStatusSuccess || an.FileID == "" {
		t.Errorf("agreement notice = %+v", an)
	}
	if srv.Calls(string(levy.OperationCreateOrder)) != 1 {
		t.Errorf("CREATE_ORDER_V2 calls = %d", srv.Calls(string(levy.OperationCreateOrder)))
	}
}

// TestFlowAutoClose: a remit order left unconfirmed for 72 hours is closed
// and CLOSE_ORDER_NOTICE arrives, even pushed twice (once handled).
func TestFlowAutoClose(t *testing.T) {
	t.Parallel()
	base := time.Now()
	srv, c, n := newFlow(t, levytest.WithClock(func() time.Time { return base }))
	ctx := context.Background()
	if _, err := c.CreateOrder(ctx, orderRequest("R-close")); err != nil {
		t.Fatal(err)
	}
	n.wait(t, levy.OperationCreateOrder)
	srv.Inject(levytest.Fault{Kind: levytest.FaultDuplicateNotification})
	srv.Advance(71 * time.Hour)
	srv.Advance(2 * time.Hour)
	cn := n.wait(t, levy.OperationCloseOrderNotice).Data.(*levy.CloseOrderNotification)
	if cn.RequestID != "R-close" || cn.RemitStatus != levy.RemitStatusClose || cn.CloseTime.IsZero() {
		t.Errorf("close notice = %+v", cn)
	}
	srv.WaitNotifications()
	n.mu.Lock()
	closes := 0
	for _, x := range n.got {
		if x.Operation == levy.OperationCloseOrderNotice {
			closes++
		}
	}
	n.mu.Unlock()
	if closes != 1 || srv.Delivered(string(levy.OperationCloseOrderNotice)) != 2 {
		t.Errorf("close notice handled %d times, acknowledged %d; want 1 and 2", closes, srv.Delivered(string(levy.OperationCloseOrderNotice)))
	}
}

// TestFlowFaults: what the client does with each fault, counted by the fake.
func TestFlowFaults(t *testing.T) {
	t.Parallel()
	srv, c, _ := newFlow(t)
	ctx := context.Background()

	srv.Inject(levytest.Fault{Kind: levytest.FaultStatus500, Count: 1})
	if _, err := c.QueryOrder(ctx, &levy.QueryOrderRequest{RequestID: "none"}); !errors.As(err, new(*levy.APIError)) || srv.Calls(string(levy.OperationQueryOrder)) != 2 {
		t.Errorf("query after one 500: err %v, calls %d; want the provider's answer on the retry", err, srv.Calls(string(levy.OperationQueryOrder)))
	}

	srv.Inject(levytest.Fault{Kind: levytest.FaultProcessThenDrop, Count: 1})
	_, err := c.CreateOrder(ctx, orderRequest("R-ambiguous"))
	if !errors.Is(err, levy.ErrOutcomeUnknown) || srv.Calls(string(levy.OperationCreateOrder)) != 1 {
		t.Fatalf("dropped create: err %v, calls %d; want ErrOutcomeUnknown after exactly 1 request", err, srv.Calls(string(levy.OperationCreateOrder)))
	}
	if q, err := c.QueryOrder(ctx, &levy.QueryOrderRequest{RequestID: "R-ambiguous"}); err != nil || q.RequestID != "R-ambiguous" {
		t.Errorf("the order did reach the provider: QueryOrder = %v, %v", q, err)
	}

	srv.Inject(levytest.Fault{Kind: levytest.FaultBadSignature, Count: 1})
	if _, err := c.CreateOrder(ctx, orderRequest("R-badsig")); !errors.Is(err, levy.ErrInvalidSignature) {
		t.Errorf("bad Api-Sign: %v; want ErrInvalidSignature", err)
	}

	// The deadline leaves a loaded machine time to send the request (the
	// check counts it at the fake) and still ends long before the answer.
	srv.Inject(levytest.Fault{Kind: levytest.FaultDelay, Delay: 3 * time.Second, Count: 1})
	short, cancel := context.WithTimeout(ctx, 500*time.Millisecond)
	defer cancel()
	_, err = c.CreateOrder(short, orderRequest("R-slow"))
	if !errors.Is(err, context.DeadlineExceeded) || !errors.Is(err, levy.ErrOutcomeUnknown) || srv.Calls(string(levy.OperationCreateOrder)) != 3 {
		t.Errorf("slow create: err %v, calls %d; want deadline exceeded, outcome unknown, no retry", err, srv.Calls(string(levy.OperationCreateOrder)))
	}

	wrong, _ := levy.NewClient(levy.WithCredentials(srv.ClientKey, "wrong-secret"), levy.WithBaseURL(srv.URL), levy.WithoutResponseVerification())
	if _, err := wrong.QueryOrder(ctx, &levy.QueryOrderRequest{RequestID: "x"}); !errors.Is(err, levy.ErrSignatureRejected) {
		t.Errorf("wrong secret: %v; want ErrSignatureRejected (0003)", err)
	}
}
