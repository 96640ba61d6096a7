package keys_test

import (
	"testing"

	"github.com/bizapi-cn/go-sdk/internal/gm"

	"github.com/bizapi-cn/go-sdk/internal/keys"
	"github.com/bizapi-cn/go-sdk/internal/testvectors"
)

// FuzzParseKeys: no loader panics on any input, and whatever parses as a
// private key is a usable one (its public half parses back the same way).
func FuzzParseKeys(f *testing.F) {
	for _, name := range []string{
		"merchant_rsa_private_pkcs1.pem", "merchant_rsa_private_pkcs8.b64", "merchant_rsa_public.pem",
		"merchant_rsa_public.b64", "sm2_private.pem", "sm2_public.pem",
	} {
		b, err := testvectors.Read("keys/" + name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte("98ab2d3a4b37477f5d40eca4e1e5558b74d10f7115810a3c9a7366a856a35ba1"))
	f.Add([]byte("-----BEGIN PRIVATE KEY-----\n\n-----END PRIVATE KEY-----\n"))
	f.Add([]byte("MAA="))
	f.Fuzz(func(t *testing.T, in []byte) {
		if k, err := keys.ParseRSAPrivateKey(in); err == nil {
			if k.N == nil || k.D == nil {
				t.Fatal("RSA private key without modulus or exponent")
			}
		}
		if k, err := keys.ParseRSAPublicKey(in); err == nil && k.N == nil {
			t.Fatal("RSA public key without modulus")
		}
		if k, err := gm.ParseSM2PrivateKey(in); err == nil {
			if k.D == nil || k.D.Sign() <= 0 || !k.Curve.IsOnCurve(k.X, k.Y) { //nolint:staticcheck // SA1019: tjfoc's SM2 curve
				t.Fatal("SM2 private key is not usable")
			}
		}
		if k, err := gm.ParseSM2PublicKey(in); err == nil && !k.Curve.IsOnCurve(k.X, k.Y) { //nolint:staticcheck // SA1019: tjfoc's SM2 curve
			t.Fatal("SM2 public key is not on the curve")
		}
	})
}
