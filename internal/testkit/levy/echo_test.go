package levy_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/bizapi-cn/go-sdk/levy"
)

// echoCase is one call whose answer table carries the request's own id,
// answered with signed data.
type echoCase struct {
	name string
	op   levy.Operation
	path string
	data string // the answer's data
	call func(ctx context.Context, c *levy.Client) (any, error)
}

func queryOrder(ctx context.Context, c *levy.Client) (any, error) {
	return c.QueryOrder(ctx, &levy.QueryOrderRequest{RequestID: "R1"})
}

func queryIDCardImage(ctx context.Context, c *levy.Client) (any, error) {
	return c.QueryIDCardImage(ctx, &levy.QueryIDCardImageRequest{RequestID: "Q1", IDCardNo: "110101199003074477"})
}

func querySignUpBatch(ctx context.Context, c *levy.Client) (any, error) {
	return c.QuerySignUpBatch(ctx, &levy.QuerySignUpBatchRequest{BatchNo: "B1", BatchDetails: []levy.SignUpQuery{{IDCard: "110101199003074477"}}})
}

func signUp(idCard string) func(ctx context.Context, c *levy.Client) (any, error) {
	return func(ctx context.Context, c *levy.Client) (any, error) {
		return c.SignUp(ctx, &levy.SignUpRequest{IDCard: idCard, Name: "李四", Cellphone: "13800138000", BankcardNo: "6222020200112233445"})
	}
}

// TestAnswersNameTheirRequest (review 2026-12-04, finding 1): answers carry
// no timestamp, so anyone on the path can replay an earlier signed answer;
// an answer whose own id is not the request's is ErrMalformedResponse (for
// SIGN_UP, a state change, inside ErrOutcomeUnknown with the empty Key).
// The ids are the answer tables':
//
//	§2.7 QUERY_ORDER_V2 返回结果 (L410): "request_id	Y	S	32	请求流水号"
//	§2.11 QUERY_ID_CARD_IMAGE 返回结果 (L589): "requestId	Y	S	32	请求流水号"
//	§2.6 QUERY_SIGN_UP_BATCH 返回结果 (L384): "batch_no	Y	S	32	请求批次号"
//	§2.2 SIGN_UP 返回结果 (L232): "id_card	Y	S	18	纳税人身份证号"
func TestAnswersNameTheirRequest(t *testing.T) {
	t.Parallel()
	cases := []echoCase{
		// a remit order of another levy order: the host would CONFIRM it (§2.5, irrevocable)
		{"another order", levy.OperationQueryOrder, "/api/levy/v1",
			`{"request_id":"R-OTHER","status":"CLOSE","remit_order_list":[{"order_id":"RO9","amount":"1.00","remit_status":"ACCEPT"}]}`, queryOrder},
		{"no request_id", levy.OperationQueryOrder, "/api/levy/v1", `{"status":"CLOSE"}`, queryOrder},
		{"another query", levy.OperationQueryIDCardImage, "/api/tax/v1", `{"requestId":"Q-OTHER","status":"IDENTIFY_SUCCESS"}`, queryIDCardImage},
		{"no requestId", levy.OperationQueryIDCardImage, "/api/tax/v1", `{"status":"IDENTIFY_SUCCESS"}`, queryIDCardImage},
		{"another batch", levy.OperationQuerySignUpBatch, "/api/levy/v1",
			`{"batch_no":"B-OTHER","batch_details":[{"id_card":"110101199003074477","status":"SIGN"}]}`, querySignUpBatch},
		{"another taxpayer", levy.OperationSignUp, "/api/levy/v1", `{"id_card":"110101199003070000","status":"SIGN"}`, signUp("110101199003074477")},
		{"no id_card", levy.OperationSignUp, "/api/levy/v1", `{"status":"SIGN"}`, signUp("110101199003074477")},
	}
	for _, tc := range cases {
		c, mt := newMockClient(t, fixedTime)
		body, sig := signedOK(tc.op, tc.data)
		mt.RegisterResponder(http.MethodPost, levy.TestBaseURL+tc.path, signedResponder(200, body, sig))
		_, err := tc.call(context.Background(), c)
		state := tc.op.ChangesState()
		if !errors.Is(err, levy.ErrMalformedResponse) || errors.Is(err, levy.ErrOutcomeUnknown) != state {
			t.Errorf("%s %s: err = %v; want ErrMalformedResponse, and ErrOutcomeUnknown = %v", tc.op, tc.name, err, state)
			continue
		}
		var ou *levy.OutcomeUnknownError
		if state && (!errors.As(err, &ou) || ou.Key != "") {
			t.Errorf("%s %s: err = %v; want an *OutcomeUnknownError with the empty Key (SIGN_UP has no request_id)", tc.op, tc.name, err)
		}
		if strings.Contains(err.Error(), "11010119900307") {
			t.Errorf("%s %s: error %q holds an ID card", tc.op, tc.name, err)
		}
	}
}

// TestAnswersThatNameTheirRequestPass: the same calls answered with their
// own id succeed; SIGN_UP's id_card compares its check letter x and X alike.
func TestAnswersThatNameTheirRequestPass(t *testing.T) {
	t.Parallel()
	cases := []echoCase{
		{"same order", levy.OperationQueryOrder, "/api/levy/v1", `{"request_id":"R1","status":"ACCEPT"}`, queryOrder},
		{"same query", levy.OperationQueryIDCardImage, "/api/tax/v1", `{"requestId":"Q1","status":"ACCEPT"}`, queryIDCardImage},
		{"same batch", levy.OperationQuerySignUpBatch, "/api/levy/v1", `{"batch_no":"B1","batch_details":[{"id_card":"110101199003074477","status":"SIGN"}]}`, querySignUpBatch},
		{"x answered X", levy.OperationSignUp, "/api/levy/v1", `{"id_card":"11010119900307001X","status":"ACCEPT"}`, signUp("11010119900307001x")},
	}
	for _, tc := range cases {
		c, mt := newMockClient(t, fixedTime)
		body, sig := signedOK(tc.op, tc.data)
		mt.RegisterResponder(http.MethodPost, levy.TestBaseURL+tc.path, signedResponder(200, body, sig))
		if _, err := tc.call(context.Background(), c); err != nil {
			t.Errorf("%s %s: %v", tc.op, tc.name, err)
		}
	}
}
