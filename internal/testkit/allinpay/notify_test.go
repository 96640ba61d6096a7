package allinpay_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/bizapi-cn/go-sdk/allinpay"
	"github.com/bizapi-cn/go-sdk/allinpay/allinpaytest"
	"github.com/bizapi-cn/go-sdk/allinpay/notify"
	"github.com/bizapi-cn/go-sdk/internal/kv"
	"github.com/bizapi-cn/go-sdk/internal/testkit/masktest"
)

// post delivers body to url as the platform does and returns the status
// and the answer.
func post(t *testing.T, u string, body []byte) (int, string) {
	t.Helper()
	resp, err := http.Post(u, "application/x-www-form-urlencoded", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(b)
}

// reversedForm is body's fields in the reverse order: the same signed set.
func reversedForm(t *testing.T, body []byte) []byte {
	t.Helper()
	parts := strings.Split(string(body), "&")
	slices.Reverse(parts)
	return []byte(strings.Join(parts, "&"))
}

// TestNotifyOnlyFlow: a receiver built from package notify alone (the
// fake only signs the notifications) over HTTP: a payment handled once
// whatever the redeliveries and reorderings, a refund, the host's failure
// answered FAIL and the redelivery then handled, and every forgery refused
// before the host sees it.
func TestNotifyOnlyFlow(t *testing.T) {
	t.Parallel()
	srv, err := allinpaytest.NewServer()
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	v, err := notify.NewVerifier(notify.WithMerchant(srv.AccessCode, srv.MchNo), notify.WithPlatformPublicKeys(srv.PlatformPublicKey))
	if err != nil {
		t.Fatal(err)
	}
	var (
		mu      sync.Mutex
		handled []*notify.Notification
		failing = map[string]bool{"O-FAIL": true}
	)
	h, err := notify.NewHandler(v, func(_ context.Context, n *notify.Notification) error {
		mu.Lock()
		defer mu.Unlock()
		if failing[n.OutTransNo] {
			failing[n.OutTransNo] = false
			return errors.New("database down")
		}
		handled = append(handled, n)
		return nil
	}, notify.WithMaxBodyBytes(4<<10))
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(h)
	defer hs.Close()
	sign := func(extra map[string]string) []byte { return srv.SignNotification(notification(extra)) }

	paid := sign(map[string]string{"outTransNo": "O-PAY", "bankUserId": "2088102146225135"})
	refund := sign(map[string]string{"outTransNo": "O-PAYR", "transType": "ALIPAY_RETURN", "transAmount": "40", "payTime": "later today"})
	failed := sign(map[string]string{"outTransNo": "O-FAIL"})
	for _, d := range []struct {
		name string
		body []byte
	}{{"payment", paid}, {"replay", paid}, {"reordered", reversedForm(t, paid)}, {"refund", refund}, {"host fails", failed}, {"redelivered", failed}} {
		status, answer := post(t, hs.URL, d.body)
		want := "200 SUCCESS"
		if d.name == "host fails" {
			want = "503 FAIL"
		}
		if got := strconv.Itoa(status) + " " + answer; got != want {
			t.Errorf("%s: answered %q; want %q", d.name, got, want)
		}
	}
	mu.Lock()
	got := handled
	mu.Unlock()
	if len(got) != 3 {
		t.Fatalf("handled %d notifications; want 3 (payment, refund, redelivered)", len(got))
	}
	p, r, f := got[0], got[1], got[2]
	if p.Kind != notify.KindPayment || !p.Succeeded() || p.TransAmount != 100 || p.Currency != notify.CurrencyHKD || p.TransType != notify.TransTypeAlipayScancode ||
		!p.PayTime.Equal(time.Date(2024, 1, 1, 2, 0, 0, 0, time.UTC)) || p.BankUserID != "2088102146225135" {
		t.Errorf("payment = %+v", p)
	}
	if s := fmt.Sprintf("%v %+v", p, *p); strings.Contains(s, "2088102146225135") {
		t.Errorf("the wallet id printed in full: %s", s)
	}
	if r.Kind != notify.KindRefund || r.Succeeded() || !r.Done() || r.TransAmount != 40 || !r.PayTime.IsZero() || r.PayTime.Raw != "later today" {
		t.Errorf("refund = %+v", r)
	}
	if f.OutTransNo != "O-FAIL" || f.IdempotencyKey() == p.IdempotencyKey() || !strings.HasPrefix(p.IdempotencyKey(), "allinpay:payment:") {
		t.Errorf("keys %q, %q", p.IdempotencyKey(), f.IdempotencyKey())
	}

	// Forgeries: refused by Parse with the typed error, answered FAIL by
	// the handler, never handled.
	foreign := sign(map[string]string{"mchNo": "6666666600099"})
	forged := []struct {
		name string
		body []byte
		want error
	}{
		{"amount changed", bytes.Replace(paid, []byte("transAmount=100"), []byte("transAmount=900"), 1), notify.ErrInvalidSignature},
		{"field added", append(bytes.Clone(paid), "&extra=1"...), notify.ErrInvalidSignature},
		{"unsigned", []byte("outTransNo=O-PAY&transAmount=100"), notify.ErrInvalidSignature},
		{"another merchant's genuine notification", foreign, notify.ErrMalformedNotification},
		{"field sent twice", append(bytes.Clone(paid), "&transAmount=100"...), notify.ErrMalformedNotification},
		{"case twin", append(bytes.Clone(paid), "&TRANSAMOUNT="...), notify.ErrMalformedNotification},
		{"ambiguous value, signed", sign(map[string]string{"transNo": "T1&resultCode=0000"}), notify.ErrMalformedNotification},
		{"required field missing, signed", sign(map[string]string{"transNo": ""}), notify.ErrMalformedNotification},
		{"not UTF-8", sign(map[string]string{"resultMsg": "\xff"}), notify.ErrMalformedNotification},
	}
	for _, c := range forged {
		if _, err := notify.Parse(context.Background(), v, nil, c.body); !errors.Is(err, c.want) {
			t.Errorf("%s: Parse error %v; want %v", c.name, err, c.want)
		}
		if status, answer := post(t, hs.URL, c.body); status/100 == 2 || answer != "FAIL" {
			t.Errorf("%s: answered %d %q; want FAIL", c.name, status, answer)
		}
	}
	if status, _ := post(t, hs.URL, append(bytes.Clone(paid), bytes.Repeat([]byte{' '}, 4<<10)...)); status != http.StatusRequestEntityTooLarge {
		t.Errorf("oversized: %d; want 413", status)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(handled) != 3 {
		t.Errorf("forgeries reached the host: %d handled", len(handled))
	}
}

// corpus reads the FuzzParseNotify corpus: bodies found by fuzzing.
func corpus(t *testing.T) map[string][]byte {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", "fuzz", "FuzzParseNotify", "*"))
	if err != nil || len(files) == 0 {
		t.Fatalf("corpus: %v, %d files", err, len(files))
	}
	out := map[string][]byte{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		lit := strings.TrimSpace(strings.TrimPrefix(string(b), "go test fuzz v1\n"))
		s, err := strconv.Unquote(strings.TrimSuffix(strings.TrimPrefix(lit, "[]byte("), ")"))
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		out["corpus "+filepath.Base(f)] = []byte(s)
	}
	return out
}

// vectorForm is the shared vector's platform-signed field set as a form:
// it verifies, and lacks outTransNo, which a notification requires.
func vectorForm(t *testing.T) []byte {
	t.Helper()
	f, err := kv.FieldsFromJSON(vectorAnswer(t))
	if err != nil {
		t.Fatal(err)
	}
	form := url.Values{}
	for k, v := range f {
		form.Set(k, v)
	}
	return []byte(form.Encode())
}

// errText is err's text, "" for nil.
func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// TestNotifyVerifiersAgree: a verifier built by notify.NewVerifier, one
// built by allinpay.NewNotificationVerifier and a Client's accept and
// refuse the same bodies (the shared vector, the fake's output, tampered
// copies, the fuzz corpus) with the same notification, key, error text and
// diagnosis.
func TestNotifyVerifiersAgree(t *testing.T) {
	t.Parallel()
	srv, err := allinpaytest.NewServer()
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	mp, pp, platformPriv, mpub := vectorKeys(t)
	ctx := context.Background()
	bodies := corpus(t)
	vec := vectorForm(t)
	bodies["shared vector (verifies, no outTransNo)"] = vec
	bodies["shared vector tampered"] = bytes.Replace(vec, []byte("transNo=T900001"), []byte("transNo=T900002"), 1)
	good := srv.SignNotification(notification(map[string]string{"paymentAmount": "95", "paymentCurrency": "CNY", "newField": "x"}))
	bodies["fake payment"] = good
	bodies["fake refund"] = srv.SignNotification(notification(map[string]string{"transType": "WXPAY_RETURN"}))
	bodies["fake, tampered"] = bytes.Replace(good, []byte("transAmount=100"), []byte("transAmount=101"), 1)
	bodies["fake, another merchant"] = srv.SignNotification(notification(map[string]string{"mchNo": "6666666600099"}))
	bodies["fake, MchNo"] = bytes.Replace(good, []byte("mchNo="), []byte("MchNo="), 1)
	merchantSigned := notification(map[string]string{"requestNo": "N1", "version": "V1.0", "accessCode": srv.AccessCode, "signType": "RSA2", "mchNo": srv.MchNo})
	merchantSigned["signature"] = signWith(t, mp, merchantSigned)
	bodies["signed with the merchant's key"] = formOf(sortedKeys(merchantSigned), merchantSigned)
	platformSigned := copyOf(merchantSigned)
	platformSigned["signature"] = signWith(t, platformPriv, platformSigned)
	bodies["signed by the vector platform key"] = formOf(sortedKeys(platformSigned), platformSigned)

	build := func(diagnose bool) map[string]*notify.Verifier {
		nopts := []notify.Option{notify.WithMerchant(srv.AccessCode, srv.MchNo), notify.WithPlatformPublicKeys(pp)}
		ropts := []allinpay.Option{allinpay.WithMerchant(srv.AccessCode, srv.MchNo), allinpay.WithPlatformPublicKeys(pp)}
		copts := []allinpay.Option{allinpay.WithMerchant(srv.AccessCode, srv.MchNo), allinpay.WithKeys(mp, pp), allinpay.WithBaseURL(srv.URL)}
		if diagnose {
			nopts = append(nopts, notify.WithDiagnostics(), notify.WithDiagnosisMerchantPublicKey(mpub))
			ropts = append(ropts, allinpay.WithDiagnostics(), allinpay.WithDiagnosisMerchantPublicKey(mpub))
			copts = append(copts, allinpay.WithDiagnostics()) // the merchant's key from WithKeys
		}
		nv, err := notify.NewVerifier(nopts...)
		if err != nil {
			t.Fatal(err)
		}
		rv, err := allinpay.NewNotificationVerifier(ropts...)
		if err != nil {
			t.Fatal(err)
		}
		c, err := allinpay.NewClient(copts...)
		if err != nil {
			t.Fatal(err)
		}
		return map[string]*notify.Verifier{"notify.NewVerifier": nv, "allinpay.NewNotificationVerifier": rv, "Client.NotificationVerifier": c.NotificationVerifier()}
	}
	// What notify says of the named bodies (the others are the corpus's).
	outcomes := map[string]string{
		"shared vector (verifies, no outTransNo)": "allinpay: malformed notification: outTransNo is missing",
		"shared vector tampered":                  "allinpay: invalid signature",
		"fake payment":                            "",
		"fake refund":                             "",
		"fake, tampered":                          "allinpay: invalid signature",
		"fake, another merchant":                  "allinpay: malformed notification: mchNo or accessCode is not this merchant's",
		"fake, MchNo":                             "allinpay: invalid signature",
		"signed with the merchant's key":          "allinpay: invalid signature",
		"signed by the vector platform key":       "",
	}
	ignoreKey := cmpopts.IgnoreUnexported(notify.Notification{})
	for _, diagnose := range []bool{false, true} {
		verifiers := build(diagnose)
		accepted, refused, diagnosed := 0, 0, 0
		for name, body := range bodies {
			want, wantErr := notify.Parse(ctx, verifiers["notify.NewVerifier"], nil, body)
			if o, ok := outcomes[name]; ok && errText(wantErr) != o {
				t.Errorf("%s: notify.Parse error %q; want %q", name, errText(wantErr), o)
			}
			var wantDiag notify.Diagnosis
			if se := (*notify.SignatureError)(nil); errors.As(wantErr, &se) {
				if d, ok := se.Diagnosis(); ok {
					wantDiag = d
					diagnosed++
				} else if diagnose {
					t.Errorf("%s: no diagnosis with WithDiagnostics", name)
				}
			}
			if wantErr == nil {
				accepted++
			} else {
				refused++
			}
			for vname, v := range verifiers {
				got, err := allinpay.ParseNotification(ctx, v, nil, body)
				if errText(err) != errText(wantErr) {
					t.Errorf("%s, %s: error %q; notify's %q", name, vname, errText(err), errText(wantErr))
				}
				if diff := cmp.Diff(want, got, ignoreKey); diff != "" {
					t.Errorf("%s, %s: notification differs from notify's (-notify +%s):\n%s", name, vname, vname, diff)
				}
				if want != nil && got != nil && got.IdempotencyKey() != want.IdempotencyKey() {
					t.Errorf("%s, %s: key %q; notify's %q", name, vname, got.IdempotencyKey(), want.IdempotencyKey())
				}
				var se *allinpay.SignatureError
				if errors.As(err, &se) {
					d, _ := se.Diagnosis()
					if diff := cmp.Diff(wantDiag, d); diff != "" {
						t.Errorf("%s, %s: diagnosis differs from notify's (-notify +%s):\n%s", name, vname, vname, diff)
					}
				}
			}
		}
		if accepted < 3 || refused < 6 || diagnose && diagnosed < 4 {
			t.Errorf("diagnostics %v: %d accepted, %d refused, %d diagnosed: the table lost its cases", diagnose, accepted, refused, diagnosed)
		}
		if _, err := allinpay.ParseNotification(ctx, verifiers["Client.NotificationVerifier"], nil, bodies["signed with the merchant's key"]); diagnose {
			wantCause(t, "client, merchant-signed", err, allinpay.CauseReversedKey)
		}
	}
}

// TestSignatureErrorAcrossPackages: the trust errors of notify and of the
// root are the same values and the same type, from a notification, a
// Client's answer and a bill alike.
func TestSignatureErrorAcrossPackages(t *testing.T) {
	t.Parallel()
	if !errors.Is(allinpay.ErrInvalidSignature, notify.ErrInvalidSignature) || !errors.Is(allinpay.ErrMalformedNotification, notify.ErrMalformedNotification) {
		t.Fatal("the root's trust sentinels are not notify's")
	}
	srv, c, _, _ := newFlow(t)
	v, err := notify.NewVerifier(notify.WithMerchant(srv.AccessCode, srv.MchNo), notify.WithPlatformPublicKeys(srv.PlatformPublicKey))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	body := bytes.Replace(srv.SignNotification(notification(nil)), []byte("transAmount=100"), []byte("transAmount=1"), 1)
	_, notifyErr := notify.Parse(ctx, v, nil, body)
	srv.Inject(allinpaytest.Fault{Kind: allinpaytest.FaultBadSignature, Count: 1})
	_, answerErr := c.QueryOrder(ctx, &allinpay.QueryOrderRequest{OriOutTransNo: "O-NONE"})
	srv.Inject(allinpaytest.Fault{Kind: allinpaytest.FaultBadSignature, Count: 3})
	_, billErr := c.DownloadBill(ctx, &allinpay.DownloadBillRequest{BillDate: time.Now().AddDate(0, 0, -2)})
	for _, c := range []struct {
		name string
		err  error
		op   allinpay.TransType
	}{{"notification", notifyErr, ""}, {"answer", answerErr, allinpay.TransTypeTransQuery}, {"bill", billErr, allinpay.TransTypeDownloadCheckBill}} {
		var rse *allinpay.SignatureError
		var nse *notify.SignatureError
		if !errors.As(c.err, &rse) || !errors.As(c.err, &nse) || rse != nse {
			t.Errorf("%s: %v is not one *SignatureError for both packages", c.name, c.err)
			continue
		}
		if !errors.Is(c.err, allinpay.ErrInvalidSignature) || !errors.Is(c.err, notify.ErrInvalidSignature) || rse.Operation != c.op {
			t.Errorf("%s: %v (operation %q); want ErrInvalidSignature of %q", c.name, c.err, rse.Operation, c.op)
		}
		if _, ok := rse.Diagnosis(); ok {
			t.Errorf("%s: a diagnosis without WithDiagnostics", c.name)
		}
	}
}

// TestNotifyErrorTexts: the root's texts are today's; notify's name its
// own functions; the options' refusals read the same through both.
func TestNotifyErrorTexts(t *testing.T) {
	t.Parallel()
	_, pp, _, _ := vectorKeys(t)
	ctx := context.Background()
	v, err := notify.NewVerifier(notify.WithMerchant("20000000", "6666666600003"), notify.WithPlatformPublicKeys(pp))
	if err != nil {
		t.Fatal(err)
	}
	fn := func(context.Context, *notify.Notification) error { return nil }
	errOf := func(_ any, err error) string { return errText(err) }
	cases := []struct{ got, want string }{
		{errOf(allinpay.NewNotificationVerifier()), "allinpay: NewNotificationVerifier: missing WithMerchant, WithPlatformPublicKeys"},
		{errOf(notify.NewVerifier()), "allinpay: notify.NewVerifier: missing WithMerchant, WithPlatformPublicKeys"},
		{errOf(allinpay.NewNotificationVerifier(allinpay.WithMerchant("20000000", "6666666600003"))), "allinpay: NewNotificationVerifier: missing WithPlatformPublicKeys"},
		{errOf(notify.NewVerifier(notify.WithPlatformPublicKeys(pp))), "allinpay: notify.NewVerifier: missing WithMerchant"},
		{errOf(allinpay.ParseNotification(ctx, nil, nil, nil)), "allinpay: ParseNotification: nil verifier"},
		{errOf(notify.Parse(ctx, nil, nil, nil)), "allinpay: notify.Parse: nil verifier"},
		{errOf(allinpay.NewNotificationHandler(v, nil)), "allinpay: NewNotificationHandler: nil verifier or function"},
		{errOf(notify.NewHandler(nil, fn)), "allinpay: notify.NewHandler: nil verifier or function"},
		{errOf(allinpay.NewNotificationHandler(v, fn, allinpay.WithMaxBodyBytes(0), nil)),
			"allinpay: NewNotificationHandler: WithMaxBodyBytes(0): want a positive size\nnil HandlerOption"},
		{errOf(notify.NewHandler(v, fn, notify.WithMaxBodyBytes(0), nil)),
			"allinpay: notify.NewHandler: WithMaxBodyBytes(0): want a positive size\nnil HandlerOption"},
		{errOf(allinpay.NewNotificationHandler(v, fn, allinpay.WithReadTimeout(-1), allinpay.WithDedupStore(nil))),
			"allinpay: NewNotificationHandler: WithReadTimeout(-1ns): want a positive duration\nWithDedupStore(nil): use WithoutDedup to turn deduplication off"},
	}
	for _, c := range cases {
		if c.got != c.want {
			t.Errorf("error %q; want %q", c.got, c.want)
		}
	}
	// Every verification option refuses alike through both packages.
	bad := []struct {
		name  string
		root  allinpay.Option
		notif notify.Option
	}{
		{"no merchant", allinpay.WithMerchant("", ""), notify.WithMerchant("", "")},
		{"long access code", allinpay.WithMerchant(strings.Repeat("1", 21), "M"), notify.WithMerchant(strings.Repeat("1", 21), "M")},
		{"mchNo with '&'", allinpay.WithMerchant("20000000", "M&1"), notify.WithMerchant("20000000", "M&1")},
		{"no key", allinpay.WithPlatformPublicKeys(), notify.WithPlatformPublicKeys()},
		{"junk key", allinpay.WithPlatformPublicKeys(pp, []byte("junk")), notify.WithPlatformPublicKeys(pp, []byte("junk"))},
		{"nil verifier", allinpay.WithVerifier(nil), notify.WithVerifier(nil)},
		{"nil logger", allinpay.WithLogger(nil), notify.WithLogger(nil)},
		{"junk merchant key", allinpay.WithDiagnosisMerchantPublicKey([]byte("junk")), notify.WithDiagnosisMerchantPublicKey([]byte("junk"))},
		{"nil option", nil, nil},
	}
	for _, b := range bad {
		_, rerr := allinpay.NewNotificationVerifier(b.root, allinpay.WithMerchant("20000000", "6666666600003"), allinpay.WithPlatformPublicKeys(pp))
		_, nerr := notify.NewVerifier(b.notif, notify.WithMerchant("20000000", "6666666600003"), notify.WithPlatformPublicKeys(pp))
		if rerr == nil || errText(rerr) != errText(nerr) || !strings.HasPrefix(errText(rerr), "allinpay: ") {
			t.Errorf("%s: root %q, notify %q; want the same refusal", b.name, errText(rerr), errText(nerr))
		}
	}
}

// TestNotifyMasking: notify's types with a customer id mask it, and none
// is left out of the check.
func TestNotifyMasking(t *testing.T) {
	t.Parallel()
	values := []any{notify.Notification{BankUserID: "2088102146225135", Fields: notify.Fields{"bankUserId": "2088102146225135", "signature": "SIGNATURE-SECRET"}}}
	masktest.Check(t, sensitive, values...)
	masktest.Covered(t, filepath.Join("..", "..", "..", "allinpay", "notify"), sensitive, values...)
}

// TestPaymentTypes: the payment interface's types are exactly the types
// of kind payment, the root's validation takes them, and the list is the
// caller's copy.
func TestPaymentTypes(t *testing.T) {
	t.Parallel()
	types := notify.PaymentTypes()
	if len(types) != 13 {
		t.Fatalf("%d payment types; want 13", len(types))
	}
	for _, tt := range types {
		if tt.Kind() != notify.KindPayment {
			t.Errorf("%s: kind %s", tt, tt.Kind())
		}
		r := &allinpay.PayRequest{TransType: tt}
		if err := r.Validate(); strings.Contains(errText(err), "transType") {
			t.Errorf("%s refused by PayRequest.Validate: %v", tt, err)
		}
	}
	types[0] = "X"
	if notify.PaymentTypes()[0] == "X" {
		t.Error("PaymentTypes returns its own slice")
	}
	for _, tt := range []notify.TransType{notify.TransTypeWxpayReturn, notify.TransTypeCloseOrder, notify.TransTypeTransQuery, "NEW_WALLET_PAY"} {
		if tt.Kind() == notify.KindPayment {
			t.Errorf("%s is of kind payment", tt)
		}
	}
}
