package evidence_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/bizapi-cn/go-sdk/evidence"
	"github.com/bizapi-cn/go-sdk/internal/benchdata"
	"github.com/bizapi-cn/go-sdk/internal/testvectors"
)

// gen yields n bytes of a PDF-looking stream without holding them.
type gen struct{ left int64 }

func (g *gen) Read(p []byte) (int, error) {
	if g.left <= 0 {
		return 0, io.EOF
	}
	n := min(int64(len(p)), g.left)
	for i := range p[:n] {
		p[i] = byte('A' + i%26)
	}
	g.left -= n
	return int(n), nil
}

// BenchmarkDownloadMemory downloads a 200 MB file with SSE-C from a
// server that streams it, reporting the peak heap and resident set above
// the baseline over the file size (target ≤ 0.05: the file is never held).
func BenchmarkDownloadMemory(b *testing.B) {
	const size = 200 << 20
	var vv testvectors.OAEPSSEC
	if err := testvectors.Load("evidence_oaep_ssec.json", &vv); err != nil {
		b.Fatal(err)
	}
	vec := vv.SSEC[1]
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for name, want := range vec.Headers {
			if r.Header.Get(name) != want {
				w.WriteHeader(http.StatusBadRequest)
				return
			}
		}
		w.Header().Set("Content-Length", "209715200")
		_, _ = io.Copy(w, &gen{left: size})
	}))
	defer srv.Close()
	c := newClient(b, nil, evidence.WithHTTPClient(srv.Client()))
	var worst benchdata.Peak
	for b.Loop() {
		p, err := benchdata.Measure(func() error {
			n, err := c.Download(context.Background(), evidence.File{URL: srv.URL + "/DA1_tax_0.pdf", Key: vec.FileKey}, io.Discard)
			if err == nil && n != size {
				b.Fatalf("downloaded %d bytes", n)
			}
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

// BenchmarkUploadProtocolMemory uploads a 10 MB agreement (read from a
// stream, base64 + AES + base64 on the way) to a server that discards it,
// reporting peak heap and resident set over the file size (target ≤ 0.1;
// building the body in memory costs about 5×).
func BenchmarkUploadProtocolMemory(b *testing.B) {
	const size = 10 << 20
	v := docs(b)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n, _ := io.Copy(io.Discard, r.Body)
		if strings.HasSuffix(r.URL.Path, "update-aes-key") {
			_, _ = io.WriteString(w, `{"errorCode":0,"data":{"aeskey":"`+v.AESKey.EncryptedB64+`"}}`)
			return
		}
		if n < size {
			_, _ = io.WriteString(w, `{"errorCode":-1,"errorMessage":"short body"}`)
			return
		}
		_, _ = io.WriteString(w, `{"errorCode":0,"errorMessage":"OK","data":{"result":true}}`)
	}))
	defer srv.Close()
	c := newClient(b, nil, evidence.WithHTTPClient(srv.Client()), evidence.WithBaseURL(srv.URL))
	file := evidence.ProtocolFile{Name: "agreement.pdf", Open: func() (io.ReadCloser, error) { return io.NopCloser(&gen{left: size}), nil }}
	var worst benchdata.Peak
	for b.Loop() {
		p, err := benchdata.Measure(func() error {
			ok, err := c.UploadUserProtocol(context.Background(), "110101199003074477", "tax", []evidence.ProtocolFile{file})
			if err == nil && !ok {
				b.Fatal("result false")
			}
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
