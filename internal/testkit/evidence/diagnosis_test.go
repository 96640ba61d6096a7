package evidence_test

import (
	"bytes"
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/bizapi-cn/go-sdk/evidence"
	"github.com/bizapi-cn/go-sdk/evidence/evidencetest"
	"github.com/bizapi-cn/go-sdk/internal/keys"
	"github.com/bizapi-cn/go-sdk/internal/sign"
	"github.com/bizapi-cn/go-sdk/internal/sortedjson"
	"github.com/bizapi-cn/go-sdk/internal/testkit/masktest"
	"github.com/bizapi-cn/go-sdk/internal/testvectors"
)

// diagFixture is a fake operator and a verifier of its notifications.
type diagFixture struct {
	srv *evidencetest.Server
	op  *rsa.PrivateKey
}

func newDiagFixture(t *testing.T) diagFixture {
	t.Helper()
	srv, err := evidencetest.NewServer()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	op, err := keys.ParseRSAPrivateKey(testvectors.MustRead("keys/platform_rsa_private_pkcs1.pem"))
	if err != nil {
		t.Fatal(err)
	}
	return diagFixture{srv, op}
}

func (f diagFixture) verifier(t *testing.T, opts ...evidence.Option) *evidence.NotificationVerifier {
	t.Helper()
	all := append([]evidence.Option{evidence.WithApp(f.srv.AppID, f.srv.AppKey), evidence.WithNotifyPublicKey(f.srv.NotifyPublicKey)}, opts...)
	v, err := evidence.NewNotificationVerifier(all...)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// signText is the operator's DECSSIGN over text.
func (f diagFixture) signText(text []byte) string {
	sum := sha256.Sum256(text)
	sig, _ := rsa.SignPKCS1v15(rand.Reader, f.op, crypto.SHA256, sum[:])
	return base64.StdEncoding.EncodeToString(sig)
}

func headers(hash, sig string) http.Header {
	h := http.Header{}
	h.Set("DECSHASH", hash)
	if sig != "" {
		h.Set("DECSSIGN", sig)
	}
	return h
}

// diagnose parses and returns the SignatureError and its diagnosis.
func diagnose(t *testing.T, v *evidence.NotificationVerifier, h http.Header, body []byte) (*evidence.SignatureError, evidence.Diagnosis) {
	t.Helper()
	n, err := evidence.ParseNotification(context.Background(), v, h, body)
	if n != nil || !errors.Is(err, evidence.ErrInvalidSignature) {
		t.Fatalf("ParseNotification = %v, %v; want ErrInvalidSignature (the diagnosis never makes a notification verify)", n, err)
	}
	var se *evidence.SignatureError
	if !errors.As(err, &se) {
		t.Fatalf("ParseNotification error %T is not a *SignatureError", err)
	}
	d, ok := se.Diagnosis()
	if !ok {
		t.Fatalf("Diagnosis() = false with WithDiagnostics")
	}
	return se, d
}

var personalData = map[string]any{"daId": "DA0001", "bizNo": "B0001", "site": "app-tax-income", "daStatus": 10,
	"idNo": "110101199003077777", "phone": "13812345678", "userName": "张三丰", "ext": map[string]any{"attach": "a+b"}}

// TestDiagnosisCauses: each recognised cause, on a notification the fake
// operator made, damaged the way the cause says.
func TestDiagnosisCauses(t *testing.T) {
	t.Parallel()
	f := newDiagFixture(t)
	v := f.verifier(t, evidence.WithDiagnostics())
	body, hash, sig := f.srv.Notification(evidence.FuncDaFileParsed, personalData)
	if _, err := evidence.ParseNotification(context.Background(), v, headers(hash, sig), body); err != nil {
		t.Fatalf("the undamaged notification: %v", err)
	}
	appKey := []byte(f.srv.AppKey)
	mac := sign.NewHMACSHA256(appKey)
	// A framework decodes into a typed struct and writes it back: every
	// field of the struct appears, the empty ones too.
	var typed struct {
		Func string `json:"func"`
		V    string `json:"v"`
		Auth struct {
			Nonce string `json:"nonce"`
		} `json:"auth"`
		Data struct {
			DaID     string   `json:"daId"`
			BizNo    string   `json:"bizNo"`
			Site     string   `json:"site"`
			DaStatus int      `json:"daStatus"`
			IDNo     string   `json:"idNo"`
			Phone    string   `json:"phone"`
			UserName string   `json:"userName"`
			SubmitID string   `json:"submitId"`
			SiteList []string `json:"siteList"`
			Ext      struct {
				Attach string `json:"attach"`
			} `json:"ext"`
		} `json:"data"`
	}
	if err := json.Unmarshal(body, &typed); err != nil {
		t.Fatal(err)
	}
	viaStruct, _ := json.Marshal(typed)
	// A Java or JavaScript layer writes numbers as doubles.
	asDouble := bytes.Replace(body, []byte(`"daStatus":10`), []byte(`"daStatus":10.0`), 1)
	// The same struct, but a value changed on the way (the daId cut).
	typed.Data.DaID = "DA00"
	changed, _ := json.Marshal(typed)
	spaceSig := sig
	for !strings.Contains(spaceSig, "+") {
		body, hash, sig = f.srv.Notification(evidence.FuncDaFileParsed, personalData)
		spaceSig = sig
	}
	spaceSig = strings.ReplaceAll(sig, "+", " ")
	noSuffix := mac.UpperHex(body)
	own := f.verifier(t, evidence.WithDiagnostics(), evidence.WithPrivateKey(f.srv.PrivateKey))
	reversed, err := evidence.NewNotificationVerifier(evidence.WithApp(f.srv.AppID, f.srv.AppKey), evidence.WithDiagnostics(),
		evidence.WithNotifyPublicKey(testvectors.MustRead("keys/merchant_rsa_public.pem")), evidence.WithPrivateKey(f.srv.PrivateKey))
	if err != nil {
		t.Fatal(err)
	}
	integrator, _ := keys.ParseRSAPrivateKey(testvectors.MustRead("keys/merchant_rsa_private_pkcs1.pem"))
	sumHash := sha256.Sum256([]byte(hash))
	ownSig, _ := rsa.SignPKCS1v15(rand.Reader, integrator, crypto.SHA256, sumHash[:])
	lower := strings.ToLower(hash)

	for _, tc := range []struct {
		name   string
		v      *evidence.NotificationVerifier
		h      http.Header
		body   []byte
		header string
		want   evidence.CauseCode
	}{
		{"typed struct re-encoding", v, headers(hash, sig), viaStruct, "DECSHASH", evidence.CauseReencoded},
		{"numbers as doubles", v, headers(hash, sig), asDouble, "DECSHASH", evidence.CauseReencoded},
		{"value changed, DECSSIGN authentic", v, headers(hash, sig), changed, "DECSHASH", evidence.CauseReencoded},
		{"'+' in the body decoded as a space", v, headers(hash, sig), bytes.ReplaceAll(body, []byte("+"), []byte(" ")), "DECSHASH", evidence.CausePlusSpace},
		{"appKey suffix left out", v, headers(noSuffix, f.signText([]byte(noSuffix))), body, "DECSHASH", evidence.CauseFields},
		{"'+' in DECSSIGN decoded as a space", v, headers(hash, spaceSig), body, "DECSSIGN", evidence.CausePlusSpace},
		{"lowercase hex signed", v, headers(lower, f.signText([]byte(lower))), body, "DECSSIGN", evidence.CauseFieldCase},
		{"the body signed", v, headers(hash, f.signText(body)), body, "DECSSIGN", evidence.CauseFields},
		{"own public key given as the operator's", reversed, headers(hash, sig), body, "DECSSIGN", evidence.CauseReversedKey},
		{"signed with the integrator's own key", own, headers(hash, base64.StdEncoding.EncodeToString(ownSig)), body, "DECSSIGN", evidence.CauseReversedKey},
		{"DECSHASH cut short", v, headers(hash[:40], sig), body, "DECSHASH", evidence.CauseTruncated},
		{"no DECSSIGN", v, headers(hash, ""), body, "DECSSIGN", evidence.CauseFields},
	} {
		se, d := diagnose(t, tc.v, tc.h, tc.body)
		if se.Header != tc.header || !d.Has(tc.want) {
			t.Errorf("%s: Header %q, causes %v; want %s naming %s\n%s", tc.name, se.Header, d.Causes, tc.header, tc.want, d)
		}
		if d.Algorithm == "" || len(d.KeysTried) == 0 || d.SignedForm == "" {
			t.Errorf("%s: diagnosis lacks algorithm, keys or signed form:\n%s", tc.name, d)
		}
	}
}

// TestDiagnosisDocsVector: the docs' own DECSSIGN sample, with '+'
// turned into spaces by a second URL decoding.
func TestDiagnosisDocsVector(t *testing.T) {
	t.Parallel()
	dv := docs(t)
	spki, _ := base64.StdEncoding.DecodeString(dv.NotifySign.PublicKeySPKIB64)
	pemKey := []byte("-----BEGIN PUBLIC KEY-----\n" + base64.StdEncoding.EncodeToString(spki) + "\n-----END PUBLIC KEY-----\n")
	v, err := evidence.NewNotificationVerifier(evidence.WithApp("IDAkEBvb", dv.DECSHash.AppKey), evidence.WithNotifyPublicKey(pemKey), evidence.WithDiagnostics())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(dv.NotifySign.DECSSignB64, "+") {
		t.Fatal("the docs' DECSSIGN has no '+'")
	}
	_, d := diagnose(t, v, headers(dv.NotifySign.DECSHash, strings.ReplaceAll(dv.NotifySign.DECSSignB64, "+", " ")), []byte(`{}`))
	if !d.Has(evidence.CausePlusSpace) {
		t.Errorf("docs vector with '+' as spaces: causes %v\n%s", d.Causes, d)
	}
	// Its DECSHASH sample, hash-only: a null member added on the way.
	hv, _ := evidence.NewNotificationVerifier(evidence.WithApp("IDAkEBvb", dv.DECSHash.AppKey), evidence.WithInsecureNotificationHashOnly(), evidence.WithDiagnostics())
	body := strings.Replace(dv.DECSHash.SortedJSON, `"v":`, `"sign":null,"v":`, 1)
	_, d = diagnose(t, hv, headers(dv.DECSHash.DECSHash, ""), []byte(body))
	if !d.Has(evidence.CauseReencoded) || !strings.Contains(d.String(), "null") {
		t.Errorf("docs vector with a null member: causes %v\n%s", d.Causes, d)
	}
}

// TestDiagnosisOffByDefault: without WithDiagnostics there is none, and
// the error text is the same with and without it.
func TestDiagnosisOffByDefault(t *testing.T) {
	t.Parallel()
	f := newDiagFixture(t)
	body, hash, sig := f.srv.Notification(evidence.FuncDaFileParsed, personalData)
	plain, diagnosed := f.verifier(t), f.verifier(t, evidence.WithDiagnostics())
	for _, tc := range []struct {
		h    http.Header
		body []byte
		want string
	}{
		{headers(hash, sig), append(body, ' ', 'x'), "evidence: invalid signature: DECSHASH"},
		{headers(hash, f.signText(body)), body, "evidence: invalid signature: DECSSIGN"},
		{headers(hash, "!!"), body, "evidence: invalid signature: DECSSIGN missing or not base64"},
		{headers("AB", sig), body, "evidence: invalid signature: DECSHASH missing or of the wrong length"},
	} {
		_, err1 := evidence.ParseNotification(context.Background(), plain, tc.h, tc.body)
		_, err2 := evidence.ParseNotification(context.Background(), diagnosed, tc.h, tc.body)
		if err1 == nil || err2 == nil || err1.Error() != tc.want || err2.Error() != tc.want {
			t.Errorf("errors %q and %q; want both %q", err1, err2, tc.want)
		}
		var se *evidence.SignatureError
		if !errors.As(err1, &se) {
			t.Fatalf("%T is not a *SignatureError", err1)
		}
		if _, ok := se.Diagnosis(); ok {
			t.Errorf("%q: Diagnosis() = true without WithDiagnostics", tc.want)
		}
		if !errors.Is(err2, evidence.ErrInvalidSignature) {
			t.Errorf("%q: not ErrInvalidSignature", tc.want)
		}
	}
	var nilErr *evidence.SignatureError
	if _, ok := nilErr.Diagnosis(); ok {
		t.Error("nil SignatureError has a diagnosis")
	}
}

// TestDiagnosisForger: a forger's signature and hash still fail with
// diagnostics on, and the diagnosis recognises no cause that blames the
// configuration.
func TestDiagnosisForger(t *testing.T) {
	t.Parallel()
	f := newDiagFixture(t)
	v := f.verifier(t, evidence.WithDiagnostics(), evidence.WithPrivateKey(f.srv.PrivateKey))
	body, hash, _ := f.srv.Notification(evidence.FuncDaFileParsed, personalData)
	forger, _ := rsa.GenerateKey(rand.Reader, 2048)
	sum := sha256.Sum256([]byte(hash))
	sig, _ := rsa.SignPKCS1v15(rand.Reader, forger, crypto.SHA256, sum[:])
	_, d := diagnose(t, v, headers(hash, base64.StdEncoding.EncodeToString(sig)), body)
	if len(d.Causes) != 0 || !strings.Contains(d.String(), "none recognised") {
		t.Errorf("forged DECSSIGN: causes %v\n%s", d.Causes, d)
	}
	// A forged DECSHASH under another appKey, hash-only.
	hv := f.verifier(t, evidence.WithInsecureNotificationHashOnly(), evidence.WithDiagnostics())
	sorted, _ := sortedjson.Canonicalize(body)
	forged := sign.NewHMACSHA256([]byte("forger")).UpperHex(append(sorted, "forger"...))
	_, d = diagnose(t, hv, headers(forged, ""), body)
	if d.Has(evidence.CausePlusSpace) || d.Has(evidence.CauseFields) || !d.Has(evidence.CauseReencoded) {
		t.Errorf("forged DECSHASH: causes %v", d.Causes)
	}
}

// TestDiagnosisMasking: the diagnosis of a notification carrying an ID
// card number, a phone and a name holds none of them in full (they keep
// internal/diag's MaskAll partial masks: last four digits, first
// character), nor the appKey, nor any other value of the body, and
// neither does the handler's log of it.
func TestDiagnosisMasking(t *testing.T) {
	t.Parallel()
	f := newDiagFixture(t)
	masktest.Check(t, nil, evidence.Diagnosis{}, evidence.Cause{}, evidence.SignatureError{})
	v := f.verifier(t, evidence.WithDiagnostics())
	body, hash, sig := f.srv.Notification(evidence.FuncDaFileParsed, personalData)
	var logged bytes.Buffer
	h, err := evidence.NewNotificationHandler(f.verifier(t, evidence.WithDiagnostics(), evidence.WithLogger(slog.New(slog.NewJSONHandler(&logged, nil)))),
		func(context.Context, *evidence.Notification) error { return nil })
	if err != nil {
		t.Fatal(err)
	}
	for _, damaged := range []struct {
		h    http.Header
		body []byte
	}{
		{headers(hash, sig), bytes.Replace(body, []byte(`"daStatus":10`), []byte(`"daStatus":10.0`), 1)},
		{headers(hash, f.signText(body)), body},
		{headers(strings.ToLower(hash), f.signText([]byte(strings.ToLower(hash)))), body},
	} {
		_, d := diagnose(t, v, damaged.h, damaged.body)
		req := httptest.NewRequest(http.MethodPost, "/n", bytes.NewReader(damaged.body))
		req.Header = damaged.h.Clone()
		req.Header.Set("Content-Type", "application/json")
		h.ServeHTTP(httptest.NewRecorder(), req)
		all := d.String() + strings.Join(d.Tried, "") + strings.Join(d.Fields, "") + d.SignedForm + strings.Join(d.KeysTried, "")
		for _, c := range d.Causes {
			all += c.Text
		}
		for _, secret := range []string{"110101199003077777", "19900307", "13812345678", "张三丰", "三丰", "DA0001", "B0001", "app-tax-income", "a+b", f.srv.AppKey, f.srv.AppKey[:16]} {
			if strings.Contains(all, secret) {
				t.Errorf("the diagnosis holds %q:\n%s", secret, d)
			}
			if strings.Contains(logged.String(), secret) {
				t.Errorf("the handler's log holds %q", secret)
			}
		}
		if se, _ := diagnose(t, v, damaged.h, damaged.body); se.Header == "DECSHASH" && !strings.Contains(d.SignedForm, `"idNo":`) {
			t.Errorf("the signed form lost its keys: %s", d.SignedForm)
		}
	}
	if !strings.Contains(logged.String(), "diagnosis") || !strings.Contains(logged.String(), string(evidence.CauseReencoded)) && !strings.Contains(logged.String(), "re-encoded") {
		t.Errorf("the handler logged no diagnosis: %s", logged.String())
	}
}
