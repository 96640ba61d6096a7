package levy_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

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
	var peak atomic.Uint64
	for b.Loop() {
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		base := ms.HeapAlloc
		stop := make(chan struct{})
		var wg sync.WaitGroup
		wg.Add(1)
		go func() { // sample the heap while the upload runs
			defer wg.Done()
			t := time.NewTicker(2 * time.Millisecond)
			defer t.Stop()
			for {
				var m runtime.MemStats
				runtime.ReadMemStats(&m)
				if m.HeapAlloc > base && m.HeapAlloc-base > peak.Load() {
					peak.Store(m.HeapAlloc - base)
				}
				select {
				case <-stop:
					return
				case <-t.C:
				}
			}
		}()
		_, err := c.UploadTaxpayerAgreement(context.Background(), &levy.UploadTaxpayerAgreementRequest{
			RequestID: "U1", IDCard: "110101199003074477", Name: "张三", Cellphone: "13800138000", TaxAgentParentID: 12,
			ContractID: "K1", ContractType: levy.ContractTypeEmpower, File: levy.FileFromReader(&pdfReader{left: size}, size)})
		close(stop)
		wg.Wait()
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(peak.Load())/size, "peak-heap/file")
	b.SetBytes(size)
}
