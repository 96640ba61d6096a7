package levy_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/bizapi-cn/go-sdk/internal/diag"
	"github.com/bizapi-cn/go-sdk/internal/sign"
	"github.com/bizapi-cn/go-sdk/internal/testkit/masktest"
	"github.com/bizapi-cn/go-sdk/internal/testvectors"
	"github.com/bizapi-cn/go-sdk/levy"
)

// Issue #21 items 1 and 3: a failed signature check carries, under
// WithDiagnostics only, a masked diagnosis that names the likely cause.

func levyVectors(t *testing.T) testvectors.Levy {
	t.Helper()
	var v testvectors.Levy
	if err := testvectors.Load("levy_hmac.json", &v); err != nil {
		t.Fatal(err)
	}
	return v
}

// diagnosisOf is the Diagnosis of err, which must be a *SignatureError
// that has one.
func diagnosisOf(t *testing.T, err error) levy.Diagnosis {
	t.Helper()
	var se *levy.SignatureError
	if !errors.As(err, &se) || !errors.Is(err, levy.ErrInvalidSignature) {
		t.Fatalf("err = %v; want a *SignatureError matching ErrInvalidSignature", err)
	}
	d, ok := se.Diagnosis()
	if !ok {
		t.Fatalf("Diagnosis() = false with WithDiagnostics")
	}
	return d
}

func causeCodes(d levy.Diagnosis) []levy.CauseCode {
	var cs []levy.CauseCode
	for _, c := range d.Causes {
		cs = append(cs, c.Code)
	}
	return cs
}

func wantCause(t *testing.T, d levy.Diagnosis, code levy.CauseCode) {
	t.Helper()
	for _, c := range d.Causes {
		if c.Code == code {
			return
		}
	}
	t.Errorf("causes %v; want %s\n%s", causeCodes(d), code, d)
}

// reencodeMap is what a framework does to JSON it decodes into a map and
// encodes again with json.Marshal: keys sorted, <>& as \u003c….
func reencodeMap(t *testing.T, b []byte) []byte {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	out, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// reencodePython re-encodes JSON as Python's json.dumps does by default:
// spaced, non-ASCII as \uXXXX, no HTML escapes.
func reencodePython(t *testing.T, b []byte) []byte {
	t.Helper()
	n, err := diag.ParseJSON(b)
	if err != nil {
		t.Fatal(err)
	}
	return n.Encode(diag.Style{Spaced: true, ASCII: true})
}

func plusToSpace(s string) string { return strings.ReplaceAll(s, "+", " ") }

func hexOf(t *testing.T, b64sig string) string {
	t.Helper()
	b, err := base64.StdEncoding.DecodeString(b64sig)
	if err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b)
}

// answerServer serves body with Api-Sign sig to every call.
func answerServer(t *testing.T, body []byte, sig string) string {
	t.Helper()
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Api-Sign", sig)
		_, _ = w.Write(body)
	}))
	t.Cleanup(s.Close)
	return s.URL
}

// damagingProxy stands in front of target and damages each answer, as a
// gateway or a framework between the provider and the client would.
func damagingProxy(t *testing.T, target string, damage func(body []byte, h http.Header) []byte) string {
	t.Helper()
	u, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	p := httputil.NewSingleHostReverseProxy(u)
	p.ModifyResponse = func(r *http.Response) error {
		b, err := io.ReadAll(r.Body)
		if err != nil {
			return err
		}
		r.Body.Close()
		b = damage(b, r.Header)
		r.Body = io.NopCloser(bytes.NewReader(b))
		r.ContentLength = int64(len(b))
		r.Header.Set("Content-Length", strconv.Itoa(len(b)))
		return nil
	}
	s := httptest.NewServer(p)
	t.Cleanup(s.Close)
	return s.URL
}

