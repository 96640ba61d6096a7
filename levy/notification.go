package levy

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/bizapi-cn/go-sdk/internal/callback"
	"github.com/bizapi-cn/go-sdk/internal/diag"
	"github.com/bizapi-cn/go-sdk/internal/mask"
	"github.com/bizapi-cn/go-sdk/internal/sign"
	"github.com/bizapi-cn/go-sdk/store"
)

// DefaultMaxNotificationBytes bounds a notification's body unless
// WithMaxBodyBytes says otherwise. The spec's notifications are a few
// hundred bytes (a CREATE_ORDER_V2 notification with a long remit order
// list stays under 16 KiB); 64 KiB leaves room and refuses junk early.
const DefaultMaxNotificationBytes = 64 << 10

// NotificationVerifier verifies notifications. It holds only what
// verification needs: the client key and the secret (or a Verifier).
type NotificationVerifier struct {
	clientKey string
	verifier  Verifier
	log       *slog.Logger
	diag      *diagnoser
}

// NewNotificationVerifier returns a verifier from the client's options:
// WithCredentials, or WithClientKey and WithVerifier, are required; the
// base URL is not, and WithLogger is where the handler logs. Other options
// are accepted (so one option list can build both) and unused.
func NewNotificationVerifier(opts ...Option) (*NotificationVerifier, error) {
	cfg, err := applyOptions(opts)
	if err != nil {
		return nil, fmt.Errorf("levy: NewNotificationVerifier: %w", err)
	}
	return newVerifier("NewNotificationVerifier", cfg)
}

func newVerifier(who string, cfg config) (*NotificationVerifier, error) {
	var missing []string
	if cfg.clientKey == "" {
		missing = append(missing, "WithCredentials or WithClientKey")
	}
	v := cfg.verifier
	if v == nil && len(cfg.secret) > 0 {
		v = sign.NewHMACSHA256(cfg.secret)
	}
	if v == nil {
		missing = append(missing, "WithVerifier")
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("levy: %s: missing %s", who, strings.Join(missing, ", "))
	}
	var secret []byte
	if cfg.verifier == nil {
		secret = cfg.secret
	}
	return &NotificationVerifier{clientKey: cfg.clientKey, verifier: v, log: cfg.log, diag: newDiagnoser(cfg, v, secret)}, nil
}

// NotificationVerifier returns a verifier with the client's key, verifier
// and logger.
func (c *Client) NotificationVerifier() *NotificationVerifier {
	return &NotificationVerifier{clientKey: c.cfg.clientKey, verifier: c.cfg.verifier, log: c.cfg.log, diag: c.diagnoser()}
}

// Notification is one asynchronous notification: the verified req
// envelope and its data decoded by name.
type Notification struct {
	Operation Operation // the envelope's name
	Code      Code      // "0": success; another code reports a failure
	Message   string
	// Data is the typed payload: *SignNotification (SYNC_SIGN),
	// *SignUpNotification, *OrderNotification (CREATE_ORDER_V2),
	// *AgreementNotification, *IDCardImageNotification or
	// *CloseOrderNotification; nil for an unknown name, whose data is in
	// Raw.
	Data any
	// Raw is the data object as received (it may hold personal data: it
	// is never printed by String or LogValue).
	Raw json.RawMessage

	dedupKey string
}

// Failed reports whether the notification reports a failure: a code
// other than "0" (§1.1.3: "0 表示成功，其他表示失败"), whatever its data
// says, or data whose result failed (SignNotification.Failed,
// SignUpNotification.Failed, OrderNotification.Failed,
// AgreementNotification.Failed, IDCardImageNotification.Failed). A
// notification with a code other than "0" may carry no data (Data nil).
func (n *Notification) Failed() bool {
	if n.Code != CodeOK {
		return true
	}
	f, ok := n.Data.(interface{ Failed() bool })
	return ok && f.Failed()
}

// Succeeded is !Failed: the code is "0" and the data, if it has a
// result, did not fail. It is not "signed" or "created": a result may
// still be pending (ACCEPT); ask the data (Signed, Created, Uploaded,
// Identified) for that.
func (n *Notification) Succeeded() bool { return !n.Failed() }

// IdempotencyKey identifies the notification across redeliveries: its
// name and the SHA-256 of the verified req, byte for byte as signed. Two
// notifications that differ in any signed byte (the two
// CLOSE_ORDER_NOTICEs of an order split across locations, the SIGN_UP
// notifications of two people) have different keys.
func (n *Notification) IdempotencyKey() string { return n.dedupKey }

