package evidence_test

import (
	"bytes"
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/tls"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"testing/iotest"
	"time"

	"github.com/bizapi-cn/go-sdk/evidence"
	"github.com/bizapi-cn/go-sdk/evidence/evidencetest"
	"github.com/bizapi-cn/go-sdk/internal/fault"
	"github.com/bizapi-cn/go-sdk/internal/keys"
	"github.com/bizapi-cn/go-sdk/internal/testkit/loadtest"
	"github.com/bizapi-cn/go-sdk/internal/testkit/tampertest"
	"github.com/bizapi-cn/go-sdk/internal/testvectors"
)

const okAnswer = `{"errorCode":0,"errorMessage":"OK"}`

func ackedOK(status int, b []byte) bool { return status == 200 && string(b) == okAnswer }

// TestReliabilityTamperedNotifications: forged and tampered notifications
// are refused by ParseNotification (ErrInvalidSignature) and by the
// handler, and never reach the host. Reordered keys are not tampering:
// DECSHASH covers the sorted form, so the reordered body is the same
// notification, handled once with the genuine one and a replay.
func TestReliabilityTamperedNotifications(t *testing.T) {
	t.Parallel()
	srv, err := evidencetest.NewServer()
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	c, err := evidence.NewClient(evidence.WithApp(srv.AppID, srv.AppKey), evidence.WithPrivateKey(srv.PrivateKey),
		evidence.WithNotifyPublicKey(srv.NotifyPublicKey), evidence.WithBaseURL(srv.URL))
	if err != nil {
		t.Fatal(err)
	}
	var calls atomic.Int64
	h := notificationHandler(t, c, func(context.Context, *evidence.Notification) error { calls.Add(1); return nil }, newMemoryDedup(t))
	body, hash, sign := srv.Notification(evidence.FuncDaFileParsed, map[string]any{"daId": "DA1", "bizNo": "B1", "site": "tax", "daStatus": 10,
		"authorizedTs": 1700000000000, "fileUrlList": []string{"https://cos.example/DA1_tax_0.pdf"}, "jsonResult": 10, "ext": map[string]any{"fileKey": srv.FileKey()}})
	hdr := func(h, s string) http.Header { return http.Header{"Decshash": {h}, "Decssign": {s}} }
	_, otherHash, otherSign := srv.Notification(evidence.FuncDaFailed, map[string]any{"daId": "DA2", "daStatus": 41})
	pp, _ := testvectors.Read("keys/merchant_rsa_private_pkcs1.pem")
	forger, _ := keys.ParseRSAPrivateKey(pp)
	sum := sha256.Sum256([]byte(hash))
	forged, _ := rsa.SignPKCS1v15(rand.Reader, forger, crypto.SHA256, sum[:])
	wrongKeyHash := docsHash("another-app-key", body)
	rep := func(old, new string) []byte { return bytes.Replace(body, []byte(old), []byte(new), 1) }
	const ct = "application/json"
	cases := []tampertest.Case{
		{Name: "wrong appKey", ContentType: ct, Header: hdr(wrongKeyHash, sign), Body: body, Want: evidence.ErrInvalidSignature},
		{Name: "DECSSIGN by another key", ContentType: ct, Header: hdr(hash, base64.StdEncoding.EncodeToString(forged)), Body: body, Want: evidence.ErrInvalidSignature},
		{Name: "flipped byte", ContentType: ct, Header: hdr(hash, sign), Body: rep(`"daStatus":10`, `"daStatus":19`), Want: evidence.ErrInvalidSignature},
		{Name: "field added", ContentType: ct, Header: hdr(hash, sign), Body: rep(`"daId":"DA1"`, `"daId":"DA1","extra":1`), Want: evidence.ErrInvalidSignature},
		{Name: "field removed", ContentType: ct, Header: hdr(hash, sign), Body: rep(`"bizNo":"B1",`, ``), Want: evidence.ErrInvalidSignature},
		{Name: "hash and signature of another notification", ContentType: ct, Header: hdr(otherHash, otherSign), Body: body, Want: evidence.ErrInvalidSignature},
		{Name: "truncated body", ContentType: ct, Header: hdr(hash, sign), Body: body[:len(body)/2], Want: evidence.ErrInvalidSignature},
		{Name: "wrong content type", ContentType: "application/x-www-form-urlencoded", Header: hdr(hash, sign), Body: body, HandlerOnly: true, WantStatus: http.StatusBadRequest},
		{Name: "invalid UTF-8", ContentType: ct, Header: hdr(hash, sign), Body: rep(`"site":"tax"`, "\"site\":\"t\xffx\""), Want: evidence.ErrInvalidSignature},
		{Name: "duplicate key", ContentType: ct, Header: hdr(hash, sign), Body: rep(`"daId":"DA1"`, `"daId":"DA1","daId":"DA9"`), Want: evidence.ErrInvalidSignature},
		{Name: "no headers", ContentType: ct, Body: body, Want: evidence.ErrInvalidSignature},
		{Name: "signature not base64", ContentType: ct, Header: hdr(hash, "%%%"), Body: body, Want: evidence.ErrInvalidSignature},
		{Name: "oversized", ContentType: ct, Header: hdr(hash, sign), Body: tampertest.Oversized(body, 1<<20), HandlerOnly: true, WantStatus: http.StatusRequestEntityTooLarge},
	}
	refused, tried := tampertest.Run(t, tampertest.Target{
		Parse: func(ctx context.Context, _ string, h http.Header, b []byte) error {
			_, err := parseWith(c, ctx, h.Get("DECSHASH"), h.Get("DECSSIGN"), b)
			return err
		},
		Handler: h, Calls: func() int { return int(calls.Load()) }, Acked: ackedOK,
	}, cases)
	reordered := rep(`"func":"daFileParsed","v":"2.0.0"`, `"v":"2.0.0","func":"daFileParsed"`)
	if bytes.Equal(reordered, body) {
		t.Fatal("the reordering did not apply")
	}
	for _, b := range [][]byte{body, reordered, body} {
		if rec := tampertest.Deliver(h, ct, hdr(hash, sign), b); !ackedOK(rec.Code, rec.Body.Bytes()) {
			t.Errorf("genuine/reordered/replayed %s: %d %s", b, rec.Code, rec.Body.String())
		}
	}
	if calls.Load() != 1 {
		t.Errorf("genuine, reordered and replayed handled %d times; want 1", calls.Load())
	}
	t.Logf("evidence: %d/%d tampered notifications refused; reordered and replayed copies handled once", refused, tried)
}

