package levy_test

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/bizapi-cn/go-sdk/levy"
	"github.com/jarcoal/httpmock"
)

// TestSystemFailureRetriedByQueriesOnly (issue 17): 0001 系统失败 is the one
// temporary code: a query retries it, a state change does not. To a
// state change it is ErrOutcomeUnknown with the *APIError inside: a
// system failure is no refusal, the order may have been created before it
// (read as a definite refusal, the host created the order again under a
// new request_id).
func TestSystemFailureRetriedByQueriesOnly(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		op    levy.Operation
		call  func(*levy.Client) error
		calls int
	}{
		{levy.OperationQueryOrder, func(c *levy.Client) error {
			_, err := c.QueryOrder(context.Background(), &levy.QueryOrderRequest{RequestID: "R1"})
			return err
		}, 3},
		{levy.OperationCreateOrder, func(c *levy.Client) error {
			_, err := c.CreateOrder(context.Background(), orderRequest("R1"))
			return err
		}, 1},
	} {
		cl, mt := newMockClient(t, fixedTime, levy.WithRetries(2))
		body := `{"name":"` + string(c.op) + `","code":"0001","message":"系统失败"}`
		mt.RegisterResponder(http.MethodPost, levy.TestBaseURL+"/api/levy/v1", signedResponder(200, body, hmacB64(vectorSecret, body)))
		err := c.call(cl)
		var api *levy.APIError
		if !errors.As(err, &api) || api.Code != levy.CodeSystemFailure || mt.GetTotalCallCount() != c.calls {
			t.Errorf("%s: %v after %d calls; want *APIError 0001 after %d", c.op, err, mt.GetTotalCallCount(), c.calls)
		}
		var ou *levy.OutcomeUnknownError
		if unknown := errors.As(err, &ou); unknown != c.op.ChangesState() || unknown && ou.Key != "R1" {
			t.Errorf("%s: %v; want ErrOutcomeUnknown (Key R1) only for a state change", c.op, err)
		}
	}
	if levy.CodeQuotaExceeded.Temporary() || !levy.CodeSystemFailure.Temporary() {
		t.Error("Temporary wrong")
	}
}

// TestClockSkew (issue 17): the answer's Date header against the client's
// clock.
func TestClockSkew(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t, fixedTime)
	body, sig := signedOK(levy.OperationQueryOrder, `{"request_id":"R1","status":"ACCEPT"}`)
	mt.RegisterResponder(http.MethodPost, levy.TestBaseURL+"/api/levy/v1", func(r *http.Request) (*http.Response, error) {
		resp := httpmock.NewStringResponse(200, body)
		resp.Header.Set("Api-Sign", sig)
		resp.Header.Set("Date", fixedTime.Add(-90*time.Second).UTC().Format(http.TimeFormat))
		return resp, nil
	})
	q, err := c.QueryOrder(context.Background(), &levy.QueryOrderRequest{RequestID: "R1"})
	if err != nil {
		t.Fatal(err)
	}
	if d, ok := q.Metadata.ClockSkew(fixedTime); !ok || d != 90*time.Second {
		t.Errorf("ClockSkew = %v, %v; want 90s", d, ok)
	}
	if _, ok := (levy.Metadata{}).ClockSkew(fixedTime); ok {
		t.Error("ClockSkew without Date = ok")
	}
}

// TestSplitSignUpQueries (issue 17): batches of at most 500.
func TestSplitSignUpQueries(t *testing.T) {
	t.Parallel()
	b := levy.SplitSignUpQueries(make([]levy.SignUpQuery, 1001))
	if len(b) != 3 || len(b[0]) != 500 || len(b[1]) != 500 || len(b[2]) != 1 {
		t.Errorf("batches of %d", len(b))
	}
	if levy.SplitSignUpQueries(nil) != nil {
		t.Error("no details gave batches")
	}
}

// TestCloseNotificationRemitOrder (issue 17): a close notification names
// its remit order by location.
func TestCloseNotificationRemitOrder(t *testing.T) {
	t.Parallel()
	q := &levy.QueryOrderResponse{RequestID: "R1", RemitOrderList: []levy.RemitOrder{{OrderID: "RO1", TaxAgentLocationID: "101"}, {OrderID: "RO2", TaxAgentLocationID: "102"}}}
	n := &levy.CloseOrderNotification{RequestID: "R1", RemitStatus: levy.RemitStatusClose, TaxAgentLocationID: "102"}
	if r, ok := n.RemitOrder(q); !ok || r.OrderID != "RO2" || !n.Cancelled() {
		t.Errorf("RemitOrder = %+v, %v", r, ok)
	}
	if _, ok := (&levy.CloseOrderNotification{RequestID: "R2", TaxAgentLocationID: "102"}).RemitOrder(q); ok {
		t.Error("another order's notification matched")
	}
}

// TestWaitFinal: polls until CLOSE, bounded by ctx.
func TestWaitFinal(t *testing.T) {
	t.Parallel()
	srv, c, _ := newFlow(t)
	ctx := context.Background()
	if _, err := c.CreateOrder(ctx, orderRequest("R-wait")); err != nil {
		t.Fatal(err)
	}
	q, err := c.WaitFinal(ctx, &levy.QueryOrderRequest{RequestID: "R-wait"}, 10*time.Millisecond)
	if err != nil || q.Status != levy.OrderStatusClose || !q.Created() {
		t.Errorf("WaitFinal = %+v, %v", q, err)
	}
	if _, err := c.WaitFinal(ctx, &levy.QueryOrderRequest{RequestID: "R-wait"}, 0); err == nil {
		t.Error("interval 0 = nil error")
	}
	srv.WaitNotifications()
}
