package levy_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bizapi-cn/go-sdk/levy"
	"github.com/bizapi-cn/go-sdk/levy/levytest"
	"github.com/jarcoal/httpmock"
)

// TestSplitOrderTwoCloseNotifications (issue 15): §2.3 splits an order
// "拆分到多个资质所在地进行代付" and §2.4 sends one CLOSE_ORDER_NOTICE per
// remit order, differing in tax_agent_location_id. Both must reach the
// host through the deduplicating handler; a redelivery of either must not.
func TestSplitOrderTwoCloseNotifications(t *testing.T) {
	t.Parallel()
	base := time.Now()
	srv, c, n := newFlow(t, levytest.WithClock(func() time.Time { return base }), levytest.WithLocations(101, 102))
	ctx := context.Background()
	if _, err := c.CreateOrder(ctx, orderRequest("R-split")); err != nil {
		t.Fatal(err)
	}
	o := n.wait(t, levy.OperationCreateOrder).Data.(*levy.OrderNotification)
	if len(o.RemitOrderList) != 2 || o.RemitOrderList[0].TaxAgentLocationID == o.RemitOrderList[1].TaxAgentLocationID {
		t.Fatalf("order notification = %+v; want two remit orders at two locations", o)
	}
	srv.Inject(levytest.Fault{Kind: levytest.FaultDuplicateNotification})
	srv.Advance(73 * time.Hour)
	srv.WaitNotifications()
	locs := map[levy.ID]int{}
	n.mu.Lock()
	for _, x := range n.got {
		if cn, ok := x.Data.(*levy.CloseOrderNotification); ok {
			locs[cn.TaxAgentLocationID]++
		}
	}
	n.mu.Unlock()
	if len(locs) != 2 || locs["101"] != 1 || locs["102"] != 1 {
		t.Errorf("close notifications handled per location = %v; want 101 and 102 once each", locs)
	}
	if d := srv.Delivered(string(levy.OperationCloseOrderNotice)); d != 4 {
		t.Errorf("close notifications acknowledged %d times; want 4 (2 remit orders, each pushed twice)", d)
	}
	t.Logf("levy: split order: %d/2 close notifications handled once each, %d deliveries acknowledged", len(locs), srv.Delivered(string(levy.OperationCloseOrderNotice)))
}

// TestSignUpNotificationsDoNotCollide (issue 15): SIGN_UP notifications
// carry no request_id; two people's must be two notifications.
func TestSignUpNotificationsDoNotCollide(t *testing.T) {
	t.Parallel()
	c, srv := noticeClient(t)
	var mu sync.Mutex
	var got []string
	h := noticeHandler(t, c, func(_ context.Context, n *levy.Notification) error {
		mu.Lock()
		got = append(got, n.Data.(*levy.SignUpNotification).IDCard)
		mu.Unlock()
		return nil
	})
	for _, id := range []string{"110101199003074477", "11010119900307451X", "110101199003074477"} {
		body := srv.SignNotification(string(levy.OperationSignUp), map[string]any{"id_card": id, "status": "SIGN"})
		rec := httptest.NewRecorder()
		r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(string(body)))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		h.ServeHTTP(rec, r)
		if rec.Body.String() != "SUCCESS" {
			t.Errorf("delivery of %s: %d %s", id[:3], rec.Code, rec.Body)
		}
	}
	if len(got) != 2 || got[0] == got[1] {
		t.Errorf("host got %d sign-ups; want 2 distinct (the third was a redelivery)", len(got))
	}
	t.Logf("levy: SIGN_UP: 3 deliveries of 2 people's notifications, %d handled", len(got))
}

// TestIdempotencyKeyIsTheSignedBytes: the key is the kind and a hash of
// the verified req; any signed difference changes it, a redelivery keeps it.
func TestIdempotencyKeyIsTheSignedBytes(t *testing.T) {
	t.Parallel()
	c, srv := noticeClient(t)
	ctx := context.Background()
	key := func(data map[string]any) string {
		n, err := parseNotice(ctx, c, "", srv.SignNotification(string(levy.OperationCloseOrderNotice), data))
		if err != nil {
			t.Fatal(err)
		}
		return n.IdempotencyKey()
	}
	a := key(map[string]any{"request_id": "R1", "remit_status": "CLOSE", "tax_agent_location_id": "101"})
	b := key(map[string]any{"request_id": "R1", "remit_status": "CLOSE", "tax_agent_location_id": "102"})
	a2 := key(map[string]any{"request_id": "R1", "remit_status": "CLOSE", "tax_agent_location_id": "101"})
	if a == b || a != a2 || !strings.HasPrefix(a, "CLOSE_ORDER_NOTICE:") {
		t.Errorf("keys %q %q %q; want the first and third equal, the second different, prefixed by the kind", a, b, a2)
	}
}

