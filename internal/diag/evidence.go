package diag

import (
	"bytes"
	"crypto/rsa"
	"math"
	"strconv"
	"strings"

	"github.com/bizapi-cn/go-sdk/internal/sortedjson"
)

// The DECS (evidence) checks, as a diagnosis names them.
const (
	DECSHashAlgorithm    = "DECSHASH = uppercase hex HMAC-SHA256(key = appKey, message = sorted JSON + appKey)"
	DECSHashAlgorithmSM3 = "DECSHASH = uppercase hex HMAC-SM3(key = appKey, message = sorted JSON + appKey)"
	DECSSignAlgorithm    = "DECSSIGN = base64 SHA256withRSA (PKCS#1 v1.5) over the ASCII bytes of the uppercase DECSHASH"
)

// DECSHash looks for the reason a notification's DECSHASH (got, as
// received) does not match its body. sum is the uppercase hex HMAC under
// the appKey of a message; the protocol's message is the sorted JSON
// followed by the appKey. authentic says DECSSIGN verified, so that the
// DECSHASH header is the operator's own: then a body that matches no
// variant was changed on the way. The work is a fixed number of variants,
// each linear in the body. It fills r.Signed (every value masked) and
// r.Fields when they are empty.
func DECSHash(r *Report, sum func([]byte) string, appKey, body []byte, got string, authentic bool) {
	got = strings.TrimSpace(got)
	want := strings.ToUpper(got)
	body = bytes.TrimSpace(body)
	sorted, serr := sortedjson.Canonicalize(body)
	if r.Signed == "" {
		if serr == nil {
			r.Signed = MaskJSON(sorted, MaskAll) + "<appKey>"
		} else {
			r.Signed = MaskJSON(body, MaskAll) + "<appKey>"
		}
	}
	n, jerr := ParseJSON(body)
	if r.Fields == nil && jerr == nil {
		r.Fields = n.FieldOrder("", nil)
	}
	withKey := func(m []byte) []byte { return append(append(make([]byte, 0, len(m)+len(appKey)), m...), appKey...) }
	matches := func(m []byte) bool {
		s, err := sortedjson.Canonicalize(m)
		return err == nil && sum(withKey(s)) == want
	}
	if serr == nil {
		switch {
		case sum(withKey(sorted)) == want && got != want:
			r.Cause(CauseFieldCase, "case differs: the DECSHASH is lowercase hex; the protocol sends and compares uppercase")
			return
		case sum(sorted) == want || sum(body) == want:
			r.Cause(CauseFields, "the hasher left out the appKey that follows the sorted JSON in the message")
			return
		case sum(withKey(body)) == want:
			r.Cause(CauseFieldOrder, "field order differs: the hash is over the body as sent, not sorted; the protocol sorts keys at every level before hashing")
			return
		}
		r.Try("lowercase hex", "sorted JSON without the appKey suffix", "the body unsorted")
	} else {
		r.Try("the body in sorted form (it is not JSON the hash can cover: " + serr.Error() + ")")
	}
	if fixed, changed := PlusFix(string(body)); changed {
		if matches([]byte(fixed)) {
			r.Cause(CausePlusSpace, "URL-decoding damage: the body has spaces where '+' was; with '+' restored it matches")
			return
		}
		r.Try("the body with every space turned into '+'")
	}
	if jerr == nil {
		for _, v := range decsVariants(n) {
			if matches(v.body) {
				r.Cause(CauseReencoded, "the body was re-encoded: "+v.what+". Verify over the raw bytes exactly as received, before any JSON decoding or re-serialising")
				return
			}
			r.Try("the body with " + v.undo)
		}
	}
	if authentic {
		r.Cause(CauseReencoded, "DECSSIGN verifies, so the DECSHASH header is the operator's: the body checked is not the one it hashed "+
			"(re-encoded or changed on the way: a field dropped or a value changed, e.g. through a typed struct). "+
			"Verify over the raw bytes exactly as received; if they are, compare the appKey's fingerprint with the operator's")
		return
	}
	r.Cause(CauseReencoded, "the body is not the one hashed (a field dropped or a value changed when it was re-encoded, e.g. through a typed struct), or the appKey differs (compare its fingerprint)")
}

// decsVariant is one way back from a re-encoded body.
type decsVariant struct {
	body       []byte
	what, undo string
}

// decsVariants undo the content changes a re-encoding makes that the
// sorted form does not absorb (key order, spacing and escapes it does):
// integers written as floats, null members added, empty members added.
func decsVariants(n *Node) []decsVariant {
	var out []decsVariant
	if m, changed := n.mapNodes(intNumber); changed {
		out = append(out, decsVariant{m.Encode(Style{}),
			"whole numbers were written as floats (1.7e+12, 1700000000000.0), as a decoder into float64 or a double writes them",
			"whole numbers written as integers"})
	}
	for _, d := range []struct {
		drop       func(*Node) bool
		what, undo string
	}{
		{func(v *Node) bool { return v.kind == 'n' }, "members with null were added (a typed struct writes every field it has)", "null members removed"},
		{emptyNode, `empty members (null, "", 0, false, [], {}) were added (a typed struct without omitempty writes every field)`, "empty members removed"},
	} {
		if m, changed := n.dropMembers(d.drop); changed {
			out = append(out, decsVariant{m.Encode(Style{}), d.what, d.undo})
		}
	}
	return out
}

