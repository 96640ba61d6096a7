package main

import (
	"bytes"
	"crypto"
	"encoding/base64"
	"flag"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/bizapi-cn/go-sdk/internal/diag"
	"github.com/bizapi-cn/go-sdk/internal/gm"

	"github.com/bizapi-cn/go-sdk/internal/crypt"
	"github.com/bizapi-cn/go-sdk/internal/mask"
	"github.com/bizapi-cn/go-sdk/internal/sign"
	"github.com/bizapi-cn/go-sdk/internal/sortedjson"
	"github.com/bizapi-cn/go-sdk/internal/ssec"
)

const (
	decsHashAlgorithm = "DECSHASH = uppercase hex HMAC-SHA256(key = appKey, message = sorted JSON + appKey)"
	decsSignAlgorithm = "DECSSIGN = base64 SHA256withRSA (PKCS#1 v1.5) over the ASCII bytes of the uppercase DECSHASH"
)

// decsHasher is the DECSHASH function of the chosen suite.
func decsHasher(appKey []byte, sm3 bool) (*sign.HMAC, string) {
	if sm3 {
		return gm.NewHMACSM3(appKey), strings.Replace(decsHashAlgorithm, "SHA256", "SM3", 1)
	}
	return sign.NewHMACSHA256(appKey), decsHashAlgorithm
}

func decsMessage(sorted, appKey []byte) []byte {
	return append(append([]byte(nil), sorted...), appKey...)
}

func evidenceHash(fs *flag.FlagSet) func(*env, []string) error {
	in := inputFlag(fs, "the JSON body")
	appKey := secretFlags(fs, "secret", "the appKey")
	sm3 := fs.Bool("sm3", false, "national suite: HMAC-SM3 instead of HMAC-SHA256")
	reveal := fs.Bool("reveal", false, "show personal data and the appKey in full")
	return func(e *env, _ []string) error {
		raw, err := in.read(e)
		if err != nil {
			return err
		}
		key, err := appKey.get(e)
		if err != nil {
			return err
		}
		sorted, err := sortedjson.Canonicalize(bytes.TrimSpace(raw))
		if err != nil {
			return usagef("body: %v", err)
		}
		h, alg := decsHasher(key, *sm3)
		o := out{e.stdout}
		o.line("algorithm", "%s", alg)
		o.line("appKey", "%s", secretPrint(key, *reveal, false))
		o.line("sorted JSON", "%s", maskJSON(sorted, *reveal))
		o.line("DECSHASH", "%s", h.UpperHex(decsMessage(sorted, key)))
		if !bytes.Equal(bytes.TrimSpace(raw), sorted) {
			o.text("note: send the sorted JSON above as the body: the provider hashes the bytes it receives, sorted")
		}
		return nil
	}
}

// readB64 reads base64 text from the input, as one token.
func readB64(e *env, in *input, what string) ([]byte, string, error) {
	raw, err := in.read(e)
	if err != nil {
		return nil, "", err
	}
	s := strings.TrimSpace(string(raw))
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		if fixed, changed := plusFix(s); changed {
			if b2, err2 := base64.StdEncoding.DecodeString(fixed); err2 == nil {
				return b2, "URL-decoding damage: the " + what + " had spaces where '+' was; they were turned back into '+'", nil
			}
		}
		return nil, "", usagef("the %s is not base64", what)
	}
	return b, "", nil
}

var oaepHashes = map[string]crypto.Hash{"sha1": crypto.SHA1, "sha256": crypto.SHA256}

