// Package allinpay is a client for the Allinpay International OATS QR
// payment API (consumeTrans and downloadbill, interface V1.0): payments of
// every WeChat Pay, Alipay, UnionPay and PayNow product, order queries,
// refunds, voids, closing an order, the asynchronous notifications and the
// daily reconciliation file.
//
// # Usage
//
//	c, err := allinpay.NewClient(
//		allinpay.WithMerchant(accessCode, mchNo),
//		allinpay.WithKeys(merchantPrivateKeyPEM, platformPublicKeyPEM),
//		allinpay.WithBaseURL(allinpay.ProdBaseURL),
//	)
//	...
//	resp, err := c.Pay(ctx, &allinpay.PayRequest{
//		TransType: allinpay.TransTypeAlipayScancode, OutTransNo: allinpay.NewOutTransNo(),
//		TransAmount: 1050, Currency: allinpay.CurrencyHKD, NotifyURL: notifyURL,
//	})
//	// resp.CodeURL is the QR content; resp.Processing() until the customer pays.
//
// Every call takes a context and a *XxxRequest and returns a *XxxResponse
// (Pay, QueryOrder, Refund, Void, CloseOrder, DownloadBill). Requests are
// validated before anything is sent: a *ValidationError names every bad
// field by its wire name, lengths counted in bytes with a Chinese character
// as 2. Amounts are Amount, minor units of the currency (1050 is HKD 10.50),
// in requests, responses, notifications and bills alike; times are Time
// (UTC+8, with the raw text kept). requestNo is generated when a request
// leaves it empty (WithRequestNoFunc to choose); every response and error
// carries Metadata with the HTTP status, the headers and that requestNo.
//
// # Field classes and lengths
//
// Validate checks every field against its table row (§1.5.2.x): the
// length in bytes (§1.5.1.3, a Chinese character as 2) and the class of
// §1.5.1.2, read as follows, because the spec's own values do not fit a
// literal reading:
//
//   - AN ("alphabet and/or number"): ASCII letters, digits, '_' and '-'.
//     The appendix's transType values (AN 20) carry '_' ("WXPAY_SCANCODE"),
//     the signing sample's limitPay (AN 20) is "creditCard" and WeChat's is
//     "no_credit", and WeChat's openid (openId AN) carries '-' and '_'.
//     Checked for requestNo (every call, WithRequestNoFunc's included), the
//     payment's outTransNo, storeId, limitPay, openId, subAppid,
//     paymentInstitution and the access code.
//   - AS ("alphabet and/or special signal"; the tables use it for mchNo,
//     whose values are digits, so digits are in): printable ASCII without
//     space, '&' or '=' (an answer echoing '&…=' is refused as ambiguous, so
//     such a number could never be confirmed). Checked for mchNo (AN 20 in
//     §1.5.2.1, AS30 in every other table: the SDK takes AS30), the
//     refund's, void's and close's outTransNo, every oriOutTransNo, version.
//   - ANS: printable text, Chinese included, without control characters,
//     valid UTF-8. Checked for authCode, terminalIp, supplier, appenv,
//     tradeInformation (its JSON), the URLs, goodsSubject, goodsDetail (AN
//     in the table, but its example "kids clothing" holds a space) and
//     refundReson (AS 256 in the table, read as text: a reason).
//     notifyUrl is AS256 in §1.5.2.3-5 and ANS in §1.5.2.1; the SDK takes
//     ANS for all, so that a query string stays possible.
//   - N: the amounts (N12, refunds included), expireTime (N 10), billDate (N8).
//
// The seed cuts some lengths after their first digit. Where the same
// field appears whole elsewhere, that length is used (notifyUrl "ANSx2…"
// is AS256 in §1.5.2.3-5, so "x2…" reads 256); otherwise the reading that
// refuses no value the platform could take, at the tables' usual sizes:
// authCode "ANSx1…" 128 (codes are 18 to 24 digits), terminalIp "ANSx2…"
// 256 (an IPv6 address exceeds 20), returnUrl and referUrl "ANSx 2…" 256,
// openId "ANx25…" 256, goodsDetail "ANx10…" 1000, supplier "ANSx 1…" 128,
// appenv "ANSx5…" 512, tradeInformation "ANSx6…" 600 (the row's own
// example is over 64 bytes). goodsSubject, missing from the seed's table
// (the public clients send it), is capped at 128. The access code is "AN
// 20" although the text says 8 digits: the signing sample's has 12.
// TradeInformation.BusinessType takes several types separated by '|' (the
// VAR class of §1.5.1.2: "'|' is used as division in data element"; the
// seed's example lost the character). limitPay is free AN 20 text, only for
// WeChat Pay and Alipay as the row says: the spec lists no values.
// Received answers, notifications and bills are not held to the classes
// or lengths: a verified value is kept as the platform sent it.
//
// # Signing
//
// A request is a form POST. Its signature is SHA256withRSA (RSA2) by the
// merchant's 2048-bit key over the canonical string: every non-empty field
// but signature, sorted by name, joined as k=v&k=v with raw values. An
// answer (JSON) and a notification (form) are verified over exactly the
// field set received, unknown fields included, before anything is decoded;
// the typed values are then read from that verified set by exact name.
// Three things make a field set refused even when its signature verifies,
// because what the host reads could differ from what the platform signed:
// a value holding '&' followed later by '=' (or a name holding '=' or '&'),
// which lets k=v&k=v split another way ("transNo":"T1&transType=X" signs
// like two fields; an answer's codeUrl or payInfo may carry a query string,
// unless one of its names sorts between the field's and the answer's next
// signed name, where it could be a field of its own); two members whose names differ only in case (an empty
// "RESULTCODE" is outside the signature); and a field sent twice. An answer
// must echo the request's requestNo, mchNo, transType and outTransNo when
// it carries them, a refusal as much as a success; and a refusal is the
// definite answer of a payment, refund, void or close only when it is
// signed and names the request (its requestNo and mchNo, which every
// response table marks M): the platform key is the same for every
// merchant, so a signed refusal of another request proves nothing about
// this one. returnCode 0000 only says the message was communicated:
// an answer without resultCode is ErrMalformedResponse.
//
// WithPlatformPublicKeys takes several platform keys (a rotation needs no
// restart at a precise moment); WithSigner and WithVerifier plug in a KMS.
// WithoutResponseVerification turns answer verification off (never in
// production; notifications are always verified).
//
// # Retries and ErrOutcomeUnknown
//
// Pay, Refund, Void and CloseOrder change state. They are sent again only
// when the request provably never left (a refused connection, a failed TLS
// handshake). Anything short of a verified, fully decoded, definite answer
// is an *OutcomeUnknownError matching ErrOutcomeUnknown: no answer, a cut
// answer, a gateway 5xx or HTML page (*HTTPError inside), an unsigned
// failure (the platform does not sign every failure, so it cannot be
// trusted as a refusal), a bad signature, an answer that does not decode,
// and the result codes 9999 and 0040. Its Key is the outTransNo the call was
// sent with (for CloseOrder, the original order's: a close is no order of its
// own); Client.Reconcile(ctx, err) queries it. 0022 (the order is
// recurrent) and 0074 (the order is paid) are *APIError whose Meaning is
// MeaningQueryOrder; 9996 is MeaningRetryLater.
//
// # WaitFinal and the 10-second rule
//
// The spec (§1.5.2.2) asks for at least 10 seconds between two queries of
// one order. QueryOrder is therefore not retried after a lost answer or a
// 5xx (only when it never left); WaitFinal(ctx, req, interval) queries at
// once and then every max(interval, MinQueryInterval) until the result is
// final (not P000, 9997 or 0051), a verified refusal arrives, or ctx ends;
// transient failures in between are waited out. 0033 and 0034 (an earlier
// void or refund of the original still processing) are the refusals the
// spec lists them as (§1.7.2 "Fail"), from every call and from WaitFinal:
// the request they answer was not taken (waiting them out would wait for
// ever on a refund the platform refused). Its pacing holds
// across calls of one client: a second WaitFinal right after the first
// waits out the 10 s. QueryPacer offers the same to a caller's own loop. DownloadBill is
// retried WithRetries times (2) with backoff.
//
// # Notifications
//
// A receiver needs no private key: NewNotificationVerifier(WithMerchant,
// WithPlatformPublicKeys) (or Client.NotificationVerifier). ParseNotification
// (ctx, v, header, body) verifies a raw body from any web framework;
// NewNotificationHandler(v, fn, opts...) is the http.Handler for notifyUrl,
// answering SUCCESS only after fn returned nil. The platform key is the same
// for every merchant, so a notification whose mchNo or accessCode is not the
// verifier's is refused. The fields §1.5.2.6 marks M are required; a payTime
// in another shape is kept in PayTime.Raw rather than refused forever.
// Notification.Kind tells payments from refunds, voids and closes, and
// Succeeded is true only for a successful payment. IdempotencyKey is the
// kind plus a SHA-256 of the verified canonical string: a refold or a
// reordering of one body is the same notification, and any signed
// difference (a new requestNo on a redelivery included) makes another one,
// so the host's own writes stay idempotent by outTransNo. The handler
// deduplicates by it in memory by default (WithDedupStore for a shared
// store.Dedup, such as one on Redis used by every module; WithoutDedup to
// turn it off), bounds the body (WithMaxBodyBytes, 16 KiB: a real
// notification is under 2 KiB) and its read time (WithReadTimeout, 10 s).
// Junk is refused in linear time before any signature work: more than 100
// fields, invalid UTF-8 and ambiguous sets cost no RSA operation.
//
// A service that only receives notifications imports package
// github.com/bizapi-cn/go-sdk/allinpay/notify alone: the same verifier,
// parser and handler (notify.NewVerifier, notify.Parse, notify.NewHandler)
// without the client, so it links no HTTP client library. The names here
// are aliases of its types (NotificationVerifier is notify.Verifier,
// Notification, SignatureError, TransType, ResultCode, Amount, ... are the
// same types), so either package's values and errors work with the other.
//
// # Bills
//
// DownloadBill(ctx, &DownloadBillRequest{BillDate: day}) fetches a day's
// file, which the platform serves from the next day on (a day not over yet
// is refused before sending). The answer's billData is streamed to a
// temporary file (os.TempDir) and its signature checked there, so a bill
// is never held in memory whole; Close removes the file.
// DownloadBillResponse.Reader returns a BillReader that decodes it as it
// reads, one line at a time (a line over 64 KiB is refused), and at the end checks the summary line's count
// and totals against the rows (ErrBillMismatch). Each row must be of the
// requested day and add up (total = payment + tips; settlement = total -
// fee when no exchange is involved). Refund and void rows count against
// the payments whether the file gives them a minus sign or not; the
// summary may state the net or the gross sum (both are accepted), in its
// settlement currency when the file holds several. Totals returns the sums
// per kind (payment, refund, void) and transaction currency. A field in
// double quotes may hold commas. Amounts are Amount in minor units of
// their column's currency (payment, tips, total and discount in the
// transaction currency, settlement and fee in the settlement currency;
// Currency.Exponent is 2 for all five of §1.8.3). An amount with more
// decimals than that ("0.006" HKD, "as per ISO currency decimal" allows
// it for other currencies) does not abort the file: the row is kept, its
// text is in BillRow.ExtraDecimals (BillSummary too), its Amount is rounded
// half away from zero, BillReader.ExtraDecimalRows counts such rows, and
// every check (row arithmetic, summary) uses the exact value, up to six
// decimals (more is not an amount and stops the reader); the summary may
// state the exact sums or the sums rounded to the currency's exponent.
// The summary's first column ("Summary") is kept in Label, not checked:
// the spec names the column, not its text. An absent billData is an empty
// bill. The request sends the fields of §1.5.3.1's table (requestNo,
// version, accessCode, transType, signType, signature, billDate) and no
// mchNo: the file is the access code's.
//
// # Errors
//
//   - *ValidationError: a bad request, nothing sent; Fields are FieldError{Field, Message}.
//   - *APIError: a returnCode or resultCode failure (Operation, ReturnCode,
//     ResultCode, Code(), Message(), Meaning(), RequestNo, OutTransNo,
//     Signed, Metadata, HTTPStatusCode()).
//   - *HTTPError: an answer that is not the platform's JSON (HTTPStatusCode()).
//   - *OutcomeUnknownError / ErrOutcomeUnknown: see above; it prints the
//     operation and its cause once.
//   - *SignatureError / ErrInvalidSignature: a trust failure only, never an
//     unsigned gateway page; Operation names the call (empty for a
//     notification), Diagnosis() the diagnosis under WithDiagnostics.
//   - ErrMalformedResponse, ErrMalformedNotification: verified (or unverifiable)
//     bytes that are not a usable answer or notification.
//
// # When a signature fails
//
// 1. Turn on WithDiagnostics in a test or in staging (not in production:
// the diagnosis is extra work on unauthenticated input). It is accepted by
// NewClient, NewNotificationVerifier and notify.NewVerifier (with
// notify.WithDiagnostics). A Client knows the merchant's
// public key from WithPrivateKey; a NotificationVerifier holds no private
// key, so give it the merchant's public key with
// WithDiagnosisMerchantPublicKey (for diagnosis only: no option of this
// package takes a private key for diagnosis) to have a reversed key role
// recognised.
//
// 2. Read the diagnosis of the failure:
//
//	var se *allinpay.SignatureError
//	if errors.As(err, &se) {
//		if d, ok := se.Diagnosis(); ok {
//			log.Print(d) // labelled lines; no key, signature or value
//		}
//	}
//
// Diagnosis holds the algorithm, the keys tried by fingerprint (each
// platform key of a rotation, and the merchant's), the canonical string
// with every value masked, the fields in the order signed (and received,
// for a notification), the variants tried, and the recognised causes. The
// error's text is the same with or without it. It never makes a message
// verify. A bill's diagnosis hashes the file on disk again for each
// variant, at most 8 times.
//
// 3. Each cause code and its fix:
//
//   - CausePlusSpace: a '+' became a space (in a value such as a payTime
//     or a goodsSubject, or in the base64 signature): the form was URL-
//     decoded twice, or the sender did not escape '+' as %2B. Pass
//     ParseNotification the raw body as received.
//   - CauseReversedKey: a key given to WithPlatformPublicKeys is the
//     merchant's own public key, or the message verifies with the
//     merchant's key: configure the platform's public key (the organisation
//     web platform publishes it).
//   - CauseFieldCase: a field arrived with another case (MchNo for mchNo):
//     a framework or a typed struct renamed it; verify the fields as
//     received.
//   - CauseFieldOrder: the signer sorted the keys case-insensitively or not
//     at all; the protocol sorts in byte order.
//   - CauseFields: the signer included empty fields; the protocol leaves
//     them out.
//   - CauseReencoded: the signer URL-escaped the values before signing.
//   - No cause: the key is not the one that signed, or the message was
//     changed; compare the fingerprints with the platform's key.
//
// 4. Reproduce it offline with the bizapi tool (cmd/bizapi), from a
// capture of the answer or the notification:
//
//	bizapi allinpay verify --in answer.json --pub-file platform_public.pem
//	bizapi allinpay verify --in notify.http --pub-file platform_public.pem --key-file merchant_private.pem
//	bizapi allinpay canonical --in request.json --key-file merchant_private.pem
//	bizapi allinpay bill --in answer.json
//
// verify prints the same lines as Diagnosis.String (--key-file also checks
// the key roles, --alt-pub-file tries another public key, --reveal shows
// personal values); canonical prints the canonical string and signature of
// a request to compare with what your code signs; bill checks a
// reconciliation file's rows and totals.
//
// Where CONTRIBUTING's one-shape table does not fit: Allinpay answers carry
// two codes, so APIError has ReturnCode and ResultCode with Code() and
// Message() for the failing one rather than Code and Message fields; and
// Metadata.RequestID is the requestNo the client sent (the platform has no
// request id of its own).
package allinpay
