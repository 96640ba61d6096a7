package notify

import (
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/bizapi-cn/go-sdk/evidence/internal/decs"
	"github.com/bizapi-cn/go-sdk/internal/diag"
)

// CauseCode is the stable name of a recognised likely cause.
type CauseCode string

// Cause codes (the same as the bizapi tool's).
const (
	CauseReencoded   CauseCode = "re-encoded"         // the body checked is not the bytes hashed: re-encoded or changed on the way
	CausePlusSpace   CauseCode = "plus-as-space"      // URL-decoding damage: '+' became ' '
	CauseReversedKey CauseCode = "reversed-key-role"  // the key given as the operator's is your own, or your key signed
	CauseFieldOrder  CauseCode = "field-order"        // hashed over the body unsorted
	CauseFieldCase   CauseCode = "field-case"         // lowercase hex where the protocol has uppercase
	CauseEncoding    CauseCode = "signature-encoding" // the signature is encoded otherwise
	CauseWhitespace  CauseCode = "whitespace"         // white space that was not hashed
	CauseFields      CauseCode = "fields"             // something left out or signed instead (the appKey suffix, the body for DECSHASH)
	CauseKey         CauseCode = "key"                // the key or appKey is not the one the operator used
	CauseTruncated   CauseCode = "truncated"          // a header cut short or of the wrong size
)

// Cause is one recognised likely cause: its code and what it means and
// what to do (no secret, no value of the notification).
type Cause struct {
	Code CauseCode
	Text string
}

// Diagnosis is what took part in a failed check, and what was recognised.
type Diagnosis struct {
	Algorithm      string   // the check, e.g. DECSHASH's HMAC or DECSSIGN's RSA
	KeysTried      []string // the appKey and notification keys, by fingerprint
	SignedForm     string   // the sorted JSON + "<appKey>" hashed (every value masked), or the DECSHASH signed
	Fields         []string // the body's fields in the order received (nested ones as a.b)
	FieldsReceived []string // unused for notifications: the hash covers the sorted form
	Tried          []string // variants tried that did not match
	Causes         []Cause  // recognised likely causes; none: the key is not the one used, or the message is not the one signed
}

// String is the diagnosis as labelled lines, as the bizapi tool prints them.
func (d Diagnosis) String() string {
	r := diag.Report{Algorithm: d.Algorithm, Keys: d.KeysTried, Signed: d.SignedForm, Fields: d.Fields, Received: d.FieldsReceived, Tried: d.Tried}
	for _, c := range d.Causes {
		r.Causes = append(r.Causes, diag.Cause{Code: string(c.Code), Text: c.Text})
	}
	return r.String()
}

// Has reports whether the diagnosis recognised a cause with code c.
func (d Diagnosis) Has(c CauseCode) bool {
	return slices.ContainsFunc(d.Causes, func(x Cause) bool { return x.Code == c })
}

// SignatureError is a notification whose DECSHASH or DECSSIGN does not
// verify. errors.Is(err, ErrInvalidSignature) holds. Its text is the same
// with or without WithDiagnostics.
type SignatureError struct {
	Header string // the header that did not verify: "DECSHASH" or "DECSSIGN"

	detail string
	diag   *Diagnosis
}

func (e *SignatureError) Error() string { return ErrInvalidSignature.Error() + ": " + e.detail }

// Is reports whether target is ErrInvalidSignature.
func (e *SignatureError) Is(target error) bool { return target == ErrInvalidSignature }

// Diagnosis returns the diagnosis of the failure; false unless the
// verifier was built WithDiagnostics.
func (e *SignatureError) Diagnosis() (Diagnosis, bool) {
	if e == nil || e.diag == nil {
		return Diagnosis{}, false
	}
	d := *e.diag
	d.KeysTried, d.Fields, d.FieldsReceived, d.Tried = slices.Clone(d.KeysTried), slices.Clone(d.Fields), slices.Clone(d.FieldsReceived), slices.Clone(d.Tried)
	d.Causes = slices.Clone(d.Causes)
	return d, true
}

// rsaVerify is rsa.VerifyPKCS1v15, the one RSA check of notifications;
// tests count its calls.
var rsaVerify = rsa.VerifyPKCS1v15

// notifyHash is decs.Hash as notifications use it; tests count its calls.
var notifyHash = decs.Hash