func diagClient(t *testing.T, base, secret string, extra ...levy.Option) *levy.Client {
	t.Helper()
	opts := append([]levy.Option{levy.WithCredentials("dawjoj12d123faiw", secret), levy.WithBaseURL(base), levy.WithRetries(0)}, extra...)
	c, err := levy.NewClient(opts...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func queryErr(t *testing.T, c *levy.Client) error {
	t.Helper()
	_, err := c.QueryOrder(t.Context(), &levy.QueryOrderRequest{RequestID: "R20220630000001"})
	if err == nil {
		t.Fatal("QueryOrder of a damaged answer: nil error")
	}
	return err
}

// TestAnswerDiagnosisCauses: each cause recognised on a real answer (the
// shared vector, or levytest's) damaged the way the cause says.
func TestAnswerDiagnosisCauses(t *testing.T) {
	t.Parallel()
	v := levyVectors(t).Response
	body, sig := []byte(v.Body), v.APISign
	if !strings.Contains(sig, "+") {
		t.Fatal("the vector's Api-Sign has no '+' to damage")
	}
	for _, c := range []struct {
		name string
		body []byte
		sig  string
		want levy.CauseCode
	}{
		{"a gateway decoded the JSON into a map and encoded it again", reencodeMap(t, body), sig, levy.CauseReencoded},
		{"Api-Sign URL-decoded: '+' became ' '", body, plusToSpace(sig), levy.CausePlusSpace},
		{"a line ending added to the body", append(append([]byte(nil), body...), '\r', '\n'), sig, levy.CauseWhitespace},
		{"Api-Sign sent as hex", body, hexOf(t, sig), levy.CauseEncoding},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			err := queryErr(t, diagClient(t, answerServer(t, c.body, c.sig), v.Secret, levy.WithDiagnostics()))
			wantCause(t, diagnosisOf(t, err), c.want)
		})
	}

	t.Run("levytest's answer re-encoded by a Python proxy", func(t *testing.T) {
		t.Parallel()
		srv := newFake(t)
		proxy := damagingProxy(t, srv.URL, func(b []byte, _ http.Header) []byte { return reencodePython(t, b) })
		c, err := levy.NewClient(levy.WithCredentials(srv.ClientKey, srv.Secret), levy.WithBaseURL(proxy), levy.WithRetries(0), levy.WithDiagnostics())
		if err != nil {
			t.Fatal(err)
		}
		d := diagnosisOf(t, queryErr(t, c))
		wantCause(t, d, levy.CauseReencoded)
		if d.Algorithm != "HMAC-SHA256 over the raw answer body (Api-Sign), base64" {
			t.Errorf("Algorithm = %q", d.Algorithm)
		}
	})

	t.Run("a state change's answer: reached through OutcomeUnknownError", func(t *testing.T) {
		t.Parallel()
		srv := newFake(t)
		proxy := damagingProxy(t, srv.URL, func(b []byte, _ http.Header) []byte { return append(b, '\n') })
		c, err := levy.NewClient(levy.WithCredentials(srv.ClientKey, srv.Secret), levy.WithBaseURL(proxy), levy.WithDiagnostics())
		if err != nil {
			t.Fatal(err)
		}
		_, err = c.SignUp(t.Context(), &levy.SignUpRequest{IDCard: "110101199003074477", Name: "张三", Cellphone: "13800138000", BankcardNo: "6222020200112233445"})
		if !errors.Is(err, levy.ErrOutcomeUnknown) {
			t.Fatalf("SignUp = %v; want ErrOutcomeUnknown", err)
		}
		wantCause(t, diagnosisOf(t, err), levy.CauseWhitespace)
	})

	t.Run("wrong secret: no cause, the secret by fingerprint", func(t *testing.T) {
		t.Parallel()
		const wrong = "another-secret-1234"
		d := diagnosisOf(t, queryErr(t, diagClient(t, answerServer(t, body, sig), wrong, levy.WithDiagnostics())))
		if len(d.Causes) != 0 {
			t.Errorf("causes %v; want none", causeCodes(d))
		}
		if want := "secret " + diag.Secret([]byte(wrong)); len(d.KeysTried) != 1 || d.KeysTried[0] != want {
			t.Errorf("KeysTried = %q; want [%q]", d.KeysTried, want)
		}
		if !strings.Contains(d.String(), diag.Unrecognised) {
			t.Errorf("String() does not say no cause was recognised:\n%s", d)
		}
	})
}

