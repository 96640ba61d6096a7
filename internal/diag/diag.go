// Package diag says why a signature, a hash or a decryption failed: what
// took part (the algorithm, the keys by fingerprint, the string-to-sign
// with its values masked, the fields in order) and the likely causes it
// recognises by trying the usual damage backwards (a body re-encoded by a
// framework, '+' turned into a space by URL decoding, a reversed key role,
// a field's case or order changed).
//
// The bizapi tool prints a Report; the provider modules convert one into
// their public Diagnosis type when a client or verifier was built with
// WithDiagnostics. The work is bounded (a fixed number of variants, each
// linear in the message), but it is extra work on unauthenticated input,
// which is why the modules do it only when asked.
package diag

import (
	"fmt"
	"strings"
)

// Cause codes: the stable names of the recognised causes. The modules
// export them as their Cause constants.
const (
	CauseReencoded   = "re-encoded"         // the body checked is not the bytes signed: re-encoded (JSON, form)
	CausePlusSpace   = "plus-as-space"      // URL-decoding damage: '+' became ' '
	CauseReversedKey = "reversed-key-role"  // the key given as the provider's is one's own, or another key signed
	CauseFieldOrder  = "field-order"        // fields in another order than the one signed
	CauseFieldCase   = "field-case"         // a field name or hex case differs
	CauseEncoding    = "signature-encoding" // the signature is encoded otherwise (hex for base64)
	CauseWhitespace  = "whitespace"         // white space around the body that was not signed
	CauseFields      = "fields"             // fields included or left out that the protocol treats otherwise
	CauseKey         = "key"                // the key or secret is not the one used (a fingerprint to compare)
	CauseTruncated   = "truncated"          // the data is cut short or not of the expected size
)

// Cause is one recognised likely cause.
type Cause struct {
	Code string // one of the Cause* constants
	Text string // what it means and what to do, no secret or personal value
}

// Report is what took part in a failed check, and what was recognised.
type Report struct {
	Algorithm string
	Keys      []string // the keys tried, by fingerprint
	Signed    string   // the string-to-sign or canonical form, values masked
	Fields    []string // the fields in the order they were signed
	Received  []string // the fields in the order received, when that differs
	Tried     []string // variants tried that did not match
	Causes    []Cause  // recognised likely causes
}

// Cause records a recognised cause.
func (r *Report) Cause(code, text string) { r.Causes = append(r.Causes, Cause{code, text}) }

// Try records a variant tried that did not match.
func (r *Report) Try(what ...string) { r.Tried = append(r.Tried, what...) }

// Has reports whether a cause with code was recognised.
func (r *Report) Has(code string) bool {
	for _, c := range r.Causes {
		if c.Code == code {
			return true
		}
	}
	return false
}

// Unrecognised is the text printed when no cause was recognised.
const Unrecognised = "none recognised: the key/secret is not the one the sender used, or the message is not the one signed"

// Lines are the report as labelled lines, in the order the tool prints
// them.
func (r *Report) Lines() []string {
	var out []string
	add := func(label, v string) { out = append(out, fmt.Sprintf("%-17s %s", label+":", v)) }
	if r.Algorithm != "" {
		add("algorithm", r.Algorithm)
	}
	for _, k := range r.Keys {
		add("key tried", k)
	}
	if r.Fields != nil {
		add("fields in order", strings.Join(r.Fields, ", "))
	}
	if r.Received != nil {
		add("fields received", strings.Join(r.Received, ", "))
	}
	if r.Signed != "" {
		add("string-to-sign", r.Signed)
	}
	for _, t := range r.Tried {
		add("tried, no match", t)
	}
	if len(r.Causes) == 0 {
		add("likely cause", Unrecognised)
	}
	for _, c := range r.Causes {
		add("likely cause", c.Text)
	}
	return out
}

// String is Lines joined by newlines.
func (r *Report) String() string { return strings.Join(r.Lines(), "\n") }
