package keys_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/bizapi-cn/go-sdk/internal/gm"

	"github.com/bizapi-cn/go-sdk/internal/keys"
	"github.com/bizapi-cn/go-sdk/internal/testvectors"
)

func read(t *testing.T, name string) []byte {
	t.Helper()
	b, err := testvectors.Read("keys/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// derOf returns the DER inside a PEM file.
func derOf(t *testing.T, name string) []byte {
	t.Helper()
	block, _ := pem.Decode(read(t, name))
	if block == nil {
		t.Fatalf("%s: no PEM", name)
	}
	return block.Bytes
}

func b64(b []byte) []byte { return []byte(base64.StdEncoding.EncodeToString(b)) }

// wrap splits base64 into 64-column lines, as key files often are.
func wrap(b []byte) []byte {
	var out []byte
	for len(b) > 64 {
		out = append(out, b[:64]...)
		out = append(out, '\n')
		b = b[64:]
	}
	return append(out, b...)
}

func TestParseRSAPrivateKeyFormats(t *testing.T) {
	t.Parallel()
	want, err := keys.ParseRSAPrivateKey(read(t, "merchant_rsa_private_pkcs1.pem"))
	if err != nil {
		t.Fatal(err)
	}
	pkcs1 := derOf(t, "merchant_rsa_private_pkcs1.pem")
	pkcs8 := derOf(t, "merchant_rsa_private_pkcs8.pem")
	for name, in := range map[string][]byte{
		"PEM PKCS#8":                 read(t, "merchant_rsa_private_pkcs8.pem"),
		"bare base64 PKCS#8 (file)":  read(t, "merchant_rsa_private_pkcs8.b64"),
		"bare base64 PKCS#8":         b64(pkcs8),
		"bare base64 PKCS#1 wrapped": wrap(b64(pkcs1)),
		"PEM with surrounding space": append(append([]byte("\n  "), read(t, "merchant_rsa_private_pkcs1.pem")...), "\n\n"...),
	} {
		got, err := keys.ParseRSAPrivateKey(in)
		if err != nil {
			t.Errorf("%s: ParseRSAPrivateKey = %v", name, err)
			continue
		}
		if !got.Equal(want) {
			t.Errorf("%s: parsed a different key", name)
		}
	}
}

func TestParseRSAPublicKeyFormats(t *testing.T) {
	t.Parallel()
	priv, err := keys.ParseRSAPrivateKey(read(t, "platform_rsa_private_pkcs1.pem"))
	if err != nil {
		t.Fatal(err)
	}
	spki := derOf(t, "platform_rsa_public.pem")
	pkcs1 := x509.MarshalPKCS1PublicKey(&priv.PublicKey)
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "platform test"},
		NotBefore: time.Unix(0, 0), NotAfter: time.Unix(1<<31, 0),
	}
	cert, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &priv.PublicKey, priv)
	if err != nil {
		t.Fatal(err)
	}
	for name, in := range map[string][]byte{
		"PEM SPKI":           read(t, "platform_rsa_public.pem"),
		"bare base64 (file)": read(t, "platform_rsa_public.b64"),
		"bare base64 SPKI":   b64(spki),
		"PEM PKCS#1 public":  pem.EncodeToMemory(&pem.Block{Type: "RSA PUBLIC KEY", Bytes: pkcs1}),
		"PEM certificate":    pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert}),
		"base64 certificate": b64(cert),
	} {
		got, err := keys.ParseRSAPublicKey(in)
		if err != nil {
			t.Errorf("%s: ParseRSAPublicKey = %v", name, err)
			continue
		}
		if !got.Equal(&priv.PublicKey) {
			t.Errorf("%s: parsed a different key", name)
		}
	}
}

