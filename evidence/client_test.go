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
	"sync/atomic"
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

// TestDocsHashSample: the request body and DECSHASH for the docs' sample
// are the docs' bytes.
func TestDocsHashSample(t *testing.T) {
	t.Parallel()
	v := docs(t)
	c := newClient(t, httpmock.NewMockTransport(), evidence.WithNonce(func() string { return "20rr7wbca98e8325f0fjd77yl130j6hi" }))
	body, err := c.Body(map[string]string{"b": "xxx", "a": "xxx"})
	if err != nil {
		t.Fatal(err)
	}
	if string(body) != v.DECSHash.SortedJSON {
		t.Errorf("Body = %s; want %s", body, v.DECSHash.SortedJSON)
	}
	if got := c.DECSHash(body); got != v.DECSHash.DECSHash {
		t.Errorf("DECSHash = %s; want %s", got, v.DECSHash.DECSHash)
	}
}

// TestFieldKeyAndFiles: the docs' wrapped aesKey unwraps with the docs'
// private key; a second key (the docs' field sample) decrypts the sample
// ciphertext (as a PDF password) and the files' URL and fileKey; the key is
// fetched once and refreshed once on −43037.
func TestFieldKeyAndFiles(t *testing.T) {
	t.Parallel()
	v := docs(t)
	priv, err := keys.ParseRSAPrivateKey([]byte(v.AESKey.PrivateKeyPKCS8B64))
	if err != nil {
		t.Fatal(err)
	}
	fieldKey, _ := base64.StdEncoding.DecodeString(v.AESField.AESKeyB64)
	wrappedField, _ := rsa.EncryptPKCS1v15(rand.Reader, &priv.PublicKey, fieldKey)
	const fileURL = "https://cos.example/f/DA1-income1.pdf"
	fileKey := base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{7}, 32))
	encURL, encFileKey := aesField(t, fieldKey, fileURL), aesField(t, fieldKey, fileKey)
	mt := httpmock.NewMockTransport()
	var keyCalls, fileCalls atomic.Int64
	mt.RegisterResponder(http.MethodPost, base+"/api/das/update-aes-key", func(r *http.Request) (*http.Response, error) {
		if r.Header.Get("DECSHASH") == "" {
			t.Error("no DECSHASH header")
		}
		wrapped := v.AESKey.EncryptedB64 // first the docs' key, then the field sample's
		if keyCalls.Add(1) > 1 {
			wrapped = base64.StdEncoding.EncodeToString(wrappedField)
		}
		return httpmock.NewStringResponse(200, `{"errorCode":0,"errorMessage":"OK","data":{"aeskey":"`+wrapped+`"}}`), nil
	})
	mt.RegisterResponder(http.MethodPost, base+"/api/efp/get-original-files-x", func(r *http.Request) (*http.Response, error) {
		if fileCalls.Add(1) == 1 { // encrypted under a key the client does not have yet
			return httpmock.NewStringResponse(200, `{"errorCode":-43037,"errorMessage":"aes decrypt failed"}`), nil
		}
		return httpmock.NewStringResponse(200, `{"errorCode":0,"errorMessage":"OK","data":{"daId":"DA1","site":"tax","fileUrl":["`+encURL+`"],"ext":{"fileKey":"`+encFileKey+`","pdfPassword":["`+v.AESField.CiphertextB64+`"]}}}`), nil
	})
	c := newClient(t, mt)
	f, err := c.GetOriginalFiles(context.Background(), &evidence.GetOriginalFilesRequest{DaID: "DA1"})
	if err != nil {
		t.Fatal(err)
	}
	if len(f.FileURLs) != 1 || f.FileURLs[0] != fileURL || f.FileKey != fileKey || f.PDFPasswords[0] != v.AESField.Plaintext {
		t.Errorf("files = %+v; want the docs' plaintext as the password", f)
	}
	if keyCalls.Load() != 2 || fileCalls.Load() != 2 {
		t.Errorf("update-aes-key %d, get-original-files-x %d calls; want 2 and 2 (one refresh)", keyCalls.Load(), fileCalls.Load())
	}
}

