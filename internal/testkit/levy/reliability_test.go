package levy_test

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/bizapi-cn/go-sdk/internal/fault"
	"github.com/bizapi-cn/go-sdk/internal/testkit/loadtest"
	"github.com/bizapi-cn/go-sdk/internal/testkit/tampertest"
	"github.com/bizapi-cn/go-sdk/levy"
	"github.com/bizapi-cn/go-sdk/levy/levytest"
)

// TestReliabilityTamperedNotices: every forged or tampered notice is
// refused by ParseNotice with a typed error and by NoticeHandler with
// FAIL, and never reaches the host (RELIABILITY.md counts them).
func TestReliabilityTamperedNotices(t *testing.T) {
	t.Parallel()
	c, srv := noticeClient(t)
	var calls atomic.Int64
	h := noticeHandler(t, c, func(context.Context, *levy.Notification) error { calls.Add(1); return nil })
	const ct = "application/x-www-form-urlencoded"
	req := `{"name":"CREATE_ORDER_V2","code":"0","message":"成功","data":{"request_id":"R1","status":"CLOSE","remit_order_list":[{"order_id":"RO1","amount":"100.00"}]}}`
	sign := func(secret, r string) string { return hmacB64(secret, r) }
	form := func(r, s string) []byte { return []byte(url.Values{"req": {r}, "sign": {s}}.Encode()) }
	good := form(req, sign(srv.Secret, req))
	if _, err := parseNotice(context.Background(), c, ct, good); err != nil {
		t.Fatalf("genuine notice refused: %v", err)
	}
	other := `{"name":"CREATE_ORDER_V2","code":"0","message":"成功","data":{"request_id":"R2","status":"CLOSE"}}`
	mod := func(old, new string) []byte { return form(strings.Replace(req, old, new, 1), sign(srv.Secret, req)) }
	cases := []tampertest.Case{
		{Name: "wrong key", ContentType: ct, Body: form(req, sign("another-secret", req)), Want: levy.ErrInvalidSignature},
		{Name: "flipped byte", ContentType: ct, Body: mod(`"100.00"`, `"900.00"`), Want: levy.ErrInvalidSignature},
		{Name: "field added", ContentType: ct, Body: mod(`"status":"CLOSE"`, `"status":"CLOSE","fee":"0.00"`), Want: levy.ErrInvalidSignature},
		{Name: "field removed", ContentType: ct, Body: mod(`,"message":"成功"`, ``), Want: levy.ErrInvalidSignature},
		{Name: "fields reordered", ContentType: ct, Body: mod(`"code":"0","message":"成功"`, `"message":"成功","code":"0"`), Want: levy.ErrInvalidSignature},
		{Name: "signature of another notice", ContentType: ct, Body: form(req, sign(srv.Secret, other)), Want: levy.ErrInvalidSignature},
		{Name: "truncated body", ContentType: ct, Body: good[:len(good)/2], Want: nil},
		{Name: "wrong content type", ContentType: "application/json", Body: good, Want: levy.ErrMalformedNotification},
		{Name: "invalid UTF-8", ContentType: ct, Body: form(strings.Replace(req, "成功", "\xff\xfe", 1), sign(srv.Secret, strings.Replace(req, "成功", "\xff\xfe", 1))), Want: levy.ErrMalformedNotification},
		{Name: "duplicate req", ContentType: ct, Body: append(bytes.Clone(good), "&req="+url.QueryEscape(other)...), Want: levy.ErrMalformedNotification},
		{Name: "duplicate sign", ContentType: ct, Body: append(bytes.Clone(good), "&sign=AAAA"...), Want: levy.ErrMalformedNotification},
		{Name: "no sign", ContentType: ct, Body: []byte("req=" + url.QueryEscape(req)), Want: levy.ErrMalformedNotification},
		{Name: "empty body", ContentType: ct, Body: nil, Want: levy.ErrMalformedNotification},
		{Name: "sign not base64", ContentType: ct, Body: form(req, "%%%"), Want: levy.ErrInvalidSignature},
		{Name: "oversized", ContentType: ct, Body: tampertest.Oversized(good, levy.DefaultMaxNotificationBytes), HandlerOnly: true, WantStatus: http.StatusRequestEntityTooLarge},
	}
	refused, tried := tampertest.Run(t, tampertest.Target{
		Parse: func(ctx context.Context, ct string, _ http.Header, b []byte) error {
			_, err := parseNotice(ctx, c, ct, b)
			return err
		},
		Handler: h, Calls: func() int { return int(calls.Load()) },
		Acked: func(status int, body []byte) bool { return status == 200 && string(body) == "SUCCESS" },
	}, cases)
	// A replay of a handled notice is acknowledged (the provider must stop
	// retrying) and not handled again.
	for range 2 {
		if rec := tampertest.Deliver(h, ct, nil, good); rec.Code != 200 || rec.Body.String() != "SUCCESS" {
			t.Errorf("genuine/replayed: %d %s", rec.Code, rec.Body)
		}
	}
	if calls.Load() != 1 {
		t.Errorf("genuine and replayed notice handled %d times; want 1", calls.Load())
	}
	t.Logf("levy: %d/%d tampered notices refused; a replay was handled once", refused, tried)
}