// TestOutcomeUnknownCreateOrder (issue 15): every answer to CREATE_ORDER_V2
// that is not verified and fully decoded is ErrOutcomeUnknown keyed by the
// request_id, printed with the operation once, and reconciled by one call.
func TestOutcomeUnknownCreateOrder(t *testing.T) {
	t.Parallel()
	signed := func(body string) httpmock.Responder { return signedResponder(200, body, hmacB64(vectorSecret, body)) }
	cases := map[string]httpmock.Responder{
		"accept_time in RFC 3339": signed(`{"name":"CREATE_ORDER_V2","code":"0","message":"成功","data":{"request_id":"R1","accept_time":"2024-03-01T10:00:00+08:00"}}`),
		"code as a number":        signed(`{"name":"CREATE_ORDER_V2","code":0,"message":"成功","data":{"request_id":"R1","accept_time":"2024-03-01T10:00:00.000"}}`),
		"no accept_time":          signed(`{"name":"CREATE_ORDER_V2","code":"0","message":"成功","data":{"request_id":"R1"}}`),
		"another request_id":      signed(`{"name":"CREATE_ORDER_V2","code":"0","message":"成功","data":{"request_id":"R2","accept_time":"2024-03-01T10:00:00.000"}}`),
		"HTML 200":                httpmock.NewStringResponder(200, "<html>maintenance</html>"),
		"gateway 502":             httpmock.NewStringResponder(502, "<html>bad gateway</html>"),
		"unsigned refusal":        httpmock.NewStringResponder(200, `{"name":"CREATE_ORDER_V2","code":"0002","message":"参数不完整"}`),
		"bad signature":           signedResponder(200, `{"name":"CREATE_ORDER_V2","code":"0","message":"成功","data":{}}`, hmacB64("x", "y")),
		"connection reset":        httpmock.NewErrorResponder(errors.New("read tcp 127.0.0.1:1->127.0.0.1:2: connection reset by peer")),
	}
	unknown := 0
	defer func() {
		t.Logf("levy: CREATE_ORDER_V2: %d/%d ambiguous answers gave ErrOutcomeUnknown keyed by request_id", unknown, len(cases))
	}()
	for name, resp := range cases {
		c, mt := newMockClient(t, fixedTime)
		mt.RegisterResponder(http.MethodPost, levy.TestBaseURL+"/api/levy/v1", resp)
		_, err := c.CreateOrder(context.Background(), orderRequest("R1"))
		var ou *levy.OutcomeUnknownError
		if !errors.As(err, &ou) || !errors.Is(err, levy.ErrOutcomeUnknown) || ou.Key != "R1" || ou.Operation != levy.OperationCreateOrder {
			t.Errorf("%s: err = %v; want *OutcomeUnknownError keyed R1", name, err)
			continue
		}
		unknown++
		msg := err.Error()
		if !strings.HasPrefix(msg, "levy: CREATE_ORDER_V2: outcome unknown (query request_id R1 before retrying): ") ||
			strings.Count(msg, "CREATE_ORDER_V2") != 1 || strings.Count(msg, "levy:") != 1 {
			t.Errorf("%s: message %q; want the operation and the prefix once", name, msg)
		}
	}
	// The unsigned gateway page is an *HTTPError, not a forgery.
	c, mt := newMockClient(t, fixedTime)
	mt.RegisterResponder(http.MethodPost, levy.TestBaseURL+"/api/levy/v1", httpmock.NewStringResponder(502, "<html>bad gateway</html>"))
	_, err := c.CreateOrder(context.Background(), orderRequest("R1"))
	var he *levy.HTTPError
	if !errors.As(err, &he) || he.StatusCode != 502 || errors.Is(err, levy.ErrInvalidSignature) {
		t.Errorf("502: %v; want *HTTPError 502 and not ErrInvalidSignature", err)
	}

	// ReconcileOrder queries by the error's request_id.
	var form map[string][]string
	c, mt = newMockClient(t, fixedTime)
	q, sig := signedOK(levy.OperationQueryOrder, `{"request_id":"R1","status":"ACCEPT"}`)
	mt.RegisterResponder(http.MethodPost, levy.TestBaseURL+"/api/levy/v1", func(r *http.Request) (*http.Response, error) {
		_ = r.ParseForm()
		form = r.PostForm
		return signedResponder(200, q, sig)(r)
	})
	got, err := c.ReconcileOrder(context.Background(), fmt.Errorf("wrapped: %w", &levy.OutcomeUnknownError{Operation: levy.OperationCreateOrder, Key: "R1"}))
	if err != nil || got.RequestID != "R1" || !strings.Contains(form["req"][0], `"name":"QUERY_ORDER_V2"`) || got.Metadata.StatusCode != 200 {
		t.Errorf("ReconcileOrder = %+v, %v", got, err)
	}
	if _, err := c.ReconcileOrder(context.Background(), errors.New("other")); err == nil {
		t.Error("ReconcileOrder(other error) = nil error")
	}
}

