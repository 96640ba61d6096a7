package evidence

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/bizapi-cn/go-sdk/evidence/notify"
	"github.com/bizapi-cn/go-sdk/internal/mask"
)

// ErrorCode is a DECS errorCode.
type ErrorCode int

// Documented error codes (main.md of the current docs; the seed's older
// ones kept).
const (
	ErrorCodeBadHash           ErrorCode = -50005 // DECSHASH does not match
	ErrorCodeAESDecrypt        ErrorCode = -43037 // AES_DECRYPT_EXCEPTION: use the latest field key
	ErrorCodeAESDecryptB       ErrorCode = -44050 // field decrypt failed (seed)
	ErrorCodeNoRecord          ErrorCode = -44009 // no record; for parse results: retry required
	ErrorCodeNoRecordB         ErrorCode = -43024 // no record (unknown daId); for parse results: retry required
	ErrorCodeRetryWithin7Days  ErrorCode = -44001 // parse results: retry required within 7 days
	ErrorCodeDaFailed          ErrorCode = -44021 // DA_FAILED_EXCEPTION: final, no need to retry
	ErrorCodeInProgress        ErrorCode = -44062 // DA_IN_PROGRESS_EXCEPTION: retry
	ErrorCodeNotAuthorized     ErrorCode = -44028 // DA_NOT_AUTHORIZED_EXCEPTION: retry
	ErrorCodeNoUserProtocol    ErrorCode = -44017 // NOT_RECEIVED_USER_PROTOCOL_EXCEPTION: upload the agreement, retry
	ErrorCodeNetwork           ErrorCode = -48007 // temporary network error
	ErrorCodeNoVDISlot         ErrorCode = -45001 // StartLockVMError: no VDI slot, try later
	ErrorCodeStartVM           ErrorCode = -45004 // StartVMError: temporary network error
	ErrorCodeTaskInProgress    ErrorCode = -45027 // the user already has a session in progress
	ErrorCodeDailyLimit        ErrorCode = -45028 // the user's visits of the day are used up
	ErrorCodeIDNoUnderage      ErrorCode = -45030 // idNo: under 18
	ErrorCodeIDNoFormat        ErrorCode = -45031 // idNo: bad format
	ErrorCodeTooFrequent       ErrorCode = -45032 // the user's starts are too frequent
	ErrorCodeInvalidSite       ErrorCode = -50002 // SiteInvalid: data source not enabled
	ErrorCodeSourceUnavailable ErrorCode = -48025 // DataSourceUnavailable: close the site for a while
)

var codeText = map[ErrorCode]string{
	ErrorCodeBadHash: "DECSHASH does not match", ErrorCodeAESDecrypt: "field decrypt failed (use the latest field key)",
	ErrorCodeAESDecryptB: "field decrypt failed (use the latest field key)", ErrorCodeNoRecord: "no record (parse results: retry later)",
	ErrorCodeNoRecordB: "no record (parse results: retry later)", ErrorCodeRetryWithin7Days: "retry within 7 days",
	ErrorCodeDaFailed: "acquisition failed (final)", ErrorCodeInProgress: "acquisition in progress, retry", ErrorCodeNotAuthorized: "user not authorized yet, retry",
	ErrorCodeNoUserProtocol: "user agreement not received, retry", ErrorCodeNetwork: "temporary network error, retry",
	ErrorCodeNoVDISlot: "no VDI slot available, try again later", ErrorCodeStartVM: "temporary network error, try again later",
	ErrorCodeTaskInProgress: "the user already has a session in progress", ErrorCodeDailyLimit: "the user's visits of the day are used up",
	ErrorCodeIDNoUnderage: "idNo: the user is under 18", ErrorCodeIDNoFormat: "idNo: bad format",
	ErrorCodeTooFrequent: "the user starts too often, try again later",
	ErrorCodeInvalidSite: "invalid site (not enabled)", ErrorCodeSourceUnavailable: "data source unavailable: close the site for a while",
}

// String describes a documented code.
func (c ErrorCode) String() string {
	if s, ok := codeText[c]; ok {
		return s
	}
	return "errorCode " + strconv.Itoa(int(c))
}

// KeyExpired reports the AES decrypt failures that the application's
// current field key fixes (−43037, −44050).
func (c ErrorCode) KeyExpired() bool { return c == ErrorCodeAESDecrypt || c == ErrorCodeAESDecryptB }

// Retryable reports codes the docs call temporary: the same call may
// succeed later. Queries are retried on them automatically.
func (c ErrorCode) Retryable() bool {
	switch c {
	case ErrorCodeNetwork, ErrorCodeInProgress, ErrorCodeNotAuthorized, ErrorCodeNoUserProtocol,
		ErrorCodeAESDecrypt, ErrorCodeAESDecryptB, ErrorCodeNoVDISlot, ErrorCodeStartVM:
		return true
	}
	return false
}

// RetryParseLater reports the codes the docs give "retry required" for a
// parse-result pull (−44009, −43024, −44001): ask again on the parse
// schedule (ParseRetrySchedule), within 14 days (−44001: 7).
func (c ErrorCode) RetryParseLater() bool {
	return c == ErrorCodeNoRecord || c == ErrorCodeNoRecordB || c == ErrorCodeRetryWithin7Days
}

