package scancode_test

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/url"
	"strings"
	"testing"

	"github.com/bizapi-cn/go-sdk/internal/testkit/masktest"
	"github.com/bizapi-cn/go-sdk/internal/testvectors"
	"github.com/bizapi-cn/go-sdk/scancode"
	"github.com/bizapi-cn/go-sdk/scancode/scancodetest"
	"github.com/tjfoc/gmsm/sm2"
)

// diagCase is one damaged callback: a form body and the decrypter config
// it is parsed with (Diagnostics is set by the test).
type diagCase struct {
	name string
	cfg  scancode.DecrypterConfig
	body []byte
	want scancode.CauseCode
	text string // a word the cause's text must hold
}

// vectorMessage returns the vector message of type typ in mode.
func vectorMessage(t *testing.T, v testvectors.Scancode, typ, mode string) (encrypt string, iv []byte) {
	t.Helper()
	for _, m := range v.Messages {
		if m.Type == typ && m.Mode == mode {
			if m.IVHex != "" {
				iv = mustHex(t, m.IVHex)
			}
			return m.EncryptB64, iv
		}
	}
	t.Fatalf("no vector message %s %s", typ, mode)
	return "", nil
}

// decodedTwice is what a host framework that URL-decodes the form's data a
// second time hands on: the data parameter with every '+' a space.
func decodedTwice(t *testing.T, body []byte) []byte {
	t.Helper()
	v, err := url.ParseQuery(string(body))
	if err != nil {
		t.Fatal(err)
	}
	data, err := url.QueryUnescape(v.Get("data"))
	if err != nil {
		t.Fatal(err)
	}
	v.Set("data", data)
	return []byte(v.Encode())
}

// fakeBody is a form callback of type 02 made by the fake app.
func fakeBody(t *testing.T, app *scancodetest.App, payload string) []byte {
	t.Helper()
	env, err := app.Envelope([]byte(payload))
	if err != nil {
		t.Fatal(err)
	}
	_, body, err := app.Request(scancode.TypeUserInfo, env)
	if err != nil {
		t.Fatal(err)
	}
	return body
}

const personalPayload = `{"TId":"` + testTID + `","personName":"王小五","telephoneNum":"13900139000","idCard":"110101199003074477","loginUserType":"01"}`

