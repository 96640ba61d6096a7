package evidence

import "github.com/bizapi-cn/go-sdk/evidence/notify"

// WithDiagnostics makes a failed DECSHASH or DECSSIGN check carry a
// diagnosis (SignatureError.Diagnosis): what took part and the likely
// cause. It is accepted by NewClient and NewNotificationVerifier (the
// Client's own verifier inherits it). Off by default: the diagnosis tries
// variants of the notification (a fixed number, each linear in the body,
// which the body limit bounds), and that is work on unauthenticated input,
// for a developer finding a misconfiguration (in a test or staging), not
// for every forged request. It never makes a notification verify, and it
// holds no secret and no value of the body: every value is masked, keys
// are named by fingerprint. With it, NewNotificationHandler logs the
// diagnosis of a refused notification at Warn level (WithLogger).
//
// DECS answers carry no signature (their integrity is TLS's): there is
// nothing to diagnose in them.
func WithDiagnostics() Option {
	return func(c *config) error { c.Diagnostics = true; return nil }
}

// CauseCode is notify.CauseCode; see there.
type CauseCode = notify.CauseCode

// Cause codes (the same as the bizapi tool's): notify's; see there.
const (
	CauseReencoded   = notify.CauseReencoded
	CausePlusSpace   = notify.CausePlusSpace
	CauseReversedKey = notify.CauseReversedKey
	CauseFieldOrder  = notify.CauseFieldOrder
	CauseFieldCase   = notify.CauseFieldCase
	CauseEncoding    = notify.CauseEncoding
	CauseWhitespace  = notify.CauseWhitespace
	CauseFields      = notify.CauseFields
	CauseKey         = notify.CauseKey
	CauseTruncated   = notify.CauseTruncated
)

// Cause is notify.Cause; see there.
type Cause = notify.Cause

// Diagnosis is notify.Diagnosis; see there.
type Diagnosis = notify.Diagnosis

// SignatureError is notify.SignatureError; see there.
type SignatureError = notify.SignatureError