// Final reports a code after which asking again is useless (−44021).
func (c ErrorCode) Final() bool { return c == ErrorCodeDaFailed }

// Metadata is what the transport tells about an answer. DECS answers carry
// no request number of their own: RequestID is the daId of the call when
// it has one.
type Metadata struct {
	StatusCode int
	Header     http.Header
	RequestID  string
}

// APIError is an answer with errorCode ≠ 0.
type APIError struct {
	Operation string // the DECS path, e.g. "/api/das/start-vdi-x"
	Code      ErrorCode
	Message   string
	Metadata  Metadata
}

func (e *APIError) Error() string {
	return fmt.Sprintf("evidence: %s: errorCode %d: %s", e.Operation, int(e.Code), mask.Text(e.Message, 200))
}

// HTTPStatusCode is the HTTP status of the answer.
func (e *APIError) HTTPStatusCode() int { return e.Metadata.StatusCode }

// HTTPError is an answer that is not the DECS response document (a
// gateway's error page, an HTML page, an empty body).
type HTTPError struct {
	Operation string
	Metadata  Metadata
}

func (e *HTTPError) Error() string {
	return fmt.Sprintf("evidence: %s: HTTP %d without a DECS answer", e.Operation, e.Metadata.StatusCode)
}

// HTTPStatusCode is the HTTP status of the answer.
func (e *HTTPError) HTTPStatusCode() int { return e.Metadata.StatusCode }

// OutcomeUnknownError is a call that changes state (start-vdi-x,
// upload-user-protocol-x) without a definite answer: lost, cut short, a
// 5xx or gateway page, an answer that does not decode in full. The
// provider may have acted on it. It matches ErrOutcomeUnknown. Key is what
// to reconcile by: the bizNo of a start, the site of an upload.
type OutcomeUnknownError struct {
	Operation string
	Key       string
	Err       error
}

func (e *OutcomeUnknownError) Error() string {
	if e.Err == nil {
		return "evidence: " + e.Operation + " " + e.Key + ": outcome unknown"
	}
	cause := strings.TrimPrefix(strings.TrimPrefix(e.Err.Error(), "evidence: "), e.Operation+": ")
	return "evidence: " + e.Operation + " " + e.Key + ": outcome unknown: " + cause
}

// Unwrap returns ErrOutcomeUnknown and the cause.
func (e *OutcomeUnknownError) Unwrap() []error { return []error{ErrOutcomeUnknown, e.Err} }

// ErrOutcomeUnknown is matched by every *OutcomeUnknownError. It is never
// retried by the client: see the package doc, "Outcome unknown".
var ErrOutcomeUnknown = errors.New("evidence: outcome unknown: the request may have been processed")

// ErrInvalidSignature is notify.ErrInvalidSignature; see there.
var ErrInvalidSignature = notify.ErrInvalidSignature

// ErrFieldDecrypt reports an encrypted field of an answer that does not
// decrypt to what the field must be, even under the application's latest
// field key. The error names the operation and the field, never its value.
var ErrFieldDecrypt = errors.New("evidence: encrypted field does not decrypt")

// fieldError names the operation and the field of a decrypt failure.
func fieldError(path, field string, err error) error {
	if errors.Is(err, ErrFieldDecrypt) {
		return fmt.Errorf("evidence: %s: %s: %w", path, field, err)
	}
	return err
}

// sameDaID refuses an answer about another session than the request's:
// DECS signs no answer, so its daId is the one thing that binds a pulled
// status or file list to the request (a misrouting proxy or a cache
// could serve another user's). An answer without daId is taken as the
// request's.
func sameDaID(op, want, got string) error {
	if got != "" && got != want {
		return fmt.Errorf("evidence: %s: %w: the answer is about another daId", op, ErrMalformedResponse)
	}
	return nil
}

// ErrMalformedResponse reports a 2xx answer that is not the DECS response
// document, or whose data does not decode as documented.
var ErrMalformedResponse = errors.New("evidence: malformed response")

// ErrMalformedNotification is notify.ErrMalformedNotification; see there.
var ErrMalformedNotification = notify.ErrMalformedNotification

// ErrRetentionExpired reports a file older than the 10-day retention: the
// provider no longer serves it.
var ErrRetentionExpired = errors.New("evidence: file is past the 10-day retention")

// FieldError is one bad field of a request.
type FieldError struct {
	Field   string // the wire name, e.g. "userClaim" or "ext.attach"
	Message string
}

func (f FieldError) String() string { return f.Field + ": " + f.Message }

// ValidationError lists every bad field; nothing was sent.
type ValidationError struct {
	Operation string
	Fields    []FieldError
}

func (e *ValidationError) Error() string {
	parts := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		parts[i] = f.String()
	}
	op := e.Operation
	if op != "" {
		op += ": "
	}
	return "evidence: " + op + "invalid request: " + strings.Join(parts, "; ")
}
