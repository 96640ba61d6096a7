// Package evidence is a client for the DECS (Data Express Chain System)
// evidence and data-acquisition service: a host uploads the user's signed
// agreement, starts a session for a data type (site), the user completes
// it in the operator's clean environment, and the host is notified and
// pulls the files.
//
// # Calls
//
// Every call is (c *Client) VerbNoun(ctx, *VerbNounRequest)
// (*VerbNounResponse, error); every response carries Metadata (HTTP
// status, headers; RequestID is the daId where there is one: DECS answers
// have no request number). On the wire it is a POST of
// {"v","auth":{"appId","nonce"},"arg"} as sorted compact JSON with a
// fresh nonce of 32 letters and digits, Content-Type application/json,
// and a DECSHASH header (uppercase hex HMAC of the body + appKey) over
// exactly the bytes sent. The default User-Agent is
// bizapi-cn-go-sdk-evidence/<Version> go/<version>.
//
// Operations: UploadUserProtocol (streamed), StartAcquisition
// (start-vdi-x; the entry URL comes back signed), GetStatus,
// GetOriginalFiles, GetParseResult, GetSitesState, GetReconFile, and
// WaitFinal, the polling fallback for a notification that never came,
// measured from the daId's issue time (StartAcquisitionResponse.IssuedAt,
// the docs' T0; StatusRequest carries it).
//
// # The field key
//
// Fields the protocol encrypts (openId, idNo, userName, agreement
// contents; fileUrl, fileKey and pdfPassword in answers) use the field key
// that update-aes-key issues. Each update-aes-key makes the service issue
// a new key and refuse the old one (−43037), and the docs ask for one key
// "stored and used by all other systems". So the key lives in a
// store.Keys (WithFieldKeyStore; in memory by default): a client fetches
// one only when the store has none or the stored one was refused, and
// claims the fetch by compare-and-swap first (a "fetching" marker with a
// deadline), so N processes that meet −43037 together cause one
// update-aes-key. Within a process the fetch is single-flight, no mutex is
// held across the network, and a waiter leaves when its context ends. The
// store holds the key as the service sent it, wrapped with the
// integrator's public key. RotateFieldKey is the one deliberate rotation.
// ECB has no MAC, so an opened field must also be UTF-8, a fileUrl an
// http(s) URL and a fileKey 32 bytes of base64; a field that does not open
// is treated like −43037 once, then is ErrFieldDecrypt, naming the field.
//
// Two crypto suites: SuiteRSA (HMAC-SHA256, AES-128-ECB fields, the key
// wrapped with RSA PKCS#1 v1.5 as documented, or RSA-OAEP with WithOAEP)
// and SuiteSM (HMAC-SM3, SM4-ECB, SM2-wrapped key), kept as the seed's §11
// describes it: the current public docs no longer have the national
// suite. Its entry-URL signature is not documented: SignEntryURL returns
// an error on it, and StartAcquisition returns the URL unsigned. DECSSIGN
// on notifications is SHA256withRSA in both.
//
// # Outcome unknown
//
// Queries are retried (WithRetries, 2 by default) after a transport error,
// a 5xx or a retryable errorCode, with a new nonce each time.
// start-vdi-x and upload-user-protocol-x change state: they are retried
// only when the request provably never left. Anything but a complete DECS
// answer (lost, cut short, a 5xx, an HTML page, data that does not decode
// in full, such as a daId that is a number) is an *OutcomeUnknownError
// matching ErrOutcomeUnknown, keyed by the bizNo of a start or the site of
// an upload. DECS answers carry no signature: their integrity is TLS's.
// The docs have no query by bizNo, so a start is reconciled from the
// notifications (they carry bizNo) or, in one call, from the next day's
// reconciliation file (ReconcileStart), and a new attempt takes a new bizNo (the docs warn that
// repeated starts end the user's session). Uploading an agreement again is
// harmless, and is its reconciliation.
//
// # Notifications
//
// The callback path is package notify
// (github.com/bizapi-cn/go-sdk/evidence/notify): a service that only
// receives notifications imports it alone and links no HTTP client
// library. The names below (NotificationVerifier, Notification,
// SignatureError, Site, DaStatus, RemoteFile...) are aliases of its types,
// and NewNotificationVerifier, ParseNotification and
// NewNotificationHandler are its NewVerifier, Parse and NewHandler under
// the client's options.
//
// A receiver needs only NewNotificationVerifier(WithApp,
// WithNotifyPublicKey): never the private key. Several notify keys may be
// given, so a rotation needs no restart at a precise moment; a missing
// key fails at construction. ParseNotification(ctx, v, header, body)
// works from any web framework; NewNotificationHandler answers exactly
// {"errorCode":0,"errorMessage":"OK"} only after the host's
// NotificationFunc returned nil, deduplicating in memory by default
// (WithDedupStore, WithoutDedup, WithMaxBodyBytes, WithReadTimeout).
//
// Unauthenticated bytes get bounded, linear work: DECSSIGN is checked
// first, over the DECSHASH header alone; then the HMAC over the raw body;
// only a body that is not already the sorted form the operator hashed is
// canonicalized (one scan) and hashed again. A forged 1 MiB notification
// is refused in about 8 ms of CPU (BenchmarkForgedNotification).
// IdempotencyKey is the func plus a SHA-256 of the verified data member in
// canonical form.
//
// DECSSIGN is verified by default. The docs call its check optional for
// integrators who were not given the key: WithInsecureNotificationHashOnly
// accepts DECSHASH alone, which anyone holding the appKey can forge.
//
// The docs ask for a fast acknowledgement (a slow answer is resent): let
// the NotificationFunc enqueue the notification durably (a queue, an
// outbox table) and return; process it from there.
//
// # Files
//
// GetOriginalFilesResponse.List, GetParseResultResponse.List and
// Notification.Files give RemoteFile values; Download and Open stream one
// with the three SSE-C headers (memory does not grow with the file), never
// send an SSE-C key over plain http (but to a loopback host), bound the
// wait for the answer headers by WithTimeout, refuse a file past the
// 10-day Retention, and report 403 as ErrLinkExpired (pull again: links
// last 5 minutes) and 400 as ErrBadFileKey. Unzip extracts zip results,
// refusing path traversal, links and zip bombs. ClassifyFile tells what a
// file holds from the name suffixes the appendix lists. File (FileFromPath,
// FileFromBytes) is a file to upload.
//
// A download carrying a key never follows a redirect, whatever the host's
// client does: net/http copies every header but a few credentials
// (Authorization, Cookie) to a redirect's target, to any host and over
// plain http, so the SSE-C key would reach a host the presigned URL does
// not name. The client's own *http.Client never follows one; with
// WithRestyClient, such a download goes through a copy of the host's
// *http.Client (the same transport and connection pool, cookie jar and
// timeout) whose policy refuses every redirect, with the host's client
// headers but not its middlewares and hooks (as for uploads), and a 3xx
// is an error. Other choices fall short: resty v2 has no per-request
// redirect policy, a connection trace can only cancel a redirected
// request while its headers may already be written, and refusing at
// NewClient every resty client that follows redirects (resty's default)
// would refuse hosts whose API calls need them, yet not bound what a
// policy that looks safe does.
//
// # Domain
//
// Sites (the current docs' sites, en and zh, and the seed's mainland
// generation, each marked; an unknown site is sent as given), DaStatus
// (IsFinal, IsSuccess, IsValidOperation, Mode), JSONResult (with 100 and
// 101), AccessWay and the daSubStatus tables (LookupSubStatus) are typed
// data. They stay in this package, not in a catalog package of their own
// (the house style keeps packages flat, and a host passes a Site or reads
// a DaStatus in the same calls it makes): they make most of this
// package's identifiers, so `go doc evidence.Client` is the list of the
// calls alone.
//
// # Errors
//
// An errorCode other than 0 is an *APIError (Operation, Code, Message,
// Metadata; ErrorCode.Retryable, KeyExpired, RetryParseLater, Final); an
// answer that is not the DECS document is an *HTTPError (both have
// HTTPStatusCode); bad input is a *ValidationError whose FieldErrors name
// every field, before anything is sent; a notification that does not
// verify is a *SignatureError matching ErrInvalidSignature (trust failures
// only; Header names DECSHASH or DECSSIGN); a verified one that
// does not decode is ErrMalformedNotification; a 2xx answer that is not
// the response document is ErrMalformedResponse.
//
// # When a signature fails
//
// A notification refused as not verified (the handler answers errorCode
// −1 "not verified", ParseNotification a *SignatureError) is, in
// development, nearly always a misconfiguration or a body changed on the
// way. The steps:
//
//  1. In a test or staging, build the verifier (or the Client) with
//     WithDiagnostics; never needed in production. errors.As the error to
//     *SignatureError and read Diagnosis(): the algorithm, the keys tried by
//     fingerprint (the appKey as its length and 4 bytes of its SHA-256),
//     the sorted JSON + "<appKey>" that was hashed with every value masked,
//     the fields, the variants tried and the likely causes.
//     NewNotificationHandler logs the diagnosis at Warn (WithLogger). The
//     error's text is the same with or without it, and nothing is accepted
//     because of it.
//  2. Check the captured request offline, with its headers (add
//     --key-file integrator_private.pem to check the key roles; --sign-only
//     checks DECSSIGN alone; evidence hash prints a body's DECSHASH).
//  3. Fix what the cause says (below).
//
// The commands of step 2:
//
//	bizapi evidence verify --in notify.http --secret-env EVIDENCE_APP_KEY --pub-file decs_notify_public.pem
//	bizapi evidence verify --sign-only --decshash 6CE5... --decssign 'LsMt...' --pub-file decs_notify_public.pem
//	bizapi evidence hash --in body.json --secret-env EVIDENCE_APP_KEY
//	bizapi keys inspect decs_notify_public.pem integrator_private.pem
//
// The cause codes and their fixes:
//
//   - re-encoded: the body checked is not the one hashed. When DECSSIGN
//     verifies, the DECSHASH header is the operator's, so the body was
//     changed on the way: pass the raw bytes as received to
//     ParseNotification, before any JSON decoding (a typed struct adds
//     empty members or drops unknown ones; a float64 or double layer
//     writes 10 as 10.0). Key order, spacing and escapes do not matter:
//     the body is hashed in sorted form. Otherwise compare the appKey's
//     fingerprint.
//   - plus-as-space: a '+' became a space (in DECSSIGN or the body): the
//     request was URL-decoded once more; read the header and body raw.
//   - reversed-key-role: the key given to WithNotifyPublicKey is the
//     public half of your own private key, or your key signed: give the
//     operator's notification key. The check needs your private key: a
//     Client's verifier (Client.NotificationVerifier) has it; a
//     NewNotificationVerifier has it only if given WithPrivateKey (in a
//     test: a receiver does not need it), else the diagnosis says the role
//     was not compared, and bizapi's --key-file compares it.
//   - field-case: DECSSIGN was made over the lowercase hex of DECSHASH (a
//     lowercase DECSHASH itself is accepted: it is compared without case).
//   - fields: the appKey suffix was left out of the hashed message,
//     DECSSIGN was made over the body instead of DECSHASH, or a header is
//     missing.
//   - truncated: DECSHASH is not 64 hex characters (cut short, or another
//     suite: WithSuite).
//   - none recognised: another appKey or notification key (compare the
//     fingerprints with bizapi keys inspect), or a forgery.
//
// DECS answers carry no signature (see Outcome unknown): the client has no
// answer check to diagnose. An answer's −50005 means the operator refused
// the request's DECSHASH: bizapi evidence hash shows the one to send.
//
// # Masking
//
// Requests and answers with personal data (openId, idNo, userName) or
// secrets (fileKey, PDF passwords, presigned URLs, the entry link) mask
// themselves in fmt and slog, as values and pointers.
//
// # Doc conflicts decided
//
//   - idNo: the en docs ask the integrator to "validate the legality of
//     the ID card number first" (−45030/−45031) but define no format; the
//     zh docs (2025-05) take any unique user identity, "可以和openid用相同字段",
//     for the newer regions. The client requires idNo and checks no
//     format (the service decides, and its −45031 is an *APIError).
//   - appKey: "The length of the appKey is 64 bytes" (en and zh 1.2.4):
//     WithApp refuses any other length; appId is 8 characters.
//   - The agreement upload is commented out of the zh docs (2025-05), yet
//     both languages make notifications depend on it and en documents it:
//     the client offers it, the example and fake require it.
//   - SSE-C header names: the code samples use x-amz- (2026-03), the sample
//     URL still signs x-cos-. The client uses the names the presigned URL
//     signs (q-header-list or X-Amz-SignedHeaders), x-cos- for a COS
//     signature that lists none, x-amz- otherwise. The docs' COS URLs
//     carry the whole signature escaped in one sign parameter
//     (?sign=q-sign-algorithm%3Dsha1%26…%26q-header-list%3Dhost%3Bx-cos-…);
//     the client reads it there and at the top level of the query. Two
//     signatures that disagree, a list naming both prefixes, a parameter
//     given twice, or a COS signature that does not parse are refused
//     before the key is sent: a guess would send it under names the URL
//     may not sign.
//   - Agreement content: the client sends base64(cipher(file bytes)), as
//     the docs' sample does (the seed's wording read as base64 first).
//   - The H5 entry sign is appended as is (the H5 example keeps + / =);
//     the miniapp ways get it URL-escaped, as the older miniapp docs did.
//   - Site names: en chrome-shopee-data and chrome-bpjs-data, zh
//     chrome-shopee-info and hwapp-bpjs-ynsb: all are in the catalogue,
//     each marked with its list.
//   - jsonResult 5: "parsing in progress" (main) vs "parsing failed when
//     daStatus is 10" (appendix): WaitFinal treats it as not final, so it
//     polls until the 20-minute window from the daId's issue time ends
//     (ErrPollWindowElapsed, with the last answer).
//   - Recon time: generated at 03:30 (main), fetch after 04:00 (zh h5):
//     GetReconFile refuses a day before 04:00 China time the next day.
//   - Parse fallback (14 days) vs retention (10 days): retention wins for
//     downloads; ErrorCode.RetryParseLater marks the codes to retry.
//   - bizNo length: 60 in start-vdi-x (checked), 128 in notifications
//     (accepted).
//   - Lengths without a unit are counted in characters; "(byte)" ones
//     (userClaim, attach) in UTF-8 bytes; openId's 128 is its plaintext.
//   - The en fallback text "daStatus=0 and authorizedTs>0" is read as 10.
//   - The en request example omits accessWay: the client sends "h5" when
//     it is empty.
//   - Key wrap: the docs use RSA PKCS#1 v1.5 only (the NodeJs note warns
//     against OAEP); that is the default. WithOAEP stays, as the design
//     card names it, for an operator that wraps with OAEP.
//   - accessWay: "Only "h5" is supported" (appendix). The client sends h5
//     when empty and any other value as given (the seed's ways stay as
//     constants); the service (and the fake) refuse them.
//   - daStatus table: the current appendix lists the VDI states only; the
//     seed's Beehive rows (4, 22, 50–62) stay, marked ModeBeehive. A
//     daStatus 9 (first stage, "only valid for specific data sources") is
//     not Downloadable: a host with such a source calls GetOriginalFiles on
//     its daStatus 9 notification itself.
//   - Repeated clicks (start-vdi-x "rapid repetitive clicks will cause
//     premature termination"): the client never resends a start that may
//     have arrived; guarding the button is the host's (the docs' five
//     steps), and a new attempt takes a new bizNo. The fake ends the
//     unopened earlier session (24) and refuses a user already in one
//     (−45027).
//   - Return pages: the H5 success/failure URLs are registered with the
//     operator, not sent in calls; CheckReturnPageURL checks the docs'
//     rules before registering. "should not include a question mark" next
//     to "queries are allowed" is read as: a query is allowed, of at most
//     12 bytes, without the reserved keys.
//   - Pre-launch checklist (appendix): mostly organizational (whitelists,
//     keys handed over, one full flow tested). The SDK offers
//     CheckCallbackURL and CheckReturnPageURL and no preflight call: the
//     only check of the key pair, update-aes-key, would rotate the app's
//     field key for every process.
//   - The start error codes name no "missing member" code: the fake uses
//     −45001 with the member's name, as an independent implementation of
//     the docs does.
//
// evidencetest is an in-process fake of the service, as strict as its
// docs, for tests.
package evidence
