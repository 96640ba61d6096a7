package scancode

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
)

// QRCode is the content of a login or signing QR code the platform shows:
// base64 of ";"-separated key=value pairs, e.g. "QRCodeType=06;TId=…;".
type QRCode struct {
	Type string // QRCodeType, e.g. "06"
	TID  string // TId: platformCode (11 characters) + 32 hex characters
	// Extra holds any other pairs, in order.
	Extra [][2]string
}

// Encode returns the QR content.
func (q QRCode) Encode() string {
	var b strings.Builder
	b.WriteString("QRCodeType=" + q.Type + ";TId=" + q.TID + ";")
	for _, kv := range q.Extra {
		b.WriteString(kv[0] + "=" + kv[1] + ";")
	}
	return base64.StdEncoding.EncodeToString([]byte(b.String()))
}

// ParseQRCode decodes QR content made by Encode (or by the platform).
func ParseQRCode(s string) (QRCode, error) {
	raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(s))
	if err != nil {
		return QRCode{}, errors.New("scancode: QR content is not base64")
	}
	var q QRCode
	for _, part := range strings.Split(string(raw), ";") {
		if part == "" {
			continue
		}
		k, v, ok := strings.Cut(part, "=")
		if !ok {
			return QRCode{}, fmt.Errorf("scancode: QR content has a pair without '='")
		}
		switch k {
		case "QRCodeType":
			q.Type = v
		case "TId":
			q.TID = v
		default:
			q.Extra = append(q.Extra, [2]string{k, v})
		}
	}
	if q.Type == "" || q.TID == "" {
		return QRCode{}, errors.New("scancode: QR content lacks QRCodeType or TId")
	}
	return q, nil
}

// ValidateTID checks that tID is an 11-character platformCode followed by
// 32 hexadecimal characters.
func ValidateTID(tID string) error {
	if len(tID) != 43 {
		return fmt.Errorf("scancode: tId is %d characters, want 43 (platformCode + 32 hex)", len(tID))
	}
	for i := 0; i < 11; i++ {
		c := tID[i]
		if !(c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z') {
			return errors.New("scancode: tId platformCode part is not alphanumeric")
		}
	}
	for i := 11; i < 43; i++ {
		c := tID[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			return errors.New("scancode: tId event part is not 32 hex characters")
		}
	}
	return nil
}

// NewTID returns a fresh tId for platformCode (which must be 11
// characters).
func NewTID(platformCode string) (string, error) {
	if len(platformCode) != 11 {
		return "", fmt.Errorf("scancode: platformCode is %d characters, want 11", len(platformCode))
	}
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails (Go 1.24+)
	tid := platformCode + hex.EncodeToString(b[:])
	return tid, ValidateTID(tid)
}