func evidenceUnwrap(fs *flag.FlagSet) func(*env, []string) error {
	in := inputFlag(fs, "the aesKey as delivered (base64 RSA ciphertext, data.aeskey)")
	key := keyFlags(fs, "key", "the integrator's RSA private key")
	oaep := fs.String("oaep", "", "RSA-OAEP with this hash (sha1 or sha256) instead of the documented PKCS#1 v1.5")
	mgf1 := fs.String("mgf1", "", "MGF1 hash for --oaep (sha1 or sha256; default the --oaep hash)")
	reveal := fs.Bool("reveal", false, "print the aesKey (base64) instead of its fingerprint")
	return func(e *env, _ []string) error {
		ct, note, err := readB64(e, in, "aesKey")
		if err != nil {
			return err
		}
		priv, err := key.rsaPrivate(e)
		if err != nil {
			return err
		}
		type scheme struct {
			name string
			o    *crypt.OAEP
		}
		var want scheme
		if *oaep == "" {
			want = scheme{"RSA PKCS#1 v1.5", nil}
		} else {
			h, ok := oaepHashes[*oaep]
			m := h
			if *mgf1 != "" {
				m, ok = oaepHashes[*mgf1]
			}
			if !ok {
				return usagef("--oaep and --mgf1 are sha1 or sha256")
			}
			want = scheme{fmt.Sprintf("RSA-OAEP %s, MGF1 %s", h, m), &crypt.OAEP{Hash: h, MGFHash: m}}
		}
		dec := func(s scheme) ([]byte, error) {
			if s.o == nil {
				return crypt.DecryptPKCS1v15(priv, ct)
			}
			return crypt.DecryptOAEP(priv, ct, *s.o)
		}
		o := out{e.stdout}
		if note != "" {
			o.text("note: %s", note)
		}
		o.line("algorithm", "%s", want.name)
		o.line("key", "private key, public half %s", fingerprint(&priv.PublicKey))
		pt, err := dec(want)
		if err == nil {
			raw := pt
			if printable(pt) {
				// A key sent as text (a base64 fileKey): print it as text.
				o.line("key text", "%s", secretPrint(pt, *reveal, false))
				if b, err := base64.StdEncoding.DecodeString(string(pt)); err == nil {
					raw = b
				}
			} else {
				o.line("aesKey", "%s", secretPrint(pt, *reveal, true))
			}
			if len(raw) != 16 && len(raw) != 32 {
				o.text("note: the key is %d bytes; the provider's aesKey is 16 (AES-128)", len(raw))
			}
			return nil
		}
		d := &diag.Report{Algorithm: want.name, Keys: []string{"private key, public half " + fingerprint(&priv.PublicKey)}}
		if len(ct) != priv.Size() {
			d.Cause(diag.CauseTruncated, fmt.Sprintf("the ciphertext is %d bytes, the key's modulus %d: it was encrypted to another key size, or it is truncated", len(ct), priv.Size()))
		}
		all := []scheme{{"RSA PKCS#1 v1.5", nil}}
		for _, h := range []crypto.Hash{crypto.SHA1, crypto.SHA256} {
			for _, m := range []crypto.Hash{crypto.SHA1, crypto.SHA256} {
				all = append(all, scheme{fmt.Sprintf("RSA-OAEP %s, MGF1 %s", h, m), &crypt.OAEP{Hash: h, MGFHash: m}})
			}
		}
		for _, s := range all {
			if s.name == want.name {
				continue
			}
			if _, err := dec(s); err == nil {
				d.Cause(diag.CauseEncoding, "wrong padding: the aesKey decrypts with "+s.name+flagHint(s.o))
				break
			}
			d.Try(s.name)
		}
		if len(d.Causes) == 0 {
			d.Cause(diag.CauseKey, "the aesKey was not encrypted to this key: the provider wraps it with the public key you registered (compare its fingerprint with: bizapi keys inspect)")
		}
		o.line("result", "FAILED: the aesKey does not decrypt")
		printReport(o, d)
		return failf("the aesKey does not decrypt with this key")
	}
}

func flagHint(o *crypt.OAEP) string {
	if o == nil {
		return " (leave out --oaep)"
	}
	name := func(h crypto.Hash) string { return strings.ToLower(strings.ReplaceAll(h.String(), "-", "")) }
	return fmt.Sprintf(" (--oaep %s --mgf1 %s)", name(o.Hash), name(o.MGFHash))
}

