package main

import (
	"bytes"
	"context"
	"crypto/rsa"
	"flag"
	"net/url"
	"strings"

	"github.com/bizapi-cn/go-sdk/internal/diag"
	"github.com/bizapi-cn/go-sdk/internal/kv"
	"github.com/bizapi-cn/go-sdk/internal/sign"
)

const allinpayAlgorithm = "SHA256withRSA (RSA2, PKCS#1 v1.5), base64, over every non-empty field except signature, " +
	"sorted by key in byte order, key=value joined by '&', values raw"

// fieldSet is a received form: its fields in the order received.
type fieldSet struct {
	order []string
	vals  map[string]string
}

// parseFields reads a form from JSON (the top-level members), key=value
// lines, or a URL-encoded form body (also inside a captured HTTP request).
func parseFields(raw []byte, format string) (fieldSet, string, error) {
	if req, err := readRequest(raw); err == nil {
		var b bytes.Buffer
		_, _ = b.ReadFrom(req.Body)
		raw = b.Bytes()
		if format == "auto" && !bytes.HasPrefix(bytes.TrimSpace(raw), []byte("{")) {
			format = "form"
		}
	}
	t := bytes.TrimSpace(raw)
	if format == "auto" {
		switch {
		case bytes.HasPrefix(t, []byte("{")):
			format = "json"
		case !bytes.Contains(t, []byte("\n")) && bytes.Contains(t, []byte("&")):
			format = "form"
		default:
			format = "kv"
		}
	}
	fs := fieldSet{vals: map[string]string{}}
	add := func(k, v string) error {
		if _, dup := fs.vals[k]; dup {
			return usagef("field %q appears twice", k)
		}
		fs.order = append(fs.order, k)
		fs.vals[k] = v
		return nil
	}
	switch format {
	case "json":
		n, err := diag.ParseJSON(t)
		if err != nil || !n.IsObject() {
			return fs, format, usagef("input is not a JSON object")
		}
		m, err := kv.FieldsFromJSON(t)
		if err != nil {
			return fs, format, usagef("%v", err)
		}
		for _, k := range n.Keys() {
			if err := add(k, m[k]); err != nil {
				return fs, format, err
			}
		}
	case "form":
		for _, part := range strings.Split(string(t), "&") {
			if part == "" {
				continue
			}
			k, v, _ := strings.Cut(part, "=")
			uk, err1 := url.QueryUnescape(k)
			uv, err2 := url.QueryUnescape(v)
			if err1 != nil || err2 != nil {
				return fs, format, usagef("form field %q is not URL-encoded correctly", k)
			}
			if err := add(uk, uv); err != nil {
				return fs, format, err
			}
		}
	case "kv":
		for _, line := range strings.Split(string(t), "\n") {
			line = strings.TrimRight(line, "\r")
			if line == "" {
				continue
			}
			k, v, ok := strings.Cut(line, "=")
			if !ok {
				return fs, format, usagef("line %q is not key=value", line)
			}
			if err := add(k, v); err != nil {
				return fs, format, err
			}
		}
	default:
		return fs, format, usagef("--format is auto, json, kv or form")
	}
	return fs, format, nil
}

// canonicalOf builds the canonical string of vals: the SDK's own function.
func canonicalOf(vals map[string]string) []byte { return diag.Canonical(vals) }

// maskedVals masks the personal and secret values of a form.
func maskedVals(vals map[string]string, reveal bool) map[string]string {
	return diag.MaskForm(vals, masking(reveal))
}

func allinpayCanonical(fs *flag.FlagSet) func(*env, []string) error {
	in := inputFlag(fs, "the form: a JSON object, key=value lines, or a URL-encoded form body")
	format := fs.String("format", "auto", "input format: auto, json, kv (one key=value a line, values raw) or form (URL-encoded)")
	key := keyFlags(fs, "key", "the merchant's RSA private key, to sign the canonical string (optional)")
	reveal := fs.Bool("reveal", false, "show personal data in full")
	return func(e *env, _ []string) error {
		raw, err := in.read(e)
		if err != nil {
			return err
		}
		f, got, err := parseFields(raw, *format)
		if err != nil {
			return err
		}
		o := out{e.stdout}
		o.line("format", "%s", got)
		o.line("fields", "%s", strings.Join(f.order, ", "))
		o.line("signed fields", "%s", strings.Join(diag.SignedOrder(f.vals), ", "))
		o.line("canonical", "%s", canonicalOf(maskedVals(f.vals, *reveal)))
		if !key.given() {
			o.line("signature", "not computed (give --key-file or --key-env with the merchant private key)")
			return nil
		}
		priv, err := key.rsaPrivate(e)
		if err != nil {
			return err
		}
		s, err := sign.NewRSASigner(priv)
		if err != nil {
			return usagef("%v", err)
		}
		sig, err := s.SignBase64(context.Background(), canonicalOf(f.vals))
		if err != nil {
			return usagef("%v", err)
		}
		o.line("algorithm", "%s", allinpayAlgorithm)
		o.line("key", "merchant private key, public half %s", fingerprint(&priv.PublicKey))
		o.line("signature", "%s", sig)
		return nil
	}
}