// diagCases are the recognised causes, each on a real callback (the shared
// vectors or the fake app) damaged the way the cause says.
func diagCases(t *testing.T) []diagCase {
	t.Helper()
	v := loadVectors(t)
	priv, err := testvectors.Read("keys/sm2_private.pem")
	if err != nil {
		t.Fatal(err)
	}
	pub, _ := testvectors.Read("keys/sm2_public.pem")
	ecb02, _ := vectorMessage(t, v, "02", "ECB")
	ecb01, _ := vectorMessage(t, v, "01", "ECB")
	cbc01, iv := vectorMessage(t, v, "01", "CBC")
	c1c3c2 := scancode.DecrypterConfig{SM2PrivateKey: priv, SM2Encoding: scancode.SM2EncodingC1C3C2}
	auto := scancode.DecrypterConfig{SM2PrivateKey: priv}
	cbc := scancode.DecrypterConfig{SM2PrivateKey: priv, SM4Mode: scancode.SM4ModeCBC, IV: iv}
	c1c2c3 := scancode.DecrypterConfig{SM2PrivateKey: priv, SM2Encoding: scancode.SM2EncodingC1C2C3}

	// The fake app, encrypting to the vector key (form bodies, C1C3C2).
	app, err := scancodetest.NewApp(scancodetest.WithSM2PublicKey(pub), scancodetest.WithPlatformCode("M1100000034"))
	if err != nil {
		t.Fatal(err)
	}
	var plusBody []byte
	for range 64 { // a random envelope with a '+' in both desKey and encrypt
		b := fakeBody(t, app, personalPayload)
		q, _ := url.ParseQuery(string(b))
		var env scancode.Envelope
		_ = json.Unmarshal([]byte(q.Get("data")), &env)
		if strings.Contains(env.DesKey, "+") && strings.Contains(env.Encrypt, "+") {
			plusBody = b
			break
		}
	}
	if plusBody == nil {
		t.Fatal("no envelope with '+' in 64 tries")
	}
	// The decrypter holds another key than the one desKey was encrypted to.
	otherKey, err := sm2.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	otherHex := []byte(hex.EncodeToString(otherKey.D.FillBytes(make([]byte, 32))))
	sm4A, sm4B := mustHex(t, v.SM4KeyHex), []byte("0123456789abcdef")
	preshared, err := scancodetest.NewApp(scancodetest.WithSM4Key(sm4A))
	if err != nil {
		t.Fatal(err)
	}
	short := ecb02[:len(ecb02)-4] // three bytes cut off, base64 still whole
	return []diagCase{
		{"plus in desKey and encrypt (vectors)", c1c3c2, decodedTwice(t, formBody("02", ecb02, v.DesKey.C1C3C2B64)), scancode.CausePlusSpace, "desKey"},
		{"plus in encrypt only (vectors)", c1c2c3, decodedTwice(t, formBody("02", ecb02, v.DesKey.C1C2C3B64)), scancode.CausePlusSpace, "encrypt"},
		{"plus, auto encoding (fake)", auto, decodedTwice(t, plusBody), scancode.CausePlusSpace, "desKey"},
		{"desKey C1C2C3, C1C3C2 configured", c1c3c2, formBody("01", ecb01, v.DesKey.C1C2C3B64), scancode.CauseEncoding, "C1C2C3"},
		{"desKey ASN.1, C1C2C3 configured", c1c2c3, formBody("01", ecb01, v.DesKey.ASN1B64), scancode.CauseEncoding, "ASN.1"},
		{"encrypt CBC, ECB configured", auto, formBody("01", cbc01, v.DesKey.ASN1B64), scancode.CauseEncoding, "CBC"},
		{"encrypt ECB, CBC configured", cbc, formBody("01", ecb01, v.DesKey.ASN1B64), scancode.CauseEncoding, "ECB"},
		{"encrypt cut by 3 bytes", auto, formBody("02", short, v.DesKey.ASN1B64), scancode.CauseTruncated, "multiple of the 16-byte"},
		{"encrypt cut mid-character", auto, formBody("02", ecb02[:len(ecb02)-7], v.DesKey.ASN1B64), scancode.CauseTruncated, "multiple of 4"},
		{"desKey cut", c1c3c2, formBody("02", ecb02, v.DesKey.C1C3C2B64[:100]), scancode.CauseTruncated, "desKey"},
		{"desKey to another key (fake)", scancode.DecrypterConfig{SM2PrivateKey: otherHex, SM2Encoding: scancode.SM2EncodingC1C3C2}, fakeBody(t, app, personalPayload), scancode.CauseKey, "another public key"},
		{"desKey to another key, auto (fake)", scancode.DecrypterConfig{SM2PrivateKey: otherHex}, fakeBody(t, app, personalPayload), scancode.CauseKey, "another public key"},
		{"another pre-shared key (fake)", scancode.DecrypterConfig{SM4Key: sm4B}, fakeBody(t, preshared, personalPayload), scancode.CauseKey, "pre-shared"},
		{"no SM2 key for a desKey", scancode.DecrypterConfig{SM4Key: sm4B}, formBody("02", ecb02, v.DesKey.ASN1B64), scancode.CauseKey, "SM2PrivateKey"},
	}
}

