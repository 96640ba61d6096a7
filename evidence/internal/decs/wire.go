package decs

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"time"

	"github.com/bizapi-cn/go-sdk/internal/mask"
)

// JSONErrText describes a decode error without the value that caused it.
func JSONErrText(err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return "field " + te.Field + " has the wrong type"
	}
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return "syntax error"
	}
	return "does not decode"
}

// MsTime is a DECS millisecond timestamp as a time; zero when ms is not
// positive (not authorized).
func MsTime(ms int64) time.Time {
	if ms <= 0 {
		return time.Time{}
	}
	return time.UnixMilli(ms)
}

// Masking: every type that carries personal data (idNo, userName, openId)
// or a secret (fileKey, SSE-C key, PDF passwords, presigned URLs, the
// entry link) prints a masked copy through fmt (%v, %+v, %s, as a value or
// a pointer) and slog. Each has a plain* type, the same struct without
// methods, so that printing the masked copy does not recurse.

// FormatMasked prints v (a masked plain copy) with f's verb and flags.
func FormatMasked(f fmt.State, verb rune, v any) { fmt.Fprintf(f, fmt.FormatString(f, verb), v) }

// MaskURL keeps a URL's scheme and host: the path and query of a
// presigned URL are its credential.
func MaskURL(s string) string {
	u, err := url.Parse(s)
	if err != nil || u.Host == "" {
		return mask.Secret(s)
	}
	return u.Scheme + "://" + u.Host + "/[redacted]"
}

// MaskURLs is MaskURL of each (nil stays nil).
func MaskURLs(ss []string) []string { return maskEach(ss, MaskURL) }

// MaskSecrets is mask.Secret of each (nil stays nil).
func MaskSecrets(ss []string) []string { return maskEach(ss, mask.Secret) }

func maskEach(ss []string, f func(string) string) []string {
	if ss == nil {
		return nil
	}
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = f(s)
	}
	return out
}
