package scancode

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"unicode/utf8"

	"github.com/bizapi-cn/go-sdk/internal/bodylimit"
	"github.com/bizapi-cn/go-sdk/internal/jsonkeys"
)

// Callback is one decrypted scan callback. It prints masked (see String).
type Callback struct {
	// Type is the callback's type parameter: always two ASCII letters or
	// digits.
	Type Type
	// PlatformCode is the platformCode parameter: "" when absent, else
	// 11 ASCII letters or digits, and then the first 11 characters of the
	// payload's tId when that is a tId of the documented shape (a callback
	// whose platformCode is another is refused).
	PlatformCode string
	// Payload is the typed payload (*ScanStatus, *UserInfo, …); nil for an
	// unknown Type, whose JSON is in Raw.
	Payload Payload
	// Raw is the decrypted payload JSON exactly as received (white space
	// around it trimmed). Payload is decoded from it and from nothing else.
	Raw json.RawMessage
}

// EventID is the payload's tId ("" when an unknown type has none).
func (c *Callback) EventID() string {
	if c.Payload != nil && !isNilPayload(c.Payload) {
		return c.Payload.EventID()
	}
	var probe struct {
		TID string `json:"tId"` // matches tId, TId and tid alike
	}
	_ = json.Unmarshal(c.Raw, &probe)
	return probe.TID
}

// IdempotencyKey identifies a delivery for deduplication: the type, the tId
// and a hash of the decrypted content (Raw), all derived from what was
// decrypted, so a redelivery of the same data matches and a new event under
// the same tId (02 after 01) does not. A tId that could not be a store key
// (over 64 bytes, control characters) is left out: the hash still tells
// callbacks apart, and the key stays short.
func (c *Callback) IdempotencyKey() string {
	sum := sha256.Sum256(c.Raw)
	id := c.EventID()
	if checkStoreTID(id) != nil {
		id = ""
	}
	return string(c.Type) + ":" + id + ":" + hex.EncodeToString(sum[:12])
}

// ErrMalformedCallback reports a request that is not a scan callback:
// unreadable body, a missing or malformed type, data or platformCode, data
// that is not the JSON envelope, or a decrypted payload that is not one
// JSON object with distinct member names.
var ErrMalformedCallback = errors.New("scancode: malformed callback")

// ParseCallback decodes, decrypts and types one callback from its raw
// pieces: the request's header (for its Content-Type; nil is allowed) and
// body, so that a host on any web framework can use it. The body may be a
// form (type=…&data=…&platformCode=…) or a JSON object with the same
// members, in which data is a JSON string or an object. Everything that
// can be checked without a key (the parameters' shapes) is checked before
// any decryption; the payload is decoded by type from the decrypted bytes.
//
// It returns an error matching ErrMalformedCallback or ErrDecrypt; none
// quotes the body or a key.
func ParseCallback(ctx context.Context, d Decrypter, h http.Header, body []byte) (*Callback, error) {
	if d == nil {
		return nil, errors.New("scancode: ParseCallback: nil Decrypter")
	}
	typ, data, platform, err := splitRequest(h.Get("Content-Type"), body)
	if err != nil {
		return nil, err
	}
	env, err := decodeEnvelope(data)
	if err != nil {
		return nil, err
	}
	plain, err := d.Decrypt(ctx, env)
	if err != nil {
		if !errors.Is(err, ErrDecrypt) {
			err = &DecryptError{reason: err.Error(), err: err}
		}
		return nil, err
	}
	return decodePayload(Type(typ), platform, plain)
}

// decodeEnvelope reads data's {"encrypt","desKey"}; both must be strings
// and encrypt must be set. The members are base64, so the usual envelope
// (plain strings, no escapes) is read by plainEnvelope in one linear scan;
// anything else goes through encoding/json, with the same result.
func decodeEnvelope(data []byte) (Envelope, error) {
	env, ok := plainEnvelope(data)
	if !ok {
		if bodylimit.ManyMembers(data, maxCallbackMembers) {
			return Envelope{}, fmt.Errorf("%w: data has more than %d JSON members", ErrMalformedCallback, maxCallbackMembers)
		}
		env = Envelope{}
		if err := json.Unmarshal(data, &env); err != nil {
			env.Encrypt = ""
		}
	}
	if env.Encrypt == "" {
		return Envelope{}, fmt.Errorf("%w: data is not {\"encrypt\":…}", ErrMalformedCallback)
	}
	return env, nil
}

