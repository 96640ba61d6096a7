package evidence_test

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"

	"github.com/bizapi-cn/go-sdk/evidence"
	"github.com/bizapi-cn/go-sdk/evidence/evidencetest"
)

// TestStatusFieldsAsDocumented: en main.md, get-da-status output:
// "data.browsingSite", "data.appId", "data.certResult", "data.ext.province",
// "data.ext.city"; "childDaList.daStatus | String".
func TestStatusFieldsAsDocumented(t *testing.T) {
	t.Parallel()
	mt := httpmock.NewMockTransport()
	mt.RegisterResponder(http.MethodPost, base+"/api/das/get-da-status", httpmock.NewStringResponder(200,
		`{"errorCode":0,"data":{"daId":"DA1","bizNo":"B1","daStatus":10,"browsingSite":"chrome-shopee-data","appId":"IDAkEBvb","certResult":0,"jsonResult":10,"authorizedTs":1700000000000,`+
			`"ext":{"province":"广东","city":"深圳","daSubStatus":"","childDaList":[{"daId":"DA2","site":"tax","daStatus":"10","daSubStatus":"81535"}]}}}`))
	c := newClient(t, mt)
	s, err := c.GetStatus(context.Background(), &evidence.GetStatusRequest{DaID: "DA1"})
	if err != nil {
		t.Fatal(err)
	}
	if s.BrowsingSite != "chrome-shopee-data" || s.AppID != "IDAkEBvb" || s.Ext.Province != "广东" || s.Ext.City != "深圳" ||
		len(s.Ext.ChildDaList) != 1 || s.Ext.ChildDaList[0].DaStatus != 10 || s.Ext.ChildDaList[0].DaSubStatus != "81535" || !s.Parsed() {
		t.Errorf("GetStatus = %+v", s)
	}
}

// TestParseResultFieldsAsDocumented: en main.md, get-parse-result-x
// output: "data.daId", "data.bizNo", "data.site", "data.ext.companyId",
// "data.ext.companyName", "data.ext.dl", "data.ext.fileTypeMapping".
func TestParseResultFieldsAsDocumented(t *testing.T) {
	t.Parallel()
	v := docs(t)
	_, enc := docsFieldKey(t)
	mt := httpmock.NewMockTransport()
	mt.RegisterResponder(http.MethodPost, base+"/api/das/update-aes-key", httpmock.NewStringResponder(200, `{"errorCode":0,"data":{"aeskey":"`+v.AESKey.EncryptedB64+`"}}`))
	mt.RegisterResponder(http.MethodPost, base+"/api/efp/get-parse-result-x", httpmock.NewStringResponder(200,
		`{"errorCode":0,"data":{"daId":"DA1","bizNo":"B1","site":"chrome-govhk-tax","jsonResult":10,"jsonFileUrl":"`+enc("https://cos.example/r.json")+`",`+
			`"ext":{"fileKey":"`+enc("MDEyMzQ1Njc4OUFCQ0RFRjAxMjM0NTY3ODlBQkNERUY=")+`","companyId":"C1","companyName":"ACME","dl":[{"fileName":"r.json","dlResult":"0","type":"json"}],"fileTypeMapping":{"r.json":"tax"}}}}`))
	c := newClient(t, mt)
	r, err := c.GetParseResult(context.Background(), &evidence.GetParseResultRequest{DaID: "DA1"})
	if err != nil {
		t.Fatal(err)
	}
	if r.DaID != "DA1" || r.BizNo != "B1" || r.Site != "chrome-govhk-tax" || r.CompanyID != "C1" || r.CompanyName != "ACME" ||
		len(r.Results) != 1 || r.Results[0].FileName != "r.json" || string(r.FileTypeMapping) != `{"r.json":"tax"}` ||
		!slices.Equal(r.JSONFileURLs, []string{"https://cos.example/r.json"}) {
		t.Errorf("GetParseResult = %+v", r)
	}
}

// TestSitesRequired: en main.md, get-sites-state: "arg.sites | Array | … |
// Y": no sites is refused before sending (it sent "sites":null).
func TestSitesRequired(t *testing.T) {
	t.Parallel()
	mt := httpmock.NewMockTransport()
	c := newClient(t, mt)
	_, err := c.GetSitesState(context.Background(), &evidence.GetSitesStateRequest{})
	var ve *evidence.ValidationError
	if !errors.As(err, &ve) || ve.Fields[0].Field != "sites" || mt.GetTotalCallCount() != 0 {
		t.Errorf("GetSitesState() = %v after %d calls", err, mt.GetTotalCallCount())
	}
}

