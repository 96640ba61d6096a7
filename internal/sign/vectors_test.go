package sign_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bizapi-cn/go-sdk/internal/gm"

	"github.com/bizapi-cn/go-sdk/internal/keys"
	"github.com/bizapi-cn/go-sdk/internal/sign"
	"github.com/bizapi-cn/go-sdk/internal/testvectors"
)

func TestLevyHMACVectors(t *testing.T) {
	t.Parallel()
	var v testvectors.Levy
	if err := testvectors.Load("levy_hmac.json", &v); err != nil {
		t.Fatal(err)
	}
	for i, r := range v.Requests {
		m := sign.NewHMACSHA256([]byte(r.Secret))
		if got := m.Base64([]byte(r.Req)); got != r.Sign {
			t.Errorf("request %d: Base64 = %s; want %s", i, got, r.Sign)
		}
		if err := m.VerifyBase64([]byte(r.Req), r.Sign); err != nil {
			t.Errorf("request %d: VerifyBase64 = %v", i, err)
		}
		if err := m.VerifyBase64([]byte(r.Req+" "), r.Sign); !errors.Is(err, sign.ErrInvalidSignature) {
			t.Errorf("request %d: VerifyBase64(tampered) = %v; want ErrInvalidSignature", i, err)
		}
	}
	m := sign.NewHMACSHA256([]byte(v.Response.Secret))
	if err := m.VerifyBase64([]byte(v.Response.Body), v.Response.APISign); err != nil {
		t.Errorf("response: VerifyBase64 = %v", err)
	}
	if err := m.VerifyBase64([]byte(v.Response.Body), "!!notbase64"); !errors.Is(err, sign.ErrInvalidSignature) {
		t.Errorf("VerifyBase64(malformed) = %v; want ErrInvalidSignature", err)
	}
}

func TestDECSHashVector(t *testing.T) {
	t.Parallel()
	var v testvectors.DECSDocs
	if err := testvectors.Load("evidence_decs_docs.json", &v); err != nil {
		t.Fatal(err)
	}
	m := sign.NewHMACSHA256([]byte(v.DECSHash.AppKey))
	msg := []byte(v.DECSHash.SortedJSON + v.DECSHash.AppKey)
	if got := m.UpperHex(msg); got != v.DECSHash.DECSHash {
		t.Errorf("UpperHex = %s; want %s", got, v.DECSHash.DECSHash)
	}
	if err := m.VerifyHex(msg, strings.ToLower(v.DECSHash.DECSHash)); err != nil {
		t.Errorf("VerifyHex(lowercase) = %v", err)
	}
	if err := m.VerifyHex(msg, v.DECSHash.DECSHash[:10]); !errors.Is(err, sign.ErrInvalidSignature) {
		t.Errorf("VerifyHex(short) = %v; want ErrInvalidSignature", err)
	}

	// The notification signature: SHA256withRSA over the ASCII uppercase hash.
	pub, err := keys.ParseRSAPublicKey([]byte(v.NotifySign.PublicKeySPKIB64))
	if err != nil {
		t.Fatal(err)
	}
	ver, _ := sign.NewRSAVerifier(pub)
	ctx := context.Background()
	if err := ver.VerifyBase64(ctx, []byte(v.NotifySign.DECSHash), v.NotifySign.DECSSignB64); err != nil {
		t.Errorf("notify DECSSIGN VerifyBase64 = %v", err)
	}
	if err := ver.VerifyBase64(ctx, []byte(strings.ToLower(v.NotifySign.DECSHash)), v.NotifySign.DECSSignB64); !errors.Is(err, sign.ErrInvalidSignature) {
		t.Errorf("DECSSIGN over lowercase hash = %v; want ErrInvalidSignature", err)
	}
}

// TestHMACSM3Vectors checks HMAC-SM3 against OpenSSL (testdata/own_hmac_sm3.json).
func TestHMACSM3Vectors(t *testing.T) {
	t.Parallel()
	var v struct {
		HMACSM3 []struct{ Key, Msg, Hex string } `json:"hmac_sm3"`
	}
	b, err := os.ReadFile(filepath.Join("..", "testdata", "own_hmac_sm3.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	if len(v.HMACSM3) == 0 {
		t.Fatal("no HMAC-SM3 vectors")
	}
	for i, c := range v.HMACSM3 {
		m := gm.NewHMACSM3([]byte(c.Key))
		if got := m.UpperHex([]byte(c.Msg)); got != strings.ToUpper(c.Hex) {
			t.Errorf("case %d: UpperHex = %s; want %s", i, got, strings.ToUpper(c.Hex))
		}
		if err := m.VerifyHex([]byte(c.Msg), c.Hex); err != nil {
			t.Errorf("case %d: VerifyHex = %v", i, err)
		}
		if got := base64.StdEncoding.EncodeToString(m.Sum([]byte(c.Msg))); got != m.Base64([]byte(c.Msg)) {
			t.Errorf("case %d: Base64 = %s; want %s", i, m.Base64([]byte(c.Msg)), got)
		}
	}
	if m := gm.NewHMACSM3(nil); m.Algorithm() != "HMAC-SM3" {
		t.Errorf("Algorithm() = %q; want HMAC-SM3", m.Algorithm())
	}
}

func TestAllinpayRSA2Signatures(t *testing.T) {
	t.Parallel()
	var v testvectors.Allinpay
	if err := testvectors.Load("allinpay_rsa2.json", &v); err != nil {
		t.Fatal(err)
	}
	pemPriv, _ := testvectors.Read(v.MerchantPrivateKey)
	priv, err := keys.ParseRSAPrivateKey(pemPriv)
	if err != nil {
		t.Fatal(err)
	}
	s, err := sign.NewRSASigner(priv)
	if err != nil {
		t.Fatal(err)
	}
	ver, _ := sign.NewRSAVerifier(s.Public())
	ctx := context.Background()
	for i, r := range v.Requests {
		// PKCS#1 v1.5 signatures are deterministic: the bytes must match.
		got, err := s.SignBase64(ctx, []byte(r.Canonical))
		if err != nil {
			t.Fatal(err)
		}
		if got != r.Signature {
			t.Errorf("request %d: SignBase64 = %s; want %s", i, got, r.Signature)
		}
		if err := ver.VerifyBase64(ctx, []byte(r.Canonical), r.Signature); err != nil {
			t.Errorf("request %d: VerifyBase64 = %v", i, err)
		}
	}
}

// TestHMACReleaseReuse: a hash given back with Release, half-written,
// comes out of New reset: its MAC is the vector's, as from a fresh key.
func TestHMACReleaseReuse(t *testing.T) {
	m := sign.NewHMACSHA256([]byte("key"))
	want := m.Sum([]byte("The quick brown fox jumps over the lazy dog"))
	for range 3 {
		h := m.New()
		h.Write([]byte("The quick brown fox "))
		h.Write([]byte("jumps over the lazy dog"))
		if got := h.Sum(nil); !bytes.Equal(got, want) {
			t.Fatalf("MAC from a reused hash %x; want %x", got, want)
		}
		h.Write([]byte("left over"))
		m.Release(h)
	}
	// The published example answer for this key and message.
	if hex.EncodeToString(want) != "f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8" {
		t.Errorf("HMAC-SHA256 = %x", want)
	}
}
