package allinpay_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/bizapi-cn/go-sdk/allinpay"
	"github.com/bizapi-cn/go-sdk/allinpay/allinpaytest"
	"github.com/bizapi-cn/go-sdk/internal/kv"
	"github.com/bizapi-cn/go-sdk/internal/testkit/tampertest"
	"github.com/jarcoal/httpmock"
)

// answerWith serves, to every request, the fields of answer(form) signed
// by the platform key, then edit(raw JSON) applied to the signed bytes.
func answerWith(t *testing.T, mt *httpmock.MockTransport, answer func(form map[string]string) map[string]string, edit func([]byte) []byte) {
	t.Helper()
	mt.RegisterNoResponder(func(r *http.Request) (*http.Response, error) {
		_ = r.ParseForm()
		form := map[string]string{}
		for k, v := range r.PostForm {
			form[k] = v[0]
		}
		f := answer(form)
		f["signature"] = platformSign(t, f)
		b, _ := json.Marshal(f)
		if edit != nil {
			b = edit(b)
		}
		return httpmock.NewBytesResponse(200, b), nil
	})
}

func echo(form map[string]string, more map[string]string) map[string]string {
	f := map[string]string{"requestNo": form["requestNo"], "version": "V1.0", "accessCode": form["accessCode"], "transType": form["transType"],
		"signType": "RSA2", "mchNo": form["mchNo"], "outTransNo": form["outTransNo"], "returnCode": "0000", "returnMsg": "succeed"}
	if form["transType"] == "TRANS_QUERY" {
		f["outTransNo"] = form["oriOutTransNo"]
	}
	for k, v := range more {
		f[k] = v
	}
	return f
}

func refundReq() *allinpay.RefundRequest {
	return &allinpay.RefundRequest{TransType: allinpay.TransTypeAlipayReturn, OutTransNo: "RF-1", OriOutTransNo: "O-1", TransAmount: 50,
		Currency: allinpay.CurrencyHKD, NotifyURL: "https://m.example.com/n"}
}

// TestSignedRefusalFoldedIntoRequestNo (issue 15): a signed 0027 refusal
// whose resultCode and resultMsg are folded into requestNo has the same
// canonical string, so its signature verifies. Refund returned nil; now
// the ambiguous field set is refused and the refund's outcome is unknown.
func TestSignedRefusalFoldedIntoRequestNo(t *testing.T) {
	t.Parallel()
	c, mt := mockClient(t, "REQ-1")
	answerWith(t, mt, func(form map[string]string) map[string]string {
		return echo(form, map[string]string{"resultCode": "0027", "resultMsg": "Transaction amount is illegal"})
	}, func(b []byte) []byte {
		var f map[string]string
		_ = json.Unmarshal(b, &f)
		f["requestNo"] += "&resultCode=" + f["resultCode"] + "&resultMsg=" + f["resultMsg"]
		delete(f, "resultCode")
		delete(f, "resultMsg")
		out, _ := json.Marshal(f)
		return out
	})
	_, err := c.Refund(context.Background(), refundReq())
	if !errors.Is(err, allinpay.ErrOutcomeUnknown) || !errors.Is(err, allinpay.ErrMalformedResponse) {
		t.Fatalf("folded refusal: %v; want ErrOutcomeUnknown (malformed answer)", err)
	}
	var ou *allinpay.OutcomeUnknownError
	if errors.As(err, &ou); ou.Key != "RF-1" || strings.Count(err.Error(), "ALIPAY_RETURN") != 1 {
		t.Errorf("error %q: want Key RF-1 and the operation printed once", err)
	}
}

// TestResultCodeRequired (issue 15, spec §1.7.1: "Judge the transaction
// result by resultCode"): returnCode 0000 without resultCode is not
// success.
func TestResultCodeRequired(t *testing.T) {
	t.Parallel()
	c, mt := mockClient(t, "REQ-1")
	answerWith(t, mt, func(form map[string]string) map[string]string { return echo(form, nil) }, nil)
	if _, err := c.Refund(context.Background(), refundReq()); !errors.Is(err, allinpay.ErrOutcomeUnknown) {
		t.Errorf("refund answered 0000 without resultCode: %v; want ErrOutcomeUnknown", err)
	}
	if _, err := c.QueryOrder(context.Background(), &allinpay.QueryOrderRequest{OriOutTransNo: "O-1"}); !errors.Is(err, allinpay.ErrMalformedResponse) {
		t.Errorf("query answered 0000 without resultCode: %v; want ErrMalformedResponse", err)
	}
}