// TestPullSchedules: en main.md, Fallback when Notification Fails: "Make
// 3 attempts … with intervals of 0s, 10s, and 60s" (original files), "5s,
// 1min, and 10min" (parse results); "retry … within 14 days".
func TestPullSchedules(t *testing.T) {
	t.Parallel()
	if !slices.Equal(evidence.OriginalFilesRetrySchedule, []time.Duration{0, 10 * time.Second, 60 * time.Second}) ||
		!slices.Equal(evidence.ParseRetrySchedule, []time.Duration{5 * time.Second, time.Minute, 10 * time.Minute}) ||
		evidence.ParseFallbackWindow != 14*24*time.Hour || evidence.FinalPollWindow != 20*time.Minute {
		t.Errorf("schedules %v %v, windows %v %v", evidence.OriginalFilesRetrySchedule, evidence.ParseRetrySchedule, evidence.ParseFallbackWindow, evidence.FinalPollWindow)
	}
}

// TestReconNotBeforeReady: en main.md "Every day at 3:30 AM, the
// reconciliation bill for the previous day is generated"; zh h5.md
// "次日的04:00之后": the later one, 04:00 China time the next day. Asking
// earlier is refused before sending.
func TestReconNotBeforeReady(t *testing.T) {
	t.Parallel()
	cst := time.FixedZone("CST", 8*3600)
	day := time.Date(2026, 11, 30, 15, 0, 0, 0, cst)
	if got := evidence.ReconReadyAt(day); !got.Equal(time.Date(2026, 12, 1, 4, 0, 0, 0, cst)) {
		t.Fatalf("ReconReadyAt = %v", got)
	}
	mt := httpmock.NewMockTransport()
	mt.RegisterResponder(http.MethodPost, base+"/api/efp/get-recon-file", httpmock.NewStringResponder(200, `{"errorCode":0,"data":{"fileUrl":"https://cos.example/r.csv"}}`))
	early := newClient(t, mt, evidence.WithClock(func() time.Time { return time.Date(2026, 12, 1, 3, 59, 0, 0, cst) }))
	if _, err := early.GetReconFile(context.Background(), &evidence.GetReconFileRequest{Date: day}); !errors.As(err, new(*evidence.ValidationError)) || mt.GetTotalCallCount() != 0 {
		t.Errorf("GetReconFile at 03:59 = %v", err)
	}
	late := newClient(t, mt, evidence.WithClock(func() time.Time { return time.Date(2026, 12, 1, 4, 1, 0, 0, cst) }))
	if r, err := late.GetReconFile(context.Background(), &evidence.GetReconFileRequest{Date: day}); err != nil || r.FileURL == "" {
		t.Errorf("GetReconFile at 04:01 = %v, %v", r, err)
	}
}

// notificationFake is a fake DECS and a verifier of its notifications.
func notificationFake(t *testing.T) (*evidencetest.Server, *evidence.NotificationVerifier) {
	t.Helper()
	srv, err := evidencetest.NewServer()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	v, err := evidence.NewNotificationVerifier(evidence.WithApp(srv.AppID, srv.AppKey), evidence.WithNotifyPublicKey(srv.NotifyPublicKey))
	if err != nil {
		t.Fatal(err)
	}
	return srv, v
}

// TestNotificationFieldsAsDocumented: en main.md, notification data:
// "certResult, submitId, siteList, submitTime, ext.userId, ext.province,
// ext.city, ext.exceptionPages"; ext.attach "will be carried in the ext of
// the backend notification data"; "auth.nonce | String | Random number,
// 32-character random string" (the fake's nonce).
func TestNotificationFieldsAsDocumented(t *testing.T) {
	t.Parallel()
	srv, v := notificationFake(t)
	body, hash, sig := srv.Notification(evidence.FuncDaSubmittedApp, map[string]any{
		"bizAppId": srv.AppID, "daId": "DA1", "bizNo": "B1", "site": "tax", "daStatus": 10, "certResult": 1,
		"submitId": "S1", "siteList": []string{"tax", "gjj"}, "submitTime": "2023-05-22 10:22:55",
		"ext": map[string]any{"userId": "U1", "province": "广东", "city": "深圳", "exceptionPages": []string{"3"}, "attach": "from-start"},
	})
	n, err := evidence.ParseNotification(context.Background(), v, http.Header{"Decshash": {hash}, "Decssign": {sig}}, body)
	if err != nil {
		t.Fatal(err)
	}
	d := n.Data
	if d.CertResult != 1 || d.SubmitID != "S1" || !slices.Equal(d.SiteList, []evidence.Site{"tax", "gjj"}) || d.SubmitTime != "2023-05-22 10:22:55" ||
		d.Ext.UserID != "U1" || d.Ext.Province != "广东" || d.Ext.City != "深圳" || !slices.Equal(d.Ext.ExceptionPages, []string{"3"}) || d.Ext.Attach != "from-start" {
		t.Errorf("Notification.Data = %+v", d)
	}
	if len(n.Nonce) != 32 {
		t.Errorf("the fake's notification nonce %q: want 32 characters", n.Nonce)
	}
}

