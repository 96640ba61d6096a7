package evidence_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/bizapi-cn/go-sdk/evidence"
	"github.com/bizapi-cn/go-sdk/internal/testkit/golden"
	"github.com/jarcoal/httpmock"
)

const fixedNonce = "0123456789abcdefghijklmnopqrstuv"

type operation struct {
	name  string // fixtures in testdata/<name>/
	path  string
	safe  bool // a query: retried after ambiguous failures
	key   bool // needs the field key
	data  func(enc func(string) string) string
	call  func(ctx context.Context, c *evidence.Client) (any, error)
	check func(t *testing.T, got any)
}

func operations() []operation {
	return []operation{
		{"start-vdi-x", "/api/das/start-vdi-x", false, true,
			func(func(string) string) string {
				return `{"daId":"de1uahd81493120767678877696","redirectUrl":"https://h5.example/entry?daId=de1uahd81493120767678877696"}`
			},
			func(ctx context.Context, c *evidence.Client) (any, error) {
				return c.StartAcquisition(ctx, fill(&evidence.StartAcquisitionRequest{Site: "app-alipay-any", BizNo: "B-2024-0001", OpenID: "open-1", IDNo: "110101199003074477",
					UserName: "张三", AccessWay: evidence.AccessWayH5, UA: "Mozilla/5.0", Width: 390, Height: 844,
					ChildSites: []evidence.ChildSite{evidence.ChildSiteSesameCredit, evidence.ChildSiteHuabei}, Attach: "a&b<c>"}))
			},
			func(t *testing.T, got any) {
				r := got.(*evidence.StartAcquisitionResponse)
				if r.DaID != "de1uahd81493120767678877696" || !strings.Contains(r.RedirectURL, "&sign=") {
					t.Errorf("StartResponse = %+v", r)
				}
			}},
		{"upload-user-protocol-x", "/api/das/upload-user-protocol-x", false, true,
			func(func(string) string) string { return `{"result":true}` },
			func(ctx context.Context, c *evidence.Client) (any, error) {
				return c.UploadUserProtocol(ctx, &evidence.UploadUserProtocolRequest{IDNo: "110101199003074477", Site: "tax", Files: []evidence.File{evidence.FileFromBytes("agreement.pdf", []byte("%PDF-1.4\n%signed\n%%EOF\n"))}})
			},
			func(t *testing.T, got any) {
				if r := got.(*evidence.UploadUserProtocolResponse); !r.Result || r.Metadata.StatusCode != 200 {
					t.Errorf("result = %+v", got)
				}
			}},
		{"get-da-status", "/api/das/get-da-status", true, false,
			func(func(string) string) string {
				return `{"daStatus":44,"daId":"DA1","bizNo":"B1","jsonResult":5,"authorizedTs":0,"ext":{"daSubStatus":"100408","childDaList":[{"daId":"DA1-1","site":"app-alipay-huabei","daStatus":"44","daSubStatus":"100408"}]}}`
			},
			func(ctx context.Context, c *evidence.Client) (any, error) {
				return c.GetStatus(ctx, &evidence.GetStatusRequest{DaID: "DA1"})
			},
			func(t *testing.T, got any) {
				s := got.(*evidence.GetStatusResponse)
				sub, ok := s.SubStatus()
				if s.DaStatus != evidence.DaStatusSourceBusinessFailV || !s.Final() || s.Downloadable() || !ok || sub.Item != "Ant Credit Pay (Huabei)" ||
					len(s.Ext.ChildDaList) != 1 || s.Ext.ChildDaList[0].DaSubStatus != "100408" || s.Ext.ChildDaList[0].DaStatus != 44 {
					t.Errorf("Status = %+v (sub %+v)", s, sub)
				}
			}},
		{"get-original-files-x", "/api/efp/get-original-files-x", true, true,
			func(enc func(string) string) string {
				return `{"daId":"DA1","bizNo":"B1","site":"app-alipay-any","fileUrl":["` + enc("https://cos.example/DA1_app-alipay-any_huabei.xml?sign=x") + `","` +
					enc("https://cos.example/DA1_app-alipay-any_idcard.xml?sign=y") + `"],"ext":{"fileKey":"` + enc("MDEyMzQ1Njc4OUFCQ0RFRjAxMjM0NTY3ODlBQkNERUY=") +
					`","pdfPassword":["` + enc("074477") + `"],"dl":[{"fileName":"huabei.xml","dlResult":1,"type":"xml"}]}}`
			},
			func(ctx context.Context, c *evidence.Client) (any, error) {
				return c.GetOriginalFiles(ctx, &evidence.GetOriginalFilesRequest{DaID: "DA1"})
			},
			func(t *testing.T, got any) {
				f := got.(*evidence.GetOriginalFilesResponse)
				list := f.List(fixedTime())
				if len(list) != 2 || list[0].Class().Kind != evidence.FileKindHuabei || list[1].Class().Kind != evidence.FileKindIDCard ||
					f.PDFPasswords[0] != "074477" || f.Results[0].DlResult != "1" || len(f.FileKey) != 44 {
					t.Errorf("Files = %+v", f)
				}
			}},
		{"get-parse-result-x", "/api/efp/get-parse-result-x", true, true,
			func(enc func(string) string) string {
				return `{"jsonResult":10,"jsonFileUrl":["` + enc("https://cos.example/DA1_parsed.zip?sign=z") + `"],"ext":{"fileKey":"` + enc("MDEyMzQ1Njc4OUFCQ0RFRjAxMjM0NTY3ODlBQkNERUY=") + `"}}`
			},
			func(ctx context.Context, c *evidence.Client) (any, error) {
				return c.GetParseResult(ctx, &evidence.GetParseResultRequest{DaID: "DA1"})
			},
			func(t *testing.T, got any) {
				r := got.(*evidence.GetParseResultResponse)
				if r.JSONResult != evidence.JSONResultSuccess || r.List(fixedTime())[0].Name != "DA1_parsed.zip" {
					t.Errorf("ParseResult = %+v", r)
				}
			}},
		{"get-sites-state", "/api/config/get-sites-state", true, false,
			func(func(string) string) string {
				return `[{"status":"1","site":"tax","description":"ok"},{"status":"0","site":"app-tmri-any","description":"维护中"}]`
			},
			func(ctx context.Context, c *evidence.Client) (any, error) {
				return c.GetSitesState(ctx, &evidence.GetSitesStateRequest{Sites: []evidence.Site{"tax", "app-tmri-any"}})
			},
			func(t *testing.T, got any) {
				s := got.(*evidence.GetSitesStateResponse).Sites
				if len(s) != 2 || !s[0].Available() || s[1].Available() {
					t.Errorf("SitesState = %+v", s)
				}
			}},
		{"get-recon-file", "/api/efp/get-recon-file", true, false,
			func(func(string) string) string { return `{"fileUrl":"https://cos.example/recon/20240519.csv"}` },
			func(ctx context.Context, c *evidence.Client) (any, error) {
				return c.GetReconFile(ctx, &evidence.GetReconFileRequest{Date: fixedTime().AddDate(0, 0, -1)})
			},
			func(t *testing.T, got any) {
				if got.(*evidence.GetReconFileResponse).FileURL != "https://cos.example/recon/20240519.csv" {
					t.Errorf("recon URL = %v", got)
				}
			}},
	}
}

