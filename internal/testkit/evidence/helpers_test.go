package evidence_test

import (
	"context"
	"testing"

	"github.com/bizapi-cn/go-sdk/evidence"
	"github.com/bizapi-cn/go-sdk/evidence/evidencetest"
)

// agree uploads the user's agreement for site: the service sends
// notifications and serves files only after it (en main.md:1355).
func agree(t testing.TB, c *evidence.Client, site evidence.Site) {
	t.Helper()
	_, err := c.UploadUserProtocol(context.Background(), &evidence.UploadUserProtocolRequest{IDNo: "110101199003074477", Site: site,
		Files: []evidence.File{evidence.FileFromBytes("agreement.pdf", []byte("%PDF-1.4 agreement"))}})
	if err != nil {
		t.Fatal(err)
	}
}

// completed starts a session for bizNo on site "tax" (after the user's
// agreement) and has the fake complete it: status 10, files ready.
func completed(t testing.TB, srv *evidencetest.Server, c *evidence.Client, bizNo string) *evidence.StartAcquisitionResponse {
	t.Helper()
	agree(t, c, "tax")
	st, err := c.StartAcquisition(context.Background(), fill(&evidence.StartAcquisitionRequest{Site: "tax", BizNo: bizNo}))
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Complete(st.DaID, nil); err != nil {
		t.Fatal(err)
	}
	return st
}

// fill completes a start request with the members the docs mark
// required, keeping what r sets.
func fill(r *evidence.StartAcquisitionRequest) *evidence.StartAcquisitionRequest {
	if r.OpenID == "" {
		r.OpenID = "user-1"
	}
	if r.IDNo == "" {
		r.IDNo = "110101199003074477"
	}
	if r.UserName == "" {
		r.UserName = "张三"
	}
	if r.UserClaim == "" {
		r.UserClaim = "The user completed face recognition"
	}
	if r.UA == "" {
		r.UA = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X)"
	}
	if r.Width == 0 {
		r.Width = 750
	}
	if r.Height == 0 {
		r.Height = 1334
	}
	return r
}

// testAppKey is an appKey of the docs' length (64 bytes).
const testAppKey = "test-app-key-0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMN0"

// TestCheckReturnPageURL: en h5.md, Prerequisites: "URL allows query
// parameters not exceeding 12 Bytes length", "Must be in http/https
// format", "do NOT use the following keys: status, bizNo, daId, daStatus,
// site, attach_url".
func TestCheckReturnPageURL(t *testing.T) {
	t.Parallel()
	for u, ok := range map[string]bool{
		"https://host.example/done":               true,
		"https://host.example/done?ch=app":        true,
		"http://host.example/a/b?x=123456789":     true,
		"https://host.example/done?ch=0123456789": false, // 13 bytes
		"https://host.example/done?site=x":        false,
		"https://host.example/done?daId=1":        false,
		"https://host.example/done?attach_url=1":  false,
		"ftp://host.example/done":                 false,
		"/done":                                   false,
	} {
		if err := evidence.CheckReturnPageURL(u); (err == nil) != ok {
			t.Errorf("CheckReturnPageURL(%q) = %v; want ok %v", u, err, ok)
		}
	}
}

// TestCheckCallbackURL: en main.md, notifications: "the protocol for this
// interface in the production environment must use HTTPS, not HTTP."
func TestCheckCallbackURL(t *testing.T) {
	t.Parallel()
	for u, ok := range map[string]bool{"https://host.example/decs": true, "http://host.example/decs": false, "host.example/decs": false, "": false} {
		if err := evidence.CheckCallbackURL(u); (err == nil) != ok {
			t.Errorf("CheckCallbackURL(%q) = %v; want ok %v", u, err, ok)
		}
	}
}
