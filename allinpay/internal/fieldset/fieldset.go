// Package fieldset is the part of the OATS protocol that package allinpay
// (answers and bills) and package allinpay/notify (notifications) share:
// the received field set's checks (members differing only in case, sets
// ambiguous under the canonical form), its signature check and the
// diagnosis of a failed one, the verification settings both take as
// options (Config), and the decoding of typed values by exact name. Only
// those two packages import it, and no public API names its types.
//
// The seam: a failed check is a *notify.SignatureError, whose fields are
// unexported. Package notify sets NewSignatureError in its init function,
// and this package (and allinpay, for a bill) builds every SignatureError
// through it. allinpay imports notify, so the hook is set before any code
// of either runs.
package fieldset

import (
	"errors"
	"fmt"

	"github.com/bizapi-cn/go-sdk/internal/diag"
)

// NewSignatureError returns a *notify.SignatureError of the operation op
// (a TransType; "" for a notification), with reason appended to its text
// when not empty and the diagnosis r (nil without WithDiagnostics). It is
// set by package notify's init function.
var NewSignatureError func(op, reason string, r *diag.Report) error

// Apply runs every option on cfg and reports all their errors at once,
// prefixed "allinpay: " (a nil option is "nil Option").
func Apply[C any, O ~func(*C) error](cfg *C, opts []O) error {
	var errs []error
	for _, o := range opts {
		if o == nil {
			errs = append(errs, errors.New("nil Option"))
			continue
		}
		if err := o(cfg); err != nil {
			errs = append(errs, err)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("allinpay: %w", err)
	}
	return nil
}
