package scancode_test

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"testing"

	"github.com/bizapi-cn/go-sdk/internal/testvectors"
	"github.com/bizapi-cn/go-sdk/scancode"
	"github.com/bizapi-cn/go-sdk/store"
)

func loadVectors(t testing.TB) testvectors.Scancode {
	t.Helper()
	var v testvectors.Scancode
	if err := testvectors.Load("scancode_sm2_sm4.json", &v); err != nil {
		t.Fatal(err)
	}
	return v
}

func mustHex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func formBody(typ, encrypt, desKey string) []byte {
	return formBodyOf(typ, encrypt, desKey, "")
}

// formBodyOf is formBody with a platformCode ("" leaves it out: the vectors
// give none, and a tId's first 11 characters are its platformCode).
func formBodyOf(typ, encrypt, desKey, platform string) []byte {
	data, _ := json.Marshal(scancode.Envelope{Encrypt: encrypt, DesKey: desKey})
	form := url.Values{"type": {typ}, "data": {string(data)}}
	if platform != "" {
		form.Set("platformCode", platform)
	}
	return []byte(form.Encode())
}

// TestVectors decrypts every vector message through Parse, with the desKey
// in each of its three encodings (explicit and auto) and with the
// pre-shared key, from the PEM and the hex private key.
func TestVectors(t *testing.T) {
	t.Parallel()
	v := loadVectors(t)
	pemKey, err := testvectors.Read("keys/sm2_private.pem")
	if err != nil {
		t.Fatal(err)
	}
	desKeys := map[scancode.SM2Encoding]string{
		scancode.SM2EncodingASN1: v.DesKey.ASN1B64, scancode.SM2EncodingC1C3C2: v.DesKey.C1C3C2B64, scancode.SM2EncodingC1C2C3: v.DesKey.C1C2C3B64,
	}
	ctx := context.Background()
	for _, m := range v.Messages {
		mode, iv := scancode.SM4ModeECB, []byte(nil)
		if m.Mode == "CBC" {
			mode, iv = scancode.SM4ModeCBC, mustHex(t, m.IVHex)
		}
		var want map[string]any
		if err := json.Unmarshal([]byte(m.Payload), &want); err != nil {
			t.Fatal(err)
		}
		check := func(name string, c *scancode.Callback, err error) {
			t.Helper()
			if err != nil {
				t.Errorf("%s: Parse = %v", name, err)
				return
			}
			if string(c.Raw) != m.Payload {
				t.Errorf("%s: Raw = %s; want %s", name, c.Raw, m.Payload)
			}
			if c.Type != scancode.Type(m.Type) || c.Payload == nil || c.EventID() != want[tidKey(want)] {
				t.Errorf("%s: type %s payload %T tId %q; want %s, %v", name, c.Type, c.Payload, c.EventID(), m.Type, want[tidKey(want)])
			}
		}
		for _, key := range [][]byte{pemKey, []byte(v.SM2PrivateHex)} {
			for enc, desKey := range desKeys {
				for _, cfgEnc := range []scancode.SM2Encoding{enc, scancode.SM2EncodingAuto} {
					d, err := scancode.NewDecrypter(scancode.DecrypterConfig{SM2PrivateKey: key, SM2Encoding: cfgEnc, SM4Mode: mode, IV: iv})
					if err != nil {
						t.Fatal(err)
					}
					c, err := parse(ctx, "application/x-www-form-urlencoded", formBody(m.Type, m.EncryptB64, desKey), d)
					check(m.Type+"/"+m.Mode+"/envelope", c, err)
					// With the platformCode its tId begins with, and with another.
					tid, _ := want[tidKey(want)].(string)
					if scancode.ValidateTID(tid) != nil {
						t.Fatalf("%s: vector tId %q is not platformCode + 32 hex", m.Type, tid)
					}
					c, err = parse(ctx, "application/x-www-form-urlencoded", formBodyOf(m.Type, m.EncryptB64, desKey, tid[:11]), d)
					check(m.Type+"/"+m.Mode+"/envelope+platformCode", c, err)
					if c != nil && c.PlatformCode != tid[:11] {
						t.Errorf("%s: PlatformCode %q", m.Type, c.PlatformCode)
					}
					if _, err := parse(ctx, "application/x-www-form-urlencoded", formBodyOf(m.Type, m.EncryptB64, desKey, "Z9999999999"), d); !errors.Is(err, scancode.ErrMalformedCallback) {
						t.Errorf("%s: platformCode other than the tId's: %v", m.Type, err)
					}
				}
			}
		}
		d, err := scancode.NewDecrypter(scancode.DecrypterConfig{SM4Key: mustHex(t, v.SM4KeyHex), SM4Mode: mode, IV: iv})
		if err != nil {
			t.Fatal(err)
		}
		c, err := parse(ctx, "", formBody(m.Type, m.EncryptB64, ""), d)
		check(m.Type+"/"+m.Mode+"/pre-shared", c, err)
	}
}

func tidKey(m map[string]any) string {
	for _, k := range []string{"tId", "TId", "tid"} {
		if _, ok := m[k]; ok {
			return k
		}
	}
	return ""
}

// TestVectorsWrongEncodingFails: a desKey decrypted with the wrong explicit
// encoding is refused, never turned into a wrong key silently.
func TestVectorsWrongEncodingFails(t *testing.T) {
	t.Parallel()
	v := loadVectors(t)
	d, err := scancode.NewDecrypter(scancode.DecrypterConfig{SM2PrivateKey: []byte(v.SM2PrivateHex), SM2Encoding: scancode.SM2EncodingC1C2C3})
	if err != nil {
		t.Fatal(err)
	}
	m := v.Messages[0]
	_, err = parse(context.Background(), "", formBody(m.Type, m.EncryptB64, v.DesKey.C1C3C2B64), d)
	if err == nil {
		t.Fatal("Parse with the wrong SM2 encoding = nil error")
	}
}

func mustRead(t testing.TB, name string) []byte {
	t.Helper()
	b, err := testvectors.Read(name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// parse is ParseCallback with the Content-Type given as a string.
func parse(ctx context.Context, ct string, body []byte, d scancode.Decrypter) (*scancode.Callback, error) {
	return scancode.ParseCallback(ctx, d, http.Header{"Content-Type": {ct}}, body)
}

// newHandler is NewCallbackHandler for a test: an error fails it.
func newHandler(t testing.TB, d scancode.Decrypter, fn scancode.CallbackFunc, opts ...scancode.HandlerOption) http.Handler {
	t.Helper()
	h, err := scancode.NewCallbackHandler(d, fn, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// memDedup is a fresh in-memory dedup store.
func memDedup(t testing.TB) store.Dedup {
	t.Helper()
	s, err := store.NewMemoryDedup()
	if err != nil {
		t.Fatal(err)
	}
	return s
}
