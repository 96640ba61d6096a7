package scancode

import (
	"context"
	"encoding/base64"
	"strings"
	"testing"

	"github.com/tjfoc/gmsm/sm2"

	"github.com/bizapi-cn/go-sdk/internal/diag"
	"github.com/bizapi-cn/go-sdk/internal/gm"
	"github.com/bizapi-cn/go-sdk/internal/testvectors"
)

// TestDiagnosisSM2Budget: without Diagnostics a failed callback costs the
// SM2 decryptions of the configured layouts and nothing more; with it, at
// most diag.MaxSM2Tries more.
func TestDiagnosisSM2Budget(t *testing.T) {
	t.Parallel()
	var v testvectors.Scancode
	if err := testvectors.Load("scancode_sm2_sm4.json", &v); err != nil {
		t.Fatal(err)
	}
	pem := testvectors.MustRead("keys/sm2_private.pem")
	encrypt := v.Messages[0].EncryptB64
	forged := base64.StdEncoding.EncodeToString(make([]byte, 97+16))
	plus := strings.ReplaceAll(v.DesKey.C1C3C2B64, "+", " ")
	cases := []struct {
		name   string
		enc    SM2Encoding
		desKey string
		base   int // SM2 decryptions without diagnostics
	}{
		{"forged, C1C3C2", SM2EncodingC1C3C2, forged, 1},
		{"forged, auto", SM2EncodingAuto, forged, 3},
		{"C1C2C3 for C1C3C2", SM2EncodingC1C3C2, v.DesKey.C1C2C3B64, 1},
		{"plus damage, auto", SM2EncodingAuto, plus, 0},
		{"plus damage, C1C2C3", SM2EncodingC1C2C3, plus, 0},
	}
	for _, c := range cases {
		for _, on := range []bool{false, true} {
			dd, err := NewDecrypter(DecrypterConfig{SM2PrivateKey: pem, SM2Encoding: c.enc, Diagnostics: on})
			if err != nil {
				t.Fatal(err)
			}
			d := dd.(*decrypter)
			calls := 0
			d.sm2 = func(priv *sm2.PrivateKey, ct []byte, enc gm.SM2Encoding) ([]byte, error) {
				calls++
				return gm.SM2Decrypt(priv, ct, enc)
			}
			if _, err := d.Decrypt(context.Background(), Envelope{Encrypt: encrypt, DesKey: c.desKey}); err == nil {
				t.Fatalf("%s: Decrypt = nil error", c.name)
			}
			switch {
			case !on && calls != c.base:
				t.Errorf("%s without Diagnostics: %d SM2 decryptions; want %d", c.name, calls, c.base)
			case on && (calls < c.base || calls > c.base+diag.MaxSM2Tries):
				t.Errorf("%s with Diagnostics: %d SM2 decryptions; want %d to %d", c.name, calls, c.base, c.base+diag.MaxSM2Tries)
			}
		}
	}
}

// TestCauseCodes: the exported codes are internal/diag's.
func TestCauseCodes(t *testing.T) {
	t.Parallel()
	for got, want := range map[CauseCode]string{
		CauseReencoded: diag.CauseReencoded, CausePlusSpace: diag.CausePlusSpace, CauseReversedKey: diag.CauseReversedKey,
		CauseFieldOrder: diag.CauseFieldOrder, CauseFieldCase: diag.CauseFieldCase, CauseEncoding: diag.CauseEncoding,
		CauseWhitespace: diag.CauseWhitespace, CauseFields: diag.CauseFields, CauseKey: diag.CauseKey, CauseTruncated: diag.CauseTruncated,
	} {
		if string(got) != want {
			t.Errorf("CauseCode %q; want %q", got, want)
		}
	}
}