// TestReliabilityOutboundFaults: each fault on a query (get-da-status), a
// session start and an agreement upload, with the requests the fake
// received. DECS answers carry no signature, so there is no bad-signature
// case; a retryable errorCode takes its place.
func TestReliabilityOutboundFaults(t *testing.T) {
	t.Parallel()
	type op struct {
		name, path string
		query      bool
		call       func(ctx context.Context, c *evidence.Client, daID string) error
	}
	ops := []op{
		{"status", "/api/das/get-da-status", true, func(ctx context.Context, c *evidence.Client, daID string) error {
			_, err := c.GetStatus(ctx, &evidence.GetStatusRequest{DaID: daID})
			return err
		}},
		{"start", "/api/das/start-vdi-x", false, func(ctx context.Context, c *evidence.Client, _ string) error {
			_, err := c.StartAcquisition(ctx, fill(&evidence.StartAcquisitionRequest{Site: "tax", BizNo: "B-fault", OpenID: "u"}))
			return err
		}},
		{"upload", "/api/das/upload-user-protocol-x", false, func(ctx context.Context, c *evidence.Client, _ string) error {
			_, err := c.UploadUserProtocol(ctx, &evidence.UploadUserProtocolRequest{IDNo: "110101199003074477", Site: "tax", Files: []evidence.File{evidence.FileFromBytes("a.pdf", []byte("%PDF-1.4 x"))}})
			return err
		}},
	}
	faults := []struct {
		name      string
		fault     evidencetest.Fault
		queryOK   bool
		wantQuery int
		wantState error
		deadline  time.Duration
		stateSent int
	}{
		{"500", evidencetest.Fault{Kind: evidencetest.FaultStatus500}, true, 2, evidence.ErrOutcomeUnknown, 0, 1},
		{"reset before processing", evidencetest.Fault{Kind: evidencetest.FaultDropConnection}, true, 2, evidence.ErrOutcomeUnknown, 0, 1},
		{"reset after processing", evidencetest.Fault{Kind: evidencetest.FaultProcessThenDrop}, true, 2, evidence.ErrOutcomeUnknown, 0, 1},
		{"truncated answer", evidencetest.Fault{Kind: evidencetest.FaultTruncated}, true, 2, evidence.ErrOutcomeUnknown, 0, 1},
		{"retryable errorCode", evidencetest.Fault{Kind: evidencetest.FaultRetryableCode}, true, 2, nil, 0, 1},
		{"delay past the deadline", evidencetest.Fault{Kind: evidencetest.FaultDelay, Delay: 3 * time.Second}, false, 1, evidence.ErrOutcomeUnknown, 150 * time.Millisecond, 1},
	}
	survived, tried := 0, 0
	for _, f := range faults {
		for _, o := range ops {
			srv, c, _ := fakeClient(t, nil, evidence.SuiteRSA)
			ctx := context.Background()
			st, err := c.StartAcquisition(ctx, fill(&evidence.StartAcquisitionRequest{Site: "tax", BizNo: "B-0", OpenID: "u"})) // also fetches the key
			if err != nil {
				t.Fatal(err)
			}
			before := srv.Calls(o.path)
			f.fault.Count = 1
			srv.Inject(f.fault)
			if f.deadline > 0 {
				var cancel context.CancelFunc
				ctx, cancel = context.WithTimeout(ctx, f.deadline)
				defer cancel()
			}
			err = o.call(ctx, c, st.DaID)
			n := srv.Calls(o.path) - before
			tried++
			var ok bool
			switch {
			case o.query && f.queryOK:
				ok = err == nil && n == f.wantQuery
			case o.query:
				ok = err != nil && n == f.wantQuery
			case f.wantState == nil: // a retryable errorCode on a state change: returned, not retried
				ok = isCode(err, -48007) && n == 1
			default:
				ok = errors.Is(err, f.wantState) && n == f.stateSent
			}
			if ok {
				survived++
			} else {
				t.Errorf("%s on %s: err %v after %d requests", f.name, o.name, err, n)
			}
		}
	}
	srv, err := evidencetest.NewServer()
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	tlsSrv, handshakes := fault.UntrustedTLS(srv.Config.Handler)
	defer tlsSrv.Close()
	c, _ := evidence.NewClient(evidence.WithApp(srv.AppID, srv.AppKey), evidence.WithPrivateKey(srv.PrivateKey), evidence.WithBaseURL(tlsSrv.URL),
		evidence.WithRetries(2), evidence.WithHTTPClient(fault.SystemRootsClient()))
	_, err = c.StartAcquisition(context.Background(), fill(&evidence.StartAcquisitionRequest{Site: "tax", BizNo: "B-tls", OpenID: "u"}))
	var cert *tls.CertificateVerificationError
	tried++
	// start-vdi-x first fetches the field key: that query is what the
	// three attempts are spent on, and nothing reaches the fake.
	if errors.As(err, &cert) && !errors.Is(err, evidence.ErrOutcomeUnknown) && srv.Calls("/api/das/update-aes-key") == 0 && handshakes() == 1 { // an untrusted certificate is never retried
		survived++
	} else {
		t.Errorf("TLS failure: err %v, %d handshakes; want a certificate error after 1 (never retried)", err, handshakes())
	}
	// A TLS record error on start-vdi-x's answer, after the fake took the
	// session (bytes a device on the path wrote): unknown, sent once.
	corrupt := fault.CorruptTLS(srv.Config.Handler, func(r *http.Request) bool { return r.URL.Path == "/api/das/start-vdi-x" })
	defer corrupt.Close()
	c, _ = evidence.NewClient(evidence.WithApp(srv.AppID, srv.AppKey), evidence.WithPrivateKey(srv.PrivateKey), evidence.WithBaseURL(corrupt.URL),
		evidence.WithRetries(2), evidence.WithHTTPClient(corrupt.Client()))
	before := srv.Calls("/api/das/start-vdi-x")
	agree(t, c, "tax")
	_, err = c.StartAcquisition(context.Background(), fill(&evidence.StartAcquisitionRequest{Site: "tax", BizNo: "B-tls-record", OpenID: "u"}))
	tried++
	if n := srv.Calls("/api/das/start-vdi-x") - before; errors.Is(err, evidence.ErrOutcomeUnknown) && n == 1 {
		survived++
	} else {
		t.Errorf("TLS record error after processing: err %v, %d requests; want ErrOutcomeUnknown, 1", err, n)
	}
	// A download cut off mid-file is an error, never a short file.
	srv2, c2, _ := fakeClient(t, nil, evidence.SuiteRSA)
	agree(t, c2, "tax")
	st, _ := c2.StartAcquisition(context.Background(), fill(&evidence.StartAcquisitionRequest{Site: "tax", BizNo: "B-dl", OpenID: "u"}))
	_ = srv2.Complete(st.DaID, map[string][]byte{"tax_0.pdf": bytes.Repeat([]byte("%PDF"), 1<<16)})
	files, _ := c2.GetOriginalFiles(context.Background(), &evidence.GetOriginalFilesRequest{DaID: st.DaID})
	cut := &cutWriter{limit: 1 << 10}
	_, err = c2.Download(context.Background(), files.List(time.Time{})[0], cut)
	tried++
	if err != nil && strings.Contains(err.Error(), "download") {
		survived++
	} else {
		t.Errorf("download into a failing writer: %v", err)
	}
	t.Logf("evidence: %d/%d outbound faults gave the right error and request count", survived, tried)
}

