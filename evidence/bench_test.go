package evidence_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/bizapi-cn/go-sdk/evidence"
	"github.com/bizapi-cn/go-sdk/internal/benchdata"
)

// BenchmarkDownloadMemory downloads a 200 MB file with SSE-C from a
// server that streams it, reporting the peak heap and resident set above
// the baseline over the file size (target ≤ 0.05: the file is never held).
func BenchmarkDownloadMemory(b *testing.B) {
	const size = 200 << 20
	srv, fileKey := ssecServer(b, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "209715200")
		_, _ = io.Copy(w, benchdata.PDF(size))
	})
	c := newClient(b, nil, evidence.WithHTTPClient(srv.Client()))
	benchdata.ReportPeak(b, size, func() error {
		n, err := c.Download(context.Background(), evidence.RemoteFile{URL: srv.URL + "/DA1_tax_0.pdf", FileKey: fileKey}, io.Discard)
		if err == nil && n != size {
			return fmt.Errorf("downloaded %d bytes", n)
		}
		return err
	})
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
	file := evidence.File{Name: "agreement.pdf", Size: size, Open: func() (io.ReadCloser, error) { return io.NopCloser(benchdata.PDF(size)), nil }}
	benchdata.ReportPeak(b, size, func() error {
		res, err := c.UploadUserProtocol(context.Background(), &evidence.UploadUserProtocolRequest{IDNo: "110101199003074477", Site: "tax", Files: []evidence.File{file}})
		if err == nil && !res.Result {
			return errors.New("result false")
		}
		return err
	})
}
