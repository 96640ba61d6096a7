package main

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"testing"
	"time"

	"github.com/bizapi-cn/go-sdk/evidence"
	"github.com/bizapi-cn/go-sdk/evidence/evidencetest"
	"github.com/bizapi-cn/go-sdk/store"
)

func evidenceFake(t *testing.T) (*evidencetest.Server, *evidence.Client) {
	t.Helper()
	srv, err := evidencetest.NewServer()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	c, err := evidence.NewClient(evidence.WithApp(srv.AppID, srv.AppKey), evidence.WithPrivateKey(srv.PrivateKey),
		evidence.WithNotifyPublicKey(srv.NotifyPublicKey), evidence.WithBaseURL(srv.URL), evidence.WithRetries(0))
	if err != nil {
		t.Fatal(err)
	}
	return srv, c
}

// TestEvidenceOptions calls the options with public types only.
func TestEvidenceOptions(t *testing.T) {
	srv, _ := evidenceFake(t)
	if _, err := evidence.NewClient(evidence.WithApp(srv.AppID, srv.AppKey), evidence.WithPrivateKey(srv.PrivateKey),
		evidence.WithBaseURL(srv.URL), evidence.WithHTTPClient(&http.Client{}), evidence.WithLogger(slog.Default()),
		evidence.WithFieldKeyStore(store.NewMemoryKeys()), evidence.WithRetries(1), evidence.WithTimeout(time.Second),
		evidence.WithOAEP(0, 0), evidence.WithSuite(evidence.SuiteRSA)); err == nil {
		t.Log("WithOAEP(0, 0) accepted")
	}
	v, err := evidence.NewNotificationVerifier(evidence.WithApp(srv.AppID, srv.AppKey),
		evidence.WithNotifyPublicKey(srv.NotifyPublicKey))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := evidence.NewNotificationHandler(v, func(context.Context, *evidence.Notification) error { return nil },
		evidence.WithDedupStore(newHostStore()), evidence.WithMaxBodyBytes(1<<20), evidence.WithReadTimeout(time.Second)); err != nil {
		t.Fatal(err)
	}
	if _, err := evidence.NewNotificationVerifier(evidence.WithApp(srv.AppID, srv.AppKey)); err == nil {
		t.Error("a verifier without the notify public key was built")
	}
}

// TestEvidenceErrorFamilies branches on each error family from outside.
func TestEvidenceErrorFamilies(t *testing.T) {
	ctx := context.Background()
	srv, c := evidenceFake(t)

	_, err := c.StartAcquisition(ctx, &evidence.StartAcquisitionRequest{Site: evidence.SiteTaxIncome})
	var ve *evidence.ValidationError
	if !errors.As(err, &ve) || len(ve.Fields) == 0 {
		t.Errorf("incomplete start: %v; want *evidence.ValidationError", err)
	}

	_, err = c.GetStatus(ctx, &evidence.GetStatusRequest{DaID: "NO-SUCH-DA"})
	var ae *evidence.APIError
	if !errors.As(err, &ae) || ae.Code == 0 {
		t.Errorf("unknown daId: %v; want *evidence.APIError", err)
	}

	srv.Inject(evidencetest.Fault{Kind: evidencetest.FaultStatus500, Count: 1})
	_, err = c.GetStatus(ctx, &evidence.GetStatusRequest{DaID: "NO-SUCH-DA"})
	var he *evidence.HTTPError
	if !errors.As(err, &he) || he.HTTPStatusCode() != 500 {
		t.Errorf("gateway 500: %v; want *evidence.HTTPError 500", err)
	}

	start := func(bizNo string) error {
		_, err := c.StartAcquisition(ctx, &evidence.StartAcquisitionRequest{Site: evidence.SiteTaxIncome, BizNo: bizNo, OpenID: "u",
			IDNo: "110101199003074477", UserName: "张三", UserClaim: "face recognition", UA: "Mozilla/5.0", Width: 390, Height: 844})
		return err
	}
	if err := start("B-1"); err != nil { // fetches the field key first
		t.Fatal(err)
	}
	srv.Inject(evidencetest.Fault{Kind: evidencetest.FaultProcessThenDrop, Count: 1})
	err = start("B-OU")
	var ou *evidence.OutcomeUnknownError
	if !errors.Is(err, evidence.ErrOutcomeUnknown) || !errors.As(err, &ou) || ou.Key != "B-OU" {
		t.Errorf("dropped answer: %v; want *evidence.OutcomeUnknownError keyed B-OU", err)
	}

	v, _ := evidence.NewNotificationVerifier(evidence.WithApp(srv.AppID, srv.AppKey), evidence.WithNotifyPublicKey(srv.NotifyPublicKey))
	body, hash, sig := srv.Notification(evidence.FuncDaFailed, map[string]any{"daId": "DA1", "daStatus": 25})
	forged := bytes.Replace(body, []byte("DA1"), []byte("DA2"), 1)
	_, err = evidence.ParseNotification(ctx, v, http.Header{"Decshash": {hash}, "Decssign": {sig}}, forged)
	if !errors.Is(err, evidence.ErrInvalidSignature) {
		t.Errorf("forged notification: %v; want ErrInvalidSignature", err)
	}
}
