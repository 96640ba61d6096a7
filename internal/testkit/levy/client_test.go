package levy_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/bizapi-cn/go-sdk/internal/testvectors"
	"github.com/bizapi-cn/go-sdk/levy"
	"github.com/jarcoal/httpmock"
)

const (
	vectorKey    = "dawjoj12d123faiw"
	vectorSecret = "levy-test-secret-7f3a"
)

var cst = time.FixedZone("CST", 8*3600)

// newMockClient returns a client on its own mock transport with a fixed
// clock.
func newMockClient(t *testing.T, at time.Time, opts ...levy.Option) (*levy.Client, *httpmock.MockTransport) {
	t.Helper()
	mt := httpmock.NewMockTransport()
	base := []levy.Option{
		levy.WithCredentials(vectorKey, vectorSecret),
		levy.WithBaseURL(levy.TestBaseURL),
		levy.WithHTTPClient(&http.Client{Transport: mt}),
		levy.WithClock(func() time.Time { return at }),
		levy.WithRetries(0),
	}
	c, err := levy.NewClient(append(base, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return c, mt
}

// captureForm records the req and sign of the request.
func captureForm(t *testing.T, got *url.Values, status int, body string, apiSign string) httpmock.Responder {
	return func(r *http.Request) (*http.Response, error) {
		if err := r.ParseForm(); err != nil {
			t.Errorf("request form: %v", err)
		}
		*got = r.PostForm
		resp := httpmock.NewStringResponse(status, body)
		if apiSign != "" {
			resp.Header.Set("Api-Sign", apiSign)
		}
		return resp, nil
	}
}

// TestRequestsMatchVectors: the client's req and sign for the three
// independent vectors are byte-identical, and the vector response verifies
// and decodes.
func TestRequestsMatchVectors(t *testing.T) {
	t.Parallel()
	var v testvectors.Levy
	if err := testvectors.Load("levy_hmac.json", &v); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()

	// QUERY_ORDER_V2 at 2022-06-30T09:00:00.000 Beijing time, with the
	// vector's own response.
	c, mt := newMockClient(t, time.Date(2022, 6, 30, 9, 0, 0, 0, cst))
	var form url.Values
	mt.RegisterResponder(http.MethodPost, levy.TestBaseURL+"/api/levy/v1", captureForm(t, &form, 200, v.Response.Body, v.Response.APISign))
	resp, err := c.QueryOrder(ctx, &levy.QueryOrderRequest{RequestID: "R20220630000001"})
	if err != nil {
		t.Fatalf("QueryOrder = %v", err)
	}
	if form.Get("req") != v.Requests[1].Req || form.Get("sign") != v.Requests[1].Sign {
		t.Errorf("QUERY_ORDER_V2 sent\nreq  %s\nsign %s\nwant\nreq  %s\nsign %s", form.Get("req"), form.Get("sign"), v.Requests[1].Req, v.Requests[1].Sign)
	}
	if resp.Status != levy.OrderStatusClose || resp.RequestID != "R20220630000001" {
		t.Errorf("QueryOrder = %+v; want CLOSE", resp)
	}
	if n := mt.GetTotalCallCount(); n != 1 {
		t.Errorf("calls = %d; want 1", n)
	}

	// SIGN_UP at 2019-01-22T12:34:56.789.
	c, mt = newMockClient(t, time.Date(2019, 1, 22, 12, 34, 56, 789e6, cst))
	ok, sig := signedOK(levy.OperationSignUp, `{"id_card":"110101199003074477","status":"ACCEPT"}`)
	mt.RegisterResponder(http.MethodPost, levy.TestBaseURL+"/api/levy/v1", captureForm(t, &form, 200, ok, sig))
	if _, err := c.SignUp(ctx, &levy.SignUpRequest{IDCard: "110101199003074477", Name: "张三", Cellphone: "13800138000", BankcardNo: "6222020200112233445"}); err != nil {
		t.Fatal(err)
	}
	if form.Get("req") != v.Requests[0].Req || form.Get("sign") != v.Requests[0].Sign {
		t.Errorf("SIGN_UP sent\n%s\n%s\nwant\n%s\n%s", form.Get("req"), form.Get("sign"), v.Requests[0].Req, v.Requests[0].Sign)
	}

	// CREATE_ORDER_V2 at 2022-06-30T09:00:00.123.
	c, mt = newMockClient(t, time.Date(2022, 6, 30, 9, 0, 0, 123e6, cst))
	ok, sig = signedOK(levy.OperationCreateOrder, `{"request_id":"R1","accept_time":"2022-06-30T09:00:00.200"}`)
	mt.RegisterResponder(http.MethodPost, levy.TestBaseURL+"/api/levy/v1", captureForm(t, &form, 200, ok, sig))
	profit, _ := levy.ParseAmount("1234.50")
	cr, err := c.CreateOrder(ctx, &levy.CreateOrderRequest{RequestID: "R1", IDCard: "110101199003074477", Name: "李四",
		TaxAgentParentID: "12", CreditCode: "91110000MA01ABCD1X", Cellphone: "13800138000", BankcardNo: "6222020200112233445",
		Profit: &profit, TaxMode: levy.TaxModeGeneral, Remark: "5月劳务 & 奖金"})
	if err != nil {
		t.Fatal(err)
	}
	if form.Get("req") != v.Requests[2].Req || form.Get("sign") != v.Requests[2].Sign {
		t.Errorf("CREATE_ORDER_V2 sent\n%s\n%s\nwant\n%s\n%s", form.Get("req"), form.Get("sign"), v.Requests[2].Req, v.Requests[2].Sign)
	}
	if want := time.Date(2022, 6, 30, 9, 0, 0, 200e6, cst); !cr.AcceptTime.Equal(want) {
		t.Errorf("AcceptTime = %v; want %v", cr.AcceptTime, want)
	}
}

// signedOK returns a success answer for name with data, and its Api-Sign
// under the vector secret (computed with the independently verified HMAC).
func signedOK(name levy.Operation, data string) (body, apiSign string) {
	body = `{"name":"` + string(name) + `","code":"0","message":"成功","data":` + data + `}`
	return body, hmacB64(vectorSecret, body)
}
