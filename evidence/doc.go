// Package evidence is a client for the DECS (Data Express Chain System)
// evidence and data-acquisition service: a host starts a session for a
// data type (site), the user completes it in the operator's clean
// environment, and the host is notified and pulls the files.
//
// # Calls
//
// Every call is a POST of {"v","auth":{"appId","nonce"},"arg"} as sorted
// compact JSON with a fresh 32-character nonce, and a DECSHASH header
// (uppercase hex HMAC of the body + appKey) over exactly the bytes sent.
// Fields the protocol encrypts (openId, idNo, userName, agreement
// contents; fileUrl, fileKey and pdfPassword in answers) are encrypted and
// decrypted by the client with the field key it fetches from
// update-aes-key, unwraps with the integrator's private key, caches, and
// refreshes once when a call fails with −43037/−44050 or when a field of an
// answer does not open under the cached key (another process of the same
// app fetched a new one). ECB has no MAC, so an opened field must also be
// UTF-8, and a fileUrl an http(s) URL and a fileKey 32 bytes of base64;
// what still does not open is ErrFieldDecrypt, naming the field.
//
// Two crypto suites: SuiteRSA (HMAC-SHA256, AES-128-ECB fields, the key
// wrapped with RSA PKCS#1 v1.5 as documented, or RSA-OAEP with WithOAEP)
// and SuiteSM (HMAC-SM3, SM4-ECB, SM2-wrapped key; seed §11). DECSSIGN on
// notifications is SHA256withRSA in both: the national suite's reference
// document is not public, and it changes only the hash, cipher and wrap.
//
// Operations: StartAcquisition (start-vdi-x; the entry URL comes back
// signed for H5/SDK entry), UploadUserProtocol (streamed), GetStatus,
// GetOriginalFiles, GetParseResult, GetSitesState, GetReconFile, and
// WaitFinal, the polling fallback for a notification that never came.
//
// # Retries
//
// Queries are retried (WithRetries, 2 by default) after a transport error,
// a 5xx or a retryable errorCode, with a new nonce each time.
// start-vdi-x and upload-user-protocol-x change state: they are retried
// only when the request provably never left, and otherwise fail with
// ErrOutcomeUnknown.
//
// # Files
//
// Files.List, ParseResult.List and Notification.Files give File values;
// Download and Open stream one with the three SSE-C headers (memory does
// not grow with the file), refuse a file past the 10-day Retention, and
// report 403 as ErrLinkExpired (pull again: links last 5 minutes) and 400
// as ErrBadFileKey. Unzip extracts zip results, refusing path traversal,
// links and zip bombs. ClassifyFile tells what a file holds from the name
// suffixes the appendix lists.
//
// # Domain
//
// Sites (§2.1: official names, file formats, childSites), DaStatus (§3.1:
// IsFinal, IsSuccess, IsValidOperation, Mode, the Beehive 23-hour rule),
// JSONResult (§3.2), AccessWay (§4) and the daSubStatus tables of §9
// (LookupSubStatus: scenario and suggested handling) are typed data.
//
// # Notifications
//
// ParseNotification verifies DECSHASH (constant time) and DECSSIGN with
// the operator's key before decoding; NotificationHandler answers exactly
// {"errorCode":0,"errorMessage":"OK"} only after the host's function
// succeeded, and a DedupStore makes a redelivery a no-op. Unknown funcs
// are delivered with their raw body.
//
// # Errors
//
// An errorCode other than 0 is an *APIError (ErrorCode.Retryable,
// ErrorCode.KeyExpired); bad input is a *ValidationError naming every
// field, before anything is sent; a notification that does not verify is
// ErrInvalidSignature; an answer that is not the response document is
// ErrMalformedResponse.
//
// evidencetest is an in-process fake of the service for tests.
package evidence
