package evidence_test

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bizapi-cn/go-sdk/evidence"
	"github.com/bizapi-cn/go-sdk/evidence/evidencetest"
	"github.com/bizapi-cn/go-sdk/internal/testkit/masktest"
	"github.com/bizapi-cn/go-sdk/internal/testvectors"
	"github.com/bizapi-cn/go-sdk/store"
	"github.com/jarcoal/httpmock"
)

// TestVerifierNeedsNoPrivateKey: a receiver is built from the appKey and
// the notify key alone; without a notify key it fails at construction;
// with two keys (a rotation) a notification signed by either verifies.
func TestVerifierNeedsNoPrivateKey(t *testing.T) {
	t.Parallel()
	srv, err := evidencetest.NewServer()
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	if _, err := evidence.NewNotificationVerifier(evidence.WithApp(srv.AppID, srv.AppKey)); err == nil || !strings.Contains(err.Error(), "WithNotifyPublicKey") {
		t.Errorf("verifier without a notify key: %v", err)
	}
	other, _ := testvectors.Read("keys/merchant_rsa_public.pem")
	v, err := evidence.NewNotificationVerifier(evidence.WithApp(srv.AppID, srv.AppKey), evidence.WithNotifyPublicKey(other, srv.NotifyPublicKey))
	if err != nil {
		t.Fatal(err)
	}
	body, hash, sig := srv.Notification(evidence.FuncDaFailed, map[string]any{"daId": "DA1", "daStatus": 25,
		"ext": map[string]any{"childDaList": []map[string]string{{"daId": "DA1C", "site": "app-alipay-cr", "daStatus": "10", "daSubStatus": "81535"}}}})
	hdr := http.Header{"Decshash": {hash}, "Decssign": {sig}}
	n, err := evidence.ParseNotification(context.Background(), v, hdr, body)
	// en main.md: "childDaList.daStatus | String"
	if err != nil || n.Data.Ext.ChildDaList[0].DaStatus != 10 || n.Data.Ext.ChildDaList[0].DaSubStatus != "81535" {
		t.Fatalf("ParseNotification = %+v, %v", n, err)
	}
	// The handler acknowledges it, with dedup in memory by default.
	var calls int
	h, err := evidence.NewNotificationHandler(v, func(context.Context, *evidence.Notification) error { calls++; return nil })
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		rec := httptest.NewRecorder()
		req := httptest.NewRequest(http.MethodPost, "/n", bytes.NewReader(body))
		req.Header = hdr.Clone()
		req.Header.Set("Content-Type", "application/json")
		h.ServeHTTP(rec, req)
		if rec.Code != 200 || rec.Body.String() != `{"errorCode":0,"errorMessage":"OK"}` {
			t.Fatalf("handler: %d %s", rec.Code, rec.Body)
		}
	}
	if calls != 1 {
		t.Errorf("host calls = %d; want 1 (dedup on by default)", calls)
	}
	if _, err := evidence.NewNotificationHandler(v, nil); err == nil {
		t.Error("nil NotificationFunc accepted")
	}
	if _, err := evidence.NewNotificationHandler(v, func(context.Context, *evidence.Notification) error { return nil }, evidence.WithMaxBodyBytes(-1), nil); err == nil {
		t.Error("bad handler options accepted")
	}
}

// TestIdempotencyKey: the key is the kind and a hash of the verified data:
// a redelivery with another nonce or member order has the same key, any
// difference in data gives another.
func TestIdempotencyKey(t *testing.T) {
	t.Parallel()
	v, err := evidence.NewNotificationVerifier(evidence.WithApp("IDAkEBvb", testAppKey), evidence.WithInsecureNotificationHashOnly())
	if err != nil {
		t.Fatal(err)
	}
	key := func(body string) string {
		m := hmac.New(sha256.New, []byte(testAppKey))
		sorted, err := canonical([]byte(body))
		if err != nil {
			t.Fatal(err)
		}
		m.Write(sorted)
		m.Write([]byte(testAppKey))
		n, err := evidence.ParseNotification(context.Background(), v, http.Header{"Decshash": {hex.EncodeToString(m.Sum(nil))}}, []byte(body))
		if err != nil {
			t.Fatalf("%s: %v", body, err)
		}
		return n.IdempotencyKey()
	}
	a := key(`{"func":"daFailed","auth":{"nonce":"A"},"data":{"daId":"D1","daStatus":25,"bizNo":"B"}}`)
	b := key(`{"data":{"bizNo":"B","daStatus":25,"daId":"D1"},"auth":{"nonce":"B"},"func":"daFailed"}`)
	c := key(`{"func":"daFailed","auth":{"nonce":"A"},"data":{"daId":"D1","daStatus":25,"bizNo":"B2"}}`)
	d := key(`{"func":"daFileParsed","auth":{"nonce":"A"},"data":{"daId":"D1","daStatus":25,"bizNo":"B"}}`)
	if a != b || a == c || a == d || !strings.HasPrefix(a, "daFailed:") {
		t.Errorf("keys: %s %s %s %s", a, b, c, d)
	}
}

func canonical(b []byte) ([]byte, error) {
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		return nil, err
	}
	return json.Marshal(v) // encoding/json sorts map keys: the canonical form here
}

