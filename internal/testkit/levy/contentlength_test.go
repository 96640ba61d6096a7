package levy_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"errors"
	"hash"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/bizapi-cn/go-sdk/levy"
)

// TestUploadsHaveContentLength (issue 17): uploads are sent with a
// Content-Length equal to the body, not chunked, with a custom signer too.
func TestUploadsHaveContentLength(t *testing.T) {
	t.Parallel()
	body := `{"name":"UPLOAD_TAXPAYER_AGREEMENT","code":"0","message":"ok","data":{"request_id":"U1","status":"ACCEPT","contract_id":"K1"}}`
	var gotLen, readLen int64
	var chunked bool
	var form url.Values
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gotLen, chunked = r.ContentLength, len(r.TransferEncoding) > 0
		raw, _ := io.ReadAll(r.Body)
		readLen = int64(len(raw))
		form, _ = url.ParseQuery(string(raw))
		w.Header().Set("Api-Sign", hmacB64(vectorSecret, body))
		_, _ = io.WriteString(w, body)
	}))
	defer srv.Close()
	pdf := make([]byte, 300<<10)
	copy(pdf, "%PDF-1.4\n")
	for i := 9; i < len(pdf); i++ {
		pdf[i] = byte(i * 7) // every byte value: escaping must be counted right
	}
	for name, opts := range map[string][]levy.Option{
		"hmac":          {levy.WithCredentials(vectorKey, vectorSecret)},
		"custom signer": {levy.WithClientKey(vectorKey), levy.WithSigner(kms{}), levy.WithVerifier(hmacVerifier{})},
		"stream signer": {levy.WithClientKey(vectorKey), levy.WithSigner(streamKMS{}), levy.WithVerifier(hmacVerifier{})},
	} {
		c, err := levy.NewClient(append(opts, levy.WithBaseURL(srv.URL))...)
		if err != nil {
			t.Fatal(err)
		}
		_, err = c.UploadTaxpayerAgreement(context.Background(), &levy.UploadTaxpayerAgreementRequest{
			RequestID: "U1", IDCard: "110101199003074477", Name: "张三", Cellphone: "13800138000", TaxAgentParentID: "12",
			ContractID: "K1", ContractType: levy.ContractTypeEmpower, File: levy.FileFromBytes("k.pdf", pdf)})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if chunked || gotLen <= 0 || gotLen != readLen {
			t.Errorf("%s: Content-Length %d, read %d, chunked %v; want the exact length", name, gotLen, readLen, chunked)
		}
		if name != "custom signer" && hmacB64(vectorSecret, form.Get("req")) != form.Get("sign") {
			t.Errorf("%s: sign is not the HMAC of the req sent", name)
		}
	}
}

// streamKMS signs with the vector secret through a hash, as a streaming
// KMS would; the fake checks the signature.
type streamKMS struct{}

func (streamKMS) Sign(_ context.Context, msg []byte) ([]byte, error) {
	m := hmac.New(sha256.New, []byte(vectorSecret))
	m.Write(msg)
	return m.Sum(nil), nil
}

func (streamKMS) NewHash(context.Context) (hash.Hash, error) {
	return hmac.New(sha256.New, []byte(vectorSecret)), nil
}

// hmacVerifier verifies with the vector secret, as a KMS would.
type hmacVerifier struct{}

func (hmacVerifier) Verify(_ context.Context, msg, sig []byte) error {
	if hmacB64(vectorSecret, string(msg)) != string(b64(sig)) {
		return levy.ErrInvalidSignature
	}
	return nil
}

// TestUploadRefusedBeforeSending: a file of the wrong type, or longer than
// its declared size allows, is refused in the first pass: nothing is sent.
func TestUploadRefusedBeforeSending(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t, fixedTime)
	req := func(f levy.File) *levy.UploadTaxpayerAgreementRequest {
		return &levy.UploadTaxpayerAgreementRequest{RequestID: "U1", IDCard: "110101199003074477", Name: "张三", Cellphone: "13800138000",
			TaxAgentParentID: "12", ContractID: "K1", ContractType: levy.ContractTypeEmpower, File: f}
	}
	if _, err := c.UploadTaxpayerAgreement(context.Background(), req(levy.FileFromBytes("k.pdf", []byte("GIF89a not a pdf")))); !errors.Is(err, levy.ErrFileType) || errors.Is(err, levy.ErrOutcomeUnknown) {
		t.Errorf("not a PDF: %v; want ErrFileType", err)
	}
	big := levy.File{Name: "k.pdf", Size: 0, Open: func() (io.ReadCloser, error) {
		return io.NopCloser(io.MultiReader(strings.NewReader("%PDF-1.4\n"), io.LimitReader(zeros{}, levy.MaxAgreementBytes))), nil
	}}
	if _, err := c.UploadTaxpayerAgreement(context.Background(), req(big)); !errors.Is(err, levy.ErrFileTooLarge) || errors.Is(err, levy.ErrOutcomeUnknown) {
		t.Errorf("over the limit, size unknown: %v; want ErrFileTooLarge", err)
	}
	if n := mt.GetTotalCallCount(); n != 0 {
		t.Errorf("%d requests sent; want 0", n)
	}
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) { clear(p); return len(p), nil }