// cutWriter fails after limit bytes, like a full disk.
type cutWriter struct{ n, limit int }

func (w *cutWriter) Write(p []byte) (int, error) {
	if w.n+len(p) > w.limit {
		return 0, io.ErrShortWrite
	}
	w.n += len(p)
	return len(p), nil
}

// TestReliabilityNotificationDelivery: loadtest.Size() signed
// notifications (10,000 with RELIABILITY_LONG=1) through the handler with
// duplicates and a failing host.
func TestReliabilityNotificationDelivery(t *testing.T) {
	t.Parallel()
	srv, c, _ := fakeClient(t, nil, evidence.SuiteRSA)
	run := loadtest.New(loadtest.Config{Burst: 100, Duplicates: 0.1, FailRate: 0.1, Seed: 13, Acked: ackedOK})
	h := notificationHandler(t, c, func(ctx context.Context, n *evidence.Notification) error { return run.Host(ctx, n.Data.DaID) }, newMemoryDedup(t))
	notes := make([]loadtest.Note, loadtest.Size())
	for i := range notes {
		id := fmt.Sprintf("DA%08d", i)
		body, hash, sign := srv.Notification(evidence.FuncDaFailed, map[string]any{"daId": id, "daStatus": 41, "ext": map[string]any{"daSubStatus": "81530"}})
		notes[i] = loadtest.Note{ID: id, ContentType: "application/json", Header: http.Header{"Decshash": {hash}, "Decssign": {sign}}, Body: body}
	}
	res, err := run.Deliver(context.Background(), h, notes)
	if err != nil || !res.OK() {
		t.Fatalf("%v, %v", res, err)
	}
	t.Logf("evidence: %v", res)
}

