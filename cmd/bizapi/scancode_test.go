package main

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/tjfoc/gmsm/sm2"
	gmx509 "github.com/tjfoc/gmsm/x509"
)

type scancodeVectors struct {
	PrivHex string `json:"sm2_private_hex"`
	SM4Hex  string `json:"sm4_key_hex"`
	DesKey  struct {
		ASN1   string `json:"asn1_b64"`
		C1C3C2 string `json:"c1c3c2_b64"`
		C1C2C3 string `json:"c1c2c3_b64"`
	} `json:"des_key"`
	Messages []struct {
		Type    string `json:"type"`
		Mode    string `json:"mode"`
		IVHex   string `json:"iv_hex"`
		Encrypt string `json:"encrypt_b64"`
		Payload string `json:"payload"`
	}
}

func loadScancode(t *testing.T) scancodeVectors {
	var v scancodeVectors
	vec(t, "scancode_sm2_sm4.json", &v)
	return v
}

func scancodeForm(typ, encrypt, desKey string) []byte {
	data, _ := json.Marshal(map[string]string{"encrypt": encrypt, "desKey": desKey})
	return []byte(url.Values{"type": {typ}, "data": {string(data)}, "platformCode": {"M1100000034"}}.Encode())
}

// personalValues are the personal data in the vectors' payloads.
var scancodePersonal = []string{"王五", "13900139000", "110101199003074477"}

func TestScancodeVectors(t *testing.T) {
	v := loadScancode(t)
	hexKey := tmp(t, "sm2.hex", []byte(v.PrivHex+"\n"))
	encodings := map[string]string{"ASN.1": v.DesKey.ASN1, "C1C3C2": v.DesKey.C1C3C2, "C1C2C3": v.DesKey.C1C2C3}
	for i, m := range v.Messages {
		for name, dk := range encodings {
			for _, key := range []string{keyDir + "sm2_private.pem", hexKey} {
				args := []string{"scancode", "decrypt", "--key-file", key, "--reveal"}
				if m.IVHex != "" {
					args = append(args, "--iv-hex", m.IVHex)
				}
				r := bz(t, nil, scancodeForm(m.Type, m.Encrypt, dk), args...)
				wantCode(t, r, exitOK)
				wantLine(t, r, "desKey "+name, "yes: SM3 check passed")
				wantLine(t, r, "encrypt", "SM4-"+m.Mode+", PKCS#7: yes")
				wantLine(t, r, "payload", m.Payload)
				wantLine(t, r, "SM4 key hex", v.SM4Hex)
			}
		}
		// JSON callbacks, data as a string and as an object.
		data, _ := json.Marshal(map[string]string{"encrypt": m.Encrypt, "desKey": v.DesKey.C1C3C2})
		asString, _ := json.Marshal(map[string]string{"type": m.Type, "data": string(data)})
		asObject := fmt.Sprintf(`{"type":%q,"data":%s}`, m.Type, data)
		for _, body := range []string{string(asString), asObject} {
			args := []string{"scancode", "decrypt", "--key-file", keyDir + "sm2_private.pem"}
			if m.IVHex != "" {
				args = append(args, "--iv-hex", m.IVHex)
			}
			r := bz(t, nil, []byte(body), args...)
			wantCode(t, r, exitOK)
			wantAbsent(t, r, append(scancodePersonal, v.SM4Hex)...)
			if i == 2 && body == asObject {
				checkGolden(t, "scancode_decrypt", r)
			}
		}
		// The pre-shared key, without desKey.
		env := map[string]string{"SCANCODE_SM4_KEY": v.SM4Hex}
		body, _ := json.Marshal(map[string]string{"type": m.Type, "data": fmt.Sprintf(`{"encrypt":%q}`, m.Encrypt)})
		args := []string{"scancode", "decrypt", "--sm4-key-env", "SCANCODE_SM4_KEY", "--reveal"}
		if m.IVHex != "" {
			args = append(args, "--mode", "cbc", "--iv-hex", m.IVHex)
		}
		r := bz(t, env, body, args...)
		wantCode(t, r, exitOK)
		wantLine(t, r, "payload", m.Payload)
	}
}