// notificationForm is the form of a notification with req and sign.
func notificationForm(req, sig string) []byte {
	return []byte(url.Values{"req": {req}, "sign": {sig}}.Encode())
}

// formParts reads req and sign back from a levytest notification body.
func formParts(t *testing.T, body []byte) (req, sig string) {
	t.Helper()
	f, err := url.ParseQuery(string(body))
	if err != nil {
		t.Fatal(err)
	}
	return f.Get("req"), f.Get("sign")
}

func parseWith(t *testing.T, v *levy.NotificationVerifier, body []byte) error {
	t.Helper()
	h := http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}
	n, err := levy.ParseNotification(t.Context(), v, h, body)
	if err == nil || n != nil {
		t.Fatalf("ParseNotification of a damaged notification = %v, %v; want an error", n, err)
	}
	return err
}

func diagVerifier(t *testing.T, secret string, extra ...levy.Option) *levy.NotificationVerifier {
	t.Helper()
	v, err := levy.NewNotificationVerifier(append([]levy.Option{levy.WithCredentials("k", secret), levy.WithDiagnostics()}, extra...)...)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// TestNotificationDiagnosisCauses: each cause recognised on a real
// notification (levytest's, or the shared vector's {name, code, message,
// data} envelope sent as a notification's req) damaged the way it says.
func TestNotificationDiagnosisCauses(t *testing.T) {
	t.Parallel()
	srv := newFake(t)
	order := srv.SignNotification(string(levy.OperationCreateOrder), map[string]any{
		"request_id": "R+1", "status": "CLOSE", "fail_reason": "金额<0&税率+1", "remit_order_list": []any{},
	})
	oreq, osig := formParts(t, order)
	vec := levyVectors(t).Response
	if !strings.Contains(vec.APISign, "+") {
		t.Fatal("the vector's sign has no '+' to damage")
	}
	vecReq := levyVectors(t).Requests[2] // CREATE_ORDER_V2, remark "5月劳务 & 奖金"
	decoded, err := url.QueryUnescape(string(order))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name   string
		secret string
		body   []byte
		want   levy.CauseCode
	}{
		{"the vector's sign with '+' turned into spaces (a form decoded twice)", vec.Secret,
			notificationForm(vec.Body, plusToSpace(vec.APISign)), levy.CausePlusSpace},
		{"levytest's body handed over already URL-decoded", srv.Secret, []byte(decoded), levy.CausePlusSpace},
		{"the vector's form handed over already URL-decoded: the '&' in its remark splits req", vecReq.Secret,
			[]byte(mustUnescape(t, string(notificationForm(vecReq.Req, vecReq.Sign)))), levy.CausePlusSpace},
		{"levytest's req with '+' turned into spaces", srv.Secret, notificationForm(plusToSpace(oreq), osig), levy.CausePlusSpace},
		{"the vector's req decoded into a map and json.Marshal'd again", vec.Secret,
			notificationForm(string(reencodeMap(t, []byte(vec.Body))), vec.APISign), levy.CauseReencoded},
		{"levytest's req re-encoded without HTML escapes, Python style", srv.Secret,
			notificationForm(string(reencodePython(t, []byte(oreq))), osig), levy.CauseReencoded},
		{"levytest's req with a line ending added", srv.Secret, notificationForm(oreq+"\n", osig), levy.CauseWhitespace},
		{"the vector's sign as hex", vec.Secret, notificationForm(vec.Body, hexOf(t, vec.APISign)), levy.CauseEncoding},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			d := diagnosisOf(t, parseWith(t, diagVerifier(t, c.secret), c.body))
			wantCause(t, d, c.want)
			if d.Algorithm != "HMAC-SHA256 over req (sign), base64" {
				t.Errorf("Algorithm = %q", d.Algorithm)
			}
		})
	}

	t.Run("the host's Verifier (WithVerifier) runs the variants", func(t *testing.T) {
		t.Parallel()
		cv := &countingVerifier{v: sign.NewHMACSHA256([]byte(vec.Secret))}
		v, err := levy.NewNotificationVerifier(levy.WithClientKey("k"), levy.WithVerifier(cv), levy.WithDiagnostics())
		if err != nil {
			t.Fatal(err)
		}
		d := diagnosisOf(t, parseWith(t, v, notificationForm(string(reencodeMap(t, []byte(vec.Body))), vec.APISign)))
		wantCause(t, d, levy.CauseReencoded)
		if len(d.KeysTried) != 1 || !strings.Contains(d.KeysTried[0], "WithVerifier") {
			t.Errorf("KeysTried = %q; want the host's Verifier", d.KeysTried)
		}
		if cv.n.Load() < 2 {
			t.Errorf("the host's Verifier was called %d times; want the variants through it", cv.n.Load())
		}
	})

	t.Run("wrong secret: no cause, the secret by fingerprint", func(t *testing.T) {
		t.Parallel()
		const wrong = "another-secret-1234"
		d := diagnosisOf(t, parseWith(t, diagVerifier(t, wrong), notificationForm(vec.Body, vec.APISign)))
		if len(d.Causes) != 0 {
			t.Errorf("causes %v; want none", causeCodes(d))
		}
		if want := "secret " + diag.Secret([]byte(wrong)); len(d.KeysTried) != 1 || d.KeysTried[0] != want {
			t.Errorf("KeysTried = %q; want [%q]", d.KeysTried, want)
		}
	})

	t.Run("Client.NotificationVerifier carries the option", func(t *testing.T) {
		t.Parallel()
		c := diagClient(t, srv.URL, srv.Secret, levy.WithDiagnostics())
		d := diagnosisOf(t, parseWith(t, c.NotificationVerifier(), notificationForm(oreq+"\n", osig)))
		wantCause(t, d, levy.CauseWhitespace)
	})
}

