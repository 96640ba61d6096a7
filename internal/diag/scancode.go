package diag

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
	"unicode/utf8"
)

// MaxSM2Tries bounds the SM2 decryptions one Envelope diagnosis makes
// (each costs about a millisecond; the rest is linear in the message).
const MaxSM2Tries = 3

// SM2Layouts are the SM2 ciphertext layouts, in the order an automatic
// decrypter tries them.
var SM2Layouts = []string{"ASN.1", "C1C3C2", "C1C2C3"}

// scSM2Overhead is C1 (65 bytes) and C3 (32 bytes) of a raw SM2 ciphertext.
const scSM2Overhead = 97

// EnvelopeStage is where a scancode envelope's decryption stopped.
type EnvelopeStage int

// Stages, in the order a decrypter meets them.
const (
	StageDesKeyText    EnvelopeStage = iota // desKey is not base64
	StageDesKeySM2                          // desKey decodes, but no configured layout decrypts it
	StageDesKeyContent                      // desKey decrypts, but holds no 16-byte key
	StageEncryptText                        // encrypt is not base64 of whole SM4 blocks
	StageEncryptSM4                         // encrypt does not decrypt (its padding is wrong)
)

// Envelope is a scancode digital envelope (desKey, encrypt) that did not
// decrypt, with what the decrypter knows. Only the functions touch a key.
type Envelope struct {
	Encrypt, DesKey string // as received
	Stage           EnvelopeStage
	// Layouts are the SM2 layouts configured, in the order tried.
	Layouts []string
	// Unwrap SM2-decrypts ct in one layout: ok is the SM3 check, key the
	// 16-byte SM4 key inside (nil when it holds none). Nil without an SM2
	// key.
	Unwrap func(ct []byte, layout string) (key []byte, ok bool)
	// Key is the SM4 key when the decrypter had it: unwrapped from desKey
	// (Stage is an encrypt stage) or pre-shared (Preshared).
	Key       []byte
	Preshared bool
	// Mode is "ECB" or "CBC", with IV for CBC.
	Mode string
	IV   []byte
	// Open SM4-decrypts ct under key: CBC under iv, ECB when iv is nil.
	Open func(key, iv, ct []byte) ([]byte, bool)
}

// EnvelopeDiagnosis looks for the usual reasons a scancode envelope does
// not decrypt: '+' turned into spaces in desKey or encrypt (the form
// decoded twice), desKey in another SM2 layout than configured, encrypt in
// the other SM4 mode, a ciphertext cut short, and desKey encrypted to
// another key or a pre-shared key that differs. It makes at most
// MaxSM2Tries calls of e.Unwrap. When a repaired variant decrypts to JSON,
// r.Fields gets its field names (never a value).
func EnvelopeDiagnosis(r *Report, e Envelope) {
	key, verified := e.Key, e.Key != nil && !e.Preshared
	if e.Stage <= StageDesKeyContent {
		if e.Stage == StageDesKeyContent {
			r.Try("desKey's plaintext as a 16-byte SM4 key (raw, 32 hex characters or base64)")
			return
		}
		if key = scUnwrap(r, e); key == nil {
			return
		}
		verified = true
	}
	pt, ok := scEncrypt(r, e, key, verified)
	if ok && r.Fields == nil {
		if n, err := ParseJSON(pt); err == nil {
			r.Fields = n.FieldOrder("", nil)
		}
	}
}

// scUnwrap returns the SM4 key a repaired or re-read desKey holds,
// or nil, recording what it found.
func scUnwrap(r *Report, e Envelope) []byte {
	if e.Unwrap == nil {
		return nil
	}
	ct, plus, ok := scBase64(r, "desKey", e.DesKey)
	if !ok {
		return nil
	}
	if len(ct) <= scSM2Overhead {
		r.Cause(CauseTruncated, fmt.Sprintf("desKey is %d bytes, no longer than the %d bytes every SM2 ciphertext adds to the key: it was cut short", len(ct), scSM2Overhead))
		return nil
	}
	var order []string
	if plus || e.Stage == StageDesKeyText {
		order = append(order, e.Layouts...) // not tried yet: the text did not decode
	} else {
		r.Try("desKey as SM2 " + strings.Join(e.Layouts, ", ") + " (as configured)")
	}
	for _, l := range SM2Layouts {
		if !scContains(e.Layouts, l) {
			order = append(order, l)
		}
	}
	for i, l := range order {
		if i == MaxSM2Tries {
			r.Try(fmt.Sprintf("desKey as SM2 %s (not tried: at most %d SM2 decryptions)", strings.Join(order[i:], ", "), MaxSM2Tries))
			break
		}
		key, ok := e.Unwrap(ct, l)
		if !ok {
			r.Try("desKey as SM2 " + l)
			continue
		}
		if plus {
			r.Cause(CausePlusSpace, "URL-decoding damage: desKey has spaces where '+' was (the form was decoded twice, or '+' was not sent as %2B); with '+' restored it decrypts (SM3 check passed)")
		}
		if !scContains(e.Layouts, l) {
			r.Cause(CauseEncoding, fmt.Sprintf("desKey is an SM2 ciphertext in the %s layout, not the configured %s: set the decrypter's SM2 encoding to %s (its SM3 check passed)",
				l, strings.Join(e.Layouts, "/"), l))
		}
		if key == nil {
			r.Try("desKey's plaintext as a 16-byte SM4 key (raw, 32 hex characters or base64)")
		}
		return key
	}
	r.Cause(CauseKey, "desKey does not decrypt under this SM2 private key in any layout (C1C3C2, C1C2C3, ASN.1): the platform encrypted it to another public key "+
		"(compare the fingerprint above with `bizapi keys inspect` of the key registered with the platform), or desKey was altered")
	return nil
}

