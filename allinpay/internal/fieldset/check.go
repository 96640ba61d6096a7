package fieldset

import (
	"context"
	"encoding/base64"
	"fmt"
	"log/slog"
	"strings"

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

// Unambiguous refuses a field set whose canonical k=v&k=v string could be
// split into another field set: a key that is empty or holds '=' or '&',
// or a value holding '&' followed later by '=' (a segment without '='
// cannot start a field, so "a&b" stays unambiguous; one with '=' could,
// and a signed "transNo=T1&transType=X" verifies as two fields).
//
// urls names the fields whose values are URLs or JSON the platform builds
// (codeUrl, payInfo of an answer): there a query string is allowed, as
// long as no segment after '&' names a field of the protocol, so that no
// field the SDK reads can have been folded into it.
func Unambiguous(f map[string]string, urls map[string]bool) error {
	for k, v := range f {
		if k == "" || strings.ContainsAny(k, "=&") {
			return fmt.Errorf("field name %q is ambiguous in the signed form", k)
		}
		if k == "signature" || v == "" {
			continue
		}
		i := strings.IndexByte(v, '&')
		if i < 0 || strings.IndexByte(v[i+1:], '=') < 0 {
			continue
		}
		if !urls[k] {
			return fmt.Errorf("value of %q could be read as more fields", k)
		}
		for _, seg := range strings.Split(v[i+1:], "&") {
			if name, _, ok := strings.Cut(seg, "="); ok && protocolFields[name] {
				return fmt.Errorf("value of %q could be read as more fields (%s)", k, name)
			}
		}
	}
	return nil
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
	canon := kv.CanonicalMap(f, "signature")
	if err := c.V.Verify(ctx, canon, sig); err != nil {
		c.Log.LogAttrs(ctx, slog.LevelWarn, "allinpay: signature mismatch", slog.Int("canonical_bytes", len(canon)), slog.Int("fields", len(f)))
		return fail("")
	}
	return nil
}
