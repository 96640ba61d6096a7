package allinpay_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/bizapi-cn/go-sdk/allinpay"
	"github.com/bizapi-cn/go-sdk/allinpay/allinpaytest"
	"github.com/jarcoal/httpmock"
)

// FuzzParseNotify: no panic; anything accepted was signed by the platform
// key, so a body the fake signed always parses and a mutated one only
// parses when the mutation kept every signed field.
func FuzzParseNotify(f *testing.F) {
	srv, err := allinpaytest.NewServer()
	if err != nil {
		f.Fatal(err)
	}
	defer srv.Close()
	f.Add(srv.SignNotification(map[string]string{"transType": "WXPAY_SCANCODE", "outTransNo": "O", "transAmount": "1", "currency": "HKD", "transNo": "T1", "payTime": "20240101000000", "resultCode": "0000"}))
	f.Add([]byte("outTransNo=O&signature=AAAA"))
	v, err := allinpay.NewNotificationVerifier(allinpay.WithMerchant(srv.AccessCode, srv.MchNo), allinpay.WithPlatformPublicKeys(srv.PlatformPublicKey))
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		n, err := allinpay.ParseNotification(context.Background(), v, nil, body)
		if err != nil {
			_ = err.Error() // prints safely
			if !errors.Is(err, allinpay.ErrInvalidSignature) && !errors.Is(err, allinpay.ErrMalformedNotification) {
				t.Fatalf("untyped error: %v", err)
			}
			return
		}
		if n.OutTransNo == "" || n.Fields["signature"] == "" || n.MchNo != srv.MchNo || n.IdempotencyKey() == "" {
			t.Fatalf("accepted %+v", n)
		}
	})
}

// FuzzBillReader: any input ends in io.EOF (totals matched) or an error,
// never a panic or an endless loop; rows read never exceed lines.
func FuzzBillReader(f *testing.F) {
	row := "20240101,M1,Shop,T1,O1,ALIPAY_SCANCODE,,,,,2024-01-01 10:00:00,HKD,10.50,0.00,HKD,10.44,0.06,10.50,0.00,1.0000,,"
	f.Add(row + "\nSummary,20240101,HKD,10.50,0.06,10.44,1,10.50,0.00\n")
	f.Add("Summary,1,HKD,0,0,0,0,0,0")
	f.Add("\r\n\r\n,,,\n")
	f.Fuzz(func(t *testing.T, in string) {
		br := allinpay.NewBillReader(strings.NewReader(in))
		lines := strings.Count(in, "\n") + 1
		for i := 0; ; i++ {
			_, err := br.Next()
			if err != nil {
				_ = err.Error() // prints safely
				if errors.Is(err, io.EOF) && int64(i) != br.Summary().Count {
					t.Fatalf("EOF after %d rows but the summary counts %d", i, br.Summary().Count)
				}
				return
			}
			if i > lines {
				t.Fatal("more rows than lines")
			}
		}
	})
}

// FuzzResponse: whatever the gateway answers, the client returns a typed
// result or error, and never accepts a 0000 answer the platform did not
// sign.
func FuzzResponse(f *testing.F) {
	f.Add([]byte(`{"returnCode":"0000","resultCode":"0000","transAmount":1}`), 200)
	f.Add([]byte(`{"returnCode":"9999","returnMsg":"x"}`), 500)
	f.Add([]byte(`[]`), 200)
	f.Fuzz(func(t *testing.T, body []byte, status int) {
		if status < 100 || status > 599 {
			return
		}
		mt := httpmock.NewMockTransport()
		mt.RegisterNoResponder(httpmock.NewBytesResponder(status, body))
		mp, pp, _, _ := vectorKeys(t)
		c, _ := allinpay.NewClient(allinpay.WithMerchant("a", "b"), allinpay.WithKeys(mp, pp), allinpay.WithBaseURL(allinpay.TestBaseURL),
			allinpay.WithHTTPClient(&http.Client{Transport: mt}), allinpay.WithRetries(0))
		q, err := c.QueryOrder(context.Background(), &allinpay.QueryOrderRequest{OriOutTransNo: "O"})
		if err != nil {
			_ = err.Error()
		}
		p, perr := c.Pay(context.Background(), &allinpay.PayRequest{TransType: allinpay.TransTypeWxpayScancode, OutTransNo: "O", TransAmount: 1,
			Currency: allinpay.CurrencyHKD, NotifyURL: "https://x.invalid/n"})
		if perr == nil {
			t.Fatalf("payment accepted an unsigned answer: %+v", p)
		}
		if !errors.Is(perr, allinpay.ErrOutcomeUnknown) {
			t.Fatalf("payment: %v; an unsigned answer is no answer", perr)
		}
		if err == nil {
			t.Fatalf("accepted an unsigned answer: %+v", q)
		}
	})
}

// FuzzBillAnswer: whatever a bill download answers, DownloadBill returns
// a typed result or error that prints, never panics, and leaves no
// temporary file behind.
func FuzzBillAnswer(f *testing.F) {
	dir := f.TempDir()
	f.Setenv("TMPDIR", dir)
	f.Add([]byte(`{"returnCode":"0000","resultCode":"0000","billData":"U3VtbWFyeQ=="}`))
	f.Add([]byte(`{"billData":"AB\/C","billData":null}`))
	f.Add([]byte(`{"a":{"b":["\"}"]},"billData":12}`))
	mp, pp, _, _ := vectorKeys(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		mt := httpmock.NewMockTransport()
		mt.RegisterNoResponder(httpmock.NewBytesResponder(200, body))
		c, _ := allinpay.NewClient(allinpay.WithMerchant("a", "b"), allinpay.WithKeys(mp, pp), allinpay.WithBaseURL(allinpay.TestBaseURL),
			allinpay.WithHTTPClient(&http.Client{Transport: mt}), allinpay.WithRetries(0))
		resp, err := c.DownloadBill(context.Background(), &allinpay.DownloadBillRequest{BillDate: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)})
		if err == nil {
			t.Fatalf("accepted an unsigned bill: %+v", resp)
		}
		_ = err.Error()
		if left, _ := filepath.Glob(filepath.Join(dir, "allinpay-bill-*")); len(left) != 0 {
			t.Fatalf("temporary files left: %v", left)
		}
	})
}
