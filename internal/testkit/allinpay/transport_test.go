package allinpay_test

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

	"github.com/bizapi-cn/go-sdk/allinpay"
	"github.com/bizapi-cn/go-sdk/allinpay/allinpaytest"
	"github.com/bizapi-cn/go-sdk/internal/testkit/transporttest"
)

// TestWithRestyClient: the host's resty client carries the calls, through
// its hook and headers, with the SDK's User-Agent; it is unchanged after.
func TestWithRestyClient(t *testing.T) {
	t.Parallel()
	srv, err := allinpaytest.NewServer()
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	host := transporttest.NewHost()
	var ua atomic.Value
	host.Client.OnBeforeRequest(func(_ *resty.Client, r *resty.Request) error { ua.Store(r.Header.Get("User-Agent")); return nil })
	before := host.Settings()
	c, err := allinpay.NewClient(allinpay.WithMerchant(srv.AccessCode, srv.MchNo), allinpay.WithKeys(srv.MerchantPrivateKey, srv.PlatformPublicKey),
		allinpay.WithBaseURL(srv.URL), allinpay.WithRestyClient(host.Client), allinpay.WithUserAgent("sdk-test/1"))
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.QueryOrder(context.Background(), &allinpay.QueryOrderRequest{OriOutTransNo: "O-1"})
	var ae *allinpay.APIError
	if err != nil && !errors.As(err, &ae) {
		t.Fatalf("QueryOrder through the host's client: %v", err)
	}
	if host.Hooked.Load() != 1 || ua.Load() != "sdk-test/1" {
		t.Errorf("hook ran %d times, User-Agent %q; want once, the SDK's", host.Hooked.Load(), ua.Load())
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
	mp, pp, _, _ := vectorKeys(t)
	for name, c := range map[string]struct {
		opts []allinpay.Option
		want string
	}{
		"nil":                    {[]allinpay.Option{allinpay.WithRestyClient(nil)}, "WithRestyClient"},
		"retries":                {[]allinpay.Option{allinpay.WithRestyClient(resty.New().SetRetryCount(3))}, "WithRestyClient"},
		"with an http.Client":    {[]allinpay.Option{allinpay.WithRestyClient(resty.New()), allinpay.WithHTTPClient(&http.Client{})}, "WithHTTPClient"},
		"zero conns":             {[]allinpay.Option{allinpay.WithMaxConnsPerHost(0)}, "WithMaxConnsPerHost"},
		"conns with http.Client": {[]allinpay.Option{allinpay.WithMaxConnsPerHost(2), allinpay.WithHTTPClient(&http.Client{})}, "WithMaxConnsPerHost"},
		"conns with resty":       {[]allinpay.Option{allinpay.WithMaxConnsPerHost(2), allinpay.WithRestyClient(resty.New())}, "WithMaxConnsPerHost"},
	} {
		_, err := allinpay.NewClient(append([]allinpay.Option{allinpay.WithMerchant("20000000", "6666666600003"), allinpay.WithKeys(mp, pp),
			allinpay.WithBaseURL(allinpay.TestBaseURL)}, c.opts...)...)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: NewClient = %v; want an error naming %s", name, err, c.want)
		}
	}
}

// TestWithMaxConnsPerHost: with 2, 8 concurrent calls open at most 2
// connections; by default, 8 callers reuse theirs.
func TestWithMaxConnsPerHost(t *testing.T) {
	t.Parallel()
	mp, pp, _, _ := vectorKeys(t)
	srv, conns := transporttest.NewCountingServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		time.Sleep(5 * time.Millisecond)
		_, _ = io.WriteString(w, `{"returnCode":"0012","returnMsg":"unsigned refusal"}`)
	}))
	transporttest.CheckMaxConns(t, conns, func(limited bool) func() error {
		var opts []allinpay.Option
		if limited {
			opts = append(opts, allinpay.WithMaxConnsPerHost(2))
		}
		cl, err := allinpay.NewClient(append([]allinpay.Option{allinpay.WithMerchant("20000000", "6666666600003"), allinpay.WithKeys(mp, pp),
			allinpay.WithBaseURL(srv.URL)}, opts...)...)
		if err != nil {
			t.Fatal(err)
		}
		return func() error {
			_, err := cl.QueryOrder(context.Background(), &allinpay.QueryOrderRequest{OriOutTransNo: "O-1"})
			if ae := (*allinpay.APIError)(nil); errors.As(err, &ae) {
				return nil // the answer the server gives
			}
			return err
		}
	})
}