type countingVerifier struct {
	v *sign.HMAC
	n atomic.Int32
}

func (c *countingVerifier) Verify(ctx context.Context, msg, sig []byte) error {
	c.n.Add(1)
	return c.v.Verify(ctx, msg, sig)
}

// TestNoDiagnosisWithoutOption: without WithDiagnostics no variant is
// tried (the Verifier is called once) and Diagnosis reports false.
func TestNoDiagnosisWithoutOption(t *testing.T) {
	t.Parallel()
	vec := levyVectors(t).Response
	mk := func() *countingVerifier { return &countingVerifier{v: sign.NewHMACSHA256([]byte(vec.Secret))} }
	check := func(t *testing.T, err error, cv *countingVerifier) {
		t.Helper()
		var se *levy.SignatureError
		if !errors.As(err, &se) || !errors.Is(err, levy.ErrInvalidSignature) {
			t.Fatalf("err = %v; want a *SignatureError", err)
		}
		if _, ok := se.Diagnosis(); ok {
			t.Error("Diagnosis() = true without WithDiagnostics")
		}
		if n := cv.n.Load(); n != 1 {
			t.Errorf("Verify called %d times; want 1", n)
		}
	}
	t.Run("answer", func(t *testing.T) {
		t.Parallel()
		cv := mk()
		c, err := levy.NewClient(levy.WithClientKey("k"), levy.WithSigner(sign.NewHMACSHA256([]byte(vec.Secret))), levy.WithVerifier(cv),
			levy.WithBaseURL(answerServer(t, reencodeMap(t, []byte(vec.Body)), vec.APISign)), levy.WithRetries(0))
		if err != nil {
			t.Fatal(err)
		}
		check(t, queryErr(t, c), cv)
	})
	t.Run("notification", func(t *testing.T) {
		t.Parallel()
		cv := mk()
		v, err := levy.NewNotificationVerifier(levy.WithClientKey("k"), levy.WithVerifier(cv))
		if err != nil {
			t.Fatal(err)
		}
		check(t, parseWith(t, v, notificationForm(string(reencodeMap(t, []byte(vec.Body))), vec.APISign)), cv)
	})
}

