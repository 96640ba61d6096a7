package trust

import (
	"context"
	"encoding/base64"
	"strings"

	"github.com/bizapi-cn/go-sdk/internal/diag"
)

// Diagnoser runs the diagnosis of a failed check (Config.Diagnoser); nil
// without WithDiagnostics.
type Diagnoser struct {
	v   Verifier
	key string // how the key appears in KeysTried
}

// hmacSize is the length of an HMAC-SHA256 signature.
const hmacSize = 32

// Run diagnoses msg and sig (as received, text). what is "the raw answer
// body (Api-Sign)" or "req (sign)"; order is the envelope's spec order.
// body, for a notification, is the whole form as handed over. The work is
// bounded: about 40 variants, each linear in msg. A nil Diagnoser
// (diagnostics off) returns nil.
func (d *Diagnoser) Run(ctx context.Context, what string, msg []byte, sig string, order []string, body []byte) *diag.Report {
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
	return r
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
