package evidence_test

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bizapi-cn/go-sdk/internal/crypt"

	"github.com/bizapi-cn/go-sdk/evidence"
	"github.com/jarcoal/httpmock"
)

// FuzzParseNotification: any body and headers end in a verified
// notification or ErrInvalidSignature (or a decode error after
// verification); without the operator's key nothing is ever accepted.
func FuzzParseNotification(f *testing.F) {
	f.Add("C3AF574420D41A7CEE9C44FCFC84FE15D36D5C97A80111278B82CCEAFCDC7C96", "AAAA", []byte(`{"func":"daFailed","v":"2.0.0","data":{"daId":"x"}}`))
	f.Add("", "", []byte(`{"a":`))
	f.Fuzz(func(t *testing.T, hash, sig string, body []byte) {
		c := newClient(t, httpmock.NewMockTransport())
		n, err := parseWith(c, context.Background(), hash, sig, body)
		if err == nil {
			t.Fatalf("accepted a notification the operator did not sign: %+v", n)
		}
		if !errors.Is(err, evidence.ErrInvalidSignature) && err.Error() == "" {
			t.Fatal("empty error")
		}
	})
}

// FuzzParseVerified: with DECSHASH-only verification and a correct hash,
// every body reaches the decoder; whatever it returns prints safely (no
// panic in Error) and a verified notification has a kind and a key.
func FuzzParseVerified(f *testing.F) {
	f.Add([]byte(`{"func":"daFailed","v":"2.0.0","data":{"daId":"x","ext":{"childDaList":[{"daStatus":"10"}]}}}`))
	f.Add([]byte(`{"func":"daFailed","data":{"daStatus":"x1"}}`))
	f.Add([]byte(`{"func":"daFailed","data":{"daStatus":1e400,"authorizedTs":"1"}}`))
	v, err := evidence.NewNotificationVerifier(evidence.WithApp("IDAkEBvb", testAppKey), evidence.WithInsecureNotificationHashOnly())
	if err != nil {
		f.Fatal(err)
	}
	mac := func(b []byte) string {
		m := hmac.New(sha256.New, []byte(testAppKey))
		m.Write(b)
		m.Write([]byte(testAppKey))
		return strings.ToUpper(hex.EncodeToString(m.Sum(nil)))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		n, err := evidence.ParseNotification(context.Background(), v, http.Header{"Decshash": {mac(body)}}, body)
		if err != nil {
			_ = err.Error()
			_ = fmt.Sprintf("%v %+v", err, err)
			return
		}
		if n.Func == "" || !strings.HasPrefix(n.IdempotencyKey(), string(n.Func)+":") {
			t.Fatalf("verified notification without kind or key: %+v", n)
		}
		_ = fmt.Sprintf("%v %+v %s", n, *n, n.Data)
	})
}

