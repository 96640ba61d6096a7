package allinpay

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/bizapi-cn/go-sdk/internal/bodylimit"
	"github.com/bizapi-cn/go-sdk/internal/kv"
	"github.com/bizapi-cn/go-sdk/internal/mask"
)

// Fields is a raw received field set: every field of a response or
// notification, as text, unknown ones included. It prints with signature
// and customer ids masked.
type Fields map[string]string

var maskedFields = map[string]bool{"signature": true, "bankUserId": true, "authCode": true, "openId": true}

func (f Fields) masked() map[string]string {
	m := make(map[string]string, len(f))
	for k, v := range f {
		if maskedFields[k] {
			v = mask.Secret(v)
		}
		m[k] = v
	}
	return m
}

// String prints the fields with secrets and customer ids masked.
func (f Fields) String() string { return fmt.Sprint(f.masked()) }

// Format implements fmt.Formatter, so %v, %+v and %s mask too.
func (f Fields) Format(s fmt.State, verb rune) { fmt.Fprint(s, f.String()) }

// LogValue implements slog.LogValuer.
func (f Fields) LogValue() slog.Value {
	m := f.masked()
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	attrs := make([]slog.Attr, len(keys))
	for i, k := range keys {
		attrs[i] = slog.String(k, m[k])
	}
	return slog.GroupValue(attrs...)
}

// receivedFields reads a JSON answer's top level into a field set,
// refusing members whose names differ only in case: the typed view reads
// exact names, and such a member would stand outside it.
//
// The members are counted first (maxAnswerMembers): the answer is not yet
// verified, and 6,700 tiny members in 64 KiB cost 1.25 MiB of maps before
// the signature failed (BenchmarkHostileAllinpay).
func receivedFields(raw []byte) (Fields, error) {
	if bodylimit.ManyMembers(raw, maxAnswerMembers) {
		return nil, fmt.Errorf("more than %d members", maxAnswerMembers)
	}
	m, err := kv.FieldsFromJSON(raw)
	if err != nil {
		return nil, err
	}
	return Fields(m), caseUnique(m)
}

// maxAnswerMembers is far above the spec's fields (about 45, a nested
// payInfo's few included).
const maxAnswerMembers = 512

