package scancode_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"

	"github.com/bizapi-cn/go-sdk/scancode"
	"github.com/bizapi-cn/go-sdk/scancode/scancodetest"
)

// FuzzParse feeds arbitrary bodies to Parse with a real decrypter: it never
// panics, every error is ErrMalformedCallback or ErrDecrypt, and whatever parses has
// a JSON object payload.
func FuzzParse(f *testing.F) {
	v := loadVectors(f)
	for _, m := range v.Messages {
		f.Add("application/x-www-form-urlencoded", formBody(m.Type, m.EncryptB64, v.DesKey.ASN1B64))
	}
	f.Add("application/json", []byte(`{"type":"99","data":{"encrypt":"AAAA"},"platformCode":"x"}`))
	f.Add("", []byte(`type=01&data=%7B%7D`))
	d, err := scancode.NewDecrypter(scancode.DecrypterConfig{SM2PrivateKey: []byte(v.SM2PrivateHex), SM4Key: mustHex(f, v.SM4KeyHex)})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, ct string, body []byte) {
		c, err := parse(context.Background(), ct, body, d)
		if err != nil {
			if !errors.Is(err, scancode.ErrMalformedCallback) && !errors.Is(err, scancode.ErrDecrypt) {
				t.Fatalf("untyped error: %v", err)
			}
			return
		}
		if !json.Valid(c.Raw) || c.Raw[0] != '{' {
			t.Fatalf("parsed a non-object payload: %q", c.Raw)
		}
		_ = c.IdempotencyKey()
	})
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