func parseErr(t *testing.T, cfg scancode.DecrypterConfig, body []byte) *scancode.DecryptError {
	t.Helper()
	d, err := scancode.NewDecrypter(cfg)
	if err != nil {
		t.Fatal(err)
	}
	_, err = scancode.ParseCallback(context.Background(), d, nil, body)
	if err == nil {
		t.Fatal("ParseCallback = nil error; want ErrDecrypt (a diagnosis never makes a callback decrypt)")
	}
	var de *scancode.DecryptError
	if !errors.Is(err, scancode.ErrDecrypt) || !errors.As(err, &de) {
		t.Fatalf("ParseCallback = %v; want a *DecryptError matching ErrDecrypt", err)
	}
	return de
}

func hasCause(d scancode.Diagnosis, code scancode.CauseCode, word string) bool {
	for _, c := range d.Causes {
		if c.Code == code && strings.Contains(c.Text, word) {
			return true
		}
	}
	return false
}

// TestDiagnosisCauses: each recognised cause is named on a real callback
// damaged that way; the callback still does not decrypt; without
// Diagnostics there is no diagnosis and the error text is the same.
func TestDiagnosisCauses(t *testing.T) {
	t.Parallel()
	for _, c := range diagCases(t) {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			off := parseErr(t, c.cfg, c.body)
			if _, ok := off.Diagnosis(); ok {
				t.Errorf("Diagnosis() without Diagnostics = _, true; want false")
			}
			on := c.cfg
			on.Diagnostics = true
			de := parseErr(t, on, c.body)
			if de.Error() != off.Error() {
				t.Errorf("Error() with Diagnostics = %q; want %q, as without", de.Error(), off.Error())
			}
			d, ok := de.Diagnosis()
			if !ok {
				t.Fatal("Diagnosis() = _, false; want a diagnosis")
			}
			if !hasCause(d, c.want, c.text) {
				t.Errorf("Diagnosis causes = %v; want %s naming %q\n%s", d.Causes, c.want, c.text, d)
			}
			if d.Algorithm == "" || len(d.KeysTried) != 1 {
				t.Errorf("Algorithm %q, KeysTried %q; want the scheme and one key\n%s", d.Algorithm, d.KeysTried, d)
			}
		})
	}
}

// TestDiagnosisRepairedFields: when the '+' repair makes the payload
// decrypt, the diagnosis lists its field names, and no value.
func TestDiagnosisRepairedFields(t *testing.T) {
	t.Parallel()
	c := diagCases(t)[0]
	c.cfg.Diagnostics = true
	d, _ := parseErr(t, c.cfg, c.body).Diagnosis()
	want := []string{"TId", "personName", "telephoneNum", "idCard", "loginUserType", "algorithm"} // the vector's 02
	if strings.Join(d.Fields, ",") != strings.Join(want, ",") {
		t.Errorf("Fields = %v; want %v", d.Fields, want)
	}
}

// TestDiagnosisKeys: the SM2 key appears as the fingerprint `bizapi keys
// inspect` prints (SHA256 of the uncompressed point), a pre-shared key by
// length and hash prefix.
func TestDiagnosisKeys(t *testing.T) {
	t.Parallel()
	v := loadVectors(t)
	sum := sha256.Sum256(mustHex(t, v.SM2PublicHex))
	fp := "SHA256:" + base64.RawStdEncoding.EncodeToString(sum[:])
	cases := diagCases(t)
	c := cases[3]
	c.cfg.Diagnostics = true
	d, _ := parseErr(t, c.cfg, c.body).Diagnosis()
	if len(d.KeysTried) != 1 || !strings.Contains(d.KeysTried[0], fp) {
		t.Errorf("KeysTried = %q; want the fingerprint %s", d.KeysTried, fp)
	}
	c = cases[12]
	c.cfg.Diagnostics = true
	d, _ = parseErr(t, c.cfg, c.body).Diagnosis()
	ksum := sha256.Sum256([]byte("0123456789abcdef"))
	if len(d.KeysTried) != 1 || !strings.Contains(d.KeysTried[0], "16 bytes, sha256 "+hex.EncodeToString(ksum[:4])) {
		t.Errorf("KeysTried = %q; want the SM4 key's length and hash prefix", d.KeysTried)
	}
}

