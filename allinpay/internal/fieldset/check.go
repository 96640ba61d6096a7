package fieldset

import (
	"context"
	"encoding/base64"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/bizapi-cn/go-sdk/internal/diag"
	"github.com/bizapi-cn/go-sdk/internal/kv"
)

// CaseUnique refuses members whose names differ only in case: the typed
// view reads exact names, and such a member would stand outside it.
func CaseUnique(m map[string]string) error {
	seen := make(map[string]struct{}, len(m))
	for k := range m {
		l := strings.ToLower(k)
		if _, dup := seen[l]; dup {
			return fmt.Errorf("members differing only in case (%q)", l)
		}
		seen[l] = struct{}{}
	}
	return nil
}

// Pair is one received field. A []Pair whose names are unique stands for
// the same field set as a map, without building one for every check.
type Pair struct{ K, V string }

// ComparePairs orders pairs by name in byte order (the canonical form's).
func ComparePairs(a, b Pair) int { return strings.Compare(a.K, b.K) }

// CaseUniquePairs is CaseUnique over unique names: names are compared
// after strings.ToLower, as CaseUnique does, in a small open-addressing
// set rather than a map of lower-case copies (an ASCII name is folded
// byte by byte, which is what strings.ToLower does to it; any other name
// goes through strings.ToLower itself).
func CaseUniquePairs(ps []Pair) error {
	if len(ps) < 2 {
		return nil
	}
	const slots = 256 // a power of two, at least twice the pairs
	if len(ps) > slots/2 {
		m := make(map[string]string, len(ps))
		for _, p := range ps {
			m[p.K] = p.V
		}
		return CaseUnique(m)
	}
	var table [slots]uint8 // index+1 into ps; 0 is free
	for i, p := range ps {
		h := uint32(2166136261) // FNV-1a of the lower-case name
		if isASCII(p.K) {
			for j := 0; j < len(p.K); j++ {
				h = (h ^ uint32(lowerASCII(p.K[j]))) * 16777619
			}
		} else {
			l := strings.ToLower(p.K)
			for j := 0; j < len(l); j++ {
				h = (h ^ uint32(l[j])) * 16777619
			}
		}
		for s := h & (slots - 1); ; s = (s + 1) & (slots - 1) {
			t := table[s]
			if t == 0 {
				table[s] = uint8(i + 1)
				break
			}
			if l, same := sameLower(ps[t-1].K, p.K); same {
				return fmt.Errorf("members differing only in case (%q)", l)
			}
		}
	}
	return nil
}

// sameLower reports whether strings.ToLower(a) == strings.ToLower(b), and
// that lower-case name when they are.
func sameLower(a, b string) (string, bool) {
	if isASCII(a) && isASCII(b) {
		if len(a) != len(b) {
			return "", false
		}
		for i := 0; i < len(a); i++ {
			if lowerASCII(a[i]) != lowerASCII(b[i]) {
				return "", false
			}
		}
		return strings.ToLower(b), true
	}
	la, lb := strings.ToLower(a), strings.ToLower(b)
	return lb, la == lb
}