// TestReliabilityOutboundFaults: each fault the fake injects, on a query,
// an order creation and a confirmation: the typed error, and how many
// requests reached the fake (queries retried, state changes never after
// they may have arrived).
func TestReliabilityOutboundFaults(t *testing.T) {
	t.Parallel()
	type op struct {
		name  levy.Operation
		query bool
		call  func(ctx context.Context, c *levy.Client, id, remit string) error
	}
	ops := []op{
		{levy.OperationQueryOrder, true, func(ctx context.Context, c *levy.Client, id, remit string) error {
			_, err := c.QueryOrder(ctx, &levy.QueryOrderRequest{RequestID: id})
			return err
		}},
		{levy.OperationCreateOrder, false, func(ctx context.Context, c *levy.Client, id, remit string) error {
			_, err := c.CreateOrder(ctx, orderRequest(id))
			return err
		}},
		{levy.OperationConfirmOrder, false, func(ctx context.Context, c *levy.Client, id, remit string) error {
			_, err := c.ConfirmOrder(ctx, &levy.ConfirmOrderRequest{OrderID: remit, NextStep: levy.NextStepContinue, ArisingTime: levy.Time{Time: time.Now()}})
			return err
		}},
	}
	faults := []struct {
		name  string
		fault levytest.Fault
		// want checks err for a query and for a state change.
		queryOK     bool
		wantQuery   int // requests for a query
		wantState   error
		deadline    time.Duration
		stateErrAlt error
	}{
		{"500", levytest.Fault{Kind: levytest.FaultStatus500}, true, 2, levy.ErrOutcomeUnknown, 0, nil},
		{"reset before processing", levytest.Fault{Kind: levytest.FaultDropConnection}, true, 2, levy.ErrOutcomeUnknown, 0, nil},
		{"reset after processing", levytest.Fault{Kind: levytest.FaultProcessThenDrop}, true, 2, levy.ErrOutcomeUnknown, 0, nil},
		{"truncated answer", levytest.Fault{Kind: levytest.FaultTruncated}, true, 2, levy.ErrOutcomeUnknown, 0, nil},
		{"bad answer signature", levytest.Fault{Kind: levytest.FaultBadSignature}, false, 1, levy.ErrInvalidSignature, 0, levy.ErrOutcomeUnknown},
		{"delay past the deadline", levytest.Fault{Kind: levytest.FaultDelay, Delay: 3 * time.Second}, false, 1, context.DeadlineExceeded, 150 * time.Millisecond, levy.ErrOutcomeUnknown},
	}
	survived, tried := 0, 0
	for fi, f := range faults {
		for oi, o := range ops {
			srv, c, _ := newFlow(t)
			ctx := context.Background()
			id := fmt.Sprintf("F%d-%d", fi, oi)
			var remit string
			if o.name != levy.OperationCreateOrder {
				if _, err := c.CreateOrder(ctx, orderRequest(id)); err != nil {
					t.Fatal(err)
				}
				q, err := c.QueryOrder(ctx, &levy.QueryOrderRequest{RequestID: id})
				if err != nil || len(q.RemitOrderList) == 0 {
					t.Fatalf("QueryOrder = %+v, %v", q, err)
				}
				remit = q.RemitOrderList[0].OrderID
			}
			before := srv.Calls(string(o.name))
			f.fault.Count = 1
			srv.Inject(f.fault)
			if f.deadline > 0 {
				var cancel context.CancelFunc
				ctx, cancel = context.WithTimeout(ctx, f.deadline)
				defer cancel()
			}
			err := o.call(ctx, c, id, remit)
			n := srv.Calls(string(o.name)) - before
			tried++
			var ok bool
			switch {
			case o.query && f.queryOK:
				ok = err == nil && n == f.wantQuery
			case o.query:
				ok = err != nil && n == f.wantQuery
			default:
				ok = errors.Is(err, f.wantState) && (f.stateErrAlt == nil || errors.Is(err, f.stateErrAlt)) && n == 1
			}
			if ok {
				survived++
			} else {
				t.Errorf("%s on %s: err %v after %d requests", f.name, o.name, err, n)
			}
		}
	}
	// TLS failure: the fake behind a certificate the client does not
	// trust. Nothing reaches it, so even a state change may be retried.
	srv := newFake(t)
	defer srv.Close()
	tlsSrv, handshakes := fault.UntrustedTLS(srv.Config.Handler)
	defer tlsSrv.Close()
	c, _ := levy.NewClient(levy.WithCredentials(srv.ClientKey, srv.Secret), levy.WithBaseURL(tlsSrv.URL), levy.WithRetries(2),
		levy.WithHTTPClient(fault.SystemRootsClient()))
	_, err := c.CreateOrder(context.Background(), orderRequest("F-tls"))
	var cert *tls.CertificateVerificationError
	tried++
	if errors.As(err, &cert) && !errors.Is(err, levy.ErrOutcomeUnknown) && srv.Calls(string(levy.OperationCreateOrder)) == 0 && handshakes() == 1 { // an untrusted certificate is never retried
		survived++
	} else {
		t.Errorf("TLS failure: err %v, %d requests reached the fake, %d handshakes; want a certificate error, 0, 1 (never retried)", err, srv.Calls(string(levy.OperationCreateOrder)), handshakes())
	}
	// A TLS record error on the answer, after the fake took the order
	// (bytes a device on the path wrote): unknown, and never sent again.
	corrupt := fault.CorruptTLS(srv.Config.Handler, nil)
	defer corrupt.Close()
	c, _ = levy.NewClient(levy.WithCredentials(srv.ClientKey, srv.Secret), levy.WithBaseURL(corrupt.URL), levy.WithRetries(2),
		levy.WithHTTPClient(corrupt.Client()))
	before := srv.Calls(string(levy.OperationCreateOrder))
	_, err = c.CreateOrder(context.Background(), orderRequest("F-tls-record"))
	tried++
	if n := srv.Calls(string(levy.OperationCreateOrder)) - before; errors.Is(err, levy.ErrOutcomeUnknown) && n == 1 {
		survived++
	} else {
		t.Errorf("TLS record error after processing: err %v, %d requests; want ErrOutcomeUnknown, 1", err, n)
	}
	t.Logf("levy: %d/%d outbound faults gave the right error and request count", survived, tried)
}

