package ssec_test

import (
	"errors"
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

// The presigned URLs of the DECS docs, quoted exactly
// (Data-Express-Chain/Data-Express-Chain.github.io at a485e1e,
// en/access/main.md, the line in each name): every one carries the whole
// COS signature escaped inside one sign parameter.
const (
	// main.md:746 and :1375, the download samples: the signature lists the
	// three x-cos- SSE-C names.
	docsURL746  = "https://evidence-file-1308262583.cos.ap-guangzhou.myqcloud.com/de1uahd81493120767678877696_7e124dc1ada11b91527e6e6961acc97a_qqmail_jyls-0.pdf?sign=q-sign-algorithm%3Dsha1%26q-ak%3DAKIDoRpxoOilX2GEuJRIsBDySfrnTszpOggP%26q-sign-time%3D1646480278%3B1646480878%26q-key-time%3D1646480278%3B1646480878%26q-header-list%3Dhost%3Bx-cos-server-side-encryption-customer-algorithm%3Bx-cos-server-side-encryption-customer-key%3Bx-cos-server-side-encryption-customer-key-md5%26q-url-param-list%3D%26q-signature%3D7e752832991291f92df05edb949f56a3f99c2d2d"
	docsURL1375 = "https://evidence-file-1308262583.cos.ap-guangzhou.myqcloud.com/de1uahd81493120767678877696_7e124dc1ada11b91527e6e6961acc97a_qqmail_jyls-0.pdf?sign=q-sign-algorithm%3Dsha1%26q-ak%3DAKIDoRpxoOilX2GEuJRIsBDySfrnTszpOggP%26q-sign-time%3D1646480278%3B1646480878%26q-key-time%3D1646480278%3B1646480878%26q-header-list%3Dhost%3Bx-cos-server-side-encryption-customer-algorithm%3Bx-cos-server-side-encryption-customer-key%3Bx-cos-server-side-encryption-customer-key-md5%26q-url-param-list%3D%26q-signature%3D7e752832991291f92df05edb949f56a3f99c2d2d"
	// main.md:1296 and :1321, the notification samples' fileUrlList: the
	// signature lists host only.
	docsURL1296 = "https://evidence-file-bj-1308262583.cos.ap-beijing.myqcloud.com/zd1uahd81590677482946936832_7c41231b8b03346c7d61e3f8631d1404_chsi_origins.zip?sign=q-sign-algorithm%3Dsha1%26q-ak%3DAKIDoRpxoOilX2GEuJRIsBDySfrnTszpOggP%26q-sign-time%3D1668084600%3B1668085200%26q-key-time%3D1668084600%3B1668085200%26q-header-list%3Dhost%26q-url-param-list%3D%26q-signature%3Da2085647e1249c2ea748a018e7ad8894d032635c"
	docsURL1321 = "https://evidence-json-bj-1308262583.cos.ap-beijing.myqcloud.com/zd1uahd81590677482946936832_50bf4cc6bcad2fb13b3e1c5b384b28dd_chsi_xlzm.json?sign=q-sign-algorithm%3Dsha1%26q-ak%3DAKIDoRpxoOilX2GEuJRIsBDySfrnTszpOggP%26q-sign-time%3D1668084600%3B1668085200%26q-key-time%3D1668084600%3B1668085200%26q-header-list%3Dhost%26q-url-param-list%3D%26q-signature%3D41258450af080336f8ae4720de4dda218d75026c"
	// main.md:1027, the reconciliation file (no SSE-C): host only too.
	docsURL1027 = "https://recon-file-bj-1308262583.cos.ap-beijing.myqcloud.com/%E4%BA%A4%E6%98%93%E6%B5%81%E6%B0%B4%E5%AF%B9%E8%B4%A6%E5%8D%95_de1y1kdr_20220801.csv?sign=q-sign-algorithm%3Dsha1%26q-ak%3DAKIDoRpxoOilX2GEuJRIsBDySfrnTszpOggP%26q-sign-time%3D1659597612%3B1659598212%26q-key-time%3D1659597612%3B1659598212%26q-header-list%3Dhost%26q-url-param-list%3D%26q-signature%3Db9adb1ee461c7012298fd2d287db2cdb14be6108"
)

func TestSignedPrefix(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, url, want string
	}{
		// The docs' URLs sign x-cos- names, or none: COS's names both
		// times (doc.go: "x-cos- for a COS signature that lists none").
		{"docs main.md:746", docsURL746, ssec.PrefixCOS},
		{"docs main.md:1375", docsURL1375, ssec.PrefixCOS},
		{"docs main.md:1296", docsURL1296, ssec.PrefixCOS},
		{"docs main.md:1321", docsURL1321, ssec.PrefixCOS},
		{"docs main.md:1027", docsURL1027, ssec.PrefixCOS},
		// The same COS signature as top-level parameters.
		{"cos top level", "https://b.cos.ap-hongkong.myqcloud.com/o.pdf?q-sign-algorithm=sha1&q-sign-time=1%3B2&q-header-list=host%3Bx-cos-server-side-encryption-customer-algorithm%3Bx-cos-server-side-encryption-customer-key%3Bx-cos-server-side-encryption-customer-key-md5&q-signature=x", ssec.PrefixCOS},
		// Raw ';' in the values, which url.ParseQuery would drop.
		{"cos top level, raw ;", "https://b.cos.example/o.pdf?q-sign-algorithm=sha1&q-sign-time=1;2&q-header-list=host;x-cos-server-side-encryption-customer-key&q-signature=x", ssec.PrefixCOS},
		{"cos top level, host only", "https://b.cos.example/o.pdf?q-sign-algorithm=sha1&q-header-list=host&q-signature=x", ssec.PrefixCOS},
		{"cos top level, no list", "https://b.cos.example/o.pdf?q-sign-algorithm=sha1&q-signature=x", ssec.PrefixCOS},
		{"s3", "https://s3.example/o.pdf?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-SignedHeaders=host%3Bx-amz-server-side-encryption-customer-algorithm&X-Amz-Signature=x", ssec.PrefixAmz},
		{"s3, host only", "https://s3.example/o.pdf?X-Amz-SignedHeaders=host", ssec.PrefixAmz},
		{"no signature", "https://example/o.pdf", ssec.PrefixAmz},
		// A sign parameter of another scheme is not a COS signature.
		{"other sign", "https://cdn.example/o.pdf?sign=0a1b2c&t=1", ssec.PrefixAmz},
		// Both shapes, naming the same prefix.
		{"both shapes agree", docsURL746 + "&q-sign-algorithm=sha1&q-header-list=host%3Bx-cos-server-side-encryption-customer-key", ssec.PrefixCOS},
	} {
		got, err := ssec.SignedPrefix(tc.url)
		if err != nil || got != tc.want {
			t.Errorf("SignedPrefix(%s) = %q, %v; want %q", tc.name, got, err, tc.want)
		}
		if got := ssec.PrefixFor(tc.url); got != tc.want {
			t.Errorf("PrefixFor(%s) = %q; want %q", tc.name, got, tc.want)
		}
	}
	// Fail safe: a signature that cannot say which names it signs is an
	// error (the client then sends no key), never a guess.
	for name, u := range map[string]string{
		"nested x-cos-, top-level x-amz-":    docsURL746 + "&X-Amz-SignedHeaders=host%3Bx-amz-server-side-encryption-customer-key",
		"nested host only, top-level x-amz-": docsURL1296 + "&X-Amz-SignedHeaders=host%3Bx-amz-server-side-encryption-customer-key",
		"one list names both":                "https://b.cos.example/o.pdf?q-sign-algorithm=sha1&q-header-list=host%3Bx-cos-server-side-encryption-customer-key%3Bx-amz-server-side-encryption-customer-key",
		"two lists":                          "https://b.cos.example/o.pdf?q-sign-algorithm=sha1&q-header-list=host&q-header-list=host%3Bx-cos-server-side-encryption-customer-key",
		"two signs":                          docsURL746 + "&sign=q-sign-algorithm%3Dsha1",
		"nested, bad escape":                 "https://b.cos.example/o.pdf?sign=q-sign-algorithm%3Dsha1%26q-header-list%3Dhost%25zz",
		"nested, escaped twice":              "https://b.cos.example/o.pdf?sign=q-sign-algorithm%253Dsha1%2526q-header-list%253Dhost",
		"top level, bad escape":              "https://b.cos.example/o.pdf?q-sign-algorithm=sha1&q-header-list=%zz",
		"not a URL":                          "::not a url",
	} {
		if p, err := ssec.SignedPrefix(u); !errors.Is(err, ssec.ErrSignature) {
			t.Errorf("SignedPrefix(%s) = %q, %v; want ErrSignature", name, p, err)
		} else if strings.Contains(err.Error(), "myqcloud") || strings.Contains(err.Error(), "cos.example") {
			t.Errorf("SignedPrefix(%s): the error %q holds the URL", name, err)
		}
	}
}

func TestApplyPrefix(t *testing.T) {
	t.Parallel()
	h := http.Header{}
	ssec.Headers{Algorithm: "AES256", Key: "k", KeyMD5: "m"}.ApplyPrefix(h, ssec.PrefixAmz)
	if h.Get("x-amz-server-side-encryption-customer-key-MD5") != "m" || len(h) != 3 {
		t.Fatalf("ApplyPrefix: %v", h)
	}
}
