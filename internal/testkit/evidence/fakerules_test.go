package evidence_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/bizapi-cn/go-sdk/evidence"
	"github.com/bizapi-cn/go-sdk/evidence/evidencetest"
)

// rawSend posts body to op with the DECSHASH header hash, as a client
// that does no checks would, and returns the errorCode.
func rawSend(t *testing.T, srv *evidencetest.Server, op string, body []byte, hash string) int {
	t.Helper()
	req, _ := http.NewRequestWithContext(context.Background(), http.MethodPost, srv.URL+op, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("DECSHASH", hash)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var a struct {
		ErrorCode *int `json:"errorCode"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&a); err != nil || a.ErrorCode == nil {
		t.Fatalf("%s: HTTP %d without a DECS answer (%v)", op, resp.StatusCode, err)
	}
	return *a.ErrorCode
}

// TestFakeRefusesBadHashOrApp: en main.md, Error Codes of Authentication,
// "-50005 | SignInvalid | DECSHASH calculation error". A DECSHASH over
// other bytes than those sent is refused with it, and so is a request
// naming another appId: the docs list no code of their own for that, and
// the service can only check DECSHASH under the appKey of the app the
// request names, so −50005 is what such a request gets.
func TestFakeRefusesBadHashOrApp(t *testing.T) {
	t.Parallel()
	srv, err := evidencetest.NewServer()
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	envelope := func(appID, nonce string) []byte {
		b, _ := json.Marshal(map[string]any{"v": "1.0.0", "auth": map[string]string{"appId": appID, "nonce": nonce}, "arg": map[string]any{"sites": []string{"tax"}}})
		return b
	}
	op := evidence.OperationGetSitesState
	body := envelope(srv.AppID, "0000000000000000000000000000000a")
	other := envelope(srv.AppID, "0000000000000000000000000000000b")
	if code := rawSend(t, srv, op, body, srv.Hash(other)); code != int(evidence.ErrorCodeBadHash) {
		t.Errorf("DECSHASH over other bytes: errorCode %d; want -50005", code)
	}
	foreign := envelope("ZZZZZZZZ", "0000000000000000000000000000000c")
	if code := rawSend(t, srv, op, foreign, srv.Hash(foreign)); code != int(evidence.ErrorCodeBadHash) {
		t.Errorf("another appId: errorCode %d; want -50005", code)
	}
	if good := envelope(srv.AppID, "0000000000000000000000000000000d"); rawSend(t, srv, op, good, srv.Hash(good)) != 0 {
		t.Error("a request hashed right: refused")
	}
	// The same through the client: another appId, and another appKey
	// (its DECSHASH is over the body + another key).
	for name, app := range map[string]evidence.Option{
		"another appId":  evidence.WithApp("ZZZZZZZZ", srv.AppKey),
		"another appKey": evidence.WithApp(srv.AppID, strings.Repeat("k", evidence.AppKeyLength)),
	} {
		c, err := evidence.NewClient(app, evidence.WithPrivateKey(srv.PrivateKey), evidence.WithBaseURL(srv.URL), evidence.WithRetries(0))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.GetSitesState(context.Background(), &evidence.GetSitesStateRequest{Sites: []evidence.Site{"tax"}}); !isCode(err, evidence.ErrorCodeBadHash) {
			t.Errorf("%s: GetSitesState = %v; want errorCode -50005", name, err)
		}
	}
}

// TestFakeReconDate: en main.md, Get Daily Bill: "Date, format is
// yyyymmdd, for example: 20220801, here you need to pass the
// reconciliation date of T-1", and "Every day at 3:30 AM, the
// reconciliation bill for the previous day is generated". The fake
// refuses a date that is not one, or whose bill is not made yet; the
// client's own rule (04:00, the zh h5 docs) is within the fake's.
func TestFakeReconDate(t *testing.T) {
	t.Parallel()
	cst := time.FixedZone("CST", 8*3600)
	now := time.Date(2026, 12, 4, 2, 0, 0, 0, cst)
	srv, err := evidencetest.NewServer(evidencetest.WithClock(func() time.Time { return now }))
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	recon := func(date string) int {
		return rawCall(t, srv, evidence.OperationGetReconFile, map[string]any{"date": date})
	}
	for date, want := range map[string]int{
		"20261202": 0,      // T-2: made yesterday at 03:30
		"20261203": -50001, // T-1 at 02:00: made at 03:30
		"20261204": -50001, // today
		"20261205": -50001,
		"20261301": -50001, // no month 13
		"20261131": -50001, // no 31 November
		"2026123":  -50001,
		"2026-12-": -50001,
		"":         -50001,
	} {
		if code := recon(date); code != want {
			t.Errorf("get-recon-file date %q at %s: errorCode %d; want %d", date, now.Format(time.DateTime), code, want)
		}
	}
	srv.Advance(90 * time.Minute) // 03:30
	if code := recon("20261203"); code != 0 {
		t.Errorf("get-recon-file T-1 at 03:30: errorCode %d; want 0", code)
	}
	at := now.Add(2*time.Hour + time.Minute) // 04:01, the client's first moment
	c, err := evidence.NewClient(evidence.WithApp(srv.AppID, srv.AppKey), evidence.WithPrivateKey(srv.PrivateKey), evidence.WithBaseURL(srv.URL),
		evidence.WithClock(func() time.Time { return at }))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetReconFile(context.Background(), &evidence.GetReconFileRequest{Date: time.Date(2026, 12, 3, 12, 0, 0, 0, cst)}); err != nil {
		t.Errorf("GetReconFile(T-1) at 04:01 = %v", err)
	}
}

// TestStartExtLimits: en main.md, Start Data Fetching, Length Limit:
// arg.ext.companyFullName, companyShortName and contactInfo "32
// characters", downloadAuthorizationSeparateDocument "128 characters",
// downloadAuthorizationMergeDocument "50 characters". The client refuses
// a longer one before sending, naming it, whether it is set typed or in
// Ext; the fake refuses it from a client that skips the checks (-45001,
// the code it uses for every start rule the docs give no code of).
func TestStartExtLimits(t *testing.T) {
	t.Parallel()
	limits := map[string]int{"companyFullName": 32, "companyShortName": 32, "contactInfo": 32,
		"downloadAuthorizationSeparateDocument": 128, "downloadAuthorizationMergeDocument": 50}
	typed := map[string]func(*evidence.StartAcquisitionRequest, string){
		"companyFullName":                       func(r *evidence.StartAcquisitionRequest, v string) { r.CompanyFullName = v },
		"companyShortName":                      func(r *evidence.StartAcquisitionRequest, v string) { r.CompanyShortName = v },
		"contactInfo":                           func(r *evidence.StartAcquisitionRequest, v string) { r.ContactInfo = v },
		"downloadAuthorizationSeparateDocument": func(r *evidence.StartAcquisitionRequest, v string) { r.DownloadAuthorizationSeparateDocument = v },
		"downloadAuthorizationMergeDocument":    func(r *evidence.StartAcquisitionRequest, v string) { r.DownloadAuthorizationMergeDocument = v },
	}
	srv, err := evidencetest.NewServer()
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	enc := fakeEnc(t, srv)
	seq := 0
	start := func(ext map[string]any) int {
		seq++
		return rawCall(t, srv, evidence.OperationStartAcquisition, map[string]any{"bizScenario": "general", "site": "tax",
			"bizNo": fmt.Sprintf("B-ext-%d", seq), "openId": enc("u"), "idNo": enc(fmt.Sprintf("1101011990030744%02d", seq)),
			"userName": enc("张三"), "userClaim": "face", "ua": "UA", "width": 390, "height": 844, "accessWay": "h5", "ext": ext})
	}
	for key, n := range limits {
		atLimit, over := strings.Repeat("机", n), strings.Repeat("机", n+1) // characters, not bytes
		for _, set := range []func(*evidence.StartAcquisitionRequest, string){
			typed[key],
			func(r *evidence.StartAcquisitionRequest, v string) { r.Ext = map[string]any{key: v} },
		} {
			r := fill(&evidence.StartAcquisitionRequest{Site: "tax", BizNo: "B1"})
			set(r, atLimit)
			if err := r.Validate(); err != nil {
				t.Errorf("ext.%s of %d characters: Validate = %v; want nil", key, n, err)
			}
			set(r, over)
			var ve *evidence.ValidationError
			if err := r.Validate(); !errors.As(err, &ve) || len(ve.Fields) != 1 || ve.Fields[0].Field != "ext."+key {
				t.Errorf("ext.%s of %d characters: Validate = %v; want ext.%s refused", key, n+1, err, key)
			}
		}
		if code := start(map[string]any{key: atLimit}); code != 0 {
			t.Errorf("fake, ext.%s of %d characters: errorCode %d; want 0", key, n, code)
		}
		if code := start(map[string]any{key: over}); code != -45001 {
			t.Errorf("fake, ext.%s of %d characters: errorCode %d; want -45001", key, n+1, code)
		}
	}
	// A documented ext string given in Ext as another type.
	r := fill(&evidence.StartAcquisitionRequest{Site: "tax", BizNo: "B1", Ext: map[string]any{"contactInfo": 12345}})
	var ve *evidence.ValidationError
	if err := r.Validate(); !errors.As(err, &ve) || ve.Fields[0].Field != "ext.contactInfo" {
		t.Errorf("ext.contactInfo a number: Validate = %v; want it refused", err)
	}
}

// TestFakeFailKeepsFinal: a final daStatus does not change (appendix:
// 10 is success, 13..100 final failures): Fail on a session already
// final leaves it as it is and pushes nothing.
func TestFakeFailKeepsFinal(t *testing.T) {
	t.Parallel()
	srv, c, rec := fakeClient(t, nil, evidence.SuiteRSA)
	ctx := context.Background()
	done := completed(t, srv, c, "B-final-10")
	failed, err := c.StartAcquisition(ctx, fill(&evidence.StartAcquisitionRequest{Site: "tax", BizNo: "B-final-41", IDNo: "110101199003074400"}))
	if err != nil {
		t.Fatal(err)
	}
	srv.Fail(failed.DaID, evidence.DaStatusSourceSystemFailure, "81530")
	srv.WaitNotifications()
	failures := len(rec.byFunc(evidence.FuncDaFailed))
	srv.Fail(done.DaID, evidence.DaStatusUserExited, "")
	srv.Fail(failed.DaID, evidence.DaStatusUserExited, "")
	srv.WaitNotifications()
	for id, want := range map[string]evidence.DaStatus{done.DaID: evidence.DaStatusSuccess, failed.DaID: evidence.DaStatusSourceSystemFailure} {
		st, err := c.GetStatus(ctx, &evidence.GetStatusRequest{DaID: id})
		if err != nil || st.DaStatus != want {
			t.Errorf("GetStatus(%s) after Fail = %v, %v; want daStatus %d", id, st, err, want)
		}
		if h := srv.History(id); slices.Index(h, want) != len(h)-1 {
			t.Errorf("History(%s) = %v; want it to end at its first final %d", id, h, want)
		}
	}
	if n := len(rec.byFunc(evidence.FuncDaFailed)); n != failures {
		t.Errorf("daFailed notifications: %d after failing final sessions; want %d", n, failures)
	}
}