// TestOptionsRefused: nonsense options fail at construction, never as a
// panic later.
func TestOptionsRefused(t *testing.T) {
	t.Parallel()
	for name, o := range map[string]evidence.Option{
		"WithNonce(nil)": evidence.WithNonce(nil), "WithSuite(7)": evidence.WithSuite(evidence.Suite(7)),
		"WithClock(nil)": evidence.WithClock(nil), "WithHTTPClient(nil)": evidence.WithHTTPClient(nil),
		"WithLogger(nil)": evidence.WithLogger(nil), "WithTimeout(-1)": evidence.WithTimeout(-1),
		"WithRetries(-1)": evidence.WithRetries(-1), "WithFieldKeyStore(nil)": evidence.WithFieldKeyStore(nil),
		"WithNotifyPublicKey()": evidence.WithNotifyPublicKey(), "WithUserAgent(\"\")": evidence.WithUserAgent(""),
		"nil": nil,
	} {
		if _, err := evidence.NewClient(evidence.WithApp("IDAkEBvb", testAppKey), evidence.WithBaseURL(base), o); err == nil {
			t.Errorf("%s accepted", name)
		}
	}
	// A nonce source that gives something else than 32 letters and digits
	// is refused before sending.
	c := newClient(t, httpmock.NewMockTransport(), evidence.WithNonce(func() string { return "short" }))
	if _, err := c.GetStatus(context.Background(), &evidence.GetStatusRequest{DaID: "DA1"}); err == nil || !strings.Contains(err.Error(), "nonce") {
		t.Errorf("bad nonce: %v", err)
	}
	// The national suite's entry signature is not documented: an error, no
	// panic.
	srv, _ := evidencetest.NewServer(evidencetest.WithSM())
	defer srv.Close()
	sm, err := evidence.NewClient(evidence.WithApp(srv.AppID, srv.AppKey), evidence.WithPrivateKey(srv.PrivateKey), evidence.WithSuite(evidence.SuiteSM), evidence.WithBaseURL(srv.URL))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sm.SignEntryURL("https://h5.example/entry?daId=1", evidence.AccessWayH5); err == nil {
		t.Error("SignEntryURL on the SM suite: no error")
	}
}

// TestUserAgent: the default User-Agent carries the module's Version.
func TestUserAgent(t *testing.T) {
	t.Parallel()
	mt := httpmock.NewMockTransport()
	var ua string
	mt.RegisterResponder(http.MethodPost, base+"/api/das/get-da-status", func(r *http.Request) (*http.Response, error) {
		ua = r.Header.Get("User-Agent")
		return httpmock.NewStringResponse(200, `{"errorCode":0,"data":{"daId":"DA1","daStatus":5}}`), nil
	})
	if _, err := newClient(t, mt).GetStatus(context.Background(), &evidence.GetStatusRequest{DaID: "DA1"}); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(ua, "bizapi-cn-go-sdk-evidence/"+evidence.Version+" go/") {
		t.Errorf("User-Agent = %q", ua)
	}
}

// TestStartOutcome: start-vdi-x is ErrOutcomeUnknown (keyed by bizNo)
// unless the answer is complete: an HTML 200, a daId that is a number, a
// 5xx and an empty data are all "no answer"; an errorCode is a definite
// refusal.
func TestStartOutcome(t *testing.T) {
	t.Parallel()
	v := docs(t)
	for _, tc := range []struct {
		status  int
		body    string
		unknown bool
	}{
		{200, `<html>maintenance</html>`, true},
		{200, `{"errorCode":0,"data":{"daId":12345,"redirectUrl":"https://h5.example/e"}}`, true},
		{200, `{"errorCode":0,"data":null}`, true},
		{200, `{"errorCode":0,"data":{"daId":"DA1","redirectUrl":"not a url"}}`, true},
		{502, `bad gateway`, true},
		{503, `{"errorCode":0,"data":{"daId":"DA1","redirectUrl":"https://h5.example/e"}}`, true},
		{200, `{"errorCode":-45027,"errorMessage":"ExistingDownloadingDaTask"}`, false},
	} {
		mt := httpmock.NewMockTransport()
		mt.RegisterResponder(http.MethodPost, base+"/api/das/update-aes-key", httpmock.NewStringResponder(200, `{"errorCode":0,"data":{"aeskey":"`+v.AESKey.EncryptedB64+`"}}`))
		mt.RegisterResponder(http.MethodPost, base+"/api/das/start-vdi-x", httpmock.NewStringResponder(tc.status, tc.body))
		_, err := newClient(t, mt).StartAcquisition(context.Background(), fill(&evidence.StartAcquisitionRequest{Site: "tax", BizNo: "B-7"}))
		var ou *evidence.OutcomeUnknownError
		if got := errors.As(err, &ou) && errors.Is(err, evidence.ErrOutcomeUnknown) && ou.Key == "B-7" && ou.Operation == evidence.OperationStartAcquisition; got != tc.unknown {
			t.Errorf("%d %s: %v; want outcome unknown %v", tc.status, tc.body, err, tc.unknown)
		}
		if n := mt.GetCallCountInfo()["POST "+base+"/api/das/start-vdi-x"]; n != 1 {
			t.Errorf("%d %s: %d start requests; want 1", tc.status, tc.body, n)
		}
		if err != nil && strings.Count(err.Error(), "start-vdi-x") != 1 {
			t.Errorf("error repeats itself: %v", err)
		}
	}
}

