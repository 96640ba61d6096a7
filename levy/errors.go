package levy

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/bizapi-cn/go-sdk/internal/mask"
	"github.com/bizapi-cn/go-sdk/internal/validate"
	"github.com/bizapi-cn/go-sdk/levy/notify"
)

// Sentinels for the provider codes a caller branches on; an *APIError with
// that code matches them with errors.Is.
var (
	ErrSignatureRejected    = errors.New("levy: provider rejected the request signature (0003)")
	ErrQuotaExceeded        = errors.New("levy: taxpayer quota exceeded (1009)")
	ErrAuthenticationFailed = errors.New("levy: identity authentication failed (1010)")
)

// ErrOrderNotFound is matched by QUERY_ORDER_V2's *APIError with code 0002:
// the provider does not know the request_id. The spec gives no code for an
// unknown order (§3.1 lists 0001 系统失败, 0002 参数不完整, 0003, 1009,
// 1010); 0002 is decided (doc.go, "Decided readings"): a query the client
// validated lacks no parameter, so 0002 can only refuse the request_id's
// value, and it is what levytest answers. 0001 (系统失败) never matches:
// the order may exist (see ReconcileOrder).
var ErrOrderNotFound = errors.New("levy: no such order (QUERY_ORDER_V2 answered 0002)")

// ErrInvalidSignature is notify.ErrInvalidSignature; see there.
var ErrInvalidSignature = notify.ErrInvalidSignature

// ErrMalformedResponse reports a verified answer that does not decode as
// the interface's answer (a wrong type, a timestamp in another layout).
var ErrMalformedResponse = errors.New("levy: malformed response")

// ErrMalformedNotification is notify.ErrMalformedNotification; see there.
var ErrMalformedNotification = notify.ErrMalformedNotification

// ErrOutcomeUnknown is matched by every *OutcomeUnknownError: a call that
// changes state (sign-up, order, confirmation, upload) may have been
// processed, but no verified, fully decoded answer arrived. It is never
// retried automatically: reconcile first (see OutcomeUnknownError).
var ErrOutcomeUnknown = errors.New("levy: outcome unknown")

// Metadata is what every answer carries besides its data: the HTTP
// status, the response headers and the request's own identifier
// (request_id, requestId, batch_no or order_id; "" for SIGN_UP, which has
// none).
type Metadata struct {
	StatusCode int
	Header     http.Header
	RequestID  string
}

// ServerTime returns the answer's Date header, when it has one: compare it
// with the local clock, since the provider checks the request's timestamp
// against its own (ClockSkew).
func (m Metadata) ServerTime() (time.Time, bool) {
	d := m.Header.Get("Date")
	if d == "" {
		return time.Time{}, false
	}
	t, err := http.ParseTime(d)
	return t, err == nil
}

// ClockSkew returns how far now is ahead of the provider's clock (the
// answer's Date, to the second), and false without a Date header.
func (m Metadata) ClockSkew(now time.Time) (time.Duration, bool) {
	t, ok := m.ServerTime()
	if !ok {
		return 0, false
	}
	return now.Sub(t).Truncate(time.Second), true
}

// APIError is a verified provider answer with code != "0": a definite
// refusal, but for 0001 系统失败 to a call that changes state, which comes
// inside an *OutcomeUnknownError (the provider may have acted first).
type APIError struct {
	Operation Operation
	Code      Code
	Message   string
	Metadata  Metadata
}

func (e *APIError) Error() string {
	return fmt.Sprintf("levy: %s: code %s: %s", e.Operation, e.Code, mask.Text(e.Message, 200))
}

// HTTPStatusCode returns the answer's HTTP status.
func (e *APIError) HTTPStatusCode() int { return e.Metadata.StatusCode }

// Is matches the sentinel of the error's code (ErrOrderNotFound: of QUERY_ORDER_V2's code).
func (e *APIError) Is(target error) bool {
	switch target {
	case ErrSignatureRejected:
		return e.Code == CodeSignatureFailure
	case ErrQuotaExceeded:
		return e.Code == CodeQuotaExceeded
	case ErrAuthenticationFailed:
		return e.Code == CodeAuthenticationFailed
	case ErrOrderNotFound:
		return e.Operation == OperationQueryOrder && e.Code == CodeIncompleteParameters
	}
	return false
}

