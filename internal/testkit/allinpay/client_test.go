package allinpay_test

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"testing"

	"github.com/bizapi-cn/go-sdk/allinpay"
	"github.com/bizapi-cn/go-sdk/internal/testvectors"
	"github.com/jarcoal/httpmock"
)

func vectorKeys(t testing.TB) (merchantPriv, platformPub, platformPriv, merchantPub []byte) {
	t.Helper()
	read := func(n string) []byte {
		b, err := testvectors.Read("keys/" + n)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	return read("merchant_rsa_private_pkcs1.pem"), read("platform_rsa_public.pem"), read("platform_rsa_private_pkcs8.pem"), read("merchant_rsa_public.pem")
}

func mockClient(t *testing.T, requestNo string, opts ...allinpay.Option) (*allinpay.Client, *httpmock.MockTransport) {
	t.Helper()
	mt := httpmock.NewMockTransport()
	mp, pp, _, _ := vectorKeys(t)
	base := []allinpay.Option{allinpay.WithMerchant("20000000", "6666666600003"), allinpay.WithKeys(mp, pp),
		allinpay.WithBaseURL(allinpay.TestBaseURL), allinpay.WithHTTPClient(&http.Client{Transport: mt}),
		allinpay.WithRequestNoFunc(func() string { return requestNo }), allinpay.WithRetries(0)}
	c, err := allinpay.NewClient(append(base, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return c, mt
}

// TestVectors: the client's signatures for the vector requests are the
// vector's bytes, and the vector response (with a field the SDK does not
// know) verifies and decodes.
func TestVectors(t *testing.T) {
	t.Parallel()
	var v testvectors.Allinpay
	if err := testvectors.Load("allinpay_rsa2.json", &v); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()

	c, mt := mockClient(t, "Q-1")
	var form url.Values
	mt.RegisterResponder(http.MethodPost, allinpay.TestBaseURL+"/gateway/pay/consumeTrans", func(r *http.Request) (*http.Response, error) {
		_ = r.ParseForm()
		form = r.PostForm
		return httpmock.NewBytesResponse(200, v.Response.JSON), nil
	})
	q, err := c.QueryOrder(ctx, &allinpay.QueryOrderRequest{OriOutTransNo: "20180626171856517"})
	if err != nil {
		t.Fatalf("QueryOrder = %v", err)
	}
	if form.Get("signature") != v.Requests[1].Signature {
		t.Errorf("TRANS_QUERY signature = %s; want the vector's", form.Get("signature"))
	}
	for k, want := range v.Requests[1].Fields {
		if form.Get(k) != want {
			t.Errorf("TRANS_QUERY %s = %q; want %q", k, form.Get(k), want)
		}
	}
	if q.TransAmount != 1 || q.ResultCode != allinpay.ResultCodeSuccess || q.Fields["newFieldFromUpgrade"] != "x" || q.TransNo != "T900001" {
		t.Errorf("QueryOrder = %+v", q)
	}

	c, mt = mockClient(t, "20180626171856517")
	mt.RegisterResponder(http.MethodPost, allinpay.TestBaseURL+"/gateway/pay/consumeTrans", func(r *http.Request) (*http.Response, error) {
		_ = r.ParseForm()
		form = r.PostForm
		return httpmock.NewStringResponse(500, "down"), nil
	})
	_, err = c.Pay(ctx, &allinpay.PayRequest{TransType: allinpay.TransTypeAlipayScancode, OutTransNo: "20180626171856517", TransAmount: 1,
		Currency: allinpay.CurrencyHKD, NotifyURL: "http://www.test.com/gateway/api/notify/allNotify", ExpireTime: 30})
	if form.Get("signature") != v.Requests[0].Signature {
		t.Errorf("ALIPAY_SCANCODE signature = %s; want the vector's", form.Get("signature"))
	}
	if !errors.Is(err, allinpay.ErrOutcomeUnknown) || mt.GetTotalCallCount() != 1 {
		t.Errorf("payment answered 500: err %v after %d calls; want ErrOutcomeUnknown after 1", err, mt.GetTotalCallCount())
	}
}