// TestTypedViewIsSignedView (issue 15): an empty or null member is outside
// the signature; appended in another case it must not change what the
// host reads. Both answers are refused, and WaitFinal does not return a
// processing order as final.
func TestTypedViewIsSignedView(t *testing.T) {
	t.Parallel()
	for name, extra := range map[string]string{
		`"RESULTCODE":""`:    `,"RESULTCODE":""}`,
		`"TRANSAMOUNT":null`: `,"TRANSAMOUNT":null}`,
	} {
		c, mt := mockClient(t, "REQ-1")
		answerWith(t, mt, func(form map[string]string) map[string]string {
			return echo(form, map[string]string{"resultCode": "P000", "resultMsg": "processing", "transAmount": "1050", "currency": "HKD", "transNo": "T1"})
		}, func(b []byte) []byte { return append(b[:len(b)-1], extra...) })
		_, err := c.QueryOrder(context.Background(), &allinpay.QueryOrderRequest{OriOutTransNo: "O-1"})
		if !errors.Is(err, allinpay.ErrMalformedResponse) {
			t.Errorf("%s: %v; want ErrMalformedResponse", name, err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
		q, err := c.WaitFinal(ctx, &allinpay.QueryOrderRequest{OriOutTransNo: "O-1"}, 0)
		cancel()
		if err == nil || !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("%s: WaitFinal = %+v, %v; want it still waiting at the deadline", name, q, err)
		}
	}
}

// TestAnswerEchoesRequest (issue 15): an answer for another request (its
// requestNo, outTransNo, mchNo or transType) is not this call's answer.
func TestAnswerEchoesRequest(t *testing.T) {
	t.Parallel()
	for _, k := range []string{"requestNo", "outTransNo", "mchNo", "transType"} {
		c, mt := mockClient(t, "REQ-1")
		answerWith(t, mt, func(form map[string]string) map[string]string {
			return echo(form, map[string]string{"resultCode": "0000", "resultMsg": "ok", "transNo": "T1", k: "OTHER"})
		}, nil)
		if _, err := c.Refund(context.Background(), refundReq()); !errors.Is(err, allinpay.ErrOutcomeUnknown) || !errors.Is(err, allinpay.ErrMalformedResponse) {
			t.Errorf("%s of another request: %v; want ErrOutcomeUnknown", k, err)
		}
	}
}

// TestRefusalEchoesRequest: a signed refusal is a definite answer only for
// the request it names. The platform key is the same for every merchant,
// so a signed refusal of another request (another merchant's, or one
// recorded earlier) put in place of a payment's answer read as "not
// paid", and the host paid again. Every response table marks requestNo
// and mchNo M (conformance/allinpay.md row 24: "§1.5.2.x responses echo
// requestNo, mchNo, outTransNo, transType as M"): a refusal naming
// another request is ErrMalformedResponse,
// one naming none is not definite; either way the payment's outcome is
// unknown. WaitFinal waits out such an answer.
func TestRefusalEchoesRequest(t *testing.T) {
	t.Parallel()
	pay := &allinpay.PayRequest{TransType: allinpay.TransTypeWxpayScancode, OutTransNo: "O-1", TransAmount: 1, Currency: allinpay.CurrencyHKD, NotifyURL: "https://m.example.com/n"}
	refusals := map[string]map[string]string{
		"returnCode": {"returnCode": "0001", "returnMsg": "Illegal request"},
		"resultCode": {"resultCode": "0027", "resultMsg": "Transaction amount is illegal"},
	}
	for name, refusal := range refusals {
		for _, edit := range []struct {
			k, v   string
			wantMR bool // ErrMalformedResponse
		}{{"requestNo", "OTHER", true}, {"mchNo", "OTHER", true}, {"outTransNo", "OTHER", true}, {"transType", "ALIPAY_SCANCODE", true}, {"requestNo", "", false}, {"mchNo", "", false}} {
			c, mt := mockClient(t, "REQ-1")
			answerWith(t, mt, func(form map[string]string) map[string]string {
				f := echo(form, refusal)
				if edit.v == "" {
					delete(f, edit.k)
				} else {
					f[edit.k] = edit.v
				}
				return f
			}, nil)
			_, err := c.Pay(context.Background(), pay)
			if !errors.Is(err, allinpay.ErrOutcomeUnknown) || errors.Is(err, allinpay.ErrMalformedResponse) != edit.wantMR {
				t.Errorf("%s refusal with %s %q: %v; want ErrOutcomeUnknown (malformed %v)", name, edit.k, edit.v, err, edit.wantMR)
			}
		}
		// The same refusal naming the request is the definite answer.
		c, mt := mockClient(t, "REQ-1")
		answerWith(t, mt, func(form map[string]string) map[string]string { return echo(form, refusal) }, nil)
		var ae *allinpay.APIError
		if _, err := c.Pay(context.Background(), pay); !errors.As(err, &ae) || errors.Is(err, allinpay.ErrOutcomeUnknown) {
			t.Errorf("%s refusal of this request: %v; want the *APIError", name, err)
		}
	}
	// WaitFinal waits out a refusal without requestNo (the next query is
	// 10 s away: the deadline ends the wait), where it returns this
	// request's refusal at once.
	for _, bound := range []bool{false, true} {
		c, mt := mockClient(t, "REQ-1")
		n := 0
		answerWith(t, mt, func(form map[string]string) map[string]string {
			n++
			f := echo(form, refusals["resultCode"])
			if !bound {
				delete(f, "requestNo")
			}
			return f
		}, nil)
		ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
		_, err := c.WaitFinal(ctx, &allinpay.QueryOrderRequest{OriOutTransNo: "O-1"}, 0)
		cancel()
		if waited := errors.Is(err, context.DeadlineExceeded); waited == bound || n != 1 {
			t.Errorf("WaitFinal on a refusal (naming the query: %v): %v after %d queries", bound, err, n)
		}
	}
}

// TestResultCodeMeaning (issue 15, §1.7.2): every code of the table is
// classified; the error says which, and 9999/0040 on a payment are
// ErrOutcomeUnknown, 0022/0074 ask for a query, 9996 for a retry.
func TestResultCodeMeaning(t *testing.T) {
	t.Parallel()
	for code, want := range map[allinpay.ResultCode]allinpay.Meaning{
		"0000": allinpay.MeaningSuccess, "P000": allinpay.MeaningProcessing, "9997": allinpay.MeaningProcessing, "0051": allinpay.MeaningProcessing,
		"9996": allinpay.MeaningRetryLater, "9999": allinpay.MeaningOutcomeUnknown, "0040": allinpay.MeaningOutcomeUnknown,
		"0022": allinpay.MeaningQueryOrder, "0074": allinpay.MeaningQueryOrder, "0027": allinpay.MeaningRefused, "X123": allinpay.MeaningRefused,
	} {
		if got := code.Meaning(); got != want {
			t.Errorf("%s means %v; want %v", code, got, want)
		}
	}
	pay := &allinpay.PayRequest{TransType: allinpay.TransTypeWxpayScancode, OutTransNo: "O-1", TransAmount: 1, Currency: allinpay.CurrencyHKD, NotifyURL: "https://m.example.com/n"}
	for code, check := range map[string]func(error) bool{
		"9999": func(err error) bool { return errors.Is(err, allinpay.ErrOutcomeUnknown) },
		"0040": func(err error) bool { return errors.Is(err, allinpay.ErrOutcomeUnknown) },
		"0022": func(err error) bool {
			var ae *allinpay.APIError
			return errors.As(err, &ae) && ae.Meaning() == allinpay.MeaningQueryOrder && strings.Contains(err.Error(), "query it")
		},
		"0074": func(err error) bool {
			var ae *allinpay.APIError
			return errors.As(err, &ae) && ae.Meaning() == allinpay.MeaningQueryOrder && !errors.Is(err, allinpay.ErrOutcomeUnknown)
		},
		"9996": func(err error) bool {
			var ae *allinpay.APIError
			return errors.As(err, &ae) && ae.Meaning() == allinpay.MeaningRetryLater && strings.Contains(err.Error(), "retry later")
		},
		"0051": func(err error) bool { return err == nil },
	} {
		c, mt := mockClient(t, "REQ-1")
		answerWith(t, mt, func(form map[string]string) map[string]string {
			return echo(form, map[string]string{"resultCode": code, "resultMsg": "m"})
		}, nil)
		if _, err := c.Pay(context.Background(), pay); !check(err) {
			t.Errorf("payment answered %s: %v", code, err)
		}
	}
}

// TestEarlierPendingIsRefusal: §1.7.2 lists "0033 The last voiding is
// processing" and "0034 The last refunding is processing" under "Fail".
// They speak of an earlier void or refund of the original transaction:
// the void or refund they answer was not taken, so it is a refusal, never
// a processing result. WaitFinal returns it as the refusal it is (waiting
// it out would wait for ever on a refund the platform refused).
func TestEarlierPendingIsRefusal(t *testing.T) {
	t.Parallel()
	void := &allinpay.VoidRequest{TransType: allinpay.TransTypeWxpayCancel, OutTransNo: "V-1", OriOutTransNo: "O-1", NotifyURL: "https://m.example.com/n"}
	for _, code := range []allinpay.ResultCode{allinpay.ResultCodeVoidProcessing, allinpay.ResultCodeRefundProcessing} {
		if code.Meaning() != allinpay.MeaningRefused || code.Processing() {
			t.Errorf("%s means %v (processing %v); want refused", code, code.Meaning(), code.Processing())
		}
		for name, call := range map[string]func(*allinpay.Client) error{
			"refund": func(c *allinpay.Client) error { _, err := c.Refund(context.Background(), refundReq()); return err },
			"void":   func(c *allinpay.Client) error { _, err := c.Void(context.Background(), void); return err },
		} {
			c, mt := mockClient(t, "REQ-1")
			answerWith(t, mt, func(form map[string]string) map[string]string {
				return echo(form, map[string]string{"resultCode": string(code), "resultMsg": "The last refunding is processing"})
			}, nil)
			err := call(c)
			var ae *allinpay.APIError
			if !errors.As(err, &ae) || ae.ResultCode != code || errors.Is(err, allinpay.ErrOutcomeUnknown) || !strings.Contains(err.Error(), "not taken") {
				t.Errorf("%s answered %s: %v; want a refusal (*APIError) saying it was not taken", name, code, err)
			}
		}
		c, mt := mockClient(t, "REQ-1")
		answerWith(t, mt, func(form map[string]string) map[string]string {
			return echo(form, map[string]string{"resultCode": string(code), "resultMsg": "m"})
		}, nil)
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		q, err := c.WaitFinal(ctx, &allinpay.QueryOrderRequest{OriOutTransNo: "O-1"}, 0)
		cancel()
		var ae *allinpay.APIError
		if !errors.As(err, &ae) || ae.ResultCode != code || errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("WaitFinal answered %s: %+v, %v; want the refusal at once", code, q, err)
		}
	}
}