func TestParseSM2Keys(t *testing.T) {
	t.Parallel()
	var v testvectors.Scancode
	if err := testvectors.Load("scancode_sm2_sm4.json", &v); err != nil {
		t.Fatal(err)
	}
	fromPEM, err := gm.ParseSM2PrivateKey(read(t, "sm2_private.pem"))
	if err != nil {
		t.Fatal(err)
	}
	fromHex, err := gm.ParseSM2PrivateKey([]byte(v.SM2PrivateHex))
	if err != nil {
		t.Fatal(err)
	}
	if fromPEM.D.Cmp(fromHex.D) != 0 {
		t.Error("PEM and hex private keys differ")
	}
	if _, err := gm.ParseSM2PrivateKey(b64(derOf(t, "sm2_private.pem"))); err != nil {
		t.Errorf("bare base64 SM2 private key: %v", err)
	}
	for name, in := range map[string]string{
		"PEM":          string(read(t, "sm2_public.pem")),
		"hex with 04":  v.SM2PublicHex,
		"hex no 04":    v.SM2PublicHex[2:],
		"upper hex":    strings.ToUpper(v.SM2PublicHex),
		"base64 SPKI":  string(b64(derOf(t, "sm2_public.pem"))),
		"hex + spaces": "  " + v.SM2PublicHex + "\n",
	} {
		pub, err := gm.ParseSM2PublicKey([]byte(in))
		if err != nil {
			t.Errorf("%s: ParseSM2PublicKey = %v", name, err)
			continue
		}
		if err := gm.CheckSM2Pair(fromPEM, pub); err != nil {
			t.Errorf("%s: CheckSM2Pair = %v", name, err)
		}
	}
}

func TestWrongKinds(t *testing.T) {
	t.Parallel()
	ec, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	ecDER, _ := x509.MarshalPKCS8PrivateKey(ec)
	ecPub, _ := x509.MarshalPKIXPublicKey(&ec.PublicKey)
	ecPEM := pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: ecDER})
	rsaPriv := read(t, "merchant_rsa_private_pkcs8.pem")
	rsaPub := read(t, "merchant_rsa_public.pem")
	encrypted := []byte("-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00000000000000000000000000000000\n\nAAAA\n-----END RSA PRIVATE KEY-----\n")
	sm2Priv := read(t, "sm2_private.pem")
	sm2Pub := read(t, "sm2_public.pem")

	cases := []struct {
		name  string
		parse func([]byte) error
		in    []byte
		want  string // part of the error
	}{
		{"RSA private from public PEM", rsaPrivErr, rsaPub, `PEM block "PUBLIC KEY" holds a public key, want a private key`},
		{"RSA private from base64 public", rsaPrivErr, b64(derOf(t, "merchant_rsa_public.pem")), "base64 DER holds a public key"},
		{"RSA private from EC key", rsaPrivErr, ecPEM, "holds an EC private key (P-256), want an RSA private key"},
		{"RSA private from SM2 key", rsaPrivErr, sm2Priv, "holds an SM2 private key, want an RSA private key"},
		{"RSA private from encrypted PEM", rsaPrivErr, encrypted, "encrypted or has headers"},
		{"RSA private from empty", rsaPrivErr, nil, "no key found"},
		{"RSA private from garbage", rsaPrivErr, []byte("not a key at all!"), "no key found"},
		{"RSA private from bad DER", rsaPrivErr, b64([]byte("0123456789")), "base64 DER is not a PKCS#1 or PKCS#8 private key"},
		{"RSA private from broken PEM", rsaPrivErr, []byte("-----BEGIN PRIVATE KEY-----\nxx"), "malformed PEM"},
		{"RSA public from private PEM", rsaPubErr, rsaPriv, "holds a private key, want a public key"},
		{"RSA public from EC public", rsaPubErr, b64(ecPub), "holds an EC public key (P-256), want an RSA public key"},
		{"RSA public from SM2 public", rsaPubErr, sm2Pub, "holds an SM2 public key, want an RSA public key"},
		{"SM2 private from RSA", sm2PrivErr, rsaPriv, "holds an RSA private key, want an SM2 private key"},
		{"SM2 private from public PEM", sm2PrivErr, sm2Pub, "holds a public key, want a private key"},
		{"SM2 private from public hex", sm2PrivErr, []byte(strings.Repeat("ab", 65)), "holds an SM2 public key, want a private key"},
		{"SM2 private zero scalar", sm2PrivErr, []byte(strings.Repeat("0", 64)), "not a valid SM2 private key"},
		{"SM2 public from RSA", sm2PubErr, rsaPub, "holds an RSA public key, want an SM2 public key"},
		{"SM2 public from private hex", sm2PubErr, []byte(strings.Repeat("1", 64)), "holds an SM2 private key, want a public key"},
		{"SM2 public not on curve", sm2PubErr, []byte("04" + strings.Repeat("1", 128)), "not a point on the SM2 curve"},
		{"SM2 public compressed hex", sm2PubErr, []byte("03" + strings.Repeat("1", 128)), "uncompressed point"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			err := c.parse(c.in)
			if err == nil {
				t.Fatalf("got nil error; want one containing %q", c.want)
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Errorf("error = %q; want it to contain %q", err, c.want)
			}
			if !strings.HasPrefix(err.Error(), "keys: ") {
				t.Errorf("error %q lacks the keys: prefix", err)
			}
			assertNoKeyMaterial(t, err, c.in)
		})
	}
}

