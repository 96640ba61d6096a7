package evidence_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/bizapi-cn/go-sdk/evidence"
	"github.com/bizapi-cn/go-sdk/internal/crypt"
	"github.com/jarcoal/httpmock"
)

func TestEndpoints(t *testing.T) {
	t.Parallel()
	v := docs(t)
	key, enc := docsFieldKey(t)
	mt := httpmock.NewMockTransport()
	mt.RegisterResponder(http.MethodPost, base+"/api/das/update-aes-key", httpmock.NewStringResponder(200, `{"errorCode":0,"data":{"aeskey":"`+v.AESKey.EncryptedB64+`"}}`))
	var uploaded map[string]any
	mt.RegisterResponder(http.MethodPost, base+"/api/das/upload-user-protocol-x", func(r *http.Request) (*http.Response, error) {
		var body struct {
			Arg map[string]any `json:"arg"`
		}
		_ = json.NewDecoder(r.Body).Decode(&body)
		uploaded = body.Arg
		return httpmock.NewStringResponse(200, `{"errorCode":0,"data":{"result":true}}`), nil
	})
	mt.RegisterResponder(http.MethodPost, base+"/api/efp/get-parse-result-x", httpmock.NewStringResponder(200,
		`{"errorCode":0,"data":{"jsonResult":10,"jsonFileUrl":["`+enc("https://cos/r.json")+`"],"ext":{"fileKey":"`+enc("MDEyMzQ1Njc4OUFCQ0RFRjAxMjM0NTY3ODlBQkNERUY=")+`"}}}`))
	mt.RegisterResponder(http.MethodPost, base+"/api/config/get-sites-state", httpmock.NewStringResponder(200, `{"errorCode":0,"data":[{"status":"1","site":"tax","description":"ok"},{"status":"0","site":"gjj","description":"maintenance"}]}`))
	mt.RegisterResponder(http.MethodPost, base+"/api/efp/get-recon-file", httpmock.NewStringResponder(200, `{"errorCode":-44009,"errorMessage":"no record"}`))
	c := newClient(t, mt)
	ctx := context.Background()
	res, err := c.UploadUserProtocol(ctx, &evidence.UploadUserProtocolRequest{IDNo: "110101199003074477", Site: "tax", Files: []evidence.File{evidence.FileFromBytes("a.pdf", []byte("%PDF-1.4"))}})
	if err != nil || !res.Result {
		t.Fatalf("UploadUserProtocol = %v, %v", res, err)
	}
	files := uploaded["files"].([]any)
	content := files[0].(map[string]any)["content"].(string)
	ct, _ := base64.StdEncoding.DecodeString(content)
	pt, err := crypt.AESECBDecrypt(key, ct)
	// The docs (en main.md, Upload User Agreement): "Encrypt the file
	// stream using aesKey, then Base64 encode the encrypted file stream."
	if err != nil || string(pt) != "%PDF-1.4" || uploaded["idNo"] == "110101199003074477" {
		t.Errorf("upload arg = %v (content %q, %v)", uploaded, pt, err)
	}
	// A file that cannot be read fails before anything is sent: its own
	// error, not an unknown outcome.
	unreadable := errors.New("disk gone")
	_, err = c.UploadUserProtocol(ctx, &evidence.UploadUserProtocolRequest{IDNo: "110101199003074477", Site: "tax",
		Files: []evidence.File{{Name: "b.pdf", Open: func() (io.ReadCloser, error) { return nil, unreadable }}}})
	if !errors.Is(err, unreadable) || errors.Is(err, evidence.ErrOutcomeUnknown) {
		t.Errorf("unreadable agreement: %v; want its own error", err)
	}
	if n := mt.GetCallCountInfo()["POST "+base+"/api/das/upload-user-protocol-x"]; n != 1 {
		t.Errorf("upload requests = %d; want 1 (none for the unreadable file)", n)
	}
	// So does an arg that does not marshal (a caller's Ext value).
	mt.RegisterResponder(http.MethodPost, base+"/api/das/start-vdi-x", httpmock.NewStringResponder(200, `{"errorCode":0,"data":{"daId":"DA1"}}`))
	_, err = c.StartAcquisition(ctx, fill(&evidence.StartAcquisitionRequest{Site: evidence.SiteTax, BizNo: "B1", OpenID: "u", Ext: map[string]any{"x": func() {}}}))
	if err == nil || errors.Is(err, evidence.ErrOutcomeUnknown) {
		t.Errorf("unmarshalable ext: %v; want a plain error", err)
	}
	if n := mt.GetCallCountInfo()["POST "+base+"/api/das/start-vdi-x"]; n != 0 {
		t.Errorf("start-vdi-x requests = %d; want 0", n)
	}
	pr, err := c.GetParseResult(ctx, &evidence.GetParseResultRequest{DaID: "DA1"})
	if err != nil || pr.JSONResult != 10 || pr.JSONFileURLs[0] != "https://cos/r.json" || len(pr.FileKey) != 44 {
		t.Errorf("GetParseResult = %+v, %v", pr, err)
	}
	st, err := c.GetSitesState(ctx, &evidence.GetSitesStateRequest{Sites: []evidence.Site{"tax", "gjj"}})
	if err != nil || len(st.Sites) != 2 || !st.Sites[0].Available() || st.Sites[1].Available() {
		t.Errorf("GetSitesState = %+v, %v", st, err)
	}
	var apiErr *evidence.APIError
	if _, err := c.GetReconFile(ctx, &evidence.GetReconFileRequest{Date: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)}); !errors.As(err, &apiErr) || apiErr.Code != evidence.ErrorCodeNoRecord {
		t.Errorf("GetReconFile = %v; want errorCode -44009", err)
	}
	if _, err := c.GetReconFile(ctx, &evidence.GetReconFileRequest{}); !errors.As(err, new(*evidence.ValidationError)) {
		t.Errorf("no date: %v", err)
	}
	// The file of a day is made the next morning: asking for today's is
	// refused before sending.
	if _, err := c.GetReconFile(ctx, &evidence.GetReconFileRequest{Date: time.Now()}); !errors.As(err, new(*evidence.ValidationError)) {
		t.Errorf("today: %v", err)
	}
	if _, err := c.GetSitesState(ctx, &evidence.GetSitesStateRequest{}); !errors.As(err, new(*evidence.ValidationError)) {
		t.Errorf("no sites: %v", err)
	}
}
