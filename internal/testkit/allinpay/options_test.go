package allinpay_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/bizapi-cn/go-sdk/allinpay"
	"github.com/bizapi-cn/go-sdk/allinpay/allinpaytest"
	"github.com/jarcoal/httpmock"
)

// TestOptionsRefused (issue 13): nil, empty and negative values are
// refused by the option, never a panic at the first call.
func TestOptionsRefused(t *testing.T) {
	t.Parallel()
	mp, pp, _, _ := vectorKeys(t)
	base := []allinpay.Option{allinpay.WithMerchant("20000000", "6666666600003"), allinpay.WithKeys(mp, pp), allinpay.WithBaseURL(allinpay.TestBaseURL)}
	for name, o := range map[string]allinpay.Option{
		"WithClock(nil)": allinpay.WithClock(nil), "WithRetries(-5)": allinpay.WithRetries(-5), "WithTimeout(-1)": allinpay.WithTimeout(-1),
		"WithHTTPClient(nil)": allinpay.WithHTTPClient(nil), "WithLogger(nil)": allinpay.WithLogger(nil), "WithSigner(nil)": allinpay.WithSigner(nil),
		"WithVerifier(nil)": allinpay.WithVerifier(nil), "WithRequestNoFunc(nil)": allinpay.WithRequestNoFunc(nil), "WithUserAgent(\"\")": allinpay.WithUserAgent(""),
		"WithVersion(\"\")": allinpay.WithVersion(""), "WithMaxResponseBytes(0)": allinpay.WithMaxResponseBytes(0), "WithMaxBillBytes(-1)": allinpay.WithMaxBillBytes(-1),
		"WithPlatformPublicKeys()": allinpay.WithPlatformPublicKeys(), "WithMerchant(\"\", \"\")": allinpay.WithMerchant("", ""), "nil": nil,
		"WithBaseURL(\"x\")": allinpay.WithBaseURL("x"), "WithPrivateKey(junk)": allinpay.WithPrivateKey([]byte("junk")),
	} {
		if c, err := allinpay.NewClient(append(base[:3:3], o)...); err == nil || c != nil {
			t.Errorf("%s: NewClient = %v, %v; want refused", name, c, err)
		}
	}
	if _, err := allinpay.NewClient(); err == nil || !strings.Contains(err.Error(), "missing WithMerchant, WithPrivateKey, WithPlatformPublicKeys, WithBaseURL") {
		t.Errorf("NewClient() = %v; want every missing option named", err)
	}
	var hs []allinpay.HandlerOption
	for _, o := range []allinpay.HandlerOption{allinpay.WithDedupStore(nil), allinpay.WithMaxBodyBytes(0), allinpay.WithReadTimeout(-1), nil} {
		hs = append(hs[:0], o)
		c, _ := allinpay.NewClient(base...)
		if h, err := allinpay.NewNotificationHandler(c.NotificationVerifier(), func(context.Context, *allinpay.Notification) error { return nil }, hs...); err == nil || h != nil {
			t.Errorf("handler option %d: accepted", len(hs))
		}
	}
}

// TestVerifierWithoutPrivateKey (issue 13): a receiver is built from the
// platform keys and the merchant only; a missing one fails at
// construction; any of several platform keys verifies (rotation).
func TestVerifierWithoutPrivateKey(t *testing.T) {
	t.Parallel()
	srv, err := allinpaytest.NewServer()
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	_, _, _, merchantPub := vectorKeys(t)
	if _, err := allinpay.NewNotificationVerifier(allinpay.WithMerchant(srv.AccessCode, srv.MchNo)); err == nil {
		t.Error("verifier without a platform key built")
	}
	if _, err := allinpay.NewNotificationVerifier(allinpay.WithPlatformPublicKeys(srv.PlatformPublicKey)); err == nil {
		t.Error("verifier without the merchant built")
	}
	// The old key first, the new one second: either verifies.
	v, err := allinpay.NewNotificationVerifier(allinpay.WithMerchant(srv.AccessCode, srv.MchNo), allinpay.WithPlatformPublicKeys(merchantPub, srv.PlatformPublicKey))
	if err != nil {
		t.Fatal(err)
	}
	body := srv.SignNotification(map[string]string{"transType": "WXPAY_SCANCODE", "outTransNo": "O-1", "transAmount": "5", "currency": "HKD", "resultCode": "0000", "transNo": "T1"})
	if _, err := allinpay.ParseNotification(context.Background(), v, nil, body); err != nil {
		t.Errorf("rotated keys: %v", err)
	}
	if _, err := allinpay.ParseNotification(context.Background(), nil, nil, body); err == nil {
		t.Error("nil verifier accepted")
	}
}