// String prints the notification without its data.
func (n Notification) String() string {
	return fmt.Sprintf("{Operation:%s Code:%s Message:%s Data:%v}", n.Operation, n.Code, n.Message, n.Data)
}

// LogValue prints the notification without its data.
func (n Notification) LogValue() slog.Value {
	return slog.GroupValue(slog.String("name", string(n.Operation)), slog.String("code", string(n.Code)), slog.String("key", n.dedupKey))
}

// SignNotification is SYNC_SIGN's asynchronous result.
type SignNotification struct {
	RequestID string     `json:"request_id"`
	Status    SignStatus `json:"status"`
}

// Signed reports SIGN (已签约).
func (n *SignNotification) Signed() bool { return n.Status == SignStatusSign }

// Failed reports a result that is neither SIGN nor ACCEPT: UN_SIGN (未签约),
// or a status §3.5 does not list, which is never taken for success.
func (n *SignNotification) Failed() bool { return signFailed(n.Status) }

func signFailed(st SignStatus) bool { return st != SignStatusSign && st != SignStatusAccept }

// SignUpNotification is SIGN_UP's asynchronous result (none is sent for
// a taxpayer already signed, rule 2). The spec gives no table for it; it
// is decoded as SIGN_UP's answer.
type SignUpNotification struct {
	IDCard string     `json:"id_card"`
	Status SignStatus `json:"status"`
}

// Signed reports SIGN (已签约).
func (n *SignUpNotification) Signed() bool { return n.Status == SignStatusSign }

// Failed reports UN_SIGN, or a status §3.5 does not list.
func (n *SignUpNotification) Failed() bool { return signFailed(n.Status) }

// String prints the notification with the ID card masked.
func (n SignUpNotification) String() string {
	return fmt.Sprintf("{IDCard:%s Status:%s}", mask.IDCard(n.IDCard), n.Status)
}

// LogValue masks the ID card.
func (n SignUpNotification) LogValue() slog.Value { return slog.StringValue(n.String()) }

// OrderNotification is CREATE_ORDER_V2's asynchronous result.
type OrderNotification struct {
	RequestID      string       `json:"request_id"`
	RemitOrderList []RemitOrder `json:"remit_order_list"`
	Status         OrderStatus  `json:"status"`
	FailReason     string       `json:"fail_reason"`
}

// Created reports the §3.2 CLOSE case "阿拉丁内部系统订单已创建完成商户可根据订单进行打款":
// the order is closed with its remit orders created (confirm each with
// ConfirmOrder within 72 hours).
func (n *OrderNotification) Created() bool {
	return orderCreated(n.Status, n.RemitOrderList, n.FailReason)
}

// Failed reports the other three §3.2 CLOSE cases (validation failed, task
// ID invalid, customer lookup failed): closed without remit orders, the
// reason in FailReason.
func (n *OrderNotification) Failed() bool {
	return n.Status == OrderStatusClose && !orderCreated(n.Status, n.RemitOrderList, n.FailReason)
}

func orderCreated(st OrderStatus, list []RemitOrder, failReason string) bool {
	return st == OrderStatusClose && len(list) > 0 && failReason == ""
}

// Cancelled reports a closed remit order: a CLOSE_ORDER_NOTICE is always
// §3.3's "已关闭，客户已取消" (72 hours without confirmation), never §2.5's
// CLOSE after tax was paid.
func (n *CloseOrderNotification) Cancelled() bool { return n.RemitStatus == RemitStatusClose }

// RemitOrder returns the remit order of q (the levy order of the same
// request_id) that the notification closed, told apart by its
// tax_agent_location_id (an order split across locations has one remit
// order per location).
func (n *CloseOrderNotification) RemitOrder(q *QueryOrderResponse) (RemitOrder, bool) {
	if q == nil || q.RequestID != n.RequestID {
		return RemitOrder{}, false
	}
	for _, r := range q.RemitOrderList {
		if r.TaxAgentLocationID == n.TaxAgentLocationID {
			return r, true
		}
	}
	return RemitOrder{}, false
}

// AgreementNotification is UPLOAD_TAXPAYER_AGREEMENT's asynchronous
// result.
type AgreementNotification struct {
	RequestID  string          `json:"request_id"`
	Status     AgreementStatus `json:"status"`
	ContractID string          `json:"contract_id"`
	FileID     string          `json:"file_id"`
}

