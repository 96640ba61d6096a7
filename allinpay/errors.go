package allinpay

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/bizapi-cn/go-sdk/allinpay/notify"
	"github.com/bizapi-cn/go-sdk/internal/mask"
	"github.com/bizapi-cn/go-sdk/internal/validate"
)

// ErrInvalidSignature is notify.ErrInvalidSignature (the same value); see
// there.
var ErrInvalidSignature = notify.ErrInvalidSignature

// ErrOutcomeUnknown reports a payment, refund, void or close whose request
// may have been processed while no verified, definite answer came back. It
// is never retried: match it with errors.Is, then reconcile
// (Client.Reconcile queries the order by the *OutcomeUnknownError's Key).
var ErrOutcomeUnknown = errors.New("allinpay: outcome unknown")

// ErrMalformedResponse reports an answer that verified (or needed no
// verification) but cannot be read as the platform's answer to this
// request: not a JSON object, an ambiguous field set, members differing
// only in case, a missing resultCode, an echo that does not match the
// request, a field in the wrong shape.
var ErrMalformedResponse = errors.New("allinpay: malformed response")

// ErrMalformedNotification is notify.ErrMalformedNotification (the same
// value); see there.
var ErrMalformedNotification = notify.ErrMalformedNotification

// Metadata describes the HTTP answer a response or error came from.
type Metadata struct {
	StatusCode int
	Header     http.Header
	// RequestID is the requestNo the call was sent with (generated when the
	// request left it empty): quote it to Allinpay's support.
	RequestID string
}

// APIError is a verified answer with returnCode != "0000", or with a
// resultCode that is neither success nor processing. Allinpay answers carry
// two codes: ReturnCode (was the message communicated) and ResultCode (the
// business result); Code and Message return the one that failed.
type APIError struct {
	Operation  TransType
	ReturnCode ReturnCode
	ReturnMsg  string
	ResultCode ResultCode
	ResultMsg  string
	// RequestNo and OutTransNo are the request's own identifiers.
	RequestNo, OutTransNo string
	// Signed reports whether the answer carried a signature that verified;
	// the platform does not sign every failure.
	Signed   bool
	Metadata Metadata

	bound bool // signed, and names this request (its requestNo and mchNo)
}

// Code is the failing code: the returnCode, or the resultCode when the
// message was communicated.
func (e *APIError) Code() string {
	if e.ReturnCode != ReturnCodeSuccess {
		return string(e.ReturnCode)
	}
	return string(e.ResultCode)
}

// Message is the platform's text for Code.
func (e *APIError) Message() string {
	if e.ReturnCode != ReturnCodeSuccess {
		return e.ReturnMsg
	}
	return e.ResultMsg
}

// Meaning classifies the result code (MeaningRefused for a returnCode
// failure).
func (e *APIError) Meaning() Meaning {
	if e.ReturnCode != ReturnCodeSuccess {
		return MeaningRefused
	}
	return e.ResultCode.Meaning()
}

// HTTPStatusCode is the HTTP status of the answer.
func (e *APIError) HTTPStatusCode() int { return e.Metadata.StatusCode }

func (e *APIError) Error() string {
	what := "resultCode"
	if e.ReturnCode != ReturnCodeSuccess {
		what = "returnCode"
	}
	s := fmt.Sprintf("allinpay: %s: %s %s: %s", opName(e.Operation), what, e.Code(), mask.Text(e.Message(), 200))
	if earlierPending(e.ResultCode) {
		s += " (an earlier void or refund of the original is still processing: this request was not taken)"
	} else if adv := advice(e.Meaning()); adv != "" {
		s += " (" + adv + ")"
	}
	return s
}

// HTTPError is an answer that is not the platform's JSON envelope: a
// gateway error page, an HTML page, an empty 5xx.
type HTTPError struct {
	Operation TransType
	Metadata  Metadata
}

// HTTPStatusCode is the HTTP status of the answer.
func (e *HTTPError) HTTPStatusCode() int { return e.Metadata.StatusCode }

func (e *HTTPError) Error() string {
	return fmt.Sprintf("allinpay: %s: HTTP %d without the platform's answer", opName(e.Operation), e.Metadata.StatusCode)
}

// OutcomeUnknownError is ErrOutcomeUnknown with what to reconcile by: the
// operation, the outTransNo it was sent with (Key) and the cause.
type OutcomeUnknownError struct {
	Operation TransType
	Key       string // the outTransNo to query: the request's own (for CloseOrder the original's)
	Err       error
}

func (e *OutcomeUnknownError) Error() string {
	cause := ""
	if e.Err != nil {
		cause = ": " + strings.TrimPrefix(strings.TrimPrefix(e.Err.Error(), "allinpay: "), opName(e.Operation)+": ")
	}
	return fmt.Sprintf("allinpay: %s: outcome unknown, query outTransNo %q%s", opName(e.Operation), e.Key, cause)
}

// Unwrap returns the cause.
func (e *OutcomeUnknownError) Unwrap() error { return e.Err }

// Is matches ErrOutcomeUnknown.
func (e *OutcomeUnknownError) Is(target error) bool { return target == ErrOutcomeUnknown }

// FieldError is one bad field of a request, named by its wire name.
type FieldError struct {
	Field   string
	Message string // what is wrong; never the value
}

func (f FieldError) String() string { return f.Field + ": " + f.Message }

// ValidationError lists every bad field of a request; nothing was sent.
type ValidationError struct {
	Operation TransType
	Fields    []FieldError
}

func (e *ValidationError) Error() string {
	parts := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		parts[i] = f.String()
	}
	if e.Operation == "" { // the transType itself is missing
		return "allinpay: invalid request: " + strings.Join(parts, "; ")
	}
	return fmt.Sprintf("allinpay: %s: invalid request: %s", e.Operation, strings.Join(parts, "; "))
}

func opName(t TransType) string {
	if t == "" {
		return "request"
	}
	return string(t)
}

func validationError(t TransType, c *validate.Collector) error {
	if c.OK() {
		return nil
	}
	p := c.Problems()
	fe := make([]FieldError, len(p))
	for i, x := range p {
		fe[i] = FieldError{Field: x.Field, Message: x.Message}
	}
	return &ValidationError{Operation: t, Fields: fe}
}
