package ssec_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/bizapi-cn/go-sdk/internal/ssec"
	"github.com/bizapi-cn/go-sdk/internal/testvectors"
)

func TestVectors(t *testing.T) {
	t.Parallel()
	var v testvectors.OAEPSSEC
	if err := testvectors.Load("evidence_oaep_ssec.json", &v); err != nil {
		t.Fatal(err)
	}
	if len(v.SSEC) == 0 {
		t.Fatal("no SSE-C vectors")
	}
	for i, c := range v.SSEC {
		h, err := ssec.FromFileKey(c.FileKey)
		if err != nil {
			t.Fatalf("case %d: FromFileKey = %v", i, err)
		}
		for name, want := range c.Headers {
			if got := h.Map()[name]; got != want {
				t.Errorf("case %d: %s = %q; want %q", i, name, got, want)
			}
		}
		hdr := http.Header{}
		h.Apply(hdr)
		for name, want := range c.Headers {
			if got := hdr.Get(name); got != want {
				t.Errorf("case %d: Apply: %s = %q; want %q", i, name, got, want)
			}
		}
	}
}

func TestRejectsBadKeys(t *testing.T) {
	t.Parallel()
	for _, k := range []string{"", "not base64!", "MDEyMzQ1Njc4OUFCQ0RFRg==" /* 16 bytes */} {
		_, err := ssec.FromFileKey(k)
		if err == nil {
			t.Errorf("FromFileKey(%q) = nil error; want an error", k)
			continue
		}
		if k != "" && strings.Contains(err.Error(), k) {
			t.Errorf("error %q echoes the key", err)
		}
	}
}

func TestPrefixFor(t *testing.T) {
	t.Parallel()
	for u, want := range map[string]string{
		// The docs' sample URL (en main.md:746) signs x-cos- names.
		"https://b.cos.ap-hongkong.myqcloud.com/o.pdf?q-sign-algorithm=sha1&q-header-list=host%3Bx-cos-server-side-encryption-customer-algorithm%3Bx-cos-server-side-encryption-customer-key%3Bx-cos-server-side-encryption-customer-key-md5&q-signature=x": ssec.PrefixCOS,
		"https://s3.example/o.pdf?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-SignedHeaders=host%3Bx-amz-server-side-encryption-customer-algorithm&X-Amz-Signature=x":                                                                                            ssec.PrefixAmz,
		"https://s3.example/o.pdf?X-Amz-SignedHeaders=host":               ssec.PrefixAmz,
		"https://b.cos.example/o.pdf?q-sign-algorithm=sha1&q-signature=x": ssec.PrefixCOS,
		"https://example/o.pdf": ssec.PrefixAmz,
		"::not a url":           ssec.PrefixAmz,
	} {
		if got := ssec.PrefixFor(u); got != want {
			t.Errorf("PrefixFor(%q) = %q; want %q", u, got, want)
		}
	}
	h := http.Header{}
	ssec.Headers{Algorithm: "AES256", Key: "k", KeyMD5: "m"}.ApplyPrefix(h, ssec.PrefixAmz)
	if h.Get("x-amz-server-side-encryption-customer-key-MD5") != "m" || len(h) != 3 {
		t.Fatalf("ApplyPrefix: %v", h)
	}
}