// TestReliabilityNoticeDelivery: loadtest.Size() notices (10,000 with
// RELIABILITY_LONG=1) in bursts of 100, 10%% delivered twice at once, the
// host failing 10%% of the time: each handled exactly once, none
// acknowledged early, all eventually acknowledged.
func TestReliabilityNoticeDelivery(t *testing.T) {
	t.Parallel()
	c, srv := noticeClient(t)
	run := loadtest.New(loadtest.Config{Burst: 100, Duplicates: 0.1, FailRate: 0.1, Seed: 7,
		Acked: func(status int, body []byte) bool { return status == 200 && string(body) == "SUCCESS" }})
	h := noticeHandler(t, c, func(ctx context.Context, n *levy.Notification) error {
		return run.Host(ctx, n.Data.(*levy.OrderNotification).RequestID)
	})
	notes := make([]loadtest.Note, loadtest.Size())
	for i := range notes {
		id := fmt.Sprintf("R-%05d", i)
		notes[i] = loadtest.Note{ID: id, ContentType: "application/x-www-form-urlencoded",
			Body: srv.SignNotification(string(levy.OperationCreateOrder), map[string]any{"request_id": id, "status": "CLOSE"})}
	}
	res, err := run.Deliver(context.Background(), h, notes)
	if err != nil || !res.OK() {
		t.Fatalf("%v, %v", res, err)
	}
	t.Logf("levy: %v", res)
}