func caseUnique(m map[string]string) error {
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

// unambiguous refuses a field set whose canonical k=v&k=v string could be
// split into another field set: a key that is empty or holds '=' or '&',
// or a value holding '&' followed later by '=' (a segment without '='
// cannot start a field, so "a&b" stays unambiguous; one with '=' could,
// and a signed "transNo=T1&transType=X" verifies as two fields).
//
// urls names the fields whose values are URLs or JSON the platform builds
// (codeUrl, payInfo of an answer): there a query string is allowed, as
// long as no segment after '&' names a field of the protocol, so that no
// field the SDK reads can have been folded into it.
func unambiguous(f map[string]string, urls map[string]bool) error {
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

// answerURLs are the answer fields that may carry a query string.
var answerURLs = map[string]bool{"codeUrl": true, "payInfo": true}

// protocolFields are every field name of the spec's messages.
var protocolFields = map[string]bool{}

func init() {
	for _, k := range strings.Fields(`requestNo version accessCode transType signType signature mchNo outTransNo oriOutTransNo
		transAmount tipsAmount currency notifyUrl storeId limitPay authCode expireTime openId terminalIp subAppid goodsSubject goodsDetail
		returnUrl referUrl paymentInstitution supplier appenv tradeInformation returnCode returnMsg resultCode resultMsg codeUrl payInfo
		bankUserId transNo payTime bankTradeNo refundReson billDate billData paymentAmount paymentCurrency`) {
		protocolFields[k] = true
	}
}

// verifyFields checks "signature" over every other non-empty field of
// the answer of op.
func (cfg *config) verifyFields(ctx context.Context, op TransType, f Fields) error {
	return verifyWith(ctx, cfg.verifier, cfg.log, f, cfg.diagnoser(), op, nil)
}

// verifyWith checks f's signature; on failure it returns a
// *SignatureError, diagnosed by d when d is not nil (order lists the
// fields as received; nil when unknown).
func verifyWith(ctx context.Context, v Verifier, log *slog.Logger, f Fields, d *diagnoser, op TransType, order func() []string) error {
	fail := func(reason string) error {
		e := &SignatureError{Operation: op, reason: reason}
		if d != nil {
			e.diagnosis = d.report(f, order, d.verifyOK(ctx), nil)
		}
		return e
	}
	sig, err := base64.StdEncoding.DecodeString(f["signature"])
	if err != nil || len(sig) == 0 || len(sig) > 1024 {
		return fail("signature missing or not base64")
	}
	canon := kv.CanonicalMap(f, "signature")
	if err := v.Verify(ctx, canon, sig); err != nil {
		log.LogAttrs(ctx, slog.LevelWarn, "allinpay: signature mismatch", slog.Int("canonical_bytes", len(canon)), slog.Int("fields", len(f)))
		return fail("")
	}
	return nil
}

// contentKey is kind + a hash of the canonical bytes of f.
func contentKey(kind string, f map[string]string) string {
	sum := sha256.Sum256(kv.CanonicalMap(f, "signature"))
	return "allinpay:" + kind + ":" + hex.EncodeToString(sum[:])
}

// decoder reads typed values from a verified field set by exact name; the
// first bad field is kept.
type decoder struct {
	f   Fields
	err error
}

func (d *decoder) bad(k, why string) {
	if d.err == nil {
		d.err = fmt.Errorf("%s %s", k, why)
	}
}

func (d *decoder) str(k string) string { return d.f[k] }

func (d *decoder) required(k string) string {
	v := d.f[k]
	if v == "" {
		d.bad(k, "is missing")
	}
	return v
}

func (d *decoder) amount(k string) Amount {
	a, err := ParseAmount(d.f[k])
	if err != nil {
		d.bad(k, "is not an amount in minor units")
	}
	return a
}

// time reads yyyyMMddHHmmss (UTC+8); another shape keeps only the raw text.
func (d *decoder) time(k string) Time {
	return parseTime(d.f[k])
}

// Amount is an amount in minor units of its currency (cents: every
// supported currency has 2 decimals). It is used in requests, responses,
// notifications and bills alike, and prints as "10.50".
type Amount int64

// ParseAmount reads minor units as the platform sends them ("1050"); an
// empty text is 0.
func ParseAmount(s string) (Amount, error) {
	if s == "" {
		return 0, nil
	}
	if len(s) > 15 {
		return 0, errors.New("allinpay: amount too long")
	}
	for i := 0; i < len(s); i++ {
		if (s[i] < '0' || s[i] > '9') && !(i == 0 && s[i] == '-' && len(s) > 1) {
			return 0, errors.New("allinpay: amount is not an integer of minor units")
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0, errors.New("allinpay: amount is not an integer of minor units")
	}
	return Amount(n), nil
}

// String prints major units with two decimals: "10.50", "-0.05".
func (a Amount) String() string {
	n, sign := int64(a), ""
	if n < 0 {
		n, sign = -n, "-"
	}
	return fmt.Sprintf("%s%d.%02d", sign, n/100, n%100)
}

// Time is a timestamp of the wire (yyyyMMddHHmmss, UTC+8). A text in
// another shape is kept in Raw with a zero Time, rather than refused.
type Time struct {
	time.Time
	Raw string // the text as received
}

var cst = time.FixedZone("CST", 8*3600)

func parseTime(s string) Time {
	if s == "" {
		return Time{}
	}
	t, err := time.ParseInLocation("20060102150405", s, cst)
	if err != nil {
		return Time{Raw: s}
	}
	return Time{Time: t, Raw: s}
}
