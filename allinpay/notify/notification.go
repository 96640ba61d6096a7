package notify

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/bizapi-cn/go-sdk/allinpay/internal/fieldset"
	"github.com/bizapi-cn/go-sdk/internal/callback"
	"github.com/bizapi-cn/go-sdk/internal/mask"
	"github.com/bizapi-cn/go-sdk/store"
)

// Notification is a verified asynchronous notification (§1.5.2.6).
type Notification struct {
	Kind        Kind
	RequestNo   string
	TransType   TransType
	MchNo       string
	OutTransNo  string
	TransAmount Amount
	Currency    Currency
	ResultCode  ResultCode
	ResultMsg   string
	TransNo     string
	BankTradeNo string
	PayTime     Time   // zero with Raw set when in another shape
	BankUserID  string // the customer's wallet id (masked when printed)
	// PaymentAmount and PaymentCurrency are what the customer paid, when
	// the platform sends them (not in the seed's table).
	PaymentAmount   Amount
	PaymentCurrency Currency
	// Fields are the signed set: every field received with a value,
	// unknown included. An empty field is outside the signature (anyone
	// on the path could add one), so it is not here.
	Fields Fields
	key    string
}

type notificationView Notification

func (n Notification) view() notificationView {
	v := notificationView(n)
	v.BankUserID = mask.Middle(v.BankUserID, 2, 2)
	return v
}

// Format prints the notification with BankUserID masked.
func (n Notification) Format(s fmt.State, verb rune) {
	fmt.Fprintf(s, fmt.FormatString(s, verb), n.view())
}

// LogValue implements slog.LogValuer with BankUserID masked.
func (n Notification) LogValue() slog.Value { return slog.AnyValue(n.view()) }

// IdempotencyKey is the kind plus a hash of the verified canonical bytes:
// every redelivery of one notification has it, and any two notifications
// that differ in a signed field do not share it.
func (n *Notification) IdempotencyKey() string { return n.key }

// Succeeded reports a successful payment (never a refund, void or close).
func (n *Notification) Succeeded() bool {
	return n.Kind == KindPayment && n.ResultCode == ResultCodeSuccess
}

// Done reports that the notified transaction (of any kind) succeeded.
func (n *Notification) Done() bool { return n.ResultCode == ResultCodeSuccess }

const maxNotificationFields = 100

// The fields Parse reads, as indexes into readNames: those §1.5.2.6
// marks M first (signature apart), then the others.
const (
	nRequestNo = iota
	nVersion
	nAccessCode
	nTransType
	nSignType
	nMchNo
	nOutTransNo
	nTransAmount
	nCurrency
	nTransNo
	nResultCode
	nResultMsg
	nBankTradeNo
	nPayTime
	nBankUserID
	nPaymentAmount
	nPaymentCurrency
	nRead
)

var readNames = [nRead]string{"requestNo", "version", "accessCode", "transType", "signType", "mchNo", "outTransNo", "transAmount", "currency", "transNo",
	"resultCode", "resultMsg", "bankTradeNo", "payTime", "bankUserId", "paymentAmount", "paymentCurrency"}

// notificationRequired are the fields §1.5.2.6 marks M (signature apart).
var notificationRequired = readNames[:nTransNo+1]

// readIndex is the index of the field named k in readNames, -1 for
// another name (exact names: a switch, not a map lookup per field).
func readIndex(k string) int {
	switch k {
	case "requestNo":
		return nRequestNo
	case "version":
		return nVersion
	case "accessCode":
		return nAccessCode
	case "transType":
		return nTransType
	case "signType":
		return nSignType
	case "mchNo":
		return nMchNo
	case "outTransNo":
		return nOutTransNo
	case "transAmount":
		return nTransAmount
	case "currency":
		return nCurrency
	case "transNo":
		return nTransNo
	case "resultCode":
		return nResultCode
	case "resultMsg":
		return nResultMsg
	case "bankTradeNo":
		return nBankTradeNo
	case "payTime":
		return nPayTime
	case "bankUserId":
		return nBankUserID
	case "paymentAmount":
		return nPaymentAmount
	case "paymentCurrency":
		return nPaymentCurrency
	}
	return -1
}