// TestStartValidation: every member the docs mark required (en main.md,
// "Start Data Fetching": "Required Y") and every documented length is
// checked before sending; the fake refuses the same request sent by a
// client that skips the checks (-45001), so each rule is the service's.
func TestStartValidation(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("x", 129)
	for field, mutate := range map[string]func(*evidence.StartAcquisitionRequest){
		"idNo": func(r *evidence.StartAcquisitionRequest) { r.IDNo = "" }, "userName": func(r *evidence.StartAcquisitionRequest) { r.UserName = "" },
		"userClaim": func(r *evidence.StartAcquisitionRequest) { r.UserClaim = "" }, "ua": func(r *evidence.StartAcquisitionRequest) { r.UA = "" },
		"width": func(r *evidence.StartAcquisitionRequest) { r.Width = -1 }, "height": func(r *evidence.StartAcquisitionRequest) { r.Height = 0 },
		"openId": func(r *evidence.StartAcquisitionRequest) { r.OpenID = long },
		// "128 characters (byte) Note: Not 128 Chinese characters"
		"userClaim ":    func(r *evidence.StartAcquisitionRequest) { r.UserClaim = strings.Repeat("人", 43) },
		"ext.attach":    func(r *evidence.StartAcquisitionRequest) { r.Attach = long },
		"ext.urlattach": func(r *evidence.StartAcquisitionRequest) { r.URLAttach = "1234567890123" },
		// "an integer value between 1-90"
		"ext.tmriValidDays": func(r *evidence.StartAcquisitionRequest) { r.TmriValidDays = 91 },
		// "Business type, input "general""
		"bizScenario": func(r *evidence.StartAcquisitionRequest) { r.BizScenario = "other" },
		"bizNo":       func(r *evidence.StartAcquisitionRequest) { r.BizNo = strings.Repeat("b", 61) },
	} {
		r := fill(&evidence.StartAcquisitionRequest{Site: "tax", BizNo: "B1"})
		mutate(r)
		var ve *evidence.ValidationError
		if err := r.Validate(); !errors.As(err, &ve) || ve.Fields[0].Field != strings.TrimSpace(field) || ve.Operation != evidence.OperationStartAcquisition {
			t.Errorf("%s: Validate = %v", field, err)
		}
	}
	// The fake refuses what a client that skips the checks sends.
	srv, err := evidencetest.NewServer()
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	c, _ := evidence.NewClient(evidence.WithApp(srv.AppID, srv.AppKey), evidence.WithPrivateKey(srv.PrivateKey), evidence.WithBaseURL(srv.URL))
	if err := c.RotateFieldKey(context.Background()); err != nil { // fetch the key
		t.Fatal(err)
	}
	enc := fakeEnc(t, srv)
	good := map[string]any{"bizScenario": "general", "site": "tax", "bizNo": "B1", "openId": enc("u"), "idNo": enc("110101199003074477"),
		"userName": enc("张三"), "userClaim": "face", "ua": "UA", "width": 390, "height": 844, "accessWay": "h5"}
	for _, drop := range []string{"idNo", "userName", "userClaim", "ua", "width", "height", "accessWay", "bizScenario"} {
		arg := map[string]any{}
		for k, v := range good {
			if k != drop {
				arg[k] = v
			}
		}
		if code := rawCall(t, srv, evidence.OperationStartAcquisition, arg); code != -45001 {
			t.Errorf("fake, start without %s: errorCode %d; want -45001", drop, code)
		}
	}
	for k, v := range map[string]any{"width": 0, "height": 1.5, "userClaim": strings.Repeat("人", 43), "accessWay": "miniapp", "bizScenario": "x", "bizNo": strings.Repeat("b", 61)} {
		arg := map[string]any{}
		for k2, v2 := range good {
			arg[k2] = v2
		}
		arg[k] = v
		if code := rawCall(t, srv, evidence.OperationStartAcquisition, arg); code != -45001 {
			t.Errorf("fake, start with %s=%v: errorCode %d; want -45001", k, v, code)
		}
	}
	if code := rawCall(t, srv, evidence.OperationStartAcquisition, good); code != 0 {
		t.Errorf("fake, complete start: errorCode %d", code)
	}
	if code := rawCall(t, srv, evidence.OperationStartAcquisition, good); code != -45027 {
		t.Errorf("fake, same bizNo again: errorCode %d; want -45027", code)
	}
	// An old key's fields are refused: the service issued a new one.
	old := enc
	srv.RotateKey()
	arg := map[string]any{}
	for k, v := range good {
		arg[k] = v
	}
	arg["bizNo"], arg["openId"], arg["idNo"], arg["userName"] = "B2", old("u"), old("1"), old("n")
	if code := rawCall(t, srv, evidence.OperationStartAcquisition, arg); code != -43037 {
		t.Errorf("fake, fields under the old key: errorCode %d; want -43037", code)
	}
}

// fakeEnc encrypts under the fake's current field key.
func fakeEnc(t *testing.T, srv *evidencetest.Server) func(string) string {
	key := srv.FieldKey()
	return func(s string) string { return aesField(t, key, s) }
}

var nonces sync.Map

