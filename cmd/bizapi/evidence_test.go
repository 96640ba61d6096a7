package main

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/tjfoc/gmsm/sm3"
)

type evidenceVectors struct {
	DecsHash struct {
		AppKey     string `json:"app_key"`
		SortedJSON string `json:"sorted_json"`
		DecsHash   string `json:"decs_hash"`
	} `json:"decs_hash"`
	AESKey struct {
		PrivateKey string `json:"private_key_pkcs8_b64"`
		Wrapped    string `json:"aeskey_encrypted_b64"`
		Key        string `json:"aes_key_b64"`
	} `json:"aes_key"`
	AESField struct {
		Key        string `json:"aes_key_b64"`
		Ciphertext string `json:"ciphertext_b64"`
		Plaintext  string `json:"plaintext"`
	} `json:"aes_field"`
	NotifySign struct {
		DecsHash string `json:"decs_hash"`
		Sign     string `json:"decs_sign_b64"`
		Public   string `json:"public_key_spki_b64"`
	} `json:"notify_sign"`
}

type oaepVectors struct {
	OAEP []struct {
		Hash       string `json:"oaep_hash"`
		MGF1       string `json:"mgf1_hash"`
		Ciphertext string `json:"ciphertext_b64"`
		Plaintext  string `json:"plaintext"`
	} `json:"oaep"`
	SSEC []struct {
		FileKey string            `json:"file_key"`
		Headers map[string]string `json:"headers"`
	} `json:"sse_c"`
}

func loadEvidence(t *testing.T) (evidenceVectors, map[string]string) {
	var v evidenceVectors
	vec(t, "evidence_decs_docs.json", &v)
	return v, map[string]string{"EVIDENCE_APP_KEY": v.DecsHash.AppKey}
}

func TestEvidenceHashVector(t *testing.T) {
	v, env := loadEvidence(t)
	r := bz(t, env, []byte(v.DecsHash.SortedJSON), "evidence", "hash", "--secret-env", "EVIDENCE_APP_KEY")
	wantCode(t, r, exitOK)
	wantLine(t, r, "DECSHASH", v.DecsHash.DecsHash)
	wantAbsent(t, r, v.DecsHash.AppKey)
	checkGolden(t, "evidence_hash", r)

	// The same body unsorted and spaced: the hash covers its sorted form.
	var m map[string]any
	_ = json.Unmarshal([]byte(v.DecsHash.SortedJSON), &m)
	spaced, _ := json.MarshalIndent(map[string]any{"v": m["v"], "auth": m["auth"], "arg": m["arg"]}, "", "  ")
	r = bz(t, env, spaced, "evidence", "hash", "--secret-file", tmp(t, "appkey", []byte(v.DecsHash.AppKey+"\n")))
	wantCode(t, r, exitOK)
	wantLine(t, r, "DECSHASH", v.DecsHash.DecsHash)
	wantContains(t, r, "note: send the sorted JSON")
}

func TestEvidenceUnwrapVectors(t *testing.T) {
	v, _ := loadEvidence(t)
	keyFile := tmp(t, "priv.b64", []byte(v.AESKey.PrivateKey))
	r := bz(t, nil, []byte(v.AESKey.Wrapped), "evidence", "unwrap", "--key-file", keyFile)
	wantCode(t, r, exitOK)
	wantAbsent(t, r, v.AESKey.Key)
	checkGolden(t, "evidence_unwrap", r)
	r = bz(t, nil, []byte(v.AESKey.Wrapped), "evidence", "unwrap", "--key-file", keyFile, "--reveal")
	wantLine(t, r, "aesKey", v.AESKey.Key)

	var o oaepVectors
	vec(t, "evidence_oaep_ssec.json", &o)
	for i, c := range o.OAEP {
		h, m := strings.ToLower(c.Hash), strings.ToLower(c.MGF1)
		r := bz(t, nil, []byte(c.Ciphertext), "evidence", "unwrap", "--key-file", keyDir+"merchant_rsa_private_pkcs1.pem",
			"--oaep", h, "--mgf1", m, "--reveal")
		wantCode(t, r, exitOK)
		// The plaintext is the key as text (a base64 fileKey).
		pt := c.Plaintext
		wantLine(t, r, "key text", pt)
		// Without the flags: the diagnosis names them.
		r = bz(t, nil, []byte(c.Ciphertext), "evidence", "unwrap", "--key-file", keyDir+"merchant_rsa_private_pkcs1.pem")
		wantCode(t, r, exitFailed)
		wantContains(t, r, fmt.Sprintf("wrong padding: the aesKey decrypts with RSA-OAEP %s, MGF1 %s (--oaep %s --mgf1 %s)", c.Hash[:3]+"-"+c.Hash[3:], c.MGF1[:3]+"-"+c.MGF1[3:], h, m))
		wantAbsent(t, r, pt)
		if i == 2 {
			checkGolden(t, "evidence_unwrap_cause_padding", r)
		}
	}

	// The wrong private key: said so, with its fingerprint.
	r = bz(t, nil, []byte(v.AESKey.Wrapped), "evidence", "unwrap", "--key-file", keyDir+"merchant_rsa_private_pkcs8.pem")
	wantCode(t, r, exitFailed)
	wantContains(t, r, "was not encrypted to this key", "SHA256:")
	// A public key where the private one belongs.
	r = bz(t, nil, []byte(v.AESKey.Wrapped), "evidence", "unwrap", "--key-file", keyDir+"merchant_rsa_public.pem")
	wantCode(t, r, exitUsage)
	wantContains(t, r, "holds a public key")
}