// FuzzResponse: any answer body to a query and to a call with encrypted
// fields ends in a value or a typed error, never a panic; an accepted
// answer had errorCode 0.
func FuzzResponse(f *testing.F) {
	v := docs(f)
	key, _ := base64.StdEncoding.DecodeString(v.AESKey.AESKeyB64)
	ct, _ := crypt.AESECBEncrypt(key, []byte("https://cos.example/DA1_app-alipay-any_huabei.xml"))
	field := base64.StdEncoding.EncodeToString(ct)
	ct, _ = crypt.AESECBEncrypt(key, []byte(base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{1}, 32))))
	fileKey := base64.StdEncoding.EncodeToString(ct)
	f.Add(200, []byte(`{"errorCode":0,"errorMessage":"OK","data":{"daStatus":10,"daId":"DA1","authorizedTs":1,"ext":{"daSubStatus":81530}}}`))
	f.Add(200, []byte(`{"errorCode":0,"data":{"daId":"DA1","fileUrl":["`+field+`"],"ext":{"fileKey":"`+fileKey+`","pdfPassword":["`+field+`"],"dl":[{"dlResult":"1"}]}}}`))
	f.Add(200, []byte(`{"errorCode":0,"data":{"daId":"DA1","fileUrl":["`+field+`"],"ext":{"fileKey":"`+field+`","pdfPassword":[""]}}}`))
	f.Add(200, []byte(`{"errorCode":-43037,"errorMessage":"aes"}`))
	f.Add(502, []byte(`<html>`))
	f.Add(200, []byte(`{"errorCode":0,"data":{"fileUrl":["AAAA"],"ext":{"fileKey":"!!"}}}`))
	var mu sync.Mutex
	var status int
	var body []byte
	mt := httpmock.NewMockTransport()
	mt.RegisterResponder(http.MethodPost, base+"/api/das/update-aes-key", httpmock.NewStringResponder(200, `{"errorCode":0,"data":{"aeskey":"`+v.AESKey.EncryptedB64+`"}}`))
	mt.RegisterNoResponder(func(*http.Request) (*http.Response, error) {
		mu.Lock()
		defer mu.Unlock()
		return httpmock.NewBytesResponse(status, body), nil
	})
	c := newClient(f, mt, evidence.WithRetries(0))
	ctx := context.Background()
	f.Fuzz(func(t *testing.T, st int, b []byte) {
		if st < 100 || st > 599 {
			st = 200
		}
		mu.Lock()
		status, body = st, b
		mu.Unlock()
		s, err := c.GetStatus(ctx, &evidence.GetStatusRequest{DaID: "DA1"})
		if err == nil {
			_ = s.Final()
			_, _ = s.SubStatus()
			if !bytes.Contains(b, []byte("0")) {
				t.Fatalf("accepted %q without an errorCode 0", b)
			}
		}
		files, err := c.GetOriginalFiles(ctx, &evidence.GetOriginalFilesRequest{DaID: "DA1"})
		if err == nil {
			for _, f := range files.List(time.Time{}) {
				_ = f.Class()
			}
			for _, u := range files.FileURLs { // never garbage from a field that merely unpadded
				if !strings.HasPrefix(u, "http://") && !strings.HasPrefix(u, "https://") {
					t.Fatalf("accepted file URL %q", u)
				}
			}
			if files.FileKey != "" && len(files.FileKey) != 44 {
				t.Fatalf("accepted fileKey of %d characters", len(files.FileKey))
			}
		} else if files != nil {
			t.Fatalf("error %v with a value", err)
		} else if err != nil {
			_ = err.Error()
		}
		if _, err := c.GetParseResult(ctx, &evidence.GetParseResultRequest{DaID: "DA1"}); err != nil && err.Error() == "" {
			t.Fatal("empty error")
		}
	})
}

// FuzzUnzip: any archive is extracted inside the folder or refused; no
// file ever lands outside it, and the limits hold.
func FuzzUnzip(f *testing.F) {
	for _, entries := range []map[string]string{
		{"a/income1.json": `{"x":1}`, "b.pdf": "%PDF"},
		{"../evil": "x"},
		{"/abs": "x"},
		{"zeros": strings.Repeat("\x00", 1<<16)},
		{"a/../../b": "x", "ok": "y"},
	} {
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		for n, d := range entries {
			w, _ := zw.Create(n)
			_, _ = io.WriteString(w, d)
		}
		_ = zw.Close()
		f.Add(buf.Bytes())
	}
	f.Add([]byte("PK\x03\x04"))
	f.Fuzz(func(t *testing.T, archive []byte) {
		root := t.TempDir()
		src := filepath.Join(root, "in.zip")
		if err := os.WriteFile(src, archive, 0o600); err != nil {
			t.Fatal(err)
		}
		dir := filepath.Join(root, "out")
		lim := evidence.UnzipLimits{MaxEntries: 20, MaxTotalBytes: 1 << 20, MaxRatio: 100}
		files, _ := evidence.Unzip(src, dir, lim)
		var total int64
		for _, p := range files {
			if !strings.HasPrefix(p, dir+string(os.PathSeparator)) {
				t.Fatalf("extracted %s outside %s", p, dir)
			}
			if fi, err := os.Lstat(p); err == nil {
				total += fi.Size()
			}
		}
		if total > lim.MaxTotalBytes || len(files) > lim.MaxEntries {
			t.Fatalf("limits broken: %d files, %d bytes", len(files), total)
		}
		entries, _ := os.ReadDir(root)
		for _, e := range entries {
			if e.Name() != "in.zip" && e.Name() != "out" {
				t.Fatalf("wrote %s outside the target folder", e.Name())
			}
		}
	})
}

// FuzzParseRecon: any CSV ends in rows or an error that prints.
func FuzzParseRecon(f *testing.F) {
	f.Add([]byte("da_id,biz_no,da_status\nD1,B1,10\n"))
	f.Add([]byte("\ufeffda_id,\"a\nD1\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		rows, err := evidence.ParseRecon(bytes.NewReader(b))
		if err != nil {
			_ = err.Error()
			return
		}
		_ = fmt.Sprint(rows)
	})
}
