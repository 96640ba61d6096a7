package levy_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/bizapi-cn/go-sdk/levy"
	"github.com/bizapi-cn/go-sdk/levy/levytest"
	"github.com/jarcoal/httpmock"
)

// FuzzParseNotice: any body is refused with a typed error that prints
// safely, or parsed. With resign, body is taken as the req and signed, so
// the decoders behind the signature check are reached too.
func FuzzParseNotice(f *testing.F) {
	srv := newFake(f, levytest.WithCredentials("k", "fuzz-secret"))
	f.Add(srv.SignNotification(string(levy.OperationCreateOrder), map[string]any{"request_id": "R1", "status": "CLOSE", "remit_order_list": []any{map[string]any{"amount": "1.00"}}}), false)
	f.Add(srv.SignNotification(string(levy.OperationCloseOrderNotice), map[string]any{"request_id": "R1", "close_time": "2024-01-01T00:00:00.000"}), true)
	f.Add([]byte(`{"name":"CLOSE_ORDER_NOTICE","code":"0","data":{"close_time":"2024-01-01T00:00:00Z","tax_agent_location_id":""}}`), true)
	f.Add([]byte(`{"name":"CREATE_ORDER_V2","code":"0","data":{"remit_order_list":[{"amount":1.234,"tax_agent_location_id":1e3}]}}`), true)
	f.Add([]byte("req=%7B%7D&sign=AAAA"), false)
	c, err := levy.NewClient(levy.WithCredentials("k", "fuzz-secret"), levy.WithBaseURL("https://x.invalid"))
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, body []byte, resign bool) {
		if resign {
			body = []byte(url.Values{"req": {string(body)}, "sign": {hmacB64("fuzz-secret", string(body))}}.Encode())
		}
		n, err := parseNotice(context.Background(), c, "", body)
		if err != nil {
			_ = err.Error() // must not panic
			if !errors.Is(err, levy.ErrInvalidSignature) && !errors.Is(err, levy.ErrMalformedNotification) {
				t.Fatalf("untyped error %v", err)
			}
			return
		}
		_ = n.IdempotencyKey()
		_ = fmt.Sprintf("%v %+v", n, n.Data)
	})
}

// FuzzDecoders: every wire type's decoder returns nil or an error whose
// Error() does not panic (a *json.UnmarshalTypeError without a Type did).
func FuzzDecoders(f *testing.F) {
	for _, s := range []string{`"2024-03-01T10:00:00.000"`, `"2024-03-01T10:00:00+08:00"`, `12`, `"12.345"`, `""`, `null`, `"12345678901234567890"`,
		`{"accept_time":"x","remit_order_list":[{"amount":"1"}]}`, `{"task_id":"","tax_agent_location_id":1}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, v := range []any{new(levy.Time), new(levy.Amount), new(levy.ID), new(levy.QueryOrderResponse), new(levy.CreateOrderResponse),
			new(levy.OrderNotification), new(levy.CloseOrderNotification), new(levy.SignUpNotification), new(levy.QuerySignUpBatchResponse)} {
			if err := json.Unmarshal(b, v); err != nil {
				_ = err.Error()
			}
		}
	})
}

// FuzzResponse: whatever the provider answers, the client returns a
// result or a typed error, never panics, and never accepts an unsigned
// body.
func FuzzResponse(f *testing.F) {
	f.Add([]byte(`{"name":"QUERY_ORDER_V2","code":"0","message":"ok","data":{"request_id":"R","remit_order_list":[{"amount":"1.00"}]}}`), true, 200)
	f.Add([]byte(`{"code":"0002"}`), true, 400)
	f.Add([]byte(`not json`), false, 200)
	f.Add([]byte(`{"name":"QUERY_ORDER_V2","code":"0","message":"ok","data":{"request_id":"R","accept_time":"2024-03-01T10:00:00.000"}}`), true, 200)
	f.Add([]byte(`{"name":"QUERY_ORDER_V2","code":"1009","message":"x"}`), true, 502)
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
		if err != nil {
			_ = err.Error()
		}
		// A state change gets a definite answer or ErrOutcomeUnknown,
		// nothing in between (issue 15).
		body = bytes.ReplaceAll(body, []byte("QUERY_ORDER_V2"), []byte("CREATE_ORDER_V2"))
		mt.RegisterNoResponder(func(*http.Request) (*http.Response, error) {
			resp := httpmock.NewBytesResponse(status, body)
			if signed {
				resp.Header.Set("Api-Sign", hmacB64(vectorSecret, string(body)))
			}
			return resp, nil
		})
		cr, err := c.CreateOrder(context.Background(), orderRequest("R"))
		var api *levy.APIError
		switch {
		case err == nil && (cr == nil || cr.RequestID != "R" || cr.AcceptTime.IsZero()):
			t.Fatalf("success without a full answer: %+v", cr)
		case err != nil && !errors.As(err, &api) && !errors.Is(err, levy.ErrOutcomeUnknown):
			t.Fatalf("CreateOrder: %v; want *APIError or ErrOutcomeUnknown", err)
		case err != nil && !signed && !errors.Is(err, levy.ErrOutcomeUnknown):
			t.Fatalf("unsigned answer taken as definite: %v", err)
		}
	})
}