// TestDiagnosisHoldsNoSecret: no diagnosis holds a key, the SM4 key, or a
// personal value of the payload (name, phone, ID card number), in any
// field or in String.
func TestDiagnosisHoldsNoSecret(t *testing.T) {
	t.Parallel()
	v := loadVectors(t)
	pem, _ := testvectors.Read("keys/sm2_private.pem")
	sm4 := mustHex(t, v.SM4KeyHex)
	secrets := []string{"王小五", "小五", "13900139000", "110101199003074477", "王五", v.SM2PrivateHex, v.SM4KeyHex,
		strings.ToUpper(v.SM4KeyHex), base64.StdEncoding.EncodeToString(sm4), string(sm4), "0123456789abcdef"}
	for _, l := range strings.Split(string(pem), "\n") {
		if len(l) > 20 && !strings.HasPrefix(l, "-----") {
			secrets = append(secrets, l)
		}
	}
	for _, c := range diagCases(t) {
		c.cfg.Diagnostics = true
		d, _ := parseErr(t, c.cfg, c.body).Diagnosis()
		all := d.String() + "\n" + d.Algorithm + strings.Join(d.KeysTried, " ") + d.SignedForm + strings.Join(d.Fields, " ") +
			strings.Join(d.FieldsReceived, " ") + strings.Join(d.Tried, " ")
		for _, cause := range d.Causes {
			all += cause.Text
		}
		for _, s := range secrets {
			if strings.Contains(all, s) {
				t.Errorf("%s: the diagnosis holds %q:\n%s", c.name, s, d)
			}
		}
	}
	masktest.Check(t, sensitive, scancode.Diagnosis{}, scancode.Cause{}, &scancode.DecryptError{})
}

// TestDiagnosisForgery: with Diagnostics on, a forged desKey (random bytes
// of an SM2 ciphertext's size) still fails, and no cause but the key is
// claimed.
func TestDiagnosisForgery(t *testing.T) {
	t.Parallel()
	v := loadVectors(t)
	priv, _ := testvectors.Read("keys/sm2_private.pem")
	ecb02, _ := vectorMessage(t, v, "02", "ECB")
	forged := base64.StdEncoding.EncodeToString(make([]byte, 97+16))
	for _, enc := range []scancode.SM2Encoding{scancode.SM2EncodingAuto, scancode.SM2EncodingC1C3C2} {
		de := parseErr(t, scancode.DecrypterConfig{SM2PrivateKey: priv, SM2Encoding: enc, Diagnostics: true}, formBody("02", ecb02, forged))
		d, _ := de.Diagnosis()
		if len(d.Causes) != 1 || d.Causes[0].Code != scancode.CauseKey {
			t.Errorf("%v: causes %v; want only %s", enc, d.Causes, scancode.CauseKey)
		}
	}
}

// TestDecryptErrorHostDecrypter: a host Decrypter's error becomes a
// DecryptError with the same text, still unwrapping to the host's error,
// and without a diagnosis.
func TestDecryptErrorHostDecrypter(t *testing.T) {
	t.Parallel()
	hostErr := errors.New("hsm unavailable")
	d := scancode.DecrypterFunc(func(context.Context, scancode.Envelope) ([]byte, error) { return nil, hostErr })
	_, err := scancode.ParseCallback(context.Background(), d, nil, formBody("01", "AAAA", ""))
	var de *scancode.DecryptError
	if !errors.As(err, &de) || !errors.Is(err, scancode.ErrDecrypt) || !errors.Is(err, hostErr) {
		t.Fatalf("ParseCallback = %v; want a DecryptError matching ErrDecrypt and the host's error", err)
	}
	if want := "scancode: data does not decrypt: hsm unavailable"; err.Error() != want {
		t.Errorf("Error() = %q; want %q", err.Error(), want)
	}
	if _, ok := de.Diagnosis(); ok {
		t.Error("Diagnosis() of a host Decrypter's error = _, true; want false")
	}
}
