package allinpay_test

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/bizapi-cn/go-sdk/allinpay"
	"github.com/bizapi-cn/go-sdk/allinpay/allinpaytest"
	"github.com/bizapi-cn/go-sdk/internal/fault"
	"github.com/bizapi-cn/go-sdk/internal/kv"
	"github.com/bizapi-cn/go-sdk/internal/testkit/loadtest"
	"github.com/bizapi-cn/go-sdk/internal/testkit/tampertest"
)

// formOf encodes fields in the given key order (url.Values sorts).
func formOf(order []string, f map[string]string) []byte {
	var b strings.Builder
	for i, k := range order {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(url.QueryEscape(k) + "=" + url.QueryEscape(f[k]))
	}
	return []byte(b.String())
}

func signWith(t *testing.T, pemKey []byte, f map[string]string) string {
	t.Helper()
	return signRaw(t, pemKey, string(kv.CanonicalMap(f, "signature")))
}

// TestReliabilityTamperedNotifications: every forged or tampered
// notification is refused by ParseNotify with a typed error and by
// NotifyHandler with FAIL, and never reaches the host. Reordering the form
// is not tampering: the signature covers the sorted field set, so the
// reordered form is the same notification, handled once.
func TestReliabilityTamperedNotifications(t *testing.T) {
	t.Parallel()
	srv, c, _, _ := newFlow(t)
	mp, _, platformPriv, _ := vectorKeys(t)
	var calls atomic.Int64
	h, err := allinpay.NewNotificationHandler(c.NotificationVerifier(), func(context.Context, *allinpay.Notification) error { calls.Add(1); return nil })
	if err != nil {
		t.Fatal(err)
	}
	const ct = "application/x-www-form-urlencoded"
	good := map[string]string{"requestNo": "N1", "version": "V1.0", "accessCode": srv.AccessCode, "transType": "WXPAY_SCANCODE", "outTransNo": "O-9", "transAmount": "100", "currency": "HKD", "resultCode": "0000", "resultMsg": "ok", "transNo": "T9",
		"payTime": "20240101120000", "mchNo": "6666666600003", "signType": "RSA2"}
	good["signature"] = signWith(t, platformPriv, good)
	var order []string
	for k := range good {
		if k != "signature" {
			order = append(order, k)
		}
	}
	slices.Sort(order)
	order = append(order, "signature")
	last := len(order) - 1
	body := formOf(order, good)
	with := func(k, v string) map[string]string {
		m := map[string]string{}
		for a, b := range good {
			m[a] = b
		}
		if v == "" {
			delete(m, k)
		} else {
			m[k] = v
		}
		return m
	}
	other := with("outTransNo", "O-10")
	other["signature"] = signWith(t, platformPriv, other)
	wrongKey := with("signature", signWith(t, mp, good))
	badUTF8 := with("resultMsg", "\xff\xfe")
	badUTF8["signature"] = signWith(t, platformPriv, badUTF8)
	// Another merchant's genuine notification: the platform key is the
	// same for every merchant.
	foreign := with("mchNo", "6666666600099")
	foreign["signature"] = signWith(t, platformPriv, foreign)
	// The fold of issue 15: transNo takes "&transType=…" and the canonical
	// string is byte for byte the genuine one, so the signature verifies.
	fold := with("transNo", good["transNo"]+"&transType="+good["transType"])
	delete(fold, "transType")
	cases := []tampertest.Case{
		{Name: "wrong key", ContentType: ct, Body: formOf(order, wrongKey), Want: allinpay.ErrInvalidSignature},
		{Name: "flipped byte", ContentType: ct, Body: formOf(order, with("transAmount", "900")), Want: allinpay.ErrInvalidSignature},
		{Name: "field added", ContentType: ct, Body: append(bytes.Clone(body), "&extra=1"...), Want: allinpay.ErrInvalidSignature},
		{Name: "field removed", ContentType: ct, Body: formOf(order, with("transNo", "")), Want: allinpay.ErrInvalidSignature},
		{Name: "signature of another notification", ContentType: ct, Body: formOf(order, with("signature", other["signature"])), Want: allinpay.ErrInvalidSignature},
		{Name: "truncated body", ContentType: ct, Body: body[:len(body)/2]},
		{Name: "wrong content type", ContentType: "application/json", Body: body, Want: allinpay.ErrMalformedNotification},
		{Name: "invalid UTF-8", ContentType: ct, Body: formOf(order, badUTF8), Want: allinpay.ErrMalformedNotification},
		{Name: "duplicate field", ContentType: ct, Body: append(bytes.Clone(body), "&transAmount=100"...), Want: allinpay.ErrMalformedNotification},
		{Name: "no signature", ContentType: ct, Body: formOf(order[:last], good), Want: allinpay.ErrInvalidSignature},
		{Name: "empty body", ContentType: ct, Body: nil},
		{Name: "signature not base64", ContentType: ct, Body: formOf(order, with("signature", "%%%")), Want: allinpay.ErrInvalidSignature},
		{Name: "another merchant", ContentType: ct, Body: formOf(order, foreign), Want: allinpay.ErrMalformedNotification},
		{Name: "field folded into another (same canonical string)", ContentType: ct, Body: formOf(order, fold), Want: allinpay.ErrMalformedNotification},
		{Name: "member differing only in case", ContentType: ct, Body: append(bytes.Clone(body), "&TRANSAMOUNT="...), Want: allinpay.ErrMalformedNotification},
		{Name: "required field empty (outside the signature)", ContentType: ct, Body: formOf(order, with("currency", "")), Want: allinpay.ErrInvalidSignature},
		{Name: "oversized", ContentType: ct, Body: tampertest.Oversized(body, 64<<10), HandlerOnly: true, WantStatus: http.StatusRequestEntityTooLarge},
	}
	refused, tried := tampertest.Run(t, tampertest.Target{
		Parse: func(ctx context.Context, ct string, _ http.Header, b []byte) error {
			_, err := allinpay.ParseNotification(ctx, c.NotificationVerifier(), http.Header{"Content-Type": {ct}}, b)
			return err
		},
		Handler: h, Calls: func() int { return int(calls.Load()) },
		Acked: func(status int, b []byte) bool { return status == 200 && string(b) == "SUCCESS" },
	}, cases)
	// The genuine one, a reordered copy and a replay: one handling.
	reordered := append([]string{"signature"}, order[:last]...)
	for _, b := range [][]byte{body, formOf(reordered, good), body} {
		if rec := tampertest.Deliver(h, ct, nil, b); rec.Code != 200 || rec.Body.String() != "SUCCESS" {
			t.Errorf("genuine/reordered/replayed: %d %s", rec.Code, rec.Body)
		}
	}
	if calls.Load() != 1 {
		t.Errorf("genuine, reordered and replayed handled %d times; want 1", calls.Load())
	}
	_ = srv
	t.Logf("allinpay: %d/%d tampered notifications refused; reordered and replayed copies handled once", refused, tried)
}

