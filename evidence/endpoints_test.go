package evidence_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"testing"

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
	ok, err := c.UploadUserProtocol(ctx, "110101199003074477", "tax", []evidence.ProtocolFile{{Name: "a.pdf", Content: []byte("%PDF-1.4")}})
	if err != nil || !ok {
		t.Fatalf("UploadUserProtocol = %v, %v", ok, err)
	}
	files := uploaded["files"].([]any)
	content := files[0].(map[string]any)["content"].(string)
	ct, _ := base64.StdEncoding.DecodeString(content)
	pt, err := crypt.AESECBDecrypt(key, ct)
	if err != nil || string(pt) != base64.StdEncoding.EncodeToString([]byte("%PDF-1.4")) || uploaded["idNo"] == "110101199003074477" {
		t.Errorf("upload arg = %v (content %q, %v)", uploaded, pt, err)
	}
	// A file that cannot be read fails before anything is sent: its own
	// error, not an unknown outcome.
	unreadable := errors.New("disk gone")
	_, err = c.UploadUserProtocol(ctx, "110101199003074477", "tax", []evidence.ProtocolFile{{Name: "b.pdf", Open: func() (io.ReadCloser, error) { return nil, unreadable }}})
	if !errors.Is(err, unreadable) || errors.Is(err, evidence.ErrOutcomeUnknown) {
		t.Errorf("unreadable agreement: %v; want its own error", err)
	}
	if n := mt.GetCallCountInfo()["POST "+base+"/api/das/upload-user-protocol-x"]; n != 1 {
		t.Errorf("upload requests = %d; want 1 (none for the unreadable file)", n)
	}
	// So does an arg that does not marshal (a caller's Ext value).
	mt.RegisterResponder(http.MethodPost, base+"/api/das/start-vdi-x", httpmock.NewStringResponder(200, `{"errorCode":0,"data":{"daId":"DA1"}}`))
	_, err = c.StartAcquisition(ctx, &evidence.StartRequest{Site: evidence.SiteTax, BizNo: "B1", OpenID: "u", Ext: map[string]any{"x": func() {}}})
	if err == nil || errors.Is(err, evidence.ErrOutcomeUnknown) {
		t.Errorf("unmarshalable ext: %v; want a plain error", err)
	}
	if n := mt.GetCallCountInfo()["POST "+base+"/api/das/start-vdi-x"]; n != 0 {
		t.Errorf("start-vdi-x requests = %d; want 0", n)
	}
	pr, err := c.GetParseResult(ctx, "DA1")
	if err != nil || pr.JSONResult != 10 || pr.JSONFileURL[0] != "https://cos/r.json" || len(pr.FileKey) != 44 {
		t.Errorf("GetParseResult = %+v, %v", pr, err)
	}
	st, err := c.GetSitesState(ctx, "tax", "gjj")
	if err != nil || len(st) != 2 || !st[0].Available() || st[1].Available() {
		t.Errorf("GetSitesState = %+v, %v", st, err)
	}
	var apiErr *evidence.APIError
	if _, err := c.GetReconFile(ctx, "20240101"); !errors.As(err, &apiErr) || apiErr.Code != evidence.CodeNoRecordA {
		t.Errorf("GetReconFile = %v; want errorCode -44009", err)
	}
	if _, err := c.GetReconFile(ctx, "2024-01-01"); !errors.As(err, new(*evidence.ValidationError)) {
		t.Errorf("bad date: %v", err)
	}
}