// Parse verifies and decodes a notification from the raw form body: the
// field set is refused when it is ambiguous under its canonical form, the
// signature is checked over every received non-empty field except
// signature (unknown fields included) before anything is decoded, and the
// notification must be for v's merchant. A field sent twice is refused. h
// may be nil; when it names a content type, it must be a form.
func Parse(ctx context.Context, v *Verifier, h http.Header, body []byte) (*Notification, error) {
	if v == nil {
		return nil, errors.New("allinpay: notify.Parse: nil verifier")
	}
	if ct := h.Get("Content-Type"); ct != "" {
		if mt, _, _ := mime.ParseMediaType(ct); mt != "application/x-www-form-urlencoded" {
			return nil, fmt.Errorf("%w: content type %.40q", ErrMalformedNotification, mt)
		}
	}
	var stack [32]fieldset.Pair
	ps, f, err := readForm(stack[:0], body)
	if err != nil {
		return nil, err
	}
	canon := fieldset.AppendCanonical(nil, ps)
	if err := v.cfg.CheckCanonical(ctx, f, canon, v.diag, "", func() []string { return formOrder(body) }); err != nil {
		return nil, err
	}
	// The values read, from the pairs (the same set as f) in one pass.
	var vals [nRead]string
	for _, p := range ps {
		if i := readIndex(p.K); i >= 0 {
			vals[i] = p.V
		}
	}
	for _, p := range ps {
		if p.V == "" {
			delete(f, p.K) // outside the signature: not the signed set
		}
	}
	d := &fieldset.Decoder{F: f}
	for i, k := range notificationRequired {
		d.RequiredValue(k, vals[i])
	}
	n := &Notification{RequestNo: vals[nRequestNo], TransType: TransType(vals[nTransType]), MchNo: vals[nMchNo], OutTransNo: vals[nOutTransNo],
		TransAmount: Amount(d.AmountValue("transAmount", vals[nTransAmount])), Currency: Currency(vals[nCurrency]), ResultCode: ResultCode(vals[nResultCode]),
		ResultMsg: vals[nResultMsg], TransNo: vals[nTransNo], BankTradeNo: vals[nBankTradeNo], PayTime: parseTime(vals[nPayTime]),
		BankUserID: vals[nBankUserID], PaymentCurrency: Currency(vals[nPaymentCurrency]), Fields: f}
	// paymentAmount is outside the seed's table: one in another shape stays
	// only in Fields rather than refusing the notification forever.
	n.PaymentAmount, _ = ParseAmount(vals[nPaymentAmount])
	if d.Err != nil {
		return nil, fmt.Errorf("%w: %w", ErrMalformedNotification, d.Err)
	}
	// The platform key is the same for every merchant: another merchant's
	// genuine notification verifies too.
	if vals[nMchNo] != v.cfg.MchNo || vals[nAccessCode] != v.cfg.AccessCode {
		return nil, fmt.Errorf("%w: mchNo or accessCode is not this merchant's", ErrMalformedNotification)
	}
	n.Kind = n.TransType.Kind()
	n.key = contentKey(string(n.Kind), canon)
	return n, nil
}

// readForm splits a form body into its fields, appended to ps and sorted
// by name, and the same set as Fields, refusing (ErrMalformedNotification)
// junk, a field sent twice, names differing only in case and a set
// ambiguous under the canonical form. It is linear in the body but for
// sorting the fields (at most 100), and costs no RSA operation.
func readForm(ps []fieldset.Pair, body []byte) ([]fieldset.Pair, Fields, error) {
	// Cheap refusals first: everything here is linear in the body, and
	// the field count is bounded before the form is split (a real
	// notification has about 20 fields).
	if n := bytes.Count(body, []byte{'&'}); n >= maxNotificationFields {
		return nil, nil, fmt.Errorf("%w: %d fields", ErrMalformedNotification, n+1)
	}
	if !utf8.Valid(body) {
		return nil, nil, fmt.Errorf("%w: body is not UTF-8", ErrMalformedNotification)
	}
	// The form is split into pairs (url.ParseQuery's rules, without its
	// map of slices), sorted once by name: duplicates are then adjacent,
	// and the sorted order is the canonical string's, for both the
	// signature and the idempotency key.
	ps, high, ok := parseForm(ps, string(body))
	if !ok {
		return nil, nil, fmt.Errorf("%w: body is not a form", ErrMalformedNotification)
	}
	slices.SortFunc(ps, fieldset.ComparePairs)
	for i := 0; i < len(ps); {
		j := i + 1
		for j < len(ps) && ps[j].K == ps[i].K {
			j++
		}
		if j-i != 1 {
			return nil, nil, fmt.Errorf("%w: field %.40q sent %d times", ErrMalformedNotification, ps[i].K, j-i)
		}
		if high && (!utf8.ValidString(ps[i].K) || !utf8.ValidString(ps[i].V)) {
			return nil, nil, fmt.Errorf("%w: a field is not UTF-8", ErrMalformedNotification)
		}
		i = j
	}
	if err := fieldset.CaseUniquePairs(ps); err != nil {
		return nil, nil, fmt.Errorf("%w: %w", ErrMalformedNotification, err)
	}
	if err := fieldset.UnambiguousPairs(ps, nil); err != nil {
		return nil, nil, fmt.Errorf("%w: %w", ErrMalformedNotification, err)
	}
	f := make(Fields, len(ps))
	for _, p := range ps {
		f[p.K] = p.V
	}
	return ps, f, nil
}

