package evidence_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/bizapi-cn/go-sdk/evidence"
	"github.com/bizapi-cn/go-sdk/evidence/evidencetest"
	"github.com/bizapi-cn/go-sdk/internal/fault"
	"github.com/bizapi-cn/go-sdk/internal/transport"
)

// TestResponseSizeLimit: an endless answer is cut at the limit; a query is
// retried, a session start is reported as ErrOutcomeUnknown after one
// request.
func TestResponseSizeLimit(t *testing.T) {
	t.Parallel()
	v := docs(t)
	var calls atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "update-aes-key") {
			_, _ = io.WriteString(w, `{"errorCode":0,"data":{"aeskey":"`+v.AESKey.EncryptedB64+`"}}`)
			return
		}
		calls.Add(1)
		_, _ = io.Copy(w, io.LimitReader(fault.Endless{}, 64<<20))
	}))
	defer srv.Close()
	c := newClient(t, nil, evidence.WithHTTPClient(srv.Client()), evidence.WithBaseURL(srv.URL), evidence.WithMaxResponseBytes(64<<10), evidence.WithRetries(1))
	if _, err := c.GetStatus(context.Background(), &evidence.GetStatusRequest{DaID: "DA1"}); !errors.Is(err, transport.ErrBodyTooLarge) || calls.Load() != 2 {
		t.Errorf("status: %v after %d requests", err, calls.Load())
	}
	calls.Store(0)
	_, err := c.StartAcquisition(context.Background(), fill(&evidence.StartAcquisitionRequest{Site: "tax", BizNo: "B1", OpenID: "u"}))
	if !errors.Is(err, evidence.ErrOutcomeUnknown) || !errors.Is(err, transport.ErrBodyTooLarge) || calls.Load() != 1 {
		t.Errorf("start: %v after %d requests", err, calls.Load())
	}
}

// TestDefaultLimitPerEndpoint: without WithMaxResponseBytes each answer is
// bounded by its endpoint's DefaultMaxResponseBytes (issue #20: "evidence
// per endpoint"), and the option replaces the bound.
func TestDefaultLimitPerEndpoint(t *testing.T) {
	t.Parallel()
	if evidence.DefaultMaxResponseBytes(evidence.OperationGetStatus) != 1<<20 || evidence.DefaultMaxResponseBytes(evidence.OperationUpdateAESKey) != 64<<10 {
		t.Fatal("the documented bounds changed: update the doc and this test")
	}
	v := docs(t)
	var pad atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "update-aes-key") {
			_, _ = io.WriteString(w, `{"errorCode":0,"data":{"aeskey":"`+v.AESKey.EncryptedB64+`"}}`)
			return
		}
		_, _ = io.WriteString(w, `{"errorCode":0,"data":{"daId":"DA1","bizNo":"`+strings.Repeat("b", int(pad.Load()))+`","daStatus":10}}`)
	}))
	defer srv.Close()
	status := func(opts ...evidence.Option) error {
		c := newClient(t, nil, append([]evidence.Option{evidence.WithHTTPClient(srv.Client()), evidence.WithBaseURL(srv.URL), evidence.WithRetries(0)}, opts...)...)
		_, err := c.GetStatus(context.Background(), &evidence.GetStatusRequest{DaID: "DA1"})
		return err
	}
	pad.Store(1<<20 - 200) // just under get-da-status's 1 MiB
	if err := status(); err != nil {
		t.Errorf("an answer under get-da-status's bound: %v", err)
	}
	pad.Store(1<<20 + 1)
	if err := status(); !errors.Is(err, transport.ErrBodyTooLarge) {
		t.Errorf("an answer over get-da-status's bound: %v, want ErrBodyTooLarge", err)
	}
	if err := status(evidence.WithMaxResponseBytes(2 << 20)); err != nil {
		t.Errorf("the same answer under WithMaxResponseBytes(2 MiB): %v", err)
	}
	pad.Store(100 << 10) // over start-vdi-x's 64 KiB, under get-da-status's
	if err := status(); err != nil {
		t.Errorf("100 KiB get-da-status answer: %v", err)
	}
	c := newClient(t, nil, evidence.WithHTTPClient(srv.Client()), evidence.WithBaseURL(srv.URL))
	_, err := c.StartAcquisition(context.Background(), fill(&evidence.StartAcquisitionRequest{Site: "tax", BizNo: "B1", OpenID: "u"}))
	if !errors.Is(err, transport.ErrBodyTooLarge) || !errors.Is(err, evidence.ErrOutcomeUnknown) {
		t.Errorf("100 KiB start-vdi-x answer: %v, want ErrBodyTooLarge", err)
	}
}

// TestReconFileOverBound: a reconciliation file longer than its bound is
// an error; it is never read as a shorter file, whose missing rows would
// say sessions were never opened.
func TestReconFileOverBound(t *testing.T) {
	t.Parallel()
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/r.csv" {
			_, _ = io.WriteString(w, evidencetest.ReconHeader+"\n")
			for i := range 1000 { // about 80 KiB
				fmt.Fprintf(w, "DA%d,B%d,APP00001,tax,,h5,10,0,10,0,1700000000,Y,N,Y,2026-11-30 10:00:00\n", i, i)
			}
			return
		}
		_, _ = io.WriteString(w, `{"errorCode":0,"data":{"fileUrl":"`+srv.URL+`/r.csv"}}`)
	}))
	defer srv.Close()
	day := time.Now().AddDate(0, 0, -2)
	c := newClient(t, nil, evidence.WithHTTPClient(srv.Client()), evidence.WithBaseURL(srv.URL), evidence.WithMaxResponseBytes(64<<10))
	if rows, err := c.FetchRecon(context.Background(), &evidence.GetReconFileRequest{Date: day}); !errors.Is(err, transport.ErrBodyTooLarge) {
		t.Errorf("an 80 KiB recon file under a 64 KiB bound: %d rows, %v; want ErrBodyTooLarge", len(rows), err)
	}
	c = newClient(t, nil, evidence.WithHTTPClient(srv.Client()), evidence.WithBaseURL(srv.URL))
	if rows, err := c.FetchRecon(context.Background(), &evidence.GetReconFileRequest{Date: day}); err != nil || len(rows) != 1000 {
		t.Errorf("the same file under the default bound: %d rows, %v", len(rows), err)
	}
}