// rawCall sends arg as a client that does no checks would, with a valid
// envelope and DECSHASH, and returns the errorCode.
func rawCall(t *testing.T, srv *evidencetest.Server, op string, arg map[string]any) int {
	t.Helper()
	n := fmt.Sprintf("%032d", time.Now().UnixNano())
	for _, loaded := nonces.LoadOrStore(n, true); loaded; _, loaded = nonces.LoadOrStore(n, true) {
		n = fmt.Sprintf("%032d", time.Now().UnixNano())
	}
	body, _ := json.Marshal(map[string]any{"v": "1.0.0", "auth": map[string]string{"appId": srv.AppID, "nonce": n}, "arg": arg})
	req, _ := http.NewRequest(http.MethodPost, srv.URL+op, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("DECSHASH", srv.Hash(body))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var a struct {
		ErrorCode int `json:"errorCode"`
	}
	_ = json.NewDecoder(resp.Body).Decode(&a)
	return a.ErrorCode
}

// TestFakeRefusesWrongClients: the fake's envelope rules, each shown with
// a client that breaks it.
func TestFakeRefusesWrongClients(t *testing.T) {
	t.Parallel()
	srv, err := evidencetest.NewServer()
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	// "a different value is required for each call"
	c, _ := evidence.NewClient(evidence.WithApp(srv.AppID, srv.AppKey), evidence.WithPrivateKey(srv.PrivateKey), evidence.WithBaseURL(srv.URL),
		evidence.WithNonce(func() string { return "0123456789abcdefghijklmnopqrstuv" }), evidence.WithRetries(0))
	ctx := context.Background()
	_, err = c.GetSitesState(ctx, &evidence.GetSitesStateRequest{Sites: []evidence.Site{"tax"}})
	_, err2 := c.GetSitesState(ctx, &evidence.GetSitesStateRequest{Sites: []evidence.Site{"tax"}})
	if err != nil || !isCode(err2, -50001) {
		t.Errorf("repeated nonce: %v then %v; want ok then -50001", err, err2)
	}
	// "the content-type is always application/json"
	req, _ := http.NewRequest(http.MethodPost, srv.URL+evidence.OperationGetStatus, strings.NewReader(`{}`))
	req.Header.Set("Content-Type", "text/plain")
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != http.StatusUnsupportedMediaType {
		t.Errorf("text/plain: %v %v", resp, err)
	}
	// Pulls before the agreement upload: −44017.
	c2, _ := evidence.NewClient(evidence.WithApp(srv.AppID, srv.AppKey), evidence.WithPrivateKey(srv.PrivateKey), evidence.WithBaseURL(srv.URL), evidence.WithRetries(0))
	st, err := c2.StartAcquisition(ctx, fill(&evidence.StartAcquisitionRequest{Site: "tax", BizNo: "B-noagree", IDNo: "110101199003074400"}))
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Complete(st.DaID, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := c2.GetOriginalFiles(ctx, &evidence.GetOriginalFilesRequest{DaID: st.DaID}); !isCode(err, evidence.ErrorCodeNoUserProtocol) {
		t.Errorf("files without an agreement: %v; want -44017", err)
	}
	if _, err := c2.GetStatus(ctx, &evidence.GetStatusRequest{DaID: "DA-unknown"}); !isCode(err, evidence.ErrorCodeNoRecordB) {
		t.Errorf("unknown daId: %v; want -43024", err)
	}
	// The entry link: signed as the docs form it, opened once.
	if resp, err := http.Get(st.RedirectURL + "x"); err != nil || resp.StatusCode != http.StatusForbidden {
		t.Errorf("entry with a bad sign: %v %v", resp, err)
	}
}

// TestSharedFieldKey: four clients with their own caches share one store
// against the strict fake, which issues a new key per update-aes-key and
// refuses the old one. In steady state no call meets −43037; after the
// service rotates the key, exactly one update-aes-key among them; a
// deliberate RotateFieldKey is one too, and the others follow through the
// store.
func TestSharedFieldKey(t *testing.T) {
	t.Parallel()
	srv, err := evidencetest.NewServer()
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	shared := store.NewMemoryKeys()
	var clients []*evidence.Client
	for range 4 {
		c, err := evidence.NewClient(evidence.WithApp(srv.AppID, srv.AppKey), evidence.WithPrivateKey(srv.PrivateKey), evidence.WithBaseURL(srv.URL),
			evidence.WithFieldKeyStore(shared))
		if err != nil {
			t.Fatal(err)
		}
		clients = append(clients, c)
	}
	ctx := context.Background()
	round := func(tag string) {
		t.Helper()
		var wg sync.WaitGroup
		errs := make(chan error, 40)
		for i, c := range clients {
			for j := range 5 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					_, err := c.StartAcquisition(ctx, fill(&evidence.StartAcquisitionRequest{Site: "tax", BizNo: fmt.Sprintf("%s-%d-%d", tag, i, j)}))
					errs <- err
				}()
			}
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Errorf("%s: %v", tag, err)
			}
		}
	}
	round("first")
	if n, r := srv.Calls(evidence.OperationUpdateAESKey), srv.Answers(evidence.ErrorCodeAESDecrypt); n != 1 || r != 0 {
		t.Errorf("first round: %d update-aes-key, %d × −43037; want 1 and 0", n, r)
	}
	round("steady")
	if n, r := srv.Calls(evidence.OperationUpdateAESKey), srv.Answers(evidence.ErrorCodeAESDecrypt); n != 1 || r != 0 {
		t.Errorf("steady state: %d update-aes-key, %d × −43037; want 1 and 0", n, r)
	}
	srv.RotateKey() // the service changed the key (another deployment, an operator)
	round("rotated")
	if n := srv.Calls(evidence.OperationUpdateAESKey); n != 2 {
		t.Errorf("after a rotation: %d update-aes-key in all; want 2 (one among the four)", n)
	}
	if err := clients[0].RotateFieldKey(ctx); err != nil {
		t.Fatal(err)
	}
	round("deliberate")
	if n := srv.Calls(evidence.OperationUpdateAESKey); n != 3 {
		t.Errorf("after RotateFieldKey: %d update-aes-key in all; want 3", n)
	}
	// A waiter leaves when its context ends.
	dead, cancel := context.WithCancel(ctx)
	cancel()
	fresh, _ := evidence.NewClient(evidence.WithApp(srv.AppID, srv.AppKey), evidence.WithPrivateKey(srv.PrivateKey), evidence.WithBaseURL(srv.URL))
	if _, err := fresh.GetSitesState(dead, &evidence.GetSitesStateRequest{Sites: []evidence.Site{"tax"}}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled call: %v", err)
	}
}