// TestAnswerFieldsUnderAnotherKey: an answer whose encrypted fields do not
// open under the cached key (another process of the app fetched a new one,
// or the field is garbage) makes the client fetch the key once more and ask
// again; what still does not open is ErrFieldDecrypt naming the field, and
// never a garbage value: ECB unpads about one wrong-key field in 256, so the
// plaintext must also be UTF-8 and, for URLs and fileKeys, what the field is.
func TestAnswerFieldsUnderAnotherKey(t *testing.T) {
	t.Parallel()
	v := docs(t)
	key, enc := docsFieldKey(t) // the key update-aes-key hands out
	other := bytes.Repeat([]byte{9}, 16)
	goodURL, goodKey := enc("https://cos.example/f/a.pdf"), enc(base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{1}, 32)))
	// What a wrong-key field that happens to unpad looks like: one block
	// that opens under key to bytes that are not UTF-8, ending in 0x01.
	unpadsToGarbage := func() string {
		b, _ := crypt.NewAES(key)
		pt := []byte("\xff\xfe\xfd garbage pad\x01")
		ct := make([]byte, len(pt))
		b.Encrypt(ct, pt)
		return base64.StdEncoding.EncodeToString(ct)
	}()
	cases := []struct {
		name      string
		first     string // the fileUrl, ext.fileKey, ext.pdfPassword of the first answer
		second    string // and of the second, after the refresh; "" = same as first
		field     string // named in the error; "" = success
		wantCalls int64  // get-original-files-x requests
	}{
		{"other key, then the fetched key", aesField(t, other, "https://cos.example/f/a.pdf") + "|" + goodKey + "|", goodURL + "|" + goodKey + "|", "", 2},
		{"fileUrl never opens", aesField(t, other, "https://cos.example/f/a.pdf") + "|" + goodKey + "|", "", "fileUrl", 2},
		{"fileUrl opens to text that is no URL", enc("this is test string") + "||", "", "fileUrl", 2},
		{"fileUrl is not base64", "%%%||", "", "fileUrl", 2},
		{"pdfPassword not UTF-8", goodURL + "|" + goodKey + "|" + unpadsToGarbage, "", "ext.pdfPassword", 2},
		{"fileKey not 32 bytes", goodURL + "|" + enc("c2hvcnQ=") + "|", "", "ext.fileKey", 2},
		{"fileKey from another key", goodURL + "|" + aesField(t, other, base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{1}, 32))) + "|", "", "ext.fileKey", 2},
	}
	answer := func(fields string) string {
		f := strings.Split(fields, "|")
		return `{"errorCode":0,"data":{"daId":"DA1","fileUrl":["` + f[0] + `"],"ext":{"fileKey":"` + f[1] + `","pdfPassword":["` + f[2] + `"]}}}` // "" = no password
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			mt := httpmock.NewMockTransport()
			var keyCalls, fileCalls atomic.Int64
			mt.RegisterResponder(http.MethodPost, base+"/api/das/update-aes-key", func(*http.Request) (*http.Response, error) {
				keyCalls.Add(1)
				return httpmock.NewStringResponse(200, `{"errorCode":0,"data":{"aeskey":"`+v.AESKey.EncryptedB64+`"}}`), nil
			})
			mt.RegisterResponder(http.MethodPost, base+"/api/efp/get-original-files-x", func(*http.Request) (*http.Response, error) {
				if fileCalls.Add(1) > 1 && tc.second != "" {
					return httpmock.NewStringResponse(200, answer(tc.second)), nil
				}
				return httpmock.NewStringResponse(200, answer(tc.first)), nil
			})
			f, err := newClient(t, mt).GetOriginalFiles(context.Background(), &evidence.GetOriginalFilesRequest{DaID: "DA1"})
			switch {
			case tc.field == "" && (err != nil || f.FileURLs[0] != "https://cos.example/f/a.pdf" || len(f.FileKey) != 44 || f.PDFPasswords[0] != ""):
				t.Errorf("GetOriginalFiles = %+v, %v; want the second answer", f, err)
			case tc.field != "" && (!errors.Is(err, evidence.ErrFieldDecrypt) || !strings.Contains(err.Error(), ": "+tc.field+": ") || f != nil):
				t.Errorf("GetOriginalFiles = %+v, %v; want ErrFieldDecrypt naming %s", f, err, tc.field)
			}
			if keyCalls.Load() != 2 || fileCalls.Load() != tc.wantCalls {
				t.Errorf("update-aes-key %d, get-original-files-x %d requests; want 2 and %d (one refresh)", keyCalls.Load(), fileCalls.Load(), tc.wantCalls)
			}
		})
	}
}

