package allinpay_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"

	"github.com/bizapi-cn/go-sdk/allinpay"
	"github.com/bizapi-cn/go-sdk/internal/fault"
	"github.com/bizapi-cn/go-sdk/internal/transport"
)

// TestResponseSizeLimit: an endless answer is cut at the limit; a query
// fails (not retried: the 10 s rule), a payment is reported as
// ErrOutcomeUnknown after one request, a bill is retried.
func TestResponseSizeLimit(t *testing.T) {
	t.Parallel()
	var calls atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		_, _ = io.Copy(w, io.LimitReader(fault.Endless{}, 256<<20))
	}))
	defer srv.Close()
	mp, pp, _, _ := vectorKeys(t)
	c, err := allinpay.NewClient(allinpay.WithMerchant("20000000", "6666666600003"), allinpay.WithKeys(mp, pp), allinpay.WithBaseURL(srv.URL),
		allinpay.WithMaxResponseBytes(64<<10), allinpay.WithMaxBillBytes(1<<20), allinpay.WithRetries(1))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.QueryOrder(context.Background(), &allinpay.QueryOrderRequest{OriOutTransNo: "O-1"}); !errors.Is(err, transport.ErrBodyTooLarge) || calls.Load() != 1 {
		t.Errorf("query: %v after %d requests", err, calls.Load())
	}
	calls.Store(0)
	_, err = c.Pay(context.Background(), &allinpay.PayRequest{TransType: allinpay.TransTypeWxpayScancode, OutTransNo: "O-2", TransAmount: 1, Currency: allinpay.CurrencyHKD, NotifyURL: "https://x.invalid/n"})
	if !errors.Is(err, allinpay.ErrOutcomeUnknown) || !errors.Is(err, transport.ErrBodyTooLarge) || calls.Load() != 1 {
		t.Errorf("pay: %v after %d requests", err, calls.Load())
	}
	calls.Store(0)
	_, err = c.DownloadBill(context.Background(), &allinpay.DownloadBillRequest{BillDate: time.Now().AddDate(0, 0, -2)})
	if !errors.Is(err, transport.ErrBodyTooLarge) || calls.Load() != 2 {
		t.Errorf("bill: %v after %d requests; want the limit and one retry", err, calls.Load())
	}
}

// TestBillLimits: the bill reader holds one line at a time and refuses a
// line over 64 KiB, so a hostile bill cannot make it allocate without
// bound; billData is decoded as it is read.
func TestBillLimits(t *testing.T) {
	t.Parallel()
	r := allinpay.NewBillReader(io.MultiReader(strings.NewReader("a,b,c\n"), io.LimitReader(fault.Endless{}, 1<<20)))
	var err error
	for range 3 {
		if _, err = r.Next(); err != nil {
			break
		}
	}
	if err == nil || !strings.Contains(err.Error(), "longer than 64 KiB") {
		t.Errorf("a 1 MiB line: %v; want it refused", err)
	}
}

// TestManyMembersRefused: an unsigned answer of thousands of tiny members
// (1.25 MiB of maps from 64 KiB, BenchmarkHostileAllinpay) is refused
// before a field map is built; its bytes never reach the verifier.
func TestManyMembersRefused(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	b.WriteString(`{"returnCode":"0000"`)
	for i := range 600 {
		b.WriteString(`,"f` + strconv.Itoa(i) + `":""`)
	}
	b.WriteString("}")
	c, mt := mockClient(t, "Q-1")
	mt.RegisterNoResponder(httpmock.NewStringResponder(200, b.String()))
	if _, err := c.QueryOrder(context.Background(), &allinpay.QueryOrderRequest{OriOutTransNo: "O-1"}); !errors.Is(err, allinpay.ErrMalformedResponse) ||
		!strings.Contains(err.Error(), "more than 512 members") {
		t.Errorf("600 members: %v; want ErrMalformedResponse, more than 512 members", err)
	}
}