// TestUnusedCertResultNeverRefuses: en main.md marks certResult "no longer
// used". A verified notification whose certResult is not an integer (a
// string, a fraction, null) was refused as malformed on every delivery,
// and so lost; it is delivered now, with CertResult 0 (an integer, or a
// string of digits, is kept), and the handler acknowledges it.
func TestUnusedCertResultNeverRefuses(t *testing.T) {
	t.Parallel()
	srv, v := notificationFake(t)
	for _, c := range []struct {
		value any
		want  int
	}{{2, 2}, {"3", 3}, {"", 0}, {"passed", 0}, {1.5, 0}, {nil, 0}, {map[string]any{"x": 1}, 0}} {
		body, hash, sig := srv.Notification(evidence.FuncDaFileParsed, map[string]any{"daId": "DA1", "daStatus": 10, "certResult": c.value})
		n, err := evidence.ParseNotification(context.Background(), v, http.Header{"Decshash": {hash}, "Decssign": {sig}}, body)
		if err != nil || n.Data.CertResult != c.want || n.Data.DaID != "DA1" || n.Data.DaStatus != 10 {
			t.Errorf("certResult %#v: %+v, %v; want delivered with CertResult %d", c.value, n, err, c.want)
		}
	}
	// The fields that are read stay strict: a daStatus that is no number is refused.
	body, hash, sig := srv.Notification(evidence.FuncDaFileParsed, map[string]any{"daId": "DA1", "daStatus": "ten"})
	if _, err := evidence.ParseNotification(context.Background(), v, http.Header{"Decshash": {hash}, "Decssign": {sig}}, body); !errors.Is(err, evidence.ErrMalformedNotification) {
		t.Errorf("daStatus \"ten\": %v; want ErrMalformedNotification", err)
	}
}

// TestPullsAnswerTheRequestedSession: protocols.md, "get-original-files-x
// and get-da-status answers carry daId" (and get-parse-result-x's
// "data.daId"). DECS signs no answer, so that daId is what binds a pulled
// status or file list to the request: an answer about another session (a
// misrouting proxy, a cache) is ErrMalformedResponse, never that session's
// status or files read as this one's. WaitFinal stops on it.
func TestPullsAnswerTheRequestedSession(t *testing.T) {
	t.Parallel()
	v := docs(t)
	_, enc := docsFieldKey(t)
	for _, daID := range []string{"DA2", "DA1"} {
		mt := httpmock.NewMockTransport()
		mt.RegisterResponder(http.MethodPost, base+"/api/das/update-aes-key", httpmock.NewStringResponder(200, `{"errorCode":0,"data":{"aeskey":"`+v.AESKey.EncryptedB64+`"}}`))
		mt.RegisterResponder(http.MethodPost, base+"/api/das/get-da-status", httpmock.NewStringResponder(200,
			`{"errorCode":0,"data":{"daId":"`+daID+`","bizNo":"B1","daStatus":10,"authorizedTs":1700000000000}}`))
		files := `{"errorCode":0,"data":{"daId":"` + daID + `","bizNo":"B1","site":"chrome-govhk-tax","fileUrl":["` + enc("https://cos.example/a.pdf") + `"],` +
			`"ext":{"fileKey":"` + enc("MDEyMzQ1Njc4OUFCQ0RFRjAxMjM0NTY3ODlBQkNERUY=") + `"}}}`
		mt.RegisterResponder(http.MethodPost, base+"/api/efp/get-original-files-x", httpmock.NewStringResponder(200, files))
		mt.RegisterResponder(http.MethodPost, base+"/api/efp/get-parse-result-x", httpmock.NewStringResponder(200,
			`{"errorCode":0,"data":{"daId":"`+daID+`","bizNo":"B1","site":"chrome-govhk-tax","jsonResult":10,"jsonFileUrl":"`+enc("https://cos.example/r.json")+`",`+
				`"ext":{"fileKey":"`+enc("MDEyMzQ1Njc4OUFCQ0RFRjAxMjM0NTY3ODlBQkNERUY=")+`"}}}`))
		c := newClient(t, mt)
		ctx := context.Background()
		_, e1 := c.GetStatus(ctx, &evidence.GetStatusRequest{DaID: "DA1"})
		_, e2 := c.GetOriginalFiles(ctx, &evidence.GetOriginalFilesRequest{DaID: "DA1"})
		_, e3 := c.GetParseResult(ctx, &evidence.GetParseResultRequest{DaID: "DA1"})
		wctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		_, e4 := c.WaitFinal(wctx, &evidence.GetStatusRequest{DaID: "DA1"}, time.Millisecond)
		cancel()
		for i, err := range []error{e1, e2, e3, e4} {
			if other := daID != "DA1"; errors.Is(err, evidence.ErrMalformedResponse) != other || !other && err != nil {
				t.Errorf("answer about %s, call %d: %v", daID, i+1, err)
			}
		}
	}
}
