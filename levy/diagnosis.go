package levy

import (
	"context"
	"encoding/base64"
	"fmt"
	"strings"

	"github.com/bizapi-cn/go-sdk/internal/diag"
)

// SignatureError is an answer's Api-Sign or a notification's sign that is
// missing or does not verify. errors.Is(err, ErrInvalidSignature) holds.
// Its Error text is the same with or without WithDiagnostics; the
// diagnosis is only in Diagnosis.
type SignatureError struct {
	// Operation is the interface whose answer failed; "" for a
	// notification (its name is not trusted before it verifies).
	Operation Operation
	// StatusCode is the answer's HTTP status; 0 for a notification.
	StatusCode int

	detail string // notification: what failed
	diag   *Diagnosis
}

func (e *SignatureError) Error() string {
	if e.Operation == "" {
		return fmt.Sprintf("%v: %s", ErrInvalidSignature, e.detail)
	}
	return fmt.Sprintf("levy: %s: %v: HTTP %d answer", e.Operation, ErrInvalidSignature, e.StatusCode)
}

// Is matches ErrInvalidSignature.
func (e *SignatureError) Is(target error) bool { return target == ErrInvalidSignature }

// Diagnosis returns what took part in the failed check and the likely
// causes recognised; false unless the Client or NotificationVerifier was
// built with WithDiagnostics.
func (e *SignatureError) Diagnosis() (Diagnosis, bool) {
	if e == nil || e.diag == nil {
		return Diagnosis{}, false
	}
	return *e.diag, true
}

// Diagnosis is what took part in a failed signature check, every value
// masked: it holds no secret, no signature and no personal value, so a
// host may log it.
type Diagnosis struct {
	Algorithm      string   // e.g. "HMAC-SHA256 over req, base64"
	KeysTried      []string // the secret by fingerprint (length and 4 bytes of its SHA-256), or the host's Verifier
	SignedForm     string   // the message checked, every value masked (keys, order, spacing and escapes kept)
	Fields         []string // the fields in the order signed (nested ones as data.x)
	FieldsReceived []string // the fields in the order received, when that differs
	Tried          []string // variants tried that did not verify
	Causes         []Cause  // likely causes recognised; none when the secret or the message is simply another
}

// Cause is one recognised likely cause of a failed check.
type Cause struct {
	Code CauseCode
	Text string // what it means and what to do
}

// CauseCode names a recognised cause; the values are stable.
type CauseCode string

// Cause codes. Levy's HMAC recognises CauseReencoded, CausePlusSpace,
// CauseFieldOrder, CauseEncoding and CauseWhitespace; the others are
// shared with the other modules of the SDK.
const (
	CauseReencoded   CauseCode = "re-encoded"         // the message checked is not the bytes signed: re-encoded by a framework
	CausePlusSpace   CauseCode = "plus-as-space"      // URL-decoding damage: '+' became ' ' (a form decoded twice)
	CauseReversedKey CauseCode = "reversed-key-role"  // a key given in the wrong role
	CauseFieldOrder  CauseCode = "field-order"        // fields in another order than the one signed
	CauseFieldCase   CauseCode = "field-case"         // a field name's case differs
	CauseEncoding    CauseCode = "signature-encoding" // the signature is encoded otherwise (hex for base64)
	CauseWhitespace  CauseCode = "whitespace"         // white space around the message that was not signed
	CauseFields      CauseCode = "fields"             // fields included or left out that the protocol treats otherwise
	CauseKey         CauseCode = "key"                // the key or secret is not the one used
	CauseTruncated   CauseCode = "truncated"          // the data is cut short
)

// String is the diagnosis as labelled lines, as the bizapi tool prints
// them.
func (d Diagnosis) String() string {
	r := diag.Report{Algorithm: d.Algorithm, Keys: d.KeysTried, Signed: d.SignedForm, Fields: d.Fields, Received: d.FieldsReceived, Tried: d.Tried}
	for _, c := range d.Causes {
		r.Cause(string(c.Code), c.Text)
	}
	return r.String()
}

// diagnoser runs the diagnosis of a failed check; nil without
// WithDiagnostics.
type diagnoser struct {
	v   Verifier
	key string // how the key appears in KeysTried
}

func newDiagnoser(cfg config, v Verifier, secret []byte) *diagnoser {
	if !cfg.diagnose {
		return nil
	}
	key := fmt.Sprintf("the host's Verifier (WithVerifier, %T)", v)
	if secret != nil {
		key = "secret " + diag.Secret(secret)
	}
	return &diagnoser{v: v, key: key}
}