// TestUploadCutByItsFileIsNeverSent: the agreement is read twice, once for
// the DECSHASH and once into the body. When the second read fails, the
// body is cut short of its Content-Length and of what its DECSHASH covers:
// DECS never had the whole request and cannot have acted on it. It was an
// *OutcomeUnknownError (a query by site the host then made for nothing);
// it is the file's error, as levy reports the same case.
func TestUploadCutByItsFileIsNeverSent(t *testing.T) {
	t.Parallel()
	srv, c, _ := fakeClient(t, nil, evidence.SuiteRSA)
	pdf := []byte("%PDF-1.4 " + strings.Repeat("agreement ", 20000))
	opens := 0
	file := evidence.File{Name: "a.pdf", Size: int64(len(pdf)), Open: func() (io.ReadCloser, error) {
		opens++
		if opens == 1 {
			return io.NopCloser(bytes.NewReader(pdf)), nil
		}
		return io.NopCloser(io.MultiReader(bytes.NewReader(pdf[:len(pdf)/2]), iotest.ErrReader(errDiskGone))), nil
	}}
	_, err := c.UploadUserProtocol(context.Background(), &evidence.UploadUserProtocolRequest{IDNo: "110101199003074477", Site: evidence.SiteHKTax, Files: []evidence.File{file}})
	if !errors.Is(err, errDiskGone) || errors.Is(err, evidence.ErrOutcomeUnknown) || opens != 2 {
		t.Errorf("upload cut by its file: %v (%d opens); want the file's error, not ErrOutcomeUnknown", err, opens)
	}
	if n := srv.Calls(evidence.OperationUploadUserProtocol); n > 1 {
		t.Errorf("%d uploads reached the fake; want at most the one cut short", n)
	}
}

var errDiskGone = errors.New("disk gone")