func emptyNode(v *Node) bool {
	switch v.kind {
	case 'n':
		return true
	case '"':
		return v.str == ""
	case '0':
		f, err := strconv.ParseFloat(v.str, 64)
		return err == nil && f == 0
	case 'b':
		return v.str == "false"
	default:
		return len(v.vals) == 0
	}
}

// intNumber rewrites a whole number written as a float as an integer.
func intNumber(v *Node) (*Node, bool) {
	if v.kind != '0' || !strings.ContainsAny(v.str, ".eE") {
		return v, false
	}
	f, err := strconv.ParseFloat(v.str, 64)
	if err != nil || f != math.Trunc(f) || math.Abs(f) >= 1e21 {
		return v, false
	}
	return &Node{kind: '0', str: strconv.FormatFloat(f, 'f', -1, 64)}, true
}

// mapNodes returns a copy of n with f applied to every leaf.
func (n *Node) mapNodes(f func(*Node) (*Node, bool)) (*Node, bool) {
	if n.kind != '{' && n.kind != '[' {
		return f(n)
	}
	c := &Node{kind: n.kind, keys: n.keys, vals: make([]*Node, len(n.vals))}
	changed := false
	for i, v := range n.vals {
		var ch bool
		c.vals[i], ch = v.mapNodes(f)
		changed = changed || ch
	}
	return c, changed
}

// dropMembers returns a copy of n without the object members, at any
// depth, for which drop holds.
func (n *Node) dropMembers(drop func(*Node) bool) (*Node, bool) {
	if n.kind != '{' && n.kind != '[' {
		return n, false
	}
	c := &Node{kind: n.kind}
	changed := false
	for i, v := range n.vals {
		if n.kind == '{' && drop(v) {
			changed = true
			continue
		}
		cv, ch := v.dropMembers(drop)
		changed = changed || ch
		if n.kind == '{' {
			c.keys = append(c.keys, n.keys[i])
		}
		c.vals = append(c.vals, cv)
	}
	return c, changed
}

// DECSSignKeys are what a failed DECSSIGN is checked with.
type DECSSignKeys struct {
	Given   []*rsa.PublicKey // the keys given as the operator's notification keys
	GivenAs string           // how they were given ("the notification public key", "WithNotifyPublicKey")
	Own     *rsa.PublicKey   // the public half of the integrator's own private key, or nil
}

// DECSSign looks for the reason a notification's DECSSIGN (sig, as
// received) does not verify over its DECSHASH (hash, as received). ok
// reports whether a base64 signature verifies over msg under one of the
// given keys. body is the notification's body, or nil. It fills r.Signed
// (the uppercase DECSHASH, a MAC, not a secret) when it is empty.
func DECSSign(r *Report, k DECSSignKeys, ok Verify, hash string, body []byte, sig string) {
	msg := []byte(strings.ToUpper(strings.TrimSpace(hash)))
	if r.Signed == "" {
		r.Signed = string(msg)
	}
	for _, p := range k.Given {
		r.Keys = append(r.Keys, k.GivenAs+" "+FingerprintRSA(p))
	}
	s := strings.TrimSpace(sig)
	if fixed, changed := PlusFix(s); changed {
		if ok(msg, fixed) {
			r.Cause(CausePlusSpace, "URL-decoding damage: DECSSIGN has spaces where '+' was; with '+' restored it verifies")
			return
		}
		s = fixed
		r.Try("DECSSIGN with its spaces turned back into '+'")
	}
	if k.Own != nil && len(k.Given) > 0 {
		given := k.Given[0]
		for _, p := range k.Given {
			if SamePublic(p, k.Own) {
				given = p
			}
		}
		Roles(r, RoleKeys{Given: given, GivenAs: k.GivenAs, Own: k.Own}, msg, s)
		if len(r.Causes) > 0 {
			return
		}
	} else {
		r.Try("the key role (no private key of your own to compare the notification key with)")
	}
	trimmed := bytes.TrimSpace(body)
	switch {
	case ok(bytes.ToLower(msg), s):
		r.Cause(CauseFieldCase, "case differs: the signer signed the lowercase hex of DECSHASH; the protocol signs the uppercase")
	case len(trimmed) > 0 && (ok(trimmed, s) || ok(body, s)):
		r.Cause(CauseFields, "the signer signed the body, not the DECSHASH")
	default:
		r.Try("the lowercase DECSHASH", "the body")
	}
}
