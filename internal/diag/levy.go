package diag

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
)

// Levy's envelopes, in the order the spec writes their members: a request's
// req, and an answer's body or a notification's req.
var (
	LevyRequestOrder = []string{"name", "client_key", "timestamp", "data"}
	LevyAnswerOrder  = []string{"name", "code", "message", "data"}
)

// LevyEnvelope looks for a levy envelope that a framework decoded into a
// map and encoded again: its top-level members sorted (as json.Marshal of a
// map writes them), so that Body's re-encodings, which keep the received
// order, cannot find the bytes signed. It puts the members back in the
// spec's order (order: LevyRequestOrder or LevyAnswerOrder) and tries the
// 16 styles once more; nested objects keep their received order. It
// reports whether a cause was recognised. Call it after Body found none.
func LevyEnvelope(r *Report, ok Verify, msg []byte, sig string, order []string) bool {
	n, err := ParseJSON(bytes.TrimSpace(msg))
	if err != nil || !n.IsObject() || slices.Equal(n.keys, orderedKeys(n.keys, order)) {
		return false
	}
	re := &Node{kind: '{'}
	for _, k := range orderedKeys(n.keys, order) {
		re.keys = append(re.keys, k)
		re.vals = append(re.vals, n.Member(k))
	}
	if fixed, changed := PlusFix(sig); changed {
		sig = fixed
	}
	for _, s := range Styles() {
		if ok(re.Encode(s), sig) {
			r.Cause(CauseReencoded, fmt.Sprintf("the envelope was re-encoded: the bytes signed had its members in the spec's order (%s), written %s; "+
				"the message checked has them sorted, as a JSON library writes a decoded map. Verify over the raw bytes exactly as received",
				strings.Join(order, ", "), s))
			r.Cause(CauseFieldOrder, "field order differs: the envelope's members were sorted after signing")
			return true
		}
	}
	r.Try("the envelope's members in the spec's order (" + strings.Join(order, ", ") + "), 16 styles")
	return false
}

// orderedKeys is keys with those of order first, in order's order, then
// the others as received.
func orderedKeys(keys, order []string) []string {
	out := make([]string, 0, len(keys))
	for _, k := range order {
		if slices.Contains(keys, k) {
			out = append(out, k)
		}
	}
	for _, k := range keys {
		if !slices.Contains(order, k) {
			out = append(out, k)
		}
	}
	return out
}

// LevyDecodedForm reads a notification body that was URL-decoded before it
// was handed on (a form decoded twice): its req and sign are the text
// between "req=" and the last "&sign=", and after it, taken literally. ok
// is false when the body does not have that shape or looks still encoded
// (no '{' or '"' in it).
func LevyDecodedForm(body []byte) (req []byte, sig string, ok bool) {
	s := string(body)
	i := strings.LastIndex(s, "&sign=")
	if !strings.HasPrefix(s, "req=") || i < 0 || !strings.ContainsAny(s[:i], `{"`) {
		return nil, "", false
	}
	return []byte(s[len("req="):i]), s[i+len("&sign="):], true
}

// HexSignature reports whether sig is the hex of a MAC of size bytes, and
// its bytes: a signature sent as hex where base64 was due.
func HexSignature(sig string, size int) ([]byte, bool) {
	if len(sig) != 2*size {
		return nil, false
	}
	b, err := hex.DecodeString(sig)
	return b, err == nil
}