// TestReconcileOrderOutcomes (review 2026-12-04, finding 3): after
// CREATE_ORDER_V2's unknown outcome only "no such order" lets the host
// send it again. The spec gives QUERY_ORDER_V2 no code for an unknown
// request_id (§3.1 L620-625: "0 成功, 0001 系统失败, 0002 参数不完整, 0003
// 验签失败, 1009, 1010"); 0002 is decided (ErrOrderNotFound) and is what
// levytest answers. "0001 系统失败" is a transient failure: once the query's
// retries are used up the order may still exist, so the outcome stays
// unknown (an *OutcomeUnknownError of CREATE_ORDER_V2, same Key), and so
// for every other error of the query.
func TestReconcileOrderOutcomes(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	lost := &levy.OutcomeUnknownError{Operation: levy.OperationCreateOrder, Key: "R1", Err: errors.New("connection reset")}
	url := levy.TestBaseURL + "/api/levy/v1"
	answer := func(code, msg string) string {
		return `{"name":"QUERY_ORDER_V2","code":"` + code + `","message":"` + msg + `","data":null}`
	}
	for name, body := range map[string]string{
		"0001 系统失败":              answer("0001", "系统失败"),
		"0003 验签失败":              answer("0003", "验签失败"),
		"another order's answer": `{"name":"QUERY_ORDER_V2","code":"0","message":"成功","data":{"request_id":"R-OTHER","status":"CLOSE"}}`,
	} {
		c, mt := newMockClient(t, fixedTime, levy.WithRetries(2))
		mt.RegisterResponder(http.MethodPost, url, signedResponder(200, body, hmacB64(vectorSecret, body)))
		q, err := c.ReconcileOrder(ctx, lost)
		var ou *levy.OutcomeUnknownError
		if q != nil || !errors.As(err, &ou) || ou.Operation != levy.OperationCreateOrder || ou.Key != "R1" || errors.Is(err, levy.ErrOrderNotFound) {
			t.Errorf("%s: ReconcileOrder = %v, %v; want an *OutcomeUnknownError of CREATE_ORDER_V2 keyed R1, not ErrOrderNotFound", name, q, err)
		}
		// Passed back in, it is reconciled again by the same request_id.
		if _, again := c.ReconcileOrder(ctx, err); !errors.Is(again, levy.ErrOutcomeUnknown) {
			t.Errorf("%s: ReconcileOrder(its own error) = %v; want ErrOutcomeUnknown again", name, again)
		}
	}
	// 0001 after the retries: the cause is the verified *APIError, reachable.
	c, mt := newMockClient(t, fixedTime, levy.WithRetries(2))
	body := answer("0001", "系统失败")
	mt.RegisterResponder(http.MethodPost, url, signedResponder(200, body, hmacB64(vectorSecret, body)))
	_, err := c.ReconcileOrder(ctx, lost)
	var api *levy.APIError
	if !errors.As(err, &api) || api.Code != levy.CodeSystemFailure || mt.GetCallCountInfo()["POST "+url] != 3 {
		t.Errorf("0001: %v after %d calls; want the 0001 *APIError inside, after 3 calls", err, mt.GetCallCountInfo()["POST "+url])
	}

	// Against the fake: an unknown request_id is ErrOrderNotFound, a
	// definite answer; an order taken before the connection dropped is found.
	srv, fc, _ := newFlow(t)
	_, err = fc.ReconcileOrder(ctx, &levy.OutcomeUnknownError{Operation: levy.OperationCreateOrder, Key: "R-never"})
	if !errors.Is(err, levy.ErrOrderNotFound) || errors.Is(err, levy.ErrOutcomeUnknown) || !errors.As(err, &api) || api.Code != levytest.CodeRefused {
		t.Errorf("unknown request_id: %v; want the fake's %s matching ErrOrderNotFound, not ErrOutcomeUnknown", err, levytest.CodeRefused)
	}
	srv.Inject(levytest.Fault{Kind: levytest.FaultProcessThenDrop, Count: 1})
	_, err = fc.CreateOrder(ctx, orderRequest("R-taken"))
	if !errors.Is(err, levy.ErrOutcomeUnknown) {
		t.Fatalf("CreateOrder with the answer dropped: %v; want ErrOutcomeUnknown", err)
	}
	if q, err := fc.ReconcileOrder(ctx, err); err != nil || q.RequestID != "R-taken" {
		t.Errorf("ReconcileOrder of a taken order = %v, %v; want the order", q, err)
	}
	// ErrOrderNotFound is QUERY_ORDER_V2's 0002 only.
	if errors.Is(&levy.APIError{Operation: levy.OperationCreateOrder, Code: levy.CodeIncompleteParameters}, levy.ErrOrderNotFound) {
		t.Error("CREATE_ORDER_V2's 0002 matches ErrOrderNotFound")
	}
}

