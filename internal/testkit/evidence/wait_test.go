package evidence_test

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"

	"github.com/bizapi-cn/go-sdk/evidence"
)

// fakeClock advances by step on every reading: WaitFinal's window is
// measured on the client's clock, never on the wall clock.
type fakeClock struct {
	mu   sync.Mutex
	now  time.Time
	step time.Duration
}

func (f *fakeClock) Now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.now = f.now.Add(f.step)
	return f.now
}

// statusSequence answers get-da-status with the given data members in
// turn, repeating the last one.
func statusSequence(mt *httpmock.MockTransport, datas ...string) *atomic.Int64 {
	var n atomic.Int64
	mt.RegisterResponder(http.MethodPost, base+"/api/das/get-da-status", func(*http.Request) (*http.Response, error) {
		i := int(n.Add(1)) - 1
		if i >= len(datas) {
			i = len(datas) - 1
		}
		return httpmock.NewStringResponse(200, `{"errorCode":0,"errorMessage":"OK","data":`+datas[i]+`}`), nil
	})
	return &n
}

// TestWaitFinalDocsConditions: en main.md, "Fallback when Notification
// Fails": "If daStatus = 10 and authorizedTs > 0, call interface 3.5 …
// If daStatus = 10 and authorizedTs > 0 and jsonResult = 10, call
// interface 3.11". A 10 without authorizedTs, or with jsonResult 5
// (parsing) or 100 ("Non-terminal state, recoverable"), is polled again.
func TestWaitFinalDocsConditions(t *testing.T) {
	t.Parallel()
	mt := httpmock.NewMockTransport()
	n := statusSequence(mt,
		`{"daId":"DA1","daStatus":5}`,
		`{"daId":"DA1","daStatus":10,"authorizedTs":0}`,
		`{"daId":"DA1","daStatus":10,"authorizedTs":1700000000000,"jsonResult":5}`,
		`{"daId":"DA1","daStatus":10,"authorizedTs":1700000000000,"jsonResult":100}`,
		`{"daId":"DA1","daStatus":10,"authorizedTs":1700000000000,"jsonResult":10}`)
	c := newClient(t, mt)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	s, err := c.WaitFinal(ctx, &evidence.GetStatusRequest{DaID: "DA1"}, time.Millisecond)
	if err != nil || !s.Parsed() || n.Load() != 5 {
		t.Fatalf("WaitFinal = %+v, %v after %d polls; want the jsonResult 10 answer after 5", s, err, n.Load())
	}
}

// TestWaitFinalFailureEnds: "If daStatus > 10, it is considered a final
// state of data fetching failure, no further calls are needed."
func TestWaitFinalFailureEnds(t *testing.T) {
	t.Parallel()
	mt := httpmock.NewMockTransport()
	n := statusSequence(mt, `{"daId":"DA1","daStatus":0}`, `{"daId":"DA1","daStatus":20}`)
	c := newClient(t, mt)
	s, err := c.WaitFinal(context.Background(), &evidence.GetStatusRequest{DaID: "DA1"}, time.Millisecond)
	if err != nil || s.DaStatus != evidence.DaStatusTimeout || n.Load() != 2 {
		t.Fatalf("WaitFinal = %+v, %v after %d polls", s, err, n.Load())
	}
}

// TestWaitFinalWindowFromIssue: "Generally, the time when the data
// fetching link is generated is marked as T0 … Maximum Timeout Time
// T0 + 20min" and "Maximum call duration is 20min": the window runs from
// the daId's issue time, not from the call. On a clock that moves a
// minute per reading, a wait starting 15 minutes after T0 stops about 5
// polls later with ErrPollWindowElapsed and the last answer; the context
// (a wall-clock minute) never ends it.
func TestWaitFinalWindowFromIssue(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	clk := &fakeClock{now: t0.Add(15 * time.Minute), step: time.Minute}
	mt := httpmock.NewMockTransport()
	n := statusSequence(mt, `{"daId":"DA1","daStatus":5}`)
	c := newClient(t, mt, evidence.WithClock(clk.Now))
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	s, err := c.WaitFinal(ctx, &evidence.GetStatusRequest{DaID: "DA1", IssuedAt: t0}, time.Millisecond)
	if !errors.Is(err, evidence.ErrPollWindowElapsed) || s == nil || s.DaStatus != 5 {
		t.Fatalf("WaitFinal = %+v, %v; want the last answer and ErrPollWindowElapsed", s, err)
	}
	if ctx.Err() != nil || n.Load() > 6 {
		t.Errorf("%d polls, ctx %v: the window must end the wait 20 minutes after T0", n.Load(), ctx.Err())
	}
	// A wait that starts after the window has passed polls once.
	n.Store(0)
	late := &fakeClock{now: t0.Add(21 * time.Minute), step: time.Second}
	c2 := newClient(t, mt, evidence.WithClock(late.Now))
	if _, err := c2.WaitFinal(ctx, &evidence.GetStatusRequest{DaID: "DA1", IssuedAt: t0}, time.Millisecond); !errors.Is(err, evidence.ErrPollWindowElapsed) || n.Load() != 1 {
		t.Errorf("late WaitFinal: %v after %d polls", err, n.Load())
	}
}

// TestWaitFinalFromStartAnswer: the start answer's IssuedAt (the client's
// clock when the daId arrived) is the T0 WaitFinal measures from.
func TestWaitFinalFromStartAnswer(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	clk := &fakeClock{now: t0, step: 0}
	_, c, _ := fakeClient(t, nil, evidence.SuiteRSA, evidence.WithClock(clk.Now))
	ctx := context.Background()
	st, err := c.StartAcquisition(ctx, fill(&evidence.StartAcquisitionRequest{Site: "tax", BizNo: "B-wait", OpenID: "u"}))
	if err != nil {
		t.Fatal(err)
	}
	r := st.StatusRequest()
	if r.DaID != st.DaID || !r.IssuedAt.Equal(t0) || !st.LinkExpires.Equal(t0.Add(evidence.LinkValidity)) {
		t.Fatalf("StatusRequest = %+v, LinkExpires %v", r, st.LinkExpires)
	}
	clk.mu.Lock()
	clk.now = t0.Add(evidence.FinalPollWindow + time.Second)
	clk.mu.Unlock()
	if _, err := c.WaitFinal(ctx, r, time.Millisecond); !errors.Is(err, evidence.ErrPollWindowElapsed) {
		t.Errorf("WaitFinal past T0+20min = %v", err)
	}
}