func rsaVerifies(pub *rsa.PublicKey, msg []byte, sig string) bool {
	return diag.RSAVerifies(pub, msg, sig)
}

// roleKeys are the other keys a verification failure is checked against.
type roleKeys struct {
	own *keySource // the integrator's own private key
	alt *keySource // another public key
}

func roleFlags(fs *flag.FlagSet, own string) roleKeys {
	return roleKeys{
		own: keyFlags(fs, "key", own+" (optional: shows a reversed key role)"),
		alt: keyFlags(fs, "alt-pub", "another public key to try when the signature fails (optional: shows which key signed)"),
	}
}

// diagnose checks whether the key given as the provider's public key is
// the integrator's own, and which key the message verifies with.
func (r roleKeys) diagnose(e *env, d *diag.Report, pub *rsa.PublicKey, msg []byte, sig string, providerKey string) error {
	k := diag.RoleKeys{Given: pub, GivenAs: providerKey, AltAs: "--alt-pub"}
	if r.own.given() {
		priv, err := r.own.rsaPrivate(e)
		if err != nil {
			return err
		}
		k.Own = &priv.PublicKey
	}
	if r.alt.given() {
		alt, err := r.alt.rsaPublic(e)
		if err != nil {
			return err
		}
		k.Alt = alt
	}
	diag.Roles(d, k, msg, sig)
	return nil
}

// allinpayNames are the field names of the protocol, to spot a name whose
// case was changed on the way.
var allinpayNames = []string{
	"requestNo", "version", "accessCode", "transType", "signType", "signature", "mchNo", "outTransNo",
	"transAmount", "tipsAmount", "currency", "notifyUrl", "returnUrl", "referUrl", "storeId", "terminalId",
	"limitPay", "expireTime", "goodsDetail", "goodsSubject", "tradeInformation", "paymentInstitution",
	"returnCode", "returnMsg", "resultCode", "resultMsg", "transNo", "payTime", "oriOutTransNo", "billDate",
	"billData", "refundAmount", "qrCode", "payInfo", "subOpenId", "subAppId", "bankUserId", "totalAmount",
}

func allinpayVerify(fs *flag.FlagSet) func(*env, []string) error {
	in := inputFlag(fs, "the answer (JSON) or notification (form body, key=value lines, or a captured HTTP request)")
	format := fs.String("format", "auto", "input format: auto, json, kv or form")
	pubKey := keyFlags(fs, "pub", "the platform's RSA public key")
	roles := roleFlags(fs, "the merchant's own RSA private key")
	reveal := fs.Bool("reveal", false, "show personal data in full")
	return func(e *env, _ []string) error {
		raw, err := in.read(e)
		if err != nil {
			return err
		}
		f, got, err := parseFields(raw, *format)
		if err != nil {
			return err
		}
		pub, err := pubKey.rsaPublic(e)
		if err != nil {
			return err
		}
		o := out{e.stdout}
		sig := f.vals["signature"]
		canon := canonicalOf(f.vals)
		o.line("format", "%s", got)
		o.line("algorithm", "%s", allinpayAlgorithm)
		o.line("key", "platform public key %s", fingerprint(pub))
		o.line("canonical", "%s", canonicalOf(maskedVals(f.vals, *reveal)))
		if sig == "" {
			o.line("result", "FAILED: no signature field")
			return failf("the message has no signature field")
		}
		o.line("signature", "%s", sig)
		if rsaVerifies(pub, canon, sig) {
			o.line("result", "OK: the signature verifies")
			return nil
		}
		d := &diag.Report{
			Algorithm: allinpayAlgorithm,
			Keys:      []string{"platform public key " + fingerprint(pub)},
			Signed:    string(canonicalOf(maskedVals(f.vals, *reveal))),
			Fields:    diag.SignedOrder(f.vals),
			Received:  f.order,
		}
		ok := func(vals map[string]string, s string) bool { return rsaVerifies(pub, canonicalOf(vals), s) }
		sigDamaged := false
		if fixed, changed := plusFix(sig); changed {
			if ok(f.vals, fixed) {
				d.Cause(diag.CausePlusSpace, "URL-decoding damage: the signature has spaces where '+' was (the form was decoded twice, or '+' was not escaped); with '+' restored it verifies")
			} else {
				sigDamaged = true
			}
			sig = fixed
		}
		if err := roles.diagnose(e, d, pub, canon, sig, "the platform's public key"); err != nil {
			return err
		}
		if len(d.Causes) == 0 {
			diag.Form(d, diag.FieldSet{Order: f.order, Vals: f.vals}, sig, allinpayNames, ok, func(m []byte) bool { return rsaVerifies(pub, m, sig) })
		}
		if sigDamaged {
			if len(d.Causes) > 0 {
				d.Cause(diag.CausePlusSpace, "the signature had spaces where '+' was, too: the same URL-decoding damage (with '+' restored it was used above)")
			} else {
				d.Try("the signature with its spaces turned back into '+'")
			}
		}
		o.line("result", "FAILED: the signature does not verify")
		printReport(o, d)
		return failf("signature does not verify")
	}
}