// diagnoser is the Client's: the secret by fingerprint unless the host
// brought its own Verifier.
func (c *Client) diagnoser() *diagnoser {
	var secret []byte
	if c.mac != nil && c.cfg.verifier == Verifier(c.mac) {
		secret = c.cfg.secret
	}
	return newDiagnoser(c.cfg, c.cfg.verifier, secret)
}

// diagnose is the diagnosis of an answer whose Api-Sign (hdr) failed.
func (c *Client) diagnose(ctx context.Context, raw []byte, hdr string) *Diagnosis {
	return c.diagnoser().run(ctx, "the raw answer body (Api-Sign)", raw, hdr, diag.LevyAnswerOrder, nil)
}

// hmacSize is the length of an HMAC-SHA256 signature.
const hmacSize = 32

// run diagnoses msg and sig (as received, text). what is "the raw answer
// body (Api-Sign)" or "req (sign)"; order is the envelope's spec order.
// body, for a notification, is the whole form as handed over. The work is
// bounded: about 40 variants, each linear in msg.
func (d *diagnoser) run(ctx context.Context, what string, msg []byte, sig string, order []string, body []byte) *Diagnosis {
	if d == nil {
		return nil
	}
	ok := func(m []byte, s string) bool {
		b, err := base64.StdEncoding.DecodeString(s)
		return err == nil && len(b) > 0 && d.v.Verify(ctx, m, b) == nil
	}
	r := &diag.Report{Algorithm: "HMAC-SHA256 over " + what + ", base64", Keys: []string{d.key}}
	switch {
	case sig == "" && len(body) == 0:
		r.Try("nothing: no signature was received")
	case recognisedDecodedForm(r, ok, body):
	case recognisedHex(ctx, r, d.v, msg, sig):
	default:
		diag.Body(r, ok, nil, msg, sig, diag.MaskAll)
		if len(r.Causes) == 0 || (len(r.Causes) == 1 && r.Has(diag.CauseFieldOrder)) {
			if diag.LevyEnvelope(r, ok, msg, sig, order) {
				r.Causes = dropFirst(r.Causes, diag.CauseFieldOrder)
			}
		}
	}
	if r.Signed == "" {
		r.Signed = diag.MaskJSON(msg, diag.MaskAll)
	}
	out := &Diagnosis{Algorithm: r.Algorithm, KeysTried: r.Keys, SignedForm: r.Signed, Fields: r.Fields, FieldsReceived: r.Received, Tried: r.Tried}
	for _, c := range r.Causes {
		out.Causes = append(out.Causes, Cause{Code: CauseCode(c.Code), Text: c.Text})
	}
	return out
}

// recognisedDecodedForm checks a notification body handed over already
// URL-decoded: req and sign read literally from it verify.
func recognisedDecodedForm(r *diag.Report, ok diag.Verify, body []byte) bool {
	req, sig, found := diag.LevyDecodedForm(body)
	if !found {
		return false
	}
	if ok(req, sig) {
		r.Signed = diag.MaskJSON(req, diag.MaskAll)
		r.Cause(diag.CausePlusSpace, "URL-decoding damage: the body handed to ParseNotification was already URL-decoded (the form was decoded twice), "+
			"so '+' became spaces and '&' or '=' in req split it; read as it is, it verifies. Pass the raw body exactly as received")
		return true
	}
	r.Try("req and sign read literally from a body already URL-decoded")
	return false
}

// recognisedHex checks a signature sent as hex instead of base64.
func recognisedHex(ctx context.Context, r *diag.Report, v Verifier, msg []byte, sig string) bool {
	raw, isHex := diag.HexSignature(strings.TrimSpace(sig), hmacSize)
	if !isHex {
		return false
	}
	if v.Verify(ctx, msg, raw) == nil {
		r.Cause(diag.CauseEncoding, "the signature is hex, not base64: the sender encoded the MAC differently")
		return true
	}
	r.Try("the signature read as hex")
	return false
}

// dropFirst removes the first cause with code: Body's guess that a sorted
// body lost its order, once LevyEnvelope said it precisely.
func dropFirst(cs []diag.Cause, code string) []diag.Cause {
	for i, c := range cs {
		if c.Code == code {
			return append(cs[:i:i], cs[i+1:]...)
		}
	}
	return cs
}