// TestNoAnswerIsOutcomeUnknown (issue 15): every answer to a payment that
// is not verified, decoded and definite is ErrOutcomeUnknown, and an
// unsigned gateway page is never ErrInvalidSignature.
func TestNoAnswerIsOutcomeUnknown(t *testing.T) {
	t.Parallel()
	pay := &allinpay.PayRequest{TransType: allinpay.TransTypeWxpayScancode, OutTransNo: "O-1", TransAmount: 1, Currency: allinpay.CurrencyHKD, NotifyURL: "https://m.example.com/n"}
	for name, resp := range map[string]httpmock.Responder{
		"unsigned refusal": httpmock.NewStringResponder(200, `{"returnCode":"0000","resultCode":"0027","resultMsg":"no"}`),
		"unsigned failure": httpmock.NewStringResponder(200, `{"returnCode":"0012","returnMsg":"Failure in verifying signature"}`),
		"HTML 200":         httpmock.NewStringResponder(200, `<html>maintenance</html>`),
		"gateway 502":      httpmock.NewStringResponder(502, `<html>Bad Gateway</html>`),
		"empty 503":        httpmock.NewStringResponder(503, ``),
	} {
		c, mt := mockClient(t, "REQ-1")
		mt.RegisterNoResponder(resp)
		_, err := c.Pay(context.Background(), pay)
		if !errors.Is(err, allinpay.ErrOutcomeUnknown) {
			t.Errorf("%s: %v; want ErrOutcomeUnknown", name, err)
		}
		if strings.Contains(name, "gateway") || strings.Contains(name, "503") {
			var he *allinpay.HTTPError
			if !errors.As(err, &he) || errors.Is(err, allinpay.ErrInvalidSignature) {
				t.Errorf("%s: %v; want an *HTTPError, not ErrInvalidSignature", name, err)
			}
		}
	}
	// A signed answer whose amount does not decode: the platform acted.
	c, mt := mockClient(t, "REQ-1")
	answerWith(t, mt, func(form map[string]string) map[string]string {
		return echo(form, map[string]string{"resultCode": "0000", "resultMsg": "ok", "transAmount": "10.50", "transNo": "T1"})
	}, nil)
	if _, err := c.Refund(context.Background(), refundReq()); !errors.Is(err, allinpay.ErrOutcomeUnknown) {
		t.Errorf("signed refund with transAmount 10.50: %v; want ErrOutcomeUnknown", err)
	}
}

