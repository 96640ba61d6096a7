package evidence_test

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

	"github.com/bizapi-cn/go-sdk/evidence"
)

// The client decodes a success answer in one pass (the envelope and data
// together) and anything else as before, the envelope first, then data.
// These tests hold the client to that older two-step reading, written out
// here as twoStep: for every answer, both give the same verdict and, for
// a success, the same response.

// twoStep is the client's documented reading of a get-da-status answer at
// HTTP status: envelope, errorCode, status, then data (the last member
// named data wins), whose daId, when it has one, must be the request's
// (DA1: checkTwoStep's).
func twoStep(status int, raw []byte) (*evidence.GetStatusResponse, string) {
	var env struct {
		ErrorCode    *int            `json:"errorCode"`
		ErrorMessage string          `json:"errorMessage"`
		Data         json.RawMessage `json:"data"`
	}
	ok2xx := status/100 == 2
	switch {
	case json.Unmarshal(raw, &env) != nil || env.ErrorCode == nil:
		if !ok2xx {
			return nil, "http"
		}
		return nil, "malformed"
	case *env.ErrorCode != 0:
		return nil, fmt.Sprintf("api %d %s", *env.ErrorCode, env.ErrorMessage)
	case !ok2xx:
		return nil, "http"
	}
	var out evidence.GetStatusResponse
	if len(env.Data) > 0 && string(env.Data) != "null" {
		if json.Unmarshal(env.Data, &out) != nil {
			return nil, "malformed"
		}
	}
	if out.DaID != "" && out.DaID != "DA1" {
		return nil, "malformed"
	}
	return &out, "ok"
}

// verdict is the client's answer in twoStep's terms; skip reports an
// answer refused before either reading (too many containers).
func verdict(err error) (got string, skip bool) {
	var api *evidence.APIError
	var he *evidence.HTTPError
	switch {
	case err == nil:
		return "ok", false
	case strings.Contains(err.Error(), "JSON objects and arrays"):
		return "", true
	case errors.As(err, &api):
		return fmt.Sprintf("api %d %s", api.Code, api.Message), false
	case errors.As(err, &he):
		return "http", false
	case errors.Is(err, evidence.ErrMalformedResponse):
		return "malformed", false
	}
	return "other: " + err.Error(), false
}

func checkTwoStep(t testing.TB, status int, raw []byte) {
	mt := httpmock.NewMockTransport()
	mt.RegisterNoResponder(func(*http.Request) (*http.Response, error) { return httpmock.NewBytesResponse(status, raw), nil })
	c := newClient(t, mt, evidence.WithRetries(0))
	resp, err := c.GetStatus(context.Background(), &evidence.GetStatusRequest{DaID: "DA1"})
	got, skip := verdict(err)
	if skip {
		return
	}
	wantResp, want := twoStep(status, raw)
	if got != want {
		t.Fatalf("%d %s: client %q (%v); the two-step reading %q", status, raw, got, err, want)
	}
	if want == "ok" {
		if d := cmp.Diff(wantResp, resp, cmpopts.IgnoreFields(evidence.GetStatusResponse{}, "Metadata")); d != "" {
			t.Fatalf("%s: response differs from the two-step reading (-two-step +client):\n%s", raw, d)
		}
	}
}

// decodeCases are the answers where one pass and two could part: a type
// error in data with an errorCode (two steps never decode data then), a
// bad envelope member after a good data, data twice (the last one wins,
// null included), data null or not an object.
var decodeCases = []string{
	`{"errorCode":0,"errorMessage":"OK","data":{"daId":"DA1","bizNo":"B1","daStatus":10,"authorizedTs":1700000000000,"ext":{"daSubStatus":"81530","childDaList":[{"daId":"C1","daStatus":"10"}]}}}`,
	`{"data":{"daId":"DA1","daStatus":10},"errorCode":0}`,
	`{"errorCode":-48001,"errorMessage":"x","data":{"daId":7}}`,
	`{"errorCode":-48001,"data":"not an object"}`,
	`{"data":{"daId":"DA1"},"errorCode":0,"errorMessage":5}`,
	`{"data":{"daId":"DA1"},"errorCode":"0"}`,
	`{"data":{"daId":"DA1"},"errorCode":0.5}`,
	`{"data":{"daId":"DA1"}}`,
	`{"errorCode":0,"data":null}`,
	`{"errorCode":0}`,
	`{"errorCode":0,"data":"x"}`,
	`{"errorCode":0,"data":{"daId":"DA1","bizNo":"B1"},"data":{"daId":"DA2"}}`,
	`{"errorCode":0,"data":{"daId":"DA1"},"DATA":null}`,
	`{"errorCode":0,"data":{"daId":"DA1"},"d\u0061ta":{"bizNo":"B2"}}`,
	`{"errorCode":0,"data":{"daId":"DA1","ext":{"daSubStatus":true}}}`,
	`{"errorCode":0,"data":{"daId":"DA1","ext":{"daSubStatus":{}}}}`,
	`{"errorCode":0,"data":{"daId":"DA1","daId":"DA3"}}`,
	`{"ERRORCODE":0,"Data":{"DAID":"DA1"}}`,
	`{"errorCode":0,"data":{"daId":"DA1"}} trailing`,
	`[]`, `null`, `0`,
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

// FuzzDecodeAsTwoSteps: the same for any answer.
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
