package evidence

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/bizapi-cn/go-sdk/internal/validate"
)

// ErrorCode is a DECS errorCode.
type ErrorCode int

// Documented error codes.
const (
	CodeBadHash           ErrorCode = -50005
	CodeAESDecryptA       ErrorCode = -43037
	CodeAESDecryptB       ErrorCode = -44050
	CodeNoRecordA         ErrorCode = -44009
	CodeNoRecordB         ErrorCode = -43024
	CodeInvalidSite       ErrorCode = -50002
	CodeSourceUnavailable ErrorCode = -48025
)

var codeText = map[ErrorCode]string{
	CodeBadHash: "DECSHASH does not match", CodeAESDecryptA: "field decrypt failed (refresh the key)",
	CodeAESDecryptB: "field decrypt failed (refresh the key)", CodeNoRecordA: "no record", CodeNoRecordB: "no record",
	CodeInvalidSite: "invalid site", CodeSourceUnavailable: "data source unavailable",
	-48007: "retryable", -44028: "retryable", -44017: "retryable", -44062: "retryable",
}

// String describes a documented code.
func (c ErrorCode) String() string {
	if s, ok := codeText[c]; ok {
		return s
	}
	return "errorCode " + strconv.Itoa(int(c))
}

// KeyExpired reports the AES decrypt failures that a fresh field key fixes.
func (c ErrorCode) KeyExpired() bool { return c == CodeAESDecryptA || c == CodeAESDecryptB }

// Retryable reports codes the docs call retryable.
func (c ErrorCode) Retryable() bool {
	switch c {
	case -48007, -44028, -44017, -44062, CodeAESDecryptA, CodeAESDecryptB:
		return true
	}
	return false
}

// APIError is an answer with errorCode != 0.
type APIError struct {
	Path       string
	Code       ErrorCode
	Message    string
	HTTPStatus int
}

func (e *APIError) Error() string {
	return fmt.Sprintf("evidence: %s: errorCode %d: %s", e.Path, int(e.Code), e.Message)
}

// ErrInvalidSignature reports a notification whose DECSHASH or DECSSIGN
// does not verify.
var ErrInvalidSignature = errors.New("evidence: invalid signature")

// ErrFieldDecrypt reports an encrypted field of an answer that does not
// decrypt to what the field must be, even after the field key was fetched
// again. The error names the operation and the field, never its value.
var ErrFieldDecrypt = errors.New("evidence: encrypted field does not decrypt")

// fieldError names the operation and the field of a decrypt failure.
func fieldError(path, field string, err error) error {
	if errors.Is(err, ErrFieldDecrypt) {
		return fmt.Errorf("evidence: %s: %s: %w", path, field, err)
	}
	return err
}

// ErrOutcomeUnknown reports a call that changes state (start-vdi-x,
// upload-user-protocol-x) whose answer was lost or was a 5xx: the provider
// may have acted on it. It is not retried; look the session up (GetStatus,
// by the daId you have, or start again with a new bizNo).
var ErrOutcomeUnknown = errors.New("evidence: outcome unknown: the request may have been processed")

// ErrMalformedResponse reports a 2xx answer that is not the DECS response
// document.
var ErrMalformedResponse = errors.New("evidence: malformed response")

// ErrRetentionExpired reports a file older than the 10-day retention: the
// provider no longer serves it.
var ErrRetentionExpired = errors.New("evidence: file is past the 10-day retention")

// daIDRequired is the ValidationError of a call without a daId (a fresh
// one each time: callers may hold on to it).
func daIDRequired() error {
	return &ValidationError{Fields: []validate.Problem{{Field: "daId", Message: "is required"}}}
}

// ValidationError lists every bad field; nothing was sent.
type ValidationError struct {
	Fields []validate.Problem
}

func (e *ValidationError) Error() string {
	parts := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		parts[i] = f.String()
	}
	return "evidence: invalid request: " + strings.Join(parts, "; ")
}
