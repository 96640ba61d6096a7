package diag

import (
	"crypto/rsa"
	"fmt"
)

// FormKeys are the RSA keys a failed check of a signed form is diagnosed
// with.
type FormKeys struct {
	Given   []*rsa.PublicKey // the keys given as the provider's (several during a rotation); nil when unknown
	GivenAs string           // how they were given ("WithPlatformPublicKeys")
	Own     *rsa.PublicKey   // the integrator's own public key, or nil
	OwnAs   string           // how to name Own ("the merchant's public key")
	// Verifies checks sig over msg with pub; nil is RSAVerifies (a caller
	// whose message is not all in memory, a bill, passes its own).
	Verifies func(pub *rsa.PublicKey, msg []byte, sig string) bool
}

// SignedForm diagnoses a form (allinpay's canonical k=v&… string under
// SHA256withRSA) whose signature did not verify: the signature's own '+'
// damage, a reversed key role (one of the given keys is the integrator's
// own, or the form verifies with the integrator's key), then what Form
// recognises. ok checks a canonical string (with every given key, or the
// caller's verifier). It fills r.Keys; the caller fills the rest.
// Bounded: a fixed number of checks besides Form's own.
func SignedForm(r *Report, f FieldSet, sig string, names []string, k FormKeys, ok Verify) {
	verifies := k.Verifies
	if verifies == nil {
		verifies = RSAVerifies
	}
	for i, g := range k.Given {
		r.Keys = append(r.Keys, fmt.Sprintf("%s key %d %s", k.GivenAs, i+1, FingerprintRSA(g)))
	}
	canon := Canonical(f.Vals)
	sigDamaged := false
	if fixed, changed := PlusFix(sig); changed {
		if ok(canon, fixed) {
			r.Cause(CausePlusSpace, "URL-decoding damage: the signature has spaces where '+' was (the form was decoded twice, or '+' was not escaped); with '+' restored it verifies")
			return
		}
		sigDamaged, sig = true, fixed
	}
	if k.Own != nil {
		r.Keys = append(r.Keys, k.OwnAs+" "+FingerprintRSA(k.Own))
		reversed := false
		for i, g := range k.Given {
			if SamePublic(k.Own, g) {
				reversed = true
				r.Cause(CauseReversedKey, fmt.Sprintf("reversed key role: key %d given to %s (%s) is %s, not the provider's; "+
					"configure the public key the provider publishes", i+1, k.GivenAs, FingerprintRSA(g), k.OwnAs))
			}
		}
		if !reversed && verifies(k.Own, canon, sig) {
			r.Cause(CauseReversedKey, "reversed key role: the message verifies with "+k.OwnAs+
				": it was signed with the merchant's private key (a request sent back, or a test set-up signing with the wrong key), not by the provider")
		}
	}
	if len(r.Causes) == 0 {
		okSet := func(vals map[string]string, s string) bool { return ok(Canonical(vals), s) }
		Form(r, f, sig, names, okSet, func(m []byte) bool { return ok(m, sig) })
	}
	if sigDamaged {
		if len(r.Causes) > 0 {
			r.Cause(CausePlusSpace, "the signature had spaces where '+' was, too: the same URL-decoding damage (with '+' restored it was used above)")
		} else {
			r.Try("the signature with its spaces turned back into '+'")
		}
	}
}
