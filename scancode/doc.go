// Package scancode receives the callbacks that the 中招互连 (ebinterlink)
// e-bidding app server sends to a trading platform after a user scans the
// platform's QR code: scan status, shared login user info, seals,
// certificates, decryption results and signature values (types 01–14).
//
// # Usage
//
// Build a Decrypter once from the platform's keys, then mount the handler
// on the platform's receiveAppLogController/receiveScanData endpoint:
//
//	dec, err := scancode.NewDecrypter(scancode.DecrypterConfig{SM2PrivateKey: pemBytes})
//	...
//	tids, err := scancode.NewTIDStore() // scancode.WithLists(yourRedisLists) for several processes
//	...
//	h, err := scancode.NewCallbackHandler(dec, func(ctx context.Context, c *scancode.Callback) error {
//		return tids.Put(ctx, c) // the front end polls tids.Get(ctx, tId)
//	}, scancode.WithDedupStore(yourRedisDedup))
//	...
//	http.Handle("/receiveAppLogController/receiveScanData", h)
//
// ParseCallback does the same for hosts on another web framework: it takes
// the request's header and raw body.
//
// The names follow the SDK's shared table (CONTRIBUTING, "One shape per
// concept") with Callback, the provider's own word, for what is pushed.
// There is no Client (the module makes no outbound call), so the verifier
// of the table is the Decrypter: what decryption needs, and nothing else.
//
// # Decryption
//
// The provider's cipher is not public. The built-in Decrypter implements
// the digital envelope the docs describe: desKey, SM2-decrypted with the
// platform's private key, is the SM4 key under which encrypt was made (SM4
// with PKCS#7, base64); without desKey, a pre-shared SM4 key is used. The
// SM2 ciphertext layout (SM2EncodingC1C3C2, SM2EncodingC1C2C3,
// SM2EncodingASN1, or SM2EncodingAuto, the default) and the SM4 mode
// (SM4ModeECB, the default, or SM4ModeCBC with an IV) are options. A
// platform that agreed another scheme plugs its own Decrypter in.
//
// # Wire names and checks
//
// The request has parameters type, data (a JSON string {"encrypt","desKey"})
// and platformCode, sent as a form or as JSON: both are accepted. type must
// be two ASCII letters or digits (the seed: "type | varchar(2)") and
// platformCode, when present, 11 (protocols.md); both are checked before
// any decryption. An unknown two-character type is delivered with its
// decrypted JSON in Callback.Raw, never refused. Members the request does
// not define are ignored, up to 64 JSON members in the body and in data
// (a callback has five): more are refused as ErrMalformedCallback before
// anything is decoded, since nothing authenticates them and decoding them
// is the costliest thing a forger can make the handler do.
//
// Payload fields carry the seed's names as JSON names. The seed spells the
// event ID tId (01, 08), TId (02, 03, 05, 06, 09, 13, 14) and tid (12), so
// names are matched case-insensitively, and EventID returns the tId
// whatever its spelling. For the same reason a decrypted object with two
// members whose names differ only in case (or not at all) is refused: its
// typed payload would differ from the raw JSON.
//
// # Callbacks
//
// The handler answers {"header":{"ret":"0","msg":"ok"},"data":null} only
// after the CallbackFunc returned nil, and ret "1" with a short fixed
// reason otherwise (no payload or key material in it), so the app server
// retries. Deliveries are deduplicated by Callback.IdempotencyKey, the type,
// the tId and a hash of the decrypted content: in memory by default,
// across processes with WithDedupStore (any store.Dedup, such as the one a
// host already runs for the SDK's other modules), or not at all with
// WithoutDedup. A duplicate of a handled callback is acknowledged without
// calling the CallbackFunc again; one arriving while the first is being
// handled is not acknowledged; a CallbackFunc that fails or panics releases
// the callback, so the redelivery is handled. The body is bounded in size
// (WithMaxBodyBytes, DefaultMaxBodyBytes) and in time (WithReadTimeout,
// DefaultReadTimeout) by the handler itself; still give the http.Server its
// own ReadHeaderTimeout, ReadTimeout and WriteTimeout.
//
// TIDStore keeps callbacks by tId for the front end, on any store.Lists.
// QRCode encodes and parses the QR content; NewTID and ValidateTID make and
// check a tId.
//
// # Trust
//
// The protocol has no signature. What decrypts under the platform's key is
// taken as the app server's: anyone holding the platform's SM2 public key
// can make such a callback, and the outer form (type, platformCode) is not
// protected at all, so restrict the endpoint to the app server's addresses
// and TLS. Nor is the data's integrity: SM4-ECB (the default mode) has no
// MAC and enciphers each 16-byte block alone, so anyone on the path, with
// no key at all, can drop, repeat, reorder or splice whole blocks of
// captured callbacks (the first block of one, the rest of another, under
// the same pre-shared key or desKey), and what still unpads and decodes is
// accepted as the app server's; CBC changes only which splices survive.
// Bound what a callback can do by what the host issued: act only on a tId
// it made (NewTID), once, and while it is fresh.
// Refusing junk is cheap: the shapes are checked in linear scans
// before any decryption, and a forged desKey costs one SM2 decryption
// (about a millisecond) before the ciphertext is touched.
//
// # Errors
//
// ParseCallback returns errors matching ErrMalformedCallback (not a scan
// callback) or ErrDecrypt (the data does not decrypt under the configured
// keys, or a host Decrypter failed); none quotes the body or a key. A
// decryption failure is a *DecryptError (errors.As), carrying a diagnosis
// when asked for (see below).
// NewDecrypter, NewCallbackHandler and NewTIDStore name every bad setting
// at once. Every type that carries personal data (names, ID card and phone
// numbers, the personal transaction code), a certificate, a signature, a
// token or a key prints masked through fmt and slog, as a value and as a
// pointer.
//
// # When a callback does not decrypt
//
// The protocol has no signature: a callback that does not decrypt is its
// trust failure. To find out why, in a test or staging (not in
// production, where every forged callback would pay for it):
//
// First, build the decrypter with DecrypterConfig.Diagnostics set. A
// failed callback's error is then a *DecryptError whose Diagnosis method
// returns the scheme configured, the key tried (the SM2 key by the
// fingerprint of its public half, a pre-shared SM4 key by its length and
// hash prefix), the variants tried and the likely causes. It holds no key
// and no payload value, only the payload's field names when a repaired
// variant decrypts; the error's text is the same with or without it, and
// the callback still fails. It costs at most 3 SM2 decryptions more (about
// a millisecond each).
//
//	var de *scancode.DecryptError
//	if errors.As(err, &de) {
//		if d, ok := de.Diagnosis(); ok {
//			log.Print(d) // labelled lines, as bizapi prints them
//		}
//	}
//
// Or, offline, save the callback as received (the form, the JSON, or the
// whole POST) and run the bizapi tool (cmd/bizapi), which tries the same
// variants and prints which one works:
//
//	bizapi scancode decrypt --in callback.txt --key-file sm2_private.pem
//	bizapi scancode decrypt --in callback.txt --key-file sm2_private.pem --mode cbc --iv-hex 000102...0e0f
//	bizapi scancode decrypt --in callback.json --sm4-key-env SCANCODE_SM4_KEY
//	bizapi keys inspect sm2_private.pem
//
// Then read the causes (Cause.Code) and fix:
//
//   - CausePlusSpace: desKey or encrypt has spaces where '+' was, so the
//     form was URL-decoded twice (or the sender did not escape '+' as
//     %2B). Give ParseCallback the raw body, before your framework decodes
//     it.
//   - CauseEncoding: desKey is SM2 ciphertext in another layout (the text
//     names the one whose SM3 check passed: set SM2Encoding to it), or
//     encrypt is in the other SM4 mode (set SM4Mode, with the IV agreed
//     with the platform for CBC).
//   - CauseTruncated: desKey or encrypt is cut short (not whole base64
//     quanta, not whole 16-byte blocks, or shorter than any SM2
//     ciphertext): a proxy or a size limit truncated the body.
//   - CauseKey: desKey was not encrypted to this SM2 key in any layout, the
//     pre-shared SM4 key differs, or the key the callback needs is not
//     configured. Compare the fingerprint in KeysTried with what `bizapi
//     keys inspect` prints for your key and for the public key registered
//     with the platform.
//
// No cause recognised means the data is not what the platform sent
// (altered), or it uses another scheme: plug in a Decrypter of your own.
// A callback that decrypts is not thereby unaltered (see Trust).
package scancode
