// Package scancode receives the callbacks that the 中招互连 (ebinterlink)
// e-bidding app server sends to a trading platform after a user scans the
// platform's QR code: scan status, shared login user info, seals,
// certificates, decryption results and signature values (types 01–14).
//
// # Usage
//
// Build a Decrypter once from the platform's keys, then mount the handler on
// the platform's receiveAppLogController/receiveScanData endpoint:
//
//	dec, err := scancode.NewDecrypter(scancode.DecrypterConfig{SM2PrivateKey: pemBytes})
//	...
//	h := scancode.NewHandler(dec, func(ctx context.Context, c *scancode.Callback) error {
//		switch p := c.Payload.(type) {
//		case *scancode.UserInfo:
//			return bindUser(ctx, p) // store by p.TID for the front end
//		}
//		return nil
//	}, scancode.WithDedupStore(scancode.NewMemoryDedupStore(0)))
//	http.Handle("/receiveAppLogController/receiveScanData", h)
//
// Parse does the same for hosts on another framework: it takes the
// Content-Type and the raw body.
//
// # Decryption
//
// The provider's cipher is not public. The built-in Decrypter implements the
// digital envelope the docs describe: desKey, SM2-decrypted with the
// platform's private key, is the SM4 key under which encrypt was made (SM4
// with PKCS#7, base64); without desKey, a pre-shared SM4 key is used. The SM2
// ciphertext layout (C1C3C2, C1C2C3, ASN.1, or Auto, the default) and the SM4
// mode (ECB, the default, or CBC with an IV) are options. A platform that
// agreed another scheme plugs its own Decrypter in.
//
// # Wire names
//
// Payload fields carry the seed's names as JSON names. The seed spells the
// event ID tId (01, 08), TId (02, 03, 05, 06, 09, 13, 14) and tid (12);
// decoding accepts any spelling, and EventID returns it. The request has
// parameters type, data (a JSON string {"encrypt","desKey"}) and
// platformCode, sent as a form or as JSON: both are accepted. An unknown type
// is delivered with its decrypted JSON in Callback.Raw, never refused.
//
// # Callbacks
//
// The handler answers {"header":{"ret":"0","msg":"ok"},"data":null} only
// after the HandlerFunc returned nil, and ret "1" with a short fixed reason
// otherwise (no payload or key material in it), so the app server retries.
// With a DedupStore, a duplicate of a handled callback is acknowledged
// without calling the HandlerFunc again, and a duplicate arriving while the
// first is being handled is not acknowledged. Callback.IdempotencyKey is the
// type, the tId and a hash of the content. TIDStore keeps callbacks by tId
// for the front end; QRCode encodes and parses the QR content.
//
// # Errors
//
// Parse returns errors matching ErrMalformed (not a scan callback) or
// ErrDecrypt (the data does not decrypt under the configured keys). Payload
// types that carry personal data (UserInfo, EncryptionCert) implement
// slog.LogValuer and mask it.
package scancode
