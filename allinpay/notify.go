package allinpay

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/bizapi-cn/go-sdk/internal/callback"
	"github.com/bizapi-cn/go-sdk/store"
)

// Notification is a verified asynchronous payment notification.
type Notification struct {
	TransType   TransType
	OutTransNo  string
	TransAmount int64 // minor units
	Currency    Currency
	ResultCode  ResultCode
	ResultMsg   string
	TransNo     string
	BankTradeNo string
	PayTime     time.Time // UTC+8; zero when absent
	BankUserID  string
	// Fields are every field received (the signed set), unknown included.
	Fields Fields
}

// IdempotencyKey identifies the notified state: the same across
// redeliveries of one result.
func (n *Notification) IdempotencyKey() string {
	return n.OutTransNo + ":" + n.TransNo + ":" + string(n.ResultCode)
}

// Succeeded reports a successful payment.
func (n *Notification) Succeeded() bool { return n.ResultCode == ResultSuccess }

// ErrMalformedNotification reports a body that is not a notification form.
var ErrMalformedNotification = errors.New("allinpay: malformed notification")

// ParseNotify verifies and decodes a notification from the raw form body:
// the signature is checked over every received non-empty field except
// signature, unknown fields included, before anything is decoded. A field
// sent twice is refused (the signed set would be ambiguous).
func (c *Client) ParseNotify(ctx context.Context, contentType string, body []byte) (*Notification, error) {
	if mt, _, _ := mime.ParseMediaType(contentType); contentType != "" && mt != "application/x-www-form-urlencoded" {
		return nil, fmt.Errorf("%w: content type %q", ErrMalformedNotification, mt)
	}
	form, err := url.ParseQuery(string(body))
	if err != nil {
		return nil, fmt.Errorf("%w: body is not a form", ErrMalformedNotification)
	}
	f := make(Fields, len(form))
	for k, v := range form {
		if len(v) != 1 {
			return nil, fmt.Errorf("%w: field %q sent %d times", ErrMalformedNotification, k, len(v))
		}
		if !utf8.ValidString(k) || !utf8.ValidString(v[0]) {
			return nil, fmt.Errorf("%w: a field is not UTF-8", ErrMalformedNotification)
		}
		f[k] = v[0]
	}
	if err := c.verifyFields(ctx, f); err != nil {
		return nil, err
	}
	n := &Notification{TransType: TransType(f["transType"]), OutTransNo: f["outTransNo"], Currency: Currency(f["currency"]),
		ResultCode: ResultCode(f["resultCode"]), ResultMsg: f["resultMsg"], TransNo: f["transNo"], BankTradeNo: f["bankTradeNo"],
		BankUserID: f["bankUserId"], Fields: f}
	if n.OutTransNo == "" {
		return nil, fmt.Errorf("%w: outTransNo missing", ErrMalformedNotification)
	}
	if s := f["transAmount"]; s != "" {
		a, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("%w: transAmount is not minor units", ErrMalformedNotification)
		}
		n.TransAmount = a
	}
	if s := f["payTime"]; s != "" {
		t, err := time.ParseInLocation("20060102150405", s, cst)
		if err != nil {
			return nil, fmt.Errorf("%w: payTime is not yyyyMMddHHmmss", ErrMalformedNotification)
		}
		n.PayTime = t
	}
	return n, nil
}

// NotifyFunc handles one verified notification; return nil only once it is
// durably handled.
type NotifyFunc func(ctx context.Context, n *Notification) error

// DedupStore records handled notifications (see NewMemoryDedupStore).
type DedupStore = store.Dedup

// NewMemoryDedupStore returns an in-process DedupStore (72 h when 0).
func NewMemoryDedupStore(retention time.Duration) DedupStore {
	var opts []store.MemoryOption
	if retention > 0 {
		opts = append(opts, store.WithRetention(retention))
	}
	s, _ := store.NewMemoryDedup(opts...) // cannot fail: every option is valid
	return s
}

// NotifyOption configures NotifyHandler.
type NotifyOption func(*notifyHandler)

// WithNotifyDedup deduplicates deliveries by IdempotencyKey.
func WithNotifyDedup(s DedupStore) NotifyOption { return func(h *notifyHandler) { h.store = s } }

// WithNotifyMaxBytes sets the body limit (64 KiB by default).
func WithNotifyMaxBytes(n int64) NotifyOption { return func(h *notifyHandler) { h.max = n } }

// NotifyHandler returns the http.Handler for the notifyUrl: it answers the
// plain text SUCCESS only after fn returned nil (or the notification was
// handled before), and FAIL with a non-2xx status otherwise.
func (c *Client) NotifyHandler(fn NotifyFunc, opts ...NotifyOption) http.Handler {
	h := &notifyHandler{max: 64 << 10}
	for _, o := range opts {
		o(h)
	}
	ack, nack := callback.TextAnswers("SUCCESS", "FAIL")
	return &callback.Handler[*Notification]{
		Module: "allinpay", MaxBytes: h.max, Store: h.store, Log: c.cfg.log, Handle: fn,
		Parse: func(ctx context.Context, r *http.Request, body []byte) (*Notification, error) {
			return c.ParseNotify(ctx, r.Header.Get("Content-Type"), body)
		},
		Key:   (*Notification).IdempotencyKey,
		Attrs: func(n *Notification) []slog.Attr { return []slog.Attr{slog.String("outTransNo", n.OutTransNo)} },
		Ack:   ack,
		Nack:  nack,
	}
}

// notifyHandler collects NotifyHandler's options.
type notifyHandler struct {
	store DedupStore
	max   int64
}
