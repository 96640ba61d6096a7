// Package notify receives DECS notifications: it verifies them (DECSSIGN,
// then DECSHASH, over the raw bytes), decodes them into typed values and
// serves them as an http.Handler that acknowledges only what the host
// handled. A service that only receives notifications imports this package
// alone: it links no HTTP client library (no resty, no golang.org/x/net)
// and needs neither the integrator's private key nor the API host.
//
// It is the callback path of package evidence (the client), not a copy:
// evidence.Notification, evidence.NotificationVerifier,
// evidence.SignatureError, evidence.Site, evidence.DaStatus,
// evidence.RemoteFile and the other names the two packages share are
// aliases of the types here, and evidence.ErrInvalidSignature is the same
// value as ErrInvalidSignature, so errors.Is and errors.As work across
// both. The client's NewNotificationVerifier, ParseNotification and
// NewNotificationHandler are NewVerifier, Parse and NewHandler under the
// client's options; a Client's own verifier (Client.NotificationVerifier)
// is a *Verifier too.
//
// # Usage
//
// A receiver needs only NewVerifier(WithApp, WithNotifyPublicKey): never
// the private key. Several notify keys may be given, so a rotation needs
// no restart at a precise moment; a missing key fails at construction.
// Parse(ctx, v, header, body) works from any web framework; NewHandler
// answers exactly {"errorCode":0,"errorMessage":"OK"} only after the
// host's NotificationFunc returned nil, deduplicating in memory by default
// (WithDedupStore, WithoutDedup, WithMaxBodyBytes, WithReadTimeout).
// IdempotencyKey is the func plus a SHA-256 of the verified data member in
// canonical form.
//
// The docs ask for a fast acknowledgement (a slow answer is resent): let
// the NotificationFunc enqueue the notification durably (a queue, an
// outbox table) and return; process it from there.
//
// # Verification
//
// Unauthenticated bytes get bounded, linear work: DECSSIGN is checked
// first, over the DECSHASH header alone; then the HMAC over the raw body;
// only a body that is not already the sorted form the operator hashed is
// canonicalized (one scan) and hashed again. Nothing is decoded before it
// verified.
//
// DECSSIGN is verified by default. The docs call its check optional for
// integrators who were not given the key: WithInsecureNotificationHashOnly
// accepts DECSHASH alone, which anyone holding the appKey can forge.
// SuiteSM (WithSuite) hashes with HMAC-SM3, so this package links the
// national crypto library (SM3) but no HTTP client.
//
// # Errors
//
// A notification that does not verify is a *SignatureError matching
// ErrInvalidSignature (Header names DECSHASH or DECSSIGN); a verified one
// that does not decode is ErrMalformedNotification, and so is verified
// JSON with a member twice, or two whose names differ only in case (under
// the simple folding encoding/json matches names with: "s" and "ſ"), at
// any depth, so the typed view is the signed text's; a body not sent as
// JSON is ErrContentType. The error texts start "evidence: ", as the
// module's do. For a signature that fails in development, build the
// verifier WithDiagnostics and read SignatureError.Diagnosis: package
// evidence's doc, "When a signature fails", gives the steps and the
// causes.
//
// # Domain
//
// The types a notification carries are here with their methods: Site and
// its catalogue (Sites, Site.Info), DaStatus, JSONResult, the daSubStatus
// tables (LookupSubStatus, Notification.SubStatus), RemoteFile and
// ClassifyFile. The client downloads a RemoteFile (evidence.Client.Open,
// Download).
package notify