func TestEvidenceDecryptVector(t *testing.T) {
	v, _ := loadEvidence(t)
	env := map[string]string{"AES_KEY": v.AESField.Key}
	r := bz(t, env, []byte(v.AESField.Ciphertext), "evidence", "decrypt", "--aes-key-env", "AES_KEY")
	wantCode(t, r, exitOK)
	wantAbsent(t, r, v.AESField.Plaintext, v.AESField.Key)
	checkGolden(t, "evidence_decrypt", r)
	r = bz(t, env, []byte(v.AESField.Ciphertext), "evidence", "decrypt", "--aes-key-env", "AES_KEY", "--reveal")
	wantLine(t, r, "plaintext", v.AESField.Plaintext)

	// The field's '+' turned into a space on the way: repaired, said so.
	if !strings.Contains(v.AESField.Ciphertext, "+") {
		t.Fatal("vector has no '+'")
	}
	damaged, _ := url.QueryUnescape(v.AESField.Ciphertext)
	r = bz(t, env, []byte(damaged), "evidence", "decrypt", "--aes-key-env", "AES_KEY", "--reveal")
	wantCode(t, r, exitOK)
	wantContains(t, r, "URL-decoding damage")
	wantLine(t, r, "plaintext", v.AESField.Plaintext)

	// Under another aesKey (the one of the unwrap vector).
	env["AES_KEY"] = v.AESKey.Key
	r = bz(t, env, []byte(v.AESField.Ciphertext), "evidence", "decrypt", "--aes-key-env", "AES_KEY")
	wantCode(t, r, exitFailed)
	wantContains(t, r, "encrypted under another aesKey")
	// The wrapped key given instead of the unwrapped one.
	env["AES_KEY"] = v.AESKey.Wrapped
	r = bz(t, env, []byte(v.AESField.Ciphertext), "evidence", "decrypt", "--aes-key-env", "AES_KEY")
	wantCode(t, r, exitFailed)
	wantContains(t, r, "give the unwrapped aesKey")
}

func TestEvidenceSSECVectors(t *testing.T) {
	var o oaepVectors
	vec(t, "evidence_oaep_ssec.json", &o)
	for i, c := range o.SSEC {
		env := map[string]string{"FILE_KEY": c.FileKey}
		r := bz(t, env, nil, "evidence", "ssec", "--file-key-env", "FILE_KEY", "--reveal")
		wantCode(t, r, exitOK)
		for h, want := range c.Headers {
			wantContains(t, r, h+": "+want+"\n")
		}
		r = bz(t, env, nil, "evidence", "ssec", "--file-key-env", "FILE_KEY")
		wantAbsent(t, r, c.FileKey)
		wantContains(t, r, "x-cos-server-side-encryption-customer-key-MD5: "+c.Headers["x-cos-server-side-encryption-customer-key-MD5"])
		checkGolden(t, fmt.Sprintf("evidence_ssec_%d", i), r)
		r = bz(t, env, nil, "evidence", "ssec", "--file-key-env", "FILE_KEY", "--amz")
		wantContains(t, r, "x-amz-server-side-encryption-customer-algorithm: AES256")
	}
	r := bz(t, map[string]string{"FILE_KEY": "c2hvcnQ="}, nil, "evidence", "ssec", "--file-key-env", "FILE_KEY")
	wantCode(t, r, exitFailed)
	wantContains(t, r, "want 32")
}

