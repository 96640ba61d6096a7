package scancode_test

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/bizapi-cn/go-sdk/internal/jsonkeys"
	"github.com/bizapi-cn/go-sdk/internal/testvectors"
	"github.com/bizapi-cn/go-sdk/scancode"
	"github.com/bizapi-cn/go-sdk/scancode/scancodetest"
	"github.com/google/go-cmp/cmp"
)

const testTID = "M1100000034" + "58be5bb800ad450e99a26537ca2d1850"

// fixture returns a decrypter on the vector SM2 key and a fake app that
// encrypts to its public key.
func fixture(t testing.TB, body scancodetest.Body, enc scancode.SM2Encoding) (scancode.Decrypter, *scancodetest.App) {
	t.Helper()
	priv, err := testvectors.Read("keys/sm2_private.pem")
	if err != nil {
		t.Fatal(err)
	}
	pub, _ := testvectors.Read("keys/sm2_public.pem")
	d, err := scancode.NewDecrypter(scancode.DecrypterConfig{SM2PrivateKey: priv})
	if err != nil {
		t.Fatal(err)
	}
	app, err := scancodetest.NewApp(scancodetest.WithSM2PublicKey(pub), scancodetest.WithSM2Encoding(enc), scancodetest.WithBody(body), scancodetest.WithPlatformCode("M1100000034"))
	if err != nil {
		t.Fatal(err)
	}
	return d, app
}

// TestParseEveryType: each type's payload, as the seed names its fields,
// comes back as its typed struct, in form and JSON bodies and every SM2
// encoding.
func TestParseEveryType(t *testing.T) {
	t.Parallel()
	cases := []struct {
		typ  scancode.Type
		json string
		want scancode.Payload
	}{
		{scancode.TypeScanStatus, `{"tId":"` + testTID + `","unifiedTransactionCode":"U-1","personalTransactionCode":"P-1","isScaned":"01","qRCodeType":"06"}`,
			&scancode.ScanStatus{TID: testTID, UnifiedTransactionCode: "U-1", PersonalTransactionCode: "P-1", IsScaned: scancode.ScanStateScanned, QRCodeType: "06"}},
		{scancode.TypeUserInfo, `{"TId":"` + testTID + `","personName":"王五","telephoneNum":"13900139000","idCard":"110101199003074477","sharedCodeStatus":"03","legalIDCard":"1","loginUserType":"02","accessToken":"tok"}`,
			&scancode.UserInfo{TID: testTID, PersonName: "王五", TelephoneNum: "13900139000", IDCard: "110101199003074477", SharedCodeStatus: scancode.SharedCodeStatusFrozen, LegalIDCard: "1", LoginUserType: scancode.LoginUserTypeOrganisation, AccessToken: "tok"}},
		{scancode.TypeSealWithdrawal, `{"TId":"` + testTID + `","useStatus":"01","certSn":"C1","algorithm":"SM2"}`,
			&scancode.SealWithdrawal{TID: testTID, UseStatus: scancode.UseStatusUsed, CertSn: "C1", Algorithm: "SM2"}},
		{scancode.TypeEncryptionCert, `{"TId":"` + testTID + `","encPubCert":"E","encCertSn":"S","algorithm":"RSA","telephoneNum":"13900139000"}`,
			&scancode.EncryptionCert{TID: testTID, EncPubCert: "E", EncCertSn: "S", Algorithm: "RSA", TelephoneNum: "13900139000"}},
		{scancode.TypeDecryptResult, `{"TId":"` + testTID + `","personalTransactionCode":"P","decryptInfoList":[{"key":"k1","decryptStr":"d1"},{"key":"k2","decryptStr":"d2"}]}`,
			&scancode.DecryptResult{TID: testTID, PersonalTransactionCode: "P", DecryptInfoList: []scancode.DecryptInfo{{Key: "k1", DecryptStr: "d1"}, {Key: "k2", DecryptStr: "d2"}}}},
		{scancode.TypeSignCert, `{"tId":"` + testTID + `","signCertSn":"SN","pubCert":"PC"}`,
			&scancode.SignCert{TID: testTID, SignCertSn: "SN", PubCert: "PC"}},
		{scancode.TypeScannerUserInfo, `{"TId":"` + testTID + `","personName":"李四","loginUserType":"01"}`,
			&scancode.UserInfo{TID: testTID, PersonName: "李四", LoginUserType: scancode.LoginUserTypePerson}},
		{scancode.TypeExitContinuousSign, `{"tid":"` + testTID + `","pid":"张三","source":"01","exitType":"12"}`,
			&scancode.ExitContinuousSign{TID: testTID, PID: "张三", Source: scancode.ExitSourcePlatform, ExitType: "12"}},
		{scancode.TypeSignerUserInfo, `{"TId":"` + testTID + `","personName":"赵六","algorithmType":"00","certBelongType":"02"}`,
			&scancode.UserInfo{TID: testTID, PersonName: "赵六", AlgorithmType: scancode.AlgorithmTypeSM2, CertBelongType: scancode.LoginUserTypeOrganisation}},
		{scancode.TypeSignatureValues, `{"TId":"` + testTID + `","useStatus":"00","signatureValueList":["h1","h2"]}`,
			&scancode.SignatureValues{TID: testTID, UseStatus: scancode.UseStatusUnused, SignatureValueList: scancode.SignatureValueList{"h1", "h2"}}},
		{scancode.TypeSignatureValues, `{"tId":"` + testTID + `","signatureValueList":"[\"h1\",{\"i\":1}]"}`,
			&scancode.SignatureValues{TID: testTID, SignatureValueList: scancode.SignatureValueList{"h1", `{"i":1}`}}},
		{scancode.TypeSignatureValues, `{"TID":"` + testTID + `","signatureValueList":"h1,h2"}`,
			&scancode.SignatureValues{TID: testTID, SignatureValueList: scancode.SignatureValueList{"h1", "h2"}}},
	}
	for _, body := range []scancodetest.Body{scancodetest.BodyForm, scancodetest.BodyJSON} {
		for _, enc := range []scancode.SM2Encoding{scancode.SM2EncodingC1C3C2, scancode.SM2EncodingC1C2C3, scancode.SM2EncodingASN1} {
			d, app := fixture(t, body, enc)
			for _, c := range cases {
				env, err := app.Envelope([]byte(c.json))
				if err != nil {
					t.Fatal(err)
				}
				ct, raw, _ := app.Request(c.typ, env)
				got, err := parse(context.Background(), ct, raw, d)
				if err != nil {
					t.Errorf("type %s: Parse = %v", c.typ, err)
					continue
				}
				if diff := cmp.Diff(c.want, got.Payload); diff != "" {
					t.Errorf("type %s payload mismatch (-want +got):\n%s", c.typ, diff)
				}
				if got.EventID() != testTID || got.PlatformCode != "M1100000034" || string(got.Raw) != c.json {
					t.Errorf("type %s: EventID %q PlatformCode %q Raw %s", c.typ, got.EventID(), got.PlatformCode, got.Raw)
				}
			}
		}
	}
}

