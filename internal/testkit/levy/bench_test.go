package levy_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/bizapi-cn/go-sdk/internal/testkit/benchdata"
	"github.com/bizapi-cn/go-sdk/levy"
)

// BenchmarkUploadAgreementMemory uploads a 10 MB PDF to a server that
// discards it, reporting the peak heap above the baseline over the file
// size (target ≤ 0.1; buffering the file, its base64 and the JSON costs
// about 8).
func BenchmarkUploadAgreementMemory(b *testing.B) {
	const size = 10 << 20
	body := `{"name":"UPLOAD_TAXPAYER_AGREEMENT","code":"0","message":"ok","data":{"request_id":"U1","status":"ACCEPT","contract_id":"K1"}}`
	sig := hmacB64(vectorSecret, body)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Api-Sign", sig)
		_, _ = io.WriteString(w, body)
	}))
	defer srv.Close()
	c, err := levy.NewClient(levy.WithCredentials(vectorKey, vectorSecret), levy.WithBaseURL(srv.URL), levy.WithHTTPClient(srv.Client()))
	if err != nil {
		b.Fatal(err)
	}
	benchdata.ReportPeak(b, size, func() error {
		_, err := c.UploadTaxpayerAgreement(context.Background(), &levy.UploadTaxpayerAgreementRequest{
			RequestID: "U1", IDCard: "110101199003074477", Name: "张三", Cellphone: "13800138000", TaxAgentParentID: "12",
			ContractID: "K1", ContractType: levy.ContractTypeEmpower, File: levy.File{Name: "k.pdf", Size: size, Open: func() (io.ReadCloser, error) { return io.NopCloser(benchdata.PDF(size)), nil }}})
		return err
	})
}

// BenchmarkParseNotification: verify and decode a CREATE_ORDER_V2
// notification, next to the bare HMAC of its req (the floor).
func BenchmarkParseNotification(b *testing.B) {
	req := `{"name":"CREATE_ORDER_V2","code":"0","message":"成功","data":{"request_id":"R20220630000001","status":"CLOSE","fail_reason":"",` +
		`"remit_order_list":[{"order_id":"RO0000000001","tax_agent_location_id":101,"amount":"1000.00","fee":"60.00","actual_amount":"1060.00","compensate_fee":"0.00","sum_fee":"60.00","remit_status":"ACCEPT"}]}}`
	sig := hmacB64(vectorSecret, req)
	b.Run("floor", func(b *testing.B) {
		for b.Loop() {
			if hmacB64(vectorSecret, req) != sig {
				b.Fatal("bad sign")
			}
		}
	})
	v, err := levy.NewNotificationVerifier(levy.WithCredentials(vectorKey, vectorSecret))
	if err != nil {
		b.Fatal(err)
	}
	body := []byte("req=" + url.QueryEscape(req) + "&sign=" + url.QueryEscape(sig))
	h := http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}
	b.Run("sdk", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if n, err := levy.ParseNotification(context.Background(), v, h, body); err != nil || n.Data == nil {
				b.Fatal(err)
			}
		}
	})
}