// TestTimeErrorsPrint (issue 15): a timestamp outside the layouts gives an
// error whose Error() does not panic.
func TestTimeErrorsPrint(t *testing.T) {
	t.Parallel()
	for _, in := range []string{`"2024-03-01T10:00:00+08:00"`, `"x"`, `12`, `{}`, `"2024-13-01T00:00:00.000"`} {
		var tm levy.Time
		err := json.Unmarshal([]byte(in), &tm)
		if err == nil {
			t.Errorf("%s: nil error", in)
			continue
		}
		if s := fmt.Sprint(err); strings.Contains(s, "PANIC") || s == "" {
			t.Errorf("%s: error prints %q", in, s)
		}
	}
}

// TestIDsFromTheWire (issue 17): ids decode from a number, a string or ""
// and hold 20 digits.
func TestIDsFromTheWire(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]levy.ID{`101`: "101", `"101"`: "101", `""`: "", `null`: "", `"12345678901234567890"`: "12345678901234567890", `12345678901234567890`: "12345678901234567890"} {
		var id levy.ID
		if err := json.Unmarshal([]byte(in), &id); err != nil || id != want {
			t.Errorf("%s = %q, %v; want %q", in, id, err, want)
		}
	}
	for _, in := range []string{`"1a"`, `1.5`, `-1`, `"123456789012345678901"`, `true`} {
		var id levy.ID
		if err := json.Unmarshal([]byte(in), &id); err == nil {
			t.Errorf("%s: nil error", in)
		}
	}
	var n levy.CloseOrderNotification
	if err := json.Unmarshal([]byte(`{"request_id":"R1","tax_agent_location_id":"","Close_reason":"超时"}`), &n); err != nil || n.CloseReason != "超时" {
		t.Errorf("the spec's sample: %+v, %v", n, err)
	}
}

// TestOrderCloseCases (issue 17): §3.2's CLOSE is success with remit
// orders, failure without.
func TestOrderCloseCases(t *testing.T) {
	t.Parallel()
	ok := &levy.OrderNotification{Status: levy.OrderStatusClose, RemitOrderList: []levy.RemitOrder{{OrderID: "RO1"}}}
	bad := &levy.OrderNotification{Status: levy.OrderStatusClose, FailReason: "任务 ID 不存在"}
	accept := &levy.OrderNotification{Status: levy.OrderStatusAccept}
	if !ok.Created() || ok.Failed() || bad.Created() || !bad.Failed() || accept.Created() || accept.Failed() {
		t.Errorf("Created/Failed wrong: ok %v/%v bad %v/%v accept %v/%v", ok.Created(), ok.Failed(), bad.Created(), bad.Failed(), accept.Created(), accept.Failed())
	}
	if !levy.ValidIDCardChecksum("11010519491231002X") || levy.ValidIDCardChecksum("110105194912310021") {
		t.Error("ValidIDCardChecksum wrong on the GB 11643 sample")
	}
}