// TestReliabilityOutboundFaults: each fault on a query, a payment and a
// refund: the typed error, and the requests the fake received (queries
// retried; payments and refunds never after they may have arrived).
func TestReliabilityOutboundFaults(t *testing.T) {
	t.Parallel()
	type op struct {
		name     string
		query    bool
		prepare  func(t *testing.T, c *allinpay.Client, srv *allinpaytest.Server, no, notify string)
		call     func(ctx context.Context, c *allinpay.Client, no, notify string) error
		countKey allinpay.TransType
	}
	pay := func(ctx context.Context, c *allinpay.Client, no, notify string) error {
		_, err := c.Pay(ctx, &allinpay.PayRequest{TransType: allinpay.TransTypeWxpayScancode, OutTransNo: no, TransAmount: 100, Currency: allinpay.CurrencyHKD, NotifyURL: notify})
		return err
	}
	paid := func(t *testing.T, c *allinpay.Client, srv *allinpaytest.Server, no, notify string) {
		if err := pay(context.Background(), c, no, notify); err != nil {
			t.Fatal(err)
		}
		if err := srv.SimulatePay(no); err != nil {
			t.Fatal(err)
		}
	}
	ops := []op{
		{"query", true, paid, func(ctx context.Context, c *allinpay.Client, no, _ string) error {
			_, err := c.QueryOrder(ctx, &allinpay.QueryOrderRequest{OriOutTransNo: no})
			return err
		}, allinpay.TransTypeTransQuery},
		{"pay", false, func(*testing.T, *allinpay.Client, *allinpaytest.Server, string, string) {}, pay, allinpay.TransTypeWxpayScancode},
		{"refund", false, paid, func(ctx context.Context, c *allinpay.Client, no, notify string) error {
			_, err := c.Refund(ctx, &allinpay.RefundRequest{TransType: allinpay.TransTypeWxpayScancode.ReturnType(), OutTransNo: no + "R", OriOutTransNo: no,
				TransAmount: 100, Currency: allinpay.CurrencyHKD, NotifyURL: notify})
			return err
		}, allinpay.TransTypeWxpayScancode.ReturnType()},
	}
	faults := []struct {
		name      string
		fault     allinpaytest.Fault
		queryOK   bool
		wantQuery int
		wantState error
		deadline  time.Duration
	}{
		// Queries are not retried at once (the spec's 10 s between queries):
		// each fault is an error after one request; WaitFinal loops.
		{"500", allinpaytest.Fault{Kind: allinpaytest.FaultStatus500}, false, 1, allinpay.ErrOutcomeUnknown, 0},
		{"reset before processing", allinpaytest.Fault{Kind: allinpaytest.FaultDropConnection}, false, 1, allinpay.ErrOutcomeUnknown, 0},
		{"reset after processing", allinpaytest.Fault{Kind: allinpaytest.FaultProcessThenDrop}, false, 1, allinpay.ErrOutcomeUnknown, 0},
		{"truncated answer", allinpaytest.Fault{Kind: allinpaytest.FaultTruncated}, false, 1, allinpay.ErrOutcomeUnknown, 0},
		{"bad answer signature", allinpaytest.Fault{Kind: allinpaytest.FaultBadSignature}, false, 1, allinpay.ErrOutcomeUnknown, 0},
		{"delay past the deadline", allinpaytest.Fault{Kind: allinpaytest.FaultDelay, Delay: 3 * time.Second}, false, 1, allinpay.ErrOutcomeUnknown, 150 * time.Millisecond},
	}
	survived, tried := 0, 0
	for fi, f := range faults {
		for oi, o := range ops {
			srv, c, _, notify := newFlow(t)
			no := fmt.Sprintf("F%d-%d", fi, oi)
			o.prepare(t, c, srv, no, notify)
			before := srv.Calls(o.countKey)
			f.fault.Count = 1
			srv.Inject(f.fault)
			ctx := context.Background()
			if f.deadline > 0 {
				var cancel context.CancelFunc
				ctx, cancel = context.WithTimeout(ctx, f.deadline)
				defer cancel()
			}
			err := o.call(ctx, c, no, notify)
			n := srv.Calls(o.countKey) - before
			tried++
			var ok bool
			switch {
			case o.query && f.queryOK:
				ok = err == nil && n == f.wantQuery
			case o.query:
				ok = err != nil && n == f.wantQuery
			default:
				ok = errors.Is(err, f.wantState) && n == 1
			}
			if ok {
				survived++
			} else {
				t.Errorf("%s on %s: err %v after %d requests", f.name, o.name, err, n)
			}
		}
	}
	srv, err := allinpaytest.NewServer()
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	tlsSrv, handshakes := fault.UntrustedTLS(srv.Config.Handler)
	defer tlsSrv.Close()
	c, _ := allinpay.NewClient(allinpay.WithMerchant(srv.AccessCode, srv.MchNo), allinpay.WithKeys(srv.MerchantPrivateKey, srv.PlatformPublicKey),
		allinpay.WithBaseURL(tlsSrv.URL), allinpay.WithRetries(2),
		allinpay.WithHTTPClient(fault.SystemRootsClient()))
	err = pay(context.Background(), c, "F-tls", "https://example.invalid/n")
	var cert *tls.CertificateVerificationError
	tried++
	if errors.As(err, &cert) && !errors.Is(err, allinpay.ErrOutcomeUnknown) && srv.Calls(allinpay.TransTypeWxpayScancode) == 0 && handshakes() == 1 { // an untrusted certificate is never retried
		survived++
	} else {
		t.Errorf("TLS failure: err %v, %d requests, %d handshakes; want a certificate error, 0, 1 (never retried)", err, srv.Calls(allinpay.TransTypeWxpayScancode), handshakes())
	}
	// A TLS record error on the answer, after the platform took the
	// payment (bytes a device on the path wrote): the outcome is unknown,
	// and the payment is not sent again.
	corrupt := fault.CorruptTLS(srv.Config.Handler, nil)
	defer corrupt.Close()
	c, _ = allinpay.NewClient(allinpay.WithMerchant(srv.AccessCode, srv.MchNo), allinpay.WithKeys(srv.MerchantPrivateKey, srv.PlatformPublicKey),
		allinpay.WithBaseURL(corrupt.URL), allinpay.WithRetries(2), allinpay.WithHTTPClient(corrupt.Client()))
	before := srv.Calls(allinpay.TransTypeWxpayScancode)
	err = pay(context.Background(), c, "F-tls-record", "https://example.invalid/n")
	tried++
	if n := srv.Calls(allinpay.TransTypeWxpayScancode) - before; errors.Is(err, allinpay.ErrOutcomeUnknown) && n == 1 {
		survived++
	} else {
		t.Errorf("TLS record error after processing: err %v, %d requests; want ErrOutcomeUnknown, 1", err, n)
	}
	t.Logf("allinpay: %d/%d outbound faults gave the right error and request count", survived, tried)
}

