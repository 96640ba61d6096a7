package evidence_test

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/bizapi-cn/go-sdk/evidence"
	"github.com/bizapi-cn/go-sdk/evidence/evidencetest"
	"github.com/bizapi-cn/go-sdk/internal/testkit/benchdata"
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
		// A COS URL that signs the x-cos- names (the vectors' headers).
		u := srv.URL + "/DA1_tax_0.pdf?q-sign-algorithm=sha1&q-header-list=host%3Bx-cos-server-side-encryption-customer-key"
		n, err := c.Download(context.Background(), evidence.RemoteFile{URL: u, FileKey: fileKey}, io.Discard)
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

// BenchmarkForgedNotification: refusing a forged 1 MiB notification, next
// to the bare HMAC-SHA256 of the same bytes. The forger replays a genuine
// DECSHASH/DECSSIGN pair with 1 MiB of valid, token-dense JSON (the worst
// case: it passes the signature check, fails the raw HMAC and is put in
// canonical form before it fails again). Target: ≤ 20 ms per refusal
// (≥ 50 MB/s per core).
func BenchmarkForgedNotification(b *testing.B) {
	srv, err := evidencetest.NewServer()
	if err != nil {
		b.Fatal(err)
	}
	defer srv.Close()
	v, err := evidence.NewNotificationVerifier(evidence.WithApp(srv.AppID, srv.AppKey), evidence.WithNotifyPublicKey(srv.NotifyPublicKey))
	if err != nil {
		b.Fatal(err)
	}
	_, hash, sig := srv.Notification(evidence.FuncDaFailed, map[string]any{"daId": "DA1", "daStatus": 25})
	var junk bytes.Buffer
	junk.WriteString(`{"func":"daFailed","data":{"ext":[`)
	for junk.Len() < 1<<20-64 {
		junk.WriteString(`{"z":1,"b":"x","a":[0,1]},`)
	}
	junk.WriteString(`{}]}}`)
	body := junk.Bytes()
	hdr := http.Header{"Decshash": {hash}, "Decssign": {sig}}
	b.Run("bare-hmac", func(b *testing.B) {
		b.SetBytes(int64(len(body)))
		for b.Loop() {
			m := hmac.New(sha256.New, []byte(srv.AppKey))
			m.Write(body)
			m.Write([]byte(srv.AppKey))
			_ = m.Sum(nil)
		}
	})
	b.Run("refuse-replayed-signature", func(b *testing.B) {
		b.SetBytes(int64(len(body)))
		for b.Loop() {
			if _, err := evidence.ParseNotification(context.Background(), v, hdr, body); !errors.Is(err, evidence.ErrInvalidSignature) {
				b.Fatal(err)
			}
		}
	})
	bad := http.Header{"Decshash": {hash}, "Decssign": {"AAAA" + sig[4:]}}
	b.Run("refuse-bad-signature", func(b *testing.B) {
		b.SetBytes(int64(len(body)))
		for b.Loop() {
			if _, err := evidence.ParseNotification(context.Background(), v, bad, body); !errors.Is(err, evidence.ErrInvalidSignature) {
				b.Fatal(err)
			}
		}
	})
}
