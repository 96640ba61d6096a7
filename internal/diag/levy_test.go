package diag

import (
	"encoding/hex"
	"encoding/json"
	"testing"

	"github.com/bizapi-cn/go-sdk/internal/sign"
)

func TestLevyEnvelope(t *testing.T) {
	h := sign.NewHMACSHA256([]byte("secret"))
	ok := func(m []byte, s string) bool { return h.VerifyBase64(m, s) == nil }
	signed := []byte(`{"name": "Q", "code": "0", "message": "成功", "data": {"a": "x<y", "b": 1}}`)
	sig := h.Base64(signed)
	var m map[string]any
	if err := json.Unmarshal(signed, &m); err != nil {
		t.Fatal(err)
	}
	sorted, _ := json.Marshal(m) // a framework's map: keys sorted, < escaped
	r := &Report{}
	Body(r, ok, nil, sorted, sig, MaskAll)
	if r.Has(CauseReencoded) {
		t.Fatalf("Body alone recovered the order: %v", r.Causes)
	}
	r = &Report{}
	if !LevyEnvelope(r, ok, sorted, sig, LevyAnswerOrder) || !r.Has(CauseReencoded) || !r.Has(CauseFieldOrder) {
		t.Errorf("sorted envelope: %v", r.Causes)
	}
	r = &Report{}
	if LevyEnvelope(r, ok, signed, sig, LevyAnswerOrder) {
		t.Error("an envelope already in the spec's order: recognised")
	}
	r = &Report{}
	if LevyEnvelope(r, ok, sorted, h.Base64([]byte("other")), LevyAnswerOrder) || len(r.Causes) != 0 || len(r.Tried) != 1 {
		t.Errorf("another message: %v %v", r.Causes, r.Tried)
	}
}

func TestLevyDecodedForm(t *testing.T) {
	req, sig, ok := LevyDecodedForm([]byte(`req={"a":"x & y=1"}&sign=ab c=`))
	if !ok || string(req) != `{"a":"x & y=1"}` || sig != "ab c=" {
		t.Errorf("decoded form = %q, %q, %v", req, sig, ok)
	}
	for _, b := range []string{"req=%7B%7D&sign=x", `{"a":1}`, `req={}`} {
		if _, _, ok := LevyDecodedForm([]byte(b)); ok {
			t.Errorf("LevyDecodedForm(%q) = true", b)
		}
	}
}

func TestHexSignature(t *testing.T) {
	sum := sign.NewHMACSHA256([]byte("k")).Sum([]byte("m"))
	if b, ok := HexSignature(hex.EncodeToString(sum), 32); !ok || string(b) != string(sum) {
		t.Error("hex signature not read")
	}
	for _, s := range []string{"", "zz", hex.EncodeToString(sum)[:62] + "zz"} {
		if _, ok := HexSignature(s, 32); ok {
			t.Errorf("HexSignature(%q) = true", s)
		}
	}
}
