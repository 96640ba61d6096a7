package evidence_test

import (
	"bytes"
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/bizapi-cn/go-sdk/evidence"
	"github.com/bizapi-cn/go-sdk/internal/crypt"
	"github.com/bizapi-cn/go-sdk/internal/keys"
	"github.com/bizapi-cn/go-sdk/internal/testvectors"
	"github.com/jarcoal/httpmock"
)

const base = "https://decs.example.invalid"

func docs(t testing.TB) testvectors.DECSDocs {
	t.Helper()
	var v testvectors.DECSDocs
	if err := testvectors.Load("evidence_decs_docs.json", &v); err != nil {
		t.Fatal(err)
	}
	return v
}

func newClient(t testing.TB, mt *httpmock.MockTransport, opts ...evidence.Option) *evidence.Client {
	t.Helper()
	v := docs(t)
	notify, _ := testvectors.Read("keys/platform_rsa_public.pem")
	all := append([]evidence.Option{evidence.WithApp("IDAkEBvb", v.DECSHash.AppKey), evidence.WithBaseURL(base),
		evidence.WithPrivateKey([]byte(v.AESKey.PrivateKeyPKCS8B64)), evidence.WithNotifyPublicKey(notify),
		evidence.WithHTTPClient(&http.Client{Transport: mt})}, opts...)
	c, err := evidence.NewClient(all...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestNotification: a notification signed as the operator does verifies;
// tampered body, wrong hash and a signature over another hash do not.
func TestNotification(t *testing.T) {
	t.Parallel()
	c := newClient(t, httpmock.NewMockTransport())
	pp, _ := testvectors.Read("keys/platform_rsa_private_pkcs1.pem")
	opKey, _ := keys.ParseRSAPrivateKey(pp)
	body := []byte(`{"func":"daFileParsed","v":"2.0.0","auth":{"nonce":"n1"},"data":{"daId":"DA1","bizNo":"B1","site":"tax","daStatus":10,"authorizedTs":1700000000000,"fileUrlList":["https://cos/x.pdf"],"ext":{"fileKey":"MDEyMzQ1Njc4OUFCQ0RFRjAxMjM0NTY3ODlBQkNERUY="}}}`)
	hash := docsHash(docs(t).DECSHash.AppKey, mustSorted(t, body))
	sum := sha256.Sum256([]byte(hash))
	sigB, _ := rsa.SignPKCS1v15(rand.Reader, opKey, crypto.SHA256, sum[:])
	sig := base64.StdEncoding.EncodeToString(sigB)
	n, err := parseWith(c, context.Background(), hash, sig, body)
	if err != nil || n.Func != "daFileParsed" || n.Data.DaStatus != 10 || len(n.Data.FileURLList) != 1 {
		t.Fatalf("ParseNotification = %+v, %v", n, err)
	}
	tampered := bytes.Replace(body, []byte(`"daStatus":10`), []byte(`"daStatus":11`), 1)
	otherSum := sha256.Sum256([]byte(strings.Repeat("A", 64)))
	otherSig, _ := rsa.SignPKCS1v15(rand.Reader, opKey, crypto.SHA256, otherSum[:])
	for name, c2 := range map[string][3]string{
		"tampered body": {hash, sig, string(tampered)},
		"wrong hash":    {strings.Repeat("0", 64), sig, string(body)},
		"other sig":     {hash, base64.StdEncoding.EncodeToString(otherSig), string(body)},
		"no sig":        {hash, "", string(body)},
	} {
		if _, err := parseWith(c, context.Background(), c2[0], c2[1], []byte(c2[2])); !errors.Is(err, evidence.ErrInvalidSignature) {
			t.Errorf("%s: %v; want ErrInvalidSignature", name, err)
		}
	}
	calls := 0
	h := notificationHandler(t, c, func(context.Context, *evidence.Notification) error { calls++; return nil }, newMemoryDedup(t))
	for range 2 {
		rec := httptest.NewRecorder()
		req := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(body))
		req.Header.Set("DECSHASH", hash)
		req.Header.Set("DECSSIGN", sig)
		h.ServeHTTP(rec, req)
		if rec.Body.String() != `{"errorCode":0,"errorMessage":"OK"}` {
			t.Errorf("answer = %s", rec.Body.String())
		}
	}
	if calls != 1 {
		t.Errorf("handled %d times; want 1", calls)
	}
}

func mustSorted(t *testing.T, b []byte) []byte {
	t.Helper()
	var v any
	_ = json.Unmarshal(b, &v)
	out, err := json.Marshal(v) // encoding/json sorts map keys; no HTML or control characters here
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// docsFieldKey is the AES field key of the docs' sample and an encrypter
// of answer fields under it.
func docsFieldKey(t testing.TB) ([]byte, func(string) string) {
	t.Helper()
	key, err := base64.StdEncoding.DecodeString(docs(t).AESKey.AESKeyB64)
	if err != nil {
		t.Fatal(err)
	}
	return key, func(s string) string { return aesField(t, key, s) }
}

// aesField encrypts an answer field under key as the provider does.
func aesField(t testing.TB, key []byte, s string) string {
	t.Helper()
	ct, err := crypt.AESECBEncrypt(key, []byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return base64.StdEncoding.EncodeToString(ct)
}

// ssecServer is a COS stand-in that answers 400 to a request without the
// SSE-C headers of the vectors' fileKey (returned), and serves the rest
// with next. It is closed when the test ends.
func ssecServer(t testing.TB, next http.HandlerFunc) (*httptest.Server, string) {
	t.Helper()
	var vv testvectors.OAEPSSEC
	if err := testvectors.Load("evidence_oaep_ssec.json", &vv); err != nil {
		t.Fatal(err)
	}
	vec := vv.SSEC[1]
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for name, want := range vec.Headers {
			if r.Header.Get(name) != want {
				w.WriteHeader(http.StatusBadRequest)
				return
			}
		}
		next(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv, vec.FileKey
}

// TestDownload: the SSE-C headers of the vectors are sent, the body is
// streamed, 403 and 400 are typed.
func TestDownload(t *testing.T) {
	t.Parallel()
	srv, fileKey := ssecServer(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/expired":
			w.WriteHeader(http.StatusForbidden)
			return
		case "/short":
			w.Header().Set("Content-Length", "1000")
			_, _ = w.Write([]byte("only part"))
			return
		}
		_, _ = io.Copy(w, io.LimitReader(zeros{}, 1<<20))
	})
	now := time.Date(2024, 5, 20, 10, 0, 0, 0, time.UTC)
	c := newClient(t, httpmock.NewMockTransport(), evidence.WithHTTPClient(srv.Client()), evidence.WithClock(func() time.Time { return now }))
	ctx := context.Background()
	file := func(p, key string) evidence.RemoteFile {
		// A COS URL that signs the x-cos- names (the vectors' headers).
		return evidence.RemoteFile{URL: srv.URL + p + "?q-sign-algorithm=sha1&q-header-list=host%3Bx-cos-server-side-encryption-customer-key", FileKey: key, Authorized: now.Add(-9 * 24 * time.Hour)}
	}
	var buf bytes.Buffer
	n, err := c.Download(ctx, file("/f.pdf", fileKey), &buf)
	if err != nil || n != 1<<20 || buf.Len() != 1<<20 {
		t.Fatalf("Download = %d, %v", n, err)
	}
	if _, err := c.Download(ctx, file("/expired", fileKey), io.Discard); !errors.Is(err, evidence.ErrLinkExpired) {
		t.Errorf("403: %v", err)
	}
	if _, err := c.Download(ctx, file("/f.pdf", base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{7}, 32))), io.Discard); !errors.Is(err, evidence.ErrBadFileKey) {
		t.Errorf("400: %v", err)
	}
	if _, err := c.Download(ctx, file("/short", fileKey), io.Discard); !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("short body: %v; want io.ErrUnexpectedEOF", err)
	}
	old := file("/f.pdf", fileKey)
	old.Authorized = now.Add(-evidence.Retention - time.Minute)
	if _, err := c.Download(ctx, old, io.Discard); !errors.Is(err, evidence.ErrRetentionExpired) {
		t.Errorf("11-day-old file: %v; want ErrRetentionExpired", err)
	}
	if _, err := c.Download(ctx, evidence.RemoteFile{URL: "relative/x", FileKey: fileKey}, io.Discard); err == nil {
		t.Error("relative URL accepted")
	}
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) { clear(p); return len(p), nil }