// sigOK reports whether sig (base64 text) is a notify key's signature of msg.
func (v *Verifier) sigOK(msg []byte, sig string) bool {
	b, err := base64.StdEncoding.DecodeString(sig)
	if err != nil || len(b) == 0 {
		return false
	}
	sum := sha256.Sum256(msg)
	for _, pub := range v.cfg.NotifyPubs {
		if rsaVerify(pub, crypto.SHA256, sum[:], b) == nil {
			return true
		}
	}
	return false
}

// sigError is the error of a failed check; with diagnostics, fill
// completes its diagnosis.
func (v *Verifier) sigError(header, detail string, fill func(*diag.Report)) *SignatureError {
	e := &SignatureError{Header: header, detail: detail}
	if v.cfg.Diagnostics {
		r := &diag.Report{}
		fill(r)
		d := Diagnosis{Algorithm: r.Algorithm, KeysTried: r.Keys, SignedForm: r.Signed, Fields: r.Fields, FieldsReceived: r.Received, Tried: r.Tried}
		for _, c := range r.Causes {
			d.Causes = append(d.Causes, Cause{Code: CauseCode(c.Code), Text: c.Text})
		}
		e.diag = &d
	}
	return e
}

func (v *Verifier) hashAlgorithm() string {
	if v.cfg.SM {
		return diag.DECSHashAlgorithmSM3
	}
	return diag.DECSHashAlgorithm
}

// badHashHeader is a DECSHASH header that is missing or of the wrong length.
func (v *Verifier) badHashHeader(h http.Header, body []byte) *SignatureError {
	return v.sigError("DECSHASH", "DECSHASH missing or of the wrong length", func(r *diag.Report) {
		r.Algorithm = v.hashAlgorithm()
		r.Keys = []string{"appKey " + diag.Secret([]byte(v.cfg.AppKey))}
		r.Signed = diag.MaskJSON(body, diag.MaskAll) + "<appKey>"
		got := strings.TrimSpace(h.Get("DECSHASH"))
		if got == "" {
			r.Cause(diag.CauseFields, "no DECSHASH header: the request is not a DECS notification, or a proxy dropped the header")
			return
		}
		r.Cause(diag.CauseTruncated, fmt.Sprintf("DECSHASH is %d characters; the suite's is %d hex characters (a header cut short, or another suite: WithSuite)", len(got), 2*v.mac.Size()))
	})
}

// badSign is a DECSSIGN that is missing, not base64 or does not verify.
func (v *Verifier) badSign(detail string, h http.Header, body []byte) *SignatureError {
	return v.sigError("DECSSIGN", detail, func(r *diag.Report) {
		r.Algorithm = diag.DECSSignAlgorithm
		sig := strings.TrimSpace(h.Get("DECSSIGN"))
		if sig == "" {
			r.Keys = append(r.Keys, fingerprints(v.cfg.NotifyPubs)...)
			r.Signed = strings.ToUpper(strings.TrimSpace(h.Get("DECSHASH")))
			r.Cause(diag.CauseFields, "no DECSSIGN header: the operator signs notifications only for apps it was given a notification key for; "+
				"ask it for one, or accept DECSHASH alone (WithInsecureNotificationHashOnly, forgeable by anyone with the appKey)")
			return
		}
		k := diag.DECSSignKeys{Given: v.cfg.NotifyPubs, GivenAs: "notification public key"}
		if v.cfg.RSAPriv != nil {
			k.Own = &v.cfg.RSAPriv.PublicKey
		}
		diag.DECSSign(r, k, v.sigOK, h.Get("DECSHASH"), body, sig)
	})
}

// badHash is a DECSHASH that does not match the body.
func (v *Verifier) badHash(got string, body []byte) *SignatureError {
	return v.sigError("DECSHASH", "DECSHASH", func(r *diag.Report) {
		r.Algorithm = v.hashAlgorithm()
		key := []byte(v.cfg.AppKey)
		r.Keys = []string{"appKey " + diag.Secret(key)}
		sum := func(m []byte) string { return notifyHash(v.mac, "", m) }
		diag.DECSHash(r, sum, key, body, got, !v.cfg.HashOnly)
	})
}

func fingerprints(pubs []*rsa.PublicKey) []string {
	out := make([]string, len(pubs))
	for i, p := range pubs {
		out[i] = "notification public key " + diag.FingerprintRSA(p)
	}
	return out
}
