package notify

import "errors"

// ErrInvalidSignature reports a notification whose DECSHASH or DECSSIGN
// does not verify: a trust failure, never a transport one.
var ErrInvalidSignature = errors.New("evidence: invalid signature")

// ErrMalformedNotification reports a verified body that is not
// {func, v, data} with the documented types.
var ErrMalformedNotification = errors.New("evidence: malformed notification")
