package allinpay_test

import (
	"context"
	"errors"
	"regexp"
	"testing"
	"time"

	"github.com/bizapi-cn/go-sdk/allinpay"
)

// TestRawCall (issue 18): a form with fields the typed requests lack is
// signed and verified like every other call (the fake checks the
// signature over all of them); header fields cannot be overridden.
func TestRawCall(t *testing.T) {
	t.Parallel()
	srv, c, _, notify := newFlow(t)
	ctx := context.Background()
	r, err := c.Do(ctx, &allinpay.RawRequest{TransType: allinpay.TransTypeWxpayScancode, OutTransNo: "RAW-1", Fields: map[string]string{
		"transAmount": "100", "currency": "HKD", "notifyUrl": notify, "terminalId": "T-9", "discountAmount": "0", "webNotifyUrl": "https://m.example.com/w"}})
	if err != nil || !r.Processing() || r.OutTransNo != "RAW-1" {
		t.Fatalf("Do = %+v, %v", r, err)
	}
	if o, ok := srv.Order("RAW-1"); !ok || o.Amount != 100 {
		t.Errorf("the fake has %+v", o)
	}
	q, err := c.Do(ctx, &allinpay.RawRequest{TransType: allinpay.TransTypeTransQuery, Fields: map[string]string{"oriOutTransNo": "RAW-1"}})
	if err != nil || q.Fields["transNo"] == "" {
		t.Errorf("raw query = %+v, %v", q, err)
	}
	var ve *allinpay.ValidationError
	if _, err := c.Do(ctx, &allinpay.RawRequest{TransType: allinpay.TransTypeTransQuery, Fields: map[string]string{"mchNo": "other", "a=b": "1"}}); !errors.As(err, &ve) || len(ve.Fields) != 2 {
		t.Errorf("overriding the header: %v", err)
	}
}

func TestOutTransNoAndPacer(t *testing.T) {
	t.Parallel()
	no := allinpay.NewOutTransNo()
	if !regexp.MustCompile(`^20\d{12}[0-9A-Za-z]{14}$`).MatchString(no) {
		t.Errorf("NewOutTransNo = %q", no)
	}
	var p allinpay.QueryPacer
	ctx := context.Background()
	if err := p.Wait(ctx, "O-1"); err != nil {
		t.Fatal(err)
	}
	if err := p.Wait(ctx, "O-2"); err != nil {
		t.Errorf("another order waits: %v", err)
	}
	short, cancel := context.WithTimeout(ctx, 20*time.Millisecond)
	defer cancel()
	if err := p.Wait(short, "O-1"); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("the same order at once: %v; want it held back 10 s", err)
	}
}

// TestWaitFinalPacing (§1.5.2.2, "the interval between each query should
// not be less than 10 seconds"): a second WaitFinal right after the first
// does not query the order again before 10 s.
func TestWaitFinalPacing(t *testing.T) {
	t.Parallel()
	srv, c, _, notify := newFlow(t)
	ctx := context.Background()
	if _, err := c.Pay(ctx, &allinpay.PayRequest{TransType: allinpay.TransTypeAlipayScancode, OutTransNo: "W-1", TransAmount: 1,
		Currency: allinpay.CurrencyHKD, NotifyURL: notify}); err != nil {
		t.Fatal(err)
	}
	// The first WaitFinal runs until its query has reached the fake, however
	// long a loaded machine takes to send it; only then is it stopped. A
	// fixed deadline here failed the test whenever the first query could
	// not be sent in time, which says nothing about pacing.
	first, stop := context.WithTimeout(ctx, 30*time.Second)
	defer stop() // ends the watcher below if the test stops early
	go func() {
		defer stop()
		for srv.Calls(allinpay.TransTypeTransQuery) == 0 && first.Err() == nil {
			time.Sleep(time.Millisecond)
		}
	}()
	if _, err := c.WaitFinal(first, &allinpay.QueryOrderRequest{OriOutTransNo: "W-1"}, time.Millisecond); !errors.Is(err, context.Canceled) {
		t.Fatalf("the first WaitFinal on a pending order = %v; want it stopped after its query", err)
	}
	short, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
	defer cancel()
	if _, err := c.WaitFinal(short, &allinpay.QueryOrderRequest{OriOutTransNo: "W-1"}, time.Millisecond); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("the second WaitFinal on a pending order = %v", err)
	}
	if n := srv.Calls(allinpay.TransTypeTransQuery); n != 1 {
		t.Errorf("%d queries by two WaitFinal calls within 10 s; want 1", n)
	}
}
