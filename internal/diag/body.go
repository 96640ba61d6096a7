package diag

import (
	"bytes"
	"fmt"
)

// Verify reports whether sig (as received, text) verifies over msg.
type Verify func(msg []byte, sig string) bool

// Body looks for the usual reasons a signature over a raw JSON body (or a
// JSON field) fails: the signature's own '+' damage or hex encoding, '+'
// damage in the body, white space added around it, and the body written
// back by a JSON library in another style than the one signed. hexSum, when
// not nil, gives the hex of the correct MAC of a message, to recognise a
// signature sent as hex. It fills r.Signed (masked as m) and r.Fields when
// they are empty.
func Body(r *Report, ok Verify, hexSum func([]byte) string, msg []byte, sig string, m Masking) {
	if r.Signed == "" {
		r.Signed = MaskJSON(msg, m)
	}
	n, jerr := ParseJSON(bytes.TrimSpace(msg))
	if r.Fields == nil && jerr == nil {
		r.Fields = n.FieldOrder("", nil)
	}
	if hexSum != nil && len(sig) == len(hexSum(msg)) && equalFold(hexSum(msg), sig) {
		r.Cause(CauseEncoding, "the signature is hex, not base64: the sender encoded the MAC differently")
		return
	}
	if fixed, changed := PlusFix(sig); changed {
		if ok(msg, fixed) {
			r.Cause(CausePlusSpace, "URL-decoding damage: the signature has spaces where '+' was (the form was decoded twice, or '+' was not escaped); with '+' restored it verifies")
			return
		}
		sig = fixed
		r.Try("the signature with its spaces turned back into '+'")
	}
	if fixed, changed := PlusFix(string(msg)); changed {
		if ok([]byte(fixed), sig) {
			r.Cause(CausePlusSpace, "URL-decoding damage: the body has spaces where '+' was; with '+' restored it verifies")
			return
		}
		r.Try("the body with every space turned into '+'")
	}
	if t := bytes.TrimSpace(msg); !bytes.Equal(t, msg) {
		if ok(t, sig) {
			r.Cause(CauseWhitespace, "the body has white space (a line ending) around it that was not signed: it was added when the body was passed on or saved")
			return
		}
		r.Try("the body without surrounding white space")
	}
	if jerr != nil {
		r.Try("re-encodings of the JSON (the body is not JSON)")
		return
	}
	tried := 0
	for _, s := range Styles() {
		v := n.Encode(s)
		if bytes.Equal(v, msg) {
			continue
		}
		tried++
		if ok(v, sig) {
			r.Cause(CauseReencoded, fmt.Sprintf("the body was re-encoded: the bytes signed were this JSON written %s, the body checked is written %s. "+
				"Verify over the raw bytes exactly as received, before any JSON decoding or re-serialising", s, describeStyle(n, msg)))
			if s.Sorted {
				r.Cause(CauseFieldOrder, "field order differs: the signed body had its keys sorted")
			}
			return
		}
	}
	r.Try(fmt.Sprintf("%d re-encodings of the JSON (compact/spaced, received/sorted key order, \\u escapes, HTML escapes)", tried))
	if n.KeysSorted() {
		r.Cause(CauseFieldOrder, "field order: the body checked has its keys sorted at every level, as a JSON library writes a decoded map; "+
			"if it was decoded and re-encoded, the order that was signed is lost: verify over the raw bytes as received")
	}
}

// describeStyle says how msg, the JSON n as received, is written.
func describeStyle(n *Node, msg []byte) string {
	for _, s := range Styles() {
		if bytes.Equal(n.Encode(s), msg) {
			return s.String()
		}
	}
	return "in some other way (white space or escapes of its own)"
}

func equalFold(a, b string) bool { return bytes.EqualFold([]byte(a), []byte(b)) }