// TestSSECHeaderNames: the SSE-C headers follow the presigned URL's
// signed-header list: x-amz- by default (the docs' code samples since
// 2026-03-06), x-cos- for a URL that signs them (the docs' sample URL).
func TestSSECHeaderNames(t *testing.T) {
	t.Parallel()
	for _, cos := range []bool{false, true} {
		var opts []evidencetest.ServerOption
		if cos {
			opts = append(opts, evidencetest.WithCOSHeaders())
		}
		srv, c, _ := fakeClient(t, opts, evidence.SuiteRSA)
		ctx := context.Background()
		st := completed(t, srv, c, "B-ssec")
		files, err := c.GetOriginalFiles(ctx, &evidence.GetOriginalFilesRequest{DaID: st.DaID})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.Download(ctx, files.List(time.Time{})[0], io.Discard); err != nil {
			t.Errorf("cos=%v: %v", cos, err)
		}
	}
	// Never an SSE-C key over plain HTTP to another host.
	c := newClient(t, httpmock.NewMockTransport())
	if _, err := c.Open(context.Background(), evidence.RemoteFile{URL: "http://cos.example/f", FileKey: "MDEyMzQ1Njc4OUFCQ0RFRjAxMjM0NTY3ODlBQkNERUY="}); !errors.Is(err, evidence.ErrInsecureDownload) {
		t.Errorf("http download with a key: %v", err)
	}
}

// TestMasking: every exported type with personal data or a secret masks
// it in fmt and slog, value and pointer alike.
func TestMasking(t *testing.T) {
	t.Parallel()
	pattern := regexp.MustCompile(strings.Replace(masktest.Sensitive.String(), `|key|`, `|`, 1)[:len(masktest.Sensitive.String())-6] + `|fileurls|fileurllist|jsonfileurls|pdfpasswords|redirecturl|raw)$`)
	values := []any{evidence.StartAcquisitionRequest{}, evidence.StartAcquisitionResponse{}, evidence.RemoteFile{},
		evidence.GetOriginalFilesResponse{}, evidence.GetParseResultResponse{}, evidence.GetReconFileResponse{},
		evidence.UploadUserProtocolRequest{}, evidence.NotificationExt{}, evidence.NotificationData{}, evidence.Notification{}}
	masktest.Check(t, pattern, values...)
	masktest.Covered(t, filepath.Join("..", "..", "..", "evidence"), pattern, values...)
	// And through a real logger: a notification's fileKey never shows.
	var buf bytes.Buffer
	n := evidence.Notification{Data: evidence.NotificationData{FileURLList: []string{"https://cos.example/o.pdf?sign=SECRETSIG"},
		Ext: evidence.NotificationExt{FileKey: "SECRETKEY"}}}
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("n", "n", n, "p", &n)
	fmt.Fprintf(&buf, "%v %+v %s", n, &n, n)
	if strings.Contains(buf.String(), "SECRET") {
		t.Errorf("leaked: %s", buf.String())
	}
}

// TestReturnPage: the H5 return page's parameters (en h5.md), including
// the front end's −60000 fallback.
func TestReturnPage(t *testing.T) {
	t.Parallel()
	p, err := evidence.ParseReturnPage(url.Values{"bizNo": {"B1"}, "daId": {"DA1"}, "daStatus": {"-60000"}, "site": {"chrome-govhk-tax"}, "attach_url": {"x"}})
	if err != nil || p.DaStatus != evidence.DaStatusFrontEndError || p.Site != evidence.SiteHKTax || p.URLAttach != "x" {
		t.Errorf("ParseReturnPage = %+v, %v", p, err)
	}
	if _, err := evidence.ParseReturnPage(url.Values{"daStatus": {"x"}, "daId": {"D"}}); err == nil {
		t.Error("bad daStatus accepted")
	}
}