func TestParseUnknownTypeKeepsRaw(t *testing.T) {
	t.Parallel()
	d, app := fixture(t, scancodetest.BodyJSON, scancode.SM2EncodingC1C3C2)
	env, _ := app.Envelope([]byte(`{"tId":"` + testTID + `","newField":1}`))
	ct, raw, _ := app.Request("99", env)
	c, err := parse(context.Background(), ct, raw, d)
	if err != nil {
		t.Fatal(err)
	}
	if c.Payload != nil || c.Type.Known() || c.EventID() != testTID || !strings.Contains(string(c.Raw), "newField") {
		t.Errorf("unknown type: payload %v known %v id %q raw %s", c.Payload, c.Type.Known(), c.EventID(), c.Raw)
	}
}

// TestPlatformCodeIsTheTIDs: protocols.md, "A tId is the 11-char
// platformCode followed by 32 hex chars". platformCode travels outside the
// encrypted data; a copy of a genuine callback under another platformCode,
// sent first, shared the genuine one's idempotency key (the key is of the
// decrypted data), so the handler deduplicated the genuine one in its
// place and the host saw the forged platformCode. Now it is refused; an
// absent platformCode, or a tId of another shape, is not checked.
func TestPlatformCodeIsTheTIDs(t *testing.T) {
	t.Parallel()
	pub, _ := testvectors.Read("keys/sm2_public.pem")
	for _, c := range []struct {
		platform, tid string
		ok            bool
	}{
		{"M1100000034", testTID, true},
		{"M1100000035", testTID, false},
		{"m1100000034", testTID, false},
		{"", testTID, true},
		{"M1100000035", "T-1", true},
	} {
		d, _ := fixture(t, scancodetest.BodyForm, scancode.SM2EncodingC1C3C2)
		opts := []scancodetest.AppOption{scancodetest.WithSM2PublicKey(pub)}
		if c.platform != "" {
			opts = append(opts, scancodetest.WithPlatformCode(c.platform))
		}
		app, err := scancodetest.NewApp(opts...)
		if err != nil {
			t.Fatal(err)
		}
		env, _ := app.Envelope([]byte(`{"tId":"` + c.tid + `","isScaned":"01"}`))
		ct, raw, _ := app.Request(scancode.TypeScanStatus, env)
		got, err := parse(context.Background(), ct, raw, d)
		if c.ok && (err != nil || got.PlatformCode != c.platform) || !c.ok && !errors.Is(err, scancode.ErrMalformedCallback) {
			t.Errorf("platformCode %q, tId %q: %+v, %v (want accepted: %v)", c.platform, c.tid, got, err, c.ok)
		}
	}
}