// TestUserAgentAndMetadata (issue 13): the User-Agent carries Version and
// the Go version; a response and an APIError carry the HTTP status, the
// headers and the requestNo. The form's Content-Type and Accept
// application/json (once: the client sets it, so that resty does not test
// the form type against its JSON and XML patterns) are pinned too.
func TestUserAgentAndMetadata(t *testing.T) {
	t.Parallel()
	c, mt := mockClient(t, "REQ-UA")
	var ua string
	var hdr http.Header
	mt.RegisterNoResponder(func(r *http.Request) (*http.Response, error) {
		ua = r.Header.Get("User-Agent")
		hdr = r.Header.Clone()
		resp := httpmock.NewStringResponse(200, `{"returnCode":"0012","returnMsg":"Failure in verifying signature"}`)
		resp.Header.Set("X-Trace", "t1")
		return resp, nil
	})
	_, err := c.QueryOrder(context.Background(), &allinpay.QueryOrderRequest{OriOutTransNo: "O-1"})
	if want := "bizapi-cn-go-sdk-allinpay/" + allinpay.Version + " go/" + strings.TrimPrefix(runtime.Version(), "go"); ua != want {
		t.Errorf("User-Agent %q; want %q", ua, want)
	}
	if hdr.Get("Content-Type") != "application/x-www-form-urlencoded" || len(hdr.Values("Accept")) != 1 || hdr.Get("Accept") != "application/json" {
		t.Errorf("request headers: %v", hdr)
	}
	var ae *allinpay.APIError
	if !errors.As(err, &ae) || ae.HTTPStatusCode() != 200 || ae.Metadata.RequestID != "REQ-UA" || ae.Metadata.Header.Get("X-Trace") != "t1" ||
		ae.RequestNo != "REQ-UA" || ae.OutTransNo != "O-1" || ae.Signed || ae.Code() != "0012" {
		t.Errorf("APIError = %#v", ae)
	}
	c, mt = mockClient(t, "REQ-2")
	answerWith(t, mt, func(form map[string]string) map[string]string {
		return echo(form, map[string]string{"resultCode": "0000", "resultMsg": "ok", "transAmount": "5", "transNo": "12345", "payTime": "20240101120000"})
	}, nil)
	q, err := c.QueryOrder(context.Background(), &allinpay.QueryOrderRequest{OriOutTransNo: "O-1"})
	if err != nil || q.Metadata.StatusCode != 200 || q.Metadata.RequestID != "REQ-2" || q.PayTime.Hour() != 12 || q.TransAmount != 5 {
		t.Errorf("QueryOrder = %+v, %v", q, err)
	}
}