// parseForm appends the fields of a form to ps as url.ParseQuery splits
// and unescapes them: '&' separates, empty segments are skipped, a segment
// without '=' is a name with an empty value. It reports false where
// ParseQuery returns an error (a segment holding ';', an invalid escape),
// and high when an escape stood for a byte of 0x80 or more: without one,
// every name and value of a UTF-8 body is UTF-8 (its pieces are cut from
// it at ASCII bytes, and joined with ASCII bytes).
func parseForm(ps []fieldset.Pair, form string) (_ []fieldset.Pair, high, ok bool) {
	if strings.IndexByte(form, ';') >= 0 {
		return ps, false, false // it is in a segment, which ParseQuery refuses
	}
	// pct and plus are the next '%' and '+' at or after the piece being
	// read (len(form) when none): a piece before both is its own text.
	pct, plus := indexFrom(form, '%', 0), indexFrom(form, '+', 0)
	piece := func(lo, hi int) (string, bool) {
		if pct >= hi && plus >= hi {
			return form[lo:hi], true
		}
		s, h, ok := queryUnescape(form[lo:hi])
		high = high || h
		if pct < hi {
			pct = indexFrom(form, '%', hi)
		}
		if plus < hi {
			plus = indexFrom(form, '+', hi)
		}
		return s, ok
	}
	for lo := 0; lo < len(form); {
		hi := indexFrom(form, '&', lo)
		seg := form[lo:hi]
		kEnd, vLo := hi, hi
		if i := strings.IndexByte(seg, '='); i >= 0 {
			kEnd, vLo = lo+i, lo+i+1
		}
		segLo := lo
		lo = hi + 1
		if segLo == hi {
			continue
		}
		k, ok := piece(segLo, kEnd)
		if !ok {
			return ps, false, false
		}
		val, ok := piece(vLo, hi)
		if !ok {
			return ps, false, false
		}
		ps = append(ps, fieldset.Pair{K: k, V: val})
	}
	return ps, high, true
}

// indexFrom is the index of c in s at or after from, len(s) when none.
func indexFrom(s string, c byte, from int) int {
	if i := strings.IndexByte(s[from:], c); i >= 0 {
		return from + i
	}
	return len(s)
}

// queryUnescape is url.QueryUnescape, reporting its error as false: "%XY"
// with two hex digits is byte 0xXY, '+' is a space, any other '%' is an
// error; s itself when it holds neither '%' nor '+'. high reports an
// escape of a byte of 0x80 or more.
func queryUnescape(s string) (_ string, high, ok bool) {
	i := 0
	for i < len(s) && s[i] != '%' && s[i] != '+' {
		i++
	}
	if i == len(s) {
		return s, false, true
	}
	var b strings.Builder
	b.Grow(len(s))
	b.WriteString(s[:i])
	for i < len(s) {
		switch s[i] {
		case '%':
			if i+2 >= len(s) || !ishex(s[i+1]) || !ishex(s[i+2]) {
				return "", false, false
			}
			c := unhex(s[i+1])<<4 | unhex(s[i+2])
			high = high || c >= utf8.RuneSelf
			b.WriteByte(c)
			i += 3
		case '+':
			b.WriteByte(' ')
			i++
		default:
			j := i + 1
			for j < len(s) && s[j] != '%' && s[j] != '+' {
				j++
			}
			b.WriteString(s[i:j])
			i = j
		}
	}
	return b.String(), high, true
}