func TestEvidenceVerifySignVector(t *testing.T) {
	v, _ := loadEvidence(t)
	pub := tmp(t, "notify.b64", []byte(v.NotifySign.Public))
	r := bz(t, nil, nil, "evidence", "verify", "--sign-only", "--decshash", v.NotifySign.DecsHash, "--decssign", v.NotifySign.Sign, "--pub-file", pub)
	wantCode(t, r, exitOK)
	wantLine(t, r, "DECSSIGN", "OK")
	checkGolden(t, "evidence_verify_sign", r)

	// '+' lost in the header on the way.
	damaged, _ := url.QueryUnescape(v.NotifySign.Sign)
	r = bz(t, nil, nil, "evidence", "verify", "--sign-only", "--decshash", v.NotifySign.DecsHash, "--decssign", damaged, "--pub-file", pub)
	wantCode(t, r, exitFailed)
	wantContains(t, r, "URL-decoding damage: DECSSIGN has spaces where '+' was")

	// The integrator's own key given as the operator's.
	r = bz(t, nil, nil, "evidence", "verify", "--sign-only", "--decshash", v.NotifySign.DecsHash, "--decssign", v.NotifySign.Sign,
		"--pub-file", keyDir+"merchant_rsa_public.pem", "--key-file", keyDir+"merchant_rsa_private_pkcs1.pem")
	wantCode(t, r, exitFailed)
	wantContains(t, r, "reversed key role: the key given as the notification public key")
	r = bz(t, nil, nil, "evidence", "verify", "--sign-only", "--decshash", v.NotifySign.DecsHash, "--decssign", v.NotifySign.Sign,
		"--pub-file", keyDir+"merchant_rsa_public.pem", "--alt-pub-file", pub)
	wantCode(t, r, exitFailed)
	wantContains(t, r, "reversed key role: the signature verifies with --alt-pub")
}

// decsHash is an independent DECSHASH, from the vector's definition.
func decsHash(appKey, sorted string) string {
	m := hmac.New(sha256.New, []byte(appKey))
	m.Write([]byte(sorted + appKey))
	return strings.ToUpper(hex.EncodeToString(m.Sum(nil)))
}

// notification is a captured DECS notification with both headers, signed
// with the vectors' platform key as the operator's.
func notification(t *testing.T, appKey, body, hash, sign string) []byte {
	return []byte(fmt.Sprintf("POST /decs/notify HTTP/1.1\r\nHost: m\r\nContent-Type: application/json\r\nDECSHASH: %s\r\nDECSSIGN: %s\r\nContent-Length: %d\r\n\r\n%s",
		hash, sign, len(body), body))
}

const decsBody = `{"func":"daUserAuthorized","v":"2.0.0","auth":{"nonce":"n0000000000000000000000000000001"},"data":{"bizAppId":"IDAkEBvb","daId":"DA-1","bizNo":"B-1","site":"chrome-govhk-tax","daStatus":10,"authorizedTs":1733000000000,"fileUrlList":[],"ext":{"fileKey":"Nx1socBWUxPg8nceCqmANSzl6zJ0+IKwtgJPaMbv4CY=","daSubStatus":"0"}}}`

