// Package ssec builds the three Tencent COS SSE-C request headers from a
// DECS fileKey (base64 of a 32-byte AES-256 key).
package ssec

import (
	"crypto/md5" //nolint:gosec // G501: SSE-C sends the MD5 of the key, as COS and S3 define it
	"encoding/base64"
	"errors"
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

// PrefixFor is SignedPrefix without its error: PrefixAmz for a URL whose
// signature SignedPrefix cannot read.
func PrefixFor(rawURL string) string {
	p, err := SignedPrefix(rawURL)
	if err != nil {
		return PrefixAmz
	}
	return p
}

// ErrSignature reports a presigned URL whose signature cannot tell which
// SSE-C header names it signs: two signatures that disagree, one that
// names both prefixes, a parameter of the signature given twice with
// different values, a COS signature that does not parse, or a query that
// does not unescape. A URL like
// that is refused before the key is sent anywhere (guessing would send the
// key under names the URL may not sign). The error never holds the URL.
var ErrSignature = errors.New("ssec: presigned URL: unreadable signature")

// SignedPrefix returns the header prefix a presigned URL was signed for:
// the SSE-C names in its signed-header list.
//
// A COS signature comes in two shapes: its parameters at the top level
// of the query (q-sign-algorithm=…&q-header-list=host%3Bx-cos-…), or all
// of them escaped inside one sign parameter, as every COS URL in the DECS
// docs is (en main.md, Download Files:
// ?sign=q-sign-algorithm%3Dsha1%26…%26q-header-list%3Dhost%3Bx-cos-server-side-encryption-customer-algorithm%3B…).
// An S3 signature lists X-Amz-SignedHeaders at the top level. A COS
// signature whose list names no SSE-C header gives PrefixCOS (COS's own
// names); a URL with no signature SignedPrefix knows, or an S3 one that
// names none, PrefixAmz (the docs' code samples' names since 2026-03-06).
// Every signature the URL carries must give the same prefix; anything
// else is ErrSignature (see there). A sign parameter with no COS
// parameter in it is some other scheme's and is ignored.
func SignedPrefix(rawURL string) (string, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return "", fmt.Errorf("%w: the URL does not parse", ErrSignature)
	}
	top, err := params(u.RawQuery)
	if err != nil {
		return "", err
	}
	var found []string
	if _, ok := top["q-sign-algorithm"]; ok || top["q-header-list"] != nil {
		p, err := listPrefix(top, "q-header-list", PrefixCOS)
		if err != nil {
			return "", err
		}
		found = append(found, p)
	}
	if top["X-Amz-SignedHeaders"] != nil {
		p, err := listPrefix(top, "X-Amz-SignedHeaders", PrefixAmz)
		if err != nil {
			return "", err
		}
		found = append(found, p)
	}
	signs := top["sign"]
	for _, v := range signs {
		if v != signs[0] {
			return "", fmt.Errorf("%w: sign given twice", ErrSignature)
		}
	}
	if len(signs) > 0 && (strings.Contains(signs[0], "q-sign-algorithm") || strings.Contains(signs[0], "q-header-list")) {
		nested, err := params(signs[0])
		if err != nil {
			return "", err
		}
		if _, ok := nested["q-sign-algorithm"]; !ok {
			return "", fmt.Errorf("%w: the sign parameter is not a COS signature", ErrSignature)
		}
		p, err := listPrefix(nested, "q-header-list", PrefixCOS)
		if err != nil {
			return "", err
		}
		found = append(found, p)
	}
	for _, p := range found {
		if p != found[0] {
			return "", fmt.Errorf("%w: its signatures sign different SSE-C names", ErrSignature)
		}
	}
	if len(found) == 0 {
		return PrefixAmz, nil
	}
	return found[0], nil
}

// listPrefix reads the signed-header list q[name]: the prefix of the
// SSE-C names it lists, or none when it lists none.
func listPrefix(q map[string][]string, name, none string) (string, error) {
	lists := q[name]
	for _, l := range lists {
		if l != lists[0] {
			return "", fmt.Errorf("%w: %s given twice", ErrSignature, name)
		}
	}
	list := ""
	if len(lists) > 0 {
		list = strings.ToLower(lists[0])
	}
	cos := strings.Contains(list, PrefixCOS+"server-side-encryption-customer")
	amz := strings.Contains(list, PrefixAmz+"server-side-encryption-customer")
	switch {
	case cos && amz:
		return "", fmt.Errorf("%w: %s names both x-cos- and x-amz-", ErrSignature, name)
	case cos:
		return PrefixCOS, nil
	case amz:
		return PrefixAmz, nil
	}
	return none, nil
}

// params splits a query into its parameters at '&' alone: a COS
// signature's values hold ';' (q-sign-time, q-header-list), which
// url.ParseQuery drops (it refuses ';' anywhere in a pair).
func params(query string) (map[string][]string, error) {
	out := map[string][]string{}
	for pair := range strings.SplitSeq(query, "&") {
		if pair == "" {
			continue
		}
		k, v, _ := strings.Cut(pair, "=")
		key, err1 := url.QueryUnescape(k)
		val, err2 := url.QueryUnescape(v)
		if err1 != nil || err2 != nil {
			return nil, fmt.Errorf("%w: a parameter does not unescape", ErrSignature)
		}
		out[key] = append(out[key], val)
	}
	return out, nil
}

// Map returns the headers by their documented names.
func (s Headers) Map() map[string]string {
	return map[string]string{HeaderAlgorithm: s.Algorithm, HeaderKey: s.Key, HeaderKeyMD5: s.KeyMD5}
}
