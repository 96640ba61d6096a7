package levy

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"mime"
	"net/http"
	"net/url"
	"time"
	"unicode/utf8"

	"github.com/bizapi-cn/go-sdk/internal/callback"
	"github.com/bizapi-cn/go-sdk/store"
)

// Notice is one asynchronous notice: the verified req envelope and its data
// decoded by name.
type Notice struct {
	Name    string
	Code    Code
	Message string
	// Data is the typed payload: *SignNotice, *OrderNotice,
	// *AgreementNotice, *IDCardImageNotice or *CloseOrderNotice; nil for an
	// unknown name, whose data is in Raw.
	Data any
	// Raw is the data object as received.
	Raw json.RawMessage
}

// SignNotice is SYNC_SIGN's asynchronous result.
type SignNotice struct {
	RequestID string     `json:"request_id"`
	Status    SignStatus `json:"status"`
}

// OrderNotice is CREATE_ORDER_V2's asynchronous result.
type OrderNotice struct {
	RequestID      string       `json:"request_id"`
	RemitOrderList []RemitOrder `json:"remit_order_list"`
	Status         OrderStatus  `json:"status"`
	FailReason     string       `json:"fail_reason"`
}

// AgreementNotice is UPLOAD_TAXPAYER_AGREEMENT's asynchronous result.
type AgreementNotice = UploadTaxpayerAgreementResponse

// IDCardImageNotice is UPLOAD_ID_CARD_IMAGE's asynchronous result.
type IDCardImageNotice = IDCardImageResult

// CloseOrderNotice is CLOSE_ORDER_NOTICE: a remit order closed after 72
// hours without confirmation. The seed writes Close_reason; decoding is
// case-insensitive, so both spellings arrive.
type CloseOrderNotice struct {
	RequestID          string      `json:"request_id"`
	RemitStatus        RemitStatus `json:"remit_status"`
	TaxAgentLocationID json.Number `json:"tax_agent_location_id"` // the sample sends a string, the table an integer
	CloseTime          Time        `json:"close_time"`
	CloseReason        string      `json:"close_reason"`
}

// IdempotencyKey identifies the state change a notice reports (name,
// request ID and status), the same across redeliveries.
func (n *Notice) IdempotencyKey() string {
	var probe struct {
		RequestID  string `json:"request_id"`
		RequestID2 string `json:"requestId"`
		Status     string `json:"status"`
		Remit      string `json:"remit_status"`
		ContractID string `json:"contract_id"`
	}
	_ = json.Unmarshal(n.Raw, &probe)
	id := probe.RequestID
	if id == "" {
		id = probe.RequestID2
	}
	return n.Name + ":" + id + ":" + probe.ContractID + ":" + probe.Status + probe.Remit
}

// ErrMalformedNotice reports a request that is not a notice form.
var ErrMalformedNotice = errors.New("levy: malformed notice")