// plainEnvelope reads a JSON object whose members are all strings without
// escapes or control characters, each name at most once
// (case-insensitively), matching names as encoding/json does (encrypt and
// desKey in any case). It reports false for anything else, which
// decodeEnvelope then hands to encoding/json.
func plainEnvelope(data []byte) (Envelope, bool) {
	var env Envelope
	var seenEnc, seenKey bool
	p := skipSpace(data, 0)
	if p >= len(data) || data[p] != '{' {
		return env, false
	}
	p = skipSpace(data, p+1)
	if p < len(data) && data[p] == '}' {
		return env, skipSpace(data, p+1) == len(data)
	}
	for {
		name, q, ok := plainString(data, p)
		if !ok {
			return env, false
		}
		p = skipSpace(data, q)
		if p >= len(data) || data[p] != ':' {
			return env, false
		}
		val, q, ok := plainString(data, skipSpace(data, p+1))
		if !ok {
			return env, false
		}
		switch {
		case bytes.EqualFold(name, []byte("encrypt")):
			if seenEnc {
				return env, false
			}
			seenEnc, env.Encrypt = true, string(val)
		case bytes.EqualFold(name, []byte("desKey")):
			if seenKey {
				return env, false
			}
			seenKey, env.DesKey = true, string(val)
		}
		p = skipSpace(data, q)
		if p >= len(data) {
			return env, false
		}
		switch data[p] {
		case ',':
			p = skipSpace(data, p+1)
		case '}':
			return env, skipSpace(data, p+1) == len(data)
		default:
			return env, false
		}
	}
}

// plainString reads a JSON string at data[p] that holds no escape, no
// control character and only valid UTF-8; it returns its content and the
// offset after its closing quote.
func plainString(data []byte, p int) (s []byte, next int, ok bool) {
	if p >= len(data) || data[p] != '"' {
		return nil, 0, false
	}
	end := bytes.IndexByte(data[p+1:], '"')
	if end < 0 {
		return nil, 0, false
	}
	s = data[p+1 : p+1+end]
	for _, c := range s {
		if c < 0x20 || c == '\\' || c >= 0x80 {
			if c >= 0x80 && utf8.Valid(s) && bytes.IndexByte(s, '\\') < 0 && !hasControl(s) {
				return s, p + 2 + end, true
			}
			return nil, 0, false
		}
	}
	return s, p + 2 + end, true
}

func hasControl(s []byte) bool {
	for _, c := range s {
		if c < 0x20 {
			return true
		}
	}
	return false
}

func skipSpace(data []byte, p int) int {
	for p < len(data) && (data[p] == ' ' || data[p] == '\t' || data[p] == '\n' || data[p] == '\r') {
		p++
	}
	return p
}

// decodePayload types a decrypted payload.
func decodePayload(typ Type, platform string, plain []byte) (*Callback, error) {
	plain = bytes.TrimSpace(plain)
	if len(plain) == 0 || plain[0] != '{' || !json.Valid(plain) {
		return nil, fmt.Errorf("%w: decrypted data is not a JSON object", ErrMalformedCallback)
	}
	// The typed payload matches names case-insensitively (the seed spells
	// the event ID tId, TId and tid), so an object with a member twice, or
	// with two members equal under encoding/json's folding, would make the
	// typed view differ from the raw JSON a host reads with another parser.
	if err := jsonkeys.Check(plain); err != nil {
		return nil, fmt.Errorf("%w: decrypted payload: %w", ErrMalformedCallback, jsonkeys.ErrAmbiguous)
	}
	c := &Callback{Type: typ, PlatformCode: platform, Raw: json.RawMessage(plain)}
	if p := newPayload(typ); p != nil {
		if err := json.Unmarshal(plain, p); err != nil {
			return nil, fmt.Errorf("%w: type %s payload: %s", ErrMalformedCallback, typ, shortJSONError(err))
		}
		c.Payload = p
	}
	// platformCode travels outside the encrypted data, unprotected, and a
	// tId begins with it (protocols.md: "A tId is the 11-char platformCode
	// followed by 32 hex chars"): a copy of a callback under another
	// platformCode, sent first, would share the genuine one's idempotency
	// key and be deduplicated in its place.
	if id := c.EventID(); platform != "" && ValidateTID(id) == nil && id[:11] != platform {
		return nil, fmt.Errorf("%w: platformCode is not the tId's first 11 characters", ErrMalformedCallback)
	}
	return c, nil
}

// printableName quotes a member name for an error when it is a short
// identifier, and says nothing of it otherwise.
func printableName(s string) string {
	if len(s) == 0 || len(s) > 40 {
		return "alike"
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !isAlnum(c) && c != '_' {
			return "alike"
		}
	}
	return "alike (" + s + ")"
}

// shortJSONError names what failed without quoting the payload.
func shortJSONError(err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) && te.Field != "" {
		return "field " + printableName(te.Field) + " has the wrong type"
	}
	return "invalid JSON"
}

