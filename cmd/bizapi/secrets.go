package main

import (
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/bizapi-cn/go-sdk/internal/diag"
	"github.com/bizapi-cn/go-sdk/internal/keys"
	"github.com/bizapi-cn/go-sdk/internal/mask"
	"github.com/tjfoc/gmsm/sm2"
)

// secretSource is a secret given as --<name>-env VAR or --<name>-file PATH.
// There is deliberately no flag that takes the secret itself: arguments end
// up in shell history and in the process list.
type secretSource struct {
	name      string
	env, file string
}

func secretFlags(fs *flag.FlagSet, name, what string) *secretSource {
	s := &secretSource{name: name}
	fs.StringVar(&s.env, name+"-env", "", "environment variable holding "+what)
	fs.StringVar(&s.file, name+"-file", "", "file holding "+what)
	return s
}

func (s *secretSource) given() bool { return s.env != "" || s.file != "" }

// get returns the secret, without the line ending a file usually has.
func (s *secretSource) get(e *env) ([]byte, error) {
	switch {
	case s.env != "" && s.file != "":
		return nil, usagef("give --%s-env or --%s-file, not both", s.name, s.name)
	case s.env != "":
		v := e.getenv(s.env)
		if v == "" {
			return nil, usagef("environment variable %s (--%s-env) is empty or not set", s.env, s.name)
		}
		return []byte(strings.TrimRight(v, "\r\n")), nil
	case s.file != "":
		b, err := os.ReadFile(s.file)
		if err != nil {
			return nil, usagef("--%s-file: %v", s.name, err)
		}
		b = trimNL(b)
		if len(b) == 0 {
			return nil, usagef("--%s-file %s is empty", s.name, s.file)
		}
		return b, nil
	}
	return nil, usagef("give --%s-env VAR or --%s-file PATH", s.name, s.name)
}

// keySource is a key given as a file or an environment variable (PEM,
// base64 DER, hex, or "@path" as in the examples' *_KEY variables).
type keySource struct {
	name      string
	env, file string
}

func keyFlags(fs *flag.FlagSet, name, what string) *keySource {
	k := &keySource{name: name}
	fs.StringVar(&k.file, name+"-file", "", "file holding "+what+" (PEM, base64 DER or hex)")
	fs.StringVar(&k.env, name+"-env", "", "environment variable holding "+what+` (key text or "@path")`)
	return k
}

func (k *keySource) given() bool { return k.env != "" || k.file != "" }

func (k *keySource) label() string {
	if k.file != "" {
		return k.file
	}
	return "$" + k.env
}

func (k *keySource) read(e *env) ([]byte, error) {
	switch {
	case k.env != "" && k.file != "":
		return nil, usagef("give --%s-file or --%s-env, not both", k.name, k.name)
	case k.file != "":
		b, err := os.ReadFile(k.file)
		if err != nil {
			return nil, usagef("--%s-file: %v", k.name, err)
		}
		return b, nil
	case k.env != "":
		v := e.getenv(k.env)
		if v == "" {
			return nil, usagef("environment variable %s (--%s-env) is empty or not set", k.env, k.name)
		}
		b, err := keys.Source(v)
		if err != nil {
			return nil, usagef("--%s-env: %v", k.name, err)
		}
		return b, nil
	}
	return nil, usagef("give --%s-file PATH or --%s-env VAR", k.name, k.name)
}

func (k *keySource) rsaPrivate(e *env) (*rsa.PrivateKey, error) {
	b, err := k.read(e)
	if err != nil {
		return nil, err
	}
	p, err := keys.ParseRSAPrivateKey(b)
	if err != nil {
		return nil, usagef("--%s (%s): %v", k.name, k.label(), err)
	}
	return p, nil
}

func (k *keySource) rsaPublic(e *env) (*rsa.PublicKey, error) {
	b, err := k.read(e)
	if err != nil {
		return nil, err
	}
	p, err := keys.ParseRSAPublicKey(b)
	if err != nil {
		return nil, usagef("--%s (%s): %v", k.name, k.label(), err)
	}
	return p, nil
}

// fingerprint names a public key without showing it: SHA256 of its SPKI
// DER (for SM2: of the uncompressed point), base64, as OpenSSH prints them.
func fingerprint(pub any) string {
	var der []byte
	switch k := pub.(type) {
	case *rsa.PublicKey:
		return diag.FingerprintRSA(k)
	case *sm2.PublicKey:
		der = append([]byte{4}, k.X.FillBytes(make([]byte, 32))...)
		der = append(der, k.Y.FillBytes(make([]byte, 32))...)
	case *ecdsa.PublicKey:
		der, _ = x509.MarshalPKIXPublicKey(k)
	default:
		return "unknown"
	}
	return diag.FingerprintBytes(der)
}

// secretPrint is how a secret appears in the output: hidden, with its length
// and a short fingerprint so two secrets can be told apart; in full with
// --reveal.
func secretPrint(b []byte, reveal bool, asBase64 bool) string {
	if reveal {
		if asBase64 {
			return base64.StdEncoding.EncodeToString(b)
		}
		return string(b)
	}
	sum := sha256.Sum256(b)
	return fmt.Sprintf("%s (%d bytes, sha256 %s)", mask.Secret("x"), len(b), hex.EncodeToString(sum[:4]))
}

// personal names the kind of personal data or secret a field holds.
func personal(key string, nested bool) string { return diag.Personal(key, nested) }

// maskValue masks v as the kind of data kind is.
func maskValue(kind, v string) string { return diag.MaskValue(kind, v) }
