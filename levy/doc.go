// Package levy is a client for the Olading (阿拉钉) freelancer tax-levy API
// (代征接口 v2.13): taxpayer sign-up, levy orders and their confirmation,
// queries, agreement, voucher, ID-card and liveness uploads, and the
// asynchronous notifications.
//
// # Usage
//
//	c, err := levy.NewClient(
//		levy.WithCredentials(clientKey, secret),
//		levy.WithBaseURL(levy.ProdBaseURL),
//		levy.WithHTTPClient(hc),
//		levy.WithLogger(logger),
//	)
//	...
//	profit := levy.Fen(123450) // 1,234.50 yuan
//	resp, err := c.CreateOrder(ctx, &levy.CreateOrderRequest{
//		RequestID: c.NewRequestID(), IDCard: "…", Name: "…", TaxAgentParentID: "12",
//		CreditCode: "…", Cellphone: "…", BankcardNo: "…", Profit: &profit, TaxMode: levy.TaxModeGeneral,
//	})
//
// Every call takes a *XxxRequest and returns a *XxxResponse whose Metadata
// holds the HTTP status, the headers and the request's own id. Every
// request is validated before it is sent; a *ValidationError lists every
// bad field by its wire name. Amounts are Amount (fen, printed "12.34"),
// never floats; times are Time (Beijing time); the spec's integer ids are
// ID in answers (a number, a string or "" on the wire, 20 digits). Every
// client needs a client key, whatever signs: WithCredentials, or
// WithClientKey with WithSigner and WithVerifier for a secret kept in a
// KMS.
//
// # Signing
//
// A request is a form POST of req (the JSON envelope {name, client_key,
// timestamp, data}, timestamp in Beijing time) and sign =
// base64(HMAC-SHA256(secret, req)), signed over exactly the bytes sent. The
// answer's Api-Sign header is verified over the raw body before anything is
// decoded, for error answers too. A wrong Api-Sign, or an envelope without
// one, is ErrInvalidSignature (its code and message are not reported:
// §1.2 "必须对对方的报文验证签名", and anyone on the path can write an
// envelope; for a call that changes state it is ErrOutcomeUnknown); a body that is not the envelope and carries
// no Api-Sign (a gateway's 502, an HTML page) is an *HTTPError.
// Verified JSON with a member twice, or in two cases, is refused, so the
// typed view is the signed text's. WithoutResponseVerification turns
// verification off (never in production). SYNC_SIGN, UPLOAD_ID_CARD_IMAGE and QUERY_ID_CARD_IMAGE go
// to /api/tax/v1, every other interface to /api/levy/v1.
//
// # Retries and ErrOutcomeUnknown
//
// Queries (QUERY_ORDER_V2, QUERY_SIGN_UP_BATCH, QUERY_ID_CARD_IMAGE) are
// retried after a transport error, a cut answer or a 5xx (WithRetries, 2 by
// default). Calls that change state are repeated only when the request
// provably never left (DNS, dial or TLS failure). They return a definite
// answer (a verified, fully decoded success, or a verified *APIError) or an
// *OutcomeUnknownError matching ErrOutcomeUnknown: a dropped connection, a
// cut answer, an unsigned or badly signed answer, a gateway page, a 200
// that does not decode, and a verified 0001 系统失败 (the provider failed,
// perhaps after acting; errors.As still finds the *APIError inside) all
// mean the provider may have acted. Its Key is
// what to reconcile by, and each call's doc says how: ReconcileOrder for
// CREATE_ORDER_V2, QueryIDCardImage for UPLOAD_ID_CARD_IMAGE, a repeat for
// SIGN_UP (idempotent by the spec's rule 2); ADD_BANK_VOUCHER and
// UPLOAD_FACEID_VIDEO_FRAME have no query. ReconcileOrder reports an order
// the provider does not know as ErrOrderNotFound (then CreateOrder may be
// sent again, with the same request_id) and anything else that is not the
// order, 0001 系统失败 included, as ErrOutcomeUnknown again.
//
// Answers carry no timestamp, so anyone on the path can replay an earlier
// signed answer. Every answer whose table carries the request's own id
// must name it: request_id, requestId, batch_no, order_id, or SIGN_UP's
// id_card. Another one (or none) is ErrMalformedResponse, inside
// ErrOutcomeUnknown for a call that changes state. §2.11's answer has no
// idCardNo and §2.6's details are not matched one by one: the requestId and
// batch_no, unique per merchant, bind those answers. ADD_BANK_VOUCHER's
// answer names only the order_id, the same for every voucher of one order:
// a replayed answer of an earlier voucher of that order reads the same.
//
// An answer and a notification share one envelope ({name, code, message,
// data}) and one secret, and neither carries a timestamp: a signed answer
// that someone on the path saw with its Api-Sign, posted later to the
// notification URL as req and sign, verifies as a notification of its
// name (a SYNC_SIGN answer's UN_SIGN after the notification's SIGN, say).
// The protocol cannot tell them apart. Apply a notification's status only
// as a step forward from what the host already holds for that request_id
// (a final status is never replaced by an earlier one).
//
// # Notifications
//
// The callback path is package levy/notify
// (github.com/bizapi-cn/go-sdk/levy/notify): a service that only receives
// notifications imports it alone, and links no HTTP client library. The
// names here are its under their old names (aliases and thin wrappers:
// NotificationVerifier is notify.Verifier, the notification, enum and
// value types and the trust errors are the same types and values), so
// code written against either package works with the other.
//
// A receiver needs only the client key and the secret:
// NewNotificationVerifier(WithCredentials(key, secret)) (or
// Client.NotificationVerifier). ParseNotification(ctx, v, header, body)
// verifies a notification's sign over the raw req in constant time and
// decodes its data by name (SYNC_SIGN, SIGN_UP, CREATE_ORDER_V2,
// UPLOAD_TAXPAYER_AGREEMENT, UPLOAD_ID_CARD_IMAGE, CLOSE_ORDER_NOTICE; an
// unknown name keeps its raw data), from any web framework.
// NewNotificationHandler answers SUCCESS only after the host's
// NotificationFunc returned nil; duplicate and concurrent deliveries of
// the same bytes reach it once (in memory by default, WithDedupStore for a
// shared store.Dedup, WithoutDedup to turn it off). Notification.IdempotencyKey is the name and
// the SHA-256 of the signed req, so the two CLOSE_ORDER_NOTICEs of an order
// split across locations are two notifications. Bodies are limited to
// DefaultMaxNotificationBytes (WithMaxBodyBytes) and read within
// WithReadTimeout.
//
// The deduplication has two limits. First, the key is a hash of the exact
// verified bytes: a redelivery the provider serialises anew (another
// member order or spacing, an id as a number where it was a string) is a
// new notification to the store and reaches the function again. For
// effects applied exactly once, key the host's own writes on the
// notification's business ids: request_id and status (CREATE_ORDER_V2,
// SYNC_SIGN, UPLOAD_TAXPAYER_AGREEMENT with contract_id, UPLOAD_ID_CARD_IMAGE's
// requestId), request_id, tax_agent_location_id and remit_status
// (CLOSE_ORDER_NOTICE), id_card and status (SIGN_UP), for example by a
// unique constraint in the transaction that records the effect (written so
// that it cannot fail: see sqlstore.TxDedup). Second, a
// claim lasts the store's lease (store.DefaultLease, 5 minutes, for the
// in-memory default; redisstore's and sqlstore's defaults are the same):
// a function still running when the lease runs out can run again, in
// parallel, for a redelivery. The function must finish within the lease
// (give its work a shorter deadline), or the handler needs a store with a
// longer lease through WithDedupStore (store.NewMemoryDedup(store.WithLease(d)),
// redisstore.WithLease, sqlstore.WithLease; sqlstore.TxDedup holds a row
// lock instead of a lease).
//
// A notification reports a failure two ways, and Notification.Failed
// reads both: a code other than "0" (§1.1.3: "0 表示成功，其他表示失败"),
// whatever its data says (the spec does not say which notifications carry
// one; the real-name check's 1010 信息鉴权未通过 is the likely one, and a
// failure may come without data), or a failed result with code "0":
// UN_SIGN (SYNC_SIGN, SIGN_UP; §3.5), FAIL (UPLOAD_TAXPAYER_AGREEMENT;
// §3.6), IDENTIFY_FAIL, NULL, UN_IDENTIFY (UPLOAD_ID_CARD_IMAGE; §3.8), an
// order closed without remit orders (CREATE_ORDER_V2; §3.2). Each data
// type has Failed and its success (Signed, Uploaded, Identified,
// Created); a status its appendix does not list (a sign status "FAIL") is
// never a success. Succeeded is !Failed, not "done": ACCEPT is pending.
// A SYNC_SIGN not signed within 24 hours is not notified at all (R4):
// query QUERY_SIGN_UP_BATCH.
//
// # Request ids
//
// The merchant keeps every request id unique ("请求流水号，由商户保持唯一";
// batch_no "请求批次号, 由商户保持唯一"): request_id, requestId and
// batch_no are the host's, one per call, per interface (QUERY_ORDER_V2's
// request_id is the order's, looked up). The client repeats a call that
// changes state only when the request provably never left; a query it
// repeats after a lost answer, with the same id and data (the spec does not say whether the service
// answers that again; levytest does, and refuses a used id with other
// data).
//
// # Decided readings
//
// "二选一" (credit_code or customer_id, profit or pay_amount) is read as
// exactly one: sending both leaves which one counts to the service. A
// remit order's CLOSE means "tax paid" after CONFIRM CONTINUE (§2.5) and
// "cancelled" after CANCEL or 72 hours unconfirmed (§3.3, CLOSE_ORDER_NOTICE);
// no field tells them apart, so RemitOrder.Paid and Cancelled take the
// step the host confirmed. The spec gives no code for an order
// QUERY_ORDER_V2 does not know (§3.1 lists 0001 系统失败, 0002 参数不完整,
// 0003, 1009, 1010): 0002 to a query the client validated can refuse only
// the request_id's value, so it is read as "no such order"
// (ErrOrderNotFound), as levytest answers. The resend keeps the
// request_id, so that a provider that has the order after all can
// recognise it (levytest refuses a used request_id): an error answer
// carries no request_id, so a replayed 0002 of another query cannot be
// told from this one's, and the used request_id is what makes the resend
// safe all the same.
//
// # Limits
//
// The spec's "MB" is read as MiB (2²⁰ bytes) of the file itself, before
// base64: the larger reading, so a file the service accepts is never
// refused here (a gateway limit on the base64 body, 4/3 larger, is the
// service's own). The spec sets no size for ADD_BANK_VOUCHER, so none is
// enforced. The spec names no image format for UPLOAD_ID_CARD_IMAGE (its
// sample reads a .png): JPEG, PNG and BMP are accepted; a liveness video
// is MP4, AVI or FLV and a frame JPEG, as §2.12 says. ID cards have 15 or
// 18 characters (ValidIDCardChecksum checks
// an 18-character one's GB 11643 check digit). A PDF is recognised as PDF
// readers do: "%PDF-" within the first 1,024 bytes. Uploads are read
// twice and streamed with a Content-Length (some gateways refuse chunked
// forms): the first pass computes the signature and the length, the second
// sends; the file, its base64 and the JSON are never in memory at once
// (peak heap about 0.04 of the file). A custom Signer that implements
// StreamSigner signs uploads through a hash the same way; a plain Signer
// gets the whole req (about 4/3 of the files) in memory, since Sign takes
// the message in one piece.
//
// # Transport
//
// Every call goes through a resty client: by default one the SDK builds
// over a process-wide transport (64 connections per host; see
// WithMaxConnsPerHost), over the host's *http.Client with
// WithHTTPClient, or the host's own with WithRestyClient. Redirects are
// never followed on a client the SDK builds. Uploads are the one
// exception: resty v2 reads a body it cannot rewind whole into memory
// before sending it, so an upload's streamed body goes to the resty
// client's *http.Client directly (same transport, proxy, TLS, redirect
// policy and client headers, without resty's middlewares and hooks),
// and is never held whole.
//
// # Wire names
//
// The seed's PDF extraction broke some names; the SDK sends
// tax_agent_parent_id (seed: "tax_agent_pare nt_id", "tax_agent_paren_t_id"),
// tax_agent_location_id ("tax_agent_loc ation_id") and the interface name
// UPLOAD_TAXPAYER_AGREEMENT ("UPLOAD_TAXPAYER AGREEMENT"), each defined
// once in enums.go as an Operation. limit_2 is sent as "T" when the Limit2
// field is set. The ID-image and liveness interfaces use camelCase names
// (requestId, idCardNo) as the seed does.
//
// # When a signature fails
//
// A wrong Api-Sign or notification sign is a *SignatureError (errors.Is
// ErrInvalidSignature); for a call that changes state it is inside an
// *OutcomeUnknownError, and errors.As finds it there. Its text says only
// which check failed. To find out why, in a test or staging:
//
// Step 1: build the client, or the notification verifier, with
// WithDiagnostics. It is off by default: the diagnosis tries a bounded
// number of variants of an unauthenticated message, work a production
// receiver should not do for every forged request. A host's own Verifier
// (WithVerifier) is used for the variants too.
//
//	c, err := levy.NewClient(levy.WithCredentials(key, secret), levy.WithBaseURL(levy.TestBaseURL), levy.WithDiagnostics())
//	v, err := levy.NewNotificationVerifier(levy.WithCredentials(key, secret), levy.WithDiagnostics())
//
// Step 2: read the diagnosis. Its String is labelled lines, safe to log:
// every value is masked, the secret shows as its length and 4 bytes of its
// SHA-256. Algorithm says what was checked, KeysTried which secret,
// SignedForm and Fields the message as checked, Tried the variants that did
// not verify, Causes what was recognised. A diagnosis never makes a message
// verify.
//
//	var se *levy.SignatureError
//	if errors.As(err, &se) {
//		if d, ok := se.Diagnosis(); ok {
//			log.Print(d)
//		}
//	}
//
// Step 3: act on the cause.
//   - CauseReencoded: the bytes checked are not the bytes signed: a
//     framework or a proxy decoded the JSON and wrote it again (sorted keys,
//     \u003c escapes, other spacing). Pass the raw body, or req, exactly as
//     received.
//   - CausePlusSpace: '+' became ' ' in sign or req: the form was
//     URL-decoded twice, or ParseNotification was given a body already
//     decoded. Pass the raw request body.
//   - CauseWhitespace: a line ending or spaces were added around the body
//     when it was passed on or saved.
//   - CauseEncoding: the signature is hex, not base64.
//   - CauseFieldOrder: the envelope's members are sorted, as after a
//     decode into a map; the bytes signed had them in the spec's order.
//   - No cause ("none recognised"): the secret is not the one the sender
//     used, or the message is not the one signed. Compare the fingerprint in
//     KeysTried with the one bizapi prints for the secret the provider
//     issued (step 4).
//
// Step 4: check a capture offline with the bizapi tool (cmd/bizapi), which
// prints the same fingerprint and causes. An answer, captured with its
// headers, or its bare body and Api-Sign:
//
//	curl -si … > answer.http
//	bizapi levy verify --in answer.http --secret-env LEVY_SECRET
//	bizapi levy verify --in body.json --api-sign 'Q4W3...X6z8=' --secret-env LEVY_SECRET
//
// A notification (the req=…&sign=… form, or the captured POST):
//
//	bizapi levy verify --in notice.txt --secret-env LEVY_SECRET
//
// Your own request, when the provider answers 0003 (ErrSignatureRejected):
// a sign that matches what you sent while the provider rejects it means
// another secret (compare the "secret" fingerprint).
//
//	bizapi levy sign --in req.json --secret-env LEVY_SECRET
//	bizapi levy sign --in data.json --name CREATE_ORDER_V2 --client dawjoj12d123faiw \
//		--timestamp 2022-06-30T09:00:00.123 --secret-env LEVY_SECRET
//
// --secret-file reads the secret from a file instead of the environment;
// --reveal shows personal values in full (keep that output private).
//
// # Errors
//
// The family every module shares: *APIError (a verified code other than
// "0"; errors.Is matches ErrSignatureRejected for 0003, ErrQuotaExceeded
// for 1009, ErrAuthenticationFailed for 1010, ErrOrderNotFound for
// QUERY_ORDER_V2's 0002), *HTTPError (not the
// provider's envelope; HTTPStatusCode on both), *ValidationError with
// FieldError, *OutcomeUnknownError (ErrOutcomeUnknown), ErrInvalidSignature
// (trust failures only; a *SignatureError, with a Diagnosis under
// WithDiagnostics), ErrMalformedResponse and ErrMalformedNotification.
// Error strings never contain the secret, signatures or personal data;
// every type that carries personal data masks it in fmt (%v, %+v, %s) and
// slog, as a value or a pointer.
package levy
