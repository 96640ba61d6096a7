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
// panics, every error is ErrMalformed or ErrDecrypt, and whatever parses has
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
		c, err := scancode.Parse(context.Background(), ct, body, d)
		if err != nil {
			if !errors.Is(err, scancode.ErrMalformed) && !errors.Is(err, scancode.ErrDecrypt) {
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
		mode := scancode.SM4Mode(variant / 3 % 2)
		app, err := scancodetest.NewApp(scancodetest.Config{SM2PublicKey: pub, SM2Encoding: enc, SM4Mode: mode, IV: iv, Body: scancodetest.Body(variant / 6 % 2)})
		if err != nil {
			t.Fatal(err)
		}
		d, _ := scancode.NewDecrypter(scancode.DecrypterConfig{SM2PrivateKey: priv, SM4Mode: mode, IV: iv})
		env, err := app.Envelope([]byte(payload))
		if err != nil {
			t.Fatal(err)
		}
		ct, body, _ := app.Request("77", env)
		c, err := scancode.Parse(context.Background(), ct, body, d)
		if err != nil {
			t.Fatalf("Parse = %v", err)
		}
		var back map[string]any
		if err := json.Unmarshal(c.Raw, &back); err != nil || len(back) != len(obj) {
			t.Fatalf("payload changed: %s", c.Raw)
		}
	})
}
