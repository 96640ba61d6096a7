package scancode_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/bizapi-cn/go-sdk/scancode"
	"github.com/bizapi-cn/go-sdk/scancode/scancodetest"
	"github.com/google/go-cmp/cmp"
)

// FuzzParse feeds arbitrary bodies to ParseCallback with a real
// decrypter: it never panics, every error is ErrMalformedCallback or
// ErrDecrypt and prints safely (one short line, the package's prefix), and
// whatever parses has a two-character type and a JSON object payload.
func FuzzParse(f *testing.F) {
	v := loadVectors(f)
	for _, m := range v.Messages {
		f.Add("application/x-www-form-urlencoded", formBody(m.Type, m.EncryptB64, v.DesKey.ASN1B64))
	}
	f.Add("application/json", []byte(`{"type":"99","data":{"encrypt":"AAAA"},"platformCode":"x"}`))
	f.Add("", []byte(`type=01&data=%7B%7D`))
	f.Add("text/plain; charset=utf-8", []byte(`type=011&data={"encrypt":"AAAA","desKey":"AAAA"}&platformCode=M1100000034`))
	d, err := scancode.NewDecrypter(scancode.DecrypterConfig{SM2PrivateKey: []byte(v.SM2PrivateHex), SM4Key: mustHex(f, v.SM4KeyHex)})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, ct string, body []byte) {
		c, err := parse(context.Background(), ct, body, d)
		if err != nil {
			checkError(t, err)
			return
		}
		checkCallback(t, c)
	})
}

// FuzzDecryptedPayload feeds arbitrary decrypted payloads under arbitrary
// types (what FuzzParse cannot reach: random ciphertext never decrypts):
// errors print safely, a parsed callback prints without a panic, and the
// TIDStore gives it back unchanged.
func FuzzDecryptedPayload(f *testing.F) {
	for _, p := range []struct{ typ, json string }{
		{"01", `{"tId":"M110000003458be5bb800ad450e99a26537ca2d1850","isScaned":"01"}`},
		{"02", `{"TId":"M110000003458be5bb800ad450e99a26537ca2d1850","personName":"王五","idCard":"110101199003074477"}`},
		{"06", `{"TId":"t","decryptInfoList":[{"key":"k1","decryptStr":"d1"}]}`},
		{"12", `{"tid":"t","pid":"张三","source":"01"}`},
		{"14", `{"TId":"t","signatureValueList":"[\"h1\",{\"i\":1}]"}`},
		{"14", `{"TId":"t","signatureValueList":"h1,h2"}`},
		{"99", `{"tId":"t","x":[1,{"a":null}]}`},
		{"02", `{"TId":"t","tid":"u"}`},
		{"05", `{"TId":1}`},
	} {
		f.Add(p.typ, []byte(p.json))
	}
	ctx := context.Background()
	f.Fuzz(func(t *testing.T, typ string, plain []byte) {
		d := scancode.DecrypterFunc(func(context.Context, scancode.Envelope) ([]byte, error) { return plain, nil })
		body := []byte(url.Values{"type": {typ}, "data": {`{"encrypt":"AAAA"}`}, "platformCode": {"M1100000034"}}.Encode())
		c, err := parse(ctx, "application/x-www-form-urlencoded", body, d)
		if err != nil {
			checkError(t, err)
			return
		}
		checkCallback(t, c)
		if c.EventID() == "" || len(c.EventID()) > 64 || strings.ContainsFunc(c.EventID(), func(r rune) bool { return r < 0x20 || r == 0x7f }) {
			return // not storable by tId: Put refuses it
		}
		s, err := scancode.NewTIDStore()
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Put(ctx, c); err != nil {
			t.Fatalf("Put = %v", err)
		}
		got, err := s.Get(ctx, c.EventID())
		if err != nil || len(got) != 1 {
			t.Fatalf("Get = %v, %v; want the callback back", got, err)
		}
		if diff := cmp.Diff(c, got[0]); diff != "" || got[0].IdempotencyKey() != c.IdempotencyKey() {
			t.Fatalf("TIDStore round trip changed the callback (-put +got):\n%s", diff)
		}
	})
}

// checkError: the error is one of the two sentinels and prints as one
// short, valid line with the package's prefix (it never panics).
func checkError(t *testing.T, err error) {
	t.Helper()
	if !errors.Is(err, scancode.ErrMalformedCallback) && !errors.Is(err, scancode.ErrDecrypt) {
		t.Fatalf("untyped error: %v", err)
	}
	msg := err.Error()
	if !strings.HasPrefix(msg, "scancode: ") || strings.ContainsAny(msg, "\r\n") || len(msg) > 256 || !utf8.ValidString(msg) {
		t.Fatalf("error does not print as one short line: %q", msg)
	}
}

// checkCallback: what parses is well-formed and prints without a panic.
func checkCallback(t *testing.T, c *scancode.Callback) {
	t.Helper()
	if len(c.Type) != 2 || !json.Valid(c.Raw) || c.Raw[0] != '{' {
		t.Fatalf("parsed type %q, payload %q", c.Type, c.Raw)
	}
	if c.Type.Known() != (c.Payload != nil) {
		t.Fatalf("type %s known %v, payload %T", c.Type, c.Type.Known(), c.Payload)
	}
	_ = c.IdempotencyKey()
	_ = fmt.Sprintf("%v %+v %s %#v", c, c, c, c)
	slog.New(slog.NewJSONHandler(io.Discard, nil)).Info("m", "cb", c)
}

// FuzzRoundTrip: any JSON object the fake encrypts comes back byte-identical
// through every scheme.
func FuzzRoundTrip(f *testing.F) {
	f.Add(`{"tId":"x","personName":"王五"}`, uint8(0))
	f.Add(`{}`, uint8(5))
	pub := mustRead(f, "keys/sm2_public.pem")
	priv := mustRead(f, "keys/sm2_private.pem")
	iv := []byte("0123456789abcdef")
	f.Fuzz(func(t *testing.T, payload string, variant uint8) {
		var obj map[string]any
		if json.Unmarshal([]byte(payload), &obj) != nil || len(payload) > 4096 {
			return
		}
		enc := scancode.SM2Encoding(1 + variant%3)
		opts := []scancodetest.AppOption{scancodetest.WithSM2PublicKey(pub), scancodetest.WithSM2Encoding(enc), scancodetest.WithBody(scancodetest.Body(variant / 6 % 2))}
		cfg := scancode.DecrypterConfig{SM2PrivateKey: priv}
		if variant/3%2 == 1 {
			opts = append(opts, scancodetest.WithSM4CBC(iv))
			cfg.SM4Mode, cfg.IV = scancode.SM4ModeCBC, iv
		}
		app, err := scancodetest.NewApp(opts...)
		if err != nil {
			t.Fatal(err)
		}
		d, _ := scancode.NewDecrypter(cfg)
		env, err := app.Envelope([]byte(payload))
		if err != nil {
			t.Fatal(err)
		}
		ct, body, _ := app.Request("77", env)
		c, err := parse(context.Background(), ct, body, d)
		if err != nil {
			t.Fatalf("Parse = %v", err)
		}
		var back map[string]any
		if err := json.Unmarshal(c.Raw, &back); err != nil || len(back) != len(obj) {
			t.Fatalf("payload changed: %s", c.Raw)
		}
	})
}
