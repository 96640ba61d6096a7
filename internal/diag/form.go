package diag

import (
	"bytes"
	"context"
	"crypto/rsa"
	"fmt"
	"net/url"
	"sort"
	"strings"

	"github.com/bizapi-cn/go-sdk/internal/kv"
	"github.com/bizapi-cn/go-sdk/internal/sign"
)

// FieldSet is a received form: its fields in the order received.
type FieldSet struct {
	Order []string
	Vals  map[string]string
}

// Canonical is the canonical string of a form: every non-empty field but
// signature, sorted by key in byte order, key=value joined by '&'.
func Canonical(vals map[string]string) []byte { return kv.CanonicalMap(vals, "signature") }

// SignedOrder lists the fields the canonical string covers, in its order.
func SignedOrder(vals map[string]string) []string {
	var ks []string
	for k, v := range vals {
		if k != "signature" && v != "" {
			ks = append(ks, k)
		}
	}
	sort.Strings(ks)
	return ks
}

// Form tries the usual ways a form's canonical string goes wrong: '+'
// turned into spaces in its values, keys sorted otherwise or not at all,
// empty fields included, values URL-escaped before signing, a field name
// whose case changed (names are the protocol's field names). ok checks a
// field set, okRaw a canonical string built here.
func Form(r *Report, f FieldSet, sig string, names []string, ok func(map[string]string, string) bool, okRaw func([]byte) bool) {
	if changed := plusRepair(f.Vals, ok, sig); changed != nil {
		r.Cause(CausePlusSpace, "URL-decoding damage: a '+' became a space in "+strings.Join(changed, ", ")+
			" (the sender did not escape '+' as %2B, or the form was decoded twice); with '+' restored it verifies")
		return
	} else if sp := spacedFields(f.Vals); sp != nil {
		r.Try("spaces turned back into '+' in " + strings.Join(sp, ", "))
	}
	keysOf := func(less func(a, b string) bool) []string {
		ks := SignedOrder(f.Vals)
		sort.SliceStable(ks, func(i, j int) bool { return less(ks[i], ks[j]) })
		return ks
	}
	join := func(ks []string, val func(string) string, withEmpty bool) []byte {
		var b []byte
		for _, k := range ks {
			if k == "signature" || (!withEmpty && f.Vals[k] == "") {
				continue
			}
			if len(b) > 0 {
				b = append(b, '&')
			}
			b = append(b, k+"="+val(f.Vals[k])...)
		}
		return b
	}
	raw := func(v string) string { return v }
	ci := keysOf(func(a, b string) bool { return strings.ToLower(a) < strings.ToLower(b) })
	withEmpty := append(SignedOrder(f.Vals), emptyKeys(f)...)
	sort.Strings(withEmpty)
	variants := []struct {
		name  string
		msg   []byte
		code  string
		cause string
	}{
		{"keys sorted case-insensitively", join(ci, raw, false), CauseFieldOrder,
			"field order differs: the signer sorted the keys case-insensitively (" + firstDiff(SignedOrder(f.Vals), ci) + "); the protocol sorts in byte order, uppercase before lowercase"},
		{"keys in received order", join(f.Order, raw, false), CauseFieldOrder,
			"field order differs: the signer did not sort the keys, it signed them in the order sent"},
		{"empty fields included", join(withEmpty, raw, true), CauseFields,
			"the signer included empty fields; the protocol leaves them out"},
		{"values URL-escaped", join(SignedOrder(f.Vals), url.QueryEscape, false), CauseReencoded,
			"the signer URL-escaped the values before signing; the protocol signs raw values"},
	}
	canon := Canonical(f.Vals)
	for _, v := range variants {
		if bytes.Equal(v.msg, canon) {
			continue
		}
		if okRaw(v.msg) {
			r.Cause(v.code, v.cause)
			return
		}
		r.Try(v.name)
	}
	for _, k := range f.Order {
		for _, n := range names {
			if k != n && strings.EqualFold(k, n) {
				r.Cause(CauseFieldCase, fmt.Sprintf("field case differs: %q was received, the protocol names it %q; a framework or typed struct changed the name, so the canonical string differs from the one signed", k, n))
			}
		}
	}
}

func emptyKeys(f FieldSet) []string {
	var ks []string
	for _, k := range f.Order {
		if f.Vals[k] == "" && k != "signature" {
			ks = append(ks, k)
		}
	}
	return ks
}