func TestEvidenceVerifyNotification(t *testing.T) {
	v, env := loadEvidence(t)
	appKey := v.DecsHash.AppKey
	sorted := `{"auth":{"nonce":"n0000000000000000000000000000001"},"data":{"authorizedTs":1733000000000,"bizAppId":"IDAkEBvb","bizNo":"B-1","daId":"DA-1","daStatus":10,"ext":{"daSubStatus":"0","fileKey":"Nx1socBWUxPg8nceCqmANSzl6zJ0+IKwtgJPaMbv4CY="},"fileUrlList":[],"site":"chrome-govhk-tax"},"func":"daUserAuthorized","v":"2.0.0"}`
	hash := decsHash(appKey, sorted)
	sig := platformSign(t, hash)
	pub := keyDir + "platform_rsa_public.pem"
	args := []string{"evidence", "verify", "--secret-env", "EVIDENCE_APP_KEY", "--pub-file", pub}

	r := bz(t, env, notification(t, appKey, decsBody, hash, sig), args...)
	wantCode(t, r, exitOK)
	wantLine(t, r, "DECSHASH", "OK")
	wantLine(t, r, "DECSSIGN", "OK")
	wantAbsent(t, r, appKey, "Nx1socBWUxPg8nceCqmANSzl6zJ0+IKwtgJPaMbv4CY=")
	checkGolden(t, "evidence_verify_notification", r)

	// Case: a sender that wrote the hash in lowercase.
	r = bz(t, env, notification(t, appKey, decsBody, strings.ToLower(hash), sig), args...)
	wantCode(t, r, exitFailed)
	wantContains(t, r, "case differs: the DECSHASH is lowercase hex")

	// Order: a sender that hashed the body as sent, unsorted.
	unsorted := decsHash(appKey, decsBody)
	r = bz(t, env, notification(t, appKey, decsBody, unsorted, platformSign(t, unsorted)), args...)
	wantCode(t, r, exitFailed)
	wantContains(t, r, "field order differs: the hash is over the body as sent, not sorted")
	checkGolden(t, "evidence_verify_cause_order", r)

	// The appKey suffix left out.
	m := hmac.New(sha256.New, []byte(appKey))
	m.Write([]byte(sorted))
	noSuffix := strings.ToUpper(hex.EncodeToString(m.Sum(nil)))
	r = bz(t, env, notification(t, appKey, decsBody, noSuffix, platformSign(t, noSuffix)), args...)
	wantCode(t, r, exitFailed)
	wantContains(t, r, "left out the appKey")

	// A body re-encoded through a typed struct that has no ext: a field
	// dropped. No cause beyond "not the body hashed" is claimed.
	var full map[string]any
	_ = json.Unmarshal([]byte(decsBody), &full)
	delete(full["data"].(map[string]any), "ext")
	dropped, _ := json.Marshal(full)
	r = bz(t, env, notification(t, appKey, string(dropped), hash, sig), args...)
	wantCode(t, r, exitFailed)
	wantContains(t, r, "the body is not the one hashed (a field dropped")

	// The signature over the lowercase hash.
	r = bz(t, env, notification(t, appKey, decsBody, hash, platformSign(t, strings.ToLower(hash))), args...)
	wantCode(t, r, exitFailed)
	wantContains(t, r, "case differs: the signer signed the lowercase hex of DECSHASH")

	// An HTTP/2 capture, header names in lowercase.
	h2 := strings.Replace(string(notification(t, appKey, decsBody, hash, sig)), "HTTP/1.1", "HTTP/2", 1)
	h2 = strings.Replace(strings.Replace(h2, "DECSHASH:", "decshash:", 1), "DECSSIGN:", "decssign:", 1)
	r = bz(t, env, []byte(h2), args...)
	wantCode(t, r, exitOK)

	// Bare body with the headers as flags.
	r = bz(t, env, []byte(decsBody), append(args, "--decshash", hash, "--decssign", sig)...)
	wantCode(t, r, exitOK)
}

// TestEvidenceNationalSuite: DECSHASH with HMAC-SM3 (computed here with
// gmsm's SM3), and a field under SM4-ECB (the scancode vectors' SM4 key
// and ECB message).
func TestEvidenceNationalSuite(t *testing.T) {
	v, env := loadEvidence(t)
	m := hmac.New(sm3.New, []byte(v.DecsHash.AppKey))
	m.Write([]byte(v.DecsHash.SortedJSON + v.DecsHash.AppKey))
	want := strings.ToUpper(hex.EncodeToString(m.Sum(nil)))
	r := bz(t, env, []byte(v.DecsHash.SortedJSON), "evidence", "hash", "--secret-env", "EVIDENCE_APP_KEY", "--sm3")
	wantCode(t, r, exitOK)
	wantLine(t, r, "DECSHASH", want)
	wantContains(t, r, "HMAC-SM3")
	r = bz(t, env, []byte(v.DecsHash.SortedJSON), "evidence", "verify", "--secret-env", "EVIDENCE_APP_KEY", "--sm3", "--decshash", want)
	wantCode(t, r, exitOK)

	sv := loadScancode(t)
	key, _ := hex.DecodeString(sv.SM4Hex)
	env["SM4_KEY"] = base64.StdEncoding.EncodeToString(key)
	msg := sv.Messages[0]
	r = bz(t, env, []byte(msg.Encrypt), "evidence", "decrypt", "--sm4", "--aes-key-env", "SM4_KEY", "--reveal")
	wantCode(t, r, exitOK)
	wantLine(t, r, "plaintext", msg.Payload)
}
