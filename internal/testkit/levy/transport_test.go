package levy_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-resty/resty/v2"

	"github.com/bizapi-cn/go-sdk/internal/testkit/transporttest"
	"github.com/bizapi-cn/go-sdk/levy"
)

const agreementAnswer = `{"name":"UPLOAD_TAXPAYER_AGREEMENT","code":"0","message":"ok","data":{"request_id":"U1","status":"ACCEPT","contract_id":"K1"}}`

// answerAgreement reads the request and answers it with a signed
// acceptance; seen, when not nil, is called first.
func answerAgreement(seen func(*http.Request)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if seen != nil {
			seen(r)
		}
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Api-Sign", hmacB64(vectorSecret, agreementAnswer))
		_, _ = io.WriteString(w, agreementAnswer)
	})
}

func agreement(f levy.File) *levy.UploadTaxpayerAgreementRequest {
	return &levy.UploadTaxpayerAgreementRequest{RequestID: "U1", IDCard: "110101199003074477", Name: "张三", Cellphone: "13800138000",
		TaxAgentParentID: "12", ContractID: "K1", ContractType: levy.ContractTypeEmpower, File: f}
}

func smallPDF() levy.File { return levy.FileFromBytes("k.pdf", []byte("%PDF-1.4\n%%EOF")) }

func transportClient(t *testing.T, url string, opts ...levy.Option) *levy.Client {
	t.Helper()
	c, err := levy.NewClient(append([]levy.Option{levy.WithCredentials(vectorKey, vectorSecret), levy.WithBaseURL(url)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestUploadStreamsThroughSend: a 9 MiB agreement, made as it is read, is
// on its way to the server (the request has arrived, with its
// Content-Length) while most of the file is still to be read for sending:
// the upload is streamed, never held whole.
func TestUploadStreamsThroughSend(t *testing.T) {
	t.Parallel()
	const size = 9 << 20
	var mu sync.Mutex
	var opened []*transporttest.Produced
	var atStart atomic.Int64
	var gotLen int64
	srv := httptest.NewServer(answerAgreement(func(r *http.Request) {
		gotLen = r.ContentLength
		mu.Lock()
		atStart.Store(opened[len(opened)-1].Done()) // the sending pass's file
		mu.Unlock()
	}))
	defer srv.Close()
	f := levy.File{Name: "k.pdf", Size: size, Open: func() (io.ReadCloser, error) {
		p := &transporttest.Produced{Prefix: []byte("%PDF-1.4\n"), N: size}
		mu.Lock()
		opened = append(opened, p)
		mu.Unlock()
		return io.NopCloser(p), nil
	}}
	c := transportClient(t, srv.URL)
	if _, err := c.UploadTaxpayerAgreement(context.Background(), agreement(f)); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(opened) != 2 || atStart.Load() > size/2 || gotLen < size {
		t.Errorf("file opened %d times, %d of %d bytes read when the request arrived, Content-Length %d; want 2 passes, the request before the file is read, its length", len(opened), atStart.Load(), size, gotLen)
	}
}

// TestWithRestyClient: the host's resty client carries the calls, a plain
// call through its hook and headers, an upload through its *http.Client
// and headers; the SDK's User-Agent is kept and the client is unchanged.
func TestWithRestyClient(t *testing.T) {
	t.Parallel()
	var hosts, uas atomic.Value
	srv := httptest.NewServer(answerAgreement(func(r *http.Request) { hosts.Store(r.Header.Get("X-Host")); uas.Store(r.UserAgent()) }))
	defer srv.Close()
	host := transporttest.NewHost()
	before := host.Settings()
	c := transportClient(t, srv.URL, levy.WithRestyClient(host.Client), levy.WithUserAgent("sdk-test/1"))
	if _, err := c.UploadTaxpayerAgreement(context.Background(), agreement(smallPDF())); err != nil {
		t.Fatal(err)
	}
	if hosts.Load() != "1" || uas.Load() != "sdk-test/1" {
		t.Errorf("upload: X-Host %q, User-Agent %q; want the host's header and the SDK's agent", hosts.Load(), uas.Load())
	}
	hosts.Store("")
	// The answer is the agreement's: a malformed one for a query. Only
	// the way the request went matters here.
	_, _ = c.QueryOrder(context.Background(), &levy.QueryOrderRequest{RequestID: "Q1"})
	if host.Hooked.Load() != 1 || hosts.Load() != "1" || uas.Load() != "sdk-test/1" {
		t.Errorf("query: hook ran %d times, X-Host %q, User-Agent %q; want once, the host's header, the SDK's agent", host.Hooked.Load(), hosts.Load(), uas.Load())
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
		opts []levy.Option
		want string
	}{
		"nil":                    {[]levy.Option{levy.WithRestyClient(nil)}, "WithRestyClient"},
		"retries":                {[]levy.Option{levy.WithRestyClient(resty.New().SetRetryCount(3))}, "WithRestyClient"},
		"with an http.Client":    {[]levy.Option{levy.WithRestyClient(resty.New()), levy.WithHTTPClient(&http.Client{})}, "WithHTTPClient"},
		"zero conns":             {[]levy.Option{levy.WithMaxConnsPerHost(0)}, "WithMaxConnsPerHost"},
		"conns with http.Client": {[]levy.Option{levy.WithMaxConnsPerHost(2), levy.WithHTTPClient(&http.Client{})}, "WithMaxConnsPerHost"},
		"conns with resty":       {[]levy.Option{levy.WithMaxConnsPerHost(2), levy.WithRestyClient(resty.New())}, "WithMaxConnsPerHost"},
	} {
		_, err := levy.NewClient(append([]levy.Option{levy.WithCredentials(vectorKey, vectorSecret), levy.WithBaseURL("https://example.com")}, c.opts...)...)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: NewClient = %v; want an error naming %s", name, err, c.want)
		}
	}
}

// TestWithMaxConnsPerHost: with 2, 8 concurrent calls open at most 2
// connections; by default, 8 callers reuse theirs.
func TestWithMaxConnsPerHost(t *testing.T) {
	t.Parallel()
	srv, conns := transporttest.NewCountingServer(t, answerAgreement(func(*http.Request) { time.Sleep(5 * time.Millisecond) }))
	transporttest.CheckMaxConns(t, conns, func(limited bool) func() error {
		var opts []levy.Option
		if limited {
			opts = append(opts, levy.WithMaxConnsPerHost(2))
		}
		cl := transportClient(t, srv.URL, opts...)
		return func() error {
			_, err := cl.UploadTaxpayerAgreement(context.Background(), agreement(smallPDF()))
			return err
		}
	})
}
