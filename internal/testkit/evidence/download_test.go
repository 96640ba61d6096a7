package evidence_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/bizapi-cn/go-sdk/evidence"
	"github.com/bizapi-cn/go-sdk/evidence/evidencetest"
	"github.com/bizapi-cn/go-sdk/internal/ssec"
	"github.com/go-resty/resty/v2"
)

// TestFileName: the object name of a presigned URL, unescaped, and never
// something that leaves a folder when joined to it.
func TestFileName(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"https://cos.example/b/DA1_h_app-tax-income_income1.html?sign=x": "DA1_h_app-tax-income_income1.html",
		"https://cos.example/b/%E4%B8%AA%E7%A8%8E.pdf?q":                 "个税.pdf",
		"https://cos.example/b/..":                                       "",
		"https://cos.example/b/..%2F..%2Fetc%2Fpasswd":                   "passwd",
		`https://cos.example/b/..%5C..%5Cwin.ini`:                        "win.ini",
		"https://cos.example/":                                           "",
		"https://cos.example":                                            "",
		"https://cos.example/b/x%00y":                                    "",
		"://bad":                                                         "",
	} {
		if got := evidence.FileName(in); got != want {
			t.Errorf("FileName(%q) = %q; want %q", in, got, want)
		}
	}
}

// TestDownloadNeverRedirectsKey: a request carrying an SSE-C key never
// follows a redirect, whatever the host's client does with them. net/http
// copies custom headers (the key) to a redirect's target, to another host
// and over plain http too; a host's resty client follows redirects by
// default. The host's client is otherwise used as given: its transport
// (here the one that trusts the test server's certificate) and its client
// headers; a file without a key still follows the host's policy.
func TestDownloadNeverRedirectsKey(t *testing.T) {
	t.Parallel()
	const key = "MDEyMzQ1Njc4OUFCQ0RFRjAxMjM0NTY3ODlBQkNERUY="
	var mu sync.Mutex
	var leaked []string // what reached another host, or another path
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		leaked = append(leaked, fmt.Sprintf("%s%s (key sent: %v)", r.Host, r.URL.Path, r.Header.Get("X-Amz-Server-Side-Encryption-Customer-Key") == key))
		mu.Unlock()
		_, _ = io.WriteString(w, "other")
	}))
	defer other.Close()
	target := strings.Replace(other.URL, "127.0.0.1", "localhost", 1) + "/stolen.pdf" // another host, plain http
	var traced atomic.Int64
	var cos *httptest.Server
	cos = httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-Host-Trace") == "t1" {
			traced.Add(1)
		}
		code, _ := strconv.Atoi(r.URL.Query().Get("code"))
		switch {
		case r.URL.Path == "/elsewhere":
			mu.Lock()
			leaked = append(leaked, fmt.Sprintf("%s%s (key sent: %v)", r.Host, r.URL.Path, r.Header.Get("X-Amz-Server-Side-Encryption-Customer-Key") == key))
			mu.Unlock()
		case r.URL.Query().Get("to") == "self":
			http.Redirect(w, r, cos.URL+"/elsewhere", code)
		default:
			http.Redirect(w, r, target, code)
		}
	}))
	defer cos.Close()
	// Each host client its own *http.Client: SetRedirectPolicy sets it.
	hc1, hc2, hc3 := *cos.Client(), *cos.Client(), *cos.Client()
	hostResty := resty.NewWithClient(&hc1) // net/http's policy: follow up to 10
	hostResty.SetHeader("X-Host-Trace", "t1")
	followTen := resty.NewWithClient(&hc2).SetRedirectPolicy(resty.FlexibleRedirectPolicy(10))
	hc3.CheckRedirect = func(*http.Request, []*http.Request) error { return nil } // follows any
	v := docs(t)
	for name, opt := range map[string]evidence.Option{
		"WithRestyClient default policy": evidence.WithRestyClient(hostResty),
		"WithRestyClient flexible(10)":   evidence.WithRestyClient(followTen),
		"WithHTTPClient":                 evidence.WithHTTPClient(&hc3),
	} {
		c, err := evidence.NewClient(evidence.WithApp("IDAkEBvb", v.DECSHash.AppKey), evidence.WithPrivateKey([]byte(v.AESKey.PrivateKeyPKCS8B64)),
			evidence.WithBaseURL(base), opt)
		if err != nil {
			t.Fatal(err)
		}
		for _, code := range []int{http.StatusMovedPermanently, http.StatusFound, http.StatusSeeOther, http.StatusTemporaryRedirect, http.StatusPermanentRedirect} {
			for _, to := range []string{"other", "self"} {
				u := fmt.Sprintf("%s/o.pdf?code=%d&to=%s&X-Amz-SignedHeaders=host", cos.URL, code, to)
				n, err := c.Download(context.Background(), evidence.RemoteFile{URL: u, FileKey: key}, io.Discard)
				if err == nil || !strings.Contains(err.Error(), "redirect not followed") || n != 0 {
					t.Errorf("%s: Download(redirect %d to %s) = %d, %v; want the redirect refused", name, code, to, n, err)
				}
			}
		}
	}
	mu.Lock()
	if len(leaked) > 0 {
		t.Errorf("a download with an SSE-C key followed a redirect: %q", leaked)
	}
	leaked = nil
	mu.Unlock()
	if traced.Load() == 0 {
		t.Error("the host's client headers did not reach the presigned URL's host")
	}
	if hostResty.GetClient().CheckRedirect != nil {
		t.Error("the host's *http.Client was modified")
	}
	// No key, nothing to protect: the host's policy applies.
	c, err := evidence.NewClient(evidence.WithApp("IDAkEBvb", v.DECSHash.AppKey), evidence.WithPrivateKey([]byte(v.AESKey.PrivateKeyPKCS8B64)),
		evidence.WithBaseURL(base), evidence.WithRestyClient(hostResty))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := c.Download(context.Background(), evidence.RemoteFile{URL: cos.URL + "/o.pdf?code=302"}, &buf); err != nil || buf.String() != "other" {
		t.Errorf("Download(no key, redirect) = %q, %v; want the host's policy followed", buf.String(), err)
	}
}