// splitRequest reads type, data and platformCode from a form or JSON body
// and checks their shapes.
func splitRequest(contentType string, body []byte) (typ string, data []byte, platform string, err error) {
	if !utf8.Valid(body) {
		return "", nil, "", fmt.Errorf("%w: body is not UTF-8", ErrMalformedCallback)
	}
	mt, _, _ := mime.ParseMediaType(contentType)
	trimmed := bytes.TrimSpace(body)
	isJSON := mt == "application/json" || (mt == "" && len(trimmed) > 0 && trimmed[0] == '{')
	if isJSON {
		typ, data, platform, err = splitJSON(trimmed)
	} else {
		if mt != "" && mt != "application/x-www-form-urlencoded" && mt != "text/plain" {
			return "", nil, "", fmt.Errorf("%w: content type %s", ErrMalformedCallback, printableMediaType(mt))
		}
		typ, data, platform, err = splitForm(body)
	}
	if err != nil {
		return "", nil, "", err
	}
	if err := checkType(typ); err != nil {
		return "", nil, "", err
	}
	if err := checkPlatformCode(platform); err != nil {
		return "", nil, "", err
	}
	if len(data) == 0 {
		return "", nil, "", fmt.Errorf("%w: data is missing", ErrMalformedCallback)
	}
	return typ, data, platform, nil
}

// maxCallbackMembers bounds the JSON members of a callback, counted at
// any depth of the body and of data, before either is decoded: a callback
// has five (type, data, platformCode; encrypt, desKey), and nothing signs
// the rest, so a body of junk members is refused in one scan instead of
// being validated and decoded, member by member, before its decryption
// fails.
const maxCallbackMembers = 64

func splitJSON(body []byte) (typ string, data []byte, platform string, err error) {
	if bodylimit.ManyMembers(body, maxCallbackMembers) {
		return "", nil, "", fmt.Errorf("%w: body has more than %d JSON members", ErrMalformedCallback, maxCallbackMembers)
	}
	var req struct {
		Type         *string         `json:"type"`
		Data         json.RawMessage `json:"data"`
		PlatformCode *string         `json:"platformCode"`
	}
	if err := json.Unmarshal(body, &req); err != nil {
		return "", nil, "", fmt.Errorf("%w: body is not a JSON object of strings type, data and platformCode", ErrMalformedCallback)
	}
	if req.Type != nil {
		typ = *req.Type
	}
	if req.PlatformCode != nil {
		platform = *req.PlatformCode
	}
	data = req.Data
	if len(data) > 0 && data[0] == '"' {
		var s string
		if err := json.Unmarshal(data, &s); err != nil {
			return "", nil, "", fmt.Errorf("%w: data", ErrMalformedCallback)
		}
		data = []byte(s)
	} else if string(data) == "null" {
		data = nil
	}
	return typ, data, platform, nil
}

func splitForm(body []byte) (typ string, data []byte, platform string, err error) {
	vals, count, err := formFields(body)
	if err != nil {
		return "", nil, "", fmt.Errorf("%w: %w", ErrMalformedCallback, err)
	}
	for i, k := range []string{"type", "data", "platformCode"} {
		if count[i] > 1 {
			return "", nil, "", fmt.Errorf("%w: %s sent more than once", ErrMalformedCallback, k)
		}
	}
	return string(vals[0]), vals[1], string(vals[2]), nil
}

// checkType: the seed's every request table says
// "| type | varchar(2) | 是 | 数据类型01 扫码状态 |": two characters, and all
// its values are two digits. Two ASCII letters or digits are accepted (an
// unknown type is delivered raw, never refused); anything else is refused
// before decryption.
func checkType(typ string) error {
	if len(typ) != 2 || !isAlnum(typ[0]) || !isAlnum(typ[1]) {
		return fmt.Errorf("%w: type is not two letters or digits (%d bytes)", ErrMalformedCallback, len(typ))
	}
	return nil
}

// checkPlatformCode: protocols.md, "parameters type (2 chars), data (JSON
// string) and platformCode (11 chars, missing from the seed)"; the tId
// begins with it ("A tId is the 11-char platformCode followed by 32 hex
// chars"). Absent or empty is accepted; otherwise 11 ASCII letters or
// digits.
func checkPlatformCode(p string) error {
	if p == "" {
		return nil
	}
	if len(p) != 11 {
		return fmt.Errorf("%w: platformCode is %d bytes, want 11", ErrMalformedCallback, len(p))
	}
	for i := 0; i < len(p); i++ {
		if !isAlnum(p[i]) {
			return fmt.Errorf("%w: platformCode is not letters and digits", ErrMalformedCallback)
		}
	}
	return nil
}

func isAlnum(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z'
}

// printableMediaType prints a refused media type when it is short and
// plain, and only its length otherwise: it comes from the network.
func printableMediaType(mt string) string {
	if len(mt) > 64 {
		return fmt.Sprintf("of %d bytes", len(mt))
	}
	return fmt.Sprintf("%q", mt)
}
