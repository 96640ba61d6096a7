package evidence_test

import (
	"net/http"
	"testing"

	"github.com/bizapi-cn/go-sdk/evidence"
	"github.com/bizapi-cn/go-sdk/internal/testvectors"
)

// TestDocsHashSample: the request body and DECSHASH for the docs' sample
// are the docs' bytes. (It reads the unexported body builder through
// export_test.go, so it stays in the module; the module's other tests are
// in internal/testkit/evidence.)
func TestDocsHashSample(t *testing.T) {
	t.Parallel()
	var v testvectors.DECSDocs
	if err := testvectors.Load("evidence_decs_docs.json", &v); err != nil {
		t.Fatal(err)
	}
	notify, err := testvectors.Read("keys/platform_rsa_public.pem")
	if err != nil {
		t.Fatal(err)
	}
	c, err := evidence.NewClient(evidence.WithApp("IDAkEBvb", v.DECSHash.AppKey), evidence.WithBaseURL("https://decs.example.invalid"),
		evidence.WithPrivateKey([]byte(v.AESKey.PrivateKeyPKCS8B64)), evidence.WithNotifyPublicKey(notify),
		evidence.WithHTTPClient(&http.Client{}), evidence.WithNonce(func() string { return "20rr7wbca98e8325f0fjd77yl130j6hi" }))
	if err != nil {
		t.Fatal(err)
	}
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
