package levy_test

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/bizapi-cn/go-sdk/levy"
	"github.com/bizapi-cn/go-sdk/levy/levytest"
	"github.com/jarcoal/httpmock"
)

// FuzzParseNotice: any body is refused with a typed error or parsed; a
// parsed notice verified, so a body signed by the fake always parses.
func FuzzParseNotice(f *testing.F) {
	srv := newFake(f, levytest.WithCredentials("k", "fuzz-secret"))
	defer srv.Close()
	f.Add(srv.SignNotification(string(levy.OperationCreateOrder), map[string]any{"request_id": "R1", "status": "CLOSE", "remit_order_list": []any{map[string]any{"amount": "1.00"}}}), false)
	f.Add(srv.SignNotification(string(levy.OperationCloseOrderNotice), map[string]any{"request_id": "R1", "close_time": "2024-01-01T00:00:00.000"}), true)
	f.Add([]byte("req=%7B%7D&sign=AAAA"), false)
	c, err := levy.NewClient(levy.WithCredentials("k", "fuzz-secret"), levy.WithBaseURL("https://x.invalid"))
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, body []byte, resign bool) {
		n, err := parseNotice(context.Background(), c, "", body)
		if err != nil {
			if !errors.Is(err, levy.ErrInvalidSignature) && !errors.Is(err, levy.ErrMalformedNotification) {
				t.Fatalf("untyped error %v", err)
			}
			return
		}
		_ = n.IdempotencyKey()
	})
}

// FuzzResponse: whatever the provider answers, the client returns a
// result or a typed error, never panics, and never accepts an unsigned
// body.
func FuzzResponse(f *testing.F) {
	f.Add([]byte(`{"name":"QUERY_ORDER_V2","code":"0","message":"ok","data":{"request_id":"R","remit_order_list":[{"amount":"1.00"}]}}`), true, 200)
	f.Add([]byte(`{"code":"0002"}`), true, 400)
	f.Add([]byte(`not json`), false, 200)
	f.Fuzz(func(t *testing.T, body []byte, signed bool, status int) {
		if status < 100 || status > 599 {
			return
		}
		mt := httpmock.NewMockTransport()
		mt.RegisterNoResponder(func(*http.Request) (*http.Response, error) {
			resp := httpmock.NewBytesResponse(status, body)
			if signed {
				resp.Header.Set("Api-Sign", hmacB64(vectorSecret, string(body)))
			}
			return resp, nil
		})
		c, _ := levy.NewClient(levy.WithCredentials(vectorKey, vectorSecret), levy.WithBaseURL(levy.TestBaseURL),
			levy.WithHTTPClient(&http.Client{Transport: mt}), levy.WithRetries(0), levy.WithClock(func() time.Time { return fixedTime }))
		resp, err := c.QueryOrder(context.Background(), &levy.QueryOrderRequest{RequestID: "R"})
		if !signed && err == nil {
			t.Fatal("accepted an unsigned response")
		}
		if err == nil && resp == nil {
			t.Fatal("nil response without error")
		}
	})
}
