package levy_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/bizapi-cn/go-sdk/internal/testkit/golden"
	"github.com/bizapi-cn/go-sdk/levy"
	"github.com/jarcoal/httpmock"
)

var fixedTime = time.Date(2024, 3, 1, 10, 0, 0, 0, cst)

// pdfFile writes a tiny PDF for upload fixtures.
func pdfFile(t *testing.T, name string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte("%PDF-1.4\n%test\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func jpegFile(t *testing.T) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "img.jpg")
	if err := os.WriteFile(p, []byte("\xFF\xD8\xFF\xE0fake-jpeg-body"), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

type operation struct {
	name levy.Operation // interface name; fixtures in testdata/<name>/
	path string
	data string // success data of the answer
	call func(ctx context.Context, c *levy.Client) (any, error)
}

func operations(t *testing.T) []operation {
	pdf, jpg := pdfFile(t, "a.pdf"), jpegFile(t)
	amount := levy.Yuan(100)
	return []operation{
		{levy.OperationSyncSign, "/api/tax/v1", `{"request_id":"S1"}`, func(ctx context.Context, c *levy.Client) (any, error) {
			return c.SyncSign(ctx, &levy.SyncSignRequest{RequestID: "S1", IDCard: "110101199003074477", RealName: "张三", Cellphone: "13800138000", AgentParentID: "12"})
		}},
		{levy.OperationSignUp, "/api/levy/v1", `{"id_card":"110101199003074477","status":"SIGN"}`, func(ctx context.Context, c *levy.Client) (any, error) {
			return c.SignUp(ctx, &levy.SignUpRequest{IDCard: "110101199003074477", Name: "张三", Cellphone: "13800138000", BankcardNo: "6222020200112233445", Limit2: true, TaxAgentParentID: "12", CreditCode: "91110000MA01ABCD1X"})
		}},
		{levy.OperationCreateOrder, "/api/levy/v1", `{"request_id":"R1","accept_time":"2024-03-01T10:00:00.100"}`, func(ctx context.Context, c *levy.Client) (any, error) {
			return c.CreateOrder(ctx, &levy.CreateOrderRequest{RequestID: "R1", IDCard: "110101199003074477", Name: "李四", TaxAgentParentID: "12", TaxAgentLocationID: "101",
				CustomerID: "C-9", Cellphone: "13800138000", BankcardNo: "6222020200112233445", PayAmount: &amount, TaxMode: levy.TaxModeSpecial, TaskID: "77"})
		}},
		{levy.OperationConfirmOrder, "/api/levy/v1", `{"order_id":"RO1"}`, func(ctx context.Context, c *levy.Client) (any, error) {
			return c.ConfirmOrder(ctx, &levy.ConfirmOrderRequest{OrderID: "RO1", ArisingTime: levy.Time{Time: fixedTime}, NextStep: levy.NextStepContinue})
		}},
		{levy.OperationQuerySignUpBatch, "/api/levy/v1", `{"batch_no":"B1","batch_details":[{"id_card":"110101199003074477","status":"SIGN"}]}`, func(ctx context.Context, c *levy.Client) (any, error) {
			return c.QuerySignUpBatch(ctx, &levy.QuerySignUpBatchRequest{BatchNo: "B1", BatchDetails: []levy.SignUpQuery{{IDCard: "110101199003074477"}}})
		}},
		{levy.OperationQueryOrder, "/api/levy/v1", `{"request_id":"R1","status":"CLOSE","remit_order_list":[{"order_id":"RO1","tax_agent_location_id":101,"amount":"100.00","fee":"6.00","actual_amount":"106.00","compensate_fee":"0.00","sum_fee":"6.00","remit_status":"ACCEPT"}]}`, func(ctx context.Context, c *levy.Client) (any, error) {
			return c.QueryOrder(ctx, &levy.QueryOrderRequest{RequestID: "R1"})
		}},
		{levy.OperationUploadTaxpayerAgreement, "/api/levy/v1", `{"request_id":"U1","status":"ACCEPT","contract_id":"K1","file_id":"F1"}`, func(ctx context.Context, c *levy.Client) (any, error) {
			return c.UploadTaxpayerAgreement(ctx, &levy.UploadTaxpayerAgreementRequest{RequestID: "U1", IDCard: "110101199003074477", Name: "张三", Cellphone: "13800138000",
				TaxAgentParentID: "12", ContractID: "K1", ContractType: levy.ContractTypeEmpower, File: mustFile(t, pdf)})
		}},
		{levy.OperationAddBankVoucher, "/api/levy/v1", `{"order_id":"RO1","status":"SUCCESS"}`, func(ctx context.Context, c *levy.Client) (any, error) {
			return c.AddBankVoucher(ctx, &levy.AddBankVoucherRequest{OrderID: "RO1", FileName: "voucher.pdf", File: mustFile(t, pdf)})
		}},
		{levy.OperationUploadIDCardImage, "/api/tax/v1", `{"requestId":"I1","status":"ACCEPT"}`, func(ctx context.Context, c *levy.Client) (any, error) {
			return c.UploadIDCardImage(ctx, &levy.UploadIDCardImageRequest{RequestID: "I1", IDCardNo: "110101199003074477", RealName: "张三", FrontImage: mustFile(t, jpg), BackImage: mustFile(t, jpg)})
		}},
		{levy.OperationQueryIDCardImage, "/api/tax/v1", `{"requestId":"I1","status":"IDENTIFY_FAIL","failReason":"照片模糊"}`, func(ctx context.Context, c *levy.Client) (any, error) {
			return c.QueryIDCardImage(ctx, &levy.QueryIDCardImageRequest{RequestID: "I1", IDCardNo: "110101199003074477"})
		}},
		{levy.OperationUploadFaceIDVideoFrame, "/api/levy/v1", `{"requestId":"V1","status":"SUCCESS"}`, func(ctx context.Context, c *levy.Client) (any, error) {
			return c.UploadFaceIDVideoFrame(ctx, &levy.UploadFaceIDVideoFrameRequest{RequestID: "V1", IDCardNo: "110101199003074477", Frame: mustFile(t, jpg)})
		}},
	}
}

// TestOperations: every interface sends the exact golden request to its
// base path and decodes the golden answer; a provider error code, a wrong
// Api-Sign, an unsigned 502 and a transport failure each give their typed
// error.
func TestOperations(t *testing.T) {
	t.Parallel()
	for _, op := range operations(t) {
		t.Run(string(op.name), func(t *testing.T) {
			ctx := context.Background()
			url := levy.TestBaseURL + op.path

			// ok
			c, mt := newMockClient(t, fixedTime)
			body := `{"name":"` + string(op.name) + `","code":"0","message":"成功","data":` + op.data + `}`
			if !golden.Update() {
				b, err := os.ReadFile(filepath.Join("testdata", string(op.name), "ok.json"))
				if err != nil {
					t.Fatal(err)
				}
				body = string(b)
			}
			var hdr map[string]string
			hb, _ := os.ReadFile(filepath.Join("testdata", string(op.name), "ok.headers.json"))
			_ = json.Unmarshal(hb, &hdr)
			if golden.Update() {
				hdr = map[string]string{"Api-Sign": hmacB64(vectorSecret, body)}
			}
			var form map[string][]string
			mt.RegisterResponder(http.MethodPost, url, func(r *http.Request) (*http.Response, error) {
				if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/x-www-form-urlencoded") {
					t.Errorf("Content-Type = %q", ct)
				}
				if err := r.ParseForm(); err != nil {
					t.Fatal(err)
				}
				form = r.PostForm
				resp := httpmock.NewStringResponse(200, body)
				for k, v := range hdr {
					resp.Header.Set(k, v)
				}
				return resp, nil
			})
			got, err := op.call(ctx, c)
			if err != nil {
				t.Fatalf("ok: %v", err)
			}
			if n := mt.GetCallCountInfo()["POST "+url]; n != 1 {
				t.Errorf("ok: calls to %s = %d; want 1", url, n)
			}
			if hmacB64(vectorSecret, form["req"][0]) != form["sign"][0] || len(form) != 2 {
				t.Errorf("ok: form has %d fields or a sign that is not HMAC(req)", len(form))
			}
			reqJSON, _ := json.MarshalIndent(map[string]string{"req": form["req"][0], "sign": form["sign"][0]}, "", "  ")
			golden.Check(t, string(op.name)+"/ok.request.json", append(reqJSON, '\n'))
			golden.Check(t, string(op.name)+"/ok.json", []byte(body))
			hdrJSON, _ := json.Marshal(hdr)
			golden.Check(t, string(op.name)+"/ok.headers.json", hdrJSON)
			gotJSON, _ := json.Marshal(got)
			var wantData, gotData map[string]any
			_ = json.Unmarshal([]byte(op.data), &wantData)
			_ = json.Unmarshal(gotJSON, &gotData)
			for k, v := range wantData {
				if _, ok := v.(string); ok && gotData[jsonKey(k, gotData)] == nil {
					t.Errorf("ok: decoded response lacks %s", k)
				}
			}

			// provider error code, signed
			c, mt = newMockClient(t, fixedTime)
			errBody := `{"name":"` + string(op.name) + `","code":"1009","message":"可用额度不足","data":null}`
			mt.RegisterResponder(http.MethodPost, url, signedResponder(200, errBody, hmacB64(vectorSecret, errBody)))
			_, err = op.call(ctx, c)
			var apiErr *levy.APIError
			if !errors.As(err, &apiErr) || apiErr.Code != levy.CodeQuotaExceeded || !errors.Is(err, levy.ErrQuotaExceeded) {
				t.Errorf("error code: err = %v; want *APIError 1009 matching ErrQuotaExceeded", err)
			} else if apiErr.HTTPStatusCode() != 200 || apiErr.Metadata.Header.Get("Api-Sign") == "" || errors.Is(err, levy.ErrOutcomeUnknown) {
				t.Errorf("error code: metadata %+v, outcome unknown %v; want status, headers, a definite answer", apiErr.Metadata, errors.Is(err, levy.ErrOutcomeUnknown))
			}
			state := op.name.ChangesState()

			// wrong Api-Sign on a success answer: a trust failure, and for a
			// state change no answer at all (§1.2: every message verified).
			c, mt = newMockClient(t, fixedTime)
			mt.RegisterResponder(http.MethodPost, url, signedResponder(200, body, hmacB64("another-secret", body)))
			_, err = op.call(ctx, c)
			if !errors.Is(err, levy.ErrInvalidSignature) || errors.Is(err, levy.ErrOutcomeUnknown) != state {
				t.Errorf("bad signature: err = %v; want ErrInvalidSignature, and ErrOutcomeUnknown = %v", err, state)
			}

			// unsigned 502 from a gateway: an *HTTPError, never a forgery
			c, mt = newMockClient(t, fixedTime)
			mt.RegisterResponder(http.MethodPost, url, httpmock.NewStringResponder(502, "<html>bad gateway</html>"))
			_, err = op.call(ctx, c)
			var he *levy.HTTPError
			switch {
			case err == nil || strings.Contains(err.Error(), "html"):
				t.Errorf("502: err = %v; want an error that does not dump the body", err)
			case !errors.As(err, &he) || he.HTTPStatusCode() != 502 || errors.Is(err, levy.ErrInvalidSignature):
				t.Errorf("502: err = %v; want *HTTPError 502, not ErrInvalidSignature", err)
			case errors.Is(err, levy.ErrOutcomeUnknown) != state:
				t.Errorf("502: ErrOutcomeUnknown = %v; want %v", errors.Is(err, levy.ErrOutcomeUnknown), state)
			}

			// signed 200s that do not decode: the provider acted, so a state
			// change's outcome is unknown.
			for name, bad := range map[string]string{
				"code as a number": `{"name":"` + string(op.name) + `","code":0,"message":"成功","data":` + op.data + `}`,
				"data not object":  `{"name":"` + string(op.name) + `","code":"0","message":"成功","data":"x"}`,
				"not an envelope":  `<html>ok</html>`,
			} {
				c, mt = newMockClient(t, fixedTime)
				mt.RegisterResponder(http.MethodPost, url, signedResponder(200, bad, hmacB64(vectorSecret, bad)))
				_, err = op.call(ctx, c)
				if !errors.Is(err, levy.ErrMalformedResponse) || errors.Is(err, levy.ErrOutcomeUnknown) != state {
					t.Errorf("%s: err = %v; want ErrMalformedResponse, and ErrOutcomeUnknown = %v", name, err, state)
				}
			}

			// transport failure: queries are retried, state changes are not
			c, mt = newMockClient(t, fixedTime, levy.WithRetries(2))
			mt.RegisterResponder(http.MethodPost, url, httpmock.NewErrorResponder(errors.New("connection reset by peer")))
			_, err = op.call(ctx, c)
			calls := mt.GetCallCountInfo()["POST "+url]
			query := !state
			switch {
			case err == nil:
				t.Error("transport failure: nil error")
			case query && calls != 3:
				t.Errorf("transport failure on a query: %d calls; want 3 (retried)", calls)
			case !query && (calls != 1 || !errors.Is(err, levy.ErrOutcomeUnknown)):
				t.Errorf("transport failure on %s: %d calls, err %v; want 1 call and ErrOutcomeUnknown", op.name, calls, err)
			}
		})
	}
}

func jsonKey(k string, m map[string]any) string {
	if _, ok := m[k]; ok {
		return k
	}
	for mk := range m {
		if strings.EqualFold(strings.ReplaceAll(mk, "_", ""), strings.ReplaceAll(k, "_", "")) {
			return mk
		}
	}
	return k
}

func signedResponder(status int, body, apiSign string) httpmock.Responder {
	return func(*http.Request) (*http.Response, error) {
		resp := httpmock.NewStringResponse(status, body)
		resp.Header.Set("Api-Sign", apiSign)
		return resp, nil
	}
}