func TestStartSignsEntryURL(t *testing.T) {
	t.Parallel()
	v := docs(t)
	mt := httpmock.NewMockTransport()
	mt.RegisterResponder(http.MethodPost, base+"/api/das/update-aes-key", httpmock.NewStringResponder(200, `{"errorCode":0,"data":{"aeskey":"`+v.AESKey.EncryptedB64+`"}}`))
	var arg map[string]any
	mt.RegisterResponder(http.MethodPost, base+"/api/das/start-vdi-x", func(r *http.Request) (*http.Response, error) {
		var body struct {
			Arg map[string]any `json:"arg"`
		}
		_ = json.NewDecoder(r.Body).Decode(&body)
		arg = body.Arg
		return httpmock.NewStringResponse(200, `{"errorCode":0,"data":{"daId":"DA9","redirectUrl":"https://h5.example/entry?daId=DA9"}}`), nil
	})
	c := newClient(t, mt)
	out, err := c.StartAcquisition(context.Background(), fill(&evidence.StartAcquisitionRequest{Site: "tax", BizNo: "B1", OpenID: "user-1", IDNo: "110101199003074477"}))
	if err != nil {
		t.Fatal(err)
	}
	if arg["openId"] == "user-1" || arg["idNo"] == "110101199003074477" || arg["bizScenario"] != "general" {
		t.Errorf("arg sent = %v; want openId and idNo encrypted", arg)
	}
	i := strings.Index(out.RedirectURL, "&sign=")
	if i < 0 {
		t.Fatalf("RedirectURL = %s; want a sign", out.RedirectURL)
	}
	priv, _ := keys.ParseRSAPrivateKey([]byte(v.AESKey.PrivateKeyPKCS8B64))
	// The docs' H5 example appends the base64 signature as is (+ / = kept).
	sig, err := base64.StdEncoding.DecodeString(out.RedirectURL[i+6:])
	if err != nil {
		t.Errorf("sign is not raw base64: %s", out.RedirectURL[i+6:])
	}
	sum := sha256.Sum256([]byte(out.RedirectURL[:i]))
	if err := rsa.VerifyPKCS1v15(&priv.PublicKey, crypto.SHA256, sum[:], sig); err != nil {
		t.Errorf("entry URL sign does not verify: %v", err)
	}
	if _, err := c.StartAcquisition(context.Background(), &evidence.StartAcquisitionRequest{}); !errors.As(err, new(*evidence.ValidationError)) {
		t.Errorf("empty request: %v", err)
	}
}

// TestNotification: a notification signed as the operator does verifies;
// tampered body, wrong hash and a signature over another hash do not.
func TestNotification(t *testing.T) {
	t.Parallel()
	c := newClient(t, httpmock.NewMockTransport())
	pp, _ := testvectors.Read("keys/platform_rsa_private_pkcs1.pem")
	opKey, _ := keys.ParseRSAPrivateKey(pp)
	body := []byte(`{"func":"daFileParsed","v":"2.0.0","auth":{"nonce":"n1"},"data":{"daId":"DA1","bizNo":"B1","site":"tax","daStatus":10,"authorizedTs":1700000000000,"fileUrlList":["https://cos/x.pdf"],"ext":{"fileKey":"MDEyMzQ1Njc4OUFCQ0RFRjAxMjM0NTY3ODlBQkNERUY="}}}`)
	hash := c.DECSHash(mustSorted(t, body))
	sum := sha256.Sum256([]byte(hash))
	sigB, _ := rsa.SignPKCS1v15(rand.Reader, opKey, crypto.SHA256, sum[:])
	sig := base64.StdEncoding.EncodeToString(sigB)
	n, err := c.ParseNotification(context.Background(), hash, sig, body)
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
		if _, err := c.ParseNotification(context.Background(), c2[0], c2[1], []byte(c2[2])); !errors.Is(err, evidence.ErrInvalidSignature) {
			t.Errorf("%s: %v; want ErrInvalidSignature", name, err)
		}
	}
	calls := 0
	h := c.NotificationHandler(func(context.Context, *evidence.Notification) error { calls++; return nil }, evidence.NewMemoryDedupStore(0))
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
