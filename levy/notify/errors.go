package notify

import (
	"errors"
	"fmt"

	"github.com/bizapi-cn/go-sdk/internal/diag"
	"github.com/bizapi-cn/go-sdk/levy/internal/trust"
)

// ErrInvalidSignature reports an answer or a notification that claims to
// come from the provider but whose signature is missing or does not verify:
// a trust failure, never an ordinary HTTP error page (that is
// *levy.HTTPError).
var ErrInvalidSignature = errors.New("levy: invalid signature")

// ErrMalformedNotification reports a request that is not a notification
// form, or whose verified req does not decode.
var ErrMalformedNotification = errors.New("levy: malformed notification")

// SignatureError is an answer's Api-Sign or a notification's sign that is
// missing or does not verify. errors.Is(err, ErrInvalidSignature) holds.
// Its Error text is the same with or without WithDiagnostics; the
// diagnosis is only in Diagnosis. levy.Client returns the same type for an
// answer.
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
// causes recognised; false unless the levy.Client or the Verifier was
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

// diagnosis is the public form of the engine's report; nil for none.
func diagnosis(r *diag.Report) *Diagnosis {
	if r == nil {
		return nil
	}
	out := &Diagnosis{Algorithm: r.Algorithm, KeysTried: r.Keys, SignedForm: r.Signed, Fields: r.Fields, FieldsReceived: r.Received, Tried: r.Tried}
	for _, c := range r.Causes {
		out.Causes = append(out.Causes, Cause{Code: CauseCode(c.Code), Text: c.Text})
	}
	return out
}

// init gives the client its way to this package's SignatureError (see
// package levy/internal/trust).
func init() {
	trust.NewSignatureError = func(op string, status int, r *diag.Report) error {
		return &SignatureError{Operation: Operation(op), StatusCode: status, diag: diagnosis(r)}
	}
}