// HTTPError is an answer that is not the provider's envelope: a gateway's
// or load balancer's page (HTTP 502, an HTML 404, …), unsigned. For a call
// that changes state it comes wrapped in an *OutcomeUnknownError.
type HTTPError struct {
	Operation  Operation
	StatusCode int
	Metadata   Metadata
}

func (e *HTTPError) Error() string {
	return fmt.Sprintf("levy: %s: HTTP %d without the provider's answer", e.Operation, e.StatusCode)
}

// HTTPStatusCode returns the answer's HTTP status.
func (e *HTTPError) HTTPStatusCode() int { return e.StatusCode }

// FieldError is one bad request field, by its wire name.
type FieldError struct {
	Field   string
	Message string
}

func (f FieldError) String() string { return f.Field + ": " + f.Message }

// ValidationError lists every bad field of a request; nothing was sent.
type ValidationError struct {
	Operation Operation
	Fields    []FieldError
}

func (e *ValidationError) Error() string {
	parts := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		parts[i] = f.String()
	}
	return fmt.Sprintf("levy: invalid %s request: %s", e.Operation, strings.Join(parts, "; "))
}

func validationError(op Operation, c *validate.Collector) error {
	if c.OK() {
		return nil
	}
	ps := c.Problems()
	fs := make([]FieldError, len(ps))
	for i, p := range ps {
		fs[i] = FieldError{Field: p.Field, Message: p.Message}
	}
	return &ValidationError{Operation: op, Fields: fs}
}

// OutcomeUnknownError reports a call that changes state whose request may
// have reached the provider but which got no verified, fully decoded
// answer: the connection dropped, the answer was cut, unsigned (a gateway
// 502, an HTML page), badly signed, or did not decode. It matches
// ErrOutcomeUnknown; Err is the cause (errors.Is/As reach it too).
//
// Key is what to reconcile by: the request_id (requestId) of the call, or
// the order_id of CONFIRM_ORDER_V2 and ADD_BANK_VOUCHER; "" for SIGN_UP,
// which is idempotent by the spec's rule 2 (an already signed taxpayer
// answers SIGN): send it again. CREATE_ORDER_V2 is reconciled with
// Client.ReconcileOrder; UPLOAD_ID_CARD_IMAGE with QueryIDCardImage;
// SYNC_SIGN and UPLOAD_TAXPAYER_AGREEMENT report through their
// notification (SYNC_SIGN: through QUERY_SIGN_UP_BATCH when none comes in
// 24 hours); ADD_BANK_VOUCHER and UPLOAD_FACEID_VIDEO_FRAME have no query
// and CONFIRM_ORDER_V2's result shows in QueryOrder of the levy order.
type OutcomeUnknownError struct {
	Operation Operation
	Key       string
	Err       error
}

func (e *OutcomeUnknownError) Error() string {
	cause := "no answer"
	if e.Err != nil {
		cause = strings.TrimPrefix(e.Err.Error(), "levy: "+string(e.Operation)+": ")
		cause = strings.TrimPrefix(cause, "levy: ")
	}
	return fmt.Sprintf("levy: %s: outcome unknown (%s): %s", e.Operation, e.hint(), cause)
}

func (e *OutcomeUnknownError) hint() string {
	switch e.Operation {
	case OperationCreateOrder:
		return "query request_id " + e.Key + " before retrying"
	case OperationSignUp:
		return "sign-up is idempotent: send it again"
	case OperationUploadIDCardImage:
		return "query the ID card's image (QueryIDCardImage, a new requestId) before retrying " + e.Key
	case OperationConfirmOrder:
		return "query the levy order of order_id " + e.Key + " before retrying"
	case OperationSyncSign, OperationUploadTaxpayerAgreement:
		return "wait for the notification of " + e.Key + " before retrying"
	}
	return "no query exists: check with the provider before retrying " + e.Key
}

// Is matches ErrOutcomeUnknown.
func (e *OutcomeUnknownError) Is(target error) bool { return target == ErrOutcomeUnknown }

// Unwrap returns the cause.
func (e *OutcomeUnknownError) Unwrap() error { return e.Err }
