package allinpay_test

import (
	"bytes"
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/bizapi-cn/go-sdk/allinpay"
	"github.com/bizapi-cn/go-sdk/allinpay/allinpaytest"
	"github.com/bizapi-cn/go-sdk/internal/diag"
	"github.com/bizapi-cn/go-sdk/internal/keys"
	"github.com/bizapi-cn/go-sdk/internal/testkit/masktest"
	"github.com/bizapi-cn/go-sdk/internal/testvectors"
	"github.com/jarcoal/httpmock"
)

// vectorAnswer is the shared vector's TRANS_QUERY answer (signed by the
// platform key with OpenSSL), as a field set in its JSON order.
func vectorAnswer(t *testing.T) []byte {
	t.Helper()
	var v testvectors.Allinpay
	if err := testvectors.Load("allinpay_rsa2.json", &v); err != nil {
		t.Fatal(err)
	}
	return v.Response.JSON
}

// queryWith answers a QueryOrder of c with body and returns the error.
func queryWith(t *testing.T, c *allinpay.Client, mt *httpmock.MockTransport, body []byte) error {
	t.Helper()
	mt.RegisterNoResponder(httpmock.NewBytesResponder(200, body))
	_, err := c.QueryOrder(context.Background(), &allinpay.QueryOrderRequest{OriOutTransNo: "20180626171856517"})
	return err
}

// diagnosisOf returns the diagnosis of a *SignatureError.
func diagnosisOf(t *testing.T, err error) (allinpay.Diagnosis, bool) {
	t.Helper()
	var se *allinpay.SignatureError
	if !errors.As(err, &se) || !errors.Is(err, allinpay.ErrInvalidSignature) {
		t.Fatalf("err = %v; want a *SignatureError matching ErrInvalidSignature", err)
	}
	return se.Diagnosis()
}

func hasCause(d allinpay.Diagnosis, code allinpay.CauseCode) bool {
	for _, c := range d.Causes {
		if c.Code == code {
			return true
		}
	}
	return false
}

func wantCause(t *testing.T, name string, err error, code allinpay.CauseCode) allinpay.Diagnosis {
	t.Helper()
	d, ok := diagnosisOf(t, err)
	if !ok {
		t.Fatalf("%s: no diagnosis with WithDiagnostics", name)
	}
	if !hasCause(d, code) {
		t.Errorf("%s: causes %v; want %s\n%s", name, d.Causes, code, d)
	}
	return d
}

// reSign signs a field set with the vector platform key over msg (a
// canonical string as some other signer builds it) and returns the JSON.
func reSigned(t *testing.T, f map[string]string, msg string) []byte {
	t.Helper()
	_, _, pp, _ := vectorKeys(t)
	f["signature"] = signRaw(t, pp, msg)
	b, _ := json.Marshal(f)
	return b
}

// signRaw signs msg as it is (some signer's canonical string).
func signRaw(t *testing.T, pemKey []byte, msg string) string {
	t.Helper()
	k, err := keys.ParseRSAPrivateKey(pemKey)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256([]byte(msg))
	sig, err := rsa.SignPKCS1v15(rand.Reader, k, crypto.SHA256, sum[:])
	if err != nil {
		t.Fatal(err)
	}
	return base64.StdEncoding.EncodeToString(sig)
}

func vectorFields(t *testing.T) map[string]string {
	t.Helper()
	var raw map[string]any
	_ = json.Unmarshal(vectorAnswer(t), &raw)
	f := map[string]string{}
	for k, v := range raw {
		b, _ := json.Marshal(v)
		if s, ok := v.(string); ok {
			f[k] = s
		} else {
			f[k] = string(b)
		}
	}
	delete(f, "signature")
	return f
}

func joinIn(order []string, f map[string]string, withEmpty bool) string {
	var parts []string
	for _, k := range order {
		if k == "signature" || (!withEmpty && f[k] == "") {
			continue
		}
		parts = append(parts, k+"="+f[k])
	}
	return strings.Join(parts, "&")
}