// TestReliabilityNotifyDelivery: loadtest.Size() notifications through
// NotifyHandler with duplicates and a failing host (see levy's).
func TestReliabilityNotifyDelivery(t *testing.T) {
	t.Parallel()
	srv, c, _, _ := newFlow(t)
	run := loadtest.New(loadtest.Config{Burst: 100, Duplicates: 0.1, FailRate: 0.1, Seed: 11,
		Acked: func(status int, b []byte) bool { return status == 200 && string(b) == "SUCCESS" }})
	h, err := allinpay.NewNotificationHandler(c.NotificationVerifier(), func(ctx context.Context, n *allinpay.Notification) error { return run.Host(ctx, n.OutTransNo) })
	if err != nil {
		t.Fatal(err)
	}
	notes := make([]loadtest.Note, loadtest.Size())
	for i := range notes {
		no := fmt.Sprintf("O-%05d", i)
		notes[i] = loadtest.Note{ID: no, ContentType: "application/x-www-form-urlencoded", Body: srv.SignNotification(map[string]string{
			"transType": "ALIPAY_SCANCODE", "outTransNo": no, "transAmount": "100", "currency": "HKD", "resultCode": "0000", "transNo": "T" + no, "payTime": "20240101120000", "mchNo": srv.MchNo})}
	}
	res, err := run.Deliver(context.Background(), h, notes)
	if err != nil || !res.OK() {
		t.Fatalf("%v, %v", res, err)
	}
	t.Logf("allinpay: %v", res)
}