// TestNotificationReplayReachesHostOnce (issue 15): one genuine body and
// two refolded copies with the same canonical string (they verify) reached
// the host 3 times; now the copies are refused and it is handled once.
func TestNotificationReplayReachesHostOnce(t *testing.T) {
	t.Parallel()
	srv, c, _, _ := newFlow(t)
	var calls atomic.Int64
	h, err := allinpay.NewNotificationHandler(c.NotificationVerifier(), func(context.Context, *allinpay.Notification) error { calls.Add(1); return nil })
	if err != nil {
		t.Fatal(err)
	}
	f := map[string]string{"transType": "ALIPAY_SCANCODE", "outTransNo": "O-1", "transAmount": "1050", "currency": "HKD", "resultCode": "0000",
		"transNo": "T1", "payTime": "20240101120000", "requestNo": "N1"}
	body := srv.SignNotification(f)
	// transNo < transType: "transNo=T1&transType=ALIPAY_SCANCODE" read as one field.
	fold1 := strings.Replace(string(body), "transNo=T1", "transNo=T1%26transType%3DALIPAY_SCANCODE", 1)
	fold1 = strings.Replace(fold1, "&transType=ALIPAY_SCANCODE", "", 1)
	fold1 = strings.Replace(fold1, "transType=ALIPAY_SCANCODE&", "", 1)
	// outTransNo < payTime: payTime folded into outTransNo.
	fold2 := strings.Replace(string(body), "outTransNo=O-1", "outTransNo=O-1%26payTime%3D20240101120000", 1)
	fold2 = strings.Replace(fold2, "&payTime=20240101120000", "", 1)
	fold2 = strings.Replace(fold2, "payTime=20240101120000&", "", 1)
	for i, b := range []string{fold1, fold2} {
		// Refused for the ambiguity, not the signature: the fold's
		// canonical string is the genuine one, so its signature verifies.
		if canonical(t, b) != canonical(t, string(body)) {
			t.Fatalf("fold %d does not keep the canonical string", i+1)
		}
		_, err := allinpay.ParseNotification(context.Background(), c.NotificationVerifier(), nil, []byte(b))
		if !errors.Is(err, allinpay.ErrMalformedNotification) || !strings.Contains(err.Error(), "more fields") {
			t.Errorf("fold %d: %v; want it refused as ambiguous", i+1, err)
		}
	}
	acked := 0
	for _, b := range []string{string(body), fold1, fold2} {
		if rec := tampertest.Deliver(h, "application/x-www-form-urlencoded", nil, []byte(b)); rec.Code == 200 {
			acked++
		}
	}
	if calls.Load() != 1 || acked != 1 {
		t.Errorf("genuine + 2 folds: host called %d times, %d acknowledged; want 1 and 1", calls.Load(), acked)
	}
	n, err := allinpay.ParseNotification(context.Background(), c.NotificationVerifier(), nil, body)
	if err != nil || !strings.HasPrefix(n.IdempotencyKey(), "allinpay:payment:") || len(n.IdempotencyKey()) != len("allinpay:payment:")+64 {
		t.Errorf("key = %q, %v; want kind + sha256", n.IdempotencyKey(), err)
	}
}

