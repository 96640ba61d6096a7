// Package levy is a client for the Olading (阿拉钉) freelancer tax-levy API
// (代征接口 v2.13): taxpayer sign-up, levy orders and their confirmation,
// queries, agreement, voucher, ID-card and liveness uploads, and the
// asynchronous notices.
//
// # Usage
//
//	c, err := levy.NewClient(
//		levy.WithCredentials(clientKey, secret),
//		levy.WithBaseURL(levy.TestBaseURL),
//	)
//	...
//	profit := levy.Yuan(1234, 50)
//	resp, err := c.CreateOrder(ctx, &levy.CreateOrderRequest{
//		RequestID: levy.NewRequestID(), IDCard: "…", Name: "…", TaxAgentParentID: 12,
//		CreditCode: "…", Cellphone: "…", BankcardNo: "…", Profit: &profit, TaxMode: levy.TaxModeGeneral,
//	})
//
// Every request is validated before it is sent; a *ValidationError lists
// every bad field by its wire name. Amounts are Amount (fen, printed
// "12.34"), never floats. Uploads take a File (a path, or a reader and its
// size) and stream it: the file, its base64 and the JSON are never in memory
// at once.
//
// # Signing
//
// A request is a form POST of req (the JSON envelope {name, client_key,
// timestamp, data}, timestamp in Beijing time) and sign =
// base64(HMAC-SHA256(secret, req)), signed over exactly the bytes sent. The
// answer's Api-Sign header is verified over the raw body before anything is
// decoded, for error answers too; a missing or wrong Api-Sign is
// ErrInvalidSignature. WithoutResponseVerification turns that off (never in
// production). SYNC_SIGN, UPLOAD_ID_CARD_IMAGE and QUERY_ID_CARD_IMAGE go
// to /api/tax/v1, every other interface to /api/levy/v1.
//
// Queries are retried after a transport error or a 5xx; sign-ups, orders,
// confirmations and uploads only when the request provably never left.
// Otherwise they return ErrOutcomeUnknown: query by request_id before
// trying again.
//
// # Callbacks
//
// Client.ParseNotice verifies a notice's sign over the raw req in constant
// time and decodes its data by name (SYNC_SIGN, CREATE_ORDER_V2,
// UPLOAD_TAXPAYER_AGREEMENT, UPLOAD_ID_CARD_IMAGE, CLOSE_ORDER_NOTICE; an
// unknown name keeps its raw data). Client.NoticeHandler answers SUCCESS only
// after the host's NoticeFunc returned nil; with WithNoticeDedup, duplicate
// and concurrent deliveries reach it once.
//
// # Wire names
//
// The seed's PDF extraction broke some names; the SDK sends
// tax_agent_parent_id (seed: "tax_agent_pare nt_id", "tax_agent_paren_t_id"),
// tax_agent_location_id ("tax_agent_loc ation_id") and the interface name
// UPLOAD_TAXPAYER_AGREEMENT ("UPLOAD_TAXPAYER AGREEMENT"), each defined
// once in enums.go. limit_2 is sent as "T" when the Limit2 field is set.
// The ID-image and liveness interfaces use camelCase names (requestId,
// idCardNo) as the seed does.
//
// # Errors
//
// A code other than "0" is an *APIError; errors.Is matches
// ErrSignatureRejected (0003), ErrQuotaExceeded (1009) and
// ErrAuthenticationFailed (1010). Error strings never contain the secret,
// signatures or personal data; request and response types that carry
// personal data implement slog.LogValuer with masking.
package levy
