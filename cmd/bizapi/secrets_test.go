package main

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"net/url"
	"os"
	"strings"
	"testing"
)

// TestSecretsNeverPrinted runs every command, on success and on failure,
// without --reveal, and looks for every secret and personal value of the
// inputs in the output: none may show. Keys are looked for by every line of
// their files.
func TestSecretsNeverPrinted(t *testing.T) {
	lv, _ := loadLevy(t)
	ev, _ := loadEvidence(t)
	var ov oaepVectors
	vec(t, "evidence_oaep_ssec.json", &ov)
	sv := loadScancode(t)

	var secrets []string
	add := func(s ...string) { secrets = append(secrets, s...) }
	add(lv.Requests[0].Secret, ev.DecsHash.AppKey, ev.AESKey.Key, ev.AESField.Key, ev.AESField.Plaintext, sv.SM4Hex, sv.PrivHex)
	for _, k := range []string{ev.AESKey.Key, ev.AESField.Key} {
		b, _ := base64.StdEncoding.DecodeString(k)
		add(hex.EncodeToString(b), string(b))
	}
	sm4, _ := hex.DecodeString(sv.SM4Hex)
	add(base64.StdEncoding.EncodeToString(sm4))
	for _, c := range ov.SSEC {
		add(c.FileKey)
	}
	for _, c := range ov.OAEP {
		add(c.Plaintext)
	}
	for _, rq := range lv.Requests {
		add(personalOf(t, rq.Req)...)
	}
	add(scancodePersonal...)
	add(ev.AESKey.PrivateKey[20:80])
	entries, _ := os.ReadDir(keyDir)
	for _, e := range entries {
		if !strings.Contains(e.Name(), "private") {
			continue
		}
		b, _ := os.ReadFile(keyDir + e.Name())
		for _, line := range strings.Split(string(b), "\n") {
			if len(line) >= 16 && !strings.HasPrefix(line, "-----") {
				add(line[:16])
			}
		}
	}

	env := map[string]string{
		"LEVY_SECRET": lv.Requests[0].Secret, "APP_KEY": ev.DecsHash.AppKey, "AES_KEY": ev.AESField.Key,
		"OTHER_AES_KEY": ev.AESKey.Key, "FILE_KEY": ov.SSEC[1].FileKey, "SM4_KEY": sv.SM4Hex,
		"PRIVATE_KEY": "@" + keyDir + "merchant_rsa_private_pkcs1.pem",
	}
	evPriv := tmp(t, "ev.b64", []byte(ev.AESKey.PrivateKey))
	resp := lv.Response
	var compact bytes.Buffer
	_ = json.Compact(&compact, []byte(resp.Body))
	rq := lv.Requests[0]
	form := url.Values{"req": {rq.Req}, "sign": {rq.Sign}}.Encode()
	badForm := url.Values{"req": {rq.Req + " "}, "sign": {rq.Sign}}.Encode()
	apf, _ := json.Marshal(map[string]string{"idCard": "110101199003074477", "cardNo": "6222020200112233445", "signType": "RSA2", "payerName": "张三"})
	bill, _ := os.ReadFile("testdata/bill_ok.csv")
	m := sv.Messages[2]

	runs := []struct {
		stdin []byte
		args  []string
	}{
		{[]byte(rq.Req), []string{"levy", "sign", "--secret-env", "LEVY_SECRET"}},
		{[]byte(form), []string{"levy", "verify", "--secret-env", "LEVY_SECRET"}},
		{[]byte(badForm), []string{"levy", "verify", "--secret-env", "LEVY_SECRET"}},
		{compact.Bytes(), []string{"levy", "verify", "--secret-env", "LEVY_SECRET", "--api-sign", resp.APISign}},
		{apf, []string{"allinpay", "canonical", "--key-env", "PRIVATE_KEY"}},
		{append(apf[:len(apf)-1:len(apf)-1], []byte(`,"signature":"eA=="}`)...), []string{"allinpay", "verify", "--pub-file", keyDir + "merchant_rsa_public.pem", "--key-env", "PRIVATE_KEY"}},
		{bill, []string{"allinpay", "bill", "--rows"}},
		{[]byte(decsBody), []string{"evidence", "hash", "--secret-env", "APP_KEY"}},
		{[]byte(ev.AESKey.Wrapped), []string{"evidence", "unwrap", "--key-file", evPriv}},
		{[]byte(ev.AESKey.Wrapped), []string{"evidence", "unwrap", "--key-file", keyDir + "merchant_rsa_private_pkcs1.pem"}},
		{[]byte(ov.OAEP[0].Ciphertext), []string{"evidence", "unwrap", "--key-file", keyDir + "merchant_rsa_private_pkcs1.pem", "--oaep", "sha1"}},
		{[]byte(ev.AESField.Ciphertext), []string{"evidence", "decrypt", "--aes-key-env", "AES_KEY"}},
		{[]byte(ev.AESField.Ciphertext), []string{"evidence", "decrypt", "--aes-key-env", "OTHER_AES_KEY"}},
		{nil, []string{"evidence", "ssec", "--file-key-env", "FILE_KEY"}},
		{[]byte(decsBody), []string{"evidence", "verify", "--secret-env", "APP_KEY", "--decshash", "00"}},
		{scancodeForm(m.Type, m.Encrypt, sv.DesKey.ASN1), []string{"scancode", "decrypt", "--key-file", keyDir + "sm2_private.pem"}},
		{scancodeForm(sv.Messages[1].Type, sv.Messages[1].Encrypt, sv.DesKey.ASN1), []string{"scancode", "decrypt", "--key-file", keyDir + "sm2_private.pem"}},
		{[]byte(`{"type":"02","data":{"encrypt":"` + m.Encrypt + `"}}`), []string{"scancode", "decrypt", "--sm4-key-env", "SM4_KEY"}},
		{nil, []string{"keys", "inspect", keyDir + "merchant_rsa_private_pkcs1.pem", keyDir + "sm2_private.pem", evPriv}},
		{nil, []string{"keys", "pair", "--key-file", keyDir + "sm2_private.pem", "--pub-file", keyDir + "sm2_public.pem"}},
		{nil, []string{"keys", "pair", "--key-env", "PRIVATE_KEY", "--pub-file", keyDir + "platform_rsa_public.pem"}},
	}
	seen := map[string]bool{}
	for _, c := range runs {
		seen[c.args[0]+" "+c.args[1]] = true
		r := bz(t, env, c.stdin, c.args...)
		if r.code == exitUsage {
			t.Errorf("%v: usage error: %s", c.args, r.all())
		}
		for _, s := range secrets {
			if s != "" && strings.Contains(r.all(), s) {
				t.Errorf("%v prints %q:\n%s", c.args, s, r.all())
			}
		}
	}
	for name := range commands {
		if !seen[name] {
			t.Errorf("command %q not covered", name)
		}
	}
}