// ParseNotice verifies and decodes a notice from the raw request body (the
// form req=…&sign=…). The HMAC is checked in constant time over req exactly
// as received, before anything is decoded.
func (c *Client) ParseNotice(ctx context.Context, contentType string, body []byte) (*Notice, error) {
	if mt, _, _ := mime.ParseMediaType(contentType); contentType != "" && mt != "application/x-www-form-urlencoded" {
		return nil, fmt.Errorf("%w: content type %q", ErrMalformedNotice, mt)
	}
	form, err := url.ParseQuery(string(body))
	if err != nil {
		return nil, fmt.Errorf("%w: body is not a form", ErrMalformedNotice)
	}
	if len(form["req"]) != 1 || len(form["sign"]) != 1 {
		return nil, fmt.Errorf("%w: want exactly one req and one sign", ErrMalformedNotice)
	}
	req := []byte(form.Get("req"))
	sig, err := base64.StdEncoding.DecodeString(form.Get("sign"))
	if err != nil || len(sig) == 0 {
		return nil, fmt.Errorf("%w: notice sign is not base64", ErrInvalidSignature)
	}
	if err := c.cfg.verifier.Verify(ctx, req, sig); err != nil {
		return nil, fmt.Errorf("%w: notice", ErrInvalidSignature)
	}
	if !utf8.Valid(req) {
		return nil, fmt.Errorf("%w: req is not UTF-8", ErrMalformedNotice)
	}
	var env struct {
		Name    string          `json:"name"`
		Code    Code            `json:"code"`
		Message string          `json:"message"`
		Data    json.RawMessage `json:"data"`
	}
	if err := json.Unmarshal(req, &env); err != nil || env.Name == "" {
		return nil, fmt.Errorf("%w: req is not a notice envelope", ErrMalformedNotice)
	}
	n := &Notice{Name: env.Name, Code: env.Code, Message: env.Message, Raw: env.Data}
	var data any
	switch env.Name {
	case NameSyncSign:
		data = new(SignNotice)
	case NameCreateOrder:
		data = new(OrderNotice)
	case NameUploadTaxpayerAgreement:
		data = new(AgreementNotice)
	case NameUploadIDCardImage:
		data = new(IDCardImageNotice)
	case NameCloseOrderNotice:
		data = new(CloseOrderNotice)
	}
	if data != nil && len(env.Data) > 0 && string(env.Data) != "null" {
		if err := json.Unmarshal(env.Data, data); err != nil {
			return nil, fmt.Errorf("%w: %s data does not decode", ErrMalformedNotice, env.Name)
		}
		n.Data = data
	}
	return n, nil
}

// NoticeFunc handles one verified notice. Return nil only once it is
// durably handled: only then does the provider hear SUCCESS.
type NoticeFunc func(ctx context.Context, n *Notice) error

// DedupStore records handled notices so duplicate and concurrent
// deliveries reach the NoticeFunc once (see NewMemoryDedupStore; back it
// with your database or Redis in production).
type DedupStore = store.Dedup

// NewMemoryDedupStore returns an in-process DedupStore keeping handled
// keys for retention (72 h when 0).
func NewMemoryDedupStore(retention time.Duration) DedupStore {
	var opts []store.MemoryOption
	if retention > 0 {
		opts = append(opts, store.WithRetention(retention))
	}
	s, _ := store.NewMemoryDedup(opts...) // cannot fail: every option is valid
	return s
}

// NoticeHandlerOption configures NoticeHandler.
type NoticeHandlerOption func(*noticeHandler)

// WithNoticeDedup deduplicates deliveries by Notice.IdempotencyKey.
func WithNoticeDedup(s DedupStore) NoticeHandlerOption {
	return func(h *noticeHandler) { h.store = s }
}

// WithNoticeMaxBytes sets the body limit (1 MiB by default).
func WithNoticeMaxBytes(n int64) NoticeHandlerOption { return func(h *noticeHandler) { h.max = n } }

// NoticeHandler returns an http.Handler for the notice URL registered with
// the provider. It answers SUCCESS only after fn returned nil (or the notice
// was already handled); otherwise it answers FAIL with a non-2xx status and
// the provider retries. Mount it on any path.
func (c *Client) NoticeHandler(fn NoticeFunc, opts ...NoticeHandlerOption) http.Handler {
	h := &noticeHandler{max: 1 << 20}
	for _, o := range opts {
		o(h)
	}
	ack, nack := callback.TextAnswers("SUCCESS", "FAIL")
	return &callback.Handler[*Notice]{
		Module: "levy", MaxBytes: h.max, Store: h.store, Log: c.cfg.log, Handle: fn,
		Parse: func(ctx context.Context, r *http.Request, body []byte) (*Notice, error) {
			return c.ParseNotice(ctx, r.Header.Get("Content-Type"), body)
		},
		Key:   (*Notice).IdempotencyKey,
		Attrs: func(n *Notice) []slog.Attr { return []slog.Attr{slog.String("name", n.Name)} },
		Ack:   ack,
		Nack:  nack,
	}
}

// noticeHandler collects NoticeHandler's options.
type noticeHandler struct {
	store DedupStore
	max   int64
}