// TestNotificationFieldsAreSigned: Fields is the signed set. An empty field
// is outside the signature, so a proxy can append any ("&oriOutTransNo=&
// refundReson"): the notification still verifies, and neither name may
// show in Fields, nor change the key.
func TestNotificationFieldsAreSigned(t *testing.T) {
	t.Parallel()
	srv, c, _, _ := newFlow(t)
	body := srv.SignNotification(map[string]string{"transType": "ALIPAY_SCANCODE", "outTransNo": "O-1", "transAmount": "1050", "currency": "HKD",
		"resultCode": "0000", "transNo": "T1", "requestNo": "N1"})
	n, err := allinpay.ParseNotification(context.Background(), c.NotificationVerifier(), nil, body)
	if err != nil {
		t.Fatal(err)
	}
	added, err := allinpay.ParseNotification(context.Background(), c.NotificationVerifier(), nil, append(body, "&oriOutTransNo=&refundReson"...))
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"oriOutTransNo", "refundReson"} {
		if _, ok := added.Fields[k]; ok {
			t.Errorf("an unsigned empty %s is in Fields: %v", k, added.Fields)
		}
	}
	if len(added.Fields) != len(n.Fields) || added.IdempotencyKey() != n.IdempotencyKey() {
		t.Errorf("appended empty fields changed Fields (%d, was %d) or the key", len(added.Fields), len(n.Fields))
	}
}

