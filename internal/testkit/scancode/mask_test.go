package scancode_test

import (
	"bytes"
	"fmt"
	"log/slog"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/bizapi-cn/go-sdk/internal/testkit/masktest"
	"github.com/bizapi-cn/go-sdk/scancode"
)

// sensitive names the fields of this package that carry personal data
// (names, ID card and phone numbers, the personal transaction code),
// certificates, signatures, tokens, decrypted results, keys and
// ciphertexts, beyond masktest's default names.
var sensitive = regexp.MustCompile(`(?i)^(personname|telephonenum|managertelephonenum|idcard|legalidcard|legalrepresent|` +
	`personaltransactioncode|signorival|signaturevalue|signaturevaluelist|pubcert|encpubcert|accesstoken|pid|` +
	`key|decryptstr|sm2privatekey|sm4key|iv|deskey|encrypt|raw)$|` + masktest.Sensitive.String())

// masked lists a value of every exported type that needs masking.
var masked = []any{
	scancode.Callback{}, scancode.Envelope{}, scancode.DecrypterConfig{},
	scancode.ScanStatus{}, scancode.UserInfo{}, scancode.SealWithdrawal{}, scancode.EncryptionCert{},
	scancode.DecryptInfo{}, scancode.DecryptResult{}, scancode.SignCert{}, scancode.ExitContinuousSign{},
	scancode.SignatureValues{},
}

// TestMasking: no sensitive field prints in full through fmt or slog, as a
// value or a pointer, and no type with such a field escapes the check (in
// this package and in the fake).
func TestMasking(t *testing.T) {
	t.Parallel()
	masktest.Check(t, sensitive, masked...)
	masktest.Covered(t, filepath.Join("..", "..", "..", "scancode"), sensitive, masked...)
	masktest.Covered(t, filepath.Join("..", "..", "..", "scancode", "scancodetest"), sensitive, masked...)
}

// TestCallbackMasksItsPayload: a Callback prints its payload masked and
// its raw JSON as a length, every way a host might log it, %#v included.
func TestCallbackMasksItsPayload(t *testing.T) {
	t.Parallel()
	secrets := []string{"小五", "13900139000", "110101199003074477", "secret-token", "SIGNATURE-VALUE", "PUBLIC-CERT", "DECRYPTED-TEXT", "P-12345678-X"}
	payloads := []scancode.Payload{
		&scancode.UserInfo{TID: testTID, PersonName: "王小五", TelephoneNum: "13900139000", IDCard: "110101199003074477", AccessToken: "secret-token",
			SignatureValue: "SIGNATURE-VALUE", PubCert: "PUBLIC-CERT", PersonalTransactionCode: "P-12345678-X", LegalRepresent: "王小五", LegalIDCard: "110101199003074477"},
		&scancode.EncryptionCert{TID: testTID, TelephoneNum: "13900139000", EncPubCert: "PUBLIC-CERT", SignatureValue: "SIGNATURE-VALUE"},
		&scancode.DecryptResult{TID: testTID, DecryptInfoList: []scancode.DecryptInfo{{Key: "secret-token", DecryptStr: "DECRYPTED-TEXT"}}},
		&scancode.SignatureValues{TID: testTID, PubCert: "PUBLIC-CERT", SignatureValueList: scancode.SignatureValueList{"SIGNATURE-VALUE"}},
		&scancode.ExitContinuousSign{TID: testTID, PID: "王小五"},
		&scancode.SealWithdrawal{TID: testTID, SignatureValue: "SIGNATURE-VALUE", PubCert: "PUBLIC-CERT"},
		&scancode.SignCert{TID: testTID, PubCert: "PUBLIC-CERT"},
		&scancode.ScanStatus{TID: testTID, PersonalTransactionCode: "P-12345678-X"},
		nil,
	}
	for _, p := range payloads {
		c := scancode.Callback{Type: "02", PlatformCode: "M1100000034", Payload: p, Raw: []byte(`{"idCard":"110101199003074477","personName":"王小五"}`)}
		for how, out := range renderings(c) {
			for _, s := range secrets {
				if strings.Contains(out, s) {
					t.Errorf("%T through %s shows %q: %s", p, how, s, out)
				}
			}
			if !strings.Contains(out, testTID) && p != nil {
				t.Errorf("%T through %s lacks the tId: %s", p, how, out)
			}
		}
	}
	// A typed nil payload prints without a panic.
	c := scancode.Callback{Type: "02", Payload: (*scancode.UserInfo)(nil)}
	if s := fmt.Sprint(c); !strings.Contains(s, "type=02") {
		t.Errorf("typed nil payload: %s", s)
	}
}

// renderings prints v every way a host might: fmt verbs on the value and
// the pointer, and both slog handlers.
func renderings(v scancode.Callback) map[string]string {
	out := map[string]string{}
	for name, x := range map[string]any{"value": v, "pointer": &v} {
		for _, verb := range []string{"%v", "%+v", "%s", "%#v"} {
			out[name+" "+verb] = fmt.Sprintf(verb, x)
		}
		var text, js bytes.Buffer
		slog.New(slog.NewTextHandler(&text, nil)).Info("m", "cb", x)
		slog.New(slog.NewJSONHandler(&js, nil)).Info("m", "cb", x)
		out[name+" slog text"], out[name+" slog JSON"] = text.String(), js.String()
	}
	return out
}
