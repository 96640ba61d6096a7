package evidence_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-resty/resty/v2"

	"github.com/bizapi-cn/go-sdk/evidence"
	"github.com/bizapi-cn/go-sdk/internal/testkit/transporttest"
)

// transportClient is a client of the docs' app for url, without the
// mock transport newClient sets.
func transportClient(t *testing.T, url string, opts ...evidence.Option) (*evidence.Client, error) {
	t.Helper()
	v := docs(t)
	return evidence.NewClient(append([]evidence.Option{evidence.WithApp("IDAkEBvb", v.DECSHash.AppKey), evidence.WithBaseURL(url),
		evidence.WithPrivateKey([]byte(v.AESKey.PrivateKeyPKCS8B64))}, opts...)...)
}

// statusAnswer answers any call with a DECS refusal after reading it.
func statusAnswer(seen func(*http.Request)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if seen != nil {
			seen(r)
		}
		_, _ = io.Copy(io.Discard, r.Body)
		_, _ = io.WriteString(w, `{"errorCode":-1,"errorMessage":"refused"}`)
	})
}

// TestWithRestyClient: the host's resty client carries a call through its
// hook and headers and an upload through its *http.Client and headers,
// both with the SDK's User-Agent; it is unchanged after.
func TestWithRestyClient(t *testing.T) {
	t.Parallel()
	var hosts, uas atomic.Value
	srv, _ := transporttest.NewCountingServer(t, statusAnswer(func(r *http.Request) { hosts.Store(r.Header.Get("X-Host")); uas.Store(r.UserAgent()) }))
	host := transporttest.NewHost()
	before := host.Settings()
	c, err := transportClient(t, srv.URL, evidence.WithRestyClient(host.Client), evidence.WithUserAgent("sdk-test/1"))
	if err != nil {
		t.Fatal(err)
	}
	var ae *evidence.APIError
	if _, err := c.GetStatus(context.Background(), &evidence.GetStatusRequest{DaID: "DA1"}); !errors.As(err, &ae) {
		t.Fatalf("GetStatus through the host's client: %v", err)
	}
	if host.Hooked.Load() != 1 || hosts.Load() != "1" || uas.Load() != "sdk-test/1" {
		t.Errorf("call: hook ran %d times, X-Host %q, User-Agent %q; want once, the host's header, the SDK's agent", host.Hooked.Load(), hosts.Load(), uas.Load())
	}
	hosts.Store("")
	_, _ = c.UploadUserProtocol(context.Background(), &evidence.UploadUserProtocolRequest{IDNo: "110101199003074477", Site: "app-tax-income",
		Files: []evidence.File{evidence.FileFromBytes("agreement.pdf", []byte("%PDF-1.4 agreement"))}})
	if hosts.Load() != "1" || uas.Load() != "sdk-test/1" {
		t.Errorf("upload: X-Host %q, User-Agent %q; want the host's header and the SDK's agent", hosts.Load(), uas.Load())
	}
	if after := host.Settings(); after != before {
		t.Errorf("the host's client changed:\n%s\nwant\n%s", after, before)
	}
}

// TestTransportOptionsRefused: nil, a resty client that retries on its
// own, and the options that exclude each other are refused, naming the
// option.
func TestTransportOptionsRefused(t *testing.T) {
	t.Parallel()
	for name, c := range map[string]struct {
		opts []evidence.Option
		want string
	}{
		"nil":                    {[]evidence.Option{evidence.WithRestyClient(nil)}, "WithRestyClient"},
		"retries":                {[]evidence.Option{evidence.WithRestyClient(resty.New().SetRetryCount(3))}, "WithRestyClient"},
		"with an http.Client":    {[]evidence.Option{evidence.WithRestyClient(resty.New()), evidence.WithHTTPClient(&http.Client{})}, "WithHTTPClient"},
		"zero conns":             {[]evidence.Option{evidence.WithMaxConnsPerHost(0)}, "WithMaxConnsPerHost"},
		"conns with http.Client": {[]evidence.Option{evidence.WithMaxConnsPerHost(2), evidence.WithHTTPClient(&http.Client{})}, "WithMaxConnsPerHost"},
		"conns with resty":       {[]evidence.Option{evidence.WithMaxConnsPerHost(2), evidence.WithRestyClient(resty.New())}, "WithMaxConnsPerHost"},
	} {
		if _, err := transportClient(t, base, c.opts...); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: NewClient = %v; want an error naming %s", name, err, c.want)
		}
	}
}

// TestWithMaxConnsPerHost: with 2, 8 concurrent calls open at most 2
// connections; by default, 8 callers reuse theirs.
func TestWithMaxConnsPerHost(t *testing.T) {
	t.Parallel()
	srv, conns := transporttest.NewCountingServer(t, statusAnswer(func(*http.Request) { time.Sleep(5 * time.Millisecond) }))
	transporttest.CheckMaxConns(t, conns, func(limited bool) func() error {
		var opts []evidence.Option
		if limited {
			opts = append(opts, evidence.WithMaxConnsPerHost(2))
		}
		cl, err := transportClient(t, srv.URL, opts...)
		if err != nil {
			t.Fatal(err)
		}
		return func() error {
			_, err := cl.GetStatus(context.Background(), &evidence.GetStatusRequest{DaID: "DA1"})
			if ae := (*evidence.APIError)(nil); errors.As(err, &ae) {
				return nil // the answer the server gives
			}
			return err
		}
	})
}
