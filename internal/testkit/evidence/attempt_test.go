package evidence_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/bizapi-cn/go-sdk/evidence"
	"github.com/bizapi-cn/go-sdk/evidence/evidencetest"
)

// TestAttemptTimeout: with WithAttemptTimeout a stalled attempt of a query
// is abandoned and retried while the call still has time, and a stalled
// start is an ErrOutcomeUnknown, never repeated.
func TestAttemptTimeout(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	srv, err := evidencetest.NewServer()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	c, err := evidence.NewClient(evidence.WithApp(srv.AppID, srv.AppKey), evidence.WithPrivateKey(srv.PrivateKey),
		evidence.WithBaseURL(srv.URL), evidence.WithAttemptTimeout(200*time.Millisecond), evidence.WithRetries(2),
		evidence.WithTimeout(10*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	st, err := c.StartAcquisition(ctx, fill(&evidence.StartAcquisitionRequest{Site: "tax", BizNo: "B-attempt"}))
	if err != nil {
		t.Fatal(err)
	}
	queries := srv.Calls(evidence.OperationGetStatus)
	srv.Inject(evidencetest.Fault{Kind: evidencetest.FaultDelay, Delay: 3 * time.Second, Count: 1})
	start := time.Now()
	if _, err := c.GetStatus(ctx, &evidence.GetStatusRequest{DaID: st.DaID}); err != nil {
		t.Fatalf("GetStatus after a stalled attempt: %v", err)
	}
	if d, n := time.Since(start), srv.Calls(evidence.OperationGetStatus)-queries; d > 2*time.Second || n != 2 {
		t.Errorf("stalled query: %v and %d requests; want a retry after the 200 ms attempt, well before the 3 s delay", d, n)
	}

	starts := srv.Calls(evidence.OperationStartAcquisition)
	srv.Inject(evidencetest.Fault{Kind: evidencetest.FaultDelay, Delay: 3 * time.Second, Count: 1})
	start = time.Now()
	_, err = c.StartAcquisition(ctx, fill(&evidence.StartAcquisitionRequest{Site: "tax", BizNo: "B-attempt-2"}))
	var ou *evidence.OutcomeUnknownError
	if !errors.As(err, &ou) || ou.Key != "B-attempt-2" {
		t.Errorf("stalled start: %v; want *OutcomeUnknownError keyed B-attempt-2", err)
	}
	if d, n := time.Since(start), srv.Calls(evidence.OperationStartAcquisition)-starts; d > 2*time.Second || n != 1 {
		t.Errorf("stalled start: %v and %d requests; want one attempt, given up after 200 ms", d, n)
	}
	if _, err := evidence.NewClient(evidence.WithApp(srv.AppID, srv.AppKey), evidence.WithPrivateKey(srv.PrivateKey),
		evidence.WithBaseURL(srv.URL), evidence.WithAttemptTimeout(-1)); err == nil {
		t.Error("WithAttemptTimeout(-1) accepted")
	}
}
