package diag

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"strings"
	"testing"

	"github.com/bizapi-cn/go-sdk/internal/sign"
)

func TestBodyCauses(t *testing.T) {
	h := sign.NewHMACSHA256([]byte("secret"))
	signed := []byte(`{"name":"Q","data":{"b":"x<y","a":"a+b"}}`)
	sig := h.Base64(signed)
	ok := func(m []byte, s string) bool { return h.VerifyBase64(m, s) == nil }
	cases := []struct {
		name string
		msg  []byte
		sig  string
		want string
	}{
		{"signature +", signed, strings.ReplaceAll(sig, "+", " "), CausePlusSpace},
		{"body +", []byte(strings.ReplaceAll(string(signed), "+", " ")), sig, CausePlusSpace},
		{"line ending", append(append([]byte(nil), signed...), '\n'), sig, CauseWhitespace},
		{"Go re-encoded", []byte(`{"name":"Q","data":{"b":"x\u003cy","a":"a+b"}}`), sig, CauseReencoded},
		{"Python re-encoded", []byte(`{"name": "Q", "data": {"b": "x<y", "a": "a+b"}}`), sig, CauseReencoded},
	}
	for _, c := range cases {
		if !strings.Contains(sig, "+") && c.name == "signature +" {
			continue // this signature has no '+' to damage
		}
		r := &Report{}
		Body(r, ok, nil, c.msg, c.sig, MaskAll)
		if !r.Has(c.want) {
			t.Errorf("%s: causes %v, want %s", c.name, r.Causes, c.want)
		}
	}
	r := &Report{}
	Body(r, ok, nil, []byte(`{"name":"R","data":{}}`), sig, MaskAll)
	if len(r.Causes) != 0 || !strings.Contains(r.String(), Unrecognised) {
		t.Errorf("another message: %v\n%s", r.Causes, r)
	}
}

func TestFormCauses(t *testing.T) {
	k, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}
	s, _ := sign.NewRSASigner(k)
	vals := map[string]string{"mchNo": "M1", "payTime": "2024-01-01 10:00:00", "goodsSubject": "a+b", "Zeta": "z", "empty": ""}
	ok := func(v map[string]string, sg string) bool { return RSAVerifies(&k.PublicKey, Canonical(v), sg) }
	sigOf := func(m []byte) string { b, _ := s.Sign(t.Context(), m); return b64(b) }
	order := []string{"mchNo", "payTime", "goodsSubject", "Zeta", "empty"}

	damaged := map[string]string{}
	for kk, v := range vals {
		damaged[kk] = v
	}
	damaged["goodsSubject"] = "a b"
	r := &Report{}
	sig := sigOf(Canonical(vals))
	Form(r, FieldSet{order, damaged}, sig, nil, ok, func(m []byte) bool { return RSAVerifies(&k.PublicKey, m, sig) })
	if !r.Has(CausePlusSpace) {
		t.Errorf("+ damage: %v", r.Causes)
	}

	ci := sigOf([]byte("goodsSubject=a+b&mchNo=M1&payTime=2024-01-01 10:00:00&Zeta=z"))
	r = &Report{}
	Form(r, FieldSet{order, vals}, ci, nil, ok, func(m []byte) bool { return RSAVerifies(&k.PublicKey, m, ci) })
	if !r.Has(CauseFieldOrder) {
		t.Errorf("keys sorted case-insensitively: %v", r.Causes)
	}

	r = &Report{}
	Form(r, FieldSet{[]string{"MchNo"}, map[string]string{"MchNo": "M1"}}, sig, []string{"mchNo"}, ok, func([]byte) bool { return false })
	if !r.Has(CauseFieldCase) {
		t.Errorf("field case: %v", r.Causes)
	}
}

func TestRoles(t *testing.T) {
	own, _ := rsa.GenerateKey(rand.Reader, 1024)
	plat, _ := rsa.GenerateKey(rand.Reader, 1024)
	s, _ := sign.NewRSASigner(plat)
	b, _ := s.Sign(t.Context(), []byte("m"))
	r := &Report{}
	Roles(r, RoleKeys{Given: &own.PublicKey, GivenAs: "the platform key", Own: &own.PublicKey}, []byte("m"), b64(b))
	if !r.Has(CauseReversedKey) {
		t.Errorf("own key given as the platform's: %v", r.Causes)
	}
	r = &Report{}
	Roles(r, RoleKeys{Given: &own.PublicKey, GivenAs: "x", Alt: &plat.PublicKey, AltAs: "alt"}, []byte("m"), b64(b))
	if !r.Has(CauseReversedKey) {
		t.Errorf("alt signed: %v", r.Causes)
	}
	r = &Report{}
	Roles(r, RoleKeys{Given: &plat.PublicKey, GivenAs: "x", Own: &own.PublicKey}, []byte("other"), b64(b))
	if len(r.Causes) != 0 {
		t.Errorf("nothing to recognise: %v", r.Causes)
	}
}

func TestMaskAll(t *testing.T) {
	got := MaskJSON([]byte(`{"name": "Q", "n": 12, "data": {"id_card": "110101199003074477", "ok": true}}`), MaskAll)
	for _, leak := range []string{`"Q"`, "12", "110101199003074477"} {
		if strings.Contains(got, leak) {
			t.Errorf("MaskAll kept %s: %s", leak, got)
		}
	}
	if !strings.Contains(got, `"name": `) || !strings.Contains(got, "true") {
		t.Errorf("MaskAll lost the shape: %s", got)
	}
	m := MaskForm(map[string]string{"mchNo": "M123"}, MaskAll)
	if m["mchNo"] != "****" {
		t.Errorf("MaskForm: %v", m)
	}
}

func b64(b []byte) string { return base64.StdEncoding.EncodeToString(b) }
