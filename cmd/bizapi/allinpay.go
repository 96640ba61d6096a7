package main

import (
	"bytes"
	"context"
	"crypto/rsa"
	"flag"
	"fmt"
	"net/url"
	"sort"
	"strings"

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
		n, err := parseJSON(t)
		if err != nil || n.kind != '{' {
			return fs, format, usagef("input is not a JSON object")
		}
		m, err := kv.FieldsFromJSON(t)
		if err != nil {
			return fs, format, usagef("%v", err)
		}
		for _, k := range n.keys {
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
func canonicalOf(vals map[string]string) []byte { return kv.CanonicalMap(vals, "signature") }

// maskedVals masks the personal and secret values of a form.
func maskedVals(vals map[string]string, reveal bool) map[string]string {
	if reveal {
		return vals
	}
	m := make(map[string]string, len(vals))
	for k, v := range vals {
		m[k] = maskValue(personal(k, true), v)
	}
	return m
}

// signedOrder lists the fields the canonical string covers, in its order.
func signedOrder(vals map[string]string) []string {
	var ks []string
	for k, v := range vals {
		if k != "signature" && v != "" {
			ks = append(ks, k)
		}
	}
	sort.Strings(ks)
	return ks
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
		o.line("signed fields", "%s", strings.Join(signedOrder(f.vals), ", "))
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
	v, err := sign.NewRSAVerifier(pub)
	return err == nil && v.VerifyBase64(context.Background(), msg, sig) == nil
}

func samePublic(a, b *rsa.PublicKey) bool { return a.E == b.E && a.N.Cmp(b.N) == 0 }

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

// diagnoseRoles checks whether the key given as the provider's public key is
// the integrator's own, and which key the message verifies with.
func (r roleKeys) diagnose(e *env, d *diagnosis, pub *rsa.PublicKey, msg []byte, sig string, providerKey string) error {
	if r.own.given() {
		priv, err := r.own.rsaPrivate(e)
		if err != nil {
			return err
		}
		d.keys = append(d.keys, "your private key's public half "+fingerprint(&priv.PublicKey))
		if samePublic(&priv.PublicKey, pub) {
			d.cause("reversed key role: the key given as " + providerKey + " (" + fingerprint(pub) + ") is the public half of your own private key; " +
				"verify with " + providerKey + " as the provider gives it")
		} else if rsaVerifies(&priv.PublicKey, msg, sig) {
			d.cause("the message verifies with your own key: it was signed with your private key (it is a request you sent, not the provider's message)")
		}
	}
	if r.alt.given() {
		alt, err := r.alt.rsaPublic(e)
		if err != nil {
			return err
		}
		d.keys = append(d.keys, "--alt-pub "+fingerprint(alt))
		if rsaVerifies(alt, msg, sig) {
			d.cause("reversed key role: the signature verifies with --alt-pub (" + fingerprint(alt) + "), not with the key given as " + providerKey + "; that is the key that signs these messages")
		}
	}
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
		d := &diagnosis{
			algorithm: allinpayAlgorithm,
			keys:      []string{"platform public key " + fingerprint(pub)},
			signed:    string(canonicalOf(maskedVals(f.vals, *reveal))),
			fields:    signedOrder(f.vals),
			received:  f.order,
		}
		ok := func(vals map[string]string, s string) bool { return rsaVerifies(pub, canonicalOf(vals), s) }
		sigDamaged := false
		if fixed, changed := plusFix(sig); changed {
			if ok(f.vals, fixed) {
				d.cause("URL-decoding damage: the signature has spaces where '+' was (the form was decoded twice, or '+' was not escaped); with '+' restored it verifies")
			} else {
				sigDamaged = true
			}
			sig = fixed
		}
		if err := roles.diagnose(e, d, pub, canon, sig, "the platform's public key"); err != nil {
			return err
		}
		if len(d.causes) == 0 {
			diagnoseForm(d, f, sig, ok, func(m []byte) bool { return rsaVerifies(pub, m, sig) })
		}
		if sigDamaged {
			if len(d.causes) > 0 {
				d.cause("the signature had spaces where '+' was, too: the same URL-decoding damage (with '+' restored it was used above)")
			} else {
				d.tried = append(d.tried, "the signature with its spaces turned back into '+'")
			}
		}
		o.line("result", "FAILED: the signature does not verify")
		d.print(o)
		return failf("signature does not verify")
	}
}

// diagnoseForm tries the usual ways a form's canonical string goes wrong.
// ok checks a field set, okRaw a canonical string built here.
func diagnoseForm(d *diagnosis, f fieldSet, sig string, ok func(map[string]string, string) bool, okRaw func([]byte) bool) {
	if changed := plusRepair(f.vals, ok, sig); changed != nil {
		d.cause("URL-decoding damage: a '+' became a space in " + strings.Join(changed, ", ") +
			" (the sender did not escape '+' as %2B, or the form was decoded twice); with '+' restored it verifies")
		return
	} else if spacedFields(f.vals) != nil {
		d.tried = append(d.tried, "spaces turned back into '+' in "+strings.Join(spacedFields(f.vals), ", "))
	}
	keysOf := func(less func(a, b string) bool) []string {
		ks := signedOrder(f.vals)
		sort.SliceStable(ks, func(i, j int) bool { return less(ks[i], ks[j]) })
		return ks
	}
	join := func(ks []string, val func(string) string, withEmpty bool) []byte {
		var b []byte
		for _, k := range ks {
			if k == "signature" || (!withEmpty && f.vals[k] == "") {
				continue
			}
			if len(b) > 0 {
				b = append(b, '&')
			}
			b = append(b, k+"="+val(f.vals[k])...)
		}
		return b
	}
	raw := func(v string) string { return v }
	ci := keysOf(func(a, b string) bool { return strings.ToLower(a) < strings.ToLower(b) })
	withEmpty := append(signedOrder(f.vals), emptyKeys(f)...)
	sort.Strings(withEmpty)
	variants := []struct {
		name  string
		msg   []byte
		cause string
	}{
		{"keys sorted case-insensitively", join(ci, raw, false),
			"field order differs: the signer sorted the keys case-insensitively (" + firstDiff(signedOrder(f.vals), ci) + "); the protocol sorts in byte order, uppercase before lowercase"},
		{"keys in received order", join(f.order, raw, false),
			"field order differs: the signer did not sort the keys, it signed them in the order sent"},
		{"empty fields included", join(withEmpty, raw, true),
			"the signer included empty fields; the protocol leaves them out"},
		{"values URL-escaped", join(signedOrder(f.vals), url.QueryEscape, false),
			"the signer URL-escaped the values before signing; the protocol signs raw values"},
	}
	for _, v := range variants {
		if bytes.Equal(v.msg, canonicalOf(f.vals)) {
			continue
		}
		if okRaw(v.msg) {
			d.cause(v.cause)
			return
		}
		d.tried = append(d.tried, v.name)
	}
	for _, k := range f.order {
		for _, n := range allinpayNames {
			if k != n && strings.EqualFold(k, n) {
				d.cause(fmt.Sprintf("field case differs: %q was received, the protocol names it %q; a framework or typed struct changed the name, so the canonical string differs from the one signed", k, n))
			}
		}
	}
}

func emptyKeys(f fieldSet) []string {
	var ks []string
	for _, k := range f.order {
		if f.vals[k] == "" && k != "signature" {
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
