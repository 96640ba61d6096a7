package allinpay

import (
	"errors"
	"fmt"
	"strings"

	"github.com/bizapi-cn/go-sdk/internal/validate"
)

// ErrInvalidSignature reports a response or notification whose signature
// does not verify, or a success answer without one.
var ErrInvalidSignature = errors.New("allinpay: invalid signature")

// ErrOutcomeUnknown reports a payment, refund, void or close whose request
// may have reached the platform but whose answer was lost. It is never
// retried: query the order before trying again.
var ErrOutcomeUnknown = errors.New("allinpay: outcome unknown: the request may have been processed")

// APIError is an answer with returnCode != "0000", or with a failed
// resultCode.
type APIError struct {
	TransType  TransType
	ReturnCode string
	ReturnMsg  string
	ResultCode ResultCode
	ResultMsg  string
	HTTPStatus int
}

func (e *APIError) Error() string {
	if e.ReturnCode != ReturnCodeOK {
		return fmt.Sprintf("allinpay: %s: returnCode %s: %s", e.TransType, e.ReturnCode, e.ReturnMsg)
	}
	return fmt.Sprintf("allinpay: %s: resultCode %s: %s", e.TransType, e.ResultCode, e.ResultMsg)
}

// ValidationError lists every bad field of a request; nothing was sent.
type ValidationError struct {
	TransType TransType
	Fields    []validate.Problem
}

func (e *ValidationError) Error() string {
	parts := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		parts[i] = f.String()
	}
	return fmt.Sprintf("allinpay: invalid %s request: %s", e.TransType, strings.Join(parts, "; "))
}

func validationError(t TransType, c *validate.Collector) error {
	if c.OK() {
		return nil
	}
	return &ValidationError{TransType: t, Fields: c.Problems()}
}