// TestSignatureErrorText: the error text is what it was before
// diagnostics, with the option or without.
func TestSignatureErrorText(t *testing.T) {
	t.Parallel()
	vec := levyVectors(t).Response
	base := answerServer(t, []byte(vec.Body), "AAAA")
	for _, opts := range [][]levy.Option{nil, {levy.WithDiagnostics()}} {
		err := queryErr(t, diagClient(t, base, vec.Secret, opts...))
		if got, want := err.Error(), "levy: QUERY_ORDER_V2: levy: invalid signature: HTTP 200 answer"; got != want {
			t.Errorf("answer: Error() = %q; want %q", got, want)
		}
		v, err := levy.NewNotificationVerifier(append([]levy.Option{levy.WithCredentials("k", vec.Secret)}, opts...)...)
		if err != nil {
			t.Fatal(err)
		}
		for body, want := range map[string]string{
			string(notificationForm(vec.Body, "AAAA")):                   "levy: invalid signature: notification",
			string(notificationForm(vec.Body, plusToSpace(vec.APISign))): "levy: invalid signature: notification sign is not base64",
			string(notificationForm(vec.Body+"\n", vec.APISign)):         "levy: invalid signature: notification",
		} {
			if got := parseWith(t, v, []byte(body)).Error(); got != want {
				t.Errorf("notification: Error() = %q; want %q", got, want)
			}
		}
	}
}

// TestDiagnosisNeverVerifies: a forger's message, or one whose damage is
// recognised, still fails with the option on.
func TestDiagnosisNeverVerifies(t *testing.T) {
	t.Parallel()
	vec := levyVectors(t).Response
	v := diagVerifier(t, vec.Secret)
	forged := strings.Replace(vec.Body, "CLOSE", "REMIT", 1)
	for _, body := range [][]byte{
		notificationForm(forged, vec.APISign),
		notificationForm(forged, plusToSpace(vec.APISign)),
		notificationForm(vec.Body, plusToSpace(vec.APISign)), // recognised, still refused
	} {
		parseWith(t, v, body)
	}
	err := queryErr(t, diagClient(t, answerServer(t, []byte(forged), vec.APISign), vec.Secret, levy.WithDiagnostics()))
	if d := diagnosisOf(t, err); len(d.Causes) != 0 {
		t.Errorf("a forged answer: causes %v; want none", causeCodes(d))
	}
}

