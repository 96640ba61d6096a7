package levy_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/bizapi-cn/go-sdk/internal/benchdata"
	"github.com/bizapi-cn/go-sdk/levy"
)

// pdfReader yields a size-byte PDF without holding it in memory.
type pdfReader struct{ left int64 }

func (r *pdfReader) Read(p []byte) (int, error) {
	if r.left <= 0 {
		return 0, io.EOF
	}
	n := int64(len(p))
	if n > r.left {
		n = r.left
	}
	for i := range p[:n] {
		p[i] = 'x'
	}
	if r.left == 10<<20 && n >= 5 {
		copy(p, "%PDF-")
	}
	r.left -= n
	return int(n), nil
}

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
	var worst benchdata.Peak
	for b.Loop() {
		p, err := benchdata.Measure(func() error {
			_, err := c.UploadTaxpayerAgreement(context.Background(), &levy.UploadTaxpayerAgreementRequest{
				RequestID: "U1", IDCard: "110101199003074477", Name: "张三", Cellphone: "13800138000", TaxAgentParentID: 12,
				ContractID: "K1", ContractType: levy.ContractTypeEmpower, File: levy.FileFromReader(&pdfReader{left: size}, size)})
			return err
		})
		if err != nil {
			b.Fatal(err)
		}
		worst.Heap, worst.RSS = max(worst.Heap, p.Heap), max(worst.RSS, p.RSS)
	}
	b.ReportMetric(float64(worst.Heap)/size, "peak-heap/file")
	b.ReportMetric(float64(worst.RSS)/size, "peak-rss/file")
	b.SetBytes(size)
}
