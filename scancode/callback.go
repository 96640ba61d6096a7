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
	"net/url"
	"unicode/utf8"
)

// Callback is one decrypted scan callback.
type Callback struct {
	Type         Type
	PlatformCode string
	// Payload is the typed payload (*ScanStatus, *UserInfo, …); nil for an
	// unknown Type, whose JSON is in Raw.
	Payload Payload
	// Raw is the decrypted payload JSON exactly as received.
	Raw json.RawMessage
}

// EventID is the payload's tId ("" when an unknown type has none).
func (c *Callback) EventID() string {
	if c.Payload != nil {
		return c.Payload.EventID()
	}
	var probe struct {
		TID string `json:"tId"`
	}
	_ = json.Unmarshal(c.Raw, &probe)
	return probe.TID
}

// IdempotencyKey identifies a delivery for deduplication: the type, the tId
// and a hash of the decrypted content, so a redelivery of the same data
// matches and a new event under the same tId (02 after 01) does not.
func (c *Callback) IdempotencyKey() string {
	sum := sha256.Sum256(c.Raw)
	return string(c.Type) + ":" + c.EventID() + ":" + hex.EncodeToString(sum[:12])
}

// ErrMalformed reports a request that is not a scan callback: unreadable
// body, missing type or data, data that is not the JSON envelope.
var ErrMalformed = errors.New("scancode: malformed callback")

// Parse decodes, decrypts and types one callback from its raw pieces: the
// request's Content-Type and body. The body may be a form
// (type=…&data=…&platformCode=…) or a JSON object with the same members, in
// which data is a JSON string or an object. Decryption happens only after
// the envelope parsed; the payload is decoded by type.
func Parse(ctx context.Context, contentType string, body []byte, d Decrypter) (*Callback, error) {
	if d == nil {
		return nil, errors.New("scancode: nil Decrypter")
	}
	typ, data, platform, err := splitRequest(contentType, body)
	if err != nil {
		return nil, err
	}
	var env Envelope
	if err := json.Unmarshal(data, &env); err != nil || env.Encrypt == "" {
		return nil, fmt.Errorf("%w: data is not {\"encrypt\":…}", ErrMalformed)
	}
	plain, err := d.Decrypt(ctx, env)
	if err != nil {
		return nil, err
	}
	return decodePayload(Type(typ), platform, plain)
}

// decodePayload types a decrypted payload.
func decodePayload(typ Type, platform string, plain []byte) (*Callback, error) {
	plain = bytes.TrimSpace(plain)
	if !json.Valid(plain) || len(plain) == 0 || plain[0] != '{' {
		return nil, fmt.Errorf("%w: decrypted data is not a JSON object", ErrMalformed)
	}
	c := &Callback{Type: typ, PlatformCode: platform, Raw: json.RawMessage(plain)}
	if p := newPayload(typ); p != nil {
		if err := json.Unmarshal(plain, p); err != nil {
			return nil, fmt.Errorf("%w: type %s payload: %v", ErrMalformed, typ, shortJSONError(err))
		}
		c.Payload = p
	}
	return c, nil
}

// shortJSONError names what failed without quoting the payload.
func shortJSONError(err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return "field " + te.Field + " has the wrong type"
	}
	return "invalid JSON"
}

// splitRequest reads type, data and platformCode from a form or JSON body.
func splitRequest(contentType string, body []byte) (typ string, data []byte, platform string, err error) {
	if !utf8.Valid(body) {
		return "", nil, "", fmt.Errorf("%w: body is not UTF-8", ErrMalformed)
	}
	mt, _, _ := mime.ParseMediaType(contentType)
	trimmed := bytes.TrimSpace(body)
	isJSON := mt == "application/json" || (mt == "" && len(trimmed) > 0 && trimmed[0] == '{')
	if isJSON {
		var req struct {
			Type         string          `json:"type"`
			Data         json.RawMessage `json:"data"`
			PlatformCode string          `json:"platformCode"`
		}
		if err := json.Unmarshal(trimmed, &req); err != nil {
			return "", nil, "", fmt.Errorf("%w: body is not JSON", ErrMalformed)
		}
		typ, platform, data = req.Type, req.PlatformCode, req.Data
		var s string
		if len(data) > 0 && data[0] == '"' {
			if err := json.Unmarshal(data, &s); err != nil {
				return "", nil, "", fmt.Errorf("%w: data", ErrMalformed)
			}
			data = []byte(s)
		}
	} else {
		if mt != "" && mt != "application/x-www-form-urlencoded" && mt != "text/plain" {
			return "", nil, "", fmt.Errorf("%w: content type %q", ErrMalformed, mt)
		}
		form, err := url.ParseQuery(string(body))
		if err != nil {
			return "", nil, "", fmt.Errorf("%w: body is not a form", ErrMalformed)
		}
		for _, k := range []string{"type", "data", "platformCode"} {
			if len(form[k]) > 1 {
				return "", nil, "", fmt.Errorf("%w: %s sent more than once", ErrMalformed, k)
			}
		}
		typ, platform, data = form.Get("type"), form.Get("platformCode"), []byte(form.Get("data"))
	}
	if typ == "" || len(typ) > 8 {
		return "", nil, "", fmt.Errorf("%w: type is missing or too long", ErrMalformed)
	}
	if len(data) == 0 {
		return "", nil, "", fmt.Errorf("%w: data is missing", ErrMalformed)
	}
	return typ, data, platform, nil
}