// assertNoKeyMaterial fails when the error contains any 16-character run of
// the input's non-header text.
func assertNoKeyMaterial(t *testing.T, err error, in []byte) {
	t.Helper()
	msg := err.Error()
	for _, line := range strings.Split(string(in), "\n") {
		line = strings.TrimSpace(line)
		if strings.HasPrefix(line, "-----") || strings.Contains(line, ":") {
			continue
		}
		for i := 0; i+16 <= len(line); i += 8 {
			if strings.Contains(msg, line[i:i+16]) {
				t.Fatalf("error %q echoes key material", msg)
			}
		}
	}
}

func rsaPrivErr(b []byte) error { _, err := keys.ParseRSAPrivateKey(b); return err }
func rsaPubErr(b []byte) error  { _, err := keys.ParseRSAPublicKey(b); return err }
func sm2PrivErr(b []byte) error { _, err := gm.ParseSM2PrivateKey(b); return err }
func sm2PubErr(b []byte) error  { _, err := gm.ParseSM2PublicKey(b); return err }

func TestCheckRSAPair(t *testing.T) {
	t.Parallel()
	priv, _ := keys.ParseRSAPrivateKey(read(t, "merchant_rsa_private_pkcs1.pem"))
	own, _ := keys.ParseRSAPublicKey(read(t, "merchant_rsa_public.pem"))
	other, _ := keys.ParseRSAPublicKey(read(t, "platform_rsa_public.pem"))
	if err := keys.CheckRSAPair(priv, own); err != nil {
		t.Errorf("CheckRSAPair(merchant, merchant) = %v", err)
	}
	if err := keys.CheckRSAPair(priv, other); !errors.Is(err, keys.ErrKeyMismatch) {
		t.Errorf("CheckRSAPair(merchant, platform) = %v; want ErrKeyMismatch", err)
	}
	if err := keys.CheckRSAPair(nil, own); err == nil {
		t.Error("CheckRSAPair(nil, ...) = nil")
	}
	var _ *rsa.PublicKey = own
}

func TestCheckSM2PairMismatch(t *testing.T) {
	t.Parallel()
	priv, _ := gm.ParseSM2PrivateKey(read(t, "sm2_private.pem"))
	other, err := gm.ParseSM2PrivateKey([]byte(strings.Repeat("1", 64)))
	if err != nil {
		t.Fatal(err)
	}
	if err := gm.CheckSM2Pair(priv, &other.PublicKey); !errors.Is(err, keys.ErrKeyMismatch) {
		t.Errorf("CheckSM2Pair(mismatch) = %v; want ErrKeyMismatch", err)
	}
}

func TestSource(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "k.pem")
	if err := os.WriteFile(path, []byte("PEM TEXT"), 0o600); err != nil {
		t.Fatal(err)
	}
	if got, err := keys.Source("@" + path); err != nil || string(got) != "PEM TEXT" {
		t.Errorf("Source(@path) = %q, %v; want PEM TEXT", got, err)
	}
	if got, err := keys.Source("literal"); err != nil || string(got) != "literal" {
		t.Errorf("Source(literal) = %q, %v", got, err)
	}
	if _, err := keys.Source("@" + path + ".missing"); err == nil {
		t.Error("Source(@missing) = nil error")
	}
}
