// Package ssec builds the three Tencent COS SSE-C request headers from a
// DECS fileKey (base64 of a 32-byte AES-256 key).
package ssec

import (
	"crypto/md5" //nolint:gosec // G501: SSE-C sends the MD5 of the key, as COS and S3 define it
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// Header names, as COS documents them.
const (
	HeaderAlgorithm = "x-cos-server-side-encryption-customer-algorithm"
	HeaderKey       = "x-cos-server-side-encryption-customer-key"
	HeaderKeyMD5    = "x-cos-server-side-encryption-customer-key-MD5"
)

// Headers are the SSE-C header values for one key.
type Headers struct {
	Algorithm string // always "AES256"
	Key       string // the fileKey, base64 of 32 bytes
	KeyMD5    string // base64 of MD5 of the raw 32 bytes
}

// FromFileKey returns the SSE-C headers for fileKey. It rejects a key that
// is not base64 of exactly 32 bytes; the error never contains the key.
func FromFileKey(fileKey string) (Headers, error) {
	raw, err := base64.StdEncoding.DecodeString(fileKey)
	if err != nil {
		return Headers{}, fmt.Errorf("ssec: fileKey is not base64")
	}
	if len(raw) != 32 {
		return Headers{}, fmt.Errorf("ssec: fileKey decodes to %d bytes, want 32", len(raw))
	}
	sum := md5.Sum(raw) //nolint:gosec // G401: the SSE-C key digest header, not a security hash
	return Headers{
		Algorithm: "AES256",
		Key:       fileKey,
		KeyMD5:    base64.StdEncoding.EncodeToString(sum[:]),
	}, nil
}

// Apply sets the three headers on h.
func (s Headers) Apply(h http.Header) { s.ApplyPrefix(h, PrefixCOS) }

// Header name prefixes: COS's own, and the S3-compatible names the DECS
// docs' samples use since 2026-03-06.
const (
	PrefixCOS = "x-cos-"
	PrefixAmz = "x-amz-"
)

// ApplyPrefix sets the three headers under prefix (PrefixCOS or
// PrefixAmz).
func (s Headers) ApplyPrefix(h http.Header, prefix string) {
	h.Set(prefix+"server-side-encryption-customer-algorithm", s.Algorithm)
	h.Set(prefix+"server-side-encryption-customer-key", s.Key)
	h.Set(prefix+"server-side-encryption-customer-key-MD5", s.KeyMD5)
}

// PrefixFor chooses the header prefix a presigned URL was signed for: the
// names in its signed-header list (COS q-header-list, S3
// X-Amz-SignedHeaders); PrefixAmz, the current docs' names, when the list
// names neither.
func PrefixFor(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil {
		return PrefixAmz
	}
	q := u.Query()
	for _, list := range []string{q.Get("q-header-list"), q.Get("X-Amz-SignedHeaders")} {
		list = strings.ToLower(list)
		switch {
		case strings.Contains(list, PrefixCOS+"server-side-encryption-customer"):
			return PrefixCOS
		case strings.Contains(list, PrefixAmz+"server-side-encryption-customer"):
			return PrefixAmz
		}
	}
	if q.Get("q-sign-algorithm") != "" && q.Get("q-header-list") == "" {
		return PrefixCOS // a COS signature that lists no headers: COS's names
	}
	return PrefixAmz
}

// Map returns the headers by their documented names.
func (s Headers) Map() map[string]string {
	return map[string]string{HeaderAlgorithm: s.Algorithm, HeaderKey: s.Key, HeaderKeyMD5: s.KeyMD5}
}