// TestAnswersAsNumbersOrObjects (issue 18): transNo, payTime and amounts
// may arrive as JSON numbers and payInfo as an object; the signature
// covers their literal text, and the typed view reads it.
func TestAnswersAsNumbersOrObjects(t *testing.T) {
	t.Parallel()
	c, mt := mockClient(t, "REQ-1")
	mt.RegisterNoResponder(func(r *http.Request) (*http.Response, error) {
		_ = r.ParseForm()
		f := echo(map[string]string{"requestNo": r.PostForm.Get("requestNo"), "accessCode": "20000000", "transType": "WXPAY_APP", "mchNo": "6666666600003",
			"outTransNo": "O-1"}, map[string]string{"resultCode": "0000", "resultMsg": "ok", "transNo": "900001", "payTime": "20240101120000",
			"payInfo": `{"appid":"wx1","sign":"x"}`})
		f["signature"] = platformSign(t, f)
		b := `{`
		for k, v := range f {
			switch k {
			case "transNo", "payTime":
				b += `"` + k + `":` + v + `,`
			case "payInfo":
				b += `"` + k + `":` + v + `,`
			default:
				b += `"` + k + `":"` + v + `",`
			}
		}
		return httpmock.NewStringResponse(200, strings.TrimSuffix(b, ",")+`}`), nil
	})
	p, err := c.Pay(context.Background(), &allinpay.PayRequest{TransType: allinpay.TransTypeWxpayApp, OutTransNo: "O-1", TransAmount: 1,
		Currency: allinpay.CurrencyHKD, NotifyURL: "https://m.example.com/n", TerminalIP: "10.0.0.1"})
	if err != nil || p.TransNo != "900001" || p.PayTime.IsZero() || p.PayInfo != `{"appid":"wx1","sign":"x"}` {
		t.Errorf("Pay = %+v, %v", p, err)
	}
	_ = time.Second
}

// TestRequestNoChecked (conformance row 20): the requestNo of every call,
// WithRequestNoFunc's included, is at most 32 characters; limitPay is for
// WeChat Pay and Alipay only.
func TestRequestNoChecked(t *testing.T) {
	t.Parallel()
	c, mt := mockClient(t, strings.Repeat("9", 33))
	for name, call := range map[string]func() error{
		"query": func() error {
			_, err := c.QueryOrder(context.Background(), &allinpay.QueryOrderRequest{OriOutTransNo: "O-1"})
			return err
		},
		"refund": func() error { _, err := c.Refund(context.Background(), refundReq()); return err },
	} {
		var ve *allinpay.ValidationError
		if err := call(); !errors.As(err, &ve) || ve.Fields[0].Field != "requestNo" {
			t.Errorf("%s with a 33-character requestNo: %v", name, err)
		}
	}
	if mt.GetTotalCallCount() != 0 {
		t.Errorf("%d requests sent", mt.GetTotalCallCount())
	}
	err := (&allinpay.PayRequest{TransType: allinpay.TransTypeUnionpayScancode, OutTransNo: "O", TransAmount: 1, Currency: allinpay.CurrencyHKD, NotifyURL: "n", LimitPay: "no_credit"}).Validate()
	if err == nil || !strings.Contains(err.Error(), "limitPay") {
		t.Errorf("limitPay on UnionPay: %v", err)
	}
}

// TestNeverSentIsRetried: a request that provably never left (a refused
// dial) is retried by every call, a payment included, and is no
// ErrOutcomeUnknown when it never got through.
func TestNeverSentIsRetried(t *testing.T) {
	t.Parallel()
	dial := &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connection refused")}
	for name, call := range map[string]func(*allinpay.Client) error{
		"query": func(c *allinpay.Client) error {
			_, err := c.QueryOrder(context.Background(), &allinpay.QueryOrderRequest{OriOutTransNo: "O-1"})
			return err
		},
		"pay": func(c *allinpay.Client) error {
			_, err := c.Pay(context.Background(), &allinpay.PayRequest{TransType: allinpay.TransTypeWxpayScancode, OutTransNo: "O-1", TransAmount: 1,
				Currency: allinpay.CurrencyHKD, NotifyURL: "https://m.example.com/n"})
			return err
		},
	} {
		c, mt := mockClient(t, "REQ-1", allinpay.WithRetries(2))
		mt.RegisterNoResponder(httpmock.NewErrorResponder(dial))
		err := call(c)
		if mt.GetTotalCallCount() != 3 || errors.Is(err, allinpay.ErrOutcomeUnknown) {
			t.Errorf("%s: %d attempts, %v; want 3 and a plain error", name, mt.GetTotalCallCount(), err)
		}
	}
}
