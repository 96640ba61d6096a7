package allinpay

import (
	"bytes"
	"context"
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"io"
	"maps"
	"net/url"
	"slices"
	"strings"
	"sync"

	"github.com/bizapi-cn/go-sdk/internal/diag"
)

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

func (e *SignatureError) Error() string {
	if e.reason != "" {
		return ErrInvalidSignature.Error() + ": " + e.reason
	}
	return ErrInvalidSignature.Error()
}

// Is matches ErrInvalidSignature.
func (e *SignatureError) Is(target error) bool { return target == ErrInvalidSignature }

// Diagnosis returns what took part in the failed check and the likely
// causes recognised; false unless the Client or NotificationVerifier was
// built with WithDiagnostics.
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

const algorithm = "SHA256withRSA (RSA2, PKCS#1 v1.5), base64, over every non-empty field except signature, " +
	"sorted by key in byte order, key=value joined by '&', values raw"

// diagnosis is WithDiagnostics' setting.
type diagnosis struct {
	on          bool
	merchantPub *rsa.PublicKey // WithDiagnosisMerchantPublicKey
}

// diagnoser diagnoses failed checks with the keys of one configuration;
// nil when diagnostics are off.
type diagnoser struct {
	pubs []*rsa.PublicKey // the platform keys; nil with a custom Verifier
	own  *rsa.PublicKey   // the merchant's public key, when known
	v    Verifier
}

func (cfg *config) diagnoser() *diagnoser {
	if !cfg.diag.on {
		return nil
	}
	d := &diagnoser{own: cfg.diag.merchantPub, v: cfg.verifier}
	if d.own == nil && cfg.priv != nil {
		d.own = &cfg.priv.PublicKey
	}
	if cfg.builtinVerifier {
		d.pubs = cfg.pubs
	}
	return d
}

// names are the protocol's field names, for the case check (once
// protocolFields is filled by init).
var names = sync.OnceValue(func() []string {
	ns := make([]string, 0, len(protocolFields))
	for k := range protocolFields {
		ns = append(ns, k)
	}
	slices.Sort(ns)
	return ns
})

// report diagnoses f, whose fields were received in the order received
// returns (nil: not known). ok checks a canonical string, verifies one
// with a key (nil: in memory).
func (d *diagnoser) report(f Fields, received func() []string, ok diag.Verify, verifies func(*rsa.PublicKey, []byte, string) bool) *Diagnosis {
	r := &diag.Report{Algorithm: algorithm, Signed: string(diag.Canonical(diag.MaskForm(f, diag.MaskAll))), Fields: diag.SignedOrder(f)}
	var order []string
	if received != nil {
		order = received()
	}
	if order == nil {
		order = make([]string, 0, len(f))
		for k := range f {
			order = append(order, k)
		}
		slices.Sort(order)
	} else if !slices.Equal(order, r.Fields) {
		r.Received = order
	}
	if d.pubs == nil {
		r.Keys = []string{"a custom Verifier (WithVerifier): its keys are not known here"}
	}
	diag.SignedForm(r, diag.FieldSet{Order: order, Vals: f}, f["signature"], names(),
		diag.FormKeys{Given: d.pubs, GivenAs: "WithPlatformPublicKeys", Own: d.own, OwnAs: "the merchant's public key", Verifies: verifies}, ok)
	return diagnosisOf(r)
}

// verifyOK is a diag.Verify through the configured Verifier.
func (d *diagnoser) verifyOK(ctx context.Context) diag.Verify {
	return func(msg []byte, sig string) bool {
		b, err := base64.StdEncoding.DecodeString(sig)
		return err == nil && len(b) > 0 && len(b) <= 1024 && d.v.Verify(ctx, msg, b) == nil
	}
}

// formOrder lists the field names of a form body in the order sent.
func formOrder(body []byte) []string {
	var order []string
	for part := range strings.SplitSeq(string(body), "&") {
		k, _, _ := strings.Cut(part, "=")
		if uk, err := url.QueryUnescape(k); err == nil && k != "" {
			order = append(order, uk)
		}
	}
	return order
}

// billPlaceholder stands for billData in a bill's diagnosis: the file
// stays on disk and is hashed in its place (letters only, so that no
// variant escapes it).
const billPlaceholder = "BILLDATAFROMTHEDOWNLOADEDFILE"

// billHashes bounds how often a bill's diagnosis reads the file again.
const billHashes = 8

// billReport diagnoses a bill answer whose billData is in s: every
// variant hashes the file again, at most billHashes times.
func (d *diagnoser) billReport(ctx context.Context, f Fields, s *billSpool) *Diagnosis {
	g := maps.Clone(f)
	g["billData"] = billPlaceholder
	mark := []byte("billData=" + billPlaceholder)
	sums := map[string][]byte{}
	budget, exhausted := billHashes, false
	// expand writes msg with the file in the placeholder's place.
	expand := func(w io.Writer, msg []byte) bool {
		i := bytes.Index(msg, mark)
		if i < 0 {
			_, _ = w.Write(msg)
			return true
		}
		if budget == 0 {
			exhausted = true
			return false
		}
		budget--
		_, _ = w.Write(msg[:i+len("billData=")])
		if _, err := io.Copy(w, s.reader()); err != nil {
			return false
		}
		_, _ = w.Write(msg[i+len(mark):])
		return true
	}
	sum := func(msg []byte) []byte {
		if h, ok := sums[string(msg)]; ok {
			return h
		}
		h := sha256.New()
		var out []byte
		if expand(h, msg) {
			out = h.Sum(nil)
		}
		sums[string(msg)] = out
		return out
	}
	verifies := func(pub *rsa.PublicKey, msg []byte, sig string) bool {
		b, err := base64.StdEncoding.DecodeString(sig)
		h := sum(msg)
		return err == nil && h != nil && rsa.VerifyPKCS1v15(pub, crypto.SHA256, h, b) == nil
	}
	ok := func(msg []byte, sig string) bool {
		if d.pubs != nil {
			return slices.ContainsFunc(d.pubs, func(p *rsa.PublicKey) bool { return verifies(p, msg, sig) })
		}
		var b bytesBuffer
		return expand(&b, msg) && d.verifyOK(ctx)(b.b, sig)
	}
	out := d.report(g, nil, ok, verifies)
	if exhausted {
		out.Tried = append(out.Tried, fmt.Sprintf("no more variants: a bill's diagnosis reads the file at most %d times", billHashes))
	}
	return out
}
