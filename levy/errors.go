package levy

import (
	"errors"
	"fmt"
	"strings"

	"github.com/bizapi-cn/go-sdk/internal/validate"
)

// Sentinels for the provider codes a caller branches on; an *APIError with
// that code matches them with errors.Is.
var (
	ErrSignatureRejected    = errors.New("levy: provider rejected the request signature (0003)")
	ErrQuotaExceeded        = errors.New("levy: taxpayer quota exceeded (1009)")
	ErrAuthenticationFailed = errors.New("levy: identity authentication failed (1010)")
)

// ErrInvalidSignature reports a response or notice whose signature does not
// verify (or is missing): it is not trusted, whatever it says.
var ErrInvalidSignature = errors.New("levy: invalid signature")

// ErrOutcomeUnknown reports a call that changes state (sign-up, order,
// confirmation, upload) whose request may have reached the provider but
// whose answer was lost. It is never retried automatically: query the
// request_id before trying again.
var ErrOutcomeUnknown = errors.New("levy: outcome unknown: the request may have been processed")

// APIError is a provider answer with code != "0".
type APIError struct {
	Name       string // interface name
	Code       Code
	Message    string
	HTTPStatus int
}

func (e *APIError) Error() string {
	return fmt.Sprintf("levy: %s: code %s: %s", e.Name, e.Code, e.Message)
}

// Is matches the sentinel of the error's code.
func (e *APIError) Is(target error) bool {
	switch target {
	case ErrSignatureRejected:
		return e.Code == CodeSignatureFailure
	case ErrQuotaExceeded:
		return e.Code == CodeQuotaExceeded
	case ErrAuthenticationFailed:
		return e.Code == CodeAuthenticationFailed
	}
	return false
}

// FieldError is one bad request field.
type FieldError = validate.Problem

// ValidationError lists every bad field of a request; nothing was sent.
type ValidationError struct {
	Name   string // interface name
	Fields []FieldError
}

func (e *ValidationError) Error() string {
	parts := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		parts[i] = f.String()
	}
	return fmt.Sprintf("levy: invalid %s request: %s", e.Name, strings.Join(parts, "; "))
}

func validationError(name string, c *validate.Collector) error {
	if c.OK() {
		return nil
	}
	return &ValidationError{Name: name, Fields: c.Problems()}
}