// TestFetchRecon: the reconciliation file is fetched and parsed by the
// docs' columns; the bizNo of a start is found in it.
func TestFetchRecon(t *testing.T) {
	t.Parallel()
	srv, c, _ := fakeClient(t, nil, evidence.SuiteRSA)
	ctx := context.Background()
	agree(t, c, "tax")
	st, err := c.StartAcquisition(ctx, fill(&evidence.StartAcquisitionRequest{Site: "tax", BizNo: "B-recon"}))
	if err != nil {
		t.Fatal(err)
	}
	_ = srv
	rows, err := c.FetchRecon(ctx, &evidence.GetReconFileRequest{Date: time.Now().AddDate(0, 0, -2)})
	if err != nil || len(rows) != 1 || rows[0].BizNo != "B-recon" || rows[0].DaID != st.DaID || !rows[0].AgreementUploaded || rows[0].AccessWay != evidence.AccessWayH5 {
		t.Errorf("FetchRecon = %+v, %v", rows, err)
	}
	if strings.Join(evidence.ReconColumns, ",") != evidencetest.ReconHeader {
		t.Error("the fake's recon header is not the docs' columns")
	}
	if _, err := evidence.ParseRecon(strings.NewReader("da_id,da_status\nD1,x\n")); err == nil {
		t.Error("bad da_status accepted")
	}
}

// TestDownloadLimit: WithMaxDownloadBytes refuses a longer file, whether
// it declares its length or not.
func TestDownloadLimit(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/chunked" {
			w.(http.Flusher).Flush()
		}
		_, _ = w.Write(make([]byte, 1000))
	}))
	defer srv.Close()
	c := newClient(t, httpmock.NewMockTransport(), evidence.WithHTTPClient(srv.Client()), evidence.WithMaxDownloadBytes(999))
	for _, p := range []string{"/sized", "/chunked"} {
		if _, err := c.Download(context.Background(), evidence.RemoteFile{URL: srv.URL + p}, io.Discard); !errors.Is(err, evidence.ErrDownloadTooLarge) {
			t.Errorf("%s: %v", p, err)
		}
	}
	c2 := newClient(t, httpmock.NewMockTransport(), evidence.WithHTTPClient(srv.Client()), evidence.WithMaxDownloadBytes(1000))
	if n, err := c2.Download(context.Background(), evidence.RemoteFile{URL: srv.URL + "/chunked"}, io.Discard); err != nil || n != 1000 {
		t.Errorf("at the limit: %d, %v", n, err)
	}
}

// TestSiteAvailability: polled state, and −48025 closes a site until the
// next poll.
func TestSiteAvailability(t *testing.T) {
	t.Parallel()
	mt := httpmock.NewMockTransport()
	mt.RegisterResponder(http.MethodPost, base+"/api/config/get-sites-state", httpmock.NewStringResponder(200,
		`{"errorCode":0,"data":[{"status":"1","site":"chrome-govhk-tax"},{"status":0,"site":"chrome-chiyubank-jyj"}]}`))
	a, err := evidence.NewSiteAvailability(newClient(t, mt), evidence.SiteHKTax, evidence.SiteChiyuBank)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Refresh(context.Background()); err != nil || !a.Available(evidence.SiteHKTax) || a.Available(evidence.SiteChiyuBank) || a.Updated().IsZero() {
		t.Fatalf("after Refresh: %v", err)
	}
	a.Observe(evidence.SiteHKTax, &evidence.APIError{Code: evidence.ErrorCodeSourceUnavailable})
	if a.Available(evidence.SiteHKTax) {
		t.Error("−48025 did not close the site")
	}
	_ = a.Refresh(context.Background())
	if !a.Available(evidence.SiteHKTax) {
		t.Error("the next poll did not reopen it")
	}
}

// TestFakeRefusesOldClientHabits: what the client used to send, and the
// fake (like the service) refuses: the agreement as base64 text inside
// the cipher, an unknown site, and an entry link opened twice (daStatus
// 24, "re-entry").
func TestFakeRefusesOldClientHabits(t *testing.T) {
	t.Parallel()
	srv, c, _ := fakeClient(t, nil, evidence.SuiteRSA)
	if err := c.RotateFieldKey(context.Background()); err != nil {
		t.Fatal(err)
	}
	enc := fakeEnc(t, srv)
	old := enc(base64.StdEncoding.EncodeToString([]byte("%PDF-1.4 x"))) // base64(AES(base64(pdf)))
	if code := rawCall(t, srv, evidence.OperationUploadUserProtocol, map[string]any{"idNo": enc("1"), "site": "tax",
		"files": []map[string]string{{"name": "a.pdf", "content": old}}}); code != -45001 {
		t.Errorf("agreement as base64 text: errorCode %d; want -45001", code)
	}
	good := map[string]any{"bizScenario": "general", "site": "no-such-site", "bizNo": "B-site", "openId": enc("u"), "idNo": enc("1"),
		"userName": enc("n"), "userClaim": "face", "ua": "UA", "width": 390, "height": 844, "accessWay": "h5"}
	if code := rawCall(t, srv, evidence.OperationStartAcquisition, good); code != -50002 {
		t.Errorf("unknown site: errorCode %d; want -50002", code)
	}
	ctx := context.Background()
	st, err := c.StartAcquisition(ctx, fill(&evidence.StartAcquisitionRequest{Site: "tax", BizNo: "B-twice"}))
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []int{200, http.StatusGone} {
		resp, err := http.Get(st.RedirectURL)
		if err != nil || resp.StatusCode != want {
			t.Fatalf("entry %d: %v, %v; want %d", i, resp, err, want)
		}
		resp.Body.Close()
	}
	if s, err := c.GetStatus(ctx, &evidence.GetStatusRequest{DaID: st.DaID}); err != nil || s.DaStatus != evidence.DaStatusReentered {
		t.Errorf("after a second entry: %+v, %v; want daStatus 24", s, err)
	}
	// An escaped sign (the old client's) does not verify on the H5 entry.
	st2, _ := c.StartAcquisition(ctx, fill(&evidence.StartAcquisitionRequest{Site: "tax", BizNo: "B-esc"}))
	i := strings.Index(st2.RedirectURL, "&sign=")
	escaped := st2.RedirectURL[:i+6] + url.QueryEscape(st2.RedirectURL[i+6:])
	if escaped != st2.RedirectURL {
		if resp, err := http.Get(escaped); err != nil || resp.StatusCode != http.StatusForbidden {
			t.Errorf("escaped sign: %v, %v; want 403", resp, err)
		}
	}
}