// TestFakeCOSSignedNames: the fake's COS endpoint takes the SSE-C headers
// only under the names its URLs sign, and with WithCOSHeaders its URLs
// take both COS shapes: the docs' (en main.md:746, the whole signature in
// one parameter, "?sign=q-sign-algorithm%3Dsha1%26…%26q-header-list%3Dhost%3Bx-cos-server-side-encryption-customer-algorithm%3B…")
// and the same parameters at the top level. The client downloads each; a
// client that sends the other names gets COS's 400, and one that rewrites
// the URL (the sign parameter unescaped into the query) COS's 403.
func TestFakeCOSSignedNames(t *testing.T) {
	t.Parallel()
	for _, cos := range []bool{false, true} {
		var opts []evidencetest.ServerOption
		signed, wrong := ssec.PrefixAmz, ssec.PrefixCOS
		if cos {
			opts = append(opts, evidencetest.WithCOSHeaders())
			signed, wrong = wrong, signed
		}
		srv, c, _ := fakeClient(t, opts, evidence.SuiteRSA)
		ctx := context.Background()
		st := completed(t, srv, c, "B-names")
		orig, err := c.GetOriginalFiles(ctx, &evidence.GetOriginalFilesRequest{DaID: st.DaID})
		if err != nil {
			t.Fatal(err)
		}
		parsed, err := c.GetParseResult(ctx, &evidence.GetParseResultRequest{DaID: st.DaID})
		if err != nil {
			t.Fatal(err)
		}
		files := append(orig.List(time.Time{}), parsed.List(time.Time{})...)
		shapes := map[string]bool{}
		for _, f := range files {
			u, _ := url.Parse(f.URL)
			q := u.Query()
			switch {
			case q.Get("sign") != "":
				shapes["nested"] = true
			case q.Get("q-header-list") != "":
				shapes["top-level cos"] = true
			case q.Get("X-Amz-SignedHeaders") != "":
				shapes["s3"] = true
			}
			if _, err := c.Download(ctx, f, io.Discard); err != nil {
				t.Errorf("cos=%v: Download(%s) = %v", cos, evidence.FileName(f.URL), err)
			}
			get := func(rawURL, prefix string) int {
				t.Helper()
				h, err := ssec.FromFileKey(f.FileKey)
				if err != nil {
					t.Fatal(err)
				}
				req, _ := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
				h.ApplyPrefix(req.Header, prefix)
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				return resp.StatusCode
			}
			if code := get(f.URL, signed); code != http.StatusOK {
				t.Errorf("cos=%v: GET under the signed names %s = %d; want 200", cos, signed, code)
			}
			if code := get(f.URL, wrong); code != http.StatusBadRequest {
				t.Errorf("cos=%v: GET under the names not signed %s = %d; want 400", cos, wrong, code)
			}
			if sign := q.Get("sign"); sign != "" {
				if code := get(strings.SplitN(f.URL, "?", 2)[0]+"?"+sign, signed); code != http.StatusForbidden {
					t.Errorf("cos=%v: GET with the sign parameter unescaped into the query = %d; want 403", cos, code)
				}
			}
		}
		want := map[string]bool{"s3": true}
		if cos {
			want = map[string]bool{"nested": true, "top-level cos": true}
		}
		if !maps.Equal(shapes, want) {
			t.Errorf("cos=%v: URL shapes %v; want %v", cos, shapes, want)
		}
	}
}
