package levy_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/bizapi-cn/go-sdk/levy"
	"github.com/bizapi-cn/go-sdk/levy/levytest"
)

// TestAttemptTimeout: with WithAttemptTimeout a stalled attempt of a query
// is abandoned and retried while the call still has time, and a stalled
// attempt of a call that changes state is an ErrOutcomeUnknown, never
// repeated. Without it the stalled query waits for the whole delay.
func TestAttemptTimeout(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	srv := newFake(t)
	c, err := levy.NewClient(levy.WithCredentials(srv.ClientKey, srv.Secret), levy.WithBaseURL(srv.URL),
		levy.WithAttemptTimeout(200*time.Millisecond), levy.WithRetries(2), levy.WithTimeout(10*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.CreateOrder(ctx, orderRequest("R-attempt")); err != nil {
		t.Fatal(err)
	}
	queries := srv.Calls(string(levy.OperationQueryOrder))
	srv.Inject(levytest.Fault{Kind: levytest.FaultDelay, Delay: 3 * time.Second, Count: 1})
	start := time.Now()
	q, err := c.QueryOrder(ctx, &levy.QueryOrderRequest{RequestID: "R-attempt"})
	if err != nil || q.RequestID != "R-attempt" {
		t.Fatalf("QueryOrder after a stalled attempt = %v, %v", q, err)
	}
	if d, n := time.Since(start), srv.Calls(string(levy.OperationQueryOrder))-queries; d > 2*time.Second || n != 2 {
		t.Errorf("stalled query: %v and %d requests; want a retry after the 200 ms attempt, well before the 3 s delay", d, n)
	}

	creates := srv.Calls(string(levy.OperationCreateOrder))
	srv.Inject(levytest.Fault{Kind: levytest.FaultDelay, Delay: 3 * time.Second, Count: 1})
	start = time.Now()
	_, err = c.CreateOrder(ctx, orderRequest("R-attempt-2"))
	var ou *levy.OutcomeUnknownError
	if !errors.As(err, &ou) || ou.Key != "R-attempt-2" {
		t.Errorf("stalled create: %v; want *OutcomeUnknownError keyed R-attempt-2", err)
	}
	if d, n := time.Since(start), srv.Calls(string(levy.OperationCreateOrder))-creates; d > 2*time.Second || n != 1 {
		t.Errorf("stalled create: %v and %d requests; want one attempt, given up after 200 ms", d, n)
	}

	if _, err := levy.NewClient(levy.WithCredentials("k", "s"), levy.WithBaseURL(srv.URL), levy.WithAttemptTimeout(0)); err == nil {
		t.Error("WithAttemptTimeout(0) accepted")
	}
}