// TestNotificationCaseFold: a verified body with a member twice, or with
// two members whose names differ only in case, at any depth, is refused:
// encoding/json matches names under simple folding and keeps the last, so
// the typed view could differ from what the host reads in Raw.
func TestNotificationCaseFold(t *testing.T) {
	t.Parallel()
	v, _ := evidence.NewNotificationVerifier(evidence.WithApp("IDAkEBvb", testAppKey), evidence.WithInsecureNotificationHashOnly())
	for _, body := range []string{
		`{"data":{"DAID":"other","daId":"D1","daStatus":10},"func":"daFailed"}`,
		`{"data":{"daId":"D1","daStatus":10},"func":"daFailed","func":"daFileParsed"}`,         // a member twice, outside data
		`{"auth":{"nonce":"n1"},"auth":{"nonce":"n2"},"data":{"daId":"D1"},"func":"daFailed"}`, // the nonce twice
		`{"data":{"daStatuſ":30,"daStatus":10},"func":"daFailed"}`,                             // ſ folds to s
		`{"data":{"ext":{"childDaList":[{"daId":"c","DaId":"d"}]},"daId":"D1"},"func":"daFailed"}`,
	} {
		m := hmac.New(sha256.New, []byte(testAppKey))
		m.Write([]byte(body))
		m.Write([]byte(testAppKey))
		_, err := evidence.ParseNotification(context.Background(), v, http.Header{"Decshash": {hex.EncodeToString(m.Sum(nil))}}, []byte(body))
		if !errors.Is(err, evidence.ErrMalformedNotification) {
			t.Errorf("%s: %v, want ErrMalformedNotification", body, err)
		}
	}
	if _, err := evidence.ParseNotification(context.Background(), &evidence.NotificationVerifier{}, nil, []byte(`{"func":"daFailed"}`)); err == nil {
		t.Error("zero verifier accepted")
	}
}

// TestReconcileStart: a start whose answer was lost is found by its bizNo
// in the reconciliation file, in one call.
func TestReconcileStart(t *testing.T) {
	t.Parallel()
	srv, c, _ := fakeClient(t, nil, evidence.SuiteRSA, evidence.WithRetries(0))
	ctx := context.Background()
	if err := c.RotateFieldKey(ctx); err != nil {
		t.Fatal(err)
	}
	srv.Inject(evidencetest.Fault{Kind: evidencetest.FaultProcessThenDrop})
	_, err := c.StartAcquisition(ctx, fill(&evidence.StartAcquisitionRequest{Site: "tax", BizNo: "B-lost"}))
	if !errors.Is(err, evidence.ErrOutcomeUnknown) {
		t.Fatalf("start: %v", err)
	}
	day := time.Now().AddDate(0, 0, -2) // a day whose file exists (the fake lists every session)
	row, err := c.ReconcileStart(ctx, err, day)
	if err != nil || row.BizNo != "B-lost" || row.DaID == "" {
		t.Fatalf("ReconcileStart = %+v, %v", row, err)
	}
	_, err = c.ReconcileStart(ctx, &evidence.OutcomeUnknownError{Operation: evidence.OperationStartAcquisition, Key: "B-never"}, day)
	if !errors.Is(err, evidence.ErrNotInRecon) {
		t.Errorf("unknown bizNo: %v", err)
	}
}

// TestStartGatewayCodes: an errorCode from in front of the service (in a
// 5xx, or −48007, the load balancer's) does not prove the start was not
// acted on: outcome unknown, the code still reachable.
func TestStartGatewayCodes(t *testing.T) {
	t.Parallel()
	v := docs(t)
	for _, tc := range []struct {
		status int
		body   string
	}{{502, `{"errorCode":-45001,"errorMessage":"x"}`}, {200, `{"errorCode":-48007,"errorMessage":"ExternalLBError"}`}} {
		mt := httpmock.NewMockTransport()
		mt.RegisterResponder(http.MethodPost, base+"/api/das/update-aes-key", httpmock.NewStringResponder(200, `{"errorCode":0,"data":{"aeskey":"`+v.AESKey.EncryptedB64+`"}}`))
		mt.RegisterResponder(http.MethodPost, base+"/api/das/start-vdi-x", httpmock.NewStringResponder(tc.status, tc.body))
		_, err := newClient(t, mt).StartAcquisition(context.Background(), fill(&evidence.StartAcquisitionRequest{Site: "tax", BizNo: "B-8"}))
		var ae *evidence.APIError
		if !errors.Is(err, evidence.ErrOutcomeUnknown) || !errors.As(err, &ae) {
			t.Errorf("%d %s: %v", tc.status, tc.body, err)
		}
	}
}