// TestStartRequestExt: child sites are checked against the catalogue
// before anything is sent; typed ext members are merged over Ext.
func TestStartRequestExt(t *testing.T) {
	t.Parallel()
	bad := fill(&evidence.StartAcquisitionRequest{Site: evidence.SiteAlipayData, BizNo: "B1", OpenID: "u", TmriValidDays: -1,
		ChildSites: []evidence.ChildSite{evidence.ChildSiteSesameCredit, evidence.ChildSiteHuabei}})
	var ve *evidence.ValidationError
	if err := bad.Validate(); !errors.As(err, &ve) || len(ve.Fields) != 2 || ve.Fields[0].Field != "ext.childSites[1]" || ve.Fields[1].Field != "ext.tmriValidDays" {
		t.Errorf("Validate = %v; want ext.childSites[1] (huabei is not a child of app-alipaydata-any) and ext.tmriValidDays", err)
	}
	unknown := fill(&evidence.StartAcquisitionRequest{Site: "a-new-site", BizNo: "B1", OpenID: "u", ChildSites: []evidence.ChildSite{"a-new-child"}})
	if err := unknown.Validate(); err != nil {
		t.Errorf("a site the catalogue does not list yet: %v; want it sent as is", err)
	}
	v := docs(t)
	mt := httpmock.NewMockTransport()
	mt.RegisterResponder(http.MethodPost, base+"/api/das/update-aes-key", httpmock.NewStringResponder(200, `{"errorCode":0,"data":{"aeskey":"`+v.AESKey.EncryptedB64+`"}}`))
	var ext map[string]any
	mt.RegisterResponder(http.MethodPost, base+"/api/das/start-vdi-x", func(r *http.Request) (*http.Response, error) {
		var body struct {
			Arg struct {
				Ext map[string]any `json:"ext"`
			} `json:"arg"`
		}
		_ = json.NewDecoder(r.Body).Decode(&body)
		ext = body.Arg.Ext
		return httpmock.NewStringResponse(200, `{"errorCode":0,"data":{"daId":"DA1","redirectUrl":"https://h5.example/e?d=1"}}`), nil
	})
	c := newClient(t, mt)
	_, err := c.StartAcquisition(context.Background(), fill(&evidence.StartAcquisitionRequest{Site: evidence.SiteTraffic12123, BizNo: "B1", OpenID: "u",
		ChildSites: []evidence.ChildSite{evidence.ChildSiteDriverLicense}, TmriValidDays: 30, CompanyFullName: "某某有限公司",
		Ext: map[string]any{"attach": "overridden", "custom": 1}, Attach: "typed"}))
	if err != nil {
		t.Fatal(err)
	}
	if ext["attach"] != "typed" || ext["custom"] != float64(1) || ext["tmriValidDays"] != float64(30) || ext["companyFullName"] != "某某有限公司" ||
		len(ext["childSites"].([]any)) != 1 || ext["childSites"].([]any)[0] != "app-tmri-jsz" {
		t.Errorf("ext sent = %v", ext)
	}
}