// TestOperations: every operation sends the exact golden body (sorted
// compact JSON, fixed nonce, encrypted fields) with its DECSHASH, and
// decodes the golden answer; an errorCode, a retryable errorCode, an HTML
// 502, a lost answer and a malformed 200 each give their typed error,
// queries are retried and state changes never are, counted at the mock.
func TestOperations(t *testing.T) {
	t.Parallel()
	v := docs(t)
	_, enc := docsFieldKey(t)
	for _, op := range operations() {
		t.Run(op.name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			url := base + op.path
			setup := func(r httpmock.Responder) (*evidence.Client, *httpmock.MockTransport) {
				mt := httpmock.NewMockTransport()
				mt.RegisterResponder(http.MethodPost, base+"/api/das/update-aes-key", httpmock.NewStringResponder(200, `{"errorCode":0,"errorMessage":"OK","data":{"aeskey":"`+v.AESKey.EncryptedB64+`"}}`))
				mt.RegisterResponder(http.MethodPost, url, r)
				return newClient(t, mt, evidence.WithNonce(func() string { return fixedNonce }), evidence.WithRetries(1), evidence.WithClock(fixedTime)), mt
			}
			calls := func(mt *httpmock.MockTransport) int { return mt.GetCallCountInfo()["POST "+url] }

			// ok
			okBody := `{"errorCode":0,"errorMessage":"OK","data":` + op.data(enc) + `}`
			if !golden.Update() {
				b, err := os.ReadFile(filepath.Join("testdata", op.name, "ok.json"))
				if err != nil {
					t.Fatal(err)
				}
				okBody = string(b)
			}
			var sent []byte
			var hash string
			c, mt := setup(func(r *http.Request) (*http.Response, error) {
				if ct := r.Header.Get("Content-Type"); ct != "application/json" {
					t.Errorf("Content-Type = %q", ct)
				}
				sent = readBody(r)
				hash = r.Header.Get("DECSHASH")
				return httpmock.NewStringResponse(200, okBody), nil
			})
			got, err := op.call(ctx, c)
			if err != nil {
				t.Fatalf("ok: %v", err)
			}
			if calls(mt) != 1 {
				t.Errorf("ok: %d calls", calls(mt))
			}
			m := hmac.New(sha256.New, []byte(v.DECSHash.AppKey))
			m.Write(sent)
			m.Write([]byte(v.DECSHash.AppKey))
			if want := strings.ToUpper(hex.EncodeToString(m.Sum(nil))); hash != want {
				t.Errorf("DECSHASH = %s; want HMAC of the exact body %s", hash, want)
			}
			golden.Check(t, op.name+"/request.json", append(sent, '\n'))
			golden.Check(t, op.name+"/ok.json", []byte(okBody))
			op.check(t, got)

			// errorCode: typed, never retried
			c, mt = setup(httpmock.NewStringResponder(200, `{"errorCode":-44009,"errorMessage":"no record","data":null}`))
			_, err = op.call(ctx, c)
			if !isCode(err, evidence.ErrorCodeNoRecord) || calls(mt) != 1 {
				t.Errorf("errorCode: %v after %d calls; want *APIError -44009 after 1", err, calls(mt))
			}

			// retryable errorCode: a query is asked again, a state change is not
			c, mt = setup(httpmock.NewStringResponder(200, `{"errorCode":-48007,"errorMessage":"busy"}`))
			_, err = op.call(ctx, c)
			if want := map[bool]int{true: 2, false: 1}[op.safe]; !isCode(err, -48007) || calls(mt) != want {
				t.Errorf("retryable errorCode: %v after %d calls; want -48007 after %d", err, calls(mt), want)
			}

			// HTML 502
			c, mt = setup(httpmock.NewStringResponder(502, "<html>bad gateway</html>"))
			_, err = op.call(ctx, c)
			checkAmbiguous(t, "502", op.safe, err, calls(mt))
			var he *evidence.HTTPError
			if !errors.As(err, &he) || he.HTTPStatusCode() != 502 || strings.Contains(err.Error(), "html") {
				t.Errorf("502: %v; want *evidence.HTTPError 502 without the body", err)
			}

			// lost answer (reset after the request left)
			c, mt = setup(httpmock.NewErrorResponder(errors.New("read: connection reset by peer")))
			_, err = op.call(ctx, c)
			checkAmbiguous(t, "reset", op.safe, err, calls(mt))

			// a 200 that is not the response document
			for _, bad := range []string{`<html>login</html>`, `{"errorMessage":"no code"}`, `{"errorCode":0,"data":"not an object"}`} {
				c, mt = setup(httpmock.NewStringResponder(200, bad))
				if _, err = op.call(ctx, c); !errors.Is(err, evidence.ErrMalformedResponse) || calls(mt) != 1 {
					t.Errorf("malformed %s: %v after %d calls; want ErrMalformedResponse after 1", bad, err, calls(mt))
				}
			}
		})
	}
}

// checkAmbiguous: after an ambiguous failure a query was retried (2 calls
// with WithRetries(1)) and a state change was sent once and reported as
// ErrOutcomeUnknown.
func checkAmbiguous(t *testing.T, what string, safe bool, err error, calls int) {
	t.Helper()
	switch {
	case err == nil:
		t.Errorf("%s: nil error", what)
	case safe && calls != 2:
		t.Errorf("%s on a query: %d calls; want 2", what, calls)
	case !safe && (calls != 1 || !errors.Is(err, evidence.ErrOutcomeUnknown)):
		t.Errorf("%s on a state change: %v after %d calls; want ErrOutcomeUnknown after 1", what, err, calls)
	}
}

func readBody(r *http.Request) []byte {
	b, _ := io.ReadAll(r.Body)
	return b
}

func fixedTime() time.Time { return time.Date(2024, 5, 20, 10, 0, 0, 0, time.FixedZone("CST", 8*3600)) }