func TestParseRejects(t *testing.T) {
	t.Parallel()
	d, app := fixture(t, scancodetest.BodyForm, scancode.SM2EncodingC1C3C2)
	env, _ := app.Envelope([]byte(`{"tId":"x"}`))
	good := `{"encrypt":"` + env.Encrypt + `","desKey":"` + env.DesKey + `"}`
	// A flipped byte of the SM2-wrapped desKey: SM2's C3 check refuses it
	// every time (a flipped SM4-ECB byte can still unpad, ~1 in 256).
	wrapped, _ := base64.StdEncoding.DecodeString(env.DesKey)
	wrapped[len(wrapped)-5] ^= 0x5a
	forgedKey := base64.StdEncoding.EncodeToString(wrapped)
	cases := []struct {
		name, ct, body string
		want           error
		alt            error // also accepted (SM4-ECB has no MAC: a wrong key's garbage can unpad)
	}{
		{"no type", "application/x-www-form-urlencoded", "data=" + good, scancode.ErrMalformedCallback, nil},
		{"no data", "application/x-www-form-urlencoded", "type=01", scancode.ErrMalformedCallback, nil},
		{"duplicate type", "application/x-www-form-urlencoded", "type=01&type=02&data=" + good, scancode.ErrMalformedCallback, nil},
		{"data not JSON", "application/x-www-form-urlencoded", "type=01&data=nope", scancode.ErrMalformedCallback, nil},
		{"no encrypt", "application/json", `{"type":"01","data":{"desKey":"x"}}`, scancode.ErrMalformedCallback, nil},
		{"bad JSON body", "application/json", `{"type":`, scancode.ErrMalformedCallback, nil},
		{"wrong content type", "text/xml", "<x/>", scancode.ErrMalformedCallback, nil},
		{"invalid UTF-8", "application/json", "{\"type\":\"01\xff\"}", scancode.ErrMalformedCallback, nil},
		{"flipped desKey byte", "application/json", `{"type":"01","data":{"encrypt":"` + env.Encrypt + `","desKey":"` + forgedKey + `"}}`, scancode.ErrDecrypt, nil},
		{"desKey of another message", "application/json", `{"type":"01","data":{"encrypt":"` + env.Encrypt + `","desKey":"` + mustEnv(t, app).DesKey + `"}}`, scancode.ErrDecrypt, scancode.ErrMalformedCallback},
		{"no desKey, no pre-shared key", "application/json", `{"type":"01","data":{"encrypt":"` + env.Encrypt + `"}}`, scancode.ErrDecrypt, nil},
		{"encrypt not base64", "application/json", `{"type":"01","data":{"encrypt":"!!","desKey":"` + env.DesKey + `"}}`, scancode.ErrDecrypt, nil},
	}
	for _, c := range cases {
		_, err := parse(context.Background(), c.ct, []byte(c.body), d)
		if !errors.Is(err, c.want) && (c.alt == nil || !errors.Is(err, c.alt)) {
			t.Errorf("%s: Parse error = %v; want %v", c.name, err, c.want)
		}
		if err != nil && (strings.Contains(err.Error(), env.Encrypt) || strings.Contains(err.Error(), env.DesKey)) {
			t.Errorf("%s: error echoes ciphertext", c.name)
		}
	}
	if _, err := parse(context.Background(), "", []byte("type=01&data="+good), nil); err == nil {
		t.Error("Parse with nil Decrypter = nil error")
	}
}