// TestDiagnosisAnswerCauses: each recognisable cause on the shared
// vector's answer, damaged the way the cause says.
func TestDiagnosisAnswerCauses(t *testing.T) {
	t.Parallel()
	mp, pp, _, mpub := vectorKeys(t)
	vec := vectorAnswer(t)
	if !bytes.Contains(vec, []byte("+")) {
		t.Fatal("the vector signature has no '+' to damage")
	}
	var sig string
	{
		var m map[string]any
		_ = json.Unmarshal(vec, &m)
		sig = m["signature"].(string)
	}
	f := vectorFields(t)
	keys := make([]string, 0, len(f))
	for k := range f {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	// A signer that sorts case-insensitively: a field with an uppercase
	// name ("X-Trace", added by a gateway that signs) sorts elsewhere.
	ci := map[string]string{"XTrace": "t1"}
	for k, v := range f {
		ci[k] = v
	}
	ciKeys := make([]string, 0, len(ci))
	for k := range ci {
		ciKeys = append(ciKeys, k)
	}
	sort.Slice(ciKeys, func(i, j int) bool { return strings.ToLower(ciKeys[i]) < strings.ToLower(ciKeys[j]) })
	plus := map[string]string{}
	for k, v := range f {
		plus[k] = v
	}
	plus["resultMsg"] = "paid+confirmed"

	cases := []struct {
		name string
		opts []allinpay.Option
		body []byte
		want allinpay.CauseCode
	}{
		{"signature '+' as space", nil, bytes.Replace(vec, []byte(sig), []byte(strings.ReplaceAll(sig, "+", " ")), 1), allinpay.CausePlusSpace},
		{"value '+' as space", nil, bytes.Replace(reSigned(t, plus, joinIn(sortedKeys(plus), plus, false)), []byte("paid+confirmed"), []byte("paid confirmed"), 1), allinpay.CausePlusSpace},
		{"field case MchNo", nil, bytes.Replace(vec, []byte(`"mchNo"`), []byte(`"MchNo"`), 1), allinpay.CauseFieldCase},
		{"merchant public key as the platform's", []allinpay.Option{allinpay.WithPrivateKey(mp), allinpay.WithPlatformPublicKeys(mpub)}, vec, allinpay.CauseReversedKey},
		{"signed with the merchant key", nil, func() []byte {
			g := map[string]string{}
			for k, v := range f {
				g[k] = v
			}
			g["signature"] = signWith(t, mp, g)
			b, _ := json.Marshal(g)
			return b
		}(), allinpay.CauseReversedKey},
		{"keys sorted case-insensitively", nil, reSigned(t, ci, joinIn(ciKeys, ci, false)), allinpay.CauseFieldOrder},
		{"empty fields included", nil, reSigned(t, copyOf(f), joinIn(keys, f, true)), allinpay.CauseFields},
	}
	for _, c := range cases {
		opts := append([]allinpay.Option{allinpay.WithDiagnostics()}, c.opts...)
		cl, mt := mockClient(t, "Q-1", opts...)
		d := wantCause(t, c.name, queryWith(t, cl, mt, c.body), c.want)
		if d.Algorithm == "" || len(d.Fields) == 0 || d.SignedForm == "" || len(d.KeysTried) == 0 {
			t.Errorf("%s: incomplete diagnosis %+v", c.name, d)
		}
	}
	_ = pp
}

func sortedKeys(f map[string]string) []string {
	ks := make([]string, 0, len(f))
	for k := range f {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

func copyOf(f map[string]string) map[string]string {
	g := make(map[string]string, len(f))
	for k, v := range f {
		g[k] = v
	}
	return g
}

// TestDiagnosisKeyRotation: with several platform keys, KeysTried lists
// each by fingerprint, and the merchant's own among them is named.
func TestDiagnosisKeyRotation(t *testing.T) {
	t.Parallel()
	mp, _, _, mpub := vectorKeys(t)
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	der, _ := x509.MarshalPKIXPublicKey(&k.PublicKey)
	other := pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
	c, mt := mockClient(t, "Q-1", allinpay.WithDiagnostics(), allinpay.WithPrivateKey(mp), allinpay.WithPlatformPublicKeys(other, mpub))
	d := wantCause(t, "rotation", queryWith(t, c, mt, vectorAnswer(t)), allinpay.CauseReversedKey)
	n := 0
	for _, k := range d.KeysTried {
		if strings.Contains(k, "SHA256:") && strings.Contains(k, "WithPlatformPublicKeys key") {
			n++
		}
	}
	if n != 2 || !strings.Contains(d.String(), "key 2 given to WithPlatformPublicKeys") {
		t.Errorf("keys tried %v; want both platform keys, key 2 named as the merchant's\n%s", d.KeysTried, d)
	}
}

// countingVerifier counts Verify calls over the vector platform key.
type countingVerifier struct {
	n   atomic.Int32
	pub *rsa.PublicKey
}

func (v *countingVerifier) Verify(_ context.Context, msg, sig []byte) error {
	v.n.Add(1)
	sum := sha256.Sum256(msg)
	return rsa.VerifyPKCS1v15(v.pub, crypto.SHA256, sum[:], sig)
}

func platformPub(t *testing.T) *rsa.PublicKey {
	t.Helper()
	_, pp, _, _ := vectorKeys(t)
	blk, _ := pem.Decode(pp)
	k, err := x509.ParsePKIXPublicKey(blk.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	return k.(*rsa.PublicKey)
}

// TestDiagnosisOff: without WithDiagnostics there is no diagnosis and the
// verifier is called once; the error text is the one it always was, with
// or without the option; a forged signature still fails with it on.
func TestDiagnosisOff(t *testing.T) {
	t.Parallel()
	damaged := bytes.Replace(vectorAnswer(t), []byte(`"succeed"`), []byte(`"succeeded"`), 1)
	for _, on := range []bool{false, true} {
		v := &countingVerifier{pub: platformPub(t)}
		opts := []allinpay.Option{allinpay.WithVerifier(v)}
		if on {
			opts = append(opts, allinpay.WithDiagnostics())
		}
		c, mt := mockClient(t, "Q-1", opts...)
		err := queryWith(t, c, mt, damaged)
		if got := err.Error(); got != "allinpay: TRANS_QUERY: allinpay: invalid signature" {
			t.Errorf("diagnostics %v: text %q changed", on, got)
		}
		d, ok := diagnosisOf(t, err)
		if ok != on {
			t.Fatalf("diagnostics %v: Diagnosis() ok = %v", on, ok)
		}
		if calls := v.n.Load(); !on && calls != 1 || on && calls < 2 {
			t.Errorf("diagnostics %v: %d Verify calls", on, calls)
		}
		if on && (len(d.Causes) != 0 || !strings.Contains(d.String(), "none recognised")) {
			t.Errorf("a changed value is no recognised cause: %v", d.Causes)
		}
	}
	// Not base64: the same text as before.
	c, mt := mockClient(t, "Q-1", allinpay.WithDiagnostics())
	err := queryWith(t, c, mt, bytes.Replace(vectorAnswer(t), []byte(`"N2ou`), []byte(`"N2 ou`), 1))
	if got := err.Error(); got != "allinpay: TRANS_QUERY: allinpay: invalid signature: signature missing or not base64" {
		t.Errorf("text %q", got)
	}
	// A forger's signature, with spaces and all, never verifies.
	forged := bytes.Replace(vectorAnswer(t), []byte(`"N2ou`), []byte(`"M2ou`), 1)
	for _, body := range [][]byte{forged, bytes.ReplaceAll(forged, []byte("+"), []byte(" "))} {
		c, mt := mockClient(t, "Q-1", allinpay.WithDiagnostics())
		if err := queryWith(t, c, mt, body); !errors.Is(err, allinpay.ErrInvalidSignature) {
			t.Errorf("forged answer: %v", err)
		}
	}
}

// notifier is a NotificationVerifier of the fake's merchant.
func notifier(t *testing.T, s *allinpaytest.Server, opts ...allinpay.Option) *allinpay.NotificationVerifier {
	t.Helper()
	_, pp, _, _ := vectorKeys(t)
	base := []allinpay.Option{allinpay.WithMerchant(s.AccessCode, s.MchNo), allinpay.WithPlatformPublicKeys(pp)}
	v, err := allinpay.NewNotificationVerifier(append(base, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func notification(extra map[string]string) map[string]string {
	f := map[string]string{"transType": "ALIPAY_SCANCODE", "outTransNo": "O-1", "transAmount": "100", "currency": "HKD",
		"resultCode": "0000", "resultMsg": "transact successfully", "transNo": "T1", "payTime": "20240101100000"}
	for k, v := range extra {
		f[k] = v
	}
	return f
}

// TestDiagnosisNotificationCauses: notifications signed by the fake, then
// damaged.
func TestDiagnosisNotificationCauses(t *testing.T) {
	t.Parallel()
	s, err := allinpaytest.NewServer()
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	_, _, _, mpub := vectorKeys(t)
	ctx := context.Background()
	plus := s.SignNotification(notification(map[string]string{"payTime": "2024-01-01T10:00:00+08:00", "goodsSubject": "Tea+Cake set"}))
	// A second URL decoding: %2B becomes '+', which the form parser reads
	// as a space.
	twice, err := url.PathUnescape(string(plus))
	if err != nil || !strings.Contains(twice, "Tea+Cake+set") {
		t.Fatalf("decoded once: %q, %v", twice, err)
	}
	// A signer that does not sort: it signs the fields in the order sent.
	_, _, pp, _ := vectorKeys(t)
	order := []string{"requestNo", "version", "accessCode", "transType", "signType", "mchNo", "outTransNo", "transAmount", "currency",
		"resultCode", "resultMsg", "transNo", "payTime"}
	uf := notification(map[string]string{"requestNo": "N1", "version": "V1.0", "accessCode": s.AccessCode, "signType": "RSA2", "mchNo": s.MchNo})
	uf["signature"] = signRaw(t, pp, joinIn(order, uf, false))
	unsorted := formOf(append(order, "signature"), uf)
	mch := bytes.Replace(s.SignNotification(notification(nil)), []byte("mchNo="), []byte("MchNo="), 1)
	cases := []struct {
		name string
		opts []allinpay.Option
		body []byte
		want allinpay.CauseCode
	}{
		{"'+' decoded twice", nil, []byte(twice), allinpay.CausePlusSpace},
		{"field case MchNo", nil, mch, allinpay.CauseFieldCase},
		{"keys not sorted", nil, unsorted, allinpay.CauseFieldOrder},
		{"merchant public key as the platform's", []allinpay.Option{allinpay.WithPlatformPublicKeys(mpub), allinpay.WithDiagnosisMerchantPublicKey(mpub)},
			s.SignNotification(notification(nil)), allinpay.CauseReversedKey},
	}
	for _, c := range cases {
		v := notifier(t, s, append([]allinpay.Option{allinpay.WithDiagnostics()}, c.opts...)...)
		_, err := allinpay.ParseNotification(ctx, v, nil, c.body)
		wantCause(t, c.name, err, c.want)
	}
	// Without the merchant's public key the notification verifier cannot
	// tell a reversed role: it says nothing of one.
	v := notifier(t, s, allinpay.WithDiagnostics(), allinpay.WithPlatformPublicKeys(mpub))
	_, err = allinpay.ParseNotification(ctx, v, nil, s.SignNotification(notification(nil)))
	if d, _ := diagnosisOf(t, err); hasCause(d, allinpay.CauseReversedKey) {
		t.Errorf("reversed role without the merchant key: %v", d.Causes)
	}
	// Off: no diagnosis.
	_, err = allinpay.ParseNotification(ctx, notifier(t, s), nil, mch)
	if _, ok := diagnosisOf(t, err); ok || err.Error() != "allinpay: invalid signature" {
		t.Errorf("without WithDiagnostics: %v", err)
	}
}

// TestDiagnosisMasked: the diagnosis of a notification carrying an ID card
// number, a phone number and a name holds none of them, nor the signature,
// nor any other value.
func TestDiagnosisMasked(t *testing.T) {
	t.Parallel()
	s, err := allinpaytest.NewServer()
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	personal := map[string]string{"idCard": "110101199003077777", "phone": "13800138000", "userName": "张三丰", "bankUserId": "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"}
	body := s.SignNotification(notification(personal))
	body = bytes.Replace(body, []byte("transact+successfully"), []byte("transact+successful"), 1) // a changed value
	v := notifier(t, s, allinpay.WithDiagnostics())
	_, err = allinpay.ParseNotification(context.Background(), v, nil, body)
	d, ok := diagnosisOf(t, err)
	if !ok {
		t.Fatal("no diagnosis")
	}
	form, _ := url.ParseQuery(string(body))
	all := d.String() + strings.Join(d.Tried, "") + fmtAll(d)
	for _, c := range d.Causes {
		all += c.Text
	}
	for k, vals := range form {
		if k == "signType" { // "RSA2" is named by the algorithm
			continue
		}
		if len(vals[0]) >= 4 && strings.Contains(all, vals[0]) {
			t.Errorf("value of %s in the diagnosis:\n%s", k, all)
		}
	}
	for _, p := range personal {
		if strings.Contains(all, p) {
			t.Errorf("%q in the diagnosis", p)
		}
	}
	masktest.Check(t, sensitive, allinpay.Diagnosis{}, allinpay.Cause{})
}

// TestDiagnosisBill: a bill's signature is diagnosed over the file on
// disk: '+' damage in the signature and in a value, and the merchant's key
// as the platform's.
func TestDiagnosisBill(t *testing.T) {
	t.Setenv("TMPDIR", t.TempDir())
	mp, _, _, mpub := vectorKeys(t)
	file := "20240101,M1,Shop,T1,O1,ALIPAY_SCANCODE,,,,,2024-01-01 10:00:00,HKD,10.50,0.00,HKD,10.44,0.06,10.50,0.00,1.0000,,\nSummary,20240101,HKD,10.50,0.06,10.44,1,10.50,0.00\n"
	b64, _ := json.Marshal(base64.StdEncoding.EncodeToString([]byte(file)))
	day := &allinpay.DownloadBillRequest{BillDate: time.Date(2024, 1, 1, 12, 0, 0, 0, time.UTC)}
	cases := []struct {
		name string
		opts []allinpay.Option
		edit func(b []byte) []byte
		want allinpay.CauseCode
	}{
		{"signature '+' as space", nil, func(b []byte) []byte {
			var m map[string]any
			_ = json.Unmarshal(b, &m)
			sig := m["signature"].(string)
			return bytes.Replace(b, []byte(sig), []byte(strings.ReplaceAll(sig, "+", " ")), 1)
		}, allinpay.CausePlusSpace},
		{"value '+' as space", nil, func(b []byte) []byte { return bytes.Replace(b, []byte("ok+done"), []byte("ok done"), 1) }, allinpay.CausePlusSpace},
		{"merchant public key as the platform's", []allinpay.Option{allinpay.WithPrivateKey(mp), allinpay.WithPlatformPublicKeys(mpub)}, nil, allinpay.CauseReversedKey},
	}
	for _, c := range cases {
		noPlus := false
		cl, mt := mockClient(t, "B-1", append([]allinpay.Option{allinpay.WithDiagnostics()}, c.opts...)...)
		mt.RegisterNoResponder(func(r *http.Request) (*http.Response, error) {
			_ = r.ParseForm()
			form := map[string]string{}
			for k, v := range r.PostForm {
				form[k] = v[0]
			}
			b := billAnswer(t, form, string(b64), map[string]string{"resultMsg": "ok+done"})
			noPlus = !bytes.Contains(b, []byte("+"))
			if c.edit != nil {
				b = c.edit(b)
			}
			return httpmock.NewBytesResponse(200, b), nil
		})
		_, err := cl.DownloadBill(context.Background(), day)
		if noPlus && c.name == "signature '+' as space" {
			continue // this signature has no '+' to damage
		}
		var se *allinpay.SignatureError
		if errors.As(err, &se) && se.Operation != allinpay.TransTypeDownloadCheckBill {
			t.Errorf("%s: operation %q", c.name, se.Operation)
		}
		d := wantCause(t, c.name, err, c.want)
		if !strings.Contains(d.SignedForm, "billData=") || strings.Contains(d.SignedForm, "Summary") {
			t.Errorf("%s: signed form %q", c.name, d.SignedForm)
		}
	}
}

// TestCauseCodes: the exported codes are internal/diag's, which the bizapi
// tool prints.
func TestCauseCodes(t *testing.T) {
	t.Parallel()
	for got, want := range map[allinpay.CauseCode]string{
		allinpay.CauseReencoded: diag.CauseReencoded, allinpay.CausePlusSpace: diag.CausePlusSpace, allinpay.CauseReversedKey: diag.CauseReversedKey,
		allinpay.CauseFieldOrder: diag.CauseFieldOrder, allinpay.CauseFieldCase: diag.CauseFieldCase, allinpay.CauseEncoding: diag.CauseEncoding,
		allinpay.CauseWhitespace: diag.CauseWhitespace, allinpay.CauseFields: diag.CauseFields, allinpay.CauseKey: diag.CauseKey,
		allinpay.CauseTruncated: diag.CauseTruncated,
	} {
		if string(got) != want {
			t.Errorf("cause %q; internal/diag says %q", got, want)
		}
	}
}

// TestDiagnosisOptionRefusals: the merchant key for diagnosis must be a
// public key; a private key is refused, naming the option.
func TestDiagnosisOptionRefusals(t *testing.T) {
	t.Parallel()
	mp, pp, _, _ := vectorKeys(t)
	for _, bad := range [][]byte{nil, {}, []byte("junk"), mp} {
		_, err := allinpay.NewNotificationVerifier(allinpay.WithMerchant("20000000", "6666666600003"), allinpay.WithPlatformPublicKeys(pp),
			allinpay.WithDiagnostics(), allinpay.WithDiagnosisMerchantPublicKey(bad))
		if err == nil || !strings.Contains(err.Error(), "WithDiagnosisMerchantPublicKey") {
			t.Errorf("WithDiagnosisMerchantPublicKey(%.10q) = %v", bad, err)
		}
	}
}
