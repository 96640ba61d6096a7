package notify

import (
	"errors"

	"github.com/bizapi-cn/go-sdk/allinpay/internal/fieldset"
	"github.com/bizapi-cn/go-sdk/internal/diag"
)

// ErrInvalidSignature reports a trust failure: a response or notification
// whose signature does not verify, or a success answer without one. An
// unsigned gateway error page is never ErrInvalidSignature (it is an
// *allinpay.HTTPError).
var ErrInvalidSignature = errors.New("allinpay: invalid signature")

// ErrMalformedNotification reports a body that is not a notification this
// verifier may accept: not a form, a field sent twice, an ambiguous field
// set, a required field missing, or another merchant's notification.
var ErrMalformedNotification = errors.New("allinpay: malformed notification")

// SignatureError is an answer, a bill or a notification whose signature
// does not verify. errors.Is(err, ErrInvalidSignature) holds. Its text is
// the same with or without WithDiagnostics; the diagnosis is read with
// Diagnosis, never printed by Error.
type SignatureError struct {
	// Operation is the call whose answer failed (TransTypeDownloadCheckBill
	// for a bill); empty for a notification.
	Operation TransType
	reason    string
	diagnosis *Diagnosis
}

func init() {
	fieldset.NewSignatureError = func(op, reason string, r *diag.Report) error {
		e := &SignatureError{Operation: TransType(op), reason: reason}
		if r != nil {
			e.diagnosis = diagnosisOf(r)
		}
		return e
	}
}

func (e *SignatureError) Error() string {
	if e.reason != "" {
		return ErrInvalidSignature.Error() + ": " + e.reason
	}
	return ErrInvalidSignature.Error()
}

// Is matches ErrInvalidSignature.
func (e *SignatureError) Is(target error) bool { return target == ErrInvalidSignature }

// Diagnosis returns what took part in the failed check and the likely
// causes recognised; false unless the Verifier (or the allinpay Client)
// was built with WithDiagnostics.
func (e *SignatureError) Diagnosis() (Diagnosis, bool) {
	if e.diagnosis == nil {
		return Diagnosis{}, false
	}
	return *e.diagnosis, true
}

// Diagnosis is what took part in a failed signature check. It holds no
// key, signature or field value: keys by fingerprint, every value of the
// canonical string masked.
type Diagnosis struct {
	Algorithm      string   // the algorithm and the canonical form's rule
	KeysTried      []string // the platform keys by fingerprint (and the merchant's, when known)
	SignedForm     string   // the canonical string with every value masked
	Fields         []string // the fields in the order signed
	FieldsReceived []string // the fields in the order received (notifications), when it differs
	Tried          []string // variants tried that did not match
	Causes         []Cause  // recognised likely causes; none when nothing was recognised
}

// Cause is a recognised likely cause of a failed check.
type Cause struct {
	Code CauseCode
	Text string // what it means and what to do
}

// CauseCode is the stable name of a recognised cause.
type CauseCode string

// The cause codes (the same in every module of this SDK and in the bizapi
// tool's output).
const (
	CauseReencoded   CauseCode = "re-encoded"         // the message checked is not the bytes signed (values URL-escaped by the signer)
	CausePlusSpace   CauseCode = "plus-as-space"      // '+' became ' ' by a second URL decoding
	CauseReversedKey CauseCode = "reversed-key-role"  // the merchant's own key given as the platform's, or the message signed with it
	CauseFieldOrder  CauseCode = "field-order"        // the signer sorted the fields otherwise, or not at all
	CauseFieldCase   CauseCode = "field-case"         // a field name's case differs from the protocol's
	CauseEncoding    CauseCode = "signature-encoding" // the signature is encoded otherwise
	CauseWhitespace  CauseCode = "whitespace"         // white space that was not signed
	CauseFields      CauseCode = "fields"             // the signer included empty fields
	CauseKey         CauseCode = "key"                // the key is not the one used
	CauseTruncated   CauseCode = "truncated"          // the data is cut short
)

// String is the diagnosis as labelled lines, as the bizapi tool prints it.
func (d Diagnosis) String() string {
	r := diag.Report{Algorithm: d.Algorithm, Keys: d.KeysTried, Signed: d.SignedForm, Fields: d.Fields, Received: d.FieldsReceived, Tried: d.Tried}
	for _, c := range d.Causes {
		r.Causes = append(r.Causes, diag.Cause{Code: string(c.Code), Text: c.Text})
	}
	return r.String()
}

func diagnosisOf(r *diag.Report) *Diagnosis {
	d := &Diagnosis{Algorithm: r.Algorithm, KeysTried: r.Keys, SignedForm: r.Signed, Fields: r.Fields, FieldsReceived: r.Received, Tried: r.Tried}
	for _, c := range r.Causes {
		d.Causes = append(d.Causes, Cause{Code: CauseCode(c.Code), Text: c.Text})
	}
	return d
}
