package main

import (
	"bytes"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"flag"
	"fmt"
	"os"

	"github.com/bizapi-cn/go-sdk/internal/gm"

	"github.com/bizapi-cn/go-sdk/internal/keys"
	"github.com/tjfoc/gmsm/sm2"
)

// keyInfo is what a key file holds.
type keyInfo struct {
	kind   string // "RSA private key", "SM2 public key", ...
	size   int    // bits
	format string
	pub    any // the public key (or public half)
	priv   any
}

// describeEncoding names the outer encoding of key text.
func describeEncoding(data []byte) (string, []byte) {
	t := bytes.TrimSpace(data)
	if b, _ := pem.Decode(t); b != nil {
		return fmt.Sprintf("PEM %q", b.Type), b.Bytes
	}
	if len(t) == 64 || len(t) == 130 {
		if b, err := hex.DecodeString(string(t)); err == nil {
			return "hex", b
		}
	}
	if b, err := base64.StdEncoding.DecodeString(string(bytes.Join(bytes.Fields(t), nil))); err == nil {
		return "base64 DER", b
	}
	return "unknown", nil
}

// derForm names the DER structure, for RSA keys.
func derForm(der []byte) string {
	if _, err := x509.ParsePKCS1PrivateKey(der); err == nil {
		return "PKCS#1"
	}
	if _, err := x509.ParsePKCS8PrivateKey(der); err == nil {
		return "PKCS#8"
	}
	if _, err := x509.ParsePKIXPublicKey(der); err == nil {
		return "SPKI"
	}
	if _, err := x509.ParsePKCS1PublicKey(der); err == nil {
		return "PKCS#1 public"
	}
	if _, err := x509.ParseCertificate(der); err == nil {
		return "X.509 certificate"
	}
	return ""
}

func inspectKey(data []byte) (keyInfo, error) {
	enc, der := describeEncoding(data)
	form := derForm(der)
	if form != "" {
		form = enc + ", " + form
	} else {
		form = enc
	}
	if k, err := keys.ParseRSAPrivateKey(data); err == nil {
		return keyInfo{"RSA private key", k.N.BitLen(), form, &k.PublicKey, k}, nil
	}
	if k, err := keys.ParseRSAPublicKey(data); err == nil {
		return keyInfo{"RSA public key", k.N.BitLen(), form, k, nil}, nil
	}
	sm2Forms := map[string]string{`PEM "PRIVATE KEY"`: ", PKCS#8", `PEM "EC PRIVATE KEY"`: ", SEC1", `PEM "PUBLIC KEY"`: ", SPKI"}
	if k, err := gm.ParseSM2PrivateKey(data); err == nil {
		form += sm2Forms[enc]
		if enc == "hex" {
			form = "hex (raw 32-byte scalar)"
		}
		return keyInfo{"SM2 private key", 256, form, &k.PublicKey, k}, nil
	}
	if k, err := gm.ParseSM2PublicKey(data); err == nil {
		form += sm2Forms[enc]
		if enc == "hex" {
			form = "hex (raw uncompressed point)"
		}
		return keyInfo{"SM2 public key", 256, form, k, nil}, nil
	}
	_, err := keys.ParseRSAPrivateKey(data)
	if errors.Is(err, keys.ErrNoKey) {
		return keyInfo{}, err
	}
	_, perr := keys.ParseRSAPublicKey(data)
	return keyInfo{}, fmt.Errorf("%s holds no RSA or SM2 key we can read (%w; %w)", enc, err, perr)
}

func keysInspect(fs *flag.FlagSet) func(*env, []string) error {
	return func(e *env, args []string) error {
		if len(args) == 0 {
			return usagef("give one or more key files: bizapi keys inspect FILE...")
		}
		o := out{e.stdout}
		bad := 0
		for _, p := range args {
			data, err := os.ReadFile(p)
			if err != nil {
				return usagef("%v", err)
			}
			o.text("%s:", p)
			ki, err := inspectKey(data)
			if err != nil {
				o.text("  error:       %v", err)
				bad++
				continue
			}
			o.text("  kind:        %s", ki.kind)
			o.text("  size:        %d bits", ki.size)
			o.text("  format:      %s", ki.format)
			o.text("  fingerprint: %s", fingerprint(ki.pub))
			if ki.priv != nil {
				o.text("  note:        a private key: keep it secret; the fingerprint is of its public half")
			}
			if rk, ok := ki.pub.(*rsa.PublicKey); ok && rk.N.BitLen() < 2048 {
				o.text("  note:        RSA keys below 2048 bits are refused by the providers")
			}
		}
		if bad > 0 {
			return failf("%d file(s) hold no key", bad)
		}
		return nil
	}
}

func keysPair(fs *flag.FlagSet) func(*env, []string) error {
	privSrc := keyFlags(fs, "key", "the private key")
	pubSrc := keyFlags(fs, "pub", "the public key")
	return func(e *env, _ []string) error {
		pd, err := privSrc.read(e)
		if err != nil {
			return err
		}
		ud, err := pubSrc.read(e)
		if err != nil {
			return err
		}
		pk, err := inspectKey(pd)
		if err != nil {
			return usagef("--key: %v", err)
		}
		uk, err := inspectKey(ud)
		if err != nil {
			return usagef("--pub: %v", err)
		}
		o := out{e.stdout}
		o.line("private", "%s, %s, public half %s", pk.kind, pk.format, fingerprint(pk.pub))
		o.line("public", "%s, %s, %s", uk.kind, uk.format, fingerprint(uk.pub))
		if pk.priv == nil {
			o.line("result", "FAILED: --key holds a public key")
			return failf("--key holds %s, not a private key", pk.kind)
		}
		if uk.priv != nil {
			o.text("note: --pub holds a private key; its public half is compared")
		}
		switch p := pk.priv.(type) {
		case *rsa.PrivateKey:
			u, ok := uk.pub.(*rsa.PublicKey)
			if !ok {
				o.line("result", "FAILED: an RSA private key and an SM2 public key")
				return failf("the keys are of different kinds")
			}
			err = keys.CheckRSAPair(p, u)
		case *sm2.PrivateKey:
			u, ok := uk.pub.(*sm2.PublicKey)
			if !ok {
				o.line("result", "FAILED: an SM2 private key and an RSA public key")
				return failf("the keys are of different kinds")
			}
			err = gm.CheckSM2Pair(p, u)
		}
		if err != nil {
			o.line("result", "FAILED: not a pair: the public key's fingerprint differs from the private key's public half")
			return failf("the keys do not form a pair")
		}
		o.line("result", "OK: the keys form a pair")
		return nil
	}
}