// TestAnswerFieldsAreSigned: an answer's Fields is the signed set too; an
// empty member appended on the path verifies and is not in it.
func TestAnswerFieldsAreSigned(t *testing.T) {
	t.Parallel()
	c, mt := mockClient(t, "REQ-1")
	answerWith(t, mt, func(form map[string]string) map[string]string {
		return echo(form, map[string]string{"resultCode": "0000", "resultMsg": "ok", "transAmount": "1050", "currency": "HKD", "transNo": "T1"})
	}, func(b []byte) []byte { return append(b[:len(b)-1], `,"oriOutTransNo":"","refundReson":""}`...) })
	q, err := c.QueryOrder(context.Background(), &allinpay.QueryOrderRequest{OriOutTransNo: "O-1"})
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"oriOutTransNo", "refundReson"} {
		if _, ok := q.Fields[k]; ok {
			t.Errorf("an unsigned empty %s is in Fields: %v", k, q.Fields)
		}
	}
}

// TestKinds (issue 15): refund, void and close notifications
// are told apart from payments; only a payment's 0000 is Succeeded.
func TestKinds(t *testing.T) {
	t.Parallel()
	srv, c, _, _ := newFlow(t)
	for tt, want := range map[allinpay.TransType]allinpay.Kind{
		allinpay.TransTypeWxpayScancode: allinpay.KindPayment, allinpay.TransTypeWxpayReturn: allinpay.KindRefund,
		allinpay.TransTypeAlipayCancel: allinpay.KindVoid, allinpay.TransTypeCloseOrder: allinpay.KindClose,
		"SOMETHING_NEW": allinpay.KindOther,
	} {
		body := srv.SignNotification(map[string]string{"transType": string(tt), "outTransNo": "O-1", "transAmount": "5", "currency": "HKD", "resultCode": "0000", "transNo": "T1"})
		n, err := allinpay.ParseNotification(context.Background(), c.NotificationVerifier(), nil, body)
		if err != nil || n.Kind != want || n.Succeeded() != (want == allinpay.KindPayment) || !n.Done() {
			t.Errorf("%s: %+v, %v; want kind %s", tt, n, err, want)
		}
	}
	for _, k := range []string{"transAmount", "currency", "transNo", "mchNo", "accessCode", "outTransNo", "transType"} {
		f := map[string]string{"transType": "WXPAY_SCANCODE", "outTransNo": "O-1", "transAmount": "5", "currency": "HKD", "resultCode": "0000", "transNo": "T1"}
		f[k] = ""
		if _, err := allinpay.ParseNotification(context.Background(), c.NotificationVerifier(), nil, srv.SignNotification(f)); !errors.Is(err, allinpay.ErrMalformedNotification) {
			t.Errorf("without %s (M in §1.5.2.6): %v; want ErrMalformedNotification", k, err)
		}
	}
	extra := srv.SignNotification(map[string]string{"transType": "WXPAY_SCANCODE", "outTransNo": "O-1", "transAmount": "500", "currency": "HKD", "transNo": "T1",
		"paymentAmount": "450", "paymentCurrency": "CNY"})
	if n, err := allinpay.ParseNotification(context.Background(), c.NotificationVerifier(), nil, extra); err != nil || n.PaymentAmount != 450 || n.PaymentCurrency != allinpay.CurrencyCNY {
		t.Errorf("paymentAmount/paymentCurrency: %+v, %v", n, err)
	}
	body := srv.SignNotification(map[string]string{"transType": "WXPAY_SCANCODE", "outTransNo": "O-1", "transAmount": "5", "currency": "HKD", "transNo": "T1", "payTime": "2024-01-01T12:00:00+08:00"})
	if n, err := allinpay.ParseNotification(context.Background(), c.NotificationVerifier(), nil, body); err != nil || !n.PayTime.IsZero() || n.PayTime.Raw == "" {
		t.Errorf("payTime in another shape: %+v, %v; want it kept raw", n, err)
	}
}