// TestDiagnosisMasked: the diagnosis of a message with an ID card, a
// phone, a bank card and a name holds none of them, nor the secret or the
// signature.
func TestDiagnosisMasked(t *testing.T) {
	t.Parallel()
	masktest.Check(t, sensitive, levy.SignatureError{}, levy.Diagnosis{}, levy.Cause{})
	vec := levyVectors(t)
	// SIGN_UP and CREATE_ORDER_V2: id_card, name, cellphone, bankcard_no
	// (CREATE_ORDER_V2's remark has a '&', which splits a decoded form).
	signUp, order := vec.Requests[0], vec.Requests[2]
	v := diagVerifier(t, signUp.Secret)
	for _, body := range [][]byte{
		notificationForm(string(reencodeMap(t, []byte(signUp.Req))), plusToSpace(signUp.Sign)),
		notificationForm(signUp.Req+"\n", signUp.Sign),
		[]byte(mustUnescape(t, string(notificationForm(order.Req, order.Sign)))),
	} {
		d := diagnosisOf(t, parseWith(t, v, body))
		all := d.String() + strings.Join(d.KeysTried, "") + d.SignedForm + strings.Join(d.Tried, "")
		for _, c := range d.Causes {
			all += c.Text
		}
		for _, leak := range []string{"110101199003074477", "13800138000", "6222020200112233445", "张三", "李四", "dawjoj12d123faiw",
			signUp.Secret, signUp.Sign, plusToSpace(signUp.Sign), order.Sign} {
			if strings.Contains(all, leak) {
				t.Errorf("the diagnosis holds %q:\n%s", leak, d)
			}
		}
		if !strings.Contains(d.SignedForm, `"id_card":`) {
			t.Errorf("SignedForm lost the keys: %s", d.SignedForm)
		}
	}
}

func mustUnescape(t *testing.T, s string) string {
	t.Helper()
	u, err := url.QueryUnescape(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// TestCauseCodes: levy's codes are internal/diag's, the values every
// module and the bizapi tool print.
func TestCauseCodes(t *testing.T) {
	t.Parallel()
	for got, want := range map[levy.CauseCode]string{
		levy.CauseReencoded: diag.CauseReencoded, levy.CausePlusSpace: diag.CausePlusSpace, levy.CauseReversedKey: diag.CauseReversedKey,
		levy.CauseFieldOrder: diag.CauseFieldOrder, levy.CauseFieldCase: diag.CauseFieldCase, levy.CauseEncoding: diag.CauseEncoding,
		levy.CauseWhitespace: diag.CauseWhitespace, levy.CauseFields: diag.CauseFields, levy.CauseKey: diag.CauseKey, levy.CauseTruncated: diag.CauseTruncated,
	} {
		if string(got) != want {
			t.Errorf("levy cause %q; internal/diag's is %q", got, want)
		}
	}
}

// TestDocCommandsExist: each bizapi command the package doc's "When a
// signature fails" gives is a levy subcommand with flags the tool's README
// documents, and the doc names every cause levy recognises.
func TestDocCommandsExist(t *testing.T) {
	t.Parallel()
	doc, err := os.ReadFile(filepath.Join("..", "..", "..", "levy", "doc.go"))
	if err != nil {
		t.Fatal(err)
	}
	readme, err := os.ReadFile(filepath.Join("..", "..", "..", "cmd", "bizapi", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	i := strings.Index(string(doc), "# When a signature fails")
	j := strings.Index(string(doc), "# Errors")
	if i < 0 || j < i {
		t.Fatal(`levy's doc.go has no "When a signature fails" section before "# Errors"`)
	}
	sec := string(doc[i:j])
	flag := regexp.MustCompile(`--[a-z-]+`)
	n := 0
	for _, line := range strings.Split(sec, "\n") {
		k := strings.Index(line, "bizapi levy ")
		if k < 0 {
			continue
		}
		n++
		cmd := strings.Fields(line[k:])[2]
		if !strings.Contains(string(readme), "bizapi levy "+cmd) {
			t.Errorf("doc.go gives bizapi levy %s; the README has no such command", cmd)
		}
		for _, f := range flag.FindAllString(line[k:], -1) {
			if !strings.Contains(string(readme), f) {
				t.Errorf("doc.go gives %s; the README does not document it", f)
			}
		}
	}
	if n < 4 {
		t.Errorf("the section gives %d bizapi levy commands; want verify (answer, body, notification) and sign", n)
	}
	for _, name := range []string{"CauseReencoded", "CausePlusSpace", "CauseWhitespace", "CauseEncoding", "CauseFieldOrder"} {
		if !strings.Contains(sec, name+":") {
			t.Errorf("the section does not say what %s means", name)
		}
	}
}
