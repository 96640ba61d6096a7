// Package notify receives the asynchronous notifications of the Olading
// (阿拉钉) freelancer tax-levy API: it verifies a notification's sign over
// the raw req in constant time, before anything is decoded, and decodes
// its data by name (SYNC_SIGN, SIGN_UP, CREATE_ORDER_V2,
// UPLOAD_TAXPAYER_AGREEMENT, UPLOAD_ID_CARD_IMAGE, CLOSE_ORDER_NOTICE; an
// unknown name keeps its raw data).
//
// A service that only receives notifications imports this package alone:
// it links no HTTP client library (neither resty nor golang.org/x/net),
// only the standard library, the SDK's store contracts and its internal
// signing and masking code. A service that also calls the API uses
// package levy, whose callback names are this package's under their old
// names: levy.NotificationVerifier is Verifier, levy.Notification is
// Notification (and every data type, enum and value type they hold is the
// same type), levy.ParseNotification is Parse, levy.NewNotificationHandler
// is NewHandler, and levy.ErrInvalidSignature, levy.SignatureError and the
// cause codes are this package's values and types, so errors.Is and
// errors.As match an error of either package, a levy.Client's included.
// levy.Client.NotificationVerifier returns a Verifier with the client's
// key, secret or Verifier, and logger.
//
// # Usage
//
// A receiver needs only the client key and the secret:
//
//	v, err := notify.NewVerifier(notify.WithCredentials(clientKey, secret))
//	...
//	h, err := notify.NewHandler(v, func(ctx context.Context, n *notify.Notification) error {
//		if o, ok := n.Data.(*notify.OrderNotification); ok && o.Created() {
//			// confirm each remit order within 72 hours
//		}
//		return nil // only once durably handled: then the provider hears SUCCESS
//	}, notify.WithDedupStore(shared))
//	mux.Handle("/levy/notify", h)
//
// NewHandler answers SUCCESS only after the host's NotificationFunc returned nil;
// duplicate and concurrent deliveries of the same bytes reach it once (in
// memory by default, WithDedupStore for a shared store.Dedup, WithoutDedup
// to turn it off). Notification.IdempotencyKey is the name and the SHA-256
// of the signed req. The deduplication has two limits (NewHandler says
// more): a redelivery the provider serialises anew has another key and
// reaches the function again, so the host keys its own writes on the
// notification's business ids (request_id, id_card, and the status) for
// effects applied exactly once; and a claim lasts the store's lease
// (store.DefaultLease, 5 minutes), so the function must finish within it,
// or the store needs a longer lease (store.WithLease, redisstore.WithLease,
// sqlstore.WithLease), or a redelivery can run it a second time in
// parallel. Bodies are limited to DefaultMaxBodyBytes (WithMaxBodyBytes) and
// read within WithReadTimeout. Parse(ctx, v, header, body) is the same
// check and decoding for any other web framework.
//
// A notification reports a failure two ways, and Notification.Failed
// reads both: a code other than "0", whatever its data says (a failure
// may come without data), or a failed result with code "0" (UN_SIGN,
// FAIL, IDENTIFY_FAIL, NULL, UN_IDENTIFY, an order closed without remit
// orders). Each data type has Failed and its success (Signed, Uploaded,
// Identified, Created); a status its appendix does not list is never a
// success.
//
// # Errors
//
// A missing or wrong sign is a *SignatureError (errors.Is
// ErrInvalidSignature), with a Diagnosis under WithDiagnostics; the levy
// package doc's "When a signature fails" says how to read one. Any other
// request refused is ErrMalformedNotification. Error strings start with
// "levy: ", as the client's do, and never hold the secret, a signature or
// personal data; the data types that carry personal data mask it in fmt
// and slog.
package notify