func TestDefaultPDFPassword(t *testing.T) {
	t.Parallel()
	if got := evidence.DefaultPDFPassword("110101199003074477"); got != "074477" {
		t.Errorf("DefaultPDFPassword = %q", got)
	}
	if got := evidence.DefaultPDFPassword("123"); got != "" {
		t.Errorf("short idNo: %q", got)
	}
}

// TestSeparateKeyCachesFight: the wrong client for the fake's key rule.
// Two processes that keep the field key each for itself (separate
// stores) invalidate each other: every fetch makes the service refuse
// the other's key, so calls meet −43037 in turn.
func TestSeparateKeyCachesFight(t *testing.T) {
	t.Parallel()
	srv, err := evidencetest.NewServer()
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	newC := func() *evidence.Client {
		c, err := evidence.NewClient(evidence.WithApp(srv.AppID, srv.AppKey), evidence.WithPrivateKey(srv.PrivateKey), evidence.WithBaseURL(srv.URL))
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	a, b := newC(), newC()
	ctx := context.Background()
	for i := range 3 {
		for _, c := range []*evidence.Client{a, b} {
			if _, err := c.StartAcquisition(ctx, fill(&evidence.StartAcquisitionRequest{Site: "tax", BizNo: fmt.Sprintf("F-%d-%p", i, c)})); err != nil {
				t.Fatal(err)
			}
		}
	}
	if n := srv.Answers(evidence.ErrorCodeAESDecrypt); n < 4 {
		t.Errorf("separate caches: %d × −43037; want them to fight (≥ 4)", n)
	}
}

// TestWithAppKeyLength: en main.md 1.2.4, "Note: The length of the appKey
// is 64 bytes." (zh: "appKey的长度为 64 个字节"); auth.appId has length 8.
// Any other length is refused at construction, naming WithApp, never
// echoing the key.
func TestWithAppKeyLength(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ id, key string }{
		{"IDAkEBvb", "k"}, {"IDAkEBvb", testAppKey[:63]}, {"IDAkEBvb", testAppKey + "x"}, {"IDAkEBvb", ""}, {"IDAkEBv", testAppKey},
	} {
		_, err := evidence.NewClient(evidence.WithApp(tc.id, tc.key), evidence.WithBaseURL(base), evidence.WithPrivateKey([]byte(docs(t).AESKey.PrivateKeyPKCS8B64)))
		if err == nil || !strings.Contains(err.Error(), "WithApp") || (len(tc.key) > 8 && strings.Contains(err.Error(), tc.key)) {
			t.Errorf("NewClient(WithApp(%q, %d bytes)) = %v", tc.id, len(tc.key), err)
		}
		_, err = evidence.NewNotificationVerifier(evidence.WithApp(tc.id, tc.key), evidence.WithInsecureNotificationHashOnly())
		if err == nil || !strings.Contains(err.Error(), "WithApp") {
			t.Errorf("NewNotificationVerifier(WithApp(%q, %d bytes)) = %v", tc.id, len(tc.key), err)
		}
	}
	if _, err := evidence.NewNotificationVerifier(evidence.WithApp("IDAkEBvb", testAppKey), evidence.WithInsecureNotificationHashOnly()); err != nil {
		t.Errorf("a 64-byte appKey: %v", err)
	}
}

// TestNilClient: a call on the nil *Client a refused NewClient returns
// is an error, never a panic (a caller that drops NewClient's error).
func TestNilClient(t *testing.T) {
	t.Parallel()
	c, err := evidence.NewClient(evidence.WithApp("IDAkEBvb", "short"))
	if err == nil || c != nil {
		t.Fatalf("NewClient = %v, %v", c, err)
	}
	if _, err := c.GetStatus(context.Background(), &evidence.GetStatusRequest{DaID: "DA1"}); err == nil {
		t.Error("GetStatus on a nil client: no error")
	}
	if _, err := c.GetOriginalFiles(context.Background(), &evidence.GetOriginalFilesRequest{DaID: "DA1"}); err == nil {
		t.Error("GetOriginalFiles on a nil client: no error")
	}
}

// TestAPIErrorMasksEchoedNumbers (api-review 28): DECS signs no answer, so
// its errorMsg may come from anything on the path; an echoed ID card prints
// masked, control characters as '?', at most 200 runes of it; Message keeps
// the text as received.
func TestAPIErrorMasksEchoedNumbers(t *testing.T) {
	t.Parallel()
	const msg = "idNo 11010119900307447X 与 userName 不符\r\n"
	e := &evidence.APIError{Operation: "/api/das/start-vdi-x", Code: evidence.ErrorCode(-50001), Message: msg}
	if s := e.Error(); strings.Contains(s, "11010119900307447X") || !strings.Contains(s, "110***********447X") || strings.ContainsAny(s, "\r\n") || !strings.Contains(s, "-50001") {
		t.Errorf("Error() = %q", s)
	}
	if e.Message != msg {
		t.Errorf("Message = %q", e.Message)
	}
	long := &evidence.APIError{Operation: "/api/das/get-da-status", Code: evidence.ErrorCode(-50001), Message: strings.Repeat("x", 1<<20)}
	if s := long.Error(); len(s) > 300 || !strings.HasSuffix(s, "…") {
		t.Errorf("a 1 MiB message printed %d bytes", len(s))
	}
}
