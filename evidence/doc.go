// Package evidence is a client for the DECS (Data Express Chain System)
// evidence and data-acquisition service.
//
// Status: the request path (sorted-JSON body, DECSHASH with HMAC-SHA256 or
// HMAC-SM3, the field key fetched from update-aes-key and unwrapped with
// RSA PKCS#1 v1.5, RSA-OAEP or SM2, AES/SM4-ECB fields encrypted and
// decrypted by the client, one key refresh on −43037/−44050), sessions
// (StartAcquisition with the signed entry URL, GetStatus, GetOriginalFiles,
// GetParseResult, UploadUserProtocol, GetSitesState, GetReconFile),
// notification verification (DECSHASH + DECSSIGN) with its handler, and the
// SSE-C download are built and tested against the provider's own samples.
// WaitFinal is the polling fallback and Unzip the safe zip helper;
// DaStatus (§3.1, with IsFinal, IsSuccess, IsValidOperation, Mode and the
// Beehive 23-hour rule), JSONResult and AccessWay are typed. Not built yet (see the project issue):
// the site catalogue and childSites (§2), the daSubStatus tables (§9), the
// file classification helpers. evidencetest is the fake service.
//
// # Errors
//
// An errorCode other than 0 is an *APIError (ErrorCode.Retryable,
// ErrorCode.KeyExpired); notifications that do not verify are
// ErrInvalidSignature; downloads return ErrLinkExpired (403) and
// ErrBadFileKey (400).
package evidence

import (
	"strings"

	"github.com/bizapi-cn/go-sdk/internal/validate"
)

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
