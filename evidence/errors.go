package evidence

import (
	"errors"
	"fmt"
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

// ErrFieldDecrypt reports an encrypted field that does not decrypt.
var ErrFieldDecrypt = errors.New("evidence: encrypted field does not decrypt")

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