func lowerASCII(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// Unambiguous refuses a field set whose canonical k=v&k=v string could be
// split into another field set: a key that is empty or holds '=' or '&',
// or a value holding '&' followed later by '=' (a segment without '='
// cannot start a field, so "a&b" stays unambiguous; one with '=' could,
// and a signed "transNo=T1&transType=X" verifies as two fields).
//
// urls names the fields whose values are URLs or JSON the platform builds
// (codeUrl, payInfo of an answer): there a query string is allowed, as
// long as no segment after '&' could start a field of another reading.
// The canonical string is sorted by name, so a value of k can hide a
// field only under a name that sorts after k and before the set's next
// name (the first hidden field would come between them), or under the
// name of a URL field, whose own value could then swallow the fields that
// follow; a segment named so is refused, any other is not (an Alipay
// orderStr's version=1.0 after payInfo cannot be a field of the same
// string, requestNo coming first). FuzzUnambiguousURL checks that no
// canonical string has two readings it accepts.
func Unambiguous(f map[string]string, urls map[string]bool) error {
	for k, v := range f {
		if err := unambiguous(k, v, urls, func() (string, bool) { return nextMapName(f, k) }); err != nil {
			return err
		}
	}
	return nil
}

// UnambiguousPairs is Unambiguous over a field set given as pairs.
func UnambiguousPairs(ps []Pair, urls map[string]bool) error {
	for _, p := range ps {
		if err := unambiguous(p.K, p.V, urls, func() (string, bool) { return nextPairName(ps, p.K) }); err != nil {
			return err
		}
	}
	return nil
}

// nextMapName is the smallest name of f after k that signs (a non-empty
// value, not signature), if any.
func nextMapName(f map[string]string, k string) (next string, ok bool) {
	for n, v := range f {
		if n > k && v != "" && n != "signature" && (!ok || n < next) {
			next, ok = n, true
		}
	}
	return next, ok
}

// nextPairName is nextMapName over pairs.
func nextPairName(ps []Pair, k string) (next string, ok bool) {
	for _, p := range ps {
		if p.K > k && p.V != "" && p.K != "signature" && (!ok || p.K < next) {
			next, ok = p.K, true
		}
	}
	return next, ok
}

// unambiguous is Unambiguous's check of one field; next gives the set's
// next signed name after k (only asked for a URL field with a query).
func unambiguous(k, v string, urls map[string]bool, next func() (string, bool)) error {
	if k == "" || hasAmpOrEq(k) {
		return fmt.Errorf("field name %q is ambiguous in the signed form", k)
	}
	if k == "signature" || v == "" {
		return nil
	}
	i := strings.IndexByte(v, '&')
	if i < 0 || strings.IndexByte(v[i+1:], '=') < 0 {
		return nil
	}
	if !urls[k] {
		return fmt.Errorf("value of %q could be read as more fields", k)
	}
	bound, bounded := next()
	for _, seg := range strings.Split(v[i+1:], "&") {
		if name, _, ok := strings.Cut(seg, "="); ok && name > k && (!bounded || name < bound || urls[name]) {
			return fmt.Errorf("value of %q could be read as more fields (%s)", k, name)
		}
	}
	return nil
}

// hasAmpOrEq is strings.ContainsAny(k, "=&"): both are ASCII, so never
// part of a longer UTF-8 sequence, and a byte scan finds the same.
func hasAmpOrEq(k string) bool {
	for i := 0; i < len(k); i++ {
		if k[i] == '=' || k[i] == '&' {
			return true
		}
	}
	return false
}

// protocolFields are every field name of the spec's messages.
var protocolFields = func() map[string]bool {
	m := map[string]bool{}
	for _, k := range strings.Fields(`requestNo version accessCode transType signType signature mchNo outTransNo oriOutTransNo
		transAmount tipsAmount currency notifyUrl storeId limitPay authCode expireTime openId terminalIp subAppid goodsSubject goodsDetail
		returnUrl referUrl paymentInstitution supplier appenv tradeInformation returnCode returnMsg resultCode resultMsg codeUrl payInfo
		bankUserId transNo payTime bankTradeNo refundReson billDate billData paymentAmount paymentCurrency`) {
		m[k] = true
	}
	return m
}()

// Check verifies "signature" over every other non-empty field of f with
// c's verifier. On failure it returns NewSignatureError's error for op,
// diagnosed by d when d is not nil (order lists the fields as received;
// nil when unknown).
func (c *Config) Check(ctx context.Context, f map[string]string, d *Diagnoser, op string, order func() []string) error {
	return c.check(ctx, f, nil, d, op, order)
}

// CheckCanonical is Check with the canonical string of f already built
// (AppendCanonical of f's pairs in sorted order, kv.CanonicalMap(f,
// "signature") byte for byte).
func (c *Config) CheckCanonical(ctx context.Context, f map[string]string, canon []byte, d *Diagnoser, op string, order func() []string) error {
	return c.check(ctx, f, canon, d, op, order)
}

func (c *Config) check(ctx context.Context, f map[string]string, canon []byte, d *Diagnoser, op string, order func() []string) error {
	fail := func(reason string) error {
		var r *diag.Report
		if d != nil {
			r = d.report(f, order, d.verifyOK(ctx), nil)
		}
		return NewSignatureError(op, reason, r)
	}
	sig, err := base64.StdEncoding.DecodeString(f["signature"])
	if err != nil || len(sig) == 0 || len(sig) > 1024 {
		return fail("signature missing or not base64")
	}
	if canon == nil {
		canon = kv.CanonicalMap(f, "signature")
	}
	if err := c.V.Verify(ctx, canon, sig); err != nil {
		c.Log.LogAttrs(ctx, slog.LevelWarn, "allinpay: signature mismatch", slog.Int("canonical_bytes", len(canon)), slog.Int("fields", len(f)))
		return fail("")
	}
	return nil
}

// AppendCanonical appends the canonical string of ps, which must be sorted
// by ComparePairs with unique names, to dst: every field but signature
// with a non-empty value, k=v joined by '&', values raw (kv.CanonicalMap's
// form). The result is never nil.
func AppendCanonical(dst []byte, ps []Pair) []byte {
	n := 0
	for _, p := range ps {
		if p.K != "signature" && p.V != "" {
			n += len(p.K) + len(p.V) + 2
		}
	}
	dst = slices.Grow(dst, n)
	if dst == nil {
		dst = []byte{}
	}
	first := true
	for _, p := range ps {
		if p.K == "signature" || p.V == "" {
			continue
		}
		if !first {
			dst = append(dst, '&')
		}
		first = false
		dst = append(dst, p.K...)
		dst = append(dst, '=')
		dst = append(dst, p.V...)
	}
	return dst
}