func ishex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// unhex is the value of the hex digit c (ishex(c) holds).
func unhex(c byte) byte {
	switch {
	case c <= '9':
		return c - '0'
	case c <= 'F':
		return c - 'A' + 10
	}
	return c - 'a' + 10
}

// parseTime reads yyyyMMddHHmmss (UTC+8); another shape keeps only the
// raw text.
func parseTime(s string) Time { return Time{Time: fieldset.ParseTime(s), Raw: s} }

// contentKey is kind + a hash of the canonical bytes (of the verified
// field set, signature left out).
func contentKey(kind string, canon []byte) string {
	sum := sha256.Sum256(canon)
	var hx [2 * sha256.Size]byte
	hex.Encode(hx[:], sum[:])
	return "allinpay:" + kind + ":" + string(hx[:])
}

// formOrder lists the field names of a form body in the order sent.
func formOrder(body []byte) []string {
	var order []string
	for part := range strings.SplitSeq(string(body), "&") {
		k, _, _ := strings.Cut(part, "=")
		if uk, err := url.QueryUnescape(k); err == nil && k != "" {
			order = append(order, uk)
		}
	}
	return order
}

// NotificationFunc handles one verified notification; return nil only once it is
// durably handled.
type NotificationFunc func(ctx context.Context, n *Notification) error

// HandlerOption configures NewHandler.
type HandlerOption func(*handlerOptions) error

type handlerOptions = callback.Options

// WithDedupStore deduplicates deliveries by IdempotencyKey in s (default:
// in memory, bounded).
func WithDedupStore(s store.Dedup) HandlerOption {
	return func(o *handlerOptions) error { return o.SetDedupStore(s) }
}

// WithoutDedup hands every delivery to the host's function.
func WithoutDedup() HandlerOption { return func(o *handlerOptions) error { return o.SetNoDedup() } }

// WithMaxBodyBytes sets the body limit (DefaultMaxBodyBytes).
func WithMaxBodyBytes(n int64) HandlerOption {
	return func(o *handlerOptions) error { return o.SetMaxBytes(n) }
}

// WithReadTimeout bounds the time to read a body (10 s by default).
func WithReadTimeout(d time.Duration) HandlerOption {
	return func(o *handlerOptions) error { return o.SetReadTimeout(d) }
}

// DefaultMaxBodyBytes is the default body limit: a real notification is
// under 2 KiB.
const DefaultMaxBodyBytes = 16 << 10

// NewHandler returns the http.Handler for the notifyUrl: it answers the
// plain text SUCCESS only after fn returned nil (or the notification was
// handled before), and FAIL with a non-2xx status otherwise. It logs
// through the verifier's WithLogger.
func NewHandler(v *Verifier, fn NotificationFunc, opts ...HandlerOption) (http.Handler, error) {
	if v == nil || fn == nil {
		return nil, errors.New("allinpay: notify.NewHandler: nil verifier or function")
	}
	var o handlerOptions
	fs := make([]func(*callback.Options) error, len(opts))
	for i, op := range opts {
		fs[i] = op
	}
	if err := o.Apply(DefaultMaxBodyBytes, fs); err != nil {
		return nil, fmt.Errorf("allinpay: notify.NewHandler: %w", err)
	}
	ack, nack := callback.TextAnswers("SUCCESS", "FAIL")
	return &callback.Handler[*Notification]{
		Module: "allinpay", MaxBytes: o.MaxBytes, ReadTimeout: o.ReadTimeout, Store: o.Store, Log: v.cfg.Log, Handle: fn,
		Parse: func(ctx context.Context, r *http.Request, body []byte) (*Notification, error) {
			return Parse(ctx, v, r.Header, body)
		},
		Key:   (*Notification).IdempotencyKey,
		Attrs: func(n *Notification) []slog.Attr { return []slog.Attr{slog.String("outTransNo", n.OutTransNo)} },
		Ack:   ack,
		Nack:  nack,
	}, nil
}
