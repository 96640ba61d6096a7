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