func evidenceDecrypt(fs *flag.FlagSet) func(*env, []string) error {
	in := inputFlag(fs, "the encrypted field (base64)")
	aesKey := secretFlags(fs, "aes-key", "the aesKey (base64 of 16 bytes)")
	sm4 := fs.Bool("sm4", false, "national suite: SM4-ECB instead of AES-128-ECB")
	field := fs.String("field", "", "the field's name (e.g. idNo, userName, fileKey), to mask its value the right way")
	reveal := fs.Bool("reveal", false, "print the plaintext in full")
	return func(e *env, _ []string) error {
		ct, note, err := readB64(e, in, "field")
		if err != nil {
			return err
		}
		kb, err := aesKey.get(e)
		if err != nil {
			return err
		}
		key, err := base64.StdEncoding.DecodeString(strings.TrimSpace(string(kb)))
		if err != nil {
			return usagef("the aesKey is not base64")
		}
		alg := "AES-128-ECB, PKCS#7 padding"
		decrypt := crypt.AESECBDecrypt
		if *sm4 {
			alg, decrypt = "SM4-ECB, PKCS#7 padding", gm.SM4ECBDecrypt
		}
		o := out{e.stdout}
		if note != "" {
			o.text("note: %s", note)
		}
		o.line("algorithm", "%s", alg)
		o.line("aesKey", "%s", secretPrint(key, false, false))
		pt, err := decrypt(key, ct)
		if err != nil {
			d := &diag.Report{Algorithm: alg, Keys: []string{"aesKey " + secretPrint(key, false, false)}}
			switch {
			case len(key) != 16:
				d.Cause(diag.CauseTruncated, fmt.Sprintf("the key is %d bytes, AES-128 and SM4 need 16: give the unwrapped aesKey (bizapi evidence unwrap), not the wrapped one", len(key)))
			case len(ct)%16 != 0:
				d.Cause(diag.CauseTruncated, fmt.Sprintf("the ciphertext is %d bytes, not a multiple of 16: it is truncated or not this cipher", len(ct)))
			default:
				d.Cause(diag.CauseKey, "the padding check failed: the field was encrypted under another aesKey (each update-aes-key issues a new one; the provider answers −43037/−44050 for the same mismatch)")
			}
			o.line("result", "FAILED: the field does not decrypt")
			printReport(o, d)
			return failf("the field does not decrypt")
		}
		s := string(pt)
		if !*reveal {
			if !utf8.ValidString(s) {
				s = fmt.Sprintf("[%d bytes of binary data]", len(pt))
			} else if k := personal(*field, true); k != "" {
				s = maskValue(k, s)
			} else {
				s = mask.Middle(s, 1, 1)
			}
		}
		o.line("plaintext", "%s", s)
		if !*reveal {
			o.text("note: masked; add --reveal to print it in full")
		}
		return nil
	}
}

func evidenceSSEC(fs *flag.FlagSet) func(*env, []string) error {
	fileKey := secretFlags(fs, "file-key", "the fileKey (base64 of 32 bytes)")
	amz := fs.Bool("amz", false, "x-amz-server-side-encryption-customer-* names (the docs' samples since 2026-03) instead of x-cos-")
	reveal := fs.Bool("reveal", false, "print the key header in full")
	return func(e *env, _ []string) error {
		fk, err := fileKey.get(e)
		if err != nil {
			return err
		}
		h, err := ssec.FromFileKey(strings.TrimSpace(string(fk)))
		if err != nil {
			return failf("%v", err)
		}
		name := func(s string) string {
			if *amz {
				return strings.Replace(s, "x-cos-", "x-amz-", 1)
			}
			return s
		}
		key := h.Key
		if !*reveal {
			key = mask.Secret(key) + " (the fileKey as given; add --reveal)"
		}
		o := out{e.stdout}
		o.text("%s: %s", name(ssec.HeaderAlgorithm), h.Algorithm)
		o.text("%s: %s", name(ssec.HeaderKey), key)
		o.text("%s: %s", name(ssec.HeaderKeyMD5), h.KeyMD5)
		return nil
	}
}

// decsCapture is a notification: body and the two headers.
type decsCapture struct {
	body          []byte
	hash, signB64 string
}

func parseDECSCapture(raw []byte, hash, sig string) (decsCapture, error) {
	c := decsCapture{body: raw, hash: hash, signB64: sig}
	if req, err := readRequest(raw); err == nil {
		body, err := io.ReadAll(req.Body)
		if err != nil {
			return c, usagef("captured request body: %v", err)
		}
		c.body = body
		if c.hash == "" {
			c.hash = req.Header.Get("DECSHASH")
		}
		if c.signB64 == "" {
			c.signB64 = req.Header.Get("DECSSIGN")
		}
	}
	return c, nil
}