// TestFlowFailureNotifications (issue 17): the fake pushes the failures the
// service sends, and the client reads them: UN_SIGN, IDENTIFY_FAIL, an
// order closed without remit orders (§3.2 case 4).
func TestFlowFailureNotifications(t *testing.T) {
	t.Parallel()
	const id = "110101199003074477"
	srv, c, n := newFlow(t, levytest.WithRejected(id))
	ctx := context.Background()
	if _, err := c.SignUp(ctx, &levy.SignUpRequest{IDCard: id, Name: "李四", Cellphone: "13800138000", BankcardNo: "6222020200112233445"}); err != nil {
		t.Fatal(err)
	}
	if su := n.wait(t, levy.OperationSignUp).Data.(*levy.SignUpNotification); su.Status != levy.SignStatusUnSign {
		t.Errorf("sign-up notification %v; want UN_SIGN", su)
	}
	if _, err := c.CreateOrder(ctx, orderRequest("R-rejected")); err != nil {
		t.Fatal(err)
	}
	if o := n.wait(t, levy.OperationCreateOrder).Data.(*levy.OrderNotification); !o.Failed() || o.Created() || o.FailReason == "" {
		t.Errorf("order notification %+v; want closed without remit orders", o)
	}
	jpg := mustFile(t, jpegFile(t))
	if _, err := c.UploadIDCardImage(ctx, &levy.UploadIDCardImageRequest{RequestID: "I1", IDCardNo: id, RealName: "李四", FrontImage: jpg, BackImage: jpg}); err != nil {
		t.Fatal(err)
	}
	if im := n.wait(t, levy.OperationUploadIDCardImage).Data.(*levy.IDCardImageNotification); im.Status != levy.IDImageStatusIdentifyFail || im.FailReason == "" {
		t.Errorf("ID image notification %+v; want IDENTIFY_FAIL with a reason", im)
	}
	srv.WaitNotifications()
}

// TestAnswersEchoTheRequest (issue 15): a verified answer naming another
// request is not this call's answer: outcome unknown.
func TestAnswersEchoTheRequest(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t, fixedTime)
	body, sig := signedOK(levy.OperationConfirmOrder, `{"order_id":"RO2"}`)
	mt.RegisterResponder(http.MethodPost, levy.TestBaseURL+"/api/levy/v1", signedResponder(200, body, sig))
	_, err := c.ConfirmOrder(context.Background(), &levy.ConfirmOrderRequest{OrderID: "RO1", ArisingTime: levy.Time{Time: fixedTime}, NextStep: levy.NextStepContinue})
	var ou *levy.OutcomeUnknownError
	if !errors.As(err, &ou) || ou.Key != "RO1" || !errors.Is(err, levy.ErrMalformedResponse) {
		t.Errorf("ConfirmOrder answered for RO2: %v; want outcome unknown keyed RO1", err)
	}
}

// TestIDsInRequests (issue 17): a request's ids are sent as JSON numbers
// of up to 20 digits; anything else is refused before sending.
func TestIDsInRequests(t *testing.T) {
	t.Parallel()
	r := orderRequest("R1")
	r.TaxAgentParentID, r.TaxAgentLocationID = "12345678901234567890", "101"
	b, err := json.Marshal(r)
	if err != nil || !strings.Contains(string(b), `"tax_agent_parent_id":12345678901234567890,"tax_agent_location_id":101`) {
		t.Errorf("encoded %s, %v", b, err)
	}
	for _, bad := range []levy.ID{"0", "1a", "-1", "123456789012345678901", "012", "00"} {
		r.TaxAgentParentID = bad
		if got := fields(r.Validate()); len(got) != 1 || got[0] != "tax_agent_parent_id" {
			t.Errorf("tax_agent_parent_id %q: fields %v", bad, got)
		}
	}
}