// Uploaded reports SUCCESS (上传成功).
func (n *AgreementNotification) Uploaded() bool { return n.Status == AgreementStatusSuccess }

// Failed reports FAIL (上传失败), or a status §3.6 does not list.
func (n *AgreementNotification) Failed() bool {
	return n.Status != AgreementStatusSuccess && n.Status != AgreementStatusAccept
}

// IDCardImageNotification is UPLOAD_ID_CARD_IMAGE's asynchronous result.
type IDCardImageNotification struct {
	RequestID  string        `json:"requestId"`
	Status     IDImageStatus `json:"status"`
	FailReason string        `json:"failReason"`
}

// Identified reports IDENTIFY_SUCCESS (认证通过).
func (n *IDCardImageNotification) Identified() bool {
	return n.Status == IDImageStatusIdentifySuccess
}

// Failed reports IDENTIFY_FAIL (认证失败, the reason in FailReason), NULL
// (纳税人信息不存在), UN_IDENTIFY (证照未上传), or a status §3.8 does not
// list.
func (n *IDCardImageNotification) Failed() bool {
	return n.Status != IDImageStatusIdentifySuccess && n.Status != IDImageStatusAccept
}

// CloseOrderNotification is CLOSE_ORDER_NOTICE: a remit order closed after
// 72 hours without confirmation; an order split across locations gets one
// per remit order (tax_agent_location_id tells them apart). The seed
// writes Close_reason in its table and close_reason in its sample; both
// are read.
type CloseOrderNotification struct {
	RequestID          string      `json:"request_id"`
	RemitStatus        RemitStatus `json:"remit_status"`
	TaxAgentLocationID ID          `json:"tax_agent_location_id"`
	CloseTime          Time        `json:"close_time"`
	CloseReason        string      `json:"close_reason"`
}

// UnmarshalJSON reads close_reason or Close_reason.
func (n *CloseOrderNotification) UnmarshalJSON(b []byte) error {
	type plain CloseOrderNotification
	var w struct {
		plain
		CloseReason2 *string `json:"Close_reason"`
	}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*n = CloseOrderNotification(w.plain)
	if n.CloseReason == "" && w.CloseReason2 != nil {
		n.CloseReason = *w.CloseReason2
	}
	return nil
}

// ParseNotification verifies and decodes a notification from its request
// headers and raw body (the form req=…&sign=…), for any web framework.
// The signature is checked in constant time over req exactly as received,
// before anything is decoded; a missing or wrong one is a *SignatureError
// (ErrInvalidSignature; with a diagnosis under WithDiagnostics), anything
// else refused is ErrMalformedNotification.
func ParseNotification(ctx context.Context, v *NotificationVerifier, h http.Header, body []byte) (*Notification, error) {
	if v == nil || v.verifier == nil {
		return nil, errors.New("levy: ParseNotification: the verifier was not made by NewNotificationVerifier")
	}
	if ct := h.Get("Content-Type"); ct != "" {
		if mt, _, _ := mime.ParseMediaType(ct); mt != "application/x-www-form-urlencoded" {
			return nil, fmt.Errorf("%w: content type %.40q", ErrMalformedNotification, mt)
		}
	}
	form, err := url.ParseQuery(string(body))
	if err != nil {
		return nil, fmt.Errorf("%w: body is not a form", ErrMalformedNotification)
	}
	if len(form["req"]) != 1 || len(form["sign"]) != 1 {
		return nil, fmt.Errorf("%w: want exactly one req and one sign", ErrMalformedNotification)
	}
	req := []byte(form.Get("req"))
	sig, err := base64.StdEncoding.DecodeString(form.Get("sign"))
	if err != nil || len(sig) == 0 {
		return nil, &SignatureError{detail: "notification sign is not base64",
			diag: v.diag.run(ctx, "req (sign)", req, form.Get("sign"), diag.LevyAnswerOrder, body)}
	}
	if err := v.verifier.Verify(ctx, req, sig); err != nil {
		return nil, &SignatureError{detail: "notification",
			diag: v.diag.run(ctx, "req (sign)", req, form.Get("sign"), diag.LevyAnswerOrder, body)}
	}
	if !utf8.Valid(req) {
		return nil, fmt.Errorf("%w: req is not UTF-8", ErrMalformedNotification)
	}
	var env struct {
		Name    Operation       `json:"name"`
		Code    Code            `json:"code"`
		Message string          `json:"message"`
		Data    json.RawMessage `json:"data"`
	}
	if err := checkKeys(req); err != nil && json.Valid(req) {
		return nil, fmt.Errorf("%w: %w", ErrMalformedNotification, errAmbiguousKeys)
	}
	if err := json.Unmarshal(req, &env); err != nil || env.Name == "" {
		return nil, fmt.Errorf("%w: req is not a notification envelope", ErrMalformedNotification)
	}
	sum := sha256.Sum256(req)
	n := &Notification{Operation: env.Name, Code: env.Code, Message: env.Message, Raw: env.Data,
		dedupKey: string(env.Name) + ":" + hex.EncodeToString(sum[:])}
	var data any
	switch env.Name {
	case OperationSyncSign:
		data = new(SignNotification)
	case OperationSignUp:
		data = new(SignUpNotification)
	case OperationCreateOrder:
		data = new(OrderNotification)
	case OperationUploadTaxpayerAgreement:
		data = new(AgreementNotification)
	case OperationUploadIDCardImage:
		data = new(IDCardImageNotification)
	case OperationCloseOrderNotice:
		data = new(CloseOrderNotification)
	}
	if data != nil && len(env.Data) > 0 && string(env.Data) != "null" {
		if err := json.Unmarshal(env.Data, data); err != nil {
			return nil, fmt.Errorf("%w: %s data does not decode: %s", ErrMalformedNotification, env.Name, safeJSONError(err))
		}
		n.Data = data
	}
	return n, nil
}

