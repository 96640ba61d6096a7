package levy_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/jarcoal/httpmock"

	"github.com/bizapi-cn/go-sdk/levy"
)

// The client decodes a success answer in one pass (the envelope and data
// together) and anything else as before, the envelope first, then data.
// These tests hold the client to that older two-step reading, written out
// here as twoStep: for every signed answer, both give the same verdict
// and, for a success, the same response.

// twoStep is the client's documented reading of a verified QUERY_ORDER_V2
// answer at HTTP status: envelope, name, code, status, then data, whose
// request_id must be the one queryAt asks ("R"; §2.7's answer carries it).
func twoStep(status int, raw []byte) (*levy.QueryOrderResponse, string) {
	var env struct {
		Name    string          `json:"name"`
		Code    string          `json:"code"`
		Message string          `json:"message"`
		Data    json.RawMessage `json:"data"`
	}
	ok2xx := status/100 == 2
	switch {
	case json.Unmarshal(raw, &env) != nil || env.Code == "":
		if !ok2xx {
			return nil, "http"
		}
		return nil, "malformed"
	case env.Name != "" && env.Name != string(levy.OperationQueryOrder):
		return nil, "malformed"
	case env.Code != string(levy.CodeOK):
		return nil, "api " + env.Code + " " + env.Message
	case !ok2xx:
		return nil, "malformed"
	}
	var out levy.QueryOrderResponse
	if len(env.Data) > 0 && string(env.Data) != "null" {
		if json.Unmarshal(env.Data, &out) != nil {
			return nil, "malformed"
		}
	}
	if out.RequestID != "R" {
		return nil, "malformed"
	}
	return &out, "ok"
}

// verdict is the client's answer in twoStep's terms; skip reports an
// answer refused before either reading (a member twice).
func verdict(resp *levy.QueryOrderResponse, err error) (got string, skip bool) {
	var api *levy.APIError
	var he *levy.HTTPError
	switch {
	case err == nil:
		return "ok", false
	case strings.Contains(err.Error(), "a member appears twice"):
		return "", true
	case errors.As(err, &api):
		return fmt.Sprintf("api %s %s", api.Code, api.Message), false
	case errors.As(err, &he):
		return "http", false
	case errors.Is(err, levy.ErrMalformedResponse):
		return "malformed", false
	}
	return "other: " + err.Error(), false
}

// queryAt answers QueryOrder with raw, signed, at status.
func queryAt(t testing.TB, status int, raw []byte) (*levy.QueryOrderResponse, error) {
	mt := httpmock.NewMockTransport()
	mt.RegisterNoResponder(func(*http.Request) (*http.Response, error) {
		resp := httpmock.NewBytesResponse(status, raw)
		resp.Header.Set("Api-Sign", hmacB64(vectorSecret, string(raw)))
		return resp, nil
	})
	c, err := levy.NewClient(levy.WithCredentials(vectorKey, vectorSecret), levy.WithBaseURL(levy.TestBaseURL),
		levy.WithHTTPClient(&http.Client{Transport: mt}), levy.WithRetries(0))
	if err != nil {
		t.Fatal(err)
	}
	return c.QueryOrder(context.Background(), &levy.QueryOrderRequest{RequestID: "R"})
}

func checkTwoStep(t testing.TB, status int, raw []byte) {
	resp, err := queryAt(t, status, raw)
	got, skip := verdict(resp, err)
	if skip {
		return
	}
	wantResp, want := twoStep(status, raw)
	if got != want {
		t.Fatalf("%d %s: client %q (%v); the two-step reading %q", status, raw, got, err, want)
	}
	if want == "ok" {
		if d := cmp.Diff(wantResp, resp, cmpopts.IgnoreFields(levy.QueryOrderResponse{}, "Metadata")); d != "" {
			t.Fatalf("%s: response differs from the two-step reading (-two-step +client):\n%s", raw, d)
		}
	}
}

// decodeCases are the answers where one pass and two could part: a type
// error in data with an error code (two steps never decode data then), a
// bad envelope member after a good data, data null or not an object, the
// name or the code misplaced, data before the envelope.
var decodeCases = []string{
	`{"name":"QUERY_ORDER_V2","code":"0","message":"成功","data":{"request_id":"R","status":"CLOSE","remit_order_list":[{"amount":"1.00"}]}}`,
	`{"data":{"request_id":"R","status":"CLOSE"},"message":"ok","code":"0","name":"QUERY_ORDER_V2"}`,
	`{"name":"QUERY_ORDER_V2","code":"1009","message":"x","data":{"request_id":7}}`,
	`{"name":"QUERY_ORDER_V2","code":"1009","message":"x","data":"not an object"}`,
	`{"data":{"request_id":"R"},"name":7,"code":"0"}`,
	`{"data":{"request_id":"R"},"code":0}`,
	`{"data":{"request_id":"R"},"code":"0","message":5}`,
	`{"name":"QUERY_ORDER_V2","code":"0","data":null}`,
	`{"name":"QUERY_ORDER_V2","code":"0"}`,
	`{"name":"QUERY_ORDER_V2","code":"0","data":"x"}`,
	`{"name":"QUERY_ORDER_V2","code":"0","data":[]}`,
	`{"name":"QUERY_ORDER_V2","code":"0","data":{"request_id":"R","accept_time":"not a time"}}`,
	`{"name":"QUERY_ORDER_V2","code":"0","data":{"remit_order_list":[{"amount":true}]}}`,
	`{"name":"CREATE_ORDER_V2","code":"0","data":{"request_id":"R"}}`,
	`{"NAME":"QUERY_ORDER_V2","Code":"0","DATA":{"REQUEST_ID":"R"}}`,
	`{"name":"QUERY_ORDER_V2","code":"0","data":{"request_id":"R"},"data":{"status":"CLOSE"}}`,
	`{"name":"QUERY_ORDER_V2","code":"0","data":{"request_id":"R"}} trailing`,
	`[]`, `null`, `"0"`,
}

// TestDecodeAsTwoSteps: the one-pass reading gives every case's verdict
// and response as the two-step one does, at 200 and at 500.
func TestDecodeAsTwoSteps(t *testing.T) {
	t.Parallel()
	for _, status := range []int{200, 500} {
		for _, c := range decodeCases {
			checkTwoStep(t, status, []byte(c))
		}
	}
}

// FuzzDecodeAsTwoSteps: the same for any signed answer.
func FuzzDecodeAsTwoSteps(f *testing.F) {
	for _, c := range decodeCases {
		f.Add([]byte(c), true)
	}
	f.Fuzz(func(t *testing.T, raw []byte, ok bool) {
		status := 500
		if ok {
			status = 200
		}
		checkTwoStep(t, status, raw)
	})
}
