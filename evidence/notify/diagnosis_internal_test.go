package notify

import (
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"net/http"
	"testing"

	"github.com/bizapi-cn/go-sdk/evidence/internal/decs"
	"github.com/bizapi-cn/go-sdk/internal/diag"
	"github.com/bizapi-cn/go-sdk/internal/sign"
)

// TestDiagnosisBoundedWork: without WithDiagnostics a failed notification
// costs the checks it always did (one RSA verification per notify key, at
// most two MACs) and no variant; with it, a fixed number more.
func TestDiagnosisBoundedWork(t *testing.T) { //nolint:paralleltest // swaps the package's counted check functions
	var rsaCalls, macCalls int
	rsaVerify = func(pub *rsa.PublicKey, h crypto.Hash, sum, sig []byte) error {
		rsaCalls++
		return rsa.VerifyPKCS1v15(pub, h, sum, sig)
	}
	notifyHash = func(mac *sign.HMAC, appKey string, sorted []byte) string {
		macCalls++
		return decs.Hash(mac, appKey, sorted)
	}
	t.Cleanup(func() { rsaVerify, notifyHash = rsa.VerifyPKCS1v15, decs.Hash })
	op, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	der, _ := x509.MarshalPKIXPublicKey(&op.PublicKey)
	pub := pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
	const appID, appKey = "IDAkEBvb", "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
	body := []byte(`{"auth":{"nonce":"n1"},"data":{"daId":"DA1","daStatus":10},"func":"daFileParsed","v":"2.0.0"}`)
	hash := sign.NewHMACSHA256([]byte(appKey)).UpperHex(append(append([]byte(nil), body...), appKey...))
	sum := sha256.Sum256([]byte(hash))
	raw, _ := rsa.SignPKCS1v15(rand.Reader, op, crypto.SHA256, sum[:])
	sig := base64.StdEncoding.EncodeToString(raw)
	badSig := http.Header{"Decshash": {hash}, "Decssign": {sig[:len(sig)-4] + "AAA="}}
	badBody := append([]byte(nil), body...)
	badBody[len(badBody)-3] = 'X'
	good := http.Header{"Decshash": {hash}, "Decssign": {sig}}
	for _, diagnose := range []bool{false, true} {
		opts := []Option{WithApp(appID, appKey), WithNotifyPublicKey(pub)}
		if diagnose {
			opts = append(opts, WithDiagnostics())
		}
		v, err := NewVerifier(opts...)
		if err != nil {
			t.Fatal(err)
		}
		rsaCalls, macCalls = 0, 0
		if _, err := Parse(context.Background(), v, good, body); err != nil {
			t.Fatalf("the good notification: %v", err)
		}
		rsaCalls, macCalls = 0, 0
		if _, err := Parse(context.Background(), v, badSig, body); err == nil {
			t.Fatal("a bad DECSSIGN verified")
		}
		if !diagnose && (rsaCalls != 1 || macCalls != 0) {
			t.Errorf("bad DECSSIGN without diagnostics: %d RSA verifications, %d MACs; want 1, 0", rsaCalls, macCalls)
		}
		if diagnose && (rsaCalls <= 1 || rsaCalls > 8) {
			t.Errorf("bad DECSSIGN with diagnostics: %d RSA verifications; want 2..8", rsaCalls)
		}
		rsaCalls, macCalls = 0, 0
		if _, err := Parse(context.Background(), v, good, badBody); err == nil {
			t.Fatal("a changed body verified")
		}
		if !diagnose && (rsaCalls != 1 || macCalls != 2) {
			t.Errorf("bad DECSHASH without diagnostics: %d RSA verifications, %d MACs; want 1, 2", rsaCalls, macCalls)
		}
		if diagnose && (macCalls <= 2 || macCalls > 16) {
			t.Errorf("bad DECSHASH with diagnostics: %d MACs; want 3..16", macCalls)
		}
	}
}

// TestCauseCodes: the public codes are internal/diag's, which the SDK's
// diagnoses carry over as they are.
func TestCauseCodes(t *testing.T) {
	t.Parallel()
	for got, want := range map[CauseCode]string{CauseReencoded: diag.CauseReencoded, CausePlusSpace: diag.CausePlusSpace,
		CauseReversedKey: diag.CauseReversedKey, CauseFieldOrder: diag.CauseFieldOrder, CauseFieldCase: diag.CauseFieldCase,
		CauseEncoding: diag.CauseEncoding, CauseWhitespace: diag.CauseWhitespace, CauseFields: diag.CauseFields,
		CauseKey: diag.CauseKey, CauseTruncated: diag.CauseTruncated} {
		if string(got) != want {
			t.Errorf("CauseCode %q; internal/diag has %q", got, want)
		}
	}
}