// NotificationFunc handles one verified notification. Return nil only once
// it is durably handled: only then does the provider hear SUCCESS.
type NotificationFunc func(ctx context.Context, n *Notification) error

// HandlerOption configures NewNotificationHandler.
type HandlerOption func(*handlerOptions) error

type handlerOptions = callback.Options

// WithDedupStore deduplicates deliveries by Notification.IdempotencyKey in
// s (a host's Redis or SQL store; in memory by default).
func WithDedupStore(s store.Dedup) HandlerOption {
	return func(o *handlerOptions) error { return o.SetDedupStore(s) }
}

// WithoutDedup hands every delivery, duplicates included, to the host.
func WithoutDedup() HandlerOption { return func(o *handlerOptions) error { return o.SetNoDedup() } }

// WithMaxBodyBytes sets the body limit (DefaultMaxNotificationBytes).
func WithMaxBodyBytes(n int64) HandlerOption {
	return func(o *handlerOptions) error { return o.SetMaxBytes(n) }
}

// WithReadTimeout bounds reading the body, from inside the handler (10 s
// by default), whatever the host's http.Server allows.
func WithReadTimeout(d time.Duration) HandlerOption {
	return func(o *handlerOptions) error { return o.SetReadTimeout(d) }
}

// NewNotificationHandler returns an http.Handler for the notification URL
// registered with the provider. It answers SUCCESS only after fn returned
// nil (or the notification was already handled); otherwise FAIL with a
// non-2xx status, and the provider retries. Duplicate and concurrent
// deliveries reach fn once (an in-memory store unless WithDedupStore or
// WithoutDedup). It logs through the verifier's WithLogger. Mount it on
// any path.
func NewNotificationHandler(v *NotificationVerifier, fn NotificationFunc, opts ...HandlerOption) (http.Handler, error) {
	if v == nil || v.verifier == nil || fn == nil {
		return nil, errors.New("levy: NewNotificationHandler: nil function, or a verifier not made by NewNotificationVerifier")
	}
	var o handlerOptions
	fs := make([]func(*callback.Options) error, len(opts))
	for i, opt := range opts {
		fs[i] = opt
	}
	if err := o.Apply(DefaultMaxNotificationBytes, fs); err != nil {
		return nil, fmt.Errorf("levy: NewNotificationHandler: %w", err)
	}
	ack, nack := callback.TextAnswers("SUCCESS", "FAIL")
	return &callback.Handler[*Notification]{
		Module: "levy", MaxBytes: o.MaxBytes, ReadTimeout: o.ReadTimeout, Store: o.Store, Log: v.log, Handle: fn,
		Parse: func(ctx context.Context, r *http.Request, body []byte) (*Notification, error) {
			return ParseNotification(ctx, v, r.Header, body)
		},
		Key: (*Notification).IdempotencyKey,
		Attrs: func(n *Notification) []slog.Attr {
			return []slog.Attr{slog.String("name", string(n.Operation)), slog.String("key", n.dedupKey)}
		},
		Ack:  ack,
		Nack: nack,
	}, nil
}
