// Package notify receives the Allinpay OATS asynchronous notifications
// (§1.5.2.6): it verifies them (SHA256withRSA with the platform's public
// key or keys), binds them to one merchant, decodes them and serves the
// notifyUrl. A service that only receives notifications imports this
// package alone: it holds no private key and links no HTTP client library
// (neither resty nor golang.org/x/net), only net/http's server side.
//
// It is the callback half of package allinpay, with the same types: the
// root names are aliases of these (allinpay.Notification is
// notify.Notification, allinpay.NotificationVerifier is notify.Verifier,
// allinpay.ErrInvalidSignature is notify.ErrInvalidSignature,
// allinpay.SignatureError is notify.SignatureError, allinpay.TransType is
// notify.TransType, ...), so values and errors.Is / errors.As cross the
// two freely, and a Client's NotificationVerifier is a *Verifier.
//
// # Usage
//
//	v, err := notify.NewVerifier(
//		notify.WithMerchant(accessCode, mchNo),
//		notify.WithPlatformPublicKeys(platformPublicKeyPEM),
//	)
//	...
//	h, err := notify.NewHandler(v, func(ctx context.Context, n *notify.Notification) error {
//		if n.Succeeded() {
//			return markPaid(ctx, n.OutTransNo, n.TransAmount) // idempotent by outTransNo
//		}
//		return nil
//	})
//	http.Handle("/allinpay/notify", h)
//
// Parse(ctx, v, header, body) verifies a raw body from any web framework;
// NewHandler(v, fn, opts...) is the http.Handler, answering SUCCESS only
// after fn returned nil (FAIL otherwise, so the platform retries).
//
// # What is checked
//
// Junk is refused in linear time before any signature work: a content type
// that is not a form, more than 100 fields, invalid UTF-8, a field sent
// twice, two names differing only in case, and a field set that is
// ambiguous under the canonical k=v&k=v form (a value holding '&' followed
// later by '=') cost no RSA operation (ErrMalformedNotification). The
// signature is then checked over every received non-empty field except
// signature, unknown fields included, before anything is decoded; a failure
// is a *SignatureError (errors.Is(err, ErrInvalidSignature)). The fields
// §1.5.2.6 marks M are required, and the notification must be for the
// verifier's mchNo and accessCode: the platform key is the same for every
// merchant. A payTime in another shape is kept in PayTime.Raw rather than
// refused forever.
//
// Notification.Kind tells payments from refunds, voids and closes;
// Succeeded is true only for a successful payment, Done for any kind.
// IdempotencyKey is the kind plus a SHA-256 of the verified canonical
// string. The handler deduplicates by it in memory by default
// (WithDedupStore for a shared store.Dedup, WithoutDedup to turn it off),
// bounds the body (WithMaxBodyBytes, DefaultMaxBodyBytes) and its read
// time (WithReadTimeout, 10 s).
//
// When a signature fails, WithDiagnostics (in a test or in staging) makes
// the *SignatureError carry a Diagnosis; package allinpay's doc, "When a
// signature fails", explains each cause and its fix.
package notify