// TestBadIDsRefusedBeforeSending (review 2026-12-04, finding 2): an I field
// ("tax_agent_parent_id	N	I	20", §2.2 L224, §2.3 L249, §2.6 L378) is an
// integer: "012" would be sent as 012, which is not JSON, and "0" or "abc"
// is none. Each is a *ValidationError naming the wire field, with its index
// in batch_details, and nothing is sent.
func TestBadIDsRefusedBeforeSending(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	if b, err := levy.ID("012").MarshalJSON(); err == nil {
		t.Errorf(`ID("012").MarshalJSON() = %s, nil; want an error (012 is not JSON)`, b)
	}
	c, mt := newMockClient(t, fixedTime)
	body, sig := signedOK(levy.OperationCreateOrder, `{"request_id":"R1","accept_time":"2024-03-01T10:00:00.000"}`)
	mt.RegisterResponder(http.MethodPost, levy.TestBaseURL+"/api/levy/v1", signedResponder(200, body, sig))
	r := orderRequest("R1")
	r.TaxAgentParentID = "012"
	_, err := c.CreateOrder(ctx, r)
	var ve *levy.ValidationError
	if !errors.As(err, &ve) || len(ve.Fields) != 1 || ve.Fields[0].Field != "tax_agent_parent_id" {
		t.Errorf(`CreateOrder(tax_agent_parent_id "012") = %v; want a *ValidationError naming tax_agent_parent_id`, err)
	}
	for _, bad := range []levy.ID{"0", "abc", "012", "123456789012345678901"} {
		q := &levy.QuerySignUpBatchRequest{BatchNo: "B1", BatchDetails: []levy.SignUpQuery{{IDCard: "110101199003074477", TaxAgentParentID: "12"},
			{IDCard: "110101199003074477", TaxAgentParentID: bad}}}
		_, err := c.QuerySignUpBatch(ctx, q)
		if got := fields(err); len(got) != 1 || got[0] != "batch_details[1].tax_agent_parent_id" {
			t.Errorf("QuerySignUpBatch(batch_details[1].tax_agent_parent_id %q): fields %v (%v); want batch_details[1].tax_agent_parent_id", bad, got, err)
		}
	}
	if n := mt.GetTotalCallCount(); n != 0 {
		t.Errorf("%d requests sent; want none", n)
	}
}

// TestAmbiguousMembersRefused (issue 15): a verified answer or notification
// with a member twice, or in two cases, is refused: encoding/json would
// take one of them silently.
func TestAmbiguousMembersRefused(t *testing.T) {
	t.Parallel()
	for name, data := range map[string]string{
		"twice":       `{"request_id":"R1","accept_time":"2024-03-01T10:00:00.000","request_id":"R1"}`,
		"two cases":   `{"request_id":"R1","accept_time":"2024-03-01T10:00:00.000","ACCEPT_TIME":"2024-03-02T10:00:00.000"}`,
		"long s fold": `{"request_id":"R1","accept_time":"2024-03-01T10:00:00.000","requeſt_id":"R2"}`,
	} {
		c, mt := newMockClient(t, fixedTime)
		body, sig := signedOK(levy.OperationCreateOrder, data)
		mt.RegisterResponder(http.MethodPost, levy.TestBaseURL+"/api/levy/v1", signedResponder(200, body, sig))
		_, err := c.CreateOrder(context.Background(), orderRequest("R1"))
		if !errors.Is(err, levy.ErrMalformedResponse) || !errors.Is(err, levy.ErrOutcomeUnknown) {
			t.Errorf("%s: %v; want ErrMalformedResponse and ErrOutcomeUnknown", name, err)
		}
	}
	c, srv := noticeClient(t)
	req := `{"name":"CLOSE_ORDER_NOTICE","code":"0","message":"","data":{"request_id":"R1","close_reason":"a","Close_reason":"b"}}`
	body := []byte("req=" + url.QueryEscape(req) + "&sign=" + url.QueryEscape(hmacB64(srv.Secret, req)))
	if _, err := parseNotice(context.Background(), c, "", body); !errors.Is(err, levy.ErrMalformedNotification) {
		t.Errorf("notification with close_reason and Close_reason: %v; want ErrMalformedNotification", err)
	}
}
