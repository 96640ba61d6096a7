package diag

import (
	"crypto/rand"
	"crypto/rsa"
	"strings"
	"testing"

	"github.com/bizapi-cn/go-sdk/internal/sign"
)

// TestSignedForm: the signature's '+' damage, a given key that is one's
// own, a form signed with one's own key, and Form's causes behind them.
func TestSignedForm(t *testing.T) {
	plat, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}
	own, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}
	vals := map[string]string{"mchNo": "M1", "payTime": "20240101100000"}
	sigBy := func(k *rsa.PrivateKey) string {
		s, _ := sign.NewRSASigner(k)
		b, _ := s.Sign(t.Context(), Canonical(vals))
		return b64(b)
	}
	okWith := func(pub *rsa.PublicKey) Verify {
		return func(m []byte, s string) bool { return RSAVerifies(pub, m, s) }
	}
	f := FieldSet{Order: []string{"mchNo", "payTime"}, Vals: vals}
	sig := sigBy(plat)
	for !strings.Contains(sig, "+") { // a signature with a '+' to damage
		plat, _ = rsa.GenerateKey(rand.Reader, 1024)
		sig = sigBy(plat)
	}
	keys := FormKeys{Given: []*rsa.PublicKey{&plat.PublicKey}, GivenAs: "platform", Own: &own.PublicKey, OwnAs: "own"}
	cases := []struct {
		name string
		sig  string
		k    FormKeys
		ok   Verify
		want string
	}{
		{"signature +", strings.ReplaceAll(sig, "+", " "), keys, okWith(&plat.PublicKey), CausePlusSpace},
		{"own key given", sig, FormKeys{Given: []*rsa.PublicKey{&plat.PublicKey, &own.PublicKey}, GivenAs: "platform", Own: &own.PublicKey, OwnAs: "own"}, okWith(&own.PublicKey), CauseReversedKey},
		{"signed with own", sigBy(own), keys, okWith(&plat.PublicKey), CauseReversedKey},
	}
	for _, c := range cases {
		r := &Report{}
		SignedForm(r, f, c.sig, nil, c.k, c.ok)
		if !r.Has(c.want) || len(r.Keys) == 0 {
			t.Errorf("%s: %v; want %s", c.name, r.Causes, c.want)
		}
	}
	r := &Report{}
	SignedForm(r, f, sig, nil, FormKeys{Given: keys.Given}, okWith(&own.PublicKey))
	if len(r.Causes) != 0 {
		t.Errorf("another key, nothing else known: %v", r.Causes)
	}
}