func TestScancodeCauses(t *testing.T) {
	v := loadScancode(t)
	key := keyDir + "sm2_private.pem"
	cbc := v.Messages[1]

	// CBC data without the IV: the key is right, the mode is not.
	r := bz(t, nil, scancodeForm(cbc.Type, cbc.Encrypt, v.DesKey.ASN1), "scancode", "decrypt", "--key-file", key)
	wantCode(t, r, exitFailed)
	wantContains(t, r, "the SM4 key from desKey is right (its SM3 check passed), so the data's mode differs: try --mode cbc --iv-hex")
	checkGolden(t, "scancode_cause_mode", r)

	// A desKey whose '+' became a space: a sender that did not escape the
	// form, decoded correctly by the receiver.
	if !strings.Contains(v.DesKey.C1C3C2, "+") {
		t.Fatal("vector has no '+'")
	}
	m := v.Messages[0]
	data := fmt.Sprintf(`{"encrypt":"%s","desKey":"%s"}`, m.Encrypt, v.DesKey.C1C3C2)
	careless := "type=" + m.Type + "&data=" + strings.NewReplacer(`"`, "%22", "{", "%7B", "}", "%7D", "/", "%2F", "=", "%3D").Replace(data)
	r = bz(t, nil, []byte(careless), "scancode", "decrypt", "--key-file", key, "--reveal")
	wantCode(t, r, exitOK)
	wantContains(t, r, "URL-decoding damage: desKey had spaces where '+' was")
	wantLine(t, r, "payload", m.Payload)

	// desKey encrypted to another key: every encoding tried, each refused.
	other, err := sm2.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	pemKey, err := gmx509.WritePrivateKeyToPem(other, nil)
	if err != nil {
		t.Fatal(err)
	}
	otherFile := tmp(t, "other.pem", pemKey)
	r = bz(t, nil, scancodeForm(m.Type, m.Encrypt, v.DesKey.C1C3C2), "scancode", "decrypt", "--key-file", otherFile)
	wantCode(t, r, exitFailed)
	wantContains(t, r, "desKey C1C3C2:     no", "desKey C1C2C3:     no", "desKey ASN.1:      no", "desKey was not encrypted to this key")

	// The public key given where the private key belongs.
	r = bz(t, nil, scancodeForm(m.Type, m.Encrypt, v.DesKey.C1C3C2), "scancode", "decrypt", "--key-file", keyDir+"sm2_public.pem")
	wantCode(t, r, exitUsage)

	// No key for a desKey.
	r = bz(t, nil, scancodeForm(m.Type, m.Encrypt, v.DesKey.C1C3C2), "scancode", "decrypt")
	wantCode(t, r, exitUsage)
	wantContains(t, r, "--key-file")
}

