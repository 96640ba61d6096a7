package levy

import (
	"context"

	"github.com/bizapi-cn/go-sdk/internal/diag"
	"github.com/bizapi-cn/go-sdk/levy/internal/trust"
	"github.com/bizapi-cn/go-sdk/levy/notify"
)

// SignatureError is notify.SignatureError; see there.
type SignatureError = notify.SignatureError

// Diagnosis is notify.Diagnosis; see there.
type Diagnosis = notify.Diagnosis

// Cause is notify.Cause; see there.
type Cause = notify.Cause

// CauseCode is notify.CauseCode; see there.
type CauseCode = notify.CauseCode

// Cause codes: notify's; see there.
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

// signatureError is the *SignatureError of an answer of op whose Api-Sign
// (hdr) failed over raw, with the diagnosis under WithDiagnostics.
func (c *Client) signatureError(ctx context.Context, op Operation, status int, raw []byte, hdr string) error {
	r := c.diag.Run(ctx, "the raw answer body (Api-Sign)", raw, hdr, diag.LevyAnswerOrder, nil)
	return trust.NewSignatureError(string(op), status, r)
}