// scEncrypt decrypts encrypt under key, repairing what it
// recognises; it reports the payload when a repaired variant decrypts.
func scEncrypt(r *Report, e Envelope, key []byte, verified bool) ([]byte, bool) {
	ct, plus, ok := scBase64(r, "encrypt", e.Encrypt)
	if !ok {
		return nil, false
	}
	if len(ct)%16 != 0 {
		r.Cause(CauseTruncated, fmt.Sprintf("encrypt is %d bytes, not a multiple of the 16-byte SM4 block: it was cut short (or is not SM4)", len(ct)))
		return nil, false
	}
	iv := e.IV
	if e.Mode != "CBC" {
		iv = nil
	}
	if pt, ok := e.Open(key, iv, ct); ok && scIsJSONObject(pt) {
		if plus {
			r.Cause(CausePlusSpace, "URL-decoding damage: encrypt has spaces where '+' was (the form was decoded twice, or '+' was not sent as %2B); with '+' restored it decrypts")
		}
		return pt, true
	}
	if plus {
		r.Try("encrypt with its spaces turned back into '+', as SM4-" + e.Mode)
	} else {
		r.Try("encrypt as SM4-" + e.Mode + " (as configured)")
	}
	plusCause := func() {
		if plus {
			r.Cause(CausePlusSpace, "URL-decoding damage: encrypt has spaces where '+' was (the form was decoded twice, or '+' was not sent as %2B)")
		}
	}
	if e.Mode == "CBC" {
		if pt, ok := e.Open(key, nil, ct); ok && scIsJSONObject(pt) {
			plusCause()
			r.Cause(CauseEncoding, "encrypt is SM4-ECB, not the configured CBC: set the decrypter's SM4 mode to ECB (without an IV)")
			return pt, true
		}
		r.Try("encrypt as SM4-ECB")
	} else {
		// CBC under an unknown IV: every block but the first decrypts.
		if pt, ok := e.Open(key, make([]byte, 16), ct); ok && len(pt) > 16 && scJSONTail(pt[16:]) {
			plusCause()
			r.Cause(CauseEncoding, "encrypt is SM4-CBC, not the configured ECB (its blocks after the first decrypt under CBC chaining): "+
				"set the decrypter's SM4 mode to CBC with the IV agreed with the platform")
			return nil, false
		}
		r.Try("encrypt as SM4-CBC (any IV)")
	}
	switch {
	case e.Preshared:
		r.Cause(CauseKey, "the pre-shared SM4 key (fingerprint above) is not the one the platform used, or encrypt was altered: compare it with the platform's")
	case verified:
		r.Try("the SM4 key from desKey is right (its SM3 check passed): encrypt was altered, or made with another cipher")
	}
	return nil, false
}

// scBase64 decodes a base64 member, turning spaces back into '+'
// when that is what makes it decode.
func scBase64(r *Report, name, s string) (ct []byte, plus, ok bool) {
	if b, err := base64.StdEncoding.DecodeString(strings.TrimSpace(s)); err == nil {
		return b, false, true
	}
	fixed, changed := PlusFix(s)
	if changed {
		if b, err := base64.StdEncoding.DecodeString(strings.TrimSpace(fixed)); err == nil {
			return b, true, true
		}
		r.Try(name + " with its spaces turned back into '+'")
	}
	if t := strings.TrimSpace(fixed); scIsBase64(t) && len(t)%4 != 0 {
		r.Cause(CauseTruncated, fmt.Sprintf("%s is %d base64 characters, not a multiple of 4: it was cut short", name, len(t)))
	}
	return nil, false, false
}

func scIsBase64(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '+' || c == '/' || c == '=') {
			return false
		}
	}
	return s != ""
}

func scIsJSONObject(b []byte) bool {
	b = bytes.TrimSpace(b)
	return len(b) > 0 && b[0] == '{' && json.Valid(b)
}

// scJSONTail reports whether b could be the end of a JSON object in
// UTF-8: valid text (a character cut at its start allowed), no control
// character but white space, ending in '}'.
func scJSONTail(b []byte) bool {
	for i := 0; i < 3 && len(b) > 0 && !utf8.RuneStart(b[0]); i++ {
		b = b[1:]
	}
	if !utf8.Valid(b) {
		return false
	}
	for _, c := range b {
		if c < 0x20 && c != '\t' && c != '\n' && c != '\r' {
			return false
		}
	}
	t := bytes.TrimSpace(b)
	return len(t) > 0 && t[len(t)-1] == '}'
}

func scContains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