// firstDiff names the first place two orders of the same keys differ.
func firstDiff(a, b []string) string {
	for i := range a {
		if i < len(b) && a[i] != b[i] {
			return fmt.Sprintf("byte order puts %s first, case-insensitive order %s", a[i], b[i])
		}
	}
	return "same order here"
}

// spacedFields lists the signed fields whose values hold a space.
func spacedFields(vals map[string]string) []string {
	var ks []string
	for k, v := range vals {
		if k != "signature" && strings.Contains(v, " ") {
			ks = append(ks, k)
		}
	}
	sort.Strings(ks)
	return ks
}

// plusRepair looks for the spaces that were a '+' before URL decoding: a
// value may hold real spaces too, so every choice of spaces is tried (up to
// 4096 candidates). It returns the fields changed in the set that verifies.
func plusRepair(vals map[string]string, ok func(map[string]string, string) bool, sig string) []string {
	ks := spacedFields(vals)
	if len(ks) == 0 {
		return nil
	}
	options := make([][]string, len(ks))
	total := 1
	for i, k := range ks {
		v := vals[k]
		n := strings.Count(v, " ")
		if n > 6 {
			options[i] = []string{v, strings.ReplaceAll(v, " ", "+")}
		} else {
			for mask := 0; mask < 1<<n; mask++ {
				var b strings.Builder
				j := 0
				for _, r := range v {
					if r == ' ' {
						if mask&(1<<j) != 0 {
							r = '+'
						}
						j++
					}
					b.WriteRune(r)
				}
				options[i] = append(options[i], b.String())
			}
		}
		total *= len(options[i])
		if total > 4096 {
			total = 4096
			break
		}
	}
	try := make(map[string]string, len(vals))
	for c := 1; c < total; c++ { // 0 is the values as received
		for k, v := range vals {
			try[k] = v
		}
		var changed []string
		x := c
		for i, k := range ks {
			if options[i] == nil {
				continue
			}
			pick := x % len(options[i])
			x /= len(options[i])
			if pick != 0 {
				try[k] = options[i][pick]
				changed = append(changed, k)
			}
		}
		if ok(try, sig) {
			return changed
		}
	}
	return nil
}

// RSAVerifies reports whether sig (base64 text) is pub's SHA256withRSA
// signature of msg.
func RSAVerifies(pub *rsa.PublicKey, msg []byte, sig string) bool {
	v, err := sign.NewRSAVerifier(pub)
	return err == nil && v.VerifyBase64(context.Background(), msg, sig) == nil
}

// SamePublic reports whether two RSA public keys are the same key.
func SamePublic(a, b *rsa.PublicKey) bool {
	return a != nil && b != nil && a.N != nil && b.N != nil && a.E == b.E && a.N.Cmp(b.N) == 0
}

// RoleKeys are the keys a failed RSA verification is checked against.
type RoleKeys struct {
	Given   *rsa.PublicKey // the key given as the provider's
	GivenAs string         // what it was given as ("the platform's public key")
	Own     *rsa.PublicKey // the public half of the integrator's own private key, or nil
	Alt     *rsa.PublicKey // another public key to try, or nil
	AltAs   string         // how to name Alt ("--alt-pub")
}

// Roles checks whether the key given as the provider's is the integrator's
// own, whether the message verifies with the integrator's key instead, and
// whether it verifies with the other key.
func Roles(r *Report, k RoleKeys, msg []byte, sig string) {
	if k.Own != nil {
		r.Keys = append(r.Keys, "your private key's public half "+FingerprintRSA(k.Own))
		if SamePublic(k.Own, k.Given) {
			r.Cause(CauseReversedKey, "reversed key role: the key given as "+k.GivenAs+" ("+FingerprintRSA(k.Given)+") is the public half of your own private key; "+
				"verify with "+k.GivenAs+" as the provider gives it")
		} else if RSAVerifies(k.Own, msg, sig) {
			r.Cause(CauseReversedKey, "the message verifies with your own key: it was signed with your private key (it is a request you sent, not the provider's message)")
		}
	}
	if k.Alt != nil {
		r.Keys = append(r.Keys, k.AltAs+" "+FingerprintRSA(k.Alt))
		if RSAVerifies(k.Alt, msg, sig) {
			r.Cause(CauseReversedKey, "reversed key role: the signature verifies with "+k.AltAs+" ("+FingerprintRSA(k.Alt)+"), not with the key given as "+k.GivenAs+"; that is the key that signs these messages")
		}
	}
}