func mustEnv(t *testing.T, app *scancodetest.App) scancode.Envelope {
	t.Helper()
	e, err := app.Envelope([]byte(`{"tId":"other"}`))
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func TestNewDecrypterConfig(t *testing.T) {
	t.Parallel()
	for name, cfg := range map[string]scancode.DecrypterConfig{
		"empty":          {},
		"short SM4 key":  {SM4Key: []byte("short")},
		"bad SM2 key":    {SM2PrivateKey: []byte("nope!")},
		"CBC without IV": {SM4Key: make([]byte, 16), SM4Mode: scancode.SM4ModeCBC},
		"bad mode":       {SM4Key: make([]byte, 16), SM4Mode: 9},
	} {
		if _, err := scancode.NewDecrypter(cfg); err == nil || !strings.HasPrefix(err.Error(), "scancode: ") {
			t.Errorf("%s: NewDecrypter error = %v", name, err)
		}
	}
	for _, s := range []string{"3156adc9d60b398e16ec24774c6f2c5b", "MVatydYLOY4W7CR3TG8sWw==", "0123456789abcdef"} {
		if k, err := scancode.ParseSM4Key(s); err != nil || len(k) != 16 {
			t.Errorf("ParseSM4Key(%q) = %x, %v", s, k, err)
		}
	}
	if _, err := scancode.ParseSM4Key("too short"); err == nil {
		t.Error("ParseSM4Key(short) = nil error")
	}
}

// TestParseTypeAndPlatformCode: the seed's request tables give
// "| type | varchar(2) | 是 | 数据类型01 扫码状态 |", so a type of another
// length is refused, before any decryption; an unknown two-character type
// is still delivered raw. protocols.md gives "platformCode (11 chars)": a
// platformCode of another length is refused, an absent one accepted.
func TestParseTypeAndPlatformCode(t *testing.T) {
	t.Parallel()
	var decrypts atomic.Int64
	plain := []byte(`{"tId":"` + testTID + `"}`)
	d := scancode.DecrypterFunc(func(context.Context, scancode.Envelope) ([]byte, error) {
		decrypts.Add(1)
		return plain, nil
	})
	body := func(typ, platform string, withPlatform bool) []byte {
		v := url.Values{"type": {typ}, "data": {`{"encrypt":"AAAA"}`}}
		if withPlatform {
			v.Set("platformCode", platform)
		}
		return []byte(v.Encode())
	}
	for _, c := range []struct {
		name, typ, platform string
		withPlatform, ok    bool
	}{
		{"known type", "01", "M1100000034", true, true},
		{"unknown two digits", "99", "M1100000034", true, true},
		{"unknown two letters", "ab", "M1100000034", true, true},
		{"no platformCode", "02", "", false, true},
		{"empty platformCode", "02", "", true, true},
		{"type of three", "011", "M1100000034", true, false},
		{"type of one", "1", "M1100000034", true, false},
		{"empty type", "", "M1100000034", true, false},
		{"type with a space", "0 ", "M1100000034", true, false},
		{"type of two bytes, one rune", "é", "M1100000034", true, false},
		{"platformCode of ten", "01", "M110000003", true, false},
		{"platformCode of twelve", "01", "M11000000345", true, false},
		{"platformCode with a dash", "01", "M11000000-4", true, false},
	} {
		before := decrypts.Load()
		got, err := parse(context.Background(), "application/x-www-form-urlencoded", body(c.typ, c.platform, c.withPlatform), d)
		if c.ok {
			if err != nil || string(got.Type) != c.typ || got.PlatformCode != c.platform {
				t.Errorf("%s: ParseCallback = %v, %v; want type %q platformCode %q", c.name, got, err, c.typ, c.platform)
			} else if got.Type.Known() != (got.Payload != nil) || string(got.Raw) != string(plain) {
				t.Errorf("%s: payload %v raw %s", c.name, got.Payload, got.Raw)
			}
			continue
		}
		if !errors.Is(err, scancode.ErrMalformedCallback) {
			t.Errorf("%s: ParseCallback error = %v; want ErrMalformedCallback", c.name, err)
		}
		if decrypts.Load() != before {
			t.Errorf("%s: decrypted before the type and platformCode were checked", c.name)
		}
	}
	// The same rules for a JSON body.
	if _, err := parse(context.Background(), "application/json", []byte(`{"type":"011","data":{"encrypt":"AAAA"}}`), d); !errors.Is(err, scancode.ErrMalformedCallback) {
		t.Errorf("JSON type 011: %v; want ErrMalformedCallback", err)
	}
	if _, err := parse(context.Background(), "application/json", []byte(`{"type":1,"data":{"encrypt":"AAAA"}}`), d); !errors.Is(err, scancode.ErrMalformedCallback) {
		t.Errorf("JSON type as a number: %v; want ErrMalformedCallback", err)
	}
}

// TestParseRefusesAmbiguousPayload: the typed payload matches member names
// case-insensitively (the seed spells the event ID tId, TId and tid), so a
// decrypted object with two members alike is refused: its typed view would
// differ from its raw JSON.
func TestParseRefusesAmbiguousPayload(t *testing.T) {
	t.Parallel()
	for _, plain := range []string{
		`{"tId":"` + testTID + `","TId":"M1100000034ffffffffffffffffffffffffffffffff"}`,
		`{"TId":"x","idCard":"1","idCard":"2"}`,
		`{"TId":"x","IDCARD":"1","idCard":"2"}`,
		`{"TId":"x","decryptInfoList":[{"key":"a","KEY":"b"}]}`,
		`{"TId":"x","n":{"a":{"b":1,"B":2}}}`,
		`{"TId":"x","personName":"A","perſonName":"B"}`,    // ſ folds to s, as encoding/json matches names
		"{\"TId\":\"x\",\"\u212aey\":\"K\",\"key\":\"k\"}", // the Kelvin sign folds to k
	} {
		d := scancode.DecrypterFunc(func(context.Context, scancode.Envelope) ([]byte, error) { return []byte(plain), nil })
		_, err := parse(context.Background(), "", []byte(`type=02&data={"encrypt":"AAAA"}`), d)
		if !errors.Is(err, scancode.ErrMalformedCallback) || !errors.Is(err, jsonkeys.ErrAmbiguous) {
			t.Errorf("%s: ParseCallback = %v; want ErrMalformedCallback for members alike", plain, err)
		}
	}
	for _, plain := range []string{
		`{"TId":"x","list":[{"key":"a"},{"key":"b"}],"key":"c"}`, // alike names in different objects
		`{"TId":"x","a":[1,"a",{"a":1}],"b":{"a":{"a":1}}}`,
		`{"TId":"x","big":1e400,"n":-0.0}`,
	} {
		d := scancode.DecrypterFunc(func(context.Context, scancode.Envelope) ([]byte, error) { return []byte(plain), nil })
		if _, err := parse(context.Background(), "", []byte(`type=02&data={"encrypt":"AAAA"}`), d); err != nil {
			t.Errorf("%s: ParseCallback = %v; want it accepted", plain, err)
		}
	}
}

// TestParseHostDecrypter: a host Decrypter's error matches ErrDecrypt;
// a nil header is an empty one.
func TestParseHostDecrypter(t *testing.T) {
	t.Parallel()
	kms := errors.New("kms: unavailable")
	d := scancode.DecrypterFunc(func(context.Context, scancode.Envelope) ([]byte, error) { return nil, kms })
	_, err := scancode.ParseCallback(context.Background(), d, nil, []byte(`type=01&data={"encrypt":"AAAA"}`))
	if !errors.Is(err, scancode.ErrDecrypt) || !errors.Is(err, kms) {
		t.Errorf("ParseCallback = %v; want ErrDecrypt wrapping the host's error", err)
	}
	if _, err := scancode.ParseCallback(context.Background(), nil, nil, []byte(`type=01`)); err == nil {
		t.Error("ParseCallback(nil Decrypter) = nil error")
	}
}

// TestIdempotencyKey: the key is the type, the tId and a hash of the
// decrypted bytes, so a redelivery (the same plaintext, encrypted afresh
// under a new SM4 key and sent in the other body encoding) matches, while a
// new event under the same tId, the same data under another type, or any
// change of the decrypted content does not.
func TestIdempotencyKey(t *testing.T) {
	t.Parallel()
	payload := `{"TId":"` + testTID + `","personName":"王五"}`
	key := func(body scancodetest.Body, typ scancode.Type, plain string) string {
		t.Helper()
		d, app := fixture(t, body, scancode.SM2EncodingC1C3C2)
		env, _ := app.Envelope([]byte(plain))
		ct, raw, _ := app.Request(typ, env)
		c, err := parse(context.Background(), ct, raw, d)
		if err != nil {
			t.Fatal(err)
		}
		return c.IdempotencyKey()
	}
	k := key(scancodetest.BodyForm, scancode.TypeUserInfo, payload)
	if !strings.HasPrefix(k, "02:"+testTID+":") || len(k) != len("02:"+testTID+":")+24 {
		t.Errorf("key = %q; want 02:<tId>:<24 hex>", k)
	}
	if k2 := key(scancodetest.BodyJSON, scancode.TypeUserInfo, payload); k2 != k {
		t.Errorf("redelivery key %q; want %q", k2, k)
	}
	for name, other := range map[string]string{
		"another type":       key(scancodetest.BodyForm, scancode.TypeScannerUserInfo, payload),
		"another event":      key(scancodetest.BodyForm, scancode.TypeUserInfo, `{"TId":"`+testTID+`","personName":"王六"}`),
		"members reordered":  key(scancodetest.BodyForm, scancode.TypeUserInfo, `{"personName":"王五","TId":"`+testTID+`"}`),
		"tId spelled tid":    key(scancodetest.BodyForm, scancode.TypeUserInfo, `{"tid":"`+testTID+`","personName":"王五"}`),
		"white space inside": key(scancodetest.BodyForm, scancode.TypeUserInfo, `{"TId": "`+testTID+`","personName":"王五"}`),
	} {
		if other == k {
			t.Errorf("%s: same key %q", name, k)
		}
	}
	long := scancode.Callback{Type: "99", Raw: []byte(`{"tId":"` + strings.Repeat("a", 100) + `"}`)}
	if k := long.IdempotencyKey(); strings.Contains(k, "aaaa") || len(k) > 40 {
		t.Errorf("key of a 100-byte tId = %q; want the tId left out", k)
	}
}

// TestParseBoundsMembers: the seed's request has "type | varchar(2)",
// "data | text | 是 | 参数内容(json)" with "┗ encrypt" and (type 02)
// "┗ desKey", and protocols.md adds platformCode: five members in all.
// Members it does not define are ignored, up to 64 JSON members in the
// body and in data (doc.go, "Wire names and checks"); past that the
// callback is refused as malformed before anything is decrypted, in a
// JSON body and in a form's data alike.
func TestParseBoundsMembers(t *testing.T) {
	t.Parallel()
	d, app := fixture(t, scancodetest.BodyJSON, scancode.SM2EncodingC1C3C2)
	env, err := app.Envelope([]byte(`{"tId":"` + testTID + `"}`))
	if err != nil {
		t.Fatal(err)
	}
	var decrypts atomic.Int32
	counting := scancode.DecrypterFunc(func(ctx context.Context, e scancode.Envelope) ([]byte, error) {
		decrypts.Add(1)
		return d.Decrypt(ctx, e)
	})
	extra := func(n int) string {
		var b strings.Builder
		for i := range n {
			fmt.Fprintf(&b, `,"x%d":1`, i)
		}
		return b.String()
	}
	// The body's own members: type, data, platformCode, encrypt, desKey.
	jsonBody := func(n int) []byte {
		return []byte(`{"type":"01","platformCode":"M1100000034","data":{"encrypt":"` + env.Encrypt + `","desKey":"` + env.DesKey + `"` + extra(n) + `}}`)
	}
	formBody := func(n int) []byte {
		data := `{"encrypt":"` + env.Encrypt + `","desKey":"` + env.DesKey + `"` + extra(n) + `}`
		return []byte(url.Values{"type": {"01"}, "data": {data}, "platformCode": {"M1100000034"}}.Encode())
	}
	for _, c := range []struct {
		name string
		ct   string
		body []byte
		ok   bool
	}{
		{"JSON, 64 members", "application/json", jsonBody(64 - 5), true},
		{"JSON, 65 members", "application/json", jsonBody(65 - 5), false},
		{"form, 64 members in data", "application/x-www-form-urlencoded", formBody(64 - 2), true},
		{"form, 65 members in data", "application/x-www-form-urlencoded", formBody(65 - 2), false},
	} {
		decrypts.Store(0)
		got, err := parse(context.Background(), c.ct, c.body, counting)
		switch {
		case c.ok && (err != nil || got.EventID() != testTID):
			t.Errorf("%s: Parse = %v, %v; want the callback, its extra members ignored", c.name, got, err)
		case !c.ok && (!errors.Is(err, scancode.ErrMalformedCallback) || !strings.Contains(err.Error(), "more than 64 JSON members")):
			t.Errorf("%s: Parse error = %v; want ErrMalformedCallback naming the bound", c.name, err)
		case !c.ok && decrypts.Load() != 0:
			t.Errorf("%s: %d decryptions; want the callback refused before any", c.name, decrypts.Load())
		}
	}
}