func TestKeysInspect(t *testing.T) {
	entries, err := os.ReadDir(keyDir)
	if err != nil {
		t.Fatal(err)
	}
	var files []string
	for _, e := range entries {
		files = append(files, keyDir+e.Name())
	}
	r := bz(t, nil, nil, append([]string{"keys", "inspect"}, files...)...)
	wantCode(t, r, exitOK)
	checkGolden(t, "keys_inspect", r)
	// Every form of one key has one fingerprint.
	fp := func(f string) string {
		r := bz(t, nil, nil, "keys", "inspect", keyDir+f)
		_, after, ok := strings.Cut(r.stdout, "fingerprint: ")
		if !ok {
			t.Fatalf("%s: no fingerprint\n%s", f, r.all())
		}
		line, _, _ := strings.Cut(after, "\n")
		return line
	}
	for _, group := range [][]string{
		{"merchant_rsa_private_pkcs1.pem", "merchant_rsa_private_pkcs8.pem", "merchant_rsa_private_pkcs8.b64", "merchant_rsa_public.pem", "merchant_rsa_public.b64"},
		{"platform_rsa_private_pkcs1.pem", "platform_rsa_private_pkcs8.pem", "platform_rsa_private_pkcs8.b64", "platform_rsa_public.pem", "platform_rsa_public.b64"},
		{"sm2_private.pem", "sm2_public.pem"},
	} {
		want := fp(group[0])
		for _, f := range group[1:] {
			if got := fp(f); got != want {
				t.Errorf("%s: fingerprint %s, %s has %s", f, got, group[0], want)
			}
		}
	}
	if fp("merchant_rsa_public.pem") == fp("platform_rsa_public.pem") {
		t.Error("two keys, one fingerprint")
	}
	for _, want := range []string{"RSA private key", "2048 bits", `PEM "RSA PRIVATE KEY", PKCS#1`, `PEM "PRIVATE KEY", PKCS#8`, "base64 DER, SPKI", "SM2 public key"} {
		wantContains(t, r, want)
	}
	// No key material in the output.
	priv, _ := os.ReadFile(keyDir + "merchant_rsa_private_pkcs1.pem")
	wantAbsent(t, r, strings.Split(string(priv), "\n")[1])

	r = bz(t, nil, nil, "keys", "inspect", "testdata/bill_ok.csv")
	wantCode(t, r, exitFailed)
}

func TestKeysPair(t *testing.T) {
	r := bz(t, nil, nil, "keys", "pair", "--key-file", keyDir+"merchant_rsa_private_pkcs8.b64", "--pub-file", keyDir+"merchant_rsa_public.pem")
	wantCode(t, r, exitOK)
	checkGolden(t, "keys_pair_ok", r)
	r = bz(t, nil, nil, "keys", "pair", "--key-file", keyDir+"sm2_private.pem", "--pub-file", keyDir+"sm2_public.pem")
	wantCode(t, r, exitOK)
	r = bz(t, nil, nil, "keys", "pair", "--key-file", keyDir+"merchant_rsa_private_pkcs1.pem", "--pub-file", keyDir+"platform_rsa_public.pem")
	wantCode(t, r, exitFailed)
	wantContains(t, r, "not a pair")
	checkGolden(t, "keys_pair_mismatch", r)
	r = bz(t, nil, nil, "keys", "pair", "--key-file", keyDir+"merchant_rsa_private_pkcs1.pem", "--pub-file", keyDir+"sm2_public.pem")
	wantCode(t, r, exitFailed)
	wantContains(t, r, "an RSA private key and an SM2 public key")
	r = bz(t, nil, nil, "keys", "pair", "--key-file", keyDir+"merchant_rsa_public.pem", "--pub-file", keyDir+"merchant_rsa_public.pem")
	wantCode(t, r, exitFailed)
	wantContains(t, r, "--key holds a public key")
}

// TestFingerprintIndependent: the fingerprint is SHA-256 of the SPKI DER
// (RSA) or of the uncompressed point (SM2), computed here from the vectors.
func TestFingerprintIndependent(t *testing.T) {
	spki, _ := os.ReadFile(keyDir + "merchant_rsa_public.b64")
	der, err := base64.StdEncoding.DecodeString(strings.TrimSpace(string(spki)))
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(der)
	r := bz(t, nil, nil, "keys", "inspect", keyDir+"merchant_rsa_private_pkcs1.pem")
	wantContains(t, r, "fingerprint: SHA256:"+base64.RawStdEncoding.EncodeToString(sum[:])+"\n")

	v := loadScancode(t)
	var pub struct {
		Hex string `json:"sm2_public_hex"`
	}
	vec(t, "scancode_sm2_sm4.json", &pub)
	point, _ := hex.DecodeString(pub.Hex)
	sum = sha256.Sum256(point)
	r = bz(t, nil, nil, "keys", "inspect", tmp(t, "sm2.hex", []byte(v.PrivHex)))
	wantContains(t, r, "fingerprint: SHA256:"+base64.RawStdEncoding.EncodeToString(sum[:])+"\n", "hex (raw 32-byte scalar)")
}
