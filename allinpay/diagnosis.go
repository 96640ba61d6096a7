package allinpay

import (
	"crypto/rsa"

	"github.com/bizapi-cn/go-sdk/allinpay/internal/fieldset"
	"github.com/bizapi-cn/go-sdk/allinpay/notify"
)

// SignatureError is notify.SignatureError; see there. A Client's answers
// and bills fail with it too (Operation names the call).
type SignatureError = notify.SignatureError

// Diagnosis is notify.Diagnosis; see there.
type Diagnosis = notify.Diagnosis

// Cause is notify.Cause; see there.
type Cause = notify.Cause

// CauseCode is notify.CauseCode; see there.
type CauseCode = notify.CauseCode

// The cause codes: see notify.
const (
	CauseReencoded   CauseCode = notify.CauseReencoded
	CausePlusSpace   CauseCode = notify.CausePlusSpace
	CauseReversedKey CauseCode = notify.CauseReversedKey
	CauseFieldOrder  CauseCode = notify.CauseFieldOrder
	CauseFieldCase   CauseCode = notify.CauseFieldCase
	CauseEncoding    CauseCode = notify.CauseEncoding
	CauseWhitespace  CauseCode = notify.CauseWhitespace
	CauseFields      CauseCode = notify.CauseFields
	CauseKey         CauseCode = notify.CauseKey
	CauseTruncated   CauseCode = notify.CauseTruncated
)

// diagnoser diagnoses the failed checks of the client's answers and
// bills; nil without WithDiagnostics.
func (cfg *config) diagnoser() *fieldset.Diagnoser { return cfg.trust.Diagnoser(cfg.ownPublicKey()) }

// ownPublicKey is the merchant's public key from WithPrivateKey (nil
// without it).
func (cfg *config) ownPublicKey() *rsa.PublicKey {
	if cfg.priv == nil {
		return nil
	}
	return &cfg.priv.PublicKey
}