func ExampleParseNotification() {
	// In a handler of another web framework: the raw body and headers.
	srv, _ := allinpaytest.NewServer()
	defer srv.Close()
	v, err := allinpay.NewNotificationVerifier(allinpay.WithMerchant(srv.AccessCode, srv.MchNo), allinpay.WithPlatformPublicKeys(srv.PlatformPublicKey))
	if err != nil {
		fmt.Println(err)
		return
	}
	body := srv.SignNotification(map[string]string{"transType": "ALIPAY_SCANCODE", "outTransNo": "ORDER-1", "transAmount": "1050", "currency": "HKD",
		"resultCode": "0000", "transNo": "T1"})
	n, err := allinpay.ParseNotification(context.Background(), v, http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}, body)
	if err != nil {
		fmt.Println("answer FAIL:", err)
		return
	}
	fmt.Println(n.Kind, n.OutTransNo, n.Succeeded(), n.TransAmount, n.Currency)
	// Output: payment ORDER-1 true 10.50 HKD
}

func canonical(t *testing.T, form string) string {
	t.Helper()
	v, err := url.ParseQuery(form)
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]string{}
	for k := range v {
		m[k] = v.Get(k)
	}
	return string(kv.CanonicalMap(m, "signature"))
}

// TestAnswerURLWithQuery: a codeUrl or payInfo with a query string is
// accepted, and so is one whose names are the protocol's where they cannot
// be fields of the same canonical string (§1.5.2.1: payInfo holds "the json
// strings which are required by Alipay PC, APP, H5": an Alipay APP
// orderStr carries version=1.0, a cross-border URL currency=HKD). A value
// that can be read as more fields (a name sorting between it and the next
// field, as payTime after payInfo, currency after codeUrl) is refused.
func TestAnswerURLWithQuery(t *testing.T) {
	t.Parallel()
	pay := &allinpay.PayRequest{TransType: allinpay.TransTypeAlipayScancode, OutTransNo: "O-1", TransAmount: 1, Currency: allinpay.CurrencyHKD, NotifyURL: "https://m.example.com/n"}
	for _, c := range []struct {
		field, value string
		ok           bool
	}{
		{"codeUrl", "https://qr.alipay.com/x?a=1&b=2", true},
		{"codeUrl", "https://qr.alipay.com/x?a=1&currency=HKD", false},
		{"payInfo", "app_id=2021001&biz_content=%7B%7D&charset=utf-8&method=alipay.trade.app.pay&sign_type=RSA2&timestamp=2024-01-01+10%3A00%3A00&version=1.0&sign=abc", true},
		{"payInfo", `{"url":"https://intlmapi.alipay.com/gateway.do?service=create_forex_trade_wap&currency=HKD&total_fee=1.00&sign=x"}`, true},
		{"payInfo", "app_id=1&payTime=20240101000000", false},
		{"payInfo", "app_id=1&product_code=QUICK_MSECURITY_PAY", false}, // not a protocol name, but it would be a field
	} {
		cl, mt := mockClient(t, "REQ-1")
		answerWith(t, mt, func(form map[string]string) map[string]string {
			return echo(form, map[string]string{"resultCode": "P000", "resultMsg": "processing", c.field: c.value})
		}, nil)
		p, err := cl.Pay(context.Background(), pay)
		got := ""
		if p != nil {
			got = map[string]string{"codeUrl": p.CodeURL, "payInfo": p.PayInfo}[c.field]
		}
		if c.ok && (err != nil || got != c.value) || !c.ok && !errors.Is(err, allinpay.ErrOutcomeUnknown) {
			t.Errorf("%s %s: %q, %v; want accepted %v", c.field, c.value, got, err, c.ok)
		}
	}
}