func evidenceVerify(fs *flag.FlagSet) func(*env, []string) error {
	in := inputFlag(fs, "the notification: a captured HTTP request with its headers, or the bare body with --decshash/--decssign")
	appKey := secretFlags(fs, "secret", "the appKey")
	pubKey := keyFlags(fs, "pub", "the operator's notification public key (for DECSSIGN)")
	roles := roleFlags(fs, "your own RSA private key")
	hash := fs.String("decshash", "", "the DECSHASH header, when the input is a bare body")
	sig := fs.String("decssign", "", "the DECSSIGN header, when the input is a bare body")
	signOnly := fs.Bool("sign-only", false, "check only DECSSIGN over --decshash (no body, no appKey)")
	sm3 := fs.Bool("sm3", false, "national suite: HMAC-SM3 for DECSHASH")
	reveal := fs.Bool("reveal", false, "show personal data in full")
	return func(e *env, _ []string) error {
		var c decsCapture
		if *signOnly {
			c = decsCapture{hash: *hash, signB64: *sig}
		} else {
			raw, err := in.read(e)
			if err != nil {
				return err
			}
			if c, err = parseDECSCapture(raw, *hash, *sig); err != nil {
				return err
			}
		}
		o := out{e.stdout}
		failed := false
		if !*signOnly {
			key, err := appKey.get(e)
			if err != nil {
				return err
			}
			if c.hash == "" {
				return usagef("no DECSHASH: capture the request with its headers, or give --decshash")
			}
			h, alg := decsHasher(key, *sm3)
			body := bytes.TrimSpace(c.body)
			sorted, err := sortedjson.Canonicalize(body)
			if err != nil {
				return failf("the body is not JSON the hash can cover: %v", err)
			}
			got := h.UpperHex(decsMessage(sorted, key))
			o.line("algorithm", "%s", alg)
			o.line("appKey", "%s", secretPrint(key, false, false))
			o.line("sorted JSON", "%s", maskJSON(sorted, *reveal))
			o.line("DECSHASH", "received %s, computed %s", c.hash, got)
			if got == c.hash {
				o.line("DECSHASH", "OK")
			} else {
				failed = true
				o.line("result", "FAILED: DECSHASH does not match")
				d := &diag.Report{Algorithm: alg, Keys: []string{"appKey " + secretPrint(key, false, false)}, Signed: maskJSON(sorted, *reveal) + "<appKey>"}
				if n, err := diag.ParseJSON(body); err == nil {
					d.Fields = n.FieldOrder("", nil)
				}
				switch {
				case strings.EqualFold(got, c.hash):
					d.Cause(diag.CauseFieldCase, "case differs: the DECSHASH is lowercase hex; the protocol sends and compares uppercase")
				case h.UpperHex(sorted) == strings.ToUpper(c.hash):
					d.Cause(diag.CauseFields, "the hasher left out the appKey that follows the sorted JSON in the message")
				case h.UpperHex(decsMessage(body, key)) == strings.ToUpper(c.hash):
					d.Cause(diag.CauseFieldOrder, "field order differs: the hash is over the body as sent, not sorted; the protocol sorts keys at every level before hashing")
				default:
					d.Try("lowercase hex", "sorted JSON without the appKey suffix", "the body unsorted")
					d.Cause(diag.CauseReencoded, "the body is not the one hashed (a field dropped or a value changed when it was re-encoded, e.g. through a typed struct), or the appKey differs (compare its fingerprint)")
				}
				printReport(o, d)
			}
		}
		switch {
		case c.signB64 != "" && !pubKey.given():
			o.line("DECSSIGN", "not checked: give the operator's notification public key with --pub-file or --pub-env")
		case c.signB64 == "":
			if pubKey.given() {
				o.line("DECSSIGN", "FAILED: no DECSSIGN header")
				return failf("no DECSSIGN header")
			}
			o.line("DECSSIGN", "not checked (no header and no --pub key; the docs call it optional)")
		default:
			pub, err := pubKey.rsaPublic(e)
			if err != nil {
				return err
			}
			msg := []byte(strings.ToUpper(c.hash))
			o.line("algorithm", "%s", decsSignAlgorithm)
			o.line("key", "notification public key %s", fingerprint(pub))
			s := c.signB64
			if rsaVerifies(pub, msg, s) {
				o.line("DECSSIGN", "OK")
			} else {
				failed = true
				o.line("DECSSIGN", "FAILED: the signature does not verify")
				d := &diag.Report{Algorithm: decsSignAlgorithm, Keys: []string{"notification public key " + fingerprint(pub)}, Signed: string(msg)}
				if fixed, changed := plusFix(s); changed {
					if rsaVerifies(pub, msg, fixed) {
						d.Cause(diag.CausePlusSpace, "URL-decoding damage: DECSSIGN has spaces where '+' was; with '+' restored it verifies")
					}
					s = fixed
				}
				if len(d.Causes) == 0 {
					if err := roles.diagnose(e, d, pub, msg, s, "the notification public key"); err != nil {
						return err
					}
				}
				if len(d.Causes) == 0 {
					switch {
					case rsaVerifies(pub, []byte(strings.ToLower(c.hash)), s):
						d.Cause(diag.CauseFieldCase, "case differs: the signer signed the lowercase hex of DECSHASH")
					case len(c.body) > 0 && rsaVerifies(pub, bytes.TrimSpace(c.body), s):
						d.Cause(diag.CauseFields, "the signer signed the body, not the DECSHASH")
					default:
						d.Try("the lowercase DECSHASH", "the body")
					}
				}
				printReport(o, d)
			}
		}
		if failed {
			return failf("the notification does not verify")
		}
		o.line("result", "OK: the notification verifies")
		return nil
	}
}

// printable reports whether b is non-empty printable ASCII.
func printable(b []byte) bool {
	for _, c := range b {
		if c < 0x20 || c > 0x7e {
			return false
		}
	}
	return len(b) > 0
}
