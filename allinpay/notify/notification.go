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
	"strings"
	"time"
	"unicode/utf8"

	"github.com/bizapi-cn/go-sdk/allinpay/internal/fieldset"
	"github.com/bizapi-cn/go-sdk/internal/callback"
	"github.com/bizapi-cn/go-sdk/internal/kv"
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
	// Fields are every field received (the signed set), unknown included.
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

// notificationRequired are the fields §1.5.2.6 marks M (signature apart).
var notificationRequired = []string{"requestNo", "version", "accessCode", "transType", "signType", "mchNo", "outTransNo", "transAmount", "currency", "transNo"}

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
			return nil, fmt.Errorf("%w: content type %q", ErrMalformedNotification, mt)
		}
	}
	// Cheap refusals first: everything here is linear in the body, and
	// the field count is bounded before the form is split (a real
	// notification has about 20 fields).
	if n := bytes.Count(body, []byte{'&'}); n >= maxNotificationFields {
		return nil, fmt.Errorf("%w: %d fields", ErrMalformedNotification, n+1)
	}
	if !utf8.Valid(body) {
		return nil, fmt.Errorf("%w: body is not UTF-8", ErrMalformedNotification)
	}
	form, err := url.ParseQuery(string(body))
	if err != nil {
		return nil, fmt.Errorf("%w: body is not a form", ErrMalformedNotification)
	}
	f := make(Fields, len(form))
	for k, vals := range form {
		if len(vals) != 1 {
			return nil, fmt.Errorf("%w: field %q sent %d times", ErrMalformedNotification, k, len(vals))
		}
		if !utf8.ValidString(k) || !utf8.ValidString(vals[0]) {
			return nil, fmt.Errorf("%w: a field is not UTF-8", ErrMalformedNotification)
		}
		f[k] = vals[0]
	}
	if err := fieldset.CaseUnique(f); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrMalformedNotification, err)
	}
	if err := fieldset.Unambiguous(f, nil); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrMalformedNotification, err)
	}
	if err := v.cfg.Check(ctx, f, v.diag, "", func() []string { return formOrder(body) }); err != nil {
		return nil, err
	}
	d := &fieldset.Decoder{F: f}
	for _, k := range notificationRequired {
		d.Required(k)
	}
	n := &Notification{RequestNo: d.Str("requestNo"), TransType: TransType(d.Str("transType")), MchNo: d.Str("mchNo"), OutTransNo: d.Str("outTransNo"),
		TransAmount: Amount(d.Amount("transAmount")), Currency: Currency(d.Str("currency")), ResultCode: ResultCode(d.Str("resultCode")),
		ResultMsg: d.Str("resultMsg"), TransNo: d.Str("transNo"), BankTradeNo: d.Str("bankTradeNo"), PayTime: parseTime(d.Str("payTime")),
		BankUserID: d.Str("bankUserId"), PaymentCurrency: Currency(d.Str("paymentCurrency")), Fields: f}
	// paymentAmount is outside the seed's table: one in another shape stays
	// only in Fields rather than refusing the notification forever.
	n.PaymentAmount, _ = ParseAmount(f["paymentAmount"])
	if d.Err != nil {
		return nil, fmt.Errorf("%w: %w", ErrMalformedNotification, d.Err)
	}
	// The platform key is the same for every merchant: another merchant's
	// genuine notification verifies too.
	if f["mchNo"] != v.cfg.MchNo || f["accessCode"] != v.cfg.AccessCode {
		return nil, fmt.Errorf("%w: mchNo or accessCode is not this merchant's", ErrMalformedNotification)
	}
	n.Kind = n.TransType.Kind()
	n.key = contentKey(string(n.Kind), f)
	return n, nil
}

// parseTime reads yyyyMMddHHmmss (UTC+8); another shape keeps only the
// raw text.
func parseTime(s string) Time { return Time{Time: fieldset.ParseTime(s), Raw: s} }

// contentKey is kind + a hash of the canonical bytes of f.
func contentKey(kind string, f map[string]string) string {
	sum := sha256.Sum256(kv.CanonicalMap(f, "signature"))
	return "allinpay:" + kind + ":" + hex.EncodeToString(sum[:])
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
